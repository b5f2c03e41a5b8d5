//! The osc plugin ABI, mirrored from `plugins/include/osc_plugin.h` (which is normative).
//! Only `#[repr(C)]` data and `extern "C"` function pointers: nothing here depends on the
//! Rust compiler version, so host and plugin may be built by different compilers (or the
//! plugin in C).
#![allow(non_camel_case_types)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

use std::os::raw::c_void;

pub const ABI_MAJOR: u16 = 1;
pub const ABI_MINOR: u16 = 1;

pub const MANIFEST_SYMBOL: &str = "osc_plugin_manifest";
pub const BUILD_INFO_SYMBOL: &str = "osc_plugin_build_info";
/// The entry point's name carries the ABI major version.
pub const ENTRY_SYMBOL: &str = "osc_plugin_entry_v1";

pub type Status = i32;
pub const OK: Status = 0;
pub const ERROR: Status = 1;
pub const PANIC: Status = 2;
pub const BAD_REQUEST: Status = 3;

pub const LOG_WARN: i32 = 1;
pub const LOG_INFO: i32 = 2;
pub const LOG_DEBUG: i32 = 3;

/// A borrowed byte string, valid during the call only.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct OscStr {
    pub ptr: *const u8,
    pub len: usize,
}

impl OscStr {
    pub fn from_bytes(b: &[u8]) -> Self {
        OscStr {
            ptr: b.as_ptr(),
            len: b.len(),
        }
    }
    /// The bytes; empty for a null pointer.
    ///
    /// # Safety
    /// `ptr` must point to `len` readable bytes for the lifetime chosen by the caller.
    pub unsafe fn as_bytes<'a>(&self) -> &'a [u8] {
        if self.ptr.is_null() || self.len == 0 {
            &[]
        } else {
            // SAFETY: guaranteed by the caller (the ABI's borrowed-view rule).
            unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
        }
    }
}

/// An owned buffer, freed exactly once by its own `release`.
#[repr(C)]
#[derive(Debug)]
pub struct OscBuf {
    pub ptr: *mut u8,
    pub len: usize,
    pub release: Option<unsafe extern "C" fn(buf: *mut OscBuf)>,
    pub owner: *mut c_void,
}

impl OscBuf {
    pub const fn empty() -> Self {
        OscBuf {
            ptr: std::ptr::null_mut(),
            len: 0,
            release: None,
            owner: std::ptr::null_mut(),
        }
    }

    /// Moves a Vec into a buffer whose `release` frees it with this side's allocator.
    pub fn from_vec(v: Vec<u8>) -> Self {
        let boxed: Box<[u8]> = v.into_boxed_slice();
        let len = boxed.len();
        let ptr = Box::into_raw(boxed) as *mut u8;
        OscBuf {
            ptr,
            len,
            release: Some(release_boxed_slice),
            owner: std::ptr::null_mut(),
        }
    }

    /// Copies the bytes out and releases the buffer (through its own `release`).
    ///
    /// # Safety
    /// The buffer must be valid as the ABI describes and not released yet.
    pub unsafe fn take(&mut self) -> Vec<u8> {
        let out = if self.ptr.is_null() {
            Vec::new()
        } else {
            // SAFETY: the owner promised `len` readable bytes at `ptr`.
            unsafe { std::slice::from_raw_parts(self.ptr, self.len) }.to_vec()
        };
        if let Some(release) = self.release.take() {
            // SAFETY: released exactly once, by the function the allocating side chose.
            unsafe { release(self) };
        }
        self.ptr = std::ptr::null_mut();
        self.len = 0;
        out
    }
}

unsafe extern "C" fn release_boxed_slice(buf: *mut OscBuf) {
    if buf.is_null() {
        return;
    }
    // SAFETY: `buf` was filled by `from_vec` on this side; ptr/len describe a Box<[u8]>.
    unsafe {
        let b = &mut *buf;
        if !b.ptr.is_null() {
            drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(
                b.ptr, b.len,
            )));
        }
        b.ptr = std::ptr::null_mut();
        b.len = 0;
        b.release = None;
    }
}

/// A streamed request body supplied by the plugin.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct OscReader {
    pub state: *mut c_void,
    pub read: Option<unsafe extern "C" fn(state: *mut c_void, buf: *mut u8, cap: usize) -> i64>,
}

/// Plain data read from the plugin file before loading.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OscBuildInfo {
    pub struct_size: u32,
    pub abi_major: u16,
    pub abi_minor: u16,
    /// 1 when a panic would abort the process (Rust `panic = "abort"`): refused.
    pub panic_aborts: u8,
    pub reserved: [u8; 7],
}

pub const BUILD_INFO_SIZE: usize = std::mem::size_of::<OscBuildInfo>();

