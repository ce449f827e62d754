//! `aai batch --ask` and `--ask-reduce` against the emulator's gateway: one answer file per
//! transcript, each paid for once across reruns, a failed question asked again alone, and one
//! answer over all the answers, chunked to the model's context.

mod cli_common;
mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use cli_common::{TempDir, aai, run};
use std::time::Duration;

use support::{FakeApi, Fault, Script};

const MODEL: &str = "claude-sonnet-4-6";

/// Jobs done 100 ms after they are created, as the batch's list polling sees them.
fn fake() -> FakeApi {
    FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)))
        .start()
}

fn recordings(dir: &TempDir, n: usize) -> PathBuf {
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    for i in 0..n {
        fs::write(
            input.join(format!("r{i}.mp3")),
            format!("call {i}. ").repeat(40),
        )
        .unwrap();
    }
    input
}

fn batch(fake: &FakeApi, input: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut command = aai(fake);
    command
        .arg("batch")
        .arg(input)
        .arg("--out-dir")
        .arg(out)
        .args(["--model", MODEL, "--ask", "What was promised?"])
        .args(extra);
    command
}

#[test]
fn each_transcript_gets_one_answer_file_and_a_rerun_pays_for_none() {
    let fake = fake();
    let dir = TempDir::new("batch-ask");
    let input = recordings(&dir, 3);
    let out = dir.join("out");
    run(&mut batch(&fake, &input, &out, &[])).expect_ok();
    for i in 0..3 {
        let answer = fs::read_to_string(out.join(format!("r{i}.answer.txt"))).unwrap();
        assert!(
            answer.starts_with("\"What was promised?\" answered by claude-sonnet-4-6"),
            "{answer}"
        );
    }
    assert_eq!(fake.count("POST", "/v1/chat/completions"), 3);
    let asked: Vec<String> = fake
        .requests_to("POST", "/v1/chat/completions")
        .iter()
        .map(|r| r.json()["transcript_id"].as_str().unwrap().to_owned())
        .collect();
    let mut ids: Vec<String> = fake
        .transcripts()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    let mut sorted = asked.clone();
    sorted.sort();
    ids.sort();
    assert_eq!(sorted, ids, "one question per transcript");

    run(&mut batch(&fake, &input, &out, &[])).expect_ok();
    assert_eq!(
        fake.count("POST", "/v1/chat/completions"),
        3,
        "nothing paid again"
    );
    assert_eq!(fake.count("POST", "/v2/transcript"), 3);
}

#[test]
fn a_failed_question_fails_the_run_and_the_rerun_asks_it_alone() {
    let fake = fake();
    fake.inject(Fault::status(500).on("POST", "/v1/chat/completions"));
    let dir = TempDir::new("batch-ask-fail");
    let input = recordings(&dir, 3);
    let out = dir.join("out");
    let first = run(&mut batch(&fake, &input, &out, &[]));
    first.expect_code(8).stderr_mentions(&["questions failed"]);
    assert_eq!(
        fake.count("POST", "/v1/chat/completions"),
        3,
        "a paid request is not retried on 500"
    );
    let answered = (0..3)
        .filter(|i| out.join(format!("r{i}.answer.txt")).is_file())
        .count();
    assert_eq!(answered, 2);

    run(&mut batch(&fake, &input, &out, &[])).expect_ok();
    assert_eq!(fake.count("POST", "/v1/chat/completions"), 4);
    assert!((0..3).all(|i| out.join(format!("r{i}.answer.txt")).is_file()));
}

#[test]
fn a_changed_question_is_asked_again() {
    let fake = fake();
    let dir = TempDir::new("batch-ask-changed");
    let input = recordings(&dir, 2);
    let out = dir.join("out");
    run(&mut batch(&fake, &input, &out, &[])).expect_ok();
    let mut second = aai(&fake);
    second
        .arg("batch")
        .arg(&input)
        .arg("--out-dir")
        .arg(&out)
        .args(["--model", MODEL, "--ask", "Who called?"]);
    run(&mut second).expect_ok();
    assert_eq!(fake.count("POST", "/v1/chat/completions"), 4);
    let answer = fs::read_to_string(out.join("r0.answer.txt")).unwrap();
    assert!(answer.starts_with("\"Who called?\""), "{answer}");
}

