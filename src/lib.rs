//! Blocking client for AssemblyAI's speech-to-text API.
