//! The flags more than one command takes, in groups, each declared once
//! (ripgrep's `flags/defs.rs`). A command's own flags are declared beside it
//! in `commands/`; the request options come from `request_flags/table.rs`.

use super::command::{Group, Members};
use super::flag::{Flag, Takes};

pub static HELP: Flag = Flag::switch("--help", "this help").short("-h");
pub static JSON: Flag = Flag::switch(
    "--json",
    "JSON: the result as the API's object (where a command has --format, the same as \
     --format json), and progress, warnings and errors as JSON lines on stderr",
);
pub static QUIET: Flag =
    Flag::switch("--quiet", "no progress or status on stderr (errors still)").short("-q");
pub static VERBOSE: Flag = Flag {
    takes: Takes::Count,
    ..Flag::switch(
        "--verbose",
        "each request on stderr: method, path, status, time (never the key); \
         -vv adds retry decisions",
    )
    .short("-v")
};
pub static COLOR: Flag = Flag::valued(
    "--color",
    Takes::Value,
    "WHEN",
    "colour on stderr: auto (on a terminal, unless NO_COLOR is set), always or never \
     [default: auto]",
)
.only(&["auto", "always", "never"]);

/// Accepted by every command.
pub static GLOBAL: Group = Group {
    title: "Global options",
    flags: Members::Fixed(&[&HELP, &JSON, &QUIET, &VERBOSE, &COLOR]),
};

pub static API_KEY_FILE: Flag = Flag::valued(
    "--api-key-file",
    Takes::Path,
    "PATH",
    "read the API key from PATH [default: ASSEMBLYAI_API_KEY, else the key aai login stored]",
);
pub static BASE_URL: Flag = Flag::valued(
    "--base-url",
    Takes::Value,
    "URL",
    "the API host [env: ASSEMBLYAI_BASE_URL; default: https://api.assemblyai.com]",
);
pub static REGION: Flag = Flag::valued(
    "--region",
    Takes::Value,
    "REGION",
    "the region's hosts: us or eu",
)
.knows(&["us", "eu"]);
pub static TIMEOUT: Flag = Flag::valued(
    "--timeout",
    Takes::Value,
    "DURATION",
    "give up after this long in all (e.g. 90s, 10m, 1h); a job started goes on, \
     its id printed; a stream's session ends as with Ctrl-C",
);

/// Every command that talks to the API.
pub static CONNECTION: Group = Group {
    title: "Connection options",
    flags: Members::Fixed(&[&API_KEY_FILE, &BASE_URL, &REGION, &TIMEOUT]),
};

pub static FORMAT: Flag = Flag::valued(
    "--format",
    Takes::List,
    "FORMAT",
    "what to print: text, json, srt, vtt, sentences, paragraphs, utterances, summary, \
     action-items or id [default: text]",
)
.only(crate::render::FORMAT_NAMES);
pub static CHARS_PER_CAPTION: Flag = Flag::valued(
    "--chars-per-caption",
    Takes::Value,
    "N",
    "longest subtitle line, with --format srt or vtt",
);
pub static OUTPUT: Flag = Flag::valued(
    "--output",
    Takes::Path,
    "FILE",
    "write the result to FILE (atomically) instead of stdout",
)
.short("-o");

/// How a finished transcript is printed.
pub static PRESENTATION: Group = Group {
    title: "Output options",
    flags: Members::Fixed(&[&FORMAT, &CHARS_PER_CAPTION, &OUTPUT]),
};

pub static POLL_INTERVAL: Flag = Flag::valued(
    "--poll-interval",
    Takes::Value,
    "DURATION",
    "poll at this fixed interval instead of the adaptive schedule",
);

/// How a wait polls.
pub static WAITING: Group = Group {
    title: "Waiting",
    flags: Members::Fixed(&[&POLL_INTERVAL]),
};

pub static ID_FILE: Flag = Flag::valued(
    "--id-file",
    Takes::Path,
    "PATH",
    "write the transcript id to PATH as soon as it exists",
);

/// The request options: every parameter of a transcript request, made
/// from `request_flags/table.rs`.
pub static REQUEST: Group = Group {
    title: "Request options (the API's parameters, in kebab-case)",
    flags: Members::Built(crate::request_flags::declared),
};
