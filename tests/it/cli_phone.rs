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

use crate::common;
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

// --- phones read out in the national format (issue 22 item 3) ---------------------------

/// A bundled open-data office whose source writes its phone without hyphens.
const HYPHENLESS: &str = "wam-3412300042";

/// Runs the binary on the bundled directory alone; exit 0 expected.
fn bundled(args: &[&str]) -> String {
    let (code, out, err) = run(args);
    assert_eq!(code, Some(0), "{args:?}: {err}");
    out
}

#[test]
fn a_phone_stored_without_hyphens_is_read_with_hyphens_and_stored_as_written() {
    let stored: Value = serde_json::from_str(&bundled(&["show", HYPHENLESS, "--json"])).unwrap();
    assert_eq!(
        stored["contact"]["phone"], "0827577151",
        "show --json is the record as stored"
    );
    assert_eq!(stored["contact"]["fax"], "0827573681");

    let card = bundled(&["show", HYPHENLESS, "--card"]);
    assert!(
        card.lines()
            .any(|l| l.starts_with("電話") && l.ends_with(" 0827-57-7151")),
        "{card}"
    );
    let fields = bundled(&["show", HYPHENLESS]);
    let second = fields.lines().nth(1).unwrap();
    assert!(
        second.starts_with("電話") && second.ends_with(" 0827-57-7151"),
        "{fields}"
    );
    assert!(
        fields
            .lines()
            .any(|l| l.starts_with("FAX") && l.ends_with(" 0827-57-3681")),
        "{fields}"
    );
    for out in [&card, &fields] {
        assert!(!out.contains("0827577151"), "{out}");
    }

    // The search's aligned text names the number to ring on the record's line.
    let text = bundled(&["search", "広島西医療センター", "--area", "大竹市"]);
    let line = text
        .lines()
        .find(|l| l.ends_with(&format!("[{HYPHENLESS}]")))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("  0827-57-7151  "), "{line}");

    // --json: the stored value, and beside it what a person reads.
    for args in [
        &["search", "広島西医療センター", "--area", "大竹市", "--json"][..],
        &["list", "--area", "大竹市", "--json"][..],
    ] {
        let v: Value = serde_json::from_str(&bundled(args)).unwrap();
        let hit = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == HYPHENLESS)
            .unwrap_or_else(|| panic!("{args:?}: {v}"));
        assert_eq!(hit["contact"]["phone"], "0827577151", "{args:?}");
        assert_eq!(hit["contact"]["phone_display"], "0827-57-7151", "{args:?}");
    }
}

/// Every phone of the bundled directory is read either in the national format — its digits
/// kept, in order, grouped by hyphens — or as written and marked for checking.
#[test]
fn every_bundled_phone_reads_in_the_national_format_or_is_marked() {
    let v: Value = serde_json::from_str(&bundled(&["list", "--with-phone", "--json"])).unwrap();
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let hits = v["hits"].as_array().unwrap();
    assert!(hits.len() > 1000, "{}", hits.len());
    let mut marked = Vec::new();
    for h in hits {
        let stored = h["contact"]["phone"].as_str().unwrap();
        let shown = h["contact"]["phone_display"].as_str().unwrap();
        match shown.strip_suffix("（番号の形式を確認）") {
            Some(written) => {
                assert_eq!(written, stored.trim(), "{}", h["id"]);
                marked.push(h["id"].to_string());
            }
            None => {
                assert_eq!(digits(shown), digits(stored), "{}", h["id"]);
                assert!(shown.contains('-'), "{}: {shown}", h["id"]);
            }
        }
    }
    // The open data is checked at import: the plan rejects almost none of it.
    assert!(marked.len() * 100 <= hits.len(), "{marked:?}");
}

/// Issue 22's acceptance: Bloom (寝屋川市), stored as the source writes it (0728115519), is read
/// out as 072-811-5519 on its card.
#[test]
fn the_card_of_bloom_groups_its_number() {
    let (code, card, err) = run(&["show", "--card", "wam-2750320620"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(card.starts_with("Bloom"), "{card}");
    assert!(card.contains("072-811-5519"), "{card}");
    let (_, stored, _) = run(&["show", "--json", "wam-2750320620"]);
    assert!(stored.contains("\"0728115519\""), "{stored}");
}
