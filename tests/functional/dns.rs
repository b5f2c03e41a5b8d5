//! Functional tests of the dns plugin against the devcloud's Designate (and its BIND),
//! compared with python-designateclient's `-f json` output through python-openstackclient.
//! Skipped when the devcloud runs no Designate (`devcloud/up --layers all` starts it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use serde_json::Value;
use std::net::UdpSocket;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

const DEMO: &[&str] = &["--os-cloud", "devstack"];
const ALT: &[&str] = &["--os-cloud", "devstack-alt"];
const ADMIN: &[&str] = &["--os-cloud", "devstack-admin"];
/// The devcloud's BIND (devcloud/README.md).
const BIND: &str = "127.0.0.1:1053";

fn a<'a>(cloud: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = cloud.to_vec();
    v.extend_from_slice(rest);
    v
}

/// While a TLD exists Designate accepts only zones below one: the tests of this process that
/// make zones hold this shared, the one that makes a TLD holds it alone.
static ZONES: RwLock<()> = RwLock::new(());

fn making_zones() -> RwLockReadGuard<'static, ()> {
    ZONES.read().unwrap_or_else(|e| e.into_inner())
}

fn making_a_tld() -> RwLockWriteGuard<'static, ()> {
    ZONES.write().unwrap_or_else(|e| e.into_inner())
}

/// Shows `what` until `field` is one of `done` (Designate works asynchronously).
fn until(cmd: &[&str], field: &str, done: &[&str]) -> Value {
    let mut last = Value::Null;
    let reached = poll(Duration::from_secs(120), || {
        last = osc_json(cmd);
        let s = last[field].as_str().unwrap_or("");
        assert!(s != "ERROR", "{} went to ERROR: {last}", cmd.join(" "));
        done.contains(&s).then(|| last.clone())
    });
    reached.unwrap_or_else(|| panic!("{} still {}: {last}", cmd.join(" "), last[field]))
}

/// Deletes the zone (by the cloud that owns it) when the test ends.
struct Zone(&'static [&'static str], String);

impl Drop for Zone {
    fn drop(&mut self) {
        let _ = osc(&a(self.0, &["zone", "delete", &self.1]));
    }
}

/// A name in DNS wire format.
fn wire_name(name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for label in name.trim_end_matches('.').split('.') {
        out.push(label.len() as u8);
        out.extend_from_slice(label.as_bytes());
    }
    out.push(0);
    out
}

/// One DNS query over UDP to BIND; true when the answer has a record of `qtype` whose data
/// holds `rdata` (for PTR the target name, which BIND does not compress: it shares no suffix
/// with the in-addr.arpa question).
fn answers(name: &str, qtype: u16, rdata: &[u8]) -> bool {
    let mut q = vec![0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    q.extend(wire_name(name));
    q.extend_from_slice(&qtype.to_be_bytes());
    q.extend_from_slice(&[0, 1]);
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    sock.send_to(&q, BIND).unwrap();
    let mut buf = [0u8; 1024];
    let Ok(n) = sock.recv(&mut buf) else {
        return false;
    };
    let r = &buf[..n];
    let rcode = r[3] & 0x0f;
    let count = u16::from_be_bytes([r[6], r[7]]);
    rcode == 0 && count > 0 && r[q.len()..].windows(rdata.len()).any(|w| w == rdata)
}

/// Waits for BIND to answer `name` with `rdata`.
fn until_answered(name: &str, qtype: u16, rdata: &[u8]) {
    let answered = poll(Duration::from_secs(90), || {
        answers(name, qtype, rdata).then_some(())
    });
    assert!(answered.is_some(), "BIND never answered {name}");
}

/// A listing by both clients, restricted to the rows whose `key` is `value` (other tests'
/// objects come and go between the two reads), compared.
fn same_rows(args: &[&str], key: &str, value: &str, ignore: &[&str]) -> Value {
    let ours = rows_with(&osc_json(args), key, value);
    let theirs = rows_with(&openstack_json(args), key, value);
    assert_eq!(ours.as_array().unwrap().len(), 1, "{ours}");
    assert_same_json(&ours, &theirs, ignore);
    ours
}

/// Both clients' `-f json` of the same object, compared in field order too.
fn same_in_order(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["-f", "json"]);
    let ours = osc_ok(&a);
    assert_eq!(ours, openstack_ok(&a));
    serde_json::from_str(&ours).unwrap()
}

