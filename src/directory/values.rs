//! The rules for stored values that `validate`, the loader and every importer share, so that
//! what one accepts the others accept: dates not after today, a phone that holds a number,
//! coordinates inside Japan (the importers' [`crate::import::wamnet::fields::coordinates`]
//! uses [`JAPAN_LAT`] and [`JAPAN_LNG`]), a URL that is `http(s)://` and a host. The importers'
//! cell rules are stricter (a phone cell is only the number); every importer's output passes
//! these before it is written.
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

/// Latitudes inside Japan (with its remote islands), degrees north.
pub const JAPAN_LAT: std::ops::RangeInclusive<f64> = 20.0..=46.0;
/// Longitudes inside Japan, degrees east.
pub const JAPAN_LNG: std::ops::RangeInclusive<f64> = 122.0..=154.0;

/// Why a stored phone or fax value is not one: it must hold a number of 10 or more digits
/// starting with 0 or `+` (digits ASCII or 全角, hyphens, brackets and spaces between them;
/// text around it, 「代表」「（平日）」「内線12」, is allowed). `"abc"` would be shown and read
/// out as a phone.
pub fn phone_problem(value: &str) -> Option<String> {
    let mut best = (0usize, false);
    let (mut digits, mut first) = (0usize, None::<char>);
    for c in value.chars().chain(std::iter::once('\n')) {
        let d = c
            .to_digit(10)
            .or_else(|| ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32));
        if let Some(d) = d {
            if first.is_none() {
                first = Some(char::from_digit(d, 10).unwrap_or('?'));
            }
            digits += 1;
        } else if c == '+' && digits == 0 {
            first = Some('+');
        } else if !(c == ' '
            || c == '\u{3000}'
            || matches!(
                c,
                '(' | ')' | '（' | '）' | '-' | 'ー' | '－' | '‐'..='―' | '−'
            ))
        {
            if digits > best.0 {
                best = (digits, matches!(first, Some('0' | '+')));
            }
            (digits, first) = (0, None);
        }
    }
    match best {
        (10.., true) => None,
        (10.., false) => Some(format!(
            "電話番号「{value}」が 0 で始まっていません（市外局番から書いてください）"
        )),
        _ => Some(format!(
            "電話番号「{value}」に番号がありません（03-1234-5678 のように市外局番から10桁以上で書いてください）"
        )),
    }
}

/// Why a point is not inside Japan.
pub fn point_problem(lat: f64, lng: f64) -> Option<String> {
    (!(JAPAN_LAT.contains(&lat) && JAPAN_LNG.contains(&lng))).then(|| {
        format!(
            "緯度・経度 {lat}, {lng} が日本の外です（緯度 20〜46、経度 122〜154 の十進の度で書いてください）"
        )
    })
}

/// Why a stored URL is not one: `http://` or `https://`, then a host with a dot, no spaces.
pub fn url_problem(value: &str) -> Option<String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    // A fully qualified host may end with its root dot (`https://x.com./`), as DNS allows.
    let host = host.map(|h| h.strip_suffix('.').unwrap_or(h));
    let ok = host.is_some_and(|h| h.contains('.') && !h.starts_with('.') && !h.ends_with('.'))
        && !value.chars().any(char::is_whitespace);
    (!ok).then(|| {
        format!("URL「{value}」が読めません（https://www.example.jp/ のように書いてください）")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values() {
        for ok in [
            "03-1234-5678",
            "０３－１２３４－５６７８",
            "代表 0728115519（平日）",
            "(072)811-5519 内線12",
            "+81 72 811 5519",
            "090-1234-5678",
        ] {
            assert_eq!(phone_problem(ok), None, "{ok}");
        }
        for bad in ["abc", "834-2006", "内線 12345", "728115519 0"] {
            assert!(phone_problem(bad).is_some(), "{bad}");
        }
        assert!(point_problem(35.6, 139.7).is_none());
        assert!(point_problem(999.0, 139.7).is_some());
        assert!(point_problem(35.6, -139.7).is_some());
        assert!(url_problem("https://www.city.shinagawa.tokyo.jp/").is_none());
        assert!(url_problem("https://genkinomori.com./").is_none());
        for bad in [
            "www.x.jp",
            "http://basara",
            "https://a.jp/ b",
            "javascript:alert(1)",
        ] {
            assert!(url_problem(bad).is_some(), "{bad}");
        }
    }

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
