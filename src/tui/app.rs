//! The UI's state ([`App`]), everything that can happen to it ([`Action`]) and the one place
//! it changes ([`update`]). `update` does no I/O: it searches (in memory) and records side
//! effects — copy to the clipboard, save a file — as [`Effect`]s that the run loop carries out
//! and answers with [`Action::Done`]. So every behaviour here is testable without a terminal.
//!
//! `update` dispatches: the main screen's actions are in [`super::commands`], the windows'
//! (help, card, shortlist, pickers) in [`super::overlay`]; every position they change is kept
//! within bounds there, through [`super::layout`], against what the view will draw.

use ratatui::layout::Rect;

use super::input::{Edit, Input};
use super::keymap::{Command, Keymap};
use super::layout::{self, Areas, ListState, Viewport};
use super::log::{self, Log};
use super::picker::{self, Picker};
use super::tally::Tally;
use super::theme::Theme;
use super::{card, commands, detail, help, overlay};
use crate::directory::{AreaIdx, Catalog, Facet};
use crate::present::{Entry, Stamp, Ymd};
use crate::search::coverage::Coverage;
use crate::search::{MatchMode, SearchEngine, SearchRequest, SearchResults, Sort};

/// How many hits a search asks for at first, and how many more each time the list is moved
/// near the end of those loaded ([`App::load_through`]): a keystroke costs the top 100, and
/// every hit is still reachable by scrolling. The bench (`ikenavi bench`) times searches with
/// the same limit.
pub const RESULT_LIMIT: usize = 100;

/// Something that happened: a key mapped by the keymap, a paste, a resize, or the outcome of
/// an effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A rebindable command.
    Command(Command),
    /// A typed character.
    Insert(char),
    /// Bracketed paste.
    Paste(String),
    /// An editing key.
    Edit(Edit),
    /// Apply the n-th suggestion of the no-results panel (Alt-1 … Alt-9).
    ApplySuggestion(usize),
    /// A default key whose command config moved to other keys (it says where).
    Moved(Command),
    /// The terminal was resized.
    Resize(u16, u16),
    /// An effect finished: the message to show.
    Done(Message),
}

/// A side effect for the run loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Copy text to the clipboard (OSC 52).
    Copy {
        /// Markdown.
        text: String,
        /// What it is, for the message (カード, 候補リスト).
        what: &'static str,
    },
    /// Save Markdown to a new file in the save directory.
    Save {
        /// Markdown.
        text: String,
        /// Suggested file name (a suffix is added if it exists).
        file_name: String,
        /// What it is, for the message.
        what: &'static str,
        /// A plain-text form to print, saved beside it under the same name ending `.txt`.
        printable: Option<String>,
    },
    /// Append an enquiry that ended to the tally file (see [`super::tally`]).
    Tally {
        /// The tally file.
        path: std::path::PathBuf,
        /// What the enquiry leaves.
        enquiry: crate::tally::Enquiry,
    },
}

/// How serious a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Information.
    Info,
    /// Something is not as configured.
    Warning,
    /// Something failed.
    Error,
}

/// A line shown in the status bar in place of the key hints until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Text.
    pub text: String,
    /// Level.
    pub level: Level,
}

impl Message {
    /// Information.
    pub fn info(text: impl Into<String>) -> Message {
        Message {
            text: text.into(),
            level: Level::Info,
        }
    }

    /// A warning.
    pub fn warning(text: impl Into<String>) -> Message {
        Message {
            text: text.into(),
            level: Level::Warning,
        }
    }

    /// An error.
    pub fn error(text: impl Into<String>) -> Message {
        Message {
            text: text.into(),
            level: Level::Error,
        }
    }
}

/// Which pane the list keys act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// Typing in the search box; ↑↓ still move the list.
    Input,
    /// The results list.
    List,
    /// The detail (full-width when the terminal is narrow); ↑↓ scroll it.
    Detail,
}

/// Which picker; also its place in [`App::pickers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    /// 地域.
    Area = 0,
    /// ケアの種類.
    Care = 1,
    /// ニーズ.
    Need = 2,
}

