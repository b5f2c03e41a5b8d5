//! `server migration list|show|abort|force complete` (confirm/revert are plain actions).

use crate::common::{self, mv};
use crate::server::{find_id, server_path};
use osc_core::resource::encode_segment;
use osc_core::{Cell, Command, Context, Error, Output, Record, Result, Session, Table};
use serde_json::Value;

/// List server migrations
#[derive(clap::Args)]
pub struct ListMigration {
    /// Filter migrations by server (name or ID)
    #[arg(long, value_name = "server")]
    server: Option<String>,
    /// Filter migrations by source or destination host
    #[arg(long, value_name = "host")]
    host: Option<String>,
    /// Filter migrations by status
    #[arg(long, value_name = "status")]
    status: Option<String>,
    /// Filter migrations by type
    #[arg(long = "type", value_name = "type", value_parser = ["evacuation", "live-migration", "cold-migration", "resize"])]
    migration_type: Option<String>,
    /// The maximum number of entries to return per page.
    #[arg(long, value_name = "limit", value_parser = common::non_negative)]
    limit: Option<u64>,
    /// The first position in the collection to return results from.
    #[arg(long, value_name = "marker")]
    marker: Option<String>,
    /// The maximum number of entries to return in total, paging through multiple requests if needed.
    #[arg(long = "max-items", value_name = "max-items", value_parser = common::non_negative)]
    max_items: Option<u64>,
    /// List only migrations changed later or equal to a certain point of time. The provided time should be an ISO 8061 formatted time, e.g. ``2016-03-04T06:27:59Z``. (supported with --os-compute-api-version 2.59 or above)
    #[arg(long = "changes-since", value_name = "changes-since")]
    changes_since: Option<String>,
    /// List only migrations changed earlier or equal to a certain point of time. The provided time should be an ISO 8061 formatted time, e.g. ``2016-03-04T06:27:59Z``. (supported with --os-compute-api-version 2.66 or above)
    #[arg(long = "changes-before", value_name = "changes-before")]
    changes_before: Option<String>,
    /// Filter migrations by project (name or ID) (supported with --os-compute-api-version 2.80 or above)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "project-domain")]
    project_domain: Option<String>,
    /// Filter migrations by user (name or ID) (supported with --os-compute-api-version 2.80 or above)
    #[arg(long, value_name = "user")]
    user: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long = "user-domain", value_name = "user-domain")]
    user_domain: Option<String>,
}

impl Command for ListMigration {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut q: Vec<(String, String)> = Vec::new();
        if let Some(h) = &self.host {
            q.push(("host".into(), h.clone()));
        }
        if let Some(st) = &self.status {
            q.push(("status".into(), st.clone()));
        }
        if let Some(sv) = &self.server {
            q.push(("instance_uuid".into(), find_id(s, sv, false)?));
        }
        if let Some(t) = &self.migration_type {
            let t = if t == "cold-migration" {
                "migration"
            } else {
                t.as_str()
            };
            q.push(("migration_type".into(), t.to_string()));
        }
        if let Some(m) = &self.marker {
            common::require(s, "2.59", "the --marker option")?;
            q.push(("marker".into(), m.clone()));
        }
        if let Some(l) = self.limit.filter(|l| *l > 0) {
            common::require(s, "2.59", "the --limit option")?;
            q.push(("limit".into(), l.to_string()));
        }
        if let Some(c) = &self.changes_since {
            common::require(s, "2.59", "the --changes-since option")?;
            q.push(("changes-since".into(), c.clone()));
        }
        if let Some(c) = &self.changes_before {
            common::require(s, "2.66", "the --changes-before option")?;
            q.push(("changes-before".into(), c.clone()));
        }
        if let Some(p) = &self.project {
            common::require(s, "2.80", "the --project option")?;
            q.push((
                "project_id".into(),
                common::find_project_id(s, p, self.project_domain.as_deref())?,
            ));
        }
        if let Some(u) = &self.user {
            common::require(s, "2.80", "the --user option")?;
            q.push((
                "user_id".into(),
                common::find_user_id(s, u, self.user_domain.as_deref())?,
            ));
        }
        let paginate = self.limit.is_none_or(|l| l == 0);
        let data = common::list_limited(
            s,
            "/os-migrations",
            "migrations",
            &q,
            mv::MIGRATION,
            paginate,
            self.max_items.map(|n| n as usize),
            osc_core::page::Fields::All,
        )?;
        let mut cols: Vec<(&str, &str)> = vec![
            ("Source Node", "source_node"),
            ("Dest Node", "dest_node"),
            ("Source Compute", "source_compute"),
            ("Dest Compute", "dest_compute"),
            ("Dest Host", "dest_host"),
            ("Status", "status"),
            ("Server UUID", "instance_uuid"),
            ("Old Flavor", "old_instance_type_id"),
            ("New Flavor", "new_instance_type_id"),
            ("Created At", "created_at"),
            ("Updated At", "updated_at"),
        ];
        if common::supports(s, "2.59")? {
            cols.insert(0, ("UUID", "uuid"));
        }
        if common::supports(s, "2.23")? {
            cols.insert(0, ("Id", "id"));
            let at = cols.len() - 2;
            cols.insert(at, ("Type", "migration_type"));
        }
        if common::supports(s, "2.80")? {
            if self.project.is_some() {
                let at = cols.len() - 2;
                cols.insert(at, ("Project", "project_id"));
            }
            if self.user.is_some() {
                let at = cols.len() - 2;
                cols.insert(at, ("User", "user_id"));
            }
        }
        let mut t = Table::new(cols.iter().map(|c| c.0));
        for m in &data {
            t.rows.push(
                cols.iter()
                    .map(|(_, k)| Cell::raw(m.get(*k).cloned().unwrap_or(Value::Null)))
                    .collect(),
            );
        }
        Ok(Output::List(t))
    }
}

