//! osc's installer and packager (`cargo xtask ...`, an alias in `.cargo/config.toml`):
//!
//! * `install [--prefix DIR] [--openstack] [--profile P] [--force]`: builds osc and the
//!   plugins shipped with it, and installs them with completions and man pages into a
//!   prefix (default `~/.local`), recording every file in `<prefix>/share/osc/installed-files`;
//! * `uninstall [--prefix DIR]`: removes exactly what that record lists;
//! * `dist [--profile P]`: the release tarball (`target/dist/osc-<version>-<arch>-<os>.tar.gz`);
//! * `deb [--profile P]`: the Debian package, with cargo-deb, from the same staged tree.
//!
//! The shipped plugins are the workspace's default members under `plugins/` that build a
//! `cdylib` (from `cargo metadata`: a new plugin needs no change here). The layout is one
//! for all three: `bin/osc`, `lib/osc/plugins/*.so` (found by osc relative to its binary,
//! as shipped), `share/man/man1/`, `share/bash-completion/completions/osc`,
//! `share/zsh/site-functions/_osc`, `share/fish/vendor_completions.d/osc.fish`,
//! `share/osc/completions/osc.{ps1,elv}`. Completions and man pages are written by the
//! staged osc itself, so they hold exactly the shipped plugins' commands.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask <command> [options]

commands:
  install     build osc and its shipped plugins, install them into a prefix
  uninstall   remove what `install` installed into the prefix
  dist        build the release tarball in target/dist/
  deb         build the Debian package in target/dist/ (needs cargo-deb)

options:
  --prefix DIR      install/uninstall prefix (default: ~/.local)
  --openstack       install: also `openstack`, a symlink to osc, with its completions
  --force           install: overwrite files the installer did not install
  --profile NAME    cargo profile to build and take the artifacts from (default: release)
  --no-build        use the artifacts already built for the profile
";

/// The record of an installation, relative to the prefix.
const RECORD: &str = "share/osc/installed-files";

#[derive(Default)]
struct Opts {
    prefix: Option<PathBuf>,
    openstack: bool,
    force: bool,
    profile: Option<String>,
    no_build: bool,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<()> {
    let Some(cmd) = args.first() else {
        print!("{USAGE}");
        return Err("no command given".into());
    };
    let mut o = Opts::default();
    let mut it = args[1..].iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--prefix" => o.prefix = Some(PathBuf::from(value("--prefix")?)),
            "--profile" => o.profile = Some(value("--profile")?),
            "--openstack" => o.openstack = true,
            "--force" => o.force = true,
            "--no-build" => o.no_build = true,
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    match cmd.as_str() {
        "install" => install(&o),
        "uninstall" => uninstall(&prefix(&o)?),
        "dist" => dist(&o),
        "deb" => deb(&o),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other}\n{USAGE}")),
    }
}

fn prefix(o: &Opts) -> Result<PathBuf> {
    match &o.prefix {
        Some(p) => Ok(absolute(p)),
        None => std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join(".local"))
            .ok_or_else(|| "HOME is not set: give --prefix".into()),
    }
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    }
}

/// What `cargo metadata` says about the workspace.
struct Workspace {
    root: PathBuf,
    target: PathBuf,
    version: String,
    /// File names of the shipped plugins' shared libraries (`libosc_plugin_network.so`).
    plugins: Vec<String>,
}

