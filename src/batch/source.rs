//! What a batch transcribes: files, directories walked for recordings, and
//! URLs, each with its identity and the name of its outputs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::types::is_http_url;
use crate::{Error, Result};

/// The extensions a directory is searched for (case-insensitive): the audio
/// and video formats people keep recordings in.
pub const RECORDING_EXTENSIONS: [&str; 13] = [
    "mp3", "mp4", "m4a", "wav", "flac", "ogg", "opus", "webm", "mov", "mkv", "aac", "wma", "amr",
];

/// One recording of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    location: Location,
    /// The output name relative to the output directory, extension removed,
    /// with `/` separators: `sub/a` for `DIR/sub/a.mp3`.
    stem: String,
    /// What identifies the source across runs and machines: its path
    /// relative to the directory given (or its file name), or its URL. It
    /// decides the shard, so it must not depend on where storage is mounted.
    /// `None` for a URL, whose key is the URL itself (kept once: a batch may
    /// hold a hundred thousand sources).
    key: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Location {
    File(PathBuf),
    Url(String),
}

/// A file's identity at one moment: a source whose size or modification
/// time changed since its transcript is transcribed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Identity {
    pub(crate) size: u64,
    /// Nanoseconds since the Unix epoch.
    pub(crate) mtime: u64,
}

impl Source {
    /// A local file, named in the output directory by its file name.
    pub fn file(path: impl Into<PathBuf>) -> Source {
        let path = path.into();
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.to_string_lossy().into_owned());
        Source::file_named(path, name)
    }

    /// A local file whose outputs are named after `relative` (its path
    /// inside a directory given as a source, `/`-separated).
    pub fn file_named(path: impl Into<PathBuf>, relative: impl Into<String>) -> Source {
        let key: String = relative.into();
        Source {
            stem: without_extension(&key).to_owned(),
            location: Location::File(path.into()),
            key: Some(key.into_boxed_str()),
        }
    }

    /// An http(s) URL the API fetches; its outputs are named after the URL's
    /// last path segment.
    pub fn url(url: impl Into<String>) -> Source {
        let url = url.into();
        let path = url
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .splitn(4, '/')
            .nth(3)
            .unwrap_or_default();
        let segment = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or_default();
        let segment = match without_extension(segment) {
            "" | "." | ".." => "audio",
            _ => segment,
        };
        Source {
            stem: without_extension(segment).to_owned(),
            location: Location::Url(url),
            key: None,
        }
    }

    /// The source as the user would recognise it: its path or URL.
    pub fn shown(&self) -> String {
        match &self.location {
            Location::File(path) => path.display().to_string(),
            Location::Url(url) => url.clone(),
        }
    }

    /// The file to upload, for a local source.
    pub fn path(&self) -> Option<&Path> {
        match &self.location {
            Location::File(path) => Some(path),
            Location::Url(_) => None,
        }
    }

    /// The URL the API fetches, for a remote source.
    pub fn remote_url(&self) -> Option<&str> {
        match &self.location {
            Location::Url(url) => Some(url),
            Location::File(_) => None,
        }
    }

    /// The outputs' name relative to the output directory, without
    /// extension (`sub/a` for a recording `sub/a.mp3` of a directory given).
    pub fn stem(&self) -> &str {
        &self.stem
    }

    /// The identity that survives across runs: the relative path or the URL.
    pub fn key(&self) -> &str {
        match (&self.key, &self.location) {
            (Some(key), _) => key,
            (None, Location::Url(url)) => url,
            (None, Location::File(path)) => path.to_str().unwrap_or_default(),
        }
    }

    /// The file's size and modification time now; `None` for a URL.
    pub(crate) fn identity(&self) -> Result<Option<Identity>> {
        let Location::File(path) = &self.location else {
            return Ok(None);
        };
        let metadata = std::fs::metadata(path)
            .map_err(|err| Error::io(format!("cannot read {}", path.display()), err))?;
        let mtime = metadata
            .modified()
            .ok()
            .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64);
        Ok(Some(Identity {
            size: metadata.len(),
            mtime,
        }))
    }
}

/// `name` without its last extension (`a.b.mp3` → `a.b`); a leading dot is
/// part of the name (`.mp3` stays).
fn without_extension(name: &str) -> &str {
    let (dir, file) = match name.rfind('/') {
        Some(at) => name.split_at(at + 1),
        None => ("", name),
    };
    match file.rfind('.') {
        Some(at) if at > 0 => &name[..dir.len() + at],
        _ => name,
    }
}

