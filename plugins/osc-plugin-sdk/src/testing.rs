//! A fake host for plugin tests: runs a plugin's exported entry point in-process, through
//! the same C ABI the real host uses, and answers its HTTP requests from scripted routes.
//!
//! ```ignore
//! let mut host = FakeHost::new();
//! host.route("GET", "network", "/networks", |_req| FakeResponse::json(200, json!({"networks": []})));
//! let out = host.invoke(crate::osc_plugin_entry_v1, "network list", json!({}))?;
//! assert_eq!(out["list"]["rows"], json!([]));
//! ```

use crate::abi::{self, EntryV1, OscBuf, OscHost, OscReader, OscStr, Status};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::os::raw::c_void;

/// A request the plugin sent, as the fake host saw it.
#[derive(Debug, Clone)]
pub struct FakeRequest {
    pub method: String,
    pub service: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub json: Option<Value>,
    /// The media type the plugin asked for (`Request::content_type`), as sent to osc.
    pub content_type: Option<String>,
    /// The streamed or text body, read completely.
    pub body: Vec<u8>,
}

impl FakeRequest {
    pub fn query(&self, k: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
    }
    pub fn header(&self, k: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.as_str())
    }
}

/// A scripted response.
#[derive(Debug, Clone, Default)]
pub struct FakeResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl FakeResponse {
    pub fn json(status: u16, v: Value) -> Self {
        FakeResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: v.to_string().into_bytes(),
        }
    }
    pub fn bytes(status: u16, body: impl Into<Vec<u8>>) -> Self {
        FakeResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }
}

type Route = Box<dyn FnMut(&FakeRequest) -> FakeResponse>;

/// The fake host: routes, and everything the plugin did.
#[derive(Default)]
pub struct FakeHost {
    routes: Vec<(String, String, String, Route)>,
    pub requests: Vec<FakeRequest>,
    pub logs: Vec<(i32, String)>,
    pub progress: Vec<(String, u64, u64)>,
    bodies: HashMap<u64, std::io::Cursor<Vec<u8>>>,
    next_handle: u64,
    /// Per service type: the server's maximum microversion (as version discovery reports).
    server_microversions: HashMap<String, String>,
    /// Per service type: the user's `--os-<service>-api-version`.
    pins: HashMap<String, String>,
}

impl FakeHost {
    pub fn new() -> Self {
        FakeHost::default()
    }

    /// The service's maximum microversion, as the real host learns it from version discovery:
    /// requests with a client maximum get min(theirs, this), as under osc.
    pub fn server_microversion(&mut self, service: &str, max: &str) -> &mut Self {
        self.server_microversions
            .insert(service.to_string(), max.to_string());
        self
    }

    /// Emulates `--os-<service>-api-version VERSION` on the command line.
    pub fn pin_microversion(&mut self, service: &str, version: &str) -> &mut Self {
        self.pins.insert(service.to_string(), version.to_string());
        self
    }

    /// Answers `method service path` (the path without its query; a trailing `*` matches
    /// any suffix). Later routes win over earlier ones.
    pub fn route(
        &mut self,
        method: &str,
        service: &str,
        path: &str,
        f: impl FnMut(&FakeRequest) -> FakeResponse + 'static,
    ) -> &mut Self {
        self.routes
            .push((method.into(), service.into(), path.into(), Box::new(f)));
        self
    }

    /// Calls the plugin's `invoke` through the ABI. Returns the result JSON, or
    /// `Err((status, message))` when the plugin reported an error or panicked.
    pub fn invoke(
        &mut self,
        entry: EntryV1,
        command: &str,
        args: Value,
    ) -> Result<Value, (Status, String)> {
        // SAFETY: `entry` is a plugin entry point returning a static table.
        let table = unsafe { entry() };
        if table.is_null() {
            return Err((abi::ERROR, "null function table".into()));
        }
        // SAFETY: checked non-null; static for the process.
        let table = unsafe { &*table };
        let Some(invoke) = table.invoke else {
            return Err((abi::ERROR, "no invoke".into()));
        };
        let host = OscHost {
            struct_size: std::mem::size_of::<OscHost>() as u32,
            abi_major: abi::ABI_MAJOR,
            abi_minor: abi::ABI_MINOR,
            ctx: self as *mut FakeHost as *mut c_void,
            http: Some(fake_http),
            body_read: Some(fake_body_read),
            body_close: Some(fake_body_close),
            log: Some(fake_log),
            progress: Some(fake_progress),
            // The fake host answers from one thread: concurrent work runs in order.
            begin_concurrent: None,
            end_concurrent: None,
        };
        let mut args = args;
        let format = args
            .as_object_mut()
            .and_then(|a| a.remove(crate::FORMAT_KEY));
        let req = match format {
            Some(f) => json!({"command": command, "args": args, "format": f}),
            None => json!({"command": command, "args": args}),
        }
        .to_string();
        let mut out = OscBuf::empty();
        // SAFETY: host table and request valid during the call; out is released below.
        let status = unsafe { invoke(&host, OscStr::from_bytes(req.as_bytes()), &mut out) };
        // SAFETY: the plugin filled `out`; we release it with its own release function.
        let bytes = unsafe { out.take() };
        let v: Value = serde_json::from_slice(&bytes)
            .map_err(|e| (abi::ERROR, format!("bad result JSON: {e}")))?;
        if status == abi::OK {
            Ok(v)
        } else {
            Err((status, v["error"].as_str().unwrap_or("").to_string()))
        }
    }

