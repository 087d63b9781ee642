//! The bottom line: the current message (warnings from the config, saved paths, errors) —
//! wrapped over the rows above it when long, shortened in the middle only when even that is
//! not enough, so its end is never lost — or, when there is none, the key hints for what the
//! clerk is doing: generated from the keymap, labelled from the command table unless a
//! context says something more specific, and always with the way out (Ctrl-C 終了). While the
//! enquiry tally is on, its badge (「集計中」) ends the line, whatever is shown before it. Also
//! [`hint_line`], which the windows use for the hints in their bottom border.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{Level, Message};
use super::cells::clean;
use super::keymap::{Command, Hint, Keymap};
use super::theme::Theme;
use crate::text::width::{display_width, wrap_to_width};

/// `key label` pairs as one line, as many whole pairs as fit in `width` cells, in order —
/// except that quitting (Ctrl-C 終了), when it is among them, is always kept: room for it is
/// set aside first, so a narrow terminal drops other hints, never the way out.
pub fn hint_line(keymap: &Keymap, theme: Theme, items: &[Hint], width: usize) -> Line<'static> {
    let pairs: Vec<(String, &'static str, bool)> = items
        .iter()
        .filter_map(|h| {
            let key = keymap.keys_of(h.cmd).first()?.to_string();
            Some((key, h.label, h.cmd == Command::Quit))
        })
        .collect();
    let pair_width = |key: &str, label: &str| 2 + display_width(key) + 1 + display_width(label);
    let mut reserved: usize = pairs
        .iter()
        .filter(|p| p.2)
        .map(|(k, l, _)| pair_width(k, l))
        .sum();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let mut full = false;
    for (key, label, is_quit) in pairs {
        let sep = if spans.is_empty() { " " } else { "  " };
        let w = display_width(sep) + display_width(&key) + 1 + display_width(label);
        if is_quit {
            reserved = reserved.saturating_sub(pair_width(&key, label));
        } else if full || used + w + 1 + reserved > width {
            full = true;
            continue;
        }
        if used + w + 1 > width {
            continue;
        }
        used += w;
        spans.push(Span::raw(sep));
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(format!(" {label}")));
    }
    if !spans.is_empty() {
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

/// How many lines a message may take at the bottom of a screen `height` rows high (it is
/// drawn over the rows above the status line until the next key).
pub fn message_max_lines(height: u16) -> usize {
    match height {
        16.. => 3,
        12..=15 => 2,
        _ => 1,
    }
}

/// A message as at most `max_lines` lines of `width` cells, each led by a space: wrapped, and
/// when even that is too long, shortened in the middle (「…」) so that its end — the file
/// name of a saved path, what the program does about a problem — is always shown. The whole
/// text is in the log.
pub fn message_lines(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let inner = width.saturating_sub(1);
    if inner == 0 || max_lines == 0 {
        return vec![];
    }
    let text = clean(text);
    let mut cells = inner * max_lines;
    loop {
        let lines = wrap_to_width(&shorten_middle(&text, cells), inner);
        if lines.len() <= max_lines || cells <= 1 {
            return lines
                .into_iter()
                .take(max_lines)
                .map(|l| format!(" {l}"))
                .collect();
        }
        cells -= 1;
    }
}

/// `s` in at most `cells` cells: whole, or shortened in the middle with 「…」 — inside its
/// longest word when that can give up enough (a path: 「保存しました: /tmp/…/ikenavi-….md」
/// keeps what is said about it), else in the middle of the whole text.
pub fn shorten_middle(s: &str, cells: usize) -> String {
    let width = display_width(s);
    if width <= cells {
        return s.to_string();
    }
    let excess = width - cells;
    let longest = s
        .split(' ')
        .max_by_key(|w| display_width(w))
        .unwrap_or_default();
    let lw = display_width(longest);
    if lw >= excess + 8 {
        let start = longest.as_ptr() as usize - s.as_ptr() as usize;
        let end = start + longest.len();
        let target = lw - excess;
        // A path keeps its file name whole when there is room for it and a little of the start
        // (`/` on Unix, `\` on Windows).
        let file_name = longest
            .rfind(['/', '\\'])
            .map(|i| &longest[i..])
            .filter(|f| display_width(f) + 4 <= target);
        let short = match file_name {
            Some(f) => elide(longest, target, target - 1 - display_width(f)),
            None => elide(longest, target, target.saturating_sub(1) / 3),
        };
        return format!("{}{short}{}", &s[..start], &s[end..]);
    }
    elide(s, cells, cells.saturating_sub(1) / 3)
}

/// `s` as its start (`head_budget` cells) and its end around 「…」, in at most `cells` cells.
/// A character is never split, and the end never starts with a combining mark.
fn elide(s: &str, cells: usize, head_budget: usize) -> String {
    let budget = cells.saturating_sub(1);
    let head_budget = head_budget.min(budget);
    let (mut head, mut used) = (0, 0);
    for (i, c) in s.char_indices() {
        let w = display_width(c.encode_utf8(&mut [0; 4]));
        if used + w > head_budget {
            break;
        }
        used += w;
        head = i + c.len_utf8();
    }
    let tail_budget = budget - used;
    let (mut tail, mut used_tail) = (s.len(), 0);
    for (i, c) in s.char_indices().rev() {
        let w = display_width(c.encode_utf8(&mut [0; 4]));
        if used_tail + w > tail_budget || i < head {
            break;
        }
        used_tail += w;
        tail = i;
    }
    let mut rest = &s[tail..];
    while let Some(c) = rest.chars().next()
        && display_width(c.encode_utf8(&mut [0; 4])) == 0
    {
        rest = &rest[c.len_utf8()..];
    }
    format!("{}…{rest}", &s[..head])
}

/// What the card key is called in the area picker: the selected area's card (its main
/// window and main phone).
pub const AREA_CARD_HINT: &str = "代表窓口";

/// What the clerk is doing, for choosing the hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The care type or need picker is open.
    Picker,
    /// The area picker is open (its selected area has a card).
    AreaPicker,
    /// The question about a shortlist not saved yet is open.
    Confirm,
    /// Help, the card or the shortlist is open.
    Window,
    /// The no-results panel shows.
    NoResults,
    /// The detail has the focus.
    Detail,
    /// Searching and browsing the results.
    Main,
}

