//! osc plugin for Neutron: python-openstackclient 10.5's network commands, as code on the
//! SDK's shared machinery (resources, lookups, pagination, waits). `manifest.json` holds
//! the command surface (arguments and help, extracted from OSC's parsers by
//! `tools/extract_osc.py`); each module below serves the commands of one resource.
//!
//! Commands not yet moved to code are still replayed from `osc-impl.json` by `engine.rs`;
//! both go once every command has its module.

mod address_group;
mod address_scope;
mod agent;
#[allow(dead_code)] // used as the modules move over from the engine
mod common;
mod conntrack;
mod engine;
mod flavor;
mod floating_ip;
mod local_ip;
mod ndp_proxy;
mod network;
mod network_meter;
mod network_rbac;
mod port;
mod port_forwarding;
mod qos_policy;
mod qos_rule;
mod router;
mod security_group;
mod security_group_rule;
mod segment;
mod services;
mod sg_default_statefulness;
mod subnet;
mod subnet_pool;
mod trunk;

use osc_plugin_sdk::{export_plugin, Args, Host, Reply, Result, Value};

/// A module's commands: `None` when the command is not one of them.
type Commands = fn(&Host, &str, &Args) -> Option<Result<Reply>>;

/// Every resource module, in no particular order (command names do not overlap).
const MODULES: &[Commands] = &[
    flavor::run,
    segment::run,
    trunk::run,
    conntrack::run,
    port_forwarding::run,
    ndp_proxy::run,
    agent::run,
    services::run,
    port::run,
    subnet_pool::run,
    floating_ip::run,
    network::run,
    subnet::run,
    router::run,
    address_group::run,
    address_scope::run,
    security_group::run,
    security_group_rule::run,
    sg_default_statefulness::run,
    network_rbac::run,
    qos_policy::run,
    qos_rule::run,
    network_meter::run,
    local_ip::run,
];

static IMPL: &str = include_str!("../osc-impl.json");

fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
    for m in MODULES {
        if let Some(r) = m(host, command, args) {
            return r;
        }
    }
    let table: Value = osc_plugin_sdk::serde_json::from_str(IMPL)?;
    let spec = table
        .get(command)
        .ok_or_else(|| format!("network plugin: unknown command {command}"))?;
    engine::Engine::new(host, &table, command, spec, args).run()
}

export_plugin!(manifest: "../manifest.json", handler: run);
