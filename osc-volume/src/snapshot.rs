//! `volume snapshot create/delete/list/set/show/unset`.

use crate::common::*;
use crate::format;
use crate::volume::VOLUME;
use osc_core::{Cell, Context, Error, Method, Output, Record, Result, Table};
use serde_json::{json, Map, Value};

pub const SNAPSHOT: Sdk = Sdk {
    class: "Snapshot",
    path: "/snapshots",
    list_path: "/snapshots/detail",
    singular: "snapshot",
    plural: "snapshots",
    max_mv: Some("3.65"),
    attrs: &[
        "consumes_quota",
        "created_at",
        "description",
        "group_snapshot_id",
        "force",
        "os-extended-snapshot-attributes:progress",
        "os-extended-snapshot-attributes:project_id",
        "size",
        "status",
        "updated_at",
        "user_id",
        "volume_id",
        "id",
        "name",
        "location",
        "metadata",
    ],
    name_filter: true,
    find_query: &[],
};

/// OSC's `_format_snapshot`.
pub fn format_snapshot(raw: &Value) -> Record {
    const IGNORED: &[&str] = &[
        "location",
        "consumes_quota",
        "force",
        "group_snapshot_id",
        "os-extended-snapshot-attributes:progress",
        "os-extended-snapshot-attributes:project_id",
        "updated_at",
        "user_id",
        "links",
    ];
    let mut fields: Vec<(String, Cell)> = SNAPSHOT
        .to_dict(raw)
        .into_iter()
        .filter(|(k, _)| !IGNORED.contains(&k.as_str()))
        .map(|(k, v)| {
            if k == "metadata" {
                ("properties".to_string(), Cell::dict(v))
            } else {
                (k, Cell::raw(v))
            }
        })
        .collect();
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    Record { fields }
}

/// Create new volume snapshot
#[derive(clap::Args)]
pub struct CreateVolumeSnapshot {
    /// Name of the new snapshot
    #[arg(value_name = "snapshot-name")]
    snapshot_name: String,
    /// Volume to snapshot (name or ID) (default is <snapshot-name>)
    #[arg(long, value_name = "volume")]
    volume: Option<String>,
    /// Description of the snapshot
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// Create a snapshot attached to an instance. Default is False
    #[arg(long)]
    force: bool,
    /// Set a property to this snapshot (repeat option to set multiple properties)
    #[arg(long, value_name = "key=value", value_parser = parse_kv)]
    property: Vec<(String, String)>,
    /// The attribute(s) of the existing remote volume snapshot (admin required) (repeat
    /// option to specify multiple attributes) e.g.: '--remote-source source-name=test_name
    /// --remote-source source-id=test_id'
    #[arg(long, value_name = "key=value", value_parser = parse_kv)]
    remote_source: Vec<(String, String)>,
}

impl osc_core::Command for CreateVolumeSnapshot {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let volume = self
            .volume
            .clone()
            .unwrap_or_else(|| self.snapshot_name.clone());
        let volume_id = VOLUME.find_id(s, &volume)?;
        let metadata = if self.property.is_empty() {
            Value::Null
        } else {
            Value::Object(kv_object(&self.property))
        };
        let snap = if !self.remote_source.is_empty() {
            if self.force {
                osc_core::log::warn(
                    "'--force' option will not work when you create new volume snapshot from an existing remote volume snapshot",
                );
            }
            let body = json!({"snapshot": {
                "volume_id": volume_id, "ref": kv_object(&self.remote_source), "name": self.snapshot_name,
                "description": self.description, "metadata": metadata,
            }});
            let path = if supports(s, "3.8")? {
                "/manageable_snapshots"
            } else {
                "/os-snapshot-manage"
            };
            s.json(SNAPSHOT.req(s, Method::POST, path)?.json(body))?["snapshot"].take()
        } else {
            let mut body = Map::new();
            body.insert("volume_id".into(), json!(volume_id));
            // From 3.66 Cinder rejects `force`, so OSC leaves it out there.
            if !supports(s, "3.66")? {
                body.insert("force".into(), json!(self.force));
            }
            body.insert("name".into(), json!(self.snapshot_name));
            if let Some(d) = &self.description {
                body.insert("description".into(), json!(d));
            }
            if !metadata.is_null() {
                body.insert("metadata".into(), metadata);
            }
            SNAPSHOT.create(s, Value::Object(body))?
        };
        Ok(Output::Show(format_snapshot(&snap)))
    }
}

