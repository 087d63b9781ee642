//! The UI's state ([`App`]), everything that can happen to it ([`Action`]) and the one place
//! it changes ([`update`]). `update` does no I/O: it searches (in memory) and records side
//! effects — copy to the clipboard, save a file — as [`Effect`]s that the run loop carries out
//! and answers with [`Action::Done`]. So every behaviour here is testable without a terminal.

use ratatui::layout::Rect;

use super::input::{Edit, Input};
use super::keymap::{Command, Keymap};
use super::picker::{self, Picker};
use super::theme::Theme;
use crate::directory::{AreaIdx, Catalog, Facet};
use crate::present::{self, Ymd};
use crate::search::{MatchMode, SearchEngine, SearchRequest, SearchResults};
use crate::text::sanitize::sanitize_for_terminal;

/// How many hits a search asks for (the list scrolls through them; the total is shown).
pub const RESULT_LIMIT: usize = 100;
/// Narrower than this, the detail opens full-width on Enter instead of beside the list.
pub const WIDE_COLUMNS: u16 = 100;
/// Below this size only 「端末が小さすぎます」 is shown.
pub const MIN_SIZE: (u16, u16) = (40, 10);

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

/// Which picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    /// 地域.
    Area,
    /// ケアの種類.
    Care,
    /// ニーズ.
    Need,
}

/// A window over the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// Help, scrolled by this many lines.
    Help(usize),
    /// The read-aloud card of this record, scrolled.
    Card(usize, usize),
    /// The call shortlist.
    Shortlist,
    /// A filter picker.
    Picker(PickerKind),
}

pub use crate::directory::Filters;

/// One thing the no-results panel offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suggestion {
    /// A relaxed request (label, count, request).
    Relax(String, usize, SearchRequest),
    /// A record name to search for instead.
    DidYouMean(String),
}

