//! `ikenavi import wamnet NEW… --previous OLD.json --changes FILE` (issue 28, item 1): the
//! changes report between two releases, on a small fixture whose every change is known, and on
//! the two real 短期入所 releases (2023-11 → 2024-04) against counts computed here from the CSVs
//! directly.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{fixture, run};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Imports `old` into a layer, then `new` against it with `--changes <dir>/changes.<ext>`;
/// returns (exit code, stderr of the second import, the changes file's bytes).
fn changes(old: &[&str], new: &[&str], ext: &str) -> (Option<i32>, String, Vec<u8>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let layer = dir.path().join("old.json").display().to_string();
    let mut args = vec!["import", "wamnet"];
    args.extend(old);
    // One service type's file: a partial layer, on purpose.
    args.extend(["--out", &layer, "--allow-partial"]);
    let (code, _, err) = run(&args);
    assert_eq!(code, Some(0), "{err}");
    let out = dir.path().join("new.json").display().to_string();
    let file = dir.path().join(format!("changes.{ext}"));
    let file_s = file.display().to_string();
    let mut args = vec!["import", "wamnet"];
    args.extend(new);
    args.extend([
        "--previous",
        &layer,
        "--out",
        &out,
        "--changes",
        &file_s,
        "--allow-partial",
    ]);
    let (code, _, err) = run(&args);
    let bytes = std::fs::read(&file).unwrap_or_default();
    (code, err, bytes)
}

fn fixture_releases() -> (String, String) {
    (
        fixture("wamnet/changes/wamnet-2023-11/csvdownload024.csv"),
        fixture("wamnet/changes/wamnet-2024-04/csvdownload024.csv"),
    )
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("changes JSON")
}

