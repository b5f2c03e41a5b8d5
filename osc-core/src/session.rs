//! The HTTP session every command and plugin goes through: authentication (with the token
//! cache), endpoint selection from the catalog, version discovery, microversion headers,
//! retries, `--debug` traces with secrets redacted, and `--timing`.

use crate::auth::{self, AuthRef, AuthType, Discovered};
use crate::cache::TokenCache;
use crate::catalog;
use crate::config::CloudConfig;
use crate::error::{Error, Result};
use crate::{log, redact};
use reqwest::blocking::{Client, Response};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;
use serde_json::Value;
use std::cell::{Cell, OnceCell, RefCell};
use std::time::{Duration, Instant};

pub const USER_AGENT: &str = concat!("osc/", env!("CARGO_PKG_VERSION"));

/// The body of a request.
pub enum Body {
    None,
    Json(Value),
    Bytes(Vec<u8>, &'static str),
    /// A stream (uploads): sent once, never retried.
    Stream(reqwest::blocking::Body, &'static str),
}

/// One request to a service. `path` is relative to the service's versioned endpoint, or an
/// absolute URL (pagination links).
pub struct Request {
    pub method: Method,
    pub service: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// The microversion to send; `None` uses the negotiated one.
    pub microversion: Option<String>,
    /// The client's maximum for this request (a resource's), negotiated when `microversion`
    /// is `None`; `None` uses osc's maximum for the service.
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
            body: Body::None,
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
        self.body = Body::Json(body);
        self
    }
    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
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

impl From<osc_api::Request> for Request {
    fn from(r: osc_api::Request) -> Self {
        let method = Method::from_bytes(r.method.as_str().as_bytes()).unwrap_or(Method::GET);
        Request {
            method,
            service: r.service,
            path: r.path,
            query: r.query,
            headers: r.headers,
            body: r.json.map(Body::Json).unwrap_or(Body::None),
            microversion: r.microversion,
            max_microversion: r.max_microversion,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct SessionOptions {
    pub timing: bool,
    /// Skip the token cache (`--no-cache`-like behaviour for tests and `cache: false`).
    pub no_cache: bool,
}

/// Most recent microversion osc's built-in commands are written for, per service. A
/// command may ask for less; negotiation never goes above the server's maximum.
pub fn client_max_microversion(service: &str) -> Option<&'static str> {
    match catalog::canonical(service) {
        "compute" => Some("2.96"),
        "block-storage" => Some("3.71"),
        "placement" => Some("1.39"),
        "baremetal" => Some("1.92"),
        _ => None,
    }
}

pub use osc_api::microversion::{compare_versions, negotiate};

/// True for requests that change what the catalog says: Keystone's services, endpoints,
/// regions and endpoint filters.
fn changes_catalog(method: &Method, service: &str, path: &str) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
        || catalog::canonical(service) != "identity"
    {
        return false;
    }
    let path = path.trim_start_matches('/');
    ["services", "endpoints", "regions", "OS-EP-FILTER"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// The header name a service expects its microversion under.
fn microversion_headers(service: &str, version: &str) -> Vec<(&'static str, String)> {
    osc_api::microversion::headers(catalog::canonical(service), version)
}

pub struct Session {
    cfg: CloudConfig,
    opts: SessionOptions,
    cache: TokenCache,
    client: OnceCell<Client>,
    auth: RefCell<Option<AuthRef>>,
    /// True when the auth came from the cache (so a 401 is worth one re-authentication).
    auth_from_cache: Cell<bool>,
    /// Discovery was added to the auth and needs saving.
    dirty: Cell<bool>,
    /// The catalog was read from Keystone during this session (`live_catalog`).
    catalog_is_live: Cell<bool>,
    pub timings: RefCell<Vec<(String, f64)>>,
    requests: Cell<usize>,
}

impl Session {
    pub fn new(cfg: CloudConfig, cache: TokenCache, opts: SessionOptions) -> Self {
        Session {
            cfg,
            opts,
            cache,
            client: OnceCell::new(),
            auth: RefCell::new(None),
            auth_from_cache: Cell::new(false),
            dirty: Cell::new(false),
            catalog_is_live: Cell::new(false),
            timings: RefCell::new(Vec::new()),
            requests: Cell::new(0),
        }
    }

    pub fn config(&self) -> &CloudConfig {
        &self.cfg
    }

    /// A session for another thread: this one's configuration, HTTP client (and so its
    /// connection pool) and authentication, obtained first if need be. What a fork learns
    /// is not cached (this session saves the cache); [`Session::absorb`] takes its
    /// request count and timings back.
    pub fn fork(&self) -> Result<Session> {
        let auth = self.auth()?.clone();
        let client = self.client()?.clone();
        let opts = SessionOptions {
            no_cache: true,
            ..self.opts.clone()
        };
        let fork = Session::new(self.cfg.clone(), self.cache.clone(), opts);
        let _ = fork.client.set(client);
        *fork.auth.borrow_mut() = Some(auth);
        fork.auth_from_cache.set(self.auth_from_cache.get());
        fork.catalog_is_live.set(self.catalog_is_live.get());
        Ok(fork)
    }

    /// Counts a finished fork's requests and timings as this session's.
    pub fn absorb(&self, fork: Session) {
        self.requests.set(self.requests.get() + fork.requests.get());
        self.timings
            .borrow_mut()
            .extend(fork.timings.borrow_mut().drain(..));
    }

    pub fn cache(&self) -> &TokenCache {
        &self.cache
    }

    /// How many HTTP requests this session has sent.
    pub fn request_count(&self) -> usize {
        self.requests.get()
    }

    fn client(&self) -> Result<&Client> {
        if let Some(c) = self.client.get() {
            return Ok(c);
        }
        let c = build_client(&self.cfg)?;
        Ok(self.client.get_or_init(|| c))
    }

    /// Secret values of this configuration, scrubbed from anything logged.
    fn secrets(&self) -> Vec<String> {
        let mut s: Vec<String> = self
            .cfg
            .values
            .iter()
            .filter(|(k, _)| CloudConfig::is_secret(k))
            .filter_map(|(_, v)| v.value.as_str().map(str::to_string))
            .collect();
        if let Ok(a) = self.auth.try_borrow() {
            if let Some(t) = a.as_ref().and_then(|a| a.token.clone()) {
                s.push(t);
            }
        }
        s
    }

    // ---- authentication -------------------------------------------------------------

    /// The current authentication, logging in (or reading the cache) on first use.
    pub fn auth(&self) -> Result<std::cell::Ref<'_, AuthRef>> {
        if self.auth.borrow().is_none() {
            let a = self.login()?;
            *self.auth.borrow_mut() = Some(a);
        }
        let r = self.auth.borrow();
        std::cell::Ref::filter_map(r, Option::as_ref)
            .map_err(|_| Error::Auth("authentication state lost".into()))
    }

    pub fn token(&self) -> Result<Option<String>> {
        Ok(self.auth()?.token.clone())
    }

    /// The cache key of this configuration.
    pub fn cache_key(&self) -> String {
        TokenCache::key(&self.cfg)
    }

    fn login(&self) -> Result<AuthRef> {
        let ty = AuthType::parse(&self.cfg.auth_type())?;
        match ty {
            AuthType::None | AuthType::AdminToken => {
                let endpoint = self
                    .cfg
                    .auth("endpoint")
                    .or_else(|| self.cfg.get_str("endpoint_override"));
                let token = if ty == AuthType::AdminToken {
                    Some(self.cfg.auth("token").ok_or_else(|| {
                        Error::Auth(
                            "auth type admin_token needs a token; set --os-token or OS_TOKEN"
                                .into(),
                        )
                    })?)
                } else {
                    None
                };
                Ok(AuthRef {
                    token,
                    fixed_endpoint: endpoint,
                    ..Default::default()
                })
            }
            _ => {
                let key = self.cache_key();
                if !self.opts.no_cache {
                    if let Some(a) = self.cache.load(&key, crate::time::now()) {
                        log::debug(&format!(
                            "Using cached token for cloud {} (expires {})",
                            self.cfg.name,
                            a.expires_at.as_deref().unwrap_or("?")
                        ));
                        self.auth_from_cache.set(true);
                        return Ok(a);
                    }
                }
                let a = self.authenticate(ty)?;
                self.auth_from_cache.set(false);
                if !self.opts.no_cache {
                    if let Err(e) = self.cache.store(&key, &a) {
                        log::debug(&format!("Could not write the token cache: {e}"));
                    }
                }
                Ok(a)
            }
        }
    }

    /// The identity endpoint to authenticate against, with `/v3`.
    pub fn auth_url(&self) -> Result<String> {
        let url = self.cfg.auth("auth_url").ok_or_else(|| {
            Error::Config(format!(
                "Missing auth_url for cloud {}; set --os-auth-url, OS_AUTH_URL or auth.auth_url in clouds.yaml",
                self.cfg.name
            ))
        })?;
        let url = url.trim_end_matches('/').to_string();
        if url.ends_with("/v3") {
            Ok(url)
        } else if let Some(base) = url.strip_suffix("/v2.0") {
            Ok(format!("{base}/v3"))
        } else {
            Ok(format!("{url}/v3"))
        }
    }

    fn authenticate(&self, ty: AuthType) -> Result<AuthRef> {
        let auth_url = self.auth_url()?;
        let token_url = format!("{auth_url}/auth/tokens");
        let body = match ty {
            AuthType::OidcPassword
            | AuthType::OidcClientCredentials
            | AuthType::OidcAccessToken => {
                let unscoped = self.oidc_unscoped_token(ty, &auth_url)?;
                let mut body = serde_json::json!({"auth": {"identity": {"methods": ["token"], "token": {"id": unscoped}}}});
                if let Some(scope) = auth::scope(&self.cfg)? {
                    body["auth"]["scope"] = scope;
                }
                body
            }
            _ => auth::token_request(&self.cfg, ty)?,
        };
        let resp = self.raw(Method::POST, &token_url, &[], Body::Json(body), true)?;
        let status = resp.status().as_u16();
        if status >= 400 {
            let err = http_error(resp, &self.secrets());
            return Err(match err {
                Error::Http {
                    status: 401,
                    message,
                    request_id,
                } => Error::Auth(format!(
                    "{message} (HTTP 401){}; check the credentials and scope of cloud {}",
                    request_id
                        .map(|r| format!(" (Request-ID: {r})"))
                        .unwrap_or_default(),
                    self.cfg.name
                )),
                e => e,
            });
        }
        let token = resp
            .headers()
            .get("x-subject-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .ok_or_else(|| {
                Error::Auth(format!("{token_url} returned no X-Subject-Token header"))
            })?;
        let body: Value = resp
            .json()
            .map_err(|e| Error::Auth(format!("Invalid token response from {token_url}: {e}")))?;
        log::debug(&format!(
            "Authenticated to {auth_url} as cloud {}",
            self.cfg.name
        ));
        Ok(AuthRef::from_token_response(token, &body))
    }

    /// OpenID Connect: an access token (given, or from the token endpoint) traded at
    /// Keystone's federation endpoint for an unscoped token.
    fn oidc_unscoped_token(&self, ty: AuthType, auth_url: &str) -> Result<String> {
        let access_token = if ty == AuthType::OidcAccessToken {
            self.cfg.auth("access_token").ok_or_else(|| {
                Error::Auth(
                    "auth type v3oidcaccesstoken needs --os-access-token or OS_ACCESS_TOKEN".into(),
                )
            })?
        } else {
            let endpoint = match self.cfg.auth("access_token_endpoint") {
                Some(e) => e,
                None => {
                    let disc = self.cfg.auth("discovery_endpoint").ok_or_else(|| {
                        Error::Auth("OpenID Connect needs --os-access-token-endpoint or --os-discovery-endpoint".into())
                    })?;
                    let r = self.raw(Method::GET, &disc, &[], Body::None, false)?;
                    let doc: Value = check(r, &self.secrets())?.json().map_err(|e| {
                        Error::Auth(format!("Invalid OpenID discovery document at {disc}: {e}"))
                    })?;
                    doc["token_endpoint"]
                        .as_str()
                        .map(str::to_string)
                        .ok_or_else(|| Error::Auth(format!("{disc} names no token_endpoint")))?
                }
            };
            let (id, secret) = auth::oidc_client(&self.cfg)?;
            let form = auth::oidc_token_form(&self.cfg, ty)?;
            let encoded: String = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form.iter())
                .finish();
            let basic = base64_encode(format!("{id}:{secret}").as_bytes());
            let r = self.raw(
                Method::POST,
                &endpoint,
                &[("Authorization".into(), format!("Basic {basic}"))],
                Body::Bytes(encoded.into_bytes(), "application/x-www-form-urlencoded"),
                false,
            )?;
            let doc: Value = check(r, &self.secrets())?
                .json()
                .map_err(|e| Error::Auth(format!("Invalid token response from {endpoint}: {e}")))?;
            let key = self
                .cfg
                .auth("access_token_type")
                .unwrap_or_else(|| "access_token".into());
            doc[key.as_str()]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| Error::Auth(format!("{endpoint} returned no {key}")))?
        };
        let path = auth::federation_auth_path(&self.cfg)?;
        let r = self.raw(
            Method::POST,
            &format!("{auth_url}{path}"),
            &[("Authorization".into(), format!("Bearer {access_token}"))],
            Body::None,
            false,
        )?;
        let r = check(r, &self.secrets())?;
        r.headers()
            .get("x-subject-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .ok_or_else(|| {
                Error::Auth("the federation endpoint returned no X-Subject-Token".into())
            })
    }

