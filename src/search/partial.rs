//! A partial answer says so (issue 24): when the hits match only some of the words typed, the
//! words that no record matched — within the search's filters (area and its reach, care types,
//! needs, 電話あり) — are named, so 「那覇市 胃ろう ショートステイ」 does not read as 胃ろう
//! answered when only ショートステイ was.
//!
//! A word is *unmatched* when its clause (all its variants and taxonomy meanings, as the search
//! matches it) finds no record under the filters. It is looked for only when the search could
//! have left a word out: in [`MatchMode::Some`], and in a sentence (three required words or
//! more), where [`MatchMode::All`] needs only most of them. Optional words (an area word, a verb
//! of a sentence) are not asked about. Each check is one count over the index, and only runs on
//! those searches — the keystrokes of an ordinary query do not pay for it — and stops at the
//! first record found; a word of a sentence that one of the records found holds is not
//! searched again (the sentence query notes them: [`super::at_least::Seen`]).
//!
//! The words are given as typed (ショートステイ, not its normalized しよおとすてい) when a typed
//! word normalizes, or reads as romaji (long vowels or not), to the clause; otherwise as
//! understood.

use tantivy::query::{EnableScoring, Query};
use tantivy::{DocSet, Searcher, TERMINATED};

use super::near::Near;
use super::plan::{self, SENTENCE_WORDS, TextPlan};
use super::query::Understood;
use super::{MatchMode, SearchRequest};
use crate::directory::Catalog;
use crate::text::normalize::normalize;
use crate::text::romaji::{romaji_to_kana, without_any_long_vowels};

/// The required words of `u` that no record matches under the filters of `req` (with the
/// records within reach of its area, `near`), as typed in `req.text`.
pub(crate) fn unmatched_words(
    plan: &TextPlan,
    catalog: &Catalog,
    req: &SearchRequest,
    near: Option<&Near>,
    u: &Understood,
    mode: MatchMode,
) -> tantivy::Result<Vec<String>> {
    let required = u.clauses.iter().filter(|c| c.required).count();
    let may_leave_out = match mode {
        MatchMode::Some => true,
        MatchMode::All => required >= SENTENCE_WORDS,
        MatchMode::Approximate => false,
    };
    if !may_leave_out {
        return Ok(vec![]);
    }
    let filters = plan::filter_clauses(catalog, &plan.fields, req, near);
    let mut out = Vec::new();
    for (i, c) in u.clauses.iter().filter(|c| c.required).enumerate() {
        // A word of a sentence that a record found holds needs no search of its own.
        if mode == MatchMode::All && plan.seen.matched(i) {
            continue;
        }
        let found = match plan.clause(c)? {
            Some(q) => any_match(plan.searcher, &*plan::combine(q, &filters, None))?,
            None => false,
        };
        if !found {
            out.push(as_typed(&req.text, &c.text));
        }
    }
    Ok(out)
}

/// Whether `q` matches a record: the first one found ends the search (a count would walk
/// every posting of a common word).
fn any_match(searcher: &Searcher, q: &dyn Query) -> tantivy::Result<bool> {
    let weight = q.weight(EnableScoring::disabled_from_searcher(searcher))?;
    for seg in searcher.segment_readers() {
        let mut docs = weight.scorer(seg, 1.0)?;
        let mut doc = docs.doc();
        while doc != TERMINATED {
            if seg.alive_bitset().is_none_or(|alive| alive.is_alive(doc)) {
                return Ok(true);
            }
            doc = docs.advance();
        }
    }
    Ok(false)
}

/// The word of `typed` that is `understood` (normalized, or read as romaji), else `understood`.
fn as_typed(typed: &str, understood: &str) -> String {
    typed
        .split(|c: char| c.is_whitespace() || c == '\u{3000}')
        .find(|w| {
            let n = normalize(w);
            let short = |s: &str| without_any_long_vowels(s).unwrap_or_else(|| s.to_string());
            n == understood
                || romaji_to_kana(&n)
                    .map(|k| normalize(&k))
                    .is_some_and(|k| k == understood || short(&k) == short(understood))
        })
        .unwrap_or(understood)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::as_typed;

    #[test]
    fn words_are_given_as_typed() {
        for (typed, understood, want) in [
            (
                "那覇市 胃ろう ショートステイ",
                "しよおとすてい",
                "ショートステイ",
            ),
            ("那覇市　ｼｮｰﾄｽﾃｲ", "しよおとすてい", "ｼｮｰﾄｽﾃｲ"),
            ("iki shootosutei", "しよおとすてい", "shootosutei"),
            ("waki kodineta", "こおでいねえたあ", "kodineta"),
            ("品川区で乗馬", "乗馬", "乗馬"),
        ] {
            assert_eq!(as_typed(typed, understood), want, "{typed}");
        }
    }
}
