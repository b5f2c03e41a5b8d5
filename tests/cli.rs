//! Command-line behaviour that needs no cloud: exit codes, one-line errors, help.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn osc(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_osc"));
    for (k, _) in std::env::vars() {
        if k.starts_with("OS_") {
            c.env_remove(k);
        }
    }
    c.envs(env.iter().copied()).args(args).output().unwrap()
}

fn one_line_error(out: &std::process::Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "expected one line, got:\n{err}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    err
}

#[test]
fn version_and_help() {
    let out = osc(&["--version"], &[]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("osc "));
    let out = osc(&["--help"], &[]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("--os-cloud") && help.contains("token issue"),
        "{help}"
    );
}

#[test]
fn unknown_command_is_a_usage_error() {
    let out = osc(&["frobnicate", "list"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = one_line_error(&out);
    assert!(err.contains("is not an osc command"), "{err}");
}

#[test]
fn bad_option_is_a_usage_error() {
    let out = osc(&["token", "issue", "--no-such-option"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = one_line_error(&out);
    assert!(err.contains("--no-such-option"), "{err}");
}

#[test]
fn unknown_cloud_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("clouds.yaml");
    std::fs::write(
        &p,
        "clouds:\n  a:\n    auth:\n      auth_url: http://127.0.0.1:1/v3\n",
    )
    .unwrap();
    let out = osc(
        &["--os-cloud", "nope", "token", "issue"],
        &[("OS_CLIENT_CONFIG_FILE", p.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = one_line_error(&out);
    assert!(err.contains("Cloud nope was not found"), "{err}");
}

#[test]
fn malformed_yaml_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("clouds.yaml");
    std::fs::write(&p, "clouds: [unclosed\n  x: y\n").unwrap();
    let out = osc(
        &["token", "issue"],
        &[("OS_CLIENT_CONFIG_FILE", p.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = one_line_error(&out);
    assert!(err.contains("Could not parse"), "{err}");
}

#[test]
fn missing_auth_url_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("clouds.yaml");
    std::fs::write(
        &p,
        "clouds:\n  a:\n    auth:\n      username: u\n      password: p\n",
    )
    .unwrap();
    let out = osc(
        &["--os-cloud", "a", "token", "issue"],
        &[
            ("OS_CLIENT_CONFIG_FILE", p.to_str().unwrap()),
            ("OSC_CACHE_DIR", dir.path().to_str().unwrap()),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = one_line_error(&out);
    assert!(err.contains("auth_url"), "{err}");
}

#[test]
fn unreachable_service_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("clouds.yaml");
    // Port 9 (discard) on loopback: nothing listens there.
    std::fs::write(&p, "clouds:\n  a:\n    auth:\n      auth_url: http://127.0.0.1:9/v3\n      username: u\n      password: p\n").unwrap();
    let out = osc(
        &["--os-cloud", "a", "token", "issue"],
        &[
            ("OS_CLIENT_CONFIG_FILE", p.to_str().unwrap()),
            ("OSC_CACHE_DIR", dir.path().to_str().unwrap()),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = one_line_error(&out);
    assert!(err.contains("127.0.0.1:9"), "{err}");
}

#[test]
fn runs_as_openstack_too() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("openstack");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_osc"), &link).unwrap();
    let out = Command::new(&link).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("openstack "));
}
