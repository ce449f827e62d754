//! Shares of one source list for N machines or N cron slots: a source belongs
//! to the shard its identity hashes to, so adding sources never moves the
//! others.

use std::fmt;

use crate::{Error, Result};

/// One of `count` shares of a batch's sources; shard `index` is 1-based.
///
/// ```
/// use assemblyai::batch::Shard;
///
/// let shard: Shard = "2/4".parse()?;
/// assert_eq!((shard.index(), shard.count()), (2, 4));
/// assert_eq!(Shard::whole(), "1/1".parse()?);
/// # Ok::<(), assemblyai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u32,
    count: u32,
}

impl Default for Shard {
    fn default() -> Self {
        Shard::whole()
    }
}

impl Shard {
    /// Every source: shard 1 of 1.
    pub fn whole() -> Shard {
        Shard { index: 1, count: 1 }
    }

    /// Shard `index` of `count`, `index` from 1 to `count`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `index` is 0 or above `count`.
    pub fn new(index: u32, count: u32) -> Result<Shard> {
        if count == 0 || index == 0 || index > count {
            return Err(Error::invalid_input(format!(
                "shard {index}/{count} does not exist: shards go from 1/N to N/N"
            )));
        }
        Ok(Shard { index, count })
    }

    /// The shard given by the job engine's environment: a Slurm job array
    /// (`SLURM_ARRAY_TASK_ID` counted from `SLURM_ARRAY_TASK_MIN`, and
    /// `SLURM_ARRAY_TASK_COUNT`), or a Kubernetes Indexed Job
    /// (`JOB_COMPLETION_INDEX`, 0-based, which does not tell the number of
    /// shards: `count` must give it). `count`, when given, overrides the
    /// environment's.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when neither engine's variables are set, or
    /// they are not numbers, or the count is missing.
    pub fn from_env(count: Option<u32>) -> Result<Shard> {
        Shard::from_vars(count, |name| std::env::var(name).ok())
    }

    pub(crate) fn from_vars(
        count: Option<u32>,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Shard> {
        let number = |name: &str| -> Result<Option<u32>> {
            match var(name) {
                None => Ok(None),
                Some(text) => text.trim().parse().map(Some).map_err(|_| {
                    Error::invalid_input(format!("{name} is \"{text}\", not a whole number"))
                }),
            }
        };
        if let Some(task) = number("SLURM_ARRAY_TASK_ID")? {
            let first = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let count = match count {
                Some(count) => count,
                None => number("SLURM_ARRAY_TASK_COUNT")?.ok_or_else(|| {
                    Error::invalid_input("SLURM_ARRAY_TASK_COUNT is not set: give --shard auto/N")
                })?,
            };
            return Shard::new(task.saturating_sub(first) + 1, count);
        }
        if let Some(index) = number("JOB_COMPLETION_INDEX")? {
            let count = count.ok_or_else(|| {
                Error::invalid_input(
                    "a Kubernetes Indexed Job does not tell the number of shards: give \
                     --shard auto/N with N its completions",
                )
            })?;
            return Shard::new(index + 1, count);
        }
        Err(Error::invalid_input(
            "--shard auto needs a job array's environment: SLURM_ARRAY_TASK_ID (Slurm) or \
             JOB_COMPLETION_INDEX (Kubernetes Indexed Job); none is set",
        ))
    }

    /// This shard's number, from 1.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// How many shards there are.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// Whether the source with this identity belongs to this shard.
    pub fn owns(&self, key: &str) -> bool {
        fnv1a(key.as_bytes()) % u64::from(self.count) == u64::from(self.index - 1)
    }

    /// `K-of-N`, as journal and lock file names use it.
    pub(crate) fn file_label(&self) -> String {
        format!("{}-of-{}", self.index, self.count)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = Error;

    /// `K/N`, e.g. `2/4`.
    fn from_str(text: &str) -> Result<Shard> {
        let bad =
            || Error::invalid_input(format!("\"{text}\" is not a shard: expected K/N, e.g. 2/4"));
        let (index, count) = text.split_once('/').ok_or_else(bad)?;
        let index = index.trim().parse().map_err(|_| bad())?;
        let count = count.trim().parse().map_err(|_| bad())?;
        Shard::new(index, count)
    }
}

/// FNV-1a, 64 bits: stable across versions and platforms, unlike std's
/// hasher, which is what a shard decided on two machines needs.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_belongs_to_exactly_one_shard() {
        let shards: Vec<Shard> = (1..=4).map(|k| Shard::new(k, 4).unwrap()).collect();
        for n in 0..200 {
            let key = format!("calls/{n}.mp3");
            assert_eq!(shards.iter().filter(|s| s.owns(&key)).count(), 1, "{key}");
        }
        assert!(Shard::whole().owns("anything"));
    }

    #[test]
    fn shards_are_parsed_and_checked() {
        assert_eq!("3/8".parse::<Shard>().unwrap(), Shard::new(3, 8).unwrap());
        for bad in ["0/4", "5/4", "1/0", "x/2", "2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_environment_of_slurm_and_kubernetes_gives_the_shard() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(
            Shard::from_vars(None, slurm).unwrap(),
            Shard::new(4, 4).unwrap()
        );
        let from_one = env(&[
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(
            Shard::from_vars(None, from_one).unwrap(),
            Shard::new(1, 4).unwrap()
        );
        let k8s = env(&[("JOB_COMPLETION_INDEX", "0")]);
        assert_eq!(
            Shard::from_vars(Some(5), k8s).unwrap(),
            Shard::new(1, 5).unwrap()
        );
        assert!(Shard::from_vars(None, env(&[("JOB_COMPLETION_INDEX", "0")])).is_err());
        assert!(Shard::from_vars(None, env(&[])).is_err());
    }
}
