//! Resources described once — service, path, JSON keys, OSC's names — and the shared
//! behaviour every command uses with them: pagination, name-or-ID lookup with OSC's rules
//! and messages, create/update/delete, acting on several names with failures reported at the
//! end, and turning JSON objects into rows and records. Waiting is [`crate::wait`].

use crate::error::{Error, Result};
use crate::page::Fields;
use crate::registry::CommandImpl;
use crate::session::{Request, Session};
use crate::Context;
use osc_output::{Cell, Kind, Output, Record, Table};
use reqwest::Method;
use serde_json::{Map, Value};
use std::rc::Rc;

/// A REST resource.
#[derive(Clone, Copy, Debug)]
pub struct Resource {
    /// Service type (`compute`, `identity`, `image`...).
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
    /// leaves the session's default for the service.
    pub max_microversion: Option<&'static str>,
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

    /// A request to this resource's service at its microversion (see
    /// [`Session::microversion`]), for commands that build their own requests.
    pub fn request(&self, s: &Session, method: Method, path: impl Into<String>) -> Result<Request> {
        let r = Request::new(method, self.service, path);
        if self.max_microversion.is_none() {
            return Ok(r);
        }
        Ok(match s.microversion(self.service, self.max_microversion)? {
            Some(v) => r.microversion(v),
            None => r,
        })
    }

    pub fn item_path(&self, id: &str) -> String {
        format!("{}/{}", self.path, encode_segment(id))
    }

    fn unwrap_one(&self, v: Value) -> Value {
        if self.singular.is_empty() {
            v
        } else {
            match v {
                Value::Object(mut m) => m.remove(self.singular).unwrap_or(Value::Object(m)),
                other => other,
            }
        }
    }

    /// Every object, following the service's pagination links.
    pub fn list(&self, s: &Session, query: &[(String, String)]) -> Result<Vec<Value>> {
        self.list_fields(s, query, Fields::All)
    }

    /// Every object with only `fields` kept (what a table shows), parsed in one pass.
    pub fn list_fields(
        &self,
        s: &Session,
        query: &[(String, String)],
        fields: Fields,
    ) -> Result<Vec<Value>> {
        let path = self.list_path.unwrap_or(self.path);
        let first = self.request(s, Method::GET, path)?.queries(query);
        list_pages(s, first, self.plural, fields)
    }

    /// One page only (for `--limit`/`--marker`).
    pub fn list_page(&self, s: &Session, query: &[(String, String)]) -> Result<Vec<Value>> {
        let path = self.list_path.unwrap_or(self.path);
        let first = self.request(s, Method::GET, path)?.queries(query);
        Ok(s.page(first, self.plural, Fields::All)?.items)
    }

    pub fn get(&self, s: &Session, id: &str) -> Result<Value> {
        Ok(self.unwrap_one(s.json(self.request(s, Method::GET, self.item_path(id))?)?))
    }

    /// Finds by ID, then by name, as osc_lib's `find_resource` does. `scope` adds query
    /// filters that narrow the name search (a domain, a project...).
    pub fn find_scoped(
        &self,
        s: &Session,
        name_or_id: &str,
        scope: &[(String, String)],
    ) -> Result<Value> {
        match self.get(s, name_or_id) {
            Ok(v) if !v.is_null() => return Ok(v),
            Ok(_) => {}
            Err(e) if matches!(e.status(), Some(404) | Some(400)) || e.is_not_found() => {}
            Err(e) => return Err(e),
        }
        let mut q: Vec<(String, String)> = scope.to_vec();
        if let Some(nq) = self.name_query {
            q.push((nq.to_string(), name_or_id.to_string()));
        }
        let items = self.list(s, &q)?;
        let matches: Vec<Value> = items
            .into_iter()
            .filter(|i| {
                i.get(self.name_field).and_then(Value::as_str) == Some(name_or_id)
                    || i.get("id").and_then(Value::as_str) == Some(name_or_id)
            })
            .collect();
        match matches.len() {
            0 => Err(Error::NotFound(format!(
                "No {} with a name or ID of '{name_or_id}' exists.",
                self.display
            ))),
            1 => Ok(matches.into_iter().next().unwrap_or_default()),
            n => {
                Err(Error::Ambiguous(format!(
                "More than one {} exists with the name '{name_or_id}' ({n} found); use its ID{}",
                self.display,
                if scope.is_empty() { " instead" } else { " or narrow the scope" }
            )))
            }
        }
    }

