//! `keypair create|delete|list|show`.

use crate::common::{self, mv};
use osc_core::resource::{encode_segment, record_sorted};
use osc_core::{Cell, Command, Context, Error, Output, Result, Session, Table};
use serde_json::{json, Map, Value};

/// A keypair as openstacksdk's `Keypair.to_dict()` (name doubles as id).
fn keypair_view(k: &Value, hide_public: bool, hide_private: bool) -> Value {
    let get = |key: &str| k.get(key).cloned().unwrap_or(Value::Null);
    let mut m = Map::new();
    m.insert("created_at".into(), get("created_at"));
    m.insert("fingerprint".into(), get("fingerprint"));
    m.insert("id".into(), get("name"));
    m.insert("is_deleted".into(), get("deleted"));
    m.insert("name".into(), get("name"));
    if !hide_private {
        m.insert("private_key".into(), get("private_key"));
    }
    if !hide_public {
        m.insert("public_key".into(), get("public_key"));
    }
    m.insert(
        "type".into(),
        k.get("type").cloned().unwrap_or_else(|| json!("ssh")),
    );
    m.insert("user_id".into(), get("user_id"));
    Value::Object(m)
}

fn user_query(
    s: &Session,
    user: Option<&str>,
    domain: Option<&str>,
) -> Result<Vec<(String, String)>> {
    match user {
        Some(u) => {
            common::require(s, "2.10", "the --user option")?;
            Ok(vec![(
                "user_id".into(),
                common::find_user_id(s, u, domain)?,
            )])
        }
        None => Ok(Vec::new()),
    }
}

/// An Ed25519 keypair in OpenSSH format, as OSC generates it locally (private, public).
fn generate_keypair() -> Result<(String, String)> {
    let dir = tempfile_dir()?;
    let key = dir.join("id_ed25519");
    let out = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "", "-f"])
        .arg(&key)
        .output()
        .map_err(|e| Error::cmd(format!("Cannot generate a keypair: running ssh-keygen failed: {e}; pass --public-key instead")));
    let result = out.and_then(|o| {
        if !o.status.success() {
            return Err(Error::cmd(format!(
                "Cannot generate a keypair: ssh-keygen failed: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            )));
        }
        let private = std::fs::read_to_string(&key)?;
        let public = std::fs::read_to_string(key.with_extension("pub"))?;
        Ok((private, public.trim_end().to_string()))
    });
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// A private (0700) temporary directory for the generated key.
fn tempfile_dir() -> Result<std::path::PathBuf> {
    let base = std::env::temp_dir();
    for n in 0..100u32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = base.join(format!("osc-keygen-{}-{nanos}-{n}", std::process::id()));
        let mut b = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        if b.create(&dir).is_ok() {
            return Ok(dir);
        }
    }
    Err(Error::cmd(
        "Cannot create a temporary directory for key generation",
    ))
}

fn expand(path: &str) -> std::path::PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME")
            .map(std::path::PathBuf::from)
            .unwrap_or_default()
            .join(rest),
        None => std::path::PathBuf::from(path),
    }
}

/// Create new public or private key for server ssh access
#[derive(clap::Args)]
pub struct CreateKeypair {
    /// New public or private key name
    #[arg(value_name = "name")]
    name: String,
    /// Filename for public key to add. If not used, generates a private key in ssh-ed25519 format. To generate keys in other formats, including the legacy ssh-rsa format, you must use an external tool such as ssh-keygen and specify this argument.
    #[arg(
        long = "public-key",
        value_name = "file",
        conflicts_with = "private_key"
    )]
    public_key: Option<String>,
    /// Filename for private key to save. If not used, print private key in console.
    #[arg(long = "private-key", value_name = "file")]
    private_key: Option<String>,
    /// Keypair type (supported by --os-compute-api-version 2.2 or above)
    #[arg(long = "type", value_name = "type", value_parser = ["ssh", "x509"])]
    key_type: Option<String>,
    /// The owner of the keypair (admin only) (name or ID). Requires ``--os-compute-api-version`` 2.10 or greater.
    #[arg(long, value_name = "user")]
    user: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long = "user-domain", value_name = "user-domain")]
    user_domain: Option<String>,
}

