//! `block storage volume manageable list` and `block storage snapshot manageable list`
//! (3.8+): backend volumes and snapshots Cinder could take over.

use crate::common::*;
use osc_core::resource::Resource;
use osc_core::resource::ResourceRequest;
use osc_core::{Cell, Context, Error, Method, Output, Result, Table};

/// OSC's manageable listings need 3.17 at most.
const MANAGEABLE: Resource = Resource::new(BS, "", "", "").max_microversion("3.17");

/// The options both listings share.
#[derive(clap::Args)]
pub struct ManageableOpts {
    /// Cinder host on which to list manageable resources. Takes the form:
    /// host@backend-name#pool
    #[arg(value_name = "host", conflicts_with = "cluster")]
    host: Option<String>,
    /// Cinder cluster on which to list manageable resources. Takes the form:
    /// cluster@backend-name#pool. (supported by --os-volume-api-version 3.17 or later)
    #[arg(long, value_name = "cluster")]
    cluster: Option<String>,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
    #[arg(long, value_name = "detailed", hide = true)]
    detailed: Option<String>,
    /// Begin returning resources that appear later in the list than that represented by
    /// this reference. This reference should be json like. Default=None.
    #[arg(long, value_name = "marker")]
    marker: Option<String>,
    /// Maximum number of resources to return. Default=None.
    #[arg(long, value_name = "limit")]
    limit: Option<String>,
    /// Number of resources to skip after marker. Default=None.
    #[arg(long, value_name = "offset")]
    offset: Option<String>,
    /// Comma-separated list of sort keys and directions in the form of <key>[:<asc|desc>].
    /// Valid keys: size, reference. Default=None.
    #[arg(long, value_name = "key>[:<direction>")]
    sort: Option<String>,
}

fn list(
    ctx: &Context,
    o: &ManageableOpts,
    what: &str,
    path: &str,
    key: &str,
    extra_cols: &[&str],
) -> Result<Output> {
    let cmd = format!("block storage {what} manageable list");
    if o.host.is_none() && o.cluster.is_none() {
        return Err(Error::cmd(format!("Either <host> or '--cluster <cluster>' needs to be provided to run the '{cmd}' command")));
    }
    let s = ctx.session()?;
    require(s, "3.8", &format!("to support the '{cmd}' command"))?;
    if o.cluster.is_some() {
        require(s, "3.17", "to support the '--cluster' option")?;
    }
    let mut detailed = o.long;
    if let Some(d) = &o.detailed {
        detailed = ["1", "t", "true", "on", "y", "yes"].contains(&d.trim().to_lowercase().as_str());
        osc_core::log::warn(if detailed {
            "The --detailed option has been deprecated. Use --long instead."
        } else {
            "The --detailed option has been deprecated. Unset it."
        });
    }
    let mut cols = vec!["reference", "size", "safe_to_manage"];
    cols.extend(extra_cols);
    if detailed {
        cols.extend(["reason_not_safe", "cinder_id", "extra_info"]);
    }
    let mut query = Vec::new();
    q(&mut query, "host", o.host.as_ref());
    q(&mut query, "cluster", o.cluster.as_ref());
    q(&mut query, "marker", o.marker.as_ref());
    q(&mut query, "limit", o.limit.as_ref());
    q(&mut query, "offset", o.offset.as_ref());
    q(&mut query, "sort", o.sort.as_ref());
    let path = if detailed {
        format!("{path}/detail")
    } else {
        path.to_string()
    };
    let body = s.json(MANAGEABLE.request(s, Method::GET, path)?.queries(&query))?;
    let mut t = Table::new(cols.clone());
    for v in body[key].as_array().map(Vec::as_slice).unwrap_or(&[]) {
        t.rows
            .push(cols.iter().map(|k| Cell::raw(v[*k].clone())).collect());
    }
    Ok(Output::List(t))
}

/// List manageable volumes.
///
/// Supported by --os-volume-api-version 3.8 or greater.
#[derive(clap::Args)]
pub struct BlockStorageManageVolumes {
    #[command(flatten)]
    opts: ManageableOpts,
}

impl osc_core::Command for BlockStorageManageVolumes {
    fn run(self, ctx: &Context) -> Result<Output> {
        list(
            ctx,
            &self.opts,
            "volume",
            "/manageable_volumes",
            "manageable-volumes",
            &[],
        )
    }
}

/// List manageable snapshots.
///
/// Supported by --os-volume-api-version 3.8 or greater.
#[derive(clap::Args)]
pub struct BlockStorageManageSnapshots {
    #[command(flatten)]
    opts: ManageableOpts,
}

impl osc_core::Command for BlockStorageManageSnapshots {
    fn run(self, ctx: &Context) -> Result<Output> {
        list(
            ctx,
            &self.opts,
            "volume snapshot",
            "/manageable_snapshots",
            "manageable-snapshots",
            &["source_reference"],
        )
    }
}
