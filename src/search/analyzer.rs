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

use std::ops::Range;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

use crate::text::normalize::{normalize, normalize_with_map};

/// The name under which [`JaBigramTokenizer`] is registered (used in the schema).
pub const TOKENIZER_NAME: &str = "ja_bigram";

/// Registers [`JaBigramTokenizer`] as [`TOKENIZER_NAME`] on the index's tokenizer manager.
/// Must be called on every `Index` (new or opened) before indexing or querying.
pub fn register(index: &tantivy::Index) {
    index
        .tokenizers()
        .register(TOKENIZER_NAME, JaBigramTokenizer);
}

/// The tantivy tokenizer: normalized CJK bigrams + unigrams, and whole Latin/digit words.
#[derive(Debug, Clone, Copy, Default)]
pub struct JaBigramTokenizer;

/// The token stream of [`JaBigramTokenizer`] (tokens are computed up front).
#[derive(Debug)]
pub struct JaBigramTokenStream {
    tokens: std::vec::IntoIter<Token>,
    current: Token,
}

impl Tokenizer for JaBigramTokenizer {
    type TokenStream<'a> = JaBigramTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JaBigramTokenStream {
        JaBigramTokenStream {
            tokens: tokenize(text).into_iter(),
            current: Token::default(),
        }
    }
}

impl TokenStream for JaBigramTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(t) => {
                self.current = t;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// All tokens of `text` as [`JaBigramTokenizer`] emits them, in order (positions
/// non-decreasing; offsets into `text`).
pub fn tokenize(text: &str) -> Vec<Token> {
    let norm = normalize_with_map(text);
    let t = norm.text.as_str();
    let units = units(t);
    let mut tokens = Vec::with_capacity(units.len() * 2);
    let mut next_pos = 0usize;
    let make = |range: Range<usize>, position: usize| {
        let orig = norm.original_range(range.clone());
        Token {
            offset_from: orig.start,
            offset_to: orig.end,
            position,
            text: t[range].to_string(),
            position_length: 1,
        }
    };
    for (class, run) in runs(&units) {
        match class {
            Class::Cjk => {
                let p = next_pos;
                for (i, u) in run.iter().enumerate() {
                    if let Some(next) = run.get(i + 1) {
                        tokens.push(make(u.range.start..next.range.end, p + i));
                    }
                    tokens.push(make(u.range.clone(), p + i));
                }
                next_pos = p + run.len() + 1;
            }
            Class::Word => {
                let range = run[0].range.start..run[run.len() - 1].range.end;
                tokens.push(make(range, next_pos));
                next_pos += 2;
            }
            Class::Other => {}
        }
    }
    tokens
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
    let t = normalize(normalized_query);
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
        let mut sb = Schema::builder();
        let opts = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let body = sb.add_text_field("body", opts);
        let index = Index::create_in_ram(sb.build());
        register(&index);
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

    proptest! {
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
