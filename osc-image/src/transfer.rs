//! Streaming image data in and out of Glance with flat memory: readers that hash (sha512,
//! Glance's default `os_hash_algo`, and md5 for `checksum`) and count what passes through,
//! an optional progress bar on a terminal, verification against what Glance reports, and
//! downloads that land under their final name only once complete and verified.

use crate::common::{str_field, SVC};
use md5::Md5;
use osc_core::{Body, Error, Method, Request, Result, Session};
use serde_json::Value;
use sha2::{Digest, Sha512};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What went through a [`HashingReader`] or [`HashingWriter`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Digests {
    pub bytes: u64,
    pub sha512: String,
    pub md5: String,
}

/// Which digests to compute. A download computes only the one it will check (sha512 when
/// Glance has it, else md5): each costs a core at the speeds a local Glance serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kinds {
    pub sha512: bool,
    pub md5: bool,
}

impl Kinds {
    pub const BOTH: Kinds = Kinds {
        sha512: true,
        md5: true,
    };

    /// The strongest digest Glance reports for `img`: its sha512 os_hash_value, else its md5
    /// checksum, else none (the size is still checked).
    pub fn to_check(img: &Value) -> Kinds {
        let sha512 = str_field(img, "os_hash_algo")
            .is_some_and(|a| a.eq_ignore_ascii_case("sha512"))
            && str_field(img, "os_hash_value").is_some_and(|h| !h.is_empty());
        let md5 = !sha512 && str_field(img, "checksum").is_some_and(|c| !c.is_empty());
        Kinds { sha512, md5 }
    }
}

/// The digests of a stream, each computed on its own thread so hashing overlaps the
/// transfer; data goes to them in 1 MiB batches through bounded channels, so memory stays
/// flat. Falls back to hashing inline if threads are unavailable.
struct Hashes {
    pending: Vec<u8>,
    sha512: Option<Hasher<Sha512>>,
    md5: Option<Hasher<Md5>>,
    bytes: u64,
}

const HASH_BATCH: usize = 1 << 20;

/// One digest: on a thread (where to send data, and the hex digest it returns at the
/// end), or inline.
enum Hasher<D> {
    Thread(
        std::sync::mpsc::SyncSender<Arc<Vec<u8>>>,
        std::thread::JoinHandle<String>,
    ),
    Inline(D),
}

impl<D: Digest + Send + 'static> Hasher<D> {
    fn start() -> Self {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Arc<Vec<u8>>>(4);
        let spawned = std::thread::Builder::new()
            .name("osc-hash".into())
            .spawn(move || {
                let mut d = D::new();
                for chunk in rx {
                    d.update(&chunk[..]);
                }
                hex::encode(d.finalize())
            });
        match spawned {
            Ok(h) => Hasher::Thread(tx, h),
            Err(_) => Hasher::Inline(D::new()),
        }
    }
    fn update(&mut self, data: &[u8]) {
        if let Hasher::Inline(d) = self {
            d.update(data);
        }
    }
    fn send(&self, batch: &Arc<Vec<u8>>) {
        if let Hasher::Thread(tx, _) = self {
            let _ = tx.send(batch.clone());
        }
    }
    fn finish(self) -> String {
        match self {
            Hasher::Thread(tx, h) => {
                drop(tx);
                h.join().unwrap_or_default()
            }
            Hasher::Inline(d) => hex::encode(d.finalize()),
        }
    }
}

impl Hashes {
    fn new(kinds: Kinds) -> Self {
        Hashes {
            pending: Vec::new(),
            sha512: kinds.sha512.then(Hasher::start),
            md5: kinds.md5.then(Hasher::start),
            bytes: 0,
        }
    }
    fn update(&mut self, data: &[u8]) {
        self.bytes += data.len() as u64;
        if let Some(h) = self.sha512.as_mut() {
            h.update(data);
        }
        if let Some(h) = self.md5.as_mut() {
            h.update(data);
        }
        let threaded = matches!(self.sha512, Some(Hasher::Thread(..)))
            || matches!(self.md5, Some(Hasher::Thread(..)));
        if threaded {
            self.pending.extend_from_slice(data);
            if self.pending.len() >= HASH_BATCH {
                self.flush();
            }
        }
    }
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let batch = Arc::new(std::mem::replace(
            &mut self.pending,
            Vec::with_capacity(HASH_BATCH),
        ));
        if let Some(h) = &self.sha512 {
            h.send(&batch);
        }
        if let Some(h) = &self.md5 {
            h.send(&batch);
        }
    }
    /// The digests; those not computed are empty.
    fn finish(mut self) -> Digests {
        self.flush();
        Digests {
            bytes: self.bytes,
            sha512: self.sha512.take().map(Hasher::finish).unwrap_or_default(),
            md5: self.md5.take().map(Hasher::finish).unwrap_or_default(),
        }
    }
}