/// A window over the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// Help, scrolled by this many lines.
    Help(usize),
    /// The message log, scrolled by this many lines.
    Log(usize),
    /// The read-aloud card of a record or an area's main window, scrolled.
    Card(Entry, usize),
    /// The card of the area selected in the area picker, scrolled: closing it goes back to
    /// the picker.
    AreaCard(AreaIdx, usize),
    /// The call shortlist.
    Shortlist,
    /// A filter picker.
    Picker(PickerKind),
    /// What to do with a shortlist not saved yet before a new call or quitting, with the
    /// choice selected ([`super::shortlist::CHOICES`]).
    Confirm(Ask, usize),
}

/// What the clerk asked for that would drop a shortlist not saved yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// A new call.
    NewCall,
    /// Quitting.
    Quit,
}

pub use crate::directory::Filters;

/// One thing the no-results panel offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suggestion {
    /// A relaxed request (label, count, request).
    Relax(String, usize, SearchRequest),
    /// A record name to search for instead, and the record it is from (when known).
    DidYouMean(String, Option<usize>),
    /// The main window of the area (see [`crate::search::windows`]): its card opens.
    Window(AreaIdx),
}

/// A relaxation applied from the no-results panel (Alt-1 …), while it is on: it belongs to the
/// search it was offered for and ends with it — when the words change (a new query, the box
/// emptied), on F6 and on a new call ([`App::end_relaxation`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relaxed {
    /// What it changed, as offered (地域を長崎県に広げる): shown in the filter line.
    pub label: String,
    /// The words it was applied to.
    text: String,
    /// The filters before it, and whether the words' area was off.
    before: (Filters, bool),
    /// The filters it set: a filter still as it set it goes back to `before` when it ends (one
    /// the clerk changed since stays as the clerk left it).
    after: Filters,
}

/// The whole UI state.
pub struct App {
    /// The directory.
    pub catalog: Catalog,
    /// Its search engine (built once).
    pub engine: SearchEngine,
    /// Key bindings.
    pub keymap: Keymap,
    /// Styles.
    pub theme: Theme,
    /// Today's date, for source ages (injected so tests are stable).
    pub today: Ymd,
    /// The clock that stamps a saved handoff slip (injected so tests are stable).
    pub clock: fn() -> Stamp,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// The search box.
    pub input: Input,
    /// Active filters.
    pub filters: Filters,
    /// Order of the results (近い順 or best match first).
    pub sort: Sort,
    /// The latest results.
    pub results: SearchResults,
    /// Selection and scroll of the main screen (results, suggestions, detail).
    pub list: ListState,
    /// Focused pane.
    pub focus: Focus,
    /// Open overlay.
    pub overlay: Option<Overlay>,
    /// What is pinned on this call's shortlist (records and main windows), in pin order.
    pub shortlist: Vec<Entry>,
    /// Selected row of the shortlist overlay.
    pub shortlist_selected: usize,
    /// The shortlist changed since it was last saved (pinned or unpinned): a new call or
    /// quitting asks before dropping it.
    pub shortlist_unsaved: bool,
    /// A save of the shortlist is queued: its outcome ([`Action::Done`]) says whether it is
    /// saved.
    saving_shortlist: bool,
    /// What to do once the queued save of the shortlist succeeded (the clerk chose 「保存して
    /// …」); dropped when it fails, so nothing is lost.
    after_save: Option<Ask>,
    /// The filters a call starts with (the home area or the last one, the radius): a new call
    /// goes back to them.
    home: Filters,
    /// Status message.
    pub message: Option<Message>,
    /// Every message of the session (the status line shows only the latest, until a key).
    pub log: Log,
    /// Warnings from the config, shown at start.
    pub warnings: Vec<String>,
    /// Esc was pressed on an empty box; another quits.
    pub esc_armed: bool,
    /// Set when the app should exit.
    pub quit: bool,
    /// Side effects waiting for the run loop.
    pub effects: Vec<Effect>,
    /// The 地域, ケアの種類 and ニーズ pickers, indexed by [`PickerKind`].
    pub pickers: [Picker; 3],
    /// Set by the run loop while it applies a burst of queued events (fast typing, an IME
    /// commit, a paste without bracketed paste): typing then only marks the results stale, and
    /// they are brought up to date before anything reads them — any other action, or
    /// [`App::end_batch`] before the frame is drawn. So a burst costs one search, not one per
    /// key.
    batch: bool,
    /// The results do not reflect the search box yet (only ever while `batch`).
    stale: bool,
    /// How many hits the current results were asked for ([`RESULT_LIMIT`] for a new search,
    /// more as the list is scrolled).
    limit: usize,
    /// The filters the results shown were found with.
    searched_filters: Filters,
    /// The clerk removed the area taken from the words in the box (地域:和木町（入力から）):
    /// they stay text until the box is emptied.
    pub area_words_off: bool,
    /// The relaxation applied from the no-results panel, while it is on.
    pub relaxed: Option<Relaxed>,
    /// What the loaded open data covers (read from every record when first asked for: the
    /// help, or a thin result).
    coverage: std::sync::OnceLock<(Option<Coverage>, Vec<String>)>,
    /// The enquiry tally, while it is on (`None`: off, the default; see [`super::tally`]).
    pub tally: Option<Tally>,
}