fn workspace() -> Result<Workspace> {
    // From the workspace root: inside a member, cargo's default members are that member.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let out = cargo()
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--manifest-path",
        ])
        .arg(&manifest)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let m: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("cannot read cargo metadata: {e}"))?;
    let path = |k: &str| {
        m[k].as_str()
            .map(PathBuf::from)
            .ok_or_else(|| format!("cargo metadata has no {k}"))
    };
    let root = path("workspace_root")?;
    let target = path("target_directory")?;
    let defaults: Vec<&str> = m["workspace_default_members"]
        .as_array()
        .ok_or("cargo metadata has no workspace_default_members (cargo 1.71 or newer)")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let plugin_root = root.join("plugins");
    let mut plugins = Vec::new();
    let mut version = String::new();
    for p in m["packages"].as_array().into_iter().flatten() {
        let id = p["id"].as_str().unwrap_or_default();
        if !defaults.contains(&id) {
            continue;
        }
        if p["name"] == "osc" {
            version = p["version"].as_str().unwrap_or_default().to_string();
        }
        let manifest = PathBuf::from(p["manifest_path"].as_str().unwrap_or_default());
        if !manifest.starts_with(&plugin_root) {
            continue;
        }
        for t in p["targets"].as_array().into_iter().flatten() {
            let cdylib = t["crate_types"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c == "cdylib"));
            if let (true, Some(name)) = (cdylib, t["name"].as_str()) {
                plugins.push(format!(
                    "{}{}{}",
                    std::env::consts::DLL_PREFIX,
                    name.replace('-', "_"),
                    std::env::consts::DLL_SUFFIX
                ));
            }
        }
    }
    if version.is_empty() {
        return Err("the osc package is not a default member of the workspace".into());
    }
    plugins.sort();
    Ok(Workspace {
        root,
        target,
        version,
        plugins,
    })
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn profile(o: &Opts) -> &str {
    o.profile.as_deref().unwrap_or("release")
}

/// The directory a profile's artifacts are in (`dev` builds into `debug`).
fn profile_dir(ws: &Workspace, profile: &str) -> PathBuf {
    let d = match profile {
        "dev" | "test" => "debug",
        "bench" => "release",
        p => p,
    };
    ws.target.join(d)
}

fn build(ws: &Workspace, o: &Opts) -> Result<()> {
    if o.no_build {
        return Ok(());
    }
    // The default members: the binary and every shipped plugin.
    let st = cargo()
        .current_dir(&ws.root)
        .args(["build", "--profile", profile(o)])
        .status()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    if st.success() {
        Ok(())
    } else {
        Err("cargo build failed".into())
    }
}

fn run_checked(c: &mut Command, what: &str) -> Result<Vec<u8>> {
    let out = c.output().map_err(|e| format!("cannot run {what}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}

fn copy(src: &Path, dest: &Path, mode: u32) -> Result<()> {
    if let Some(d) = dest.parent() {
        std::fs::create_dir_all(d).map_err(|e| format!("cannot create {}: {e}", d.display()))?;
    }
    std::fs::copy(src, dest)
        .map_err(|e| format!("cannot copy {} to {}: {e}", src.display(), dest.display()))?;
    set_mode(dest, mode)
}

#[cfg(unix)]
fn set_mode(p: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("cannot set the mode of {}: {e}", p.display()))
}
#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> Result<()> {
    Ok(())
}

/// Strips symbols (not the dynamic ones a plugin is found by) when `strip` is there.
fn strip(p: &Path, library: bool) {
    let mut c = Command::new("strip");
    if library {
        c.arg("--strip-unneeded");
    }
    if !c.arg(p).status().is_ok_and(|s| s.success()) {
        eprintln!("xtask: note: {} left unstripped", p.display());
    }
}

fn write(p: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d).map_err(|e| format!("cannot create {}: {e}", d.display()))?;
    }
    std::fs::write(p, bytes).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    set_mode(p, 0o644)
}

/// The staged osc, run with none of the user's plugins, config or cache.
fn staged_osc(stage: &Path, scratch: &Path) -> Command {
    let mut c = Command::new(stage.join("bin").join("osc"));
    c.env_remove("OSC_PLUGIN_PATH")
        .env("XDG_DATA_HOME", scratch.join("data"))
        .env("XDG_CONFIG_HOME", scratch.join("config"))
        .env("OSC_CACHE_DIR", scratch.join("cache"));
    c
}

