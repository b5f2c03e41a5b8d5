//! osc-common: commands that span services — quotas, limits, availability zones,
//! extensions and project cleanup (OSC's `openstackclient/common`).

pub mod availability_zone;
pub mod extension;
pub mod limits;
pub mod project_cleanup;
pub mod quota;
mod util;

use osc_core::Kind;

/// Registers this crate's commands.
pub fn register(reg: &mut osc_core::Registry) {
    let mut m = reg.module("osc-common", "common", 1);
    m.add::<availability_zone::ListAvailabilityZone>(
        "availability zone list",
        Kind::List,
        "List availability zones and their status",
    )
    .add::<extension::ListExtension>("extension list", Kind::List, "List API extensions")
    .add::<extension::ShowExtension>("extension show", Kind::Show, "Show API extension")
    .add::<limits::ShowLimits>(
        "limits show",
        Kind::List,
        "Show compute and block storage limits",
    )
    .add::<quota::ListQuota>(
        "quota list",
        Kind::List,
        "List quotas for all projects with non-default quota values.",
    )
    .add::<quota::ShowQuota>("quota show", Kind::List, "Show quotas for project or class")
    .add::<quota::SetQuota>("quota set", Kind::Plain, "Set quotas for project or class")
    .add::<quota::DeleteQuota>(
        "quota delete",
        Kind::Plain,
        "Delete configured quota for a project and revert to defaults.",
    )
    .add::<project_cleanup::ProjectCleanup>(
        "project cleanup",
        Kind::Plain,
        "Clean resources associated with a project",
    );
}
