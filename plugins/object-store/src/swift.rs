//! The Swift API calls behind the commands (mirrors openstackclient/api/object_store_v1.py).

use md5::{Digest, Md5};
use osc_plugin_sdk::osc_api::{self, request::Request as ApiRequest};
use osc_plugin_sdk::{json, Args, Error, Host, Method, Reply, Request, Response, Result, Value};
use std::io::{Read, Write};

const SERVICE: &str = "object-store";
/// Swift's default maximum object size: larger files must be segmented.
const DEFAULT_SEGMENT_SIZE: i64 = 5 * 1024 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;

pub struct Swift<'a, 'h> {
    pub host: &'a Host<'h>,
}

#[derive(Clone, Copy)]
pub enum Target {
    Account,
    Container,
    Object,
}

/// `urllib.parse.quote`: everything but unreserved characters and `/` is escaped.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"_.-~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn obj_path(container: &str, object: &str) -> String {
    format!("/{}/{}", quote(container), quote(object))
}

/// Swift title-cases metadata names (`X-Object-Meta-Color`); the HTTP layer hands us
/// lower-case names, so restore the case OSC shows.
fn title_case(s: &str) -> String {
    s.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(c.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join("-")
}

fn properties(r: &Response, prefix: &str) -> Option<Value> {
    let mut m = osc_plugin_sdk::Map::new();
    for (k, v) in &r.headers {
        if let Some(name) = k.to_ascii_lowercase().strip_prefix(prefix) {
            m.insert(title_case(name), json!(v));
        }
    }
    (!m.is_empty()).then_some(Value::Object(m))
}

/// The account (`AUTH_<project>`) from a response URL: the path segment after `v1`.
fn account_of(url: &str) -> Value {
    let path = url
        .split("://")
        .nth(1)
        .and_then(|r| r.split_once('/'))
        .map(|(_, p)| p)
        .unwrap_or("");
    let path = path.split('?').next().unwrap_or("");
    let segs: Vec<&str> = path.split('/').collect();
    match segs.iter().position(|s| *s == "v1") {
        Some(i) => segs.get(i + 1).map(|s| json!(s)).unwrap_or(Value::Null),
        None => segs
            .iter()
            .rev()
            .find(|s| !s.is_empty())
            .map(|s| json!(s))
            .unwrap_or(Value::Null),
    }
}

fn header(r: &Response, name: &str) -> Value {
    r.header(name).map(|v| json!(v)).unwrap_or(Value::Null)
}

/// A show reply with its fields sorted by name, as OSC does (`sorted(data.items())`).
fn sorted_show(mut fields: Vec<(String, Value)>) -> Reply {
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    let mut r = Reply::show();
    for (k, v) in fields {
        r = r.field(k, v);
    }
    r.style("properties", "dict")
}

/// Hashes what passes through a reader.
struct Md5Reader<R> {
    inner: R,
    md5: Md5,
    count: u64,
}

impl<R: Read> Read for Md5Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.md5.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }
}

fn etag_matches(etag: Option<&str>, md5_hex: &str) -> bool {
    etag.map(|e| e.trim_matches('"').eq_ignore_ascii_case(md5_hex))
        .unwrap_or(true)
}

