//! OAuth1: `consumer create|delete|list|set|show`, `request token create|authorize`,
//! `access token create`. Request and access tokens are signed with HMAC-SHA1 as
//! keystoneclient (oauthlib) signs them.

use crate::common::*;
use osc_core::resource::{col, ListSpec};
use osc_core::{Context, Error, Method, Output, Record, Request, Result, Session};
use serde_json::{json, Value};

fn consumer_record(v: &Value) -> Output {
    Output::Show(sorted_info(v))
}

/// Create new consumer
#[derive(clap::Args)]
pub struct CreateConsumer {
    /// New consumer description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
}

impl osc_core::Command for CreateConsumer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.opt("description", self.description.clone());
        Ok(consumer_record(&CONSUMER.create(s, b.value())?))
    }
}

/// Delete consumer(s)
#[derive(clap::Args)]
pub struct DeleteConsumer {
    /// Consumer(s) to delete
    #[arg(value_name = "consumer", required = true)]
    consumer: Vec<String>,
}

impl osc_core::Command for DeleteConsumer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(&self.consumer, "consumer", "consumers", |c| {
            let id = CONSUMER.find_id(s, c)?;
            CONSUMER.delete(s, &id)
        })
    }
}

/// Set consumer properties
#[derive(clap::Args)]
pub struct SetConsumer {
    /// Consumer to modify
    #[arg(value_name = "consumer")]
    consumer: String,
    /// New consumer description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
}

impl osc_core::Command for SetConsumer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = CONSUMER.find_id(s, &self.consumer)?;
        let mut b = Body::new();
        b.nonempty("description", &self.description);
        CONSUMER.update(s, &id, Method::PATCH, b.value())?;
        Ok(Output::None)
    }
}

/// Display consumer details
#[derive(clap::Args)]
pub struct ShowConsumer {
    /// Consumer to display
    #[arg(value_name = "consumer")]
    consumer: String,
}

impl osc_core::Command for ShowConsumer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(consumer_record(&CONSUMER.find(s, &self.consumer)?))
    }
}

// ---- OAuth1 signing (general: could move to osc-core if another service needs it) ----

/// RFC 3986 percent-encoding as OAuth1 requires (only unreserved characters kept).
fn pct(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in chunk.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

fn hmac_sha1(key: &[u8], msg: &[u8]) -> [u8; 20] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..20].copy_from_slice(&sha1(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    inner.extend_from_slice(msg);
    let mut outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    outer.extend_from_slice(&sha1(&inner));
    sha1(&outer)
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut o = String::new();
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                o.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                o.push('=');
            }
        }
    }
    o
}

fn nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    for _ in 0..2 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

/// The `Authorization: OAuth ...` header for a POST to `url`.
fn oauth_header(
    url: &str,
    consumer: (&str, &str),
    token: Option<(&str, &str)>,
    extra: &[(&str, &str)],
) -> String {
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        .to_string();
    let n = nonce();
    let mut params: Vec<(String, String)> = vec![
        ("oauth_nonce".into(), n),
        ("oauth_timestamp".into(), ts),
        ("oauth_version".into(), "1.0".into()),
        ("oauth_signature_method".into(), "HMAC-SHA1".into()),
        ("oauth_consumer_key".into(), consumer.0.into()),
    ];
    if let Some((k, _)) = token {
        params.push(("oauth_token".into(), k.into()));
    }
    for (k, v) in extra {
        params.push((k.to_string(), v.to_string()));
    }
    let mut norm: Vec<(String, String)> = params.iter().map(|(k, v)| (pct(k), pct(v))).collect();
    norm.sort();
    let param_str = norm
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let base_url = url.split(['?', '#']).next().unwrap_or(url);
    let base = format!("POST&{}&{}", pct(base_url), pct(&param_str));
    let key = format!(
        "{}&{}",
        pct(consumer.1),
        pct(token.map(|t| t.1).unwrap_or(""))
    );
    let sig = base64(&hmac_sha1(key.as_bytes(), base.as_bytes()));
    params.push(("oauth_signature".into(), sig));
    let parts: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}=\"{}\"", pct(k), pct(v)))
        .collect();
    format!("OAuth {}", parts.join(", "))
}

/// Parses `oauth_token=..&oauth_token_secret=..[&oauth_expires_at=..]` into OSC's fields.
fn token_record(body: &str) -> Result<Output> {
    let mut key = None;
    let mut secret = None;
    let mut expires = None;
    for (k, v) in url::form_urlencoded::parse(body.trim().as_bytes()) {
        match k.as_ref() {
            "oauth_token" => key = Some(v.to_string()),
            "oauth_token_secret" => secret = Some(v.to_string()),
            "oauth_expires_at" => expires = Some(v.to_string()),
            _ => {}
        }
    }
    let key = key.ok_or_else(|| Error::cmd("Keystone returned no oauth_token"))?;
    let mut r = Record::new();
    if let Some(e) = expires {
        r.push("expires", e);
    }
    r.push("id", key.clone());
    r.push("key", key);
    r.push("secret", secret.unwrap_or_default());
    Ok(Output::Show(r))
}

