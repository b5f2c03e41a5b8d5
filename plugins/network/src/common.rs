//! What many network commands share, written once: the owner project (`--project` with
//! `--project-domain`), tags (`--tag`/`--no-tag` on create and set, `--tag`/`--all-tag` on
//! unset, as osc_lib's `utils.tags`), `--extra-property`, and OSC's sorted show columns.

use osc_plugin_sdk::osc_api::error::ErrorStatus;
use osc_plugin_sdk::osc_api::request::Request as OscRequest;
use osc_plugin_sdk::osc_api::resource::{self, Transport};
use osc_plugin_sdk::osc_api::{lookup, Resource};
use osc_plugin_sdk::verbs::{self, Body, Col};
use osc_plugin_sdk::{json, Args, Error, Fields, Host, Map, Method, Reply, Request, Result, Value};

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

/// `--extra-property` values set on `body`, last (they override the options).
pub fn with_extra_properties(mut body: Body, args: &Args) -> Result<Body> {
    for (k, v) in extra_properties(args)? {
        body = body.set(&k, v);
    }
    Ok(body)
}

/// An openstacksdk resource's declared body attributes: (attribute name, body key), as
/// `resource.Body('shared')` declares `is_shared`. `NetworkResource` subclasses declare
/// `revision_number` too; every resource declares `id` and `name`.
pub type Attrs = &'static [(&'static str, &'static str)];

/// The record python-openstackclient shows for an SDK resource
/// (`utils.get_osc_show_columns_for_sdk_resource`): every declared attribute (null when the
/// body lacks it; `tags` defaults to `[]`, `false_default` ones to `false`), every key of the
/// body the SDK does not declare (`_allow_unknown_attrs_in_body`), less `hidden` (by
/// attribute or column name), with OSC's `renames` (attribute, column) applied, sorted.
pub fn sdk_record(obj: &Value, shape: &SdkShape) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::new();
    for (attr, key) in shape.attrs {
        let v = match verbs::field(obj, key) {
            Value::Null if *attr == "tags" => json!([]),
            Value::Null if shape.false_default.contains(attr) => Value::Bool(false),
            v => v,
        };
        out.push((attr.to_string(), v));
    }
    if let Some(m) = obj.as_object() {
        for (k, v) in m {
            if !shape.attrs.iter().any(|(_, key)| key == k) {
                out.push((k.clone(), v.clone()));
            }
        }
    }
    out.retain(|(k, _)| !shape.hidden.contains(&k.as_str()));
    for (k, _) in out.iter_mut() {
        if let Some((_, col)) = shape.renames.iter().find(|(a, _)| a == k) {
            *k = col.to_string();
        }
    }
    out.retain(|(k, _)| !shape.hidden.contains(&k.as_str()));
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// [`sdk_record`] as a show reply, with the shape's table styles.
pub fn sdk_attrs_show(
    obj: &Value,
    attrs: Attrs,
    hidden: &[&str],
    renames: &[(&str, &str)],
    styles: &[(&str, &str)],
) -> Reply {
    SdkShape {
        attrs,
        renames,
        hidden,
        false_default: &[],
        styles,
    }
    .reply(obj)
}

/// A show whose columns are `known` (column, body field, style) plus the body's other
/// members, less `hidden` (the SDK keeps unknown attributes), sorted.
pub fn sdk_show(obj: &Value, known: &[Col], hidden: &[&str]) -> Reply {
    let attrs: Vec<(&str, &str)> = known.iter().map(|c| (c.header, c.field)).collect();
    let styles: Vec<(&str, &str)> = known
        .iter()
        .filter(|c| c.style != "raw")
        .map(|c| (c.header, c.style))
        .collect();
    SdkShape {
        attrs: &attrs,
        renames: &[],
        hidden,
        false_default: &[],
        styles: &styles,
    }
    .reply(obj)
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

// ---- openstacksdk's calls: its error wording, its pagination ----

/// openstacksdk's words for an error answer (`raise_from_response`): `message` (the
/// proxy's "No Agent found for x", when it gives one) or "<Exception>: <status>", then
/// ": Client Error for url: <url>, <the service's message>". A 404 is a lookup failure.
pub fn sdk_error(status: u16, url: &str, body: &str, message: Option<String>) -> Error {
    let details = osc_plugin_sdk::error_message(body)
        .unwrap_or_else(|| osc_plugin_sdk::osc_api::error_body::reason(status).to_string());
    sdk_wording(status, url, &details, message)
}

/// openstacksdk's exception class for a status.
fn sdk_class_of(status: u16) -> &'static str {
    match status {
        400 => "BadRequestException",
        403 => "ForbiddenException",
        404 => "NotFoundException",
        409 => "ConflictException",
        412 => "PreconditionFailedException",
        _ => "HttpException",
    }
}

