//! The host side of one invocation: the callbacks a plugin gets (authenticated HTTP
//! through osc-core's session, response-body reads, logging, progress). Each callback
//! catches panics and reports an error status, since unwinding into C is undefined.

use osc_core::{log, Context, Session};
use osc_plugin_abi::{self as abi, OscBuf, OscHost, OscReader, OscStr, Status};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::Read;
use std::os::raw::c_void;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::thread::ThreadId;

/// One invocation's host side. The plugin may call in from several threads between
/// begin_concurrent and end_concurrent (ABI 1.1), so everything a callback changes is
/// behind a lock or atomic, and only the invoking thread touches `ctx`.
pub struct HostState<'a> {
    pub ctx: &'a Context,
    pub plugin: String,
    bodies: Mutex<HashMap<u64, Body<'a>>>,
    next: AtomicU64,
    bars: Mutex<HashMap<String, indicatif::ProgressBar>>,
    /// Sessions for the plugin's other threads (forks of the invocation's session),
    /// handed out one per request while concurrent work is allowed.
    forks: Mutex<Vec<Session>>,
    main: ThreadId,
}

type Body<'a> = Box<dyn Read + Send + 'a>;

impl Drop for HostState<'_> {
    /// A plugin that never ended its concurrent work still has its requests counted.
    fn drop(&mut self) {
        self.end_concurrent();
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<'a> HostState<'a> {
    pub fn new(ctx: &'a Context, plugin: &str) -> Self {
        HostState {
            ctx,
            plugin: plugin.to_string(),
            bodies: Mutex::new(HashMap::new()),
            next: AtomicU64::new(0),
            bars: Mutex::new(HashMap::new()),
            forks: Mutex::new(Vec::new()),
            main: std::thread::current().id(),
        }
    }

    /// The callback table; valid while `self` is neither moved nor dropped.
    pub fn table(&self) -> OscHost {
        OscHost {
            struct_size: std::mem::size_of::<OscHost>() as u32,
            abi_major: abi::ABI_MAJOR,
            abi_minor: abi::ABI_MINOR,
            ctx: self as *const HostState as *mut c_void,
            http: Some(http),
            body_read: Some(body_read),
            body_close: Some(body_close),
            log: Some(log_cb),
            progress: Some(progress),
            begin_concurrent: Some(begin_concurrent),
            end_concurrent: Some(end_concurrent),
        }
    }

    fn on_main(&self) -> bool {
        std::thread::current().id() == self.main
    }

    fn keep(&self, body: Body<'a>) -> u64 {
        let h = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        lock(&self.bodies).insert(h, body);
        h
    }

    /// Up to `workers` (at most osc's bound) forks of the session for the plugin's threads.
    fn begin_concurrent(&self, workers: u32) -> u32 {
        if !self.on_main() {
            return 0;
        }
        let Ok(s) = self.ctx.session() else { return 0 };
        let want = (workers as usize).min(osc_core::concurrent::BOUND);
        let mut forks = lock(&self.forks);
        while forks.len() < want {
            // No authentication (a wrong password): no threads, one failing login only.
            match s.fork() {
                Ok(f) => forks.push(f),
                Err(_) => break,
            }
        }
        forks.len() as u32
    }

    /// Takes the forks' request counts and timings back into the session.
    fn end_concurrent(&self) {
        if !self.on_main() {
            return;
        }
        let forks: Vec<Session> = lock(&self.forks).drain(..).collect();
        if let Some(s) = self.ctx.session_if_started() {
            for f in forks {
                s.absorb(f);
            }
        }
    }

    fn http(&self, head: &Value, body: *const OscReader) -> Result<Value, String> {
        if self.on_main() {
            let session = self.ctx.session().map_err(|e| e.to_string())?;
            return self.http_on(session, head, body);
        }
        let fork = lock(&self.forks)
            .pop()
            .ok_or("the plugin called the host from another thread outside begin_concurrent")?;
        let r = self.http_on(&fork, head, body);
        lock(&self.forks).push(fork);
        r
    }

    fn http_on(
        &self,
        session: &Session,
        head: &Value,
        body: *const OscReader,
    ) -> Result<Value, String> {
        let method = head["method"].as_str().unwrap_or("GET");
        let method = osc_core::Method::from_bytes(method.as_bytes())
            .map_err(|_| format!("bad HTTP method {method:?}"))?;
        let service = head["service"]
            .as_str()
            .ok_or("request without a service type")?;
        let path = head["path"].as_str().unwrap_or("");
        let mut req = osc_core::Request::new(method, service, path);
        let mut ct = head["content_type"].as_str().map(str::to_string);
        for (field, is_query) in [("query", true), ("headers", false)] {
            for p in head[field].as_array().into_iter().flatten() {
                let (Some(k), Some(v)) = (
                    p.get(0).and_then(Value::as_str),
                    p.get(1).and_then(Value::as_str),
                ) else {
                    return Err(format!("bad {field} entry in the request"));
                };
                if !is_query
                    && (k.eq_ignore_ascii_case("x-auth-token")
                        || k.eq_ignore_ascii_case("authorization"))
                {
                    return Err("plugins may not set credentials".into());
                }
                // An explicit Content-Type header is the body's media type.
                if !is_query && k.eq_ignore_ascii_case("content-type") {
                    ct.get_or_insert_with(|| v.to_string());
                    continue;
                }
                req = if is_query {
                    req.query(k, v)
                } else {
                    req.header(k, v)
                };
            }
        }
        let explicit = ct.is_some();
        let ct = content_type(ct.as_deref())?;
        if !body.is_null() {
            // SAFETY: the plugin guarantees the reader for the duration of this call.
            let r = unsafe { *body };
            // reqwest's blocking client reads a streamed body on this thread and finishes
            // before `send` returns, so the reader is never used after the call.
            req = req.body(osc_core::Body::Stream(
                reqwest::blocking::Body::new(PluginReader(r)),
                ct,
            ));
        } else if let Some(j) = head.get("json") {
            req = if explicit {
                // JSON under another media type (JSON patch, vendor types).
                req.body(osc_core::Body::Bytes(j.to_string().into_bytes(), ct))
            } else {
                req.json(j.clone())
            };
        } else if let Some(t) = head["text"].as_str() {
            req = req.body(osc_core::Body::Bytes(t.as_bytes().to_vec(), ct));
        }
        // The microversion: exactly the plugin's, or negotiated up to its maximum (the
        // user's --os-<service>-api-version wins), or for ABI 1.0 plugins, which state
        // neither, osc's own maximum for the service unless they set the header themselves.
        let own_header = osc_api::microversion::headers(osc_core::catalog::canonical(service), "x")
            .iter()
            .any(|(h, _)| req.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(h)));
        let microversion = match (
            head["microversion"].as_str(),
            head["max_microversion"].as_str(),
        ) {
            (Some(exact), _) => Some(exact.to_string()).filter(|v| !v.is_empty()),
            (None, max) if !own_header => session
                .microversion(service, max)
                .map_err(|e| e.to_string())?,
            (None, _) => None,
        };
        req = req.microversion(microversion.clone().unwrap_or_default());
        // Every status reaches the plugin with the service's own headers and body.
        match session.send_unchecked(req) {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let url = resp.url().to_string();
                let headers: Vec<(String, String)> = resp
                    .headers()
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().to_string(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect();
                let h = self.keep(Box::new(resp));
                Ok(
                    json!({"status": status, "headers": headers, "url": url, "body": h,
                          "microversion": microversion}),
                )
            }
            Err(e) => Err(e.to_string()),
        }
    }
}

