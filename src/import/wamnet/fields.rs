//! One cell → one typed value, or a reason why the cell is dropped.
//!
//! Every function here takes a raw cell and either returns the value the record keeps or an
//! error message that the report shows beside the file and line. Nothing is invented: a value
//! is the cell's own text, at most NFKC-normalized (全角 digits and letters → ASCII, the way a
//! browser or a phone reads them), trimmed, and freed of Excel's `="…"` wrapper.
//!
//! | field | kept when | normalized written form |
//! |---|---|---|
//! | 事業所番号 | 10 ASCII digits after NFKC; 1–9 digits are left-padded with `0` (Excel drops leading zeros) | the 10 digits |
//! | phone, fax | only digits, `-` (any dash), `(`, `)`; starts with 0; 10 digits, or 11 for 020/050/070/080/090/0800 | as written (hyphens kept, `--` → `-`) |
//! | URL | one `http(s)://` URL with a public host name (see [`url`]) | as written, NFKC |
//! | latitude/longitude | both numbers, inside Japan (20–46 °N, 122–154 °E) | `f64` |
//! | 定員 | a whole number, optionally followed by 名 or 人 | `u32` |

pub mod url;

use unicode_normalization::UnicodeNormalization;

/// Dashes that mean `-` in numbers, addresses and hours (ー is not one: it is part of words).
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FF0D}' | '\u{FE63}'
    )
}

/// Line breaks and tabs as one space ([`crate::import::cell::one_line`]), NFKC, dashes (‐ ‑ ‒ – — ― − －) as `-`, Excel's `="…"` unwrapped, surrounding whitespace
/// (also U+3000 and tabs) trimmed.
pub fn clean(cell: &str) -> String {
    let n: String = crate::import::cell::one_line(cell)
        .nfkc()
        .map(|c| if is_dash(c) { '-' } else { c })
        .collect();
    let t = n.trim();
    let t = t
        .strip_prefix("=\"")
        .and_then(|s| s.strip_suffix('"'))
        .map_or(t, str::trim);
    t.to_string()
}

/// A cell kept as the source writes it (names, readings, free text): on one line
/// ([`crate::import::cell::one_line`]), trimmed, Excel's `="…"`
/// unwrapped, and U+2212 MINUS SIGN written as U+FF0D FULLWIDTH HYPHEN-MINUS — the two look
/// alike and a Shift_JIS file cannot tell them apart (0x817C), so this keeps a UTF-8 download
/// and its Shift_JIS copy identical.
pub fn text(cell: &str) -> Option<String> {
    let cell = crate::import::cell::one_line(cell);
    let t = cell.trim();
    let t = t
        .strip_prefix("=\"")
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(t)
        .trim();
    (!t.is_empty()).then(|| t.replace('\u{2212}', "\u{FF0D}"))
}

/// Normalized 事業所番号, and whether leading zeros were restored.
pub fn office_number(cell: &str) -> Result<(String, bool), String> {
    let c = clean(cell);
    if c.is_empty() {
        return Err("事業所番号が空です".into());
    }
    if !c.bytes().all(|b| b.is_ascii_digit()) || c.len() > 10 {
        return Err(format!("事業所番号が10桁の数字ではありません: 「{c}」"));
    }
    let padded = c.len() < 10;
    Ok((format!("{c:0>10}"), padded))
}

/// A phone or fax number in one written form (see the table in the module documentation).
pub fn phone(cell: &str) -> Result<Option<String>, String> {
    let c = clean(cell);
    if c.is_empty() {
        return Ok(None);
    }
    if let Some(bad) = c
        .chars()
        .find(|&ch| !(ch.is_ascii_digit() || matches!(ch, '-' | '(' | ')')))
    {
        return Err(format!(
            "電話番号ではありません（「{bad}」を含む）: 「{c}」"
        ));
    }
    let digits = digits_of(&c);
    if !digits.starts_with('0') {
        return Err(format!(
            "市外局番がありません（0 で始まっていません）: 「{c}」"
        ));
    }
    let long = ["020", "050", "070", "080", "090", "0800"]
        .iter()
        .any(|p| digits.starts_with(p));
    let want = if long { 11 } else { 10 };
    if digits.len() != want {
        return Err(format!(
            "数字が {}桁です（{want}桁のはずです）: 「{c}」",
            digits.len()
        ));
    }
    let mut written = c;
    while written.contains("--") {
        written = written.replace("--", "-");
    }
    Ok(Some(written))
}