    /// Forgets the current token (and its cache entry), so the next request logs in again.
    pub fn invalidate(&self) {
        let _ = self.cache.remove(&self.cache_key());
        *self.auth.borrow_mut() = None;
        self.auth_from_cache.set(false);
    }

    // ---- endpoints ------------------------------------------------------------------

    fn has_endpoint_override(&self, service: &str) -> bool {
        self.cfg.endpoint_override(service).is_some()
            || catalog::aliases(service)
                .iter()
                .any(|a| self.cfg.endpoint_override(a).is_some())
    }

    /// The catalog URL of a service (or its override), as registered.
    pub fn catalog_url(&self, service: &str) -> Result<String> {
        if let Some(o) = self.cfg.endpoint_override(service).or_else(|| {
            catalog::aliases(service)
                .iter()
                .find_map(|a| self.cfg.endpoint_override(a))
        }) {
            return Ok(o);
        }
        let auth = self.auth()?;
        if let Some(fixed) = &auth.fixed_endpoint {
            return Ok(fixed.clone());
        }
        if catalog::canonical(service) == "identity" && auth.catalog.is_empty() {
            drop(auth);
            return self.auth_url();
        }
        let found = catalog::find_url(
            &auth.catalog,
            service,
            &self.cfg.interface(),
            self.cfg.region().as_deref(),
            auth.project_id.as_deref(),
        );
        drop(auth);
        match found {
            // A cached catalog may predate the service: log in again once and look again.
            Err(e) if self.auth_from_cache.get() => {
                log::debug(&format!("{e}; refreshing the cached catalog"));
                self.invalidate();
                let auth = self.auth()?;
                catalog::find_url(
                    &auth.catalog,
                    service,
                    &self.cfg.interface(),
                    self.cfg.region().as_deref(),
                    auth.project_id.as_deref(),
                )
            }
            r => r,
        }
    }

