//! osc-compute: the compute commands of osc (python-openstackclient's `compute` group).

pub mod agent;
pub mod aggregate;
pub mod common;
pub mod console;
pub mod flavor;
pub mod host;
pub mod hypervisor;
pub mod keypair;
pub mod server;
pub mod server_event;
pub mod server_group;
pub mod server_migration;
pub mod service;
pub mod usage;

use osc_core::Kind;

/// Registers this crate's commands.
pub fn register(reg: &mut osc_core::Registry) {
    let mut m = reg.module("osc-compute", "compute", 1);
    m.add::<flavor::CreateFlavor>("flavor create", Kind::Show, "Create new flavor")
        .add::<flavor::DeleteFlavor>("flavor delete", Kind::Plain, "Delete flavor(s)")
        .add::<flavor::ListFlavor>("flavor list", Kind::List, "List flavors")
        .add::<flavor::SetFlavor>("flavor set", Kind::Plain, "Set flavor properties")
        .add::<flavor::ShowFlavor>("flavor show", Kind::Show, "Display flavor details")
        .add::<flavor::UnsetFlavor>("flavor unset", Kind::Plain, "Unset flavor properties");
    m.add::<keypair::CreateKeypair>(
        "keypair create",
        Kind::Show,
        "Create new public or private key for server ssh access",
    )
    .add::<keypair::DeleteKeypair>(
        "keypair delete",
        Kind::Plain,
        "Delete public or private key(s)",
    )
    .add::<keypair::ListKeypair>("keypair list", Kind::List, "List key fingerprints")
    .add::<keypair::ShowKeypair>("keypair show", Kind::Show, "Display key details");
    register_server(&mut m);
    m.add::<aggregate::AddAggregateHost>("aggregate add host", Kind::Show, "Add host to aggregate")
        .add::<aggregate::CacheImageForAggregate>(
            "aggregate cache image",
            Kind::Plain,
            "Request image caching for aggregate",
        )
        .add::<aggregate::CreateAggregate>("aggregate create", Kind::Show, "Create a new aggregate")
        .add::<aggregate::DeleteAggregate>(
            "aggregate delete",
            Kind::Plain,
            "Delete existing aggregate(s)",
        )
        .add::<aggregate::ListAggregate>("aggregate list", Kind::List, "List all aggregates")
        .add::<aggregate::RemoveAggregateHost>(
            "aggregate remove host",
            Kind::Show,
            "Remove host from aggregate",
        )
        .add::<aggregate::SetAggregate>("aggregate set", Kind::Plain, "Set aggregate properties")
        .add::<aggregate::ShowAggregate>("aggregate show", Kind::Show, "Display aggregate details")
        .add::<aggregate::UnsetAggregate>(
            "aggregate unset",
            Kind::Plain,
            "Unset aggregate properties",
        );
    m.add::<agent::CreateAgent>("compute agent create", Kind::Show, "Create compute agent.")
        .add::<agent::DeleteAgent>(
            "compute agent delete",
            Kind::Plain,
            "Delete compute agent(s).",
        )
        .add::<agent::ListAgent>("compute agent list", Kind::List, "List compute agents.")
        .add::<agent::SetAgent>(
            "compute agent set",
            Kind::Plain,
            "Set compute agent properties.",
        );
    m.add::<service::DeleteService>(
        "compute service delete",
        Kind::Plain,
        "Delete compute service(s)",
    )
    .add::<service::ListService>("compute service list", Kind::List, "List compute services.")
    .add::<service::SetService>(
        "compute service set",
        Kind::Plain,
        "Set compute service properties",
    );
    m.add::<host::ListHost>("host list", Kind::List, "DEPRECATED: List hosts")
        .add::<host::SetHost>("host set", Kind::Plain, "DEPRECATED: Set host properties")
        .add::<host::ShowHost>("host show", Kind::List, "DEPRECATED: Display host details");
    m.add::<hypervisor::ListHypervisor>("hypervisor list", Kind::List, "List hypervisors")
        .add::<hypervisor::ShowHypervisor>(
            "hypervisor show",
            Kind::Show,
            "Display hypervisor details",
        )
        .add::<hypervisor::ShowHypervisorStats>(
            "hypervisor stats show",
            Kind::Show,
            "Display hypervisor stats details",
        );
    m.add::<usage::ListUsage>("usage list", Kind::List, "List resource usage per project")
        .add::<usage::ShowUsage>(
            "usage show",
            Kind::Show,
            "Show resource usage for a single project",
        );
}

