//! The help overlay, generated from the keymap (so overrides in `config.toml` show up):
//! every command with its keys, then the fixed editing keys, then the enquiry tally (what it
//! keeps and never keeps while it is on, how to turn it on otherwise: [`super::tally`]), then
//! what the loaded open data covers (designated service types and their prefectures, from the
//! records themselves: see [`crate::search::coverage`]).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::cells::{pad, wrap};
use super::keymap::{Command, Keymap};
use super::layout::Viewport;
use super::theme::Theme;
use crate::text::width::display_width;

/// What the help says after the keys, each a list of paragraphs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notes {
    /// The enquiry tally: what is kept, or how to turn it on.
    pub tally: Vec<String>,
    /// What the loaded open data covers.
    pub coverage: Vec<String>,
}

/// The lines of help at this width. Each row is the keys (a column of at most two fifths of
/// the width) and what they do, both wrapped within their column, so nothing is cut at any
/// width — a narrow terminal gets more lines to scroll, not fewer words.
pub fn lines(keymap: &Keymap, notes: &Notes, theme: Theme, w: usize) -> Vec<Line<'static>> {
    let rows = keymap.help_rows();
    let key_w = rows
        .iter()
        .map(|(k, _)| display_width(k))
        .max()
        .unwrap_or(0)
        .min(w * 2 / 5)
        .max(1);
    let desc_w = w.saturating_sub(key_w + 2).max(1);
    let dim = |text: &str| -> Vec<Line<'static>> {
        wrap(text, w)
            .into_iter()
            .map(|l| Line::styled(l, theme.dim()))
            .collect()
    };
    let mut lines =
        dim("文字は常に検索欄に入ります（IME・かな・ローマ字）。一文字ごとに検索します。");
    lines.push(Line::raw(""));
    for (keys, desc) in rows {
        let (k, d) = (wrap(&keys, key_w), wrap(desc, desc_w));
        for i in 0..k.len().max(d.len()) {
            let key = k.get(i).map_or("", String::as_str);
            lines.push(Line::from(vec![
                Span::styled(pad(key, key_w), theme.key()),
                Span::raw("  "),
                Span::raw(d.get(i).cloned().unwrap_or_default()),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.extend(dim(
        "キーは設定ファイル config.toml の [keys] で変えられます（例: area = \"Ctrl-D\"）。",
    ));
    for (title, paragraphs) in [
        ("問い合わせの集計", &notes.tally),
        ("データの範囲（指定事業所・公開データ）", &notes.coverage),
    ] {
        if paragraphs.is_empty() {
            continue;
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(title, theme.strong()));
        for c in paragraphs {
            lines.extend(wrap(c, w).into_iter().map(Line::raw));
        }
    }
    lines
}

/// Help's viewport in a window of `area` (border included).
pub fn viewport(keymap: &Keymap, notes: &Notes, area: Rect) -> Viewport {
    Viewport::of_window(area, |w| lines(keymap, notes, Theme::mono(), w).len())
}

/// Draws help, scrolled by `scroll` lines.
pub fn render(
    keymap: &Keymap,
    notes: &Notes,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
    scroll: usize,
) {
    let bottom = format!(
        " {} 閉じる・{} スクロール ",
        keymap.key(Command::Back),
        keymap.up_down()
    );
    let block = Block::bordered()
        .border_style(theme.focused_border())
        .title(Line::from(" ヘルプ — キー一覧 ").style(theme.strong()))
        .title_bottom(Line::from(bottom).style(theme.dim()));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let lines = lines(keymap, notes, theme, usize::from(inner.width));
    let vp = Viewport {
        lines: lines.len(),
        height: usize::from(inner.height),
    };
    let shown: Vec<Line> = lines.into_iter().skip(vp.clamp(scroll)).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
