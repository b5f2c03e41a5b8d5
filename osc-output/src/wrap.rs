//! `wcwidth.wrap(line, width)` as prettytable calls it for cells wider than their column:
//! Python's `textwrap.TextWrapper` (default options, `break_on_hyphens=True`) with widths
//! measured in terminal cells and long words broken on grapheme boundaries.

use crate::width::{py_isspace, width};
use unicode_general_category::{get_general_category, GeneralCategory};
use unicode_segmentation::UnicodeSegmentation;

/// Wraps one line (no `\n`) into lines of at most `max` cells where possible.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let munged = munge_whitespace(text);
    let chunks = split_chunks(&munged);
    wrap_chunks(chunks, max.max(1))
}

/// `_munge_whitespace`: expand tabs, then every ASCII whitespace character becomes a space.
fn munge_whitespace(text: &str) -> String {
    let expanded = crate::width::expandtabs(text);
    expanded
        .chars()
        .map(|c| if is_tw_space(c) { ' ' } else { c })
        .collect()
}

/// textwrap's `_whitespace`: `'\t\n\x0b\x0c\r '`.
fn is_tw_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0b' | '\x0c' | '\r' | ' ')
}

/// Python regex `\w` on str: alphanumeric in the Unicode sense, or `_`.
fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    matches!(
        get_general_category(c),
        GeneralCategory::UppercaseLetter
            | GeneralCategory::LowercaseLetter
            | GeneralCategory::TitlecaseLetter
            | GeneralCategory::ModifierLetter
            | GeneralCategory::OtherLetter
            | GeneralCategory::DecimalNumber
            | GeneralCategory::LetterNumber
            | GeneralCategory::OtherNumber
    )
}

/// textwrap's `letter`: `[^\d\W]`.
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic() || c == '_';
    }
    is_word(c) && get_general_category(c) != GeneralCategory::DecimalNumber
}

/// textwrap's `word_punct`: `[\w!"\'&.,?]`.
fn is_word_punct(c: char) -> bool {
    is_word(c) || matches!(c, '!' | '"' | '\'' | '&' | '.' | ',' | '?')
}

/// `-{2,}(?=\w)` at `i`: a run of two or more dashes followed by a word character.
fn em_dash_at(t: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    while j < t.len() && t[j] == '-' {
        j += 1;
    }
    (j - i >= 2 && j < t.len() && is_word(t[j])).then_some(j)
}

/// `TextWrapper.wordsep_re.split()` with empty strings dropped. Every position starts a
/// match (whitespace run, em-dash, or a lazily extended word), so chunks tile the text:
///
/// ```text
/// ( \s+
/// | (?<=wp) -{2,} (?=\w)
/// | \S+? (?: -(?: (?<=lt{2}-) | (?<=lt-lt-)) (?= lt -? lt)   # hyphenated word
///          | (?=\s|\Z)                                       # end of word
///          | (?<=wp) (?=-{2,}\w) ) )                          # before an em-dash
/// ```
fn split_chunks(text: &str) -> Vec<String> {
    let t: Vec<char> = text.chars().collect();
    let n = t.len();
    let lt = |k: usize| k < n && is_letter(t[k]);
    let mut chunks = Vec::new();
    let mut i = 0;
    while i < n {
        let end = if is_tw_space(t[i]) {
            let mut j = i;
            while j < n && is_tw_space(t[j]) {
                j += 1;
            }
            j
        } else if let Some(j) = (i > 0 && is_word_punct(t[i - 1]))
            .then(|| em_dash_at(&t, i))
            .flatten()
        {
            j
        } else {
            let mut j = i + 1;
            loop {
                if j < n && t[j] == '-' {
                    let behind = (j >= 2 && lt(j - 2) && lt(j - 1))
                        || (j >= 3 && lt(j - 3) && t[j - 2] == '-' && lt(j - 1));
                    let ahead =
                        lt(j + 1) && (lt(j + 2) || (j + 2 < n && t[j + 2] == '-' && lt(j + 3)));
                    if behind && ahead {
                        break j + 1;
                    }
                }
                if j == n || is_tw_space(t[j]) {
                    break j;
                }
                if is_word_punct(t[j - 1]) && em_dash_at(&t, j).is_some() {
                    break j;
                }
                j += 1;
            }
        };
        chunks.push(t[i..end].iter().collect());
        i = end;
    }
    chunks
}

/// Whitespace-only by Python's `str.strip()`.
fn is_blank(s: &str) -> bool {
    s.chars().all(py_isspace)
}

