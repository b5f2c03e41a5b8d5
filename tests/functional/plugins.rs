//! Plugins against the devcloud: a plugin's JSON-patch request reaches Glance with
//! Glance's own media type (anything else gets 415).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use std::path::Path;
use std::process::Command;

const CLOUD: [&str; 2] = ["--os-cloud", "devstack"];

/// osc with the fixture plugin on its plugin path.
fn osc_with_fixture(plugins: &Path, args: &[&str]) -> std::process::Output {
    let c = cloud().expect("devcloud");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_osc"));
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("OS_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("OS_CLIENT_CONFIG_FILE", &c.clouds_yaml)
        .env("OSC_CACHE_DIR", &c.cache_dir)
        .env("OSC_PLUGIN_PATH", plugins)
        .args(CLOUD)
        .args(args)
        .output()
        .expect("run osc")
}

#[test]
fn a_plugin_json_patch_reaches_glance_with_its_media_type() {
    let _c = require_cloud!();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let st = Command::new(cargo)
        .args(["build", "--quiet", "-p", "osc-plugin-fixture"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(st.success(), "building the fixture plugin failed");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_BIN_EXE_osc")).with_file_name("libtest_fixture_plugin.so"),
        dir.path().join("libfixture.so"),
    )
    .unwrap();

    let name = unique("osc-plugin-patch");
    let created = osc_json(&[
        "--os-cloud",
        "devstack",
        "image",
        "create",
        "--disk-format",
        "raw",
        "--container-format",
        "bare",
        &name,
    ]);
    let id = created["id"].as_str().unwrap().to_string();
    let renamed = format!("{name}-renamed");
    let out = osc_with_fixture(
        dir.path(),
        &[
            "fixture", "image", "rename", &id, "--name", &renamed, "-f", "json",
        ],
    );
    let shown = osc_json(&["--os-cloud", "devstack", "image", "show", &id]);
    osc_ok(&["--os-cloud", "devstack", "image", "delete", &id]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["name"], renamed.as_str());
    assert_eq!(shown["name"], renamed.as_str());
}
