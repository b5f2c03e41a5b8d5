//! Lookups every service crate needs: Keystone projects, users and domains by name or ID
//! (names scoped by an optional domain), and osc_lib's common option parsers.

use crate::error::{Error, Result};
use crate::resource::{id_of, Resource};
use crate::session::Session;

pub const DOMAIN: Resource = Resource::new("identity", "/domains", "domain", "domains");
pub const PROJECT: Resource = Resource::new("identity", "/projects", "project", "projects");
pub const USER: Resource = Resource::new("identity", "/users", "user", "users");

/// A domain's ID from its name or ID.
pub fn domain_id(s: &Session, name_or_id: &str) -> Result<String> {
    DOMAIN.find_id(s, name_or_id)
}

fn scoped_id(s: &Session, r: &Resource, name_or_id: &str, domain: Option<&str>) -> Result<String> {
    let lookup = || -> Result<String> {
        let scope = match domain {
            Some(d) => vec![("domain_id".to_string(), domain_id(s, d)?)],
            None => Vec::new(),
        };
        let v = r.find_scoped(s, name_or_id, &scope)?;
        id_of(&v).ok_or_else(|| Error::cmd(format!("The {} '{name_or_id}' has no ID", r.display)))
    };
    match lookup() {
        // As OSC's find_project_id_sdk: who may not look it up passes the value on as an ID.
        Err(e) if matches!(e.status(), Some(401) | Some(403)) => Ok(name_or_id.to_string()),
        r => r,
    }
}

/// A project's ID (`--project` with `--project-domain`).
pub fn project_id(s: &Session, name_or_id: &str, domain: Option<&str>) -> Result<String> {
    scoped_id(s, &PROJECT, name_or_id, domain)
}

/// A user's ID (`--user` with `--user-domain`).
pub fn user_id(s: &Session, name_or_id: &str, domain: Option<&str>) -> Result<String> {
    scoped_id(s, &USER, name_or_id, domain)
}

/// The project the session is scoped to.
pub fn current_project(s: &Session) -> Result<String> {
    s.auth()?.project_id.clone().ok_or_else(|| {
        Error::cmd(
            "This command needs a project-scoped token; set --os-project-name or --os-project-id",
        )
    })
}

/// osc_lib's `KeyValueAction` as a clap value parser: `key=value` (the value may be empty).
pub fn parse_kv(s: &str) -> std::result::Result<(String, String), String> {
    match s.split_once('=') {
        Some(("", _)) => Err(format!("Property key must be specified: {s}")),
        Some((k, v)) => Ok((k.to_string(), v.to_string())),
        None => Err(format!("Expected 'key=value' type, but got: {s}")),
    }
}

/// osc_lib's `NonNegativeAction` as a clap value parser.
pub fn non_negative(s: &str) -> std::result::Result<u64, String> {
    s.parse::<i64>()
        .map_err(|_| format!("invalid int value: '{s}'"))
        .and_then(|n| {
            u64::try_from(n).map_err(|_| format!("\"{s}\" must be a non-negative integer"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_values() {
        assert_eq!(parse_kv("a=b=c"), Ok(("a".into(), "b=c".into())));
        assert_eq!(parse_kv("a="), Ok(("a".into(), "".into())));
        assert!(parse_kv("=b")
            .unwrap_err()
            .contains("key must be specified"));
        assert!(parse_kv("ab").unwrap_err().contains("key=value"));
    }

    #[test]
    fn non_negative_numbers() {
        assert_eq!(non_negative("3"), Ok(3));
        assert!(non_negative("-1").unwrap_err().contains("non-negative"));
        assert!(non_negative("x").unwrap_err().contains("invalid int"));
    }
}
