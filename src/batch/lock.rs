//! One run per shard and output directory at a time: a lock file naming its
//! holder (host, boot, process and that process's start time), so a lock left
//! by a crash, `kill -9` or a reboot is recognised as stale instead of
//! blocking forever, while a live holder, or one on another machine sharing
//! the storage, is respected.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::Shard;
use super::journal::STATE_DIR;
use crate::{Error, Result};

/// The lock of one shard of an output directory; released when dropped.
#[derive(Debug)]
pub(crate) struct Lock {
    path: PathBuf,
}

/// Who holds a lock.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Holder {
    host: String,
    boot: String,
    pid: u32,
    /// The process's start time in clock ticks after boot (Linux), so a
    /// reused pid is not mistaken for the holder.
    started: String,
}

impl Holder {
    fn me() -> Holder {
        let pid = std::process::id();
        Holder {
            host: host_name(),
            boot: read_trimmed("/proc/sys/kernel/random/boot_id"),
            pid,
            started: process_start(pid).unwrap_or_default(),
        }
    }

    fn to_line(&self) -> String {
        format!(
            "{} {} {} {}\n",
            self.pid, self.host, self.boot, self.started
        )
    }

    fn parse(text: &str) -> Option<Holder> {
        let mut words = text.split_whitespace();
        Some(Holder {
            pid: words.next()?.parse().ok()?,
            host: words.next()?.to_owned(),
            boot: words.next().unwrap_or_default().to_owned(),
            started: words.next().unwrap_or_default().to_owned(),
        })
    }

    /// Whether the holder can still be running. Another host can't be
    /// asked, so its lock stands; on this host a new boot id, a dead pid or
    /// a pid that started at another time means the holder is gone.
    fn alive(&self) -> bool {
        let me = Holder::me();
        if self.host != me.host {
            return true;
        }
        if !me.boot.is_empty() && self.boot != me.boot {
            return false;
        }
        if !Path::new("/proc/self").exists() {
            // Without /proc nothing can be checked: assume alive.
            return true;
        }
        match process_start(self.pid) {
            None => false,
            Some(started) => self.started.is_empty() || started == self.started,
        }
    }
}

impl Lock {
    /// Takes the lock of `shard` in `out_dir`, replacing a stale one.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSource`] when another live run holds it, naming it.
    pub(crate) fn take(out_dir: &Path, shard: Shard) -> Result<Lock> {
        let dir = out_dir.join(STATE_DIR);
        let path = dir.join(format!("lock.{}", shard.file_label()));
        let cannot = |err| Error::io(format!("cannot take the lock {}", path.display()), err);
        let me = Holder::me();
        let temp = dir.join(format!(".lock.{}.{}", shard.file_label(), me.pid));
        fs::File::create(&temp)
            .and_then(|mut file| {
                file.write_all(me.to_line().as_bytes())?;
                file.sync_all()
            })
            .map_err(cannot)?;
        let result = Lock::link(&temp, &path, shard);
        let _ = fs::remove_file(&temp);
        result
    }

    fn link(temp: &Path, path: &Path, shard: Shard) -> Result<Lock> {
        let cannot = |err| Error::io(format!("cannot take the lock {}", path.display()), err);
        for _ in 0..3 {
            // A hard link is created whole or not at all, and fails if the
            // lock exists: two runs starting together can't both win.
            match fs::hard_link(temp, path) {
                Ok(()) => {
                    return Ok(Lock {
                        path: path.to_owned(),
                    });
                }
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
                Err(err) => return Err(cannot(err)),
            }
            let text = fs::read_to_string(path).unwrap_or_default();
            match Holder::parse(&text) {
                Some(holder) if holder.alive() => {
                    return Err(Error::invalid_source(format!(
                        "another aai batch (pid {} on {}) is running shard {shard} of this \
                         --out-dir; wait for it, or if it is gone for good remove {}",
                        holder.pid,
                        holder.host,
                        path.display()
                    )));
                }
                // Stale (or unreadable, a crash while writing it): replace.
                _ => {
                    let _ = fs::remove_file(path);
                }
            }
        }
        Err(Error::invalid_source(format!(
            "cannot take the lock {}: other runs keep taking it",
            path.display()
        )))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn read_trimmed(path: &str) -> String {
    fs::read_to_string(path)
        .map(|text| text.trim().to_owned())
        .unwrap_or_default()
}

fn host_name() -> String {
    let name = read_trimmed("/proc/sys/kernel/hostname");
    let name = if name.is_empty() {
        std::env::var("HOSTNAME")
            .or_else(|_| std::env::var("COMPUTERNAME"))
            .unwrap_or_else(|_| "localhost".to_owned())
    } else {
        name
    };
    name.split_whitespace().collect::<Vec<_>>().join("_")
}

/// Field 22 of `/proc/PID/stat`, the start time; `None` when there is no
/// such process (or no /proc).
fn process_start(pid: u32) -> Option<String> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(19).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_is_exclusive_while_held_and_stale_once_its_holder_is_gone() {
        let dir = std::env::temp_dir().join(format!("aai-lock-test-{}", std::process::id()));
        fs::create_dir_all(dir.join(STATE_DIR)).unwrap();
        let shard = Shard::whole();
        let held = Lock::take(&dir, shard).unwrap();
        // The same process is alive, so a second taker is refused.
        assert!(Lock::take(&dir, shard).is_err());
        drop(held);
        // A lock of a process that no longer runs, or of a past boot, is stale.
        let mut gone = Holder::me();
        gone.boot = "a-previous-boot".into();
        let path = dir.join(STATE_DIR).join("lock.1-of-1");
        fs::write(&path, gone.to_line()).unwrap();
        let taken = Lock::take(&dir, shard).unwrap();
        drop(taken);
        assert!(!path.exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
