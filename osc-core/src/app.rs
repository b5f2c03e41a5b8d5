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
    crate::interrupt::install();
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
    // First as if every `--os-<service>-api-version` were declared: which ones plugins
    // declare is known once the registry is built.
    let (g, rest) = match globals::split(args.clone(), &|_| true) {
        Ok(x) => x,
        Err(e) => return global_usage_error(&prog, &e),
    };
    if let Err(e) = log::init(g.debug, g.verbose, g.get("--log-file")) {
        return fail(&prog, &Error::Io(format!("Cannot open the log file: {e}")));
    }
    if g.version {
        return print_out(&format!("{prog} {VERSION}\n"));
    }
    // `-q`: no progress bars nor wait progress, even on a terminal.
    osc_api::wait::set_quiet(g.verbose == 0 && !g.debug);
    let registry = Rc::new(build_registry());
    let declared: Vec<String> = registry
        .declared_api_version_options()
        .into_iter()
        .map(|(flag, _)| flag)
        .collect();
    let (g, rest) = if g.service_api_versions.keys().all(|f| declared.contains(f)) {
        (g, rest)
    } else {
        // An undeclared one stays with the command words: an unknown command or option.
        match globals::split(args, &|f| declared.iter().any(|d| d == f)) {
            Ok(x) => x,
            Err(e) => return global_usage_error(&prog, &e),
        }
    };
    if g.help {
        return print_out(&main_help(&prog, &registry));
    }
    if rest.is_empty() {
        return interactive(&prog, &g, &registry);
    }
    run_words(&prog, &g, &registry, rest, false)
}

/// A global option argparse rejects: `osc: error: argument --os-cloud: expected one argument`.
fn global_usage_error(prog: &str, e: &Error) -> i32 {
    fail(prog, &Error::usage(format!("{prog}: error: {e}")))
}

/// Runs one command line (after the global options): `help ...`, a command, or the answer
/// to an unknown one. In interactive mode help names commands without the program name.
fn run_words(
    prog: &str,
    g: &globals::Globals,
    registry: &Rc<Registry>,
    rest: Vec<String>,
    interactive: bool,
) -> i32 {
    let help_prog = if interactive { "" } else { prog };
    if rest[0] == "help" {
        return help(prog, help_prog, registry, &rest[1..]);
    }
    let Some((entry, n)) = registry.find(&rest) else {
        // cliff turns `<words> --help` into `help <words>`: partial names list their commands.
        if rest.iter().any(|a| a == "--help" || a == "-h") {
            let words: Vec<String> = rest
                .iter()
                .filter(|a| *a != "--help" && *a != "-h")
                .cloned()
                .collect();
            return help(prog, help_prog, registry, &words);
        }
        return unknown_command(prog, registry, &rest);
    };
    let entry = entry.clone();
    let cmd_args = rest[n..].to_vec();
    let parser = entry.parser(help_prog);
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
                        prog,
                        &Error::usage(format!(
                            "{}: {first}; see '{prog} {} --help'",
                            entry.name, entry.name
                        )),
                    )
                }
            };
        }
    };
    let mut ctx = Context::new(
        g.clone(),
        Env::from_process(),
        registry.clone(),
        prog.to_string(),
    );
    ctx.format = FormatOptions::from_matches(&matches, entry.kind);
    ctx.args = cmd_args;
    record_command(&entry.name);
    let result = entry.imp.run(&ctx, &matches);
    let code = match result {
        Ok(out) => {
            let code = match render(&out, &ctx.format) {
                Ok(()) => 0,
                Err(e) => fail(prog, &e),
            };
            // The process ends next: freeing 20,000 rows one by one would only cost time.
            std::mem::forget(out);
            code
        }
        Err(e)
            if e.is_not_found()
                && ctx
                    .session_if_started()
                    .is_some_and(|s| s.refresh_catalog()) =>
        {
            // The cached catalog was stale: the next run uses the new one.
            fail(
                prog,
                &Error::cmd(format!(
                    "{e} (the service catalog had changed since it was cached and is now refreshed; run the command again)"
                )),
            )
        }
        Err(e) => fail(prog, &e),
    };
    if ctx.globals.timing {
        if let Some(s) = ctx.session_if_started() {
            print_timing(&s.timings.borrow());
        }
    }
    code
}

