//! Faults a cloud shows, through the built binary against the fault server
//! (tests/support/fault.rs): error statuses in every service's format, 429/503 retries and
//! their backoff, resets, short and non-JSON bodies, timeouts, a revoked cached token,
//! refused connections, a 20,000-item listing; for built-in commands and for plugin
//! commands (the shipped network plugin, through the host). Also: parallel processes on a
//! cold token cache, interruptions during transfers and waits, and a secrets audit of
//! every auth type under `--debug` and `--log-file`. The rules are the table in
//! docs/architecture.md ("Faults and retries").
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Value};
use std::time::{Duration, Instant};
use support::fault::{
    cloud_server, issued_token, one_line_error, FakeCloud, FaultServer, Reply, Seen,
};

/// The images listing path and the networks listing path (the plugin's).
const IMAGES: &str = "/image/v2/images";
const NETWORKS: &str = "/network/v2.0/networks";

/// A built-in listing and a plugin listing, with the path each requests.
const LISTINGS: [(&[&str], &str); 2] = [
    (&["image", "list", "-f", "value", "-c", "Name"], IMAGES),
    (&["network", "list", "-f", "value", "-c", "Name"], NETWORKS),
];

fn plugins() {
    static BUILT: std::sync::Once = std::sync::Once::new();
    BUILT.call_once(support::build_in_tree_plugins);
}

fn images(n: usize) -> Value {
    let items: Vec<Value> = (0..n)
        .map(|i| json!({"id": format!("i{i}"), "name": format!("img{i}"), "status": "active"}))
        .collect();
    json!({"images": items})
}

fn networks(n: usize) -> Value {
    let items: Vec<Value> = (0..n)
        .map(|i| json!({"id": format!("n{i}"), "name": format!("net{i}"), "subnets": []}))
        .collect();
    json!({"networks": items})
}

/// The listing body for `path` with one item named `*0`.
fn one_item(path: &str) -> Reply {
    if path == IMAGES {
        Reply::json(200, images(1))
    } else {
        Reply::json(200, networks(1))
    }
}

/// A server answering the listing at `path` with `fault(n)` for its `n`th request (from 0).
fn faulty(
    path: &'static str,
    fault: impl Fn(usize) -> Reply + Send + Sync + 'static,
) -> FaultServer {
    let n = std::sync::atomic::AtomicUsize::new(0);
    cloud_server(move |s: &Seen| {
        (s.path == path).then(|| fault(n.fetch_add(1, std::sync::atomic::Ordering::SeqCst)))
    })
}

/// The one-line message of an HTTP error: osc's for built-ins, openstacksdk's for the
/// network plugin (as python-openstackclient's network commands print).
fn http_message(
    server: &FaultServer,
    path: &str,
    status: u16,
    msg: &str,
    rid: Option<&str>,
) -> String {
    if path == NETWORKS {
        let kind = if status < 500 { "Client" } else { "Server" };
        format!(
            "HttpException: {status}: {kind} Error for url: {}{path}, {msg}",
            server.url
        )
    } else {
        let rid = rid
            .map(|r| format!(" (Request-ID: {r})"))
            .unwrap_or_default();
        format!("{msg} (HTTP {status}){rid}")
    }
}

fn at(server: &FaultServer, path: &str) -> Vec<Seen> {
    server
        .seen()
        .into_iter()
        .filter(|s| s.path == path)
        .collect()
}

