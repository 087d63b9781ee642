//! Every area of Japan (issue 9): the gazetteer's counts and readings (`ikenavi areas`), and
//! area lookup by name, reading, romaji and both code forms — with ambiguous names (北区,
//! 府中市) never guessed: exit 2 listing every candidate with its prefecture and city.

use serde_json::Value;

use crate::common;
use common::run;

fn json(args: &[&str]) -> Value {
    let (code, out, err) = run(args);
    assert_eq!(code, Some(0), "{args:?}: {err}");
    serde_json::from_str(&out).expect("JSON")
}

#[test]
fn the_gazetteer_holds_every_prefecture_municipality_and_ward_with_its_reading() {
    let v = json(&["areas", "--json"]);
    let areas = v["areas"].as_array().unwrap();
    let count = |level: &str| areas.iter().filter(|a| a["level"] == level).count();
    assert_eq!(count("prefecture"), 47);
    assert!(count("municipality") >= 1741, "{}", count("municipality"));
    assert_eq!(count("ward"), 171);
    let without_kana: Vec<&Value> = areas
        .iter()
        .filter(|a| a["kana"].as_str().is_none_or(str::is_empty))
        .collect();
    assert!(without_kana.is_empty(), "{without_kana:?}");
    // Regions keep their place between prefecture and municipality.
    let parent_of = |id: &str| {
        areas.iter().find(|a| a["id"] == id).unwrap()["parent"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(parent_of("13109"), "13-kubu");
    assert_eq!(parent_of("35321"), "35-iwakuni");
    assert_eq!(parent_of("27127"), "27100");
    assert_eq!(parent_of("27100"), "27");
}

/// The area `list --json --area X` reports, or the exit code and stderr.
fn area_of(input: &str) -> Result<String, (Option<i32>, String)> {
    let (code, out, err) = run(&["list", "--json", "--area", input]);
    if code != Some(0) {
        return Err((code, err));
    }
    let v: Value = serde_json::from_str(&out).unwrap();
    Ok(v["area"].as_str().unwrap().to_string())
}

#[test]
fn a_ward_resolves_from_its_name_reading_romaji_and_both_code_forms() {
    for input in [
        "大阪市北区",
        "おおさかしきたく",
        "oosakashikitaku",
        "27127",
        "271276",
    ] {
        assert_eq!(area_of(input).as_deref(), Ok("大阪市北区"), "{input}");
    }
    for (input, name) in [
        ("大阪市", "大阪市"),
        ("那覇市", "那覇市"),
        ("札幌市中央区", "札幌市中央区"),
        ("品川", "品川区"),
        ("shinagawa", "品川区"),
        ("下松", "下松市"),
    ] {
        assert_eq!(area_of(input).as_deref(), Ok(name), "{input}");
    }
}

#[test]
fn an_ambiguous_name_exits_2_naming_every_candidate() {
    let Err((code, err)) = area_of("北区") else {
        panic!("北区 was guessed")
    };
    assert_eq!(code, Some(2));
    for place in [
        "東京都北区",
        "大阪府大阪市北区",
        "北海道札幌市北区",
        "京都府京都市北区",
    ] {
        assert!(err.contains(place), "{place}: {err}");
    }
    let Err((code, err)) = area_of("府中市") else {
        panic!("府中市 was guessed")
    };
    assert_eq!(code, Some(2));
    assert!(
        err.contains("東京都府中市") && err.contains("広島県府中市"),
        "{err}"
    );
    // The candidates' codes resolve.
    assert_eq!(area_of("13117").as_deref(), Ok("北区"));
}

#[test]
fn a_city_with_wards_includes_its_wards_records() {
    let dir = tempfile::tempdir().unwrap();
    let doc = serde_json::json!({
        "schema_version": 1,
        "source_documents": [{ "file": "o.csv", "issuer": "大阪市", "title": "一覧", "date": "2026-01" }],
        "resources": [{
            "id": "osaka-kita-test", "name": "北区の試験窓口", "kind": "consultation",
            "summary": "試験", "service_areas": ["27127"], "status": "active",
            "sources": [{ "file": "o.csv", "section": "2行目", "date": "2026-01" }]
        }]
    });
    let path = dir.path().join("osaka.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    let p = path.display().to_string();
    for area in ["大阪市北区", "大阪市", "大阪府"] {
        let v = json(&["--data", &p, "list", "--json", "--area", area]);
        let ids: Vec<&str> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&"osaka-kita-test"), "{area}: {ids:?}");
    }
    let v = json(&["--data", &p, "list", "--json", "--area", "大阪市中央区"]);
    assert!(
        !v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["id"] == "osaka-kita-test"),
        "a neighbouring ward's resident cannot use it: {v}"
    );
}

