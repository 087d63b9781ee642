//! The call shortlist overlay: the records pinned (the `pin` key) during this call, in pin
//! order, with keys to open a card, unpin, copy and save them all as one Markdown document.
//! Kept in memory only; nothing is written unless the clerk saves.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::cells::{fit, name_and_label};
use super::keymap::{Command, Keymap};
use super::status::hint_line;
use super::theme::Theme;
use crate::directory::Catalog;
use crate::present;

/// The message for an empty shortlist, naming the key that adds to it.
pub fn empty_message(keymap: &Keymap) -> String {
    format!("候補リストは空です（{} で追加）", keymap.key(Command::Pin))
}

/// Draws the shortlist (`pinned`, catalog positions in pin order), `selected` marked.
pub fn render(
    catalog: &Catalog,
    pinned: &[usize],
    selected: usize,
    keymap: &Keymap,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let t = theme;
    let hints = hint_line(
        keymap,
        t,
        &[
            Command::Open.hint_as("カード"),
            Command::Pin.hint_as("外す"),
            Command::Save.into(),
            Command::Copy.into(),
            Command::Back.hint_as("閉じる"),
        ],
        usize::from(area.width.saturating_sub(2)),
    );
    let block = Block::bordered()
        .border_style(t.focused_border())
        .title(Line::from(format!(" 候補リスト {}件 ", pinned.len())).style(t.strong()))
        .title_bottom(hints);
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let h = usize::from(inner.height);
    let mut lines: Vec<Line> = Vec::new();
    if pinned.is_empty() {
        let pin = keymap.keys_label(Command::Pin);
        lines.push(Line::styled(
            fit(
                &format!("候補リストは空です。結果を選んで {pin} で追加します。"),
                w,
            ),
            t.dim(),
        ));
    }
    let skip = (selected + 1).saturating_sub(h);
    for (i, &r) in pinned.iter().enumerate().skip(skip).take(h) {
        let res = catalog.record(r);
        let label = format!(
            "{}・{}",
            res.kind.label(),
            present::area_names(catalog, &res.service_areas)
        );
        let marker = if i == selected { "> " } else { "  " };
        let (name, right) = name_and_label(&res.name, &label, w.saturating_sub(2), (w / 3).max(6));
        let line = Line::from(vec![
            Span::raw(marker),
            Span::styled(name, t.strong()),
            Span::raw(" "),
            Span::styled(right, t.dim()),
        ]);
        lines.push(t.row(line, w, i == selected));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