/// The digits of a phone number, for comparing written forms.
pub fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Latitude and longitude, both present and inside Japan.
pub fn coordinates(lat: &str, lng: &str) -> Result<Option<(f64, f64)>, String> {
    let (lat, lng) = (clean(lat), clean(lng));
    if lat.is_empty() && lng.is_empty() {
        return Ok(None);
    }
    let (Ok(la), Ok(lo)) = (lat.parse::<f64>(), lng.parse::<f64>()) else {
        return Err(format!(
            "緯度・経度が二つの数値になっていません: 「{lat}」「{lng}」"
        ));
    };
    use crate::directory::values::{JAPAN_LAT, JAPAN_LNG};
    if !JAPAN_LAT.contains(&la) || !JAPAN_LNG.contains(&lo) {
        return Err(format!("緯度・経度が日本の外です: {lat}, {lng}"));
    }
    Ok(Some((la, lo)))
}

/// 定員 as a number.
pub fn capacity(cell: &str) -> Result<Option<u32>, String> {
    let c = clean(cell);
    if c.is_empty() {
        return Ok(None);
    }
    let n = c
        .strip_suffix('名')
        .or_else(|| c.strip_suffix('人'))
        .unwrap_or(&c);
    n.parse::<u32>()
        .map(Some)
        .map_err(|_| format!("定員が数値ではありません: 「{c}」"))
}

/// An hours cell (利用可能な時間帯): as written, or nothing. `00:00-00:00` is dropped: it
/// gives no time (the files write it for days the office is closed, which 定休日 says), and
/// shown as it stands it would read as a time or as round the clock.
pub fn hours(cell: &str) -> Result<Option<String>, String> {
    let c = clean(cell);
    match c.as_str() {
        "" => Ok(None),
        "00:00-00:00" => Err(
            "「00:00-00:00」は時間帯を示していません（記載なしとして扱います。休みの曜日は定休日の列にあります）"
                .into(),
        ),
        _ => Ok(Some(c)),
    }
}

/// Comparison key of an office name: NFKC, whitespace and ・ removed, Latin letters in lower
/// case (「COMPASS大村Link」 is 「compass大村Link」), 障がい/障碍 → 障害, and the 「（肢体）」「（重心）」
/// suffixes that split one facility into two rows removed.
pub fn name_key(name: &str) -> String {
    let mut k: String = name
        .nfkc()
        .filter(|&c| !c.is_whitespace() && !matches!(c, '・' | '･'))
        .flat_map(char::to_lowercase)
        .collect();
    k = k.replace("障がい", "障害").replace("障碍", "障害");
    for suffix in ["(肢体)", "(重心)", "(肢体不自由)", "(重症心身障害)"] {
        if let Some(s) = k.strip_suffix(suffix) {
            k = s.to_string();
        }
    }
    k
}

/// Comparison key of an address: NFKC, whitespace removed, dashes unified, ヶ as ケ, 大字 and a
/// 字 after the municipality left out, kanji numerals before 丁目/条/番/号/地割 turned into
/// digits, 「N番地M号」, 「N番M号」 and 「NのM」 written as `N-M`, a trailing 番地/番/号/丁目 dropped.
pub fn address_key(addr: &str) -> String {
    let s: String = clean(addr)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == 'ヶ' { 'ケ' } else { c })
        .collect();
    let s = s.replace("大字", "");
    let s = ["市字", "町字", "村字", "区字", "郡字"]
        .iter()
        .fold(s, |s, p| s.replace(p, &p[..p.len() - '字'.len_utf8()]));
    let s = kanji_numerals(&s);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if !c.is_ascii_digit() {
            continue;
        }
        // A digit followed by 番地/番/号/丁目 and then a digit: the marker is a separator.
        let rest: String = chars.clone().take(3).collect();
        for marker in ["丁目", "番地", "番", "号", "の"] {
            let after = rest.strip_prefix(marker).and_then(|r| r.chars().next());
            if after.is_some_and(|d| d.is_ascii_digit()) {
                out.push('-');
                for _ in 0..marker.chars().count() {
                    chars.next();
                }
                break;
            }
        }
    }
    let out = out.strip_suffix("丁目").unwrap_or(&out);
    out.trim_end_matches(['号', '番', '地']).to_string()
}

/// Kanji numerals (一…十, up to 99) directly before 丁目/条/番/号/地割 → ASCII digits.
fn kanji_numerals(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| kanji_digit(**c).is_some())
            .count();
        let next = chars.get(i + run).copied();
        if run > 0
            && matches!(next, Some('丁' | '条' | '番' | '号' | '地'))
            && let Some(v) = kanji_value(&chars[i..i + run])
        {
            out.push_str(&v.to_string());
            i += run;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn kanji_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九十"
        .chars()
        .position(|k| k == c)
        .map(|p| p as u32)
}