/// A reader that hashes and counts what it reads. It is moved into the HTTP body (which
/// may stop at Content-Length without reading end of input), so the running hashes live
/// in a shared slot the caller reads once the request is done.
pub struct HashingReader<R> {
    inner: R,
    hashes: Arc<Mutex<Option<Hashes>>>,
    progress: Option<indicatif::ProgressBar>,
}

/// The caller's handle on a [`HashingReader`]'s hashes.
#[derive(Clone)]
pub struct HashHandle(Arc<Mutex<Option<Hashes>>>);

impl HashHandle {
    /// The digests of everything read (once: this ends the hashing).
    pub fn digests(&self) -> Option<Digests> {
        self.0
            .lock()
            .ok()
            .and_then(|mut h| h.take())
            .map(Hashes::finish)
    }
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R, progress: Option<indicatif::ProgressBar>) -> (Self, HashHandle) {
        let hashes = Arc::new(Mutex::new(Some(Hashes::new(Kinds::BOTH))));
        (
            HashingReader {
                inner,
                hashes: hashes.clone(),
                progress,
            },
            HashHandle(hashes),
        )
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            if let Some(h) = self.hashes.lock().ok().as_mut().and_then(|g| g.as_mut()) {
                h.update(&buf[..n]);
            }
            if let Some(p) = &self.progress {
                p.inc(n as u64);
            }
        }
        Ok(n)
    }
}

/// A progress bar on stderr when asked for and stderr is a terminal (not with `-q`); a byte
/// counter when the size is unknown (stdin).
pub fn progress_bar(wanted: bool, size: Option<u64>) -> Option<indicatif::ProgressBar> {
    if !wanted || !std::io::stderr().is_terminal() || osc_core::wait::is_quiet() {
        return None;
    }
    let target = indicatif::ProgressDrawTarget::stderr();
    let pb = match size {
        Some(n) => {
            let pb = indicatif::ProgressBar::with_draw_target(Some(n), target);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "[{bar:40}] {percent:>3}% {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            ) {
                pb.set_style(style.progress_chars("=> "));
            }
            pb
        }
        None => {
            let pb = indicatif::ProgressBar::with_draw_target(None, target);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{spinner} {bytes} {bytes_per_sec}")
            {
                pb.set_style(style);
            }
            pb
        }
    };
    Some(pb)
}

/// Where upload data comes from.
pub enum Source {
    File {
        path: PathBuf,
        file: std::fs::File,
        size: u64,
    },
    Stdin,
}

impl Source {
    /// Opens `--file` (`-` meaning stdin), or stdin when it is a pipe or a file, as OSC's
    /// `get_data_from_stdin`: `None` when stdin is a terminal or closed.
    pub fn open(file: Option<&str>) -> Result<Option<Source>> {
        match file {
            Some("-") => Ok(Some(Source::Stdin)),
            Some(f) => {
                let path = PathBuf::from(f);
                let file = std::fs::File::open(&path).map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => {
                        Error::cmd(format!("'{f}' is not a valid file"))
                    }
                    _ => Error::Io(format!("Cannot read {f}: {e}")),
                })?;
                let meta = file
                    .metadata()
                    .map_err(|e| Error::Io(format!("Cannot read {f}: {e}")))?;
                if meta.is_dir() {
                    return Err(Error::cmd(format!(
                        "'{f}' is a directory, not an image file"
                    )));
                }
                Ok(Some(Source::File {
                    path,
                    file,
                    size: meta.len(),
                }))
            }
            None => Ok(stdin_has_data().then_some(Source::Stdin)),
        }
    }

    /// The size, when known in advance (a regular file).
    pub fn size(&self) -> Option<u64> {
        match self {
            Source::File { file, size, .. } => {
                file.metadata().ok().filter(|m| m.is_file()).map(|_| *size)
            }
            Source::Stdin => None,
        }
    }

    fn reader(self) -> Box<dyn Read + Send> {
        match self {
            Source::File { file, .. } => Box::new(file),
            Source::Stdin => Box::new(std::io::stdin()),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Source::File { path, .. } => path.display().to_string(),
            Source::Stdin => "standard input".into(),
        }
    }
}

