//! Finding and vetting plugins without running them. Directories, in priority order:
//!
//! 1. every directory in `$OSC_PLUGIN_PATH` (`:`-separated),
//! 2. the user's data directory: `$XDG_DATA_HOME/osc/plugins` (`~/.local/share/osc/plugins`),
//! 3. the system library directories: `/usr/local/lib/osc/plugins`, `/usr/lib/osc/plugins`,
//! 4. where osc's own installation keeps the plugins shipped with it: its `plugins/`
//!    subdirectory, `../lib/osc/plugins` (the prefix layout: `/usr/bin/osc` with
//!    `/usr/lib/osc/plugins`, `~/.local/bin/osc` with `~/.local/lib/osc/plugins`), and
//!    `libosc_plugin_*.so` beside it (how a development checkout finds
//!    `target/debug/libosc_plugin_network.so`).
//!
//! A plugin name found twice is taken from the first directory. Each file's manifest and
//! build info come from a cache validated by path, size and mtime (`<cache>/osc/plugins.json`),
//! or from the file itself when the cache is stale. Permissions are checked every time.

use crate::inspect::inspect;
use crate::manifest::{Manifest, Summary};
use osc_plugin_abi as abi;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[cfg(target_os = "macos")]
const EXT: &str = "dylib";
#[cfg(windows)]
const EXT: &str = "dll";
#[cfg(not(any(target_os = "macos", windows)))]
const EXT: &str = "so";

/// A plugin that passed every check (its code has still not run).
#[derive(Clone, Debug)]
pub struct Found {
    pub path: PathBuf,
    pub summary: Summary,
    /// Shipped with osc: found beside its binary (`libosc_plugin_*` or `plugins/`).
    pub shipped: bool,
}

/// A file that was refused, and why (for the warning and `plugin doctor`).
#[derive(Clone, Debug)]
pub struct Refused {
    pub path: PathBuf,
    pub name: Option<String>,
    pub reason: String,
}

#[derive(Default, Debug)]
pub struct Discovery {
    pub dirs: Vec<PathBuf>,
    pub found: Vec<Found>,
    pub refused: Vec<Refused>,
}

/// Where osc's installation keeps the plugins shipped with it, relative to its binary
/// (`(directory, only files named libosc_plugin_*)`): `plugins/`, `../lib/osc/plugins`, and
/// the binary's own directory.
pub fn exe_dirs() -> Vec<(PathBuf, bool)> {
    let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    else {
        return Vec::new();
    };
    let mut v = vec![(exe_dir.join("plugins"), false)];
    if let Some(prefix) = exe_dir.parent() {
        v.push((prefix.join("lib").join("osc").join("plugins"), false));
    }
    v.push((exe_dir, true));
    v
}

/// The directories whose plugins count as shipped with osc ([`exe_dirs`]).
pub fn shipped_dirs() -> Vec<PathBuf> {
    let canon = |p: PathBuf| std::fs::canonicalize(&p).unwrap_or(p);
    exe_dirs().into_iter().map(|(d, _)| canon(d)).collect()
}

/// The user's plugin directory (`$XDG_DATA_HOME/osc/plugins`), where `osc plugin install`
/// puts plugins.
pub fn user_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("osc").join("plugins"))
}

pub fn plugin_dirs() -> Vec<(PathBuf, bool)> {
    // (directory, only files named libosc_plugin_*)
    let mut dirs: Vec<(PathBuf, bool)> = Vec::new();
    if let Some(p) = std::env::var_os("OSC_PLUGIN_PATH") {
        for d in std::env::split_paths(&p).filter(|d| !d.as_os_str().is_empty()) {
            dirs.push((d, false));
        }
    }
    if let Some(d) = user_dir() {
        dirs.push((d, false));
    }
    #[cfg(unix)]
    for d in ["/usr/local/lib/osc/plugins", "/usr/lib/osc/plugins"] {
        dirs.push((PathBuf::from(d), false));
    }
    dirs.extend(exe_dirs());
    dirs
}

