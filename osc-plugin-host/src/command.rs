//! A plugin command as the registry sees it: its parser is built from the manifest (read
//! from the file, never by loading it); running it loads the plugin, invokes it with the
//! parsed arguments as JSON, and turns its JSON reply into osc-output data, so `-f`, `-c`
//! and `--sort-column` behave exactly as for built-ins.

use crate::callbacks::HostState;
use crate::discover::check;
use crate::inspect::inspect;
use crate::loader;
use crate::manifest::{ArgSpec, CommandSpec, Manifest};
use clap::{Arg, ArgAction, ArgMatches};
use osc_core::output::{Cell, Output, Record, Style, Table};
use osc_core::registry::CommandImpl;
use osc_core::{Context, Error, Result};
use osc_plugin_abi::{self as abi, OscBuf, OscStr};
use serde_json::{json, Map, Value};
use std::cell::OnceCell;
use std::path::PathBuf;
use std::rc::Rc;

/// One installed plugin.
pub struct Plugin {
    pub name: String,
    pub path: PathBuf,
}

impl Plugin {
    pub fn new(name: String, path: PathBuf) -> Self {
        Plugin { name, path }
    }

    /// The manifest with `command` alone, read from the file and vetted as loading needs
    /// (ABI, build info, entry symbol): a command's parser and its run read nothing else.
    fn vetted(&self, command: &str) -> Result<Manifest, String> {
        inspect(&self.path)
            .and_then(|i| {
                let m = Manifest::parse_one(&i.manifest, command)?;
                check(&m, &i.entry_majors, i.build_info.as_ref())?;
                Ok(m)
            })
            .map_err(|e| format!("plugin {} ({}): {e}", self.name, self.path.display()))
    }
}

pub struct PluginCommand {
    pub plugin: Rc<Plugin>,
    pub command: String,
    /// Read on first need (parsing or running the command).
    manifest: OnceCell<Result<Manifest, String>>,
}

impl PluginCommand {
    pub fn new(plugin: Rc<Plugin>, command: String) -> Self {
        PluginCommand {
            plugin,
            command,
            manifest: OnceCell::new(),
        }
    }

    fn spec(&self) -> Result<&CommandSpec, String> {
        let m = self
            .manifest
            .get_or_init(|| self.plugin.vetted(&self.command))
            .as_ref()
            .map_err(Clone::clone)?;
        m.command(&self.command).ok_or_else(|| {
            format!(
                "plugin {} no longer provides {}",
                self.plugin.name, self.command
            )
        })
    }
}

/// Internal argument ids, so plugin names never collide with the core's `-f`/`-c` options.
fn id(name: &str) -> String {
    format!("plugin-arg-{name}")
}

fn build_arg(a: &ArgSpec) -> Arg {
    let mut arg = Arg::new(id(&a.name)).help(a.help.clone()).hide(a.hidden);
    // clap adds the angle brackets itself.
    let metavar = match &a.value {
        Some(v) => v.trim_start_matches('<').trim_end_matches('>').to_string(),
        None => a.name.replace('_', "-"),
    };
    match &a.long {
        Some(l) => {
            arg = arg.long(l.trim_start_matches("--").to_string());
            if let Some(s) = a.short {
                arg = arg.short(s);
            }
            if a.flag {
                arg = arg.action(ArgAction::SetTrue);
            } else {
                arg = arg.value_name(metavar).action(if a.multiple {
                    ArgAction::Append
                } else {
                    ArgAction::Set
                });
                arg = arg.required(a.required);
                if a.multiple_values {
                    arg = arg.num_args(1..).action(ArgAction::Append);
                }
                if let Some(m) = &a.missing {
                    arg = arg.num_args(0..=1).default_missing_value(m.clone());
                }
            }
        }
        None => {
            arg = arg.value_name(metavar).required(a.required);
            if a.multiple {
                arg = arg
                    .num_args(if a.required { 1.. } else { 0.. })
                    .action(ArgAction::Append);
            }
        }
    }
    if !a.flag {
        // `--n -3` is a value, as argparse takes it.
        arg = arg.allow_negative_numbers(true);
        if !a.choices.is_empty() {
            arg = arg.value_parser(clap::builder::PossibleValuesParser::new(a.choices.clone()));
        } else if let Some(ty) = typed(a) {
            let ty = ty.to_string();
            arg = arg.value_parser(clap::builder::ValueParser::new(
                move |s: &str| -> std::result::Result<Value, String> {
                    osc_plugin_sdk::manifest::convert(Some(&ty), s)
                },
            ));
        }
        if let Some(d) = &a.default {
            arg = arg.default_value(d.clone());
        }
    }
    arg
}

