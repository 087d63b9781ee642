//! Making untrusted text (data files, queries) safe to print to a terminal.

use std::borrow::Cow;

/// Removes characters that a terminal would interpret instead of printing.
///
/// - TAB, CR, LF, VT, FF and the Unicode line/paragraph separators (U+2028, U+2029, U+0085)
///   become a space;
/// - every other C0 control (including ESC and BEL), DEL and the C1 controls
///   (U+0080–U+009F) are removed;
/// - bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) are removed, so data
///   cannot reorder the surrounding display.
///
/// An escape sequence therefore becomes inert printable text (`"\x1b[31mred"` → `"[31mred"`).
/// Returns the input borrowed when nothing needed changing.
pub fn sanitize_for_terminal(s: &str) -> Cow<'_, str> {
    let Some(first) = s.char_indices().find(|&(_, c)| action(c) != Action::Keep) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..first.0]);
    for c in s[first.0..].chars() {
        match action(c) {
            Action::Keep => out.push(c),
            Action::Space => out.push(' '),
            Action::Drop => {}
        }
    }
    Cow::Owned(out)
}

/// A message of one or more lines (an error with one problem per line) made safe to print:
/// each line goes through [`sanitize_for_terminal`], the line breaks between them are kept.
pub fn sanitize_lines_for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_for_terminal_in_lines) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.split('\n')
            .map(sanitize_for_terminal)
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

fn is_unsafe_for_terminal_in_lines(c: char) -> bool {
    c != '\n' && is_unsafe_for_terminal(c)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Keep,
    Space,
    Drop,
}

fn action(c: char) -> Action {
    match c {
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
            Action::Space
        }
        '\u{00}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => Action::Drop,
        '\u{061C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => Action::Drop,
        _ => Action::Keep,
    }
}

/// Whether `c` would be removed or replaced by [`sanitize_for_terminal`].
pub fn is_unsafe_for_terminal(c: char) -> bool {
    action(c) != Action::Keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        let cases: &[(&str, &str)] = &[
            ("\x1b[31mred", "[31mred"),
            ("\x1b]0;title\x07x", "]0;titlex"),
            ("a\tb\r\nc", "a b  c"),
            ("bell\x07", "bell"),
            ("del\x7f", "del"),
            ("c1\u{9b}31m", "c131m"),
            ("\u{202E}evil\u{202C}", "evil"),
            ("\u{2066}x\u{2069}\u{200E}\u{200F}\u{061C}", "x"),
            ("line\u{2028}sep", "line sep"),
            ("医療的ケア児", "医療的ケア児"),
            ("NUL\0", "NUL"),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize_for_terminal(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn borrowed_when_clean() {
        assert!(matches!(
            sanitize_for_terminal("品川区 ショートステイ (PEG)"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(sanitize_for_terminal(""), Cow::Borrowed(_)));
        assert!(matches!(sanitize_for_terminal("a\x1b"), Cow::Owned(_)));
    }

    #[test]
    fn a_message_keeps_its_lines_and_loses_its_escapes() {
        assert_eq!(
            sanitize_lines_for_terminal("a.json:1:2: bad `x\x1b[31m`\nb\u{202e}c\r"),
            "a.json:1:2: bad `x[31m`\nbc "
        );
        assert!(matches!(
            sanitize_lines_for_terminal("一行目\n二行目"),
            Cow::Borrowed(_)
        ));
    }

    proptest! {
        #[test]
        fn output_is_clean_and_idempotent(s in any::<String>()) {
            let out = sanitize_for_terminal(&s);
            prop_assert!(out.chars().all(|c| !is_unsafe_for_terminal(c)));
            prop_assert!(!out.contains('\x1b'));
            let again = sanitize_for_terminal(&out);
            prop_assert!(matches!(again, Cow::Borrowed(_)));
        }
    }
}
