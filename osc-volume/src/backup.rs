//! `volume backup create/delete/list/restore/set/show/unset` and `volume backup record
//! export/import`.

use crate::common::*;
use crate::format;
use crate::snapshot::{delete_metadata, SNAPSHOT};
use crate::volume::VOLUME;
use osc_core::{Cell, Context, Method, Output, Record, Result, Table};
use serde_json::{json, Map, Value};

pub const BACKUP: Sdk = Sdk {
    class: "Backup",
    path: "/backups",
    list_path: "/backups/detail",
    singular: "backup",
    plural: "backups",
    max_mv: Some("3.64"),
    attrs: &[
        "availability_zone",
        "container",
        "created_at",
        "data_timestamp",
        "description",
        "encryption_key_id",
        "fail_reason",
        "force",
        "has_dependent_backups",
        "is_incremental",
        "links",
        "metadata",
        "name",
        "object_count",
        "os-backup-project-attr:project_id",
        "size",
        "snapshot_id",
        "status",
        "updated_at",
        "user_id",
        "volume_id",
        "volume_name",
        "id",
        "location",
    ],
    name_filter: true,
    find_query: &[],
};

/// A Backup attribute by its SDK (Python) name.
fn attr<'a>(raw: &'a Value, name: &str) -> &'a Value {
    let key = if name == "project_id" {
        "os-backup-project-attr:project_id"
    } else {
        name
    };
    raw.get(key).unwrap_or(&Value::Null)
}

/// `utils.get_dict_properties(backup, columns)`: SDK names as headers, `''` when the
/// attribute is unknown to the resource.
fn props(raw: &Value, cols: &[&str]) -> Record {
    Record {
        fields: cols
            .iter()
            .map(|c| (c.to_string(), Cell::raw(attr(raw, c).clone())))
            .collect(),
    }
}

/// Create new volume backup
#[derive(clap::Args)]
pub struct CreateVolumeBackup {
    /// Volume to backup (name or ID)
    #[arg(value_name = "volume")]
    volume: String,
    /// Name of the backup
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// Description of the backup
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// Optional backup container name
    #[arg(long, value_name = "container")]
    container: Option<String>,
    /// Snapshot to backup (name or ID)
    #[arg(long, value_name = "snapshot")]
    snapshot: Option<String>,
    /// Allow to back up an in-use volume
    #[arg(long)]
    force: bool,
    /// Perform an incremental backup
    #[arg(long, overrides_with = "no_incremental")]
    incremental: bool,
    /// Do not perform an incremental backup
    #[arg(long)]
    no_incremental: bool,
    /// Set a property on this backup (repeat option to remove multiple values) (supported by
    /// --os-volume-api-version 3.43 or above)
    #[arg(long, value_name = "key=value", value_parser = parse_kv)]
    property: Vec<(String, String)>,
    /// AZ where the backup should be stored; by default it will be the same as the source
    /// (supported by --os-volume-api-version 3.51 or above)
    #[arg(long, value_name = "zone-name")]
    availability_zone: Option<String>,
}

impl osc_core::Command for CreateVolumeBackup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let volume_id = VOLUME.find_id(s, &self.volume)?;
        let mut body = Map::new();
        body.insert("volume_id".into(), json!(volume_id));
        if let Some(sn) = &self.snapshot {
            body.insert("snapshot_id".into(), json!(SNAPSHOT.find_id(s, sn)?));
        }
        if !self.property.is_empty() {
            require(s, "3.43", "to support the --property option")?;
            body.insert("metadata".into(), Value::Object(kv_object(&self.property)));
        }
        if let Some(az) = &self.availability_zone {
            require(s, "3.51", "to support the --availability-zone option")?;
            body.insert("availability_zone".into(), json!(az));
        }
        for (k, v) in [
            ("container", &self.container),
            ("name", &self.name),
            ("description", &self.description),
        ] {
            body.insert(k.into(), json!(v));
        }
        body.insert("force".into(), json!(self.force));
        body.insert("incremental".into(), json!(self.incremental));
        let created = BACKUP.create(s, Value::Object(body.clone()))?;
        // The SDK keeps the attributes it sent, so `volume_id` shows though the response
        // lacks it.
        let mut merged = Value::Object(body);
        if let (Some(m), Some(c)) = (merged.as_object_mut(), created.as_object()) {
            for (k, v) in c {
                m.insert(k.clone(), v.clone());
            }
        }
        Ok(Output::Show(props(&merged, &["id", "name", "volume_id"])))
    }
}