/// "<head>: <Client|Server> Error for url: <url>, <details>"; `head` defaults to
/// "<Exception>: <status>". A 404 is a lookup failure.
fn sdk_wording(status: u16, url: &str, details: &str, head: Option<String>) -> Error {
    let head = head.unwrap_or_else(|| format!("{}: {status}", sdk_class_of(status)));
    let source = if (400..500).contains(&status) {
        "Client"
    } else {
        "Server"
    };
    let text = format!("{head}: {source} Error for url: {url}, {details}");
    if status == 404 {
        Error::NotFound(text)
    } else {
        Error::other(text)
    }
}

/// Sends a request as openstacksdk does; an error answer in its words ([`sdk_error`],
/// `missing` being the proxy's message for a 404). The body as JSON (`null` when empty).
pub fn sdk_call(host: &Host, req: Request, missing: Option<String>) -> Result<Value> {
    let mut resp = host.request(req)?;
    if !resp.is_success() {
        let body = resp.text().unwrap_or_default();
        let missing = missing.filter(|_| resp.status == 404);
        return Err(sdk_error(resp.status, &resp.url, &body, missing));
    }
    resp.json()
}

/// An error answer to the listing at `path` with `query`, in openstacksdk's words (the
/// shared list verbs give the host's).
pub fn sdk_list_error(host: &Host, path: &str, query: &[(String, String)], e: Error) -> Error {
    let Error::Http {
        status, message, ..
    } = &e
    else {
        return e;
    };
    let Ok(base) = host.endpoint(NET) else {
        return e;
    };
    let mut url = format!("{}{path}", base.trim_end_matches('/'));
    let pairs: Vec<String> = query
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                resource::encode_segment(k),
                resource::encode_segment(v)
            )
        })
        .collect();
    if !pairs.is_empty() {
        url = format!("{url}?{}", pairs.join("&"));
    }
    sdk_wording(*status, &url, message, None)
}

/// The SDK class name of a resource (`Flavor`) for its messages.
fn class_of(r: &Resource) -> String {
    r.sdk_class
        .map(str::to_string)
        .unwrap_or_else(|| osc_plugin_sdk::osc_api::resource::sdk_class(r.display))
}

/// `GET` one object by ID as the proxy's `get_*`: a 404 reads "No <Class> found for <id>: ...".
pub fn sdk_get(host: &Host, r: &Resource, id: &str) -> Result<Value> {
    let missing = format!("No {} found for {id}", class_of(r));
    let v = sdk_call(
        host,
        Request::get(r.service, r.item_path(id)),
        Some(missing),
    )?;
    Ok(r.unwrap_one(v))
}

/// `POST` the object wrapped in the singular key, as the proxy's `create_*`.
pub fn sdk_create(host: &Host, r: &Resource, obj: Value) -> Result<Value> {
    let v = sdk_call(
        host,
        Request::post(r.service, r.path).json(r.wrap(obj)),
        None,
    )?;
    Ok(r.unwrap_one(v))
}

/// `PUT` the changed fields (wrapped), as the proxy's `update_*`; nothing is sent when
/// nothing changes (`null` then).
pub fn sdk_update(host: &Host, r: &Resource, id: &str, obj: Value) -> Result<Value> {
    if obj.as_object().is_some_and(|m| m.is_empty()) {
        return Ok(Value::Null);
    }
    let req = Request::put(r.service, r.item_path(id)).json(r.wrap(obj));
    Ok(r.unwrap_one(sdk_call(host, req, None)?))
}

