//! Server actions that are one `POST /servers/{id}/action` each. The plain ones (start,
//! stop, pause, ...) are data: one spec per command, one implementation for all; those with
//! options of their own (reboot, lock, shelve, unshelve, rescue) are small structs below.

use super::{action, find, find_id, wait};
use crate::common;
use osc_core::registry::CommandImpl;
use osc_core::{Command, Context, Error, Output, Result};
use serde_json::{json, Value};

/// A plain server action.
pub struct ActionSpec {
    /// Key of the action body (`os-start`); its value is `null`.
    pub key: &'static str,
    /// Help of the positional (`Server(s) to start (name or ID)`).
    pub help: &'static str,
    /// Several servers at once (`nargs='+'`).
    pub many: bool,
    /// Has `--all-projects` (start and stop).
    pub all_projects: bool,
    /// Microversion the action needs, if any.
    pub min_version: Option<&'static str>,
}

pub const START: ActionSpec = ActionSpec {
    key: "os-start",
    help: "Server(s) to start (name or ID)",
    many: true,
    all_projects: true,
    min_version: None,
};
pub const STOP: ActionSpec = ActionSpec {
    key: "os-stop",
    help: "Server(s) to stop (name or ID)",
    many: true,
    all_projects: true,
    min_version: None,
};
pub const PAUSE: ActionSpec = ActionSpec {
    key: "pause",
    help: "Server(s) to pause (name or ID)",
    many: true,
    all_projects: false,
    min_version: None,
};
pub const UNPAUSE: ActionSpec = ActionSpec {
    key: "unpause",
    help: "Server(s) to unpause (name or ID)",
    many: true,
    all_projects: false,
    min_version: None,
};
pub const SUSPEND: ActionSpec = ActionSpec {
    key: "suspend",
    help: "Server(s) to suspend (name or ID)",
    many: true,
    all_projects: false,
    min_version: None,
};
pub const RESUME: ActionSpec = ActionSpec {
    key: "resume",
    help: "Server(s) to resume (name or ID)",
    many: true,
    all_projects: false,
    min_version: None,
};
pub const UNLOCK: ActionSpec = ActionSpec {
    key: "unlock",
    help: "Server(s) to unlock (name or ID)",
    many: true,
    all_projects: false,
    min_version: None,
};
pub const RESTORE: ActionSpec = ActionSpec {
    key: "restore",
    help: "Server(s) to restore (name or ID)",
    many: true,
    all_projects: false,
    min_version: None,
};
pub const UNRESCUE: ActionSpec = ActionSpec {
    key: "unrescue",
    help: "Server (name or ID)",
    many: false,
    all_projects: false,
    min_version: None,
};
pub const CONFIRM_RESIZE: ActionSpec = ActionSpec {
    key: "confirmResize",
    help: "Server (name or ID)",
    many: false,
    all_projects: false,
    min_version: None,
};
pub const REVERT_RESIZE: ActionSpec = ActionSpec {
    key: "revertResize",
    help: "Server (name or ID)",
    many: false,
    all_projects: false,
    min_version: None,
};
pub const DUMP: ActionSpec = ActionSpec {
    key: "trigger_crash_dump",
    help: "Server(s) to create dump file (name or ID)",
    many: true,
    all_projects: false,
    min_version: Some("2.17"),
};

