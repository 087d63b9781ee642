//! Test helpers for the library's own tests: the bundled directory (~34k records, ~50 MB of
//! open data) is read once per test binary and shared, instead of parsed again by each test.

use std::sync::OnceLock;

use crate::directory::{Catalog, DataSource};
use crate::search::SearchEngine;

/// A copy of the bundled directory, fully in memory (its records can be changed).
pub(crate) fn bundled() -> Catalog {
    static BUNDLED: OnceLock<Catalog> = OnceLock::new();
    BUNDLED
        .get_or_init(|| DataSource::bundled().load().expect("bundled loads"))
        .clone()
}

/// The bundled directory and its engine as the app opens them: from the on-disk index cache
/// (shared by the tests of this build; built by the first, opened warm by the others), records
/// decoded as they are read.
pub(crate) fn bundled_with_engine() -> (Catalog, SearchEngine) {
    let root = std::path::PathBuf::from(env!("OUT_DIR")).join("test-cache");
    let opened = crate::search::cache::open(&DataSource::bundled(), Some(&root))
        .expect("bundled index opens");
    (opened.catalog, opened.engine)
}
