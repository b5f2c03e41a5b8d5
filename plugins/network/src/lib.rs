//! osc plugin for Neutron: python-openstackclient 10.5's network commands, as code on the
//! SDK's shared machinery (resources, lookups, pagination, waits). `manifest.json` holds
//! the command surface (arguments and help, extracted from OSC's parsers by
//! `tools/extract_osc.py`); each module below serves the commands of one resource.

mod address_group;
mod address_scope;
mod agent;
mod common;
mod conntrack;
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

use osc_plugin_sdk::{export_plugin, Args, Host, Reply, Result};

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

fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
    for m in MODULES {
        if let Some(r) = m(host, command, args) {
            return r;
        }
    }
    Err(format!("network plugin: unknown command {command}").into())
}

export_plugin!(manifest: "../manifest.json", handler: run);
