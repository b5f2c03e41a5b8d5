//! `server set|unset|rebuild|evacuate`.

use super::{action, detail, find, refresh_merge, sdk_dict, server_path, wait};
use crate::common::{self, mv};
use osc_core::resource::encode_segment;
use osc_core::{Command, Context, Error, Output, Result, Session};
use serde_json::{json, Map, Value};

fn update(s: &Session, id: &str, body: Value, version: &str) -> Result<()> {
    common::put(s, &server_path(id), json!({ "server": body }), version).map(|_| ())
}

fn read_password(prompt: &str) -> Result<String> {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return Err(Error::cmd(
            "No terminal to read the password from; use --password",
        ));
    }
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn ask_yes_no(msg: &str) -> Result<bool> {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return Err(Error::cmd(
            "Confirmation needed but there is no terminal; pass --auto-approve",
        ));
    }
    loop {
        eprint!("{msg} [y/n]: ");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line)? == 0 {
            return Ok(false);
        }
        match line.trim() {
            "y" | "Y" | "yes" => return Ok(true),
            "n" | "N" | "no" => return Ok(false),
            _ => {}
        }
    }
}

/// Set server properties
#[derive(clap::Args)]
pub struct SetServer {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// New server name
    #[arg(long, value_name = "new-name")]
    name: Option<String>,
    /// Set the server password. This option requires cloud support.
    #[arg(long, value_name = "password", conflicts_with_all = ["no_password", "root_password"])]
    password: Option<String>,
    /// Clear the admin password for the server from the metadata service; note that this action does not actually change the server password
    #[arg(long = "no-password", conflicts_with = "root_password")]
    no_password: bool,
    #[arg(long = "root-password", hide = true)]
    root_password: bool,
    /// Property to add/change for this server (repeat option to set multiple properties)
    #[arg(long = "property", value_name = "key=value")]
    property: Vec<String>,
    /// Allow server state override without asking for confirmation
    #[arg(long = "auto-approve")]
    auto_approve: bool,
    /// New server state (valid value: active, error)
    #[arg(long, value_name = "state", value_parser = ["active", "error"])]
    state: Option<String>,
    /// New server description (supported by --os-compute-api-version 2.19 or above)
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// Tag for the server. Specify multiple times to add multiple tags. (supported by --os-compute-api-version 2.26 or above)
    #[arg(long, value_name = "tag")]
    tag: Vec<String>,
    /// Hostname configured for the server in the metadata service. A separate utility running in the guest is required to propagate changes to this value to the guest OS itself. (supported by --os-compute-api-version 2.90 or above)
    #[arg(long, value_name = "hostname")]
    hostname: Option<String>,
    /// Pin the server to the given availability zone. (supported by --os-compute-api-version 2.104 or above)
    #[arg(long = "pinned-availability-zone", value_name = "availability-zone")]
    pinned_availability_zone: Option<String>,
}

impl Command for SetServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let properties = common::parse_kv(&self.property, "--property")?;
        let s = ctx.session()?;
        let server = find(s, &self.server, false)?;
        let id = common::py_str(&server["id"]);
        if self.description.is_some() {
            common::require(s, "2.19", "the --description option")?;
        }
        if !self.tag.is_empty() {
            common::require(s, "2.26", "the --tag option")?;
        }
        if self.hostname.is_some() {
            common::require(s, "2.90", "the --hostname option")?;
        }
        if self.pinned_availability_zone.is_some() {
            common::require(s, "2.104", "the --pinned-availability-zone option")?;
        }
        let mut body = Map::new();
        if let Some(n) = &self.name {
            body.insert("name".into(), json!(n));
        }
        if let Some(d) = &self.description {
            body.insert("description".into(), json!(d));
        }
        if let Some(h) = &self.hostname {
            body.insert("hostname".into(), json!(h));
        }
        let version = if let Some(az) = &self.pinned_availability_zone {
            body.insert("pinned_availability_zone".into(), json!(az));
            "2.104"
        } else {
            mv::SERVER
        };
        if !body.is_empty() {
            update(s, &id, Value::Object(body), version)?;
        }
        if !properties.is_empty() {
            common::post(
                s,
                &format!("{}/metadata", server_path(&id)),
                json!({ "metadata": properties }),
                mv::SERVER,
            )?;
        }
        if let Some(state) = &self.state {
            let proceed = self.auto_approve
                || ask_yes_no("Resetting the server state can make it much harder to recover a server from an error state. If the server is in error status due to a failed move operation then this is likely not the correct approach to fix the problem. Do you wish to continue?")?;
            if !proceed {
                return Ok(Output::None);
            }
            action(s, &id, json!({"os-resetState": {"state": state}}))?;
        }
        if self.root_password {
            let p1 = read_password("New password: ")?;
            let p2 = read_password("Retype new password: ")?;
            if p1 != p2 {
                return Err(Error::cmd("Passwords do not match, password unchanged"));
            }
            action(s, &id, json!({"changePassword": {"adminPass": p1}}))?;
        } else if let Some(p) = &self.password {
            action(s, &id, json!({"changePassword": {"adminPass": p}}))?;
        } else if self.no_password {
            common::delete(
                s,
                &format!("{}/os-server-password", server_path(&id)),
                mv::SERVER,
            )?;
        }
        for t in &self.tag {
            s.send(common::request(
                s,
                osc_core::Method::PUT,
                format!("{}/tags/{}", server_path(&id), encode_segment(t)),
                mv::SERVER,
            )?)?;
        }
        Ok(Output::None)
    }
}

