//! Compiles the C plugin into a static library for the tests.
fn main() {
    println!("cargo:rerun-if-changed=hello.c");
    println!("cargo:rerun-if-changed=osc_json.h");
    println!("cargo:rerun-if-changed=../../include/osc_plugin.h");
    cc::Build::new()
        .file("hello.c")
        .include("../../include")
        .warnings(true)
        .extra_warnings(true)
        .warnings_into_errors(true)
        .compile("hello_c_plugin");
}
