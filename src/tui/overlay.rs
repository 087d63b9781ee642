//! What the windows over the main screen do with an action: help, the message log and the
//! cards (a record's read-aloud card, an area's card)
//! scroll (within bounds) and close, the shortlist moves, opens, unpins, copies and saves, and
//! the three pickers — one [`super::picker::Picker`] type, indexed by [`PickerKind`] — filter,
//! move and choose; the area picker also opens the selected area's card (its main window),
//! which closes back to it. Typing always goes to the search box, and a command a window does
//! not use closes it and acts on the main screen ([`super::commands`]).

use super::app::{Action, App, Ask, Message, Overlay, PickerKind};
use super::commands::main_update;
use super::keymap::Command;
use super::shortlist::CHOICES;
use crate::directory::Facet;
use crate::present::Entry;

/// An action while a picker is open.
pub fn picker_update(app: &mut App, kind: PickerKind, action: Action) {
    let picker = app.picker_mut(kind);
    match action {
        Action::Insert(c) => picker.insert(c),
        Action::Paste(s) => picker.paste(&s),
        Action::Edit(e) => picker.edit(e),
        Action::Command(cmd) => match cmd {
            Command::Up => picker.move_by(-1),
            Command::Down => picker.move_by(1),
            Command::PageUp => picker.move_by(-10),
            Command::PageDown => picker.move_by(10),
            Command::First => picker.jump(false),
            Command::Last => picker.jump(true),
            Command::Open => app.choose(kind),
            Command::Card if kind == PickerKind::Area => app.open_area_card(),
            Command::Back => {
                // The first Esc clears the filter text, the next closes the picker.
                let cleared = picker.clear_filter();
                if !cleared {
                    app.overlay = None;
                }
            }
            Command::Area => app.open_picker(PickerKind::Area),
            Command::Care => app.open_picker(PickerKind::Care),
            Command::Need => app.open_picker(PickerKind::Need),
            Command::ClearFilters
            | Command::WithPhone
            | Command::NearFirst
            | Command::Help
            | Command::Log
            | Command::Pin
            | Command::NewCall
            | Command::Shortlist => {
                pass_through(app, Action::Command(cmd));
            }
            _ => {}
        },
        _ => {}
    }
}

/// An action while the question about a shortlist not saved yet is open: ↑↓ choose, Enter
/// (or Alt-1 … Alt-3) does it, Esc keeps the call going; quitting again quits. Typing is
/// ignored here — the question stays until it is answered.
pub fn confirm_update(app: &mut App, ask: Ask, choice: usize, action: Action) {
    let last = CHOICES.len() - 1;
    match action {
        Action::Command(Command::Up) => {
            app.overlay = Some(Overlay::Confirm(ask, choice.saturating_sub(1)));
        }
        Action::Command(Command::Down) => {
            app.overlay = Some(Overlay::Confirm(ask, (choice + 1).min(last)));
        }
        Action::Command(Command::Open) => answer(app, ask, choice),
        Action::ApplySuggestion(n) if n <= last => answer(app, ask, n),
        Action::Command(Command::Back) => answer(app, ask, last),
        _ => {}
    }
}

/// Does choice `n` of [`CHOICES`]: save first (then go on once saved), go on without
/// saving, or keep the call going.
fn answer(app: &mut App, ask: Ask, n: usize) {
    app.overlay = None;
    match n {
        0 => {
            app.then_after_save(ask);
            app.save_shortlist();
        }
        1 => app.proceed(ask),
        _ => {
            app.message = Some(Message::info(
                "この電話を続けます（候補リストはそのままです）",
            ))
        }
    }
}

/// An action while help, a card or the shortlist is open.
pub fn window_update(app: &mut App, window: Overlay, action: Action) {
    match (window, action) {
        (
            Overlay::Help(_) | Overlay::Log(_) | Overlay::Card(..) | Overlay::AreaCard(..),
            Action::Command(cmd),
        ) => {
            scrolled_command(app, window, cmd);
        }
        (Overlay::Shortlist, Action::Command(cmd)) => shortlist_command(app, cmd),
        // Typing always goes to the search box; Alt-n applies a suggestion there.
        (
            _,
            action @ (Action::Insert(_)
            | Action::Paste(_)
            | Action::Edit(_)
            | Action::ApplySuggestion(_)),
        ) => pass_through(app, action),
        _ => {}
    }
}

/// Closes the window and lets the main screen handle the action.
fn pass_through(app: &mut App, action: Action) {
    app.overlay = None;
    main_update(app, action);
}

/// A command in help, the log or the card: scroll within the text, close, or (card) copy, save, pin.
fn scrolled_command(app: &mut App, window: Overlay, cmd: Command) {
    let Some(vp) = app.overlay_viewport(window) else {
        return;
    };
    let scroll = match window {
        Overlay::Help(s) | Overlay::Log(s) | Overlay::Card(_, s) | Overlay::AreaCard(_, s) => s,
        _ => return,
    };
    let page = vp.page() as isize;
    let to = match cmd {
        Command::Up => Some(vp.scroll_by(scroll, -1)),
        Command::Down => Some(vp.scroll_by(scroll, 1)),
        Command::PageUp => Some(vp.scroll_by(scroll, -page)),
        Command::PageDown => Some(vp.scroll_by(scroll, page)),
        Command::First => Some(0),
        Command::Last => Some(vp.max_scroll()),
        _ => None,
    };
    if let Some(to) = to {
        app.overlay = Some(match window {
            Overlay::Card(e, _) => Overlay::Card(e, to),
            Overlay::AreaCard(a, _) => Overlay::AreaCard(a, to),
            Overlay::Log(_) => Overlay::Log(to),
            _ => Overlay::Help(to),
        });
        return;
    }
    // The entry a card shows (copied, saved, pinned from it).
    let card_of = match window {
        Overlay::Card(e, _) => Some(e),
        Overlay::AreaCard(a, _) => Some(Entry::Area(a)),
        _ => None,
    };
    match (window, cmd) {
        // The area picker's card goes back to the picker.
        (Overlay::AreaCard(..), Command::Back | Command::Open | Command::Card) => {
            app.overlay = Some(Overlay::Picker(PickerKind::Area));
        }
        (_, Command::Back | Command::Open)
        | (Overlay::Help(_), Command::Help)
        | (Overlay::Log(_), Command::Log)
        | (Overlay::Card(..), Command::Card) => app.overlay = None,
        (_, Command::Copy | Command::Save | Command::Pin | Command::CopyPhone)
            if let Some(e) = card_of =>
        {
            match cmd {
                Command::Copy => app.copy_card(e),
                Command::Save => app.save_card(e),
                Command::CopyPhone => app.copy_phone(e),
                _ => app.toggle_pin(e),
            }
        }
        _ => pass_through(app, Action::Command(cmd)),
    }
}

