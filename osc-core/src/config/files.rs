//! Finding and parsing clouds.yaml, secure.yaml and clouds-public.yaml.

use super::{Env, Origin, Sourced};
use crate::error::{Error, Result};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The configuration files in effect (each the first found in the search path).
#[derive(Clone, Debug, Default)]
pub struct ConfigFiles {
    pub clouds: Option<(PathBuf, Value)>,
    pub secure: Option<(PathBuf, Value)>,
    pub public: Option<(PathBuf, Value)>,
}

/// Explicit paths, for tests and tools.
#[derive(Clone, Debug, Default)]
pub struct FileSet {
    pub clouds: Option<PathBuf>,
    pub secure: Option<PathBuf>,
    pub public: Option<PathBuf>,
}

const EXTENSIONS: &[&str] = &[".yaml", ".yml", ".json"];

/// openstacksdk's search path: the current directory, the user's config directory, /etc.
fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        dirs.push(cwd);
    }
    if let Some(c) = dirs::config_dir() {
        dirs.push(c.join("openstack"));
    }
    if let Some(h) = dirs::home_dir() {
        let p = h.join(".config").join("openstack");
        if !dirs.contains(&p) {
            dirs.push(p);
        }
    }
    dirs.push(PathBuf::from("/etc/openstack"));
    dirs
}

fn first_existing(override_path: Option<&str>, stem: &str) -> Option<PathBuf> {
    if let Some(p) = override_path {
        let p = PathBuf::from(p);
        if p.is_file() {
            return Some(p);
        }
    }
    search_dirs()
        .into_iter()
        .flat_map(|d| EXTENSIONS.iter().map(move |e| d.join(format!("{stem}{e}"))))
        .find(|p| p.is_file())
}

/// Parses a YAML or JSON file into a JSON value, with a one-line error.
pub fn parse_file(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::config(format!("Cannot read {}: {e}", path.display())))?;
    let parsed: std::result::Result<Value, String> =
        if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).map_err(|e| e.to_string())
        } else {
            serde_yaml_ng::from_str::<Value>(&text).map_err(|e| e.to_string())
        };
    let value = parsed.map_err(|e| {
        Error::config(format!(
            "Could not parse {}: {}; fix the YAML syntax",
            path.display(),
            e.replace('\n', " ")
        ))
    })?;
    match value {
        Value::Null => Ok(Value::Object(Map::new())),
        Value::Object(_) => Ok(value),
        _ => Err(Error::config(format!(
            "{} must contain a mapping at the top level (clouds: ...)",
            path.display()
        ))),
    }
}

impl ConfigFiles {
    /// Finds the files as openstacksdk does, honouring OS_CLIENT_CONFIG_FILE and
    /// OS_CLIENT_SECURE_FILE.
    pub fn discover(env: &Env) -> Result<Self> {
        let set = FileSet {
            clouds: first_existing(env.get("OS_CLIENT_CONFIG_FILE"), "clouds"),
            secure: first_existing(env.get("OS_CLIENT_SECURE_FILE"), "secure"),
            public: first_existing(None, "clouds-public"),
        };
        Self::load(&set)
    }

    pub fn load(set: &FileSet) -> Result<Self> {
        let read = |p: &Option<PathBuf>| -> Result<Option<(PathBuf, Value)>> {
            match p {
                Some(p) => Ok(Some((p.clone(), parse_file(p)?))),
                None => Ok(None),
            }
        };
        Ok(ConfigFiles {
            clouds: read(&set.clouds)?,
            secure: read(&set.secure)?,
            public: read(&set.public)?,
        })
    }

    pub fn clouds_file(&self) -> Option<&Path> {
        self.clouds.as_ref().map(|(p, _)| p.as_path())
    }

    fn section<'a>(
        file: &'a Option<(PathBuf, Value)>,
        key: &str,
    ) -> Option<(&'a PathBuf, &'a Map<String, Value>)> {
        let (p, v) = file.as_ref()?;
        Some((p, v.get(key)?.as_object()?))
    }

    /// Every cloud named in clouds.yaml or secure.yaml, with its clouds.yaml dict.
    pub fn clouds(&self) -> BTreeMap<String, Sourced> {
        let mut out = BTreeMap::new();
        if let Some((p, clouds)) = Self::section(&self.secure, "clouds") {
            for k in clouds.keys() {
                out.insert(
                    k.clone(),
                    Sourced {
                        value: Value::Object(Map::new()),
                        origin: Origin::SecureFile(p.clone()),
                    },
                );
            }
        }
        if let Some((p, clouds)) = Self::section(&self.clouds, "clouds") {
            for (k, v) in clouds {
                out.insert(
                    k.clone(),
                    Sourced {
                        value: v.clone(),
                        origin: Origin::File(p.clone()),
                    },
                );
            }
        }
        out
    }

    /// The secure.yaml part of a cloud, deep-merged over clouds.yaml by the resolver.
    pub fn secure_cloud(&self, name: &str) -> Option<(Map<String, Value>, PathBuf)> {
        let (p, clouds) = Self::section(&self.secure, "clouds")?;
        Some((clouds.get(name)?.as_object()?.clone(), p.clone()))
    }

    /// A profile from clouds-public.yaml (`public-clouds:`), or one defined in clouds.yaml itself.
    pub fn profile(&self, name: &str) -> Option<(Map<String, Value>, Option<PathBuf>)> {
        for file in [&self.clouds, &self.public] {
            if let Some((p, profiles)) = Self::section(file, "public-clouds") {
                if let Some(Value::Object(d)) = profiles.get(name) {
                    // clouds-public entries may nest their values under "profile".
                    let d = d
                        .get("profile")
                        .and_then(Value::as_object)
                        .unwrap_or(d)
                        .clone();
                    return Some((d, Some(p.clone())));
                }
            }
        }
        None
    }
}
