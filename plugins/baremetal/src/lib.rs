//! osc plugin for Ironic: python-ironicclient 6.3's `baremetal` commands on the SDK's shared
//! machinery. `manifest.json` is written from ironicclient's own parsers for the commands in
//! `commands.txt` (`plugins/tools/manifest_from_osc.py`); each module serves one resource.
//!
//! Microversions as ironicclient negotiates them: the latest it knows (1.115), capped by the
//! server, unless `--os-baremetal-api-version` pins one (the host decides; see
//! `Resource::max_microversion`).

mod chassis;
mod columns;
mod configdrive;
mod create;
mod crud;
mod driver;
mod fields;
mod node;
mod node_ops;
mod resource;

use osc_plugin_sdk::{export_plugin, Args, Host, Reply, Result};

/// python-ironicclient's `LAST_KNOWN_API_VERSION`.
pub const MAX_MICROVERSION: &str = "1.115";

fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
    let found = node::run(host, command, args)
        .or_else(|| node_ops::run(host, command, args))
        .or_else(|| create::run(host, command, args))
        .or_else(|| driver::run(host, command, args))
        .or_else(|| chassis::run(host, command, args))
        .or_else(|| crud::run(host, command, args));
    found.unwrap_or_else(|| Err(format!("baremetal plugin: unknown command {command}").into()))
}

export_plugin!(manifest: "../manifest.json", handler: run);
