//! `volume backend capability show` and `volume backend pool list`.

use crate::common::*;
use osc_core::{Cell, Context, Method, Output, Request, Result, Table};
use serde_json::Value;

/// Show capability command
#[derive(clap::Args)]
pub struct ShowCapability {
    /// List capabilities of specified host (host@backend-name)
    #[arg(value_name = "host")]
    host: String,
}

impl osc_core::Command for ShowCapability {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        // Backend names carry `@`, which stays as OSC sends it.
        let host = osc_core::resource::encode_segment(&self.host).replace("%40", "@");
        let path = format!("/capabilities/{host}");
        let body = s.json(Request::new(Method::GET, BS, path).microversion("3.0"))?;
        let mut t = Table::new(["Title", "Key", "Type", "Description"]);
        if let Some(props) = body["properties"].as_object() {
            for (key, cap) in props {
                let get = |k: &str| cap.get(k).cloned().unwrap_or(Value::String(String::new()));
                t.rows.push(vec![
                    Cell::raw(get("title")),
                    Cell::raw(Value::String(key.clone())),
                    Cell::raw(get("type")),
                    Cell::raw(get("description")),
                ]);
            }
        }
        Ok(Output::List(t))
    }
}

/// List pool command
#[derive(clap::Args)]
pub struct ListPool {
    /// Show detailed information about pools.
    #[arg(long)]
    long: bool,
}

impl osc_core::Command for ListPool {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        // The SDK always asks for details.
        let body = s.json(
            Request::new(Method::GET, BS, "/scheduler-stats/get_pools")
                .query("detail", "True")
                .microversion("3.0"),
        )?;
        let mut t = if self.long {
            Table::new(["Name", "Capabilities"])
        } else {
            Table::new(["Name"])
        };
        for p in body["pools"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let mut row = vec![Cell::raw(p["name"].clone())];
            if self.long {
                row.push(Cell::dict(p["capabilities"].clone()));
            }
            t.rows.push(row);
        }
        Ok(Output::List(t))
    }
}
