//! Loading a vetted plugin: by absolute path, from the main thread, once per process, and
//! never unloaded (dlclose with Rust thread-local destructors crashes or leaks).

use osc_plugin_abi::{self as abi, EntryV1, OscPlugin};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

thread_local! {
    static LOADED: RefCell<HashMap<PathBuf, &'static OscPlugin>> = RefCell::new(HashMap::new());
}

/// The plugin's function table, loading the library on first use. The caller has vetted
/// the file's bytes in this process (panic strategy, ABI, entry symbol: see
/// [`crate::discover::check`]), since it may have changed after the cached vetting.
pub fn load(path: &Path) -> Result<&'static OscPlugin, String> {
    if let Some(t) = LOADED.with(|l| l.borrow().get(path).copied()) {
        return Ok(t);
    }
    // SAFETY: loading runs the library's initialisers; the file passed vetting (not
    // writable by others, an osc plugin for this ABI, panics unwind).
    let lib = unsafe { libloading::Library::new(path) }.map_err(|e| format!("cannot load: {e}"))?;
    // SAFETY: the symbol has the C signature the ABI defines for this name.
    let entry: EntryV1 = unsafe { lib.get::<EntryV1>(abi::ENTRY_SYMBOL.as_bytes()) }
        .map(|s| *s)
        .map_err(|e| format!("missing entry symbol {}: {e}", abi::ENTRY_SYMBOL))?;
    // Keep the library mapped for the rest of the process.
    std::mem::forget(lib);
    // SAFETY: the entry point takes no arguments and returns a static table (or null).
    let table = unsafe { entry() };
    if table.is_null() {
        return Err("the entry point returned no function table".into());
    }
    // SAFETY: non-null and static for the life of the (never unloaded) library.
    let table: &'static OscPlugin = unsafe { &*table };
    if table.abi_major != abi::ABI_MAJOR {
        return Err(format!(
            "function table is for ABI {}.{}",
            table.abi_major, table.abi_minor
        ));
    }
    if (table.struct_size as usize) < std::mem::size_of::<OscPlugin>() || table.invoke.is_none() {
        return Err("function table too small or without invoke".into());
    }
    LOADED.with(|l| l.borrow_mut().insert(path.to_path_buf(), table));
    Ok(table)
}

/// True when the plugin was loaded in this process (tests: no plugin code for built-ins).
pub fn is_loaded(path: &Path) -> bool {
    LOADED.with(|l| l.borrow().contains_key(path))
}
