//! The national gazetteer (`data/gazetteer.json`): generated reproducibly from `data/sources/`,
//! complete, a tree, keeping every area the bundled directory had, and failing loudly on a
//! broken source.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use ikenavi::directory::{Area, AreaLevel};
use ikenavi::import::gazetteer::{self, GazetteerError};
use serde::Deserialize;

fn manifest(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// The committed file, read with the model's types (`deny_unknown_fields`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LayerFile {
    schema_version: u32,
    title: String,
    as_of: String,
    publisher: String,
    areas: Vec<Area>,
}

fn committed() -> LayerFile {
    let text = std::fs::read_to_string(manifest("data/gazetteer.json")).expect("read");
    serde_json::from_str(&text).expect("data/gazetteer.json parses with the model types")
}

fn by_id(areas: &[Area]) -> HashMap<&str, &Area> {
    areas.iter().map(|a| (a.id.as_str(), a)).collect()
}

#[test]
fn regenerating_from_the_sources_gives_the_committed_file() {
    let built = gazetteer::build(&manifest("data/sources")).expect("sources are valid");
    let committed = std::fs::read_to_string(manifest("data/gazetteer.json")).expect("read");
    assert!(
        built == committed,
        "data/gazetteer.json is stale: run `cargo run --release -- import gazetteer`"
    );
}

#[test]
fn the_top_level_names_its_sources() {
    let file = committed();
    assert_eq!(file.schema_version, 1);
    assert_eq!(file.as_of, "2024-01-01");
    assert!(!file.title.is_empty());
    for source in [
        "全国地方公共団体コード",
        "local-gov-code-jp",
        "localgovjp",
        "CC0",
        "MIT",
    ] {
        assert!(file.publisher.contains(source), "publisher lacks {source}");
    }
}

#[test]
fn every_prefecture_municipality_and_ward_is_there_with_its_reading() {
    let areas = committed().areas;
    let count = |level| areas.iter().filter(|a| a.level == level).count();
    assert_eq!(count(AreaLevel::Country), 1);
    assert_eq!(count(AreaLevel::Prefecture), 47);
    assert_eq!(count(AreaLevel::Municipality), 1747);
    assert_eq!(count(AreaLevel::Ward), 171);
    assert_eq!(count(AreaLevel::Region), 11);
    for a in &areas {
        assert!(!a.kana.is_empty(), "{} has no kana", a.id);
        assert!(
            a.kana
                .chars()
                .all(|c| ('ぁ'..='ゖ').contains(&c) || c == 'ー'),
            "{}: kana {:?}",
            a.id,
            a.kana
        );
        let coded = !matches!(a.level, AreaLevel::Country | AreaLevel::Region);
        assert_eq!(a.code.is_some(), coded, "{}: code", a.id);
        if let Some(code) = &a.code {
            assert!(code.starts_with(&a.id), "{}: code {code}", a.id);
            assert!(gazetteer::is_valid_code(code), "{}: code {code}", a.id);
        }
    }
}

#[test]
fn ids_are_unique_and_the_parents_form_one_tree() {
    let areas = committed().areas;
    let ids = by_id(&areas);
    assert_eq!(ids.len(), areas.len(), "an id appears twice");
    for a in &areas {
        let mut seen = HashSet::new();
        let mut at: &Area = a;
        while let Some(parent) = &at.parent {
            assert!(seen.insert(at.id.as_str()), "{}: cycle", a.id);
            at = ids
                .get(parent.as_str())
                .copied()
                .unwrap_or_else(|| panic!("{}: unknown parent {parent}", at.id));
        }
        assert_eq!(at.id, "jp", "{} does not reach 全国", a.id);
    }
}

#[test]
fn parents_follow_the_levels() {
    let areas = committed().areas;
    let ids = by_id(&areas);
    for a in &areas {
        let parent = a.parent.as_deref().map(|p| ids[p].level);
        let expected: &[AreaLevel] = match a.level {
            AreaLevel::Country => &[],
            AreaLevel::Prefecture => &[AreaLevel::Country],
            AreaLevel::Region => &[AreaLevel::Prefecture],
            AreaLevel::Municipality => &[AreaLevel::Prefecture, AreaLevel::Region],
            AreaLevel::Ward => &[AreaLevel::Municipality],
        };
        assert_eq!(parent.is_none(), expected.is_empty(), "{}", a.id);
        if let Some(level) = parent {
            assert!(
                expected.contains(&level),
                "{}: parent level {level:?}",
                a.id
            );
        }
    }
    // Every municipality of 東京都 and 山口県 sits in one of their regions.
    for a in areas.iter().filter(|a| a.level == AreaLevel::Municipality) {
        if a.id.starts_with("13") || a.id.starts_with("35") {
            let parent = a.parent.as_deref().unwrap_or_default();
            assert_eq!(ids[parent].level, AreaLevel::Region, "{}", a.id);
        }
    }
}