impl Swift<'_, '_> {
    fn send(&self, req: Request<'_>) -> Result<Response<'_>> {
        self.host.request(req)?.ok()
    }

    fn listing(&self, path: String, args: &Args, with_delimiter: bool) -> Result<Vec<Value>> {
        let mut req = ApiRequest::new(Method::GET, SERVICE, path).query("format", "json");
        if let Some(l) = args.int("limit")? {
            if l < 0 {
                return Err(Error::other(format!(
                    "argument --limit: {l} is not a non-negative integer"
                )));
            }
            if l > 0 {
                req = req.query("limit", l);
            }
        }
        let mut filters = vec![
            ("marker", "marker"),
            ("end_marker", "end_marker"),
            ("prefix", "prefix"),
        ];
        if with_delimiter {
            filters.push(("delimiter", "delimiter"));
        }
        for (arg, key) in filters {
            if let Some(v) = args.str(arg).filter(|v| !v.is_empty()) {
                req = req.query(key, v);
            }
        }
        // The next page starts after the last name (or pseudo-directory) of this one.
        let marker_of = |e: &Value| {
            e.get("name")
                .or_else(|| e.get("subdir"))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        osc_api::resource::marker_pages(self.host, req, args.flag("all"), marker_of)
    }

    fn list_reply(rows: Vec<Value>, columns: &[&str]) -> Reply {
        // utils.get_dict_properties: "Content Type" -> content_type; a missing key is "".
        let keys: Vec<String> = columns
            .iter()
            .map(|c| c.to_lowercase().replace(' ', "_"))
            .collect();
        let rows = rows
            .iter()
            .map(|r| {
                keys.iter()
                    .map(|k| r.get(k).cloned().unwrap_or_else(|| json!("")))
                    .collect()
            })
            .collect();
        Reply::list(columns.iter().copied()).rows(rows)
    }

    pub fn container_list(&self, args: &Args) -> Result<Reply> {
        let rows = self.listing(String::new(), args, false)?;
        let cols: &[&str] = if args.flag("long") {
            &["Name", "Bytes", "Count"]
        } else {
            &["Name"]
        };
        Ok(Self::list_reply(rows, cols))
    }

    pub fn object_list(&self, args: &Args) -> Result<Reply> {
        let c = args.req("container")?;
        let rows = self.listing(format!("/{}", quote(c)), args, true)?;
        let cols: &[&str] = if args.flag("long") {
            &["Name", "Bytes", "Hash", "Content Type", "Last Modified"]
        } else {
            &["Name"]
        };
        Ok(Self::list_reply(rows, cols))
    }

    pub fn container_create(&self, args: &Args) -> Result<Reply> {
        let mut rows = Vec::new();
        for c in args.list("containers") {
            if c.len() > 256 {
                self.host.warn(&format!(
                    "Container name is {} characters long, the default limit is 256",
                    c.len()
                ));
            }
            let mut req = Request::put(SERVICE, format!("/{}", quote(&c)));
            if args.flag("public") {
                req = req.header("x-container-read", ".r:*,.rlistings");
            }
            if let Some(p) = args.str("storage_policy") {
                req = req.header("x-storage-policy", p);
            }
            let r = self.send(req)?;
            rows.push(vec![account_of(&r.url), json!(c), header(&r, "x-trans-id")]);
        }
        Ok(Reply::list(["account", "container", "x-trans-id"]).rows(rows))
    }

    pub fn container_delete(&self, args: &Args) -> Result<Reply> {
        for c in args.list("containers") {
            if args.flag("recursive") {
                for o in self.listing(format!("/{}", quote(&c)), &Args::default(), false)? {
                    if let Some(name) = o["name"].as_str() {
                        self.send(Request::delete(SERVICE, obj_path(&c, name)))?;
                    }
                }
            }
            self.send(Request::delete(SERVICE, format!("/{}", quote(&c))))?;
        }
        Ok(Reply::None)
    }

    pub fn container_show(&self, args: &Args) -> Result<Reply> {
        let c = args.req("container")?;
        let r = self.send(Request::head(SERVICE, format!("/{}", quote(c))))?;
        let mut f = vec![
            ("account".to_string(), account_of(&r.url)),
            ("container".into(), json!(c)),
            (
                "object_count".into(),
                header(&r, "x-container-object-count"),
            ),
            ("bytes_used".into(), header(&r, "x-container-bytes-used")),
            ("storage_policy".into(), header(&r, "x-storage-policy")),
        ];
        for (h, k) in [
            ("x-container-read", "read_acl"),
            ("x-container-write", "write_acl"),
            ("x-container-sync-to", "sync_to"),
            ("x-container-sync-key", "sync_key"),
        ] {
            if r.header(h).is_some() {
                f.push((k.into(), header(&r, h)));
            }
        }
        if let Some(p) = properties(&r, "x-container-meta-") {
            f.push(("properties".into(), p));
        }
        Ok(sorted_show(f))
    }

    pub fn account_show(&self) -> Result<Reply> {
        let r = self.send(Request::head(SERVICE, ""))?;
        let mut f = Vec::new();
        if let Some(p) = properties(&r, "x-account-meta-") {
            f.push(("properties".to_string(), p));
        }
        f.push(("Containers".into(), header(&r, "x-account-container-count")));
        f.push(("Objects".into(), header(&r, "x-account-object-count")));
        f.push(("Bytes".into(), header(&r, "x-account-bytes-used")));
        f.push(("Account".into(), account_of(&r.url)));
        Ok(sorted_show(f))
    }

    pub fn object_show(&self, args: &Args) -> Result<Reply> {
        let (c, o) = (args.req("container")?, args.req("object")?);
        let r = self.send(Request::head(SERVICE, obj_path(c, o)).header("accept", "*/*"))?;
        let mut f = vec![
            ("account".to_string(), account_of(&r.url)),
            ("container".into(), json!(c)),
            ("object".into(), json!(o)),
            ("content-type".into(), header(&r, "content-type")),
        ];
        for h in [
            "content-length",
            "last-modified",
            "etag",
            "x-object-manifest",
        ] {
            if r.header(h).is_some() {
                f.push((h.into(), header(&r, h)));
            }
        }
        if let Some(p) = properties(&r, "x-object-meta-") {
            f.push(("properties".into(), p));
        }
        Ok(sorted_show(f))
    }

    /// `set` and `unset` of metadata on the account, a container or an object.
    pub fn set_meta(&self, args: &Args, target: Target, set: bool) -> Result<Reply> {
        let (path, kind) = match target {
            Target::Account => (String::new(), "Account"),
            Target::Container => (format!("/{}", quote(args.req("container")?)), "Container"),
            Target::Object => (
                obj_path(args.req("container")?, args.req("object")?),
                "Object",
            ),
        };
        let mut req = Request::post(SERVICE, path);
        let mut any = false;
        for p in args.list("property") {
            if set {
                let Some((k, v)) = p.split_once('=') else {
                    return Err(Error::other(format!(
                        "argument --property: Expected 'key=value' type, but got: {p}"
                    )));
                };
                if !k.is_ascii() || !v.is_ascii() {
                    self.host
                        .warn(&format!("Cannot set property {k} to non-ascii value"));
                    continue;
                }
                req = req.header(&format!("X-{kind}-Meta-{k}"), v);
            } else {
                req = req.header(&format!("X-Remove-{kind}-Meta-{p}"), "x");
            }
            any = true;
        }
        if any {
            self.send(req)?;
        }
        Ok(Reply::None)
    }

    pub fn object_delete(&self, args: &Args) -> Result<Reply> {
        let c = args.req("container")?;
        for o in args.list("objects") {
            self.send(Request::delete(SERVICE, obj_path(c, &o)))?;
        }
        Ok(Reply::None)
    }

    pub fn object_create(&self, args: &Args) -> Result<Reply> {
        let c = args.req("container")?;
        let files = args.list("objects");
        let name = args.str("name");
        if name.is_some() && files.len() > 1 {
            return Err(
                "Attempting to upload multiple objects and using --name is not permitted".into(),
            );
        }
        let segment = args.int("segment_size")?.unwrap_or(DEFAULT_SEGMENT_SIZE);
        if segment <= 0 {
            return Err("--segment-size must be positive".into());
        }
        let mut rows = Vec::new();
        for file in files {
            if file.len() > 1024 {
                self.host.warn(&format!(
                    "Object name is {} characters long, default limit is 1024",
                    file.len()
                ));
            }
            let obj = name.unwrap_or(&file);
            let size = std::fs::metadata(&file)
                .map_err(|e| Error::other(format!("{file}: {e}")))?
                .len();
            let etag = if size > segment as u64 {
                self.upload_segmented(c, obj, &file, size, segment as u64)?
            } else {
                self.upload_one(c, obj, &file, size)?
            };
            rows.push(vec![json!(obj), json!(c), etag]);
        }
        Ok(Reply::list(["object", "container", "etag"]).rows(rows))
    }

    /// PUTs a reader, checks Swift's ETag against the MD5 of what was sent.
    fn put_checked(
        &self,
        path: String,
        reader: impl Read,
        what: &str,
    ) -> Result<(Value, String, u64)> {
        let mut r = Md5Reader {
            inner: reader,
            md5: Md5::new(),
            count: 0,
        };
        // No content type of our own: Swift guesses it from the name, as with OSC.
        let resp = self.send(
            Request::put(SERVICE, path.clone())
                .header("x-detect-content-type", "true")
                .body(&mut r),
        )?;
        let etag = header(&resp, "etag");
        drop(resp);
        let md5 = hex::encode(r.md5.finalize_reset());
        if !etag_matches(etag.as_str(), &md5) {
            return Err(Error::other(format!("Upload of {what} was corrupted: Swift's ETag {etag} differs from the MD5 {md5} of the data sent")));
        }
        Ok((etag, md5, r.count))
    }

    fn upload_one(&self, c: &str, obj: &str, file: &str, size: u64) -> Result<Value> {
        let f = std::fs::File::open(file).map_err(|e| Error::other(format!("{file}: {e}")))?;
        let (etag, _, sent) = self.put_checked(obj_path(c, obj), f, file)?;
        self.host.progress(obj, sent, size);
        if sent != size {
            return Err(Error::other(format!(
                "{file} changed size during the upload ({size} -> {sent} bytes)"
            )));
        }
        Ok(etag)
    }

    /// A static large object: segments in `<container>_segments`, then the manifest.
    fn upload_segmented(
        &self,
        c: &str,
        obj: &str,
        file: &str,
        size: u64,
        segment: u64,
    ) -> Result<Value> {
        let seg_container = format!("{c}_segments");
        self.send(Request::put(SERVICE, format!("/{}", quote(&seg_container))))?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| format!("{}.{:06}", d.as_secs(), d.subsec_micros()))
            .unwrap_or_default();
        let mut f = std::fs::File::open(file).map_err(|e| Error::other(format!("{file}: {e}")))?;
        let mut manifest = Vec::new();
        let mut done = 0u64;
        let mut i = 0u32;
        while done < size {
            let len = segment.min(size - done);
            let seg_name = format!("{obj}/slo/{stamp}/{size}/{segment}/{i:08}");
            let (_, md5, sent) = self.put_checked(
                obj_path(&seg_container, &seg_name),
                (&mut f).take(len),
                &seg_name,
            )?;
            if sent != len {
                return Err(Error::other(format!(
                    "{file} changed size during the upload"
                )));
            }
            manifest.push(json!({"path": format!("/{seg_container}/{seg_name}"), "etag": md5, "size_bytes": len}));
            done += len;
            i += 1;
            self.host.progress(obj, done, size);
        }
        let resp = self.send(
            Request::put(SERVICE, obj_path(c, obj))
                .query("multipart-manifest", "put")
                .header("x-detect-content-type", "true")
                .text(Value::Array(manifest).to_string()),
        )?;
        Ok(header(&resp, "etag"))
    }

    pub fn object_save(&self, args: &Args) -> Result<Reply> {
        let (c, o) = (args.req("container")?, args.req("object")?);
        let file = args.str("file").filter(|f| !f.is_empty()).unwrap_or(o);
        self.save(c, o, file)?;
        Ok(Reply::None)
    }

    pub fn container_save(&self, args: &Args) -> Result<Reply> {
        let c = args.req("container")?;
        for o in self.listing(format!("/{}", quote(c)), &Args::default(), false)? {
            if let Some(name) = o["name"].as_str() {
                self.save(c, name, name)?;
            }
        }
        Ok(Reply::None)
    }

    /// Streams an object to a file (or stdout for `-`), checking the MD5 against the ETag
    /// unless the object is a large-object manifest (whose ETag is not the content's MD5).
    fn save(&self, c: &str, o: &str, file: &str) -> Result<()> {
        let mut resp = self.send(Request::get(SERVICE, obj_path(c, o)).header("accept", "*/*"))?;
        let segmented = resp.header("x-static-large-object").is_some()
            || resp.header("x-object-manifest").is_some();
        let etag = resp.header("etag").map(str::to_string);
        let total: u64 = resp
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let to_stdout = file == "-";
        let tmp = format!("{file}.osc-partial");
        let mut out: Box<dyn Write> = if to_stdout {
            Box::new(std::io::stdout().lock())
        } else {
            let dir = std::path::Path::new(file)
                .parent()
                .filter(|d| !d.as_os_str().is_empty());
            if let Some(d) = dir {
                std::fs::create_dir_all(d)
                    .map_err(|e| Error::other(format!("{}: {e}", d.display())))?;
            }
            Box::new(std::io::BufWriter::new(
                std::fs::File::create(&tmp).map_err(|e| Error::other(format!("{tmp}: {e}")))?,
            ))
        };
        let mut md5 = Md5::new();
        let mut buf = vec![0u8; CHUNK];
        let mut done = 0u64;
        let result: Result<()> = (|| {
            loop {
                let n = resp.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                md5.update(&buf[..n]);
                out.write_all(&buf[..n])?;
                done += n as u64;
            }
            out.flush()?;
            Ok(())
        })();
        drop(out);
        let cleanup = || {
            if !to_stdout {
                let _ = std::fs::remove_file(&tmp);
            }
        };
        if let Err(e) = result {
            cleanup();
            return Err(Error::other(format!("Saving {o} failed: {e}")));
        }
        let sum = hex::encode(md5.finalize());
        if !segmented && !etag_matches(etag.as_deref(), &sum) {
            cleanup();
            return Err(Error::other(format!(
                "Download of {o} was corrupted: MD5 {sum} differs from Swift's ETag {}",
                etag.unwrap_or_default()
            )));
        }
        if total > 0 && done != total {
            cleanup();
            return Err(Error::other(format!(
                "Download of {o} was cut short: {done} of {total} bytes"
            )));
        }
        if !to_stdout {
            std::fs::rename(&tmp, file).map_err(|e| Error::other(format!("{file}: {e}")))?;
        }
        self.host.progress(o, done, total);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_python() {
        assert_eq!(quote("a b/c?d"), "a%20b/c%3Fd");
        assert_eq!(quote("é"), "%C3%A9");
    }

    #[test]
    fn finds_the_account_and_restores_meta_case() {
        assert_eq!(
            account_of("http://127.0.0.1:8080/v1/AUTH_abc/cont"),
            json!("AUTH_abc")
        );
        assert_eq!(
            account_of("http://127.0.0.1:8080/v1/AUTH_abc"),
            json!("AUTH_abc")
        );
        assert_eq!(title_case("web-index"), "Web-Index");
    }
}
