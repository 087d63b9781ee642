//! The interactive terminal UI (SPEC §4), in the Elm shape: the keymap turns a terminal event
//! into an [`app::Action`] (`handle_event`), [`app::update`] changes the [`app::App`] state
//! without I/O, and [`view::view`] draws it. This module is the run loop around them: one
//! synchronous loop on crossterm events that redraws after every keystroke and resize, carries
//! out the effects `update` queues (clipboard, saving), and restores the terminal on every way
//! out — quit, error, panic (a hook that restores, then calls the previous hook), SIGTERM /
//! SIGHUP / SIGINT (on Windows: the console window closed, Ctrl-Break, logoff, shutdown), and
//! a terminal that went away. Ended from outside (a signal, the terminal gone), it keeps a
//! shortlist not saved yet in the state file for the next start ([`state_at_end`]) and says
//! so on stderr. However the session ends, the enquiry open is counted when the tally is on
//! ([`tally`], [`end_tally`]).
//!
//! Debug builds only: a hidden test hook, `test_panic_hook` (`IKENAVI_TEST_PANIC`), makes
//! the UI panic on purpose so that `tests/it/tui_pty.rs` can check the panic path.

pub mod app;
pub mod card;
pub mod cells;
mod commands;
pub mod detail;
pub mod effects;
pub mod help;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod log;
pub mod no_results;
mod overlay;
pub mod picker;
pub mod results;
pub mod search_box;
pub mod shortlist;
pub mod status;
pub mod tally;
pub mod theme;
pub mod view;

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::config::{self, State};
use crate::directory::{AreaNameError, Catalog, DataSource};
use crate::present::Ymd;
use crate::text::sanitize::sanitize_lines_for_terminal;
use app::{Action, App, Filters, update};
use keymap::Keymap;

/// How the UI was asked to start, besides the config.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// `--tally`: count the enquiries (as `tally = true` in the config).
    pub tally: bool,
}

/// Everything the UI needs to start, gathered before the terminal is touched.
pub struct Startup {
    /// The UI state, searched once.
    pub app: App,
    /// Where the last filters are kept.
    pub state_path: Option<PathBuf>,
    /// Where saved cards go.
    pub save_dir: Option<PathBuf>,
}