/// Delete volume backup(s)
#[derive(clap::Args)]
pub struct DeleteVolumeBackup {
    /// Backup(s) to delete (name or ID)
    #[arg(value_name = "backup", required = true)]
    backups: Vec<String>,
    /// Allow delete in state other than error or available
    #[arg(long)]
    force: bool,
}

impl osc_core::Command for DeleteVolumeBackup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(&self.backups, "backup", "backups", "delete", |n| {
            let id = BACKUP.find_id(s, n)?;
            if self.force {
                BACKUP
                    .action(s, &id, json!({"os-force_delete": null}))
                    .map(|_| ())
            } else {
                BACKUP.delete(s, &id)
            }
        })
    }
}

const BACKUP_STATES: [&str; 6] = [
    "creating",
    "available",
    "deleting",
    "error",
    "restoring",
    "error_restoring",
];

/// List volume backups
#[derive(clap::Args)]
pub struct ListVolumeBackup {
    /// Filter results by project (name or ID) (admin only)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
    /// Filters results by the backup name
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// Filters results by the backup status, one of: creating, available, deleting, error,
    /// restoring or error_restoring
    #[arg(long, value_name = "status", value_parser = BACKUP_STATES)]
    status: Option<String>,
    /// Filters results by the volume which they backup (name or ID)
    #[arg(long, value_name = "volume")]
    volume: Option<String>,
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
    /// Include all projects (admin only)
    #[arg(long)]
    all_projects: bool,
}

impl osc_core::Command for ListVolumeBackup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let volumes = crate::volume::volume_names(s);
        let mut query = Vec::new();
        q(&mut query, "name", self.name.as_ref());
        q(&mut query, "status", self.status.as_ref());
        if let Some(v) = &self.volume {
            // A volume that no longer exists may still have backups: filter by the ID given.
            let id = VOLUME.find_id(s, v).unwrap_or_else(|_| v.clone());
            query.push(("volume_id".into(), id));
        }
        let all = self.all_projects || self.project.is_some();
        query.push(("all_tenants".into(), crate::volume::py_bool(all).into()));
        if let Some(m) = &self.marker {
            query.push(("marker".into(), BACKUP.find_id(s, m)?));
        }
        q(&mut query, "limit", self.limit);
        if let Some(p) = &self.project {
            query.push(("project_id".into(), project_id(s, p, None)?));
        }
        let items = BACKUP.list_max(s, &query, self.max_items.map(|m| m as usize))?;
        let mut cols = vec![
            "ID",
            "Name",
            "Description",
            "Status",
            "Size",
            "Incremental",
            "Created At",
        ];
        if self.long {
            cols.extend(["Availability Zone", "Volume", "Container"]);
        }
        let mut t = Table::new(cols);
        for v in &items {
            let mut row: Vec<Cell> = [
                "id",
                "name",
                "description",
                "status",
                "size",
                "is_incremental",
                "created_at",
            ]
            .iter()
            .map(|k| Cell::raw(v[*k].clone()))
            .collect();
            if self.long {
                row.push(Cell::raw(v["availability_zone"].clone()));
                row.push(format::volume_id(&v["volume_id"], &volumes));
                row.push(Cell::raw(v["container"].clone()));
            }
            t.rows.push(row);
        }
        Ok(Output::List(t))
    }
}

/// Restore volume backup
#[derive(clap::Args)]
pub struct RestoreVolumeBackup {
    /// Backup to restore (name or ID)
    #[arg(value_name = "backup")]
    backup: String,
    /// Volume to restore to (name or ID for existing volume, name only for new volume)
    /// (default to None)
    #[arg(value_name = "volume")]
    volume: Option<String>,
    /// Restore the backup to an existing volume (default to False)
    #[arg(long)]
    force: bool,
}

