//! The osc plugin SDK: write an osc plugin in safe Rust.
//!
//! A plugin is a `cdylib` with a JSON manifest (its commands, arguments, help and
//! columns) and one handler function:
//!
//! ```ignore
//! use osc_plugin_sdk::{export_plugin, Args, Host, Reply, Request, Result};
//!
//! fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
//!     match command {
//!         "hello list" => {
//!             let v = host.request(Request::get("network", "/networks"))?.ok()?.json()?;
//!             Ok(Reply::list(["ID"]).rows(/* ... */ Vec::new()))
//!         }
//!         other => Err(format!("unknown command {other}").into()),
//!     }
//! }
//! export_plugin!(manifest: "../manifest.json", handler: run);
//! ```
//!
//! The macro exports the manifest and build info as plain data (the host reads them
//! from the file without running any code) and the `osc_plugin_entry_v1` function table;
//! every call is wrapped in `catch_unwind`, so a panic becomes an error, not a crash.
//! [`testing::FakeHost`] runs a plugin in-process against scripted HTTP responses.

pub mod api;
pub mod concurrent;
pub mod manifest;
pub mod testing;
pub mod verbs;

pub use osc_api;
pub use osc_api::wait::Status as WaitStatus;
pub use osc_api::{Fields, Method, Poll, Resource, Wait};

pub use osc_plugin_abi as abi;
pub use serde_json::{self, json, Map, Value};

use abi::{OscBuf, OscHost, OscReader, OscStr, Status};
use std::cell::RefCell;
use std::io::Read;
use std::os::raw::c_void;

/// A one-line error for the user: the shared machinery's error (`Error::other("...")`, or
/// `"...".into()`), which also carries HTTP statuses and lookup failures.
pub use osc_api::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The parsed command-line arguments, keyed by the manifest's argument names.
#[derive(Debug, Clone, Default)]
pub struct Args(pub Map<String, Value>);

/// Where [`Args`] keeps the formatter osc will render with (not a valid argument name).
pub const FORMAT_KEY: &str = "osc:format";

impl Args {
    /// The formatter of a list or show command's output (`-f`, or the manifest's `format`,
    /// else `table`), as osc sends it; `None` for other commands and older hosts. A command
    /// declaring formatters of its own (`"formats": ["log"]`) renders those itself as text,
    /// and one that differs in tables (a column shown as text there) can read `"table"`.
    pub fn format(&self) -> Option<&str> {
        self.0.get(FORMAT_KEY).and_then(Value::as_str)
    }
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }
    pub fn has(&self, name: &str) -> bool {
        match self.value(name) {
            Some(Value::Bool(b)) => *b,
            Some(Value::Array(a)) => !a.is_empty(),
            Some(_) => true,
            None => false,
        }
    }
    /// A boolean flag (false when absent).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.value(name), Some(Value::Bool(true)))
    }
    pub fn str(&self, name: &str) -> Option<&str> {
        match self.value(name) {
            Some(Value::String(s)) => Some(s),
            Some(Value::Array(a)) => a.last().and_then(Value::as_str),
            _ => None,
        }
    }
    /// A required string argument (the host enforces `required`, this is the safety net).
    pub fn req(&self, name: &str) -> Result<&str> {
        self.str(name)
            .ok_or_else(|| Error::other(format!("missing argument {name}")))
    }
    /// A repeatable argument (empty when absent; a single value is a one-element list).
    pub fn list(&self, name: &str) -> Vec<String> {
        match self.value(name) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }
    /// An integer argument; a non-number is a usage error.
    pub fn int(&self, name: &str) -> Result<Option<i64>> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| Error::other(format!("{name}: not an integer"))),
            Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| {
                Error::other(format!(
                    "argument --{}: invalid int value: '{s}'",
                    name.replace('_', "-")
                ))
            }),
            Some(v) => Err(Error::other(format!("{name}: not an integer: {v}"))),
        }
    }
}

