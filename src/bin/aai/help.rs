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
  stream FILE|-           transcribe live audio (WAV, raw PCM, a microphone): one line per turn
  stream-token            print a temporary token for one streaming session
  login                   check an API key and store it for every command (--check, logout)
  logout                  remove the stored key
  config ACTION           defaults for any option: set, get, unset, list
  completions SHELL       print a bash, zsh or fish completion script
  batch SOURCE...         transcribe many files, folders or URLs into --out-dir, resumably
  emulator                serve a local AssemblyAI API to try aai or test against, no account
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
  # every recording in a folder: concurrent, within the rate limit, resumable
  aai batch recordings/ --out-dir transcripts
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
  aai batch talks/ --out-dir subtitles --format vtt   # a folder of videos
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

const STREAM: &str = "\
aai stream: real-time transcription (Universal Streaming v3), one final turn per line

Usage: aai stream [OPTIONS] FILE|-

  FILE    a WAV file: PCM 16-bit at any sample rate, mono or stereo (downmixed to mono),
          or mono µ-law; sent at real-time pace, as a live source would be
  -       stdin: a WAV stream, or raw samples when --sample-rate is given

Anything else (mp3, video, ...) converts on the fly through ffmpeg:
  ffmpeg -i talk.mp3 -f s16le -ar 16000 -ac 1 - | aai stream - --sample-rate 16000

stdout gets each final turn's transcript as one line; partial turns show live on stderr
when it is a terminal. Ctrl-C ends the session cleanly: the last turns are still printed
(Ctrl-C twice quits at once). The session id and the billed session time go to stderr.

