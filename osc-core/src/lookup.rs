//! Lookups every service crate needs — Keystone objects by name or ID with the rules and
//! wording of the Python path a command follows — live in `osc_api::lookup`, shared with
//! plugins; this module re-exports them and adds what needs osc's session (the scoped
//! project) and osc_lib's common option parsers.

use crate::error::{Error, Result};
use crate::session::Session;

pub use osc_api::lookup::{project_id, user_id, Lookup, Passthrough, DOMAIN, GROUP, PROJECT, USER};
pub use osc_api::resource::sdk_class;
/// Whose words a lookup uses (osc_lib's or openstacksdk's).
pub use osc_api::resource::Wording as Style;

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
