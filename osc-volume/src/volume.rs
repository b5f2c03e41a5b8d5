//! `volume create/delete/list/show/set/unset/migrate/revert/summary`.

use crate::common::*;
use crate::{format, snapshot, volume_type};
use osc_core::resource::ResourceRequest;
use osc_core::{Cell, Context, Error, Method, Output, Record, Result, Table};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

pub const VOLUME: Sdk = Sdk {
    class: "Volume",
    path: "/volumes",
    list_path: "/volumes/detail",
    singular: "volume",
    plural: "volumes",
    max_mv: Some("3.71"),
    attrs: &[
        "attachments",
        "availability_zone",
        "backup_id",
        "consistencygroup_id",
        "consumes_quota",
        "cluster_name",
        "created_at",
        "description",
        "encryption_key_id",
        "os-volume-replication:extended_status",
        "group_id",
        "os-vol-host-attr:host",
        "imageRef",
        "bootable",
        "encrypted",
        "multiattach",
        "os-vol-mig-status-attr:name_id",
        "os-vol-mig-status-attr:migstat",
        "os-vol-tenant-attr:tenant_id",
        "os-volume-replication:driver_data",
        "provider_id",
        "replication_status",
        "OS-SCH-HNT:scheduler_hints",
        "service_uuid",
        "shared_targets",
        "size",
        "snapshot_id",
        "source_volid",
        "status",
        "updated_at",
        "user_id",
        "volume_image_metadata",
        "volume_type",
        "volume_type_id",
        "id",
        "name",
        "location",
        "metadata",
    ],
    name_filter: true,
    find_query: &[],
};

/// OSC's `_format_volume`: SDK attributes minus internal ones, optional ones only when
/// set, `metadata` as `properties` and `volume_type` as `type`, sorted.
pub fn format_volume(raw: &Value) -> Record {
    const IGNORED: &[&str] = &[
        "location",
        "OS-SCH-HNT:scheduler_hints",
        "imageRef",
        "os-volume-replication:driver_data",
        "os-volume-replication:extended_status",
        "links",
    ];
    const OPTIONAL: &[&str] = &[
        "consistencygroup_id",
        "encryption_key_id",
        "volume_image_metadata",
    ];
    let mut d = VOLUME.to_dict(raw);
    for k in ["bootable", "encrypted"] {
        if let Some(v) = d.get_mut(k) {
            *v = bool_str(v);
        }
    }
    let mut fields: Vec<(String, Cell)> = Vec::new();
    for (k, v) in d {
        if IGNORED.contains(&k.as_str()) || (OPTIONAL.contains(&k.as_str()) && v.is_null()) {
            continue;
        }
        match k.as_str() {
            "metadata" => fields.push(("properties".into(), Cell::dict(v))),
            "volume_type" => fields.push(("type".into(), Cell::raw(v))),
            _ => fields.push((k, Cell::raw(v))),
        }
    }
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    Record { fields }
}

fn kv(s: &str) -> std::result::Result<(String, String), String> {
    parse_kv(s)
}

