//! The search vocabulary: every word the directory knows a meaning for — area names and
//! readings, care types, needs, glossary terms — with the variants a query word expands to.
//! Built once per catalog; used to understand queries (see `query.rs`).

use std::collections::HashMap;
use std::sync::Arc;

use super::analyzer::{KnownWords, is_kanji};
use crate::directory::{AreaIdx, AreaLevel, Catalog, Facet};
use crate::text::normalize::normalize;
use crate::text::romaji::{without_any_long_vowels, without_long_vowels};

/// What a known word means.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Meaning {
    /// A taxonomy term (care type or need), by facet and id.
    Term(Facet, String),
    /// A glossary entry, by index.
    Glossary(usize),
    /// A taxonomy term a glossary word implies (居宅訪問型 → child-development): it matches the
    /// tag too, but weighs less than the word itself, which names the service exactly.
    Implied(Facet, String),
}

/// A known word found in a query, with every normalized spelling it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concept {
    /// The meanings (a word can be both a need alias and a glossary variant).
    pub meanings: Vec<Meaning>,
    /// Normalized variants to match in text, longest first, deduplicated.
    pub variants: Vec<String>,
}

/// Lookups from normalized words to meanings. Kept in the on-disk cache with the index it
/// was built with (building it normalizes every area name and reading: ~6 ms) — so a change
/// to how it is built must bump [`super::cache::FORMAT_VERSION`], or caches built before it
/// keep the old vocabulary.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Vocabulary {
    /// Normalized key → meanings.
    words: HashMap<String, Vec<Meaning>>,
    /// Normalized variants of each meaning.
    variants: HashMap<MeaningKey, Vec<String>>,
    /// Normalized key → taxonomy terms a glossary word implies (相談支援専門員 → consultation):
    /// meanings that match tags but add none of the term's words as variants.
    implied: HashMap<String, Vec<Meaning>>,
    /// Normalized key → area, for whole-word area detection (names, stems, readings); a key
    /// that names several areas (北区, 府中市) names none here, unless one holds the others
    /// (山口 → 山口県): it is never guessed.
    area_words: HashMap<String, AreaIdx>,
    /// Keys that name several areas (北区 → 東京都北区, 大阪市北区 …), to offer the choice.
    ambiguous_area_words: HashMap<String, Vec<AreaIdx>>,
    /// A reading of an area (kana, and as romaji without long vowels) → its names in kanji
    /// without their ending (ちゅうおう → 中央): an area word typed in kana or romaji is also
    /// text spelled that way (tyuuou kodomoen is 中央こども園).
    #[serde(default)]
    area_spellings: HashMap<String, Vec<String>>,
    /// Normalized full names with a suffix (品川区, 下関市), detected inside longer words;
    /// only names of one area (府中市 names two and is left out).
    area_full_names: Vec<(String, AreaIdx)>,
    /// Readings of two kana that name one area (いき → 壱岐市, わき → 和木町): ordinary words
    /// far more often than a place, so not area words — but the place beside a service word
    /// (`iki ryoyokaigo`, `waki kodineta`; see `query.rs`).
    #[serde(default)]
    short_readings: HashMap<String, AreaIdx>,
    /// A leftmost-longest automaton over `area_full_names`, built on first use.
    #[serde(skip)]
    area_finder: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
    /// The keys that are names with their prefecture (奈良県川上村, sorted): area words like the
    /// others, but not known words of the index (they would only lengthen its token list —
    /// an address holds its prefecture and municipality as words already).
    prefixed_names: Vec<String>,
    /// Longest key in characters, to bound substring scans.
    max_key_chars: usize,
    /// The keys of `words`, sorted, for completing a word being typed.
    sorted_words: Vec<String>,
    /// Kana keys of `words` as romaji usually writes them, without long vowels (じゅしん for
    /// じゅうしん, 重心; こでいねた for こおでいねえたあ, コーディネーター) → the key; for romaji query words only (a kana word typed as such is
    /// meant as written).
    romaji_words: HashMap<String, String>,
    /// What each service type of the directory is, as words (see
    /// [`super::services::described_by`]).
    #[serde(default)]
    service_texts: super::services::ServiceTexts,
    /// Words (and their prefixes) indexed as single tokens.
    #[serde(with = "known_words_serde")]
    known: std::sync::OnceLock<Arc<KnownWords>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
