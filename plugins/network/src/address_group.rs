//! `address group *`: python-openstackclient's `network/v2/address_group.py`.

use crate::common::{self, qp, Attrs, NET};
use osc_plugin_sdk::verbs::{self, col, Body, Col};
use osc_plugin_sdk::{json, Args, Error, Host, Reply, Request, Resource, Result};
use std::net::IpAddr;

pub const ADDR_GROUPS: Resource =
    Resource::new(NET, "/address-groups", "address_group", "address_groups")
        .display("address group")
        .sdk("AddressGroup");

const ATTRS: Attrs = &[
    ("id", "id"),
    ("name", "name"),
    ("description", "description"),
    ("project_id", "project_id"),
    ("tenant_id", "tenant_id"),
    ("addresses", "addresses"),
];
const HIDDEN: &[&str] = &["location", "tenant_id"];

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Description", "description"),
    col("Project", "project_id"),
    col("Addresses", "addresses"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "address group create" => create(host, args),
        "address group delete" => verbs::delete(
            host,
            &ADDR_GROUPS,
            &args.list("address_group"),
            "address groups",
        ),
        "address group list" => list(host, args),
        "address group set" => set(host, args),
        "address group show" => show(host, args),
        "address group unset" => unset(host, args),
        _ => return None,
    })
}

fn show_obj(obj: &osc_plugin_sdk::Value) -> Reply {
    common::sdk_attrs_show(obj, ATTRS, HIDDEN, &[], &[])
}

/// An address as a network, as `str(netaddr.IPNetwork(addr))`: a bare address gets its
/// full prefix (`10.0.0.1/32`), host bits are kept, IPv6 is compressed.
pub fn cidr(addr: &str) -> Result<String> {
    let bad = || Error::other(format!("invalid IPNetwork {addr}"));
    let (ip, prefix) = match addr.split_once('/') {
        Some((ip, p)) => (ip, Some(p)),
        None => (addr, None),
    };
    let ip: IpAddr = ip.parse().map_err(|_| bad())?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        None => max,
        Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
    };
    Ok(format!("{ip}/{prefix}"))
}

fn cidrs(args: &Args) -> Result<Vec<String>> {
    args.list("address").iter().map(|a| cidr(a)).collect()
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let body = Body::new()
        .arg("name", args, "name")
        .opt(
            "description",
            args.str("description").filter(|d| !d.is_empty()),
        )
        .set("addresses", cidrs(args)?)
        .opt("project_id", common::project(host, args)?);
    let body = common::with_extra(body, args)?;
    Ok(show_obj(&ADDR_GROUPS.create(host, body.into_value())?))
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q = Vec::new();
    if let Some(n) = args.str("name").filter(|n| !n.is_empty()) {
        q.push(qp("name", n));
    }
    if let Some(p) = common::project(host, args)? {
        q.push(qp("project_id", p));
    }
    common::list_paged(host, &ADDR_GROUPS, args, q, LIST)
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    Ok(show_obj(
        &ADDR_GROUPS.find(host, args.req("address_group")?)?,
    ))
}

/// `PUT /address-groups/<id>/<action>` with the addresses, as the SDK's
/// `add_addresses`/`remove_addresses`.
fn addresses(host: &Host, id: &str, action: &str, addrs: Vec<String>) -> Result<()> {
    let path = format!("{}/{action}", ADDR_GROUPS.item_path(id));
    host.request(Request::put(NET, path).json(json!({ "addresses": addrs })))?
        .ok()
        .map(drop)
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let id = ADDR_GROUPS.find_id(host, args.req("address_group")?)?;
    let body = Body::new()
        .arg("name", args, "name")
        .arg("description", args, "description");
    common::update_if_any(host, &ADDR_GROUPS, &id, common::with_extra(body, args)?)?;
    let addrs = cidrs(args)?;
    if !addrs.is_empty() {
        addresses(host, &id, "add_addresses", addrs)?;
    }
    Ok(Reply::None)
}

fn unset(host: &Host, args: &Args) -> Result<Reply> {
    let id = ADDR_GROUPS.find_id(host, args.req("address_group")?)?;
    let addrs = cidrs(args)?;
    if !addrs.is_empty() {
        addresses(host, &id, "remove_addresses", addrs)?;
    }
    Ok(Reply::None)
}

#[cfg(test)]
mod tests {
    use super::cidr;

    #[test]
    fn addresses_become_networks_as_netaddr() {
        assert_eq!(cidr("10.0.0.1").unwrap(), "10.0.0.1/32");
        assert_eq!(cidr("10.0.0.5/24").unwrap(), "10.0.0.5/24");
        assert_eq!(cidr("2001:db8:0:0::1/64").unwrap(), "2001:db8::1/64");
        assert_eq!(cidr("::1").unwrap(), "::1/128");
        assert_eq!(cidr("x").unwrap_err().to_string(), "invalid IPNetwork x");
        assert!(cidr("1.2.3.4/33").is_err());
        assert!(cidr("10/8").is_err());
    }
}
