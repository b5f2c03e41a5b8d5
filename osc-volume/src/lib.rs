//! osc-volume
