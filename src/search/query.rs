//! Query understanding: turning what the clerk typed into clauses. Each word is normalized;
//! romaji also yields its kana; words the vocabulary knows (care types, needs, glossary) expand
//! to all their variants; words that name an area become an area boost rather than text.
//! Romaji typed without spaces splits into the known words it is made of (`houkagodei` is
//! `houkago dei`); the last word, when it is the start of a known word in kana or romaji
//! (`kokyu`, こきゅ), means that word (the clerk is still typing it). An unfinished romaji
//! syllable at the end (`houk`) is handled by the engine (see [`super::SearchEngine::search`]).
//! Operator characters (`"`, `(`, `-`, `*`, `:` …) are plain separators: every query parses.
//!
//! A caller's sentence: an area is named by a whole word (品川, shinagawa), a full name inside a
//! word (品川区で…) or a short name in kanji before a particle (八王子に…, 品川在住); a clause
//! with nothing known in it (都の制度は使えますか) needs its words in kanji, not the clause as
//! typed; 都の/県の/国の mark an enquiry about what the prefecture or the country provides
//! ([`Understood::wide`]); and a sentence about an area with nothing else known lists what serves
//! the area ([`Understood::about_the_area`]).
//!
//! A municipality's office or main line asked for — an area's name ending with 役所, 役場, 代表 …
//! (名古屋市役所, はちのへしやくしょ), or such a word alone beside it (八戸市 代表) — is noted
//! ([`Understood::window`]); the engine shows the main window and stops searching the word as
//! text (see [`super::windows`]).

use super::vocab::{Concept, Meaning, Vocabulary};
use crate::directory::AreaIdx;
use crate::text::normalize::normalize;
use crate::text::romaji::romaji_to_kana;

/// One thing the results should match.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// The text as understood (normalized), for display.
    pub text: String,
    /// Normalized spellings, any of which satisfies the clause.
    pub variants: Vec<String>,
    /// Taxonomy meanings (a record tagged with one satisfies the clause too).
    pub meanings: Vec<Meaning>,
    /// Whether results must match it (optional clauses only rank).
    pub required: bool,
    /// Extra weight (an exact whole-word phrase counts more than its parts).
    pub weight: f32,
}

/// What a query means.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Understood {
    /// Text clauses.
    pub clauses: Vec<Clause>,
    /// An area named in the text (品川, しながわ, 品川区で…).
    pub area: Option<AreaIdx>,
    /// The text of the clause that named [`Understood::area`] (an optional clause: it is
    /// dropped when the area is taken as the search's area).
    pub area_word: Option<String>,
    /// A word that names several areas (北区), with them: the search does not guess.
    pub ambiguous_area: Option<(String, Vec<AreaIdx>)>,
    /// A municipality's short name that records also hold as a place elsewhere (大蔵: 山形県
    /// 大蔵村, and 世田谷区大蔵): searched as text, not as the area (see
    /// [`super::SearchEngine::search`]), with the area it could have meant.
    pub also_a_place: Option<(String, AreaIdx)>,
    /// The enquiry asks about what the prefecture or the country provides (都の制度, 県の
    /// 事業, 国の制度): with an area, records serving its prefecture (or the whole country)
    /// rank first.
    pub wide: Option<Wide>,
    /// Some word is a clause of a sentence (kana between its words: 都の制度は使えますか).
    pub sentence: bool,
    /// The designated service types the text names (放デイ, 医療型児発 …) or, naming none,
    /// describes in plain words as one type (自宅に来てくれる療育), one bit each (see
    /// [`super::services`]).
    pub service_types: u64,
    /// The words ask for a municipality's main window (名古屋市役所, 八戸市 代表; see
    /// [`super::windows`]).
    pub window: Option<WindowAsk>,
    /// A phone, fax or office number the words spell (076-467-0679; see
    /// [`super::numbers`]).
    pub number: Option<super::numbers::NumberAsk>,
    /// A corporation named as corporations are (PLUSケアサービス株式会社, 社会福祉法人…), which
    /// runs offices of the directory: its key ([`super::index::provider_key`]); the offices it
    /// runs are the answer (see `SearchEngine::take_corporation`).
    pub corporation: Option<String>,
    /// The days of the week asked (土曜, 土日祝: [`super::days`]): records open on them rank
    /// first; the day words only rank.
    pub days: u64,
}

/// Words that ask for a municipality's main window (see [`super::windows`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowAsk {
    /// The area named together with the window word (名古屋市役所 → 名古屋市); without one,
    /// the window is the search's area's.
    pub area: Option<AreaIdx>,
    /// The texts of the clauses that are only a window word (代表 of 八戸市 代表): not text
    /// once the window is taken.
    pub words: Vec<String>,
}

/// A level of government an enquiry asks about (see [`Understood::wide`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wide {
    /// 都・道・府・県の….
    Prefecture,
    /// 国の….
    Country,
}

/// 都の, 県の …, 国の at the start of a word or after kana: the level an enquiry asks about.
fn wide_of(word: &str) -> Option<Wide> {
    let chars: Vec<char> = word.chars().collect();
    chars.windows(2).enumerate().find_map(|(i, w)| {
        let after_kana = i == 0 || super::vocab::is_hiragana(chars[i - 1]);
        let level = match w[0] {
            '都' | '道' | '府' | '県' => Wide::Prefecture,
            '国' => Wide::Country,
            _ => return None,
        };
        (after_kana && w[1] == 'の').then_some(level)
    })
}

impl Understood {
    /// No text to match (only filters).
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// Every normalized spelling worth highlighting.
    pub fn highlight_terms(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .clauses
            .iter()
            .flat_map(|c| c.variants.iter().cloned())
            .filter(|v| !v.is_empty())
            .collect();
        out.sort_by_key(|v| std::cmp::Reverse(v.len()));
        out.dedup();
        out
    }
}

/// Longest query text that is analysed; the rest is ignored (a 10,000-character paste must
/// not stall the keystroke loop).
pub const MAX_QUERY_CHARS: usize = 256;

