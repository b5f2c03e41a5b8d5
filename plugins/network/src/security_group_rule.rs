//! `security group rule *` and `default security group rule *`: python-openstackclient's
//! `network/v2/security_group_rule.py` and `default_security_group_rule.py`, which build a
//! rule the same way (protocol, direction, ethertype, ports or ICMP type/code, remote).

use crate::address_group::ADDR_GROUPS;
use crate::common::SECURITY_GROUPS;
use crate::common::{self, qp, Attrs, NET};
use osc_plugin_sdk::verbs::{self, col, Body, Col};
use osc_plugin_sdk::{Args, Error, Host, Reply, Resource, Result, Value};

pub const RULES: Resource = Resource::new(
    NET,
    "/security-group-rules",
    "security_group_rule",
    "security_group_rules",
)
.display("security group rule")
.sdk("SecurityGroupRule")
.name_query(None);

pub const DEFAULT_RULES: Resource = Resource::new(
    NET,
    "/default-security-group-rules",
    "default_security_group_rule",
    "default_security_group_rules",
)
.display("default security group rule")
.sdk("DefaultSecurityGroupRule")
.name_query(None);

const DEFAULT_ATTRS: Attrs = &[
    ("id", "id"),
    ("name", "name"),
    ("revision_number", "revision_number"),
    ("description", "description"),
    ("direction", "direction"),
    ("ether_type", "ethertype"),
    ("port_range_max", "port_range_max"),
    ("port_range_min", "port_range_min"),
    ("protocol", "protocol"),
    ("remote_group_id", "remote_group_id"),
    ("remote_address_group_id", "remote_address_group_id"),
    ("remote_ip_prefix", "remote_ip_prefix"),
    ("used_in_default_sg", "used_in_default_sg"),
    ("used_in_non_default_sg", "used_in_non_default_sg"),
];
const SG_RULE_ATTRS: Attrs = &[
    ("id", "id"),
    ("name", "name"),
    ("revision_number", "revision_number"),
    ("tags", "tags"),
    ("created_at", "created_at"),
    ("description", "description"),
    ("direction", "direction"),
    ("ether_type", "ethertype"),
    ("port_range_max", "port_range_max"),
    ("port_range_min", "port_range_min"),
    ("project_id", "project_id"),
    ("protocol", "protocol"),
    ("remote_group_id", "remote_group_id"),
    ("remote_address_group_id", "remote_address_group_id"),
    ("remote_ip_prefix", "remote_ip_prefix"),
    ("security_group_id", "security_group_id"),
    ("tenant_id", "tenant_id"),
    ("updated_at", "updated_at"),
];
const SG_HIDDEN: &[&str] = &["location", "name", "tenant_id", "tags"];
const DEFAULT_HIDDEN: &[&str] = &["location", "name", "revision_number"];

const LIST: &[Col] = &[
    col("ID", "id"),
    col("IP Protocol", "protocol"),
    col("Ethertype", "ethertype"),
    col("IP Range", "remote_ip_prefix"),
    col("Port Range", "port_range"),
    col("Direction", "direction"),
    col("Remote Security Group", "remote_group_id"),
    col("Remote Address Group", "remote_address_group_id"),
];
const DEFAULT_LIST: &[Col] = &[
    col("Used in default Security Group", "used_in_default_sg"),
    col("Used in custom Security Group", "used_in_non_default_sg"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "security group rule create" => create(host, args),
        "security group rule delete" => verbs::delete(host, &RULES, &args.list("rule"), "rules"),
        "security group rule list" => list(host, args),
        "security group rule show" => show(host, args),
        "default security group rule create" => default_create(host, args),
        "default security group rule delete" => default_delete(host, args),
        "default security group rule list" => default_list(host, args),
        "default security group rule show" => default_show(host, args),
        _ => return None,
    })
}

/// network_utils.is_icmp_protocol
fn is_icmp(protocol: Option<&str>) -> bool {
    matches!(protocol, Some("icmp" | "icmpv6" | "ipv6-icmp" | "1" | "58"))
}