/// The one implementation of every plain action.
pub struct SimpleAction(pub &'static ActionSpec);

impl CommandImpl for SimpleAction {
    fn args(&self, cmd: clap::Command) -> clap::Command {
        let mut server = clap::Arg::new("server")
            .value_name("server")
            .required(true)
            .help(self.0.help);
        if self.0.many {
            server = server.num_args(1..);
        }
        let mut cmd = cmd.arg(server);
        if self.0.all_projects {
            cmd = cmd.arg(
                clap::Arg::new("all-projects")
                    .long("all-projects")
                    .env("ALL_PROJECTS")
                    .value_parser(clap::builder::FalseyValueParser::new())
                    .action(clap::ArgAction::SetTrue)
                    .help(format!(
                        "{} server(s) in another project by name (admin only) (can be specified using the ALL_PROJECTS envvar)",
                        if self.0.key == "os-stop" { "Stop" } else { "Start" }
                    )),
            );
        }
        cmd
    }

    fn run(&self, ctx: &Context, m: &clap::ArgMatches) -> Result<Output> {
        let s = ctx.session()?;
        if let Some(v) = self.0.min_version {
            common::require(s, v, &format!("the '{}' action", self.0.key))?;
        }
        let all = self.0.all_projects && m.get_flag("all-projects");
        let names: Vec<String> = m
            .get_many::<String>("server")
            .map(|v| v.cloned().collect())
            .unwrap_or_default();
        // Like OSC, the first failure stops the command.
        for n in names {
            let id = find_id(s, &n, all)?;
            action(s, &id, json!({ self.0.key: null }))?;
        }
        Ok(Output::None)
    }
}

/// Perform a hard or soft server reboot
#[derive(clap::Args)]
pub struct RebootServer {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Perform a hard reboot
    #[arg(long, overrides_with = "soft")]
    hard: bool,
    /// Perform a soft reboot
    #[arg(long, overrides_with = "hard")]
    soft: bool,
    /// Wait for reboot to complete
    #[arg(long)]
    wait: bool,
}

impl Command for RebootServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = find_id(s, &self.server, false)?;
        let kind = if self.hard { "HARD" } else { "SOFT" };
        action(s, &id, json!({"reboot": {"type": kind}}))?;
        if self.wait {
            wait(s, &id, &["ACTIVE"], "rebooting")?;
        }
        Ok(Output::None)
    }
}

/// Lock server(s).
///
/// A non-admin user will not be able to execute actions.
#[derive(clap::Args)]
pub struct LockServer {
    /// Server(s) to lock (name or ID)
    #[arg(value_name = "server", required = true)]
    server: Vec<String>,
    /// Reason for locking the server(s) (supported by --os-compute-api-version 2.73 or above)
    #[arg(long, value_name = "reason")]
    reason: Option<String>,
}

impl Command for LockServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let body = match &self.reason {
            Some(r) => {
                common::require(s, "2.73", "the --reason option")?;
                json!({"lock": {"locked_reason": r}})
            }
            None => json!({"lock": null}),
        };
        for n in &self.server {
            let id = find_id(s, n, false)?;
            action(s, &id, body.clone())?;
        }
        Ok(Output::None)
    }
}

/// Shelve and optionally offload server(s).
#[derive(clap::Args)]
pub struct ShelveServer {
    /// Server(s) to shelve (name or ID)
    #[arg(value_name = "server", required = true)]
    servers: Vec<String>,
    /// Remove the shelved server(s) from the compute host (name or ID)
    #[arg(long)]
    offload: bool,
    /// Wait for shelve and/or offload operation to complete
    #[arg(long)]
    wait: bool,
}

fn status_of(v: &Value) -> String {
    common::str_of(v, "status").to_lowercase()
}

impl Command for ShelveServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut ids = Vec::new();
        for n in &self.servers {
            let srv = find(s, n, false)?;
            if matches!(status_of(&srv).as_str(), "shelved" | "shelved_offloaded") {
                continue;
            }
            let id = common::py_str(&srv["id"]);
            action(s, &id, json!({"shelve": null}))?;
            ids.push(id);
        }
        if !self.wait && !self.offload {
            return Ok(Output::None);
        }
        for id in &ids {
            wait(s, id, &["SHELVED", "SHELVED_OFFLOADED"], "shelving")?;
        }
        if !self.offload {
            return Ok(Output::None);
        }
        for id in &ids {
            if status_of(&super::get_server(s, id)?) == "shelved_offloaded" {
                continue;
            }
            action(s, id, json!({"shelveOffload": null}))?;
        }
        if self.wait {
            for id in &ids {
                wait(s, id, &["SHELVED_OFFLOADED"], "offloading shelved")?;
            }
        }
        Ok(Output::None)
    }
}