#[test]
fn zone_recordset_dns_answer_export_import_transfer() {
    require_cloud!();
    if !in_catalog("dns") {
        return;
    }
    let _zones = making_zones();
    let zone = format!("{}.example.", unique("osc-zone"));
    let bare = zone.trim_end_matches('.').to_string();
    // Created without the final dot, as users type it, and waited for by polling to ACTIVE.
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
            "--description",
            "made by osc",
        ],
    ));
    assert_eq!(created["name"], zone.as_str());
    assert_eq!(created["status"], "PENDING");
    let guard = Zone(DEMO, created["id"].as_str().unwrap().to_string());
    let shown = until(&a(DEMO, &["zone", "show", &bare]), "status", &["ACTIVE"]);
    let reference = openstack_json(&a(DEMO, &["zone", "show", &guard.1]));
    assert_same_json(&shown, &reference, &[]);
    same_rows(
        &a(DEMO, &["zone", "list", "--name", &zone, "--long"]),
        "id",
        &guard.1,
        &[],
    );
    let ns = a(DEMO, &["zone", "nameservers", "list", &zone]);
    assert_same_json(&osc_json(&ns), &openstack_json(&ns), &[]);
    let set = osc_json(&a(
        DEMO,
        &["zone", "set", &zone, "--ttl", "600", "--no-description"],
    ));
    assert_eq!(set["ttl"], 600);
    assert_eq!(set["description"], Value::Null);
    let shown = until(&a(DEMO, &["zone", "show", &zone]), "status", &["ACTIVE"]);
    assert_same_json(
        &shown,
        &openstack_json(&a(DEMO, &["zone", "show", &zone])),
        &[],
    );

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
    let www = format!("www.{zone}");
    assert_eq!(rs["name"], www.as_str());
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
    until_answered(&www, 1, &[0, 4, 192, 0, 2, 10]);
    // An MX recordset changed: records, TTL and description, and the change served.
    let mx = osc_json(&a(
        DEMO,
        &[
            "recordset",
            "create",
            &zone,
            &format!("mx.{zone}"),
            "--type",
            "MX",
            "--record",
            "10 mail.example.org.",
            "--ttl",
            "600",
        ],
    ));
    let mx_id = mx["id"].as_str().unwrap().to_string();
    until(
        &a(DEMO, &["recordset", "show", &zone, &mx_id]),
        "status",
        &["ACTIVE"],
    );
    let changed = osc_json(&a(
        DEMO,
        &[
            "recordset",
            "set",
            &zone,
            &mx_id,
            "--record",
            "20 mail2.example.org.",
            "--ttl",
            "900",
            "--description",
            "moved",
        ],
    ));
    assert_eq!(changed["records"], "20 mail2.example.org.");
    assert_eq!(changed["action"], "UPDATE");
    let rs = until(
        &a(DEMO, &["recordset", "show", &zone, &mx_id]),
        "status",
        &["ACTIVE"],
    );
    assert_eq!(rs["ttl"], 900);
    let mut mx_data = vec![0, 20];
    mx_data.extend(wire_name("mail2.example.org."));
    until_answered(&format!("mx.{zone}"), 15, &mx_data);
    for list in [
        a(DEMO, &["recordset", "list", &zone]),
        a(DEMO, &["recordset", "list", &zone, "--long"]),
        a(DEMO, &["recordset", "list", &zone, "--type", "MX"]),
    ] {
        let ours = osc_json(&list);
        assert_same_json(&ours, &openstack_json(&list), &[]);
    }
    same_rows(
        &a(DEMO, &["recordset", "list", "all", "--name", &www]),
        "name",
        &www,
        &[],
    );
    let deleted = osc_json(&a(DEMO, &["recordset", "delete", &zone, &mx_id]));
    assert_eq!(deleted["action"], "DELETE");

    // A recordset type Designate rejects, a name that is not a DNS name: one line each.
    same_outcome(
        &a(
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
        ),
        &[],
    );
    // osc qualifies a zone name given without its final dot (designateclient sends it as
    // typed, and Designate refuses it for the missing dot): the refusal of a name that is not
    // a DNS name is compared with the dot given.
    let err = fails_in_one_line(&a(
        DEMO,
        &[
            "zone",
            "create",
            "not a dns name",
            "--email",
            "a@example.org",
        ],
    ));
    assert!(err.contains("is invalid"), "{err}");
    same_outcome(
        &a(
            DEMO,
            &[
                "zone",
                "create",
                "not a dns name.",
                "--email",
                "a@example.org",
            ],
        ),
        &[],
    );

    // Shared with alt_demo, who then sees it; the share in the service's field order.
    let alt_project = osc_json(&a(ALT, &["token", "issue"]))["project_id"]
        .as_str()
        .unwrap()
        .to_string();
    let share = osc_json(&a(DEMO, &["zone", "share", "create", &zone, &alt_project]));
    let share_id = share["id"].as_str().unwrap().to_string();
    same_in_order(&a(DEMO, &["zone", "share", "show", &zone, &share_id]));
    same_rows(
        &a(DEMO, &["zone", "share", "list", &zone]),
        "id",
        &share_id,
        &[],
    );
    let seen = osc_json(&a(ALT, &["zone", "show", &guard.1]));
    assert_eq!(seen["name"], zone.as_str());
    osc_ok(&a(DEMO, &["zone", "share", "delete", &zone, &share_id]));
    same_outcome(&a(ALT, &["zone", "show", &guard.1]), &[]);

    // Export, delete, import it back.
    let export = osc_json(&a(DEMO, &["zone", "export", "create", &zone]));
    let eid = export["id"].as_str().unwrap().to_string();
    until(
        &a(DEMO, &["zone", "export", "show", &eid]),
        "status",
        &["COMPLETE"],
    );
    let show = a(DEMO, &["zone", "export", "show", &eid]);
    assert_same_json(&osc_json(&show), &openstack_json(&show), &[]);
    same_rows(&a(DEMO, &["zone", "export", "list"]), "id", &eid, &[]);
    let file = osc_json(&a(DEMO, &["zone", "export", "showfile", &eid]));
    let text = file["data"].as_str().unwrap().to_string();
    assert!(text.contains("192.0.2.10"), "{text}");
    assert_eq!(
        file,
        openstack_json(&a(DEMO, &["zone", "export", "showfile", &eid]))
    );
    osc_ok(&a(DEMO, &["zone", "export", "delete", &eid]));
    osc_ok(&a(DEMO, &["zone", "delete", &zone]));
    let went = poll(Duration::from_secs(120), || {
        (!osc(&a(DEMO, &["zone", "show", &guard.1])).status.success()).then_some(())
    });
    assert!(went.is_some(), "zone never went away");
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
    let show = a(DEMO, &["zone", "import", "show", &iid]);
    assert_same_json(&imp, &openstack_json(&show), &[]);
    same_rows(&a(DEMO, &["zone", "import", "list"]), "id", &iid, &[]);
    let guard = Zone(DEMO, imp["zone_id"].as_str().unwrap().to_string());
    until(&a(DEMO, &["zone", "show", &guard.1]), "status", &["ACTIVE"]);
    let rs = osc_json(&a(DEMO, &["recordset", "show", &zone, &www]));
    assert_eq!(rs["records"], "192.0.2.10");
    until_answered(&www, 1, &[0, 4, 192, 0, 2, 10]);
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
        let imp: Value = serde_json::from_slice(&out.stdout).unwrap();
        let iid = imp["id"].as_str().unwrap().to_string();
        let mut last = Value::Null;
        let failed = poll(Duration::from_secs(60), || {
            last = osc_json(&a(DEMO, &["zone", "import", "show", &iid]));
            assert_ne!(last["status"], "COMPLETE", "a text file imported: {last}");
            (last["status"] == "ERROR").then_some(())
        });
        assert!(failed.is_some(), "import still {last}");
        osc_ok(&a(DEMO, &["zone", "import", "delete", &iid]));
    } else {
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    std::fs::remove_file(&path).unwrap();
    // A file that does not exist.
    let err = fails_in_one_line(&a(
        DEMO,
        &["zone", "import", "create", "/nonexistent/osc.zone"],
    ));
    assert!(err.contains("No such file"), "{err}");

    // Transferred to alt_demo: requested, listed, accepted.
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
            "--description",
            "to alt",
        ],
    ));
    let req_id = req["id"].as_str().unwrap().to_string();
    let reference = openstack_json(&a(DEMO, &["zone", "transfer", "request", "show", &req_id]));
    assert_same_json(&req, &reference, &["links"]);
    same_rows(
        &a(DEMO, &["zone", "transfer", "request", "list"]),
        "id",
        &req_id,
        &["links"],
    );
    let acc = osc_json(&a(
        ALT,
        &[
            "zone",
            "transfer",
            "accept",
            "request",
            "--transfer-id",
            &req_id,
            "--key",
            req["key"].as_str().unwrap(),
        ],
    ));
    assert_eq!(acc["zone_id"], guard.1.as_str());
    let acc_id = acc["id"].as_str().unwrap().to_string();
    let show = a(ALT, &["zone", "transfer", "accept", "show", &acc_id]);
    assert_same_json(&osc_json(&show), &openstack_json(&show), &[]);
    let guard = Zone(ALT, guard.1.clone());
    let moved = until(&a(ALT, &["zone", "show", &guard.1]), "status", &["ACTIVE"]);
    assert_eq!(moved["project_id"], alt_project.as_str());
    same_outcome(&a(DEMO, &["zone", "show", &guard.1]), &[]);
    drop(guard);
}

