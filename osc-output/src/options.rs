//! cliff's formatter options: the arguments `DisplayCommandBase`, `Lister` and each formatter
//! plugin add to a command's parser, and the parsed settings the renderer works from.

use crate::csv::QuoteMode;
use crate::Kind;
use clap::{Arg, ArgAction, ArgMatches, Command};
use std::io::IsTerminal;

/// `-f/--format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Table,
    Csv,
    Json,
    Value,
    Yaml,
    Shell,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "table" => Some(Format::Table),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "value" => Some(Format::Value),
            "yaml" => Some(Format::Yaml),
            "shell" => Some(Format::Shell),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Value => "value",
            Format::Yaml => "yaml",
            Format::Shell => "shell",
        }
    }
}

/// Parsed formatter options. `Default` is cliff's defaults (table, no selection, ...)
/// without reading the environment or the terminal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormatOptions {
    /// `-f/--format`.
    pub format: Format,
    /// `-c/--column`, as given (matched case-insensitively, `_` for spaces).
    pub columns: Vec<String>,
    /// `--quote` (csv).
    pub quote: QuoteMode,
    /// `--noindent` (json).
    pub noindent: bool,
    /// `--max-width` or `CLIFF_MAX_TERM_WIDTH`; `<1` disables.
    pub max_width: i64,
    /// `--fit-width` or `CLIFF_FIT_WIDTH=1`.
    pub fit_width: bool,
    /// `--print-empty`.
    pub print_empty: bool,
    /// `--sort-column`, in priority order.
    pub sort_columns: Vec<String>,
    /// `--sort-descending` (otherwise ascending).
    pub sort_descending: bool,
    /// `--prefix` (shell).
    pub prefix: String,
    /// `--variable` (shell; hidden in cliff too).
    pub variables: Vec<String>,
    /// The width the table formatter fits to when `max_width < 1`: the terminal's width when
    /// stdout is a terminal (or `fit_width` is set and the size can be read), else `None`.
    pub terminal_width: Option<usize>,
}

impl FormatOptions {
    /// Options for `format` with every other setting at its default.
    pub fn with_format(format: Format) -> Self {
        FormatOptions {
            format,
            ..Default::default()
        }
    }

    /// Reads the options [`add_format_args`] added; arguments a `kind` does not have keep
    /// their defaults. Environment defaults (`CLIFF_MAX_TERM_WIDTH`, `CLIFF_FIT_WIDTH`) and
    /// the terminal width are read here, as cliff does when it builds the parser and prints.
    pub fn from_matches(m: &ArgMatches, kind: Kind) -> Self {
        let env = |name: &str| std::env::var(name).ok();
        Self::from_matches_with(m, kind, &env, &detect_terminal_width)
    }

    /// [`FormatOptions::from_matches`] with the environment and the terminal-width probe
    /// (called with `fit_width`) supplied by the caller.
    pub fn from_matches_with(
        m: &ArgMatches,
        kind: Kind,
        env: &dyn Fn(&str) -> Option<String>,
        terminal_width: &dyn Fn(bool) -> Option<usize>,
    ) -> Self {
        let mut o = FormatOptions::default();
        if kind == Kind::Plain {
            return o;
        }
        let string = |id: &str| m.try_get_one::<String>(id).ok().flatten().cloned();
        let strings = |id: &str| -> Vec<String> {
            m.try_get_many::<String>(id)
                .ok()
                .flatten()
                .map(|v| v.cloned().collect())
                .unwrap_or_default()
        };
        let flag = |id: &str| {
            m.try_get_one::<bool>(id)
                .ok()
                .flatten()
                .copied()
                .unwrap_or(false)
        };
        // cliff reads `int(os.environ.get(NAME, 0))`; unparsable values count as 0 here.
        let env_int = |name: &str| {
            env(name)
                .and_then(|v| v.trim().parse::<i64>().ok())
                .unwrap_or(0)
        };
        if let Some(f) = string("osc_format").as_deref().and_then(Format::parse) {
            o.format = f;
        }
        o.columns = strings("osc_column");
        if let Some(q) = string("osc_quote").as_deref().and_then(QuoteMode::parse) {
            o.quote = q;
        }
        o.noindent = flag("osc_noindent");
        o.max_width = match m.try_get_one::<i64>("osc_max_width").ok().flatten() {
            Some(w) => *w,
            None => env_int("CLIFF_MAX_TERM_WIDTH"),
        };
        o.fit_width = flag("osc_fit_width") || env_int("CLIFF_FIT_WIDTH") != 0;
        o.print_empty = flag("osc_print_empty");
        o.sort_columns = strings("osc_sort_column");
        o.sort_descending = flag("osc_sort_descending");
        o.prefix = string("osc_prefix").unwrap_or_default();
        o.variables = strings("osc_variable");
        if o.format == Format::Table && o.max_width < 1 {
            o.terminal_width = terminal_width(o.fit_width);
        }
        o
    }
}

