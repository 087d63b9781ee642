//! The caller's own municipality beside the records: its main window (代表窓口, with the main
//! phone — [`crate::directory::MainWindow`]), the one number a clerk can always give.
//!
//! Two places in a result, both in [`MainWindows`]:
//!
//! | where | when | which window |
//! |---|---|---|
//! | first, before the records | the words ask for it: 名古屋市役所, 八戸市 代表, はちのへしやくしょ, `nagoya shiyakusho` | of the area named with the window word, else of the search's area |
//! | last, after the records | the answer is thin: 0件, the nearest ones beyond the radius (近い順), or offices whose care is 要確認 — and the window has a phone | of the search's area (the municipality the words name inside it, else the area chosen or taken from the words) |
//!
//! A ward of a designated city has no window of its own in the list (one row per
//! municipality): its city's is given ([`crate::directory::AreaTree::main_window_of`]).
//!
//! Asked for: a *window word* ([`WINDOW_WORDS`]: 役所, 市役所, 役場, 代表, 代表電話 … and their
//! readings) at the end of a word that names an area (名古屋市役所: 名古屋市 + 役所; はちのへしやくしょ:
//! はちのへし + やくしょ), or as a word of its own beside an area word or with an area chosen
//! (八戸市 代表). Query understanding notes it ([`super::query::Understood::window`]); the engine
//! takes it ([`take_asked`]) once the search's area is known. Taken, a window word is not text —
//! as an area word is not: 「八戸市 代表」 lists what serves 八戸市 under its window, where
//! searched as text 代表 found nothing, and 「八戸市役所」 offices named 「…市役所前」 hundreds of
//! km away. Where the area has no window, the word stays text.
//!
//! Why not records: a main window is one per municipality and belongs to the gazetteer, not to
//! the directory's layers — as a record it would be counted by `list`, exported, linked and
//! validated as a service, and matched by every search for 障害福祉. Here it costs a keystroke a
//! few suffix comparisons per word (no index query), and the gazetteer holds everything shown.

use crate::directory::{AreaIdx, Catalog};
use crate::text::normalize::normalize;

use super::SearchResults;
use super::query::Understood;

/// The main windows a result shows beside its records (area indices of the areas whose
/// [`crate::directory::Area::main_window`] it is).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MainWindows {
    /// The words ask for it: shown first.
    pub asked: Option<AreaIdx>,
    /// The answer is thin and the area's window has a phone: shown last (never the same as
    /// `asked`, which is already shown).
    pub closing: Option<AreaIdx>,
}

/// Words that ask for a municipality's main window, as typed (kanji) and read (kana: typed
/// in kana, or romaji that understanding turns into kana).
pub const WINDOW_WORDS: [&str; 22] = [
    "代表電話",
    "代表番号",
    "代表窓口",
    "市役所",
    "区役所",
    "町役場",
    "村役場",
    "役所",
    "役場",
    "代表",
    "だいひょうでんわ",
    "だいひょうばんごう",
    "だいひょうまどぐち",
    "ちょうやくば",
    "まちやくば",
    "そんやくば",
    "むらやくば",
    "しやくしょ",
    "くやくしょ",
    "だいひょう",
    "やくしょ",
    "やくば",
];

/// [`WINDOW_WORDS`] normalized as query words are, shortest first.
fn window_words() -> &'static [String] {
    static WORDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        let mut w: Vec<String> = WINDOW_WORDS.iter().map(|w| normalize(w)).collect();
        w.sort_by_key(|w| w.chars().count());
        w
    })
}

/// The normalized word without a window word at its end, the shortest window word first — so
/// the longest name comes first, the area's full name where it is one (名古屋市役所 → 名古屋市,
/// then 名古屋; a short name is a stem that may be a place elsewhere, see
/// `SearchEngine::keep_a_place_word_as_text`) — and `""` for a window word alone (代表).
pub fn before_window_words(word: &str) -> impl Iterator<Item = &str> {
    window_words()
        .iter()
        .filter_map(move |w| word.strip_suffix(w.as_str()))
}

/// Takes the window the words ask for ([`Understood::window`]) when the area it is of has
/// one: the area named with the window word, else `area` (the search's). Its words alone
/// (代表 of 八戸市 代表) stop being text. Returns the area whose window it is.
pub fn take_asked(catalog: &Catalog, area: Option<AreaIdx>, u: &mut Understood) -> Option<AreaIdx> {
    let ask = u.window.as_ref()?;
    let owner = catalog.areas.main_window_of(ask.area.or(area)?)?;
    let words = ask.words.clone();
    u.clauses.retain(|c| !words.contains(&c.text));
    Some(owner)
}

