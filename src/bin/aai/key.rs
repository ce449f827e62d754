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

/// Reads a key file, trimming the whitespace editors and `echo` add, and
/// warns when people other than the owner could read it.
pub fn read_key_file(path: &Path) -> CliResult<String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|error| {
        Failure::input(format!("cannot read the API key file {shown}: {error}"))
    })?;
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
