//! Phone numbers as a person reads them aloud: grouped by Japan's numbering plan
//! (072-811-5519, 03-1234-5678, 0827-57-7151, 090-1234-5678, 0120-123-456), from the value a
//! source wrote (`0728115519`, `０７２－８１１－５５１９`, `(072)811-5519`). The stored value is
//! never changed; this is display only (SPEC §6).
//!
//! Where the hyphens go is the numbering plan's business, so the plan is not written here: each
//! number is parsed and formatted (national format) by the `phonenumber` crate, the Rust port of
//! Google's libphonenumber and its metadata. This module only finds the numbers in a value:
//!
//! - **A number** is a run of digits (ASCII or 全角) that may hold separators between its digits
//!   — hyphens and dashes of any kind (`-` `－` `‐` `−` `―` `ー` …), spaces (also `　`) and
//!   brackets (`(072)811-5519`, `072（811）5519`) — and may start with `+` (`+81 72 …`). A run
//!   of fewer than [`MIN_DIGITS`] digits (`内線2`, `9時`) is text, not a number, and so is a
//!   run right after an extension word ([`EXTENSION_WORDS`]: `内線`, `内`, `ext`, `#` …).
//! - **Two numbers in one run** (`03-1234-5678 03-1234-5679`): the run is split at its
//!   separators, taking from the left the longest group of pieces the plan accepts each time.
//! - **Text around numbers** (`代表 0728115519（平日）`, `03-1234-5678 内線12`) is kept as
//!   written; only each number is replaced by its national format.
//! - **The plan rejects** a number (`834-2006` without its area code, `072-452-22141`, a
//!   foreign number), or it does not start with 0 or `+` (`728115519` has lost its 0), or the value holds none (`TEL`, `なし`): the whole value is shown as
//!   written, marked 「（番号の形式を確認）」 ([`CHECK_NOTE`]) — never half formatted.
//!
//! Only ASCII digits (with `+`) ever reach the parser. Every value comes back sanitized for the
//! terminal ([`sanitize_for_terminal`]) and trimmed; an empty value is no phone (`None`).
//!
//! The plan takes ~0.1 s to start, longer than a whole one-shot `ikenavi search`: the numbers
//! of a directory are read once when its index cache is built ([`KnownNumbers::read`]), kept
//! in the cache, and handed back at each start ([`remember`]); only a number not among them
//! starts the plan.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use phonenumber::country::Id as Country;
use phonenumber::{Mode, PhoneNumber};

use super::sanitize::sanitize_for_terminal;

/// The mark after a value the numbering plan does not accept: read it as written and check it.
pub const CHECK_NOTE: &str = "番号の形式を確認";

/// Fewer digits than this in a run is text (an extension, an hour, a count), not a number.
/// The shortest Japanese number with its area code has 10 digits; 6 still catches a number
/// missing its area code (`834-2006`), which must be marked rather than shown as text.
pub const MIN_DIGITS: usize = 6;

/// Words after which a run of digits is an extension, kept as written (`内線 123`, `ext.12`).
pub const EXTENSION_WORDS: [&str; 6] = ["内線", "内", "ext", "EXT", "Ext", "#"];

/// A stored phone value made readable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phone {
    /// Every number in the value is one the numbering plan accepts.
    National {
        /// The value with each number in the national format and the text around as written.
        text: String,
        /// The numbers alone, in the national format, in the order written (at least one).
        numbers: Vec<String>,
    },
    /// The plan rejects a number in the value, or it holds none: the value as written.
    AsWritten(String),
}

impl Phone {
    /// Reads a stored value; `None` when it is empty or blank.
    pub fn parse(stored: &str) -> Option<Phone> {
        let written = sanitize_for_terminal(stored);
        let written = written.trim();
        if written.is_empty() {
            return None;
        }
        Some(match national_text(written) {
            Some((text, numbers)) => Phone::National { text, numbers },
            None => Phone::AsWritten(written.to_string()),
        })
    }

    /// Whether the numbering plan accepts every number in the value.
    pub fn is_checked(&self) -> bool {
        matches!(self, Phone::National { .. })
    }