/// cliff's `help [words]`: the main help, a command's help, or the commands whose names
/// start with the first word (`Command "server" matches:`) when the words begin a command's
/// name; anything else is an error.
fn help(prog: &str, help_prog: &str, registry: &Registry, words: &[String]) -> i32 {
    if words.is_empty() {
        return print_out(&main_help(prog, registry));
    }
    if let Some((entry, _)) = registry.find(words) {
        return print_out(&entry.parser(help_prog).render_help().to_string());
    }
    let first = &words[0];
    // The words must begin some command's name (`server gr`); then, as cliff, every command
    // starting with the first word is listed. `baremetal nosuch --help` is an error, not a
    // list of baremetal commands.
    let typed = words.join(" ");
    let known = registry
        .entries()
        .iter()
        .any(|e| e.name.starts_with(typed.as_str()));
    let mut names: Vec<&str> = registry
        .entries()
        .iter()
        .map(|e| e.name.as_str())
        .filter(|n| known && n.starts_with(first.as_str()))
        .collect();
    if names.is_empty() {
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        return fail(
            prog,
            &Error::cmd(format!("Unknown command [{}]", quoted.join(", "))),
        );
    }
    names.sort_unstable();
    let mut out = format!("Command \"{first}\" matches:\n");
    for n in names {
        out.push_str(&format!("  {n}\n"));
    }
    print_out(&out)
}

/// cliff's interactive shell: `osc` without a command reads command lines from stdin (with
/// a `(osc) ` prompt on a terminal), runs each with the command line's global options, and
/// ends at `exit`, `quit` or the end of input. As in OSC, the exit code is 1.
fn interactive(prog: &str, g: &globals::Globals, registry: &Rc<Registry>) -> i32 {
    use std::io::{BufRead, IsTerminal};
    let stdin = std::io::stdin();
    let prompt = if stdin.is_terminal() {
        format!("({prog}) ")
    } else {
        String::new()
    };
    let mut input = stdin.lock();
    let mut line = String::new();
    loop {
        if !prompt.is_empty() {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(prompt.as_bytes()).and_then(|_| out.flush());
        }
        line.clear();
        match input.read_line(&mut line) {
            Ok(0) => {
                // cmd2 answers the end of input with a newline.
                print_out("\n");
                break;
            }
            Ok(_) => {}
            Err(e) => {
                fail(prog, &Error::Io(format!("Cannot read standard input: {e}")));
                break;
            }
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let words = match shell_words(trimmed) {
            Ok(w) => w,
            Err(e) => {
                fail(prog, &Error::usage(format!("Invalid syntax: {e}")));
                continue;
            }
        };
        match words.first().map(String::as_str) {
            Some("exit" | "quit") => break,
            Some("help") if words.len() == 1 => {
                print_out(&interactive_help(registry));
            }
            Some(_) => {
                run_words(prog, g, registry, words, true);
            }
            None => {}
        }
    }
    1
}

/// `help` in the interactive shell: its own commands, then every command name, in columns
/// as Python's `cmd` prints topics.
fn interactive_help(registry: &Registry) -> String {
    let mut names: Vec<&str> = registry.entries().iter().map(|e| e.name.as_str()).collect();
    names.sort_unstable();
    let mut s = String::from("\n");
    for (header, topics) in [
        (
            "Shell commands (type help <topic>):",
            vec!["exit", "help", "quit"],
        ),
        ("Application commands (type help <topic>):", names),
    ] {
        s.push_str(&format!("{header}\n{}\n", "=".repeat(header.len())));
        s.push_str(&columnize(&topics, 79));
        s.push('\n');
    }
    s
}

/// Python's `cmd.Cmd.columnize`: as few rows as fit in `width`, filled column by column,
/// columns two spaces apart.
fn columnize(items: &[&str], width: usize) -> String {
    if items.is_empty() {
        return "<empty>\n".into();
    }
    let len = |s: &str| s.chars().count();
    for rows in 1..items.len() {
        let cols = items.len().div_ceil(rows);
        let widths: Vec<usize> = (0..cols)
            .map(|c| {
                items[c * rows..((c + 1) * rows).min(items.len())]
                    .iter()
                    .map(|s| len(s))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let total = widths.iter().sum::<usize>() + 2 * cols.saturating_sub(1);
        if total <= width {
            let mut out = String::new();
            for r in 0..rows {
                let cells: Vec<String> = (0..cols)
                    .filter_map(|c| items.get(c * rows + r).map(|s| (c, *s)))
                    .map(|(c, s)| format!("{s:<w$}", w = widths[c]))
                    .collect();
                out.push_str(cells.join("  ").trim_end());
                out.push('\n');
            }
            return out;
        }
    }
    items.iter().map(|s| format!("{s}\n")).collect()
}

/// Splits a command line as Python's `shlex.split` does (POSIX rules: quotes, backslashes).
fn shell_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => word.push(x),
                        None => return Err("No closing quotation".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x @ ('"' | '\\' | '$' | '`')) => word.push(x),
                            Some(x) => {
                                word.push('\\');
                                word.push(x);
                            }
                            None => return Err("No closing quotation".into()),
                        },
                        Some(x) => word.push(x),
                        None => return Err("No closing quotation".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(x) => word.push(x),
                    None => return Err("No escaped character".into()),
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
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

/// cliff's answer to an unknown command (or an unknown global option before it): the whole
/// rest of the line, and the commands it may have meant, on one line.
fn unknown_command(prog: &str, registry: &Registry, rest: &[String]) -> i32 {
    let names: Vec<&str> = registry.entries().iter().map(|e| e.name.as_str()).collect();
    let similar = fuzzy_matches(&rest[0], &names);
    let hint = match similar.len() {
        0 => String::new(),
        n if n > 10 => format!(
            " Did you mean one of these? {} (and {} more)",
            similar[..10].join(", "),
            n - 10
        ),
        _ => format!(" Did you mean one of these? {}", similar.join(", ")),
    };
    fail(
        prog,
        &Error::usage(format!(
            "{prog}: '{}' is not an {prog} command. See '{prog} --help'.{hint}",
            rest.join(" ")
        )),
    )
}

/// cliff's `App.get_fuzzy_matches`: the commands starting with `word`, and those whose
/// first word is nearest to it (Damerau-Levenshtein with cliff's costs), sorted.
fn fuzzy_matches<'a>(word: &str, names: &[&'a str]) -> Vec<&'a str> {
    let mut scored: Vec<(usize, &str)> = names
        .iter()
        .map(|n| {
            if n.starts_with(word) {
                (0, *n)
            } else {
                let first = n.split(' ').next().unwrap_or(n);
                (damerau_levenshtein(word, first) + 1, *n)
            }
        })
        .collect();
    scored.sort_unstable();
    let mut out = Vec::new();
    let mut best = 0;
    for (d, n) in scored {
        if d > best {
            if best > 0 {
                break;
            }
            best = d;
        }
        out.push(n);
    }
    out
}

