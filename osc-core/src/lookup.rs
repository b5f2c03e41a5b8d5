//! Lookups every service crate needs: Keystone objects (projects, users, groups, roles,
//! domains) by name or ID, names scoped by an optional domain, with the rules and wording of
//! whichever Python code path the command follows; and osc_lib's common option parsers.
//!
//! One [`Lookup`] describes the rules: the resource, the message [`Style`] (osc_lib's
//! `find_resource` or openstacksdk's `find_*`), which refusals pass the given value on as the
//! ID ([`Passthrough`]), whether a missing object does too (`lenient`), and whether an
//! ambiguous name suggests a domain option.

use crate::error::{Error, Result};
use crate::resource::{id_of, Resource};
use crate::session::Session;
use serde_json::Value;

pub const DOMAIN: Resource = Resource::new("identity", "/domains", "domain", "domains");
pub const PROJECT: Resource = Resource::new("identity", "/projects", "project", "projects");
pub const USER: Resource = Resource::new("identity", "/users", "user", "users");

/// Whose words a lookup that found nothing uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// osc_lib's `find_resource`, as python-openstackclient's identity commands and the
    /// compute/volume `--project`/`--user` filters: "No project with a name or ID of 'x' exists."
    OscLib,
    /// openstacksdk's `find_*(ignore_missing=False)`, as quota, limits and project cleanup:
    /// "No Project found for x".
    Sdk,
}

/// Which refusals by Keystone pass the given value on as the ID: OSC lets users who may not
/// look objects up still name them by ID (`_find_sdk_id`, `_find_identity_resource`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Passthrough {
    /// Every error is reported.
    Never,
    /// 403 Forbidden, as OSC's identity helpers.
    Forbidden,
    /// 401 or 403.
    Denied,
}

/// How to look one kind of Keystone object up by name or ID.
#[derive(Clone, Copy, Debug)]
pub struct Lookup {
    pub resource: Resource,
    pub style: Style,
    pub passthrough: Passthrough,
    /// A missing object passes the given value on too (OSC's
    /// `validate_actor_existence=False`, when removing grants of deleted actors).
    pub lenient: bool,
    /// An ambiguous name suggests `--domain`/`--<resource>-domain` (domain-owned objects).
    pub domain_hint: bool,
}

impl Lookup {
    /// Strict rules: every error reported, no hint.
    pub const fn new(resource: Resource, style: Style) -> Self {
        Lookup {
            resource,
            style,
            passthrough: Passthrough::Never,
            lenient: false,
            domain_hint: false,
        }
    }
    pub const fn passing(mut self, p: Passthrough) -> Self {
        self.passthrough = p;
        self
    }
    pub const fn lenient(mut self) -> Self {
        self.lenient = true;
        self
    }
    pub const fn domain_hint(mut self) -> Self {
        self.domain_hint = true;
        self
    }

    /// The same rules for the domain that scopes a name (never with the domain hint).
    pub const fn for_domain(self) -> Self {
        Lookup {
            resource: DOMAIN,
            domain_hint: false,
            ..self
        }
    }

    /// The object, by ID or by name among those of domain `domain_id` (an ID) if given.
    /// Errors carry this lookup's wording; nothing passes through (there is no object).
    pub fn find(&self, s: &Session, name_or_id: &str, domain_id: Option<&str>) -> Result<Value> {
        let scope: Vec<(String, String)> = domain_id
            .map(|d| ("domain_id".to_string(), d.to_string()))
            .into_iter()
            .collect();
        self.resource
            .find_scoped(s, name_or_id, &scope)
            .map_err(|e| self.restyle(name_or_id, e))
    }

    /// The object's ID, by ID or by name within domain `domain_id` (an ID) if given; refusals
    /// (and, when lenient, a missing object) give `name_or_id` back.
    pub fn id(&self, s: &Session, name_or_id: &str, domain_id: Option<&str>) -> Result<String> {
        let found = self.find(s, name_or_id, domain_id).and_then(|v| {
            id_of(&v).ok_or_else(|| {
                Error::cmd(format!(
                    "The {} '{name_or_id}' has no ID",
                    self.resource.display
                ))
            })
        });
        self.settle(name_or_id, found)
    }

