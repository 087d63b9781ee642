//! `view`: draws the whole screen from the state, reading it only — the panes where
//! [`App::areas`] puts them, the open overlay on top, and the terminal cursor at the caret of
//! the box being typed in (measured in display cells, so an IME composes in place).

use ratatui::Frame;
use ratatui::layout::{Alignment, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::app::{App, Overlay, PickerKind};
use super::keymap::Command;
use super::status::hint_line;
use super::{card, detail, help, no_results, picker, results, search_box, shortlist, status};

/// The message shown when the terminal is below [`super::app::MIN_SIZE`].
pub const TOO_SMALL: &str = "端末が小さすぎます";

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

/// Clears a window's area and blanks any wide character that its left edge would cut in half
/// (the right half would be overwritten by the border, leaving half a glyph on screen).
fn open_window(frame: &mut Frame, area: Rect) {
    frame.render_widget(ratatui::widgets::Clear, area);
    if area.x == 0 {
        return;
    }
    let buf = frame.buffer_mut();
    for y in area.top()..area.bottom() {
        let cell = &mut buf[(area.x - 1, y)];
        if crate::text::width::display_width(cell.symbol()) > 1 {
            cell.set_symbol(" ");
        }
    }
}

/// Draws the screen.
pub fn view(app: &App, frame: &mut Frame) {
    #[cfg(debug_assertions)]
    super::test_panic_hook("render", app);
    let screen = frame.area();
    let a = app.areas();
    if a.too_small
        || screen.width < super::app::MIN_SIZE.0
        || screen.height < super::app::MIN_SIZE.1
    {
        let msg = format!(
            "{TOO_SMALL}（{}×{} 以上に）",
            super::app::MIN_SIZE.0,
            super::app::MIN_SIZE.1
        );
        let lines = vec![Line::from(super::cells::fit(
            &msg,
            usize::from(screen.width),
        ))];
        let y = screen.height / 2;
        let area = Rect::new(screen.x, screen.y + y, screen.width, 1.min(screen.height));
        frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), area);
        return;
    }
    let clip = |r: Rect| r.intersection(screen);
    let mut cursor = search_box::render(app, frame, clip(a.search), clip(a.chips));
    if a.list.width > 0 && a.list.height > 0 {
        if app.showing_no_results() {
            no_results::render(app, frame, clip(a.list));
        } else {
            results::render(app, frame, clip(a.list));
        }
    }
    if let Some(d) = a.detail {
        detail::render(app, frame, clip(d));
    }
    status::render(app, frame, clip(a.status));

    let body = Rect::new(0, 1, screen.width, screen.height.saturating_sub(2));
    let window = match app.overlay {
        None => None,
        Some(Overlay::Help(_) | Overlay::Card(..)) => Some(popup(body, 100, 90)),
        Some(Overlay::Shortlist) => Some(popup(body, 100, 70)),
        Some(Overlay::Picker(_)) => Some(popup(body, 64, 85)),
    };
    if let Some(w) = window {
        open_window(frame, w);
    }
    match app.overlay {
        None => {}
        Some(Overlay::Help(s)) => {
            help::render(app, frame, popup(body, 100, 90), s);
            cursor = None;
        }
        Some(Overlay::Card(r, s)) => {
            card::render(app, frame, popup(body, 100, 90), r, s);
            cursor = None;
        }
        Some(Overlay::Shortlist) => {
            shortlist::render(app, frame, popup(body, 100, 70));
            cursor = None;
        }
        Some(Overlay::Picker(kind)) => {
            let area = popup(body, 64, 85);
            let hints = hint_line(
                app,
                &[(Command::Open, "選ぶ／外す"), (Command::Back, "閉じる")],
                usize::from(area.width.saturating_sub(2)),
            );
            let f = &app.filters;
            cursor = match kind {
                PickerKind::Area => picker::render(
                    &app.area_picker,
                    |v| f.area == Some(*v),
                    app.theme,
                    hints,
                    frame,
                    area,
                ),
                PickerKind::Care => picker::render(
                    &app.care_picker,
                    |v| f.care_types.contains(v),
                    app.theme,
                    hints,
                    frame,
                    area,
                ),
                PickerKind::Need => picker::render(
                    &app.need_picker,
                    |v| f.needs.contains(v),
                    app.theme,
                    hints,
                    frame,
                    area,
                ),
            };
        }
    }
    if let Some(p) = cursor.filter(|p| screen.contains(Position::new(p.x, p.y))) {
        frame.set_cursor_position(p);
    }
}
