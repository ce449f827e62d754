"""The official Python SDK's Sync and Dictation clients, unchanged, against `aai emulator`.

Run by tests/sdk.rs with EMULATOR_URL, EMULATOR_KEY and SAMPLE_WAV (a 3 s WAV). The SDK
takes each service's base URL as a setting of its own; the emulator serves Sync under
/sync and Dictation under /dictation on its one port. Prints one line per flow.
"""
import os

import assemblyai as aai

url = os.environ["EMULATOR_URL"]
aai.settings.api_key = os.environ["EMULATOR_KEY"]
aai.settings.sync_base_url = url + "/sync"
aai.settings.dictation_base_url = url + "/dictation"
wav = os.environ["SAMPLE_WAV"]


def step(name):
    print(f"ok: {name}", flush=True)


with aai.SyncTranscriber() as sync:
    assert sync.warm()
    step("sync warm")

    result = sync.transcribe(wav)
    assert result.text and result.words, result
    assert result.audio_duration_ms == 3000, result.audio_duration_ms
    assert result.words[0].start is None
    step("sync transcribe a file")

    config = aai.SyncTranscriptionConfig(timestamps=True, keyterms_prompt=["Smoke"])
    with open(wav, "rb") as audio:
        live = sync.transcribe_live(audio, config)
    assert live.words[0].start == 0 and live.words[0].end, live.words[0]
    step("sync transcribe_live a stream with timestamps")

with aai.SyncTranscriber(api_key="wrong-key-for-the-emulator") as wrong:
    try:
        wrong.transcribe(wav)
        raise AssertionError("a wrong key must fail")
    except aai.SyncTranscriptError as error:
        assert error.status_code == 401, error.status_code
        assert error.error_code == "unauthorized", error.error_code
        assert "Invalid API key" in str(error), str(error)
step("sync wrong key")

with aai.DictationTranscriber() as dictation:
    config = aai.DictationConfig(llm_instruction="Be brief")
    note = dictation.transcribe_live(wav, config)
    assert note.text.startswith("um "), note.text
    assert note.llm_response.startswith("[Be brief] "), note.llm_response
    assert note.final_text == note.llm_response
step("dictation transcribe_live with an instruction")
