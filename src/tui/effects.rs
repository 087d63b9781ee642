//! The side effects `update` asks for, carried out by the run loop: copying to the clipboard
//! with OSC 52 (the terminal puts it on the system clipboard; works over SSH) and saving
//! Markdown to a new file — written whole (temporary file, then a no-clobber link) and never
//! over an existing one (`-2`, `-3` … are added) — and appending an enquiry that ended to the
//! tally file (silently; only a failure is said).

use std::io::Write;
use std::path::Path;

use super::app::{Effect, Message};
use crate::fsutil::{Access, io_reason};
use crate::text::sanitize::sanitize_for_terminal;

/// Carries out an effect; `out` is the terminal, `save_dir` where files go. Returns the message
/// to show (the saved path, or what failed — in Japanese, with the path it was for), if any: an
/// enquiry appended to the tally says nothing.
pub fn run(effect: Effect, out: &mut impl Write, save_dir: Option<&Path>) -> Option<Message> {
    match effect {
        Effect::Copy { text, what } => Some(match copy_osc52(out, &text) {
            Ok(()) => Message::info(format!(
                "{what}をクリップボードへ送りました（OSC 52・端末が対応していれば貼り付けできます）"
            )),
            Err(e) => Message::error(format!(
                "コピーできませんでした: 端末に送れません（{}）",
                io_reason(&e, Access::Write)
            )),
        }),
        Effect::Save {
            text,
            file_name,
            what,
            printable,
        } => Some(save(
            &text,
            &file_name,
            what,
            printable.as_deref(),
            save_dir,
        )),
        Effect::Tally { path, enquiry } => crate::tally::append(&path, &enquiry).err().map(|e| {
            Message::error(format!(
                "問い合わせの集計を記録できませんでした: {}（{}）",
                io_reason(&e, Access::Write),
                shown(&path)
            ))
        }),
    }
}

/// Saves `text` as a new file `file_name` in `save_dir` (and its printable form beside it).
fn save(
    text: &str,
    file_name: &str,
    what: &str,
    printable: Option<&str>,
    save_dir: Option<&Path>,
) -> Message {
    let Some(dir) = save_dir else {
        return Message::error("保存先のフォルダが見つかりません（HOME が未設定）");
    };
    let target = dir.join(file_name);
    let path = match crate::fsutil::write_new(&target, text.as_bytes()) {
        Ok(path) => path,
        Err(e) => return Message::error(save_failed(&e, &target)),
    };
    let saved = format!("{what}を保存しました: {}", shown(&path));
    let Some(plain) = printable else {
        return Message::info(saved);
    };
    match crate::fsutil::write_new(&path.with_extension("txt"), plain.as_bytes()) {
        Ok(txt) => {
            let name = txt.file_name().map(|n| n.to_string_lossy().into_owned());
            Message::info(format!("{saved}（印刷用 {}）", name.unwrap_or_default()))
        }
        Err(e) => Message::warning(format!(
            "{saved}（印刷用は{}）",
            save_failed(&e, &path.with_extension("txt"))
        )),
    }
}

/// 「保存できませんでした: 書き込みの権限がありません（/path）」.
fn save_failed(e: &std::io::Error, path: &Path) -> String {
    format!(
        "保存できませんでした: {}（{}）",
        io_reason(e, Access::Write),
        shown(path)
    )
}

/// A path as shown in a message: made inert (a folder name may hold anything).
fn shown(path: &Path) -> String {
    sanitize_for_terminal(&path.display().to_string()).into_owned()
}