/// 十 = 10, 二十三 = 23, 十五 = 15, 三 = 3; anything else (百…) is left alone.
fn kanji_value(run: &[char]) -> Option<u32> {
    let digits: Vec<u32> = run.iter().filter_map(|c| kanji_digit(*c)).collect();
    match digits.as_slice() {
        [d] if *d < 10 => Some(*d),
        [10] => Some(10),
        [10, u] if *u < 10 => Some(10 + u),
        [t, 10] if *t < 10 => Some(t * 10),
        [t, 10, u] if *t < 10 && *u < 10 => Some(t * 10 + u),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_table() {
        let ok: &[(&str, &str)] = &[
            ("0827-57-7151", "0827-57-7151"),
            ("0827577151", "0827577151"),
            ("=\"0827-57-7151\"", "0827-57-7151"),
            ("０８２７－５７－７１５１", "0827-57-7151"),
            ("090-6026-8538", "090-6026-8538"),
            ("0269--38-1788", "0269-38-1788"),
            ("(089)909-5034", "(089)909-5034"),
            ("0120-123-456", "0120-123-456"),
        ];
        for (cell, want) in ok {
            assert_eq!(phone(cell), Ok(Some((*want).to_string())), "{cell}");
        }
        for bad in [
            "834-2006",
            "475-475-0001",
            "072-452-22141",
            "090275212129",
            "03-1234-5678 内線2",
            "TEL03",
        ] {
            assert!(phone(bad).is_err(), "{bad}");
        }
        assert_eq!(phone("  "), Ok(None));
    }

    #[test]
    fn office_numbers_restore_zeros() {
        assert_eq!(
            office_number("0110504800"),
            Ok(("0110504800".into(), false))
        );
        assert_eq!(office_number("110504800"), Ok(("0110504800".into(), true)));
        assert_eq!(
            office_number("＝\"０１１０５０４８００\""),
            Ok(("0110504800".into(), false))
        );
        assert!(office_number("1.10505E+09").is_err());
        assert!(office_number("").is_err());
        assert!(office_number("01105048001").is_err());
    }

    #[test]
    fn coordinates_and_capacity() {
        assert_eq!(coordinates("43.07", "141.43"), Ok(Some((43.07, 141.43))));
        assert_eq!(coordinates("", ""), Ok(None));
        assert!(coordinates("0", "0").is_err());
        assert!(coordinates("43.07", "").is_err());
        assert!(coordinates("141.43", "43.07").is_err());
        assert_eq!(capacity("184"), Ok(Some(184)));
        assert_eq!(capacity("２０名"), Ok(Some(20)));
        assert_eq!(capacity(""), Ok(None));
        assert!(capacity("若干名").is_err());
    }

    #[test]
    fn hours_cells() {
        assert_eq!(hours("09:00-17:00"), Ok(Some("09:00-17:00".into())));
        assert_eq!(
            hours("０９：００－１７：００"),
            Ok(Some("09:00-17:00".into()))
        );
        assert_eq!(hours("00:00-24:00"), Ok(Some("00:00-24:00".into())));
        assert_eq!(hours(" "), Ok(None));
        // The files write it for closed days: no time, so reported rather than shown.
        assert!(hours("00:00-00:00").unwrap_err().contains("定休日"));
    }

    #[test]
    fn keys_meet_for_the_same_office() {
        let same_names = [
            ("相談室　Ｂｅ　Ｈａｐｐｙ", "相談室ＢｅＨａｐｐｙ"),
            (
                "愛媛県立子ども療育センター（肢体）",
                "愛媛県立子ども療育センター（重心）",
            ),
            (
                "障がい者相談支援センターみどり",
                "障害者相談支援センターみどり",
            ),
            ("相談支援事業所・びりぃぶ", "相談支援事業所びりぃぶ"),
            ("COMPASS大村Link", "compass大村Link"),
            (
                "放課後等デイサービス　ＨＯＯＲＡＹ",
                "放課後等デイサービスHOORAY",
            ),
        ];
        for (a, b) in same_names {
            assert_eq!(name_key(a), name_key(b));
        }
        let same_addresses = [
            ("高島平9−25−12", "高島平９−２５−１２"),
            ("南６条西11丁目1285−１", "南六条西11丁目１２８５−１"),
            ("伏古１０条２丁目１９−１３", "伏古十条２丁目１９番１３号"),
            ("新琴似八条13丁目３番１４号", "新琴似８条１３丁目３番１４号"),
            ("渋川市大塚17の729", "渋川市大字大塚１７－７２９"),
            ("渋川市字中村1番地", "渋川市中村1"),
            ("緑ヶ丘2-3", "緑ケ丘２番３号"),
            ("相生１丁目", "相生1"),
        ];
        for (a, b) in same_addresses {
            assert_eq!(address_key(a), address_key(b), "{a} / {b}");
        }
        assert_ne!(
            address_key("緑ヶ丘２番３号"),
            address_key("崎鍬ケ崎第４地割１番地６")
        );
        assert_ne!(name_key("相談支援事業所　わかたけ"), name_key("きゃんばす"));
    }
}