    /// Runs a command line as osc would: picks the command from the leading words of
    /// `argv`, parses the rest with the manifest's rules (the same checks and typed values
    /// as osc: [`crate::manifest`]), then invokes the plugin. A usage error is
    /// `Err((abi::BAD_REQUEST, message))`, as osc would refuse it before loading the plugin.
    ///
    /// ```ignore
    /// let out = host.run(osc_plugin_entry_v1, &osc_plugin_manifest, &["hello", "list", "--n", "-3"])?;
    /// ```
    pub fn run(
        &mut self,
        entry: EntryV1,
        manifest: &[u8],
        argv: &[&str],
    ) -> Result<Value, (Status, String)> {
        let m = check_manifest(manifest).map_err(|e| (abi::BAD_REQUEST, e))?;
        let (command, args) = parse_command_line(&m, argv).map_err(|e| (abi::BAD_REQUEST, e))?;
        self.invoke(entry, &command, Value::Object(args))
    }

    fn handle(&mut self, head: &Value, body: Vec<u8>) -> Value {
        let pairs = |v: &Value| -> Vec<(String, String)> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|p| {
                            Some((
                                p.get(0)?.as_str()?.to_string(),
                                p.get(1)?.as_str()?.to_string(),
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut body = body;
        if let Some(t) = head.get("text").and_then(Value::as_str) {
            body = t.as_bytes().to_vec();
        }
        let mut req = FakeRequest {
            method: head["method"].as_str().unwrap_or("").to_string(),
            service: head["service"].as_str().unwrap_or("").to_string(),
            path: head["path"].as_str().unwrap_or("").to_string(),
            query: pairs(&head["query"]),
            headers: pairs(&head["headers"]),
            json: head.get("json").cloned(),
            content_type: head["content_type"].as_str().map(str::to_string),
            body,
        };
        // Absolute URLs (next links) are answered as the path under this fake endpoint.
        let endpoint = format!("http://fake/{}", req.service);
        if let Some(rest) = req.path.clone().strip_prefix(&endpoint) {
            let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
            req.path = path.to_string();
            for (k, v) in query.split('&').filter(|p| !p.is_empty()).map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_string(), v.to_string())
            }) {
                req.query.push((k, v));
            }
        }
        // The real host's negotiation (osc_api::microversion), with this fake's server range.
        let microversion = match (
            head["microversion"].as_str(),
            head["max_microversion"].as_str(),
        ) {
            (Some(exact), _) => (!exact.is_empty()).then(|| exact.to_string()),
            (None, Some(max)) => osc_api::microversion::negotiate::<()>(
                self.pins.get(&req.service).map(String::as_str),
                max,
                false,
                || Ok(self.server_microversions.get(&req.service).cloned()),
            )
            .unwrap_or(None),
            (None, None) => None,
        };
        if let Some(v) = &microversion {
            for (k, val) in osc_api::microversion::headers(&req.service, v) {
                req.headers.retain(|(h, _)| !h.eq_ignore_ascii_case(k));
                req.headers.push((k.to_string(), val));
            }
        }
        let resp = self
            .routes
            .iter_mut()
            .rev()
            .find(|(m, s, p, _)| {
                *m == req.method
                    && *s == req.service
                    && (p == &req.path
                        || p.strip_suffix('*')
                            .is_some_and(|pre| req.path.starts_with(pre)))
            })
            .map(|(_, _, _, f)| f(&req))
            .unwrap_or_else(|| {
                FakeResponse::json(
                    404,
                    json!({"message": format!("no fake route for {} {}", req.method, req.path)}),
                )
            });
        self.requests.push(req);
        self.next_handle += 1;
        let h = self.next_handle;
        self.bodies.insert(h, std::io::Cursor::new(resp.body));
        let mut url = format!(
            "{endpoint}{}",
            self.requests.last().map(|r| r.path.as_str()).unwrap_or("")
        );
        if let Some(q) = head["query"].as_array().filter(|q| !q.is_empty()) {
            let q: Vec<String> = q
                .iter()
                .filter_map(|p| Some(format!("{}={}", p.get(0)?.as_str()?, p.get(1)?.as_str()?)))
                .collect();
            url = format!("{url}?{}", q.join("&"));
        }
        json!({"status": resp.status, "headers": resp.headers, "url": url, "body": h,
               "microversion": microversion})
    }
}

