//! `role create|delete|list|set|show|add|remove`, `role assignment list`,
//! `implied role create|delete|list`.

use crate::common::*;
use osc_core::lookup::Lookup;
use osc_core::resource::{col, list_all, table};
use osc_core::{Cell, Context, Error, Method, Output, Record, Request, Result, Session, Table};
use serde_json::Value;

const SHOW: &[&str] = &["id", "name", "domain_id", "description"];

/// Who gets the role and where: OSC's `_add_identity_and_resource_options_to_parser`.
#[derive(clap::Args)]
pub struct Grant {
    /// Role to add to <user> (name or ID)
    #[arg(value_name = "role")]
    role: String,
    /// Include <system> (all)
    #[arg(long, value_name = "<system>", conflicts_with_all = ["domain", "project"])]
    system: Option<String>,
    /// Include <domain> (name or ID)
    #[arg(long, value_name = "<domain>", conflicts_with = "project")]
    domain: Option<String>,
    /// Include <project> (name or ID)
    #[arg(long, value_name = "<project>")]
    project: Option<String>,
    /// Include <user> (name or ID)
    #[arg(long, value_name = "<user>", conflicts_with = "group")]
    user: Option<String>,
    /// Include <group> (name or ID)
    #[arg(long, value_name = "<group>")]
    group: Option<String>,
    /// Domain the group belongs to (name or ID). This can be used in case collisions between group names exist.
    #[arg(long = "group-domain", value_name = "<group-domain>")]
    group_domain: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "<project-domain>")]
    project_domain: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long = "user-domain", value_name = "<user-domain>")]
    user_domain: Option<String>,
    /// Specifies if the role grant is inheritable to the sub projects
    #[arg(long)]
    inherited: bool,
    /// Domain the role belongs to (name or ID). This must be specified when the name of a domain specific role is used.
    #[arg(long = "role-domain", value_name = "<role-domain>")]
    role_domain: Option<String>,
}

impl Grant {
    /// The grant's URL, resolving names; `strict` is false when removing (actors may be gone).
    fn path(&self, s: &Session, strict: bool, verb: &str) -> Result<String> {
        if self.user.is_none()
            && self.domain.is_none()
            && self.group.is_none()
            && self.project.is_none()
        {
            return Err(Error::cmd(format!(
                "Role not {verb}, incorrect set of arguments provided. See openstack --help for more details"
            )));
        }
        let find = |l: Lookup, n: &str, d: &Option<String>| -> Result<String> {
            let l = if strict { l } else { l.lenient() };
            l.id_in(s, n, d.as_deref())
        };
        let role = ROLES.id_in(s, &self.role, self.role_domain.as_deref())?;
        let actor =
            match (&self.user, &self.group) {
                (Some(u), _) => format!("users/{}", find(USERS, u, &self.user_domain)?),
                (None, Some(g)) => format!("groups/{}", find(GROUPS, g, &self.group_domain)?),
                _ => return Err(Error::cmd(
                    "Incorrect set of arguments provided. See openstack --help for more details",
                )),
            };
        let target = if self.system.is_some() {
            if self.inherited {
                osc_core::log::warn("'--inherited' was given, which is not supported when adding or removing a system role assignment. Ignoring.");
            }
            return Ok(format!("/system/{actor}/roles/{role}"));
        } else if let Some(d) = &self.domain {
            format!("domains/{}", find(DOMAINS, d, &None)?)
        } else if let Some(p) = &self.project {
            format!("projects/{}", find(PROJECTS, p, &self.project_domain)?)
        } else {
            return Err(Error::cmd(
                "Incorrect set of arguments provided. See openstack --help for more details",
            ));
        };
        Ok(if self.inherited {
            format!("/OS-INHERIT/{target}/{actor}/roles/{role}/inherited_to_projects")
        } else {
            format!("/{target}/{actor}/roles/{role}")
        })
    }
}

/// Adds a role assignment to a user or group on the system, a domain, or a project
#[derive(clap::Args)]
pub struct AddRole {
    #[command(flatten)]
    g: Grant,
}

impl osc_core::Command for AddRole {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let path = self.g.path(s, true, "added")?;
        s.send(Request::new(Method::PUT, SVC, path))?;
        Ok(Output::None)
    }
}

/// Removes a role assignment from system/domain/project : user/group
#[derive(clap::Args)]
pub struct RemoveRole {
    #[command(flatten)]
    g: Grant,
}

