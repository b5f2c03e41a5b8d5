//! Functional tests of the network plugin's core resources moved to code (port, subnet
//! pool, floating IP, network, subnet, router) against the devcloud's Neutron, compared
//! with python-openstackclient's `-f json` output.
//!
//! Read-modify-write options are checked on twins: the same command is run by osc on one
//! object and by the reference on its twin (same network layout), then both objects are
//! shown and compared with the twins' own IDs and names masked.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use serde_json::Value;

fn a<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--os-cloud", "devstack"];
    v.extend_from_slice(rest);
    v
}

/// Values that differ between two twins by nature (timestamps).
const VOLATILE: &[&str] = &["created_at", "updated_at"];

/// Whether Neutron has the extension (the test skips its part otherwise).
fn has_extension(alias: &str) -> bool {
    let exts = openstack_json(&a(&["extension", "list", "--network"]));
    exts.as_array()
        .unwrap()
        .iter()
        .any(|e| e["Alias"].as_str() == Some(alias))
}

/// Exit code and last stderr line of a command, osc's and the reference's.
fn failure(args: &[&str]) -> (Option<i32>, String, Option<i32>, String) {
    let last = |o: &std::process::Output| {
        String::from_utf8_lossy(&o.stderr)
            .lines()
            .last()
            .unwrap_or("")
            .to_string()
    };
    let (o, r) = (osc(args), openstack(args));
    (o.status.code(), last(&o), r.status.code(), last(&r))
}

/// The command fails the same way (exit code and message) in both clients.
fn same_failure(args: &[&str]) {
    let (oc, om, rc, rm) = failure(args);
    assert_eq!((oc, &om), (rc, &rm), "{}", args.join(" "));
}

/// Shows the same object with both clients: same keys, same values.
fn same_show(cmd: &[&str]) {
    assert_same_json(&osc_json(&a(cmd)), &openstack_json(&a(cmd)), &[]);
}

/// Lists with both clients: same rows.
fn same_list(cmd: &[&str]) {
    assert_same_json(&osc_json(&a(cmd)), &openstack_json(&a(cmd)), &[]);
}

/// Two objects built alike, one driven by osc and one by the reference. `names` maps
/// placeholders (`@port`, `@net`...) to osc's and the reference's objects.
struct Twins {
    names: Vec<(String, String, String)>,
    /// Values of osc's object and of the reference's that stand for each other (IDs, MACs).
    masks: Vec<(String, String, String)>,
}

