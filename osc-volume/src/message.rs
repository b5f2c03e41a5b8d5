//! `volume message delete/list/show` (3.3+).

use crate::common::*;
use osc_core::{Cell, Context, Error, Output, Record, Result, Table};
use serde_json::Value;

pub const MESSAGE: Sdk = Sdk {
    class: "Message",
    path: "/messages",
    list_path: "/messages",
    singular: "message",
    plural: "messages",
    max_mv: None,
    attrs: &[
        "created_at",
        "event_id",
        "guaranteed_until",
        "message_level",
        "request_id",
        "resource_type",
        "resource_uuid",
        "user_message",
        "id",
        "name",
        "location",
    ],
    name_filter: false,
    find_query: &[],
};

/// Messages need 3.3; the SDK class has no maximum, so OSC sends exactly what it needs.
fn msg_sdk(s: &osc_core::Session) -> Result<Sdk> {
    let mut m = MESSAGE;
    m.max_mv = Some("3.3");
    let _ = s;
    Ok(m)
}

fn need(s: &osc_core::Session, cmd: &str) -> Result<()> {
    require(
        s,
        "3.3",
        &format!("to support the 'volume message {cmd}' command"),
    )
}

/// Delete a volume failure message
#[derive(clap::Args)]
pub struct DeleteMessage {
    /// Message(s) to delete (ID)
    #[arg(value_name = "message-id", required = true)]
    message_ids: Vec<String>,
}

impl osc_core::Command for DeleteMessage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "delete")?;
        let res = msg_sdk(s)?;
        let mut errors = 0;
        for id in &self.message_ids {
            if res.delete(s, id).is_err() {
                osc_core::log::warn(&format!("Failed to delete message: {id}"));
                errors += 1;
            }
        }
        if errors > 0 {
            return Err(Error::cmd(format!(
                "Failed to delete {errors} of {} messages.",
                self.message_ids.len()
            )));
        }
        Ok(Output::None)
    }
}

/// List volume failure messages
#[derive(clap::Args)]
pub struct ListMessages {
    /// Filter results by project (name or ID) (admin only)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
    /// The maximum number of entries to return per page.
    #[arg(long, value_name = "limit", value_parser = non_negative, allow_hyphen_values = true)]
    limit: Option<u64>,
    /// The first position in the collection to return results from.
    #[arg(long, value_name = "marker")]
    marker: Option<String>,
}

impl osc_core::Command for ListMessages {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "list")?;
        let mut query = Vec::new();
        if let Some(p) = &self.project {
            query.push((
                "project_id".to_string(),
                project_id(s, p, self.project_domain.as_deref())?,
            ));
        }
        q(&mut query, "marker", self.marker.as_ref());
        q(&mut query, "limit", self.limit);
        let items = msg_sdk(s)?.list(s, &query)?;
        let cols = [
            ("ID", "id"),
            ("Event ID", "event_id"),
            ("Resource Type", "resource_type"),
            ("Resource UUID", "resource_uuid"),
            ("Message Level", "message_level"),
            ("User Message", "user_message"),
            ("Request ID", "request_id"),
            ("Created At", "created_at"),
            ("Guaranteed Until", "guaranteed_until"),
        ];
        let mut t = Table::new(cols.iter().map(|c| c.0));
        for m in &items {
            t.rows
                .push(cols.iter().map(|(_, k)| Cell::raw(m[*k].clone())).collect());
        }
        Ok(Output::List(t))
    }
}

/// Show a volume failure message
#[derive(clap::Args)]
pub struct ShowMessage {
    /// Message to show (ID).
    #[arg(value_name = "message-id")]
    message_id: String,
}

impl osc_core::Command for ShowMessage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "show")?;
        let m: Value = msg_sdk(s)?.get(s, &self.message_id)?;
        let cols = [
            ("Created At", "created_at"),
            ("Event ID", "event_id"),
            ("Guaranteed Until", "guaranteed_until"),
            ("ID", "id"),
            ("Message Level", "message_level"),
            ("Request ID", "request_id"),
            ("Resource Type", "resource_type"),
            ("Resource UUID", "resource_uuid"),
            ("User Message", "user_message"),
        ];
        Ok(Output::Show(Record {
            fields: cols
                .iter()
                .map(|(h, k)| (h.to_string(), Cell::raw(m[*k].clone())))
                .collect(),
        }))
    }
}
