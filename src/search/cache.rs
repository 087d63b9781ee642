//! Opening a directory ready to search, with an on-disk cache for large files.
//!
//! Small directories are parsed and indexed in RAM at start. Above [`DISK_THRESHOLD_BYTES`]
//! of layers (the bundled ones count: with the open-data offices they are over it) the tantivy
//! index and the validated directory (postcard) are kept under the user cache dir, keyed by
//! the xxh3 hash of every layer and [`FORMAT_VERSION`], so a warm start neither parses JSON
//! nor indexes: the first start after an install or an update builds it once (under a second
//! for the bundled directory, see the README's performance table). The cache is built in a temporary directory and
//! renamed into place (two instances racing both succeed; the loser uses the winner's copy);
//! an unreadable or corrupt cache is rebuilt with a one-line notice; a cache dir that cannot be
//! written falls back to a temporary directory removed at exit, and that failing, to RAM.

use std::path::{Path, PathBuf};

use tantivy::Index;
use tantivy::directory::MmapDirectory;

use super::index::{self, Fields};
use super::vocab::Vocabulary;
use super::{SearchEngine, SearchError, analyzer};
use crate::directory::links::BUNDLED_LINKS;
use crate::directory::load::BUNDLED;
use std::io::{Read, Write};

use crate::directory::{
    Catalog, DataSource, Directory, LayerInfo, LazyRecords, LoadError, Resource,
};
use crate::fsutil::{create_private_dir, temp_sibling, write_private_atomic, write_private_new};
use crate::text::phone::{self, KnownNumbers};

/// Bumped whenever the schema, the analyzer, the cached catalog format or how the search
/// vocabulary is built (it is cached too) changes.
pub const FORMAT_VERSION: u32 = 42;

/// Data files larger than this are indexed on disk and cached.
pub const DISK_THRESHOLD_BYTES: usize = 4 * 1024 * 1024;

/// A directory opened for search.
pub struct Opened {
    /// The validated directory.
    pub catalog: Catalog,
    /// Its search engine.
    pub engine: SearchEngine,
    /// Where the index came from.
    pub origin: IndexOrigin,
    /// A one-line notice for the user (cache rebuilt, fell back to RAM …).
    pub notice: Option<String>,
}

/// Where the index came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexOrigin {
    /// Built in memory at start.
    Ram,
    /// Opened from the on-disk cache (warm start).
    CacheHit(PathBuf),
    /// Built now and stored in the cache.
    CacheBuilt(PathBuf),
    /// Built now in a temporary directory (the cache dir could not be written), removed at
    /// exit.
    Scratch(PathBuf),
}

/// Why a directory could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The data file is missing or invalid.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The index could not be built.
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// The default cache root (`~/.cache/ikenavi` on Linux), if the platform has one.
pub fn default_cache_root() -> Option<PathBuf> {
    directories::ProjectDirs::from("jp", "ikenavi", "ikenavi").map(|d| d.cache_dir().to_path_buf())
}

/// Opens a directory for search, using the on-disk cache under `cache_root` when its user
/// files are large. The cache is keyed by the hash of every layer, so changing any of them
/// (or the bundled data, in a new build) rebuilds it.
pub fn open(data: &DataSource, cache_root: Option<&Path>) -> Result<Opened, OpenError> {
    open_telling(data, cache_root, &mut || {})
}

