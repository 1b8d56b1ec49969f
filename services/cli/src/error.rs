//! Why a command failed, and the exit code that says so: 1 for a failed call, 2 for bad usage.

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A call the server refused or could not answer.
    #[error("{}", crate::output::describe_status(.0))]
    Call(#[from] tonic::Status),
    /// The command line or its input cannot be used as given.
    #[error("{0}")]
    Usage(String),
    /// Anything else: files, local servers.
    #[error("{0:#}")]
    Other(#[from] anyhow::Error),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Call(_) | CliError::Other(_) => 1,
            CliError::Usage(_) => 2,
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Other(e.into())
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;
