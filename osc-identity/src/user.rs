//! `user create|delete|list|set|show` and `user password set`.

use crate::common::*;
use osc_core::resource::{col, table, Col};
use osc_core::{Context, Error, Method, Output, Request, Result};
use serde_json::{json, Map, Value};

const SHOW: &[&str] = &[
    "default_project_id",
    "domain_id",
    "email",
    "enabled",
    "id",
    "name",
    "description",
    "password_expires_at",
    "options",
];

fn record(u: &Value) -> Output {
    Output::Show(same_fields(u, SHOW))
}

/// The user `options` flags shared by create and set.
#[derive(clap::Args)]
pub struct UserOptions {
    /// Opt into ignoring the number of times a user has authenticated and locking out the user as a result
    #[arg(long = "ignore-lockout-failure-attempts")]
    ignore_lockout: bool,
    /// Opt out of ignoring the number of times a user has authenticated and locking out the user as a result
    #[arg(long = "no-ignore-lockout-failure-attempts")]
    no_ignore_lockout: bool,
    /// Opt into allowing user to continue using passwords that may be expired
    #[arg(long = "ignore-password-expiry")]
    ignore_expiry: bool,
    /// Opt out of allowing user to continue using passwords that may be expired
    #[arg(long = "no-ignore-password-expiry")]
    no_ignore_expiry: bool,
    /// Control if a user should be forced to change their password immediately after they log into keystone for the first time. Opt into ignoring the user to change their password during first time login in keystone
    #[arg(long = "ignore-change-password-upon-first-use")]
    ignore_change: bool,
    /// Control if a user should be forced to change their password immediately after they log into keystone for the first time. Opt out of ignoring the user to change their password during first time login in keystone
    #[arg(long = "no-ignore-change-password-upon-first-use")]
    no_ignore_change: bool,
    /// Disables the ability for a user to change its password through self-service APIs
    #[arg(long = "enable-lock-password")]
    enable_lock: bool,
    /// Enables the ability for a user to change its password through self-service APIs
    #[arg(long = "disable-lock-password")]
    disable_lock: bool,
    /// Enables the MFA (Multi Factor Auth)
    #[arg(long = "enable-multi-factor-auth")]
    enable_mfa: bool,
    /// Disables the MFA (Multi Factor Auth)
    #[arg(long = "disable-multi-factor-auth")]
    disable_mfa: bool,
    /// Set multi-factor auth rules. For example, to set a rule requiring the "password" and "totp" auth methods to be provided, use: "--multi-factor-auth-rule password,totp". May be provided multiple times to set different rule combinations.
    #[arg(long = "multi-factor-auth-rule", value_name = "<rule>")]
    mfa_rules: Vec<String>,
}

impl UserOptions {
    fn options(&self) -> Option<Value> {
        let mut o = Map::new();
        // Later flags win, in OSC's order.
        let pairs = [
            (
                "ignore_lockout_failure_attempts",
                self.ignore_lockout,
                self.no_ignore_lockout,
            ),
            (
                "ignore_password_expiry",
                self.ignore_expiry,
                self.no_ignore_expiry,
            ),
            (
                "ignore_change_password_upon_first_use",
                self.ignore_change,
                self.no_ignore_change,
            ),
            ("lock_password", self.enable_lock, self.disable_lock),
            (
                "multi_factor_auth_enabled",
                self.enable_mfa,
                self.disable_mfa,
            ),
        ];
        for (k, yes, no) in pairs {
            if no {
                o.insert(k.into(), json!(false));
            } else if yes {
                o.insert(k.into(), json!(true));
            }
        }
        if !self.mfa_rules.is_empty() {
            let rules: Vec<Vec<&str>> = self
                .mfa_rules
                .iter()
                .map(|r| r.split(',').collect())
                .collect();
            o.insert("multi_factor_auth_rules".into(), json!(rules));
        }
        (!o.is_empty()).then_some(Value::Object(o))
    }
}

/// Create new user
#[derive(clap::Args)]
pub struct CreateUser {
    /// New user name
    #[arg(value_name = "name")]
    name: String,
    /// Default domain (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
    /// Default project (name or ID)
    #[arg(long, value_name = "<project>")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "<project-domain>")]
    project_domain: Option<String>,
    /// Set user password
    #[arg(long, value_name = "<password>")]
    password: Option<String>,
    /// Prompt interactively for password
    #[arg(long = "password-prompt")]
    password_prompt: bool,
    /// Set user email address
    #[arg(long, value_name = "<email-address>")]
    email: Option<String>,
    /// User description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    #[command(flatten)]
    opts: UserOptions,
    /// Enable user (default)
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable user
    #[arg(long)]
    disable: bool,
    /// Return existing user
    #[arg(long = "or-show")]
    or_show: bool,
}

