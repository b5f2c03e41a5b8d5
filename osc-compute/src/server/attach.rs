//! What a server is connected to: fixed and floating IPs, networks, ports, security groups,
//! volumes (`server add|remove volume`, `server volume list|set|update`) and shares.

use super::{action, find_id, server_path};
use crate::common::{self, mv, NETWORKS, PORTS, VOLUMES};
use osc_core::resource::{encode_segment, Resource};
use osc_core::{Cell, Command, Context, Error, Output, Record, Result, Session, Table};
use serde_json::{json, Value};

const FLOATING_IPS: Resource =
    Resource::new("network", "/floatingips", "floatingip", "floatingips")
        .display("floating IP")
        .name_query(Some("floating_ip_address"))
        .name_field("floating_ip_address");
const SHARES: Resource = Resource::new("shared-file-system", "/shares", "share", "shares");

fn interfaces_path(id: &str) -> String {
    format!("{}/os-interface", server_path(id))
}

fn create_interface(s: &Session, server_id: &str, body: Value) -> Result<Value> {
    let r = common::post(
        s,
        &interfaces_path(server_id),
        json!({ "interfaceAttachment": body }),
        mv::INTERFACE,
    )?;
    Ok(common::unwrap_key(r, "interfaceAttachment"))
}

fn tag_check(s: &Session, tag: &Option<String>) -> Result<()> {
    if tag.is_some() {
        common::require(s, "2.49", "the --tag option")?;
    }
    Ok(())
}

/// Add fixed IP address to server
#[derive(clap::Args)]
pub struct AddFixedIp {
    /// Server to receive the fixed IP address (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Network to allocate the fixed IP address from (name or ID)
    #[arg(value_name = "network")]
    network: String,
    /// Requested fixed IP address
    #[arg(long = "fixed-ip-address", value_name = "ip-address")]
    fixed_ip_address: Option<String>,
    /// Tag for the attached interface. (supported by --os-compute-api-version 2.49 or above)
    #[arg(long, value_name = "tag")]
    tag: Option<String>,
}

impl Command for AddFixedIp {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = find_id(s, &self.server, false)?;
        tag_check(s, &self.tag)?;
        let net = NETWORKS.find_id(s, &self.network)?;
        let mut body = json!({ "net_id": net });
        if let Some(ip) = &self.fixed_ip_address {
            body["fixed_ips"] = json!([{ "ip_address": ip }]);
        }
        if let Some(t) = &self.tag {
            body["tag"] = json!(t);
        }
        let i = create_interface(s, &id, body)?;
        let mut r = Record::new()
            .with("Port ID", i["port_id"].clone())
            .with(
                "Server ID",
                i.get("server_id").cloned().unwrap_or(json!(id)),
            )
            .with("Network ID", i["net_id"].clone())
            .with("MAC Address", i["mac_addr"].clone())
            .with("Port State", i["port_state"].clone())
            .with(
                "Fixed IPs",
                crate::common::list_dict_cell(i["fixed_ips"].clone()),
            );
        if self.tag.is_some() {
            r.push("Tag", i["tag"].clone());
        }
        Ok(Output::Show(r))
    }
}

/// Remove fixed IP address from server
#[derive(clap::Args)]
pub struct RemoveFixedIp {
    /// Server to remove the fixed IP address from (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Fixed IP address to remove from the server (IP only)
    #[arg(value_name = "ip-address")]
    ip_address: String,
}

impl Command for RemoveFixedIp {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = find_id(s, &self.server, false)?;
        // Removed from the API in 2.44: sent at 2.43 at most, as novaclient did.
        let version = if common::supports(s, "2.44")? {
            "2.43"
        } else {
            mv::SERVER
        };
        common::post(
            s,
            &format!("{}/action", super::server_path(&id)),
            json!({"removeFixedIp": {"address": self.ip_address}}),
            version,
        )?;
        Ok(Output::None)
    }
}

fn find_floating_ip(s: &Session, ip: &str) -> Result<Value> {
    FLOATING_IPS.find(s, ip)
}

/// Add floating IP address to server
#[derive(clap::Args)]
pub struct AddFloatingIp {
    /// Server to receive the floating IP address (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Floating IP address to assign to the first available server port (IP only)
    #[arg(value_name = "ip-address")]
    ip_address: String,
    /// Fixed IP address to associate with this floating IP address. The first server port containing the fixed IP address will be used
    #[arg(long = "fixed-ip-address", value_name = "ip-address")]
    fixed_ip_address: Option<String>,
}

