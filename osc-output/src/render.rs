//! What cliff's `Lister.produce_output` / `ShowOne.produce_output` do around the formatter:
//! `--sort-column` sorting, `-c` selection, then the chosen formatter.

use crate::formatcols::machine_readable;
use crate::options::{Format, FormatOptions};
use crate::pyops::{py_eq, py_lt, try_stable_sort, Unorderable};
use crate::pystr::{repr_str_list, repr_str_tuple};
use crate::table::{alignment_for, cell_text, PrettyTable};
use crate::{csv, json, shell, value, yaml};
use crate::{Cell, Output, Record, Style, Table};
use serde_json::Value;
use std::borrow::Cow;
use std::io::Write;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A one-line message, as cliff reports it (e.g. an unknown `-c` column).
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Renders `out` as cliff would print it to stdout.
pub fn render(out: &Output, opts: &FormatOptions, w: &mut dyn Write) -> Result<(), OutputError> {
    let mut buf = String::new();
    let result = match out {
        Output::List(t) => render_list(t, opts, &mut buf),
        Output::Show(r) => render_show(r, opts, &mut buf),
        Output::Text(s) => {
            buf.push_str(s);
            Ok(())
        }
        Output::None => Ok(()),
    };
    // cliff has printed whatever came before an error (csv rows, say), so do the same.
    w.write_all(buf.as_bytes())?;
    result
}

/// `DisplayCommandBase._normalize_column_name`.
fn normalize(name: &str) -> String {
    name.to_lowercase()
        .trim_matches(crate::width::py_isspace)
        .replace(' ', "_")
}

/// `_generate_columns_and_selector`: indexes of the columns to show, in the data's order.
fn select_columns(names: &[String], requested: &[String]) -> Result<Vec<usize>, OutputError> {
    if requested.is_empty() {
        return Ok((0..names.len()).collect());
    }
    let wanted: Vec<String> = requested.iter().map(|c| normalize(c)).collect();
    let picked: Vec<usize> = (0..names.len())
        .filter(|&i| wanted.contains(&normalize(&names[i])))
        .collect();
    if picked.is_empty() {
        return Err(OutputError::Invalid(format!(
            "No recognized column names in {}. Recognized columns are {}.",
            repr_str_list(requested),
            repr_str_tuple(names)
        )));
    }
    Ok(picked)
}

/// `FormattableColumn` instances compare by their values; raw values compare directly.
/// Python's key is `(value is None, value)`, and a styled cell is never `None` itself.
fn key_lt(a: &Cell, b: &Cell) -> Result<bool, Unorderable> {
    let a_none = a.style == Style::Raw && a.value.is_null();
    let b_none = b.style == Style::Raw && b.value.is_null();
    if a_none != b_none {
        return Ok(!a_none);
    }
    if py_eq(&a.value, &b.value) {
        return Ok(false);
    }
    py_lt(&a.value, &b.value)
}

/// `Lister.produce_output`'s sort: one stable `sorted()` per column, last column first; a
/// column whose values cannot be ordered is skipped, as cliff only logs a warning.
fn sort_rows(table: &Table, opts: &FormatOptions) -> Vec<usize> {
    let mut order: Vec<usize> = (0..table.rows.len()).collect();
    if opts.sort_columns.is_empty() {
        return order;
    }
    let normalized: Vec<String> = table.columns.iter().map(|c| normalize(c)).collect();
    let mut indexes = Vec::new();
    for column in &opts.sort_columns {
        if let Some(i) = table.columns.iter().position(|c| c == column) {
            indexes.push(i);
        } else if let Some(i) = normalized.iter().position(|c| *c == normalize(column)) {
            indexes.push(i);
        }
    }
    let null = Cell::raw(Value::Null);
    let cell = |row: usize, col: usize| table.rows[row].get(col).unwrap_or(&null);
    for &col in indexes.iter().rev() {
        let mut attempt = order.clone();
        // sorted(reverse=True) is reverse + stable sort + reverse: ties keep their order.
        if opts.sort_descending {
            attempt.reverse();
        }
        if try_stable_sort(&mut attempt, |&a, &b| key_lt(cell(a, col), cell(b, col))).is_ok() {
            if opts.sort_descending {
                attempt.reverse();
            }
            order = attempt;
        }
    }
    order
}

