//! サービス種別 → kind and needs: the one table every WAM NET row goes through.
//!
//! The table is the reference; this comment only explains it. Each of the 29 service types of
//! the 障害福祉サービス等情報公表システム (codes 11–70, one download file `csvdownload0NN.csv` per
//! code) maps to a [`ResourceKind`] and to need ids of `taxonomy.needs` in
//! `data/vocabulary.json`:
//!
//! | code | サービス種別 | kind | needs | why |
//! |---|---|---|---|---|
//! | 11 | 居宅介護 | facility | — | home help; no need in the taxonomy asks for it |
//! | 12 | 重度訪問介護 | facility | — | long home help for adults; none |
//! | 13 | 行動援護 | facility | mobility | support when going out |
//! | 14 | 重度障害者等包括支援 | facility | — | adult package; none |
//! | 15 | 同行援護 | facility | mobility | escort when going out |
//! | 21 | 療養介護 | facility | adult-day | medical day care for adults (with 入所) |
//! | 22 | 生活介護 | facility | adult-day | 成人の通所 |
//! | 24 | 短期入所 | facility | short-stay | ショートステイ |
//! | 32 | 施設入所支援 | facility | residential | 入所（夜間の施設入所） |
//! | 33 | 共同生活援助 | facility | — | group home |
//! | 34 | 宿泊型自立訓練 | facility | — | |
//! | 41 | 自立訓練（機能訓練） | facility | — | |
//! | 42 | 自立訓練（生活訓練） | facility | — | |
//! | 45 | 就労継続支援Ａ型 | facility | — | |
//! | 46 | 就労継続支援Ｂ型 | facility | — | |
//! | 52 | 計画相談支援 | consultation | consultation | サービス等利用計画 |
//! | 53 | 地域相談支援（地域移行支援） | consultation | consultation | |
//! | 54 | 地域相談支援（地域定着支援） | consultation | consultation | |
//! | 60 | 就労移行支援 | facility | — | |
//! | 61 | 自立生活援助 | facility | — | |
//! | 62 | 就労定着支援 | facility | — | |
//! | 63 | 児童発達支援 | facility | child-development | 児発 |
//! | 64 | 医療型児童発達支援 | facility | child-development | |
//! | 65 | 放課後等デイサービス | facility | after-school-day | 放デイ |
//! | 66 | 居宅訪問型児童発達支援 | facility | child-development | visits the child at home |
//! | 67 | 保育所等訪問支援 | facility | child-development, childcare | visits the nursery/school |
//! | 68 | 福祉型障害児入所施設 | facility | residential | 障害児の入所 |
//! | 69 | 医療型障害児入所施設 | facility | residential | 障害児の入所（医療）; formerly 重症心身障害児施設 |
//! | 70 | 障害児相談支援 | consultation | consultation | 障害児支援利用計画 |
//!
//! "—" means deliberately no need: the taxonomy has none that a caller would use to find it.
//! The residential types (32, 68, 69) are the need `residential` (入所施設（長期入所）); 短期入所
//! (24) is the separate need `short-stay`.
//!
//! **Matching a cell**: the cell is compared after NFKC and with all whitespace removed, so
//! `就労継続支援A型` and `就労継続支援Ａ型`, `（` and `(` meet. If nothing matches, a trailing
//! parenthesised qualifier is dropped and the match tried again (`共同生活援助（介護サービス包括型）`
//! → 共同生活援助), which covers sub-kinds without listing them. Anything else is unknown: the
//! caller reports it and imports the row as a `facility` with no needs.
//!
//! **An office with several types** is `consultation` only when every known type is a
//! consultation type; otherwise it is a `facility` (a 児童発達支援センター that also does 障害児相談支援
//! is found as a facility, and its needs still include `consultation`).

use unicode_normalization::UnicodeNormalization;

use crate::directory::model::ResourceKind;

/// One row of the mapping table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceType {
    /// The code in the download file's name (`csvdownload0NN.csv`).
    pub code: u8,
    /// The サービス種別 as the system writes it.
    pub label: &'static str,
    /// What kind of record an office of only this type is.
    pub kind: ResourceKind,
    /// Need ids (`taxonomy.needs`); empty means deliberately none.
    pub needs: &'static [&'static str],
    /// The office goes to the child (home, nursery, school) rather than the child to it.
    pub visits: bool,
}