/// [`open`], calling `building` once just before an index is built on disk (the first start
/// after an install: ~5 s for the bundled directory), so the UI can say so at once.
pub fn open_telling(
    data: &DataSource,
    cache_root: Option<&Path>,
    building: &mut dyn FnMut(),
) -> Result<Opened, OpenError> {
    let Some(root) = cache_root else {
        return in_ram(data, None);
    };
    let mut metas = Vec::with_capacity(data.files.len());
    for path in &data.files {
        let meta = std::fs::metadata(path).map_err(|source| LoadError::Io {
            path: path.display().to_string(),
            source,
        })?;
        metas.push(meta);
    }
    let user_bytes: u64 = metas.iter().map(std::fs::Metadata::len).sum();
    if user_bytes + data.bundled_bytes() <= DISK_THRESHOLD_BYTES as u64 {
        return in_ram(data, None);
    }
    let index_root = root.join("index");
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    if data.bundled {
        for b in BUNDLED {
            hasher.update(&xxhash_rust::xxh3::xxh3_64(b.embedded_bytes()).to_le_bytes());
        }
    }
    // The links apply to user files too (both ids loaded), so they key every cache.
    hasher.update(&xxhash_rust::xxh3::xxh3_64(BUNDLED_LINKS.bytes).to_le_bytes());
    for (path, meta) in data.files.iter().zip(&metas) {
        hasher.update(&file_hash(path, meta, root)?.to_le_bytes());
    }
    let hash = hasher.digest();
    let key = format!("v{FORMAT_VERSION}-{hash:016x}");
    let dir = index_root.join(&key);
    let mut notice = None;
    if dir.exists() {
        match open_cached(&dir) {
            Ok((mut catalog, engine)) => {
                name_user_layers(&mut catalog, data);
                return Ok(Opened {
                    catalog,
                    engine,
                    origin: IndexOrigin::CacheHit(dir),
                    notice: None,
                });
            }
            Err(e) => {
                notice = Some(format!("索引キャッシュが読めないため作り直しました（{e}）"));
                let _ = std::fs::remove_dir_all(&dir);
            }
        }
    }
    building();
    match build_cache(&index_root, &key, data) {
        Ok(built) => {
            let (mut catalog, engine) = open_cached(&built)?;
            name_user_layers(&mut catalog, data);
            Ok(Opened {
                catalog,
                engine,
                origin: IndexOrigin::CacheBuilt(built),
                notice,
            })
        }
        Err(BuildError::Load(e)) => Err(e.into()),
        Err(BuildError::Cache(e)) => in_scratch(data, &e, &std::env::temp_dir()),
    }
}

/// The user layers named by their paths in this run: a cache is keyed by the files' contents,
/// so one built from the same contents at another path (another temporary folder, a copy)
/// would name that path in the detail's 収録データ and in messages.
fn name_user_layers(catalog: &mut Catalog, data: &DataSource) {
    let mut files = data.files.iter();
    for layer in catalog.layers.iter_mut().filter(|l| !l.bundled) {
        if let Some(f) = files.next() {
            layer.name = f.display().to_string();
        }
    }
}

/// The cache dir cannot be written (`why`): the cache is built in a temporary directory under
/// `scratch_root` instead, removed when the engine is dropped — the index of the whole
/// country built in memory takes three times the memory (1.1 GB at 200k records, against
/// 360 MB). If that fails too, the index is built in memory.
fn in_scratch(
    data: &DataSource,
    why: &SearchError,
    scratch_root: &Path,
) -> Result<Opened, OpenError> {
    let built = tempfile::Builder::new()
        .prefix("ikenavi-index-")
        .tempdir_in(scratch_root)
        .map_err(|e| BuildError::Cache(io(scratch_root)(e)))
        .and_then(|tmp| {
            let dir = build_cache(tmp.path(), "index", data)?;
            Ok((tmp, dir))
        });
    match built {
        Ok((tmp, dir)) => {
            let (catalog, engine) = open_cached(&dir)?;
            Ok(Opened {
                catalog,
                engine: engine.with_scratch(tmp),
                origin: IndexOrigin::Scratch(dir),
                notice: Some(format!(
                    "索引キャッシュに書けないため一時フォルダに索引を作りました（{why}）"
                )),
            })
        }
        Err(BuildError::Load(e)) => Err(e.into()),
        Err(BuildError::Cache(_)) => {
            let catalog = data.load()?;
            let engine = SearchEngine::new(&catalog)?;
            Ok(Opened {
                catalog,
                engine,
                origin: IndexOrigin::Ram,
                notice: Some(format!(
                    "索引キャッシュに書けないためメモリ上で索引を作りました（{why}）"
                )),
            })
        }
    }
}

/// The xxh3 hash of a user file. A stamp remembers the hash of this path at this size and
/// mtime, so a warm start does not read and hash the whole file; any change to the file
/// changes size or mtime.
fn file_hash(path: &Path, meta: &std::fs::Metadata, root: &Path) -> Result<u64, LoadError> {
    let stamp = Stamp::of(path, meta);
    if let Some(h) = stamp.as_ref().and_then(|s| s.recall(root)) {
        return Ok(h);
    }
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let h = xxhash_rust::xxh3::xxh3_64(&bytes);
    if let Some(s) = &stamp {
        s.remember(root, h);
    }
    Ok(h)
}

