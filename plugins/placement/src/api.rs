//! Requests to Placement as osc-placement's `SessionClient` sends them, and the microversion
//! in effect.
//!
//! osc-placement's default `--os-placement-api-version` is `1`, which negotiates: its
//! client maximum 1.29, or the server's maximum when lower (`http.py`). That is the host's
//! `max_microversion("1.29")`, which also sends exactly what the user pinned. The plugin
//! learns the version in effect from the first answer (`Response::microversion`): commands
//! whose first request only reads check their version gates on that answer; commands that
//! would change something first ask `GET /` (as osc-placement's negotiation does), so a gate
//! never fails after a change. A bare major pin (`1`) makes the host send no header;
//! osc-placement negotiates then, so the plugin sends 1.29 from then on.

use osc_plugin_sdk::{Error, Host, Request, Response, Result, Value};
use std::cell::RefCell;

pub const SERVICE: &str = "placement";
/// osc-placement's `MAX_VERSION_NO_GAP`: what its default negotiates up to.
pub const DEFAULT: &str = "1.29";

/// osc-placement's `SUPPORTED_VERSIONS` (`version.py`), as osc_lib sorts them in its message.
pub const SUPPORTED: &[&str] = &[
    "1", "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10", "1.11",
    "1.12", "1.13", "1.14", "1.15", "1.16", "1.17", "1.18", "1.19", "1.20", "1.21", "1.22", "1.23",
    "1.24", "1.25", "1.26", "1.27", "1.28", "1.29", "1.37", "1.38", "1.39",
];

/// A dotted version, compared numerically.
fn parse(v: &str) -> Option<(u32, u32)> {
    let (a, b) = v.split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// `a >= b`; unparsable versions compare as 1.0.
pub fn ge(a: &str, b: &str) -> bool {
    parse(a).unwrap_or((1, 0)) >= parse(b).unwrap_or((1, 0))
}

/// osc-placement's `version.compare(ver, version.ge(b))` error.
pub fn ge_error(ver: &str, b: &str) -> Error {
    Error::other(format!(
        "Operation or argument is not supported with version {ver}; requires at least version {b}"
    ))
}

/// One request, kept as data so it can be sent again.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: &'static str,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub json: Option<Value>,
}

impl Call {
    pub fn new(method: &'static str, path: impl Into<String>) -> Self {
        Call {
            method,
            path: path.into(),
            query: Vec::new(),
            json: None,
        }
    }
    pub fn get(path: impl Into<String>) -> Self {
        Self::new("GET", path)
    }
    pub fn query(mut self, k: &str, v: impl ToString) -> Self {
        self.query.push((k.to_string(), v.to_string()));
        self
    }
    pub fn json(mut self, v: Value) -> Self {
        self.json = Some(v);
        self
    }
}

/// The placement client of one command: the host, and the version once known.
pub struct Api<'a, 'h> {
    pub host: &'a Host<'h>,
    version: RefCell<Option<String>>,
    /// Set when the host sent no microversion (a bare `1` pin): send 1.29 exactly.
    exact: RefCell<Option<String>>,
}

impl<'a, 'h> Api<'a, 'h> {
    pub fn new(host: &'a Host<'h>) -> Self {
        Api {
            host,
            version: RefCell::new(None),
            exact: RefCell::new(None),
        }
    }

