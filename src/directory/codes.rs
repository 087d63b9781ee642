//! The forms a 全国地方公共団体コード (local government code) is written in, and the area id
//! each one means.
//!
//! An area id is the code's first five digits for a municipality or a 政令市の区 (`13109`
//! 品川区, `27127` 大阪市北区) and the two-digit prefecture number for a prefecture (`13`). Data
//! files and users also write the six-digit form with its check digit (`131091`, `271276`,
//! `130001`) or a prefecture's five-digit form (`13000`); all resolve to the same id.
//!
//! The check digit (総務省「全国地方公共団体コード」) is `(11 - Σ dᵢ·wᵢ mod 11) mod 10` over the
//! first five digits with weights 6, 5, 4, 3, 2. A six-digit string whose check digit is wrong
//! is not a code (a mistyped code is reported, never silently read as another area).

/// The check digit of a five-digit code, if `five` is five ASCII digits.
pub fn check_digit(five: &str) -> Option<u8> {
    if five.len() != 5 || !five.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = five
        .bytes()
        .zip([6u32, 5, 4, 3, 2])
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(((11 - sum % 11) % 10) as u8)
}

/// The area id a code form stands for: `271276` / `27127` → `27127`, `130001` / `13000` →
/// `13`. `None` when `input` is not a well-formed code (wrong length, non-digits, a wrong
/// check digit). Whether such an area exists is the gazetteer's business.
pub fn id_of_code(input: &str) -> Option<String> {
    let s = input.trim();
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let five = match s.len() {
        5 => s,
        6 => {
            let (five, check) = s.split_at(5);
            let digit = check.as_bytes()[0] - b'0';
            (check_digit(five)? == digit).then_some(five)?
        }
        _ => return None,
    };
    Some(match five.strip_suffix("000") {
        Some(pref) => pref.to_string(),
        None => five.to_string(),
    })
}

/// The six-digit form (with check digit) of a municipality, ward or prefecture id.
pub fn six_digit(id: &str) -> Option<String> {
    let five = match id.len() {
        2 => format!("{id}000"),
        5 => id.to_string(),
        _ => return None,
    };
    let digit = check_digit(&five)?;
    Some(format!("{five}{digit}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_is_a_code_or_not_without_panicking(s in "\\PC{0,8}") {
            if let Some(id) = id_of_code(&s) {
                prop_assert!(id.len() == 2 || id.len() == 5);
            }
        }
    }

    #[test]
    fn every_code_form_resolves_to_the_same_id() {
        for (input, id) in [
            ("271276", Some("27127")),
            ("27127", Some("27127")),
            ("131091", Some("13109")),
            ("13109", Some("13109")),
            ("130001", Some("13")),
            ("13000", Some("13")),
            ("010006", Some("01")),
            (" 352012 ", Some("35201")),
            ("271277", None),
            ("2712", None),
            ("27a27", None),
            ("品川区", None),
            ("品川", None),
            ("ｼﾅｶﾞﾜ", None),
            ("", None),
        ] {
            assert_eq!(id_of_code(input).as_deref(), id, "{input:?}");
        }
    }

    #[test]
    fn six_digit_forms_carry_the_official_check_digit() {
        assert_eq!(six_digit("27127").as_deref(), Some("271276"));
        assert_eq!(six_digit("13109").as_deref(), Some("131091"));
        assert_eq!(six_digit("01").as_deref(), Some("010006"));
        assert_eq!(six_digit("13-kubu"), None);
    }
}
