//! `Client::from_env`. Environment variables are global to the process, so this file holds a
//! single test: nothing else in this binary can read them while it changes them.

mod support;

use assemblyai::{Client, Error, ListQuery};
use support::FakeApi;

const VARIABLES: [&str; 3] = [
    "ASSEMBLYAI_API_KEY",
    "ASSEMBLYAI_KEY",
    "ASSEMBLYAI_BASE_URL",
];

/// Sets (or with `None` removes) the variables, in order.
fn set_env(values: [Option<&str>; 3]) {
    for (name, value) in VARIABLES.into_iter().zip(values) {
        // SAFETY: this binary runs one test, and no thread of it (the fake server's included)
        // reads or writes the environment concurrently.
        unsafe {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }
}

/// The key the client sent in its first request to `api` after `client` was built.
fn key_sent(api: &FakeApi, client: &Client) -> String {
    let before = api.requests().len();
    let _ = client.list_transcripts(&ListQuery::default());
    let requests = api.requests();
    let request = requests
        .get(before)
        .expect("the client reached the fake API");
    request
        .header("authorization")
        .unwrap_or_default()
        .to_string()
}

#[test]
fn from_env_reads_the_key_with_its_fallback_and_the_base_url() {
    let api = FakeApi::start();
    let base = api.base_url();
    api.add_key("aai-second-made-up-key", support::MAIN_PROJECT);

    // The fallback variable alone, with the host overridden.
    set_env([None, Some(api.key()), Some(&base)]);
    let client = Client::from_env().expect("ASSEMBLYAI_KEY is enough");
    assert_eq!(client.base_url(), base);
    assert_eq!(key_sent(&api, &client), api.key());

    // ASSEMBLYAI_API_KEY wins over the fallback; surrounding whitespace is not part of the key.
    set_env([
        Some(" aai-second-made-up-key\n"),
        Some(api.key()),
        Some(&format!("{base}/")),
    ]);
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), base, "a trailing slash is dropped");
    assert_eq!(key_sent(&api, &client), "aai-second-made-up-key");

    // An empty primary variable falls back too.
    set_env([Some(""), Some(api.key()), Some(&base)]);
    assert_eq!(key_sent(&api, &Client::from_env().unwrap()), api.key());

    // No host override: the US endpoint.
    set_env([Some(api.key()), None, None]);
    assert_eq!(
        Client::from_env().unwrap().base_url(),
        "https://api.assemblyai.com"
    );

    // A plain-http host that is not this machine would expose the key.
    set_env([Some(api.key()), None, Some("http://example.com")]);
    assert!(matches!(
        Client::from_env(),
        Err(Error::InvalidInput { .. })
    ));

    // No key at all.
    let requests_before = api.requests().len();
    set_env([None, None, Some(&base)]);
    assert!(matches!(Client::from_env(), Err(Error::MissingApiKey)));
    let message = Client::from_env().unwrap_err().to_string();
    assert!(message.contains("ASSEMBLYAI_API_KEY"), "{message}");
    // ... which a builder from the environment can still supply.
    let client = Client::builder_from_env()
        .api_key(api.key())
        .build()
        .unwrap();
    assert_eq!(client.base_url(), base);
    assert_eq!(api.requests().len(), requests_before);
    assert_eq!(key_sent(&api, &client), api.key());

    set_env([None, None, None]);
}
