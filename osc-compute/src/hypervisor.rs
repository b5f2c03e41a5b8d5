//! `hypervisor list|show`, `hypervisor stats show`.

use crate::common::{self, mv};
use osc_core::resource::encode_segment;
use osc_core::{Cell, Command, Context, Error, Output, Result, Session, Table};
use serde_json::{json, Map, Value};

/// List hypervisors
#[derive(clap::Args)]
pub struct ListHypervisor {
    /// Filter hypervisors using <hostname> substring. Hypervisor Type and Host IP are not supported when --matching is used.
    #[arg(long, value_name = "hostname")]
    matching: Option<String>,
    /// The maximum number of entries to return per page.
    #[arg(long, value_name = "limit", value_parser = common::non_negative)]
    limit: Option<u64>,
    /// The first position in the collection to return results from.
    #[arg(long, value_name = "marker")]
    marker: Option<String>,
    /// The maximum number of entries to return in total, paging through multiple requests if needed.
    #[arg(long = "max-items", value_name = "max-items", value_parser = common::non_negative)]
    max_items: Option<u64>,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
}

impl Command for ListHypervisor {
    fn run(self, ctx: &Context) -> Result<Output> {
        if self.matching.is_some() && (self.marker.is_some() || self.limit.is_some()) {
            return Err(Error::cmd(
                "--matching is not compatible with --marker or --limit",
            ));
        }
        let s = ctx.session()?;
        let mut q: Vec<(String, String)> = Vec::new();
        if let Some(m) = &self.marker {
            common::require(s, "2.33", "the --marker option")?;
            q.push(("marker".into(), m.clone()));
        }
        if let Some(l) = self.limit.filter(|l| *l > 0) {
            common::require(s, "2.33", "the --limit option")?;
            q.push(("limit".into(), l.to_string()));
        }
        if let Some(m) = &self.matching {
            q.push(("hypervisor_hostname_pattern".into(), m.clone()));
        }
        let data = common::list_limited(
            s,
            "/os-hypervisors/detail",
            "hypervisors",
            &q,
            mv::HYPERVISOR,
            self.limit.is_none(),
            self.max_items.map(|n| n as usize),
            osc_core::page::Fields::All,
        )?;
        let mut cols: Vec<(&str, &str)> = vec![
            ("ID", "id"),
            ("Hypervisor Hostname", "hypervisor_hostname"),
            ("Hypervisor Type", "hypervisor_type"),
            ("Host IP", "host_ip"),
            ("State", "state"),
        ];
        if self.long && !common::supports(s, "2.88")? {
            cols.extend([
                ("vCPUs Used", "vcpus_used"),
                ("vCPUs", "vcpus"),
                ("Memory MB Used", "memory_mb_used"),
                ("Memory MB", "memory_mb"),
            ]);
        }
        let mut t = Table::new(cols.iter().map(|c| c.0));
        for h in &data {
            t.rows.push(
                cols.iter()
                    .map(|(_, k)| Cell::raw(h.get(*k).cloned().unwrap_or(Value::Null)))
                    .collect(),
            );
        }
        Ok(Output::List(t))
    }
}

fn find(s: &Session, name_or_id: &str) -> Result<Value> {
    match common::get(
        s,
        &format!("/os-hypervisors/{}", encode_segment(name_or_id)),
        mv::HYPERVISOR,
    ) {
        Ok(v) => return Ok(common::unwrap_key(v, "hypervisor")),
        Err(e) if e.is_not_found() || e.status() == Some(400) => {}
        Err(e) => return Err(e),
    }
    let all = common::list_all(
        s,
        "/os-hypervisors/detail",
        "hypervisors",
        &[],
        mv::HYPERVISOR,
    )?;
    let mut m: Vec<Value> = all
        .into_iter()
        .filter(|h| h["hypervisor_hostname"].as_str() == Some(name_or_id))
        .collect();
    match m.len() {
        0 => Err(Error::NotFound(format!(
            "No hypervisor with a name or ID of '{name_or_id}' exists."
        ))),
        1 => Ok(m.remove(0)),
        _ => Err(Error::Ambiguous(format!(
            "More than one hypervisor exists with the name '{name_or_id}'; use its ID instead"
        ))),
    }
}

/// Splits `17:37:14 up  2:33,  3 users,  load average: 0.33, 0.36, 0.34`.
fn parse_uptime(u: &str) -> Option<(String, String, String, String)> {
    let u = u.trim_start();
    let (host_time, rest) = u.split_once(" up ")?;
    let rest = rest.trim_start();
    let (before_load, load) = rest.split_once("load average: ")?;
    let before_load = before_load.trim_end().trim_end_matches(',');
    let (up, users) = before_load.rsplit_once(',')?;
    let users = users.trim();
    let users = users
        .strip_suffix("users")
        .or_else(|| users.strip_suffix("user"))?
        .trim_end();
    Some((
        host_time.to_string(),
        up.trim().to_string(),
        users.to_string(),
        load.to_string(),
    ))
}

/// Display hypervisor details
#[derive(clap::Args)]
pub struct ShowHypervisor {
    /// Hypervisor to display (name or ID)
    #[arg(value_name = "hypervisor")]
    hypervisor: String,
}

