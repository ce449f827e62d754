//! Where the API key comes from: `--api-key-file` (for secret managers, and to
//! keep it out of the environment, shell history and process listings), the
//! environment, or the key `aai login` stored, in that order.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::failure::{CliResult, Failure};
use crate::store;

/// The variables the library reads the key from, in its order.
pub const KEY_VARIABLES: [&str; 2] = ["ASSEMBLYAI_API_KEY", "ASSEMBLYAI_KEY"];

/// Where the key in use came from, for messages (never the key itself).
pub enum Source {
    File(PathBuf),
    Variable(&'static str),
    Stored(PathBuf),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::File(path) => write!(f, "the key file {}", path.display()),
            Source::Variable(name) => write!(f, "the key in {name}"),
            Source::Stored(path) => write!(f, "the key stored by aai login ({})", path.display()),
        }
    }
}

/// The key to use and where it came from: `--api-key-file`, else
/// `ASSEMBLYAI_API_KEY` / `ASSEMBLYAI_KEY`, else the stored key; `None` when
/// there is none at all.
pub fn resolve(api_key_file: Option<&Path>) -> CliResult<Option<(String, Source)>> {
    if let Some(path) = api_key_file {
        return Ok(Some((read_key_file(path)?, Source::File(path.to_owned()))));
    }
    if let Some((key, name)) = from_environment() {
        return Ok(Some((key, Source::Variable(name))));
    }
    let Some(path) = store::dir().map(|dir| dir.join(store::KEY_FILE)) else {
        return Ok(None);
    };
    if !path.exists() {
        return Ok(None);
    }
    Ok(Some((read_key_file(&path)?, Source::Stored(path))))
}

/// The key from the environment, as the library reads it, and its variable.
pub fn from_environment() -> Option<(String, &'static str)> {
    KEY_VARIABLES.iter().find_map(|name| {
        let key = std::env::var(name).ok()?;
        let key = key.trim();
        (!key.is_empty()).then(|| (key.to_owned(), *name))
    })
}

/// The most a key, secret or config file may hold: far more than any key or
/// request needs, and little enough that a wrong path (a disk image, a log)
/// fails at once instead of filling the memory.
const SMALL_FILE_LIMIT: u64 = 1 << 20;

/// Reads a small text file the user named for a key, a secret or settings
/// (`what`, e.g. "the API key file"). Only a regular file is read: a FIFO
/// would block until someone writes to it, and a device like `/dev/zero` never
/// ends, so both are input errors, as is a file over 1 MiB.
pub fn read_small_file(path: &Path, what: &str) -> CliResult<String> {
    use std::io::Read;
    crate::output::reads(path, what);
    let shown = path.display();
    let cannot =
        |error: std::io::Error| Failure::input(format!("cannot read {what} {shown}: {error}"));
    // Opened without waiting (a FIFO's open would block for a writer) and
    // without making a terminal ours, then checked by what was opened, not
    // by its name: a file swapped for a FIFO between a check and the open
    // can't make the read block.
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NONBLOCK | libc::O_NOCTTY,
    );
    let file = options.open(path).map_err(cannot)?;
    let metadata = file.metadata().map_err(cannot)?;
    if !metadata.is_file() {
        let kind = if metadata.is_dir() {
            "a directory"
        } else {
            "not a regular file (a pipe, a device or a socket)"
        };
        return Err(Failure::input(format!(
            "{what} {shown} is {kind}: give the path of a file holding it"
        )));
    }
    let mut bytes = Vec::new();
    file.take(SMALL_FILE_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > SMALL_FILE_LIMIT {
        return Err(Failure::input(format!(
            "{what} {shown} is over {} KiB, far more than it should hold: is it the right file?",
            SMALL_FILE_LIMIT / 1024
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| Failure::input(format!("{what} {shown} is not UTF-8 text")))
}

/// Reads a key file, trimming the whitespace editors and `echo` add, and
/// warns when people other than the owner could read it.
pub fn read_key_file(path: &Path) -> CliResult<String> {
    let shown = path.display();
    let text = read_small_file(path, "the API key file")?;
    let key = text.trim();
    if key.is_empty() {
        return Err(Failure::input(format!(
            "the API key file {shown} is empty: put the key from \
             https://www.assemblyai.com/app/api-keys in it"
        )));
    }
    if key.lines().count() > 1 {
        return Err(Failure::input(format!(
            "the API key file {shown} has several lines: it should hold the key alone"
        )));
    }
    warn_if_shared(path);
    Ok(key.to_owned())
}

#[cfg(unix)]
fn warn_if_shared(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(metadata) = std::fs::metadata(path) {
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o044 != 0 {
            crate::notice::warn(&format!(
                "the API key file {} is readable by other users (mode {mode:o}); chmod 600 it",
                path.display()
            ));
        }
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_path: &Path) {}
