//! osc plugin for Heat: python-heatclient 5.3's `stack …`, `orchestration …` and
//! `software …` commands on the SDK. `manifest.json` is written from heatclient's own
//! parsers for the commands in `commands.txt` (`plugins/tools/manifest_from_osc.py`).
//!
//! Templates are prepared locally as heatclient does (`template`): the template and every
//! file it references are read, parsed and sent in one request, so a bad file fails before
//! anything is created.

mod events;
mod heat;
mod orchestration;
mod resource;
mod software;
mod stack;
pub mod template;

use osc_plugin_sdk::{export_plugin, Args, Host, Reply, Result};

fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
    let found = stack::run(host, command, args)
        .or_else(|| resource::run(host, command, args))
        .or_else(|| software::run(host, command, args))
        .or_else(|| orchestration::run(host, command, args))
        .or_else(|| match command {
            "stack event list" => Some(events::list(host, args)),
            "stack event show" => Some(events::show(host, args)),
            _ => None,
        });
    found.unwrap_or_else(|| Err(format!("orchestration plugin: unknown command {command}").into()))
}

export_plugin!(manifest: "../manifest.json", handler: run);
