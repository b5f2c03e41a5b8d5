//! What many network commands share, written once: the owner project (`--project` with
//! `--project-domain`), tags (`--tag`/`--no-tag` on create and set, `--tag`/`--all-tag` on
//! unset, as osc_lib's `utils.tags`), `--extra-property`, and OSC's sorted show columns.

use osc_plugin_sdk::osc_api::lookup;
use osc_plugin_sdk::verbs::{self, Body, Col};
use osc_plugin_sdk::{json, Args, Error, Host, Reply, Request, Resource, Result, Value};

pub const NET: &str = "network";

/// The ID of `--project` (scoped by `--project-domain`), as OSC's
/// `identity_common.find_project`; `None` when not given.
pub fn project(host: &Host, args: &Args) -> Result<Option<String>> {
    project_of(host, args, "project", "project_domain")
}

/// [`project`] for other option names (`--target-project`...).
pub fn project_of(host: &Host, args: &Args, opt: &str, domain: &str) -> Result<Option<String>> {
    match args.str(opt) {
        Some(p) => Ok(Some(lookup::project_id(host, p, args.str(domain))?)),
        None => Ok(None),
    }
}

/// The tags a create sets (`--tag`, unless `--no-tag`), sorted; `None` when none.
pub fn create_tags(args: &Args) -> Option<Vec<String>> {
    let mut tags = args.list("tag");
    if args.flag("no_tag") || tags.is_empty() {
        return None;
    }
    tags.sort();
    tags.dedup();
    Some(tags)
}

/// The tags after `set`: cleared by `--no-tag`, then `--tag` added; `None` when unchanged.
pub fn set_tags(current: &Value, args: &Args) -> Option<Vec<String>> {
    let before = tags_of(current);
    let mut tags = if args.flag("no_tag") {
        Vec::new()
    } else {
        before.clone()
    };
    tags.extend(args.list("tag"));
    tags.sort();
    tags.dedup();
    (tags != before).then_some(tags)
}

/// The tags after `unset`: all gone with `--all-tag`, else those of `--tag` removed.
pub fn unset_tags(current: &Value, args: &Args) -> Option<Vec<String>> {
    let before = tags_of(current);
    let tags: Vec<String> = if args.flag("all_tag") {
        Vec::new()
    } else {
        let drop = args.list("tag");
        before
            .iter()
            .filter(|t| !drop.contains(t))
            .cloned()
            .collect()
    };
    (tags != before).then_some(tags)
}

fn tags_of(v: &Value) -> Vec<String> {
    let mut t: Vec<String> = v["tags"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    t.sort();
    t
}

/// Replaces the tags of the object at `item_path` (`/networks/<id>`).
pub fn put_tags(host: &Host, item_path: &str, tags: &[String]) -> Result<()> {
    host.request(Request::put(NET, format!("{item_path}/tags")).json(json!({"tags": tags})))?
        .ok()
        .map(drop)
}

/// `--extra-property type=<type>,name=<name>,value=<value>` as (name, typed value), as
/// OSC's `NeutronCommandWithExtraArgs`: types str, int, bool, list (`;`-separated), dict
/// (`;`-separated `key:value`).
pub fn extra_properties(args: &Args) -> Result<Vec<(String, Value)>> {
    let mut out = Vec::new();
    for spec in args.list("extra_property") {
        let mut ty = "str".to_string();
        let (mut name, mut value) = (None, None);
        for part in spec.split(',') {
            match part.split_once('=') {
                Some(("type", t)) => ty = t.to_string(),
                Some(("name", n)) => name = Some(n.to_string()),
                Some(("value", v)) => value = Some(v.to_string()),
                _ => {
                    return Err(Error::other(format!(
                        "Invalid extra property {spec:?}: expected type=<type>,name=<name>,value=<value>"
                    )))
                }
            }
        }
        let (Some(name), Some(value)) = (name, value) else {
            return Err(Error::other(format!(
                "Invalid extra property {spec:?}: name and value are required"
            )));
        };
        let typed = match ty.as_str() {
            "str" => Value::String(value),
            "int" => value
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| Error::other(format!("Type {ty} of property {name} could not convert value {value:?}")))?,
            "bool" => Value::Bool(value.eq_ignore_ascii_case("true")),
            "list" => Value::from(value.split(';').map(str::to_string).collect::<Vec<_>>()),
            "dict" => {
                let mut m = osc_plugin_sdk::Map::new();
                for kv in value.split(';') {
                    let (k, v) = kv.split_once(':').unwrap_or((kv, ""));
                    m.insert(k.to_string(), Value::String(v.to_string()));
                }
                Value::Object(m)
            }
            other => {
                return Err(Error::other(format!(
                    "Type {other} of property {name} is not supported; use str, int, bool, list or dict"
                )))
            }
        };
        out.push((name, typed));
    }
    Ok(out)
}

/// An openstacksdk resource's declared body attributes: (attribute name, body key), as
/// `resource.Body('shared')` declares `is_shared`. `NetworkResource` subclasses declare
/// `revision_number` too; every resource declares `id` and `name`.
pub type Attrs = &'static [(&'static str, &'static str)];

