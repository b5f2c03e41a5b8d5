//! `plugin install PATH...` and `plugin remove NAME...`: the user's plugin directory
//! (`$XDG_DATA_HOME/osc/plugins`) managed by osc. A plugin is vetted exactly as discovery
//! vets it (file modes, manifest, ABI, panic strategy: the same messages `plugin doctor`
//! gives) before it is copied, a plugin of the same name is never replaced without
//! `--force`, and none of its code runs.

use crate::discover::{self, vet_file, writable_by_others};
use crate::manifest::{Manifest, Summary};
use clap::{Arg, ArgAction, ArgMatches};
use osc_core::output::{Cell, Output, Table};
use osc_core::registry::CommandImpl;
use osc_core::{Context, Error, Result};
use std::path::{Path, PathBuf};

pub struct PluginInstall;
pub struct PluginRemove;

fn user_dir() -> Result<PathBuf> {
    discover::user_dir()
        .ok_or_else(|| Error::cmd("Cannot find the user's data directory (set XDG_DATA_HOME)"))
}

/// The plugin's name in a file of the user's directory, from its manifest alone (a plugin
/// refused for its ABI still has a name, and can be removed or replaced by it).
fn name_in(path: &Path) -> Option<String> {
    let i = crate::inspect::inspect(path).ok()?;
    Manifest::parse(&i.manifest).ok().map(|m| m.name)
}

/// The files of `dir` holding a plugin called `name` (by manifest, or by file name).
fn files_named(dir: &Path, name: &str) -> Vec<PathBuf> {
    discover::candidates(dir, false)
        .into_iter()
        .filter(|f| {
            name_in(f).as_deref() == Some(name)
                || f.file_name().and_then(|n| n.to_str()) == Some(name)
        })
        .collect()
}

/// Why discovery would refuse the file at `path`, or its manifest summary.
fn vet(path: &Path) -> std::result::Result<Summary, String> {
    let md = std::fs::metadata(path).map_err(|e| format!("cannot open: {e}"))?;
    if !md.is_file() {
        return Err("not a file".into());
    }
    if writable_by_others(&md) {
        return Err("the file is writable by others".into());
    }
    vet_file(path)
}

/// The file name a plugin is installed under: `libosc_plugin_<name>.<ext>`.
fn file_name_for(name: &str, source: &Path) -> String {
    let ext = source.extension().and_then(|e| e.to_str()).unwrap_or("so");
    format!("libosc_plugin_{}.{ext}", name.replace('-', "_"))
}

impl CommandImpl for PluginInstall {
    fn args(&self, cmd: clap::Command) -> clap::Command {
        cmd.arg(
            Arg::new("path")
                .value_name("<path>")
                .required(true)
                .num_args(1..)
                .value_parser(clap::value_parser!(PathBuf))
                .help("Plugin file(s) to install (shared libraries)"),
        )
        .arg(
            Arg::new("force")
                .long("force")
                .action(ArgAction::SetTrue)
                .help("Replace an installed plugin of the same name"),
        )
    }
    fn run(&self, _ctx: &Context, m: &ArgMatches) -> Result<Output> {
        let force = m.get_flag("force");
        let paths: Vec<PathBuf> = m
            .get_many::<PathBuf>("path")
            .map(|v| v.cloned().collect())
            .unwrap_or_default();
        let dir = user_dir()?;
        let (cfg, _) = crate::config::load();
        // Shipped plugins keep their names (discovery would refuse a namesake elsewhere).
        let shipped = discover::discover_in(
            &discover::exe_dirs(),
            &discover::shipped_dirs(),
            &cfg.overrides,
        );
        // Vet everything before copying anything: all or nothing.
        let mut plan: Vec<(PathBuf, Summary)> = Vec::new();
        for p in &paths {
            let s = vet(p).map_err(|why| {
                Error::cmd(format!("Cannot install plugin {}: {why}", p.display()))
            })?;
            if plan.iter().any(|(_, o)| o.name == s.name) {
                return Err(Error::usage(format!(
                    "Cannot install plugin {}: plugin {} is given twice",
                    p.display(),
                    s.name
                )));
            }
            if let Some(f) = shipped.found.iter().find(|f| f.summary.name == s.name) {
                if !cfg.overrides.contains(&s.name) {
                    return Err(Error::cmd(format!(
                        "Cannot install plugin {}: duplicate plugin name: {} is shipped with osc \
                         and keeps it (list {} in plugins.override to use this one)",
                        p.display(),
                        f.path.display(),
                        s.name
                    )));
                }
            }
            if !force {
                if let Some(existing) = files_named(&dir, &s.name).first() {
                    return Err(Error::cmd(format!(
                        "Plugin {} is already installed at {} (use --force to replace it)",
                        s.name,
                        existing.display()
                    )));
                }
            }
            plan.push((p.clone(), s));
        }
        create_private_dir(&dir)?;
        let mut t = Table::new(["Name", "Version", "Path"]);
        for (src, s) in plan {
            let dest = dir.join(file_name_for(&s.name, &src));
            install_file(&src, &dest, &s.name)?;
            // A replaced plugin may have had another file name.
            for old in files_named(&dir, &s.name) {
                if old != dest {
                    std::fs::remove_file(&old)
                        .map_err(|e| Error::Io(format!("Cannot remove {}: {e}", old.display())))?;
                }
            }
            t.rows.push(vec![
                Cell::raw(s.name),
                Cell::raw(s.version),
                Cell::raw(dest.display().to_string()),
            ]);
        }
        Ok(Output::List(t))
    }
}

fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Io(format!("Cannot create {}: {e}", dir.display())))?;
    let md = std::fs::metadata(dir)
        .map_err(|e| Error::Io(format!("Cannot read {}: {e}", dir.display())))?;
    if writable_by_others(&md) {
        return Err(Error::cmd(format!(
            "Cannot install into {0}: directory {0} is writable by others",
            dir.display()
        )));
    }
    Ok(())
}

/// Copies `src` to a temporary file beside `dest`, vets the copy (the bytes osc will
/// load), makes it 0644 and renames it into place.
fn install_file(src: &Path, dest: &Path, name: &str) -> Result<()> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{name}.{}.partial", std::process::id()));
    let io = |what: &str, p: &Path, e: std::io::Error| {
        Error::Io(format!("Cannot {what} {}: {e}", p.display()))
    };
    std::fs::copy(src, &tmp).map_err(|e| io("copy to", &tmp, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Err(e) = std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o644)) {
            let _ = std::fs::remove_file(&tmp);
            return Err(io("set the mode of", &tmp, e));
        }
    }
    match vet(&tmp) {
        Ok(s) if s.name == name => {}
        Ok(_) | Err(_) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::cmd(format!(
                "Cannot install plugin {}: the file changed while it was copied",
                src.display()
            )));
        }
    }
    std::fs::rename(&tmp, dest).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io("install", dest, e)
    })
}

impl CommandImpl for PluginRemove {
    fn args(&self, cmd: clap::Command) -> clap::Command {
        cmd.arg(
            Arg::new("name")
                .value_name("<name>")
                .required(true)
                .num_args(1..)
                .help("Plugin(s) to remove from the user's plugin directory (name)"),
        )
    }
    fn run(&self, ctx: &Context, m: &ArgMatches) -> Result<Output> {
        let names: Vec<String> = m
            .get_many::<String>("name")
            .map(|v| v.cloned().collect())
            .unwrap_or_default();
        let dir = user_dir()?;
        // Find every file first: remove all or nothing.
        let mut files: Vec<PathBuf> = Vec::new();
        for name in &names {
            let found = files_named(&dir, name);
            if found.is_empty() {
                let elsewhere = ctx.registry.modules.iter().find_map(|m| match &m.origin {
                    osc_core::registry::Origin::Plugin { name: n, path } if n == name => {
                        Some(path.clone())
                    }
                    _ => None,
                });
                return Err(Error::NotFound(match elsewhere {
                    Some(p) => format!(
                        "Plugin {name} is at {}, not in the user plugin directory {}: \
                         osc plugin remove removes only plugins installed there",
                        p.display(),
                        dir.display()
                    ),
                    None => format!("No plugin found for {name} in {}", dir.display()),
                }));
            }
            files.extend(found);
        }
        for f in &files {
            std::fs::remove_file(f)
                .map_err(|e| Error::Io(format!("Cannot remove {}: {e}", f.display())))?;
        }
        Ok(Output::None)
    }
}
