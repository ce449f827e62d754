//! `aai batch` as a process against the fake API: outputs and their names, the report and exit
//! codes, shards, `--status`, and `kill -9` of the whole process group at random moments,
//! rerun until done, with no job paid for twice.

mod cli_common;
mod support;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cli_common::{TempDir, aai, run, run_with_stdin};
use serde_json::Value;
use support::{FakeApi, Fault, Script, fnv1a64};

fn content(i: usize) -> Vec<u8> {
    format!("call recording {i}. ").repeat(30).into_bytes()
}

/// `n` recordings `in/r0000.mp3`... with distinct contents; returns the input directory.
fn recordings(dir: &TempDir, n: usize) -> PathBuf {
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    for i in 0..n {
        fs::write(input.join(format!("r{i:04}.mp3")), content(i)).unwrap();
    }
    input
}

fn batch(fake: &FakeApi, input: &Path, out: &Path) -> Command {
    let mut command = aai(fake);
    command
        .arg("batch")
        .arg(input)
        .arg("--out-dir")
        .arg(out)
        .args(["--speech-models", "universal-2"]);
    command
}

/// For each source, its transcripts, and whether it was uploaded again after the upload its
/// transcript used.
fn per_source(fake: &FakeApi, n: usize) -> (Vec<usize>, Vec<bool>) {
    let source_of: HashMap<u64, usize> = (0..n).map(|i| (fnv1a64(&content(i)), i)).collect();
    let uploads = fake.uploads();
    let transcribed: HashMap<String, usize> = fake
        .transcripts()
        .iter()
        .map(|t| (t["audio_url"].as_str().unwrap().to_owned(), 0))
        .collect();
    let mut transcripts = vec![0; n];
    let mut uploaded_after = vec![false; n];
    let mut seen_transcribed = vec![false; n];
    for upload in &uploads {
        let source = source_of[&upload.fnv];
        if seen_transcribed[source] {
            uploaded_after[source] = true;
        }
        if transcribed.contains_key(&upload.url) {
            seen_transcribed[source] = true;
        }
    }
    let by_url: HashMap<&str, usize> = uploads
        .iter()
        .map(|u| (u.url.as_str(), source_of[&u.fnv]))
        .collect();
    for t in fake.transcripts() {
        transcripts[by_url[t["audio_url"].as_str().unwrap()]] += 1;
    }
    (transcripts, uploaded_after)
}

