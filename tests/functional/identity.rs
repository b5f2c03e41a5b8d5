//! Functional tests of osc-identity against the devcloud: each creates an object with osc,
//! shows it with osc and with python-openstackclient, compares `-f json`, sets, lists and
//! deletes it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use serde_json::Value;

const ADMIN: &[&str] = &["--os-cloud", "devstack-admin"];

fn a<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut v = ADMIN.to_vec();
    v.extend_from_slice(args);
    v
}

fn ours(args: &[&str]) -> Value {
    osc_json(&a(args))
}

fn reference(args: &[&str]) -> Value {
    openstack_json(&a(args))
}

fn ok(args: &[&str]) -> String {
    osc_ok(&a(args))
}

/// `show` with both clients must agree.
fn same_show(args: &[&str], ignore: &[&str]) -> Value {
    let o = ours(args);
    assert_same_json(&o, &reference(args), ignore);
    o
}

/// A list (as JSON rows) contains a row whose `col` is `value`.
fn listed(args: &[&str], col: &str, value: &str) -> bool {
    ours(args)
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r[col].as_str() == Some(value))
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

fn temp_file(content: &str) -> tempfile::NamedTempFile {
    use std::io::Write;
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(content.as_bytes()).unwrap();
    f
}

#[test]
fn project_lifecycle() {
    require_cloud!();
    let name = unique("osc-proj");
    let created = ours(&[
        "project",
        "create",
        &name,
        "--description",
        "d1",
        "--tag",
        "b",
        "--tag",
        "a",
        "--property",
        "k=v",
    ]);
    assert_eq!(created["name"], name.as_str());
    assert_eq!(created["tags"], serde_json::json!(["a", "b"]));
    let pid = id(&created);
    assert_same_json(&created, &reference(&["project", "show", &name]), &[]);
    ok(&[
        "project",
        "set",
        &name,
        "--description",
        "d2",
        "--disable",
        "--tag",
        "c",
        "--remove-tag",
        "zz",
    ]);
    let shown = same_show(&["project", "show", &pid], &[]);
    assert_eq!(shown["description"], "d2");
    assert_eq!(shown["enabled"], false);
    assert!(listed(
        &["project", "list", "--disabled", "--long"],
        "ID",
        &pid
    ));
    assert_same_json(
        &ours(&["project", "list", "--tags", "c"]),
        &reference(&["project", "list", "--tags", "c"]),
        &[],
    );
    // --or-show returns the existing project.
    assert_eq!(
        ours(&["project", "create", &name, "--or-show"])["id"],
        pid.as_str()
    );
    ok(&["project", "delete", &name]);
    assert!(!listed(&["project", "list"], "ID", &pid));
}

#[test]
fn delete_of_several_reports_every_failure() {
    require_cloud!();
    let name = unique("osc-proj");
    ok(&["project", "create", &name]);
    let out = osc(&a(&[
        "project",
        "delete",
        "osc-missing-1",
        &name,
        "osc-missing-2",
    ]));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 of 3 projects failed to delete."), "{err}");
    assert!(
        err.contains("osc-missing-1") && err.contains("osc-missing-2"),
        "{err}"
    );
    assert!(!listed(&["project", "list"], "Name", &name));
}

#[test]
fn domain_lifecycle() {
    require_cloud!();
    let name = unique("osc-dom");
    let created = ours(&["domain", "create", &name, "--description", "x"]);
    assert_same_json(&created, &reference(&["domain", "show", &name]), &[]);
    // Names are scoped by --domain.
    let p = unique("osc-proj");
    ok(&["project", "create", &p, "--domain", &name]);
    same_show(&["project", "show", &p, "--domain", &name], &[]);
    assert!(listed(&["project", "list", "--domain", &name], "Name", &p));
    ok(&["project", "delete", &p, "--domain", &name]);
    ok(&["domain", "set", &name, "--disable", "--description", "y"]);
    let shown = same_show(&["domain", "show", &id(&created)], &[]);
    assert_eq!(shown["enabled"], false);
    assert!(listed(&["domain", "list"], "Name", &name));
    ok(&["domain", "delete", &name]);
    assert!(!listed(&["domain", "list"], "Name", &name));
}

