//! `baremetal create <file>...`: chassis, nodes, port groups and ports described in JSON or
//! YAML files, as python-ironicclient's `v1/create_resources.py`.

use crate::node_ops::py_repr;
use crate::resource::{request, send};
use osc_plugin_sdk::osc_api::resource::encode_segment;
use osc_plugin_sdk::{json, Args, Host, Map, Reply, Result, Value};

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    (command == "baremetal create").then(|| create(host, &args.list("resource_files")))
}

fn create(host: &Host, files: &[String]) -> Result<Reply> {
    let mut errors = Vec::new();
    let mut resources = Vec::new();
    for f in files {
        match load(f).and_then(|r| validate(&r).map(|()| r)) {
            Ok(r) => resources.push(r),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(format!(
            "While validating the resources file(s), the following error(s) were encountered: {}",
            errors.join("; ")
        )
        .into());
    }
    for r in &resources {
        for c in objects(r, "chassis") {
            chassis(host, c, &mut errors);
        }
        for n in objects(r, "nodes") {
            node(host, n, None, &mut errors);
        }
    }
    if !errors.is_empty() {
        return Err(format!(
            "During resources creation, the following error(s) were encountered: {}",
            errors.join("; ")
        )
        .into());
    }
    Ok(Reply::None)
}

fn load(file: &str) -> std::result::Result<Value, String> {
    // Read first, as ironicclient opens the file before it looks at the extension.
    let text = std::fs::read_to_string(file).map_err(|e| {
        format!(
            "Cannot read file \"{file}\" due to error: {}",
            py_os_error(&e, file)
        )
    })?;
    let yaml = file.ends_with(".yaml");
    if !yaml && !file.ends_with(".json") {
        return Err(format!(
            "Cannot process file \"{file}\" - it must have .json or .yaml extension."
        ));
    }
    let invalid = |e: String| format!("File \"{file}\" is invalid due to error: {e}");
    if yaml {
        serde_yaml_ng::from_str(&text).map_err(|e| invalid(e.to_string()))
    } else {
        osc_plugin_sdk::serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))
    }
}

/// ironicclient's schema: an object of `chassis` and `nodes`, lists of objects.
fn validate(r: &Value) -> std::result::Result<(), String> {
    let m = r
        .as_object()
        .ok_or_else(|| format!("{} is not of type 'object'", py_repr(r)))?;
    let extra: Vec<String> = m
        .keys()
        .filter(|k| *k != "chassis" && *k != "nodes")
        .map(|k| format!("'{k}'"))
        .collect();
    if !extra.is_empty() {
        let verb = if extra.len() == 1 { "was" } else { "were" };
        return Err(format!(
            "Additional properties are not allowed ({} {verb} unexpected)",
            extra.join(", ")
        ));
    }
    for (k, v) in m {
        let items = v
            .as_array()
            .ok_or_else(|| format!("{} is not of type 'array' ({k})", py_repr(v)))?;
        if let Some(bad) = items.iter().find(|i| !i.is_object()) {
            return Err(format!("{} is not of type 'object' ({k})", py_repr(bad)));
        }
    }
    Ok(())
}

fn objects<'a>(v: &'a Value, key: &str) -> Vec<&'a Map<String, Value>> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default()
}

/// POSTs one object (without the keys of its children); its UUID, or the error as
/// ironicclient words it.
fn post(
    host: &Host,
    path: &str,
    what: &str,
    obj: &Map<String, Value>,
    skip: &[&str],
) -> std::result::Result<String, String> {
    let mut body = obj.clone();
    for k in skip {
        body.remove(*k);
    }
    let params = py_repr(&Value::Object(body.clone()));
    let created: Result<Value> =
        send(host, request("POST", path).json(Value::Object(body))).and_then(|r| r.json());
    match created {
        Ok(v) => v["uuid"].as_str().map(str::to_string).ok_or_else(|| {
            format!("Unable to create the {what}: the API returned an empty response")
        }),
        Err(e) => Err(format!(
            "Unable to create the {what} with the specified attributes: {params}. The error is: {e}"
        )),
    }
}