/// network_utils.is_ipv6_protocol
fn is_ipv6_protocol(protocol: Option<&str>) -> bool {
    match protocol {
        Some(p) => {
            p.starts_with("ipv6-")
                || matches!(p, "icmpv6" | "41" | "43" | "44" | "58" | "59" | "60")
        }
        None => false,
    }
}

/// `--dst-port` as osc_lib's `RangeAction`: `4` is (4, 4), `6:9` is (6, 9).
fn port_range(s: &str) -> Result<(i64, i64)> {
    let bad = |m: String| Error::other(format!("argument --dst-port: {m}"));
    let int = |p: &str| {
        p.trim()
            .parse::<i64>()
            .map_err(|_| bad(format!("invalid literal for int() with base 10: '{p}'")))
    };
    let parts: Vec<&str> = s.split(':').collect();
    match parts.as_slice() {
        [one] => int(one).map(|v| (v, v)),
        [lo, hi] => {
            let (a, b) = (int(lo)?, int(hi)?);
            if a <= b {
                Ok((a, b))
            } else {
                Err(bad(format!("Invalid range, {lo} is not less than {hi}")))
            }
        }
        _ => Err(bad("Invalid range, too many values".into())),
    }
}

/// The protocol, ethertype, direction, ports and default remote prefix both create commands
/// send; the remote group or address group come from `remote` (resolved differently).
fn rule_body(args: &Args, remote: Option<(&str, String)>) -> Result<Body> {
    let protocol = args
        .str("protocol")
        .map(str::to_lowercase)
        .filter(|p| p != "any");
    let mut body = Body::new()
        .set(
            "protocol",
            protocol.clone().map(Value::from).unwrap_or(Value::Null),
        )
        .arg("description", args, "description");
    let direction = if args.flag("egress") {
        "egress"
    } else {
        "ingress"
    };
    body = body.set("direction", direction);
    // `--ethertype` is case-insensitive (`convert_ipvx_case` runs before argparse's choices).
    let ethertype = match args.str("ethertype") {
        Some(e) if e.eq_ignore_ascii_case("ipv4") => "IPv4",
        Some(e) if e.eq_ignore_ascii_case("ipv6") => "IPv6",
        Some(e) => {
            return Err(Error::other(format!(
                "argument --ethertype: invalid choice: '{e}' (choose from 'IPv4', 'IPv6')"
            )))
        }
        None if is_ipv6_protocol(protocol.as_deref()) => "IPv6",
        None => "IPv4",
    };
    body = body.set("ethertype", ethertype);
    let (icmp_type, icmp_code) = (args.int("icmp_type")?, args.int("icmp_code")?);
    let dst = args.str("dst_port").map(port_range).transpose()?;
    let icmp_given = icmp_type.is_some_and(|v| v != 0) || icmp_code.is_some_and(|v| v != 0);
    if dst.is_some() && icmp_given {
        return Err(Error::other(
            "Argument --dst-port not allowed with arguments --icmp-type and --icmp-code",
        ));
    }
    if icmp_type.is_none() && icmp_code.is_some() {
        return Err(Error::other(
            "Argument --icmp-type required with argument --icmp-code",
        ));
    }
    let icmp = is_icmp(protocol.as_deref());
    if !icmp && icmp_given {
        return Err(Error::other(
            "ICMP IP protocol required with arguments --icmp-type and --icmp-code",
        ));
    }
    if let Some((lo, hi)) = dst.filter(|_| !icmp) {
        body = body.set("port_range_min", lo).set("port_range_max", hi);
    }
    if let Some(t) = icmp_type.filter(|t| *t >= 0) {
        body = body.set("port_range_min", t);
    }
    if let Some(c) = icmp_code.filter(|c| *c >= 0) {
        body = body.set("port_range_max", c);
    }
    body = match (remote, args.str("remote_ip")) {
        (Some((key, id)), _) => body.set(key, id),
        (None, Some(ip)) => body.set("remote_ip_prefix", ip),
        (None, None) if ethertype == "IPv4" => body.set("remote_ip_prefix", "0.0.0.0/0"),
        (None, None) if ethertype == "IPv6" => body.set("remote_ip_prefix", "::/0"),
        (None, None) => body,
    };
    Ok(body)
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_string()
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let group = id_of(&SECURITY_GROUPS.find(host, args.req("group")?)?);
    let remote = if let Some(g) = args.str("remote_group") {
        Some(("remote_group_id", id_of(&SECURITY_GROUPS.find(host, g)?)))
    } else if let Some(g) = args.str("remote_address_group") {
        Some((
            "remote_address_group_id",
            id_of(&ADDR_GROUPS.find(host, g)?),
        ))
    } else {
        None
    };
    let body = rule_body(args, remote)?
        .set("security_group_id", group)
        .opt("project_id", common::project(host, args)?);
    let body = common::with_extra(body, args)?;
    let obj = RULES.create(host, body.into_value())?;
    Ok(common::sdk_attrs_show(
        &obj,
        SG_RULE_ATTRS,
        SG_HIDDEN,
        &[],
        &[],
    ))
}