/// Delete volume snapshot(s)
#[derive(clap::Args)]
pub struct DeleteVolumeSnapshot {
    /// Snapshot(s) to delete (name or ID)
    #[arg(value_name = "snapshot", required = true)]
    snapshots: Vec<String>,
    /// Attempt forced removal of snapshot(s), regardless of state (defaults to False)
    #[arg(long)]
    force: bool,
    /// Unmanage the snapshot, removing it from the Block Storage service management but not
    /// from the backend.
    #[arg(long)]
    remote: bool,
}

impl osc_core::Command for DeleteVolumeSnapshot {
    fn run(self, ctx: &Context) -> Result<Output> {
        if self.remote && self.force {
            return Err(Error::cmd(
                "The --force option is not supported with the --remote parameter.",
            ));
        }
        let s = ctx.session()?;
        each(&self.snapshots, "snapshot", "snapshots", "delete", |n| {
            let id = SNAPSHOT.find_id(s, n)?;
            if self.remote {
                SNAPSHOT
                    .action(s, &id, json!({"os-unmanage": null}))
                    .map(|_| ())
            } else if self.force {
                SNAPSHOT
                    .action(s, &id, json!({"os-force_delete": null}))
                    .map(|_| ())
            } else {
                SNAPSHOT.delete(s, &id)
            }
        })
    }
}

const SNAPSHOT_STATES: [&str; 5] = [
    "available",
    "error",
    "creating",
    "deleting",
    "error_deleting",
];

/// List volume snapshots
#[derive(clap::Args)]
pub struct ListVolumeSnapshot {
    /// Include all projects (admin only)
    #[arg(long)]
    all_projects: bool,
    /// Filter results by project (name or ID) (admin only)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
    /// Filters results by a name.
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// Filters results by a status. ('available', 'error', 'creating', 'deleting' or
    /// 'error_deleting')
    #[arg(long, value_name = "status", value_parser = SNAPSHOT_STATES)]
    status: Option<String>,
    /// Filters results by a volume (name or ID).
    #[arg(long, value_name = "volume")]
    volume: Option<String>,
    /// The maximum number of entries to return per page.
    #[arg(long, value_name = "limit", value_parser = non_negative, allow_hyphen_values = true)]
    limit: Option<u64>,
    /// The first position in the collection to return results from.
    #[arg(long, value_name = "marker")]
    marker: Option<String>,
    /// The maximum number of entries to return in total, paging through multiple requests
    /// if needed. Use --limit to control the page size.
    #[arg(long, value_name = "max-items", value_parser = non_negative, allow_hyphen_values = true)]
    max_items: Option<u64>,
}

impl osc_core::Command for ListVolumeSnapshot {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let volumes = volume_names_or_empty(s);
        let mut query = Vec::new();
        q(&mut query, "marker", self.marker.as_ref());
        q(&mut query, "limit", self.limit);
        if self.project.is_some() || self.all_projects {
            query.push(("all_tenants".into(), "True".into()));
        }
        if let Some(p) = &self.project {
            query.push((
                "project_id".into(),
                project_id(s, p, self.project_domain.as_deref())?,
            ));
        }
        q(&mut query, "name", self.name.as_ref());
        q(&mut query, "status", self.status.as_ref());
        if let Some(v) = &self.volume {
            query.push(("volume_id".into(), VOLUME.find_id(s, v)?));
        }
        let items = SNAPSHOT.list_max(s, &query, self.max_items.map(|m| m as usize))?;
        let mut cols = vec!["ID", "Name", "Description", "Status", "Size"];
        if self.long {
            cols.extend(["Created At", "Volume", "Properties"]);
        }
        let mut t = Table::new(cols);
        for v in &items {
            let mut row: Vec<Cell> = ["id", "name", "description", "status", "size"]
                .iter()
                .map(|k| Cell::raw(v[*k].clone()))
                .collect();
            if self.long {
                row.push(Cell::raw(v["created_at"].clone()));
                row.push(format::volume_id(&v["volume_id"], &volumes));
                row.push(Cell::dict(v["metadata"].clone()));
            }
            t.rows.push(row);
        }
        Ok(Output::List(t))
    }
}

