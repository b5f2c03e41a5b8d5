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
            o.terminal_width = detect_terminal_width(o.fit_width);
        }
        o
    }
}

/// cliff reads `int(os.environ.get(NAME, 0))`; unparsable values count as 0 here.
fn env_int(name: &str) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
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

/// Adds cliff's formatter options for `kind` to `cmd`, with cliff's help texts.
pub fn add_format_args(cmd: Command, kind: Kind) -> Command {
    let (choices, heading): (&[&'static str], _) = match kind {
        Kind::Plain => return cmd,
        Kind::List => (
            &["csv", "json", "table", "value", "yaml"],
            "output formatters",
        ),
        Kind::Show => (
            &["json", "shell", "table", "value", "yaml"],
            "output formatters",
        ),
    };
    let metavar = format!("{{{}}}", choices.join(","));
    let mut cmd = cmd
        .arg(
            Arg::new("osc_format")
                .short('f')
                .long("format")
                .value_name(metavar)
                .value_parser(clap::builder::PossibleValuesParser::new(
                    choices.iter().copied(),
                ))
                .hide_possible_values(true)
                .default_value("table")
                .help("the output format, defaults to table")
                .help_heading(heading),
        )
        .arg(
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
