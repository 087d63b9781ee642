//! The results list: for each hit its name, distance (約5km, with an area selected), kind and
//! area on one line and the matched snippet (with highlights) under it; the hit count in the title. Pinned records carry a `*`.
//!
//! With a care type selected, the offices whose source cannot say whether they take it (unknown
//! is not no: `crate::directory::filters`) follow those that state it: their second line starts
//! with ケア要確認, and the title counts them (`結果 439件（うち要確認 439件）`); the detail and
//! the card say 医療的ケアの受入れ: 要確認 in full.
//!
//! Under a thin result (every hit on the page), a note (wrapped) says where the loaded open data has
//! offices of the type asked for when it has none in the area's prefecture
//! ([`crate::search::coverage`]).
//!
//! When the hits match only some of the words and a word found nothing, a notice above the
//! hits says which (「ショートステイ」に一致する記録はありません — 一部の語だけに一致, at most
//! [`NOTICE_MAX_LINES`] wrapped lines): a list of what matched the place alone never reads as
//! the answer.
//!
//! When nothing asked was within the radius and the hits are the nearest ones however far
//! (「30km以内にありません — 近い順」), the relaxations the search offers stay available (issue
//! 23): a line above the hits names them with their keys and counts (「広げると: Alt-1
//! 60kmに広げる（1件）  Alt-2 地域を長崎県に広げる（5件）…」, at most [`RELAX_MAX_LINES`]
//! lines), and Alt-n applies one as in the no-results panel.
//!
//! The area's main window (代表窓口, [`crate::search::windows`]) is a row of its own, selected
//! and pinned like a hit: first when the words ask for it (名古屋市役所), last under a thin
//! answer (近い順, 要確認) once every hit is loaded — its name, 代表窓口 and the municipality,
//! then its main phone and whom to ask for.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::cells::{clean, fit, fit_spans, highlighted, name_and_label, wrap};
use super::layout::ListState;
use super::theme::Theme;
use crate::directory::{AreaIdx, Catalog};
use crate::present::{self, Entry};
use crate::search::{Hit, MatchMode, SearchResults};
use crate::text::width::display_width;

/// What the list draws.
pub struct ResultsPane<'a> {
    /// The directory the hits point into.
    pub catalog: &'a Catalog,
    /// The hits.
    pub results: &'a SearchResults,
    /// Selected hit and the first one shown.
    pub list: ListState,
    /// What is on the shortlist (marked `*`).
    pub pinned: &'a [Entry],
    /// Whether the list has the focus.
    pub focused: bool,
    /// The line under a thin result (what the open data covers), when there is one.
    pub coverage_note: Option<String>,
    /// Styles.
    pub theme: Theme,
}

/// One row of the list.
#[derive(Debug, Clone, Copy)]
pub enum Row<'a> {
    /// A main window (the area whose window it is).
    Window(AreaIdx),
    /// A hit.
    Hit(&'a Hit),
}

impl Row<'_> {
    /// What the row is, to select, open and pin.
    pub fn entry(self) -> Entry {
        match self {
            Row::Window(a) => Entry::Area(a),
            Row::Hit(h) => Entry::Record(h.resource),
        }
    }
}

/// Whether the window closing a thin answer is a row: every hit is loaded, so it is last.
fn closing_shown(r: &SearchResults) -> bool {
    r.windows.closing.is_some() && r.hits.len() >= r.total
}

/// How many rows the list has: the main window asked for, the hits loaded, and the window
/// closing a thin answer.
pub fn row_count(r: &SearchResults) -> usize {
    usize::from(r.windows.asked.is_some()) + r.hits.len() + usize::from(closing_shown(r))
}

/// Row `i` of the list.
pub fn row_at(r: &SearchResults, i: usize) -> Option<Row<'_>> {
    let i = match r.windows.asked {
        Some(a) if i == 0 => return Some(Row::Window(a)),
        Some(_) => i - 1,
        None => i,
    };
    match r.hits.get(i) {
        Some(h) => Some(Row::Hit(h)),
        None if i == r.hits.len() && closing_shown(r) => r.windows.closing.map(Row::Window),
        None => None,
    }
}

/// What row `i` of the list is, to select, open and pin.
pub fn entry_at(r: &SearchResults, i: usize) -> Option<Entry> {
    row_at(r, i).map(Row::entry)
}