/// Unset server properties and tags
#[derive(clap::Args)]
pub struct UnsetServer {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Property key to remove from server (repeat option to remove multiple values)
    #[arg(long = "property", value_name = "key")]
    property: Vec<String>,
    /// Remove all properties
    #[arg(long = "all-properties")]
    all_properties: bool,
    /// Unset server description (supported by --os-compute-api-version 2.19 or above)
    #[arg(long)]
    description: bool,
    /// Tag to remove from the server. Specify multiple times to remove multiple tags. (supported by --os-compute-api-version 2.26 or later
    #[arg(long, value_name = "tag")]
    tag: Vec<String>,
    /// Remove all tags (supported by --os-compute-api-version 2.26 or later
    #[arg(long = "all-tags")]
    all_tags: bool,
    /// Remove the pinned availability zone of the server (supported by --os-compute-api-version 2.104 or above)
    #[arg(long = "pinned-availability-zone")]
    pinned_availability_zone: bool,
}

impl Command for UnsetServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let server = find(s, &self.server, false)?;
        let id = common::py_str(&server["id"]);
        let keys: Vec<String> = if self.all_properties {
            server["metadata"]
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        } else {
            self.property.clone()
        };
        for k in keys {
            common::delete(
                s,
                &format!("{}/metadata/{}", server_path(&id), encode_segment(&k)),
                mv::SERVER,
            )?;
        }
        if self.description {
            common::require(s, "2.19", "the --description option")?;
            update(s, &id, json!({"description": ""}), mv::SERVER)?;
        }
        if self.pinned_availability_zone {
            common::require(s, "2.104", "the --pinned-availability-zone option")?;
            update(s, &id, json!({"pinned_availability_zone": null}), "2.104")?;
        }
        if !self.tag.is_empty() || self.all_tags {
            common::require(s, "2.26", "the --tag option")?;
        }
        for t in &self.tag {
            common::delete(
                s,
                &format!("{}/tags/{}", server_path(&id), encode_segment(t)),
                mv::SERVER,
            )?;
        }
        if self.all_tags {
            common::delete(s, &format!("{}/tags", server_path(&id)), mv::SERVER)?;
        }
        Ok(Output::None)
    }
}

