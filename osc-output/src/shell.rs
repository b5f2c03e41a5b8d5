//! cliff's `ShellFormatter`: `{prefix}{name}="{value}"` lines a POSIX shell can `eval`.

use crate::formatcols::machine_readable;
use crate::pystr::py_str;
use crate::{Cell, Style};
use serde_json::Value;

/// `ShellFormatter.emit_one`. `variables` is the hidden `--variable` filter, matched against
/// the lowercased, underscored names before `:`/`-` are replaced.
pub fn emit_one(
    out: &mut String,
    names: &[String],
    values: &[&Cell],
    prefix: &str,
    variables: &[String],
) {
    for (name, cell) in names.iter().zip(values) {
        let name = name.to_lowercase().replace(' ', "_");
        if !variables.is_empty() && !variables.contains(&name) {
            continue;
        }
        // Only str values get their double quotes escaped; `str()` of a raw list or dict is
        // printed as is, as cliff does.
        let value = match (&cell.style, &cell.value) {
            (Style::Raw, Value::String(s)) => s.replace('"', "\\\""),
            (Style::Raw, v) => py_str(v),
            _ => py_str(&machine_readable(cell)).replace('"', "\\\""),
        };
        let name = name.replace([':', '-'], "_");
        out.push_str(prefix);
        out.push_str(&name);
        out.push_str("=\"");
        out.push_str(&value);
        out.push_str("\"\n");
    }
}
