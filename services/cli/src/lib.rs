//! The `eastwest` operator command line. `main.rs` parses; each command lives in its own module.

pub mod report;