#[test]
fn user_and_group_membership() {
    require_cloud!();
    let user = unique("osc-user");
    let group = unique("osc-group");
    let u = ours(&[
        "user",
        "create",
        &user,
        "--password",
        "secret-1",
        "--email",
        "a@b.c",
        "--project",
        "demo",
    ]);
    assert_same_json(&u, &reference(&["user", "show", &user]), &[]);
    ok(&[
        "user",
        "set",
        &user,
        "--email",
        "x@y.z",
        "--description",
        "dd",
    ]);
    let shown = same_show(&["user", "show", &id(&u)], &[]);
    assert_eq!(shown["email"], "x@y.z");
    // The seeded users and this test's own: the other tests create and delete users meanwhile.
    let settled = |v: Value| -> Vec<Value> {
        let rows = v.as_array().cloned().unwrap_or_default();
        rows.into_iter()
            .filter(|r| {
                let n = r["Name"].as_str().unwrap_or("");
                n == user || !n.starts_with("osc-")
            })
            .collect()
    };
    let list = ["user", "list", "--long", "--domain", "default"];
    assert_same_json(
        &Value::from(settled(ours(&list))),
        &Value::from(settled(reference(&list))),
        &[],
    );

    let g = ours(&["group", "create", &group, "--description", "g"]);
    assert_same_json(&g, &reference(&["group", "show", &group]), &[]);
    ok(&["group", "set", &group, "--description", "g2"]);
    assert_eq!(
        same_show(&["group", "show", &id(&g)], &[])["description"],
        "g2"
    );
    ok(&["group", "add", "user", &group, &user]);
    let contains = ok(&["group", "contains", "user", &group, &user]);
    assert!(
        contains.contains(&format!("{user} in group {group}")),
        "{contains}"
    );
    assert!(listed(&["user", "list", "--group", &group], "ID", &id(&u)));
    assert!(listed(
        &["group", "list", "--user", &user, "--long"],
        "ID",
        &id(&g)
    ));
    ok(&["group", "remove", "user", &group, &user]);
    assert!(!listed(&["user", "list", "--group", &group], "ID", &id(&u)));
    ok(&["group", "delete", &group]);
    ok(&["user", "delete", &user]);
    assert!(!listed(&["user", "list"], "Name", &user));
}

#[test]
fn role_assignment_and_implied_roles() {
    require_cloud!();
    let role = unique("osc-role");
    let implied = unique("osc-implied");
    let user = unique("osc-user");
    let proj = unique("osc-proj");
    let r = ours(&["role", "create", &role, "--description", "r"]);
    ours(&["role", "create", &implied]);
    assert_same_json(&r, &reference(&["role", "show", &role]), &[]);
    ok(&["role", "set", &role, "--description", "r2"]);
    assert_eq!(
        same_show(&["role", "show", &id(&r)], &[])["description"],
        "r2"
    );
    assert!(listed(&["role", "list"], "Name", &role));

    let rule = ours(&[
        "implied",
        "role",
        "create",
        &role,
        "--implied-role",
        &implied,
    ]);
    assert_eq!(rule["prior_role"], id(&r).as_str());
    assert_same_json(
        &ours(&["implied", "role", "list"]),
        &reference(&["implied", "role", "list"]),
        &[],
    );

    ok(&["user", "create", &user]);
    ok(&["project", "create", &proj]);
    ok(&["role", "add", &role, "--user", &user, "--project", &proj]);
    for extra in [&[][..], &["--names"][..], &["--effective"][..]] {
        let mut args = vec!["role", "assignment", "list", "--user", &user];
        args.extend_from_slice(extra);
        let o = ours(&args);
        assert_same_json(&o, &reference(&args), &[]);
        assert!(!o.as_array().unwrap().is_empty());
    }
    ok(&["role", "remove", &role, "--user", &user, "--project", &proj]);
    assert!(ours(&[
        "role",
        "assignment",
        "list",
        "--user",
        &user,
        "--role",
        &role
    ])
    .as_array()
    .unwrap()
    .is_empty());
    // Missing scope: OSC's message, exit 1.
    let bad = osc(&a(&["role", "add", &role]));
    assert_eq!(bad.status.code(), Some(1));

    ok(&[
        "implied",
        "role",
        "delete",
        &role,
        "--implied-role",
        &implied,
    ]);
    ok(&["user", "delete", &user]);
    ok(&["project", "delete", &proj]);
    ok(&["role", "delete", &role, &implied]);
    assert!(!listed(&["role", "list"], "Name", &role));
}

