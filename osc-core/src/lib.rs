//! osc-core: configuration, Keystone authentication, the HTTP session, the command
//! registry and dispatch. Service crates and plugins register commands here; commands
//! return data that [`osc_output`] renders.

pub mod app;
pub mod auth;
pub mod cache;
pub mod catalog;
pub mod commands;
pub mod concurrent;
pub mod config;
pub mod context;
pub mod error;
pub mod globals;
pub mod interrupt;
pub mod log;
pub mod lookup;
pub mod redact;
pub mod registry;
pub mod resource;
pub mod session;
pub mod shell;
pub mod time;

/// The shared API machinery, also the plugins' (see the `osc-api` crate).
pub use osc_api::{page, wait};

pub use context::Context;
pub use error::{Error, Result};
pub use osc_output as output;
pub use osc_output::{Cell, Kind, Output, Record, Table};
pub use registry::{Command, Registry};
pub use reqwest::Method;
pub use session::{Body, Request, Session};
