//! End-to-end test of the interactive UI in a real pseudo-terminal: the built binary runs in an
//! 80×24 pty with temporary HOME/XDG dirs, keys are written as a terminal would send them, and
//! the screen is read back through a vt100 parser. Every wait polls the screen with a generous
//! timeout (no fixed sleeps), so it holds on a loaded 2-core CI machine.

#![cfg(unix)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How long any one expectation may take (start-up of a debug build included).
const TIMEOUT: Duration = Duration::from_secs(30);

struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    home: tempfile::TempDir,
    /// Asks the reader thread to stop after its next read (and close its end of the pty).
    stop_reading: Arc<AtomicBool>,
    reader: std::thread::JoinHandle<()>,
}

impl Session {
    fn start() -> Session {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let home = tempfile::tempdir().expect("tempdir");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_ikenavi"));
        cmd.cwd(home.path());
        cmd.env("HOME", home.path());
        for (var, dir) in [
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_DATA_HOME", "data"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_CACHE_HOME", "cache"),
        ] {
            cmd.env(var, home.path().join(dir));
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env_remove("IKENAVI_DATA");
        let child = pair.slave.spawn_command(cmd).expect("spawn ikenavi");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(24).unwrap(),
            NonZeroU16::new(80).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (Arc::clone(&parser), Arc::clone(&raw));
        let stop_reading = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&stop_reading);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
                if stop.load(Ordering::Relaxed) {
                    break;
                }
            }
        });
        Session {
            parser,
            raw,
            writer,
            child,
            _master: pair.master,
            home,
            stop_reading,
            reader,
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    fn contents(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen satisfies `pred`; panics with the screen after the timeout.
    fn wait_for(&mut self, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
        let start = Instant::now();
        loop {
            if pred(self.parser.lock().unwrap().screen()) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "ikenavi exited ({status:?}) while waiting for {what}:\n{}",
                    self.contents()
                );
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; screen:\n{}", self.contents());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_for_text(&mut self, text: &str) {
        let t = text.to_string();
        self.wait_for(text, move |s| s.contents().contains(&t));
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            if start.elapsed() > TIMEOUT {
                let _ = self.child.kill();
                panic!("ikenavi did not exit; screen:\n{}", self.contents());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The text of one screen row.
fn row(s: &vt100::Screen, r: u16) -> String {
    s.contents()
        .lines()
        .nth(usize::from(r))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn search_pick_an_area_open_the_detail_and_quit_cleanly() {
    let mut s = Session::start();
    s.wait_for("the UI", |sc| {
        sc.alternate_screen() && sc.contents().contains("医ケアナビ")
    });

    // Typing CJK text searches on every keystroke; the caret follows in display cells.
    s.send("人工呼吸器".as_bytes());
    s.wait_for_text("ピッコロ");
    s.wait_for("the caret after 人工呼吸器", |sc| {
        sc.cursor_position() == (1, 16)
    });

    // Clear the box (Ctrl-U), then F2, `waki`, Enter → a 和木町 chip and its results.
    s.send(b"\x15");
    s.wait_for("an empty box", |sc| row(sc, 1).contains("キーワード（例"));
    s.send(b"\x1bOQ");
    s.wait_for_text("地域を選ぶ");
    s.send(b"waki");
    s.wait_for("和木町 selected in the picker", |sc| {
        sc.contents().lines().any(|l| l.contains(">  和木町"))
    });
    s.send(b"\r");
    s.wait_for("the 和木町 chip and results", |sc| {
        let text = sc.contents();
        let chip = row(sc, 3).contains("地域:和木町");
        let has_hits = text
            .lines()
            .any(|l| l.contains("結果 ") && !l.contains("結果 0件"));
        chip && has_hits && !text.contains("地域を選ぶ")
    });

    // Enter opens the detail (full width at 80 columns) with its sources.
    s.send(b"\r");
    s.wait_for_text("出典");
    s.wait_for_text("詳細");

    // Ctrl-C quits with status 0 and leaves the alternate screen.
    s.send(b"\x03");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    // Let the reader thread drain what was written before the exit.
    let start = Instant::now();
    while s.parser.lock().unwrap().screen().alternate_screen() && start.elapsed() < TIMEOUT {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !s.parser.lock().unwrap().screen().alternate_screen(),
        "still on the alternate screen"
    );
    let raw = s.raw.lock().unwrap().clone();
    assert!(
        raw.windows(8).any(|w| w == b"\x1b[?1049l"),
        "no leave-alternate-screen sequence in the output"
    );

    // Privacy: nothing typed was written to disk; the state file holds only filters.
    for entry in walk(s.home.path()) {
        let bytes = std::fs::read(&entry).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("人工呼吸器") && !text.contains("waki"),
            "{} holds query text",
            entry.display()
        );
    }
}

#[test]
fn sigterm_restores_the_terminal_and_exits_non_zero() {
    let mut s = Session::start();
    s.wait_for("the UI", |sc| {
        sc.alternate_screen() && sc.contents().contains("医ケアナビ")
    });
    let pid = s.child.process_id().expect("pid");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let status = s.wait_exit();
    assert!(!status.success(), "exit status {status:?}");
    let start = Instant::now();
    while s.parser.lock().unwrap().screen().alternate_screen() && start.elapsed() < TIMEOUT {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!s.parser.lock().unwrap().screen().alternate_screen());
    s.wait_for_text("SIGTERM");
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn a_closed_terminal_ends_the_program_instead_of_spinning() {
    let mut s = Session::start();
    s.wait_for("the UI", |sc| {
        sc.alternate_screen() && sc.contents().contains("医ケアナビ")
    });
    // Stop the reader thread (it closes its copy of the master when it returns): ask it to,
    // then make the UI print something so that its blocked read returns.
    s.stop_reading.store(true, Ordering::Relaxed);
    s.send(b"a");
    let Session {
        mut child,
        writer,
        _master,
        reader,
        ..
    } = s;
    reader.join().expect("reader thread");
    // Hang up: close every remaining handle on the pty's master side.
    drop(writer);
    drop(_master);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("ikenavi kept running after its terminal was closed");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(!status.success(), "exit status {status:?}");
}
