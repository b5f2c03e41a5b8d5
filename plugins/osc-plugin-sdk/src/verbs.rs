//! Plain verbs of a described resource, so a plugin command holds only what is special
//! about it: describe the resource once ([`Resource`]), its columns once ([`Col`]), and
//! serve list/show/delete with OSC's behaviour (pagination, name-or-ID lookup and its
//! messages, several names with every failure reported, only the shown fields parsed).
//!
//! ```ignore
//! const NETWORKS: Resource = Resource::new("network", "/networks", "network", "networks").sdk("Network");
//! const LIST: &[Col] = &[col("ID", "id"), col("Name", "name"), col_list("Subnets", "subnets")];
//! "network list" => verbs::list(host, &NETWORKS, &query, LIST),
//! "network show" => verbs::show_sorted(host, &NETWORKS, args.req("network")?, &[]),
//! "network delete" => verbs::delete(host, &NETWORKS, &args.list("network"), "networks"),
//! ```

use crate::{Args, Error, Host, Map, Reply, Result, Value};
use osc_api::{Fields, Resource};

/// A column: OSC's header, the JSON field it shows (a dotted path for members of members),
/// and how a table shows it (`raw`, `list`, `dict`, `list_dict`, `dict_list`, `size`, `json`, `yaml`).
#[derive(Clone, Copy, Debug)]
pub struct Col {
    pub header: &'static str,
    pub field: &'static str,
    pub style: &'static str,
}

pub const fn col(header: &'static str, field: &'static str) -> Col {
    Col {
        header,
        field,
        style: "raw",
    }
}
pub const fn col_list(header: &'static str, field: &'static str) -> Col {
    Col {
        header,
        field,
        style: "list",
    }
}
pub const fn col_dict(header: &'static str, field: &'static str) -> Col {
    Col {
        header,
        field,
        style: "dict",
    }
}
pub const fn col_styled(header: &'static str, field: &'static str, style: &'static str) -> Col {
    Col {
        header,
        field,
        style,
    }
}

/// A field by dotted path (`external_gateway_info.network_id`); `null` when absent.
pub fn field(v: &Value, path: &str) -> Value {
    let mut cur = v;
    for part in path.split('.') {
        match cur.get(part) {
            Some(next) => cur = next,
            None => return Value::Null,
        }
    }
    cur.clone()
}

/// The members of listed objects that `cols` read, for [`Fields::Only`].
pub fn top_level_fields(cols: &[Col]) -> Vec<&'static str> {
    osc_api::page::top_level(cols.iter().map(|c| c.field))
}

fn styled(mut reply: Reply, cols: &[Col]) -> Reply {
    for c in cols.iter().filter(|c| c.style != "raw") {
        reply = reply.style(c.header, c.style);
    }
    reply
}

/// A table of objects under `cols`.
pub fn list_reply(items: &[Value], cols: &[Col]) -> Reply {
    let rows = items
        .iter()
        .map(|i| cols.iter().map(|c| field(i, c.field)).collect())
        .collect();
    styled(Reply::list(cols.iter().map(|c| c.header)).rows(rows), cols)
}

/// [`list_reply`] of owned objects: their values move into the rows (when no field is shown
/// twice; else as [`list_reply`]).
pub fn list_reply_owned(items: Vec<Value>, cols: &[Col]) -> Reply {
    if !distinct_fields(cols) {
        return list_reply(&items, cols);
    }
    let rows = items
        .into_iter()
        .map(|mut i| cols.iter().map(|c| take_field(&mut i, c.field)).collect())
        .collect();
    styled(Reply::list(cols.iter().map(|c| c.header)).rows(rows), cols)
}

/// [`field`], moved out of `v` (callers check that no two columns share a field).
fn take_field(v: &mut Value, path: &str) -> Value {
    let mut cur = v;
    for part in path.split('.') {
        match cur.get_mut(part) {
            Some(next) => cur = next,
            None => return Value::Null,
        }
    }
    std::mem::take(cur)
}

/// No field shown in two columns, and none inside another shown one: each can be moved.
fn distinct_fields(cols: &[Col]) -> bool {
    cols.iter().enumerate().all(|(i, a)| {
        cols[i + 1..].iter().all(|b| {
            let (x, y) = (a.field, b.field);
            x != y && !y.starts_with(&format!("{x}.")) && !x.starts_with(&format!("{y}."))
        })
    })
}