/// `_do_fit()` then `os.get_terminal_size()` of stdout: only a terminal has a width, and a
/// zero width means none.
fn detect_terminal_width(fit_width: bool) -> Option<usize> {
    let stdout = std::io::stdout();
    if !(stdout.is_terminal() || fit_width) {
        return None;
    }
    let (terminal_size::Width(w), _) = terminal_size::terminal_size_of(&stdout)?;
    (w > 0).then_some(usize::from(w))
}

/// The `-f` choices cliff gives a `kind` of command.
pub fn format_choices(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Plain => &[],
        Kind::List => &["csv", "json", "table", "value", "yaml"],
        Kind::Show => &["json", "shell", "table", "value", "yaml"],
    }
}

/// The `-f/--format` argument with these choices (sorted, as cliff lists its formatter
/// plugins) and this default: what a command with its own formatters or another
/// `formatter_default` (python-heatclient's `log` and `dot`, `yaml` for templates) declares.
pub fn format_arg(choices: &[String], default: &str) -> Arg {
    format_choices_of(
        Arg::new("osc_format").short('f').long("format"),
        choices,
        default,
    )
}

/// Sets the choices and default of a `-f/--format` argument (see [`format_arg`]), keeping
/// its place in the help.
pub fn format_choices_of(arg: Arg, choices: &[String], default: &str) -> Arg {
    let mut choices = choices.to_vec();
    choices.sort();
    choices.dedup();
    arg.value_name(format!("{{{}}}", choices.join(",")))
        .value_parser(clap::builder::PossibleValuesParser::new(choices))
        .hide_possible_values(true)
        .default_value(default.to_string())
        .help(format!("the output format, defaults to {default}"))
        .help_heading("output formatters")
}

