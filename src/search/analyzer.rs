//! The Japanese analyzer: normalization + overlapping bigrams with real positions.
//!
//! Text is normalized with [`normalize_with_map`] (NFKC, lowercase, hiragana, ー → vowel,
//! small kana folded), then split into *runs*:
//!
//! - a **CJK run** (Han incl. 々〆〇, hiragana, remaining katakana such as a kept ー) of `n`
//!   characters emits its `n - 1` overlapping bigrams, bigram `i` at position `p + i`, and every
//!   character as a unigram at the same position `p + i`. A phrase of consecutive bigrams is
//!   therefore an exact substring match, and a one-character query finds the unigram;
//! - a **word run** (other alphanumerics: Latin letters, digits, Hangul, …) emits one token with
//!   the whole (lowercased) word;
//! - everything else (spaces, punctuation, symbols) separates runs and emits nothing.
//!
//! Each run starts one position after the previous run's last position plus one (a gap), so a
//! phrase never matches across a punctuation boundary. Combining marks stay with the
//! character before them. Token offsets are byte offsets into the *original* text (mapped back
//! with [`crate::text::normalize::Normalized::original_range`]), always on char boundaries.
//!
//! tantivy's own `NgramTokenizer` puts every gram at position 0 (false phrase matches), so it
//! is not used.
//!
//! **Place-name joins.** Between two kanji, the joining kana け (ヶ, ケ), か (ヵ, カ, か) and が
//! are one character, indexed and searched as が ([`unify_place_joins`]): 梅ヶ丘 = 梅ケ丘 =
//! 梅が丘, 自由ヶ丘 = 自由が丘, 霞ヶ関 = 霞が関, 三ヶ月 = 三か月, with no alias in the data.
//! The readings (うめがおか) meet the kana as before. Measured on the bundled directory (218
//! curated records + 4,256 WAM NET offices, `place_joins_only_merge_place_names`): 619 such
//! joins in 225 distinct kanji pairs; 13 pairs are written more than one way, and every one is
//! a place name (桜ヶ丘/桜が丘, 梅ヶ丘/梅が丘, 緑ヶ丘, 望ヶ丘, 旭ヶ丘, 光が丘, 霞ヶ関, 小ヶ倉 …):
//! no other word's matches change. Okurigana け/か between kanji (受け付, 預け先) meet
//! themselves as before; a query would have to write a particle が between the same two
//! kanji to meet them (受が付), which no one types.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use aho_corasick::AhoCorasick;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

use crate::text::normalize::{Normalized, normalize, normalize_with_map};

/// The name under which [`JaBigramTokenizer`] is registered (used in the schema).
pub const TOKENIZER_NAME: &str = "ja_bigram";

/// Starts the text of a known-word token (a private-use character: never in a bigram).
const KNOWN_WORD_MARK: char = '\u{E000}';

/// The tokenizer of long text fields (descriptions): the same, without unigrams — a single
/// character is looked for in names, tags and summaries only (in a long body it occurs nearly
/// everywhere), and leaving them out halves the body's postings.
pub const BODY_TOKENIZER_NAME: &str = "ja_bigram_body";

/// Registers [`JaBigramTokenizer`] as [`TOKENIZER_NAME`] and, without unigrams, as
/// [`BODY_TOKENIZER_NAME`] on the index's tokenizer manager. Must be called on every `Index`
/// (new or opened) before indexing or querying; `known` must be the same set the index was
/// built with (it is derived from the directory itself).
pub fn register(index: &tantivy::Index, known: Arc<KnownWords>) {
    let tokenizers = index.tokenizers();
    tokenizers.register(
        TOKENIZER_NAME,
        JaBigramTokenizer {
            known: Some(Arc::clone(&known)),
            unigrams: true,
        },
    );
    tokenizers.register(
        BODY_TOKENIZER_NAME,
        JaBigramTokenizer {
            known: Some(known),
            unigrams: false,
        },
    );
}

