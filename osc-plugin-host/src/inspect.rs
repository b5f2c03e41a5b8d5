//! Reads a plugin's manifest and build info straight from the shared-library file (ELF,
//! Mach-O or PE), without loading it: loading runs the library's initialisers, and
//! listing or `--help` must never run plugin code.

use memmap2::Mmap;
use object::{Object, ObjectSection, ObjectSymbol};
use osc_plugin_abi::{self as abi, OscBuildInfo};
use std::path::Path;

/// What the file says about itself.
#[derive(Debug)]
pub struct Inspection {
    pub manifest: Vec<u8>,
    pub build_info: Option<OscBuildInfo>,
    /// `osc_plugin_entry_v<N>` symbols present (the ABI majors the plugin implements).
    pub entry_majors: Vec<u16>,
}

/// Inspects a plugin file; the error is one line.
pub fn inspect(path: &Path) -> Result<Inspection, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    // SAFETY: the map is read-only and dropped before we return; a concurrent writer could
    // change the bytes under us, which at worst yields a parse error.
    let map = unsafe { Mmap::map(&file) }.map_err(|e| format!("cannot map: {e}"))?;
    let obj = object::File::parse(&*map).map_err(|e| format!("not a shared library: {e}"))?;
    let macho = matches!(obj.format(), object::BinaryFormat::MachO);
    let mut manifest = None;
    let mut build_info = None;
    let mut entry_majors = Vec::new();
    // Stripped libraries only keep their dynamic symbols; look there first, and in the
    // (much longer) full table only for what is still missing.
    let dynamic: Vec<_> = obj.dynamic_symbols().collect();
    let found_in = |syms: &[object::Symbol<'_, '_>], name: &str| {
        syms.iter().any(|s| {
            s.name().is_ok_and(|n| {
                (if macho {
                    n.strip_prefix('_').unwrap_or(n)
                } else {
                    n
                }) == name
            })
        })
    };
    let complete =
        found_in(&dynamic, abi::MANIFEST_SYMBOL) && found_in(&dynamic, abi::BUILD_INFO_SYMBOL);
    let full: Vec<_> = if complete {
        Vec::new()
    } else {
        obj.symbols().collect()
    };
    for sym in dynamic.into_iter().chain(full) {
        let Ok(name) = sym.name() else { continue };
        let name = if macho {
            name.strip_prefix('_').unwrap_or(name)
        } else {
            name
        };
        if let Some(v) = name.strip_prefix("osc_plugin_entry_v") {
            if let Ok(major) = v.parse::<u16>() {
                if !entry_majors.contains(&major) && sym.is_definition() {
                    entry_majors.push(major);
                }
            }
            continue;
        }
        let want_manifest = name == abi::MANIFEST_SYMBOL && manifest.is_none();
        let want_info = name == abi::BUILD_INFO_SYMBOL && build_info.is_none();
        if !want_manifest && !want_info {
            continue;
        }
        let data = symbol_data(&obj, &sym)
            .ok_or_else(|| format!("cannot read the data of symbol {name}"))?;
        if want_manifest {
            manifest = Some(data.to_vec());
        } else {
            build_info = OscBuildInfo::parse(data, obj.is_little_endian());
        }
    }
    let manifest = manifest
        .ok_or_else(|| format!("no {} symbol (not an osc plugin)", abi::MANIFEST_SYMBOL))?;
    Ok(Inspection {
        manifest,
        build_info,
        entry_majors,
    })
}

fn symbol_data<'d>(obj: &object::File<'d>, sym: &object::Symbol<'d, '_>) -> Option<&'d [u8]> {
    let section = obj.section_by_index(sym.section_index()?).ok()?;
    let size = if sym.size() > 0 {
        sym.size()
    } else {
        // Mach-O symbols carry no size: the data runs to the end of the section at most.
        section.address() + section.size() - sym.address()
    };
    section.data_range(sym.address(), size).ok().flatten()
}
