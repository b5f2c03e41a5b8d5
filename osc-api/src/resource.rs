//! Resources described once — service, path, JSON keys, OSC's names — and the verbs every
//! command uses with them, over any [`Transport`]: pagination in every link style,
//! name-or-ID lookup with OSC's rules and messages, create/update/delete, and acting on
//! several names with every failure reported at the end.

use crate::error::{Error, ErrorStatus};
use crate::page::{Fields, Page};
use crate::request::{Method, Request};
use serde_json::{Map, Value};

/// What the shared verbs need from whoever sends the requests: osc-core's session for
/// built-in commands, the plugin host for plugins. Error statuses are errors here.
pub trait Transport {
    type Error: From<Error> + ErrorStatus;
    /// Sends the request; the body as JSON (`null` when empty).
    fn json(&self, req: Request) -> Result<Value, Self::Error>;
    /// Sends the request and discards the body.
    fn send(&self, req: Request) -> Result<(), Self::Error>;
    /// One page of a collection: the items under `key` (only `fields` of each) and the
    /// pagination links, parsed in one pass.
    fn page(&self, req: Request, key: &str, fields: Fields) -> Result<Page, Self::Error>;
    /// The versioned endpoint of a service type, to resolve relative next links against.
    fn endpoint(&self, service: &str) -> Result<String, Self::Error>;
    /// A warning for the user (one line, on stderr).
    fn warn(&self, message: &str);
}

/// Whose words a lookup that found nothing, or too much, uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wording {
    /// osc_lib's `find_resource`: "No flavor with a name or ID of 'x' exists.",
    /// "More than one flavor exists with the name 'x' (2 found); use its ID instead".
    OscLib,
    /// openstacksdk's `find_*(ignore_missing=False)` (python-openstackclient's network
    /// commands): "No Network found for x", "More than one Network exists with the name 'x'."
    Sdk,
}

/// A REST resource.
#[derive(Clone, Copy, Debug)]
pub struct Resource {
    /// Service type (`compute`, `identity`, `network`...).
    pub service: &'static str,
    /// Collection path relative to the versioned endpoint (`/flavors`).
    pub path: &'static str,
    /// Path for detailed listings, if different (`/flavors/detail`).
    pub list_path: Option<&'static str>,
    /// JSON key of one object in responses (`flavor`); empty when the body is the object.
    pub singular: &'static str,
    /// JSON key of the list (`flavors`); empty when the body is the list.
    pub plural: &'static str,
    /// Name used in messages (`flavor`, `project`).
    pub display: &'static str,
    /// The field holding the name.
    pub name_field: &'static str,
    /// The query parameter that filters by name on the server, if any.
    pub name_query: Option<&'static str>,
    /// The client's maximum microversion for this resource (openstacksdk's
    /// `_max_microversion`); requests carry min(this, the cloud's) unless pinned. `None`
    /// leaves the transport's default for the service.
    pub max_microversion: Option<&'static str>,
    /// Lookup messages: osc_lib's, or openstacksdk's with this class name (`Network`).
    pub sdk_class: Option<&'static str>,
}

impl Resource {
    pub const fn new(
        service: &'static str,
        path: &'static str,
        singular: &'static str,
        plural: &'static str,
    ) -> Self {
        Resource {
            service,
            path,
            list_path: None,
            singular,
            plural,
            display: singular,
            name_field: "name",
            name_query: Some("name"),
            max_microversion: None,
            sdk_class: None,
        }
    }
    pub const fn max_microversion(mut self, v: &'static str) -> Self {
        self.max_microversion = Some(v);
        self
    }
    pub const fn list_path(mut self, p: &'static str) -> Self {
        self.list_path = Some(p);
        self
    }
    pub const fn display(mut self, d: &'static str) -> Self {
        self.display = d;
        self
    }
    pub const fn name_query(mut self, q: Option<&'static str>) -> Self {
        self.name_query = q;
        self
    }
    pub const fn name_field(mut self, f: &'static str) -> Self {
        self.name_field = f;
        self
    }
    /// Lookups word their errors as openstacksdk's `find_*` does, with this class name.
    pub const fn sdk(mut self, class: &'static str) -> Self {
        self.sdk_class = Some(class);
        self
    }