impl osc_core::Command for RestoreVolumeBackup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let backup = BACKUP.find(s, &self.backup)?;
        let backup_id = str_of(&backup, "id");
        let mut restore = Map::new();
        match self.volume.as_deref().map(|v| VOLUME.find_id(s, v)) {
            Some(Ok(id)) => {
                if !self.force {
                    return Err(osc_core::Error::cmd(format!(
                        "Volume '{}' already exists; if you want to restore the backup to it you need to specify the '--force' option",
                        self.volume.unwrap_or_default()
                    )));
                }
                restore.insert("volume_id".into(), json!(id));
            }
            Some(Err(_)) => {
                restore.insert("name".into(), json!(self.volume));
            }
            None => {
                return Err(osc_core::Error::cmd(
                    "Either of `name` or `volume_id` must be specified.",
                ));
            }
        }
        let r = s.json(
            BACKUP
                .req(
                    s,
                    Method::POST,
                    format!("{}/restore", BACKUP.item(&backup_id)),
                )?
                .json(json!({"restore": restore})),
        )?;
        let res = r.get("restore").unwrap_or(&r);
        Ok(Output::Show(
            Record::new()
                .with("id", json!(backup_id))
                .with("volume_id", res["volume_id"].clone())
                .with("volume_name", res["volume_name"].clone()),
        ))
    }
}

/// Set volume backup properties
#[derive(clap::Args)]
pub struct SetVolumeBackup {
    /// Backup to modify (name or ID)
    #[arg(value_name = "backup")]
    backup: String,
    /// New backup name (supported by --os-volume-api-version 3.9 or above)
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// New backup description (supported by --os-volume-api-version 3.9 or above)
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// New backup state ("available" or "error") (admin only) (This option simply changes
    /// the state of the backup in the database with no regard to actual status; exercise
    /// caution when using)
    #[arg(long, value_name = "state", value_parser = ["available", "error"])]
    state: Option<String>,
    /// Remove all properties from this backup (specify both --no-property and --property to
    /// remove the current properties before setting new properties)
    #[arg(long)]
    no_property: bool,
    /// Set a property on this backup (repeat option to set multiple values) (supported by
    /// --os-volume-api-version 3.43 or above)
    #[arg(long, value_name = "key=value", value_parser = parse_kv)]
    property: Vec<(String, String)>,
}

impl osc_core::Command for SetVolumeBackup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let backup = BACKUP.find(s, &self.backup)?;
        let id = str_of(&backup, "id");
        let mut steps = Steps::default();
        if let Some(st) = &self.state {
            steps.run(
                "Failed to set backup state",
                BACKUP.action(s, &id, json!({"os-reset_status": {"status": st}})),
            );
        }
        let mut update = Map::new();
        if let Some(n) = self.name.as_ref().filter(|n| !n.is_empty()) {
            require(s, "3.9", "to support the --name option")?;
            update.insert("name".into(), json!(n));
        }
        if let Some(d) = self.description.as_ref().filter(|d| !d.is_empty()) {
            require(s, "3.9", "to support the --description option")?;
            update.insert("description".into(), json!(d));
        }
        if self.no_property {
            require(s, "3.43", "to support the --no-property option")?;
        }
        if !self.property.is_empty() {
            require(s, "3.43", "to support the --property option")?;
        }
        if supports(s, "3.43")? {
            let mut metadata = if self.no_property {
                Map::new()
            } else {
                backup["metadata"].as_object().cloned().unwrap_or_default()
            };
            metadata.extend(kv_object(&self.property));
            update.insert("metadata".into(), Value::Object(metadata));
        }
        if !update.is_empty() {
            steps.run(
                "Failed to update backup",
                BACKUP.update(s, &id, Value::Object(update)),
            );
        }
        steps.finish("One or more of the set operations failed")
    }
}