/// Why the loop ended other than by quitting.
#[derive(Debug, thiserror::Error)]
pub enum UiError {
    /// A signal asked us to stop.
    #[error("ikenavi: {0} を受けて終了しました（端末は元に戻しました）")]
    Signal(&'static str),
    /// The terminal went away (hang-up, closed input).
    #[error("ikenavi: 端末が閉じられたため終了しました")]
    HangUp,
    /// The terminal failed (closed, unreadable).
    #[error("ikenavi: 端末の入出力に失敗しました（{}）", crate::fsutil::io_reason(.0, crate::fsutil::Access::Write))]
    Io(#[from] io::Error),
    /// The UI could not start (the directory failed to load …): the message, made inert for
    /// the terminal — it may quote the data file (a key holding an escape sequence).
    #[error("{0}")]
    Start(String),
    /// The directory could not be opened (checked before the terminal changes).
    #[error(transparent)]
    Open(#[from] crate::search::cache::OpenError),
}

/// Loads the config and the directory (`data`: every layer, the config's `data` files
/// included), builds the engine and the state. Config problems become warnings; a directory
/// that fails to load is an error (before the terminal changes).
pub fn prepare(data: &DataSource, size: (u16, u16)) -> Result<Startup, UiError> {
    prepare_with(data, size, Options::default())
}

/// [`prepare`], with the options of the command line.
pub fn prepare_with(
    data: &DataSource,
    size: (u16, u16),
    options: Options,
) -> Result<Startup, UiError> {
    let loaded = config::load();
    let mut warnings = loaded.warnings;
    let cfg = loaded.config;
    let opened = crate::search::cache::open_telling(
        data,
        crate::search::cache::default_cache_root().as_deref(),
        &mut say_building,
    )?;
    warnings.extend(opened.notice);
    let (catalog, engine) = (opened.catalog, opened.engine);
    let (keymap, key_warnings) = Keymap::with_overrides(&cfg.keys);
    warnings.extend(key_warnings);
    let state_path = config::state_path();
    let state = match state_path.as_deref().map(State::load_from) {
        Some(Ok(state)) => state,
        Some(Err(warning)) => {
            warnings.push(warning);
            None
        }
        None => None,
    };
    let mut filters = initial_filters(
        &catalog,
        cfg.home_area.as_deref(),
        state.as_ref(),
        &mut warnings,
    );
    if let Some(km) = cfg.within_km {
        filters.within_km = km;
    }
    let mut app = App::new(catalog, engine, keymap, Ymd::today(), size);
    app.theme = theme::Theme::from_env();
    if cfg.tally || options.tally {
        match crate::tally::default_path() {
            Some(path) => app.enable_tally(path),
            None => warnings.push(
                "問い合わせの集計を残すフォルダがありません（HOME が未設定）— 集計はしません"
                    .into(),
            ),
        }
    }
    app.set_filters(filters);
    app.set_warnings(warnings);
    if let Some(kept) = state.as_ref().map(|s| &s.shortlist) {
        app.restore_kept_shortlist(kept);
    }
    Ok(Startup {
        app,
        state_path,
        save_dir: config::save_dir(),
    })
}

/// What the first start after an install says at once, before the index is built (a few
/// seconds), on the terminal the UI is about to take over.
pub const BUILDING_NOTICE: &str = "索引を作成しています…（初回だけ、数秒かかります）";

fn say_building() {
    use std::io::IsTerminal;
    let mut err = io::stderr();
    if err.is_terminal() {
        let _ = writeln!(err, "{BUILDING_NOTICE}");
        let _ = err.flush();
    }
}

/// The filters a session starts with: the configured home area; without one, the area of
/// the last session. Care types and needs start empty — they belong to one caller.
pub fn initial_filters(
    catalog: &Catalog,
    home_area: Option<&str>,
    state: Option<&State>,
    warnings: &mut Vec<String>,
) -> Filters {
    let mut f = Filters::default();
    if let Some(home) = home_area {
        let home_text = crate::text::sanitize::sanitize_for_terminal(home);
        match catalog.resolve_area(home) {
            Ok(a) => f.area = Some(a),
            Err(AreaNameError::Unknown(e)) => warnings.push(format!(
                "設定 home_area「{home_text}」が見つかりません{}",
                if e.suggestions.is_empty() {
                    String::new()
                } else {
                    format!("（候補: {}）", e.suggestions.join("・"))
                }
            )),
            Err(AreaNameError::Ambiguous(e)) => warnings.push(format!(
                "設定 home_area「{home_text}」は{}か所にあります — コードか正式名で指定してください（{}）",
                e.candidates.len(),
                e.candidates.join("・")
            )),
        }
    } else if let Some(area) = state.and_then(|s| s.area.as_deref()) {
        f.area = catalog.areas.index_of(area);
    }
    f
}

/// The filters to remember: ids only, never the query.
pub fn state_of(app: &App) -> State {
    State {
        area: app.filters.area.map(|a| app.catalog.areas.at(a).id.clone()),
        care_types: app.filters.care_types.clone(),
        needs: app.filters.needs.clone(),
        shortlist: vec![],
    }
}

/// The state to keep when the session was ended from outside (`outcome`: a signal, the
/// terminal closed or failed): the filters, and a shortlist not saved yet (its ids) — it would
/// otherwise be lost with nobody asked. How many records it keeps is the second value.
pub fn state_at_end(app: &App, outcome: &Result<(), UiError>) -> (State, usize) {
    let mut state = state_of(app);
    // A closed terminal ends the session as an end of input (HangUp) or, when the UI was
    // drawing at that moment, as a failed write (Io): either way nobody was asked.
    let from_outside = matches!(
        outcome,
        Err(UiError::Signal(_) | UiError::HangUp | UiError::Io(_))
    );
    if from_outside && app.shortlist_unsaved {
        state.shortlist = app.shortlist.iter().map(|e| e.id(&app.catalog)).collect();
    }
    let kept = state.shortlist.len();
    (state, kept)
}

/// Ends the session's enquiry, if the tally is on and one is open, and appends it: what the
/// loop would have done had the session gone on. A failure is said on stderr.
pub fn end_tally(app: &mut App) {
    app.end_enquiry();
    for effect in std::mem::take(&mut app.effects) {
        if matches!(effect, app::Effect::Tally { .. })
            && let Some(m) = effects::run(effect, &mut io::sink(), None)
        {
            let _ = writeln!(
                io::stderr(),
                "ikenavi: {}",
                sanitize_lines_for_terminal(&m.text)
            );
        }
    }
}

/// Starts the UI on a terminal and runs it until the clerk quits.
pub fn run(data: &DataSource, options: Options) -> Result<(), UiError> {
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let Startup {
        mut app,
        state_path,
        save_dir,
    } = prepare_with(data, size, options)
        .map_err(|e| UiError::Start(sanitize_lines_for_terminal(&format!("{e:#}")).into_owned()))?;
    let signal = Arc::new(AtomicUsize::new(0));
    watch_signals(Arc::clone(&signal))?;
    watch_hangup()?;
    install_panic_hook();
    let outcome = {
        let _guard = TerminalGuard::enter()?;
        let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        run_loop(&mut terminal, &mut app, &signal, save_dir.as_deref())
    };
    // The terminal is restored here (guard dropped), whatever happened.
    end_tally(&mut app);
    let (state, kept) = state_at_end(&app, &outcome);
    // Not eprintln!: stderr may be the terminal that just went away.
    let say = |text: String| {
        let _ = writeln!(io::stderr(), "{}", sanitize_lines_for_terminal(&text));
    };
    match state_path.as_deref().map(|p| (p, state.save_to(p))) {
        Some((p, Ok(()))) if kept > 0 => say(format!(
            "ikenavi: 保存していない候補リスト（{kept}件）は次回の起動時に戻します（{}）",
            p.display()
        )),
        Some((_, Ok(()))) => {}
        Some((p, Err(e))) => say(format!(
            "ikenavi: 絞り込み{}を次回のために保存できませんでした（{}: {}）{}",
            if kept > 0 { "と候補リスト" } else { "" },
            p.display(),
            crate::fsutil::io_reason(&e, crate::fsutil::Access::Write),
            lost_shortlist(&app, kept)
        )),
        None if kept > 0 => say(format!(
            "ikenavi: 状態フォルダがないため候補リストを次回に残せませんでした{}",
            lost_shortlist(&app, kept)
        )),
        None => {}
    }
    outcome
}

/// The names of a shortlist that could not be kept, for stderr: the last place it is told.
fn lost_shortlist(app: &App, kept: usize) -> String {
    if kept == 0 {
        return String::new();
    }
    let names: Vec<String> = app.shortlist.iter().map(|e| e.name(&app.catalog)).collect();
    format!("\n候補リスト（{kept}件）: {}", names.join("・"))
}

fn signal_name(n: usize) -> &'static str {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        match n as i32 {
            SIGTERM => return "SIGTERM",
            SIGHUP => return "SIGHUP",
            SIGINT => return "SIGINT",
            _ => {}
        }
    }
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::Console::{
            CTRL_BREAK_EVENT, CTRL_C_EVENT, CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT,
            CTRL_SHUTDOWN_EVENT,
        };
        // `watch_console_events` stores the event + 1 (Ctrl-C is event 0, and 0 is "none").
        match u32::try_from(n.wrapping_sub(1)) {
            Ok(CTRL_C_EVENT) => return "Ctrl-C",
            Ok(CTRL_BREAK_EVENT) => return "Ctrl-Break",
            Ok(CTRL_CLOSE_EVENT) => return "コンソールを閉じる操作",
            Ok(CTRL_LOGOFF_EVENT) => return "ログオフ",
            Ok(CTRL_SHUTDOWN_EVENT) => return "シャットダウン",
            _ => {}
        }
    }
    let _ = n;
    "シグナル"
}