    /// A request to this resource's service, carrying its client maximum microversion.
    pub fn new_request(&self, method: Method, path: impl Into<String>) -> Request {
        let r = Request::new(method, self.service, path);
        match self.max_microversion {
            Some(v) => r.max_microversion(v),
            None => r,
        }
    }

    pub fn item_path(&self, id: &str) -> String {
        format!("{}/{}", self.path, encode_segment(id))
    }

    /// The object inside a single-object body (`{"network": {...}}`).
    pub fn unwrap_one(&self, v: Value) -> Value {
        if self.singular.is_empty() {
            v
        } else {
            match v {
                Value::Object(mut m) => m.remove(self.singular).unwrap_or(Value::Object(m)),
                other => other,
            }
        }
    }

    /// The object wrapped in the singular key, as create and update send it.
    pub fn wrap(&self, obj: Value) -> Value {
        if self.singular.is_empty() {
            obj
        } else {
            let mut m = Map::new();
            m.insert(self.singular.to_string(), obj);
            Value::Object(m)
        }
    }

    /// Every object, following the service's pagination links.
    pub fn list<T: Transport>(
        &self,
        t: &T,
        query: &[(String, String)],
    ) -> Result<Vec<Value>, T::Error> {
        self.list_fields(t, query, Fields::All)
    }

    /// Every object with only `fields` kept (what a table shows), parsed in one pass.
    pub fn list_fields<T: Transport>(
        &self,
        t: &T,
        query: &[(String, String)],
        fields: Fields,
    ) -> Result<Vec<Value>, T::Error> {
        let path = self.list_path.unwrap_or(self.path);
        let first = self.new_request(Method::GET, path).queries(query);
        list_pages(t, first, self.plural, fields)
    }

    /// One page only (for `--limit`/`--marker`).
    pub fn list_page<T: Transport>(
        &self,
        t: &T,
        query: &[(String, String)],
    ) -> Result<Vec<Value>, T::Error> {
        let path = self.list_path.unwrap_or(self.path);
        let first = self.new_request(Method::GET, path).queries(query);
        Ok(t.page(first, self.plural, Fields::All)?.items)
    }

    pub fn get<T: Transport>(&self, t: &T, id: &str) -> Result<Value, T::Error> {
        let v = t.json(self.new_request(Method::GET, self.item_path(id)))?;
        Ok(self.unwrap_one(v))
    }

    /// Finds by ID, then by name, as osc_lib's `find_resource` and openstacksdk's `find`
    /// do. `scope` adds query filters that narrow the name search (a domain, a project...).
    pub fn find_scoped<T: Transport>(
        &self,
        t: &T,
        name_or_id: &str,
        scope: &[(String, String)],
    ) -> Result<Value, T::Error> {
        self.find_worded(t, name_or_id, scope, self.wording(), false)
    }

    /// The wording of this resource's lookups.
    pub fn wording(&self) -> Wording {
        match self.sdk_class {
            Some(_) => Wording::Sdk,
            None => Wording::OscLib,
        }
    }

    /// [`Resource::find_scoped`] in the given wording; `domain_hint` makes an ambiguous
    /// unscoped name suggest naming its domain.
    pub fn find_worded<T: Transport>(
        &self,
        t: &T,
        name_or_id: &str,
        scope: &[(String, String)],
        wording: Wording,
        domain_hint: bool,
    ) -> Result<Value, T::Error> {
        match self.get(t, name_or_id) {
            Ok(v) if !v.is_null() => return Ok(v),
            Ok(_) => {}
            Err(e) if matches!(e.status(), Some(404) | Some(400)) || e.is_not_found() => {}
            Err(e) => return Err(e),
        }
        let mut q: Vec<(String, String)> = scope.to_vec();
        if let Some(nq) = self.name_query {
            q.push((nq.to_string(), name_or_id.to_string()));
        }
        let items = self.list(t, &q)?;
        let mut matches: Vec<Value> = items
            .into_iter()
            .filter(|i| {
                i.get(self.name_field).and_then(Value::as_str) == Some(name_or_id)
                    || id_of(i).as_deref() == Some(name_or_id)
            })
            .collect();
        match matches.len() {
            0 => Err(self.not_found_worded(name_or_id, wording).into()),
            1 => Ok(matches.pop().unwrap_or_default()),
            n => {
                let mut e = self.ambiguous_worded(name_or_id, n, !scope.is_empty(), wording);
                if domain_hint {
                    if let Error::Ambiguous(m) = &mut e {
                        *m = m.replace(
                            "use its ID instead",
                            "use its ID, or name its domain (--domain or --<resource>-domain)",
                        );
                    }
                }
                Err(e.into())
            }
        }
    }

