//! Where a WAM NET office is: 事業所住所（市区町村） cells as the 2025-03 files write them →
//! the area of the bundled gazetteer, or no answer (never a guess).

use ikenavi::directory::{Catalog, DataSource};

fn catalog() -> Catalog {
    DataSource::bundled().load().expect("bundled directory")
}

fn id_of(c: &Catalog, cell: &str) -> Option<String> {
    c.area_of_address(cell).map(|i| c.areas.at(i).id.clone())
}

#[test]
fn real_cells_resolve_to_their_municipality_or_ward() {
    let c = catalog();
    let cases = [
        // Municipalities, 東京都の区, cities.
        ("東京都品川区", "13109"),
        ("山口県岩国市", "35208"),
        ("山口県下関市", "35201"),
        ("福島県郡山市", "07203"),
        ("奈良県大和郡山市", "29203"),
        ("岐阜県郡上市", "21219"),
        // A 郡 part is dropped.
        ("山口県大島郡周防大島町", "35305"),
        ("北海道網走郡美幌町", "01543"),
        ("宮城県亘理郡山元町", "04362"),
        ("三重県多気郡明和町", "24442"),
        ("和歌山県日高郡美浜町", "30381"),
        // 政令市の区: the ward named with its city.
        ("北海道札幌市東区", "01103"),
        ("大阪府大阪市北区", "27127"),
        ("京都府京都市東山区", "26105"),
        ("神奈川県横浜市保土ケ谷区", "14106"),
        ("宮城県仙台市青葉区", "04101"),
        // ヶ and ケ are the same letter (the code list writes ケ).
        ("神奈川県茅ヶ崎市", "14207"),
        ("千葉県鎌ケ谷市", "12224"),
        ("佐賀県神埼郡吉野ヶ里町", "41327"),
        // Spaces (full-width too) and full-width forms do not matter.
        ("東京都　品川区", "13109"),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter(|(cell, id)| id_of(&c, cell).as_deref() != Some(*id))
        .map(|(cell, id)| format!("{cell}: want {id}, got {:?}", id_of(&c, cell)))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn unknown_misspelled_or_ambiguous_cells_have_no_answer() {
    let c = catalog();
    for cell in [
        // 須恵町 written with the old form 惠 (csvdownload067.csv:2741): not guessed.
        "福岡県糟屋郡須惠町",
        // Two 泊村 in 北海道 (古宇郡 and 国後郡): ambiguous without the 郡.
        "北海道泊村",
        // Only a prefecture, nothing, a place that does not exist, a city in the wrong
        // prefecture.
        "山口県",
        "",
        "山口県存在しない町",
        "東京都岩国市",
        "ムー大陸品川区",
        // 浜松市's wards abolished in 2024.
        "静岡県浜松市中区",
    ] {
        assert_eq!(id_of(&c, cell), None, "{cell}");
    }
    // The prefecture alone is still known, for a caller that falls back to it.
    let (p, rest) = c
        .areas
        .prefecture_of_address("福岡県糟屋郡須惠町")
        .expect("prefecture");
    assert_eq!(
        (c.areas.at(p).id.as_str(), rest.as_str()),
        ("40", "糟屋郡須惠町")
    );
}

#[test]
fn every_cell_of_the_committed_files_resolves_but_the_misspelled_one() {
    let c = catalog();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sources/wamnet-2025-03");
    let mut cells = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "csv") {
            let text = std::fs::read_to_string(&path).expect("utf-8");
            let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            let col = rdr
                .headers()
                .expect("header")
                .iter()
                .position(|h| h == "事業所住所（市区町村）")
                .expect("column");
            for rec in rdr.records() {
                cells.insert(rec.expect("row")[col].to_string());
            }
        }
    }
    assert!(cells.len() > 1000, "{}", cells.len());
    let unresolved: Vec<&String> = cells.iter().filter(|m| id_of(&c, m).is_none()).collect();
    assert_eq!(unresolved, ["福岡県糟屋郡須惠町"]);
}