const fn facility(code: u8, label: &'static str, needs: &'static [&'static str]) -> ServiceType {
    ServiceType {
        code,
        label,
        kind: ResourceKind::Facility,
        needs,
        visits: false,
    }
}

const fn consultation(code: u8, label: &'static str) -> ServiceType {
    ServiceType {
        code,
        label,
        kind: ResourceKind::Consultation,
        needs: &["consultation"],
        visits: false,
    }
}

const fn visiting(code: u8, label: &'static str, needs: &'static [&'static str]) -> ServiceType {
    ServiceType {
        code,
        label,
        kind: ResourceKind::Facility,
        needs,
        visits: true,
    }
}

/// The 29 service types (see the module documentation for the table and its reasons).
pub static SERVICE_TYPES: [ServiceType; 29] = [
    facility(11, "居宅介護", &[]),
    facility(12, "重度訪問介護", &[]),
    facility(13, "行動援護", &["mobility"]),
    facility(14, "重度障害者等包括支援", &[]),
    facility(15, "同行援護", &["mobility"]),
    facility(21, "療養介護", &["adult-day"]),
    facility(22, "生活介護", &["adult-day"]),
    facility(24, "短期入所", &["short-stay"]),
    facility(32, "施設入所支援", &["residential"]),
    facility(33, "共同生活援助", &[]),
    facility(34, "宿泊型自立訓練", &[]),
    facility(41, "自立訓練（機能訓練）", &[]),
    facility(42, "自立訓練（生活訓練）", &[]),
    facility(45, "就労継続支援Ａ型", &[]),
    facility(46, "就労継続支援Ｂ型", &[]),
    consultation(52, "計画相談支援"),
    consultation(53, "地域相談支援（地域移行支援）"),
    consultation(54, "地域相談支援（地域定着支援）"),
    facility(60, "就労移行支援", &[]),
    facility(61, "自立生活援助", &[]),
    facility(62, "就労定着支援", &[]),
    facility(63, "児童発達支援", &["child-development"]),
    facility(64, "医療型児童発達支援", &["child-development"]),
    facility(65, "放課後等デイサービス", &["after-school-day"]),
    visiting(66, "居宅訪問型児童発達支援", &["child-development"]),
    visiting(67, "保育所等訪問支援", &["child-development", "childcare"]),
    facility(68, "福祉型障害児入所施設", &["residential"]),
    facility(69, "医療型障害児入所施設", &["residential"]),
    consultation(70, "障害児相談支援"),
];

/// The comparison key of a サービス種別: NFKC, whitespace removed.
fn key(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Finds the service type of a サービス種別 cell (see "Matching a cell" above).
pub fn lookup(cell: &str) -> Option<&'static ServiceType> {
    let k = key(cell);
    if k.is_empty() {
        return None;
    }
    let exact = |k: &str| SERVICE_TYPES.iter().find(|t| key(t.label) == k);
    exact(&k).or_else(|| {
        let open = k.rfind('(')?;
        (k.ends_with(')') && open > 0)
            .then(|| exact(&k[..open]))
            .flatten()
    })
}

/// The kind of an office offering all of `types` (see the module documentation).
pub fn kind_of(types: &[&ServiceType]) -> ResourceKind {
    if !types.is_empty() && types.iter().all(|t| t.kind == ResourceKind::Consultation) {
        ResourceKind::Consultation
    } else {
        ResourceKind::Facility
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_once_and_29_of_them() {
        let mut codes: Vec<u8> = SERVICE_TYPES.iter().map(|t| t.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 29);
        assert_eq!((codes[0], codes[28]), (11, 70));
    }

    #[test]
    fn needs_exist_in_the_bundled_taxonomy() {
        let dir: serde_json::Value =
            serde_json::from_str(include_str!("../../../data/vocabulary.json")).expect("bundled");
        let known: Vec<&str> = dir["taxonomy"]["needs"]
            .as_array()
            .expect("needs")
            .iter()
            .filter_map(|n| n["id"].as_str())
            .collect();
        for t in &SERVICE_TYPES {
            for n in t.needs {
                assert!(known.contains(n), "{} → unknown need {n}", t.label);
            }
        }
    }

    #[test]
    fn lookup_table() {
        let cases: &[(&str, Option<u8>)] = &[
            ("療養介護", Some(21)),
            (" 療養介護　", Some(21)),
            ("就労継続支援A型", Some(45)),
            ("就労継続支援Ｂ型", Some(46)),
            ("自立訓練(機能訓練)", Some(41)),
            ("地域相談支援（地域定着支援）", Some(54)),
            ("共同生活援助（介護サービス包括型）", Some(33)),
            ("児童発達支援", Some(63)),
            ("医療型児童発達支援", Some(64)),
            ("訪問看護", None),
            ("", None),
            ("（肢体）", None),
        ];
        for (cell, code) in cases {
            assert_eq!(lookup(cell).map(|t| t.code), *code, "{cell}");
        }
    }

    #[test]
    fn kind_of_mixed_offices() {
        let c = lookup("障害児相談支援").expect("70");
        let f = lookup("児童発達支援").expect("63");
        assert_eq!(kind_of(&[c]), ResourceKind::Consultation);
        assert_eq!(kind_of(&[c, f]), ResourceKind::Facility);
        assert_eq!(kind_of(&[]), ResourceKind::Facility);
    }
}
