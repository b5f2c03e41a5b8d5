//! `network qos rule *` and `network qos rule type *`: python-openstackclient's
//! `network/v2/network_qos_rule.py` and `network_qos_rule_type.py`.

use crate::common::QOSPOLICIES;
use crate::common::{self, qp, Attrs, NET};
use osc_plugin_sdk::verbs::{self, col, Body, Col};
use osc_plugin_sdk::{Args, Error, Host, Map, Reply, Request, Resource, Result, Value};

/// A rule type: its name, its collection under a policy, its JSON key, the arguments it
/// requires and those it also accepts (OSC's MANDATORY_ and OPTIONAL_PARAMETERS), and the
/// attributes its SDK class declares.
struct RuleType {
    name: &'static str,
    collection: &'static str,
    key: &'static str,
    required: &'static [&'static str],
    optional: &'static [&'static str],
    attrs: Attrs,
}

const TYPES: &[RuleType] = &[
    RuleType {
        name: "minimum-bandwidth",
        collection: "minimum_bandwidth_rules",
        key: "minimum_bandwidth_rule",
        required: &["min_kbps", "direction"],
        optional: &[],
        attrs: &[
            ("id", "id"),
            ("name", "name"),
            ("min_kbps", "min_kbps"),
            ("direction", "direction"),
        ],
    },
    RuleType {
        name: "minimum-packet-rate",
        collection: "minimum_packet_rate_rules",
        key: "minimum_packet_rate_rule",
        required: &["min_kpps", "direction"],
        optional: &[],
        attrs: &[
            ("id", "id"),
            ("name", "name"),
            ("direction", "direction"),
            ("min_kpps", "min_kpps"),
        ],
    },
    RuleType {
        name: "dscp-marking",
        collection: "dscp_marking_rules",
        key: "dscp_marking_rule",
        required: &["dscp_mark"],
        optional: &[],
        attrs: &[("id", "id"), ("name", "name"), ("dscp_mark", "dscp_mark")],
    },
    RuleType {
        name: "bandwidth-limit",
        collection: "bandwidth_limit_rules",
        key: "bandwidth_limit_rule",
        required: &["max_kbps"],
        optional: &["direction", "max_burst_kbps"],
        attrs: &[
            ("id", "id"),
            ("name", "name"),
            ("max_kbps", "max_kbps"),
            ("max_burst_kbps", "max_burst_kbps"),
            ("direction", "direction"),
        ],
    },
];

impl RuleType {
    fn of(name: &str) -> Option<&'static RuleType> {
        TYPES.iter().find(|t| t.name == name)
    }
    fn path(&self, policy: &str, rule: Option<&str>) -> String {
        let base = format!("{}/{}", QOSPOLICIES.item_path(policy), self.collection);
        match rule {
            Some(r) => format!(
                "{base}/{}",
                osc_plugin_sdk::osc_api::resource::encode_segment(r)
            ),
            None => base,
        }
    }
    /// The rule as OSC shows it: every field but `name` and `tenant_id`, sorted.
    fn show(&self, obj: &Value) -> Reply {
        common::sdk_attrs_show(
            obj,
            self.attrs,
            &["location", "name", "tenant_id"],
            &[],
            &[],
        )
    }
}

pub const RULE_TYPES: Resource = Resource::new(NET, "/qos/rule-types", "rule_type", "rule_types")
    .display("QoS rule type")
    .sdk("QoSRuleType");

const LIST: &[Col] = &[
    col("ID", "id"),
    col("QoS Policy ID", "qos_policy_id"),
    col("Type", "type"),
    col("Max Kbps", "max_kbps"),
    col("Max Burst Kbits", "max_burst_kbps"),
    col("Min Kbps", "min_kbps"),
    col("Min Kpps", "min_kpps"),
    col("DSCP mark", "dscp_mark"),
    col("Direction", "direction"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "network qos rule create" => create(host, args)
            .map_err(|e| Error::other(format!("Failed to create Network QoS rule: {e}"))),
        "network qos rule delete" => delete(host, args),
        "network qos rule list" => list(host, args),
        "network qos rule set" => set(host, args),
        "network qos rule show" => show(host, args),
        "network qos rule type list" => type_list(host, args),
        "network qos rule type show" => type_show(host, args),
        _ => return None,
    })
}

/// The type of the policy's rule `id` (`_find_rule_type`).
fn rule_type_of(policy: &Value, id: &str) -> Option<&'static RuleType> {
    policy["rules"]
        .as_array()?
        .iter()
        .find(|r| r["id"].as_str() == Some(id))
        .and_then(|r| r["type"].as_str())
        .and_then(|t| RuleType::of(&t.replace('_', "-")))
}