impl Command for AddFloatingIp {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let fip = find_floating_ip(s, &self.ip_address)?;
        let fip_id = common::py_str(&fip["id"]);
        let id = find_id(s, &self.server, false)?;
        let ports = PORTS.list(s, &[("device_id".into(), id.clone())])?;
        if ports.is_empty() {
            return Err(Error::cmd(
                "No attached ports found to associate floating IP with",
            ));
        }
        let path = format!("/floatingips/{fip_id}");
        if let Some(fixed) = &self.fixed_ip_address {
            let port = ports
                .iter()
                .find(|p| {
                    p["fixed_ips"]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|ip| ip["ip_address"] == json!(fixed)))
                })
                .ok_or_else(|| Error::cmd(format!("No port found for fixed IP address {fixed}")))?;
            s.put(
                "network",
                &path,
                json!({"floatingip": {"port_id": port["id"], "fixed_ip_address": fixed}}),
            )?;
            return Ok(Output::None);
        }
        // Some ports may not reach a router: try each until one works.
        let mut last = None;
        for p in &ports {
            match s.put(
                "network",
                &path,
                json!({"floatingip": {"port_id": p["id"]}}),
            ) {
                Ok(_) => return Ok(Output::None),
                Err(e) if e.is_not_found() => {
                    osc_core::log::info(&format!(
                        "Skipped port {} because it is not attached to an external network",
                        common::py_str(&p["id"])
                    ));
                    last = Some(e);
                }
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::cmd("No port could be associated with the floating IP")))
    }
}

/// Remove floating IP address from server
#[derive(clap::Args)]
pub struct RemoveFloatingIp {
    /// Server to remove the floating IP address from (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Floating IP address to remove from server (IP only)
    #[arg(value_name = "ip-address")]
    ip_address: String,
}

impl Command for RemoveFloatingIp {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let fip = find_floating_ip(s, &self.ip_address)?;
        let fip_id = common::py_str(&fip["id"]);
        s.put(
            "network",
            &format!("/floatingips/{fip_id}"),
            json!({"floatingip": {"port_id": null}}),
        )?;
        Ok(Output::None)
    }
}

/// Add port to server
#[derive(clap::Args)]
pub struct AddPort {
    /// Server to add the port to (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Port to add to the server (name or ID)
    #[arg(value_name = "port")]
    port: String,
    /// Tag for the attached interface. (supported by --os-compute-api-version 2.49 or later)
    #[arg(long, value_name = "tag")]
    tag: Option<String>,
}

impl Command for AddPort {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = find_id(s, &self.server, false)?;
        let port = PORTS.find_id(s, &self.port)?;
        tag_check(s, &self.tag)?;
        let mut body = json!({ "port_id": port });
        if let Some(t) = &self.tag {
            body["tag"] = json!(t);
        }
        create_interface(s, &id, body)?;
        Ok(Output::None)
    }
}

/// Remove port from server
#[derive(clap::Args)]
pub struct RemovePort {
    /// Server to remove the port from (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Port to remove from the server (name or ID)
    #[arg(value_name = "port")]
    port: String,
}

impl Command for RemovePort {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = find_id(s, &self.server, false)?;
        let port = PORTS.find_id(s, &self.port)?;
        common::delete(
            s,
            &format!("{}/{}", interfaces_path(&id), encode_segment(&port)),
            mv::INTERFACE,
        )?;
        Ok(Output::None)
    }
}

/// Add network to server
#[derive(clap::Args)]
pub struct AddNetwork {
    /// Server to add the network to (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Network to add to the server (name or ID)
    #[arg(value_name = "network")]
    network: String,
    /// Tag for the attached interface. (supported by --os-compute-api-version 2.49 or later)
    #[arg(long, value_name = "tag")]
    tag: Option<String>,
}

impl Command for AddNetwork {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = find_id(s, &self.server, false)?;
        let net = NETWORKS.find_id(s, &self.network)?;
        tag_check(s, &self.tag)?;
        let mut body = json!({ "net_id": net });
        if let Some(t) = &self.tag {
            body["tag"] = json!(t);
        }
        create_interface(s, &id, body)?;
        Ok(Output::None)
    }
}