/// True when stdin is a pipe, socket or regular file, as OSC's `get_data_from_stdin`
/// (not a terminal, not closed). Unlike OSC, a character device such as `/dev/null` (cron
/// jobs, CI) is not taken as image data, so it never turns into an empty active image.
fn stdin_has_data() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::FileTypeExt;
        let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() else {
            return false;
        };
        let Ok(meta) = std::fs::File::from(fd).metadata() else {
            return false;
        };
        let t = meta.file_type();
        t.is_file() || t.is_fifo() || t.is_socket()
    }
    #[cfg(not(unix))]
    {
        !std::io::stdin().is_terminal()
    }
}

/// Sends image data with PUT to `/images/{id}/{file|stage}`, hashing it on the way.
/// `size` (from `--size` or the file) goes in Content-Length and Glance's size header.
pub fn upload(
    s: &Session,
    image_id: &str,
    target: &str,
    src: Source,
    size: Option<u64>,
    progress: bool,
) -> Result<Digests> {
    let what = src.describe();
    let pb = progress_bar(progress, size);
    let reader = std::io::BufReader::with_capacity(1 << 20, src.reader());
    let (reader, result) = HashingReader::new(reader, pb.clone());
    let body = match size {
        Some(n) => reqwest::blocking::Body::sized(reader, n),
        None => reqwest::blocking::Body::new(reader),
    };
    let mut req = Request::new(Method::PUT, SVC, format!("/images/{image_id}/{target}"))
        .body(Body::Stream(body, "application/octet-stream"));
    if let Some(n) = size {
        req = req.header("X-OpenStack-Image-Size", n);
    }
    let interrupted = osc_core::interrupt::guard(
        None,
        Some(format!(
            "the upload of {what} to image {image_id} did not finish: the image has no data from it (status queued); upload again or delete the image"
        )),
    );
    let sent = s.send(req);
    drop(interrupted);
    if let Some(p) = &pb {
        p.finish_and_clear();
    }
    sent.map_err(|e| Error::cmd(format!("Uploading {what} to image {image_id} failed: {e}")))?;
    let d = result.digests().ok_or_else(|| {
        Error::cmd(format!(
            "Uploading {what} to image {image_id}: lost track of the data sent"
        ))
    })?;
    if let Some(n) = size.filter(|n| *n != d.bytes) {
        return Err(Error::cmd(format!(
            "Uploading {what} to image {image_id}: sent {} bytes, expected {n}",
            d.bytes
        )));
    }
    Ok(d)
}

/// Compares what was sent or received with the size and hashes Glance reports (those of
/// `d` that were computed). Returns one line per mismatch (empty when everything matches).
pub fn mismatches(img: &Value, d: &Digests) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(size) = img.get("size").and_then(Value::as_u64) {
        if size != d.bytes {
            out.push(format!(
                "size: Glance has {size} bytes, osc transferred {}",
                d.bytes
            ));
        }
    }
    if let Some(sum) = str_field(img, "checksum").filter(|c| !c.is_empty() && !d.md5.is_empty()) {
        if !sum.eq_ignore_ascii_case(&d.md5) {
            out.push(format!(
                "checksum (md5): Glance has {sum}, osc computed {}",
                d.md5
            ));
        }
    }
    let algo = str_field(img, "os_hash_algo").unwrap_or("");
    if let Some(hash) =
        str_field(img, "os_hash_value").filter(|h| !h.is_empty() && !d.sha512.is_empty())
    {
        if algo.eq_ignore_ascii_case("sha512") && !hash.eq_ignore_ascii_case(&d.sha512) {
            out.push(format!(
                "os_hash_value (sha512): Glance has {hash}, osc computed {}",
                d.sha512
            ));
        }
    }
    out
}

/// True when Glance reports a hash osc can check (md5 checksum or a sha512 os_hash_value).
pub fn verifiable(img: &Value) -> bool {
    str_field(img, "checksum").is_some_and(|c| !c.is_empty())
        || (str_field(img, "os_hash_algo").is_some_and(|a| a.eq_ignore_ascii_case("sha512"))
            && str_field(img, "os_hash_value").is_some_and(|h| !h.is_empty()))
}

// ---- downloads ---------------------------------------------------------------------------

