//! Templates, environments and parameters as python-heatclient prepares them
//! (`common/template_utils.py`, `template_format.py`, `environment_format.py` and the
//! parameter helpers of `common/utils.py`): a template from a file or URL, its `get_file`
//! and nested-template (`type: x.yaml`) references resolved relative to it and sent in
//! `files` under their absolute URLs, environments merged in order with their
//! `resource_registry` files, `--parameter k=v` and `--parameter-file k=path`.

use osc_plugin_sdk::{Error, Map, Result, Value};
use std::io::Read;

/// What a template or environment needs sent beside it: absolute URL to content.
pub type Files = Map<String, Value>;

/// `normalise_file_path_to_url`: a URL stays as it is, a path becomes an absolute `file://`
/// URL (symlinks resolved where the file exists, as `Path.resolve()`).
pub fn to_url(path: &str) -> Result<String> {
    if has_scheme(path) {
        return Ok(path.to_string());
    }
    let p = std::path::Path::new(path);
    let abs = match std::fs::canonicalize(p) {
        Ok(a) => a,
        Err(_) => std::env::current_dir()
            .map_err(|e| Error::other(format!("Cannot resolve {path}: {e}")))?
            .join(p),
    };
    url::Url::from_file_path(&abs)
        .map(|u| u.to_string())
        .map_err(|_| Error::other(format!("Cannot turn {path} into a file URL")))
}

/// A scheme as `urlparse` sees one (`http:`, `file:`; not a Windows drive letter).
fn has_scheme(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// `base_url_for_url`: the URL of the directory holding `url`, with a final slash.
pub fn base_url(url: &str) -> String {
    match url::Url::parse(url).and_then(|u| u.join(".")) {
        Ok(u) => u.to_string(),
        Err(_) => url.to_string(),
    }
}

/// `urllib.parse.urljoin(base, reference)`.
pub fn join(base: &str, reference: &str) -> Result<String> {
    let base =
        url::Url::parse(base).map_err(|e| Error::other(format!("Invalid base URL {base}: {e}")))?;
    base.join(reference)
        .map(|u| u.to_string())
        .map_err(|e| Error::other(format!("Invalid URL {reference}: {e}")))
}

/// The bytes at `url` (`file://` or `http(s)://`), fetched without credentials.
pub fn fetch(url: &str) -> std::result::Result<Vec<u8>, String> {
    let parsed = url::Url::parse(url).map_err(|e| e.to_string())?;
    match parsed.scheme() {
        "file" => {
            let path = parsed
                .to_file_path()
                .map_err(|_| format!("not a local path: {url}"))?;
            std::fs::read(&path).map_err(|e| io_reason(&e))
        }
        "http" | "https" => {
            let client = reqwest::blocking::Client::builder()
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .map_err(|e| e.to_string())?;
            let mut resp = client.get(url).send().map_err(|e| {
                let mut msg = e.to_string();
                let mut src = std::error::Error::source(&e);
                while let Some(s) = src {
                    msg = format!("{msg}: {s}");
                    src = s.source();
                }
                msg
            })?;
            if !resp.status().is_success() {
                return Err(format!("HTTP {}", resp.status()));
            }
            let mut out = Vec::new();
            resp.read_to_end(&mut out).map_err(|e| e.to_string())?;
            Ok(out)
        }
        other => Err(format!("unknown url type: {other}")),
    }
}

fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    // "No such file or directory (os error 2)" reads better without the code.
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// `read_url_content`: the text at `url`; content that is not UTF-8 is sent base64-encoded.
pub fn read_url_content(url: &str) -> Result<String> {
    let bytes =
        fetch(url).map_err(|_| Error::other(format!("Could not fetch contents for {url}")))?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => base64_lines(e.as_bytes()),
    })
}

/// Python's `base64.encodebytes`: lines of 76 characters, each ending in a newline.
pub fn base64_lines(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut flat = String::with_capacity(data.len() * 4 / 3 + 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                flat.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                flat.push('=');
            }
        }
    }
    let mut out = String::with_capacity(flat.len() + flat.len() / 76 + 1);
    for line in flat.as_bytes().chunks(76) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out
}

/// YAML (or JSON) text as JSON, keys as strings, tags dropped; errors name line and column.
pub fn yaml_to_json(text: &str) -> std::result::Result<Value, String> {
    let y: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| e.to_string())?;
    Ok(convert(y))
}

fn convert(y: serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Y;
    match y {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(osc_plugin_sdk::serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(s) => Value::Array(s.into_iter().map(convert).collect()),
        Y::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match convert(k) {
                    Value::String(s) => s,
                    Value::Null => "null".to_string(),
                    other => other.to_string(),
                };
                out.insert(key, convert(v));
            }
            Value::Object(out)
        }
        Y::Tagged(t) => convert(t.value),
    }
}

