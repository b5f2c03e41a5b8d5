//! `volume attachment complete/create/delete/list/set/show`: Cinder attachment records
//! (compute's `server add volume` does the real attach).

use crate::common::*;
use crate::volume::VOLUME;
use osc_core::{Cell, Context, Error, Method, Output, Record, Result, Session, Table};
use serde_json::{json, Map, Value};

pub const ATTACHMENT: Sdk = Sdk {
    class: "Attachment",
    path: "/attachments",
    list_path: "/attachments/detail",
    singular: "attachment",
    plural: "attachments",
    max_mv: Some("3.71"),
    attrs: &[
        "id",
        "status",
        "instance",
        "volume_id",
        "attach_time",
        "detach_time",
        "mode",
        "connection_info",
        "connector",
        "name",
        "location",
    ],
    name_filter: false,
    find_query: &[],
};

/// OSC's `_format_attachment` (Cinder's names first, the SDK's aliases as fallback).
fn format_attachment(a: &Value) -> Record {
    let cols = [
        ("ID", "id", "id"),
        ("Volume ID", "volume_id", "volume_id"),
        ("Instance ID", "instance", "instance"),
        ("Status", "status", "status"),
        ("Attach Mode", "attach_mode", "mode"),
        ("Attached At", "attached_at", "attach_time"),
        ("Detached At", "detached_at", "detach_time"),
    ];
    let pick = |k: &str, alt: &str| {
        if a.get(k).is_some() {
            a[k].clone()
        } else {
            a[alt].clone()
        }
    };
    let mut r = Record {
        fields: cols
            .iter()
            .map(|(h, k, alt)| (h.to_string(), Cell::raw(pick(k, alt))))
            .collect(),
    };
    r.push("Properties", Cell::dict(a["connection_info"].clone()));
    r
}

fn need(s: &Session, cmd: &str) -> Result<()> {
    require(
        s,
        "3.27",
        &format!("to support the 'volume attachment {cmd}' command"),
    )
}

/// Connector options shared by create and set.
#[derive(clap::Args)]
pub struct ConnectorOpts {
    /// Initiator IQN of the connector host (requires --connect)
    #[arg(long, value_name = "initiator")]
    initiator: Option<String>,
    /// IP of the connector host (requires --connect)
    #[arg(long, value_name = "ip")]
    ip: Option<String>,
    /// Name of the connector host (requires --connect)
    #[arg(long, value_name = "host")]
    host: Option<String>,
    /// Platform type of the connector host (requires --connect)
    #[arg(long, value_name = "platform")]
    platform: Option<String>,
    /// OS type of the connector host (requires --connect)
    #[arg(long, value_name = "ostype")]
    os_type: Option<String>,
    /// Use multipath (requires --connect)
    #[arg(long, overrides_with = "no_multipath")]
    multipath: bool,
    /// Do not use multipath (requires --connect)
    #[arg(long)]
    no_multipath: bool,
    /// Mountpoint volume will be attached at (requires --connect)
    #[arg(long, value_name = "mountpoint")]
    mountpoint: Option<String>,
}

impl ConnectorOpts {
    fn connector(&self) -> Value {
        json!({
            "initiator": self.initiator, "ip": self.ip, "platform": self.platform, "host": self.host,
            "os_type": self.os_type, "multipath": self.multipath, "mountpoint": self.mountpoint,
        })
    }
    fn any(&self) -> bool {
        self.initiator.is_some()
            || self.ip.is_some()
            || self.platform.is_some()
            || self.host.is_some()
            || self.multipath
            || self.mountpoint.is_some()
    }
}

/// Create an attachment for a volume.
///
/// This command will only create a volume attachment in the Volume service. It will not
/// invoke the necessary Compute service actions to actually attach the volume to the server
/// at the hypervisor level. As a result, it should typically only be used for
/// troubleshooting issues with an existing server in combination with other tooling. For
/// all other use cases, the 'server add volume' command should be preferred.
#[derive(clap::Args)]
pub struct CreateVolumeAttachment {
    /// Name or ID of volume to attach to server.
    #[arg(value_name = "volume")]
    volume: String,
    #[arg(value_name = "server", hide = true)]
    server_old: Option<String>,
    /// Make an active connection using provided connector info
    #[arg(long, overrides_with = "no_connect")]
    connect: bool,
    /// Do not make an active connection using provided connector info
    #[arg(long)]
    no_connect: bool,
    /// Name or ID of server to attach volume to.
    #[arg(long, value_name = "server")]
    server: Option<String>,
    #[command(flatten)]
    connector: ConnectorOpts,
    /// Mode of volume attachment, rw, ro and null, where null indicates we want to honor any
    /// existing admin-metadata settings (supported by --os-volume-api-version 3.54 or later)
    #[arg(long, value_name = "mode")]
    mode: Option<String>,
}

impl osc_core::Command for CreateVolumeAttachment {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "create")?;
        if self.mode.is_some() {
            require(s, "3.54", "to support the '--mode' option")?;
        }
        let mut server = self.server.clone();
        if let Some(old) = &self.server_old {
            osc_core::log::warn("The <server> positional argument is deprecated in favour of the --server <server> option argument");
            server = server.or(Some(old.clone()));
        }
        let connector = if self.connect {
            self.connector.connector()
        } else {
            if self.connector.any() {
                return Err(Error::cmd(
                    "You must specify the --connect option for any of the connection-specific options such as --initiator to be valid",
                ));
            }
            json!({})
        };
        let volume_id = VOLUME.find_id(s, &self.volume)?;
        let Some(server) = server else {
            return Err(Error::usage("the --server <server> option is required"));
        };
        let server_id = server_id(s, &server)?;
        let mut body = Map::new();
        body.insert("volume_uuid".into(), json!(volume_id));
        body.insert("connector".into(), connector);
        body.insert("instance_uuid".into(), json!(server_id));
        if let Some(m) = &self.mode {
            body.insert("mode".into(), json!(m));
        }
        let a = ATTACHMENT.create(s, Value::Object(body))?;
        Ok(Output::Show(format_attachment(&a)))
    }
}

