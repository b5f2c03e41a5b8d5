//! osc plugin for the telemetry services (Layer 3): gnocchiclient 7.2's `metric …` commands
//! (service type `metric`) and aodhclient 3.12's `alarm …` commands (service type
//! `alarming`). One crate for both: Aodh's alarms are evaluated on Gnocchi's metrics, the two
//! clients share their conventions (cliff `dict2columns`, JSON bodies, no microversions), and
//! one plugin keeps their query-language and time parsing in one place. `manifest.json` is
//! written from the clients' own parsers for the commands in `commands.txt`
//! (`plugins/tools/manifest_from_osc.py --aliases --group openstack.metric.v1 --group
//! openstack.alarming.v2`).

mod aodh;
mod benchmark;
mod gnocchi;
mod util;

use osc_plugin_sdk::{export_plugin, Args, Host, Reply, Result};

fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
    let found = gnocchi::run(host, command, args)
        .or_else(|| benchmark::run(host, command, args))
        .or_else(|| aodh::run(host, command, args));
    found.unwrap_or_else(|| Err(format!("telemetry plugin: unknown command {command}").into()))
}

export_plugin!(manifest: "../manifest.json", handler: run);
