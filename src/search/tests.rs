//! Ranking and relaxations of the whole engine, on a small directory built here: a table of
//! cases, each a request and what must come first / what must be offered. (The token-level
//! ladder is in `analyzer.rs`; real enquiries are in `tests/it/search_quality.rs`.)

use serde_json::{Value, json};

use super::explain::widenings;
use super::*;
use crate::directory::{Catalog, parse_directory};

/// One record: id, name, summary, service areas, status, care types.
struct R(
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static [&'static str],
);

const RECORDS: &[R] = &[
    R(
        "name-match",
        "しながわ訪問看護ステーション",
        "小児の看護",
        &["13109"],
        "active",
        &["ventilator"],
    ),
    R(
        "summary-match",
        "品川こども相談室",
        "訪問看護の紹介",
        &["13109"],
        "active",
        &[],
    ),
    R(
        "ended",
        "終了した訪問入浴",
        "訪問入浴サービス",
        &["13109"],
        "ended",
        &[],
    ),
    R(
        "active",
        "いまの訪問入浴",
        "訪問入浴サービス",
        &["13109"],
        "active",
        &[],
    ),
    R(
        "tokyo-wide",
        "東京都レスパイト",
        "短期入所の案内",
        &["13"],
        "active",
        &[],
    ),
    R(
        "shinagawa",
        "品川レスパイト",
        "短期入所の案内",
        &["13109"],
        "active",
        &[],
    ),
    R(
        "hachioji",
        "八王子レスパイト",
        "短期入所の案内",
        &["13201"],
        "active",
        &[],
    ),
    R(
        "hachioji-only",
        "八王子療育センター",
        "発達の相談",
        &["13201"],
        "active",
        &[],
    ),
];

/// The fixture's gazetteer (全国, 東京都, 区部, 品川区) plus 多摩 and 八王子市, with the
/// records above.
fn catalog() -> Catalog {
    let mut doc: Value =
        serde_json::from_str(include_str!("../../tests/fixtures/minimal.json")).unwrap();
    let areas = doc["areas"].as_array_mut().unwrap();
    areas.push(
        json!({"id": "13-tama", "name": "多摩", "kana": "たま", "level": "region", "parent": "13"}),
    );
    areas.push(json!({"id": "13201", "name": "八王子市", "kana": "はちおうじし", "level": "municipality", "parent": "13-tama"}));
    doc["resources"] = RECORDS
        .iter()
        .map(|R(id, name, summary, areas, status, care)| {
            json!({
                "id": id, "name": name, "kind": "service", "summary": summary,
                "service_areas": areas, "care_types": care, "status": status,
                "sources": [{"file": "doc.txt", "section": "1", "date": "2024-10-16"}]
            })
        })
        .collect();
    let bytes = serde_json::to_vec(&doc).unwrap();
    Catalog::new(parse_directory(&bytes, "test").unwrap())
}

fn request(c: &Catalog, text: &str, area: Option<&str>, care: &[&str]) -> SearchRequest {
    SearchRequest {
        text: text.into(),
        area: area.map(|a| c.areas.index_of(a).unwrap()),
        care_types: care.iter().map(|s| s.to_string()).collect(),
        limit: 20,
        ..Default::default()
    }
}

fn ids(c: &Catalog, res: &SearchResults) -> Vec<String> {
    res.hits
        .iter()
        .map(|h| c.record(h.resource).id.clone())
        .collect()
}

#[test]
fn ranking_table() {
    let c = catalog();
    let engine = SearchEngine::new(&c).unwrap();
    // (text, area, first, then — ids in that order somewhere below, absent — not found)
    type Case<'a> = (
        &'a str,
        Option<&'a str>,
        &'a str,
        &'a [&'a str],
        &'a [&'a str],
    );
    let cases: &[Case] = &[
        // A name match ranks above a summary match.
        ("訪問看護", None, "name-match", &["summary-match"], &[]),
        // Active above ended for the same text.
        ("訪問入浴", None, "active", &["ended"], &[]),
        // With an area: the record for the area itself above the prefecture-wide one;
        // another municipality's record is filtered out.
        (
            "レスパイト",
            Some("13109"),
            "shinagawa",
            &["tokyo-wide"],
            &["hachioji"],
        ),
        (
            "レスパイト",
            Some("13201"),
            "hachioji",
            &["tokyo-wide"],
            &["shinagawa"],
        ),
        // A prefecture includes the records of places inside it.
        ("レスパイト", Some("13"), "tokyo-wide", &["shinagawa"], &[]),
        // An area word in the text is the area of the search when none is selected.
        (
            "八王子 レスパイト",
            None,
            "hachioji",
            &["tokyo-wide"],
            &["shinagawa"],
        ),
        // A selected area wins over the word, which is then only text.
        (
            "八王子 レスパイト",
            Some("13109"),
            "shinagawa",
            &[],
            &["hachioji"],
        ),
        // Only an area word: what people living there can use.
        ("八王子", None, "hachioji", &[], &["shinagawa"]),
    ];
    for (text, area, first, then, absent) in cases {
        let res = engine.search(&c, &request(&c, text, *area, &[])).unwrap();
        let got = ids(&c, &res);
        let case = format!("{text:?} in {area:?}: {got:?}");
        assert_eq!(got.first().map(String::as_str), Some(*first), "{case}");
        let mut at = 0;
        for id in *then {
            let pos = got.iter().position(|g| g == id).expect(&case);
            assert!(pos > at, "{case}");
            at = pos;
        }
        for id in *absent {
            assert!(!got.contains(&id.to_string()), "{case}");
        }
        assert_eq!(res.total, got.len(), "{case}");
    }
}

