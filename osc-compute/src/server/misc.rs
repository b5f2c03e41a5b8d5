//! `server backup create`, `server image create` and `server ssh`.

use super::{action, find};
use crate::common::{self, IMAGES};
use osc_core::wait::{Status, Wait};
use osc_core::{Cell, Command, Context, Error, Output, Record, Result, Session};
use serde_json::{json, Map, Value};
use std::time::Duration;

/// OSC's `image.v2.image._format_image`: the usual fields, tags, and everything else
/// folded into `properties`.
pub fn format_image(img: &Value) -> Record {
    const FIELDS: &[&str] = &[
        "status",
        "name",
        "container_format",
        "created_at",
        "size",
        "disk_format",
        "updated_at",
        "visibility",
        "min_disk",
        "protected",
        "id",
        "file",
        "checksum",
        "owner",
        "virtual_size",
        "min_ram",
        "schema",
        "is_hidden",
        "hash_algo",
        "hash_value",
    ];
    let mut info: Map<String, Value> = Map::new();
    let mut props: Map<String, Value> = Map::new();
    if let Some(o) = img.as_object() {
        for (k, v) in o {
            if v.is_null() {
                continue;
            }
            let key = match k.as_str() {
                "os_hidden" => "is_hidden",
                "os_hash_algo" => "hash_algo",
                "os_hash_value" => "hash_value",
                other => other,
            };
            if FIELDS.contains(&key) {
                info.insert(key.to_string(), v.clone());
            } else if key == "tags" || key == "locations" || key == "self" {
                continue;
            } else if key == "properties" {
                if let Some(p) = v.as_object() {
                    props.extend(p.clone());
                }
            } else {
                props.insert(key.to_string(), v.clone());
            }
        }
    }
    let mut keys: Vec<String> = info.keys().cloned().collect();
    keys.push("tags".into());
    if !props.is_empty() {
        keys.push("properties".into());
    }
    keys.sort();
    let mut r = Record::new();
    for k in keys {
        let cell = match k.as_str() {
            "tags" => crate::common::list_cell(
                img.get("tags")
                    .cloned()
                    .filter(|t| !t.is_null())
                    .unwrap_or_else(|| json!([])),
            ),
            "properties" => crate::common::dict_cell(Value::Object(props.clone())),
            _ => Cell::raw(info.get(&k).cloned().unwrap_or(Value::Null)),
        };
        r.push(k, cell);
    }
    r
}

/// Waits for a Glance image to become active.
fn wait_image(s: &Session, id: &str, what: &str) -> Result<()> {
    Wait::new(format!("{} {id}", IMAGES.display))
        .timeout(Duration::from_secs(24 * 3600))
        .status(Status::new(&["active"], &["error", "killed"]), || {
            IMAGES.get(s, id)
        })
        .map(|_| ())
        .map_err(|e| Error::cmd(format!("Error creating server {what}: {e}")))
}

/// Create a server backup image
#[derive(clap::Args)]
pub struct CreateServerBackup {
    /// Server to back up (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Name of the backup image (default: server name)
    #[arg(long, value_name = "image-name")]
    name: Option<String>,
    /// Used to populate the backup_type property of the backup image (default: empty)
    #[arg(long = "type", value_name = "backup-type")]
    backup_type: Option<String>,
    /// Number of backups to keep (default: 1)
    #[arg(long, value_name = "count")]
    rotate: Option<i64>,
    /// Wait for backup image create to complete
    #[arg(long)]
    wait: bool,
}

impl Command for CreateServerBackup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let server = find(s, &self.server, false)?;
        let id = common::py_str(&server["id"]);
        let name = self
            .name
            .clone()
            .unwrap_or_else(|| common::py_str(&server["name"]));
        let body = json!({"createBackup": {
            "name": name,
            "backup_type": self.backup_type.clone().unwrap_or_default(),
            "rotation": self.rotate.unwrap_or(1),
        }});
        let r = action(s, &id, body)?;
        // 2.45+ returns the image ID; older versions only name it in a header.
        let image = match r.get("image_id").and_then(Value::as_str) {
            Some(iid) => IMAGES.get(s, iid)?,
            None => common::find_image(s, &name)?,
        };
        let iid = common::py_str(&image["id"]);
        if self.wait {
            wait_image(s, &iid, "backup")?;
        }
        Ok(Output::Show(format_image(&IMAGES.get(s, &iid)?)))
    }
}

/// Create a new server disk image from an existing server
#[derive(clap::Args)]
pub struct CreateServerImage {
    /// Server to create image (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Name of new disk image (default: server name)
    #[arg(long, value_name = "image-name")]
    name: Option<String>,
    /// Set a new property to meta_data.json on the metadata server (repeat option to set multiple values)
    #[arg(long = "property", value_name = "key=value")]
    property: Vec<String>,
    /// Wait for operation to complete
    #[arg(long)]
    wait: bool,
}

impl Command for CreateServerImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let properties = common::parse_kv(&self.property, "--property")?;
        let s = ctx.session()?;
        let server = find(s, &self.server, false)?;
        let id = common::py_str(&server["id"]);
        let name = self
            .name
            .clone()
            .unwrap_or_else(|| common::py_str(&server["name"]));
        let mut body = json!({"createImage": {"name": name}});
        if !properties.is_empty() {
            body["createImage"]["metadata"] = Value::Object(properties);
        }
        let r = action(s, &id, body)?;
        let iid = r
            .get("image_id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| Error::cmd(format!("Error creating server image: {}", self.server)))?;
        if self.wait {
            wait_image(s, &iid, "image")?;
        }
        Ok(Output::Show(format_image(&IMAGES.get(s, &iid)?)))
    }
}

