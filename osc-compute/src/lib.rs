//! osc-compute