/// Error bodies in every service's format become their message on one line, with the
/// request ID; 500, 502 and 504 are not retried.
#[test]
fn error_bodies_of_every_format_are_one_line() {
    plugins();
    let cases: [(u16, &str, &str, &str); 7] = [
        (500, "application/json", r#"{"computeFault": {"message": "Nova broke", "code": 500}}"#, "Nova broke"),
        (502, "application/json", r#"{"NeutronError": {"type": "X", "message": "Neutron\nbroke", "detail": ""}}"#, "Neutron broke"),
        (504, "text/html", "<html><head><title>504 Gateway Time-out</title></head><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>", "504 Gateway Time-out 504 Gateway Time-out The server didn't respond in time."),
        (500, "application/json", r#"{"errors": [{"status": 500, "title": "Internal", "detail": "Placement broke"}]}"#, "Placement broke"),
        (500, "application/json", r#"{"error": {"code": 500, "message": "Keystone broke", "title": "Internal Server Error"}}"#, "Keystone broke"),
        (500, "text/plain", "plain \u{1b}[31mwords\u{1b}[0m\r\n", "plain [31mwords[0m"),
        (502, "text/html", "", "Bad Gateway"),
    ];
    for (args, path) in LISTINGS {
        for (status, ct, body, want) in cases {
            let server = faulty(path, move |_| {
                Reply::text(status, ct, body).header("X-Openstack-Request-Id", "req-42")
            });
            let cloud = FakeCloud::new(&server.url);
            let out = cloud.osc(args);
            assert_eq!(out.status.code(), Some(1), "{args:?} {status} {body}");
            let err = one_line_error(&out);
            assert_eq!(
                err.trim_end(),
                http_message(&server, path, status, want, Some("req-42")),
                "{args:?}"
            );
            assert_eq!(at(&server, path).len(), 1, "{args:?} {status}: retried");
        }
    }
}

/// 503 and 429 are retried three times (four requests) with a growing backoff
/// (0.25 s, 0.5 s, 1 s), then fail with the service's message.
#[test]
fn unavailable_is_retried_three_times_with_backoff() {
    plugins();
    for (args, path) in LISTINGS {
        let server = faulty(path, |_| Reply::json(503, json!({"message": "Try later"})));
        let cloud = FakeCloud::new(&server.url);
        let out = cloud.osc(args);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            one_line_error(&out).trim_end(),
            http_message(&server, path, 503, "Try later", None)
        );
        let seen = at(&server, path);
        assert_eq!(seen.len(), 4, "{args:?}");
        for (i, want) in [0.25, 0.5, 1.0].iter().enumerate() {
            let gap = seen[i + 1].at.duration_since(seen[i].at).as_secs_f64();
            assert!(
                gap >= *want,
                "{args:?}: retry {i} after {gap}s, before {want}s"
            );
        }
    }
}

/// `Retry-After` is honoured, in seconds and as an HTTP-date; the retry then succeeds.
#[test]
fn retry_after_is_honoured_in_seconds_and_as_a_date() {
    plugins();
    for (args, path) in LISTINGS {
        for date in [false, true] {
            let server = faulty(path, move |n| match n {
                0 => {
                    let after = if date {
                        http_date(std::time::SystemTime::now() + Duration::from_secs(2))
                    } else {
                        "1".to_string()
                    };
                    Reply::json(429, json!({"message": "Slow down"})).header("Retry-After", &after)
                }
                _ => one_item(path),
            });
            let cloud = FakeCloud::new(&server.url);
            let out = cloud.ok(args);
            assert!(out.ends_with("0\n"), "{args:?}: {out}");
            let seen = at(&server, path);
            assert_eq!(seen.len(), 2, "{args:?}");
            let gap = seen[1].at.duration_since(seen[0].at).as_secs_f64();
            // A date has one-second resolution: two seconds ahead is at least one.
            assert!(gap >= 0.95, "{args:?} date={date}: retried after {gap}s");
            assert!(gap < 5.0, "{args:?} date={date}: retried after {gap}s");
        }
    }
}

/// RFC 7231's IMF-fixdate for a time.
fn http_date(t: std::time::SystemTime) -> String {
    let secs = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86400), secs.rem_euclid(86400));
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let mon = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m - 1) as usize];
    format!(
        "{wd}, {d:02} {mon} {y} {:02}:{:02}:{:02} GMT",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// A POST is not retried on 503: it may have been carried out.
#[test]
fn creates_are_not_retried() {
    plugins();
    for (args, path) in [
        (&["image", "create", "img"][..], IMAGES),
        (&["network", "create", "net"][..], NETWORKS),
    ] {
        let server = faulty(path, |_| Reply::json(503, json!({"message": "Try later"})));
        let cloud = FakeCloud::new(&server.url);
        let out = cloud.osc(args);
        assert_eq!(out.status.code(), Some(1));
        // (The plugin's create reports errors as osc does, its list as openstacksdk does.)
        let err = one_line_error(&out);
        assert!(err.contains("503") && err.contains("Try later"), "{err}");
        assert_eq!(
            server.count(|s| s.method == "POST" && s.path == path),
            1,
            "{args:?}"
        );
    }
}

/// A reset mid-body, a body short of its Content-Length and a body that is not JSON are
/// one-line errors naming the URL, after one request.
#[test]
fn broken_bodies_are_one_line() {
    plugins();
    let body = br#"{"images": [{"id": "i0", "name": "img0"}, {"id": "#.to_vec();
    for (args, path) in LISTINGS {
        for (what, reset) in [("reset", true), ("short", false)] {
            let b = body.clone();
            let server = faulty(path, move |_| Reply::Cut {
                status: 200,
                length: 4000,
                body: b.clone(),
                reset,
            });
            let cloud = FakeCloud::new(&server.url);
            let out = cloud.osc(args);
            assert_eq!(out.status.code(), Some(1), "{args:?} {what}");
            let err = one_line_error(&out);
            assert!(
                err.contains(&format!("{}{path}", server.url)),
                "{args:?} {what}: {err}"
            );
            assert_eq!(at(&server, path).len(), 1, "{args:?} {what}");
        }
        let server = faulty(path, |_| {
            Reply::text(
                200,
                "text/html",
                "<html><body>Welcome to nginx!</body></html>",
            )
        });
        let cloud = FakeCloud::new(&server.url);
        let out = cloud.osc(args);
        assert_eq!(out.status.code(), Some(1));
        let err = one_line_error(&out);
        assert!(err.contains("not valid JSON"), "{args:?}: {err}");
        assert!(
            err.contains(&format!("{}{path}", server.url)),
            "{args:?}: {err}"
        );
    }
}

/// A reply slower than `api_timeout` fails once, at the timeout, saying so; not retried.
#[test]
fn slow_replies_time_out_at_api_timeout() {
    plugins();
    for (args, path) in LISTINGS {
        let server = faulty(path, move |_| {
            one_item(path).delayed(Duration::from_secs(4))
        });
        let cloud = FakeCloud::with(
            &support::fault::password_auth(&server.url),
            "    api_timeout: 1\n",
        );
        // The reply would come after 4 s and succeed: "timed out" is osc giving up at 1 s.
        let out = cloud.osc(args);
        assert_eq!(out.status.code(), Some(1));
        let err = one_line_error(&out);
        assert!(
            err.contains("timed out; raise api_timeout"),
            "{args:?}: {err}"
        );
        assert_eq!(at(&server, path).len(), 1, "{args:?}");
    }
}

/// A 401 on a cached token logs in once more and repeats the request; a service that
/// refuses every token fails after that one extra login, not in a loop.
#[test]
fn a_revoked_cached_token_logs_in_once_more() {
    plugins();
    for (args, path) in LISTINGS {
        let revoked = issued_token(1);
        let server = cloud_server(move |s: &Seen| {
            (s.path == path).then(|| {
                if s.token() == revoked {
                    Reply::json(401, json!({"error": {"code": 401, "message": "The request you have made requires authentication."}}))
                } else {
                    one_item(path)
                }
            })
        });
        let cloud = FakeCloud::new(&server.url);
        cloud.ok(&["token", "issue"]);
        assert_eq!(server.logins(), 1);
        assert!(cloud.ok(args).ends_with("0\n"));
        assert_eq!(server.logins(), 2, "{args:?}");
        assert_eq!(at(&server, path).len(), 2, "{args:?}");

        let server = faulty(path, |_| {
            Reply::json(
                401,
                json!({"error": {"code": 401, "message": "The request you have made requires authentication."}}),
            )
        });
        let cloud = FakeCloud::new(&server.url);
        cloud.ok(&["token", "issue"]);
        let out = cloud.osc(args);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            one_line_error(&out).trim_end(),
            http_message(
                &server,
                path,
                401,
                "The request you have made requires authentication.",
                None
            )
        );
        assert_eq!(server.logins(), 2, "{args:?}");
        assert_eq!(at(&server, path).len(), 2, "{args:?}");
    }
}

