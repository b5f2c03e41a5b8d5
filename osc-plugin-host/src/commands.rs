//! `plugin list`, `plugin show NAME` and `plugin doctor`: what is installed, where, at
//! which layer, and every shadowed command and refused plugin with the reason. None of
//! them runs plugin code.

use crate::discover::Discovery;
use clap::{Arg, ArgMatches};
use osc_core::output::{Cell, Output, Record, Table};
use osc_core::registry::{CommandImpl, Origin, Trust};
use osc_core::{Context, Error, Result};
use std::rc::Rc;

/// What registration decided, kept for the introspection commands.
#[derive(Default)]
pub struct State {
    pub discovery: Discovery,
    /// `(plugin, rank)` of registered plugins.
    pub ranks: Vec<(String, usize)>,
    /// Plugins skipped because the config disables them.
    pub disabled: Vec<(String, std::path::PathBuf)>,
    pub config_warning: Option<String>,
}

pub struct PluginList(pub Rc<State>);
pub struct PluginShow(pub Rc<State>);
pub struct PluginDoctor(pub Rc<State>);

fn commands_of(ctx: &Context, name: &str) -> Vec<String> {
    let mut v: Vec<String> = ctx
        .registry
        .entries()
        .iter()
        .filter(|e| matches!(&e.origin, Origin::Plugin { name: n, .. } if n == name))
        .map(|e| e.name.clone())
        .collect();
    v.sort();
    v
}

/// The name conflicts a plugin is in: commands it replaces (`overrides 'x'`) or loses
/// (`'x' shadowed`); `plugin doctor` explains each.
fn conflicts_of(ctx: &Context, name: &str) -> Vec<String> {
    let is = |o: &Origin| matches!(o, Origin::Plugin { name: n, .. } if n == name);
    let mut v: Vec<String> = Vec::new();
    for s in &ctx.registry.shadowed {
        if is(&s.winner) {
            v.push(format!("overrides '{}'", s.name));
        } else if is(&s.loser) {
            v.push(format!("'{}' shadowed", s.name));
        }
    }
    v
}

impl CommandImpl for PluginList {
    fn args(&self, cmd: clap::Command) -> clap::Command {
        cmd
    }
    fn run(&self, ctx: &Context, _: &ArgMatches) -> Result<Output> {
        let mut t = Table::new(["Name", "Version", "Layer", "Path", "Commands", "Conflicts"]);
        for f in &self.0.discovery.found {
            if self.0.disabled.iter().any(|(n, _)| n == &f.summary.name) {
                continue;
            }
            t.rows.push(vec![
                Cell::raw(f.summary.name.clone()),
                Cell::raw(f.summary.version.clone()),
                Cell::raw(f.summary.layer),
                Cell::raw(f.path.display().to_string()),
                Cell::list(commands_of(ctx, &f.summary.name)),
                Cell::list(conflicts_of(ctx, &f.summary.name)),
            ]);
        }
        Ok(Output::List(t))
    }
}

impl CommandImpl for PluginShow {
    fn args(&self, cmd: clap::Command) -> clap::Command {
        cmd.arg(
            Arg::new("name")
                .value_name("<name>")
                .required(true)
                .help("Plugin to display (name)"),
        )
    }
    fn run(&self, ctx: &Context, m: &ArgMatches) -> Result<Output> {
        let name = m
            .get_one::<String>("name")
            .map(String::as_str)
            .unwrap_or("");
        let Some(f) = self
            .0
            .discovery
            .found
            .iter()
            .find(|f| f.summary.name == name)
        else {
            if let Some(r) = self
                .0
                .discovery
                .refused
                .iter()
                .find(|r| r.name.as_deref() == Some(name))
            {
                return Err(Error::NotFound(format!(
                    "Plugin {name} at {} was refused: {}",
                    r.path.display(),
                    r.reason
                )));
            }
            return Err(Error::NotFound(format!("No plugin found for {name}")));
        };
        let s = &f.summary;
        let all: Vec<String> = s.commands.iter().map(|c| c.0.clone()).collect();
        let active = commands_of(ctx, name);
        let shadowed: Vec<String> = all
            .iter()
            .filter(|c| !active.contains(c))
            .cloned()
            .collect();
        let disabled = self.0.disabled.iter().any(|(n, _)| n == name);
        let rank = self
            .0
            .ranks
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| *r);
        let r = Record::new()
            .with("name", s.name.clone())
            .with("version", s.version.clone())
            .with("layer", serde_json::Value::from(s.layer))
            .with(
                "rank",
                rank.map(serde_json::Value::from)
                    .unwrap_or(serde_json::Value::Null),
            )
            .with("abi", format!("{}.{}", s.abi.0, s.abi.1))
            .with("path", f.path.display().to_string())
            .with("services", Cell::list(s.services.clone()))
            .with("enabled", !disabled)
            .with("commands", Cell::list(all))
            .with("shadowed", Cell::list(shadowed));
        Ok(Output::Show(r))
    }
}

fn origin_name(o: &Origin) -> String {
    match o {
        Origin::Builtin { module } => format!("built-in {module}"),
        Origin::Plugin { name, .. } => format!("plugin {name}"),
    }
}

impl CommandImpl for PluginDoctor {
    fn args(&self, cmd: clap::Command) -> clap::Command {
        cmd
    }
    fn run(&self, ctx: &Context, _: &ArgMatches) -> Result<Output> {
        let mut t = Table::new(["Plugin", "Path", "Problem"]);
        let mut row = |p: String, path: String, problem: String| {
            t.rows
                .push(vec![Cell::raw(p), Cell::raw(path), Cell::raw(problem)]);
        };
        if let Some(w) = &self.0.config_warning {
            row(
                "-".into(),
                crate::config::path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                w.clone(),
            );
        }
        for r in &self.0.discovery.refused {
            let name = r.name.clone().unwrap_or_else(|| {
                r.path
                    .file_stem()
                    .map(|s| s.to_string_lossy().trim_start_matches("lib").to_string())
                    .unwrap_or_default()
            });
            row(
                name,
                r.path.display().to_string(),
                format!("not loaded: {}", r.reason),
            );
        }
        for (n, p) in &self.0.disabled {
            row(
                n.clone(),
                p.display().to_string(),
                "disabled in the osc config file".into(),
            );
        }
        for s in &ctx.registry.shadowed {
            let (name, path) = match &s.loser {
                Origin::Plugin { name, path } => (name.clone(), path.display().to_string()),
                Origin::Builtin { module } => (module.to_string(), "built-in".into()),
            };
            let why = match (s.winner_trust, s.loser_trust) {
                (Trust::Override, Trust::Core) => format!(
                    "command '{}' of {} is replaced by {} (plugins.override in the osc config file)",
                    s.name,
                    origin_name(&s.loser),
                    origin_name(&s.winner)
                ),
                (Trust::Core, Trust::ThirdParty) => format!(
                    "command '{}' is kept by {}: plugins never replace built-in or shipped \
                     commands (list {name} in plugins.override of the osc config file to allow it)",
                    s.name,
                    origin_name(&s.winner)
                ),
                _ => format!(
                    "command '{}' (layer {}) is shadowed by {} (layer {})",
                    s.name,
                    s.loser_layer,
                    origin_name(&s.winner),
                    s.winner_layer
                ),
            };
            row(name, path, why);
        }
        Ok(Output::List(t))
    }
}
