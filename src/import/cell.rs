//! The one cleaning of cell text that every importer applies before a value reaches a record,
//! so that what an importer writes, the loader accepts.
//!
//! A stored string holds no control character (the loader refuses one at its line:col: the
//! card, the list and the detail lay text out by display width on one line, and a raw line
//! break would split a row of the list). Spreadsheets put them in ordinary cells all the
//! same: Excel's Alt+Enter is a line feed inside the cell (「人工呼吸器対応⏎土日も相談可」), a
//! pasted cell brings tabs. So:
//!
//! | in the cell | becomes | why |
//! |---|---|---|
//! | line break (CR, LF, CR LF, VT, FF, NEL, U+2028/U+2029) or tab | one space (a run of them with the spaces around it: one space) | the clerk reads 「人工呼吸器対応 土日も相談可」 on the card: the break was a pause between two statements, and a space keeps them apart without inventing punctuation |
//! | any other control character (BEL, ESC, DEL, C1) | reported with its cell, the row left out | it has no meaning in a name or a phone number; dropping it silently would change a value the office wrote |
//!
//! The data model keeps one paragraph per string (no field allows a line break), so no field
//! keeps the break: the space is the form every field can store.

use std::borrow::Cow;

/// Whether `c` ends a line or is a tab: what becomes a space.
fn is_break(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// The cell with each run of line breaks and tabs (and the spaces around it) written as one
/// space; borrowed when there is none.
pub fn one_line(cell: &str) -> Cow<'_, str> {
    if !cell.contains(is_break) {
        return Cow::Borrowed(cell);
    }
    let mut out = String::with_capacity(cell.len());
    let mut pending = false;
    for c in cell.chars() {
        if is_break(c) {
            pending = true;
            // The spaces before the break are part of the run.
            while out.ends_with(' ') {
                out.pop();
            }
        } else if pending && c == ' ' {
            // Spaces after the break too.
        } else {
            if pending && !out.is_empty() {
                out.push(' ');
            }
            pending = false;
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The first control character left in a cell after [`one_line`] (BEL, ESC, DEL, C1 …): what
/// the loader would refuse, to be reported with the cell.
pub fn control_in(cell: &str) -> Option<char> {
    cell.chars().find(|&c| c.is_control() && !is_break(c))
}

/// The reason given for a cell holding a control character.
pub fn control_reason(c: char) -> String {
    format!(
        "制御文字 U+{:04X} が入っています（表示も保存もできない文字です。セルから消してください）",
        c as u32
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_tabs_become_one_space() {
        for (cell, want) in [
            (
                "人工呼吸器対応\n土日も相談可",
                "人工呼吸器対応 土日も相談可",
            ),
            (
                "人工呼吸器対応\r\n土日も相談可",
                "人工呼吸器対応 土日も相談可",
            ),
            ("a \n\n  b", "a b"),
            ("a\tb", "a b"),
            ("a\u{2028}b\u{0B}c", "a b c"),
            ("\n前後\n", "前後"),
            ("なし", "なし"),
        ] {
            assert_eq!(one_line(cell), want, "{cell:?}");
        }
        assert!(matches!(one_line("なし"), Cow::Borrowed(_)));
    }

    #[test]
    fn other_controls_are_found_not_removed() {
        assert_eq!(control_in("a\u{7}b"), Some('\u{7}'));
        assert_eq!(control_in("a\u{9b}b"), Some('\u{9b}'));
        assert_eq!(control_in("a\nb\tc"), None);
        assert_eq!(control_in("ふつう"), None);
    }
}
