//! `image import info` and `image stores list`.

use crate::common::SVC;
use osc_core::{Cell, Context, Error, Output, Record, Result, Table};
use serde_json::Value;

#[derive(clap::Args, Debug)]
pub struct ImportInfo {}

impl osc_core::Command for ImportInfo {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let info = s.get(SVC, "/info/import")?;
        let methods = info
            .get("import-methods")
            .and_then(|m| m.get("value"))
            .cloned()
            .filter(Value::is_array)
            .unwrap_or(Value::Array(Vec::new()));
        Ok(Output::Show(
            Record::new().with("import-methods", Cell::list(methods)),
        ))
    }
}

#[derive(clap::Args, Debug)]
pub struct StoresInfo {
    /// Shows details of stores (admin only) (requires --os-image-api-version 2.15 or later)
    #[arg(long)]
    detail: bool,
}

impl osc_core::Command for StoresInfo {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let path = if self.detail {
            "/info/stores/detail"
        } else {
            "/info/stores"
        };
        let body = s.get(SVC, path).map_err(|e| {
            if e.is_not_found() {
                Error::cmd("Multi Backend support not enabled")
            } else {
                e
            }
        })?;
        let mut cols = vec!["ID", "Description", "Default"];
        if self.detail {
            cols.push("Properties");
        }
        let mut t = Table::new(cols);
        for st in body
            .get("stores")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let get = |k: &str| st.get(k).cloned().unwrap_or(Value::Null);
            let default = match st.get("default") {
                Some(Value::Bool(b)) => Value::Bool(*b),
                Some(Value::String(v)) => Value::Bool(v.eq_ignore_ascii_case("true")),
                _ => Value::Null,
            };
            let mut row = vec![
                Cell::raw(get("id")),
                Cell::raw(get("description")),
                Cell::raw(default),
            ];
            if self.detail {
                row.push(Cell::raw(get("properties")));
            }
            t.rows.push(row);
        }
        Ok(Output::List(t))
    }
}
