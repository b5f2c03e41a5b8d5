use crate::error::{Error, Result};
use crate::registry::Origin;
use crate::{Context, Output, Record, Table};
use std::collections::BTreeMap;

/// OSC's name for a command group (`openstack.compute.v2`).
fn group_name(group: &str) -> String {
    match group {
        "compute" => "openstack.compute.v2".into(),
        "identity" => "openstack.identity.v3".into(),
        "image" => "openstack.image.v2".into(),
        "volume" => "openstack.volume.v3".into(),
        "network" => "openstack.network.v2".into(),
        "object-store" => "openstack.object_store.v1".into(),
        "common" => "openstack.common".into(),
        "cli" => "openstack.cli".into(),
        other => format!("openstack.{}", other.replace('-', "_")),
    }
}

/// List recognized commands by group
#[derive(clap::Args)]
pub struct ListCommand {
    /// Show commands filtered by a command group, for example: identity, volume, compute, image, network and other keywords
    #[arg(long, value_name = "<group-keyword>")]
    group: Option<String>,
}

impl crate::Command for ListCommand {
    fn run(self, ctx: &Context) -> Result<Output> {
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for e in ctx.registry.entries() {
            groups
                .entry(group_name(&e.group))
                .or_default()
                .push(e.name.clone());
        }
        let mut t = Table::new(["Command Group", "Commands"]);
        for (g, mut cmds) in groups {
            if self.group.as_deref().is_some_and(|want| !g.contains(want)) {
                continue;
            }
            cmds.sort();
            t.rows.push(vec![g.into(), cmds.join("\n").into()]);
        }
        Ok(Output::List(t))
    }
}

/// List module versions
#[derive(clap::Args)]
pub struct ListModule {
    /// Show all modules that have version information
    #[arg(long)]
    all: bool,
}

/// python-openstackclient's `module list` keys that scripts check, each with the osc module
/// that provides what that Python library did (`osc` itself for `openstackclient`). osc
/// reports its own version under each key whose module is present, beside its own names.
pub const COMPAT_MODULE_KEYS: &[(&str, &str)] = &[
    ("openstackclient", "osc"),
    ("openstack", "osc-core"),
    ("keystoneclient", "osc-identity"),
    ("cinderclient", "osc-volume"),
    ("neutronclient", "network"),
];

impl crate::Command for ListModule {
    fn run(self, ctx: &Context) -> Result<Output> {
        let mut fields = std::collections::BTreeMap::new();
        fields.insert("osc".to_string(), crate::app::VERSION.to_string());
        for m in &ctx.registry.modules {
            if !self.all && matches!(m.origin, Origin::Builtin { .. }) && m.name == "osc-core" {
                continue;
            }
            fields.insert(m.name.clone(), m.version.clone());
        }
        for (key, provider) in COMPAT_MODULE_KEYS {
            let present =
                *provider == "osc" || ctx.registry.modules.iter().any(|m| m.name == *provider);
            if present {
                fields.insert(key.to_string(), crate::app::VERSION.to_string());
            }
        }
        // Sorted by name, as OSC prints its dict.
        let mut r = Record::new();
        for (k, v) in fields {
            r.push(k, v);
        }
        Ok(Output::Show(r))
    }
}

/// print bash completion command
#[derive(clap::Args)]
pub struct Complete {
    /// Command name to support with command completion
    #[arg(long, value_name = "<command_name>")]
    name: Option<String>,
    /// Shell being used: bash, zsh, fish, powershell or elvish; none for data only (default: bash)
    #[arg(long, value_name = "<shell>", default_value = "bash", value_parser = ["bash", "zsh", "fish", "powershell", "elvish", "none"])]
    shell: String,
    /// Print the completions for the given words
    #[arg(long, num_args = 0.., allow_hyphen_values = true, hide = true)]
    words: Option<Vec<String>>,
    /// Write the man pages (osc.1, one per command and command group) into this directory
    /// (packaging)
    #[arg(long, value_name = "<directory>", hide = true)]
    man_dir: Option<std::path::PathBuf>,
}

impl crate::Command for Complete {
    fn run(self, ctx: &Context) -> Result<Output> {
        let name = self.name.clone().unwrap_or_else(|| ctx.prog.clone());
        if let Some(words) = self.words {
            return Ok(Output::Text(candidates(ctx, &words)));
        }
        if let Some(dir) = self.man_dir {
            let pages = crate::shell::man_pages(&name, &ctx.registry, &dir).map_err(|e| {
                Error::Io(format!("Cannot write man pages to {}: {e}", dir.display()))
            })?;
            return Ok(Output::Text(format!(
                "{} man pages written to {}\n",
                pages.len(),
                dir.display()
            )));
        }
        if self.shell == "none" {
            return Ok(Output::Text(candidates(ctx, &[])));
        }
        crate::shell::completion(&self.shell, &name, &ctx.registry)
            .map(Output::Text)
            .map_err(Error::usage)
    }
}

/// The next words (or options) that can follow the given command words.
fn candidates(ctx: &Context, words: &[String]) -> String {
    let words: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for e in ctx.registry.entries() {
        let parts: Vec<&str> = e.name.split(' ').collect();
        if parts.len() > words.len() && parts[..words.len()] == words[..] {
            out.push(parts[words.len()].to_string());
        } else if parts == words {
            // A complete command: offer its options (from its parser, no plugin code runs).
            for a in e.parser(&ctx.prog).get_arguments() {
                if let Some(l) = a.get_long() {
                    out.push(format!("--{l}"));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    let mut s = out.join("\n");
    s.push('\n');
    s
}