/// The window to end a thin answer with: the answer found nothing, or only the nearest ones
/// beyond the radius, or offices whose care is 要確認; and `area`'s window (its city's for a
/// ward) has a phone. `None` when it is the window already asked for.
pub fn closing(catalog: &Catalog, area: Option<AreaIdx>, r: &SearchResults) -> Option<AreaIdx> {
    let thin = r.total == 0 || r.nearest_beyond_km.is_some() || r.care_unknown > 0;
    if !thin {
        return None;
    }
    let owner = catalog.areas.main_window_of(area?)?;
    let has_phone = catalog
        .areas
        .at(owner)
        .main_window
        .as_ref()
        .is_some_and(|w| w.phone.is_some());
    (has_phone && r.windows.asked != Some(owner)).then_some(owner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{SearchEngine, SearchRequest};

    fn search(c: &Catalog, e: &SearchEngine, text: &str, area: Option<&str>) -> SearchResults {
        let req = SearchRequest {
            area: area.map(|a| c.resolve_area(a).expect("area")),
            limit: 20,
            ..SearchRequest::default()
        };
        let req = SearchRequest {
            text: text.to_string(),
            ..req
        };
        e.search(c, &req).expect("search")
    }

    /// The words that ask for a main window, each way a clerk types them, and what stays text.
    #[test]
    fn the_words_ask_for_the_window_of_the_area_they_name_or_the_search_is_in() {
        let (c, e) = crate::testing::bundled_with_engine();
        let at = |name: &str| c.resolve_area(name).ok();
        for (text, area, asked) in [
            ("名古屋市役所", None, at("名古屋市")),
            ("名古屋 市役所", None, at("名古屋市")),
            ("nagoyashiyakusho", None, at("名古屋市")),
            ("八戸市 代表", None, at("八戸市")),
            ("八戸市 代表電話", None, at("八戸市")),
            ("はちのへしやくしょ", None, at("八戸市")),
            ("ハチノヘシヤクショ", None, at("八戸市")),
            ("hachinohe shiyakusho", None, at("八戸市")),
            ("和木町役場", None, at("和木町")),
            // The area chosen: 代表 alone asks for its window.
            ("代表", Some("壱岐市"), at("壱岐市")),
            // A ward: its city's window.
            ("名古屋市中区役所", None, at("名古屋市")),
            ("代表", Some("名古屋市中区"), at("名古屋市")),
            // The window of the area named, whatever the area of the search (--area).
            ("名古屋市役所", Some("品川区"), at("名古屋市")),
            // No area, or one without a window: the words are text.
            ("代表", None, None),
            ("役所", None, None),
            ("青森県 代表", None, None),
            ("市役所前", Some("佐久市"), None),
        ] {
            let r = search(&c, &e, text, area);
            assert_eq!(r.windows.asked, asked, "{text} in {area:?}");
            let still_text = r
                .understood
                .clauses
                .iter()
                .any(|c| ["代表", "代表電話", "役所", "市役所"].contains(&c.text.as_str()));
            assert_eq!(
                still_text,
                asked.is_none() && !text.contains("前"),
                "{text}: {:?}",
                r.understood.clauses
            );
        }
        // Taken, the window words are not text: 八戸市's records, not 0件.
        let r = search(&c, &e, "八戸市 代表", None);
        assert!(r.total > 100, "{}", r.total);
        assert_eq!(r.total, search(&c, &e, "八戸市", None).total);
    }

    /// A thin answer — 0件, the nearest ones beyond the radius, 要確認 offices — ends with
    /// the window of the search's area when it has a phone; a full answer, an area whose
    /// window has no phone, and the window already asked for do not.
    #[test]
    fn a_thin_answer_closes_with_the_areas_window_when_it_has_a_phone() {
        let (c, e) = crate::testing::bundled_with_engine();
        let at = |name: &str| c.resolve_area(name).ok();
        // The nearest ones beyond the radius.
        let r = search(&c, &e, "療養介護", Some("壱岐市"));
        assert!(r.nearest_beyond_km.is_some());
        assert_eq!(r.windows.closing, at("壱岐市"));
        // The area from the words.
        let r = search(&c, &e, "壱岐市 療養介護", None);
        assert_eq!(r.windows.closing, at("壱岐市"));
        // 0件 (nothing within reach: the radius is 0).
        let req = SearchRequest {
            text: "療養介護".into(),
            area: at("壱岐市"),
            within_km: 0,
            limit: 20,
            ..SearchRequest::default()
        };
        let r = e.search(&c, &req).unwrap();
        assert_eq!((r.total, r.windows.closing), (0, at("壱岐市")));
        // 要確認.
        let req = SearchRequest {
            care_types: vec!["ventilator".into()],
            ..req
        };
        let req = SearchRequest {
            within_km: crate::directory::DEFAULT_WITHIN_KM,
            area: at("名古屋市中区"),
            ..req
        };
        let r = e.search(&c, &req).unwrap();
        assert!(r.care_unknown > 0 && r.nearest_beyond_km.is_none());
        assert_eq!(r.windows.closing, at("名古屋市"), "a ward: its city's");
        // A full answer: none.
        let r = search(&c, &e, "療養介護", Some("名古屋市"));
        assert_eq!(r.windows, MainWindows::default());
        // 八戸市's window has no phone in the list: not a number to end with.
        let r = search(&c, &e, "存在しない言葉ですよ", Some("八戸市"));
        assert_eq!(r.total, 0);
        assert_eq!(r.windows.closing, None);
        // No area: none.
        let r = search(&c, &e, "存在しない言葉ですよ", None);
        assert_eq!(r.windows, MainWindows::default());
        // Asked for and thin: shown once, first.
        let r = search(&c, &e, "壱岐市役所 療養介護", None);
        assert_eq!((r.windows.asked, r.windows.closing), (at("壱岐市"), None));
    }

    #[test]
    fn a_window_word_is_cut_from_the_end_leaving_the_longest_name_first() {
        let n = |s: &str| normalize(s);
        let cut =
            |w: &str| -> Vec<String> { before_window_words(&n(w)).map(str::to_string).collect() };
        assert_eq!(cut("名古屋市役所"), ["名古屋市", "名古屋"]);
        assert_eq!(cut("代表"), [""]);
        assert_eq!(cut("代表電話"), [""]);
        assert_eq!(cut("はちのへしやくしょ"), [n("はちのへし"), n("はちのへ")]);
        assert_eq!(cut("和木町役場"), ["和木町", "和木"]);
        assert!(cut("放課後等デイサービス").is_empty());
        assert!(cut("役所前").is_empty(), "only at the end of a word");
    }
}
