//! osc's command set: every built-in crate's commands in layer order, then the plugins'.
//! The binary runs it; tests walk it (every registered command's parser).

/// Every command, built-ins in layer order, then plugins.
pub fn registry() -> osc_core::Registry {
    let mut registry = osc_core::Registry::new();
    // Layer order: Identity, Image, Compute (Layer 1), then Volume (Layer 2).
    osc_core::commands::register(&mut registry);
    osc_identity::register(&mut registry);
    osc_image::register(&mut registry);
    osc_compute::register(&mut registry);
    osc_volume::register(&mut registry);
    // Cross-service commands (quota, limits, availability zone...), Layer 1 like OSC's common group.
    osc_common::register(&mut registry);
    // Plugins last: the layer rule decides conflicts, not registration order.
    osc_plugin_host::register(&mut registry);
    registry
}