fn numbers(v: &Value, list: &str) -> Vec<String> {
    v[list]
        .as_array()
        .expect(list)
        .iter()
        .map(|i| i["office_number"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn fixture_report_names_every_kind_of_change_with_old_and_new_values() {
    let (old, new) = fixture_releases();
    let (code, err, bytes) = changes(&[&old], &[&new], "json");
    assert_eq!(code, Some(0), "{err}");
    let v = json(&bytes);
    assert_eq!(v["from"], "2023-11");
    assert_eq!(v["to"], "2024-04");
    assert_eq!(numbers(&v, "opened"), ["1310900010"]);
    assert_eq!(numbers(&v, "closed"), ["3520100001"]);
    assert_eq!(v["closed"][0]["municipality"], "山口市");
    assert_eq!(v["closed"][0]["prefecture"], "山口県");
    // The phone written without hyphens and the address in 全角 digits are the same values.
    assert_eq!(numbers(&v, "changed"), ["1310900001", "1310900003"]);
    let phone = &v["changed"][0]["fields"];
    assert_eq!(
        phone["事業所電話番号"],
        serde_json::json!(["03-1111-1111", "03-1111-2222"])
    );
    assert_eq!(phone.as_object().map(|o| o.len()), Some(1), "{phone}");
    assert_eq!(
        v["changed"][1]["fields"]["定員"],
        serde_json::json!(["4", "6"])
    );
    let renumbered = &v["renumbered"][0];
    assert_eq!(renumbered["office_number"], "3520700099");
    assert_eq!(renumbered["previous_office_number"], "3520700002");
    assert_eq!(renumbered["id"], "wam-3520700099");
    assert_eq!(renumbered["name"], "くだまつの家");
    assert_eq!(v["renumbered"].as_array().map(Vec::len), Some(1));
    assert!(
        err.contains("新規 1・廃止 1・変更 2（電話 1、定員 1）・番号変更 1"),
        "{err}"
    );
}

#[test]
fn csv_has_a_bom_and_no_cell_a_spreadsheet_would_run() {
    let (old, new) = fixture_releases();
    let (code, err, bytes) = changes(&[&old], &[&new], "csv");
    assert_eq!(code, Some(0), "{err}");
    let text = std::str::from_utf8(&bytes).expect("UTF-8");
    let body = text.strip_prefix('\u{feff}').expect("BOM first");
    let mut rdr = csv::Reader::from_reader(body.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 5, "{text}");
    for cell in rows.iter().flat_map(|r| r.iter()) {
        assert!(
            !cell.starts_with(['=', '+', '-', '@']),
            "cell {cell:?} in {text}"
        );
    }
    // The name that starts with = is there, as text.
    assert!(rows.iter().any(|r| &r[6] == "'=1+1ホーム"), "{text}");
    assert!(
        rows.iter()
            .any(|r| &r[0] == "変更" && &r[7] == "事業所電話番号" && &r[9] == "03-1111-2222"),
        "{text}"
    );
}

#[test]
fn markdown_has_the_counts_and_lists_grouped_by_place() {
    let (old, new) = fixture_releases();
    let (code, err, bytes) = changes(&[&old], &[&new], "md");
    assert_eq!(code, Some(0), "{err}");
    let md = String::from_utf8(bytes).expect("UTF-8");
    for line in [
        "| 新規 | 1 |",
        "| 廃止 | 1 |",
        "| 変更 | 2 |",
        "| 番号変更 | 1 |",
        "### 東京都 品川区",
        "### 山口県 下松市",
        "- 3520100001・やまぐちの家（短期入所）",
    ] {
        assert!(md.lines().any(|l| l == line), "{line} in\n{md}");
    }
}

#[test]
fn unknown_changes_extension_is_a_usage_error_before_anything_is_written() {
    let (old, new) = fixture_releases();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("new.json");
    let out_s = out.display().to_string();
    let changes_file = dir.path().join("changes.txt").display().to_string();
    let (code, _, err) = run(&[
        "import",
        "wamnet",
        &new,
        "--previous",
        &old,
        "--out",
        &out_s,
        "--changes",
        &changes_file,
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains(".json・.csv・.md"), "{err}");
    assert!(!out.exists());
}

#[test]
fn previous_that_is_not_a_layer_is_named_with_its_line() {
    let (old, new) = fixture_releases();
    let (code, _, err) = run(&["import", "wamnet", &new, "--previous", &old]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("前回のレイヤーとして読めません"), "{err}");
}

/// (事業所番号 → digits of the phone of its first row) of a real WAM NET CSV, read here with
/// the csv crate alone.
fn phones_by_number(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).expect("UTF-8 file");
    let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = rdr.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (num, phone) = (col("事業所番号"), col("事業所電話番号"));
    let mut out = BTreeMap::new();
    for r in rdr.records() {
        let r = r.expect("row");
        let digits: String = r[phone].chars().filter(char::is_ascii_digit).collect();
        out.entry(r[num].trim().to_string()).or_insert(digits);
    }
    out
}

#[test]
fn real_short_stay_releases_2023_11_to_2024_04() {
    let old = root().join("data/sources/wamnet-2023-11/csvdownload024.csv");
    let new = root().join("data/sources/wamnet-2024-04/csvdownload024.csv");
    let (old_s, new_s) = (old.display().to_string(), new.display().to_string());
    let old_as_of = format!("--as-of={old_s}=2023-11以前");
    let new_as_of = format!("--as-of={new_s}=2024-04以前");
    let (code, err, bytes) = changes(&[&old_s, &old_as_of], &[&new_s, &new_as_of], "json");
    assert_eq!(code, Some(0), "{err}");
    let v = json(&bytes);
    let (a, b) = (phones_by_number(&old), phones_by_number(&new));
    let appeared: BTreeSet<&String> = b.keys().filter(|n| !a.contains_key(*n)).collect();
    let gone: BTreeSet<&String> = a.keys().filter(|n| !b.contains_key(*n)).collect();
    // The counts.
    assert_eq!((appeared.len(), gone.len()), (615, 58));
    let set = |list: &str| -> BTreeSet<String> { numbers(&v, list).into_iter().collect() };
    let renumbered_new = set("renumbered");
    let renumbered_old: BTreeSet<String> = v["renumbered"]
        .as_array()
        .expect("renumbered")
        .iter()
        .map(|r| {
            r["previous_office_number"]
                .as_str()
                .unwrap_or_default()
                .into()
        })
        .collect();
    let opened: BTreeSet<String> = set("opened").union(&renumbered_new).cloned().collect();
    let closed: BTreeSet<String> = set("closed").union(&renumbered_old).cloned().collect();
    assert_eq!(opened, appeared.into_iter().cloned().collect());
    assert_eq!(closed, gone.into_iter().cloned().collect());
    let phone_changed: BTreeSet<&String> = b
        .iter()
        .filter(|(n, p)| a.get(*n).is_some_and(|o| o != *p))
        .map(|(n, _)| n)
        .collect();
    let reported: BTreeSet<String> = v["changed"]
        .as_array()
        .expect("changed")
        .iter()
        .filter(|c| c["fields"].get("事業所電話番号").is_some())
        .map(|c| c["office_number"].as_str().unwrap_or_default().into())
        .collect();
    assert_eq!(reported, phone_changed.into_iter().cloned().collect());
    assert!(
        err.contains(&format!(
            "新規 {}・廃止 {}・",
            v["opened"].as_array().map_or(0, Vec::len),
            v["closed"].as_array().map_or(0, Vec::len)
        )),
        "{err}"
    );
}

/// The fixture's 2024-04 layer imported with `--previous` its 2023-11 layer (issue 28, items
/// 2–3), in a temp dir kept as long as the returned handle.
fn carried_layer() -> (tempfile::TempDir, String) {
    let (old, new) = fixture_releases();
    let dir = tempfile::tempdir().expect("temp dir");
    let layer = dir.path().join("old.json").display().to_string();
    let (code, _, err) = run(&["import", "wamnet", &old, "--out", &layer, "--allow-partial"]);
    assert_eq!(code, Some(0), "{err}");
    let out = dir.path().join("new.json").display().to_string();
    let (code, _, err) = run(&[
        "import",
        "wamnet",
        &new,
        "--previous",
        &layer,
        "--out",
        &out,
        "--allow-partial",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("公開データにない記録 2件（今回 2件）"),
        "{err}"
    );
    (dir, out)
}

#[test]
fn show_on_a_closed_id_names_the_release_it_left_in_with_its_last_contact() {
    let (_dir, layer) = carried_layer();
    // A slip saved with the 2023-11 layer names wam-3520100001: it still resolves.
    let (code, out, err) = run(&["--data", &layer, "show", "wam-3520100001"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("2024-04 の公開データにありません（廃止・休止・移転の可能性）— 電話・住所は 2023-11 の公開データのもの"),
        "{out}"
    );
    assert!(out.contains("083-111-1111"), "last known phone: {out}");
    assert!(out.contains("状態") && out.contains("掲載終了"), "{out}");
    // The card read aloud and the record as stored say so too.
    let (_, card, _) = run(&["--data", &layer, "show", "wam-3520100001", "--card"]);
    assert!(card.contains("2024-04 の公開データにありません"), "{card}");
    let (_, json, _) = run(&["--data", &layer, "show", "wam-3520100001", "--json"]);
    let v: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["status"], "closed");
    assert_eq!(v["former_designations"][0]["closed_in"], "2024-04");
}

#[test]
fn a_renumbered_office_links_to_its_successor_and_its_old_id_is_carried() {
    let (_dir, layer) = carried_layer();
    let (code, out, err) = run(&["--data", &layer, "show", "wam-3520700002"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("番号変更後") && l.contains("くだまつの家（ID wam-3520700099）")),
        "{out}"
    );
    let (_, json, _) = run(&["--data", &layer, "show", "wam-3520700099", "--json"]);
    let v: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["former_ids"], serde_json::json!(["wam-3520700002"]));
}

#[test]
fn search_and_list_leave_closed_offices_out() {
    let (_dir, layer) = carried_layer();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--data", &layer];
        all.extend(args);
        let (code, out, err) = run(&all);
        assert_eq!(code, Some(0), "{err}");
        crate::common::hit_ids(&serde_json::from_str(&out).expect("json"))
    };
    for args in [
        &["search", "やまぐちの家", "--json"][..],
        &["search", "くだまつの家", "--json"],
        &[
            "search",
            "短期入所",
            "--area",
            "山口県",
            "--json",
            "--limit",
            "100",
        ],
        &["list", "--area", "山口県", "--json"],
        &["list", "--need", "短期入所", "--json"],
    ] {
        let found = ids(args);
        for closed in ["wam-3520100001", "wam-3520700002"] {
            assert!(!found.iter().any(|i| i == closed), "{args:?}: {found:?}");
        }
    }
    assert!(ids(&["list", "--need", "短期入所", "--json"]).contains(&"wam-3520700099".into()));
}

#[test]
fn an_office_new_in_the_release_says_since_when() {
    let (_dir, layer) = carried_layer();
    let (_, out, _) = run(&["--data", &layer, "show", "wam-1310900010"]);
    assert!(
        out.lines()
            .any(|l| l.starts_with("掲載") && l.ends_with("2024-04 から掲載")),
        "{out}"
    );
    // One that was in the previous release: when it first appeared is not known.
    let (_, out, _) = run(&["--data", &layer, "show", "wam-1310900001"]);
    assert!(!out.contains("から掲載"), "{out}");
}

/// Three releases: what closed in the second stays closed in the third, with the release it
/// left in, and the layer stays valid.
#[test]
fn closed_offices_of_earlier_releases_stay() {
    let (dir, second) = carried_layer();
    let (_, new) = fixture_releases();
    let third = dir.path().join("third.json").display().to_string();
    let (code, _, err) = run(&[
        "import",
        "wamnet",
        &new,
        "--as-of",
        "2024-10",
        "--previous",
        &second,
        "--out",
        &third,
        "--allow-partial",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("公開データにない記録 2件（今回 0件）"),
        "{err}"
    );
    let (code, out, _) = run(&["--data", &third, "show", "wam-3520100001"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("2024-04 の公開データにありません"), "{out}");
    let (code, out, err) = run(&["--data", &third, "validate"]);
    assert_eq!(code, Some(0), "{out}{err}");
}
