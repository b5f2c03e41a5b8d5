//! A template osc plugin: Neutron networks listed (every page), shown by name or ID, waited
//! for and deleted, with the SDK's shared machinery, the same code osc's built-in commands
//! run. Describe a resource once; the verbs do the rest.

use osc_plugin_sdk::verbs::{self, col, col_list, Col};
use osc_plugin_sdk::{export_plugin, Args, Host, Reply, Resource, Result, Wait, WaitStatus};
use std::time::Duration;

/// Neutron's networks: path, JSON keys, and openstacksdk's name for lookup messages
/// ("No Network found for x").
const NETWORKS: Resource =
    Resource::new("network", "/networks", "network", "networks").sdk("Network");

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col_list("Subnets", "subnets"),
];
const LONG: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col_list("Subnets", "subnets"),
    col("Status", "status"),
];

fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
    match command {
        "hello network list" => {
            let query: Vec<(String, String)> = args
                .str("name")
                .map(|n| ("name".to_string(), n.to_string()))
                .into_iter()
                .collect();
            let cols = if args.flag("long") { LONG } else { LIST };
            verbs::list(host, &NETWORKS, &query, cols)
        }
        "hello network show" => verbs::show_sorted(host, &NETWORKS, args.req("network")?, &[]),
        "hello network wait" => {
            let id = NETWORKS.find_id(host, args.req("network")?)?;
            let secs = args.int("timeout")?.unwrap_or(300).max(0) as u64;
            let net = Wait::new(format!("network {id}"))
                .timeout(Duration::from_secs(secs))
                .status(WaitStatus::new(&["ACTIVE"], &["ERROR"]), || {
                    NETWORKS.get(host, &id)
                })?;
            Ok(verbs::sorted_reply(&net, &[], &[]))
        }
        "hello network delete" => verbs::delete(host, &NETWORKS, &args.list("network"), "networks"),
        other => Err(format!("hello: unknown command {other}").into()),
    }
}

export_plugin!(manifest: "../manifest.json", handler: run);
