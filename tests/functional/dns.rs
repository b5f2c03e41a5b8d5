//! Functional tests of the dns plugin against the devcloud's Designate (and its BIND),
//! compared with python-designateclient's `-f json` output through python-openstackclient.
//! Skipped when the devcloud runs no Designate (`devcloud/up --layers all` starts it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use std::net::UdpSocket;
use std::time::{Duration, Instant};

const DEMO: &[&str] = &["--os-cloud", "devstack"];
const ALT: &[&str] = &["--os-cloud", "devstack-alt"];
/// The devcloud's BIND (devcloud/README.md).
const BIND: &str = "127.0.0.1:1053";

fn a<'a>(cloud: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = cloud.to_vec();
    v.extend_from_slice(rest);
    v
}

fn designate() -> bool {
    let cat = osc_json(&a(DEMO, &["catalog", "list"]));
    let found = cat
        .as_array()
        .is_some_and(|s| s.iter().any(|e| e["Type"] == "dns"));
    if !found {
        eprintln!("SKIP: the devcloud runs no Designate (start it with devcloud/up --layers all)");
    }
    found
}

/// Shows `what` until `field` is one of `done` (Designate works asynchronously).
fn until(cmd: &[&str], field: &str, done: &[&str]) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let v = osc_json(cmd);
        let s = v[field].as_str().unwrap_or("").to_string();
        if done.contains(&s.as_str()) {
            return v;
        }
        assert!(s != "ERROR", "{} went to ERROR: {v}", cmd.join(" "));
        assert!(
            Instant::now() < deadline,
            "{} still {s}: {v}",
            cmd.join(" ")
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// Deletes the zone (by the cloud that owns it) when the test ends.
struct Zone(&'static [&'static str], String);

impl Drop for Zone {
    fn drop(&mut self) {
        let _ = osc(&a(self.0, &["zone", "delete", &self.1]));
    }
}

