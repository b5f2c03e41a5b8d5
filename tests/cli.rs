//! Command-line behaviour that needs no cloud: exit codes, one-line errors, help.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::Command;

fn osc(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    osc_with_stdin(args, env, "")
}

/// Runs osc with `stdin` piped in (interactive mode reads command lines from it).
fn osc_with_stdin(args: &[&str], env: &[(&str, &str)], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut c = Command::new(env!("CARGO_BIN_EXE_osc"));
    for (k, _) in std::env::vars() {
        if k.starts_with("OS_") {
            c.env_remove(k);
        }
    }
    let mut child = c
        .envs(env.iter().copied())
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A clouds.yaml with clouds `a` (region R1) and `b` (region R2), nothing listening.
fn two_clouds() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("clouds.yaml");
    std::fs::write(
        &p,
        "clouds:\n  a:\n    region_name: R1\n    auth:\n      auth_url: http://127.0.0.1:9/v3\n  b:\n    region_name: R2\n    auth:\n      auth_url: http://127.0.0.1:9/v3\n",
    )
    .unwrap();
    let p = p.to_str().unwrap().to_string();
    (dir, p)
}

fn one_line_error(out: &std::process::Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "expected one line, got:\n{err}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    err
}

#[test]
fn version_and_help() {
    let out = osc(&["--version"], &[]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("osc "));
    let out = osc(&["--help"], &[]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("--os-cloud") && help.contains("token issue"),
        "{help}"
    );
}