/// The loop: draw, wait for an event (or a signal), apply it and whatever else is already
/// queued, carry out effects; until `app.quit`.
fn run_loop<W: Write>(
    terminal: &mut Terminal<CrosstermBackend<W>>,
    app: &mut App,
    signal: &AtomicUsize,
    save_dir: Option<&std::path::Path>,
) -> Result<(), UiError> {
    loop {
        let size = terminal.size()?;
        if (size.width, size.height) != app.size {
            update(app, Action::Resize(size.width, size.height));
        }
        terminal.draw(|f| view::view(app, f))?;
        // Wait for input, checking for signals and a vanished terminal between polls.
        loop {
            let s = signal.load(Ordering::Relaxed);
            if s != 0 {
                return Err(UiError::Signal(signal_name(s)));
            }
            if event_ready(100)? {
                break;
            }
        }
        // Apply everything already queued (a burst of keys, an IME commit, a paste without
        // bracketed paste, key repeat) before the next frame, searching once at the end.
        app.begin_batch();
        let mut handled = 0;
        while handled == 0 || (handled < 512 && event_ready(0)?) {
            let ev = event::read()?;
            handled += 1;
            if let Some(action) = app.keymap.handle_event(&ev) {
                update(app, action);
            }
            for effect in std::mem::take(&mut app.effects) {
                if let Some(msg) = effects::run(effect, terminal.backend_mut(), save_dir) {
                    update(app, Action::Done(msg));
                }
            }
            if app.quit {
                return Ok(());
            }
        }
        app.end_batch();
    }
}

