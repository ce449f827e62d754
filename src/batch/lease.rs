//! Which runs are alive, told by heartbeats in the shared output directory
//! rather than by process ids or host names, which mean nothing on another
//! node, in another container, or after a requeue.
//!
//! Each run keeps a lease file, `.aai-batch/runs/<run id>.lease`, whose beat
//! counter it rewrites every [`Lease::beat_every`]. Another run judges it by
//! watching the counter with its *own* monotonic clock: a lease whose beat
//! has not changed for the whole lease time (or that is gone) belongs to a
//! dead run, whatever the two machines' wall clocks say. A run that cannot
//! beat (its storage is cut off) stops sending creates before anyone may
//! think it dead: see [`Heartbeat::create_deadline`].

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use super::run::lock;
use crate::{Error, Result};

/// The folder of lease files inside the state directory.
pub(crate) const RUNS_DIR: &str = "runs";

/// How long a lease lasts without a beat before its run counts as dead.
pub(crate) const DEFAULT_LEASE: Duration = Duration::from_secs(30);

/// A lease not renewed for this long (by its file's time stamp) is dead at
/// once: more than clocks on one cluster drift apart.
const LONG_STALE: Duration = Duration::from_secs(600);

/// The lease of this run: its file and the time of its last beat.
pub(crate) struct Heartbeat {
    pub(crate) run_id: String,
    path: PathBuf,
    lease: Duration,
    beats: Mutex<Beats>,
    stopped: Condvar,
}

struct Beats {
    count: u64,
    last: Instant,
    stop: bool,
}

impl Heartbeat {
    /// Creates this run's lease file (a fresh random name, created
    /// exclusively, so a planted file or link is never written through).
    pub(crate) fn start(state_dir: &Path, lease: Duration) -> Result<Heartbeat> {
        let dir = state_dir.join(RUNS_DIR);
        fs::create_dir_all(&dir)
            .map_err(|err| Error::io(format!("cannot create {}", dir.display()), err))?;
        for _ in 0..8 {
            let run_id = random_id();
            let path = dir.join(format!("{run_id}.lease"));
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    file.write_all(b"0\n").map_err(|err| {
                        Error::io(format!("cannot write {}", path.display()), err)
                    })?;
                    return Ok(Heartbeat {
                        run_id,
                        path,
                        lease,
                        beats: Mutex::new(Beats {
                            count: 0,
                            last: Instant::now(),
                            stop: false,
                        }),
                        stopped: Condvar::new(),
                    });
                }
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(err) => {
                    return Err(Error::io(format!("cannot create {}", path.display()), err));
                }
            }
        }
        Err(Error::io(
            format!("cannot create a lease file in {}", dir.display()),
            io::Error::other("every random name was taken"),
        ))
    }

    /// How often the lease is renewed: a sixth of it, so that several beats
    /// may fail (a slow NFS server) before the run stops creating.
    pub(crate) fn beat_every(&self) -> Duration {
        self.lease / 6
    }

    /// Beats until [`stop`](Self::stop) is called.
    pub(crate) fn keep_beating(&self) {
        let mut beats = lock(&self.beats);
        loop {
            let (next, _) = self
                .stopped
                .wait_timeout(beats, self.beat_every())
                .unwrap_or_else(|poison| poison.into_inner());
            beats = next;
            if beats.stop {
                return;
            }
            let count = beats.count + 1;
            drop(beats);
            // Rewritten in place: the file is this run's own, made
            // exclusively; a link put in its place is not written through
            // (and the beat fails, so this run stops creating).
            let written = fs::symlink_metadata(&self.path)
                .and_then(|metadata| match metadata.file_type().is_file() {
                    true => Ok(()),
                    false => Err(io::Error::other("the lease is no longer a plain file")),
                })
                .and_then(|()| {
                    fs::OpenOptions::new()
                        .write(true)
                        .truncate(true)
                        .open(&self.path)
                })
                .and_then(|mut file| file.write_all(format!("{count}\n").as_bytes()));
            beats = lock(&self.beats);
            if written.is_ok() {
                beats.count = count;
                beats.last = Instant::now();
            }
        }
    }

    /// Ends the beating and removes the lease: the run is over, and its
    /// claims are either finished or free for the next run at once.
    pub(crate) fn stop(&self) {
        lock(&self.beats).stop = true;
        self.stopped.notify_all();
        let _ = fs::remove_file(&self.path);
    }

    /// The latest moment a create may still be sent: half a lease after the
    /// last beat that reached the storage. Another run takes a source over
    /// only after a whole lease without a beat, so a create of this run
    /// always lands (or is abandoned) before anyone looks for it.
    pub(crate) fn create_deadline(&self) -> Instant {
        lock(&self.beats).last + self.lease / 2
    }

    /// The lease file, which a signal handler may remove.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