#[test]
fn every_area_of_the_first_bundled_gazetteer_is_kept() {
    #[derive(Deserialize)]
    struct Fixture {
        areas: Vec<Area>,
    }
    let text = std::fs::read_to_string(manifest("tests/fixtures/areas-v1.json")).expect("read");
    let old: Fixture = serde_json::from_str(&text).expect("fixture parses");
    assert_eq!(old.areas.len(), 95);
    let areas = committed().areas;
    let ids = by_id(&areas);
    for was in &old.areas {
        let now = ids
            .get(was.id.as_str())
            .unwrap_or_else(|| panic!("{} lost", was.id));
        assert_eq!(
            (&now.name, &now.kana, now.level, &now.parent),
            (&was.name, &was.kana, was.level, &was.parent),
            "{}",
            was.id
        );
        for alias in &was.aliases {
            assert!(
                now.aliases.contains(alias),
                "{}: alias {alias} lost",
                was.id
            );
        }
        assert_eq!(now.note, was.note, "{}: note", was.id);
    }
}

#[test]
fn wards_are_named_with_their_city_and_sit_under_it() {
    let areas = committed().areas;
    let ids = by_id(&areas);
    let kita = ids["27127"];
    assert_eq!(
        (kita.name.as_str(), kita.kana.as_str()),
        ("大阪市北区", "おおさかしきたく")
    );
    assert_eq!(kita.level, AreaLevel::Ward);
    assert_eq!(kita.code.as_deref(), Some("271276"));
    assert!(kita.aliases.iter().any(|a| a == "北区"));
    assert!(kita.aliases.iter().any(|a| a == "きたく"));
    let osaka = ids[kita.parent.as_deref().unwrap_or_default()];
    assert_eq!(
        (osaka.id.as_str(), osaka.name.as_str()),
        ("27100", "大阪市")
    );
    assert_eq!(osaka.parent.as_deref(), Some("27"));
    // 北区 alone stays ambiguous: Tokyo's ward and many wards of 政令市 answer to it.
    let kitaku = areas
        .iter()
        .filter(|a| a.name == "北区" || a.aliases.iter().any(|x| x == "北区"))
        .count();
    assert!(kitaku >= 10, "{kitaku}");
    // Wards come right after their city, in code order.
    let pos = |id: &str| areas.iter().position(|a| a.id == id).unwrap_or(usize::MAX);
    assert!(pos("27100") < pos("27102") && pos("27102") < pos("27127"));
    assert!(pos("27128") < pos("27140"));
}

#[test]
fn the_northern_territories_are_there_and_abolished_wards_are_not() {
    let file = committed();
    let ids = by_id(&file.areas);
    for (id, name) in [
        ("01695", "色丹村"),
        ("01696", "泊村"),
        ("01697", "留夜別村"),
        ("01698", "留別村"),
        ("01699", "紗那村"),
        ("01700", "蘂取村"),
    ] {
        assert_eq!(ids.get(id).map(|a| a.name.as_str()), Some(name), "{id}");
        assert_eq!(ids[id].parent.as_deref(), Some("01"));
    }
    // 浜松市's wards until 2023 (中区 … 天竜区, 22131–22137) are gone; its three new ones exist.
    for id in [
        "22131", "22132", "22133", "22134", "22135", "22136", "22137",
    ] {
        assert!(!ids.contains_key(id), "{id} was abolished on 2024-01-01");
    }
    for (id, name) in [
        ("22138", "浜松市中央区"),
        ("22139", "浜松市浜名区"),
        ("22140", "浜松市天竜区"),
    ] {
        assert_eq!(ids.get(id).map(|a| a.name.as_str()), Some(name), "{id}");
    }
}

