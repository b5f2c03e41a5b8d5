//! Plugins end to end, through the built `osc`: a C plugin built from the header alone,
//! refusals (wrong ABI, missing entry, bad manifest, panic=abort, writable by others),
//! a panicking Rust plugin, the layer rule and its config override, `plugin doctor`, the
//! manifest cache, and proof that no plugin code runs unless its command is invoked.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// An isolated environment: its own plugin path, data, config and cache directories.
struct World {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl World {
    fn new() -> World {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        for d in ["plugins", "data", "config/osc", "cache"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        World { _tmp: tmp, root }
    }
    fn plugins(&self) -> PathBuf {
        self.root.join("plugins")
    }
    fn config(&self, yaml: &str) {
        std::fs::write(self.root.join("config/osc/config.yaml"), yaml).unwrap();
    }
    fn osc(&self, args: &[&str]) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_osc"));
        for (k, _) in std::env::vars() {
            if k.starts_with("OS_") {
                c.env_remove(k);
            }
        }
        c.env("OSC_PLUGIN_PATH", self.plugins())
            .env("XDG_DATA_HOME", self.root.join("data"))
            .env("XDG_CONFIG_HOME", self.root.join("config"))
            .env("OSC_CACHE_DIR", self.root.join("cache"))
            .env("COLUMNS", "200")
            .args(args)
            .output()
            .unwrap()
    }
    fn ok(&self, args: &[&str]) -> String {
        let out = self.osc(args);
        assert!(
            out.status.success(),
            "osc {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn compile_c(src: &Path, out: &Path) {
    let include = Path::new(env!("CARGO_MANIFEST_DIR")).join("plugins/include");
    let st = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args(["-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-I"])
        .arg(&include)
        .arg(src)
        .arg("-o")
        .arg(out)
        .status()
        .expect("a C compiler (cc) is needed for the plugin tests");
    assert!(st.success(), "compiling {} failed", src.display());
}

/// What a generated C test plugin looks like.
struct CPlugin<'a> {
    name: &'a str,
    layer: u8,
    /// The manifest's `services` (JSON array): they decide the layer.
    services: &'a str,
    abi: &'a str,
    commands: &'a [&'a str],
    manifest_override: Option<&'a str>,
    entry: &'a str,
    panic_aborts: u8,
    /// A file the plugin's constructor creates when the library is loaded.
    marker: Option<&'a Path>,
    /// C code run first in invoke (e.g. printing to stdout).
    on_invoke: &'a str,
}

impl<'a> CPlugin<'a> {
    fn new(name: &'a str) -> Self {
        CPlugin {
            name,
            layer: 2,
            services: "[]",
            abi: "[1, 0]",
            commands: &[],
            manifest_override: None,
            entry: "osc_plugin_entry_v1",
            panic_aborts: 0,
            marker: None,
            on_invoke: "",
        }
    }

    fn build(&self, dir: &Path) -> PathBuf {
        let cmds: Vec<String> = self
            .commands
            .iter()
            .map(|c| {
                format!(
                    r#"{{\"name\": \"{c}\", \"about\": \"{c} from {}\", \"kind\": \"show\"}}"#,
                    self.name
                )
            })
            .collect();
        let manifest = match self.manifest_override {
            Some(m) => m.replace('"', "\\\""),
            None => format!(
                r#"{{\"name\": \"{}\", \"version\": \"0.1\", \"abi\": {}, \"layer\": {}, \"services\": {}, \"commands\": [{}]}}"#,
                self.name,
                self.abi,
                self.layer,
                self.services.replace('"', "\\\""),
                cmds.join(", ")
            ),
        };
        let marker = match self.marker {
            Some(p) => format!(
                "__attribute__((constructor)) static void loaded(void) {{ FILE *f = fopen(\"{}\", \"w\"); if (f) fclose(f); }}",
                p.display()
            ),
            None => String::new(),
        };
        let src = format!(
            r#"#include "osc_plugin.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
const char osc_plugin_manifest[] = "{manifest}";
const osc_build_info osc_plugin_build_info = {{sizeof(osc_build_info), 1, 0, {panic}, {{0}}}};
{marker}
static void release(osc_buf *b) {{ free(b->ptr); b->ptr = NULL; }}
static osc_status invoke(const osc_host *h, osc_str req, osc_buf *out) {{
    (void)h; (void)req;
    {on_invoke}
    const char *r = "{{\"show\": {{\"fields\": [[\"plugin\", \"{name}\"]]}}}}";
    out->len = strlen(r); out->ptr = malloc(out->len); memcpy(out->ptr, r, out->len);
    out->release = release;
    return OSC_OK;
}}
static const osc_plugin table = {{sizeof(osc_plugin), 1, 0, invoke}};
const osc_plugin *{entry}(void) {{ return &table; }}
"#,
            panic = self.panic_aborts,
            name = self.name,
            entry = self.entry,
            on_invoke = self.on_invoke,
        );
        let c = dir.join(format!("{}.c", self.name));
        std::fs::write(&c, src).unwrap();
        let so = dir.join(format!("lib{}.so", self.name));
        compile_c(&c, &so);
        std::fs::remove_file(&c).unwrap();
        so
    }
}

/// The Rust fixture plugin (panics, collisions), built with cargo and copied into `dir`.
fn fixture_plugin(dir: &Path) -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let st = Command::new(cargo)
            .args(["build", "--quiet", "-p", "osc-plugin-fixture"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(st.success(), "building the fixture plugin failed");
        Path::new(env!("CARGO_BIN_EXE_osc")).with_file_name("libtest_fixture_plugin.so")
    });
    let dest = dir.join("libfixture.so");
    std::fs::copy(built, &dest).unwrap();
    dest
}