/// Longest word also matched whole, as a phrase, to rank exact names first.
const WHOLE_WORD_PHRASE_MAX_CHARS: usize = 24;

/// Hiragana-only leftovers this short are particles (で, の, を, には) and are dropped.
const PARTICLE_MAX_CHARS: usize = 2;

/// Words of a spoken enquiry that say nothing about what is sought (politeness, asking,
/// wanting, looking for): a word made only of these (and particles) counts for nothing.
/// Longest first, so that ありますか is taken before ます.
/// Words for the children this directory is about (医療的ケア児, 重症心身障害児): beside a
/// designated service type (宮古島市 重症心身障害児 放デイ) they say who the caller is, not what
/// an office's record must contain — the open data never says which children an office takes
/// (unknown is not no), so they rank the offices that say it first and keep the others.
const WHO_THE_CHILD_IS: &[&str] = &[
    "医療的ケア",
    "医療的ケア児",
    "医療的ケアの子",
    "医療的ケアが必要",
    "医ケア",
    "医ケア児",
    "重症心身障害",
    "重症心身障害児",
    "重症心身障害児者",
    "重症心身障がい児",
    "重心児",
    "重心",
    "重症児",
    "子",
    "医療ケア",
    "医療ケア児",
    "肢体不自由児",
    "障害児",
    "障がい児",
    "障碍児",
    "子ども",
    "こども",
    "子供",
];

/// Whether a clause is a word of [`WHO_THE_CHILD_IS`].
pub fn says_who_the_child_is(c: &Clause) -> bool {
    static NORMALIZED: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let words = NORMALIZED.get_or_init(|| WHO_THE_CHILD_IS.iter().map(|w| normalize(w)).collect());
    words.contains(&c.text)
}

/// With a service type named, the words of [`WHO_THE_CHILD_IS`] only rank, and so do words
/// the glossary knows that ask for nothing a record is tagged with (受け入れ, 対応可能,
/// 重症心身障害: no need, no care type): the open data says them of no office, so beside the
/// type they tell its offices apart no more than the type does.
fn who_the_child_is_only_ranks(u: &mut Understood) {
    if u.service_types == 0 {
        return;
    }
    for c in u.clauses.iter_mut() {
        if c.required && (says_who_the_child_is(c) || only_glossary(c)) {
            c.required = false;
        }
    }
}

/// Whether the vocabulary knows a clause only as a glossary word that implies no need or care
/// type (受け入れ, 休養).
fn only_glossary(c: &Clause) -> bool {
    !c.meanings.is_empty() && c.meanings.iter().all(|m| matches!(m, Meaning::Glossary(_)))
}

const FILLER: &[&str] = &[
    "ありませんか",
    "探しています",
    "さがしています",
    "できますか",
    "ありますか",
    "でしょうか",
    "について",
    "探している",
    "探してます",
    "知りたい",
    "教えて",
    "おしえて",
    "ください",
    "下さい",
    "お願い",
    "おねがい",
    "探してる",
    "あります",
    "ところ",
    "できる",
    "使える",
    "利用",
    "ですか",
    "ません",
    "ほしい",
    "欲しい",
    "したい",
    "ますか",
    "です",
    "ます",
    "いい",
    "よい",
    "たい",
    "は",
    "が",
    "を",
    "に",
    "で",
    "の",
    "か",
    "も",
    "と",
    "へ",
];

/// Whether a normalized word is only filler and particles (探しています, ありますか,
/// についてです, 教えてください): it is dropped from the query.
/// (A word of particles alone, はは or かに, is a word: one filler of two characters or more
/// must be in it.)
fn is_filler(word: &str) -> bool {
    static NORMALIZED: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let fillers = NORMALIZED.get_or_init(|| FILLER.iter().map(|f| normalize(f)).collect());
    let (mut rest, mut long) = (word, false);
    while !rest.is_empty() {
        let Some(f) = fillers.iter().find(|f| rest.starts_with(f.as_str())) else {
            return false;
        };
        long |= f.chars().count() >= 2;
        rest = &rest[f.len()..];
    }
    long
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == 'ー' || c == '々' || c == '〆' || c == 'ゝ' || c == 'ゞ'
}

/// Whether a query has text but no character a record could match: only emoji, symbols or
/// punctuation (🙂, 「！？」). Such a query finds nothing (it is not an empty query, which lists
/// everything the filters keep).
pub fn is_unsearchable(text: &str) -> bool {
    !text.trim().is_empty() && !normalize(text).chars().any(is_word_char)
}

fn is_hiragana(s: &str) -> bool {
    s.chars().all(super::vocab::is_hiragana)
}

/// Understands a query.
pub fn understand(vocab: &Vocabulary, query: &str) -> Understood {
    let clipped: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let normalized = normalize(&clipped);
    let mut u = Understood::default();
    let words: Vec<&str> = normalized
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .collect();
    let without_districts: Vec<String> = words
        .iter()
        .map(|w| without_district(vocab, w).unwrap_or_else(|| w.to_string()))
        .collect();
    let words: Vec<&str> = without_districts.iter().map(String::as_str).collect();
    let joined = join_spaced_place_names(vocab, &words);
    let words: Vec<&str> = joined.iter().map(String::as_str).collect();
    let joined = join_spaced_type_names(&words);
    let words: Vec<&str> = joined.iter().map(String::as_str).collect();
    let number = super::numbers::asked(&words);
    for (i, word) in words.iter().enumerate() {
        let before = u.clauses.len();
        understand_word(vocab, word, i + 1 == words.len(), &mut u);
        if let Some((digits, at)) = &number
            && at.contains(&i)
        {
            let ask = u.number.get_or_insert_with(|| super::numbers::NumberAsk {
                digits: digits.clone(),
                ..Default::default()
            });
            ask.words
                .extend(u.clauses[before..].iter().map(|c| c.text.clone()));
        }
    }
    place_beside_a_service(vocab, &mut u);
    demote_sentence_kana(&mut u);
    u.sentence = words.iter().any(|w| sentence_parts(w).is_some());
    u.wide = words.iter().find_map(|w| wide_of(w));
    u.service_types = super::services::named_in(&words.join(" "));
    if u.service_types == 0 {
        // A name typed in romaji (shootosutei, houdei) is named by its clause's kana.
        u.service_types = u
            .clauses
            .iter()
            .fold(0, |m, c| m | super::services::named_in(&c.text));
    }
    if u.service_types == 0 {
        u.service_types = u.clauses.iter().fold(0, |m, c| m | type_read_as(c));
    }
    if u.service_types == 0 {
        u.service_types = vocab.described_service_types(&u.clauses);
    }
    who_the_child_is_only_ranks(&mut u);
    u.days = super::days::asked(&normalized);
    days_only_rank(&mut u);
    u
}