impl Args {
    /// A `float` argument (integers are floats too).
    pub fn float(&self, name: &str) -> Result<Option<f64>> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(v) => Err(Error::other(format!("{name}: not a number: {v}"))),
        }
    }
    /// A `bool` argument (`None` when absent).
    pub fn bool(&self, name: &str) -> Option<bool> {
        self.value(name).and_then(Value::as_bool)
    }
    /// A `dict` argument as `(key, value)` pairs (empty when absent).
    pub fn dict(&self, name: &str) -> Vec<(String, String)> {
        match self.value(name) {
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_string),
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// What a command returns; the host renders it exactly as a built-in's output.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    List {
        columns: Vec<String>,
        rows: Vec<Vec<Value>>,
        styles: Map<String, Value>,
    },
    Show {
        fields: Vec<(String, Value)>,
        styles: Map<String, Value>,
    },
    None,
    Text(String),
}

impl Reply {
    pub fn list<S: Into<String>>(columns: impl IntoIterator<Item = S>) -> Self {
        Reply::List {
            columns: columns.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
            styles: Map::new(),
        }
    }
    pub fn show() -> Self {
        Reply::Show {
            fields: Vec::new(),
            styles: Map::new(),
        }
    }
    /// Adds rows to a list reply.
    pub fn rows(mut self, new: Vec<Vec<Value>>) -> Self {
        if let Reply::List { rows, .. } = &mut self {
            rows.extend(new);
        }
        self
    }
    /// Adds a field to a show reply.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        if let Reply::Show { fields, .. } = &mut self {
            fields.push((name.into(), value.into()));
        }
        self
    }
    /// Sets how a column is shown to humans: list, dict, list_dict, dict_list, size, json, yaml, raw.
    pub fn style(mut self, column: &str, style: &str) -> Self {
        if let Reply::List { styles, .. } | Reply::Show { styles, .. } = &mut self {
            styles.insert(column.to_string(), Value::String(style.to_string()));
        }
        self
    }
    /// The reply as the host reads it, moving the values (a listing's rows are not copied).
    pub fn into_json(self) -> Value {
        let mut out = Map::new();
        let styles = match self {
            Reply::List {
                columns,
                rows,
                styles,
            } => {
                let mut list = Map::new();
                list.insert(
                    "columns".into(),
                    Value::Array(columns.into_iter().map(Value::String).collect()),
                );
                list.insert(
                    "rows".into(),
                    Value::Array(rows.into_iter().map(Value::Array).collect()),
                );
                out.insert("list".into(), Value::Object(list));
                styles
            }
            Reply::Show { fields, styles } => {
                let f = fields
                    .into_iter()
                    .map(|(k, v)| Value::Array(vec![Value::String(k), v]))
                    .collect();
                out.insert("show".into(), json!({"fields": Value::Array(f)}));
                styles
            }
            Reply::None => return json!({"none": null}),
            Reply::Text(t) => return json!({"text": t}),
        };
        out.insert("styles".into(), Value::Object(styles));
        Value::Object(out)
    }
    pub fn to_json(&self) -> Value {
        self.clone().into_json()
    }
}

/// An HTTP request to a service type; the host adds the endpoint, token and retries.
pub struct Request<'a> {
    pub method: String,
    pub service: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub json: Option<Value>,
    pub text: Option<String>,
    pub content_type: Option<String>,
    pub body: Option<Box<dyn Read + 'a>>,
    /// Exactly this microversion (empty: none), whatever the server's range.
    pub microversion: Option<String>,
    /// The client's maximum microversion: the host sends min(this, the server's maximum),
    /// or the user's `--os-<service>-api-version`; [`Response::microversion`] says which.
    pub max_microversion: Option<String>,
}

