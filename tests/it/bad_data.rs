//! The bad-data corpus (issue 6): every kind of broken directory file is refused with a precise
//! message by `validate`, by `--data` on the other commands and by the UI's loader — exit 1,
//! no panic, nothing half-loaded. A UTF-8 BOM and very large valid files are accepted
//! (documented in README "Reliability"). Small cases are files under tests/fixtures/invalid
//! (see cli_validate.rs); the large ones are generated here into a temporary directory.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common;

fn ikenavi(args: &[&str]) -> Output {
    common::command()
        .args(args)
        .env(
            "XDG_CACHE_HOME",
            std::env::temp_dir().join("ikenavi-bad-data-cache"),
        )
        .output()
        .expect("run ikenavi")
}

fn minimal() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal.json"),
    )
    .unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Validate, list and search must all refuse the file with the same located message.
fn refused_everywhere(path: &Path, location: &str, message: &str) {
    let p = path.to_str().unwrap();
    for args in [
        vec!["validate", p],
        vec!["--data", p, "list", "--json"],
        vec!["--data", p, "search", "--json", "相談"],
    ] {
        let out = ikenavi(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            out.stdout.is_empty(),
            "{args:?} printed output from a broken file"
        );
        assert!(
            err.contains(&format!("{p}{location}")),
            "{args:?}: wanted {location:?} in {err}"
        );
        assert!(
            err.contains(message),
            "{args:?}: wanted {message:?} in {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    // The UI's loader refuses it before touching the terminal.
    let err = match ikenavi::tui::prepare(
        &ikenavi::directory::DataSource::only(vec![path.into()]),
        (80, 24),
    ) {
        Ok(_) => panic!("the UI loaded a broken file"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains(message), "UI loader: {err}");
}

#[test]
fn invalid_utf8_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = minimal().into_bytes();
    let at = minimal().find("テスト連絡会").unwrap();
    bytes[at] = 0xff;
    let p = write(dir.path(), "utf8.json", &bytes);
    refused_everywhere(&p, ":42:16: ", "UTF-8 として読めないバイトがあります");
}

#[test]
fn nul_bytes_raw_and_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let raw = minimal().replace("関係機関の連絡会", "関係機関の\0連絡会");
    let p = write(dir.path(), "nul-raw.json", raw.as_bytes());
    refused_everywhere(
        &p,
        ":44:",
        "JSON の書き方の誤り: 文字列の中に制御文字（改行・タブなど）がそのまま書かれています",
    );
    let escaped = minimal().replace("関係機関の連絡会", "関係機関の\\u0000連絡会");
    let p = write(dir.path(), "nul-escaped.json", escaped.as_bytes());
    refused_everywhere(
        &p,
        ":44:18: resources[1].summary: ",
        "文字列に制御文字 U+0000 が入っています",
    );
}

#[test]
fn byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(minimal().as_bytes());
    let p = write(dir.path(), "bom.json", &bytes);
    let out = ikenavi(&["validate", p.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn deep_nesting_is_a_type_error_and_deeper_a_syntax_error() {
    let dir = tempfile::tempdir().unwrap();
    let nested = |depth: usize| format!("{}\"x\"{}", "[".repeat(depth), "]".repeat(depth));
    let text = minimal().replace(
        "\"publisher\": \"tests only\"",
        &format!("\"publisher\": {}", nested(100)),
    );
    let p = write(dir.path(), "nest100.json", text.as_bytes());
    refused_everywhere(
        &p,
        ":5:16: publisher: ",
        "ここには文字列（\"…\"）を書きます（配列 [ … ] が書かれています）",
    );
    let text = minimal().replace(
        "\"publisher\": \"tests only\"",
        &format!("\"publisher\": {}", nested(1000)),
    );
    let p = write(dir.path(), "nest1000.json", text.as_bytes());
    refused_everywhere(&p, ":5:", "JSON の書き方の誤り: 入れ子が深すぎます");
}

#[test]
fn a_50_mb_string_is_refused_with_its_length() {
    let dir = tempfile::tempdir().unwrap();
    let huge = "あ".repeat(50 * 1024 * 1024 / 3);
    let text = minimal().replace("関係機関の連絡会", &huge);
    let p = write(dir.path(), "huge-string.json", text.as_bytes());
    refused_everywhere(
        &p,
        ":44:18: resources[1].summary: ",
        "文字列が長すぎます（17476266文字。上限は 100000 文字）",
    );
}

/// 200,000 small valid records: accepted; one bad area id at the very end: refused, located.
#[test]
fn two_hundred_thousand_records() {
    let dir = tempfile::tempdir().unwrap();
    let base = minimal();
    let (head, _) = base.split_once("\"resources\": [").unwrap();
    let mut text = format!("{head}\"resources\": [\n");
    let n = 200_000;
    for i in 0..n {
        let area = if i == n - 1 { "13999" } else { "13109" };
        text.push_str(&format!(
            "{{\"id\":\"r{i}\",\"name\":\"記録{i}\",\"kind\":\"service\",\"summary\":\"要約\",\"service_areas\":[\"{area}\"],\"status\":\"active\",\"sources\":[{{\"file\":\"doc.txt\",\"section\":\"s\",\"date\":\"2024\"}}]}}{}\n",
            if i + 1 < n { "," } else { "" }
        ));
    }
    text.push_str("]}\n");
    let bad = write(dir.path(), "200k-bad.json", text.as_bytes());
    let out = ikenavi(&["validate", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(":{}:84: ", 26 + n))
            && err.contains("resources[199999].service_areas[0]: 地域「13999」が見つかりません"),
        "{err}"
    );
    let good = write(
        dir.path(),
        "200k.json",
        text.replace("[\"13999\"]", "[\"13109\"]").as_bytes(),
    );
    let out = ikenavi(&["validate", good.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("（資源 200000件）"));
}

#[test]
fn empty_file_and_non_object_top_level() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "empty.json", b"");
    refused_everywhere(&p, ":1:1: ", "ファイルが空です");
    let p = write(dir.path(), "array.json", b"[1, 2]");
    refused_everywhere(
        &p,
        "",
        "ファイル全体を1つの JSON オブジェクト { … } にしてください",
    );
}
