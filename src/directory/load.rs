//! Where the directory comes from: the layers bundled in the binary (gazetteer, vocabulary,
//! curated records) and any number of user files (`--data FILE`, repeatable; `IKENAVI_DATA`
//! as a path list; `data` in the config), merged in that order through the same validation.
//! A user file may hold only resources: it is checked against the layers below it. A broken
//! layer is refused with its `file:line:col` message, and nothing is half-loaded. Once merged,
//! the embedded links join each curated record with the open-data row of the same office
//! (see [`super::links`]).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::Catalog;
use super::layers::{LayerInfo, Stack};
use super::model::Directory;
use super::validate::{ValidationErrors, parse_bundled_layer, parse_layer};

/// One bundled layer: its name in messages and its bytes, embedded at build time.
#[derive(Debug, Clone, Copy)]
pub struct BundledLayer {
    /// `data/gazetteer.json` …
    pub name: &'static str,
    /// The file's bytes.
    pub bytes: &'static [u8],
}

/// The bundled layers, in load order: every area of Japan (generated from the official code
/// list, see `data/sources/README.md`), the taxonomy and glossary, then the records curated
/// from the five source documents.
pub const BUNDLED: &[BundledLayer] = &[
    BundledLayer {
        name: "data/gazetteer.json",
        bytes: include_bytes!("../../data/gazetteer.json"),
    },
    BundledLayer {
        name: "data/vocabulary.json",
        bytes: include_bytes!("../../data/vocabulary.json"),
    },
    BundledLayer {
        name: "data/curated.json",
        bytes: include_bytes!("../../data/curated.json"),
    },
];

/// Which layers to load: the bundled ones (unless left out) and the user's files on top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataSource {
    /// Whether the bundled layers are loaded under the files.
    pub bundled: bool,
    /// User files, in the order they are stacked.
    pub files: Vec<PathBuf>,
}

impl DataSource {
    /// The bundled directory alone.
    pub fn bundled() -> Self {
        DataSource {
            bundled: true,
            files: Vec::new(),
        }
    }

    /// The bundled layers with these files on top.
    pub fn with_files(files: Vec<PathBuf>) -> Self {
        DataSource {
            bundled: true,
            files,
        }
    }

    /// Only these files (the first must then define the areas and taxonomy the others use).
    pub fn only(files: Vec<PathBuf>) -> Self {
        DataSource {
            bundled: false,
            files,
        }
    }

    /// Names of the layers, for messages (`data/gazetteer.json + … + my.json`).
    pub fn display_name(&self) -> String {
        self.layer_names().join(" + ")
    }

    /// The name of every layer, bottom first.
    pub fn layer_names(&self) -> Vec<String> {
        let bundled = BUNDLED
            .iter()
            .filter(|_| self.bundled)
            .map(|b| b.name.to_string());
        bundled
            .chain(self.files.iter().map(|p| p.display().to_string()))
            .collect()
    }

    /// Reads every layer, bottom first.
    pub fn read_layers(&self) -> Result<Vec<LayerBytes>, LoadError> {
        let mut out = Vec::new();
        if self.bundled {
            for b in BUNDLED {
                out.push(LayerBytes {
                    name: b.name.to_string(),
                    bytes: Cow::Borrowed(b.bytes),
                    bundled: true,
                });
            }
        }
        for p in &self.files {
            out.push(LayerBytes {
                name: p.display().to_string(),
                bytes: Cow::Owned(read_file(p)?),
                bundled: false,
            });
        }
        Ok(out)
    }

    /// Reads, validates and merges every layer. The bundled layers are read straight into
    /// their types (see [`parse_bundled_layer`]); user files get every check.
    pub fn load(&self) -> Result<Catalog, LoadError> {
        self.load_with(true)
    }

    /// Like [`load`](Self::load), with every check on the bundled layers too (`validate`).
    pub fn load_strict(&self) -> Result<Catalog, LoadError> {
        self.load_with(false)
    }

    fn load_with(&self, trust_bundled: bool) -> Result<Catalog, LoadError> {
        let (mut dir, mut layers) = self.merge(trust_bundled)?;
        let links = super::links::bundled()?;
        let moved = super::links::apply(&mut dir, &mut layers, &links.links);
        Ok(Catalog::layered(dir, layers).with_moved_ids(moved))
    }

    /// The layers merged, without applying the links between curated records and open-data
    /// offices (see [`super::links`]): for `import links`, which needs both sides.
    pub fn load_unlinked(&self) -> Result<Catalog, LoadError> {
        let (dir, layers) = self.merge(true)?;
        Ok(Catalog::layered(dir, layers))
    }

    fn merge(&self, trust_bundled: bool) -> Result<(Directory, Vec<LayerInfo>), LoadError> {
        let mut stack = Stack::default();
        for l in self.read_layers()? {
            let layer = if l.bundled && trust_bundled {
                parse_bundled_layer(&l.bytes, &l.name, &stack)?
            } else {
                parse_layer(&l.bytes, &l.name, &stack)?
            };
            stack.push(layer, &l.name, l.bundled);
        }
        Ok(stack.finish())
    }
}

/// One layer's file as read.
#[derive(Debug, Clone)]
pub struct LayerBytes {
    /// Its name in messages.
    pub name: String,
    /// Its contents.
    pub bytes: Cow<'static, [u8]>,
    /// Whether it is bundled in the binary.
    pub bundled: bool,
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
    /// The file was read but is not a valid directory layer.
    #[error("{0}")]
    Invalid(#[from] ValidationErrors),
    /// The embedded links file could not be read (a broken build).
    #[error(transparent)]
    Links(#[from] super::links::LinksError),
}

fn read_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.display().to_string(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The start-up path (bundled layers read without checks) gives exactly what the full
    /// validation gives, so skipping the checks at start loses nothing.
    #[test]
    fn bundled_layers_read_at_start_equal_the_fully_validated_ones() {
        let fast = DataSource::bundled().load().unwrap();
        let strict = DataSource::bundled().load_strict().unwrap();
        assert_eq!(
            serde_json::to_string(&fast.dir).unwrap(),
            serde_json::to_string(&strict.dir).unwrap()
        );
        assert_eq!(fast.layers, strict.layers);
    }
}
