//! Where results go: stdout, or a file given with `-o` (or `--id-file`).
//!
//! A regular file is written atomically: under an unpredictable temporary
//! name beside it, created exclusively (so no link planted there is
//! followed), then renamed over it. Anything else (a FIFO, a device such as
//! `/dev/null`, one of the process's own streams such as `/dev/stdout`) is
//! written into, as a shell's `>` would: replacing it would at best fail and
//! at worst (as root) turn `/dev/null` into a regular file.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::failure::{CliResult, Failure};
use crate::interrupt;
use crate::visible;

/// The destination of a command's product.
#[derive(Debug, Clone)]
pub enum Output {
    Stdout,
    /// Written whole or not at all when it is a regular file: a reader never
    /// sees half a file.
    File(PathBuf),
}

/// The files this run reads besides its recording (the key, config and
/// secret files), named as their errors name them: a product written over
/// one of them would destroy it, so [`Output::check_writable`] refuses them.
static READ_FILES: std::sync::Mutex<Vec<(PathBuf, String)>> = std::sync::Mutex::new(Vec::new());

/// Records that the run reads `path` (`what`: "the API key file").
pub fn reads(path: &Path, what: &str) {
    READ_FILES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .push((path.to_owned(), what.to_owned()));
}

/// What a path names, once followed.
enum Destination {
    /// Not a regular file: written into.
    Stream,
    Directory,
    /// A regular file, or none yet, at this path (links resolved, so a link
    /// to a file keeps being a link and its target is replaced).
    File(PathBuf),
}

impl Output {
    pub fn from_flag(path: Option<PathBuf>) -> Output {
        match path {
            Some(path) if path.as_os_str() != "-" => Output::File(path),
            _ => Output::Stdout,
        }
    }

    /// Checks, before any request is made, everything that can be known
    /// about writing the file, so a long job is not lost at the end to a typo
    /// in the output path, a read-only disk or an impossible name.
    pub fn check_writable(&self) -> CliResult {
        let Output::File(path) = self else {
            return Ok(());
        };
        let read = READ_FILES
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, what)) = read.iter().find(|(read, _)| same_file(path, read)) {
            return Err(Failure::usage(format!(
                "{} is also {what}, which this run reads: give each its own file",
                visible::one_line(&path.to_string_lossy())
            )));
        }
        drop(read);
        check_path(path).map_err(|why| {
            Failure::input(format!(
                "cannot write to {}: {why}",
                visible::one_line(&path.to_string_lossy())
            ))
        })
    }

    /// Whether the product would reach a terminal.
    pub fn is_terminal(&self) -> bool {
        match self {
            Output::Stdout => io::stdout().is_terminal(),
            Output::File(path) => {
                let mut probe = OpenOptions::new();
                probe.append(true);
                // Without waiting for a FIFO's reader, and without making a
                // terminal ours.
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::custom_flags(
                    &mut probe,
                    libc::O_NONBLOCK | libc::O_NOCTTY,
                );
                matches!(destination(path), Destination::Stream)
                    && probe.open(path).is_ok_and(|file| file.is_terminal())
            }
        }
    }

    /// Refuses, before any request, to write where the run reads (`-o` onto
    /// the recording being transcribed) or two products into one file.
    pub fn check_distinct(writes: &[(&str, &Output)], reads: &[(&str, &Path)]) -> CliResult {
        let files: Vec<(&str, &Path)> = writes
            .iter()
            .filter_map(|(flag, output)| match output {
                Output::File(path) => Some((*flag, path.as_path())),
                Output::Stdout => None,
            })
            .collect();
        for (i, (flag, path)) in files.iter().enumerate() {
            let others = files[i + 1..].iter().chain(reads);
            if let Some((other, _)) = others.clone().find(|(_, other)| same_file(path, other)) {
                return Err(Failure::usage(format!(
                    "{flag} {} is also {other}: give each its own file",
                    visible::one_line(&path.to_string_lossy())
                )));
            }
        }
        Ok(())
    }

    /// Writes the whole product. A closed stdout (`aai ... | head`) is not an
    /// error: the reader has what it wanted.
    pub fn write(&self, bytes: &[u8]) -> CliResult {
        self.write_piece(bytes).map(|_| ())
    }

    /// Writes one piece of a product made of many (a line per listed
    /// transcript), telling whether the reader is still there: a caller that
    /// would fetch more to write must stop when the pipe is closed, or
    /// `aai list --all | head -1` walks every page for nobody.
    pub fn write_piece(&self, bytes: &[u8]) -> CliResult<Written> {
        let path = match self {
            Output::Stdout => {
                // stdout and stderr may be the same terminal.
                crate::live::close();
                let mut stdout = io::stdout().lock();
                let written = if stdout.is_terminal() {
                    write_visibly(&mut stdout, bytes)
                } else {
                    stdout.write_all(bytes).and_then(|()| stdout.flush())
                };
                return match written {
                    Ok(()) => Ok(Written::All),
                    Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(Written::Closed),
                    Err(error) => Err(Failure::input(format!("cannot write to stdout: {error}"))),
                };
            }
            Output::File(path) => path,
        };
        let written = match destination(path) {
            Destination::Stream => open_stream(path).and_then(|mut file| {
                if file.is_terminal() {
                    write_visibly(&mut file, bytes)
                } else {
                    file.write_all(bytes)
                }
            }),
            Destination::Directory => Err(io::Error::other("it is a directory")),
            Destination::File(target) => write_atomically(&target, bytes),
        };
        written.map(|()| Written::All).map_err(|error| {
            Failure::input(format!(
                "cannot write {}: {error}",
                visible::one_line(&path.to_string_lossy())
            ))
        })
    }
}