fn with_host<T>(ctx: *mut c_void, default: T, f: impl FnOnce(&mut FakeHost) -> T) -> T {
    if ctx.is_null() {
        return default;
    }
    // SAFETY: ctx is the FakeHost that `invoke` set, alive for the call.
    let host = unsafe { &mut *(ctx as *mut FakeHost) };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(host))).unwrap_or(default)
}

unsafe extern "C" fn fake_http(
    ctx: *mut c_void,
    request: OscStr,
    body: *const OscReader,
    response: *mut OscBuf,
) -> Status {
    with_host(ctx, abi::ERROR, |host| {
        // SAFETY: borrowed for the call.
        let head: Value = match serde_json::from_slice(unsafe { request.as_bytes() }) {
            Ok(v) => v,
            Err(e) => {
                // SAFETY: response is writable.
                unsafe {
                    *response =
                        OscBuf::from_vec(json!({"error": e.to_string()}).to_string().into_bytes())
                };
                return abi::ERROR;
            }
        };
        let mut data = Vec::new();
        if !body.is_null() {
            // SAFETY: the reader is valid during this call.
            let r = unsafe { *body };
            if let Some(read) = r.read {
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    // SAFETY: buf is writable for its length.
                    let n = unsafe { read(r.state, buf.as_mut_ptr(), buf.len()) };
                    if n <= 0 {
                        break;
                    }
                    data.extend_from_slice(&buf[..n as usize]);
                }
            }
        }
        let v = host.handle(&head, data);
        // SAFETY: response is writable; the plugin releases it with our release.
        unsafe { *response = OscBuf::from_vec(v.to_string().into_bytes()) };
        abi::OK
    })
}

unsafe extern "C" fn fake_body_read(
    ctx: *mut c_void,
    handle: u64,
    buf: *mut u8,
    cap: usize,
) -> i64 {
    with_host(ctx, -1, |host| {
        let Some(c) = host.bodies.get_mut(&handle) else {
            return -1;
        };
        // SAFETY: buf has cap writable bytes.
        let out = unsafe { std::slice::from_raw_parts_mut(buf, cap) };
        std::io::Read::read(c, out).map(|n| n as i64).unwrap_or(-1)
    })
}

unsafe extern "C" fn fake_body_close(ctx: *mut c_void, handle: u64) {
    with_host(ctx, (), |host| {
        host.bodies.remove(&handle);
    })
}

unsafe extern "C" fn fake_log(ctx: *mut c_void, level: i32, message: OscStr) {
    with_host(ctx, (), |host| {
        // SAFETY: borrowed for the call.
        let m = String::from_utf8_lossy(unsafe { message.as_bytes() }).into_owned();
        host.logs.push((level, m));
    })
}

unsafe extern "C" fn fake_progress(ctx: *mut c_void, label: OscStr, done: u64, total: u64) {
    with_host(ctx, (), |host| {
        // SAFETY: borrowed for the call.
        let l = String::from_utf8_lossy(unsafe { label.as_bytes() }).into_owned();
        host.progress.push((l, done, total));
    })
}