/// A port nobody listens on: connection attempts are retried (four in all), then one line.
#[test]
fn refused_connections_are_one_line() {
    plugins();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    for (args, service) in [(LISTINGS[0].0, "image"), (LISTINGS[1].0, "network")] {
        let server = cloud_server(|_| None);
        let cloud = FakeCloud::with(
            &support::fault::password_auth(&server.url),
            &format!("    {service}_endpoint_override: http://{closed}/\n"),
        );
        let started = Instant::now();
        let out = cloud.osc(args);
        assert_eq!(out.status.code(), Some(1));
        let err = one_line_error(&out);
        assert!(
            err.contains(&format!("Unable to connect to http://{closed}/")),
            "{args:?}: {err}"
        );
        // Backoff 0.25 + 0.5 + 1 s between the four attempts.
        assert!(started.elapsed() >= Duration::from_millis(1750), "{args:?}");
    }
}

/// 20,000 items in pages of 1,000 (Glance's `next`, Neutron's `networks_links`): every
/// item, each page requested once.
#[test]
fn a_listing_of_twenty_thousand_items() {
    plugins();
    const N: usize = 20_000;
    const PAGE: usize = 1_000;
    let server = cloud_server(|s: &Seen| {
        let start: usize = s
            .query
            .split('&')
            .find_map(|kv| kv.strip_prefix("marker="))
            .and_then(|m| m.trim_start_matches(['i', 'n']).parse::<usize>().ok())
            .map_or(0, |m| m + 1);
        let end = (start + PAGE).min(N);
        let (key, prefix) = match s.path.as_str() {
            IMAGES => ("images", "i"),
            NETWORKS => ("networks", "n"),
            _ => return None,
        };
        let items: Vec<Value> = (start..end)
            .map(|i| json!({"id": format!("{prefix}{i}"), "name": format!("x{i}"), "status": "active", "subnets": []}))
            .collect();
        let mut body = json!({ key: items });
        if end < N {
            let last = format!("{prefix}{}", end - 1);
            if key == "images" {
                body["next"] = json!(format!("/v2/images?marker={last}"));
            } else {
                body["networks_links"] = json!([{"rel": "next", "href": format!("http://{}{NETWORKS}?marker={last}", s.header("host").unwrap_or(""))}]);
            }
        }
        Some(Reply::json(200, body))
    });
    let cloud = FakeCloud::new(&server.url);
    for (args, path) in LISTINGS {
        let out = cloud.ok(args);
        let names: Vec<&str> = out.lines().collect();
        assert_eq!(names.len(), N, "{args:?}");
        let distinct: std::collections::BTreeSet<&str> = names.iter().copied().collect();
        assert_eq!(distinct.len(), N, "{args:?}");
        assert_eq!(at(&server, path).len(), N / PAGE, "{args:?}");
    }
}

