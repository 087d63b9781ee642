//! The enquiry tally in the UI (issue 30; the record, the file and the counts are
//! [`crate::tally`]'s): when one enquiry starts and ends, what its shape is, and how it ended.
//! Only while it is on (`tally = true` in config.toml, or `--tally`) — [`App::tally`] is
//! `None` otherwise and nothing here runs.
//!
//! **One enquiry** is what the clerk searches for one question:
//! - it **starts** with the first search of words in the box — or, with an empty box, of a
//!   care or need chip the clerk adds (not one left over from the enquiry before);
//! - it **ends** when the box is emptied (Esc, Ctrl-U, Backspace to the start, a new call),
//!   when a chips-only enquiry loses its last chip, and when the session ends — however it
//!   ends: quitting, a signal, the terminal closed (the run loop ends it there, see
//!   [`super::run`]). Editing the words, choosing filters, a did-you-mean or a relaxation are
//!   the same enquiry.
//!
//! **Its shape** is that of the last search shown ([`App::enquiry_shape`]): the area (the one
//! the words name, else the filter's), care types and needs (the filters', and those the words
//! name), and the service types the words name — ids and codes, never the words. While a
//! relaxation from the no-results panel is on, the shape and outcome stay those of the
//! question asked, not of the widened search.
//!
//! **Its outcome**: 「見つからなかった」 if the clerk marked it (the `not_found` key), else
//! **found** if a detail was opened (Enter or Tab — a detail merely shown beside the list in a
//! wide terminal is not opened), a card shown, copied or saved, a phone number copied, or
//! the shortlist (the slip) pinned to, copied or saved; else, from the last search, **none**
//! (0件), **far** (only the nearest offices beyond the radius) or **unmarked**.
//!
//! An enquiry that ends unmarked and names nothing counted — no care, need or service type,
//! and no area in the words — leaves no line: it tells the council nothing (a typo erased).
//!
//! `update` only queues the line as an [`Effect::Tally`]; the run loop appends it.

use std::path::{Path, PathBuf};

use super::app::{App, Effect, Focus, Message, Overlay};
use super::keymap::Command;
use crate::directory::Facet;
use crate::search::services;
use crate::search::vocab::Meaning;
use crate::tally::{self, Enquiry, Outcome};

/// The tally while it is on: where it goes and the enquiry open.
#[derive(Debug, Clone)]
pub struct Tally {
    /// The tally file.
    path: PathBuf,
    /// The enquiry being asked, if one is.
    open: Option<Open>,
    /// The care and need chips on when the last enquiry ended: they do not start a new one.
    leftover: Vec<String>,
}

impl Tally {
    /// A tally appending to `path`.
    pub fn new(path: PathBuf) -> Tally {
        Tally {
            path,
            open: None,
            leftover: Vec::new(),
        }
    }

    /// The tally file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether an enquiry is open and marked 「見つからなかった」.
    pub fn marked(&self) -> bool {
        self.open.as_ref().is_some_and(|o| o.marked)
    }

    /// Whether an enquiry is open.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }
}

/// An enquiry being asked.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Open {
    shape: Shape,
    /// Started from words (ends when the box is emptied), else from chips.
    from_words: bool,
    /// The outcome of its last search: none, far or unmarked.
    searched: Outcome,
    /// A detail, card, phone copy or the slip was used.
    used: bool,
    /// Marked 「見つからなかった」.
    marked: bool,
}

impl Open {
    fn outcome(&self) -> Outcome {
        if self.marked {
            Outcome::NotFound
        } else if self.used {
            Outcome::Found
        } else {
            self.searched
        }
    }
}

/// What an enquiry asks, as ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    /// Area id.
    pub area: Option<String>,
    /// The words named the area.
    pub area_in_words: bool,
    /// Care type ids.
    pub care: Vec<String>,
    /// Need ids.
    pub needs: Vec<String>,
    /// Service type codes.
    pub services: Vec<u8>,
}

impl Shape {
    /// Whether it names anything counted: a care type, need or service type, or an area in
    /// the words.
    fn names_something(&self) -> bool {
        self.area_in_words
            || !self.care.is_empty()
            || !self.needs.is_empty()
            || !self.services.is_empty()
    }
}