impl osc_core::Command for CreateUser {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.set("enabled", !self.disable)
            .set("name", self.name.clone());
        let domain = match &self.domain {
            Some(d) => Some(DOMAIN.find_id(s, d)?),
            None => None,
        };
        b.opt("domain_id", domain.clone());
        if let Some(p) = &self.project {
            let pd = match &self.project_domain {
                Some(d) => Some(DOMAIN.find_id(s, d)?),
                None => None,
            };
            let proj = PROJECTS.find(s, p, pd.as_deref())?;
            b.set("default_project_id", proj["id"].clone());
        }
        b.nonempty("description", &self.description)
            .nonempty("email", &self.email);
        let password = match (&self.password, self.password_prompt) {
            (Some(p), _) => Some(p.clone()),
            (None, true) => Some(read_password("User Password:", true)?),
            _ => None,
        };
        match password.filter(|p| !p.is_empty()) {
            Some(p) => {
                b.set("password", p);
            }
            None => osc_core::log::warn("No password was supplied, authentication will fail when a user does not have a password."),
        }
        b.opt("options", self.opts.options());
        let u = match USER.create(s, b.value()) {
            Ok(u) => u,
            Err(e) if e.status() == Some(409) && self.or_show => {
                osc_core::log::info(&format!("Returning existing user {}", self.name));
                USERS.find(s, &self.name, domain.as_deref())?
            }
            Err(e) => return Err(e),
        };
        Ok(record(&u))
    }
}

/// Delete user(s)
#[derive(clap::Args)]
pub struct DeleteUser {
    /// User(s) to delete (name or ID)
    #[arg(value_name = "user", required = true)]
    users: Vec<String>,
    /// Domain owning <user> (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
}

impl osc_core::Command for DeleteUser {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let domain = match &self.domain {
            Some(d) => DOMAIN
                .find(s, d)
                .ok()
                .and_then(|d| d["id"].as_str().map(String::from)),
            None => None,
        };
        each(&self.users, "user", "users", |u| {
            let user = USERS.find(s, u, domain.as_deref())?;
            USER.delete(s, user["id"].as_str().unwrap_or(u))
        })
    }
}

/// List users
#[derive(clap::Args)]
pub struct ListUser {
    /// Filter users by <domain> (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
    /// Filter users by <group> membership (name or ID)
    #[arg(long, value_name = "<group>", conflicts_with = "project")]
    group: Option<String>,
    /// Filter users by <project> (name or ID)
    #[arg(long, value_name = "<project>")]
    project: Option<String>,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
    /// List only enabled users, does nothing with --project and --group
    #[arg(long, conflicts_with = "disabled")]
    enabled: bool,
    /// List only disabled users, does nothing with --project and --group
    #[arg(long)]
    disabled: bool,
    #[command(flatten)]
    page: crate::project::Pagination,
}

const LIST: &[Col] = &[col("ID", "id"), col("Name", "name")];
const LIST_LONG: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Project", "default_project_id"),
    col("Domain", "domain_id"),
    col("Description", "description"),
    col("Email", "email"),
    col("Enabled", "enabled"),
];

impl osc_core::Command for ListUser {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        if self.project.is_some() && (self.page.limit.is_some() || self.page.marker.is_some()) {
            return Err(Error::cmd(
                "--limit and --marker are not supported with --project",
            ));
        }
        let domain = match &self.domain {
            Some(d) => Some(DOMAIN.find_id(s, d)?),
            None => None,
        };
        let mut page = Vec::new();
        self.page.query(&mut page);
        let data = if let Some(p) = &self.project {
            let pid = PROJECTS.find(s, p, domain.as_deref())?["id"]
                .as_str()
                .unwrap_or(p)
                .to_string();
            let assignments = osc_core::resource::list_all(
                s,
                SVC,
                "/role_assignments",
                "role_assignments",
                &[q("scope.project.id", &pid)],
            )?;
            let mut ids: Vec<String> = assignments
                .iter()
                .filter_map(|a| a["user"]["id"].as_str().map(String::from))
                .collect();
            ids.sort();
            ids.dedup();
            ids.iter()
                .map(|id| USER.get(s, id))
                .collect::<Result<Vec<_>>>()?
        } else if let Some(g) = &self.group {
            let gid = GROUPS.find(s, g, domain.as_deref())?["id"]
                .as_str()
                .unwrap_or(g)
                .to_string();
            let mut query = page.clone();
            if let Some(d) = &domain {
                query.push(q("domain_id", d));
            }
            osc_core::resource::list_all(s, SVC, &format!("/groups/{gid}/users"), "users", &query)?
        } else {
            let mut query = page.clone();
            if let Some(d) = &domain {
                query.push(q("domain_id", d));
            }
            if let Some(e) = enabled(self.enabled, self.disabled) {
                query.push(q("enabled", e));
            }
            USER.list(s, &query)?
        };
        let data = self.page.truncate(data);
        Ok(Output::List(table(
            &data,
            if self.long { LIST_LONG } else { LIST },
        )))
    }
}

