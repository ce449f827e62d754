//! Response parsing never panics, and never rejects what the spec allows.
//!
//! Property tests without a property-testing crate: a seeded SplitMix64 drives (1) random bytes
//! and mutated spec examples, which must parse to `Ok` or `Err` but never panic, and (2) a
//! generator that walks the JSON Schemas of the published OpenAPI spec and builds random
//! schema-valid instances, which must parse `Ok`, as must perturbed ones (unknown keys, unknown
//! enum values, nulls in place of values), since the live API sends all of those.

use std::panic::{self, AssertUnwindSafe};

use assemblyai::{
    ParagraphsResponse, RedactedAudioResponse, SentencesResponse, Transcript, TranscriptList,
    TranscriptReadyNotification, UploadedFile, WebhookNotification, WordSearchResponse,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// SplitMix64: tiny, fast, and good enough to explore inputs; seeded, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A float in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Whether parsing `bytes` as `T` returned (rather than panicked).
fn returns<T: DeserializeOwned>(bytes: &[u8]) -> bool {
    panic::catch_unwind(AssertUnwindSafe(|| {
        let _ = serde_json::from_slice::<T>(bytes);
    }))
    .is_ok()
}

/// Parses bytes as one type; `false` if it panicked.
type Returns = fn(&[u8]) -> bool;

/// Every response type the client parses, by name.
const PARSERS: [(&str, Returns); 9] = [
    ("Transcript", returns::<Transcript>),
    ("TranscriptList", returns::<TranscriptList>),
    ("SentencesResponse", returns::<SentencesResponse>),
    ("ParagraphsResponse", returns::<ParagraphsResponse>),
    ("WordSearchResponse", returns::<WordSearchResponse>),
    ("RedactedAudioResponse", returns::<RedactedAudioResponse>),
    ("UploadedFile", returns::<UploadedFile>),
    (
        "TranscriptReadyNotification",
        returns::<TranscriptReadyNotification>,
    ),
    ("WebhookNotification", returns::<WebhookNotification>),
];

/// Panics, naming the type and showing the input, if any parser panicked on `bytes`.
fn assert_never_panics(bytes: &[u8]) {
    for (name, parse) in PARSERS {
        assert!(
            parse(bytes),
            "parsing {name} panicked on {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
}

/// Pieces of JSON and near-JSON that reach the parser's corners, `|`-separated.
const TOKENS: &str = concat!(
    r#"{|}|[|]|:|,|"|null|true|false|0|-1|1e999|-0.0|18446744073709551616|1.5| |"#,
    "\n",
    r#"|"id"|"status"|"completed"|"words"|"start"|"timestamps"|"audio_duration"|"\ud800"|"#,
    r#""\u0000"|"é"|"page_details"|"transcripts"|"matches"|"speech_understanding""#,
);

fn token(rng: &mut Rng) -> &'static str {
    let tokens: Vec<&'static str> = TOKENS.split('|').collect();
    tokens[rng.below(tokens.len())]
}

#[test]
fn random_bytes_never_panic_any_parser() {
    let mut rng = Rng(0x5eed_0001);
    for round in 0..3000 {
        let len = rng.below(300);
        let bytes: Vec<u8> = match round % 3 {
            0 => (0..len).map(|_| rng.next() as u8).collect(),
            1 => {
                let alphabet = b"{}[]\":,.-+eE0123456789 truefalsn\\u";
                (0..len).map(|_| *rng.pick(alphabet)).collect()
            }
            _ => (0..len / 4)
                .map(|_| token(&mut rng))
                .collect::<String>()
                .into_bytes(),
        };
        assert_never_panics(&bytes);
    }
}

/// The spec's examples, extracted into tests/fixtures.
const FIXTURES: [&[u8]; 9] = [
    include_bytes!("fixtures/transcript.json"),
    include_bytes!("fixtures/transcript_deleted.json"),
    include_bytes!("fixtures/transcript_list.json"),
    include_bytes!("fixtures/sentences.json"),
    include_bytes!("fixtures/paragraphs.json"),
    include_bytes!("fixtures/word_search.json"),
    include_bytes!("fixtures/redacted_audio.json"),
    include_bytes!("fixtures/uploaded_file.json"),
    include_bytes!("fixtures/transcript_ready_notification.json"),
];

/// `bytes` with one random mutation: a cut, a flipped byte, a deleted or duplicated range, or a
/// token spliced in.
fn mutate(rng: &mut Rng, bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let at = rng.below(out.len());
    let end = (at + 1 + rng.below(40)).min(out.len());
    match rng.below(5) {
        0 => out.truncate(at),
        1 => out[at] ^= 1 << rng.below(8),
        2 => drop(out.drain(at..end)),
        3 => {
            let copy = out[at..end].to_vec();
            out.splice(at..at, copy);
        }
        _ => drop(out.splice(at..at, token(rng).bytes())),
    }
    out
}

#[test]
fn mutated_spec_examples_never_panic_any_parser() {
    let mut rng = Rng(0x5eed_0002);
    for fixture in FIXTURES {
        assert!(serde_json::from_slice::<Value>(fixture).is_ok());
        for _ in 0..300 {
            let mut bytes = mutate(&mut rng, fixture);
            for _ in 0..rng.below(4) {
                if !bytes.is_empty() {
                    bytes = mutate(&mut rng, &bytes);
                }
            }
            assert_never_panics(&bytes);
        }
    }
}

#[test]
fn every_truncation_of_the_example_transcript_is_an_error_not_a_panic() {
    let example = FIXTURES[0];
    assert!(serde_json::from_slice::<Transcript>(example).is_ok());
    let end = example.iter().rposition(|&b| b == b'}').unwrap();
    for cut in (0..end).step_by(7) {
        let parsed = panic::catch_unwind(|| serde_json::from_slice::<Transcript>(&example[..cut]));
        let parsed = parsed.unwrap_or_else(|_| panic!("panicked on the first {cut} bytes"));
        assert!(
            parsed.is_err(),
            "the first {cut} bytes parsed as a transcript"
        );
    }
}

/// Builds random instances of the spec's JSON Schemas.
struct Generator<'a> {
    schemas: &'a Map<String, Value>,
    rng: Rng,
    /// Whether to add what the live API sends beyond the spec: unknown keys and enum values,
    /// and nulls in place of values.
    perturb: bool,
}

/// Past this depth, optional properties are left out and arrays are empty.
const MAX_DEPTH: u32 = 7;

/// Odd but valid strings.
const STRINGS: [&str; 8] = [
    "",
    "a",
    "Smoke from hundreds of wildfires.",
    "ünïcødé ✓ 日本語",
    "quote \" backslash \\",
    "tab\tnewline\n",
    "emoji 🔥",
    "<html>",
];

impl<'a> Generator<'a> {
    fn resolve(&self, reference: &str) -> &'a Value {
        let name = reference.trim_start_matches("#/components/schemas/");
        self.schemas
            .get(name)
            .unwrap_or_else(|| panic!("unresolvable $ref {reference}"))
    }

    fn instance(&mut self, schema: &Value, depth: u32) -> Value {
        let Some(schema) = schema.as_object() else {
            return self.any(depth); // `true`: anything goes
        };
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return self.instance(self.resolve(reference), depth);
        }
        if let Some(value) = schema.get("const") {
            return value.clone();
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            if self.perturb && self.rng.chance(0.3) {
                return json!("a_value_added_after_this_crate");
            }
            return self.rng.pick(values).clone();
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            for part in parts {
                if let Value::Object(fields) = self.instance(part, depth) {
                    merged.extend(fields);
                }
            }
            return Value::Object(merged);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(options) = schema.get(key).and_then(Value::as_array) {
                let option = self.rng.pick(options).clone();
                return self.instance(&option, depth);
            }
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(name)) => vec![name],
            Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
            _ if schema.contains_key("properties") => vec!["object"],
            _ => return self.any(depth),
        };
        let nullable = types.contains(&"null");
        let concrete: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
        if concrete.is_empty() || (nullable && self.rng.chance(0.25)) {
            return Value::Null;
        }
        match *self.rng.pick(&concrete) {
            "boolean" => json!(self.rng.chance(0.5)),
            "integer" => self.integer(schema),
            "number" => self.number(schema),
            "string" => self.string(schema),
            "array" => {
                let items = schema.get("items").cloned().unwrap_or(Value::Bool(true));
                let n = if depth >= MAX_DEPTH {
                    0
                } else {
                    self.rng.below(4)
                };
                Value::Array((0..n).map(|_| self.instance(&items, depth + 1)).collect())
            }
            "object" => self.object(schema, depth),
            other => panic!("unknown JSON Schema type {other}"),
        }
    }

    fn bound(schema: &Map<String, Value>, key: &str) -> Option<f64> {
        schema.get(key).and_then(Value::as_f64)
    }

    fn integer(&mut self, schema: &Map<String, Value>) -> Value {
        let low = Self::bound(schema, "minimum").map_or(-1_000_000, |v| v as i64);
        let high = Self::bound(schema, "maximum").map_or(1 << 53, |v| v as i64);
        let value = match self.rng.below(4) {
            0 => low,
            1 => high,
            2 => low.max(0).min(high) + self.rng.below(100) as i64,
            _ => low + (self.rng.unit() * (high - low) as f64) as i64,
        };
        json!(value.clamp(low, high))
    }

    fn number(&mut self, schema: &Map<String, Value>) -> Value {
        let low = Self::bound(schema, "minimum").unwrap_or(-1e6);
        let high = Self::bound(schema, "maximum").unwrap_or(1e6);
        match self.rng.below(5) {
            // Integral values come as JSON integers: a number field must take `1`, not only `1.0`.
            0 => json!(low.ceil() as i64),
            1 => json!(high.floor() as i64),
            2 if !schema.contains_key("maximum") => json!(1e300),
            _ => json!(low + self.rng.unit() * (high - low)),
        }
    }

    fn string(&mut self, schema: &Map<String, Value>) -> Value {
        if schema.contains_key("pattern") {
            // The only patterns here are the list's naive ISO 8601 times.
            let second = self.rng.below(60);
            return json!(format!("2024-03-11T21:29:{second:02}.936851"));
        }
        let text = match schema.get("format").and_then(Value::as_str) {
            Some("uuid") => format!(
                "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
                self.rng.next() as u32,
                self.rng.below(1 << 16),
                self.rng.below(1 << 12),
                self.rng.below(1 << 12),
                self.rng.next() & 0xffff_ffff_ffff
            ),
            Some("url") => format!("https://example.com/{}.mp3", self.rng.below(1000)),
            _ => self.rng.pick(&STRINGS).to_string(),
        };
        json!(text)
    }

    fn object(&mut self, schema: &Map<String, Value>, depth: u32) -> Value {
        let mut out = Map::new();
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, property) in properties.into_iter().flatten() {
            let needed = required.contains(&name.as_str());
            if !needed && (depth >= MAX_DEPTH || self.rng.chance(0.3)) {
                continue;
            }
            // Nulls everywhere but the few keys that identify the object.
            let identity = depth == 0 && IDENTITY_KEYS.contains(&name.as_str());
            let value = if self.perturb && !identity && self.rng.chance(0.2) {
                Value::Null
            } else {
                self.instance(property, depth + 1)
            };
            out.insert(name.clone(), value);
        }
        match schema.get("additionalProperties") {
            Some(Value::Object(values)) => {
                let values = Value::Object(values.clone());
                for i in 0..self.rng.below(3) {
                    out.insert(format!("key{i}"), self.instance(&values, depth + 1));
                }
            }
            // JSON Schema's default is `true`: any key, any value.
            Some(Value::Bool(true)) | None if self.rng.chance(0.3) => {
                out.insert("anything".into(), self.any(depth + 1));
            }
            _ => {}
        }
        if self.perturb && properties.is_some() && self.rng.chance(0.5) {
            out.insert("zz_key_the_spec_does_not_list".into(), self.any(depth + 1));
        }
        Value::Object(out)
    }

    /// Any JSON value, small.
    fn any(&mut self, depth: u32) -> Value {
        match self.rng.below(if depth >= MAX_DEPTH { 4 } else { 6 }) {
            0 => Value::Null,
            1 => json!(self.rng.chance(0.5)),
            2 => json!(self.rng.unit() * 100.0),
            3 => json!(*self.rng.pick(&STRINGS)),
            4 => json!([self.any(depth + 1)]),
            _ => json!({ "nested": self.any(depth + 1) }),
        }
    }
}

