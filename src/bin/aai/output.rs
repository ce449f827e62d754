//! Where results go: stdout, or a file written atomically with `-o`.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::failure::{CliResult, Failure};
use crate::interrupt;

/// The destination of a command's product.
#[derive(Debug, Clone)]
pub enum Output {
    Stdout,
    /// Written whole or not at all: a reader never sees half a file.
    File(PathBuf),
}

impl Output {
    pub fn from_flag(path: Option<PathBuf>) -> Output {
        match path {
            Some(path) if path.as_os_str() != "-" => Output::File(path),
            _ => Output::Stdout,
        }
    }

    /// Checks, before any request is made, that the file can be written, so
    /// a long job is not lost to a typo in the output path at the end.
    pub fn check_writable(&self) -> CliResult {
        let Output::File(path) = self else {
            return Ok(());
        };
        if path.is_dir() {
            return Err(Failure::input(format!(
                "cannot write to {}: it is a directory; give a file name",
                path.display()
            )));
        }
        let dir = parent_dir(path);
        if !dir.is_dir() {
            return Err(Failure::input(format!(
                "cannot write to {}: the directory {} does not exist",
                path.display(),
                dir.display()
            )));
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
        match self {
            Output::Stdout => {
                // stdout and stderr may be the same terminal.
                crate::live::close();
                let mut stdout = io::stdout().lock();
                match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
                    Ok(()) => Ok(Written::All),
                    Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(Written::Closed),
                    Err(error) => Err(Failure::input(format!("cannot write to stdout: {error}"))),
                }
            }
            Output::File(path) => write_atomically(path, bytes)
                .map(|()| Written::All)
                .map_err(|error| {
                    Failure::input(format!("cannot write {}: {error}", path.display()))
                }),
        }
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
    /// Streams a product that `produce` writes piece by piece (a download):
    /// to stdout as it comes, or to the file, which appears only if the whole
    /// of it was written. A newline ends it, as every product does.
    pub fn stream(
        &self,
        produce: impl FnOnce(&mut dyn Write) -> assemblyai::Result<u64>,
    ) -> CliResult {
        match self {
            Output::Stdout => {
                let mut stdout = io::stdout().lock();
                match produce(&mut stdout) {
                    // A reader that closed the pipe (`| head`) has what it wanted.
                    Err(assemblyai::Error::Io { source, .. })
                        if source.kind() == io::ErrorKind::BrokenPipe =>
                    {
                        Ok(())
                    }
                    Err(error) => Err(error.into()),
                    Ok(_) => self.write(b"\n"),
                }
            }
            Output::File(path) => {
                let cannot_write = |error: io::Error| {
                    Failure::input(format!("cannot write {}: {error}", path.display()))
                };
                let mut file = AtomicFile::create(path).map_err(cannot_write)?;
                produce(&mut file)?;
                file.write_all(b"\n").map_err(cannot_write)?;
                file.commit().map_err(cannot_write)
            }
        }
    }
}

/// Writes `bytes` to `path` atomically (see [`AtomicFile`]).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
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

impl AtomicFile {
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let temp = temp_beside(path)?;
        // Registered before the file exists, so no interrupt finds it unlisted.
        let on_interrupt = interrupt::remove_on_interrupt(&temp);
        let file = File::create(&temp)?;
        let atomic = AtomicFile {
            file,
            temp,
            target: path.to_owned(),
            committed: false,
            _on_interrupt: on_interrupt,
        };
        // A file replaced keeps its permissions: a transcript kept private
        // (0600) must not become readable by others by being written again.
        // Set before any byte is written, so the content is never more exposed
        // than the old file was.
        if let Ok(existing) = fs::metadata(path) {
            atomic.file.set_permissions(existing.permissions())?;
        }
        Ok(atomic)
    }

    pub fn commit(mut self) -> io::Result<()> {
        self.file.sync_all()?;
        fs::rename(&self.temp, &self.target)?;
        self.committed = true;
        Ok(())
    }
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

/// The temporary file a write to `path` goes through: `.NAME.PID.tmp` in the
/// same directory, so the final rename stays on one file system.
pub fn temp_beside(path: &Path) -> io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("the path has no file name"))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}.tmp", std::process::id()));
    Ok(parent_dir(path).join(temp_name))
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}
