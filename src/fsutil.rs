//! Files only the user can read, written whole: the one place that creates private
//! directories, names temporary files and replaces files atomically.
//!
//! Used for the session state (`config.rs`), saved cards and shortlists (`write_new`), the
//! index cache (`search/cache.rs`) and `ikenavi synth --out` (`cli.rs`).
//!
//! - Directories are created with mode 0700 and files with 0600 on Unix (elsewhere the
//!   platform's defaults). A directory that already exists keeps its mode.
//! - A file is never seen half-written: it is written to a temporary sibling (same directory,
//!   so the rename cannot cross filesystems) with a name unique to this process and call
//!   ([`temp_sibling`]), synced, then renamed over the target ([`AtomicFile::commit`]) or
//!   linked next to it without overwriting anything ([`write_new`]). Two processes writing
//!   the same path at once never share a temporary file; the last rename wins.
//! - A temporary file that is not committed (an error, a panic) is removed when dropped.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Whether a failed file operation was reading or writing: the same error reads differently
/// (「読み取りの権限がありません」, 「書き込みの権限がありません」).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reading a file.
    Read,
    /// Writing a file (or the terminal).
    Write,
}

/// What an I/O error means, in Japanese for the clerk (「書き込みの権限がありません」). An error
/// without a wording of its own says so and keeps the system's text, made inert, for whoever
/// looks after the machine.
pub fn io_reason(e: &io::Error, access: Access) -> String {
    use io::ErrorKind as K;
    let writing = access == Access::Write;
    let reason = match e.kind() {
        K::PermissionDenied if writing => "書き込みの権限がありません",
        K::PermissionDenied => "読み取りの権限がありません",
        K::NotFound if writing => "保存先のフォルダがありません",
        K::NotFound => "ファイルがありません",
        K::AlreadyExists => "同じ名前のファイルがすでにあります",
        K::StorageFull => "ディスクの空きがありません",
        K::QuotaExceeded => "ディスクの使用量の上限に達しています",
        K::ReadOnlyFilesystem => "読み取り専用の場所です",
        K::NotADirectory => "パスの途中にフォルダではなくファイルがあります",
        K::IsADirectory => "ファイルではなくフォルダです",
        K::InvalidInput | K::InvalidFilename => "パスに使えない文字があります",
        K::FileTooLarge => "ファイルが大きすぎます",
        K::BrokenPipe => "出力先が閉じられました",
        _ => {
            return format!(
                "予期しないエラーです（{}）",
                crate::text::sanitize::sanitize_for_terminal(&e.to_string())
            );
        }
    };
    reason.to_string()
}

/// Creates a directory and its missing parents, readable only by the user (0700 on Unix).
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(path)
}

/// Creates a new file (failing if it exists) readable only by the user (0600 on Unix).
pub fn create_private_file(path: &Path) -> io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
}

/// Writes `bytes` to a new private file (failing if it exists). For files inside a private
/// temporary directory that is itself renamed into place.
pub fn write_private_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    create_private_file(path)?.write_all(bytes)
}

/// A hidden name next to `path`, unique to this process and call:
/// `dir/.name.<pid>.<n>.tmp`.
pub fn temp_sibling(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map_or_else(|| "ikenavi".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

/// Replaces `path` atomically with `bytes` as an ordinary file (the umask's permissions): for
/// generated project files such as the bundled data layers, which are not private.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = temp_sibling(path);
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Replaces `path` atomically with `bytes`, as a private file (see the module doc).
pub fn write_private_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)?;
    f.commit()
}

/// A private file being written next to its final path; it appears there whole on
/// [`commit`](AtomicFile::commit), and is removed if dropped before.
///
/// ```ignore
/// # fn main() -> std::io::Result<()> {
/// use std::io::Write;
/// let mut f = ikenavi::fsutil::AtomicFile::create(std::path::Path::new("out.json"))?;
/// writeln!(std::io::BufWriter::new(&mut f), "{{}}")?;
/// f.commit()
/// # }
/// ```
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<File>,
}

