//! osc-identity