fn chassis(host: &Host, c: &Map<String, Value>, errors: &mut Vec<String>) {
    match post(host, "/chassis", "chassis", c, &["nodes"]) {
        Ok(uuid) => {
            for n in c
                .get("nodes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(n) = n.as_object() {
                    node(host, n, Some(&uuid), errors);
                }
            }
        }
        Err(e) => errors.push(e),
    }
}

/// Sets `key` of a child to its parent's UUID, unless it names another one.
fn adopt(
    child: &Map<String, Value>,
    key: &str,
    parent: &str,
    what: &str,
    parent_what: &str,
) -> std::result::Result<Map<String, Value>, String> {
    match child.get(key).and_then(Value::as_str) {
        Some(other) if !other.is_empty() && other != parent => Err(format!(
            "Cannot create a {what} as part of {parent_what} {parent} because the {what} {} has a different {parent_what} UUID specified.",
            py_repr(&Value::Object(child.clone()))
        )),
        _ => {
            let mut c = child.clone();
            c.insert(key.into(), json!(parent));
            Ok(c)
        }
    }
}

fn node(host: &Host, n: &Map<String, Value>, chassis: Option<&str>, errors: &mut Vec<String>) {
    let n = match chassis.map(|c| adopt(n, "chassis_uuid", c, "node", "chassis")) {
        Some(Err(e)) => return errors.push(e),
        Some(Ok(n)) => n,
        None => n.clone(),
    };
    let uuid = match post(
        host,
        "/nodes",
        "node",
        &n,
        &["ports", "portgroups", "traits"],
    ) {
        Ok(u) => u,
        Err(e) => return errors.push(e),
    };
    if let Some(traits) = n
        .get("traits")
        .filter(|t| t.as_array().is_some_and(|a| !a.is_empty()))
    {
        let path = format!("/nodes/{}/traits", encode_segment(&uuid));
        let set = send(host, request("PUT", path).json(json!({"traits": traits})));
        if let Err(e) = set {
            errors.push(format!(
                "Unable to create the node with the specified attributes: {}. The error is: {e}",
                py_repr(&Value::Object(n.clone()))
            ));
        }
    }
    for pg in objects(&Value::Object(n.clone()), "portgroups") {
        match adopt(pg, "node_uuid", &uuid, "port group", "node") {
            Ok(pg) => match post(host, "/portgroups", "port group", &pg, &["ports"]) {
                Ok(pg_uuid) => {
                    for p in objects(&Value::Object(pg.clone()), "ports") {
                        port(host, p, &uuid, Some(&pg_uuid), errors);
                    }
                }
                Err(e) => errors.push(e),
            },
            Err(e) => errors.push(e),
        }
    }
    for p in objects(&Value::Object(n.clone()), "ports") {
        port(host, p, &uuid, None, errors);
    }
}

fn port(
    host: &Host,
    p: &Map<String, Value>,
    node: &str,
    group: Option<&str>,
    errors: &mut Vec<String>,
) {
    let p = adopt(p, "node_uuid", node, "port", "node")
        .and_then(|p| match group {
            Some(g) => adopt(&p, "portgroup_uuid", g, "port", "port group"),
            None => Ok(p),
        })
        .and_then(|p| post(host, "/ports", "port", &p, &[]));
    if let Err(e) = p {
        errors.push(e);
    }
}

/// An I/O error as Python words it: `[Errno 2] No such file or directory: 'x'`.
pub fn py_os_error(e: &std::io::Error, file: &str) -> String {
    match e.raw_os_error() {
        Some(code) => {
            let text = e.to_string();
            let desc = text.split(" (os error").next().unwrap_or(&text).to_string();
            format!("[Errno {code}] {desc}: '{file}'")
        }
        None => e.to_string(),
    }
}
