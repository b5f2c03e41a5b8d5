//! Functional tests of osc-image against the devcloud.

use crate::support::*;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLOUD: &str = "devstack";

fn os(args: &[&str]) -> Vec<String> {
    let mut v = vec!["--os-cloud".to_string(), CLOUD.to_string()];
    v.extend(args.iter().map(|s| s.to_string()));
    v
}

fn osc_json_c(args: &[&str]) -> Value {
    let a = os(args);
    osc_json(&a.iter().map(String::as_str).collect::<Vec<_>>())
}

fn osc_ok_c(args: &[&str]) -> String {
    let a = os(args);
    osc_ok(&a.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Deletes the image when the test ends, however it ends.
struct Cleanup(String);
impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = osc(&["--os-cloud", CLOUD, "image", "delete", &self.0]);
    }
}

/// Writes `len` deterministic pseudo-random bytes quickly (even unoptimised): one 1 MiB
/// xorshift64 block, each copy stamped with its index so no two blocks are alike.
fn data_file(dir: &Path, name: &str, len: usize, seed: u64) -> PathBuf {
    let path = dir.join(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut x = seed | 1;
    let mut block = vec![0u8; 1 << 20];
    for chunk in block.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
    }
    let mut left = len;
    let mut i = 0u64;
    while left > 0 {
        block[..8].copy_from_slice(&(i ^ seed).to_le_bytes());
        let n = left.min(block.len());
        f.write_all(&block[..n]).unwrap();
        left -= n;
        i += 1;
    }
    f.flush().unwrap();
    path
}

fn same_files(a: &Path, b: &Path) -> bool {
    let (mut fa, mut fb) = (
        std::fs::File::open(a).unwrap(),
        std::fs::File::open(b).unwrap(),
    );
    if fa.metadata().unwrap().len() != fb.metadata().unwrap().len() {
        return false;
    }
    let (mut ba, mut bb) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    loop {
        let n = fa.read(&mut ba).unwrap();
        if n == 0 {
            return true;
        }
        fb.read_exact(&mut bb[..n]).unwrap();
        if ba[..n] != bb[..n] {
            return false;
        }
    }
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("osc-partial"))
        .collect()
}

#[test]
fn create_200mib_save_back_identical_and_interrupted_saves_leave_nothing() {
    let c = require_cloud!();
    let dir = tempfile::tempdir().unwrap();
    let src = data_file(dir.path(), "src.raw", 200 << 20, 42);
    let name = unique("osc-big");
    let img = osc_json_c(&[
        "image",
        "create",
        "--disk-format",
        "raw",
        "--file",
        src.to_str().unwrap(),
        &name,
    ]);
    let id = img["id"].as_str().unwrap().to_string();
    let _cleanup = Cleanup(id.clone());
    assert_eq!(img["status"], "active");
    assert_eq!(img["size"], 200u64 << 20);
    assert_eq!(img["name"], name.as_str());

    // `image create` prints what `image show` prints, as OSC.
    let reference = openstack_json(&["--os-cloud", CLOUD, "image", "show", &id]);
    assert_same_json(&img, &reference, &["updated_at"]);

    // Saved back byte-identical, under the final name only.
    let out = dir.path().join("out.raw");
    osc_ok_c(&["image", "save", "--file", out.to_str().unwrap(), &id]);
    assert!(same_files(&src, &out), "saved data differs from the upload");
    assert!(leftovers(dir.path()).is_empty());

    // The server cuts the transfer: osc fails and leaves no file at all.
    let cut = dir.path().join("cut.raw");
    let proxy = Proxy::start(20 << 20, false);
    let o = osc_via_proxy(
        c,
        &proxy,
        &["image", "save", "--file", cut.to_str().unwrap(), &id],
    )
    .output()
    .unwrap();
    assert!(!o.status.success(), "a cut transfer must fail");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.trim().lines().count(), 1, "one clear line: {err}");
    assert!(
        !cut.exists(),
        "a truncated download must not appear under the target name"
    );
    assert!(
        leftovers(dir.path()).is_empty(),
        "temporary file left: {:?}",
        leftovers(dir.path())
    );

    // osc is killed mid-transfer: the target name never appears. SIGTERM also removes the
    // partial file; SIGKILL cannot, but the partial file has a hidden temporary name.
    for signal in ["TERM", "KILL"] {
        let killed = dir.path().join(format!("killed-{signal}.raw"));
        let proxy = Proxy::start(20 << 20, true);
        let log = dir.path().join(format!("stderr-{signal}.txt"));
        let mut child = osc_via_proxy(
            c,
            &proxy,
            &["image", "save", "--file", killed.to_str().unwrap(), &id],
        )
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
        let started = Instant::now();
        while proxy.sent() < (20 << 20) && started.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(
            proxy.sent() >= 20 << 20,
            "the transfer never started: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        let st = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(st.success());
        let status = child.wait().unwrap();
        assert!(!status.success());
        assert!(
            !killed.exists(),
            "interrupted download appeared under the target name"
        );
        if signal == "TERM" {
            assert!(
                leftovers(dir.path()).is_empty(),
                "SIGTERM left {:?}",
                leftovers(dir.path())
            );
        }
        for n in leftovers(dir.path()) {
            let _ = std::fs::remove_file(dir.path().join(n));
        }
    }
}

