//! `volume group create/delete/failover/list/set/show` and `volume group add/remove
//! volume` (generic volume groups, 3.13+).

use crate::common::*;
use crate::group_snapshot::GROUP_SNAPSHOT;
use crate::group_type::GROUP_TYPE;
use crate::volume::VOLUME;
use crate::volume_type::TYPE;
use osc_core::{Cell, Context, Error, Method, Output, Record, Result, Session, Table};
use serde_json::{json, Map, Value};

pub const GROUP: Sdk = Sdk {
    class: "Group",
    path: "/groups",
    list_path: "/groups/detail",
    singular: "group",
    plural: "groups",
    max_mv: Some("3.38"),
    attrs: &[
        "availability_zone",
        "created_at",
        "description",
        "group_snapshot_id",
        "group_type",
        "project_id",
        "replication_targets",
        "replication_status",
        "source_group_id",
        "status",
        "volumes",
        "volume_types",
        "add_volumes",
        "remove_volumes",
        "id",
        "name",
        "location",
    ],
    name_filter: false,
    find_query: &[],
};

fn format_group(g: &Value) -> Record {
    let cols = [
        ("ID", "id"),
        ("Status", "status"),
        ("Name", "name"),
        ("Description", "description"),
        ("Group Type", "group_type"),
        ("Volume Types", "volume_types"),
        ("Availability Zone", "availability_zone"),
        ("Created At", "created_at"),
        ("Volumes", "volumes"),
        ("Group Snapshot ID", "group_snapshot_id"),
        ("Source Group ID", "source_group_id"),
    ];
    Record {
        fields: cols
            .iter()
            .map(|(h, k)| (h.to_string(), Cell::raw(g[*k].clone())))
            .collect(),
    }
}

fn need(s: &Session, v: &str, cmd: &str) -> Result<()> {
    require(
        s,
        v,
        &format!("to support the 'volume group {cmd}' command"),
    )
}

/// Create a volume group.
///
/// Generic volume groups enable you to create a group of volumes and manage them together.
/// This command requires ``--os-volume-api-version`` 3.13 or greater.
#[derive(clap::Args)]
pub struct CreateVolumeGroup {
    #[arg(value_name = "volume_group_type", hide = true, conflicts_with_all = ["volume_group_type", "source_group", "group_snapshot"])]
    volume_group_type_legacy: Option<String>,
    #[arg(value_name = "volume_type", hide = true, num_args = 0..)]
    volume_types_legacy: Vec<String>,
    /// Volume group type to use (name or ID)
    #[arg(long, value_name = "volume_group_type", conflicts_with_all = ["source_group", "group_snapshot"])]
    volume_group_type: Option<String>,
    /// Volume type(s) to use (name or ID) (required with --volume-group-type)
    #[arg(long = "volume-type", value_name = "volume_type")]
    volume_types: Vec<String>,
    /// Existing volume group to use (name or ID) (supported by --os-volume-api-version 3.14
    /// or later)
    #[arg(long, value_name = "source-group", conflicts_with = "group_snapshot")]
    source_group: Option<String>,
    /// Existing group snapshot to use (name or ID) (supported by --os-volume-api-version
    /// 3.14 or later)
    #[arg(long, value_name = "group-snapshot")]
    group_snapshot: Option<String>,
    /// Name of the volume group.
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// Description of a volume group.
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// Availability zone for volume group. (not available if creating group from source)
    #[arg(long, value_name = "availability-zone")]
    availability_zone: Option<String>,
}

