//! Open Referral HSDS 3.0 exchange: the export validates against the official schemas
//! (vendored in `data/sources/hsds-3.0/`), its CSV headers are the official package's, a round
//! trip keeps what HSDS can hold, the official examples import, and no CSV cell we write can
//! run as a formula in a spreadsheet.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ikenavi::csvsafe;
use ikenavi::directory::model::ResourceKind;
use ikenavi::directory::{Catalog, DataSource, Resource};
use ikenavi::import::hsds::export::{self, Package};
use ikenavi::import::hsds::read::{self, HsdsOptions};
use proptest::prelude::*;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn vendored(rel: &str) -> PathBuf {
    root().join("data/sources/hsds-3.0").join(rel)
}

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| DataSource::bundled().load().expect("bundled directory"))
}

fn package() -> &'static Package {
    static P: OnceLock<Package> = OnceLock::new();
    P.get_or_init(|| export::build(catalog()))
}

fn schema(rel: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(vendored(rel)).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("official schema compiles")
}

#[test]
fn every_exported_service_validates_against_the_compiled_schema() {
    let v = schema("schema/compiled/service.json");
    let services = &package().services;
    assert_eq!(services.len(), catalog().len());
    let mut failures = Vec::new();
    for s in services {
        let errors: Vec<String> = v
            .iter_errors(s)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        if !errors.is_empty() {
            failures.push(format!("{}: {}", s["name"], errors.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} services fail, first: {:?}",
        failures.len(),
        &failures[..failures.len().min(3)]
    );
    // Phones where known: every record with a phone has it as a voice phone.
    let with_phone = catalog()
        .resources()
        .iter()
        .filter(|r| r.contact.phone_number().is_some())
        .count();
    let voice = services
        .iter()
        .filter(|s| {
            s["phones"]
                .as_array()
                .is_some_and(|p| p.iter().any(|p| p["type"] == "voice"))
        })
        .count();
    assert!(with_phone > 100);
    assert_eq!(voice, with_phone);
    // Care types and needs travel as attributes with our taxonomies' terms.
    let ventilator = services
        .iter()
        .flat_map(|s| s["attributes"].as_array().unwrap())
        .filter(|a| {
            a["taxonomy_term"]["taxonomy"] == "ikenavi-care-types"
                && a["taxonomy_term"]["code"] == "ventilator"
        })
        .count();
    assert!(ventilator > 0);
}

/// A part of the compiled service schema (it holds the taxonomy, term and metadata objects
/// fully expanded), for the files beside `services.json`.
fn sub_schema(pointer: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(vendored("schema/compiled/service.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let part = schema
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{pointer}"));
    jsonschema::options()
        .should_validate_formats(true)
        .build(part)
        .unwrap()
}

#[test]
fn taxonomy_and_metadata_files_validate_and_name_every_source() {
    let dir = tempfile::tempdir().unwrap();
    export::write_json(package(), dir.path()).unwrap();
    let read = |f: &str| -> Vec<Value> {
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(f)).unwrap()).unwrap()
    };
    let term = "/properties/attributes/items/properties/taxonomy_term";
    for (file, pointer) in [
        (
            "taxonomies.json",
            format!("{term}/properties/taxonomy_detail"),
        ),
        ("taxonomy_terms.json", term.to_string()),
        ("metadata.json", "/properties/metadata/items".to_string()),
    ] {
        let v = sub_schema(&pointer);
        let items = read(file);
        assert!(!items.is_empty(), "{file}");
        for item in &items {
            let errors: Vec<String> = v.iter_errors(item).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{file}: {item}: {errors:?}");
        }
    }
    let named: Vec<String> = read("metadata.json")
        .iter()
        .map(|m| m["previous_value"].as_str().unwrap().to_string())
        .collect();
    for d in &catalog().dir.source_documents {
        assert!(named.contains(&d.file), "{} not in metadata.json", d.file);
    }
    let terms = read("taxonomy_terms.json");
    for t in catalog()
        .dir
        .taxonomy
        .care_types
        .iter()
        .chain(&catalog().dir.taxonomy.needs)
    {
        assert!(
            terms
                .iter()
                .any(|x| x["code"] == t.id.as_str() && x["name"] == t.label.as_str()),
            "{}",
            t.id
        );
    }
}

#[test]
fn the_schema_check_is_not_a_rubber_stamp() {
    let v = schema("schema/compiled/service.json");
    let mut s = package().services[0].clone();
    assert!(v.is_valid(&s));
    s["status"] = Value::String("open".into());
    assert!(!v.is_valid(&s));
    let mut s = package().services[0].clone();
    s["id"] = Value::String("wam-1".into());
    assert!(!v.is_valid(&s), "ids must be UUIDs");
}

fn official_package() -> Vec<(String, Vec<String>)> {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(vendored("datapackage.json")).unwrap())
            .unwrap();
    v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_string(),
                r["schema"]["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f["name"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let headers = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let rows = rdr
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

#[test]
fn csv_package_has_the_official_tables_and_headers() {
    let dir = tempfile::tempdir().unwrap();
    export::write_csv(package(), dir.path()).unwrap();
    let official = official_package();
    assert_eq!(official.len(), 21);
    for (path, fields) in &official {
        let (headers, _) = read_csv(&dir.path().join(path));
        assert_eq!(&headers, fields, "{path}");
    }
    let written = std::fs::read_to_string(dir.path().join("datapackage.json")).unwrap();
    assert_eq!(
        written,
        std::fs::read_to_string(vendored("datapackage.json")).unwrap()
    );
    let (_, services) = read_csv(&dir.path().join("services.csv"));
    assert_eq!(services.len(), catalog().len());
    let (_, phones) = read_csv(&dir.path().join("phones.csv"));
    assert!(phones.len() > 100);
}

/// The package's own rules for its tables: a required field has a value in every row, and a
/// foreign key names a row of the table it refers to. The one exception is
/// `addresses.postal_code`, required by HSDS and empty where the address gives none (we do
/// not invent it).
#[test]
fn csv_package_keeps_required_fields_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    export::write_csv(package(), dir.path()).unwrap();
    let pkg: Value =
        serde_json::from_str(&std::fs::read_to_string(vendored("datapackage.json")).unwrap())
            .unwrap();
    let mut ids: BTreeMap<String, std::collections::HashSet<String>> = BTreeMap::new();
    let mut tables = BTreeMap::new();
    for r in pkg["resources"].as_array().unwrap() {
        let (headers, rows) = read_csv(&dir.path().join(r["path"].as_str().unwrap()));
        let name = r["name"].as_str().unwrap().to_string();
        ids.insert(
            name.clone(),
            rows.iter().map(|row| row[0].clone()).collect(),
        );
        tables.insert(name, (r.clone(), headers, rows));
    }
    let mut problems = Vec::new();
    for (name, (r, headers, rows)) in &tables {
        let col = |f: &str| headers.iter().position(|h| h == f).unwrap();
        for f in r["schema"]["fields"].as_array().unwrap() {
            let field = f["name"].as_str().unwrap();
            if f["constraints"]["required"] == true
                && !(name == "address" && field == "postal_code")
            {
                let empty = rows.iter().filter(|row| row[col(field)].is_empty()).count();
                if empty > 0 {
                    problems.push(format!("{name}.{field}: {empty} empty"));
                }
            }
        }
        for fk in r["schema"]["foreignKeys"].as_array().into_iter().flatten() {
            let field = fk["fields"].as_str().unwrap();
            let target = &ids[fk["reference"]["resource"].as_str().unwrap()];
            let dangling = rows
                .iter()
                .filter(|row| !row[col(field)].is_empty() && !target.contains(&row[col(field)]))
                .count();
            if dangling > 0 {
                problems.push(format!("{name}.{field}: {dangling} dangling"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:?}");
    assert!(tables["organization"].2.len() > 100);
}

/// A record as compared after the round trip: all of it.
fn kept(r: &Resource) -> Value {
    serde_json::to_value(r).unwrap()
}

fn assert_round_trip(dir: &Path) {
    let imp = read::import(
        dir,
        &HsdsOptions {
            default_area: None,
            date: "2025-01-01".into(),
        },
        catalog(),
    )
    .unwrap();
    assert!(
        imp.left.is_empty(),
        "{:?}",
        &imp.left[..imp.left.len().min(3)]
    );
    let original: BTreeMap<&str, &Resource> = catalog()
        .resources()
        .iter()
        .map(|r| (r.id.as_str(), r))
        .collect();
    assert_eq!(imp.records.len(), original.len());
    let mut differ = Vec::new();
    for r in &imp.records {
        let o = original
            .get(r.id.as_str())
            .unwrap_or_else(|| panic!("unknown id {}", r.id));
        let (a, b) = (kept(o), kept(r));
        if a != b {
            let fields: Vec<String> = a
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, v)| b.get(k.as_str()) != Some(v))
                .map(|(k, v)| format!("{k}: {v} → {}", b[k.as_str()]))
                .collect();
            differ.push(format!("{}: {}", r.id, fields.join("; ")));
        }
    }
    assert!(
        differ.is_empty(),
        "{} differ, first: {}",
        differ.len(),
        differ[0]
    );
    // The fields compared are really there (the open-data offices carry them).
    let count = |f: fn(&Resource) -> bool| imp.records.iter().filter(|r| f(r)).count();
    assert!(count(|r| r.hours_by_day.is_some()) > 1000);
    assert!(count(|r| !r.office_numbers.is_empty()) > 1000);
    assert!(count(|r| r.contact.fax.is_some()) > 1000);
    assert!(count(|r| !r.care_types.is_empty()) >= 10);
    assert!(count(|r| !r.needs.is_empty()) > 1000);
    assert!(count(|r| r.location.is_some()) > 1000);
    // Every kind is compared, the operating corporations (`organization`) included.
    for kind in ResourceKind::ALL {
        assert!(
            imp.records.iter().any(|r| r.kind == kind),
            "no {kind:?} record"
        );
    }
    // Every cited document comes back with its issuer, title and date.
    for d in &imp.documents {
        let o = catalog()
            .source_document(&d.file)
            .expect("a known document");
        assert_eq!(
            (&o.issuer, &o.title, &o.date),
            (&d.issuer, &d.title, &d.date)
        );
    }
}

/// An operating corporation travels as a service whose `kind` attribute says `organization`,
/// and its HSDS organization is the very one its facility names as provider.
#[test]
fn a_corporation_shares_its_hsds_organization_with_the_facility_it_runs() {
    let services = &package().services;
    let by_name = |name: &str| {
        services
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("{name} not exported"))
    };
    let (corp, mint) = (by_name("株式会社Y＆N"), by_name("ミント"));
    assert_eq!(corp["organization_id"], mint["organization_id"]);
    assert_eq!(corp["organization"]["name"], "株式会社Y＆N");
    let kind = |s: &Value| {
        s["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["taxonomy_term"]["code"] == "kind")
            .map(|a| a["value"].clone())
    };
    assert_eq!(kind(corp), Some(Value::from("organization")));
    assert_eq!(kind(mint), Some(Value::from("facility")));
}

#[test]
fn round_trip_through_json_keeps_what_hsds_holds() {
    let dir = tempfile::tempdir().unwrap();
    export::write_json(package(), dir.path()).unwrap();
    assert_round_trip(dir.path());
}

#[test]
fn round_trip_through_csv_keeps_what_hsds_holds() {
    let dir = tempfile::tempdir().unwrap();
    export::write_csv(package(), dir.path()).unwrap();
    assert_round_trip(dir.path());
}

#[test]
fn official_examples_import() {
    let opts = HsdsOptions {
        default_area: Some("jp".into()),
        date: "2025-01-01".into(),
    };
    for ex in [
        "examples/service_full.json",
        "examples/service_list.json",
        "examples/csv",
    ] {
        let imp =
            read::import(&vendored(ex), &opts, catalog()).unwrap_or_else(|e| panic!("{ex}: {e}"));
        assert!(imp.services > 0, "{ex}");
        assert!(imp.left.is_empty(), "{ex}: {:?}", imp.left);
        let r = &imp.records[0];
        assert_eq!(r.name, "Community Counselling", "{ex}");
        assert_eq!(r.service_areas, ["jp"]);
        if ex != "examples/service_list.json" {
            // The list example carries no phones; the others do.
            assert_eq!(
                r.contact.phone.as_deref(),
                Some("\"+44 1234 234567\""),
                "{ex}"
            );
        }
    }
    // Without an area for “MyCity”, each service is reported, not placed anywhere.
    let opts = HsdsOptions {
        default_area: None,
        date: "2025-01-01".into(),
    };
    let imp = read::import(&vendored("examples/csv"), &opts, catalog()).unwrap();
    assert!(imp.records.is_empty());
    assert!(
        imp.left[0]
            .to_string()
            .starts_with("services.csv:2: Community Counselling: 対象地域「"),
        "{}",
        imp.left[0]
    );
}

#[test]
fn cli_examples_to_a_valid_layer() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ex.json");
    let (code, _, err) = common::run(&[
        "import",
        "hsds",
        vendored("examples/csv").to_str().unwrap(),
        "--area",
        "全国",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) = common::run(&["validate", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
}

/// Formula-leading values from an office's list, through import table, export csv and back.
#[test]
fn formula_values_are_neutralised_in_every_csv_and_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.csv");
    std::fs::write(
        &list,
        "名称,市区町村,備考,対象\n\"=HYPERLINK(\"\"http://evil\"\")\",品川区,@SUM(A1),+1\n-2+3,品川区,\"\t=1\",\"\r=2\"\n",
    )
    .unwrap();
    let layer = dir.path().join("layer.json");
    let (code, _, err) = common::run(&[
        "import",
        "table",
        list.to_str().unwrap(),
        "--out",
        layer.to_str().unwrap(),
        "--as-of",
        "2025-04-01",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let pkg = dir.path().join("pkg");
    let data = |f: &str| root().join("data").join(f).display().to_string();
    let (code, _, err) = common::run(&[
        "--no-bundled",
        "--data",
        &data("gazetteer.json"),
        "--data",
        &data("vocabulary.json"),
        "--data",
        layer.to_str().unwrap(),
        "export",
        "hsds",
        pkg.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let mut cells = 0;
    for entry in std::fs::read_dir(&pkg).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "csv") {
            let (h, rows) = read_csv(&p);
            for c in h.iter().chain(rows.iter().flatten()) {
                cells += 1;
                assert!(
                    !c.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{}: {c:?}",
                    p.display()
                );
            }
        }
    }
    assert!(cells > 50);
    let back = read::import(
        &pkg,
        &HsdsOptions {
            default_area: None,
            date: "2025-01-01".into(),
        },
        catalog(),
    )
    .unwrap();
    let names: Vec<&str> = back.records.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["=HYPERLINK(\"http://evil\")", "-2+3"]);
    assert_eq!(back.records[0].description.as_deref(), Some("@SUM(A1)"));
    assert_eq!(back.records[0].eligibility.as_deref(), Some("+1"));
    assert_eq!(back.records[1].description.as_deref(), Some("=1"));
}

/// JSON values with the keys a service reader looks at, nested a few levels.
fn service_like() -> impl Strategy<Value = Value> {
    let keys = prop::sample::select(vec![
        "id",
        "name",
        "description",
        "status",
        "url",
        "phones",
        "number",
        "type",
        "service_areas",
        "attributes",
        "taxonomy_term",
        "taxonomy",
        "code",
        "value",
        "metadata",
        "organization",
        "service_at_locations",
        "location",
        "addresses",
        "latitude",
        "country",
        "last_modified",
        "alternate_name",
        "schedules",
        "contacts",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z0-9 ー、\\-]{0,12}".prop_map(Value::from),
        Just(Value::from("ikenavi-fields")),
        Just(Value::from("record-id")),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..6).prop_map(|kv| Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_hsds_json_never_panics(v in service_like()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("services.json"), v.to_string()).unwrap();
        let opts = HsdsOptions { default_area: Some("jp".into()), date: "2025-01-01".into() };
        if let Ok(imp) = read::import(dir.path(), &opts, catalog()) {
            prop_assert_eq!(imp.records.len() + imp.left.len(), imp.services);
        }
    }
}

proptest! {
    #[test]
    fn no_written_cell_starts_a_formula(cells in proptest::collection::vec(any::<String>(), 1..6)) {
        let mut w = csvsafe::Writer::new(Vec::new());
        w.row(&cells).unwrap();
        let bytes = w.finish().unwrap();
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
        let rec = rdr.records().next().unwrap().unwrap();
        let back: Vec<&str> = rec.iter().collect();
        prop_assert_eq!(back.len(), cells.len());
        for (b, c) in back.iter().zip(&cells) {
            prop_assert!(!b.starts_with(['=', '+', '-', '@', '\t', '\r']));
            prop_assert_eq!(csvsafe::restore(b), c.as_str());
        }
    }
}

/// A folder with both forms (a JSON export and a later CSV export beside it) is not read
/// silently in one of them: the user names the file, and each form then reads whole.
#[test]
fn a_folder_with_both_forms_is_refused_until_one_is_named() {
    let layer = root().join("tests/fixtures/minimal.json");
    let small = DataSource::only(vec![layer]).load().unwrap();
    let pkg = export::build(&small);
    let dir = tempfile::tempdir().unwrap();
    export::write_json(&pkg, dir.path()).unwrap();
    export::write_csv(&pkg, dir.path()).unwrap();
    let opts = HsdsOptions {
        default_area: None,
        date: "2025-01-01".into(),
    };
    let err = read::import(dir.path(), &opts, &small)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("services.json と services.csv の両方があります"),
        "{err}"
    );
    for file in ["services.json", "services.csv"] {
        let imp = read::import(&dir.path().join(file), &opts, &small).unwrap();
        assert_eq!(imp.records.len(), small.len(), "{file}");
        assert_eq!(
            imp.documents.len(),
            small.dir.source_documents.len(),
            "{file}"
        );
    }
}