/// The list title: `結果 12件`, with how many are 要確認 (a care type is selected), how many
/// are shown when not all, and the match mode when it was not exact.
pub fn title(r: &SearchResults) -> String {
    let mut s = format!(" 結果 {}件", r.total);
    let mut notes: Vec<String> = Vec::new();
    if r.care_unknown > 0 {
        notes.push(format!("うち要確認 {}件", r.care_unknown));
    }
    if r.total > r.hits.len() {
        // The rest loads as the list moves down (App::load_through).
        notes.push(format!("{}件まで表示・↓で続き", r.hits.len()));
    }
    if !notes.is_empty() {
        s.push_str(&format!("（{}）", notes.join("・")));
    }
    match (r.mode, r.every_word) {
        // The few matching every word first, then those matching some.
        (MatchMode::All, Some(n)) => s.push_str(&format!("・すべての語に一致は{n}件")),
        (MatchMode::All, None) => {}
        (MatchMode::Some, _) => s.push_str("・一部の語に一致"),
        (MatchMode::Approximate, _) => s.push_str("・近い表記"),
    }
    if let Some(km) = r.nearest_beyond_km {
        s.push('・');
        s.push_str(&crate::present::nearest_note(km));
    }
    if r.types_not_in_data != 0 {
        s.push('・');
        s.push_str(&crate::present::types_not_in_data_note(r.types_not_in_data));
    }
    if r.understood.days != 0 && r.total > 0 {
        s.push('・');
        s.push_str(&crate::present::days_note(r.understood.days));
    }
    if let Some(n) = r.understood.number.as_ref().filter(|n| n.taken) {
        s.push('・');
        let found = r.total > 0 || r.windows.asked.is_some();
        s.push_str(&crate::present::number_note(n, found));
    }
    s.push(' ');
    s
}

/// Most lines the notice of words that found nothing takes.
pub const NOTICE_MAX_LINES: usize = 2;

/// The notice of words that found nothing, wrapped to `width` cells (none when every word
/// found something). [`super::app::App::list_page`] leaves its rows out of the page.
/// The relaxations offered beside the nearest ones ([`relax_lines`]) follow it.
pub fn notice_lines(r: &SearchResults, width: u16) -> Vec<String> {
    let w = usize::from(width);
    if w < 8 {
        return vec![];
    }
    let mut lines = match present::unmatched_note(&r.unmatched) {
        Some(note) => wrap(&note, w),
        None => vec![],
    };
    if lines.len() > NOTICE_MAX_LINES {
        let rest = lines[NOTICE_MAX_LINES - 1..].concat();
        lines.truncate(NOTICE_MAX_LINES - 1);
        lines.push(fit(&rest, w));
    }
    lines.extend(relax_lines(r, w));
    lines
}

/// Most lines the relaxations offered beside the nearest ones take.
pub const RELAX_MAX_LINES: usize = 2;

/// The relaxations offered beside the nearest ones beyond the radius (see the module doc), as
/// many whole ones as fit in [`RELAX_MAX_LINES`] lines of `w` cells, in the order Alt-n
/// applies them; none otherwise.
fn relax_lines(r: &SearchResults, w: usize) -> Vec<String> {
    let Some(nr) = &r.no_results else {
        return vec![];
    };
    if r.total == 0 || r.nearest_beyond_km.is_none() {
        return vec![];
    }
    let mut lines = vec!["広げると:".to_string()];
    for (i, x) in nr.relaxations.iter().enumerate().take(9) {
        let item = format!("Alt-{} {}（{}件）", i + 1, clean(&x.label), x.count);
        let last = lines.last_mut().expect("one line");
        if display_width(last) + 2 + display_width(&item) <= w {
            last.push_str("  ");
            last.push_str(&item);
        } else if lines.len() < RELAX_MAX_LINES && 2 + display_width(&item) <= w {
            lines.push(format!("  {item}"));
        } else {
            break;
        }
    }
    if lines.len() == 1 && lines[0] == "広げると:" {
        return vec![];
    }
    lines
}