/// The record python-openstackclient shows for an SDK resource
/// (`utils.get_osc_show_columns_for_sdk_resource`): every declared attribute under its
/// attribute name (null when the body lacks it; `tags` defaults to `[]`), every key of the
/// body the SDK does not declare (`_allow_unknown_attrs_in_body`), less `hidden`, with OSC's
/// `renames` (attribute, column) applied, sorted by column.
pub fn sdk_record(
    obj: &Value,
    attrs: Attrs,
    hidden: &[&str],
    renames: &[(&str, &str)],
) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::new();
    for (attr, key) in attrs {
        let v = match obj.get(*key) {
            Some(v) => v.clone(),
            None if *attr == "tags" => json!([]),
            None => Value::Null,
        };
        out.push((attr.to_string(), v));
    }
    if let Some(m) = obj.as_object() {
        for (k, v) in m {
            if !attrs.iter().any(|(_, key)| key == k) {
                out.push((k.clone(), v.clone()));
            }
        }
    }
    out.retain(|(k, _)| !hidden.contains(&k.as_str()));
    for (k, _) in out.iter_mut() {
        if let Some((_, col)) = renames.iter().find(|(a, _)| a == k) {
            *k = col.to_string();
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// [`sdk_record`] as a show reply, with table `styles` per column.
pub fn sdk_show(
    obj: &Value,
    attrs: Attrs,
    hidden: &[&str],
    renames: &[(&str, &str)],
    styles: &[(&str, &str)],
) -> Reply {
    let mut r = Reply::show();
    for (k, v) in sdk_record(obj, attrs, hidden, renames) {
        r = r.field(k, v);
    }
    for (k, s) in styles {
        r = r.style(k, s);
    }
    r
}

/// The query of `--marker`, `--limit` and `--max-items` (OSC's marker pagination options), as
/// openstacksdk sends it: `limit` is `--max-items` when `--limit` is not given.
pub fn page_query(args: &Args, q: &mut Vec<(String, String)>) -> Result<()> {
    if let Some(m) = args.str("marker") {
        q.push(("marker".into(), m.to_string()));
    }
    if let Some(l) = args.int("limit")?.or(args.int("max_items")?) {
        q.push(("limit".into(), l.to_string()));
    }
    Ok(())
}

/// Every object of a listing (all pages, as openstacksdk follows them even with a limit),
/// at most `--max-items` of them.
pub fn list_items(
    host: &Host,
    r: &Resource,
    q: &[(String, String)],
    args: &Args,
) -> Result<Vec<Value>> {
    let mut items = r.list(host, q)?;
    if let Some(n) = args.int("max_items")? {
        items.truncate(usize::try_from(n).unwrap_or(0));
    }
    Ok(items)
}

/// A listing with OSC's pagination options, shown with `cols`.
pub fn list_paged(
    host: &Host,
    r: &Resource,
    mut q: Vec<(String, String)>,
    args: &Args,
    cols: &[Col],
) -> Result<Reply> {
    page_query(args, &mut q)?;
    Ok(verbs::list_reply(&list_items(host, r, &q, args)?, cols))
}

/// `key=value` for a query.
pub fn qp(key: &str, value: impl ToString) -> (String, String) {
    (key.to_string(), value.to_string())
}

/// `--stateful`/`--stateless`-style pairs: `Some(true)`, `Some(false)` or `None`.
pub fn either(args: &Args, on: &str, off: &str) -> Option<bool> {
    if args.flag(on) {
        Some(true)
    } else if args.flag(off) {
        Some(false)
    } else {
        None
    }
}

/// The body with `--extra-property` values merged in (they win, as OSC's `attrs.update`).
pub fn with_extra(mut body: Body, args: &Args) -> Result<Body> {
    for (k, v) in extra_properties(args)? {
        body.0.insert(k, v);
    }
    Ok(body)
}

/// Sends an update when there is something to change (openstacksdk commits nothing for an
/// empty update).
pub fn update_if_any(host: &Host, r: &Resource, id: &str, body: Body) -> Result<()> {
    if !body.is_empty() {
        r.update(host, id, "PUT", body.into_value())?;
    }
    Ok(())
}

/// Deletes each name or ID with `f`, as OSC's delete loops whose words are their own:
/// each failure logged as "Failed to delete <what> '<name>': <error>", then
/// "N of M <plural> failed to delete.".
pub fn delete_each(
    host: &Host,
    names: &[String],
    what: &str,
    plural: &str,
    mut f: impl FnMut(&str) -> Result<()>,
) -> Result<Reply> {
    let mut failed = 0;
    for n in names {
        if let Err(e) = f(n) {
            failed += 1;
            host.warn(&format!("Failed to delete {what} '{n}': {e}"));
        }
    }
    if failed > 0 {
        return Err(Error::other(format!(
            "{failed} of {} {plural} failed to delete.",
            names.len()
        )));
    }
    Ok(Reply::None)
}

/// A boolean as openstacksdk puts it in a query (Python's `True`/`False`).
pub fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}
