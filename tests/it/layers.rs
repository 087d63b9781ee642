//! A directory made of layers (issue 9): the bundled gazetteer, vocabulary and curated records
//! plus any number of user files (`--data` repeated, `IKENAVI_DATA` as a path list). A user
//! file may hold only resources and refer to the bundled areas by id or code; a broken layer
//! is refused with its own `file:line:col`; an id in two layers names both files.

use std::path::Path;

use serde_json::{Value, json};

use crate::common;
use common::{command, ikenavi, run};

/// A resources-only layer with one record per `(id, service area)`.
fn layer(dir: &Path, file: &str, records: &[(&str, &str)]) -> String {
    let resources: Vec<Value> = records
        .iter()
        .map(|(id, area)| {
            json!({
                "id": id,
                "name": format!("レイヤー試験 {id}"),
                "kind": "consultation",
                "summary": "事務所独自の相談窓口",
                "service_areas": [area],
                "needs": ["consultation"],
                "status": "active",
                "sources": [{ "file": "office-list.xlsx", "section": "1行目", "date": "2026-11-01" }]
            })
        })
        .collect();
    let doc = json!({
        "schema_version": 1,
        "title": format!("事務所の一覧 {file}"),
        "source_documents": [
            { "file": "office-list.xlsx", "issuer": "試験市", "title": "事務所の一覧", "date": "2026-11-01" }
        ],
        "resources": resources,
    });
    let path = dir.join(file);
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    path.display().to_string()
}

fn ids(stdout: &str) -> Vec<String> {
    common::hit_ids(&serde_json::from_str(stdout).expect("JSON"))
}

#[test]
fn two_user_layers_load_with_the_bundled_records() {
    let dir = tempfile::tempdir().unwrap();
    let a = layer(dir.path(), "a.json", &[("office-a", "13109")]);
    let b = layer(dir.path(), "b.json", &[("office-b", "131091")]);
    let (code, out, err) = run(&[
        "--data",
        &a,
        "--data",
        &b,
        "list",
        "--json",
        "--area",
        "品川区",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let ids = ids(&out);
    assert!(ids.contains(&"office-a".to_string()), "{ids:?}");
    assert!(
        ids.contains(&"office-b".to_string()),
        "a six-digit code is an area reference too: {ids:?}"
    );
    assert!(
        ids.iter().any(|i| i.starts_with("shinagawa-")),
        "bundled records stay: {ids:?}"
    );

    // The same two files through IKENAVI_DATA as a path list.
    let list = std::env::join_paths([&a, &b]).unwrap();
    let out = command()
        .env("IKENAVI_DATA", list)
        .args(["list", "--json", "--area", "13109"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let ids = self::ids(&String::from_utf8_lossy(&out.stdout));
    assert!(ids.contains(&"office-a".to_string()) && ids.contains(&"office-b".to_string()));

    // --no-bundled: only the files; a resources-only file then has no areas to refer to.
    let (code, _, err) = run(&["--no-bundled", "--data", &a, "list"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("地域「13109」が見つかりません"), "{err}");
}

#[test]
fn show_says_which_layer_a_record_comes_from() {
    let dir = tempfile::tempdir().unwrap();
    let a = layer(dir.path(), "a.json", &[("office-a", "13109")]);
    let (code, out, err) = run(&["--data", &a, "show", "office-a"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains(&a), "{out}");
    let (_, out, _) = run(&["show", "shinagawa-ikea-renrakukai"]);
    assert!(out.contains("data/curated.json"), "{out}");
}

#[test]
fn a_broken_second_layer_is_refused_with_its_own_location() {
    let dir = tempfile::tempdir().unwrap();
    let a = layer(dir.path(), "a.json", &[("office-a", "13109")]);
    let b = layer(dir.path(), "b.json", &[("office-b", "99999")]);
    let text = std::fs::read_to_string(&b).unwrap();
    let (line, col) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find("\"99999\"")
                .map(|c| (i + 1, l[..c].chars().count() + 1))
        })
        .unwrap();
    for args in [
        vec!["--data", a.as_str(), "--data", b.as_str(), "list"],
        vec!["--data", a.as_str(), "--data", b.as_str(), "search", "相談"],
        vec!["validate", b.as_str()],
    ] {
        let out = ikenavi(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "nothing half-loaded: {args:?}");
        assert!(
            err.contains(&format!(
                "{b}:{line}:{col}: resources[0].service_areas[0]: 地域「99999」が見つかりません"
            )),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn an_id_in_two_layers_names_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = layer(dir.path(), "a.json", &[("office-a", "13109")]);
    let b = layer(dir.path(), "b.json", &[("office-a", "13109")]);
    let (code, _, err) = run(&["--data", &a, "--data", &b, "list"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains(&format!("{b}:"))
            && err.contains(&format!("資源 id「office-a」は {a} で定義済みです")),
        "{err}"
    );
    // Against a bundled record as well.
    let c = layer(
        dir.path(),
        "c.json",
        &[("shinagawa-ikea-renrakukai", "13109")],
    );
    let (code, _, err) = run(&["--data", &c, "list"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("資源 id「shinagawa-ikea-renrakukai」は data/curated.json で定義済みです"),
        "{err}"
    );
}

#[test]
fn a_layer_may_restate_an_area_but_not_redefine_it() {
    let dir = tempfile::tempdir().unwrap();
    let doc = json!({
        "schema_version": 1,
        "areas": [
            { "id": "13109", "name": "品川区", "kana": "しながわく", "level": "municipality",
              "parent": "13-kubu", "aliases": ["しながわ区"] },
            { "id": "13110", "name": "品川区", "kana": "めぐろく", "level": "municipality",
              "parent": "13-kubu" }
        ]
    });
    let path = dir.path().join("areas.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let p = path.display().to_string();
    let (code, _, err) = run(&["validate", &p]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("areas[1].id"), "{err}");
    assert!(
        err.contains("地域 id「13110」は data/gazetteer.json に「目黒区」（`level` `municipality`、`parent` 「13-kubu」）として定義済みです"),
        "{err}"
    );
    assert!(
        !err.contains("areas[0]"),
        "restating 品川区 as it is is fine: {err}"
    );
}
