//! The bottom line: the current message (warnings from the config, saved paths, errors) or,
//! when there is none, the key hints for what the clerk is doing — generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Focus, Level, Overlay};
use super::cells::fit;
use super::keymap::Command;
use crate::text::width::display_width;

/// `key label` pairs as one line, as many whole pairs as fit in `width` cells.
pub fn hint_line(app: &App, items: &[(Command, &str)], width: usize) -> Line<'static> {
    let t = app.theme;
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (cmd, label) in items {
        let Some(key) = app.keymap.keys_of(*cmd).first().map(ToString::to_string) else {
            continue;
        };
        let sep = if spans.is_empty() { " " } else { "  " };
        let w = display_width(sep) + display_width(&key) + 1 + display_width(label);
        if used + w + 1 > width {
            break;
        }
        used += w;
        spans.push(Span::raw(sep));
        spans.push(Span::styled(key, t.key()));
        spans.push(Span::raw(format!(" {label}")));
    }
    if !spans.is_empty() {
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

/// The hints for the current context, most useful first.
pub fn hints(app: &App) -> Vec<(Command, &'static str)> {
    use Command as C;
    match app.overlay {
        Some(Overlay::Picker(_)) => vec![
            (C::Open, "選ぶ／外す"),
            (C::Back, "閉じる"),
            (C::Down, "移動"),
            (C::Quit, "終了"),
        ],
        Some(_) => vec![
            (C::Back, "閉じる"),
            (C::Down, "スクロール"),
            (C::Quit, "終了"),
        ],
        None if app.showing_no_results() => vec![
            (C::Open, "適用"),
            (C::Down, "選ぶ"),
            (C::Area, "地域"),
            (C::ClearFilters, "解除"),
            (C::Back, "消去"),
            (C::Help, "ヘルプ"),
            (C::Quit, "終了"),
        ],
        None if app.focus == Focus::Detail => vec![
            (C::Back, "戻る"),
            (C::Down, "スクロール"),
            (C::Card, "カード"),
            (C::Copy, "コピー"),
            (C::Pin, "候補"),
            (C::Save, "保存"),
            (C::Quit, "終了"),
        ],
        None => vec![
            (C::Open, "詳細"),
            (C::Area, "地域"),
            (C::Care, "ケア"),
            (C::Need, "ニーズ"),
            (C::Help, "ヘルプ"),
            (C::Quit, "終了"),
            (C::Card, "カード"),
            (C::Pin, "候補"),
            (C::Shortlist, "候補一覧"),
        ],
    }
}

/// Draws the message or the hints.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let w = usize::from(area.width);
    let line = match &app.message {
        Some(m) => {
            let style = match m.level {
                Level::Info => t.strong(),
                Level::Warning => t.warning(),
                Level::Error => t.error(),
            };
            Line::styled(fit(&format!(" {}", m.text), w), style)
        }
        None => hint_line(app, &hints(app), w),
    };
    frame.render_widget(Paragraph::new(line), area);
}
