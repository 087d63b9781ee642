//! The bundled directory against its sources: every entity of each source document is a record
//! (per-document checklists), no contact fact that the cited source does not state, and the
//! gazetteer and taxonomy the SPEC requires.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use ikenavi::directory::{AreaLevel, Catalog, DataSource};
use ikenavi::text::normalize::normalize;

fn catalog() -> Catalog {
    DataSource::bundled()
        .load()
        .expect("bundled directory is valid")
}

fn manifest(p: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// Normalized, without any whitespace: how facts are compared with the source text.
fn squash(s: &str) -> String {
    normalize(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn every_entity_in_each_source_document_is_a_record() {
    let c = catalog();
    let mut missing = Vec::new();
    let mut checked = 0;
    for doc in ["000", "001", "002", "003", "004"] {
        let list = std::fs::read_to_string(manifest(&format!("tests/checklists/{doc}.txt")))
            .unwrap_or_else(|e| panic!("checklist {doc}: {e}"));
        for name in list
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            checked += 1;
            let want = squash(name);
            let found = c.resources().iter().any(|r| {
                r.sources.iter().any(|s| s.file.starts_with(doc))
                    && std::iter::once(&r.name)
                        .chain(r.aliases.iter())
                        .any(|n| squash(n) == want || squash(n).contains(&want))
            });
            if !found {
                missing.push(format!("{doc}: {name}"));
            }
        }
    }
    assert!(checked > 150, "checklists hold {checked} names");
    assert!(
        missing.is_empty(),
        "not in the directory:\n{}",
        missing.join("\n")
    );
}

/// The text a source reference points to, squashed: a whole seed document, or for the open
/// data the one CSV row it cites (`行 N …` of `data/sources/wamnet-<date>/<file>`). Files are
/// read once.
fn cited_text(
    c: &Catalog,
    s: &ikenavi::directory::SourceRef,
    files: &mut HashMap<String, Vec<String>>,
) -> String {
    if s.file.contains("csvdownload") {
        // Cited with its release's folder: `wamnet-2026-03/csvdownload065.csv`.
        c.source_document(&s.file).expect("known file");
        let rows = files.entry(s.file.clone()).or_insert_with(|| {
            let path = manifest(&format!("data/sources/{}", s.file));
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", s.file));
            // The import's own cleaning (NFKC, every dash as `-`) so forms compare.
            text.lines()
                .map(|l| squash(&ikenavi::import::wamnet::fields::clean(l)))
                .collect()
        });
        let line: usize = s
            .section
            .strip_prefix("行 ")
            .and_then(|t| t.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{}: section {} names no line", s.file, s.section));
        rows.get(line - 1).expect("cited line exists").clone()
    } else {
        let text = files.entry(s.file.clone()).or_insert_with(|| {
            let t = std::fs::read_to_string(manifest(&format!("tests/seeds/{}", s.file)))
                .unwrap_or_else(|e| panic!("{}: {e}", s.file));
            vec![squash(&t)]
        });
        text[0].clone()
    }
}

/// Every phone, fax, address and URL of every bundled record — curated, open data, and curated
/// records linked to their office — is written in a source the record cites (for the open data,
/// the very row). Phones compare by their digits (the import writes one hyphenated form), an
/// address may be split over the row's two address cells.
#[test]
fn contact_facts_appear_in_the_cited_source() {
    let c = catalog();
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let mut files = HashMap::new();
    let mut invented = Vec::new();
    let mut checked = 0;
    for r in c.resources() {
        let cited: Vec<String> = r
            .sources
            .iter()
            .map(|s| cited_text(&c, s, &mut files))
            .collect();
        let facts = [
            ("phone", r.contact.phone.as_deref()),
            ("fax", r.contact.fax.as_deref()),
            ("address", r.contact.address.as_deref()),
            ("url", r.contact.url.as_deref()),
        ];
        for (what, value) in facts {
            let Some(v) = value else { continue };
            checked += 1;
            let found = cited.iter().any(|t| {
                let v = squash(v);
                match what {
                    "phone" | "fax" => {
                        digits(&t.replace(['-', '(', ')'], "")).contains(&digits(&v))
                    }
                    "address" => {
                        t.contains(&v)
                            || (1..v.len())
                                .filter(|&i| v.is_char_boundary(i))
                                .any(|i| t.contains(&v[..i]) && t.contains(&v[i..]))
                    }
                    _ => t.contains(&v),
                }
            });
            if !found {
                invented.push(format!("{} {what}: {v}", r.id));
            }
        }
    }
    assert!(checked > 4000, "only {checked} contact facts checked");
    assert!(
        invented.is_empty(),
        "not in the cited source:\n{}",
        invented.join("\n")
    );
}

#[test]
fn every_record_cites_a_source_with_a_section_and_the_documents_date() {
    let c = catalog();
    for r in c.resources() {
        assert!(!r.sources.is_empty(), "{}", r.id);
        for s in &r.sources {
            let doc = c.source_document(&s.file).expect("known file");
            assert_eq!(s.date, doc.date, "{}: {} date", r.id, s.file);
            assert!(!s.section.trim().is_empty(), "{}: empty section", r.id);
        }
    }
}

#[test]
fn gazetteer_has_all_62_tokyo_and_19_yamaguchi_municipalities_with_readings() {
    let c = catalog();
    let count_under = |pref: &str| {
        let p = c.areas.index_of(pref).unwrap();
        c.areas
            .self_and_descendants(p)
            .into_iter()
            .filter(|&i| c.areas.at(i).level == AreaLevel::Municipality)
            .count()
    };
    assert_eq!(count_under("13"), 62);
    assert_eq!(count_under("35"), 19);
    assert_eq!(count_under("13-kubu"), 23);
    let yamaguchi_regions: Vec<&str> = c
        .areas
        .children(c.areas.index_of("35").unwrap())
        .iter()
        .map(|&i| c.areas.at(i).name.as_str())
        .collect();
    assert_eq!(yamaguchi_regions.len(), 8, "{yamaguchi_regions:?}");
    for a in c.areas.areas() {
        assert!(
            !a.kana.is_empty()
                && a.kana
                    .chars()
                    .all(|ch| ('\u{3041}'..='\u{309F}').contains(&ch)),
            "{} reading {:?}",
            a.name,
            a.kana
        );
    }
    // Spot checks of public facts.
    let waki = c.areas.get("35321").unwrap();
    assert_eq!(
        (waki.name.as_str(), waki.kana.as_str()),
        ("和木町", "わきちょう")
    );
    let parent = c.areas.get(waki.parent.as_deref().unwrap()).unwrap();
    assert!(parent.name.contains("岩国"), "{}", parent.name);
}

#[test]
fn taxonomy_has_the_14_care_items_and_the_spec_needs() {
    let c = catalog();
    let t = &c.dir.taxonomy;
    assert_eq!(t.care_types.len(), 14);
    let needs: HashSet<&str> = t.needs.iter().map(|n| n.id.as_str()).collect();
    for n in [
        "consultation",
        "short-stay",
        "home-respite",
        "day-care",
        "disaster",
        "place-to-play",
    ] {
        assert!(needs.contains(n), "{n}");
    }
    assert_eq!(t.life_stages.len(), 3);
    assert_eq!(t.audiences.len(), 3);
}

#[test]
fn status_is_as_the_sources_say() {
    let c = catalog();
    let status_of = |needle: &str| {
        c.resources()
            .iter()
            .find(|r| r.name.contains(needle))
            .unwrap_or_else(|| panic!("{needle}"))
            .status
            .as_str()
    };
    assert_eq!(status_of("世田谷区医療的ケア相談支援センター"), "trial");
    assert_eq!(status_of("ガイドブック"), "planned");
}

#[test]
fn the_typo_tanbobo_is_kept_with_the_corrected_alias() {
    let c = catalog();
    let r = c
        .resources()
        .iter()
        .find(|r| r.name.contains("たんぼぼ"))
        .expect("source spelling kept");
    assert!(r.aliases.iter().any(|a| a.contains("たんぽぽ")));
    assert!(r.service_areas.len() > 1, "one office, several 市町");
}

#[test]
fn ids_are_unique_ascii_slugs() {
    let c = catalog();
    let mut seen = HashSet::new();
    for r in c.resources() {
        assert!(seen.insert(r.id.as_str()), "duplicate {}", r.id);
        assert!(
            r.id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{}",
            r.id
        );
    }
    assert!(c.resources().len() > 150, "{} records", c.resources().len());
}
