// The official Node SDK's client.sync and client.dictation, unchanged, against `aai emulator`.
//
// Run by tests/sdk.rs: SDK_DIR holds its node_modules; EMULATOR_URL, EMULATOR_KEY and
// SAMPLE_WAV as in python_clip_flows.py. The SDK takes each service's base URL as an option
// of its own (syncBaseUrl, dictationBaseUrl); the emulator serves them under /sync and
// /dictation. Prints one line per flow; exits non-zero at the first that goes wrong.
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.resolve(process.env.SDK_DIR, "package.json"));
const { AssemblyAI } = require("assemblyai");

const url = process.env.EMULATOR_URL;
const options = {
  apiKey: process.env.EMULATOR_KEY,
  baseUrl: url,
  syncBaseUrl: `${url}/sync`,
  dictationBaseUrl: `${url}/dictation`,
};
const client = new AssemblyAI(options);
const wav = process.env.SAMPLE_WAV;
const step = (name) => console.log(`ok: ${name}`);

assert.equal(await client.sync.warm(), true);
step("sync warm");

const clip = await client.sync.transcribe(wav, { timestamps: true });
assert.ok(clip.text && clip.words.length > 0);
assert.equal(clip.audio_duration_ms, 3000);
assert.equal(clip.words[0].start, 0);
step("sync transcribe a file");

const live = await client.sync.transcribeLive(fs.createReadStream(wav));
assert.equal(live.audio_duration_ms, 3000);
step("sync transcribeLive a stream");

const wrong = new AssemblyAI({ ...options, apiKey: "wrong-key-for-the-emulator" });
await assert.rejects(wrong.sync.transcribe(wav), (error) => {
  assert.equal(error.status, 401);
  assert.match(String(error.message), /Invalid API key/);
  return true;
});
step("sync wrong key");

const note = await client.dictation.transcribeLive(wav, { llm_instruction: "Be brief" });
assert.ok(note.text.startsWith("um "), note.text);
assert.equal(note.final_text, note.llm_response);
assert.ok(note.final_text.startsWith("[Be brief] "), note.final_text);
step("dictation transcribeLive with an instruction");
