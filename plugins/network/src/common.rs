//! What many network commands share, written once: the owner project (`--project` with
//! `--project-domain`), tags (`--tag`/`--no-tag` on create and set, `--tag`/`--all-tag` on
//! unset, as osc_lib's `utils.tags`), `--extra-property`, and OSC's sorted show columns.

use osc_plugin_sdk::osc_api::lookup;
use osc_plugin_sdk::{json, Args, Error, Host, Request, Result, Value};

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
