//! The persistent token cache. Entries live in the OS keyring where one works (the Secret
//! Service on a Linux desktop, the macOS keychain, the Windows credential store), otherwise
//! in one 0600 file per entry in a 0700 directory under the user's cache directory (headless
//! machines have no Secret Service). The key is a hash of every auth parameter (secrets
//! hashed too), so clouds, users and scopes never share an entry. Tokens, the catalog and
//! version discovery are cached together.
//!
//! `OSC_TOKEN_STORE=file|keyring` chooses explicitly; `OSC_CACHE_DIR` implies the file store
//! in that directory.

use crate::auth::AuthRef;
use crate::config::CloudConfig;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A cached token is used until this many seconds before it expires.
pub const EXPIRY_MARGIN_SECS: i64 = 120;

/// The keyring service name entries are stored under.
const KEYRING_SERVICE: &str = "osc";

#[derive(Clone, Debug)]
pub struct TokenCache {
    dir: Option<PathBuf>,
    /// Entries go to the OS keyring; `dir` then holds only the index of their keys.
    keyring: bool,
}

impl TokenCache {
    /// `$OSC_CACHE_DIR` or `<cache dir>/osc`, plus `auth/`. Disabled when no directory exists.
    pub fn new(enabled: bool) -> Self {
        if !enabled {
            return TokenCache {
                dir: None,
                keyring: false,
            };
        }
        let explicit = std::env::var_os("OSC_CACHE_DIR").filter(|v| !v.is_empty());
        let keyring = match std::env::var("OSC_TOKEN_STORE").ok().as_deref() {
            Some("file") => false,
            Some("keyring") => keyring_store::works(),
            _ => explicit.is_none() && keyring_store::likely() && keyring_store::works(),
        };
        let base = explicit
            .map(PathBuf::from)
            .or_else(|| dirs::cache_dir().map(|d| d.join("osc")));
        TokenCache {
            dir: base.map(|b| b.join("auth")),
            keyring,
        }
    }

    pub fn at(dir: PathBuf) -> Self {
        TokenCache {
            dir: Some(dir),
            keyring: false,
        }
    }

    /// Where entries are kept, for messages.
    pub fn store_name(&self) -> &'static str {
        if self.keyring {
            "the OS keyring"
        } else {
            "a private file"
        }
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The cache key for a configuration: sha256 over the auth type and every auth value.
    pub fn key(cfg: &CloudConfig) -> String {
        let mut h = Sha256::new();
        h.update(cfg.auth_type().as_bytes());
        for (k, v) in cfg.values.iter().filter(|(k, _)| k.starts_with("auth.")) {
            h.update([0u8]);
            h.update(k.as_bytes());
            h.update([1u8]);
            h.update(v.value.to_string().as_bytes());
        }
        hex::encode(h.finalize())
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        Some(self.dir.as_ref()?.join(format!("{key}.json")))
    }

    /// A still-valid cached token, if any. Entries that are unreadable, expired or not
    /// private to the user are ignored (and removed).
    pub fn load(&self, key: &str, now: i64) -> Option<AuthRef> {
        // A keyring miss falls through to the file store (where a failed keyring write went).
        if let Some(text) = self.keyring.then(|| keyring_store::get(key)).flatten() {
            let auth: AuthRef = serde_json::from_str(&text).ok()?;
            return match auth.expires_in(now) {
                Some(left) if left > EXPIRY_MARGIN_SECS => Some(auth),
                _ => {
                    let _ = self.remove(key);
                    None
                }
            };
        }
        let path = self.path(key)?;
        let meta = fs::metadata(&path).ok()?;
        if !private(&meta) {
            let _ = fs::remove_file(&path);
            return None;
        }
        let text = fs::read(&path).ok()?;
        let auth: AuthRef = match serde_json::from_slice(&text) {
            Ok(a) => a,
            Err(_) => {
                let _ = fs::remove_file(&path);
                return None;
            }
        };
        match auth.expires_in(now) {
            Some(left) if left > EXPIRY_MARGIN_SECS => Some(auth),
            _ => {
                let _ = fs::remove_file(&path);
                None
            }
        }
    }