#[test]
fn offices_have_coordinates_and_websites() {
    let areas = committed().areas;
    let ids = by_id(&areas);
    let shinagawa = ids["13109"];
    let at = shinagawa.location.expect("品川区 has coordinates");
    assert!((35.5..35.7).contains(&at.lat) && (139.6..139.8).contains(&at.lng));
    assert!(
        shinagawa
            .url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    );
    let hokkaido = ids["01"];
    assert!(hokkaido.location.is_some() && hokkaido.url.is_some());
    let without: Vec<&str> = areas
        .iter()
        .filter(|a| a.code.is_some() && a.location.is_none())
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(
        without,
        [
            "01695", "01696", "01697", "01698", "01699", "01700", "22138", "22139", "22140"
        ]
    );
}

#[test]
fn rows_not_used_are_reported_not_dropped() {
    let g = gazetteer::generate(&manifest("data/sources")).expect("sources are valid");
    let ignored: Vec<(&str, &str)> = g
        .report
        .ignored_rows
        .iter()
        .map(|r| (r.code.as_str(), r.name.as_str()))
        .collect();
    assert_eq!(
        ignored,
        [
            ("221317", "静岡県 浜松市 中区"),
            ("221325", "静岡県 浜松市 東区"),
            ("221333", "静岡県 浜松市 西区"),
            ("221341", "静岡県 浜松市 南区"),
            ("221350", "静岡県 浜松市 北区"),
            ("221368", "静岡県 浜松市 浜北区"),
            ("221376", "静岡県 浜松市 天竜区"),
        ]
    );
    assert!(g.report.ignored_rows.iter().all(|r| r.line > 1));
    assert_eq!(g.report.without_office.len(), 9);
}

// ---------------------------------------------------------------------------------------------
// Broken sources

/// A copy of the sources in a temporary folder, with `file` replaced by `edit(old text)`.
fn broken(file: &str, edit: impl FnOnce(String) -> Option<String>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("sources");
    let mut edit = Some(edit);
    for f in [
        gazetteer::CODE_PREFECTURES,
        gazetteer::CODE_CITIES,
        gazetteer::CODE_WARDS,
        gazetteer::OFFICES,
        gazetteer::PREFECTURE_OFFICES,
        gazetteer::CURATED,
        gazetteer::WINDOWS,
        gazetteer::WINDOW_MUNICIPALITIES,
        gazetteer::WINDOW_SOURCES,
    ] {
        let to = root.join(f);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        let text = std::fs::read_to_string(manifest("data/sources").join(f)).expect("read");
        let text = match edit.take() {
            Some(edit) if f == file => edit(text),
            other => {
                edit = other;
                Some(text)
            }
        };
        if let Some(text) = text {
            std::fs::write(&to, text).expect("write");
        }
    }
    (dir, root)
}

fn error_for(file: &str, edit: impl FnOnce(String) -> Option<String>) -> GazetteerError {
    let (_dir, root) = broken(file, edit);
    gazetteer::build(&root).expect_err("a broken source is an error")
}

#[test]
fn a_missing_source_is_named() {
    let e = error_for(gazetteer::CODE_WARDS, |_| None);
    assert!(matches!(e, GazetteerError::Read { .. }), "{e:?}");
    assert!(
        e.to_string().contains("local-gov-code-jp/wards.json"),
        "{e}"
    );
}

#[test]
fn bad_json_is_named_with_its_place() {
    let e = error_for(gazetteer::CODE_CITIES, |t| {
        Some(t.replacen("\"kana\"", "\"kana\" 1", 1))
    });
    let msg = e.to_string();
    assert!(msg.contains("cities.json") && msg.contains("line"), "{msg}");
    let e = error_for(gazetteer::CURATED, |t| {
        Some(t.replacen("\"members\"", "\"member\"", 1))
    });
    assert!(e.to_string().contains("areas-curated.json"), "{e}");
}

