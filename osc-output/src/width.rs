//! Display width of text as prettytable measures it (`wcwidth.width`), and Python's
//! `str.expandtabs()`, which prettytable applies to every cell.

use crate::wcwidth_tables as t;
use std::borrow::Cow;

/// `wcwidth.width(text)` (default `control_codes='parse'`, no terminal overrides): the
/// rightmost cell the cursor reaches. Wide characters count 2, combining marks 0; a base
/// followed by a spacing mark, a virama conjunct or a VS16 emoji counts 2; an emoji ZWJ
/// sequence counts as its first emoji; escape sequences are invisible; `\t`, `\b` and `\r`
/// move the cursor.
pub fn width(text: &str) -> usize {
    let bytes = text.as_bytes();
    if bytes.iter().all(|b| (0x20..0x7f).contains(b)) {
        return bytes.len();
    }
    // Long text without cursor movement is measured with escape sequences and control
    // characters stripped (wcwidth's fast 'ignore' path), which can join a base and a mark
    // across them.
    let chars: Vec<char> = text.chars().collect();
    if chars.len() > 20
        && !text.contains(['\x08', '\t', '\r'])
        && (!text.contains('\x1b') || !has_cursor_movement(&chars))
    {
        let mut stripped = Vec::with_capacity(chars.len());
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '\x1b' {
                if let Some(end) = escape_end(&chars, i) {
                    i = end;
                    continue;
                }
            }
            if !is_control(chars[i]) {
                stripped.push(chars[i]);
            }
            i += 1;
        }
        return measure(&stripped);
    }
    measure(&chars)
}

/// C0 (with tab), DEL and C1 controls: what wcwidth's 'ignore' mode deletes.
fn is_control(c: char) -> bool {
    (c as u32) < 0x20 || (0x7f..0xa0).contains(&(c as u32))
}