impl Twins {
    fn new() -> Self {
        Twins {
            names: Vec::new(),
            masks: Vec::new(),
        }
    }
    fn name(&mut self, placeholder: &str, ours: String, theirs: String) {
        self.mask(placeholder, ours.clone(), theirs.clone());
        self.names.push((placeholder.to_string(), ours, theirs));
    }
    fn mask(&mut self, placeholder: &str, ours: String, theirs: String) {
        self.masks.push((placeholder.to_string(), ours, theirs));
    }
    fn args(&self, cmd: &[&str], ours: bool) -> Vec<String> {
        cmd.iter()
            .map(|c| {
                let mut s = c.to_string();
                for (p, o, t) in self.names.iter().rev() {
                    s = s.replace(p, if ours { o } else { t });
                }
                s
            })
            .collect()
    }
    /// Runs the command with osc on its objects and the reference on its own; both succeed.
    fn run(&self, cmd: &[&str]) {
        let o = self.args(cmd, true);
        let r = self.args(cmd, false);
        osc_ok(&a(&o.iter().map(String::as_str).collect::<Vec<_>>()));
        openstack_ok(&a(&r.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    /// `-f json` of the command: osc's on its object, the reference's on its own, masked.
    fn json(&self, cmd: &[&str]) -> (Value, Value) {
        let o = self.args(cmd, true);
        let r = self.args(cmd, false);
        let ov = osc_json(&a(&o.iter().map(String::as_str).collect::<Vec<_>>()));
        let rv = openstack_json(&a(&r.iter().map(String::as_str).collect::<Vec<_>>()));
        (self.masked(ov, true), self.masked(rv, false))
    }
    fn masked(&self, v: Value, ours: bool) -> Value {
        match v {
            // Neutron keeps no order of a subnet's allocation pools.
            Value::Object(mut m) if m.get("allocation_pools").is_some_and(Value::is_array) => {
                if let Some(Value::Array(pools)) = m.get_mut("allocation_pools") {
                    pools.sort_by_key(|p| p.to_string());
                }
                Value::Object(
                    m.into_iter()
                        .map(|(k, x)| (k, self.masked(x, ours)))
                        .collect(),
                )
            }
            Value::String(mut s) => {
                for (p, o, t) in &self.masks {
                    s = s.replace(if ours { o } else { t }, p);
                }
                Value::String(s)
            }
            Value::Array(a) => Value::Array(a.into_iter().map(|x| self.masked(x, ours)).collect()),
            Value::Object(m) => Value::Object(
                m.into_iter()
                    .map(|(k, x)| (k, self.masked(x, ours)))
                    .collect(),
            ),
            other => other,
        }
    }
    /// Both objects look alike after the same command.
    fn same(&self, show: &[&str]) {
        let (o, r) = self.json(show);
        assert_same_json(&o, &r, VOLATILE);
    }
    /// Runs the command on both, then compares the objects.
    fn step(&self, cmd: &[&str], show: &[&str]) {
        self.run(cmd);
        self.same(show);
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

/// Deletes when dropped, so a failed assertion leaves nothing behind.
struct Cleanup(Vec<Vec<String>>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for cmd in self.0.iter().rev() {
            let mut args = vec!["--os-cloud".to_string(), "devstack-admin".to_string()];
            args.extend(cmd.iter().cloned());
            let _ = osc(&args.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }
}

impl Cleanup {
    fn push(&mut self, cmd: &[&str]) {
        self.0.push(cmd.iter().map(|s| s.to_string()).collect());
    }
}

/// A network with one IPv4 subnet of `cidr`, created with the reference; (network, subnet) IDs.
fn network_with_subnet(clean: &mut Cleanup, name: &str, cidr: &str) -> (String, String) {
    let net = id(&openstack_json(&a(&["network", "create", name])));
    clean.push(&["network", "delete", &net]);
    let sub = id(&openstack_json(&a(&[
        "subnet",
        "create",
        name,
        "--network",
        &net,
        "--subnet-range",
        cidr,
    ])));
    clean.push(&["subnet", "delete", &sub]);
    (net, sub)
}

#[test]
fn port_commands() {
    require_cloud!();
    let mut clean = Cleanup(Vec::new());
    let mut t = Twins::new();
    let (on, osub) = network_with_subnet(&mut clean, &unique("osc-pnet"), "10.93.0.0/24");
    let (rn, rsub) = network_with_subnet(&mut clean, &unique("osc-pnet"), "10.93.0.0/24");
    t.name("@net", on.clone(), rn.clone());
    t.name("@sub", osub.clone(), rsub.clone());
    let sg = unique("osc-psg");
    let sg_id = id(&openstack_json(&a(&["security", "group", "create", &sg])));
    clean.push(&["security", "group", "delete", &sg_id]);
    let default_sg = openstack_json(&a(&["security", "group", "show", "default"]));
    let default_sg = id(&default_sg);

    let (op, rp) = (unique("osc-port"), unique("osc-port"));
    t.name("@port", op.clone(), rp.clone());
    let create = [
        "port",
        "create",
        "@port",
        "--network",
        "@net",
        "--fixed-ip",
        "subnet=@sub,ip-address=10.93.0.5",
        "--security-group",
        &sg,
        "--allowed-address",
        "ip-address=10.9.9.9",
        "--extra-dhcp-option",
        "name=mtu,value=1400",
        "--description",
        "made by osc",
        "--tag",
        "b",
        "--tag",
        "a",
    ];
    let (oc, rc) = t.json(&create);
    clean.push(&["port", "delete", oc["id"].as_str().unwrap()]);
    clean.push(&["port", "delete", rc["id"].as_str().unwrap()]);
    t.mask("@id", id(&oc), id(&rc));
    t.mask(
        "@mac",
        oc["mac_address"].as_str().unwrap().into(),
        rc["mac_address"].as_str().unwrap().into(),
    );
    let (oc, rc) = (t.masked(oc, true), t.masked(rc, false));
    assert_same_json(&oc, &rc, VOLATILE);
    assert_eq!(oc["tags"], serde_json::json!(["a", "b"]));
    assert_eq!(oc["security_group_ids"], serde_json::json!([sg_id]));

    // Show by name and by ID, with both clients on the same object.
    same_show(&["port", "show", &op]);
    same_show(&["port", "show", &id(&osc_json(&a(&["port", "show", &op])))]);

    let show = ["port", "show", "@port"];
    // Read-modify-write options append to what the port has; `--no-…` clears first.
    t.step(
        &[
            "port",
            "set",
            "@port",
            "--fixed-ip",
            "subnet=@sub,ip-address=10.93.0.7",
            "--security-group",
            "default",
            "--allowed-address",
            "ip-address=10.8.8.8,mac-address=fa:16:3e:00:00:01",
            "--tag",
            "c",
            "--name",
            "@port",
            "--description",
            "",
            "--disable",
        ],
        &show,
    );
    let (o, _) = t.json(&show);
    assert_eq!(o["security_group_ids"].as_array().unwrap().len(), 2);
    assert!(o["security_group_ids"]
        .as_array()
        .unwrap()
        .contains(&Value::String(default_sg.clone())));
    assert_eq!(o["fixed_ips"].as_array().unwrap().len(), 2);
    t.step(
        &[
            "port",
            "set",
            "@port",
            "--no-security-group",
            "--security-group",
            &sg,
            "--no-fixed-ip",
            "--fixed-ip",
            "ip-address=10.93.0.9",
            "--no-allowed-address",
            "--allowed-address",
            "ip-address=10.7.7.7",
            "--no-tag",
            "--tag",
            "z",
            "--enable",
            "--extra-dhcp-option",
            "name=ntp-server,value=10.0.0.1",
        ],
        &show,
    );
    t.step(
        &[
            "port",
            "set",
            "@port",
            "--no-security-group",
            "--no-allowed-address",
        ],
        &show,
    );
    t.step(
        &[
            "port",
            "set",
            "@port",
            "--security-group",
            "default",
            "--allowed-address",
            "ip-address=10.6.6.6,mac-address=fa:16:3e:00:00:02",
        ],
        &show,
    );
    // Unset removes members; what the port lacks is an error.
    t.step(
        &[
            "port",
            "unset",
            "@port",
            "--security-group",
            "default",
            "--allowed-address",
            "ip-address=10.6.6.6,mac-address=fa:16:3e:00:00:02",
            "--fixed-ip",
            "subnet=@sub,ip-address=10.93.0.9",
            "--tag",
            "z",
            "--device-owner",
            "--device",
        ],
        &show,
    );
    t.step(&["port", "set", "@port", "--tag", "y", "--tag", "x"], &show);
    t.step(&["port", "unset", "@port", "--all-tag"], &show);
    same_failure(&a(&["port", "unset", &op, "--security-group", &sg]));
    same_failure(&a(&[
        "port",
        "unset",
        &op,
        "--fixed-ip",
        "ip-address=10.93.0.99",
    ]));
    same_failure(&a(&[
        "port",
        "unset",
        &op,
        "--allowed-address",
        "ip-address=10.1.1.1",
    ]));

    // Lists with filters.
    same_list(&["port", "list", "--network", &on]);
    same_list(&["port", "list", "--network", &on, "--long"]);
    same_list(&["port", "list", "--fixed-ip", &format!("subnet={osub}")]);
    same_list(&["port", "list", "--fixed-ip", "ip-substring=10.93.0"]);
    same_list(&["port", "list", "--name", &op, "--long"]);
    same_list(&[
        "port",
        "list",
        "--network",
        &on,
        "--limit",
        "1",
        "--max-items",
        "1",
    ]);
    same_list(&["port", "list", "--network", &on, "--security-group", &sg_id]);

    // Lookups that fail.
    let missing = unique("osc-missing");
    same_failure(&a(&["port", "show", &missing]));
    same_failure(&a(&["port", "create", "x", "--network", &missing]));
    same_failure(&a(&["port", "list", "--network", &missing]));
    same_failure(&a(&[
        "port",
        "set",
        &op,
        "--fixed-ip",
        &format!("subnet={missing}"),
    ]));

    // `--binding-profile` needs the service role (Neutron's policy), which no devcloud
    // user has: its merge/clear/unset logic is covered by the unit tests.

    // Delete several, one missing: each failure reported, then the summary.
    let out = osc(&a(&["port", "delete", &op, &missing]));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "Failed to delete port with name or ID '{missing}': No Port found for {missing}"
        )),
        "{err}"
    );
    assert_eq!(err.lines().last(), Some("1 of 2 ports failed to delete."));
    let gone = osc(&a(&["port", "show", &op]));
    assert_eq!(gone.status.code(), Some(1));
}

#[test]
fn subnet_pool_commands() {
    require_cloud!();
    let mut clean = Cleanup(Vec::new());
    let mut t = Twins::new();
    let (o, r) = (unique("osc-pool"), unique("osc-pool"));
    t.name("@pool", o.clone(), r.clone());
    let (oc, rc) = t.json(&[
        "subnet",
        "pool",
        "create",
        "@pool",
        "--pool-prefix",
        "10.210.0.0/16",
        "--default-prefix-length",
        "24",
        "--min-prefix-length",
        "20",
        "--description",
        "made by osc",
        "--tag",
        "b",
        "--tag",
        "a",
    ]);
    clean.push(&["subnet", "pool", "delete", &id(&oc)]);
    clean.push(&["subnet", "pool", "delete", &id(&rc)]);
    t.mask("@id", id(&oc), id(&rc));
    assert_same_json(&t.masked(oc, true), &t.masked(rc, false), VOLATILE);
    same_show(&["subnet", "pool", "show", &o]);
    let pool_id = id(&osc_json(&a(&["subnet", "pool", "show", &o])));
    same_show(&["subnet", "pool", "show", &pool_id]);

    let show = ["subnet", "pool", "show", "@pool"];
    // --pool-prefix adds to the pool's prefixes.
    t.step(
        &[
            "subnet",
            "pool",
            "set",
            "@pool",
            "--pool-prefix",
            "10.211.0.0/16",
            "--pool-prefix",
            "10.212.0.0/16",
            "--tag",
            "c",
            "--max-prefix-length",
            "28",
            "--name",
            "@pool",
        ],
        &show,
    );
    let (shown, _) = t.json(&show);
    // Neutron merges adjacent prefixes (10.210/16 and 10.211/16 make 10.210/15).
    assert_eq!(
        shown["prefixes"],
        serde_json::json!(["10.210.0.0/15", "10.212.0.0/16"]),
        "{shown}"
    );
    t.step(
        &[
            "subnet",
            "pool",
            "set",
            "@pool",
            "--no-tag",
            "--tag",
            "z",
            "--description",
            "",
        ],
        &show,
    );
    t.step(&["subnet", "pool", "unset", "@pool", "--tag", "z"], &show);
    t.step(
        &["subnet", "pool", "set", "@pool", "--tag", "y", "--tag", "x"],
        &show,
    );
    t.step(&["subnet", "pool", "unset", "@pool", "--all-tag"], &show);
    // argparse's refusal (exit 2 with the usage there; osc's plugins report it as an error).
    let bad = osc(&a(&[
        "subnet",
        "pool",
        "set",
        &o,
        "--default-prefix-length",
        "-1",
    ]));
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains(
        "argument --default-prefix-length: --default-prefix-length expected a non-negative integer"
    ));

    same_list(&["subnet", "pool", "list", "--name", &o]);
    same_list(&["subnet", "pool", "list", "--name", &o, "--long"]);
    same_list(&[
        "subnet",
        "pool",
        "list",
        "--no-share",
        "--no-default",
        "--long",
        "--name",
        &r,
    ]);
    osc_ok(&a(&["subnet", "pool", "set", &o, "--tag", "osc-t"]));
    same_list(&["subnet", "pool", "list", "--tags", "osc-t", "--long"]);
    same_list(&["subnet", "pool", "list", "--any-tags", "osc-t,osc-u"]);
    same_list(&[
        "subnet",
        "pool",
        "list",
        "--not-tags",
        "osc-t",
        "--name",
        &o,
    ]);

    let missing = unique("osc-missing");
    same_failure(&a(&["subnet", "pool", "show", &missing]));
    same_failure(&a(&[
        "subnet",
        "pool",
        "set",
        &o,
        "--address-scope",
        &missing,
    ]));
    let out = osc(&a(&["subnet", "pool", "delete", &o, &missing]));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!(
        "Failed to delete subnet pool with name or ID '{missing}': No SubnetPool found for {missing}"
    )), "{err}");
    assert_eq!(
        err.lines().last(),
        Some("1 of 2 subnet pools failed to delete.")
    );
    assert_eq!(
        osc(&a(&["subnet", "pool", "show", &o])).status.code(),
        Some(1)
    );
}