    /// The versioned base URL of a service, discovering the microversion range on first use
    /// (cached with the token).
    pub fn endpoint(&self, service: &str) -> Result<String> {
        Ok(self.discovered(service)?.url)
    }

    pub fn discovered(&self, service: &str) -> Result<Discovered> {
        let canon = catalog::canonical(service).to_string();
        // An endpoint override wins over what was discovered (and cached) for the catalog's.
        let overridden = self.has_endpoint_override(service);
        if !overridden {
            if let Some(d) = self.auth()?.discovery.get(&canon) {
                return Ok(d.clone());
            }
        }
        let url = self.catalog_url(service)?;
        let project = self.auth()?.project_id.clone();
        let base = catalog::versioned_base(&canon, &url, project.as_deref());
        let mut d = Discovered {
            url: base,
            min_version: None,
            max_version: None,
        };
        let mut complete = true;
        if client_max_microversion(&canon).is_some() {
            if let Some(root) = catalog::version_root(&canon, &d.url) {
                // With the token: some services (Cinder's /v3/) answer 401 without one.
                let r = self
                    .with_token(&Method::GET, &root, &[], Body::None)
                    .and_then(|r| check(r, &[]))
                    .and_then(|r| {
                        r.json::<Value>()
                            .map_err(|e| Error::Transport(format!("invalid version document: {e}")))
                    });
                match r {
                    Ok(doc) => {
                        let (min, max) = catalog::parse_version_doc(&doc, &d.url);
                        d.min_version = min;
                        d.max_version = max;
                    }
                    Err(e) => {
                        // Not cached: the next run tries again.
                        complete = false;
                        log::debug(&format!("Version discovery at {root} failed: {e}"));
                    }
                }
            }
        }
        if !complete || overridden {
            return Ok(d);
        }
        if let Some(a) = self.auth.borrow_mut().as_mut() {
            a.discovery.insert(canon, d.clone());
            self.dirty.set(true);
        }
        Ok(d)
    }

