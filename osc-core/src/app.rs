//! From argv to rendered output: global options, command lookup, the command's parser
//! (built only for that command), running it, rendering its data, and exit codes.

use crate::config::Env;
use crate::context::Context;
use crate::error::Error;
use crate::globals::{self, GLOBAL_OPTS};
use crate::log;
use crate::registry::Registry;
use osc_output::{FormatOptions, Kind, Output, Table};
use std::ffi::OsString;
use std::io::Write;
use std::rc::Rc;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Runs osc and returns the process exit code. The registry is built only when a command
/// or the help needs it: `--version` reads no plugin manifest.
pub fn run(build_registry: impl FnOnce() -> Registry, argv: Vec<OsString>) -> i32 {
    install_panic_hook();
    let prog = argv
        .first()
        .and_then(|p| {
            std::path::Path::new(p)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
        })
        .filter(|p| p == "openstack")
        .unwrap_or_else(|| "osc".to_string());
    let args: Vec<String> = match argv.into_iter().skip(1).map(|a| a.into_string()).collect() {
        Ok(a) => a,
        Err(bad) => {
            return fail(
                &prog,
                &Error::usage(format!("argument is not valid UTF-8: {bad:?}")),
            )
        }
    };
    let (g, rest) = match globals::split(args) {
        Ok(x) => x,
        Err(e) => return fail(&prog, &e),
    };
    if let Err(e) = log::init(g.debug, g.verbose, g.get("--log-file")) {
        return fail(&prog, &Error::Io(format!("Cannot open the log file: {e}")));
    }
    if g.version {
        return print_out(&format!("{prog} {VERSION}\n"));
    }
    let registry = Rc::new(build_registry());
    if g.help || rest.is_empty() {
        return print_out(&main_help(&prog, &registry));
    }
    // `help <command>` is `<command> --help`.
    let mut rest = rest;
    if rest[0] == "help" {
        rest.remove(0);
        if rest.is_empty() {
            return print_out(&main_help(&prog, &registry));
        }
        rest.push("--help".into());
    }
    let Some((entry, n)) = registry.find(&rest) else {
        return unknown_command(&prog, &registry, &rest);
    };
    let entry = entry.clone();
    let cmd_args = rest[n..].to_vec();
    let parser = entry.parser(&prog);
    let matches = match parser.try_get_matches_from(cmd_args.clone()) {
        Ok(m) => m,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    print_out(&e.render().to_string())
                }
                _ => {
                    // clap's message up to its usage block, on one line.
                    let text = e.render().to_string();
                    let joined = text
                        .lines()
                        .take_while(|l| {
                            !l.starts_with("Usage:") && !l.starts_with("For more information")
                        })
                        .map(str::trim)
                        .filter(|l| !l.is_empty() && !l.starts_with("tip:"))
                        .collect::<Vec<_>>()
                        .join(" ");
                    let first = joined.trim_start_matches("error: ");
                    fail(
                        &prog,
                        &Error::usage(format!(
                            "{}: {first}; see '{prog} {} --help'",
                            entry.name, entry.name
                        )),
                    )
                }
            };
        }
    };
    let mut ctx = Context::new(g, Env::from_process(), registry.clone(), prog.clone());
    ctx.format = FormatOptions::from_matches(&matches, entry.kind);
    ctx.args = cmd_args;
    record_command(&entry.name);
    let result = entry.imp.run(&ctx, &matches);
    let code = match result {
        Ok(out) => {
            let code = match render(&out, &ctx.format) {
                Ok(()) => 0,
                Err(e) => fail(&prog, &e),
            };
            // The process ends next: freeing 20,000 rows one by one would only cost time.
            std::mem::forget(out);
            code
        }
        Err(e) => fail(&prog, &e),
    };
    if ctx.globals.timing {
        if let Some(s) = ctx.session_if_started() {
            print_timing(&s.timings.borrow());
        }
    }
    code
}

fn render(out: &Output, opts: &FormatOptions) -> Result<(), Error> {
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let r = osc_output::render(out, opts, &mut w)
        .map_err(Error::from)
        .and_then(|_| w.flush().map_err(Error::from));
    match r {
        Err(e) if is_broken_pipe(&e) => Ok(()),
        r => r,
    }
}

fn is_broken_pipe(e: &Error) -> bool {
    match e {
        Error::Output(osc_output::OutputError::Io(io)) => {
            io.kind() == std::io::ErrorKind::BrokenPipe
        }
        Error::Io(msg) => msg.contains("Broken pipe"),
        _ => false,
    }
}

fn print_out(s: &str) -> i32 {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes()).and_then(|_| out.flush());
    0
}