enum MeaningKey {
    Term(Facet, String),
    Glossary(usize),
}

fn key(m: &Meaning) -> MeaningKey {
    match m {
        Meaning::Term(f, id) | Meaning::Implied(f, id) => MeaningKey::Term(*f, id.clone()),
        Meaning::Glossary(i) => MeaningKey::Glossary(*i),
    }
}

/// The known words are kept with the vocabulary (built first if they were not yet).
mod known_words_serde {
    use std::sync::{Arc, OnceLock};

    use super::KnownWords;

    pub fn serialize<S: serde::Serializer>(
        known: &OnceLock<Arc<KnownWords>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&known.get().map(|k| &**k), s)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<OnceLock<Arc<KnownWords>>, D::Error> {
        let known: Option<KnownWords> = serde::Deserialize::deserialize(d)?;
        let cell = OnceLock::new();
        if let Some(k) = known {
            let _ = cell.set(Arc::new(k));
        }
        Ok(cell)
    }
}

/// Records that `key` names area `i`; a key already naming another area names none.
fn one_area(map: &mut HashMap<String, Option<AreaIdx>>, key: String, i: AreaIdx) {
    map.entry(key)
        .and_modify(|a| {
            if *a != Some(i) {
                *a = None;
            }
        })
        .or_insert(Some(i));
}

/// The normalized names of area `i` with its prefecture before them: the full name (奈良県川上村,
/// 大阪府大阪市北区) and, where the data knows its 郡, with it (山口県大島郡周防大島町). None for
/// the country and the prefectures.
fn prefixed_names(tree: &crate::directory::AreaTree, i: AreaIdx) -> Vec<String> {
    let a = tree.at(i);
    let Some(p) = tree.prefecture_of(i).filter(|&p| p != i) else {
        return vec![];
    };
    let pref = &tree.at(p).name;
    let mut out = vec![normalize(&format!("{pref}{}", a.name))];
    if let Some(d) = tree.district_of(i) {
        out.push(normalize(&format!("{pref}{d}{}", a.name)));
    }
    out
}

/// Shortest key (in characters) looked for inside a longer word; shorter ones only match whole words.
const MIN_INNER_KEY_CHARS: usize = 2;

impl Vocabulary {
    /// The service types the words of `clauses` describe together (see
    /// [`super::services::described_by`]).
    pub fn described_service_types(&self, clauses: &[super::query::Clause]) -> u64 {
        super::services::described_by(clauses, &self.service_texts)
    }

