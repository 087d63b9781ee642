//! Search normalization for Japanese (and Latin) text, with an exact offset map.
//!
//! Steps, applied per *segment* (a character plus the combining marks / half-width voicing
//! marks ﾞﾟ that follow it), so that every output character knows which original characters
//! produced it:
//!
//! 1. NFKC (half-width kana ｼｮｰﾄ → ショート with ﾞﾟ composing onto the preceding kana,
//!    full-width ＡＢＣ１２３ → ABC123, ㈱ → (株), ㌀ → アパート, …). The spacing voicing marks
//!    ゛゜ that follow a character are treated like their combining forms (か゛ → が).
//! 2. Lowercase (per character, context free, so the result is stable).
//! 3. Katakana → hiragana by code point (ァ..ヶ → ぁ..ゖ, ヴ → ゔ, ヽヾ → ゝゞ, ヷヸヹヺ → ゔぁ
//!    ゔぃ ゔぇ ゔぉ). Latin is never converted to kana here.
//! 4. The prolonged sound mark ー (ｰ after NFKC) following a kana becomes that kana's vowel
//!    (しょー → しょお, てぃー → てぃい, ツー → つう); after ん or a small っ it is dropped;
//!    anywhere else it is kept.
//! 5. Small kana are folded to large ones (ぁぃぅぇぉっゃゅょゎゕゖ → あいうえおつやゆよわかけ,
//!    and the small katakana extensions ㇰ..ㇿ), so ヶ/ケ and ヵ/カ meet as け/か. The vowel for
//!    ー is decided as if before folding (only っ differs: ッー drops the mark, ツー → つう).
//! 6. Every run of whitespace becomes one ASCII space; leading/trailing whitespace is trimmed.
//!
//! The result is idempotent: `normalize(&normalize(x)) == normalize(x)` for every string.

use std::ops::Range;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Normalizes `s` for search (see the module documentation for the steps).
///
/// ```
/// use ikenavi::text::normalize::normalize;
/// assert_eq!(normalize("ｼｮｰﾄｽﾃｲ"), normalize("ショートステイ"));
/// assert_eq!(normalize("ＡＢＣ１２３"), "abc123");
/// ```
pub fn normalize(s: &str) -> String {
    normalize_with_map(s).text
}

/// Normalized text plus a map from its bytes back to the original text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    /// The normalized text (same as [`normalize`] returns).
    pub text: String,
    /// Byte offset in `text` of each output character, ascending.
    starts: Vec<usize>,
    /// For each output character, the byte range of the original segment that produced it.
    origins: Vec<Range<usize>>,
    /// Length in bytes of the original text.
    original_len: usize,
}

impl Normalized {
    /// Maps a byte range of [`Normalized::text`] back to a byte range of the original text.
    ///
    /// The result always lies on the original's char boundaries and covers every whole
    /// original character that produced any part of the range (e.g. the `が` of `ｶﾞ` maps to
    /// both half-width characters; the `株` of `㈱` maps to the whole `㈱`). An empty range
    /// maps to an empty range at the start of the original character at that position (or the
    /// end of the original text). Out-of-bounds or reversed ranges are clamped, never panic.
    pub fn original_range(&self, normalized_bytes: Range<usize>) -> Range<usize> {
        let len = self.text.len();
        let start = normalized_bytes.start.min(len);
        let end = normalized_bytes.end.clamp(start, len);
        let Some(last) = self.origins.last() else {
            return 0..0;
        };
        // Index of the output character containing byte `pos` (pos < len).
        let char_at = |pos: usize| self.starts.partition_point(|&s| s <= pos).saturating_sub(1);
        if start == end {
            let at = if start >= len {
                last.end
            } else {
                self.origins[char_at(start)].start
            };
            return at..at;
        }
        let first = &self.origins[char_at(start)];
        let last = &self.origins[char_at(end - 1)];
        first.start..last.end.max(first.start)
    }

    /// Length in bytes of the original text this was produced from.
    pub fn original_len(&self) -> usize {
        self.original_len
    }