/// `DELETE` by ID, as the proxy's `delete_*(ignore_missing=False)`.
pub fn sdk_delete(host: &Host, r: &Resource, id: &str) -> Result<()> {
    sdk_call(host, Request::delete(r.service, r.item_path(id)), None).map(drop)
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

/// Query parameters, in order.
pub type Query = Vec<(String, String)>;

/// `--marker`, `--limit` and `--max-items` (OSC's marker pagination options) as the query
/// openstacksdk sends (a `--max-items` without `--limit` is also the page size), and the
/// most items to return.
pub fn paging(args: &Args) -> Result<(Query, Option<usize>)> {
    let mut q = Vec::new();
    if let Some(m) = args.str("marker") {
        q.push(("marker".to_string(), m.to_string()));
    }
    let limit = args.int("limit")?;
    let max = args.int("max_items")?;
    if let Some(l) = limit.or(max) {
        q.push(("limit".to_string(), l.to_string()));
    }
    Ok((q, max.map(|m| m.max(0) as usize)))
}

/// Lists `r` with `query`, following next links until the end or `max` items, as
/// openstacksdk's paginated list.
pub fn list_max(
    host: &Host,
    r: &Resource,
    query: &[(String, String)],
    max: Option<usize>,
) -> Result<Vec<Value>> {
    list_at(host, r.list_path.unwrap_or(r.path), r.plural, query, max)
}

/// [`list_max`] of the collection at `path` (a resource under another, `/routers/<id>/...`)
/// whose items are under `key`.
pub fn list_at(
    host: &Host,
    path: &str,
    key: &str,
    query: &[(String, String)],
    max: Option<usize>,
) -> Result<Vec<Value>> {
    pages_at(host, path, key, query, max).map_err(|e| sdk_list_error(host, path, query, e))
}

fn pages_at(
    host: &Host,
    path: &str,
    key: &str,
    query: &[(String, String)],
    max: Option<usize>,
) -> Result<Vec<Value>> {
    let mut req = OscRequest::new(Method::GET, NET, path).queries(query);
    let Some(max) = max else {
        return resource::list_pages(host, req, key, Fields::All);
    };
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    loop {
        let page = host.page(req.clone(), key, Fields::All)?;
        out.extend(page.items);
        if out.len() >= max {
            out.truncate(max);
            return Ok(out);
        }
        let Some(next) = resource::next_link(&page.links, key) else {
            return Ok(out);
        };
        let url = resource::resolve_link(&host.endpoint(NET)?, &next);
        if !seen.insert(url.clone()) {
            return Ok(out);
        }
        req.query.clear();
        req.path = url;
    }
}

/// A list command with OSC's pagination options over `r`, shown under `cols`.
pub fn list_paged(
    host: &Host,
    r: &Resource,
    args: &Args,
    mut query: Vec<(String, String)>,
    cols: &[Col],
) -> Result<Reply> {
    let (paging, max) = paging(args)?;
    query.extend(paging);
    Ok(verbs::list_reply(&list_max(host, r, &query, max)?, cols))
}

/// The ID of the token's project, as openstacksdk's `get_project_id()`: Neutron's answer
/// to `GET /quotas/project` (the plugin does not see the token).
pub fn token_project(host: &Host) -> Result<String> {
    let v = sdk_call(host, Request::get(NET, "/quotas/project"), None)?;
    v["project"]["project_id"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| Error::other("Neutron did not tell the project of the token"))
}

/// Lookups of resources that many commands name (openstacksdk's `find_*` wording).
pub const NETWORKS: Resource =
    Resource::new(NET, "/networks", "network", "networks").sdk("Network");
pub const SUBNETS: Resource = Resource::new(NET, "/subnets", "subnet", "subnets").sdk("Subnet");
pub const PORTS: Resource = Resource::new(NET, "/ports", "port", "ports").sdk("Port");
pub const ROUTERS: Resource = Resource::new(NET, "/routers", "router", "routers").sdk("Router");
pub const SECURITY_GROUPS: Resource =
    Resource::new(NET, "/security-groups", "security_group", "security_groups")
        .display("security group")
        .sdk("SecurityGroup");
pub const QOSPOLICIES: Resource = Resource::new(NET, "/qos/policies", "policy", "policies")
    .display("QoS policy")
    .sdk("QoSPolicy");
pub const ADDR_SCOPES: Resource =
    Resource::new(NET, "/address-scopes", "address_scope", "address_scopes")
        .display("address scope")
        .sdk("AddressScope");
pub const SUBNET_POOLS: Resource = Resource::new(NET, "/subnetpools", "subnetpool", "subnetpools")
    .display("subnet pool")
    .sdk("SubnetPool");

/// One `key=value,key=value` option as osc_lib's `MultiKeyValueAction` parses it (in the
/// given order), with its key checks; `comma` continues a value past commas
/// (`MultiKeyValueCommaAction`).
pub fn key_values(
    opt: &str,
    spec: &str,
    required: &[&str],
    optional: &[&str],
    comma: bool,
) -> Result<Map<String, Value>> {
    let mut m = Map::new();
    let mut last: Option<String> = None;
    for kv in spec.split(',') {
        match kv.split_once('=') {
            Some(("", _)) if comma => {
                return Err(arg_error(
                    opt,
                    &format!("A key must be specified before '=': {kv}"),
                ))
            }
            Some(("", _)) => {
                return Err(arg_error(
                    opt,
                    &format!("Each property key must be specified: {kv}"),
                ))
            }
            Some((k, v)) => {
                m.insert(k.to_string(), Value::String(v.to_string()));
                last = Some(k.to_string());
            }
            None if comma => match last.as_ref().and_then(|k| m.get_mut(k)) {
                Some(Value::String(prev)) => *prev = format!("{prev},{kv}"),
                _ => {
                    return Err(arg_error(
                        opt,
                        &format!("A key=value pair is required: {kv}"),
                    ))
                }
            },
            None => {
                return Err(arg_error(
                    opt,
                    &format!("Expected comma separated 'key=value' pairs, but got: {kv}"),
                ))
            }
        }
    }
    let valid: Vec<&str> = required.iter().chain(optional).copied().collect();
    if !valid.is_empty() {
        let invalid: Vec<&str> = m
            .keys()
            .map(String::as_str)
            .filter(|k| !valid.contains(k))
            .collect();
        if !invalid.is_empty() {
            return Err(arg_error(
                opt,
                &format!(
                    "Invalid keys {} specified.\nValid keys are: {}",
                    invalid.join(", "),
                    valid.join(", ")
                ),
            ));
        }
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|k| !m.contains_key(*k))
        .collect();
    if !missing.is_empty() {
        return Err(arg_error(
            opt,
            &format!(
                "Missing required keys {}.\nRequired keys are: {}",
                missing.join(", "),
                required.join(", ")
            ),
        ));
    }
    Ok(m)
}

/// [`key_values`] for every value of a repeatable option (`arg` names it in the manifest).
pub fn key_values_all(
    args: &Args,
    arg: &str,
    required: &[&str],
    optional: &[&str],
) -> Result<Vec<Map<String, Value>>> {
    let opt = format!("--{}", arg.replace('_', "-"));
    args.list(arg)
        .iter()
        .map(|s| key_values(&opt, s, required, optional, false))
        .collect()
}

/// argparse's wording for a bad option value.
pub fn arg_error(opt: &str, msg: &str) -> Error {
    Error::other(format!("argument {opt}: {msg}"))
}

/// `--extra-property` of unset commands: each named property set to `null`.
pub fn unset_extra_properties(args: &Args) -> Result<Vec<(String, Value)>> {
    Ok(extra_properties(args)?
        .into_iter()
        .map(|(k, _)| (k, Value::Null))
        .collect())
}

/// `--tags`, `--any-tags`, `--not-tags`, `--not-any-tags` as list filters (osc_lib's
/// `get_tag_filtering_args`, under openstacksdk's query names).
pub fn tag_filters(args: &Args, q: &mut Vec<(String, String)>) {
    for (arg, key) in [
        ("tags", "tags"),
        ("any_tags", "tags-any"),
        ("not_tags", "not-tags"),
        ("not_any_tags", "not-tags-any"),
    ] {
        if let Some(v) = args.str(arg) {
            q.push((key.to_string(), v.to_string()));
        }
    }
}

/// `--marker`, `--limit` and `--max-items` applied to a listing of `r` with `q` ([`paging`],
/// [`list_max`]).
pub fn paged(host: &Host, r: &Resource, mut q: Query, args: &Args) -> Result<Vec<Value>> {
    let (paging, max) = paging(args)?;
    q.extend(paging);
    list_max(host, r, &q, max)
}

/// Whether Neutron has the extension (`find_extension(alias, ignore_missing=True)`).
pub fn has_extension(host: &Host, alias: &str) -> Result<bool> {
    let r = host.request(Request::get(NET, format!("/extensions/{alias}")))?;
    match r.status {
        404 => Ok(false),
        _ => r.ok().map(|_| true),
    }
}

/// OSC's `check_missing_extension_if_error`: when a create or update failed and it used an
/// option that needs an extension Neutron lacks (by OSC's attribute names, so a port's
/// `security_groups` never matches), "No Extension found for <alias>" instead.
pub fn explain_failure(host: &Host, attrs: &Map<String, Value>, e: Error) -> Error {
    const NEEDS: &[(&str, &str)] = &[
        ("allowed_address_pairs", "allowed-address-pairs"),
        ("dns_domain", "dns-integration"),
        ("dns_name", "dns-integration"),
        ("extra_dhcp_opts", "extra_dhcp_opt"),
        ("leak_routes", "ovn-bgp"),
        ("qos_policy_id", "qos"),
    ];
    if e.status().is_none() {
        return e;
    }
    for (opt, ext) in NEEDS {
        if attrs.contains_key(*opt) && matches!(has_extension(host, ext), Ok(false)) {
            return Error::NotFound(format!("No Extension found for {ext}"));
        }
    }
    e
}

/// A created or updated object's tags after [`put_tags`] (the SDK updates them in place).
pub fn with_tags(mut obj: Value, tags: Option<Vec<String>>) -> Value {
    if let (Some(t), Some(m)) = (tags, obj.as_object_mut()) {
        m.insert("tags".into(), json!(t));
    }
    obj
}

/// `set`'s tags (`--tag`, `--no-tag`) applied to `current` at `item_path`.
pub fn apply_set_tags(
    host: &Host,
    item_path: &str,
    current: &Value,
    args: &Args,
) -> Result<Option<Vec<String>>> {
    let tags = set_tags(current, args);
    if let Some(t) = &tags {
        put_tags(host, item_path, t)?;
    }
    Ok(tags)
}

/// `unset`'s tags (`--tag`, `--all-tag`) applied to `current` at `item_path`.
pub fn apply_unset_tags(host: &Host, item_path: &str, current: &Value, args: &Args) -> Result<()> {
    if let Some(t) = unset_tags(current, args) {
        put_tags(host, item_path, &t)?;
    }
    Ok(())
}

/// Python's `repr` of a JSON value (`{'ip_address': '10.0.0.5'}`), as OSC's messages show them.
pub fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("'{s}'"),
        Value::Array(a) => format!("[{}]", a.iter().map(py_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("'{k}': {}", py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Members openstacksdk declares `type=int` (Neutron sends some as strings: a subnet pool's
/// `"default_prefixlen": "24"`), converted as the SDK does.
pub fn ints(mut obj: Value, keys: &[&str]) -> Value {
    for k in keys {
        if let Some(n) = obj[*k].as_str().and_then(|s| s.trim().parse::<i64>().ok()) {
            obj[*k] = json!(n);
        }
    }
    obj
}

/// How OSC shows an openstacksdk network resource ([`sdk_record`]): its attributes
/// `(attribute, body key)`, OSC's renames (attribute → column), hidden names, attributes
/// shown `false` when absent, and table styles by column (`("subnets", "list")`).
pub struct SdkShape<'a> {
    pub attrs: &'a [(&'a str, &'a str)],
    pub renames: &'a [(&'a str, &'a str)],
    pub hidden: &'a [&'a str],
    pub false_default: &'a [&'a str],
    pub styles: &'a [(&'a str, &'a str)],
}

impl SdkShape<'_> {
    /// The columns and values, sorted by column.
    pub fn fields(&self, obj: &Value) -> Vec<(String, Value)> {
        sdk_record(obj, self)
    }

    pub fn reply(&self, obj: &Value) -> Reply {
        let mut r = Reply::show();
        for (k, v) in self.fields(obj) {
            r = r.field(k, v);
        }
        for (c, s) in self.styles {
            r = r.style(c, s);
        }
        r
    }
}

/// A boolean as openstacksdk puts it in a query (Python's `True`/`False`).
pub fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}
