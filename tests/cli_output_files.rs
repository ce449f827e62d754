//! `-o` and `--id-file`, run as a process against the fake API: what is not a regular file is
//! written into, a regular file is replaced through a temporary name no one can plant a link
//! at, and every path that cannot work is refused before any request.

mod cli_common;
mod support;

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use cli_common::{TempDir, aai, audio_bytes, run, wait_or_kill};
use serde_json::json;
use support::{FakeApi, Script, redacted_audio};

/// Whether the CLI can be run as nobody here (root reads and writes anything, so a
/// permission can only be tested as another user).
#[cfg(unix)]
fn can_run_as_nobody() -> bool {
    use std::os::unix::process::CommandExt;
    let probe = cli_common::bare_aai()
        .arg("--version")
        .uid(65534)
        .gid(65534)
        .output();
    probe.is_ok_and(|probe| probe.status.success())
}

#[cfg(unix)]
#[test]
fn output_onto_a_fifo_is_written_into_and_it_stays_a_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({"text": "Into the pipe."}));
    let dir = TempDir::new("fifo");
    let fifo = dir.join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    // The reader opens the FIFO as `cat pipe` would; the CLI's write meets it there.
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            fs::File::open(&fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };

    let out = run(aai(&fake).args(["export", &id, "-o"]).arg(&fifo));

    out.expect_ok();
    // Checked first: a FIFO replaced by a file leaves its reader waiting forever.
    let kind = fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced: {kind:?}");
    assert_eq!(reader.join().unwrap(), "Into the pipe.\n");
    assert_eq!(dir.entries(), ["pipe"], "a temporary file was left");
}

#[cfg(unix)]
#[test]
fn output_onto_one_of_the_process_s_own_streams_goes_to_that_stream() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({"text": "To stdout by name."}));
    // `/dev/stdout` is a link to `/proc/self/fd/1`; these two are what it resolves through
    // (and, unlike it, are not replaced by a regression that renames onto them).
    for name in ["/dev/fd/1", "/proc/self/fd/1"] {
        let out = run(aai(&fake).args(["export", &id, "-o", name]));

        out.expect_ok();
        assert_eq!(out.stdout, "To stdout by name.\n", "{name}");
    }
}

#[cfg(unix)]
#[test]
fn output_onto_dev_null_writes_into_it_and_leaves_the_device() {
    use std::os::unix::fs::FileTypeExt;
    use std::os::unix::process::CommandExt;
    // As nobody, replacing /dev/null (what the CLI did) fails, so a regression shows as a
    // failed run rather than as a broken /dev/null on the machine running the tests.
    if !can_run_as_nobody() {
        eprintln!("skipped: aai cannot run as nobody here");
        return;
    }
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({"text": "Gone."}));

    let out = run(aai(&fake)
        .args(["export", &id, "-o", "/dev/null"])
        .uid(65534)
        .gid(65534));

    out.expect_ok();
    assert_eq!(out.stdout, "");
    let kind = fs::metadata("/dev/null").unwrap().file_type();
    assert!(kind.is_char_device(), "{kind:?}");
}

/// The pid the next process will likely get, from the kernel's last one.
#[cfg(target_os = "linux")]
fn next_pids() -> std::ops::Range<u32> {
    let last: u32 = fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(0);
    last + 1..last + 400
}

#[cfg(target_os = "linux")]
#[test]
fn a_link_planted_where_a_temporary_file_could_be_is_never_written_through() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({"text": "Not for the victim."}));
    let dir = TempDir::new("planted");
    let victim = dir.file("victim.txt", b"precious\n");
    let target = dir.join("out.txt");
    // A name derived from the process id can be planted in advance: links at every name the
    // next processes would choose, pointing at a file the attacker wants overwritten.
    for pid in next_pids() {
        std::os::unix::fs::symlink(&victim, dir.join(&format!(".out.txt.{pid}.tmp"))).unwrap();
    }

    let out = run(aai(&fake).args(["export", &id, "-o"]).arg(&target));

    out.expect_ok();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious\n");
    assert_eq!(
        fs::read_to_string(&target).unwrap(),
        "Not for the victim.\n"
    );
}

