//! osc plugin for Trove: python-troveclient 8.11's `database …` and `datastore …` commands
//! on the SDK. `manifest.json` is written from troveclient's own parsers for the commands in
//! `commands.txt` (`plugins/tools/manifest_from_osc.py --group openstack.database.v1`).
//!
//! Objects are found as osc_lib's `find_resource` finds them (by ID, then by name) and shown
//! as troveclient shows them: every field sorted, with its nested members flattened
//! (`instance::detail`, ...); lists take cliff's columns from the objects' attributes.

mod api;
mod backup;
mod cluster;
mod config;
mod datastore;
mod instance;
mod misc;
mod users;

use osc_plugin_sdk::{export_plugin, Args, Host, Reply, Result};

fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
    let found = instance::run(host, command, args)
        .or_else(|| config::run(host, command, args))
        .or_else(|| backup::run(host, command, args))
        .or_else(|| cluster::run(host, command, args))
        .or_else(|| users::run(host, command, args))
        .or_else(|| datastore::run(host, command, args))
        .or_else(|| misc::run(host, command, args));
    found.unwrap_or_else(|| Err(format!("database plugin: unknown command {command}").into()))
}

export_plugin!(manifest: "../manifest.json", handler: run);