#[test]
fn create_from_stdin_pipe_and_dash() {
    let c = require_cloud!();
    let _ = c;
    let dir = tempfile::tempdir().unwrap();
    let src = data_file(dir.path(), "stdin.raw", 3 << 20, 7);
    for via_dash in [false, true] {
        let name = unique("osc-stdin");
        let mut args = os(&["image", "create", "--disk-format", "raw"]);
        if via_dash {
            args.extend(["--file".to_string(), "-".to_string()]);
        }
        args.extend([name.clone(), "-f".into(), "json".into()]);
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = osc_stdin(&a, std::fs::File::open(&src).unwrap());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let img: Value = serde_json::from_slice(&out.stdout).unwrap();
        let _cleanup = Cleanup(img["id"].as_str().unwrap().to_string());
        assert_eq!(img["status"], "active");
        assert_eq!(img["size"], 3u64 << 20);
        let back = dir.path().join("back.raw");
        osc_ok_c(&[
            "image",
            "save",
            "--file",
            back.to_str().unwrap(),
            img["id"].as_str().unwrap(),
        ]);
        assert!(same_files(&src, &back));
    }
}

#[test]
fn create_without_data_is_queued_and_shows_like_openstack() {
    require_cloud!();
    let name = unique("osc-queued");
    let img = osc_json_c(&[
        "image",
        "create",
        "--property",
        "a=b",
        "--tag",
        "t",
        "--min-ram",
        "64",
        &name,
    ]);
    let id = img["id"].as_str().unwrap().to_string();
    let _cleanup = Cleanup(id.clone());
    assert_eq!(img["status"], "queued");
    let reference = openstack_json(&["--os-cloud", CLOUD, "image", "show", &id]);
    assert_same_json(&img, &reference, &["updated_at"]);
    let ours = osc_json_c(&["image", "show", &name]);
    assert_same_json(&ours, &reference, &[]);
    // The list filters find it; the table has OSC's columns.
    let l = osc_json_c(&["image", "list", "--name", &name, "--long"]);
    let r = openstack_json(&[
        "--os-cloud",
        CLOUD,
        "image",
        "list",
        "--name",
        &name,
        "--long",
    ]);
    assert_same_json(&l, &r, &[]);
    let l = osc_json_c(&[
        "image",
        "list",
        "--property",
        "a=b",
        "--status",
        "queued",
        "--tag",
        "t",
    ]);
    assert!(l.as_array().unwrap().iter().any(|i| i["ID"] == id.as_str()));
    let l = osc_json_c(&["image", "list", "--property", "a=nope"]);
    assert!(!l.as_array().unwrap().iter().any(|i| i["ID"] == id.as_str()));
}