/// Prints an error as one line and returns its exit code.
pub fn fail(_prog: &str, e: &Error) -> i32 {
    let msg = e.to_string();
    let line = msg
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let _ = writeln!(std::io::stderr(), "{line}");
    e.exit_code()
}

fn unknown_command(prog: &str, registry: &Registry, rest: &[String]) -> i32 {
    let words: Vec<String> = rest
        .iter()
        .take_while(|a| !a.starts_with('-'))
        .cloned()
        .collect();
    let similar: Vec<String> = registry
        .with_prefix(&words[..words.len().min(1)])
        .into_iter()
        .take(8)
        .map(|e| e.name.clone())
        .collect();
    let hint = if similar.is_empty() {
        String::new()
    } else {
        format!(
            " Commands starting with '{}': {}.",
            words.first().map(String::as_str).unwrap_or(""),
            similar.join(", ")
        )
    };
    fail(
        prog,
        &Error::usage(format!(
            "{prog}: '{}' is not an {prog} command. See '{prog} --help'.{hint}",
            words.join(" ")
        )),
    )
}

fn print_timing(timings: &[(String, f64)]) {
    let mut t = Table::new(["URL", "Seconds"]);
    let mut total = 0.0;
    for (url, secs) in timings {
        total += secs;
        t.rows
            .push(vec![url.clone().into(), format!("{secs:.3}").into()]);
    }
    t.rows
        .push(vec!["Total".into(), format!("{total:.3}").into()]);
    let mut out = std::io::stdout().lock();
    let _ = osc_output::render(&Output::List(t), &FormatOptions::default(), &mut out);
}

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let loc = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "osc: internal error: {msg}{loc}; please report this bug"
        );
    }));
}

/// The main `--help`: usage, global options, and commands grouped by service.
pub fn main_help(prog: &str, registry: &Registry) -> String {
    let mut s = format!(
        "usage: {prog} [--version] [-v | -q] [--log-file LOG_FILE] [-h] [--debug] [--os-cloud <cloud-config-name>] ...\n\
         \x20      <command> [<args>]\n\nCommand-line interface to the OpenStack APIs (osc {VERSION})\n\noptions:\n"
    );
    let fixed = [
        ("--version", "show program's version number and exit"),
        (
            "-v, --verbose",
            "Increase verbosity of output. Can be repeated.",
        ),
        ("-q, --quiet", "Suppress output except warnings and errors."),
        ("-h, --help", "Show help message and exit."),
        (
            "--debug",
            "Show tracebacks on errors and every HTTP request (secrets redacted).",
        ),
        ("--timing", "Print API call timing info"),
        ("--insecure", "Disable server certificate verification"),
        ("--verify", "Verify server certificate (default)"),
        (
            "--os-beta-command",
            "Enable beta commands which are subject to change",
        ),
    ];
    for (f, h) in fixed {
        s.push_str(&format!("  {f:<40} {h}\n"));
    }
    for o in GLOBAL_OPTS {
        let meta = o
            .flag
            .trim_start_matches("--")
            .replace('-', "_")
            .to_ascii_uppercase();
        s.push_str(&format!(
            "  {:<40} {}\n",
            format!("{} <{}>", o.flag, meta.to_lowercase()),
            o.help
        ));
    }
    let mut groups: std::collections::BTreeMap<&str, Vec<&crate::registry::CommandEntry>> =
        Default::default();
    for e in registry.entries() {
        groups.entry(e.group.as_str()).or_default().push(e);
    }
    s.push_str("\nCommands:\n");
    for (g, mut cmds) in groups {
        cmds.sort_by(|a, b| a.name.cmp(&b.name));
        s.push_str(&format!("  {g}:\n"));
        for c in cmds {
            s.push_str(&format!("    {:<38} {}\n", c.name, c.about));
        }
    }
    s
}

/// Kinds that print data (for tests and plugins).
pub fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::List => "list",
        Kind::Show => "show",
        Kind::Plain => "command",
    }
}

/// With `OSC_RECORD_COMMANDS=<file>`, appends the name of each command that runs (after
/// parsing succeeded), one per line: the functional tests'
/// record of which commands were exercised against the live devcloud
/// (`tools/live-coverage`, `docs/live-coverage.md`). Recording never fails a command.
fn record_command(name: &str) {
    let Some(path) = std::env::var_os("OSC_RECORD_COMMANDS").filter(|p| !p.is_empty()) else {
        return;
    };
    use std::io::Write;
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        // One write per line, so parallel tests' lines never interleave.
        let _ = f.write_all(format!("{name}\n").as_bytes());
    }
}
