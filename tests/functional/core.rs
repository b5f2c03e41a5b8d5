//! Functional tests of osc-core against the devcloud.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use serde_json::Value;

#[test]
fn token_issue_has_the_same_keys_as_openstack() {
    require_cloud!();
    let ours = osc_json(&["--os-cloud", "devstack-admin", "token", "issue"]);
    let reference = openstack_json(&["--os-cloud", "devstack-admin", "token", "issue"]);
    let mut a: Vec<_> = ours.as_object().unwrap().keys().cloned().collect();
    let mut b: Vec<_> = reference.as_object().unwrap().keys().cloned().collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(ours["project_id"], reference["project_id"]);
    assert_eq!(ours["user_id"], reference["user_id"]);
}

#[test]
fn catalog_list_names_the_same_services() {
    require_cloud!();
    // Services other tests create for a moment are not compared.
    let sorted = |s: String| {
        let mut v: Vec<String> = s
            .lines()
            .filter(|l| !l.starts_with("osc-func-catalog"))
            .map(str::to_string)
            .collect();
        v.sort();
        v
    };
    let ours = sorted(osc_ok(&[
        "--os-cloud",
        "devstack",
        "catalog",
        "list",
        "-f",
        "value",
        "-c",
        "Name",
    ]));
    let reference = sorted(openstack_ok(&[
        "--os-cloud",
        "devstack",
        "catalog",
        "list",
        "-f",
        "value",
        "-c",
        "Name",
    ]));
    assert!(!ours.is_empty());
    assert_eq!(ours, reference);
}

#[test]
fn second_token_issue_uses_the_cache() {
    require_cloud!();
    // A cloud of its own so no other test warms or clears this cache entry.
    let first = osc(&[
        "--os-cloud",
        "devstack-alt",
        "--debug",
        "token",
        "issue",
        "-f",
        "json",
    ]);
    assert!(first.status.success());
    let second = osc(&[
        "--os-cloud",
        "devstack-alt",
        "--debug",
        "token",
        "issue",
        "-f",
        "json",
    ]);
    assert!(second.status.success());
    let log = String::from_utf8_lossy(&second.stderr);
    assert!(
        !log.contains("/v3/auth/tokens"),
        "second run authenticated again:\n{log}"
    );
    assert!(log.contains("Using cached token"), "{log}");
    let a: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(a["id"], b["id"]);
}