impl App {
    /// A new UI state: empty box, these filters, first search done.
    pub fn new(
        catalog: Catalog,
        engine: SearchEngine,
        keymap: Keymap,
        today: Ymd,
        size: (u16, u16),
    ) -> App {
        let pickers = [
            picker::area_picker(&catalog.areas),
            picker::term_picker(&catalog, Facet::CareType),
            picker::term_picker(&catalog, Facet::Need),
        ];
        let mut app = App {
            catalog,
            engine,
            keymap,
            theme: Theme::mono(),
            today,
            clock: Stamp::now,
            size,
            input: Input::default(),
            filters: Filters::default(),
            sort: Sort::Relevance,
            results: empty_results(),
            list: ListState::default(),
            focus: Focus::Input,
            overlay: None,
            shortlist: Vec::new(),
            shortlist_selected: 0,
            shortlist_unsaved: false,
            saving_shortlist: false,
            after_save: None,
            home: Filters::default(),
            message: None,
            log: Log::default(),
            warnings: Vec::new(),
            esc_armed: false,
            quit: false,
            effects: Vec::new(),
            pickers,
            batch: false,
            stale: false,
            limit: RESULT_LIMIT,
            searched_filters: Filters::default(),
            area_words_off: false,
            relaxed: None,
            coverage: std::sync::OnceLock::new(),
            tally: None,
        };
        app.search();
        app
    }

    /// Sets the filters a call starts with (e.g. the home area) and searches again.
    pub fn set_filters(&mut self, filters: Filters) {
        self.home = filters.clone();
        self.filters = filters;
        self.search();
    }

    /// Shows the config warnings in the status line, and keeps each in the log.
    pub fn set_warnings(&mut self, warnings: Vec<String>) {
        match warnings.len() {
            0 => {}
            1 => self.message = Some(Message::warning(warnings[0].clone())),
            n => {
                self.message = Some(Message::warning(format!(
                    "警告{n}件: {}",
                    warnings.join(" / ")
                )));
            }
        }
        for w in &warnings {
            self.log.record(Message::warning(w.clone()));
        }
        self.warnings = warnings;
    }

    /// The request for the current box and filters.
    pub fn request(&self) -> SearchRequest {
        SearchRequest {
            ignore_area_words: self.area_words_off,
            area_words_replace: true,
            sort: self.sort,
            ..SearchRequest::new(self.input.text(), &self.filters, self.limit)
        }
    }

    /// Starts applying a burst of events: typing defers its search (see `batch`).
    pub fn begin_batch(&mut self) {
        self.batch = true;
    }

    /// Ends a burst: searches once if typing changed the box.
    pub fn end_batch(&mut self) {
        self.batch = false;
        self.refresh();
    }

    /// Whether typing changed the box since the last search (during a burst).
    pub fn is_stale(&self) -> bool {
        self.stale
    }

    /// Searches if the results are stale.
    fn refresh(&mut self) {
        if self.stale {
            self.search();
        }
    }

    /// After the box changed: search now, or once at the end of a burst.
    pub(super) fn search_typed(&mut self) {
        if self.input.is_empty() {
            self.tally_box_emptied();
        }
        if self.batch {
            self.stale = true;
        } else {
            self.search();
        }
    }

