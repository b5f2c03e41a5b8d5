//! `server group create|delete|list|show`.

use crate::common::{self, mv, SERVER_GROUPS};
use osc_core::resource::for_each_name;
use osc_core::{Cell, Command, Context, Error, Output, Record, Result, Session, Table};
use serde_json::{json, Value};

/// A server group as OSC shows it: openstacksdk's fields, `members` for `member_ids`, and
/// `policy`/`rules` (2.64+) or `policies` (older).
fn group_record(s: &Session, g: &Value) -> Result<Record> {
    let get = |k: &str| g.get(k).cloned().unwrap_or(Value::Null);
    let v264 = common::supports(s, "2.64")?;
    let mut r = Record::new()
        .with("id", get("id"))
        .with("members", crate::common::list_cell(get("members")))
        .with("name", get("name"));
    if v264 {
        r.push("policy", get("policy"));
    } else {
        r.push("policies", crate::common::list_cell(get("policies")));
    }
    r.push("project_id", get("project_id"));
    if v264 {
        r.push(
            "rules",
            crate::common::dict_cell(
                g.get("rules")
                    .cloned()
                    .filter(|v| !v.is_null())
                    .unwrap_or_else(|| json!({})),
            ),
        );
    }
    r.push("user_id", get("user_id"));
    Ok(r)
}

pub fn find_group(s: &Session, name_or_id: &str) -> Result<Value> {
    match SERVER_GROUPS.get(s, name_or_id) {
        Ok(v) => return Ok(v),
        Err(e) if e.is_not_found() || e.status() == Some(400) => {}
        Err(e) => return Err(e),
    }
    let all = SERVER_GROUPS.list(s, &[])?;
    let mut m: Vec<Value> = all
        .into_iter()
        .filter(|g| g["name"].as_str() == Some(name_or_id))
        .collect();
    match m.len() {
        0 => Err(Error::NotFound(format!(
            "No server group with a name or ID of '{name_or_id}' exists."
        ))),
        1 => Ok(m.remove(0)),
        _ => Err(Error::Ambiguous(format!(
            "More than one server group exists with the name '{name_or_id}'; use its ID instead"
        ))),
    }
}

/// Create a new server group.
#[derive(clap::Args)]
pub struct CreateServerGroup {
    /// New server group name
    #[arg(value_name = "name")]
    name: String,
    /// Add a policy to <name> Specify --os-compute-api-version 2.15 or higher for the 'soft-affinity' or 'soft-anti-affinity' policy.
    #[arg(long, value_name = "policy", default_value = "affinity",
          value_parser = ["affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity"])]
    policy: String,
    /// A rule for the policy. Currently, only the 'max_server_per_host' rule is supported for the 'anti-affinity' policy.
    #[arg(long = "rule", value_name = "key=value")]
    rule: Vec<String>,
}

impl Command for CreateServerGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let rules = common::parse_kv(&self.rule, "--rule")?;
        let s = ctx.session()?;
        if self.policy.starts_with("soft-") {
            common::require(s, "2.15", &format!("the {} policy", self.policy))?;
        }
        if !rules.is_empty() {
            common::require(s, "2.64", "the --rule option")?;
        }
        let body = if common::supports(s, "2.64")? {
            let mut b = json!({"name": self.name, "policy": self.policy});
            if !rules.is_empty() {
                // Nova wants integers for max_server_per_host.
                let typed: serde_json::Map<String, Value> = rules
                    .into_iter()
                    .map(|(k, v)| {
                        let n = v.as_str().and_then(|s| s.parse::<i64>().ok());
                        (k, n.map(Value::from).unwrap_or(v))
                    })
                    .collect();
                b["rules"] = Value::Object(typed);
            }
            b
        } else {
            json!({"name": self.name, "policies": [self.policy]})
        };
        let g = SERVER_GROUPS.create(s, body)?;
        Ok(Output::Show(group_record(s, &g)?))
    }
}

/// Delete existing server group(s).
#[derive(clap::Args)]
pub struct DeleteServerGroup {
    /// server group(s) to delete (name or ID)
    #[arg(value_name = "server-group", required = true)]
    server_group: Vec<String>,
}

impl Command for DeleteServerGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        for_each_name(&self.server_group, "server group", "delete", |n| {
            let id = common::id_or_err(find_group(s, n)?, "server group", n)?;
            SERVER_GROUPS.delete(s, &id)
        })
    }
}

/// List all server groups.
#[derive(clap::Args)]
pub struct ListServerGroup {
    /// Display information from all projects (admin only)
    #[arg(long = "all-projects")]
    all_projects: bool,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
    /// Index from which to start listing servers. This should typically be a factor of --limit. Display all servers groups if not specified.
    #[arg(long, value_name = "offset", value_parser = common::non_negative)]
    offset: Option<u64>,
    /// Maximum number of server groups to display. If limit is greater than 'osapi_max_limit' option of Nova API, 'osapi_max_limit' will be used instead.
    #[arg(long, value_name = "limit", value_parser = common::non_negative)]
    limit: Option<u64>,
    /// The maximum number of entries to return in total, paging through multiple requests if needed.
    #[arg(long = "max-items", value_name = "max-items", value_parser = common::non_negative)]
    max_items: Option<u64>,
}

impl Command for ListServerGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut q: Vec<(String, String)> = Vec::new();
        if self.all_projects {
            q.push(("all_projects".into(), "True".into()));
        }
        if let Some(o) = self.offset.filter(|o| *o > 0) {
            q.push(("offset".into(), o.to_string()));
        }
        if let Some(l) = self.limit.filter(|l| *l > 0) {
            q.push(("limit".into(), l.to_string()));
        }
        let data = common::list_limited(
            s,
            "/os-server-groups",
            "server_groups",
            &q,
            mv::SERVER_GROUP,
            true,
            self.max_items.map(|n| n as usize),
            osc_core::page::Fields::All,
        )?;
        let v264 = common::supports(s, "2.64")?;
        let mut cols = vec!["ID", "Name", if v264 { "Policy" } else { "Policies" }];
        if self.long {
            cols.extend(["Members", "Project Id", "User Id"]);
        }
        let mut t = Table::new(cols);
        for g in &data {
            let mut row = vec![
                Cell::raw(g["id"].clone()),
                Cell::raw(g["name"].clone()),
                if v264 {
                    Cell::raw(g["policy"].clone())
                } else {
                    crate::common::list_cell(g["policies"].clone())
                },
            ];
            if self.long {
                row.push(crate::common::list_cell(g["members"].clone()));
                row.push(Cell::raw(g["project_id"].clone()));
                row.push(Cell::raw(g["user_id"].clone()));
            }
            t.rows.push(row);
        }
        Ok(Output::List(t))
    }
}

/// Display server group details.
#[derive(clap::Args)]
pub struct ShowServerGroup {
    /// server group to display (name or ID)
    #[arg(value_name = "server-group")]
    server_group: String,
}

impl Command for ShowServerGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let g = find_group(s, &self.server_group)?;
        Ok(Output::Show(group_record(s, &g)?))
    }
}
