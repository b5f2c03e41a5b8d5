//! The global options of python-openstackclient 10.5, accepted anywhere on the command line
//! (cliff parses them with `parse_known_args`), each with its `OS_*` variable.

use crate::error::{Error, Result};
use std::collections::BTreeMap;

/// One global option: its long flag, whether it takes a value, and its help.
pub struct GlobalOpt {
    pub flag: &'static str,
    pub takes_value: bool,
    pub help: &'static str,
}

macro_rules! opts {
    ($( $flag:literal $val:literal $help:literal ),* $(,)?) => {
        &[ $( GlobalOpt { flag: $flag, takes_value: $val, help: $help } ),* ]
    };
}

/// Every global option of OSC 10.5 except the flags handled specially below
/// (`--help`, `--version`, `--debug`, `--verbose`, `--quiet`, `--timing`, `--insecure`, `--verify`).
pub static GLOBAL_OPTS: &[GlobalOpt] = opts![
    "--os-cloud" true "Cloud name in clouds.yaml (Env: OS_CLOUD)",
    "--os-region-name" true "Authentication region name (Env: OS_REGION_NAME)",
    "--os-cacert" true "CA certificate bundle file (Env: OS_CACERT)",
    "--os-cert" true "Client certificate bundle file (Env: OS_CERT)",
    "--os-key" true "Client certificate key file (Env: OS_KEY)",
    "--os-default-domain" true "Default domain ID, default=default. (Env: OS_DEFAULT_DOMAIN)",
    "--os-interface" true "Select an interface type. Valid interface types: [admin, public, internal]. default=public, (Env: OS_INTERFACE)",
    "--os-service-provider" true "Authenticate with and perform the command on a service provider using Keystone-to-keystone federation (Env: OS_SERVICE_PROVIDER)",
    "--os-remote-project-name" true "Project name when authenticating to a service provider if using Keystone-to-Keystone federation (Env: OS_REMOTE_PROJECT_NAME)",
    "--os-remote-project-id" true "Project ID when authenticating to a service provider if using Keystone-to-Keystone federation (Env: OS_REMOTE_PROJECT_ID)",
    "--os-remote-project-domain-name" true "Domain name of the project when authenticating to a service provider (Env: OS_REMOTE_PROJECT_DOMAIN_NAME)",
    "--os-remote-project-domain-id" true "Domain ID of the project when authenticating to a service provider (Env: OS_REMOTE_PROJECT_DOMAIN_ID)",
    "--os-auth-type" true "Select an authentication type. Available types: password, token, v3password, v3token, v3applicationcredential, v3totp, v3multifactor, admin_token, none, v3oidcpassword, v3oidcclientcredentials, v3oidcaccesstoken. Default: selected based on --os-username/--os-token (Env: OS_AUTH_TYPE)",
    "--os-auth-url" true "Authentication URL (Env: OS_AUTH_URL)",
    "--os-system-scope" true "Scope for system operations (Env: OS_SYSTEM_SCOPE)",
    "--os-domain-id" true "Domain ID to scope to (Env: OS_DOMAIN_ID)",
    "--os-domain-name" true "Domain name to scope to (Env: OS_DOMAIN_NAME)",
    "--os-project-id" true "Project ID to scope to (Env: OS_PROJECT_ID)",
    "--os-project-name" true "Project name to scope to (Env: OS_PROJECT_NAME)",
    "--os-project-domain-id" true "Domain ID containing project (Env: OS_PROJECT_DOMAIN_ID)",
    "--os-project-domain-name" true "Domain name containing project (Env: OS_PROJECT_DOMAIN_NAME)",
    "--os-trust-id" true "ID of the trust to use as a trustee use (Env: OS_TRUST_ID)",
    "--os-default-domain-id" true "Optional domain ID to use with v3 and v2 parameters (Env: OS_DEFAULT_DOMAIN_ID)",
    "--os-default-domain-name" true "Optional domain name to use with v3 API and v2 parameters (Env: OS_DEFAULT_DOMAIN_NAME)",
    "--os-user-id" true "User id (Env: OS_USER_ID)",
    "--os-username" true "Username (Env: OS_USERNAME)",
    "--os-user-domain-id" true "User's domain id (Env: OS_USER_DOMAIN_ID)",
    "--os-user-domain-name" true "User's domain name (Env: OS_USER_DOMAIN_NAME)",
    "--os-password" true "User's password (Env: OS_PASSWORD)",
    "--os-passcode" true "Time-based one-time password (Env: OS_PASSCODE)",
    "--os-token" true "Token to authenticate with (Env: OS_TOKEN)",
    "--os-endpoint" true "The endpoint that will always be used (Env: OS_ENDPOINT)",
    "--os-application-credential-secret" true "Application credential auth secret (Env: OS_APPLICATION_CREDENTIAL_SECRET)",
    "--os-application-credential-id" true "Application credential ID (Env: OS_APPLICATION_CREDENTIAL_ID)",
    "--os-application-credential-name" true "Application credential name (Env: OS_APPLICATION_CREDENTIAL_NAME)",
    "--os-auth-methods" true "Methods to authenticate with, comma separated (v3multifactor) (Env: OS_AUTH_METHODS)",
    "--os-identity-provider" true "Identity Provider's name (Env: OS_IDENTITY_PROVIDER)",
    "--os-protocol" true "Protocol for federated plugin (Env: OS_PROTOCOL)",
    "--os-client-id" true "OAuth 2.0 Client ID (Env: OS_CLIENT_ID)",
    "--os-client-secret" true "OAuth 2.0 Client Secret (Env: OS_CLIENT_SECRET)",
    "--os-openid-scope" true "OpenID Connect scope that is requested from authorization server (Env: OS_OPENID_SCOPE)",
    "--os-access-token-endpoint" true "OpenID Connect Provider Token Endpoint (Env: OS_ACCESS_TOKEN_ENDPOINT)",
    "--os-discovery-endpoint" true "OpenID Connect Discovery Document URL (Env: OS_DISCOVERY_ENDPOINT)",
    "--os-access-token-type" true "OAuth 2.0 Authorization Server Introspection token type (Env: OS_ACCESS_TOKEN_TYPE)",
    "--os-access-token" true "OAuth 2.0 Access Token (Env: OS_ACCESS_TOKEN)",
    "--os-idp-otp-key" true "Key name for the OTP value in the IdP form (Env: OS_IDP_OTP_KEY)",
    "--os-code" true "OAuth 2.0 Authorization Code (Env: OS_CODE)",
    "--os-code-challenge-method" true "PKCE challenge method (Env: OS_CODE_CHALLENGE_METHOD)",
    "--os-redirect-uri" true "OpenID Connect Redirect URL (Env: OS_REDIRECT_URI)",
    "--os-redirect-host" true "Host of the local redirect server (Env: OS_REDIRECT_HOST)",
    "--os-redirect-port" true "Port of the local redirect server (Env: OS_REDIRECT_PORT)",
    "--os-device-authorization-endpoint" true "OAuth 2.0 Device Authorization Endpoint (Env: OS_DEVICE_AUTHORIZATION_ENDPOINT)",
    "--os-oauth2-endpoint" true "OAuth 2.0 endpoint (Env: OS_OAUTH2_ENDPOINT)",
    "--os-oauth2-client-id" true "OAuth 2.0 client ID (Env: OS_OAUTH2_CLIENT_ID)",
    "--os-oauth2-client-secret" true "OAuth 2.0 client secret (Env: OS_OAUTH2_CLIENT_SECRET)",
    "--os-login-timeout" true "Login timeout in seconds (Env: OS_LOGIN_TIMEOUT)",
    "--os-tenant-id" true "Alias of --os-project-id (Env: OS_TENANT_ID)",
    "--os-tenant-name" true "Alias of --os-project-name (Env: OS_TENANT_NAME)",
    "--os-endpoint-override" true "Endpoint to use instead of the catalog's (Env: OS_ENDPOINT_OVERRIDE)",
    "--os-compute-api-version" true "Compute API version, default=2.1 (Env: OS_COMPUTE_API_VERSION)",
    "--os-identity-api-version" true "Identity API version, default=3 (Env: OS_IDENTITY_API_VERSION)",
    "--os-image-api-version" true "Image API version, default=2 (Env: OS_IMAGE_API_VERSION)",
    "--os-network-api-version" true "Network API version, default=2.0 (Env: OS_NETWORK_API_VERSION)",
    "--os-object-api-version" true "Object API version, default=1 (Env: OS_OBJECT_API_VERSION)",
    "--os-volume-api-version" true "Volume API version, default=3 (Env: OS_VOLUME_API_VERSION)",
    "--os-accelerator-api-version" true "Accelerator API version, default=2 (Env: OS_ACCELERATOR_API_VERSION)",
    "--os-share-api-version" true "Shared file system API version (Env: OS_SHARE_API_VERSION)",
    "--log-file" true "Specify a file to log output. Disabled by default.",
];

