//! One module per group of commands, each declaring its commands beside
//! their run functions; `ALL` is the command line's list of them.

mod ask;
mod batch;
mod batch_ask;
mod config;
mod dictate;
#[cfg(feature = "emulator")]
mod emulator;
mod export;
mod jobs;
mod login;
mod models;
mod stream;
mod stream_input;
mod sync;
mod transcribe;
mod understand;
mod upload;

use crate::cli::{self, Command};

/// Every command, in the order `aai --help` lists them.
pub static ALL: &[&Command] = &[
    &transcribe::TRANSCRIBE,
    &upload::UPLOAD,
    &transcribe::SUBMIT,
    &jobs::GET,
    &jobs::WAIT,
    &export::EXPORT,
    &export::SEARCH,
    &jobs::LIST,
    &jobs::DELETE,
    &export::REDACTED_AUDIO,
    &stream::STREAM,
    &stream::STREAM_TOKEN,
    &sync::SYNC,
    &dictate::DICTATE,
    &login::LOGIN,
    &login::LOGOUT,
    &config::CONFIG,
    &batch::BATCH,
    &ask::ASK,
    &understand::UNDERSTAND,
    &models::MODELS,
    #[cfg(feature = "emulator")]
    &emulator::EMULATOR,
    #[cfg(not(feature = "emulator"))]
    &EMULATOR_MISSING,
    &cli::COMPLETIONS,
    &cli::MAN,
    &cli::HELP,
];

/// `aai emulator` in a binary built without it: say how to get it.
#[cfg(not(feature = "emulator"))]
static EMULATOR_MISSING: Command = Command {
    name: "emulator",
    summary: "serve a local AssemblyAI API (not in this build)",
    operands: &[],
    completes: cli::Operands::Nothing,
    groups: &[],
    about: "This aai was built without the emulator feature.",
    examples: "  cargo build --release --features emulator",
    run: |_| {
        Err(
            crate::failure::Failure::usage("this aai was built without the emulator").with_hint(
                "build it with the emulator feature: cargo build --release --features emulator",
            ),
        )
    },
};
