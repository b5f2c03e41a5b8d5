//! Display width of text as prettytable measures it (`wcwidth.width`), and Python's
//! `str.expandtabs()`, which prettytable applies to every cell.

use std::borrow::Cow;
use unicode_width::UnicodeWidthChar;

/// `wcwidth.width(text)`: terminal cells the text spans. Wide (East Asian) characters count 2,
/// combining marks and control characters 0; escape sequences are invisible; `\t`, `\b` and
/// `\r` move the cursor; an emoji ZWJ sequence counts as its first emoji.
pub fn width(text: &str) -> usize {
    let bytes = text.as_bytes();
    if bytes.iter().all(|b| (0x20..0x7f).contains(b)) {
        return bytes.len();
    }
    let mut col: usize = 0;
    let mut max: usize = 0;
    let mut chars = text.chars().peekable();
    let mut prev_narrow_emoji = false;
    let mut ri_run = 0usize;
    while let Some(c) = chars.next() {
        let is_ri = ('\u{1f1e6}'..='\u{1f1ff}').contains(&c);
        if !is_ri {
            ri_run = 0;
        }
        match c {
            '\x1b' => {
                skip_escape(&mut chars);
                prev_narrow_emoji = false;
            }
            '\t' => col += 8 - col % 8,
            '\x08' => col = col.saturating_sub(1),
            '\r' => col = 0,
            '\u{200d}' => {
                // wcwidth treats ZWJ + the next character as part of the current cluster.
                chars.next();
                prev_narrow_emoji = false;
            }
            '\u{fe0f}' => {
                // VS16 asks for emoji presentation: a narrow emoji base becomes wide.
                if prev_narrow_emoji {
                    col += 1;
                }
                prev_narrow_emoji = false;
            }
            _ if is_ri => {
                // Regional indicators pair up into one wide flag.
                ri_run += 1;
                if ri_run % 2 == 1 {
                    col += 2;
                }
            }
            _ => {
                let w = if c.is_control() {
                    0
                } else {
                    c.width().unwrap_or(0)
                };
                prev_narrow_emoji = w == 1 && is_vs16_base(c);
                col += w;
            }
        }
        max = max.max(col);
    }
    max
}

/// Characters that are narrow by default but wide with VS16 (the common emoji-capable
/// symbols: digits/#/* keycaps excluded, arrows, card suits, dingbats, ...).
fn is_vs16_base(c: char) -> bool {
    let mut buf = [0u8; 8];
    let s = c.encode_utf8(&mut buf);
    let mut with_vs = String::with_capacity(8);
    with_vs.push_str(s);
    with_vs.push('\u{fe0f}');
    unicode_width::UnicodeWidthStr::width(with_vs.as_str()) == 2 && !c.is_ascii()
}

/// Skips one escape sequence after its ESC: CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL`
/// or `ESC ] ... ESC \`), or a two-character escape.
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            for c in chars.by_ref() {
                if ('\x40'..='\x7e').contains(&c) {
                    break;
                }
            }
        }
        Some(']') => {
            chars.next();
            while let Some(c) = chars.next() {
                if c == '\x07' {
                    break;
                }
                if c == '\x1b' && chars.peek() == Some(&'\\') {
                    chars.next();
                    break;
                }
            }
        }
        Some(c) if ('\x40'..='\x5f').contains(c) => {
            chars.next();
        }
        _ => {}
    }
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