/// Writes the OSC 52 "set clipboard" sequence for `text`.
pub fn copy_osc52(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    write!(out, "\x1b]52;c;{}\x07", base64(text.as_bytes()))?;
    out.flush()
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn copy_writes_one_osc52_sequence() {
        let mut out = Vec::new();
        let m = run(
            Effect::Copy {
                text: "人工".into(),
                what: "カード",
            },
            &mut out,
            None,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("\x1b]52;c;{}\x07", base64("人工".as_bytes()))
        );
        assert_eq!(m.level, super::super::app::Level::Info);
    }

    #[test]
    fn save_shows_the_path_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let save = |text: &str| {
            run(
                Effect::Save {
                    text: text.into(),
                    file_name: "card.md".into(),
                    what: "カード",
                    printable: None,
                },
                &mut Vec::new(),
                Some(dir.path()),
            )
            .unwrap()
        };
        let first = save("one");
        assert!(
            first
                .text
                .contains(&dir.path().join("card.md").display().to_string()),
            "{}",
            first.text
        );
        let second = save("two");
        assert!(second.text.contains("card-2.md"), "{}", second.text);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("card.md")).unwrap(),
            "one"
        );
        let ro = dir.path().join("missing/\0bad");
        let failed = run(
            Effect::Save {
                text: "x".into(),
                file_name: "c.md".into(),
                what: "カード",
                printable: None,
            },
            &mut Vec::new(),
            Some(&ro),
        )
        .unwrap();
        assert_eq!(failed.level, super::super::app::Level::Error);
        assert!(
            failed
                .text
                .starts_with("保存できませんでした: パスに使えない文字があります（"),
            "{}",
            failed.text
        );
    }

    /// A save that fails says why in Japanese and names the file it was for, made inert (a
    /// folder name may hold an escape sequence); no English system message.
    #[test]
    fn a_failed_save_says_why_in_japanese_with_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-folder");
        std::fs::write(&file, "x").unwrap();
        let save_dir = file.join("sub\x1b[31m");
        let failed = run(
            Effect::Save {
                text: "x".into(),
                file_name: "c.md".into(),
                what: "カード",
                printable: None,
            },
            &mut Vec::new(),
            Some(&save_dir),
        )
        .unwrap();
        assert_eq!(failed.level, super::super::app::Level::Error);
        assert_eq!(
            failed.text,
            format!(
                "保存できませんでした: パスの途中にフォルダではなくファイルがあります（{}/sub[31m/c.md）",
                file.display()
            )
        );
    }

    /// A terminal that refuses the copy: the message is Japanese too.
    #[test]
    fn a_failed_copy_says_why_in_japanese() {
        struct Refusing;
        impl Write for Refusing {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::PermissionDenied.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let m = run(
            Effect::Copy {
                text: "人工".into(),
                what: "カード",
            },
            &mut Refusing,
            None,
        )
        .unwrap();
        assert_eq!(m.level, super::super::app::Level::Error);
        assert_eq!(
            m.text,
            "コピーできませんでした: 端末に送れません（書き込みの権限がありません）"
        );
    }

    /// A slip with a printable form is saved as two files with one stem, named in one message.
    #[test]
    fn a_printable_form_is_saved_beside_the_markdown() {
        let dir = tempfile::tempdir().unwrap();
        let m = run(
            Effect::Save {
                text: "# md".into(),
                file_name: "slip.md".into(),
                what: "候補リスト",
                printable: Some("plain".into()),
            },
            &mut Vec::new(),
            Some(dir.path()),
        )
        .unwrap();
        assert!(m.text.ends_with("slip.md（印刷用 slip.txt）"), "{}", m.text);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("slip.txt")).unwrap(),
            "plain"
        );
    }

    /// An enquiry appended says nothing; one that cannot be says why, with the file.
    #[test]
    fn a_tally_line_is_appended_silently_and_a_failure_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let enquiry = crate::tally::Enquiry {
            v: crate::tally::VERSION,
            date: "2026-12-07".into(),
            area: Some("35321".into()),
            care: vec![],
            needs: vec![],
            services: vec![24],
            outcome: crate::tally::Outcome::Far,
        };
        let path = dir.path().join("state/tally.jsonl");
        let tally = |path: &Path| Effect::Tally {
            path: path.to_path_buf(),
            enquiry: enquiry.clone(),
        };
        assert_eq!(run(tally(&path), &mut Vec::new(), None), None);
        assert_eq!(run(tally(&path), &mut Vec::new(), None), None);
        let read = crate::tally::read(&path).unwrap();
        assert_eq!(read.enquiries, [enquiry.clone(), enquiry.clone()]);
        let blocked = dir.path().join("a-file");
        std::fs::write(&blocked, "x").unwrap();
        let m = run(tally(&blocked.join("tally.jsonl")), &mut Vec::new(), None).unwrap();
        assert_eq!(m.level, super::super::app::Level::Error);
        assert!(
            m.text
                .starts_with("問い合わせの集計を記録できませんでした: ")
                && m.text.ends_with("a-file/tally.jsonl）"),
            "{}",
            m.text
        );
    }
}