/// Where each shell's completion script goes in the layout.
fn completion_paths(name: &str) -> [(&'static str, String); 5] {
    [
        ("bash", format!("share/bash-completion/completions/{name}")),
        ("zsh", format!("share/zsh/site-functions/_{name}")),
        (
            "fish",
            format!("share/fish/vendor_completions.d/{name}.fish"),
        ),
        ("powershell", format!("share/osc/completions/{name}.ps1")),
        ("elvish", format!("share/osc/completions/{name}.elv")),
    ]
}

/// Builds the layout in `stage` (emptied first) from the profile's artifacts.
fn stage(ws: &Workspace, o: &Opts, stage: &Path) -> Result<()> {
    let from = profile_dir(ws, profile(o));
    if stage.exists() {
        std::fs::remove_dir_all(stage)
            .map_err(|e| format!("cannot empty {}: {e}", stage.display()))?;
    }
    let exe = format!("osc{}", std::env::consts::EXE_SUFFIX);
    let bin = stage.join("bin").join(&exe);
    copy(&from.join(&exe), &bin, 0o755)?;
    strip(&bin, false);
    for p in &ws.plugins {
        let dest = stage.join("lib/osc/plugins").join(p);
        copy(&from.join(p), &dest, 0o644)?;
        strip(&dest, true);
    }
    let scratch = stage.with_extension("scratch");
    let _ = std::fs::remove_dir_all(&scratch);
    // Every shipped plugin must load in the staged osc, and come from the stage.
    let listed = run_checked(
        staged_osc(stage, &scratch).args(["plugin", "list", "-f", "value", "-c", "Path"]),
        "osc plugin list",
    )?;
    let listed = String::from_utf8_lossy(&listed);
    let plugin_dir = std::fs::canonicalize(stage.join("lib/osc/plugins"))
        .map_err(|e| format!("cannot resolve the staged plugin directory: {e}"))?;
    for p in &ws.plugins {
        let want = plugin_dir.join(p);
        if !listed.lines().any(|l| Path::new(l.trim()) == want) {
            return Err(format!(
                "the staged osc does not load its plugin {}; osc plugin doctor says:\n{}",
                want.display(),
                String::from_utf8_lossy(
                    &staged_osc(stage, &scratch)
                        .args(["plugin", "doctor"])
                        .output()
                        .map(|o| o.stdout)
                        .unwrap_or_default()
                )
            ));
        }
    }
    for l in listed
        .lines()
        .filter(|l| !Path::new(l.trim()).starts_with(&plugin_dir))
    {
        eprintln!("xtask: warning: a plugin outside the build is installed on this machine and its commands are in the completions and man pages: {l}");
    }
    completions(stage, &scratch, "osc")?;
    run_checked(
        staged_osc(stage, &scratch)
            .args(["complete", "--man-dir"])
            .arg(stage.join("share/man/man1")),
        "osc complete --man-dir",
    )?;
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

/// Writes the completion scripts for `name` (`osc`, or `openstack` for the symlink).
fn completions(stage: &Path, scratch: &Path, name: &str) -> Result<()> {
    for (shell, rel) in completion_paths(name) {
        let script = run_checked(
            staged_osc(stage, scratch).args(["complete", "--shell", shell, "--name", name]),
            &format!("osc complete --shell {shell}"),
        )?;
        write(&stage.join(rel), &script)?;
    }
    Ok(())
}

/// Every file and symlink under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    fn walk(base: &Path, d: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        let rd = std::fs::read_dir(d).map_err(|e| format!("cannot read {}: {e}", d.display()))?;
        for e in rd {
            let e = e.map_err(|e| format!("cannot read {}: {e}", d.display()))?;
            let p = e.path();
            let ft = e
                .file_type()
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            if ft.is_dir() {
                walk(base, &p, out)?;
            } else if let Ok(rel) = p.strip_prefix(base) {
                out.push(rel.to_path_buf());
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// An installation record: files (and symlinks) and the directories the install created.
#[derive(Default)]
struct Record {
    files: BTreeSet<PathBuf>,
    dirs: BTreeSet<PathBuf>,
}

impl Record {
    fn read(prefix: &Path) -> Result<Option<Record>> {
        let p = prefix.join(RECORD);
        let text = match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", p.display())),
        };
        let mut r = Record::default();
        for (i, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || format!("{}:{}: not an installation record line", p.display(), i + 1);
            let (kind, rel) = line.split_once(' ').ok_or_else(bad)?;
            let rel = PathBuf::from(rel);
            // Only paths inside the prefix: a record never removes anything else.
            if rel.is_absolute()
                || rel
                    .components()
                    .any(|c| !matches!(c, std::path::Component::Normal(_)))
            {
                return Err(bad());
            }
            match kind {
                "f" => r.files.insert(rel),
                "d" => r.dirs.insert(rel),
                _ => return Err(bad()),
            };
        }
        Ok(Some(r))
    }
    fn write(&self, prefix: &Path) -> Result<()> {
        let mut s = String::from(
            "# Written by `cargo xtask install`; `cargo xtask uninstall` removes what it lists.\n",
        );
        for f in &self.files {
            s.push_str(&format!("f {}\n", f.display()));
        }
        for d in &self.dirs {
            s.push_str(&format!("d {}\n", d.display()));
        }
        write(&prefix.join(RECORD), s.as_bytes())
    }
}

fn exists(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok()
}

fn install(o: &Opts) -> Result<()> {
    let prefix = prefix(o)?;
    let ws = workspace()?;
    build(&ws, o)?;
    let staged = ws.target.join("dist").join("install-root");
    stage(&ws, o, &staged)?;
    if o.openstack {
        let scratch = staged.with_extension("scratch");
        completions(&staged, &scratch, "openstack")?;
        let _ = std::fs::remove_dir_all(&scratch);
    }
    let mut files = files_under(&staged)?;
    let link = PathBuf::from("bin/openstack");
    if o.openstack {
        files.push(link.clone());
    }
    let old = Record::read(&prefix)?;
    let recorded = |f: &Path| old.as_ref().is_some_and(|r| r.files.contains(f));
    // Never overwrite what someone else put there (a pip-installed `openstack`...).
    let foreign: Vec<String> = files
        .iter()
        .filter(|f| exists(&prefix.join(f)) && !recorded(f))
        .map(|f| prefix.join(f).display().to_string())
        .collect();
    if !foreign.is_empty() && !o.force {
        return Err(format!(
            "not overwriting files the osc installer did not install (use --force to overwrite them): {}",
            foreign.join(", ")
        ));
    }
    std::fs::create_dir_all(&prefix)
        .map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    let mut rec = Record {
        dirs: old.as_ref().map(|r| r.dirs.clone()).unwrap_or_default(),
        ..Record::default()
    };
    for f in &files {
        let dest = prefix.join(f);
        // Directories this installation creates are its own, to remove on uninstall.
        let mut missing = Vec::new();
        let mut d = dest.parent();
        while let Some(dir) = d {
            if dir == prefix || exists(dir) {
                break;
            }
            missing.push(dir.to_path_buf());
            d = dir.parent();
        }
        for dir in missing.iter().rev() {
            std::fs::create_dir(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            if let Ok(rel) = dir.strip_prefix(&prefix) {
                rec.dirs.insert(rel.to_path_buf());
            }
        }
        if exists(&dest) {
            std::fs::remove_file(&dest)
                .map_err(|e| format!("cannot replace {}: {e}", dest.display()))?;
        }
        if *f == link {
            symlink("osc", &dest)?;
        } else {
            // Through a temporary name: a running osc never sees half a file.
            let tmp = dest.with_extension("osc-install-partial");
            std::fs::copy(staged.join(f), &tmp)
                .map_err(|e| format!("cannot copy to {}: {e}", tmp.display()))?;
            std::fs::rename(&tmp, &dest)
                .map_err(|e| format!("cannot install {}: {e}", dest.display()))?;
        }
        rec.files.insert(f.clone());
    }
    // What an earlier installation had and this one has not (a plugin since removed).
    if let Some(old) = &old {
        for f in old.files.difference(&rec.files) {
            let _ = std::fs::remove_file(prefix.join(f));
        }
    }
    rec.write(&prefix)?;
    let _ = std::fs::remove_dir_all(&staged);
    println!(
        "installed osc {} with {} plugins into {} ({} files; `cargo xtask uninstall{}` removes them)",
        ws.version,
        ws.plugins.len(),
        prefix.display(),
        rec.files.len(),
        o.prefix
            .as_ref()
            .map(|_| format!(" --prefix {}", prefix.display()))
            .unwrap_or_default()
    );
    let bin = prefix.join("bin");
    let on_path =
        std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d == bin));
    if !on_path {
        println!("note: {} is not on your PATH", bin.display());
    }
    println!(
        "zsh: add {} to fpath for completion",
        prefix.join("share/zsh/site-functions").display()
    );
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &str, at: &Path) -> Result<()> {
    std::os::unix::fs::symlink(target, at)
        .map_err(|e| format!("cannot create the symlink {}: {e}", at.display()))
}
#[cfg(not(unix))]
fn symlink(_: &str, at: &Path) -> Result<()> {
    Err(format!(
        "cannot create {}: symlinks need unix",
        at.display()
    ))
}

fn uninstall(prefix: &Path) -> Result<()> {
    let rec = Record::read(prefix)?.ok_or_else(|| {
        format!(
            "no osc installation is recorded in {} ({} is missing)",
            prefix.display(),
            prefix.join(RECORD).display()
        )
    })?;
    let mut removed = 0;
    for f in &rec.files {
        let p = prefix.join(f);
        match std::fs::remove_file(&p) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot remove {}: {e}", p.display())),
        }
    }
    let record = prefix.join(RECORD);
    std::fs::remove_file(&record)
        .map_err(|e| format!("cannot remove {}: {e}", record.display()))?;
    // Deepest first; a directory someone has since put other files in stays.
    for d in rec.dirs.iter().rev() {
        let _ = std::fs::remove_dir(prefix.join(d));
    }
    println!("removed {removed} files of osc from {}", prefix.display());
    Ok(())
}

fn target_name() -> String {
    format!("{}-{}", std::env::consts::ARCH, std::env::consts::OS)
}

fn dist(o: &Opts) -> Result<()> {
    let ws = workspace()?;
    build(&ws, o)?;
    let name = format!("osc-{}-{}", ws.version, target_name());
    let out = ws.target.join("dist");
    let staged = out.join(&name);
    stage(&ws, o, &staged)?;
    copy(
        &ws.root.join("README.md"),
        &staged.join("share/doc/osc/README.md"),
        0o644,
    )?;
    let tarball = out.join(format!("{name}.tar.gz"));
    run_checked(
        Command::new("tar")
            .arg("-C")
            .arg(&out)
            .arg("-czf")
            .arg(&tarball)
            .arg(&name),
        "tar",
    )?;
    println!("{}", tarball.display());
    Ok(())
}

fn deb(o: &Opts) -> Result<()> {
    let ws = workspace()?;
    build(&ws, o)?;
    // The assets of `[package.metadata.deb]` in Cargo.toml are this tree.
    let staged = ws.root.join("target/dist/deb-root");
    stage(&ws, o, &staged)?;
    let out = ws.target.join("dist");
    let mut c = cargo();
    c.current_dir(&ws.root)
        .args(["deb", "-p", "osc", "--no-build", "--no-strip", "--output"])
        .arg(&out);
    if profile(o) != "release" {
        // A test package: quick compression matters more than size.
        c.arg("--fast");
    }
    let stdout = run_checked(
        &mut c,
        "cargo deb (install it with `cargo install cargo-deb`)",
    )?;
    print!("{}", String::from_utf8_lossy(&stdout));
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn record(text: &str) -> Result<Option<Record>> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(RECORD);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        Record::read(dir.path())
    }

    #[test]
    fn a_record_round_trips_and_never_names_anything_outside_the_prefix() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Record::read(dir.path()).unwrap().is_none());
        let mut r = Record::default();
        r.files.insert("bin/osc".into());
        r.files
            .insert("lib/osc/plugins/libosc_plugin_network.so".into());
        r.dirs.insert("lib/osc".into());
        r.write(dir.path()).unwrap();
        let back = Record::read(dir.path()).unwrap().unwrap();
        assert_eq!(back.files, r.files);
        assert_eq!(back.dirs, r.dirs);
        for bad in [
            "f ../etc/passwd\n",
            "f /etc/passwd\n",
            "f bin/../../x\n",
            "x bin/osc\n",
            "bin/osc\n",
        ] {
            let e = record(bad).err().unwrap_or_default();
            assert!(
                e.contains("not an installation record line"),
                "{bad:?}: {e}"
            );
        }
    }

    #[test]
    fn the_shipped_plugins_are_the_default_members_under_plugins() {
        let ws = workspace().unwrap();
        assert!(ws.plugins.contains(&"libosc_plugin_network.so".to_string()));
        // Workspace members that are not default members (examples, the SDK) are not shipped.
        assert!(
            ws.plugins.iter().all(|p| p.starts_with("libosc_plugin_")),
            "{:?}",
            ws.plugins
        );
        assert!(!ws
            .plugins
            .iter()
            .any(|p| p.contains("fixture") || p.contains("hello")));
    }
}