/// A writer that hashes what it writes.
struct HashingWriter<W> {
    inner: W,
    hashes: Hashes,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hashes.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Where `image save` writes.
pub enum Sink<'a> {
    Stdout,
    File(&'a Path),
}

/// Downloads an image's data and checks it against `img` (the image's details).
/// Files are written to a hidden temporary file beside the target and renamed over it only
/// when complete and verified; on any failure the temporary file is removed.
pub fn download(
    s: &Session,
    img: &Value,
    sink: Sink<'_>,
    chunk_size: usize,
    store_preferences: &[String],
) -> Result<Digests> {
    let id = str_field(img, "id").unwrap_or_default().to_string();
    let mut req = Request::new(Method::GET, SVC, format!("/images/{id}/file"));
    if !store_preferences.is_empty() {
        req = req.query("prefer", store_preferences.join(","));
    }
    let resp = s.send(req)?;
    if resp.status().as_u16() == 204 {
        return Err(Error::cmd(format!("Image {id} has no data")));
    }
    let buf_size = chunk_size.clamp(64 << 10, 16 << 20);
    let mut body = std::io::BufReader::with_capacity(buf_size, resp);
    match sink {
        Sink::Stdout => {
            let stdout = std::io::stdout();
            let mut w = HashingWriter {
                inner: std::io::BufWriter::with_capacity(buf_size, stdout.lock()),
                hashes: Hashes::new(Kinds::to_check(img)),
            };
            copy(&mut body, &mut w, &id)?;
            w.flush().map_err(|e| {
                Error::Io(format!("Writing image {id} to standard output failed: {e}"))
            })?;
            let d = w.hashes.finish();
            check_download(img, &d)?;
            Ok(d)
        }
        Sink::File(target) => save_to_file(img, &mut body, target, buf_size),
    }
}

fn copy(r: &mut impl Read, w: &mut impl Write, id: &str) -> Result<u64> {
    let mut buf = vec![0u8; 256 << 10];
    let mut total = 0u64;
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(Error::Transport(format!(
                    "Downloading image {id} failed after {total} bytes: {}",
                    root_cause(&e)
                )))
            }
        };
        w.write_all(&buf[..n]).map_err(|e| {
            Error::Io(format!(
                "Writing image {id} failed after {total} bytes: {e}"
            ))
        })?;
        total += n as u64;
    }
}

/// An error with its causes, the innermost last ("body error: connection reset").
fn root_cause(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let m = s.to_string();
        if !out.contains(&m) {
            out.push_str(": ");
            out.push_str(&m);
        }
        src = s.source();
    }
    out
}

fn check_download(img: &Value, d: &Digests) -> Result<()> {
    let bad = mismatches(img, d);
    if bad.is_empty() {
        return Ok(());
    }
    let id = str_field(img, "id").unwrap_or_default();
    Err(Error::cmd(format!(
        "Downloaded data of image {id} does not match Glance's record: {}",
        bad.join("; ")
    )))
}

fn save_to_file(
    img: &Value,
    body: &mut impl Read,
    target: &Path,
    buf_size: usize,
) -> Result<Digests> {
    let id = str_field(img, "id").unwrap_or_default().to_string();
    // A device or pipe (`--file /dev/null`) cannot be replaced by a rename: write to it.
    if let Ok(meta) = std::fs::metadata(target) {
        if !meta.is_file() {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(target)
                .map_err(|e| Error::Io(format!("Cannot write {}: {e}", target.display())))?;
            let mut w = HashingWriter {
                inner: std::io::BufWriter::with_capacity(buf_size, f),
                hashes: Hashes::new(Kinds::to_check(img)),
            };
            copy(body, &mut w, &id)?;
            w.flush()
                .map_err(|e| Error::Io(format!("Writing {} failed: {e}", target.display())))?;
            let d = w.hashes.finish();
            check_download(img, &d)?;
            return Ok(d);
        }
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let base = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::usage(format!("--file {} does not name a file", target.display())))?;
    let (tmp, interrupted) = osc_core::interrupt::guard_new(
        || {
            tempfile::Builder::new()
                .prefix(&format!(".{base}.osc-partial-"))
                .tempfile_in(&dir)
                .map_err(|e| {
                    Error::Io(format!(
                        "Cannot create a temporary file in {}: {e}",
                        dir.display()
                    ))
                })
        },
        |t| t.path().to_path_buf(),
    )?;
    let result = (|| -> Result<Digests> {
        let mut w = HashingWriter {
            inner: std::io::BufWriter::with_capacity(buf_size, tmp.as_file()),
            hashes: Hashes::new(Kinds::to_check(img)),
        };
        copy(body, &mut w, &id)?;
        w.flush()
            .map_err(|e| Error::Io(format!("Writing {} failed: {e}", tmp.path().display())))?;
        let d = w.hashes.finish();
        check_download(img, &d)?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| Error::Io(format!("Writing {} failed: {e}", tmp.path().display())))?;
        set_default_mode(tmp.as_file());
        Ok(d)
    })();
    drop(interrupted);
    let d = result?;
    tmp.persist(target).map_err(|e| {
        Error::Io(format!(
            "Cannot rename the download to {}: {}",
            target.display(),
            e.error
        ))
    })?;
    Ok(d)
}

