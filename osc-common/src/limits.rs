//! `limits show`: Nova's and Cinder's absolute and rate limits.

use crate::util::{get_mv, has_service, pinned_microversion, PROJECTS};
use osc_core::lookup::Passthrough;
use osc_core::{Cell, Command, Context, Output, Result, Session, Table};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// openstacksdk's compute `AbsoluteLimits`: Python name, alias (`aka`) and Nova's key.
/// openstacksdk shows every attribute under both names.
const COMPUTE_ABSOLUTE: &[(&str, Option<&str>, &str)] = &[
    ("image_meta", Some("max_image_meta"), "maxImageMeta"),
    ("personality", None, "maxPersonality"),
    ("personality_size", None, "maxPersonalitySize"),
    (
        "security_group_rules",
        Some("max_security_group_rules"),
        "maxSecurityGroupRules",
    ),
    (
        "security_groups",
        Some("max_security_groups"),
        "maxSecurityGroups",
    ),
    (
        "security_groups_used",
        Some("total_security_groups_used"),
        "totalSecurityGroupsUsed",
    ),
    ("server_meta", Some("max_server_meta"), "maxServerMeta"),
    ("total_cores", Some("max_total_cores"), "maxTotalCores"),
    (
        "total_cores_used",
        Some("total_cores_used"),
        "totalCoresUsed",
    ),
    (
        "floating_ips",
        Some("max_total_floating_ips"),
        "maxTotalFloatingIps",
    ),
    (
        "floating_ips_used",
        Some("total_floating_ips_used"),
        "totalFloatingIpsUsed",
    ),
    (
        "instances",
        Some("max_total_instances"),
        "maxTotalInstances",
    ),
    (
        "instances_used",
        Some("total_instances_used"),
        "totalInstancesUsed",
    ),
    ("keypairs", Some("max_total_keypairs"), "maxTotalKeypairs"),
    ("total_ram", Some("max_total_ram_size"), "maxTotalRAMSize"),
    ("total_ram_used", Some("total_ram_used"), "totalRAMUsed"),
    (
        "server_groups",
        Some("max_server_groups"),
        "maxServerGroups",
    ),
    (
        "server_groups_used",
        Some("total_server_groups_used"),
        "totalServerGroupsUsed",
    ),
    (
        "server_group_members",
        Some("max_server_group_members"),
        "maxServerGroupMembers",
    ),
];

/// openstacksdk's block-storage `AbsoluteLimit`: Python name and Cinder's key.
const VOLUME_ABSOLUTE: &[(&str, &str)] = &[
    ("max_total_backup_gigabytes", "maxTotalBackupGigabytes"),
    ("max_total_backups", "maxTotalBackups"),
    ("max_total_snapshots", "maxTotalSnapshots"),
    ("max_total_volume_gigabytes", "maxTotalVolumeGigabytes"),
    ("max_total_volumes", "maxTotalVolumes"),
    ("total_backup_gigabytes_used", "totalBackupGigabytesUsed"),
    ("total_backups_used", "totalBackupsUsed"),
    ("total_gigabytes_used", "totalGigabytesUsed"),
    ("total_snapshots_used", "totalSnapshotsUsed"),
    ("total_volumes_used", "totalVolumesUsed"),
];

/// Show compute and block storage limits
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("type").args(["absolute", "rate"])))]
pub struct ShowLimits {
    /// Show absolute limits
    #[arg(long)]
    absolute: bool,
    /// Show rate limits. This is not supported by the compute service since the 12.0.0
    /// (Liberty) release and is only supported by the block storage service when the
    /// rate-limiting middleware is enabled. It is therefore a no-op in most deployments.
    #[arg(long)]
    rate: bool,
    /// Include reservations count (only valid with --absolute)
    #[arg(long)]
    reserved: bool,
    /// Show limits for a specific project (name or ID) (only valid with --absolute)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
    /// Deprecated alias for --project-domain
    #[arg(
        long,
        value_name = "domain",
        hide = true,
        conflicts_with = "project_domain"
    )]
    domain: Option<String>,
}

fn limits(body: Value) -> Map<String, Value> {
    match body {
        Value::Object(mut m) => match m.remove("limits") {
            Some(Value::Object(l)) => l,
            _ => Map::new(),
        },
        _ => Map::new(),
    }
}

fn compute_limits(
    s: &Session,
    project: Option<&str>,
    reserved: bool,
) -> Result<Map<String, Value>> {
    let mut q = vec![(
        "reserved".to_string(),
        if reserved { "True" } else { "False" }.to_string(),
    )];
    if let Some(p) = project {
        q.push(("tenant_id".into(), p.to_string()));
    }
    let mv = pinned_microversion(s, "compute")?;
    Ok(limits(get_mv(s, "compute", "/limits", &q, &mv)?))
}

