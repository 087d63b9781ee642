//! The bundled open-data layer `data/wamnet.json` (issue 10, items 1–2): what a clerk
//! notices (the official phone of a named office, real facilities for a service type), that
//! it is exactly what `ikenavi import wamnet` makes from the committed files, and that nothing
//! in it is invented.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common;
use common::run;

/// The committed source files, as cited (`folder/name`), in the order of the documented
/// command.
const SOURCES: [&str; 10] = [
    "wamnet-2025-03/csvdownload021.csv",
    "wamnet-2025-03/csvdownload053.csv",
    "wamnet-2025-03/csvdownload054.csv",
    "wamnet-2025-03/csvdownload064.csv",
    "wamnet-2025-03/csvdownload066.csv",
    "wamnet-2025-03/csvdownload067.csv",
    "wamnet-2025-03/csvdownload068.csv",
    "wamnet-2025-03/csvdownload069.csv",
    "wamnet-2026-03/csvdownload065.csv",
    "wamnet-2024-04/csvdownload024.csv",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn layer_path() -> String {
    root().join("data/wamnet.json").display().to_string()
}

fn source_path(cited: &str) -> PathBuf {
    root().join("data/sources").join(cited)
}

/// The release before `SOURCES`' in the bundled chain: the same files with the 短期入所 of
/// 2023-11, whose closed offices the bundled layer keeps (issue 28).
const PREVIOUS_024: &str = "wamnet-2023-11/csvdownload024.csv";

/// The committed changes report of the last step of the chain.
const CHANGES: &str = "wamnet-2024-04/changes-from-2023-11.md";

/// One `import wamnet` of the documented chain: `SOURCES` with `short_stay` for the 024 file
/// and its release, the bundled selection of 053/054, writing `out` and `report`, and
/// comparing with `previous` (writing `changes`) when given.
fn import_release(
    short_stay: (&str, &str),
    out: &Path,
    report: &Path,
    previous: Option<(&Path, &Path)>,
) -> (Option<i32>, String, String) {
    let mut files: Vec<String> = SOURCES[..9]
        .iter()
        .map(|f| source_path(f).display().to_string())
        .collect();
    files.push(source_path(short_stay.0).display().to_string());
    let mut args: Vec<&str> = vec!["import", "wamnet"];
    args.extend(files.iter().map(String::as_str));
    let as_of = format!("{}={}", files[9], short_stay.1);
    let (out, report) = (out.display().to_string(), report.display().to_string());
    args.extend([
        "--as-of",
        &as_of,
        "--restrict-types",
        "053,054",
        "--to-prefectures",
        "13,35",
        "--out",
        &out,
        "--report",
        &report,
    ]);
    let previous = previous.map(|(p, c)| (p.display().to_string(), c.display().to_string()));
    if let Some((p, c)) = &previous {
        args.extend(["--previous", p, "--changes", c]);
    }
    run(&args)
}

/// The documented chain (`data/sources/README.md`): the previous release, then the current
/// one carrying it into `out`, its changes report written to `changes`; the second import's
/// exit code and stderr.
fn import(out: &Path, report: &Path, changes: &Path) -> (Option<i32>, String, String) {
    let previous = out.with_extension("previous.json");
    let (code, _, err) = import_release(
        (PREVIOUS_024, "2023-11以前"),
        &previous,
        &report.with_extension("previous.txt"),
        None,
    );
    assert_eq!(code, Some(0), "{err}");
    import_release(
        (SOURCES[9], "2024-04以前"),
        out,
        report,
        Some((&previous, changes)),
    )
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ikenavi-wamnet-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn regenerating_gives_the_committed_layer_byte_for_byte() {
    let dir = tempdir("regen");
    let (out, report) = (dir.join("wamnet.json"), dir.join("report.txt"));
    let changes = dir.join("changes.md");
    let (code, _, err) = import(&out, &report, &changes);
    assert_eq!(code, Some(0), "{err}");
    let made = std::fs::read(&out).expect("written");
    let committed = std::fs::read(layer_path()).expect("committed layer");
    assert!(
        made == committed,
        "data/wamnet.json differs from what the sources give: run the commands in data/sources/README.md"
    );
    assert!(
        std::fs::read(&changes).ok() == std::fs::read(source_path(CHANGES)).ok(),
        "data/sources/{CHANGES} differs from the changes the sources give: run the commands in data/sources/README.md"
    );
    // The 短期入所 offices that left between the two releases stay, closed (issue 28).
    assert!(
        err.contains("2023-11以前 → 2024-04以前: 新規 611・廃止 54・")
            && err.contains("・番号変更 4"),
        "{err}"
    );
    assert!(
        err.contains("公開データにない記録 54件（今回 54件）"),
        "{err}"
    );
    // The summary line says what happened; the report names the one municipality not found
    // with its file and line.
    assert!(
        err.contains("44203行を読み、") && err.contains("、選んだ都道府県の外の行 "),
        "{err}"
    );
    assert!(
        err.contains(
            "市区町村が地域の一覧にない記録 18件（都道府県にだけ位置づけた 18件、レイヤーに入れない 0件）"
        ),
        "{err}"
    );
    // Each file's release is said, and where it came from.
    assert!(
        err.contains("wamnet-2024-04/csvdownload024.csv: 公開時点 2024-04以前（--as-of）"),
        "{err}"
    );
    assert!(
        err.contains("wamnet-2026-03/csvdownload065.csv: 公開時点 2026-03（フォルダ名から）"),
        "{err}"
    );
    let report = std::fs::read_to_string(&report).expect("report");
    // Every merge is in the report: one place, one record.
    assert!(
        report
            .lines()
            .any(|l| l.contains("同じ事業所（同じ市区町村で") && l.contains("にまとめました")),
        "{report}"
    );
    assert!(
        report.lines().any(|l| l
            .starts_with("wamnet-2025-03/csvdownload067.csv:2741: 注記: 事業所住所（市区町村）")
            && l.contains("「福岡県糟屋郡須惠町」: 地域の一覧のどの市区町村とも決まらないため、都道府県にだけ位置づけました")),
        "{report}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_layer_validates_on_the_bundled_directory() {
    let (code, out, err) = run(&["validate", &layer_path()]);
    assert_eq!(code, Some(0), "{out}{err}");
}

#[test]
fn show_gives_the_official_phone_of_a_named_office() {
    let layer = layer_path();
    let (code, out, err) = run(&["--data", &layer, "show", "wam-3535700110", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    let r: Value = serde_json::from_str(&out).expect("json");
    // The office is linked to its curated record (data/links.json): its id shows that record,
    // which carries the office's official facts.
    assert_eq!(r["id"], "yamaguchi-tachibanaen-soudan");
    assert_eq!(r["name"], "たちばな園相談支援事業所");
    assert_eq!(r["contact"]["phone"], "0820-73-5010");
    assert_eq!(r["contact"]["fax"], "0820-73-5020");
    assert_eq!(
        r["contact"]["address"],
        "山口県大島郡周防大島町大字油良1020番地"
    );
    assert_eq!(r["office_numbers"], serde_json::json!(["3535700110"]));
    assert_eq!(r["designations"][0]["code"], 53);
    assert_eq!(r["hours_by_day"]["weekday"], "08:30-17:15");
    let (code, out, err) = run(&["--data", &layer, "show", "wam-3535700110"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("0820-73-5010"), "{out}");
}

#[test]
fn searching_a_service_type_returns_real_facilities() {
    let layer = layer_path();
    let (code, out, err) = run(&[
        "--data",
        &layer,
        "search",
        "医療型障害児入所施設",
        "--json",
        "--limit",
        "20",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    let hits = v["hits"].as_array().expect("hits");
    let wam: Vec<&str> = hits
        .iter()
        .filter_map(|h| h["id"].as_str())
        .filter(|id| id.starts_with("wam-"))
        .collect();
    assert!(wam.len() >= 10, "{out}");
    assert!(v["total"].as_u64().unwrap_or(0) >= 200, "{}", v["total"]);
    // Each hit carries the contact a clerk reads out.
    let with_phone = hits
        .iter()
        .filter(|h| h["id"].as_str().is_some_and(|id| id.starts_with("wam-")))
        .filter(|h| {
            h["contact"]["phone"]
                .as_str()
                .is_some_and(|p| !p.is_empty())
        })
        .count();
    assert_eq!(with_phone, wam.len(), "{out}");
}

/// Every phone, fax, address and URL in the layer appears in a source row its record cites.
#[test]
fn nothing_in_the_layer_is_invented() {
    let text = std::fs::read_to_string(layer_path()).expect("layer");
    let layer: Value = serde_json::from_str(&text).expect("json");
    let mut rows: HashMap<String, Vec<String>> = HashMap::new();
    for cited in SOURCES.into_iter().chain([PREVIOUS_024]) {
        let bytes = std::fs::read(source_path(cited)).expect("source");
        // Cleaned as the import cleans a cell; a tab inside one (花栗<TAB>１丁目) is a space in
        // the record, whose strings are one paragraph.
        let lines = String::from_utf8_lossy(&bytes)
            .lines()
            .map(|l| ikenavi::import::wamnet::fields::clean(l).replace(char::is_control, " "))
            .collect();
        rows.insert(cited.to_string(), lines);
    }
    let resources = layer["resources"].as_array().expect("resources");
    assert!(resources.len() > 30_000, "{}", resources.len());
    for r in resources {
        let id = r["id"].as_str().unwrap_or_default();
        let cited: Vec<&String> = r["sources"]
            .as_array()
            .expect("sources")
            .iter()
            .map(|s| {
                let line: usize = s["section"]
                    .as_str()
                    .and_then(|t| t.split(' ').nth(1))
                    .and_then(|n| n.parse().ok())
                    .expect("行 N");
                &rows[s["file"].as_str().expect("file")][line - 1]
            })
            .collect();
        let appears = |v: &str| cited.iter().any(|l| l.contains(v));
        let c = &r["contact"];
        // A doubled hyphen in a phone cell (054-625--8881) is written once (fields::phone).
        let appears_phone = |v: &str| cited.iter().any(|l| l.replace("--", "-").contains(v));
        for key in ["phone", "fax"] {
            if let Some(v) = c[key].as_str() {
                assert!(appears_phone(v), "{id}: {key} {v} not in its rows");
            }
        }
        if let Some(v) = c["url"].as_str() {
            assert!(appears(v), "{id}: url {v} not in its rows");
        }
        if let Some(a) = c["address"].as_str() {
            // The address is 事業所住所（市区町村） + （番地以降）: both parts are in a cited row.
            let split = (1..a.len())
                .filter(|&i| a.is_char_boundary(i))
                .any(|i| appears(&a[..i]) && appears(&a[i..]));
            assert!(split || appears(a), "{id}: address {a} not in its rows");
        }
        let numbers = r["office_numbers"].as_array().expect("office_numbers");
        for n in numbers {
            assert!(appears(n.as_str().unwrap_or("?")), "{id}: {n}");
        }
    }
}

#[test]
fn a_file_that_is_not_wamnet_exits_1_with_its_name_and_line() {
    let dir = tempdir("bad").join("wamnet-2025-03");
    std::fs::create_dir_all(&dir).expect("dir");
    let bad = dir.join("csvdownload099.csv");
    std::fs::write(
        &bad,
        "\"事業所の名称\",\"サービス種別\"\n\"a\",\"療養介護\"\n",
    )
    .expect("write");
    let out = dir.join("out.json");
    let (code, _, err) = run(&[
        "import",
        "wamnet",
        &bad.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("csvdownload099.csv:1:"), "{err}");
    assert!(!out.exists());
    // Outside a wamnet-YYYY-MM folder the release must be given.
    let elsewhere = dir.parent().expect("parent").join("x.csv");
    std::fs::copy(&bad, &elsewhere).expect("copy");
    let (code, _, err) = run(&["import", "wamnet", &elsewhere.display().to_string()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--as-of"), "{err}");
    std::fs::remove_dir_all(dir.parent().expect("parent")).ok();
}

/// An office's newer download, loaded with `--data`, stands in for the bundled offices (its
/// file says `"replaces": "data/wamnet.json"`): no id clash, the newer facts win, and the
/// offices it no longer lists are gone. A `replaces` naming no bundled layer is refused.
#[test]
fn a_newer_download_replaces_the_bundled_offices() {
    let dir = tempdir("newer");
    let layer = |replaces: &str| {
        format!(
            r#"{{ "schema_version": 1, "replaces": "{replaces}", "as_of": "2025-09",
  "source_documents": [ {{ "file": "csvdownload053.csv", "issuer": "独立行政法人福祉医療機構",
    "title": "障害福祉サービス等情報公表システム オープンデータ csvdownload053.csv", "date": "2025-09" }} ],
  "resources": [ {{ "id": "wam-3535700110", "name": "たちばな園相談支援事業所",
    "kind": "consultation", "summary": "地域相談支援の指定事業所（WAM NET）",
    "located_in": "35305", "service_areas": ["35305"], "status": "active",
    "contact": {{ "phone": "0820-73-9999" }},
    "sources": [ {{ "file": "csvdownload053.csv", "section": "行 9 事業所番号 3535700110",
      "date": "2025-09" }} ] }} ] }}"#
        )
    };
    let newer = dir.join("wamnet-2025-09.json");
    std::fs::write(&newer, layer("data/wamnet.json")).expect("write");
    let newer = newer.display().to_string();
    let (code, out, err) = run(&["--data", &newer, "show", "wam-3535700110"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("0820-73-9999"), "{out}");
    let (code, out, err) = run(&["--data", &newer, "search", "療養介護", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    let ids = common::hit_ids(&v);
    assert!(!ids.iter().any(|id| id.starts_with("wam-")), "{ids:?}");

    let wrong = dir.join("wrong.json");
    std::fs::write(&wrong, layer("data/nothing.json")).expect("write");
    let (code, _, err) = run(&["validate", &wrong.display().to_string()]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("replaces") && err.contains("data/wamnet.json"),
        "{err}"
    );
    std::fs::remove_dir_all(dir).ok();
}

/// The rows of a committed file as (name, phone digits), for sampling.
fn named_rows(cited: &str) -> Vec<(String, String)> {
    let bytes = std::fs::read(source_path(cited)).expect("source");
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes.as_slice());
    let header = rdr.headers().expect("header").clone();
    let col = |h: &str| {
        header
            .iter()
            .position(|x| x.trim_start_matches('\u{feff}') == h)
            .expect(h)
    };
    let (name, phone) = (col("事業所の名称"), col("事業所電話番号"));
    rdr.records()
        .map(|r| {
            let r = r.expect("row");
            let digits: String = ikenavi::import::wamnet::fields::clean(&r[phone])
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            (r[name].trim().to_string(), digits)
        })
        .collect()
}

/// Issue 22: 24 offices sampled from the two new files (放デイ 2026-03, 短期入所 2024-04以前),
/// each found by typing its name, with its phone on the hit's record.
#[test]
fn offices_sampled_from_the_new_files_are_found_by_name_with_their_phone() {
    let mut seed: u64 = 0x2026_0306;
    let mut next = move |n: usize| {
        // xorshift: the same sample on every run, spread over the whole file.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut missed = Vec::new();
    for cited in [
        "wamnet-2026-03/csvdownload065.csv",
        "wamnet-2024-04/csvdownload024.csv",
    ] {
        let rows = named_rows(cited);
        let mut taken = 0;
        while taken < 12 {
            let (name, phone) = &rows[next(rows.len())];
            if phone.is_empty() {
                continue;
            }
            taken += 1;
            let (code, out, err) = run(&["search", "--json", "--limit", "50", "--", name]);
            assert_eq!(code, Some(0), "{name}: {err}");
            let v: Value = serde_json::from_str(&out).expect("json");
            let found = v["hits"].as_array().expect("hits").iter().any(|h| {
                let digits: String = h["contact"]["phone"]
                    .as_str()
                    .unwrap_or_default()
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect();
                &digits == phone
            });
            if !found {
                missed.push(format!("{cited}: {name} {phone}"));
            }
        }
    }
    assert!(missed.is_empty(), "{missed:#?}");
}

/// Issue 22: one place, one record — ≥ 30,000 records, and no two listed ones in one
/// municipality with the same normalized name and phone.
#[test]
fn one_place_one_record_in_the_bundled_list() {
    let (code, out, err) = run(&["list", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    let hits = v["hits"].as_array().expect("hits");
    assert!(hits.len() >= 30_000, "{}", hits.len());
    let text = std::fs::read_to_string(layer_path()).expect("layer");
    let layer: Value = serde_json::from_str(&text).expect("json");
    let mut seen: HashMap<(String, String, String), String> = HashMap::new();
    for r in layer["resources"].as_array().expect("resources") {
        // A closed record is the history of a place (issue 28): a renumbered office's names
        // its successor, the listed record of the same place.
        if r["status"] == "closed" {
            continue;
        }
        let Some(phone) = r["contact"]["phone"].as_str() else {
            continue;
        };
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        let key = (
            ikenavi::import::wamnet::fields::name_key(r["name"].as_str().unwrap_or_default()),
            digits,
            r["located_in"].as_str().unwrap_or_default().to_string(),
        );
        let id = r["id"].as_str().unwrap_or_default().to_string();
        if let Some(other) = seen.insert(key.clone(), id.clone()) {
            panic!("{other} and {id} are one place: {key:?}");
        }
    }
}

/// Issue 22: each designation keeps its own file's release; the card's source line says the
/// oldest date it relies on, never a later one than the 短期入所 file can be.
#[test]
fn each_designation_says_its_own_release_and_the_card_the_oldest() {
    // 多機能型事業所おにぎり (札幌市北区): 短期入所 in the file of 2024-04以前, 放デイ in 2026-03.
    let (code, out, err) = run(&["show", "wam-0110204997"]);
    assert_eq!(code, Some(0), "{err}");
    let line = out
        .lines()
        .find(|l| l.contains("指定サービス"))
        .unwrap_or_default();
    assert!(
        line.contains("短期入所（事業所番号 ") && line.contains("・2024-04以前）"),
        "{out}"
    );
    assert!(
        line.contains("放課後等デイサービス（事業所番号 ") && line.contains("・2026-03）"),
        "{out}"
    );
    assert!(
        out.contains("2年以上前"),
        "an upper bound is at least that old: {out}"
    );
    let (code, card, err) = run(&["show", "--card", "wam-0110204997"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(card.contains("WAM NET 2024-04以前"), "{card}");
    assert!(!card.contains("2026-03"), "{card}");
}

/// Issue 22: WAM's zip as downloaded, without --as-of: the release from the zip's name.
#[test]
fn the_zip_as_downloaded_imports_without_as_of() {
    use std::io::Write;
    let dir = tempdir("zip");
    let zip_path = dir.join("sfkopendata_202503_64.zip");
    {
        let file = std::fs::File::create(&zip_path).expect("zip");
        let mut w = zip::ZipWriter::new(file);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("csvdownload064.csv", opts).expect("entry");
        w.write_all(&std::fs::read(source_path(SOURCES[3])).expect("064"))
            .expect("write");
        w.finish().expect("finish");
    }
    let out = dir.join("layer.json");
    let (code, _, err) = run(&[
        "import",
        "wamnet",
        &zip_path.display().to_string(),
        "--out",
        &out.display().to_string(),
        "--allow-partial",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains(
            "sfkopendata_202503_64.zip/csvdownload064.csv: 公開時点 2025-03（zip の名前から）"
        ),
        "{err}"
    );
    let layer: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("layer")).expect("json");
    assert_eq!(layer["as_of"], "2025-03");
    let r = &layer["resources"][0];
    assert_eq!(
        r["sources"][0]["file"],
        "sfkopendata_202503_64.zip/csvdownload064.csv"
    );
    assert_eq!(r["designations"][0]["as_of"], "2025-03");
    // The layer loads on the bundled directory in place of the bundled offices.
    let (code, _, err) = run(&["validate", &out.display().to_string()]);
    assert_eq!(code, Some(0), "{err}");
    // The same type in two releases is refused: which rows are current is not guessed.
    let (code, _, err) = run(&[
        "import",
        "wamnet",
        &zip_path.display().to_string(),
        &source_path(SOURCES[3]).display().to_string(),
        "--as-of",
        &format!("{}=2024-09", source_path(SOURCES[3]).display()),
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("二つの公開時点のファイルにあります"), "{err}");
    std::fs::remove_dir_all(dir).ok();
}

/// Issue 25: one service type's file (or a header-only one, 記録 0件) made a layer marked
/// `replaces: data/wamnet.json` with exit 0; loaded, every other type's offices vanished and
/// `validate` said nothing. Now the import refuses it (nothing written) naming what would
/// vanish, writes it only with `--allow-partial`, and `validate` says what it replaces.
#[test]
fn a_partial_download_never_silently_replaces_the_national_layer() {
    let dir = tempdir("partial");
    let out = dir.join("layer.json");
    let one_type = source_path(SOURCES[3]).display().to_string();
    let (code, _, err) = run(&[
        "import",
        "wamnet",
        &one_type,
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(!out.exists(), "a refused layer is not written");
    assert!(
        err.contains("同梱の data/wamnet.json をまるごと置き換える")
            && err.contains("このレイヤーにないサービス種別: ")
            && err.contains("--allow-partial"),
        "{err}"
    );
    // A header-only file: 記録 0件 is refused too.
    let header_only = dir.join("wamnet-2025-03");
    std::fs::create_dir_all(&header_only).expect("dir");
    let header_only = header_only.join("csvdownload064.csv");
    let first_line: String = std::fs::read_to_string(source_path(SOURCES[3]))
        .expect("064")
        .lines()
        .next()
        .expect("header")
        .to_string();
    std::fs::write(&header_only, format!("{first_line}\n")).expect("write");
    let (code, _, err) = run(&[
        "import",
        "wamnet",
        &header_only.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("記録 0件"), "{err}");
    assert!(!out.exists());
    // Asked for, it is written, and validate says what it hides.
    let (code, _, err) = run(&[
        "import",
        "wamnet",
        &one_type,
        "--out",
        &out.display().to_string(),
        "--allow-partial",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let (code, text, err) = run(&["validate", &out.display().to_string()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        text.contains("は同梱の data/wamnet.json をまるごと置き換えます: 同梱の事業所 ")
            && text.contains("このレイヤーにないサービス種別: "),
        "{text}"
    );
    std::fs::remove_dir_all(dir).ok();
}

/// Issue 28: the 短期入所 offices of the 2023-11 release that the 2024-04 one lacks stay in the
/// bundled layer, closed — `show` names the release they left in, their last known phone and
/// the renumbered successor; an id of the 2023-11 layer that moved resolves to its office;
/// search leaves the closed ones out.
#[test]
fn offices_that_left_the_short_stay_release_still_resolve() {
    let (code, out, err) = run(&["show", "wam-0111500922"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("2024-04以前 の公開データにありません（廃止・休止・移転の可能性）— 電話・住所は 2023-11以前 の公開データのもの"),
        "{out}"
    );
    assert!(out.contains("0138-77-1700"), "{out}");
    let (_, out, _) = run(&["show", "wam-0912600160"]);
    assert!(
        out.lines()
            .any(|l| l.starts_with("番号変更後") && l.contains("wam-0912600194")),
        "{out}"
    );
    let (code, out, err) = run(&["show", "wam-1156506618"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("wam-1116506617 に統合されています"), "{out}");
    let (_, out, _) = run(&["search", "介護老人保健施設 いなほ", "--json"]);
    let v: Value = serde_json::from_str(&out).expect("json");
    assert!(
        !common::hit_ids(&v).iter().any(|i| i == "wam-0111500922"),
        "{out}"
    );
    let layer: Value =
        serde_json::from_str(&std::fs::read_to_string(layer_path()).expect("layer")).expect("json");
    let closed = layer["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter(|r| r["status"] == "closed")
        .count();
    assert_eq!(closed, 54);
}

/// A number read out by a caller (「076-467-0679 ってどこですか」) finds its office whatever area
/// is chosen, typed as written, in full-width digits or with +81; a number no record has says
/// so and lists nothing; a municipality's main number gives its window.
#[test]
fn a_phone_number_read_out_finds_its_office_anywhere() {
    let rows: Vec<(String, String)> = named_rows("wamnet-2026-03/csvdownload065.csv")
        .into_iter()
        .filter(|(_, p)| (10..=11).contains(&p.len()) && p.starts_with('0'))
        .collect();
    let mut missed = Vec::new();
    for (i, (name, phone)) in rows.iter().step_by(rows.len() / 8).take(8).enumerate() {
        let typed = match i % 3 {
            0 => phone.clone(),
            1 => phone
                .chars()
                .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap())
                .collect(),
            _ => format!("+81 {}", &phone[1..]),
        };
        let (code, out, err) = run(&[
            "search",
            "--json",
            "--limit",
            "50",
            "--area",
            "品川区",
            "--",
            &typed,
        ]);
        assert_eq!(code, Some(0), "{typed}: {err}");
        assert!(err.contains("地域に関係なく"), "{typed}: {err}");
        let v: Value = serde_json::from_str(&out).expect("json");
        let found = v["hits"].as_array().expect("hits").iter().any(|h| {
            let digits: String = h["contact"]["phone"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            &digits == phone
        });
        if !found {
            missed.push(format!("{name} {typed}: {v}"));
        }
    }
    assert!(missed.is_empty(), "{missed:#?}");

    let (code, out, err) = run(&["search", "--json", "--", "099-999-9999"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("どの記録にもありません"), "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["total"], 0, "{v}");

    let (code, out, err) = run(&["search", "--", "052-961-1111"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("名古屋市役所"), "{out}");
}

/// A corporation named as corporations are (PLUSケアサービス株式会社 放デイ) finds the offices
/// it runs, not every office with PLUS or ケア in its name: for corporations sampled from the
/// bundled layer, each with the municipality of one of its 放デイ offices, that office is among
/// the hits.
#[test]
fn a_corporation_named_finds_the_offices_it_runs() {
    let layer = common::bundled("wamnet");
    let names = common::area_names();
    let name_of = |id: &str| names.get(id).cloned();
    // Written as one word (PLUSケアサービス株式会社), and as the open data often writes it,
    // the entity word apart (社会福祉法人　沖縄コロニー).
    let offices = |spaced: bool| -> Vec<&Value> {
        layer["resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                r["provider"].as_str().is_some_and(|p| {
                    ikenavi::search::index::names_a_corporation(p)
                        && p.split_whitespace().count() == if spaced { 2 } else { 1 }
                }) && r["designations"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|d| d["code"] == 65))
            })
            .collect()
    };
    let (whole, spaced) = (offices(false), offices(true));
    assert!(spaced.len() > 10, "{} spaced", spaced.len());
    let sample = whole
        .iter()
        .step_by(whole.len() / 6)
        .take(6)
        .chain(spaced.iter().step_by(spaced.len() / 4).take(4));
    let mut missed = Vec::new();
    for r in sample {
        let provider = r["provider"].as_str().unwrap();
        let Some(town) = r["located_in"].as_str().and_then(name_of) else {
            continue;
        };
        let words = format!("{town} {provider} 放デイ");
        let (code, out, err) = run(&["search", "--json", "--limit", "20", "--", &words]);
        assert_eq!(code, Some(0), "{words}: {err}");
        let v: Value = serde_json::from_str(&out).expect("json");
        if !v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["id"] == r["id"])
        {
            missed.push(format!("{words} → {}: {v}", r["id"]));
        }
    }
    assert!(missed.is_empty(), "{missed:#?}");
}

/// A clerk types the town and then the office's name as the caller says it; a name holding a
/// word the search knows (ショートステイブーケ, こども療育学園ふらっぷ八千代台) came after the
/// town's other offices of that type, ordered by distance, since only the known word was
/// required of it.
#[test]
fn a_name_typed_beside_its_town_comes_first() {
    let layer = common::bundled("wamnet");
    let names = common::area_names();
    let name_of = |id: &str| names.get(id).cloned();
    let offices: Vec<&Value> = layer["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["name"].as_str().is_some_and(|n| {
                !n.contains(char::is_whitespace)
                    && n.chars().count() > 8
                    && ["ショートステイ", "療育", "放課後等デイサービス"]
                        .iter()
                        .any(|w| n.contains(w))
            })
        })
        .collect();
    assert!(offices.len() > 50, "{}", offices.len());
    let mut missed = Vec::new();
    for r in offices.iter().step_by(offices.len() / 8).take(8) {
        let Some(town) = r["located_in"].as_str().and_then(name_of) else {
            continue;
        };
        let words = format!("{town} {}", r["name"].as_str().unwrap());
        let (code, out, err) = run(&["search", "--json", "--limit", "3", "--", &words]);
        assert_eq!(code, Some(0), "{words}: {err}");
        let v: Value = serde_json::from_str(&out).expect("json");
        if v["hits"][0]["name"] != r["name"] {
            missed.push(format!("{words} → {}: {v}", r["id"]));
        }
    }
    assert!(missed.is_empty(), "{missed:#?}");
}