#[test]
fn service_endpoint_region_and_endpoint_group() {
    require_cloud!();
    let region = unique("osc-region");
    let stype = unique("osc-type");
    let sname = unique("osc-svc");
    let reg = ours(&["region", "create", &region, "--description", "r"]);
    assert_eq!(reg["region"], region.as_str());
    assert_same_json(&reg, &reference(&["region", "show", &region]), &[]);
    ok(&["region", "set", &region, "--description", "r2"]);
    assert_eq!(
        same_show(&["region", "show", &region], &[])["description"],
        "r2"
    );
    assert!(listed(&["region", "list"], "Region", &region));

    let svc = ours(&[
        "service",
        "create",
        &stype,
        "--name",
        &sname,
        "--description",
        "s",
    ]);
    assert_same_json(&svc, &reference(&["service", "show", &sname]), &[]);
    ok(&["service", "set", &sname, "--description", "s2", "--disable"]);
    assert_eq!(
        same_show(&["service", "show", &id(&svc)], &[])["enabled"],
        false
    );

    let ep = ours(&[
        "endpoint",
        "create",
        &sname,
        "public",
        "http://osc.example/v1",
        "--region",
        &region,
    ]);
    assert_eq!(ep["service_name"], sname.as_str());
    let eid = id(&ep);
    assert_same_json(&ep, &reference(&["endpoint", "show", &eid]), &[]);
    ok(&[
        "endpoint",
        "set",
        &eid,
        "--url",
        "http://osc.example/v2",
        "--interface",
        "internal",
    ]);
    let shown = same_show(&["endpoint", "show", &eid], &[]);
    assert_eq!(shown["url"], "http://osc.example/v2");
    let filt = ["endpoint", "list", "--service", &sname];
    assert_same_json(&ours(&filt), &reference(&filt), &[]);
    // A project of its own: while a project has an endpoint or endpoint group, its tokens'
    // catalogs hold only those endpoints, and the other tests use `demo` meanwhile.
    let filtered = unique("osc-filtered");
    ok(&["project", "create", &filtered]);
    ok(&["endpoint", "add", "project", &eid, &filtered]);
    assert!(listed(
        &["endpoint", "list", "--endpoint", &eid],
        "Name",
        &filtered
    ));
    ok(&["endpoint", "remove", "project", &eid, &filtered]);

    let eg = unique("osc-eg");
    let filters = temp_file(&format!("{{\"service_id\": \"{}\"}}", id(&svc)));
    let egv = ours(&[
        "endpoint",
        "group",
        "create",
        &eg,
        filters.path().to_str().unwrap(),
        "--description",
        "e",
    ]);
    assert_same_json(&egv, &reference(&["endpoint", "group", "show", &eg]), &[]);
    ok(&["endpoint", "group", "set", &eg, "--description", "e2"]);
    assert_eq!(
        same_show(&["endpoint", "group", "show", &id(&egv)], &[])["description"],
        "e2"
    );
    ok(&["endpoint", "group", "add", "project", &eg, &filtered]);
    assert!(listed(
        &["endpoint", "group", "list", "--endpointgroup", &eg],
        "Name",
        &filtered
    ));
    ok(&["endpoint", "group", "remove", "project", &eg, &filtered]);
    ok(&["project", "delete", &filtered]);
    assert!(listed(&["endpoint", "group", "list"], "Name", &eg));
    ok(&["endpoint", "group", "delete", &eg]);

    ok(&["endpoint", "delete", &eid]);
    ok(&["service", "delete", &id(&svc)]);
    ok(&["region", "delete", &region]);
    assert!(!listed(&["region", "list"], "Region", &region));
}

#[test]
fn credential_lifecycle() {
    require_cloud!();
    let c = ours(&[
        "credential",
        "create",
        "admin",
        "blob-1",
        "--project",
        "admin",
    ]);
    let cid = id(&c);
    assert_same_json(&c, &reference(&["credential", "show", &cid]), &[]);
    ok(&[
        "credential",
        "set",
        &cid,
        "--user",
        "admin",
        "--type",
        "cert",
        "--data",
        "blob-2",
    ]);
    assert_eq!(
        same_show(&["credential", "show", &cid], &[])["blob"],
        "blob-2"
    );
    assert!(listed(
        &["credential", "list", "--user", "admin"],
        "ID",
        &cid
    ));
    ok(&["credential", "delete", &cid]);
    assert!(!listed(&["credential", "list"], "ID", &cid));
}

#[test]
fn application_credential_lifecycle() {
    require_cloud!();
    let name = unique("osc-appcred");
    let c = ours(&[
        "application",
        "credential",
        "create",
        &name,
        "--description",
        "d",
        "--secret",
        "s3cret",
        // Not every role of the token: once one held `service`, which admin had lost by then.
        "--role",
        "member",
    ]);
    assert_eq!(c["Secret"], "s3cret");
    same_show(&["application", "credential", "show", &name], &[]);
    let l = ["application", "credential", "list"];
    assert_same_json(&ours(&l), &reference(&l), &[]);
    ok(&["application", "credential", "delete", &name]);
    assert!(!listed(&l, "Name", &name));
}