    /// Runs the search for the current box and filters; resets the selection.
    pub fn search(&mut self) {
        self.stale = false;
        self.limit = RESULT_LIMIT;
        // New words are a new search: a relaxation offered for the old ones ends.
        if self
            .relaxed
            .as_ref()
            .is_some_and(|r| r.text != self.input.text())
        {
            self.end_relaxation();
        }
        if self.input.is_empty() {
            self.area_words_off = false;
        }
        match self.engine.search(&self.catalog, &self.request()) {
            // Romaji being typed (IME off) whose finished part finds nothing either: the list
            // stays as it was until the syllable is complete, rather than flash 「結果 0件」.
            Ok(r) if r.total == 0 && self.keeps_results_while_typing(&r) => return,
            Ok(r) => {
                self.results = r;
                self.tally_searched();
            }
            Err(e) => {
                self.results = empty_results();
                self.message = Some(Message::error(format!("検索できません: {e}")));
            }
        }
        self.searched_filters = self.filters.clone();
        self.list = ListState::default();
        if self.focus == Focus::Detail && self.selected().is_none() {
            self.focus = Focus::Input;
        }
    }

    /// Applies a relaxation the no-results panel offered: its request's words, filters and
    /// whether the words' area is off — exactly the request it was counted with, so the list
    /// shows the count offered, whatever the area's origin (typed 壱岐 or chosen with F2) —
    /// and remembers it until its search ends.
    pub(super) fn relax(&mut self, label: String, req: &SearchRequest) {
        let before = (self.filters.clone(), self.area_words_off);
        self.end_relaxation();
        if req.text != self.input.text() {
            self.input = Input::with_text(&req.text);
        }
        self.filters = req.filters();
        self.area_words_off = req.ignore_area_words;
        self.relaxed = Some(Relaxed {
            label,
            text: self.input.text().to_string(),
            before,
            after: self.filters.clone(),
        });
    }

    /// Ends the relaxation that is on, if one is: each filter it set and the clerk has not
    /// changed since goes back (the radius to the default or the config's, the area to the one
    /// typed or chosen), and the words name the area again as before. Does not search.
    pub(super) fn end_relaxation(&mut self) {
        let Some(r) = self.relaxed.take() else {
            return;
        };
        let (before, words_off) = r.before;
        let (f, after) = (&mut self.filters, &r.after);
        if f.within_km == after.within_km {
            f.within_km = before.within_km;
        }
        if f.area == after.area {
            f.area = before.area;
        }
        if f.care_types == after.care_types {
            f.care_types = before.care_types;
        }
        if f.needs == after.needs {
            f.needs = before.needs;
        }
        if f.with_phone == after.with_phone {
            f.with_phone = before.with_phone;
        }
        self.area_words_off = words_off;
    }

    /// Makes sure hit `to` (and the rest of its page) is loaded, when the search found that
    /// many: asks again for [`RESULT_LIMIT`] more than needed. The hits already shown keep
    /// their places (a larger pool may rank a little differently; the new ones are added
    /// after them), so the selection never jumps.
    pub(super) fn load_through(&mut self, to: usize) {
        let have = self.results.hits.len();
        if to < have || have >= self.results.total {
            return;
        }
        let want = to
            .saturating_add(RESULT_LIMIT)
            .min(self.results.total)
            .max(have + 1);
        self.limit = want;
        match self.engine.search(&self.catalog, &self.request()) {
            Ok(more) => {
                let shown: std::collections::HashSet<usize> =
                    self.results.hits.iter().map(|h| h.resource).collect();
                let new = more
                    .hits
                    .into_iter()
                    .filter(|h| !shown.contains(&h.resource));
                self.results.hits.extend(new);
            }
            Err(e) => self.message = Some(Message::error(format!("続きを読み込めません: {e}"))),
        }
    }

    /// Whether the results shown can stand for a box that ends with an unfinished romaji
    /// syllable, instead of `found` (nothing): they were found with the same filters, are not
    /// empty, and are of the same place — a place the words now name (shunan → 周南市) is
    /// shown even with nothing there.
    fn keeps_results_while_typing(&self, found: &SearchResults) -> bool {
        self.results.total > 0
            && self.searched_filters == self.filters
            && self.results.area_from_text == found.area_from_text
            && crate::search::without_unfinished_syllable(self.input.text()).is_some()
    }

    /// What is selected: a row of the list (a hit, or a main window shown with them), or in
    /// the no-results panel the main window under the suggestions.
    pub fn selected(&self) -> Option<Entry> {
        if self.showing_no_results() {
            return match self.suggestions().get(self.list.suggestion) {
                Some(Suggestion::Window(a)) => Some(Entry::Area(*a)),
                _ => None,
            };
        }
        super::results::entry_at(&self.results, self.list.selected)
    }

    /// The catalog position of the selected hit, when a record is selected.
    pub fn current(&self) -> Option<usize> {
        match self.selected() {
            Some(Entry::Record(r)) => Some(r),
            _ => None,
        }
    }