    /// The microversion requests to a service carry: the pinned `--os-<service>-api-version`,
    /// or the highest both sides support (capped by `client_max`, a resource's maximum, else
    /// osc's own for the service). See [`negotiate`].
    pub fn microversion(&self, service: &str, client_max: Option<&str>) -> Result<Option<String>> {
        let canon = catalog::canonical(service);
        // A plugin's service may be unknown to osc: its request's maximum suffices.
        let Some(default_max) = client_max.or(client_max_microversion(canon)) else {
            return Ok(None);
        };
        let pinned = self.cfg.api_version(canon);
        // openstacksdk negotiates a resource's maximum under a bare major pin ("3"); the
        // volume commands, all openstacksdk resources, keep that rule.
        let major_negotiates = client_max.is_some() && canon == "block-storage";
        negotiate(
            pinned.as_deref(),
            client_max.unwrap_or(default_max),
            major_negotiates,
            || Ok(self.discovered(service)?.max_version),
        )
    }

    /// Fails clearly when the negotiated microversion is older than `needed`.
    pub fn require_microversion(&self, service: &str, needed: &str, what: &str) -> Result<String> {
        let have = self.microversion(service, None)?.unwrap_or_default();
        if compare_versions(&have, needed).is_lt() {
            return Err(Error::Unsupported(format!(
                "{what} requires {} API microversion {needed} or later; the cloud or --os-{}-api-version allows {}",
                catalog::canonical(service),
                api_option_name(service),
                if have.is_empty() { "none".to_string() } else { have }
            )));
        }
        Ok(have)
    }

    // ---- requests -------------------------------------------------------------------

    /// Sends a request to a service, with the token and microversion, and returns the
    /// response if its status is a success; HTTP errors become [`Error::Http`].
    pub fn send(&self, req: Request) -> Result<Response> {
        let resp = self.send_unchecked(req)?;
        check(resp, &self.secrets())
    }

