//! Cloud configuration resolved as openstacksdk does it: `clouds.yaml`, `secure.yaml` and
//! `clouds-public.yaml` found in openstacksdk's search path, a `profile:` taken from the public
//! clouds, `regions:`, the `envvars` cloud, then `OS_*` variables and `--os-*` options on top.
//! Every resolved value remembers where it came from.

mod files;

pub use files::{ConfigFiles, FileSet};

use crate::error::{Error, Result};
use crate::globals::{self, Globals, GLOBAL_OPTS};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// Where a configuration value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Default,
    File(PathBuf),
    SecureFile(PathBuf),
    Profile { name: String, file: Option<PathBuf> },
    Region { name: String, file: PathBuf },
    Env(String),
    Option(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => write!(f, "default"),
            Origin::File(p) => write!(f, "{}", p.display()),
            Origin::SecureFile(p) => write!(f, "{}", p.display()),
            Origin::Profile {
                name,
                file: Some(p),
            } => write!(f, "profile {name} ({})", p.display()),
            Origin::Profile { name, file: None } => write!(f, "profile {name}"),
            Origin::Region { name, file } => write!(f, "region {name} ({})", file.display()),
            Origin::Env(v) => write!(f, "environment {v}"),
            Origin::Option(o) => write!(f, "option {o}"),
        }
    }
}

/// A value and its origin.
#[derive(Clone, Debug, PartialEq)]
pub struct Sourced {
    pub value: Value,
    pub origin: Origin,
}

/// Keys that belong in the `auth` section (what keystoneauth plugins take).
const AUTH_KEYS: &[&str] = &[
    "auth_url",
    "username",
    "user_id",
    "password",
    "project_name",
    "project_id",
    "project_domain_name",
    "project_domain_id",
    "user_domain_name",
    "user_domain_id",
    "domain_name",
    "domain_id",
    "system_scope",
    "token",
    "endpoint",
    "application_credential_id",
    "application_credential_name",
    "application_credential_secret",
    "passcode",
    "trust_id",
    "default_domain_id",
    "default_domain_name",
    "auth_methods",
    "identity_provider",
    "protocol",
    "client_id",
    "client_secret",
    "openid_scope",
    "access_token_endpoint",
    "discovery_endpoint",
    "access_token_type",
    "access_token",
    "idp_otp_key",
    "code",
    "code_challenge_method",
    "redirect_uri",
    "redirect_host",
    "redirect_port",
    "device_authorization_endpoint",
    "oauth2_endpoint",
    "oauth2_client_id",
    "oauth2_client_secret",
    "service_provider",
    "remote_project_name",
    "remote_project_id",
    "remote_project_domain_name",
    "remote_project_domain_id",
];

/// Keys whose values are secrets: masked by `configuration show`, redacted in logs.
pub const SECRET_KEYS: &[&str] = &[
    "password",
    "token",
    "application_credential_secret",
    "client_secret",
    "access_token",
    "passcode",
    "oauth2_client_secret",
    "code",
];

fn normalize_key(k: &str) -> String {
    let k = k.replace('-', "_");
    match k.as_str() {
        "tenant_name" => "project_name".into(),
        "tenant_id" => "project_id".into(),
        "os_auth_url" => "auth_url".into(),
        _ => k,
    }
}

/// The fully resolved configuration of one cloud.
#[derive(Clone, Debug)]
pub struct CloudConfig {
    /// The cloud's name (`envvars` or `defaults` when none was named).
    pub name: String,
    /// Flattened keys: `auth.username`, `region_name`, `compute_api_version`...
    pub values: BTreeMap<String, Sourced>,
}