    /// How many rows the list has (see [`super::results::row_count`]).
    pub fn row_count(&self) -> usize {
        super::results::row_count(&self.results)
    }

    /// Whether the no-results panel is showing.
    pub fn showing_no_results(&self) -> bool {
        self.results.total == 0 && self.results.no_results.is_some()
    }

    /// How many relaxations are offered beside the nearest ones beyond the radius (the list's
    /// 「広げると:」 line; Alt-n applies the n-th): none unless the hits are those.
    pub fn relaxations_beside_nearest(&self) -> usize {
        match &self.results.no_results {
            Some(nr) if self.results.total > 0 && self.results.nearest_beyond_km.is_some() => {
                nr.relaxations.len()
            }
            _ => 0,
        }
    }

    /// The suggestions of the no-results panel, in display order.
    pub fn suggestions(&self) -> Vec<Suggestion> {
        let Some(nr) = &self.results.no_results else {
            return vec![];
        };
        let w = self.results.windows;
        nr.relaxations
            .iter()
            .map(|r| Suggestion::Relax(r.label.clone(), r.count, r.request.clone()))
            .chain(nr.did_you_mean.iter().enumerate().map(|(i, n)| {
                Suggestion::DidYouMean(n.clone(), nr.did_you_mean_records.get(i).copied())
            }))
            // Last, the area's main window: the one number always to give.
            .chain(
                [w.asked, w.closing]
                    .into_iter()
                    .flatten()
                    .map(Suggestion::Window),
            )
            .collect()
    }

    /// Whether the detail is beside the list (wide terminal).
    pub fn is_wide(&self) -> bool {
        layout::is_wide(self.size)
    }

    /// Pane rectangles for the current size and focus.
    pub fn areas(&self) -> Areas {
        let detail_full = self.focus == Focus::Detail && self.selected().is_some();
        layout::areas(self.size, detail_full)
    }

    /// How many hits fit in the list (two lines each, inside a border).
    pub fn list_page(&self) -> usize {
        let mut list = self.areas().list;
        // The notice of words that found nothing takes rows above the hits.
        let notice = super::results::notice_lines(&self.results, list.width.saturating_sub(2));
        list.height = list.height.saturating_sub(notice.len() as u16);
        layout::list_page(list)
    }

    /// Where the detail's 距離 is measured from: where the hits' distances are (the
    /// municipality typed inside the area, 長野県川上村 → 川上村), else the selected area.
    pub fn distance_area(&self) -> Option<crate::directory::AreaIdx> {
        self.results.distance_from.or(self.filters.area)
    }

    /// The selected record's detail body: its lines and how many are visible (one line, none
    /// visible, when nothing is selected or the detail is not shown).
    pub fn detail_viewport(&self) -> Viewport {
        match (self.selected(), self.areas().detail) {
            (Some(e), Some(area)) => {
                detail::viewport(&self.catalog, e, (self.today, self.distance_area()), area)
            }
            _ => Viewport {
                lines: 0,
                height: 1,
            },
        }
    }

    /// The viewport of the help or card window at the current size (`None` for the others).
    pub fn overlay_viewport(&self, overlay: Overlay) -> Option<Viewport> {
        let screen = Rect::new(0, 0, self.size.0, self.size.1);
        let area = layout::window(overlay, screen);
        match overlay {
            Overlay::Help(_) => Some(help::viewport(&self.keymap, &self.help_notes(), area)),
            Overlay::Log(_) => Some(log::viewport(&self.log, &self.keymap, area)),
            Overlay::Card(e, _) => Some(card::viewport(&self.entry_card(e), area)),
            Overlay::AreaCard(a, _) => Some(card::viewport(&self.entry_card(Entry::Area(a)), area)),
            Overlay::Shortlist | Overlay::Picker(_) | Overlay::Confirm(..) => None,
        }
    }

    /// The help's notes after the keys: the tally's (what is kept), then what the data covers.
    pub fn help_notes(&self) -> help::Notes {
        help::Notes {
            tally: self.tally_help(),
            coverage: self.coverage().1.clone(),
        }
    }

