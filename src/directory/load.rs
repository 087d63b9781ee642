//! Where the directory comes from: the bundled file embedded in the binary, or a user's file
//! (`--data FILE`, `IKENAVI_DATA`, or `data` in the config), always through the same validation.

use std::path::{Path, PathBuf};

use super::validate::{ValidationErrors, parse_directory};
use super::{Catalog, Directory};

/// The bundled directory, embedded at build time.
pub const BUNDLED_JSON: &[u8] = include_bytes!("../../data/directory.json");

/// The name the bundled file has in messages.
pub const BUNDLED_NAME: &str = "data/directory.json";

/// Which directory to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    /// The directory embedded in the binary.
    Bundled,
    /// A file on disk.
    File(PathBuf),
}

impl DataSource {
    /// Name used in messages.
    pub fn display_name(&self) -> String {
        match self {
            DataSource::Bundled => BUNDLED_NAME.to_string(),
            DataSource::File(p) => p.display().to_string(),
        }
    }

    /// Reads and validates the directory.
    pub fn load(&self) -> Result<Catalog, LoadError> {
        let dir = match self {
            DataSource::Bundled => parse_directory(BUNDLED_JSON, BUNDLED_NAME)?,
            DataSource::File(p) => load_file(p)?,
        };
        Ok(Catalog::new(dir))
    }
}

/// Why a directory could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{path}: cannot read the data file: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file was read but is not a valid directory.
    #[error("{0}")]
    Invalid(#[from] ValidationErrors),
}

/// Reads and validates a directory file.
pub fn load_file(path: &Path) -> Result<Directory, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(parse_directory(&bytes, &path.display().to_string())?)
}
