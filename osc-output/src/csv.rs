//! cliff's `CSVLister`: Python's `csv.writer` with `lineterminator=os.linesep` (`\n`),
//! `escapechar='\\'`, `doublequote=True` and the chosen quoting mode.

use crate::formatcols::machine_readable;
use crate::pystr::{number_str, py_str};
use crate::{Cell, OutputError, Style};
use serde_json::Value;
use std::borrow::Cow;

/// `--quote`: the `csv.QUOTE_*` mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QuoteMode {
    All,
    Minimal,
    #[default]
    Nonnumeric,
    None,
}

impl QuoteMode {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "all" => Some(QuoteMode::All),
            "minimal" => Some(QuoteMode::Minimal),
            "nonnumeric" => Some(QuoteMode::Nonnumeric),
            "none" => Some(QuoteMode::None),
            _ => None,
        }
    }
}

/// A field as the csv module sees it: text, a number (unquoted under QUOTE_NONNUMERIC), or
/// None (empty).
enum Field<'a> {
    Text(Cow<'a, str>),
    Number(String),
    None,
}

/// What cliff passes to `writerow` for a cell: `str(machine_readable())` for styled cells,
/// the value itself otherwise.
fn field(cell: &Cell) -> Field<'_> {
    if cell.style != Style::Raw {
        return Field::Text(Cow::Owned(py_str(&machine_readable(cell))));
    }
    match &cell.value {
        Value::String(s) => Field::Text(Cow::Borrowed(s)),
        Value::Null => Field::None,
        Value::Bool(b) => Field::Number(if *b { "True" } else { "False" }.into()),
        Value::Number(n) => Field::Number(number_str(n)),
        other => Field::Text(Cow::Owned(py_str(other))),
    }
}

/// `writer.writerow(row)`; errors as `_csv.Error` would.
fn write_row<'a>(
    out: &mut String,
    fields: impl Iterator<Item = Field<'a>>,
    mode: QuoteMode,
) -> Result<(), OutputError> {
    let start = out.len();
    let mut count = 0;
    for f in fields {
        if count > 0 {
            out.push(',');
        }
        count += 1;
        let (text, numeric): (&str, bool) = match &f {
            Field::Text(s) => (s, false),
            Field::Number(s) => (s, true),
            Field::None => ("", false),
        };
        let mut quoted = match mode {
            QuoteMode::Nonnumeric => !numeric,
            QuoteMode::All => true,
            _ => false,
        };
        let mut body = String::with_capacity(text.len());
        for c in text.chars() {
            if matches!(c, ',' | '\\' | '"' | '\n') {
                let mut escape = false;
                if mode == QuoteMode::None {
                    escape = true;
                } else if c == '"' {
                    body.push('"');
                } else if c == '\\' {
                    escape = true;
                }
                if !escape && mode != QuoteMode::None {
                    quoted = true;
                }
                if escape {
                    body.push('\\');
                }
            }
            body.push(c);
        }
        if quoted {
            out.push('"');
            out.push_str(&body);
            out.push('"');
        } else {
            out.push_str(&body);
        }
    }
    // A record that would print as an empty line is written as `""` to stay readable.
    if count > 0 && out.len() == start {
        if mode == QuoteMode::None {
            return Err(OutputError::Invalid(
                "single empty field record must be quoted".into(),
            ));
        }
        out.push_str("\"\"");
    }
    out.push('\n');
    Ok(())
}

/// `CSVLister.emit_list`.
pub fn emit_list(
    out: &mut String,
    columns: &[String],
    rows: &[Vec<&Cell>],
    mode: QuoteMode,
) -> Result<(), OutputError> {
    write_row(
        out,
        columns
            .iter()
            .map(|c| Field::Text(Cow::Borrowed(c.as_str()))),
        mode,
    )?;
    for row in rows {
        write_row(out, row.iter().map(|c| field(c)), mode)?;
    }
    Ok(())
}
