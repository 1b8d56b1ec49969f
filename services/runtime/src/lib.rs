//! What every eastwest service binary shares: logging set-up and the shutdown signal.

pub mod serve;
pub mod shutdown;
pub mod telemetry;

pub use shutdown::shutdown_signal;

/// The exit of a service binary: its error and causes on one line, exit code 1, no backtrace dump.
pub fn exit_code(result: anyhow::Result<()>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
