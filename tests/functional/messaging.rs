//! Functional tests of the messaging plugin against the devcloud's Zaqar (redis message store,
//! pooling on), compared with python-zaqarclient's `-f json` output through
//! python-openstackclient. Skipped when the devcloud runs no Zaqar (`devcloud/up --layers all`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use serde_json::{json, Value};

const DEMO: &[&str] = &["--os-cloud", "devstack"];
const ADMIN: &[&str] = &["--os-cloud", "devstack-admin"];
/// The client ID both clients post and list with (messages are filtered by it).
const CID: &str = "3381af92-2b9e-11e3-b191-71861300734c";

fn a<'a>(cloud: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = cloud.to_vec();
    v.extend_from_slice(rest);
    v
}

/// Zaqar's public endpoint, when the devcloud runs it.
fn zaqar() -> Option<String> {
    if !in_catalog("messaging") {
        return None;
    }
    let cat = osc_json(&a(DEMO, &["catalog", "show", "messaging"]));
    let eps = cat["endpoints"].as_array().cloned().unwrap_or_default();
    let url = eps
        .iter()
        .find(|e| e["interface"] == "public")
        .and_then(|e| e["url"].as_str())
        .map(str::to_string);
    assert!(url.is_some(), "no public messaging endpoint: {cat}");
    url
}

struct Queue(String);

impl Drop for Queue {
    fn drop(&mut self) {
        let _ = osc(&a(DEMO, &["messaging", "queue", "delete", &self.0]));
    }
}

