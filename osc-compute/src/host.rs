//! `host list|set|show` (deprecated os-hosts API, sent at 2.1 as OSC does).

use crate::common::{self, mv};
use osc_core::resource::encode_segment;
use osc_core::{Cell, Command, Context, Output, Result, Table};
use serde_json::{json, Value};

fn deprecated(instead: &str) {
    osc_core::log::warn(&format!(
        "API has been deprecated; consider using '{instead}' instead."
    ));
}

/// DEPRECATED: List hosts
#[derive(clap::Args)]
pub struct ListHost {
    /// Only return hosts in the availability zone
    #[arg(long, value_name = "zone")]
    zone: Option<String>,
}

impl Command for ListHost {
    fn run(self, ctx: &Context) -> Result<Output> {
        deprecated("hypervisor list");
        let s = ctx.session()?;
        let hosts = common::take(common::get(s, "/os-hosts", mv::BASE)?, "hosts");
        let mut t = Table::new(["Host Name", "Service", "Zone"]);
        for h in hosts.iter().filter(|h| {
            self.zone
                .as_deref()
                .is_none_or(|z| h["zone"].as_str() == Some(z))
        }) {
            t.rows.push(vec![
                Cell::raw(h["host_name"].clone()),
                Cell::raw(h["service"].clone()),
                Cell::raw(h["zone"].clone()),
            ]);
        }
        Ok(Output::List(t))
    }
}

/// DEPRECATED: Set host properties
#[derive(clap::Args)]
pub struct SetHost {
    /// Host to modify (name only)
    #[arg(value_name = "host")]
    host: String,
    /// Enable the host
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable the host
    #[arg(long)]
    disable: bool,
    /// Enable maintenance mode for the host
    #[arg(long = "enable-maintenance", conflicts_with = "disable_maintenance")]
    enable_maintenance: bool,
    /// Disable maintenance mode for the host
    #[arg(long = "disable-maintenance")]
    disable_maintenance: bool,
}

impl Command for SetHost {
    fn run(self, ctx: &Context) -> Result<Output> {
        deprecated("compute service set");
        let mut data = serde_json::Map::new();
        if self.enable {
            data.insert("status".into(), json!("enable"));
        }
        if self.disable {
            data.insert("status".into(), json!("disable"));
        }
        if self.enable_maintenance {
            data.insert("maintenance_mode".into(), json!("enable"));
        }
        if self.disable_maintenance {
            data.insert("maintenance_mode".into(), json!("disable"));
        }
        if data.is_empty() {
            return Ok(Output::None);
        }
        let s = ctx.session()?;
        common::put(
            s,
            &format!("/os-hosts/{}", encode_segment(&self.host)),
            Value::Object(data),
            mv::BASE,
        )?;
        Ok(Output::None)
    }
}

/// DEPRECATED: Display host details
#[derive(clap::Args)]
pub struct ShowHost {
    /// Name of host
    #[arg(value_name = "host")]
    host: String,
}

impl Command for ShowHost {
    fn run(self, ctx: &Context) -> Result<Output> {
        deprecated("hypervisor show");
        let s = ctx.session()?;
        let r = common::get(
            s,
            &format!("/os-hosts/{}", encode_segment(&self.host)),
            mv::BASE,
        )?;
        let mut t = Table::new(["Host", "Project", "CPU", "Memory MB", "Disk GB"]);
        for item in r
            .get("host")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            let res = &item["resource"];
            t.rows.push(
                ["host", "project", "cpu", "memory_mb", "disk_gb"]
                    .iter()
                    .map(|k| Cell::raw(res.get(*k).cloned().unwrap_or(Value::Null)))
                    .collect(),
            );
        }
        Ok(Output::List(t))
    }
}