/// Temporary files are private (0600); the saved image gets the mode a plain `open()`
/// would give it (0666 less the umask), as OSC's.
fn set_default_mode(f: &std::fs::File) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let umask = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("Umask:"))
                    .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
            })
            .unwrap_or(0o022);
        let _ = f.set_permissions(std::fs::Permissions::from_mode(0o666 & !umask));
    }
    #[cfg(not(unix))]
    let _ = f;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hashing_reader_publishes_digests_at_eof() {
        let data = b"hello world".to_vec();
        let (mut r, slot) = HashingReader::new(&data[..], None);
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        let d = slot.digests().unwrap();
        assert_eq!(d.bytes, 11);
        assert_eq!(d.md5, "5eb63bbbe01eeed093cb22bb8f5acdc3");
        assert!(d.sha512.starts_with("309ecc489c12d6eb4cc40f50c902f2b4"));
    }

    #[test]
    fn threaded_hashes_match_direct_ones() {
        let data: Vec<u8> = (0..(3 * HASH_BATCH + 12345))
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        let mut h = Hashes::new(Kinds::BOTH);
        for chunk in data.chunks(8192) {
            h.update(chunk);
        }
        let d = h.finish();
        assert_eq!(d.bytes, data.len() as u64);
        assert_eq!(d.sha512, hex::encode(Sha512::digest(&data)));
        assert_eq!(d.md5, hex::encode(Md5::digest(&data)));
    }

    #[test]
    fn downloads_check_the_strongest_digest_glance_has() {
        let both = json!({"checksum": "c", "os_hash_algo": "sha512", "os_hash_value": "h"});
        assert_eq!(
            Kinds::to_check(&both),
            Kinds {
                sha512: true,
                md5: false
            }
        );
        let md5 = json!({"checksum": "c", "os_hash_algo": "sha256", "os_hash_value": "h"});
        assert_eq!(
            Kinds::to_check(&md5),
            Kinds {
                sha512: false,
                md5: true
            }
        );
        let none = json!({"size": 3});
        assert_eq!(
            Kinds::to_check(&none),
            Kinds {
                sha512: false,
                md5: false
            }
        );
        let data = b"abc";
        let mut h = Hashes::new(Kinds::to_check(&both));
        h.update(data);
        let d = h.finish();
        assert_eq!(d.sha512, hex::encode(Sha512::digest(data)));
        assert!(d.md5.is_empty());
    }

    #[test]
    fn mismatches_are_reported() {
        let d = Digests {
            bytes: 3,
            sha512: "aa".into(),
            md5: "bb".into(),
        };
        let ok =
            json!({"size": 3, "checksum": "bb", "os_hash_algo": "sha512", "os_hash_value": "aa"});
        assert!(mismatches(&ok, &d).is_empty());
        let bad =
            json!({"size": 4, "checksum": "cc", "os_hash_algo": "sha512", "os_hash_value": "dd"});
        assert_eq!(mismatches(&bad, &d).len(), 3);
        // Digests not computed are not compared.
        let sha_only = Digests {
            md5: String::new(),
            ..d.clone()
        };
        assert!(mismatches(&ok, &sha_only).is_empty());
        assert_eq!(mismatches(&bad, &sha_only).len(), 2);
        // Another algorithm: only md5 and size are checked.
        let other =
            json!({"size": 3, "checksum": "bb", "os_hash_algo": "sha256", "os_hash_value": "zz"});
        assert!(mismatches(&other, &d).is_empty());
    }

    #[test]
    fn failed_download_leaves_no_file() {
        struct Broken(usize);
        impl Read for Broken {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0 == 0 {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "reset",
                    ));
                }
                self.0 -= 1;
                buf[0] = 1;
                Ok(1)
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("img.raw");
        let img = json!({"id": "x", "size": 100});
        let err = save_to_file(&img, &mut Broken(10), &target, 1024).unwrap_err();
        assert!(err.to_string().contains("failed after 10 bytes"), "{err}");
        assert!(!target.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn verified_download_is_renamed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("img.raw");
        let data = b"abc".to_vec();
        let img = json!({"id": "x", "size": 3, "checksum": "900150983cd24fb0d6963f7d28e17f72"});
        save_to_file(&img, &mut &data[..], &target, 1024).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), data);
        let bad = json!({"id": "x", "size": 3, "checksum": "00"});
        let t2 = dir.path().join("bad.raw");
        assert!(save_to_file(&bad, &mut &data[..], &t2, 1024).is_err());
        assert!(!t2.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
