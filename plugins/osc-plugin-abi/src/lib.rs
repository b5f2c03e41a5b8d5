//! The osc plugin ABI.
