//! `block storage cluster list/set/show` (3.7+).

use crate::common::*;
use osc_core::resource::Resource;
use osc_core::resource::ResourceRequest;
use osc_core::{Cell, Context, Error, Method, Output, Record, Result, Session, Table};
use serde_json::{json, Value};

/// openstacksdk's cluster class is capped at 3.26.
const CLUSTERS: Resource =
    Resource::new(BS, "/clusters", "cluster", "clusters").max_microversion("3.26");

fn need(s: &Session, cmd: &str) -> Result<()> {
    require(
        s,
        "3.7",
        &format!("to support the 'block storage cluster {cmd}' command"),
    )
}

const DETAIL: &[(&str, &str)] = &[
    ("Name", "name"),
    ("Binary", "binary"),
    ("State", "state"),
    ("Status", "status"),
    ("Disabled Reason", "disabled_reason"),
    ("Hosts", "num_hosts"),
    ("Down Hosts", "num_down_hosts"),
    ("Last Heartbeat", "last_heartbeat"),
    ("Created At", "created_at"),
    ("Updated At", "updated_at"),
    ("Replication Status", "replication_status"),
    ("Frozen", "frozen"),
    ("Active Backend ID", "active_backend_id"),
];

fn format_cluster(c: &Value) -> Record {
    Record {
        fields: DETAIL
            .iter()
            .map(|(h, k)| (h.to_string(), Cell::raw(c[*k].clone())))
            .collect(),
    }
}

/// List block storage clusters.
///
/// This command requires ``--os-volume-api-version`` 3.7 or greater.
#[derive(clap::Args)]
pub struct ListBlockStorageCluster {
    /// Filter by cluster name, without backend will list all clustered services from the
    /// same cluster.
    #[arg(long, value_name = "name")]
    cluster: Option<String>,
    /// Cluster binary.
    #[arg(long, value_name = "binary")]
    binary: Option<String>,
    /// Filter by up status.
    #[arg(long, conflicts_with = "down")]
    up: bool,
    /// Filter by down status.
    #[arg(long)]
    down: bool,
    /// Filter by disabled status.
    #[arg(long, conflicts_with = "enabled")]
    disabled: bool,
    /// Filter by enabled status.
    #[arg(long)]
    enabled: bool,
    /// Filter by number of hosts in the cluster.
    #[arg(long, value_name = "hosts")]
    num_hosts: Option<i64>,
    /// Filter by number of hosts that are down.
    #[arg(long, value_name = "hosts")]
    num_down_hosts: Option<i64>,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
}

impl osc_core::Command for ListBlockStorageCluster {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "list")?;
        let mut query = Vec::new();
        q(&mut query, "name", self.cluster.as_ref());
        q(&mut query, "binary", self.binary.as_ref());
        if self.up || self.down {
            query.push(("is_up".into(), crate::volume::py_bool(self.up).into()));
        }
        if self.disabled || self.enabled {
            query.push((
                "disabled".into(),
                crate::volume::py_bool(self.disabled).into(),
            ));
        }
        q(&mut query, "num_hosts", self.num_hosts);
        q(&mut query, "num_down_hosts", self.num_down_hosts);
        let path = if self.long {
            "/clusters/detail"
        } else {
            "/clusters"
        };
        let body = s.json(CLUSTERS.request(s, Method::GET, path)?.queries(&query))?;
        let mut cols = vec![
            ("Name", "name"),
            ("Binary", "binary"),
            ("State", "state"),
            ("Status", "status"),
        ];
        if self.long {
            cols.extend([
                ("Num Hosts", "num_hosts"),
                ("Num Down Hosts", "num_down_hosts"),
                ("Last Heartbeat", "last_heartbeat"),
                ("Disabled Reason", "disabled_reason"),
                ("Created At", "created_at"),
                ("Updated At", "updated_at"),
            ]);
        }
        let mut t = Table::new(cols.iter().map(|c| c.0));
        for c in body["clusters"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            t.rows
                .push(cols.iter().map(|(_, k)| Cell::raw(c[*k].clone())).collect());
        }
        Ok(Output::List(t))
    }
}

/// Set block storage cluster properties.
///
/// This command requires ``--os-volume-api-version`` 3.7 or greater.
#[derive(clap::Args)]
pub struct SetBlockStorageCluster {
    /// Name of block storage cluster to update (name only)
    #[arg(value_name = "cluster")]
    cluster: String,
    /// Name of binary to filter by; defaults to 'cinder-volume' (optional)
    #[arg(long, value_name = "binary", default_value = "cinder-volume")]
    binary: String,
    /// Enable cluster
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable cluster
    #[arg(long)]
    disable: bool,
    /// Reason for disabling the cluster (should be used with --disable option)
    #[arg(long, value_name = "reason")]
    disable_reason: Option<String>,
}

impl osc_core::Command for SetBlockStorageCluster {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "set")?;
        if self.disable_reason.is_some() && !self.disable {
            return Err(Error::cmd(
                "Cannot specify --disable-reason without --disable",
            ));
        }
        let (path, body) = if self.disable {
            (
                "/clusters/disable",
                json!({"name": self.cluster, "binary": self.binary, "disabled_reason": self.disable_reason}),
            )
        } else {
            (
                "/clusters/enable",
                json!({"name": self.cluster, "binary": self.binary}),
            )
        };
        // OSC formats the answer but, being a plain command, prints nothing.
        s.json(CLUSTERS.request(s, Method::PUT, path)?.json(body))?;
        Ok(Output::None)
    }
}

/// Show detailed information for a block storage cluster.
///
/// This command requires ``--os-volume-api-version`` 3.7 or greater.
#[derive(clap::Args)]
pub struct ShowBlockStorageCluster {
    /// Name of block storage cluster.
    #[arg(value_name = "cluster")]
    cluster: String,
    /// Service binary.
    #[arg(long, value_name = "binary")]
    binary: Option<String>,
}

impl osc_core::Command for ShowBlockStorageCluster {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "show")?;
        let path = format!(
            "/clusters/{}",
            osc_core::resource::encode_segment(&self.cluster)
        );
        let mut req = CLUSTERS.request(s, Method::GET, path)?;
        if let Some(b) = &self.binary {
            req = req.query("binary", b);
        }
        let r = s.json(req)?;
        Ok(Output::Show(format_cluster(r.get("cluster").unwrap_or(&r))))
    }
}