/// The type a word typed as its reading names (ほうでい, じはつ): the one type its spellings
/// name; 0 for a word in kanji (療育, whose spellings include 児発, is no reading of it) or one
/// whose spellings name several.
fn type_read_as(c: &Clause) -> u64 {
    if !c
        .text
        .chars()
        .all(|ch| super::vocab::is_hiragana(ch) || ch == 'ー')
    {
        return 0;
    }
    let named = c
        .variants
        .iter()
        .fold(0, |m, v| m | super::services::named_in(v));
    if named.count_ones() == 1 { named } else { 0 }
}

/// A word that only names days (放デイ 土曜) only ranks: the open data says the days by the
/// hours per day, not in words, so the days are asked of the hours ([`super::days`]). With
/// nothing else asked (品川区 土曜), the words go: what serves the area is listed, those open
/// on the days first.
fn days_only_rank(u: &mut Understood) {
    let is_day = |c: &Clause| super::days::only_days(&c.text);
    if u.days == 0 {
        return;
    }
    if u.clauses.iter().any(|c| c.required && !is_day(c)) {
        for c in u.clauses.iter_mut().filter(|c| is_day(c)) {
            c.required = false;
        }
    } else {
        u.clauses.retain(|c| !is_day(c));
    }
}

/// A place written as an address writes it, its 郡 between the prefecture and the town
/// (和歌山県伊都郡九度山町), without the 郡 (和歌山県九度山町) when that names an area: the data
/// knows the 郡 of few towns, and the town is what the clerk means.
fn without_district(vocab: &Vocabulary, word: &str) -> Option<String> {
    for (gun, _) in word.match_indices('郡') {
        let after = &word[gun + '郡'.len_utf8()..];
        for (s, c) in word[..gun].char_indices() {
            if !matches!(c, '都' | '道' | '府' | '県') {
                continue;
            }
            let pref_end = s + c.len_utf8();
            if pref_end >= gun {
                continue;
            }
            let candidate = format!("{}{after}", &word[..pref_end]);
            if let Some((range, _)) = vocab.area_inside(&candidate)
                && range.start == 0
                && range.end > pref_end
            {
                return Some(candidate);
            }
        }
    }
    None
}

/// Words that together name one area, written with spaces as addresses often are (奈良県
/// 川上村, 横浜市 港北区, 山口県 大島郡 周防大島町), become one word: the area they name, not
/// a prefecture and a name of several places.
fn join_spaced_place_names(vocab: &Vocabulary, words: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let mut word = words[i].to_string();
        let mut j = i + 1;
        // Up to three words (prefecture, 郡, town).
        while j < words.len() && j < i + 3 {
            let longer = format!("{word}{}", words[j]);
            let names_one = vocab.area_word(&longer).is_some();
            let starts_one = j + 1 < words.len()
                && vocab
                    .area_word(&format!("{longer}{}", words[j + 1]))
                    .is_some();
            if !(names_one || starts_one) {
                break;
            }
            word = longer;
            j += 1;
        }
        out.push(word);
        i = j;
    }
    out
}

/// Words that together are a service type's name, written with a space (放課後 デイサービス,
/// 短期 入所, 大玉村で放課後 デイサービス), become that name: apart, each is only part of it,
/// and the type is not asked — its offices whose names do not repeat both words were left out.
/// What stands before or after the name in the two words stays a word of its own.
fn join_spaced_type_names(words: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    let mut i = 0;
    while i + 1 < out.len() {
        let (a, b) = (&out[i], &out[i + 1]);
        let both = format!("{a}{b}");
        // The longest name that begins in the first word and ends in the second.
        let across = super::services::names_across(&both, a.len());
        match across {
            Some((start, end)) => {
                let pieces: Vec<String> = [&both[..start], &both[start..end], &both[end..]]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect();
                let name_at = i + usize::from(start > 0);
                out.splice(i..i + 2, pieces);
                i = name_at + 1;
            }
            None => i += 1,
        }
    }
    out
}

impl Understood {
    /// A sentence about an area and nothing the vocabulary knows (八王子に引っ越します。都の
    /// 制度は使えますか): what serves the area is the answer, and the other words only rank.
    /// Called by the search once the area is known.
    pub fn about_the_area(&mut self) {
        if !self.sentence || self.clauses.iter().any(|c| !c.meanings.is_empty()) {
            return;
        }
        for c in self.clauses.iter_mut() {
            c.required = false;
        }
    }
}

/// A reading of two kana that names one area (いき → 壱岐市, わき → 和木町, typed in kana or
/// romaji) is an ordinary word more often than a place, so alone it is text; beside a word the
/// vocabulary knows (`iki ryoyokaigo`, `waki kodineta`) and with no other area named, it is
/// the place the service is asked for — as its name in kanji would be.
fn place_beside_a_service(vocab: &Vocabulary, u: &mut Understood) {
    if u.area.is_some()
        || u.ambiguous_area.is_some()
        || !u.clauses.iter().any(|c| !c.meanings.is_empty())
    {
        return;
    }
    let Some((c, area)) = u.clauses.iter_mut().find_map(|c| {
        let area = (c.required && c.meanings.is_empty() && is_hiragana(&c.text))
            .then(|| vocab.short_reading(&c.text))??;
        Some((c, area))
    }) else {
        return;
    };
    c.required = false;
    u.area = Some(area);
    u.area_word = Some(c.text.clone());
}