/// Words indexed as single tokens besides their bigrams: every prefix of three or more
/// characters of the directory's vocabulary (care types, needs, glossary, area names — all-CJK
/// spellings, normalized). A query word in this set is one term lookup instead of a phrase of
/// bigrams whose positions must be read for every candidate: on a large directory that is the
/// difference between a few milliseconds and tens for a common word — and for each prefix of
/// it while the clerk types. Matching stays an exact substring match: the token is emitted at
/// every occurrence of the string in a CJK run, whatever surrounds it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct KnownWords {
    /// The words, sorted and back to back (one string: opening a cache reads it in one piece
    /// instead of allocating each of its ~12k words).
    text: String,
    /// Where each word ends in `text`.
    ends: Vec<u32>,
    #[serde(skip)]
    automaton: OnceLock<Option<AhoCorasick>>,
}

/// The automaton that finds known words at index time.
const AUTOMATON_KIND: aho_corasick::AhoCorasickKind = aho_corasick::AhoCorasickKind::ContiguousNFA;

/// Shortest known word (in characters): shorter strings are one bigram or unigram already.
const KNOWN_WORD_MIN_CHARS: usize = 3;

impl KnownWords {
    /// The set built from vocabulary words (any spelling; only all-CJK ones are kept, with
    /// every prefix of [`KNOWN_WORD_MIN_CHARS`] or more characters).
    pub fn new<'a>(vocabulary: impl IntoIterator<Item = &'a str>) -> KnownWords {
        let mut words = std::collections::BTreeSet::new();
        for w in vocabulary {
            let w = unify_place_joins(normalize(w));
            if !w.chars().all(is_cjk) {
                continue;
            }
            let ends: Vec<usize> = w
                .char_indices()
                .map(|(i, _)| i)
                .skip(1)
                .chain([w.len()])
                .collect();
            for &end in ends.iter().skip(KNOWN_WORD_MIN_CHARS - 1) {
                words.insert(w[..end].to_string());
            }
        }
        let mut known = KnownWords::empty();
        for w in words {
            known.text.push_str(&w);
            known.ends.push(known.text.len() as u32);
        }
        known
    }

    /// Word `i` of the sorted list.
    fn word(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        self.text.get(start..self.ends[i] as usize).unwrap_or("")
    }

    /// The words, sorted.
    fn words(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|i| self.word(i))
    }

    /// The automaton that finds the words in text (built on first use: only indexing needs
    /// it, queries look words up in the set).
    fn automaton(&self) -> Option<&AhoCorasick> {
        self.automaton
            .get_or_init(|| {
                (!self.ends.is_empty())
                    .then(|| {
                        AhoCorasick::builder()
                            .kind(Some(AUTOMATON_KIND))
                            .build(self.words())
                            .ok()
                    })
                    .flatten()
            })
            .as_ref()
    }

    /// No known words (plain bigram indexing).
    pub fn empty() -> KnownWords {
        KnownWords::default()
    }

    /// Whether `run` (normalized) is a known word or the start of one.
    pub fn contains(&self, run: &str) -> bool {
        let (mut lo, mut hi) = (0, self.ends.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.word(mid).cmp(run) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }

    /// The token of `run` (a normalized CJK run as typed in a query), if it is a known word.
    pub fn token(&self, run: &str) -> Option<String> {
        self.contains(run)
            .then(|| format!("{KNOWN_WORD_MARK}{run}"))
    }
}

/// The tantivy tokenizer: normalized CJK bigrams + unigrams (+ known-word tokens), and whole
/// Latin/digit words.
#[derive(Debug, Clone)]
pub struct JaBigramTokenizer {
    known: Option<Arc<KnownWords>>,
    unigrams: bool,
}

impl Default for JaBigramTokenizer {
    fn default() -> Self {
        JaBigramTokenizer {
            known: None,
            unigrams: true,
        }
    }
}

/// The token stream of [`JaBigramTokenizer`]: spans are computed up front, token texts are
/// written into one reused buffer (indexing makes a token per character or two, and an
/// allocation each would cost as much as the indexing).
#[derive(Debug)]
pub struct JaBigramTokenStream {
    norm: Normalized,
    spans: std::vec::IntoIter<Span>,
    current: Token,
}

impl Tokenizer for JaBigramTokenizer {
    type TokenStream<'a> = JaBigramTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JaBigramTokenStream {
        let mut norm = normalize_with_map(text);
        norm.text = unify_place_joins(std::mem::take(&mut norm.text));
        let spans = spans(&norm.text, self.known.as_deref(), self.unigrams);
        JaBigramTokenStream {
            norm,
            spans: spans.into_iter(),
            current: Token::default(),
        }
    }
}

