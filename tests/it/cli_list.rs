//! `list` and `show` on the bundled directory: "usable by someone living there" area
//! semantics, unknown names exiting 2 with suggestions, and the JSON shapes of SPEC §5.

use serde_json::Value;

use crate::common;
use common::ikenavi;

fn list_json(args: &[&str]) -> Value {
    let mut all = vec!["list", "--json"];
    all.extend_from_slice(args);
    let out = ikenavi(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn ids(v: &Value) -> Vec<String> {
    common::hit_ids(v)
}

fn catalog() -> ikenavi::directory::Catalog {
    ikenavi::directory::DataSource::bundled().load().unwrap()
}

/// The prefecture a record belongs to, from its service areas.
fn prefectures_of(c: &ikenavi::directory::Catalog, id: &str) -> Vec<String> {
    let r = c.resource(id).unwrap();
    r.service_areas
        .iter()
        .filter_map(|a| c.areas.index_of(a))
        .filter_map(|i| c.areas.prefecture_of(i))
        .map(|p| c.areas.at(p).name.clone())
        .collect()
}

#[test]
fn waki_lists_the_iwakuni_office_and_every_yamaguchi_wide_record_and_nothing_from_tokyo() {
    let c = catalog();
    let v = list_json(&["--area", "和木町"]);
    let got = ids(&v);
    assert_eq!(v["total"].as_u64().unwrap() as usize, got.len());
    let names: Vec<&str> = got
        .iter()
        .map(|id| c.resource(id).unwrap().name.as_str())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.contains("岩国市障害者サービスセンター")),
        "the 岩国 office that serves 和木町: {names:?}"
    );
    for r in c.resources() {
        if r.service_areas.iter().any(|a| a == "35") {
            assert!(got.contains(&r.id), "山口県-wide {} missing", r.id);
        }
    }
    for id in &got {
        assert!(
            !prefectures_of(&c, id).contains(&"東京都".to_string()),
            "{id} is a Tokyo record"
        );
    }
}

#[test]
fn hachioji_gets_tokyo_wide_programs_but_nothing_from_shinagawa_or_setagaya() {
    let c = catalog();
    // The service-area rule alone (`--within 0`): 世田谷区's offices are within the default
    // 30 km of 八王子市役所, and are listed without it (see `within_reach_*`).
    let got = ids(&list_json(&["--area", "八王子市", "--within", "0"]));
    let tokyo_wide: Vec<_> = c
        .resources()
        .iter()
        .filter(|r| r.service_areas.iter().any(|a| a == "13"))
        .collect();
    assert!(!tokyo_wide.is_empty());
    for r in tokyo_wide {
        assert!(got.contains(&r.id), "東京都-wide {} missing", r.id);
    }
    for id in &got {
        let r = c.resource(id).unwrap();
        assert!(
            !r.service_areas.iter().any(|a| a == "13109" || a == "13112"),
            "{id} belongs to 品川区/世田谷区"
        );
    }
}

#[test]
fn area_accepts_name_stem_reading_romaji_and_id() {
    let by_name = ids(&list_json(&["--area", "品川区"]));
    assert!(!by_name.is_empty());
    for alt in ["品川", "しながわ", "shinagawa", "13109", "ｼﾅｶﾞﾜ"] {
        assert_eq!(ids(&list_json(&["--area", alt])), by_name, "--area {alt}");
    }
}

