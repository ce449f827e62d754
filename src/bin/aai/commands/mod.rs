//! One module per group of commands; `ALL` maps names to handlers.

mod batch;
mod config;
mod dictate;
#[cfg(feature = "emulator")]
mod emulator;
mod export;
mod jobs;
mod login;
mod stream;
mod stream_input;
mod sync;
mod transcribe;
mod upload;

pub use batch::cli_kind;

use crate::args::Args;
use crate::failure::CliResult;

/// A command's entry point, given the arguments after its name.
pub type Handler = fn(Args) -> CliResult;

/// Every command, in the order `aai --help` lists them.
pub const ALL: &[(&str, Handler)] = &[
    ("transcribe", transcribe::transcribe),
    ("upload", upload::upload),
    ("submit", transcribe::submit),
    ("get", jobs::get),
    ("wait", jobs::wait),
    ("export", export::export),
    ("search", export::search),
    ("list", jobs::list),
    ("delete", jobs::delete),
    ("redacted-audio", export::redacted_audio),
    ("stream", stream::stream),
    ("stream-token", stream::stream_token),
    ("sync", sync::sync),
    ("dictate", dictate::dictate),
    ("login", login::login),
    ("logout", login::logout),
    ("config", config::config),
    ("completions", crate::completions::completions),
    ("batch", batch::batch),
    #[cfg(feature = "emulator")]
    ("emulator", emulator::emulator),
    #[cfg(not(feature = "emulator"))]
    ("emulator", emulator_missing),
];

/// `aai emulator` in a binary built without it: say how to get it.
#[cfg(not(feature = "emulator"))]
fn emulator_missing(_args: crate::args::Args) -> crate::failure::CliResult {
    Err(
        crate::failure::Failure::usage("this aai was built without the emulator").with_hint(
            "build it with the emulator feature: cargo build --release --features emulator \
             (or scripts/build-static, whose static binary has it)",
        ),
    )
}
