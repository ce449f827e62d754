//! Features AssemblyAI deprecated in favour of Speech Understanding: still
//! sent exactly as asked (accounts that have them keep them), with a warning
//! that points at what replaces them.

use assemblyai::TranscriptRequest;

/// Warns once per deprecated option set on `request`.
pub fn warn(request: &TranscriptRequest) {
    #[allow(deprecated)] // these are exactly the deprecated options
    let set = [
        ("--summarization", request.summarization.is_some()),
        ("--summary-model", request.summary_model.is_some()),
        ("--summary-type", request.summary_type.is_some()),
        ("--auto-chapters", request.auto_chapters.is_some()),
    ];
    for (flag, _) in set.iter().filter(|(_, is_set)| *is_set) {
        crate::notice::warn(&format!(
            "{flag} is deprecated by AssemblyAI (replaced by the summarization task of Speech \
             Understanding); sending it as asked, but use --summarize paragraph|bullets \
             (with --summary-effort low|medium) instead"
        ));
    }
}
