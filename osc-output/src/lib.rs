//! osc-output: rendering shared by every command: commands return data ([`Output`]), this module
//! renders it exactly as python-openstackclient (cliff) would, byte for byte.
//!
//! The core adds cliff's formatter options to a command's parser with [`add_format_args`],
//! reads them back with [`FormatOptions::from_matches`] and prints with [`render`]. Each
//! formatter is a port of the Python code cliff runs: prettytable + wcwidth (`table`), the
//! `csv` module (`csv`), `json.dumps` (`json`), PyYAML's emitter (`yaml`), `str()` (`value`,
//! `shell`), and osc_lib's `format_columns` for styled cells ([`Style`]).
//!
//! Parity is checked against goldens made by cliff itself (`tests/fixtures/gen.py`).
//! Known gaps, all outside what OpenStack APIs return: terminal escape sequences inside
//! values are measured like wcwidth but not re-styled across wrapped lines; Unicode tables
//! for `repr()` escapes and `textwrap`'s `\w` come from Rust crates (a newer Unicode than
//! Python 3.11's); where Python would raise (e.g. `format_list` of non-strings) a best-effort
//! rendering is printed instead.

mod cell;
mod csv;
mod formatcols;
mod json;
mod options;
mod pyops;
pub mod pystr;
mod render;
mod shell;
mod table;
mod value;
mod wcwidth_tables;
mod width;
mod wrap;
mod yaml;

pub use cell::{Cell, Style};
pub use csv::QuoteMode;
pub use options::{
    add_format_args, format_arg, format_choices, format_choices_of, Format, FormatOptions,
};
pub use render::{render, OutputError};

/// Python's `json.dumps(value, indent=2 if indent else None)`, byte for byte.
pub fn json_dumps(value: &serde_json::Value, indent: bool) -> String {
    let mut out = String::new();
    json::dump(&mut out, value, indent);
    out
}

/// PyYAML's `yaml.safe_dump(value, default_flow_style=False)`, byte for byte.
pub fn yaml_safe_dump(value: &serde_json::Value) -> String {
    let mut out = String::new();
    yaml::safe_dump(&mut out, value);
    out
}

/// What a command hands back to the core for rendering.
#[derive(Clone, Debug)]
pub enum Output {
    /// A list command's result (cliff `Lister`): column names and rows.
    List(Table),
    /// A show command's result (cliff `ShowOne`): ordered field/value pairs.
    Show(Record),
    /// Nothing to print (delete, set, ...).
    None,
    /// Raw text printed as is (help-like commands).
    Text(String),
}

/// Rows of cells under named columns.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Ordered fields of one object.
#[derive(Clone, Debug, Default)]
pub struct Record {
    pub fields: Vec<(String, Cell)>,
}

impl Table {
    pub fn new<S: Into<String>>(columns: impl IntoIterator<Item = S>) -> Self {
        Table {
            columns: columns.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }
    /// Appends a row (one cell per column).
    pub fn push(&mut self, row: impl IntoIterator<Item = Cell>) {
        self.rows.push(row.into_iter().collect());
    }
}

impl Record {
    pub fn new() -> Self {
        Record::default()
    }
    /// Appends a field; builder style.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<Cell>) -> Self {
        self.fields.push((name.into(), value.into()));
        self
    }
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<Cell>) {
        self.fields.push((name.into(), value.into()));
    }
}

/// The shape of a command's output, which decides the formatter options its parser gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `-f table|csv|json|value|yaml`, `-c`, `--sort-column`, ...
    List,
    /// `-f table|json|shell|value|yaml`, `-c`, `--prefix`, ...
    Show,
    /// No formatter options.
    Plain,
}