#[test]
fn relaxations_table() {
    let c = catalog();
    let engine = SearchEngine::new(&c).unwrap();
    // (text, area, care, removed by, relaxations offered (label, count))
    type Case<'a> = (
        &'a str,
        Option<&'a str>,
        &'a [&'a str],
        &'a [&'a str],
        &'a [(&'a str, usize)],
    );
    let cases: &[Case] = &[
        // Only 品川 has it: widening to 多摩 finds nothing (not offered), to 東京都 does.
        (
            "訪問看護",
            Some("13201"),
            &[],
            &["地域"],
            &[
                ("地域を東京都に広げる", 2),
                ("地域の指定を外す", 2),
                ("キーワードを外す（絞り込みだけで一覧）", 3),
            ],
        ),
        // Nothing has this care type with these words.
        (
            "療育",
            None,
            &["ventilator"],
            &["ケア"],
            &[
                ("ケアの種類の指定を外す", 1),
                ("キーワードを外す（絞り込みだけで一覧）", 1),
            ],
        ),
        // Words that match nothing anywhere: no filter to blame; the whole directory.
        (
            "ぴよぴよ",
            None,
            &[],
            &[],
            &[("キーワードを外す（絞り込みだけで一覧）", 8)],
        ),
    ];
    for (text, area, care, removed_by, offered) in cases {
        let res = engine.search(&c, &request(&c, text, *area, care)).unwrap();
        let case = format!("{text:?} in {area:?} with {care:?}");
        assert_eq!(res.total, 0, "{case}");
        let nr = res.no_results.expect(&case);
        assert_eq!(nr.removed_by, *removed_by, "{case}");
        let got: Vec<(&str, usize)> = nr
            .relaxations
            .iter()
            .map(|r| (r.label.as_str(), r.count))
            .collect();
        assert_eq!(got, *offered, "{case}");
        // Each relaxation, applied, finds what it says.
        for r in &nr.relaxations {
            let applied = engine.search(&c, &r.request).unwrap();
            assert_eq!(applied.total, r.count, "{case}: {}", r.label);
        }
    }
}

#[test]
fn every_widening_is_built_once_in_the_documented_order() {
    let c = catalog();
    let mut req = request(&c, "訪問看護", Some("13201"), &["ventilator"]);
    req.needs = vec!["short-stay".into()];
    req.with_phone = true;
    let u = query::understand(&Vocabulary::new(&c), &req.text);
    let got: Vec<(String, Option<&str>)> = widenings(&c, &req, &u)
        .into_iter()
        .map(|w| (w.label, w.drops))
        .collect();
    let want = [
        ("地域を多摩に広げる", None),
        ("地域を東京都に広げる", None),
        ("地域の指定を外す", Some("地域")),
        ("ケアの種類の指定を外す", Some("ケア")),
        ("ニーズの指定を外す", Some("ニーズ")),
        ("電話ありの指定を外す", Some("電話あり")),
        ("キーワードを外す（絞り込みだけで一覧）", None),
    ];
    let want: Vec<(String, Option<&str>)> = want.iter().map(|(l, d)| (l.to_string(), *d)).collect();
    assert_eq!(got, want);
}