    /// The ID of `domain` (name or ID), looked up with these rules.
    pub fn domain_id(&self, s: &Session, domain: &str) -> Result<String> {
        self.for_domain().id(s, domain, None)
    }

    fn opt_domain_id(&self, s: &Session, domain: Option<&str>) -> Result<Option<String>> {
        domain.map(|d| self.domain_id(s, d)).transpose()
    }

    /// [`Lookup::id`] with the name scoped by a domain given by name or ID
    /// (`--project` with `--project-domain`); the domain follows the same rules.
    pub fn id_in(&self, s: &Session, name_or_id: &str, domain: Option<&str>) -> Result<String> {
        let d = self.opt_domain_id(s, domain)?;
        self.id(s, name_or_id, d.as_deref())
    }

    /// [`Lookup::find`] with the name scoped by a domain given by name or ID.
    pub fn find_in(&self, s: &Session, name_or_id: &str, domain: Option<&str>) -> Result<Value> {
        let d = self.opt_domain_id(s, domain)?;
        self.find(s, name_or_id, d.as_deref())
    }

    /// A lookup's error in this lookup's wording: openstacksdk's "No Project found for x" for
    /// [`Style::Sdk`], the domain hint on an unscoped ambiguous name.
    pub fn restyle(&self, name_or_id: &str, e: Error) -> Error {
        match e {
            Error::NotFound(_) if self.style == Style::Sdk => Error::NotFound(format!(
                "No {} found for {name_or_id}",
                sdk_class(self.resource.display)
            )),
            Error::Ambiguous(m) if self.domain_hint => Error::Ambiguous(m.replace(
                "use its ID instead",
                "use its ID, or name its domain (--domain or --<resource>-domain)",
            )),
            e => e,
        }
    }

    /// Whether a failed lookup gives the value back as the ID instead.
    pub fn passes(&self, e: &Error) -> bool {
        let refused = match self.passthrough {
            Passthrough::Never => false,
            Passthrough::Forbidden => e.status() == Some(403),
            Passthrough::Denied => matches!(e.status(), Some(401) | Some(403)),
        };
        refused || (self.lenient && e.is_not_found())
    }

    fn settle(&self, name_or_id: &str, r: Result<String>) -> Result<String> {
        match r {
            Err(e) if self.passes(&e) => Ok(name_or_id.to_string()),
            r => r,
        }
    }
}