    /// [`Session::send`] without turning error statuses into errors: the caller gets every
    /// response as the service sent it (plugins read services' own error bodies).
    ///
    /// What the token cache holds can go stale; each case is recovered from once per request
    /// (docs/architecture.md, "What can go stale"): a 401 or 403 on a cached token logs in
    /// again (the token was revoked, or its roles changed); a connection failure at a cached
    /// endpoint re-reads the catalog and retries when the service's endpoint moved (a 404 is
    /// handled after the command fails: [`Session::refresh_catalog`]). Successful changes to
    /// the catalog (services, endpoints, regions, endpoint filters) re-read it, so later
    /// commands see them.
    pub fn send_unchecked(&self, req: Request) -> Result<Response> {
        let absolute = req.path.starts_with("http://") || req.path.starts_with("https://");
        let base = if absolute {
            String::new()
        } else {
            self.endpoint(&req.service)?
        };
        let url_at = |base: &str| {
            let mut url = format!("{base}{}", req.path);
            if !req.query.is_empty() {
                let q: String = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(req.query.iter())
                    .finish();
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str(&q);
            }
            url
        };
        let url = url_at(&base);
        let mv = match &req.microversion {
            // An empty version means "send no microversion header".
            Some(v) if v.is_empty() => None,
            Some(v) => Some(v.clone()),
            None => self.microversion(&req.service, req.max_microversion.as_deref())?,
        };
        let mut headers: Vec<(String, String)> = req.headers.clone();
        if let Some(v) = &mv {
            for (k, val) in microversion_headers(&req.service, v) {
                headers.push((k.to_string(), val));
            }
        }
        let retryable = !matches!(req.body, Body::Stream(..));
        let replay = match &req.body {
            Body::Json(v) => Some(Body::Json(v.clone())),
            Body::Bytes(b, ct) => Some(Body::Bytes(b.clone(), ct)),
            Body::None => Some(Body::None),
            Body::Stream(..) => None,
        };
        let changes_catalog = changes_catalog(&req.method, &req.service, &req.path);
        let idempotent = matches!(
            req.method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        let cached_endpoint =
            !absolute && self.auth_from_cache.get() && !self.has_endpoint_override(&req.service);
        let result = self.with_token(&req.method, &url, &headers, req.body);
        let resp = match (result, replay) {
            // The cached endpoint may have moved: re-read the catalog and, if it did, retry.
            (Err(e @ Error::Transport(_)), Some(body)) if cached_endpoint && idempotent => {
                match self.moved_endpoint(&req.service, &base) {
                    Some(new_base) => {
                        log::debug(&format!("{e}; the catalog moved {base} to {new_base}"));
                        return self.with_token(&req.method, &url_at(&new_base), &headers, body);
                    }
                    None => return Err(e),
                }
            }
            (Err(e), _) => return Err(e),
            (Ok(resp), Some(body))
                if matches!(resp.status().as_u16(), 401 | 403)
                    && self.auth_from_cache.get()
                    && retryable =>
            {
                // The cached token was revoked or expired early (401), or predates a role
                // change (403): log in once more.
                log::debug(&format!(
                    "Cached token rejected (HTTP {}); authenticating again",
                    resp.status().as_u16()
                ));
                self.invalidate();
                let url = if absolute {
                    url
                } else {
                    url_at(&self.endpoint(&req.service)?)
                };
                self.with_token(&req.method, &url, &headers, body)?
            }
            (Ok(resp), _) => resp,
        };
        if changes_catalog && resp.status().is_success() {
            if let Err(e) = self.live_catalog() {
                log::debug(&format!("Could not re-read the catalog: {e}"));
            }
        }
        Ok(resp)
    }

    /// The catalog as Keystone has it now (`GET /v3/auth/catalog`, one request with the
    /// current token), which also replaces the cached one, and its discovery when it changed.
    pub fn live_catalog(&self) -> Result<Vec<Value>> {
        {
            let a = self.auth()?;
            if a.fixed_endpoint.is_some() || a.token.is_none() {
                return Ok(a.catalog.clone());
            }
        }
        let url = format!("{}/auth/catalog", self.auth_url()?);
        let doc = self.json(Request::new(Method::GET, "identity", url.clone()))?;
        let catalog = doc["catalog"]
            .as_array()
            .cloned()
            .ok_or_else(|| Error::Transport(format!("{url} returned no catalog")))?;
        self.catalog_is_live.set(true);
        if let Some(a) = self.auth.borrow_mut().as_mut() {
            if a.catalog != catalog {
                a.catalog = catalog.clone();
                a.discovery.clear();
                self.dirty.set(true);
            }
        }
        Ok(catalog)
    }

    /// After a command failed with a 404 (a moved endpoint answers so, as does a missing
    /// resource): when the catalog came from the cache, re-reads it (one request, on the
    /// failure path only) and says whether the endpoint of a service this cache entry has
    /// used changed; the cache now holds the new catalog.
    pub fn refresh_catalog(&self) -> bool {
        if !self.auth_from_cache.get() || self.catalog_is_live.get() {
            return false;
        }
        let Some((before, used, project)) = self.auth.try_borrow().ok().and_then(|a| {
            a.as_ref().map(|a| {
                let used: Vec<String> = a.discovery.keys().cloned().collect();
                (a.catalog.clone(), used, a.project_id.clone())
            })
        }) else {
            return false;
        };
        let now = match self.live_catalog() {
            Ok(now) => now,
            Err(e) => {
                log::debug(&format!("Could not re-read the catalog: {e}"));
                return false;
            }
        };
        let url_in = |cat: &[Value], service: &str| {
            catalog::find_url(
                cat,
                service,
                &self.cfg.interface(),
                self.cfg.region().as_deref(),
                project.as_deref(),
            )
            .ok()
        };
        used.iter()
            .any(|service| url_in(&before, service) != url_in(&now, service))
    }

    /// After a failure at `old_base`: re-reads the catalog and returns the service's new
    /// base URL if it moved.
    fn moved_endpoint(&self, service: &str, old_base: &str) -> Option<String> {
        if let Err(e) = self.live_catalog() {
            log::debug(&format!("Could not re-read the catalog: {e}"));
            return None;
        }
        self.endpoint(service).ok().filter(|b| b != old_base)
    }

    fn with_token(
        &self,
        method: &Method,
        url: &str,
        headers: &[(String, String)],
        body: Body,
    ) -> Result<Response> {
        let mut h = headers.to_vec();
        if let Some(t) = self.token()? {
            h.push(("X-Auth-Token".into(), t));
        }
        let idempotent = matches!(
            *method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        self.raw(method.clone(), url, &h, body, idempotent)
    }

    /// One HTTP exchange with logging, timing and bounded retries for idempotent requests
    /// (connection errors, 429, 503; `Retry-After` honoured).
    pub fn raw(
        &self,
        method: Method,
        url: &str,
        headers: &[(String, String)],
        body: Body,
        idempotent: bool,
    ) -> Result<Response> {
        const MAX_RETRIES: u32 = 3;
        let client = self.client()?;
        let mut attempt = 0u32;
        let mut body = Some(body);
        loop {
            let b = match body.take() {
                Some(Body::Stream(s, ct)) => Some((Some(s), ct, None)),
                Some(Body::Json(v)) => {
                    body = Some(Body::Json(v.clone()));
                    Some((None, "application/json", Some(v.to_string().into_bytes())))
                }
                Some(Body::Bytes(v, ct)) => {
                    body = Some(Body::Bytes(v.clone(), ct));
                    Some((None, ct, Some(v)))
                }
                Some(Body::None) | None => {
                    body = Some(Body::None);
                    None
                }
            };
            let mut hm = HeaderMap::new();
            hm.insert("accept", HeaderValue::from_static("application/json"));
            for (k, v) in headers {
                let name = HeaderName::from_bytes(k.as_bytes())
                    .map_err(|_| Error::usage(format!("invalid header name {k:?}")))?;
                let value = HeaderValue::from_str(v)
                    .map_err(|_| Error::usage(format!("invalid value for header {k}")))?;
                hm.insert(name, value);
            }
            let mut rb = client.request(method.clone(), url);
            let mut logged_body = String::new();
            match b {
                Some((Some(stream), ct, _)) => {
                    hm.insert("content-type", HeaderValue::from_static(ct));
                    logged_body = "<streamed body omitted>".into();
                    rb = rb.body(stream);
                }
                Some((None, ct, Some(bytes))) => {
                    hm.insert("content-type", HeaderValue::from_static(ct));
                    if log::debug_enabled() {
                        logged_body =
                            redact::body(&String::from_utf8_lossy(&bytes), &self.secrets());
                    }
                    rb = rb.body(bytes);
                }
                _ => {}
            }
            if log::debug_enabled() {
                log::debug(&curl_line(&method, url, &hm, &logged_body));
            }
            let rb = rb.headers(hm);
            let started = Instant::now();
            self.requests.set(self.requests.get() + 1);
            let result = rb.send();
            let secs = started.elapsed().as_secs_f64();
            if self.opts.timing {
                self.timings
                    .borrow_mut()
                    .push((format!("{method} {url}"), secs));
            }
            let can_retry = idempotent && body.is_some() && attempt < MAX_RETRIES;
            match result {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    if log::debug_enabled() {
                        let hs: Vec<String> = resp
                            .headers()
                            .iter()
                            .map(|(k, v)| {
                                format!(
                                    "{k}: {}",
                                    redact::header(k.as_str(), v.to_str().unwrap_or("?"))
                                )
                            })
                            .collect();
                        log::debug(&format!("RESP: [{status}] {}", hs.join(" ")));
                    }
                    if can_retry && (status == 429 || status == 503) {
                        let wait = retry_after(&resp).unwrap_or_else(|| backoff(attempt));
                        log::debug(&format!(
                            "HTTP {status}; retrying in {:.1}s",
                            wait.as_secs_f64()
                        ));
                        std::thread::sleep(wait);
                        attempt += 1;
                        continue;
                    }
                    return Ok(resp);
                }
                Err(e) if can_retry && (e.is_connect() || e.is_request()) && !e.is_timeout() => {
                    log::debug(&format!("{}; retrying", transport_message(url, &e)));
                    std::thread::sleep(backoff(attempt));
                    attempt += 1;
                }
                Err(e) => return Err(Error::Transport(transport_message(url, &e))),
            }
        }
    }

    // ---- JSON helpers -----------------------------------------------------------------

    pub fn json(&self, req: Request) -> Result<Value> {
        let resp = self.send(req)?;
        read_json(resp, &self.secrets())
    }
    /// One page of a collection: its items under `key` and its pagination links.
    pub fn page(
        &self,
        req: Request,
        key: &str,
        fields: crate::page::Fields,
    ) -> Result<crate::page::Page> {
        let resp = self.send(req)?;
        read_page(resp, &self.secrets(), key, fields)
    }
    pub fn get(&self, service: &str, path: &str) -> Result<Value> {
        self.json(Request::new(Method::GET, service, path))
    }
    pub fn get_query(&self, service: &str, path: &str, q: &[(String, String)]) -> Result<Value> {
        self.json(Request::new(Method::GET, service, path).queries(q))
    }
    pub fn post(&self, service: &str, path: &str, body: Value) -> Result<Value> {
        self.json(Request::new(Method::POST, service, path).json(body))
    }
    pub fn put(&self, service: &str, path: &str, body: Value) -> Result<Value> {
        self.json(Request::new(Method::PUT, service, path).json(body))
    }
    pub fn patch(&self, service: &str, path: &str, body: Value) -> Result<Value> {
        self.json(Request::new(Method::PATCH, service, path).json(body))
    }
    pub fn delete(&self, service: &str, path: &str) -> Result<()> {
        self.send(Request::new(Method::DELETE, service, path))
            .map(|_| ())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.dirty.get() && !self.opts.no_cache {
            if let Ok(Some(a)) = self.auth.try_borrow().map(|a| a.clone()) {
                if a.token.is_some() && a.fixed_endpoint.is_none() {
                    let _ = self.cache.store(&self.cache_key(), &a);
                }
            }
        }
    }
}

/// Reads a JSON body; an empty body is `null`.
pub fn read_json(resp: Response, secrets: &[String]) -> Result<Value> {
    let (url, bytes) = read_body(resp, secrets)?;
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&bytes).map_err(|e| not_json(&url, e))
}

