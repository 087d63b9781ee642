//! What the main screen does with an action: typing into the search box, and each command on
//! the results, the no-results panel and the detail — moving within bounds (through
//! [`super::layout`]), opening windows, pinning, and queueing copy / save effects. What is
//! selected is an [`Entry`]: a record, or an area's main window (a row of the list, or the
//! last line of the no-results panel), and every command on it works on both. Shared by the
//! windows in [`super::overlay`] for what they pass through.

use super::app::{
    Action, App, Ask, Effect, Filters, Focus, Message, Overlay, PickerKind, Suggestion,
};
use super::input::{Edit, Input, MAX_CHARS};
use super::keymap::Command;
use super::shortlist;
use crate::present::{self, Entry, SlipForm};
use crate::search::Sort;
use crate::text::sanitize::sanitize_for_terminal;

/// An action on the main screen (no window open).
pub fn main_update(app: &mut App, action: Action) {
    match action {
        Action::Insert('?') if app.input.is_empty() => app.overlay = Some(Overlay::Help(0)),
        Action::Insert(c) => {
            app.focus = Focus::Input;
            if app.input.is_full() {
                app.message = Some(too_long());
            } else if app.input.insert(c) {
                app.search_typed();
            }
        }
        Action::Paste(s) => {
            app.focus = Focus::Input;
            if !app.input.insert_str(&s) {
                app.message = Some(too_long());
            }
            app.search_typed();
        }
        Action::Edit(Edit::Backspace) if app.input.is_empty() => app.remove_last_chip(),
        Action::Edit(e) => {
            if app.input.edit(e) {
                app.focus = Focus::Input;
                app.search_typed();
            }
        }
        Action::ApplySuggestion(n) => {
            // Beside the nearest ones beyond the radius, the relaxations are offered too.
            if app.showing_no_results() || n < app.relaxations_beside_nearest() {
                app.apply_suggestion(n);
            }
        }
        Action::Command(cmd) => command(app, cmd),
        Action::Resize(..) | Action::Done(_) | Action::Moved(_) => {}
    }
}

/// A command on the main screen.
fn command(app: &mut App, cmd: Command) {
    match cmd {
        Command::Quit => app.ask(Ask::Quit),
        Command::NewCall => app.ask(Ask::NewCall),
        Command::Up | Command::Down | Command::PageUp | Command::PageDown => move_by(app, cmd),
        Command::First | Command::Last => jump(app, cmd == Command::Last),
        Command::Open => open(app),
        Command::Back => back(app),
        Command::Focus => {
            app.focus = match app.focus {
                Focus::Input if app.row_count() > 0 => Focus::List,
                Focus::List if app.selected().is_some() => Focus::Detail,
                _ => Focus::Input,
            };
        }
        Command::Area => app.open_picker(PickerKind::Area),
        Command::Care => app.open_picker(PickerKind::Care),
        Command::Need => app.open_picker(PickerKind::Need),
        Command::WithPhone => app.toggle_with_phone(),
        Command::NearFirst => app.toggle_near_first(),
        Command::Help => app.overlay = Some(Overlay::Help(0)),
        // Opens on the newest message.
        Command::Log => app.overlay = Some(app.clamp_overlay(Overlay::Log(usize::MAX))),
        Command::Card => with_selected(app, |app, e| app.overlay = Some(Overlay::Card(e, 0))),
        Command::Copy => with_selected(app, App::copy_card),
        Command::CopyPhone => with_selected(app, App::copy_phone),
        Command::Save => match app.selected() {
            Some(e) => app.save_card(e),
            None if !app.shortlist.is_empty() => app.save_shortlist(),
            None => app.nothing_selected(),
        },
        Command::Pin => with_selected(app, App::toggle_pin),
        Command::NotFound => app.toggle_not_found(),
        Command::Shortlist => {
            app.shortlist_selected = 0;
            app.overlay = Some(Overlay::Shortlist);
        }
        Command::ClearFilters => {
            let from_words = app.results.area_from_text.is_some();
            // A relaxation ends here too (its radius with it).
            let relaxed = app.relaxed.is_some();
            app.end_relaxation();
            if app.filters.is_empty() && !from_words && !relaxed {
                app.message = Some(Message::info("絞り込みはありません"));
            } else {
                // The radius is not a chip: it stays (the config's, or a widened one).
                app.filters = Filters {
                    within_km: app.filters.within_km,
                    ..Filters::default()
                };
                // The area taken from the words goes too: they are only text from now on.
                app.area_words_off |= from_words;
                app.message = Some(Message::info("絞り込みをすべて解除しました"));
                app.search();
            }
        }
    }
}

