//! The small service commands: `ip availability` (OSC's `ip_availability.py`), `network
//! service provider list`, `network auto allocated topology` and `network onboard subnet`
//! (OSC's `subnet_onboard.py`, the deprecated `subnet pool add network`).

use crate::common::NETWORKS;
use crate::common::{self, NET};
use osc_plugin_sdk::verbs::{self, col, col_dict, col_styled, Col};
use osc_plugin_sdk::{json, Args, Error, Host, Reply, Request, Resource, Result, Value};

const AVAILABILITIES: Resource = Resource::new(
    NET,
    "/network-ip-availabilities",
    "network_ip_availability",
    "network_ip_availabilities",
)
.name_query(None)
.sdk("NetworkIPAvailability");
const POOLS: Resource =
    Resource::new(NET, "/subnetpools", "subnetpool", "subnetpools").sdk("SubnetPool");
const PROVIDERS: Resource = Resource::new(NET, "/service-providers", "", "service_providers");

/// The SDK NetworkIPAvailability's attributes less id and name.
const AVAILABILITY_SHOW: &[Col] = &[
    col_dict("ip_availability_details", "ip_availability_details"),
    col("network_id", "network_id"),
    col("network_name", "network_name"),
    col("project_id", "project_id"),
    col_styled(
        "subnet_ip_availability",
        "subnet_ip_availability",
        "list_dict",
    ),
    col("total_ips", "total_ips"),
    col("used_ips", "used_ips"),
];
const AVAILABILITY_HIDDEN: &[&str] = &["id", "name", "tenant_id"];
/// The last four are members of `ip_availability_details` ('' when absent), which
/// [`with_details`] copies up.
const AVAILABILITY_LIST: &[Col] = &[
    col("Network ID", "network_id"),
    col("Network Name", "network_name"),
    col("Total IPs", "total_ips"),
    col("Used IPs", "used_ips"),
    col("Total IPs in Subnet", "total_ips_in_subnet"),
    col(
        "Total IPs in Allocation Pool",
        "total_ips_in_allocation_pool",
    ),
    col("Used IPs in Subnet", "used_ips_in_subnet"),
    col("Used IPs in Allocation Pool", "used_ips_in_allocation_pool"),
];
const DETAILS: [&str; 4] = [
    "total_ips_in_subnet",
    "total_ips_in_allocation_pool",
    "used_ips_in_subnet",
    "used_ips_in_allocation_pool",
];
const PROVIDER_LIST: &[Col] = &[
    col("Service Type", "service_type"),
    col("Name", "name"),
    col("Default", "default"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "ip availability list" => availability_list(host, args),
        "ip availability show" => availability_show(host, args),
        "network service provider list" => PROVIDERS
            .list(host, &[])
            .map(|p| verbs::list_reply(&p, PROVIDER_LIST)),
        "network auto allocated topology create" => topology_create(host, args),
        "network auto allocated topology delete" => topology_delete(host, args),
        "network onboard subnet" => {
            host.warn(
                "The \"network onboard subnet\" command is deprecated in favour of \"subnet pool add network\". It will be removed in a future release.",
            );
            onboard(host, args)
        }
        "subnet pool add network" => onboard(host, args),
        _ => return None,
    })
}

/// OSC's `_get_detail` for each of [`DETAILS`], as top-level fields.
fn with_details(mut v: Value) -> Value {
    let details = v["ip_availability_details"].clone();
    if let Some(m) = v.as_object_mut() {
        for d in DETAILS {
            let value = details.get(d).cloned().unwrap_or_else(|| Value::from(""));
            m.insert(d.to_string(), value);
        }
    }
    v
}

fn availability_list(host: &Host, args: &Args) -> Result<Reply> {
    // --ip-version defaults to 4.
    let version = args.int("ip_version")?.unwrap_or(4);
    let mut q = Vec::new();
    if version != 0 {
        q.push(("ip_version".to_string(), version.to_string()));
    }
    if let Some(p) = common::project(host, args)? {
        q.push(("project_id".to_string(), p));
    }
    let (paging, max) = common::paging(args)?;
    q.extend(paging);
    let items: Vec<Value> = common::list_max(host, &AVAILABILITIES, &q, max)?
        .into_iter()
        .map(with_details)
        .collect();
    Ok(verbs::list_reply(&items, AVAILABILITY_LIST))
}

fn availability_show(host: &Host, args: &Args) -> Result<Reply> {
    let network = NETWORKS.find_id(host, args.req("network")?)?;
    let obj = AVAILABILITIES.find(host, &network)?;
    Ok(common::sdk_show(
        &obj,
        AVAILABILITY_SHOW,
        AVAILABILITY_HIDDEN,
    ))
}

/// `--project` as given (OSC passes the name or ID itself to the path), else the token's.
fn topology_project(host: &Host, args: &Args) -> Result<String> {
    match args.str("project") {
        Some(p) => Ok(p.to_string()),
        None => common::token_project(host),
    }
}

fn topology_path(project: &str) -> String {
    format!(
        "/auto-allocated-topology/{}",
        osc_plugin_sdk::osc_api::resource::encode_segment(project)
    )
}

fn topology_create(host: &Host, args: &Args) -> Result<Reply> {
    let project = topology_project(host, args)?;
    let path = topology_path(&project);
    if args.flag("check_resources") {
        // openstacksdk's ValidateTopology is fetched without an ID: "found for None".
        let req = Request::get(NET, path).query("fields", "dry-run");
        let v = common::sdk_call(host, req, Some("No ValidateTopology found for None".into()))?;
        let topo = &v["auto_allocated_topology"];
        let dry_run = topo.get("dry_run").cloned().unwrap_or(Value::Null);
        return Ok(Reply::show().field("dry_run", dry_run));
    }
    let missing = format!("No AutoAllocatedTopology found for {project}");
    let v = common::sdk_call(host, Request::get(NET, path), Some(missing))?;
    let topo = &v["auto_allocated_topology"];
    Ok(common::sdk_show(
        topo,
        &[col("id", "id"), col("project_id", "project_id")],
        &["name", "tenant_id"],
    ))
}

fn topology_delete(host: &Host, args: &Args) -> Result<Reply> {
    let project = topology_project(host, args)?;
    common::sdk_call(host, Request::delete(NET, topology_path(&project)), None)?;
    Ok(Reply::None)
}

fn onboard(host: &Host, args: &Args) -> Result<Reply> {
    let pool = POOLS.find_id(host, args.req("subnetpool")?)?;
    let network_arg = args.req("network")?;
    let network = NETWORKS.find_id(host, network_arg)?;
    let path = format!("{}/onboard_network_subnets", POOLS.item_path(&pool));
    let req = Request::put(NET, path).json(json!({"network_id": network}));
    common::sdk_call(host, req, None).map_err(|e| {
        Error::other(format!(
            "Failed to onboard subnets for network '{network_arg}': {e}"
        ))
    })?;
    Ok(Reply::None)
}