/// Reads one page of a collection, keeping only `fields` of its items (see [`crate::page`]).
pub fn read_page(
    resp: Response,
    secrets: &[String],
    key: &str,
    fields: crate::page::Fields,
) -> Result<crate::page::Page> {
    // A page is parsed from memory (the fastest), but a body larger than 8 MB (a service
    // that does not paginate) or of unannounced size as it comes, so it is never held whole.
    // --debug shows bodies, so it reads them whole.
    let large = resp.content_length().is_none_or(|n| n > 8 << 20);
    if log::debug_enabled() || !large {
        let (url, bytes) = read_body(resp, secrets)?;
        return crate::page::parse(&bytes, key, fields).map_err(|e| not_json(&url, e));
    }
    let url = resp.url().to_string();
    crate::page::parse_reader(resp, key, fields).map_err(|e| {
        if e.is_io() {
            Error::Transport(format!("Reading the response from {url} failed: {e}"))
        } else {
            not_json(&url, e)
        }
    })
}

fn read_body(mut resp: Response, secrets: &[String]) -> Result<(String, Vec<u8>)> {
    use std::io::Read;
    let url = resp.url().to_string();
    // Read into one buffer of the announced size: `Response::bytes` gathers the chunks and
    // then copies them, twice the memory of a large listing.
    let announced = resp.content_length().unwrap_or(0).min(1 << 30) as usize;
    let mut bytes = Vec::with_capacity(announced);
    resp.read_to_end(&mut bytes)
        .map_err(|e| Error::Transport(format!("Reading the response from {url} failed: {e}")))?;
    if log::debug_enabled() && !bytes.is_empty() {
        log::debug(&format!(
            "RESP BODY: {}",
            redact::body(&String::from_utf8_lossy(&bytes), secrets)
        ));
    }
    Ok((url, bytes))
}