/// Delete an attachment for a volume.
///
/// Similarly to the 'volume attachment create' command, this command will only delete the
/// volume attachment record in the Volume service. It will not invoke the necessary Compute
/// service actions to actually attach the volume to the server at the hypervisor level. As a
/// result, it should typically only be used for troubleshooting issues with an existing
/// server in combination with other tooling. For all other use cases, the 'server volume
/// remove' command should be preferred.
#[derive(clap::Args)]
pub struct DeleteVolumeAttachment {
    /// ID of volume attachment.
    #[arg(value_name = "attachment")]
    attachment: String,
}

impl osc_core::Command for DeleteVolumeAttachment {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "delete")?;
        ATTACHMENT.delete(s, &self.attachment)?;
        Ok(Output::None)
    }
}

/// Update an attachment for a volume.
///
/// This call is designed to be more of an volume attachment completion than anything else.
/// It expects the value of a connector object to notify the driver that the volume is going
/// to be connected and where it's being connected to.
#[derive(clap::Args)]
pub struct SetVolumeAttachment {
    /// ID of volume attachment.
    #[arg(value_name = "attachment")]
    attachment: String,
    #[command(flatten)]
    connector: ConnectorOpts,
}

impl osc_core::Command for SetVolumeAttachment {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "set")?;
        let a = ATTACHMENT.update(
            s,
            &self.attachment,
            json!({"connector": self.connector.connector()}),
        )?;
        Ok(Output::Show(format_attachment(&a)))
    }
}

/// Complete an attachment for a volume.
#[derive(clap::Args)]
pub struct CompleteVolumeAttachment {
    /// ID of volume attachment to mark as completed
    #[arg(value_name = "attachment")]
    attachment: String,
}

impl osc_core::Command for CompleteVolumeAttachment {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        require(
            s,
            "3.44",
            "to support the 'volume attachment complete' command",
        )?;
        ATTACHMENT.action(s, &self.attachment, json!({"os-complete": self.attachment}))?;
        Ok(Output::None)
    }
}

/// Lists all volume attachments.
#[derive(clap::Args)]
pub struct ListVolumeAttachment {
    /// Filter results by project (name or ID) (admin only)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
    /// Shows details for all projects (admin only).
    #[arg(long, env = "ALL_PROJECTS", value_parser = clap::builder::FalseyValueParser::new(), num_args = 0, default_missing_value = "true")]
    all_projects: bool,
    /// Filters results by a volume ID.
    #[arg(long, value_name = "volume-id")]
    volume_id: Option<String>,
    /// Filters results by a server ID.
    #[arg(long, value_name = "server-id")]
    server_id: Option<String>,
    /// Filters results by a status.
    #[arg(long, value_name = "status")]
    status: Option<String>,
    /// The maximum number of entries to return per page.
    #[arg(long, value_name = "limit", value_parser = non_negative, allow_hyphen_values = true)]
    limit: Option<u64>,
    /// The first position in the collection to return results from.
    #[arg(long, value_name = "marker")]
    marker: Option<String>,
    /// The maximum number of entries to return in total, paging through multiple requests
    /// if needed.
    #[arg(long, value_name = "max-items", value_parser = non_negative, allow_hyphen_values = true)]
    max_items: Option<u64>,
}

impl osc_core::Command for ListVolumeAttachment {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "list")?;
        let mut query = Vec::new();
        let project = match &self.project {
            Some(p) => Some(project_id(s, p, self.project_domain.as_deref())?),
            None => None,
        };
        let all = self.project.is_some() || self.all_projects;
        query.push((
            "all_tenants".to_string(),
            crate::volume::py_bool(all).to_string(),
        ));
        q(&mut query, "project_id", project);
        q(&mut query, "volume_id", self.volume_id.as_ref());
        q(&mut query, "instance_id", self.server_id.as_ref());
        q(&mut query, "status", self.status.as_ref());
        q(&mut query, "limit", self.limit);
        q(&mut query, "marker", self.marker.as_ref());
        let items = ATTACHMENT.list_max(s, &query, self.max_items.map(|m| m as usize))?;
        let mut t = Table::new(["ID", "Volume ID", "Server ID", "Status"]);
        for a in &items {
            t.rows.push(
                ["id", "volume_id", "instance", "status"]
                    .iter()
                    .map(|k| Cell::raw(a[*k].clone()))
                    .collect(),
            );
        }
        Ok(Output::List(t))
    }
}

/// Show detailed information for a volume attachment.
#[derive(clap::Args)]
pub struct ShowVolumeAttachment {
    /// ID of volume attachment.
    #[arg(value_name = "attachment")]
    attachment: String,
}

impl osc_core::Command for ShowVolumeAttachment {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "show")?;
        let a = s.json(ATTACHMENT.req(s, Method::GET, ATTACHMENT.item(&self.attachment))?)?;
        Ok(Output::Show(format_attachment(
            a.get("attachment").unwrap_or(&a),
        )))
    }
}
