"""Everyday flows of the official AssemblyAI Python SDK, unchanged, against `aai emulator`.

Run by tests/sdk.rs with EMULATOR_URL (the emulator's base URL), EMULATOR_KEY, SAMPLE_WAV (a
WAV to transcribe) and NOT_AUDIO (a file that is no recording). Prints one line per flow and
exits non-zero, with the failed assertion, at the first that goes wrong.
"""
import os

import assemblyai as aai

aai.settings.base_url = os.environ["EMULATOR_URL"]
aai.settings.api_key = os.environ["EMULATOR_KEY"]
aai.settings.polling_interval = 0.05


def step(name):
    print(f"ok: {name}", flush=True)


# No model named: the account's default runs, and the transcript says which.
config = aai.TranscriptionConfig(speaker_labels=True)
transcript = aai.Transcriber(config=config).transcribe(os.environ["SAMPLE_WAV"])
assert transcript.status == aai.TranscriptStatus.completed, transcript.error
assert transcript.json_response["speech_model_used"] == "assemblyai-stt-3-7", transcript.json_response
assert transcript.text and transcript.words, transcript.text
# The sample lasts 3 s: the words say so.
assert transcript.audio_duration == 3, transcript.audio_duration
assert transcript.words[-1].end <= 3000, transcript.words[-1].end
assert transcript.utterances and transcript.utterances[0].speaker == "A"
step("transcribe a local file")

again = aai.Transcript.get_by_id(transcript.id)
assert again.id == transcript.id and again.text == transcript.text
step("get by id")

srt = transcript.export_subtitles_srt(chars_per_caption=20)
assert srt.startswith("1\n00:00:00,"), srt
assert all(len(line) <= 20 for line in srt.split("\n\n")[0].splitlines()[2:]), srt
vtt = transcript.export_subtitles_vtt()
assert vtt.startswith("WEBVTT"), vtt
step("SRT and VTT")

sentences = transcript.get_sentences()
assert sentences and " ".join(s.text for s in sentences) == transcript.text
paragraphs = transcript.get_paragraphs()
assert paragraphs and paragraphs[0].words
step("sentences and paragraphs")

first_word = transcript.words[0].text.strip(".,?!").lower()
matches = transcript.word_search([first_word])
assert matches and matches[0].count >= 1 and matches[0].timestamps, matches
step("word search")

page = aai.Transcriber().list_transcripts(aai.ListTranscriptParameters(limit=5))
assert page.transcripts[0].id == transcript.id, page
assert page.page_details.result_count >= 1
step("list")

failed = aai.Transcriber(config=aai.TranscriptionConfig(speech_models=["universal-2"])).transcribe(
    os.environ["NOT_AUDIO"]
)
assert failed.status == aai.TranscriptStatus.error, failed.status
assert failed.error.startswith("File does not appear to contain audio"), failed.error
step("a job that fails")

deleted = aai.Transcript.delete_by_id(transcript.id)
assert deleted.text == "Deleted by user.", deleted.text
assert deleted.audio_url == "http://deleted_by_user"
step("delete")

try:
    aai.Transcript.get_by_id("00000000-0000-4000-8000-000000000000")
    raise AssertionError("an unknown id was found")
except aai.types.TranscriptError as error:
    assert "Transcript lookup error" in str(error), error
step("an unknown id")