/// Top-level keys that perturbation leaves alone: without them there is no object to speak of.
const IDENTITY_KEYS: [&str; 4] = ["id", "status", "upload_url", "transcript_id"];

/// The spec, read at test time from the repository's copy.
fn spec_schemas() -> Option<Map<String, Value>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/openapi.json");
    // In the repository (spec/), so a missing file is a broken checkout, not a skip.
    let text = std::fs::read_to_string(path).expect("spec/openapi.json is in the repository");
    let mut spec: Value = serde_json::from_str(&text).expect("the spec is JSON");
    let schemas = spec["components"]["schemas"].take();
    Some(schemas.as_object().expect("components.schemas").clone())
}

/// Parses an instance as one type, or says why not.
type Parses = fn(&Value) -> Result<(), String>;

/// Schemas and the parser of the crate type each one becomes.
const SCHEMA_TYPES: [(&str, Parses); 8] = [
    ("Transcript", parses::<Transcript>),
    ("TranscriptList", parses::<TranscriptList>),
    ("SentencesResponse", parses::<SentencesResponse>),
    ("ParagraphsResponse", parses::<ParagraphsResponse>),
    ("WordSearchResponse", parses::<WordSearchResponse>),
    ("RedactedAudioResponse", parses::<RedactedAudioResponse>),
    ("UploadedFile", parses::<UploadedFile>),
    (
        "TranscriptReadyNotification",
        parses::<TranscriptReadyNotification>,
    ),
];