fn report_lines(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn batch_names_each_output_after_the_source_path_inside_the_directory_given() {
    let fake = FakeApi::builder()
        .script(Script::after(Duration::from_millis(200)))
        .start();
    let dir = TempDir::new("batch-names");
    let input = dir.join("in");
    fs::create_dir_all(input.join("sub")).unwrap();
    fs::write(input.join("a.MP3"), content(1)).unwrap();
    fs::write(input.join("sub/b.wav"), content(2)).unwrap();
    fs::write(input.join("notes.txt"), b"not a recording").unwrap();
    let out = dir.join("out");

    let result = run(batch(&fake, &input, &out).args(["--format", "text,srt,sentences"]));

    result.expect_ok().stderr_mentions(&["1 files skipped"]);
    for name in [
        "a.txt",
        "a.srt",
        "a.sentences.txt",
        "sub/b.txt",
        "sub/b.srt",
        "sub/b.sentences.txt",
    ] {
        assert!(
            out.join(name).is_file(),
            "{name} is missing:\n{}",
            result.stderr
        );
    }
    assert_eq!(fake.uploads().len(), 2, "the text file was uploaded");
    let text = fs::read_to_string(out.join("a.txt")).unwrap();
    assert!(text.starts_with(&support::example_text()));
}

#[test]
fn two_sources_with_one_output_are_refused_before_any_request() {
    let fake = FakeApi::start();
    let dir = TempDir::new("batch-collide");
    let a = dir.file("x.mp3", b"one");
    let b = dir.file("x.wav", b"two");

    let result = run(aai(&fake)
        .arg("batch")
        .arg(&a)
        .arg(&b)
        .arg("--out-dir")
        .arg(dir.join("out")));

    result
        .expect_code(3)
        .stderr_mentions(&["x.mp3", "x.wav", "would both be written"]);
    assert!(fake.requests().is_empty());
}

#[cfg(unix)]
#[test]
fn a_found_list_with_one_name_in_two_folders_and_odd_names_mirrors_the_folders() {
    use std::os::unix::ffi::OsStrExt;

    let fake = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)))
        .start();
    let dir = TempDir::new("batch-mirror");
    let names: [&[u8]; 4] = [
        b"d1/call.mp3",
        b"d2/call.mp3",
        b"d2/caf\xe9.mp3",
        b"d2/a\x1b[2Jb\rc\nd.mp3",
    ];
    let mut list = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let path = dir.join("in").join(std::ffi::OsStr::from_bytes(name));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, content(i)).unwrap();
        // NUL-separated, as `find -print0` writes: a name may hold a newline.
        list.extend_from_slice(path.as_os_str().as_bytes());
        list.push(0);
    }
    let out = dir.join("out");

    let result = run_with_stdin(
        aai(&fake)
            .args([
                "batch",
                // -v: a line per source.
                "-v",
                "--from-file",
                "-",
                "--speech-models",
                "universal-2",
                "--out-dir",
            ])
            .arg(&out),
        Some(list),
    );

    result.expect_ok();
    assert_eq!(per_source(&fake, names.len()).0, vec![1; names.len()]);
    for name in names {
        // A name that is not UTF-8 is written with U+FFFD for what can't be read as text.
        let output = format!("{}.txt", String::from_utf8_lossy(&name[..name.len() - 4]));
        assert!(out.join(&output).is_file(), "{output}");
    }
    assert!(
        !result.stderr.contains('\x1b'),
        "a raw ESC reached the terminal"
    );
    let report: Vec<&str> = result
        .stderr
        .lines()
        .filter(|line| line.starts_with("aai: done"))
        .collect();
    assert_eq!(
        report.len(),
        names.len(),
        "one line per source: {}",
        result.stderr
    );
}

#[test]
fn the_exit_code_is_the_worst_failure_class_and_the_report_names_each_failure() {
    let fake = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)).failing("Audio duration is too short."))
        .start();
    let dir = TempDir::new("batch-worst");
    let input = recordings(&dir, 2);
    fs::write(input.join("empty.mp3"), b"").unwrap();
    let report = dir.join("report.jsonl");

    let result = run(batch(&fake, &input, &dir.join("out"))
        .arg("--report")
        .arg(&report));

    // A local file (3) is worse than a failed transcript (6): it says the input is wrong.
    result.expect_code(3).stderr_mentions(&[
        "empty.mp3",
        "Audio duration is too short.",
        "3 of 3 sources failed",
    ]);
    let lines = report_lines(&report);
    let sources: Vec<&str> = lines
        .iter()
        .map(|l| l["source"].as_str().unwrap())
        .collect();
    assert!(
        sources[0].ends_with("empty.mp3") && sources[1].ends_with("r0000.mp3"),
        "{sources:?}"
    );
    assert_eq!(lines[0]["failure"]["kind"], "input");
    assert_eq!(lines[1]["failure"]["kind"], "transcript_failed");
    assert!(
        lines[1]["transcript_id"].is_string(),
        "the failed transcript's id is reported"
    );
}

