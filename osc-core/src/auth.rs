//! Keystone v3 authentication: builds the `POST /v3/auth/tokens` body for each auth type
//! OSC supports, and the OpenID Connect exchanges that precede federated ones.

use crate::config::CloudConfig;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// What a successful authentication yields; cached across runs.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AuthRef {
    /// The token; `None` for `auth_type: none`.
    pub token: Option<String>,
    pub expires_at: Option<String>,
    pub issued_at: Option<String>,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    pub user_domain_id: Option<String>,
    pub project_id: Option<String>,
    pub project_name: Option<String>,
    pub project_domain_id: Option<String>,
    pub domain_id: Option<String>,
    pub domain_name: Option<String>,
    pub system: bool,
    pub roles: Vec<String>,
    /// The service catalog as Keystone returned it.
    pub catalog: Vec<Value>,
    /// An endpoint that replaces the catalog (admin_token / none).
    pub fixed_endpoint: Option<String>,
    /// Version discovery results, keyed by service type.
    #[serde(default)]
    pub discovery: BTreeMap<String, Discovered>,
}

/// A service's versioned base URL and microversion range, from version discovery.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Discovered {
    pub url: String,
    pub min_version: Option<String>,
    pub max_version: Option<String>,
}

impl AuthRef {
    /// Builds the reference from Keystone's token response.
    pub fn from_token_response(token_id: String, body: &Value) -> AuthRef {
        let t = &body["token"];
        let s = |v: &Value| v.as_str().map(str::to_string);
        AuthRef {
            token: Some(token_id),
            expires_at: s(&t["expires_at"]),
            issued_at: s(&t["issued_at"]),
            user_id: s(&t["user"]["id"]),
            user_name: s(&t["user"]["name"]),
            user_domain_id: s(&t["user"]["domain"]["id"]),
            project_id: s(&t["project"]["id"]),
            project_name: s(&t["project"]["name"]),
            project_domain_id: s(&t["project"]["domain"]["id"]),
            domain_id: s(&t["domain"]["id"]),
            domain_name: s(&t["domain"]["name"]),
            system: t.get("system").is_some_and(|v| !v.is_null()),
            roles: t["roles"]
                .as_array()
                .map(|a| a.iter().filter_map(|r| s(&r["name"])).collect())
                .unwrap_or_default(),
            catalog: t["catalog"].as_array().cloned().unwrap_or_default(),
            fixed_endpoint: None,
            discovery: BTreeMap::new(),
        }
    }

    /// Seconds until expiry, if known.
    pub fn expires_in(&self, now: i64) -> Option<i64> {
        let exp = crate::time::parse_rfc3339(self.expires_at.as_deref()?)?;
        Some(exp - now)
    }
}

/// The auth types osc understands, normalised (`password` and `v3password` are one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthType {
    Password,
    Token,
    ApplicationCredential,
    Totp,
    Multifactor,
    AdminToken,
    None,
    OidcPassword,
    OidcClientCredentials,
    OidcAccessToken,
}

impl AuthType {
    pub fn parse(s: &str) -> Result<Self> {
        Ok(match s.replace('-', "_").as_str() {
            "password" | "v3password" | "v2password" => AuthType::Password,
            "token" | "v3token" | "v2token" => AuthType::Token,
            "v3applicationcredential" | "applicationcredential" => AuthType::ApplicationCredential,
            "v3totp" | "totp" => AuthType::Totp,
            "v3multifactor" | "multifactor" => AuthType::Multifactor,
            "admin_token" | "token_endpoint" | "noauth" => AuthType::AdminToken,
            "none" => AuthType::None,
            "v3oidcpassword" => AuthType::OidcPassword,
            "v3oidcclientcredentials" => AuthType::OidcClientCredentials,
            "v3oidcaccesstoken" => AuthType::OidcAccessToken,
            other => {
                return Err(Error::config(format!(
                    "Unsupported auth type '{other}'; use one of password, token, v3applicationcredential, v3totp, v3multifactor, admin_token, none, v3oidcpassword, v3oidcclientcredentials, v3oidcaccesstoken"
                )))
            }
        })
    }
    pub fn uses_keystone(self) -> bool {
        !matches!(self, AuthType::AdminToken | AuthType::None)
    }
}

fn need(cfg: &CloudConfig, key: &str, flag: &str) -> Result<String> {
    cfg.auth(key).ok_or_else(|| {
        let var = flag.trim_start_matches("os-").replace('-', "_").to_ascii_uppercase();
        Error::Auth(format!(
            "Missing value {key} required for auth plugin {}; set --{flag} or OS_{var} or add it to the cloud's auth section",
            cfg.auth_type(),
        ))
    })
}