/// What became of a write that did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Every byte reached the destination.
    All,
    /// The reader closed the pipe (`| head`): not an error, but nothing more
    /// is wanted.
    Closed,
}

impl Output {
    /// Streams a product that `produce` writes piece by piece (the JSON of a
    /// transcript): to stdout as it comes, or to the file, which appears only
    /// if the whole of it was written. A newline ends it, as every product
    /// does.
    pub fn stream(
        &self,
        produce: impl FnOnce(&mut dyn Write) -> assemblyai::Result<u64>,
    ) -> CliResult {
        self.stream_ending(produce, b"\n")
    }

    /// Streams bytes that are the product as they are (a download of audio):
    /// nothing is added at the end.
    pub fn download(
        &self,
        produce: impl FnOnce(&mut dyn Write) -> assemblyai::Result<u64>,
    ) -> CliResult {
        self.stream_ending(produce, b"")
    }

    fn stream_ending(
        &self,
        produce: impl FnOnce(&mut dyn Write) -> assemblyai::Result<u64>,
        ending: &[u8],
    ) -> CliResult {
        let path = match self {
            Output::Stdout => {
                let stdout = io::stdout().lock();
                let mut out: Box<dyn Write> = if stdout.is_terminal() {
                    Box::new(visible::Lines::new(stdout))
                } else {
                    Box::new(stdout)
                };
                return match produce(&mut out) {
                    // A reader that closed the pipe (`| head`) has what it wanted.
                    Err(assemblyai::Error::Io { source, .. })
                        if source.kind() == io::ErrorKind::BrokenPipe =>
                    {
                        Ok(())
                    }
                    Err(error) => Err(error.into()),
                    Ok(_) => match out.write_all(ending).and_then(|()| out.flush()) {
                        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
                            Err(Failure::input(format!("cannot write to stdout: {error}")))
                        }
                        _ => Ok(()),
                    },
                };
            }
            Output::File(path) => path,
        };
        let cannot_write = |error: io::Error| {
            Failure::input(format!(
                "cannot write {}: {error}",
                visible::one_line(&path.to_string_lossy())
            ))
        };
        match destination(path) {
            Destination::Stream => {
                let file = open_stream(path).map_err(cannot_write)?;
                let mut out: Box<dyn Write> = if file.is_terminal() {
                    Box::new(visible::Lines::new(file))
                } else {
                    Box::new(file)
                };
                produce(&mut out)?;
                out.write_all(ending)
                    .and_then(|()| out.flush())
                    .map_err(cannot_write)
            }
            Destination::Directory => Err(cannot_write(io::Error::other("it is a directory"))),
            Destination::File(target) => {
                let mut file = AtomicFile::create(&target).map_err(cannot_write)?;
                produce(&mut file)?;
                file.write_all(ending).map_err(cannot_write)?;
                file.commit().map_err(cannot_write)
            }
        }
    }
}