/// The external network floating IPs come from (the devcloud's `public`).
fn external_network() -> Option<String> {
    let nets = openstack_json(&a(&["network", "list", "--external"]));
    nets.as_array()?
        .iter()
        .find(|n| n["Name"] == "public")
        .map(|n| n["ID"].as_str().unwrap().to_string())
}

#[test]
fn floating_ip_commands() {
    require_cloud!();
    let Some(public) = external_network() else {
        eprintln!("skipped: the devcloud has no external network 'public'");
        return;
    };
    let mut clean = Cleanup(Vec::new());
    // A port behind a router with a gateway on public, for the association.
    let (net, sub) = network_with_subnet(&mut clean, &unique("osc-fnet"), "10.94.0.0/24");
    let router = id(&openstack_json(&a(&[
        "router",
        "create",
        &unique("osc-frouter"),
    ])));
    clean.push(&["router", "delete", &router]);
    openstack_ok(&a(&[
        "router",
        "set",
        &router,
        "--external-gateway",
        &public,
    ]));
    openstack_ok(&a(&["router", "add", "subnet", &router, &sub]));
    clean.push(&["router", "remove", "subnet", &router, &sub]);
    let port = id(&openstack_json(&a(&[
        "port",
        "create",
        &unique("osc-fport"),
        "--network",
        &net,
    ])));
    clean.push(&["port", "delete", &port]);

    let fip = osc_json(&a(&[
        "floating",
        "ip",
        "create",
        "public",
        "--description",
        "made by osc",
        "--tag",
        "b",
        "--tag",
        "a",
    ]));
    let fid = id(&fip);
    clean.push(&["floating", "ip", "delete", &fid]);
    let addr = fip["floating_ip_address"].as_str().unwrap().to_string();
    assert_eq!(fip["name"], addr.as_str());
    assert_eq!(fip["tags"], serde_json::json!(["a", "b"]));
    assert_eq!(fip["floating_network_id"], public.as_str());
    // The tags were set after the POST: the revision moved on since, and Neutron shows
    // port_details as {} where the POST's answer had null.
    assert_same_json(
        &fip,
        &openstack_json(&a(&["floating", "ip", "show", &fid])),
        &["revision_number", "updated_at", "port_details"],
    );
    // Show by ID and by address.
    same_show(&["floating", "ip", "show", &fid]);
    same_show(&["floating", "ip", "show", &addr]);

    osc_ok(&a(&[
        "floating",
        "ip",
        "set",
        &fid,
        "--port",
        &port,
        "--description",
        "d2",
        "--tag",
        "c",
    ]));
    let shown = osc_json(&a(&["floating", "ip", "show", &addr]));
    assert_eq!(shown["port_id"], port.as_str());
    assert_eq!(shown["router_id"], router.as_str());
    assert_eq!(shown["description"], "d2");
    assert_eq!(shown["tags"], serde_json::json!(["a", "b", "c"]));
    same_show(&["floating", "ip", "show", &fid]);
    same_list(&["floating", "ip", "list", "--port", &port, "--long"]);
    same_list(&["floating", "ip", "list", "--router", &router]);
    same_list(&[
        "floating",
        "ip",
        "list",
        "--network",
        "public",
        "--floating-ip-address",
        &addr,
        "--long",
    ]);
    same_list(&["floating", "ip", "list", "--tags", "c", "--long"]);
    same_list(&[
        "floating",
        "ip",
        "list",
        "--fixed-ip-address",
        shown["fixed_ip_address"].as_str().unwrap(),
    ]);

    osc_ok(&a(&[
        "floating", "ip", "unset", &fid, "--port", "--tag", "a",
    ]));
    let shown = osc_json(&a(&["floating", "ip", "show", &fid]));
    assert_eq!(shown["port_id"], Value::Null);
    assert_eq!(shown["tags"], serde_json::json!(["b", "c"]));
    same_show(&["floating", "ip", "show", &fid]);
    osc_ok(&a(&[
        "floating", "ip", "set", &fid, "--no-tag", "--tag", "z",
    ]));
    assert_eq!(
        osc_json(&a(&["floating", "ip", "show", &fid]))["tags"],
        serde_json::json!(["z"])
    );
    osc_ok(&a(&["floating", "ip", "unset", &fid, "--all-tag"]));
    same_show(&["floating", "ip", "show", &fid]);

    let missing = unique("osc-missing");
    same_failure(&a(&["floating", "ip", "show", &missing]));
    same_failure(&a(&["floating", "ip", "create", &missing]));
    same_failure(&a(&["floating", "ip", "set", &fid, "--port", &missing]));
    same_failure(&a(&["floating", "ip", "list", "--router", &missing]));
    let out = osc(&a(&["floating", "ip", "delete", &addr, &missing]));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!(
        "Failed to delete floating IP with name or ID '{missing}': No FloatingIP found for {missing}"
    )), "{err}");
    assert_eq!(
        err.lines().last(),
        Some("1 of 2 floating IPs failed to delete.")
    );
    assert_eq!(
        osc(&a(&["floating", "ip", "show", &fid])).status.code(),
        Some(1)
    );
}