/// The values argparse accepts for `--os-auth-type` in python-openstackclient 10.5: the names
/// of keystoneauth1's plugins (it prints them in set order; osc sorts them). osc implements
/// some of them; the others pass the parser, as in OSC, and fail when the session starts.
/// `token_endpoint` is not one of them: openstacksdk accepts it in clouds.yaml only.
pub static AUTH_TYPE_CHOICES: &[&str] = &[
    "admin_token",
    "http_basic",
    "noauth",
    "none",
    "password",
    "token",
    "v2password",
    "v2token",
    "v3adfspassword",
    "v3applicationcredential",
    "v3multifactor",
    "v3oauth1",
    "v3oauth2clientcredential",
    "v3oauth2mtlsclientcredential",
    "v3oidcaccesstoken",
    "v3oidcauthcode",
    "v3oidcclientcredentials",
    "v3oidcdeviceauthz",
    "v3oidcpassword",
    "v3password",
    "v3samlpassword",
    "v3token",
    "v3tokenlessauth",
    "v3totp",
    "v3websso",
];

/// The choices argparse enforces for a global option's value (on the command line only:
/// variables and clouds.yaml are not checked, as in OSC), in OSC's order.
fn choices(flag: &str) -> Option<&'static [&'static str]> {
    match flag {
        "--os-auth-type" => Some(AUTH_TYPE_CHOICES),
        "--os-interface" => Some(&["admin", "public", "internal"]),
        _ => None,
    }
}

