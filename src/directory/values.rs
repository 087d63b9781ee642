//! The rules for stored values that `validate`, the loader and every importer share, so that
//! what one accepts the others accept: dates not after today (here), and — through the
//! importers' own cell rules in [`crate::import::wamnet::fields`] — phone numbers, coordinates
//! and URLs.
//!
//! A source date after today is a slip of the hand (`2099-01-01`, `--as-of 9999-12`): shown, it
//! would read 「今月」 and make stale data look fresh. A date is after today when the first day
//! it can mean is: `2026-12` is not after 2026-12-06, `2027` is.

use super::validate::OR_EARLIER;

/// `YYYY-MM-DD` (UTC) of a time (days since 1970 to the civil date, Howard Hinnant's
/// algorithm).
pub fn ymd_of(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let z = i64::try_from(secs / 86_400).unwrap_or(0) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Today (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    ymd_of(std::time::SystemTime::now())
}

/// Whether a date (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`, optionally `…以前`) begins after `today`
/// (`YYYY-MM-DD`).
pub fn is_after(date: &str, today: &str) -> bool {
    let d = date.strip_suffix(OR_EARLIER).unwrap_or(date);
    today.get(..d.len()).is_some_and(|t| d > t)
}

/// The reason given for a date after today.
pub fn future_reason(date: &str, today: &str) -> String {
    format!(
        "日付「{date}」は今日（{today}）より後です。出典の日付は公開・確認した日で、未来の日付は書けません"
    )
}

/// `YYYY-MM` (or `YYYY-MM以前`): the form of a monthly release such as WAM NET's.
pub fn is_month(s: &str) -> bool {
    let d = s.strip_suffix(OR_EARLIER).unwrap_or(s);
    d.len() == 7 && super::validate::is_date(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_after_today() {
        let today = "2026-12-06";
        for after in [
            "2026-12-07",
            "2027",
            "2027-01",
            "9999-12",
            "2099-01-01",
            "2027-01以前",
        ] {
            assert!(is_after(after, today), "{after}");
        }
        for not in ["2026-12-06", "2026-12", "2026", "2025-03-31", "2024-04以前"] {
            assert!(!is_after(not, today), "{not}");
        }
        assert_eq!(ymd_of(std::time::UNIX_EPOCH), "1970-01-01");
    }

    #[test]
    fn months() {
        assert!(is_month("2025-03") && is_month("2024-04以前"));
        assert!(!is_month("2025-03-31") && !is_month("2025") && !is_month("2025-13"));
    }
}