/// SSH to server
#[derive(clap::Args)]
pub struct SshServer {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Login name (ssh -l option). Deprecated: pass it after '--'
    #[arg(long, short = 'l', value_name = "login-name", hide = true)]
    login: Option<String>,
    /// Destination port (ssh -p option). Deprecated: pass it after '--'
    #[arg(long, short = 'p', value_name = "port", hide = true)]
    port: Option<u16>,
    /// Private key file (ssh -i option). Deprecated: pass it after '--'
    #[arg(long, short = 'i', value_name = "filename", hide = true)]
    identity: Option<String>,
    /// Options in ssh_config(5) format (ssh -o option). Deprecated: pass it after '--'
    #[arg(long, short = 'o', value_name = "option", hide = true)]
    option: Option<String>,
    /// Use only IPv4 addresses
    #[arg(short = '4', conflicts_with = "ipv6")]
    ipv4: bool,
    /// Use only IPv6 addresses
    #[arg(short = '6')]
    ipv6: bool,
    /// Use public IP address
    #[arg(long, conflicts_with_all = ["private", "address_type"])]
    public: bool,
    /// Use private IP address
    #[arg(long, conflicts_with = "address_type")]
    private: bool,
    /// Use other IP address (public, private, etc)
    #[arg(long = "address-type", value_name = "address-type")]
    address_type: Option<String>,
    /// Deprecated: pass -v after '--'
    #[arg(short = 'v', hide = true)]
    verbose: bool,
    /// Any argument or option of ssh, after '--'
    #[arg(
        value_name = "-- <standard ssh args>",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    ssh_args: Vec<String>,
}

/// OSC's `_get_ip_address`: old-style named address lists, then typed (fixed/floating) ones.
fn ip_address(addresses: &Value, address_type: &str, families: &[u64]) -> Result<String> {
    let version_ok = |a: &Value| {
        let v = a["version"]
            .as_u64()
            .or_else(|| a["version"].as_str().and_then(|s| s.parse().ok()));
        v.is_some_and(|v| families.contains(&v))
    };
    if let Some(list) = addresses.get(address_type).and_then(Value::as_array) {
        if let Some(a) = list.iter().find(|a| version_ok(a)) {
            return Ok(common::py_str(&a["addr"]));
        }
    }
    let wanted = match address_type {
        "public" => "floating",
        "private" => "fixed",
        other => other,
    };
    if let Some(nets) = addresses.as_object() {
        for list in nets.values() {
            for a in list.as_array().map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(s) = a.as_str() {
                    let _ = s;
                    let all = list.as_array().map(Vec::as_slice).unwrap_or(&[]);
                    let pick = if wanted == "fixed" {
                        all.first()
                    } else {
                        all.last()
                    };
                    return Ok(pick.map(common::py_str).unwrap_or_default());
                }
                if a.get("OS-EXT-IPS:type").and_then(Value::as_str) == Some(wanted) && version_ok(a)
                {
                    return Ok(common::py_str(&a["addr"]));
                }
            }
        }
    }
    Err(Error::cmd(format!(
        "ERROR: No {address_type} IP version {families:?} address found"
    )))
}

impl Command for SshServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let server = find(s, &self.server, false)?;
        if self.port.is_some()
            || self.identity.is_some()
            || self.option.is_some()
            || self.login.is_some()
            || self.verbose
        {
            osc_core::log::warn("The ssh options have been deprecated. The ssh equivalent options can be used instead as arguments after \"--\" on the command line.");
        }
        let families: &[u64] = if self.ipv4 {
            &[4]
        } else if self.ipv6 {
            &[6]
        } else {
            &[4, 6]
        };
        let mut args = self.ssh_args.clone();
        if let Some(p) = self.port {
            args.extend(["-p".to_string(), p.to_string()]);
        }
        if let Some(i) = &self.identity {
            args.extend(["-i".to_string(), i.clone()]);
        }
        if let Some(o) = &self.option {
            args.extend(["-o".to_string(), o.clone()]);
        }
        if let Some(l) = &self.login {
            args.extend(["-l".to_string(), l.clone()]);
        } else if !args.iter().any(|a| a == "-l") {
            let user = s.auth()?.user_name.clone().unwrap_or_default();
            if !user.is_empty() {
                args.extend(["-l".to_string(), user]);
            }
        }
        if self.verbose {
            args.push("-v".into());
        }
        let kind = if self.private {
            "private".to_string()
        } else {
            self.address_type.clone().unwrap_or_else(|| "public".into())
        };
        let ip = ip_address(&server["addresses"], &kind, families)?;
        osc_core::log::debug(&format!("ssh command: ssh {ip} {}", args.join(" ")));
        // Arguments go to ssh directly (no shell), so nothing is re-interpreted.
        let status = std::process::Command::new("ssh")
            .arg(&ip)
            .args(&args)
            .status()
            .map_err(|e| Error::cmd(format!("Cannot run ssh: {e}")))?;
        if !status.success() {
            return Err(Error::cmd(format!("ssh exited with {status}")));
        }
        Ok(Output::None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_addresses_like_osc() {
        let a = json!({"private": [
            {"version": 4, "addr": "10.0.0.5", "OS-EXT-IPS:type": "fixed"},
            {"version": 4, "addr": "172.24.4.9", "OS-EXT-IPS:type": "floating"}
        ]});
        assert_eq!(ip_address(&a, "public", &[4, 6]).unwrap(), "172.24.4.9");
        assert_eq!(ip_address(&a, "private", &[4, 6]).unwrap(), "10.0.0.5");
        assert_eq!(ip_address(&a, "private", &[4]).unwrap(), "10.0.0.5");
        assert!(ip_address(&a, "private", &[6]).is_err());
    }
}