/// Whether crossterm has an event to read, waiting up to `timeout_ms` for one; `HangUp` when
/// the terminal is gone. Events crossterm has already read and queued count first: a burst of
/// keys (an IME commit, a paste) arrives in one read, and waiting on the terminal for more
/// bytes would hold each queued key back by the whole timeout.
fn event_ready(timeout_ms: i32) -> Result<bool, UiError> {
    // crossterm's reader spins forever on a hung-up terminal, so it is only asked after this
    // says the terminal is still there.
    if wait_for_input(0) == Wait::HangUp {
        return Err(UiError::HangUp);
    }
    // Also picks up what crossterm saw meanwhile (a resize).
    if event::poll(Duration::ZERO)? {
        return Ok(true);
    }
    match wait_for_input(timeout_ms) {
        Wait::HangUp => Err(UiError::HangUp),
        Wait::Ready => Ok(event::poll(Duration::ZERO)?),
        Wait::Timeout => Ok(false),
    }
}

/// What waiting for terminal input found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    /// Input is waiting.
    Ready,
    /// Nothing yet (or a signal interrupted the wait).
    Timeout,
    /// The terminal hung up or input was closed.
    HangUp,
}

/// Waits up to `timeout_ms` for input on the terminal. crossterm's reader spins forever on a
/// hung-up terminal, so it is only called after this says the terminal is still there.
#[cfg(unix)]
fn wait_for_input(timeout_ms: i32) -> Wait {
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: `fd` is one valid, initialized pollfd and the count is 1.
    let n = unsafe { libc::poll(&mut fd, 1, timeout_ms) };
    if n <= 0 {
        return Wait::Timeout;
    }
    if fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        Wait::HangUp
    } else {
        Wait::Ready
    }
}

