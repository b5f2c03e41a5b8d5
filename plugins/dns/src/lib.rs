//! osc plugin for Designate: python-designateclient 7.0's OSC commands (`zone`, `recordset`,
//! `ptr record`, `tld`, `tsigkey`, `dns quota`, `dns service`, `dns limit`) on the SDK.
//! `manifest.json` is written from designateclient's own parsers for the commands in
//! `commands.txt` (`plugins/tools/manifest_from_osc.py --group openstack.dns.v2`).
//!
//! Each resource whose commands are plain list/show/create/set/delete is described once in
//! [`KINDS`]; `special` holds what is not (zone create, recordsets within a zone, exports
//! and imports, transfers, shares, quotas, PTR records).

mod api;
mod special;

use api::Fmt;
use osc_plugin_sdk::{export_plugin, json, Args, Host, Map, Reply, Result, Value};

/// One Designate resource as designateclient's commands see it.
pub struct Kind {
    /// The command group (`zone blacklist`).
    pub group: &'static str,
    /// Collection path and its JSON key.
    pub path: &'static str,
    pub key: &'static str,
    /// The `list` columns (designateclient's `columns`, shown as they are named).
    pub cols: &'static [&'static str],
    /// `list` filters: argument and query parameter share the name.
    pub filters: &'static [&'static str],
    /// The positional naming the object in show/set/delete.
    pub one: &'static str,
    /// Names are resolved to IDs (`resolve_by_name`) before show/set/delete.
    pub by_name: bool,
    /// `create`: argument to field, sent when given (`always`: sent even when absent).
    pub create: &'static [(&'static str, &'static str)],
    pub create_always: bool,
    /// `set`: argument to field, sent when non-empty; `--no-description` clears it.
    pub set: &'static [(&'static str, &'static str)],
    pub fmt: Fmt,
}

pub const KINDS: &[Kind] = &[
    Kind {
        group: "tld",
        path: "/tlds",
        key: "tlds",
        cols: &["id", "name", "description"],
        filters: &["name"],
        one: "id",
        by_name: true,
        create: &[("name", "name"), ("description", "description")],
        create_always: false,
        set: &[("name", "name"), ("description", "description")],
        fmt: Fmt::Plain,
    },
    Kind {
        group: "tsigkey",
        path: "/tsigkeys",
        key: "tsigkeys",
        cols: &["id", "name", "algorithm", "secret", "scope", "resource_id"],
        filters: &["name", "algorithm", "scope"],
        one: "id",
        by_name: true,
        create: &[
            ("name", "name"),
            ("algorithm", "algorithm"),
            ("secret", "secret"),
            ("scope", "scope"),
            ("resource_id", "resource_id"),
        ],
        create_always: true,
        set: &[
            ("name", "name"),
            ("algorithm", "algorithm"),
            ("secret", "secret"),
            ("scope", "scope"),
        ],
        fmt: Fmt::Plain,
    },
    Kind {
        group: "zone blacklist",
        path: "/blacklists",
        key: "blacklists",
        cols: &["id", "pattern", "description"],
        filters: &["pattern"],
        one: "id",
        by_name: false,
        create: &[("pattern", "pattern"), ("description", "description")],
        create_always: false,
        set: &[("pattern", "pattern"), ("description", "description")],
        fmt: Fmt::Plain,
    },
    Kind {
        group: "zone export",
        path: "/zones/tasks/exports",
        key: "exports",
        cols: &["id", "zone_id", "created_at", "status"],
        filters: &["status", "zone_id"],
        one: "zone_export_id",
        by_name: false,
        create: &[],
        create_always: false,
        set: &[],
        fmt: Fmt::Plain,
    },
    Kind {
        group: "zone import",
        path: "/zones/tasks/imports",
        key: "imports",
        cols: &["id", "zone_id", "created_at", "status", "message"],
        filters: &["status", "zone_id", "message"],
        one: "zone_import_id",
        by_name: false,
        create: &[],
        create_always: false,
        set: &[],
        fmt: Fmt::Plain,
    },
    Kind {
        group: "zone transfer request",
        path: "/zones/tasks/transfer_requests",
        key: "transfer_requests",
        cols: &[
            "id",
            "zone_id",
            "zone_name",
            "project_id",
            "target_project_id",
            "status",
            "key",
        ],
        filters: &["status"],
        one: "id",
        by_name: false,
        create: &[],
        create_always: false,
        set: &[
            ("description", "description"),
            ("target_project_id", "target_project_id"),
        ],
        fmt: Fmt::Raw,
    },
    Kind {
        group: "zone transfer accept",
        path: "/zones/tasks/transfer_accepts",
        key: "transfer_accepts",
        cols: &[
            "id",
            "zone_id",
            "project_id",
            "zone_transfer_request_id",
            "status",
            "key",
        ],
        filters: &["status"],
        one: "id",
        by_name: false,
        create: &[],
        create_always: false,
        set: &[],
        fmt: Fmt::Raw,
    },
    Kind {
        group: "dns service",
        path: "/service_statuses",
        key: "service_statuses",
        cols: &[
            "id",
            "hostname",
            "service_name",
            "status",
            "stats",
            "capabilities",
        ],
        filters: &["hostname", "service_name", "status"],
        one: "id",
        by_name: false,
        create: &[],
        create_always: false,
        set: &[],
        fmt: Fmt::Status,
    },
];