/// Remove all ports of a network from server
#[derive(clap::Args)]
pub struct RemoveNetwork {
    /// Server to remove the port from (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Network to remove from the server (name or ID)
    #[arg(value_name = "network")]
    network: String,
}

impl Command for RemoveNetwork {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = find_id(s, &self.server, false)?;
        let net = NETWORKS.find_id(s, &self.network)?;
        let list = common::get(s, &interfaces_path(&id), mv::INTERFACE)?;
        for i in common::take(list, "interfaceAttachments") {
            if i["net_id"].as_str() == Some(net.as_str()) {
                let port = common::py_str(&i["port_id"]);
                common::delete(
                    s,
                    &format!("{}/{}", interfaces_path(&id), encode_segment(&port)),
                    mv::INTERFACE,
                )?;
            }
        }
        Ok(Output::None)
    }
}

/// Add security group(s) to server
#[derive(clap::Args)]
pub struct AddSecurityGroup {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Security group(s) to add to the server (name or ID)
    #[arg(value_name = "security-group", required = true)]
    security_groups: Vec<String>,
}

/// Remove security group(s) from server
#[derive(clap::Args)]
pub struct RemoveSecurityGroup {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Security group(s) to remove from server (name or ID)
    #[arg(value_name = "security-group", required = true)]
    security_groups: Vec<String>,
}

fn security_group_action(
    ctx: &Context,
    server: &str,
    groups: &[String],
    add: bool,
) -> Result<Output> {
    let s = ctx.session()?;
    let id = find_id(s, server, false)?;
    let key = if add {
        "addSecurityGroup"
    } else {
        "removeSecurityGroup"
    };
    let mut errors = 0;
    for g in groups {
        // Nova resolves Neutron group names and IDs itself.
        if let Err(e) = action(s, &id, json!({ key: { "name": g } })) {
            errors += 1;
            let (verb, prep) = if add {
                ("add", "to")
            } else {
                ("remove", "from")
            };
            osc_core::log::warn(&format!(
                "Failed to {verb} security group with name or ID '{g}' {prep} server '{id}': {e}"
            ));
        }
    }
    if errors > 0 {
        let done = if add { "added" } else { "removed" };
        return Err(Error::cmd(format!(
            "{errors} of {} security groups were not {done}.",
            groups.len()
        )));
    }
    Ok(Output::None)
}

impl Command for AddSecurityGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        security_group_action(ctx, &self.server, &self.security_groups, true)
    }
}

impl Command for RemoveSecurityGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        security_group_action(ctx, &self.server, &self.security_groups, false)
    }
}

fn attachments_path(id: &str) -> String {
    format!("{}/os-volume_attachments", server_path(id))
}

/// Add volume to server.
#[derive(clap::Args)]
pub struct AddVolume {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Volume to add (name or ID)
    #[arg(value_name = "volume")]
    volume: String,
    /// Server internal device name for volume
    #[arg(long, value_name = "device")]
    device: Option<String>,
    /// Tag for the attached volume (supported by --os-compute-api-version 2.49 or above)
    #[arg(long, value_name = "tag")]
    tag: Option<String>,
    /// Delete the volume when the server is destroyed (supported by --os-compute-api-version 2.79 or above)
    #[arg(
        long = "enable-delete-on-termination",
        conflicts_with = "disable_delete_on_termination"
    )]
    enable_delete_on_termination: bool,
    /// Do not delete the volume when the server is destroyed (supported by --os-compute-api-version 2.79 or above)
    #[arg(long = "disable-delete-on-termination")]
    disable_delete_on_termination: bool,
}