    /// Byte range in the original text of the output character starting at byte `pos` of
    /// [`Normalized::text`] (`None` when `pos` is not the start of an output character).
    pub fn origin_of_char_at(&self, pos: usize) -> Option<Range<usize>> {
        let i = self.starts.binary_search(&pos).ok()?;
        Some(self.origins[i].clone())
    }
}

/// Normalizes `s` and keeps the offset map (see [`Normalized::original_range`]).
pub fn normalize_with_map(s: &str) -> Normalized {
    let mut b = Builder {
        out: Normalized {
            text: String::with_capacity(s.len()),
            starts: Vec::with_capacity(s.len()),
            origins: Vec::with_capacity(s.len()),
            original_len: s.len(),
        },
        last: None,
        last_small_tsu: false,
    };
    let mut iter = s.char_indices().peekable();
    let mut scratch = String::new();
    while let Some((start, c)) = iter.next() {
        let mut end = start + c.len_utf8();
        while let Some(&(i, d)) = iter.peek() {
            if is_continuation(d) {
                end = i + d.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        let seg = &s[start..end];
        let range = start..end;
        if end - start == c.len_utf8() && simple_char(c, &mut scratch) {
            b.push_output(&scratch, &range);
            continue;
        }
        transform(seg, &mut scratch);
        b.push_output(&scratch, &range);
    }
    if b.out.text.ends_with(' ') {
        b.out.text.pop();
        b.out.starts.pop();
        b.out.origins.pop();
    }
    b.out
}

/// Accumulates output characters with their origins and the context for ー.
struct Builder {
    out: Normalized,
    /// Last character pushed (after folding).
    last: Option<char>,
    /// Whether that last character is a つ folded from a small っ.
    last_small_tsu: bool,
}

impl Builder {
    fn push_output(&mut self, seg_out: &str, origin: &Range<usize>) {
        let mut chars = seg_out.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_whitespace() {
                if matches!(self.last, None | Some(' ')) {
                    continue;
                }
                self.push(' ', origin, false);
            } else if c == 'ー' && !chars.peek().is_some_and(|&d| is_continuation(d)) {
                match self.last.map(|l| (l, prolonged_vowel(l))) {
                    _ if self.last_small_tsu => {}
                    Some(('ん', _)) => {}
                    Some((_, Some(v))) => self.push(v, origin, false),
                    _ => self.push('ー', origin, false),
                }
            } else if c == 'っ' {
                self.push('つ', origin, true);
            } else {
                self.push(c, origin, false);
            }
        }
    }

    fn push(&mut self, c: char, origin: &Range<usize>, small_tsu: bool) {
        self.out.starts.push(self.out.text.len());
        self.out.origins.push(origin.clone());
        self.out.text.push(c);
        self.last = Some(c);
        self.last_small_tsu = small_tsu;
    }
}

/// Characters that belong to the segment of the preceding character: combining marks,
/// (half-width / spacing) voicing marks and Hangul vowel/final jamo (which compose with the
/// preceding jamo under NFKC), including compatibility jamo that NFKC turns into those.
fn is_continuation(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    match c {
        '\u{FF9E}' | '\u{FF9F}' | '\u{309B}' | '\u{309C}' => true,
        '\u{1160}'..='\u{11FF}' | '\u{D7B0}'..='\u{D7FF}' => true,
        '\u{3131}'..='\u{318E}' | '\u{FFA0}'..='\u{FFDF}' => std::iter::once(c)
            .nfkc()
            .next()
            .is_some_and(|d| d != c && is_continuation(d)),
        _ => is_combining_mark(c),
    }
}

/// Normalizes a single-character segment without running the whole pipeline when the
/// character is already NFKC and lowercase (the common case), writing it to `out`. Returns
/// `false` when the full pipeline is needed. (A small っ is written unfolded: the builder folds
/// it after deciding about a following ー.)
fn simple_char(c: char, out: &mut String) -> bool {
    out.clear();
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return true;
    }
    let known = matches!(
        c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30F6}'
    ) || (is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
        && c.to_lowercase().eq(std::iter::once(c)));
    if known {
        to_hiragana(c, |h| {
            out.push(if h == 'っ' {
                h
            } else {
                fold_small(h).unwrap_or(h)
            })
        });
    }
    known
}