#[test]
fn network_commands() {
    require_cloud!();
    let mut clean = Cleanup(Vec::new());
    let mut t = Twins::new();
    let (o, r) = (unique("osc-net"), unique("osc-net"));
    t.name("@net", o.clone(), r.clone());
    let (oc, rc) = t.json(&[
        "network",
        "create",
        "@net",
        "--description",
        "made by osc",
        "--mtu",
        "1400",
        "--disable-port-security",
        "--tag",
        "b",
        "--tag",
        "a",
    ]);
    clean.push(&["network", "delete", &id(&oc)]);
    clean.push(&["network", "delete", &id(&rc)]);
    t.mask("@id", id(&oc), id(&rc));
    assert_same_json(&t.masked(oc, true), &t.masked(rc, false), VOLATILE);
    let net_id = id(&osc_json(&a(&["network", "show", &o])));
    same_show(&["network", "show", &o]);
    same_show(&["network", "show", &net_id]);
    if let Some(public) = external_network() {
        same_show(&["network", "show", &public]);
    }

    let show = ["network", "show", "@net"];
    t.step(
        &[
            "network",
            "set",
            "@net",
            "--name",
            "@net",
            "--description",
            "",
            "--mtu",
            "1300",
            "--enable-port-security",
            "--disable",
            "--tag",
            "c",
        ],
        &show,
    );
    t.step(
        &[
            "network", "set", "@net", "--enable", "--no-tag", "--tag", "z",
        ],
        &show,
    );
    t.step(&["network", "unset", "@net", "--tag", "z"], &show);
    t.step(
        &["network", "set", "@net", "--tag", "y", "--tag", "x"],
        &show,
    );
    t.step(&["network", "unset", "@net", "--all-tag"], &show);
    t.step(
        &[
            "network",
            "set",
            "@net",
            "--extra-property",
            "type=str,name=description,value=extra",
        ],
        &show,
    );
    // Neutron refuses a null description; both clients fail (their wording differs: OSC's
    // names the URL in openstacksdk's words).
    let (oc, _, rc, _) = failure(&a(&[
        "network",
        "unset",
        &o,
        "--extra-property",
        "name=description,value=x",
    ]));
    assert_eq!((oc, rc), (Some(1), Some(1)));

    same_list(&["network", "list", "--name", &o]);
    same_list(&["network", "list", "--name", &o, "--long"]);
    same_list(&["network", "list", "--external", "--long"]);
    same_list(&[
        "network",
        "list",
        "--internal",
        "--enable",
        "--no-share",
        "--name",
        &o,
    ]);
    same_list(&["network", "list", "--pvlan", "--name", &o]);
    osc_ok(&a(&["network", "set", &o, "--tag", "osc-nt"]));
    same_list(&["network", "list", "--tags", "osc-nt", "--long"]);
    same_list(&["network", "list", "--not-any-tags", "osc-nt", "--name", &o]);

    let missing = unique("osc-missing");
    same_failure(&a(&["network", "show", &missing]));
    same_failure(&a(&["network", "set", &missing, "--description", "x"]));
    same_failure(&a(&[
        "network",
        "create",
        &missing,
        "--disable-port-security",
        "--pvlan",
    ]));
    same_failure(&a(&[
        "network",
        "create",
        &missing,
        "--provider-segment",
        "3",
    ]));
    let out = osc(&a(&["network", "delete", &o, &missing]));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "Failed to delete network with name or ID '{missing}': No Network found for {missing}"
        )),
        "{err}"
    );
    assert_eq!(
        err.lines().last(),
        Some("1 of 2 networks failed to delete.")
    );
    let gone = osc(&a(&["network", "show", &o]));
    assert_eq!(gone.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&gone.stderr).trim(),
        format!("No Network found for {o}")
    );
}

