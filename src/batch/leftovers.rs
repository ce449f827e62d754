//! What a killed run leaves in the output directory, found once at the start
//! of the next and removed when safe: temporary outputs (`.NAME.RANDOM.tmp`,
//! the name an atomic write gives a file before renaming it into place) are
//! removed by the run that delivers their source, which holds its claim, so
//! no live run's file is ever touched; lease files of runs dead for a day are
//! removed at once.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::journal::STATE_DIR;
use super::lease::RUNS_DIR;
use super::run::lock;

/// A lease untouched this long belongs to a run that is long gone, by any
/// machine's clock.
const LEASE_FORGOTTEN: Duration = Duration::from_secs(24 * 3600);

/// The longest part of an output's name its temporary name keeps, as the
/// CLI's atomic writer cuts it (a name that fits the file system has a
/// temporary sibling that fits too).
const NAME_KEPT: usize = 200;

/// Temporary outputs by the folder and name they were for.
#[derive(Default)]
pub(crate) struct Leftovers {
    temporaries: std::sync::Mutex<HashMap<(PathBuf, String), Vec<PathBuf>>>,
}

impl Leftovers {
    /// Looks through `out_dir` (outside the state directory) for temporary
    /// outputs, and removes forgotten leases.
    pub(crate) fn find(out_dir: &Path) -> Leftovers {
        forget_old_leases(&out_dir.join(STATE_DIR).join(RUNS_DIR));
        let mut found: HashMap<(PathBuf, String), Vec<PathBuf>> = HashMap::new();
        let mut folders = vec![out_dir.to_owned()];
        while let Some(folder) = folders.pop() {
            let Ok(listing) = fs::read_dir(&folder) else {
                continue;
            };
            for entry in listing.filter_map(|entry| entry.ok()) {
                let name = entry.file_name();
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_dir() {
                    if name != STATE_DIR {
                        folders.push(entry.path());
                    }
                } else if let Some(target) = temporary_for(&name.to_string_lossy()) {
                    found
                        .entry((folder.clone(), target.to_owned()))
                        .or_default()
                        .push(entry.path());
                }
            }
        }
        Leftovers {
            temporaries: std::sync::Mutex::new(found),
        }
    }

    /// Removes the temporaries left for `output`, whose source this run
    /// holds: no one else writes it.
    pub(crate) fn clear(&self, output: &Path) {
        let (Some(folder), Some(name)) = (output.parent(), output.file_name()) else {
            return;
        };
        let name = name.to_string_lossy();
        let mut cut = name.len().min(NAME_KEPT);
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        let key = (folder.to_owned(), name[..cut].to_owned());
        let paths = lock(&self.temporaries).remove(&key);
        for path in paths.into_iter().flatten() {
            // Not followed if it is a link: removing a link removes the link.
            let _ = fs::remove_file(path);
        }
    }
}

/// The (possibly cut) output name of a temporary name `.NAME.<16 hex>.tmp`.
fn temporary_for(name: &str) -> Option<&str> {
    let inner = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (target, random) = inner.rsplit_once('.')?;
    let random_ok = random.len() == 16 && random.bytes().all(|b| b.is_ascii_hexdigit());
    (random_ok && !target.is_empty()).then_some(target)
}

fn forget_old_leases(dir: &Path) {
    let Ok(listing) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in listing.filter_map(|entry| entry.ok()) {
        let old = entry
            .metadata()
            .and_then(|metadata| metadata.modified())
            .ok()
            .and_then(|at| now.duration_since(at).ok())
            .is_some_and(|age| age > LEASE_FORGOTTEN);
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_recognised_and_nothing_else() {
        assert_eq!(temporary_for(".a.txt.0123456789abcdef.tmp"), Some("a.txt"));
        assert_eq!(temporary_for(".a.txt.tmp"), None);
        assert_eq!(temporary_for("a.txt.0123456789abcdef.tmp"), None);
        assert_eq!(temporary_for(".a.txt.0123456789abcdeg.tmp"), None);
    }

    #[test]
    fn the_temporaries_of_an_output_are_removed_and_others_kept() {
        let dir = std::env::temp_dir().join(format!("aai-leftovers-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).unwrap();
        let mine = dir.join("sub/.a.txt.0123456789abcdef.tmp");
        let other = dir.join("sub/.b.txt.0123456789abcdef.tmp");
        fs::write(&mine, "half").unwrap();
        fs::write(&other, "half").unwrap();
        let leftovers = Leftovers::find(&dir);
        leftovers.clear(&dir.join("sub/a.txt"));
        assert!(!mine.exists());
        assert!(other.exists(), "another source's file was removed");
        fs::remove_dir_all(&dir).unwrap();
    }
}