/// The plugin files a directory holds (`prefixed_only`: only `libosc_plugin_*` names).
pub fn candidates(dir: &Path, prefixed_only: bool) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
                return false;
            };
            let ext_ok = p.extension().is_some_and(|e| e == EXT);
            ext_ok
                && (!prefixed_only
                    || name.starts_with("libosc_plugin_")
                    || name.starts_with("osc_plugin_"))
        })
        .collect();
    v.sort();
    v
}

/// The cached outcome of inspecting one file.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct CacheEntry {
    size: u64,
    mtime_ns: i128,
    result: Result<Summary, String>,
}

/// Bumped when what the cache holds changes meaning (2: the layer follows the services).
const CACHE_FORMAT: u32 = 2;

#[derive(Default, Serialize, Deserialize)]
struct Cache {
    #[serde(default)]
    format: u32,
    host_abi: (u16, u16),
    entries: HashMap<PathBuf, CacheEntry>,
}

fn cache_path() -> Option<PathBuf> {
    let base = std::env::var_os("OSC_CACHE_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::cache_dir().map(|d| d.join("osc")))?;
    Some(base.join("plugins.json"))
}

fn load_cache(path: &Path) -> Cache {
    let Ok(bytes) = std::fs::read(path) else {
        return Cache::default();
    };
    match serde_json::from_slice::<Cache>(&bytes) {
        Ok(c) if c.host_abi == (abi::ABI_MAJOR, abi::ABI_MINOR) && c.format == CACHE_FORMAT => c,
        _ => Cache::default(),
    }
}

fn save_cache(path: &Path, cache: &Cache) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(text) = serde_json::to_vec(cache) else {
        return;
    };
    // Atomic replace: concurrent osc processes never read half a file.
    let tmp = dir.join(format!(".plugins.json.{}", std::process::id()));
    if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

fn mtime_ns(md: &std::fs::Metadata) -> i128 {
    md.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(-1)
}

/// Refuses files and directories that other users may write (someone else could make
/// osc run their code).
#[cfg(unix)]
pub fn writable_by_others(md: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    md.permissions().mode() & 0o002 != 0
}
#[cfg(not(unix))]
pub fn writable_by_others(_: &std::fs::Metadata) -> bool {
    false
}

/// Checks a plugin file from its own bytes: manifest, ABI in the three places, panic
/// strategy. Runs no plugin code.
pub fn vet_file(path: &Path) -> Result<Summary, String> {
    let i = inspect(path)?;
    let m = Manifest::parse(&i.manifest)?;
    check(&m, &i.entry_majors, i.build_info.as_ref())?;
    Ok(m.summary())
}

/// The ABI, build-info and entry-symbol checks of a parsed manifest.
pub fn check(
    m: &Manifest,
    entry_majors: &[u16],
    info: Option<&abi::OscBuildInfo>,
) -> Result<(), String> {
    let host = (abi::ABI_MAJOR, abi::ABI_MINOR);
    if m.abi.0 != host.0 {
        return Err(format!(
            "built for plugin ABI {}.{}, osc speaks {}.{}",
            m.abi.0, m.abi.1, host.0, host.1
        ));
    }
    if m.abi.1 > host.1 {
        return Err(format!(
            "needs plugin ABI {}.{}, osc speaks {}.{} (upgrade osc)",
            m.abi.0, m.abi.1, host.0, host.1
        ));
    }
    let info = info.ok_or_else(|| format!("no {} symbol", abi::BUILD_INFO_SYMBOL))?;
    if info.abi_major != host.0 {
        return Err(format!(
            "build info says plugin ABI {}.{}, osc speaks {}.{}",
            info.abi_major, info.abi_minor, host.0, host.1
        ));
    }
    if info.panic_aborts != 0 {
        return Err(
            "built with panic = \"abort\": a panic would kill osc; rebuild with panic = \"unwind\""
                .into(),
        );
    }
    if !entry_majors.contains(&host.0) {
        return Err(if entry_majors.is_empty() {
            format!("missing entry symbol {}", abi::ENTRY_SYMBOL)
        } else {
            format!(
                "missing entry symbol {} (the file implements ABI v{:?})",
                abi::ENTRY_SYMBOL,
                entry_majors
            )
        });
    }
    Ok(())
}

/// Finds and vets every installed plugin. Never fails: problems become `refused` entries.
pub fn discover(overrides: &[String]) -> Discovery {
    discover_in(&plugin_dirs(), &shipped_dirs(), overrides)
}

/// `shipped`: directories whose plugins came with osc. A plugin elsewhere that takes the
/// name of a shipped one does not replace it unless its name is in `overrides`.
pub fn discover_in(
    dirs: &[(PathBuf, bool)],
    shipped: &[PathBuf],
    overrides: &[String],
) -> Discovery {
    let mut d = Discovery::default();
    let cache_file = cache_path();
    let mut cache = cache_file.as_deref().map(load_cache).unwrap_or_default();
    let mut dirty = false;
    let mut seen_paths: Vec<PathBuf> = Vec::new();
    for (dir, prefixed) in dirs {
        let Ok(dir_md) = std::fs::metadata(dir) else {
            continue;
        };
        if !dir_md.is_dir() {
            continue;
        }
        d.dirs.push(dir.clone());
        let files = candidates(dir, *prefixed);
        if files.is_empty() {
            continue;
        }
        if writable_by_others(&dir_md) {
            for f in files {
                d.refused.push(Refused {
                    path: f,
                    name: None,
                    reason: format!("directory {} is writable by others", dir.display()),
                });
            }
            continue;
        }
        for f in files {
            // Absolute, canonical path: loading goes by this exact path, and one file found
            // through two directories counts once.
            let path = std::fs::canonicalize(&f).unwrap_or(f);
            if seen_paths.contains(&path) {
                continue;
            }
            seen_paths.push(path.clone());
            let Ok(md) = std::fs::metadata(&path) else {
                continue;
            };
            if writable_by_others(&md) {
                d.refused.push(Refused {
                    path,
                    name: None,
                    reason: "the file is writable by others".into(),
                });
                continue;
            }
            let (size, mtime) = (md.len(), mtime_ns(&md));
            let result = match cache.entries.get(&path) {
                Some(e) if e.size == size && e.mtime_ns == mtime => e.result.clone(),
                _ => {
                    let r = vet_file(&path);
                    cache.entries.insert(
                        path.clone(),
                        CacheEntry {
                            size,
                            mtime_ns: mtime,
                            result: r.clone(),
                        },
                    );
                    dirty = true;
                    r
                }
            };
            let is_shipped = path
                .parent()
                .is_some_and(|p| shipped.iter().any(|s| s == p));
            match result {
                Ok(summary) => {
                    if let Some(i) = d.found.iter().position(|p| {
                        p.summary.name == summary.name
                            && is_shipped
                            && !p.shipped
                            && !overrides.contains(&p.summary.name)
                    }) {
                        // The shipped plugin keeps its name; the other one is refused.
                        let other = d.found.remove(i);
                        d.refused.push(Refused {
                            reason: format!(
                                "duplicate plugin name: {} is shipped with osc and keeps it \
                                 (list {} in plugins.override to use this one)",
                                path.display(),
                                other.summary.name
                            ),
                            path: other.path,
                            name: Some(other.summary.name),
                        });
                        d.found.push(Found {
                            path,
                            summary,
                            shipped: true,
                        });
                    } else if let Some(first) =
                        d.found.iter().find(|p| p.summary.name == summary.name)
                    {
                        d.refused.push(Refused {
                            path,
                            name: Some(summary.name),
                            reason: format!(
                                "duplicate plugin name; using {}",
                                first.path.display()
                            ),
                        });
                    } else {
                        d.found.push(Found {
                            path,
                            summary,
                            shipped: is_shipped,
                        });
                    }
                }
                Err(reason) => d.refused.push(Refused {
                    path,
                    name: None,
                    reason,
                }),
            }
        }
    }
    // Forget files that disappeared, so the cache does not grow forever.
    let before = cache.entries.len();
    cache.entries.retain(|p, _| seen_paths.contains(p));
    dirty |= cache.entries.len() != before;
    if dirty {
        cache.host_abi = (abi::ABI_MAJOR, abi::ABI_MINOR);
        cache.format = CACHE_FORMAT;
        if let Some(p) = &cache_file {
            save_cache(p, &cache);
        }
    }
    d
}