/// What this run has seen of other runs' leases.
pub(crate) struct Observer {
    dir: PathBuf,
    lease: Duration,
    /// Run id → the beat last read and when it was first read.
    seen: Mutex<HashMap<String, (String, Instant)>>,
}

/// What is known of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Liveness {
    /// It beat within the lease, or has not been watched a lease long yet.
    Alive,
    /// Its lease is gone, or its beat stood still for a whole lease.
    Dead,
}

impl Observer {
    pub(crate) fn new(state_dir: &Path, lease: Duration) -> Observer {
        Observer {
            dir: state_dir.join(RUNS_DIR),
            lease,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the run `run_id` is alive, by its beat.
    pub(crate) fn liveness(&self, run_id: &str) -> Liveness {
        if !is_run_id(run_id) {
            // Not a name this crate makes (a foreign or damaged claim): no
            // run can beat for it.
            return Liveness::Dead;
        }
        let path = self.dir.join(format!("{run_id}.lease"));
        // A lease whose last beat is far older than any clock skew (by the
        // storage's own time stamp) is dead without watching it a lease
        // long: a rerun the next day goes on at once.
        let stale = fs::metadata(&path)
            .and_then(|metadata| metadata.modified())
            .ok()
            .and_then(|at| std::time::SystemTime::now().duration_since(at).ok())
            .is_some_and(|age| age > (self.lease * 10).max(LONG_STALE));
        if stale {
            return Liveness::Dead;
        }
        let beat = match fs::read_to_string(&path) {
            Ok(beat) => beat,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Liveness::Dead,
            // Unreadable for now (a storage hiccup): not proof of death.
            Err(_) => return Liveness::Alive,
        };
        let mut seen = lock(&self.seen);
        let now = Instant::now();
        match seen.get(run_id) {
            Some((last, since)) if *last == beat => {
                if now.duration_since(*since) >= self.lease {
                    Liveness::Dead
                } else {
                    Liveness::Alive
                }
            }
            _ => {
                seen.insert(run_id.to_owned(), (beat, now));
                Liveness::Alive
            }
        }
    }
}

/// 16 random hex digits: the std hasher's random keys mixed with the time
/// and the process id (no random-number dependency needed for a name).
pub(crate) fn random_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.write_u32(std::process::id());
    format!("{:016x}", hasher.finish())
}

fn is_run_id(text: &str) -> bool {
    text.len() == 16 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_whose_beat_stands_still_for_a_lease_is_dead_and_one_that_beats_is_alive() {
        let dir = std::env::temp_dir().join(format!("aai-lease-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let lease = Duration::from_millis(300);
        let heartbeat = Heartbeat::start(&dir, lease).unwrap();
        let observer = Observer::new(&dir, lease);
        std::thread::scope(|scope| {
            scope.spawn(|| heartbeat.keep_beating());
            assert_eq!(observer.liveness(&heartbeat.run_id), Liveness::Alive);
            std::thread::sleep(lease * 2);
            assert_eq!(observer.liveness(&heartbeat.run_id), Liveness::Alive);
            heartbeat.stop();
        });
        assert_eq!(observer.liveness(&heartbeat.run_id), Liveness::Dead, "gone");
        // A lease left by a killed run: present, never beating.
        let stale = Heartbeat::start(&dir, lease).unwrap();
        assert_eq!(observer.liveness(&stale.run_id), Liveness::Alive);
        std::thread::sleep(lease + Duration::from_millis(50));
        assert_eq!(observer.liveness(&stale.run_id), Liveness::Dead);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_lease_last_written_long_ago_is_dead_at_first_sight() {
        let dir = std::env::temp_dir().join(format!("aai-lease-old-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let lease = Duration::from_secs(30);
        let old = Heartbeat::start(&dir, lease).unwrap();
        let file = fs::OpenOptions::new().write(true).open(old.path()).unwrap();
        file.set_modified(std::time::SystemTime::now() - Duration::from_secs(3600))
            .unwrap();
        let observer = Observer::new(&dir, lease);
        assert_eq!(observer.liveness(&old.run_id), Liveness::Dead);
        let fresh = Heartbeat::start(&dir, lease).unwrap();
        assert_eq!(observer.liveness(&fresh.run_id), Liveness::Alive);
        fs::remove_dir_all(&dir).unwrap();
    }
}
