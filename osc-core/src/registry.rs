//! The command registry. Each command is a name (`server list`), its group, layer and
//! origin, and an implementation whose argument parser is built only when that command
//! runs, so startup costs the same however many commands exist. The layer rule decides
//! name conflicts: first the trust (a plugin the user's config lets override, then
//! built-ins and plugins shipped with osc, then every other plugin: a third-party plugin
//! never replaces a built-in or shipped command); then the lower layer wins; within a
//! layer a built-in beats a plugin, and plugins are ranked in their (deterministic)
//! registration order. Every conflict is kept for `plugin doctor`.

use crate::context::Context;
use crate::error::Result;
use osc_output::{Kind, Output};
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

/// Where a command comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Builtin { module: &'static str },
    Plugin { name: String, path: PathBuf },
}

impl Origin {
    pub fn is_plugin(&self) -> bool {
        matches!(self, Origin::Plugin { .. })
    }
    pub fn describe(&self) -> String {
        match self {
            Origin::Builtin { module } => format!("built-in {module}"),
            Origin::Plugin { name, path } => format!("plugin {name} ({})", path.display()),
        }
    }
}

/// How far a command reaches in a name conflict, compared before layers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Trust {
    /// A plugin the user's config explicitly lets replace built-in and shipped commands.
    Override,
    /// Built-in commands and the plugins shipped with osc.
    #[default]
    Core,
    /// Any other plugin: it never replaces a `Core` command, whatever its layer.
    ThirdParty,
}

/// The behaviour behind a command name.
pub trait CommandImpl {
    /// Adds the command's own arguments to its parser.
    fn args(&self, cmd: clap::Command) -> clap::Command;
    /// Runs the command on parsed arguments and returns data for the core to render.
    fn run(&self, ctx: &Context, m: &clap::ArgMatches) -> Result<Output>;
    /// Adjusts the formatter options added after [`CommandImpl::args`] (a plugin command's
    /// own `-f` choices and default).
    fn format_args(&self, cmd: clap::Command) -> clap::Command {
        cmd
    }
}

/// A built-in command: a clap `Args` struct that runs itself.
pub trait Command: clap::Args + clap::FromArgMatches + 'static {
    fn run(self, ctx: &Context) -> Result<Output>;
}

struct Builtin<C>(std::marker::PhantomData<C>);

impl<C: Command> CommandImpl for Builtin<C> {
    fn args(&self, cmd: clap::Command) -> clap::Command {
        C::augment_args(cmd)
    }
    fn run(&self, ctx: &Context, m: &clap::ArgMatches) -> Result<Output> {
        C::from_arg_matches(m)?.run(ctx)
    }
}

#[derive(Clone)]
pub struct CommandEntry {
    pub name: String,
    pub about: String,
    /// The service group shown in help and `command list` (`compute`, `identity`...).
    pub group: String,
    pub kind: Kind,
    pub layer: u8,
    pub origin: Origin,
    pub imp: Rc<dyn CommandImpl>,
    /// Registration rank among plugins of the same layer (0 for built-ins).
    pub rank: usize,
    pub trust: Trust,
}

impl CommandEntry {
    fn precedence(&self) -> (Trust, u8, bool, usize) {
        (self.trust, self.layer, self.origin.is_plugin(), self.rank)
    }
    /// The parser for this command, with the formatter options its kind needs. As with
    /// argparse, a single-valued option given twice takes its last value (scripts build
    /// command lines by appending); repeatable options (`ArgAction::Append`) still collect.
    /// `prog` empty names the command alone (cliff's interactive mode).
    pub fn parser(&self, prog: &str) -> clap::Command {
        let name = if prog.is_empty() {
            self.name.clone()
        } else {
            format!("{prog} {}", self.name)
        };
        let cmd = clap::Command::new(name)
            .no_binary_name(true)
            .disable_version_flag(true)
            .args_override_self(true);
        // After the args: a flattened Args struct's doc comment must not replace the help.
        let cmd = self.imp.args(cmd).about(self.about.clone());
        // `--limit -1`, `--offset -3`: a negative number is a value, as argparse takes it.
        let cmd = cmd.mut_args(|a| {
            if a.get_action().takes_values() {
                a.allow_negative_numbers(true)
            } else {
                a
            }
        });
        self.imp
            .format_args(osc_output::add_format_args(cmd, self.kind))
    }
}

/// A command that lost a name conflict.
#[derive(Clone, Debug)]
pub struct Shadowed {
    pub name: String,
    pub winner: Origin,
    pub winner_layer: u8,
    pub winner_trust: Trust,
    pub loser: Origin,
    pub loser_layer: u8,
    pub loser_trust: Trust,
}

/// A registered module (built-in crate or plugin), for `module list` and `plugin list`.
#[derive(Clone, Debug)]
pub struct Module {
    pub name: String,
    pub version: String,
    pub layer: u8,
    pub origin: Origin,
    /// The service types a plugin declares (its manifest's `services`): each gets its
    /// `--os-<service>-api-version` global option. Empty for built-ins, whose options are
    /// in `globals::GLOBAL_OPTS`.
    pub services: Vec<String>,
}

