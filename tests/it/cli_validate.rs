//! `ikenavi validate` and `--data`: a valid file gives a one-line summary; each kind of broken
//! file exits 1 and names the problem's location (`file:line:col: json.path: message`).

use crate::common;
use common::{command, fixture, ikenavi};

#[test]
fn bundled_directory_validates_with_counts_per_source_and_prefecture() {
    let out = ikenavi(&["validate"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with(
            "検査に通りました: data/gazetteer.json（資源 0件） + data/vocabulary.json（資源 0件） + data/curated.json（資源 "
        ),
        "{stdout}"
    );
    for part in ["000 ", "001 ", "002 ", "003 ", "004 ", "東京都 ", "山口県 "] {
        assert!(stdout.contains(part), "summary lacks {part:?}: {stdout}");
    }
}

#[test]
fn minimal_fixture_is_valid() {
    for only in [true, false] {
        let path = fixture("minimal.json");
        let mut args = vec!["validate", path.as_str()];
        if only {
            args.insert(0, "--no-bundled");
        }
        let out = ikenavi(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("minimal.json（資源 2件）"), "{stdout}");
        assert!(
            stdout.contains(
                "— 資源 2件（資料別: doc.txt 2／都道府県別: 東京都 2）、地域 4（都道府県 1・市区町村 1・行政区 0）、ケアの種類 1・ニーズ 1・用語 1\n"
            ) == only,
            "{stdout}"
        );
        assert_eq!(stdout.contains("data/curated.json"), !only, "{stdout}");
    }
}

/// Each broken fixture, validated on its own (`--no-bundled`: each is a complete directory):
/// exit 1, and stderr holds `file:line:col: path` for the problem.
#[test]
fn every_kind_of_error_is_reported_with_its_location() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "syntax_error",
            ":44:7: ",
            "JSON の書き方の誤り: 「,」か「}」がありません",
        ),
        (
            "truncated",
            ":30:7: ",
            "JSON の書き方の誤り: ファイルが途中で終わっています",
        ),
        (
            "duplicate_id",
            ":41:13: resources[1].id: ",
            "資源 id「test-short-stay」が2回使われています",
        ),
        (
            "unknown_area",
            ":33:25: resources[0].service_areas[0]: ",
            "地域「13999」が見つかりません",
        ),
        (
            "unknown_care_type",
            ":35:22: resources[0].care_types[0]: ",
            "ケアの種類の id「ventilatr」が見つかりません",
        ),
        (
            "unknown_need",
            ":34:17: resources[0].needs[0]: ",
            "ニーズの id「shortstay」が見つかりません",
        ),
        (
            "unknown_related",
            ":38:19: resources[0].related[0]: ",
            "資源 id「no-such-record」が見つかりません",
        ),
        (
            "unknown_source_file",
            ":47:30: resources[1].sources[0].file: ",
            "資料ファイル「other.txt」が `source_documents` にありません",
        ),
        (
            "bad_date",
            ":47:66: resources[1].sources[0].date: ",
            "日付「令和6年10月」が読めません",
        ),
        (
            "empty_name",
            ":42:15: resources[1].name: ",
            "`name` が空です",
        ),
        (
            "control_character",
            ":44:18: resources[1].summary: ",
            "文字列に制御文字 U+001B が入っています",
        ),
        (
            "no_source",
            ":47:18: resources[1].sources: ",
            "`sources` が空です（出典を1つ以上書いてください）",
        ),
        (
            "no_service_area",
            ":45:24: resources[1].service_areas: ",
            "`service_areas` が空です（対象地域を1つ以上書いてください）",
        ),
        (
            "unknown_parent_area",
            ":13:89: areas[3].parent: ",
            "親の地域 id「13-tama」が見つかりません",
        ),
        (
            "unknown_enum",
            ":43:15: resources[1].kind: ",
            "「committee」は使えない値です（使える値: `service`、",
        ),
        (
            "wrong_type",
            ":45:24: resources[1].service_areas: ",
            "ここには配列 [ … ] を書きます（文字列「13」が書かれています）",
        ),
        (
            "missing_field",
            ":40:5: resources[1]: ",
            "必須の項目 `summary` がありません",
        ),
        (
            "duplicate_key",
            ":44:7: resources[1].kind: ",
            "同じキーが2回書かれています（前の値は黙って捨てられてしまいます）",
        ),
        (
            "public_name_not_an_alias",
            ":37:28: resources[0].contact.note: ",
            "資料外の公開名称「テスト区立医療ショートステイ」が `aliases` にありません",
        ),
    ];
    let mut failures = Vec::new();
    for (name, location, message) in cases {
        let path = fixture(&format!("invalid/{name}.json"));
        let out = ikenavi(&["--no-bundled", "validate", &path]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let want = format!("{path}{location}");
        if out.status.code() != Some(1) || !stderr.contains(&want) || !stderr.contains(message) {
            failures.push(format!(
                "{name}: exit {:?}, wanted {want:?} … {message:?}, got:\n{stderr}",
                out.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn all_problems_are_reported_not_just_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("minimal.json"))
        .unwrap()
        .replace(
            "\"service_areas\": [\"13109\"]",
            "\"service_areas\": [\"13999\"]",
        )
        .replace("\"related\": [\"test-council\"]", "\"related\": [\"nope\"]")
        .replace("\"name\": \"テスト連絡会\"", "\"name\": \"\"");
    let path = dir.path().join("many.json");
    std::fs::write(&path, text).unwrap();
    let out = ikenavi(&["--no-bundled", "validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 3, "{stderr}");
}

#[test]
fn a_broken_data_file_is_refused_by_every_command() {
    let path = fixture("invalid/unknown_area.json");
    for args in [
        vec!["--data", path.as_str(), "list"],
        vec!["--data", path.as_str(), "search", "ショートステイ"],
        vec!["--data", path.as_str(), "show", "test-council"],
    ] {
        let out = ikenavi(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "nothing half-loaded: {args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("地域「13999」が見つかりません"));
    }
    let out = command()
        .args(["list", "--json"])
        .env("IKENAVI_DATA", &path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "IKENAVI_DATA goes through validation too"
    );
}

#[test]
fn a_missing_data_file_is_a_clear_error() {
    let out = ikenavi(&["--data", "/nonexistent/dir.json", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "/nonexistent/dir.json: データファイルを読めませんでした（ファイルがありません）。指定したパス"
        ),
        "{stderr}"
    );
}

/// One file with a problem of each common kind: every one is said in Japanese, on its own line,
/// after `file:line:col: json.path: `, with the field names as they are typed.
#[test]
fn several_kinds_of_problems_are_each_said_in_japanese_with_their_place() {
    let text = r#"{
  "schema_version": 1,
  "title": "検査用",
  "title": "検査用（二つ目）",
  "source_documents": [ { "file": "doc.txt", "issuer": "テスト区", "title": "資料", "date": "2024" } ],
  "areas": [
    { "id": "jp", "name": "全国", "kana": "ぜんこく", "level": "country", "parent": null },
    { "id": "13", "name": "東京都", "kana": "とうきょうと", "level": "prefecture", "parent": "jp" }
  ],
  "resources": [
    { "id": "no-status", "name": "状態なし", "kind": "service", "summary": "要約",
      "service_areas": ["13"], "sources": [ { "file": "doc.txt", "section": "1", "date": "2024" } ] },
    { "id": "bad-kind", "name": "種類違い", "kind": "committee", "summary": "要約", "status": "active",
      "service_areas": ["13"], "sources": [ { "file": "doc.txt", "section": "1", "date": "2024" } ] },
    { "id": "bad-name", "name": 3, "kind": "service", "summary": "要約", "status": "active",
      "service_areas": ["13"], "sources": [ { "file": "doc.txt", "section": "1", "date": "2024" } ] },
    { "id": "bad-area", "name": "地域違い", "kind": "service", "summary": "要約", "status": "active",
      "service_areas": ["13999"], "sources": [ { "file": "doc.txt", "section": "1", "date": "2024" } ] }
  ]
}
"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many-kinds.json");
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap();
    let out = ikenavi(&["--no-bundled", "validate", p]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let want = [
        ":4:3: title: 同じキーが2回書かれています（前の値は黙って捨てられてしまいます）。1つにまとめてください",
        ":11:5: resources[0]: 必須の項目 `status` がありません。書き加えてください",
        ":13:49: resources[1].kind: 「committee」は使えない値です（使える値: `service`、`facility`、`consultation`、`council`、`subsidy`、`information`、`organization`）",
        ":15:33: resources[2].name: ここには文字列（\"…\"）を書きます（数値 3 が書かれています）",
        ":18:25: resources[3].service_areas[0]: 地域「13999」が見つかりません（`areas` にある地域の `id` か、地方公共団体コード（例: 13109）を書いてください）",
    ];
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), want.len(), "{stderr}");
    for (line, want) in lines.iter().zip(want) {
        assert_eq!(*line, format!("{p}{want}"), "{stderr}");
    }
    for english in [
        "missing field",
        "unknown",
        "expected",
        "invalid type",
        "duplicate",
    ] {
        assert!(!stderr.contains(english), "{english:?} left in {stderr}");
    }
}

/// A field that is not there is located at the object that lacks it (line:col of the object),
/// not left without a place.
#[test]
fn a_missing_field_is_located_at_its_object() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("areas.json");
    std::fs::write(
        &path,
        "{\"schema_version\":1,\"title\":\"t\",\"as_of\":\"2025-01-01\",\"publisher\":\"p\",\n \"areas\":[\n  {\"id\":\"x1\",\"name\":\"X\",\"kana\":\"えっくす\",\"level\":\"municipality\"}\n ],\n \"resources\":[]}\n",
    )
    .unwrap();
    let out = ikenavi(&["--no-bundled", "validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("areas.json:3:3: areas[0].parent: `parent` がありません"),
        "{stderr}"
    );
}

/// Issue 25: dates from the future looked fresh — `sources[].date 2099-01-01` and
/// `import wamnet --as-of 9999-12` were accepted and shown 「今月」, and `--as-of 2025-03-31`
/// was taken although the help says YYYY-MM. Each is now refused with its place.
#[test]
fn dates_after_today_and_days_for_a_release_month_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("minimal.json")).unwrap();
    let at = text.rfind("2024-10-16").unwrap();
    let future = format!("{}2099-01-01{}", &text[..at], &text[at + 10..]);
    let file = dir.path().join("future.json");
    std::fs::write(&file, future).unwrap();
    let (code, _, err) = common::run(&["--no-bundled", "validate", file.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("future.json:47:66: resources[1].sources[0].date: 日付「2099-01-01」は今日（"),
        "{err}"
    );

    let csv = dir.path().join("csvdownload064.csv");
    std::fs::write(&csv, "x\n").unwrap();
    let csv = csv.to_str().unwrap();
    for (as_of, says) in [
        ("9999-12", "は今日（"),
        ("2025-03-31", "は公開の年月ではありません（YYYY-MM"),
    ] {
        let (code, _, err) = common::run(&["import", "wamnet", csv, "--as-of", as_of]);
        assert_eq!(code, Some(2), "{as_of}: {err}");
        assert!(err.contains(says), "{as_of}: {err}");
    }
    let list = dir.path().join("list.csv");
    std::fs::write(&list, "事業所名,市区町村\nあおば,品川区\n").unwrap();
    let (code, _, err) = common::run(&[
        "import",
        "table",
        list.to_str().unwrap(),
        "--as-of",
        "2099-01-01",
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("日付「2099-01-01」は今日（"), "{err}");
}

/// Issue 25: `validate` was looser than the importers — `contact.phone: "abc"` and
/// `location.lat: 999` passed and `show` printed 「電話 abc」. The stored-value rules
/// (`directory/values.rs`) now refuse them, each at its file:line:col.
#[test]
fn validate_refuses_what_no_importer_would_write() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("minimal.json")).unwrap().replacen(
        "\"status\": \"active\",",
        "\"status\": \"active\", \"contact\": { \"phone\": \"abc\", \"url\": \"www.x.jp\" }, \"location\": { \"lat\": 999, \"lng\": 139.7 },",
        1,
    );
    let file = dir.path().join("values.json");
    std::fs::write(&file, text).unwrap();
    let (code, _, err) = common::run(&["--no-bundled", "validate", file.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{err}");
    for (path, says) in [
        (
            "resources[0].contact.phone",
            "電話番号「abc」に番号がありません",
        ),
        ("resources[0].contact.url", "URL「www.x.jp」が読めません"),
        ("resources[0].location.lat", "が日本の外です"),
    ] {
        assert_reported(&err, "values.json", path, says);
    }
}

/// `err` reports `path` in `file` at a line and column (`file:line:col: path: …`), saying
/// `says`.
fn assert_reported(err: &str, file: &str, path: &str, says: &str) {
    let line = err
        .lines()
        .find(|l| l.contains(&format!(": {path}: ")))
        .unwrap_or_else(|| panic!("{path} not reported: {err}"));
    assert!(line.contains(says), "{line}");
    let place: Vec<&str> = line.splitn(4, ':').collect();
    assert!(
        place[0].ends_with(file)
            && place[1].parse::<u32>().is_ok()
            && place[2].parse::<u32>().is_ok(),
        "{line}"
    );
}

/// Issue 27: a municipality's main window (`areas[].main_window`) is read out as the number
/// to ring, so its values are checked by the rules a record's are — a phone that holds no
/// number, a site that is not a URL, a check date after today — each at its file:line:col.
#[test]
fn a_main_windows_phone_site_and_date_are_checked_like_a_records() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("minimal.json")).unwrap().replacen(
        "\"parent\": \"13-kubu\", \"aliases\": [\"品川\"] }",
        "\"parent\": \"13-kubu\", \"aliases\": [\"品川\"], \"main_window\": { \"name\": \"品川区役所\", \"phone\": \"代表なし\", \"postal_code\": null, \"address\": null, \"hours\": null, \"closed_days\": null, \"url\": \"www.city.shinagawa.tokyo.jp\", \"row\": \"offices.csv:2\", \"checked\": \"2099-01-01\", \"source\": \"品川区\", \"source_url\": null, \"phone_row\": null, \"phone_checked\": null } }",
        1,
    );
    assert!(text.contains("品川区役所"), "the fixture changed");
    let file = dir.path().join("window.json");
    std::fs::write(&file, text).unwrap();
    let (code, _, err) = common::run(&["--no-bundled", "validate", file.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{err}");
    for (path, says) in [
        (
            "areas[3].main_window.phone",
            "電話番号「代表なし」に番号がありません",
        ),
        (
            "areas[3].main_window.url",
            "URL「www.city.shinagawa.tokyo.jp」が読めません",
        ),
        ("areas[3].main_window.checked", "日付「2099-01-01」は今日（"),
    ] {
        assert_reported(&err, "window.json", path, says);
    }
    // The bundled gazetteer's 1,741 main windows pass the same rules.
    let (code, out, err) = common::run(&["validate"]);
    assert_eq!(code, Some(0), "{out}{err}");
}