/// network_utils.format_network_port_range
fn format_port_range(rule: &Value) -> String {
    let text = |v: &Value| match v {
        Value::Null => "None".to_string(),
        v => v.to_string(),
    };
    let truthy = |v: &Value| v.as_i64().is_some_and(|n| n != 0);
    let (min, max) = (&rule["port_range_min"], &rule["port_range_max"]);
    if is_icmp(rule["protocol"].as_str()) {
        let mut s = String::new();
        if truthy(min) {
            s += &format!("type={}", text(min));
        }
        if truthy(max) {
            s += &format!(":code={}", text(max));
        }
        s
    } else if truthy(min) || truthy(max) {
        let lo = if min.is_null() { text(max) } else { text(min) };
        let hi = if max.is_null() { text(min) } else { text(max) };
        format!("{lo}:{hi}")
    } else {
        String::new()
    }
}

/// network_utils.format_remote_ip_prefix: no prefix means everything of the ethertype.
fn remote_prefix(rule: &Value) -> Value {
    match &rule["remote_ip_prefix"] {
        Value::Null => match rule["ethertype"].as_str() {
            Some("IPv4") => Value::from("0.0.0.0/0"),
            Some("IPv6") => Value::from("::/0"),
            _ => Value::Null,
        },
        v => v.clone(),
    }
}

/// A listed rule with OSC's computed columns.
fn list_row(mut rule: Value) -> Value {
    let range = format_port_range(&rule);
    let prefix = remote_prefix(&rule);
    if let Some(m) = rule.as_object_mut() {
        m.insert("port_range".into(), Value::from(range));
        m.insert("remote_ip_prefix".into(), prefix);
    }
    rule
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    if args.flag("long") {
        host.warn("The --long option has been deprecated and is no longer needed");
    }
    let mut q = Vec::new();
    let mut cols = LIST.to_vec();
    match args.str("group") {
        Some(g) => q.push(qp(
            "security_group_id",
            id_of(&SECURITY_GROUPS.find(host, g)?),
        )),
        None => cols.push(col("Security Group", "security_group_id")),
    }
    if args.flag("ingress") {
        q.push(qp("direction", "ingress"));
    }
    if args.flag("egress") {
        q.push(qp("direction", "egress"));
    }
    if let Some(p) = args.str("protocol") {
        q.push(qp("protocol", p.to_lowercase()));
    }
    if let Some(p) = common::project(host, args)? {
        q.push(qp("project_id", p));
    }
    let (paging, max) = common::paging(args)?;
    q.extend(paging);
    let items: Vec<Value> = common::list_max(host, &RULES, &q, max)?
        .into_iter()
        .map(list_row)
        .collect();
    Ok(verbs::list_reply(&items, &cols))
}

