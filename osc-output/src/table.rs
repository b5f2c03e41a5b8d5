//! cliff's `TableFormatter` on top of prettytable's default ASCII style: `+---+` frame,
//! one space of padding, rules only around the header and at the bottom, multi-line cells,
//! per-column `max_width` with `wcwidth.wrap`, and cliff's fitting of columns into the
//! terminal (`--max-width`, `--fit-width`).

use crate::formatcols::human_readable;
use crate::width::{expandtabs, width};
use crate::wrap::wrap;
use crate::{Cell, Style};
use serde_json::Value;
use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One formatted cell: its text (after cliff's `\r` clean-up and `expandtabs`) and the widest
/// of its lines.
struct Text<'a> {
    s: Cow<'a, str>,
    w: usize,
    multiline: bool,
}

impl<'a> Text<'a> {
    fn new(s: Cow<'a, str>) -> Self {
        let multiline = s.contains('\n');
        let w = if multiline {
            s.split('\n').map(width).max().unwrap_or(0)
        } else {
            width(&s)
        };
        Text { s, w, multiline }
    }
}

/// A prettytable with cliff's settings.
pub struct PrettyTable<'a> {
    fields: Vec<Text<'a>>,
    align: Vec<Align>,
    /// Row-major cells, `fields.len()` per row.
    cells: Vec<Text<'a>>,
    max_width: Vec<Option<usize>>,
    print_empty: bool,
}

/// cliff's `_format_row` then prettytable's `str(v).expandtabs()`.
pub fn cell_text(cell: &Cell) -> Cow<'_, str> {
    let s: Cow<'_, str> = match (&cell.style, &cell.value) {
        (Style::Raw, Value::String(s)) => Cow::Borrowed(s),
        _ => Cow::Owned(human_readable(cell)),
    };
    // cliff only cleans up str values; other raw values print via repr, which escapes \r.
    let is_str = cell.style != Style::Raw || cell.value.is_string();
    let s = if is_str && s.contains('\r') {
        Cow::Owned(s.replace("\r\n", "\n").replace('\r', " "))
    } else {
        s
    };
    match expandtabs(&s) {
        Cow::Borrowed(_) => s,
        Cow::Owned(o) => Cow::Owned(o),
    }
}

/// `TableFormatter.ALIGNMENTS` by the type of a first-row value: numbers right, all else left.
pub fn alignment_for(cell: &Cell) -> Align {
    match (&cell.style, &cell.value) {
        (Style::Raw, Value::Number(_)) => Align::Right,
        _ => Align::Left,
    }
}

impl<'a> PrettyTable<'a> {
    pub fn new(fields: &[String], print_empty: bool) -> Self {
        PrettyTable {
            fields: fields
                .iter()
                .map(|f| Text::new(Cow::Owned(f.clone())))
                .collect(),
            // prettytable's default alignment; cliff overrides it from the first row.
            align: vec![Align::Center; fields.len()],
            cells: Vec::new(),
            max_width: vec![None; fields.len()],
            print_empty,
        }
    }

    pub fn set_align(&mut self, align: Vec<Align>) {
        self.align = align;
    }

    /// Adds a row; it must have one cell per field.
    pub fn add_row(&mut self, row: impl IntoIterator<Item = Cow<'a, str>>) {
        let n = self.fields.len();
        let before = self.cells.len();
        self.cells.extend(row.into_iter().take(n).map(Text::new));
        // Keep the grid rectangular whatever the caller passed.
        while self.cells.len() < before + n {
            self.cells.push(Text::new(Cow::Borrowed("")));
        }
    }

    fn rows(&self) -> impl Iterator<Item = &[Text<'a>]> {
        self.cells.chunks(self.fields.len().max(1))
    }

    fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Column widths as prettytable's `_compute_widths`: the header, then each cell's widest
    /// line capped by the column's `max_width`.
    fn widths(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = self.fields.iter().map(|f| f.w).collect();
        for row in self.rows() {
            for ((w, cell), max) in widths.iter_mut().zip(row).zip(&self.max_width) {
                let cw = max.map_or(cell.w, |m| cell.w.min(m));
                *w = (*w).max(cw);
            }
        }
        widths
    }

    fn is_empty_output(&self) -> bool {
        self.is_empty() && !self.print_empty
    }

