//! `consistency group add volume/create/delete/list/remove volume/set/show`.

use crate::common::*;
use crate::consistency_group_snapshot::CG_SNAPSHOT;
use crate::volume::VOLUME;
use crate::volume_type::TYPE;
use osc_core::{Cell, Context, Error, Method, Output, Record, Result, Session, Table};
use serde_json::{json, Map, Value};

pub const CONSISTENCY_GROUP: Sdk = Sdk {
    class: "ConsistencyGroup",
    path: "/consistencygroups",
    list_path: "/consistencygroups/detail",
    singular: "consistencygroup",
    plural: "consistencygroups",
    max_mv: None,
    attrs: &[
        "availability_zone",
        "created_at",
        "description",
        "name",
        "status",
        "volume_types",
        "add_volumes",
        "remove_volumes",
        "id",
        "location",
    ],
    name_filter: false,
    find_query: &[],
};

fn format_cg(g: &Value) -> Record {
    let cols = [
        "availability_zone",
        "created_at",
        "description",
        "id",
        "name",
        "status",
        "volume_types",
    ];
    Record {
        fields: cols
            .iter()
            .map(|k| (k.to_string(), Cell::raw(g[*k].clone())))
            .collect(),
    }
}

fn update(s: &Session, id: &str, body: Value) -> Result<()> {
    let path = format!("{}/update", CONSISTENCY_GROUP.item(id));
    s.send(
        CONSISTENCY_GROUP
            .req(s, Method::PUT, path)?
            .json(json!({"consistencygroup": body})),
    )
    .map(|_| ())
}

/// Volume IDs joined by commas; names that fail to resolve are logged and skipped.
fn find_volumes(s: &Session, volumes: &[String]) -> (usize, String) {
    let mut failed = 0;
    let mut ids = Vec::new();
    for v in volumes {
        match VOLUME.find_id(s, v) {
            Ok(id) => ids.push(id),
            Err(e) => {
                failed += 1;
                osc_core::log::warn(&format!("Failed to find volume with name or ID '{v}':{e}"));
            }
        }
    }
    (failed, ids.join(","))
}

fn change_volumes(
    ctx: &Context,
    cg: &str,
    volumes: &[String],
    key: &str,
    verb: &str,
) -> Result<Output> {
    let s = ctx.session()?;
    let (failed, ids) = find_volumes(s, volumes);
    if failed > 0 {
        osc_core::log::warn(&format!(
            "{failed} of {} volumes failed to {verb}.",
            volumes.len()
        ));
    }
    if !ids.is_empty() {
        let id = CONSISTENCY_GROUP.find_id(s, cg)?;
        update(s, &id, json!({ key: ids }))?;
    }
    Ok(Output::None)
}

/// Add volume(s) to consistency group
#[derive(clap::Args)]
pub struct AddVolumeToConsistencyGroup {
    /// Consistency group to contain <volume> (name or ID)
    #[arg(value_name = "consistency-group")]
    consistency_group: String,
    /// Volume(s) to add to <consistency-group> (name or ID) (repeat option to add multiple
    /// volumes)
    #[arg(value_name = "volume", required = true)]
    volumes: Vec<String>,
}

impl osc_core::Command for AddVolumeToConsistencyGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        change_volumes(
            ctx,
            &self.consistency_group,
            &self.volumes,
            "add_volumes",
            "add",
        )
    }
}

/// Remove volume(s) from consistency group
#[derive(clap::Args)]
pub struct RemoveVolumeFromConsistencyGroup {
    /// Consistency group containing <volume> (name or ID)
    #[arg(value_name = "consistency-group")]
    consistency_group: String,
    /// Volume(s) to remove from <consistency-group> (name or ID) (repeat option to remove
    /// multiple volumes)
    #[arg(value_name = "volume", required = true)]
    volumes: Vec<String>,
}

impl osc_core::Command for RemoveVolumeFromConsistencyGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        change_volumes(
            ctx,
            &self.consistency_group,
            &self.volumes,
            "remove_volumes",
            "remove",
        )
    }
}

/// Create new consistency group.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("cg_source").required(true).args(["volume_type", "source", "consistency_group_source", "snapshot", "consistency_group_snapshot"])))]
pub struct CreateConsistencyGroup {
    /// Name of new consistency group (default to None)
    #[arg(value_name = "name")]
    name: Option<String>,
    /// Volume type of this consistency group (name or ID)
    #[arg(long, value_name = "volume-type")]
    volume_type: Option<String>,
    /// Existing consistency group (name or ID)
    #[arg(long, value_name = "consistency-group")]
    source: Option<String>,
    #[arg(long, value_name = "consistency-group", hide = true)]
    consistency_group_source: Option<String>,
    /// Existing consistency group snapshot (name or ID)
    #[arg(long, value_name = "consistency-group-snapshot")]
    snapshot: Option<String>,
    #[arg(long, value_name = "consistency-group-snapshot", hide = true)]
    consistency_group_snapshot: Option<String>,
    /// Description of this consistency group
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// Availability zone for this consistency group (not available if creating consistency
    /// group from source)
    #[arg(long, value_name = "availability-zone")]
    availability_zone: Option<String>,
}

