//! Terminal injection through the command line (issue 6): text from a data file never reaches
//! the terminal as a control sequence. Control characters are refused by validation; bidi
//! controls, which are legal text, are removed from human output and escaped in `--json`.

use crate::common;
use common::run as ikenavi;

const BIDI: [char; 6] = [
    '\u{202e}', '\u{202a}', '\u{2066}', '\u{2067}', '\u{2069}', '\u{200f}',
];

fn hostile_file(dir: &std::path::Path) -> String {
    let text = include_str!("../fixtures/minimal.json")
        .replace(
            "テスト医療ショートステイ",
            "テスト\u{202e}医療ショートステイ\u{2066}",
        )
        .replace(
            "医療機関での一時的な受入れ",
            "医療機関\u{200f}での一時的\u{2067}な受入れ\u{2069}\u{202a}",
        );
    let p = dir.join("bidi.json");
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn bidi_controls_are_removed_from_human_output() {
    let dir = tempfile::tempdir().unwrap();
    let data = hostile_file(dir.path());
    for args in [
        vec!["--data", data.as_str(), "show", "test-short-stay"],
        vec!["--data", data.as_str(), "list"],
        // Alone: among the bundled offices its record would be one of hundreds.
        vec![
            "--no-bundled",
            "--data",
            data.as_str(),
            "search",
            "ショートステイ",
        ],
    ] {
        let (code, out, err) = ikenavi(&args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(out.contains("医療ショートステイ"), "{args:?}: {out}");
        assert!(!out.contains(BIDI), "{args:?} printed a bidi control");
        assert!(!out.contains('\u{1b}'), "{args:?} printed ESC to a pipe");
    }
}

#[test]
fn bidi_controls_are_escaped_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let data = hostile_file(dir.path());
    for args in [
        vec!["--data", data.as_str(), "show", "--json", "test-short-stay"],
        vec![
            "--no-bundled",
            "--data",
            data.as_str(),
            "search",
            "--json",
            "ショートステイ",
        ],
    ] {
        let (code, out, _) = ikenavi(&args);
        assert_eq!(code, Some(0));
        assert!(!out.contains(BIDI), "{args:?} printed a raw bidi control");
        assert!(
            out.contains("\\u202e"),
            "{args:?}: escaped form expected: {out}"
        );
        // Still valid JSON that round-trips to the original text.
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(v.to_string().contains('\u{202e}') || out.contains("\\u202e"));
    }
}

#[test]
fn control_sequences_in_data_are_refused_before_any_output() {
    let dir = tempfile::tempdir().unwrap();
    for (name, evil) in [
        ("csi", "\\u001b[2J\\u001b[31m"),
        ("osc52", "\\u001b]52;c;ZXZpbA==\\u0007"),
        ("dcs", "\\u001bP+q\\u001b\\\\"),
        ("bel", "\\u0007"),
        ("c1", "\\u009b31m"),
    ] {
        let text = include_str!("../fixtures/minimal.json")
            .replace("テスト連絡会", &format!("テスト{evil}連絡会"));
        let p = dir.path().join(format!("{name}.json"));
        std::fs::write(&p, text).unwrap();
        let (code, out, err) = ikenavi(&["--data", p.to_str().unwrap(), "show", "test-council"]);
        assert_eq!(code, Some(1), "{name}");
        assert!(out.is_empty(), "{name}: {out}");
        assert!(
            err.contains("resources[1].name: 文字列に制御文字 U+"),
            "{name}: {err}"
        );
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{7}'),
            "{name}: the message itself is inert"
        );
    }
}

/// A value that serde quotes in its error (an unknown `kind`) is data too: the message on
/// stderr names it without its escape sequence, for `validate` and for any command's `--data`.
#[test]
fn an_escape_sequence_quoted_in_an_error_message_is_made_inert() {
    let dir = tempfile::tempdir().unwrap();
    let text = include_str!("../fixtures/minimal.json").replace(
        "\"kind\": \"council\"",
        "\"kind\": \"facility\\u001b[31m\\u001b]0;x\\u0007\"",
    );
    let p = dir.path().join("kind.json");
    std::fs::write(&p, text).unwrap();
    let p = p.to_str().unwrap();
    for args in [
        vec!["--no-bundled", "validate", p],
        vec!["--data", p, "list"],
    ] {
        let (code, out, err) = ikenavi(&args);
        assert_eq!(code, Some(1), "{args:?}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(
            err.contains(
                "resources[1].kind: 「facility[31m]0;x」は使えない値です（使える値: `service`、"
            ),
            "{args:?}: {err}"
        );
        assert!(
            !err.contains(['\u{1b}', '\u{7}']),
            "{args:?}: raw control character on stderr: {err:?}"
        );
        assert!(err.lines().count() >= 2, "one problem per line: {err}");
    }
}