#[test]
fn subnet_commands() {
    require_cloud!();
    let mut clean = Cleanup(Vec::new());
    let mut t = Twins::new();
    let (on, rn) = (unique("osc-snet"), unique("osc-snet"));
    let onet = id(&openstack_json(&a(&["network", "create", &on])));
    clean.push(&["network", "delete", &onet]);
    let rnet = id(&openstack_json(&a(&["network", "create", &rn])));
    clean.push(&["network", "delete", &rnet]);
    t.name("@net", on.clone(), rn.clone());
    t.mask("@netid", onet.clone(), rnet.clone());
    let (o, r) = (unique("osc-sub"), unique("osc-sub"));
    t.name("@sub", o.clone(), r.clone());
    let (oc, rc) = t.json(&[
        "subnet",
        "create",
        "@sub",
        "--network",
        "@net",
        "--subnet-range",
        "10.96.0.0/24",
        "--allocation-pool",
        "start=10.96.0.10,end=10.96.0.20",
        "--dns-nameserver",
        "10.0.0.9",
        "--dns-nameserver",
        "10.0.0.3",
        "--host-route",
        "destination=10.50.0.0/16,gateway=10.96.0.1",
        "--service-type",
        "network:foo",
        "--description",
        "made by osc",
        "--tag",
        "b",
        "--tag",
        "a",
    ]);
    clean.push(&["subnet", "delete", &id(&oc)]);
    clean.push(&["subnet", "delete", &id(&rc)]);
    t.mask("@id", id(&oc), id(&rc));
    assert_same_json(&t.masked(oc, true), &t.masked(rc, false), VOLATILE);
    let sub_id = id(&osc_json(&a(&["subnet", "show", &o])));
    same_show(&["subnet", "show", &o]);
    same_show(&["subnet", "show", &sub_id]);

    let show = ["subnet", "show", "@sub"];
    // Each list option adds to what the subnet has.
    t.step(
        &[
            "subnet",
            "set",
            "@sub",
            "--allocation-pool",
            "start=10.96.0.30,end=10.96.0.40",
            "--dns-nameserver",
            "10.0.0.4",
            "--host-route",
            "destination=10.60.0.0/16,gateway=10.96.0.2",
            "--service-type",
            "network:bar",
            "--tag",
            "c",
            "--name",
            "@sub",
            "--description",
            "",
            "--no-dhcp",
            "--gateway",
            "10.96.0.254",
        ],
        &show,
    );
    let (s, _) = t.json(&show);
    assert_eq!(s["allocation_pools"].as_array().unwrap().len(), 2, "{s}");
    assert_eq!(s["dns_nameservers"].as_array().unwrap().len(), 3, "{s}");
    assert_eq!(s["host_routes"].as_array().unwrap().len(), 2, "{s}");
    assert_eq!(s["service_types"].as_array().unwrap().len(), 2, "{s}");
    // `--no-…` with new members replaces; alone it empties.
    t.step(
        &[
            "subnet",
            "set",
            "@sub",
            "--no-allocation-pool",
            "--allocation-pool",
            "start=10.96.0.50,end=10.96.0.60",
            "--no-dns-nameservers",
            "--dns-nameserver",
            "10.0.0.5",
            "--no-host-route",
            "--host-route",
            "destination=10.70.0.0/16,gateway=10.96.0.3",
            "--dhcp",
            "--no-tag",
            "--tag",
            "z",
        ],
        &show,
    );
    t.step(
        &[
            "subnet",
            "set",
            "@sub",
            "--no-dns-nameservers",
            "--no-host-route",
        ],
        &show,
    );
    t.step(
        &[
            "subnet",
            "set",
            "@sub",
            "--dns-nameserver",
            "10.0.0.6",
            "--dns-nameserver",
            "10.0.0.7",
            "--host-route",
            "destination=10.80.0.0/16,gateway=10.96.0.4",
            "--host-route",
            "destination=10.90.0.0/16,gateway=10.96.0.5",
        ],
        &show,
    );
    // Unset removes members; what the subnet lacks is an error.
    t.step(
        &[
            "subnet",
            "unset",
            "@sub",
            "--dns-nameserver",
            "10.0.0.6",
            "--host-route",
            "destination=10.80.0.0/16,gateway=10.96.0.4",
            "--allocation-pool",
            "start=10.96.0.50,end=10.96.0.60",
            "--service-type",
            "network:bar",
            "--gateway",
            "--tag",
            "z",
        ],
        &show,
    );
    same_failure(&a(&["subnet", "unset", &o, "--dns-nameserver", "10.9.9.9"]));
    same_failure(&a(&[
        "subnet",
        "unset",
        &o,
        "--host-route",
        "destination=10.1.0.0/16,gateway=10.96.0.9",
    ]));
    same_failure(&a(&[
        "subnet",
        "unset",
        &o,
        "--allocation-pool",
        "start=10.96.0.1,end=10.96.0.2",
    ]));
    same_failure(&a(&[
        "subnet",
        "unset",
        &o,
        "--service-type",
        "network:nope",
    ]));
    same_failure(&a(&["subnet", "set", &o, "--gateway", "auto"]));

    same_list(&["subnet", "list", "--network", &on]);
    same_list(&["subnet", "list", "--network", &onet, "--long"]);
    same_list(&[
        "subnet",
        "list",
        "--name",
        &o,
        "--no-dhcp",
        "--ip-version",
        "4",
        "--long",
    ]);
    same_list(&[
        "subnet",
        "list",
        "--subnet-range",
        "10.96.0.0/24",
        "--name",
        &o,
    ]);
    same_list(&[
        "subnet",
        "list",
        "--service-type",
        "network:foo",
        "--network",
        &on,
    ]);
    osc_ok(&a(&["subnet", "set", &o, "--tag", "osc-st"]));
    same_list(&["subnet", "list", "--tags", "osc-st", "--long"]);

    let missing = unique("osc-missing");
    same_failure(&a(&["subnet", "show", &missing]));
    same_failure(&a(&[
        "subnet",
        "create",
        "x",
        "--network",
        &missing,
        "--subnet-range",
        "10.97.0.0/24",
    ]));
    same_failure(&a(&["subnet", "list", "--network", &missing]));
    let out = osc(&a(&["subnet", "delete", &o, &missing]));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "Failed to delete subnet with name or ID '{missing}': No Subnet found for {missing}"
        )),
        "{err}"
    );
    assert_eq!(err.lines().last(), Some("1 of 2 subnets failed to delete."));
    assert_eq!(osc(&a(&["subnet", "show", &o])).status.code(), Some(1));
}

