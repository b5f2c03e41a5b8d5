//! The osc plugin SDK.