    /// `TableFormatter._assign_max_widths`: when the table is wider than `term_width`, give
    /// columns wider than an equal share a max width from what the narrow ones leave over.
    pub fn assign_max_widths(&mut self, term_width: usize, min_width: usize) {
        if self.is_empty_output() {
            return;
        }
        let widths = self.widths();
        let n = widths.len();
        let first_line_len = if n == 0 {
            2
        } else {
            widths.iter().map(|w| w + 3).sum::<usize>() + 1
        };
        if first_line_len <= term_width {
            return;
        }
        let usable = (term_width as i64 - 1 - 3 * n as i64).max(0);
        let optimal = if n == 0 { 0 } else { usable / n as i64 };
        let mut shrink = Vec::new();
        let mut remaining = usable;
        for (i, &w) in widths.iter().enumerate() {
            if w as i64 <= optimal {
                remaining -= w as i64;
            } else {
                shrink.push(i);
            }
        }
        let Some((&last, rest)) = shrink.split_last() else {
            return;
        };
        // Python's floor division, also for a negative remainder.
        let shrink_to = remaining.div_euclid(shrink.len() as i64);
        let min_width = min_width as i64;
        for &i in rest {
            self.max_width[i] = Some(min_width.max(shrink_to) as usize);
            remaining -= shrink_to;
        }
        self.max_width[last] = Some(min_width.max(remaining) as usize);
    }

    /// prettytable's `get_string()`.
    pub fn render(&self, out: &mut String) {
        if self.is_empty_output() {
            return;
        }
        let widths = self.widths();
        let mut hrule = String::from("+");
        for w in &widths {
            hrule.extend(std::iter::repeat_n('-', w + 2));
            hrule.push('+');
        }
        if widths.is_empty() {
            hrule.push('+');
        }
        out.push_str(&hrule);
        out.push('\n');
        out.push('|');
        if widths.is_empty() {
            out.push('|');
        }
        for ((f, w), a) in self.fields.iter().zip(&widths).zip(&self.align) {
            out.push(' ');
            justify(out, &f.s, f.w, *w, *a);
            out.push_str(" |");
        }
        out.push('\n');
        out.push_str(&hrule);
        for row in self.rows() {
            out.push('\n');
            self.render_row(out, row, &widths);
        }
        out.push('\n');
        out.push_str(&hrule);
    }

    fn render_row(&self, out: &mut String, row: &[Text], widths: &[usize]) {
        if row.iter().all(|c| !c.multiline) && row.iter().zip(widths).all(|(c, w)| c.w <= *w) {
            // Fast path: one line per cell, nothing to wrap.
            out.push('|');
            for ((c, w), a) in row.iter().zip(widths).zip(&self.align) {
                out.push(' ');
                justify(out, &c.s, c.w, *w, *a);
                out.push_str(" |");
            }
            return;
        }
        let cells: Vec<Vec<(String, usize)>> = row
            .iter()
            .zip(widths)
            .map(|(c, &w)| cell_lines(c, w))
            .collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
        for y in 0..height {
            if y > 0 {
                out.push('\n');
            }
            out.push('|');
            for ((lines, w), a) in cells.iter().zip(widths).zip(&self.align) {
                out.push(' ');
                match lines.get(y) {
                    Some((s, lw)) => justify(out, s, *lw, *w, *a),
                    None => justify(out, "", 0, *w, *a),
                }
                out.push_str(" |");
            }
        }
    }
}

/// The display lines of a cell in a column `w` wide: its own lines, each wrapped if wider.
fn cell_lines(c: &Text, w: usize) -> Vec<(String, usize)> {
    let mut lines = Vec::new();
    for line in c.s.split('\n') {
        let lw = width(line);
        if lw > w {
            let wrapped = wrap(line, w);
            if wrapped.is_empty() {
                lines.push((String::new(), 0));
            }
            for l in wrapped {
                let lw = width(&l);
                lines.push((l, lw));
            }
        } else {
            lines.push((line.to_string(), lw));
        }
    }
    lines
}

/// wcwidth's `ljust`/`rjust`/`center` (text wider than `w` is left as is).
fn justify(out: &mut String, s: &str, sw: usize, w: usize, align: Align) {
    let pad = w.saturating_sub(sw);
    let (left, right) = match align {
        Align::Left => (0, pad),
        Align::Right => (pad, 0),
        Align::Center => {
            let left = pad / 2 + (pad & w & 1);
            (left, pad - left)
        }
    };
    out.extend(std::iter::repeat_n(' ', left));
    out.push_str(s);
    out.extend(std::iter::repeat_n(' ', right));
}