fn in_table(c: u32, table: &[(u32, u32)]) -> bool {
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// `wcwidth.wcwidth(char)` for a non-control character.
fn char_width(c: u32) -> usize {
    if (0x20..0x7f).contains(&c) {
        1
    } else if in_table(c, t::ZERO_WIDTH) {
        0
    } else if in_table(c, t::WIDE) {
        2
    } else {
        1
    }
}

fn is_regional_indicator(c: u32) -> bool {
    (0x1f1e6..=0x1f1ff).contains(&c)
}

/// The grapheme-clustering loop of `wcwidth.width()` in 'parse' mode (variables named as
/// there; `None` stands for its `-2`/`-1` sentinels).
fn measure(text: &[char]) -> usize {
    let mut col: i64 = 0;
    let mut max: i64 = 0;
    // The pending cluster: its width is added when the next cluster starts.
    let mut cluster: i64 = 0;
    let mut last_idx: Option<usize> = None;
    let mut last_ucs: Option<u32> = None;
    let mut last_w: i64 = 0;
    let mut max_before: i64 = 0;
    let mut prev_virama = false;
    let mut i = 0;
    let flush = |col: &mut i64, max: &mut i64, cluster: &mut i64| {
        if *cluster != 0 {
            *col += *cluster;
            *max = (*max).max(*col);
            *cluster = 0;
        }
    };
    while i < text.len() {
        let ch = text[i];
        let u = ch as u32;
        if ch == '\x1b' || is_control(ch) {
            flush(&mut col, &mut max, &mut cluster);
            if ch == '\x1b' {
                if let Some((kind, n, end)) = cursor_sequence(text, i) {
                    match kind {
                        'G' => col = i64::from(n.unwrap_or(1)) - 1,
                        'C' => col += i64::from(n.unwrap_or(1)),
                        _ => col = (col - i64::from(n.unwrap_or(1))).max(0),
                    }
                    i = end;
                } else {
                    i = escape_end(text, i).unwrap_or(i + 1);
                }
            } else {
                match ch {
                    '\t' => col += 8 - col.rem_euclid(8),
                    '\x08' => col = (col - 1).max(0),
                    '\r' => col = 0,
                    _ => {}
                }
                i += 1;
            }
            max = max.max(col);
            last_idx = None;
            last_ucs = None;
            continue;
        }
        if u == 0x200d {
            // ZWJ joins the next character into the current cluster (unless after a virama).
            if prev_virama {
                i += 1;
            } else if i + 1 < text.len() {
                last_w = 0;
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        if u == 0xfe0f && last_idx.is_some() {
            if last_ucs.is_some_and(|b| in_table(b, t::VS16_NARROW_TO_WIDE)) {
                cluster = 2;
            }
            last_idx = None;
            i += 1;
            continue;
        }
        if u == 0xfe0e && last_idx.is_some() {
            if last_ucs.is_some_and(|b| in_table(b, t::VS15_WIDE_TO_NARROW)) && last_w == 2 {
                col -= 1;
                max = max_before.max(col);
            }
            last_idx = None;
            i += 1;
            continue;
        }
        if is_regional_indicator(u) {
            let before = text[..i]
                .iter()
                .rev()
                .take_while(|c| is_regional_indicator(**c as u32))
                .count();
            if before % 2 == 1 {
                // The second indicator of a flag adds nothing.
                last_ucs = Some(u);
                i += 1;
                continue;
            }
        } else if (0x1f3fb..=0x1f3ff).contains(&u)
            && last_ucs
                .is_some_and(|b| is_regional_indicator(b) || in_table(b, t::EXTENDED_PICTOGRAPHIC))
        {
            // A Fitzpatrick skin tone modifying an emoji.
            i += 1;
            continue;
        }
        let w = char_width(u) as i64;
        if w > 0 {
            if prev_virama {
                cluster = 2;
            } else {
                flush(&mut col, &mut max, &mut cluster);
                cluster = w;
            }
            last_idx = Some(i);
            last_ucs = Some(u);
            last_w = w;
            max_before = max;
            prev_virama = false;
        } else if in_table(u, t::VIRAMA) {
            prev_virama = true;
        } else if last_idx.is_some() && in_table(u, t::SPACING_MARK) {
            cluster = 2;
            last_idx = None;
            prev_virama = false;
        } else {
            prev_virama = false;
        }
        i += 1;
    }
    flush(&mut col, &mut max, &mut cluster);
    usize::try_from(max).unwrap_or(0)
}

/// `CSI [n] C|D|G` at `i`: cursor forward, backward, or to column n.
fn cursor_sequence(t: &[char], i: usize) -> Option<(char, Option<u32>, usize)> {
    if t.get(i + 1) != Some(&'[') {
        return None;
    }
    let mut j = i + 2;
    while j < t.len() && t[j].is_ascii_digit() {
        j += 1;
    }
    let kind = *t.get(j).filter(|c| matches!(c, 'C' | 'D' | 'G'))?;
    let digits: String = t[i + 2..j].iter().collect();
    Some((kind, digits.parse().ok(), j + 1))
}

fn has_cursor_movement(t: &[char]) -> bool {
    (0..t.len()).any(|i| t[i] == '\x1b' && cursor_sequence(t, i).is_some())
}

/// End of wcwidth's `ZERO_WIDTH_PATTERN` match at `i` (an ESC): CSI, OSC/APC/DCS/PM strings,
/// charset designations, nF, Fe, Fp and Fs escapes; `None` for an errant ESC.
fn escape_end(t: &[char], i: usize) -> Option<usize> {
    let at = |k: usize| t.get(k).copied();
    let in_range = |c: Option<char>, lo: char, hi: char| c.is_some_and(|c| (lo..=hi).contains(&c));
    let next = at(i + 1)?;
    // A string sequence body ends with BEL or ESC \.
    let string_end = |start: usize| -> Option<usize> {
        let mut k = start;
        while let Some(c) = at(k) {
            match c {
                '\x07' => return Some(k + 1),
                '\x1b' => return (at(k + 1) == Some('\\')).then_some(k + 2),
                _ => k += 1,
            }
        }
        None
    };
    let matched = match next {
        '[' => {
            let mut k = i + 2;
            while in_range(at(k), '\x30', '\x3f') {
                k += 1;
            }
            while in_range(at(k), '\x20', '\x2f') {
                k += 1;
            }
            in_range(at(k), '\x40', '\x7e').then_some(k + 1)
        }
        ']' | '_' | 'P' | '^' => string_end(i + 2),
        '(' | ')' => at(i + 2).map(|_| i + 3),
        _ => None,
    };
    if matched.is_some() {
        return matched;
    }
    if in_range(Some(next), '\x20', '\x2f') {
        let mut k = i + 1;
        while in_range(at(k), '\x20', '\x2f') {
            k += 1;
        }
        if in_range(at(k), '\x30', '\x7e') {
            return Some(k + 1);
        }
    }
    // Fe, Fp and Fs: ESC and one more character.
    in_range(Some(next), '\x30', '\x7e').then_some(i + 2)
}

/// Python's `str.expandtabs(8)`: columns count characters and restart after `\n` or `\r`.
pub fn expandtabs(s: &str) -> Cow<'_, str> {
    if !s.contains('\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut col = 0usize;
    for c in s.chars() {
        match c {
            '\t' => {
                let n = 8 - col % 8;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    Cow::Owned(out)
}

/// Python's `str.isspace()` for one character (what `strip()` removes).
pub fn py_isspace(c: char) -> bool {
    matches!(c, '\t'..='\r' | '\x1c'..='\x1f' | ' ' | '\u{85}')
        || (!c.is_ascii() && c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(width("hello"), 5);
        assert_eq!(width(""), 0);
        assert_eq!(width("日本語"), 6);
        assert_eq!(width("cafe\u{301}"), 4);
        assert_eq!(width("\x1b[31mred\x1b[0m"), 3);
        assert_eq!(width("abc\t"), 8);
        assert_eq!(width("\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}"), 2);
        assert_eq!(width("\u{1f1eb}\u{1f1f7}"), 2);
        assert_eq!(width("ab\rc"), 2);
    }

    #[test]
    fn tabs() {
        assert_eq!(expandtabs("a\tb"), "a       b");
        assert_eq!(expandtabs("abcdefgh\tx"), "abcdefgh        x");
        assert_eq!(expandtabs("ab\n\tc"), "ab\n        c");
        assert_eq!(expandtabs("none"), "none");
    }
}