/// `template_format.parse`: JSON when it starts with `{`, else YAML; a template must name its
/// format version.
pub fn parse_template(text: &str) -> std::result::Result<Value, String> {
    let text = text.trim();
    let tpl = if text.starts_with('{') {
        osc_plugin_sdk::serde_json::from_str(text).map_err(|e| e.to_string())?
    } else {
        match yaml_to_json(text)? {
            Value::Null => Value::Object(Map::new()),
            v => v,
        }
    };
    let versioned = tpl.as_object().is_some_and(|m| {
        [
            "HeatTemplateFormatVersion",
            "heat_template_version",
            "AWSTemplateFormatVersion",
        ]
        .iter()
        .any(|k| m.contains_key(*k))
    });
    if !versioned {
        return Err("Template format version not found.".into());
    }
    Ok(tpl)
}

const ENV_SECTIONS: &[&str] = &[
    "parameter_defaults",
    "parameters",
    "resource_registry",
    "encrypted_param_names",
    "event_sinks",
    "parameter_merge_strategies",
];

/// `environment_format.parse`: a YAML mapping of known sections only.
pub fn parse_environment(text: &str) -> std::result::Result<Value, String> {
    let env = match yaml_to_json(text)? {
        Value::Null => Value::Object(Map::new()),
        v @ Value::Object(_) => v,
        _ => return Err("The environment is not a valid YAML mapping data type.".into()),
    };
    if let Some(m) = env.as_object() {
        if let Some(k) = m.keys().find(|k| !ENV_SECTIONS.contains(&k.as_str())) {
            return Err(format!("environment has wrong section \"{k}\""));
        }
    }
    Ok(env)
}

/// `get_template_contents`: the template at `url`, its children resolved into `files`.
pub fn template_contents(url: &str, files: &mut Files, fetch_child: bool) -> Result<Value> {
    let bytes = fetch(url)
        .map_err(|e| Error::other(format!("Could not fetch template from {url}: {e}")))?;
    if bytes.is_empty() {
        return Err(Error::other(format!("Could not fetch template from {url}")));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::other(format!("Error parsing template {url} it is not UTF-8 text")))?;
    let mut tpl = parse_template(&text)
        .map_err(|e| Error::other(format!("Error parsing template {url} {e}")))?;
    if fetch_child {
        resolve_files(&mut tpl, files, &base_url(url), &template_ref, true)?;
    }
    Ok(tpl)
}

/// `process_template_path`: `(files, template)` of a template path or URL.
pub fn process_template(path: &str, fetch_child: bool) -> Result<(Files, Value)> {
    let mut files = Files::new();
    let url = to_url(path)?;
    let tpl = template_contents(&url, &mut files, fetch_child)?;
    Ok((files, tpl))
}

/// A template's references: `get_file: <string>` and `type: <x.yaml|x.template>`.
fn template_ref(key: &str, value: &Value) -> bool {
    match (key, value) {
        ("get_file", Value::String(_)) => true,
        ("type", Value::String(s)) => s.ends_with(".yaml") || s.ends_with(".template"),
        _ => false,
    }
}

/// A registry's references: every string entry that is not a resource type
/// (`My::Type: nested.yaml`), except `base_url`, `hooks` and `restricted_actions`.
fn registry_ref(key: &str, value: &Value) -> bool {
    match value {
        Value::String(s) => {
            !s.contains("::") && !["base_url", "hooks", "restricted_actions"].contains(&key)
        }
        _ => false,
    }
}

/// `get_file_contents`: every reference in `data` (recursively when `recurse`) is fetched
/// relative to `base` into `files` (templates parsed, their own references resolved, and
/// stored as JSON) and replaced by its absolute URL.
fn resolve_files(
    data: &mut Value,
    files: &mut Files,
    base: &str,
    is_ref: &dyn Fn(&str, &Value) -> bool,
    recurse: bool,
) -> Result<()> {
    if recurse {
        match data {
            Value::Object(m) => {
                for v in m.values_mut() {
                    resolve_files(v, files, base, is_ref, true)?;
                }
            }
            Value::Array(a) => {
                for v in a {
                    resolve_files(v, files, base, is_ref, true)?;
                }
            }
            _ => {}
        }
    }
    let Value::Object(m) = data else {
        return Ok(());
    };
    let base = if base.ends_with('/') {
        base.to_string()
    } else {
        format!("{base}/")
    };
    for (k, v) in m.iter_mut() {
        if !is_ref(k, v) {
            continue;
        }
        let Some(reference) = v.as_str() else {
            continue;
        };
        let url = join(&base, reference)?;
        if !files.contains_key(&url) {
            let content = read_url_content(&url)?;
            let content = if parse_template(&content).is_ok() {
                let tpl = template_contents(&url, files, true)?;
                tpl.to_string()
            } else {
                content
            };
            files.insert(url.clone(), Value::String(content));
        }
        *v = Value::String(url);
    }
    Ok(())
}

