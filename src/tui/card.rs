//! The read-aloud card overlay: the selected record in speaking order (名称とよみ → 電話 →
//! 何をしてくれるか → 医療的ケアの受入れ: 要確認 when a care type is selected and the source
//! cannot say → 対象 → 所在地 → 時間 → one line of 出典), from
//! `present::read_aloud_card`, wrapped to the window, scrollable; copy (OSC 52) and save keys
//! in its bottom border. An area's card (an area's main window: from the area picker, or a
//! main window in the results) is drawn the same way, from `present::area_card_markdown`.
//! Also the card as Markdown ([`App::entry_card`]) and the shortlist as a handoff slip
//! ([`App::shortlist_slip`]), which copy and save write.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::App;
use super::cells::wrap;
use super::keymap::{Command, Keymap};
use super::layout::Viewport;
use super::status::hint_line;
use super::theme::Theme;
use crate::present::{self, Entry};
use crate::text::sanitize::sanitize_for_terminal;

/// The card's Markdown as lines wrapped to `w` cells (titles strong, bullets hanging).
pub fn lines(md: &str, theme: Theme, w: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for raw in md.lines() {
        let (text, style) = match raw.strip_prefix("## ") {
            Some(title) => (title, theme.strong()),
            None => (raw, Style::new()),
        };
        // Continuation lines of a bullet are indented under its text.
        let indent = if text.starts_with("- ") { "  " } else { "" };
        for (i, l) in wrap(text, w.saturating_sub(indent.len()))
            .into_iter()
            .enumerate()
        {
            let l = if i == 0 { l } else { format!("{indent}{l}") };
            lines.push(Line::styled(l, style));
        }
    }
    lines
}

/// The card's viewport in a window of `area` (border included).
pub fn viewport(md: &str, area: Rect) -> Viewport {
    Viewport::of_window(area, |w| lines(md, Theme::mono(), w).len())
}

/// Draws the card `md` (from [`super::app::App::entry_card`]) under `title`, scrolled by
/// `scroll` lines.
pub fn render(
    md: &str,
    title: &str,
    keymap: &Keymap,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
    scroll: usize,
) {
    let hints = hint_line(
        keymap,
        theme,
        &[
            Command::Copy.into(),
            Command::CopyPhone.into(),
            Command::Save.into(),
            Command::Pin.into(),
            Command::Back.hint_as("閉じる"),
        ],
        usize::from(area.width.saturating_sub(2)),
    );
    let block = Block::bordered()
        .border_style(theme.focused_border())
        .title(Line::from(format!(" {title} ")).style(theme.strong()))
        .title_bottom(hints);
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let lines = lines(md, theme, usize::from(inner.width));
    let vp = Viewport {
        lines: lines.len(),
        height: usize::from(inner.height),
    };
    let shown: Vec<Line> = lines.into_iter().skip(vp.clamp(scroll)).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

/// The title of a record's card window.
pub const RECORD_CARD_TITLE: &str = "読み上げカード";

/// The title of an area's card window.
pub const AREA_CARD_TITLE: &str = "地域のカード（代表窓口）";

impl App {
    /// The card of an entry, as Markdown (sanitized line by line): a record's read-aloud card
    /// ([`Self::card_markdown`]), or an area's card (its main window, or its city's for a
    /// ward: [`present::area_card_markdown`]).
    pub fn entry_card(&self, e: Entry) -> String {
        match e {
            Entry::Record(r) => self.card_markdown(r),
            Entry::Area(a) => clean_lines(&present::area_card_markdown(&self.catalog.areas, a)),
        }
    }

    /// The read-aloud card of a record, as Markdown (sanitized line by line); with a care type
    /// selected, it says so when the record's care is 要確認 ([`present::card_fields_for`]); an
    /// office of several service types says first what the type the enquiry named is.
    pub fn card_markdown(&self, r: usize) -> String {
        let care_asked = !self.filters.care_types.is_empty();
        let asked: Vec<u8> =
            crate::search::services::codes(self.results.understood.service_types).collect();
        let md = present::read_aloud_card_asking(
            &self.catalog,
            self.catalog.record(r),
            care_asked,
            &asked,
        );
        clean_lines(&md)
    }

    /// The shortlist as a handoff slip saved at `now` ([`present::handoff_slip`]: no search
    /// text, no relative ages, no file names), sanitized line by line.
    pub fn shortlist_slip(&self, now: present::Stamp, form: present::SlipForm) -> String {
        clean_lines(&present::handoff_slip(
            &self.catalog,
            &self.shortlist,
            now,
            form,
        ))
    }
}

/// Each line sanitized (line breaks kept).
fn clean_lines(s: &str) -> String {
    s.lines()
        .map(|l| sanitize_for_terminal(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
