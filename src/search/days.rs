//! Days of the week asked (土曜もやっている放デイ, 日曜 ショートステイ, 土日祝): which ones a
//! query names, and which records are open on them by their hours per day (the open data's
//! 利用可能な時間帯（土曜・日曜・祝日）). A record open on every day asked ranks before the
//! others; one whose hours do not say so is not dropped — its 定休日 or notes may still allow it,
//! and the clerk reads its hours on the card.

use crate::directory::Resource;

/// 土曜.
pub const SATURDAY: u64 = 1;
/// 日曜.
pub const SUNDAY: u64 = 1 << 1;
/// 祝日.
pub const HOLIDAY: u64 = 1 << 2;

/// Words naming days, normalized, longest first (土日祝 before 土日), with the days they name.
const WORDS: &[(&str, u64)] = &[
    ("土日祝", SATURDAY | SUNDAY | HOLIDAY),
    ("土曜", SATURDAY),
    ("日曜", SUNDAY),
    ("祝日", HOLIDAY),
    ("祝祭日", HOLIDAY),
    ("土日", SATURDAY | SUNDAY),
    ("週末", SATURDAY | SUNDAY),
];

/// The days named in normalized `text` (土曜日もやっている → [`SATURDAY`]), as a mask; 0 for
/// none.
pub fn asked(text: &str) -> u64 {
    let mut rest = text.to_string();
    let mut mask = 0;
    for (word, days) in WORDS {
        if rest.contains(word) {
            mask |= days;
            rest = rest.replace(word, " ");
        }
    }
    mask
}

/// Whether normalized `word` names days and nothing else (土曜, 土曜日, 土日祝日): beside
/// other words it only ranks — the days are asked of the hours instead.
pub fn only_days(word: &str) -> bool {
    let mut rest = word;
    while !rest.is_empty() {
        let Some((w, _)) = WORDS.iter().find(|(w, _)| rest.starts_with(w)) else {
            return false;
        };
        rest = &rest[w.len()..];
        // 土曜日, 祝日 as 祝祭日's 日: the day's own suffix.
        rest = rest.strip_prefix('日').unwrap_or(rest);
    }
    !word.is_empty()
}

/// The days a record has hours for, as a mask (an index fast field).
pub fn open_on(r: &Resource) -> u64 {
    let Some(h) = &r.hours_by_day else {
        return 0;
    };
    let given = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    [
        (&h.saturday, SATURDAY),
        (&h.sunday, SUNDAY),
        (&h.holiday, HOLIDAY),
    ]
    .into_iter()
    .filter(|(hours, _)| given(hours))
    .fold(0, |mask, (_, day)| mask | day)
}

/// The days of `mask` in words: 土曜・日曜.
pub fn names(mask: u64) -> String {
    [(SATURDAY, "土曜"), (SUNDAY, "日曜"), (HOLIDAY, "祝日")]
        .iter()
        .filter(|(d, _)| mask & d != 0)
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join("・")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::normalize;

    #[test]
    fn days_named_table() {
        let cases: &[(&str, u64)] = &[
            ("枚方市 放デイ 土曜", SATURDAY),
            ("土曜日もやっている放デイ", SATURDAY),
            ("日曜 ショートステイ", SUNDAY),
            ("土日祝も開いている", SATURDAY | SUNDAY | HOLIDAY),
            ("週末", SATURDAY | SUNDAY),
            ("祝日", HOLIDAY),
            ("放デイ", 0),
            ("日曜日", SUNDAY),
        ];
        for (q, want) in cases {
            assert_eq!(asked(&normalize(q)), *want, "{q}");
        }
    }

    #[test]
    fn only_days_table() {
        for (w, want) in [
            ("土曜", true),
            ("土曜日", true),
            ("土日祝日", true),
            ("日曜日", true),
            ("土曜日もやっている", false),
            ("放デイ", false),
            ("", false),
        ] {
            assert_eq!(only_days(&normalize(w)), want, "{w}");
        }
    }

    #[test]
    fn a_record_is_open_on_the_days_it_has_hours_for() {
        let mut r: Resource = serde_json::from_value(serde_json::json!({
            "id": "x", "name": "x", "kind": "facility", "summary": "x", "service_areas": [], "status": "active", "sources": [],
            "hours_by_day": {"weekday": "09:00-17:00", "saturday": "09:00-12:00"}
        }))
        .expect("record");
        assert_eq!(open_on(&r), SATURDAY);
        r.hours_by_day = None;
        assert_eq!(open_on(&r), 0);
        assert_eq!(names(SATURDAY | HOLIDAY), "土曜・祝日");
    }
}