/// `deep_update`: `new` merged into `old`, mappings recursively; a null never replaces a
/// mapping.
pub fn deep_update(old: &mut Map<String, Value>, new: Map<String, Value>) {
    for (k, v) in new {
        match v {
            Value::Object(inner) => {
                let slot = old.entry(k).or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                if let Value::Object(o) = slot {
                    deep_update(o, inner);
                }
            }
            Value::Null if old.get(&k).is_some_and(Value::is_object) => {}
            other => {
                old.insert(k, other);
            }
        }
    }
}

/// The environments of `-e`, in order.
#[derive(Debug, Default)]
pub struct Environments {
    pub files: Files,
    pub env: Map<String, Value>,
    /// Their URLs (`environment_files`), whose contents are in `files`.
    pub urls: Vec<String>,
}

/// `process_multiple_environments_and_files` with an environment list tracker: each
/// environment parsed, its registry's files resolved, merged over the previous ones, and
/// itself sent in `files`.
pub fn process_environments(paths: &[String], include_in_files: bool) -> Result<Environments> {
    let mut out = Environments::default();
    for path in paths {
        let url = to_url(path)?;
        let bytes = fetch(&url)
            .map_err(|e| Error::other(format!("Could not fetch environment {url}: {e}")))?;
        let text = String::from_utf8_lossy(&bytes);
        let mut env = parse_environment(&text)
            .map_err(|e| Error::other(format!("Error parsing environment {url} {e}")))?;
        if let Some(rr) = env.get_mut("resource_registry") {
            resolve_registry(rr, &mut out.files, &base_url(&url))?;
        }
        if include_in_files {
            out.files
                .insert(url.clone(), Value::String(env.to_string()));
        }
        if let Value::Object(m) = env {
            deep_update(&mut out.env, m);
        }
        out.urls.push(url);
    }
    Ok(out)
}

/// `resolve_environment_urls`.
fn resolve_registry(rr: &mut Value, files: &mut Files, env_base: &str) -> Result<()> {
    let base = rr
        .get("base_url")
        .and_then(Value::as_str)
        .unwrap_or(env_base)
        .to_string();
    resolve_files(rr, files, &base, &registry_ref, false)?;
    if let Some(Value::Object(resources)) = rr.get_mut("resources") {
        for res in resources.values_mut() {
            let res_base = res
                .get("base_url")
                .and_then(Value::as_str)
                .unwrap_or(&base)
                .to_string();
            resolve_files(res, files, &res_base, &registry_ref, false)?;
        }
    }
    Ok(())
}