impl Command for AddVolume {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = find_id(s, &self.server, false)?;
        let vol = VOLUMES.find_id(s, &self.volume)?;
        let mut body = json!({ "volumeId": vol, "device": self.device });
        if let Some(t) = &self.tag {
            common::require(s, "2.49", "the --tag option")?;
            body["tag"] = json!(t);
        }
        if self.enable_delete_on_termination {
            common::require(s, "2.79", "the --enable-delete-on-termination option.")?;
            body["delete_on_termination"] = json!(true);
        }
        if self.disable_delete_on_termination {
            common::require(s, "2.79", "the --disable-delete-on-termination option.")?;
            body["delete_on_termination"] = json!(false);
        }
        let r = common::post(
            s,
            &attachments_path(&id),
            json!({ "volumeAttachment": body }),
            mv::VOLUME_ATTACHMENT,
        )?;
        let a = common::unwrap_key(r, "volumeAttachment");
        let mut rec = Record::new()
            .with("ID", a["id"].clone())
            .with("Server ID", a["serverId"].clone())
            .with("Volume ID", a["volumeId"].clone())
            .with("Device", a["device"].clone());
        if common::supports(s, "2.49")? {
            rec.push("Tag", a.get("tag").cloned().unwrap_or(Value::Null));
        }
        if common::supports(s, "2.79")? {
            rec.push(
                "Delete On Termination",
                a.get("delete_on_termination")
                    .cloned()
                    .unwrap_or(Value::Null),
            );
        }
        Ok(Output::Show(rec))
    }
}

/// Remove volume from server.
#[derive(clap::Args)]
pub struct RemoveVolume {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Volume to remove (name or ID)
    #[arg(value_name = "volume")]
    volume: String,
}

impl Command for RemoveVolume {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = find_id(s, &self.server, false)?;
        let vol = VOLUMES.find_id(s, &self.volume)?;
        common::delete(
            s,
            &format!("{}/{}", attachments_path(&id), encode_segment(&vol)),
            mv::VOLUME_ATTACHMENT,
        )?;
        Ok(Output::None)
    }
}

/// List all the volumes attached to a server.
#[derive(clap::Args)]
pub struct ListServerVolume {
    /// Server to list volume attachments for (name or ID)
    #[arg(value_name = "server")]
    server: String,
}

impl Command for ListServerVolume {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = find_id(s, &self.server, false)?;
        let list = common::take(
            common::get(s, &attachments_path(&id), mv::VOLUME_ATTACHMENT)?,
            "volumeAttachments",
        );
        let v289 = common::supports(s, "2.89")?;
        let v270 = common::supports(s, "2.70")?;
        let v279 = common::supports(s, "2.79")?;
        let mut cols: Vec<(&str, &str)> = Vec::new();
        if !v289 {
            cols.push(("ID", "id"));
        }
        cols.extend([
            ("Device", "device"),
            ("Server ID", "serverId"),
            ("Volume ID", "volumeId"),
        ]);
        if v270 {
            cols.push(("Tag", "tag"));
        }
        if v279 {
            cols.push(("Delete On Termination?", "delete_on_termination"));
        }
        if v289 {
            cols.extend([
                ("Attachment ID", "attachment_id"),
                ("BlockDeviceMapping UUID", "bdm_uuid"),
            ]);
        }
        let mut t = Table::new(cols.iter().map(|c| c.0));
        for a in &list {
            t.rows.push(
                cols.iter()
                    .map(|(_, k)| Cell::raw(a.get(*k).cloned().unwrap_or(Value::Null)))
                    .collect(),
            );
        }
        Ok(Output::List(t))
    }
}

/// Update a volume attachment on the server.
#[derive(clap::Args)]
pub struct SetServerVolume {
    /// Server to update volume for (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Volume (ID)
    #[arg(value_name = "volume")]
    volume: String,
    /// Delete the volume when the server is destroyed (supported by --os-compute-api-version 2.85 or above)
    #[arg(
        long = "delete-on-termination",
        conflicts_with = "preserve_on_termination"
    )]
    delete_on_termination: bool,
    /// Preserve the volume when the server is destroyed (supported by --os-compute-api-version 2.85 or above)
    #[arg(long = "preserve-on-termination")]
    preserve_on_termination: bool,
}

impl Command for SetServerVolume {
    fn run(self, ctx: &Context) -> Result<Output> {
        if !self.delete_on_termination && !self.preserve_on_termination {
            return Ok(Output::None);
        }
        let s = ctx.session()?;
        common::require(
            s,
            "2.85",
            "the -delete-on-termination or --preserve-on-termination option",
        )?;
        let id = find_id(s, &self.server, false)?;
        let vol = VOLUMES.find_id(s, &self.volume)?;
        let body = json!({"volumeAttachment": {"volumeId": vol, "delete_on_termination": self.delete_on_termination}});
        common::put(
            s,
            &format!("{}/{}", attachments_path(&id), encode_segment(&vol)),
            body,
            mv::VOLUME_ATTACHMENT,
        )?;
        Ok(Output::None)
    }
}

