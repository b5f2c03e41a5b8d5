//! Functional tests of the placement plugin against the devcloud's Placement, compared with
//! osc-placement 4.9 (through python-openstackclient) on the same objects: `-f json` and a
//! few tables, the columns of other microversions, and the version-gate messages.
//! Every test makes its own providers, classes and traits (unique names) and removes them;
//! the seeded compute node's provider is only read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use serde_json::Value;
use std::process::{Command, Output};

fn a<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--os-cloud", "devstack-admin"];
    v.extend_from_slice(rest);
    v
}

/// Runs osc (`ours`) or the reference with `OS_PLACEMENT_API_VERSION` set.
fn pinned(ours: bool, version: &str, args: &[&str]) -> Output {
    let c = cloud().expect("devcloud");
    let mut cmd = if ours {
        Command::new(env!("CARGO_BIN_EXE_osc"))
    } else {
        Command::new(&c.openstack)
    };
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("OS_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("OS_CLIENT_CONFIG_FILE", &c.clouds_yaml)
        .env("OSC_CACHE_DIR", &c.cache_dir)
        .env("OSC_RECORD_COMMANDS", record_file())
        .env("COLUMNS", "200")
        .env("OS_PLACEMENT_API_VERSION", version)
        .args(a(args));
    cmd.output().expect("run")
}

fn pinned_json(ours: bool, version: &str, args: &[&str]) -> Value {
    let mut v = args.to_vec();
    v.extend(["-f", "json"]);
    let out = pinned(ours, version, &v);
    assert!(
        out.status.success(),
        "{} {}: {}",
        if ours { "osc" } else { "openstack" },
        v.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// The same output under `version` from both.
fn same_pinned(version: &str, args: &[&str]) {
    assert_same_json(
        &pinned_json(true, version, args),
        &pinned_json(false, version, args),
        &[],
    );
}

/// The last line of stderr of a failing run.
fn error_of(out: &Output) -> String {
    assert!(!out.status.success(), "expected a failure");
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Both fail with the same message under `version`.
fn same_error(version: &str, args: &[&str]) -> String {
    let ours = error_of(&pinned(true, version, args));
    let theirs = error_of(&pinned(false, version, args));
    assert_eq!(ours, theirs, "{}", args.join(" "));
    ours
}

fn same(args: &[&str]) {
    assert_same_json(&osc_json(&a(args)), &openstack_json(&a(args)), &[]);
}

fn same_table(args: &[&str]) {
    assert_eq!(
        osc_ok(&a(args)),
        openstack_ok(&a(args)),
        "{}",
        args.join(" ")
    );
}

fn new_uuid() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/uuid")
        .expect("a random UUID")
        .trim()
        .to_string()
}

/// A provider of our own; deleted (allocations and all) when dropped.
struct Provider(String);

impl Provider {
    fn new(name: &str) -> Self {
        let rp = osc_json(&a(&["resource", "provider", "create", name]));
        Provider(rp["uuid"].as_str().expect("uuid").to_string())
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = osc(&a(&["resource", "provider", "delete", &self.0]));
    }
}

fn w(s: &str) -> Vec<&str> {
    s.split(' ').filter(|x| !x.is_empty()).collect()
}

#[test]
fn providers_and_inventories() {
    require_cloud!();
    let name = unique("osc-rp");
    let created = osc_json(&a(&["resource", "provider", "create", &name]));
    let rp = Provider(created["uuid"].as_str().unwrap().to_string());
    let u = rp.0.as_str();
    assert_eq!(created["name"], name.as_str());
    assert_eq!(created["parent_provider_uuid"], Value::Null);
    same(&["resource", "provider", "show", u]);
    same(&["resource", "provider", "show", u, "--allocations"]);
    same(&["resource", "provider", "list", "--uuid", u]);
    same(&["resource", "provider", "list", "--name", &name]);
    same_table(&["resource", "provider", "show", u]);
    same_pinned("1.10", &["resource", "provider", "show", u]);
    same_pinned("1.10", &["resource", "provider", "list", "--uuid", u]);

    // A child, and the tree.
    let child_name = unique("osc-rp-child");
    let child = osc_json(&a(&[
        "resource",
        "provider",
        "create",
        &child_name,
        "--parent-provider",
        u,
    ]));
    let child = Provider(child["uuid"].as_str().unwrap().to_string());
    same(&["resource", "provider", "list", "--in-tree", u]);
    same(&["resource", "provider", "show", &child.0]);
    let renamed = unique("osc-rp-renamed");
    let set = osc_json(&a(&[
        "resource", "provider", "set", &child.0, "--name", &renamed,
    ]));
    assert_eq!(set["name"], renamed.as_str());
    assert_same_json(
        &set,
        &osc_json(&a(&["resource", "provider", "show", &child.0])),
        &[],
    );
    drop(child);

    // Inventories: full replacement, per-class fields, --amend, --dry-run.
    let inv = osc_json(&a(&[
        "resource",
        "provider",
        "inventory",
        "set",
        u,
        "--resource",
        "VCPU=8",
        "--resource",
        "MEMORY_MB=2048",
        "--resource",
        "MEMORY_MB:step_size=128",
        "--resource",
        "VCPU:allocation_ratio=4.0",
    ]));
    assert_eq!(inv[0]["resource_class"], "VCPU");
    assert_eq!(inv[0]["allocation_ratio"], 4.0);
    assert_eq!(inv[1]["step_size"], 128);
    same(&["resource", "provider", "inventory", "list", u]);
    same_table(&["resource", "provider", "inventory", "list", u]);
    same(&["resource", "provider", "inventory", "show", u, "MEMORY_MB"]);
    same_table(&["resource", "provider", "inventory", "show", u, "VCPU"]);
    same(&w(&format!(
        "resource provider inventory set {u} --amend --dry-run --resource DISK_GB=10 --resource VCPU:reserved=1"
    )));
    same(&w(&format!(
        "resource provider inventory set {u} --dry-run --resource DISK_GB=10"
    )));
    let amended = osc_json(&w(&format!(
        "--os-cloud devstack-admin resource provider inventory set {u} --amend --resource DISK_GB=20"
    )));
    assert_eq!(amended.as_array().map(Vec::len), Some(3));
    let class = osc_json(&w(&format!(
        "--os-cloud devstack-admin resource provider inventory class set {u} DISK_GB --total 30 --reserved 2 --allocation_ratio 1.5"
    )));
    assert_eq!(class["total"], 30);
    assert_eq!(class["allocation_ratio"], 1.5);
    same(&["resource", "provider", "inventory", "show", u, "DISK_GB"]);
    same(&["resource", "provider", "usage", "show", u]);
    same_table(&["resource", "provider", "usage", "show", u]);
    osc_ok(&a(&[
        "resource",
        "provider",
        "inventory",
        "delete",
        u,
        "--resource-class",
        "DISK_GB",
    ]));
    same(&["resource", "provider", "inventory", "list", u]);
    osc_ok(&a(&["resource", "provider", "inventory", "delete", u]));
    assert_eq!(
        osc_json(&a(&["resource", "provider", "inventory", "list", u])),
        serde_json::json!([])
    );
    // Parse errors, in osc-placement's words.
    same_error(
        "1.29",
        &w(&format!(
            "resource provider inventory set {u} --dry-run --resource VCPU:bogus=1"
        )),
    );
    same_error(
        "1.29",
        &w(&format!(
            "resource provider inventory set {u} --dry-run --resource VCPU=x"
        )),
    );
    same_error(
        "1.29",
        &w(&format!(
            "resource provider inventory set {u} --dry-run --resource A:B:C=1"
        )),
    );
    // Missing objects, in osc-placement's words.
    let missing = new_uuid();
    same_error("1.29", &["resource", "provider", "show", &missing]);
    same_error("1.29", &["resource", "provider", "delete", &missing]);

    osc_ok(&a(&["resource", "provider", "delete", u]));
    same_error("1.29", &["resource", "provider", "show", u]);
}

#[test]
fn allocations_and_usages() {
    require_cloud!();
    let rc = format!("CUSTOM_OSC_ALLOC_{}", std::process::id());
    osc_ok(&a(&["resource", "class", "create", &rc]));
    let rp = Provider::new(&unique("osc-rp-alloc"));
    let u = rp.0.clone();
    osc_ok(&w(&format!(
        "--os-cloud devstack-admin resource provider inventory set {u} --resource {rc}=100 --resource VCPU=4"
    )));
    let project = new_uuid().replace('-', "");
    let user = new_uuid().replace('-', "");
    let (c1, c2) = (new_uuid(), new_uuid());
    // The same allocation by each client, on two consumers.
    let set = |ours: bool, c: &str| {
        let line = format!(
            "resource provider allocation set {c} --allocation rp={u},{rc}=3 --allocation rp={u},VCPU=1 --project-id {project} --user-id {user}"
        );
        pinned_json(ours, "1.29", &w(&line))
    };
    assert_same_json(&set(true, &c1), &set(false, &c2), &["generation"]);
    same(&["resource", "provider", "allocation", "show", &c1]);
    same_table(&["resource", "provider", "allocation", "show", &c1]);
    same_pinned("1.38", &["resource", "provider", "allocation", "show", &c1]);
    same_pinned("1.11", &["resource", "provider", "allocation", "show", &c1]);
    same(&["resource", "provider", "show", &u, "--allocations"]);
    same(&["resource", "usage", "show", &project]);
    same(&["resource", "usage", "show", &project, "--user-id", &user]);
    same(&["resource", "provider", "usage", "show", &u]);
    same(&["resource", "provider", "inventory", "list", &u]);

    // Setting again goes through the consumer generation.
    let again = osc_json(&w(&format!(
        "--os-cloud devstack-admin resource provider allocation set {c1} --allocation rp={u},{rc}=5 --project-id {project} --user-id {user}"
    )));
    assert_eq!(again[0]["resources"], serde_json::json!({rc.as_str(): 5}));

    // Unset a class, then everything, by each client.
    let unset = |ours: bool, c: &str, rest: &str| {
        pinned_json(
            ours,
            "1.29",
            &w(&format!("resource provider allocation unset {c} {rest}")),
        )
    };
    osc_ok(&w(&format!(
        "--os-cloud devstack-admin resource provider allocation set {c1} --allocation rp={u},{rc}=3 --allocation rp={u},VCPU=1 --project-id {project} --user-id {user}"
    )));
    assert_same_json(
        &unset(true, &c1, "--resource-class VCPU"),
        &unset(false, &c2, "--resource-class VCPU"),
        &["generation"],
    );
    assert_same_json(
        &unset(true, &c1, &format!("--provider {u}")),
        &unset(false, &c2, &format!("--provider {u}")),
        &["generation"],
    );
    same(&["resource", "provider", "allocation", "show", &c1]);
    osc_ok(&w(&format!(
        "--os-cloud devstack-admin resource provider allocation set {c1} --allocation rp={u},{rc}=1 --project-id {project} --user-id {user}"
    )));
    osc_ok(&a(&["resource", "provider", "allocation", "delete", &c1]));
    assert_eq!(
        osc_json(&a(&["resource", "provider", "allocation", "show", &c1])),
        serde_json::json!([])
    );
    // Errors before any request, and the parser's requirements of 1.8 and 1.38.
    same_error(
        "1.29",
        &w(&format!(
            "resource provider allocation set {c1} --allocation rp={u},VCPU=1 --allocation rp={u},VCPU=2 --project-id {project} --user-id {user}"
        )),
    );
    same_error(
        "1.29",
        &w(&format!(
            "resource provider allocation set {c1} --allocation VCPU=1 --project-id {project} --user-id {user}"
        )),
    );
    let ours = error_of(&pinned(
        true,
        "1.29",
        &w(&format!(
            "resource provider allocation set {c1} --allocation rp={u},VCPU=1"
        )),
    ));
    assert_eq!(
        ours,
        "the following arguments are required: --project-id, --user-id"
    );
    let ours = error_of(&pinned(
        true,
        "1.38",
        &w(&format!(
            "resource provider allocation set {c1} --allocation rp={u},VCPU=1 --project-id {project} --user-id {user}"
        )),
    ));
    assert_eq!(
        ours,
        "the following arguments are required: --consumer-type"
    );
    same_error(
        "1.11",
        &["resource", "provider", "allocation", "unset", &c1],
    );
    same_error("1.8", &["resource", "usage", "show", &project]);

    drop(rp);
    osc_ok(&a(&["resource", "class", "delete", &rc]));
}

#[test]
fn classes_traits_and_aggregates() {
    require_cloud!();
    let id = std::process::id();
    let rc = format!("CUSTOM_OSC_RC_{id}");
    let tr = format!("CUSTOM_OSC_TRAIT_{id}");
    osc_ok(&a(&["resource", "class", "create", &rc]));
    osc_ok(&a(&["resource", "class", "set", &rc]));
    same(&["resource", "class", "show", &rc]);
    same_table(&["resource", "class", "show", &rc]);
    let classes = osc_json(&a(&["resource", "class", "list"]));
    assert!(classes
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == rc.as_str()));
    same(&["resource", "class", "show", "VCPU"]);
    same_error("1.1", &["resource", "class", "list"]);
    same_error("1.6", &["resource", "class", "set", &rc]);

    osc_ok(&a(&["trait", "create", &tr]));
    same(&["trait", "show", &tr]);
    same(&["trait", "list", "--name", &format!("in:{tr}")]);
    same_table(&["trait", "list", "--name", &format!("in:{tr}")]);
    same_error("1.5", &["trait", "list"]);
    same_error("1.5", &["trait", "create", &tr]);

    let rp = Provider::new(&unique("osc-rp-traits"));
    let u = rp.0.as_str();
    let set = osc_json(&a(&[
        "resource",
        "provider",
        "trait",
        "set",
        u,
        "--trait",
        &tr,
        "--trait",
        "HW_CPU_X86_AVX",
    ]));
    assert_eq!(set.as_array().map(Vec::len), Some(2));
    same(&["resource", "provider", "trait", "list", u]);
    same(&[
        "trait",
        "list",
        "--associated",
        "--name",
        &format!("in:{tr}"),
    ]);
    same(&["resource", "provider", "list", "--required", &tr]);
    same(&[
        "resource",
        "provider",
        "list",
        "--uuid",
        u,
        "--forbidden",
        &tr,
    ]);
    same_pinned(
        "1.39",
        &[
            "resource",
            "provider",
            "list",
            "--required",
            &format!("{tr},HW_CPU_X86_SSE"),
        ],
    );
    same_error(
        "1.29",
        &[
            "resource",
            "provider",
            "list",
            "--required",
            &format!("{tr},HW_CPU_X86_SSE"),
        ],
    );
    same_error("1.17", &["resource", "provider", "list", "--required", &tr]);
    same_error(
        "1.21",
        &["resource", "provider", "list", "--forbidden", &tr],
    );
    osc_ok(&a(&["resource", "provider", "trait", "delete", u]));
    assert_eq!(
        osc_json(&a(&["resource", "provider", "trait", "list", u])),
        serde_json::json!([])
    );

    // Aggregates: the generation from 1.19 on, a plain list before.
    let (agg1, agg2) = (new_uuid(), new_uuid());
    let gen = osc_json(&a(&["resource", "provider", "show", u]))["generation"]
        .as_i64()
        .unwrap()
        .to_string();
    let aggs = osc_json(&a(&[
        "resource",
        "provider",
        "aggregate",
        "set",
        u,
        "--aggregate",
        &agg1,
        "--aggregate",
        &agg2,
        "--generation",
        &gen,
    ]));
    assert_eq!(aggs.as_array().map(Vec::len), Some(2));
    same(&["resource", "provider", "aggregate", "list", u]);
    same(&["resource", "provider", "list", "--member-of", &agg1]);
    same(&[
        "resource",
        "provider",
        "list",
        "--member-of",
        &format!("{agg1},{agg2}"),
    ]);
    same_error("1.29", &["resource", "provider", "aggregate", "set", u]);
    same_error(
        "1.18",
        &[
            "resource",
            "provider",
            "aggregate",
            "set",
            u,
            "--generation",
            "1",
        ],
    );
    same_error("1.0", &["resource", "provider", "aggregate", "list", u]);
    let pinned_set = pinned_json(
        true,
        "1.18",
        &[
            "resource",
            "provider",
            "aggregate",
            "set",
            u,
            "--aggregate",
            &agg1,
        ],
    );
    assert_eq!(pinned_set, serde_json::json!([{"uuid": agg1}]));
    // Inventory of every provider in an aggregate.
    let by_agg = osc_json(&w(&format!(
        "--os-cloud devstack-admin resource provider inventory set {agg1} --aggregate --resource VCPU=2"
    )));
    assert_eq!(by_agg[0]["resource_provider"], u);
    assert_eq!(by_agg[0]["total"], 2);
    same_error(
        "1.29",
        &w(&format!(
            "resource provider inventory set {} --aggregate --resource VCPU=2",
            new_uuid()
        )),
    );

    drop(rp);
    osc_ok(&a(&["trait", "delete", &tr]));
    same_error("1.29", &["trait", "show", &tr]);
    osc_ok(&a(&["resource", "class", "delete", &rc]));
    same_error("1.29", &["resource", "class", "show", &rc]);
}

#[test]
fn allocation_candidates() {
    require_cloud!();
    let id = std::process::id();
    let rc = format!("CUSTOM_OSC_CAND_{id}");
    let rc2 = format!("CUSTOM_OSC_CAND2_{id}");
    let tr = format!("CUSTOM_OSC_CAND_TRAIT_{id}");
    osc_ok(&a(&["resource", "class", "create", &rc]));
    osc_ok(&a(&["resource", "class", "create", &rc2]));
    osc_ok(&a(&["trait", "create", &tr]));
    let root = Provider::new(&unique("osc-rp-cand"));
    let child = osc_json(&a(&[
        "resource",
        "provider",
        "create",
        &unique("osc-rp-cand-child"),
        "--parent-provider",
        &root.0,
    ]));
    let child = Provider(child["uuid"].as_str().unwrap().to_string());
    osc_ok(&w(&format!(
        "--os-cloud devstack-admin resource provider inventory set {} --resource {rc}=10",
        root.0
    )));
    osc_ok(&w(&format!(
        "--os-cloud devstack-admin resource provider inventory set {} --resource {rc2}=10 --resource {rc}=4",
        child.0
    )));
    osc_ok(&a(&[
        "resource", "provider", "trait", "set", &child.0, "--trait", &tr,
    ]));

    let q = |s: &str| format!("allocation candidate list {s}");
    same(&w(&q(&format!("--resource {rc}=1"))));
    same_table(&w(&q(&format!("--resource {rc}=1"))));
    same(&w(&q(&format!("--resource {rc}=1 --resource {rc2}=2"))));
    same(&w(&q(&format!("--resource {rc}=1 --required {tr}"))));
    same(&w(&q(&format!(
        "--resource {rc}=1 --forbidden {tr} --limit 5"
    ))));
    same(&w(&q(&format!(
        "--resource {rc}=1 --group 1 --resource {rc2}=1 --required {tr} --group 2 --resource {rc}=1 --group-policy isolate"
    ))));
    same(&w(&q(&format!(
        "--group 1 --resource={rc}=2 --group 2 --resource {rc2}=1 --group-policy none"
    ))));
    same_pinned("1.16", &w(&q(&format!("--resource {rc}=1"))));
    same_pinned("1.11", &w(&q(&format!("--resource {rc}=1"))));
    same_pinned(
        "1.39",
        &w(&q(&format!(
            "--resource {rc}=1 --required {tr},HW_CPU_X86_SSE"
        ))),
    );
    // Gates and argument errors, in osc-placement's order and words.
    same_error("1.9", &w(&q(&format!("--resource {rc}=1"))));
    same_error("1.29", &w(&q("")));
    same_error("1.29", &w(&q(&format!("--resource {rc}=1 --limit x"))));
    same_error("1.15", &w(&q(&format!("--resource {rc}=1 --limit 1"))));
    same_error(
        "1.16",
        &w(&q(&format!("--resource {rc}=1 --required {tr}"))),
    );
    same_error(
        "1.21",
        &w(&q(&format!("--resource {rc}=1 --forbidden {tr}"))),
    );
    same_error("1.24", &w(&q(&format!("--group 1 --resource {rc}=1"))));
    same_error("1.29", &w(&q(&format!("--group 1 --required {tr}"))));
    same_error("1.29", &w(&q(&format!("--resource {rc}"))));
    same_error(
        "1.29",
        &w(&q(&format!("--resource {rc}=1 --required {tr},X"))),
    );
    same_error(
        "1.20",
        &w(&q(&format!("--resource {rc}=1 --member-of {}", root.0))),
    );

    drop(child);
    drop(root);
    osc_ok(&a(&["trait", "delete", &tr]));
    osc_ok(&a(&["resource", "class", "delete", &rc]));
    osc_ok(&a(&["resource", "class", "delete", &rc2]));
}

#[test]
fn version_pins_and_gates() {
    require_cloud!();
    let rp = Provider::new(&unique("osc-rp-pins"));
    let u = rp.0.as_str();
    // The default (1.29), a bare major (negotiated), and older columns.
    same_pinned("1", &["resource", "provider", "show", u]);
    same_pinned("1.13", &["resource", "provider", "list", "--uuid", u]);
    same_pinned("1.14", &["resource", "provider", "list", "--uuid", u]);
    // Gates, with osc-placement's exact text.
    let msg = same_error("1.10", &["resource", "provider", "list", "--in-tree", u]);
    assert_eq!(
        msg,
        "Operation or argument is not supported with version 1.10; requires at least version 1.14"
    );
    same_error(
        "1.3",
        &["resource", "provider", "list", "--resource", "VCPU=1"],
    );
    same_error("1.2", &["resource", "provider", "list", "--member-of", u]);
    same_error(
        "1.13",
        &[
            "resource",
            "provider",
            "create",
            "x",
            "--parent-provider",
            u,
        ],
    );
    same_error(
        "1.13",
        &[
            "resource",
            "provider",
            "set",
            u,
            "--name",
            "x",
            "--parent-provider",
            u,
        ],
    );
    same_error("1.8", &["resource", "usage", "show", u]);
    // An unsupported pin is refused before anything is sent.
    same_error("1.30", &["resource", "provider", "delete", u]);
    same(&["resource", "provider", "show", u]);
}