/// A command in the shortlist.
fn shortlist_command(app: &mut App, cmd: Command) {
    let n = app.shortlist.len();
    let last = n.saturating_sub(1);
    let sel = app.shortlist_selected;
    match cmd {
        Command::Up => app.shortlist_selected = sel.saturating_sub(1),
        Command::Down => app.shortlist_selected = (sel + 1).min(last),
        Command::First => app.shortlist_selected = 0,
        Command::Last => app.shortlist_selected = last,
        Command::Open | Command::Card => {
            if let Some(&r) = app.shortlist.get(sel) {
                app.overlay = Some(Overlay::Card(r, 0));
            }
        }
        Command::Pin => {
            if let Some(&r) = app.shortlist.get(sel) {
                app.toggle_pin(r);
            }
        }
        Command::Copy => app.copy_shortlist(),
        Command::Save => app.save_shortlist(),
        Command::Back | Command::Shortlist => app.overlay = None,
        _ => pass_through(app, Action::Command(cmd)),
    }
}

/// The facet of a term picker (`None` for areas).
fn facet(kind: PickerKind) -> Option<Facet> {
    match kind {
        PickerKind::Area => None,
        PickerKind::Care => Some(Facet::CareType),
        PickerKind::Need => Some(Facet::Need),
    }
}

impl App {
    /// The chosen term ids of a term picker's facet.
    fn chosen_terms(&mut self, facet: Facet) -> &mut Vec<String> {
        match facet {
            Facet::CareType => &mut self.filters.care_types,
            Facet::Need => &mut self.filters.needs,
        }
    }

    /// Whether a picker's value is among the active filters (marked `*` in the picker).
    pub fn is_chosen(&self, kind: PickerKind, value: usize) -> bool {
        match facet(kind) {
            None => self.filters.area == Some(value),
            Some(f) => {
                let ids = match f {
                    Facet::CareType => &self.filters.care_types,
                    Facet::Need => &self.filters.needs,
                };
                let id = self.catalog.terms(f).get(value).map(|t| &t.id);
                id.is_some_and(|id| ids.contains(id))
            }
        }
    }

    /// Opens a picker on the current value (the last one chosen).
    pub(super) fn open_picker(&mut self, kind: PickerKind) {
        let current = match facet(kind) {
            None => self.filters.area,
            Some(f) => {
                let last = self.chosen_terms(f).last().cloned();
                last.and_then(|id| self.catalog.terms(f).iter().position(|t| t.id == id))
            }
        };
        self.picker_mut(kind).reset(current);
        // A word in the box that names several areas (北区): the picker lists them.
        if kind == PickerKind::Area
            && self.filters.area.is_none()
            && let Some((word, _)) = self.results.understood.ambiguous_area.clone()
        {
            self.picker_mut(kind).paste(&word);
        }
        self.overlay = Some(Overlay::Picker(kind));
    }

    /// Opens the card of the area selected in the area picker (its main window, or its
    /// city's for a ward; an area without one says so and gives its site).
    fn open_area_card(&mut self) {
        match self.picker(PickerKind::Area).selected() {
            Some(e) => self.overlay = Some(Overlay::AreaCard(e.value, 0)),
            None => self.message = Some(Message::info("一致する地域がありません")),
        }
    }

    /// Chooses the picker's selected entry: sets the filter, or (a care type or need already
    /// set) removes it; the area already chosen stays.
    fn choose(&mut self, kind: PickerKind) {
        let Some(e) = self.picker(kind).selected() else {
            let what = if kind == PickerKind::Area {
                "地域"
            } else {
                "項目"
            };
            self.message = Some(Message::info(format!("一致する{what}がありません")));
            return;
        };
        let (value, label) = (e.value, e.label.clone());
        let removed = match facet(kind) {
            // The area chosen already stays (Enter on the entry the picker opened on): an
            // area is taken off with Backspace on the empty box or F6, never by accident.
            None if self.filters.area == Some(value) => {
                let name = self.catalog.areas.display_name(value);
                Some(format!(
                    "地域は「{name}」のままです（外すには空欄で Backspace か {}）",
                    self.keymap.key(Command::ClearFilters)
                ))
            }
            None => {
                self.filters.area = Some(value);
                None
            }
            Some(f) => {
                let id = self.catalog.terms(f)[value].id.clone();
                let list = self.chosen_terms(f);
                match list.iter().position(|x| *x == id) {
                    Some(pos) => {
                        list.remove(pos);
                        Some(format!("「{label}」を外しました"))
                    }
                    None => {
                        list.push(id);
                        None
                    }
                }
            }
        };
        if let Some(m) = removed {
            self.message = Some(Message::info(m));
        }
        self.overlay = None;
        self.search();
    }
}
