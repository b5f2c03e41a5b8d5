//! The `server` commands. `view` turns Nova's server JSON into what OSC prints (openstacksdk's
//! `Server.to_dict()` renamed by OSC's `_prep_server_detail`); the other modules are the
//! commands, grouped by what they do.

pub mod actions;
pub mod attach;
pub mod create;
pub mod list;
pub mod manage;
pub mod misc;

use crate::common::{self, mv, SERVERS};
use osc_core::resource::encode_segment;
use osc_core::resource::ResourceRequest;
use osc_core::wait::{Status, Wait};
use osc_core::{Cell, Command, Context, Error, Output, Record, Result, Session};
use serde_json::{json, Map, Value};
use std::time::Duration;

/// openstacksdk's Server attributes (attribute name, JSON key), in declaration order.
const SERVER_ATTRS: &[(&str, &str)] = &[
    ("id", "id"),
    ("name", "name"),
    ("access_ipv4", "accessIPv4"),
    ("access_ipv6", "accessIPv6"),
    ("addresses", "addresses"),
    ("admin_password", "adminPass"),
    ("attached_volumes", "os-extended-volumes:volumes_attached"),
    ("availability_zone", "OS-EXT-AZ:availability_zone"),
    ("config_drive", "config_drive"),
    ("compute_host", "OS-EXT-SRV-ATTR:host"),
    ("created_at", "created"),
    ("description", "description"),
    ("disk_config", "OS-DCF:diskConfig"),
    ("flavor", "flavor"),
    ("host_id", "hostId"),
    ("fault", "fault"),
    ("host_status", "host_status"),
    ("hostname", "OS-EXT-SRV-ATTR:hostname"),
    ("hypervisor_hostname", "OS-EXT-SRV-ATTR:hypervisor_hostname"),
    ("image", "image"),
    ("instance_name", "OS-EXT-SRV-ATTR:instance_name"),
    ("is_locked", "locked"),
    ("kernel_id", "OS-EXT-SRV-ATTR:kernel_id"),
    ("key_name", "key_name"),
    ("launch_index", "OS-EXT-SRV-ATTR:launch_index"),
    ("launched_at", "OS-SRV-USG:launched_at"),
    ("locked_reason", "locked_reason"),
    ("metadata", "metadata"),
    ("pinned_availability_zone", "pinned_availability_zone"),
    ("power_state", "OS-EXT-STS:power_state"),
    ("progress", "progress"),
    ("project_id", "tenant_id"),
    ("ramdisk_id", "OS-EXT-SRV-ATTR:ramdisk_id"),
    ("reservation_id", "OS-EXT-SRV-ATTR:reservation_id"),
    ("root_device_name", "OS-EXT-SRV-ATTR:root_device_name"),
    ("scheduler_hints", "scheduler_hints"),
    ("security_groups", "security_groups"),
    ("server_groups", "server_groups"),
    ("status", "status"),
    ("tags", "tags"),
    ("task_state", "OS-EXT-STS:task_state"),
    ("terminated_at", "OS-SRV-USG:terminated_at"),
    ("trusted_image_certificates", "trusted_image_certificates"),
    ("updated_at", "updated"),
    ("user_data", "OS-EXT-SRV-ATTR:user_data"),
    ("user_id", "user_id"),
    ("vm_state", "OS-EXT-STS:vm_state"),
];