Options:
  --sample-rate N          raw input's rate in Hz (a WAV says its own)
  --encoding ENC           raw input's encoding: pcm_s16le (default) or pcm_mulaw
  --json                   one JSON object per final turn (the server's Turn message);
                           status on stderr as JSON lines
  -q, --quiet              no status on stderr (errors still)
  --streaming-url URL      the WebSocket endpoint [env: ASSEMBLYAI_STREAMING_URL;
                           default: wss://streaming.assemblyai.com/v3/ws]; ws:// only to this machine
  --region us|eu           the US or EU streaming host
  --api-key-file PATH      read the API key from PATH instead of ASSEMBLYAI_API_KEY

Connection parameters (see the streaming API reference):
  --speech-model NAME                  universal-streaming-english (default),
                                       universal-streaming-multilingual, whisper-rt, u3-rt-pro
  --format-turns                       punctuate and case final turns
  --end-of-turn-confidence-threshold X 0.0 to 1.0
  --min-turn-silence MS                silence that ends a turn when confident
  --max-turn-silence MS                silence that ends a turn regardless
  --vad-threshold X                    0.0 to 1.0; raise it for noisy audio
  --inactivity-timeout SECONDS         5 to 3600; KeepAlive is sent during gaps
  --keyterms-prompt TERM               a word or phrase to favour (repeat it, up to 100)
  --prompt TEXT                        instructions (u3-rt-pro)
  --language-detection                 add language_code to turns
  --language en|multi                  deprecated: use --speech-model
  --speaker-labels, --max-speakers N   label turns by speaker (1 to 10 speakers)
  --filter-profanity
  --webhook-url URL, --webhook-auth-header-name NAME, --webhook-auth-header-value-file PATH
  --config KEY=VALUE                   any other parameter (a JSON value, or a string)

Examples:
  aai stream meeting.wav > meeting.txt
  ffmpeg -i talk.mp4 -f s16le -ar 16000 -ac 1 - | aai stream - --sample-rate 16000 --format-turns
  arecord -q -f S16_LE -r 16000 -c 1 -t raw | aai stream - --sample-rate 16000
  ffmpeg -f pulse -i default -f s16le -ar 16000 -ac 1 - | aai stream - --sample-rate 16000 --json
";

const STREAM_TOKEN: &str = "\
aai stream-token: print a temporary token for one streaming session

Usage: aai stream-token --expires-in SECONDS [--max-session SECONDS]

The token starts one session within --expires-in (1 to 600 s) and caps it at --max-session
(60 to 10800 s; 3 hours by default). Hand it to a browser or device instead of the key; its
usage is billed to the key that minted it.

Options:
  --expires-in SECONDS     how long it can start a session (e.g. 60, 10m)
  --max-session SECONDS    the longest session it opens
  --json                   print {\"token\": ..., \"expires_in_seconds\": ...}
  --streaming-url URL, --region us|eu, --api-key-file PATH: as for aai stream

Examples:
  aai stream-token --expires-in 60
  aai stream-token --expires-in 5m --max-session 1h --json
";

const BATCH: &str = "\
aai batch: transcribe many recordings into a directory, concurrently, resumably

Usage: aai batch [OPTIONS] --out-dir DIR SOURCE...
       aai batch --status DIR

  SOURCE  a file; a directory, searched (recursively) for mp3 mp4 m4a wav flac ogg opus
          webm mov mkv aac wma amr files; or an http(s) URL the API fetches

Each source gets one output per format: DIR/<its path inside the directory given, or below
the folder all files named on their own share> with the extension replaced (text .txt,
json .json, srt .srt, vtt .vtt, sentences .sentences.txt, paragraphs .paragraphs.txt,
utterances .utterances.txt), written atomically. Two sources that would still share an
output are refused before anything is sent. Every request flag of aai transcribe applies
to every job.

Each source is claimed in DIR/.aai-batch/ before anything is paid for, and its claim
records each step: any runs sharing DIR (other shards, the same shard twice, another shard
count, a rerun) pay once per source. A source another live run holds is waited for; one
whose run stopped renewing its lease is taken over, and a create it left open is resolved
from the account's list before anything is sent again. Run the same command again after a
crash, kill or reboot: finished sources are skipped without a request, started transcripts
are waited on by id, failed ones are kept unless --retry-failed, and a file changed since
its transcript is done again. A summary line ends every run, also with -q.

Options:
  --out-dir DIR            where the outputs and the claims go (required)
  --from-file LIST         also read sources from LIST, one a line (- for stdin; blank
                           lines and # comments skipped), or NUL-separated (find -print0)
  --format F[,F...]        text, json, srt, vtt, sentences, paragraphs, utterances [default: text]
  --chars-per-caption N    longest subtitle line, with srt or vtt
  --jobs N                 transcripts in flight at most [default: 1000; the API runs your
                           account's concurrency (200 on paid plans) and queues the rest as
                           throttled, which is no error]
  --uploads N              uploads at once [default: 8]
  --max-rps R              R requests in any second for the whole run [default: the
                           documented 20,000 per 5 minutes, learnt from the server's 429s]
  --shard K/N              take the K-th of N shares of the sources (by a hash of each, so
                           adding sources moves none); auto or auto/N reads a Slurm job array
                           (SLURM_ARRAY_TASK_ID, _MIN, _MAX, _STEP, _COUNT), a Kubernetes
                           Indexed Job (JOB_COMPLETION_INDEX) or AWS Batch
                           (AWS_BATCH_JOB_ARRAY_INDEX, _SIZE); N or AAI_SHARDS gives the count,
                           indexes from 0; the last --shard given wins
  --lease DURATION         how long a run sharing DIR may go without renewing its lease before
                           its sources are taken over [default: 30s]
  --retry-failed           try again the sources that failed in an earlier run
  --report FILE            write the final report as JSON lines (one object per source)
  --status DIR             print the report of DIR's claims (all runs and shards); no requests
  --json                   progress and report on stderr as JSON lines
  -q, --quiet              no progress; the report lists failures only
  --api-key-file PATH, --base-url URL, --region us|eu: see aai --help

Exit 0 when every source succeeded, otherwise the code of the worst failure class
(auth, usage, network, timeout, API, local file, transcript failed).

";

const BATCH_EXAMPLES: &str = "
Examples:
  aai batch recordings/ --out-dir transcripts --format text,srt --speaker-labels
  find /calls -name '*.wav' -print0 | aai batch --from-file - --out-dir /calls-text -q
  aai batch --from-file list.txt --out-dir /shared/out --shard auto/8   # in a job array
  aai batch --status /shared/out
";

const EMULATOR: &str = "\
aai emulator: serve a local AssemblyAI API until stopped (Ctrl-C or SIGTERM)

Usage: aai emulator [OPTIONS]

Prints its base URL as the first line on stdout and each request on stderr. It serves
every v2 endpoint with the API's behaviour and error bodies, and never uses the network:
an audio_url is not fetched. An upload with no known audio or video signature fails as
undecodable audio; a WAV's duration sets the transcript's; a URL on a .invalid host fails
with the API's download error.

Options:
  --port N                 port to listen on; 0 picks a free one [default: 8731]
  --host ADDR              address to bind [default: 127.0.0.1, this machine only]
  --key KEY                accept only this API key (others get the API's 401) [default: any]
  --complete-after DURATION  how long each job takes [default: 1s]
  --transcript FILE        what every job says: a transcript JSON, or plain text
  --fail MESSAGE           every job ends in status error with this message
  --concurrency N          at most N jobs processed at once; the rest stay queued, throttled
  --rate-limit N/DURATION  at most N requests per window (e.g. 100/60s); then 429 + Retry-After
  --fault SPEC             inject a fault, repeatable: route=METHOD:PATH, then status=CODE
                           [retry-after=SECS], drop or slow=DURATION, and times=N [default: 1]
  --log FILE               append each request to FILE as a JSON line
  -q, --quiet              no request lines on stderr

Examples:
  aai emulator
  ASSEMBLYAI_BASE_URL=http://127.0.0.1:8731 ASSEMBLYAI_API_KEY=test aai transcribe samples/hello.wav
  aai emulator --port 0 --key my-test-key --complete-after 5s --transcript words.txt
  aai emulator --fault route=POST:/v2/transcript,status=429,retry-after=2,times=3
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
        "stream" => STREAM,
        "stream-token" => STREAM_TOKEN,
        "login" => LOGIN,
        "logout" => LOGOUT,
        "config" => CONFIG,
        "completions" => COMPLETIONS,
        "batch" => with_request_flags(&BATCH_TEXT, BATCH, BATCH_EXAMPLES),
        "emulator" => EMULATOR,
        "help" => MAIN,
        _ => return None,
    })
}

static TRANSCRIBE_TEXT: OnceLock<String> = OnceLock::new();
static SUBMIT_TEXT: OnceLock<String> = OnceLock::new();
static BATCH_TEXT: OnceLock<String> = OnceLock::new();

/// A help text with the generated list of request flags in the middle.
fn with_request_flags(cell: &'static OnceLock<String>, head: &str, examples: &str) -> &'static str {
    cell.get_or_init(|| format!("{head}{}{examples}", crate::request_flags::help()))
}
