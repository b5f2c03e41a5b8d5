//! `local ip *` and `local ip association *`: python-openstackclient's
//! `network/v2/local_ip.py` and `local_ip_association.py`.

use crate::common::{self, qp, Attrs, NET};
use crate::common::{NETWORKS, PORTS};
use osc_plugin_sdk::verbs::{self, col, Body, Col};
use osc_plugin_sdk::{Args, Host, Reply, Request, Resource, Result, Value};

pub const LOCAL_IPS: Resource = Resource::new(NET, "/local_ips", "local_ip", "local_ips")
    .display("local IP")
    .sdk("LocalIP");

const ATTRS: Attrs = &[
    ("created_at", "created_at"),
    ("description", "description"),
    ("id", "id"),
    ("ip_mode", "ip_mode"),
    ("local_ip_address", "local_ip_address"),
    ("local_port_id", "local_port_id"),
    ("name", "name"),
    ("network_id", "network_id"),
    ("project_id", "project_id"),
    ("revision_number", "revision_number"),
    ("updated_at", "updated_at"),
];
const HIDDEN: &[&str] = &["location", "tenant_id"];
const ASSOC_ATTRS: Attrs = &[
    ("id", "id"),
    ("name", "name"),
    ("fixed_port_id", "fixed_port_id"),
    ("fixed_ip", "fixed_ip"),
    ("host", "host"),
    ("local_ip_address", "local_ip_address"),
];
const ASSOC_HIDDEN: &[&str] = &["location", "name", "id", "tenant_id"];

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Description", "description"),
    col("Project", "project_id"),
    col("Local Port ID", "local_port_id"),
    col("Network", "network_id"),
    col("Local IP address", "local_ip_address"),
    col("IP mode", "ip_mode"),
];
const ASSOC_LIST: &[Col] = &[
    col("Local IP ID", "local_ip_id"),
    col("Local IP Address", "local_ip_address"),
    col("Fixed port ID", "fixed_port_id"),
    col("Fixed IP", "fixed_ip"),
    col("Host", "host"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "local ip create" => create(host, args),
        "local ip delete" => common::delete_each(
            host,
            &args.list("local_ip"),
            "Local IP with name or ID",
            "local IPs",
            |l| {
                let id = LOCAL_IPS.find_id(host, l)?;
                LOCAL_IPS.delete(host, &id)
            },
        ),
        "local ip list" => list(host, args),
        "local ip set" => set(host, args),
        "local ip show" => show(host, args),
        "local ip association create" => assoc_create(host, args),
        "local ip association delete" => assoc_delete(host, args),
        "local ip association list" => assoc_list(host, args),
        _ => return None,
    })
}

fn nonempty<'a>(args: &'a Args, name: &str) -> Option<&'a str> {
    args.str(name).filter(|s| !s.is_empty())
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let network = nonempty(args, "network")
        .map(|n| NETWORKS.find_id(host, n))
        .transpose()?;
    let port = nonempty(args, "local_port")
        .map(|p| PORTS.find_id(host, p))
        .transpose()?;
    let body = Body::new()
        .opt("name", nonempty(args, "name"))
        .opt("description", nonempty(args, "description"))
        .opt("project_id", common::project(host, args)?)
        .opt("network_id", network)
        .opt("local_ip_address", nonempty(args, "local_ip_address"))
        .opt("local_port_id", port)
        .opt("ip_mode", nonempty(args, "ip_mode"));
    let obj = LOCAL_IPS.create(host, body.into_value())?;
    Ok(common::sdk_attrs_show(&obj, ATTRS, HIDDEN, &[], &[]))
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q = Vec::new();
    if let Some(n) = nonempty(args, "name") {
        q.push(qp("name", n));
    }
    if let Some(p) = common::project(host, args)? {
        q.push(qp("project_id", p));
    }
    if let Some(n) = args.str("network") {
        q.push(qp("network_id", NETWORKS.find_id(host, n)?));
    }
    if let Some(p) = nonempty(args, "local_port") {
        q.push(qp("local_port_id", PORTS.find_id(host, p)?));
    }
    if let Some(a) = nonempty(args, "local_ip_address") {
        q.push(qp("local_ip_address", a));
    }
    if let Some(m) = nonempty(args, "ip_mode") {
        q.push(qp("ip_mode", m));
    }
    verbs::list(host, &LOCAL_IPS, &q, LIST)
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let id = LOCAL_IPS.find_id(host, args.req("local_ip")?)?;
    let body = Body::new()
        .arg("name", args, "name")
        .arg("description", args, "description");
    common::update_if_any(host, &LOCAL_IPS, &id, body)?;
    Ok(Reply::None)
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    let obj = LOCAL_IPS.find(host, args.req("local_ip")?)?;
    Ok(common::sdk_attrs_show(&obj, ATTRS, HIDDEN, &[], &[]))
}

fn assoc_path(local_ip: &str) -> String {
    format!("{}/port_associations", LOCAL_IPS.item_path(local_ip))
}

fn assoc_create(host: &Host, args: &Args) -> Result<Reply> {
    let port = PORTS.find_id(host, args.req("fixed_port")?)?;
    let body = Body::new()
        .set("fixed_port_id", port)
        .opt("fixed_ip", nonempty(args, "fixed_ip"));
    let lip = LOCAL_IPS.find_id(host, args.req("local_ip")?)?;
    let req = Request::post(NET, assoc_path(&lip))
        .json(osc_plugin_sdk::json!({ "port_association": body.into_value() }));
    let v = host.request(req)?.ok()?.json()?;
    Ok(common::sdk_attrs_show(
        &v["port_association"],
        ASSOC_ATTRS,
        ASSOC_HIDDEN,
        &[],
        &[],
    ))
}

fn assoc_delete(host: &Host, args: &Args) -> Result<Reply> {
    let lip = LOCAL_IPS.find_id(host, args.req("local_ip")?)?;
    common::delete_each(
        host,
        &args.list("fixed_port_id"),
        "Local IP Association with fixed port name or ID",
        "Local IP Associations",
        |p| {
            let path = format!(
                "{}/{}",
                assoc_path(&lip),
                osc_plugin_sdk::osc_api::resource::encode_segment(p)
            );
            host.request(Request::delete(NET, path))?.ok().map(drop)
        },
    )
}

fn assoc_list(host: &Host, args: &Args) -> Result<Reply> {
    let lip = LOCAL_IPS.find_id(host, args.req("local_ip")?)?;
    let mut q = Vec::new();
    if let Some(p) = nonempty(args, "fixed_port") {
        q.push(qp("fixed_port_id", PORTS.find_id(host, p)?));
    }
    if let Some(ip) = nonempty(args, "fixed_ip") {
        q.push(qp("fixed_ip", ip));
    }
    if let Some(h) = nonempty(args, "host") {
        q.push(qp("host", h));
    }
    let path = assoc_path(&lip);
    let first =
        osc_plugin_sdk::osc_api::Request::new(osc_plugin_sdk::Method::GET, NET, path).queries(&q);
    let items: Vec<Value> = osc_plugin_sdk::osc_api::resource::list_pages(
        host,
        first,
        "port_associations",
        osc_plugin_sdk::Fields::All,
    )?
    .into_iter()
    .map(|mut a| {
        if a.get("local_ip_id").is_none() {
            a["local_ip_id"] = Value::from(lip.clone());
        }
        a
    })
    .collect();
    Ok(verbs::list_reply(&items, ASSOC_LIST))
}