/// Any media type a plugin names (`application/openstack-images-v2.1-json-patch`, vendor
/// types), checked to be a valid header value; `application/octet-stream` by default.
/// Each distinct value is kept for the process (the session takes `&'static str`), so
/// this costs one small allocation per media type, not per request.
fn content_type(ct: Option<&str>) -> Result<&'static str, String> {
    static SEEN: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let Some(ct) = ct else {
        return Ok("application/octet-stream");
    };
    let ct = ct.trim();
    if ct.is_empty() || ct.len() > 255 || !ct.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(format!("invalid content type {ct:?}"));
    }
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = seen.iter().find(|s| **s == ct) {
        return Ok(s);
    }
    let s: &'static str = Box::leak(ct.to_string().into_boxed_str());
    seen.push(s);
    Ok(s)
}

struct PluginReader(OscReader);

// SAFETY: see the comment where it is created: reqwest reads it on the calling thread,
// during the plugin's http() call.
unsafe impl Send for PluginReader {}

impl Read for PluginReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let Some(read) = self.0.read else {
            return Ok(0);
        };
        // SAFETY: the plugin's reader contract (buf writable for its length).
        let n = unsafe { read(self.0.state, buf.as_mut_ptr(), buf.len()) };
        if n < 0 || n as usize > buf.len() {
            return Err(std::io::Error::other(
                "the plugin failed to supply the request body",
            ));
        }
        Ok(n as usize)
    }
}

fn with_state<T>(ctx: *mut c_void, default: T, f: impl FnOnce(&HostState) -> T) -> T {
    if ctx.is_null() {
        return default;
    }
    // SAFETY: ctx is the HostState that built the table, alive during the invocation;
    // shared, never mutable, since plugin threads may call in at once (see HostState).
    let st = unsafe { &*(ctx as *const HostState) };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(st))).unwrap_or(default)
}

unsafe extern "C" fn begin_concurrent(ctx: *mut c_void, workers: u32) -> u32 {
    with_state(ctx, 0, |st| st.begin_concurrent(workers))
}

unsafe extern "C" fn end_concurrent(ctx: *mut c_void) {
    with_state(ctx, (), |st| st.end_concurrent())
}

fn put(out: *mut OscBuf, v: &Value) {
    if !out.is_null() {
        // SAFETY: writable out-parameter; the plugin releases it with our release function.
        unsafe { *out = OscBuf::from_vec(v.to_string().into_bytes()) }
    }
}

