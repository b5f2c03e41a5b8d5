//! `volume transfer request accept/create/delete/list/show`.

use crate::common::*;
use crate::volume::VOLUME;
use osc_core::{Cell, Context, Error, Method, Output, Record, Result, Session, Table};
use serde_json::{json, Map, Value};

const ATTRS: &[&str] = &[
    "id",
    "created_at",
    "name",
    "volume_id",
    "auth_key",
    "links",
    "no_snapshots",
    "location",
];

/// Volume transfers moved to `/volume-transfers` in 3.55; older clouds use the extension.
pub fn transfer(s: &Session) -> Result<Sdk> {
    let new_api = supports(s, "3.55")?;
    let path = if new_api {
        "/volume-transfers"
    } else {
        "/os-volume-transfer"
    };
    Ok(Sdk {
        class: "Transfer",
        path,
        list_path: path,
        singular: "transfer",
        plural: "transfers",
        max_mv: Some("3.55"),
        attrs: ATTRS,
        name_filter: false,
        find_query: &[],
    })
}

fn fields(t: &Value, cols: &[&str]) -> Record {
    Record {
        fields: cols
            .iter()
            .map(|c| (c.to_string(), Cell::raw(t[*c].clone())))
            .collect(),
    }
}

/// Accept volume transfer request.
#[derive(clap::Args)]
pub struct AcceptTransferRequest {
    /// Volume transfer request to accept (ID only)
    #[arg(value_name = "transfer-request-id")]
    transfer_request: String,
    /// Volume transfer request authentication key
    #[arg(long, value_name = "key", required = true)]
    auth_key: String,
}

impl osc_core::Command for AcceptTransferRequest {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let res = transfer(s)?;
        // Another project's request is invisible before acceptance: use the ID as given.
        let id = match res.find(s, &self.transfer_request) {
            Ok(t) => str_of(&t, "id"),
            Err(e) if e.is_not_found() => self.transfer_request.clone(),
            Err(e) => return Err(e),
        };
        let body = json!({"accept": {"auth_key": self.auth_key}});
        let r = s.json(
            res.req(s, Method::POST, format!("{}/accept", res.item(&id)))?
                .json(body),
        )?;
        let t = r.get("transfer").cloned().unwrap_or(r);
        Ok(Output::Show(fields(&t, &["id", "name", "volume_id"])))
    }
}

/// Create volume transfer request.
#[derive(clap::Args)]
pub struct CreateTransferRequest {
    /// New transfer request name (default to None)
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// Also transfer volume snapshots (default) (supported by --os-volume-api-version 3.55 or
    /// later)
    #[arg(long, overrides_with = "no_snapshots")]
    snapshots: bool,
    /// Do not transfer volume snapshots (supported by --os-volume-api-version 3.55 or later)
    #[arg(long)]
    no_snapshots: bool,
    /// Volume to transfer (name or ID)
    #[arg(value_name = "volume")]
    volume: String,
}

impl osc_core::Command for CreateTransferRequest {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut body = Map::new();
        if self.snapshots || self.no_snapshots {
            if !supports(s, "3.55")? {
                return Err(Error::cmd(
                    "--os-volume-api-version 3.55 or greater is required to support the '--(no-)snapshots' option",
                ));
            }
            body.insert("no_snapshots".into(), json!(self.no_snapshots));
        }
        let volume_id = VOLUME.find_id(s, &self.volume)?;
        body.insert("volume_id".into(), json!(volume_id));
        body.insert("name".into(), json!(self.name));
        let res = transfer(s)?;
        let t = res.create(s, Value::Object(body))?;
        Ok(Output::Show(fields(
            &t,
            &["auth_key", "created_at", "id", "name", "volume_id"],
        )))
    }
}

/// Delete volume transfer request(s).
#[derive(clap::Args)]
pub struct DeleteTransferRequest {
    /// Volume transfer request(s) to delete (name or ID)
    #[arg(value_name = "transfer-request", required = true)]
    transfer_request: Vec<String>,
}

impl osc_core::Command for DeleteTransferRequest {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let res = transfer(s)?;
        let mut failed = 0;
        for t in &self.transfer_request {
            let r = res.find_id(s, t).and_then(|id| res.delete(s, &id));
            if let Err(e) = r {
                failed += 1;
                osc_core::log::warn(&format!(
                    "Failed to delete volume transfer request with name or ID '{t}': {e}"
                ));
            }
        }
        if failed > 0 {
            return Err(Error::cmd(format!(
                "{failed} of {} volume transfer requests failed to delete",
                self.transfer_request.len()
            )));
        }
        Ok(Output::None)
    }
}

/// Lists all volume transfer requests.
#[derive(clap::Args)]
pub struct ListTransferRequest {
    /// Include all projects (admin only)
    #[arg(long)]
    all_projects: bool,
}

impl osc_core::Command for ListTransferRequest {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut res = transfer(s)?;
        res.list_path = if res.path == "/volume-transfers" {
            "/volume-transfers/detail"
        } else {
            "/os-volume-transfer/detail"
        };
        let mut query = Vec::new();
        if self.all_projects {
            query.push(("all_tenants".to_string(), "True".to_string()));
        }
        let items = res.list(s, &query)?;
        let mut t = Table::new(["ID", "Name", "Volume"]);
        for v in &items {
            t.rows.push(vec![
                Cell::raw(v["id"].clone()),
                Cell::raw(v["name"].clone()),
                Cell::raw(v["volume_id"].clone()),
            ]);
        }
        Ok(Output::List(t))
    }
}

/// Show volume transfer request details.
#[derive(clap::Args)]
pub struct ShowTransferRequest {
    /// Volume transfer request to display (name or ID)
    #[arg(value_name = "transfer-request")]
    transfer_request: String,
}

impl osc_core::Command for ShowTransferRequest {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let t = transfer(s)?.find(s, &self.transfer_request)?;
        Ok(Output::Show(fields(
            &t,
            &["created_at", "id", "name", "volume_id"],
        )))
    }
}
