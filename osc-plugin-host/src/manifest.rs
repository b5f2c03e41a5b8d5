//! The plugin manifest: what a plugin declares about itself (name, version, ABI, layer,
//! services, commands with their arguments and columns). It is plain JSON data inside the
//! plugin file, so the host knows all of this without running any plugin code.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Manifest {
    pub name: String,
    pub version: String,
    /// `[major, minor]` of the ABI the plugin was built against.
    pub abi: (u16, u16),
    /// Optional since the layer follows from `services` ([`service_layer`]); a declared
    /// layer can only move the plugin later (higher), never earlier.
    #[serde(default)]
    pub layer: Option<u8>,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub description: String,
    /// The help group of its commands (default: the plugin's name).
    #[serde(default)]
    pub group: Option<String>,
    pub commands: Vec<CommandSpec>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct CommandSpec {
    pub name: String,
    #[serde(default)]
    pub about: String,
    /// `list`, `show` or `command` (no formatter options).
    #[serde(default = "default_kind")]
    pub kind: String,
    #[serde(default)]
    pub args: Vec<ArgSpec>,
    #[serde(default)]
    pub columns: Vec<ColumnSpec>,
    /// The command writes to stdout itself (`object save --file -`): not redirected.
    #[serde(default)]
    pub stdout: bool,
    /// The default formatter when it is not `table` (`yaml`, `json`, or one of `formats`).
    #[serde(default)]
    pub format: Option<String>,
    /// Formatters of the command's own beside cliff's (`log`, `dot`), rendered by the
    /// plugin.
    #[serde(default)]
    pub formats: Vec<String>,
}