fn not_json(url: &str, e: serde_json::Error) -> Error {
    Error::Transport(format!(
        "The service at {url} sent a response that is not valid JSON: {e}"
    ))
}

/// Turns an error status into [`Error::Http`], with the service's own message.
fn check(resp: Response, secrets: &[String]) -> Result<Response> {
    if resp.status().as_u16() >= 400 {
        return Err(http_error(resp, secrets));
    }
    Ok(resp)
}

fn http_error(resp: Response, secrets: &[String]) -> Error {
    let status = resp.status().as_u16();
    let request_id = [
        "x-openstack-request-id",
        "x-compute-request-id",
        "x-trans-id",
    ]
    .iter()
    .find_map(|h| {
        resp.headers()
            .get(*h)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    });
    let reason = resp
        .status()
        .canonical_reason()
        .unwrap_or("Error")
        .to_string();
    let text = resp.text().unwrap_or_default();
    if log::debug_enabled() {
        log::debug(&format!("RESP BODY: {}", redact::body(&text, secrets)));
    }
    let message = error_message(&text).unwrap_or(reason);
    Error::Http {
        status,
        message: redact::scrub(&message, secrets),
        request_id,
    }
}

pub use osc_api::error_body::error_message;

fn transport_message(url: &str, e: &reqwest::Error) -> String {
    let mut root = String::new();
    let mut src: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = src {
        root = s.to_string();
        src = s.source();
    }
    if e.is_timeout() {
        return format!("Request to {url} timed out; raise api_timeout or check the service");
    }
    if e.is_connect() {
        return format!(
            "Unable to connect to {url}: {root}; is the service running and the URL right?"
        );
    }
    format!("Request to {url} failed: {root}")
}

/// The wait a `Retry-After` header asks for, in seconds or as an HTTP-date (at most a
/// minute: a longer wait is better left to the user).
fn retry_after(resp: &Response) -> Option<Duration> {
    let v = resp.headers().get("retry-after")?.to_str().ok()?;
    retry_after_value(v, crate::time::now())
}

fn retry_after_value(v: &str, now: i64) -> Option<Duration> {
    let secs: f64 = match v.trim().parse::<f64>() {
        Ok(s) if s.is_finite() => s,
        Ok(_) => return None,
        Err(_) => (crate::time::parse_http_date(v)? - now) as f64,
    };
    Some(Duration::from_secs_f64(secs.clamp(0.0, 60.0)))
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(250u64 << attempt.min(6))
}

fn curl_line(method: &Method, url: &str, headers: &HeaderMap, body: &str) -> String {
    let mut s = format!("REQ: curl -g -i -X {method} {url}");
    for (k, v) in headers {
        let v = redact::header(k.as_str(), v.to_str().unwrap_or("?"));
        s.push_str(&format!(" -H \"{k}: {v}\""));
    }
    if !body.is_empty() {
        s.push_str(&format!(" -d '{body}'"));
    }
    s
}

fn build_client(cfg: &CloudConfig) -> Result<Client> {
    let mut b = Client::builder()
        .use_rustls_tls()
        .user_agent(USER_AGENT)
        .connect_timeout(Duration::from_secs(30))
        .timeout(None::<Duration>);
    if let Some(t) = cfg.get_str("api_timeout") {
        let secs: f64 = t.parse().map_err(|_| {
            Error::config(format!(
                "api_timeout must be a number of seconds, not {t:?}"
            ))
        })?;
        b = b.timeout(Duration::from_secs_f64(secs));
    }
    if cfg.get_bool("verify") == Some(false) {
        b = b.danger_accept_invalid_certs(true);
    }
    if let Some(ca) = cfg.get_str("cacert") {
        let pem = std::fs::read(&ca)
            .map_err(|e| Error::config(format!("Cannot read CA bundle {ca}: {e}")))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| Error::config(format!("Invalid CA bundle {ca}: {e}")))?;
        for c in certs {
            b = b.add_root_certificate(c);
        }
    }
    if let Some(cert) = cfg.get_str("cert") {
        let mut pem = std::fs::read(&cert)
            .map_err(|e| Error::config(format!("Cannot read client certificate {cert}: {e}")))?;
        if let Some(key) = cfg.get_str("key") {
            pem.push(b'\n');
            pem.extend(
                std::fs::read(&key)
                    .map_err(|e| Error::config(format!("Cannot read client key {key}: {e}")))?,
            );
        }
        let id = reqwest::Identity::from_pem(&pem)
            .map_err(|e| Error::config(format!("Invalid client certificate or key {cert}: {e}")))?;
        b = b.identity(id);
    }
    b.build()
        .map_err(|e| Error::config(format!("Cannot set up HTTPS: {e}")))
}