/// Bytes shown on a terminal: made visible as text, unless not UTF-8.
fn write_visibly(out: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    let mut visible = visible::Lines::new(out);
    visible.write_all(bytes)?;
    visible.flush()
}

/// Opens something that is not a regular file for writing into it. Append,
/// so that `/dev/stdout` redirected to a file (`>>`) is not truncated.
fn open_stream(path: &Path) -> io::Result<File> {
    OpenOptions::new().append(true).open(path)
}

/// Writes `bytes` to the regular file `path` atomically (see [`AtomicFile`]).
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// Why `path` can't be written, found without writing it.
fn check_path(path: &Path) -> Result<(), String> {
    if path.as_os_str().is_empty() {
        return Err("the path is empty; give a file name (or - for stdout)".to_owned());
    }
    if ends_with_separator(path) {
        return Err("the path ends with a slash; give a file name".to_owned());
    }
    let target = match destination(path) {
        // Opened at write time: a FIFO's open waits for its reader.
        Destination::Stream => return Ok(()),
        Destination::Directory => return Err("it is a directory; give a file name".to_owned()),
        Destination::File(target) => target,
    };
    let dir = parent_dir(&target);
    if !dir.is_dir() {
        return Err(format!(
            "the directory {} does not exist",
            visible::one_line(&dir.to_string_lossy())
        ));
    }
    // Looking the name up tells whether the file system takes a name so long.
    if fs::symlink_metadata(&target)
        .is_err_and(|error| error.raw_os_error() == Some(libc_name_too_long()))
    {
        return Err("the file name is too long for this file system".to_owned());
    }
    // The one sure way to know the write will work (a read-only file system,
    // a directory not ours, a name too long) is to do what it will do: make
    // a temporary file beside the target. Dropped, it is removed.
    AtomicFile::create(&target).map(drop).map_err(|error| {
        if error.raw_os_error() == Some(libc_name_too_long()) {
            "the file name is too long for this file system".to_owned()
        } else {
            error.to_string()
        }
    })
}

/// ENAMETOOLONG where there is one (its number differs between systems).
fn libc_name_too_long() -> i32 {
    #[cfg(unix)]
    {
        libc::ENAMETOOLONG
    }
    #[cfg(not(unix))]
    {
        -1
    }
}

fn ends_with_separator(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR)
}

/// What `path` names: a stream (not a regular file, or one of the process's
/// own descriptors), a directory, or the regular file (maybe none yet) to
/// replace, links resolved.
fn destination(path: &Path) -> Destination {
    match fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => Destination::Directory,
        Ok(metadata) if !metadata.is_file() => Destination::Stream,
        // `/dev/stdout` redirected to a file resolves to that file; it is
        // still the stream the shell opened, and writing into it is what `>`
        // and `>>` promised.
        Ok(_) if through_descriptor(path) => Destination::Stream,
        Ok(_) => Destination::File(fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())),
        Err(_) => Destination::File(path.to_owned()),
    }
}

/// Whether `path`, or a link on the way from it, names an open descriptor
/// (`/dev/fd/N`, `/proc/self/fd/N`, which `/dev/stdout` links to).
fn through_descriptor(path: &Path) -> bool {
    let mut at = path.to_owned();
    for _ in 0..40 {
        if at.starts_with("/proc") || at.starts_with("/dev/fd") {
            return true;
        }
        match fs::read_link(&at) {
            Ok(target) => at = parent_dir(&at).join(target),
            Err(_) => return false,
        }
    }
    false
}

/// Whether two paths name one file: the same inode when both exist, the
/// same place when one does not yet.
fn same_file(a: &Path, b: &Path) -> bool {
    let place = |path: &Path| {
        let dir = fs::canonicalize(parent_dir(path)).ok()?;
        Some(dir.join(path.file_name()?))
    };
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(x), Ok(y)) => {
            if !x.is_file() || !y.is_file() {
                return false;
            }
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                x.dev() == y.dev() && x.ino() == y.ino()
            }
            #[cfg(not(unix))]
            {
                fs::canonicalize(a).ok() == fs::canonicalize(b).ok()
            }
        }
        (Err(_), Err(_)) => place(a).is_some() && place(a) == place(b),
        _ => false,
    }
}