    /// Builds the vocabulary of a catalog.
    pub fn new(catalog: &Catalog) -> Self {
        let mut v = Vocabulary {
            words: HashMap::new(),
            variants: HashMap::new(),
            implied: HashMap::new(),
            area_words: HashMap::new(),
            ambiguous_area_words: HashMap::new(),
            area_spellings: HashMap::new(),
            area_full_names: Vec::new(),
            short_readings: HashMap::new(),
            area_finder: std::sync::OnceLock::new(),
            prefixed_names: Vec::new(),
            max_key_chars: 0,
            sorted_words: Vec::new(),
            romaji_words: HashMap::new(),
            service_texts: super::services::ServiceTexts::new(&catalog.dir.service_types),
            known: std::sync::OnceLock::new(),
        };
        for facet in [Facet::CareType, Facet::Need] {
            for t in catalog.terms(facet) {
                let m = Meaning::Term(facet, t.id.clone());
                let spellings: Vec<&str> = std::iter::once(t.label.as_str())
                    .chain(std::iter::once(t.kana.as_str()))
                    .chain(t.aliases.iter().map(String::as_str))
                    .chain(label_parts(&t.label))
                    .collect();
                v.add(m, &spellings);
            }
        }
        for (i, g) in catalog.dir.glossary.iter().enumerate() {
            let spellings: Vec<&str> = std::iter::once(g.term.as_str())
                .chain(g.kana.as_deref())
                .chain(g.aliases.iter().map(String::as_str))
                .collect();
            v.add(Meaning::Glossary(i), &spellings);
            let implied: Vec<Meaning> = g
                .needs
                .iter()
                .map(|id| Meaning::Implied(Facet::Need, id.clone()))
                .chain(
                    g.care_types
                        .iter()
                        .map(|id| Meaning::Implied(Facet::CareType, id.clone())),
                )
                .collect();
            if !implied.is_empty() {
                for s in &spellings {
                    let e = v.implied.entry(normalize(s)).or_default();
                    e.extend(
                        implied
                            .iter()
                            .filter(|m| !e.contains(m))
                            .cloned()
                            .collect::<Vec<_>>(),
                    );
                }
            }
        }
        let mut full_names: HashMap<String, Option<AreaIdx>> = HashMap::new();
        let mut named: HashMap<String, Vec<AreaIdx>> = HashMap::new();
        // Readings as romaji usually writes them, without long vowels (shunan → しゅなん for
        // しゅうなん, tokyo → ときょ): a key of their own unless it is another area's key.
        let mut romaji_spellings: HashMap<String, Vec<AreaIdx>> = HashMap::new();
        // Names and aliases without their ending (港 of 名古屋市港区's 港区, 中央 of 札幌市中央区's
        // 中央区): a short name some area is known by (港 for 東京都港区) names these too.
        let mut short_names: HashMap<String, Vec<AreaIdx>> = HashMap::new();
        // Readings of two kana (いき of 壱岐市, わき of 和木町): see `short_readings`.
        let mut short_readings: HashMap<String, Vec<AreaIdx>> = HashMap::new();
        for (i, a) in catalog.areas.areas().iter().enumerate() {
            if a.level == AreaLevel::Country {
                continue;
            }
            for stem in crate::directory::resolve::short_names(a) {
                let areas = short_names.entry(stem).or_default();
                if !areas.contains(&i) {
                    areas.push(i);
                }
            }
            // Ids are for --area only; in free text "13" is not Tokyo. No romaji keys: a
            // romaji query word is also looked up as kana. Kana keys of two characters
            // (わき, さい, いえ) are ordinary words far more often than a place.
            let kanji: Vec<String> = crate::directory::resolve::short_names(a)
                .into_iter()
                .filter(|n| !n.chars().all(is_hiragana))
                .collect();
            for k in crate::directory::resolve::text_keys(&a.name, &a.kana, &a.aliases) {
                if k.chars().count() <= 2 && k.chars().all(is_hiragana) {
                    let areas = short_readings.entry(k).or_default();
                    if !areas.contains(&i) {
                        areas.push(i);
                    }
                    continue;
                }
                if k.chars().all(is_hiragana) {
                    for key in std::iter::once(k.clone()).chain(without_long_vowels(&k)) {
                        let spellings = v.area_spellings.entry(key).or_default();
                        for n in &kanji {
                            if !spellings.contains(n) {
                                spellings.push(n.clone());
                            }
                        }
                    }
                }
                let areas = named.entry(k.clone()).or_default();
                if !areas.contains(&i) {
                    areas.push(i);
                }
                if let Some(short) = without_long_vowels(&k) {
                    let areas = romaji_spellings.entry(short).or_default();
                    if !areas.contains(&i) {
                        areas.push(i);
                    }
                }
            }
            let full = normalize(&a.name);
            if full.chars().count() >= 3 {
                one_area(&mut full_names, full, i);
            }
            // The name as an address writes it, with its prefecture (青森県八戸市, 奈良県川上村,
            // 山口県大島郡周防大島町): one area even where the name alone is several.
            for k in prefixed_names(&catalog.areas, i) {
                v.prefixed_names.push(k.clone());
                let areas = named.entry(k.clone()).or_default();
                if !areas.contains(&i) {
                    areas.push(i);
                }
                one_area(&mut full_names, k, i);
            }
        }
        for (k, areas) in short_names {
            if let Some(named) = named.get_mut(&k) {
                for a in areas {
                    if !named.contains(&a) {
                        named.push(a);
                    }
                }
            }
        }
        v.prefixed_names.sort();
        v.prefixed_names.dedup();
        v.sorted_words = v.words.keys().cloned().collect();
        v.sorted_words.sort();
        // Two words of one meaning (こおでいねえた, こおでいねえたあ) may share a short key:
        // it means the longest of them (the others are in it); words of different meanings
        // share none.
        let mut short: HashMap<String, Option<String>> = HashMap::new();
        for k in &v.sorted_words {
            for s in [without_long_vowels(k), without_any_long_vowels(k)]
                .into_iter()
                .flatten()
                .filter(|s| !v.words.contains_key(s))
            {
                let same = |w: &String| v.words.get(w) == v.words.get(k);
                short
                    .entry(s)
                    .and_modify(|w| match w {
                        Some(other) if same(other) => {
                            if other.len() < k.len() {
                                *other = k.clone();
                            }
                        }
                        _ => *w = None,
                    })
                    .or_insert_with(|| Some(k.clone()));
            }
        }
        v.romaji_words = short
            .into_iter()
            .filter_map(|(s, k)| Some((s, k?)))
            .collect();
        // A key names the area that holds every area it is a key of: the one area, or of a
        // name shared by an area and places in it (山口: 山口県 and 山口市; 岩国: 岩国圏域 and
        // 岩国市) the outer one; any other shared name (北区, 府中) is a choice.
        let tree = &catalog.areas;
        let holder = |areas: &[AreaIdx]| {
            areas.iter().copied().find(|&h| {
                areas
                    .iter()
                    .all(|&a| tree.self_and_ancestors(a).contains(&h))
            })
        };
        for (k, areas) in &named {
            if let Some(h) = holder(areas) {
                v.area_words.insert(k.clone(), h);
            }
        }
        // The romaji spellings, where no written key says otherwise (osaka → 大阪府).
        for (k, areas) in romaji_spellings {
            if !named.contains_key(&k)
                && let Some(h) = holder(&areas)
            {
                v.area_words.insert(k, h);
            }
        }
        for (k, areas) in short_readings {
            if !v.words.contains_key(&k)
                && !named.contains_key(&k)
                && let Some(h) = holder(&areas)
            {
                v.short_readings.insert(k, h);
            }
        }
        v.ambiguous_area_words = named
            .into_iter()
            .filter(|(k, _)| !v.area_words.contains_key(k))
            .collect();
        v.area_full_names = full_names
            .into_iter()
            .filter_map(|(k, a)| Some((k, a?)))
            .collect();
        v.area_full_names
            .sort_by(|(a, _), (b, _)| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        v
    }

    /// The known words (built on first use: with the national gazetteer they take ~10 ms,
    /// which the first frame, with an empty query, does not need).
    fn known(&self) -> &Arc<KnownWords> {
        self.known.get_or_init(|| {
            Arc::new(KnownWords::new(
                self.words
                    .keys()
                    .chain(self.area_words.keys())
                    .chain(self.area_full_names.iter().map(|(k, _)| k))
                    .filter(|k| self.prefixed_names.binary_search(k).is_err())
                    .map(String::as_str),
            ))
        })
    }

    fn add(&mut self, m: Meaning, spellings: &[&str]) {
        let mut normalized: Vec<String> = spellings
            .iter()
            .map(|s| normalize(s))
            .filter(|s| !s.is_empty())
            .collect();
        normalized.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        normalized.dedup();
        for n in &normalized {
            self.max_key_chars = self.max_key_chars.max(n.chars().count());
            let e = self.words.entry(n.clone()).or_default();
            if !e.contains(&m) {
                e.push(m.clone());
            }
        }
        self.variants.entry(key(&m)).or_default().extend(normalized);
    }

    /// The words worth indexing as single tokens (see [`KnownWords`]): every spelling of a
    /// care type, need or glossary term, and every area name and reading, with their prefixes.
    pub fn known_words(&self) -> Arc<KnownWords> {
        Arc::clone(self.known())
    }

    /// The longest end of `word` (three characters or more, shorter than the word) that is the
    /// start of a known word: what the clerk is still typing (…がこおでぃねえ of コーディネーター).
    pub fn known_prefix_at_end<'a>(&self, word: &'a str) -> Option<&'a str> {
        word.char_indices()
            .skip(1)
            .map(|(i, _)| &word[i..])
            .filter(|tail| tail.chars().count() >= 3)
            .find(|tail| self.known().contains(tail))
    }

    /// The word and concept of a romaji query word's kana written without long vowels (jushin →
    /// じゅしん → じゆうしん, 重心), if no word is spelled so.
    pub fn concept_of_romaji(&self, kana: &str) -> Option<(&str, Concept)> {
        let word = self.romaji_words.get(kana)?;
        Some((word.as_str(), self.concept(word)?))
    }

    /// The concept a normalized word stands for, if the vocabulary knows it.
    pub fn concept(&self, word: &str) -> Option<Concept> {
        let meanings = self.words.get(word)?.clone();
        let mut variants: Vec<String> = vec![word.to_string()];
        for m in &meanings {
            if let Some(vs) = self.variants.get(&key(m)) {
                variants.extend(vs.iter().cloned());
            }
        }
        let mut seen = std::collections::HashSet::new();
        variants.retain(|v| seen.insert(v.clone()));
        let mut meanings = meanings;
        for m in self.implied.get(word).into_iter().flatten() {
            if !meanings.contains(m) {
                meanings.push(m.clone());
            }
        }
        Some(Concept { meanings, variants })
    }

    /// The shortest known word that `prefix` (normalized kana, three characters or more, not
    /// itself a word) is the start of: what a word being typed in kana or romaji will most
    /// likely become (こきゆ → こきゆうき).
    pub fn completion(&self, prefix: &str) -> Option<(&str, Concept)> {
        if prefix.chars().count() < 3 || !prefix.chars().all(is_hiragana) {
            return None;
        }
        let from = self.sorted_words.partition_point(|w| w.as_str() < prefix);
        let word = self.sorted_words[from..]
            .iter()
            .take_while(|w| w.starts_with(prefix))
            .filter(|w| w.len() > prefix.len())
            .min_by_key(|w| (w.chars().count(), w.as_str()))?;
        Some((word.as_str(), self.concept(word)?))
    }

    /// Known words (two characters or more each) that together make up all of `word`, fewest
    /// pieces first: how romaji typed without spaces splits (ほうかごでい → ほうかご + でい).
    /// `None` when no such split exists, or the word is one known word.
    pub fn cover<'a>(&self, word: &'a str) -> Option<Vec<(&'a str, Concept)>> {
        let ends: Vec<usize> = word
            .char_indices()
            .map(|(i, _)| i)
            .chain([word.len()])
            .collect();
        let n = ends.len() - 1;
        // best[i]: fewest pieces covering the first i characters, and where the last starts.
        let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
        best[0] = Some((0, 0));
        for i in 0..n {
            let Some((pieces, _)) = best[i] else { continue };
            for j in (i + 2)..=(i + self.max_key_chars).min(n) {
                if self.words.contains_key(&word[ends[i]..ends[j]])
                    && best[j].is_none_or(|(p, _)| p > pieces + 1)
                {
                    best[j] = Some((pieces + 1, i));
                }
            }
        }
        let (pieces, _) = best[n]?;
        if pieces < 2 {
            return None;
        }
        let mut out = Vec::new();
        let mut j = n;
        while j > 0 {
            let (_, i) = best[j]?;
            let piece = &word[ends[i]..ends[j]];
            out.push((piece, self.concept(piece)?));
            j = i;
        }
        out.reverse();
        Some(out)
    }

    /// The names in kanji (without their ending) of the areas read `reading` (kana, as typed
    /// or from romaji): ちゆうおう → 中央.
    pub fn area_spellings(&self, reading: &str) -> &[String] {
        self.area_spellings.get(reading).map_or(&[], Vec::as_slice)
    }

    /// An area named by a whole normalized word (品川, しながわ, shinagawa, 品川区).
    pub fn area_word(&self, word: &str) -> Option<AreaIdx> {
        self.area_words.get(word).copied()
    }

    /// The one area a reading of two kana names (いき → 壱岐市), taken only beside a service
    /// word (see `short_readings`).
    pub fn short_reading(&self, word: &str) -> Option<AreaIdx> {
        self.short_readings.get(word).copied()
    }

    /// The areas a whole normalized word names when it names more than one (北区).
    pub fn ambiguous_area_word(&self, word: &str) -> Option<&[AreaIdx]> {
        self.ambiguous_area_words.get(word).map(Vec::as_slice)
    }

    /// A full area name with its suffix inside a longer word: byte range and area.
    pub fn area_inside(&self, word: &str) -> Option<(std::ops::Range<usize>, AreaIdx)> {
        let finder = self.area_finder.get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(self.area_full_names.iter().map(|(k, _)| k))
                .ok()
        });
        let m = finder.as_ref()?.find(word)?;
        Some((m.range(), self.area_full_names[m.pattern().as_usize()].1))
    }

    /// An area's short name written as a whole run of kanji and followed by a particle or a
    /// word of place (八王子に引っ越します, 品川の訪問看護, 来月から品川在住): its byte range, and
    /// the areas it names — one, or several when the name is ambiguous (北区に). Only names of
    /// two kanji or more; a longer run of kanji (国立成育医療) or another kana after the name
    /// (長生き) is not a place.
    pub fn area_name_before_particle(
        &self,
        word: &str,
    ) -> Option<(std::ops::Range<usize>, &[AreaIdx])> {
        let mut run_start = None;
        // A space after the end closes a run that ends the word (品川在住).
        for (i, c) in word.char_indices().chain([(word.len(), ' ')]) {
            match (is_kanji(c), run_start) {
                (true, None) => run_start = Some(i),
                (false, Some(s)) => {
                    run_start = None;
                    if let Some(found) = self.area_run(word, s..i) {
                        return Some(found);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The area named by the kanji run `run` of `word`, if a particle or a word of place
    /// follows it (or ends it: 品川在住).
    fn area_run<'a>(
        &'a self,
        word: &str,
        run: std::ops::Range<usize>,
    ) -> Option<(std::ops::Range<usize>, &'a [AreaIdx])> {
        let text = &word[run.clone()];
        let (name, followed) = match PLACE_WORDS.iter().find(|w| text.ends_with(*w)) {
            Some(w) => (&text[..text.len() - w.len()], true),
            None => (
                text,
                AREA_PARTICLES
                    .iter()
                    .any(|p| word[run.end..].starts_with(p)),
            ),
        };
        if !followed || name.chars().count() < 2 {
            return None;
        }
        let range = run.start..run.start + name.len();
        if ORDINARY_WORDS.contains(&name) {
            return None;
        }
        if let Some(area) = self.area_words.get(name) {
            return Some((range, std::slice::from_ref(area)));
        }
        // A name of several areas is offered as a choice only when written as a place (北区に);
        // a bare stem of several (中央の窓口, 大和の) is an ordinary word far more often.
        if !name.ends_with(AREA_SUFFIXES) {
            return None;
        }
        self.ambiguous_area_words
            .get(name)
            .map(|areas| (range, areas.as_slice()))
    }

    /// Splits a normalized word into known words and the text between them, longest match
    /// first from the left. Unknown stretches come back as `Err(text)`.
    pub fn segment<'a>(&self, word: &'a str) -> Vec<Result<(&'a str, Concept), &'a str>> {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        let mut out = Vec::new();
        let mut i = 0;
        let mut plain_start = 0;
        while i < chars.len() {
            let max = self.max_key_chars.min(chars.len() - i);
            let mut found = None;
            for len in (MIN_INNER_KEY_CHARS..=max).rev() {
                let start = chars[i].0;
                let end = chars.get(i + len).map_or(word.len(), |c| c.0);
                let piece = &word[start..end];
                // A two-character key in kana (normalized: hiragana) counts inside a longer
                // word only where it does not continue kana on either side: でい (デイ) is not
                // a word in 住んでいます. Longer kana keys (こおでぃねえたあ) are words anywhere.
                let hiragana_only = len <= 2 && piece.chars().all(is_hiragana);
                let before = i.checked_sub(1).map(|j| chars[j].1);
                let after = chars.get(i + len).map(|c| c.1);
                if hiragana_only
                    && (before.is_some_and(is_hiragana) || after.is_some_and(is_hiragana))
                {
                    continue;
                }
                if let Some(c) = self.concept(piece) {
                    found = Some((len, piece, c));
                    break;
                }
            }
            match found {
                Some((len, piece, concept)) => {
                    let start = chars[i].0;
                    if plain_start < start {
                        out.push(Err(&word[plain_start..start]));
                    }
                    out.push(Ok((piece, concept)));
                    i += len;
                    plain_start = chars.get(i).map_or(word.len(), |c| c.0);
                }
                None => i += 1,
            }
        }
        if plain_start < word.len() {
            out.push(Err(&word[plain_start..]));
        }
        out
    }
}

/// What follows a place's name in a sentence: 品川に, 品川の, 品川で, 品川から …
const AREA_PARTICLES: &[&str] = &[
    "に",
    "の",
    "で",
    "へ",
    "は",
    "から",
    "まで",
    "より",
    "と",
    "が",
    "も",
    "あたり",
];

/// Short names of one municipality each that are ordinary words far more often in an enquiry
/// (国立の病院, 東北の, 日立の製品, 豊富な): not taken as a place before a particle (the whole
/// word alone, 国立, still names 国立市).
const ORDINARY_WORDS: &[&str] = &["国立", "東北", "日立", "共和", "大空", "豊富", "平和"];

/// The last character of a place's full name (品川区, 府中市, 山口県).
const AREA_SUFFIXES: &[char] = &['都', '道', '府', '県', '市', '区', '町', '村', '郡'];

/// Words of place written in kanji right after a name (品川在住, 八王子周辺).
const PLACE_WORDS: &[&str] = &[
    "在住", "周辺", "近辺", "付近", "方面", "市内", "区内", "町内", "村内",
];

/// Whether a character is hiragana (normalized text has its katakana folded to hiragana).
pub(crate) fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{309F}').contains(&c)
}

/// Parts of a compound label worth knowing on their own: 相談・コーディネート → 相談, コーディネート;
/// 吸引（口鼻腔・気管内） → 吸引.
fn label_parts(label: &str) -> impl Iterator<Item = &str> {
    let head = label.split(['（', '(']).next().unwrap_or(label);
    let parts: Vec<&str> = head
        .split('・')
        .map(str::trim)
        .filter(|p| p.chars().count() >= 2 && *p != label)
        .collect();
    let head_item = (head != label && head.chars().count() >= 2).then_some(head);
    parts.into_iter().chain(head_item)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A job title points to the need it implies (its records are tagged so) without taking
    /// on that need's other words: 相談支援専門員 does not become 窓口 or コーディネーター.
    #[test]
    fn a_glossary_word_implies_its_need_without_its_words() {
        let catalog = crate::testing::bundled();
        let v = Vocabulary::new(&catalog);
        let c = v.concept(&normalize("相談支援専門員")).expect("known");
        assert!(
            c.meanings
                .contains(&Meaning::Implied(Facet::Need, "consultation".into())),
            "{:?}",
            c.meanings
        );
        assert!(c.variants.contains(&normalize("相談員")));
        assert!(!c.variants.contains(&normalize("窓口")), "{:?}", c.variants);
        // A word with no pointer implies nothing.
        let c = v.concept(&normalize("サビ管")).expect("known");
        assert!(
            c.meanings.iter().all(|m| matches!(m, Meaning::Glossary(_))),
            "{:?}",
            c.meanings
        );
    }
}
