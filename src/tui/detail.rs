//! The detail pane: every field of the selected record with its Japanese label
//! (`present::fields`), wrapped in display cells and scrollable, with the source date, its age
//! and 「最新情報は所管課へ確認」 pinned at the bottom so they are always in view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::app::{App, Focus};
use super::cells::{fit, pad, wrap};
use super::keymap::Command;
use super::layout::Viewport;
use super::theme::Theme;
use crate::directory::Catalog;
use crate::present::{self, CONFIRM_NOTE, Ymd};
use crate::text::width::display_width;

/// Lines pinned at the bottom (rule, newest source, confirm note).
pub const FOOTER_LINES: u16 = 3;

/// The body lines of record `r`'s detail at this width (labels left, values wrapped).
pub fn body_lines(
    catalog: &Catalog,
    r: usize,
    today: Ymd,
    t: Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let fields = present::fields(catalog, catalog.record(r), today);
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

/// The scrolled part of a detail pane of `area` (border included): the inside without the
/// pinned footer.
fn body_area(area: Rect) -> Rect {
    let inner = super::layout::inner(area);
    Rect {
        height: inner.height - FOOTER_LINES.min(inner.height),
        ..inner
    }
}

/// The body of record `r` in a detail pane of `area` (border included): its lines and how
/// many are visible.
pub fn viewport(catalog: &Catalog, r: usize, today: Ymd, area: Rect) -> Viewport {
    let body = body_area(area);
    Viewport {
        lines: body_lines(catalog, r, today, Theme::mono(), usize::from(body.width)).len(),
        height: usize::from(body.height),
    }
}

/// Draws the detail of the selected record.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let focused = app.focus == Focus::Detail;
    let mut title = " 詳細 ".to_string();
    if focused {
        let back = if app.is_wide() { "戻る" } else { "一覧へ" };
        title = format!(
            " 詳細（{} スクロール・{} {back}） ",
            app.keymap.up_down(),
            app.keymap.key(Command::Back)
        );
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
    let body = body_lines(&app.catalog, r, app.today, t, w);
    let vp = Viewport {
        lines: body.len(),
        height: usize::from(body_h),
    };
    let shown: Vec<Line> = body
        .into_iter()
        .skip(vp.clamp(app.list.detail_scroll))
        .take(vp.height)
        .collect();
    frame.render_widget(Paragraph::new(shown), body_area(area));

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