/// Draws the list.
pub fn render(pane: &ResultsPane, frame: &mut Frame, area: Rect) {
    let t = pane.theme;
    let border = if pane.focused {
        t.focused_border()
    } else {
        t.border()
    };
    let block = Block::bordered()
        .border_style(border)
        .title(Line::from(title(pane.results)).style(t.strong()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    if w < 8 {
        return;
    }
    let notice = notice_lines(pane.results, inner.width);
    let page = usize::from(inner.height).saturating_sub(notice.len()) / 2;
    let mut lines: Vec<Line> = notice
        .into_iter()
        .map(|n| Line::styled(n, t.warning()))
        .collect();
    if row_count(pane.results) == 0 {
        lines.push(Line::styled("該当するものはありません", t.dim()));
    }
    let rows = (pane.list.offset..row_count(pane.results))
        .take(page)
        .filter_map(|i| Some((i, row_at(pane.results, i)?)));
    for (i, row) in rows {
        let selected = i == pane.list.selected;
        let marker = format!(
            "{}{} ",
            if selected { '>' } else { ' ' },
            if pane.pinned.contains(&row.entry()) {
                '*'
            } else {
                ' '
            }
        );
        let [first, second] = match row {
            Row::Hit(hit) => hit_lines(pane, hit, &marker, w),
            Row::Window(a) => window_lines(pane, a, &marker, w),
        };
        lines.push(t.row(first, w, selected));
        lines.push(t.row(second, w, selected));
    }
    // Under a thin result (every hit on the page), what the data covers.
    if let Some(note) = &pane.coverage_note {
        let room = usize::from(inner.height).saturating_sub(lines.len());
        lines.extend(
            wrap(note, w)
                .into_iter()
                .take(room)
                .map(|l| Line::styled(l, t.warning())),
        );
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A row's first line: the marker, the name, and on the right what and where it is (the label
/// keeps room for a town with its prefecture: 約700m・施設・東京都府中市).
fn first_line(
    pane: &ResultsPane,
    marker: &str,
    name: &str,
    label: &str,
    w: usize,
) -> Line<'static> {
    let t = pane.theme;
    let (name, right) = name_and_label(
        name,
        label,
        w.saturating_sub(display_width(marker)),
        (w * 2 / 5).clamp(6, 30),
    );
    Line::from(vec![
        Span::raw(marker.to_string()),
        Span::styled(name, t.strong()),
        Span::raw(" "),
        Span::styled(right, t.dim()),
    ])
}

/// A hit's two lines: the name with distance, kind and area; the snippet (marked ケア要確認).
fn hit_lines(pane: &ResultsPane, hit: &Hit, marker: &str, w: usize) -> [Line<'static>; 2] {
    let t = pane.theme;
    let r = pane.catalog.record(hit.resource);
    // The distance first: it is what a clerk compares down the list.
    let distance = hit
        .distance_km
        .map(|d| format!("{}・", present::distance_label(f64::from(d))))
        .unwrap_or_default();
    let label = format!(
        "{distance}{}・{}",
        r.kind.label(),
        present::area_names(pane.catalog, &r.service_areas)
    );
    let first = first_line(pane, marker, &r.name, &label, w);
    let snippet = if hit.snippet.text.is_empty() {
        vec![Span::styled(clean(&r.summary), t.dim())]
    } else {
        highlighted(
            &hit.snippet.text,
            &hit.snippet.highlights,
            ratatui::style::Style::new(),
            t.highlight(),
        )
    };
    let mut spans = vec![Span::raw("   ")];
    if hit.care_unknown {
        spans.push(Span::styled(present::CARE_UNKNOWN_MARK, t.warning()));
        spans.push(Span::raw(" "));
    }
    spans.extend(snippet);
    [first, Line::from(fit_spans(spans, w))]
}

/// A main window's two lines: its name with 代表窓口 and the municipality; its main phone
/// (or that the list gives none) and whom to ask for.
fn window_lines(pane: &ResultsPane, owner: AreaIdx, marker: &str, w: usize) -> [Line<'static>; 2] {
    let tree = &pane.catalog.areas;
    let Some(window) = tree.at(owner).main_window.as_ref() else {
        return [Line::raw(marker.to_string()), Line::raw("")];
    };
    let label = format!(
        "{}・{}",
        present::MAIN_WINDOW_KIND,
        tree.display_name(owner)
    );
    let first = first_line(pane, marker, &window.name, &label, w);
    let phone = match present::main_window_phone(window) {
        Some(p) => format!("代表 {p} — {}", present::ASK_THE_DESK),
        None => present::NO_MAIN_PHONE.to_string(),
    };
    let second = Line::from(fit_spans(
        vec![Span::raw("   "), Span::raw(clean(&phone))],
        w,
    ));
    [first, second]
}