/// Runs `f` on the selected entry, or says that nothing is selected.
fn with_selected(app: &mut App, f: impl FnOnce(&mut App, Entry)) {
    match app.selected() {
        Some(e) => f(app, e),
        None => app.nothing_selected(),
    }
}

/// Whether ↑↓ and the page keys scroll the detail (it has the focus and shows an entry).
fn in_detail(app: &App) -> bool {
    app.focus == Focus::Detail && app.selected().is_some()
}

/// Up / Down / PageUp / PageDown: scroll the detail, or move in the list or the suggestions.
fn move_by(app: &mut App, cmd: Command) {
    // The detail's line count is only worked out when it is the detail that scrolls.
    let detail = in_detail(app).then(|| app.detail_viewport());
    let page = detail.map_or_else(|| app.list_page(), |d| d.page()) as isize;
    let delta = match cmd {
        Command::Up => -1,
        Command::Down => 1,
        Command::PageUp => -page,
        _ => page,
    };
    if let Some(d) = detail {
        app.list.detail_scroll = d.scroll_by(app.list.detail_scroll, delta);
    } else if app.showing_no_results() {
        let n = app.suggestions().len();
        app.list.move_suggestion(delta, n);
    } else {
        let to = app.list.selected.saturating_add_signed(delta);
        app.select(to);
    }
}

/// Home / End: the caret in a non-empty box being typed in, else the top or the bottom of
/// the detail, the suggestions or the list.
fn jump(app: &mut App, end: bool) {
    if app.focus == Focus::Input && !app.input.is_empty() {
        app.input.edit(if end { Edit::End } else { Edit::Home });
    } else if in_detail(app) {
        app.list.detail_scroll = if end {
            app.detail_viewport().max_scroll()
        } else {
            0
        };
    } else if app.showing_no_results() {
        let n = app.suggestions().len();
        app.list.suggestion = if end { n.saturating_sub(1) } else { 0 };
    } else {
        app.select(if end { usize::MAX } else { 0 });
    }
}

/// Enter: apply a suggestion, open the card from the detail, or open the detail.
fn open(app: &mut App) {
    if app.showing_no_results() {
        app.apply_suggestion(app.list.suggestion);
    } else if in_detail(app) {
        if let Some(e) = app.selected() {
            app.overlay = Some(Overlay::Card(e, 0));
        }
    } else if app.selected().is_some() {
        app.focus = Focus::Detail;
        app.list.detail_scroll = 0;
    } else {
        app.nothing_selected();
    }
}

/// Esc: back to the box, clear it, or (twice on an empty box) quit.
fn back(app: &mut App) {
    if app.focus != Focus::Input {
        app.focus = Focus::Input;
    } else if !app.input.is_empty() {
        app.input.clear();
        app.search();
    } else if app.esc_armed {
        // A shortlist not saved yet is asked about first (never lost to Esc×2).
        app.esc_armed = false;
        app.ask(Ask::Quit);
    } else {
        app.esc_armed = true;
        let esc = app.keymap.key(Command::Back);
        app.message = Some(Message::info(format!("もう一度 {esc} で終了します")));
    }
}

impl App {
    /// Selects row `to` (clamped), keeping it in view and its page loaded.
    fn select(&mut self, to: usize) {
        let page = self.list_page();
        self.load_through(to.saturating_add(page));
        let total = self.row_count();
        self.list.select(to, total, page);
    }

    /// 電話あり on or off; the search runs again and the chip shows it.
    fn toggle_with_phone(&mut self) {
        self.filters.with_phone = !self.filters.with_phone;
        let key = self.keymap.key(Command::WithPhone);
        self.message = Some(Message::info(if self.filters.with_phone {
            format!("電話番号のある記録だけを表示します（{key} で解除）")
        } else {
            "絞り込み「電話あり」を外しました".to_string()
        }));
        self.search();
    }

