//! osc-common: commands that span services (quotas, limits, availability zones...).

/// Registers this crate's commands.
pub fn register(_reg: &mut osc_core::Registry) {}
