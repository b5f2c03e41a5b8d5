//! `availability zone list`: compute, network, share and volume availability zones.

use crate::util::{has_service, list_key};
use osc_core::{log, Cell, Command, Context, Output, Result, Session, Table};
use serde_json::{json, Value};

/// List availability zones and their status
#[derive(clap::Args)]
pub struct ListAvailabilityZone {
    /// List compute availability zones
    #[arg(long)]
    compute: bool,
    /// List network availability zones
    #[arg(long)]
    network: bool,
    /// List volume availability zones
    #[arg(long)]
    volume: bool,
    /// List share availability zones
    #[arg(long)]
    share: bool,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
}

/// One row: zone name and status, then (with `--long`) resource, host, service, status.
#[derive(Default)]
struct Zone {
    name: Value,
    status: String,
    resource: String,
    host: String,
    service: String,
    service_status: String,
}

fn state_available(z: &Value) -> bool {
    z.get("zoneState")
        .and_then(|s| s.get("available"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn status(available: bool) -> String {
    if available {
        "available"
    } else {
        "not available"
    }
    .to_string()
}

/// Python's `str()` of a JSON scalar.
fn py(v: &Value) -> String {
    osc_core::output::pystr::py_str(v)
}

fn compute_zones(s: &Session, long: bool) -> Result<Vec<Zone>> {
    let body = match s.get("compute", "/os-availability-zone/detail") {
        Ok(b) => b,
        // Policy may forbid the details.
        Err(e) if e.status() == Some(403) => s.get("compute", "/os-availability-zone")?,
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for z in list_key(&body, "availabilityZoneInfo") {
        let name = z.get("zoneName").cloned().unwrap_or(Value::Null);
        let st = status(state_available(&z));
        if !long {
            out.push(Zone {
                name,
                status: st,
                ..Default::default()
            });
            continue;
        }
        match z
            .get("hosts")
            .and_then(Value::as_object)
            .filter(|h| !h.is_empty())
        {
            Some(hosts) => {
                for (host, services) in hosts {
                    for (svc, state) in services.as_object().into_iter().flatten() {
                        let flag = |k: &str| state.get(k).and_then(Value::as_bool).unwrap_or(false);
                        out.push(Zone {
                            name: name.clone(),
                            status: st.clone(),
                            resource: String::new(),
                            host: host.clone(),
                            service: svc.clone(),
                            service_status: format!(
                                "{} {} {}",
                                if flag("active") {
                                    "enabled"
                                } else {
                                    "disabled"
                                },
                                if flag("available") { ":-)" } else { "XXX" },
                                py(state.get("updated_at").unwrap_or(&Value::Null))
                            ),
                        });
                    }
                }
            }
            None => out.push(Zone {
                name,
                status: st,
                ..Default::default()
            }),
        }
    }
    Ok(out)
}

fn network_zones(s: &Session, explicit: bool) -> Vec<Zone> {
    let supported = s.get("network", "/extensions").map(|b| {
        list_key(&b, "extensions").iter().any(|e| {
            e.get("name").and_then(Value::as_str) == Some("Availability Zone")
                || e.get("alias").and_then(Value::as_str) == Some("Availability Zone")
        })
    });
    match supported {
        Ok(true) => {}
        other => {
            if let Err(e) = other {
                log::debug(&format!("Network availability zone exception: {e}"));
            }
            if explicit {
                log::warn("Availability zones list not supported by Network API");
            }
            return Vec::new();
        }
    }
    let body = match s.get("network", "/availability_zones") {
        Ok(b) => b,
        Err(e) => {
            log::debug(&format!("Network availability zone exception: {e}"));
            if explicit {
                log::warn("Availability zones list not supported by Network API");
            }
            return Vec::new();
        }
    };
    list_key(&body, "availability_zones")
        .iter()
        .map(|z| {
            let state = z.get("state").map(py).unwrap_or_else(|| "None".into());
            Zone {
                name: z.get("name").cloned().unwrap_or(Value::Null),
                status: if state == "unavailable" {
                    "not available".into()
                } else {
                    state
                },
                resource: z.get("resource").map(py).unwrap_or_else(|| "None".into()),
                ..Default::default()
            }
        })
        .collect()
}

fn share_zones(s: &Session, explicit: bool) -> Result<Vec<Zone>> {
    let body = if has_service(s, "shared-file-system")? {
        s.get("shared-file-system", "/availability-zones")
    } else {
        Err(osc_core::Error::Unsupported(
            "no shared-file-system service in the catalog".into(),
        ))
    };
    Ok(match body {
        Ok(b) => list_key(&b, "availability_zones")
            .iter()
            .map(|z| Zone {
                name: z.get("name").cloned().unwrap_or(Value::Null),
                status: "available".into(),
                ..Default::default()
            })
            .collect(),
        Err(e) => {
            if explicit {
                log::warn("Availability zones list not supported by Shared File System API");
            } else {
                log::debug(&format!("Share availability zone not available: {e}"));
            }
            Vec::new()
        }
    })
}

fn volume_zones(s: &Session, explicit: bool) -> Result<Vec<Zone>> {
    if !has_service(s, "block-storage")? {
        if explicit {
            log::warn("Block Storage API is not available in the current cloud");
        }
        return Ok(Vec::new());
    }
    Ok(match s.get("block-storage", "/os-availability-zone") {
        Ok(b) => list_key(&b, "availabilityZoneInfo")
            .iter()
            .map(|z| Zone {
                name: z.get("zoneName").cloned().unwrap_or(Value::Null),
                status: status(state_available(z)),
                ..Default::default()
            })
            .collect(),
        Err(e) => {
            log::debug(&format!("Volume availability zone exception: {e}"));
            if explicit {
                log::warn("Availability zones list not supported by Block Storage API");
            }
            Vec::new()
        }
    })
}

impl Command for ListAvailabilityZone {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let all = !(self.compute || self.network || self.share || self.volume);
        let mut zones = Vec::new();
        if self.compute || all {
            zones.extend(compute_zones(s, self.long)?);
        }
        if self.network || all {
            zones.extend(network_zones(s, self.network));
        }
        if self.share || all {
            zones.extend(share_zones(s, self.share)?);
        }
        if self.volume || all {
            zones.extend(volume_zones(s, self.volume)?);
        }
        let mut t = if self.long {
            Table::new([
                "Zone Name",
                "Zone Status",
                "Zone Resource",
                "Host Name",
                "Service Name",
                "Service Status",
            ])
        } else {
            Table::new(["Zone Name", "Zone Status"])
        };
        for z in zones {
            let mut row = vec![Cell::raw(z.name), Cell::raw(z.status)];
            if self.long {
                row.extend(
                    [z.resource, z.host, z.service, z.service_status].map(|v| Cell::raw(json!(v))),
                );
            }
            t.rows.push(row);
        }
        Ok(Output::List(t))
    }
}