fn add_args(mut cmd: clap::Command, spec: &CommandSpec) -> clap::Command {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for a in &spec.args {
        cmd = cmd.arg(build_arg(a));
        if let Some(g) = &a.exclusive {
            match groups.iter_mut().find(|(n, _)| n == g) {
                Some((_, v)) => v.push(id(&a.name)),
                None => groups.push((g.clone(), vec![id(&a.name)])),
            }
        }
    }
    for (g, members) in groups {
        cmd = cmd.group(
            clap::ArgGroup::new(format!("plugin-group-{g}"))
                .args(members)
                .multiple(false),
        );
    }
    cmd
}

/// The argument's type when the host converts its values (not plain strings or choices).
fn typed(a: &ArgSpec) -> Option<&str> {
    a.ty.as_deref()
        .filter(|t| *t != "string" && a.choices.is_empty())
}

/// The parsed arguments as the request's `args` object.
fn args_json(spec: &CommandSpec, m: &ArgMatches) -> Map<String, Value> {
    let mut out = Map::new();
    for a in &spec.args {
        let key = id(&a.name);
        let v = if a.flag {
            Some(json!(m.get_flag(&key)))
        } else if let Some(ty) = typed(a) {
            if a.multiple {
                m.get_many::<Value>(&key)
                    .map(|v| osc_plugin_sdk::manifest::fold(Some(ty), v.cloned().collect()))
            } else {
                m.get_one::<Value>(&key).cloned()
            }
        } else if a.multiple {
            m.get_many::<String>(&key)
                .map(|v| json!(v.cloned().collect::<Vec<_>>()))
        } else {
            m.get_one::<String>(&key).map(|v| json!(v))
        };
        if let Some(v) = v {
            out.insert(a.name.clone(), v);
        }
    }
    out
}

impl CommandImpl for PluginCommand {
    fn args(&self, cmd: clap::Command) -> clap::Command {
        match self.spec() {
            Ok(spec) => add_args(cmd, spec),
            // run() reports the problem; help still works.
            Err(_) => cmd,
        }
    }

    fn format_args(&self, cmd: clap::Command) -> clap::Command {
        let Ok(spec) = self.spec() else {
            return cmd;
        };
        if spec.format.is_none() && spec.formats.is_empty() {
            return cmd;
        }
        let kind = match spec.kind.as_str() {
            "list" => osc_core::Kind::List,
            "show" => osc_core::Kind::Show,
            _ => return cmd,
        };
        let mut choices: Vec<String> = osc_core::output::format_choices(kind)
            .iter()
            .map(|c| c.to_string())
            .collect();
        choices.extend(spec.formats.iter().cloned());
        let default = spec.format.as_deref().unwrap_or("table");
        cmd.mut_arg("osc_format", |a| {
            osc_core::output::format_choices_of(a, &choices, default)
        })
    }