/// Create new volume
#[derive(clap::Args)]
pub struct CreateVolume {
    /// Volume name
    #[arg(value_name = "name")]
    name: Option<String>,
    /// Volume size in GB (required unless --snapshot or --source specified)
    #[arg(long, value_name = "size")]
    size: Option<i64>,
    /// Set the type of volume
    #[arg(long = "type", value_name = "volume-type")]
    volume_type: Option<String>,
    /// Use <image> as source of volume (name or ID)
    #[arg(long, value_name = "image", group = "source_group")]
    image: Option<String>,
    /// Use <snapshot> as source of volume (name or ID)
    #[arg(long, value_name = "snapshot", group = "source_group")]
    snapshot: Option<String>,
    /// Volume to clone (name or ID)
    #[arg(long, value_name = "volume", group = "source_group")]
    source: Option<String>,
    #[arg(
        long,
        value_name = "replicated-volume",
        hide = true,
        group = "source_group"
    )]
    source_replicated: Option<String>,
    /// Restore backup to a volume (name or ID) (supported by --os-volume-api-version 3.47 or later)
    #[arg(long, value_name = "backup", group = "source_group")]
    backup: Option<String>,
    /// The attribute(s) of the existing remote volume (admin required) (repeat option to
    /// specify multiple attributes, e.g.: '--remote-source source-name=test_name
    /// --remote-source source-id=test_id')
    #[arg(long, value_name = "key=value", value_parser = kv)]
    remote_source: Vec<(String, String)>,
    /// Volume description
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// Create volume in <availability-zone>
    #[arg(long, value_name = "availability-zone")]
    availability_zone: Option<String>,
    /// Consistency group where the new volume belongs to
    #[arg(long, value_name = "consistency-group")]
    consistency_group: Option<String>,
    /// Set a property to this volume (repeat option to set multiple properties)
    #[arg(long, value_name = "key=value", value_parser = kv)]
    property: Vec<(String, String)>,
    /// Arbitrary scheduler hint key-value pairs to help creating a volume. Repeat the option
    /// to set multiple hints. 'same_host' and 'different_host' get values appended when
    /// repeated, all other keys take the last given value
    #[arg(long, value_name = "key=value", value_parser = kv)]
    hint: Vec<(String, String)>,
    /// Mark volume as bootable
    #[arg(long, conflicts_with = "non_bootable")]
    bootable: bool,
    /// Mark volume as non-bootable (default)
    #[arg(long)]
    non_bootable: bool,
    /// Set volume to read-only access mode
    #[arg(long, conflicts_with = "read_write")]
    read_only: bool,
    /// Set volume to read-write access mode (default)
    #[arg(long)]
    read_write: bool,
    /// Cinder host on which the existing volume resides; takes the form:
    /// host@backend-name#pool. This is only used along with the --remote-source option.
    #[arg(long, value_name = "host")]
    host: Option<String>,
    /// Cinder cluster on which the existing volume resides; takes the form:
    /// cluster@backend-name#pool. This is only used along with the --remote-source option.
    /// (supported by --os-volume-api-version 3.16 or above)
    #[arg(long, value_name = "cluster")]
    cluster: Option<String>,
}

/// `--flag`/`--no-flag` pairs as OSC's tri-state.
fn tri(yes: bool, no: bool) -> Option<bool> {
    if yes {
        Some(true)
    } else if no {
        Some(false)
    } else {
        None
    }
}

/// Scheduler hints: `same_host`/`different_host` accumulate into lists, others overwrite.
fn hints(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut m = Map::new();
    for (k, v) in pairs {
        if k.starts_with("same_host") || k.starts_with("different_host") {
            match m.get_mut(k) {
                Some(Value::Array(a)) => a.push(json!(v)),
                _ => {
                    m.insert(k.clone(), json!([v]));
                }
            }
        } else {
            m.insert(k.clone(), json!(v));
        }
    }
    m
}