impl<'a> Request<'a> {
    pub fn new(method: &str, service: &str, path: impl Into<String>) -> Self {
        Request {
            method: method.to_string(),
            service: service.to_string(),
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            json: None,
            text: None,
            content_type: None,
            body: None,
            microversion: None,
            max_microversion: None,
        }
    }
    pub fn patch(service: &str, path: impl Into<String>) -> Self {
        Self::new("PATCH", service, path)
    }
    /// Sends exactly this microversion.
    pub fn microversion(mut self, v: impl Into<String>) -> Self {
        self.microversion = Some(v.into());
        self
    }
    /// Negotiates up to this microversion (see [`Request::max_microversion`]).
    pub fn max_microversion(mut self, v: impl Into<String>) -> Self {
        self.max_microversion = Some(v.into());
        self
    }
    pub fn get(service: &str, path: impl Into<String>) -> Self {
        Self::new("GET", service, path)
    }
    pub fn head(service: &str, path: impl Into<String>) -> Self {
        Self::new("HEAD", service, path)
    }
    pub fn post(service: &str, path: impl Into<String>) -> Self {
        Self::new("POST", service, path)
    }
    pub fn put(service: &str, path: impl Into<String>) -> Self {
        Self::new("PUT", service, path)
    }
    pub fn delete(service: &str, path: impl Into<String>) -> Self {
        Self::new("DELETE", service, path)
    }
    pub fn query(mut self, k: &str, v: impl ToString) -> Self {
        self.query.push((k.to_string(), v.to_string()));
        self
    }
    pub fn header(mut self, k: &str, v: impl ToString) -> Self {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }
    pub fn json(mut self, v: Value) -> Self {
        self.json = Some(v);
        self
    }
    pub fn text(mut self, t: impl Into<String>) -> Self {
        self.text = Some(t.into());
        self
    }
    /// The same request again, to send once more; `None` when its body is streamed (a
    /// reader can be read only once).
    pub fn try_clone(&self) -> Option<Request<'static>> {
        if self.body.is_some() {
            return None;
        }
        Some(Request {
            method: self.method.clone(),
            service: self.service.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            json: self.json.clone(),
            text: self.text.clone(),
            content_type: self.content_type.clone(),
            body: None,
            microversion: self.microversion.clone(),
            max_microversion: self.max_microversion.clone(),
        })
    }
    /// The body's media type, any value (`application/openstack-images-v2.1-json-patch`,
    /// a vendor type...). Without it: `application/json` for `json`, else
    /// `application/octet-stream`.
    pub fn content_type(mut self, ct: impl Into<String>) -> Self {
        self.content_type = Some(ct.into());
        self
    }
    /// Streams the body from a reader (uploads in constant memory; never retried).
    pub fn body(mut self, r: impl Read + 'a) -> Self {
        self.body = Some(Box::new(r));
        self
    }
    fn head_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("method".into(), json!(self.method));
        m.insert("service".into(), json!(self.service));
        m.insert("path".into(), json!(self.path));
        m.insert("query".into(), json!(self.query));
        m.insert("headers".into(), json!(self.headers));
        if let Some(j) = &self.json {
            m.insert("json".into(), j.clone());
        }
        if let Some(t) = &self.text {
            m.insert("text".into(), json!(t));
        }
        if let Some(c) = &self.content_type {
            m.insert("content_type".into(), json!(c));
        }
        if let Some(v) = &self.microversion {
            m.insert("microversion".into(), json!(v));
        }
        if let Some(v) = &self.max_microversion {
            m.insert("max_microversion".into(), json!(v));
        }
        Value::Object(m)
    }
}

/// The host's callbacks, valid during one invocation.
pub struct Host<'h> {
    pub(crate) raw: &'h OscHost,
    /// Versioned endpoints seen in answers, per service type (to resolve relative links).
    pub(crate) endpoints: RefCell<std::collections::HashMap<String, String>>,
}

/// An HTTP response; read its body with `Read`, `json()` or `read_all()`.
pub struct Response<'h> {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub url: String,
    /// The microversion the host sent, if any.
    pub microversion: Option<String>,
    handle: u64,
    host: &'h OscHost,
}

impl<'h> Host<'h> {
    /// # Safety
    /// `raw` must be a valid host table for the duration of `'h`.
    pub unsafe fn from_raw(raw: &'h OscHost) -> Self {
        Host {
            raw,
            endpoints: RefCell::new(Default::default()),
        }
    }

    /// The versioned endpoint of `service`, as learnt from answers to relative paths.
    pub fn known_endpoint(&self, service: &str) -> Option<String> {
        self.endpoints.borrow().get(service).cloned()
    }