fn parses<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
    // Through text, as from the network: `from_value` is laxer about numbers.
    let text = value.to_string();
    serde_json::from_str::<T>(&text)
        .map(drop)
        .map_err(|err| format!("{err}\n  in {}", excerpt(&text, err.column())))
}

/// The text around `column`, where the parser stopped.
fn excerpt(text: &str, column: usize) -> String {
    let mut start = column.saturating_sub(120).min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (column + 40).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    format!("...{}...", &text[start..end])
}

/// Generates `rounds` instances of each schema and returns the parse failures.
fn failures(schemas: &Map<String, Value>, perturb: bool, seed: u64, rounds: usize) -> Vec<String> {
    let mut generator = Generator {
        schemas,
        rng: Rng(seed),
        perturb,
    };
    let mut failed = Vec::new();
    for (name, parse) in SCHEMA_TYPES {
        let schema = schemas[name].clone();
        for round in 0..rounds {
            let instance = generator.instance(&schema, 0);
            if let Err(err) = parse(&instance) {
                failed.push(format!("{name} #{round}: {err}"));
            }
        }
    }
    failed
}

#[test]
fn every_schema_valid_response_parses() {
    let Some(schemas) = spec_schemas() else {
        return;
    };
    let failed = failures(&schemas, false, 0x5eed_0003, 400);
    assert!(
        failed.is_empty(),
        "{} failures, e.g.\n{}",
        failed.len(),
        failed[..failed.len().min(5)].join("\n")
    );
}