/// openstacksdk's resource class name for a display name (`endpoint group`: `EndpointGroup`).
pub fn sdk_class(display: &str) -> String {
    display
        .split([' ', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// A project's ID (`--project` with `--project-domain`), for the compute, volume and image
/// filters and options (`identity_common.find_project_id_sdk`, osc_lib's wording).
pub fn project_id(s: &Session, name_or_id: &str, domain: Option<&str>) -> Result<String> {
    Lookup::new(PROJECT, Style::OscLib)
        .passing(Passthrough::Denied)
        .id_in(s, name_or_id, domain)
}

/// A user's ID (`--user` with `--user-domain`), as [`project_id`].
pub fn user_id(s: &Session, name_or_id: &str, domain: Option<&str>) -> Result<String> {
    Lookup::new(USER, Style::OscLib)
        .passing(Passthrough::Denied)
        .id_in(s, name_or_id, domain)
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

    fn http(status: u16) -> Error {
        Error::Http {
            status,
            message: "refused".into(),
            request_id: None,
        }
    }

    fn osc_lib_not_found() -> Error {
        Error::NotFound("No project with a name or ID of 'p1' exists.".into())
    }

    fn ambiguous(scoped: bool) -> Error {
        Error::Ambiguous(format!(
            "More than one project exists with the name 'p1' (2 found); use its ID{}",
            if scoped {
                " or narrow the scope"
            } else {
                " instead"
            }
        ))
    }

    #[test]
    fn osc_lib_style_keeps_find_resource_wording() {
        let l = Lookup::new(PROJECT, Style::OscLib);
        assert_eq!(
            l.restyle("p1", osc_lib_not_found()).to_string(),
            "No project with a name or ID of 'p1' exists."
        );
        assert_eq!(
            l.restyle("p1", ambiguous(false)).to_string(),
            ambiguous(false).to_string()
        );
    }

    #[test]
    fn sdk_style_uses_openstacksdk_wording() {
        let l = Lookup::new(PROJECT, Style::Sdk);
        let e = l.restyle("p1", osc_lib_not_found());
        assert!(matches!(e, Error::NotFound(_)));
        assert_eq!(e.to_string(), "No Project found for p1");
        let d = l.for_domain().restyle("d1", osc_lib_not_found());
        assert_eq!(d.to_string(), "No Domain found for d1");
        // Only "found nothing" is reworded: a 404 from the service, or ambiguity, stays.
        assert_eq!(l.restyle("p1", http(404)).to_string(), "refused (HTTP 404)");
        assert_eq!(
            l.restyle("p1", ambiguous(false)).to_string(),
            ambiguous(false).to_string()
        );
    }

    #[test]
    fn domain_hint_only_on_unscoped_ambiguity() {
        let l = Lookup::new(PROJECT, Style::OscLib).domain_hint();
        assert_eq!(
            l.restyle("p1", ambiguous(false)).to_string(),
            "More than one project exists with the name 'p1' (2 found); use its ID, or name \
             its domain (--domain or --<resource>-domain)"
        );
        assert_eq!(
            l.restyle("p1", ambiguous(true)).to_string(),
            ambiguous(true).to_string()
        );
        // The domain that scopes a name never gets it.
        assert!(!l.for_domain().domain_hint);
    }

    #[test]
    fn sdk_class_names() {
        assert_eq!(sdk_class("project"), "Project");
        assert_eq!(sdk_class("endpoint group"), "EndpointGroup");
        assert_eq!(sdk_class("registered_limit"), "RegisteredLimit");
        assert_eq!(sdk_class(""), "");
    }

    #[test]
    fn passthrough_decisions() {
        let strict = Lookup::new(USER, Style::OscLib);
        let forbidden = strict.passing(Passthrough::Forbidden);
        let denied = strict.passing(Passthrough::Denied);
        for e in [http(401), http(403), http(404), osc_lib_not_found()] {
            assert!(!strict.passes(&e), "{e}");
        }
        assert!(forbidden.passes(&http(403)));
        assert!(!forbidden.passes(&http(401)));
        assert!(denied.passes(&http(401)) && denied.passes(&http(403)));
        for l in [forbidden, denied] {
            assert!(!l.passes(&http(500)));
            assert!(!l.passes(&osc_lib_not_found()));
            assert!(!l.passes(&ambiguous(false)));
        }
        let lenient = forbidden.lenient();
        assert!(lenient.passes(&osc_lib_not_found()) && lenient.passes(&http(404)));
        assert!(lenient.passes(&http(403)));
        assert!(!lenient.passes(&ambiguous(false)));
        assert!(!lenient.passes(&http(500)));
        // The scoping domain follows the same rules.
        let d = lenient.for_domain();
        assert_eq!(d.resource.display, "domain");
        assert!(d.lenient && d.passthrough == Passthrough::Forbidden);
    }

    #[test]
    fn settle_gives_the_value_back_only_when_it_passes() {
        let l = Lookup::new(PROJECT, Style::OscLib).passing(Passthrough::Forbidden);
        assert_eq!(l.settle("p1", Err(http(403))).ok().as_deref(), Some("p1"));
        assert_eq!(
            l.settle("p1", Ok("id1".into())).ok().as_deref(),
            Some("id1")
        );
        assert_eq!(
            l.settle("p1", Err(osc_lib_not_found()))
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some("No project with a name or ID of 'p1' exists.")
        );
    }

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
