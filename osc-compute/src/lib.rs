//! osc-compute: the compute commands of osc.

/// Registers this crate's commands.
pub fn register(_reg: &mut osc_core::Registry) {}
