//! Terminal display-cell helpers (unicode-width): measuring, truncating, wrapping and
//! horizontally slicing text that mixes full-width (2-cell) and half-width characters.
//!
//! All helpers work on *clusters*: a character plus the zero-width characters that belong to
//! it (combining marks, variation selectors, emoji modifiers, tag characters, and a ZWJ with
//! the character it joins), so a cluster is never split. Widths are always checked with
//! [`display_width`] of the actual result, so contextual widths (emoji sequences) never make a
//! result exceed the requested width.

use std::borrow::Cow;

use unicode_normalization::char::is_combining_mark;
use unicode_width::UnicodeWidthStr;

/// Number of terminal cells `s` occupies (full-width characters count 2).
pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max_cells` cells, ending with `…` when anything was cut.
///
/// Never splits a wide character or a cluster: `"品川区医療的ケア"` at 7 cells is `"品川区…"`
/// (6 + 1 cells). Borrowed when `s` already fits; `max_cells == 0` gives `""`.
pub fn truncate_to_width(s: &str, max_cells: usize) -> Cow<'_, str> {
    if display_width(s) <= max_cells {
        return Cow::Borrowed(s);
    }
    if max_cells == 0 {
        return Cow::Borrowed("");
    }
    let budget = max_cells - 1;
    let mut used = 0;
    let mut cut = 0;
    for (range, w) in clusters(s) {
        if used + w > budget {
            break;
        }
        used += w;
        cut = range.end;
    }
    let mut bounds: Vec<usize> = clusters(&s[..cut]).map(|(r, _)| r.start).collect();
    let mut out = format!("{}…", &s[..cut]);
    while display_width(&out) > max_cells {
        let Some(b) = bounds.pop() else {
            break;
        };
        out = format!("{}…", &s[..b]);
    }
    Cow::Owned(out)
}

/// Cuts `s` to at most `max_cells` cells by taking out its middle (`…` in its place), so
/// both ends stay: what a long name is called by and what tells it apart from its
/// neighbours — `"重症心身障害者通所事業所ピッコロ"` at 19 cells is `"重症心身…所ピッコロ"`.
/// The end gets three fifths of the room (more when the start is short): in a name, what
/// tells records apart is most often at the end. Never splits a cluster; borrowed
/// when `s` already fits; `max_cells == 0` gives `""`.
pub fn elide_middle(s: &str, max_cells: usize) -> Cow<'_, str> {
    if display_width(s) <= max_cells {
        return Cow::Borrowed(s);
    }
    if max_cells < 4 {
        return truncate_to_width(s, max_cells);
    }
    let budget = max_cells - 1;
    let all: Vec<_> = clusters(s).collect();
    // The end: whole clusters from the back within three fifths of the budget.
    let tail_budget = (budget * 3).div_ceil(5);
    let mut tail_used = 0;
    let mut tail_start = s.len();
    for (range, w) in all.iter().rev() {
        if tail_used + w > tail_budget {
            break;
        }
        tail_used += w;
        tail_start = range.start;
    }
    // The start: whole clusters from the front in what is left.
    let mut head_used = 0;
    let mut head_end = 0;
    for (range, w) in &all {
        if range.end > tail_start || head_used + w > budget - tail_used {
            break;
        }
        head_used += w;
        head_end = range.end;
    }
    let out = format!("{}…{}", &s[..head_end], &s[tail_start..]);
    if display_width(&out) <= max_cells {
        Cow::Owned(out)
    } else {
        // Contextual widths (emoji sequences) made it wider: fall back to a plain cut.
        truncate_to_width(s, max_cells)
    }
}

/// `s` cut (as [`truncate_to_width`]) or padded with spaces to exactly `width` cells: the
/// cell of a table column. A wide character that does not fit leaves a space instead:
/// `"品川区医療的ケア"` at 8 cells is `"品川区… "` (7 cells and a space).
pub fn pad_to_width(s: &str, width: usize) -> String {
    let cut = truncate_to_width(s, width);
    let w = display_width(&cut);
    format!("{cut}{}", " ".repeat(width.saturating_sub(w)))
}

/// Wraps `s` into lines of at most `width` cells.
///
/// - CJK and other wide characters may break anywhere between characters;
/// - runs of narrow non-space characters (Latin words, numbers) break at ASCII spaces when
///   possible and are split between characters only when longer than a whole line;
/// - `\n` (and `\r\n`) force a line break; a blank line stays as an empty string;
/// - spaces at a wrapped line's start or end are dropped; tabs count as spaces;
/// - a single cluster wider than `width` (a wide character when `width == 1`) is shown as `…`.
///
/// `width == 0` or an empty `s` give no lines.
pub fn wrap_to_width(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    if width == 0 || s.is_empty() {
        return lines;
    }
    for para in s.split('\n') {
        let para = para.strip_suffix('\r').unwrap_or(para);
        let mut w = Wrapper {
            width,
            lines: Vec::new(),
            line: String::new(),
            pending_space: false,
        };
        let mut word_start: Option<usize> = None;
        for (range, cw) in clusters(para) {
            let text = &para[range.clone()];
            let first = text.chars().next().unwrap_or(' ');
            // A space carrying a combining mark (" \u{a81}") is a visible character.
            let is_space = text.chars().all(|c| matches!(c, ' ' | '\t'));
            let is_narrow_word = !is_space && cw <= 1 && !is_cjk_char(first);
            if is_narrow_word {
                word_start.get_or_insert(range.start);
                continue;
            }
            if let Some(ws) = word_start.take() {
                w.place(&para[ws..range.start]);
            }
            if is_space {
                if !w.line.is_empty() {
                    w.pending_space = true;
                }
            } else {
                w.place(text);
            }
        }
        if let Some(ws) = word_start {
            w.place(&para[ws..]);
        }
        if !w.line.is_empty() || w.lines.is_empty() {
            w.lines.push(std::mem::take(&mut w.line));
        }
        lines.extend(w.lines);
    }
    lines
}

struct Wrapper {
    width: usize,
    lines: Vec<String>,
    line: String,
    pending_space: bool,
}

impl Wrapper {
    /// Appends `text` to `line` if the result fits; otherwise leaves `line` unchanged.
    fn try_append(&mut self, sep: bool, text: &str) -> bool {
        let keep = self.line.len();
        if sep {
            self.line.push(' ');
        }
        self.line.push_str(text);
        if display_width(&self.line) <= self.width {
            true
        } else {
            self.line.truncate(keep);
            false
        }
    }

    fn break_line(&mut self) {
        if !self.line.is_empty() {
            self.lines.push(std::mem::take(&mut self.line));
        }
        self.pending_space = false;
    }

    /// Places an unbreakable piece (a word or one wide cluster).
    fn place(&mut self, text: &str) {
        let sep = self.pending_space && !self.line.is_empty();
        if self.try_append(sep, text) {
            self.pending_space = false;
            return;
        }
        if !sep && self.carry_over(text) {
            return;
        }
        self.break_line();
        if self.try_append(false, text) {
            return;
        }
        // Longer than a whole line: split between clusters.
        for (range, _) in clusters(text) {
            let c = &text[range];
            if self.try_append(false, c) {
                continue;
            }
            self.break_line();
            if !self.try_append(false, c) {
                self.try_append(false, "…");
            }
        }
    }
}

impl Wrapper {
    /// Kinsoku (禁則): when `text` does not fit and would start the next line with a closing
    /// mark (、。）」…), or the full line ends with an opening one (（「…), the line's last
    /// character (with the marks around it) moves to the next line with `text`. Returns
    /// whether it did; not when that would empty the line or not fit the next.
    fn carry_over(&mut self, text: &str) -> bool {
        let first = |t: &str| t.chars().next().unwrap_or(' ');
        let cl: Vec<_> = clusters(&self.line).map(|(r, _)| r.start).collect();
        let at = |i: usize| first(&self.line[cl[i]..]);
        let mut i = cl.len();
        if is_no_line_start(first(text)) {
            while i > 0 && is_no_line_start(at(i - 1)) {
                i -= 1;
            }
            i = i.saturating_sub(1);
        }
        while i > 0 && is_no_line_end(at(i - 1)) {
            i -= 1;
        }
        if i == 0 || i == cl.len() {
            return false;
        }
        let carried = self.line[cl[i]..].to_string();
        if display_width(&carried) + display_width(text) > self.width {
            return false;
        }
        self.line.truncate(cl[i]);
        self.break_line();
        self.line.push_str(&carried);
        self.line.push_str(text);
        true
    }
}

/// Marks a line should not start with (行頭禁則): closing brackets and punctuation.
fn is_no_line_start(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '・'
            | '：'
            | '；'
            | '？'
            | '！'
            | '）'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '》'
            | '］'
            | '｝'
            | '〙'
            | '〗'
            | '”'
            | '’'
            | 'ー'
            | '…'
            | '‥'
            | '々'
            | 'ゝ'
            | 'ゞ'
            | 'ヽ'
            | 'ヾ'
            | ')'
            | ']'
            | '}'
            | ','
            | '.'
            | ':'
            | ';'
            | '!'
            | '?'
            | '｡'
            | '､'
            | '｣'
            | 'ﾞ'
            | 'ﾟ'
    )
}

/// Marks a line should not end with (行末禁則): opening brackets.
fn is_no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '「'
            | '『'
            | '【'
            | '〔'
            | '〈'
            | '《'
            | '［'
            | '｛'
            | '〘'
            | '〖'
            | '“'
            | '‘'
            | '('
            | '['
            | '{'
            | '｢'
    )
}

/// The part of `s` that is visible in a window of `max_cells` cells starting `start_cell`
/// cells into `s` (horizontal scrolling of an input box).
///
/// Only whole clusters are returned: a wide character straddling the left edge (starting at
/// `start_cell - 1`) or the right edge is left out, so the slice can be up to one cell
/// narrower at either side and never exceeds `max_cells`. Use [`slice_by_width_padded`] to
/// learn how many blank cells to draw before the slice to keep columns aligned.
pub fn slice_by_width(s: &str, start_cell: usize, max_cells: usize) -> &str {
    slice_by_width_padded(s, start_cell, max_cells).1
}

/// Like [`slice_by_width`], also returning the number of blank cells to draw before the slice
/// so that its characters stay in their columns: 0 normally, 1 when a wide character
/// straddles the left edge and was left out (more only for unusual multi-character clusters).
pub fn slice_by_width_padded(s: &str, start_cell: usize, max_cells: usize) -> (usize, &str) {
    let end_cell = start_cell.saturating_add(max_cells);
    let mut pos = 0usize;
    let mut first: Option<(usize, usize)> = None; // (byte, cell)
    let mut last_end = 0usize;
    let mut bounds: Vec<usize> = Vec::new();
    for (range, w) in clusters(s) {
        let (from, to) = (pos, pos + w);
        pos = to;
        if from < start_cell {
            continue;
        }
        if to > end_cell {
            break;
        }
        if first.is_none() {
            first = Some((range.start, from));
        }
        bounds.push(range.start);
        last_end = range.end;
    }
    let Some((start_byte, first_cell)) = first else {
        return (0, "");
    };
    let mut slice = &s[start_byte..last_end];
    while display_width(slice) > max_cells {
        match bounds.pop() {
            Some(b) if b > start_byte => slice = &s[start_byte..b],
            _ => {
                slice = "";
                break;
            }
        }
    }
    (first_cell - start_cell, slice)
}

/// Byte ranges of the clusters of `s` with their display widths.
fn clusters(s: &str) -> impl Iterator<Item = (std::ops::Range<usize>, usize)> + '_ {
    let mut iter = s.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, c) = iter.next()?;
        let mut end = start + c.len_utf8();
        let mut joined = c == '\u{200D}';
        while let Some(&(i, d)) = iter.peek() {
            if joined || is_zero_width_extender(d) {
                joined = d == '\u{200D}';
                end = i + d.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        Some((start..end, display_width(&s[start..end])))
    })
}

fn is_zero_width_extender(c: char) -> bool {
    !c.is_ascii()
        && (is_combining_mark(c)
            || matches!(c, '\u{200D}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}'))
}

fn is_cjk_char(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'
        | '\u{3000}'..='\u{30FF}'
        | '\u{31F0}'..='\u{31FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{3FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn widths() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("品川区"), 6);
        assert_eq!(display_width("ｼｮｰﾄ"), 4);
        assert_eq!(display_width("ケアa"), 5);
        assert_eq!(display_width(""), 0);
    }

    #[test]
    fn truncate_table() {
        let cases: &[(&str, usize, &str)] = &[
            ("品川区医療的ケア", 7, "品川区…"),
            ("品川区医療的ケア", 8, "品川区…"),
            ("品川区医療的ケア", 9, "品川区医…"),
            ("品川区医療的ケア", 16, "品川区医療的ケア"),
            ("品川区医療的ケア", 1, "…"),
            ("品川区医療的ケア", 2, "…"),
            ("品川区医療的ケア", 3, "品…"),
            ("品川区医療的ケア", 0, ""),
            ("hello world", 8, "hello w…"),
            ("hello", 5, "hello"),
            ("e\u{301}e\u{301}e\u{301}", 2, "e\u{301}…"),
            ("", 0, ""),
        ];
        for (s, w, want) in cases {
            let got = truncate_to_width(s, *w);
            assert_eq!(got, *want, "{s:?} at {w}");
            assert!(display_width(&got) <= *w);
        }
        assert!(matches!(truncate_to_width("abc", 3), Cow::Borrowed(_)));
    }

    #[test]
    fn elide_middle_table() {
        let piccolo = "重症心身障害者通所事業所ピッコロ";
        let cases: &[(&str, usize, &str)] = &[
            (piccolo, 19, "重症心身…所ピッコロ"),
            (piccolo, 32, piccolo),
            (piccolo, 20, "重症心…業所ピッコロ"),
            (piccolo, 21, "重症心身…業所ピッコロ"),
            ("abcdefghij", 7, "ab…ghij"),
            ("abcdefghij", 3, "ab…"),
            (
                "e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}",
                4,
                "e\u{301}…e\u{301}e\u{301}",
            ),
            ("", 0, ""),
        ];
        for (s, w, want) in cases {
            let got = elide_middle(s, *w);
            assert_eq!(got, *want, "{s:?} at {w}");
            assert!(display_width(&got) <= *w);
        }
    }

    #[test]
    fn pad_table() {
        let cases: &[(&str, usize, &str)] = &[
            ("人工", 6, "人工  "),
            ("品川区医療的ケア", 7, "品川区…"),
            ("品川区医療的ケア", 8, "品川区… "),
            ("abc", 3, "abc"),
            ("abcd", 3, "ab…"),
            ("", 2, "  "),
            ("品", 0, ""),
        ];
        for (s, w, want) in cases {
            let got = pad_to_width(s, *w);
            assert_eq!(got, *want, "{s:?} at {w}");
            assert_eq!(display_width(&got), *w);
        }
    }

    #[test]
    fn wrap_table() {
        let cases: &[(&str, usize, &[&str])] = &[
            ("品川区医療的ケア", 6, &["品川区", "医療的", "ケア"]),
            ("品川区医療的ケア", 5, &["品川", "区医", "療的", "ケア"]),
            ("hello big world", 9, &["hello big", "world"]),
            ("hello big world", 5, &["hello", "big", "world"]),
            ("supercalifragilistic", 8, &["supercal", "ifragili", "stic"]),
            ("訪問看護 CPAP対応", 10, &["訪問看護", "CPAP対応"]),
            ("a\n\nb", 5, &["a", "", "b"]),
            ("a\r\nb", 5, &["a", "b"]),
            ("品", 1, &["…"]),
            ("", 5, &[]),
            ("abc", 0, &[]),
            // Kinsoku: no line starts with 、。）」, none ends with （「.
            ("品川区、医療", 6, &["品川", "区、医", "療"]),
            ("品川区）」医療", 6, &["品川", "区）」", "医療"]),
            (
                "ケアの子（医ケア）を",
                10,
                &["ケアの子", "（医ケア）", "を"],
            ),
            ("あいうえ（かき", 10, &["あいうえ", "（かき"]),
            ("あいう。", 6, &["あい", "う。"]),
        ];
        for (s, w, want) in cases {
            let got = wrap_to_width(s, *w);
            assert_eq!(&got, want, "{s:?} at {w}");
        }
    }

    #[test]
    fn slice_table() {
        let s = "ab品川cd";
        // cells: a0 b1 品2-3 川4-5 c6 d7
        assert_eq!(slice_by_width(s, 0, 3), "ab");
        assert_eq!(slice_by_width(s, 0, 4), "ab品");
        assert_eq!(slice_by_width_padded(s, 3, 4), (1, "川c"));
        assert_eq!(slice_by_width_padded(s, 2, 4), (0, "品川"));
        assert_eq!(slice_by_width(s, 6, 10), "cd");
        assert_eq!(slice_by_width(s, 8, 10), "");
        assert_eq!(slice_by_width(s, 0, 0), "");
        assert_eq!(slice_by_width(s, 3, 1), "");
    }

    fn mixed() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a",
            "bc",
            " ",
            "  ",
            "品",
            "ケア",
            "ｼ",
            "\u{301}",
            "\u{200D}",
            "👨",
            "👩",
            "\u{FE0F}",
            "❤",
            "\u{1F3FB}",
            "\n",
            "\r",
            "\t",
            "\x1b",
            "。",
            "、",
            "）",
            "（",
            "」",
            "🇯",
            "🇵",
            "x",
            "long",
            "supercalifragilistic",
        ]);
        prop_oneof![
            prop::collection::vec(pieces, 0..16).prop_map(|v| v.concat()),
            any::<String>(),
        ]
    }

    proptest! {
        #[test]
        fn never_exceeds(s in mixed(), w in 0usize..12, start in 0usize..20) {
            let t = truncate_to_width(&s, w);
            prop_assert!(display_width(&t) <= w);
            prop_assert!(display_width(&elide_middle(&s, w)) <= w);
            prop_assert!(display_width(&pad_to_width(&s, w)) <= w);
            for line in wrap_to_width(&s, w) {
                prop_assert!(display_width(&line) <= w, "{:?} in {:?}", line, s);
            }
            // Kinsoku never loses or reorders text.
            let joined: String = wrap_to_width(&s, w).concat();
            let kept = |t: &str| t.chars().filter(|c| !c.is_whitespace() && *c != '…').collect::<String>();
            let plain = s.chars().all(|c| {
                (c.is_alphanumeric() || is_no_line_start(c) || is_no_line_end(c) || c == ' ')
                    && display_width(&c.to_string()) <= w
            });
            if w >= 2 && plain {
                prop_assert_eq!(kept(&joined), kept(&s));
            }
            let (pad, slice) = slice_by_width_padded(&s, start, w);
            prop_assert!(pad < 8);
            prop_assert!(display_width(slice) <= w);
        }
    }
}
