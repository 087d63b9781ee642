//! Exchange with Open Referral HSDS 3.0 (Human Services Data Specification): the directory
//! written as HSDS ([`export`]: `ikenavi export hsds DIR`) and HSDS read back into a layer
//! ([`read`]: `ikenavi import hsds DIR`).
//!
//! HSDS is what resource directories (211 services and others) hand each other. Its ids are
//! UUIDs; ours are slugs. A record becomes one HSDS `service`, and what HSDS has no field for
//! travels as **attributes** (HSDS's own extension: a taxonomy term linked to an entity, with
//! an optional value), from taxonomies of our own:
//!
//! | ours | HSDS |
//! |---|---|
//! | `id` | service `id` = a UUID made from it ([`uuid_of`]; the same id gives the same UUID), and an attribute `ikenavi-fields/record-id` with the id as value |
//! | `name`, `aliases` | `name`, `alternate_name` (aliases joined with 「、」 for people), and one attribute `alias` per alias |
//! | `summary`, `description` | `description` (the description, else the summary); the summary also as attribute `summary` |
//! | `kana`, `kind`, `capacity`, `located_in`, `hours`, `administered_by` | attributes `kana`, `kind`, `capacity`, `located-in`, `hours`, `administered-by` |
//! | `status` | `status`: active/trial → `active`, planned → `inactive`, paused → `temporarily closed`, ended → `defunct` |
//! | `kind` `organization` (運営法人) | still one HSDS `service` with the attribute `kind` `organization` (so it comes back as it was); when its `provider` is itself (as in the bundled data), its `organization` is the very entry of the facilities it runs |
//! | `provider`, `administered_by` | `organization`: the provider (description 「運営法人」), else the responsible office (「所管」), else the record itself (「運営者の記載なし（記録そのもの）」: the tabular package requires every service to name one) |
//! | `contact.phone`, `contact.fax` | `phones` of type `voice` and `fax` |
//! | `contact.url`, `contact.department` | `url` (as a URI: non-ASCII characters and a `%` that starts no escape percent-encoded; when that changed it, the URL as written also as attribute `url`); a `contacts` entry with the department |
//! | `contact.address`, `location` | one `service_at_locations` entry whose `location` (physical) has the coordinates and an `addresses` entry (`address_1` as written, `city` and `state_province` from `located_in` — `city` is the finest area known, the prefecture when the municipality is not in the gazetteer — `country` `JP`; `postal_code` is required: the 〒 code when the address starts with one, else empty — we do not invent it) |
//! | `service_areas` | `service_areas` (name = 東京都品川区), each with an attribute `area` holding our area id |
//! | `hours` | a `schedules` entry whose `description` is the hours as written |
//! | `hours_by_day` | one `schedules` entry per day type (平日 `MO,TU,WE,TH,FR`, 土 `SA`, 日 `SU` weekly; 祝日 without a rule), `opens_at`/`closes_at` with `+09:00` when written `HH:MM-HH:MM`, the text as written in `description`, and an attribute `hours-day` naming the day type |
//! | `closed_days`, `hours_note`, `office_numbers` | attributes `closed-days`, `hours-note`, one `office-number` per number |
//! | `eligibility`, `fees`, `how_to_apply` | `eligibility_description`, `fees_description`, `application_process` |
//! | `care_types`, `needs`, `life_stages`, `audiences` | attributes with terms of the taxonomies `ikenavi-care-types`, `ikenavi-needs`, `ikenavi-life-stages`, `ikenavi-audiences` (term `code` = our id, `name` = the label) |
//! | `sources` | service `metadata` entries: `last_action_type` `source`, `field_name` `sources`, `previous_value` and `updated_by` = the file, `replacement_value` = the section (「（箇所の記載なし）」 when empty), `last_action_date` = the date |
//! | `source_documents` | top-level `metadata`: `resource_type` `source_document`, `previous_value` = the file, `replacement_value` = the title, `updated_by` = the issuer, `last_action_date` = the date |
//! | `status` (trial included), `provider_kana`, `since`, `contact.note`, `related`, `figures`, `designations`, `verified_as_of`, an absent `description` | attributes `status`, `verified-as-of`, `provider-kana`, `since`, `contact-note`, one `related` per id, one `figure`/`designation` per entry (compact JSON of our own object as value), `no-description` |
//!
//! So every field of a record comes back from either form (the round-trip test compares whole
//! records); another publisher's HSDS gives what its fields hold.

pub mod export;
pub mod read;

use xxhash_rust::xxh3::xxh3_128;

/// The taxonomy of our own fields.
pub const FIELDS_TAXONOMY: &str = "ikenavi-fields";

/// Our taxonomies of terms, in the order of [`crate::directory::model::Taxonomy::lists`].
pub const TERM_TAXONOMIES: [(&str, &str); 4] = [
    (
        "ikenavi-care-types",
        "医療的ケアの種類（医療的ケア判定スコアの14項目）",
    ),
    ("ikenavi-needs", "ニーズ（医ケアナビ）"),
    ("ikenavi-life-stages", "ライフステージ（医ケアナビ）"),
    ("ikenavi-audiences", "利用者（医ケアナビ）"),
];

/// Our fields carried as attributes: code and description.
pub const FIELD_TERMS: &[(&str, &str)] = &[
    ("record-id", "医ケアナビの記録 id"),
    ("alias", "別名（一つずつ）"),
    (
        "url",
        "URL（書かれたとおり。service の url は URI の形に直したもの）",
    ),
    ("summary", "一行の説明"),
    ("kana", "名称のよみ"),
    (
        "kind",
        "種類（service, facility, consultation, council, subsidy, information, organization）",
    ),
    ("capacity", "定員"),
    ("located-in", "所在地の地域 id"),
    ("hours", "開所時間（書かれたとおり）"),
    (
        "area",
        "対象地域の地域 id（全国地方公共団体コードの先頭5桁など）",
    ),
    ("administered-by", "所管の課"),
    (
        "hours-day",
        "曜日の区分（weekday, saturday, sunday, holiday）",
    ),
    ("closed-days", "定休日（書かれたとおり）"),
    ("hours-note", "曜日・時間の特記事項"),
    ("office-number", "事業所番号（一つずつ）"),
    (
        "status",
        "状態（active, planned, trial, paused, ended, closed）",
    ),
    (
        "no-description",
        "説明がない（service の description は一行の説明）",
    ),
    ("provider-kana", "運営法人のよみ"),
    ("since", "開始・開設（書かれたとおり）"),
    ("contact-note", "連絡についての注記"),
    ("related", "関連する記録の id（一つずつ）"),
    ("figure", "数値と日付（JSON: label, value, as_of）"),
    (
        "designation",
        "指定（JSON: service_type, code, office_number, capacity, as_of, first_seen）",
    ),
    (
        "former-designation",
        "公開データから消えた指定（JSON: 指定と closed_in, successor）",
    ),
    ("former-id", "以前の公開時点でのこの事業所の id（一つずつ）"),
    ("verified-as-of", "確かめた日付"),
];

/// A UUID made from a name (the 128-bit xxh3 of `kind:name`, marked as an RFC 9562 version 8
/// UUID): stable across exports, so a receiver can match updates.
pub fn uuid_of(kind: &str, name: &str) -> String {
    let mut b = xxh3_128(format!("ikenavi:{kind}:{name}").as_bytes()).to_be_bytes();
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_stable_and_well_formed() {
        let u = uuid_of("service", "wam-1310900001");
        assert_eq!(u, uuid_of("service", "wam-1310900001"));
        assert_ne!(u, uuid_of("location", "wam-1310900001"));
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "8");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
    }
}