#[test]
fn debug_output_reveals_no_secret() {
    let c = require_cloud!();
    let clouds = std::fs::read_to_string(&c.clouds_yaml).unwrap();
    let password = clouds
        .lines()
        .find_map(|l| l.trim().strip_prefix("password:"))
        .map(|p| p.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        .expect("a password in clouds.yaml");
    // A fresh cache so the password is actually sent.
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_osc"))
        .env("OS_CLIENT_CONFIG_FILE", &c.clouds_yaml)
        .env("OSC_CACHE_DIR", dir.path())
        .args([
            "--os-cloud",
            "devstack-admin",
            "--debug",
            "token",
            "issue",
            "-f",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        log.contains("/v3/auth/tokens"),
        "expected the auth request in the trace:\n{log}"
    );
    let token: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let token = token["id"].as_str().unwrap();
    assert!(
        !log.contains(&password),
        "password leaked in --debug output"
    );
    assert!(!log.contains(token), "token leaked in --debug output");
    // The cache file is private.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let auth_dir = dir.path().join("auth");
        for e in std::fs::read_dir(&auth_dir).unwrap() {
            let mode = e.unwrap().metadata().unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}

#[test]
fn wrong_password_is_one_line_and_exit_1() {
    let c = require_cloud!();
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_osc"))
        .env("OS_CLIENT_CONFIG_FILE", &c.clouds_yaml)
        .env("OSC_CACHE_DIR", dir.path())
        .args([
            "--os-cloud",
            "devstack",
            "--os-password",
            "definitely-wrong",
            "token",
            "issue",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("401"), "{err}");
    assert!(!err.contains("definitely-wrong"));
}

/// Runs osc with a private cache directory.
fn osc_with_cache(cache: &std::path::Path, args: &[&str]) -> std::process::Output {
    let c = crate::support::cloud().unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_osc"))
        .env("OS_CLIENT_CONFIG_FILE", &c.clouds_yaml)
        .env("OSC_CACHE_DIR", cache)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn cloud_cache_delete_forgets_the_token() {
    require_cloud!();
    let dir = tempfile::tempdir().unwrap();
    let issue = [
        "--os-cloud",
        "devstack",
        "--debug",
        "token",
        "issue",
        "-f",
        "json",
    ];
    assert!(osc_with_cache(dir.path(), &issue).status.success());
    let warm = osc_with_cache(dir.path(), &issue);
    assert!(!String::from_utf8_lossy(&warm.stderr).contains("/v3/auth/tokens"));
    let del = osc_with_cache(
        dir.path(),
        &["--os-cloud", "devstack", "cloud", "cache", "delete"],
    );
    assert!(
        del.status.success(),
        "{}",
        String::from_utf8_lossy(&del.stderr)
    );
    let cold = osc_with_cache(dir.path(), &issue);
    assert!(String::from_utf8_lossy(&cold.stderr).contains("/v3/auth/tokens"));
}

#[test]
fn revoked_cached_token_is_replaced_once() {
    require_cloud!();
    let dir = tempfile::tempdir().unwrap();
    let out = osc_with_cache(
        dir.path(),
        &[
            "--os-cloud",
            "devstack",
            "token",
            "issue",
            "-f",
            "value",
            "-c",
            "id",
        ],
    );
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(!token.is_empty());
    // Revoke it behind osc's back (with the reference client), so the cache holds a dead token.
    openstack_ok(&["--os-cloud", "devstack", "token", "revoke", &token]);
    // Any authenticated request will do; the image list is cheap.
    let again = osc_with_cache(
        dir.path(),
        &[
            "--os-cloud",
            "devstack",
            "--debug",
            "image",
            "list",
            "-f",
            "value",
            "-c",
            "ID",
        ],
    );
    let log = String::from_utf8_lossy(&again.stderr);
    assert!(again.status.success(), "{log}");
    assert!(log.contains("authenticating again"), "{log}");
}

/// The token cache uses the OS keyring where one answers: a Secret Service (gnome-keyring)
/// on a private D-Bus session. Skips where those tools are not installed.
#[test]
fn tokens_are_cached_in_the_os_keyring_when_one_answers() {
    let c = require_cloud!();
    let have = |tool: &str| {
        std::process::Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have("dbus-run-session") || !have("gnome-keyring-daemon") {
        eprintln!("SKIP: no dbus-run-session/gnome-keyring-daemon to provide a Secret Service");
        return;
    }
    let cache = tempfile::tempdir().unwrap();
    let script = format!(
        r#"echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
osc="{osc}"
"$osc" --os-cloud devstack --debug token issue -f value -c id 2>first.err >first.out || exit 11
"$osc" --os-cloud devstack --debug token issue -f value -c id 2>second.err >second.out || exit 12
"$osc" --os-cloud devstack cloud cache delete || exit 13
"$osc" --os-cloud devstack --debug token issue -f value -c id 2>third.err >/dev/null || exit 14
"#,
        osc = env!("CARGO_BIN_EXE_osc")
    );
    let out = std::process::Command::new("dbus-run-session")
        .args(["--", "sh", "-c", &script])
        .current_dir(cache.path())
        .env_remove("OSC_CACHE_DIR")
        .env("XDG_CACHE_HOME", cache.path())
        // A fresh login keyring, unlocked by the script.
        .env("XDG_DATA_HOME", cache.path())
        .env("OS_CLIENT_CONFIG_FILE", &c.clouds_yaml)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let read = |f: &str| std::fs::read_to_string(cache.path().join(f)).unwrap();
    assert!(read("first.err").contains("/v3/auth/tokens"));
    assert!(
        !read("second.err").contains("/v3/auth/tokens"),
        "the second run logged in again"
    );
    assert_eq!(read("first.out"), read("second.out"));
    assert!(
        read("third.err").contains("/v3/auth/tokens"),
        "cache delete left the token"
    );
    // The token itself is in the keyring: the cache directory holds only the index of keys.
    let auth_dir = cache.path().join("osc/auth");
    let token = read("first.out");
    for e in std::fs::read_dir(&auth_dir).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap_or_default();
        assert!(!text.contains(token.trim()), "the token reached a file");
    }
    let names: Vec<_> = std::fs::read_dir(&auth_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(auth_dir.join("keyring-index.json").exists(), "{names:?}");
}

/// Issue 22.3: `catalog list`/`catalog show` show the live catalog, not the cached token's:
/// a service and endpoint created (here by python-openstackclient, so osc's own refresh
/// after catalog changes plays no part) after the token was cached are listed, as OSC lists
/// them; one osc deletes is gone at once.
#[test]
fn catalog_is_live_not_the_cached_tokens() {
    require_cloud!();
    let cloud = ["--os-cloud", "devstack-admin"];
    let with = |rest: &[&str]| -> Vec<String> {
        cloud.iter().chain(rest).map(|s| s.to_string()).collect()
    };
    let run_ok = |rest: &[&str]| osc_ok(&with(rest).iter().map(String::as_str).collect::<Vec<_>>());
    let ref_ok =
        |rest: &[&str]| openstack_ok(&with(rest).iter().map(String::as_str).collect::<Vec<_>>());
    // The token (and its catalog) cached first.
    run_ok(&["catalog", "list"]);
    let name = unique("osc-func-catalog");
    ref_ok(&["service", "create", "--name", &name, &name]);
    ref_ok(&[
        "endpoint",
        "create",
        "--region",
        "RegionOne",
        &name,
        "public",
        "http://127.0.0.1:1/x",
    ]);
    let listed = run_ok(&["catalog", "list", "-f", "value", "-c", "Name"]);
    let ours: Value =
        serde_json::from_str(&run_ok(&["catalog", "show", &name, "-f", "json"])).unwrap();
    let reference: Value =
        serde_json::from_str(&ref_ok(&["catalog", "show", &name, "-f", "json"])).unwrap();
    // osc deletes it: the cached catalog is re-read, and the live one lacks it.
    run_ok(&["service", "delete", &name]);
    let after = run_ok(&["catalog", "list", "-f", "value", "-c", "Name"]);
    assert!(
        listed.lines().any(|l| l == name),
        "{name} not in:\n{listed}"
    );
    assert_same_json(&ours, &reference, &[]);
    assert!(
        !after.lines().any(|l| l == name),
        "{name} still in:\n{after}"
    );
    let out = osc(&with(&["catalog", "show", &name])
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(1));
}

/// Issue 22.2: group help prints exactly what python-openstackclient prints.
#[test]
fn group_help_is_byte_for_byte_openstacks() {
    require_cloud!();
    for args in [
        &["help", "flavor"][..],
        &["help", "server", "gr"],
        &["keypair", "--help"],
    ] {
        let ours = osc(args);
        let reference = openstack(args);
        assert_eq!(ours.status.code(), Some(0), "{args:?}");
        assert_eq!(ours.status.code(), reference.status.code(), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&ours.stdout),
            String::from_utf8_lossy(&reference.stdout),
            "{args:?}"
        );
    }
    let ours = osc(&["help", "nothingx"]);
    let reference = openstack(&["help", "nothingx"]);
    assert_eq!(ours.status.code(), Some(1));
    assert_eq!(ours.status.code(), reference.status.code());
    let last_line = |o: &std::process::Output| {
        String::from_utf8_lossy(&o.stderr)
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(last_line(&ours), last_line(&reference));
}
