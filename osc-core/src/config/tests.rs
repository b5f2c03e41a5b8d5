use super::*;
use std::io::Write;

fn write(dir: &std::path::Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    let mut f = std::fs::File::create(&p).unwrap();
    f.write_all(text.as_bytes()).unwrap();
    p
}

fn globals(args: &[&str]) -> Globals {
    crate::globals::split(args.iter().map(|s| s.to_string()).collect(), &|_| true)
        .unwrap()
        .0
}

fn env(vars: &[(&str, &str)]) -> Env {
    Env {
        vars: vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

const CLOUDS: &str = r#"
clouds:
  dev:
    auth:
      auth_url: http://127.0.0.1:5000/v3
      username: demo
      project_name: demo
      user_domain_id: default
    region_name: RegionOne
    compute_api_version: "2.80"
  multi:
    profile: acme
    auth:
      username: bob
    regions:
      - North
      - name: South
        values:
          interface: internal
"#;

const SECURE: &str = "clouds:\n  dev:\n    auth:\n      password: s3cret\n";
const PUBLIC: &str = "public-clouds:\n  acme:\n    auth:\n      auth_url: https://acme/v3\n    identity_api_version: 3\n    interface: admin\n";

fn files(dir: &std::path::Path) -> ConfigFiles {
    ConfigFiles::load(&FileSet {
        clouds: Some(write(dir, "clouds.yaml", CLOUDS)),
        secure: Some(write(dir, "secure.yaml", SECURE)),
        public: Some(write(dir, "clouds-public.yaml", PUBLIC)),
    })
    .unwrap()
}

#[test]
fn secure_yaml_is_merged_and_origins_recorded() {
    let d = tempfile::tempdir().unwrap();
    let f = files(d.path());
    let c = resolve(&f, &env(&[]), &globals(&["--os-cloud", "dev"])).unwrap();
    assert_eq!(c.auth("password").as_deref(), Some("s3cret"));
    assert_eq!(c.auth("username").as_deref(), Some("demo"));
    assert!(matches!(
        c.values["auth.password"].origin,
        Origin::SecureFile(_)
    ));
    assert!(matches!(c.values["auth.username"].origin, Origin::File(_)));
    assert_eq!(c.api_version("compute").as_deref(), Some("2.80"));
    assert_eq!(c.auth_type(), "password");
}

#[test]
fn precedence_option_over_env_over_file() {
    let d = tempfile::tempdir().unwrap();
    let f = files(d.path());
    let e = env(&[
        ("OS_CLOUD", "dev"),
        ("OS_USERNAME", "envuser"),
        ("OS_REGION_NAME", "R2"),
    ]);
    let c = resolve(&f, &e, &globals(&["--os-region-name", "R3"])).unwrap();
    assert_eq!(c.name, "dev");
    assert_eq!(c.auth("username").as_deref(), Some("envuser"));
    assert_eq!(
        c.values["auth.username"].origin,
        Origin::Env("OS_USERNAME".into())
    );
    assert_eq!(c.region().as_deref(), Some("R3"));
    assert_eq!(
        c.values["region_name"].origin,
        Origin::Option("--os-region-name".into())
    );
}

#[test]
fn profile_and_regions() {
    let d = tempfile::tempdir().unwrap();
    let f = files(d.path());
    let c = resolve(&f, &env(&[]), &globals(&["--os-cloud", "multi"])).unwrap();
    assert_eq!(c.auth("auth_url").as_deref(), Some("https://acme/v3"));
    assert!(matches!(
        c.values["auth.auth_url"].origin,
        Origin::Profile { .. }
    ));
    assert_eq!(c.region().as_deref(), Some("North"));
    assert_eq!(c.interface(), "admin");
    let c = resolve(
        &f,
        &env(&[]),
        &globals(&["--os-cloud", "multi", "--os-region-name", "South"]),
    )
    .unwrap();
    assert_eq!(c.interface(), "internal");
    let err = resolve(
        &f,
        &env(&[]),
        &globals(&["--os-cloud", "multi", "--os-region-name", "East"]),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("Region East is not a valid region name"),
        "{err}"
    );
}

#[test]
fn envvars_cloud() {
    let f = ConfigFiles::default();
    let e = env(&[
        ("OS_AUTH_URL", "http://x/v3"),
        ("OS_USERNAME", "u"),
        ("OS_TENANT_NAME", "p"),
    ]);
    let c = resolve(&f, &e, &globals(&[])).unwrap();
    assert_eq!(c.name, "envvars");
    assert_eq!(c.auth("auth_url").as_deref(), Some("http://x/v3"));
    assert_eq!(c.auth("project_name").as_deref(), Some("p"));
}

#[test]
fn single_cloud_is_the_default() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "clouds.yaml",
        "clouds:\n  only:\n    auth:\n      auth_url: http://o/v3\n",
    );
    let f = ConfigFiles::load(&FileSet {
        clouds: Some(p),
        ..Default::default()
    })
    .unwrap();
    let c = resolve(&f, &env(&[]), &globals(&[])).unwrap();
    assert_eq!(c.name, "only");
}