    /// Sends a request through the host. HTTP error statuses are returned as responses
    /// (see [`Response::ok`]); only failures to send at all are errors.
    pub fn request(&self, mut req: Request<'_>) -> Result<Response<'h>> {
        let http = self.raw.http.ok_or("the host offers no HTTP")?;
        let head = req.head_json().to_string();
        let relative = !(req.path.starts_with("http://") || req.path.starts_with("https://"));
        let mut out = OscBuf::empty();
        let mut body = req.body.take();
        let reader_state: *mut Option<Box<dyn Read + '_>> = &mut body;
        let reader = OscReader {
            state: reader_state as *mut c_void,
            read: Some(read_body),
        };
        let body_ptr: *const OscReader = if body.is_some() {
            &reader
        } else {
            std::ptr::null()
        };
        // SAFETY: the host table is valid during the call; `reader` and `body` outlive it.
        let status = unsafe {
            http(
                self.raw.ctx,
                OscStr::from_bytes(head.as_bytes()),
                body_ptr,
                &mut out,
            )
        };
        // SAFETY: the host filled `out` and hands it to us to release.
        let bytes = unsafe { out.take() };
        let v: Value = serde_json::from_slice(&bytes)
            .map_err(|e| Error::other(format!("bad response from the host: {e}")))?;
        if status != abi::OK {
            return Err(Error::other(
                v["error"]
                    .as_str()
                    .unwrap_or("HTTP request failed")
                    .to_string(),
            ));
        }
        let url = v["url"].as_str().unwrap_or("").to_string();
        if relative {
            // The endpoint is the answered URL less the path and query asked for.
            let base = url.split('?').next().unwrap_or("");
            if let Some(ep) = base.strip_suffix(req.path.split('?').next().unwrap_or("")) {
                if !ep.is_empty() {
                    self.endpoints
                        .borrow_mut()
                        .insert(req.service.clone(), ep.to_string());
                }
            }
        }
        let headers = v["headers"]
            .as_array()
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
            .unwrap_or_default();
        Ok(Response {
            status: v["status"].as_u64().unwrap_or(0) as u16,
            headers,
            url,
            microversion: v["microversion"].as_str().map(str::to_string),
            handle: v["body"].as_u64().unwrap_or(0),
            host: self.raw,
        })
    }

    fn log(&self, level: i32, msg: &str) {
        if let Some(f) = self.raw.log {
            // SAFETY: valid host table; msg borrowed for the call.
            unsafe { f(self.raw.ctx, level, OscStr::from_bytes(msg.as_bytes())) }
        }
    }
    pub fn debug(&self, msg: &str) {
        self.log(abi::LOG_DEBUG, msg)
    }
    pub fn info(&self, msg: &str) {
        self.log(abi::LOG_INFO, msg)
    }
    pub fn warn(&self, msg: &str) {
        self.log(abi::LOG_WARN, msg)
    }
    /// Reports transfer progress (`total` 0 when unknown).
    pub fn progress(&self, label: &str, done: u64, total: u64) {
        if let Some(f) = self.raw.progress {
            // SAFETY: valid host table; label borrowed for the call.
            unsafe {
                f(
                    self.raw.ctx,
                    OscStr::from_bytes(label.as_bytes()),
                    done,
                    total,
                )
            }
        }
    }
}

unsafe extern "C" fn read_body(state: *mut c_void, buf: *mut u8, cap: usize) -> i64 {
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if state.is_null() || buf.is_null() {
            return -1;
        }
        // SAFETY: `state` is the `Option<Box<dyn Read>>` set up in `Host::request`, alive
        // during the http() call that uses it; `buf` has `cap` writable bytes.
        let (reader, out) = unsafe {
            (
                &mut *(state as *mut Option<Box<dyn Read + '_>>),
                std::slice::from_raw_parts_mut(buf, cap),
            )
        };
        match reader.as_mut() {
            None => 0,
            Some(r) => loop {
                match r.read(out) {
                    Ok(n) => return n as i64,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => return -1,
                }
            },
        }
    }));
    r.unwrap_or(-1)
}