#[test]
fn set_and_unset_properties_and_tags() {
    require_cloud!();
    let name = unique("osc-set");
    let img = osc_json_c(&["image", "create", &name]);
    let id = img["id"].as_str().unwrap().to_string();
    let _cleanup = Cleanup(id.clone());
    osc_ok_c(&[
        "image",
        "set",
        "--property",
        "k1=v1",
        "--property",
        "k2=v2",
        "--tag",
        "x",
        "--tag",
        "y",
        "--os-distro",
        "cirros",
        "--min-disk",
        "1",
        &id,
    ]);
    let s = osc_json_c(&["image", "show", &id]);
    assert_eq!(s["properties"]["k1"], "v1");
    assert_eq!(s["properties"]["os_distro"], "cirros");
    assert_eq!(s["min_disk"], 1);
    let mut tags: Vec<String> = serde_json::from_value(s["tags"].clone()).unwrap();
    tags.sort();
    assert_eq!(tags, ["x", "y"]);
    osc_ok_c(&["image", "unset", "--property", "k1", "--tag", "x", &id]);
    let s = osc_json_c(&["image", "show", &id]);
    assert!(s["properties"].get("k1").is_none());
    assert_eq!(s["properties"]["k2"], "v2");
    assert_eq!(s["tags"], serde_json::json!(["y"]));
    let reference = openstack_json(&["--os-cloud", CLOUD, "image", "show", &id]);
    assert_same_json(&s, &reference, &[]);
    // Unsetting what is not there fails with OSC's message.
    let o = osc(&[
        "--os-cloud",
        CLOUD,
        "image",
        "unset",
        "--property",
        "nope",
        &id,
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("Failed to unset 1 of 1 properties."));
}

#[test]
fn share_with_another_project_and_accept_it_there() {
    require_cloud!();
    let alt_project = osc_ok(&[
        "--os-cloud",
        "devstack-alt",
        "token",
        "issue",
        "-f",
        "value",
        "-c",
        "project_id",
    ])
    .trim()
    .to_string();
    let name = unique("osc-share");
    let img = osc_json_c(&["image", "create", "--shared", &name]);
    let id = img["id"].as_str().unwrap().to_string();
    let _cleanup = Cleanup(id.clone());
    let m = osc_json_c(&["image", "add", "project", &id, &alt_project]);
    assert_eq!(m["status"], "pending");
    assert_eq!(m["member_id"], alt_project.as_str());
    assert_eq!(m["image_id"], id.as_str());
    let members = osc_json_c(&["image", "member", "list", &id]);
    assert_eq!(members[0]["Member ID"], alt_project.as_str());
    osc_ok(&[
        "--os-cloud",
        "devstack-alt",
        "image",
        "set",
        "--accept",
        &id,
    ]);
    let got = osc_json_c(&["image", "member", "get", &id, &alt_project]);
    assert_eq!(got["status"], "accepted");
    let reference = openstack_json(&[
        "--os-cloud",
        CLOUD,
        "image",
        "member",
        "get",
        &id,
        &alt_project,
    ]);
    assert_same_json(&got, &reference, &[]);
    let seen = osc_json(&[
        "--os-cloud",
        "devstack-alt",
        "image",
        "list",
        "--shared",
        "--member-status",
        "accepted",
    ]);
    assert!(seen
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["ID"] == id.as_str()));
    osc_ok_c(&["image", "remove", "project", &id, &alt_project]);
    assert_eq!(
        osc_json_c(&["image", "member", "list", &id]),
        serde_json::json!([])
    );
}

#[test]
fn import_with_glance_direct() {
    require_cloud!();
    let info = osc_json_c(&["image", "import", "info"]);
    assert!(info["import-methods"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m == "glance-direct"));
    let dir = tempfile::tempdir().unwrap();
    let src = data_file(dir.path(), "imp.raw", 2 << 20, 9);
    // stage + import --wait
    let name = unique("osc-import");
    let img = osc_json_c(&["image", "create", "--disk-format", "raw", &name]);
    let id = img["id"].as_str().unwrap().to_string();
    let _cleanup = Cleanup(id.clone());
    osc_ok_c(&["image", "stage", "--file", src.to_str().unwrap(), &id]);
    assert_eq!(osc_json_c(&["image", "show", &id])["status"], "uploading");
    let done = osc_json_c(&[
        "image",
        "import",
        "--method",
        "glance-direct",
        "--wait",
        &id,
    ]);
    assert_eq!(done["status"], "active");
    assert_eq!(done["size"], 2u64 << 20);
    let back = dir.path().join("back.raw");
    osc_ok_c(&["image", "save", "--file", back.to_str().unwrap(), &id]);
    assert!(same_files(&src, &back));
    // create --import: stage and import in one go, verified.
    let name = unique("osc-import2");
    let img = osc_json_c(&[
        "image",
        "create",
        "--import",
        "--disk-format",
        "raw",
        "--file",
        src.to_str().unwrap(),
        &name,
    ]);
    let _cleanup2 = Cleanup(img["id"].as_str().unwrap().to_string());
    assert_eq!(img["status"], "active");
    assert_eq!(img["size"], 2u64 << 20);
}