/// Deletes the floating IP when the test ends.
struct FloatingIp(String);

impl Drop for FloatingIp {
    fn drop(&mut self) {
        let _ = osc(&a(DEMO, &["floating", "ip", "delete", &self.0]));
    }
}

#[test]
fn ptr_record_for_a_floating_ip() {
    require_cloud!();
    if !in_catalog("dns") || !in_catalog("network") {
        return;
    }
    // Designate makes the reverse zone of the floating IP's address itself.
    let _zones = making_zones();
    let fip = osc_json(&a(DEMO, &["floating", "ip", "create", "public"]));
    let fip = FloatingIp(fip["id"].as_str().unwrap().to_string());
    let address = osc_json(&a(DEMO, &["floating", "ip", "show", &fip.0]))["floating_ip_address"]
        .as_str()
        .unwrap()
        .to_string();
    let id = format!("RegionOne:{}", fip.0);
    let show = a(DEMO, &["ptr", "record", "show", &id]);
    let before = osc_json(&show);
    assert_eq!(before["ptrdname"], Value::Null);
    assert_same_json(&before, &openstack_json(&show), &[]);
    let ptrdname = format!("{}.example.org.", unique("osc-fip"));
    let set = osc_json(&a(
        DEMO,
        &[
            "ptr",
            "record",
            "set",
            &id,
            &ptrdname,
            "--ttl",
            "600",
            "--description",
            "osc",
        ],
    ));
    assert_eq!(set["ptrdname"], ptrdname.as_str());
    assert_eq!(set["address"], address.as_str());
    let active = until(&show, "status", &["ACTIVE"]);
    assert_same_json(&active, &openstack_json(&show), &[]);
    same_rows(&a(DEMO, &["ptr", "record", "list"]), "id", &id, &[]);
    let reverse: Vec<&str> = address.split('.').rev().collect();
    until_answered(
        &format!("{}.in-addr.arpa.", reverse.join(".")),
        12,
        &wire_name(&ptrdname),
    );
    osc_ok(&a(DEMO, &["ptr", "record", "unset", &id]));
    let mut last = Value::Null;
    let unset = poll(Duration::from_secs(120), || {
        last = osc_json(&show);
        last["ptrdname"].is_null().then(|| last.clone())
    });
    let v = unset.unwrap_or_else(|| panic!("PTR never unset: {last}"));
    assert_same_json(&v, &openstack_json(&show), &[]);
    // A floating IP that is not one.
    same_outcome(
        &a(
            DEMO,
            &[
                "ptr",
                "record",
                "show",
                "RegionOne:00000000-0000-0000-0000-000000000000",
            ],
        ),
        &[],
    );
}