impl Response<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
    /// The response if its status is a success, else an error with the service's message
    /// (or the status's reason phrase when the body has none, as for Swift's HEAD).
    pub fn ok(mut self) -> Result<Self> {
        if self.is_success() {
            return Ok(self);
        }
        let text = self.text().unwrap_or_default();
        let rid = osc_api::error_body::REQUEST_ID_HEADERS
            .iter()
            .find_map(|h| self.header(h))
            .map(str::to_string);
        Err(osc_api::error_body::http_error(
            self.status,
            &text,
            rid.as_deref(),
        ))
    }
    pub fn read_all(&mut self) -> Result<Vec<u8>> {
        let mut v = Vec::new();
        self.read_to_end(&mut v)
            .map_err(|e| Error::other(e.to_string()))?;
        Ok(v)
    }
    pub fn text(&mut self) -> Result<String> {
        Ok(String::from_utf8_lossy(&self.read_all()?).into_owned())
    }
    /// The body as JSON (`null` when empty).
    pub fn json(mut self) -> Result<Value> {
        let b = self.read_all()?;
        if b.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&b).map_err(|e| self.body_error(e))
    }

    /// The error for a body that could not be read or parsed, naming the URL as the
    /// host's own errors do: a connection reset or a body short of its length is a read
    /// failure, not bad JSON.
    pub fn body_error(&self, e: serde_json::Error) -> Error {
        if e.is_io() {
            Error::other(format!("Reading the response from {} failed", self.url))
        } else {
            Error::BadReply(format!(
                "The service at {} sent a response that is not valid JSON: {e}",
                self.url
            ))
        }
    }
}

/// The message in an OpenStack error body, whatever the service's format (the host's parser).
pub use osc_api::error_body::error_message;

impl Read for Response<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.handle == 0 || buf.is_empty() {
            return Ok(0);
        }
        let Some(f) = self.host.body_read else {
            return Ok(0);
        };
        // SAFETY: valid host table; buf is writable for its length.
        let n = unsafe { f(self.host.ctx, self.handle, buf.as_mut_ptr(), buf.len()) };
        if n < 0 {
            return Err(std::io::Error::other(format!(
                "Reading the response from {} failed",
                self.url
            )));
        }
        Ok(n as usize)
    }
}

impl Drop for Response<'_> {
    fn drop(&mut self) {
        if self.handle != 0 {
            if let Some(f) = self.host.body_close {
                // SAFETY: valid host table; each handle is closed once.
                unsafe { f(self.host.ctx, self.handle) }
            }
            self.handle = 0;
        }
    }
}

/// The build info for the exporting crate (the macro passes its `cfg!(panic = "abort")`).
pub const fn build_info(panic_aborts: bool) -> abi::OscBuildInfo {
    abi::OscBuildInfo {
        struct_size: abi::BUILD_INFO_SIZE as u32,
        abi_major: abi::ABI_MAJOR,
        abi_minor: abi::ABI_MINOR,
        panic_aborts: panic_aborts as u8,
        reserved: [0; 7],
    }
}

pub type Handler = fn(&Host, &str, &Args) -> Result<Reply>;

thread_local! {
    pub(crate) static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    /// True while a handler runs: only its panics are recorded instead of printed (an
    /// in-process test harness shares this hook with the test's own panics).
    pub(crate) static IN_HANDLER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Replaces this plugin's panic hook (its own, separate from the host's) with one that
/// records the message instead of printing a backtrace banner.
fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_HANDLER.with(|f| f.get()) {
                return previous(info);
            }
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let loc = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{loc}")));
        }));
    });
}

fn put(result: *mut OscBuf, v: &Value) {
    if !result.is_null() {
        // SAFETY: the host gave us a writable OscBuf; it releases it with our `release`.
        unsafe { *result = OscBuf::from_vec(v.to_string().into_bytes()) }
    }
}

