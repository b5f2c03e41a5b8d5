//! osc-plugin-host: plugin discovery and loading.

/// Registers the commands of every installed plugin.
pub fn register(_reg: &mut osc_core::Registry) {}
