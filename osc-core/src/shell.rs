//! osc's whole command set as one clap command tree (`osc server list` is the `list`
//! subcommand of `server`), built from the same parsers `--help` uses: shell completion
//! scripts (clap_complete) and man pages (clap_mangen) come from it, so neither can
//! disagree with `--help`. Plugin commands are in it (their parsers come from their
//! manifests; no plugin code runs).

use crate::app::{FIXED_FLAGS, VERSION};
use crate::globals::GLOBAL_OPTS;
use crate::registry::{CommandEntry, Registry};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Default)]
struct Node<'a> {
    entry: Option<&'a CommandEntry>,
    children: BTreeMap<String, Node<'a>>,
}

/// The root command: the global options, then every command by its words. `visible_only`
/// leaves hidden options out (clap_complete would offer them).
pub fn command_tree(prog: &str, registry: &Registry, visible_only: bool) -> clap::Command {
    let mut root = Node::default();
    for e in registry.entries() {
        let mut n = &mut root;
        for w in e.name.split(' ') {
            n = n.children.entry(w.to_string()).or_default();
        }
        n.entry = Some(e);
    }
    let mut cmd = clap::Command::new(prog.to_string())
        .bin_name(prog.to_string())
        .version(VERSION)
        .disable_version_flag(true)
        .disable_help_flag(true)
        .about("Command-line interface to the OpenStack APIs")
        .subcommand_value_name("command")
        .subcommand_help_heading("Commands")
        .disable_help_subcommand(true);
    for (flags, help) in FIXED_FLAGS {
        cmd = cmd.arg(flag_arg(flags, help));
    }
    for o in GLOBAL_OPTS {
        let long = o.flag.trim_start_matches("--");
        let meta = long.replace('-', "_");
        let mut a = clap::Arg::new(long.to_string())
            .long(long.to_string())
            .help(o.help);
        a = if o.takes_value {
            a.value_name(format!("<{meta}>"))
        } else {
            a.action(clap::ArgAction::SetTrue)
        };
        cmd = cmd.arg(a);
    }
    for (flag, module) in registry.declared_api_version_options() {
        let long = flag.trim_start_matches("--").to_string();
        cmd = cmd.arg(
            clap::Arg::new(long.clone())
                .long(long.clone())
                .value_name(format!("<{}>", long.replace('-', "_")))
                .help(format!("API version, declared by plugin {}", module.name)),
        );
    }
    for (word, child) in &root.children {
        cmd = cmd.subcommand(to_command(prog, word, child, visible_only));
    }
    cmd
}

/// A global flag from `FIXED_FLAGS` (`"-v, --verbose"`).
fn flag_arg(flags: &str, help: &'static str) -> clap::Arg {
    let mut long = "";
    let mut short = None;
    for f in flags.split(", ") {
        if let Some(l) = f.strip_prefix("--") {
            long = l;
        } else if let Some(s) = f.strip_prefix('-') {
            short = s.chars().next();
        }
    }
    let action = if long == "verbose" {
        clap::ArgAction::Count
    } else {
        clap::ArgAction::SetTrue
    };
    let mut a = clap::Arg::new(long.to_string())
        .long(long.to_string())
        .help(help)
        .action(action);
    if let Some(s) = short {
        a = a.short(s);
    }
    a
}

fn to_command(prog: &str, words: &str, node: &Node, visible_only: bool) -> clap::Command {
    let word = words.rsplit(' ').next().unwrap_or(words);
    let mut cmd = match node.entry {
        Some(e) if visible_only => visible_args(e.parser(prog), word),
        // The command's own parser, exactly as `--help` builds it.
        Some(e) => e
            .parser(prog)
            .no_binary_name(false)
            .name(word.to_string())
            .bin_name(format!("{prog} {}", e.name)),
        None => clap::Command::new(word.to_string())
            .about(group_about(prog, words, node))
            .disable_version_flag(true),
    };
    for (w, child) in &node.children {
        cmd = cmd.subcommand(to_command(
            prog,
            &format!("{words} {w}"),
            child,
            visible_only,
        ));
    }
    // OSC's `help <words>` is a command of its own, not a clap subcommand in every group.
    cmd.disable_help_subcommand(true)
}

