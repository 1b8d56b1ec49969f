//! The `eastwest` operator command line. `main.rs` parses and dispatches; each command lives in its
//! own module and talks to the services over gRPC only (`up` also hosts them in-process).

pub mod bench;
pub mod cli;
pub mod connect;
pub mod error;
pub mod evaluate;
pub mod json;
pub mod output;
pub mod records;
pub mod report;
pub mod transfer;
pub mod up;