#[test]
fn unknown_cloud_is_one_clear_line() {
    let d = tempfile::tempdir().unwrap();
    let f = files(d.path());
    let err = resolve(&f, &env(&[]), &globals(&["--os-cloud", "nope"])).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("Cloud nope was not found"), "{msg}");
    assert!(msg.contains("dev"), "{msg}");
    assert!(!msg.contains('\n'));
}

#[test]
fn malformed_yaml_is_one_clear_line() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "clouds.yaml",
        "clouds:\n  a: [unclosed\n   b: c\n",
    );
    let err = ConfigFiles::load(&FileSet {
        clouds: Some(p),
        ..Default::default()
    })
    .unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("Could not parse"), "{msg}");
    assert!(!msg.contains('\n'));
}

#[test]
fn token_alone_selects_token_auth() {
    let f = ConfigFiles::default();
    let e = env(&[("OS_AUTH_URL", "http://x/v3"), ("OS_TOKEN", "abc")]);
    let c = resolve(&f, &e, &globals(&[])).unwrap();
    assert_eq!(c.auth_type(), "token");
    let e = env(&[("OS_ENDPOINT", "http://x"), ("OS_TOKEN", "abc")]);
    let c = resolve(&f, &e, &globals(&[])).unwrap();
    assert_eq!(c.auth_type(), "admin_token");
}

#[test]
fn plugin_declared_api_version_pins_its_service() {
    let dir = tempfile::tempdir().unwrap();
    let files = ConfigFiles::discover(&env(&[(
        "OS_CLIENT_CONFIG_FILE",
        dir.path().join("none.yaml").to_str().unwrap(),
    )]))
    .unwrap();
    let g = globals(&["--os-placement-api-version", "1.10", "server", "list"]);
    let c = resolve(&files, &env(&[]), &g).unwrap();
    assert_eq!(c.api_version("placement").as_deref(), Some("1.10"));
    assert_eq!(
        c.values["placement_api_version"].origin,
        Origin::Option("--os-placement-api-version".into())
    );
    // The variable, and the option over it.
    let e = env(&[("OS_PLACEMENT_API_VERSION", "1.29")]);
    let c = resolve(&files, &e, &globals(&[])).unwrap();
    assert_eq!(c.api_version("placement").as_deref(), Some("1.29"));
    let c = resolve(&files, &e, &g).unwrap();
    assert_eq!(c.api_version("placement").as_deref(), Some("1.10"));
    // A plugin's `object-store` pin, beside OSC's own `--os-object-api-version`.
    let g = globals(&["--os-object-store-api-version", "1"]);
    let c = resolve(&files, &env(&[]), &g).unwrap();
    assert_eq!(c.api_version("object-store").as_deref(), Some("1"));
}
