//! Text handling shared by search and display.
//!
//! - [`normalize`]: search normalization (NFKC, lowercase, katakana → hiragana, ー → vowel,
//!   small kana folded) with a byte-offset map back to the original text.
//! - [`fuzzy`]: the one "did you mean" rule (fuzzy keys and typed forms) for search,
//!   pickers and name resolution.
//! - [`romaji`]: romaji ⇄ kana conversion for queries and fuzzy pickers (wana_kana).
//! - [`width`]: terminal display-cell helpers (truncate, wrap, horizontal slicing).
//! - [`phone`]: phone numbers in the national format (numbering plan: `phonenumber`).
//! - [`sanitize`]: strips control and bidi characters before text reaches the terminal.

pub mod fuzzy;
pub mod normalize;
pub mod phone;
pub mod romaji;
pub mod sanitize;
pub mod width;