impl osc_core::Command for CreateVolumeGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        if self.volume_group_type_legacy.is_some() {
            osc_core::log::warn(
                "Passing volume group type and volume types as positional arguments is deprecated. Use the --volume-group-type and --volume-type option arguments instead.",
            );
        }
        let group_type = self
            .volume_group_type
            .clone()
            .or(self.volume_group_type_legacy.clone());
        let mut types = self.volume_types.clone();
        types.extend(self.volume_types_legacy.iter().cloned());
        let id = if let Some(gt) = group_type {
            need(s, "3.13", "create")?;
            if types.is_empty() {
                return Err(Error::cmd(
                    "--volume-types is a required argument when creating a group from group type.",
                ));
            }
            let gt_id = GROUP_TYPE.find_id(s, &gt)?;
            let type_ids = types
                .iter()
                .map(|t| TYPE.find_id(s, t))
                .collect::<Result<Vec<_>>>()?;
            let g = GROUP.create(
                s,
                json!({
                    "group_type": gt_id, "volume_types": type_ids, "name": self.name,
                    "description": self.description, "availability_zone": self.availability_zone,
                }),
            )?;
            str_of(&g, "id")
        } else {
            require(
                s,
                "3.14",
                "to support the 'volume group create [--source-group|--group-snapshot]' command",
            )?;
            if self.source_group.is_none() && self.group_snapshot.is_none() {
                return Err(Error::cmd(
                    "Either --source-group <source_group> or '--group-snapshot <group_snapshot>' needs to be provided to run the 'volume group create [--source-group|--group-snapshot]' command",
                ));
            }
            if self.availability_zone.is_some() {
                osc_core::log::warn(
                    "'--availability-zone' option will not work if creating group from source.",
                );
            }
            let source = self
                .source_group
                .as_ref()
                .map(|g| GROUP.find_id(s, g))
                .transpose()?;
            let snap = self
                .group_snapshot
                .as_ref()
                .map(|g| GROUP_SNAPSHOT.find_id(s, g))
                .transpose()?;
            let body = json!({"create-from-src": {
                "name": self.name, "description": self.description,
                "group_snapshot_id": snap, "source_group_id": source,
            }});
            let r = s.json(GROUP.req(s, Method::POST, "/groups/action")?.json(body))?;
            str_of(r.get("group").unwrap_or(&r), "id")
        };
        Ok(Output::Show(format_group(&GROUP.get(s, &id)?)))
    }
}

/// Delete a volume group.
///
/// This command requires ``--os-volume-api-version`` 3.13 or greater.
#[derive(clap::Args)]
pub struct DeleteVolumeGroup {
    /// Name or ID of volume group to delete
    #[arg(value_name = "group")]
    group: String,
    /// Delete the volume group even if it contains volumes. This will delete any remaining
    /// volumes in the group.
    #[arg(long)]
    force: bool,
}

impl osc_core::Command for DeleteVolumeGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "3.13", "delete")?;
        let id = GROUP.find_id(s, &self.group)?;
        GROUP.action(s, &id, json!({"delete": {"delete-volumes": self.force}}))?;
        Ok(Output::None)
    }
}

/// Update a volume group.
///
/// This command requires ``--os-volume-api-version`` 3.13 or greater.
#[derive(clap::Args)]
pub struct SetVolumeGroup {
    /// Name or ID of volume group.
    #[arg(value_name = "group")]
    group: String,
    /// New name for group.
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// New description for group.
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// Enable replication for group. (supported by --os-volume-api-version 3.38 or above)
    #[arg(long, conflicts_with = "disable_replication")]
    enable_replication: bool,
    /// Disable replication for group. (supported by --os-volume-api-version 3.38 or above)
    #[arg(long)]
    disable_replication: bool,
}

impl osc_core::Command for SetVolumeGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "3.13", "set")?;
        let mut g = GROUP.find(s, &self.group)?;
        let id = str_of(&g, "id");
        if self.enable_replication || self.disable_replication {
            require(
                s,
                "3.38",
                "to support the '--enable-replication' or '--disable-replication' options",
            )?;
            let action = if self.enable_replication {
                "enable_replication"
            } else {
                "disable_replication"
            };
            GROUP.action(s, &id, json!({ action: null }))?;
        }
        let mut update = Map::new();
        if let Some(n) = &self.name {
            update.insert("name".into(), json!(n));
        }
        if let Some(d) = &self.description {
            update.insert("description".into(), json!(d));
        }
        if !update.is_empty() {
            GROUP.update(s, &id, Value::Object(update.clone()))?;
            // The SDK merges what it sent into the object it shows.
            if let Some(m) = g.as_object_mut() {
                m.extend(update);
            }
        }
        Ok(Output::Show(format_group(&g)))
    }
}

/// Lists all volume groups.
///
/// This command requires ``--os-volume-api-version`` 3.13 or greater.
#[derive(clap::Args)]
pub struct ListVolumeGroup {
    /// Shows details for all projects (admin only).
    #[arg(long, env = "ALL_PROJECTS", value_parser = clap::builder::FalseyValueParser::new(), num_args = 0, default_missing_value = "true")]
    all_projects: bool,
}

pub fn all_projects_query(all: bool) -> Vec<(String, String)> {
    // OSC always sends the flag, `False` included.
    vec![("all_tenants".into(), crate::volume::py_bool(all).into())]
}

impl osc_core::Command for ListVolumeGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "3.13", "list")?;
        let mut t = Table::new(["ID", "Status", "Name"]);
        for g in GROUP.list(s, &all_projects_query(self.all_projects))? {
            t.rows.push(
                ["id", "status", "name"]
                    .iter()
                    .map(|k| Cell::raw(g[*k].clone()))
                    .collect(),
            );
        }
        Ok(Output::List(t))
    }
}