impl TokenStream for JaBigramTokenStream {
    fn advance(&mut self) -> bool {
        let Some(span) = self.spans.next() else {
            return false;
        };
        // Offsets are not indexed (positions are), so the stream does not map them back.
        span.write(&self.norm, &mut self.current, false);
        true
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// One token before its text is written: a range of the normalized text and a position.
#[derive(Debug, Clone)]
struct Span {
    range: Range<usize>,
    position: usize,
    /// A known-word token (its text starts with [`KNOWN_WORD_MARK`]).
    known: bool,
}

impl Span {
    fn write(&self, norm: &Normalized, token: &mut Token, with_offsets: bool) {
        if with_offsets {
            let orig = norm.original_range(self.range.clone());
            token.offset_from = orig.start;
            token.offset_to = orig.end;
        }
        token.position = self.position;
        token.position_length = 1;
        token.text.clear();
        if self.known {
            token.text.push(KNOWN_WORD_MARK);
        }
        token.text.push_str(&norm.text[self.range.clone()]);
    }
}

/// All tokens of `text` as [`JaBigramTokenizer`] emits them, in order (positions
/// non-decreasing; offsets into `text`).
pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize_with(text, None)
}

/// [`tokenize`], plus a token for each occurrence of a known word, at the position of the
/// bigram it starts with (so phrases over bigrams are unaffected).
pub fn tokenize_with(text: &str, known: Option<&KnownWords>) -> Vec<Token> {
    let mut norm = normalize_with_map(text);
    norm.text = unify_place_joins(std::mem::take(&mut norm.text));
    spans(&norm.text, known, true)
        .iter()
        .map(|span| {
            let mut token = Token::default();
            span.write(&norm, &mut token, true);
            token
        })
        .collect()
}

/// The spans of normalized text `t`, in position order.
fn spans(t: &str, known: Option<&KnownWords>, unigrams: bool) -> Vec<Span> {
    let units = units(t);
    let mut spans = Vec::with_capacity(units.len() * 2);
    let mut next_pos = 0usize;
    let plain = |range: Range<usize>, position: usize| Span {
        range,
        position,
        known: false,
    };
    for (class, run) in runs(&units) {
        match class {
            Class::Cjk => {
                let p = next_pos;
                for (i, u) in run.iter().enumerate() {
                    if let Some(next) = run.get(i + 1) {
                        spans.push(plain(u.range.start..next.range.end, p + i));
                    }
                    if unigrams {
                        spans.push(plain(u.range.clone(), p + i));
                    }
                }
                if let Some(ac) = known.and_then(KnownWords::automaton)
                    && run.len() >= KNOWN_WORD_MIN_CHARS
                {
                    let base = run[0].range.start;
                    let run_text = &t[base..run[run.len() - 1].range.end];
                    for m in ac.find_overlapping_iter(run_text) {
                        let (start, end) = (base + m.start(), base + m.end());
                        // Known words start and end on whole units (a combining mark stays
                        // with its character, as in the bigrams).
                        let (Ok(i), true) = (
                            run.binary_search_by_key(&start, |u| u.range.start),
                            run.iter().any(|u| u.range.end == end),
                        ) else {
                            continue;
                        };
                        spans.push(Span {
                            range: start..end,
                            position: p + i,
                            known: true,
                        });
                    }
                }
                next_pos = p + run.len() + 1;
            }
            Class::Word => {
                let range = run[0].range.start..run[run.len() - 1].range.end;
                spans.push(plain(range, next_pos));
                next_pos += 2;
            }
            Class::Other => {}
        }
    }
    if known.is_some() {
        spans.sort_by_key(|s| s.position);
    }
    spans
}

/// The terms of one run of a query, to be matched as a phrase (consecutive positions).
pub type QueryPiece = Vec<String>;

/// Splits a query into runs and gives, for each, the indexed terms to phrase-match:
///
/// - a CJK run of one character → `[unigram]` (a single `TermQuery`);
/// - a CJK run of `n ≥ 2` characters → its `n - 1` overlapping bigrams (a `PhraseQuery`, or a
///   single `TermQuery` when `n == 2`). Unigrams are only used for one-character runs;
/// - a Latin/digit word → `[word]`.
///
/// Punctuation and spaces only separate runs. The input is expected to be normalized already;
/// it is normalized again (normalization is idempotent), so raw text works too.
pub fn query_grams(normalized_query: &str) -> Vec<QueryPiece> {
    let t = unify_place_joins(normalize(normalized_query));
    let units = units(&t);
    let mut out = Vec::new();
    for (class, run) in runs(&units) {
        match class {
            Class::Cjk if run.len() == 1 => out.push(vec![t[run[0].range.clone()].to_string()]),
            Class::Cjk => out.push(
                run.windows(2)
                    .map(|w| t[w[0].range.start..w[1].range.end].to_string())
                    .collect(),
            ),
            Class::Word => {
                let range = run[0].range.start..run[run.len() - 1].range.end;
                out.push(vec![t[range].to_string()]);
            }
            Class::Other => {}
        }
    }
    out
}

/// The joining kana of place names and counters between two kanji — け (from ヶ/ケ), か
/// (from ヵ/カ or か) and が — all become が, so 梅ヶ丘 = 梅ケ丘 = 梅が丘, 自由ヶ丘 = 自由が丘,
/// 霞ヶ関 = 霞が関 and 三ヶ月 = 三カ月 = 三か月. The three are one UTF-8 length, so offsets
/// into the normalized text are unchanged. (See the module doc for why this is safe.)
pub fn unify_place_joins(mut text: String) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at: Vec<usize> = chars
        .windows(3)
        .filter(|w| is_kanji(w[0].1) && matches!(w[1].1, 'け' | 'か' | 'が') && is_kanji(w[2].1))
        .filter(|w| w[1].1 != 'が')
        .map(|w| w[1].0)
        .collect();
    for i in at {
        text.replace_range(i..i + 'が'.len_utf8(), "が");
    }
    text
}