impl AtomicFile {
    /// Starts writing `path` (its missing parent directories are created private).
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir)?;
        }
        let tmp = temp_sibling(path);
        let file = create_private_file(&tmp)?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            file: Some(file),
        })
    }

    /// Syncs the data and renames the file over the final path.
    pub fn commit(mut self) -> io::Result<()> {
        self.sync()?;
        std::fs::rename(&self.tmp, &self.path)
        // On error, `drop` removes the temporary file.
    }

    /// Syncs and closes the temporary file; it stays until dropped.
    fn sync(&mut self) -> io::Result<()> {
        match self.file.take() {
            Some(f) => f.sync_all(),
            None => Ok(()),
        }
    }

    fn file(&mut self) -> io::Result<&mut File> {
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("temporary file already closed"))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file()?.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file()?.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // After a successful commit the temporary name no longer exists: nothing to remove.
        self.file = None;
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Writes `bytes` to `path` or, if it exists, to `name-2.ext`, `name-3.ext` … — never
/// overwriting anything. The file appears whole (temporary file, then a no-clobber link).
/// Returns the path written.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)?;
    f.sync()?;
    for n in 1..1000 {
        let candidate = numbered(path, n);
        match std::fs::hard_link(&f.tmp, &candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(_) => {
                // No hard links on this filesystem: check, then rename.
                if candidate.exists() {
                    continue;
                }
                std::fs::rename(&f.tmp, &candidate)?;
                return Ok(candidate);
            }
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "too many files with this name",
    ))
}

/// `dir/name.ext` for 1, `dir/name-2.ext` for 2 …
fn numbered(path: &Path, n: u32) -> PathBuf {
    if n == 1 {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_are_said_in_japanese() {
        use io::ErrorKind as K;
        let said = |kind: K, access| io_reason(&io::Error::from(kind), access);
        assert_eq!(
            said(K::PermissionDenied, Access::Write),
            "書き込みの権限がありません"
        );
        assert_eq!(
            said(K::PermissionDenied, Access::Read),
            "読み取りの権限がありません"
        );
        assert_eq!(
            said(K::NotFound, Access::Write),
            "保存先のフォルダがありません"
        );
        assert_eq!(said(K::NotFound, Access::Read), "ファイルがありません");
        assert_eq!(
            said(K::AlreadyExists, Access::Write),
            "同じ名前のファイルがすでにあります"
        );
        assert_eq!(
            said(K::StorageFull, Access::Write),
            "ディスクの空きがありません"
        );
        // Anything else keeps the system's words, inert.
        let other = io::Error::other("odd\x1b[31m device");
        assert_eq!(
            io_reason(&other, Access::Write),
            "予期しないエラーです（odd[31m device）"
        );
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn atomic_writes_replace_whole_and_private_and_leave_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/state.toml");
        write_private_atomic(&p, b"one").unwrap();
        write_private_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(names(&dir.path().join("sub")), vec!["state.toml"]);
        #[cfg(unix)]
        {
            assert_eq!(mode(&p), 0o600);
            assert_eq!(mode(&dir.path().join("sub")), 0o700);
        }
    }

    #[test]
    fn an_uncommitted_file_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        {
            let mut f = AtomicFile::create(&p).unwrap();
            f.write_all(b"half").unwrap();
        }
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn temporary_names_differ_per_call_and_stay_in_the_directory() {
        let p = Path::new("/x/y/state.toml");
        let (a, b) = (temp_sibling(p), temp_sibling(p));
        assert_ne!(a, b);
        assert_eq!(a.parent(), p.parent());
    }

    #[test]
    fn saving_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("card.md");
        assert_eq!(write_new(&p, b"one").unwrap(), p);
        let second = write_new(&p, b"two").unwrap();
        assert_eq!(second, dir.path().join("card-2.md"));
        let third = write_new(&p, b"three").unwrap();
        assert_eq!(third, dir.path().join("card-3.md"));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one");
        assert_eq!(std::fs::read_to_string(&second).unwrap(), "two");
        // No temporary files left behind.
        assert_eq!(names(dir.path()).len(), 3);
    }
}