/// 20 osc processes at once on a cold token cache: all succeed, each logs in at most once,
/// the cache entry is whole (a second wave logs in not at all) and private (0600 in 0700);
/// then, with that token revoked, 20 at once each log in at most once more and succeed.
#[test]
fn parallel_processes_share_the_cache_safely() {
    use std::os::unix::fs::PermissionsExt;
    const N: usize = 20;
    let revoked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let r = revoked.clone();
    let server = cloud_server(move |s: &Seen| {
        (s.path == IMAGES).then(|| {
            if r.lock().unwrap().iter().any(|t| t == s.token()) {
                Reply::json(
                    401,
                    json!({"error": {"code": 401, "message": "Token revoked"}}),
                )
            } else {
                Reply::json(200, images(3))
            }
        })
    });
    let cloud = FakeCloud::new(&server.url);
    let wave = || {
        let children: Vec<_> = (0..N)
            .map(|_| {
                cloud
                    .command(&["image", "list", "-f", "value", "-c", "Name", "--debug"])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{err}");
            assert_eq!(String::from_utf8_lossy(&out.stdout), "img0\nimg1\nimg2\n");
            assert!(err.matches("Authenticated to").count() <= 1, "{err}");
        }
        let entries: Vec<_> = std::fs::read_dir(cloud.cache_dir().join("auth"))
            .unwrap()
            .map(|e| e.unwrap())
            .collect();
        assert_eq!(entries.len(), 1, "one entry, no leftover temporary files");
        let dir_mode = std::fs::metadata(cloud.cache_dir().join("auth"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        for e in entries {
            assert_eq!(e.metadata().unwrap().permissions().mode() & 0o777, 0o600);
            let v: Value = serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
            assert!(v["token"]
                .as_str()
                .is_some_and(|t| t.starts_with("gAAAAAtoken")));
        }
    };
    wave();
    let logins = server.logins();
    assert!((1..=N).contains(&logins), "{logins} logins");
    wave();
    assert_eq!(server.logins(), logins, "the cached entry was not whole");
    // Every token issued so far is revoked.
    *revoked.lock().unwrap() = (1..=logins).map(issued_token).collect();
    wave();
    assert!(server.logins() <= logins + N);
    assert!(server.logins() > logins);
}

/// A secret's recognisable parts: the value itself.
fn assert_no_secret(what: &str, text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!text.contains(s), "{what} shows the secret {s:?}:\n{text}");
    }
}

/// Every auth type the fake Keystone (and its fake OpenID provider) can serve, run with
/// `--debug` and `--log-file`: no configured secret, issued token or IdP access token
/// appears in the output or the log, on success and on an HTTP error.
#[test]
fn no_secret_in_debug_output_or_log_for_any_auth_type() {
    let server = cloud_server(|s: &Seen| {
        (s.path == IMAGES)
            .then(|| Reply::json(200, images(1)))
            .or_else(|| {
                (s.path == "/image/v2/images/x")
                    .then(|| Reply::json(500, json!({"message": "boom"})))
            })
    });
    let ks = format!("{}/identity/v3", server.url);
    let scope = "      project_name: p\n      project_domain_id: default\n";
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        ("password", format!("      auth_url: {ks}\n      username: u\n      user_domain_id: default\n      password: PASSWORD-S3CRET\n{scope}"), vec!["PASSWORD-S3CRET"]),
        ("token", format!("      auth_url: {ks}\n      token: GIVEN-TOKEN-S3CRET\n{scope}"), vec!["GIVEN-TOKEN-S3CRET"]),
        ("v3applicationcredential", format!("      auth_url: {ks}\n      application_credential_id: ac1\n      application_credential_secret: APPCRED-S3CRET\n"), vec!["APPCRED-S3CRET"]),
        ("v3totp", format!("      auth_url: {ks}\n      username: u\n      user_domain_id: default\n      passcode: '987654'\n{scope}"), vec!["987654"]),
        ("v3multifactor", format!("      auth_url: {ks}\n      auth_methods: v3password,v3totp\n      username: u\n      user_domain_id: default\n      password: MFA-PASSWORD-S3CRET\n      passcode: '123987'\n{scope}"), vec!["MFA-PASSWORD-S3CRET", "123987"]),
        ("v3oidcpassword", format!("      auth_url: {ks}\n      identity_provider: idp\n      protocol: openid\n      client_id: cid\n      client_secret: CLIENT-S3CRET\n      access_token_endpoint: {}/idp/token\n      username: u\n      password: OIDC-PASSWORD-S3CRET\n{scope}", server.url), vec!["CLIENT-S3CRET", "OIDC-PASSWORD-S3CRET", "IDP-ACCESS-TOKEN-SECRET"]),
        ("v3oidcclientcredentials", format!("      auth_url: {ks}\n      identity_provider: idp\n      protocol: openid\n      client_id: cid\n      client_secret: CC-CLIENT-S3CRET\n      discovery_endpoint: {}/idp/.well-known/openid-configuration\n{scope}", server.url), vec!["CC-CLIENT-S3CRET", "IDP-ACCESS-TOKEN-SECRET"]),
        ("v3oidcaccesstoken", format!("      auth_url: {ks}\n      identity_provider: idp\n      protocol: openid\n      access_token: GIVEN-ACCESS-S3CRET\n{scope}"), vec!["GIVEN-ACCESS-S3CRET"]),
    ];
    for (ty, auth, secrets) in cases {
        let cloud = FakeCloud::with(&auth, &format!("    auth_type: {ty}\n"));
        let before = server.logins();
        let log = cloud.dir.path().join("osc.log");
        let log_arg = log.to_str().unwrap();
        let mut issued = vec![];
        for (args, ok) in [
            (&["image", "list"][..], true),
            (&["image", "show", "x"][..], false),
        ] {
            let mut argv = vec!["--debug", "--log-file", log_arg];
            argv.extend(args);
            let out = cloud.osc(&argv);
            assert_eq!(
                out.status.success(),
                ok,
                "{ty} {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            for n in before + 1..=server.logins() {
                issued.push(issued_token(n));
            }
            let mut all = secrets.clone();
            all.extend(issued.iter().map(String::as_str));
            all.push("unscoped-FED");
            assert_no_secret(
                &format!("{ty} stderr"),
                &String::from_utf8_lossy(&out.stderr),
                &all,
            );
            assert_no_secret(
                &format!("{ty} stdout"),
                &String::from_utf8_lossy(&out.stdout),
                &all,
            );
            let logged = std::fs::read_to_string(&log).unwrap_or_default();
            assert!(
                logged.contains("REQ: curl"),
                "{ty}: the log has the requests"
            );
            assert_no_secret(&format!("{ty} log file"), &logged, &all);
        }
        // Logged in (the token type presents the given token).
        assert!(server.logins() > before, "{ty} never logged in");
    }
    // `token issue` prints the token: in its result only, never in the trace.
    let cloud = FakeCloud::new(&server.url);
    let out = cloud.osc(&["--debug", "token", "issue", "-f", "value", "-c", "id"]);
    assert!(out.status.success());
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(token.starts_with("gAAAAAtoken"));
    assert_no_secret(
        "token issue stderr",
        &String::from_utf8_lossy(&out.stderr),
        &[&token, "PASSWORD-S3CRET"],
    );
}

