//! `group create|delete|list|set|show`, `group add|remove|contains user`.

use crate::common::*;
use osc_core::resource::{col, table, Col};
use osc_core::{Context, Error, Method, Output, Request, Result};
use serde_json::Value;

const SHOW: &[&str] = &["description", "domain_id", "id", "name"];

fn record(g: &Value) -> Output {
    Output::Show(same_fields(g, SHOW))
}

/// Group and users of a membership command.
#[derive(clap::Args)]
pub struct Membership {
    /// Group to contain <user> (name or ID)
    #[arg(value_name = "group")]
    group: String,
    /// User(s) to add to <group> (name or ID) (repeat option to add multiple users)
    #[arg(value_name = "user", required = true)]
    user: Vec<String>,
    /// Domain the group belongs to (name or ID). This can be used in case collisions between group names exist.
    #[arg(long = "group-domain", value_name = "<group-domain>")]
    group_domain: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long = "user-domain", value_name = "<user-domain>")]
    user_domain: Option<String>,
}

impl Membership {
    fn apply(&self, ctx: &Context, method: Method, verb: &str) -> Result<Output> {
        let s = ctx.session()?;
        let gid = GROUPS.id_in(s, &self.group, self.group_domain.as_deref())?;
        let mut failed = 0;
        for u in &self.user {
            let r = USERS
                .id_in(s, u, self.user_domain.as_deref())
                .and_then(|uid| {
                    s.send(Request::new(
                        method.clone(),
                        SVC,
                        format!("/groups/{gid}/users/{uid}"),
                    ))
                    .map(|_| ())
                });
            if let Err(e) = r {
                failed += 1;
                osc_core::log::warn(&format!("{u} not {verb} group {}: {e}", self.group));
            }
        }
        if failed > 0 {
            return Err(Error::cmd(format!(
                "{failed} of {} users not {verb} group {}.",
                self.user.len(),
                self.group
            )));
        }
        Ok(Output::None)
    }
}

/// Add user to group
#[derive(clap::Args)]
pub struct AddUserToGroup {
    #[command(flatten)]
    m: Membership,
}

impl osc_core::Command for AddUserToGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        self.m.apply(ctx, Method::PUT, "added to")
    }
}

/// Remove user from group
#[derive(clap::Args)]
pub struct RemoveUserFromGroup {
    #[command(flatten)]
    m: Membership,
}

impl osc_core::Command for RemoveUserFromGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        self.m.apply(ctx, Method::DELETE, "removed from")
    }
}

/// Check user membership in group
#[derive(clap::Args)]
pub struct CheckUserInGroup {
    /// Group to check (name or ID)
    #[arg(value_name = "group")]
    group: String,
    /// User to check (name or ID)
    #[arg(value_name = "user")]
    user: String,
    /// Domain the group belongs to (name or ID). This can be used in case collisions between group names exist.
    #[arg(long = "group-domain", value_name = "<group-domain>")]
    group_domain: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long = "user-domain", value_name = "<user-domain>")]
    user_domain: Option<String>,
}

impl osc_core::Command for CheckUserInGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let uid = USERS
            .lenient()
            .id_in(s, &self.user, self.user_domain.as_deref())?;
        let gid = GROUPS
            .lenient()
            .id_in(s, &self.group, self.group_domain.as_deref())?;
        let found = match s.send(Request::new(
            Method::HEAD,
            SVC,
            format!("/groups/{gid}/users/{uid}"),
        )) {
            Ok(_) => true,
            Err(e) if e.is_not_found() || e.status() == Some(403) => false,
            Err(e) => return Err(e),
        };
        if found {
            Ok(Output::Text(format!(
                "{} in group {}\n",
                self.user, self.group
            )))
        } else {
            // OSC writes the negative answer to stderr and still exits 0.
            eprintln!("{} not in group {}", self.user, self.group);
            Ok(Output::None)
        }
    }
}

/// Create new group
#[derive(clap::Args)]
pub struct CreateGroup {
    /// New group name
    #[arg(value_name = "group-name")]
    name: String,
    /// Domain to contain new group (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
    /// New group description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// Return existing group
    #[arg(long = "or-show")]
    or_show: bool,
}

impl osc_core::Command for CreateGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.set("name", self.name.clone())
            .nonempty("description", &self.description);
        let domain = opt_domain_id(s, self.domain.as_deref())?;
        b.opt("domain_id", domain.clone());
        let g = match GROUP.create(s, b.value()) {
            Ok(g) => g,
            Err(e) if e.status() == Some(409) && self.or_show => {
                osc_core::log::info(&format!("Returning existing group {}", self.name));
                GROUPS.find(s, &self.name, domain.as_deref())?
            }
            Err(e) => return Err(e),
        };
        Ok(record(&g))
    }
}

/// Delete group(s)
#[derive(clap::Args)]
pub struct DeleteGroup {
    /// Group(s) to delete (name or ID)
    #[arg(value_name = "group", required = true)]
    groups: Vec<String>,
    /// Domain containing group(s) (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
}

impl osc_core::Command for DeleteGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(&self.groups, "group", "groups", |g| {
            let id = GROUPS.id_in(s, g, self.domain.as_deref())?;
            GROUP.delete(s, &id)
        })
    }
}

/// List groups
#[derive(clap::Args)]
pub struct ListGroup {
    /// Filter group list by <domain> (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
    /// Filter group list by <user> (name or ID)
    #[arg(long, value_name = "<user>")]
    user: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long = "user-domain", value_name = "<user-domain>")]
    user_domain: Option<String>,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
}

const LIST: &[Col] = &[col("ID", "id"), col("Name", "name")];
const LIST_LONG: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Domain ID", "domain_id"),
    col("Description", "description"),
];

impl osc_core::Command for ListGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let domain = opt_domain_id(s, self.domain.as_deref())?;
        let data = match &self.user {
            None => GROUP.list(
                s,
                &domain.iter().map(|d| q("domain_id", d)).collect::<Vec<_>>(),
            )?,
            Some(u) => {
                let uid = USERS.id_in(s, u, self.user_domain.as_deref())?;
                osc_core::resource::list_all(
                    s,
                    SVC,
                    &format!("/users/{uid}/groups"),
                    "groups",
                    &[],
                )?
            }
        };
        Ok(Output::List(table(
            &data,
            if self.long { LIST_LONG } else { LIST },
        )))
    }
}

/// Set group properties
#[derive(clap::Args)]
pub struct SetGroup {
    /// Group to modify (name or ID)
    #[arg(value_name = "group")]
    group: String,
    /// Domain containing <group> (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
    /// New group name
    #[arg(long, value_name = "<name>")]
    name: Option<String>,
    /// New group description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
}

impl osc_core::Command for SetGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = GROUPS.id_in(s, &self.group, self.domain.as_deref())?;
        let mut b = Body::new();
        b.nonempty("name", &self.name)
            .nonempty("description", &self.description);
        GROUP.update(s, &id, Method::PATCH, b.value())?;
        Ok(Output::None)
    }
}

/// Display group details
#[derive(clap::Args)]
pub struct ShowGroup {
    /// Group to display (name or ID)
    #[arg(value_name = "group")]
    group: String,
    /// Domain containing <group> (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
}

impl osc_core::Command for ShowGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let domain = opt_domain_id(s, self.domain.as_deref())?;
        Ok(record(&GROUPS.find(s, &self.group, domain.as_deref())?))
    }
}
