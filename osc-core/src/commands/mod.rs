//! The commands osc-core provides itself: tokens, the catalog, configuration, versions,
//! and introspection of the command set.

mod catalog;
mod cli;
mod configuration;
mod token;
mod versions;

use crate::registry::Registry;
use osc_output::Kind;

/// Registers the core's commands (Layer 1, with Identity).
pub fn register(reg: &mut Registry) {
    let mut m = reg.module("osc-core", "identity", 1);
    m.add::<token::IssueToken>("token issue", Kind::Show, "Issue new token")
        .add::<token::RevokeToken>("token revoke", Kind::Plain, "Revoke existing token")
        .add::<catalog::ListCatalog>(
            "catalog list",
            Kind::List,
            "List services in the service catalog",
        )
        .add::<catalog::ShowCatalog>(
            "catalog show",
            Kind::Show,
            "Display service catalog details",
        )
        .group("common")
        .add::<configuration::ShowConfiguration>(
            "configuration show",
            Kind::Show,
            "Display configuration details",
        )
        .add::<versions::ShowVersions>(
            "versions show",
            Kind::List,
            "Show available versions of services",
        )
        .add::<token::DeleteCloudCache>(
            "cloud cache delete",
            Kind::Plain,
            "Delete the authentication cached for a cloud",
        )
        .group("cli")
        .add::<cli::ListCommand>(
            "command list",
            Kind::List,
            "List recognized commands by group",
        )
        .add::<cli::ListModule>("module list", Kind::Show, "List module versions")
        .add::<cli::Complete>("complete", Kind::Plain, "print bash completion command");
}
