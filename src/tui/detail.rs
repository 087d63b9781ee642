//! The detail pane: every field of the selected record with its Japanese label
//! (`present::fields`), wrapped in display cells and scrollable, with the source date, its age
//! and 「最新情報は所管課へ確認」 pinned at the bottom so they are always in view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::app::{App, Focus};
use super::cells::{fit, pad, wrap};
use crate::present::{self, CONFIRM_NOTE};
use crate::text::width::display_width;

/// Lines pinned at the bottom (rule, newest source, confirm note).
pub const FOOTER_LINES: u16 = 3;

/// The body lines of a record's detail at this width (labels left, values wrapped).
pub fn body_lines(app: &App, r: usize, width: usize) -> Vec<Line<'static>> {
    let t = app.theme;
    let fields = present::fields(&app.catalog, app.catalog.record(r), app.today);
    let label_w = fields
        .iter()
        .map(|f| display_width(f.label))
        .max()
        .unwrap_or(0)
        .min(14);
    let side_by_side = width >= label_w + 20;
    let mut lines = Vec::new();
    for f in fields {
        if side_by_side {
            let value_w = width - label_w - 1;
            for (i, v) in wrap(&f.value, value_w).into_iter().enumerate() {
                let label = if i == 0 {
                    pad(f.label, label_w)
                } else {
                    " ".repeat(label_w)
                };
                lines.push(Line::from(vec![
                    Span::styled(label, t.label()),
                    Span::raw(" "),
                    Span::raw(v),
                ]));
            }
        } else {
            lines.push(Line::styled(fit(f.label, width), t.label()));
            for v in wrap(&f.value, width.saturating_sub(2)) {
                lines.push(Line::from(format!("  {v}")));
            }
        }
    }
    lines
}

/// Draws the detail of the selected record.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let focused = app.focus == Focus::Detail;
    let mut title = " 詳細 ".to_string();
    if focused {
        title = if app.is_wide() {
            " 詳細（↑↓ スクロール・Esc 戻る） ".into()
        } else {
            " 詳細（↑↓ スクロール・Esc 一覧へ） ".into()
        };
    }
    let block = Block::bordered()
        .border_style(if focused {
            t.focused_border()
        } else {
            t.border()
        })
        .title(Line::from(title).style(t.strong()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(r) = app.current() else {
        frame.render_widget(
            Paragraph::new(Line::styled("項目を選ぶと詳細が出ます", t.dim())),
            inner,
        );
        return;
    };
    let w = usize::from(inner.width);
    if w == 0 || inner.height == 0 {
        return;
    }
    let footer_h = FOOTER_LINES.min(inner.height);
    let body_h = inner.height - footer_h;
    let body = body_lines(app, r, w);
    let max_scroll = body.len().saturating_sub(usize::from(body_h));
    let scroll = app.detail_scroll.min(max_scroll);
    let shown: Vec<Line> = body
        .into_iter()
        .skip(scroll)
        .take(usize::from(body_h))
        .collect();
    frame.render_widget(
        Paragraph::new(shown),
        Rect {
            height: body_h,
            ..inner
        },
    );

    let res = app.catalog.record(r);
    let sources = present::source_lines(&app.catalog, res, app.today);
    let more = if sources.len() > 1 {
        format!("（ほか{}件）", sources.len() - 1)
    } else {
        String::new()
    };
    let first = sources
        .first()
        .cloned()
        .unwrap_or_else(|| "資料の記載なし".into());
    let label = "出典 ";
    let src_w = w.saturating_sub(display_width(label) + display_width(&more));
    let mut footer = vec![
        Line::styled("─".repeat(w), t.dim()),
        Line::from(vec![
            Span::styled(label, t.label()),
            Span::raw(fit(&first, src_w)),
            Span::styled(more, t.dim()),
        ]),
        Line::styled(fit(CONFIRM_NOTE, w), t.warning()),
    ];
    footer.drain(..(FOOTER_LINES - footer_h) as usize);
    let footer_area = Rect {
        y: inner.y + body_h,
        height: footer_h,
        ..inner
    };
    frame.render_widget(Paragraph::new(footer), footer_area);
}
