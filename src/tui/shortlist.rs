//! The call shortlist overlay: the records pinned with Ctrl-T during this call, in pin order,
//! with keys to open a card, unpin, copy and save them all as one Markdown document.
//! Kept in memory only; nothing is written unless the clerk saves.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::App;
use super::cells::{fit, line_width, pad};
use super::keymap::Command;
use super::status::hint_line;
use crate::present;

/// Draws the shortlist.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let hints = hint_line(
        app,
        &[
            (Command::Open, "カード"),
            (Command::Pin, "外す"),
            (Command::Save, "保存"),
            (Command::Copy, "コピー"),
            (Command::Back, "閉じる"),
        ],
        usize::from(area.width.saturating_sub(2)),
    );
    let block = Block::bordered()
        .border_style(t.focused_border())
        .title(Line::from(format!(" 候補リスト {}件 ", app.shortlist.len())).style(t.strong()))
        .title_bottom(hints);
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let h = usize::from(inner.height);
    let mut lines: Vec<Line> = Vec::new();
    if app.shortlist.is_empty() {
        let pin = app.keymap.keys_label(Command::Pin);
        lines.push(Line::styled(
            fit(
                &format!("候補リストは空です。結果を選んで {pin} で追加します。"),
                w,
            ),
            t.dim(),
        ));
    }
    let skip = (app.shortlist_selected + 1).saturating_sub(h);
    for (i, &r) in app.shortlist.iter().enumerate().skip(skip).take(h) {
        let res = app.catalog.record(r);
        let selected = i == app.shortlist_selected;
        let right = fit(
            &format!(
                "{}・{}",
                res.kind.label(),
                present::area_names(&app.catalog, &res.service_areas)
            ),
            (w / 3).max(6),
        );
        let marker = if selected { "> " } else { "  " };
        let name_w = w.saturating_sub(2 + crate::text::width::display_width(&right) + 1);
        let mut line = Line::from(vec![
            Span::raw(marker),
            Span::styled(pad(&res.name, name_w), t.strong()),
            Span::raw(" "),
            Span::styled(right, t.dim()),
        ]);
        if selected {
            let fill = w.saturating_sub(line_width(&line));
            line.spans.push(Span::raw(" ".repeat(fill)));
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
