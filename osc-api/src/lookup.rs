//! Lookups of Keystone objects (projects, users, groups, roles, domains) by name or ID,
//! names scoped by an optional domain, with the rules and wording of whichever Python code
//! path a command follows. Built-ins and plugins (`--project` with `--project-domain`) share
//! them.
//!
//! One [`Lookup`] describes the rules: the resource, the message [`Wording`] (osc_lib's
//! `find_resource` or openstacksdk's `find_*`), which refusals pass the given value on as the
//! ID ([`Passthrough`]), whether a missing object does too (`lenient`), and whether an
//! ambiguous name suggests a domain option.

use crate::error::{Error, ErrorStatus};
use crate::resource::{id_of, Resource, Transport, Wording};
use serde_json::Value;

pub const DOMAIN: Resource = Resource::new("identity", "/domains", "domain", "domains");
pub const PROJECT: Resource = Resource::new("identity", "/projects", "project", "projects");
pub const USER: Resource = Resource::new("identity", "/users", "user", "users");
pub const GROUP: Resource = Resource::new("identity", "/groups", "group", "groups");

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
    pub style: Wording,
    pub passthrough: Passthrough,
    /// A missing object passes the given value on too (OSC's
    /// `validate_actor_existence=False`, when removing grants of deleted actors).
    pub lenient: bool,
    /// An ambiguous name suggests `--domain`/`--<resource>-domain` (domain-owned objects).
    pub domain_hint: bool,
}