#[cfg(not(unix))]
fn wait_for_input(timeout_ms: i32) -> Wait {
    match event::poll(Duration::from_millis(timeout_ms.max(0) as u64)) {
        Ok(true) => Wait::Ready,
        Ok(false) => Wait::Timeout,
        Err(_) => Wait::HangUp,
    }
}

/// A watchdog for standard input hanging up. The loop notices a hang-up itself before it asks
/// crossterm for input — but the terminal can go between that check and crossterm's read (a
/// window closed while a paste is being read), and crossterm then spins forever (the read
/// returns 0 bytes, it reads again). A controlling terminal also sends SIGHUP, which
/// [`watch_signals`] handles; input from any other terminal does not. So: once input has hung
/// up, the loop has two seconds to end by itself; otherwise the terminal is restored and the
/// program exits, as for SIGHUP.
fn watch_hangup() -> io::Result<()> {
    #[cfg(unix)]
    std::thread::Builder::new()
        .name("ikenavi-hangup".into())
        .spawn(|| {
            // No events asked for: poll reports only a hang-up or an error, and blocks
            // until then.
            let mut fd = libc::pollfd {
                fd: libc::STDIN_FILENO,
                events: 0,
                revents: 0,
            };
            loop {
                // SAFETY: `fd` is one valid, initialized pollfd and the count is 1.
                let n = unsafe { libc::poll(&mut fd, 1, -1) };
                if n > 0 {
                    break;
                }
                if n < 0 && io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                    return;
                }
            }
            std::thread::sleep(Duration::from_secs(2));
            restore_terminal_from_watchdog();
            let _ = writeln!(io::stderr(), "{}", UiError::HangUp);
            std::process::exit(1);
        })?;
    Ok(())
}

/// Records SIGTERM / SIGHUP / SIGINT in `flag` for the loop. Should the loop not end within
/// two seconds (stuck on a dead terminal), a watchdog restores the terminal and exits.
fn watch_signals(flag: Arc<AtomicUsize>) -> io::Result<()> {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
        std::thread::Builder::new()
            .name("ikenavi-signals".into())
            .spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    flag.store(sig as usize, Ordering::Relaxed);
                    std::thread::sleep(Duration::from_secs(2));
                    restore_terminal_from_watchdog();
                    let _ = writeln!(
                        io::stderr(),
                        "{}",
                        UiError::Signal(signal_name(sig as usize))
                    );
                    std::process::exit(128 + sig);
                }
            })?;
    }
    #[cfg(windows)]
    watch_console_events(flag)?;
    #[cfg(not(any(unix, windows)))]
    let _ = flag;
    Ok(())
}

