//! Property tests over the whole input surface (issue 6): the loader on arbitrary and mutated
//! files, and the query path (understanding, search, snippets, area resolution) on any Unicode —
//! combining marks, RTL and bidi controls, emoji ZWJ sequences, control characters.
//! No panic, offsets valid. The default run uses proptest's 256 cases per property; the long
//! profile is `PROPTEST_CASES=20000 cargo test --release --test fuzz_props` (README "Reliability").

use std::sync::OnceLock;

use ikenavi::directory::{Catalog, DataSource, parse_directory};
use ikenavi::search::{SearchEngine, SearchRequest};
use proptest::prelude::*;

fn engine() -> &'static (Catalog, SearchEngine) {
    static E: OnceLock<(Catalog, SearchEngine)> = OnceLock::new();
    E.get_or_init(|| {
        let c = DataSource::bundled().load().unwrap();
        let e = SearchEngine::new(&c).unwrap();
        (c, e)
    })
}

const MINIMAL: &str = include_str!("../fixtures/minimal.json");

/// Strings mixing the pieces that break text code: Japanese, half-width kana with voicing
/// marks, combining marks, RTL and bidi controls, ZWJ emoji, controls, operators.
fn nasty() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "人工呼吸器",
        "ｼｮｰﾄｽﾃｲ",
        "ﾞ",
        "ﾟ",
        "ー",
        "\u{301}",
        "\u{202e}",
        "\u{2067}",
        "עברית",
        "مرحبا",
        "👨\u{200d}👩\u{200d}👧",
        "\u{1b}[31m",
        "\u{7}",
        "\u{0}",
        "\u{85}",
        "\"",
        "(",
        ")",
        "AND",
        "-",
        "*",
        ":",
        "品川",
        "shinagawa",
        "kyuuin",
        "ｶﾞ",
        "㈱",
        "〜",
        " ",
        "\t",
        "\n",
        "々",
        "ヶ",
    ]);
    prop::collection::vec(
        prop_oneof![pieces.prop_map(String::from), any::<String>()],
        0..8,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn loader_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_directory(&bytes, "fuzz.json");
    }

    #[test]
    fn loader_reports_located_problems_for_mutated_files(
        cut in 0..MINIMAL.len(),
        insert in nasty(),
        drop_len in 0usize..40,
    ) {
        let mut text = MINIMAL.as_bytes().to_vec();
        let end = (cut + drop_len).min(text.len());
        text.splice(cut..end, insert.bytes());
        match parse_directory(&text, "fuzz.json") {
            Ok(dir) => prop_assert!(!dir.resources.is_empty()),
            Err(e) => {
                prop_assert!(!e.problems.is_empty());
                let lines = text.split(|&b| b == b'\n').count();
                for p in &e.problems {
                    if let Some(at) = p.at {
                        prop_assert!(at.line >= 1 && at.line <= lines, "{:?} beyond {} lines", at, lines);
                        prop_assert!(at.col >= 1);
                    }
                }
            }
        }
    }

    #[test]
    fn any_query_searches_without_panic_and_with_valid_snippets(q in nasty(), area in prop::option::of(0usize..95)) {
        let (catalog, engine) = engine();
        let area = area.filter(|&a| a < catalog.areas.areas().len());
        let res = engine.search(catalog, &SearchRequest { text: q.clone(), area, limit: 20, ..Default::default() }).unwrap();
        prop_assert!(res.hits.len() <= 20);
        prop_assert!(res.total >= res.hits.len());
        for h in &res.hits {
            prop_assert!(h.resource < catalog.len());
            let s = &h.snippet;
            for r in &s.highlights {
                prop_assert!(r.start <= r.end && r.end <= s.text.len());
                prop_assert!(s.text.is_char_boundary(r.start) && s.text.is_char_boundary(r.end));
            }
        }
        if res.total == 0 {
            prop_assert!(res.no_results.is_some());
        }
    }

    #[test]
    fn any_area_or_term_input_resolves_or_suggests(input in nasty()) {
        let (catalog, _) = engine();
        let _ = catalog.resolve_area(&input);
        let _ = catalog.resolve_term(ikenavi::directory::Facet::CareType, &input);
        let _ = catalog.resolve_term(ikenavi::directory::Facet::Need, &input);
    }
}