/// Unshelve server(s)
#[derive(clap::Args)]
pub struct UnshelveServer {
    /// Server(s) to unshelve (name or ID)
    #[arg(value_name = "server", required = true)]
    server: Vec<String>,
    /// Name of the availability zone in which to unshelve a SHELVED_OFFLOADED server (supported by --os-compute-api-version 2.77 or above)
    #[arg(
        long = "availability-zone",
        value_name = "availability-zone",
        conflicts_with = "no_availability_zone"
    )]
    availability_zone: Option<String>,
    /// Unpin the availability zone of a SHELVED_OFFLOADED server. Server will be unshelved on a host in any availability zone. (supported by --os-compute-api-version 2.91 or above)
    #[arg(long = "no-availability-zone")]
    no_availability_zone: bool,
    /// Name of the destination host in which to unshelve a SHELVED_OFFLOADED server (supported by --os-compute-api-version 2.91 or above)
    #[arg(long, value_name = "host")]
    host: Option<String>,
    /// Wait for unshelve operation to complete
    #[arg(long)]
    wait: bool,
}

impl Command for UnshelveServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut opts = serde_json::Map::new();
        if let Some(az) = &self.availability_zone {
            common::require(s, "2.77", "the --availability-zone option")?;
            opts.insert("availability_zone".into(), json!(az));
        }
        if let Some(h) = &self.host {
            common::require(s, "2.91", "the --host option")?;
            opts.insert("host".into(), json!(h));
        }
        if self.no_availability_zone {
            common::require(s, "2.91", "the --no-availability-zone option")?;
            opts.insert("availability_zone".into(), Value::Null);
        }
        let body = if opts.is_empty() {
            json!({"unshelve": null})
        } else {
            json!({ "unshelve": opts })
        };
        for n in &self.server {
            let srv = find(s, n, false)?;
            if !matches!(status_of(&srv).as_str(), "shelved" | "shelved_offloaded") {
                continue;
            }
            let id = common::py_str(&srv["id"]);
            action(s, &id, body.clone())?;
            if self.wait {
                wait(s, &id, &["ACTIVE", "SHUTOFF"], "unshelving")?;
            }
        }
        Ok(Output::None)
    }
}

/// Put server in rescue mode
#[derive(clap::Args)]
pub struct RescueServer {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Image (name or ID) to use for the rescue mode. Defaults to the currently used one.
    #[arg(long, value_name = "image")]
    image: Option<String>,
    /// Set the password on the rescued instance. This option requires cloud support.
    #[arg(long, value_name = "password")]
    password: Option<String>,
}

impl Command for RescueServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = find_id(s, &self.server, false)?;
        let mut opts = serde_json::Map::new();
        if let Some(i) = &self.image {
            opts.insert(
                "rescue_image_ref".into(),
                json!(common::id_or_err(common::find_image(s, i)?, "image", i)?),
            );
        }
        if let Some(p) = &self.password {
            opts.insert("adminPass".into(), json!(p));
        }
        let body = if opts.is_empty() {
            json!({"rescue": null})
        } else {
            json!({ "rescue": opts })
        };
        action(s, &id, body)?;
        Ok(Output::None)
    }
}

/// Resize a server, or confirm/revert a resize.
#[derive(clap::Args)]
pub struct ResizeServer {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Resize server to specified flavor
    #[arg(long, value_name = "flavor", conflicts_with_all = ["confirm", "revert"])]
    flavor: Option<String>,
    /// **Deprecated** Confirm server resize is complete. Replaced by the 'openstack server resize confirm' and 'openstack server migration confirm' commands
    #[arg(long, conflicts_with = "revert")]
    confirm: bool,
    /// **Deprecated** Restore server state before resize. Replaced by the 'openstack server resize revert' and 'openstack server migration revert' commands
    #[arg(long)]
    revert: bool,
    /// Wait for resize to complete
    #[arg(long)]
    wait: bool,
}