/// Show detailed information for a volume group.
///
/// This command requires ``--os-volume-api-version`` 3.13 or greater.
#[derive(clap::Args)]
pub struct ShowVolumeGroup {
    /// Name or ID of volume group.
    #[arg(value_name = "group")]
    group: String,
    /// Show volumes included in the group. (supported by --os-volume-api-version 3.25 or above)
    #[arg(long, overrides_with = "no_volumes")]
    volumes: bool,
    /// Do not show volumes included in the group. (supported by --os-volume-api-version 3.25
    /// or above)
    #[arg(long)]
    no_volumes: bool,
    /// Show replication targets for the group. (supported by --os-volume-api-version 3.38 or
    /// above)
    #[arg(long, overrides_with = "no_replication_targets")]
    replication_targets: bool,
    /// Do not show replication targets for the group. (supported by --os-volume-api-version
    /// 3.38 or above)
    #[arg(long)]
    no_replication_targets: bool,
}

impl osc_core::Command for ShowVolumeGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "3.13", "show")?;
        let show_volumes = if self.volumes {
            Some(true)
        } else if self.no_volumes {
            Some(false)
        } else {
            None
        };
        if show_volumes.is_some() {
            require(s, "3.25", "to support the '--(no-)volumes' option")?;
        }
        if self.replication_targets || self.no_replication_targets {
            require(
                s,
                "3.38",
                "to support the '--(no-)replication-targets' option",
            )?;
        }
        let mut g = GROUP.find(s, &self.group)?;
        if let Some(v) = show_volumes {
            let req = GROUP
                .req(s, Method::GET, GROUP.item(&str_of(&g, "id")))?
                .query("list_volume", crate::volume::py_bool(v));
            let r = s.json(req)?;
            g = r.get("group").cloned().unwrap_or(r);
        }
        Ok(Output::Show(format_group(&g)))
    }
}

/// Failover replication for a volume group.
///
/// This command requires ``--os-volume-api-version`` 3.38 or greater.
#[derive(clap::Args)]
pub struct FailoverVolumeGroup {
    /// Name or ID of volume group to failover replication for.
    #[arg(value_name = "group")]
    group: String,
    /// Allow group with attached volumes to be failed over.
    #[arg(long, overrides_with = "disallow_attached_volume")]
    allow_attached_volume: bool,
    /// Disallow group with attached volumes to be failed over.
    #[arg(long)]
    disallow_attached_volume: bool,
    /// Secondary backend ID.
    #[arg(long, value_name = "backend_id")]
    secondary_backend_id: Option<String>,
}

impl osc_core::Command for FailoverVolumeGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "3.38", "failover")?;
        let id = GROUP.find_id(s, &self.group)?;
        let body = json!({"failover_replication": {
            "allow_attached_volume": self.allow_attached_volume,
            "secondary_backend_id": self.secondary_backend_id,
        }});
        GROUP.action(s, &id, body)?;
        Ok(Output::None)
    }
}

/// Add volume(s) to volume group.
#[derive(clap::Args)]
pub struct AddVolumesToGroup {
    /// Name or ID of the volume group.
    #[arg(value_name = "group")]
    group: String,
    /// Volume(s) to add to the group (name or ID)
    #[arg(value_name = "volume", required = true)]
    volumes: Vec<String>,
}

impl osc_core::Command for AddVolumesToGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        change_volumes(ctx, &self.group, &self.volumes, "add_volumes")
    }
}

fn change_volumes(ctx: &Context, group: &str, volumes: &[String], key: &str) -> Result<Output> {
    let s = ctx.session()?;
    let id = GROUP.find_id(s, group)?;
    let ids = volumes
        .iter()
        .map(|v| VOLUME.find_id(s, v))
        .collect::<Result<Vec<_>>>()?;
    GROUP.update(s, &id, json!({ key: ids.join(",") }))?;
    Ok(Output::None)
}

/// Remove volume(s) from volume group.
#[derive(clap::Args)]
pub struct RemoveVolumesFromGroup {
    /// Name or ID of the volume group.
    #[arg(value_name = "group")]
    group: String,
    /// Volume(s) to remove from the group (name or ID)
    #[arg(value_name = "volume", required = true)]
    volumes: Vec<String>,
}

impl osc_core::Command for RemoveVolumesFromGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        change_volumes(ctx, &self.group, &self.volumes, "remove_volumes")
    }
}
