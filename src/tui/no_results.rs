//! The no-results panel: what was not found and which filter removed it, the relaxations the
//! search library offers with their counts, did-you-mean names with the area of each
//! (「地域外」 when the area filter hides it), and last the area's main window with its main
//! phone (see [`crate::search::windows`]). Up/Down select, Open (or Alt-1 … Alt-9) applies
//! one — a main window's card opens, and it is pinned like a hit — so a search is never a
//! dead end.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::app::Suggestion;
use super::cells::{clean, fit, name_and_label};
use super::keymap::{Command, Keymap};
use super::theme::Theme;
use crate::directory::{AreaIdx, Catalog};
use crate::present;
use crate::text::width::display_width;

/// What the panel draws.
pub struct NoResultsPane<'a> {
    /// The search box's text.
    pub query: &'a str,
    /// The filters that removed every hit (地域, ケア, ニーズ).
    pub removed_by: &'a [String],
    /// The text has no character a record could match (🙂): nothing was searched.
    pub unsearchable: bool,
    /// Relaxations and did-you-mean names, in display order.
    pub suggestions: &'a [Suggestion],
    /// The selected suggestion.
    pub selected: usize,
    /// For the key names.
    pub keymap: &'a Keymap,
    /// The directory the did-you-mean records are in, for their areas.
    pub catalog: &'a Catalog,
    /// The area filter, to mark a record outside it.
    pub area: Option<AreaIdx>,
    /// Styles.
    pub theme: Theme,
}

/// Draws the panel in the list's place.
pub fn render(pane: &NoResultsPane, frame: &mut Frame, area: Rect) {
    let block = Block::bordered().title(Line::from(" 結果 0件 ").style(pane.theme.strong()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = lines(pane, usize::from(inner.width));
    // Keep the selected suggestion in view on short terminals.
    let h = usize::from(inner.height);
    let sel_line = lines
        .iter()
        .position(|l| l.spans.first().is_some_and(|s| s.content.starts_with('>')))
        .unwrap_or(0);
    let skip = (sel_line + 1).saturating_sub(h);
    frame.render_widget(
        Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()),
        inner,
    );
}

/// The panel's lines at width `w`.
fn lines(pane: &NoResultsPane, w: usize) -> Vec<Line<'static>> {
    let t = pane.theme;
    let mut lines: Vec<Line> = Vec::new();
    let text = pane.query.trim();
    let head = if text.is_empty() {
        "この絞り込みに合うものはありません".to_string()
    } else {
        format!("「{}」に一致するものはありません", clean(text))
    };
    lines.push(Line::styled(fit(&head, w), t.strong()));
    if pane.unsearchable {
        lines.push(Line::from(fit(present::UNSEARCHABLE, w)));
    }
    if !pane.removed_by.is_empty() {
        let why = format!(
            "絞り込み（{}）で0件になりました",
            clean(&pane.removed_by.join("・"))
        );
        lines.push(Line::from(fit(&why, w)));
        if pane.removed_by.iter().any(|f| f == "ケア") {
            lines.push(Line::styled(
                fit(crate::present::CARE_FILTER_KEPT_UNKNOWN, w),
                t.dim(),
            ));
        }
    }
    let suggestions = pane.suggestions;
    if suggestions.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            fit("別の言葉（略称・よみ・ローマ字）で試してください", w),
            t.dim(),
        ));
    }
    let mut shown_relax_header = false;
    let mut shown_dym_header = false;
    let mut shown_window_header = false;
    for (i, s) in suggestions.iter().enumerate() {
        let text = match s {
            Suggestion::Window(a) => {
                if !shown_window_header {
                    lines.push(Line::raw(""));
                    lines.push(Line::styled(
                        "地域の代表窓口（担当課がわからないとき）:",
                        t.label(),
                    ));
                    shown_window_header = true;
                }
                // Its line as read to the caller (名古屋市役所（代表）052-961-1111 — …).
                present::area_card(&pane.catalog.areas, *a).0
            }
            Suggestion::Relax(label, count, _) => {
                if !shown_relax_header {
                    lines.push(Line::raw(""));
                    lines.push(Line::styled("広げると:", t.label()));
                    shown_relax_header = true;
                }
                format!("{}件 — {}", count, clean(label))
            }
            Suggestion::DidYouMean(name, record) => {
                if !shown_dym_header {
                    lines.push(Line::raw(""));
                    lines.push(Line::styled("もしかして:", t.label()));
                    shown_dym_header = true;
                }
                let selected = i == pane.selected;
                let prefix = format!("{} Alt-{} ", if selected { '>' } else { ' ' }, i + 1);
                let area = record.map_or_else(String::new, |r| {
                    let res = pane.catalog.record(r);
                    let place = present::place_name(pane.catalog, res);
                    // Applying it drops the area filter that hides it (and says so).
                    match pane.area {
                        Some(a) if !pane.catalog.areas.serves(&res.service_areas, a) => {
                            format!("{place}・地域外")
                        }
                        _ => place,
                    }
                });
                let (name, area) =
                    name_and_label(name, &area, w.saturating_sub(display_width(&prefix)), w / 2);
                let line = Line::from(vec![
                    Span::styled(prefix, t.key()),
                    Span::raw(name),
                    Span::raw(" "),
                    Span::styled(area, t.dim()),
                ]);
                lines.push(t.row(line, w, selected));
                continue;
            }
        };
        let selected = i == pane.selected;
        let prefix = format!("{} Alt-{} ", if selected { '>' } else { ' ' }, i + 1);
        let line = Line::from(vec![
            Span::styled(prefix.clone(), t.key()),
            Span::raw(fit(&text, w.saturating_sub(prefix.len()))),
        ]);
        lines.push(t.row(line, w, selected));
    }
    if !suggestions.is_empty() {
        let mut how = format!(
            "{} で選び {} で適用",
            pane.keymap.up_down(),
            pane.keymap.key(Command::Open)
        );
        if shown_window_header {
            how.push_str(&format!(
                "（代表窓口はカード・{} で候補リストへ）",
                pane.keymap.key(Command::Pin)
            ));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(fit(&how, w), t.dim()));
    }
    lines
}
