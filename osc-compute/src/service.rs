//! `compute service delete|list|set`.

use crate::common::{self, mv};
use osc_core::resource::encode_segment;
use osc_core::{Cell, Command, Context, Error, Output, Result, Session, Table};
use serde_json::{json, Value};

fn services(s: &Session, host: Option<&str>, binary: Option<&str>) -> Result<Vec<Value>> {
    let mut q: Vec<(String, String)> = Vec::new();
    if let Some(h) = host {
        q.push(("host".into(), h.to_string()));
    }
    if let Some(b) = binary {
        q.push(("binary".into(), b.to_string()));
    }
    Ok(common::take(
        common::get_query(s, "/os-services", &q, mv::SERVICE)?,
        "services",
    ))
}

/// Delete compute service(s)
#[derive(clap::Args)]
pub struct DeleteService {
    /// Compute service(s) to delete (ID only). If using ``--os-compute-api-version`` 2.53 or greater, the ID is a UUID which can be retrieved by listing compute services using the same 2.53+ microversion.
    #[arg(value_name = "service", required = true)]
    service: Vec<String>,
}

impl Command for DeleteService {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut failed = 0;
        for id in &self.service {
            if let Err(e) = common::delete(
                s,
                &format!("/os-services/{}", encode_segment(id)),
                mv::SERVICE,
            ) {
                failed += 1;
                osc_core::log::warn(&format!(
                    "Failed to delete compute service with ID '{id}': {e}"
                ));
            }
        }
        if failed > 0 {
            return Err(Error::cmd(format!(
                "{failed} of {} compute services failed to delete.",
                self.service.len()
            )));
        }
        Ok(Output::None)
    }
}

/// List compute services.
#[derive(clap::Args)]
pub struct ListService {
    /// List services on specified host (name only)
    #[arg(long, value_name = "host")]
    host: Option<String>,
    /// List only specified service binaries (name only). For example, ``nova-compute``, ``nova-conductor``, etc.
    #[arg(long, value_name = "service")]
    service: Option<String>,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
}

impl Command for ListService {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let data = services(s, self.host.as_deref(), self.service.as_deref())?;
        let mut cols: Vec<(&str, &str)> = vec![
            ("ID", "id"),
            ("Binary", "binary"),
            ("Host", "host"),
            ("Zone", "zone"),
            ("Status", "status"),
            ("State", "state"),
            ("Updated At", "updated_at"),
        ];
        if self.long {
            cols.push(("Disabled Reason", "disabled_reason"));
            if common::supports(s, "2.11")? {
                cols.push(("Forced Down", "forced_down"));
            }
        }
        let mut t = Table::new(cols.iter().map(|c| c.0));
        for v in &data {
            t.rows.push(
                cols.iter()
                    .map(|(_, k)| Cell::raw(v.get(*k).cloned().unwrap_or(Value::Null)))
                    .collect(),
            );
        }
        Ok(Output::List(t))
    }
}

/// Set compute service properties
#[derive(clap::Args)]
pub struct SetService {
    /// Name of host
    #[arg(value_name = "host")]
    host: String,
    /// Name of service (Binary name), for example ``nova-compute``
    #[arg(value_name = "service")]
    service: String,
    /// Enable service
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable service
    #[arg(long)]
    disable: bool,
    /// Reason for disabling the service (in quotes). Should be used with --disable option.
    #[arg(long = "disable-reason", value_name = "reason")]
    disable_reason: Option<String>,
    /// Force up service. Requires ``--os-compute-api-version`` 2.11 or greater.
    #[arg(long, conflicts_with = "down")]
    up: bool,
    /// Force down service. Requires ``--os-compute-api-version`` 2.11 or greater.
    #[arg(long)]
    down: bool,
}

impl Command for SetService {
    fn run(self, ctx: &Context) -> Result<Output> {
        if (self.enable || !self.disable) && self.disable_reason.is_some() {
            return Err(Error::cmd(
                "Cannot specify option --disable-reason without --disable specified.",
            ));
        }
        let s = ctx.session()?;
        // 2.53+: one PUT /os-services/{uuid}, found from host and binary.
        let service_id = if common::supports(s, "2.53")? {
            let found = services(s, Some(&self.host), Some(&self.service))?;
            match found.len() {
                0 => return Err(Error::cmd(format!("Compute service for host \"{}\" and binary \"{}\" not found.", self.host, self.service))),
                1 => Some(common::py_str(&found[0]["id"])),
                _ => return Err(Error::cmd(format!("Multiple compute services found for host \"{}\" and binary \"{}\". Unable to proceed.", self.host, self.service))),
            }
        } else {
            None
        };
        let update = |body: Value, legacy_action: &str, version: &str| -> Result<()> {
            match &service_id {
                Some(id) => {
                    common::put(s, &format!("/os-services/{id}"), body, mv::SERVICE).map(|_| ())
                }
                None => {
                    let mut b = body;
                    if let Some(o) = b.as_object_mut() {
                        o.remove("status");
                    }
                    b["host"] = json!(self.host);
                    b["binary"] = json!(self.service);
                    common::put(s, &format!("/os-services/{legacy_action}"), b, version).map(|_| ())
                }
            }
        };
        let mut failed = 0;
        if self.enable || self.disable {
            let r = if self.enable {
                update(json!({"status": "enabled"}), "enable", mv::SERVICE)
            } else {
                match &self.disable_reason {
                    Some(reason) => update(
                        json!({"status": "disabled", "disabled_reason": reason}),
                        "disable-log-reason",
                        mv::SERVICE,
                    ),
                    None => update(json!({"status": "disabled"}), "disable", mv::SERVICE),
                }
            };
            if r.is_err() {
                osc_core::log::warn(&format!(
                    "Failed to set service status to {}",
                    if self.enable { "enabled" } else { "disabled" }
                ));
                failed += 1;
            }
        }
        if self.up || self.down {
            if !common::supports(s, "2.11")? {
                return Err(Error::cmd(
                    "--os-compute-api-version 2.11 or later is required",
                ));
            }
            if update(json!({"forced_down": self.down}), "force-down", "2.11").is_err() {
                osc_core::log::warn(&format!(
                    "Failed to set service state to {}",
                    if self.down { "down" } else { "up" }
                ));
                failed += 1;
            }
        }
        if failed > 0 {
            return Err(Error::cmd(format!(
                "Compute service {} of host {} failed to set.",
                self.service, self.host
            )));
        }
        Ok(Output::None)
    }
}