/// `{"id": ..}` or `{"name": .., "domain": {..}}` for a user, as keystoneauth builds it.
fn user_ref(cfg: &CloudConfig) -> Result<Value> {
    if let Some(id) = cfg.auth("user_id") {
        return Ok(json!({ "id": id }));
    }
    let name = need(cfg, "username", "os-username")?;
    Ok(json!({ "name": name, "domain": domain_ref(cfg, "user_domain")? }))
}

fn domain_ref(cfg: &CloudConfig, prefix: &str) -> Result<Value> {
    if let Some(id) = cfg.auth(&format!("{prefix}_id")) {
        return Ok(json!({ "id": id }));
    }
    if let Some(name) = cfg.auth(&format!("{prefix}_name")) {
        return Ok(json!({ "name": name }));
    }
    if let Some(id) = cfg.auth("default_domain_id") {
        return Ok(json!({ "id": id }));
    }
    if let Some(name) = cfg.auth("default_domain_name") {
        return Ok(json!({ "name": name }));
    }
    // OSC's --os-default-domain (default "default").
    Ok(json!({ "id": cfg.get_str("default_domain").unwrap_or_else(|| "default".into()) }))
}

/// The scope requested by the configuration, or `None` for an unscoped token.
pub fn scope(cfg: &CloudConfig) -> Result<Option<Value>> {
    if let Some(trust) = cfg.auth("trust_id") {
        return Ok(Some(json!({ "OS-TRUST:trust": { "id": trust } })));
    }
    if let Some(system) = cfg.auth("system_scope") {
        return Ok(Some(json!({ "system": { system: true } })));
    }
    if let Some(id) = cfg.auth("project_id") {
        return Ok(Some(json!({ "project": { "id": id } })));
    }
    if let Some(name) = cfg.auth("project_name") {
        return Ok(Some(
            json!({ "project": { "name": name, "domain": domain_ref(cfg, "project_domain")? } }),
        ));
    }
    if let Some(id) = cfg.auth("domain_id") {
        return Ok(Some(json!({ "domain": { "id": id } })));
    }
    if let Some(name) = cfg.auth("domain_name") {
        return Ok(Some(json!({ "domain": { "name": name } })));
    }
    Ok(None)
}

/// One identity method and its body.
fn method(cfg: &CloudConfig, kind: &str) -> Result<(&'static str, Value)> {
    Ok(match kind {
        "password" | "v3password" => {
            let mut user = user_ref(cfg)?;
            user["password"] = Value::String(need(cfg, "password", "os-password")?);
            ("password", json!({ "user": user }))
        }
        "token" | "v3token" => ("token", json!({ "id": need(cfg, "token", "os-token")? })),
        "totp" | "v3totp" => {
            let mut user = user_ref(cfg)?;
            user["passcode"] = Value::String(need(cfg, "passcode", "os-passcode")?);
            ("totp", json!({ "user": user }))
        }
        "applicationcredential" | "v3applicationcredential" => {
            let secret = need(cfg, "application_credential_secret", "os-application-credential-secret")?;
            let body = if let Some(id) = cfg.auth("application_credential_id") {
                json!({ "id": id, "secret": secret })
            } else {
                let name = need(cfg, "application_credential_name", "os-application-credential-name")?;
                json!({ "name": name, "secret": secret, "user": user_ref(cfg)? })
            };
            ("application_credential", body)
        }
        other => {
            return Err(Error::config(format!(
                "Unsupported method '{other}' in auth_methods; use v3password, v3token, v3totp or v3applicationcredential"
            )))
        }
    })
}

/// The body of `POST /v3/auth/tokens` for a Keystone-native auth type.
pub fn token_request(cfg: &CloudConfig, ty: AuthType) -> Result<Value> {
    let methods: Vec<String> = match ty {
        AuthType::Password => vec!["password".into()],
        AuthType::Token => vec!["token".into()],
        AuthType::Totp => vec!["totp".into()],
        AuthType::ApplicationCredential => vec!["applicationcredential".into()],
        AuthType::Multifactor => {
            let m = need(cfg, "auth_methods", "os-auth-methods")?;
            m.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        }
        _ => {
            return Err(Error::config(
                "this auth type does not post credentials to Keystone",
            ))
        }
    };
    let mut identity = Map::new();
    let mut names = Vec::new();
    for m in &methods {
        let (name, body) = method(cfg, m)?;
        names.push(Value::String(name.into()));
        identity.insert(name.into(), body);
    }
    identity.insert("methods".into(), Value::Array(names));
    let mut auth = json!({ "identity": Value::Object(identity) });
    // Application credentials carry their own scope.
    if ty != AuthType::ApplicationCredential {
        if let Some(scope) = scope(cfg)? {
            auth["scope"] = scope;
        }
    }
    Ok(json!({ "auth": auth }))
}