/// A shown rule: a missing remote prefix is shown as everything of its ethertype.
fn with_prefix(mut obj: Value) -> Value {
    if obj["remote_ip_prefix"].is_null() {
        obj["remote_ip_prefix"] = remote_prefix(&obj);
    }
    obj
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    let obj = with_prefix(RULES.find(host, args.req("rule")?)?);
    Ok(common::sdk_attrs_show(
        &obj,
        SG_RULE_ATTRS,
        SG_HIDDEN,
        &[],
        &[],
    ))
}

fn default_show_obj(obj: &Value) -> Reply {
    common::sdk_attrs_show(obj, DEFAULT_ATTRS, DEFAULT_HIDDEN, &[], &[])
}

fn default_create(host: &Host, args: &Args) -> Result<Reply> {
    let remote = if let Some(g) = args.str("remote_group") {
        Some(("remote_group_id", g.to_string()))
    } else {
        args.str("remote_address_group")
            .map(|g| ("remote_address_group_id", g.to_string()))
    };
    let body = rule_body(args, remote)?
        .set("used_in_default_sg", args.flag("for_default_sg"))
        .set("used_in_non_default_sg", args.flag("for_custom_sg"));
    let body = common::with_extra(body, args)?;
    Ok(default_show_obj(
        &DEFAULT_RULES.create(host, body.into_value())?,
    ))
}

fn default_delete(host: &Host, args: &Args) -> Result<Reply> {
    common::delete_each(
        host,
        &args.list("rule"),
        "default SG rule with ID",
        "default rules",
        |r| {
            let id = DEFAULT_RULES.find_id(host, r)?;
            DEFAULT_RULES.delete(host, &id)
        },
    )
}

fn default_list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q = Vec::new();
    if args.flag("ingress") {
        q.push(qp("direction", "ingress"));
    }
    if args.flag("egress") {
        q.push(qp("direction", "egress"));
    }
    if let Some(p) = args.str("protocol") {
        q.push(qp("protocol", p.to_lowercase()));
    }
    let items: Vec<Value> = DEFAULT_RULES
        .list(host, &q)?
        .into_iter()
        .map(list_row)
        .collect();
    let cols: Vec<Col> = LIST.iter().chain(DEFAULT_LIST).copied().collect();
    Ok(verbs::list_reply(&items, &cols))
}

fn default_show(host: &Host, args: &Args) -> Result<Reply> {
    let obj = with_prefix(DEFAULT_RULES.find(host, args.req("rule")?)?);
    Ok(default_show_obj(&obj))
}

#[cfg(test)]
mod tests {
    use super::*;
    use osc_plugin_sdk::json;

    #[test]
    fn port_ranges_as_osc() {
        assert_eq!(port_range("22").unwrap(), (22, 22));
        assert_eq!(port_range("137:139").unwrap(), (137, 139));
        assert_eq!(
            port_range("9:1").unwrap_err().to_string(),
            "argument --dst-port: Invalid range, 9 is not less than 1"
        );
        assert!(port_range("1:2:3").is_err());
        let r = json!({"protocol": "tcp", "port_range_min": 22, "port_range_max": null});
        assert_eq!(format_port_range(&r), "22:22");
        let r = json!({"protocol": "icmp", "port_range_min": 8, "port_range_max": 0});
        assert_eq!(format_port_range(&r), "type=8");
        let r = json!({"protocol": null, "port_range_min": null, "port_range_max": null});
        assert_eq!(format_port_range(&r), "");
    }

    #[test]
    fn icmp_rules_refuse_ports() {
        let args = Args(
            json!({"protocol": "tcp", "icmp_type": 3})
                .as_object()
                .cloned()
                .unwrap(),
        );
        assert_eq!(
            rule_body(&args, None).unwrap_err().to_string(),
            "ICMP IP protocol required with arguments --icmp-type and --icmp-code"
        );
    }
}