    fn request(&self, call: &Call) -> Request<'static> {
        let mut r = Request::new(call.method, SERVICE, call.path.clone())
            .header("Accept", "application/json");
        r.query = call.query.clone();
        r.json = call.json.clone();
        match self.exact.borrow().as_deref() {
            Some(v) => r.microversion(v),
            None => r.max_microversion(DEFAULT),
        }
    }

    /// Sends the call; the answer whatever its status (see [`ok`]). The first answer
    /// tells the version in effect.
    pub fn send(&self, call: &Call) -> Result<Response<'h>> {
        let resp = self.host.request(self.request(call))?;
        if self.version.borrow().is_some() {
            return Ok(resp);
        }
        match resp.microversion.clone() {
            Some(v) => {
                self.learn(&v)?;
                Ok(resp)
            }
            None => {
                // A bare major pin: osc-placement negotiates; so do we, from now on.
                *self.exact.borrow_mut() = Some(DEFAULT.to_string());
                self.learn(DEFAULT)?;
                if call.method == "GET" {
                    drop(resp);
                    self.host.request(self.request(call))
                } else {
                    Ok(resp)
                }
            }
        }
    }

    fn learn(&self, v: &str) -> Result<()> {
        if !SUPPORTED.contains(&v) {
            // python-openstackclient's shell warns first, then osc_lib refuses the version.
            self.host.warn(&format!(
                "placement API version {v} is not in supported versions: {}",
                SUPPORTED.join(", ")
            ));
            return Err(Error::other(format!(
                "Invalid placement client version '{v}'. must be one of: {}",
                SUPPORTED.join(", ")
            )));
        }
        *self.version.borrow_mut() = Some(v.to_string());
        Ok(())
    }

    /// The version in effect; asks `GET /` when no request has told it yet.
    pub fn version(&self) -> Result<String> {
        if let Some(v) = self.version.borrow().clone() {
            return Ok(v);
        }
        drop(self.send(&Call::get("/"))?);
        Ok(self
            .version
            .borrow()
            .clone()
            .unwrap_or_else(|| DEFAULT.into()))
    }

    /// `self.check_version(version.ge(b))`.
    pub fn require(&self, b: &str) -> Result<()> {
        let v = self.version()?;
        if ge(&v, b) {
            Ok(())
        } else {
            Err(ge_error(&v, b))
        }
    }

    /// `self.compare_version(version.ge(b))`.
    pub fn at_least(&self, b: &str) -> Result<bool> {
        Ok(ge(&self.version()?, b))
    }

    /// Sends a read, then checks `gates` on the version it was answered with (before looking
    /// at its status), as osc-placement checks them before sending; the JSON of a success.
    pub fn get_checked(
        &self,
        call: &Call,
        gates: impl FnOnce(&Self) -> Result<()>,
    ) -> Result<Value> {
        let resp = self.send(call)?;
        gates(self)?;
        ok(resp)?.json()
    }

    /// Sends and returns the JSON body of a success (`null` when empty).
    pub fn json(&self, call: &Call) -> Result<Value> {
        ok(self.send(call)?)?.json()
    }

    /// Sends and discards the body of a success.
    pub fn call(&self, call: &Call) -> Result<()> {
        ok(self.send(call)?).map(drop)
    }
}

/// A success, or the error osc-placement reports: for 4xx, the last line of the first
/// error's detail as osc_lib's exception for the status ("... (HTTP 404)"), or a
/// CommandError of (status, message) for statuses osc_lib has no class for; 5xx as
/// keystoneauth words them.
pub fn ok(mut resp: Response<'_>) -> Result<Response<'_>> {
    if resp.is_success() {
        return Ok(resp);
    }
    let status = resp.status;
    let text = resp.text().unwrap_or_default();
    if (400..500).contains(&status) {
        let detail = osc_plugin_sdk::serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v["errors"][0]["detail"].as_str().map(str::to_string));
        if let Some(detail) = detail {
            let msg = detail
                .split('\n')
                .next_back()
                .unwrap_or("")
                .trim()
                .to_string();
            return Err(if matches!(status, 400 | 401 | 403 | 404 | 409 | 413) {
                Error::Http {
                    status,
                    message: msg,
                    request_id: None,
                }
            } else {
                Error::other(format!("({status}, {})", py_repr(&msg)))
            });
        }
    }
    let rid = osc_plugin_sdk::osc_api::error_body::REQUEST_ID_HEADERS
        .iter()
        .find_map(|h| resp.header(h))
        .map(str::to_string);
    Err(osc_plugin_sdk::osc_api::error_body::http_error(
        status,
        &text,
        rid.as_deref(),
    ))
}

/// Python's `repr` of a string (quotes as Python chooses them).
pub fn py_repr(s: &str) -> String {
    let q = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

/// A path segment as osc-placement puts it in URLs (as given; only what would break the
/// URL is encoded).
pub fn seg(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' | b'@' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert!(ge("1.10", "1.9"));
        assert!(!ge("1.9", "1.10"));
        assert!(ge("1.29", "1.29"));
        assert_eq!(
            ge_error("1.10", "1.14").to_string(),
            "Operation or argument is not supported with version 1.10; requires at least version 1.14"
        );
    }

    #[test]
    fn reprs() {
        assert_eq!(py_repr("a b"), "'a b'");
        assert_eq!(py_repr("it's"), "\"it's\"");
    }
}
