//! The help overlay, generated from the keymap (so overrides in `config.toml` show up):
//! every command with its keys, then the fixed editing keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::App;
use super::cells::{fit, pad};
use crate::text::width::display_width;

/// Draws help, scrolled by `scroll` lines.
pub fn render(app: &App, frame: &mut Frame, area: Rect, scroll: usize) {
    let t = app.theme;
    let block = Block::bordered()
        .border_style(t.focused_border())
        .title(Line::from(" ヘルプ — キー一覧 ").style(t.strong()))
        .title_bottom(Line::from(" Esc 閉じる・↑↓ スクロール ").style(t.dim()));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let rows = app.keymap.help_rows();
    let key_w = rows
        .iter()
        .map(|(k, _)| display_width(k))
        .max()
        .unwrap_or(0)
        .min(w / 2);
    let mut lines = vec![
        Line::styled(
            fit(
                "文字は常に検索欄に入ります（IME・かな・ローマ字）。一文字ごとに検索します。",
                w,
            ),
            t.dim(),
        ),
        Line::raw(""),
    ];
    for (keys, desc) in rows {
        lines.push(Line::from(vec![
            Span::styled(pad(&keys, key_w), t.key()),
            Span::raw("  "),
            Span::raw(fit(desc, w.saturating_sub(key_w + 2))),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        fit(
            "キーは設定ファイル config.toml の [keys] で変えられます（例: area = \"F9\"）。",
            w,
        ),
        t.dim(),
    ));
    let max = lines.len().saturating_sub(usize::from(inner.height));
    let shown: Vec<Line> = lines.into_iter().skip(scroll.min(max)).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
