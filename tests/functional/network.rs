//! Functional tests of the network plugin against the devcloud's Neutron, compared with
//! python-openstackclient's `-f json` output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;

fn a<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--os-cloud", "devstack"];
    v.extend_from_slice(rest);
    v
}

/// Same keys and values as the reference for a show command (timestamps and revision
/// numbers move between two reads only if something changed, so they must match too).
fn same_show(cmd: &[&str]) {
    // Neutron returns a security group's rules in no particular order.
    let sorted = |mut v: serde_json::Value| {
        if let Some(rules) = v.get_mut("rules").and_then(|r| r.as_array_mut()) {
            rules.sort_by(|x, y| x["id"].as_str().cmp(&y["id"].as_str()));
        }
        v
    };
    assert_same_json(
        &sorted(osc_json(&a(cmd))),
        &sorted(openstack_json(&a(cmd))),
        &[],
    );
}

#[test]
fn network_subnet_port_router_round_trip() {
    require_cloud!();
    let net = unique("osc-net");
    let created = osc_json(&a(&[
        "network",
        "create",
        &net,
        "--description",
        "made by osc",
        "--tag",
        "osc",
    ]));
    assert_eq!(created["name"], net.as_str());
    assert_eq!(created["description"], "made by osc");
    assert_eq!(created["tags"], serde_json::json!(["osc"]));
    same_show(&["network", "show", &net]);
    let listed = osc_json(&a(&["network", "list", "--name", &net]));
    assert_same_json(
        &listed,
        &openstack_json(&a(&["network", "list", "--name", &net])),
        &[],
    );
    assert_same_json(
        &osc_json(&a(&["network", "list", "--long", "--name", &net])),
        &openstack_json(&a(&["network", "list", "--long", "--name", &net])),
        &[],
    );

    let sub = unique("osc-sub");
    let s = osc_json(&a(&[
        "subnet",
        "create",
        &sub,
        "--network",
        &net,
        "--subnet-range",
        "10.77.0.0/24",
        "--allocation-pool",
        "start=10.77.0.10,end=10.77.0.20",
        "--dns-nameserver",
        "10.77.0.2",
    ]));
    assert_eq!(s["cidr"], "10.77.0.0/24");
    assert_eq!(
        s["allocation_pools"],
        serde_json::json!([{"start": "10.77.0.10", "end": "10.77.0.20"}])
    );
    same_show(&["subnet", "show", &sub]);

    let port = unique("osc-port");
    let p = osc_json(&a(&[
        "port",
        "create",
        &port,
        "--network",
        &net,
        "--fixed-ip",
        &format!("subnet={sub},ip-address=10.77.0.15"),
    ]));
    assert_eq!(p["fixed_ips"][0]["ip_address"], "10.77.0.15");
    same_show(&["port", "show", &port]);

    let router = unique("osc-router");
    let r = osc_json(&a(&["router", "create", &router, "--description", "r"]));
    assert_eq!(r["name"], router.as_str());
    osc_ok(&a(&["router", "add", "subnet", &router, &sub]));
    let shown = osc_json(&a(&["router", "show", &router]));
    assert_eq!(shown["interfaces_info"][0]["ip_address"], "10.77.0.1");
    same_show(&["router", "show", &router]);
    osc_ok(&a(&["router", "remove", "subnet", &router, &sub]));
    osc_ok(&a(&["router", "delete", &router]));
    osc_ok(&a(&["port", "delete", &port]));
    osc_ok(&a(&["subnet", "delete", &sub]));
    osc_ok(&a(&["network", "delete", &net]));
    let gone = osc(&a(&["network", "show", &net]));
    assert_eq!(gone.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&gone.stderr).trim(),
        format!("No Network found for {net}")
    );
}

#[test]
fn security_group_rules() {
    require_cloud!();
    let sg = unique("osc-sg");
    osc_json(&a(&[
        "security",
        "group",
        "create",
        &sg,
        "--description",
        "osc",
    ]));
    same_show(&["security", "group", "show", &sg]);
    let rule = osc_json(&a(&[
        "security",
        "group",
        "rule",
        "create",
        &sg,
        "--protocol",
        "tcp",
        "--dst-port",
        "22:23",
        "--remote-ip",
        "10.0.0.0/8",
    ]));
    assert_eq!(rule["port_range_min"], 22);
    assert_eq!(rule["port_range_max"], 23);
    assert_eq!(rule["protocol"], "tcp");
    let id = rule["id"].as_str().unwrap().to_string();
    same_show(&["security", "group", "rule", "show", &id]);
    let icmp = osc_json(&a(&[
        "security",
        "group",
        "rule",
        "create",
        &sg,
        "--protocol",
        "icmp",
        "--icmp-type",
        "8",
        "--egress",
    ]));
    assert_eq!(icmp["direction"], "egress");
    assert_eq!(icmp["port_range_min"], 8);
    assert_same_json(
        &osc_json(&a(&["security", "group", "rule", "list", &sg])),
        &openstack_json(&a(&["security", "group", "rule", "list", &sg])),
        &[],
    );
    osc_ok(&a(&["security", "group", "delete", &sg]));
}