    pub fn find<T: Transport>(&self, t: &T, name_or_id: &str) -> Result<Value, T::Error> {
        self.find_scoped(t, name_or_id, &[])
    }

    /// The ID of a resource given by name or ID.
    pub fn find_id<T: Transport>(&self, t: &T, name_or_id: &str) -> Result<String, T::Error> {
        let v = self.find(t, name_or_id)?;
        id_of(&v).ok_or_else(|| {
            Error::other(format!("The {} '{name_or_id}' has no ID", self.display)).into()
        })
    }

    /// The lookup error for a name that matched nothing, in this resource's wording.
    pub fn not_found(&self, name_or_id: &str) -> Error {
        self.not_found_worded(name_or_id, self.wording())
    }

    fn class(&self) -> String {
        self.sdk_class
            .map(str::to_string)
            .unwrap_or_else(|| sdk_class(self.display))
    }

    pub fn not_found_worded(&self, name_or_id: &str, wording: Wording) -> Error {
        Error::NotFound(match wording {
            Wording::Sdk => format!("No {} found for {name_or_id}", self.class()),
            Wording::OscLib => format!(
                "No {} with a name or ID of '{name_or_id}' exists.",
                self.display
            ),
        })
    }

    /// The lookup error for a name that matched `n` objects.
    pub fn ambiguous(&self, name_or_id: &str, n: usize, scoped: bool) -> Error {
        self.ambiguous_worded(name_or_id, n, scoped, self.wording())
    }

    pub fn ambiguous_worded(
        &self,
        name_or_id: &str,
        n: usize,
        scoped: bool,
        wording: Wording,
    ) -> Error {
        Error::Ambiguous(match wording {
            Wording::Sdk => format!(
                "More than one {} exists with the name '{name_or_id}'.",
                self.class()
            ),
            Wording::OscLib => format!(
                "More than one {} exists with the name '{name_or_id}' ({n} found); use its ID{}",
                self.display,
                if scoped {
                    " or narrow the scope"
                } else {
                    " instead"
                }
            ),
        })
    }

    /// `POST` the object wrapped in the singular key; returns the created object.
    pub fn create<T: Transport>(&self, t: &T, obj: Value) -> Result<Value, T::Error> {
        let req = self
            .new_request(Method::POST, self.path)
            .json(self.wrap(obj));
        Ok(self.unwrap_one(t.json(req)?))
    }

    /// Updates with PATCH or PUT (wrapped in the singular key); `method` is any method
    /// type with a name (osc-api's, reqwest's).
    pub fn update<T: Transport>(
        &self,
        t: &T,
        id: &str,
        method: impl AsRef<str>,
        obj: Value,
    ) -> Result<Value, T::Error> {
        let method = Method::from_name(method.as_ref()).unwrap_or(Method::PATCH);
        let req = self
            .new_request(method, self.item_path(id))
            .json(self.wrap(obj));
        Ok(self.unwrap_one(t.json(req)?))
    }

    pub fn delete<T: Transport>(&self, t: &T, id: &str) -> Result<(), T::Error> {
        t.send(self.new_request(Method::DELETE, self.item_path(id)))
    }
}

/// Percent-encodes one path segment.
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
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