/// The global flags that take no value (handled by `split` itself), for abbreviations.
const FLAG_OPTS: &[&str] = &[
    "--version",
    "--verbose",
    "--quiet",
    "--help",
    "--debug",
    "--timing",
    "--insecure",
    "--verify",
    "--os-beta-command",
];

/// The `--os-<service>-api-version` option of a service type (`placement`,
/// `key-manager`), as python-openstackclient's plugins declare it.
pub fn api_version_flag(service: &str) -> String {
    format!("--os-{service}-api-version")
}

/// True for `--os-<something>-api-version` options that osc has no built-in entry for: a
/// plugin may declare them (its manifest's `services`).
fn is_service_api_version_flag(name: &str) -> bool {
    name.strip_prefix("--os-")
        .and_then(|n| n.strip_suffix("-api-version"))
        .is_some_and(|svc| !svc.is_empty())
        && !GLOBAL_OPTS.iter().any(|o| o.flag == name)
}

/// The config key a `--os-*` option sets (`--os-project-name` -> `project_name`) and its
/// variable (`OS_PROJECT_NAME`).
pub fn config_key(flag: &str) -> Option<String> {
    flag.strip_prefix("--os-").map(|k| k.replace('-', "_"))
}

pub fn env_var(flag: &str) -> Option<String> {
    config_key(flag).map(|k| format!("OS_{}", k.to_ascii_uppercase()))
}

/// Global options as given on the command line (environment variables are applied by the
/// configuration loader, which records where each value came from).
#[derive(Debug, Default, Clone)]
pub struct Globals {
    /// Values of options that take one, keyed by flag (`--os-cloud`).
    pub values: BTreeMap<&'static str, String>,
    pub help: bool,
    pub version: bool,
    pub debug: bool,
    /// cliff's verbose level: 1 by default, `-v` adds one, `-q` sets 0.
    pub verbose: u8,
    pub timing: bool,
    pub insecure: Option<bool>,
    pub beta_command: bool,
    /// `--os-<service>-api-version` options of services that plugins declare (osc's own
    /// services are in [`GLOBAL_OPTS`]), keyed by flag.
    pub service_api_versions: BTreeMap<String, String>,
}