fn register_server(m: &mut osc_core::registry::Registrar<'_>) {
    use server::actions::{self as a, SimpleAction};
    use std::rc::Rc;
    let simple: &[(&str, &'static a::ActionSpec, &str)] = &[
        ("server start", &a::START, "Start server(s)."),
        ("server stop", &a::STOP, "Stop server(s)."),
        ("server pause", &a::PAUSE, "Pause server(s)"),
        ("server unpause", &a::UNPAUSE, "Unpause server(s)"),
        ("server suspend", &a::SUSPEND, "Suspend server(s)"),
        ("server resume", &a::RESUME, "Resume server(s)"),
        ("server unlock", &a::UNLOCK, "Unlock server(s)"),
        ("server restore", &a::RESTORE, "Restore server(s)"),
        (
            "server unrescue",
            &a::UNRESCUE,
            "Restore server from rescue mode",
        ),
        (
            "server resize confirm",
            &a::CONFIRM_RESIZE,
            "Confirm server resize.",
        ),
        (
            "server resize revert",
            &a::REVERT_RESIZE,
            "Revert server resize.",
        ),
        (
            "server migrate confirm",
            &a::CONFIRM_RESIZE,
            "Confirm server migration.",
        ),
        (
            "server migrate revert",
            &a::REVERT_RESIZE,
            "Revert server migration.",
        ),
        (
            "server migration confirm",
            &a::CONFIRM_RESIZE,
            "Confirm server migration.",
        ),
        (
            "server migration revert",
            &a::REVERT_RESIZE,
            "Revert server migration.",
        ),
        (
            "server dump create",
            &a::DUMP,
            "Create a dump file in server(s)",
        ),
    ];
    for (name, spec, about) in simple {
        m.add_impl(name, Kind::Plain, about, Rc::new(SimpleAction(spec)));
    }
    m.add::<server::create::CreateServer>("server create", Kind::Show, "Create a new server")
        .add::<server::DeleteServer>("server delete", Kind::Plain, "Delete server(s)")
        .add::<server::list::ListServer>("server list", Kind::List, "List servers")
        .add::<server::ShowServer>("server show", Kind::Show, "Show server details.")
        .add::<a::RebootServer>(
            "server reboot",
            Kind::Plain,
            "Perform a hard or soft server reboot",
        )
        .add::<a::LockServer>("server lock", Kind::Plain, "Lock server(s)")
        .add::<a::ShelveServer>(
            "server shelve",
            Kind::Plain,
            "Shelve and optionally offload server(s).",
        )
        .add::<a::UnshelveServer>("server unshelve", Kind::Plain, "Unshelve server(s)")
        .add::<a::RescueServer>("server rescue", Kind::Plain, "Put server in rescue mode")
        .add::<a::ResizeServer>(
            "server resize",
            Kind::Plain,
            "Scale server to a new flavor.",
        )
        .add::<a::MigrateServer>(
            "server migrate",
            Kind::Plain,
            "Migrate server to different host.",
        );
    use server::{attach as at, manage as mg, misc as mi};
    m.add::<mg::SetServer>("server set", Kind::Plain, "Set server properties")
        .add::<mg::UnsetServer>(
            "server unset",
            Kind::Plain,
            "Unset server properties and tags",
        )
        .add::<mg::RebuildServer>("server rebuild", Kind::Show, "Rebuild server")
        .add::<mg::EvacuateServer>(
            "server evacuate",
            Kind::Show,
            "Evacuate a server to a different host.",
        )
        .add::<at::AddFixedIp>(
            "server add fixed ip",
            Kind::Show,
            "Add fixed IP address to server",
        )
        .add::<at::RemoveFixedIp>(
            "server remove fixed ip",
            Kind::Plain,
            "Remove fixed IP address from server",
        )
        .add::<at::AddFloatingIp>(
            "server add floating ip",
            Kind::Plain,
            "Add floating IP address to server",
        )
        .add::<at::RemoveFloatingIp>(
            "server remove floating ip",
            Kind::Plain,
            "Remove floating IP address from server",
        )
        .add::<at::AddPort>("server add port", Kind::Plain, "Add port to server")
        .add::<at::RemovePort>("server remove port", Kind::Plain, "Remove port from server")
        .add::<at::AddNetwork>("server add network", Kind::Plain, "Add network to server")
        .add::<at::RemoveNetwork>(
            "server remove network",
            Kind::Plain,
            "Remove all ports of a network from server",
        )
        .add::<at::AddSecurityGroup>(
            "server add security group",
            Kind::Plain,
            "Add security group(s) to server",
        )
        .add::<at::RemoveSecurityGroup>(
            "server remove security group",
            Kind::Plain,
            "Remove security group from server",
        )
        .add::<at::AddVolume>("server add volume", Kind::Show, "Add volume to server.")
        .add::<at::RemoveVolume>(
            "server remove volume",
            Kind::Plain,
            "Remove volume from server.",
        )
        .add::<at::ListServerVolume>(
            "server volume list",
            Kind::List,
            "List all the volumes attached to a server.",
        )
        .add::<at::SetServerVolume>(
            "server volume set",
            Kind::Plain,
            "Update a volume attachment on the server.",
        )
        .add::<at::SetServerVolume>(
            "server volume update",
            Kind::Plain,
            "DEPRECATED: Use 'server volume set' instead.",
        )
        .add::<at::AddServerShare>("server add share", Kind::Show, "Add a share to a server.")
        .add::<at::RemoveServerShare>(
            "server remove share",
            Kind::Plain,
            "Remove a share from a server.",
        )
        .add::<at::ListServerShare>(
            "server share list",
            Kind::List,
            "List all the shares attached to a server.",
        )
        .add::<at::ShowServerShare>(
            "server share show",
            Kind::Show,
            "Show detail of a share attachment to a server.",
        )
        .add::<mi::CreateServerBackup>(
            "server backup create",
            Kind::Show,
            "Create a server backup image",
        )
        .add::<mi::CreateServerImage>(
            "server image create",
            Kind::Show,
            "Create a new server disk image from an existing server",
        )
        .add::<mi::SshServer>("server ssh", Kind::Plain, "SSH to server")
        .add::<console::ShowConsoleLog>(
            "console log show",
            Kind::Plain,
            "Show server's console output",
        )
        .add::<console::ShowConsoleUrl>(
            "console url show",
            Kind::Show,
            "Show server's remote console URL",
        )
        .add::<server_group::CreateServerGroup>(
            "server group create",
            Kind::Show,
            "Create a new server group.",
        )
        .add::<server_group::DeleteServerGroup>(
            "server group delete",
            Kind::Plain,
            "Delete existing server group(s).",
        )
        .add::<server_group::ListServerGroup>(
            "server group list",
            Kind::List,
            "List all server groups.",
        )
        .add::<server_group::ShowServerGroup>(
            "server group show",
            Kind::Show,
            "Display server group details.",
        )
        .add::<server_event::ListServerEvent>(
            "server event list",
            Kind::List,
            "List recent events of a server.",
        )
        .add::<server_event::ShowServerEvent>(
            "server event show",
            Kind::Show,
            "Show server event details.",
        )
        .add::<server_migration::ListMigration>(
            "server migration list",
            Kind::List,
            "List server migrations",
        )
        .add::<server_migration::ShowMigration>(
            "server migration show",
            Kind::Show,
            "Show an in-progress live migration for a given server",
        )
        .add::<server_migration::AbortMigration>(
            "server migration abort",
            Kind::Plain,
            "Cancel an ongoing live migration.",
        )
        .add::<server_migration::ForceCompleteMigration>(
            "server migration force complete",
            Kind::Plain,
            "Force an ongoing live migration to complete.",
        )
        .add::<console::ShowConsoleConnection>(
            "console connection show",
            Kind::Show,
            "Show server's remote console connection information",
        );
}
