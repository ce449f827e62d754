//! `aai login`, `aai login --check` and `aai logout`, with keys piped on stdin and a temporary
//! `XDG_CONFIG_HOME`, against the fake API; and the order in which commands pick a key.

mod cli_common;
mod support;

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use cli_common::{TempDir, bare_aai, run, run_with_stdin};
use support::FakeApi;

/// `aai` talking to `fake` with no key in the environment and its own config directory.
fn aai_home(fake: &FakeApi, config: &TempDir) -> Command {
    let mut command = bare_aai();
    command
        .env("ASSEMBLYAI_BASE_URL", fake.base_url())
        .env("XDG_CONFIG_HOME", config.path());
    command
}

fn key_file(config: &TempDir) -> PathBuf {
    config.path().join("aai").join("api-key")
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn login_checks_a_piped_key_and_stores_it_for_the_owner_alone() {
    let fake = FakeApi::start();
    let config = TempDir::new("login");

    let out = run_with_stdin(
        aai_home(&fake, &config).arg("login"),
        Some(format!("{}\n", fake.key()).into_bytes()),
    );

    out.expect_ok();
    let stored = key_file(&config);
    assert_eq!(fs::read_to_string(&stored).unwrap().trim(), fake.key());
    #[cfg(unix)]
    {
        assert_eq!(mode(&stored), 0o600, "the key file is not private");
        assert_eq!(
            mode(stored.parent().unwrap()),
            0o700,
            "the directory is not private"
        );
    }
    assert!(
        !out.stderr.contains(fake.key()),
        "the key was printed:\n{}",
        out.stderr
    );
    assert!(!out.stdout.contains(fake.key()));
    assert_eq!(
        fake.count("GET", "/v2/transcript"),
        1,
        "the key was not checked"
    );
    let leftovers: Vec<_> = fs::read_dir(stored.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["api-key"], "a temporary file is left");
}

#[test]
fn every_command_uses_the_stored_key_when_nothing_else_is_given() {
    let fake = FakeApi::start();
    let config = TempDir::new("login-use");
    run_with_stdin(
        aai_home(&fake, &config).arg("login"),
        Some(fake.key().as_bytes().to_vec()),
    )
    .expect_ok();

    let out = run(aai_home(&fake, &config).args(["list"]));

    out.expect_ok();
    let list = fake.requests_to("GET", "/v2/transcript");
    assert_eq!(
        list.last().unwrap().header("authorization"),
        Some(fake.key())
    );
}

#[test]
fn a_rejected_key_is_not_stored_and_exits_5() {
    let fake = FakeApi::start();
    let config = TempDir::new("login-bad");

    let out = run_with_stdin(
        aai_home(&fake, &config).arg("login"),
        Some(b"not-a-real-key-0000".to_vec()),
    );

    out.expect_code(5)
        .stderr_mentions(&["rejected", "not stored"]);
    assert!(!key_file(&config).exists());
    assert!(
        !out.stderr.contains("not-a-real-key-0000"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_rejected_key_leaves_the_one_stored_before_in_place() {
    let fake = FakeApi::start();
    let config = TempDir::new("login-keep");
    run_with_stdin(
        aai_home(&fake, &config).arg("login"),
        Some(fake.key().as_bytes().to_vec()),
    )
    .expect_ok();

    run_with_stdin(
        aai_home(&fake, &config).arg("login"),
        Some(b"wrong-key-1111".to_vec()),
    )
    .expect_code(5);

    assert_eq!(
        fs::read_to_string(key_file(&config)).unwrap().trim(),
        fake.key()
    );
}

#[test]
fn an_empty_or_multiline_key_is_refused_before_any_request() {
    let fake = FakeApi::start();
    let config = TempDir::new("login-empty");

    let empty = run_with_stdin(aai_home(&fake, &config).arg("login"), Some(b"\n".to_vec()));
    let two = run_with_stdin(
        aai_home(&fake, &config).arg("login"),
        Some(b"abc\ndef\n".to_vec()),
    );

    empty.expect_code(3).stderr_mentions(&["no key"]);
    two.expect_code(3).stderr_mentions(&["alone"]);
    assert_eq!(fake.requests().len(), 0);
    assert!(!key_file(&config).exists());
}

#[test]
fn login_check_says_whether_the_key_in_use_works() {
    let fake = FakeApi::start();
    let config = TempDir::new("login-check");

    let none = run(aai_home(&fake, &config).args(["login", "--check"]));
    let good = run(aai_home(&fake, &config)
        .args(["login", "--check"])
        .env("ASSEMBLYAI_API_KEY", fake.key()));
    let bad = run(aai_home(&fake, &config)
        .args(["login", "--check"])
        .env("ASSEMBLYAI_KEY", "wrong-key-2222"));

    none.expect_code(5).stderr_mentions(&["aai login"]);
    good.expect_ok();
    assert!(
        good.stdout.contains("ASSEMBLYAI_API_KEY"),
        "{}",
        good.stdout
    );
    bad.expect_code(5)
        .stderr_mentions(&["ASSEMBLYAI_KEY", "rejected"]);
    assert!(!bad.stderr.contains("wrong-key-2222"));
}

#[test]
fn logout_removes_the_stored_key_and_is_fine_without_one() {
    let fake = FakeApi::start();
    let config = TempDir::new("logout");
    run_with_stdin(
        aai_home(&fake, &config).arg("login"),
        Some(fake.key().as_bytes().to_vec()),
    )
    .expect_ok();

    let first = run(aai_home(&fake, &config).arg("logout"));
    let second = run(aai_home(&fake, &config).arg("logout"));
    let after = run(aai_home(&fake, &config).arg("list"));

    first.expect_ok().stderr_mentions(&["removed"]);
    second.expect_ok().stderr_mentions(&["no key"]);
    assert!(!key_file(&config).exists());
    after.expect_code(5).stderr_mentions(&["aai login"]);
}

#[test]
fn a_key_file_beats_the_environment_which_beats_the_stored_key() {
    let fake = FakeApi::start();
    fake.add_key("env-key-3333", "main");
    fake.add_key("file-key-4444", "main");
    let config = TempDir::new("precedence");
    run_with_stdin(
        aai_home(&fake, &config).arg("login"),
        Some(fake.key().as_bytes().to_vec()),
    )
    .expect_ok();
    let key_path = config.file("file.key", b"file-key-4444\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&key_path, fs::Permissions::from_mode(0o600)).unwrap();
    }
    let used = || {
        let list = fake.requests_to("GET", "/v2/transcript");
        list.last()
            .unwrap()
            .header("authorization")
            .unwrap()
            .to_owned()
    };

    run(aai_home(&fake, &config)
        .arg("list")
        .arg("--api-key-file")
        .arg(&key_path)
        .env("ASSEMBLYAI_API_KEY", "env-key-3333"))
    .expect_ok();
    assert_eq!(used(), "file-key-4444");
    run(aai_home(&fake, &config)
        .arg("list")
        .env("ASSEMBLYAI_API_KEY", "env-key-3333"))
    .expect_ok();
    assert_eq!(used(), "env-key-3333");
    run(aai_home(&fake, &config).arg("list")).expect_ok();
    assert_eq!(used(), fake.key());
}

#[test]
fn at_a_terminal_the_key_is_typed_at_a_prompt_that_does_not_echo_it() {
    use std::io::{Read, Write};
    use std::process::Stdio;
    use std::sync::{Arc, Mutex};

    let fake = FakeApi::start();
    let config = TempDir::new("login-tty");
    let mut command = aai_home(&fake, &config);
    command.arg("login");
    let Some(mut pty) = cli_common::in_a_terminal(&command) else {
        eprintln!("skipped: no util-linux script(1) to run aai in a terminal");
        return;
    };
    let mut child = pty
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let seen = Arc::new(Mutex::new(String::new()));
    let reader = {
        let seen = Arc::clone(&seen);
        let mut stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0; 1024];
            while let Ok(n @ 1..) = stdout.read(&mut buf) {
                seen.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
    };
    // The prompt appears once echo is off: typing after it is never shown.
    let started = std::time::Instant::now();
    while !seen.lock().unwrap().contains("API key") {
        assert!(
            started.elapsed().as_secs() < 30,
            "no prompt: {:?}",
            seen.lock().unwrap()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!("{}\r", fake.key()).as_bytes())
        .unwrap();
    let code = cli_common::wait_or_kill(&mut child);
    drop(stdin);
    reader.join().unwrap();

    let output = seen.lock().unwrap().clone();
    assert_eq!(code, Some(0), "{output:?}");
    assert!(
        !output.contains(fake.key()),
        "the key was echoed: {output:?}"
    );
    assert_eq!(
        fs::read_to_string(key_file(&config)).unwrap().trim(),
        fake.key()
    );
}