/// What an action may have used, noted before it ([`App::tally_used_since`]).
#[derive(Debug, Clone, Copy)]
pub struct Before {
    overlay: Option<Overlay>,
    focus: Focus,
    effects: usize,
    shortlist: usize,
}

impl App {
    /// Turns the tally on, appending to `path`.
    pub fn enable_tally(&mut self, path: PathBuf) {
        self.tally = Some(Tally::new(path));
    }

    /// The shape of the enquiry the results shown answer.
    pub fn enquiry_shape(&self) -> Shape {
        let r = &self.results;
        let mut care = self.filters.care_types.clone();
        let mut needs = self.filters.needs.clone();
        for m in r.understood.clauses.iter().flat_map(|c| &c.meanings) {
            match m {
                Meaning::Term(Facet::CareType, id) => care.push(id.clone()),
                Meaning::Term(Facet::Need, id) => needs.push(id.clone()),
                _ => {}
            }
        }
        for ids in [&mut care, &mut needs] {
            ids.sort();
            ids.dedup();
        }
        let area = r.area_from_text.or(self.filters.area);
        Shape {
            area: area.map(|a| self.catalog.areas.at(a).id.clone()),
            area_in_words: r.area_from_text.is_some()
                || r.understood
                    .area
                    .is_some_and(|a| Some(a) == self.filters.area),
            care,
            needs,
            services: services::codes(r.understood.service_types).collect(),
        }
    }

    /// After a search was shown: the enquiry starts, follows it, or ends (see the module doc).
    pub(super) fn tally_searched(&mut self) {
        if self.tally.is_none() || self.relaxed.is_some() {
            return;
        }
        let words = !self.input.is_empty();
        let chips = self.chip_ids();
        let shape = self.enquiry_shape();
        let searched = if self.results.total == 0 {
            Outcome::None
        } else if self.results.nearest_beyond_km.is_some() {
            Outcome::Far
        } else {
            Outcome::Unmarked
        };
        let Some(t) = self.tally.as_mut() else {
            return;
        };
        match t.open.as_mut() {
            Some(o) if words || (!o.from_words && !chips.is_empty()) => {
                o.shape = shape;
                o.searched = searched;
                o.from_words |= words;
            }
            Some(_) => self.end_enquiry(),
            None if words || chips.iter().any(|c| !t.leftover.contains(c)) => {
                t.leftover.clear();
                t.open = Some(Open {
                    shape,
                    from_words: words,
                    searched,
                    used: false,
                    marked: false,
                });
            }
            None => {}
        }
    }

    /// The care and need chips selected (ids).
    fn chip_ids(&self) -> Vec<String> {
        self.filters
            .care_types
            .iter()
            .chain(&self.filters.needs)
            .cloned()
            .collect()
    }

    /// The box was emptied (during a burst of keys too, before the search): an enquiry of
    /// words ends, as the last search showed it.
    pub(super) fn tally_box_emptied(&mut self) {
        if self
            .tally
            .as_ref()
            .and_then(|t| t.open.as_ref())
            .is_some_and(|o| o.from_words)
        {
            self.end_enquiry();
        }
    }

    /// Ends the enquiry open, if one is, queueing its line ([`Effect::Tally`]) — unless it
    /// ended unmarked naming nothing counted.
    pub fn end_enquiry(&mut self) {
        let date = (self.clock)().date;
        let leftover = self.chip_ids();
        let Some(t) = self.tally.as_mut() else {
            return;
        };
        t.leftover = leftover;
        let Some(o) = t.open.take() else {
            return;
        };
        let outcome = o.outcome();
        if outcome == Outcome::Unmarked && !o.shape.names_something() {
            return;
        }
        let enquiry = Enquiry {
            v: tally::VERSION,
            date: tally::day(date),
            area: o.shape.area,
            care: o.shape.care,
            needs: o.shape.needs,
            services: o.shape.services,
            outcome,
        };
        let path = t.path.clone();
        self.effects.push(Effect::Tally { path, enquiry });
    }