/// The body of the exported `invoke`: decodes the request, runs the handler with panics
/// caught, encodes the reply. Used by [`export_plugin!`].
///
/// # Safety
/// Arguments as the ABI describes (`host` valid for the call, `result` writable).
pub unsafe fn invoke(
    host: *const OscHost,
    request: OscStr,
    result: *mut OscBuf,
    handler: Handler,
) -> Status {
    quiet_panics();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if host.is_null() {
            return (abi::BAD_REQUEST, json!({"error": "no host table"}));
        }
        // SAFETY: non-null and valid for the call (ABI rule).
        let raw = unsafe { &*host };
        if (raw.struct_size as usize) < std::mem::size_of::<OscHost>()
            || raw.abi_major != abi::ABI_MAJOR
        {
            return (abi::BAD_REQUEST, json!({"error": "incompatible host ABI"}));
        }
        // SAFETY: borrowed request bytes, valid for the call.
        let bytes = unsafe { request.as_bytes() };
        let req: Value = match serde_json::from_slice(bytes) {
            Ok(v) => v,
            Err(e) => {
                return (
                    abi::BAD_REQUEST,
                    json!({"error": format!("bad request: {e}")}),
                )
            }
        };
        let command = req["command"].as_str().unwrap_or("").to_string();
        let mut args = Args(req["args"].as_object().cloned().unwrap_or_default());
        args.0.remove(FORMAT_KEY);
        if let Some(f) = req["format"].as_str() {
            args.0
                .insert(FORMAT_KEY.into(), Value::String(f.to_string()));
        }
        // SAFETY: see above.
        let h = unsafe { Host::from_raw(raw) };
        IN_HANDLER.with(|f| f.set(true));
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            handler(&h, &command, &args)
        }));
        IN_HANDLER.with(|f| f.set(false));
        let outcome = match outcome {
            Ok(o) => o,
            Err(p) => std::panic::resume_unwind(p),
        };
        match outcome {
            Ok(reply) => (abi::OK, reply.into_json()),
            Err(e) => (abi::ERROR, json!({"error": e.to_string()})),
        }
    }));
    let (status, v) = match r {
        Ok(x) => x,
        Err(_) => {
            let msg = LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| "unknown panic".into());
            (
                abi::PANIC,
                json!({"error": format!("the plugin panicked: {msg}")}),
            )
        }
    };
    put(result, &v);
    status
}

/// Exports a plugin: its manifest (a JSON file, path relative to the calling source
/// file), build info and entry point. `handler` is a `fn(&Host, &str, &Args) -> Result<Reply>`.
#[macro_export]
macro_rules! export_plugin {
    (manifest: $path:literal, handler: $handler:path $(,)?) => {
        /// The manifest, as plain data the host reads from the file without loading it.
        #[unsafe(no_mangle)]
        #[used]
        pub static osc_plugin_manifest: [u8; include_bytes!($path).len()] = *include_bytes!($path);

        /// ABI version and panic strategy, read before loading.
        #[unsafe(no_mangle)]
        #[used]
        pub static osc_plugin_build_info: $crate::abi::OscBuildInfo =
            $crate::build_info(cfg!(panic = "abort"));

        static __OSC_PLUGIN_TABLE: $crate::abi::OscPlugin = $crate::abi::OscPlugin {
            struct_size: ::std::mem::size_of::<$crate::abi::OscPlugin>() as u32,
            abi_major: $crate::abi::ABI_MAJOR,
            abi_minor: $crate::abi::ABI_MINOR,
            invoke: Some(__osc_plugin_invoke),
        };

        unsafe extern "C" fn __osc_plugin_invoke(
            host: *const $crate::abi::OscHost,
            request: $crate::abi::OscStr,
            result: *mut $crate::abi::OscBuf,
        ) -> $crate::abi::Status {
            // SAFETY: the host calls with arguments as the ABI describes.
            unsafe { $crate::invoke(host, request, result, $handler) }
        }

        /// The entry point; its name carries the ABI major version.
        #[unsafe(no_mangle)]
        pub extern "C" fn osc_plugin_entry_v1() -> *const $crate::abi::OscPlugin {
            &__OSC_PLUGIN_TABLE
        }
    };
}