/// The full per-segment pipeline (NFKC → lowercase → hiragana → fold small kana), repeated
/// until it is stable so that the output is a fixed point. A small っ is left unfolded (the
/// builder folds it after deciding about a following ー) unless a voicing mark follows it.
fn transform(seg: &str, out: &mut String) {
    out.clear();
    let prepared: std::borrow::Cow<'_, str> = if seg
        .chars()
        .skip(1)
        .any(|c| matches!(c, '\u{309B}' | '\u{309C}'))
    {
        let mut p = String::with_capacity(seg.len());
        for (i, c) in seg.chars().enumerate() {
            p.push(match c {
                '\u{309B}' if i > 0 => '\u{3099}',
                '\u{309C}' if i > 0 => '\u{309A}',
                _ => c,
            });
        }
        p.into()
    } else {
        seg.into()
    };
    step(&prepared, out);
    let mut next = String::with_capacity(out.len());
    for _ in 0..8 {
        step(out, &mut next);
        if next == *out {
            return;
        }
        std::mem::swap(out, &mut next);
    }
}

fn step(s: &str, out: &mut String) {
    out.clear();
    let mut chars: Vec<char> = Vec::with_capacity(s.len());
    for c in s.nfkc() {
        for l in c.to_lowercase() {
            to_hiragana(l, |h| chars.push(h));
        }
    }
    for (i, &c) in chars.iter().enumerate() {
        let voiced_next = matches!(chars.get(i + 1), Some('\u{3099}' | '\u{309A}'));
        if c == 'っ' && !voiced_next {
            out.push(c);
        } else {
            out.push(fold_small(c).unwrap_or(c));
        }
    }
}

/// Katakana (and kana variants) to hiragana; everything else unchanged.
fn to_hiragana(c: char, mut push: impl FnMut(char)) {
    match c {
        '\u{30A1}'..='\u{30F6}' => push(char::from_u32(c as u32 - 0x60).unwrap_or(c)),
        'ヽ' => push('ゝ'),
        'ヾ' => push('ゞ'),
        'ヷ' => {
            push('ゔ');
            push('ぁ')
        }
        'ヸ' => {
            push('ゔ');
            push('ぃ')
        }
        'ヹ' => {
            push('ゔ');
            push('ぇ')
        }
        'ヺ' => {
            push('ゔ');
            push('ぉ')
        }
        // Small katakana for Ainu and the kana supplement's small forms.
        'ㇰ' => push('く'),
        'ㇱ' => push('し'),
        'ㇲ' => push('す'),
        'ㇳ' => push('と'),
        'ㇴ' => push('ぬ'),
        'ㇵ' => push('は'),
        'ㇶ' => push('ひ'),
        'ㇷ' => push('ふ'),
        'ㇸ' => push('へ'),
        'ㇹ' => push('ほ'),
        'ㇺ' => push('む'),
        'ㇻ' => push('ら'),
        'ㇼ' => push('り'),
        'ㇽ' => push('る'),
        'ㇾ' => push('れ'),
        'ㇿ' => push('ろ'),
        '\u{1B132}' | '\u{1B155}' => push('こ'),
        '\u{1B150}' | '\u{1B164}' => push('ゐ'),
        '\u{1B151}' | '\u{1B165}' => push('ゑ'),
        '\u{1B152}' | '\u{1B166}' => push('を'),
        '\u{1B167}' => push('ん'),
        _ => push(c),
    }
}

/// Small hiragana → large hiragana.
fn fold_small(c: char) -> Option<char> {
    Some(match c {
        'ぁ' => 'あ',
        'ぃ' => 'い',
        'ぅ' => 'う',
        'ぇ' => 'え',
        'ぉ' => 'お',
        'っ' => 'つ',
        'ゃ' => 'や',
        'ゅ' => 'ゆ',
        'ょ' => 'よ',
        'ゎ' => 'わ',
        'ゕ' => 'か',
        'ゖ' => 'け',
        _ => return None,
    })
}