    /// What an action may use, before it.
    pub(super) fn tally_before(&self) -> Before {
        Before {
            overlay: self.overlay,
            focus: self.focus,
            effects: self.effects.len(),
            shortlist: self.shortlist.len(),
        }
    }

    /// After an action: whether it used something for the caller — opened a detail or a card
    /// (a record's, or an area's with its main phone), queued a copy or a save (card, phone,
    /// slip), pinned to the slip — and if so the open enquiry is found.
    pub(super) fn tally_used_since(&mut self, before: Before) {
        let opened_card = matches!(
            self.overlay,
            Some(Overlay::Card(..) | Overlay::AreaCard(..))
        ) && self.overlay != before.overlay;
        let opened_detail = self.focus == Focus::Detail && before.focus != Focus::Detail;
        let copied_or_saved = self
            .effects
            .iter()
            .skip(before.effects)
            .any(|e| matches!(e, Effect::Copy { .. } | Effect::Save { .. }));
        let pinned = self.shortlist.len() > before.shortlist;
        if (opened_card || opened_detail || copied_or_saved || pinned)
            && let Some(o) = self.tally.as_mut().and_then(|t| t.open.as_mut())
        {
            o.used = true;
        }
    }

    /// The 「見つからなかった」 key: marks the open enquiry, or takes the mark back.
    pub(super) fn toggle_not_found(&mut self) {
        let key = self.keymap.key(Command::NotFound);
        let text = match self.tally.as_mut().map(|t| t.open.as_mut()) {
            None => {
                "問い合わせの集計はオフです（config.toml に tally = true、または --tally で起動）"
                    .to_string()
            }
            Some(None) => "印を付ける問い合わせがありません（検索欄に入力してから）".to_string(),
            Some(Some(o)) => {
                o.marked = !o.marked;
                if o.marked {
                    format!(
                        "この問い合わせを「見つからなかった」として数えます（{key} で取り消し）"
                    )
                } else {
                    "「見つからなかった」の印を外しました".to_string()
                }
            }
        };
        self.message = Some(Message::info(text));
    }

    /// The badge at the end of the status line while the tally is on.
    pub fn tally_badge(&self) -> Option<&'static str> {
        let t = self.tally.as_ref()?;
        Some(if t.marked() {
            "集計中・見つからなかった"
        } else {
            "集計中"
        })
    }

    /// The help's lines about the tally while it is on: what is kept and what never is, and
    /// where (none while it is off: the README says how to turn it on).
    pub fn tally_help(&self) -> Vec<String> {
        let Some(t) = &self.tally else {
            return vec![];
        };
        let key = self.keymap.key(Command::NotFound);
        let path = crate::text::sanitize::sanitize_for_terminal(&t.path.display().to_string())
            .into_owned();
        vec![
            format!(
                "問い合わせごとに1行、{path} に残します: 日付（日のみ）・地域・ケアの種類・ニーズ・サービス種別（どれも id かコード）と結果（見つかった・遠方のみ・0件・見つからなかった・未記入）。"
            ),
            "残さないもの: 入力した文字・語、事業所、時刻、相談者のこと。".into(),
            format!(
                "検索欄を空にしたとき（Esc・Ctrl-U・新しい電話）と終了したときに1件になります。詳細・カード・電話コピー・候補リストを使えば「見つかった」、{key} で「見つからなかった」の印。"
            ),
            "数えるには: ikenavi tally（--by area|need|care|month、--format md|csv|json）".into(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(outcome: (bool, bool, Outcome)) -> Open {
        Open {
            shape: Shape::default(),
            from_words: true,
            searched: outcome.2,
            used: outcome.0,
            marked: outcome.1,
        }
    }

    #[test]
    fn the_mark_wins_then_use_then_the_search() {
        for (used, marked, searched, want) in [
            (true, true, Outcome::Unmarked, Outcome::NotFound),
            (false, true, Outcome::None, Outcome::NotFound),
            (true, false, Outcome::Far, Outcome::Found),
            (false, false, Outcome::Far, Outcome::Far),
            (false, false, Outcome::None, Outcome::None),
            (false, false, Outcome::Unmarked, Outcome::Unmarked),
        ] {
            assert_eq!(open((used, marked, searched)).outcome(), want);
        }
    }
}
