//! osc: a fast, drop-in replacement for python-openstackclient.

fn main() {
    std::process::exit(osc_core::app::run(
        osc::registry,
        std::env::args_os().collect(),
    ));
}
