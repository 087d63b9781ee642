//! Finding a record by a number: the caller reads out a phone number
//! from a leaflet, a fax header or a missed call (「076-467-0679 ってどこですか」), or the clerk
//! has an office's 事業所番号 from a form. Typed as written — hyphens, spaces, brackets,
//! full-width digits, `+81`, or without the area code (`467-0679`) — it finds the record whose
//! phone, fax or office number it is, wherever the record is: the number says which place it
//! is, so the area chosen does not hide it.
//!
//! Each record is indexed under the digits of every number of its phone and fax, each also
//! under its last 6, 7 and 8 digits (the number without its area code, whatever the area
//! code's length: 467-0679, 3790-4732), and under its office numbers. Read from the digits as
//! written — the numbering plan is too slow to ask for every record while the index is built
//! (it answers on another thread for display, see `search::cache`). A run of words that are only digits, 6 to 12 of them together, is
//! asked for as a number: a number no record has finds nothing (「090」 is no word to match a
//! text with), and the answer says so.

use tantivy::Term;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;

use super::index::Fields;
use super::query::Understood;
use crate::directory::{AreaIdx, Resource};

/// Fewer digits than this are a count, a year or a postcode part, not a number to look up.
const MIN_DIGITS: usize = 6;
/// More digits than this are no Japanese number (11 for a mobile, 12 with `81`).
const MAX_DIGITS: usize = 12;

/// A number the words ask for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NumberAsk {
    /// Its digits as indexed (`0764670679`; `81…` read as `0…`).
    pub digits: String,
    /// The texts of the clauses that are its parts: not text once the number is taken.
    pub words: Vec<String>,
    /// Whether it is searched as a number ([`take_asked`]).
    pub taken: bool,
}

/// The digits of one number as indexed and asked: `+81 76…` and `81-76…` are `076…`.
fn digits_of(text: &str) -> String {
    let d: String = text.chars().filter(char::is_ascii_digit).collect();
    match d.strip_prefix("81") {
        Some(rest) if d.len() >= 11 && !rest.starts_with('0') => format!("0{rest}"),
        _ => d,
    }
}

/// Lengths of the number without its area code that are looked up by its last digits.
const LOCAL_DIGITS: std::ops::RangeInclusive<usize> = 6..=8;

/// The terms a record is found by: each phone and fax number's digits and its last
/// [`LOCAL_DIGITS`] digits, and its office numbers.
pub fn terms_of(r: &Resource) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for stored in [&r.contact.phone, &r.contact.fax].into_iter().flatten() {
        for n in crate::text::phone::written_numbers(stored) {
            let n = digits_of(&n);
            if n.len() >= 10 {
                for k in LOCAL_DIGITS {
                    out.push(n[n.len() - k..].to_string());
                }
            }
            out.push(n);
        }
    }
    out.extend(r.office_numbers.iter().map(|n| digits_of(n)));
    out.retain(|t| (MIN_DIGITS..=MAX_DIGITS).contains(&t.len()));
    out.sort();
    out.dedup();
    out
}

/// The number a query's words spell, with the positions of the words it takes: the longest
/// run of words that are only digits (with a leading `+`), 6 to 12 digits together.
pub fn asked(words: &[&str]) -> Option<(String, std::ops::Range<usize>)> {
    let digit_word = |w: &str| {
        let w = w.strip_prefix('+').unwrap_or(w);
        !w.is_empty() && w.chars().all(|c| c.is_ascii_digit())
    };
    let mut best: Option<(String, std::ops::Range<usize>)> = None;
    let mut i = 0;
    while i < words.len() {
        if !digit_word(words[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < words.len() && digit_word(words[i]) {
            i += 1;
        }
        let digits = digits_of(&words[start..i].concat());
        let longer = best.as_ref().is_none_or(|(b, _)| digits.len() > b.len());
        if (MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) && longer {
            best = Some((digits, start..i));
        }
    }
    best
}

/// Takes the number the words ask for: its words are no longer text (see
/// [`NumberAsk::taken`]). Returns whether there was one.
pub fn take_asked(u: &mut Understood) -> bool {
    let Some(ask) = u.number.as_mut() else {
        return false;
    };
    ask.taken = true;
    let words = ask.words.clone();
    u.clauses.retain(|c| !words.contains(&c.text));
    true
}

/// The municipality whose main window has the number taken (052-961-1111 → 名古屋市役所):
/// the window is the answer, as when it is asked for by name (see [`super::windows`]).
pub fn window_with(catalog: &crate::directory::Catalog, u: &Understood) -> Option<AreaIdx> {
    let ask = u.number.as_ref().filter(|a| a.taken)?;
    catalog.areas.areas().iter().position(|a| {
        a.main_window
            .as_ref()
            .and_then(|w| w.phone.as_deref())
            .is_some_and(|p| digits_of(p) == ask.digits)
    })
}

/// The filter of records with the number taken, if any.
pub fn filter(f: &Fields, u: &Understood) -> Option<TermQuery> {
    let ask = u.number.as_ref().filter(|a| a.taken)?;
    Some(TermQuery::new(
        Term::from_field_text(f.number, &ask.digits),
        IndexRecordOption::Basic,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        crate::text::normalize::normalize(text)
            .split(|c: char| !c.is_alphanumeric() && c != '+')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn numbers_as_stored() {
        assert_eq!(
            crate::text::phone::written_numbers("03-3790-4732"),
            ["0337904732"]
        );
        assert_eq!(
            crate::text::phone::written_numbers("(0827)52-7577"),
            ["0827527577"]
        );
        assert_eq!(
            crate::text::phone::written_numbers("03-1234-5678／03-1234-5679（代表）"),
            ["0312345678", "0312345679"]
        );
        assert_eq!(
            crate::text::phone::written_numbers("０７２８１１５５１９"),
            ["0728115519"]
        );
        assert_eq!(
            crate::text::phone::written_numbers("03-1234-5678 03-1234-5679 内線 123"),
            ["0312345678", "0312345679"]
        );
    }

    #[test]
    fn numbers_as_people_write_them() {
        let table: &[(&str, Option<&str>)] = &[
            ("076-467-0679", Some("0764670679")),
            ("０７６－４６７－０６７９", Some("0764670679")),
            ("(076) 467 0679", Some("0764670679")),
            ("+81 76-467-0679", Some("0764670679")),
            ("090-1234-5678", Some("09012345678")),
            ("467-0679", Some("4670679")),
            ("0150102242", Some("0150102242")),
            ("この番号 076-467-0679 はどこ", Some("0764670679")),
            ("2025", None),
            ("10名 3歳", None),
            ("放デイ", None),
            ("1234567890123", None),
        ];
        for (text, want) in table {
            let w = words(text);
            let w: Vec<&str> = w.iter().map(String::as_str).collect();
            assert_eq!(asked(&w).map(|(d, _)| d).as_deref(), *want, "{text}");
        }
    }
}
