//! Exactly once per *source*, whatever runs share the output directory: the
//! run that works on a source first claims it, and its claim is that
//! source's journal.
//!
//! A claim is a file `.aai-batch/claims/<hh>/<hash>.<generation>`, named
//! after a 128-bit hash of the source's key (its path inside the directory
//! given, or its URL), so it is the same whatever shard, shard count, task,
//! host or day the run has. Generation 1 is made with an exclusive create
//! (`O_CREAT|O_EXCL`, atomic on local disks and on NFS v3+, Lustre and EFS),
//! so of two runs racing for a source exactly one wins. Its first line names
//! the owner's run id; the owner appends the source's steps as JSON lines
//! (the [`Record`]s a journal holds), syncing the ones that protect a
//! payment. A run that finds a source claimed leaves it to its owner while
//! the owner's lease beats (see `lease`); once the owner is dead, it takes
//! the source over by making the next generation, again exclusively, so of
//! two takers one wins, and reads every generation's records first: the dead
//! owner's upload, create and transcript id are the taker's to resolve.
//!
//! Each file holds a few lines per attempt at its source, and only its
//! owner writes it: the state of a hundred thousand sources rerun every
//! night stays a hundred thousand small files, never a growing log.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};

use super::journal::{Entry, Record, Step, records};
use crate::{Error, Result};

/// The folder of claims inside the state directory.
pub(crate) const CLAIMS_DIR: &str = "claims";

/// The claims of one output directory.
pub(crate) struct Claims {
    dir: PathBuf,
}

/// What the claims say of one source.
#[derive(Debug, Clone)]
pub(crate) struct Claimed {
    /// The highest generation: the current owner's.
    pub(crate) generation: u32,
    /// The current owner's run id.
    pub(crate) owner: String,
    /// Every generation's records, folded in order.
    pub(crate) entry: Entry,
}

/// The outcome of an attempt to claim.
pub(crate) enum Claim {
    /// This run now owns the source, at this generation, with what earlier
    /// owners recorded.
    Won(u32, Box<Entry>),
    /// Another run got there first.
    Lost,
}

impl Claims {
    /// The claims folder of the state directory `state_dir`, made if needed.
    pub(crate) fn open(state_dir: &Path) -> Result<Claims> {
        let dir = state_dir.join(CLAIMS_DIR);
        fs::create_dir_all(&dir)
            .map_err(|err| Error::io(format!("cannot create {}", dir.display()), err))?;
        Ok(Claims { dir })
    }

    /// The claim file of `key` at `generation`.
    fn path(&self, key: &str, generation: u32) -> PathBuf {
        let hash = format!("{:032x}", fnv1a128(key.as_bytes()));
        self.dir
            .join(&hash[..2])
            .join(format!("{hash}.{generation}"))
    }

    /// What the claims of `key` say, `None` when it was never claimed.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when a claim exists but can't be read: guessing that it
    /// does not could pay twice.
    pub(crate) fn read(&self, key: &str) -> Result<Option<Claimed>> {
        let mut claimed: Option<Claimed> = None;
        for generation in 1.. {
            let path = self.path(key, generation);
            let file = match File::open(&path) {
                Ok(file) => file,
                Err(err) if err.kind() == io::ErrorKind::NotFound => break,
                Err(err) => {
                    return Err(Error::io(
                        format!("cannot read the claim {}", path.display()),
                        err,
                    ));
                }
            };
            let lines = records(BufReader::new(file)).map_err(|err| {
                Error::io(format!("cannot read the claim {}", path.display()), err)
            })?;
            let mut entry = claimed.take().map(|c| c.entry).unwrap_or_default();
            let mut owner = String::new();
            for record in lines.into_iter().filter(|record| record.key == key) {
                if record.step == Step::Claim {
                    owner = record.run.clone().unwrap_or_default();
                }
                entry.apply(record);
            }
            claimed = Some(Claimed {
                generation,
                owner,
                entry,
            });
        }
        Ok(claimed)
    }

