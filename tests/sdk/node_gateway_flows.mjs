// The official Node SDK's LLM Gateway client (assemblyai@4.41.5), unchanged, against
// `aai emulator`: models, a chat about a transcript, structured output, understanding and its
// validation, and the errors it parses (flattened body, auth body) with their request ids.
//
// Run by tests/sdk.rs: SDK_DIR, EMULATOR_URL, EMULATOR_KEY, SAMPLE_WAV as in node_flows.mjs.
// Prints one line per flow; exits non-zero at the first that goes wrong.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.resolve(process.env.SDK_DIR, "package.json"));
const { AssemblyAI, LlmGatewayError } = require("assemblyai");

const client = new AssemblyAI({
  apiKey: process.env.EMULATOR_KEY,
  baseUrl: process.env.EMULATOR_URL,
  llmGatewayBaseUrl: process.env.EMULATOR_URL,
});
const step = (name) => console.log(`ok: ${name}`);

const { data } = await client.llmGateway.listModels();
assert.ok(data.length > 0 && data.every((m) => m.id && m.context_length > 0));
const model = data[0].id;
step("list models");

const transcript = await client.transcripts.transcribe(
  { audio: process.env.SAMPLE_WAV, speech_models: ["universal-2"] },
  { pollingInterval: 50 },
);
assert.equal(transcript.status, "completed", transcript.error);
const reply = await client.llmGateway.chatCompletions({
  model,
  messages: [{ role: "user", content: "What is said?\n\n{{ transcript }}" }],
  transcript_id: transcript.id,
  max_tokens: 100,
});
const answer = reply.choices[0].message.content;
assert.ok(answer.startsWith(`"What is said?" answered by ${model} from `), answer);
assert.ok(answer.includes(transcript.text.split(" ").slice(0, 3).join(" ")), answer);
assert.ok(reply.request_id && reply.usage.prompt_tokens > 0 && reply.usage.completion_tokens > 0);
step("chat about a transcript");

const structured = await client.llmGateway.chatCompletions({
  model,
  messages: [{ role: "user", content: "Classify" }],
  response_format: {
    type: "json_schema",
    json_schema: { name: "c", schema: { type: "object", properties: { label: { type: "string" } } } },
  },
});
assert.equal(typeof JSON.parse(structured.choices[0].message.content).label, "string");
step("structured output");

const request = {
  transcript_id: transcript.id,
  speech_understanding: { request: { translation: { target_languages: ["es"] }, action_items: {} } },
};
await client.llmGateway.validateUnderstanding(request);
const understood = await client.llmGateway.understanding(request);
assert.ok(understood.translated_texts.es.startsWith("[es] "));
assert.equal(understood.speech_understanding.response.action_items.status, "success");
step("understanding and its validation");

await assert.rejects(
  client.llmGateway.chatCompletions({ model: "no-such-model", messages: [{ role: "user", content: "hi" }] }),
  (err) =>
    err instanceof LlmGatewayError && err.status === 400 && err.requestId &&
    err.errors.some((e) => e.includes("no-such-model")),
);
const stranger = new AssemblyAI({ apiKey: "wrong-key", llmGatewayBaseUrl: process.env.EMULATOR_URL });
await assert.rejects(stranger.llmGateway.understanding(request), (err) =>
  err instanceof LlmGatewayError && err.status === 401 && err.requestId && /token/.test(err.message),
);
step("errors with request ids");