/// OSC's names for openstacksdk's attributes (`_prep_server_detail`'s column_map).
fn osc_name(attr: &str) -> &str {
    match attr {
        "access_ipv4" => "accessIPv4",
        "access_ipv6" => "accessIPv6",
        "admin_password" => "adminPass",
        "attached_volumes" => "volumes_attached",
        "availability_zone" => "OS-EXT-AZ:availability_zone",
        "compute_host" => "OS-EXT-SRV-ATTR:host",
        "created_at" => "created",
        "disk_config" => "OS-DCF:diskConfig",
        "host_id" => "hostId",
        "hostname" => "OS-EXT-SRV-ATTR:hostname",
        "hypervisor_hostname" => "OS-EXT-SRV-ATTR:hypervisor_hostname",
        "instance_name" => "OS-EXT-SRV-ATTR:instance_name",
        "is_locked" => "locked",
        "kernel_id" => "OS-EXT-SRV-ATTR:kernel_id",
        "launch_index" => "OS-EXT-SRV-ATTR:launch_index",
        "launched_at" => "OS-SRV-USG:launched_at",
        "power_state" => "OS-EXT-STS:power_state",
        "project_id" => "project_id",
        "ramdisk_id" => "OS-EXT-SRV-ATTR:ramdisk_id",
        "reservation_id" => "OS-EXT-SRV-ATTR:reservation_id",
        "root_device_name" => "OS-EXT-SRV-ATTR:root_device_name",
        "task_state" => "OS-EXT-STS:task_state",
        "terminated_at" => "OS-SRV-USG:terminated_at",
        "updated_at" => "updated",
        "user_data" => "OS-EXT-SRV-ATTR:user_data",
        "vm_state" => "OS-EXT-STS:vm_state",
        other => other,
    }
}

/// A server as openstacksdk's `to_dict()`: every attribute, `None` when absent.
pub fn sdk_dict(raw: &Value) -> Map<String, Value> {
    SERVER_ATTRS
        .iter()
        .map(|(attr, key)| {
            let v = raw.get(*key).cloned().unwrap_or(Value::Null);
            let v = match (*attr, v) {
                ("attached_volumes" | "tags", Value::Null) => json!([]),
                (_, v) => v,
            };
            (attr.to_string(), v)
        })
        .collect()
}

/// Python truthiness.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// `_prep_server_detail(refresh=True)`: the fetched server's values replace the first
/// object's only where they are set (truthy), as OSC's `info.update(...)` does.
pub fn refresh_merge(first: &Value, fetched: &Value) -> Map<String, Value> {
    let mut info = sdk_dict(first);
    for (k, v) in sdk_dict(fetched) {
        if truthy(&v) || !info.contains_key(&k) {
            info.insert(k, v);
        }
    }
    info
}

/// The flavor embedded in a server (2.47+) as openstacksdk's `Flavor.to_dict()`.
fn embedded_flavor(f: &Value) -> Value {
    let get = |k: &str| f.get(k).cloned().unwrap_or(Value::Null);
    let or = |k: &str, d: Value| f.get(k).cloned().filter(|v| !v.is_null()).unwrap_or(d);
    json!({
        "name": get("original_name"),
        "original_name": get("original_name"),
        "description": get("description"),
        "disk": or("disk", json!(0)),
        "is_public": or("os-flavor-access:is_public", json!(true)),
        "ram": or("ram", json!(0)),
        "vcpus": or("vcpus", json!(0)),
        "swap": or("swap", json!(0)),
        "ephemeral": or("OS-FLV-EXT-DATA:ephemeral", json!(0)),
        "is_disabled": get("OS-FLV-DISABLED:disabled"),
        "rxtx_factor": get("rxtx_factor"),
        "extra_specs": or("extra_specs", json!({})),
        "id": get("original_name"),
        "location": Value::Null,
    })
}

/// `{net: [addr, ...]}`, the machine form of OSC's AddressesColumn.
pub fn addresses(v: &Value) -> Value {
    let mut m = Map::new();
    if let Some(o) = v.as_object() {
        for (net, addrs) in o {
            let list: Vec<Value> = addrs
                .as_array()
                .map(|a| a.iter().filter_map(|i| i.get("addr").cloned()).collect())
                .unwrap_or_default();
            m.insert(net.clone(), Value::Array(list));
        }
    }
    Value::Object(m)
}

/// OSC's PowerStateColumn: the number for machines, its name for humans.
pub fn power_state_cell(v: Value) -> Cell {
    const NAMES: [&str; 8] = [
        "NOSTATE",
        "Running",
        "",
        "Paused",
        "Shutdown",
        "",
        "Crashed",
        "Suspended",
    ];
    let human = v
        .as_u64()
        .and_then(|n| NAMES.get(n as usize))
        .copied()
        .unwrap_or("N/A");
    Cell::custom(v, human)
}