/// A record of `cols`, in order.
pub fn show_reply(obj: &Value, cols: &[Col]) -> Reply {
    let mut r = Reply::show();
    for c in cols {
        r = r.field(c.header, field(obj, c.field));
    }
    styled(r, cols)
}

/// A record of every field of `obj` sorted by name, as OSC shows most resources; `drop`
/// leaves fields out, `styles` gives fields a table style.
pub fn sorted_reply(obj: &Value, drop: &[&str], styles: &[(&str, &str)]) -> Reply {
    let mut fields: Vec<(&String, &Value)> = obj
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, _)| !drop.contains(&k.as_str()))
                .collect()
        })
        .unwrap_or_default();
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let mut r = Reply::show();
    for (k, v) in fields {
        r = r.field(k.clone(), v.clone());
    }
    for (k, s) in styles {
        r = r.style(k, s);
    }
    r
}

/// Lists every object (following pagination), parsing only the fields `cols` show.
pub fn list(host: &Host, r: &Resource, query: &[(String, String)], cols: &[Col]) -> Result<Reply> {
    let keys = top_level_fields(cols);
    let items = r.list_fields(host, query, Fields::Only(&keys))?;
    Ok(list_reply_owned(items, cols))
}

/// Shows one object found by name or ID, with `cols`.
pub fn show(host: &Host, r: &Resource, name_or_id: &str, cols: &[Col]) -> Result<Reply> {
    Ok(show_reply(&r.find(host, name_or_id)?, cols))
}

/// Shows one object found by name or ID, every field sorted.
pub fn show_sorted(host: &Host, r: &Resource, name_or_id: &str, drop: &[&str]) -> Result<Reply> {
    Ok(sorted_reply(&r.find(host, name_or_id)?, drop, &[]))
}

/// Deletes each name or ID, several at once ([`crate::concurrent`]); every failure is
/// reported in the order given, then "N of M <plural> failed to delete." as OSC does.
pub fn delete(host: &Host, r: &Resource, names: &[String], plural: &str) -> Result<Reply> {
    crate::concurrent::for_each_named(host, names, r.display, plural, "delete", |h, n| {
        let id = r.find_id(h, n)?;
        r.delete(h, &id)
    })?;
    Ok(Reply::None)
}

/// A request body built from arguments, skipping those not given (OSC sends only what the
/// user set).
#[derive(Debug, Clone, Default)]
pub struct Body(pub Map<String, Value>);

impl Body {
    pub fn new() -> Self {
        Body::default()
    }
    /// `key: value` when `value` is given.
    pub fn opt(mut self, key: &str, value: Option<impl Into<Value>>) -> Self {
        if let Some(v) = value {
            self.0.insert(key.to_string(), v.into());
        }
        self
    }
    /// `key: value` always.
    pub fn set(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.0.insert(key.to_string(), value.into());
        self
    }
    /// `key: <the string argument arg>` when given.
    pub fn arg(self, key: &str, args: &Args, arg: &str) -> Self {
        let v = args.str(arg).map(str::to_string);
        self.opt(key, v)
    }
    /// `key: true` for `--<on>`, `false` for `--<off>`, nothing for neither.
    pub fn switch(self, key: &str, args: &Args, on: &str, off: &str) -> Self {
        let v = if args.flag(on) {
            Some(true)
        } else if args.flag(off) {
            Some(false)
        } else {
            None
        };
        self.opt(key, v)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

/// An argument-derived error in OSC's words.
pub fn usage(msg: impl Into<String>) -> Error {
    Error::other(msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn owned_rows_are_the_borrowed_rows() {
        let items = vec![
            json!({"id": "1", "gw": {"net": "n1", "ip": "a"}, "tags": ["x"]}),
            json!({"id": "2"}),
        ];
        let distinct = [
            col("ID", "id"),
            col("Net", "gw.net"),
            col_list("Tags", "tags"),
        ];
        // A field shown twice, and one inside another shown one: copied, not moved.
        let shared = [
            col("ID", "id"),
            col("Again", "id"),
            col("GW", "gw"),
            col("Net", "gw.net"),
        ];
        for cols in [&distinct[..], &shared[..]] {
            assert_eq!(
                list_reply_owned(items.clone(), cols),
                list_reply(&items, cols)
            );
        }
        assert!(distinct_fields(&distinct) && !distinct_fields(&shared));
        assert!(!distinct_fields(&[col("A", "gw.net"), col("B", "gw")]));
        assert!(distinct_fields(&[col("A", "gwx"), col("B", "gw")]));
    }
}
