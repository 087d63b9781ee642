//! Romaji ⇄ kana conversion (wana_kana) for query understanding and fuzzy pickers.

use unicode_normalization::UnicodeNormalization;
use wana_kana::ConvertJapanese;

/// Converts romaji input (`jinkoukokyuuki`, `kudamatsu`, `shootosutei`) to hiragana.
///
/// Returns `None` unless the trimmed input consists only of ASCII letters, spaces, hyphens
/// and apostrophes (with at least one letter) and converts entirely to kana — leftover Latin
/// letters (`abc` → あbc, `PEG` → ぺg) mean it was not romaji. Case is ignored (no katakana
/// output). Hyphens become ー (normalization then turns it into the vowel); `nn` and `n'` are
/// handled as wana_kana does (`kon'ya` → こんや).
///
/// Deliberate deviation from wana_kana: `ti`/`di` are read as ティ/ディ (`thi`/`dhi`), because
/// Hepburn writes ち/ぢ as `chi`/`ji` and `ti`/`di` only occur in loanwords
/// (`koodineetaa` → こおでぃねえたあ, `paatii` → ぱあてぃい).
pub fn romaji_to_kana(s: &str) -> Option<String> {
    let t = s.trim();
    if !t.chars().any(|c| c.is_ascii_alphabetic())
        || !t
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | '-' | '\''))
    {
        return None;
    }
    let lower = t
        .to_ascii_lowercase()
        .replace("ti", "thi")
        .replace("di", "dhi");
    let kana = lower.as_str().to_hiragana();
    let all_kana = kana
        .chars()
        .all(|c| matches!(c, '\u{3041}'..='\u{309F}' | 'ー' | ' '));
    (all_kana && kana.chars().any(|c| c != ' ')).then_some(kana)
}

/// Two-letter beginnings of a syllable (`ky` of きゃ, `sh` of しゃ, `ts` of つ …).
const ONSETS: [&str; 22] = [
    "ky", "gy", "sh", "ch", "ts", "ny", "hy", "my", "ry", "by", "py", "jy", "dy", "th", "dh", "fy",
    "cy", "zy", "sy", "ty", "wh", "kw",
];

/// Splits romaji being typed into its finished part and an unfinished syllable at its end:
/// `houk` → (`hou`, `k`), `shootosut` → (`shootosu`, `t`), `koky` → (`ko`, `ky`),
/// `hokk` → (`ho`, `kk`), `shin` → (`shi`, `n`) (a final `n` may still become な…; `nn` is ん).
/// `None` when the word is not romaji with an unfinished end (`hou`, `abc`, `msw`, `訪問`),
/// or when its finished part does not convert to kana entirely.
///
/// The search uses it so that the list does not empty after each consonant while the clerk
/// types romaji with the IME off (`h`, `ho`, `hou`, `houk` …).
pub fn split_unfinished(word: &str) -> Option<(&str, &str)> {
    if word.is_empty() || !word.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let is_vowel = |c: char| matches!(c, 'a' | 'i' | 'u' | 'e' | 'o');
    let tail = lower.len() - lower.trim_end_matches(|c| !is_vowel(c)).len();
    let pending = &lower[lower.len() - tail..];
    let single = pending.len() == 1;
    // A doubled consonant (っ) may come before the syllable's start: kk, tts, ssh.
    let onset = match pending.as_bytes() {
        [a, b, rest @ ..] if a == b && *a != b'n' => &pending[1..2 + rest.len()],
        _ => pending,
    };
    let valid = single
        || (onset.len() == 1 && pending.len() == 2 && onset != "n")
        || ONSETS.contains(&onset)
        || pending == "tch";
    if tail == 0 || !valid || (pending == "n" && lower.ends_with("nn")) {
        return None;
    }
    let done = &word[..word.len() - tail];
    if !done.is_empty() && romaji_to_kana(done).is_none() {
        return None;
    }
    Some((done, &word[word.len() - tail..]))
}

