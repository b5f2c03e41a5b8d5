//! `volume service list/set`, `volume host failover/set` and `block storage log level
//! list/set`: the `/os-services` API.

use crate::common::*;
use osc_core::resource::Resource;
use osc_core::resource::ResourceRequest;
use osc_core::{Cell, Context, Error, Method, Output, Result, Session, Table};
use serde_json::{json, Map, Value};

/// The `/os-services` class is capped at 3.32 in the SDK.
const SERVICES: Resource =
    Resource::new(BS, "/os-services", "service", "services").max_microversion("3.32");

fn put(s: &Session, path: &str, body: Value) -> Result<Value> {
    let resp = s.send(SERVICES.request(s, Method::PUT, path)?.json(body))?;
    Ok(serde_json::from_str(&resp.text().unwrap_or_default()).unwrap_or(Value::Null))
}

/// List service command
#[derive(clap::Args)]
pub struct ListService {
    /// List services on specified host (name only)
    #[arg(long, value_name = "host")]
    host: Option<String>,
    /// List only specified service (name only)
    #[arg(long, value_name = "service")]
    service: Option<String>,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
}

impl osc_core::Command for ListService {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut query = Vec::new();
        q(&mut query, "host", self.host.as_ref());
        q(&mut query, "binary", self.service.as_ref());
        let body = s.json(
            SERVICES
                .request(s, Method::GET, "/os-services")?
                .queries(&query),
        )?;
        let mut cols: Vec<(&str, &str)> = vec![
            ("Binary", "binary"),
            ("Host", "host"),
            ("Zone", "zone"),
            ("Status", "status"),
            ("State", "state"),
            ("Updated At", "updated_at"),
        ];
        if supports(s, "3.7")? {
            cols.push(("Cluster", "cluster"));
        }
        if supports(s, "3.49")? {
            cols.push(("Backend State", "backend_state"));
        }
        if self.long {
            cols.push(("Disabled Reason", "disabled_reason"));
        }
        let mut t = Table::new(cols.iter().map(|c| c.0));
        for v in body["services"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            t.rows
                .push(cols.iter().map(|(_, k)| Cell::raw(v[*k].clone())).collect());
        }
        Ok(Output::List(t))
    }
}

/// Set volume service properties
#[derive(clap::Args)]
pub struct SetService {
    /// Name of host
    #[arg(value_name = "host")]
    host: String,
    /// Name of service (Binary name)
    #[arg(value_name = "service")]
    service: String,
    /// Enable volume service
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable volume service
    #[arg(long)]
    disable: bool,
    /// Reason for disabling the service (should be used with --disable option)
    #[arg(long, value_name = "reason")]
    disable_reason: Option<String>,
}

impl osc_core::Command for SetService {
    fn run(self, ctx: &Context) -> Result<Output> {
        if self.disable_reason.is_some() && !self.disable {
            return Err(Error::cmd(
                "Cannot specify option --disable-reason without --disable specified.",
            ));
        }
        let s = ctx.session()?;
        // The SDK's find_service: the service with this binary on this host must exist.
        let body = s.json(
            SERVICES
                .request(s, Method::GET, "/os-services")?
                .query("host", &self.host)
                .query("binary", &self.service),
        )?;
        let found = body["services"].as_array().is_some_and(|a| {
            a.iter()
                .any(|v| v["binary"] == json!(self.service) && v["host"] == json!(self.host))
        });
        if !found {
            return Err(Error::NotFound(format!(
                "No Service found for {}",
                self.service
            )));
        }
        if self.enable {
            put(
                s,
                "/os-services/enable",
                json!({"host": self.host, "binary": self.service}),
            )?;
        }
        if self.disable {
            match &self.disable_reason {
                Some(r) => put(
                    s,
                    "/os-services/disable-log-reason",
                    json!({"host": self.host, "binary": self.service, "disabled_reason": r}),
                )?,
                None => put(
                    s,
                    "/os-services/disable",
                    json!({"host": self.host, "binary": self.service}),
                )?,
            };
        }
        Ok(Output::None)
    }
}

/// Failover volume host to different backend
#[derive(clap::Args)]
pub struct FailoverVolumeHost {
    /// Name of volume host
    #[arg(value_name = "host-name")]
    host: String,
    /// The ID of the volume backend replication target where the host will failover to
    /// (required)
    #[arg(long, value_name = "backend-id", required = true)]
    volume_backend: String,
}

impl osc_core::Command for FailoverVolumeHost {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let action = if supports(s, "3.26")? {
            "failover"
        } else {
            "failover_host"
        };
        put(
            s,
            &format!("/os-services/{action}"),
            json!({"host": self.host, "backend_id": self.volume_backend}),
        )?;
        Ok(Output::None)
    }
}

