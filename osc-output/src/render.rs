//! Placeholder renderer (json only); replaced by the cliff-compatible implementation.
use super::{Kind, Output};
use std::io::Write;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

#[derive(Clone, Debug, Default)]
pub struct FormatOptions {
    pub format: String,
}

impl FormatOptions {
    pub fn from_matches(_m: &clap::ArgMatches, _kind: Kind) -> Self {
        FormatOptions { format: "json".into() }
    }
}

pub fn add_format_args(cmd: clap::Command, _kind: Kind) -> clap::Command {
    cmd
}

pub fn render(out: &Output, _opts: &FormatOptions, w: &mut dyn Write) -> Result<(), OutputError> {
    match out {
        Output::List(t) => {
            let rows: Vec<serde_json::Value> = t
                .rows
                .iter()
                .map(|r| {
                    let m: serde_json::Map<String, serde_json::Value> =
                        t.columns.iter().cloned().zip(r.iter().map(|c| c.value.clone())).collect();
                    serde_json::Value::Object(m)
                })
                .collect();
            writeln!(w, "{}", serde_json::to_string_pretty(&rows).unwrap_or_default())?;
        }
        Output::Show(r) => {
            let m: serde_json::Map<String, serde_json::Value> =
                r.fields.iter().map(|(k, v)| (k.clone(), v.value.clone())).collect();
            writeln!(w, "{}", serde_json::to_string_pretty(&m).unwrap_or_default())?;
        }
        Output::Text(s) => write!(w, "{s}")?,
        Output::None => {}
    }
    Ok(())
}