/// Waits (at most 20 s) until the server has seen a request `f` accepts.
fn until_seen(server: &FaultServer, f: impl Fn(&Seen) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.count(&f) == 0 {
        assert!(Instant::now() < deadline, "the request never came");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts `osc args` in `dir`, waits until the server sees `when`, sends `sig`; returns
/// the exit code and stderr.
fn interrupt(
    cloud: &FakeCloud,
    server: &FaultServer,
    dir: &std::path::Path,
    args: &[&str],
    when: impl Fn(&Seen) -> bool,
    sig: i32,
) -> (Option<i32>, String) {
    let child = cloud
        .command(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    until_seen(server, when);
    // SAFETY: signalling our own child.
    assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// SIGINT and SIGTERM during an image download, an image upload and a `--wait`: exit 130
/// and 143, no file under the target name (nor a partial one), and a message saying what
/// state the server-side object is in.
#[test]
fn interruptions_exit_130_or_143_and_leave_no_partial_file() {
    let server = cloud_server(|s: &Seen| match (s.method.as_str(), s.path.as_str()) {
        ("GET", "/image/v2/images/i1") => Some(Reply::json(
            200,
            json!({"id": "i1", "name": "img", "status": "active", "size": 100000,
                   "container_format": "bare", "disk_format": "raw"}),
        )),
        ("GET", "/image/v2/images/i1/file") => Some(Reply::Trickle {
            length: 100_000,
            interval: Duration::from_millis(5),
        }),
        ("POST", "/image/v2/images") => Some(Reply::json(
            201,
            json!({"id": "i2", "name": "up", "status": "queued"}),
        )),
        // The upload is taken in, its answer held.
        ("PUT", "/image/v2/images/i2/file") => {
            Some(Reply::empty(204).delayed(Duration::from_secs(15)))
        }
        ("GET", "/volume/v3/") => Some(Reply::json(
            200,
            json!({"version": {"id": "v3.0", "status": "CURRENT", "min_version": "3.0", "version": "3.71"}}),
        )),
        ("POST", "/volume/v3/p/volumes") => Some(Reply::json(
            202,
            json!({"volume": {"id": "v1", "name": "vol", "status": "creating", "size": 1}}),
        )),
        ("GET", "/volume/v3/p/volumes/v1") => Some(Reply::json(
            200,
            json!({"volume": {"id": "v1", "name": "vol", "status": "creating", "size": 1}}),
        )),
        _ => None,
    });
    let cloud = FakeCloud::new(&server.url);
    let work = tempfile::tempdir().unwrap();
    let files = || -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(work.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    for (sig, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        // A download: interrupted once bytes are flowing.
        let (got, err) = interrupt(
            &cloud,
            &server,
            work.path(),
            &["image", "save", "--file", "saved.img", "i1"],
            |s| s.path == "/image/v2/images/i1/file",
            sig,
        );
        assert_eq!(got, Some(code), "{err}");
        assert!(err.starts_with("Interrupted (SIG"), "{err}");
        assert_eq!(files(), Vec::<String>::new(), "a partial download was left");
        server.clear();
    }
    // An upload: the image was created, its data did not arrive.
    std::fs::write(work.path().join("disk.img"), vec![7u8; 300_000]).unwrap();
    let (got, err) = interrupt(
        &cloud,
        &server,
        work.path(),
        &[
            "image",
            "create",
            "--file",
            "disk.img",
            "--disk-format",
            "raw",
            "up",
        ],
        |s| s.path == "/image/v2/images/i2/file",
        libc::SIGINT,
    );
    assert_eq!(got, Some(130), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("image i2 did not finish") && err.contains("queued"),
        "{err}"
    );
    assert_eq!(files(), vec!["disk.img".to_string()]);
    // A wait: `volume create --bootable` waits for the volume to become available.
    let (got, err) = interrupt(
        &cloud,
        &server,
        work.path(),
        &["volume", "create", "--size", "1", "--bootable", "vol"],
        |s| s.path == "/volume/v3/p/volumes/v1",
        libc::SIGTERM,
    );
    assert_eq!(got, Some(143), "{err}");
    assert_eq!(err.trim_end(), "Interrupted (SIGTERM)");
}

/// A cloud whose DELETEs under `prefix` are held until three are open at once (the first
/// is answered at once, so osc authenticates and discovers alone before the others);
/// `get` answers the lookups. Returns what `osc args` did, the DELETEs seen, the most
/// open at once and how many held ones gave up after 10 s.
fn held_deletes(
    args: &[&str],
    prefix: &'static str,
    get: fn(&Seen, &str) -> Option<Reply>,
) -> (std::process::Output, Vec<String>, usize, usize) {
    use std::sync::{Condvar, Mutex};
    // (open now, most open at once, seen in all, held ones that gave up)
    let open = std::sync::Arc::new((Mutex::new((0usize, 0usize, 0usize, 0usize)), Condvar::new()));
    let o = open.clone();
    let server = cloud_server(move |s: &Seen| {
        let name = s.path.strip_prefix(prefix)?;
        match s.method.as_str() {
            "GET" => get(s, name),
            "DELETE" => {
                let (lock, cv) = &*o;
                let mut g = lock.lock().unwrap();
                g.2 += 1;
                if g.2 == 1 {
                    return Some(Reply::empty(204));
                }
                g.0 += 1;
                g.1 = g.1.max(g.0);
                cv.notify_all();
                // Held until three deletes are open together (or 10 s have passed).
                let (mut g, waited) = cv
                    .wait_timeout_while(g, Duration::from_secs(10), |g| g.1 < 3)
                    .unwrap();
                g.0 -= 1;
                if waited.timed_out() {
                    g.3 += 1;
                }
                Some(Reply::empty(204))
            }
            _ => None,
        }
    });
    let cloud = FakeCloud::new(&server.url);
    let out = cloud.osc(args);
    let deletes: Vec<String> = server
        .seen()
        .into_iter()
        .filter(|s| s.method == "DELETE")
        .map(|s| s.path)
        .collect();
    let g = open.0.lock().unwrap();
    (out, deletes, g.1, g.3)
}

/// Ten names with two missing ones among them, in the order given.
fn names_with_two_missing(stem: &str) -> Vec<String> {
    let mut names: Vec<String> = (0..10).map(|i| format!("{stem}{i}")).collect();
    names.insert(3, "gone1".into());
    names.insert(8, "gone2".into());
    names
}

/// `server delete` of many names sends its DELETEs concurrently (the first alone: osc
/// authenticates and discovers once; the server holds each later DELETE until three are open
/// at once, so one-at-a-time would never get there), and still
/// reports as python-openstackclient: each failure in the order the names were given, then
/// the summary, exit 1.
#[test]
fn many_deletes_overlap_and_report_in_order() {
    let names = names_with_two_missing("srv");
    let mut args = vec!["server", "delete"];
    args.extend(names.iter().map(String::as_str));
    let (out, deletes, most, waited_in_vain) =
        held_deletes(&args, "/compute/v2.1/servers/", |_, name| match name {
            n if n.starts_with("srv") => Some(Reply::json(
                200,
                json!({"server": {"id": n, "name": n, "status": "ACTIVE"}}),
            )),
            "detail" => Some(Reply::json(200, json!({"servers": []}))),
            _ => None,
        });
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            "Failed to delete server with name or ID 'gone1': No server with a name or ID of 'gone1' exists.",
            "Failed to delete server with name or ID 'gone2': No server with a name or ID of 'gone2' exists.",
            "2 of 12 servers failed to delete.",
        ],
        "{err}"
    );
    assert_eq!(deletes.len(), 10, "{deletes:?}");
    for i in 0..10 {
        assert!(deletes.contains(&format!("/compute/v2.1/servers/srv{i}")));
    }
    assert!(most >= 3, "the deletes never overlapped");
    assert_eq!(waited_in_vain, 0, "a held delete never saw three open");
}

/// The same for a plugin command: `port delete` through the network plugin, whose threads
/// call the host at once (ABI 1.1), with python-openstackclient's messages in order.
#[test]
fn a_plugins_deletes_overlap_and_report_in_order() {
    let names = names_with_two_missing("port");
    let mut args = vec!["port", "delete"];
    args.extend(names.iter().map(String::as_str));
    let (out, deletes, most, waited_in_vain) =
        held_deletes(&args, "/network/v2.0/ports", |s, name| match name {
            // By ID: the ports exist, the missing ones are 404s; by name: none.
            "" => {
                Some(Reply::json(200, json!({"ports": []}))).filter(|_| s.query.contains("name="))
            }
            n if n.starts_with("/port") => Some(Reply::json(
                200,
                json!({"port": {"id": &n[1..], "name": &n[1..]}}),
            )),
            _ => Some(Reply::json(
                404,
                json!({"NeutronError": {"message": "not found"}}),
            )),
        });
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            // A plugin's warnings carry its name.
            "network: Failed to delete port with name or ID 'gone1': No Port found for gone1",
            "network: Failed to delete port with name or ID 'gone2': No Port found for gone2",
            "2 of 12 ports failed to delete.",
        ],
        "{err}"
    );
    assert_eq!(deletes.len(), 10, "{deletes:?}");
    for i in 0..10 {
        assert!(deletes.contains(&format!("/network/v2.0/ports/port{i}")));
    }
    assert!(most >= 3, "the deletes never overlapped");
    assert_eq!(waited_in_vain, 0, "a held delete never saw three open");
}