/// The hints for a context, most useful first.
pub fn hints(context: Context) -> Vec<Hint> {
    use Command as C;
    let h = Hint::from;
    match context {
        Context::Picker => vec![
            C::Open.hint_as("選ぶ／外す"),
            C::Back.hint_as("閉じる"),
            C::Down.hint_as("移動"),
            h(C::Quit),
        ],
        Context::AreaPicker => vec![
            C::Open.hint_as("選ぶ／外す"),
            C::Card.hint_as(AREA_CARD_HINT),
            C::Back.hint_as("閉じる"),
            C::Down.hint_as("移動"),
            h(C::Quit),
        ],
        Context::Confirm => vec![
            C::Open.hint_as("選ぶ"),
            C::Back.hint_as("やめる"),
            C::Down.hint_as("移動"),
            h(C::Quit),
        ],
        Context::Window => vec![
            C::Back.hint_as("閉じる"),
            C::Down.hint_as("スクロール"),
            h(C::Quit),
        ],
        Context::NoResults => vec![
            C::Open.hint_as("適用"),
            C::Down.hint_as("選ぶ"),
            h(C::Area),
            h(C::ClearFilters),
            C::Back.hint_as("消去"),
            h(C::Help),
            h(C::Quit),
        ],
        Context::Detail => vec![
            h(C::Back),
            C::Down.hint_as("スクロール"),
            h(C::Card),
            h(C::Copy),
            h(C::Pin),
            h(C::Save),
            h(C::Quit),
        ],
        Context::Main => vec![
            h(C::Open),
            h(C::Area),
            h(C::Care),
            h(C::Need),
            h(C::WithPhone),
            h(C::Help),
            h(C::Quit),
            h(C::NewCall),
            h(C::NearFirst),
            h(C::Card),
            h(C::Pin),
            h(C::Shortlist),
        ],
    }
}

/// What the status line shows.
#[derive(Debug, Clone, Copy)]
pub struct Status<'a> {
    /// The message, until the next key.
    pub message: Option<&'a Message>,
    /// What the clerk is doing (the hints when there is no message).
    pub context: Context,
    /// A badge at the end of the line (「集計中」), always shown while set.
    pub badge: Option<&'a str>,
}

/// Draws the hints of the context in the status line, or the message over the status line and
/// as many rows above it as it needs (at most [`message_max_lines`] of the frame's height),
/// over whatever is there — it is drawn last and lasts until the next key. The badge takes the
/// end of the status line (when it leaves at least half of it), the rest what is left.
pub fn render(status: &Status, keymap: &Keymap, theme: Theme, frame: &mut Frame, area: Rect) {
    let full = area;
    let badge = status.badge.map(|b| format!(" {b} ")).and_then(|text| {
        let bw = u16::try_from(display_width(&text)).ok()?;
        (bw.saturating_mul(2) <= full.width).then_some((text, bw))
    });
    let mut area = area;
    if let Some((_, bw)) = &badge {
        area.width -= bw;
    }
    render_text(status, keymap, theme, frame, (area, full));
    if let Some((text, bw)) = badge {
        let at = Rect::new(area.x + area.width, area.y, bw, area.height.min(1));
        frame.render_widget(Paragraph::new(Line::styled(text, theme.chip())), at);
    }
}

/// The hints or the message in `area`, a message's rows above the status line cleared over
/// the `full` width.
fn render_text(
    status: &Status,
    keymap: &Keymap,
    theme: Theme,
    frame: &mut Frame,
    (area, full): (Rect, Rect),
) {
    let (message, context) = (status.message, status.context);
    let w = usize::from(area.width);
    let Some(m) = message else {
        frame.render_widget(
            Paragraph::new(hint_line(keymap, theme, &hints(context), w)),
            area,
        );
        return;
    };
    let style = match m.level {
        Level::Info => theme.strong(),
        Level::Warning => theme.warning(),
        Level::Error => theme.error(),
    };
    let max = message_max_lines(frame.area().height).min(usize::from(area.y) + 1);
    let lines = message_lines(&m.text, w, max);
    // Shortened: say where the whole text is — unless that would cost the file name (or
    // last word) that the shortened text keeps.
    let lines = if lines.concat().contains('…') && !m.text.contains('…') {
        let whole = format!("{} （全文: {}）", m.text, keymap.key(Command::Log));
        let hinted = message_lines(&whole, w, max);
        let last = m.text.rsplit(['/', '\\', ' ']).next().unwrap_or_default();
        if hinted.concat().contains(&clean(last)) {
            hinted
        } else {
            lines
        }
    } else {
        lines
    };
    let n = u16::try_from(lines.len().max(1)).unwrap_or(1);
    let rect = Rect::new(area.x, (area.y + 1).saturating_sub(n), area.width, n);
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| {
            let pad = w.saturating_sub(display_width(&l));
            Line::styled(format!("{l}{}", " ".repeat(pad)), style)
        })
        .collect();
    frame.render_widget(
        ratatui::widgets::Clear,
        Rect {
            width: full.width,
            ..rect
        },
    );
    frame.render_widget(Paragraph::new(lines), rect);
}