/// Rebuild server
#[derive(clap::Args)]
pub struct RebuildServer {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Recreate server from the specified image (name or ID). Defaults to the currently used one.
    #[arg(long, value_name = "image")]
    image: Option<String>,
    /// Set the new name of the rebuilt server
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// Set the password on the rebuilt server. This option requires cloud support.
    #[arg(long, value_name = "password")]
    password: Option<String>,
    /// Set a new property on the rebuilt server (repeat option to set multiple values)
    #[arg(long = "property", value_name = "key=value")]
    property: Vec<String>,
    /// Set a new description on the rebuilt server (supported by --os-compute-api-version 2.19 or above)
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// Preserve the default ephemeral storage partition on rebuild.
    #[arg(long = "preserve-ephemeral", overrides_with = "no_preserve_ephemeral")]
    preserve_ephemeral: bool,
    /// Do not preserve the default ephemeral storage partition on rebuild.
    #[arg(long = "no-preserve-ephemeral", overrides_with = "preserve_ephemeral")]
    no_preserve_ephemeral: bool,
    /// Set the key name of key pair on the rebuilt server. Cannot be specified with the '--key-unset' option. (supported by --os-compute-api-version 2.54 or above)
    #[arg(
        long = "key-name",
        value_name = "key-name",
        conflicts_with = "no_key_name"
    )]
    key_name: Option<String>,
    /// Unset the key name of key pair on the rebuilt server. Cannot be specified with the '--key-name' option. (supported by --os-compute-api-version 2.54 or above)
    #[arg(long = "no-key-name")]
    no_key_name: bool,
    /// Add a new user data file to the rebuilt server. Cannot be specified with the '--no-user-data' option. (supported by --os-compute-api-version 2.57 or above)
    #[arg(
        long = "user-data",
        value_name = "user-data",
        conflicts_with = "no_user_data"
    )]
    user_data: Option<String>,
    /// Remove existing user data when rebuilding server. Cannot be specified with the '--user-data' option. (supported by --os-compute-api-version 2.57 or above)
    #[arg(long = "no-user-data")]
    no_user_data: bool,
    /// Trusted certificate IDs used to validate certificates during the image signature verification process. Defaults to env[OS_TRUSTED_IMAGE_CERTIFICATE_IDS]. May be specified multiple times to pass multiple trusted image certificate IDs. Cannot be specified with the '--no-trusted-certs' option. (supported by --os-compute-api-version 2.63 or above)
    #[arg(
        long = "trusted-image-cert",
        value_name = "trusted-cert-id",
        conflicts_with = "no_trusted_image_certs"
    )]
    trusted_image_cert: Vec<String>,
    /// Remove any existing trusted image certificates from the server. Cannot be specified with the '--trusted-certs' option. (supported by --os-compute-api-version 2.63 or above)
    #[arg(long = "no-trusted-image-certs")]
    no_trusted_image_certs: bool,
    /// Hostname configured for the server in the metadata service. A separate utility running in the guest is required to propagate changes to this value to the guest OS itself. (supported by --os-compute-api-version 2.90 or above)
    #[arg(long, value_name = "hostname")]
    hostname: Option<String>,
    /// Rebuild a volume-backed server. This will wipe the root volume data and overwrite it with the provided image. Defaults to False. (supported by --os-compute-api-version 2.93 or above)
    #[arg(
        long = "reimage-boot-volume",
        overrides_with = "no_reimage_boot_volume"
    )]
    reimage_boot_volume: bool,
    /// Do not rebuild a volume-backed server. (supported by --os-compute-api-version 2.93 or above)
    #[arg(
        long = "no-reimage-boot-volume",
        overrides_with = "reimage_boot_volume"
    )]
    no_reimage_boot_volume: bool,
    /// Wait for rebuild to complete
    #[arg(long)]
    wait: bool,
}