#[test]
fn a_junk_coordinate_is_named_with_its_line() {
    let e = error_for(gazetteer::OFFICES, |t| {
        Some(t.replacen("43.06208877", "北緯43度", 1))
    });
    match &e {
        GazetteerError::Row { path, line, .. } => {
            assert!(path.ends_with("localgovjp/localgovjp-utf8.csv"));
            assert_eq!(*line, 2);
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("localgovjp-utf8.csv:2: lat"), "{e}");
}

#[test]
fn inconsistent_sources_are_errors() {
    // A region listing a municipality of another prefecture.
    let e = error_for(gazetteer::CURATED, |t| {
        Some(t.replacen("\"13101\"", "\"27127\"", 1))
    });
    assert!(e.to_string().contains("27127"), "{e}");
    // An extra for an area that does not exist.
    let e = error_for(gazetteer::CURATED, |t| {
        Some(t.replacen("{\"id\": \"35502\"", "{\"id\": \"35999\"", 1))
    });
    assert!(e.to_string().contains("35999"), "{e}");
    // A code whose check digit is wrong.
    let e = error_for(gazetteer::CODE_CITIES, |t| {
        Some(t.replacen("\"code\": \"011002\"", "\"code\": \"011003\"", 1))
    });
    assert!(e.to_string().contains("011003"), "{e}");
    // A main window citing a source the list does not have.
    let e = error_for(gazetteer::WINDOWS, |t| {
        Some(t.replacen("source-aichi-municipalities,", "source-nowhere,", 1))
    });
    assert!(e.to_string().contains("offices.csv:2: sourceId"), "{e}");
}

#[test]
fn the_command_writes_the_file_atomically() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("gazetteer.json");
    std::fs::write(&out, "old").expect("write");
    let g = gazetteer::write(&manifest("data/sources"), &out).expect("write");
    assert_eq!(g.areas.len(), 1 + 47 + 11 + 1747 + 171);
    let written = std::fs::read_to_string(&out).expect("read");
    assert_eq!(written, gazetteer::render(&g.areas));
    let leftovers = std::fs::read_dir(dir.path()).expect("ls").count();
    assert_eq!(leftovers, 1, "no temporary file is left behind");
}

/// The line `line` (1-based) of a committed source file.
fn source_line(row: &str) -> String {
    let (file, line) = row.rsplit_once(':').expect("file:line");
    let line: usize = line.parse().expect("line number");
    let text = std::fs::read_to_string(manifest("data/sources").join(file)).expect("read");
    text.lines().nth(line - 1).expect("line exists").to_string()
}

#[test]
fn every_main_window_phone_occurs_in_the_source_row_it_names() {
    let file = committed();
    let windows: Vec<_> = file
        .areas
        .iter()
        .filter_map(|a| a.main_window.as_ref().map(|w| (a, w)))
        .collect();
    assert_eq!(windows.len(), 1741);
    assert_eq!(
        windows.iter().filter(|(_, w)| w.phone.is_some()).count(),
        1186
    );
    for (a, w) in windows {
        assert_eq!(a.level, AreaLevel::Municipality, "{}", a.id);
        let row = source_line(w.row.as_str());
        assert!(row.contains(&w.name), "{}: {} not in {row}", a.id, w.name);
        assert!(row.contains(&w.checked), "{}: {row}", a.id);
        if let Some(phone) = &w.phone {
            let from = source_line(w.phone_row.as_deref().unwrap_or(&w.row));
            assert!(
                from.contains(&format!(",{phone},")),
                "{}: {phone} not in {from}",
                a.id
            );
        }
    }
    let nagoya = by_id(&file.areas)["23100"].main_window.clone().unwrap();
    assert_eq!(nagoya.phone.as_deref(), Some("052-961-1111"));
    assert_eq!(nagoya.phone_row, None, "the window row gives the phone");
    let hachinohe = by_id(&file.areas)["02203"].main_window.clone().unwrap();
    assert_eq!(hachinohe.phone, None, "neither file gives 八戸市's phone");
}

#[test]
fn a_phone_the_two_files_disagree_on_is_reported_and_the_window_row_kept() {
    let g = gazetteer::generate(&manifest("data/sources")).expect("sources are valid");
    let d = &g.report.phone_disagreements;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].municipality, "水戸市");
    assert_eq!(
        (d[0].row_phone.as_str(), d[0].list_phone.as_str()),
        ("029-309-5001", "029-224-1111")
    );
    // The 社会福祉協議会's row is not published by the list: not 水戸市's main window.
    assert_eq!(d[0].kept.as_deref(), Some("029-224-1111"));
    assert!(
        g.report.windows_not_used.iter().any(|w| w.row == d[0].row),
        "{:?}",
        g.report.windows_not_used
    );
    let mito = g.areas.iter().find(|a| a.id == "08201").unwrap();
    assert_eq!(mito.main_window.as_ref().unwrap().name, "水戸市役所");
}