#[test]
fn areas_query_finds_by_reading_romaji_and_code() {
    for q in ["おおさか", "oosaka", "271276"] {
        let v = json(&["areas", "--json", q]);
        let names: Vec<&str> = v["areas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["full_name"].as_str().unwrap())
            .collect();
        assert!(names.iter().any(|n| n.contains("大阪")), "{q}: {names:?}");
    }
}

/// The candidates of an ambiguous `--area` (stderr), one per line, as printed.
fn candidates_of(input: &str) -> Vec<String> {
    let Err((code, err)) = area_of(input) else {
        panic!("{input} was guessed")
    };
    assert_eq!(code, Some(2), "{input}: {err}");
    err.lines()
        .filter(|l| l.starts_with("  "))
        .map(|l| l.trim().to_string())
        .collect()
}

#[test]
fn a_prefecture_and_its_municipality_resolve_with_or_without_a_space() {
    for input in [
        "奈良県川上村",
        "奈良県 川上村",
        "奈良県　川上村",
        "なら 川上村",
    ] {
        assert_eq!(area_of(input).as_deref(), Ok("川上村"), "{input}");
    }
    let v = json(&["list", "--json", "--area", "奈良県 川上村"]);
    assert_eq!(v["area_detail"]["id"], "29452", "{}", v["area_detail"]);
}

#[test]
fn a_city_and_its_ward_resolve_with_a_space_and_with_the_prefecture() {
    for (input, name) in [
        ("横浜市 港北区", "横浜市港北区"),
        ("大阪府大阪市北区", "大阪市北区"),
        ("大阪府 大阪市 北区", "大阪市北区"),
    ] {
        assert_eq!(area_of(input).as_deref(), Ok(name), "{input}");
    }
}

#[test]
fn a_district_name_resolves_with_or_without_the_prefecture() {
    for input in [
        "大島郡周防大島町",
        "山口県大島郡周防大島町",
        "山口県 大島郡 周防大島町",
    ] {
        assert_eq!(area_of(input).as_deref(), Ok("周防大島町"), "{input}");
    }
    // A 郡 the data knows is checked: another 郡 is not that town.
    assert!(area_of("大崎郡周防大島町").is_err());
}

#[test]
fn every_candidate_an_ambiguity_message_prints_is_accepted_back() {
    for input in ["川上村", "北区", "府中市", "泊村"] {
        let candidates = candidates_of(input);
        assert!(candidates.len() >= 2, "{input}: {candidates:?}");
        for c in &candidates {
            // As printed (with its code), and the name alone.
            assert!(area_of(c).is_ok(), "{c}");
            let name = c.split(" (").next().unwrap();
            assert!(area_of(name).is_ok(), "{name}");
        }
    }
}

#[test]
fn every_full_name_of_areas_json_is_accepted_back_as_that_area() {
    let v = json(&["areas", "--json", "川上"]);
    for a in v["areas"].as_array().unwrap() {
        let full = a["full_name"].as_str().unwrap();
        let listed = json(&["list", "--json", "--area", full]);
        assert_eq!(listed["area_detail"]["id"], a["id"], "{full}");
    }
}

#[test]
fn did_you_mean_offers_only_names_that_resolve() {
    let (code, _, err) = run(&["list", "--area", "奈良県川上町"]);
    assert_eq!(code, Some(2));
    let offered = err.split("もしかして: ").nth(1).expect("suggestions");
    for name in offered.trim_end_matches(['）', '\n']).split('、') {
        let out = area_of(name);
        assert!(
            !matches!(out, Err((_, ref e)) if e.contains("見つかりません")),
            "{name}: {out:?}"
        );
    }
}

#[test]
fn a_short_name_shared_by_several_areas_is_ambiguous_not_tokyo() {
    for (input, places) in [
        ("府中", &["東京都府中市", "広島県府中市"][..]),
        ("中央", &["東京都中央区", "大阪府大阪市中央区"][..]),
        ("港", &["東京都港区", "愛知県名古屋市港区"][..]),
    ] {
        let candidates = candidates_of(input).join("\n");
        for place in places {
            assert!(
                candidates.contains(place),
                "{input}: {place} in {candidates}"
            );
        }
    }
    // A prefecture and its capital are both named, as before.
    let candidates = candidates_of("大阪").join("\n");
    assert!(
        candidates.contains("大阪府 (27)") && candidates.contains("大阪府大阪市 (27100)"),
        "{candidates}"
    );
}

#[test]
fn two_villages_of_one_name_in_one_prefecture_differ_by_their_district() {
    let candidates = candidates_of("泊村");
    assert_eq!(
        candidates,
        vec!["北海道古宇郡泊村 (01403)", "北海道国後郡泊村 (01696)"]
    );
}

#[test]
fn json_names_the_area_with_its_prefecture_and_code() {
    let v = json(&["list", "--json", "--area", "34208"]);
    assert_eq!(v["area"], "府中市", "the name stays where it was");
    let d = &v["area_detail"];
    assert_eq!(d["prefecture"], "広島県");
    assert_eq!(d["full_name"], "広島県府中市");
    assert_eq!(d["code"], "342084");
    assert_eq!(d["id"], "34208");
}

/// `areas NAME --card`: the municipality's main window, labelled as its main line.
fn card(name: &str) -> String {
    let (code, out, err) = run(&["areas", name, "--card"]);
    assert_eq!(code, Some(0), "{name}: {err}");
    out
}

#[test]
fn the_area_card_reads_the_municipality_main_line_with_hours_and_source() {
    let out = card("名古屋市");
    let first = out.lines().next().unwrap();
    assert_eq!(
        first,
        "名古屋市役所（代表）052-961-1111 — 障害福祉・子ども担当へ"
    );
    assert!(
        out.contains("名古屋市の代表電話（部署の番号ではありません）"),
        "{out}"
    );
    assert!(
        out.contains("月曜日から金曜日 午前8時45分から午後5時15分（休み: 土曜日・日曜日）"),
        "{out}"
    );
    assert!(
        out.contains(
            "愛知県「市役所・町村役場一覧」（2026-07-27 確認、kurashi-shien-navi/offices.csv:2）"
        ),
        "{out}"
    );
    assert!(
        out.contains("くらし支援ナビ（運営: JUNKBRANDING）"),
        "{out}"
    );
}

#[test]
fn an_area_card_without_a_listed_phone_says_so_and_gives_the_site() {
    let out = card("八戸市");
    assert!(
        out.starts_with("八戸市役所・役場（代表）代表電話は出典の一覧にありません"),
        "{out}"
    );
    assert!(
        out.contains("https://www.city.hachinohe.aomori.jp/"),
        "{out}"
    );
    assert!(
        !out.contains("代表電話（部署"),
        "no phone, so no 代表電話 label: {out}"
    );
}

#[test]
fn an_area_card_of_an_ambiguous_name_lists_the_candidates() {
    let (code, _, err) = run(&["areas", "府中市", "--card"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("東京都府中市") && err.contains("広島県府中市"),
        "{err}"
    );
}

/// Issue 27: a ward of a designated city has no main window of its own in the list; its card
/// gives its city's and says so.
#[test]
fn a_wards_card_is_its_citys_main_window_and_says_so() {
    let out = card("名古屋市中区");
    assert_eq!(
        out.lines().next().unwrap(),
        "名古屋市役所（代表）052-961-1111 — 障害福祉・子ども担当へ"
    );
    assert!(
        out.contains("名古屋市中区の代表窓口は出典の一覧にないため、名古屋市のもの"),
        "{out}"
    );
}

/// Issue 27: `areas --json` carries each municipality's main window as stored, with the
/// phone as read; a prefecture has none.
#[test]
fn areas_json_holds_the_main_window() {
    let v = json(&["areas", "名古屋市", "--json"]);
    let nagoya = v["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "23100")
        .expect("名古屋市");
    let w = &nagoya["main_window"];
    assert_eq!(w["name"], "名古屋市役所");
    assert_eq!(w["phone"], "052-961-1111");
    assert_eq!(w["phone_display"], "052-961-1111");
    assert_eq!(w["row"], "kurashi-shien-navi/offices.csv:2");
    assert_eq!(w["checked"], "2026-07-27");
    let v = json(&["areas", "八戸市", "--json"]);
    let w = &v["areas"][0]["main_window"];
    assert_eq!(w["phone"], Value::Null);
    assert_eq!(w["url"], "https://www.city.hachinohe.aomori.jp/");
    let v = json(&["areas", "愛知県", "--json"]);
    let aichi = v["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["level"] == "prefecture")
        .unwrap();
    assert_eq!(aichi["main_window"], Value::Null);
}