impl osc_core::Command for RemoveRole {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let path = self.g.path(s, false, "removed")?;
        s.send(Request::new(Method::DELETE, SVC, path))?;
        Ok(Output::None)
    }
}

/// Create new role
#[derive(clap::Args)]
pub struct CreateRole {
    /// New role name
    #[arg(value_name = "role-name")]
    name: String,
    /// Add description about the role
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// Domain the role belongs to (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
    /// Return existing role
    #[arg(long = "or-show")]
    or_show: bool,
    /// Make resource immutable. An immutable project may not be deleted or modified except to remove the immutable flag
    #[arg(long, conflicts_with = "no_immutable")]
    immutable: bool,
    /// Make resource mutable (default)
    #[arg(long = "no-immutable")]
    no_immutable: bool,
}

impl osc_core::Command for CreateRole {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let domain = opt_domain_id(s, self.domain.as_deref())?;
        let mut b = Body::new();
        b.opt("domain_id", domain.clone())
            .set("name", self.name.clone())
            .nonempty("description", &self.description);
        b.opt(
            "options",
            immutable_options(self.immutable, self.no_immutable),
        );
        let r = match ROLE.create(s, b.value()) {
            Ok(r) => r,
            Err(e) if e.status() == Some(409) && self.or_show => {
                osc_core::log::info(&format!("Returning existing role {}", self.name));
                ROLES.find(s, &self.name, domain.as_deref())?
            }
            Err(e) => return Err(e),
        };
        Ok(Output::Show(same_fields(&r, SHOW)))
    }
}

/// Delete role(s)
#[derive(clap::Args)]
pub struct DeleteRole {
    /// Role(s) to delete (name or ID)
    #[arg(value_name = "role", required = true)]
    roles: Vec<String>,
    /// Domain the role belongs to (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
}

impl osc_core::Command for DeleteRole {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let domain = opt_domain_id(s, self.domain.as_deref())?;
        each(&self.roles, "role", "roles", |r| {
            let id = ROLES.id(s, r, domain.as_deref())?;
            ROLE.delete(s, &id)
        })
    }
}

/// List roles
#[derive(clap::Args)]
pub struct ListRole {
    /// Include <domain> (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
}

impl osc_core::Command for ListRole {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        match &self.domain {
            Some(d) => {
                let dom = DOMAIN.find(s, d)?;
                let roles = ROLE.list(s, &[q("domain_id", dom["id"].as_str().unwrap_or(d))])?;
                let mut t = Table::new(["ID", "Name", "Domain"]);
                for r in roles {
                    t.rows.push(vec![
                        Cell::raw(r["id"].clone()),
                        Cell::raw(r["name"].clone()),
                        Cell::raw(dom["name"].clone()),
                    ]);
                }
                Ok(Output::List(t))
            }
            None => Ok(Output::List(table(
                &ROLE.list(s, &[])?,
                &[col("ID", "id"), col("Name", "name")],
            ))),
        }
    }
}

/// Set role properties
#[derive(clap::Args)]
pub struct SetRole {
    /// Role to modify (name or ID)
    #[arg(value_name = "role")]
    role: String,
    /// Add description about the role
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// Domain the role belongs to (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
    /// Set role name
    #[arg(long, value_name = "<name>")]
    name: Option<String>,
    /// Make resource immutable. An immutable project may not be deleted or modified except to remove the immutable flag
    #[arg(long, conflicts_with = "no_immutable")]
    immutable: bool,
    /// Make resource mutable (default)
    #[arg(long = "no-immutable")]
    no_immutable: bool,
}

impl osc_core::Command for SetRole {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let domain = opt_domain_id(s, self.domain.as_deref())?;
        let mut b = Body::new();
        b.nonempty("description", &self.description)
            .nonempty("name", &self.name);
        b.opt("domain_id", domain.clone());
        b.opt(
            "options",
            immutable_options(self.immutable, self.no_immutable),
        );
        let id = ROLES.id(s, &self.role, domain.as_deref())?;
        ROLE.update(s, &id, Method::PATCH, b.value())?;
        Ok(Output::None)
    }
}

/// Display role details
#[derive(clap::Args)]
pub struct ShowRole {
    /// Role to display (name or ID)
    #[arg(value_name = "role")]
    role: String,
    /// Domain the role belongs to (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
}

impl osc_core::Command for ShowRole {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let domain = opt_domain_id(s, self.domain.as_deref())?;
        Ok(Output::Show(same_fields(
            &ROLES.find(s, &self.role, domain.as_deref())?,
            SHOW,
        )))
    }
}