impl osc_core::Command for CreateVolume {
    fn run(self, ctx: &Context) -> Result<Output> {
        let has_source = self.snapshot.is_some()
            || self.source.is_some()
            || self.backup.is_some()
            || !self.remote_source.is_empty();
        if !has_source && self.size.is_none() {
            return Err(Error::cmd(
                "--size is a required option if none of --snapshot, --backup, --source, or --remote-source are provided.",
            ));
        }
        if (self.host.is_some() || self.cluster.is_some()) && self.remote_source.is_empty() {
            return Err(Error::cmd("The --host and --cluster options are only supported with --remote-source parameter."));
        }
        let s = ctx.session()?;
        if self.backup.is_some() {
            require(s, "3.47", "to create a volume from backup.")?;
        }
        let bootable = tri(self.bootable, self.non_bootable);
        let read_only = tri(self.read_only, self.read_write);
        if !self.remote_source.is_empty() {
            if self.size.is_some()
                || self.consistency_group.is_some()
                || !self.hint.is_empty()
                || read_only.is_some()
            {
                return Err(Error::cmd(
                    "The --size, --consistency-group, --hint, --read-only and --read-write options are not supported with the --remote-source parameter.",
                ));
            }
            if self.cluster.is_some() {
                require(s, "3.16", "to support the cluster parameter.")?;
            }
            if self.cluster.is_some() && self.host.is_some() {
                return Err(Error::cmd(
                    "Only one of --host or --cluster needs to be specified to manage a volume.",
                ));
            }
            if self.cluster.is_none() && self.host.is_none() {
                return Err(Error::cmd(
                    "One of --host or --cluster needs to be specified to manage a volume.",
                ));
            }
            let mut body = json!({
                "host": self.host, "ref": kv_object(&self.remote_source), "name": self.name,
                "description": self.description, "volume_type": self.volume_type,
                "availability_zone": self.availability_zone,
                "metadata": if self.property.is_empty() { Value::Null } else { Value::Object(kv_object(&self.property)) },
                "bootable": bootable.unwrap_or(false),
            });
            if let Some(c) = &self.cluster {
                body["cluster"] = json!(c);
            }
            let path = if supports(s, "3.8")? {
                "/manageable_volumes"
            } else {
                "/os-volume-manage"
            };
            let v = s.json(
                VOLUME
                    .req(s, Method::POST, path)?
                    .json(wrap("volume", body)),
            )?;
            return Ok(Output::Show(format_volume(&v["volume"])));
        }

        let mut size = self.size;
        let mut body = Map::new();
        if let Some(src) = &self.source {
            let v = VOLUME.find(s, src)?;
            body.insert("source_volid".into(), v["id"].clone());
            size = Some(size.unwrap_or(0).max(v["size"].as_i64().unwrap_or(0)));
        }
        if let Some(cg) = &self.consistency_group {
            let g = crate::consistency_group::CONSISTENCY_GROUP.find(s, cg)?;
            body.insert("consistencygroup_id".into(), g["id"].clone());
        }
        if let Some(img) = &self.image {
            let images = osc_core::resource::Resource::new("image", "/images", "", "images")
                .display("image");
            body.insert("imageRef".into(), json!(images.find_id(s, img)?));
        }
        if let Some(sn) = &self.snapshot {
            let v = snapshot::SNAPSHOT.find(s, sn)?;
            body.insert("snapshot_id".into(), v["id"].clone());
            size = Some(size.unwrap_or(0).max(v["size"].as_i64().unwrap_or(0)));
        }
        if let Some(b) = &self.backup {
            let v = crate::backup::BACKUP.find(s, b)?;
            body.insert("backup_id".into(), v["id"].clone());
            size = Some(size.unwrap_or(0).max(v["size"].as_i64().unwrap_or(0)));
        }
        if let Some(size) = size {
            body.insert("size".into(), json!(size));
        }
        for (k, v) in [
            ("name", &self.name),
            ("description", &self.description),
            ("volume_type", &self.volume_type),
            ("availability_zone", &self.availability_zone),
        ] {
            if let Some(v) = v {
                body.insert(k.into(), json!(v));
            }
        }
        if !self.property.is_empty() {
            body.insert("metadata".into(), Value::Object(kv_object(&self.property)));
        }
        // Scheduler hints travel beside the volume, not inside it.
        let mut request = wrap("volume", Value::Object(body));
        if !self.hint.is_empty() {
            request["OS-SCH-HNT:scheduler_hints"] = Value::Object(hints(&self.hint));
        }
        let created = s.json(VOLUME.req(s, Method::POST, VOLUME.path)?.json(request))?;
        let volume = created.get("volume").cloned().unwrap_or(created);
        let id = str_of(&volume, "id");
        if let Some(b) = bootable {
            let r = wait_status(s, &VOLUME, &id, &["available"], &["error"], 3600)
                .and_then(|_| VOLUME.action(s, &id, json!({"os-set_bootable": {"bootable": b}})));
            if let Err(e) = r {
                osc_core::log::warn(&format!("Failed to set volume bootable property: {e}"));
            }
        }
        if let Some(ro) = read_only {
            let r = wait_status(s, &VOLUME, &id, &["available"], &["error"], 3600).and_then(|_| {
                VOLUME.action(s, &id, json!({"os-update_readonly_flag": {"readonly": ro}}))
            });
            if let Err(e) = r {
                osc_core::log::warn(&format!(
                    "Failed to set volume read-only access mode flag: {e}"
                ));
            }
        }
        Ok(Output::Show(format_volume(&volume)))
    }
}