    /// 近い順 on or off; the search runs again and the chip shows it. Without an area (or
    /// one without coordinates) there is no distance: it says so and which key picks one.
    fn toggle_near_first(&mut self) {
        self.sort = match self.sort {
            Sort::Relevance => Sort::Distance,
            Sort::Distance => Sort::Relevance,
        };
        let key = self.keymap.key(Command::NearFirst);
        let has_origin = self
            .filters
            .area
            .is_some_and(|a| self.catalog.area_point(a).is_some());
        self.message = Some(Message::info(match self.sort {
            Sort::Distance if has_origin => {
                format!("地域の役所から近い順に並べます（{key} で関連順）")
            }
            Sort::Distance => format!(
                "近い順: 地域を選ぶと距離で並べます（{} 地域・{key} で関連順）",
                self.keymap.key(Command::Area)
            ),
            Sort::Relevance => "関連順に戻しました".to_string(),
        }));
        self.search();
    }

    /// Removes the last chip (電話あり, then ニーズ, then ケア, then 地域 — right to left as
    /// shown).
    fn remove_last_chip(&mut self) {
        let removed = if std::mem::take(&mut self.filters.with_phone) {
            Some(Command::WithPhone.hint().to_string())
        } else if let Some(n) = self.filters.needs.pop() {
            Some(self.catalog.label_of(&n).to_string())
        } else if let Some(c) = self.filters.care_types.pop() {
            Some(self.catalog.label_of(&c).to_string())
        } else {
            self.filters
                .area
                .take()
                .map(|a| self.catalog.areas.display_name(a))
        };
        if let Some(label) = removed {
            self.message = Some(Message::info(format!(
                "絞り込み「{}」を外しました",
                sanitize_for_terminal(&label)
            )));
            self.search();
        }
    }

    /// Applies the n-th suggestion of the no-results panel (the relaxations come first, as
    /// beside the nearest ones).
    fn apply_suggestion(&mut self, n: usize) {
        let Some(s) = self.suggestions().into_iter().nth(n) else {
            return;
        };
        match s {
            Suggestion::Relax(label, _, req) => {
                let label = sanitize_for_terminal(&label).into_owned();
                self.message = Some(Message::info(label.clone()));
                self.relax(label, &req);
            }
            Suggestion::DidYouMean(name, record) => {
                self.input = Input::with_text(&name);
                self.focus = Focus::Input;
                self.search();
                if let Some(r) = record {
                    self.reach_suggested(r);
                }
                return;
            }
            // Not a search: the window's card.
            Suggestion::Window(a) => {
                self.overlay = Some(Overlay::Card(Entry::Area(a), 0));
                return;
            }
        }
        self.focus = Focus::Input;
        self.search();
    }

    /// After applying a did-you-mean name: when the filters hide its record — it lies outside
    /// the area, or lacks the care, need or phone asked for — drops the area filter, then (if
    /// that is not enough) the others, says which, and selects the record.
    fn reach_suggested(&mut self, r: usize) {
        // Its row (a main window asked for may come before the hits).
        let found = |app: &App| {
            (0..app.row_count())
                .find(|&i| super::results::entry_at(&app.results, i) == Some(Entry::Record(r)))
        };
        let mut dropped: Vec<String> = Vec::new();
        if found(self).is_none()
            && let Some(a) = self.filters.area.take()
        {
            dropped.push(format!("地域「{}」", self.catalog.areas.display_name(a)));
            self.search();
        }
        if found(self).is_none() && !self.filters.is_empty() {
            dropped.push("ケア・ニーズ・電話あり".to_string());
            self.filters = Filters::default();
            self.search();
        }
        if let Some(i) = found(self) {
            self.select(i);
        }
        if !dropped.is_empty() {
            let record = self.catalog.record(r);
            let text = format!(
                "「{}」（{}）は絞り込みの外にあるため、{}の絞り込みを外しました",
                record.name,
                present::place_name(&self.catalog, record),
                dropped.join("と")
            );
            self.message = Some(Message::info(sanitize_for_terminal(&text).into_owned()));
        }
    }

