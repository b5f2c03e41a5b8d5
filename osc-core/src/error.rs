//! The core's error type. Every error renders as one line that says what to do; the kind
//! decides the exit code (2 for usage errors, 1 for everything else, as OSC).

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    /// Bad command line: exit code 2.
    #[error("{0}")]
    Usage(String),
    /// clouds.yaml, secure.yaml, environment or option problems.
    #[error("{0}")]
    Config(String),
    /// Authentication failed or is impossible with the given credentials.
    #[error("{0}")]
    Auth(String),
    /// The service answered with an error status.
    #[error("{message} (HTTP {status}){}", request_id.as_ref().map(|r| format!(" (Request-ID: {r})")).unwrap_or_default())]
    Http {
        status: u16,
        message: String,
        request_id: Option<String>,
    },
    /// Could not reach the service at all (connection refused, DNS, TLS, timeout).
    #[error("{0}")]
    Transport(String),
    /// A lookup by name or ID found nothing.
    #[error("{0}")]
    NotFound(String),
    /// A name matched several resources.
    #[error("{0}")]
    Ambiguous(String),
    /// The cloud lacks a service, version or feature the command needs.
    #[error("{0}")]
    Unsupported(String),
    /// A local file could not be read or written.
    #[error("{0}")]
    Io(String),
    /// Output rendering failed (unknown column, closed pipe...).
    #[error(transparent)]
    Output(#[from] osc_output::OutputError),
    /// Anything else a command reports, already phrased for the user.
    #[error("{0}")]
    Command(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
    pub fn cmd(msg: impl Into<String>) -> Self {
        Error::Command(msg.into())
    }
    pub fn usage(msg: impl Into<String>) -> Self {
        Error::Usage(msg.into())
    }
    pub fn config(msg: impl Into<String>) -> Self {
        Error::Config(msg.into())
    }
    /// True when the error is an HTTP 404.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Http { status: 404, .. } | Error::NotFound(_))
    }
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Http { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl From<clap::Error> for Error {
    fn from(e: clap::Error) -> Self {
        Error::Usage(e.to_string().trim_end().to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}

impl From<osc_api::Error> for Error {
    fn from(e: osc_api::Error) -> Self {
        match e {
            osc_api::Error::Http {
                status,
                message,
                request_id,
            } => Error::Http {
                status,
                message,
                request_id,
            },
            osc_api::Error::NotFound(m) => Error::NotFound(m),
            osc_api::Error::Ambiguous(m) => Error::Ambiguous(m),
            osc_api::Error::BadReply(m) | osc_api::Error::Other(m) => Error::Command(m),
        }
    }
}

impl osc_api::ErrorStatus for Error {
    fn status(&self) -> Option<u16> {
        Error::status(self)
    }
    fn is_not_found(&self) -> bool {
        Error::is_not_found(self)
    }
}
