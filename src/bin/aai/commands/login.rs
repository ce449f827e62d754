//! `aai login` (check a key with the API, then store it), `aai login --check`
//! and `aai logout`: a key on a headless server without a keyring, kept in a
//! file only its owner can read. The key itself is never printed.

use std::time::Duration;

use assemblyai::{Client, Error, ListQuery};

use crate::cli::{Args, Command, Connection, Flag, Group, Members, Operands, flags};
use crate::commands::transcribe::{timeout_flag, within};
use crate::failure::{CliResult, Failure, Kind};
use crate::key::{self, Source};
use crate::{prompt, store};

pub static LOGIN: Command = Command {
    name: "login",
    summary: "check an API key and store it for every command (--check, logout)",
    operands: &[],
    completes: Operands::Nothing,
    groups: &[&flags::CONNECTION, &CHECKING],
    about: "Reads the key at a prompt that does not echo it, or from stdin when piped, or from \
--api-key-file. A key the API rejects is not stored (exit 5). The key goes to \
$XDG_CONFIG_HOME/aai/api-key, else ~/.config/aai/api-key (macOS too), mode 600 in a directory \
of mode 700 (a symlink there is written through, keeping its target's mode). Commands use it \
when neither --api-key-file nor ASSEMBLYAI_API_KEY (or ASSEMBLYAI_KEY) is given.",
    examples: "\
  aai login
  printf %s \"$ASSEMBLYAI_API_KEY\" | aai login
  aai login --check && aai transcribe meeting.mp3",
    run: login,
};

static CHECK: Flag = Flag::switch(
    "--check",
    "only check the key in use (from wherever it comes): exit 0 or 5",
);

/// `aai login --check`.
static CHECKING: Group = Group {
    title: "Login options",
    flags: Members::Fixed(&[&CHECK]),
};

pub static LOGOUT: Command = Command {
    name: "logout",
    summary: "remove the stored key",
    operands: &[],
    completes: Operands::Nothing,
    groups: &[],
    about: "Removes the key aai login stored.",
    examples: "\
  aai logout",
    run: logout,
};

pub fn login(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let check = args.flag("--check");
    let timeout = timeout_flag(&mut args)?;
    args.finish()?;
    if check {
        return check_key_in_use(&connection, timeout);
    }
    let key = match &connection.api_key_file {
        Some(path) => key::read_key_file(path)?,
        None => read_key()?,
    };
    let client = within(
        connection.client_with_key(Some(key.clone()), false)?,
        timeout,
    );
    verify(&client).map_err(|failure| match failure.kind {
        Kind::Auth => Failure::new(
            Kind::Auth,
            "the API rejected this key (401); it was not stored",
        )
        .with_hint("copy the key again from https://www.assemblyai.com/app/api-keys"),
        _ => Failure {
            message: format!("{}; the key was not stored", failure.message),
            ..failure
        },
    })?;
    let path = store::path(store::KEY_FILE)?;
    store::write_private(&path, format!("{key}\n").as_bytes()).map_err(|error| {
        Failure::input(format!(
            "cannot store the key in {}: {error}",
            path.display()
        ))
    })?;
    crate::notice::info(&format!(
        "the key works; stored in {} (readable only by you)",
        path.display()
    ));
    if let Some((_, variable)) = key::from_environment() {
        crate::notice::info(&format!(
            "note: {variable} is set, and is used before the stored key"
        ));
    }
    Ok(())
}

pub fn logout(args: Args) -> CliResult {
    args.finish()?;
    let path = store::path(store::KEY_FILE)?;
    let removed = store::remove(&path)
        .map_err(|error| Failure::input(format!("cannot remove {}: {error}", path.display())))?;
    if removed {
        crate::notice::info(&format!("removed the key stored in {}", path.display()));
    } else {
        crate::notice::info(&format!("no key was stored ({})", path.display()));
    }
    if let Some((_, variable)) = key::from_environment() {
        crate::notice::info(&format!(
            "note: {variable} is still set, and aai keeps using it"
        ));
    }
    Ok(())
}

/// `aai login --check`: whether the key every other command would use works.
fn check_key_in_use(connection: &Connection, timeout: Option<Duration>) -> CliResult {
    let Some((key, source)) = key::resolve(connection.api_key_file.as_deref())? else {
        return Err(Error::MissingApiKey.into());
    };
    let client = within(connection.client_with_key(Some(key), false)?, timeout);
    match verify(&client) {
        Ok(()) => {
            println!("{} works", source_name(&source));
            Ok(())
        }
        Err(failure) if failure.kind == Kind::Auth => Err(Failure::new(
            Kind::Auth,
            format!("the API rejected {source} (401)"),
        )
        .with_hint("store a working key with: aai login")),
        Err(failure) => Err(failure),
    }
}

fn source_name(source: &Source) -> String {
    let text = source.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// Asks the API whether the key is good, with the cheapest call that needs
/// one: a list of at most one transcript.
fn verify(client: &Client) -> CliResult {
    let mut query = ListQuery::default();
    query.limit = Some(1);
    client.list_transcripts(&query)?;
    Ok(())
}

/// The key from a prompt (echo off) on a terminal, or piped on stdin.
fn read_key() -> CliResult<String> {
    let key = prompt::read_secret(
        "Paste your API key from https://www.assemblyai.com/app/api-keys (it will not show): ",
    )
    .map_err(|error| Failure::input(format!("cannot read the key: {error}")))?;
    if key.is_empty() {
        return Err(Failure::input("no key given; nothing was stored")
            .with_hint("printf %s \"$KEY\" | aai login, or run aai login at a terminal"));
    }
    if key.contains(char::is_whitespace) {
        return Err(Failure::input(
            "the key has spaces or several lines in it; give the key alone",
        ));
    }
    Ok(key)
}