/// List role assignments
#[derive(clap::Args)]
pub struct ListRoleAssignment {
    /// Returns only effective role assignments
    #[arg(long)]
    effective: bool,
    /// Role to filter (name or ID)
    #[arg(long, value_name = "<role>")]
    role: Option<String>,
    /// Domain the role belongs to (name or ID). This must be specified when the name of a domain specific role is used.
    #[arg(long = "role-domain", value_name = "<role-domain>")]
    role_domain: Option<String>,
    /// Display names instead of IDs
    #[arg(long)]
    names: bool,
    /// User to filter (name or ID)
    #[arg(long, value_name = "<user>", conflicts_with = "group")]
    user: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long = "user-domain", value_name = "<user-domain>")]
    user_domain: Option<String>,
    /// Group to filter (name or ID)
    #[arg(long, value_name = "<group>")]
    group: Option<String>,
    /// Domain the group belongs to (name or ID). This can be used in case collisions between group names exist.
    #[arg(long = "group-domain", value_name = "<group-domain>")]
    group_domain: Option<String>,
    /// Domain to filter (name or ID)
    #[arg(long, value_name = "<domain>", conflicts_with_all = ["project", "system"])]
    domain: Option<String>,
    /// Project to filter (name or ID)
    #[arg(long, value_name = "<project>", conflicts_with = "system")]
    project: Option<String>,
    /// Filter based on system role assignments
    #[arg(long, value_name = "<system>")]
    system: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "<project-domain>")]
    project_domain: Option<String>,
    /// Specifies if the role grant is inheritable to the sub projects
    #[arg(long)]
    inherited: bool,
    /// Only list assignments for the authenticated user
    #[arg(long = "auth-user")]
    auth_user: bool,
    /// Only list assignments for the project to which the authenticated user's token is scoped
    #[arg(long = "auth-project")]
    auth_project: bool,
}

fn assignment_part(v: &Value, names: bool) -> String {
    if v.is_null() {
        return String::new();
    }
    if names {
        let mut n = v["name"].as_str().unwrap_or("").to_string();
        if let Some(d) = v["domain"]["name"].as_str() {
            n = format!("{n}@{d}");
        }
        n
    } else {
        v["id"].as_str().unwrap_or("").to_string()
    }
}

impl osc_core::Command for ListRoleAssignment {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut query = Vec::new();
        if let Some(r) = &self.role {
            query.push(q(
                "role.id",
                ROLES.id_in(s, r, self.role_domain.as_deref())?,
            ));
        }
        if let Some(u) = &self.user {
            query.push(q(
                "user.id",
                USERS.id_in(s, u, self.user_domain.as_deref())?,
            ));
        } else if self.auth_user {
            query.push(q("user.id", auth_user_id(s)?));
        }
        if let Some(sys) = &self.system {
            query.push(q("scope.system", sys));
        }
        if let Some(d) = &self.domain {
            query.push(q("scope.domain.id", DOMAINS.id(s, d, None)?));
        }
        if let Some(p) = &self.project {
            // A non-admin may name their own project: the token knows its ID.
            let token_project = {
                let a = s.auth()?;
                (a.project_name.as_deref() == Some(p.as_str()))
                    .then(|| a.project_id.clone())
                    .flatten()
            };
            let name = token_project.unwrap_or(p.clone());
            query.push(q(
                "scope.project.id",
                PROJECTS.id_in(s, &name, self.project_domain.as_deref())?,
            ));
        } else if self.auth_project {
            let pid = s
                .auth()?
                .project_id
                .clone()
                .ok_or_else(|| Error::cmd("missing auth info"))?;
            query.push(q("scope.project.id", pid));
        }
        if let Some(g) = &self.group {
            query.push(q(
                "group.id",
                GROUPS.id_in(s, g, self.group_domain.as_deref())?,
            ));
        }
        if self.effective {
            query.push(q("effective", "True"));
        }
        if self.names {
            query.push(q("include_names", "True"));
        }
        if self.inherited {
            query.push(q("scope.OS-INHERIT:inherited_to", "projects"));
        }
        let data = list_all(s, SVC, "/role_assignments", "role_assignments", &query)?;
        let mut t = Table::new([
            "Role",
            "User",
            "Group",
            "Project",
            "Domain",
            "System",
            "Inherited",
        ]);
        for a in data {
            let scope = &a["scope"];
            t.rows.push(vec![
                Cell::raw(assignment_part(&a["role"], self.names)),
                Cell::raw(assignment_part(&a["user"], self.names)),
                Cell::raw(assignment_part(&a["group"], self.names)),
                Cell::raw(assignment_part(&scope["project"], self.names)),
                Cell::raw(assignment_part(&scope["domain"], self.names)),
                Cell::raw(if scope["system"].is_null() { "" } else { "all" }),
                Cell::raw(scope["OS-INHERIT:inherited_to"].as_str() == Some("projects")),
            ]);
        }
        Ok(Output::List(t))
    }
}

