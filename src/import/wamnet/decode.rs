//! Bytes → UTF-8 text at the import edge; everything after works on `str`.
//!
//! Rules, in order:
//! 1. A byte order mark decides (UTF-8 `EF BB BF`, UTF-16LE/BE); it is removed.
//! 2. Otherwise bytes that are valid UTF-8 are UTF-8 (the current downloads, without a BOM when a
//!    tool stripped it).
//! 3. Otherwise Shift_JIS as browsers decode it (encoding_rs's `Shift_JIS` is the WHATWG one,
//!    i.e. Microsoft's CP932 with its NEC/IBM extensions: ① ㈱ 髙 …) — older downloads and files
//!    saved again in Excel. Byte sequences that are not Shift_JIS either become U+FFFD and are
//!    counted, so the caller can report the file; nothing is guessed further.
//!
//! Detection is never asked of the user: a valid UTF-8 file is practically never valid
//! Shift_JIS Japanese text and the other way round.

use std::borrow::Cow;

use encoding_rs::{Encoding, SHIFT_JIS, UTF_8};

/// Decoded text and how it was decoded.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// The text, without a byte order mark.
    pub text: Cow<'a, str>,
    /// `UTF-8`, `UTF-8 (BOM)`, `Shift_JIS`, `UTF-16LE (BOM)`, …
    pub encoding: String,
    /// Number of byte sequences that could not be decoded (each became U+FFFD).
    pub malformed: usize,
}

/// Decodes a WAM NET file (see the module documentation for the rules).
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let (text, malformed) = decode_with(enc, body);
        return Decoded {
            text,
            encoding: format!("{} (BOM)", enc.name()),
            malformed,
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: Cow::Borrowed(text),
            encoding: UTF_8.name().into(),
            malformed: 0,
        };
    }
    let (text, malformed) = decode_with(SHIFT_JIS, bytes);
    Decoded {
        text,
        encoding: SHIFT_JIS.name().into(),
        malformed,
    }
}

/// Decodes without BOM sniffing, counting the U+FFFD the decoder had to insert.
fn decode_with<'a>(enc: &'static Encoding, body: &'a [u8]) -> (Cow<'a, str>, usize) {
    let (text, had_errors) = enc.decode_without_bom_handling(body);
    let malformed = if had_errors {
        // U+FFFD already present in the input would be counted too; an over-count only makes
        // the warning louder, never hides a problem.
        text.chars()
            .filter(|&c| c == char::REPLACEMENT_CHARACTER)
            .count()
    } else {
        0
    };
    (text, malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("\u{feff}\"療養介護\"".as_bytes());
        assert_eq!(
            (d.text.as_ref(), d.encoding.as_str()),
            ("\"療養介護\"", "UTF-8 (BOM)")
        );
        let d = decode("\"療養介護\"".as_bytes());
        assert_eq!(
            (d.text.as_ref(), d.encoding.as_str()),
            ("\"療養介護\"", "UTF-8")
        );
    }

    #[test]
    fn cp932_with_nec_extensions() {
        let original = "㈱髙島①　療養介護\r\n";
        let (bytes, _, unmappable) = SHIFT_JIS.encode(original);
        assert!(!unmappable);
        let d = decode(&bytes);
        assert_eq!(
            (d.text.as_ref(), d.encoding.as_str(), d.malformed),
            (original, "Shift_JIS", 0)
        );
    }

    #[test]
    fn garbage_is_counted_not_fatal() {
        let d = decode(&[0x82, 0xa0, 0xff, 0xfe, 0x41]);
        assert!(d.malformed > 0);
    }
}
