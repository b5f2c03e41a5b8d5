//! The functional tests: osc against the live devcloud, compared with python-openstackclient
//! and the reference plugins. One binary, so tests of every service run side by side (most
//! of their time is spent waiting on the cloud and on the reference client).
#![cfg(feature = "functional")]

#[macro_use]
#[path = "../support/mod.rs"]
mod support;

mod baremetal;
mod common;
mod compute;
mod core;
mod database;
mod dns;
mod identity;
mod image;
mod messaging;
mod network;
mod network_core;
mod network_security;
mod network_services;
mod object;
mod orchestration;
mod placement;
mod plugins;
mod telemetry;
mod volume;