    /// Claims `key` at `generation` (1 for a source never claimed, the
    /// current one + 1 to take over from a dead owner) for the run
    /// `run_id`; on a win, reads back every earlier generation.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the claim can't be made or written.
    pub(crate) fn claim(
        &self,
        key: &str,
        n: usize,
        generation: u32,
        run_id: &str,
    ) -> Result<Claim> {
        let path = self.path(key, generation);
        let cannot = |err| Error::io(format!("cannot claim {}", path.display()), err);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(cannot)?;
        }
        // Exclusive: fails if the name exists, even as a (planted) link.
        let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => return Ok(Claim::Lost),
            Err(err) => return Err(cannot(err)),
        };
        let mut record = Record::new(n, key, Step::Claim);
        record.run = Some(run_id.to_owned());
        // Not synced: the exclusive create is what makes the claim one
        // run's, on every host at once; only what protects a payment must
        // survive a power cut, and `append` syncs that (with the folder).
        file.write_all(&line(&record)?).map_err(cannot)?;
        drop(file);
        let entry = match self.read(key)? {
            Some(claimed) if claimed.generation == generation => claimed.entry,
            // A later generation already: this claim was taken over at once
            // (our own lease looked dead to someone), so it is not ours.
            _ => return Ok(Claim::Lost),
        };
        Ok(Claim::Won(generation, Box::new(entry)))
    }

    /// Whether a run took `key` over from the owner of `generation`.
    pub(crate) fn taken_over(&self, key: &str, generation: u32) -> bool {
        fs::symlink_metadata(self.path(key, generation + 1)).is_ok()
    }

    /// Appends `record` to the claim of `key` this run owns at `generation`;
    /// with `sync`, returns once it is on disk.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when it can't be written, or the claim file is no
    /// longer a plain file (something replaced it).
    pub(crate) fn append(&self, generation: u32, record: &Record, sync: bool) -> Result<()> {
        let path = self.path(&record.key, generation);
        let cannot = |err| Error::io(format!("cannot write the claim {}", path.display()), err);
        // The file was made by this run, exclusively; a link put in its
        // place since is not written through.
        let kind = fs::symlink_metadata(&path).map_err(cannot)?.file_type();
        if !kind.is_file() {
            return Err(cannot(io::Error::other("it is no longer a plain file")));
        }
        let mut file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(cannot)?;
        // One write of the whole line: with O_APPEND it lands in one piece.
        file.write_all(&line(record)?).map_err(cannot)?;
        if sync {
            file.sync_data().map_err(cannot)?;
            // The claim's own name too, the first time it protects a
            // payment: a power cut must not leave the record without it.
            if record.step == Step::Creating {
                sync_dir(path.parent());
            }
        }
        Ok(())
    }

    /// Every source the claims know, folded: what `--status` reports.
    pub(crate) fn read_all(&self) -> Result<Vec<(String, Entry)>> {
        let cannot = |err| Error::io(format!("cannot read {}", self.dir.display()), err);
        let mut keys = Vec::new();
        let mut buckets: Vec<PathBuf> = fs::read_dir(&self.dir)
            .map_err(cannot)?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .collect();
        buckets.sort();
        for bucket in buckets {
            let Ok(listing) = fs::read_dir(&bucket) else {
                continue;
            };
            for file in listing.filter_map(|entry| entry.ok()) {
                let name = file.file_name();
                if !name.to_string_lossy().ends_with(".1") {
                    continue;
                }
                let Ok(first) = File::open(file.path()) else {
                    continue;
                };
                let key = records(BufReader::new(first))
                    .ok()
                    .and_then(|lines| lines.into_iter().next())
                    .map(|record| record.key);
                keys.extend(key);
            }
        }
        let mut entries = Vec::new();
        for key in keys {
            if let Some(claimed) = self.read(&key)? {
                entries.push((key, claimed.entry));
            }
        }
        Ok(entries)
    }
}

fn line(record: &Record) -> Result<Vec<u8>> {
    let mut line = serde_json::to_vec(record).map_err(|err| {
        Error::io(
            "cannot encode a claim record",
            io::Error::other(err.to_string()),
        )
    })?;
    line.push(b'\n');
    Ok(line)
}

/// Syncs a directory, so that a name just made in it survives a power cut;
/// where directories can't be opened (or synced), the file's own sync is
/// what there is.
fn sync_dir(dir: Option<&Path>) {
    if let Some(dir) = dir {
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
    }
}

/// FNV-1a, 128 bits: stable across versions and platforms, and wide enough
/// that two keys of one archive never share a claim.
pub(crate) fn fnv1a128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    bytes.iter().fold(OFFSET, |hash, &byte| {
        (hash ^ u128::from(byte)).wrapping_mul(PRIME)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn of_two_claims_on_one_generation_one_wins_and_a_takeover_reads_the_past() {
        let dir = std::env::temp_dir().join(format!("aai-claims-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let claims = Claims::open(&dir).unwrap();
        assert!(claims.read("a.mp3").unwrap().is_none());
        assert!(matches!(
            claims.claim("a.mp3", 0, 1, "aaaaaaaaaaaaaaaa").unwrap(),
            Claim::Won(1, _)
        ));
        assert!(matches!(
            claims.claim("a.mp3", 0, 1, "bbbbbbbbbbbbbbbb").unwrap(),
            Claim::Lost
        ));
        let mut created = Record::new(0, "a.mp3", Step::Created);
        created.id = Some("t-1".into());
        claims.append(1, &created, true).unwrap();
        let claimed = claims.read("a.mp3").unwrap().unwrap();
        assert_eq!(claimed.owner, "aaaaaaaaaaaaaaaa");
        assert_eq!(claimed.entry.id.as_deref(), Some("t-1"));
        assert!(!claims.taken_over("a.mp3", 1));
        let Claim::Won(2, entry) = claims.claim("a.mp3", 0, 2, "cccccccccccccccc").unwrap() else {
            panic!("the takeover lost");
        };
        assert_eq!(entry.id.as_deref(), Some("t-1"), "the dead owner's job");
        assert!(claims.taken_over("a.mp3", 1));
        assert_eq!(
            claims.read("a.mp3").unwrap().unwrap().owner,
            "cccccccccccccccc"
        );
        assert_eq!(claims.read_all().unwrap().len(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }
}