/// OSC builds a volume name cache for every listing, ignoring failures.
fn volume_names_or_empty(s: &osc_core::Session) -> std::collections::HashMap<String, String> {
    crate::volume::volume_names(s)
}

/// Set volume snapshot properties
#[derive(clap::Args)]
pub struct SetVolumeSnapshot {
    /// Snapshot to modify (name or ID)
    #[arg(value_name = "snapshot")]
    snapshot: String,
    /// New snapshot name
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// New snapshot description
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// Remove all properties from <snapshot> (specify both --no-property and --property to
    /// remove the current properties before setting new properties.)
    #[arg(long)]
    no_property: bool,
    /// Property to add/change for this snapshot (repeat option to set multiple properties)
    #[arg(long, value_name = "key=value", value_parser = parse_kv)]
    property: Vec<(String, String)>,
    /// New snapshot state. ("available", "error", "creating", "deleting", or
    /// "error_deleting") (admin only) (This option simply changes the state of the snapshot
    /// in the database with no regard to actual status, exercise caution when using)
    #[arg(long, value_name = "state", value_parser = SNAPSHOT_STATES)]
    state: Option<String>,
}

impl osc_core::Command for SetVolumeSnapshot {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let snap = SNAPSHOT.find(s, &self.snapshot)?;
        let id = str_of(&snap, "id");
        let mut steps = Steps::default();
        if self.no_property {
            let keys: Vec<String> = snap["metadata"]
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            steps.run(
                "Failed to clean snapshot properties",
                delete_metadata(s, &SNAPSHOT, &id, &keys),
            );
        }
        if !self.property.is_empty() {
            let r = s.json(
                SNAPSHOT
                    .req(s, Method::POST, format!("{}/metadata", SNAPSHOT.item(&id)))?
                    .json(json!({"metadata": kv_object(&self.property)})),
            );
            steps.run("Failed to set snapshot property", r);
        }
        if let Some(st) = &self.state {
            steps.run(
                "Failed to set snapshot state",
                SNAPSHOT.action(s, &id, json!({"os-reset_status": {"status": st}})),
            );
        }
        let mut update = Map::new();
        if let Some(n) = self.name.as_ref().filter(|n| !n.is_empty()) {
            update.insert("name".into(), json!(n));
        }
        if let Some(d) = self.description.as_ref().filter(|d| !d.is_empty()) {
            update.insert("description".into(), json!(d));
        }
        if !update.is_empty() {
            steps.run(
                "Failed to update snapshot name or description",
                SNAPSHOT.update(s, &id, Value::Object(update)),
            );
        }
        steps.finish("One or more of the set operations failed")
    }
}

/// DELETE `<item>/metadata/<key>` for each key, as the SDK does.
pub fn delete_metadata(s: &osc_core::Session, res: &Sdk, id: &str, keys: &[String]) -> Result<()> {
    for k in keys {
        let path = format!(
            "{}/metadata/{}",
            res.item(id),
            osc_core::resource::encode_segment(k)
        );
        s.send(res.req(s, Method::DELETE, path)?)?;
    }
    Ok(())
}

/// Display volume snapshot details
#[derive(clap::Args)]
pub struct ShowVolumeSnapshot {
    /// Snapshot to display (name or ID)
    #[arg(value_name = "snapshot")]
    snapshot: String,
}

impl osc_core::Command for ShowVolumeSnapshot {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let v = SNAPSHOT.find(s, &self.snapshot)?;
        report_error_state(s, &SNAPSHOT, &v);
        Ok(Output::Show(format_snapshot(&v)))
    }
}

/// Unset volume snapshot properties
#[derive(clap::Args)]
pub struct UnsetVolumeSnapshot {
    /// Snapshot to modify (name or ID)
    #[arg(value_name = "snapshot")]
    snapshot: String,
    /// Property to remove from snapshot (repeat option to remove multiple properties)
    #[arg(long, value_name = "key")]
    property: Vec<String>,
}

impl osc_core::Command for UnsetVolumeSnapshot {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = SNAPSHOT.find_id(s, &self.snapshot)?;
        if !self.property.is_empty() {
            delete_metadata(s, &SNAPSHOT, &id, &self.property)?;
        }
        Ok(Output::None)
    }
}