    /// What the loaded open data covers, and its lines for the help.
    pub fn coverage(&self) -> &(Option<Coverage>, Vec<String>) {
        self.coverage
            .get_or_init(|| match self.engine.coverage(&self.catalog) {
                Ok(c) => {
                    let lines = c.lines(&self.catalog);
                    (Some(c), lines)
                }
                Err(e) => (None, vec![format!("データの範囲を読めません: {e}")]),
            })
    }

    /// The line under a thin result: every hit is on the page and a service type asked for
    /// has no office in the data in the area's prefecture (see
    /// [`SearchEngine::coverage_gap`]).
    pub fn coverage_note(&self) -> Option<String> {
        let area = self.distance_area()?;
        let r = &self.results;
        if r.hits.is_empty() || r.total > r.hits.len() || r.total >= self.list_page() {
            return None;
        }
        let coverage = self.coverage().0.as_ref()?;
        // Without it the list is as before; the help says why the coverage is missing.
        self.engine
            .coverage_gap(&self.catalog, coverage, area, &r.understood)
            .ok()
            .flatten()
    }

    /// A picker.
    pub fn picker(&self, kind: PickerKind) -> &Picker {
        &self.pickers[kind as usize]
    }

    /// A picker, to change it.
    pub(super) fn picker_mut(&mut self, kind: PickerKind) -> &mut Picker {
        &mut self.pickers[kind as usize]
    }

    /// Keeps every position within what is drawn at the current size: the list selection
    /// and its offset, the detail scroll and the open window's scroll.
    pub(super) fn fit_to_size(&mut self) {
        let (total, page) = (self.row_count(), self.list_page());
        self.list.fit(total, page);
        self.list.detail_scroll = self.detail_viewport().clamp(self.list.detail_scroll);
        self.overlay = self.overlay.map(|o| self.clamp_overlay(o));
        self.shortlist_selected = self
            .shortlist_selected
            .min(self.shortlist.len().saturating_sub(1));
    }

    /// An overlay with its scroll within bounds.
    pub(super) fn clamp_overlay(&self, overlay: Overlay) -> Overlay {
        let vp = self.overlay_viewport(overlay);
        match (overlay, vp) {
            (Overlay::Help(s), Some(vp)) => Overlay::Help(vp.clamp(s)),
            (Overlay::Log(s), Some(vp)) => Overlay::Log(vp.clamp(s)),
            (Overlay::Card(e, s), Some(vp)) => Overlay::Card(e, vp.clamp(s)),
            (Overlay::AreaCard(a, s), Some(vp)) => Overlay::AreaCard(a, vp.clamp(s)),
            (o, _) => o,
        }
    }
}

impl App {
    /// A new call or quitting, as the clerk asked: at once, or — with a shortlist not saved
    /// yet — after asking what to do with it. Quitting while that is asked quits (Ctrl-C
    /// twice always ends the program).
    pub(super) fn ask(&mut self, ask: Ask) {
        let unsaved = self.shortlist_unsaved && !self.shortlist.is_empty();
        match (ask, self.overlay) {
            (Ask::Quit, Some(Overlay::Confirm(Ask::Quit, _))) => self.quit = true,
            (Ask::Quit, _) if !unsaved => self.quit = true,
            (Ask::NewCall, _) if !unsaved => self.new_call(),
            (ask, _) => self.overlay = Some(Overlay::Confirm(ask, 0)),
        }
    }

    /// Carries out a new call or quitting, the shortlist saved or dropped.
    pub(super) fn proceed(&mut self, ask: Ask) {
        match ask {
            Ask::Quit => self.quit = true,
            Ask::NewCall => self.new_call(),
        }
    }

    /// A new call: the shortlist, the box, the relaxation and the call's filters (ケア,
    /// ニーズ, 電話あり, 近い順) go; the area is the one calls start with again.
    fn new_call(&mut self) {
        // The enquiry ends as it was shown (the search below would end it too).
        self.end_enquiry();
        self.shortlist.clear();
        self.shortlist_selected = 0;
        self.shortlist_unsaved = false;
        self.relaxed = None;
        self.filters = self.home.clone();
        self.sort = Sort::Relevance;
        self.area_words_off = false;
        self.input.clear();
        self.focus = Focus::Input;
        self.overlay = None;
        let text = match self.message.take() {
            Some(m) if m.level != Level::Error => format!("{} — 新しい電話です", m.text),
            _ => "新しい電話です（候補リスト・検索欄・絞り込みを初めに戻しました）".to_string(),
        };
        self.message = Some(Message::info(text));
        self.search();
    }

