//! `stack …`: python-heatclient's `osc/v1/stack.py` (create, update, delete, list, show,
//! actions, outputs, template, environment, files, abandon, adopt, export, hooks) and
//! `stack_failures.py`.

use crate::events::{self, wait_for};
use crate::heat::{self, attr, get, ident, or_not_found, send, stack_not_found, strings, SVC};
use crate::template::{self, Files};
use osc_plugin_sdk::osc_api::resource::encode_segment;
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Request, Result, Value};
use std::time::Duration;

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    let sub = command.strip_prefix("stack ")?;
    Some(match sub {
        "create" => create(host, args),
        "update" => update(host, args),
        "delete" => delete(host, args),
        "list" => list(host, args),
        "show" => show(host, args),
        "environment show" => env_show(host, args),
        "file list" => file_list(host, args),
        "template show" => template_show(host, args),
        "abandon" => abandon_export(host, args, true),
        "export" => abandon_export(host, args, false),
        "adopt" => adopt(host, args),
        "output list" => output_list(host, args),
        "output show" => output_show(host, args),
        "suspend" => action(host, args, "suspend", "SUSPEND"),
        "resume" => action(host, args, "resume", "RESUME"),
        "check" => action(host, args, "check", "CHECK"),
        "cancel" => cancel(host, args),
        "hook poll" => hook_poll(host, args),
        "hook clear" => hook_clear(host, args),
        "failures list" => failures(host, args),
        _ => return None,
    })
}

const SHORT: &[&str] = &[
    "id",
    "stack_name",
    "description",
    "creation_time",
    "updated_time",
    "stack_status",
    "stack_status_reason",
];

/// `_show_stack`: the short record after create/update, or every field for `stack show`.
fn show_stack(host: &Host, stack: &str, short: bool, resolve_outputs: bool) -> Result<Reply> {
    let resolve = !short && resolve_outputs;
    let data = heat::get_stack(host, stack, resolve).map_err(|e| {
        if heat::is_not_found(&e) {
            stack_not_found(stack)
        } else {
            e
        }
    })?;
    let mut columns = strings(SHORT);
    if !short {
        columns.push("parameters".into());
        if resolve {
            columns.push("outputs".into());
        }
        columns.push("links".into());
        if let Some(m) = data.as_object() {
            for k in m.keys() {
                if !columns.contains(k) && k != "template_description" {
                    columns.push(k.clone());
                }
            }
        }
    }
    let mut r = heat::record(&data, &columns);
    if !short {
        // `YamlColumn`s in tables.
        for c in ["parameters", "outputs", "links", "tags"] {
            r = r.style(c, "yaml");
        }
    }
    Ok(r)
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    show_stack(
        host,
        args.req("stack")?,
        false,
        !args.flag("no_resolve_outputs"),
    )
}

/// Template, environments and parameters of create, update and validate.
pub struct Prepared {
    pub template: Option<Value>,
    pub files: Files,
    pub env: Map<String, Value>,
    pub env_urls: Vec<String>,
    pub parameters: Map<String, Value>,
}

pub fn prepare(args: &Args, hooks: Option<(&str, &str)>, existing: bool) -> Result<Prepared> {
    let fetch_child = !args.has("files_container");
    let tpl_path = args.str("template");
    let (mut files, template) = match tpl_path {
        Some(t) => {
            let (f, t) = template::process_template(t, fetch_child)?;
            (f, Some(t))
        }
        None if existing => (Files::new(), None),
        None => {
            return Err(Error::other(
                "Need to specify exactly one of [--template-file, --template-url or \
                 --template-object] or --existing",
            ))
        }
    };
    let env_paths = args.list("environment");
    let mut envs = if fetch_child {
        template::process_environments(&env_paths, true)?
    } else {
        template::Environments {
            urls: env_paths.clone(),
            ..Default::default()
        }
    };
    let parameters = if args.has("parameter_file") {
        template::all_parameters(
            &args.list("parameter"),
            &args.list("parameter_file"),
            tpl_path,
        )?
    } else {
        template::format_parameters(&args.list("parameter"), true)?
    };
    if let Some((arg, hook)) = hooks {
        let h = args.list(arg);
        if !h.is_empty() {
            template::hooks_to_env(&mut envs.env, &h, hook);
        }
    }
    for (k, v) in envs.files {
        files.insert(k, v);
    }
    Ok(Prepared {
        template,
        files,
        env: envs.env,
        env_urls: envs.urls,
        parameters,
    })
}

