//! Which host serves which AssemblyAI API: one rule for every surface.
//!
//! AssemblyAI runs each API on a host of its own (`api.`, `streaming.`,
//! `llm-gateway.`, `sync.`, `dictation.`), per region. A client is configured
//! with one base URL; every other service's host is derived from it here, so
//! that one setting (`ClientBuilder::region`, `ClientBuilder::base_url`,
//! `ASSEMBLYAI_BASE_URL`) reaches all of them:
//!
//! - a base URL that is one of AssemblyAI's REST hosts selects that region's
//!   host of every service;
//! - any other base URL (the emulator, a proxy, a test server) serves every
//!   service itself, as `aai emulator` does on one port. Streaming then
//!   connects with `ws://` for `http://` and `wss://` for `https://`. Sync
//!   and Dictation serve the same paths (`/v1/transcribe/live`, `/v1/warm`),
//!   so on one origin each gets a path prefix of its own: `{base}/sync` and
//!   `{base}/dictation`. The official SDKs take each service's base URL as
//!   a setting of its own (Node `syncBaseUrl`/`dictationBaseUrl`, Python
//!   `settings.sync_base_url`/`dictation_base_url`) and append the paths to
//!   it, so they reach the same emulator unchanged with those URLs.

use crate::{Client, Region};

/// An AssemblyAI API with a host of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Service {
    /// The v2 REST API: uploads, transcripts, exports (`api.assemblyai.com`).
    Transcripts,
    /// Real-time v3 WebSocket sessions and their tokens (`streaming.assemblyai.com`).
    Streaming,
    /// The LLM Gateway and post-hoc Speech Understanding (`llm-gateway.assemblyai.com`).
    LlmGateway,
    /// The Sync STT API for short clips (`sync.assemblyai.com`).
    Sync,
    /// The Dictation API (`dictation.assemblyai.com`).
    Dictation,
}

impl Service {
    /// The host name's first label, shared by every region's host.
    fn label(self) -> &'static str {
        match self {
            Service::Transcripts => "api",
            Service::Streaming => "streaming",
            Service::LlmGateway => "llm-gateway",
            Service::Sync => "sync",
            Service::Dictation => "dictation",
        }
    }

    /// The path prefix of the service on an origin that serves every API
    /// (see the module docs): only the two that share their paths need one.
    fn shared_origin_prefix(self) -> &'static str {
        match self {
            Service::Sync => "/sync",
            Service::Dictation => "/dictation",
            _ => "",
        }
    }

    /// The URL scheme the service speaks over TLS.
    fn secure_scheme(self) -> &'static str {
        match self {
            Service::Streaming => "wss",
            _ => "https",
        }
    }

    /// The base URL (scheme and host, no path) of the service in `region`.
    ///
    /// ```
    /// use assemblyai::{Region, Service};
    ///
    /// assert_eq!(Service::LlmGateway.url_in(Region::Eu), "https://llm-gateway.eu.assemblyai.com");
    /// assert_eq!(Service::Streaming.url_in(Region::Us), "wss://streaming.assemblyai.com");
    /// ```
    pub fn url_in(self, region: Region) -> String {
        // The US hosts carry no region label: `api.assemblyai.com` is the US
        // REST host, and the other services' unlabelled hosts are AssemblyAI's
        // default (edge-routed) endpoints, which is what a default client means.
        let region_label = match region {
            Region::Us => "",
            Region::Eu => ".eu",
        };
        format!(
            "{}://{}{region_label}.assemblyai.com",
            self.secure_scheme(),
            self.label()
        )
    }

    /// The base URL of this service for a client whose REST base URL is
    /// `base_url`: the same region's host when `base_url` is one of
    /// AssemblyAI's REST hosts, else `base_url` itself (an emulator or proxy
    /// serving every API on one origin), with `ws`/`wss` for streaming and
    /// a path prefix for Sync and Dictation, whose paths are the same.
    ///
    /// ```
    /// use assemblyai::Service;
    ///
    /// assert_eq!(
    ///     Service::Sync.url_for("https://api.eu.assemblyai.com"),
    ///     "https://sync.eu.assemblyai.com"
    /// );
    /// assert_eq!(Service::Dictation.url_for("http://127.0.0.1:8080"), "http://127.0.0.1:8080/dictation");
    /// assert_eq!(Service::LlmGateway.url_for("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
    /// assert_eq!(Service::Streaming.url_for("http://127.0.0.1:8080/"), "ws://127.0.0.1:8080");
    /// ```
    pub fn url_for(self, base_url: &str) -> String {
        let base_url = base_url.trim_end_matches('/');
        if let Some(region) = [Region::Us, Region::Eu]
            .into_iter()
            .find(|region| region.base_url() == base_url)
        {
            return self.url_in(region);
        }
        if self != Service::Streaming {
            return format!("{base_url}{}", self.shared_origin_prefix());
        }
        if let Some(rest) = base_url.strip_prefix("http://") {
            format!("ws://{rest}")
        } else if let Some(rest) = base_url.strip_prefix("https://") {
            format!("wss://{rest}")
        } else {
            base_url.to_owned()
        }
    }
}

