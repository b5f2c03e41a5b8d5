//! The OpenStack API machinery osc's built-in commands and its plugins share, implemented
//! once: resource descriptions and their verbs (list with every pagination style, show,
//! name-or-ID lookup with OSC's messages, create, update, delete, several names with every
//! failure reported), the wait loop, microversion negotiation, and the parser of every
//! service's error bodies.
//!
//! It carries no HTTP engine (as nushell's plugin protocol crate carries no engine): the
//! verbs run over a [`Transport`], which osc-core implements with its authenticated
//! session and the plugin SDK with the host's `http` callback. A plugin's `server list`
//! therefore paginates, looks up and waits exactly as a built-in does.

pub mod concurrent;
pub mod error;
pub mod error_body;
pub mod lookup;
pub mod microversion;
pub mod page;
pub mod request;
pub mod resource;
pub mod wait;

pub use error::{Error, ErrorStatus, Result};
pub use page::{Fields, Page};
pub use request::{Method, Request};
pub use resource::{Resource, Transport};
pub use wait::{Poll, Status, Wait};