    fn run(&self, ctx: &Context, m: &ArgMatches) -> Result<Output> {
        let spec = self.spec().map_err(Error::Command)?;
        // spec() vetted the file in this process, just now.
        let table = loader::load(&self.plugin.path).map_err(|e| {
            Error::cmd(format!(
                "plugin {} ({}): {e}",
                self.plugin.name,
                self.plugin.path.display()
            ))
        })?;
        // The formatter osc renders with (a list or show command's `-f` or its default), so a
        // plugin can render its own formatters (`-f log`) and what differs in tables.
        let format = m
            .try_get_one::<String>("osc_format")
            .ok()
            .flatten()
            .filter(|_| matches!(spec.kind.as_str(), "list" | "show"));
        let request = match format {
            Some(f) => json!({"command": self.command, "args": args_json(spec, m), "format": f}),
            None => json!({"command": self.command, "args": args_json(spec, m)}),
        }
        .to_string();
        let state = HostState::new(ctx, &self.plugin.name);
        let host = state.table();
        let mut out = OscBuf::empty();
        let invoke = table
            .invoke
            .ok_or_else(|| Error::cmd("plugin without invoke"))?;
        // Whatever the plugin prints goes to stderr: stdout carries only osc's rendering
        // (`-f json` stays parseable).
        // A command declaring `"stdout": true` writes its data there itself.
        let guard = (!spec.stdout).then(StdoutToStderr::new);
        // SAFETY: table vetted at load; host table and request outlive the call; `out` is
        // released below with the plugin's own release function.
        let status = unsafe { invoke(&host, OscStr::from_bytes(request.as_bytes()), &mut out) };
        drop(guard);
        // SAFETY: as above.
        let bytes = unsafe { out.take() };
        drop(state);
        let reply: Value = serde_json::from_slice(&bytes).map_err(|e| {
            Error::cmd(format!(
                "plugin {} returned invalid JSON: {e}",
                self.plugin.name
            ))
        })?;
        let message = || clean(reply["error"].as_str().unwrap_or("unknown error"), false);
        match status {
            abi::OK => to_output(reply, spec).map_err(|e| {
                Error::cmd(format!(
                    "plugin {} returned a bad result: {e}",
                    self.plugin.name
                ))
            }),
            abi::PANIC => Err(Error::cmd(format!(
                "plugin {} failed: {}",
                self.plugin.name,
                message()
            ))),
            abi::BAD_REQUEST => Err(Error::cmd(format!(
                "plugin {} rejected the request: {}",
                self.plugin.name,
                message()
            ))),
            _ => Err(Error::cmd(message())),
        }
    }
}

fn style_of(name: &str) -> Style {
    match name {
        "list" => Style::List,
        "dict" => Style::Dict,
        "list_dict" => Style::ListDict,
        "dict_list" => Style::DictList,
        "size" => Style::Size,
        "json" => Style::Json,
        "yaml" => Style::Yaml,
        _ => Style::Raw,
    }
}

