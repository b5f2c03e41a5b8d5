use crate::catalog;
use crate::error::Result;
use crate::{Context, Method, Output, Request, Table};
use serde_json::Value;

/// Show available versions of services
#[derive(clap::Args)]
pub struct ShowVersions {
    /// Show values for all interfaces
    #[arg(long, conflicts_with = "interface")]
    all_interfaces: bool,
    /// Show versions for a specific interface.
    #[arg(long, value_name = "<interface>")]
    interface: Option<String>,
    /// Show versions for a specific region.
    #[arg(long, value_name = "<region_name>")]
    region_name: Option<String>,
    /// Show versions for a specific service. The argument should be either an exact match to what is in the catalog or a known official value or alias from service-types-authority.
    #[arg(long, value_name = "<service>")]
    service: Option<String>,
    /// Show versions for a specific status. Valid values are: SUPPORTED, CURRENT, DEPRECATED, EXPERIMENTAL
    #[arg(long, value_name = "<status>")]
    status: Option<String>,
}

/// The service's unversioned root: the URL up to (not including) its version segment.
fn unversioned(url: &str) -> String {
    let mut parts: Vec<&str> = url.trim_end_matches('/').split('/').collect();
    if let Some(pos) = parts.iter().skip(3).position(|p| is_version(p)) {
        parts.truncate(pos + 3);
    }
    format!("{}/", parts.join("/"))
}

impl crate::Command for ShowVersions {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let cfg = ctx.cloud()?;
        let interface = self.interface.clone().unwrap_or_else(|| cfg.interface());
        let region = self.region_name.clone().or_else(|| cfg.region());
        let catalog = s.auth()?.catalog.clone();
        let mut t = Table::new([
            "Region Name",
            "Service Type",
            "Version",
            "Status",
            "Endpoint",
            "Min Microversion",
            "Max Microversion",
        ]);
        let mut seen = std::collections::HashSet::new();
        for svc in &catalog {
            let ty = svc["type"].as_str().unwrap_or("");
            if let Some(want) = &self.service {
                if ty != want && catalog::canonical(ty) != catalog::canonical(want) {
                    continue;
                }
            }
            for ep in svc["endpoints"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                let ep_region = ep["region_id"]
                    .as_str()
                    .or(ep["region"].as_str())
                    .unwrap_or("");
                if !self.all_interfaces && ep["interface"].as_str() != Some(interface.as_str()) {
                    continue;
                }
                if region.as_deref().is_some_and(|r| r != ep_region) {
                    continue;
                }
                let url = ep["url"].as_str().unwrap_or("");
                let root = unversioned(url);
                let doc = s.json(Request::new(Method::GET, ty, root.clone()).microversion(""));
                let versions: Vec<Value> = match doc {
                    Ok(d) => d
                        .get("versions")
                        .and_then(|v| v.get("values").or(Some(v)))
                        .and_then(Value::as_array)
                        .cloned()
                        .or_else(|| d.get("version").map(|v| vec![v.clone()]))
                        .unwrap_or_default(),
                    Err(e) => {
                        crate::log::debug(&format!("version discovery for {ty} failed: {e}"));
                        Vec::new()
                    }
                };
                // No version document (Swift): infer the version from the URL, as keystoneauth does.
                let versions = if versions.is_empty() {
                    match url
                        .trim_end_matches('/')
                        .split('/')
                        .skip(3)
                        .find(|p| is_version(p))
                    {
                        Some(seg) => {
                            let id = if seg.contains('.') {
                                seg.to_string()
                            } else {
                                format!("{seg}.0")
                            };
                            vec![
                                serde_json::json!({"id": id, "status": "CURRENT", "links": [{"rel": "self", "href": format!("{root}{seg}/")}]}),
                            ]
                        }
                        None => Vec::new(),
                    }
                } else {
                    versions
                };
                for v in versions {
                    // keystoneauth's normalisation of statuses.
                    let status = match v["status"]
                        .as_str()
                        .unwrap_or("")
                        .to_ascii_uppercase()
                        .as_str()
                    {
                        "STABLE" => "CURRENT".to_string(),
                        other => other.to_string(),
                    };
                    if self
                        .status
                        .as_deref()
                        .is_some_and(|w| !w.eq_ignore_ascii_case(&status))
                    {
                        continue;
                    }
                    let id = v["id"]
                        .as_str()
                        .unwrap_or("")
                        .trim_start_matches('v')
                        .to_string();
                    let href = v["links"]
                        .as_array()
                        .and_then(|l| l.iter().find(|l| l["rel"].as_str() == Some("self")))
                        .and_then(|l| l["href"].as_str())
                        .filter(|h| !h.is_empty())
                        .unwrap_or(&root)
                        .to_string();
                    let mv = |k: &str| {
                        v.get(k)
                            .and_then(Value::as_str)
                            .filter(|s| !s.is_empty())
                            .map(|s| Value::String(s.into()))
                            .unwrap_or(Value::Null)
                    };
                    let max = match mv("version") {
                        Value::Null => mv("max_version"),
                        x => x,
                    };
                    let key = (
                        ep_region.to_string(),
                        catalog::canonical(ty).to_string(),
                        id.clone(),
                    );
                    if !seen.insert(key) {
                        continue;
                    }
                    t.rows.push(vec![
                        ep_region.to_string().into(),
                        catalog::canonical(ty).to_string().into(),
                        id.into(),
                        status.into(),
                        href.into(),
                        mv("min_version").into(),
                        max.into(),
                    ]);
                }
            }
        }
        // OSC lists by region, service type, then version.
        let num = |c: &crate::Cell| -> Vec<u64> {
            c.value
                .as_str()
                .unwrap_or("")
                .split('.')
                .map(|p| p.parse().unwrap_or(0))
                .collect()
        };
        t.rows.sort_by(|a, b| {
            let k = |r: &Vec<crate::Cell>| {
                (
                    r[0].value.as_str().unwrap_or("").to_string(),
                    r[1].value.as_str().unwrap_or("").to_string(),
                )
            };
            k(a).cmp(&k(b)).then_with(|| num(&a[2]).cmp(&num(&b[2])))
        });
        Ok(Output::List(t))
    }
}

fn is_version(p: &str) -> bool {
    p.strip_prefix('v').is_some_and(|r| {
        !r.is_empty()
            && r.split('.')
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}
