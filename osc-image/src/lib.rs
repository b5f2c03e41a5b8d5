//! osc-image