#[test]
fn sources_come_from_a_list_on_stdin_with_comments_and_blank_lines_skipped() {
    let fake = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)))
        .start();
    let dir = TempDir::new("batch-list");
    let input = recordings(&dir, 3);
    let list = format!(
        "# calls of monday\n{}\n\n{}\n",
        input.join("r0002.mp3").display(),
        input.join("r0000.mp3").display()
    );
    let out = dir.join("out");
    let report = dir.join("report.jsonl");

    let mut command = aai(&fake);
    command
        .args([
            "batch",
            "--from-file",
            "-",
            "--speech-models",
            "universal-2",
            "--json",
        ])
        .arg("--out-dir")
        .arg(&out)
        .arg("--report")
        .arg(&report);
    let result = run_with_stdin(&mut command, Some(list.into_bytes()));

    result.expect_ok();
    let events = result.stderr_json_lines();
    assert!(
        events.iter().any(|e| e["event"] == "finished"),
        "{}",
        result.stderr
    );
    let lines = report_lines(&report);
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0]["source"].as_str().unwrap().ends_with("r0002.mp3"),
        "input order"
    );
    assert!(out.join("r0002.txt").is_file() && !out.join("r0001.txt").exists());
}

#[test]
fn shards_from_slurm_and_from_the_flag_share_one_out_dir_and_status_shows_them_all() {
    let fake = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)))
        .start();
    let dir = TempDir::new("batch-shards");
    let n = 20;
    let input = recordings(&dir, n);
    let out = dir.join("out");

    run(batch(&fake, &input, &out)
        .env("SLURM_ARRAY_TASK_ID", "0")
        .env("SLURM_ARRAY_TASK_COUNT", "2")
        .args(["--shard", "auto"]))
    .expect_ok();
    let first = fake.transcripts().len();
    assert!(first > 0 && first < n, "shard 1/2 took {first} of {n}");
    run(batch(&fake, &input, &out).args(["--shard", "2/2"])).expect_ok();
    assert_eq!(per_source(&fake, n).0, vec![1; n]);

    let requests = fake.requests().len();
    let status = run(aai(&fake).args(["batch", "--status"]).arg(&out));
    // The report is --status's product: on stdout, every source listed.
    status.expect_ok();
    assert!(
        status.stdout.contains(&format!("{n} of {n} done")),
        "{}",
        status.stdout
    );
    assert_eq!(fake.requests().len(), requests, "--status sent requests");
    assert_eq!(status.stdout.matches("done     ").count(), n);
}

#[cfg(unix)]
#[test]
fn killed_with_sigkill_at_random_moments_a_rerun_finishes_without_paying_twice() {
    use std::os::unix::process::CommandExt;

    // A rate limit, a concurrency limit, jobs finishing out of order, and lost replies.
    let fake = FakeApi::builder()
        .script(Script::after_between(
            Duration::from_millis(100),
            Duration::from_millis(800),
        ))
        .rate_limit(400, Duration::from_secs(1))
        .concurrency_limit(30)
        .start();
    fake.inject(Fault::DropAfterCreate.on("POST", "/v2/transcript").times(6));
    fake.inject(Fault::status(500).on("POST", "/v2/upload").times(4));
    fake.inject(Fault::DropMidResponse.on("GET", "/v2/transcript").times(4));
    let dir = TempDir::new("batch-kill");
    let n = 150;
    let input = recordings(&dir, n);
    let out = dir.join("out");
    let started = Instant::now();
    for round in 0..6u64 {
        let mut child = batch(&fake, &input, &out)
            .args(["--uploads", "4", "--lease", "2s"])
            .arg("-q")
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        // Somewhere between 100 and 700 ms in: during uploads, creates, waits or writes.
        std::thread::sleep(Duration::from_millis(100 + pseudo_random(round) % 600));
        let group = format!("-{}", child.id());
        let killed = Command::new("kill")
            .args(["-9", "--", &group])
            .status()
            .unwrap();
        assert!(killed.success());
        let _ = child.wait();
    }
    let report = dir.join("report.jsonl");
    let last = run(batch(&fake, &input, &out)
        .args(["--lease", "2s", "--report"])
        .arg(&report));
    last.expect_ok();
    assert!(started.elapsed() < Duration::from_secs(60));

    let (transcripts, uploaded_after) = per_source(&fake, n);
    assert_eq!(
        transcripts,
        vec![1; n],
        "a source has no transcript, or more than one"
    );
    let again: Vec<usize> = (0..n).filter(|i| uploaded_after[*i]).collect();
    assert!(
        again.is_empty(),
        "transcribed sources uploaded again: {again:?}"
    );
    for i in 0..n {
        assert!(
            out.join(format!("r{i:04}.txt")).is_file(),
            "output {i} is missing"
        );
    }
    let indexes: Vec<u64> = report_lines(&report)
        .iter()
        .map(|l| l["index"].as_u64().unwrap())
        .collect();
    assert_eq!(
        indexes,
        (0..n as u64).collect::<Vec<_>>(),
        "the report is not in input order"
    );
    let leftovers: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "the killed runs' temporaries: {leftovers:?}"
    );

    // Done is done: one more run sends nothing.
    let requests = fake.requests().len();
    run(&mut batch(&fake, &input, &out)).expect_ok();
    assert_eq!(fake.requests().len(), requests);
}