impl Kind {
    fn item(&self, host: &Host, args: &Args) -> Result<String> {
        let given = args.req(self.one)?;
        let id = if self.by_name {
            api::resolve(host, args, self.path, self.key, given)?
        } else {
            given.to_string()
        };
        Ok(format!("{}/{}", self.path, api::seg(&id)))
    }

    pub fn filters(&self, args: &Args) -> Vec<(String, String)> {
        let mut q = Vec::new();
        for f in self.filters {
            match args.value(f) {
                Some(Value::String(s)) => q.push((f.to_string(), s.clone())),
                Some(Value::Number(n)) => q.push((f.to_string(), n.to_string())),
                _ => {}
            }
        }
        q
    }

    fn list(&self, host: &Host, args: &Args) -> Result<Reply> {
        let items = api::list_all(host, args, self.path, self.key, &self.filters(args))?;
        Ok(api::table(self.fmt, items, self.cols))
    }

    fn show(&self, host: &Host, args: &Args) -> Result<Reply> {
        let path = self.item(host, args)?;
        Ok(api::show(
            self.fmt,
            api::call(host, api::request("GET", path, args))?,
        ))
    }

    fn create(&self, host: &Host, args: &Args) -> Result<Reply> {
        let mut body = Map::new();
        for (arg, key) in self.create {
            match args.value(arg) {
                Some(v) => {
                    body.insert(key.to_string(), v.clone());
                }
                None if self.create_always => {
                    body.insert(key.to_string(), Value::Null);
                }
                None => {}
            }
        }
        let req = api::request("POST", self.path, args).json(Value::Object(body));
        Ok(api::show(self.fmt, api::call(host, req)?))
    }

    fn set(&self, host: &Host, args: &Args) -> Result<Reply> {
        let body = set_body(args, self.set);
        let path = self.item(host, args)?;
        let req = api::request("PATCH", path, args).json(body);
        Ok(api::show(self.fmt, api::call(host, req)?))
    }

    fn delete(&self, host: &Host, args: &Args) -> Result<Reply> {
        let path = self.item(host, args)?;
        api::call(host, api::request("DELETE", path, args))?;
        // designateclient's log line (seen with -v).
        let noun = match self.group {
            "tld" => "TLD",
            "tsigkey" => "TSIGKey",
            "zone blacklist" => "Blacklist",
            "zone export" => "Zone Export",
            "zone import" => "Zone Import",
            "zone transfer request" => "Zone Transfer",
            other => other,
        };
        host.info(&format!("{noun} {} was deleted", args.req(self.one)?));
        Ok(Reply::None)
    }
}

/// A `set` body: fields whose argument is given and non-empty (Python's truthiness, so
/// `--ttl 0` changes nothing), `--no-description` and `--no-ttl` as nulls.
pub fn set_body(args: &Args, fields: &[(&str, &str)]) -> Value {
    let mut body = Map::new();
    for (arg, key) in fields {
        let v = match args.value(arg) {
            Some(Value::String(s)) if !s.is_empty() => json!(s),
            Some(Value::Number(n)) if n.as_f64() != Some(0.0) => json!(n),
            Some(Value::Array(a)) if !a.is_empty() => json!(a),
            _ => continue,
        };
        body.insert(key.to_string(), v);
    }
    for (flag, key) in [("no_description", "description"), ("no_ttl", "ttl")] {
        if args.flag(flag) {
            body.insert(key.into(), Value::Null);
        }
    }
    Value::Object(body)
}

fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
    if let Some(r) = special::run(host, command, args) {
        return r;
    }
    let generic = KINDS.iter().find_map(|k| {
        let verb = command.strip_prefix(k.group)?.strip_prefix(' ')?;
        Some(match verb {
            "list" => k.list(host, args),
            "show" => k.show(host, args),
            "create" => k.create(host, args),
            "set" => k.set(host, args),
            "delete" => k.delete(host, args),
            _ => return None,
        })
    });
    generic.unwrap_or_else(|| Err(format!("dns plugin: unknown command {command}").into()))
}

export_plugin!(manifest: "../manifest.json", handler: run);