/// The identity of a data file on disk: path, size and modification time.
struct Stamp {
    file: String,
    line: String,
}

impl Stamp {
    fn of(path: &Path, meta: &std::fs::Metadata) -> Option<Stamp> {
        let canonical = std::fs::canonicalize(path).ok()?;
        let mtime = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        let id = xxhash_rust::xxh3::xxh3_64(canonical.as_os_str().as_encoded_bytes());
        Some(Stamp {
            file: format!("{id:016x}"),
            line: format!("{} {mtime}", meta.len()),
        })
    }

    fn path(&self, root: &Path) -> PathBuf {
        root.join("stamps").join(&self.file)
    }

    /// The hash remembered for this size and mtime, if any.
    fn recall(&self, root: &Path) -> Option<u64> {
        let text = std::fs::read_to_string(self.path(root)).ok()?;
        let (line, hash) = text.trim().rsplit_once(' ')?;
        (line == self.line).then(|| u64::from_str_radix(hash, 16).ok())?
    }

    /// Remembers the hash. Not an error when it fails: the stamp only saves hashing the file
    /// on the next start.
    fn remember(&self, root: &Path, hash: u64) {
        let line = format!("{} {hash:016x}\n", self.line);
        let _ = write_private_atomic(&self.path(root), line.as_bytes());
    }
}

fn in_ram(data: &DataSource, notice: Option<String>) -> Result<Opened, OpenError> {
    let catalog = data.load()?;
    let engine = SearchEngine::new(&catalog)?;
    Ok(Opened {
        catalog,
        engine,
        origin: IndexOrigin::Ram,
        notice,
    })
}

const HEADER_FILE: &str = "header.postcard";
const RECORDS_FILE: &str = "records.postcard";
const TABLE_FILE: &str = "records.table";
const INDEX_DIR: &str = "tantivy";

/// What the cache keeps besides the records and their table: the directory without its
/// resources, and what searching it needs that would take longer to derive than to read.
#[derive(serde::Serialize, serde::Deserialize)]
struct Header {
    directory: Directory,
    layers: Vec<LayerInfo>,
    /// The search vocabulary with its known words, as the index was built with them.
    vocabulary: Vocabulary,
    /// Ids of offices merged into a curated record → that record's id.
    moved: std::collections::BTreeMap<String, String>,
    /// Ids an earlier release gave an office → the record that continues it.
    former: std::collections::BTreeMap<String, String>,
    /// How many records are in the index: the listed ones ([`Resource::is_listed`]).
    indexed: u64,
    /// The numbering plan's answers for every phone, FAX and note of the records, so that a
    /// start shows them without starting the plan.
    phones: KnownNumbers,
}

/// An I/O error on a cache path.
fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SearchError + '_ {
    move |source| SearchError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The cache at `path` is not what this build wrote.