#[test]
fn responses_with_unknown_keys_values_and_nulls_still_parse() {
    let Some(schemas) = spec_schemas() else {
        return;
    };
    let failed = failures(&schemas, true, 0x5eed_0004, 400);
    assert!(
        failed.is_empty(),
        "{} failures, e.g.\n{}",
        failed.len(),
        failed[..failed.len().min(5)].join("\n")
    );
}

/// Replies with every oddity of the live API (tests/fixtures/live), and the parser of each.
const LIVE: [(&[u8], Parses); 11] = [
    (
        include_bytes!("fixtures/live/transcript_2020.json"),
        parses::<Transcript>,
    ),
    (
        include_bytes!("fixtures/live/transcript_2021_queued.json"),
        parses::<Transcript>,
    ),
    (
        include_bytes!("fixtures/live/transcript_2022.json"),
        parses::<Transcript>,
    ),
    (
        include_bytes!("fixtures/live/transcript_2024.json"),
        parses::<Transcript>,
    ),
    (
        include_bytes!("fixtures/live/transcript_2026.json"),
        parses::<Transcript>,
    ),
    (
        include_bytes!("fixtures/live/sentences_2021.json"),
        parses::<SentencesResponse>,
    ),
    (
        include_bytes!("fixtures/live/paragraphs_2023.json"),
        parses::<ParagraphsResponse>,
    ),
    (
        include_bytes!("fixtures/live/word_search_2022.json"),
        parses::<WordSearchResponse>,
    ),
    (
        include_bytes!("fixtures/live/list_2024.json"),
        parses::<TranscriptList>,
    ),
    (
        include_bytes!("fixtures/live/redacted_audio_2023.json"),
        parses::<RedactedAudioResponse>,
    ),
    (
        include_bytes!("fixtures/live/upload_2020.json"),
        parses::<UploadedFile>,
    ),
];