/// Set user properties
#[derive(clap::Args)]
pub struct SetUser {
    /// User to modify (name or ID)
    #[arg(value_name = "user")]
    user: String,
    /// Set user name
    #[arg(long, value_name = "<name>")]
    name: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
    /// Set default project (name or ID)
    #[arg(long, value_name = "<project>")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "<project-domain>")]
    project_domain: Option<String>,
    /// Set user password
    #[arg(long, value_name = "<password>")]
    password: Option<String>,
    /// Prompt interactively for password
    #[arg(long = "password-prompt")]
    password_prompt: bool,
    /// Set user email address
    #[arg(long, value_name = "<email-address>")]
    email: Option<String>,
    /// Set user description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    #[command(flatten)]
    opts: UserOptions,
    /// Enable user (default)
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable user
    #[arg(long)]
    disable: bool,
}

impl osc_core::Command for SetUser {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut password = self.password.clone();
        if self.password_prompt {
            password = Some(read_password("User Password:", true)?);
        }
        if password.as_deref() == Some("") {
            osc_core::log::warn("No password was supplied, authentication will fail when a user does not have a password.");
        }
        let domain = match &self.domain {
            Some(d) => Some(DOMAIN.find_id(s, d)?),
            None => None,
        };
        let user = USERS.find(s, &self.user, domain.as_deref())?;
        let mut b = Body::new();
        b.nonempty("name", &self.name)
            .nonempty("email", &self.email)
            .nonempty("password", &password);
        b.nonempty("description", &self.description);
        if let Some(p) = &self.project {
            let pd = match &self.project_domain {
                Some(d) => Some(DOMAIN.find_id(s, d)?),
                None => None,
            };
            b.set(
                "default_project_id",
                PROJECTS.find(s, p, pd.as_deref())?["id"].clone(),
            );
        }
        b.set(
            "enabled",
            enabled(self.enable, self.disable).unwrap_or(user["enabled"].as_bool().unwrap_or(true)),
        );
        b.opt("options", self.opts.options());
        USER.update(
            s,
            user["id"].as_str().unwrap_or(&self.user),
            Method::PATCH,
            b.value(),
        )?;
        Ok(Output::None)
    }
}

/// Change current user password
#[derive(clap::Args)]
pub struct SetPasswordUser {
    /// New user password
    #[arg(long, value_name = "<new-password>")]
    password: Option<String>,
    /// Original user password
    #[arg(long = "original-password", value_name = "<original-password>")]
    original_password: Option<String>,
}

impl osc_core::Command for SetPasswordUser {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let uid = auth_user_id(s).map_err(|_| Error::cmd("invalid authentication info"))?;
        let current = match self.original_password {
            Some(p) => p,
            None => read_password("Current Password:", false)?,
        };
        let password = match self.password {
            Some(p) => p,
            None => read_password("New Password:", true)?,
        };
        if password.is_empty() {
            osc_core::log::warn("No password was supplied, authentication will fail when a user does not have a password.");
        }
        let body = json!({"user": {"password": password, "original_password": current}});
        s.json(Request::new(Method::POST, SVC, format!("/users/{uid}/password")).json(body))?;
        Ok(Output::None)
    }
}

/// Display user details
#[derive(clap::Args)]
pub struct ShowUser {
    /// User to display (name or ID)
    #[arg(value_name = "user")]
    user: String,
    /// Domain owning <user> (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
}

impl osc_core::Command for ShowUser {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let domain = match &self.domain {
            Some(d) => DOMAIN
                .find(s, d)
                .ok()
                .and_then(|d| d["id"].as_str().map(String::from)),
            None => None,
        };
        // A non-admin may show themselves by name: the token knows their ID.
        let name = {
            let a = s.auth()?;
            if a.user_name.as_deref() == Some(self.user.as_str()) {
                a.user_id.clone().unwrap_or(self.user.clone())
            } else {
                self.user.clone()
            }
        };
        Ok(record(&USERS.find(s, &name, domain.as_deref())?))
    }
}
