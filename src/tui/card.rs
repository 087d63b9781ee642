//! The read-aloud card overlay: the selected record in speaking order (名称とよみ → 何をして
//! くれるか → 対象 → 連絡先・所管 → 時間 → 資料日付), from `present::read_aloud_card`,
//! wrapped to the window, scrollable; copy (OSC 52) and save keys in its bottom border.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::App;
use super::cells::wrap;
use super::keymap::Command;
use super::status::hint_line;

/// Draws the card of record `r`, scrolled by `scroll` lines.
pub fn render(app: &App, frame: &mut Frame, area: Rect, r: usize, scroll: usize) {
    let t = app.theme;
    let hints = hint_line(
        app,
        &[
            (Command::Copy, "コピー"),
            (Command::Save, "保存"),
            (Command::Pin, "候補"),
            (Command::Back, "閉じる"),
        ],
        usize::from(area.width.saturating_sub(2)),
    );
    let block = Block::bordered()
        .border_style(t.focused_border())
        .title(Line::from(" 読み上げカード ").style(t.strong()))
        .title_bottom(hints);
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let md = app.card_markdown(r);
    let mut lines: Vec<Line> = Vec::new();
    for raw in md.lines() {
        let (text, style) = match raw.strip_prefix("## ") {
            Some(title) => (title, t.strong()),
            None => (raw, ratatui::style::Style::new()),
        };
        // Continuation lines of a bullet are indented under its text.
        let indent = if text.starts_with("- ") { "  " } else { "" };
        for (i, l) in wrap(text, w.saturating_sub(indent.len()))
            .into_iter()
            .enumerate()
        {
            let l = if i == 0 { l } else { format!("{indent}{l}") };
            lines.push(Line::styled(l, style));
        }
    }
    let max = lines.len().saturating_sub(usize::from(inner.height));
    let shown: Vec<Line> = lines.into_iter().skip(scroll.min(max)).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
