//! A stream kept as it is read, so a request can send it again: a chunked
//! upload cannot be replayed, and the audio of a live recording exists
//! nowhere else. The first MiB stays in memory; beyond it the bytes go to a
//! temporary file, so a 40 MB clip from a pipe costs no more memory than a
//! short one.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

/// What is kept in memory before the spool moves to a file.
const IN_MEMORY: usize = 1 << 20;

/// The bytes of a stream read so far.
pub(crate) struct Spool {
    memory: Vec<u8>,
    file: Option<SpoolFile>,
    len: u64,
}

/// The temporary file, removed when the spool is dropped.
struct SpoolFile {
    file: File,
    path: PathBuf,
}

impl Drop for SpoolFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl Spool {
    pub(crate) fn new() -> Spool {
        Spool {
            memory: Vec::new(),
            file: None,
            len: 0,
        }
    }

    /// How many bytes are kept.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Keeps `bytes` after the others.
    pub(crate) fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.file.is_none() && self.memory.len() + bytes.len() <= IN_MEMORY {
            self.memory.extend_from_slice(bytes);
        } else {
            let spill = match self.file.take() {
                Some(spill) => spill,
                None => {
                    let mut spill = temporary_file()?;
                    spill.file.write_all(&self.memory)?;
                    self.memory = Vec::new();
                    spill
                }
            };
            let spill = self.file.insert(spill);
            spill.file.seek(SeekFrom::End(0))?;
            spill.file.write_all(bytes)?;
        }
        self.len += bytes.len() as u64;
        Ok(())
    }

    /// Reads kept bytes from `offset` into `buf`; 0 at the end.
    pub(crate) fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        if offset >= self.len {
            return Ok(0);
        }
        let want = buf
            .len()
            .min((self.len - offset).min(usize::MAX as u64) as usize);
        match &mut self.file {
            None => {
                let start = offset as usize;
                buf[..want].copy_from_slice(&self.memory[start..start + want]);
                Ok(want)
            }
            Some(spill) => {
                spill.file.seek(SeekFrom::Start(offset))?;
                spill.file.read(&mut buf[..want])
            }
        }
    }
}

/// A new file in the temporary directory that only this process uses.
fn temporary_file() -> io::Result<SpoolFile> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir();
    loop {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.subsec_nanos());
        let name = format!(
            "aai-clip-{}-{}-{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = dir.join(name);
        let mut options = OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // The audio of a private recording: readable by its owner only.
            options.mode(0o600);
        }
        match options.open(&path) {
            Ok(file) => {
                // Unlinked at once where the file lives on through its handle
                // (Unix), so a process killed mid-clip leaves no audio behind.
                #[cfg(unix)]
                let _ = std::fs::remove_file(&path);
                return Ok(SpoolFile { file, path });
            }
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_past_the_memory_part_are_kept_in_a_file_and_read_back() {
        let mut spool = Spool::new();
        let chunk: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
        for _ in 0..5 {
            spool.append(&chunk).unwrap();
        }
        assert!(spool.file.is_some());
        assert_eq!(spool.len(), 1_500_000);
        let mut back = Vec::new();
        let mut buf = vec![0; 70_000];
        loop {
            let n = spool.read_at(back.len() as u64, &mut buf).unwrap();
            if n == 0 {
                break;
            }
            back.extend_from_slice(&buf[..n]);
        }
        assert_eq!(back.len(), 1_500_000);
        assert!(back.chunks(300_000).all(|part| part == chunk.as_slice()));
    }
}