/// One step into a JSON value: a key or an index.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// The path of every value inside `value` (not `value` itself), parents before children.
fn paths(value: &Value) -> Vec<Vec<Step>> {
    fn walk(value: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        let children: Vec<(Step, &Value)> = match value {
            Value::Object(map) => map.iter().map(|(k, v)| (Step::Key(k.clone()), v)).collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Step::Index(i), v))
                .collect(),
            _ => return,
        };
        for (step, child) in children {
            path.push(step);
            out.push(path.clone());
            walk(child, path, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

fn at<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |value, step| match step {
        Step::Key(key) => value.get_mut(key.as_str()),
        Step::Index(i) => value.get_mut(*i),
    })
}

/// A value of another JSON type than `old`.
fn another_type(rng: &mut Rng, old: &Value) -> Value {
    loop {
        let new = match rng.below(9) {
            0 => Value::Null,
            1 => json!("true"),
            2 => json!(rng.chance(0.5)),
            3 => json!(rng.below(1000)),
            4 => json!(rng.unit() * 1000.0),
            5 => json!({}),
            6 => json!([1, "x", null]),
            7 => json!({"nested": {"deep": [true]}}),
            _ => json!(*rng.pick(&STRINGS)),
        };
        let kind = |v: &Value| std::mem::discriminant(v);
        if kind(&new) != kind(old) || matches!(old, Value::Number(_) | Value::Bool(_)) {
            return new;
        }
    }
}

/// The keys a top-level reply is identified by, or whose value the test checks survives.
const KEPT_KEYS: [&str; 5] = ["id", "status", "text", "upload_url", "transcript_id"];

#[test]
fn values_of_the_wrong_type_anywhere_never_lose_the_reply() {
    let mut rng = Rng(0x5eed_0005);
    let replies = FIXTURES[..8]
        .iter()
        .copied()
        .zip([
            parses::<Transcript> as Parses,
            parses::<Transcript>,
            parses::<TranscriptList>,
            parses::<SentencesResponse>,
            parses::<ParagraphsResponse>,
            parses::<WordSearchResponse>,
            parses::<RedactedAudioResponse>,
            parses::<UploadedFile>,
        ])
        .chain(LIVE);
    for (bytes, parse) in replies {
        let original: Value = serde_json::from_slice(bytes).unwrap();
        let all = paths(&original);
        let free: Vec<&Vec<Step>> = all
            .iter()
            .filter(
                |path| !matches!(&path[..], [Step::Key(key)] if KEPT_KEYS.contains(&key.as_str())),
            )
            .collect();
        if free.is_empty() {
            continue; // nothing but the kept keys (an upload's reply)
        }
        for _ in 0..150 {
            let mut mutated = original.clone();
            for _ in 0..1 + rng.below(8) {
                let path = rng.pick(&free);
                if let Some(slot) = at(&mut mutated, path) {
                    *slot = another_type(&mut rng, slot);
                }
            }
            parse(&mutated).unwrap_or_else(|err| panic!("{err}\n  from {mutated}"));
            if original.get("status").is_some() && original.get("id").is_some() {
                let transcript: Transcript = serde_json::from_value(mutated.clone()).unwrap();
                assert_eq!(transcript.id, original["id"].as_str().unwrap());
                assert_eq!(
                    transcript.status.as_str(),
                    original["status"].as_str().unwrap()
                );
                assert_eq!(transcript.text.as_deref(), original["text"].as_str());
            }
        }
    }
}

/// `value` with every boolean and number written as a string, or every integer as a float.
fn restated(value: &Value, as_floats: bool) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), restated(v, as_floats)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| restated(v, as_floats)).collect()),
        Value::Number(n) if as_floats => json!(n.as_f64().unwrap()),
        Value::Number(n) => json!(n.to_string()),
        Value::Bool(b) if !as_floats => json!(b.to_string()),
        other => other.clone(),
    }
}

#[test]
fn scalars_restated_as_strings_or_floats_parse_to_the_same_transcript() {
    let transcripts = [FIXTURES[0], FIXTURES[1]]
        .into_iter()
        .chain(LIVE[..5].iter().map(|(b, _)| *b));
    for bytes in transcripts {
        let original: Value = serde_json::from_slice(bytes).unwrap();
        let expected: Transcript = serde_json::from_value(original.clone()).unwrap();
        for as_floats in [false, true] {
            let text = restated(&original, as_floats).to_string();
            let again: Transcript = serde_json::from_str(&text).unwrap();
            assert_eq!(
                again,
                expected,
                "{}",
                if as_floats { "floats" } else { "strings" }
            );
        }
    }
}
