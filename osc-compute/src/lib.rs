//! osc-compute: the compute commands of osc (python-openstackclient's `compute` group).

pub mod common;
pub mod flavor;
pub mod keypair;

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
}