impl CloudConfig {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key).map(|s| &s.value)
    }
    /// A value as a string; numbers and bools are converted, empty strings count as unset.
    pub fn get_str(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) if s.is_empty() => None,
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            v => Some(v.to_string()),
        }
    }
    pub fn auth(&self, key: &str) -> Option<String> {
        self.get_str(&format!("auth.{key}"))
    }
    pub fn get_bool(&self, key: &str) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) => match s.to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" | "on" => Some(true),
                "false" | "no" | "0" | "off" => Some(false),
                _ => None,
            },
            Value::Number(n) => Some(n.as_f64() != Some(0.0)),
            _ => None,
        }
    }
    pub fn region(&self) -> Option<String> {
        self.get_str("region_name")
    }
    pub fn interface(&self) -> String {
        let i = self.get_str("interface").unwrap_or_else(|| "public".into());
        // keystoneauth accepts "publicURL" style names too.
        i.trim_end_matches("URL").to_ascii_lowercase()
    }
    pub fn auth_type(&self) -> String {
        self.get_str("auth_type")
            .unwrap_or_else(|| "password".into())
    }
    /// `--os-<service>-api-version` / `<service>_api_version`, if the user pinned one.
    pub fn api_version(&self, service: &str) -> Option<String> {
        let key = match service {
            "block-storage" | "volume" | "volumev3" => "volume_api_version".to_string(),
            "object-store" => "object_api_version".to_string(),
            s => format!("{}_api_version", s.replace('-', "_")),
        };
        // A plugin's `--os-<service-type>-api-version` (`object_store_api_version`).
        let own = format!("{}_api_version", service.replace('-', "_"));
        self.get_str(&key).or_else(|| self.get_str(&own))
    }
    /// `<service>_endpoint_override` (openstacksdk), for service types and their aliases.
    pub fn endpoint_override(&self, service_type: &str) -> Option<String> {
        let key = format!("{}_endpoint_override", service_type.replace('-', "_"));
        self.get_str(&key).or_else(|| {
            let key = format!("{}_endpoint", service_type.replace('-', "_"));
            self.get_str(&key)
        })
    }
    pub fn is_secret(key: &str) -> bool {
        let last = key.rsplit('.').next().unwrap_or(key);
        SECRET_KEYS.contains(&last)
    }
    fn set(&mut self, key: String, value: Value, origin: Origin) {
        self.values.insert(key, Sourced { value, origin });
    }
    /// Sets a key from a cloud dict or the environment, moving auth keys under `auth.`.
    fn set_flat(&mut self, key: &str, value: Value, origin: Origin) {
        let key = normalize_key(key);
        if AUTH_KEYS.contains(&key.as_str()) {
            self.set(format!("auth.{key}"), value, origin);
        } else {
            self.set(key, value, origin);
        }
    }
    /// Applies one cloud dict (from a file or profile), flattening `auth:`.
    fn apply_dict(&mut self, dict: &Map<String, Value>, origin: &Origin) {
        for (k, v) in dict {
            match k.as_str() {
                "auth" => {
                    if let Value::Object(auth) = v {
                        for (ak, av) in auth {
                            self.set(
                                format!("auth.{}", normalize_key(ak)),
                                av.clone(),
                                origin.clone(),
                            );
                        }
                    }
                }
                "regions" | "profile" | "cloud" => {}
                _ => self.set_flat(k, v.clone(), origin.clone()),
            }
        }
    }
}

/// How the cloud was chosen.
#[derive(Clone, Debug, Default)]
pub struct Env {
    pub vars: BTreeMap<String, String>,
}