    pub fn find(&self, s: &Session, name_or_id: &str) -> Result<Value> {
        self.find_scoped(s, name_or_id, &[])
    }

    /// The ID of a resource given by name or ID.
    pub fn find_id(&self, s: &Session, name_or_id: &str) -> Result<String> {
        let v = self.find(s, name_or_id)?;
        id_of(&v)
            .ok_or_else(|| Error::cmd(format!("The {} '{name_or_id}' has no ID", self.display)))
    }

    /// `POST` the object wrapped in the singular key; returns the created object.
    pub fn create(&self, s: &Session, obj: Value) -> Result<Value> {
        let body = self.wrap(obj);
        Ok(self.unwrap_one(s.json(self.request(s, Method::POST, self.path)?.json(body))?))
    }

    /// Updates with PATCH or PUT (wrapped in the singular key).
    pub fn update(&self, s: &Session, id: &str, method: Method, obj: Value) -> Result<Value> {
        let body = self.wrap(obj);
        let r = s.json(self.request(s, method, self.item_path(id))?.json(body))?;
        Ok(self.unwrap_one(r))
    }

    pub fn delete(&self, s: &Session, id: &str) -> Result<()> {
        s.send(self.request(s, Method::DELETE, self.item_path(id))?)
            .map(|_| ())
    }

    fn wrap(&self, obj: Value) -> Value {
        if self.singular.is_empty() {
            obj
        } else {
            let mut m = Map::new();
            m.insert(self.singular.to_string(), obj);
            Value::Object(m)
        }
    }
}

/// Percent-encodes one path segment.
pub fn encode_segment(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

pub fn id_of(v: &Value) -> Option<String> {
    v.get("id").and_then(|i| match i {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// The next-page link in any of the forms OpenStack services use: `<key>_links` (Nova,
/// Neutron, Cinder), `next` (Glance), `links.next` (Keystone).
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

/// GETs a collection and follows its next links until the end.
pub fn list_all(
    s: &Session,
    service: &str,
    path: &str,
    key: &str,
    query: &[(String, String)],
) -> Result<Vec<Value>> {
    list_pages(
        s,
        Request::new(Method::GET, service, path).queries(query),
        key,
        Fields::All,
    )
}

/// Sends `first` and follows the collection's next links (with the same headers and
/// microversion) until the end, keeping `fields` of each item. A link seen twice ends the walk.
pub fn list_pages(s: &Session, first: Request, key: &str, fields: Fields) -> Result<Vec<Value>> {
    let (service, headers, microversion) = (
        first.service.clone(),
        first.headers.clone(),
        first.microversion.clone(),
    );
    let mut page = s.page(first, key, fields)?;
    let mut out = std::mem::take(&mut page.items);
    let mut seen = std::collections::HashSet::new();
    while let Some(next) = next_link(&page.links, key) {
        let url = resolve_link(&s.endpoint(&service)?, &next);
        if !seen.insert(url.clone()) {
            break;
        }
        let mut req = Request::new(Method::GET, &service, url);
        req.headers = headers.clone();
        req.microversion = microversion.clone();
        page = s.page(req, key, fields)?;
        out.append(&mut page.items);
    }
    Ok(out)
}

// ---- rows and records ------------------------------------------------------------------

/// A column: OSC's header and the JSON field it shows, with its display style.
#[derive(Clone, Copy, Debug)]
pub struct Col {
    pub header: &'static str,
    pub field: &'static str,
    pub style: osc_output::Style,
}

pub const fn col(header: &'static str, field: &'static str) -> Col {
    Col {
        header,
        field,
        style: osc_output::Style::Raw,
    }
}
pub const fn col_list(header: &'static str, field: &'static str) -> Col {
    Col {
        header,
        field,
        style: osc_output::Style::List,
    }
}
pub const fn col_dict(header: &'static str, field: &'static str) -> Col {
    Col {
        header,
        field,
        style: osc_output::Style::Dict,
    }
}

/// The members of listed objects that `cols` read (`flavor` for `flavor.original_name`).
pub fn top_level_fields(cols: &[Col]) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = Vec::new();
    for c in cols {
        let k = c.field.split('.').next().unwrap_or(c.field);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys
}

/// A field by dotted path (`flavor.original_name`).
pub fn field<'a>(v: &'a Value, path: &str) -> &'a Value {
    let mut cur = v;
    for part in path.split('.') {
        cur = cur.get(part).unwrap_or(&Value::Null);
    }
    cur
}

pub fn cell(v: &Value, c: &Col) -> Cell {
    Cell::styled(field(v, c.field).clone(), c.style)
}

/// A table of objects under the given columns.
pub fn table(items: &[Value], cols: &[Col]) -> Table {
    Table {
        columns: cols.iter().map(|c| c.header.to_string()).collect(),
        rows: items
            .iter()
            .map(|i| cols.iter().map(|c| cell(i, c)).collect())
            .collect(),
    }
}

/// A record of the given fields, in order.
pub fn record(item: &Value, cols: &[Col]) -> Record {
    Record {
        fields: cols
            .iter()
            .map(|c| (c.header.to_string(), cell(item, c)))
            .collect(),
    }
}

/// A record of every field of an object sorted by name, as OSC's show commands print most
/// resources; `drop` removes fields (`links`), `styles` gives fields a display style.
pub fn record_sorted(item: &Value, drop: &[&str], styles: &[(&str, osc_output::Style)]) -> Record {
    let mut fields: Vec<(String, Cell)> = item
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, _)| !drop.contains(&k.as_str()))
                .map(|(k, v)| {
                    let style = styles
                        .iter()
                        .find(|(f, _)| f == k)
                        .map(|(_, s)| *s)
                        .unwrap_or(osc_output::Style::Raw);
                    (k.clone(), Cell::styled(v.clone(), style))
                })
                .collect()
        })
        .unwrap_or_default();
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    Record { fields }
}

