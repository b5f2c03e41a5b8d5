//! cliff's `ValueFormatter`: `str()` of each value (of `machine_readable()` for styled cells),
//! space-separated per row, one value per line for a single object.

use crate::formatcols::machine_readable;
use crate::pystr::py_str;
use crate::{Cell, Style};

/// `str(c.machine_readable() if styled else c)`.
pub fn value_str(cell: &Cell) -> String {
    if cell.style == Style::Raw {
        py_str(&cell.value)
    } else {
        py_str(&machine_readable(cell))
    }
}

pub fn emit_list(out: &mut String, rows: &[Vec<&Cell>]) {
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&value_str(c));
        }
        out.push('\n');
    }
}

pub fn emit_one(out: &mut String, values: &[&Cell]) {
    for c in values {
        out.push_str(&value_str(c));
        out.push('\n');
    }
}
