//! The no-results panel: what was not found and which filter removed it, the relaxations the
//! search library offers with their counts, and did-you-mean names. Up/Down select, Open (or
//! Alt-1 … Alt-9) applies one — a search is never a dead end.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::app::{App, Suggestion};
use super::cells::{clean, fit};
use super::keymap::Command;

/// Draws the panel in the list's place.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let block = Block::bordered().title(Line::from(" 結果 0件 ").style(t.strong()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::new();
    let text = app.input.text().trim();
    let head = if text.is_empty() {
        "この絞り込みに合うものはありません".to_string()
    } else {
        format!("「{}」に一致するものはありません", clean(text))
    };
    lines.push(Line::styled(fit(&head, w), t.strong()));
    if let Some(nr) = &app.results.no_results
        && !nr.removed_by.is_empty()
    {
        let why = format!(
            "絞り込み（{}）で0件になりました",
            clean(&nr.removed_by.join("・"))
        );
        lines.push(Line::from(fit(&why, w)));
    }
    let suggestions = app.suggestions();
    if suggestions.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            fit("別の言葉（略称・よみ・ローマ字）で試してください", w),
            t.dim(),
        ));
    }
    let mut shown_relax_header = false;
    let mut shown_dym_header = false;
    for (i, s) in suggestions.iter().enumerate() {
        let text = match s {
            Suggestion::Relax(label, count, _) => {
                if !shown_relax_header {
                    lines.push(Line::raw(""));
                    lines.push(Line::styled("広げると:", t.label()));
                    shown_relax_header = true;
                }
                format!("{}件 — {}", count, clean(label))
            }
            Suggestion::DidYouMean(name) => {
                if !shown_dym_header {
                    lines.push(Line::raw(""));
                    lines.push(Line::styled("もしかして:", t.label()));
                    shown_dym_header = true;
                }
                clean(name)
            }
        };
        let selected = i == app.list.suggestion;
        let prefix = format!("{} Alt-{} ", if selected { '>' } else { ' ' }, i + 1);
        let line = Line::from(vec![
            Span::styled(prefix.clone(), t.key()),
            Span::raw(fit(&text, w.saturating_sub(prefix.len()))),
        ]);
        lines.push(t.row(line, w, selected));
    }
    if !suggestions.is_empty() {
        let how = format!(
            "{} で選び {} で適用",
            app.keymap.up_down(),
            app.keymap.key(Command::Open)
        );
        lines.push(Line::raw(""));
        lines.push(Line::styled(fit(&how, w), t.dim()));
    }
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