/// A number that differs from run to run and round to round, without a dependency.
fn pseudo_random(round: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(round);
    hasher.finish()
}

#[cfg(unix)]
#[test]
fn the_deploy_scripts_run_their_shard_of_one_list() {
    let fake = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)))
        .start();
    let dir = TempDir::new("batch-deploy");
    let n = 12;
    let input = recordings(&dir, n);
    let list: String = (0..n)
        .map(|i| format!("{}\n", input.join(format!("r{i:04}.mp3")).display()))
        .collect();
    let list_path = dir.file("list.txt", list.as_bytes());
    let out = dir.join("out");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));

    // Slurm: a stepped array's two tasks (--array=0-2:2), as sbatch would start them, then
    // task 2 resubmitted alone (sbatch --array=2: Slurm says one task) with SHARDS=2.
    let slurm = |id: &str, shape: [&str; 4], shards: Option<&str>| {
        // The environment `aai` gets in every test: the fake's URL and key, nothing else.
        let command = aai(&fake);
        let mut script = Command::new("bash");
        script
            .arg(root.join("deploy/slurm-array.sbatch"))
            .arg("--speech-models=universal-2");
        for (name, value) in command.get_envs() {
            match value {
                Some(value) => script.env(name, value),
                None => script.env_remove(name),
            };
        }
        script
            .env("AAI", cli_common::AAI)
            .env("LIST", &list_path)
            .env("OUT", &out)
            .env("SLURM_ARRAY_TASK_ID", id)
            .env("SLURM_ARRAY_TASK_MIN", shape[0])
            .env("SLURM_ARRAY_TASK_MAX", shape[1])
            .env("SLURM_ARRAY_TASK_STEP", shape[2])
            .env("SLURM_ARRAY_TASK_COUNT", shape[3])
            .stdin(Stdio::null());
        if let Some(shards) = shards {
            script.env("SHARDS", shards);
        }
        let task = run(&mut script);
        task.expect_ok();
        // -q, yet the task's log says what it did.
        assert!(task.stderr.contains(" done ("), "{}", task.stderr);
    };
    for id in ["0", "2"] {
        slurm(id, ["0", "2", "2", "2"], None);
    }
    assert_eq!(per_source(&fake, n).0, vec![1; n]);
    assert!(out.join("report-1-of-2.jsonl").is_file() && out.join("report-2-of-2.jsonl").is_file());
    let before = fake.requests().len();
    slurm("1", ["1", "1", "1", "1"], Some("2"));
    assert_eq!(per_source(&fake, n).0, vec![1; n]);
    let lines = report_lines(&out.join("report-2-of-2.jsonl"));
    assert!(
        lines.iter().all(|l| l["status"] == "already_done"),
        "{lines:?}"
    );
    assert_eq!(
        fake.requests().len(),
        before,
        "a finished shard sent requests"
    );

    // Kubernetes: the manifest's arguments, with the paths of this test and the pod's index.
    let manifest = fs::read_to_string(root.join("deploy/kubernetes-indexed-job.yaml")).unwrap();
    let args: Vec<String> = manifest
        .lines()
        .skip_while(|line| line.trim() != "args:")
        .skip(1)
        .take_while(|line| line.trim_start().starts_with("- "))
        .map(|line| line.trim_start()[2..].trim().to_owned())
        .map(|arg| arg.replace("/data/list.txt", list_path.to_str().unwrap()))
        .map(|arg| arg.replace("/data/transcripts", dir.join("k8s").to_str().unwrap()))
        .collect();
    assert_eq!(args[0], "batch", "{args:?}");
    let shards = manifest
        .lines()
        .skip_while(|line| !line.contains("name: AAI_SHARDS"))
        .nth(1)
        .and_then(|line| line.split('"').nth(1))
        .unwrap()
        .to_owned();
    assert!(
        manifest.contains(&format!("completions: {shards}")),
        "AAI_SHARDS is not the completions"
    );
    for index in 0..4 {
        run(aai(&fake)
            .args(&args)
            .arg("--speech-models=universal-2")
            .env("AAI_SHARDS", &shards)
            .env("JOB_COMPLETION_INDEX", index.to_string()))
        .expect_ok();
    }
    assert_eq!(
        per_source(&fake, n).0,
        vec![2; n],
        "the four pods cover each source once"
    );
}

