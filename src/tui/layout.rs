//! Where things are and what part of them is in view. The pane rectangles for a terminal size
//! ([`areas`]), the overlay windows ([`window`]), and the two clamps that keep every position
//! valid: a [`Viewport`] for scrolled text (detail, help, card) and [`ListState`] for the
//! results list. `update` moves positions only through these, against the same line counts
//! and heights that `view` draws with, so a position is never out of bounds — End then ↑ moves
//! up one line, and a resize never leaves the selection off screen.

use ratatui::layout::Rect;

use super::app::Overlay;

/// The list's width on an 80-column terminal, which a wider one never cuts into: the
/// detail goes beside the list only when the list keeps at least this (issue 24: at 100
/// columns a list of 45 cut names and towns that 80 columns show whole).
pub const LIST_MIN_COLUMNS: u16 = 80;
/// Narrower than this, the detail opens full-width on Enter instead of beside the list: the
/// list keeps [`LIST_MIN_COLUMNS`] and the detail gets 40 beside it.
pub const WIDE_COLUMNS: u16 = LIST_MIN_COLUMNS + 40;
/// Below this size only 「端末が小さすぎます」 is shown.
pub const MIN_SIZE: (u16, u16) = (40, 10);

/// Where the panes are, for a terminal size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Too small to draw anything useful.
    pub too_small: bool,
    /// Search box (bordered).
    pub search: Rect,
    /// Filter chips line.
    pub chips: Rect,
    /// Results (or the no-results panel); empty when the detail is full-width.
    pub list: Rect,
    /// Detail pane, when shown.
    pub detail: Option<Rect>,
    /// Key hints / messages.
    pub status: Rect,
}

/// Whether a terminal this wide shows the detail beside the list.
pub fn is_wide(size: (u16, u16)) -> bool {
    size.0 >= WIDE_COLUMNS
}

/// The panes for a terminal of `size`; `detail_full` when a narrow terminal shows the detail
/// in the list's place (focus on the detail of a selected record).
pub fn areas(size: (u16, u16), detail_full: bool) -> Areas {
    let (w, h) = size;
    let too_small = w < MIN_SIZE.0 || h < MIN_SIZE.1;
    let search = Rect::new(0, 0, w, 3.min(h));
    let chips = Rect::new(0, 3.min(h), w, 1.min(h.saturating_sub(3)));
    let status = Rect::new(0, h.saturating_sub(1), w, 1.min(h));
    let main_h = h.saturating_sub(5);
    let main = Rect::new(0, 4.min(h), w, main_h);
    let (list, detail) = if is_wide(size) {
        let lw = (w * 45 / 100).max(LIST_MIN_COLUMNS);
        let list = Rect::new(0, main.y, lw, main_h);
        let detail = Rect::new(lw, main.y, w - lw, main_h);
        (list, Some(detail))
    } else if detail_full {
        (Rect::new(0, main.y, 0, 0), Some(main))
    } else {
        (main, None)
    };
    Areas {
        too_small,
        search,
        chips,
        list,
        detail,
        status,
    }
}

/// Hits that fit in a list pane (two lines each, inside a border); at least one.
pub fn list_page(list: Rect) -> usize {
    (usize::from(list.height.saturating_sub(2)) / 2).max(1)
}

/// A window centred in `area`: at most `max_w` wide, `h_pct` percent of the height.
pub fn popup(area: Rect, max_w: u16, h_pct: u16) -> Rect {
    let w = max_w
        .min(area.width.saturating_sub(2))
        .max(area.width.min(20));
    let h = (area.height * h_pct / 100).max(area.height.min(8));
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// The window of an overlay on a screen (between the top and the status line).
pub fn window(overlay: Overlay, screen: Rect) -> Rect {
    let body = Rect::new(
        screen.x,
        screen.y + 1.min(screen.height),
        screen.width,
        screen.height.saturating_sub(2),
    );
    match overlay {
        Overlay::Help(_) | Overlay::Log(_) | Overlay::Card(..) | Overlay::AreaCard(..) => {
            popup(body, 100, 90)
        }
        Overlay::Shortlist => popup(body, 100, 70),
        Overlay::Picker(_) => popup(body, 64, 85),
        Overlay::Confirm(..) => popup(body, 64, 40),
    }
}

/// A bordered window's inside.
pub fn inner(area: Rect) -> Rect {
    ratatui::widgets::Block::bordered().inner(area)
}

/// Scrolled text: how many lines it has and how many are visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    /// Lines of content.
    pub lines: usize,
    /// Lines visible at once.
    pub height: usize,
}

