//! Shared helpers for the functional tests: run the built `osc` and the reference
//! python-openstackclient (from the devcloud's venv) against the devcloud, and compare.
//!
//! The devcloud is found at `$DEVCLOUD_HOME` (default `~/.local/share/osc-devcloud`).
//! Without it the tests skip with a message on a developer's machine, and fail in CI
//! (`CI` set), where `.ci/run` starts it.
#![allow(dead_code)]

pub mod fault;
mod reference;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub struct Cloud {
    pub home: PathBuf,
    pub clouds_yaml: PathBuf,
    pub openstack: PathBuf,
    /// A private token cache directory for this test process.
    pub cache_dir: PathBuf,
}

fn devcloud_home() -> PathBuf {
    if let Some(h) = std::env::var_os("DEVCLOUD_HOME").filter(|h| !h.is_empty()) {
        return PathBuf::from(h);
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".local/share")
        });
    data.join("osc-devcloud")
}

static CLOUD: OnceLock<Option<Cloud>> = OnceLock::new();

/// The devcloud, or `None` (test should return) when absent on a developer machine.
/// Panics in CI, where a missing cloud is a failure.
pub fn cloud() -> Option<&'static Cloud> {
    CLOUD
        .get_or_init(|| {
            let home = devcloud_home();
            let clouds_yaml = home.join("clouds.yaml");
            let openstack = home.join("venv/bin/openstack");
            let up = clouds_yaml.is_file()
                && std::net::TcpStream::connect_timeout(
                    &"127.0.0.1:5000".parse().ok()?,
                    Duration::from_secs(2),
                )
                .is_ok();
            if !up {
                if std::env::var_os("CI").is_some() {
                    panic!(
                        "the devcloud is not running at {} (run devcloud/up)",
                        home.display()
                    );
                }
                eprintln!(
                    "SKIP: no devcloud at {} (run devcloud/up to enable functional tests)",
                    home.display()
                );
                return None;
            }
            build_in_tree_plugins();
            let cache_dir =
                std::env::temp_dir().join(format!("osc-functional-cache-{}", std::process::id()));
            Some(Cloud {
                home,
                clouds_yaml,
                openstack,
                cache_dir,
            })
        })
        .as_ref()
}

/// Builds the network, object-store and placement plugins beside the test binary's `osc`, where it
/// finds them: `cargo test` builds the crates' test harnesses, not their cdylibs.
pub fn build_in_tree_plugins() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args([
        "build",
        "--quiet",
        "-p",
        "osc-plugin-network",
        "-p",
        "osc-plugin-object-store",
        "-p",
        "osc-plugin-baremetal",
        "-p",
        "osc-plugin-placement",
        "-p",
        "osc-plugin-orchestration",
        "-p",
        "osc-plugin-telemetry",
        "-p",
        "osc-plugin-dns",
        "-p",
        "osc-plugin-messaging",
        "-p",
        "osc-plugin-database",
    ])
    .current_dir(env!("CARGO_MANIFEST_DIR"));
    // The binary under test is in target/<profile>/: build the plugins with that profile.
    if Path::new(env!("CARGO_BIN_EXE_osc"))
        .parent()
        .and_then(|p| p.file_name())
        .is_some_and(|n| n == "release")
    {
        cmd.arg("--release");
    }
    let status = cmd
        .status()
        .expect("run cargo to build the in-tree plugins");
    assert!(status.success(), "building the in-tree plugins failed");
}

static CATALOG: OnceLock<Vec<String>> = OnceLock::new();

/// True when the devcloud's catalog has `service_type`; otherwise says why the test does
/// nothing and returns false on a developer machine, and panics in CI, where `.ci/run` starts
/// every layer (`devcloud/up --layers all`).
pub fn in_catalog(service_type: &str) -> bool {
    let types = CATALOG.get_or_init(|| {
        let cat = osc_json(&["--os-cloud", "devstack-admin", "catalog", "list"]);
        cat.as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["Type"].as_str().map(str::to_owned))
            .collect()
    });
    if types.iter().any(|t| t == service_type) {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "the devcloud's catalog has no {service_type} service (run devcloud/up --layers all)"
        );
    }
    eprintln!("SKIP: the devcloud's catalog has no {service_type} service (devcloud/up --layers all starts it)");
    false
}

/// Skips the test (returns) when there is no devcloud.
#[macro_export]
macro_rules! require_cloud {
    () => {
        match $crate::support::cloud() {
            Some(c) => c,
            None => return,
        }
    };
}

fn base_env(cmd: &mut Command, c: &Cloud) {
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("OS_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("OS_CLIENT_CONFIG_FILE", &c.clouds_yaml)
        .env("OSC_CACHE_DIR", &c.cache_dir)
        .env("OSC_RECORD_COMMANDS", record_file())
        .env("COLUMNS", "200");
}

/// Where osc records the commands the functional tests ran against the devcloud (one file
/// per test process, under `target/live-commands/`), read by `tools/live-coverage`.
pub fn record_file() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_BIN_EXE_osc"))
            .parent()
            .and_then(Path::parent)
            .map(|t| t.join("live-commands"))
            .unwrap_or_else(|| PathBuf::from("live-commands"));
        let _ = std::fs::create_dir_all(&dir);
        let exe = std::env::current_exe()
            .ok()
            .and_then(|e| e.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_default();
        dir.join(format!("{exe}-{}.log", std::process::id()))
    })
}

/// Runs the built osc binary.
pub fn osc(args: &[&str]) -> Output {
    let c = cloud().expect("devcloud");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_osc"));
    base_env(&mut cmd, c);
    cmd.args(args).output().expect("run osc")
}

