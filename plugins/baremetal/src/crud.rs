//! The Ironic resources whose commands are plain create/list/show/set/unset/delete —
//! ports, port groups, volume connectors, volume targets and deploy templates — described once
//! each (which argument feeds which field) and served by the same code, as ironicclient's
//! `osc/v1/baremetal_{port,portgroup,volume_connector,volume_target,deploy_template}.py`.

use crate::columns::*;
use crate::resource::{self, Spec};
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Result, Value};

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
            detail_query: false,
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
    },
    Crud {
        spec: Spec {
            noun: "port group",
            path: "/portgroups",
            key: "portgroups",
            columns: PORTGROUP_RESOURCE,
            detailed: PORTGROUP_DETAILED_RESOURCE,
            detail_query: false,
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
    },
    Crud {
        spec: Spec {
            noun: "volume connector",
            path: "/volume/connectors",
            key: "connectors",
            columns: VOLUME_CONNECTOR_RESOURCE,
            detailed: VOLUME_CONNECTOR_DETAILED_RESOURCE,
            detail_query: true,
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
    },
    Crud {
        spec: Spec {
            noun: "volume target",
            path: "/volume/targets",
            key: "targets",
            columns: VOLUME_TARGET_RESOURCE,
            detailed: VOLUME_TARGET_DETAILED_RESOURCE,
            detail_query: true,
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
    },
    Crud {
        spec: Spec {
            noun: "deploy template",
            path: "/deploy_templates",
            key: "deploy_templates",
            columns: DEPLOY_TEMPLATE_RESOURCE,
            detailed: DEPLOY_TEMPLATE_DETAILED_RESOURCE,
            detail_query: true,
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
    },
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    let rest = command.strip_prefix("baremetal ")?;
    // `port group create` is not `port` + `group create`: the verb is one word.
    let (crud, verb) = RESOURCES.iter().find_map(|c| {
        rest.strip_prefix(c.group)
            .and_then(|v| v.strip_prefix(' '))
            .filter(|v| !v.contains(' '))
            .map(|v| (c, v))
    })?;
    Some(match verb {
        "list" => crud.list(host, args),
        "show" => crud.show(host, args),
        "create" => crud.create(host, args),
        "delete" => crud.spec.delete(host, &args.list(crud.many)),
        "set" => crud.set(host, args),
        "unset" => crud.unset(host, args),
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
            }
        }
        self.spec.create_detailed(host, body)
    }

    fn set(&self, host: &Host, args: &Args) -> Result<Reply> {
        let mut ops = Vec::new();
        for f in self.set {
            match *f {
                Field::Str(arg, key) => {
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
