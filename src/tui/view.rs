//! `view`: draws the whole screen from the state, reading it only — the panes where
//! [`App::areas`] puts them, the open overlay on top (in its [`layout::window`]), and the
//! terminal cursor at the caret of the box being typed in (measured in display cells, so an IME
//! composes in place).

use ratatui::Frame;
use ratatui::layout::{Alignment, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::app::{App, Focus, Overlay, PickerKind};
use super::keymap::Command;
use super::layout::{self, MIN_SIZE};
use super::status::AREA_CARD_HINT;
use super::status::{Context, hint_line};
use super::{card, detail, help, log, no_results, picker, results, search_box, shortlist, status};
use crate::present::Entry;

/// The message shown when the terminal is below [`MIN_SIZE`].
pub const TOO_SMALL: &str = "端末が小さすぎます";

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

/// What the clerk is doing, for the status line's hints.
fn context(app: &App) -> Context {
    match app.overlay {
        Some(Overlay::Picker(PickerKind::Area)) => Context::AreaPicker,
        Some(Overlay::Picker(_)) => Context::Picker,
        Some(Overlay::Confirm(..)) => Context::Confirm,
        Some(_) => Context::Window,
        None if app.showing_no_results() => Context::NoResults,
        None if app.focus == Focus::Detail => Context::Detail,
        None => Context::Main,
    }
}

/// Draws the screen.
pub fn view(app: &App, frame: &mut Frame) {
    #[cfg(debug_assertions)]
    super::test_panic_hook("render", app);
    let screen = frame.area();
    let a = app.areas();
    if a.too_small || screen.width < MIN_SIZE.0 || screen.height < MIN_SIZE.1 {
        too_small(frame, screen);
        return;
    }
    let clip = |r: Rect| r.intersection(screen);
    let mut cursor = search_box::render(app, frame, clip(a.search), clip(a.chips));
    if a.list.width > 0 && a.list.height > 0 {
        if app.showing_no_results() {
            let suggestions = app.suggestions();
            let pane = no_results::NoResultsPane {
                query: app.input.text(),
                removed_by: app
                    .results
                    .no_results
                    .as_ref()
                    .map_or(&[], |nr| nr.removed_by.as_slice()),
                unsearchable: app
                    .results
                    .no_results
                    .as_ref()
                    .is_some_and(|nr| nr.unsearchable),
                suggestions: &suggestions,
                selected: app.list.suggestion,
                keymap: &app.keymap,
                catalog: &app.catalog,
                area: app.filters.area,
                theme: app.theme,
            };
            no_results::render(&pane, frame, clip(a.list));
        } else {
            let pane = results::ResultsPane {
                catalog: &app.catalog,
                results: &app.results,
                list: app.list,
                pinned: &app.shortlist,
                focused: app.focus == Focus::List,
                coverage_note: app.coverage_note(),
                theme: app.theme,
            };
            results::render(&pane, frame, clip(a.list));
        }
    }
    if let Some(d) = a.detail {
        detail::render(app, frame, clip(d));
    }
    if let Some(overlay) = app.overlay {
        cursor = draw_window(app, overlay, frame, screen);
    }
    // Last: a long message covers the rows above the status line, windows included.
    status::render(
        &status::Status {
            message: app.message.as_ref(),
            context: context(app),
            badge: app.tally_badge(),
        },
        &app.keymap,
        app.theme,
        frame,
        clip(a.status),
    );
    if let Some(p) = cursor.filter(|p| screen.contains(Position::new(p.x, p.y))) {
        frame.set_cursor_position(p);
    }
    super::cells::restore_voiced_marks(frame.buffer_mut());
}

/// Only 「端末が小さすぎます」 and the size it needs, wrapped to the width and centred, so
/// that it is read whole on any terminal where it fits at all.
fn too_small(frame: &mut Frame, screen: Rect) {
    let msg = format!("{TOO_SMALL}（{}×{} 以上に）", MIN_SIZE.0, MIN_SIZE.1);
    let lines: Vec<Line> = super::cells::wrap(&msg, usize::from(screen.width))
        .into_iter()
        .map(Line::from)
        .collect();
    let n = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .min(screen.height);
    // The first line on the middle row (as a one-line message always was), moved up only as
    // much as the others need.
    let y = (screen.height / 2)
        .saturating_sub(n.saturating_sub(1) / 2)
        .min(screen.height - n);
    let area = Rect::new(screen.x, screen.y + y, screen.width, n);
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), area);
}

/// Draws an overlay in its window; returns the caret of a picker's filter box.
fn draw_window(app: &App, overlay: Overlay, frame: &mut Frame, screen: Rect) -> Option<Position> {
    let (keymap, theme) = (&app.keymap, app.theme);
    let area = layout::window(overlay, screen);
    open_window(frame, area);
    let mut cursor = None;
    match overlay {
        Overlay::Help(s) => help::render(keymap, &app.help_notes(), theme, frame, area, s),
        Overlay::Log(s) => log::render(&app.log, keymap, theme, frame, area, s),
        Overlay::Card(e, s) => {
            let title = match e {
                Entry::Record(_) => card::RECORD_CARD_TITLE,
                Entry::Area(_) => card::AREA_CARD_TITLE,
            };
            card::render(&app.entry_card(e), title, keymap, theme, frame, area, s);
        }
        Overlay::AreaCard(a, s) => {
            let md = app.entry_card(Entry::Area(a));
            card::render(&md, card::AREA_CARD_TITLE, keymap, theme, frame, area, s);
        }
        Overlay::Shortlist => shortlist::render(
            &app.catalog,
            &app.shortlist,
            app.shortlist_selected,
            keymap,
            theme,
            frame,
            area,
        ),
        Overlay::Confirm(ask, choice) => {
            shortlist::render_confirm(ask, choice, app.shortlist.len(), keymap, theme, frame, area)
        }
        Overlay::Picker(kind) => {
            let mut keys = vec![Command::Open.hint_as("選ぶ／外す")];
            if kind == PickerKind::Area {
                // The selected area's card: its main window and main phone.
                keys.push(Command::Card.hint_as(AREA_CARD_HINT));
            }
            keys.push(Command::Back.hint_as("閉じる"));
            let hints = hint_line(
                keymap,
                theme,
                &keys,
                usize::from(area.width.saturating_sub(2)),
            );
            cursor = picker::render(
                app.picker(kind),
                |v| app.is_chosen(kind, v),
                theme,
                hints,
                frame,
                area,
            );
        }
    }
    cursor
}