impl Command for CreateKeypair {
    fn run(self, ctx: &Context) -> Result<Output> {
        let mut body = json!({"name": self.name});
        let mut generated_private = None;
        if let Some(p) = &self.public_key {
            let key = std::fs::read_to_string(expand(p))
                .map_err(|e| Error::cmd(format!("Key file {p} not found: {e}")))?;
            body["public_key"] = json!(key);
        } else {
            let (private, public) = generate_keypair()?;
            body["public_key"] = json!(public);
            if let Some(path) = &self.private_key {
                write_private(&expand(path), &private)
                    .map_err(|e| Error::cmd(format!("Key file {path} can not be saved: {e}")))?;
            }
            generated_private = Some(private);
        }
        let s = ctx.session()?;
        if let Some(t) = &self.key_type {
            common::require(s, "2.2", "the --type option")?;
            body["type"] = json!(t);
        }
        if let Some(q) = user_query(s, self.user.as_deref(), self.user_domain.as_deref())?
            .into_iter()
            .next()
        {
            body["user_id"] = json!(q.1);
        }
        let created = common::unwrap_key(
            common::post(s, "/os-keypairs", json!({ "keypair": body }), mv::KEYPAIR)?,
            "keypair",
        );
        if self.public_key.is_some() || self.private_key.is_some() {
            return Ok(Output::Show(record_sorted(
                &keypair_view(&created, true, true),
                &[],
                &[],
            )));
        }
        Ok(Output::Text(generated_private.unwrap_or_default()))
    }
}

fn write_private(path: &std::path::Path, key: &str) -> std::io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    use std::io::Write;
    o.open(path)?.write_all(key.as_bytes())
}

/// Delete public or private key(s)
#[derive(clap::Args)]
pub struct DeleteKeypair {
    /// Name of key(s) to delete (name only)
    #[arg(value_name = "key", required = true)]
    name: Vec<String>,
    /// System-wide unique user ID (name or ID) (admin only). Requires ``--os-compute-api-version`` 2.10 or greater.
    #[arg(long, value_name = "user")]
    user: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long = "user-domain", value_name = "user-domain")]
    user_domain: Option<String>,
}

impl Command for DeleteKeypair {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let q = user_query(s, self.user.as_deref(), self.user_domain.as_deref())?;
        let mut failed = 0;
        for n in &self.name {
            let r = common::request(
                s,
                osc_core::Method::DELETE,
                format!("/os-keypairs/{}", encode_segment(n)),
                mv::KEYPAIR,
            )
            .and_then(|r| s.send(r.queries(&q)));
            if let Err(e) = r {
                failed += 1;
                osc_core::log::warn(&format!("Failed to delete key with name '{n}': {e}"));
            }
        }
        if failed > 0 {
            return Err(Error::cmd(format!(
                "{failed} of {} keys failed to delete.",
                self.name.len()
            )));
        }
        Ok(Output::None)
    }
}

/// List key fingerprints
#[derive(clap::Args)]
pub struct ListKeypair {
    /// Show keypairs for another user (admin only) (name or ID). Requires ``--os-compute-api-version`` 2.10 or greater.
    #[arg(long, value_name = "user", conflicts_with = "project")]
    user: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long = "user-domain", value_name = "user-domain")]
    user_domain: Option<String>,
    /// Show keypairs for all users associated with project (admin only) (name or ID). Requires ``--os-compute-api-version`` 2.10 or greater.
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "project-domain")]
    project_domain: Option<String>,
    /// The maximum number of entries to return per page.
    #[arg(long, value_name = "limit", value_parser = common::non_negative)]
    limit: Option<u64>,
    /// The first position in the collection to return results from.
    #[arg(long, value_name = "marker")]
    marker: Option<String>,
    /// The maximum number of entries to return in total, paging through multiple requests if needed.
    #[arg(long = "max-items", value_name = "max-items", value_parser = common::non_negative)]
    max_items: Option<u64>,
}

