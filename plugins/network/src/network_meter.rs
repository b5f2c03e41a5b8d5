//! `network meter *` and `network meter rule *`: python-openstackclient's
//! `network/v2/network_meter.py` and `network_meter_rule.py` (metering labels and their
//! rules).

use crate::common::{self, Attrs, NET};
use osc_plugin_sdk::verbs::{col, Body, Col};
use osc_plugin_sdk::{Args, Host, Reply, Resource, Result, Value};

pub const METERS: Resource = Resource::new(
    NET,
    "/metering/metering-labels",
    "metering_label",
    "metering_labels",
)
.display("meter")
.sdk("MeteringLabel");

pub const METER_RULES: Resource = Resource::new(
    NET,
    "/metering/metering-label-rules",
    "metering_label_rule",
    "metering_label_rules",
)
.display("meter rule")
.sdk("MeteringLabelRule")
.name_query(None);

const ATTRS: Attrs = &[
    ("id", "id"),
    ("name", "name"),
    ("description", "description"),
    ("project_id", "project_id"),
    ("tenant_id", "tenant_id"),
    ("is_shared", "shared"),
];
const RULE_ATTRS: Attrs = &[
    ("id", "id"),
    ("name", "name"),
    ("direction", "direction"),
    ("is_excluded", "excluded"),
    ("metering_label_id", "metering_label_id"),
    ("project_id", "project_id"),
    ("tenant_id", "tenant_id"),
    ("remote_ip_prefix", "remote_ip_prefix"),
    ("source_ip_prefix", "source_ip_prefix"),
    ("destination_ip_prefix", "destination_ip_prefix"),
];
const HIDDEN: &[&str] = &["location", "tenant_id"];

/// OSC reads `shared` and `excluded` from the SDK objects, whose attributes are `is_shared`
/// and `is_excluded`: those columns are always empty.
const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Description", "description"),
    col("Shared", "-"),
];
const RULE_LIST: &[Col] = &[
    col("ID", "id"),
    col("Excluded", "-"),
    col("Direction", "direction"),
    col("Remote IP Prefix", "remote_ip_prefix"),
    col("Source IP Prefix", "source_ip_prefix"),
    col("Destination IP Prefix", "destination_ip_prefix"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "network meter create" => create(host, args),
        "network meter delete" => {
            common::delete_each(host, &args.list("meter"), "meter with ID", "meters", |m| {
                let id = METERS.find_id(host, m)?;
                METERS.delete(host, &id)
            })
        }
        "network meter list" => list(host, args, &METERS, LIST),
        "network meter show" => show(
            host,
            &METERS,
            args.req("meter"),
            ATTRS,
            &[("is_shared", "shared")],
        ),
        "network meter rule create" => rule_create(host, args),
        "network meter rule delete" => common::delete_each(
            host,
            &args.list("meter_rule_id"),
            "meter rule with ID",
            "meter rules",
            |r| {
                let id = METER_RULES.find_id(host, r)?;
                METER_RULES.delete(host, &id)
            },
        ),
        "network meter rule list" => list(host, args, &METER_RULES, RULE_LIST),
        "network meter rule show" => show(
            host,
            &METER_RULES,
            args.req("meter_rule_id"),
            RULE_ATTRS,
            &[],
        ),
        _ => return None,
    })
}

fn show(
    host: &Host,
    r: &Resource,
    name: Result<&str>,
    attrs: Attrs,
    renames: &[(&str, &str)],
) -> Result<Reply> {
    let obj = r.find(host, name?)?;
    Ok(common::sdk_attrs_show(&obj, attrs, HIDDEN, renames, &[]))
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let body = Body::new()
        .arg("description", args, "description")
        .opt("project_id", common::project(host, args)?)
        .opt("shared", common::either(args, "share", "no_share"))
        .arg("name", args, "name");
    let obj = METERS.create(host, common::with_extra(body, args)?.into_value())?;
    Ok(common::sdk_attrs_show(
        &obj,
        ATTRS,
        HIDDEN,
        &[("is_shared", "shared")],
        &[],
    ))
}

/// A listing; the `-` columns are those OSC cannot read (shown as `""`).
fn list(host: &Host, args: &Args, r: &Resource, cols: &[Col]) -> Result<Reply> {
    let mut q = Vec::new();
    let (paging, max) = common::paging(args)?;
    q.extend(paging);
    let items = common::list_max(host, r, &q, max)?;
    let rows = items
        .iter()
        .map(|i| {
            cols.iter()
                .map(|c| match c.field {
                    "-" => Value::from(""),
                    f => i.get(f).cloned().unwrap_or(Value::Null),
                })
                .collect()
        })
        .collect();
    Ok(Reply::list(cols.iter().map(|c| c.header)).rows(rows))
}

fn rule_create(host: &Host, args: &Args) -> Result<Reply> {
    let meter = METERS.find_id(host, args.req("meter")?)?;
    let direction = if args.flag("egress") {
        "egress"
    } else {
        "ingress"
    };
    let body = Body::new()
        .opt("excluded", common::either(args, "exclude", "include"))
        .set("direction", direction)
        .arg("remote_ip_prefix", args, "remote_ip_prefix")
        .arg("source_ip_prefix", args, "source_ip_prefix")
        .arg("destination_ip_prefix", args, "destination_ip_prefix")
        .set("metering_label_id", meter)
        .opt("project_id", common::project(host, args)?);
    let obj = METER_RULES.create(host, common::with_extra(body, args)?.into_value())?;
    Ok(common::sdk_attrs_show(&obj, RULE_ATTRS, HIDDEN, &[], &[]))
}