impl Client {
    /// The base URL this client uses for `service` (see [`Service::url_for`]).
    ///
    /// ```
    /// use assemblyai::{Client, Region, Service};
    ///
    /// let client = Client::builder("key").region(Region::Eu).build()?;
    /// assert_eq!(client.service_url(Service::LlmGateway), "https://llm-gateway.eu.assemblyai.com");
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    pub fn service_url(&self, service: Service) -> String {
        service.url_for(self.base_url())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_of_every_region_has_its_documented_host() {
        let expected = [
            (
                Service::Transcripts,
                Region::Us,
                "https://api.assemblyai.com",
            ),
            (
                Service::Transcripts,
                Region::Eu,
                "https://api.eu.assemblyai.com",
            ),
            (
                Service::Streaming,
                Region::Us,
                "wss://streaming.assemblyai.com",
            ),
            (
                Service::Streaming,
                Region::Eu,
                "wss://streaming.eu.assemblyai.com",
            ),
            (
                Service::LlmGateway,
                Region::Us,
                "https://llm-gateway.assemblyai.com",
            ),
            (
                Service::LlmGateway,
                Region::Eu,
                "https://llm-gateway.eu.assemblyai.com",
            ),
            (Service::Sync, Region::Us, "https://sync.assemblyai.com"),
            (Service::Sync, Region::Eu, "https://sync.eu.assemblyai.com"),
            (
                Service::Dictation,
                Region::Us,
                "https://dictation.assemblyai.com",
            ),
            (
                Service::Dictation,
                Region::Eu,
                "https://dictation.eu.assemblyai.com",
            ),
        ];
        for (service, region, url) in expected {
            assert_eq!(service.url_in(region), url, "{service:?} in {region:?}");
            assert_eq!(service.url_for(region.base_url()), url);
        }
        assert_eq!(
            Service::Transcripts.url_in(Region::Us),
            Region::Us.base_url()
        );
        assert_eq!(
            Service::Transcripts.url_in(Region::Eu),
            Region::Eu.base_url()
        );
    }

    #[test]
    fn any_other_base_url_serves_every_service_itself() {
        for base in ["http://127.0.0.1:9000", "https://proxy.example.com/aai"] {
            for service in [Service::Transcripts, Service::LlmGateway] {
                assert_eq!(service.url_for(base), base);
            }
            // Sync and Dictation serve the same paths: one origin tells
            // them apart by a prefix.
            assert_eq!(Service::Sync.url_for(base), format!("{base}/sync"));
            assert_eq!(
                Service::Dictation.url_for(&format!("{base}/")),
                format!("{base}/dictation")
            );
        }
        assert_eq!(
            Service::Streaming.url_for("http://127.0.0.1:9000"),
            "ws://127.0.0.1:9000"
        );
        assert_eq!(
            Service::Streaming.url_for("https://proxy.example.com/aai"),
            "wss://proxy.example.com/aai"
        );
    }
}