#[test]
fn limits_and_registered_limits() {
    require_cloud!();
    let res = unique("osc-res");
    let rl = ours(&[
        "registered",
        "limit",
        "create",
        &res,
        "--service",
        "glance",
        "--default-limit",
        "5",
        "--description",
        "d",
    ]);
    let rid = id(&rl);
    assert_same_json(&rl, &reference(&["registered", "limit", "show", &rid]), &[]);
    let set = ours(&["registered", "limit", "set", &rid, "--default-limit", "7"]);
    assert_eq!(set["default_limit"], 7);
    same_show(&["registered", "limit", "show", &rid], &[]);
    assert!(listed(
        &["registered", "limit", "list", "--service", "glance"],
        "ID",
        &rid
    ));

    let l = ours(&[
        "limit",
        "create",
        &res,
        "--service",
        "glance",
        "--project",
        "demo",
        "--resource-limit",
        "3",
    ]);
    let lid = id(&l);
    assert_same_json(&l, &reference(&["limit", "show", &lid]), &[]);
    assert_eq!(
        ours(&[
            "limit",
            "set",
            &lid,
            "--resource-limit",
            "4",
            "--description",
            "x"
        ])["resource_limit"],
        4
    );
    same_show(&["limit", "show", &lid], &[]);
    let list = ["limit", "list", "--resource-name", &res];
    assert_same_json(&ours(&list), &reference(&list), &[]);
    ok(&["limit", "delete", &lid]);
    ok(&["registered", "limit", "delete", &rid]);
    assert!(!listed(&["registered", "limit", "list"], "ID", &rid));
}

#[test]
fn trust_lifecycle() {
    require_cloud!();
    let trustee = unique("osc-trustee");
    ok(&["user", "create", &trustee]);
    let t = ours(&[
        "trust",
        "create",
        "admin",
        &trustee,
        "--project",
        "admin",
        "--role",
        "member",
        "--expiration",
        "2099-01-01T00:00:00",
    ]);
    let tid = id(&t);
    same_show(&["trust", "show", &tid], &[]);
    assert!(listed(
        &["trust", "list", "--trustee", &trustee],
        "ID",
        &tid
    ));
    assert!(listed(&["trust", "list", "--auth-user"], "ID", &tid));
    ok(&["trust", "delete", &tid]);
    ok(&["user", "delete", &trustee]);
}

#[test]
fn mapping_identity_provider_and_protocol() {
    require_cloud!();
    let mapping = unique("osc-map");
    let idp = unique("osc-idp");
    let rules = temp_file(
        r#"[{"local": [{"user": {"name": "{0}"}}], "remote": [{"type": "REMOTE_USER"}]}]"#,
    );
    let rules_path = rules.path().to_str().unwrap();
    ours(&["mapping", "create", &mapping, "--rules", rules_path]);
    same_show(&["mapping", "show", &mapping], &[]);
    ok(&["mapping", "set", &mapping, "--rules", rules_path]);
    assert!(listed(&["mapping", "list"], "ID", &mapping));

    let created = ours(&[
        "identity",
        "provider",
        "create",
        &idp,
        "--remote-id",
        "https://idp.example/a",
        "--description",
        "d",
    ]);
    assert_eq!(created["id"], idp.as_str());
    same_show(&["identity", "provider", "show", &idp], &[]);
    ok(&[
        "identity",
        "provider",
        "set",
        &idp,
        "--disable",
        "--description",
        "d2",
    ]);
    assert_eq!(
        same_show(&["identity", "provider", "show", &idp], &[])["enabled"],
        false
    );
    assert!(listed(&["identity", "provider", "list"], "ID", &idp));

    let p = ours(&[
        "federation",
        "protocol",
        "create",
        "saml2",
        "--identity-provider",
        &idp,
        "--mapping",
        &mapping,
    ]);
    assert_eq!(p["mapping"], mapping.as_str());
    same_show(
        &[
            "federation",
            "protocol",
            "show",
            "saml2",
            "--identity-provider",
            &idp,
        ],
        &[],
    );
    let pl = [
        "federation",
        "protocol",
        "list",
        "--identity-provider",
        &idp,
    ];
    assert_same_json(&ours(&pl), &reference(&pl), &[]);
    ok(&[
        "federation",
        "protocol",
        "delete",
        "saml2",
        "--identity-provider",
        &idp,
    ]);

    let domain_id = created["domain_id"].as_str().unwrap().to_string();
    ok(&["identity", "provider", "delete", &idp]);
    ok(&["mapping", "delete", &mapping]);
    // Keystone made a domain for the provider; remove it too.
    ok(&["domain", "set", &domain_id, "--disable"]);
    ok(&["domain", "delete", &domain_id]);
    assert!(!listed(&["mapping", "list"], "ID", &mapping));
}

#[test]
fn unknown_names_fail_with_one_line() {
    require_cloud!();
    let out = osc(&a(&["project", "show", "osc-no-such-project"]));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("No project with a name or ID of 'osc-no-such-project' exists."),
        "{err}"
    );
}
