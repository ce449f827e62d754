//! What a batch transcribes: files, directories walked for recordings, and
//! URLs, each with its identity and the name of its outputs.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
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
    /// The key earlier versions gave a file named on its own (its file
    /// name), under which an old journal may know it.
    legacy_key: Option<Box<str>>,
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
    /// A local file, named in the output directory by its file name, and
    /// known across runs by its path as given (the same list gives the same
    /// path on every machine).
    pub fn file(path: impl Into<PathBuf>) -> Source {
        let path = path.into();
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.to_string_lossy().into_owned());
        Source::given(path, &name)
    }

    /// A file named on its own, its outputs at `relative` (without the
    /// extension removed yet).
    fn given(path: PathBuf, relative: &str) -> Source {
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        Source {
            stem: without_extension(relative).to_owned(),
            key: Some(path.to_string_lossy().into_owned().into_boxed_str()),
            legacy_key: name.map(String::into_boxed_str),
            location: Location::File(path),
        }
    }

    /// A local file whose outputs are named after `relative` (its path
    /// inside a directory given as a source, `/`-separated).
    pub fn file_named(path: impl Into<PathBuf>, relative: impl Into<String>) -> Source {
        let key: String = relative.into();
        Source {
            stem: without_extension(&key).to_owned(),
            location: Location::File(path.into()),
            key: Some(key.into_boxed_str()),
            legacy_key: None,
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
            legacy_key: None,
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

    /// The key an earlier version's journal may know this source by.
    pub(crate) fn legacy_key(&self) -> Option<&str> {
        self.legacy_key.as_deref()
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
    /// http(s) URL as a remote source. Inputs are paths, not text: a file
    /// name that is not UTF-8 is a source like any other.
    ///
    /// Outputs mirror where the recordings are, as `rclone` or `aws s3 sync`
    /// lay them out: a directory's recordings by their path inside it, files
    /// named on their own by their path below the deepest folder they all
    /// share (`/calls/d1/a.wav` and `/calls/d2/a.wav` → `d1/a`, `d2/a`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSource`] for a path that doesn't exist, and for two
    /// sources whose outputs would still have the same name (naming both),
    /// before anything is sent; [`Error::Io`] for a directory that can't be
    /// read.
    pub fn collect<S: AsRef<OsStr>>(inputs: impl IntoIterator<Item = S>) -> Result<Sources> {
        enum Input {
            Url(String),
            Dir(PathBuf),
            File(PathBuf),
        }
        let mut classified = Vec::new();
        for input in inputs {
            let input = input.as_ref();
            if let Some(url) = input.to_str().filter(|text| is_http_url(text)) {
                classified.push(Input::Url(url.to_owned()));
                continue;
            }
            let path = PathBuf::from(input);
            let shown = path.display();
            let metadata = std::fs::metadata(&path).map_err(|err| match err.kind() {
                std::io::ErrorKind::NotFound => Error::invalid_source(format!(
                    "no such file or directory: {shown} (sources are files, directories \
                     or http(s) URLs)"
                )),
                _ => Error::io(format!("cannot read {shown}"), err),
            })?;
            classified.push(match metadata.is_dir() {
                true => Input::Dir(path),
                false => Input::File(path),
            });
        }
        let shared = shared_folder(classified.iter().filter_map(|input| match input {
            Input::File(path) => Some(path.as_path()),
            _ => None,
        }));
        let mut collected = Sources::default();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for input in classified {
            match input {
                Input::Url(url) => collected.add(Source::url(url), &mut seen)?,
                Input::Dir(dir) => collected.walk(&dir, "", &mut seen)?,
                Input::File(path) => {
                    let relative = below(&path, shared);
                    collected.add(Source::given(path, &relative), &mut seen)?;
                }
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

/// How many leading folders every path shares (lexically: the paths as
/// given).
fn shared_folder<'a>(paths: impl Iterator<Item = &'a Path>) -> usize {
    let mut shared: Option<Vec<Component<'a>>> = None;
    for path in paths {
        let folders: Vec<Component<'a>> = path
            .parent()
            .map(|parent| parent.components().collect())
            .unwrap_or_default();
        shared = Some(match shared {
            None => folders,
            Some(before) => before
                .into_iter()
                .zip(folders)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    shared.map_or(0, |shared| shared.len())
}

/// `path` below its first `skip` components, `/`-separated, never leaving
/// the output directory: a root or `.` is dropped, `..` becomes `__`.
fn below(path: &Path, skip: usize) -> String {
    let parts: Vec<String> = path
        .components()
        .skip(skip)
        .filter_map(|part| match part {
            Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            Component::ParentDir => Some("__".to_owned()),
            Component::RootDir | Component::CurDir | Component::Prefix(_) => None,
        })
        .collect();
    parts.join("/")
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
    fn files_named_on_their_own_mirror_their_path_below_the_folder_they_share() {
        let paths = [
            Path::new("/calls/d1/call.wav"),
            Path::new("/calls/d2/call.wav"),
            Path::new("/calls/top.wav"),
        ];
        let shared = shared_folder(paths.iter().copied());
        assert_eq!(shared, 2, "/ and calls");
        let stems: Vec<String> = paths.iter().map(|p| below(p, shared)).collect();
        assert_eq!(stems, ["d1/call.wav", "d2/call.wav", "top.wav"]);
        let alone = [Path::new("in/r1.mp3"), Path::new("in/r2.mp3")];
        assert_eq!(
            below(alone[0], shared_folder(alone.iter().copied())),
            "r1.mp3"
        );
        assert_eq!(below(Path::new("../x/../a.mp3"), 0), "__/x/__/a.mp3");
    }

    #[test]
    fn recordings_are_known_by_extension_in_any_case() {
        assert!(is_recording("a.MP3"));
        assert!(is_recording("b.Opus"));
        assert!(!is_recording("notes.txt"));
        assert!(!is_recording("mp3"));
    }
}
