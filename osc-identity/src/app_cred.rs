//! `application credential create|delete|list|show`, `access rule delete|list|show`.
//! Both live under the authenticated (or given) user: `/users/{id}/...`.

use crate::common::*;
use osc_core::resource::{col, list_all, table, Col};
use osc_core::{Cell, Context, Error, Output, Record, Result, Session};
use serde_json::{json, Value};

const SHOW: &[(&str, &str)] = &[
    ("ID", "id"),
    ("Name", "name"),
    ("Description", "description"),
    ("Project ID", "project_id"),
    ("Roles", "roles"),
    ("Unrestricted", "unrestricted"),
    ("Access Rules", "access_rules"),
    ("Expires At", "expires_at"),
];

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Description", "description"),
    col("Project ID", "project_id"),
    col("Roles", "roles"),
    col("Unrestricted", "unrestricted"),
    col("Access Rules", "access_rules"),
    col("Expires At", "expires_at"),
];

/// OSC's `RolesColumn`: role names joined in tables, the role objects in machine formats.
fn roles_cell(roles: &Value) -> Cell {
    let mut names: Vec<&str> = roles
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["name"].as_str())
        .collect();
    names.sort();
    Cell::custom(roles.clone(), names.join(", "))
}

/// A record of an application credential, with the roles column styled as OSC's.
fn app_cred_record(ac: &Value) -> Record {
    let mut r = fields(ac, SHOW);
    for (k, c) in r.fields.iter_mut() {
        if k == "Roles" {
            *c = roles_cell(&ac["roles"]);
        }
    }
    r
}

fn my_id(s: &Session) -> Result<String> {
    auth_user_id(s).map_err(|_| Error::cmd("failed to retrieve auth info for current session"))
}

fn find_app_cred(s: &Session, uid: &str, name_or_id: &str) -> Result<Value> {
    let base = format!("/users/{uid}/application_credentials");
    match s.get(
        SVC,
        &format!("{base}/{}", osc_core::resource::encode_segment(name_or_id)),
    ) {
        Ok(v) => return Ok(v["application_credential"].clone()),
        Err(e) if e.is_not_found() || e.status() == Some(400) => {}
        Err(e) => return Err(e),
    }
    let found = list_all(
        s,
        SVC,
        &base,
        "application_credentials",
        &[q("name", name_or_id)],
    )?;
    let mut m = found
        .into_iter()
        .filter(|a| a["name"].as_str() == Some(name_or_id));
    match (m.next(), m.next()) {
        (Some(a), None) => Ok(a),
        (None, _) => Err(Error::NotFound(format!("No application credential with a name or ID of '{name_or_id}' exists."))),
        _ => Err(Error::Ambiguous(format!(
            "More than one application credential exists with the name '{name_or_id}'; use its ID instead"
        ))),
    }
}

/// Checks `YYYY-mm-ddTHH:MM:SS` as OSC's strptime does.
pub fn check_expiration(e: &str) -> Result<String> {
    let b = e.as_bytes();
    let shape = b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return Err(Error::usage(format!(
            "time data '{e}' does not match format '%Y-%m-%dT%H:%M:%S'"
        )));
    }
    Ok(format!("{e}.000000"))
}

fn uuid_like(v: &str) -> bool {
    let h: String = v
        .replace("urn:", "")
        .replace("uuid:", "")
        .trim_matches(['{', '}'])
        .replace('-', "");
    h.len() == 32 && h.chars().all(|c| c.is_ascii_hexdigit())
}

/// Create new application credential
#[derive(clap::Args)]
pub struct CreateApplicationCredential {
    /// Name of the application credential
    #[arg(value_name = "name")]
    name: String,
    /// Secret to use for authentication (if not provided, one will be generated)
    #[arg(long, value_name = "<secret>")]
    secret: Option<String>,
    /// Roles to authorize (name or ID) (repeat option to set multiple values)
    #[arg(long = "role", value_name = "<role>")]
    roles: Vec<String>,
    /// Sets an expiration date for the application credential, format of YYYY-mm-ddTHH:MM:SS (if not provided, the application credential will not expire)
    #[arg(long, value_name = "<expiration>")]
    expiration: Option<String>,
    /// Application credential description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// Enable application credential to create and delete other application credentials and trusts (this is potentially dangerous behavior and is disabled by default)
    #[arg(long)]
    unrestricted: bool,
    /// Prohibit application credential from creating and deleting other application credentials and trusts (this is the default behavior)
    #[arg(long)]
    restricted: bool,
    /// Either a string or file path containing a JSON-formatted list of access rules, each containing a request method, path, and service, for example '[{"method": "GET", "path": "/v2.1/servers", "service": "compute"}]'
    #[arg(long = "access-rules", value_name = "<access-rules>")]
    access_rules: Option<String>,
}

impl osc_core::Command for CreateApplicationCredential {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let uid = my_id(s)?;
        let roles: Vec<Value> = self
            .roles
            .iter()
            .map(|r| {
                if uuid_like(r) {
                    json!({"id": r})
                } else {
                    json!({"name": r})
                }
            })
            .collect();
        let access_rules = match &self.access_rules {
            None => json!([]),
            Some(a) => match serde_json::from_str::<Value>(a) {
                Ok(v) => v,
                Err(_) => match std::fs::read_to_string(a) {
                    Ok(t) => serde_json::from_str(&t).map_err(|e| {
                        Error::cmd(format!("Error reading access rules from {a}: {e}"))
                    })?,
                    Err(_) => {
                        return Err(Error::cmd(
                            "Access rules is not valid JSON string or file does not exist.",
                        ))
                    }
                },
            },
        };
        let mut b = Body::new();
        b.set("name", self.name.clone()).set("roles", roles);
        if let Some(e) = &self.expiration {
            b.set("expires_at", check_expiration(e)?);
        }
        b.opt("description", self.description.clone())
            .opt("secret", self.secret.clone());
        b.set("unrestricted", self.unrestricted && !self.restricted)
            .set("access_rules", access_rules);
        let v = s.post(
            SVC,
            &format!("/users/{uid}/application_credentials"),
            json!({"application_credential": b.value()}),
        )?;
        let ac = &v["application_credential"];
        let mut r = app_cred_record(ac);
        r.push("Secret", Cell::raw(ac["secret"].clone()));
        Ok(Output::Show(r))
    }
}