fn ids(list: &Value) -> Vec<String> {
    let mut v: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["ID"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
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
    for detailed in [&[][..], &["--detailed"][..]] {
        let mut args = a(DEMO, &["messaging", "queue", "list"]);
        args.extend_from_slice(detailed);
        let ours = rows_with(&osc_json(&args), "Name", &q.0);
        let reference = rows_with(&openstack_json(&args), "Name", &q.0);
        assert_eq!(ours.as_array().unwrap().len(), 1, "{ours}");
        assert_same_json(&json!(ours), &json!(reference), &[]);
    }
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

    // Two messages posted from JSON, seen by their poster only with --echo.
    osc_ok(&a(
        DEMO,
        &[
            "messaging",
            "message",
            "post",
            &q.0,
            r#"[{"body": {"n": 1}, "ttl": 300}, {"body": {"n": 2}, "ttl": 300}]"#,
            "--client-id",
            CID,
        ],
    ));
    let list = a(
        DEMO,
        &[
            "messaging",
            "message",
            "list",
            &q.0,
            "--echo",
            "--client-id",
            CID,
        ],
    );
    let ours = osc_json(&list);
    assert_eq!(ours.as_array().unwrap().len(), 2, "{ours}");
    assert_same_json(&ours, &openstack_json(&list), &["Age"]);
    let none = osc_json(&a(
        DEMO,
        &["messaging", "message", "list", &q.0, "--client-id", CID],
    ));
    assert_eq!(none, json!([]));
    let posted = ids(&ours);
    let both = format!("{},{}", posted[0], posted[1]);
    let by_id = a(
        DEMO,
        &[
            "messaging",
            "message",
            "list",
            &q.0,
            "--message-ids",
            &both,
            "--client-id",
            CID,
        ],
    );
    let ours = osc_json(&by_id);
    assert_eq!(ids(&ours), posted);
    assert_same_json(&ours, &openstack_json(&by_id), &["Age"]);
    let stats = osc_json(&a(DEMO, &["messaging", "queue", "stats", &q.0]));
    assert_eq!(stats["Stats"]["messages"]["total"], 2, "{stats}");
    let reference = openstack_json(&a(DEMO, &["messaging", "queue", "stats", &q.0]));
    assert_eq!(
        stats["Stats"]["messages"]["free"],
        reference["Stats"]["messages"]["free"]
    );

    // Claims: Zaqar's minimum grace (60 s) refused alike, then one message claimed.
    same_outcome(
        &a(
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
            ],
        ),
        &[],
    );
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
            "60",
            "--limit",
            "1",
        ],
    ));
    let claimed = claimed.as_array().unwrap();
    assert_eq!(claimed.len(), 1, "{claimed:?}");
    let claim = claimed[0]["Claim_ID"].as_str().unwrap().to_string();
    let query = a(DEMO, &["messaging", "claim", "query", &q.0, &claim]);
    let ours = osc_json(&query);
    assert_eq!(ours[0]["TTL"], 300, "{ours}");
    assert_same_json(&ours, &openstack_json(&query), &["Age"]);
    let renew = |client: fn(&[&str]) -> Value| {
        client(&a(
            DEMO,
            &[
                "messaging",
                "claim",
                "renew",
                &q.0,
                &claim,
                "--ttl",
                "240",
                "--grace",
                "60",
            ],
        ))
    };
    assert_same_json(&renew(osc_json), &renew(openstack_json), &["Age"]);
    let visible = osc_json(&list);
    assert_eq!(visible.as_array().unwrap().len(), 1, "{visible}");
    assert_ne!(visible[0]["ID"], claimed[0]["Message_ID"]);
    // --include-claimed: the devcloud's Zaqar fails it on its redis store (it asks redis for
    // the rank of no marker, which redis-py refuses): both clients report the same 503.
    let mut with_claimed = list.clone();
    with_claimed.push("--include-claimed");
    if let Some(all) = same_outcome(&with_claimed, &["Age"]) {
        assert_eq!(all.as_array().unwrap().len(), 2, "{all}");
    }
    osc_ok(&a(DEMO, &["messaging", "claim", "release", &q.0, &claim]));
    assert_eq!(osc_json(&list).as_array().unwrap().len(), 2);

    // Messages deleted: the queue's messages purged (zaqarclient has no message delete).
    osc_ok(&a(
        DEMO,
        &[
            "messaging",
            "queue",
            "purge",
            &q.0,
            "--resource_types",
            "messages",
        ],
    ));
    assert_eq!(osc_json(&list), json!([]));
    let stats = osc_json(&a(DEMO, &["messaging", "queue", "stats", &q.0]));
    assert_eq!(stats["Stats"]["messages"]["total"], 0, "{stats}");

    // A subscription: created, shown, listed, updated, deleted.
    let sub = osc_json(&a(
        DEMO,
        &[
            "messaging",
            "subscription",
            "create",
            &q.0,
            "http://127.0.0.1:9/hook",
            "3600",
            "--options",
            r#"{"k": "v"}"#,
        ],
    ));
    assert_eq!(sub["TTL"], 3600);
    let sid = sub["ID"].as_str().unwrap().to_string();
    let show = a(DEMO, &["messaging", "subscription", "show", &q.0, &sid]);
    let shown = osc_json(&show);
    assert_eq!(shown["Options"], json!({"k": "v"}));
    assert_same_json(&shown, &openstack_json(&show), &["Age"]);
    let subs = a(DEMO, &["messaging", "subscription", "list", &q.0]);
    assert_same_json(&osc_json(&subs), &openstack_json(&subs), &["Age"]);
    let update = a(
        DEMO,
        &[
            "messaging",
            "subscription",
            "update",
            &q.0,
            &sid,
            "--ttl",
            "7200",
        ],
    );
    assert_same_json(&osc_json(&update), &openstack_json(&update), &[]);
    assert_eq!(osc_json(&show)["TTL"], 7200);
    osc_ok(&a(
        DEMO,
        &["messaging", "subscription", "delete", &q.0, &sid],
    ));
    assert_eq!(osc_json(&subs), json!([]));

    // A signed URL, used without a token to read the queue's messages.
    osc_ok(&a(
        DEMO,
        &[
            "messaging",
            "message",
            "post",
            &q.0,
            r#"{"body": "signed", "ttl": 300}"#,
            "--client-id",
            CID,
        ],
    ));
    let signed = a(
        DEMO,
        &[
            "messaging",
            "queue",
            "signed",
            "url",
            &q.0,
            "--paths",
            "messages,claims",
            "--methods",
            "GET,POST",
            "--ttl-seconds",
            "300",
        ],
    );
    let url = osc_json(&signed);
    assert_same_json(&url, &openstack_json(&signed), &["Expires", "Signature"]);
    let get = |signature: &str| {
        let out = std::process::Command::new("curl")
            .args(["-s", "-w", "\n%{http_code}"])
            .args(["-H", &format!("URL-Signature: {signature}")])
            .args([
                "-H",
                &format!("URL-Expires: {}", url["Expires"].as_str().unwrap()),
            ])
            .args([
                "-H",
                &format!("URL-Methods: {}", url["Methods"].as_str().unwrap()),
            ])
            .args([
                "-H",
                &format!("URL-Paths: {}", url["Paths"].as_str().unwrap()),
            ])
            .args([
                "-H",
                &format!("X-Project-ID: {}", url["Project ID"].as_str().unwrap()),
            ])
            .args(["-H", &format!("Client-ID: {CID}")])
            .arg(format!(
                "{}/v2/queues/{}/messages?echo=true",
                endpoint.trim_end_matches('/'),
                q.0
            ))
            .output()
            .expect("curl");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let answer = get(url["Signature"].as_str().unwrap());
    let (body, code) = answer.rsplit_once('\n').unwrap();
    assert_eq!(code, "200", "{answer}");
    assert!(body.contains("\"signed\""), "{body}");
    // A signature that is not the one Zaqar made is refused.
    let forged = get(&"0".repeat(64));
    assert!(!forged.ends_with("\n200"), "{forged}");

    // A message body that is not JSON: one line, non-zero, nothing sent.
    let err = fails_in_one_line(&a(
        DEMO,
        &[
            "messaging",
            "message",
            "post",
            &q.0,
            "{not json",
            "--client-id",
            CID,
        ],
    ));
    assert!(err.contains("invalid loads value"), "{err}");
    // A queue metadata that is not JSON.
    let err = fails_in_one_line(&a(
        DEMO,
        &["messaging", "queue", "set", "metadata", &q.0, "{bad"],
    ));
    assert_eq!(err, "Queue metadata({bad) is not a valid json.");
    // Listing without a client ID.
    fails_in_one_line(&a(DEMO, &["messaging", "message", "list", &q.0]));

    osc_ok(&a(DEMO, &["messaging", "queue", "delete", &q.0]));
    let gone = osc_json(&a(DEMO, &["messaging", "queue", "list"]));
    assert_eq!(rows_with(&gone, "Name", &q.0), json!([]), "{gone}");
    // A queue's stats once it is gone: Zaqar answers empty stats, shown alike.
    let stats = same_outcome(&a(DEMO, &["messaging", "queue", "stats", &q.0]), &[]);
    assert_eq!(stats.unwrap()["Stats"]["messages"]["total"], 0);
}