/// A Han ideograph (or 々〆), the characters a place name's joining kana sits between (and a
/// place's name is written in, see `Vocabulary::area_name_before_particle`).
pub(crate) fn is_kanji(c: char) -> bool {
    matches!(c,
        '\u{3005}' | '\u{3006}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3FFFF}')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Cjk,
    Word,
    Other,
}

/// A character of normalized text with the combining marks that follow it.
#[derive(Debug, Clone)]
struct Unit {
    range: Range<usize>,
    class: Class,
}

fn units(t: &str) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::with_capacity(t.len());
    for (i, c) in t.char_indices() {
        let end = i + c.len_utf8();
        if !c.is_ascii()
            && is_combining_mark(c)
            && let Some(last) = out.last_mut()
        {
            last.range.end = end;
            continue;
        }
        out.push(Unit {
            range: i..end,
            class: class_of(c),
        });
    }
    out
}

/// Maximal runs of units of the same class.
fn runs(units: &[Unit]) -> impl Iterator<Item = (Class, &[Unit])> {
    units
        .chunk_by(|a, b| a.class == b.class)
        .map(|run| (run[0].class, run))
}

fn class_of(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Other
    }
}

/// Han (incl. 々〆〇〻), hiragana and katakana letters (not ・ or ゠).
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3005}'..='\u{3007}'
        | '\u{303B}'
        | '\u{3041}'..='\u{3096}'
        | '\u{309D}'..='\u{309F}'
        | '\u{30A1}'..='\u{30FA}'
        | '\u{30FC}'..='\u{30FF}'
        | '\u{31F0}'..='\u{31FF}'
        | '\u{2E80}'..='\u{2FDF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{1B000}'..='\u{1B16F}'
        | '\u{20000}'..='\u{3FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tantivy::collector::Count;
    use tantivy::query::{PhraseQuery, Query, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
    use tantivy::{Index, TantivyDocument, Term, doc};

    #[test]
    fn place_name_joins_meet_table() {
        // (spellings that must give the same query grams)
        let cases: &[&[&str]] = &[
            &["梅ヶ丘", "梅ケ丘", "梅が丘", "梅ｹ丘", "梅ヵ丘"],
            &["自由が丘", "自由ヶ丘"],
            &["霞ヶ関", "霞が関"],
            &["三ヶ月", "三カ月", "三か月", "三ヵ月"],
        ];
        for spellings in cases {
            let grams: Vec<_> = spellings.iter().map(|s| query_grams(s)).collect();
            assert!(
                grams.windows(2).all(|w| w[0] == w[1]),
                "{spellings:?}: {grams:?}"
            );
        }
        // Only between two kanji: kana words and the particle elsewhere are untouched.
        for s in ["けが", "ケーキ", "かがく", "子どもが通う", "うめがおか"] {
            assert_eq!(unify_place_joins(normalize(s)), normalize(s), "{s}");
        }
        // Offsets stay valid: the token of 丘 still points at 丘 in the original.
        let toks = tokenize("梅ヶ丘の家");
        assert!(
            toks.iter().any(|t| t.text == "が丘" && t.offset_from == 3),
            "{toks:?}"
        );
    }

    /// The measurement of the module doc: in the bundled directory, the kanji pairs whose
    /// joining kana is written more than one way are all place names, so unifying them changes
    /// no other word's matches.
    #[test]
    fn place_joins_only_merge_place_names() {
        let catalog = crate::testing::bundled();
        let mut pairs: std::collections::HashMap<(char, char), std::collections::BTreeSet<char>> =
            std::collections::HashMap::new();
        let mut joins = 0;
        for r in catalog.resources() {
            for text in crate::search::snippet::normalized_candidates(r).iter() {
                let chars: Vec<char> = text.chars().collect();
                for w in chars.windows(3) {
                    if is_kanji(w[0]) && matches!(w[1], 'け' | 'か' | 'が') && is_kanji(w[2]) {
                        joins += 1;
                        pairs.entry((w[0], w[2])).or_default().insert(w[1]);
                    }
                }
            }
        }
        let mut merged: Vec<String> = pairs
            .iter()
            .filter(|(_, joins)| joins.len() > 1)
            .map(|((a, b), _)| format!("{a}・{b}"))
            .collect();
        merged.sort();
        println!("{joins} joins, {} pairs, merged: {merged:?}", pairs.len());
        // The last kanji of a place name: 丘 (…ヶ丘), 関 (霞ヶ関), 倉 (小ヶ倉), 谷, 崎, 原, 島, 浦.
        for m in &merged {
            assert!(
                m.ends_with(['丘', '関', '倉', '谷', '崎', '原', '島', '浦']),
                "{m}: {merged:?}"
            );
        }
    }

    /// (text, position, original slice)
    fn summary(src: &str) -> Vec<(String, usize, String)> {
        tokenize(src)
            .into_iter()
            .map(|t| {
                (
                    t.text,
                    t.position,
                    src[t.offset_from..t.offset_to].to_string(),
                )
            })
            .collect()
    }

    fn own(v: &[(&str, usize, &str)]) -> Vec<(String, usize, String)> {
        v.iter()
            .map(|(a, p, b)| (a.to_string(), *p, b.to_string()))
            .collect()
    }

    #[test]
    fn bigrams_and_unigrams() {
        assert_eq!(
            summary("訪問介護"),
            own(&[
                ("訪問", 0, "訪問"),
                ("訪", 0, "訪"),
                ("問介", 1, "問介"),
                ("問", 1, "問"),
                ("介護", 2, "介護"),
                ("介", 2, "介"),
                ("護", 3, "護"),
            ])
        );
        assert_eq!(summary("児"), own(&[("児", 0, "児")]));
        assert_eq!(summary(""), own(&[]));
        assert_eq!(summary(" 、。"), own(&[]));
    }

    #[test]
    fn runs_and_gaps() {
        assert_eq!(
            summary("CPAP使用・ＰＥＧ 2回"),
            own(&[
                ("cpap", 0, "CPAP"),
                ("使用", 2, "使用"),
                ("使", 2, "使"),
                ("用", 3, "用"),
                ("peg", 5, "ＰＥＧ"),
                ("2", 7, "2"),
                ("回", 9, "回"),
            ])
        );
    }

    #[test]
    fn offsets_into_original() {
        assert_eq!(
            summary("ｶﾞｰﾄﾞ"),
            own(&[
                ("があ", 0, "ｶﾞｰ"),
                ("が", 0, "ｶﾞ"),
                ("あど", 1, "ｰﾄﾞ"),
                ("あ", 1, "ｰ"),
                ("ど", 2, "ﾄﾞ"),
            ])
        );
        assert_eq!(
            summary("㈱ケア"),
            own(&[
                ("株", 0, "㈱"),
                ("けあ", 2, "ケア"),
                ("け", 2, "ケ"),
                ("あ", 3, "ア"),
            ])
        );
    }

    #[test]
    fn query_grams_table() {
        let cases: &[(&str, &[&[&str]])] = &[
            ("児", &[&["児"]]),
            ("訪問", &[&["訪問"]]),
            ("訪問介護", &[&["訪問", "問介", "介護"]]),
            ("訪問 介護", &[&["訪問"], &["介護"]]),
            ("cpap使用", &[&["cpap"], &["使用"]]),
            (
                "ショートステイ",
                &[&["しよ", "よお", "おと", "とす", "すて", "てい"]],
            ),
            ("「」!?", &[]),
            ("", &[]),
        ];
        for (q, want) in cases {
            let got = query_grams(q);
            let want: Vec<Vec<String>> = want
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect();
            assert_eq!(got, want, "query {q:?}");
        }
    }

    fn index_with(docs: &[&str]) -> (Index, tantivy::schema::Field) {
        index_known(docs, KnownWords::empty(), TOKENIZER_NAME)
    }

    fn index_known(
        docs: &[&str],
        known: KnownWords,
        tokenizer: &str,
    ) -> (Index, tantivy::schema::Field) {
        let mut sb = Schema::builder();
        let opts = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let body = sb.add_text_field("body", opts);
        let index = Index::create_in_ram(sb.build());
        register(&index, Arc::new(known));
        let mut w = index.writer::<TantivyDocument>(15_000_000).unwrap();
        for d in docs {
            w.add_document(doc!(body => *d)).unwrap();
        }
        w.commit().unwrap();
        (index, body)
    }

    fn count(index: &Index, q: &dyn Query) -> usize {
        index
            .reader()
            .unwrap()
            .searcher()
            .search(q, &Count)
            .unwrap()
    }

    fn grams_query(field: tantivy::schema::Field, q: &str) -> Box<dyn Query> {
        let mut runs = query_grams(q);
        assert_eq!(runs.len(), 1);
        let terms: Vec<Term> = runs
            .pop()
            .unwrap()
            .iter()
            .map(|g| Term::from_field_text(field, g))
            .collect();
        if terms.len() == 1 {
            Box::new(TermQuery::new(
                terms[0].clone(),
                IndexRecordOption::WithFreqs,
            ))
        } else {
            Box::new(PhraseQuery::new(terms))
        }
    }

    #[test]
    fn phrase_is_exact_substring() {
        let (index, body) = index_with(&["訪問と問介", "訪問介護ステーション"]);
        let phrase = PhraseQuery::new(vec![
            Term::from_field_text(body, "訪問"),
            Term::from_field_text(body, "問介"),
        ]);
        assert_eq!(count(&index, &phrase), 1);
        let searcher = index.reader().unwrap().searcher();
        let top = searcher
            .search(
                &phrase,
                &tantivy::collector::TopDocs::with_limit(2).order_by_score(),
            )
            .unwrap();
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].1.doc_id, 1);
        assert_eq!(count(&index, &*grams_query(body, "問介護")), 1);
        assert_eq!(count(&index, &*grams_query(body, "訪問と")), 1);
        assert_eq!(count(&index, &*grams_query(body, "訪問")), 2);
    }

    #[test]
    fn one_char_and_kana_variants() {
        let (index, body) = index_with(&["児童発達支援", "ｼｮｰﾄｽﾃｲ（短期入所）", "品川区、訪問"]);
        assert_eq!(count(&index, &*grams_query(body, "児")), 1);
        assert_eq!(count(&index, &*grams_query(body, "ショートステイ")), 1);
        assert_eq!(count(&index, &*grams_query(body, "しょーとすてい")), 1);
        assert_eq!(count(&index, &*grams_query(body, "短期入所")), 1);
        // No phrase match across punctuation.
        assert_eq!(count(&index, &*grams_query(body, "区訪")), 0);
    }

    fn token_query(field: tantivy::schema::Field, known: &KnownWords, q: &str) -> TermQuery {
        let token = known.token(&normalize(q)).expect("a known word");
        TermQuery::new(
            Term::from_field_text(field, &token),
            IndexRecordOption::WithFreqs,
        )
    }

    #[test]
    fn known_words_and_their_prefixes_are_one_token_each() {
        let known = KnownWords::new(["コーディネーター", "医療的ケア児", "PEG", "児"]);
        // Prefixes of three characters or more, normalized; not Latin, not one character.
        for w in [
            "コーディネーター",
            "コーディ",
            "コーデ",
            "医療的ケア児",
            "医療的",
        ] {
            assert!(known.token(&normalize(w)).is_some(), "{w}");
        }
        for w in ["コー", "PEG", "児", "ディネー"] {
            assert!(known.token(&normalize(w)).is_none(), "{w}");
        }
        let tokens = tokenize_with("相談（医療的ケア児コーディネーター）", Some(&known));
        let at = |text: &str| {
            tokens
                .iter()
                .filter(|t| t.text == format!("{KNOWN_WORD_MARK}{}", normalize(text)))
                .map(|t| t.position)
                .collect::<Vec<_>>()
        };
        // 相談 is run 0 (positions 0-1); the next run starts at 3.
        assert_eq!(at("医療的ケア児"), vec![3]);
        assert_eq!(at("コーディネーター"), vec![9]);
        assert_eq!(at("コーデ"), vec![9]);
        // Bigrams around them keep their positions.
        let bigram = tokens.iter().find(|t| t.text == "児こ").unwrap();
        assert_eq!(bigram.position, 8);
    }

    #[test]
    fn a_known_word_token_matches_exactly_where_its_phrase_does() {
        let known = KnownWords::new(["コーディネーター", "訪問介護"]);
        let docs = [
            "医療的ケア児等コーディネーター",
            "こーでぃねーたー研修",
            "コーディネート・ター",
            "訪問と問介と介護",
            "ｺｰﾃﾞｨﾈｰﾀｰ、訪問介護",
        ];
        let (index, body) = index_known(&docs, known.clone(), TOKENIZER_NAME);
        for q in ["コーディネーター", "コーディ", "訪問介護", "訪問介"] {
            let phrase = count(&index, &*grams_query(body, q));
            assert_eq!(count(&index, &token_query(body, &known, q)), phrase, "{q}");
        }
        assert_eq!(count(&index, &*grams_query(body, "コーディネーター")), 3);
        assert_eq!(count(&index, &*grams_query(body, "訪問介護")), 1);
    }

    #[test]
    fn bodies_have_no_unigrams() {
        let (index, body) =
            index_known(&["児童発達支援"], KnownWords::empty(), BODY_TOKENIZER_NAME);
        assert_eq!(count(&index, &*grams_query(body, "児")), 0);
        assert_eq!(count(&index, &*grams_query(body, "児童")), 1);
        assert_eq!(count(&index, &*grams_query(body, "発達支援")), 1);
    }

    proptest! {
        #[test]
        fn known_tokens_agree_with_phrases(
            text in "[ア-オカ-コサ-ソ 、ーｱｰ]{0,30}",
            word in "[ア-オカ-コサ-ソー]{3,6}",
        ) {
            let known = KnownWords::new([word.as_str()]);
            let (index, body) = index_known(&[text.as_str()], known.clone(), TOKENIZER_NAME);
            let n = normalize(&word);
            prop_assume!(n.chars().count() >= 3);
            let phrase = count(&index, &*grams_query(body, &n));
            prop_assert_eq!(count(&index, &token_query(body, &known, &n)), phrase);
        }

        #[test]
        fn tokens_are_well_formed(s in any::<String>()) {
            let tokens = tokenize(&s);
            let mut last = 0;
            for t in &tokens {
                prop_assert!(t.offset_from <= t.offset_to && t.offset_to <= s.len());
                prop_assert!(s.is_char_boundary(t.offset_from) && s.is_char_boundary(t.offset_to));
                prop_assert!(t.position >= last);
                prop_assert!(!t.text.is_empty());
                last = t.position;
            }
            for piece in query_grams(&s) {
                prop_assert!(!piece.is_empty());
            }
        }

        #[test]
        fn tokens_well_formed_japaneseish(s in "[ｱ-ﾝﾞﾟｰア-ンー一-龥 、a-zＡ-Ｚ0-9\u{301}\u{3099}]{0,24}") {
            let tokens = tokenize(&s);
            let mut last = 0;
            for t in &tokens {
                prop_assert!(t.offset_from <= t.offset_to && t.offset_to <= s.len());
                prop_assert!(s.is_char_boundary(t.offset_from) && s.is_char_boundary(t.offset_to));
                prop_assert!(t.position >= last);
                last = t.position;
            }
        }
    }
}