/// OSC's `_get_attrs` for a rule of type `ty` (checked as `_check_type_parameters`).
fn rule_attrs(args: &Args, ty: &RuleType, create: bool) -> Result<Body> {
    let mut body = Body::new()
        .opt("max_kbps", args.int("max_kbps")?)
        .opt("max_burst_kbps", args.int("max_burst_kbits")?)
        .opt("dscp_mark", args.int("dscp_mark")?)
        .opt("min_kbps", args.int("min_kbps")?)
        .opt("min_kpps", args.int("min_kpps")?);
    if args.flag("ingress") {
        body = body.set("direction", "ingress");
    }
    if args.flag("egress") {
        body = body.set("direction", "egress");
    }
    if args.flag("any") {
        if ty.name != "minimum-packet-rate" {
            return Err(Error::other(
                "Direction \"any\" can only be used with minimum-packet-rate rule type",
            ));
        }
        body = body.set("direction", "any");
    }
    let mut own: Vec<&str> = ty.required.iter().chain(ty.optional).copied().collect();
    own.sort();
    if create && ty.required.iter().any(|k| !body.0.contains_key(*k)) {
        let mut req = ty.required.to_vec();
        req.sort();
        return Err(Error::other(format!(
            "\"Create\" rule command for type \"{}\" requires arguments: {}",
            ty.name,
            req.join(", ")
        )));
    }
    let others = TYPES
        .iter()
        .filter(|t| t.name != ty.name)
        .flat_map(|t| t.required.iter())
        .filter(|k| !own.contains(k));
    if others.clone().any(|k| body.0.contains_key(*k)) {
        return Err(Error::other(format!(
            "Rule type \"{}\" only requires arguments: {}",
            ty.name,
            own.join(", ")
        )));
    }
    Ok(body)
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let policy = QOSPOLICIES.find_id(host, args.req("qos_policy")?)?;
    let name = args.req("type")?;
    let ty = RuleType::of(name)
        .ok_or_else(|| Error::other(format!("argument --type: invalid choice: '{name}'")))?;
    let body = common::with_extra(rule_attrs(args, ty, true)?, args)?;
    let req = Request::post(NET, ty.path(&policy, None)).json(Value::Object(Map::from_iter([(
        ty.key.to_string(),
        body.into_value(),
    )])));
    let v = host.request(req)?.ok()?.json()?;
    Ok(ty.show(&v[ty.key]))
}

/// The policy and the type of its rule `id`; `missing` is the error when it has none.
fn policy_rule(host: &Host, args: &Args, missing: &str) -> Result<(String, &'static RuleType)> {
    let policy = QOSPOLICIES.find(host, args.req("qos_policy")?)?;
    let ty = rule_type_of(&policy, args.req("id")?).ok_or_else(|| Error::other(missing))?;
    Ok((policy["id"].as_str().unwrap_or_default().to_string(), ty))
}

fn delete(host: &Host, args: &Args) -> Result<Reply> {
    let id = args.req("id")?;
    let run = || -> Result<()> {
        let (policy, ty) = policy_rule(host, args, &format!("Rule {id} not found"))?;
        host.request(Request::delete(NET, ty.path(&policy, Some(id))))?
            .ok()
            .map(drop)
    };
    run().map(|_| Reply::None).map_err(|e| {
        Error::other(format!(
            "Failed to delete Network QoS rule ID \"{id}\": {e}"
        ))
    })
}

fn get_rule(host: &Host, policy: &str, ty: &RuleType, id: &str) -> Result<Value> {
    let v = host
        .request(Request::get(NET, ty.path(policy, Some(id))))?
        .ok()?
        .json()?;
    Ok(v[ty.key].clone())
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let id = args.req("id")?;
    let run = || -> Result<()> {
        let (policy, ty) = policy_rule(host, args, "Rule not found")?;
        let body = common::with_extra(rule_attrs(args, ty, false)?, args)?;
        get_rule(host, &policy, ty, id)?;
        if !body.is_empty() {
            let wrapped = Value::Object(Map::from_iter([(ty.key.to_string(), body.into_value())]));
            host.request(Request::put(NET, ty.path(&policy, Some(id))).json(wrapped))?
                .ok()?;
        }
        Ok(())
    };
    run()
        .map(|_| Reply::None)
        .map_err(|e| Error::other(format!("Failed to set Network QoS rule ID \"{id}\": {e}")))
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    let id = args.req("id")?;
    let run = || -> Result<Reply> {
        let (policy, ty) = policy_rule(host, args, "Rule not found")?;
        Ok(ty.show(&get_rule(host, &policy, ty, id)?))
    };
    run().map_err(|e| Error::other(format!("Failed to show Network QoS rule ID \"{id}\": {e}")))
}

/// The policy's rules, a missing field shown as `""` (osc_lib's `get_dict_properties`).
fn list(host: &Host, args: &Args) -> Result<Reply> {
    let policy = QOSPOLICIES.find(host, args.req("qos_policy")?)?;
    let rows = policy["rules"]
        .as_array()
        .map(|rules| {
            rules
                .iter()
                .map(|r| {
                    LIST.iter()
                        .map(|c| r.get(c.field).cloned().unwrap_or_else(|| Value::from("")))
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Reply::list(LIST.iter().map(|c| c.header)).rows(rows))
}

fn type_list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q = Vec::new();
    let (paging, max) = common::paging(args)?;
    q.extend(paging);
    if args.flag("all_supported") {
        q.push(qp("all_supported", "True"));
    } else if args.flag("all_rules") {
        q.push(qp("all_rules", "True"));
    }
    let items = common::list_max(host, &RULE_TYPES, &q, max)?;
    Ok(verbs::list_reply(&items, &[col("Type", "type")]))
}

/// `GET /qos/rule-types/<type>`, shown as OSC: every field but `id`, `type` as
/// `rule_type_name`.
fn type_show(host: &Host, args: &Args) -> Result<Reply> {
    let obj = RULE_TYPES.get(host, args.req("rule_type")?)?;
    let attrs: Attrs = &[
        ("id", "id"),
        ("name", "name"),
        ("type", "type"),
        ("drivers", "drivers"),
    ];
    let hidden = &["id", "location", "name", "tenant_id"];
    Ok(common::sdk_attrs_show(
        &obj,
        attrs,
        hidden,
        &[("type", "rule_type_name")],
        &[],
    ))
}