impl OscBuildInfo {
    /// Decodes the struct from the bytes of the data symbol (`little` = file endianness).
    pub fn parse(bytes: &[u8], little: bool) -> Option<Self> {
        if bytes.len() < 9 {
            return None;
        }
        let u32_ = |b: [u8; 4]| {
            if little {
                u32::from_le_bytes(b)
            } else {
                u32::from_be_bytes(b)
            }
        };
        let u16_ = |b: [u8; 2]| {
            if little {
                u16::from_le_bytes(b)
            } else {
                u16::from_be_bytes(b)
            }
        };
        Some(OscBuildInfo {
            struct_size: u32_([bytes[0], bytes[1], bytes[2], bytes[3]]),
            abi_major: u16_([bytes[4], bytes[5]]),
            abi_minor: u16_([bytes[6], bytes[7]]),
            panic_aborts: bytes[8],
            reserved: [0; 7],
        })
    }
}

/// The host's callbacks for one invocation.
#[repr(C)]
pub struct OscHost {
    pub struct_size: u32,
    pub abi_major: u16,
    pub abi_minor: u16,
    pub ctx: *mut c_void,
    pub http: Option<
        unsafe extern "C" fn(
            ctx: *mut c_void,
            request: OscStr,
            body: *const OscReader,
            response: *mut OscBuf,
        ) -> Status,
    >,
    pub body_read: Option<
        unsafe extern "C" fn(ctx: *mut c_void, handle: u64, buf: *mut u8, cap: usize) -> i64,
    >,
    pub body_close: Option<unsafe extern "C" fn(ctx: *mut c_void, handle: u64)>,
    pub log: Option<unsafe extern "C" fn(ctx: *mut c_void, level: i32, message: OscStr)>,
    pub progress:
        Option<unsafe extern "C" fn(ctx: *mut c_void, label: OscStr, done: u64, total: u64)>,
    /// ABI 1.1 (check `struct_size`): lets up to `workers` threads of the plugin call the
    /// callbacks above at once, until `end_concurrent`; returns how many may (0: only the
    /// invoking thread, as in 1.0). Both are called from the invoking thread.
    pub begin_concurrent: Option<unsafe extern "C" fn(ctx: *mut c_void, workers: u32) -> u32>,
    pub end_concurrent: Option<unsafe extern "C" fn(ctx: *mut c_void)>,
}

impl OscHost {
    /// The size of the 1.0 table: a host that reports it has no 1.1 fields.
    pub const SIZE_1_0: u32 = 56;
    /// True when the host's table holds the 1.1 fields.
    pub fn has_1_1(&self) -> bool {
        self.struct_size as usize >= std::mem::size_of::<OscHost>() && self.abi_minor >= 1
    }
}

/// The plugin's function table.
#[repr(C)]
pub struct OscPlugin {
    pub struct_size: u32,
    pub abi_major: u16,
    pub abi_minor: u16,
    pub invoke: Option<
        unsafe extern "C" fn(host: *const OscHost, request: OscStr, result: *mut OscBuf) -> Status,
    >,
}

// SAFETY: the table is immutable static data (function pointers and integers).
unsafe impl Sync for OscPlugin {}

pub type EntryV1 = unsafe extern "C" fn() -> *const OscPlugin;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_match_the_header_on_64_bit() {
        if std::mem::size_of::<usize>() == 8 {
            assert_eq!(std::mem::size_of::<OscStr>(), 16);
            assert_eq!(std::mem::size_of::<OscBuf>(), 32);
            assert_eq!(std::mem::size_of::<OscHost>(), 72);
            assert_eq!(std::mem::size_of::<OscPlugin>(), 16);
        }
        assert_eq!(BUILD_INFO_SIZE, 16);
    }

    #[test]
    fn buffers_round_trip_and_release_once() {
        let mut b = OscBuf::from_vec(b"hello".to_vec());
        // SAFETY: freshly made by from_vec.
        assert_eq!(unsafe { b.take() }, b"hello");
        assert!(b.release.is_none() && b.ptr.is_null());
        // SAFETY: already released: take is a no-op on an empty buffer.
        assert!(unsafe { b.take() }.is_empty());
    }

    #[test]
    fn build_info_parses_both_endians() {
        let le = [16, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        let i = OscBuildInfo::parse(&le, true).unwrap();
        assert_eq!(
            (i.struct_size, i.abi_major, i.abi_minor, i.panic_aborts),
            (16, 1, 0, 1)
        );
        assert!(OscBuildInfo::parse(&le[..4], true).is_none());
    }
}

#[cfg(test)]
mod version_tests {
    #[test]
    fn the_crate_version_is_the_abi_version() {
        let v = env!("CARGO_PKG_VERSION");
        assert!(
            v.starts_with(&format!("{}.{}.", super::ABI_MAJOR, super::ABI_MINOR)),
            "osc-plugin-abi {v} must be versioned {}.{}.x",
            super::ABI_MAJOR,
            super::ABI_MINOR
        );
    }
}