/// A command with the visible arguments of `parser` only, their relations to others (which
/// may be hidden) dropped: what completion offers.
fn visible_args(parser: clap::Command, word: &str) -> clap::Command {
    let mut cmd = clap::Command::new(word.to_string())
        .about(parser.get_about().cloned().unwrap_or_default())
        .disable_version_flag(true);
    for a in parser.get_arguments() {
        if a.is_hide_set() || a.get_id() == "help" {
            continue;
        }
        cmd = cmd.arg(
            a.clone()
                .conflicts_with(clap::builder::Resettable::Reset)
                .requires(clap::builder::Resettable::Reset)
                .overrides_with(clap::builder::Resettable::Reset)
                .required_unless_present(clap::builder::Resettable::Reset)
                .group(clap::builder::Resettable::Reset)
                // A required positional stays required: clap refuses an optional one after
                // a variadic (`boot device set <node>... <device>`).
                .required(a.is_positional() && a.is_required_set()),
        );
    }
    cmd
}

/// What a group of commands (`server`, `network agent`) is about: how many commands it
/// holds, and of which service.
fn group_about(prog: &str, words: &str, node: &Node) -> String {
    fn leaves<'a>(n: &Node<'a>, out: &mut Vec<&'a CommandEntry>) {
        out.extend(n.entry);
        for c in n.children.values() {
            leaves(c, out);
        }
    }
    let mut all = Vec::new();
    leaves(node, &mut all);
    let mut groups: Vec<&str> = all.iter().map(|e| e.group.as_str()).collect();
    groups.sort_unstable();
    groups.dedup();
    format!(
        "The {n} '{prog} {words} ...' commands ({})",
        groups.join(", "),
        n = all.len()
    )
}

/// The shells `complete --shell` writes scripts for (besides cliff's `none`).
pub const SHELLS: &[&str] = &["bash", "zsh", "fish", "powershell", "elvish"];

/// The completion script for `shell`, completing `name` (`osc`, or `openstack` for the
/// symlink).
pub fn completion(shell: &str, name: &str, registry: &Registry) -> Result<String, String> {
    use clap_complete::Shell;
    let sh = match shell {
        "bash" => Shell::Bash,
        "zsh" => Shell::Zsh,
        "fish" => Shell::Fish,
        "powershell" => Shell::PowerShell,
        "elvish" => Shell::Elvish,
        other => return Err(format!("unknown shell {other}")),
    };
    let mut cmd = command_tree(name, registry, true);
    let mut out: Vec<u8> = Vec::new();
    clap_complete::generate(sh, &mut cmd, name.to_string(), &mut out);
    String::from_utf8(out).map_err(|e| format!("completion script is not UTF-8: {e}"))
}

/// Writes `<name>.1` and one page per command and command group (`<name>-server.1`,
/// `<name>-server-list.1`) into `dir`; returns the files written.
pub fn man_pages(name: &str, registry: &Registry, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let mut root = command_tree(name, registry, false);
    // Gives every subcommand its full name (`osc server list`) for the synopsis.
    root.build();
    write_pages(&root, name, dir, &mut written)?;
    Ok(written)
}

fn write_pages(
    cmd: &clap::Command,
    title: &str,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    let page = cmd.clone().name(title.to_string());
    let man = clap_mangen::Man::new(page)
        .title(title.to_ascii_uppercase())
        .section("1")
        .source(format!("osc {VERSION}"))
        .manual("osc manual");
    let mut buf: Vec<u8> = Vec::new();
    man.render(&mut buf)?;
    // osc's value names are argparse's `<name>`; clap_mangen adds its own brackets.
    let text = String::from_utf8_lossy(&buf)
        .replace("<<", "<")
        .replace(">>", ">");
    let path = dir.join(format!("{title}.1"));
    std::fs::write(&path, text)?;
    written.push(path);
    for sub in cmd.get_subcommands() {
        let t = format!("{title}-{}", sub.get_name());
        write_pages(sub, &t, dir, written)?;
    }
    Ok(())
}
