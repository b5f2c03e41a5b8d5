//! The C example plugin (`hello.c`), linked in: its entry point and manifest, for tests
//! that drive it through `osc_plugin_sdk::testing::FakeHost` exactly as osc would.

use osc_plugin_sdk::abi::OscPlugin;
use std::os::raw::c_char;

extern "C" {
    #[link_name = "osc_plugin_entry_v1"]
    fn c_entry() -> *const OscPlugin;
    #[link_name = "osc_plugin_manifest"]
    static C_MANIFEST: [c_char; 0];
}

/// The C plugin's `osc_plugin_entry_v1`.
pub extern "C" fn entry() -> *const OscPlugin {
    // SAFETY: the C function takes nothing and returns its static table.
    unsafe { c_entry() }
}

/// The C plugin's `osc_plugin_manifest` bytes (up to its NUL).
pub fn manifest() -> &'static [u8] {
    // SAFETY: a NUL-terminated static C string.
    unsafe { std::ffi::CStr::from_ptr(std::ptr::addr_of!(C_MANIFEST).cast::<c_char>()) }.to_bytes()
}
