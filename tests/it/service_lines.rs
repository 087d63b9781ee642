//! What each designated service is (issue 26): the vocabulary's table of the 29 WAM NET
//! service types — one plain line each, kept to the article of law it cites — on the card and
//! in the detail of an open-data office, and plain words that describe a type finding it.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common;
use common::{hit_ids, run};
use ikenavi::directory::{Catalog, DataSource, ServiceTypeDef};
use ikenavi::import::wamnet::mapping::SERVICE_TYPES;

fn catalog() -> Catalog {
    DataSource::bundled()
        .load()
        .expect("bundled directory is valid")
}

/// Every one of the 29 types WAM NET publishes is in the table, once; so is every type an
/// office of the bundled data is designated for.
#[test]
fn every_service_type_has_its_line_and_article() {
    let c = catalog();
    let table: BTreeSet<u8> = c.dir.service_types.iter().map(|t| t.code).collect();
    assert_eq!(table.len(), c.dir.service_types.len(), "a code twice");
    let wamnet: BTreeSet<u8> = SERVICE_TYPES.iter().map(|t| t.code).collect();
    assert_eq!(table, wamnet);
    let mut designated = BTreeSet::new();
    for r in c.resources() {
        designated.extend(r.designations.iter().filter_map(|d| d.code));
    }
    assert!(designated.len() >= 10, "{designated:?}");
    for code in &designated {
        let t = c
            .service_type(*code)
            .unwrap_or_else(|| panic!("{code}: no line"));
        assert!(
            !t.line.trim().is_empty() && !t.article.trim().is_empty(),
            "{t:?}"
        );
    }
    // Its name is WAM NET's, as the importer reads the files.
    for s in &SERVICE_TYPES {
        assert_eq!(
            c.service_type(s.code).map(|t| t.name.as_str()),
            Some(s.label)
        );
    }
}

/// Each line names the law and article it keeps to, with the date its numbering is cited as
/// of, and fits one breath (60 characters).
#[test]
fn every_line_names_its_article_and_fits_sixty_characters() {
    let c = catalog();
    for t in &c.dir.service_types {
        let n = t.line.chars().count();
        assert!(
            n <= ServiceTypeDef::MAX_LINE_CHARS,
            "{}: {n} characters",
            t.name
        );
        // The article, and its 項 or 号 where the text was seen (a number not read in the
        // statute is not written: 「障害者総合支援法 第5条」).
        let law = [
            "障害者総合支援法 第5条",
            "児童福祉法 第6条の2の2第",
            "児童福祉法 第42条第",
        ];
        let numbered = |a: &str| a.ends_with('項') || a.ends_with('号');
        assert!(
            law.iter().any(|l| t.article.starts_with(l))
                && (numbered(&t.article) || t.note.is_some()),
            "{}: {}",
            t.name,
            t.article
        );
        assert!(t.citation().contains(&t.article_as_of), "{}", t.citation());
        // No fees, waiting lists or promises the articles do not make.
        for claim in ["無料", "円", "空き", "待機", "必ず", "受け入れます"] {
            assert!(!t.line.contains(claim), "{}: {}", t.name, t.line);
        }
    }
    // 医療型児童発達支援 is cited as it read before the 2024 amendment merged it, and says so.
    let merged = c.service_type(64).expect("64");
    assert_eq!(merged.article_as_of, "2024-03-31");
    assert!(
        merged.citation().contains("一本化"),
        "{}",
        merged.citation()
    );
}

fn show(id: &str, card: bool) -> String {
    let mut args = vec!["show", id];
    if card {
        args.push("--card");
    }
    let (code, out, err) = run(&args);
    assert_eq!(code, Some(0), "{err}");
    out
}

/// The card of an open-data office says what its types are, not 「…の指定事業所（WAM NET）」;
/// the detail gives each with its article.
#[test]
fn the_card_of_an_open_data_office_says_what_its_type_is() {
    let c = catalog();
    let office = c
        .resources()
        .iter()
        .find(|r| r.designations.len() == 1 && r.designations[0].code == Some(66))
        .expect("an office of 居宅訪問型児童発達支援 only");
    let line = &c.service_type(66).unwrap().line;
    let card = show(&office.id, true);
    let what = card
        .lines()
        .find(|l| l.starts_with("何をしてくれるか"))
        .unwrap_or_else(|| panic!("{card}"));
    assert!(what.ends_with(line.as_str()), "{card}");
    assert!(!card.contains("指定事業所"), "{card}");

    // 柳井医療センター: 療養介護 and 短期入所, one line each.
    let card = show("wam-3515200222", true);
    let lines: Vec<&str> = card
        .lines()
        .filter(|l| l.starts_with("何をしてくれるか"))
        .collect();
    assert_eq!(lines.len(), 2, "{card}");
    assert!(
        lines[0].contains("療養介護: ") && lines[1].contains("短期入所: "),
        "{card}"
    );
    let detail = show("wam-3515200222", false);
    assert!(
        detail.contains("根拠 障害者総合支援法 第5条第6項（2024-04-01 時点）"),
        "{detail}"
    );
}

fn search(words: &str) -> Value {
    let (code, out, err) = run(&["search", "--json", "--limit", "5", "--", words]);
    assert_eq!(code, Some(0), "{err}");
    serde_json::from_str(&out).expect("valid JSON")
}

fn designated_for(c: &Catalog, id: &str, code: u8) -> bool {
    c.resource(id)
        .is_some_and(|r| r.designations.iter().any(|d| d.code == Some(code)))
}

/// Plain words that describe a type find its offices: 「自宅に来てくれる療育」 is 居宅訪問型
/// 児童発達支援 (自宅 → 居宅, 療育 → 児童発達支援: only that type is both), 「泊まり」 is 短期入所.
#[test]
fn plain_words_find_the_type_they_describe() {
    let c = catalog();
    for (words, code) in [
        ("自宅に来てくれる療育", 66),
        ("自宅 療育", 66),
        ("泊まり", 24),
    ] {
        let v = search(words);
        let ids = hit_ids(&v);
        let offices: Vec<&String> = ids
            .iter()
            .filter(|id| c.resource(id).is_some_and(|r| !r.designations.is_empty()))
            .collect();
        assert!(offices.len() >= 3, "{words}: {ids:?}");
        assert!(
            offices.iter().all(|id| designated_for(&c, id, code)),
            "{words}: {ids:?}"
        );
    }
}
