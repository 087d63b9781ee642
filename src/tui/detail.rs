//! The detail pane: every field of the selected record with its Japanese label
//! (`present::fields`: 電話 right after the name), wrapped in display cells and scrollable,
//! with the source date, its age and 「最新情報は所管課へ確認」 pinned at the bottom so they are
//! always in view — the note only for a record with a phone: one without says whom to ask in
//! its phone line, and says it once. A main window's detail is its area card
//! ([`present::area_card`]: the line a clerk reads, then its fields, the source among them).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::app::{App, Focus};
use super::cells::{fit, pad, wrap};
use super::keymap::Command;
use super::layout::Viewport;
use super::theme::Theme;
use crate::directory::{AreaIdx, Catalog, Resource};
use crate::present::{self, Entry, Field, Ymd};
use crate::text::width::display_width;

/// Lines pinned at the bottom of record `r`'s detail: a rule, the newest source, and the
/// confirm note when it is said ([`present::confirm_note`]).
pub fn footer_lines(r: &Resource) -> u16 {
    2 + u16::from(present::confirm_note(r).is_some())
}

/// Lines pinned at the bottom of an entry's detail: a record's [`footer_lines`]; none for a
/// main window (its card's fields hold its source).
fn entry_footer_lines(catalog: &Catalog, e: Entry) -> u16 {
    match e {
        Entry::Record(r) => footer_lines(catalog.record(r)),
        Entry::Area(_) => 0,
    }
}

/// The labelled fields of an entry's detail: a record's, with its distance from the selected
/// area `from`; a main window's area card, its line first.
fn entry_fields(catalog: &Catalog, e: Entry, (today, from): (Ymd, Option<AreaIdx>)) -> Vec<Field> {
    match e {
        Entry::Record(r) => present::fields_from(catalog, catalog.record(r), today, from),
        Entry::Area(a) => {
            let (head, fields) = present::area_card(&catalog.areas, a);
            std::iter::once(Field {
                label: present::MAIN_WINDOW_KIND,
                value: head,
            })
            .chain(fields)
            .collect()
        }
    }
}

/// The body lines of an entry's detail at this width (labels left, values wrapped), a
/// record's with its distance from the selected area (`at`).
pub fn body_lines(
    catalog: &Catalog,
    e: Entry,
    at: (Ymd, Option<AreaIdx>),
    t: Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let fields = entry_fields(catalog, e, at);
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

/// The scrolled part of a detail pane of `area` (border included): the inside without a
/// pinned footer of `footer` lines.
fn body_area(area: Rect, footer: u16) -> Rect {
    let inner = super::layout::inner(area);
    Rect {
        height: inner.height - footer.min(inner.height),
        ..inner
    }
}

/// The body of an entry in a detail pane of `area` (border included): its lines and how
/// many are visible.
pub fn viewport(catalog: &Catalog, e: Entry, at: (Ymd, Option<AreaIdx>), area: Rect) -> Viewport {
    let body = body_area(area, entry_footer_lines(catalog, e));
    Viewport {
        lines: body_lines(catalog, e, at, Theme::mono(), usize::from(body.width)).len(),
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
    let Some(e) = app.selected() else {
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
    let mut footer = match e {
        Entry::Record(r) => footer(app, app.catalog.record(r), w),
        Entry::Area(_) => vec![],
    };
    let footer_h = (footer.len() as u16).min(inner.height);
    footer.drain(..footer.len() - usize::from(footer_h));
    let body_h = inner.height - footer_h;
    let body = body_lines(&app.catalog, e, (app.today, app.distance_area()), t, w);
    let vp = Viewport {
        lines: body.len(),
        height: usize::from(body_h),
    };
    let shown: Vec<Line> = body
        .into_iter()
        .skip(vp.clamp(app.list.detail_scroll))
        .take(vp.height)
        .collect();
    frame.render_widget(Paragraph::new(shown), body_area(area, footer_h));
    let footer_area = Rect {
        y: inner.y + body_h,
        height: footer_h,
        ..inner
    };
    frame.render_widget(Paragraph::new(footer), footer_area);
}

/// The pinned footer of record `r` at `w` cells: [`footer_lines`] lines.
fn footer(app: &App, res: &Resource, w: usize) -> Vec<Line<'static>> {
    let t = app.theme;
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
    ];
    if let Some(note) = present::confirm_note(res) {
        footer.push(Line::styled(fit(note, w), t.warning()));
    }
    footer
}