/// `SequenceTextWrapper._wrap_chunks` without indents, placeholders or hyperlinks.
fn wrap_chunks(chunks: Vec<String>, line_width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut chunks: Vec<String> = chunks.into_iter().rev().collect();
    while !chunks.is_empty() {
        let mut current: Vec<String> = Vec::new();
        let mut current_width = 0usize;
        // Leading whitespace is dropped, except at the very start of the text.
        if !lines.is_empty() && chunks.last().is_some_and(|c| !c.is_empty() && is_blank(c)) {
            chunks.pop();
        }
        while let Some(chunk) = chunks.last() {
            let w = width(chunk);
            if current_width + w <= line_width {
                current_width += w;
                current.extend(chunks.pop());
            } else {
                break;
            }
        }
        if chunks.last().is_some_and(|c| width(c) > line_width) {
            handle_long_word(&mut chunks, &mut current, current_width, line_width);
            while chunks.last().is_some_and(String::is_empty) {
                chunks.pop();
            }
        }
        if current.last().is_some_and(|c| !c.is_empty() && is_blank(c)) {
            current.pop();
        }
        if !current.is_empty() {
            let line = current.concat();
            let trimmed = line.trim_end_matches(py_isspace);
            if trimmed.is_empty() {
                continue;
            }
            lines.push(trimmed.to_string());
        }
    }
    lines
}

/// Breaks the over-long next chunk: as much as fits (by grapheme), or up to its last hyphen.
fn handle_long_word(
    chunks: &mut [String],
    current: &mut Vec<String>,
    cur_len: usize,
    width_: usize,
) {
    let space_left = if width_ < 1 {
        1
    } else {
        width_.saturating_sub(cur_len)
    };
    let Some(chunk) = chunks.last_mut() else {
        return;
    };
    // Byte offset of the longest grapheme prefix that fits in `space_left` cells. Printable
    // ASCII (all a munged line can hold, short of control characters) is one cell a byte.
    let mut prefix_end = 0;
    if chunk.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        prefix_end = space_left.min(chunk.len());
    } else {
        let mut so_far = 0;
        for (idx, g) in chunk.grapheme_indices(true) {
            let gw = width(g);
            if so_far + gw > space_left {
                break;
            }
            so_far += gw;
            prefix_end = idx + g.len();
        }
    }
    let prefix = &chunk[..prefix_end];
    // break_on_hyphens: cut after the last '-' that has a non-hyphen before it.
    let mut end = prefix_end;
    let hyphen = prefix
        .rfind('-')
        .filter(|&h| h > 0 && prefix[..h].chars().any(|c| c != '-'));
    if let Some(h) = hyphen {
        end = h + 1;
    } else if current.is_empty() && (end == 0 || (end < chunk.len() && width(&chunk[..end]) == 0)) {
        // Always make progress: take at least the first grapheme.
        end = chunk.graphemes(true).next().map_or(chunk.len(), str::len);
    }
    current.push(chunk[..end].to_string());
    *chunk = chunk[end..].to_string();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        split_chunks(s)
    }

    #[test]
    fn chunks_like_python() {
        assert_eq!(
            split("Hello there -- you goof-ball, use the -b option!"),
            [
                "Hello", " ", "there", " ", "--", " ", "you", " ", "goof-", "ball,", " ", "use",
                " ", "the", " ", "-b", " ", "option!"
            ]
        );
        assert_eq!(split("foo--bar"), ["foo", "--", "bar"]);
        assert_eq!(split("a-b-c"), ["a-b-c"]);
        assert_eq!(split("abc-def-ghi"), ["abc-", "def-", "ghi"]);
    }

    #[test]
    fn wraps() {
        assert_eq!(wrap("hello world", 5), ["hello", "world"]);
        assert_eq!(wrap("中文字符", 4), ["中文", "字符"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("   ", 2), Vec::<String>::new());
    }
}

#[cfg(test)]
mod wcwidth_parity {
    /// `tests/fixtures/wcwidth.json`: random tricky strings with what wcwidth's `width()` and
    /// `wrap()` return for them (made by `tests/fixtures/gen.py`).
    fn fixture() -> serde_json::Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/wcwidth.json");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        serde_json::from_str(&text).unwrap_or_default()
    }

    #[test]
    fn width_matches_wcwidth() {
        let v = fixture();
        let cases = v["widths"].as_array().cloned().unwrap_or_default();
        assert!(cases.len() >= 1000);
        let bad: Vec<String> = cases
            .iter()
            .filter_map(|c| {
                let s = c[0].as_str()?;
                let want = c[1].as_u64()? as usize;
                let got = crate::width::width(s);
                (got != want).then(|| format!("{s:?}: want {want} got {got}"))
            })
            .collect();
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn wrap_matches_wcwidth() {
        let v = fixture();
        let cases = v["wraps"].as_array().cloned().unwrap_or_default();
        assert!(cases.len() >= 1000);
        let bad: Vec<String> = cases
            .iter()
            .filter_map(|c| {
                let s = c[0].as_str()?;
                let w = c[1].as_u64()? as usize;
                let want: Vec<String> = c[2]
                    .as_array()?
                    .iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect();
                let got = super::wrap(s, w);
                (got != want).then(|| format!("{s:?} at {w}: want {want:?} got {got:?}"))
            })
            .collect();
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}
