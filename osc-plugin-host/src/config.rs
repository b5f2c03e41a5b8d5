//! The `plugins:` section of osc's own config file (`$XDG_CONFIG_HOME/osc/config.yaml`,
//! usually `~/.config/osc/config.yaml`):
//!
//! ```yaml
//! plugins:
//!   order: [vendor-net, network]   # rank among plugins of the same layer, first wins
//!   disabled: [object-store]       # never registered
//!   override: [vendor-volume]      # may replace built-in and shipped commands
//! ```

use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Default, Deserialize)]
pub struct PluginConfig {
    #[serde(default)]
    pub order: Vec<String>,
    #[serde(default)]
    pub disabled: Vec<String>,
    /// Plugins allowed to replace built-in commands and those of the plugins shipped with
    /// osc (without this no plugin can, whatever its layer).
    #[serde(default, rename = "override")]
    pub overrides: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct File {
    #[serde(default)]
    plugins: Option<PluginConfig>,
}

pub fn path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("osc").join("config.yaml"))
}

/// Reads the config; a missing file is the default, a broken one a warning (startup must
/// never fail because of it).
pub fn load() -> (PluginConfig, Option<String>) {
    let Some(p) = path() else {
        return (PluginConfig::default(), None);
    };
    let Ok(text) = std::fs::read_to_string(&p) else {
        return (PluginConfig::default(), None);
    };
    match serde_yaml_ng::from_str::<File>(&text) {
        Ok(f) => (f.plugins.unwrap_or_default(), None),
        Err(e) => (
            PluginConfig::default(),
            Some(format!(
                "{}: ignoring the plugins section: {e}",
                p.display()
            )),
        ),
    }
}