#[test]
fn ask_reduce_answers_once_over_all_answers_and_not_again_on_a_rerun() {
    let fake = fake();
    let dir = TempDir::new("batch-reduce");
    let input = recordings(&dir, 3);
    let out = dir.join("out");
    let reduce = ["--ask-reduce", "What was promised most?"];
    run(&mut batch(&fake, &input, &out, &reduce)).expect_ok();
    let answer = fs::read_to_string(out.join("answer.txt")).unwrap();
    assert!(
        answer.starts_with("\"What was promised most? Answer from these 3 answers"),
        "{answer}"
    );
    assert_eq!(fake.count("POST", "/v1/chat/completions"), 4);
    let last = fake
        .requests_to("POST", "/v1/chat/completions")
        .pop()
        .unwrap()
        .json();
    assert!(last.get("transcript_id").is_none());

    run(&mut batch(&fake, &input, &out, &reduce)).expect_ok();
    assert_eq!(fake.count("POST", "/v1/chat/completions"), 4);
}

#[test]
fn a_schema_writes_json_answers() {
    let fake = fake();
    let dir = TempDir::new("batch-ask-schema");
    let input = recordings(&dir, 1);
    let out = dir.join("out");
    let schema = dir.file(
        "s.json",
        br#"{"type":"object","properties":{"promise":{"type":"string"}}}"#,
    );
    run(&mut batch(
        &fake,
        &input,
        &out,
        &["--schema", schema.to_str().unwrap()],
    ))
    .expect_ok();
    let answer: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("r0.answer.json")).unwrap()).unwrap();
    assert!(answer["promise"].is_string());
}

#[test]
fn ask_flags_without_ask_are_a_usage_error() {
    let fake = fake();
    let dir = TempDir::new("batch-ask-usage");
    let input = recordings(&dir, 1);
    let out = dir.join("out");
    let mut command = aai(&fake);
    command
        .arg("batch")
        .arg(&input)
        .arg("--out-dir")
        .arg(&out)
        .args(["--ask-reduce", "Q"]);
    run(&mut command)
        .expect_code(2)
        .stderr_mentions(&["go with --ask"]);
    assert!(fake.requests().is_empty());
}

#[test]
fn a_batch_killed_while_asking_resumes_and_pays_again_only_for_questions_that_were_out() {
    let fake = fake();
    let dir = TempDir::new("batch-ask-kill");
    let input = recordings(&dir, 6);
    let out = dir.join("out");
    let mut child = batch(&fake, &input, &out, &[])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed once two answers are written (the per-model pace leaves the rest to ask).
    let answered = || {
        (0..6)
            .filter(|i| out.join(format!("r{i}.answer.txt")).is_file())
            .count()
    };
    let started = std::time::Instant::now();
    while answered() < 2 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let written_before = answered();
    assert!(
        (2..6).contains(&written_before),
        "{written_before} answers at the kill"
    );

    // Questions out at the kill: journaled as asking, never as answered.
    let journal = fs::read_to_string(out.join(".aai-batch/answers.1-of-1.jsonl")).unwrap();
    let mut asking = std::collections::HashMap::new();
    for line in journal
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
    {
        asking.insert(line["key"].to_string(), line["step"] == "asking");
    }
    let out_at_kill = asking.values().filter(|open| **open).count();
    let sent_before = fake.count("POST", "/v1/chat/completions");

    run(&mut batch(&fake, &input, &out, &[])).expect_ok();
    assert_eq!(answered(), 6);
    let sent = fake.count("POST", "/v1/chat/completions");
    assert!(
        (6..=6 + out_at_kill).contains(&sent),
        "{sent} questions sent ({sent_before} before the kill, {out_at_kill} out at it)"
    );
    assert_eq!(
        fake.count("POST", "/v2/transcript"),
        6,
        "no transcript paid twice"
    );
}

#[test]
fn answers_written_under_another_shard_count_are_not_paid_for_again() {
    let fake = fake();
    let dir = TempDir::new("batch-ask-shards");
    let input = recordings(&dir, 4);
    let out = dir.join("out");
    for shard in ["1/2", "2/2"] {
        run(&mut batch(&fake, &input, &out, &["--shard", shard])).expect_ok();
    }
    assert_eq!(fake.count("POST", "/v1/chat/completions"), 4);

    // The whole list at once, as a final task after the shards would run it.
    run(&mut batch(&fake, &input, &out, &[])).expect_ok();

    assert_eq!(
        fake.count("POST", "/v1/chat/completions"),
        4,
        "an answer from another shard's journal was asked again"
    );
    assert_eq!(fake.count("POST", "/v2/transcript"), 4);
}