    /// Brings back the shortlist kept when the last session was ended from outside (a signal,
    /// the terminal closed) before it was saved: still not saved, so quitting or a new call
    /// asks again; the status line says so (after any warning, which stays in the log).
    /// Records and areas the directory no longer holds are left out.
    pub fn restore_kept_shortlist(&mut self, ids: &[String]) {
        let mut kept: Vec<Entry> = Vec::new();
        for e in ids.iter().filter_map(|id| Entry::of_id(&self.catalog, id)) {
            if !kept.contains(&e) {
                kept.push(e);
            }
        }
        if kept.is_empty() {
            return;
        }
        let text = format!(
            "前回、保存されずに終わった候補リスト（{}件）を戻しました — {} で見る",
            kept.len(),
            self.keymap.key(Command::Shortlist)
        );
        self.shortlist = kept;
        self.shortlist_selected = 0;
        self.shortlist_unsaved = true;
        self.log.record(Message::info(text.clone()));
        self.message = Some(match self.message.take() {
            Some(m) => Message {
                text: format!("{text} / {}", m.text),
                ..m
            },
            None => Message::info(text),
        });
    }

    /// Queues saving the shortlist and notes it, so that its outcome marks it saved.
    pub(super) fn queue_shortlist_save(&mut self) {
        self.saving_shortlist = true;
    }

    /// The outcome of an effect: a shortlist saved is no longer unsaved, and what the clerk
    /// chose to do after saving it happens now — not when the save failed (the error shows,
    /// the shortlist stays).
    fn effect_done(&mut self, m: &Message) {
        if !std::mem::take(&mut self.saving_shortlist) {
            return;
        }
        let then = self.after_save.take();
        if m.level == Level::Error {
            return;
        }
        self.shortlist_unsaved = false;
        if let Some(ask) = then {
            self.proceed(ask);
        }
    }

    /// Chooses what to do after saving the shortlist (see [`Self::effect_done`]).
    pub(super) fn then_after_save(&mut self, ask: Ask) {
        self.after_save = Some(ask);
    }
}

/// Results with nothing in them.
fn empty_results() -> SearchResults {
    SearchResults {
        total: 0,
        care_unknown: 0,
        hits: vec![],
        understood: Default::default(),
        mode: MatchMode::All,
        every_word: None,
        no_results: None,
        area_from_text: None,
        nearest_beyond_km: None,
        of_named_type: false,
        types_not_in_data: 0,
        distance_from: None,
        unmatched: vec![],
        any_of_areas: vec![],
        windows: Default::default(),
    }
}

/// Applies an action to the state. No I/O: side effects are queued in `app.effects`.
pub fn update(app: &mut App, action: Action) {
    // Only typing may leave the results stale (during a burst); everything else sees them
    // up to date.
    if !matches!(
        action,
        Action::Insert(_) | Action::Paste(_) | Action::Edit(_)
    ) {
        app.refresh();
    }
    let is_key = !matches!(action, Action::Resize(..) | Action::Done(_));
    if is_key {
        app.message = None;
        if action != Action::Command(Command::Back) {
            app.esc_armed = false;
        }
    }
    let before = app.message.clone();
    let used_before = app.tally_before();
    let done = matches!(action, Action::Done(_));
    match action {
        Action::Resize(w, h) => {
            app.size = (w, h);
            app.fit_to_size();
        }
        Action::Done(m) => {
            app.message = Some(m.clone());
            app.effect_done(&m);
        }
        Action::Moved(cmd) => {
            let keys = app.keymap.keys_label(cmd);
            app.message = Some(Message::info(format!(
                "{}は {keys} に変更されています",
                cmd.hint()
            )));
        }
        Action::Command(Command::Quit) => app.ask(Ask::Quit),
        action => match app.overlay {
            Some(Overlay::Picker(kind)) => overlay::picker_update(app, kind, action),
            Some(Overlay::Confirm(ask, choice)) => {
                overlay::confirm_update(app, ask, choice, action)
            }
            Some(window) => overlay::window_update(app, window, action),
            None => commands::main_update(app, action),
        },
    }
    app.tally_used_since(used_before);
    // Every new message goes to the log too (an effect's outcome even when it repeats).
    if let Some(m) = &app.message
        && (done || app.message != before)
    {
        app.log.record(m.clone());
    }
    #[cfg(debug_assertions)]
    super::test_panic_hook("update", app);
}
