//! Functional tests of the object-store plugin against the devcloud's Swift, compared with
//! python-openstackclient.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use std::io::{Read, Write};

const CLOUD: [&str; 2] = ["--os-cloud", "devstack"];

fn a<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = CLOUD.to_vec();
    v.extend_from_slice(rest);
    v
}

/// A file of `size` pseudo-random bytes, written in chunks (never all in memory).
fn random_file(path: &std::path::Path, size: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut buf = vec![0u8; 1 << 16];
    let mut left = size;
    while left > 0 {
        for b in buf.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        let n = left.min(buf.len());
        f.write_all(&buf[..n]).unwrap();
        left -= n;
    }
    f.flush().unwrap();
}

fn same_bytes(p: &std::path::Path, q: &std::path::Path) -> bool {
    let (mut f, mut g) = (
        std::fs::File::open(p).unwrap(),
        std::fs::File::open(q).unwrap(),
    );
    let (mut a, mut b) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = f.read(&mut a).unwrap();
        let mut m = 0;
        while m < n {
            let k = g.read(&mut b[m..n]).unwrap();
            if k == 0 {
                return false;
            }
            m += k;
        }
        if a[..n] != b[..n] {
            return false;
        }
        if n == 0 {
            return g.read(&mut b).unwrap() == 0;
        }
    }
}

#[test]
fn a_50_mib_object_round_trips_byte_identical() {
    require_cloud!();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("big.bin");
    random_file(&src, 50 << 20);
    let c = unique("osc-obj");
    let created = osc_json(&a(&["container", "create", &c]));
    assert_eq!(created[0]["container"], c.as_str());
    let up = osc_json(&a(&[
        "object",
        "create",
        &c,
        src.to_str().unwrap(),
        "--name",
        "big.bin",
    ]));
    assert_eq!(up[0]["object"], "big.bin");
    assert_eq!(up[0]["etag"].as_str().unwrap().len(), 32);
    let out = dir.path().join("back.bin");
    osc_ok(&a(&[
        "object",
        "save",
        &c,
        "big.bin",
        "--file",
        out.to_str().unwrap(),
    ]));
    assert!(same_bytes(&src, &out), "downloaded object differs");
    // Same JSON as python-openstackclient.
    for cmd in [
        &["object", "list", &c, "--long"][..],
        &["object", "show", &c, "big.bin"],
        &["container", "show", &c],
    ] {
        assert_same_json(&osc_json(&a(cmd)), &openstack_json(&a(cmd)), &[]);
    }
    osc_ok(&a(&["object", "delete", &c, "big.bin"]));
    assert_eq!(osc_json(&a(&["object", "list", &c])), serde_json::json!([]));
    osc_ok(&a(&["container", "delete", &c]));
}

#[test]
fn segmented_uploads_come_back_whole() {
    require_cloud!();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("seg.bin");
    random_file(&src, (3 << 20) + 12345);
    let c = unique("osc-seg");
    osc_ok(&a(&["container", "create", &c]));
    osc_ok(&a(&[
        "object",
        "create",
        &c,
        src.to_str().unwrap(),
        "--name",
        "seg.bin",
        "--segment-size",
        "1048576",
    ]));
    let segs = osc_json(&a(&["object", "list", &format!("{c}_segments")]));
    assert_eq!(segs.as_array().unwrap().len(), 4);
    let out = dir.path().join("seg.out");
    osc_ok(&a(&[
        "object",
        "save",
        &c,
        "seg.bin",
        "--file",
        out.to_str().unwrap(),
    ]));
    assert!(same_bytes(&src, &out));
    osc_ok(&a(&[
        "container",
        "delete",
        "--recursive",
        &c,
        &format!("{c}_segments"),
    ]));
}

#[test]
fn properties_and_listings_match_openstack() {
    require_cloud!();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("note.txt");
    std::fs::write(&f, "hello\n").unwrap();
    let c = unique("osc-props");
    let ours = osc_json(&a(&["container", "create", &c]));
    let c2 = unique("osc-props");
    let theirs = openstack_json(&a(&["container", "create", &c2]));
    assert_same_json(&ours, &theirs, &["container", "x-trans-id"]);
    osc_ok(&a(&[
        "container",
        "set",
        &c,
        "--property",
        "owner=osc",
        "--property",
        "tier=gold",
    ]));
    osc_ok(&a(&["container", "unset", &c, "--property", "tier"]));
    osc_ok(&a(&[
        "object",
        "create",
        &c,
        f.to_str().unwrap(),
        "--name",
        "dir/note.txt",
    ]));
    osc_ok(&a(&[
        "object",
        "set",
        &c,
        "dir/note.txt",
        "--property",
        "color=red",
    ]));
    for cmd in [
        &["container", "show", &c][..],
        &["object", "show", &c, "dir/note.txt"],
        &["object", "list", &c, "--long"],
        &["object", "list", &c, "--delimiter", "/"],
        &[
            "object", "list", &c, "--prefix", "dir/", "--limit", "1", "--all",
        ],
        &["container", "list", "--prefix", "osc-props", "--long"],
        &["object", "store", "account", "show"],
    ] {
        assert_same_json(&osc_json(&a(cmd)), &openstack_json(&a(cmd)), &[]);
    }
    let shown = osc_json(&a(&["object", "show", &c, "dir/note.txt"]));
    assert_eq!(shown["properties"], serde_json::json!({"Color": "red"}));
    assert_eq!(shown["content-type"], "text/plain");
    osc_ok(&a(&[
        "object",
        "unset",
        &c,
        "dir/note.txt",
        "--property",
        "color",
    ]));
    // Saving to stdout.
    assert_eq!(
        osc_ok(&a(&["object", "save", &c, "dir/note.txt", "--file", "-"])),
        "hello\n"
    );
    // Saving a whole container writes each object under its name where osc runs.
    let dir = tempfile::tempdir().unwrap();
    let out = osc_in(dir.path(), &a(&["container", "save", &c]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("dir/note.txt")).unwrap(),
        "hello\n"
    );
    // Account properties, set and unset, as the reference shows them.
    let key = format!("Osc-{}", std::process::id());
    osc_ok(&a(&[
        "object",
        "store",
        "account",
        "set",
        "--property",
        &format!("{key}=v"),
    ]));
    let account = ["object", "store", "account", "show"];
    let shown = osc_json(&a(&account));
    assert_same_json(&shown, &openstack_json(&a(&account)), &[]);
    assert_eq!(shown["properties"][key.as_str()], "v", "{shown}");
    osc_ok(&a(&[
        "object",
        "store",
        "account",
        "unset",
        "--property",
        &key,
    ]));
    let shown = osc_json(&a(&account));
    assert!(shown["properties"].get(key.as_str()).is_none(), "{shown}");
    // One-line errors for missing things.
    let out = osc(&a(&["object", "show", &c, "missing"]));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    osc_ok(&a(&["container", "delete", "--recursive", &c, &c2]));
}