/// With an area in a region (圏域), the region next to it is offered after its own: 八王子市
/// (多摩) → 区部, where the office's nearest neighbours are; found by the offices' coordinates.
#[test]
fn the_neighbouring_region_is_offered_after_the_areas_own() {
    let (c, engine) = crate::testing::bundled_with_engine();
    let req = SearchRequest {
        area: c.resolve_area("八王子市").ok(),
        // ほわわ品川 (品川区): nothing of that name within reach of 八王子市.
        ..request(&c, "ほわわ", None, &[])
    };
    let u = query::understand(&Vocabulary::new(&c), &req.text);
    let labels: Vec<String> = widenings(&c, &req, &u)
        .into_iter()
        .map(|w| w.label)
        .collect();
    let at = |l: &str| labels.iter().position(|x| x == l).expect(l);
    assert!(
        at("地域を多摩に広げる") < at("隣の区部で探す"),
        "{labels:?}"
    );
    assert!(
        at("隣の区部で探す") < at("地域を東京都に広げる"),
        "{labels:?}"
    );
    let res = engine.search(&c, &req).unwrap();
    let offered = res.no_results.expect("nothing in 八王子市").relaxations;
    assert!(
        offered
            .iter()
            .any(|r| r.label == "隣の区部で探す" && r.count > 0),
        "{offered:?}"
    );
}

/// A word being typed in romaji (`koodin`, on its way to `koodineetaa`) is searched as its
/// finished part (こおでぃ…) before any approximate match of the whole, which is a blur of
/// its grams (こお・でい・いん) and, on a large directory, a keystroke's costliest search.
#[test]
fn a_romaji_word_being_typed_finds_its_finished_part_exactly() {
    let (c, engine) = crate::testing::bundled_with_engine();
    let res = engine
        .search(&c, &request(&c, "koodin", None, &[]))
        .unwrap();
    assert_eq!(res.mode, MatchMode::All, "{:?}", res.understood);
    let coordinator = res.hits.iter().take(5).any(|h| {
        let r = c.record(h.resource);
        crate::text::normalize::normalize(&serde_json::to_string(r).unwrap())
            .contains("こおでいねえたあ")
    });
    assert!(coordinator, "{:?}", ids(&c, &res));
}

/// A place typed last (shunan) that ends like an unfinished syllable (n) is not dropped to
/// find something: with 品川区 selected, nothing in 周南市 says so, not 品川区's list (and
/// no far-away record matching the words only approximately is offered as the nearest).
#[test]
fn a_place_typed_last_is_kept_when_nothing_is_there() {
    let (c, engine) = crate::testing::bundled_with_engine();
    let req = SearchRequest {
        area: c.resolve_area("品川区").ok(),
        area_words_replace: true,
        ..request(&c, "kokyuki shunan", None, &[])
    };
    let res = engine.search(&c, &req).unwrap();
    assert_eq!(res.area_from_text, c.resolve_area("周南市").ok());
    assert_eq!(res.total, 0);
    assert!(res.no_results.is_some());
}