/// The hiragana vowel that a ー after `c` stands for (`None`: not a kana with a vowel).
fn prolonged_vowel(c: char) -> Option<char> {
    Some(match c {
        'あ' | 'ぁ' | 'か' | 'が' | 'さ' | 'ざ' | 'た' | 'だ' | 'な' | 'は' | 'ば' | 'ぱ'
        | 'ま' | 'や' | 'ゃ' | 'ら' | 'わ' | 'ゎ' | 'ゕ' => 'あ',
        'い' | 'ぃ' | 'き' | 'ぎ' | 'し' | 'じ' | 'ち' | 'ぢ' | 'に' | 'ひ' | 'び' | 'ぴ'
        | 'み' | 'り' | 'ゐ' => 'い',
        'う' | 'ぅ' | 'く' | 'ぐ' | 'す' | 'ず' | 'つ' | 'づ' | 'ぬ' | 'ふ' | 'ぶ' | 'ぷ'
        | 'む' | 'ゆ' | 'ゅ' | 'る' | 'ゔ' => 'う',
        'え' | 'ぇ' | 'け' | 'げ' | 'せ' | 'ぜ' | 'て' | 'で' | 'ね' | 'へ' | 'べ' | 'ぺ'
        | 'め' | 'れ' | 'ゑ' | 'ゖ' => 'え',
        'お' | 'ぉ' | 'こ' | 'ご' | 'そ' | 'ぞ' | 'と' | 'ど' | 'の' | 'ほ' | 'ぼ' | 'ぽ'
        | 'も' | 'よ' | 'ょ' | 'ろ' | 'を' => 'お',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        let cases: &[(&str, &str)] = &[
            ("ショートステイ", "しよおとすてい"),
            ("しょーとすてい", "しよおとすてい"),
            ("ｼｮｰﾄｽﾃｲ", "しよおとすてい"),
            ("しょおとすてい", "しよおとすてい"),
            ("ＡＢＣ１２３", "abc123"),
            ("キュウイン", "きゆういん"),
            ("きゅういん", "きゆういん"),
            ("青ヶ島", "青け島"),
            ("青ケ島", "青け島"),
            ("ヵ月", "か月"),
            ("ｶﾞｲﾄﾞ", "がいど"),
            ("ﾊﾟｿｺﾝ", "ぱそこん"),
            ("か゛", "が"),
            ("ヴァイオリン", "ゔあいおりん"),
            ("ヷ", "ゔあ"),
            ("てぃー", "ていい"),
            ("ツー", "つう"),
            ("ッー", "つ"),
            ("ンー", "ん"),
            ("ーあ", "ーあ"),
            ("aー", "aー"),
            ("コーー", "こおお"),
            ("㈱ケア", "(株)けあ"),
            ("㌀", "あぱあと"),
            ("児", "児"),
            ("CPAP使用", "cpap使用"),
            ("  訪問\u{3000}\t介護 \n", "訪問 介護"),
            ("Ｈｅｌｌｏ　Ｗｏｒｌｄ", "hello world"),
            ("", ""),
            ("   ", ""),
            ("ヽヾ", "ゝゞ"),
            ("ＰＥＧ（胃ろう）", "peg(胃ろう)"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn romaji_meets_katakana() {
        use wana_kana::ConvertJapanese;
        let kana = "shootosutei".to_kana();
        assert_eq!(normalize(&kana), normalize("ショートステイ"));
        assert_eq!(normalize("ショートステイ"), normalize("ｼｮｰﾄｽﾃｲ"));
        assert_eq!(normalize("ショートステイ"), normalize("しょーとすてい"));
    }

    #[test]
    fn offsets_half_width_kana() {
        let src = "aｶﾞb";
        let n = normalize_with_map(src);
        assert_eq!(n.text, "aがb");
        let ga = n.text.find('が').unwrap();
        let r = n.original_range(ga..ga + 'が'.len_utf8());
        assert_eq!(&src[r], "ｶﾞ");
        let r = n.original_range(0..n.text.len());
        assert_eq!(r, 0..src.len());
    }

    #[test]
    fn offsets_expanding() {
        let src = "有限㈱ケア";
        let n = normalize_with_map(src);
        assert_eq!(n.text, "有限(株)けあ");
        let k = n.text.find('株').unwrap();
        assert_eq!(&src[n.original_range(k..k + 3)], "㈱");
        let p = n.text.find('(').unwrap();
        assert_eq!(&src[n.original_range(p..p + 1)], "㈱");
        let ke = n.text.find('け').unwrap();
        assert_eq!(&src[n.original_range(ke..n.text.len())], "ケア");
        // Empty ranges and out-of-range input.
        assert_eq!(n.original_range(ke..ke), 9..9);
        assert_eq!(n.original_range(100..200), src.len()..src.len());
    }

    #[test]
    fn offsets_prolonged_and_trim() {
        let src = "  ｼｮｰﾄ ";
        let n = normalize_with_map(src);
        assert_eq!(n.text, "しよおと");
        let o = n.text.find('お').unwrap();
        assert_eq!(&src[n.original_range(o..o + 3)], "ｰ");
        assert_eq!(&src[n.original_range(0..n.text.len())], "ｼｮｰﾄ");
        assert_eq!(n.origin_of_char_at(0), Some(2..5));
        assert_eq!(n.origin_of_char_at(1), None);
    }

    #[test]
    fn empty_map() {
        let n = normalize_with_map("   ");
        assert_eq!(n.text, "");
        assert_eq!(n.original_range(0..0), 0..0);
        assert_eq!(n.original_len(), 3);
    }

    #[test]
    fn tricky_idempotence() {
        for s in [
            "ぅ\u{3099}ー",
            "ㄱㅏ",
            "가ㄳ",
            "ﾞｶ",
            " \u{301}x",
            "a  \u{301}",
            "ｯﾞｰ",
            "ｰﾞ",
            "ΑΣ",
            "İ",
            "¨a",
            "っ\u{3099}ー",
            "\u{FDFA}",
        ] {
            let once = normalize(s);
            assert_eq!(normalize(&once), once, "input {s:?}");
        }
    }

    fn japaneseish() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "ｶ", "ﾞ", "ﾟ", "ｰ", "ー", "ッ", "っ", "ぅ", "ゥ", "\u{3099}", "\u{309A}", "゛", "゜",
            "ン", "ヶ", "ヵ", "ヷ", "ㇰ", "ｳ", "a", "A", "Ａ", "１", " ", "　", "\t", "\n", "㈱",
            "㌀", "児", "々", "ㄱ", "ㅏ", "ㄳ", "가", "\u{1161}", "\u{11AA}", "\u{301}", "e", "Σ",
            "İ", "¨", "\u{200D}", "👨", "\u{FE0F}", "\u{1b}", "ｧ", "ｨ", "ゕ", "ヽ", "\u{FDFA}",
            "ﾁ", "ﾂ", "ﾃ", "ｨ",
        ]);
        prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
    }

    fn check(s: &str) -> Result<(), TestCaseError> {
        let n = normalize_with_map(s);
        let again = normalize(&n.text);
        prop_assert_eq!(&again, &n.text, "input {:?}", s);
        for (i, _) in n.text.char_indices() {
            for (j, _) in n.text[i..].char_indices().skip(1).take(3) {
                let r = n.original_range(i..i + j);
                prop_assert!(r.start <= r.end && r.end <= s.len());
                prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
            }
        }
        let r = n.original_range(0..n.text.len());
        prop_assert!(r.start <= r.end && r.end <= s.len());
        Ok(())
    }

    proptest! {
        #[test]
        fn idempotent_any(s in any::<String>()) {
            check(&s)?;
        }

        #[test]
        fn idempotent_japaneseish(s in japaneseish()) {
            check(&s)?;
        }
    }
}
