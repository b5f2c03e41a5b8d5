//! `compute agent create|delete|list|set` (os-agents, removed from Nova; sent at 2.1 as OSC).

use crate::common::{self, mv};
use osc_core::resource::{encode_segment, record_sorted};
use osc_core::{Cell, Command, Context, Error, Output, Result, Table};
use serde_json::{json, Value};

/// Create compute agent.
#[derive(clap::Args)]
pub struct CreateAgent {
    /// Type of OS
    #[arg(value_name = "os")]
    os: String,
    /// Type of architecture
    #[arg(value_name = "architecture")]
    architecture: String,
    /// Version
    #[arg(value_name = "version")]
    version: String,
    /// URL
    #[arg(value_name = "url")]
    url: String,
    /// MD5 hash
    #[arg(value_name = "md5hash")]
    md5hash: String,
    /// Type of hypervisor
    #[arg(value_name = "hypervisor", default_value = "xen")]
    hypervisor: String,
}

impl Command for CreateAgent {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let body = json!({"agent": {
            "hypervisor": self.hypervisor, "os": self.os, "architecture": self.architecture,
            "version": self.version, "url": self.url, "md5hash": self.md5hash,
        }});
        let a = common::unwrap_key(common::post(s, "/os-agents", body, mv::BASE)?, "agent");
        Ok(Output::Show(record_sorted(&a, &[], &[])))
    }
}

/// Delete compute agent(s).
#[derive(clap::Args)]
pub struct DeleteAgent {
    /// ID of agent(s) to delete
    #[arg(value_name = "id", required = true)]
    id: Vec<String>,
}

impl Command for DeleteAgent {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut failed = 0;
        for id in &self.id {
            if let Err(e) =
                common::delete(s, &format!("/os-agents/{}", encode_segment(id)), mv::BASE)
            {
                failed += 1;
                osc_core::log::warn(&format!("Failed to delete agent with ID '{id}': {e}"));
            }
        }
        if failed > 0 {
            return Err(Error::cmd(format!(
                "{failed} of {} agents failed to delete.",
                self.id.len()
            )));
        }
        Ok(Output::None)
    }
}

/// List compute agents.
#[derive(clap::Args)]
pub struct ListAgent {
    /// Type of hypervisor
    #[arg(long, value_name = "hypervisor")]
    hypervisor: Option<String>,
}

fn agents(ctx: &Context, hypervisor: Option<&str>) -> Result<Vec<Value>> {
    let s = ctx.session()?;
    let q: Vec<(String, String)> = hypervisor
        .map(|h| vec![("hypervisor".to_string(), h.to_string())])
        .unwrap_or_default();
    Ok(common::take(
        common::get_query(s, "/os-agents", &q, mv::BASE)?,
        "agents",
    ))
}

impl Command for ListAgent {
    fn run(self, ctx: &Context) -> Result<Output> {
        let data = agents(ctx, self.hypervisor.as_deref())?;
        let cols = [
            ("Agent ID", "agent_id"),
            ("Hypervisor", "hypervisor"),
            ("OS", "os"),
            ("Architecture", "architecture"),
            ("Version", "version"),
            ("Md5Hash", "md5hash"),
            ("URL", "url"),
        ];
        let mut t = Table::new(cols.iter().map(|c| c.0));
        for a in &data {
            t.rows.push(
                cols.iter()
                    .map(|(_, k)| Cell::raw(a.get(*k).cloned().unwrap_or(Value::Null)))
                    .collect(),
            );
        }
        Ok(Output::List(t))
    }
}

/// Set compute agent properties.
#[derive(clap::Args)]
pub struct SetAgent {
    /// ID of the agent
    #[arg(value_name = "id")]
    id: String,
    /// Version of the agent
    #[arg(long = "agent-version", value_name = "version")]
    agent_version: Option<String>,
    /// URL of the agent
    #[arg(long, value_name = "url")]
    url: Option<String>,
    /// MD5 hash of the agent
    #[arg(long, value_name = "md5hash")]
    md5hash: Option<String>,
}

impl Command for SetAgent {
    fn run(self, ctx: &Context) -> Result<Output> {
        let all = agents(ctx, None)?;
        let current = all
            .iter()
            .find(|a| common::py_str(&a["agent_id"]) == self.id)
            .ok_or_else(|| Error::cmd(format!("No agent with a ID of '{}' exists.", self.id)))?;
        let mut para = json!({"version": current["version"], "url": current["url"], "md5hash": current["md5hash"]});
        if let Some(v) = &self.agent_version {
            para["version"] = json!(v);
        }
        if let Some(u) = &self.url {
            para["url"] = json!(u);
        }
        if let Some(m) = &self.md5hash {
            para["md5hash"] = json!(m);
        }
        let s = ctx.session()?;
        common::put(
            s,
            &format!("/os-agents/{}", encode_segment(&self.id)),
            json!({ "para": para }),
            mv::BASE,
        )?;
        Ok(Output::None)
    }
}