/// cliff's `utils.damerau_levenshtein` with its costs: swap 0, substitution 2, insertion 1,
/// deletion 3.
fn damerau_levenshtein(s1: &str, s2: &str) -> usize {
    const SWAP: usize = 0;
    const SUB: usize = 2;
    const ADD: usize = 1;
    const DEL: usize = 3;
    let (a, b): (Vec<char>, Vec<char>) = (s1.chars().collect(), s2.chars().collect());
    if a == b {
        return 0;
    }
    if a.is_empty() {
        return b.len() * ADD;
    }
    if b.is_empty() {
        return a.len() * DEL;
    }
    let mut row1: Vec<usize> = (0..=b.len()).map(|i| i * ADD).collect();
    let mut row2 = row1.clone();
    let mut row0 = row1.clone();
    for i in 0..a.len() {
        row2[0] = (i + 1) * DEL;
        for j in 0..b.len() {
            let sub = row1[j] + usize::from(a[i] != b[j]) * SUB;
            let ins = row2[j] + ADD;
            let del = row1[j + 1] + DEL;
            let mut cost = sub.min(ins).min(del);
            if i > 0 && j > 0 && a[i - 1] == b[j] && a[i] == b[j - 1] {
                cost = cost.min(row0[j - 1] + SWAP);
            }
            row2[j + 1] = cost;
        }
        std::mem::swap(&mut row0, &mut row1);
        std::mem::swap(&mut row1, &mut row2);
    }
    row1[b.len()]
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

/// The global flags `--help` lists before the `--os-*` options (flags, help).
pub const FIXED_FLAGS: &[(&str, &str)] = &[
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

/// The main `--help`: usage, global options, and commands grouped by service.
pub fn main_help(prog: &str, registry: &Registry) -> String {
    let mut s = format!(
        "usage: {prog} [--version] [-v | -q] [--log-file LOG_FILE] [-h] [--debug] [--os-cloud <cloud-config-name>] ...\n\
         \x20      <command> [<args>]\n\nCommand-line interface to the OpenStack APIs (osc {VERSION})\n\noptions:\n"
    );
    let fixed = FIXED_FLAGS;
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
    for (flag, module) in registry.declared_api_version_options() {
        let meta = flag.trim_start_matches("--").replace('-', "_");
        let service = flag
            .trim_start_matches("--os-")
            .trim_end_matches("-api-version");
        let mut title: Vec<char> = service.replace('-', " ").chars().collect();
        if let Some(c) = title.first_mut() {
            *c = c.to_ascii_uppercase();
        }
        let help = format!(
            "{} API version, declared by plugin {} (Env: {})",
            title.into_iter().collect::<String>(),
            module.name,
            meta.to_ascii_uppercase()
        );
        s.push_str(&format!("  {:<40} {help}\n", format!("{flag} <{meta}>")));
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
