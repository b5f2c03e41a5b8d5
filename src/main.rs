//! osc: a fast, drop-in replacement for python-openstackclient.

fn main() {
    tune_malloc();
    std::process::exit(osc_core::app::run(
        osc::registry,
        std::env::args_os().collect(),
    ));
}

/// glibc's fastbins make every free that coalesces into a 64 KiB block sweep them all
/// (`malloc_consolidate`): dropping a large listing's values one by one spent ~15% of
/// `server list` of 10,000 there. Without fastbins, small blocks still come from the
/// per-thread cache, and the same listing takes ~15-20% less CPU (docs/benchmarks.md).
fn tune_malloc() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MXFAST, 0);
    }
}