/// The prior and implied role IDs, matched by name or ID in the role list as OSC does.
fn implied_ids(s: &Session, role: &str, implied: &str) -> Result<(String, String)> {
    let roles = ROLE.list(s, &[])?;
    let (mut prior, mut imp) = (None, None);
    for r in &roles {
        let matches = |x: &str| r["name"].as_str() == Some(x) || r["id"].as_str() == Some(x);
        if matches(role) {
            prior = r["id"].as_str().map(String::from);
        } else if matches(implied) {
            imp = r["id"].as_str().map(String::from);
        }
    }
    let prior = prior
        .ok_or_else(|| Error::NotFound(format!("No role with a name or ID of '{role}' exists.")))?;
    let imp = imp.ok_or_else(|| {
        Error::NotFound(format!("No role with a name or ID of '{implied}' exists."))
    })?;
    Ok((prior, imp))
}

/// Creates an association between prior and implied roles
#[derive(clap::Args)]
pub struct CreateImpliedRole {
    /// Role (name or ID) that implies another role
    #[arg(value_name = "role")]
    role: String,
    /// <role> (name or ID) implied by another role
    #[arg(long = "implied-role", value_name = "<role>", required = true)]
    implied_role: String,
}

impl osc_core::Command for CreateImpliedRole {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let (p, i) = implied_ids(s, &self.role, &self.implied_role)?;
        let v = s.json(Request::new(
            Method::PUT,
            SVC,
            format!("/roles/{p}/implies/{i}"),
        ))?;
        let rule = v.get("role_inference").cloned().unwrap_or(v);
        // OSC shows each remaining key with its role's ID, sorted.
        let mut r = Record::new();
        let mut keys: Vec<(String, Value)> = rule
            .as_object()
            .map(|m| {
                m.iter()
                    .filter(|(k, _)| *k != "links")
                    .map(|(k, v)| (k.clone(), v["id"].clone()))
                    .collect()
            })
            .unwrap_or_default();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        for (k, v) in keys {
            r.push(k, Cell::raw(v));
        }
        Ok(Output::Show(r))
    }
}

/// Deletes an association between prior and implied roles
#[derive(clap::Args)]
pub struct DeleteImpliedRole {
    /// Role (name or ID) that implies another role
    #[arg(value_name = "role")]
    role: String,
    /// <role> (name or ID) implied by another role
    #[arg(long = "implied-role", value_name = "<role>", required = true)]
    implied_role: String,
}

impl osc_core::Command for DeleteImpliedRole {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let (p, i) = implied_ids(s, &self.role, &self.implied_role)?;
        s.delete(SVC, &format!("/roles/{p}/implies/{i}"))?;
        Ok(Output::None)
    }
}

/// List implied roles
#[derive(clap::Args)]
pub struct ListImpliedRole {}

impl osc_core::Command for ListImpliedRole {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let v = s.get(SVC, "/role_inferences")?;
        let mut t = Table::new([
            "Prior Role ID",
            "Prior Role Name",
            "Implied Role ID",
            "Implied Role Name",
        ]);
        for rule in v["role_inferences"].as_array().into_iter().flatten() {
            for imp in rule["implies"].as_array().into_iter().flatten() {
                t.rows.push(vec![
                    Cell::raw(rule["prior_role"]["id"].clone()),
                    Cell::raw(rule["prior_role"]["name"].clone()),
                    Cell::raw(imp["id"].clone()),
                    Cell::raw(imp["name"].clone()),
                ]);
            }
        }
        Ok(Output::List(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn assignment_names_and_ids() {
        let v =
            json!({"id": "u1", "name": "alice", "domain": {"id": "default", "name": "Default"}});
        assert_eq!(assignment_part(&v, true), "alice@Default");
        assert_eq!(assignment_part(&v, false), "u1");
        assert_eq!(assignment_part(&Value::Null, true), "");
        assert_eq!(
            assignment_part(&json!({"id": "r", "name": "admin"}), true),
            "admin"
        );
    }
}