/// One DNS query over UDP; true when the answer holds an A record with `addr`.
fn resolves(name: &str, addr: [u8; 4]) -> bool {
    let mut q = vec![0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    for label in name.trim_end_matches('.').split('.') {
        q.push(label.len() as u8);
        q.extend_from_slice(label.as_bytes());
    }
    q.extend_from_slice(&[0, 0, 1, 0, 1]);
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    sock.send_to(&q, BIND).unwrap();
    let mut buf = [0u8; 512];
    let Ok(n) = sock.recv(&mut buf) else {
        return false;
    };
    let r = &buf[..n];
    let rcode = r[3] & 0x0f;
    let answers = u16::from_be_bytes([r[6], r[7]]);
    rcode == 0 && answers > 0 && r.windows(6).any(|w| w[..2] == [0, 4] && w[2..] == addr)
}

fn fails_in_one_line(args: &[&str]) -> String {
    let out = osc(args);
    assert!(!out.status.success(), "{} succeeded", args.join(" "));
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(err.lines().count(), 1, "{}: {err}", args.join(" "));
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn zone_recordset_dns_answer_export_import_transfer() {
    require_cloud!();
    if !designate() {
        return;
    }
    let zone = format!("{}.example.", unique("osc-zone"));
    let bare = zone.trim_end_matches('.').to_string();
    // Created without the final dot, as users type it.
    let created = osc_json(&a(
        DEMO,
        &[
            "zone",
            "create",
            &bare,
            "--email",
            "admin@example.org",
            "--ttl",
            "300",
        ],
    ));
    assert_eq!(created["name"], zone.as_str());
    let guard = Zone(DEMO, created["id"].as_str().unwrap().to_string());
    let shown = until(&a(DEMO, &["zone", "show", &bare]), "status", &["ACTIVE"]);
    let reference = openstack_json(&a(DEMO, &["zone", "show", &guard.1]));
    assert_same_json(&shown, &reference, &[]);

    // An A recordset, named within the zone, answering from BIND.
    let rs = osc_json(&a(
        DEMO,
        &[
            "recordset",
            "create",
            &bare,
            "www",
            "--type",
            "A",
            "--record",
            "192.0.2.10",
        ],
    ));
    assert_eq!(rs["name"], format!("www.{zone}").as_str());
    let www = format!("www.{zone}");
    let rs = until(
        &a(DEMO, &["recordset", "show", &zone, &www]),
        "status",
        &["ACTIVE"],
    );
    let reference = openstack_json(&a(
        DEMO,
        &["recordset", "show", &zone, rs["id"].as_str().unwrap()],
    ));
    assert_same_json(&rs, &reference, &[]);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !resolves(&www, [192, 0, 2, 10]) {
        assert!(Instant::now() < deadline, "BIND never answered {www}");
        std::thread::sleep(Duration::from_millis(500));
    }
    let ours = osc_json(&a(DEMO, &["recordset", "list", &zone]));
    let reference = openstack_json(&a(DEMO, &["recordset", "list", &zone]));
    assert_same_json(&ours, &reference, &[]);

    // A recordset type Designate rejects, a name that is not a DNS name.
    fails_in_one_line(&a(
        DEMO,
        &[
            "recordset",
            "create",
            &zone,
            "bad",
            "--type",
            "BOGUS",
            "--record",
            "x",
        ],
    ));
    fails_in_one_line(&a(
        DEMO,
        &[
            "zone",
            "create",
            "not a dns name",
            "--email",
            "a@example.org",
        ],
    ));

    // Export, delete, import it back.
    let export = osc_json(&a(DEMO, &["zone", "export", "create", &zone]));
    let eid = export["id"].as_str().unwrap().to_string();
    until(
        &a(DEMO, &["zone", "export", "show", &eid]),
        "status",
        &["COMPLETE"],
    );
    let file = osc_json(&a(DEMO, &["zone", "export", "showfile", &eid]));
    let text = file["data"].as_str().unwrap().to_string();
    assert!(text.contains("192.0.2.10"), "{text}");
    osc_ok(&a(DEMO, &["zone", "export", "delete", &eid]));
    osc_ok(&a(DEMO, &["zone", "delete", &zone]));
    let deadline = Instant::now() + Duration::from_secs(120);
    while osc(&a(DEMO, &["zone", "show", &guard.1])).status.success() {
        assert!(Instant::now() < deadline, "zone never went away");
        std::thread::sleep(Duration::from_millis(500));
    }
    let path = std::env::temp_dir().join(format!("{}.zone", unique("osc-dns")));
    std::fs::write(&path, &text).unwrap();
    let imp = osc_json(&a(
        DEMO,
        &["zone", "import", "create", path.to_str().unwrap()],
    ));
    let iid = imp["id"].as_str().unwrap().to_string();
    let imp = until(
        &a(DEMO, &["zone", "import", "show", &iid]),
        "status",
        &["COMPLETE"],
    );
    let guard = Zone(DEMO, imp["zone_id"].as_str().unwrap().to_string());
    until(&a(DEMO, &["zone", "show", &guard.1]), "status", &["ACTIVE"]);
    let rs = osc_json(&a(DEMO, &["recordset", "show", &zone, &www]));
    assert_eq!(rs["records"], "192.0.2.10");
    osc_ok(&a(DEMO, &["zone", "import", "delete", &iid]));
    // A file that is not a zone file.
    std::fs::write(&path, "this is not a zone file\n").unwrap();
    let out = osc(&a(
        DEMO,
        &[
            "zone",
            "import",
            "create",
            path.to_str().unwrap(),
            "-f",
            "json",
        ],
    ));
    if out.status.success() {
        // Designate accepts the upload and fails the import: it must end in ERROR.
        let imp: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let iid = imp["id"].as_str().unwrap().to_string();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let v = osc_json(&a(DEMO, &["zone", "import", "show", &iid]));
            if v["status"] == "ERROR" {
                break;
            }
            assert_ne!(v["status"], "COMPLETE", "a text file imported: {v}");
            assert!(Instant::now() < deadline, "import still {v}");
            std::thread::sleep(Duration::from_millis(500));
        }
        osc_ok(&a(DEMO, &["zone", "import", "delete", &iid]));
    } else {
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    std::fs::remove_file(&path).unwrap();

    // Transfer to alt_demo.
    let alt_project = osc_json(&a(ALT, &["token", "issue"]))["project_id"]
        .as_str()
        .unwrap()
        .to_string();
    let req = osc_json(&a(
        DEMO,
        &[
            "zone",
            "transfer",
            "request",
            "create",
            &zone,
            "--target-project-id",
            &alt_project,
        ],
    ));
    let reference = openstack_json(&a(
        DEMO,
        &[
            "zone",
            "transfer",
            "request",
            "show",
            req["id"].as_str().unwrap(),
        ],
    ));
    assert_same_json(&req, &reference, &["links"]);
    let acc = osc_json(&a(
        ALT,
        &[
            "zone",
            "transfer",
            "accept",
            "request",
            "--transfer-id",
            req["id"].as_str().unwrap(),
            "--key",
            req["key"].as_str().unwrap(),
        ],
    ));
    assert_eq!(acc["zone_id"], guard.1.as_str());
    let guard = Zone(ALT, guard.1.clone());
    until(&a(ALT, &["zone", "show", &guard.1]), "status", &["ACTIVE"]);
    drop(guard);
}

#[test]
fn tld_tsigkey_services_and_quotas_match_the_reference() {
    require_cloud!();
    if !designate() {
        return;
    }
    let admin = &["--os-cloud", "devstack-admin"];
    let ours = osc_json(&a(admin, &["dns", "service", "list"]));
    let reference = openstack_json(&a(admin, &["dns", "service", "list"]));
    assert_same_json(
        &ours,
        &reference,
        &["stats", "capabilities", "heartbeated_at", "updated_at"],
    );
    let ours = osc_json(&a(DEMO, &["dns", "quota", "list"]));
    let reference = openstack_json(&a(DEMO, &["dns", "quota", "list"]));
    assert_same_json(&ours, &reference, &[]);
    let key = unique("osckey");
    let created = osc_json(&a(
        admin,
        &[
            "tsigkey",
            "create",
            "--name",
            &key,
            "--algorithm",
            "hmac-sha256",
            "--secret",
            "c2VjcmV0",
            "--scope",
            "POOL",
            "--resource-id",
            "794ccc2c-d751-44fe-b57f-8894c9f5c842",
        ],
    ));
    let reference = openstack_json(&a(admin, &["tsigkey", "show", &key]));
    osc_ok(&a(admin, &["tsigkey", "delete", &key]));
    assert_same_json(&created, &reference, &[]);
}