    /// The number to dial: the first number in the national format, or the value as written
    /// when the plan does not accept it (what F8 copies).
    pub fn number(&self) -> &str {
        match self {
            Phone::National { numbers, text } => numbers.first().map_or(text, String::as_str),
            Phone::AsWritten(w) => w,
        }
    }

    /// The number to dial as a person reads it, for one line of a list: the first number
    /// alone (`072-811-5519`), or the value as written with its mark.
    pub fn number_shown(&self) -> String {
        match self {
            Phone::National { .. } => self.number().to_string(),
            Phone::AsWritten(_) => self.to_string(),
        }
    }
}

/// What a person reads: `072-811-5519`, or `834-2006（番号の形式を確認）`.
impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Phone::National { text, .. } => f.write_str(text),
            Phone::AsWritten(w) => write!(f, "{w}（{CHECK_NOTE}）"),
        }
    }
}

/// Makes the numbering plan ready, so the first phone shown does not wait for it: the
/// library builds its metadata for every country (~0.1 s in a release build) the first time a
/// number is formatted. Call it on a background thread at start where phones will be shown.
pub fn warm_up() {
    let _ = national("0312345678");
}

/// What a person reads for a stored value ([`Phone`]'s display), or `None` for no phone.
pub fn display(stored: &str) -> Option<String> {
    Phone::parse(stored).map(|p| p.to_string())
}

/// Each number in `text` whose run the plan accepts, in the national format; the rest of the
/// text as written. For free text (a note listing other numbers) where a run that is not a
/// number is nothing to mark.
pub fn format_numbers_in(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for run in runs(text) {
        out.push_str(&text[at..run.start]);
        match national_run(&text[run.clone()]) {
            Some(numbers) => out.push_str(&numbers.join(" ")),
            None => out.push_str(&text[run.clone()]),
        }
        at = run.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The value with each number in the national format, and the numbers; `None` when a number
/// is rejected or there is none.
fn national_text(written: &str) -> Option<(String, Vec<String>)> {
    let mut text = String::with_capacity(written.len());
    let mut numbers = Vec::new();
    let mut at = 0;
    for run in runs(written) {
        let found = national_run(&written[run.clone()])?;
        text.push_str(&written[at..run.start]);
        text.push_str(&found.join(" "));
        numbers.extend(found);
        at = run.end;
    }
    text.push_str(&written[at..]);
    (!numbers.is_empty()).then_some((text, numbers))
}

/// The numbers written in `s` as ASCII digits, read without the numbering plan (fast enough
/// for every record while an index is built): each run ([`runs`]) of digits and separators,
/// cut where a part starting with 0 follows 10 digits or more (`03-1234-5678 03-1234-5679`
/// is two numbers).
pub fn written_numbers(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for run in runs(s) {
        let mut number = String::new();
        for piece in s[run]
            .split(|c: char| !is_digit(c))
            .filter(|p| !p.is_empty())
        {
            let piece = ascii_digits(piece);
            if number.len() >= 10 && piece.starts_with('0') {
                out.push(std::mem::take(&mut number));
            }
            number.push_str(&piece);
        }
        out.push(number);
    }
    out
}

/// The byte ranges of the number runs in `s` (see the module documentation).
fn runs(s: &str) -> Vec<std::ops::Range<usize>> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(s.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let opens = (c == '+' || is_open(c)) && chars.get(i + 1).is_some_and(|&(_, d)| is_digit(d));
        if !(is_digit(c) || opens) {
            i += 1;
            continue;
        }
        // Extend over digits, and separators that have a digit after them.
        let mut j = i + 1;
        let mut last_digit = if is_digit(c) { i } else { i + 1 };
        while j < chars.len() {
            let d = chars[j].1;
            if is_digit(d) {
                last_digit = j;
            } else if !is_separator(d) {
                break;
            }
            j += 1;
        }
        let mut start = i;
        let end = last_digit + 1;
        // A bracket opened before the digits and not closed among them is the text's:
        // `代表(03-1234-5678)` keeps both brackets, `(089)909-5034` is one number.
        let opened = chars[start..end]
            .iter()
            .filter(|&&(_, c)| is_open(c))
            .count();
        let closed = chars[start..end]
            .iter()
            .filter(|&&(_, c)| is_close(c))
            .count();
        if opened > closed && is_open(chars[start].1) {
            start += 1;
        }
        let digits = chars[start..end]
            .iter()
            .filter(|(_, c)| is_digit(*c))
            .count();
        let extension = EXTENSION_WORDS.iter().any(|w| {
            s[..chars[start].0]
                .trim_end_matches(|c: char| {
                    c.is_whitespace() || matches!(c, ':' | '：' | '.' | '．')
                })
                .ends_with(w)
        });
        if digits >= MIN_DIGITS && !extension {
            out.push(chars[start].0..end_of(end));
        }
        i = last_digit + 1;
    }
    out
}

/// The numbers of one run in the national format, splitting it at separators where it holds
/// several; `None` when a part of it is not a number the plan accepts.
fn national_run(run: &str) -> Option<Vec<String>> {
    let plus = run.starts_with('+');
    let pieces: Vec<String> = run
        .split(|c: char| !is_digit(c))
        .filter(|p| !p.is_empty())
        .map(ascii_digits)
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let (next, number) = (i + 1..=pieces.len()).rev().find_map(|j| {
            let digits = pieces[i..j].concat();
            let digits = if plus && i == 0 {
                format!("+{digits}")
            } else {
                digits
            };
            national(&digits).map(|n| (j, n))
        })?;
        out.push(number);
        i = next;
    }
    Some(out)
}

