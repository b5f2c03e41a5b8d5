//! osc-compute: the compute commands of osc (python-openstackclient's `compute` group).

pub mod common;
pub mod flavor;
pub mod keypair;
pub mod server;

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
    m.add::<keypair::CreateKeypair>("keypair create", Kind::Show, "Create new public or private key for server ssh access")
        .add::<keypair::DeleteKeypair>("keypair delete", Kind::Plain, "Delete public or private key(s)")
        .add::<keypair::ListKeypair>("keypair list", Kind::List, "List key fingerprints")
        .add::<keypair::ShowKeypair>("keypair show", Kind::Show, "Display key details");
    register_server(&mut m);
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
        ("server unrescue", &a::UNRESCUE, "Restore server from rescue mode"),
        ("server resize confirm", &a::CONFIRM_RESIZE, "Confirm server resize."),
        ("server resize revert", &a::REVERT_RESIZE, "Revert server resize."),
        ("server migrate confirm", &a::CONFIRM_RESIZE, "Confirm server migration."),
        ("server migrate revert", &a::REVERT_RESIZE, "Revert server migration."),
        ("server migration confirm", &a::CONFIRM_RESIZE, "Confirm server migration."),
        ("server migration revert", &a::REVERT_RESIZE, "Revert server migration."),
        ("server dump create", &a::DUMP, "Create a dump file in server(s)"),
    ];
    for (name, spec, about) in simple {
        m.add_impl(name, Kind::Plain, about, Rc::new(SimpleAction(spec)));
    }
    m.add::<server::create::CreateServer>("server create", Kind::Show, "Create a new server")
        .add::<server::DeleteServer>("server delete", Kind::Plain, "Delete server(s)")
        .add::<server::list::ListServer>("server list", Kind::List, "List servers")
        .add::<server::ShowServer>("server show", Kind::Show, "Show server details.")
        .add::<a::RebootServer>("server reboot", Kind::Plain, "Perform a hard or soft server reboot")
        .add::<a::LockServer>("server lock", Kind::Plain, "Lock server(s)")
        .add::<a::ShelveServer>("server shelve", Kind::Plain, "Shelve and optionally offload server(s).")
        .add::<a::UnshelveServer>("server unshelve", Kind::Plain, "Unshelve server(s)")
        .add::<a::RescueServer>("server rescue", Kind::Plain, "Put server in rescue mode")
        .add::<a::ResizeServer>("server resize", Kind::Plain, "Scale server to a new flavor.")
        .add::<a::MigrateServer>("server migrate", Kind::Plain, "Migrate server to different host.");
}