/// A name quoted from a record's contact note in a validation problem loses its bidi controls
/// (legal in the note, so refused by nothing else) before it is part of the message.
#[test]
fn a_public_name_quoted_in_a_problem_has_no_bidi_control() {
    let text = include_str!("../fixtures/invalid/public_name_not_an_alias.json")
        .replace("「テスト区立", "「テスト\u{202e}区立");
    let e = ikenavi::directory::parse_directory(text.as_bytes(), "note.json").unwrap_err();
    let message = e.to_string();
    assert!(
        message
            .contains("資料外の公開名称「テスト区立医療ショートステイ」が `aliases` にありません"),
        "{message}"
    );
    assert!(!message.contains(BIDI), "{message:?}");
}

/// A user layer whose areas, source document and own file name hold U+202E: 北区 of 東京都 and
/// of 大阪府 (ambiguous; U+202E inside 大阪府), a region 多摩 with U+202E in its name and in its
/// id `13-tama`, the document `doc.txt`, the file `bidi.json` (U+202E before each dot).
fn bidi_areas_layer(dir: &std::path::Path) -> String {
    let text = include_str!("../fixtures/minimal.json")
        .replace("doc.txt", "doc\\u202e.txt")
        .replace(
            "    { \"id\": \"13109\", \"name\": \"品川区\"",
            concat!(
                "    { \"id\": \"13117\", \"name\": \"北区\", \"kana\": \"きたく\", \"level\": \"municipality\", \"parent\": \"13-kubu\" },\n",
                "    { \"id\": \"13-\\u202etama\", \"name\": \"多\\u202e摩\", \"kana\": \"たま\", \"level\": \"region\", \"parent\": \"13\" },\n",
                "    { \"id\": \"27\", \"name\": \"大\\u202e阪府\", \"kana\": \"おおさかふ\", \"level\": \"prefecture\", \"parent\": \"jp\" },\n",
                "    { \"id\": \"27127\", \"name\": \"北区\", \"kana\": \"きたく\", \"level\": \"municipality\", \"parent\": \"27\" },\n",
                "    { \"id\": \"13109\", \"name\": \"品川区\"",
            ),
        );
    assert!(text.contains("13-\\u202etama"), "fixture changed");
    let p = dir.join("bidi\u{202e}.json");
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn area_document_and_layer_names_from_a_user_layer_lose_their_bidi_controls() {
    let dir = tempfile::tempdir().unwrap();
    let data = bidi_areas_layer(dir.path());
    let d = data.as_str();
    let tama = "多\u{202e}摩";
    // (arguments, stream that shows the name, what it must say)
    let cases: [(Vec<&str>, bool, &str); 5] = [
        (
            vec!["--no-bundled", "validate", d],
            true,
            "bidi.json（資源 2件）",
        ),
        (vec!["--no-bundled", "validate", d], true, "doc.txt 2"),
        (
            vec![
                "--no-bundled",
                "--data",
                d,
                "search",
                "連絡会",
                "--area",
                tama,
            ],
            true,
            "「連絡会」 地域: 多摩 — 1件",
        ),
        (
            vec!["--no-bundled", "--data", d, "search", "北区", "連絡会"],
            false,
            "北区は複数あります: 東京都北区・大阪府北区 — ",
        ),
        (
            vec!["--no-bundled", "--data", d, "areas"],
            true,
            "  13-tama  ",
        ),
    ];
    for (args, stdout, want) in cases {
        let (code, out, err) = ikenavi(&args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        let shown = if stdout { &out } else { &err };
        assert!(shown.contains(want), "{args:?}: {want:?} not in {shown}");
        assert!(
            !out.contains(BIDI) && !err.contains(BIDI),
            "{args:?} printed a bidi control: {out}{err}"
        );
    }
}

/// The candidates of an ambiguous `--area` come back to the binary as the command's usage
/// message, already inert (the binary's own pass is not the only guard).
#[test]
fn the_candidates_of_an_ambiguous_area_are_inert_in_the_usage_message() {
    let dir = tempfile::tempdir().unwrap();
    let data = ikenavi::directory::DataSource::only(vec![bidi_areas_layer(dir.path()).into()]);
    let filters = ikenavi::directory::FilterNames {
        area: Some("北区".into()),
        ..Default::default()
    };
    let mut out = Vec::new();
    let outcome = ikenavi::cli::list(
        &data,
        filters,
        ikenavi::search::Sort::default(),
        &[],
        false,
        &mut out,
    )
    .unwrap();
    let ikenavi::cli::Outcome::Usage(message) = outcome else {
        panic!("an ambiguous area is a usage error: {outcome:?}");
    };
    assert!(message.contains("大阪府北区"), "{message}");
    assert!(!message.contains(BIDI), "{message:?}");
    assert!(out.is_empty());
}