fn default_kind() -> String {
    "command".into()
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct ArgSpec {
    /// The key of this argument in the request's `args`.
    pub name: String,
    /// `--long-name`; without it the argument is positional.
    #[serde(default)]
    pub long: Option<String>,
    #[serde(default)]
    pub short: Option<char>,
    /// The metavar shown in help (`<name>`).
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub help: String,
    /// A switch without a value (true when given).
    #[serde(default)]
    pub flag: bool,
    /// Repeatable option, or a positional taking one or more values.
    #[serde(default)]
    pub multiple: bool,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub choices: Vec<String>,
    #[serde(default)]
    pub default: Option<String>,
    /// `int`, `float`, `bool`, `dict` (`key=value`), `list` (comma-separated) or `string`:
    /// the host checks and converts the value (`osc_plugin_sdk::manifest::convert`).
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    /// Arguments sharing an exclusive group name cannot be given together.
    #[serde(default)]
    pub exclusive: Option<String>,
    /// An option taking one or more values per occurrence (argparse's `nargs='+'`):
    /// `--fields a b --fields c`.
    #[serde(default)]
    pub multiple_values: bool,
    /// The value of an option given without one (argparse's `nargs='?'` with `const`):
    /// `--wait` alone means `--wait 0`.
    #[serde(default)]
    pub missing: Option<String>,
    #[serde(default)]
    pub hidden: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ColumnSpec {
    Name(String),
    Styled {
        name: String,
        #[serde(default)]
        style: Option<String>,
    },
}

impl ColumnSpec {
    pub fn name(&self) -> &str {
        match self {
            ColumnSpec::Name(n) | ColumnSpec::Styled { name: n, .. } => n,
        }
    }
    pub fn style(&self) -> Option<&str> {
        match self {
            ColumnSpec::Name(_) => None,
            ColumnSpec::Styled { style, .. } => style.as_deref(),
        }
    }
}

/// What the registry needs at startup (kept in the cache; the full manifest is read from
/// the file only when one of the plugin's commands is parsed or run).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Summary {
    pub name: String,
    pub version: String,
    pub abi: (u16, u16),
    pub layer: u8,
    pub services: Vec<String>,
    pub group: String,
    /// `(name, about, kind)` per command.
    pub commands: Vec<(String, String, String)>,
}

impl Manifest {
    /// Parses and checks a manifest; the error is one line.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        // Strict: unknown keys, wrong value types and unknown argument types are refused
        // with the key named (the SDK's `testing::check_manifest` runs the same check).
        Self::checked(osc_plugin_sdk::manifest::validate(bytes)?)
    }

    /// The manifest with `command` alone in `commands` (none when it lacks it), for running
    /// that command: the rest of the manifest, validated whole at discovery, is skipped.
    pub fn parse_one(bytes: &[u8], command: &str) -> Result<Manifest, String> {
        Self::checked(osc_plugin_sdk::manifest::validate_one(bytes, command)?)
    }

    fn checked(v: serde_json::Value) -> Result<Manifest, String> {
        let m: Manifest = serde_json::from_value(v).map_err(|e| format!("bad manifest: {e}"))?;
        m.validate()?;
        Ok(m)
    }

    /// The layer osc gives the plugin: the highest layer of the services it declares
    /// (4 without any), or its declared `layer` when that is higher.
    pub fn effective_layer(&self) -> u8 {
        let from_services = self
            .services
            .iter()
            .map(|s| service_layer(s))
            .max()
            .unwrap_or(4);
        from_services.max(self.layer.unwrap_or(1))
    }

    fn validate(&self) -> Result<(), String> {
        let ident = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        if !ident(&self.name) {
            return Err(format!("bad manifest: invalid plugin name {:?}", self.name));
        }
        if let Some(l) = self.layer.filter(|l| !(1..=9).contains(l)) {
            return Err(format!("bad manifest: layer {l} is not between 1 and 9"));
        }
        let mut seen = std::collections::HashSet::new();
        for c in &self.commands {
            let words: Vec<&str> = c.name.split(' ').collect();
            if words.iter().any(|w| !ident(w)) {
                return Err(format!("bad manifest: invalid command name {:?}", c.name));
            }
            if !seen.insert(c.name.as_str()) {
                return Err(format!("bad manifest: command {:?} declared twice", c.name));
            }
            if !matches!(c.kind.as_str(), "list" | "show" | "command") {
                return Err(format!(
                    "bad manifest: command {:?} has unknown kind {:?}",
                    c.name, c.kind
                ));
            }
            let mut names = std::collections::HashSet::new();
            for a in &c.args {
                if !ident(&a.name) || !names.insert(a.name.as_str()) {
                    return Err(format!(
                        "bad manifest: command {:?} has a bad or repeated argument {:?}",
                        c.name, a.name
                    ));
                }
                if let Some(l) = &a.long {
                    if !l.starts_with("--") || !ident(&l[2..]) {
                        return Err(format!(
                            "bad manifest: command {:?}: invalid option {l:?}",
                            c.name
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    pub fn summary(&self) -> Summary {
        Summary {
            name: self.name.clone(),
            version: self.version.clone(),
            abi: self.abi,
            layer: self.effective_layer(),
            services: self.services.clone(),
            group: self.group.clone().unwrap_or_else(|| self.name.clone()),
            commands: self
                .commands
                .iter()
                .map(|c| (c.name.clone(), c.about.clone(), c.kind.clone()))
                .collect(),
        }
    }

    pub fn command(&self, name: &str) -> Option<&CommandSpec> {
        self.commands.iter().find(|c| c.name == name)
    }
}

/// osc's layer of a service type (DevStack's layers): 1 identity, image, compute and
/// placement (part of compute); 2 network, block storage, object store, bare metal, shared
/// file systems; 3 telemetry (metric, alarming, event); 4 everything else (orchestration,
/// DNS, database, messaging, key manager, load balancer... and unknown types). A layer
/// orders plugins among themselves; no plugin replaces a built-in or shipped command,
/// whatever its layer, unless the user's config says so (`plugins.override`).
pub fn service_layer(service: &str) -> u8 {
    match service {
        "identity" | "image" | "compute" | "placement" => 1,
        "network"
        | "volume"
        | "volumev2"
        | "volumev3"
        | "block-storage"
        | "block-store"
        | "object-store"
        | "baremetal"
        | "baremetal-introspection"
        | "shared-file-system"
        | "sharev2" => 2,
        "metric" | "alarming" | "event" | "telemetry" | "metering" => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_c_string_manifest_and_rejects_bad_ones() {
        let ok = br#"{"name":"hello","version":"1","abi":[1,0],"layer":2,"commands":[{"name":"hello world","kind":"show","columns":["a",{"name":"b","style":"list"}]}]}"#;
        let mut with_nul = ok.to_vec();
        with_nul.push(0);
        let m = Manifest::parse(&with_nul).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.commands[0].columns[1].style(), Some("list"));
        assert!(Manifest::parse(b"{not json")
            .unwrap_err()
            .starts_with("bad manifest:"));
        let typo = br#"{"name":"x","version":"1","abi":[1,0],"commands":[{"name":"a b","args":[{"name":"n","requried":true}]}]}"#;
        assert!(Manifest::parse(typo)
            .unwrap_err()
            .contains("unknown key \"requried\""));
        let bad_layer = br#"{"name":"x","version":"1","abi":[1,0],"layer":0,"commands":[]}"#;
        assert!(Manifest::parse(bad_layer).unwrap_err().contains("layer 0"));
        let dup = br#"{"name":"x","version":"1","abi":[1,0],"layer":2,"commands":[{"name":"a b"},{"name":"a b"}]}"#;
        assert!(Manifest::parse(dup).unwrap_err().contains("twice"));
    }

    #[test]
    fn the_layer_follows_the_services() {
        let m = |services: &str, layer: &str| {
            Manifest::parse(format!(r#"{{"name":"x","version":"1","abi":[1,0],{layer}"services":{services},"commands":[]}}"#).as_bytes())
                .unwrap_or_else(|e| panic!("{e}"))
                .effective_layer()
        };
        assert_eq!(m(r#"["placement"]"#, r#""layer":1,"#), 1);
        assert_eq!(
            m(r#"["dns"]"#, r#""layer":1,"#),
            4,
            "declaring layer 1 does not lift it"
        );
        assert_eq!(m(r#"["network", "metric"]"#, ""), 3);
        assert_eq!(m("[]", ""), 4);
        assert_eq!(
            m(r#"["image"]"#, r#""layer":3,"#),
            3,
            "a higher declared layer holds"
        );
    }
}