fn migrations_path(server_id: &str) -> String {
    format!("{}/migrations", server_path(server_id))
}

/// Accepts a numeric migration ID, or a UUID (2.59+) resolved through the server's list.
fn migration_id(
    s: &Session,
    server_id: &str,
    migration: &str,
    what: &str,
) -> Result<(String, Option<Value>)> {
    if migration.chars().all(|c| c.is_ascii_digit()) && !migration.is_empty() {
        return Ok((migration.to_string(), None));
    }
    let hex = migration.replace('-', "");
    if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::cmd(format!(
            "The <migration> argument must be an ID or UUID; {migration} is neither"
        )));
    }
    common::require(s, "2.59", &format!("{what} by UUID"))?;
    let list = common::take(
        common::get(s, &migrations_path(server_id), mv::MIGRATION)?,
        "migrations",
    );
    let m = list
        .into_iter()
        .find(|m| m["uuid"].as_str() == Some(migration))
        .ok_or_else(|| {
            Error::NotFound(format!(
                "In-progress live migration {migration} is not found for server {server_id}."
            ))
        })?;
    Ok((common::py_str(&m["id"]), Some(m)))
}

/// Show an in-progress live migration for a given server
#[derive(clap::Args)]
pub struct ShowMigration {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Migration (ID)
    #[arg(value_name = "migration")]
    migration: String,
}

impl Command for ShowMigration {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        common::require(s, "2.24", "the server migration show command")?;
        let id = find_id(s, &self.server, false)?;
        let (mid, found) = migration_id(s, &id, &self.migration, "retrieve server migrations")?;
        let m = match found {
            Some(m) => m,
            None => common::unwrap_key(
                common::get(
                    s,
                    &format!("{}/{}", migrations_path(&id), encode_segment(&mid)),
                    mv::MIGRATION,
                )?,
                "migration",
            ),
        };
        let get = |k: &str| m.get(k).cloned().unwrap_or(Value::Null);
        let mut r = Record::new();
        for (h, k) in [
            ("ID", "id"),
            ("Server UUID", "server_uuid"),
            ("Status", "status"),
            ("Source Compute", "source_compute"),
            ("Source Node", "source_node"),
            ("Dest Compute", "dest_compute"),
            ("Dest Host", "dest_host"),
            ("Dest Node", "dest_node"),
            ("Memory Total Bytes", "memory_total_bytes"),
            ("Memory Processed Bytes", "memory_processed_bytes"),
            ("Memory Remaining Bytes", "memory_remaining_bytes"),
            ("Disk Total Bytes", "disk_total_bytes"),
            ("Disk Processed Bytes", "disk_processed_bytes"),
            ("Disk Remaining Bytes", "disk_remaining_bytes"),
            ("Created At", "created_at"),
            ("Updated At", "updated_at"),
        ] {
            r.push(h, get(k));
        }
        if common::supports(s, "2.59")? {
            r.push("UUID", get("uuid"));
        }
        if common::supports(s, "2.80")? {
            r.push("User ID", get("user_id"));
            r.push("Project ID", get("project_id"));
        }
        Ok(Output::Show(r))
    }
}

/// Cancel an ongoing live migration.
#[derive(clap::Args)]
pub struct AbortMigration {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Migration (ID)
    #[arg(value_name = "migration")]
    migration: String,
}

impl Command for AbortMigration {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        common::require(s, "2.24", "the server migration abort command")?;
        let id = find_id(s, &self.server, false)?;
        let (mid, _) = migration_id(s, &id, &self.migration, "abort server migrations")?;
        common::delete(
            s,
            &format!("{}/{}", migrations_path(&id), encode_segment(&mid)),
            mv::MIGRATION,
        )?;
        Ok(Output::None)
    }
}

/// Force an ongoing live migration to complete.
#[derive(clap::Args)]
pub struct ForceCompleteMigration {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Migration (ID)
    #[arg(value_name = "migration")]
    migration: String,
}

impl Command for ForceCompleteMigration {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        common::require(s, "2.22", "the server migration force complete command")?;
        let id = find_id(s, &self.server, false)?;
        let (mid, _) = migration_id(s, &id, &self.migration, "force complete server migrations")?;
        common::post(
            s,
            &format!("{}/{}/action", migrations_path(&id), encode_segment(&mid)),
            serde_json::json!({"force_complete": null}),
            mv::MIGRATION,
        )?;
        Ok(Output::None)
    }
}