/// 電話あり is a filter of the index like the others: the same records as
/// [`Catalog::filter`], counted before the limit, and a blank phone is no phone.
#[test]
fn with_phone_filters_in_the_index_as_the_catalog_does() {
    let mut c = catalog();
    for (id, phone) in [
        ("shinagawa", "03-1"),
        ("hachioji", "042-1"),
        ("active", " "),
    ] {
        let i = c.resource_index(id).unwrap();
        c.dir.resources[i].contact.phone = Some(phone.into());
    }
    let engine = SearchEngine::new(&c).unwrap();
    for (text, area, want) in [
        ("", None, vec!["shinagawa", "hachioji"]),
        ("レスパイト", Some("13109"), vec!["shinagawa"]),
        ("訪問入浴", None, vec![]),
    ] {
        let mut req = request(&c, text, area, &[]);
        req.with_phone = true;
        let res = engine.search(&c, &req).unwrap();
        let mut got = ids(&c, &res);
        got.sort();
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "{text:?}");
        assert_eq!(res.total, want.len(), "{text:?}");
        if text.is_empty() {
            let listed: Vec<&str> = c
                .filter(&req.filters())
                .iter()
                .map(|r| r.id.as_str())
                .collect();
            assert_eq!(listed.len(), res.total);
        }
    }
    let mut req = request(&c, "", None, &[]);
    req.with_phone = true;
    req.limit = 1;
    let res = engine.search(&c, &req).unwrap();
    assert_eq!((res.hits.len(), res.total), (1, 2));
}

#[test]
fn did_you_mean_table() {
    let c = catalog();
    let engine = SearchEngine::new(&c).unwrap();
    // (typed, first name offered)
    let cases: &[(&str, Option<&str>)] = &[
        ("八王子センター", Some("八王子療育センター")),
        ("品川レス", Some("品川レスパイト")),
        ("ｲﾏﾉ訪問", Some("いまの訪問入浴")),
        ("zzz", None),
        ("   ", None),
    ];
    for (typed, first) in cases {
        let names = engine
            .did_you_mean(&c, &request(&c, typed, None, &[]))
            .unwrap();
        assert_eq!(
            names.first().map(String::as_str),
            *first,
            "{typed:?}: {names:?}"
        );
        assert!(names.len() <= 3);
    }
}

/// The fixture with coordinates: 品川区's and 八王子市's offices, 品川レスパイト at 品川区役所,
/// an office across the border of 品川区 (it serves only 八王子市) 3 km away, and one that
/// serves only 八王子市 at its office (about 40 km away).
fn catalog_with_locations() -> Catalog {
    let c = catalog();
    let mut dir = c.dir.clone();
    let shinagawa = GeoPoint {
        lat: 35.6092,
        lng: 139.7302,
    };
    let hachioji = GeoPoint {
        lat: 35.6664,
        lng: 139.3160,
    };
    for a in &mut dir.areas {
        match a.id.as_str() {
            "13109" => a.location = Some(shinagawa),
            "13201" => a.location = Some(hachioji),
            _ => {}
        }
    }
    for r in &mut dir.resources {
        match r.id.as_str() {
            "shinagawa" => r.location = Some(shinagawa),
            "hachioji" => r.location = Some(hachioji),
            // Serves 八王子市 only, but stands 3 km south of 品川区役所.
            "hachioji-only" => {
                r.location = Some(GeoPoint {
                    lat: shinagawa.lat - 0.027,
                    lng: shinagawa.lng,
                })
            }
            _ => {}
        }
    }
    Catalog::new(dir)
}

use crate::directory::GeoPoint;

#[test]
fn offices_within_reach_pass_the_area_filter_and_carry_their_distance() {
    let c = catalog_with_locations();
    let engine = SearchEngine::new(&c).unwrap();
    let shinagawa = c.areas.index_of("13109").unwrap();
    // (text, within km, expected ids in order, expected distances rounded to km)
    type Case<'a> = (&'a str, u32, &'a [&'a str], &'a [Option<u32>]);
    let cases: &[Case] = &[
        // The office 3 km away is in (it serves only 八王子市).
        ("療育", 30, &["hachioji-only"], &[Some(3)]),
        // The service-area rule alone.
        ("療育", 0, &[], &[]),
        ("療育", 2, &[], &[]),
        (
            "レスパイト",
            30,
            &["shinagawa", "tokyo-wide"],
            &[Some(0), None],
        ),
        // 八王子's (38 km) only once the radius reaches it; at the same relevance the nearer
        // first, the one without coordinates (東京都-wide) keeps its score.
        (
            "レスパイト",
            60,
            &["shinagawa", "tokyo-wide", "hachioji"],
            &[Some(0), None, Some(38)],
        ),
    ];
    for (text, within, want, km) in cases {
        let req = SearchRequest {
            text: text.to_string(),
            area: Some(shinagawa),
            within_km: *within,
            limit: 50,
            ..Default::default()
        };
        let res = engine.search(&c, &req).unwrap();
        if want.is_empty() && *within > 0 {
            // Nothing within the radius: the nearest ones, each beyond it (nearest, always).
            assert_eq!(
                res.nearest_beyond_km,
                Some(*within),
                "{text:?} within {within}"
            );
            assert!(
                res.hits
                    .iter()
                    .all(|h| h.distance_km.is_some_and(|d| d > *within as f32)),
                "{text:?} within {within}"
            );
            continue;
        }
        let got = ids(&c, &res);
        assert_eq!(got, *want, "{text:?} within {within}");
        let dist: Vec<Option<u32>> = res
            .hits
            .iter()
            .map(|h| h.distance_km.map(|d| d.round() as u32))
            .collect();
        assert_eq!(dist, *km, "{text:?} within {within}");
        // The index filter agrees with the catalog's (`list`).
        let filters = req.filters();
        assert_eq!(
            res.total,
            c.resources()
                .iter()
                .filter(|r| filters.admits(&c, r))
                .filter(|r| r.name.contains(*text) || r.summary.contains(*text))
                .count(),
            "{text:?} within {within}"
        );
    }
}