fn render_list(t: &Table, opts: &FormatOptions, out: &mut String) -> Result<(), OutputError> {
    let order = sort_rows(t, opts);
    let cols = select_columns(&t.columns, &opts.columns)?;
    let names: Vec<String> = cols.iter().map(|&i| t.columns[i].clone()).collect();
    let null = Cell::raw(Value::Null);
    let rows: Vec<Vec<&Cell>> = order
        .iter()
        .map(|&r| {
            cols.iter()
                .map(|&c| t.rows[r].get(c).unwrap_or(&null))
                .collect()
        })
        .collect();
    match opts.format {
        Format::Table => {
            let mut pt = PrettyTable::new(&names, opts.print_empty);
            if let Some(first) = rows.first() {
                pt.set_align(first.iter().map(|c| alignment_for(c)).collect());
            }
            for row in &rows {
                pt.add_row(row.iter().map(|c| cell_text(c)));
            }
            finish_table(pt, opts, 8, out);
        }
        Format::Csv => csv::emit_list(out, &names, &rows, opts.quote)?,
        Format::Json | Format::Yaml => {
            let machine: Vec<Vec<Cow<'_, Value>>> = rows
                .iter()
                .map(|row| row.iter().map(|c| machine_readable(c)).collect())
                .collect();
            let items: Vec<Vec<(&str, &Value)>> =
                machine.iter().map(|values| dict(&names, values)).collect();
            if opts.format == Format::Json {
                json::dump_maps(out, &items, !opts.noindent);
                out.push('\n');
            } else {
                yaml::safe_dump_maps(out, &items);
            }
        }
        Format::Value => value::emit_list(out, &rows),
        Format::Shell => {
            return Err(OutputError::Invalid(
                "the shell format only applies to single objects".into(),
            ))
        }
    }
    Ok(())
}

fn render_show(r: &Record, opts: &FormatOptions, out: &mut String) -> Result<(), OutputError> {
    let all: Vec<String> = r.fields.iter().map(|(k, _)| k.clone()).collect();
    let cols = select_columns(&all, &opts.columns)?;
    let names: Vec<String> = cols.iter().map(|&i| all[i].clone()).collect();
    let cells: Vec<&Cell> = cols.iter().map(|&i| &r.fields[i].1).collect();
    match opts.format {
        Format::Table => {
            let mut pt = PrettyTable::new(&["Field".to_string(), "Value".to_string()], false);
            pt.set_align(vec![crate::table::Align::Left; 2]);
            for (name, cell) in names.iter().zip(&cells) {
                let name = cell_text(&Cell::raw(name.as_str())).into_owned();
                pt.add_row([Cow::Owned(name), cell_text(cell)]);
            }
            finish_table(pt, opts, 16, out);
        }
        Format::Json => {
            let values: Vec<Cow<'_, Value>> = cells.iter().map(|c| machine_readable(c)).collect();
            json::dump_map(out, &dict(&names, &values), !opts.noindent);
            out.push('\n');
        }
        Format::Yaml => {
            // cliff dumps one single-key document per field, in field order.
            for (name, cell) in names.iter().zip(&cells) {
                yaml::safe_dump_map(out, &[(name.as_str(), &machine_readable(cell))]);
            }
        }
        Format::Value => value::emit_one(out, &cells),
        Format::Shell => shell::emit_one(out, &names, &cells, &opts.prefix, &opts.variables),
        Format::Csv => {
            return Err(OutputError::Invalid(
                "the csv format only applies to lists".into(),
            ))
        }
    }
    Ok(())
}

/// `{name: value for name, value in zip(names, values)}`: a repeated name keeps its first
/// position and its last value.
fn dict<'a>(names: &'a [String], values: &'a [Cow<'a, Value>]) -> Vec<(&'a str, &'a Value)> {
    let mut entries: Vec<(&str, &Value)> = Vec::with_capacity(names.len());
    for (name, value) in names.iter().zip(values) {
        match entries.iter_mut().find(|(k, _)| *k == name.as_str()) {
            Some(entry) => entry.1 = value,
            None => entries.push((name, value)),
        }
    }
    entries
}

/// Fits the table (cliff's `_assign_max_widths`) and prints it followed by a newline.
fn finish_table(mut pt: PrettyTable, opts: &FormatOptions, min_width: usize, out: &mut String) {
    let term = if opts.max_width > 0 {
        usize::try_from(opts.max_width).ok()
    } else {
        opts.terminal_width.filter(|&w| w > 0)
    };
    if let Some(term) = term {
        pt.assign_max_widths(term, min_width);
    }
    pt.render(out);
    out.push('\n');
}
