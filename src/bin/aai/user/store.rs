//! The user's `aai` directory: the stored key (`aai login`) and the config
//! file (`aai config`), side by side.
//!
//! `$XDG_CONFIG_HOME/aai/`, else `~/.config/aai/`, on every Unix, macOS
//! included: a headless server has no keyring, and one path everywhere is
//! what people sync between machines (gh and many other CLIs do the same).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::failure::{CliResult, Failure};
use crate::output::AtomicFile;

/// The file holding the key `aai login` stored.
pub const KEY_FILE: &str = "api-key";

/// The file holding `aai config`'s defaults.
pub const CONFIG_FILE: &str = "config";

/// The `aai` directory, whether it exists or not; `None` when neither
/// `XDG_CONFIG_HOME` nor `HOME` says where it would be.
pub fn dir() -> Option<PathBuf> {
    // The XDG spec ignores a relative XDG_CONFIG_HOME, so do we.
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|path| path.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|path| path.is_absolute())
                .map(|home| home.join(".config"))
        })?;
    Some(base.join("aai"))
}

/// A file in the `aai` directory, or an error saying where it would go.
pub fn path(name: &str) -> CliResult<PathBuf> {
    dir().map(|dir| dir.join(name)).ok_or_else(|| {
        Failure::input(
            "cannot tell where to keep aai's files: neither XDG_CONFIG_HOME nor HOME is set",
        )
        .with_hint("set HOME, or XDG_CONFIG_HOME to a directory of your own")
    })
}

/// Writes `bytes` to `path` readable by the owner alone, atomically (see
/// `AtomicFile`: an exclusive, unpredictable temporary name, flushed and
/// renamed over the old file), made mode 0600 before any byte is written, in
/// a directory of mode 0700. A reader sees the old file or the new one whole.
///
/// A symlink at `path` (dotfiles kept with stow or in a repository) stays a
/// link: its target is written, atomically beside itself, keeping the
/// target's mode, and the target's directory is left as it is.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(target) = link_target(path)? {
        let mut file = AtomicFile::create(&target)?;
        if fs::metadata(&target).is_err() {
            // A dangling link's new target is a new file: private.
            file = file.private()?;
        }
        file.write_all(bytes)?;
        return file.commit();
    }
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("the path has no directory"))?;
    create_private_dir(dir)?;
    let mut file = AtomicFile::create(path)?.private()?;
    file.write_all(bytes)?;
    file.commit()
}

/// The file a symlink at `path` ends at (links followed to the last),
/// `None` when `path` is no symlink.
fn link_target(path: &Path) -> io::Result<Option<std::path::PathBuf>> {
    let mut at = path.to_owned();
    // A loop of links is the file system's error to report, after a few.
    for _ in 0..40 {
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let next = fs::read_link(&at)?;
                at = match at.parent() {
                    Some(dir) if next.is_relative() => dir.join(next),
                    _ => next,
                };
            }
            _ => return Ok((at != path).then_some(at)),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    // A directory made earlier by hand with the default 0755 is narrowed:
    // it is aai's own, and it holds a key.
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

/// Removes a file, telling whether there was one.
pub fn remove(path: &Path) -> io::Result<bool> {
    match fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(error),
    }
}
