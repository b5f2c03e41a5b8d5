//! Removing secrets from anything that is logged: token headers become a hash, as
//! keystoneauth does, and secret fields in JSON bodies become `***`.

use serde_json::Value;
use sha2::{Digest, Sha256};

const SECRET_HEADERS: &[&str] = &[
    "x-auth-token",
    "x-subject-token",
    "x-service-token",
    "authorization",
];
const SECRET_FIELDS: &[&str] = &[
    "password",
    "original_password",
    "secret",
    "passcode",
    "application_credential_secret",
    "client_secret",
    "access_token",
    "adminPass",
    "admin_pass",
    "token",
    "auth_token",
    "key",
];

/// `{SHA256}<hex>` for a token header, the value as is for other headers.
pub fn header(name: &str, value: &str) -> String {
    if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        let h = Sha256::digest(value.as_bytes());
        format!("{{SHA256}}{}", hex::encode(h))
    } else {
        value.to_string()
    }
}

/// Replaces secret string fields anywhere in a JSON document; a `token` object keeps its
/// shape but loses its `id`.
pub fn json(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let secret = SECRET_FIELDS.contains(&k.as_str());
                    let nv = match v {
                        Value::String(_) if secret => Value::String("***".into()),
                        Value::Object(o) if k == "token" => {
                            let mut o = o.clone();
                            if o.contains_key("id") {
                                o.insert("id".into(), Value::String("***".into()));
                            }
                            json(&Value::Object(o))
                        }
                        _ => json(v),
                    };
                    (k.clone(), nv)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(json).collect()),
        _ => v.clone(),
    }
}

/// A body for the log: JSON is redacted, form data loses secret values, other text is
/// shown only when it holds no known secret.
pub fn body(text: &str, secrets: &[String]) -> String {
    let out = match serde_json::from_str::<Value>(text) {
        Ok(v) => json(&v).to_string(),
        Err(_) => text
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, _)) if SECRET_FIELDS.contains(&k) => format!("{k}=***"),
                _ => kv.to_string(),
            })
            .collect::<Vec<_>>()
            .join("&"),
    };
    scrub(&out, secrets)
}

/// Last line of defence: replaces any known secret value that still appears.
pub fn scrub(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), "***");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn redacts_auth_bodies() {
        let body = json!({"auth": {"identity": {"methods": ["password", "token"],
            "password": {"user": {"name": "u", "password": "hunter2"}},
            "token": {"id": "gAAAAtoken"}}}});
        let s = json(&body).to_string();
        assert!(!s.contains("hunter2") && !s.contains("gAAAAtoken"), "{s}");
        assert!(s.contains("\"name\":\"u\""));
    }

    #[test]
    fn hashes_token_headers() {
        let h = header("X-Auth-Token", "gAAAAsecret");
        assert!(h.starts_with("{SHA256}") && !h.contains("gAAAAsecret"));
        assert_eq!(header("Accept", "application/json"), "application/json");
    }

    #[test]
    fn scrubs_known_secrets_from_text() {
        assert_eq!(
            body("grant_type=password&password=pw12&username=u", &[]),
            "grant_type=password&password=***&username=u"
        );
        assert_eq!(scrub("x hunter2 y", &["hunter2".into()]), "x *** y");
    }
}
