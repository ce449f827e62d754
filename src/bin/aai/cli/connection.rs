//! The connection options every command that talks to the API reads: the
//! key's file, the host (`--base-url`, `--region`, the config, the
//! environment), and the client made from them.

use std::path::PathBuf;

use assemblyai::{Client, Region};

use super::args::Args;
use crate::failure::{CliResult, Failure};
/// The API host of this run's client, for a connection error to name.
static HOST: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// What to check when the API host could not be reached: the host, and
/// for this machine's, whether the emulator runs.
pub fn unreachable_hint() -> Option<String> {
    let host = HOST.get()?;
    let local =
        host.contains("://127.") || host.contains("://localhost") || host.contains("://[::1]");
    Some(match local {
        true => format!(
            "could not reach {host}: is `aai emulator` running? (the host comes from \
             ASSEMBLYAI_BASE_URL, --base-url or the config's base-url)"
        ),
        false => format!(
            "could not reach {host}: check the network, and ASSEMBLYAI_BASE_URL, --base-url \
             and --region"
        ),
    })
}

/// Options every command that talks to the API accepts.
pub struct Connection {
    pub api_key_file: Option<PathBuf>,
    base_url: Option<String>,
    region: Option<Region>,
}

impl Connection {
    pub fn parse(args: &mut Args) -> CliResult<Connection> {
        let mut region = args.value_with("--region", crate::config::parse_region)?;
        let mut base_url = args.value::<String>("--base-url")?;
        if region.is_some() && base_url.is_some() {
            return Err(Failure::usage("give --region or --base-url, not both"));
        }
        // The config's host comes after the flags and ASSEMBLYAI_BASE_URL.
        // Read by every command that talks to the API, so a broken file is
        // reported whatever the command.
        let config = crate::config::load()?;
        let from_env = std::env::var_os("ASSEMBLYAI_BASE_URL").is_some_and(|url| !url.is_empty());
        if region.is_none() && base_url.is_none() && !from_env {
            region = config.region();
            base_url = config.get("base-url").map(str::to_owned);
        }
        let api_key_file = args.path("--api-key-file")?;
        // Read only later, when the client is made: known now, so that no
        // output is allowed over it.
        if let Some(path) = &api_key_file {
            crate::output::reads(path, "the API key file");
        }
        if let Some(dir) = crate::store::dir() {
            crate::output::reads(
                &dir.join(crate::store::KEY_FILE),
                "the key stored by aai login",
            );
        }
        Ok(Connection {
            api_key_file,
            base_url,
            region,
        })
    }

    /// The client: key from `--api-key-file`, the environment or `aai login`
    /// (see `key::resolve`), host from `--base-url`, `--region` or
    /// `ASSEMBLYAI_BASE_URL`.
    pub fn client(&self, keep_raw_json: bool) -> CliResult<Client> {
        let key = crate::key::resolve(self.api_key_file.as_deref())?;
        self.client_with_key(key.map(|(key, _)| key), keep_raw_json)
    }

    /// The client with `key` (none: the missing-key error) and the host
    /// options; for `aai login`, which checks a key before it is stored.
    pub fn client_with_key(&self, key: Option<String>, keep_raw_json: bool) -> CliResult<Client> {
        let mut builder = Client::builder_from_env().api_key(key.unwrap_or_default());
        if let Some(url) = &self.base_url {
            builder = builder.base_url(url.as_str());
        }
        if let Some(region) = self.region {
            builder = builder.region(region);
        }
        let user_agent = concat!("aai/", env!("CARGO_PKG_VERSION"));
        let client = builder
            .user_agent(user_agent)
            .keep_raw_json(keep_raw_json)
            .build()?;
        crate::visible::hide_key_of(&client);
        let _ = HOST.set(client.base_url().to_owned());
        // Observers set later (progress, status) pass events on to -v too.
        if crate::notice::verbosity() > 0 {
            return Ok(client.with_observer(crate::notice::verbose));
        }
        Ok(client)
    }
}