/// Delete volume(s)
#[derive(clap::Args)]
pub struct DeleteVolume {
    /// Volume(s) to delete (name or ID)
    #[arg(value_name = "volume", required = true)]
    volumes: Vec<String>,
    /// Attempt forced removal of volume(s), regardless of state (defaults to False)
    #[arg(long, conflicts_with_all = ["cascade", "purge"])]
    force: bool,
    /// Remove any snapshots along with volume(s) (defaults to False)
    #[arg(long)]
    cascade: bool,
    #[arg(long, hide = true)]
    purge: bool,
    /// Specify this parameter to unmanage a volume.
    #[arg(long)]
    remote: bool,
}

impl osc_core::Command for DeleteVolume {
    fn run(self, ctx: &Context) -> Result<Output> {
        let cascade = self.cascade || self.purge;
        if self.remote && (self.force || cascade) {
            return Err(Error::cmd(
                "The --force and --cascade options are not supported with the --remote parameter.",
            ));
        }
        let s = ctx.session()?;
        // Deleted a few at a time; reported in the order given, as OSC reports.
        osc_core::concurrent::for_each_named(
            s,
            &self.volumes,
            "volume",
            "volumes",
            "delete",
            |s, n| {
                let id = VOLUME.find_id(s, n)?;
                if self.remote {
                    return VOLUME
                        .action(s, &id, json!({"os-unmanage": null}))
                        .map(|_| ());
                }
                let new_api = supports(s, "3.23")?;
                if self.force && !new_api {
                    return VOLUME
                        .action(s, &id, json!({"os-force_delete": null}))
                        .map(|_| ());
                }
                let mut req = VOLUME
                    .req(s, Method::DELETE, VOLUME.item(&id))?
                    .query("cascade", py_bool(cascade));
                if new_api {
                    req = req.query("force", py_bool(self.force));
                }
                s.send(req).map(|_| ())
            },
        )
    }
}

/// Python's `str(bool)` as the SDK puts booleans in query strings.
pub fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// List volumes
#[derive(clap::Args)]
pub struct ListVolume {
    /// Filter results by project (name or ID) (admin only)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
    /// Filter results by user (name or ID) (admin only)
    #[arg(long, value_name = "user")]
    user: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between
    /// user names exist.
    #[arg(long, value_name = "user-domain")]
    user_domain: Option<String>,
    /// Filter results by volume name
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// Filter results by status
    #[arg(long, value_name = "status")]
    status: Option<String>,
    /// Filter by a property on the volume list (repeat option to filter by multiple properties)
    #[arg(long, value_name = "key=value", value_parser = kv)]
    property: Vec<(String, String)>,
    /// Include all projects (admin only)
    #[arg(long)]
    all_projects: bool,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
    /// The maximum number of entries to return per page. If the value exceeds the
    /// server-defined maximum, then the server-defined value will be used.
    #[arg(long, value_name = "limit", value_parser = non_negative, allow_hyphen_values = true)]
    limit: Option<u64>,
    /// The first position in the collection to return results from. This should be a value
    /// that was returned in a previous request.
    #[arg(long, value_name = "marker")]
    marker: Option<String>,
}

/// Python's `str()` of a dict of strings, as OSC sends `--property` filters.
fn py_dict(m: &Map<String, Value>) -> String {
    let items: Vec<String> = m
        .iter()
        .map(|(k, v)| format!("'{}': '{}'", k, v.as_str().unwrap_or_default()))
        .collect();
    format!("{{{}}}", items.join(", "))
}

/// Server names by ID, for attachment columns (empty when compute is unreachable).
pub fn server_names(s: &osc_core::Session) -> HashMap<String, String> {
    let res = osc_core::resource::Resource::new("compute", "/servers", "server", "servers")
        .list_path("/servers/detail");
    res.list(s, &[])
        .map(|v| {
            v.iter()
                .map(|x| (str_of(x, "id"), str_of(x, "name")))
                .collect()
        })
        .unwrap_or_default()
}

/// Volume names by ID, for OSC's VolumeIdColumn.
pub fn volume_names(s: &osc_core::Session) -> HashMap<String, String> {
    VOLUME
        .list(s, &[])
        .map(|v| {
            v.iter()
                .map(|x| (str_of(x, "id"), str_of(x, "name")))
                .collect()
        })
        .unwrap_or_default()
}