impl Viewport {
    /// The viewport of a bordered window over `area` whose text, wrapped to the inner width
    /// by `lines_at`, has that many lines.
    pub fn of_window(area: Rect, lines_at: impl FnOnce(usize) -> usize) -> Viewport {
        let inner = inner(area);
        Viewport {
            lines: lines_at(usize::from(inner.width)),
            height: usize::from(inner.height),
        }
    }

    /// The largest useful scroll: the last line at the bottom.
    pub fn max_scroll(self) -> usize {
        self.lines.saturating_sub(self.height)
    }

    /// `scroll` within bounds.
    pub fn clamp(self, scroll: usize) -> usize {
        scroll.min(self.max_scroll())
    }

    /// `scroll` moved by `delta` lines, within bounds.
    pub fn scroll_by(self, scroll: usize, delta: isize) -> usize {
        self.clamp(scroll.saturating_add_signed(delta))
    }

    /// Lines a page key moves (the visible height, at least one).
    pub fn page(self) -> usize {
        self.height.max(1)
    }
}

/// The positions of the main screen: the selected hit and the first one shown, the selected
/// suggestion of the no-results panel, and the detail's scroll.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListState {
    /// Selected hit.
    pub selected: usize,
    /// First hit shown.
    pub offset: usize,
    /// Selected suggestion in the no-results panel.
    pub suggestion: usize,
    /// Detail scroll, in lines.
    pub detail_scroll: usize,
}

impl ListState {
    /// Selects hit `to` (clamped to the `total` hits) and scrolls the list as little as needed
    /// to show it in a page of `page` hits. A new selection starts its detail at the top.
    pub fn select(&mut self, to: usize, total: usize, page: usize) {
        let to = to.min(total.saturating_sub(1));
        if to != self.selected {
            self.detail_scroll = 0;
        }
        self.selected = to;
        self.fit(total, page);
    }

    /// Keeps the selection among the `total` hits and visible in a page of `page`, with no
    /// empty rows under the last hit while hits above the first shown would fit.
    pub fn fit(&mut self, total: usize, page: usize) {
        let page = page.max(1);
        self.selected = self.selected.min(total.saturating_sub(1));
        self.offset = self.offset.min(total.saturating_sub(page));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
    }

    /// Moves the no-results selection by `delta`, within `n` suggestions.
    pub fn move_suggestion(&mut self, delta: isize, n: usize) {
        self.suggestion = self
            .suggestion
            .saturating_add_signed(delta)
            .min(n.saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_viewport_clamps_every_scroll() {
        let v = Viewport {
            lines: 30,
            height: 10,
        };
        assert_eq!(v.clamp(usize::MAX), 20);
        assert_eq!(v.scroll_by(20, 5), 20);
        assert_eq!(v.scroll_by(20, -1), 19);
        assert_eq!(v.scroll_by(0, -3), 0);
        let short = Viewport {
            lines: 3,
            height: 10,
        };
        assert_eq!(short.clamp(5), 0);
    }

    #[test]
    fn a_list_state_keeps_the_selection_visible() {
        let mut s = ListState::default();
        s.select(usize::MAX, 12, 5);
        assert_eq!((s.selected, s.offset), (11, 7));
        s.select(3, 12, 5);
        assert_eq!((s.selected, s.offset), (3, 3));
        // Fewer hits than before (a new search): both within bounds.
        s.selected = 9;
        s.fit(4, 5);
        assert_eq!((s.selected, s.offset), (3, 0));
        // A taller page after a resize: no empty rows under the last hit.
        s.select(11, 12, 2);
        s.fit(12, 10);
        assert_eq!((s.selected, s.offset), (11, 2));
    }
}
