// Everyday flows of the official AssemblyAI Node SDK, unchanged, against `aai emulator`.
//
// Run by tests/sdk.rs with NODE_PATH-free imports: SDK_DIR is the folder holding its
// node_modules, EMULATOR_URL, EMULATOR_KEY, SAMPLE_WAV and NOT_AUDIO as in python_flows.py.
// Prints one line per flow; exits non-zero at the first that goes wrong.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.resolve(process.env.SDK_DIR, "package.json"));
const { AssemblyAI } = require("assemblyai");

const client = new AssemblyAI({
  apiKey: process.env.EMULATOR_KEY,
  baseUrl: process.env.EMULATOR_URL,
});
const poll = { pollingInterval: 50 };
const step = (name) => console.log(`ok: ${name}`);

// No model named: the account's default runs, and the transcript says which.
const transcript = await client.transcripts.transcribe(
  { audio: process.env.SAMPLE_WAV, speaker_labels: true },
  poll,
);
assert.equal(transcript.status, "completed", transcript.error);
assert.equal(transcript.speech_model_used, "assemblyai-stt-3-7");
assert.ok(transcript.text && transcript.words.length > 0);
assert.equal(transcript.audio_duration, 3);
assert.ok(transcript.words.at(-1).end <= 3000);
assert.equal(transcript.utterances[0].speaker, "A");
step("transcribe a local file");

const again = await client.transcripts.get(transcript.id);
assert.equal(again.text, transcript.text);
step("get by id");

const srt = await client.transcripts.subtitles(transcript.id, "srt", 20);
assert.match(srt, /^1\n00:00:00,/);
const vtt = await client.transcripts.subtitles(transcript.id, "vtt");
assert.match(vtt, /^WEBVTT/);
step("SRT and VTT");

const { sentences } = await client.transcripts.sentences(transcript.id);
assert.equal(sentences.map((s) => s.text).join(" "), transcript.text);
const { paragraphs } = await client.transcripts.paragraphs(transcript.id);
assert.ok(paragraphs.length > 0 && paragraphs[0].words.length > 0);
step("sentences and paragraphs");

const word = transcript.words[0].text.replace(/[.,?!]/g, "").toLowerCase();
const search = await client.transcripts.wordSearch(transcript.id, [word]);
assert.ok(search.total_count >= 1 && search.matches[0].timestamps.length >= 1);
step("word search");

const page = await client.transcripts.list({ limit: 5 });
assert.equal(page.transcripts[0].id, transcript.id);
assert.ok(page.page_details.result_count >= 1);
step("list");

const failed = await client.transcripts.transcribe(
  { audio: process.env.NOT_AUDIO, speech_models: ["universal-2"] },
  poll,
);
assert.equal(failed.status, "error");
assert.match(failed.error, /^File does not appear to contain audio/);
step("a job that fails");

const deleted = await client.transcripts.delete(transcript.id);
assert.equal(deleted.text, "Deleted by user.");
assert.equal(deleted.audio_url, "http://deleted_by_user");
step("delete");

await assert.rejects(
  client.transcripts.get("00000000-0000-4000-8000-000000000000"),
  /Transcript lookup error/,
);
step("an unknown id");