/// Adds cliff's formatter options for `kind` to `cmd`, with cliff's help texts.
pub fn add_format_args(cmd: Command, kind: Kind) -> Command {
    let heading = "output formatters";
    let choices = format_choices(kind);
    if choices.is_empty() {
        return cmd;
    }
    let choices: Vec<String> = choices.iter().map(|c| c.to_string()).collect();
    let mut cmd = cmd.arg(format_arg(&choices, "table")).arg(
        Arg::new("osc_column")
            .short('c')
            .long("column")
            .value_name("COLUMN")
            .action(ArgAction::Append)
            .help("specify the column(s) to include, can be repeated to show multiple columns")
            .help_heading(heading),
    );
    if kind == Kind::List {
        cmd = cmd
            .arg(
                Arg::new("osc_sort_column")
                    .long("sort-column")
                    .value_name("SORT_COLUMN")
                    .action(ArgAction::Append)
                    .help(
                        "specify the column(s) to sort the data (columns specified first have a \
                         priority, non-existing columns are ignored), column names are \
                         case-insensitive and accept underscores for spaces, can be repeated",
                    )
                    .help_heading(heading),
            )
            .arg(
                Arg::new("osc_sort_ascending")
                    .long("sort-ascending")
                    .action(ArgAction::SetTrue)
                    .conflicts_with("osc_sort_descending")
                    .help("sort the column(s) in ascending order")
                    .help_heading(heading),
            )
            .arg(
                Arg::new("osc_sort_descending")
                    .long("sort-descending")
                    .action(ArgAction::SetTrue)
                    .help("sort the column(s) in descending order")
                    .help_heading(heading),
            )
            .arg(
                Arg::new("osc_quote")
                    .long("quote")
                    .value_name("{all,minimal,none,nonnumeric}")
                    .value_parser(["all", "minimal", "none", "nonnumeric"])
                    .hide_possible_values(true)
                    .default_value("nonnumeric")
                    .help("when to include quotes, defaults to nonnumeric")
                    .help_heading("CSV Formatter"),
            );
    }
    cmd = cmd.arg(
        Arg::new("osc_noindent")
            .long("noindent")
            .action(ArgAction::SetTrue)
            .help("whether to disable indenting the JSON")
            .help_heading("json formatter"),
    );
    if kind == Kind::Show {
        cmd = cmd
            .arg(
                Arg::new("osc_prefix")
                    .long("prefix")
                    .value_name("PREFIX")
                    .default_value("")
                    .hide_default_value(true)
                    .help("add a prefix to all variable names")
                    .help_heading("shell formatter"),
            )
            .arg(
                Arg::new("osc_variable")
                    .long("variable")
                    .value_name("VARIABLE")
                    .action(ArgAction::Append)
                    .hide(true),
            );
    }
    cmd.arg(
        Arg::new("osc_max_width")
            .long("max-width")
            .value_name("<integer>")
            .value_parser(clap::value_parser!(i64))
            .allow_negative_numbers(true)
            .help(
                "Maximum display width, <1 to disable. You can also use the \
                 CLIFF_MAX_TERM_WIDTH environment variable, but the parameter takes precedence.",
            )
            .help_heading("table formatter"),
    )
    .arg(
        Arg::new("osc_fit_width")
            .long("fit-width")
            .action(ArgAction::SetTrue)
            .help(
                "Fit the table to the display width. Implied if --max-width greater than 0. \
                 Set the environment variable CLIFF_FIT_WIDTH=1 to always enable",
            )
            .help_heading("table formatter"),
    )
    .arg(
        Arg::new("osc_print_empty")
            .long("print-empty")
            .action(ArgAction::SetTrue)
            .help("Print empty table if there is no data to show.")
            .help_heading("table formatter"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(kind: Kind, args: &[&str], env: &[(&str, &str)], tty: Option<usize>) -> FormatOptions {
        let cmd = add_format_args(Command::new("osc"), kind);
        let m = match cmd.try_get_matches_from(std::iter::once("osc").chain(args.iter().copied())) {
            Ok(m) => m,
            Err(e) => panic!("{e}"),
        };
        let env = |name: &str| {
            env.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        };
        // A terminal of width `tty` on stdout; `--fit-width` cannot make one appear.
        FormatOptions::from_matches_with(&m, kind, &env, &|_| tty)
    }

    #[test]
    fn defaults() {
        assert_eq!(parse(Kind::List, &[], &[], None), FormatOptions::default());
        assert_eq!(parse(Kind::Show, &[], &[], None), FormatOptions::default());
        assert_eq!(FormatOptions::default().format, Format::Table);
        assert_eq!(FormatOptions::default().quote, QuoteMode::Nonnumeric);
    }

    #[test]
    fn list_options() {
        let o = parse(
            Kind::List,
            &[
                "-f",
                "csv",
                "-c",
                "ID",
                "--column",
                "Name",
                "--quote",
                "all",
                "--noindent",
                "--sort-column",
                "b",
                "--sort-column",
                "a",
                "--sort-descending",
                "--print-empty",
                "--max-width=-1",
                "--fit-width",
            ],
            &[],
            None,
        );
        assert_eq!(o.format, Format::Csv);
        assert_eq!(o.columns, ["ID", "Name"]);
        assert_eq!(o.quote, QuoteMode::All);
        assert!(o.noindent && o.print_empty && o.fit_width && o.sort_descending);
        assert_eq!(o.sort_columns, ["b", "a"]);
        assert_eq!(o.max_width, -1);
    }

    #[test]
    fn show_options() {
        let o = parse(
            Kind::Show,
            &["-f", "shell", "--prefix", "os_", "--variable", "id"],
            &[],
            None,
        );
        assert_eq!(o.format, Format::Shell);
        assert_eq!(o.prefix, "os_");
        assert_eq!(o.variables, ["id"]);
    }

    #[test]
    fn kind_specific_choices() {
        let list = add_format_args(Command::new("osc"), Kind::List);
        assert!(list
            .clone()
            .try_get_matches_from(["osc", "-f", "shell"])
            .is_err());
        assert!(list
            .clone()
            .try_get_matches_from(["osc", "--prefix", "x"])
            .is_err());
        assert!(list
            .try_get_matches_from(["osc", "--sort-ascending", "--sort-descending"])
            .is_err());
        let show = add_format_args(Command::new("osc"), Kind::Show);
        assert!(show
            .clone()
            .try_get_matches_from(["osc", "-f", "csv"])
            .is_err());
        assert!(show
            .try_get_matches_from(["osc", "--sort-column", "x"])
            .is_err());
        let plain = add_format_args(Command::new("osc"), Kind::Plain);
        assert_eq!(plain.get_arguments().count(), 0);
    }

    #[test]
    fn environment_and_terminal() {
        let o = parse(
            Kind::List,
            &[],
            &[("CLIFF_MAX_TERM_WIDTH", "90"), ("CLIFF_FIT_WIDTH", "1")],
            Some(70),
        );
        assert_eq!(o.max_width, 90);
        assert!(o.fit_width);
        // --max-width wins, so the terminal is not consulted.
        assert_eq!(o.terminal_width, None);
        let o = parse(
            Kind::List,
            &["--max-width", "0"],
            &[("CLIFF_MAX_TERM_WIDTH", "90")],
            Some(70),
        );
        assert_eq!((o.max_width, o.terminal_width), (0, Some(70)));
        let o = parse(Kind::List, &["-f", "json"], &[], Some(70));
        assert_eq!(o.terminal_width, None);
        let o = parse(Kind::List, &[], &[("CLIFF_MAX_TERM_WIDTH", "junk")], None);
        assert_eq!(o.max_width, 0);
    }
}