/// Windows has no signals: closing the console window, Ctrl-Break, logging off and shutting
/// down arrive as console control events, each on a thread Windows starts for the handler, and
/// the process ends as soon as the handler returns (a closed window ends it after ~5 s in any
/// case). So, as for a signal on Unix: the event is recorded in `flag` for the loop, which ends
/// and restores the terminal; should it not within two seconds, the handler restores it and
/// exits. (Ctrl-C is a key in raw mode; as an event it only comes before or after the UI.)
#[cfg(windows)]
fn watch_console_events(flag: Arc<AtomicUsize>) -> io::Result<()> {
    use windows_sys::Win32::System::Console::SetConsoleCtrlHandler;
    static FLAG: std::sync::OnceLock<Arc<AtomicUsize>> = std::sync::OnceLock::new();

    extern "system" fn handler(event: u32) -> windows_sys::core::BOOL {
        let n = event as usize + 1;
        if let Some(flag) = FLAG.get() {
            flag.store(n, Ordering::Relaxed);
        }
        std::thread::sleep(Duration::from_secs(2));
        restore_terminal_from_watchdog();
        let _ = writeln!(io::stderr(), "{}", UiError::Signal(signal_name(n)));
        std::process::exit(1);
    }

    if FLAG.set(flag).is_err() {
        // Already watching (the UI started twice in one process): the first flag stands.
        return Ok(());
    }
    // SAFETY: registers a function with the signature Windows calls, which lives as long as
    // the process.
    if unsafe { SetConsoleCtrlHandler(Some(handler), 1) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Whether the terminal is in the UI's modes and still to be restored.
static TERMINAL_CHANGED: AtomicBool = AtomicBool::new(false);

/// Puts the terminal in raw mode on the alternate screen with bracketed paste; restores it on
/// drop (also when unwinding).
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        enable_raw_mode()?;
        TERMINAL_CHANGED.store(true, Ordering::SeqCst);
        let guard = TerminalGuard;
        execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Leaves the alternate screen, turns bracketed paste and raw mode off and shows the cursor.
/// Does it once: leaving the alternate screen restores the cursor saved on entering it, so a
/// second time (the guard unwinding after the panic hook restored) would move the cursor back
/// up over what was printed in between — the panic message — and the shell prompt would
/// overwrite it. Safe to call any number of times; errors are ignored (the terminal may be
/// gone).
pub fn restore_terminal() {
    if !TERMINAL_CHANGED.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// [`restore_terminal`] for a watchdog thread, while the loop is stuck: it may be stuck inside a
/// write to the terminal, holding the lock of `stdout`, so the sequences go to the file
/// descriptor (on Windows, the handle) directly — on a terminal that hung up the write fails
/// at once instead.
fn restore_terminal_from_watchdog() {
    #[cfg(unix)]
    {
        if !TERMINAL_CHANGED.swap(false, Ordering::SeqCst) {
            return;
        }
        // Bracketed paste off, leave the alternate screen, show the cursor.
        let seq = b"\x1b[?2004l\x1b[?1049l\x1b[?25h";
        // SAFETY: writes `seq.len()` bytes from a valid buffer to file descriptor 1.
        let _ = unsafe { libc::write(libc::STDOUT_FILENO, seq.as_ptr().cast(), seq.len()) };
        let _ = disable_raw_mode();
    }
    #[cfg(windows)]
    {
        use std::os::windows::io::{AsRawHandle, FromRawHandle};
        if !TERMINAL_CHANGED.swap(false, Ordering::SeqCst) {
            return;
        }
        let seq = b"\x1b[?2004l\x1b[?1049l\x1b[?25h";
        // `Stdout::as_raw_handle` takes no lock. SAFETY: the handle is the process's standard
        // output, valid while it runs; `ManuallyDrop` leaves it open.
        let mut out = std::mem::ManuallyDrop::new(unsafe {
            std::fs::File::from_raw_handle(io::stdout().as_raw_handle())
        });
        let _ = out.write_all(seq);
        let _ = disable_raw_mode();
    }
    #[cfg(not(any(unix, windows)))]
    restore_terminal();
}

/// A panic hook that restores the terminal first, then runs the previous hook (which prints
/// the message on the normal screen).
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}

/// Hidden test hook, compiled only into debug builds (`debug_assertions`); release builds have
/// no such code and ignore the variable. With `IKENAVI_TEST_PANIC=update` the UI panics inside
/// [`app::update`], with `IKENAVI_TEST_PANIC=render` inside [`view::view`] (i.e. during
/// `Terminal::draw`) — in both cases as soon as the search box holds text, so the first key
/// typed after start triggers it. `tests/it/tui_pty.rs` uses it to check that a panic restores
/// the terminal (raw mode off, alternate screen left, cursor shown, message kept on screen)
/// and exits non-zero.
#[cfg(debug_assertions)]
pub(crate) fn test_panic_hook(at: &str, app: &App) {
    static ARMED: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let armed = ARMED.get_or_init(|| std::env::var("IKENAVI_TEST_PANIC").ok());
    if armed.as_deref() == Some(at) && !app.input.is_empty() {
        panic!("IKENAVI_TEST_PANIC={at}: a deliberate panic for the tests");
    }
}

#[cfg(test)]
mod tests;
