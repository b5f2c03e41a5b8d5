use crate::config::CloudConfig;
use crate::error::Result;
use crate::{Cell, Context, Output, Record};

const REDACTED: &str = "<redacted>";

/// Display configuration details
#[derive(clap::Args)]
pub struct ShowConfiguration {
    /// Attempt to mask passwords (default)
    #[arg(long, conflicts_with = "unmask")]
    mask: bool,
    /// Show password in clear text
    #[arg(long)]
    unmask: bool,
    /// Show where each value came from (file, variable, option, default)
    #[arg(long)]
    origin: bool,
}

impl crate::Command for ShowConfiguration {
    fn run(self, ctx: &Context) -> Result<Output> {
        let cfg = ctx.cloud()?;
        let value = |k: &str, v: &serde_json::Value| -> serde_json::Value {
            if !self.unmask && CloudConfig::is_secret(k) {
                serde_json::Value::String(REDACTED.into())
            } else {
                v.clone()
            }
        };
        let mut r = Record::new();
        for (k, s) in &cfg.values {
            if self.origin {
                // Beyond OSC: each value with where it came from.
                r.push(k.clone(), Cell::dict(serde_json::json!({"value": value(k, &s.value), "origin": s.origin.to_string()})));
            } else {
                r.push(k.clone(), value(k, &s.value));
            }
        }
        Ok(Output::Show(r))
    }
}