#[test]
fn temporary_names_differ_between_runs_and_do_not_carry_the_process_id() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({}));
    // The reply is held back, so each run is seen with its temporary file open.
    fake.inject(
        support::Fault::Delay(std::time::Duration::from_secs(20))
            .on("GET", &format!("/v2/transcript/{id}"))
            .times(2),
    );
    let dir = TempDir::new("temp-names");
    let mut names = Vec::new();
    for _ in 0..2 {
        let mut child = aai(&fake)
            .args(["get", &id, "--json", "-o"])
            .arg(dir.join("out.json"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        let name = loop {
            if let Some(name) = dir
                .entries()
                .into_iter()
                .find(|name| name.ends_with(".tmp"))
            {
                break name;
            }
            assert!(
                started.elapsed().as_secs() < 15,
                "no temporary file appeared"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        };
        assert!(!name.contains(&child.id().to_string()), "{name}");
        child.kill().unwrap();
        wait_or_kill(&mut child);
        names.push(name);
        for entry in dir.entries() {
            let _ = fs::remove_file(dir.join(&entry));
        }
    }
    assert_ne!(names[0], names[1]);
}

/// Runs `aai transcribe a.wav` with `flags` and checks it is refused before any request: exit
/// `code`, stderr naming every one of `words`, no request made, nothing left in `dir`.
#[track_caller]
fn refused_before_any_request(flags: &[&std::ffi::OsStr], code: i32, words: &[&str]) {
    let fake = FakeApi::start();
    let dir = TempDir::new("refused");
    let audio = dir.file("a.wav", &audio_bytes(4000));
    let before = dir.entries();
    let mut command = aai(&fake);
    command
        .current_dir(dir.path())
        .arg("transcribe")
        .args(flags);
    let out = run(command.arg(&audio));

    out.expect_code(code);
    out.stderr_mentions(words);
    let requests = fake.requests().len();
    assert_eq!(requests, 0, "{flags:?}: {requests} requests made");
    assert_eq!(dir.entries(), before, "{flags:?}: something was written");
}

#[test]
fn output_and_id_file_paths_that_cannot_work_are_refused_before_any_request() {
    let long = "n".repeat(300);
    for flag in ["-o", "--id-file"] {
        let cases: &[(&str, i32, &[&str])] = &[
            ("", 3, &["empty"]),
            ("newdir/", 3, &["slash"]),
            ("a.wav/", 3, &["slash"]),
            (&long, 3, &["too long"]),
            ("missing/out.txt", 3, &["does not exist"]),
            // Not a directory one can make files in, whoever runs the test.
            ("/proc/out.txt", 3, &["/proc/out.txt"]),
            // The recording itself: writing there would destroy it.
            ("a.wav", 2, &["a.wav", "recording"]),
        ];
        for (path, code, words) in cases {
            let flag = std::ffi::OsStr::new(flag);
            refused_before_any_request(&[flag, Path::new(path).as_os_str()], *code, words);
        }
    }
    let same = std::ffi::OsStr::new("same.txt");
    refused_before_any_request(
        &["-o".as_ref(), same, "--id-file".as_ref(), same],
        2,
        &["--id-file", "same.txt"],
    );
}

#[cfg(unix)]
#[test]
fn an_output_directory_the_user_cannot_write_in_is_refused_before_any_request() {
    use std::os::unix::process::CommandExt;
    if !can_run_as_nobody() {
        eprintln!("skipped: aai cannot run as nobody here");
        return;
    }
    let fake = FakeApi::start();
    let dir = TempDir::new("not-ours");
    let audio = dir.file("a.wav", &audio_bytes(4000));
    let out = run(aai(&fake)
        .args(["transcribe", "-o"])
        .arg(dir.join("out.txt"))
        .arg(&audio)
        .uid(65534)
        .gid(65534));

    out.expect_code(3);
    out.stderr_mentions(&["cannot write", "out.txt", "permission denied"]);
    assert!(fake.requests().is_empty());
}

#[test]
fn a_long_name_that_fits_the_file_system_is_written() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({"text": "Long name."}));
    let dir = TempDir::new("long-name");
    // 250 bytes: a name the file system takes, though not with a temporary prefix and suffix
    // added whole.
    let target = dir.join(&"l".repeat(250));

    let out = run(aai(&fake).args(["export", &id, "-o"]).arg(&target));

    out.expect_ok();
    assert_eq!(fs::read_to_string(&target).unwrap(), "Long name.\n");
}

#[test]
fn redacted_audio_with_o_dash_writes_the_audio_to_stdout() {
    let fake = FakeApi::start();
    fake.set_script(Script::after_polls(0, 1).redacted_audio_after(0));
    let submitted = run(aai(&fake).args([
        "submit",
        "https://example.com/talk.mp3",
        "--redact-pii",
        "--redact-pii-audio",
    ]));
    submitted.expect_ok();
    let id = submitted.stdout.trim_end().to_owned();
    run(aai(&fake).args(["wait", &id, "--format", "id", "--poll-interval", "50ms"])).expect_ok();
    let dir = TempDir::new("redacted-stdout");

    let out = aai(&fake)
        .current_dir(dir.path())
        .args(["redacted-audio", &id, "--poll-interval", "50ms", "-o", "-"])
        .output()
        .unwrap();

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, redacted_audio(&id), "the audio, byte for byte");
    assert_eq!(dir.entries(), Vec::<String>::new(), "no file named -");
}
