//! The phone first (issue 10 item 4) on the command line: `--with-phone` on `list` and
//! `search` (text and JSON) keeps only records whose contact has a phone number, with the
//! counts and limits of the filtered search; `show` puts 電話 right after the name, or says
//! once — and only once — that no source gives one and whom to ask.
//!
//! The tests run on a small, fixed set: a layer of two WAM NET offices in 品川区
//! (`tests/fixtures/phone.json`, copied from `data/wamnet.json`) that replaces the bundled
//! open-data layer (`"replaces"`), so the curated records (none linked then, no phone) and
//! these two are the whole directory.

use serde_json::Value;

mod common;
use common::{fixture, hit_ids, run};

const WITH_PHONES: [&str; 2] = ["wam-1330900042", "wam-1350900013"];

/// Runs the binary with the phone layer on the bundled directory; exit 0 expected.
fn with_layer(args: &[&str]) -> String {
    let layer = fixture("phone.json");
    let mut all = vec!["--data", layer.as_str()];
    all.extend_from_slice(args);
    let (code, out, err) = run(&all);
    assert_eq!(code, Some(0), "{all:?}: {err}");
    out
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&with_layer(args)).expect("valid JSON")
}

#[test]
fn list_with_phone_keeps_only_records_with_a_phone_in_text_and_json() {
    let all = json(&["list", "--json"]);
    let v = json(&["list", "--with-phone", "--json"]);
    assert_eq!(hit_ids(&v), WITH_PHONES);
    assert_eq!(v["total"], 2);
    assert_eq!(v["with_phone"], true);
    assert_eq!(all["with_phone"], false);
    assert!(all["total"].as_u64().unwrap() > 200, "{}", all["total"]);
    for h in v["hits"].as_array().unwrap() {
        assert!(h["contact"]["phone"].as_str().is_some(), "{h}");
    }

    let text = with_layer(&["list", "--with-phone"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].ends_with("[wam-1330900042]"), "{text}");
    assert!(lines[1].ends_with("[wam-1350900013]"), "{text}");
    assert_eq!(lines[2], "2件（電話あり）");
}

#[test]
fn list_with_phone_combines_with_the_other_filters() {
    let v = json(&["list", "--with-phone", "--need", "相談", "--json"]);
    assert_eq!(hit_ids(&v), ["wam-1330900042"]);
    let v = json(&["list", "--with-phone", "--area", "下松市", "--json"]);
    assert_eq!(v["total"], 0);
}

#[test]
fn search_with_phone_filters_before_counting_and_limiting() {
    // Without the filter, curated records without a phone rank among the hits.
    let all = json(&["search", "品川区", "--json", "--limit", "50"]);
    assert!(hit_ids(&all).len() > 2, "{all}");
    let v = json(&["search", "品川区", "--with-phone", "--json", "--limit", "1"]);
    assert_eq!(v["with_phone"], true);
    assert_eq!(v["total"], 2, "the total counts records with a phone only");
    let ids = hit_ids(&v);
    assert_eq!(ids.len(), 1, "the limit applies to the filtered hits");
    assert!(WITH_PHONES.contains(&ids[0].as_str()), "{ids:?}");

    let text = with_layer(&["search", "品川区", "--with-phone"]);
    let mut lines = text.lines();
    let heading = lines.next().unwrap();
    assert!(
        heading.contains("電話あり") && heading.ends_with("2件"),
        "{text}"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{text}");
    for id in WITH_PHONES {
        assert!(
            rows.iter().any(|r| r.ends_with(&format!("[{id}]"))),
            "{text}"
        );
    }
}

#[test]
fn search_with_phone_says_when_the_filter_removed_everything() {
    // 下松市 has curated records, none with a phone.
    let v = json(&["search", "下松", "--with-phone", "--json"]);
    assert_eq!(v["total"], 0);
    let nr = &v["no_results"];
    let labels: Vec<&str> = nr["relaxations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"電話ありの指定を外す"), "{nr}");
}

#[test]
fn show_reads_the_phone_right_after_the_name() {
    let out = with_layer(&["show", "wam-1330900042"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("名称"), "{out}");
    assert!(
        lines[1].starts_with("電話") && lines[1].ends_with(" 03-5719-3381"),
        "{out}"
    );
    assert_eq!(out.matches("03-5719-3381").count(), 1, "{out}");
    // The other fields keep their order, and the sources still say to confirm.
    let labels: Vec<&str> = lines.iter().filter_map(|l| l.split(' ').next()).collect();
    let at = |l: &str| labels.iter().position(|x| *x == l).unwrap();
    assert!(at("種別") < at("連絡先") && at("連絡先") < at("FAX") && at("FAX") < at("出典"));
    assert!(out.contains("最新情報は所管課へ確認してください"), "{out}");
}

#[test]
fn show_without_a_phone_says_once_whom_to_ask() {
    let out = with_layer(&["show", "yamaguchi-tachibanaen-soudan"]);
    let second = out.lines().nth(1).unwrap();
    assert!(second.starts_with("電話"), "{out}");
    assert!(
        second.contains("資料に記載なし — 柳井市の所管課へ確認してください"),
        "{out}"
    );
    assert!(second.contains("柳井市の公式サイト"), "{out}");
    assert_eq!(out.matches("所管課へ").count(), 1, "{out}");
    assert_eq!(out.matches("記載なし").count(), 1, "{out}");
}