impl Command for ShowHypervisor {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let found = find(s, &self.hypervisor)?;
        let id = common::py_str(&found["id"]);
        let h = common::unwrap_key(
            common::get(
                s,
                &format!("/os-hypervisors/{}", encode_segment(&id)),
                mv::HYPERVISOR,
            )?,
            "hypervisor",
        );
        let v288 = common::supports(s, "2.88")?;
        let get = |k: &str| h.get(k).cloned().unwrap_or(Value::Null);
        let mut m = Map::new();
        for k in [
            "cpu_info",
            "host_ip",
            "hypervisor_hostname",
            "hypervisor_type",
            "hypervisor_version",
            "id",
            "state",
            "status",
        ] {
            m.insert(k.into(), get(k));
        }
        if !v288 {
            for (out, key) in [
                ("current_workload", "current_workload"),
                ("disk_available_least", "disk_available_least"),
                ("free_disk_gb", "free_disk_gb"),
                ("local_gb", "local_gb"),
                ("local_gb_used", "local_gb_used"),
                ("free_ram_mb", "free_ram_mb"),
                ("memory_mb_used", "memory_mb_used"),
                ("memory_mb", "memory_mb"),
                ("running_vms", "running_vms"),
                ("vcpus_used", "vcpus_used"),
                ("vcpus", "vcpus"),
            ] {
                m.insert(out.into(), get(key));
            }
        }
        let service = get("service");
        let service_host = common::str_of(&service, "host").to_string();
        let aggs = common::take(
            common::get(s, "/os-aggregates", mv::AGGREGATE)?,
            "aggregates",
        );
        let (cell, host) = match service_host.split_once('@') {
            Some((c, h)) => (Some(c.to_string()), h.to_string()),
            None => (None, service_host.clone()),
        };
        let member_of: Vec<Value> = aggs
            .iter()
            .filter(|a| {
                cell.as_deref()
                    .is_none_or(|c| common::str_of(a, "name").contains(c))
            })
            .filter(|a| {
                a["hosts"]
                    .as_array()
                    .is_some_and(|hs| hs.iter().any(|x| x.as_str() == Some(host.as_str())))
            })
            .map(|a| a["name"].clone())
            .collect();
        m.insert("aggregates".into(), Value::Array(member_of));
        let uptime = if v288 {
            common::str_of(&h, "uptime").to_string()
        } else {
            match common::get(
                s,
                &format!("/os-hypervisors/{}/uptime", encode_segment(&id)),
                mv::HYPERVISOR,
            ) {
                Ok(u) => common::str_of(&common::unwrap_key(u, "hypervisor"), "uptime").to_string(),
                Err(e) if e.status() == Some(501) => String::new(),
                Err(e) => return Err(e),
            }
        };
        if let Some((t, up, users, load)) = parse_uptime(&uptime) {
            m.insert("host_time".into(), json!(t));
            m.insert("uptime".into(), json!(up));
            m.insert("users".into(), json!(users));
            m.insert("load_average".into(), json!(load));
        }
        m.insert("service_id".into(), service["id"].clone());
        m.insert("service_host".into(), json!(service_host));
        if !common::supports(s, "2.28")? {
            let parsed = m
                .get("cpu_info")
                .and_then(Value::as_str)
                .and_then(|c| serde_json::from_str::<Value>(c).ok());
            m.insert("cpu_info".into(), parsed.unwrap_or_else(|| json!({})));
        }
        let mut keys: Vec<String> = m.keys().cloned().collect();
        keys.sort();
        let mut r = osc_core::Record::new();
        for k in keys {
            let v = m.get(&k).cloned().unwrap_or(Value::Null);
            r.push(
                k.clone(),
                if k == "cpu_info" {
                    crate::common::dict_cell(v)
                } else {
                    Cell::raw(v)
                },
            );
        }
        Ok(Output::Show(r))
    }
}

/// Display hypervisor stats details
#[derive(clap::Args)]
pub struct ShowHypervisorStats {}

impl Command for ShowHypervisorStats {
    fn run(self, ctx: &Context) -> Result<Output> {
        osc_core::log::warn("This command is deprecated.");
        let s = ctx.session()?;
        // Removed from the API in 2.88, not supported by openstacksdk: sent at 2.1 as OSC does.
        let r = common::get(s, "/os-hypervisors/statistics", mv::BASE)?;
        let stats = common::unwrap_key(r, "hypervisor_statistics");
        Ok(Output::Show(osc_core::resource::record_sorted(
            &stats,
            &["id", "links", "location", "name"],
            &[],
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uptime_is_split_like_osc() {
        let (t, up, users, load) =
            parse_uptime(" 17:37:14 up  2:33,  3 users,  load average: 0.33, 0.36, 0.34").unwrap();
        assert_eq!(
            (t.as_str(), up.as_str(), users.as_str(), load.as_str()),
            ("17:37:14", "2:33", "3", "0.33, 0.36, 0.34")
        );
        assert!(parse_uptime("garbage").is_none());
    }
}