    /// Pins an entry on the shortlist, or unpins it. An area is pinned as the main window a
    /// caller from it is sent to (a ward's city's), and only when it has one.
    pub(super) fn toggle_pin(&mut self, e: Entry) {
        let e = match e {
            Entry::Area(a) => match self.catalog.areas.main_window_of(a) {
                Some(owner) => Entry::Area(owner),
                None => {
                    let (why, _) = present::area_card(&self.catalog.areas, a);
                    self.message = Some(Message::info(sanitize_for_terminal(&why).into_owned()));
                    return;
                }
            },
            record => record,
        };
        self.shortlist_unsaved = true;
        let name = sanitize_for_terminal(&e.name(&self.catalog)).into_owned();
        if let Some(pos) = self.shortlist.iter().position(|&x| x == e) {
            self.shortlist.remove(pos);
            self.shortlist_selected = self
                .shortlist_selected
                .min(self.shortlist.len().saturating_sub(1));
            self.message = Some(Message::info(format!(
                "候補リストから外しました: {name}（{}件）",
                self.shortlist.len()
            )));
        } else {
            self.shortlist.push(e);
            self.message = Some(Message::info(format!(
                "候補リストに追加しました: {name}（{}件）",
                self.shortlist.len()
            )));
        }
    }

    /// Queues copying an entry's card.
    pub(super) fn copy_card(&mut self, e: Entry) {
        let text = self.entry_card(e);
        self.effects.push(Effect::Copy {
            text,
            what: "カード",
        });
    }

    /// Queues copying an entry's phone number alone — a record's first number, in the national
    /// format as the detail shows it ([`present::phone_of`]; as written when the numbering
    /// plan rejects it), or a main window's main phone — or says whom to ask when no source
    /// gives one (the detail's phone line, [`present::phone_line`]; the area card's line).
    pub(super) fn copy_phone(&mut self, e: Entry) {
        let phone = match e {
            Entry::Record(r) => {
                let record = self.catalog.record(r);
                present::phone_of(record)
                    .map(|p| p.number().to_string())
                    .ok_or_else(|| {
                        format!("電話番号は{}", present::phone_line(&self.catalog, record))
                    })
            }
            Entry::Area(a) => match present::main_window_for(&self.catalog.areas, a) {
                Some((_, w)) => present::main_window_phone(w).ok_or_else(|| {
                    let site = w
                        .url
                        .as_deref()
                        .map(|u| format!(" {u}"))
                        .unwrap_or_default();
                    format!("{}（{}）{site}", present::NO_MAIN_PHONE, w.name)
                }),
                None => Err(present::area_card(&self.catalog.areas, a).0),
            },
        };
        match phone {
            Ok(phone) => self.effects.push(Effect::Copy {
                text: phone,
                what: "電話番号",
            }),
            Err(why) => {
                self.message = Some(Message::info(sanitize_for_terminal(&why).into_owned()))
            }
        }
    }

    /// Queues saving an entry's card.
    pub(super) fn save_card(&mut self, e: Entry) {
        let text = self.entry_card(e);
        let id = file_safe(&e.id(&self.catalog));
        let t = self.today;
        let file_name = format!(
            "ikenavi-card-{id}-{:04}{:02}{:02}.md",
            t.year, t.month, t.day
        );
        self.effects.push(Effect::Save {
            text,
            file_name,
            what: "カード",
            printable: None,
        });
    }

    /// Queues copying the shortlist, or says it is empty.
    pub(super) fn copy_shortlist(&mut self) {
        if self.shortlist.is_empty() {
            self.message = Some(Message::info(shortlist::empty_message(&self.keymap)));
            return;
        }
        let text = self.shortlist_slip((self.clock)(), SlipForm::Markdown);
        self.effects.push(Effect::Copy {
            text,
            what: "候補リスト",
        });
    }

    /// Queues saving the shortlist, or says it is empty.
    pub(super) fn save_shortlist(&mut self) {
        if self.shortlist.is_empty() {
            self.message = Some(Message::info(shortlist::empty_message(&self.keymap)));
            return;
        }
        let now = (self.clock)();
        let d = now.date;
        self.effects.push(Effect::Save {
            text: self.shortlist_slip(now, SlipForm::Markdown),
            file_name: format!(
                "ikenavi-shortlist-{:04}{:02}{:02}-{:02}{:02}.md",
                d.year, d.month, d.day, now.hour, now.minute
            ),
            what: "候補リスト",
            printable: Some(self.shortlist_slip(now, SlipForm::Plain)),
        });
        self.queue_shortlist_save();
    }

    fn nothing_selected(&mut self) {
        self.message = Some(Message::info("選択中の項目がありません"));
    }
}

/// The message when the search box is full.
fn too_long() -> Message {
    Message::warning(format!(
        "検索欄は{MAX_CHARS}文字までです（それを超える分は入りません）"
    ))
}

/// An id made safe for a file name.
fn file_safe(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    if s.is_empty() { "record".into() } else { s }
}