#[test]
fn delete_and_errors() {
    require_cloud!();
    let name = unique("osc-del");
    let img = osc_json_c(&["image", "create", &name]);
    let id = img["id"].as_str().unwrap().to_string();
    osc_ok_c(&["image", "delete", &name]);
    let o = osc(&["--os-cloud", CLOUD, "image", "show", &id]);
    assert!(!o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim(),
        format!("No Image found for {id}")
    );
    let o = osc(&["--os-cloud", CLOUD, "image", "delete", &id]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("Failed to delete 1 of 1 images."));
    // Bad input: one line, non-zero, no panic.
    let o = osc(&[
        "--os-cloud",
        CLOUD,
        "image",
        "create",
        "--file",
        "/nonexistent/x",
        "n",
    ]);
    assert!(!o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim(),
        "'/nonexistent/x' is not a valid file"
    );
    let o = osc(&["--os-cloud", CLOUD, "image", "create", "--size", "0", "n"]);
    assert!(!o.status.success());
}

// ---- a proxy that cuts or stalls image downloads --------------------------------------------

/// Forwards to Glance; after `limit` bytes from the server it closes both sides (`stall`
/// false) or stops forwarding (`stall` true).
struct Proxy {
    port: u16,
    sent: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl Proxy {
    fn start(limit: u64, stall: bool) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let sent = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (s2, st2) = (sent.clone(), stop.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let Ok(server) = TcpStream::connect("127.0.0.1:9292") else {
                    return;
                };
                let (mut c_r, mut s_w) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut c_r, &mut s_w);
                });
                let (sent, stop) = (s2.clone(), st2.clone());
                std::thread::spawn(move || {
                    let (mut s_r, mut c_w) = (server, client);
                    let mut buf = vec![0u8; 64 << 10];
                    loop {
                        let n = match s_r.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        let before = sent.fetch_add(n as u64, Ordering::SeqCst);
                        if before + n as u64 > limit {
                            if stall {
                                while !stop.load(Ordering::SeqCst) {
                                    std::thread::sleep(Duration::from_millis(50));
                                }
                            }
                            break;
                        }
                        if c_w.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = c_w.shutdown(std::net::Shutdown::Both);
                    let _ = s_r.shutdown(std::net::Shutdown::Both);
                });
            }
        });
        Proxy { port, sent, stop }
    }
    fn sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// osc with the image endpoint pointed at the proxy.
fn osc_via_proxy(c: &Cloud, p: &Proxy, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_osc"));
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("OS_") {
            cmd.env_remove(k);
        }
    }
    // A token cache of its own: the shared one remembers Glance's real endpoint from
    // earlier runs, which would bypass the override.
    let cache = c.cache_dir.with_extension(format!("proxy-{}", p.port));
    cmd.env("OS_CLIENT_CONFIG_FILE", &c.clouds_yaml)
        .env("OSC_CACHE_DIR", &cache)
        .env(
            "OS_IMAGE_ENDPOINT_OVERRIDE",
            format!("http://127.0.0.1:{}/v2", p.port),
        )
        .args(["--os-cloud", CLOUD])
        .args(args);
    cmd
}

// ---- a lying Glance: verification must catch it (no devcloud needed) -------------------------

/// A minimal fake Glance for one image that reports a wrong checksum and hash. Records the
/// requests it saw. Each response closes the connection.
struct FakeGlance {
    port: u16,
    seen: Arc<std::sync::Mutex<Vec<String>>>,
}

/// How the fake serves image data.
#[derive(Clone, Copy, PartialEq)]
enum Serve {
    /// All of it (with the wrong checksum).
    Lie,
    /// Half of it, then the connection closes.
    Cut,
    /// Half of it, then nothing for a minute.
    Stall,
}

impl FakeGlance {
    fn start(data_len: usize) -> FakeGlance {
        Self::start_serving(data_len, Serve::Lie)
    }