/// Checks a plugin's manifest exactly as osc does when it finds the plugin (strict keys,
/// value types, argument types, names) plus the ABI version this SDK speaks. Call it from
/// a test, so a typo fails `cargo test` instead of getting the plugin refused:
///
/// ```ignore
/// #[test]
/// fn manifest_is_valid() {
///     osc_plugin_sdk::testing::check_manifest(&my_plugin::osc_plugin_manifest).unwrap();
/// }
/// ```
pub fn check_manifest(manifest: &[u8]) -> Result<Value, String> {
    let m = crate::manifest::validate(manifest)?;
    let major = m["abi"][0].as_u64().unwrap_or(0);
    let minor = m["abi"][1].as_u64().unwrap_or(0);
    if major != u64::from(abi::ABI_MAJOR) || minor > u64::from(abi::ABI_MINOR) {
        return Err(format!(
            "manifest says ABI {major}.{minor}, this SDK speaks {}.{}",
            abi::ABI_MAJOR,
            abi::ABI_MINOR
        ));
    }
    Ok(m)
}

/// The command named by the leading words of `argv` and its parsed arguments, with osc's
/// rules: `--long value`, `--long=value`, `-s value`, flags, positionals in order (a
/// `multiple` one takes the rest), negative numbers as values, `--` ends the options,
/// required, choices, exclusive groups, defaults, typed values.
pub fn parse_command_line(
    manifest: &Value,
    argv: &[&str],
) -> Result<(String, serde_json::Map<String, Value>), String> {
    use crate::manifest::{convert, fold, is_negative_number};
    let commands = manifest["commands"].as_array().cloned().unwrap_or_default();
    let words: Vec<&str> = argv
        .iter()
        .take_while(|a| !a.starts_with('-'))
        .copied()
        .collect();
    let (spec, used) = (1..=words.len())
        .rev()
        .find_map(|n| {
            let name = words[..n].join(" ");
            commands
                .iter()
                .find(|c| c["name"].as_str() == Some(name.as_str()))
                .map(|c| (c.clone(), n))
        })
        .ok_or_else(|| format!("unknown command {:?}", words.join(" ")))?;
    // `-f/--format`, as osc adds it to list and show commands: cliff's formatters and the
    // command's own, its default the manifest's `format` (else table).
    let standard = match spec["kind"].as_str() {
        Some("list") => crate::manifest::LIST_FORMATS,
        Some("show") => crate::manifest::SHOW_FORMATS,
        _ => &[][..],
    };
    let own: Vec<&str> = spec["formats"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut format =
        (!standard.is_empty()).then(|| spec["format"].as_str().unwrap_or("table").to_string());
    let mut kept: Vec<&str> = argv[..used].to_vec();
    let mut it = argv[used..].iter();
    while let Some(&tok) = it.next() {
        let value = match tok {
            "-f" | "--format" if format.is_some() => Some(
                it.next()
                    .copied()
                    .ok_or("argument -f/--format: expected one argument")?,
            ),
            _ => tok.strip_prefix("--format=").filter(|_| format.is_some()),
        };
        match value {
            Some(v) if standard.contains(&v) || own.contains(&v) => format = Some(v.to_string()),
            Some(v) => return Err(format!("argument -f/--format: invalid choice: '{v}'")),
            None => kept.push(tok),
        }
    }
    let argv = &kept[..];
    let args = spec["args"].as_array().cloned().unwrap_or_default();
    let flag = |a: &Value| a["flag"].as_bool().unwrap_or(false);
    let multiple = |a: &Value| a["multiple"].as_bool().unwrap_or(false);
    let name_of = |a: &Value| a["name"].as_str().unwrap_or("").to_string();
    let shown = |a: &Value| match a["long"].as_str() {
        Some(l) => format!("argument {l}"),
        None => format!("argument {}", name_of(a)),
    };
    let mut raw: Vec<(String, Vec<String>)> = Vec::new();
    let mut flags: Vec<String> = Vec::new();
    let mut positionals: Vec<String> = Vec::new();
    let mut rest = argv[used..].iter();
    let mut only_positionals = false;
    while let Some(&tok) = rest.next() {
        if only_positionals || !tok.starts_with('-') || tok == "-" || is_negative_number(tok) {
            positionals.push(tok.to_string());
            continue;
        }
        if tok == "--" {
            only_positionals = true;
            continue;
        }
        let (opt, inline) = match tok.split_once('=') {
            Some((o, v)) if tok.starts_with("--") => (o, Some(v.to_string())),
            _ => (tok, None),
        };
        let a = args
            .iter()
            .find(|a| {
                a["long"].as_str() == Some(opt)
                    || (opt.len() == 2 && a["short"].as_str() == Some(&opt[1..]))
            })
            .ok_or_else(|| format!("unrecognized arguments: {tok}"))?;
        if flag(a) {
            if inline.is_some() {
                return Err(format!("{}: ignored explicit argument", shown(a)));
            }
            flags.push(name_of(a));
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => match rest.as_slice().first() {
                Some(&v) if !v.starts_with('-') || is_negative_number(v) => {
                    rest.next();
                    v.to_string()
                }
                _ => match a["missing"].as_str() {
                    Some(m) => m.to_string(),
                    None => return Err(format!("{}: expected one argument", shown(a))),
                },
            },
        };
        let mut values = vec![value];
        // `multiple_values`: several values per occurrence (`--x a b`), as osc's parser.
        if a["multiple_values"].as_bool().unwrap_or(false) {
            while let Some(&next) = rest.as_slice().first() {
                if next.starts_with('-') && !is_negative_number(next) {
                    break;
                }
                values.push(next.to_string());
                rest.next();
            }
        }
        let several = multiple(a) || a["multiple_values"].as_bool().unwrap_or(false);
        match raw.iter_mut().find(|(n, _)| *n == name_of(a)) {
            Some((_, v)) if several => v.extend(values),
            Some((_, v)) => *v = values,
            None => raw.push((name_of(a), values)),
        }
    }
    let mut positionals = positionals.into_iter();
    for a in args.iter().filter(|a| a["long"].is_null()) {
        let vals: Vec<String> = if multiple(a) {
            positionals.by_ref().collect()
        } else {
            positionals.next().into_iter().collect()
        };
        if !vals.is_empty() {
            raw.push((name_of(a), vals));
        }
    }
    let extra: Vec<String> = positionals.collect();
    if !extra.is_empty() {
        return Err(format!("unrecognized arguments: {}", extra.join(" ")));
    }
    let mut out = serde_json::Map::new();
    let mut groups: Vec<(String, String)> = Vec::new();
    for a in &args {
        let name = name_of(a);
        let ty = a["type"].as_str();
        if flag(a) {
            let given = flags.contains(&name);
            out.insert(name.clone(), Value::Bool(given));
            if given {
                if let Some(g) = a["exclusive"].as_str() {
                    groups.push((g.to_string(), shown(a)));
                }
            }
            continue;
        }
        let mut vals = raw
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        if vals.is_empty() {
            if a["required"].as_bool().unwrap_or(false) {
                return Err(format!(
                    "the following arguments are required: {}",
                    a["long"].as_str().map(str::to_string).unwrap_or(name)
                ));
            }
            match a["default"].as_str() {
                Some(d) => vals.push(d.to_string()),
                None => continue,
            }
        } else if let Some(g) = a["exclusive"].as_str() {
            groups.push((g.to_string(), shown(a)));
        }
        let choices: Vec<&str> = a["choices"]
            .as_array()
            .map(|c| c.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut converted = Vec::new();
        for v in &vals {
            if !choices.is_empty() && !choices.contains(&v.as_str()) {
                return Err(format!("{}: invalid choice: '{v}'", shown(a)));
            }
            let ty = if choices.is_empty() { ty } else { None };
            converted.push(convert(ty, v).map_err(|e| format!("{}: {e}", shown(a)))?);
        }
        let value = if multiple(a) || a["multiple_values"].as_bool().unwrap_or(false) {
            fold(ty, converted)
        } else {
            converted.pop().unwrap_or(Value::Null)
        };
        out.insert(name, value);
    }
    for (i, (g, who)) in groups.iter().enumerate() {
        if let Some((_, other)) = groups[..i].iter().find(|(h, _)| h == g) {
            return Err(format!("{who}: not allowed with {other}"));
        }
    }
    if let Some(f) = format {
        out.insert(crate::FORMAT_KEY.into(), Value::String(f));
    }
    Ok((spec["name"].as_str().unwrap_or("").to_string(), out))
}

#[cfg(test)]
mod tests {
    use super::parse_command_line;
    use serde_json::json;

    #[test]
    fn several_values_per_occurrence_and_optional_values() {
        let m = json!({"commands": [{"name": "x y", "args": [
            {"name": "ids", "long": "--ids", "multiple_values": true},
            {"name": "wait", "long": "--wait", "type": "int", "missing": "0"},
            {"name": "rest", "multiple": true}
        ]}]});
        let (cmd, args) =
            parse_command_line(&m, &["x", "y", "--wait", "--ids", "a", "-2", "--", "p"]).unwrap();
        assert_eq!(cmd, "x y");
        assert_eq!(
            serde_json::Value::Object(args),
            json!({"ids": ["a", "-2"], "wait": 0, "rest": ["p"]})
        );
    }
}