impl osc_core::Command for ListVolume {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut query = Vec::new();
        q(&mut query, "name", self.name.as_ref());
        q(&mut query, "status", self.status.as_ref());
        q(&mut query, "limit", self.limit);
        q(&mut query, "marker", self.marker.as_ref());
        if let Some(p) = &self.project {
            query.push((
                "project_id".into(),
                project_id(s, p, self.project_domain.as_deref())?,
            ));
        }
        if let Some(u) = &self.user {
            query.push((
                "user_id".into(),
                user_id(s, u, self.user_domain.as_deref())?,
            ));
        }
        if !self.property.is_empty() {
            query.push(("metadata".into(), py_dict(&kv_object(&self.property))));
        }
        if self.project.is_some() || self.all_projects {
            query.push(("all_tenants".into(), "True".into()));
        }
        // The SDK follows every page even with --limit (the page size).
        let items = VOLUME.list(s, &query)?;
        let servers = if items.iter().any(|v| v["status"] == "in-use") {
            server_names(s)
        } else {
            HashMap::new()
        };
        let mut cols = vec!["ID", "Name", "Status", "Size"];
        if self.long {
            cols.extend(["Type", "Bootable"]);
        }
        cols.push("Attached to");
        if self.long {
            cols.push("Properties");
        }
        let mut t = Table::new(cols);
        for v in &items {
            let mut row = vec![
                Cell::raw(v["id"].clone()),
                Cell::raw(v["name"].clone()),
                Cell::raw(v["status"].clone()),
                Cell::raw(v["size"].clone()),
            ];
            if self.long {
                row.push(Cell::raw(v["volume_type"].clone()));
                row.push(Cell::raw(bool_str(&v["bootable"])));
            }
            row.push(format::attachments(&v["attachments"], &servers));
            if self.long {
                row.push(Cell::dict(v["metadata"].clone()));
            }
            t.rows.push(row);
        }
        Ok(Output::List(t))
    }
}

/// Migrate volume to a new host
#[derive(clap::Args)]
pub struct MigrateVolume {
    /// Volume to migrate (name or ID)
    #[arg(value_name = "volume")]
    volume: String,
    /// Destination host (takes the form: host@backend-name#pool)
    #[arg(
        long,
        value_name = "host",
        required_unless_present = "cluster",
        conflicts_with = "cluster"
    )]
    host: Option<String>,
    /// Destination cluster to migrate the volume to (requires --os-volume-api-version 3.16 or higher)
    #[arg(long, value_name = "cluster")]
    cluster: Option<String>,
    /// Enable generic host-based force-migration, which bypasses driver optimizations
    #[arg(long)]
    force_host_copy: bool,
    /// If specified, the volume state will be locked and will not allow a migration to be
    /// aborted (possibly by another operation)
    #[arg(long)]
    lock_volume: bool,
}

impl osc_core::Command for MigrateVolume {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = VOLUME.find_id(s, &self.volume)?;
        if self.cluster.is_some() {
            require(s, "3.16", "to support the volume migration with cluster")?;
        }
        let mut req = Map::new();
        if let Some(h) = &self.host {
            req.insert("host".into(), json!(h));
        }
        if self.force_host_copy {
            req.insert("force_host_copy".into(), json!(true));
        }
        if self.lock_volume {
            req.insert("lock_volume".into(), json!(true));
        }
        if let Some(c) = &self.cluster {
            req.insert("cluster".into(), json!(c));
        }
        VOLUME.action(s, &id, json!({"os-migrate_volume": req}))?;
        Ok(Output::None)
    }
}

const VOLUME_STATES: [&str; 9] = [
    "available",
    "error",
    "creating",
    "deleting",
    "in-use",
    "attaching",
    "detaching",
    "error_deleting",
    "maintenance",
];