impl Command for RebuildServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let properties = common::parse_kv(&self.property, "--property")?;
        let s = ctx.session()?;
        let server = find(s, &self.server, false)?;
        let id = common::py_str(&server["id"]);
        let current_image = server["image"]
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_string);
        let image_id = match &self.image {
            Some(i) => common::id_or_err(common::find_image(s, i)?, "image", i)?,
            None => current_image.clone().ok_or_else(|| {
                Error::cmd("The --image option is required when rebuilding a volume-backed server")
            })?,
        };
        let mut body = Map::new();
        body.insert("imageRef".into(), json!(image_id));
        if let Some(n) = &self.name {
            body.insert("name".into(), json!(n));
        }
        if let Some(p) = &self.password {
            body.insert("adminPass".into(), json!(p));
        }
        if self.preserve_ephemeral || self.no_preserve_ephemeral {
            body.insert("preserve_ephemeral".into(), json!(self.preserve_ephemeral));
        }
        if !properties.is_empty() {
            body.insert("metadata".into(), Value::Object(properties));
        }
        if let Some(d) = &self.description {
            common::require(s, "2.19", "the --description option")?;
            body.insert("description".into(), json!(d));
        }
        if let Some(k) = &self.key_name {
            common::require(s, "2.54", "the --key-name option")?;
            body.insert("key_name".into(), json!(k));
        } else if self.no_key_name {
            common::require(s, "2.54", "the --no-key-name option")?;
            body.insert("key_name".into(), Value::Null);
        }
        if let Some(path) = &self.user_data {
            common::require(s, "2.57", "the --user-data option")?;
            let bytes =
                std::fs::read(path).map_err(|e| Error::cmd(format!("Can't open '{path}': {e}")))?;
            body.insert("user_data".into(), json!(super::create::base64(&bytes)));
        } else if self.no_user_data {
            common::require(s, "2.57", "the --no-user-data option")?;
            body.insert("user_data".into(), Value::Null);
        }
        if !self.trusted_image_cert.is_empty() {
            common::require(s, "2.63", "the --trusted-image-cert option")?;
            body.insert(
                "trusted_image_certificates".into(),
                json!(self.trusted_image_cert),
            );
        } else if self.no_trusted_image_certs {
            common::require(s, "2.63", "the --no-trusted-image-certs option")?;
            body.insert("trusted_image_certificates".into(), Value::Null);
        }
        if let Some(h) = &self.hostname {
            common::require(s, "2.90", "the --hostname option")?;
            body.insert("hostname".into(), json!(h));
        }
        if self.reimage_boot_volume {
            common::require(s, "2.93", "the --reimage-boot-volume option")?;
        } else if current_image.is_none() {
            if common::supports(s, "2.93")? {
                return Err(Error::cmd("The server is volume-backed; pass --reimage-boot-volume to rebuild it (this wipes the root volume)"));
            }
            osc_core::log::warn("The root disk of this server is a volume; rebuilding it only works with the image it was booted from");
        }
        let status = common::str_of(&server, "status").to_lowercase();
        let done: &[&str] = match status.as_str() {
            "shutoff" => &["SHUTOFF"],
            "error" | "active" => &["ACTIVE"],
            _ => {
                return Err(Error::cmd(
                    "The server status is not ACTIVE, SHUTOFF or ERROR.",
                ))
            }
        };
        let rebuilt = common::unwrap_key(action(s, &id, json!({ "rebuild": body }))?, "server");
        if self.wait {
            wait(s, &id, done, "rebuilding")?;
            eprintln!("Complete");
        }
        Ok(Output::Show(detail(s, sdk_dict(&rebuilt))?))
    }
}

/// Evacuate a server to a different host.
#[derive(clap::Args)]
pub struct EvacuateServer {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Set the preferred host on which to rebuild the evacuated server. The host will be validated by the scheduler. (supported by --os-compute-api-version 2.29 or above)
    #[arg(long, value_name = "host")]
    host: Option<String>,
    /// Set the password on the evacuated instance. This option is mutually exclusive with the --shared-storage option. This option requires cloud support.
    #[arg(long, value_name = "password", conflicts_with = "shared_storage")]
    password: Option<String>,
    /// Indicate that the instance is on shared storage. This will be auto-calculated with --os-compute-api-version 2.14 and greater and should not be used with later microversions. This option is mutually exclusive with the --password option
    #[arg(long = "shared-storage")]
    shared_storage: bool,
    /// Wait for evacuation to complete
    #[arg(long)]
    wait: bool,
}

impl Command for EvacuateServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        if self.host.is_some() && !common::supports(s, "2.29")? {
            return Err(Error::cmd(
                "--os-compute-api-version 2.29 or later is required to specify a preferred host.",
            ));
        }
        if self.shared_storage && common::supports(s, "2.14")? {
            return Err(Error::cmd(
                "--os-compute-api-version 2.13 or earlier is required to specify shared-storage.",
            ));
        }
        let mut body = Map::new();
        if let Some(h) = &self.host {
            body.insert("host".into(), json!(h));
        }
        if let Some(p) = &self.password {
            body.insert("adminPass".into(), json!(p));
        }
        if !common::supports(s, "2.14")? {
            body.insert("onSharedStorage".into(), json!(self.shared_storage));
        }
        let server = find(s, &self.server, false)?;
        let id = common::py_str(&server["id"]);
        action(s, &id, json!({ "evacuate": body }))?;
        if self.wait {
            let done: &[&str] = if server["status"] == "SHUTOFF" {
                &["ACTIVE", "SHUTOFF"]
            } else {
                &["ACTIVE"]
            };
            wait(s, &id, done, "evacuating")?;
            eprintln!("Complete");
        }
        let fetched = super::get_server(s, &id)?;
        Ok(Output::Show(detail(s, refresh_merge(&server, &fetched))?))
    }
}