/// In a sentence (three required words or more), a word in hiragana that is not a known word
/// (つけてる, かよえる) is a verb or an adjective of the enquiry: it only ranks. So is a word of
/// kanji and the kana after them (利用したい, 住んでいて, 探していま): a record says 利用, not
/// 利用したい, so its kanji are the word searched — and a single kanji (住, 探) alone would match
/// nearly everything, and a filler (利用) nothing in particular, so such a word is dropped. (Searched as written, a verb would need its
/// every bigram read at every position of every record holding 利用 and した.)
fn demote_sentence_kana(u: &mut Understood) {
    if u.clauses.iter().filter(|c| c.required).count() < 3 {
        return;
    }
    for c in u.clauses.iter_mut() {
        if c.required && c.meanings.is_empty() && is_hiragana(&c.text) {
            c.required = false;
        }
    }
    let mut stems: Vec<(usize, Option<String>)> = Vec::new();
    for (i, c) in u.clauses.iter().enumerate() {
        if c.required
            && c.meanings.is_empty()
            && let Some(stem) = kanji_before_kana(&c.text)
        {
            let word = stem.chars().count() >= 2 && !is_filler(stem);
            stems.push((i, word.then(|| stem.to_string())));
        }
    }
    for (i, stem) in stems.into_iter().rev() {
        match stem {
            Some(stem) if !u.clauses.iter().any(|c| c.text == stem) => {
                u.clauses[i] = plain(&stem, true, 1.0);
            }
            _ => {
                u.clauses.remove(i);
            }
        }
    }
}

/// The kanji of a word written as kanji then hiragana (利用したい → 利用), else `None`.
fn kanji_before_kana(word: &str) -> Option<&str> {
    let end = word.find(|c: char| !super::analyzer::is_kanji(c))?;
    let (kanji, kana) = word.split_at(end);
    (!kanji.is_empty() && is_hiragana(kana)).then_some(kanji)
}

/// Drops variants that contain a shorter variant: whatever matches them matches the shorter
/// one too, so they add term lookups and no recall. The typed spelling is always kept.
fn prune_variants(mut c: Clause) -> Clause {
    let mut by_len = c.variants.clone();
    by_len.sort_by_key(|v| v.chars().count());
    let mut kept: Vec<String> = Vec::new();
    for v in by_len {
        if v == c.text || !kept.iter().any(|k| v.contains(k.as_str())) {
            kept.push(v);
        }
    }
    c.variants.retain(|v| kept.contains(v));
    c
}

fn push(u: &mut Understood, clause: Clause) {
    let clause = prune_variants(clause);
    if let Some(existing) = u.clauses.iter_mut().find(|c| c.text == clause.text) {
        existing.required |= clause.required;
        return;
    }
    u.clauses.push(clause);
}

fn plain(text: &str, required: bool, weight: f32) -> Clause {
    Clause {
        text: text.to_string(),
        variants: vec![text.to_string()],
        meanings: vec![],
        required,
        weight,
    }
}

/// A required clause for a word the vocabulary knows: its concept's variants and meanings.
fn known(text: &str, concept: Concept) -> Clause {
    Clause {
        text: text.to_string(),
        variants: concept.variants,
        meanings: concept.meanings,
        required: true,
        weight: 1.0,
    }
}

/// One word, stage by stage: a word asking for a main window (名古屋市役所, 代表), a whole word
/// that names an area or a known concept, the last word still being typed in kana or romaji,
/// romaji, else its pieces (an area name inside, known words, what is left).
fn understand_word(vocab: &Vocabulary, word: &str, last: bool, u: &mut Understood) {
    if is_filler(word) && vocab.concept(word).is_none() {
        return;
    }
    // Romaji (IME off): also try the kana reading; English words stay as typed too.
    let kana = romaji_to_kana(word)
        .map(|k| normalize(&k))
        .filter(|k| k != word);
    match window_word(vocab, word, kana.as_deref()) {
        // 名古屋市役所, はちのへしやくしょ: the area, and its window asked for.
        Some(WindowWord::After { name, area }) => {
            if u.area.is_none() {
                u.area = Some(area);
                u.area_word = Some(name.to_string());
            }
            push(u, area_text(vocab, name, None));
            u.window.get_or_insert_default().area.get_or_insert(area);
            return;
        }
        // 代表, やくしょ: understood as any word, and noted — it is not text once the window
        // of the search's area is taken.
        Some(WindowWord::Alone) => {
            let before = u.clauses.len();
            understand_plain_word(vocab, word, kana.as_deref(), last, u);
            let texts: Vec<String> = u.clauses[before..].iter().map(|c| c.text.clone()).collect();
            u.window.get_or_insert_default().words.extend(texts);
            return;
        }
        None => {}
    }
    understand_plain_word(vocab, word, kana.as_deref(), last, u);
}

/// A word that asks for a main window (see [`super::windows`]).
enum WindowWord<'a> {
    /// A window word alone (代表, しやくしょ).
    Alone,
    /// An area's name ending with a window word (名古屋市役所 → 名古屋市; typed in kana or
    /// romaji too: はちのへしやくしょ, nagoyashiyakusho → はちのへし).
    After {
        /// The area's name as typed.
        name: &'a str,
        /// The area.
        area: AreaIdx,
    },
}

/// Whether a word (or its kana, typed in romaji) asks for a main window.
fn window_word<'a>(
    vocab: &Vocabulary,
    word: &'a str,
    kana: Option<&'a str>,
) -> Option<WindowWord<'a>> {
    let mut alone = false;
    for spelling in std::iter::once(word).chain(kana) {
        for rest in super::windows::before_window_words(spelling) {
            if rest.is_empty() {
                alone = true;
            } else if let Some(area) = vocab.area_word(rest) {
                return Some(WindowWord::After { name: rest, area });
            }
        }
    }
    alone.then_some(WindowWord::Alone)
}

