//! The Ironic resources whose commands are plain create/list/show/set/unset/delete —
//! ports, port groups, volume connectors, volume targets and deploy templates — described once
//! each (which argument feeds which field) and served by the same code, as ironicclient's
//! `osc/v1/baremetal_{port,portgroup,volume_connector,volume_target,deploy_template}.py`.

use crate::columns::*;
use crate::resource::{self, Detail, Spec};
use osc_plugin_sdk::{json, Args, Error, Host, Map, Poll, Reply, Result, Value, Wait};
use std::time::Duration;

/// How one argument reaches the object.
#[derive(Clone, Copy)]
enum Field {
    /// A string field (`--name` to `name`; in `set`, `name=<value>`, deserialised).
    Str(&'static str, &'static str),
    /// A string field set quoted (`mode="<value>"`), never deserialised.
    Quoted(&'static str, &'static str),
    /// `key=value` pairs into a dictionary field (`--extra` to `extra`).
    Dict(&'static str, &'static str),
    /// A JSON argument (inline, file, `-`) (`--steps` to `steps`).
    Json(&'static str, &'static str, &'static str),
    /// A pair of switches for a boolean field (`--support-standalone-ports`).
    Switch(&'static str, &'static str, &'static str),
    /// A string field sent as JSON when it parses (`--priority 10` as a number).
    Parsed(&'static str, &'static str),
    /// A repeated argument into a list field (`--trait` to `traits`).
    List(&'static str, &'static str),
    /// A boolean given as a word (`--public yes`), strictly (ironicclient's
    /// `bool_argument_value`).
    Bool(&'static str, &'static str),
}

struct Crud {
    spec: Spec,
    /// The command group (`port group`) and positional names of show/set/unset and delete.
    group: &'static str,
    one: &'static str,
    many: &'static str,
    create: &'static [Field],
    set: &'static [Field],
    /// `unset` switches removing a field, and dictionaries whose keys are removed.
    unset: &'static [(&'static str, &'static str)],
    unset_dicts: &'static [(&'static str, &'static str)],
    /// `unset` switches that set a boolean field to false (`--is-smartnic`).
    unset_false: &'static [(&'static str, &'static str)],
    /// `list` filters: argument to query parameter (lists joined by commas).
    filters: &'static [(&'static str, &'static str)],
    /// `show --address` looks the object up by address.
    by_address: bool,
    /// `create` needs one of these arguments, else this message.
    requires: Option<(&'static [&'static str], &'static str)>,
}

/// A resource with only listings and shows (conductors, shards).
const fn read_only(spec: Spec, group: &'static str, one: &'static str) -> Crud {
    Crud {
        spec,
        group,
        one,
        many: one,
        create: &[],
        set: &[],
        unset: &[],
        unset_dicts: &[],
        unset_false: &[],
        filters: &[],
        by_address: false,
        requires: None,
    }
}

const EXTRA: Field = Field::Dict("extra", "extra");

const RESOURCES: &[Crud] = &[
    Crud {
        spec: Spec {
            noun: "port",
            path: "/ports",
            key: "ports",
            columns: PORT_RESOURCE,
            detailed: PORT_DETAILED_RESOURCE,
            detail: Detail::Path,
            hidden: &["links"],
        },
        group: "port",
        one: "port",
        many: "ports",
        create: &[
            Field::Str("address", "address"),
            Field::Str("node", "node_uuid"),
            Field::Str("uuid", "uuid"),
            EXTRA,
            Field::Dict("local_link_connection", "local_link_connection"),
            Field::Str("pxe_enabled", "pxe_enabled"),
            Field::Str("port_group", "portgroup_uuid"),
            Field::Str("physical_network", "physical_network"),
            Field::Switch("is_smartnic", "", "is_smartnic"),
            Field::Str("name", "name"),
            Field::Str("description", "description"),
            Field::Str("vendor", "vendor"),
            Field::Str("category", "category"),
        ],
        set: &[
            Field::Str("node", "node_uuid"),
            Field::Str("address", "address"),
            EXTRA,
            Field::Str("port_group", "portgroup_uuid"),
            Field::Dict("local_link_connection", "local_link_connection"),
            Field::Switch("pxe_enabled", "pxe_disabled", "pxe_enabled"),
            Field::Str("physical_network", "physical_network"),
            Field::Switch("is_smartnic", "", "is_smartnic"),
            Field::Str("name", "name"),
            Field::Str("description", "description"),
            Field::Str("vendor", "vendor"),
            Field::Str("category", "category"),
        ],
        unset: &[
            ("port_group", "portgroup_uuid"),
            ("physical_network", "physical_network"),
            ("name", "name"),
            ("description", "description"),
            ("vendor", "vendor"),
            ("category", "category"),
        ],
        unset_dicts: &[
            ("extra", "extra"),
            ("local_link_connection", "local_link_connection"),
        ],
        unset_false: &[("is_smartnic", "is_smartnic")],
        filters: &[
            ("address", "address"),
            ("node", "node"),
            ("port_group", "portgroup"),
        ],
        by_address: true,
        requires: None,
    },
    Crud {
        spec: Spec {
            noun: "port group",
            path: "/portgroups",
            key: "portgroups",
            columns: PORTGROUP_RESOURCE,
            detailed: PORTGROUP_DETAILED_RESOURCE,
            detail: Detail::Path,
            hidden: &["links", "ports"],
        },
        group: "port group",
        one: "portgroup",
        many: "portgroups",
        create: &[
            Field::Str("node", "node_uuid"),
            Field::Str("address", "address"),
            Field::Str("name", "name"),
            Field::Str("uuid", "uuid"),
            EXTRA,
            Field::Str("mode", "mode"),
            Field::Dict("property", "properties"),
            Field::Switch(
                "support_standalone_ports",
                "unsupport_standalone_ports",
                "standalone_ports_supported",
            ),
            Field::Str("physical_network", "physical_network"),
            Field::Str("category", "category"),
        ],
        set: &[
            Field::Str("node", "node_uuid"),
            Field::Str("address", "address"),
            Field::Str("name", "name"),
            Field::Str("physical_network", "physical_network"),
            Field::Str("category", "category"),
            Field::Switch(
                "support_standalone_ports",
                "unsupport_standalone_ports",
                "standalone_ports_supported",
            ),
            Field::Quoted("mode", "mode"),
            EXTRA,
            Field::Dict("property", "properties"),
        ],
        unset: &[
            ("name", "name"),
            ("address", "address"),
            ("physical_network", "physical_network"),
            ("category", "category"),
        ],
        unset_dicts: &[("extra", "extra"), ("property", "properties")],
        unset_false: &[],
        filters: &[
            ("address", "address"),
            ("node", "node"),
            ("shards", "shard"),
        ],
        by_address: true,
        requires: None,
    },
    Crud {
        spec: Spec {
            noun: "volume connector",
            path: "/volume/connectors",
            key: "connectors",
            columns: VOLUME_CONNECTOR_RESOURCE,
            detailed: VOLUME_CONNECTOR_DETAILED_RESOURCE,
            detail: Detail::Query,
            hidden: &["links"],
        },
        group: "volume connector",
        one: "volume_connector",
        many: "volume_connectors",
        create: &[
            Field::Str("node", "node_uuid"),
            Field::Str("type", "type"),
            Field::Str("connector_id", "connector_id"),
            Field::Str("uuid", "uuid"),
            EXTRA,
        ],
        set: &[
            Field::Str("node", "node_uuid"),
            Field::Str("type", "type"),
            Field::Str("connector_id", "connector_id"),
            EXTRA,
        ],
        unset: &[],
        unset_dicts: &[("extra", "extra")],
        unset_false: &[],
        filters: &[("node", "node")],
        by_address: false,
        requires: None,
    },
    Crud {
        spec: Spec {
            noun: "volume target",
            path: "/volume/targets",
            key: "targets",
            columns: VOLUME_TARGET_RESOURCE,
            detailed: VOLUME_TARGET_DETAILED_RESOURCE,
            detail: Detail::Query,
            hidden: &["links"],
        },
        group: "volume target",
        one: "volume_target",
        many: "volume_targets",
        create: &[
            Field::Str("node", "node_uuid"),
            Field::Str("type", "volume_type"),
            Field::Dict("property", "properties"),
            Field::Str("boot_index", "boot_index"),
            Field::Str("volume_id", "volume_id"),
            Field::Str("uuid", "uuid"),
            EXTRA,
        ],
        set: &[
            Field::Str("node", "node_uuid"),
            Field::Str("type", "volume_type"),
            Field::Str("boot_index", "boot_index"),
            Field::Str("volume_id", "volume_id"),
            Field::Dict("property", "properties"),
            EXTRA,
        ],
        unset: &[],
        unset_dicts: &[("extra", "extra"), ("property", "properties")],
        unset_false: &[],
        filters: &[("node", "node")],
        by_address: false,
        requires: None,
    },
    Crud {
        spec: Spec {
            noun: "deploy template",
            path: "/deploy_templates",
            key: "deploy_templates",
            columns: DEPLOY_TEMPLATE_RESOURCE,
            detailed: DEPLOY_TEMPLATE_DETAILED_RESOURCE,
            detail: Detail::Query,
            hidden: &["links"],
        },
        group: "deploy template",
        one: "template",
        many: "templates",
        create: &[
            Field::Json("steps", "steps", "deploy steps"),
            Field::Str("name", "name"),
            Field::Str("uuid", "uuid"),
            EXTRA,
        ],
        set: &[
            Field::Str("name", "name"),
            Field::Json("steps", "steps", "deploy steps"),
            EXTRA,
        ],
        unset: &[],
        unset_dicts: &[("extra", "extra")],
        unset_false: &[],
        filters: &[],
        by_address: false,
        requires: None,
    },
    Crud {
        spec: Spec {
            noun: "allocation",
            path: "/allocations",
            key: "allocations",
            columns: ALLOCATION_RESOURCE,
            detailed: ALLOCATION_DETAILED_RESOURCE,
            // The allocation API has no `detail`; ironicclient emulates `--long`.
            detail: Detail::Client,
            hidden: &["links"],
        },
        group: "allocation",
        one: "allocation",
        many: "allocations",
        create: &[
            Field::Str("resource_class", "resource_class"),
            Field::List("trait", "traits"),
            Field::List("candidate_node", "candidate_nodes"),
            Field::Str("name", "name"),
            Field::Str("uuid", "uuid"),
            Field::Str("owner", "owner"),
            EXTRA,
            Field::Str("node", "node"),
        ],
        set: &[Field::Str("name", "name"), EXTRA],
        unset: &[("name", "name")],
        unset_dicts: &[("extra", "extra")],
        unset_false: &[],
        filters: &[
            ("node", "node"),
            ("resource_class", "resource_class"),
            ("state", "state"),
            ("owner", "owner"),
        ],
        by_address: false,
        requires: Some((
            &["node", "resource_class"],
            "--resource-class is required except when --node is used",
        )),
    },
    Crud {
        spec: Spec {
            noun: "runbook",
            path: "/runbooks",
            key: "runbooks",
            columns: RUNBOOK_RESOURCE,
            detailed: RUNBOOK_DETAILED_RESOURCE,
            detail: Detail::Query,
            hidden: &["links"],
        },
        group: "runbook",
        one: "runbook",
        many: "runbooks",
        create: &[
            Field::Str("name", "name"),
            Field::Str("uuid", "uuid"),
            Field::Str("owner", "owner"),
            Field::Bool("public", "public"),
            EXTRA,
            Field::Switch("disable_ramdisk", "", "disable_ramdisk"),
            Field::Str("description", "description"),
            Field::Json("steps", "steps", "runbook steps"),
        ],
        set: &[
            Field::Str("name", "name"),
            Field::Str("description", "description"),
            Field::Str("owner", "owner"),
            Field::Bool("public", "public"),
            Field::Json("steps", "steps", "runbook steps"),
            EXTRA,
            Field::Bool("disable_ramdisk", "disable_ramdisk"),
        ],
        unset: &[
            ("name", "name"),
            ("owner", "owner"),
            ("public", "public"),
            ("disable_ramdisk", "disable_ramdisk"),
            ("description", "description"),
        ],
        unset_dicts: &[("extra", "extra")],
        unset_false: &[],
        filters: &[],
        by_address: false,
        requires: None,
    },
    Crud {
        spec: Spec {
            noun: "rule",
            path: "/inspection_rules",
            key: "inspection_rules",
            columns: INSPECTION_RULE_RESOURCE,
            detailed: INSPECTION_RULE_DETAILED_RESOURCE,
            detail: Detail::Query,
            hidden: &["links"],
        },
        group: "inspection rule",
        one: "rule",
        many: "rules",
        create: &[
            Field::Str("uuid", "uuid"),
            Field::Str("description", "description"),
            // ironicclient sends these as strings, which Ironic refuses.
            Field::Parsed("priority", "priority"),
            Field::Bool("sensitive", "sensitive"),
            Field::Str("phase", "phase"),
            Field::Json("actions", "actions", "rule actions"),
            Field::Json("conditions", "conditions", "rule conditions"),
        ],
        set: &[
            Field::Str("description", "description"),
            Field::Str("priority", "priority"),
            Field::Str("phase", "phase"),
            Field::Json("actions", "actions", "rule actions"),
            Field::Json("conditions", "conditions", "rule conditions"),
        ],
        unset: &[
            ("description", "description"),
            ("priority", "priority"),
            ("phase", "phase"),
        ],
        // As ironicclient: `--action x` removes `/action/x`.
        unset_dicts: &[("action", "action"), ("condition", "condition")],
        unset_false: &[],
        filters: &[],
        by_address: false,
        requires: None,
    },
    read_only(
        Spec {
            noun: "conductor",
            path: "/conductors",
            key: "conductors",
            columns: CONDUCTOR_RESOURCE,
            detailed: CONDUCTOR_DETAILED_RESOURCE,
            detail: Detail::Query,
            hidden: &["links"],
        },
        "conductor",
        "conductor",
    ),
    read_only(
        Spec {
            noun: "shard",
            path: "/shards",
            key: "shards",
            columns: SHARD_RESOURCE,
            detailed: SHARD_RESOURCE,
            detail: Detail::Path,
            hidden: &[],
        },
        "shard",
        "shard",
    ),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    let rest = command.strip_prefix("baremetal ")?;
    // `port group create` is not `port` + `group create`: the verb is one word.
    let (crud, verb) = RESOURCES.iter().find_map(|c| {
        rest.strip_prefix(c.group)
            .and_then(|v| v.strip_prefix(' '))
            .filter(|v| !v.contains(' ') || v.starts_with("trait "))
            .map(|v| (c, v))
    })?;
    Some(match verb {
        "list" => crud.list(host, args),
        "show" => crud.show(host, args),
        "create" => crud.create(host, args),
        "delete" => crud.spec.delete(host, &args.list(crud.many)),
        "set" => crud.set(host, args),
        "unset" => crud.unset(host, args),
        "trait list" | "trait add" | "trait remove" => {
            let all = format!("Removed all traits from {}", crud.spec.noun);
            let verb = verb.trim_start_matches("trait ");
            resource::trait_command(host, args, crud.spec.path, crud.one, verb, Some(&all))
        }
        _ => return None,
    })
}

impl Crud {
    fn list(&self, host: &Host, args: &Args) -> Result<Reply> {
        let mut q = Vec::new();
        for (arg, key) in self.filters {
            let v = args.list(arg);
            if !v.is_empty() {
                q.push((key.to_string(), v.join(",")));
            }
        }
        self.spec.list(host, args, q)
    }

    fn show(&self, host: &Host, args: &Args) -> Result<Reply> {
        let id = args.req(self.one)?;
        if !(self.by_address && args.flag("address")) {
            return self.spec.show(host, args, id);
        }
        let mut req =
            resource::request("GET", format!("{}/detail", self.spec.path)).query("address", id);
        if let Some(f) = crate::fields::selected(args) {
            req = req.query("fields", f.join(","));
        }
        let body = host.request(req)?.ok()?.json()?;
        let found = body[self.spec.key]
            .as_array()
            .and_then(|a| a.first().cloned())
            .ok_or_else(|| {
                Error::NotFound(format!("{} with address {id} not found", self.spec.noun))
            })?;
        Ok(self.spec.reply(found))
    }

    fn create(&self, host: &Host, args: &Args) -> Result<Reply> {
        if let Some((any, message)) = self.requires {
            if !any.iter().any(|a| args.has(a)) {
                return Err((*message).into());
            }
        }
        let mut body = Map::new();
        for f in self.create {
            match *f {
                Field::Str(arg, key) | Field::Quoted(arg, key) => {
                    // Numbers (`--boot-index`, typed int) stay numbers.
                    if let Some(v) = args.value(arg) {
                        body.insert(key.into(), v.clone());
                    }
                }
                Field::Dict(arg, key) => {
                    if let Some(d) = resource::kv_dict(args, arg)? {
                        body.insert(key.into(), d);
                    }
                }
                Field::Json(arg, key, what) => {
                    if let Some(v) = args.str(arg) {
                        body.insert(key.into(), json_arg(v, what)?);
                    }
                }
                Field::Switch(on, off, key) => {
                    if args.flag(on) {
                        body.insert(key.into(), json!(true));
                    } else if args.flag(off) {
                        body.insert(key.into(), json!(false));
                    }
                }
                Field::List(arg, key) => {
                    if args.has(arg) {
                        body.insert(key.into(), json!(args.list(arg)));
                    }
                }
                Field::Parsed(arg, key) => {
                    if let Some(v) = args.str(arg) {
                        body.insert(
                            key.into(),
                            resource::split_and_deserialize(&format!("{key}={v}"))?.1,
                        );
                    }
                }
                Field::Bool(arg, key) => {
                    if let Some(v) = args.str(arg) {
                        body.insert(key.into(), json!(strict_bool(arg, v)?));
                    }
                }
            }
        }
        let created = self.spec.post(host, body)?;
        match args.int("wait")? {
            Some(timeout) if self.spec.noun == "allocation" => {
                let id = created["uuid"].as_str().unwrap_or_default().to_string();
                let done = wait_allocation(host, &self.spec, &id, timeout)?;
                Ok(self.spec.detailed_reply(&done))
            }
            _ => Ok(self.spec.detailed_reply(&created)),
        }
    }

    fn set(&self, host: &Host, args: &Args) -> Result<Reply> {
        let mut ops = Vec::new();
        for f in self.set {
            match *f {
                Field::Str(arg, key) | Field::Parsed(arg, key) => {
                    if let Some(v) = scalar(args, arg).filter(|v| !v.is_empty()) {
                        ops.push(resource::add(&format!("{key}={v}"))?);
                    }
                }
                Field::Quoted(arg, key) => {
                    if let Some(v) = args.str(arg).filter(|v| !v.is_empty()) {
                        ops.push(json!({"op": "add", "path": format!("/{key}"), "value": v}));
                    }
                }
                Field::Dict(arg, key) => {
                    for kv in args.list(arg) {
                        ops.push(resource::add(&format!("{key}/{kv}"))?);
                    }
                }
                Field::Json(arg, key, what) => {
                    if let Some(v) = args.str(arg) {
                        let value = json_arg(v, what)?;
                        ops.push(json!({"op": "add", "path": format!("/{key}"), "value": value}));
                    }
                }
                Field::Switch(on, off, key) => {
                    if args.flag(on) {
                        ops.push(resource::add(&format!("{key}=True"))?);
                    } else if args.flag(off) {
                        ops.push(resource::add(&format!("{key}=False"))?);
                    }
                }
                Field::List(arg, key) => {
                    if args.has(arg) {
                        let v = json!(args.list(arg));
                        ops.push(json!({"op": "add", "path": format!("/{key}"), "value": v}));
                    }
                }
                Field::Bool(arg, key) => {
                    if let Some(v) = args.str(arg) {
                        let v = strict_bool(arg, v)?;
                        ops.push(json!({"op": "add", "path": format!("/{key}"), "value": v}));
                    }
                }
            }
        }
        self.spec.patch(host, args.req(self.one)?, ops, "set")
    }

    fn unset(&self, host: &Host, args: &Args) -> Result<Reply> {
        let mut ops = Vec::new();
        for (flag, field) in self.unset {
            if args.flag(flag) {
                ops.push(resource::remove(field));
            }
        }
        for (arg, dict) in self.unset_dicts {
            for k in args.list(arg) {
                ops.push(resource::remove(&format!("{dict}/{k}")));
            }
        }
        for (flag, field) in self.unset_false {
            if args.flag(flag) {
                ops.push(resource::add(&format!("{field}=False"))?);
            }
        }
        self.spec.patch(host, args.req(self.one)?, ops, "unset")
    }
}

/// A string or number argument as text (`--boot-index 0` is typed int).
fn scalar(args: &Args, name: &str) -> Option<String> {
    match args.value(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn json_arg(v: &str, what: &str) -> Result<Value> {
    crate::node::json_arg(v, what)
}

/// oslo's strict `bool_from_string`, with ironicclient's message.
fn strict_bool(arg: &str, v: &str) -> Result<bool> {
    match v.trim().to_lowercase().as_str() {
        "1" | "t" | "true" | "on" | "y" | "yes" => Ok(true),
        "0" | "f" | "false" | "off" | "n" | "no" => Ok(false),
        _ => Err(format!(
            "argument --{}: Unrecognized value '{v}', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'.",
            arg.replace('_', "-")
        )
        .into()),
    }
}

/// ironicclient's `allocation.wait`: polls until the allocation is active; its
/// `last_error` when it fails. Timeout 0 waits for ever.
fn wait_allocation(host: &Host, spec: &Spec, id: &str, timeout: i64) -> Result<Value> {
    let limit = if timeout <= 0 {
        100 * 365 * 86400
    } else {
        timeout as u64
    };
    let r = Wait::new(format!("allocation {id}"))
        .timeout(Duration::from_secs(limit))
        .interval(Duration::from_millis(500), Duration::from_secs(1))
        .poll(|| {
            let a: Value = host
                .request(resource::request("GET", spec.item(id)))?
                .ok()?
                .json()?;
            match a["state"].as_str().unwrap_or("") {
                "active" => Ok(Poll::Done(a)),
                "error" => Err(format!(
                    "Allocation {id} failed: {}",
                    a["last_error"].as_str().unwrap_or("None")
                )
                .into()),
                s => Ok(Poll::pending(s.to_string())),
            }
        });
    r.map_err(|e| match e {
        Error::Other(m) if m.starts_with("Timed out after") => Error::other(format!(
            "Allocation {id} failed to become active in {timeout} seconds"
        )),
        e => e,
    })
}