#[test]
fn unknown_command_is_a_usage_error() {
    let out = osc(&["frobnicate", "list"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = one_line_error(&out);
    assert!(
        err.starts_with(
            "osc: 'frobnicate list' is not an osc command. See 'osc --help'. Did you mean one of these? aggregate add host, "
        ),
        "{err}"
    );
}

/// Issue 22.5: an unknown global option is named, as cliff names the rest of the line.
#[test]
fn unknown_global_option_is_named() {
    let out = osc(&["--bogus-opt", "x", "server", "list"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = one_line_error(&out);
    assert!(
        err.starts_with(
            "osc: '--bogus-opt x server list' is not an osc command. See 'osc --help'."
        ),
        "{err}"
    );
    // argparse's own errors for global options.
    let out = osc(&["--os-cloud"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        one_line_error(&out),
        "osc: error: argument --os-cloud: expected one argument\n"
    );
    let out = osc(&["--os-c", "x", "server", "list"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(one_line_error(&out)
        .starts_with("osc: error: ambiguous option: --os-c could match --os-cloud, --os-cacert, "));
    // A unique abbreviation is the option (argparse's allow_abbrev).
    let (_dir, clouds) = two_clouds();
    let out = osc(
        &[
            "--os-clou",
            "b",
            "configuration",
            "show",
            "-f",
            "value",
            "-c",
            "region_name",
        ],
        &[("OS_CLIENT_CONFIG_FILE", &clouds)],
    );
    assert_eq!(
        stdout(&out),
        "R2\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Issue 22.4: `--os-auth-type` takes only keystoneauth's plugin names, checked before any
/// configuration is read or request sent.
#[test]
fn unknown_auth_type_is_an_invalid_choice() {
    for bad in ["token_endpoint", "bogus"] {
        let out = osc(&["configuration", "show", "--os-auth-type", bad], &[]);
        assert_eq!(out.status.code(), Some(2));
        let err = one_line_error(&out);
        assert_eq!(
            err,
            format!("osc: error: argument --os-auth-type: invalid choice: '{bad}' (choose from 'admin_token', 'http_basic', 'noauth', 'none', 'password', 'token', 'v2password', 'v2token', 'v3adfspassword', 'v3applicationcredential', 'v3multifactor', 'v3oauth1', 'v3oauth2clientcredential', 'v3oauth2mtlsclientcredential', 'v3oidcaccesstoken', 'v3oidcauthcode', 'v3oidcclientcredentials', 'v3oidcdeviceauthz', 'v3oidcpassword', 'v3password', 'v3samlpassword', 'v3token', 'v3tokenlessauth', 'v3totp', 'v3websso')\n")
        );
    }
    // OSC's other global choice.
    let out = osc(
        &["--os-interface", "publicURL", "configuration", "show"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        one_line_error(&out),
        "osc: error: argument --os-interface: invalid choice: 'publicURL' (choose from 'admin', 'public', 'internal')\n"
    );
    let (_dir, clouds) = two_clouds();
    let out = osc(
        &[
            "--os-cloud",
            "a",
            "configuration",
            "show",
            "--os-auth-type",
            "v3password",
            "-f",
            "value",
            "-c",
            "auth_type",
        ],
        &[("OS_CLIENT_CONFIG_FILE", &clouds)],
    );
    assert_eq!(stdout(&out), "v3password\n");
}

/// Issue 22.2: cliff's group help: `help <partial>` and `<partial> --help` list the
/// commands whose names start with the first word; nothing matching is exit 1.
#[test]
fn group_help_lists_matching_commands() {
    for args in [
        &["help", "server"][..],
        &["server", "--help"],
        &["help", "server", "gr"],
    ] {
        let out = osc(args, &[]);
        assert!(out.status.success(), "{args:?}");
        let text = stdout(&out);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("Command \"server\" matches:"));
        let names: Vec<&str> = lines.collect();
        assert!(names.contains(&"  server list") && names.contains(&"  server group create"));
        assert!(names.iter().all(|n| n.starts_with("  server")), "{names:?}");
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
    }
    // A string prefix, as cliff's: `ser` matches server and service commands.
    let text = stdout(&osc(&["help", "ser"], &[]));
    assert!(text.starts_with("Command \"ser\" matches:\n") && text.contains("  service list\n"));
    // An exact command still gets its own help.
    let text = stdout(&osc(&["help", "flavor", "list"], &[]));
    assert!(text.contains("Usage: osc flavor list"), "{text}");
    for args in [&["help", "nothingx"][..], &["nothingx", "--help"]] {
        let out = osc(args, &[]);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(one_line_error(&out), "Unknown command ['nothingx']\n");
    }
    // Words that begin no command are an error, not the list of the first word's commands.
    for args in [
        &["help", "server", "nothingx"][..],
        &["server", "nothingx", "--help"],
    ] {
        let out = osc(args, &[]);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            one_line_error(&out),
            "Unknown command ['server', 'nothingx']\n"
        );
    }
}

/// Issue 22.6: without a command osc is cliff's interactive shell: one command per line from
/// stdin (no prompt when it is not a terminal), the command line's global options applying
/// to every line, errors reported and the shell going on, `help`, and `exit`/`quit`. At the
/// end of input it prints a newline; as OSC's, its exit code is 1.
#[test]
fn interactive_mode_runs_piped_commands() {
    let (_dir, clouds) = two_clouds();
    let env = [("OS_CLIENT_CONFIG_FILE", clouds.as_str())];
    let out = osc_with_stdin(
        &["--os-cloud", "b"],
        &env,
        "configuration show -f value -c region_name\n\n# a comment\nfrobnicate\nhelp server gr\nconfiguration show -f value -c 'region_name'\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with("R2\nCommand \"server\" matches:\n  server add fixed ip\n"),
        "{text}"
    );
    assert!(text.ends_with("  server volume update\nR2\n\n"), "{text}");
    assert!(one_line_error(&out).starts_with("osc: 'frobnicate' is not an osc command."));

    // A line that does not split is reported; the shell goes on.
    let out = osc_with_stdin(&[], &env, "module list 'x\nmodule list -f value -c osc\n");
    assert_eq!(
        one_line_error(&out),
        "Invalid syntax: No closing quotation\n"
    );
    assert!(stdout(&out).ends_with("\n\n") && stdout(&out).lines().count() == 2);

    let out = osc_with_stdin(&[], &env, "exit\nconfiguration show\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let out = osc_with_stdin(&[], &env, "quit\n");
    assert_eq!(stdout(&out), "");

    let text = stdout(&osc_with_stdin(&[], &env, "help\n"));
    assert!(text.starts_with("\nShell commands (type help <topic>):\n===================================\nexit  help  quit\n\nApplication commands (type help <topic>):\n"), "{text}");
    assert!(text.contains("server list"));
    // Help inside the shell names the command alone, as cliff's does.
    let text = stdout(&osc_with_stdin(&[], &env, "help flavor list\n"));
    assert!(text.contains("Usage: flavor list"), "{text}");
}

#[test]
fn bad_option_is_a_usage_error() {
    let out = osc(&["token", "issue", "--no-such-option"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = one_line_error(&out);
    assert!(err.contains("--no-such-option"), "{err}");
}

#[test]
fn unknown_cloud_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("clouds.yaml");
    std::fs::write(
        &p,
        "clouds:\n  a:\n    auth:\n      auth_url: http://127.0.0.1:1/v3\n",
    )
    .unwrap();
    let out = osc(
        &["--os-cloud", "nope", "token", "issue"],
        &[("OS_CLIENT_CONFIG_FILE", p.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = one_line_error(&out);
    assert!(err.contains("Cloud nope was not found"), "{err}");
}

#[test]
fn malformed_yaml_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("clouds.yaml");
    std::fs::write(&p, "clouds: [unclosed\n  x: y\n").unwrap();
    let out = osc(
        &["token", "issue"],
        &[("OS_CLIENT_CONFIG_FILE", p.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = one_line_error(&out);
    assert!(err.contains("Could not parse"), "{err}");
}

#[test]
fn missing_auth_url_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("clouds.yaml");
    std::fs::write(
        &p,
        "clouds:\n  a:\n    auth:\n      username: u\n      password: p\n",
    )
    .unwrap();
    let out = osc(
        &["--os-cloud", "a", "token", "issue"],
        &[
            ("OS_CLIENT_CONFIG_FILE", p.to_str().unwrap()),
            ("OSC_CACHE_DIR", dir.path().to_str().unwrap()),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = one_line_error(&out);
    assert!(err.contains("auth_url"), "{err}");
}

#[test]
fn unreachable_service_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("clouds.yaml");
    // Port 9 (discard) on loopback: nothing listens there.
    std::fs::write(&p, "clouds:\n  a:\n    auth:\n      auth_url: http://127.0.0.1:9/v3\n      username: u\n      password: p\n").unwrap();
    let out = osc(
        &["--os-cloud", "a", "token", "issue"],
        &[
            ("OS_CLIENT_CONFIG_FILE", p.to_str().unwrap()),
            ("OSC_CACHE_DIR", dir.path().to_str().unwrap()),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = one_line_error(&out);
    assert!(err.contains("127.0.0.1:9"), "{err}");
}

#[test]
fn runs_as_openstack_too() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("openstack");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_osc"), &link).unwrap();
    let out = Command::new(&link).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("openstack "));
}

/// Values to try for an option: its choices if it has some, else values of the shapes osc's
/// parsers accept (plain, integer, `key=value`, dates).
fn candidate_values(arg: &clap::Arg) -> Vec<(String, String)> {
    let choices: Vec<String> = arg
        .get_possible_values()
        .iter()
        .map(|p| p.get_name().to_string())
        .collect();
    if let (Some(first), Some(last)) = (choices.first(), choices.last()) {
        return vec![(first.clone(), last.clone())];
    }
    [
        ("1", "2"),
        ("1", "0"),
        ("a=1", "b=2"),
        ("2020-01-01T00:00:00", "2021-02-02T00:00:00"),
        ("1:2", "3:4"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

/// Arguments that satisfy the command's required arguments (positionals and options).
fn required_args(cmd: &clap::Command) -> Vec<String> {
    let mut out = Vec::new();
    for a in cmd.get_arguments().filter(|a| a.is_required_set()) {
        let value = candidate_values(a)
            .into_iter()
            .next()
            .map(|(v, _)| v)
            .unwrap_or_default();
        if let Some(l) = a.get_long() {
            out.push(format!("--{l}"));
        }
        out.push(value);
    }
    out
}

/// Issue 22.1, at the binary: `-f json … -f value` prints as the last one says.
#[test]
fn repeated_format_option_takes_the_last() {
    let out = osc(
        &["module", "list", "-f", "json", "-c", "osc", "-f", "value"],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let version = stdout(&osc(&["--version"], &[]));
    assert_eq!(format!("osc {}", stdout(&out)), version);
}

/// argparse takes the last value of a repeated single-valued option (`-f json ... -f json`),
/// and a repeated flag is no error: so must every registered command, built-in or plugin.
#[test]
fn repeated_single_valued_options_take_the_last_value() {
    support::build_in_tree_plugins();
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_osc"))
        .parent()
        .unwrap()
        .to_path_buf();
    // The shipped plugins, as the binary finds them beside itself.
    std::env::set_var("OSC_PLUGIN_PATH", &bin_dir);
    let registry = osc::registry();
    let (mut checked, mut plugin_checked, mut failures, mut untestable) = (0, 0, vec![], vec![]);
    for entry in registry.entries() {
        let parser = entry.parser("osc");
        let base = required_args(&parser);
        for arg in parser.get_arguments() {
            let Some(flag) = arg
                .get_long()
                .map(|l| format!("--{l}"))
                .or_else(|| arg.get_short().map(|s| format!("-{s}")))
            else {
                continue;
            };
            if arg.is_required_set() {
                continue;
            }
            let id = arg.get_id().as_str();
            match arg.get_action() {
                clap::ArgAction::SetTrue | clap::ArgAction::SetFalse => {
                    let mut once = base.clone();
                    once.push(flag.clone());
                    if parser.clone().try_get_matches_from(&once).is_err() {
                        untestable.push(format!("{} {flag}", entry.name));
                        continue;
                    }
                    checked += 1;
                    let mut twice = once;
                    twice.push(flag.clone());
                    if let Err(e) = parser.clone().try_get_matches_from(&twice) {
                        failures.push(format!("{} {flag} {flag}: {}", entry.name, e.kind()));
                    }
                }
                clap::ArgAction::Set => {
                    // Both values must be valid alone (a bool takes 1 but not 2).
                    let pair = candidate_values(arg).into_iter().find(|(first, last)| {
                        [first, last].iter().all(|v| {
                            let mut once = base.clone();
                            once.extend([flag.clone(), v.to_string()]);
                            parser.clone().try_get_matches_from(&once).is_ok()
                        })
                    });
                    let Some((first, last)) = pair else {
                        untestable.push(format!("{} {flag}", entry.name));
                        continue;
                    };
                    checked += 1;
                    if entry.origin.is_plugin() {
                        plugin_checked += 1;
                    }
                    let mut twice = base.clone();
                    twice.extend([flag.clone(), first, flag.clone(), last.clone()]);
                    match parser.clone().try_get_matches_from(&twice) {
                        Ok(m) => {
                            let got: Vec<String> = m
                                .get_raw(id)
                                .into_iter()
                                .flatten()
                                .map(|v| v.to_string_lossy().into_owned())
                                .collect();
                            if got != [last.clone()] {
                                failures.push(format!(
                                    "{} {flag}: got {got:?}, want [{last:?}]",
                                    entry.name
                                ));
                            }
                        }
                        Err(e) => {
                            failures.push(format!("{} {flag} twice: {}", entry.name, e.kind()))
                        }
                    }
                }
                _ => {}
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The walk really covered the commands: thousands of options, the plugins' among them.
    assert!(checked > 1000, "only {checked} options checked");
    assert!(
        plugin_checked > 300,
        "only {plugin_checked} plugin options checked"
    );
    assert!(
        untestable.len() * 20 < checked,
        "{} options could not be given once: {:?}",
        untestable.len(),
        untestable
    );
}

/// Issue 22.7: `module list` carries python-openstackclient's keys that scripts check
/// (`openstackclient`, `openstack`, `keystoneclient`, `cinderclient`), with osc's version,
/// beside osc's own names; sorted by key as OSC's.
#[test]
fn module_list_reports_the_keys_scripts_check() {
    let version = stdout(&osc(&["--version"], &[]));
    let version = version.trim().strip_prefix("osc ").unwrap().to_string();
    let out = osc(&["module", "list", "-f", "json"], &[]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "openstackclient",
        "openstack",
        "keystoneclient",
        "cinderclient",
        "osc",
        "osc-identity",
    ] {
        assert_eq!(v[key], version.as_str(), "{key} in {v}");
    }
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let text = stdout(&osc(
        &["module", "list", "-f", "value", "-c", "openstackclient"],
        &[],
    ));
    assert_eq!(text.trim(), version);
}

/// One HTTP exchange as a fake service sees it: method, path, X-Auth-Token.
type Handler = dyn Fn(&str, &str, &str) -> (u16, String, Vec<(String, String)>) + Send + Sync;

/// A fake service on a loopback port, answering `connections` connections (then its port
/// refuses them), or until the test ends.
fn serve(
    listener: std::net::TcpListener,
    connections: Option<usize>,
    handler: std::sync::Arc<Handler>,
) {
    use std::io::{BufRead, BufReader, Read, Write};
    std::thread::spawn(move || {
        let mut served = 0;
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let (mut length, mut token) = (0usize, String::new());
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    match k.to_ascii_lowercase().as_str() {
                        "content-length" => length = v.trim().parse().unwrap(),
                        "x-auth-token" => token = v.trim().to_string(),
                        _ => {}
                    }
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let mut parts = request_line.split_whitespace();
            let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let (status, body, headers) = handler(method, path, &token);
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            let _ = stream.write_all(format!("{head}\r\n{body}").as_bytes());
            served += 1;
            if connections.is_some_and(|n| served >= n) {
                return;
            }
        }
    });
}

/// Keystone's catalog with its identity endpoint at `url`.
fn identity_catalog(url: &str) -> serde_json::Value {
    serde_json::json!([{"id": "k", "type": "identity", "name": "keystone", "endpoints": [
        {"id": "e", "interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": url}
    ]}])
}

/// Where the catalog of a fake Keystone's tokens puts the identity service.
enum TokenCatalog {
    /// Where it is.
    Here,
    /// Under `/old` on the same server, which answers 404 there (a path that moved).
    OldPath,
    /// Elsewhere.
    At(String),
}

/// A fake Keystone issuing tokens `t1`, `t2`… whose catalog puts the identity service as
/// `token_catalog` says, while `GET /v3/auth/catalog` puts it at its own address. The tokens
/// `refused` lists get 403 on projects (roles revoked since). Returns its URL and the count
/// of logins.
fn fake_keystone(
    token_catalog: TokenCatalog,
    refused: &'static [&'static str],
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let url = format!("http://{addr}/identity");
    let logins = std::sync::Arc::new(AtomicUsize::new(0));
    let (own, counter) = (url.clone(), logins.clone());
    let token_catalog_url = match token_catalog {
        TokenCatalog::Here => url.clone(),
        TokenCatalog::OldPath => format!("http://{addr}/old/identity"),
        TokenCatalog::At(u) => u,
    };
    serve(
        listener,
        None,
        std::sync::Arc::new(
            move |method: &str, path: &str, token: &str| match (method, path) {
                ("POST", "/identity/v3/auth/tokens") => {
                    let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                    let body = serde_json::json!({"token": {
                        "expires_at": "2099-01-01T00:00:00.000000Z",
                        "issued_at": "2026-01-01T00:00:00.000000Z",
                        "user": {"id": "u", "name": "u", "domain": {"id": "default", "name": "Default"}},
                        "project": {"id": "p", "name": "p", "domain": {"id": "default", "name": "Default"}},
                        "roles": [{"id": "r", "name": "member"}],
                        "catalog": identity_catalog(&token_catalog_url),
                    }});
                    (
                        201,
                        body.to_string(),
                        vec![("X-Subject-Token".into(), format!("t{n}"))],
                    )
                }
                ("GET", "/identity/v3/auth/catalog") => (
                    200,
                    serde_json::json!({"catalog": identity_catalog(&own), "links": {}}).to_string(),
                    vec![],
                ),
                ("GET", p) if p.starts_with("/identity/v3/projects") => projects(token, refused),
                _ => (
                    404,
                    r#"{"error": {"code": 404, "message": "Not Found"}}"#.into(),
                    vec![],
                ),
            },
        ),
    );
    (url, logins)
}

fn projects(token: &str, refused: &[&str]) -> (u16, String, Vec<(String, String)>) {
    if refused.contains(&token) {
        return (
            403,
            r#"{"error": {"code": 403, "message": "You are not authorized"}}"#.into(),
            vec![],
        );
    }
    let body = serde_json::json!({"projects": [{"id": "p1", "name": "demo", "domain_id": "default"}], "links": {"next": null}});
    (200, body.to_string(), vec![])
}

/// A cloud `fake` at a fake Keystone, with a private token cache.
struct FakeCloud {
    _dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl FakeCloud {
    fn new(keystone: &str) -> FakeCloud {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("clouds.yaml");
        std::fs::write(
            &p,
            format!("clouds:\n  fake:\n    auth:\n      auth_url: {keystone}/v3\n      username: u\n      password: p\n      project_name: p\n      user_domain_id: default\n      project_domain_id: default\n"),
        )
        .unwrap();
        let env = vec![
            ("OS_CLIENT_CONFIG_FILE".into(), p.to_str().unwrap().into()),
            (
                "OSC_CACHE_DIR".into(),
                dir.path().join("cache").to_str().unwrap().into(),
            ),
        ];
        FakeCloud { _dir: dir, env }
    }
    fn osc(&self, args: &[&str]) -> std::process::Output {
        let mut argv = vec!["--os-cloud", "fake"];
        argv.extend(args);
        let env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        osc(&argv, &env)
    }
    /// The command's output; it must succeed.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.osc(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout(&out)
    }
}

/// Issue 22.3: what the token cache holds going stale is recovered from without the user
/// clearing it. A 403 on a cached token (a role changed since it was issued) logs in once
/// more; a cached endpoint that refuses connections is looked up in the live catalog and
/// the request goes where the service moved.
#[test]
fn stale_cache_entries_are_recovered() {
    use std::sync::atomic::Ordering;
    let list = ["project", "list", "-f", "value", "-c", "Name"];
    // A role revoked: t1 (cached) is refused, t2 is not.
    let (url, logins) = fake_keystone(TokenCatalog::Here, &["t1"]);
    let cloud = FakeCloud::new(&url);
    assert_eq!(
        cloud.ok(&["token", "issue", "-f", "value", "-c", "id"]),
        "t1\n"
    );
    assert_eq!(cloud.ok(&list), "demo\n");
    assert_eq!(logins.load(Ordering::SeqCst), 2);
    // The new token was cached: no third login.
    assert_eq!(cloud.ok(&list), "demo\n");
    assert_eq!(logins.load(Ordering::SeqCst), 2);

    // An endpoint moved: the token's catalog names a service that answers once, then is gone.
    let old = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let old_url = format!("http://{}/identity", old.local_addr().unwrap());
    serve(
        old,
        Some(1),
        std::sync::Arc::new(|_: &str, _: &str, token: &str| projects(token, &[])),
    );
    let (url, logins) = fake_keystone(TokenCatalog::At(old_url), &[]);
    let cloud = FakeCloud::new(&url);
    assert_eq!(cloud.ok(&list), "demo\n");
    assert_eq!(cloud.ok(&list), "demo\n");
    assert_eq!(logins.load(Ordering::SeqCst), 1);

    // An endpoint moved to another path: its old one answers 404. The failure re-reads the
    // cached catalog and says so; the next run goes to the new path.
    let (url, logins) = fake_keystone(TokenCatalog::OldPath, &[]);
    let cloud = FakeCloud::new(&url);
    let out = cloud.osc(&list);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(one_line_error(&out), "Not Found (HTTP 404)\n");
    let out = cloud.osc(&list);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        one_line_error(&out),
        "Not Found (HTTP 404) (the service catalog had changed since it was cached and is now refreshed; run the command again)\n"
    );
    assert_eq!(cloud.ok(&list), "demo\n");
    assert_eq!(logins.load(Ordering::SeqCst), 1);
}