#[test]
fn read_only_listings_match_openstack() {
    require_cloud!();
    for cmd in [
        &["network", "agent", "list"][..],
        &["availability", "zone", "list", "--network"],
        &["network", "service", "provider", "list"],
        &["address", "scope", "list"],
        &["subnet", "pool", "list"],
        &["network", "qos", "policy", "list"],
        &["network", "qos", "rule", "type", "list"],
        &["extension", "list", "--network"],
    ] {
        let ours = osc(&a(cmd));
        if !ours.status.success() {
            // Not every command is learned yet; they must still fail in one line.
            assert_eq!(
                String::from_utf8_lossy(&ours.stderr).lines().count(),
                1,
                "{cmd:?}"
            );
            continue;
        }
        assert_same_json(&osc_json(&a(cmd)), &openstack_json(&a(cmd)), &[]);
    }
}

/// Create with osc, show with both clients, set, then delete with osc, for resources whose
/// create needs no other resource.
#[test]
fn simple_resources_create_show_set_delete() {
    require_cloud!();
    fn admin<'a>(rest: &[&'a str]) -> Vec<&'a str> {
        let mut v = vec!["--os-cloud", "devstack-admin"];
        v.extend_from_slice(rest);
        v
    }
    // (resource words, extra create args, a set option). QoS and metering are not enabled
    // on the devcloud.
    let cases: &[(&str, &[&str], &[&str])] = &[
        ("address scope", &["--ip-version", "4"], &["--name"]),
        (
            "subnet pool",
            &[
                "--pool-prefix",
                "10.123.0.0/16",
                "--default-prefix-length",
                "24",
            ],
            &["--description", "x"],
        ),
        (
            "security group",
            &["--description", "s"],
            &["--description", "z"],
        ),
        (
            "address group",
            &["--address", "10.9.9.9/32"],
            &["--address", "10.9.9.10/32"],
        ),
        (
            "network flavor",
            &["--service-type", "L3_ROUTER_NAT"],
            &["--description", "f"],
        ),
    ];
    let mut failures = Vec::new();
    for (res, create_args, set_args) in cases {
        let name = unique("osc-res");
        let words: Vec<&str> = res.split(' ').collect();
        let mut create = words.clone();
        create.push("create");
        create.extend_from_slice(create_args);
        create.push(&name);
        let out = osc(&admin(&create));
        if !out.status.success() {
            failures.push(format!(
                "{res} create: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
            continue;
        }
        let mut show = words.clone();
        show.extend(["show", name.as_str(), "-f", "json"]);
        let sorted = |mut v: serde_json::Value| {
            if let Some(rules) = v.get_mut("rules").and_then(|r| r.as_array_mut()) {
                rules.sort_by(|x, y| x["id"].as_str().cmp(&y["id"].as_str()));
            }
            v
        };
        let ours: serde_json::Value =
            serde_json::from_slice(&osc(&admin(&show)).stdout).unwrap_or_default();
        let theirs: serde_json::Value =
            serde_json::from_slice(&openstack(&admin(&show)).stdout).unwrap_or_default();
        let (ours, theirs) = (sorted(ours), sorted(theirs));
        if ours != theirs {
            failures.push(format!(
                "{res} show differs:\n  osc: {ours}\n  ref: {theirs}"
            ));
        }
        if !set_args.is_empty() {
            let renamed = format!("{name}-b");
            let mut set = words.clone();
            set.extend(["set", name.as_str()]);
            set.extend_from_slice(set_args);
            if *set_args == ["--name"] {
                set.push(&renamed);
            }
            let out = osc(&admin(&set));
            if !out.status.success() {
                failures.push(format!(
                    "{res} set: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            if *set_args == ["--name"] {
                let mut back = words.clone();
                back.extend(["set", renamed.as_str(), "--name", name.as_str()]);
                osc(&admin(&back));
            }
        }
        let mut delete = words.clone();
        delete.extend(["delete", name.as_str()]);
        let out = osc(&admin(&delete));
        if !out.status.success() {
            failures.push(format!(
                "{res} delete: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