/// The sources of a batch, collected from what a user named.
#[derive(Debug, Default)]
pub struct Sources {
    /// In input order, duplicates removed.
    pub sources: Vec<Source>,
    /// Files in directories that were not recordings (by extension).
    pub skipped: usize,
    /// Sources named more than once, counted once.
    pub duplicates: usize,
}

impl Sources {
    /// Collects `inputs` in order: a file as is, a directory walked (sorted)
    /// for files with a [recording extension](RECORDING_EXTENSIONS), an
    /// http(s) URL as a remote source.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSource`] for a path that doesn't exist, and for two
    /// sources whose outputs would have the same name (naming both), before
    /// anything is sent; [`Error::Io`] for a directory that can't be read.
    pub fn collect<S: AsRef<str>>(inputs: impl IntoIterator<Item = S>) -> Result<Sources> {
        let mut collected = Sources::default();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for input in inputs {
            let input = input.as_ref();
            if is_http_url(input) {
                collected.add(Source::url(input), &mut seen)?;
                continue;
            }
            let path = Path::new(input);
            let metadata = std::fs::metadata(path).map_err(|err| match err.kind() {
                std::io::ErrorKind::NotFound => Error::invalid_source(format!(
                    "no such file or directory: {input} (sources are files, directories \
                     or http(s) URLs)"
                )),
                _ => Error::io(format!("cannot read {input}"), err),
            })?;
            if metadata.is_dir() {
                collected.walk(path, "", &mut seen)?;
            } else {
                collected.add(Source::file(path), &mut seen)?;
            }
        }
        Ok(collected)
    }

    fn walk(&mut self, dir: &Path, prefix: &str, seen: &mut HashMap<String, usize>) -> Result<()> {
        let cannot = |err| Error::io(format!("cannot read the directory {}", dir.display()), err);
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(cannot)?
            .collect::<std::io::Result<_>>()
            .map_err(cannot)?;
        entries.sort_by_key(|entry| entry.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let relative = format!("{prefix}{name}");
            let kind = entry.file_type().map_err(cannot)?;
            // Symbolic links to directories are not followed: they can loop.
            if kind.is_dir() {
                self.walk(&path, &format!("{relative}/"), seen)?;
            } else if path.is_file() && is_recording(&name) {
                self.add(Source::file_named(path, relative), seen)?;
            } else {
                self.skipped += 1;
            }
        }
        Ok(())
    }

    fn add(&mut self, source: Source, seen: &mut HashMap<String, usize>) -> Result<()> {
        match seen.get(source.stem()) {
            Some(&earlier) if self.sources[earlier] == source => self.duplicates += 1,
            Some(&earlier) => {
                return Err(Error::invalid_source(format!(
                    "{} and {} would both be written as {}.*; give them in separate runs \
                     (with separate --out-dir) or rename one",
                    self.sources[earlier].shown(),
                    source.shown(),
                    source.stem()
                )));
            }
            None => {
                seen.insert(source.stem().to_owned(), self.sources.len());
                self.sources.push(source);
            }
        }
        Ok(())
    }
}

fn is_recording(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        RECORDING_EXTENSIONS
            .iter()
            .any(|known| known.eq_ignore_ascii_case(ext))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_drop_the_last_extension_only() {
        assert_eq!(Source::file("calls/a.b.mp3").stem(), "a.b");
        assert_eq!(
            Source::file_named("x/sub/c.wav", "sub/c.wav").stem(),
            "sub/c"
        );
        assert_eq!(Source::file("noext").stem(), "noext");
        assert_eq!(
            Source::file_named("d/.hidden", "d/.hidden").stem(),
            "d/.hidden"
        );
    }

    #[test]
    fn a_url_is_named_after_its_last_segment() {
        assert_eq!(Source::url("https://x.com/p/talk.mp3?sig=1").stem(), "talk");
        assert_eq!(Source::url("https://x.com/p/ep1/").stem(), "ep1");
        assert_eq!(Source::url("https://x.com").stem(), "audio");
        assert_eq!(
            Source::url("https://x.com/a.mp3").key(),
            "https://x.com/a.mp3"
        );
    }

    #[test]
    fn recordings_are_known_by_extension_in_any_case() {
        assert!(is_recording("a.MP3"));
        assert!(is_recording("b.Opus"));
        assert!(!is_recording("notes.txt"));
        assert!(!is_recording("mp3"));
    }
}
