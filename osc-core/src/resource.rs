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
use serde_json::Value;
use std::rc::Rc;

pub use osc_api::resource::{
    encode_segment, id_of, next_link, resolve_link, sdk_class, Resource, Wording,
};

/// Builds requests of a [`Resource`] in osc-core's own [`Request`] (streamed bodies,
/// reqwest methods), for commands that send their own.
pub trait ResourceRequest {
    /// A request to this resource's service carrying its client maximum microversion.
    fn request(&self, s: &Session, method: Method, path: impl Into<String>) -> Result<Request>;
}

impl ResourceRequest for Resource {
    fn request(&self, _s: &Session, method: Method, path: impl Into<String>) -> Result<Request> {
        let r = Request::new(method, self.service, path);
        Ok(match self.max_microversion {
            Some(v) => r.max_microversion(v),
            None => r,
        })
    }
}

/// GETs a collection and follows its next links until the end.
pub fn list_all(
    s: &Session,
    service: &str,
    path: &str,
    key: &str,
    query: &[(String, String)],
) -> Result<Vec<Value>> {
    let first = osc_api::Request::new(osc_api::Method::GET, service, path).queries(query);
    osc_api::resource::list_pages(s, first, key, Fields::All)
}

/// Sends `first` (a GET) and follows the collection's next links with the same headers and
/// microversion until the end, keeping `fields` of each item.
pub fn list_pages(s: &Session, first: Request, key: &str, fields: Fields) -> Result<Vec<Value>> {
    let mut req = osc_api::Request::new(osc_api::Method::GET, &first.service, first.path);
    req.query = first.query;
    req.headers = first.headers;
    req.microversion = first.microversion;
    req.max_microversion = first.max_microversion;
    osc_api::resource::list_pages(s, req, key, fields)
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
    crate::page::top_level(cols.iter().map(|c| c.field))
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
    osc_api::resource::for_each_named(&LogWarnings, names, display, plural, verb, |n| f(n))?;
    Ok(Output::None)
}

/// The warnings of [`for_each_named`] before any session exists: osc's log.
struct LogWarnings;

impl osc_api::Transport for LogWarnings {
    type Error = Error;
    fn json(&self, _: osc_api::Request) -> Result<Value> {
        Err(Error::cmd("no session"))
    }
    fn send(&self, _: osc_api::Request) -> Result<()> {
        Err(Error::cmd("no session"))
    }
    fn page(&self, _: osc_api::Request, _: &str, _: Fields) -> Result<crate::page::Page> {
        Err(Error::cmd("no session"))
    }
    fn endpoint(&self, _: &str) -> Result<String> {
        Err(Error::cmd("no session"))
    }
    fn warn(&self, message: &str) {
        crate::log::warn(message)
    }
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
}