#[test]
fn unknown_area_care_or_need_exits_2_and_names_close_matches() {
    let out = ikenavi(&["list", "--area", "品川县"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("地域「品川县」が見つかりません（もしかして: 東京都品川区"),
        "{err}"
    );

    let out = ikenavi(&["list", "--care", "人口呼吸器"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("人工呼吸器"));

    let out = ikenavi(&["list", "--need", "ショトステエ"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("ニーズ「ショトステエ」が見つかりません（もしかして: ")
    );
}

#[test]
fn care_and_need_filters_take_labels_aliases_and_ids() {
    let c = catalog();
    let listed = list_json(&["--care", "呼吸器"]);
    let vent = ids(&listed);
    assert!(!vent.is_empty());
    // Each record states 人工呼吸器, or is an open-data office that cannot say (要確認), and
    // the ones that state it come first.
    let hits = listed["hits"].as_array().unwrap();
    let mut seen_unknown = false;
    for h in hits {
        let r = c.resource(h["id"].as_str().unwrap()).unwrap();
        match h["care"].as_str() {
            Some("stated") => {
                assert!(!seen_unknown, "stated after unknown: {h}");
                assert!(r.care_types.contains(&"ventilator".to_string()), "{h}");
            }
            Some("unknown") => {
                seen_unknown = true;
                assert!(
                    r.care_types.is_empty() && !r.office_numbers.is_empty(),
                    "{h}"
                );
            }
            other => panic!("care {other:?}: {h}"),
        }
    }
    let unknown = hits.iter().filter(|h| h["care"] == "unknown").count();
    assert!(seen_unknown && unknown < hits.len());
    assert_eq!(listed["care_unknown"], unknown);
    assert_eq!(ids(&list_json(&["--care", "ventilator"])), vent);
    let short = ids(&list_json(&[
        "--need",
        "ショートステイ",
        "--area",
        "品川区",
    ]));
    assert!(
        short
            .iter()
            .any(|id| c.resource(id).unwrap().name.contains("医療ショートステイ"))
    );
}

#[test]
fn list_json_has_the_search_shape_without_scores() {
    let v = list_json(&["--area", "阿武町"]);
    assert!(v["query"].is_null());
    assert_eq!(v["area"], "阿武町");
    let hit = &v["hits"][0];
    for key in ["id", "name", "kind", "areas"] {
        assert!(hit.get(key).is_some(), "{key}");
    }
    assert!(hit.get("score").is_none());
}

#[test]
fn show_prints_labelled_fields_or_the_stored_json() {
    let c = catalog();
    let r = &c.resources()[0];
    let out = ikenavi(&["show", &r.id]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for label in ["名称", "概要", "利用できる地域", "出典", "資料日付"] {
        assert!(text.contains(label), "{label}: {text}");
    }
    let out = ikenavi(&["show", &r.id, "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id"], r.id.as_str());
    assert_eq!(v["name"], r.name.as_str());
}

#[test]
fn show_unknown_id_exits_2_with_suggestions() {
    let out = ikenavi(&["show", "shinagawa-picolo"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("記録 id「shinagawa-picolo」はありません")
            && err.contains("もしかして: shinagawa-piccolo"),
        "{err}"
    );
}

#[test]
fn help_and_version() {
    for args in [
        vec!["--help"],
        vec!["search", "--help"],
        vec!["validate", "--help"],
    ] {
        assert!(ikenavi(&args).status.success());
    }
    let v = ikenavi(&["--version"]);
    assert!(String::from_utf8_lossy(&v.stdout).contains(env!("CARGO_PKG_VERSION")));
    assert_eq!(ikenavi(&["list", "--bogus"]).status.code(), Some(2));
}

/// `show --card` prints the read-aloud card: the name, then the phone, what the office does,
/// 対象 and one dated source line — something a clerk can read out or paste into a note
/// (no relative ages, which go stale, and no internal file names).
#[test]
fn show_card_is_the_read_aloud_card() {
    let out = ikenavi(&[
        "show",
        "yamaguchi-iwakuni-shogaisha-service-center",
        "--card",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "岩国市障害者サービスセンター", "{text}");
    let phone = lines
        .iter()
        .position(|l| l.starts_with("電話"))
        .expect(&text);
    assert!(
        phone <= 2 && lines[phone].contains("0827-43-2377"),
        "{text}"
    );
    assert!(lines.iter().any(|l| l.starts_with("対象")), "{text}");
    let sources: Vec<&&str> = lines.iter().filter(|l| l.starts_with("出典")).collect();
    assert_eq!(sources.len(), 1, "{text}");
    assert!(sources[0].contains("2025-03"), "{text}");
    assert!(lines.len() <= 10, "{text}");
    for stale in ["年前", ".txt", ".csv", ".json"] {
        assert!(!text.contains(stale), "{stale}: {text}");
    }
    // The full form keeps everything (the detail's fields).
    let full = ikenavi(&["show", "yamaguchi-iwakuni-shogaisha-service-center"]);
    assert!(String::from_utf8_lossy(&full.stdout).contains("事業所番号 3535500478"));
}

/// The entities issue 15 found named in the documents without a record are listed, each in
/// the area the document puts it (a corporation with the facility it runs).
#[test]
fn the_entities_named_without_a_record_before_are_listed_in_their_area() {
    for (area, name, with) in [
        ("品川区", "医療的ケア児に関する状況調査", None),
        ("品川区", "障害児福祉計画", None),
        ("品川区", "社会福祉法人むそう", Some("shinagawa-howawa")),
        (
            "品川区",
            "一般社団法人Ohana HOUSE",
            Some("shinagawa-mirimiri"),
        ),
        ("品川区", "株式会社Y＆N", Some("shinagawa-mint")),
        (
            "品川区",
            "社会福祉法人恵正福祉会",
            Some("shinagawa-houkago-day-egao"),
        ),
        (
            "品川区",
            "特定非営利活動法人フローレンス",
            Some("shinagawa-bell"),
        ),
        ("八王子市", "保護者の就労支援関連事業", None),
        ("八王子市", "医療法人財団はるたか会", None),
        ("八王子市", "メンタートレーニング", None),
        ("八王子市", "事業周知用チラシ", None),
        ("世田谷区", "初任者（基本）研修", None),
        ("下関市", "障害者支援課", None),
        ("下関市", "幼児保育課", None),
        ("下関市", "学校教育課", None),
        ("宇部市", "宇部市における医療的ケア児の実態調査", None),
        ("宇部市", "総合支援学校", None),
        ("光市", "市外保育所への視察", None),
        ("長門市", "子育て支援課", None),
        ("長門市", "教育委員会", None),
        ("山陽小野田市", "就学前医療的ケア児の現況調査", None),
        ("上関町", "プロジェクト進退についてのコア会議", None),
        (
            "平生町",
            "意見交換の場（岩国市の訪問看護ステーション）",
            None,
        ),
    ] {
        let v = list_json(&["--area", area]);
        let hit = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["name"] == name)
            .unwrap_or_else(|| panic!("{area}: {name} not listed"));
        if let Some(facility) = with {
            let id = hit["id"].as_str().unwrap();
            let c = catalog();
            let corp = c.resource(id).unwrap();
            assert!(corp.related.iter().any(|r| r == facility), "{name}");
            let f = c.resource(facility).unwrap();
            assert_eq!(f.provider.as_deref(), Some(name), "{facility}");
            assert!(f.related.iter().any(|r| r == id), "{facility} → {id}");
        }
    }
}

/// The five operating corporations are 法人, not 施設: `show` says so in its 種別 line, the
/// stored JSON keeps `organization`, and `list` labels them 法人 (the facilities they run stay
/// 施設).
#[test]
fn the_corporations_are_shown_as_organizations() {
    let corps = [
        ("shinagawa-musou", "shinagawa-howawa"),
        ("shinagawa-ohana-house", "shinagawa-mirimiri"),
        ("shinagawa-y-and-n", "shinagawa-mint"),
        ("shinagawa-keisei-fukushikai", "shinagawa-houkago-day-egao"),
        ("shinagawa-florence", "shinagawa-bell"),
    ];
    let kind_line = |id: &str| {
        let out = ikenavi(&["show", id]);
        assert!(out.status.success(), "{id}");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines()
            .find(|l| l.starts_with("種別"))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| panic!("{id}: no 種別 line in {text}"))
    };
    let v = list_json(&["--area", "品川区"]);
    let kind_in_list = |id: &str| {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == id)
            .unwrap_or_else(|| panic!("{id} not listed"))["kind"]
            .clone()
    };
    for (corp, facility) in corps {
        assert_eq!(kind_line(corp), "種別 法人", "{corp}");
        assert_eq!(kind_line(facility), "種別 施設", "{facility}");
        let out = ikenavi(&["show", corp, "--json"]);
        let stored: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(stored["kind"], "organization", "{corp}");
        assert_eq!(kind_in_list(corp), "organization", "{corp}");
        assert_eq!(kind_in_list(facility), "facility", "{facility}");
    }
    let out = ikenavi(&["list", "--area", "品川区"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.contains("[shinagawa-y-and-n]"))
        .expect("listed");
    assert!(line.contains(" 法人 "), "{line}");
}
