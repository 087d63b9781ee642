//! The message log: every message of the session (saved paths, config problems, warnings,
//! errors) in the order they came, so that a warning shown at start and replaced by the first
//! keystroke can still be read — and a message the status line had to shorten can be read
//! whole. Kept in memory only: nothing of the call is written anywhere.
//!
//! [`Log::record`] is called by `update` whenever the status message changes; the window
//! ([`render`]) opens scrolled to the newest message, each entry wrapped with its level.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::{Level, Message};
use super::cells::wrap;
use super::keymap::{Command, Keymap};
use super::layout::Viewport;
use super::theme::Theme;
use crate::text::width::display_width;

/// How many messages the log keeps (the oldest go first).
pub const CAPACITY: usize = 1000;

/// The session's messages, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Log {
    entries: Vec<Message>,
}

impl Log {
    /// Adds a message (dropping the oldest beyond [`CAPACITY`]).
    pub fn record(&mut self, message: Message) {
        if self.entries.len() == CAPACITY {
            self.entries.remove(0);
        }
        self.entries.push(message);
    }

    /// The messages, oldest first.
    pub fn entries(&self) -> &[Message] {
        &self.entries
    }
}

/// What a level is called in the log.
fn level_label(level: Level) -> &'static str {
    match level {
        Level::Info => "",
        Level::Warning => "警告: ",
        Level::Error => "エラー: ",
    }
}

/// The log as lines wrapped to `w` cells: each message after a bullet, continuation lines
/// under its text, warnings and errors styled and labelled.
pub fn lines(log: &Log, keymap: &Keymap, theme: Theme, w: usize) -> Vec<Line<'static>> {
    if log.entries().is_empty() {
        let empty = format!(
            "まだメッセージはありません（保存したファイル・設定の警告などがここに残ります。{} で閉じる）",
            keymap.key(Command::Back)
        );
        return wrap(&empty, w)
            .into_iter()
            .map(|l| Line::styled(l, theme.dim()))
            .collect();
    }
    let bullet = "・";
    let indent = " ".repeat(display_width(bullet));
    let mut lines = Vec::new();
    for m in log.entries() {
        let style = match m.level {
            Level::Info => ratatui::style::Style::new(),
            Level::Warning => theme.warning(),
            Level::Error => theme.error(),
        };
        let text = format!("{}{}", level_label(m.level), m.text);
        for (i, l) in wrap(&text, w.saturating_sub(indent.len()))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { bullet } else { indent.as_str() };
            lines.push(Line::styled(format!("{lead}{l}"), style));
        }
    }
    lines
}

/// The log's viewport in a window of `area` (border included).
pub fn viewport(log: &Log, keymap: &Keymap, area: Rect) -> Viewport {
    Viewport::of_window(area, |w| lines(log, keymap, Theme::mono(), w).len())
}

/// Draws the log, scrolled by `scroll` lines.
pub fn render(
    log: &Log,
    keymap: &Keymap,
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
    let title = format!(" メッセージの履歴（{}件） ", log.entries().len());
    let block = Block::bordered()
        .border_style(theme.focused_border())
        .title(Line::from(title).style(theme.strong()))
        .title_bottom(Line::from(bottom).style(theme.dim()));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let lines = lines(log, keymap, theme, usize::from(inner.width));
    let vp = Viewport {
        lines: lines.len(),
        height: usize::from(inner.height),
    };
    let shown: Vec<Line> = lines.into_iter().skip(vp.clamp(scroll)).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_keeps_the_newest_and_wraps_each_message_under_its_bullet() {
        let mut log = Log::default();
        for i in 0..CAPACITY + 5 {
            log.record(Message::info(format!("m{i}")));
        }
        assert_eq!(log.entries().len(), CAPACITY);
        assert_eq!(log.entries()[0].text, "m5");
        let mut log = Log::default();
        log.record(Message::warning(
            "設定ファイル config.toml:2:1: 「colour」は知らない設定です",
        ));
        let text: Vec<String> = lines(&log, &Keymap::default(), Theme::mono(), 20)
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert!(text[0].starts_with("・警告: "), "{text:?}");
        assert!(text[1..].iter().all(|l| l.starts_with("  ")), "{text:?}");
        assert!(text.iter().all(|l| display_width(l) <= 20), "{text:?}");
        let joined: String = text
            .iter()
            .map(|l| l.trim_start_matches('・').trim())
            .collect();
        assert!(joined.contains("知らない設定です"), "{joined}");
    }
}
