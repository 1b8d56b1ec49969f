//! What every eastwest service binary shares: logging set-up and the shutdown signal.

pub mod serve;
pub mod shutdown;
pub mod telemetry;

pub use shutdown::shutdown_signal;