fn corrupt(path: &Path, reason: impl std::fmt::Display) -> SearchError {
    SearchError::CorruptCache {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// Opens a complete cache directory: header, records (memory-mapped, sizes checked) and index,
/// checked against each other. Records are decoded on demand.
fn open_cached(dir: &Path) -> Result<(Catalog, SearchEngine), SearchError> {
    let header_path = dir.join(HEADER_FILE);
    let bytes = std::fs::read(&header_path).map_err(io(&header_path))?;
    let header: Header = postcard::from_bytes(&bytes).map_err(|e| corrupt(&header_path, e))?;
    let records_path = dir.join(RECORDS_FILE);
    let records = map(&records_path)?;
    let table = map(&dir.join(TABLE_FILE))?;
    let lazy = LazyRecords::new(Box::new(records), Box::new(table))
        .map_err(|e| corrupt(&records_path, e))?;
    let catalog = Catalog::lazy(header.directory, header.layers, lazy)
        .with_moved_ids(header.moved)
        .with_former_ids(header.former);
    let mmap = MmapDirectory::open(dir.join(INDEX_DIR)).map_err(tantivy::TantivyError::from)?;
    let index = Index::open(mmap)?;
    let fields = Fields::from_schema(&index.schema())?;
    phone::remember(header.phones);
    let vocab = header.vocabulary;
    let opened = index::open(index, fields, vocab.known_words())?;
    let docs = opened.reader.searcher().num_docs();
    if docs != header.indexed {
        return Err(corrupt(
            dir,
            format!(
                "index has {docs} documents, directory {} listed records",
                header.indexed
            ),
        ));
    }
    let engine = SearchEngine::from_parts(&catalog, opened, vocab);
    Ok((catalog, engine))
}

/// Maps a cache file into memory.
fn map(path: &Path) -> Result<memmap2::Mmap, SearchError> {
    let file = std::fs::File::open(path).map_err(io(path))?;
    // SAFETY: cache files are written once into a private temporary directory and renamed into
    // place; nothing modifies or truncates them afterwards (a rebuild removes the directory
    // and writes a new one, which leaves this mapping's inode intact).
    unsafe { memmap2::Mmap::map(&file) }.map_err(io(path))
}

/// Why the cache was not built: the data (reported as is) or the cache (the index is then
/// built in memory).
enum BuildError {
    Load(LoadError),
    Cache(SearchError),
}

impl From<SearchError> for BuildError {
    fn from(e: SearchError) -> Self {
        BuildError::Cache(e)
    }
}

impl From<tantivy::TantivyError> for BuildError {
    fn from(e: tantivy::TantivyError) -> Self {
        BuildError::Cache(e.into())
    }
}

/// Builds the cache for `key` in a temporary directory and renames it into place.
fn build_cache(index_root: &Path, key: &str, data: &DataSource) -> Result<PathBuf, BuildError> {
    create_private_dir(index_root).map_err(io(index_root))?;
    let dir = index_root.join(key);
    let tmp = temp_sibling(&dir);
    let result = fill_cache(&tmp, data);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    match std::fs::rename(&tmp, &dir) {
        Ok(()) => Ok(dir),
        // Another instance finished first: its copy is as good as ours.
        Err(_) if dir.join(HEADER_FILE).exists() => {
            let _ = std::fs::remove_dir_all(&tmp);
            Ok(dir)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Err(io(&dir)(e).into())
        }
    }
}

/// The records of the user files as they were read: postcard, back to back, in a file of the
/// cache being built (they are copied from it into the records file once the links are known).
const SPILL_FILE: &str = "spill.postcard";

/// Writes a complete cache into the empty directory `tmp` in two passes that never hold the
/// user files' records: reading (each record checked, encoded and appended to the spill file
/// as it is parsed), then writing (the bundled records and each spilled one, in order, into
/// the records file and the index, one at a time).
fn fill_cache(tmp: &Path, data: &DataSource) -> Result<(), BuildError> {
    let index_dir = tmp.join(INDEX_DIR);
    create_private_dir(&index_dir).map_err(io(&index_dir))?;

    // Pass 1: read and check every layer; the user files' records go to the spill file.
    let spill_path = tmp.join(SPILL_FILE);
    let spill = std::fs::File::create_new(&spill_path).map_err(io(&spill_path))?;
    let mut spill = std::io::BufWriter::new(spill);
    let mut spill_lengths: Vec<u32> = Vec::new();
    let mut spill_error: Option<SearchError> = None;
    let loaded = data.load_spilling(&mut |r| {
        if spill_error.is_some() {
            return;
        }
        let written = postcard::to_stdvec(&r)
            .map_err(SearchError::Encode)
            .and_then(|b| {
                spill.write_all(&b).map_err(io(&spill_path))?;
                Ok(b.len())
            });
        match written {
            Ok(len) => spill_lengths.push(len as u32),
            Err(e) => spill_error = Some(e),
        }
    });
    let loaded = loaded.map_err(BuildError::Load)?;
    if let Some(e) = spill_error {
        return Err(e.into());
    }
    spill.flush().map_err(io(&spill_path))?;
    drop(spill);

    // Pass 2: the records in their final order, each into the records file and the index.
    let in_memory = loaded.dir.resources.len();
    let catalog = Catalog::layered(loaded.dir, loaded.layers);
    let total = catalog.layers.iter().map(|l| l.records).sum::<usize>();
    let (schema, fields) = index::schema();
    let mmap = MmapDirectory::open(&index_dir).map_err(tantivy::TantivyError::from)?;
    let index = Index::create(mmap, schema, tantivy::IndexSettings::default())?;
    let vocabulary = Vocabulary::new(&catalog);
    analyzer::register(&index, vocabulary.known_words());
    let writer = index::writer(&index, total)?;
    let records_path = tmp.join(RECORDS_FILE);
    let records = std::fs::File::create_new(&records_path).map_err(io(&records_path))?;
    let mut records = std::io::BufWriter::new(records);
    let mut offsets = vec![0u64];
    let mut ids = Vec::with_capacity(total);
    let mut indexed = 0u64;
    // The numbering plan reads every number beside the indexing (~20 µs a number).
    let (numbers, heard) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || KnownNumbers::read(heard));
    let mut add = |r: &Resource, bytes: &[u8]| -> Result<(), SearchError> {
        let c = &r.contact;
        for v in [&c.phone, &c.fax, &c.note].into_iter().flatten() {
            let _ = numbers.send(v.clone());
        }
        records.write_all(bytes).map_err(io(&records_path))?;
        offsets.push(offsets[offsets.len() - 1] + bytes.len() as u64);
        if r.is_listed() {
            writer.add_document(index::document(&catalog, ids.len(), r, &fields))?;
            indexed += 1;
        }
        ids.push(r.id.clone());
        Ok(())
    };
    for r in catalog.resources().iter().take(in_memory) {
        add(r, &postcard::to_stdvec(r).map_err(SearchError::Encode)?)?;
    }
    let spilled = std::fs::File::open(&spill_path).map_err(io(&spill_path))?;
    let mut buf = Vec::new();
    let mut spilled = std::io::BufReader::new(spilled);
    for len in spill_lengths {
        buf.resize(len as usize, 0);
        spilled.read_exact(&mut buf).map_err(io(&spill_path))?;
        let r: Resource = postcard::from_bytes(&buf).map_err(|e| corrupt(&spill_path, e))?;
        if !loaded.moved.contains_key(&r.id) {
            add(&r, &buf)?;
        }
    }
    drop(numbers);
    records.flush().map_err(io(&records_path))?;
    drop(records);
    index::commit(writer)?;
    // A reader that panicked leaves every number to the plan at start: slower, never wrong.
    let phones = reader.join().unwrap_or_default();
    std::fs::remove_file(&spill_path).map_err(io(&spill_path))?;

    let mut directory = catalog.dir.clone();
    directory.resources = Vec::new();
    let table_path = tmp.join(TABLE_FILE);
    let mut table = Vec::with_capacity(ids.len() * 32);
    crate::directory::lazy::write_table(&mut table, &offsets, &ids).map_err(io(&table_path))?;
    write_private_new(&table_path, &table).map_err(io(&table_path))?;
    let header = Header {
        directory,
        layers: catalog.layers.clone(),
        vocabulary,
        moved: loaded.moved,
        former: loaded.former,
        indexed,
        phones,
    };
    let header = postcard::to_stdvec(&header).map_err(SearchError::Encode)?;
    let path = tmp.join(HEADER_FILE);
    write_private_new(&path, &header).map_err(io(&path))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big_file(dir: &Path) -> PathBuf {
        // Just over the threshold so the cache path is used.
        let base = DataSource::bundled().load().unwrap();
        let path = dir.join("big.json");
        let mut n = 2000;
        loop {
            let mut out = Vec::new();
            crate::synth::write_synthetic(&base, n, 3, &mut out).unwrap();
            if out.len() > DISK_THRESHOLD_BYTES {
                std::fs::write(&path, out).unwrap();
                return path;
            }
            n *= 2;
        }
    }

    #[test]
    fn large_file_is_cached_then_opened_warm_and_rebuilt_when_corrupt() {
        let tmp = tempfile::tempdir().unwrap();
        let data = DataSource::only(vec![big_file(tmp.path())]);
        let root = tmp.path().join("cache");
        let first = open(&data, Some(&root)).unwrap();
        let IndexOrigin::CacheBuilt(dir) = &first.origin else {
            panic!("{:?}", first.origin)
        };
        let second = open(&data, Some(&root)).unwrap();
        assert_eq!(second.origin, IndexOrigin::CacheHit(dir.clone()));
        assert_eq!(
            second.catalog.resources().len(),
            first.catalog.resources().len()
        );
        // Corrupt the cached catalog: the next start rebuilds and says so.
        std::fs::write(dir.join(RECORDS_FILE), b"garbage").unwrap();
        let third = open(&data, Some(&root)).unwrap();
        assert!(matches!(third.origin, IndexOrigin::CacheBuilt(_)));
        assert!(third.notice.unwrap().contains("作り直しました"));
    }

    /// The cache built without holding the user files' records is the directory `load` gives:
    /// the same records in the same order, layers, and offices merged into curated records.
    /// The open data given as a user file (it replaces the bundled copy) has linked offices.
    #[test]
    fn streamed_cache_equals_the_loaded_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let wamnet = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/wamnet.json");
        let data = DataSource::with_files(vec![wamnet]);
        let loaded = data.load().unwrap();
        assert!(
            !loaded.moved_ids().is_empty(),
            "links apply to the user file"
        );
        let opened = open(&data, Some(tmp.path())).unwrap();
        assert!(matches!(opened.origin, IndexOrigin::CacheBuilt(_)));
        let cached = &opened.catalog;
        assert_eq!(cached.layers, loaded.layers);
        assert_eq!(cached.moved_ids(), loaded.moved_ids());
        assert_eq!(cached.former_ids(), loaded.former_ids());
        assert_eq!(cached.len(), loaded.len());
        for i in 0..loaded.len() {
            assert_eq!(
                serde_json::to_string(cached.record(i)).unwrap(),
                serde_json::to_string(loaded.record(i)).unwrap(),
                "record {i}"
            );
        }
    }

    /// A cache dir that cannot be written: the index is built in a temporary directory, which
    /// goes when the engine does; with no temporary directory either, in memory.
    #[test]
    fn unwritable_cache_falls_back_to_a_temporary_directory_then_to_ram() {
        let tmp = tempfile::tempdir().unwrap();
        let data = DataSource::only(vec![big_file(tmp.path())]);
        // A file where the cache dir should be: nothing can be created under it.
        let root = tmp.path().join("not-a-dir");
        std::fs::write(&root, b"").unwrap();
        let opened = open(&data, Some(&root)).unwrap();
        let IndexOrigin::Scratch(dir) = &opened.origin else {
            panic!("{:?}", opened.origin)
        };
        assert!(dir.exists());
        assert!(opened.notice.as_deref().unwrap().contains("一時フォルダ"));
        let found = opened
            .engine
            .search(
                &opened.catalog,
                &super::super::SearchRequest::new("相談", &Default::default(), 5),
            )
            .unwrap();
        assert!(!found.hits.is_empty());
        let dir = dir.clone();
        drop(opened);
        assert!(
            !dir.exists(),
            "the temporary index is removed with the engine"
        );

        let why = SearchError::CorruptCache {
            path: root.clone(),
            reason: "test".into(),
        };
        let opened = in_scratch(&data, &why, &root).unwrap();
        assert_eq!(opened.origin, IndexOrigin::Ram);
        assert!(opened.notice.unwrap().contains("メモリ上"));
    }

    #[test]
    fn two_instances_building_the_same_cache_both_succeed() {
        let tmp = tempfile::tempdir().unwrap();
        let data = DataSource::only(vec![big_file(tmp.path())]);
        let root = tmp.path().join("cache");
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (data, root) = (data.clone(), root.clone());
                std::thread::spawn(move || {
                    open(&data, Some(&root)).map(|o| o.catalog.resources().len())
                })
            })
            .collect();
        let counts: Vec<usize> = handles
            .into_iter()
            .map(|h| h.join().unwrap().unwrap())
            .collect();
        assert_eq!(counts[0], counts[1]);
    }

    #[test]
    fn bundled_directory_is_cached_and_a_small_file_alone_stays_in_ram() {
        let tmp = tempfile::tempdir().unwrap();
        let first = open(&DataSource::bundled(), Some(tmp.path())).unwrap();
        assert!(matches!(first.origin, IndexOrigin::CacheBuilt(_)));
        let second = open(&DataSource::bundled(), Some(tmp.path())).unwrap();
        assert!(matches!(second.origin, IndexOrigin::CacheHit(_)));
        assert_eq!(second.catalog.len(), first.catalog.len());

        let small = DataSource::only(vec![
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal.json"),
        ]);
        let root = tmp.path().join("other");
        let opened = open(&small, Some(&root)).unwrap();
        assert_eq!(opened.origin, IndexOrigin::Ram);
        assert!(!root.join("index").exists());
    }
}