/// Converts hiragana/katakana to (Hepburn-style) romaji with wana_kana: くだまつし →
/// `kudamatsushi`, ショートステイ → `shootosutei`. Other characters (kanji, Latin) pass through.
///
/// Pass the kana reading as written (small kana matter: きょうと → `kyouto`), never its
/// search normalization, which folds small kana (きようと → `kiyouto`). Hiragana, katakana
/// and half-width katakana (ｷｮｳﾄ) give the same romaji. For fuzzy keys use
/// [`crate::text::fuzzy::reading_keys`], which does this.
///
/// The input is NFKC-normalized first (ｸﾀﾞﾏﾂ → クダマツ): wana_kana 5.0 loops forever on a
/// half-width voicing mark ﾞ/ﾟ that does not combine with the preceding character.
pub fn kana_to_romaji(s: &str) -> String {
    let composed: String = s.nfkc().collect();
    composed.as_str().to_romaji()
}

/// A hiragana reading without its long vowels, as Hepburn romaji writes it (しゅうなん → しゅなん,
/// とうきょう → ときょ, おおさか → おさか): う after an o- or u-sound and お after an o-sound are
/// dropped. `None` when the reading has none, or what is left is under three characters.
pub fn without_long_vowels(reading: &str) -> Option<String> {
    if !reading
        .chars()
        .all(|c| ('\u{3041}'..='\u{309F}').contains(&c))
    {
        return None;
    }
    const O_SOUNDS: &str = "おこごそぞとどのほぼぽもよろをょ";
    const U_SOUNDS: &str = "うくぐすずつづぬふぶぷむゆるゅ";
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in reading.chars() {
        let long = match (prev, c) {
            (Some(p), 'う') => O_SOUNDS.contains(p) || U_SOUNDS.contains(p),
            (Some(p), 'お') => O_SOUNDS.contains(p),
            _ => false,
        };
        if !long {
            out.push(c);
        }
        prev = Some(c);
    }
    (out != reading && out.chars().count() >= 3).then_some(out)
}

/// A hiragana reading as romaji typed by ear writes it, every long vowel left out — those of
/// [`without_long_vowels`], and a vowel that repeats the one before it, as katakana's ー reads
/// once normalized (こおでいねえたあ of コーディネーター → こでいねた, `kodineta`;
/// りようようかいご → りよよかいご, `ryoyokaigo`). For the vocabulary's words, not area
/// names: Hepburn writes a place's いい and ええ out (Niigata). `None` as there.
pub fn without_any_long_vowels(reading: &str) -> Option<String> {
    let shorter = without_long_vowels(reading);
    let base = shorter.as_deref().unwrap_or(reading);
    if !base.chars().all(|c| ('\u{3041}'..='\u{309F}').contains(&c)) {
        return None;
    }
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in base.chars() {
        let repeats = "あいうえお".contains(c) && prev.and_then(vowel_of) == vowel_of(c);
        if !repeats {
            out.push(c);
        }
        prev = Some(c);
    }
    (out != reading && out.chars().count() >= 3).then_some(out)
}