impl Globals {
    pub fn get(&self, flag: &str) -> Option<&str> {
        self.values.get(flag).map(String::as_str)
    }
}

/// Splits argv (without the program name) into global options and the rest, as cliff does
/// with argparse's `parse_known_args`. `--help` after a command word belongs to the command.
/// Before the command word a unique abbreviation of a global option is that option (argparse's
/// `allow_abbrev`). `declared` says which `--os-<service>-api-version` options plugins declare;
/// the others stay in the rest, where they are an unknown command or option.
pub fn split(args: Vec<String>, declared: &dyn Fn(&str) -> bool) -> Result<(Globals, Vec<String>)> {
    let mut g = Globals {
        verbose: 1,
        ..Globals::default()
    };
    let mut rest = Vec::with_capacity(args.len());
    let mut it = args.into_iter();
    let mut seen_word = false;
    while let Some(arg) = it.next() {
        if arg == "--" {
            rest.push(arg);
            rest.extend(it.by_ref());
            break;
        }
        let (mut name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if !seen_word {
            if let Some(full) = unabbreviate(&name)? {
                name = full.to_string();
            }
        }
        let flag_only = |g: &mut Globals, name: &str| -> bool {
            match name {
                "--version" => g.version = true,
                "--debug" => g.debug = true,
                "--timing" => g.timing = true,
                "--insecure" => g.insecure = Some(true),
                "--verify" => g.insecure = Some(false),
                "--os-beta-command" => g.beta_command = true,
                "--verbose" => g.verbose = g.verbose.saturating_add(1),
                "--quiet" | "-q" => g.verbose = 0,
                _ => return false,
            }
            true
        };
        if inline.is_none() && flag_only(&mut g, &name) {
            continue;
        }
        if !seen_word && (name == "--help" || name == "-h") && inline.is_none() {
            g.help = true;
            continue;
        }
        if inline.is_none() && name.len() > 1 && name.starts_with('-') && !name.starts_with("--") {
            // -v, -vv, -vvv
            if name[1..].chars().all(|c| c == 'v') {
                g.verbose = g.verbose.saturating_add((name.len() - 1) as u8);
                continue;
            }
        }
        let value_of = |inline: Option<String>, it: &mut std::vec::IntoIter<String>, flag: &str| {
            match inline {
                Some(v) => Ok(v),
                None => it
                    .next()
                    .ok_or_else(|| Error::usage(format!("argument {flag}: expected one argument"))),
            }
        };
        if let Some(opt) = GLOBAL_OPTS.iter().find(|o| o.flag == name) {
            let value = value_of(inline, &mut it, opt.flag)?;
            if let Some(valid) = choices(opt.flag).filter(|c| !c.contains(&value.as_str())) {
                let quoted: Vec<String> = valid.iter().map(|c| format!("'{c}'")).collect();
                return Err(Error::usage(format!(
                    "argument {}: invalid choice: '{value}' (choose from {})",
                    opt.flag,
                    quoted.join(", ")
                )));
            }
            g.values.insert(opt.flag, value);
            continue;
        }
        if is_service_api_version_flag(&name) && declared(&name) {
            let value = value_of(inline, &mut it, &name)?;
            g.service_api_versions.insert(name, value);
            continue;
        }
        if !arg.starts_with('-') {
            seen_word = true;
        }
        rest.push(arg);
    }
    Ok((g, rest))
}

/// The global option a `--long` prefix abbreviates, if it abbreviates exactly one; an error
/// (argparse's text) if it could be several. Exact names are not abbreviations.
fn unabbreviate(name: &str) -> Result<Option<&'static str>> {
    if !name.starts_with("--") || name.len() < 3 {
        return Ok(None);
    }
    let all = || {
        GLOBAL_OPTS
            .iter()
            .map(|o| o.flag)
            .chain(FLAG_OPTS.iter().copied())
    };
    if all().any(|f| f == name) {
        return Ok(None);
    }
    let matches: Vec<&'static str> = all().filter(|f| f.starts_with(name)).collect();
    match matches.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(Error::usage(format!(
            "ambiguous option: {name} could match {}",
            many.join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    /// Splits as if every `--os-<service>-api-version` were declared by a plugin.
    fn split_all(args: Vec<String>) -> Result<(Globals, Vec<String>)> {
        split(args, &|_| true)
    }

    #[test]
    fn auth_type_is_one_of_the_choices() {
        let (g, _) = split_all(s(&["--os-auth-type", "v3password"])).unwrap();
        assert_eq!(g.get("--os-auth-type"), Some("v3password"));
        let err = split_all(s(&["--os-auth-type=token_endpoint", "token", "issue"])).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err
            .to_string()
            .starts_with("argument --os-auth-type: invalid choice: 'token_endpoint' (choose from 'admin_token', 'http_basic',"));
    }

    #[test]
    fn interface_is_one_of_the_choices() {
        let err = split_all(s(&["--os-interface", "publicURL"])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "argument --os-interface: invalid choice: 'publicURL' (choose from 'admin', 'public', 'internal')"
        );
        let (g, _) = split_all(s(&["--os-interface=internal"])).unwrap();
        assert_eq!(g.get("--os-interface"), Some("internal"));
    }

    #[test]
    fn abbreviations_before_the_command_word() {
        let (g, rest) = split_all(s(&["--os-clou", "a", "--deb", "server", "list"])).unwrap();
        assert_eq!(g.get("--os-cloud"), Some("a"));
        assert!(g.debug);
        assert_eq!(rest, s(&["server", "list"]));
        let err = split_all(s(&["--os-c", "x", "server", "list"])).unwrap_err();
        assert!(err.to_string().starts_with(
            "ambiguous option: --os-c could match --os-cloud, --os-cacert, --os-cert,"
        ));
        // After the command word, only exact names are global.
        let (g, rest) = split_all(s(&["server", "list", "--deb"])).unwrap();
        assert!(!g.debug);
        assert_eq!(rest, s(&["server", "list", "--deb"]));
    }

    #[test]
    fn declared_service_api_versions() {
        let placement = |f: &str| f == "--os-placement-api-version";
        let (g, rest) = split(
            s(&["server", "list", "--os-placement-api-version", "1.10"]),
            &placement,
        )
        .unwrap();
        assert_eq!(
            g.service_api_versions
                .get("--os-placement-api-version")
                .map(String::as_str),
            Some("1.10")
        );
        assert_eq!(rest, s(&["server", "list"]));
        let (g, rest) = split(s(&["--os-baremetal-api-version=1.2", "x"]), &placement).unwrap();
        assert!(g.service_api_versions.is_empty());
        assert_eq!(rest, s(&["--os-baremetal-api-version=1.2", "x"]));
        // Built-in pins are ordinary global options.
        let (g, _) = split(s(&["--os-compute-api-version", "2.5"]), &|_| false).unwrap();
        assert_eq!(g.get("--os-compute-api-version"), Some("2.5"));
    }

    #[test]
    fn globals_anywhere() {
        let (g, rest) = split_all(s(&[
            "--os-cloud",
            "a",
            "server",
            "list",
            "--os-region-name=R",
            "-f",
            "json",
        ]))
        .unwrap();
        assert_eq!(g.get("--os-cloud"), Some("a"));
        assert_eq!(g.get("--os-region-name"), Some("R"));
        assert_eq!(rest, s(&["server", "list", "-f", "json"]));
    }

    #[test]
    fn help_belongs_to_command_after_a_word() {
        let (g, rest) = split_all(s(&["server", "list", "--help"])).unwrap();
        assert!(!g.help);
        assert_eq!(rest, s(&["server", "list", "--help"]));
        let (g, rest) = split_all(s(&["--help"])).unwrap();
        assert!(g.help);
        assert!(rest.is_empty());
    }

    #[test]
    fn verbosity_and_missing_value() {
        let (g, _) = split_all(s(&["-vv", "--debug"])).unwrap();
        assert_eq!(g.verbose, 3);
        assert!(g.debug);
        let (g, _) = split_all(s(&["-q"])).unwrap();
        assert_eq!(g.verbose, 0);
        let err = split_all(s(&["--os-cloud"])).unwrap_err();
        assert!(err.to_string().contains("--os-cloud"));
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn keys_and_env() {
        assert_eq!(
            config_key("--os-project-domain-name").as_deref(),
            Some("project_domain_name")
        );
        assert_eq!(env_var("--os-cloud").as_deref(), Some("OS_CLOUD"));
    }
}