    /// Writes an entry atomically with mode 0600. Failures only cost the next run a login.
    pub fn store(&self, key: &str, auth: &AuthRef) -> std::io::Result<()> {
        if self.keyring {
            let data = serde_json::to_string(auth).map_err(std::io::Error::other)?;
            match keyring_store::set(key, &data) {
                Ok(()) => {
                    return self.index_update(|keys| {
                        if !keys.iter().any(|k| k == key) {
                            keys.push(key.to_string());
                        }
                    })
                }
                Err(e) => crate::log::debug(&format!(
                    "OS keyring refused the token ({e}); caching it in a private file"
                )),
            }
        }
        let (Some(dir), Some(path)) = (self.dir.as_ref(), self.path(key)) else {
            return Ok(());
        };
        create_private_dir(dir)?;
        let tmp = dir.join(format!(".{key}.{}.tmp", std::process::id()));
        let data = serde_json::to_vec(auth).map_err(std::io::Error::other)?;
        let _interrupted = crate::interrupt::guard(Some(tmp.clone()), None);
        {
            let mut f = open_private(&tmp)?;
            f.write_all(&data)?;
            f.sync_all()?;
        }
        fs::rename(&tmp, &path)
    }

    pub fn remove(&self, key: &str) -> std::io::Result<bool> {
        let mut removed = false;
        if self.keyring {
            removed = keyring_store::delete(key);
            self.index_update(|keys| keys.retain(|k| k != key))?;
        }
        match self.path(key) {
            Some(p) if p.exists() => fs::remove_file(p).map(|_| true),
            _ => Ok(removed),
        }
    }

    /// Removes entries whose token is the given one (`token revoke`).
    pub fn remove_token(&self, token: &str) -> usize {
        self.entries()
            .into_iter()
            .filter(|(_, a)| a.token.as_deref() == Some(token))
            .filter(|(p, _)| {
                if self.keyring {
                    self.remove(&p.to_string_lossy()).unwrap_or(false)
                } else {
                    fs::remove_file(p).is_ok()
                }
            })
            .count()
    }