/// Set volume properties
#[derive(clap::Args)]
pub struct SetVolume {
    /// Volume to modify (name or ID)
    #[arg(value_name = "volume")]
    volume: String,
    /// New volume name
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// Extend volume size in GB
    #[arg(long, value_name = "size")]
    size: Option<i64>,
    /// New volume description
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// Remove all properties from <volume> (specify both --no-property and --property to
    /// remove the current properties before setting new properties.)
    #[arg(long)]
    no_property: bool,
    /// Set a property on this volume (repeat option to set multiple properties)
    #[arg(long, value_name = "key=value", value_parser = kv)]
    property: Vec<(String, String)>,
    /// Set an image property on this volume (repeat option to set multiple image properties)
    #[arg(long, value_name = "key=value", value_parser = kv)]
    image_property: Vec<(String, String)>,
    /// New volume state ("available", "error", "creating", "deleting", "in-use",
    /// "attaching", "detaching", "error_deleting" or "maintenance") (admin only) (This
    /// option simply changes the state of the volume in the database with no regard to
    /// actual status, exercise caution when using)
    #[arg(long, value_name = "state", value_parser = VOLUME_STATES)]
    state: Option<String>,
    /// Set volume attachment status to "attached" (admin only) (This option simply changes
    /// the state of the volume in the database with no regard to actual status, exercise
    /// caution when using)
    #[arg(long, conflicts_with = "detached")]
    attached: bool,
    /// Set volume attachment status to "detached" (admin only) (This option simply changes
    /// the state of the volume in the database with no regard to actual status, exercise
    /// caution when using)
    #[arg(long)]
    detached: bool,
    /// New volume type (name or ID)
    #[arg(long = "type", value_name = "volume-type")]
    volume_type: Option<String>,
    #[arg(long, value_name = "retype-policy", value_parser = ["never", "on-demand"], hide = true)]
    retype_policy: Option<String>,
    /// Migration policy while re-typing volume ("never" or "on-demand", default is "never" )
    /// (available only when --type option is specified)
    #[arg(long, value_name = "migration-policy", value_parser = ["never", "on-demand"])]
    migration_policy: Option<String>,
    /// Mark volume as bootable
    #[arg(long, conflicts_with = "non_bootable")]
    bootable: bool,
    /// Mark volume as non-bootable
    #[arg(long)]
    non_bootable: bool,
    /// Set volume to read-only access mode
    #[arg(long, conflicts_with = "read_write")]
    read_only: bool,
    /// Set volume to read-write access mode
    #[arg(long)]
    read_write: bool,
}