/// The form posted to an OpenID Connect token endpoint, for the grant the auth type uses.
pub fn oidc_token_form(cfg: &CloudConfig, ty: AuthType) -> Result<Vec<(String, String)>> {
    let scope = cfg
        .auth("openid_scope")
        .unwrap_or_else(|| "openid profile".into());
    let mut form = vec![("scope".to_string(), scope)];
    match ty {
        AuthType::OidcPassword => {
            form.push(("grant_type".into(), "password".into()));
            form.push(("username".into(), need(cfg, "username", "os-username")?));
            form.push(("password".into(), need(cfg, "password", "os-password")?));
        }
        AuthType::OidcClientCredentials => {
            form.push(("grant_type".into(), "client_credentials".into()));
        }
        _ => return Err(Error::config("not an OpenID Connect grant")),
    }
    Ok(form)
}

/// The federation endpoint that trades an OIDC access token for an unscoped Keystone token.
pub fn federation_auth_path(cfg: &CloudConfig) -> Result<String> {
    let idp = need(cfg, "identity_provider", "os-identity-provider")?;
    let protocol = cfg.auth("protocol").unwrap_or_else(|| "openid".into());
    Ok(format!(
        "/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol}/auth"
    ))
}

pub fn oidc_client(cfg: &CloudConfig) -> Result<(String, String)> {
    Ok((
        need(cfg, "client_id", "os-client-id")?,
        need(cfg, "client_secret", "os-client-secret")?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{resolve, ConfigFiles, Env};

    fn cfg(vars: &[(&str, &str)]) -> CloudConfig {
        let env = Env {
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        resolve(
            &ConfigFiles::default(),
            &env,
            &crate::globals::Globals::default(),
        )
        .unwrap()
    }

    #[test]
    fn password_project_scope_uses_default_domain() {
        let c = cfg(&[
            ("OS_AUTH_URL", "http://k/v3"),
            ("OS_USERNAME", "u"),
            ("OS_PASSWORD", "p"),
            ("OS_PROJECT_NAME", "demo"),
        ]);
        let body = token_request(&c, AuthType::Password).unwrap();
        assert_eq!(body["auth"]["identity"]["methods"], json!(["password"]));
        assert_eq!(body["auth"]["identity"]["password"]["user"]["name"], "u");
        assert_eq!(
            body["auth"]["identity"]["password"]["user"]["domain"]["id"],
            "default"
        );
        assert_eq!(body["auth"]["scope"]["project"]["name"], "demo");
        assert_eq!(body["auth"]["scope"]["project"]["domain"]["id"], "default");
    }

    #[test]
    fn system_scope_and_multifactor() {
        let c = cfg(&[
            ("OS_USERNAME", "u"),
            ("OS_PASSWORD", "p"),
            ("OS_PASSCODE", "123456"),
            ("OS_AUTH_METHODS", "v3password,v3totp"),
            ("OS_SYSTEM_SCOPE", "all"),
        ]);
        let body = token_request(&c, AuthType::Multifactor).unwrap();
        assert_eq!(
            body["auth"]["identity"]["methods"],
            json!(["password", "totp"])
        );
        assert_eq!(
            body["auth"]["identity"]["totp"]["user"]["passcode"],
            "123456"
        );
        assert_eq!(body["auth"]["scope"], json!({"system": {"all": true}}));
    }

    #[test]
    fn application_credential_has_no_scope() {
        let c = cfg(&[
            ("OS_APPLICATION_CREDENTIAL_ID", "ac"),
            ("OS_APPLICATION_CREDENTIAL_SECRET", "s"),
            ("OS_PROJECT_NAME", "x"),
        ]);
        let body = token_request(&c, AuthType::ApplicationCredential).unwrap();
        assert_eq!(
            body["auth"]["identity"]["application_credential"],
            json!({"id": "ac", "secret": "s"})
        );
        assert!(body["auth"].get("scope").is_none());
    }

    #[test]
    fn missing_password_is_clear() {
        let c = cfg(&[("OS_USERNAME", "u")]);
        let err = token_request(&c, AuthType::Password)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("password") && err.contains("OS_PASSWORD"),
            "{err}"
        );
    }
}