/// A file written under a temporary name beside its destination, flushed to
/// disk and renamed over it by [`commit`](Self::commit): readers see the old
/// file or the whole new one, never a part. Dropped uncommitted, or cut short
/// by Ctrl-C, it vanishes.
pub struct AtomicFile {
    file: File,
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
    /// Has Ctrl-C remove the temporary file (its handler exits without
    /// running `Drop`), until this is dropped with the rest.
    _on_interrupt: interrupt::TempFile,
}

/// How many names are tried before giving up: a clash of two random 64-bit
/// names is a planted file, not chance.
const ATTEMPTS: usize = 16;

/// The most of the target's name kept in the temporary name, so that any
/// name that fits the file system has a temporary sibling that fits too
/// (file names have at most 255 bytes nearly everywhere).
const NAME_KEPT: usize = 200;

impl AtomicFile {
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let name = path
            .file_name()
            .ok_or_else(|| io::Error::other("the path has no file name"))?;
        for _ in 0..ATTEMPTS {
            let temp = parent_dir(path).join(temp_name(name));
            // Registered before the file exists, so no interrupt finds it
            // unlisted; a name taken already is dropped from the list at once.
            let on_interrupt = interrupt::remove_on_interrupt(&temp);
            // create_new is O_EXCL: it fails on any entry at the name, a
            // symlink included, and so never writes through one.
            let file = match OpenOptions::new().write(true).create_new(true).open(&temp) {
                Ok(file) => file,
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(error) => return Err(error),
            };
            let atomic = AtomicFile {
                file,
                temp,
                target: path.to_owned(),
                committed: false,
                _on_interrupt: on_interrupt,
            };
            // A file replaced keeps its permissions: a transcript kept private
            // (0600) must not become readable by others by being written
            // again. Set before any byte is written, so the content is never
            // more exposed than the old file was.
            if let Ok(existing) = fs::metadata(path) {
                atomic.file.set_permissions(existing.permissions())?;
            }
            return Ok(atomic);
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "every temporary name tried beside it was taken",
        ))
    }

    /// Makes the file readable by its owner alone (mode 0600), before any
    /// byte is written: for a file that holds a key.
    #[cfg(unix)]
    pub fn private(self) -> io::Result<AtomicFile> {
        use std::os::unix::fs::PermissionsExt;
        self.file
            .set_permissions(fs::Permissions::from_mode(0o600))?;
        Ok(self)
    }

    #[cfg(not(unix))]
    pub fn private(self) -> io::Result<AtomicFile> {
        Ok(self)
    }

    pub fn commit(mut self) -> io::Result<()> {
        self.file.sync_all()?;
        fs::rename(&self.temp, &self.target)?;
        self.committed = true;
        Ok(())
    }
}

/// `.NAME.RANDOM.tmp`: hidden, recognisable, and not guessable in advance,
/// so no one can plant anything at it.
fn temp_name(name: &std::ffi::OsStr) -> OsString {
    let name = name.to_string_lossy();
    let mut cut = name.len().min(NAME_KEPT);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    OsString::from(format!(".{}.{:016x}.tmp", &name[..cut], unpredictable()))
}

/// 64 bits no other process can predict, from std alone: `RandomState` is
/// seeded from the operating system's randomness, and the counter, time and
/// process id make each value of one process differ.
fn unpredictable() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u32(std::process::id());
    if let Ok(since) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(since.as_nanos());
    }
    hasher.finish()
}

impl Write for AtomicFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.file.write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_hidden_distinct_and_fit_whatever_the_name() {
        let long = "x".repeat(255);
        let a = temp_name(std::ffi::OsStr::new(&long));
        let b = temp_name(std::ffi::OsStr::new(&long));
        assert_ne!(a, b);
        for name in [&a, &b] {
            let name = name.to_str().unwrap();
            assert!(name.starts_with(".x") && name.ends_with(".tmp"), "{name}");
            assert!(name.len() <= 255, "{} bytes", name.len());
        }
        let short = temp_name(std::ffi::OsStr::new("out.txt"));
        assert!(
            short.to_str().unwrap().starts_with(".out.txt."),
            "{short:?}"
        );
    }
}