/// Set volume host properties
#[derive(clap::Args)]
pub struct SetVolumeHost {
    /// Name of volume host
    #[arg(value_name = "host-name")]
    host: String,
    /// Freeze and disable the specified volume host
    #[arg(long, conflicts_with = "enable")]
    disable: bool,
    /// Thaw and enable the specified volume host
    #[arg(long)]
    enable: bool,
}

impl osc_core::Command for SetVolumeHost {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        if self.enable {
            put(s, "/os-services/thaw", json!({"host": self.host}))?;
        }
        if self.disable {
            put(s, "/os-services/freeze", json!({"host": self.host}))?;
        }
        Ok(Output::None)
    }
}

const LOG_SERVICES: [&str; 5] = [
    "*",
    "cinder-api",
    "cinder-volume",
    "cinder-scheduler",
    "cinder-backup",
];

fn log_body(
    level: Option<&str>,
    service: &Option<String>,
    host: &Option<String>,
    prefix: &Option<String>,
) -> Value {
    let mut m = Map::new();
    if let Some(l) = level {
        m.insert("level".into(), json!(l));
    }
    // As the SDK sends them: an empty binary means every service, null means any.
    m.insert("binary".into(), json!(service.clone().unwrap_or_default()));
    m.insert("server".into(), json!(host));
    m.insert("prefix".into(), json!(prefix));
    Value::Object(m)
}

/// List log levels of block storage service.
///
/// Supported by --os-volume-api-version 3.32 or greater.
#[derive(clap::Args)]
pub struct BlockStorageLogLevelList {
    /// List block storage service log level of specified host (name only)
    #[arg(long, value_name = "host")]
    host: Option<String>,
    /// List block storage service log level of the specified service (name only)
    #[arg(long, value_name = "service", value_parser = LOG_SERVICES)]
    service: Option<String>,
    /// Prefix for the log, e.g. 'sqlalchemy'
    #[arg(long, value_name = "log-prefix")]
    log_prefix: Option<String>,
}

impl osc_core::Command for BlockStorageLogLevelList {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        require(
            s,
            "3.32",
            "to support the 'block storage log level list' command",
        )?;
        let r = put(
            s,
            "/os-services/get-log",
            log_body(None, &self.service, &self.host, &self.log_prefix),
        )?;
        let mut t = Table::new(["Binary", "Host", "Prefix", "Level"]);
        for e in r["log_levels"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let mut levels: Vec<(&String, &Value)> = e["levels"]
                .as_object()
                .map(|m| m.iter().collect())
                .unwrap_or_default();
            levels.sort_by(|a, b| a.0.cmp(b.0));
            for (prefix, level) in levels {
                t.rows.push(vec![
                    Cell::raw(e["binary"].clone()),
                    Cell::raw(e["host"].clone()),
                    Cell::raw(json!(prefix)),
                    Cell::raw(level.clone()),
                ]);
            }
        }
        Ok(Output::List(t))
    }
}

fn upper_level(v: &str) -> std::result::Result<String, String> {
    let u = v.to_uppercase();
    if ["INFO", "WARNING", "ERROR", "DEBUG"].contains(&u.as_str()) {
        Ok(u)
    } else {
        Err(format!(
            "invalid choice: '{u}' (choose from 'INFO', 'WARNING', 'ERROR', 'DEBUG')"
        ))
    }
}

/// Set log level of block storage service
///
/// Supported by --os-volume-api-version 3.32 or greater.
#[derive(clap::Args)]
pub struct BlockStorageLogLevelSet {
    /// Desired log level
    #[arg(value_name = "log-level", value_parser = upper_level)]
    level: String,
    /// Set block storage service log level of specified host (name only)
    #[arg(long, value_name = "host")]
    host: Option<String>,
    /// Set block storage service log level of specified service (name only)
    #[arg(long, value_name = "service", value_parser = LOG_SERVICES)]
    service: Option<String>,
    /// Prefix for the log, e.g. 'sqlalchemy'
    #[arg(long, value_name = "log-prefix")]
    log_prefix: Option<String>,
}

impl osc_core::Command for BlockStorageLogLevelSet {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        require(
            s,
            "3.32",
            "to support the 'block storage log level set' command",
        )?;
        put(
            s,
            "/os-services/set-log",
            log_body(
                Some(&self.level),
                &self.service,
                &self.host,
                &self.log_prefix,
            ),
        )?;
        Ok(Output::None)
    }
}