// ---- several names -----------------------------------------------------------------------

/// Runs `f` for each name; every failure is printed, then summarised as OSC does
/// ("1 of 3 projects failed to delete."), with the regular plural.
pub fn for_each_name<F>(names: &[String], display: &str, verb: &str, f: F) -> Result<Output>
where
    F: FnMut(&str) -> Result<()>,
{
    for_each_named(names, display, &format!("{display}s"), verb, f)
}

/// [`for_each_name`] with the plural noun OSC uses for the resource ("policies",
/// "EC2 keys"); OSC's summary always uses the plural.
pub fn for_each_named<F>(
    names: &[String],
    display: &str,
    plural: &str,
    verb: &str,
    mut f: F,
) -> Result<Output>
where
    F: FnMut(&str) -> Result<()>,
{
    let mut failed = 0;
    for n in names {
        if let Err(e) = f(n) {
            failed += 1;
            crate::log::warn(&format!(
                "Failed to {verb} {display} with name or ID '{n}': {e}"
            ));
        }
    }
    if failed > 0 {
        return Err(Error::cmd(format!(
            "{failed} of {} {plural} failed to {verb}.",
            names.len()
        )));
    }
    Ok(Output::None)
}

// ---- generic verbs -------------------------------------------------------------------------

/// A filter option of a generic list command: `--flag VALUE` becomes `query=VALUE`.
#[derive(Clone, Copy, Debug)]
pub struct Filter {
    pub flag: &'static str,
    pub query: &'static str,
    pub help: &'static str,
}

/// Describes a list command served by generic code.
#[derive(Clone, Copy)]
pub struct ListSpec {
    pub resource: Resource,
    pub columns: &'static [Col],
    /// Columns with `--long` (empty: no `--long` option).
    pub long_columns: &'static [Col],
    pub filters: &'static [Filter],
}