/// Converts a plugin reply into output data, moving its values; the error is a short reason.
pub fn to_output(mut reply: Value, spec: &CommandSpec) -> std::result::Result<Output, String> {
    // get_mut, not indexing: indexing a reply that is not an object would panic.
    let styles = reply.get_mut("styles").map(Value::take).unwrap_or_default();
    let style = |col: &str| -> Style {
        if let Some(s) = styles.get(col).and_then(Value::as_str) {
            return style_of(s);
        }
        spec.columns
            .iter()
            .find(|c| c.name() == col)
            .and_then(|c| c.style())
            .map(style_of)
            .unwrap_or(Style::Raw)
    };
    if let Some(l) = reply.get_mut("list") {
        let columns: Vec<String> = l["columns"]
            .as_array()
            .ok_or("list without columns")?
            .iter()
            .map(|c| {
                c.as_str()
                    .map(str::to_string)
                    .ok_or("column names must be strings")
            })
            .collect::<std::result::Result<_, _>>()?;
        let column_styles: Vec<Style> = columns.iter().map(|c| style(c)).collect();
        let mut t = Table::new(columns);
        let rows = match l.get_mut("rows").map(Value::take) {
            Some(Value::Array(rows)) => rows,
            _ => Vec::new(),
        };
        t.rows.reserve(rows.len());
        for row in rows {
            let Value::Array(row) = row else {
                return Err("a row is not an array".into());
            };
            if row.len() != column_styles.len() {
                return Err(format!(
                    "a row has {} values for {} columns",
                    row.len(),
                    column_styles.len()
                ));
            }
            t.rows.push(
                row.into_iter()
                    .zip(&column_styles)
                    .map(|(v, s)| Cell::styled(v, *s))
                    .collect(),
            );
        }
        return Ok(Output::List(t));
    }
    if let Some(s) = reply.get_mut("show") {
        let mut r = Record::new();
        let fields = match s.get_mut("fields").map(Value::take) {
            Some(Value::Array(f)) => f,
            _ => Vec::new(),
        };
        for f in fields {
            let mut f = match f {
                Value::Array(f) => f.into_iter(),
                _ => return Err("a field without a name".into()),
            };
            let name = match f.next() {
                Some(Value::String(n)) => n,
                _ => return Err("a field without a name".into()),
            };
            let value = f.next().unwrap_or(Value::Null);
            let st = style(&name);
            r.fields.push((name, Cell::styled(value, st)));
        }
        return Ok(Output::Show(r));
    }
    if let Some(t) = reply.get("text").and_then(Value::as_str) {
        let mut t = clean(t, true);
        if !t.is_empty() && !t.ends_with('\n') {
            t.push('\n');
        }
        return Ok(Output::Text(t));
    }
    if reply.get("none").is_some() {
        return Ok(Output::None);
    }
    Err("expected list, show, text or none".into())
}

/// Plugin text without terminal control: escape sequences (`ESC [ ... m`, `ESC ] ... BEL`)
/// and other control characters are dropped; newlines and tabs are kept in text output
/// (`multiline`) and become spaces in one-line error messages.
pub fn clean(s: &str, multiline: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.peek() {
                // CSI: parameters, then one final byte in @..~.
                Some('[') => {
                    chars.next();
                    for n in chars.by_ref() {
                        if ('@'..='~').contains(&n) {
                            break;
                        }
                    }
                }
                // OSC: up to BEL or ESC \.
                Some(']') => {
                    chars.next();
                    while let Some(n) = chars.next() {
                        if n == '\u{7}' || (n == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                            break;
                        }
                    }
                }
                _ => {
                    chars.next();
                }
            },
            '\n' | '\t' if multiline => out.push(c),
            // A carriage return would let text overwrite what was printed before it.
            '\r' if multiline => {}
            '\n' | '\t' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    if multiline {
        out
    } else {
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Points fd 1 at stderr while a plugin runs, and back when dropped (flushing the C and
/// Rust buffers first, so nothing the plugin printed lands on stdout later).
struct StdoutToStderr {
    #[cfg(unix)]
    saved: i32,
}

impl StdoutToStderr {
    fn new() -> Self {
        use std::io::Write;
        let _ = std::io::stdout().flush();
        #[cfg(unix)]
        {
            // SAFETY: plain fd calls; a failed dup leaves stdout as it is.
            let saved = unsafe { libc::dup(1) };
            if saved >= 0 {
                // SAFETY: as above.
                unsafe { libc::dup2(2, 1) };
            }
            StdoutToStderr { saved }
        }
        #[cfg(not(unix))]
        StdoutToStderr {}
    }
}

impl Drop for StdoutToStderr {
    fn drop(&mut self) {
        #[cfg(unix)]
        if self.saved >= 0 {
            // SAFETY: flushes every C stdio stream (a C plugin's printf), then restores fd 1.
            unsafe {
                libc::fflush(std::ptr::null_mut());
                libc::dup2(self.saved, 1);
                libc::close(self.saved);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn control_characters_are_stripped() {
        assert_eq!(
            clean("\u{1b}[31mred\u{1b}[0m\u{7} ok\nnext", false),
            "red ok next"
        );
        assert_eq!(clean("a\u{1b}]0;title\u{7}b\n\tc\r", true), "ab\n\tc");
    }
}