impl Prepared {
    fn body(self, args: &Args) -> Result<Map<String, Value>> {
        let mut b = Map::new();
        b.insert("parameters".into(), Value::Object(self.parameters));
        if let Some(t) = self.template {
            b.insert("template".into(), t);
        }
        b.insert("files".into(), Value::Object(self.files));
        b.insert("environment".into(), Value::Object(self.env));
        if !self.env_urls.is_empty() {
            b.insert("environment_files".into(), json!(self.env_urls));
        }
        if let Some(c) = args.str("files_container") {
            b.insert("files_container".into(), json!(c));
        }
        if let Some(t) = args.str("tags").filter(|t| !t.is_empty()) {
            b.insert("tags".into(), json!(t));
        }
        if let Some(t) = args.int("timeout")?.filter(|t| *t != 0) {
            b.insert("timeout_mins".into(), json!(t));
        }
        Ok(b)
    }
}

fn poll_interval(args: &Args) -> Result<Duration> {
    let secs = args.int("poll")?.unwrap_or(5).max(1);
    Ok(Duration::from_secs(secs as u64))
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let name = args.req("name")?;
    let prepared = prepare(args, Some(("pre_create", "pre-create")), false)?;
    let mut body = Map::new();
    body.insert("stack_name".into(), json!(name));
    body.insert(
        "disable_rollback".into(),
        json!(!args.flag("enable_rollback")),
    );
    body.extend(prepared.body(args)?);
    if args.flag("dry_run") {
        let out = send(
            host,
            Request::post(SVC, "/stacks/preview").json(Value::Object(body)),
        )?;
        let mut stack = out.get("stack").cloned().unwrap_or(out);
        // The preview's columns as heatclient formats them in tables.
        if heat::in_table(args) {
            if let Some(m) = stack.as_object_mut() {
                for (k, v) in m.iter_mut() {
                    match k.as_str() {
                        "description" | "template_description" | "stack_status_reason" => {
                            *v = heat::text_wrap(v)
                        }
                        "links" => *v = Value::String(heat::link_text(v)),
                        _ => {}
                    }
                }
            }
        }
        let mut r = sorted_record(&stack);
        for c in ["parameters", "outputs", "resources"] {
            r = r.style(c, "json");
        }
        return Ok(r);
    }
    let out = send(
        host,
        Request::post(SVC, "/stacks").json(Value::Object(body)),
    )?;
    let id = out["stack"]["id"]
        .as_str()
        .ok_or_else(|| Error::BadReply("Heat's answer has no stack ID".into()))?
        .to_string();
    if args.flag("wait") {
        let path = format!("{name}/{id}");
        wait_for(host, &path, Some("CREATE"), None, poll_interval(args)?)?;
    }
    show_stack(host, &id, true, false)
}

/// Every field, sorted by name (`stack create --dry-run`).
fn sorted_record(obj: &Value) -> Reply {
    let mut keys: Vec<&String> = obj
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    keys.sort();
    let mut r = Reply::show();
    for k in keys {
        r = r.field(k.clone(), obj[k.as_str()].clone());
    }
    r
}