/// What the plan said about each number (ASCII digits) it was asked about, sorted by the
/// digits: the national format, or `None` for a number it rejects.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KnownNumbers(Vec<(String, Option<String>)>);

impl KnownNumbers {
    /// Reads every number in `values` (phones, FAX numbers, notes) as [`Phone::parse`] and
    /// [`format_numbers_in`] would, remembering each answer.
    pub fn read<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> KnownNumbers {
        HEARD.with(|h| *h.borrow_mut() = Some(BTreeMap::new()));
        for v in values {
            let _ = Phone::parse(v.as_ref());
            let _ = format_numbers_in(v.as_ref());
        }
        let heard = HEARD.with(|h| h.borrow_mut().take()).unwrap_or_default();
        KnownNumbers(heard.into_iter().collect())
    }

    /// How many numbers it knows.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it knows none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The plan's answer for `digits`, if it was asked before.
    fn get(&self, digits: &str) -> Option<&Option<String>> {
        self.0
            .binary_search_by(|(d, _)| d.as_str().cmp(digits))
            .ok()
            .map(|i| &self.0[i].1)
    }
}

/// The numbers known from the index cache of this run's directory ([`remember`]).
static KNOWN: OnceLock<KnownNumbers> = OnceLock::new();

thread_local! {
    /// While [`KnownNumbers::read`] runs on this thread: every answer given.
    static HEARD: RefCell<Option<BTreeMap<String, Option<String>>>> = const { RefCell::new(None) };
}

/// Keeps `known` for the rest of the run, so its numbers are shown without starting the plan.
/// The first directory opened gives them; a number not among them is still read by the plan.
pub fn remember(known: KnownNumbers) {
    let _ = KNOWN.set(known);
}

/// One number (ASCII digits, maybe after `+`) in the national format, if the plan accepts it
/// as a Japanese number.
fn national(digits: &str) -> Option<String> {
    let heard_before = HEARD.with(|h| h.borrow().as_ref().and_then(|m| m.get(digits).cloned()));
    if let Some(shown) = heard_before {
        return shown;
    }
    let shown = match KNOWN.get().and_then(|k| k.get(digits)) {
        Some(known) => known.clone(),
        None => ask_the_plan(digits),
    };
    HEARD.with(|h| {
        if let Some(heard) = h.borrow_mut().as_mut() {
            heard.insert(digits.to_string(), shown.clone());
        }
    });
    shown
}

