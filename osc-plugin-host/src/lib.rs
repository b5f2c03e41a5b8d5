//! osc-plugin-host: finds, vets and registers osc plugins (shared libraries speaking the
//! C ABI in `plugins/include/osc_plugin.h`), and runs their commands.
//!
//! Startup reads manifests only (from a cache validated by size and mtime, else from the
//! files' data symbols): no plugin is loaded until one of its commands runs, and then
//! only that one. Bad plugins are skipped with a one-line warning; `osc plugin doctor`
//! explains every refusal and every shadowed command.

pub mod callbacks;
pub mod command;
pub mod commands;
pub mod config;
pub mod discover;
pub mod inspect;
pub mod install;
pub mod loader;
pub mod manifest;

use command::{Plugin, PluginCommand};
use commands::State;
use osc_core::output::Kind;
use osc_core::registry::{CommandEntry, Module, Origin, Trust};
use std::rc::Rc;

/// Registers `plugin list/show/doctor/install/remove` and the commands of every installed plugin.
pub fn register(reg: &mut osc_core::Registry) {
    let (cfg, config_warning) = config::load();
    let discovery = discover::discover(&cfg.overrides);
    for r in &discovery.refused {
        // A duplicate name is a conflict, not a broken plugin: quiet, like shadowed
        // commands; `plugin doctor` explains it.
        if !r.reason.starts_with("duplicate plugin name") {
            osc_core::log::warn(&format!(
                "Skipping plugin {}: {}",
                r.path.display(),
                r.reason
            ));
        }
    }
    if let Some(w) = &config_warning {
        osc_core::log::warn(w);
    }
    let mut state = State {
        config_warning,
        ..State::default()
    };

    // Deterministic order among plugins of one layer: the config's `plugins.order` first,
    // then the rest by name. The registry's layer rule does the rest.
    let mut enabled: Vec<&discover::Found> = Vec::new();
    for f in &discovery.found {
        if cfg.disabled.contains(&f.summary.name) {
            state
                .disabled
                .push((f.summary.name.clone(), f.path.clone()));
        } else {
            enabled.push(f);
        }
    }
    enabled.sort_by(|a, b| a.summary.name.cmp(&b.summary.name));
    let rank_of = |name: &str, alpha: usize| {
        cfg.order
            .iter()
            .position(|n| n == name)
            .unwrap_or(cfg.order.len() + alpha)
    };
    let mut ranked: Vec<(usize, &discover::Found)> = enabled
        .iter()
        .enumerate()
        .map(|(i, f)| (rank_of(&f.summary.name, i), *f))
        .collect();
    ranked.sort_by_key(|(r, _)| *r);

    for (rank, f) in ranked {
        let s = &f.summary;
        let origin = Origin::Plugin {
            name: s.name.clone(),
            path: f.path.clone(),
        };
        reg.modules.push(Module {
            name: s.name.clone(),
            version: s.version.clone(),
            layer: s.layer,
            origin: origin.clone(),
            services: s.services.clone(),
        });
        state.ranks.push((s.name.clone(), rank));
        // Only the user's config lets a plugin replace built-in or shipped commands.
        let trust = if cfg.overrides.contains(&s.name) {
            Trust::Override
        } else if f.shipped {
            Trust::Core
        } else {
            Trust::ThirdParty
        };
        let plugin = Rc::new(Plugin::new(s.name.clone(), f.path.clone()));
        for (name, about, kind) in &s.commands {
            reg.add(CommandEntry {
                name: name.clone(),
                about: about.clone(),
                group: s.group.clone(),
                kind: match kind.as_str() {
                    "list" => Kind::List,
                    "show" => Kind::Show,
                    _ => Kind::Plain,
                },
                layer: s.layer,
                origin: origin.clone(),
                imp: Rc::new(PluginCommand::new(plugin.clone(), name.clone())),
                rank: rank + 1,
                trust,
            });
        }
    }
    state.discovery = discovery;
    let state = Rc::new(state);
    reg.module("osc-plugin-host", "plugin", 1)
        .add_impl(
            "plugin list",
            Kind::List,
            "List installed plugins",
            Rc::new(commands::PluginList(state.clone())),
        )
        .add_impl(
            "plugin show",
            Kind::Show,
            "Display plugin details",
            Rc::new(commands::PluginShow(state.clone())),
        )
        .add_impl(
            "plugin doctor",
            Kind::List,
            "Report shadowed commands and plugins that failed to load",
            Rc::new(commands::PluginDoctor(state)),
        )
        .add_impl(
            "plugin install",
            Kind::List,
            "Install plugins into the user's plugin directory, vetted as plugin doctor does",
            Rc::new(install::PluginInstall),
        )
        .add_impl(
            "plugin remove",
            Kind::Plain,
            "Remove plugins from the user's plugin directory",
            Rc::new(install::PluginRemove),
        );
}