#[test]
fn tlds_and_blacklists_hold_zones_back() {
    require_cloud!();
    if !in_catalog("dns") {
        return;
    }
    let blacklisted = format!("{}.example.", unique("osc-black"));
    let pattern = format!("^{}$", blacklisted.replace('.', "\\."));
    let bl = osc_json(&a(
        ADMIN,
        &[
            "zone",
            "blacklist",
            "create",
            "--pattern",
            &pattern,
            "--description",
            "osc",
        ],
    ));
    let bl_id = bl["id"].as_str().unwrap().to_string();
    let show = a(ADMIN, &["zone", "blacklist", "show", &bl_id]);
    assert_same_json(&osc_json(&show), &openstack_json(&show), &[]);
    same_rows(&a(ADMIN, &["zone", "blacklist", "list"]), "id", &bl_id, &[]);
    let set = osc_json(&a(
        ADMIN,
        &["zone", "blacklist", "set", &bl_id, "--no-description"],
    ));
    assert_eq!(set["description"], Value::Null);
    let err = same_outcome(
        &a(
            DEMO,
            &["zone", "create", &blacklisted, "--email", "a@example.org"],
        ),
        &[],
    );
    assert!(err.is_none(), "a blacklisted zone was made");
    osc_ok(&a(ADMIN, &["zone", "blacklist", "delete", &bl_id]));
    same_outcome(&show, &[]);

    // No zone of this process is being made while the TLD exists (see ZONES).
    let _alone = making_a_tld();
    let tld = unique("osctld");
    let created = osc_json(&a(
        ADMIN,
        &["tld", "create", "--name", &tld, "--description", "osc"],
    ));
    let tld_id = created["id"].as_str().unwrap().to_string();
    let result = std::panic::catch_unwind(|| {
        let show = a(ADMIN, &["tld", "show", &tld]);
        assert_same_json(&osc_json(&show), &openstack_json(&show), &[]);
        same_rows(&a(ADMIN, &["tld", "list"]), "id", &tld_id, &[]);
        let set = osc_json(&a(ADMIN, &["tld", "set", &tld, "--description", "changed"]));
        assert_eq!(set["description"], "changed");
        // A zone outside every TLD, and one named as the TLD: refused alike.
        for name in [
            format!("{}.example.", unique("osc-notld")),
            format!("{tld}."),
        ] {
            let made = same_outcome(
                &a(DEMO, &["zone", "create", &name, "--email", "a@example.org"]),
                &[],
            );
            assert!(made.is_none(), "zone {name} made beside the TLD {tld}");
        }
    });
    osc_ok(&a(ADMIN, &["tld", "delete", &tld_id]));
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
    same_outcome(&a(ADMIN, &["tld", "show", &tld_id]), &[]);
}

