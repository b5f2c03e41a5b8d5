//! osc plugin for Neutron. The commands are data: `manifest.json` (arguments and help,
//! extracted from python-openstackclient 10.5 by `tools/extract_osc.py`) and
//! `osc-impl.json` (for each command, the Neutron resource it touches, the request body
//! or query fragment each option adds, and the output columns, learned by running OSC's
//! own commands against a recording fake client in `tools/extract_impl.py`). The engine
//! in `engine.rs` replays that table against the real API through the host.

mod engine;

use osc_plugin_sdk::{export_plugin, Args, Host, Reply, Result, Value};

static IMPL: &str = include_str!("../osc-impl.json");

fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
    let table: Value = osc_plugin_sdk::serde_json::from_str(IMPL)?;
    let spec = table
        .get(command)
        .ok_or_else(|| format!("network plugin: unknown command {command}"))?;
    engine::Engine::new(host, &table, command, spec, args).run()
}

export_plugin!(manifest: "../manifest.json", handler: run);