impl Lookup {
    /// Strict rules: every error reported, no hint.
    pub const fn new(resource: Resource, style: Wording) -> Self {
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
    pub fn find<T: Transport>(
        &self,
        t: &T,
        name_or_id: &str,
        domain_id: Option<&str>,
    ) -> Result<Value, T::Error> {
        let scope: Vec<(String, String)> = domain_id
            .map(|d| ("domain_id".to_string(), d.to_string()))
            .into_iter()
            .collect();
        self.resource
            .find_worded(t, name_or_id, &scope, self.style, self.domain_hint)
    }

    /// The object's ID, by ID or by name within domain `domain_id` (an ID) if given; refusals
    /// (and, when lenient, a missing object) give `name_or_id` back.
    pub fn id<T: Transport>(
        &self,
        t: &T,
        name_or_id: &str,
        domain_id: Option<&str>,
    ) -> Result<String, T::Error> {
        let found = self.find(t, name_or_id, domain_id).and_then(|v| {
            id_of(&v).ok_or_else(|| {
                Error::other(format!(
                    "The {} '{name_or_id}' has no ID",
                    self.resource.display
                ))
                .into()
            })
        });
        match found {
            Err(e) if self.passes(&e) => Ok(name_or_id.to_string()),
            r => r,
        }
    }

    /// The ID of `domain` (name or ID), looked up with these rules.
    pub fn domain_id<T: Transport>(&self, t: &T, domain: &str) -> Result<String, T::Error> {
        self.for_domain().id(t, domain, None)
    }

    /// [`Lookup::id`] with the name scoped by a domain given by name or ID
    /// (`--project` with `--project-domain`); the domain follows the same rules.
    pub fn id_in<T: Transport>(
        &self,
        t: &T,
        name_or_id: &str,
        domain: Option<&str>,
    ) -> Result<String, T::Error> {
        let d = domain.map(|d| self.domain_id(t, d)).transpose()?;
        self.id(t, name_or_id, d.as_deref())
    }

    /// [`Lookup::find`] with the name scoped by a domain given by name or ID.
    pub fn find_in<T: Transport>(
        &self,
        t: &T,
        name_or_id: &str,
        domain: Option<&str>,
    ) -> Result<Value, T::Error> {
        let d = domain.map(|d| self.domain_id(t, d)).transpose()?;
        self.find(t, name_or_id, d.as_deref())
    }

    /// Whether a failed lookup gives the value back as the ID instead.
    pub fn passes<E: ErrorStatus>(&self, e: &E) -> bool {
        let refused = match self.passthrough {
            Passthrough::Never => false,
            Passthrough::Forbidden => e.status() == Some(403),
            Passthrough::Denied => matches!(e.status(), Some(401) | Some(403)),
        };
        refused || (self.lenient && e.is_not_found())
    }
}

/// A project's ID (`--project` with `--project-domain`), as python-openstackclient's
/// `find_project_id_sdk` (osc_lib's wording; refusals pass the value on).
pub fn project_id<T: Transport>(
    t: &T,
    name_or_id: &str,
    domain: Option<&str>,
) -> Result<String, T::Error> {
    Lookup::new(PROJECT, Wording::OscLib)
        .passing(Passthrough::Denied)
        .id_in(t, name_or_id, domain)
}

/// A user's ID (`--user` with `--user-domain`), as [`project_id`].
pub fn user_id<T: Transport>(
    t: &T,
    name_or_id: &str,
    domain: Option<&str>,
) -> Result<String, T::Error> {
    Lookup::new(USER, Wording::OscLib)
        .passing(Passthrough::Denied)
        .id_in(t, name_or_id, domain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{Fields, Page};
    use crate::request::Request;
    use serde_json::json;
    use std::cell::RefCell;

    /// Answers GET by path: an object, a listing, or an error status.
    struct Keystone {
        answers: Vec<(&'static str, Result<Value, u16>)>,
        asked: RefCell<Vec<String>>,
    }

    impl Keystone {
        fn answer(&self, req: &Request) -> Result<Value, Error> {
            let q: Vec<String> = req.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let key = if q.is_empty() {
                req.path.clone()
            } else {
                format!("{}?{}", req.path, q.join("&"))
            };
            self.asked.borrow_mut().push(key.clone());
            match self.answers.iter().find(|(p, _)| *p == key) {
                Some((_, Ok(v))) => Ok(v.clone()),
                Some((_, Err(status))) => Err(Error::Http {
                    status: *status,
                    message: "refused".into(),
                    request_id: None,
                }),
                None => Err(Error::Http {
                    status: 404,
                    message: "not found".into(),
                    request_id: None,
                }),
            }
        }
    }

    impl Transport for Keystone {
        type Error = Error;
        fn json(&self, req: Request) -> Result<Value, Error> {
            self.answer(&req)
        }
        fn send(&self, req: Request) -> Result<(), Error> {
            self.answer(&req).map(drop)
        }
        fn page(&self, req: Request, key: &str, fields: Fields) -> Result<Page, Error> {
            let v = self.answer(&req)?;
            Ok(crate::page::parse(v.to_string().as_bytes(), key, fields)?)
        }
        fn endpoint(&self, _: &str) -> Result<String, Error> {
            Ok("http://keystone/v3".into())
        }
        fn warn(&self, _: &str) {}
    }

    fn keystone(answers: Vec<(&'static str, Result<Value, u16>)>) -> Keystone {
        Keystone {
            answers,
            asked: RefCell::new(Vec::new()),
        }
    }

    #[test]
    fn by_id_then_by_name_scoped_by_domain() {
        let k = keystone(vec![
            (
                "/domains/d1",
                Ok(json!({"domain": {"id": "d1", "name": "dom"}})),
            ),
            (
                "/projects?domain_id=d1&name=p",
                Ok(json!({"projects": [{"id": "p1", "name": "p"}]})),
            ),
        ]);
        assert_eq!(project_id(&k, "p", Some("d1")).unwrap(), "p1");
        assert_eq!(
            k.asked.borrow().as_slice(),
            [
                "/domains/d1",
                "/projects/p",
                "/projects?domain_id=d1&name=p"
            ]
        );
    }

    #[test]
    fn wordings_and_hints() {
        let two = Ok(json!({"projects": [{"id": "a", "name": "p"}, {"id": "b", "name": "p"}]}));
        let k = keystone(vec![("/projects?name=p", two)]);
        let osc = Lookup::new(PROJECT, Wording::OscLib).domain_hint();
        assert_eq!(
            osc.find(&k, "p", None).unwrap_err().to_string(),
            "More than one project exists with the name 'p' (2 found); use its ID, or name its domain (--domain or --<resource>-domain)"
        );
        let k = keystone(vec![("/projects?name=x", Ok(json!({"projects": []})))]);
        assert_eq!(
            Lookup::new(PROJECT, Wording::Sdk)
                .find(&k, "x", None)
                .unwrap_err()
                .to_string(),
            "No Project found for x"
        );
        assert_eq!(
            Lookup::new(PROJECT, Wording::OscLib)
                .find(&k, "x", None)
                .unwrap_err()
                .to_string(),
            "No project with a name or ID of 'x' exists."
        );
    }

    #[test]
    fn refusals_pass_the_value_on_only_when_the_rules_say_so() {
        let k = keystone(vec![("/projects/p", Err(403))]);
        assert_eq!(project_id(&k, "p", None).unwrap(), "p");
        let strict = Lookup::new(PROJECT, Wording::OscLib);
        assert_eq!(strict.id(&k, "p", None).unwrap_err().status(), Some(403));
        let k = keystone(vec![("/projects?name=gone", Ok(json!({"projects": []})))]);
        assert_eq!(strict.lenient().id(&k, "gone", None).unwrap(), "gone");
        assert!(strict.id(&k, "gone", None).unwrap_err().is_not_found());
        let k = keystone(vec![("/projects/p", Err(401))]);
        let forbidden_only = strict.passing(Passthrough::Forbidden);
        assert_eq!(
            forbidden_only.id(&k, "p", None).unwrap_err().status(),
            Some(401)
        );
        assert_eq!(project_id(&k, "p", None).unwrap(), "p");
    }
}