/// OSC's HostColumn: `None` is shown as an empty string.
pub fn host_cell(v: Value) -> Cell {
    let human = v.as_str().unwrap_or("").to_string();
    Cell::custom(v, human)
}

pub const IMAGE_STRING_FOR_BFV: &str = "N/A (booted from volume)";

/// OSC's server detail record from openstacksdk-style attributes.
pub fn detail(s: &Session, info: Map<String, Value>) -> Result<Record> {
    let with_pinned_az = common::supports(s, "2.96")?;
    let with_hints = common::supports(s, "2.100")?;
    let mut data: Map<String, Value> = Map::new();
    for (attr, value) in info {
        if matches!(
            attr.as_str(),
            "admin_password" | "fault" | "security_groups"
        ) && value.is_null()
        {
            continue;
        }
        if attr == "pinned_availability_zone" && !with_pinned_az {
            continue;
        }
        if attr == "scheduler_hints" && !with_hints {
            continue;
        }
        data.insert(osc_name(&attr).to_string(), value);
    }
    // The image blob becomes "name (id)".
    let image = data.get("image").cloned().unwrap_or(Value::Null);
    let image_set = image.as_object().is_some_and(|o| o.values().any(truthy));
    let image_cell = if image_set {
        let id = common::str_of(&image, "id").to_string();
        match common::IMAGES.get(s, &id) {
            Ok(img) => json!(format!("{} ({id})", common::py_str(&img["name"]))),
            Err(_) => json!(id),
        }
    } else {
        json!(IMAGE_STRING_FOR_BFV)
    };
    data.insert("image".into(), image_cell);
    let flavor = data.get("flavor").cloned().unwrap_or(Value::Null);
    let flavor_cell = if flavor.get("original_name").is_none_or(Value::is_null) {
        let id = common::str_of(&flavor, "id").to_string();
        match common::find_flavor(s, &id) {
            Ok(f) => Cell::raw(format!("{} ({id})", common::py_str(&f["name"]))),
            Err(_) => Cell::raw(id),
        }
    } else {
        crate::common::dict_cell(embedded_flavor(&flavor))
    };
    let mut r = Record::new();
    let mut keys: Vec<String> = data.keys().cloned().collect();
    keys.push("properties".into());
    keys.retain(|k| k != "metadata");
    keys.sort();
    keys.dedup();
    for k in keys {
        let v = data.get(&k).cloned().unwrap_or(Value::Null);
        let cell = match k.as_str() {
            "flavor" => flavor_cell.clone(),
            "volumes_attached" => crate::common::list_dict_cell(Value::Array(
                v.as_array()
                    .map(|a| {
                        a.iter()
                            .map(|vol| {
                                Value::Object(
                                    vol.as_object()
                                        .map(|o| {
                                            o.iter()
                                                .filter(|(k, v)| {
                                                    !v.is_null() && k.as_str() != "location"
                                                })
                                                .map(|(k, v)| (k.clone(), v.clone()))
                                                .collect()
                                        })
                                        .unwrap_or_default(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            )),
            "security_groups" => crate::common::list_dict_cell(v),
            "tags" => crate::common::list_cell(if v.is_null() { json!([]) } else { v }),
            "addresses" => crate::common::dict_list_cell(addresses(&v)),
            "properties" => {
                let m = data
                    .get("metadata")
                    .cloned()
                    .filter(|m| !m.is_null())
                    .unwrap_or_else(|| json!({}));
                crate::common::dict_cell(m)
            }
            "OS-EXT-STS:power_state" => power_state_cell(v),
            "scheduler_hints" => {
                crate::common::dict_list_cell(if v.is_null() { json!({}) } else { v })
            }
            _ => Cell::raw(v),
        };
        r.push(k, cell);
    }
    Ok(r)
}

/// GET one server at openstacksdk's server microversion.
pub fn get_server(s: &Session, id: &str) -> Result<Value> {
    SERVERS.get(s, id)
}

pub fn server_path(id: &str) -> String {
    format!("/servers/{}", encode_segment(id))
}

/// openstacksdk's `find_server`: by ID, else the detailed list filtered by name, exact match.
pub fn find(s: &Session, name_or_id: &str, all_projects: bool) -> Result<Value> {
    match get_server(s, name_or_id) {
        Ok(v) => return Ok(v),
        Err(e) if e.is_not_found() || e.status() == Some(400) => {}
        Err(e) => return Err(e),
    }
    let mut q = vec![(
        "name".to_string(),
        format!("^{}$", regex_escape(name_or_id)),
    )];
    if all_projects {
        q.push(("all_tenants".into(), "True".into()));
    }
    let items = SERVERS.list(s, &q)?;
    let mut matches: Vec<Value> = items
        .into_iter()
        .filter(|i| i["name"].as_str() == Some(name_or_id))
        .collect();
    match matches.len() {
        0 => Err(Error::NotFound(format!(
            "No server with a name or ID of '{name_or_id}' exists."
        ))),
        1 => Ok(matches.remove(0)),
        _ => Err(Error::Ambiguous(format!(
            "More than one server exists with the name '{name_or_id}'; use its ID instead"
        ))),
    }
}

/// The ID of a server given by name or ID.
pub fn find_id(s: &Session, name_or_id: &str, all_projects: bool) -> Result<String> {
    common::id_or_err(find(s, name_or_id, all_projects)?, "server", name_or_id)
}

/// Escapes regex metacharacters: Nova's name filter is a regular expression.
fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.^$|?*+()[]{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// POST /servers/{id}/action.
pub fn action(s: &Session, id: &str, body: Value) -> Result<Value> {
    let path = format!("{}/action", server_path(id));
    s.json(SERVERS.request(s, osc_core::Method::POST, path)?.json(body))
}

/// Waits for a server to reach one of `done` with no task left running (SHELVED may still be
/// offloading); ERROR fails with Nova's fault message.
pub fn wait(s: &Session, id: &str, done: &[&str], what: &str) -> Result<Value> {
    let status = Status::new(done, &["ERROR"]).idle("OS-EXT-STS:task_state");
    wait_server(id, status, what, || SERVERS.get(s, id))
}

/// Waits until a deleted server is gone (404), as openstacksdk's `wait_for_delete`; a
/// server still listed with status DELETED is not gone yet.
fn wait_gone(s: &Session, id: &str) -> Result<()> {
    let fetch = || SERVERS.get(s, id);
    wait_server(id, Status::gone(&["ERROR"]), "deleting", fetch).map(|_| ())
}

/// The server wait: a day at most; every failure reads "Error <what> server <id>: ...".
fn wait_server(
    id: &str,
    status: Status<'_>,
    what: &str,
    fetch: impl FnMut() -> Result<Value>,
) -> Result<Value> {
    Wait::new(format!("server {id}"))
        .timeout(Duration::from_secs(24 * 3600))
        .status(status, fetch)
        .map_err(|e| {
            // "server <id> went to status ERROR: <fault>" reads better without the repeated ID.
            let msg = e.to_string();
            let msg = msg.strip_prefix(&format!("server {id} ")).unwrap_or(&msg);
            Error::cmd(format!("Error {what} server {id}: {msg}"))
        })
}

/// Show server details.
#[derive(clap::Args)]
pub struct ShowServer {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Display server diagnostics information
    #[arg(long, conflicts_with = "topology")]
    diagnostics: bool,
    /// Include topology information in the output (supported by --os-compute-api-version 2.78 or above)
    #[arg(long)]
    topology: bool,
}

impl Command for ShowServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let server = find(s, &self.server, false)?;
        let id = common::py_str(&server["id"]);
        if self.diagnostics {
            let d = common::get(
                s,
                &format!("{}/diagnostics", server_path(&id)),
                mv::DIAGNOSTICS,
            )?;
            // As openstacksdk's ServerDiagnostics.to_dict().
            let mut m = Map::new();
            for k in [
                "cpu_details",
                "disk_details",
                "driver",
                "hypervisor",
                "hypervisor_os",
                "memory_details",
                "nic_details",
                "num_cpus",
                "num_disks",
                "num_nics",
                "state",
                "uptime",
            ] {
                m.insert(k.into(), d.get(k).cloned().unwrap_or(Value::Null));
            }
            m.insert(
                "has_config_drive".into(),
                d.get("config_drive").cloned().unwrap_or(Value::Null),
            );
            m.insert("id".into(), Value::Null);
            m.insert("name".into(), Value::Null);
            m.insert("location".into(), common::sdk_location(s)?);
            m.insert("server_id".into(), json!(id));
            return Ok(Output::Show(osc_core::resource::record_sorted(
                &Value::Object(m),
                &[],
                &[],
            )));
        }
        let topology = if self.topology {
            common::require(s, "2.78", "the --topology option")?;
            Some(common::get(
                s,
                &format!("{}/topology", server_path(&id)),
                mv::SERVER,
            )?)
        } else {
            None
        };
        let mut r = detail(s, sdk_dict(&server))?;
        if let Some(t) = topology {
            r.push("topology", crate::common::dict_cell(t));
            r.fields.sort_by(|a, b| a.0.cmp(&b.0));
        }
        Ok(Output::Show(r))
    }
}

/// Delete server(s)
#[derive(clap::Args)]
pub struct DeleteServer {
    /// Server(s) to delete (name or ID)
    #[arg(value_name = "server", required = true)]
    server: Vec<String>,
    /// Force delete server(s)
    #[arg(long)]
    force: bool,
    /// Delete server(s) in another project by name (admin only)(can be specified using the ALL_PROJECTS envvar)
    #[arg(long = "all-projects", env = "ALL_PROJECTS", value_parser = clap::builder::FalseyValueParser::new())]
    all_projects: bool,
    /// Wait for delete to complete
    #[arg(long)]
    wait: bool,
}

impl Command for DeleteServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut deleted = Vec::new();
        // Deleted a few at a time; reported in the order given, as OSC reports.
        let results = osc_core::concurrent::map(s, &self.server, |s, name| {
            find_id(s, name, self.all_projects).and_then(|id| {
                if self.force {
                    action(s, &id, json!({"forceDelete": null}))?;
                } else {
                    SERVERS.delete(s, &id)?;
                }
                Ok(id)
            })
        });
        for (name, r) in self.server.iter().zip(results) {
            match r {
                Ok(id) => deleted.push(id),
                Err(e) => osc_core::log::warn(&format!(
                    "Failed to delete server with name or ID '{name}': {e}"
                )),
            }
        }
        if self.wait {
            for id in &deleted {
                wait_gone(s, id)?;
            }
        }
        let fails = self.server.len() - deleted.len();
        if fails > 0 {
            return Err(Error::cmd(format!(
                "{fails} of {} servers failed to delete.",
                self.server.len()
            )));
        }
        Ok(Output::None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truthiness_is_python_s() {
        assert!(!truthy(&json!(0)));
        assert!(!truthy(&json!("")));
        assert!(!truthy(&json!({})));
        assert!(truthy(&json!([1])));
        assert!(!truthy(&json!(false)));
    }

    #[test]
    fn refresh_keeps_first_values_where_fetched_are_empty() {
        let created =
            json!({"id": "x", "adminPass": "p", "security_groups": [{"name": "default"}]});
        let fetched = json!({"id": "x", "accessIPv4": "", "locked": false, "status": "ACTIVE", "OS-EXT-STS:power_state": 1});
        let m = refresh_merge(&created, &fetched);
        assert_eq!(m["access_ipv4"], Value::Null);
        assert_eq!(m["is_locked"], Value::Null);
        assert_eq!(m["status"], "ACTIVE");
        assert_eq!(m["admin_password"], "p");
    }

    #[test]
    fn addresses_keep_only_addrs() {
        let a =
            addresses(&json!({"private": [{"addr": "10.0.0.1", "version": 4}, {"version": 6}]}));
        assert_eq!(a, json!({"private": ["10.0.0.1"]}));
        assert_eq!(regex_escape("a.b"), "a\\.b");
    }
}