/// `hooks_to_env`: `--pre-create a/b` as `resource_registry.resources.a.b.hooks`.
pub fn hooks_to_env(env: &mut Map<String, Value>, hooks: &[String], hook: &str) {
    for decl in hooks {
        let mut cur = env
            .entry("resource_registry")
            .or_insert_with(|| Value::Object(Map::new()));
        for part in std::iter::once("resources").chain(decl.split('/').filter(|p| !p.is_empty())) {
            if !cur.is_object() {
                *cur = Value::Object(Map::new());
            }
            let Value::Object(m) = cur else { return };
            cur = m
                .entry(part.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
        }
        if let Value::Object(m) = cur {
            m.insert("hooks".into(), Value::String(hook.to_string()));
        }
    }
}

/// `format_parameters`: `key=value` pairs (a single one split at `;` when
/// `parse_semicolon`); a repeated key collects a list.
pub fn format_parameters(params: &[String], parse_semicolon: bool) -> Result<Map<String, Value>> {
    let split: Vec<String> = if parse_semicolon && params.len() == 1 {
        params[0].split(';').map(str::to_string).collect()
    } else {
        params.to_vec()
    };
    let mut out = Map::new();
    for p in &split {
        let Some((k, v)) = p.split_once('=') else {
            return Err(Error::other(format!(
                "Malformed parameter({p}). Use the key=value format."
            )));
        };
        let v = Value::String(v.to_string());
        match out.get_mut(k) {
            None => {
                out.insert(k.to_string(), v);
            }
            Some(Value::Array(a)) => a.push(v),
            Some(prev) => {
                let first = prev.take();
                *prev = Value::Array(vec![first, v]);
            }
        }
    }
    Ok(out)
}

/// `format_all_parameters`: `--parameter` values, then `--parameter-file` contents read
/// relative to the template's directory.
pub fn all_parameters(
    params: &[String],
    param_files: &[String],
    template: Option<&str>,
) -> Result<Map<String, Value>> {
    let mut out = format_parameters(params, true)?;
    if param_files.is_empty() {
        return Ok(out);
    }
    let base = match template {
        Some(t) => base_url(&to_url(t)?),
        None => base_url(&to_url("./")?) + "/",
    };
    for (k, v) in format_parameters(param_files, false)? {
        let file = match &v {
            Value::String(s) => s.clone(),
            Value::Array(a) => a.last().and_then(Value::as_str).unwrap_or("").to_string(),
            _ => String::new(),
        };
        let url = join(&base, &file)?;
        out.insert(k, Value::String(read_url_content(&url)?));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use osc_plugin_sdk::json;

    #[test]
    fn urls_join_as_urllib() {
        assert_eq!(base_url("file:///a/b/t.yaml"), "file:///a/b/");
        assert_eq!(
            join("file:///a/b/", "c/d.yaml").unwrap(),
            "file:///a/b/c/d.yaml"
        );
        assert_eq!(join("file:///a/b/", "../x").unwrap(), "file:///a/x");
        assert_eq!(join("file:///a/b/", "http://h/x").unwrap(), "http://h/x");
        assert_eq!(to_url("http://h/t.yaml").unwrap(), "http://h/t.yaml");
        assert!(to_url("/x/y.yaml").unwrap().starts_with("file:///x/y.yaml"));
    }

    #[test]
    fn yaml_errors_name_line_and_column() {
        let e =
            parse_template("heat_template_version: 2018-08-31\nresources:\n  a: [1\n").unwrap_err();
        assert!(e.contains("line") && e.contains("column"), "{e}");
        assert_eq!(
            parse_template("resources: {}").unwrap_err(),
            "Template format version not found."
        );
        // Dates stay strings, as heatclient's loader keeps timestamps.
        let t = parse_template("heat_template_version: 2018-08-31\n").unwrap();
        assert_eq!(t["heat_template_version"], "2018-08-31");
    }

    #[test]
    fn environments_know_their_sections() {
        assert_eq!(
            parse_environment("paramters: {}").unwrap_err(),
            "environment has wrong section \"paramters\""
        );
        assert!(parse_environment("- a").is_err());
        assert_eq!(parse_environment("").unwrap(), json!({}));
    }

    #[test]
    fn parameters_as_heatclient() {
        let p = format_parameters(&["a=1;b=2=3".into()], true).unwrap();
        assert_eq!(Value::Object(p), json!({"a": "1", "b": "2=3"}));
        let p = format_parameters(&["a=1".into(), "a=2".into(), "c=x;y".into()], true).unwrap();
        assert_eq!(Value::Object(p), json!({"a": ["1", "2"], "c": "x;y"}));
        assert_eq!(
            format_parameters(&["nope".into()], true)
                .unwrap_err()
                .to_string(),
            "Malformed parameter(nope). Use the key=value format."
        );
    }

    #[test]
    fn deep_update_merges_in_order() {
        let mut old = json!({"parameters": {"a": 1, "b": 2}, "resource_registry": {"X": "x"}})
            .as_object()
            .cloned()
            .unwrap();
        let new = json!({"parameters": {"b": 3}, "resource_registry": null})
            .as_object()
            .cloned()
            .unwrap();
        deep_update(&mut old, new);
        assert_eq!(
            Value::Object(old),
            json!({"parameters": {"a": 1, "b": 3}, "resource_registry": {"X": "x"}})
        );
    }

    #[test]
    fn hooks_go_into_the_registry() {
        let mut env = Map::new();
        hooks_to_env(&mut env, &["a".into(), "nested/b".into()], "pre-create");
        assert_eq!(
            Value::Object(env),
            json!({"resource_registry": {"resources": {
                "a": {"hooks": "pre-create"}, "nested": {"b": {"hooks": "pre-create"}}}}})
        );
    }

    #[test]
    fn base64_as_python() {
        assert_eq!(base64_lines(b"\xff\xfe\x00"), "//4A\n");
        assert_eq!(base64_lines(b"ab"), "YWI=\n");
        assert_eq!(
            base64_lines(&[0u8; 60]).lines().next().map(str::len),
            Some(76)
        );
    }

    #[test]
    fn files_resolved_relative_to_the_template() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::write(
            d.join("top.yaml"),
            "heat_template_version: 2018-08-31\nresources:\n  n:\n    type: sub/nested.yaml\n  c:\n    type: OS::Heat::TestResource\n    properties:\n      value: {get_file: data.txt}\n",
        )
        .unwrap();
        std::fs::write(d.join("data.txt"), "hello\n").unwrap();
        std::fs::write(
            d.join("sub/nested.yaml"),
            "heat_template_version: 2018-08-31\nresources:\n  r:\n    type: OS::Heat::TestResource\n    properties:\n      value: {get_file: ../data.txt}\n",
        )
        .unwrap();
        let (files, tpl) = process_template(d.join("top.yaml").to_str().unwrap(), true).unwrap();
        let base = to_url(d.to_str().unwrap()).unwrap();
        let data = format!("{base}/data.txt");
        let nested = format!("{base}/sub/nested.yaml");
        assert_eq!(tpl["resources"]["n"]["type"], json!(nested));
        assert_eq!(
            tpl["resources"]["c"]["properties"]["value"]["get_file"],
            json!(data)
        );
        assert_eq!(files[&data], "hello\n");
        let nested_tpl: Value =
            osc_plugin_sdk::serde_json::from_str(files[&nested].as_str().unwrap()).unwrap();
        assert_eq!(
            nested_tpl["resources"]["r"]["properties"]["value"]["get_file"],
            json!(data)
        );

        std::fs::write(
            d.join("bad.yaml"),
            "heat_template_version: 2018-08-31\nresources:\n  c: {get_file: missing.txt}\n",
        )
        .unwrap();
        let e = process_template(d.join("bad.yaml").to_str().unwrap(), true).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("Could not fetch contents for {base}/missing.txt")
        );

        std::fs::write(
            d.join("env.yaml"),
            "resource_registry:\n  My::Nested: sub/nested.yaml\n  OS::X: OS::Heat::None\nparameters:\n  a: 1\n",
        )
        .unwrap();
        std::fs::write(d.join("env2.yaml"), "parameters:\n  a: 2\n  b: 3\n").unwrap();
        let envs = process_environments(
            &[
                d.join("env.yaml").to_str().unwrap().to_string(),
                d.join("env2.yaml").to_str().unwrap().to_string(),
            ],
            true,
        )
        .unwrap();
        assert_eq!(envs.env["resource_registry"]["My::Nested"], json!(nested));
        assert_eq!(envs.env["resource_registry"]["OS::X"], "OS::Heat::None");
        assert_eq!(envs.env["parameters"], json!({"a": 2, "b": 3}));
        assert_eq!(
            envs.urls,
            vec![format!("{base}/env.yaml"), format!("{base}/env2.yaml")]
        );
        assert!(envs.files.contains_key(&nested));
        assert!(envs.files.contains_key(&format!("{base}/env2.yaml")));

        let p = all_parameters(
            &[],
            &["k=data.txt".into()],
            Some(d.join("top.yaml").to_str().unwrap()),
        )
        .unwrap();
        assert_eq!(p["k"], "hello\n");
    }
    /// A tiny HTTP server answering each path from `files` (404 otherwise), for `n` requests.
    fn serve(files: Vec<(&'static str, &'static str)>, n: usize) -> String {
        use std::io::{BufRead, BufReader, Write};
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in l.incoming().take(n) {
                let mut stream = stream.unwrap();
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                reader.read_line(&mut line).unwrap();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap() == 0 || h == "\r\n" {
                        break;
                    }
                }
                let path = line.split(' ').nth(1).unwrap_or("");
                let resp = match files.iter().find(|(p, _)| *p == path) {
                    Some((_, body)) => format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    ),
                    None => {
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_string()
                    }
                };
                stream.write_all(resp.as_bytes()).unwrap();
            }
        });
        format!("http://{addr}")
    }

    #[test]
    fn templates_by_url_resolve_their_files_against_the_url() {
        let base = serve(
            vec![
                (
                    "/t/top.yaml",
                    "heat_template_version: 2018-08-31\nresources:\n  a: {get_file: data.txt}\n",
                ),
                ("/t/data.txt", "remote data"),
            ],
            3,
        );
        let (files, tpl) = process_template(&format!("{base}/t/top.yaml"), true).unwrap();
        let data = format!("{base}/t/data.txt");
        assert_eq!(tpl["resources"]["a"]["get_file"], json!(data));
        assert_eq!(files[&data], "remote data");
        let e = process_template(&format!("{base}/t/nope.yaml"), true).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("Could not fetch template from {base}/t/nope.yaml: HTTP 404 Not Found")
        );
    }
}