impl Env {
    pub fn from_process() -> Self {
        Env {
            vars: std::env::vars()
                .filter(|(k, _)| k.starts_with("OS_"))
                .collect(),
        }
    }
    pub fn get(&self, k: &str) -> Option<&str> {
        self.vars
            .get(k)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// Variables that configure the client rather than the cloud.
const NON_CLOUD_VARS: &[&str] = &[
    "OS_CLOUD",
    "OS_CLIENT_CONFIG_FILE",
    "OS_CLIENT_SECURE_FILE",
    "OS_CLOUD_NAME",
];

/// Resolves the cloud selected by options and environment.
pub fn resolve(files: &ConfigFiles, env: &Env, g: &Globals) -> Result<CloudConfig> {
    let clouds = files.clouds();
    let cloud_opt = g
        .get("--os-cloud")
        .map(|c| (c.to_string(), Origin::Option("--os-cloud".into())));
    let cloud_env = env
        .get("OS_CLOUD")
        .map(|c| (c.to_string(), Origin::Env("OS_CLOUD".into())));
    let has_env_cloud = env.vars.iter().any(|(k, v)| {
        !v.is_empty() && !NON_CLOUD_VARS.contains(&k.as_str()) && !k.ends_with("_API_VERSION")
    });
    let chosen = cloud_opt.or(cloud_env);
    let name = match &chosen {
        Some((n, _)) => n.clone(),
        None if has_env_cloud => "envvars".into(),
        None if clouds.len() == 1 => clouds.keys().next().cloned().unwrap_or_default(),
        None => "envvars".into(),
    };
    let mut cfg = CloudConfig {
        name: name.clone(),
        values: BTreeMap::new(),
    };
    for (k, v) in [
        ("auth_type", "password"),
        ("interface", "public"),
        ("identity_api_version", "3"),
        ("verify", "true"),
    ] {
        cfg.set(k.into(), Value::String(v.into()), Origin::Default);
    }
    cfg.set("verify".into(), Value::Bool(true), Origin::Default);

    let mut regions: Vec<(String, Map<String, Value>)> = Vec::new();
    let mut regions_file = PathBuf::new();
    if let Some(entry) = clouds.get(&name) {
        let (dict, origin) = (&entry.value, entry.origin.clone());
        let Value::Object(dict) = dict else {
            return Err(Error::config(format!(
                "Cloud {name} in {} is not a mapping; fix the file",
                origin
            )));
        };
        // The profile is the base; the cloud's own keys win over it.
        let profile = dict
            .get("profile")
            .or_else(|| dict.get("cloud"))
            .and_then(Value::as_str);
        if let Some(p) = profile {
            match files.profile(p) {
                Some((pdict, pfile)) => {
                    let porigin = Origin::Profile { name: p.into(), file: pfile };
                    cfg.apply_dict(&pdict, &porigin);
                    if let Some(r) = pdict.get("regions") {
                        regions = parse_regions(r);
                    }
                }
                None => {
                    return Err(Error::config(format!(
                        "Cloud {name} uses profile {p}, which no clouds-public.yaml defines; add it or remove 'profile'"
                    )))
                }
            }
        }
        cfg.apply_dict(dict, &origin);
        // secure.yaml values for this cloud sit on top (already deep-merged, but keep origin).
        if let Some(sec) = files.secure_cloud(&name) {
            cfg.apply_dict(&sec.0, &Origin::SecureFile(sec.1));
        }
        if let Some(r) = dict.get("regions") {
            regions = parse_regions(r);
        }
        if let Origin::File(p) = &origin {
            regions_file = p.clone();
        }
    } else if chosen.is_some() {
        let known: Vec<&str> = clouds.keys().map(String::as_str).collect();
        let hint = if known.is_empty() {
            match files.clouds_file() {
                Some(p) => format!(" ({} defines no clouds)", p.display()),
                None => " (no clouds.yaml found; set OS_CLIENT_CONFIG_FILE or create ~/.config/openstack/clouds.yaml)".into(),
            }
        } else {
            format!("; known clouds: {}", known.join(", "))
        };
        return Err(Error::config(format!("Cloud {name} was not found{hint}")));
    }

    // OS_* variables (all of them for the envvars cloud, as argparse defaults otherwise),
    // then --os-* options.
    for (k, v) in &env.vars {
        if v.is_empty() || NON_CLOUD_VARS.contains(&k.as_str()) {
            continue;
        }
        let Some(key) = k.strip_prefix("OS_") else {
            continue;
        };
        let key = key.to_ascii_lowercase();
        if key == "insecure" {
            let insecure = matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes");
            cfg.set(
                "verify".into(),
                Value::Bool(!insecure),
                Origin::Env(k.clone()),
            );
            continue;
        }
        cfg.set_flat(&key, Value::String(v.clone()), Origin::Env(k.clone()));
    }
    for opt in GLOBAL_OPTS {
        if let (Some(v), Some(key)) = (g.get(opt.flag), globals::config_key(opt.flag)) {
            if key == "cloud" {
                continue;
            }
            cfg.set_flat(
                &key,
                Value::String(v.to_string()),
                Origin::Option(opt.flag.into()),
            );
        }
    }
    for (flag, v) in &g.service_api_versions {
        if let Some(key) = globals::config_key(flag) {
            cfg.set_flat(&key, Value::String(v.clone()), Origin::Option(flag.clone()));
        }
    }
    if let Some(insecure) = g.insecure {
        let flag = if insecure { "--insecure" } else { "--verify" };
        cfg.set(
            "verify".into(),
            Value::Bool(!insecure),
            Origin::Option(flag.into()),
        );
    }
    if cfg.get_str("cacert").is_some() && cfg.get_bool("verify") != Some(false) {
        // openstacksdk: a CA bundle implies verification with that bundle.
        let origin = cfg
            .values
            .get("cacert")
            .map(|s| s.origin.clone())
            .unwrap_or(Origin::Default);
        cfg.set("verify".into(), Value::Bool(true), origin);
    }

    // Regions: the requested one must exist; otherwise the first listed is used.
    if !regions.is_empty() {
        let wanted = cfg.region();
        let region = match &wanted {
            Some(w) => regions.iter().find(|(n, _)| n == w).ok_or_else(|| {
                let names: Vec<&str> = regions.iter().map(|(n, _)| n.as_str()).collect();
                Error::config(format!(
                    "Region {w} is not a valid region name for cloud {name}. Valid choices are {}. Please note that region names are case sensitive.",
                    names.join(", ")
                ))
            })?,
            None => &regions[0],
        };
        let rorigin = Origin::Region {
            name: region.0.clone(),
            file: regions_file,
        };
        if wanted.is_none() {
            cfg.set(
                "region_name".into(),
                Value::String(region.0.clone()),
                rorigin.clone(),
            );
        }
        // Per-region values override the cloud's, but not variables or options.
        for (k, v) in region.1.clone() {
            let key = normalize_key(&k);
            let full = if AUTH_KEYS.contains(&key.as_str()) {
                format!("auth.{key}")
            } else {
                key
            };
            let weaker = cfg
                .values
                .get(&full)
                .is_none_or(|s| !matches!(s.origin, Origin::Env(_) | Origin::Option(_)));
            if k == "auth" {
                if let Value::Object(a) = v {
                    for (ak, av) in a {
                        cfg.set(format!("auth.{}", normalize_key(&ak)), av, rorigin.clone());
                    }
                }
            } else if weaker {
                cfg.set(full, v, rorigin.clone());
            }
        }
    }
    // OSC's auth type defaults: a token alone means token auth.
    if cfg
        .values
        .get("auth_type")
        .is_some_and(|s| s.origin == Origin::Default)
    {
        if cfg.auth("token").is_some()
            && cfg.auth("username").is_none()
            && cfg.auth("user_id").is_none()
        {
            let t = if cfg.auth("endpoint").is_some() && cfg.auth("auth_url").is_none() {
                "admin_token"
            } else {
                "token"
            };
            cfg.set("auth_type".into(), Value::String(t.into()), Origin::Default);
        } else if cfg.auth("application_credential_secret").is_some() {
            cfg.set(
                "auth_type".into(),
                Value::String("v3applicationcredential".into()),
                Origin::Default,
            );
        }
    }
    Ok(cfg)
}

fn parse_regions(v: &Value) -> Vec<(String, Map<String, Value>)> {
    let Value::Array(items) = v else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item {
            Value::String(s) => Some((s.clone(), Map::new())),
            Value::Object(o) => {
                let name = o.get("name")?.as_str()?.to_string();
                let values = o
                    .get("values")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                Some((name, values))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