fn volume_limits(s: &Session, project: Option<&str>) -> Result<Map<String, Value>> {
    let q: Vec<(String, String)> = project
        .map(|p| vec![("project_id".to_string(), p.to_string())])
        .unwrap_or_default();
    let mv = s
        .microversion("block-storage", Some("3.39"))?
        .unwrap_or_default();
    Ok(limits(get_mv(s, "block-storage", "/limits", &q, &mv)?))
}

/// OSC's absolute limits: every openstacksdk attribute name (and alias) with its value.
fn absolute(
    compute: Option<&Map<String, Value>>,
    volume: Option<&Map<String, Value>>,
) -> BTreeMap<String, Value> {
    let mut info = BTreeMap::new();
    let abs = |m: &Map<String, Value>| m.get("absolute").and_then(Value::as_object).cloned();
    if let Some(a) = compute.and_then(abs) {
        for (name, aka, remote) in COMPUTE_ABSOLUTE {
            let v = a.get(*remote).cloned().unwrap_or(Value::Null);
            info.insert(name.to_string(), v.clone());
            if let Some(aka) = aka {
                info.insert(aka.to_string(), v);
            }
        }
    }
    if let Some(a) = volume.and_then(abs) {
        for (name, remote) in VOLUME_ABSOLUTE {
            info.insert(
                name.to_string(),
                a.get(*remote).cloned().unwrap_or(Value::Null),
            );
        }
    }
    info
}

/// Rate limits flattened: one row per limit of each URI.
fn rate_rows(m: &Map<String, Value>, t: &mut Table) {
    let empty = Vec::new();
    for r in m.get("rate").and_then(Value::as_array).unwrap_or(&empty) {
        let uri = r.get("uri").cloned().unwrap_or(Value::Null);
        for l in r.get("limit").and_then(Value::as_array).unwrap_or(&empty) {
            let f = |k: &str| Cell::raw(l.get(k).cloned().unwrap_or(Value::Null));
            let next = l
                .get("next-available")
                .filter(|v| crate::util::truthy(v))
                .or_else(|| l.get("next_available"))
                .cloned()
                .unwrap_or(Value::Null);
            t.rows.push(vec![
                f("verb"),
                Cell::raw(uri.clone()),
                f("value"),
                f("remaining"),
                f("unit"),
                Cell::raw(next),
            ]);
        }
    }
}

impl Command for ShowLimits {
    fn run(self, ctx: &Context) -> Result<Output> {
        if !(self.absolute || self.rate) {
            return Err(osc_core::Error::usage(
                "one of the arguments --absolute --rate is required",
            ));
        }
        let s = ctx.session()?;
        let domain = self.project_domain.as_deref().or(self.domain.as_deref());
        let project = match &self.project {
            // As OSC: when identity forbids the lookup, the value is taken as an ID.
            Some(p) => Some(
                PROJECTS
                    .passing(Passthrough::Forbidden)
                    .id_in(s, p, domain)?,
            ),
            None => None,
        };
        let compute = if has_service(s, "compute")? {
            Some(compute_limits(s, project.as_deref(), self.reserved)?)
        } else {
            None
        };
        let volume = if has_service(s, "block-storage")? {
            Some(volume_limits(s, project.as_deref())?)
        } else {
            None
        };
        if self.absolute {
            let mut t = Table::new(["Name", "Value"]);
            for (k, v) in absolute(compute.as_ref(), volume.as_ref()) {
                t.rows.push(vec![Cell::raw(k), Cell::raw(v)]);
            }
            return Ok(Output::List(t));
        }
        let mut t = Table::new(["Verb", "URI", "Value", "Remain", "Unit", "Next Available"]);
        for m in [compute.as_ref(), volume.as_ref()].into_iter().flatten() {
            rate_rows(m, &mut t);
        }
        Ok(Output::List(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn absolute_limits_under_both_names_sorted() {
        let c = json!({"absolute": {"maxTotalCores": 20, "totalCoresUsed": 1}, "rate": []});
        let v = json!({"absolute": {"maxTotalVolumes": 10}, "rate": []});
        let info = absolute(c.as_object(), v.as_object());
        assert_eq!(info["total_cores"], json!(20));
        assert_eq!(info["max_total_cores"], json!(20));
        assert_eq!(info["max_total_volumes"], json!(10));
        assert_eq!(info["personality"], Value::Null);
        assert_eq!(info.len(), 34 + 10);
    }

    #[test]
    fn rate_limits_are_flattened() {
        let m = json!({"rate": [{"uri": "*", "limit": [{"verb": "POST", "value": 10, "remaining": 2, "unit": "MINUTE", "next-available": "x"}]}]});
        let mut t = Table::new(["a"]);
        rate_rows(m.as_object().unwrap(), &mut t);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0][5].value, json!("x"));
    }
}
