//! The errors the shared machinery produces. Each renders as one line for the user; the
//! callers' own error types convert from it ([`From`]) and tell it their HTTP status
//! ([`ErrorStatus`]), so generic code can react to a 404 whatever the transport.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The service answered with an error status.
    Http {
        status: u16,
        message: String,
        request_id: Option<String>,
    },
    /// A lookup by name or ID found nothing.
    NotFound(String),
    /// A name matched several resources.
    Ambiguous(String),
    /// The service's answer could not be understood.
    BadReply(String),
    /// Anything else, already phrased for the user (timeouts, error statuses of objects).
    Other(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn other(msg: impl Into<String>) -> Self {
        Error::Other(msg.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Http {
                status,
                message,
                request_id,
            } => {
                write!(f, "{message} (HTTP {status})")?;
                if let Some(r) = request_id {
                    write!(f, " (Request-ID: {r})")?;
                }
                Ok(())
            }
            Error::NotFound(m) | Error::Ambiguous(m) | Error::BadReply(m) | Error::Other(m) => {
                f.write_str(m)
            }
        }
    }
}

impl std::error::Error for Error {}

/// What generic code needs to know of a transport's error.
pub trait ErrorStatus {
    /// The HTTP status of an error answer, if it was one.
    fn status(&self) -> Option<u16>;
    /// True for an HTTP 404 and for a failed lookup.
    fn is_not_found(&self) -> bool;
}

impl ErrorStatus for Error {
    fn status(&self) -> Option<u16> {
        match self {
            Error::Http { status, .. } => Some(*status),
            _ => None,
        }
    }
    fn is_not_found(&self) -> bool {
        matches!(self, Error::Http { status: 404, .. } | Error::NotFound(_))
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::BadReply(format!("invalid JSON in the answer: {e}"))
    }
}

impl From<String> for Error {
    fn from(s: String) -> Self {
        Error::Other(s)
    }
}

impl From<&str> for Error {
    fn from(s: &str) -> Self {
        Error::Other(s.to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Other(e.to_string())
    }
}