unsafe extern "C" fn http(
    ctx: *mut c_void,
    request: OscStr,
    body: *const OscReader,
    response: *mut OscBuf,
) -> Status {
    let r = with_state(ctx, Err("internal error in the host".to_string()), |st| {
        // SAFETY: borrowed request, valid for the call.
        let head: Value = serde_json::from_slice(unsafe { request.as_bytes() })
            .map_err(|e| format!("bad HTTP request JSON: {e}"))?;
        st.http(&head, body)
    });
    match r {
        Ok(v) => {
            put(response, &v);
            abi::OK
        }
        Err(e) => {
            put(response, &json!({"error": e}));
            abi::ERROR
        }
    }
}

unsafe extern "C" fn body_read(ctx: *mut c_void, handle: u64, buf: *mut u8, cap: usize) -> i64 {
    with_state(ctx, -1, |st| {
        if buf.is_null() {
            return -1;
        }
        // Out of the map while it is read, so other threads' bodies are not held up.
        let Some(mut b) = lock(&st.bodies).remove(&handle) else {
            return -1;
        };
        // SAFETY: the plugin provides cap writable bytes.
        let out = unsafe { std::slice::from_raw_parts_mut(buf, cap) };
        let n = loop {
            match b.read(out) {
                Ok(n) => break n as i64,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    log::debug(&format!(
                        "reading a response body for plugin {}: {e}",
                        st.plugin
                    ));
                    break -1;
                }
            }
        };
        lock(&st.bodies).insert(handle, b);
        n
    })
}

unsafe extern "C" fn body_close(ctx: *mut c_void, handle: u64) {
    with_state(ctx, (), |st| {
        lock(&st.bodies).remove(&handle);
    })
}

unsafe extern "C" fn log_cb(ctx: *mut c_void, level: i32, message: OscStr) {
    with_state(ctx, (), |st| {
        // SAFETY: borrowed for the call.
        let m = String::from_utf8_lossy(unsafe { message.as_bytes() });
        let line = format!("{}: {}", st.plugin, m.trim_end());
        match level {
            abi::LOG_WARN => log::warn(&line),
            abi::LOG_INFO => log::info(&line),
            _ => log::debug(&line),
        }
    })
}

unsafe extern "C" fn progress(ctx: *mut c_void, label: OscStr, done: u64, total: u64) {
    with_state(ctx, (), |st| {
        // SAFETY: borrowed for the call.
        let l = crate::command::clean(&String::from_utf8_lossy(unsafe { label.as_bytes() }), false);
        // Bytes unless the label says `count:` (items: servers, segments...).
        let (l, bytes) = match l.strip_prefix("count:") {
            Some(rest) => (rest.trim().to_string(), false),
            None => (l, true),
        };
        // On a terminal: a real bar (bytes when the label says so, else counts); none with -q.
        if osc_core::wait::is_quiet() {
            return;
        }
        if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            let mut bars = lock(&st.bars);
            let bar = bars
                .entry(l.clone())
                .or_insert_with(|| new_bar(&st.plugin, &l, total, bytes));
            if total > 0 && bar.length() != Some(total) {
                bar.set_length(total);
            }
            bar.set_position(done);
            if total > 0 && done >= total {
                bar.finish();
            }
            return;
        }
        let unit = if bytes { " bytes" } else { "" };
        let line = match done.saturating_mul(100).checked_div(total) {
            Some(pct) => format!("{}: {l}: {done}/{total}{unit} ({pct}%)", st.plugin),
            None => format!("{}: {l}: {done}{unit}", st.plugin),
        };
        log::info(&line);
    })
}

fn new_bar(plugin: &str, label: &str, total: u64, bytes: bool) -> indicatif::ProgressBar {
    let bar = if total > 0 {
        indicatif::ProgressBar::new(total)
    } else {
        indicatif::ProgressBar::new_spinner()
    };
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    let tpl = match (total > 0, bytes) {
        (true, true) => "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
        (true, false) => "{msg} [{bar:30}] {pos}/{len}",
        (false, true) => "{msg} {spinner} {bytes}",
        (false, false) => "{msg} {spinner} {pos}",
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(tpl) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(format!("{plugin}: {label}"));
    bar
}

#[cfg(test)]
mod tests {
    use super::content_type;

    #[test]
    fn any_printable_media_type_passes_and_is_kept_once() {
        let patch = "application/openstack-images-v2.1-json-patch";
        let a = content_type(Some(patch)).unwrap_or_default();
        let b = content_type(Some(patch)).unwrap_or_default();
        assert_eq!(a, patch);
        assert!(std::ptr::eq(a, b), "one allocation per media type");
        assert_eq!(
            content_type(Some("application/vnd.vendor+json; charset=utf-8")),
            Ok("application/vnd.vendor+json; charset=utf-8")
        );
        assert_eq!(content_type(None), Ok("application/octet-stream"));
        assert!(content_type(Some("text/plain\r\nX-Evil: 1")).is_err());
        assert!(content_type(Some("")).is_err());
    }
}
