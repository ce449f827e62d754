//! `--api-key-file`: the key from a file, for secret managers and to keep it
//! out of the environment, shell history and process listings.

use std::path::Path;

use crate::failure::{CliResult, Failure};

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
