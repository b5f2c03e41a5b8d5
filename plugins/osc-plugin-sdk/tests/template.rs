//! The plugin template works out of the tree, as a vendor would use it: copied to a
//! directory of its own, depending on `osc-plugin-sdk = "1.0"` from crates.io, with a
//! `[patch.crates-io]` pointing at this checkout (how one builds against an unpublished
//! SDK). Built and tested offline, from the crates already in ~/.cargo/registry.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            if e.file_name() != "target" {
                copy_dir(&e.path(), &dest);
            }
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[test]
fn sdk_and_abi_versions_follow_the_abi() {
    let v = env!("CARGO_PKG_VERSION");
    let abi = format!(
        "{}.{}.",
        osc_plugin_sdk::abi::ABI_MAJOR,
        osc_plugin_sdk::abi::ABI_MINOR
    );
    assert!(v.starts_with(&abi), "osc-plugin-sdk {v} must be {abi}x");
}

#[test]
fn the_template_builds_and_passes_its_tests_out_of_the_tree() {
    let plugins = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let tmp = tempfile_dir();
    let crate_dir = tmp.join("my-plugin");
    copy_dir(&plugins.join("template"), &crate_dir);
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("osc-plugin-sdk = \"1.0\"") && !manifest.contains("path = \"../"),
        "the template names the SDK by version, as a vendor would: {manifest}"
    );
    let patch = format!(
        "\n[patch.crates-io]\nosc-plugin-sdk = {{ path = {:?} }}\nosc-plugin-abi = {{ path = {:?} }}\n",
        plugins.join("osc-plugin-sdk"),
        plugins.join("osc-plugin-abi")
    );
    std::fs::write(crate_dir.join("Cargo.toml"), manifest + &patch).unwrap();
    // A target directory kept between runs (inside this checkout's target/).
    let target = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/template-test")
        .to_path_buf();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for step in ["build", "test"] {
        let out = Command::new(&cargo)
            .args([step, "--offline", "--quiet"])
            .current_dir(&crate_dir)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("RUSTFLAGS")
            .output()
            .expect("run cargo");
        assert!(
            out.status.success(),
            "cargo {step} of the template failed out of the tree:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
    let so = target.join("debug/libosc_plugin_hello.so");
    assert!(so.is_file(), "no cdylib at {}", so.display());
}

fn tempfile_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("osc-template-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}