/// Delete application credentials(s)
#[derive(clap::Args)]
pub struct DeleteApplicationCredential {
    /// Application credentials(s) to delete (name or ID)
    #[arg(value_name = "application-credential", required = true)]
    application_credential: Vec<String>,
}

impl osc_core::Command for DeleteApplicationCredential {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let uid = my_id(s)?;
        each(
            &self.application_credential,
            "application credential",
            "application credentials",
            |a| {
                let ac = find_app_cred(s, &uid, a)?;
                s.delete(
                    SVC,
                    &format!(
                        "/users/{uid}/application_credentials/{}",
                        ac["id"].as_str().unwrap_or(a)
                    ),
                )
            },
        )
    }
}

/// List application credentials
#[derive(clap::Args)]
pub struct ListApplicationCredential {
    /// User whose application credentials to list (name or ID)
    #[arg(long, value_name = "<user>")]
    user: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long = "user-domain", value_name = "<user-domain>")]
    user_domain: Option<String>,
}

impl osc_core::Command for ListApplicationCredential {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let uid = match &self.user {
            Some(u) => USERS.id_in(s, u, self.user_domain.as_deref())?,
            None => auth_user_id(s).map_err(|_| Error::cmd("invalid authentication info"))?,
        };
        let data = list_all(
            s,
            SVC,
            &format!("/users/{uid}/application_credentials"),
            "application_credentials",
            &[],
        )?;
        let mut t = table(&data, LIST);
        for (row, ac) in t.rows.iter_mut().zip(&data) {
            row[4] = roles_cell(&ac["roles"]);
        }
        Ok(Output::List(t))
    }
}

/// Display application credential details
#[derive(clap::Args)]
pub struct ShowApplicationCredential {
    /// Application credential to display (name or ID)
    #[arg(value_name = "application-credential")]
    application_credential: String,
}

impl osc_core::Command for ShowApplicationCredential {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let uid = my_id(s)?;
        let ac = find_app_cred(s, &uid, &self.application_credential)?;
        Ok(Output::Show(app_cred_record(&ac)))
    }
}

/// Delete access rule(s)
#[derive(clap::Args)]
pub struct DeleteAccessRule {
    /// Access rule ID(s) to delete
    #[arg(value_name = "access-rule", required = true)]
    access_rule: Vec<String>,
}

impl osc_core::Command for DeleteAccessRule {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let uid = auth_user_id(s).map_err(|_| Error::cmd("invalid authentication info"))?;
        each(&self.access_rule, "access rule", "access rules", |a| {
            let path = format!(
                "/users/{uid}/access_rules/{}",
                osc_core::resource::encode_segment(a)
            );
            s.get(SVC, &path)?;
            s.delete(SVC, &path)
        })
    }
}

/// List access rules
#[derive(clap::Args)]
pub struct ListAccessRule {
    /// User whose access rules to list (name or ID)
    #[arg(long, value_name = "<user>")]
    user: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long = "user-domain", value_name = "<user-domain>")]
    user_domain: Option<String>,
}

impl osc_core::Command for ListAccessRule {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let uid = match &self.user {
            Some(u) => USERS.id_in(s, u, self.user_domain.as_deref())?,
            None => auth_user_id(s).map_err(|_| Error::cmd("invalid authentication info"))?,
        };
        let data = list_all(
            s,
            SVC,
            &format!("/users/{uid}/access_rules"),
            "access_rules",
            &[],
        )?;
        Ok(Output::List(table(
            &data,
            &[
                col("ID", "id"),
                col("Service", "service"),
                col("Method", "method"),
                col("Path", "path"),
            ],
        )))
    }
}

/// Display access rule details
#[derive(clap::Args)]
pub struct ShowAccessRule {
    /// Access rule ID to display
    #[arg(value_name = "access-rule")]
    access_rule: String,
}

impl osc_core::Command for ShowAccessRule {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let uid = auth_user_id(s).map_err(|_| Error::cmd("invalid authentication info"))?;
        let v = s.get(
            SVC,
            &format!(
                "/users/{uid}/access_rules/{}",
                osc_core::resource::encode_segment(&self.access_rule)
            ),
        )?;
        let rule = &v["access_rule"];
        let r: Record = fields(
            rule,
            &[
                ("ID", "id"),
                ("Method", "method"),
                ("Path", "path"),
                ("Service", "service"),
            ],
        );
        Ok(Output::Show(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiration_and_uuid_checks() {
        assert_eq!(
            check_expiration("2099-01-02T03:04:05").unwrap(),
            "2099-01-02T03:04:05.000000"
        );
        assert!(check_expiration("2099-01-02 03:04:05").is_err());
        assert!(check_expiration("tomorrow").is_err());
        assert!(uuid_like("4fc83adb162443ffa999a3bfcca3f7d4"));
        assert!(uuid_like("4fc83adb-1624-43ff-a999-a3bfcca3f7d4"));
        assert!(!uuid_like("member"));
    }
}
