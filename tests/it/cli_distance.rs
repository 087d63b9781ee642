//! Distance on the bundled directory (issue 11 item 1): offices within reach of the selected
//! area across prefecture borders, `distance_km` in JSON and 約5km in text, `--within`,
//! `--sort distance`, and the no-results offer to widen the radius.

use serde_json::Value;

use crate::common;
use common::{hit_ids, run};

fn json(args: &[&str]) -> Value {
    let (code, out, err) = run(args);
    assert_eq!(code, Some(0), "{args:?}: {err}");
    serde_json::from_str(&out).expect("valid JSON")
}

fn names(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap().to_string())
        .collect()
}

fn distances(v: &Value) -> Vec<Option<f64>> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["distance_km"].as_f64())
        .collect()
}

#[test]
fn waki_finds_the_hiroshima_nishi_centre_across_the_border_with_its_distance() {
    let v = json(&[
        "search",
        "医療型障害児入所施設",
        "--area",
        "和木町",
        "--json",
        "--limit",
        "3",
    ]);
    let names = names(&v);
    let at = names
        .iter()
        .position(|n| n.contains("広島西医療センター"))
        .unwrap_or_else(|| panic!("広島西医療センター (大竹市) not in the top 3: {names:?}"));
    let km = distances(&v)[at].expect("its distance");
    assert!((3.0..8.0).contains(&km), "{km} km");
    // And in the aligned text, read aloud as 約4km (its 療養介護 row's coordinates, 玖波西).
    let (_, text, _) = run(&["search", "医療型障害児入所施設", "--area", "和木町"]);
    let line = text
        .lines()
        .find(|l| l.contains("広島西医療セン"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("約4km"), "{line}");
}

#[test]
fn kyotaku_homon_in_shinagawa_has_mirimiri_shinagawa_first_or_second() {
    let v = json(&[
        "search",
        "居宅訪問型",
        "--area",
        "品川区",
        "--json",
        "--limit",
        "5",
    ]);
    let names = names(&v);
    assert!(
        names.iter().take(2).any(|n| n == "ミリミリ品川"),
        "{names:?}"
    );
}

#[test]
fn within_zero_is_the_service_area_rule_alone_and_every_record_it_admits_stays_in() {
    let served = json(&["list", "--area", "和木町", "--within", "0", "--json"]);
    let reach = json(&["list", "--area", "和木町", "--json"]);
    let (served, reach) = (hit_ids(&served), hit_ids(&reach));
    assert!(
        reach.len() > served.len(),
        "{} vs {}",
        reach.len(),
        served.len()
    );
    for id in &served {
        assert!(reach.contains(id), "{id} serves 和木町 but is not listed");
    }
    // 広島西医療センター is not a 和木町 record: only the radius brings it in.
    let v = json(&[
        "search",
        "医療型障害児入所施設",
        "--area",
        "和木町",
        "--within",
        "0",
        "--json",
    ]);
    assert!(
        names(&v).iter().all(|n| !n.contains("広島西医療センター")),
        "{v}"
    );
}

#[test]
fn sort_distance_puts_the_nearest_first_and_records_without_coordinates_last() {
    for cmd in [&["list"][..], &["search", "相談"][..]] {
        let mut args = cmd.to_vec();
        args.extend(["--area", "和木町", "--sort", "distance", "--json"]);
        let v = json(&args);
        let d = distances(&v);
        assert!(d.iter().any(Option::is_some), "{args:?}");
        let known: Vec<f64> = d.iter().map_while(|x| *x).collect();
        assert!(known.windows(2).all(|w| w[0] <= w[1]), "{args:?}: {d:?}");
        assert!(
            d[known.len()..].iter().all(Option::is_none),
            "{args:?}: {d:?}"
        );
        assert!(known.iter().all(|&k| k <= 30.0), "{args:?}: {d:?}");
    }
}

/// Nothing within a small radius: the nearest offices anyway, nearest first, and widening
/// stays on offer with its count.
#[test]
fn nothing_within_a_small_radius_gives_the_nearest_and_still_offers_twice_the_radius() {
    let v = json(&[
        "search",
        "医療型障害児入所施設",
        "--area",
        "和木町",
        "--within",
        "3",
        "--json",
    ]);
    assert_eq!(v["nearest_beyond_km"], 3, "{v}");
    assert!(
        names(&v).iter().any(|n| n.contains("広島西医療センター")),
        "{v}"
    );
    let relax = v["no_results"]["relaxations"].as_array().unwrap();
    assert_eq!(relax[0]["label"], "6kmに広げる", "{relax:?}");
    assert!(relax[0]["count"].as_u64().unwrap() >= 1, "{relax:?}");
}

/// Nearest, always (issue 23): an island with no office of the type asked within the radius
/// gets the nearest ones of that type however far — only that type, nearest first, each
/// with its distance — and a heading that says so.
#[test]
fn an_island_gets_the_nearest_offices_of_the_type_asked_with_their_distances() {
    let v = json(&[
        "search",
        "--area",
        "壱岐市",
        "--json",
        "--",
        "医療型障害児入所施設",
    ]);
    assert_eq!(v["nearest_beyond_km"], 30, "{v}");
    let hits = v["hits"].as_array().unwrap();
    assert!(hits.len() >= 3, "a choice, not one office: {v}");
    for h in hits {
        let summary = h["snippet"].as_str().unwrap_or_default();
        assert!(
            summary.contains("医療型障害児入所施設"),
            "another type: {h}"
        );
    }
    let km: Vec<f64> = distances(&v)
        .into_iter()
        .map(|d| d.expect("a distance"))
        .collect();
    assert!(km[0] > 30.0, "{km:?}");
    assert!(km.windows(2).all(|w| w[0] <= w[1]), "nearest first: {km:?}");
    let (_, text, _) = run(&["search", "--area", "壱岐市", "--", "医療型障害児入所施設"]);
    let heading = text.lines().next().unwrap_or_default();
    assert!(
        heading.contains("30km以内にありません — 近い順"),
        "{heading}"
    );
    assert!(
        text.lines().nth(1).is_some_and(|l| l.contains("km")),
        "{text}"
    );
}

/// A type the area has within reach is not replaced by far-away offices.
#[test]
fn a_type_within_reach_is_answered_there() {
    let v = json(&[
        "search",
        "--area",
        "八戸市",
        "--json",
        "--",
        "医療型児童発達支援",
    ]);
    assert!(v.get("nearest_beyond_km").is_none(), "{v}");
    let first = &v["hits"][0];
    assert!(
        first["snippet"]
            .as_str()
            .unwrap_or_default()
            .contains("医療型児童発達支援"),
        "{first}"
    );
}

/// A ward the gazetteer has no office location for (浜松市中央区, created in 2024) is measured
/// from its city's office: the offices within reach are found, with their distance, as for
/// the city itself (before, only those naming the ward: 19 of 41).
#[test]
fn a_ward_without_its_own_location_is_measured_from_its_city() {
    let ward = json(&["search", "支援", "--area", "浜松市中央区", "--json"]);
    let city = json(&["search", "支援", "--area", "浜松市", "--json"]);
    assert_eq!(ward["total"], city["total"]);
    assert!(
        distances(&ward).iter().any(Option::is_some),
        "{:?}",
        names(&ward)
    );
}

/// Distance from the most specific area known (issue 24): 「長野県川上村」 searched in 長野県 (a
/// widened search, or the prefecture chosen first) measures from 川上村's office, as the
/// search in 川上村 does — not from 長野県's in 長野市, 80 km away (東長野病院 showed 約6km).
#[test]
fn distance_is_measured_from_the_municipality_typed_inside_the_area() {
    let query = "長野県川上村 短期入所";
    let village = json(&["search", "--json", "--limit", "30", "--", query]);
    let pref = json(&[
        "search",
        "--json",
        "--area",
        "長野県",
        "--limit",
        "500",
        "--",
        query,
    ]);
    let from_village: std::collections::HashMap<String, f64> = hit_ids(&village)
        .into_iter()
        .zip(distances(&village))
        .filter_map(|(id, d)| Some((id, d?)))
        .collect();
    assert!(!from_village.is_empty(), "{village}");
    let mut compared = 0;
    for (id, d) in hit_ids(&pref).into_iter().zip(distances(&pref)) {
        if let (Some(want), Some(got)) = (from_village.get(&id), d) {
            assert!(
                (want - got).abs() < 0.2,
                "{id}: {got} km, from 川上村 {want} km"
            );
            compared += 1;
        }
    }
    assert!(compared > 0, "{pref}");
    // Nothing in 長野市 is within a few km of 川上村.
    for (name, d) in names(&pref).iter().zip(distances(&pref)) {
        if let Some(d) = d {
            assert!(d > 5.0 || !name.contains("東長野"), "{name}: {d} km");
        }
    }
}

/// Reach of an office used by staying there (issue 24): 小諸高原病院 (療養介護・医療型障害児
/// 入所施設・短期入所) is used by a family wherever they live, with their own 支給決定 — its
/// 利用できる地域 says so instead of 小諸市, which stays its 所在地域; a 放デイ office (通所)
/// keeps its municipality.
#[test]
fn an_office_used_by_staying_there_is_not_limited_to_its_own_municipality() {
    let field = |id: &str, label: &str| {
        let (code, out, err) = run(&["show", id]);
        assert_eq!(code, Some(0), "{err}");
        out.lines()
            .find(|l| l.starts_with(label))
            .map(|l| l[label.len()..].trim().to_string())
            .unwrap_or_else(|| panic!("{id}: no {label}\n{out}"))
    };
    for id in ["wam-2010800049", "wam-4710601016"] {
        let reach = field(id, "利用できる地域");
        assert!(reach.starts_with("住所地を問わず"), "{id}: {reach}");
        assert!(reach.contains("支給決定"), "{id}: {reach}");
    }
    assert_eq!(field("wam-2010800049", "所在地域"), "小諸市");
    assert_eq!(field("wam-0150102242", "利用できる地域"), "札幌市中央区");
}
