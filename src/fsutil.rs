//! Every file ikenavi writes, written whole: the one place that creates private
//! directories, names temporary files and replaces files atomically.
//!
//! Two permission policies, one per kind of file:
//!
//! - **Private files** — the session state (`config.rs`), saved cards and shortlists
//!   ([`write_new`]), the index cache (`search/cache.rs`): directories are created with mode
//!   0700 and files with 0600 on Unix (elsewhere the platform's defaults). A directory that
//!   already exists keeps its mode.
//! - **Outputs** — what a command is told to write (`--out`, `--report`, `--review`,
//!   `--write-map`, `import gazetteer`, `export hsds`, `synth --out`), written by
//!   [`write_atomic`] or [`AtomicFile::for_output`] like a careful Unix tool: a new file gets
//!   the permissions of the umask, as a shell's `>` would (colleagues read a shared layer); an
//!   existing file keeps its mode, and its owner and group where the user may set them;
//!   through a symbolic link the link's target is replaced (the link stays, so everyone who
//!   reads through it sees the new file); a device, directory, pipe or other non-regular file
//!   is refused, and so is the command's own input file (`--out` naming the downloaded CSV
//!   would replace it). Missing folders are not created: a mistyped folder is said.
//!
//! A file is never seen half-written: it is written to a temporary sibling (same directory,
//! so the rename cannot cross filesystems) with a name unique to this process and call
//! ([`temp_sibling`]), synced, then renamed over the target ([`AtomicFile::commit`]) or
//! linked next to it without overwriting anything ([`write_new`]). Two processes writing the
//! same path at once never share a temporary file; the last rename wins. A temporary file
//! that is not committed (an error, a panic) is removed when dropped.

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
    if let Some(r) = e.get_ref().and_then(|i| i.downcast_ref::<Refusal>()) {
        return r.to_string();
    }
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

/// Why an output is not written although the system would allow it (said by [`io_reason`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A device, directory, pipe or socket: replacing it is never what was meant
    /// (`--out /dev/null` as root would replace the device node).
    #[error("通常のファイルではないため書き出しません（デバイス・フォルダ・パイプなど）")]
    NotRegular,
    /// The command's own input: writing would destroy what is being read.
    #[error("読み込むファイルと同じです。上書きすると元のファイルが失われるため書き出しません")]
    IsInput,
}

impl From<Refusal> for io::Error {
    fn from(r: Refusal) -> io::Error {
        io::Error::other(r)
    }
}

/// Replaces the output `path` atomically with `bytes` (the output policy in the module doc).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_output(path, &[], bytes)
}

/// Replaces the output `path` atomically with `bytes`, refusing it when it is one of `inputs`.
pub fn write_output(path: &Path, inputs: &[&Path], bytes: &[u8]) -> io::Result<()> {
    let mut f = AtomicFile::for_output(path, inputs)?;
    f.write_all(bytes)?;
    f.commit()
}

/// The file a path names, through any symbolic links (a link to a file that does not exist
/// yet names that file); at most 40 links, as the kernel allows.
fn through_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other("シンボリックリンクが 40 段をこえています"))
}

/// Whether two existing paths are the same file.
fn same_file(a: &std::fs::Metadata, b: &Path) -> bool {
    let Ok(b) = std::fs::metadata(b) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        // Without inode numbers: the same size and modification time is taken as the same
        // file only together with the canonical path check of the caller.
        a.len() == b.len() && a.modified().ok() == b.modified().ok()
    }
}

/// Replaces `path` atomically with `bytes`, as a private file (see the module doc).
pub fn write_private_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)?;
    f.commit()
}

