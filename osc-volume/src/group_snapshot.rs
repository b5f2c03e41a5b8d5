//! `volume group snapshot create/delete/list/show` (3.14+).

use crate::common::*;
use crate::group::{all_projects_query, GROUP};
use osc_core::{Cell, Context, Output, Record, Result, Session, Table};
use serde_json::{json, Value};

pub const GROUP_SNAPSHOT: Sdk = Sdk {
    class: "GroupSnapshot",
    path: "/group_snapshots",
    list_path: "/group_snapshots/detail",
    singular: "group_snapshot",
    plural: "group_snapshots",
    max_mv: Some("3.29"),
    attrs: &[
        "created_at",
        "description",
        "group_id",
        "group_type_id",
        "id",
        "name",
        "project_id",
        "status",
        "location",
    ],
    name_filter: false,
    find_query: &[],
};

fn format_group_snapshot(g: &Value) -> Record {
    let cols = [
        ("ID", "id"),
        ("Status", "status"),
        ("Name", "name"),
        ("Description", "description"),
        ("Group", "group_id"),
        ("Group Type", "group_type_id"),
    ];
    Record {
        fields: cols
            .iter()
            .map(|(h, k)| (h.to_string(), Cell::raw(g[*k].clone())))
            .collect(),
    }
}

fn need(s: &Session, cmd: &str) -> Result<()> {
    require(
        s,
        "3.14",
        &format!("to support the 'volume group snapshot {cmd}' command"),
    )
}

/// Create a volume group snapshot.
///
/// This command requires ``--os-volume-api-version`` 3.13 or greater.
#[derive(clap::Args)]
pub struct CreateVolumeGroupSnapshot {
    /// Name or ID of volume group to create a snapshot of.
    #[arg(value_name = "volume_group")]
    volume_group: String,
    /// Name of the volume group snapshot.
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// Description of a volume group snapshot.
    #[arg(long, value_name = "description")]
    description: Option<String>,
}

impl osc_core::Command for CreateVolumeGroupSnapshot {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "create")?;
        let group_id = GROUP.find_id(s, &self.volume_group)?;
        let g = GROUP_SNAPSHOT.create(
            s,
            json!({"group_id": group_id, "name": self.name, "description": self.description}),
        )?;
        Ok(Output::Show(format_group_snapshot(&g)))
    }
}

/// Delete a volume group snapshot.
///
/// This command requires ``--os-volume-api-version`` 3.14 or greater.
#[derive(clap::Args)]
pub struct DeleteVolumeGroupSnapshot {
    /// Name or ID of volume group snapshot to delete
    #[arg(value_name = "snapshot")]
    snapshot: String,
}

impl osc_core::Command for DeleteVolumeGroupSnapshot {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "delete")?;
        let id = GROUP_SNAPSHOT.find_id(s, &self.snapshot)?;
        GROUP_SNAPSHOT.delete(s, &id)?;
        Ok(Output::None)
    }
}

/// Lists all volume group snapshot.
///
/// This command requires ``--os-volume-api-version`` 3.14 or greater.
#[derive(clap::Args)]
pub struct ListVolumeGroupSnapshot {
    /// Shows details for all projects (admin only).
    #[arg(long, env = "ALL_PROJECTS", value_parser = clap::builder::FalseyValueParser::new(), num_args = 0, default_missing_value = "true")]
    all_projects: bool,
}

impl osc_core::Command for ListVolumeGroupSnapshot {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "list")?;
        let mut t = Table::new(["ID", "Status", "Name"]);
        for g in GROUP_SNAPSHOT.list(s, &all_projects_query(self.all_projects))? {
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

/// Show detailed information for a volume group snapshot.
///
/// This command requires ``--os-volume-api-version`` 3.14 or greater.
#[derive(clap::Args)]
pub struct ShowVolumeGroupSnapshot {
    /// Name or ID of volume group snapshot.
    #[arg(value_name = "snapshot")]
    snapshot: String,
}

impl osc_core::Command for ShowVolumeGroupSnapshot {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "show")?;
        Ok(Output::Show(format_group_snapshot(
            &GROUP_SNAPSHOT.find(s, &self.snapshot)?,
        )))
    }
}
