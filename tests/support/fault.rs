//! A fault server for the tests that need no devcloud: a fake Keystone and fake service
//! endpoints on one loopback port, whose answers a test chooses per request, including the
//! faults real clouds show (error statuses, `Retry-After`, resets, short bodies, slow or
//! held answers). Every request is recorded, so tests count what osc sent.
//!
//! Bounded: it listens on 127.0.0.1 only, serves at most [`MAX_CONNECTIONS`] connections at
//! once (one request each, `Connection: close`), gives up on a client silent for
//! [`IDLE`], and stops when dropped.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Connections served at once; more wait for a free slot.
pub const MAX_CONNECTIONS: usize = 64;
/// A client silent this long is dropped.
pub const IDLE: Duration = Duration::from_secs(20);

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    /// The path without the query.
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When its head arrived.
    pub at: Instant,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn token(&self) -> &str {
        self.header("x-auth-token").unwrap_or("")
    }
    pub fn is(&self, method: &str, path: &str) -> bool {
        self.method == method && self.path == path
    }
}

/// What the server answers.
pub enum Reply {
    /// A complete answer.
    Send {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Announces `length` bytes, sends `body` (shorter), then closes (`reset`: with a TCP
    /// reset, else cleanly).
    Cut {
        status: u16,
        length: usize,
        body: Vec<u8>,
        reset: bool,
    },
    /// Waits, then answers.
    Delay(Duration, Box<Reply>),
    /// Announces `length` bytes and sends one every `interval` until the client goes (a
    /// slow download), never finishing before [`IDLE`].
    Trickle { length: usize, interval: Duration },
}

impl Reply {
    pub fn json(status: u16, v: Value) -> Reply {
        Reply::Send {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: v.to_string().into_bytes(),
        }
    }
    pub fn text(status: u16, content_type: &str, body: &str) -> Reply {
        Reply::Send {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }
    pub fn empty(status: u16) -> Reply {
        Reply::Send {
            status,
            headers: vec![],
            body: vec![],
        }
    }
    /// Adds a header (to a complete answer).
    pub fn header(mut self, k: &str, v: &str) -> Reply {
        if let Reply::Send { headers, .. } = &mut self {
            headers.push((k.into(), v.into()));
        }
        self
    }
    pub fn delayed(self, d: Duration) -> Reply {
        Reply::Delay(d, Box::new(self))
    }
}

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

/// A running fault server.
pub struct FaultServer {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    accept: Option<std::thread::JoinHandle<()>>,
}

impl FaultServer {
    /// Starts a server answering each request with `handler`.
    pub fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let slots = Arc::new((Mutex::new(0usize), Condvar::new()));
        let (log, stopping) = (seen.clone(), stop.clone());
        let accept = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                {
                    let (n, cv) = &*slots;
                    let mut n = n.lock().unwrap();
                    while *n >= MAX_CONNECTIONS {
                        n = cv.wait(n).unwrap();
                    }
                    *n += 1;
                }
                let (handler, log, slots, stopping) = (
                    handler.clone(),
                    log.clone(),
                    slots.clone(),
                    stopping.clone(),
                );
                std::thread::spawn(move || {
                    let _ = serve_one(stream, &*handler, &log, &stopping);
                    let (n, cv) = &*slots;
                    *n.lock().unwrap() -= 1;
                    cv.notify_one();
                });
            }
        });
        FaultServer {
            url,
            seen,
            stop,
            accept: Some(accept),
        }
    }

    /// Every request so far, in order of arrival.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
    /// How many requests matched.
    pub fn count(&self, f: impl Fn(&Seen) -> bool) -> usize {
        self.seen.lock().unwrap().iter().filter(|s| f(s)).count()
    }
    /// How many logins (`POST …/auth/tokens`) it answered.
    pub fn logins(&self) -> usize {
        self.count(|s| s.method == "POST" && s.path.ends_with("/v3/auth/tokens"))
    }
    pub fn clear(&self) {
        self.seen.lock().unwrap().clear();
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
        // Once joined, the port refuses connections.
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

fn serve_one(
    stream: TcpStream,
    handler: &Handler,
    log: &Mutex<Vec<Seen>>,
    stopping: &AtomicBool,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(IDLE))?;
    stream.set_write_timeout(Some(IDLE))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 || stopping.load(Ordering::SeqCst) {
        return Ok(());
    }
    let at = Instant::now();
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target, String::new()),
    };
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 {
            return Ok(());
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let get = |n: &str| {
        headers
            .iter()
            .find(|(k, _): &&(String, String)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.to_ascii_lowercase())
    };
    let mut body = Vec::new();
    if get("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let n =
                usize::from_str_radix(size.trim().split(';').next().unwrap_or(""), 16).unwrap_or(0);
            let mut chunk = vec![0; n + 2];
            reader.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = get("content-length").and_then(|v| v.parse::<usize>().ok()) {
        body.resize(n, 0);
        reader.read_exact(&mut body)?;
    }
    let seen = Seen {
        method,
        path,
        query,
        headers,
        body,
        at,
    };
    log.lock().unwrap().push(seen.clone());
    let reply = handler(&seen);
    write_reply(stream, reply)
}

fn head(status: u16, headers: &[(String, String)], length: usize) -> String {
    let mut h = format!(
        "HTTP/1.1 {status} {}\r\nContent-Length: {length}\r\nConnection: close\r\n",
        reason(status)
    );
    for (k, v) in headers {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str("\r\n");
    h
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "X",
    }
}

fn write_reply(mut stream: TcpStream, reply: Reply) -> std::io::Result<()> {
    match reply {
        Reply::Send {
            status,
            headers,
            body,
        } => {
            let mut out = head(status, &headers, body.len()).into_bytes();
            out.extend_from_slice(&body);
            stream.write_all(&out)?;
            stream.flush()
        }
        Reply::Cut {
            status,
            length,
            body,
            reset,
        } => {
            let ct = [("Content-Type".to_string(), "application/json".to_string())];
            let mut out = head(status, &ct, length).into_bytes();
            out.extend_from_slice(&body);
            stream.write_all(&out)?;
            stream.flush()?;
            if reset {
                set_linger_zero(&stream);
            }
            Ok(())
        }
        Reply::Delay(d, inner) => {
            std::thread::sleep(d);
            write_reply(stream, *inner)
        }
        Reply::Trickle { length, interval } => {
            let ct = [(
                "Content-Type".to_string(),
                "application/octet-stream".to_string(),
            )];
            stream.write_all(head(200, &ct, length).as_bytes())?;
            let started = Instant::now();
            for _ in 0..length {
                if started.elapsed() > IDLE {
                    break;
                }
                stream.write_all(b"x")?;
                stream.flush()?;
                std::thread::sleep(interval);
            }
            Ok(())
        }
    }
}

/// Closing the socket then sends a TCP reset, not a clean end.
fn set_linger_zero(stream: &TcpStream) {
    use std::os::fd::AsRawFd;
    let l = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket descriptor and a correctly sized option value.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            &l as *const libc::linger as *const libc::c_void,
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

// ---- a fake Keystone ----------------------------------------------------------------

/// Services the fake Keystone's catalog lists, each at `<server>/<type>`.
pub const SERVICES: &[&str] = &[
    "identity",
    "image",
    "network",
    "compute",
    "volumev3",
    "object-store",
];

/// The catalog of a fault server at `url`: identity at `<url>/identity`, each other service
/// of [`SERVICES`] at `<url>/<type>`.
pub fn catalog(url: &str) -> Value {
    let entries: Vec<Value> = SERVICES
        .iter()
        .map(|t| {
            let path = match *t {
                "object-store" => "object-store/v1/AUTH_p".to_string(),
                "compute" => "compute/v2.1".to_string(),
                "volumev3" => "volume/v3/p".to_string(),
                other => other.to_string(),
            };
            json!({"id": t, "type": t, "name": t, "endpoints": [
                {"id": format!("e-{t}"), "interface": "public", "region_id": "RegionOne",
                 "region": "RegionOne", "url": format!("{url}/{path}")}
            ]})
        })
        .collect();
    Value::Array(entries)
}

/// Where the fake Keystone's tokens put the identity service (for stale-catalog tests).
pub enum TokenCatalog {
    /// Every service on this server ([`catalog`]).
    Here,
    /// Identity under `/old` on the same server, which answers 404 there (a path that moved).
    OldPath,
    /// Identity elsewhere.
    At(String),
}

/// Keystone's token response body for token number `n`.
pub fn token_body(catalog: Value) -> Value {
    json!({"token": {
        "methods": ["password"],
        "expires_at": "2099-01-01T00:00:00.000000Z",
        "issued_at": "2026-01-01T00:00:00.000000Z",
        "user": {"id": "u", "name": "u", "domain": {"id": "default", "name": "Default"}},
        "project": {"id": "p", "name": "p", "domain": {"id": "default", "name": "Default"}},
        "roles": [{"id": "r", "name": "member"}],
        "catalog": catalog,
    }})
}

/// The token the fake Keystone issues at its `n`th login (from 1).
pub fn issued_token(n: usize) -> String {
    format!("gAAAAAtoken{n}SECRET")
}

/// A fake Keystone: answers logins (`POST /identity/v3/auth/tokens`, tokens
/// [`issued_token`]), the federation endpoint, `GET /identity/v3/auth/catalog` and a fake
/// OpenID token endpoint (`POST /idp/token`); `None` for other requests. `logins` counts.
pub struct Keystone {
    url: String,
    logins: AtomicUsize,
    token_catalog: TokenCatalog,
}

impl Keystone {
    /// A Keystone at `<url>/identity`.
    pub fn new(url: &str, token_catalog: TokenCatalog) -> Keystone {
        Keystone {
            url: url.to_string(),
            logins: AtomicUsize::new(0),
            token_catalog,
        }
    }
    /// The catalog its tokens carry.
    pub fn token_catalog(&self) -> Value {
        match &self.token_catalog {
            TokenCatalog::Here => catalog(&self.url),
            TokenCatalog::OldPath => catalog(&format!("{}/old", self.url)),
            TokenCatalog::At(u) => json!([{"id": "k", "type": "identity", "name": "keystone",
                "endpoints": [{"id": "e", "interface": "public", "region_id": "RegionOne",
                               "region": "RegionOne", "url": u}]}]),
        }
    }
    pub fn answer(&self, s: &Seen) -> Option<Reply> {
        match (s.method.as_str(), s.path.as_str()) {
            ("POST", "/identity/v3/auth/tokens") => {
                let n = self.logins.fetch_add(1, Ordering::SeqCst) + 1;
                Some(
                    Reply::json(201, token_body(self.token_catalog()))
                        .header("X-Subject-Token", &issued_token(n)),
                )
            }
            ("POST", p) if p.starts_with("/identity/v3/OS-FEDERATION/") => Some(
                Reply::json(201, json!({"token": {}})).header("X-Subject-Token", "unscoped-FED"),
            ),
            ("GET", "/identity/v3/auth/catalog") => Some(Reply::json(
                200,
                json!({"catalog": catalog(&self.url), "links": {}}),
            )),
            ("POST", "/idp/token") => Some(Reply::json(
                200,
                json!({"access_token": "IDP-ACCESS-TOKEN-SECRET", "token_type": "Bearer"}),
            )),
            ("GET", "/idp/.well-known/openid-configuration") => Some(Reply::json(
                200,
                json!({"token_endpoint": format!("{}/idp/token", self.url)}),
            )),
            _ => None,
        }
    }
}

/// A not-found answer in Keystone's format.
pub fn not_found() -> Reply {
    Reply::json(
        404,
        json!({"error": {"code": 404, "message": "Not Found", "title": "Not Found"}}),
    )
}

/// A fault server with a fake Keystone in front of `service`, which answers everything
/// else (`None`: 404).
pub fn cloud_server(
    service: impl Fn(&Seen) -> Option<Reply> + Send + Sync + 'static,
) -> FaultServer {
    cloud_server_with(TokenCatalog::Here, service)
}

pub fn cloud_server_with(
    token_catalog: TokenCatalog,
    service: impl Fn(&Seen) -> Option<Reply> + Send + Sync + 'static,
) -> FaultServer {
    // The URL is known only once bound: the handler reads it from a cell set right after.
    let keystone: Arc<Mutex<Option<Keystone>>> = Arc::new(Mutex::new(None));
    let k = keystone.clone();
    let server = FaultServer::start(move |s| {
        if let Some(r) = k.lock().unwrap().as_ref().and_then(|k| k.answer(s)) {
            return r;
        }
        service(s).unwrap_or_else(not_found)
    });
    *keystone.lock().unwrap() = Some(Keystone::new(&server.url, token_catalog));
    server
}

// ---- a cloud pointing at it ----------------------------------------------------------

/// A `clouds.yaml` with one cloud `fake` whose auth section is `auth` (YAML lines, indented
/// by six spaces) plus cloud-level `extra` lines, a private token cache, and the shipped
/// plugins beside the binary.
pub struct FakeCloud {
    pub dir: tempfile::TempDir,
    pub env: Vec<(String, String)>,
}

/// The auth section of a password cloud at the fault server `url`.
pub fn password_auth(url: &str) -> String {
    format!("      auth_url: {url}/identity/v3\n      username: u\n      password: PASSWORD-S3CRET\n      project_name: p\n      user_domain_id: default\n      project_domain_id: default\n")
}

impl FakeCloud {
    /// A password cloud at the fault server `url`.
    pub fn new(url: &str) -> FakeCloud {
        FakeCloud::with(&password_auth(url), "")
    }

    pub fn with(auth: &str, extra: &str) -> FakeCloud {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("clouds.yaml");
        std::fs::write(
            &p,
            format!("clouds:\n  fake:\n    region_name: RegionOne\n{extra}    auth:\n{auth}"),
        )
        .unwrap();
        let plugins = Path::new(env!("CARGO_BIN_EXE_osc")).parent().unwrap();
        let env = vec![
            ("OS_CLIENT_CONFIG_FILE".into(), p.to_str().unwrap().into()),
            (
                "OSC_CACHE_DIR".into(),
                dir.path().join("cache").to_str().unwrap().into(),
            ),
            ("OSC_PLUGIN_PATH".into(), plugins.to_str().unwrap().into()),
            (
                "XDG_CONFIG_HOME".into(),
                dir.path().join("config").to_str().unwrap().into(),
            ),
            (
                "XDG_DATA_HOME".into(),
                dir.path().join("data").to_str().unwrap().into(),
            ),
            ("COLUMNS".into(), "200".into()),
        ];
        FakeCloud { dir, env }
    }

    pub fn cache_dir(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    /// The command line `osc --os-cloud fake <args>`, not started.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_osc"));
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("OS_") {
                c.env_remove(k);
            }
        }
        c.env_remove("OSC_TOKEN_STORE");
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c.args(["--os-cloud", "fake"]).args(args);
        c
    }

    pub fn osc(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run osc")
    }

    /// The command's output; it must succeed.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.osc(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

/// The error of a failed command: stderr, which must be exactly one line.
pub fn one_line_error(out: &Output) -> String {
    assert!(!out.status.success(), "expected a failure");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        err.lines().count(),
        1,
        "expected a one-line error, got: {err:?}"
    );
    assert!(!err.contains("panicked"), "{err}");
    err
}