/// Appends `bytes` — one whole record, a line of the enquiry tally — to the private file
/// `path` (created 0600, its missing folders 0700), in **one** `write` on a file opened for
/// appending. The system places each such write at the end of the file as it is then, even
/// with other processes appending to it (std's `OpenOptions::append`: O_APPEND on Unix,
/// FILE_APPEND_DATA on Windows), so two programs appending at once never interleave or
/// overwrite each other's records — provided each record goes in one write, which is why this
/// never loops the way `write_all` does: a write that stores only part of the record (a full
/// disk) is an error, and the part is a line the reader skips. Local file systems only: a
/// network share may not keep appends apart (each PC keeps its own file; see `tally`).
pub fn append_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let mut o = std::fs::OpenOptions::new();
    o.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut file = o.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(Refusal::NotRegular.into());
    }
    let written = file.write(bytes)?;
    if written < bytes.len() {
        return Err(io::Error::new(
            io::ErrorKind::WriteZero,
            "記録の一部しか書けませんでした",
        ));
    }
    Ok(())
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

    /// Starts writing the output `path` (the output policy in the module doc): through its
    /// links, refused when it is not a regular file or is one of `inputs`, the new file with
    /// the old one's mode and owner (or the umask's permissions when there is none).
    pub fn for_output(path: &Path, inputs: &[&Path]) -> io::Result<AtomicFile> {
        // The kernel's own reading first: /dev/stdout into a pipe is a link to `pipe:[…]`,
        // which names no file the links could be followed to.
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            return Err(Refusal::NotRegular.into());
        }
        let target = through_links(path)?;
        let existing = match std::fs::metadata(&target) {
            Ok(m) if !m.is_file() => return Err(Refusal::NotRegular.into()),
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if let Some(m) = &existing {
            let canonical = std::fs::canonicalize(&target).ok();
            let is_input = inputs.iter().any(|i| {
                same_file(m, i) && (cfg!(unix) || std::fs::canonicalize(i).ok() == canonical)
            });
            if is_input {
                return Err(Refusal::IsInput.into());
            }
        }
        let tmp = temp_sibling(&target);
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o666);
        let file = o.open(&tmp)?;
        let mut f = AtomicFile {
            path: target,
            tmp,
            file: Some(file),
        };
        if let Some(m) = existing {
            f.file()?.set_permissions(m.permissions())?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                let file = f.file()?;
                // The owner only root may give; the group any member of it may.
                if std::os::unix::fs::fchown(&*file, Some(m.uid()), Some(m.gid())).is_err() {
                    let _ = std::os::unix::fs::fchown(&*file, None, Some(m.gid()));
                }
            }
        }
        Ok(f)
    }

    /// The temporary file being written, to check what was written before [`commit`]
    /// (flush any buffer over it first).
    ///
    /// [`commit`]: AtomicFile::commit
    pub fn temp_path(&self) -> &Path {
        &self.tmp
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

    /// `--out /dev/stdout` into a pipe (`… | head`): the link names `pipe:[…]`, no file to
    /// follow it to; refused as not a regular file, not 「保存先のフォルダがありません」.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_link_to_a_pipe_is_refused_as_not_a_file() {
        use std::os::fd::AsRawFd;
        let (reader, _writer) = std::io::pipe().expect("pipe");
        let path = PathBuf::from(format!("/proc/self/fd/{}", reader.as_raw_fd()));
        let err = AtomicFile::for_output(&path, &[]).expect_err("a pipe is no file");
        assert!(
            err.get_ref()
                .and_then(|e| e.downcast_ref::<Refusal>())
                .is_some_and(|r| matches!(r, Refusal::NotRegular)),
            "{err}"
        );
    }

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

    /// The shared output helper (`import gazetteer`, `export hsds`, every `--out`) keeps an
    /// existing file's mode, writes through a link and refuses the input; it used to write
    /// the umask's mode over a 0640 file and a regular file over the link.
    #[cfg(unix)]
    #[test]
    fn outputs_keep_their_mode_go_through_links_and_spare_the_input() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("shared.json");
        std::fs::write(&target, b"old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("shared.json", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(mode(&target), 0o640);
        let e = write_output(&link, &[&target], b"x").unwrap_err();
        assert_eq!(io_reason(&e, Access::Write), Refusal::IsInput.to_string());
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(names(dir.path()), vec!["link.json", "shared.json"]);
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
