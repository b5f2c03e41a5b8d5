//! Functional tests of the messaging plugin against the devcloud's Zaqar, compared with
//! python-zaqarclient's `-f json` output through python-openstackclient.
//! Skipped when the devcloud runs no Zaqar (`devcloud/up --layers all` starts it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;

const DEMO: &[&str] = &["--os-cloud", "devstack"];

fn a<'a>(cloud: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = cloud.to_vec();
    v.extend_from_slice(rest);
    v
}

fn zaqar() -> Option<String> {
    let cat = osc_json(&a(DEMO, &["catalog", "list"]));
    let url = cat.as_array().and_then(|s| {
        let e = s.iter().find(|e| e["Type"] == "messaging")?;
        e["Endpoints"].as_array()?.iter().find_map(|x| {
            (x["interface"] == "public").then(|| x["url"].as_str().map(str::to_string))?
        })
    });
    if url.is_none() {
        eprintln!("SKIP: the devcloud runs no Zaqar (start it with devcloud/up --layers all)");
    }
    url
}

struct Queue(String);

impl Drop for Queue {
    fn drop(&mut self) {
        let _ = osc(&a(DEMO, &["messaging", "queue", "delete", &self.0]));
    }
}

#[test]
fn queue_messages_claims_subscription_signed_url() {
    require_cloud!();
    let Some(endpoint) = zaqar() else {
        return;
    };
    let q = Queue(unique("osc-queue"));
    let created = osc_json(&a(DEMO, &["messaging", "queue", "create", &q.0]));
    assert_eq!(created["Name"], q.0.as_str());
    osc_ok(&a(
        DEMO,
        &[
            "messaging",
            "queue",
            "set",
            "metadata",
            &q.0,
            r#"{"colour": "blue"}"#,
        ],
    ));
    let ours = osc_json(&a(DEMO, &["messaging", "queue", "get", "metadata", &q.0]));
    let reference = openstack_json(&a(DEMO, &["messaging", "queue", "get", "metadata", &q.0]));
    assert_same_json(&ours, &reference, &[]);
    assert_eq!(ours["Metadata"]["colour"], "blue");

    let cid = "3381af92-2b9e-11e3-b191-71861300734c";
    osc_ok(&a(
        DEMO,
        &[
            "messaging",
            "message",
            "post",
            &q.0,
            r#"[{"body": {"n": 1}, "ttl": 300}, {"body": {"n": 2}, "ttl": 300}]"#,
            "--client-id",
            cid,
        ],
    ));
    let ours = osc_json(&a(
        DEMO,
        &[
            "messaging",
            "message",
            "list",
            &q.0,
            "--echo",
            "--client-id",
            cid,
        ],
    ));
    assert_eq!(ours.as_array().unwrap().len(), 2, "{ours}");
    let reference = openstack_json(&a(
        DEMO,
        &[
            "messaging",
            "message",
            "list",
            &q.0,
            "--echo",
            "--client-id",
            cid,
        ],
    ));
    assert_same_json(&ours, &reference, &["Age"]);
    // Another client does not see its own messages without --echo; this one sees none.
    let none = osc_json(&a(
        DEMO,
        &["messaging", "message", "list", &q.0, "--client-id", cid],
    ));
    assert_eq!(none, serde_json::json!([]));

    let claimed = osc_json(&a(
        DEMO,
        &[
            "messaging",
            "claim",
            "create",
            &q.0,
            "--ttl",
            "120",
            "--grace",
            "30",
            "--limit",
            "1",
        ],
    ));
    let claimed = claimed.as_array().unwrap();
    assert_eq!(claimed.len(), 1);
    let claim = claimed[0]["Claim_ID"].as_str().unwrap().to_string();
    let ours = osc_json(&a(DEMO, &["messaging", "claim", "query", &q.0, &claim]));
    let reference = openstack_json(&a(DEMO, &["messaging", "claim", "query", &q.0, &claim]));
    assert_same_json(&ours, &reference, &["Age"]);
    let visible = osc_json(&a(
        DEMO,
        &[
            "messaging",
            "message",
            "list",
            &q.0,
            "--echo",
            "--client-id",
            cid,
        ],
    ));
    assert_eq!(visible.as_array().unwrap().len(), 1);
    let all = osc_json(&a(
        DEMO,
        &[
            "messaging",
            "message",
            "list",
            &q.0,
            "--echo",
            "--include-claimed",
            "--client-id",
            cid,
        ],
    ));
    assert_eq!(all.as_array().unwrap().len(), 2);
    osc_ok(&a(DEMO, &["messaging", "claim", "release", &q.0, &claim]));

    let sub = osc_json(&a(
        DEMO,
        &[
            "messaging",
            "subscription",
            "create",
            &q.0,
            "http://127.0.0.1:9/hook",
            "3600",
        ],
    ));
    let sid = sub["ID"].as_str().unwrap().to_string();
    let ours = osc_json(&a(DEMO, &["messaging", "subscription", "list", &q.0]));
    let reference = openstack_json(&a(DEMO, &["messaging", "subscription", "list", &q.0]));
    assert_same_json(&ours, &reference, &["Age"]);
    osc_ok(&a(
        DEMO,
        &["messaging", "subscription", "delete", &q.0, &sid],
    ));

    // A signed URL, used without a token.
    let url = osc_json(&a(
        DEMO,
        &[
            "messaging",
            "queue",
            "signed",
            "url",
            &q.0,
            "--ttl-seconds",
            "300",
        ],
    ));
    let out = std::process::Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}"])
        .args([
            "-H",
            &format!("URL-Signature: {}", url["Signature"].as_str().unwrap()),
        ])
        .args([
            "-H",
            &format!("URL-Expires: {}", url["Expires"].as_str().unwrap()),
        ])
        .args([
            "-H",
            &format!("URL-Methods: {}", url["Methods"].as_str().unwrap()),
        ])
        .args(["-H", &format!("URL-Paths: /v2/queues/{}/messages", q.0)])
        .args([
            "-H",
            &format!("X-Project-ID: {}", url["Project ID"].as_str().unwrap()),
        ])
        .args(["-H", &format!("Client-ID: {cid}")])
        .arg(format!(
            "{}/v2/queues/{}/messages?echo=true",
            endpoint.trim_end_matches('/'),
            q.0
        ))
        .output()
        .expect("curl");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "200");

    // A message body that is not JSON.
    let out = osc(&a(
        DEMO,
        &[
            "messaging",
            "message",
            "post",
            &q.0,
            "{not json",
            "--client-id",
            cid,
        ],
    ));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(err.lines().count(), 1, "{err}");

    let ours = osc_json(&a(DEMO, &["messaging", "ping"]));
    assert_eq!(ours, openstack_json(&a(DEMO, &["messaging", "ping"])));
    osc_ok(&a(DEMO, &["messaging", "queue", "purge", &q.0]));
}