#[test]
fn tsigkey_services_quotas_and_limits_match_the_reference() {
    require_cloud!();
    if !in_catalog("dns") {
        return;
    }
    let ours = osc_json(&a(ADMIN, &["dns", "service", "list"]));
    let reference = openstack_json(&a(ADMIN, &["dns", "service", "list"]));
    assert_same_json(
        &ours,
        &reference,
        &["stats", "capabilities", "heartbeated_at", "updated_at"],
    );
    let limits = a(DEMO, &["dns", "limit", "list"]);
    assert_same_json(&osc_json(&limits), &openstack_json(&limits), &[]);

    // Quotas: the token's project, another project by an admin, a member refused alike.
    let quotas = a(DEMO, &["dns", "quota", "list"]);
    let mine = osc_json(&quotas);
    assert_same_json(&mine, &openstack_json(&quotas), &[]);
    let demo = osc_json(&a(DEMO, &["token", "issue"]))["project_id"]
        .as_str()
        .unwrap()
        .to_string();
    let of_demo = a(ADMIN, &["dns", "quota", "list", "--project-id", &demo]);
    assert_same_json(&osc_json(&of_demo), &openstack_json(&of_demo), &[]);
    same_outcome(&a(DEMO, &["dns", "quota", "set", "--zones", "5"]), &[]);
    let raised = mine["zones"].as_i64().unwrap() + 100;
    let raised_s = raised.to_string();
    let set = a(
        ADMIN,
        &[
            "dns",
            "quota",
            "set",
            "--project-id",
            &demo,
            "--zones",
            &raised_s,
        ],
    );
    let ours = osc_json(&set);
    assert_eq!(ours["zones"], raised);
    assert_same_json(&ours, &openstack_json(&set), &[]);
    assert_eq!(osc_json(&quotas)["zones"], raised);
    osc_ok(&a(ADMIN, &["dns", "quota", "reset", "--project-id", &demo]));
    assert_same_json(&osc_json(&quotas), &mine, &[]);

    let key = unique("osckey");
    let created = osc_json(&a(
        ADMIN,
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
    let result = std::panic::catch_unwind(|| {
        let reference = openstack_json(&a(ADMIN, &["tsigkey", "show", &key]));
        assert_same_json(&created, &reference, &[]);
        same_rows(&a(ADMIN, &["tsigkey", "list"]), "name", &key, &[]);
        let set = osc_json(&a(
            ADMIN,
            &["tsigkey", "set", &key, "--algorithm", "hmac-sha512"],
        ));
        assert_eq!(set["algorithm"], "hmac-sha512");
        let show = a(ADMIN, &["tsigkey", "show", &key]);
        assert_same_json(&osc_json(&show), &openstack_json(&show), &[]);
    });
    osc_ok(&a(ADMIN, &["tsigkey", "delete", &key]));
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
    same_outcome(&a(ADMIN, &["tsigkey", "show", &key]), &[]);
}