impl osc_core::Command for SetVolume {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let volume = VOLUME.find(s, &self.volume)?;
        let id = str_of(&volume, "id");
        let mut steps = Steps::default();
        if self.retype_policy.is_some() {
            osc_core::log::warn(
                "The '--retype-policy' option has been deprecated in favor of '--migration-policy' option. The '--retype-policy' option will be removed in a future release. Please use '--migration-policy' instead.",
            );
        }
        if let Some(size) = self.size.filter(|n| *n != 0) {
            let cur = volume["size"].as_i64().unwrap_or(0);
            let status = str_of(&volume, "status");
            let r = if size <= cur {
                Err(Error::cmd(format!(
                    "New size must be greater than {cur} GB"
                )))
            } else if status != "available" && status != "in-use" {
                Err(Error::cmd(format!(
                    "Volume is in {status} state, it must be available or in-use before size can be extended."
                )))
            } else if status == "in-use" && !supports(s, "3.42")? {
                Err(Error::cmd(
                    "--os-volume-api-version 3.42 or greater is required to extend in-use volumes.",
                ))
            } else {
                VOLUME.action(s, &id, json!({"os-extend": {"new_size": size}}))
            };
            steps.run("Failed to set volume size", r);
        }
        if self.no_property {
            // The SDK replaces the metadata with an empty set.
            let path = format!("{}/metadata", VOLUME.item(&id));
            let r = s.json(
                VOLUME
                    .req(s, Method::PUT, path)?
                    .json(json!({"metadata": {}})),
            );
            steps.run("Failed to clean volume properties", r);
        }
        if !self.property.is_empty() {
            let r = s.json(
                VOLUME
                    .req(s, Method::POST, format!("{}/metadata", VOLUME.item(&id)))?
                    .json(json!({"metadata": kv_object(&self.property)})),
            );
            steps.run("Failed to set volume properties", r);
        }
        if !self.image_property.is_empty() {
            let r = VOLUME.action(
                s,
                &id,
                json!({"os-set_image_metadata": {"metadata": kv_object(&self.image_property)}}),
            );
            steps.run("Failed to set image properties", r);
        }
        if let Some(st) = &self.state {
            let r = VOLUME.action(s, &id, json!({"os-reset_status": {"status": st}}));
            steps.run("Failed to set volume state", r);
        }
        if self.attached || self.detached {
            let st = if self.attached {
                "attached"
            } else {
                "detached"
            };
            let r = VOLUME.action(s, &id, json!({"os-reset_status": {"attach_status": st}}));
            steps.run("Failed to set volume attach-status", r);
        }
        if let Some(b) = tri(self.bootable, self.non_bootable) {
            let r = VOLUME.action(s, &id, json!({"os-set_bootable": {"bootable": b}}));
            steps.run("Failed to set volume bootable property", r);
        }
        if let Some(ro) = tri(self.read_only, self.read_write) {
            let r = VOLUME.action(s, &id, json!({"os-update_readonly_flag": {"readonly": ro}}));
            steps.run("Failed to set volume read-only access mode flag", r);
        }
        let policy = self.migration_policy.clone().or(self.retype_policy.clone());
        if let Some(t) = &self.volume_type {
            let r = volume_type::TYPE.find(s, t).and_then(|vt| {
                let mut body = json!({"os-retype": {"new_type": vt["id"]}});
                body["os-retype"]["migration_policy"] =
                    json!(policy.clone().unwrap_or_else(|| "never".into()));
                VOLUME.action(s, &id, body)
            });
            steps.run("Failed to set volume type", r);
        } else if policy.is_some() {
            let opt = if self.migration_policy.is_some() {
                "--migration-policy"
            } else {
                "--retype-policy"
            };
            osc_core::log::warn(&format!(
                "'{opt}' option will not work without '--type' option"
            ));
        }
        let mut update = Map::new();
        if let Some(n) = self.name.as_ref().filter(|n| !n.is_empty()) {
            update.insert("name".into(), json!(n));
        }
        if let Some(d) = self.description.as_ref().filter(|d| !d.is_empty()) {
            update.insert("description".into(), json!(d));
        }
        if !update.is_empty() {
            let r = VOLUME.update(s, &id, Value::Object(update));
            steps.run(
                "Failed to update volume display name or display description",
                r,
            );
        }
        steps.finish("One or more of the set operations failed")
    }
}

/// Display volume details
#[derive(clap::Args)]
pub struct ShowVolume {
    /// Volume to display (name or ID)
    #[arg(value_name = "volume")]
    volume: String,
}

impl osc_core::Command for ShowVolume {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let v = VOLUME.find(s, &self.volume)?;
        report_error_state(s, &VOLUME, &v);
        Ok(Output::Show(format_volume(&v)))
    }
}

/// Unset volume properties
#[derive(clap::Args)]
pub struct UnsetVolume {
    /// Volume to modify (name or ID)
    #[arg(value_name = "volume")]
    volume: String,
    /// Remove a property from volume (repeat option to remove multiple properties)
    #[arg(long, value_name = "key")]
    property: Vec<String>,
    /// Remove an image property from volume (repeat option to remove multiple image properties)
    #[arg(long, value_name = "key")]
    image_property: Vec<String>,
}

impl osc_core::Command for UnsetVolume {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = VOLUME.find_id(s, &self.volume)?;
        let mut steps = Steps::default();
        if !self.property.is_empty() {
            let r = self.property.iter().try_for_each(|k| {
                s.send(VOLUME.req(
                    s,
                    Method::DELETE,
                    format!(
                        "{}/metadata/{}",
                        VOLUME.item(&id),
                        osc_core::resource::encode_segment(k)
                    ),
                )?)
                .map(|_| ())
            });
            steps.run("Failed to unset volume properties", r);
        }
        if !self.image_property.is_empty() {
            let r = self.image_property.iter().try_for_each(|k| {
                VOLUME
                    .action(s, &id, json!({"os-unset_image_metadata": {"key": k}}))
                    .map(|_| ())
            });
            steps.run("Failed to unset image properties", r);
        }
        steps.finish("One or more of the unset operations failed")
    }
}

