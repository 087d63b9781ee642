//! ikenavi (医ケアナビ): a directory of support for children who need medical care at home,
//! with Japanese-aware search. The binary (`src/main.rs`), the tests and the benches all use
//! this library API; modules only the crate uses (`bench`, `synth`, `fsutil`) are private to
//! it, so the compiler reports what nothing uses.
//!
//! Layers, lowest first — each uses only those before it: `text` (normalization, romaji,
//! widths, fuzzy matching) and `fsutil` (private and atomic files) → `directory` (model,
//! layers, validation, areas, filters) → `config`, `present`, `synth`, `import` → `tally`
//! (the anonymous enquiry counts) → `search` → `tui` → `bench`, `doctor` → `cli`.

pub(crate) mod bench;
pub mod cli;
pub mod config;
pub mod csvsafe;
pub mod directory;
pub mod doctor;
pub(crate) mod fsutil;
pub mod import;
pub(crate) mod lazycells;
pub mod present;
pub mod search;
pub(crate) mod synth;
pub mod tally;
pub mod text;
pub mod tui;

#[cfg(test)]
pub(crate) mod testing;
