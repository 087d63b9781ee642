//! Styles of the UI in one place, in colour or — with `NO_COLOR` set — in monochrome, where
//! emphasis uses only modifiers (bold, reverse, underline) so nothing depends on colour. Also
//! the one `NO_COLOR` policy ([`color_disabled`]) and the one look of a selected row
//! ([`Theme::row`]) that every list uses.

use std::ffi::OsStr;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use super::cells::line_width;

/// Whether colour is off for this value of the `NO_COLOR` variable: set to a non-empty value
/// (<https://no-color.org>: "when present and not an empty string"). An empty value, or none,
/// keeps colour.
pub fn color_disabled(env_value: Option<&OsStr>) -> bool {
    env_value.is_some_and(|v| !v.is_empty())
}

/// The styles, for colour or monochrome terminals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Whether colours may be used.
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
    pub fn from_env() -> Theme {
        Theme {
            color: !color_disabled(std::env::var_os("NO_COLOR").as_deref()),
        }
    }

    /// Monochrome.
    pub fn mono() -> Theme {
        Theme { color: false }
    }

    fn pick(self, colour: Style, mono: Style) -> Style {
        if self.color { colour } else { mono }
    }

    /// Secondary text (readings, kinds, areas).
    pub fn dim(self) -> Style {
        self.pick(
            Style::new().fg(Color::DarkGray),
            Style::new().add_modifier(Modifier::DIM),
        )
    }

    /// Record names and labels.
    pub fn strong(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Matched text inside snippets.
    pub fn highlight(self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    /// The selected row of a list.
    pub fn selected(self) -> Style {
        self.pick(
            Style::new().bg(Color::Blue).fg(Color::White),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    /// A list row, `width` cells wide: as is, or — when selected — filled to the width and
    /// drawn in the [`Theme::selected`] style, so every list marks its selection alike.
    pub fn row<'a>(self, line: Line<'a>, width: usize, selected: bool) -> Line<'a> {
        if !selected {
            return line;
        }
        let mut line = line;
        let fill = width.saturating_sub(line_width(&line));
        line.spans.push(Span::raw(" ".repeat(fill)));
        line.style(self.selected())
    }

    /// A filter chip.
    pub fn chip(self) -> Style {
        self.pick(
            Style::new().bg(Color::Cyan).fg(Color::Black),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    /// A field label in the detail pane.
    pub fn label(self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// The border of the focused pane.
    pub fn focused_border(self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// Borders of the other panes.
    pub fn border(self) -> Style {
        Style::new()
    }

    /// A warning line.
    pub fn warning(self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// An error line.
    pub fn error(self) -> Style {
        self.pick(
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
        )
    }

    /// A key name in the hint bar and help.
    pub fn key(self) -> Style {
        self.pick(
            Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_means_a_non_empty_value() {
        assert!(!color_disabled(None));
        assert!(!color_disabled(Some(OsStr::new(""))));
        assert!(color_disabled(Some(OsStr::new("1"))));
        assert!(color_disabled(Some(OsStr::new("0"))), "any non-empty value");
    }
}
