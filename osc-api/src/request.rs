//! A transport-neutral request, as the shared verbs build them. A transport turns it into
//! its own (osc-core's session request, the plugin host's JSON request).

use serde_json::Value;

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Method(&'static str);

impl Method {
    pub const GET: Method = Method("GET");
    pub const HEAD: Method = Method("HEAD");
    pub const POST: Method = Method("POST");
    pub const PUT: Method = Method("PUT");
    pub const PATCH: Method = Method("PATCH");
    pub const DELETE: Method = Method("DELETE");
    pub const OPTIONS: Method = Method("OPTIONS");

    pub const fn as_str(&self) -> &'static str {
        self.0
    }

    /// The method of this name (any case), if it is one of the above.
    pub fn from_name(name: &str) -> Option<Method> {
        [
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ]
        .into_iter()
        .find(|m| m.0.eq_ignore_ascii_case(name))
    }
}

impl AsRef<str> for Method {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// One request to a service type. `path` is relative to the service's versioned endpoint,
/// or an absolute URL (pagination links).
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub method: Method,
    pub service: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub json: Option<Value>,
    /// Exactly this microversion (empty: send none).
    pub microversion: Option<String>,
    /// The client's maximum: the transport sends min(this, the server's), or the user's pin.
    pub max_microversion: Option<String>,
}

impl Request {
    pub fn new(method: Method, service: &str, path: impl Into<String>) -> Self {
        Request {
            method,
            service: service.to_string(),
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            json: None,
            microversion: None,
            max_microversion: None,
        }
    }
    pub fn query(mut self, k: &str, v: impl ToString) -> Self {
        self.query.push((k.to_string(), v.to_string()));
        self
    }
    pub fn queries(mut self, q: &[(String, String)]) -> Self {
        self.query.extend(q.iter().cloned());
        self
    }
    pub fn header(mut self, k: &str, v: impl ToString) -> Self {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }
    pub fn json(mut self, body: Value) -> Self {
        self.json = Some(body);
        self
    }
    pub fn microversion(mut self, v: impl Into<String>) -> Self {
        self.microversion = Some(v.into());
        self
    }
    pub fn max_microversion(mut self, v: impl Into<String>) -> Self {
        self.max_microversion = Some(v.into());
        self
    }
}
