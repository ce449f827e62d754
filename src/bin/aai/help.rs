//! Help texts, one per command, each with examples.

use std::sync::OnceLock;

pub const MAIN: &str = "\
aai: transcribe speech recordings with AssemblyAI

Usage: aai COMMAND [OPTIONS] [ARGS]

Commands:
  transcribe FILE|URL|-   upload (when local), start, wait, print the transcript
  upload FILE|-           upload a file and print the URL to transcribe
  submit URL              start a transcript and print its id
  get ID                  print a transcript's status (or --json, the object)
  wait ID                 wait for a transcript and print it like transcribe
  export ID               print a finished transcript in any --format (srt, vtt, ...)
  search ID WORD...       where words or phrases occur in a transcript
  list                    list transcripts, newest first (--all for every page)
  delete ID               delete a transcript's data
  redacted-audio ID       wait for the PII-redacted audio; download it with -o FILE
  login                   check an API key and store it for every command (--check, logout)
  logout                  remove the stored key
  config ACTION           defaults for any option: set, get, unset, list
  completions SHELL       print a bash, zsh or fish completion script
  help COMMAND            explain a command and its options

Options for every command:
  -h, --help              this help, or a command's (aai COMMAND --help)
  --                      ends the options: aai transcribe -- -x.mp3
  -V, --version           print the version
  --api-key-file PATH     read the API key from PATH instead of ASSEMBLYAI_API_KEY
  --base-url URL          the API host [env: ASSEMBLYAI_BASE_URL; default: https://api.assemblyai.com]
  --region us|eu          shortcut for the US or EU host

The API key comes from --api-key-file, else ASSEMBLYAI_API_KEY (or ASSEMBLYAI_KEY),
else the key aai login stored. There is no flag taking the key itself: command lines
are visible to other users.

stdout carries only results; progress and errors go to stderr.
Exit codes: 0 ok, 1 internal, 2 usage, 3 local file, 4 API rejected the request,
5 authentication, 6 transcript failed, 7 timed out, 8 network or server, 130 interrupted.

Examples:
  # once: check the key and store it (or set ASSEMBLYAI_API_KEY)
  printf %s \"$KEY\" | aai login
  aai transcribe meeting.mp3 > meeting.txt
  # subtitles for a video
  aai transcribe video.mp4 --format srt -o video.srt
  # who said what in a meeting
  aai transcribe meeting.m4a --speaker-labels --format utterances
  # a transcript with names and phone numbers redacted
  aai transcribe call.wav --redact-pii --redact-pii-policies person_name,phone_number
  # every recording in a folder
  for f in recordings/*.mp3; do aai transcribe \"$f\" -o \"${f%.mp3}.txt\"; done
  # the whole transcript object, for jq
  aai transcribe interview.wav --timeout 10m --json | jq .words
  # speakers labelled on every run, unless --no-speaker-labels
  aai config set speaker-labels true
";

const TRANSCRIBE: &str = "\
aai transcribe: upload (when local), start, wait, and print the transcript

Usage: aai transcribe [OPTIONS] FILE|URL|-

  FILE    a local audio or video file (up to 2.2 GB), streamed to the API
  URL     an http(s) URL the API downloads itself (up to 5 GB)
  -       read the audio from stdin

Options:
  --format FORMAT          text, json, srt, vtt, sentences, paragraphs, utterances or id [default: text]
  --json                   same as --format json: the whole transcript object
  --chars-per-caption N    longest subtitle line, with --format srt or vtt
  -o, --output FILE        write the result to FILE (atomically) instead of stdout
  --no-wait                only start the job and print its id (not with --timeout)
  --timeout DURATION       give up after this long in all (e.g. 90s, 10m, 1h); the job goes
                           on, its id is printed, and aai wait ID picks it up
  --poll-interval DURATION poll at this fixed interval instead of the adaptive schedule
  --id-file PATH           write the transcript id to PATH as soon as it exists
  -q, --quiet              no progress or status on stderr (errors and the id still)
  --api-key-file PATH, --base-url URL, --region us|eu: see aai --help

";

const TRANSCRIBE_EXAMPLES: &str = "
Defaults for any of these options: aai config set OPTION VALUE (see aai config --help).

Examples:
  aai transcribe meeting.mp3
  aai transcribe call.wav --speaker-labels --speakers-expected 2 --format utterances
  aai transcribe talk.mp4 --format srt --chars-per-caption 32 -o talk.srt
  aai transcribe call.wav --redact-pii --redact-pii-policies person_name,phone_number
  for f in talks/*.mp4; do aai transcribe \"$f\" --format vtt -o \"${f%.mp4}.vtt\"; done
  ffmpeg -i video.mkv -f mp3 - | aai transcribe - --language-code de
  aai transcribe https://example.com/a.mp3 --no-wait --id-file job.id
";

const UPLOAD: &str = "\
aai upload: upload a local file and print the URL to transcribe it from

Usage: aai upload [OPTIONS] FILE|-

The file is streamed in constant memory (up to 2.2 GB). The URL it prints is only
usable by the API, with a key of the same project: pass it to aai submit.

Options:
  --json        print {\"upload_url\": ...}
  -q, --quiet   no progress on stderr
  --timeout DURATION   give up after this long in all (e.g. 30m)
  --api-key-file PATH, --base-url URL, --region us|eu: see aai --help

Examples:
  aai upload interview.wav
  url=$(aai upload interview.wav) && aai submit \"$url\" --speaker-labels
";

const SUBMIT: &str = "\
aai submit: start transcribing a URL and print the transcript id

Usage: aai submit [OPTIONS] URL

Options:
  --json              print the created transcript object instead of its id
  --id-file PATH      also write the id to PATH
  -q, --quiet         no status on stderr
  --timeout DURATION  give up after this long in all (e.g. 30s); a job may exist
  --api-key-file PATH, --base-url URL, --region us|eu: see aai --help

";

const SUBMIT_EXAMPLES: &str = "
Examples:
  aai submit https://example.com/podcast.mp3 --speaker-labels
  id=$(aai submit \"$(aai upload call.wav)\") && aai wait \"$id\"
";

const GET: &str = "\
aai get: print a transcript's status, or the whole object

Usage: aai get [OPTIONS] ID

Prints queued, processing, completed, or error: MESSAGE.

Options:
  --json              print the transcript object as the API returned it
  -o, --output FILE   write to FILE (atomically) instead of stdout
  --timeout DURATION  give up after this long in all (e.g. 30s)
  --api-key-file PATH, --base-url URL, --region us|eu: see aai --help

Examples:
  aai get 5551722-f677-48a6-9287-39c0aafd9ac1
  aai get 5551722-f677-48a6-9287-39c0aafd9ac1 --json | jq .status
";

const WAIT: &str = "\
aai wait: wait for a transcript to finish and print it

Usage: aai wait [OPTIONS] ID

Picks up a job started by aai submit, aai transcribe --no-wait, or a run that
timed out or was interrupted.

Options:
  --format FORMAT          text, json, srt, vtt, sentences, paragraphs, utterances or id [default: text]
  --json                   same as --format json
  --chars-per-caption N    longest subtitle line, with --format srt or vtt
  -o, --output FILE        write the result to FILE (atomically)
  --timeout DURATION       give up after this long (e.g. 90s, 10m)
  --poll-interval DURATION poll at a fixed interval instead of the adaptive schedule
  -q, --quiet              no status on stderr
  --api-key-file PATH, --base-url URL, --region us|eu: see aai --help

Examples:
  aai wait 5551722-f677-48a6-9287-39c0aafd9ac1
  aai wait 5551722-f677-48a6-9287-39c0aafd9ac1 --format vtt -o talk.vtt
";

const EXPORT: &str = "\
aai export: print a finished transcript in any format, without waiting

Usage: aai export [OPTIONS] ID

Options:
  --format FORMAT          text, json, srt, vtt, sentences, paragraphs, utterances or id [default: text]
  --json                   same as --format json: the transcript object as the API returned it
  --chars-per-caption N    longest subtitle line, with --format srt or vtt
  -o, --output FILE        write the result to FILE (atomically) instead of stdout
  --timeout DURATION       give up after this long in all (e.g. 30s)
  --api-key-file PATH, --base-url URL, --region us|eu: see aai --help

text prints the transcript and a section for each audio-intelligence result it has
(highlights, entities, sentiment, content safety, topics, translations);
utterances prints [HH:MM:SS] SPEAKER: text lines (speaker names when identified),
for a transcript made with --speaker-labels or --multichannel.

Examples:
  aai export 5551722-f677-48a6-9287-39c0aafd9ac1 --format srt -o talk.srt
  aai export 5551722-f677-48a6-9287-39c0aafd9ac1 --format utterances
";

const SEARCH: &str = "\
aai search: find words or phrases in a finished transcript

Usage: aai search [OPTIONS] ID WORD...

Each WORD is a word, a number, or a quoted phrase of up to 5 words. Prints one line
per match: text, count, and the times it is said (tab-separated).

Options:
  --json        print the API's answer as JSON
  --timeout DURATION   give up after this long in all (e.g. 30s)
  --api-key-file PATH, --base-url URL, --region us|eu: see aai --help

Examples:
  aai search 5551722-f677-48a6-9287-39c0aafd9ac1 smoke \"air quality\"
";

const LIST: &str = "\
aai list: list transcripts, newest first

Usage: aai list [OPTIONS]

Prints one line per transcript: id, status, created, audio URL (tab-separated).
The API lists the last 90 days.

Options:
  --limit N             transcripts per page, 1 to 200 [default: 10]
  --status STATUS       only queued, processing, completed or error
  --created-on DATE     only those created on DATE (YYYY-MM-DD)
  --before-id ID        only those older than ID
  --after-id ID         only those newer than ID
  --all                 walk every page, not only the first
  --json                print the page as JSON (with --all, one transcript per line)
  --timeout DURATION    give up after this long in all (e.g. 30s)
  --api-key-file PATH, --base-url URL, --region us|eu: see aai --help

Examples:
  aai list --status error
  aai list --all --created-on 2026-11-24 | cut -f1
";

const DELETE: &str = "\
aai delete: delete a transcript's data, and the uploaded audio it used

Usage: aai delete [OPTIONS] ID

Prints the id. The API keeps a scrubbed record for billing.

Options:
  --json        print the deleted transcript object
  --timeout DURATION   give up after this long in all (e.g. 30s)
  --api-key-file PATH, --base-url URL, --region us|eu: see aai --help

Examples:
  aai delete 5551722-f677-48a6-9287-39c0aafd9ac1
";

const REDACTED_AUDIO: &str = "\
aai redacted-audio: get the audio with PII bleeped out

Usage: aai redacted-audio [OPTIONS] ID

For a transcript created with --redact-pii --redact-pii-audio. Waits until the
redacted file is ready, then downloads it with -o, or prints its URL (valid 24 hours).

Options:
  -o, --output FILE        download the audio to FILE (atomically); - for stdout
  --timeout DURATION       give up after this long in all, download included (e.g. 2m)
  --poll-interval DURATION ask at a fixed interval instead of the adaptive schedule
  --json                   print the API's answer as JSON
  -q, --quiet              no status on stderr
  --api-key-file PATH, --base-url URL, --region us|eu: see aai --help

Examples:
  aai redacted-audio 5551722-f677-48a6-9287-39c0aafd9ac1 -o redacted.mp3
  aai redacted-audio 5551722-f677-48a6-9287-39c0aafd9ac1 -o - | ffplay -
";

const LOGIN: &str = "\
aai login: check an API key with the API and store it for every command

Usage: aai login [OPTIONS]

Reads the key at a prompt that does not echo it, or from stdin when piped. A key the
API rejects is not stored (exit 5). The key goes to $XDG_CONFIG_HOME/aai/api-key, else
~/.config/aai/api-key (macOS too), mode 600 in a directory of mode 700. Commands use
it when neither --api-key-file nor ASSEMBLYAI_API_KEY (or ASSEMBLYAI_KEY) is given.

Options:
  --check                  only check the key in use (from wherever it comes): exit 0 or 5
  --api-key-file PATH      store the key from PATH instead of reading it
  --timeout DURATION       give up after this long in all (e.g. 30s)
  --base-url URL, --region us|eu: see aai --help

Examples:
  aai login
  printf %s \"$ASSEMBLYAI_API_KEY\" | aai login
  aai login --check && aai transcribe meeting.mp3
";

const LOGOUT: &str = "\
aai logout: remove the key aai login stored

Usage: aai logout

Examples:
  aai logout
";

const CONFIG: &str = "\
aai config: defaults for the options of aai transcribe, and for region, base-url, format

Usage: aai config set KEY VALUE
       aai config get KEY
       aai config unset KEY
       aai config list
       aai config path

KEY is any request option of aai transcribe without the dashes (speaker-labels,
speech-models, language-code, redact-pii-policies, ...), or region, base-url, format.
VALUE is what the flag takes, checked the same way; a switch takes true or false.
A flag on the command line wins over the config; ASSEMBLYAI_BASE_URL wins over its
region and base-url. The file is $XDG_CONFIG_HOME/aai/config, else ~/.config/aai/config,
one key = value per line; it never holds the API key (aai login does).

Examples:
  aai config set speaker-labels true
  aai config set speech-models universal-3-pro,universal-2
  aai config set redact-pii-policies person_name,phone_number
  aai config set region eu
  aai config set format srt
  aai config list
  aai config unset format
";

const COMPLETIONS: &str = "\
aai completions: print a completion script for bash, zsh or fish

Usage: aai completions bash|zsh|fish

Completes commands, every option of each, and the values of options that take a known
set (--format, --region, --speech-models, --redact-pii-policies, --language-code, ...).

Examples:
  aai completions bash > ~/.local/share/bash-completion/completions/aai
  aai completions zsh > \"${fpath[1]}/_aai\"
  aai completions fish > ~/.config/fish/completions/aai.fish
";

/// The help of a command, `None` for an unknown name.
pub fn for_command(name: &str) -> Option<&'static str> {
    Some(match name {
        "transcribe" => with_request_flags(&TRANSCRIBE_TEXT, TRANSCRIBE, TRANSCRIBE_EXAMPLES),
        "submit" => with_request_flags(&SUBMIT_TEXT, SUBMIT, SUBMIT_EXAMPLES),
        "upload" => UPLOAD,
        "get" => GET,
        "wait" => WAIT,
        "export" => EXPORT,
        "search" => SEARCH,
        "list" => LIST,
        "delete" => DELETE,
        "redacted-audio" => REDACTED_AUDIO,
        "login" => LOGIN,
        "logout" => LOGOUT,
        "config" => CONFIG,
        "completions" => COMPLETIONS,
        "help" => MAIN,
        _ => return None,
    })
}

static TRANSCRIBE_TEXT: OnceLock<String> = OnceLock::new();
static SUBMIT_TEXT: OnceLock<String> = OnceLock::new();

/// A help text with the generated list of request flags in the middle.
fn with_request_flags(cell: &'static OnceLock<String>, head: &str, examples: &str) -> &'static str {
    cell.get_or_init(|| format!("{head}{}{examples}", crate::request_flags::help()))
}
