//! `consistency group snapshot create/delete/list/show`.

use crate::common::*;
use crate::consistency_group::CONSISTENCY_GROUP;
use osc_core::{Cell, Context, Error, Output, Record, Result, Table};
use serde_json::{json, Value};

pub const CG_SNAPSHOT: Sdk = Sdk {
    class: "ConsistencyGroupSnapshot",
    path: "/cgsnapshots",
    list_path: "/cgsnapshots/detail",
    singular: "cgsnapshot",
    plural: "cgsnapshots",
    max_mv: None,
    attrs: &[
        "consistencygroup_id",
        "created_at",
        "description",
        "name",
        "status",
        "id",
        "location",
    ],
    name_filter: false,
    find_query: &[],
};

fn format_cgsnapshot(g: &Value) -> Record {
    let cols = [
        "consistencygroup_id",
        "created_at",
        "description",
        "id",
        "name",
        "status",
    ];
    Record {
        fields: cols
            .iter()
            .map(|k| (k.to_string(), Cell::raw(g[*k].clone())))
            .collect(),
    }
}

/// Create new consistency group snapshot.
#[derive(clap::Args)]
pub struct CreateConsistencyGroupSnapshot {
    /// Name of new consistency group snapshot (default to None)
    #[arg(value_name = "snapshot-name")]
    snapshot_name: Option<String>,
    /// Consistency group to snapshot (name or ID) (default to be the same as <snapshot-name>)
    #[arg(long, value_name = "consistency-group")]
    consistency_group: Option<String>,
    /// Description of this consistency group snapshot
    #[arg(long, value_name = "description")]
    description: Option<String>,
}

impl osc_core::Command for CreateConsistencyGroupSnapshot {
    fn run(self, ctx: &Context) -> Result<Output> {
        let Some(cg) = self
            .consistency_group
            .clone()
            .or(self.snapshot_name.clone())
        else {
            return Err(Error::usage(
                "give a <snapshot-name> or --consistency-group <consistency-group>",
            ));
        };
        let s = ctx.session()?;
        let cg_id = CONSISTENCY_GROUP.find_id(s, &cg)?;
        let snap = CG_SNAPSHOT.create(s, json!({"consistencygroup_id": cg_id, "name": self.snapshot_name, "description": self.description}))?;
        Ok(Output::Show(format_cgsnapshot(&snap)))
    }
}

/// Delete consistency group snapshot(s).
#[derive(clap::Args)]
pub struct DeleteConsistencyGroupSnapshot {
    /// Consistency group snapshot(s) to delete (name or ID)
    #[arg(value_name = "consistency-group-snapshot", required = true)]
    consistency_group_snapshot: Vec<String>,
}

impl osc_core::Command for DeleteConsistencyGroupSnapshot {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(
            &self.consistency_group_snapshot,
            "consistency group snapshot",
            "consistency group snapshots",
            "delete",
            |n| {
                let id = CG_SNAPSHOT.find_id(s, n)?;
                CG_SNAPSHOT.delete(s, &id)
            },
        )
    }
}

/// List consistency group snapshots.
#[derive(clap::Args)]
pub struct ListConsistencyGroupSnapshot {
    /// Show detail for all projects (admin only) (defaults to False)
    #[arg(long)]
    all_projects: bool,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
    /// Filters results by a status ("available", "error", "creating", "deleting" or
    /// "error_deleting")
    #[arg(long, value_name = "status", value_parser = ["available", "error", "creating", "deleting", "error_deleting"])]
    status: Option<String>,
    /// Filters results by a consistency group (name or ID)
    #[arg(long, value_name = "consistency-group")]
    consistency_group: Option<String>,
}

impl osc_core::Command for ListConsistencyGroupSnapshot {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut query = vec![(
            "all_tenants".to_string(),
            crate::volume::py_bool(self.all_projects).to_string(),
        )];
        q(&mut query, "status", self.status.as_ref());
        if let Some(cg) = &self.consistency_group {
            query.push((
                "consistencygroup_id".into(),
                CONSISTENCY_GROUP.find_id(s, cg)?,
            ));
        }
        let items = CG_SNAPSHOT.list(s, &query)?;
        let cols: &[(&str, &str)] = if self.long {
            &[
                ("ID", "id"),
                ("Status", "status"),
                ("ConsistencyGroup ID", "consistencygroup_id"),
                ("Name", "name"),
                ("Description", "description"),
                ("Created At", "created_at"),
            ]
        } else {
            &[("ID", "id"), ("Status", "status"), ("Name", "name")]
        };
        let mut t = Table::new(cols.iter().map(|c| c.0));
        for g in &items {
            t.rows
                .push(cols.iter().map(|(_, k)| Cell::raw(g[*k].clone())).collect());
        }
        Ok(Output::List(t))
    }
}

/// Display consistency group snapshot details
#[derive(clap::Args)]
pub struct ShowConsistencyGroupSnapshot {
    /// Consistency group snapshot to display (name or ID)
    #[arg(value_name = "consistency-group-snapshot")]
    consistency_group_snapshot: String,
}

impl osc_core::Command for ShowConsistencyGroupSnapshot {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(Output::Show(format_cgsnapshot(
            &CG_SNAPSHOT.find(s, &self.consistency_group_snapshot)?,
        )))
    }
}