#[test]
fn router_commands() {
    require_cloud!();
    let mut clean = Cleanup(Vec::new());
    let mut t = Twins::new();
    let (onet, osub) = network_with_subnet(&mut clean, &unique("osc-rnet"), "10.98.0.0/24");
    let (rnet, rsub) = network_with_subnet(&mut clean, &unique("osc-rnet"), "10.98.0.0/24");
    t.name("@sub", osub.clone(), rsub.clone());
    t.mask("@netid", onet.clone(), rnet.clone());
    let (o, r) = (unique("osc-router"), unique("osc-router"));
    t.name("@router", o.clone(), r.clone());
    let (oc, rc) = t.json(&[
        "router",
        "create",
        "@router",
        "--description",
        "made by osc",
        "--tag",
        "b",
        "--tag",
        "a",
    ]);
    clean.push(&["router", "delete", &id(&oc)]);
    clean.push(&["router", "delete", &id(&rc)]);
    t.mask("@id", id(&oc), id(&rc));
    assert_same_json(&t.masked(oc, true), &t.masked(rc, false), VOLATILE);
    let router_id = id(&osc_json(&a(&["router", "show", &o])));
    same_show(&["router", "show", &o]);
    same_show(&["router", "show", &router_id]);

    let show = ["router", "show", "@router"];
    t.run(&["router", "add", "subnet", "@router", "@sub"]);
    clean.push(&["router", "remove", "subnet", &o, &osub]);
    clean.push(&["router", "remove", "subnet", &r, &rsub]);
    // Routes through the subnet keep its interface: they go first.
    clean.push(&["router", "set", &o, "--no-route"]);
    clean.push(&["router", "set", &r, "--no-route"]);
    let (s, rs) = t.json(&show);
    assert_eq!(s["interfaces_info"][0]["ip_address"], "10.98.0.1", "{s}");
    let port_of = |v: &Value| {
        v["interfaces_info"][0]["port_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    t.mask("@ifport", port_of(&s), port_of(&rs));
    same_show(&["router", "show", &o]);
    // --route adds to the routes; --no-route clears first.
    t.step(
        &[
            "router",
            "set",
            "@router",
            "--route",
            "destination=10.99.0.0/24,gateway=10.98.0.50",
            "--route",
            "destination=10.99.1.0/24,gateway=10.98.0.51",
            "--name",
            "@router",
            "--description",
            "",
            "--tag",
            "c",
        ],
        &show,
    );
    t.step(
        &[
            "router",
            "set",
            "@router",
            "--route",
            "destination=10.99.2.0/24,gateway=10.98.0.52",
        ],
        &show,
    );
    let (s, _) = t.json(&show);
    assert_eq!(s["routes"].as_array().unwrap().len(), 3, "{s}");
    t.step(
        &[
            "router",
            "set",
            "@router",
            "--no-route",
            "--route",
            "destination=10.99.3.0/24,gateway=10.98.0.53",
            "--no-tag",
            "--tag",
            "z",
        ],
        &show,
    );
    t.step(
        &[
            "router",
            "unset",
            "@router",
            "--route",
            "destination=10.99.3.0/24,gateway=10.98.0.53",
            "--tag",
            "z",
        ],
        &show,
    );
    same_failure(&a(&[
        "router",
        "unset",
        &o,
        "--route",
        "destination=10.99.3.0/24,gateway=10.98.0.53",
    ]));
    let (oa, ra) = t.json(&[
        "router",
        "add",
        "route",
        "@router",
        "--route",
        "destination=10.99.4.0/24,gateway=10.98.0.54",
    ]);
    assert_same_json(&oa, &ra, VOLATILE);
    let (orm, rrm) = t.json(&[
        "router",
        "remove",
        "route",
        "@router",
        "--route",
        "destination=10.99.4.0/24,gateway=10.98.0.54",
    ]);
    assert_same_json(&orm, &rrm, VOLATILE);
    t.step(&["router", "set", "@router", "--no-route"], &show);
    // One interface per IPv4 subnet: the subnet's goes before its port comes.
    osc_ok(&a(&["router", "remove", "subnet", &o, &osub]));
    assert!(openstack(&a(&["router", "remove", "subnet", &r, &rsub]))
        .status
        .success());

    // Ports as interfaces.
    let (op, rp) = (unique("osc-rport"), unique("osc-rport"));
    let opid = id(&openstack_json(&a(&[
        "port",
        "create",
        &op,
        "--network",
        &onet,
        "--fixed-ip",
        &format!("subnet={osub},ip-address=10.98.0.77"),
    ])));
    clean.push(&["port", "delete", &opid]);
    let rpid = id(&openstack_json(&a(&[
        "port",
        "create",
        &rp,
        "--network",
        &rnet,
        "--fixed-ip",
        &format!("subnet={rsub},ip-address=10.98.0.77"),
    ])));
    clean.push(&["port", "delete", &rpid]);
    t.name("@port", op.clone(), rp.clone());
    t.mask("@portid", opid, rpid);
    t.step(&["router", "add", "port", "@router", "@port"], &show);
    t.step(&["router", "remove", "port", "@router", "@port"], &show);

    // The external gateway.
    if let Some(public) = external_network() {
        t.run(&["router", "set", "@router", "--external-gateway", &public]);
        // The gateway's addresses are Neutron's picks: each client's stand for the other's.
        let (og, rg) = t.json(&show);
        let ips = |v: &Value| -> Vec<String> {
            v["external_gateway_info"]["external_fixed_ips"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|ip| ip["ip_address"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        for (n, (oip, rip)) in ips(&og).into_iter().zip(ips(&rg)).enumerate() {
            t.mask(&format!("@gwip{n}"), oip, rip);
        }
        t.same(&show);
        same_show(&["router", "show", &o]);
        same_list(&["router", "list", "--name", &o, "--long"]);
        same_failure(&a(&["router", "unset", &o, "--qos-policy"]));
        t.step(&["router", "unset", "@router", "--external-gateway"], &show);
    }
    if !has_extension("external-gateway-multihoming") {
        same_failure(&a(&["router", "add", "gateway", &o, "public"]));
        same_failure(&a(&["router", "remove", "gateway", &o, "public"]));
    }
    same_failure(&a(&["router", "set", &o, "--disable-snat"]));
    same_failure(&a(&[
        "router",
        "set",
        &o,
        "--external-gateway",
        "public",
        "--fixed-ip",
        &format!("subnet={osub}"),
    ]));

    same_list(&["router", "list", "--name", &o]);
    same_list(&["router", "list", "--name", &o, "--long"]);
    same_list(&["router", "list", "--enable", "--name", &o]);
    osc_ok(&a(&["router", "set", &o, "--tag", "osc-rt"]));
    same_list(&["router", "list", "--tags", "osc-rt", "--long"]);

    let missing = unique("osc-missing");
    same_failure(&a(&["router", "show", &missing]));
    same_failure(&a(&["router", "add", "subnet", &o, &missing]));
    same_failure(&a(&["router", "add", "port", &missing, &op]));
    let out = osc(&a(&["router", "delete", &o, &missing]));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "Failed to delete router with name or ID '{missing}': No Router found for {missing}"
        )),
        "{err}"
    );
    assert_eq!(err.lines().last(), Some("1 of 2 routers failed to delete."));
    assert_eq!(osc(&a(&["router", "show", &o])).status.code(), Some(1));
}
