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

    /// The shard given by the scheduler's environment, `count` (or the
    /// `AAI_SHARDS` variable) being the number of shards when given:
    ///
    /// - Slurm job arrays: `SLURM_ARRAY_TASK_ID`. With a count, task ids are
    ///   the shards from 0 (`--array=0-7` for 8), so a single task
    ///   resubmitted alone (`sbatch --array=2`, where Slurm says the array
    ///   has one task) is still shard 3 of 8. Without one, the array's own
    ///   shape decides: `(ID - SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP
    ///   + 1` of `SLURM_ARRAY_TASK_COUNT`, stepped arrays (`0-6:2`) included.
    /// - Kubernetes Indexed Jobs: `JOB_COMPLETION_INDEX`, from 0; the count
    ///   must be given (Kubernetes does not tell it).
    /// - AWS Batch array jobs: `AWS_BATCH_JOB_ARRAY_INDEX`, from 0, of
    ///   `AWS_BATCH_JOB_ARRAY_SIZE`.
    ///
    /// ```
    /// use assemblyai::batch::Shard;
    ///
    /// // SHARDS=8 in the environment of a Slurm task resubmitted alone.
    /// # unsafe { std::env::set_var("SLURM_ARRAY_TASK_ID", "2") };
    /// assert_eq!(Shard::from_env(Some(8))?, "3/8".parse()?);
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the variables read when none is set,
    /// one is not a number, the count is missing, or the shard they give does
    /// not exist.
    pub fn from_env(count: Option<u32>) -> Result<Shard> {
        Shard::from_vars(count, |name| std::env::var(name).ok())
    }

    pub(crate) fn from_vars(
        count: Option<u32>,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Shard> {
        let read = std::cell::RefCell::new(Vec::<String>::new());
        let number = |name: &str| -> Result<Option<u32>> {
            let value = var(name);
            read.borrow_mut()
                .push(format!("{name}={}", value.as_deref().unwrap_or("(unset)")));
            match value {
                None => Ok(None),
                Some(text) => text.trim().parse().map(Some).map_err(|_| {
                    Error::invalid_input(format!("{name} is \"{text}\", not a whole number"))
                }),
            }
        };
        let count = match count {
            Some(count) => Some(count),
            None => number("AAI_SHARDS")?,
        };
        let named = |what: &str| {
            Error::invalid_input(format!("{what} (read: {})", read.borrow().join(", ")))
        };
        let from_zero = |index: u32, count: u32, name: &str| -> Result<Shard> {
            if index >= count {
                return Err(named(&format!(
                    "{name} {index} is no shard of {count}: with a count of shards, the \
                     scheduler's indexes go from 0 to {}",
                    count.saturating_sub(1)
                )));
            }
            Shard::new(index + 1, count)
        };
        if let Some(task) = number("SLURM_ARRAY_TASK_ID")? {
            if let Some(count) = count {
                return from_zero(task, count, "SLURM_ARRAY_TASK_ID");
            }
            let first = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let last = number("SLURM_ARRAY_TASK_MAX")?;
            let step = number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
            let tasks = number("SLURM_ARRAY_TASK_COUNT")?;
            let Some(tasks) = tasks else {
                return Err(named(
                    "a Slurm job array without its size: give --shard auto/N",
                ));
            };
            // Without the last id (older Slurm), the array is taken as regular.
            let regular =
                last.is_none_or(|last| last >= first && (last - first) / step + 1 == tasks);
            if !regular || task < first || (task - first) % step != 0 {
                return Err(named(
                    "a Slurm array listed by hand (not FIRST-LAST:STEP) does not say which \
                     share a task is: number the tasks 0..N-1 and give --shard auto/N (the \
                     sbatch script's SHARDS)",
                ));
            }
            return Shard::new((task - first) / step + 1, tasks)
                .map_err(|err| named(&err.to_string()));
        }
        if let Some(index) = number("JOB_COMPLETION_INDEX")? {
            let Some(count) = count else {
                return Err(named(
                    "a Kubernetes Indexed Job does not tell the number of shards: give \
                     --shard auto/N with N its completions, or set AAI_SHARDS",
                ));
            };
            return from_zero(index, count, "JOB_COMPLETION_INDEX");
        }
        if let Some(index) = number("AWS_BATCH_JOB_ARRAY_INDEX")? {
            let Some(count) = count.or(number("AWS_BATCH_JOB_ARRAY_SIZE")?) else {
                return Err(named(
                    "an AWS Batch array job without its size: give --shard auto/N",
                ));
            };
            return from_zero(index, count, "AWS_BATCH_JOB_ARRAY_INDEX");
        }
        Err(named(
            "--shard auto needs a job array's environment: Slurm (SLURM_ARRAY_TASK_ID), a \
             Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or AWS Batch \
             (AWS_BATCH_JOB_ARRAY_INDEX); none is set",
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

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn slurm(
        id: &'static str,
        min: &'static str,
        max: &'static str,
        step: &'static str,
        count: &'static str,
    ) -> Vec<(&'static str, &'static str)> {
        vec![
            ("SLURM_ARRAY_TASK_ID", id),
            ("SLURM_ARRAY_TASK_MIN", min),
            ("SLURM_ARRAY_TASK_MAX", max),
            ("SLURM_ARRAY_TASK_STEP", step),
            ("SLURM_ARRAY_TASK_COUNT", count),
        ]
    }

    fn shard_of(pairs: Vec<(&'static str, &'static str)>, count: Option<u32>) -> Result<Shard> {
        Shard::from_vars(count, env(Vec::leak(pairs)))
    }

    #[test]
    fn a_slurm_array_gives_its_task_s_place_in_the_array() {
        let shard = |k, n| Shard::new(k, n).unwrap();
        assert_eq!(
            shard_of(slurm("3", "0", "3", "1", "4"), None).unwrap(),
            shard(4, 4)
        );
        assert_eq!(
            shard_of(slurm("1", "1", "4", "1", "4"), None).unwrap(),
            shard(1, 4)
        );
        // --array=0-6:2: tasks 0, 2, 4, 6 are shards 1 to 4 of 4.
        for (id, k) in [("0", 1), ("2", 2), ("4", 3), ("6", 4)] {
            assert_eq!(
                shard_of(slurm(id, "0", "6", "2", "4"), None).unwrap(),
                shard(k, 4)
            );
        }
    }

    #[test]
    fn a_slurm_task_resubmitted_alone_keeps_its_shard_of_the_count_given() {
        // sbatch --array=2: Slurm says one task, min 2, max 2.
        let alone = slurm("2", "2", "2", "1", "1");
        assert_eq!(
            shard_of(alone.clone(), Some(8)).unwrap(),
            Shard::new(3, 8).unwrap()
        );
        let mut with_env = alone;
        with_env.push(("AAI_SHARDS", "8"));
        assert_eq!(shard_of(with_env, None).unwrap(), Shard::new(3, 8).unwrap());
        let error = shard_of(slurm("8", "0", "8", "1", "9"), Some(8))
            .unwrap_err()
            .to_string();
        assert!(error.contains("SLURM_ARRAY_TASK_ID=8"), "{error}");
    }

    #[test]
    fn a_listed_slurm_array_without_a_count_is_refused_naming_what_was_read() {
        let error = shard_of(slurm("7", "1", "7", "1", "3"), None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("SLURM_ARRAY_TASK_MAX=7"), "{error}");
        assert!(error.contains("SLURM_ARRAY_TASK_COUNT=3"), "{error}");
    }

    #[test]
    fn kubernetes_and_aws_batch_indexes_count_from_zero() {
        let k8s = vec![("JOB_COMPLETION_INDEX", "0")];
        assert_eq!(
            shard_of(k8s.clone(), Some(5)).unwrap(),
            Shard::new(1, 5).unwrap()
        );
        let error = shard_of(k8s, None).unwrap_err().to_string();
        assert!(error.contains("JOB_COMPLETION_INDEX=0"), "{error}");
        let aws = vec![
            ("AWS_BATCH_JOB_ARRAY_INDEX", "3"),
            ("AWS_BATCH_JOB_ARRAY_SIZE", "4"),
        ];
        assert_eq!(shard_of(aws, None).unwrap(), Shard::new(4, 4).unwrap());
        let error = shard_of(vec![], None).unwrap_err().to_string();
        assert!(error.contains("SLURM_ARRAY_TASK_ID=(unset)"), "{error}");
        assert!(
            error.contains("AWS_BATCH_JOB_ARRAY_INDEX=(unset)"),
            "{error}"
        );
    }
}