#[test]
fn the_c_example_works_through_the_abi() {
    let w = World::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("plugins/examples/hello-c/hello.c");
    compile_c(&src, &w.plugins().join("libosc_plugin_hello.so"));
    let out = w.ok(&["hello", "world", "--name", "osc", "--shout", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"Greeting": "Hello, OSC!", "Language": "C"})
    );
    // The core renders plugin data: -f, -c and --sort-column as for built-ins.
    assert_eq!(
        w.ok(&[
            "hello",
            "list",
            "-f",
            "value",
            "-c",
            "Word",
            "--sort-column",
            "Number"
        ]),
        "one\ntwo\nthree\n"
    );
    assert_eq!(
        w.ok(&[
            "hello",
            "list",
            "-f",
            "csv",
            "--sort-column",
            "Word",
            "--sort-ascending"
        ])
        .lines()
        .next(),
        Some("\"Number\",\"Word\"")
    );
    let out = w.osc(&["hello", "fail"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "hello-c failed on purpose\n");
    let list = w.ok(&["plugin", "list", "-f", "json"]);
    assert!(
        list.contains("\"hello-c\"") && list.contains("hello world"),
        "{list}"
    );
    let show = w.ok(&[
        "plugin", "show", "hello-c", "-f", "value", "-c", "layer", "-c", "abi",
    ]);
    assert_eq!(show, "4\n1.0\n", "no services: layer 4");
}