#[test]
fn a_rerun_with_another_format_fetches_the_new_outputs_without_a_new_transcript() {
    let fake = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)))
        .start();
    let dir = TempDir::new("batch-formats");
    let input = recordings(&dir, 4);
    let out = dir.join("out");
    run(&mut batch(&fake, &input, &out)).expect_ok();
    let uploads = fake.uploads().len();

    let result = run(batch(&fake, &input, &out).args(["--format", "text,vtt", "-q"]));

    result.expect_ok();
    assert_eq!(
        result.stderr, "aai: 4 of 4 done (4 now, 0 before), 0 failed\n",
        "-q leaves only errors and the summary line"
    );
    assert_eq!(
        fake.transcripts().len(),
        4,
        "a finished source was transcribed again"
    );
    assert_eq!(fake.uploads().len(), uploads);
    let vtt = fake
        .requests_to("GET", "/v2/transcript/")
        .iter()
        .filter(|r| r.path.ends_with("/vtt"))
        .count();
    assert_eq!(vtt, 4, "each source's subtitles are fetched once");
    for i in 0..4 {
        assert!(out.join(format!("r{i:04}.vtt")).is_file());
    }
}

#[test]
fn processes_racing_over_one_out_dir_with_any_shards_pay_once_per_source() {
    let fake = FakeApi::builder()
        .script(Script::after(Duration::from_millis(300)))
        .start();
    let dir = TempDir::new("batch-race");
    let n = 16;
    let input = recordings(&dir, n);
    let out = dir.join("out");
    // A duplicated pod (the whole list twice), a resubmitted task run as 1/1, and a rerun with
    // another shard count, all at once; the script's --shard auto overridden by a later --shard.
    let mut children: Vec<_> = [None, None, Some("2/3"), Some("1/2")]
        .into_iter()
        .map(|shard| {
            let mut command = batch(&fake, &input, &out);
            command.args(["-q", "--shard", "auto"]);
            command.arg("--shard").arg(shard.unwrap_or("1/1"));
            command.stdout(Stdio::null()).stderr(Stdio::piped());
            command.spawn().unwrap()
        })
        .collect();
    for child in &mut children {
        assert!(child.wait().unwrap().success());
    }
    assert_eq!(per_source(&fake, n).0, vec![1; n]);
    assert_eq!(
        fake.uploads().len(),
        n,
        "a source was uploaded by two processes"
    );
    for i in 0..n {
        assert!(out.join(format!("r{i:04}.txt")).is_file());
    }
}