/// Runs osc in the directory `dir` (commands that write files where they run).
#[allow(dead_code)]
pub fn osc_in(dir: &Path, args: &[&str]) -> Output {
    let c = cloud().expect("devcloud");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_osc"));
    base_env(&mut cmd, c);
    cmd.args(args).current_dir(dir).output().expect("run osc")
}

/// Runs osc with stdin from a file.
pub fn osc_stdin(args: &[&str], stdin: std::fs::File) -> Output {
    let c = cloud().expect("devcloud");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_osc"));
    base_env(&mut cmd, c);
    cmd.args(args).stdin(stdin).output().expect("run osc")
}

/// Runs the reference python-openstackclient (through the reference server, see
/// `reference.rs`).
pub fn openstack(args: &[&str]) -> Output {
    let c = cloud().expect("devcloud");
    if let Some(server) = reference::server(c, |cmd| base_env(cmd, c)) {
        match server.run(args) {
            Ok(out) => return out,
            Err(e) => eprintln!("reference server: {e}; running the openstack script"),
        }
    }
    let mut cmd = Command::new(&c.openstack);
    base_env(&mut cmd, c);
    cmd.args(args).output().expect("run openstack")
}

fn check(what: &str, args: &[&str], out: Output) -> String {
    assert!(
        out.status.success(),
        "{what} {} failed ({}):\nstdout: {}\nstderr: {}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs osc, asserts success, returns stdout.
pub fn osc_ok(args: &[&str]) -> String {
    check("osc", args, osc(args))
}

/// Runs the reference, asserts success, returns stdout.
pub fn openstack_ok(args: &[&str]) -> String {
    check("openstack", args, openstack(args))
}

/// osc's `-f json` output parsed.
pub fn osc_json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["-f", "json"]);
    let s = osc_ok(&a);
    serde_json::from_str(&s)
        .unwrap_or_else(|e| panic!("osc {}: invalid JSON ({e}): {s}", a.join(" ")))
}

/// The reference's `-f json` output parsed.
pub fn openstack_json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["-f", "json"]);
    let s = openstack_ok(&a);
    serde_json::from_str(&s)
        .unwrap_or_else(|e| panic!("openstack {}: invalid JSON ({e}): {s}", a.join(" ")))
}

/// A name unique to this test run.
pub fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// Asserts two JSON objects have the same keys and the same values, except for the keys
/// listed (values that legitimately differ between two reads, such as timestamps).
pub fn assert_same_json(ours: &Value, reference: &Value, ignore_values: &[&str]) {
    match (ours, reference) {
        (Value::Object(a), Value::Object(b)) => {
            let ka: Vec<&String> = a.keys().collect();
            let kb: Vec<&String> = b.keys().collect();
            let mut sa = ka.clone();
            sa.sort();
            let mut sb = kb.clone();
            sb.sort();
            assert_eq!(sa, sb, "keys differ\nosc: {ours}\nopenstack: {reference}");
            for (k, v) in a {
                if !ignore_values.contains(&k.as_str()) {
                    assert_eq!(
                        v, &b[k],
                        "value of {k} differs\nosc: {ours}\nopenstack: {reference}"
                    );
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(
                a.len(),
                b.len(),
                "lengths differ\nosc: {ours}\nopenstack: {reference}"
            );
            for (x, y) in a.iter().zip(b) {
                assert_same_json(x, y, ignore_values);
            }
        }
        _ => assert_eq!(ours, reference),
    }
}

/// Fails, non-zero, with one line of error and no panic; returns that line.
pub fn fails_in_one_line(args: &[&str]) -> String {
    let out = osc(args);
    assert!(!out.status.success(), "osc {} succeeded", args.join(" "));
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(err.lines().count(), 1, "osc {}: {err}", args.join(" "));
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// osc and the reference with `-f json` have the same outcome: when the reference succeeds,
/// osc succeeds with the same JSON (but for the values of `ignore_values`) and its JSON is
/// returned; when the reference fails, osc fails in one line, the reference's last line
/// (a service's refusal both clients report), and `None` is returned.
pub fn same_outcome(args: &[&str], ignore_values: &[&str]) -> Option<Value> {
    let mut a = args.to_vec();
    a.extend(["-f", "json"]);
    let reference = openstack(&a);
    if reference.status.success() {
        let ours = osc_json(args);
        let theirs: Value = serde_json::from_slice(&reference.stdout)
            .unwrap_or_else(|e| panic!("openstack {}: invalid JSON ({e})", a.join(" ")));
        assert_same_json(&ours, &theirs, ignore_values);
        return Some(ours);
    }
    let err = fails_in_one_line(&a);
    let theirs = String::from_utf8_lossy(&reference.stderr);
    assert_eq!(
        err,
        theirs.trim().lines().last().unwrap_or(""),
        "osc {} failed otherwise than the reference",
        a.join(" ")
    );
    None
}

/// The rows of a listing whose `key` is `value`.
pub fn rows_with(list: &Value, key: &str, value: &str) -> Value {
    Value::Array(
        list.as_array()
            .unwrap()
            .iter()
            .filter(|r| r[key] == value)
            .cloned()
            .collect(),
    )
}

/// Calls `f` until it gives a value, with a growing interval, failing after `limit`.
pub fn poll<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + limit;
    let mut pause = Duration::from_millis(250);
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(pause.min(deadline.saturating_duration_since(Instant::now())));
        pause = (pause * 2).min(Duration::from_secs(3));
    }
}