#[derive(Default)]
pub struct Registry {
    entries: Vec<CommandEntry>,
    index: HashMap<String, usize>,
    pub shadowed: Vec<Shadowed>,
    pub modules: Vec<Module>,
}

impl Registry {
    pub fn new() -> Self {
        Registry::default()
    }

    /// Adds a command, applying the layer rule against any command of the same name.
    pub fn add(&mut self, entry: CommandEntry) {
        match self.index.get(&entry.name) {
            Some(&i) => {
                let current = &self.entries[i];
                let (winner, loser) = if entry.precedence() < current.precedence() {
                    (entry.clone(), current.clone())
                } else {
                    (current.clone(), entry.clone())
                };
                self.shadowed.push(Shadowed {
                    name: entry.name.clone(),
                    winner: winner.origin.clone(),
                    winner_layer: winner.layer,
                    winner_trust: winner.trust,
                    loser: loser.origin,
                    loser_layer: loser.layer,
                    loser_trust: loser.trust,
                });
                self.entries[i] = winner;
            }
            None => {
                self.index.insert(entry.name.clone(), self.entries.len());
                self.entries.push(entry);
            }
        }
    }

    /// Starts registering a built-in module's commands.
    pub fn module(&mut self, name: &'static str, group: &'static str, layer: u8) -> Registrar<'_> {
        self.modules.push(Module {
            name: name.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            layer,
            origin: Origin::Builtin { module: name },
            services: Vec::new(),
        });
        Registrar {
            reg: self,
            module: name,
            group,
            layer,
        }
    }

    /// The `--os-<service>-api-version` options the modules' declared services add, with
    /// the module declaring each (the first, when several do), sorted by flag. Options osc
    /// has built in are not repeated.
    pub fn declared_api_version_options(&self) -> Vec<(String, &Module)> {
        let mut out: Vec<(String, &Module)> = Vec::new();
        for m in &self.modules {
            for svc in &m.services {
                let flag = crate::globals::api_version_flag(svc);
                let builtin = crate::globals::GLOBAL_OPTS.iter().any(|o| o.flag == flag);
                if !builtin && !out.iter().any(|(f, _)| *f == flag) {
                    out.push((flag, m));
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    pub fn entries(&self) -> &[CommandEntry] {
        &self.entries
    }

    pub fn get(&self, name: &str) -> Option<&CommandEntry> {
        self.index.get(name).map(|&i| &self.entries[i])
    }

    /// Finds the command named by the leading words of `args`, as cliff does: the longest
    /// exact name first, then a unique abbreviation of each word. Returns the entry and how
    /// many words it consumed.
    pub fn find(&self, args: &[String]) -> Option<(&CommandEntry, usize)> {
        let words: Vec<&str> = args
            .iter()
            .take_while(|a| !a.starts_with('-'))
            .map(String::as_str)
            .collect();
        for n in (1..=words.len()).rev() {
            let name = words[..n].join(" ");
            if let Some(e) = self.get(&name) {
                return Some((e, n));
            }
            let candidates: Vec<&CommandEntry> = self
                .entries
                .iter()
                .filter(|e| {
                    let parts: Vec<&str> = e.name.split(' ').collect();
                    parts.len() == n && parts.iter().zip(&words[..n]).all(|(p, w)| p.starts_with(w))
                })
                .collect();
            if candidates.len() == 1 {
                return Some((candidates[0], n));
            }
        }
        None
    }

    /// Commands whose names start with the given words (for "did you mean" and help).
    pub fn with_prefix(&self, words: &[String]) -> Vec<&CommandEntry> {
        let prefix = words.join(" ");
        let mut v: Vec<&CommandEntry> = self
            .entries
            .iter()
            .filter(|e| e.name == prefix || e.name.starts_with(&format!("{prefix} ")))
            .collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    }
}

/// Registers one built-in module's commands with its group and layer.
pub struct Registrar<'a> {
    reg: &'a mut Registry,
    module: &'static str,
    group: &'static str,
    layer: u8,
}

impl Registrar<'_> {
    /// Registers a built-in command.
    pub fn add<C: Command>(&mut self, name: &str, kind: Kind, about: &str) -> &mut Self {
        self.add_impl(
            name,
            kind,
            about,
            Rc::new(Builtin::<C>(std::marker::PhantomData)),
        )
    }

    /// Registers a command with a custom implementation (shared generic commands).
    pub fn add_impl(
        &mut self,
        name: &str,
        kind: Kind,
        about: &str,
        imp: Rc<dyn CommandImpl>,
    ) -> &mut Self {
        self.reg.add(CommandEntry {
            name: name.to_string(),
            about: about.to_string(),
            group: self.group.to_string(),
            kind,
            layer: self.layer,
            origin: Origin::Builtin {
                module: self.module,
            },
            imp,
            rank: 0,
            trust: Trust::Core,
        });
        self
    }

    /// Changes the group for the following commands (one module may serve several).
    pub fn group(&mut self, group: &'static str) -> &mut Self {
        self.group = group;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Nop;
    impl CommandImpl for Nop {
        fn args(&self, cmd: clap::Command) -> clap::Command {
            cmd
        }
        fn run(&self, _: &Context, _: &clap::ArgMatches) -> Result<Output> {
            Ok(Output::None)
        }
    }

    fn entry(name: &str, layer: u8, origin: Origin, rank: usize) -> CommandEntry {
        let origin_is_plugin = origin.is_plugin();
        CommandEntry {
            name: name.into(),
            about: String::new(),
            group: "g".into(),
            kind: Kind::Plain,
            layer,
            origin,
            imp: Rc::new(Nop),
            rank,
            trust: if origin_is_plugin {
                Trust::ThirdParty
            } else {
                Trust::Core
            },
        }
    }

    fn plugin(n: &str) -> Origin {
        Origin::Plugin {
            name: n.into(),
            path: PathBuf::from(format!("/p/{n}.so")),
        }
    }

    #[test]
    fn lower_layer_then_builtin_then_rank_wins() {
        let mut r = Registry::new();
        r.add(entry("server list", 2, plugin("a"), 0));
        r.add(entry(
            "server list",
            1,
            Origin::Builtin { module: "compute" },
            0,
        ));
        assert_eq!(r.get("server list").unwrap().layer, 1);
        r.add(entry("net list", 2, plugin("b"), 1));
        r.add(entry("net list", 2, plugin("a"), 0));
        assert_eq!(r.get("net list").unwrap().origin, plugin("a"));
        r.add(entry(
            "vol list",
            2,
            Origin::Builtin { module: "volume" },
            0,
        ));
        r.add(entry("vol list", 2, plugin("c"), 0));
        assert!(!r.get("vol list").unwrap().origin.is_plugin());
        assert_eq!(r.shadowed.len(), 3);
        assert!(r.shadowed.iter().all(|s| s.loser.is_plugin()));
    }

    struct WithLimit;
    impl CommandImpl for WithLimit {
        fn args(&self, cmd: clap::Command) -> clap::Command {
            cmd.arg(clap::Arg::new("limit").long("limit")).arg(
                clap::Arg::new("all")
                    .long("all")
                    .action(clap::ArgAction::SetTrue),
            )
        }
        fn run(&self, _: &Context, _: &clap::ArgMatches) -> Result<Output> {
            Ok(Output::None)
        }
    }

    #[test]
    fn negative_numbers_are_values() {
        let mut e = entry("server list", 1, Origin::Builtin { module: "c" }, 0);
        e.imp = Rc::new(WithLimit);
        let m = e
            .parser("osc")
            .try_get_matches_from(["--limit", "-1", "--all"])
            .unwrap();
        assert_eq!(m.get_one::<String>("limit").map(String::as_str), Some("-1"));
        assert!(e
            .parser("osc")
            .try_get_matches_from(["--limit", "-x"])
            .is_err());
    }

    #[test]
    fn third_party_plugins_never_replace_core_commands_unless_overridden() {
        let mut r = Registry::new();
        r.add(entry(
            "vol list",
            2,
            Origin::Builtin { module: "volume" },
            0,
        ));
        // A third-party plugin at layer 1 still loses to a layer-2 built-in...
        r.add(entry("vol list", 1, plugin("placement-ish"), 0));
        assert!(!r.get("vol list").unwrap().origin.is_plugin());
        // ...and to a shipped plugin of any layer.
        let mut shipped = entry("net list", 2, plugin("network"), 5);
        shipped.trust = Trust::Core;
        r.add(shipped);
        r.add(entry("net list", 1, plugin("aaa"), 0));
        assert_eq!(r.get("net list").unwrap().origin, plugin("network"));
        // An override from the user's config wins over both.
        let mut o = entry("vol list", 4, plugin("vendor"), 9);
        o.trust = Trust::Override;
        r.add(o);
        assert_eq!(r.get("vol list").unwrap().origin, plugin("vendor"));
        let last = r.shadowed.last().unwrap();
        assert_eq!(
            (last.winner_trust, last.loser_trust),
            (Trust::Override, Trust::Core)
        );
    }

    #[test]
    fn finds_longest_and_abbreviated_names() {
        let mut r = Registry::new();
        for n in [
            "server list",
            "server show",
            "server group list",
            "service list",
        ] {
            r.add(entry(n, 1, Origin::Builtin { module: "c" }, 0));
        }
        let a = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            r.find(&a(&["server", "group", "list", "-f", "json"]))
                .unwrap()
                .0
                .name,
            "server group list"
        );
        assert_eq!(
            r.find(&a(&["server", "list", "x"])).unwrap().0.name,
            "server list"
        );
        assert_eq!(
            r.find(&a(&["serv", "gr", "l"])).unwrap().0.name,
            "server group list"
        );
        assert!(
            r.find(&a(&["ser", "list"])).is_none(),
            "ambiguous: server list / service list"
        );
        assert!(r.find(&a(&["nothing"])).is_none());
    }
}
