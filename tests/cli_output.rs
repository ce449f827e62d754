//! Where the product goes, run as a process against the fake API: a reader closing the pipe,
//! files written atomically (their permissions, their temporary names on Ctrl-C), and the
//! progress line on a terminal.

mod cli_common;
mod support;

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::time::Duration;

use cli_common::{aai, wait_or_kill};
use serde_json::json;
use support::{FakeApi, Fault};

#[test]
fn list_all_stops_fetching_pages_once_the_reader_closes_the_pipe() {
    let fake = FakeApi::start();
    for _ in 0..60 {
        fake.insert_transcript(json!({}));
    }
    // Every page comes slowly, so the reader is gone long before the second page arrives, and
    // the count below does not depend on how fast this test runs.
    fake.inject(
        Fault::Delay(Duration::from_millis(500))
            .on("GET", "/v2/transcript")
            .times(100),
    );

    let mut child = aai(&fake)
        .args(["list", "--all", "--limit", "10"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The BufReader, and with it the pipe, is dropped here: `| head -1`.
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let code = wait_or_kill(&mut child);

    assert_eq!(first.split('\t').count(), 4, "not a list line: {first:?}");
    assert_eq!(code, Some(0), "stderr:\n{stderr}");
    assert_eq!(stderr, "", "a closed pipe is not worth a word");
    let pages = fake.count("GET", "/v2/transcript");
    assert!(
        pages <= 2,
        "{pages} pages fetched for a reader that wanted one line"
    );
}