impl osc_core::Command for CreateConsistencyGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let cg = if let Some(vt) = &self.volume_type {
            let vt_id = TYPE.find_id(s, vt)?;
            CONSISTENCY_GROUP.create(
                s,
                json!({
                    "volume_types": vt_id, "name": self.name, "description": self.description,
                    "availability_zone": self.availability_zone,
                }),
            )?
        } else {
            if self.availability_zone.is_some() {
                osc_core::log::warn("'--availability-zone' option will not work if creating consistency group from source");
            }
            let source = self
                .source
                .clone()
                .or(self.consistency_group_source.clone());
            let snapshot = self
                .snapshot
                .clone()
                .or(self.consistency_group_snapshot.clone());
            let mut body = Map::new();
            body.insert("name".into(), json!(self.name));
            body.insert("description".into(), json!(self.description));
            if let Some(src) = &source {
                body.insert(
                    "source_cgid".into(),
                    json!(CONSISTENCY_GROUP.find_id(s, src)?),
                );
            } else if let Some(sn) = &snapshot {
                body.insert("cgsnapshot_id".into(), json!(CG_SNAPSHOT.find_id(s, sn)?));
            } else {
                return Err(Error::usage(
                    "one of --volume-type, --source or --snapshot is required",
                ));
            }
            let r = s.json(
                CONSISTENCY_GROUP
                    .req(s, Method::POST, "/consistencygroups/create_from_src")?
                    .json(json!({"consistencygroup-from-src": body})),
            )?;
            r.get("consistencygroup").cloned().unwrap_or(r)
        };
        Ok(Output::Show(format_cg(&cg)))
    }
}

/// Delete consistency group(s).
#[derive(clap::Args)]
pub struct DeleteConsistencyGroup {
    /// Consistency group(s) to delete (name or ID)
    #[arg(value_name = "consistency-group", required = true)]
    consistency_groups: Vec<String>,
    /// Allow delete in state other than error or available
    #[arg(long)]
    force: bool,
}

impl osc_core::Command for DeleteConsistencyGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut failed = 0;
        for n in &self.consistency_groups {
            let r = CONSISTENCY_GROUP.find_id(s, n).and_then(|id| {
                let path = format!("{}/delete", CONSISTENCY_GROUP.item(&id));
                s.send(
                    CONSISTENCY_GROUP
                        .req(s, Method::POST, path)?
                        .json(json!({"consistencygroup": {"force": self.force}})),
                )
                .map(|_| ())
            });
            if let Err(e) = r {
                failed += 1;
                osc_core::log::warn(&format!(
                    "Failed to delete consistency group with name or ID '{n}':{e}"
                ));
            }
        }
        if failed > 0 {
            return Err(Error::cmd(format!(
                "{failed} of {} consistency groups failed to delete.",
                self.consistency_groups.len()
            )));
        }
        Ok(Output::None)
    }
}

/// List consistency groups.
#[derive(clap::Args)]
pub struct ListConsistencyGroup {
    /// Show details for all projects. Admin only. (defaults to False)
    #[arg(long)]
    all_projects: bool,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
}

impl osc_core::Command for ListConsistencyGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let query = vec![(
            "all_tenants".to_string(),
            crate::volume::py_bool(self.all_projects).to_string(),
        )];
        let items = CONSISTENCY_GROUP.list(s, &query)?;
        let cols: &[(&str, &str)] = if self.long {
            &[
                ("ID", "id"),
                ("Status", "status"),
                ("Availability Zone", "availability_zone"),
                ("Name", "name"),
                ("Description", "description"),
                ("Volume Types", "volume_types"),
            ]
        } else {
            &[("ID", "id"), ("Status", "status"), ("Name", "name")]
        };
        let mut t = Table::new(cols.iter().map(|c| c.0));
        for g in &items {
            t.rows.push(
                cols.iter()
                    .map(|(_, k)| {
                        if *k == "volume_types" {
                            Cell::list(g[*k].clone())
                        } else {
                            Cell::raw(g[*k].clone())
                        }
                    })
                    .collect(),
            );
        }
        Ok(Output::List(t))
    }
}

/// Set consistency group properties
#[derive(clap::Args)]
pub struct SetConsistencyGroup {
    /// Consistency group to modify (name or ID)
    #[arg(value_name = "consistency-group")]
    consistency_group: String,
    /// New consistency group name
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// New consistency group description
    #[arg(long, value_name = "description")]
    description: Option<String>,
}

impl osc_core::Command for SetConsistencyGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let mut body = Map::new();
        if let Some(n) = self.name.as_ref().filter(|n| !n.is_empty()) {
            body.insert("name".into(), json!(n));
        }
        if let Some(d) = self.description.as_ref().filter(|d| !d.is_empty()) {
            body.insert("description".into(), json!(d));
        }
        if !body.is_empty() {
            let s = ctx.session()?;
            let id = CONSISTENCY_GROUP.find_id(s, &self.consistency_group)?;
            update(s, &id, Value::Object(body))?;
        }
        Ok(Output::None)
    }
}

/// Display consistency group details.
#[derive(clap::Args)]
pub struct ShowConsistencyGroup {
    /// Consistency group to display (name or ID)
    #[arg(value_name = "consistency-group")]
    consistency_group: String,
}

impl osc_core::Command for ShowConsistencyGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(Output::Show(format_cg(
            &CONSISTENCY_GROUP.find(s, &self.consistency_group)?,
        )))
    }
}