/// Unset volume backup properties.
///
/// This command requires ``--os-volume-api-version`` 3.43 or greater.
#[derive(clap::Args)]
pub struct UnsetVolumeBackup {
    /// Backup to modify (name or ID)
    #[arg(value_name = "backup")]
    backup: String,
    /// Property to remove from this backup (repeat option to unset multiple values)
    #[arg(long, value_name = "key")]
    property: Vec<String>,
}

impl osc_core::Command for UnsetVolumeBackup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        require(s, "3.43", "to support the --property option")?;
        let backup = BACKUP.find(s, &self.backup)?;
        let current = backup["metadata"].as_object().cloned().unwrap_or_default();
        let mut keys = Vec::new();
        for k in &self.property {
            if !current.contains_key(k) {
                osc_core::log::warn(&format!(
                    "'{k}' is not a valid property for backup '{}'",
                    self.backup
                ));
                continue;
            }
            keys.push(k.clone());
        }
        // Removes the keys named (OSC 10.5 passes the remaining keys instead, a bug).
        delete_metadata(s, &BACKUP, &str_of(&backup, "id"), &keys)?;
        Ok(Output::None)
    }
}

/// Display volume backup details
#[derive(clap::Args)]
pub struct ShowVolumeBackup {
    /// Backup to display (name or ID)
    #[arg(value_name = "backup")]
    backup: String,
}

impl osc_core::Command for ShowVolumeBackup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let b = BACKUP.find(s, &self.backup)?;
        Ok(Output::Show(props(
            &b,
            &[
                "availability_zone",
                "container",
                "created_at",
                "data_timestamp",
                "description",
                "encryption_key_id",
                "fail_reason",
                "has_dependent_backups",
                "id",
                "is_incremental",
                "metadata",
                "name",
                "object_count",
                "project_id",
                "size",
                "snapshot_id",
                "status",
                "updated_at",
                "user_id",
                "volume_id",
            ],
        )))
    }
}

/// Export volume backup details.
///
/// Backup information can be imported into a new service instance to be able to restore.
#[derive(clap::Args)]
pub struct ExportBackupRecord {
    /// Backup to export (name or ID)
    #[arg(value_name = "backup")]
    backup: String,
}

impl osc_core::Command for ExportBackupRecord {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = BACKUP.find_id(s, &self.backup)?;
        let body = s.json(BACKUP.req(
            s,
            Method::GET,
            format!("{}/export_record", BACKUP.item(&id)),
        )?)?;
        let mut data = body["backup-record"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        // OSC renames the fields only for the table formatter.
        if ctx.format.format == osc_core::output::Format::Table {
            if let Some(v) = data.remove("backup_service") {
                data.insert("Backup Service".into(), v);
            }
            if let Some(v) = data.remove("backup_url") {
                data.insert("Metadata".into(), v);
            }
        }
        let mut fields: Vec<(String, Cell)> =
            data.into_iter().map(|(k, v)| (k, Cell::raw(v))).collect();
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Output::Show(Record { fields }))
    }
}

/// Import volume backup details.
///
/// Exported backup details contain the metadata necessary to restore to a new or rebuilt
/// service instance
#[derive(clap::Args)]
pub struct ImportBackupRecord {
    /// Backup service containing the backup.
    #[arg(value_name = "backup_service")]
    backup_service: String,
    /// Encoded backup metadata from export.
    #[arg(value_name = "backup_metadata")]
    backup_metadata: String,
}

impl osc_core::Command for ImportBackupRecord {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let body = json!({"backup-record": {"backup_service": self.backup_service, "backup_url": self.backup_metadata}});
        let r = s.json(
            BACKUP
                .req(s, Method::POST, "/backups/import_record")?
                .json(body),
        )?;
        let b = r.get("backup").cloned().unwrap_or(r);
        // The SDK resource's keys (Python names), sorted; OSC's `pop('links')` does not
        // reach a resource, so `links` and `location` stay.
        let mut names: Vec<&str> = BACKUP
            .attrs
            .iter()
            .map(|a| {
                if *a == "os-backup-project-attr:project_id" {
                    "project_id"
                } else {
                    a
                }
            })
            .collect();
        names.sort_unstable();
        names.dedup();
        Ok(Output::Show(props(&b, &names)))
    }
}