/// The vowel a hiragana ends with (か → あ), `None` for ん and marks.
fn vowel_of(c: char) -> Option<char> {
    const ROWS: [(char, &str); 5] = [
        ('あ', "あぁかがさざただなはばぱまやゃらわ"),
        ('い', "いぃきぎしじちぢにひびぴみり"),
        ('う', "うぅくぐすずつづっぬふぶぷむゆゅる"),
        ('え', "えぇけげせぜてでねへべぺめれ"),
        ('お', "おぉこごそぞとどのほぼぽもよょろを"),
    ];
    ROWS.iter()
        .find(|(_, row)| row.contains(c))
        .map(|(v, _)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn romaji_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("jinkoukokyuuki", Some("じんこうこきゅうき")),
            ("kudamatsu", Some("くだまつ")),
            ("shootosutei", Some("しょおとすてい")),
            ("koodineetaa", Some("こおでぃねえたあ")),
            ("shina", Some("しな")),
            ("Shinagawa", Some("しながわ")),
            ("  KUDAMATSU  ", Some("くだまつ")),
            ("kon'ya", Some("こんや")),
            ("ko-hi-", Some("こーひー")),
            ("houmon kaigo", Some("ほうもん かいご")),
            ("abc", None),
            ("PEG", None),
            ("xyz", None),
            ("", None),
            ("   ", None),
            ("'", None),
            ("-", None),
            ("訪問", None),
            ("かいご", None),
            ("kaigo2", None),
            ("it's", None),
        ];
        for (input, want) in cases {
            assert_eq!(romaji_to_kana(input).as_deref(), *want, "input {input:?}");
        }
    }

    #[test]
    fn unfinished_syllable_table() {
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            ("h", Some(("", "h"))),
            ("houk", Some(("hou", "k"))),
            ("houkagod", Some(("houkago", "d"))),
            ("shootosut", Some(("shootosu", "t"))),
            ("sh", Some(("", "sh"))),
            ("koky", Some(("ko", "ky"))),
            ("kokyuuk", Some(("kokyuu", "k"))),
            ("hokk", Some(("ho", "kk"))),
            ("matts", Some(("ma", "tts"))),
            ("shin", Some(("shi", "n"))),
            ("Shinagaw", Some(("Shinaga", "w"))),
            // Finished, or not romaji at all.
            ("hou", None),
            ("houkagodei", None),
            ("honn", None),
            ("msw", None),
            ("als", None),
            ("", None),
            ("訪問", None),
            ("kaigo2", None),
        ];
        for (input, want) in cases {
            assert_eq!(split_unfinished(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn romaji_meets_normalized_katakana() {
        use crate::text::normalize::normalize;
        for (romaji, kana) in [
            ("shootosutei", "ショートステイ"),
            ("koodineetaa", "コーディネーター"),
            ("jinkoukokyuuki", "ジンコウコキュウキ"),
        ] {
            assert_eq!(
                normalize(&romaji_to_kana(romaji).unwrap()),
                normalize(kana),
                "{romaji}"
            );
        }
    }

    #[test]
    fn kana_to_romaji_table() {
        let cases: &[(&str, &str)] = &[
            ("くだまつし", "kudamatsushi"),
            ("しながわ", "shinagawa"),
            ("ショートステイ", "shootosutei"),
            ("きゃ", "kya"),
            ("ｸﾀﾞﾏﾂ", "kudamatsu"),
            // Small kana as written: hiragana, katakana and half-width alike.
            ("きょうと", "kyouto"),
            ("キョウト", "kyouto"),
            ("ｷｮｳﾄ", "kyouto"),
            ("じゅうしょうしんしん", "juushoushinshin"),
            ("ﾁｮｳ", "chou"),
            // Normalized kana has lost its small kana: this is why callers pass the reading
            // as written (see `text::fuzzy::reading_keys`).
            ("きようと", "kiyouto"),
        ];
        for (kana, want) in cases {
            assert_eq!(kana_to_romaji(kana), *want, "{kana}");
        }
    }

    #[test]
    fn half_width_voicing_marks_do_not_hang() {
        // wana_kana 5.0 alone never returns for these.
        for s in ["ﾞ", "ﾟ", "aﾟ", "かﾞ", "ｶﾟ", "\u{302}ﾟ"] {
            let _ = kana_to_romaji(s);
            let _ = romaji_to_kana(s);
        }
    }

    proptest! {
        #[test]
        fn no_panic_and_only_kana(s in any::<String>()) {
            let _ = kana_to_romaji(&s);
            if let Some(k) = romaji_to_kana(&s) {
                prop_assert!(k.chars().all(|c| !c.is_ascii_alphabetic()));
            }
        }

        #[test]
        fn romaji_words_no_panic(s in "[a-zA-Z' -]{0,20}") {
            if let Some(k) = romaji_to_kana(&s) {
                prop_assert!(!k.trim().is_empty());
            }
        }
    }

    #[test]
    fn long_vowels_are_left_out_as_hepburn_writes_them() {
        for (reading, want) in [
            ("しゅうなん", Some("しゅなん")),
            ("とうきょう", Some("ときょ")),
            ("おおさか", Some("おさか")),
            ("じゅうしん", Some("じゅしん")),
            ("しながわ", None),
            ("ゆう", None),
            ("品川", None),
        ] {
            assert_eq!(without_long_vowels(reading).as_deref(), want, "{reading}");
        }
    }

    #[test]
    fn every_long_vowel_is_left_out_for_vocabulary_words() {
        for (reading, want) in [
            ("こおでいねえたあ", Some("こでいねた")),
            ("りようようかいご", Some("りよよかいご")),
            ("しよおとすてい", Some("しよとすてい")),
            ("じゆうしん", Some("じゆしん")),
            ("れすぱいと", None),
            ("ああ", None),
            ("療養", None),
        ] {
            assert_eq!(
                without_any_long_vowels(reading).as_deref(),
                want,
                "{reading}"
            );
        }
    }
}