fn api_option_name(service: &str) -> &'static str {
    match catalog::canonical(service) {
        "compute" => "compute",
        "block-storage" => "volume",
        "image" => "image",
        "network" => "network",
        "identity" => "identity",
        "object-store" => "object",
        _ => "<service>",
    }
}

fn base64_encode(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The shared verbs (`osc_api::Resource`, lookups, waits) run over the session.
impl osc_api::Transport for Session {
    type Error = Error;
    fn json(&self, req: osc_api::Request) -> Result<Value> {
        Session::json(self, req.into())
    }
    fn send(&self, req: osc_api::Request) -> Result<()> {
        Session::send(self, req.into()).map(drop)
    }
    fn page(
        &self,
        req: osc_api::Request,
        key: &str,
        fields: crate::page::Fields,
    ) -> Result<crate::page::Page> {
        Session::page(self, req.into(), key, fields)
    }
    fn endpoint(&self, service: &str) -> Result<String> {
        Session::endpoint(self, service)
    }
    fn warn(&self, message: &str) {
        log::warn(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_changes_are_writes_to_services_endpoints_regions_and_filters() {
        for (m, svc, path) in [
            (Method::POST, "identity", "/services"),
            (Method::PATCH, "identity", "/endpoints/abc"),
            (Method::DELETE, "identity", "regions/r1"),
            (
                Method::PUT,
                "identity",
                "/OS-EP-FILTER/endpoint_groups/g/projects/p",
            ),
        ] {
            assert!(changes_catalog(&m, svc, path), "{m} {svc} {path}");
        }
        for (m, svc, path) in [
            (Method::GET, "identity", "/services"),
            (Method::POST, "identity", "/projects"),
            (Method::POST, "identity", "/services-extra"),
            (Method::POST, "compute", "/services"),
        ] {
            assert!(!changes_catalog(&m, svc, path), "{m} {svc} {path}");
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = 784111777;
        let secs = |v| retry_after_value(v, now).map(|d| d.as_secs_f64());
        assert_eq!(secs("2"), Some(2.0));
        assert_eq!(secs("0.5"), Some(0.5));
        assert_eq!(secs("3600"), Some(60.0));
        assert_eq!(secs("-4"), Some(0.0));
        assert_eq!(secs("Sun, 06 Nov 1994 08:49:40 GMT"), Some(3.0));
        assert_eq!(secs("Sun, 06 Nov 1994 08:49:00 GMT"), Some(0.0));
        assert_eq!(secs("NaN"), None);
        assert_eq!(secs("inf"), None);
        assert_eq!(secs("soon"), None);
    }

    #[test]
    fn versions_compare_numerically() {
        assert!(compare_versions("2.10", "2.9").is_gt());
        assert!(compare_versions("3.0", "3.71").is_lt());
        assert!(compare_versions("2.96", "2.96").is_eq());
    }

    #[test]
    fn negotiation_caps_at_the_resource_max_and_the_pin_wins() {
        let server = |v: &'static str| move || Ok::<_, Error>(Some(v.to_string()));
        let mv = |pin, max, cloud| negotiate(pin, max, false, server(cloud)).unwrap();
        // min(resource max, cloud max)
        assert_eq!(mv(None, "2.100", "2.104").as_deref(), Some("2.100"));
        assert_eq!(mv(None, "2.100", "2.96").as_deref(), Some("2.96"));
        // A dotted pin wins, above or below either maximum, without asking the cloud.
        let asked = || -> Result<Option<String>> { panic!("discovery not needed") };
        assert_eq!(
            negotiate(Some("2.79"), "2.100", false, asked)
                .unwrap()
                .as_deref(),
            Some("2.79")
        );
        assert_eq!(
            mv(Some("2.200"), "2.100", "2.104").as_deref(),
            Some("2.200")
        );
        // `latest` negotiates; a bare major pin is the base version unless it negotiates.
        assert_eq!(
            mv(Some("2.latest"), "2.61", "2.104").as_deref(),
            Some("2.61")
        );
        assert_eq!(mv(Some("2"), "2.61", "2.104"), None);
        assert_eq!(
            negotiate(Some("3"), "3.60", true, server("3.71"))
                .unwrap()
                .as_deref(),
            Some("3.60")
        );
        // A cloud without microversions gets none.
        assert_eq!(
            negotiate(None, "2.61", false, || Ok::<_, Error>(None)).unwrap(),
            None
        );
    }

    #[test]
    fn error_messages_from_each_service_format() {
        assert_eq!(
            error_message(
                r#"{"itemNotFound": {"message": "Flavor x could not be found.", "code": 404}}"#
            )
            .as_deref(),
            Some("Flavor x could not be found.")
        );
        assert_eq!(error_message(r#"{"NeutronError": {"type": "NetworkNotFound", "message": "Network y could not be found.", "detail": ""}}"#).as_deref(), Some("Network y could not be found."));
        assert_eq!(error_message(r#"{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}"#).as_deref(), Some("The request you have made requires authentication."));
        assert_eq!(error_message(r#"{"errors": [{"status": 404, "title": "Not Found", "detail": "No resource provider"}]}"#).as_deref(), Some("No resource provider"));
        assert_eq!(error_message("<html><body><h1>404 Not Found</h1>\n\nThe resource could not be found.</body></html>").as_deref(), Some("404 Not Found The resource could not be found."));
    }

    #[test]
    fn base64() {
        assert_eq!(base64_encode(b"id:secret"), "aWQ6c2VjcmV0");
        assert_eq!(base64_encode(b"a"), "YQ==");
    }
}
