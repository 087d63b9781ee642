//! Building ratatui lines from untrusted text, measured in display cells: every string from
//! the data passes through [`clean`] (`sanitize_for_terminal`) before it reaches a widget;
//! truncation and wrapping use `crate::text::width`, never `chars().count()` or `len()`.

use std::borrow::Cow;
use std::num::NonZeroU16;
use std::ops::Range;

use ratatui::buffer::{Buffer, CellDiffOption};

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::text::sanitize::sanitize_for_terminal;
use crate::text::width::{
    display_width, elide_middle, pad_to_width, truncate_to_width, wrap_to_width,
};

/// Data text made inert for the terminal (control, escape and bidi characters removed) and
/// ready to draw ([`drawable`]).
pub fn clean(s: &str) -> String {
    drawable(&sanitize_for_terminal(s)).into_owned()
}

/// Stand-ins for the half-width voiced sound marks ﾞ and ﾟ while text goes through ratatui
/// (private-use characters: one cell, a grapheme of their own).
const VOICED_STAND_INS: [(char, &str); 2] = [('\u{F8F0}', "\u{FF9E}"), ('\u{F8F1}', "\u{FF9F}")];

/// Text ready for ratatui. A half-width voiced mark (ﾞ ﾟ) takes one cell in a terminal
/// (wcwidth 1) and in [`display_width`], but Unicode joins it to the kana before it into one
/// grapheme, which ratatui measures one cell wider than it is — 「ﾎｳｶｺﾞ ﾃﾞ ｲ」, and a caret
/// short of the text's end. So each mark is drawn as a one-cell stand-in that
/// [`restore_voiced_marks`] turns back into the mark once the frame is drawn.
pub fn drawable(s: &str) -> Cow<'_, str> {
    if !s.contains(['\u{FF9E}', '\u{FF9F}']) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\u{FF9E}' => VOICED_STAND_INS[0].0,
                '\u{FF9F}' => VOICED_STAND_INS[1].0,
                c => c,
            })
            .collect(),
    )
}

/// Puts the voiced marks back in a drawn frame ([`drawable`]): each in its own cell, told to
/// ratatui to be one cell wide, so the terminal gets the mark where it draws it.
pub fn restore_voiced_marks(buf: &mut Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            let mut chars = cell.symbol().chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                continue;
            };
            if let Some((_, mark)) = VOICED_STAND_INS.iter().find(|(s, _)| *s == c) {
                cell.set_symbol(mark)
                    .set_diff_option(CellDiffOption::ForcedWidth(NonZeroU16::MIN));
            }
        }
    }
}

/// Clean text cut to `width` cells (ending with `…` when cut).
pub fn fit(s: &str, width: usize) -> String {
    truncate_to_width(&clean(s), width).into_owned()
}

/// Clean text wrapped to `width` cells.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    wrap_to_width(&clean(s), width)
}

/// Clean text padded with spaces (or cut) to exactly `width` cells.
pub fn pad(s: &str, width: usize) -> String {
    pad_to_width(&clean(s), width)
}

/// A row's name and its label (kind・area) in `width` cells, with one space between: the
/// name padded to fill what the label leaves. The name comes first — the label gets at most
/// `label_max` cells and only what the name does not need of its two thirds — and a name that
/// still does not fit loses its middle, never its end ([`elide_middle`]: 「重症心身障…ピッコロ」).
pub fn name_and_label(name: &str, label: &str, width: usize, label_max: usize) -> (String, String) {
    let (name, label) = (clean(name), clean(label));
    let avail = width.saturating_sub(1);
    let name_min = display_width(&name).min(avail * 2 / 3);
    let label = truncate_to_width(&label, label_max.min(avail - name_min)).into_owned();
    let name_w = avail - display_width(&label);
    let name = elide_middle(&name, name_w);
    let pad = name_w.saturating_sub(display_width(&name));
    (format!("{name}{}", " ".repeat(pad)), label)
}

/// Spans for a snippet: the text split at the highlight ranges (byte ranges of `text`), each
/// part sanitized separately so the ranges stay valid. Invalid ranges are ignored.
pub fn highlighted<'a>(
    text: &str,
    ranges: &[Range<usize>],
    base: Style,
    hl: Style,
) -> Vec<Span<'a>> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in ranges {
        if r.start < at
            || r.end > text.len()
            || r.start >= r.end
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        if r.start > at {
            out.push(Span::styled(clean(&text[at..r.start]), base));
        }
        out.push(Span::styled(clean(&text[r.clone()]), hl));
        at = r.end;
    }
    if at < text.len() {
        out.push(Span::styled(clean(&text[at..]), base));
    }
    out
}

/// Cuts spans to `width` cells in all, the last one ending with `…` when cut.
pub fn fit_spans<'a>(spans: Vec<Span<'a>>, width: usize) -> Vec<Span<'a>> {
    let total: usize = spans.iter().map(|s| display_width(&s.content)).sum();
    if total <= width {
        return spans;
    }
    let mut out = Vec::new();
    let mut left = width;
    for s in spans {
        let w = display_width(&s.content);
        if w < left {
            left -= w;
            out.push(s);
            continue;
        }
        // This span reaches the edge: cut it (with the ellipsis) and stop.
        let cut = truncate_to_width(&s.content, left).into_owned();
        out.push(Span::styled(cut, s.style));
        break;
    }
    out
}

/// Width of a line in cells.
pub fn line_width(line: &Line<'_>) -> usize {
    line.spans.iter().map(|s| display_width(&s.content)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_survive_sanitizing_and_bad_ranges() {
        let text = "a\x1b[31m人工呼吸器b";
        let start = text.find('人').unwrap();
        let end = start + "人工呼吸器".len();
        let spans = highlighted(
            text,
            &[start..end, 1..2, 100..200],
            Style::new(),
            Style::new().bold(),
        );
        let joined: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(joined, "a[31m人工呼吸器b");
        assert!(spans.iter().any(|s| s.content == "人工呼吸器"));
    }

    /// The name keeps its distinguishing end, and the label never takes the name's room.
    #[test]
    fn a_long_name_keeps_its_end_beside_its_label() {
        let name = "重症心身障害者通所事業所ピッコロ";
        for (w, label) in [
            (30, "施設・品川区"),
            (40, "施設・品川区"),
            (24, "施設・品川区・目黒区・大田区"),
        ] {
            let (n, l) = name_and_label(name, label, w, 24);
            assert_eq!(display_width(&n) + 1 + display_width(&l), w, "{n}|{l}");
            assert!(n.trim_end().ends_with("ピッコロ"), "{n} at {w}");
            assert!(display_width(n.trim_end()) >= display_width(&l), "{n}|{l}");
        }
        let (n, l) = name_and_label("ミリミリ品川", "施設・品川区", 30, 24);
        assert_eq!((n.trim_end(), l.as_str()), ("ミリミリ品川", "施設・品川区"));
    }

    #[test]
    fn spans_are_cut_in_cells() {
        let spans = vec![Span::raw("品川区"), Span::raw("医療的ケア")];
        let cut = fit_spans(spans, 9);
        let joined: String = cut.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(joined, "品川区医…");
        assert!(display_width(&joined) <= 9);
        assert_eq!(pad("人工", 6), "人工  ");
        assert_eq!(pad("\x07ab", 3), "ab ");
    }
}
