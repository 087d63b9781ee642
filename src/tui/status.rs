//! The bottom line: the current message (warnings from the config, saved paths, errors) or,
//! when there is none, the key hints for what the clerk is doing — generated from the keymap,
//! labelled from the command table unless a context says something more specific. Also
//! [`hint_line`], which the windows use for the hints in their bottom border.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{Level, Message};
use super::cells::fit;
use super::keymap::{Command, Hint, Keymap};
use super::theme::Theme;
use crate::text::width::display_width;

/// `key label` pairs as one line, as many whole pairs as fit in `width` cells.
pub fn hint_line(keymap: &Keymap, theme: Theme, items: &[Hint], width: usize) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (key, label) in keymap.hints(items) {
        let sep = if spans.is_empty() { " " } else { "  " };
        let w = display_width(sep) + display_width(&key) + 1 + display_width(label);
        if used + w + 1 > width {
            break;
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

/// What the clerk is doing, for choosing the hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// A picker is open.
    Picker,
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
            h(C::NearFirst),
            h(C::Card),
            h(C::Pin),
            h(C::Shortlist),
        ],
    }
}

/// Draws the message or the hints of `context`.
pub fn render(
    message: Option<&Message>,
    context: Context,
    keymap: &Keymap,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let w = usize::from(area.width);
    let line = match message {
        Some(m) => {
            let style = match m.level {
                Level::Info => theme.strong(),
                Level::Warning => theme.warning(),
                Level::Error => theme.error(),
            };
            Line::styled(fit(&format!(" {}", m.text), w), style)
        }
        None => hint_line(keymap, theme, &hints(context), w),
    };
    frame.render_widget(Paragraph::new(line), area);
}