fn assert_refused(w: &World, file: &str, why: &str) {
    let out = w.osc(&["plugin", "list", "-f", "value", "-c", "Name"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.contains(file))
        .unwrap_or_else(|| panic!("no warning for {file}: {err}"));
    assert!(
        line.starts_with("Skipping plugin ") && line.contains(why),
        "{line}"
    );
    assert!(!err.contains("panicked at"), "{err}");
    let doctor = w.ok(&["plugin", "doctor", "-f", "value"]);
    assert!(
        doctor.lines().any(|l| l.contains(file) && l.contains(why)),
        "doctor: {doctor}"
    );
}

#[test]
fn wrong_abi_missing_entry_and_bad_manifests_are_refused() {
    let w = World::new();
    let p = w.plugins();
    CPlugin {
        abi: "[2, 0]",
        entry: "osc_plugin_entry_v2",
        commands: &["v2 thing"],
        ..CPlugin::new("future")
    }
    .build(&p);
    CPlugin {
        abi: "[1, 7]",
        commands: &["newer thing"],
        ..CPlugin::new("newer")
    }
    .build(&p);
    CPlugin {
        entry: "something_else",
        commands: &["noentry thing"],
        ..CPlugin::new("noentry")
    }
    .build(&p);
    CPlugin {
        manifest_override: Some("{not json"),
        ..CPlugin::new("badjson")
    }
    .build(&p);
    CPlugin {
        manifest_override: Some(
            r#"{"name": "bad name!", "version": "1", "abi": [1, 0], "layer": 2, "commands": []}"#,
        ),
        ..CPlugin::new("badname")
    }
    .build(&p);
    std::fs::write(p.join("libgarbage.so"), b"not an ELF file").unwrap();
    assert_refused(
        &w,
        "libfuture.so",
        "built for plugin ABI 2.0, osc speaks 1.1",
    );
    assert_refused(&w, "libnewer.so", "needs plugin ABI 1.7");
    assert_refused(
        &w,
        "libnoentry.so",
        "missing entry symbol osc_plugin_entry_v1",
    );
    assert_refused(&w, "libbadjson.so", "bad manifest");
    assert_refused(&w, "libbadname.so", "invalid plugin name");
    assert_refused(&w, "libgarbage.so", "not a shared library");
    let out = w.osc(&["v2", "thing"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a refused plugin registers nothing"
    );
}

#[test]
fn panic_abort_plugins_are_refused_before_loading() {
    let w = World::new();
    let marker = w.root.join("loaded");
    CPlugin {
        panic_aborts: 1,
        commands: &["abort thing"],
        marker: Some(&marker),
        ..CPlugin::new("aborter")
    }
    .build(&w.plugins());
    assert_refused(&w, "libaborter.so", "panic = \"abort\"");
    assert!(!marker.exists(), "the refused plugin was loaded");
}

#[cfg(unix)]
#[test]
fn plugins_writable_by_others_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let w = World::new();
    let so = CPlugin {
        commands: &["open thing"],
        ..CPlugin::new("openfile")
    }
    .build(&w.plugins());
    std::fs::set_permissions(&so, std::fs::Permissions::from_mode(0o666)).unwrap();
    assert_refused(&w, "libopenfile.so", "writable by others");
    // A world-writable directory taints every file in it.
    std::fs::set_permissions(&so, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(w.plugins(), std::fs::Permissions::from_mode(0o777)).unwrap();
    assert_refused(&w, "libopenfile.so", "is writable by others");
    std::fs::set_permissions(w.plugins(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(w.ok(&["open", "thing", "-f", "value"]).contains("openfile"));
}

#[test]
fn a_panicking_plugin_is_an_error_not_a_crash() {
    let w = World::new();
    fixture_plugin(&w.plugins());
    let out = w.osc(&["fixture", "panic"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("plugin fixture failed: the plugin panicked: fixture panicked on purpose"),
        "{err}"
    );
}

#[test]
fn rust_plugin_arguments_are_parsed_from_the_manifest() {
    let w = World::new();
    fixture_plugin(&w.plugins());
    let out = w.ok(&[
        "fixture", "echo", "bob", "--count", "3", "--tag", "a", "--tag", "b", "--enable", "-f",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"name": "bob", "count": 3, "tags": ["a", "b"], "enabled": true, "disabled": false})
    );
    let bad = w.osc(&["fixture", "echo", "x", "--enable", "--disable"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(stderr(&bad).lines().count(), 1);
    let bad = w.osc(&["fixture", "echo", "x", "--count", "many"]);
    assert_eq!(bad.status.code(), Some(2));
    // Styles from the manifest: a list column is joined sorted in tables, raw in JSON.
    assert!(w
        .ok(&["fixture", "rows", "--sort-column", "ID"])
        .contains("| a  | z    |"));
    assert!(w.ok(&["fixture", "rows", "-f", "json"]).contains("\"y\""));
}

#[test]
fn builtins_and_lower_layers_win_and_doctor_says_so() {
    let w = World::new();
    let fixture = fixture_plugin(&w.plugins());
    CPlugin {
        layer: 1,
        services: r#"["identity"]"#,
        commands: &["dup thing"],
        ..CPlugin::new("lowlayer")
    }
    .build(&w.plugins());
    CPlugin {
        layer: 1,
        services: r#"["network"]"#,
        commands: &["dup thing"],
        ..CPlugin::new("highlayer")
    }
    .build(&w.plugins());
    // Built-ins keep their commands.
    let help = w.ok(&["volume", "list", "--help"]);
    assert!(!help.contains("A plugin trying"), "{help}");
    assert!(w.ok(&["dup", "thing", "-f", "value"]).contains("lowlayer"));
    let doctor = w.ok(&["plugin", "doctor", "-f", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&doctor).unwrap();
    let problem = |plugin: &str, cmd: &str| {
        rows.iter()
            .find(|r| {
                r["Plugin"] == plugin
                    && r["Problem"].as_str().unwrap().contains(&format!("'{cmd}'"))
            })
            .map(|r| r["Problem"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("doctor does not report {plugin} {cmd}: {doctor}"))
    };
    let kept = |cmd: &str, by: &str| {
        format!(
            "command '{cmd}' is kept by built-in {by}: plugins never replace built-in or shipped \
             commands (list fixture in plugins.override of the osc config file to allow it)"
        )
    };
    assert_eq!(
        problem("fixture", "volume list"),
        kept("volume list", "osc-volume")
    );
    assert_eq!(
        problem("fixture", "token issue"),
        kept("token issue", "osc-core")
    );
    assert_eq!(
        problem("highlayer", "dup thing"),
        "command 'dup thing' (layer 2) is shadowed by plugin lowlayer (layer 1)"
    );
    let row = rows.iter().find(|r| r["Plugin"] == "fixture").unwrap();
    assert_eq!(
        row["Path"],
        fixture.canonicalize().unwrap().display().to_string()
    );
    let show = w.ok(&["plugin", "show", "fixture", "-f", "json"]);
    let s: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert_eq!(
        s["shadowed"],
        serde_json::json!(["volume list", "token issue"])
    );
}

#[test]
fn same_layer_order_is_by_name_and_the_config_orders_it() {
    let w = World::new();
    CPlugin {
        commands: &["same thing"],
        ..CPlugin::new("zulu")
    }
    .build(&w.plugins());
    CPlugin {
        commands: &["same thing"],
        ..CPlugin::new("alpha")
    }
    .build(&w.plugins());
    assert!(w.ok(&["same", "thing", "-f", "value"]).contains("alpha"));
    w.config("plugins:\n  order: [zulu]\n");
    assert!(w.ok(&["same", "thing", "-f", "value"]).contains("zulu"));
    assert!(w
        .ok(&["plugin", "doctor", "-f", "value"])
        .contains("shadowed by plugin zulu (layer 4)"));
    w.config("plugins:\n  disabled: [alpha, zulu]\n");
    assert_eq!(w.osc(&["same", "thing"]).status.code(), Some(2));
    assert!(w
        .ok(&["plugin", "doctor", "-f", "value"])
        .contains("disabled in the osc config file"));
    w.config("plugins: [not, a, mapping\n");
    let out = w.osc(&["plugin", "list"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("ignoring the plugins section"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn no_plugin_code_runs_unless_its_command_is_invoked() {
    let w = World::new();
    let marker = w.root.join("loaded");
    CPlugin {
        commands: &["marker thing"],
        marker: Some(&marker),
        ..CPlugin::new("marker")
    }
    .build(&w.plugins());
    for args in [
        &["--version"][..],
        &["token", "issue", "--help"],
        &["plugin", "list"],
        &["plugin", "show", "marker"],
        &["plugin", "doctor"],
        &["marker", "thing", "--help"],
        &["command", "list"],
        &["complete", "--words", "marker", "thing"],
        &["complete", "--shell", "zsh"],
    ] {
        w.ok(args);
        assert!(!marker.exists(), "osc {args:?} loaded the plugin");
    }
    assert!(w.ok(&["marker", "thing", "-f", "value"]).contains("marker"));
    assert!(marker.exists(), "invoking the command loads the plugin");
}

#[test]
fn the_manifest_cache_follows_file_changes() {
    let w = World::new();
    let so = CPlugin {
        commands: &["cached thing"],
        ..CPlugin::new("cached")
    }
    .build(&w.plugins());
    assert!(w.ok(&["cached", "thing", "-f", "value"]).contains("cached"));
    assert!(w.root.join("cache/plugins.json").is_file());
    // Replace the file (new size and mtime): the cache entry must not be trusted.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let tmp = w.root.join("tmpbuild");
    std::fs::create_dir_all(&tmp).unwrap();
    let other = CPlugin {
        commands: &["renamed thing", "more things"],
        ..CPlugin::new("cached")
    }
    .build(&tmp);
    std::fs::rename(other, &so).unwrap();
    assert!(w
        .ok(&["renamed", "thing", "-f", "value"])
        .contains("cached"));
    assert_eq!(w.osc(&["cached", "thing"]).status.code(), Some(2));
    // A corrupt cache is ignored, not fatal.
    std::fs::write(w.root.join("cache/plugins.json"), b"{garbage").unwrap();
    assert!(w
        .ok(&["renamed", "thing", "-f", "value"])
        .contains("cached"));
}

/// The shipped network plugin, built beside the osc under test (where osc finds it).
fn shipped_network_plugin() {
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let st = Command::new(cargo)
            .args(["build", "--quiet", "-p", "osc-plugin-network"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(st.success(), "building the network plugin failed");
    });
}

#[test]
fn a_third_party_plugin_never_shadows_built_in_or_shipped_commands() {
    shipped_network_plugin();
    let w = World::new();
    // Declares layer 1 and service placement (layer 1), and sorts before "network".
    CPlugin {
        layer: 1,
        services: r#"["placement"]"#,
        commands: &["volume list", "network list", "aaa thing"],
        ..CPlugin::new("aaa")
    }
    .build(&w.plugins());
    // A plugin that takes the shipped plugin's name does not replace it either.
    CPlugin {
        services: r#"["network"]"#,
        commands: &["network agent list"],
        ..CPlugin::new("network")
    }
    .build(&w.plugins());
    let help = w.ok(&["volume", "list", "--help"]);
    assert!(!help.contains("volume list from aaa"), "{help}");
    let help = w.ok(&["network", "list", "--help"]);
    assert!(!help.contains("network list from aaa"), "{help}");
    assert!(
        help.contains("--long"),
        "the shipped plugin's parser: {help}"
    );
    // Nothing is printed about it at run time...
    let out = w.osc(&["aaa", "thing", "-f", "value"]);
    assert!(
        out.status.success() && stderr(&out).is_empty(),
        "{}",
        stderr(&out)
    );
    // ...but plugin list marks it and plugin doctor explains it.
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&w.ok(&["plugin", "list", "-f", "json"])).unwrap();
    let aaa = list.iter().find(|r| r["Name"] == "aaa").unwrap();
    assert_eq!(aaa["Layer"], 1);
    assert_eq!(
        aaa["Conflicts"],
        serde_json::json!(["'volume list' shadowed", "'network list' shadowed"])
    );
    let net = list.iter().find(|r| r["Name"] == "network").unwrap();
    assert!(
        net["Path"]
            .as_str()
            .unwrap()
            .ends_with("libosc_plugin_network.so"),
        "{net}"
    );
    let doctor = w.ok(&["plugin", "doctor", "-f", "value"]);
    assert!(
        doctor.contains("command 'network list' is kept by plugin network: plugins never replace"),
        "{doctor}"
    );
    assert!(
        doctor.contains("command 'volume list' is kept by built-in osc-volume"),
        "{doctor}"
    );
    assert!(
        doctor.contains("libnetwork.so") && doctor.contains("is shipped with osc and keeps it"),
        "{doctor}"
    );
    // Only the user's config lets it.
    w.config("plugins:\n  override: [aaa]\n");
    assert!(w
        .ok(&["volume", "list", "--help"])
        .contains("volume list from aaa"));
    assert!(w.ok(&["network", "list", "-f", "value"]).contains("aaa"));
    let doctor = w.ok(&["plugin", "doctor", "-f", "value"]);
    assert!(
        doctor.contains(
            "command 'volume list' of built-in osc-volume is replaced by plugin aaa (plugins.override"
        ),
        "{doctor}"
    );
    let list = w.ok(&["plugin", "list", "-f", "json"]);
    assert!(list.contains("overrides 'volume list'"), "{list}");
}

#[test]
fn manifests_are_checked_strictly_and_name_the_key() {
    let w = World::new();
    let p = w.plugins();
    CPlugin {
        manifest_override: Some(
            r#"{"name": "typo", "version": "1", "abi": [1, 0], "commands": [{"name": "typo thing", "args": [{"name": "n", "long": "--n", "requried": true}]}]}"#,
        ),
        ..CPlugin::new("typo")
    }
    .build(&p);
    CPlugin {
        manifest_override: Some(
            r#"{"name": "cols", "version": "1", "abi": [1, 0], "commands": [{"name": "cols thing", "colums": ["ID"]}]}"#,
        ),
        ..CPlugin::new("cols")
    }
    .build(&p);
    CPlugin {
        manifest_override: Some(
            r#"{"name": "ty", "version": "1", "abi": [1, 0], "commands": [{"name": "ty thing", "args": [{"name": "n", "long": "--n", "type": "decimal"}]}]}"#,
        ),
        ..CPlugin::new("ty")
    }
    .build(&p);
    assert_refused(&w, "libtypo.so", "argument \"n\": unknown key \"requried\"");
    assert_refused(
        &w,
        "libcols.so",
        "command \"cols thing\": unknown key \"colums\"",
    );
    assert_refused(&w, "libty.so", "unknown type \"decimal\"");
}

#[test]
fn typed_and_negative_values_reach_the_plugin() {
    let w = World::new();
    fixture_plugin(&w.plugins());
    let out = w.ok(&[
        "fixture",
        "types",
        "--n",
        "-3",
        "--ratio",
        "-2.5",
        "--on",
        "false",
        "--property",
        "a=1",
        "--property",
        "b=2",
        "--tags",
        "x,y",
        "--name",
        "-7",
        "-f",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"n": -3, "ratio": -2.5, "on": false, "property": {"a": "1", "b": "2"},
                           "tags": ["x", "y"], "name": "-7"})
    );
    for bad in [
        &["fixture", "types", "--ratio", "fast"][..],
        &["fixture", "types", "--on", "maybe"],
        &["fixture", "types", "--property", "novalue"],
    ] {
        let out = w.osc(bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    }
}

#[test]
fn plugin_output_cannot_corrupt_or_control_the_terminal() {
    let w = World::new();
    fixture_plugin(&w.plugins());
    // What the plugin prints goes to stderr; stdout stays valid JSON.
    let out = w.osc(&["fixture", "print", "-f", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v, serde_json::json!({"printed": true}));
    assert!(stderr(&out).contains("noise from the plugin"));
    // A C plugin's printf (buffered by its stdio, no newline) does not land on stdout.
    CPlugin {
        commands: &["cprint thing"],
        on_invoke: r#"printf("c noise"); fprintf(stdout, " more");"#,
        ..CPlugin::new("cprint")
    }
    .build(&w.plugins());
    let out = w.osc(&["cprint", "thing", "-f", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v, serde_json::json!({"plugin": "cprint"}));
    assert!(stderr(&out).contains("c noise more"), "{}", stderr(&out));
    // Text replies lose escapes and end with a newline.
    assert_eq!(w.ok(&["fixture", "text"]), "red line\nsecond\n");
    let out = w.osc(&["fixture", "fail"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "cleared screen\n");
    // Progress is a log line when stderr is not a terminal.
    let out = w.osc(&["-v", "fixture", "progress", "--total", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("fixture: items: 2/2 (100%)"),
        "{}",
        stderr(&out)
    );
}

/// Issue 15.1: a service a plugin declares gets its `--os-<service>-api-version` global
/// option, anywhere on the line, and its value is that service's microversion pin (the
/// `clustering_api_version` Session::microversion reads), as is `OS_<SERVICE>_API_VERSION`.
/// Without the plugin the option is unknown.
#[test]
fn declared_service_gets_its_api_version_option() {
    let w = World::new();
    let pin = |w: &World, args: &[&str]| -> Output {
        let mut argv = args.to_vec();
        argv.extend(["configuration", "show", "-f", "json"]);
        w.osc(&argv)
    };
    let out = pin(&w, &["--os-clustering-api-version", "1.10"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(
            "osc: '--os-clustering-api-version 1.10 configuration show -f json' is not an osc command."
        ),
        "{}",
        stderr(&out)
    );
    CPlugin {
        manifest_override: Some(
            r#"{"name": "clustering", "version": "1", "abi": [1, 0], "layer": 2, "services": ["clustering"], "commands": []}"#,
        ),
        ..CPlugin::new("clustering")
    }
    .build(&w.plugins());
    for args in [
        &["--os-clustering-api-version", "1.10"][..],
        &["--os-clustering-api-version=1.10"],
    ] {
        let out = pin(&w, args);
        assert!(out.status.success(), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["clustering_api_version"], "1.10", "{v}");
    }
    // After the command words too.
    let out = w.osc(&[
        "configuration",
        "show",
        "-f",
        "json",
        "--os-clustering-api-version",
        "1.12",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["clustering_api_version"], "1.12", "{v}");
    let out = w.osc(&["--help"]);
    assert!(ok_text(&out).contains(
        "  --os-clustering-api-version <os_clustering_api_version> Clustering API version, declared by plugin clustering (Env: OS_CLUSTERING_API_VERSION)\n"
    ));
    // Undeclared services stay unknown.
    let out = pin(&w, &["--os-nonesuch-api-version", "1.2"]);
    assert_eq!(out.status.code(), Some(2));
}

fn ok_text(o: &Output) -> String {
    assert!(o.status.success(), "{}", stderr(o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The problem `plugin doctor` reports for the plugin file `file` (found on the plugin path).
fn doctor_problem(w: &World, file: &str) -> String {
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&w.ok(&["plugin", "doctor", "-f", "json"])).unwrap();
    let row = rows
        .iter()
        .find(|r| r["Path"].as_str().is_some_and(|p| p.ends_with(file)))
        .unwrap_or_else(|| panic!("doctor does not report {file}: {rows:?}"));
    let problem = row["Problem"].as_str().unwrap();
    problem
        .strip_prefix("not loaded: ")
        .unwrap_or(problem)
        .to_string()
}

#[test]
fn plugin_install_vets_as_doctor_does_and_never_replaces_without_force() {
    let w = World::new();
    let src = w.root.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let installed = w.root.join("data/osc/plugins/libosc_plugin_inst.so");
    let so = CPlugin {
        commands: &["inst thing"],
        ..CPlugin::new("inst")
    }
    .build(&src);
    let out = w.ok(&["plugin", "install", so.to_str().unwrap(), "-f", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(rows[0]["Name"], "inst");
    assert_eq!(rows[0]["Path"], installed.display().to_string());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&installed).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }
    assert!(w.ok(&["inst", "thing", "-f", "value"]).contains("inst"));

    // The same name again: refused without --force, and the installed file is untouched.
    let newer_dir = w.root.join("newer");
    std::fs::create_dir_all(&newer_dir).unwrap();
    let newer = CPlugin {
        commands: &["inst other"],
        ..CPlugin::new("inst")
    }
    .build(&newer_dir);
    let before = std::fs::read(&installed).unwrap();
    let out = w.osc(&["plugin", "install", newer.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).trim(),
        format!(
            "Plugin inst is already installed at {} (use --force to replace it)",
            installed.display()
        )
    );
    assert_eq!(std::fs::read(&installed).unwrap(), before);
    w.ok(&["plugin", "install", "--force", newer.to_str().unwrap()]);
    assert!(w.ok(&["inst", "other", "-f", "value"]).contains("inst"));
    assert_eq!(w.osc(&["inst", "thing"]).status.code(), Some(2));

    // What discovery refuses, install refuses with the same reason, and copies nothing.
    let bad = [
        CPlugin {
            abi: "[2, 0]",
            entry: "osc_plugin_entry_v2",
            ..CPlugin::new("future")
        },
        CPlugin {
            panic_aborts: 1,
            ..CPlugin::new("aborter")
        },
        CPlugin {
            entry: "something_else",
            ..CPlugin::new("noentry")
        },
    ];
    for p in &bad {
        let file = p.build(&w.plugins());
        let name = file.file_name().unwrap().to_str().unwrap().to_string();
        let why = doctor_problem(&w, &name);
        let out = w.osc(&["plugin", "install", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        // After discovery's own warning about the file on the plugin path.
        assert_eq!(
            stderr(&out).lines().last().unwrap_or(""),
            format!("Cannot install plugin {}: {why}", file.display())
        );
        std::fs::remove_file(&file).unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let open = CPlugin::new("openfile").build(&w.plugins());
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o666)).unwrap();
        let why = doctor_problem(&w, "libopenfile.so");
        assert_eq!(why, "the file is writable by others");
        let out = w.osc(&["plugin", "install", open.to_str().unwrap()]);
        assert_eq!(
            stderr(&out).lines().last().unwrap_or(""),
            format!("Cannot install plugin {}: {why}", open.display())
        );
    }
    // All or nothing: a good plugin given with a bad one is not installed either.
    let good = CPlugin::new("good").build(&src);
    let out = w.osc(&[
        "plugin",
        "install",
        good.to_str().unwrap(),
        "/nonexistent.so",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("/nonexistent.so: cannot open"),
        "{}",
        stderr(&out)
    );
    let names: Vec<String> = std::fs::read_dir(w.root.join("data/osc/plugins"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["libosc_plugin_inst.so"]);
}

#[test]
fn plugin_install_refuses_a_shipped_plugins_name_unless_overridden() {
    shipped_network_plugin();
    let w = World::new();
    let src = w.root.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let so = CPlugin {
        services: r#"["network"]"#,
        commands: &["network agent list"],
        ..CPlugin::new("network")
    }
    .build(&src);
    let out = w.osc(&["plugin", "install", so.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("duplicate plugin name: ")
            && err.contains("libosc_plugin_network.so is shipped with osc and keeps it"),
        "{err}"
    );
    assert!(!w.root.join("data/osc/plugins").exists());
    w.config("plugins:\n  override: [network]\n");
    w.ok(&["plugin", "install", so.to_str().unwrap()]);
}

#[test]
fn plugin_remove_removes_only_what_is_in_the_user_directory() {
    let w = World::new();
    let src = w.root.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let so = CPlugin {
        commands: &["gone thing"],
        ..CPlugin::new("gone")
    }
    .build(&src);
    w.ok(&["plugin", "install", so.to_str().unwrap()]);
    // On the plugin path, not in the user's directory: not removed.
    let kept = CPlugin {
        commands: &["kept thing"],
        ..CPlugin::new("kept")
    }
    .build(&w.plugins());
    let out = w.osc(&["plugin", "remove", "kept"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is at ")
            && stderr(&out).contains("not in the user plugin directory"),
        "{}",
        stderr(&out)
    );
    assert!(kept.exists());
    let out = w.osc(&["plugin", "remove", "nothing"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("No plugin found for nothing"),
        "{}",
        stderr(&out)
    );
    // All or nothing: one unknown name removes nothing.
    assert!(!w
        .osc(&["plugin", "remove", "gone", "nothing"])
        .status
        .success());
    assert!(w.ok(&["gone", "thing", "-f", "value"]).contains("gone"));
    w.ok(&["plugin", "remove", "gone"]);
    assert_eq!(w.osc(&["gone", "thing"]).status.code(), Some(2));
    assert!(!w
        .root
        .join("data/osc/plugins/libosc_plugin_gone.so")
        .exists());
}

#[test]
fn completion_scripts_hold_plugin_commands_and_no_hidden_options() {
    let w = World::new();
    let marker = w.root.join("loaded");
    CPlugin {
        commands: &["zzplug thing"],
        marker: Some(&marker),
        ..CPlugin::new("zzplug")
    }
    .build(&w.plugins());
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = w.ok(&["complete", "--shell", shell]);
        assert!(script.contains("zzplug"), "{shell}: no plugin command");
        assert!(script.contains("server"), "{shell}: no built-in command");
        assert!(script.contains("os-cloud"), "{shell}: no global option");
        // `complete --words` and `--man-dir` are hidden.
        assert!(!script.contains("man-dir"), "{shell}: a hidden option");
        let named = w.ok(&["complete", "--shell", shell, "--name", "openstack"]);
        assert!(named.contains("openstack"), "{shell} --name");
    }
    assert!(!marker.exists(), "completion loaded the plugin");
    let out = w.osc(&["complete", "--shell", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The `--long` options a help text or man page names (roff escapes dashes as `\-` and
/// changes fonts with `\fB`...).
fn long_options(text: &str) -> std::collections::BTreeSet<String> {
    let text = text
        .replace("\\-", "-")
        .replace("\\fB", " ")
        .replace("\\fI", " ")
        .replace("\\fR", " ");
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| w.trim_end_matches('-').to_string())
        .collect()
}

#[test]
fn man_pages_come_from_the_help_definitions() {
    let w = World::new();
    CPlugin {
        commands: &["zzplug thing"],
        ..CPlugin::new("zzplug")
    }
    .build(&w.plugins());
    let dir = w.root.join("man");
    let out = w.ok(&["complete", "--man-dir", dir.to_str().unwrap()]);
    assert!(
        out.ends_with(&format!("man pages written to {}\n", dir.display())),
        "{out}"
    );
    for page in [
        "osc.1",
        "osc-server.1",
        "osc-server-list.1",
        "osc-zzplug-thing.1",
    ] {
        assert!(dir.join(page).is_file(), "no {page}");
    }
    // The page of a command names exactly the options its --help names (roff escapes
    // dashes: `\-`).
    for cmd in [
        &["server", "list"][..],
        &["image", "create"],
        &["zzplug", "thing"],
    ] {
        let mut args = cmd.to_vec();
        args.push("--help");
        let help = long_options(&w.ok(&args));
        let page = std::fs::read_to_string(dir.join(format!("osc-{}.1", cmd.join("-")))).unwrap();
        let mut page = long_options(&page);
        page.remove("--help");
        let mut help = help;
        help.remove("--help");
        assert_eq!(page, help, "{cmd:?}");
    }
    let root = std::fs::read_to_string(dir.join("osc.1")).unwrap();
    let opts = long_options(&root);
    assert!(opts.contains("--os-cloud"), "osc.1: {opts:?}");
    assert!(root.contains("osc\\-zzplug(1)"), "osc.1");
}
