//! `aai completions`: scripts that bash loads and completes with (driven here through
//! `COMP_WORDS`), that zsh and fish parse; every option they offer is one the command accepts;
//! and "did you mean" for mistyped commands and options.

mod cli_common;
mod support;

use std::path::Path;
use std::process::{Command, Stdio};

use cli_common::{TempDir, bare_aai, run};

fn script(shell: &str) -> String {
    let out = run(bare_aai().args(["completions", shell]));
    out.expect_ok();
    out.stdout
}

/// What bash's completion function offers for the words typed so far (the last one is the
/// word being completed).
fn bash_complete(script_path: &Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words
        .iter()
        .map(|word| format!("'{}'", word.replace('\'', r"'\''")))
        .collect();
    let program = format!(
        "source '{}'\n\
         complete -p aai >&2\n\
         COMP_WORDS=({})\n\
         COMP_CWORD={}\n\
         _aai\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script_path.display(),
        quoted.join(" "),
        words.len() - 1
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("run bash");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "bash failed: {stderr}");
    assert!(stderr.contains("-F _aai"), "not registered: {stderr}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

fn bash_script(dir: &TempDir) -> std::path::PathBuf {
    dir.file("aai.bash", script("bash").as_bytes())
}

#[test]
fn bash_completes_commands_options_and_their_values() {
    let dir = TempDir::new("bash-completion");
    let path = bash_script(&dir);
    let complete = |words: &[&str]| bash_complete(&path, words);

    assert_eq!(complete(&["aai", "trans"]), ["transcribe"]);
    assert!(complete(&["aai", ""]).contains(&"completions".to_owned()));
    assert_eq!(
        complete(&["aai", "transcribe", "--speaker-l"]),
        ["--speaker-labels"]
    );
    let formats = complete(&["aai", "transcribe", "--format", ""]);
    for format in ["text", "json", "srt", "vtt", "utterances"] {
        assert!(formats.contains(&format.to_owned()), "{formats:?}");
    }
    assert_eq!(
        complete(&["aai", "wait", "--format", "s"]),
        ["srt", "sentences", "summary"]
    );
    assert_eq!(complete(&["aai", "transcribe", "--region", "e"]), ["eu"]);
    assert_eq!(complete(&["aai", "--region", "u"]), ["us"]);
    assert_eq!(
        complete(&[
            "aai",
            "transcribe",
            "--speech-models",
            "assemblyai-stt-3-7,universal-2"
        ]),
        ["assemblyai-stt-3-7,universal-2"]
    );
    assert_eq!(
        complete(&[
            "aai",
            "transcribe",
            "--speech-models",
            "universal-2,assemblyai"
        ]),
        ["universal-2,assemblyai-stt-3-7"]
    );
    assert!(
        complete(&["aai", "submit", "--redact-pii-policies", "person_"])
            .contains(&"person_name".to_owned())
    );
    assert!(complete(&["aai", "transcribe", "--language-code", "d"]).contains(&"de".to_owned()));
    assert_eq!(complete(&["aai", "list", "--status", "c"]), ["completed"]);
    assert_eq!(
        complete(&["aai", "completions", ""]),
        ["bash", "zsh", "fish"]
    );
    assert_eq!(complete(&["aai", "help", "up"]), ["upload"]);
    assert_eq!(complete(&["aai", "config", "un"]), ["unset"]);
    assert!(
        complete(&["aai", "config", "set", "speaker-l"]).contains(&"speaker-labels".to_owned())
    );
    assert_eq!(
        complete(&["aai", "config", "set", "speaker-labels", ""]),
        ["true", "false"]
    );
    assert_eq!(complete(&["aai", "config", "set", "format", "v"]), ["vtt"]);
}

#[test]
fn bash_completes_file_names_where_a_file_goes() {
    let dir = TempDir::new("bash-files");
    let path = bash_script(&dir);
    dir.file("meeting-one.mp3", b"x");
    let prefix = format!("{}/meeting-o", dir.path().display());

    let audio = bash_complete(&path, &["aai", "transcribe", &prefix]);
    let output = bash_complete(&path, &["aai", "transcribe", "-o", &prefix]);
    let none = bash_complete(&path, &["aai", "transcribe", "--timeout", &prefix]);

    let expected = format!("{}/meeting-one.mp3", dir.path().display());
    assert_eq!(audio, std::slice::from_ref(&expected));
    assert_eq!(output, [expected]);
    assert!(none.is_empty(), "a duration is not a file: {none:?}");
}

#[test]
fn every_option_bash_offers_is_one_the_command_accepts() {
    let dir = TempDir::new("bash-drift");
    let path = bash_script(&dir);
    let commands: Vec<String> = bash_complete(&path, &["aai", ""])
        .into_iter()
        .filter(|word| !word.starts_with('-'))
        .collect();
    assert!(commands.len() >= 14, "{commands:?}");
    let mut checked = 0;
    for command in &commands {
        let options = bash_complete(&path, &["aai", command, "-"]);
        assert!(
            options.contains(&"--help".to_owned()),
            "{command}: {options:?}"
        );
        // Run side by side: a few hundred short processes.
        let runs: Vec<_> = options
            .into_iter()
            .filter(|option| !["-h", "--help"].contains(&option.as_str()))
            .map(|option| {
                let child = bare_aai()
                    .arg(command)
                    .arg(&option)
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                (option, child)
            })
            .collect();
        for (option, mut child) in runs {
            // A command that serves until stopped (aai emulator) has accepted
            // its option once it is still running: stop it.
            let started = std::time::Instant::now();
            while child.try_wait().unwrap().is_none()
                && started.elapsed() < std::time::Duration::from_secs(5)
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                !stderr.contains("unknown option") && !stderr.contains("was given twice"),
                "aai {command} offers {option} but refuses it:\n{stderr}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} options checked");
}

#[test]
fn zsh_and_fish_parse_their_scripts() {
    for (shell, flag) in [("zsh", "-n"), ("fish", "--no-execute")] {
        let found = Command::new(shell).arg("--version").output().is_ok();
        if !found {
            eprintln!("skipped: {shell} is not installed");
            continue;
        }
        let dir = TempDir::new(&format!("{shell}-completion"));
        let path = dir.file("aai.completion", script(shell).as_bytes());
        let out = Command::new(shell).arg(flag).arg(&path).output().unwrap();
        assert!(
            out.status.success(),
            "{shell} refuses the script: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_zsh_and_fish_scripts_carry_the_options_and_their_values() {
    let zsh = script("zsh");
    let fish = script("fish");

    assert!(zsh.starts_with("#compdef aai"));
    assert!(
        zsh.contains("'--speaker-labels[label speakers (fills utterances)]'"),
        "{zsh}"
    );
    assert!(
        zsh.contains("(text json srt vtt sentences paragraphs utterances summary action-items id)")
    );
    assert!(zsh.contains("_sequence compadd - assemblyai-stt-3-7 universal-3-5-pro universal-2"));
    assert!(fish.contains("-l speaker-labels"));
    assert!(fish.contains("-l region -x -a 'us eu'"), "{fish}");
    assert!(fish.contains("-l redact-pii-policies -x -a '"));
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = run(bare_aai().args(["completions", "bsh"]));
    out.expect_code(2)
        .stderr_mentions(&["bash, zsh or fish", "did you mean `bash`"]);
}

#[test]
fn a_mistyped_command_or_option_gets_the_closest_one_and_exit_2() {
    let command = run(bare_aai().args(["transcibe", "a.mp3"]));
    let option = run(bare_aai().args(["transcribe", "a.mp3", "--speaker-label"]));
    let with_value = run(bare_aai().args(["wait", "id", "--fromat=srt"]));
    let twice = run(bare_aai().args(["get", "id", "--json", "--json"]));
    let far = run(bare_aai().args(["transcribe", "a.mp3", "--frobnicate"]));
    let switch_value = run(bare_aai().args(["transcribe", "a.mp3", "--speaker-labels=true"]));

    command
        .expect_code(2)
        .stderr_mentions(&["did you mean `transcribe`?"]);
    option
        .expect_code(2)
        .stderr_mentions(&["did you mean `--speaker-labels`?"]);
    with_value
        .expect_code(2)
        .stderr_mentions(&["did you mean `--format`?"]);
    twice
        .expect_code(2)
        .stderr_mentions(&["--json was given twice"]);
    far.expect_code(2)
        .stderr_mentions(&["unknown option --frobnicate"]);
    assert!(!far.stderr.contains("did you mean"), "{}", far.stderr);
    switch_value
        .expect_code(2)
        .stderr_mentions(&["--speaker-labels is a switch and takes no value"]);
}

#[test]
fn the_main_help_lists_the_new_commands_and_every_help_has_examples() {
    let main = run(bare_aai().arg("--help"));
    main.expect_ok();
    for command in [
        "login",
        "logout",
        "config",
        "completions",
        "batch",
        "stream",
        "emulator",
    ] {
        assert!(
            main.stdout.contains(&format!("\n  {command} ")),
            "{}",
            main.stdout
        );
    }
    for task in [
        "--format srt",
        "--speaker-labels",
        "--redact-pii",
        "aai batch recordings/",
    ] {
        assert!(main.stdout.contains(task), "no example with {task}");
    }
    let commands = bash_complete(
        &bash_script(&TempDir::new("help-examples")),
        &["aai", "help", ""],
    );
    for command in commands.iter().filter(|name| *name != "help") {
        let help = run(bare_aai().args([command.as_str(), "--help"]));
        help.expect_ok();
        assert!(
            help.stdout.contains("\nExamples:\n"),
            "aai {command} --help has no examples"
        );
    }
}

#[test]
fn fish_completes_commands_options_and_values() {
    if Command::new("fish").arg("--version").output().is_err() {
        eprintln!("skipped: fish is not installed");
        return;
    }
    let dir = TempDir::new("fish-completion");
    let path = dir.file("aai.fish", script("fish").as_bytes());
    let complete = |line: &str| {
        let program = format!("source '{}'; complete -C '{line}'", path.display());
        let out = Command::new("fish")
            .args(["-c", &program])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines()
            .map(|line| line.split('\t').next().unwrap().to_owned())
            .collect::<Vec<_>>()
    };

    assert_eq!(complete("aai trans"), ["transcribe"]);
    assert_eq!(complete("aai transcribe --speaker-l"), ["--speaker-labels"]);
    assert_eq!(complete("aai wait --region "), ["eu", "us"]);
    assert_eq!(complete("aai completions "), ["bash", "fish", "zsh"]);
    assert!(complete("aai config set speaker-l").contains(&"speaker-labels".to_owned()));
}