    /// Removes every entry (`cloud cache delete`).
    pub fn clear(&self) -> std::io::Result<usize> {
        let mut n = 0;
        if self.keyring {
            for key in self.index() {
                if keyring_store::delete(&key) {
                    n += 1;
                }
            }
            self.index_update(Vec::clear)?;
        }
        let Some(dir) = &self.dir else { return Ok(n) };
        match fs::read_dir(dir) {
            Ok(rd) => {
                for e in rd.flatten() {
                    if e.path().extension().is_some_and(|x| x == "json") {
                        fs::remove_file(e.path())?;
                        n += 1;
                    }
                }
                Ok(n)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
            Err(e) => Err(e),
        }
    }

    /// Keys of the entries in the keyring (which cannot be listed), with no secrets.
    fn index(&self) -> Vec<String> {
        let Some(dir) = &self.dir else {
            return Vec::new();
        };
        fs::read(dir.join("keyring-index.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn index_update(&self, f: impl FnOnce(&mut Vec<String>)) -> std::io::Result<()> {
        let Some(dir) = &self.dir else { return Ok(()) };
        let mut keys = self.index();
        f(&mut keys);
        create_private_dir(dir)?;
        let tmp = dir.join(format!(".keyring-index.{}.tmp", std::process::id()));
        open_private(&tmp)?
            .write_all(&serde_json::to_vec(&keys).map_err(std::io::Error::other)?)?;
        fs::rename(tmp, dir.join("keyring-index.json"))
    }

    fn entries(&self) -> Vec<(PathBuf, AuthRef)> {
        if self.keyring {
            // Keyring entries are matched by token here and removed by key.
            let mut out = Vec::new();
            for key in self.index() {
                if let Some(a) =
                    keyring_store::get(&key).and_then(|t| serde_json::from_str(&t).ok())
                {
                    out.push((PathBuf::from(key), a));
                }
            }
            return out;
        }
        let Some(dir) = &self.dir else {
            return Vec::new();
        };
        let Ok(rd) = fs::read_dir(dir) else {
            return Vec::new();
        };
        rd.flatten()
            .filter_map(|e| {
                let p = e.path();
                let a = serde_json::from_slice(&fs::read(&p).ok()?).ok()?;
                Some((p, a))
            })
            .collect()
    }
}

/// The OS keyring, through the `keyring` crate.
#[cfg(any(target_os = "linux", target_os = "macos", windows))]
mod keyring_store {
    use super::KEYRING_SERVICE;

    /// Whether a keyring is worth probing: on Linux only with a D-Bus session (desktops);
    /// headless machines have none and use the file store without waiting on a timeout.
    pub fn likely() -> bool {
        if cfg!(target_os = "linux") {
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
        } else {
            true
        }
    }

    /// True when the keyring answers (an absent entry counts as an answer).
    pub fn works() -> bool {
        match keyring::Entry::new(KEYRING_SERVICE, "probe").and_then(|e| e.get_password()) {
            Ok(_) | Err(keyring::Error::NoEntry) => true,
            Err(e) => {
                crate::log::debug(&format!(
                    "OS keyring unavailable ({e}); caching tokens in a private file"
                ));
                false
            }
        }
    }

    pub fn get(key: &str) -> Option<String> {
        keyring::Entry::new(KEYRING_SERVICE, key)
            .ok()?
            .get_password()
            .ok()
    }

    pub fn set(key: &str, value: &str) -> std::io::Result<()> {
        keyring::Entry::new(KEYRING_SERVICE, key)
            .and_then(|e| e.set_password(value))
            .map_err(std::io::Error::other)
    }

    pub fn delete(key: &str) -> bool {
        keyring::Entry::new(KEYRING_SERVICE, key)
            .and_then(|e| e.delete_credential())
            .is_ok()
    }
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
mod keyring_store {
    pub fn likely() -> bool {
        false
    }
    pub fn works() -> bool {
        false
    }
    pub fn get(_: &str) -> Option<String> {
        None
    }
    pub fn set(_: &str, _: &str) -> std::io::Result<()> {
        Err(std::io::Error::other("no OS keyring on this platform"))
    }
    pub fn delete(_: &str) -> bool {
        false
    }
}

#[cfg(unix)]
fn private(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    meta.mode() & 0o077 == 0 && meta.uid() == uid
}

#[cfg(not(unix))]
fn private(_meta: &fs::Metadata) -> bool {
    true
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
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

    fn auth(token: &str, expires: &str) -> AuthRef {
        AuthRef {
            token: Some(token.into()),
            expires_at: Some(expires.into()),
            ..Default::default()
        }
    }

    #[test]
    fn headless_machines_use_the_file_store() {
        // No D-Bus session here (CI, servers): the file store, without probing.
        if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
            assert!(!keyring_store::likely());
        }
        let c = TokenCache::at(PathBuf::from("/tmp/x"));
        assert_eq!(c.store_name(), "a private file");
    }

    #[test]
    fn keys_differ_by_user_scope_and_secret() {
        let base = [
            ("OS_AUTH_URL", "http://k/v3"),
            ("OS_USERNAME", "a"),
            ("OS_PASSWORD", "p"),
        ];
        let k1 = TokenCache::key(&cfg(&base));
        assert_eq!(k1, TokenCache::key(&cfg(&base)));
        let mut other_user = base;
        other_user[1] = ("OS_USERNAME", "b");
        assert_ne!(k1, TokenCache::key(&cfg(&other_user)));
        let mut other_pw = base;
        other_pw[2] = ("OS_PASSWORD", "q");
        assert_ne!(k1, TokenCache::key(&cfg(&other_pw)));
        let mut scoped = base.to_vec();
        scoped.push(("OS_PROJECT_NAME", "demo"));
        assert_ne!(k1, TokenCache::key(&cfg(&scoped)));
        assert!(!k1.contains('p'.to_string().repeat(2).as_str()));
    }

    #[cfg(unix)]
    #[test]
    fn entries_are_private_and_expire() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let c = TokenCache::at(d.path().join("auth"));
        let now = crate::time::parse_rfc3339("2030-01-01T00:00:00Z").unwrap();
        c.store("k", &auth("tok", "2030-01-01T01:00:00Z")).unwrap();
        let mode = fs::metadata(d.path().join("auth/k.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let dmode = fs::metadata(d.path().join("auth"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dmode & 0o777, 0o700);
        assert_eq!(c.load("k", now).unwrap().token.as_deref(), Some("tok"));
        // Within the margin of expiry: not used.
        assert!(c.load("k", now + 3600 - 60).is_none());
        // A file others can read is refused.
        c.store("k2", &auth("tok2", "2030-01-01T01:00:00Z"))
            .unwrap();
        fs::set_permissions(
            d.path().join("auth/k2.json"),
            fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        assert!(c.load("k2", now).is_none());
        c.store("k3", &auth("tok3", "2030-01-01T01:00:00Z"))
            .unwrap();
        assert_eq!(c.remove_token("tok3"), 1);
        assert!(c.load("k3", now).is_none());
        assert_eq!(c.clear().unwrap(), 0);
    }
}