#[test]
fn sorted_by_distance_the_nearest_come_first_then_those_without_one() {
    let c = catalog_with_locations();
    let engine = SearchEngine::new(&c).unwrap();
    let req = SearchRequest {
        text: "レスパイト".into(),
        area: c.areas.index_of("13201"),
        within_km: 60,
        sort: Sort::Distance,
        limit: 50,
        ..Default::default()
    };
    let res = engine.search(&c, &req).unwrap();
    assert_eq!(ids(&c, &res), ["hachioji", "shinagawa", "tokyo-wide"]);
}

#[test]
fn no_results_offers_twice_the_radius() {
    let c = catalog_with_locations();
    let engine = SearchEngine::new(&c).unwrap();
    let req = SearchRequest {
        text: "療育".into(),
        area: c.areas.index_of("13109"),
        within_km: 2,
        limit: 10,
        ..Default::default()
    };
    let res = engine.search(&c, &req).unwrap();
    let nr = res.no_results.expect("nothing within 2 km");
    let first = &nr.relaxations[0];
    assert_eq!((first.label.as_str(), first.count), ("4kmに広げる", 1));
    assert_eq!(first.request.within_km, 4);
}

/// The fixture with the care of each record as its source says it: 東京都レスパイト's document
/// states 人工呼吸器; 品川レスパイト is an open-data office (事業所番号, no care: 要確認);
/// 八王子レスパイト is an office whose document states たん吸引 only.
fn catalog_with_care() -> Catalog {
    let c = catalog_with_locations();
    let mut dir = c.dir.clone();
    for r in &mut dir.resources {
        match r.id.as_str() {
            "tokyo-wide" => r.care_types = vec!["ventilator".into()],
            "shinagawa" => r.office_numbers = vec!["1310900001".into()],
            "hachioji" => {
                r.office_numbers = vec!["1320100001".into()];
                r.care_types = vec!["suction".into()];
            }
            _ => {}
        }
    }
    Catalog::new(dir)
}

#[test]
fn a_care_filter_keeps_offices_that_cannot_say_after_those_that_state_it() {
    let c = catalog_with_care();
    let engine = SearchEngine::new(&c).unwrap();
    for sort in [Sort::Relevance, Sort::Distance] {
        let mut req = request(&c, "レスパイト", Some("13109"), &["ventilator"]);
        req.within_km = 60;
        req.sort = sort;
        let res = engine.search(&c, &req).unwrap();
        // 品川レスパイト serves 品川区 exactly and is 0 km away, yet follows the record that
        // states the care; 八王子's states other care and is left out.
        assert_eq!(ids(&c, &res), ["tokyo-wide", "shinagawa"], "{sort:?}");
        let marks: Vec<bool> = res.hits.iter().map(|h| h.care_unknown).collect();
        assert_eq!(marks, [false, true], "{sort:?}");
        assert_eq!((res.total, res.care_unknown), (2, 1), "{sort:?}");
        // `list` keeps the same records in the same tiers.
        let listed: Vec<&str> = c
            .filter(&req.filters())
            .iter()
            .filter(|r| r.name.contains("レスパイト"))
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(listed, ["tokyo-wide", "shinagawa"]);
    }
    // Without a care type nothing is 要確認.
    let res = engine
        .search(&c, &request(&c, "レスパイト", Some("13109"), &[]))
        .unwrap();
    assert_eq!(res.care_unknown, 0);
    assert!(res.hits.iter().all(|h| !h.care_unknown));
}