fn post_signed(
    s: &Session,
    path: &str,
    auth: String,
    headers: &[(&str, String)],
) -> Result<String> {
    let mut req = Request::new(Method::POST, SVC, path).header("Authorization", auth);
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let resp = s.send(req)?;
    resp.text()
        .map_err(|e| Error::Transport(format!("Cannot read the Keystone response: {e}")))
}

/// Create a request token
#[derive(clap::Args)]
pub struct CreateRequestToken {
    /// Consumer key (required)
    #[arg(long = "consumer-key", value_name = "<consumer-key>", required = true)]
    consumer_key: String,
    /// Consumer secret (required)
    #[arg(
        long = "consumer-secret",
        value_name = "<consumer-secret>",
        required = true
    )]
    consumer_secret: String,
    /// Project that consumer wants to access (name or ID) (required)
    #[arg(long, value_name = "<project>", required = true)]
    project: String,
    /// Domain owning <project> (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
}

impl osc_core::Command for CreateRequestToken {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let pid = PROJECTS.id_in(s, &self.project, self.domain.as_deref())?;
        let path = "/OS-OAUTH1/request_token";
        let url = format!("{}{path}", s.endpoint(SVC)?.trim_end_matches('/'));
        let auth = oauth_header(
            &url,
            (&self.consumer_key, &self.consumer_secret),
            None,
            &[("oauth_callback", "oob")],
        );
        token_record(&post_signed(
            s,
            path,
            auth,
            &[("Requested-Project-Id", pid)],
        )?)
    }
}

/// Authorize a request token
#[derive(clap::Args)]
pub struct AuthorizeRequestToken {
    /// Request token to authorize (ID only) (required)
    #[arg(long = "request-key", value_name = "<request-key>", required = true)]
    request_key: String,
    /// Roles to authorize (name or ID) (repeat option to set multiple values) (required)
    #[arg(long = "role", value_name = "<role>", required = true)]
    roles: Vec<String>,
}

impl osc_core::Command for AuthorizeRequestToken {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let roles = self
            .roles
            .iter()
            .map(|r| Ok(json!({"id": ROLE.find_id(s, r)?})))
            .collect::<Result<Vec<_>>>()?;
        let v = s.put(
            SVC,
            &format!(
                "/OS-OAUTH1/authorize/{}",
                osc_core::resource::encode_segment(&self.request_key)
            ),
            json!({"roles": roles}),
        )?;
        Ok(Output::Show(sorted_info(&v["token"])))
    }
}

/// Create an access token
#[derive(clap::Args)]
pub struct CreateAccessToken {
    /// Consumer key (required)
    #[arg(long = "consumer-key", value_name = "<consumer-key>", required = true)]
    consumer_key: String,
    /// Consumer secret (required)
    #[arg(
        long = "consumer-secret",
        value_name = "<consumer-secret>",
        required = true
    )]
    consumer_secret: String,
    /// Request token to exchange for access token (required)
    #[arg(long = "request-key", value_name = "<request-key>", required = true)]
    request_key: String,
    /// Secret associated with <request-key> (required)
    #[arg(
        long = "request-secret",
        value_name = "<request-secret>",
        required = true
    )]
    request_secret: String,
    /// Verifier associated with <request-key> (required)
    #[arg(long, value_name = "<verifier>", required = true)]
    verifier: String,
}

impl osc_core::Command for CreateAccessToken {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let path = "/OS-OAUTH1/access_token";
        let url = format!("{}{path}", s.endpoint(SVC)?.trim_end_matches('/'));
        let auth = oauth_header(
            &url,
            (&self.consumer_key, &self.consumer_secret),
            Some((&self.request_key, &self.request_secret)),
            &[("oauth_verifier", &self.verifier)],
        );
        token_record(&post_signed(s, path, auth, &[])?)
    }
}

/// `consumer list` is a plain listing.
pub const CONSUMER_LIST: ListSpec = ListSpec {
    resource: CONSUMER,
    columns: &[col("ID", "id"), col("Description", "description")],
    long_columns: &[],
    filters: &[],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_and_hmac_known_answers() {
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(&hmac_sha1(
                b"key",
                b"The quick brown fox jumps over the lazy dog"
            )),
            "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9"
        );
        assert_eq!(base64(b"hello"), "aGVsbG8=");
        assert_eq!(pct("a b/c~"), "a%20b%2Fc~");
    }
}