    fn start_serving(data_len: usize, serve: Serve) -> FakeGlance {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            let mut uploaded = 0usize;
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { return };
                let Some((method, path, body_len)) = read_head(&mut conn) else {
                    continue;
                };
                // Drain the request body.
                let mut left = body_len;
                let mut buf = vec![0u8; 64 << 10];
                while left > 0 {
                    match conn.read(&mut buf[..left.min(64 << 10)]) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => left -= n,
                    }
                }
                log.lock().unwrap().push(format!("{method} {path}"));
                let image = |size: usize| {
                    format!(
                        r#"{{"id": "fake-1", "name": "fake", "status": "active", "size": {size}, "disk_format": "raw",
                        "container_format": "bare", "checksum": "{}", "os_hash_algo": "sha512", "os_hash_value": "{}",
                        "tags": [], "visibility": "shared", "protected": false}}"#,
                        "0".repeat(32),
                        "0".repeat(128)
                    )
                };
                let (status, body): (&str, Vec<u8>) = match (method.as_str(), path.as_str()) {
                    ("POST", "/v2/images") => ("201 Created", image(0).into_bytes()),
                    ("PUT", "/v2/images/fake-1/file") => {
                        uploaded = body_len;
                        ("204 No Content", Vec::new())
                    }
                    ("GET", "/v2/images/fake-1") => {
                        ("200 OK", image(uploaded.max(data_len)).into_bytes())
                    }
                    ("GET", "/v2/images/fake-1/file") => ("200 OK", vec![7u8; data_len]),
                    ("DELETE", "/v2/images/fake-1") => ("204 No Content", Vec::new()),
                    _ => ("404 Not Found", b"{}".to_vec()),
                };
                let ct = if path.ends_with("/file") {
                    "application/octet-stream"
                } else {
                    "application/json"
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = conn.write_all(head.as_bytes());
                if path.ends_with("/file") && method == "GET" && serve != Serve::Lie {
                    let _ = conn.write_all(&body[..body.len() / 2]);
                    let _ = conn.flush();
                    if serve == Serve::Stall {
                        std::thread::sleep(Duration::from_secs(60));
                    }
                    continue;
                }
                let _ = conn.write_all(&body);
            }
        });
        FakeGlance { port, seen }
    }

    fn osc(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_osc"));
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("OS_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("OS_AUTH_TYPE", "none")
            .env(
                "OS_IMAGE_ENDPOINT_OVERRIDE",
                format!("http://127.0.0.1:{}/v2", self.port),
            )
            .env("OS_CLIENT_CONFIG_FILE", "/nonexistent/clouds.yaml")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }
}

/// Reads a request head: method, path, Content-Length.
fn read_head(conn: &mut TcpStream) -> Option<(String, String, usize)> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if conn.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).to_string();
    let mut first = text.lines().next()?.split(' ');
    let method = first.next()?.to_string();
    let path = first.next()?.split('?').next()?.to_string();
    let len = text
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_string())
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Some((method, path, len))
}

#[test]
fn upload_to_a_lying_glance_fails_loudly_and_deletes_the_image() {
    let dir = tempfile::tempdir().unwrap();
    let src = data_file(dir.path(), "lie.raw", 1 << 20, 3);
    let fake = FakeGlance::start(1 << 20);
    let o = fake.osc(&[
        "image",
        "create",
        "--disk-format",
        "raw",
        "--file",
        src.to_str().unwrap(),
        "fake",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "a checksum mismatch must fail");
    assert!(err.contains("does not hold the data osc sent"), "{err}");
    assert!(
        err.contains("checksum (md5)") && err.contains("os_hash_value (sha512)"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        fake.seen
            .lock()
            .unwrap()
            .iter()
            .any(|r| r == "DELETE /v2/images/fake-1"),
        "the bad image was not deleted"
    );
}

#[test]
fn download_from_a_lying_glance_fails_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("lie.raw");
    let fake = FakeGlance::start(1 << 20);
    let o = fake.osc(&[
        "image",
        "save",
        "--file",
        target.to_str().unwrap(),
        "fake-1",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "a checksum mismatch must fail");
    assert!(err.contains("does not match Glance's record"), "{err}");
    assert!(
        !target.exists(),
        "unverified data must not appear under the target name"
    );
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn cut_and_interrupted_downloads_never_appear_under_the_target_name() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("cut.raw");
    let fake = FakeGlance::start_serving(8 << 20, Serve::Cut);
    let o = fake.osc(&[
        "image",
        "save",
        "--file",
        target.to_str().unwrap(),
        "fake-1",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "a cut transfer must fail");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!target.exists());
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );

    // SIGTERM in the middle of a transfer: the partial file is removed too.
    let fake = FakeGlance::start_serving(8 << 20, Serve::Stall);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_osc"));
    cmd.env("OS_AUTH_TYPE", "none")
        .env(
            "OS_IMAGE_ENDPOINT_OVERRIDE",
            format!("http://127.0.0.1:{}/v2", fake.port),
        )
        .env("OS_CLIENT_CONFIG_FILE", "/nonexistent/clouds.yaml")
        .args([
            "image",
            "save",
            "--file",
            target.to_str().unwrap(),
            "fake-1",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let started = Instant::now();
    while leftovers(dir.path()).is_empty() && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !leftovers(dir.path()).is_empty(),
        "the download never started"
    );
    std::thread::sleep(Duration::from_millis(200));
    assert!(Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    assert!(!child.wait().unwrap().success());
    assert!(!target.exists());
    assert!(
        leftovers(dir.path()).is_empty(),
        "SIGTERM left {:?}",
        leftovers(dir.path())
    );
}