fn update(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let existing = args.flag("existing");
    let prepared = prepare(args, Some(("pre_update", "pre-update")), existing)?;
    let mut body = prepared.body(args)?;
    let clear = args.list("clear_parameter");
    if !clear.is_empty() {
        body.insert("clear_parameters".into(), json!(clear));
    }
    match args.str("rollback") {
        Some("enabled") => {
            body.insert("disable_rollback".into(), json!(false));
        }
        Some("disabled") => {
            body.insert("disable_rollback".into(), json!(true));
        }
        _ => {}
    }
    let method = if existing { "PATCH" } else { "PUT" };
    let path = heat::stack_path(host, stack)?;
    if args.flag("dry_run") {
        let mut req = Request::new(method, SVC, format!("{path}/preview"));
        if args.flag("show_nested") {
            req = req.query("show_nested", "True");
        }
        let out = send(host, req.json(Value::Object(body)))?;
        let changes = out["resource_changes"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut keys: Vec<&String> = changes.keys().collect();
        keys.sort();
        let mut r = Reply::show();
        for k in keys {
            r = r.field(k.clone(), changes[k].clone()).style(k, "json");
        }
        return Ok(r);
    }
    let resolved = path.trim_start_matches("/stacks/").to_string();
    let marker = if args.flag("wait") {
        events::last_event_id(host, &resolved)?
    } else {
        None
    };
    if args.flag("converge") {
        body.insert("converge".into(), json!(true));
    }
    send(
        host,
        Request::new(method, SVC, path.clone()).json(Value::Object(body)),
    )?;
    if args.flag("wait") {
        wait_for(
            host,
            &resolved,
            Some("UPDATE"),
            marker,
            Duration::from_secs(5),
        )?;
    }
    show_stack(host, stack, true, false)
}

fn delete(host: &Host, args: &Args) -> Result<Reply> {
    let stacks = args.list("stack");
    if !args.flag("yes") && !heat::confirm("Are you sure you want to delete this stack(s) [y/N]? ")
    {
        host.info("User did not confirm stack delete so taking no action.");
        return Ok(Reply::None);
    }
    let mut failures = 0;
    let mut messages = Vec::new();
    let mut waiting = Vec::new();
    for sid in &stacks {
        let path = match heat::resolve(host, sid) {
            Ok(p) => p,
            Err(e) => {
                failures += 1;
                messages.push(e.to_string());
                continue;
            }
        };
        let marker = if args.flag("wait") {
            match events::last_event_id(host, &path) {
                Ok(m) => m,
                Err(e) => {
                    failures += 1;
                    messages.push(e.to_string());
                    continue;
                }
            }
        } else {
            None
        };
        match send(
            host,
            Request::delete(SVC, format!("/stacks/{}", ident(&path))),
        ) {
            Ok(_) => waiting.push((path, marker)),
            Err(e) if heat::is_not_found(&e) => {
                failures += 1;
                messages.push(format!("Stack not found: {sid}"));
            }
            Err(Error::Other(m)) if m.contains("Forbidden") => {
                failures += 1;
                messages.push(format!("Forbidden: {sid}"));
            }
            Err(e) => {
                failures += 1;
                messages.push(e.to_string());
            }
        }
    }
    if args.flag("wait") {
        for (path, marker) in waiting {
            if let Err(e) = wait_for(host, &path, Some("DELETE"), marker, Duration::from_secs(5)) {
                failures += 1;
                messages.push(e.to_string());
            }
        }
    }
    if failures > 0 {
        // heatclient prints each reason as it goes (to stdout; here to stderr, which is
        // where the plugin's prints go), then fails with its summary.
        for m in &messages {
            eprintln!("{m}");
        }
        return Err(Error::other(format!(
            "Unable to delete {failures} of the {} stacks.",
            stacks.len()
        )));
    }
    Ok(Reply::None)
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut columns = strings(&[
        "ID",
        "Stack Name",
        "Stack Status",
        "Creation Time",
        "Updated Time",
    ]);
    let mut q: Vec<(String, String)> =
        heat::filter_query(&template::format_parameters(&args.list("property"), true)?);
    let limit = args.int("limit")?.filter(|l| *l > 0);
    if let Some(m) = args.str("marker") {
        q.push(("marker".into(), m.to_string()));
    }
    if let Some(tags) = args.str("tags") {
        let key = match args.str("tag_mode") {
            None => "tags",
            Some("any") => "tags_any",
            Some("not") => "not_tags",
            Some("not-any") => "not_tags_any",
            Some(_) => {
                return Err(Error::other(
                    "tag mode must be one of \"any\", \"not\", \"not-any\"",
                ))
            }
        };
        q.push((key.into(), tags.to_string()));
    }
    if args.flag("all_projects") || args.flag("long") {
        q.push(("global_tenant".into(), "True".into()));
    }
    if args.flag("deleted") {
        q.push(("show_deleted".into(), "True".into()));
    }
    if args.flag("hidden") {
        q.push(("show_hidden".into(), "True".into()));
    }
    if args.flag("short") {
        columns.truncate(3);
    }
    if args.flag("long") {
        columns.insert(2, "Stack Owner".into());
    }
    if args.flag("nested") {
        columns.push("Parent".into());
        q.push(("show_nested".into(), "True".into()));
    }
    if args.flag("deleted") {
        columns.push("Deletion Time".into());
    }
    if let Some(p) = args.str("project") {
        let id = osc_plugin_sdk::osc_api::lookup::project_id(host, p, args.str("project_domain"))?;
        q.push(("tenant".into(), id));
    }
    // heatclient pages on with the last ID as marker until --limit is reached.
    let mut stacks: Vec<Value> = Vec::new();
    loop {
        let mut req = Request::get(SVC, "/stacks");
        for (k, v) in &q {
            req = req.query(k, v);
        }
        if let Some(l) = limit {
            req = req.query("limit", l - stacks.len() as i64);
        }
        let page = send(host, req)?["stacks"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let n = page.len();
        let last = page
            .last()
            .and_then(|s| s["id"].as_str())
            .map(str::to_string);
        stacks.extend(page);
        match (limit, last) {
            (Some(l), Some(last)) if n > 0 && (stacks.len() as i64) < l => {
                q.retain(|(k, _)| k != "marker");
                q.push(("marker".into(), last));
            }
            _ => break,
        }
    }
    if stacks.iter().any(|s| s.get("project").is_some()) {
        columns.insert(2, "Project".into());
    }
    heat::sort_items(&mut stacks, args.str("sort"))?;
    Ok(heat::table(columns, &stacks))
}

fn env_show(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let env = or_not_found(
        get(host, format!("/stacks/{}/environment", ident(stack))),
        || format!("Stack not found: {stack}"),
    )?;
    let mut r = Reply::show();
    for f in ["parameters", "resource_registry", "parameter_defaults"] {
        if let Some(v) = env.get(f) {
            r = r.field(f, v.clone());
        }
    }
    Ok(r)
}

fn file_list(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let files = or_not_found(get(host, format!("/stacks/{}/files", ident(stack))), || {
        format!("Stack not found: {stack}")
    })?;
    Ok(Reply::show().field("files", files))
}

fn template_show(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let t = or_not_found(
        get(host, format!("/stacks/{}/template", ident(stack))),
        || format!("Stack not found: {stack}"),
    )?;
    Ok(heat::dict_record(&t))
}

/// Writes `data` as heatclient does (`jsonutils.dumps(.., indent=2)`).
fn write_json(file: &str, data: &Value) -> Result<()> {
    let text = osc_plugin_sdk::serde_json::to_string_pretty(data)
        .map_err(|e| Error::other(e.to_string()))?;
    std::fs::write(file, text).map_err(|e| Error::other(format!("{file}: {e}")))
}

fn abandon_export(host: &Host, args: &Args, abandon: bool) -> Result<Reply> {
    let stack = args.req("stack")?;
    let path = heat::stack_path(host, stack)?;
    let data = if abandon {
        or_not_found(
            send(host, Request::delete(SVC, format!("{path}/abandon"))),
            || format!("Stack not found: {stack}"),
        )?
    } else {
        or_not_found(get(host, format!("{path}/export")), || {
            format!("Stack not found: {stack}")
        })?
    };
    if let Some(f) = args.str("output_file") {
        write_json(f, &data)?;
        return Ok(Reply::None);
    }
    Ok(heat::dict_record(&data))
}

fn adopt(host: &Host, args: &Args) -> Result<Reply> {
    let name = args.req("name")?;
    let adopt_file = args
        .str("adopt_file")
        .ok_or_else(|| Error::other("--adopt-file is required"))?;
    let envs = template::process_environments(&args.list("environment"), false)?;
    let url = template::to_url(adopt_file)?;
    let raw = template::fetch(&url)
        .map_err(|e| Error::other(format!("Could not read adopt file {url}: {e}")))?;
    let adopt_data = String::from_utf8(raw)
        .map_err(|_| Error::other(format!("The adopt file {adopt_file} is not UTF-8 text")))?;
    let parsed = template::yaml_to_json(&adopt_data)
        .map_err(|e| Error::other(format!("Error parsing adopt file {url} {e}")))?;
    let mut files = parsed
        .get("files")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    files.extend(envs.files);
    let mut body = Map::new();
    body.insert("stack_name".into(), json!(name));
    body.insert(
        "disable_rollback".into(),
        json!(!args.flag("enable_rollback")),
    );
    body.insert("adopt_stack_data".into(), json!(adopt_data));
    body.insert(
        "parameters".into(),
        Value::Object(template::format_parameters(&args.list("parameter"), true)?),
    );
    body.insert("files".into(), Value::Object(files));
    body.insert("environment".into(), Value::Object(envs.env));
    body.insert("timeout".into(), json!(args.int("timeout")?));
    let out = send(
        host,
        Request::post(SVC, "/stacks").json(Value::Object(body)),
    )?;
    let id = out["stack"]["id"]
        .as_str()
        .ok_or_else(|| Error::BadReply("Heat's answer has no stack ID".into()))?
        .to_string();
    if args.flag("wait") {
        wait_for(
            host,
            &format!("{name}/{id}"),
            Some("ADOPT"),
            None,
            Duration::from_secs(5),
        )?;
    }
    show_stack(host, &id, true, false)
}

fn output_list(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let outputs =
        match heat::stack_path(host, stack).and_then(|p| get(host, format!("{p}/outputs"))) {
            Ok(o) => o["outputs"].as_array().cloned().unwrap_or_default(),
            Err(e) if heat::is_not_found(&e) => heat::get_stack(host, stack, true)
                .map_err(|_| stack_not_found(stack))?["outputs"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
            Err(e) => return Err(e),
        };
    Ok(heat::table(
        strings(&["output_key", "description"]),
        &outputs,
    ))
}

fn output_show(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let output = args.str("output");
    let all = args.flag("all");
    let key = match (all, output) {
        (false, None) => {
            return Err(Error::other(
                "Either <OUTPUT NAME> or --all must be specified.",
            ))
        }
        (true, Some(_)) => {
            return Err(Error::other("Cannot specify both <OUTPUT NAME> and --all."))
        }
        (true, None) => {
            let s = or_not_found(heat::get_stack(host, stack, true), || {
                format!("Stack not found: {stack}")
            })?;
            let mut r = Reply::show();
            for o in s["outputs"].as_array().cloned().unwrap_or_default() {
                let k = o["output_key"].as_str().unwrap_or("").to_string();
                r = r.field(k.clone(), o).style(&k, "json");
            }
            return Ok(r);
        }
        (false, Some(k)) => k,
    };
    let msg = || format!("Stack {stack} or output {key} not found.");
    let found = heat::stack_path(host, stack)
        .and_then(|p| get(host, format!("{p}/outputs/{}", encode_segment(key))));
    let out = match found {
        Ok(o) => o.get("output").cloned().unwrap_or(o),
        Err(e) if heat::is_not_found(&e) || e.to_string().starts_with("Stack not found") => {
            let s = heat::get_stack(host, stack, true).map_err(|_| Error::other(msg()))?;
            s["outputs"]
                .as_array()
                .and_then(|a| a.iter().find(|o| o["output_key"] == key).cloned())
                .ok_or_else(|| Error::other(msg()))?
        }
        Err(e) => return Err(e),
    };
    if let Some(err) = out.get("output_error") {
        let e = err.as_str().map_or_else(|| err.to_string(), str::to_string);
        return Err(Error::other(format!("Output error: {e}")));
    }
    Ok(heat::dict_record(&out))
}

const ACTION_COLUMNS: &[&str] = &[
    "ID",
    "Stack Name",
    "Stack Status",
    "Creation Time",
    "Updated Time",
];

/// `_stack_action`: posts the action, waits when asked, returns the stack as it is then.
fn stack_action(
    host: &Host,
    args: &Args,
    stack: &str,
    body_key: &str,
    action_name: Option<&str>,
) -> Result<Value> {
    let path = heat::resolve(host, stack)?;
    let marker = if args.flag("wait") {
        events::last_event_id(host, &path)?
    } else {
        None
    };
    let req = Request::post(SVC, format!("/stacks/{}/actions", ident(&path)))
        .json(json!({ body_key: null }));
    or_not_found(send(host, req), || format!("Stack not found: {stack}"))?;
    if args.flag("wait") {
        wait_for(host, &path, action_name, marker, Duration::from_secs(5))?;
    }
    heat::get_stack(host, &path, true)
}

fn action(host: &Host, args: &Args, body_key: &str, action_name: &str) -> Result<Reply> {
    let mut rows = Vec::new();
    for stack in args.list("stack") {
        let data = stack_action(host, args, &stack, body_key, Some(action_name))?;
        rows.push(data);
    }
    Ok(heat::table(strings(ACTION_COLUMNS), &rows))
}

fn cancel(host: &Host, args: &Args) -> Result<Reply> {
    let (key, allowed): (&str, &[&str]) = if args.flag("no_rollback") {
        (
            "cancel_without_rollback",
            &["create_in_progress", "update_in_progress"],
        )
    } else {
        ("cancel_update", &["update_in_progress"])
    };
    let mut rows = Vec::new();
    for stack in args.list("stack") {
        let data = heat::get_stack(host, &stack, true).map_err(|e| {
            if heat::is_not_found(&e) {
                stack_not_found(&stack)
            } else {
                e
            }
        })?;
        let status = data["stack_status"].as_str().unwrap_or("").to_lowercase();
        if !allowed.contains(&status.as_str()) {
            return Err(Error::other(format!(
                "Stack {stack} with status '{status}' not in cancelable state"
            )));
        }
        rows.push(stack_action(host, args, &stack, key, None)?);
    }
    Ok(heat::table(strings(ACTION_COLUMNS), &rows))
}

/// `get_hook_type_via_status`.
fn hook_type_via_status(host: &Host, stack: &str) -> Result<&'static str> {
    let s = heat::get_stack(host, stack, true).map_err(|e| {
        if heat::is_not_found(&e) {
            stack_not_found(stack)
        } else {
            e
        }
    })?;
    let status = s["stack_status"].as_str().unwrap_or("");
    if !status.contains("IN_PROGRESS") {
        return Err(Error::other(format!(
            "Stack status {status} not IN_PROGRESS"
        )));
    }
    if status.contains("CREATE") {
        Ok("pre-create")
    } else if status.contains("UPDATE") {
        Ok("pre-update")
    } else if status.contains("DELETE") {
        Ok("pre-delete")
    } else {
        Err(Error::other(format!(
            "Unexpected stack status {status}, only create, update and delete supported"
        )))
    }
}

fn hook_poll(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let mut columns = strings(&[
        "ID",
        "Resource Status Reason",
        "Resource Status",
        "Event Time",
    ]);
    let nested_depth = match args.str("nested_depth") {
        Some(d) => {
            let n: i64 = d
                .parse()
                .map_err(|_| Error::other(format!("--nested-depth invalid value {d}")))?;
            columns.push("Stack Name".into());
            n
        }
        None => 0,
    };
    let hook_type = hook_type_via_status(host, stack)?;
    let (start, paused, cleared) = match hook_type {
        "pre-create" => (
            "Stack CREATE started",
            "CREATE paused until Hook pre-create is cleared",
            "Hook pre-create is cleared",
        ),
        "pre-update" => (
            "Stack UPDATE started",
            "UPDATE paused until Hook pre-update is cleared",
            "Hook pre-update is cleared",
        ),
        _ => (
            "Stack DELETE started",
            "DELETE paused until Hook pre-delete is cleared",
            "Hook pre-delete is cleared",
        ),
    };
    let mut q = vec![("sort_dir".to_string(), "asc".to_string())];
    if nested_depth > 0 {
        q.push(("nested_depth".into(), nested_depth.to_string()));
    }
    let evs = events::get_events(host, stack, &q)?;
    let stack_name = stack.split('/').next().unwrap_or(stack);
    let start_at = evs
        .iter()
        .rposition(|e| e["resource_status_reason"] == start && e["stack_name"] == stack_name)
        .unwrap_or(0);
    let mut pending: Vec<((String, String), Value)> = Vec::new();
    for e in &evs[start_at..] {
        let key = (
            e["stack_name"].as_str().unwrap_or("").to_string(),
            e["resource_name"].as_str().unwrap_or("").to_string(),
        );
        if e["resource_status_reason"] == paused {
            pending.retain(|(k, _)| *k != key);
            pending.push((key, e.clone()));
        } else if e["resource_status_reason"] == cleared {
            pending.retain(|(k, _)| *k != key);
        }
    }
    let hooks: Vec<Value> = pending.into_iter().map(|(_, e)| e).collect();
    if let Some(first) = hooks.first() {
        if first.get("resource_name").is_some() {
            columns.insert(0, "Resource Name".into());
        } else {
            columns.insert(0, "Logical Resource ID".into());
        }
    }
    Ok(heat::table(columns, &hooks))
}

fn resources_of(host: &Host, stack: &str) -> Result<Vec<Value>> {
    Ok(
        get(host, format!("/stacks/{}/resources", ident(stack)))?["resources"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
    )
}

/// `fnmatch.fnmatchcase` for `*`, `?` and plain characters.
fn glob(pattern: &str, name: &str) -> bool {
    fn m(p: &[char], n: &[char]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some('*'), _) => m(&p[1..], n) || (!n.is_empty() && m(p, &n[1..])),
            (Some('?'), Some(_)) => m(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => m(&p[1..], &n[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    m(&p, &n)
}

fn clear_wildcard_hooks(
    host: &Host,
    stack: &str,
    stack_patterns: &[&str],
    hook_type: &str,
    resource_pattern: &str,
) -> Result<()> {
    for r in resources_of(host, stack)? {
        let name = r["resource_name"].as_str().unwrap_or("");
        if let Some((first, rest)) = stack_patterns.split_first() {
            if glob(first, name) {
                let res = get(
                    host,
                    format!(
                        "/stacks/{}/resources/{}",
                        ident(stack),
                        encode_segment(name)
                    ),
                )?;
                let nested = res["resource"]["physical_resource_id"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                clear_wildcard_hooks(host, &nested, rest, hook_type, resource_pattern)?;
            }
        } else if glob(resource_pattern, name) {
            let path = heat::stack_path(host, stack)?;
            let req = Request::post(
                SVC,
                format!("{path}/resources/{}/signal", encode_segment(name)),
            )
            .json(json!({"unset_hook": hook_type}));
            if let Err(e) = send(host, req) {
                if !heat::is_not_found(&e) {
                    return Err(e);
                }
                host.warn(&format!(
                    "Stack {stack} or resource {name} not found for hook {hook_type}"
                ));
            }
        }
    }
    Ok(())
}

fn hook_clear(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let hook_type = if args.flag("pre_create") {
        "pre-create"
    } else if args.flag("pre_update") {
        "pre-update"
    } else if args.flag("pre_delete") {
        "pre-delete"
    } else {
        hook_type_via_status(host, stack)?
    };
    for h in args.list("hook") {
        let parts: Vec<&str> = h.split('/').filter(|p| !p.is_empty()).collect();
        let Some((resource, nested)) = parts.split_last() else {
            continue;
        };
        clear_wildcard_hooks(host, stack, nested, hook_type, resource)?;
    }
    Ok(Reply::None)
}

/// `indent_and_truncate` with `truncate_prefix='...\n'`: the text indented by `spaces`,
/// only its last 10 lines when `truncate`.
fn indent_and_truncate(text: &str, spaces: usize, truncate: bool) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if truncate && lines.len() > 10 {
        lines = lines.split_off(lines.len() - 10);
        lines.insert(0, "...\n".into());
    }
    let pad = " ".repeat(spaces);
    lines
        .iter()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn append_failed(
    host: &Host,
    failures: &mut Vec<(String, Value)>,
    resources: &[Value],
    path: &[String],
) -> bool {
    let mut appended = false;
    for r in resources {
        if !r["resource_status"]
            .as_str()
            .unwrap_or("")
            .ends_with("FAILED")
        {
            continue;
        }
        let nested = r["links"]
            .as_array()
            .is_some_and(|l| l.iter().any(|x| x["rel"] == "nested"));
        let mut next = path.to_vec();
        next.push(r["resource_name"].as_str().unwrap_or("").to_string());
        let mut nested_appended = false;
        if nested {
            if let Ok(children) =
                resources_of(host, r["physical_resource_id"].as_str().unwrap_or(""))
            {
                nested_appended = append_failed(host, failures, &children, &next);
            }
        }
        if !nested_appended {
            failures.push((next.join("."), r.clone()));
        }
        appended = true;
    }
    appended
}

fn failures(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let long = args.flag("long");
    let s = heat::get_stack(host, stack, true)?;
    let status = s["stack_status"].as_str().unwrap_or("");
    if !status.ends_with("FAILED") {
        return Ok(Reply::Text(String::new()));
    }
    let id = s["id"].as_str().unwrap_or(stack).to_string();
    let resources = resources_of(host, &id)?;
    let mut failures = Vec::new();
    let name = s["stack_name"].as_str().unwrap_or("").to_string();
    append_failed(host, &mut failures, &resources, &[name]);
    let mut out = String::new();
    for (path, f) in &failures {
        let s = |k: &str| attr(f, k).as_str().unwrap_or("").to_string();
        out.push_str(&format!("{path}:\n"));
        out.push_str(&format!("  resource_type: {}\n", s("resource_type")));
        out.push_str(&format!(
            "  physical_resource_id: {}\n",
            s("physical_resource_id")
        ));
        out.push_str(&format!("  status: {}\n", s("resource_status")));
        out.push_str(&format!(
            "  status_reason: |\n{}\n",
            indent_and_truncate(&s("resource_status_reason"), 4, !long)
        ));
        let rtype = s("resource_type");
        if rtype == "OS::Heat::StructuredDeployment" || rtype == "OS::Heat::SoftwareDeployment" {
            if let Ok(sd) = get(
                host,
                format!(
                    "/software_deployments/{}",
                    encode_segment(&s("physical_resource_id"))
                ),
            ) {
                let outputs = &sd["software_deployment"]["output_values"];
                for o in ["deploy_stdout", "deploy_stderr"] {
                    out.push_str(&crate::software::deployment_output(outputs, o, long));
                }
            }
        }
    }
    Ok(Reply::Text(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_as_fnmatchcase() {
        assert!(glob("a*", "abc"));
        assert!(glob("*", ""));
        assert!(glob("a?c", "abc"));
        assert!(!glob("A*", "abc"));
        assert!(!glob("a", "ab"));
    }

    #[test]
    fn reasons_keep_their_last_lines() {
        let text = (1..=12)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        let t = indent_and_truncate(&text, 2, true);
        assert!(t.starts_with("  ...\n\n  3\n"), "{t}");
        assert!(indent_and_truncate(&text, 2, false).starts_with("  1\n"));
    }
}
