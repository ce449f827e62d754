//! "did you mean `transcribe`?": the known name closest to a mistyped one.

use super::flag::Flag;
use crate::failure::Failure;

/// The error for an option `command` does not take, with the closest one it
/// does take, if any, or the one other command that takes it.
pub fn unknown_option(command: &str, flags: &[&'static Flag], arg: &str) -> Failure {
    let see_help = format!("see: aai {command} --help");
    // `--fromat=srt` is matched by its name alone.
    let name = arg.split_once('=').map_or(arg, |(name, _)| name);
    let known: Vec<String> = flags.iter().flat_map(|flag| flag.names()).collect();
    let failure = Failure::usage(format!("unknown option {name} for aai {command}"));
    let takers: Vec<&str> = super::commands()
        .iter()
        .filter(|other| other.name != command && other.flag(name).is_some())
        .map(|other| other.name)
        .collect();
    if !takers.is_empty() {
        return failure.with_hint(format!(
            "{name} is an option of aai {}; {see_help}",
            takers.join(", aai ")
        ));
    }
    match closest(name, known.iter().map(String::as_str)) {
        Some(near) => failure.with_hint(format!("did you mean `{near}`? {see_help}")),
        None => failure.with_hint(format!(
            "{see_help}; a file whose name starts with - goes after --: aai {command} -- {arg}"
        )),
    }
}

/// The candidate closest to `typed` by edit distance (a swap of two
/// neighbouring letters counts as one edit), if it is close enough to be
/// what was meant: at most one edit in four letters, and at least one, for
/// a word of three letters or more.
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (typed.chars().count() / 4).max(1);
    // `-x` is one letter from every short option: no guess is better.
    if typed.chars().count() < 3 {
        return None;
    }
    candidates
        .into_iter()
        .map(|candidate| (distance(typed, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Optimal string alignment distance: insertions, deletions, substitutions
/// and transpositions of neighbours, each costing one.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_missing_swapped_or_extra_finds_the_word() {
        let commands = ["transcribe", "upload", "submit", "wait", "list"];
        assert_eq!(closest("transcibe", commands), Some("transcribe"));
        assert_eq!(closest("trasncribe", commands), Some("transcribe"));
        assert_eq!(closest("uplaod", commands), Some("upload"));
        assert_eq!(closest("lists", commands), Some("list"));
    }

    #[test]
    fn nothing_is_suggested_for_a_word_far_from_all() {
        assert_eq!(closest("frobnicate", ["transcribe", "upload"]), None);
        assert_eq!(closest("xy", ["get", "wait"]), None);
    }

    #[test]
    fn flags_are_matched_with_their_dashes() {
        let flags = ["--speaker-labels", "--speakers-expected", "--format"];
        assert_eq!(closest("--speaker-label", flags), Some("--speaker-labels"));
        assert_eq!(closest("--fromat", flags), Some("--format"));
    }
}