/// Where the panes are, for a terminal size (shared by `update` for paging and by `view`).
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
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// The search box.
    pub input: Input,
    /// Active filters.
    pub filters: Filters,
    /// The latest results.
    pub results: SearchResults,
    /// Selected hit.
    pub selected: usize,
    /// First hit shown in the list.
    pub list_offset: usize,
    /// Selected suggestion in the no-results panel.
    pub suggestion: usize,
    /// Focused pane.
    pub focus: Focus,
    /// Open overlay.
    pub overlay: Option<Overlay>,
    /// Detail scroll, in lines.
    pub detail_scroll: usize,
    /// Records pinned on this call's shortlist (catalog positions), in pin order.
    pub shortlist: Vec<usize>,
    /// Selected row of the shortlist overlay.
    pub shortlist_selected: usize,
    /// Status message.
    pub message: Option<Message>,
    /// Warnings from the config, shown at start.
    pub warnings: Vec<String>,
    /// Esc was pressed on an empty box; another quits.
    pub esc_armed: bool,
    /// Set when the app should exit.
    pub quit: bool,
    /// Side effects waiting for the run loop.
    pub effects: Vec<Effect>,
    /// 地域 picker.
    pub area_picker: Picker<AreaIdx>,
    /// ケアの種類 picker.
    pub care_picker: Picker<String>,
    /// ニーズ picker.
    pub need_picker: Picker<String>,
    /// Set by the run loop while it applies a burst of queued events (fast typing, an IME
    /// commit, a paste without bracketed paste): typing then only marks the results stale, and
    /// they are brought up to date before anything reads them — any other action, or
    /// [`App::end_batch`] before the frame is drawn. So a burst costs one search, not one per
    /// key.
    batch: bool,
    /// The results do not reflect the search box yet (only ever while `batch`).
    stale: bool,
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
        let area_picker = picker::area_picker(&catalog);
        let care_picker = picker::term_picker(&catalog, Facet::CareType);
        let need_picker = picker::term_picker(&catalog, Facet::Need);
        let results = empty_results();
        let mut app = App {
            catalog,
            engine,
            keymap,
            theme: Theme::mono(),
            today,
            size,
            input: Input::default(),
            filters: Filters::default(),
            results,
            selected: 0,
            list_offset: 0,
            suggestion: 0,
            focus: Focus::Input,
            overlay: None,
            detail_scroll: 0,
            shortlist: Vec::new(),
            shortlist_selected: 0,
            message: None,
            warnings: Vec::new(),
            esc_armed: false,
            quit: false,
            effects: Vec::new(),
            area_picker,
            care_picker,
            need_picker,
            batch: false,
            stale: false,
        };
        app.search();
        app
    }

    /// Sets the filters (e.g. the home area) and searches again.
    pub fn set_filters(&mut self, filters: Filters) {
        self.filters = filters;
        self.search();
    }

    /// Shows the config warnings in the status line.
    pub fn set_warnings(&mut self, warnings: Vec<String>) {
        if !warnings.is_empty() {
            self.message = Some(Message::warning(warnings.join(" / ")));
        }
        self.warnings = warnings;
    }

    /// The request for the current box and filters.
    pub fn request(&self) -> SearchRequest {
        SearchRequest {
            text: self.input.text().to_string(),
            area: self.filters.area,
            care_types: self.filters.care_types.clone(),
            needs: self.filters.needs.clone(),
            limit: RESULT_LIMIT,
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
    fn search_typed(&mut self) {
        if self.batch {
            self.stale = true;
        } else {
            self.search();
        }
    }

    /// Runs the search for the current box and filters; resets the selection.
    pub fn search(&mut self) {
        self.stale = false;
        match self.engine.search(&self.catalog, &self.request()) {
            Ok(r) => self.results = r,
            Err(e) => {
                self.results = empty_results();
                self.message = Some(Message::error(format!("検索できません: {e}")));
            }
        }
        self.selected = 0;
        self.list_offset = 0;
        self.suggestion = 0;
        self.detail_scroll = 0;
        if self.focus == Focus::Detail && self.results.hits.is_empty() {
            self.focus = Focus::Input;
        }
    }

    /// The catalog position of the selected hit.
    pub fn current(&self) -> Option<usize> {
        self.results.hits.get(self.selected).map(|h| h.resource)
    }

    /// Whether the no-results panel is showing.
    pub fn showing_no_results(&self) -> bool {
        self.results.total == 0 && self.results.no_results.is_some()
    }

    /// The suggestions of the no-results panel, in display order.
    pub fn suggestions(&self) -> Vec<Suggestion> {
        let Some(nr) = &self.results.no_results else {
            return vec![];
        };
        nr.relaxations
            .iter()
            .map(|r| Suggestion::Relax(r.label.clone(), r.count, r.request.clone()))
            .chain(
                nr.did_you_mean
                    .iter()
                    .map(|n| Suggestion::DidYouMean(n.clone())),
            )
            .collect()
    }

    /// Whether the detail is beside the list (wide terminal).
    pub fn is_wide(&self) -> bool {
        self.size.0 >= WIDE_COLUMNS
    }

    /// Pane rectangles for the current size and focus.
    pub fn areas(&self) -> Areas {
        let (w, h) = self.size;
        let too_small = w < MIN_SIZE.0 || h < MIN_SIZE.1;
        let search = Rect::new(0, 0, w, 3.min(h));
        let chips = Rect::new(0, 3.min(h), w, 1.min(h.saturating_sub(3)));
        let status = Rect::new(0, h.saturating_sub(1), w, 1.min(h));
        let main_h = h.saturating_sub(5);
        let main = Rect::new(0, 4.min(h), w, main_h);
        let has_detail = self.current().is_some();
        let (list, detail) = if self.is_wide() {
            let lw = w * 45 / 100;
            let list = Rect::new(0, main.y, lw, main_h);
            let detail = Rect::new(lw, main.y, w - lw, main_h);
            (list, Some(detail))
        } else if self.focus == Focus::Detail && has_detail {
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

    /// How many hits fit in the list (two lines each, inside a border).
    pub fn list_page(&self) -> usize {
        (usize::from(self.areas().list.height.saturating_sub(2)) / 2).max(1)
    }

    /// Lines of detail visible at once.
    pub fn detail_page(&self) -> usize {
        self.areas().detail.map_or(1, |d| {
            usize::from(d.height.saturating_sub(2 + super::detail::FOOTER_LINES)).max(1)
        })
    }

    fn select(&mut self, to: usize) {
        let last = self.results.hits.len().saturating_sub(1);
        let to = to.min(last);
        if to != self.selected {
            self.detail_scroll = 0;
        }
        self.selected = to;
        self.scroll_list_to_selection();
    }

    fn scroll_list_to_selection(&mut self) {
        let page = self.list_page();
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + page {
            self.list_offset = self.selected + 1 - page;
        }
    }

    fn move_list(&mut self, delta: isize) {
        if self.showing_no_results() {
            let n = self.suggestions().len();
            self.suggestion = self
                .suggestion
                .saturating_add_signed(delta)
                .min(n.saturating_sub(1));
            return;
        }
        self.select(self.selected.saturating_add_signed(delta));
    }

    fn scroll_detail(&mut self, delta: isize) {
        self.detail_scroll = self.detail_scroll.saturating_add_signed(delta);
    }

    fn picker_mut(&mut self, kind: PickerKind) -> PickerMut<'_> {
        match kind {
            PickerKind::Area => PickerMut::Area(&mut self.area_picker),
            PickerKind::Care => PickerMut::Term(&mut self.care_picker),
            PickerKind::Need => PickerMut::Term(&mut self.need_picker),
        }
    }

    fn open_picker(&mut self, kind: PickerKind) {
        match kind {
            PickerKind::Area => {
                let current = self.filters.area;
                self.area_picker.reset(current.as_ref());
            }
            PickerKind::Care => {
                let current = self.filters.care_types.last().cloned();
                self.care_picker.reset(current.as_ref());
            }
            PickerKind::Need => {
                let current = self.filters.needs.last().cloned();
                self.need_picker.reset(current.as_ref());
            }
        }
        self.overlay = Some(Overlay::Picker(kind));
    }

    /// Chooses the picker's selected entry: sets (or, when already set, removes) the filter.
    fn choose(&mut self, kind: PickerKind) {
        let label;
        match kind {
            PickerKind::Area => {
                let Some(e) = self.area_picker.selected() else {
                    self.message = Some(Message::info("一致する地域がありません"));
                    return;
                };
                let v = e.value;
                label = e.label.clone();
                if self.filters.area == Some(v) {
                    self.filters.area = None;
                    self.message = Some(Message::info(format!("地域「{label}」を外しました")));
                } else {
                    self.filters.area = Some(v);
                }
            }
            PickerKind::Care | PickerKind::Need => {
                let (picker, list) = if kind == PickerKind::Care {
                    (&self.care_picker, &mut self.filters.care_types)
                } else {
                    (&self.need_picker, &mut self.filters.needs)
                };
                let Some(e) = picker.selected() else {
                    self.message = Some(Message::info("一致する項目がありません"));
                    return;
                };
                label = e.label.clone();
                if let Some(pos) = list.iter().position(|x| *x == e.value) {
                    list.remove(pos);
                    self.message = Some(Message::info(format!("「{label}」を外しました")));
                } else {
                    list.push(e.value.clone());
                }
            }
        }
        self.overlay = None;
        self.search();
    }

    /// Removes the last chip (ニーズ, then ケア, then 地域 — right to left as shown).
    fn remove_last_chip(&mut self) -> bool {
        let removed = if let Some(n) = self.filters.needs.pop() {
            Some(self.catalog.label_of(&n).to_string())
        } else if let Some(c) = self.filters.care_types.pop() {
            Some(self.catalog.label_of(&c).to_string())
        } else {
            self.filters
                .area
                .take()
                .map(|a| self.catalog.areas.at(a).name.clone())
        };
        match removed {
            Some(label) => {
                self.message = Some(Message::info(format!(
                    "絞り込み「{}」を外しました",
                    sanitize_for_terminal(&label)
                )));
                self.search();
                true
            }
            None => false,
        }
    }

    fn apply_suggestion(&mut self, n: usize) {
        let Some(s) = self.suggestions().into_iter().nth(n) else {
            return;
        };
        match s {
            Suggestion::Relax(label, _, req) => {
                if req.text != self.input.text() {
                    self.input = Input::with_text(&req.text);
                }
                self.filters = Filters {
                    area: req.area,
                    care_types: req.care_types,
                    needs: req.needs,
                };
                self.message = Some(Message::info(sanitize_for_terminal(&label).into_owned()));
            }
            Suggestion::DidYouMean(name) => self.input = Input::with_text(&name),
        }
        self.focus = Focus::Input;
        self.search();
    }

    fn toggle_pin(&mut self, r: usize) {
        let name = sanitize_for_terminal(&self.catalog.record(r).name).into_owned();
        if let Some(pos) = self.shortlist.iter().position(|&x| x == r) {
            self.shortlist.remove(pos);
            self.shortlist_selected = self
                .shortlist_selected
                .min(self.shortlist.len().saturating_sub(1));
            self.message = Some(Message::info(format!(
                "候補リストから外しました: {name}（{}件）",
                self.shortlist.len()
            )));
        } else {
            self.shortlist.push(r);
            self.message = Some(Message::info(format!(
                "候補リストに追加しました: {name}（{}件）",
                self.shortlist.len()
            )));
        }
    }

    /// The read-aloud card of a record, as Markdown (sanitized line by line).
    pub fn card_markdown(&self, r: usize) -> String {
        let md = present::read_aloud_card(&self.catalog, self.catalog.record(r), self.today);
        clean_lines(&md)
    }

    /// The shortlist as one Markdown document.
    pub fn shortlist_markdown(&self) -> String {
        let t = self.today;
        let mut s = format!(
            "# 候補リスト（{:04}-{:02}-{:02}）\n\n",
            t.year, t.month, t.day
        );
        for &r in &self.shortlist {
            s.push_str(&self.card_markdown(r));
            s.push('\n');
        }
        s
    }

    fn copy_card(&mut self, r: usize) {
        let text = self.card_markdown(r);
        self.effects.push(Effect::Copy {
            text,
            what: "カード",
        });
    }

    fn save_card(&mut self, r: usize) {
        let text = self.card_markdown(r);
        let id = file_safe(&self.catalog.record(r).id);
        let t = self.today;
        let file_name = format!(
            "ikenavi-card-{id}-{:04}{:02}{:02}.md",
            t.year, t.month, t.day
        );
        self.effects.push(Effect::Save {
            text,
            file_name,
            what: "カード",
        });
    }

    fn save_shortlist(&mut self) {
        if self.shortlist.is_empty() {
            self.message = Some(Message::info("候補リストは空です（Ctrl-T で追加）"));
            return;
        }
        let t = self.today;
        self.effects.push(Effect::Save {
            text: self.shortlist_markdown(),
            file_name: format!(
                "ikenavi-shortlist-{:04}{:02}{:02}.md",
                t.year, t.month, t.day
            ),
            what: "候補リスト",
        });
    }

    fn nothing_selected(&mut self) {
        self.message = Some(Message::info("選択中の項目がありません"));
    }
}

enum PickerMut<'a> {
    Area(&'a mut Picker<AreaIdx>),
    Term(&'a mut Picker<String>),
}

impl PickerMut<'_> {
    fn insert(self, c: char) {
        match self {
            PickerMut::Area(p) => p.insert(c),
            PickerMut::Term(p) => p.insert(c),
        }
    }
    fn paste(self, s: &str) {
        match self {
            PickerMut::Area(p) => p.paste(s),
            PickerMut::Term(p) => p.paste(s),
        }
    }
    fn edit(self, e: Edit) {
        match self {
            PickerMut::Area(p) => p.edit(e),
            PickerMut::Term(p) => p.edit(e),
        }
    }
    fn move_by(self, d: isize) {
        match self {
            PickerMut::Area(p) => p.move_by(d),
            PickerMut::Term(p) => p.move_by(d),
        }
    }
    fn jump(self, end: bool) {
        match self {
            PickerMut::Area(p) => p.jump(end),
            PickerMut::Term(p) => p.jump(end),
        }
    }
    /// Clears the filter text; false when it was already empty.
    fn clear_filter(self) -> bool {
        match self {
            PickerMut::Area(p) => p.clear_filter(),
            PickerMut::Term(p) => p.clear_filter(),
        }
    }
}

/// Results with nothing in them.
fn empty_results() -> SearchResults {
    SearchResults {
        total: 0,
        hits: vec![],
        understood: Default::default(),
        mode: MatchMode::All,
        no_results: None,
    }
}

/// The message when the search box is full.
fn too_long() -> Message {
    Message::warning(format!(
        "検索欄は{}文字までです（それを超える分は入りません）",
        super::input::MAX_CHARS
    ))
}

/// Each line sanitized (line breaks kept).
fn clean_lines(s: &str) -> String {
    s.lines()
        .map(|l| sanitize_for_terminal(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
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
    match action {
        Action::Resize(w, h) => {
            app.size = (w, h);
            // Grown back after shrinking: no empty rows under the last hit while hits above
            // the first shown would fit.
            let fill = app.results.hits.len().saturating_sub(app.list_page());
            app.list_offset = app.list_offset.min(fill);
            app.scroll_list_to_selection();
        }
        Action::Done(m) => app.message = Some(m),
        Action::Command(Command::Quit) => app.quit = true,
        action => match app.overlay {
            Some(Overlay::Picker(kind)) => picker_update(app, kind, action),
            Some(overlay) => overlay_update(app, overlay, action),
            None => main_update(app, action),
        },
    }
    #[cfg(debug_assertions)]
    super::test_panic_hook("update", app);
}

fn picker_update(app: &mut App, kind: PickerKind, action: Action) {
    match action {
        Action::Insert(c) => app.picker_mut(kind).insert(c),
        Action::Paste(s) => app.picker_mut(kind).paste(&s),
        Action::Edit(e) => app.picker_mut(kind).edit(e),
        Action::Command(cmd) => match cmd {
            Command::Up => app.picker_mut(kind).move_by(-1),
            Command::Down => app.picker_mut(kind).move_by(1),
            Command::PageUp => app.picker_mut(kind).move_by(-10),
            Command::PageDown => app.picker_mut(kind).move_by(10),
            Command::First => app.picker_mut(kind).jump(false),
            Command::Last => app.picker_mut(kind).jump(true),
            Command::Open => app.choose(kind),
            Command::Back => {
                // The first Esc clears the filter text, the next closes the picker.
                let cleared = app.picker_mut(kind).clear_filter();
                if !cleared {
                    app.overlay = None;
                }
            }
            Command::Area => app.open_picker(PickerKind::Area),
            Command::Care => app.open_picker(PickerKind::Care),
            Command::Need => app.open_picker(PickerKind::Need),
            Command::ClearFilters | Command::Help | Command::Shortlist => {
                app.overlay = None;
                main_update(app, Action::Command(cmd));
            }
            _ => {}
        },
        _ => {}
    }
}

fn overlay_update(app: &mut App, overlay: Overlay, action: Action) {
    match (overlay, &action) {
        // Typing always goes to the search box: close the overlay and type.
        (_, Action::Insert(_) | Action::Paste(_) | Action::Edit(_)) => {
            app.overlay = None;
            main_update(app, action);
        }
        (Overlay::Help(s), Action::Command(cmd)) => match cmd {
            Command::Up => app.overlay = Some(Overlay::Help(s.saturating_sub(1))),
            Command::Down => app.overlay = Some(Overlay::Help(s + 1)),
            Command::PageUp => app.overlay = Some(Overlay::Help(s.saturating_sub(10))),
            Command::PageDown => app.overlay = Some(Overlay::Help(s + 10)),
            Command::Back | Command::Help | Command::Open => app.overlay = None,
            _ => {
                app.overlay = None;
                main_update(app, action);
            }
        },
        (Overlay::Card(r, s), Action::Command(cmd)) => match cmd {
            Command::Up => app.overlay = Some(Overlay::Card(r, s.saturating_sub(1))),
            Command::Down => app.overlay = Some(Overlay::Card(r, s + 1)),
            Command::PageUp => app.overlay = Some(Overlay::Card(r, s.saturating_sub(10))),
            Command::PageDown => app.overlay = Some(Overlay::Card(r, s + 10)),
            Command::Back | Command::Card | Command::Open => app.overlay = None,
            Command::Copy => app.copy_card(r),
            Command::Save => app.save_card(r),
            Command::Pin => app.toggle_pin(r),
            _ => {
                app.overlay = None;
                main_update(app, action);
            }
        },
        (Overlay::Shortlist, Action::Command(cmd)) => {
            let n = app.shortlist.len();
            match cmd {
                Command::Up => app.shortlist_selected = app.shortlist_selected.saturating_sub(1),
                Command::Down => {
                    app.shortlist_selected = (app.shortlist_selected + 1).min(n.saturating_sub(1));
                }
                Command::First => app.shortlist_selected = 0,
                Command::Last => app.shortlist_selected = n.saturating_sub(1),
                Command::Open | Command::Card => {
                    if let Some(&r) = app.shortlist.get(app.shortlist_selected) {
                        app.overlay = Some(Overlay::Card(r, 0));
                    }
                }
                Command::Pin => {
                    if let Some(&r) = app.shortlist.get(app.shortlist_selected) {
                        app.toggle_pin(r);
                    }
                }
                Command::Copy => {
                    if n == 0 {
                        app.message = Some(Message::info("候補リストは空です（Ctrl-T で追加）"));
                    } else {
                        let text = app.shortlist_markdown();
                        app.effects.push(Effect::Copy {
                            text,
                            what: "候補リスト",
                        });
                    }
                }
                Command::Save => app.save_shortlist(),
                Command::Back | Command::Shortlist => app.overlay = None,
                _ => {
                    app.overlay = None;
                    main_update(app, action);
                }
            }
        }
        (_, Action::ApplySuggestion(_)) => {
            app.overlay = None;
            main_update(app, action);
        }
        _ => {}
    }
}

fn main_update(app: &mut App, action: Action) {
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
        Action::Edit(Edit::Backspace) if app.input.is_empty() => {
            app.remove_last_chip();
        }
        Action::Edit(e) => {
            if app.input.edit(e) {
                app.focus = Focus::Input;
                app.search_typed();
            }
        }
        Action::ApplySuggestion(n) => {
            if app.showing_no_results() {
                app.apply_suggestion(n);
            }
        }
        Action::Command(cmd) => command(app, cmd),
        Action::Resize(..) | Action::Done(_) => {}
    }
}

fn command(app: &mut App, cmd: Command) {
    let in_detail = app.focus == Focus::Detail && app.current().is_some();
    let page = if in_detail {
        app.detail_page()
    } else {
        app.list_page()
    } as isize;
    match cmd {
        Command::Quit => app.quit = true,
        Command::Up | Command::Down | Command::PageUp | Command::PageDown => {
            let delta = match cmd {
                Command::Up => -1,
                Command::Down => 1,
                Command::PageUp => -page,
                _ => page,
            };
            if in_detail {
                app.scroll_detail(delta);
            } else {
                app.move_list(delta);
            }
        }
        Command::First | Command::Last => {
            let end = cmd == Command::Last;
            if app.focus == Focus::Input && !app.input.is_empty() {
                app.input.edit(if end { Edit::End } else { Edit::Home });
            } else if in_detail {
                app.detail_scroll = if end { usize::MAX / 2 } else { 0 };
            } else if app.showing_no_results() {
                app.suggestion = if end {
                    app.suggestions().len().saturating_sub(1)
                } else {
                    0
                };
            } else {
                app.select(if end { usize::MAX } else { 0 });
            }
        }
        Command::Open => {
            if app.showing_no_results() {
                app.apply_suggestion(app.suggestion);
            } else if in_detail {
                if let Some(r) = app.current() {
                    app.overlay = Some(Overlay::Card(r, 0));
                }
            } else if app.current().is_some() {
                app.focus = Focus::Detail;
                app.detail_scroll = 0;
            } else {
                app.nothing_selected();
            }
        }
        Command::Back => {
            if app.focus != Focus::Input {
                app.focus = Focus::Input;
            } else if !app.input.is_empty() {
                app.input.clear();
                app.search();
            } else if app.esc_armed {
                app.quit = true;
            } else {
                app.esc_armed = true;
                app.message = Some(Message::info("もう一度 Esc で終了します"));
            }
        }
        Command::Focus => {
            app.focus = match app.focus {
                Focus::Input if !app.results.hits.is_empty() => Focus::List,
                Focus::List if app.current().is_some() => Focus::Detail,
                _ => Focus::Input,
            };
        }
        Command::Area => app.open_picker(PickerKind::Area),
        Command::Care => app.open_picker(PickerKind::Care),
        Command::Need => app.open_picker(PickerKind::Need),
        Command::Help => app.overlay = Some(Overlay::Help(0)),
        Command::Card => match app.current() {
            Some(r) => app.overlay = Some(Overlay::Card(r, 0)),
            None => app.nothing_selected(),
        },
        Command::Copy => match app.current() {
            Some(r) => app.copy_card(r),
            None => app.nothing_selected(),
        },
        Command::Save => match app.current() {
            Some(r) => app.save_card(r),
            None if !app.shortlist.is_empty() => app.save_shortlist(),
            None => app.nothing_selected(),
        },
        Command::Pin => match app.current() {
            Some(r) => app.toggle_pin(r),
            None => app.nothing_selected(),
        },
        Command::Shortlist => {
            app.shortlist_selected = 0;
            app.overlay = Some(Overlay::Shortlist);
        }
        Command::ClearFilters => {
            if app.filters.is_empty() {
                app.message = Some(Message::info("絞り込みはありません"));
            } else {
                app.filters = Filters::default();
                app.message = Some(Message::info("絞り込みをすべて解除しました"));
                app.search();
            }
        }
    }
}
