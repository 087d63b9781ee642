//! The search box (always the target of typing; its caret is where the terminal cursor goes,
//! so an IME's composition appears in place) and the line of filter chips under it (地域,
//! ケア, ニーズ, 電話あり).

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::app::{App, Focus};
use super::cells::{clean, fit_spans};
use super::keymap::Command;
use crate::search::Sort;
use crate::text::width::display_width;

/// The prompt before the text.
const PROMPT: &str = "検索 ";

/// Draws the box and the chips; returns where the terminal cursor belongs (the caret).
pub fn render(app: &App, frame: &mut Frame, area: Rect, chips: Rect) -> Option<Position> {
    let t = app.theme;
    let border = if app.focus == Focus::Input {
        t.focused_border()
    } else {
        t.border()
    };
    let block = Block::bordered()
        .border_style(border)
        .title(Line::from(" 医ケアナビ ").style(t.strong()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let prompt_w = display_width(PROMPT) as u16;
    let field_w = usize::from(inner.width.saturating_sub(prompt_w));
    let (shown, caret) = app.input.view(field_w);
    let mut spans = vec![Span::styled(PROMPT, t.dim())];
    if app.input.is_empty() {
        spans.push(Span::styled(
            "キーワード（例: 人工呼吸器 ショートステイ／shinagawa）",
            t.dim(),
        ));
    } else {
        spans.push(Span::raw(shown));
    }
    let line = Line::from(fit_spans(spans, usize::from(inner.width)));
    frame.render_widget(Paragraph::new(line), inner);
    render_chips(app, frame, chips);
    (inner.height > 0 && inner.width > prompt_w)
        .then(|| Position::new(inner.x + prompt_w + caret as u16, inner.y))
}

/// The active filters as chips, or a hint when there are none.
fn render_chips(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let f = &app.filters;
    let c = &app.catalog;
    let mut spans: Vec<Span> = Vec::new();
    let mut chip = |label: &str, value: &str| {
        spans.push(Span::styled(
            format!(" {label}:{} ", clean(value)),
            t.chip(),
        ));
        spans.push(Span::raw(" "));
    };
    // An area named in the box is the search's, even over a selected one. A name other
    // areas share carries its prefecture (東京都府中市).
    let name = |a| c.areas.display_name(a);
    match (app.results.area_from_text, f.area) {
        (Some(a), Some(selected)) if a != selected => chip(
            "地域",
            &format!("{}（入力から・{}に代えて）", name(a), name(selected)),
        ),
        (Some(a), _) => chip("地域", &format!("{}（入力から）", name(a))),
        (None, Some(a)) => chip("地域", &name(a)),
        (None, None) => {}
    }
    for id in &f.care_types {
        chip("ケア", c.label_of(id));
    }
    for id in &f.needs {
        chip("ニーズ", c.label_of(id));
    }
    // A relaxation from the no-results panel, while its search lasts (60kmに広げる).
    if let Some(r) = &app.relaxed {
        chip("広げて検索", &r.label);
    }
    if f.with_phone {
        spans.push(Span::styled(
            format!(" {} ", Command::WithPhone.hint()),
            t.chip(),
        ));
        spans.push(Span::raw(" "));
    }
    if app.sort == Sort::Distance {
        spans.push(Span::styled(
            format!(" {} ", Command::NearFirst.hint()),
            t.chip(),
        ));
        spans.push(Span::raw(" "));
    }
    let keys = |cmd| app.keymap.key(cmd);
    let no_chips = spans.is_empty();
    // A name of several areas is offered as a choice unless one of them is the area already:
    // what to press first, then the places (cut at the edge when they are many: 北区), so the
    // notice fits the line at any width.
    let mut warned = false;
    if let Some((word, areas)) = &app.results.understood.ambiguous_area
        && !f.area.is_some_and(|a| areas.contains(&a))
    {
        let names: Vec<String> = areas
            .iter()
            .map(|&a| clean(&c.areas.distinct_name(a)))
            .collect();
        spans.push(Span::styled(
            format!(
                "{}は複数あります — {}で選ぶ: {} ",
                clean(word),
                keys(Command::Area),
                names.join("・"),
            ),
            t.warning(),
        ));
        warned = true;
    }
    // A short name that is also a place elsewhere (大蔵) was searched as text: say which
    // area it was not taken for.
    if let Some((word, a)) = &app.results.understood.also_a_place
        && f.area.is_none()
    {
        spans.push(Span::styled(
            format!(
                "{}は{}の名前でもあります — 地域で絞らず語として探しました（{}で選ぶ） ",
                clean(word),
                clean(&c.areas.distinct_name(*a)),
                keys(Command::Area)
            ),
            t.warning(),
        ));
    }
    // With the notice, which says what to do, the list of filter keys would only push it off.
    if no_chips && !warned {
        let filters = [
            Command::Area,
            Command::Care,
            Command::Need,
            Command::WithPhone,
        ]
        .map(|cmd| format!("{} {}", keys(cmd), cmd.hint()));
        spans.push(Span::styled(
            format!("絞り込みなし — {}", filters.join("・")),
            t.dim(),
        ));
    } else if !no_chips {
        spans.push(Span::styled(
            format!(
                "（空欄で Backspace: 最後を外す・{}: 全解除）",
                keys(Command::ClearFilters)
            ),
            t.dim(),
        ));
    }
    frame.render_widget(
        Paragraph::new(Line::from(fit_spans(spans, usize::from(area.width)))),
        area,
    );
}