/// [`national`], from the numbering plan itself.
fn ask_the_plan(digits: &str) -> Option<String> {
    // A domestic number starts with its trunk prefix 0: `728115519` has lost a digit (or is
    // no phone), and adding one back is not this module's to decide. Longer than any number
    // is not worth the parser's time.
    if !(digits.starts_with('0') || digits.starts_with('+')) || digits.len() > 17 {
        return None;
    }
    let n: PhoneNumber = phonenumber::parse(Some(Country::JP), digits).ok()?;
    if n.country().id() != Some(Country::JP) || !phonenumber::is_valid(&n) {
        return None;
    }
    let shown = n.format().mode(Mode::National).to_string();
    // The plan may read a prefix as a dialling code and drop it (`0022…`): a number whose
    // digits do not all come back, in order, is not the one written.
    let written = match digits.strip_prefix("+81") {
        Some(rest) => format!("0{rest}"),
        None => digits.to_string(),
    };
    let kept: String = shown.chars().filter(char::is_ascii_digit).collect();
    (kept == written).then_some(shown)
}

fn ascii_digits(piece: &str) -> String {
    piece
        .chars()
        .filter_map(|c| c.to_digit(10).or_else(|| fullwidth_digit(c)))
        .map(|d| char::from(b'0' + d as u8))
        .collect()
}

fn fullwidth_digit(c: char) -> Option<u32> {
    ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || fullwidth_digit(c).is_some()
}

fn is_open(c: char) -> bool {
    matches!(c, '(' | '（')
}

fn is_close(c: char) -> bool {
    matches!(c, ')' | '）')
}