/// A word, stage by stage, once it is not a window word (see [`understand_word`]).
fn understand_plain_word(
    vocab: &Vocabulary,
    word: &str,
    kana: Option<&str>,
    last: bool,
    u: &mut Understood,
) {
    if understand_whole(vocab, word, kana, u) {
        return;
    }
    if last && understand_being_typed(vocab, word, kana, u) {
        return;
    }
    match kana {
        Some(k) => understand_romaji(vocab, word, k, u),
        None => understand_pieces(vocab, word, u),
    }
}

/// The last word, typed in kana or romaji, that is the start of a known word (こきゆ of
/// こきゆうき, しよおとすて of しよおとすてい): it means what it will most likely become, so
/// the list does not empty while the word is being typed. Returns whether it was one.
fn understand_being_typed(
    vocab: &Vocabulary,
    word: &str,
    kana: Option<&str>,
    u: &mut Understood,
) -> bool {
    let Some((_, concept)) = vocab.completion(kana.unwrap_or(word)) else {
        return false;
    };
    let mut variants = vec![word.to_string()];
    variants.extend(kana.map(str::to_string));
    variants.extend(concept.variants);
    push(
        u,
        Clause {
            text: word.to_string(),
            variants,
            meanings: concept.meanings,
            required: true,
            weight: 1.0,
        },
    );
    true
}

/// Romaji that is not one known word: known words typed without spaces (`houkagodei` is
/// `houkago dei`), else the kana read as Japanese text (pieces), the romaji also matching as
/// typed where nothing in it is known.
fn understand_romaji(vocab: &Vocabulary, word: &str, kana: &str, u: &mut Understood) {
    if let Some(pieces) = vocab.cover(kana) {
        for (text, concept) in pieces {
            push(u, known(text, concept));
        }
        return;
    }
    let before = u.clauses.len();
    understand_pieces(vocab, kana, u);
    // Nothing known in it: the romaji as typed is a spelling too (an English word).
    if let [only] = &mut u.clauses[before..]
        && only.required
        && only.meanings.is_empty()
        && only.text == kana
    {
        only.variants.push(word.to_string());
    }
}

/// An area word as optional text: as typed, and — typed in kana or romaji — as its areas'
/// names are written (tyuuou → 中央: 中央こども園 ranks first).
fn area_text(vocab: &Vocabulary, word: &str, kana: Option<&str>) -> Clause {
    let mut clause = plain(word, false, 1.0);
    for reading in std::iter::once(word).chain(kana) {
        for n in vocab.area_spellings(reading) {
            if !clause.variants.contains(n) {
                clause.variants.push(n.clone());
            }
        }
    }
    clause
}

/// A whole word that names an area, a known concept, or romaji. Returns whether it was one.
fn understand_whole(
    vocab: &Vocabulary,
    word: &str,
    kana: Option<&str>,
    u: &mut Understood,
) -> bool {
    // A whole word naming an area: an area boost, and optional text.
    if let Some(area) = vocab
        .area_word(word)
        .or_else(|| kana.and_then(|k| vocab.area_word(k)))
    {
        if u.area.is_none() {
            u.area = Some(area);
            u.area_word = Some(word.to_string());
        }
        push(u, area_text(vocab, word, kana));
        return true;
    }
    // A whole word the vocabulary knows (romaji means its kana: that is the spelling typed).
    let known = match (vocab.concept(word), kana) {
        (Some(c), _) => Some((word, c)),
        (None, Some(k)) => vocab
            .concept(k)
            .map(|c| (k, c))
            .or_else(|| vocab.concept_of_romaji(k)),
        (None, None) => None,
    };
    if let Some((typed, concept)) = known {
        let mut variants = concept.variants;
        if let Some(k) = kana
            && !variants.iter().any(|v| v == k)
        {
            variants.push(k.to_string());
        }
        if !variants.iter().any(|v| v == word) {
            variants.push(word.to_string());
        }
        push(
            u,
            Clause {
                text: typed.to_string(),
                variants,
                meanings: concept.meanings,
                required: true,
                weight: 1.0,
            },
        );
        return true;
    }
    // A word naming several areas (北区): it only ranks, and the choice is offered.
    if let Some(areas) = vocab
        .ambiguous_area_word(word)
        .or_else(|| kana.and_then(|k| vocab.ambiguous_area_word(k)))
    {
        u.ambiguous_area
            .get_or_insert_with(|| (word.to_string(), areas.to_vec()));
        push(u, area_text(vocab, word, kana));
        return true;
    }
    false
}