// ---- shares (2.97+) ------------------------------------------------------------------------

fn shares_path(id: &str) -> String {
    format!("{}/shares", server_path(id))
}

fn share_record(a: &Value) -> Record {
    let get = |k: &str| a.get(k).cloned().unwrap_or(Value::Null);
    let mut r = Record::new();
    let admin_view = !get("uuid").is_null();
    if admin_view {
        r.push(
            "Export Location",
            a.get("export_location").cloned().unwrap_or(json!("")),
        );
    }
    r.push("Share ID", get("share_id"));
    r.push("Status", get("status"));
    r.push("Tag", get("tag"));
    if admin_view {
        r.push("UUID", get("uuid"));
    }
    r
}

fn share_setup(
    ctx: &Context,
    server: &str,
    share: Option<&str>,
) -> Result<(String, Option<String>)> {
    let s = ctx.session()?;
    common::require(s, "2.97", "share attachments")?;
    let id = find_id(s, server, false)?;
    let share_id = match share {
        Some(sh) => Some(SHARES.find_id(s, sh)?),
        None => None,
    };
    Ok((id, share_id))
}

/// Add a share to a server.
#[derive(clap::Args)]
pub struct AddServerShare {
    /// Server to use (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Share to add to the server (name or ID)
    #[arg(value_name = "share")]
    share: String,
    /// Tag for the attached share, if not provided the share uuid is used as tag by default
    #[arg(long, value_name = "tag")]
    tag: Option<String>,
}

impl Command for AddServerShare {
    fn run(self, ctx: &Context) -> Result<Output> {
        let (id, share) = share_setup(ctx, &self.server, Some(&self.share))?;
        let s = ctx.session()?;
        let mut body = json!({ "share_id": share });
        if let Some(t) = &self.tag {
            body["tag"] = json!(t);
        }
        let r = common::post(s, &shares_path(&id), json!({ "share": body }), mv::SHARE)?;
        Ok(Output::Show(share_record(&common::unwrap_key(r, "share"))))
    }
}

/// Remove a share from a server.
#[derive(clap::Args)]
pub struct RemoveServerShare {
    /// Server to use (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Share to remove from the server (name or ID)
    #[arg(value_name = "share")]
    share: String,
}

impl Command for RemoveServerShare {
    fn run(self, ctx: &Context) -> Result<Output> {
        let (id, share) = share_setup(ctx, &self.server, Some(&self.share))?;
        let s = ctx.session()?;
        common::delete(
            s,
            &format!(
                "{}/{}",
                shares_path(&id),
                encode_segment(&share.unwrap_or_default())
            ),
            mv::SHARE,
        )?;
        Ok(Output::None)
    }
}

/// List all the shares attached to a server.
#[derive(clap::Args)]
pub struct ListServerShare {
    /// Server to list share mapping for (name or ID)
    #[arg(value_name = "server")]
    server: String,
}

impl Command for ListServerShare {
    fn run(self, ctx: &Context) -> Result<Output> {
        let (id, _) = share_setup(ctx, &self.server, None)?;
        let s = ctx.session()?;
        let list = common::take(common::get(s, &shares_path(&id), mv::SHARE)?, "shares");
        let mut t = Table::new(["Share ID", "Status", "Tag"]);
        for a in &list {
            t.rows.push(vec![
                Cell::raw(a["share_id"].clone()),
                Cell::raw(a["status"].clone()),
                Cell::raw(a["tag"].clone()),
            ]);
        }
        Ok(Output::List(t))
    }
}

/// Show detail of a share attachment to a server.
#[derive(clap::Args)]
pub struct ShowServerShare {
    /// Server to use (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Share to show (name or ID)
    #[arg(value_name = "share")]
    share: String,
}

impl Command for ShowServerShare {
    fn run(self, ctx: &Context) -> Result<Output> {
        let (id, share) = share_setup(ctx, &self.server, Some(&self.share))?;
        let s = ctx.session()?;
        let r = common::get(
            s,
            &format!(
                "{}/{}",
                shares_path(&id),
                encode_segment(&share.unwrap_or_default())
            ),
            mv::SHARE,
        )?;
        Ok(Output::Show(share_record(&common::unwrap_key(r, "share"))))
    }
}
