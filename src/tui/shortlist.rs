//! The call shortlist overlay: the records and main windows pinned (the `pin` key) during
//! this call, in pin order, with keys to open a card, unpin, copy and save them all as one Markdown document.
//! Kept in memory only; nothing is written unless the clerk saves — and it is never dropped
//! silently: a new call (the `new_call` key) or quitting with a shortlist not saved yet first
//! asks what to do with it ([`render_confirm`]: save, drop, or keep the call going), and a
//! session ended from outside (a signal, the terminal closed) keeps its ids in the state file
//! for the next start (`super::state_at_end`, [`super::app::App::restore_kept_shortlist`]).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::Ask;
use super::cells::{fit, name_and_label, wrap};
use super::keymap::{Command, Keymap};
use super::status::hint_line;
use super::theme::Theme;
use crate::directory::Catalog;
use crate::present::{self, Entry};

/// The message for an empty shortlist, naming the key that adds to it.
pub fn empty_message(keymap: &Keymap) -> String {
    format!("候補リストは空です（{} で追加）", keymap.key(Command::Pin))
}

/// Draws the shortlist (`pinned`, in pin order), `selected` marked.
pub fn render(
    catalog: &Catalog,
    pinned: &[Entry],
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
            Command::NewCall.into(),
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
    for (i, &e) in pinned.iter().enumerate().skip(skip).take(h) {
        let label = match e {
            Entry::Record(r) => {
                let res = catalog.record(r);
                let label = format!(
                    "{}・{}",
                    res.kind.label(),
                    present::area_names(catalog, &res.service_areas)
                );
                // A pinned office that left the open data since (restored from the state
                // file) says so; its card and the slip say when.
                if res.is_listed() {
                    label
                } else {
                    format!("{}・{label}", res.status.label())
                }
            }
            Entry::Area(a) => format!(
                "{}・{}",
                present::MAIN_WINDOW_KIND,
                catalog.areas.display_name(a)
            ),
        };
        let marker = if i == selected { "> " } else { "  " };
        let name = e.name(catalog);
        let (name, right) = name_and_label(&name, &label, w.saturating_sub(2), (w / 3).max(6));
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

/// The answers to the question about a shortlist not saved yet, in order (Alt-1 … Alt-3):
/// save and go on, go on without saving, keep the call going.
pub const CHOICES: [&str; 3] = ["保存してから", "保存せずに", "やめる"];

/// The words of answer `n` to `ask`.
pub fn choice_label(ask: Ask, n: usize) -> String {
    let what = match ask {
        Ask::NewCall => "新しい電話へ",
        Ask::Quit => "終了",
    };
    match n {
        0 => format!("{}{what}（保存先に .md と印刷用 .txt）", CHOICES[0]),
        1 => format!("{}{what}（この候補リストは消えます）", CHOICES[1]),
        _ => format!("{}（この電話を続ける）", CHOICES[2]),
    }
}

/// Draws the question: the shortlist of `n` records is not saved yet; what to do with it.
pub fn render_confirm(
    ask: Ask,
    selected: usize,
    n: usize,
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
            Command::Open.hint_as("選ぶ"),
            Command::Back.hint_as("やめる"),
        ],
        usize::from(area.width.saturating_sub(2)),
    );
    let title = match ask {
        Ask::NewCall => " 新しい電話 ",
        Ask::Quit => " 終了 ",
    };
    let block = Block::bordered()
        .border_style(t.focused_border())
        .title(Line::from(title).style(t.strong()))
        .title_bottom(hints);
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let question = format!("候補リスト（{n}件）をまだ保存していません。どうしますか？");
    let mut lines: Vec<Line> = wrap(&question, w)
        .into_iter()
        .map(|l| Line::styled(l, t.strong()))
        .collect();
    lines.push(Line::raw(""));
    for i in 0..CHOICES.len() {
        let marker = if i == selected { '>' } else { ' ' };
        let prefix = format!("{marker} Alt-{} ", i + 1);
        let text = fit(&choice_label(ask, i), w.saturating_sub(prefix.len()));
        let line = Line::from(vec![Span::styled(prefix, t.key()), Span::raw(text)]);
        lines.push(t.row(line, w, i == selected));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