/// Between digits of one number: hyphens and dashes as people type them, spaces, brackets.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '-' | '－' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | 'ー' | 'ｰ' | ' ' | '　'
    ) || is_open(c)
        || is_close(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn shown(stored: &str) -> String {
        display(stored).unwrap_or_default()
    }

    /// Written forms of the bundled open data and of documents, as a clerk reads them.
    /// A number read once is shown the same from what was remembered; one that was not is
    /// still read by the plan.
    #[test]
    fn known_numbers_answer_as_the_plan_does() {
        let values = ["0728115519", "代表 03-1234-5678 内線12", "834-2006", "TEL"];
        let known = KnownNumbers::read(values);
        assert!(known.get("0728115519") == Some(&Some("072-811-5519".into())));
        assert!(known.get("8342006") == Some(&None), "rejected is known too");
        assert!(known.get("0312345678") == Some(&Some("03-1234-5678".into())));
        for (digits, shown) in &known.0 {
            assert_eq!(shown, &ask_the_plan(digits), "{digits}");
        }
        assert!(
            known.get("0120123456").is_none(),
            "only what was read is known"
        );
        let round: KnownNumbers =
            postcard::from_bytes(&postcard::to_stdvec(&known).unwrap()).unwrap();
        assert_eq!(round, known);
    }

    #[test]
    fn numbers_read_in_the_national_format() {
        for (stored, want) in [
            ("0728115519", "072-811-5519"),
            ("072-811-5519", "072-811-5519"),
            ("0312345678", "03-1234-5678"),
            ("0827577151", "0827-57-7151"),
            ("0827-57-7151", "0827-57-7151"),
            ("09012345678", "090-1234-5678"),
            ("0120123456", "0120-123-456"),
            ("05037302879", "050-3730-2879"),
            ("050-37345406", "050-3734-5406"),
            ("0155-665382", "0155-66-5382"),
            ("022-3652863", "022-365-2863"),
            ("08387-6-3537", "08387-6-3537"),
            // 全角, dashes, spaces and brackets as people type them.
            ("０７２－８１１－５５１９", "072-811-5519"),
            ("０７２ー８１１ー５５１９", "072-811-5519"),
            ("072 811 5519", "072-811-5519"),
            ("(072)811-5519", "072-811-5519"),
            ("072（811）5519", "072-811-5519"),
            ("+81 72-811-5519", "072-811-5519"),
            ("  0728115519 ", "072-811-5519"),
            // Text around a number and extensions stay as written.
            ("代表 0728115519（平日）", "代表 072-811-5519（平日）"),
            ("代表(0728115519)", "代表(072-811-5519)"),
            ("0312345678 内線123", "03-1234-5678 内線123"),
            ("03-1234-5678（内線 2）", "03-1234-5678（内線 2）"),
            ("0312345678 ext.12", "03-1234-5678 ext.12"),
            // Two numbers in one cell.
            ("0312345678、09012345678", "03-1234-5678、090-1234-5678"),
            ("0312345678 0312345679", "03-1234-5678 03-1234-5679"),
        ] {
            assert_eq!(shown(stored), want, "{stored}");
            assert!(Phone::parse(stored).unwrap().is_checked(), "{stored}");
        }
    }

    /// What the plan rejects, and text that is no number, is shown as written and marked —
    /// never half formatted.
    #[test]
    fn what_the_plan_rejects_is_shown_as_written_and_marked() {
        for stored in [
            "834-2006",
            "072-452-22141",
            "090275212129",
            "0000000000",
            "TEL",
            "問い合わせはメールで",
            "0312345678 / 834-2006",
            "+1 650-253-0000",
            "728115519",
            "00220000000",
        ] {
            let p = Phone::parse(stored).unwrap();
            assert_eq!(p, Phone::AsWritten(stored.to_string()), "{stored}");
            assert_eq!(p.to_string(), format!("{stored}（番号の形式を確認）"));
            assert_eq!(p.number(), stored);
        }
        assert_eq!(Phone::parse(""), None);
        assert_eq!(Phone::parse(" 　"), None);
    }

    #[test]
    fn the_number_to_dial_is_the_first_alone() {
        let p = Phone::parse("代表 0728115519、FAX兼用 0728115520").unwrap();
        assert_eq!(p.number(), "072-811-5519");
        assert_eq!(p.to_string(), "代表 072-811-5519、FAX兼用 072-811-5520");
    }

    #[test]
    fn control_and_bidi_characters_never_come_back() {
        let p = Phone::parse("03\x1b[2J-5719\u{202e}-3381").unwrap();
        let shown = p.to_string();
        assert!(
            !shown.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{shown}"
        );
    }

    /// In free text, numbers the plan accepts are formatted and the rest is left alone.
    #[test]
    fn numbers_in_a_note_are_formatted_and_nothing_else_changes() {
        assert_eq!(
            format_numbers_in("別の行の電話 0739472175、0857-59-0892 / 別の行の住所 1-2-3"),
            "別の行の電話 0739-47-2175、0857-59-0892 / 別の行の住所 1-2-3"
        );
        assert_eq!(
            format_numbers_in("事業所番号 834-2006"),
            "事業所番号 834-2006"
        );
    }

    fn digits(s: &str) -> String {
        s.chars()
            .filter_map(|c| c.to_digit(10).or_else(|| fullwidth_digit(c)))
            .map(|d| char::from(b'0' + d as u8))
            .collect()
    }

    proptest! {
        #[test]
        fn never_panics_and_never_returns_terminal_controls(s in "\\PC*|[0-9０-９()（）+\\- ー内線]{0,40}") {
            if let Some(p) = Phone::parse(&s) {
                let shown = p.to_string();
                prop_assert!(!shown.chars().any(super::super::sanitize::is_unsafe_for_terminal));
                prop_assert!(!shown.trim().is_empty());
            }
            let _ = format_numbers_in(&s);
        }

        /// A number the plan accepts, written with any separators anywhere, reads with its
        /// digits in order; so does a random 0-number whenever the plan accepts it.
        #[test]
        fn a_checked_number_keeps_its_digits_in_order(
            number in prop_oneof![
                proptest::sample::select(VALID.to_vec()).prop_map(String::from),
                "0[0-9]{9,10}",
            ],
            cuts in proptest::collection::vec((0usize..11, "[-－ ー　]"), 0..4),
        ) {
            let mut written: Vec<String> = number.chars().map(String::from).collect();
            for (at, sep) in cuts {
                let at = at.min(written.len() - 2);
                written[at].push_str(&sep);
            }
            let written = written.concat();
            let parsed = Phone::parse(&written);
            if VALID.contains(&number.as_str()) {
                prop_assert!(parsed.as_ref().is_some_and(Phone::is_checked), "{}", written);
            }
            if let Some(Phone::National { text, numbers }) = parsed {
                prop_assert_eq!(digits(&text), digits(&written));
                prop_assert_eq!(numbers.len(), 1);
                prop_assert!(text.contains('-'), "{}", text);
            }
        }
    }

    /// Numbers the plan accepts, of every length of area code.
    const VALID: [&str; 8] = [
        "0728115519",
        "0312345678",
        "0827577151",
        "0838763537",
        "09012345678",
        "0120123456",
        "05037302879",
        "0155665382",
    ];
}