#[test]
fn a_record_whose_care_types_leave_out_the_one_asked_is_left_out() {
    let c = catalog_with_care();
    let engine = SearchEngine::new(&c).unwrap();
    // Everything, filtered by care: the stated ones (しながわ訪問看護ステーション, 東京都レスパイト),
    // then the office that cannot say. Left out: 八王子レスパイト (たん吸引 only) and the
    // records of documents that name no care.
    let res = engine
        .search(&c, &request(&c, "", None, &["ventilator"]))
        .unwrap();
    assert_eq!(ids(&c, &res), ["name-match", "tokyo-wide", "shinagawa"]);
    assert_eq!((res.total, res.care_unknown), (3, 1));
    // Asked for たん吸引, 八王子レスパイト states it and comes first; 人工呼吸器 and たん吸引
    // together, only the office that cannot say either is left.
    let res = engine
        .search(&c, &request(&c, "", None, &["suction"]))
        .unwrap();
    assert_eq!(ids(&c, &res), ["hachioji", "shinagawa"]);
    let res = engine
        .search(&c, &request(&c, "", None, &["ventilator", "suction"]))
        .unwrap();
    assert_eq!(ids(&c, &res), ["shinagawa"]);
    assert_eq!(res.care_unknown, 1);
}

/// Issue 22: did-you-mean offers names near the caller first — those serving the area, then
/// the others nearest first — never a far one before the nearest (那覇市 for 大阪市).
#[test]
fn did_you_mean_offers_the_names_serving_the_area_then_the_nearest() {
    let c = catalog_with_locations();
    let mut dir = c.dir.clone();
    for r in &mut dir.resources {
        // 3 km south of 品川区役所, serving 八王子市 only.
        if r.id == "hachioji-only" {
            r.name = "八王子レスパイト分室".into();
        }
    }
    let c = Catalog::new(dir);
    let engine = SearchEngine::new(&c).unwrap();
    let offered = |area: Option<&str>| {
        engine
            .did_you_mean(&c, &request(&c, "レスパイト", area, &[]))
            .unwrap()
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    // 品川区: the two serving it, then the office 3 km away before 八王子's, 38 km away.
    let near_shinagawa = offered(Some("13109"));
    assert_eq!(
        sorted(near_shinagawa[..2].to_vec()),
        ["品川レスパイト", "東京都レスパイト"],
        "{near_shinagawa:?}"
    );
    assert_eq!(
        near_shinagawa[2], "八王子レスパイト分室",
        "{near_shinagawa:?}"
    );
    // 八王子市: the three serving it; 品川's is not offered before them.
    let near_hachioji = offered(Some("13201"));
    assert_eq!(
        sorted(near_hachioji.clone()),
        [
            "八王子レスパイト",
            "八王子レスパイト分室",
            "東京都レスパイト"
        ],
        "{near_hachioji:?}"
    );
    // Without an area, the best matches whatever their place.
    let anywhere = offered(None);
    assert_eq!(anywhere.len(), 3, "{anywhere:?}");
    assert_ne!(anywhere, near_hachioji);
}

/// A word is a place in a text unless an area's ending follows it (品川区, 八王子市, 大島郡).
#[test]
fn names_a_place_table() {
    for (text, word, want) in [
        ("東京都世田谷区大蔵2-10-1", "大蔵", true),
        ("takumi祖師ヶ谷大蔵", "大蔵", true),
        ("山形県最上郡大蔵村清水", "大蔵", false),
        ("東京都品川区北品川", "品川", true),
        ("東京都品川区大井", "品川", false),
        ("八王子市役所", "八王子", false),
        ("岩国圏域の窓口", "岩国", false),
        ("", "大蔵", false),
    ] {
        assert_eq!(names_a_place(text, word), want, "{text} {word}");
    }
}

/// 大蔵 is 山形県大蔵村's short name and a place in 世田谷区 (the bundled data): the query
/// finds the centre there, and says which area it did not take; 八王子 stays the area.
#[test]
fn a_short_name_that_is_a_place_elsewhere_stays_text() {
    let catalog = crate::testing::bundled();
    let engine = SearchEngine::new(&catalog).unwrap();
    let search = |q: &str| {
        engine
            .search(&catalog, &SearchRequest::new(q, &Default::default(), 20))
            .unwrap()
    };
    let r = search("大蔵");
    assert_eq!(r.area_from_text, None);
    let okura = catalog.areas.index_of("06365");
    assert_eq!(
        r.understood.also_a_place.as_ref().map(|(_, a)| Some(*a)),
        Some(okura)
    );
    assert!(
        r.hits
            .iter()
            .any(|h| catalog.record(h.resource).name.contains("大蔵二丁目")),
        "the centre at 大蔵 in 世田谷区"
    );
    let r = search("八王子 訪問看護");
    assert_eq!(r.area_from_text, catalog.areas.index_of("13201"));
    assert_eq!(r.understood.also_a_place, None);
    let r = search("大蔵村");
    assert_eq!(r.area_from_text, okura);
}

/// A partial answer names the words that found nothing (issue 24): 訪問入浴 finds records, 乗馬
/// none — the hits match only 訪問入浴, and the results say so; the words are given as typed.
/// When every word found something (no record has both), nothing is named.
#[test]
fn a_partial_answer_names_the_words_that_found_nothing() {
    let c = catalog();
    let e = SearchEngine::new(&c).unwrap();
    let res = e
        .search(&c, &request(&c, "訪問入浴 乗馬", None, &[]))
        .unwrap();
    assert_eq!(res.mode, MatchMode::Some);
    assert!(res.total > 0);
    assert_eq!(res.unmatched, ["乗馬"]);
    // Within the area's filter: 訪問入浴 is only in 品川区, not for someone in 八王子市.
    let res = e
        .search(&c, &request(&c, "訪問入浴 レスパイト", Some("13201"), &[]))
        .unwrap();
    assert_eq!(res.unmatched, ["訪問入浴"], "{:?}", ids(&c, &res));
    // Both words found something, but no record has both: nothing is named.
    let res = e
        .search(&c, &request(&c, "訪問入浴 レスパイト", None, &[]))
        .unwrap();
    assert_eq!(res.mode, MatchMode::Some);
    assert!(res.unmatched.is_empty(), "{:?}", res.unmatched);
    // Every word matched: nothing to say.
    let res = e.search(&c, &request(&c, "訪問入浴", None, &[])).unwrap();
    assert!(res.unmatched.is_empty());
}

/// A sentence (three words or more) needs most of its words, not all: the records holding
/// most of them are the answer, and those holding one word of three do not follow them as
/// two words' partial matches do — they would bury the answer under every record that
/// merely shares one word.
#[test]
fn a_sentence_lists_the_records_holding_most_of_its_words_and_no_single_word_ones() {
    let c = catalog();
    let engine = SearchEngine::new(&c).unwrap();
    let res = engine
        .search(&c, &request(&c, "訪問 入浴 紹介", None, &[]))
        .unwrap();
    let got = ids(&c, &res);
    let case = format!("{got:?} {:?}", res.understood);
    assert_eq!(res.mode, MatchMode::All, "{case}");
    for most in ["active", "ended", "summary-match"] {
        assert!(got.contains(&most.to_string()), "{most}: {case}");
    }
    // しながわ訪問看護ステーション holds 訪問 alone.
    assert!(!got.contains(&"name-match".to_string()), "{case}");
    assert_eq!((res.every_word, res.total), (None, got.len()), "{case}");
    // Two words that few records hold together are still followed by those holding one.
    let res = engine
        .search(&c, &request(&c, "入浴 訪問", None, &[]))
        .unwrap();
    let got = ids(&c, &res);
    assert_eq!(res.every_word, Some(2), "{got:?}");
    assert!(got.contains(&"name-match".to_string()), "{got:?}");
}