impl Command for ResizeServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = find_id(s, &self.server, false)?;
        if let Some(f) = &self.flavor {
            let fid = common::py_str(&common::find_flavor(s, f)?["id"]);
            action(s, &id, json!({"resize": {"flavorRef": fid}}))?;
            if self.wait {
                wait(s, &id, &["ACTIVE", "VERIFY_RESIZE"], "resizing")?;
            }
        } else if self.confirm {
            osc_core::log::warn("The --confirm option has been deprecated. Please use the 'openstack server resize confirm' command instead.");
            action(s, &id, json!({"confirmResize": null}))?;
        } else if self.revert {
            osc_core::log::warn("The --revert option has been deprecated. Please use the 'openstack server resize revert' command instead.");
            action(s, &id, json!({"revertResize": null}))?;
        } else {
            return Err(Error::usage(
                "one of --flavor, --confirm or --revert is required",
            ));
        }
        Ok(Output::None)
    }
}

/// Migrate server to different host.
#[derive(clap::Args)]
pub struct MigrateServer {
    /// Server (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Live-migrate the server; without it the server is cold migrated
    #[arg(long = "live-migration")]
    live_migration: bool,
    /// Migrate the server to the specified host. (supported with --os-compute-api-version 2.30 or above when used with the --live-migration option) (supported with --os-compute-api-version 2.56 or above when used without the --live-migration option)
    #[arg(long, value_name = "hostname")]
    host: Option<String>,
    /// Perform a shared live migration (default before --os-compute-api-version 2.25, auto after)
    #[arg(long = "shared-migration", overrides_with = "block_migration")]
    shared_migration: bool,
    /// Perform a block live migration (auto-configured from --os-compute-api-version 2.25)
    #[arg(long = "block-migration", overrides_with = "shared_migration")]
    block_migration: bool,
    /// Allow disk over-commit on the destination host (supported with --os-compute-api-version 2.24 or below)
    #[arg(long = "disk-overcommit", overrides_with = "no_disk_overcommit")]
    disk_overcommit: bool,
    /// Do not over-commit disk on the destination host (default) (supported with --os-compute-api-version 2.24 or below)
    #[arg(long = "no-disk-overcommit", overrides_with = "disk_overcommit")]
    no_disk_overcommit: bool,
    /// Wait for migrate to complete
    #[arg(long)]
    wait: bool,
}

impl Command for MigrateServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = find_id(s, &self.server, false)?;
        if self.live_migration {
            let mut body = serde_json::Map::new();
            let v225 = common::supports(s, "2.25")?;
            let block: Value = if self.block_migration {
                json!(true)
            } else if self.shared_migration || !v225 {
                json!(false)
            } else {
                json!("auto")
            };
            body.insert("block_migration".into(), block);
            if let Some(h) = &self.host {
                common::require(s, "2.30", "the --host option with --live-migration")?;
                body.insert("host".into(), json!(h));
            } else {
                body.insert("host".into(), Value::Null);
            }
            if v225 {
                if self.disk_overcommit {
                    return Err(Error::cmd("--disk-overcommit is only supported with --os-compute-api-version 2.24 or below"));
                }
            } else {
                body.insert("disk_over_commit".into(), json!(self.disk_overcommit));
            }
            if common::supports(s, "2.30")? && self.host.is_some() {
                body.insert("force".into(), json!(false));
            }
            action(s, &id, json!({"os-migrateLive": body}))?;
        } else {
            if self.block_migration || self.disk_overcommit {
                return Err(Error::cmd("--live-migration must be specified if --block-migration or --disk-overcommit is specified"));
            }
            let body = match &self.host {
                Some(h) => {
                    common::require(s, "2.56", "the --host option without --live-migration")?;
                    json!({"migrate": {"host": h}})
                }
                None => json!({"migrate": null}),
            };
            action(s, &id, body)?;
        }
        if self.wait {
            wait(s, &id, &["ACTIVE", "VERIFY_RESIZE"], "migrating")?;
        }
        Ok(Output::None)
    }
}
