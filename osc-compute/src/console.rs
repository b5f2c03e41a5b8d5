//! `console log show`, `console url show`, `console connection show`.

use crate::common::{self, mv};
use crate::server::{action, find_id, server_path};
use osc_core::resource::encode_segment;
use osc_core::{Command, Context, Output, Record, Result};
use serde_json::{json, Value};

/// Show server's console output
#[derive(clap::Args)]
pub struct ShowConsoleLog {
    /// Server to show console log (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Number of lines to display from the end of the log (default=all)
    #[arg(long, value_name = "num-lines", value_parser = common::non_negative)]
    lines: Option<u64>,
}

impl Command for ShowConsoleLog {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = find_id(s, &self.server, false)?;
        let body = match self.lines {
            Some(n) => json!({"os-getConsoleOutput": {"length": n}}),
            None => json!({"os-getConsoleOutput": {}}),
        };
        let r = action(s, &id, body)?;
        let mut data = r
            .get("output")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if !data.is_empty() && !data.ends_with('\n') {
            data.push('\n');
        }
        Ok(if data.is_empty() {
            Output::None
        } else {
            Output::Text(data)
        })
    }
}

/// Show server's remote console URL
// The console types form their own group (one at most); the server is not in it.
#[derive(clap::Args)]
pub struct ShowConsoleUrl {
    /// Server to show URL (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Show noVNC console URL (default)
    #[arg(long, group = "console_type")]
    novnc: bool,
    /// Show xvpvnc console URL
    #[arg(long, group = "console_type")]
    xvpvnc: bool,
    /// Show SPICE console URL
    #[arg(long, group = "console_type")]
    spice: bool,
    /// Show SPICE direct protocol native console URL
    #[arg(long = "spice-direct", group = "console_type")]
    spice_direct: bool,
    /// Show RDP console URL
    #[arg(long, group = "console_type")]
    rdp: bool,
    /// Show serial console URL
    #[arg(long, group = "console_type")]
    serial: bool,
    /// Show WebMKS console URL
    #[arg(long, group = "console_type")]
    mks: bool,
}

impl Command for ShowConsoleUrl {
    fn run(self, ctx: &Context) -> Result<Output> {
        let (protocol, kind) = if self.xvpvnc {
            ("vnc", "xvpvnc")
        } else if self.spice {
            ("spice", "spice-html5")
        } else if self.spice_direct {
            ("spice", "spice-direct")
        } else if self.rdp {
            ("rdp", "rdp-html5")
        } else if self.serial {
            ("serial", "serial")
        } else if self.mks {
            ("mks", "webmks")
        } else {
            ("vnc", "novnc")
        };
        let s = ctx.session()?;
        if self.spice_direct {
            common::require(s, "2.99", "the --spice-direct option")?;
        }
        if self.mks {
            common::require(s, "2.8", "the --mks option")?;
        }
        let id = find_id(s, &self.server, false)?;
        let c = if common::supports(s, "2.6")? {
            let r = common::post(
                s,
                &format!("{}/remote-consoles", server_path(&id)),
                json!({"remote_console": {"protocol": protocol, "type": kind}}),
                mv::REMOTE_CONSOLE,
            )?;
            common::unwrap_key(r, "remote_console")
        } else {
            let key = match protocol {
                "vnc" => "os-getVNCConsole",
                "spice" => "os-getSPICEConsole",
                "rdp" => "os-getRDPConsole",
                _ => "os-getSerialConsole",
            };
            common::unwrap_key(action(s, &id, json!({ key: {"type": kind} }))?, "console")
        };
        let get = |k: &str| c.get(k).cloned().unwrap_or(Value::Null);
        Ok(Output::Show(
            Record::new()
                .with("protocol", get("protocol"))
                .with("type", get("type"))
                .with("url", get("url")),
        ))
    }
}

/// Show server's remote console connection information
#[derive(clap::Args)]
pub struct ShowConsoleConnection {
    /// Nova console token to lookup
    #[arg(value_name = "token")]
    token: String,
}

impl Command for ShowConsoleConnection {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let r = common::get(
            s,
            &format!("/os-console-auth-tokens/{}", encode_segment(&self.token)),
            mv::CONSOLE_AUTH_TOKEN,
        )?;
        let c = common::unwrap_key(r, "console");
        let get = |k: &str| c.get(k).cloned().unwrap_or(Value::Null);
        Ok(Output::Show(
            Record::new()
                .with("host", get("host"))
                .with("instance_uuid", get("instance_uuid"))
                .with("internal_access_path", get("internal_access_path"))
                .with("port", get("port"))
                .with("tls_port", get("tls_port")),
        ))
    }
}