/// A word that is not known as a whole: an area name inside it (品川区で人工呼吸器の…,
/// 八王子に引っ越します), the known words it is made of, the start of a known word at its end,
/// and the leftovers.
fn understand_pieces(vocab: &Vocabulary, word: &str, u: &mut Understood) {
    let mut rest: Vec<&str> = vec![word];
    // A full name anywhere (品川区で…), else a short one before a particle (八王子に…).
    let area_inside = vocab
        .area_inside(word)
        .map(|(range, area)| (range, vec![area]))
        .or_else(|| {
            vocab
                .area_name_before_particle(word)
                .map(|(range, areas)| (range, areas.to_vec()))
        });
    if let Some((range, areas)) = area_inside.clone() {
        let name = &word[range.clone()];
        match areas.as_slice() {
            [area] if u.area.is_none() => {
                u.area = Some(*area);
                u.area_word = Some(name.to_string());
            }
            [_] => {}
            _ => {
                u.ambiguous_area
                    .get_or_insert_with(|| (name.to_string(), areas.clone()));
            }
        }
        rest = vec![&word[..range.start], &word[range.end..]];
        push(u, plain(name, false, 1.0));
    }
    let (mut found_known, mut leftovers) = known_pieces(vocab, &rest, u);
    if !found_known
        && let Some(&last) = leftovers.last()
        && let Some(tail) = vocab.known_prefix_at_end(last)
    {
        // The word ends with the start of a known word (the clerk is still typing it, as in
        // 和木町に住んでいますがコーディネ): that start must match; the rest only ranks.
        let rest = &last[..last.len() - tail.len()];
        leftovers.pop();
        if !rest.is_empty() {
            leftovers.push(rest);
        }
        push(u, plain(tail, true, 1.0));
        found_known = true;
    }
    if !found_known && area_inside.is_none() {
        match sentence_parts(word) {
            // Nothing known: the word must appear as typed (an exact substring) — also a
            // short phrase whose kanji stand alone between kana (守る会: 守, 会), which would
            // otherwise require nothing and list every record.
            None => push(u, plain(word, true, 1.0)),
            Some(parts) if parts.is_empty() => push(u, plain(word, true, 1.0)),
            // A clause of a sentence (都の制度は使えますか): its words in kanji must appear,
            // and the clause as written ranks first.
            Some(parts) => {
                for p in &parts {
                    push(u, plain(p, true, 1.0));
                }
                if word.chars().count() <= WHOLE_WORD_PHRASE_MAX_CHARS {
                    push(u, plain(word, false, 2.0));
                }
            }
        }
        return;
    }
    // The whole word as a phrase still ranks exact names first (医療ショートステイ).
    // (Up to the length of a long name: a longer word is a sentence, never a name, and its
    // phrase would cost a position check of dozens of bigrams per candidate.)
    let chars = word.chars().count();
    if found_known
        && leftovers.iter().any(|l| !l.is_empty())
        && (3..=WHOLE_WORD_PHRASE_MAX_CHARS).contains(&chars)
    {
        push(u, plain(word, false, 2.0));
    }
    for l in leftovers {
        let n = l.chars().count();
        if n == 0 || (is_hiragana(l) && n <= PARTICLE_MAX_CHARS) || is_filler(l) {
            continue;
        }
        // With known words around it, a leftover only ranks; alone (beside an area name) it
        // must match — the words in kanji of a clause of a sentence (に引っ越します has none).
        match sentence_parts(l) {
            // A name whose kanji stand alone between kana (一の谷 after 春日市: a street, as a
            // separate word would be) must appear as typed, or it would require nothing. (A
            // clause such as に引っ越します begins or ends in kana.)
            Some(parts) if !found_known && parts.is_empty() && kanji_at_both_ends(l) => {
                push(u, plain(l, true, 1.0))
            }
            Some(parts) if !found_known => {
                for p in &parts {
                    push(u, plain(p, true, 1.0));
                }
                push(u, plain(l, false, 1.0));
            }
            _ => push(u, plain(l, !found_known, 1.0)),
        }
    }
}

/// Whether a word begins and ends with a kanji (一の谷, 木の下), as a name does and a clause of
/// a sentence (に引っ越します, 受診した) does not.
fn kanji_at_both_ends(word: &str) -> bool {
    let is_kanji = super::analyzer::is_kanji;
    word.chars().next().is_some_and(is_kanji) && word.chars().last().is_some_and(is_kanji)
}

/// The words in kanji (or Latin letters and digits) of a clause of a sentence — a word in which
/// kana stand between two of them (都の制度は使えますか → 制度; に引っ越します → none) — or
/// `None` for a word that is not one (ほのぼの相談室, 相談支援事業所えがお, 梅ヶ丘 — whose ヶ
/// joins two kanji of a place name —: a name is typed as written). Words of one kanji (都, 引) are left out: alone they match nearly everything.
/// (Normalized text has its katakana folded to hiragana, so a katakana word in a sentence
/// counts as kana here.)
fn sentence_parts(word: &str) -> Option<Vec<&str>> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    // Kana is a particle, except the joining kana of a place name between two kanji (梅ヶ丘,
    // 霞ヶ関: normalized 梅け丘), which is part of the word as the index has it.
    let join = |i: usize| {
        matches!(chars[i].1, 'け' | 'か' | 'が')
            && i > 0
            && super::analyzer::is_kanji(chars[i - 1].1)
            && chars
                .get(i + 1)
                .is_some_and(|&(_, c)| super::analyzer::is_kanji(c))
    };
    let content = |i: usize| {
        let c = chars[i].1;
        (!super::vocab::is_hiragana(c) && c != 'ー') || join(i)
    };
    let first = (0..chars.len()).position(content)?;
    let last = (0..chars.len()).rposition(content)?;
    if (first..last).all(content) {
        return None;
    }
    let mut parts = Vec::new();
    let mut start: Option<usize> = None;
    for i in 0..=chars.len() {
        let inside = i < chars.len() && content(i);
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let end = chars.get(i).map_or(word.len(), |&(b, _)| b);
                parts.push(&word[chars[s].0..end]);
                start = None;
            }
            _ => {}
        }
    }
    parts.retain(|p| p.chars().count() >= 2);
    Some(parts)
}

