//! Every area of Japan (issue 9): the gazetteer's counts and readings (`ikenavi areas`), and
//! area lookup by name, reading, romaji and both code forms — with ambiguous names (北区,
//! 府中市) never guessed: exit 2 listing every candidate with its prefecture and city.

use serde_json::Value;

mod common;
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