#[test]
fn the_sbatch_script_outside_slurm_checks_and_sends_nothing() {
    let fake = FakeApi::start();
    let dir = TempDir::new("batch-dry");
    let list = dir.file("list.txt", b"# calls\n/data/a.wav\n\n/data/b.wav\n");
    let out = dir.join("out");
    let command = aai(&fake);
    let mut script = Command::new("bash");
    script.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/slurm-array.sbatch"));
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => script.env(name, value),
            None => script.env_remove(name),
        };
    }
    script
        .env("AAI", cli_common::AAI)
        .env("LIST", &list)
        .env("OUT", &out)
        .env_remove("SLURM_ARRAY_TASK_ID")
        .stdin(Stdio::null());
    let result = run(&mut script);
    result.expect_ok();
    assert!(result.stderr.contains("2 sources"), "{}", result.stderr);
    assert!(result.stderr.contains("dry check"), "{}", result.stderr);
    assert!(fake.requests().is_empty(), "the dry check sent requests");
}

#[test]
fn a_report_that_would_overwrite_a_recording_or_the_batch_state_is_refused() {
    let fake = FakeApi::start();
    let dir = TempDir::new("batch-report-path");
    let input = recordings(&dir, 2);
    let out = dir.join("out");
    let recording = input.join("r0001.mp3");
    let before = fs::read(&recording).unwrap();

    let result = run(batch(&fake, &input, &out).arg("--report").arg(&recording));
    result
        .expect_code(2)
        .stderr_mentions(&["r0001.mp3", "a recording of this batch"]);
    assert_eq!(fs::read(&recording).unwrap(), before);

    fs::create_dir_all(out.join(".aai-batch")).unwrap();
    let result = run(batch(&fake, &input, &out)
        .arg("--report")
        .arg(out.join(".aai-batch/report.jsonl")));
    result
        .expect_code(2)
        .stderr_mentions(&["batch's own state"]);
    assert!(fake.requests().is_empty());
}

#[cfg(unix)]
#[test]
fn sigterm_removes_the_run_s_lease_so_the_next_run_takes_over_at_once() {
    let fake = FakeApi::builder()
        .script(Script::after(Duration::from_secs(3)))
        .start();
    let dir = TempDir::new("batch-sigterm");
    let n = 3;
    let input = recordings(&dir, n);
    let out = dir.join("out");
    // A lease far longer than the test: were it left behind, the rerun would wait for it.
    let mut child = batch(&fake, &input, &out)
        .args(["-q", "--lease", "10m"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while fake.transcripts().len() < n {
        assert!(child.try_wait().unwrap().is_none(), "the run ended early");
        std::thread::sleep(Duration::from_millis(20));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert_eq!(child.wait().unwrap().code(), Some(143));
    let leases: Vec<_> = fs::read_dir(out.join(".aai-batch/runs"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert!(leases.is_empty(), "left behind: {leases:?}");

    let rerun = run(batch(&fake, &input, &out).args(["--lease", "10m"]));
    rerun.expect_ok();
    assert_eq!(per_source(&fake, n).0, vec![1; n], "the rerun paid again");
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_link_planted_at_an_output_path_is_replaced_not_written_through() {
    let fake = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)))
        .start();
    let dir = TempDir::new("batch-planted");
    let input = recordings(&dir, 2);
    let out = dir.join("out");
    fs::create_dir_all(&out).unwrap();
    let made = Command::new("mkfifo")
        .arg(out.join("r0000.txt"))
        .status()
        .unwrap();
    assert!(made.success());
    let victim = dir.file("victim.txt", b"precious");
    std::os::unix::fs::symlink(&victim, out.join("r0001.txt")).unwrap();

    run(&mut batch(&fake, &input, &out)).expect_ok();

    for name in ["r0000.txt", "r0001.txt"] {
        let kind = fs::symlink_metadata(out.join(name)).unwrap().file_type();
        assert!(kind.is_file(), "{name} is still {kind:?}");
    }
    assert_eq!(
        fs::read(&victim).unwrap(),
        b"precious",
        "written through the link"
    );
}