/// Pushes the known words found in `parts` as required clauses; returns whether there was
/// one, and the pieces left over, in order.
fn known_pieces<'a>(
    vocab: &Vocabulary,
    parts: &[&'a str],
    u: &mut Understood,
) -> (bool, Vec<&'a str>) {
    let mut found_known = false;
    let mut leftovers = Vec::new();
    for &part in parts.iter().filter(|p| !p.is_empty()) {
        for piece in vocab.segment(part) {
            match piece {
                Ok((text, concept)) => {
                    found_known = true;
                    push(u, known(text, concept));
                }
                Err(text) => leftovers.push(text),
            }
        }
    }
    (found_known, leftovers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn understood(q: &str) -> Understood {
        let catalog = crate::testing::bundled();
        understand(&Vocabulary::new(&catalog), q)
    }

    fn required(u: &Understood) -> Vec<String> {
        u.clauses
            .iter()
            .filter(|c| c.required)
            .map(|c| c.text.clone())
            .collect()
    }

    #[test]
    fn filler_table() {
        let cases: &[(&str, bool)] = &[
            ("探しています", true),
            ("ありますか", true),
            ("教えてください", true),
            ("についてです", true),
            ("いいところはありますか", true),
            ("はは", false),
            ("かに", false),
            ("通所", false),
            ("相談したい", false),
            ("", false),
        ];
        for (word, want) in cases {
            assert_eq!(is_filler(&normalize(word)), *want, "{word}");
        }
    }

    #[test]
    fn a_verb_of_a_sentence_is_searched_by_its_kanji() {
        // 受診した: a record says 受診; 利用した: 利用 says nothing in particular; 住んでいて: 住
        // alone would match nearly everything.
        for (q, want) in [
            (
                "品川区 人工呼吸器 ショートステイ 受診した",
                &["人工呼吸器", "ショートステイ", "受診"][..],
            ),
            (
                "品川区 人工呼吸器 ショートステイ 利用した",
                &["人工呼吸器", "ショートステイ"],
            ),
        ] {
            let u = understood(q);
            let want: Vec<String> = want.iter().map(|w| normalize(w)).collect();
            assert_eq!(required(&u), want, "{q}: {u:?}");
        }
        let u = understood("和木町 に 住んでいて 医療的ケア児 コーディネーター を 探しています");
        assert!(u.clauses.iter().all(|c| !c.text.contains('住')), "{u:?}");
        // Not in a query of two words: 利用した may be all the clerk has typed so far.
        let u = understood("ショートステイ 利用した");
        assert!(required(&u).contains(&normalize("利用した")), "{u:?}");
    }

    #[test]
    fn a_street_written_after_its_town_must_match_as_typed() {
        // 一の谷's kanji stand alone between kana: as a sentence's words it required nothing,
        // and the town's 放デイ came first instead of the office on that street.
        let u = understood("春日市一の谷 放デイ");
        assert!(u.area.is_some(), "{u:?}");
        assert!(required(&u).contains(&normalize("一の谷")), "{u:?}");
        // A clause after a place name is not a street.
        let u = understood("八王子に引っ越します");
        assert!(u.area.is_some(), "{u:?}");
        assert!(required(&u).is_empty(), "{u:?}");
    }

    #[test]
    fn a_type_name_written_with_a_space_names_the_type() {
        for q in [
            "大玉村 放課後 デイサービス",
            "大玉村 短期 入所",
            "保育所等 訪問支援",
            "大玉村で放課後 デイサービス",
        ] {
            let u = understood(q);
            assert_ne!(u.service_types, 0, "{q}: {u:?}");
            assert_eq!(required(&u).len(), 1, "{q}: {u:?}");
        }
        // Words that are no name together stay apart, and so do words a name only straddles.
        let u = understood("放課後 人工呼吸器");
        assert_eq!(required(&u).len(), 2, "{u:?}");
        let u = understood("障害児 発達障害");
        assert_eq!(u.service_types, 0, "{u:?}");
    }

    #[test]
    fn a_type_typed_as_its_reading_names_the_type() {
        for q in ["札幌市 ほうでい", "じはつ", "ほうでい"] {
            assert_ne!(understood(q).service_types, 0, "{q}");
        }
        // A word in kanji whose spellings include a type's name is not its reading.
        assert_eq!(understood("療育").service_types, 0);
    }

    #[test]
    fn kana_in_a_verb_is_not_a_two_character_key() {
        // でい (デイ, day service) is not a word in 住んでいます.
        let u = understood("和木町に住んでいますがコーディネーター");
        assert!(u.area.is_some());
        assert_eq!(required(&u), vec![normalize("コーディネーター")]);
    }

    #[test]
    fn the_word_being_typed_matches_as_the_start_of_a_known_word() {
        // Mid-keystroke: コーディネ is not a word yet, but it starts one; it must match and the
        // sentence before it only ranks (no dead end while typing).
        let u = understood("和木町に住んでいますがコーディネ");
        assert_eq!(required(&u), vec![normalize("コーディネ")]);
        // A word that starts no known word still has to match as typed.
        let u = understood("ぴよぴよ");
        assert_eq!(required(&u), vec!["ぴよぴよ"]);
    }

    /// A short name (no 市/区/町) in a sentence names its area when a particle or a word of
    /// place follows it; a kanji run that only starts with a name, or a name followed by
    /// other kana, does not.
    #[test]
    fn short_area_names_in_sentences_table() {
        let catalog = crate::testing::bundled();
        let vocab = Vocabulary::new(&catalog);
        let area = |name: &str| Some(catalog.areas.index_of(name).unwrap());
        let cases: &[(&str, Option<&str>)] = &[
            ("八王子に引っ越します。都の制度は使えますか", Some("13201")),
            ("八王子の訪問看護", Some("13201")),
            ("品川に住んでいます ショートステイ", Some("13109")),
            ("来月から品川在住です", Some("13109")),
            ("しながわの訪問看護", None),
            // Romaji as it is usually written, without long vowels.
            ("shunan soudan", Some("35215")),
            ("kudamatsu", Some("35207")),
            ("osaka no tanki nyuusho", Some("27")),
            ("国立成育医療研究センター", None),
            ("長生きの秘訣", None),
            ("市の中央の窓口", None),
            ("国立の病院で相談", None),
            ("東北の支援", None),
            ("訪問看護", None),
        ];
        for (q, want) in cases {
            let u = understand(&vocab, q);
            assert_eq!(u.area, want.and_then(area), "{q}");
        }
        // 北区に names several areas: none is guessed, the choice is offered; a bare stem of
        // several (中央の) is an ordinary word, offered nothing.
        let u = understand(&vocab, "北区に住んでいます");
        assert_eq!(u.area, None);
        assert!(
            u.ambiguous_area.as_ref().is_some_and(|(_, a)| a.len() > 1),
            "{u:?}"
        );
        let u = understand(&vocab, "市の中央の窓口");
        assert_eq!(u.ambiguous_area, None, "{u:?}");
    }

    /// A name shared by a prefecture and its own city (山口, 福岡, 大阪) names the prefecture,
    /// which holds the city, as 岩国 names 岩国圏域: no choice to make. Other shared names
    /// (北区) still offer one.
    #[test]
    fn a_prefecture_and_its_city_of_the_same_name_mean_the_prefecture() {
        let catalog = crate::testing::bundled();
        let vocab = Vocabulary::new(&catalog);
        let iwakuni_region = catalog.resolve_area("岩国圏域").unwrap();
        let u = understand(&vocab, "レスパイト 宿泊 岩国");
        assert_eq!(
            u.area,
            Some(iwakuni_region),
            "a region and its city: the region"
        );
        for (q, want) in [
            ("山口 ショートステイ", "35"),
            ("福岡の医療型短期入所", "40"),
        ] {
            let u = understand(&vocab, q);
            assert_eq!(u.area, catalog.areas.index_of(want), "{q}");
            assert_eq!(u.ambiguous_area, None, "{q}");
        }
        let u = understand(&vocab, "北区 相談");
        assert_eq!(u.area, None);
        assert!(u.ambiguous_area.is_some());
    }

    /// A place written with its prefecture (and 郡), with or without spaces, names that
    /// municipality, not the prefecture — even where the name alone is several (川上村).
    #[test]
    fn a_prefecture_and_its_municipality_in_the_text_table() {
        let catalog = crate::testing::bundled();
        let vocab = Vocabulary::new(&catalog);
        let cases: &[(&str, &str)] = &[
            ("青森県八戸市の医療型児童発達支援", "02203"),
            ("奈良県川上村の放課後等デイサービス", "29452"),
            ("奈良県 川上村 放課後等デイサービス", "29452"),
            ("長野県川上村 短期入所", "20304"),
            ("横浜市 港北区 放デイ", "14109"),
            ("山口県大島郡周防大島町 短期入所", "35305"),
            ("山口県 大島郡 周防大島町 相談", "35305"),
            ("大島郡周防大島町の相談", "35305"),
            // The 郡 the data does not know, as an address writes it.
            ("和歌山県伊都郡九度山町 放課後等デイサービス", "30343"),
            ("東京都西多摩郡瑞穂町の放デイ", "13303"),
        ];
        for (q, id) in cases {
            let u = understand(&vocab, q);
            assert_eq!(u.area, catalog.areas.index_of(id), "{q}: {u:?}");
            assert_eq!(u.ambiguous_area, None, "{q}");
        }
        // The name alone is still two villages.
        let u = understand(&vocab, "川上村 放デイ");
        assert_eq!(u.area, None);
        assert_eq!(u.ambiguous_area.map(|(_, a)| a.len()), Some(2));
        // Words that only sit side by side are not joined (品川区 and a service).
        let u = understand(&vocab, "品川区 ショートステイ");
        assert_eq!(u.area, catalog.areas.index_of("13109"));
        assert!(u.clauses.iter().any(|c| c.required), "{u:?}");
    }

    #[test]
    fn unsearchable_text_table() {
        for (text, want) in [
            ("🙂", true),
            ("！？", true),
            ("・・・ 。", true),
            ("", false),
            ("  ", false),
            ("相談", false),
            ("🙂相談", false),
            ("a", false),
            ("１", false),
        ] {
            assert_eq!(is_unsearchable(text), want, "{text:?}");
        }
    }

    /// A place read in two kana beside a service word is the place (issue 24: `iki
    /// ryoyokaigo` was いきがい and 茨城, `waki kodineta` いわき); alone, or beside a word the
    /// vocabulary does not know, it stays text.
    #[test]
    fn a_short_reading_beside_a_service_word_is_the_place() {
        let catalog = crate::testing::bundled();
        let vocab = Vocabulary::new(&catalog);
        let coordinator = understand(&vocab, "コーディネーター").clauses[0]
            .meanings
            .clone();
        assert!(!coordinator.is_empty());
        for (q, id) in [
            ("iki ryoyokaigo", "42210"),
            ("いき 療養介護", "42210"),
            ("ryoyokaigo iki", "42210"),
            ("waki kodineta", "35321"),
            ("wakicho kodineta", "35321"),
            ("わき コーディネーター", "35321"),
            ("waki shootosutei", "35321"),
        ] {
            let u = understand(&vocab, q);
            assert_eq!(u.area, catalog.areas.index_of(id), "{q}: {u:?}");
            assert!(
                u.clauses
                    .iter()
                    .any(|c| c.required && !c.meanings.is_empty()),
                "{q}: {u:?}"
            );
        }
        for q in ["waki kodineta", "wakicho kodineta"] {
            let u = understand(&vocab, q);
            let required: Vec<_> = u.clauses.iter().filter(|c| c.required).collect();
            assert_eq!(required.len(), 1, "{q}: {u:?}");
            assert_eq!(required[0].meanings, coordinator, "{q}: {u:?}");
        }
        for q in ["iki", "いき", "waki", "iki zzz"] {
            assert_eq!(understand(&vocab, q).area, None, "{q}");
        }
    }

    /// Romaji as it is usually written (Hepburn, long vowels left out) means the same word as
    /// with them: kokyuki is こきゅうき (人工呼吸器), jushin is じゅうしん (重心).
    #[test]
    fn romaji_without_long_vowels_means_the_known_word() {
        let catalog = crate::testing::bundled();
        let vocab = Vocabulary::new(&catalog);
        for (typed, with_long_vowels) in [("kokyuki", "kokyuuki"), ("jushin", "juushin")] {
            let short = understand(&vocab, typed);
            let long = understand(&vocab, with_long_vowels);
            assert!(!long.clauses[0].meanings.is_empty(), "{with_long_vowels}");
            assert_eq!(
                short.clauses[0].meanings, long.clauses[0].meanings,
                "{typed}"
            );
        }
    }
}