/// Show a summary of all volumes in this deployment.
#[derive(clap::Args)]
pub struct VolumeSummary {
    /// Include all projects (admin only)
    #[arg(long)]
    all_projects: bool,
}

impl osc_core::Command for VolumeSummary {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        require(s, "3.12", "to support the 'volume summary' command")?;
        let with_meta = supports(s, "3.36")?;
        let req = VOLUME
            .resource()
            .max_microversion("3.36")
            .request(s, Method::GET, "/volumes/summary")?
            .query("all_tenants", py_bool(self.all_projects));
        let body = s.json(req)?;
        let sum = &body["volume-summary"];
        let mut r = Record::new()
            .with("Total Count", sum["total_count"].clone())
            .with("Total Size", sum["total_size"].clone());
        if with_meta {
            r.push("Metadata", Cell::dict(sum["metadata"].clone()));
        }
        Ok(Output::Show(r))
    }
}

/// Revert a volume to a snapshot.
#[derive(clap::Args)]
pub struct VolumeRevertToSnapshot {
    /// Name or ID of the snapshot to restore. The snapshot must be the most recent one known
    /// to cinder.
    #[arg(value_name = "snapshot")]
    snapshot: String,
}

impl osc_core::Command for VolumeRevertToSnapshot {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        require(s, "3.40", "to support the 'volume revert snapshot' command")?;
        let snap = snapshot::SNAPSHOT.find(s, &self.snapshot)?;
        let vol = VOLUME.find(s, &str_of(&snap, "volume_id"))?;
        VOLUME.action(
            s,
            &str_of(&vol, "id"),
            json!({"revert": {"snapshot_id": snap["id"]}}),
        )?;
        Ok(Output::None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same object through python-openstackclient 10.5's `_format_volume` gave this.
    #[test]
    fn formats_a_volume_as_osc() {
        let raw = json!({"id":"v1","name":"n","status":"available","size":1,"availability_zone":"nova","created_at":"2026-01-01T00:00:00.000000","updated_at":null,"attachments":[],"bootable":"false","encrypted":false,"multiattach":false,"metadata":{"a":"b"},"volume_type":"lvm","volume_type_id":"t1","user_id":"u","os-vol-tenant-attr:tenant_id":"p","os-vol-host-attr:host":"h@b#p","consistencygroup_id":null,"links":[{"rel":"self","href":"x"}],"replication_status":null,"snapshot_id":null,"source_volid":null,"description":null,"group_id":null,"provider_id":null,"service_uuid":"s","shared_targets":false,"cluster_name":null,"consumes_quota":true,"encryption_key_id":null,"os-vol-mig-status-attr:migstat":null,"os-vol-mig-status-attr:name_id":null,"backup_id":null,"volume_image_metadata":{"k":"v"}});
        let expected = json!({"attachments": [], "availability_zone": "nova", "backup_id": null, "bootable": false, "cluster_name": null, "consumes_quota": true, "created_at": "2026-01-01T00:00:00.000000", "description": null, "encrypted": false, "group_id": null, "id": "v1", "multiattach": false, "name": "n", "os-vol-host-attr:host": "h@b#p", "os-vol-mig-status-attr:migstat": null, "os-vol-mig-status-attr:name_id": null, "os-vol-tenant-attr:tenant_id": "p", "properties": {"a": "b"}, "provider_id": null, "replication_status": null, "service_uuid": "s", "shared_targets": false, "size": 1, "snapshot_id": null, "source_volid": null, "status": "available", "type": "lvm", "updated_at": null, "user_id": "u", "volume_image_metadata": {"k": "v"}, "volume_type_id": "t1"});
        let got: Map<String, Value> = format_volume(&raw)
            .fields
            .into_iter()
            .map(|(k, c)| (k, c.value))
            .collect();
        assert_eq!(Value::Object(got), expected);
    }

    #[test]
    fn hints_append_for_host_keys() {
        let h = hints(&[
            ("same_host".into(), "a".into()),
            ("same_host".into(), "b".into()),
            ("x".into(), "1".into()),
            ("x".into(), "2".into()),
        ]);
        assert_eq!(Value::Object(h), json!({"same_host": ["a", "b"], "x": "2"}));
    }
}
