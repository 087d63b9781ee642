//! ikenavi (医ケアナビ): a directory of support for children who need medical care at home,
//! with Japanese-aware search. The binary (`src/main.rs`), the tests and the benches all use
//! this library API.

pub mod bench;
pub mod cli;
pub mod config;
pub mod directory;
pub mod import;
pub mod present;
pub mod search;
pub mod synth;
pub mod text;
pub mod tui;