pub fn id_of(v: &Value) -> Option<String> {
    v.get("id").and_then(|i| match i {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// The next-page link in any of the forms OpenStack services use: `<key>_links` (Nova,
/// Neutron, Cinder), `next` (Glance, Ironic), `links.next` (Keystone).
pub fn next_link(body: &Value, key: &str) -> Option<String> {
    if let Some(links) = body.get(format!("{key}_links")).and_then(Value::as_array) {
        return links
            .iter()
            .find(|l| l["rel"].as_str() == Some("next"))
            .and_then(|l| l["href"].as_str())
            .map(str::to_string);
    }
    if let Some(n) = body.get("next").and_then(Value::as_str) {
        return Some(n.to_string());
    }
    body.get("links")
        .and_then(|l| l.get("next"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// Resolves a relative next link (Glance's `/v2/images?marker=..`) against the versioned
/// endpoint, which may sit under a path prefix.
pub fn resolve_link(base: &str, next: &str) -> String {
    if next.starts_with("http://") || next.starts_with("https://") {
        return next.to_string();
    }
    let next = format!("/{}", next.trim_start_matches('/'));
    let first = next[1..].split(['/', '?']).next().unwrap_or("");
    if let Some(prefix) = base
        .trim_end_matches('/')
        .strip_suffix(&format!("/{first}"))
    {
        return format!("{prefix}{next}");
    }
    let root = base.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    format!("{root}{next}")
}

/// Sends `first` and follows the collection's next links (with the same headers and
/// microversion) until the end, keeping `fields` of each item. A link seen twice ends the walk.
pub fn list_pages<T: Transport>(
    t: &T,
    first: Request,
    key: &str,
    fields: Fields,
) -> Result<Vec<Value>, T::Error> {
    let mut template = first.clone();
    template.query.clear();
    template.json = None;
    let mut page = t.page(first, key, fields)?;
    let mut out = std::mem::take(&mut page.items);
    let mut seen = std::collections::HashSet::new();
    while let Some(next) = next_link(&page.links, key) {
        let url = resolve_link(&t.endpoint(&template.service)?, &next);
        if !seen.insert(url.clone()) {
            break;
        }
        let mut req = template.clone();
        req.path = url;
        page = t.page(req, key, fields)?;
        out.append(&mut page.items);
    }
    Ok(out)
}

/// Marker pagination over bare JSON arrays (Swift's listings): sends `first`, then, while
/// `follow` and the last page was not empty, the same request with `marker` set to
/// `marker_of` the page's last item. `first` may carry the user's own `marker`.
pub fn marker_pages<T: Transport>(
    t: &T,
    first: Request,
    follow: bool,
    marker_of: impl Fn(&Value) -> Option<String>,
) -> Result<Vec<Value>, T::Error> {
    let mut req = first;
    let mut out = Vec::new();
    loop {
        let page = match t.json(req.clone())? {
            Value::Array(a) => a,
            Value::Null => Vec::new(),
            other => {
                return Err(Error::BadReply(format!(
                    "expected a JSON list from {} {}, got: {other}",
                    req.service, req.path
                ))
                .into())
            }
        };
        let next = page.last().and_then(&marker_of);
        out.extend(page);
        let Some(marker) = next.filter(|_| follow) else {
            return Ok(out);
        };
        req.query.retain(|(k, _)| k != "marker");
        req.query.push(("marker".to_string(), marker));
    }
}

/// Runs `f` for each name; every failure is warned about, then summarised as OSC does
/// ("1 of 3 networks failed to delete."). `plural` is OSC's plural noun ("policies").
pub fn for_each_named<T: Transport, F>(
    t: &T,
    names: &[String],
    display: &str,
    plural: &str,
    verb: &str,
    mut f: F,
) -> Result<(), T::Error>
where
    F: FnMut(&str) -> Result<(), T::Error>,
    T::Error: std::fmt::Display,
{
    let mut failed = 0;
    for n in names {
        if let Err(e) = f(n) {
            failed += 1;
            t.warn(&format!(
                "Failed to {verb} {display} with name or ID '{n}': {e}"
            ));
        }
    }
    if failed > 0 {
        return Err(Error::other(format!(
            "{failed} of {} {plural} failed to {verb}.",
            names.len()
        ))
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A Swift-like container listing of `names`, `limit` per page after `marker`.
    struct Swift {
        names: Vec<&'static str>,
        asked: std::cell::RefCell<Vec<String>>,
    }

    impl Transport for Swift {
        type Error = Error;
        fn json(&self, req: Request) -> Result<Value, Error> {
            let q = |k: &str| {
                req.query
                    .iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.clone())
            };
            self.asked
                .borrow_mut()
                .push(q("marker").unwrap_or_default());
            let limit: usize = q("limit").and_then(|l| l.parse().ok()).unwrap_or(1000);
            let after = q("marker").unwrap_or_default();
            let page: Vec<Value> = self
                .names
                .iter()
                .filter(|n| **n > after.as_str())
                .take(limit)
                .map(|n| json!({"name": n}))
                .collect();
            Ok(Value::Array(page))
        }
        fn send(&self, _: Request) -> Result<(), Error> {
            Ok(())
        }
        fn page(&self, _: Request, _: &str, _: Fields) -> Result<Page, Error> {
            Err(Error::other("not paged by links"))
        }
        fn endpoint(&self, _: &str) -> Result<String, Error> {
            Ok("http://swift/v1/AUTH_a".into())
        }
        fn warn(&self, _: &str) {}
    }

    #[test]
    fn marker_pages_follow_the_last_name_until_an_empty_page() {
        let swift = Swift {
            names: vec!["a", "b", "c", "d", "e"],
            asked: Default::default(),
        };
        let first = Request::new(Method::GET, "object-store", "").query("limit", 2);
        let name = |v: &Value| v["name"].as_str().map(str::to_string);
        let all = marker_pages(&swift, first.clone(), true, name).unwrap();
        assert_eq!(all.len(), 5);
        assert_eq!(swift.asked.borrow().as_slice(), ["", "b", "d", "e"]);
        // Without following: one page, from the user's marker.
        let one = marker_pages(&swift, first.query("marker", "c"), false, name).unwrap();
        assert_eq!(one, vec![json!({"name": "d"}), json!({"name": "e"})]);
    }

    #[test]
    fn next_links_in_every_form() {
        assert_eq!(
            next_link(
                &json!({"servers_links": [{"rel": "next", "href": "http://n/s?marker=1"}]}),
                "servers"
            )
            .as_deref(),
            Some("http://n/s?marker=1")
        );
        assert_eq!(
            next_link(&json!({"next": "/v2/images?marker=x"}), "images").as_deref(),
            Some("/v2/images?marker=x")
        );
        assert_eq!(
            next_link(
                &json!({"links": {"next": "http://k/v3/projects?marker=1", "self": "x"}}),
                "projects"
            )
            .as_deref(),
            Some("http://k/v3/projects?marker=1")
        );
        assert_eq!(
            next_link(&json!({"links": {"next": null}}), "projects"),
            None
        );
    }

    #[test]
    fn relative_links() {
        assert_eq!(
            resolve_link("http://h:9292/v2", "/v2/images?marker=x"),
            "http://h:9292/v2/images?marker=x"
        );
        assert_eq!(
            resolve_link("http://h/image/v2", "/v2/images?marker=x"),
            "http://h/image/v2/images?marker=x"
        );
        assert_eq!(resolve_link("http://h/x", "http://o/y"), "http://o/y");
    }

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(encode_segment("a b/c"), "a%20b%2Fc");
        assert_eq!(
            Resource::new("compute", "/flavors", "flavor", "flavors").item_path("m1.tiny"),
            "/flavors/m1.tiny"
        );
    }

    #[test]
    fn wordings() {
        let r = Resource::new("network", "/networks", "network", "networks");
        assert_eq!(
            r.not_found("x").to_string(),
            "No network with a name or ID of 'x' exists."
        );
        let r = r.sdk("Network");
        assert_eq!(r.not_found("x").to_string(), "No Network found for x");
        assert_eq!(
            r.ambiguous("x", 2, false).to_string(),
            "More than one Network exists with the name 'x'."
        );
    }
}