/// Deletes an admin messaging object (pool or flavor) when the test ends.
struct Admin(&'static str, String);

impl Drop for Admin {
    fn drop(&mut self) {
        let _ = osc(&a(ADMIN, &["messaging", self.0, "delete", &self.1]));
    }
}

#[test]
fn pools_and_flavors_match_the_reference() {
    require_cloud!();
    if zaqar().is_none() {
        return;
    }
    // The devcloud's Zaqar pools its storage. A pool of weight 0 is never chosen for a new
    // queue, so these pools (the devcloud's own redis under URIs of their own: Zaqar wants
    // each pool's URI unique and ignores parameters it does not know) disturb no other test.
    let pool = Admin("pool", unique("osc-pool"));
    let uri = format!("redis://127.0.0.1:6379?osc_test={}", pool.1);
    let created = osc_json(&a(
        ADMIN,
        &[
            "messaging",
            "pool",
            "create",
            &pool.1,
            &uri,
            "0",
            "--pool_options",
            r#"{"max_reconnect_attempts": 3}"#,
        ],
    ));
    assert_eq!(
        created,
        json!({"Name": pool.1, "Weight": 0, "URI": uri, "Flavor": null,
               "Options": {"max_reconnect_attempts": 3}})
    );
    let show = a(ADMIN, &["messaging", "pool", "show", &pool.1]);
    assert_same_json(&osc_json(&show), &openstack_json(&show), &[]);
    for detailed in [&[][..], &["--detailed"][..]] {
        let mut args = a(ADMIN, &["messaging", "pool", "list"]);
        args.extend_from_slice(detailed);
        let ours = rows_with(&osc_json(&args), "Name", &pool.1);
        assert_eq!(ours.as_array().unwrap().len(), 1, "{ours}");
        assert_same_json(
            &json!(ours),
            &json!(rows_with(&openstack_json(&args), "Name", &pool.1)),
            &[],
        );
    }
    // The reference's create, shown by osc the same way.
    let other = Admin("pool", unique("osc-pool"));
    let other_uri = format!("redis://127.0.0.1:6379?osc_test={}", other.1);
    let theirs = openstack_json(&a(
        ADMIN,
        &["messaging", "pool", "create", &other.1, &other_uri, "0"],
    ));
    let show_other = a(ADMIN, &["messaging", "pool", "show", &other.1]);
    assert_same_json(&osc_json(&show_other), &openstack_json(&show_other), &[]);
    assert_eq!(theirs["Flavor"], Value::Null);
    // Two pools cannot share a URI: the same refusal from both.
    same_outcome(
        &a(
            ADMIN,
            &[
                "messaging",
                "pool",
                "create",
                &unique("osc-pool"),
                &uri,
                "0",
            ],
        ),
        &[],
    );

    let flavor = Admin("flavor", unique("osc-flavor"));
    let created = osc_json(&a(
        ADMIN,
        &[
            "messaging",
            "flavor",
            "create",
            &flavor.1,
            "--pool_list",
            &pool.1,
        ],
    ));
    assert_eq!(
        created,
        json!({"Name": flavor.1, "Pool list": [pool.1], "Capabilities": {}})
    );
    let show = a(ADMIN, &["messaging", "flavor", "show", &flavor.1]);
    let shown = osc_json(&show);
    assert_same_json(&shown, &openstack_json(&show), &[]);
    assert_eq!(shown["Pool list"], json!([pool.1]));
    let pool_show = osc_json(&a(ADMIN, &["messaging", "pool", "show", &pool.1]));
    assert_eq!(pool_show["Flavor"], flavor.1.as_str());
    for detailed in [&[][..], &["--detailed"][..]] {
        let mut args = a(ADMIN, &["messaging", "flavor", "list"]);
        args.extend_from_slice(detailed);
        let ours = rows_with(&osc_json(&args), "Name", &flavor.1);
        assert_eq!(ours.as_array().unwrap().len(), 1, "{ours}");
        assert_same_json(
            &json!(ours),
            &json!(rows_with(&openstack_json(&args), "Name", &flavor.1)),
            &[],
        );
    }
    // The flavor moved to the other pool: by osc, then back by the reference.
    let update = |client: fn(&[&str]) -> Value, to: &str| {
        client(&a(
            ADMIN,
            &[
                "messaging",
                "flavor",
                "update",
                &flavor.1,
                "--pool_list",
                to,
            ],
        ))
    };
    let ours = update(osc_json, &other.1);
    assert_eq!(ours["Pool_list"], json!([other.1]));
    assert_same_json(&update(openstack_json, &other.1), &ours, &[]);
    // A pool updated: its URI and weight by osc, the result shown alike.
    let new_uri = format!("{other_uri}-moved");
    let update = a(
        ADMIN,
        &[
            "messaging",
            "pool",
            "update",
            &other.1,
            "--pool_uri",
            &new_uri,
        ],
    );
    let ours = osc_json(&update);
    assert_eq!(ours["URI"], new_uri.as_str());
    assert_eq!(ours["Flavor"], flavor.1.as_str());
    assert_same_json(&ours, &openstack_json(&update), &[]);

    osc_ok(&a(ADMIN, &["messaging", "flavor", "delete", &flavor.1]));
    same_outcome(&a(ADMIN, &["messaging", "flavor", "show", &flavor.1]), &[]);
    for p in [&pool, &other] {
        osc_ok(&a(ADMIN, &["messaging", "pool", "delete", &p.1]));
    }
    same_outcome(&a(ADMIN, &["messaging", "pool", "show", &pool.1]), &[]);
}

#[test]
fn ping_health_and_homedoc_match_the_reference() {
    require_cloud!();
    if zaqar().is_none() {
        return;
    }
    let ping = a(DEMO, &["messaging", "ping"]);
    let ours = osc_json(&ping);
    assert_eq!(ours, json!({"Pingable": true}));
    assert_eq!(ours, openstack_json(&ping));
    // Health is an admin's: the demo user is refused alike, the admin sees the same document.
    let err = fails_in_one_line(&a(DEMO, &["messaging", "health"]));
    let theirs = openstack(&a(DEMO, &["messaging", "health"]));
    assert!(!theirs.status.success());
    assert_eq!(err, String::from_utf8_lossy(&theirs.stderr).trim());
    let ours: Value = serde_json::from_str(&osc_ok(&a(ADMIN, &["messaging", "health"]))).unwrap();
    let theirs: Value =
        serde_json::from_str(&openstack_ok(&a(ADMIN, &["messaging", "health"]))).unwrap();
    // The same document but for each operation's timing, and for the pools another test
    // adds or removes between the two reads.
    fn untimed(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .filter(|(k, _)| k.as_str() != "seconds")
                    .map(|(k, v)| (k.clone(), untimed(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    assert_eq!(ours["catalog_reachable"], true, "{ours}");
    for (k, v) in ours.as_object().unwrap() {
        if let Some(t) = theirs.get(k) {
            assert_eq!(untimed(v), untimed(t), "{k}");
        }
    }
    let ours = osc_ok(&a(DEMO, &["messaging", "homedoc"]));
    assert_eq!(ours, openstack_ok(&a(DEMO, &["messaging", "homedoc"])));
    assert!(ours.contains("rel/queues"), "{ours}");
}