impl Command for ListKeypair {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut q: Vec<(String, String)> = Vec::new();
        if self.marker.is_some() {
            common::require(s, "2.35", "the --marker option")?;
        }
        if self.limit.is_some() {
            common::require(s, "2.35", "the --limit option")?;
        }
        common::page_query(&mut q, self.limit, self.marker.as_deref());
        // Paging needs 2.35; openstacksdk's keypair stops at 2.10, so page at 2.35 when asked.
        let version = if self.limit.is_some() || self.marker.is_some() {
            "2.35"
        } else {
            mv::KEYPAIR
        };
        let fetch = |q: &[(String, String)]| -> Result<Vec<Value>> {
            let items = common::list_limited(
                s,
                "/os-keypairs",
                "keypairs",
                q,
                version,
                self.limit.is_none(),
                None,
                osc_core::page::Fields::All,
            )?;
            Ok(items
                .into_iter()
                .map(|k| common::unwrap_key(k, "keypair"))
                .collect())
        };
        let mut data = Vec::new();
        if let Some(p) = &self.project {
            common::require(s, "2.10", "the --project option")?;
            if self.marker.is_some() {
                return Err(Error::cmd("--project is not compatible with --marker"));
            }
            let pid = common::find_project_id(s, p, self.project_domain.as_deref())?;
            let assignments = s.get_query(
                "identity",
                "/role_assignments",
                &[("scope.project.id".into(), pid)],
            )?;
            let mut users: Vec<String> = common::take(assignments, "role_assignments")
                .iter()
                .filter_map(|a| a["user"]["id"].as_str().map(str::to_string))
                .collect();
            users.sort();
            users.dedup();
            for u in users {
                let mut uq = q.clone();
                uq.push(("user_id".into(), u));
                data.extend(fetch(&uq)?);
            }
        } else {
            q.extend(user_query(
                s,
                self.user.as_deref(),
                self.user_domain.as_deref(),
            )?);
            data = fetch(&q)?;
        }
        if let Some(n) = self.max_items {
            data.truncate(n as usize);
        }
        let with_type = common::supports(s, "2.2")?;
        let mut cols = vec!["Name", "Fingerprint"];
        if with_type {
            cols.push("Type");
        }
        let mut t = Table::new(cols);
        for k in &data {
            let mut row = vec![
                Cell::raw(k["name"].clone()),
                Cell::raw(k["fingerprint"].clone()),
            ];
            if with_type {
                row.push(Cell::raw(
                    k.get("type").cloned().unwrap_or_else(|| json!("ssh")),
                ));
            }
            t.rows.push(row);
        }
        Ok(Output::List(t))
    }
}

/// Display key details
#[derive(clap::Args)]
pub struct ShowKeypair {
    /// Public or private key to display (name only)
    #[arg(value_name = "key")]
    name: String,
    /// Show only bare public key paired with the generated key
    #[arg(long = "public-key")]
    public_key: bool,
    /// The owner of the keypair (admin only) (name or ID). Requires ``--os-compute-api-version`` 2.10 or greater.
    #[arg(long, value_name = "user")]
    user: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long = "user-domain", value_name = "user-domain")]
    user_domain: Option<String>,
}

impl Command for ShowKeypair {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let q = user_query(s, self.user.as_deref(), self.user_domain.as_deref())?;
        let path = format!("/os-keypairs/{}", encode_segment(&self.name));
        let k = match common::get_query(s, &path, &q, mv::KEYPAIR) {
            Ok(k) => common::unwrap_key(k, "keypair"),
            Err(e) if e.is_not_found() => {
                return Err(Error::NotFound(format!(
                    "No keypair with a name or ID of '{}' exists.",
                    self.name
                )))
            }
            Err(e) => return Err(e),
        };
        if self.public_key {
            return Ok(Output::Text(common::str_of(&k, "public_key").to_string()));
        }
        Ok(Output::Show(record_sorted(
            &keypair_view(&k, true, false),
            &[],
            &[],
        )))
    }
}