pub struct GenericList(pub &'static ListSpec);

impl CommandImpl for GenericList {
    fn args(&self, mut cmd: clap::Command) -> clap::Command {
        if !self.0.long_columns.is_empty() {
            cmd = cmd.arg(
                clap::Arg::new("long")
                    .long("long")
                    .action(clap::ArgAction::SetTrue)
                    .help("List additional fields in output"),
            );
        }
        for f in self.0.filters {
            cmd = cmd.arg(
                clap::Arg::new(f.flag)
                    .long(f.flag)
                    .value_name(f.query.to_uppercase())
                    .help(f.help),
            );
        }
        cmd
    }
    fn run(&self, ctx: &Context, m: &clap::ArgMatches) -> Result<Output> {
        let s = ctx.session()?;
        let q: Vec<(String, String)> = self
            .0
            .filters
            .iter()
            .filter_map(|f| {
                m.get_one::<String>(f.flag)
                    .map(|v| (f.query.to_string(), v.clone()))
            })
            .collect();
        let long = m
            .try_get_one::<bool>("long")
            .ok()
            .flatten()
            .copied()
            .unwrap_or(false);
        let cols = if long {
            self.0.long_columns
        } else {
            self.0.columns
        };
        let keys = top_level_fields(cols);
        let items = self.0.resource.list_fields(s, &q, Fields::Only(&keys))?;
        Ok(Output::List(table(&items, cols)))
    }
}

/// Describes a show command served by generic code: all fields sorted, or chosen ones.
#[derive(Clone, Copy)]
pub struct ShowSpec {
    pub resource: Resource,
    /// Positional argument name and help (`<flavor>`, "Flavor to display (name or ID)").
    pub arg: &'static str,
    pub help: &'static str,
    /// Fields to show in order; empty shows every field sorted, without `drop`.
    pub fields: &'static [Col],
    pub drop: &'static [&'static str],
}

pub struct GenericShow(pub &'static ShowSpec);

impl CommandImpl for GenericShow {
    fn args(&self, cmd: clap::Command) -> clap::Command {
        cmd.arg(
            clap::Arg::new("target")
                .value_name(self.0.arg)
                .required(true)
                .help(self.0.help),
        )
    }
    fn run(&self, ctx: &Context, m: &clap::ArgMatches) -> Result<Output> {
        let s = ctx.session()?;
        let target = m.get_one::<String>("target").cloned().unwrap_or_default();
        let obj = self.0.resource.find(s, &target)?;
        Ok(Output::Show(if self.0.fields.is_empty() {
            record_sorted(&obj, self.0.drop, &[])
        } else {
            record(&obj, self.0.fields)
        }))
    }
}

/// A delete command for one or more names or IDs.
#[derive(Clone, Copy)]
pub struct DeleteSpec {
    pub resource: Resource,
    pub arg: &'static str,
    pub help: &'static str,
}

pub struct GenericDelete(pub &'static DeleteSpec);

impl CommandImpl for GenericDelete {
    fn args(&self, cmd: clap::Command) -> clap::Command {
        cmd.arg(
            clap::Arg::new("targets")
                .value_name(self.0.arg)
                .required(true)
                .num_args(1..)
                .help(self.0.help),
        )
    }
    fn run(&self, ctx: &Context, m: &clap::ArgMatches) -> Result<Output> {
        let s = ctx.session()?;
        let names: Vec<String> = m
            .get_many::<String>("targets")
            .map(|v| v.cloned().collect())
            .unwrap_or_default();
        let r = self.0.resource;
        for_each_name(&names, r.display, "delete", |n| {
            let id = r.find_id(s, n)?;
            r.delete(s, &id)
        })
    }
}

/// Registration helpers for the generic verbs.
pub fn list_cmd(spec: &'static ListSpec) -> (Kind, Rc<dyn CommandImpl>) {
    (Kind::List, Rc::new(GenericList(spec)))
}
pub fn show_cmd(spec: &'static ShowSpec) -> (Kind, Rc<dyn CommandImpl>) {
    (Kind::Show, Rc::new(GenericShow(spec)))
}
pub fn delete_cmd(spec: &'static DeleteSpec) -> (Kind, Rc<dyn CommandImpl>) {
    (Kind::Plain, Rc::new(GenericDelete(spec)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
    fn rows_and_sorted_records() {
        let items =
            vec![json!({"id": "1", "name": "a", "flavor": {"original_name": "m1"}, "tags": ["x"]})];
        let t = table(
            &items,
            &[
                col("ID", "id"),
                col("Flavor", "flavor.original_name"),
                col_list("Tags", "tags"),
            ],
        );
        assert_eq!(t.columns, vec!["ID", "Flavor", "Tags"]);
        assert_eq!(t.rows[0][1].value, json!("m1"));
        assert_eq!(t.rows[0][2].style, osc_output::Style::List);
        let r = record_sorted(
            &json!({"name": "n", "id": "i", "links": []}),
            &["links"],
            &[],
        );
        let keys: Vec<&str> = r.fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec!["id", "name"]);
    }

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(encode_segment("a b/c"), "a%20b%2Fc");
        assert_eq!(
            Resource::new("compute", "/flavors", "flavor", "flavors").item_path("m1.tiny"),
            "/flavors/m1.tiny"
        );
    }
}
