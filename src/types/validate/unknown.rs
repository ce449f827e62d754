//! The enumeration values of a request that this version does not know.

use crate::TranscriptRequest;

impl TranscriptRequest {
    /// Every enumeration value set on this request that this version of the
    /// crate does not know, as `field: "value"`: sent as they are, since the
    /// API adds values (PII policies, languages, tags...) without notice, and
    /// listed so that a caller can warn about a possible typo.
    ///
    /// ```
    /// use assemblyai::{PiiPolicy, TranscriptRequest};
    ///
    /// let mut request = TranscriptRequest::new("https://example.com/a.mp3");
    /// request.redact_pii_policies = Some(vec![PiiPolicy::PersonName, PiiPolicy::Other("dna".into())]);
    /// assert_eq!(request.unknown_values(), [r#"redact_pii_policies: "dna""#]);
    /// request.validate().unwrap();
    /// ```
    pub fn unknown_values(&self) -> Vec<String> {
        let mut found = Vec::new();
        let mut note = |field: &str, value: &str, known: bool| {
            if !known {
                found.push(format!("{field}: {value:?}"));
            }
        };
        macro_rules! check {
            ($field:expr, $value:expr) => {
                if let Some(value) = $value {
                    note($field, value.as_str(), value.is_known());
                }
            };
        }
        for code in self.language_codes.iter().flatten() {
            check!("language_codes", Some(code));
        }
        check!("remove_audio_tags", &self.remove_audio_tags);
        check!("domain", &self.domain);
        if let Some(options) = &self.keyterms_prompt_options {
            check!(
                "keyterms_prompt_options.keyterms_match_strength",
                &options.keyterms_match_strength
            );
        }
        for policy in self.redact_pii_policies.iter().flatten() {
            check!("redact_pii_policies", Some(policy));
        }
        check!("redact_pii_sub", &self.redact_pii_sub);
        check!("redact_pii_audio_quality", &self.redact_pii_audio_quality);
        if let Some(options) = &self.redact_pii_audio_options {
            check!(
                "redact_pii_audio_options.override_audio_redaction_method",
                &options.override_audio_redaction_method
            );
        }
        #[allow(deprecated)] // a deprecated parameter is still sent when set
        {
            check!("summary_model", &self.summary_model);
            check!("summary_type", &self.summary_type);
        }
        if let Some(su) = &self.speech_understanding {
            let tasks = &su.request;
            let field = "speech_understanding.request";
            if let Some(task) = &tasks.speaker_identification {
                check!(
                    &format!("{field}.speaker_identification.speaker_type"),
                    Some(&task.speaker_type)
                );
            }
            if let Some(task) = &tasks.summarization {
                check!(
                    &format!("{field}.summarization.summary_type"),
                    Some(&task.summary_type)
                );
                check!(&format!("{field}.summarization.effort"), &task.effort);
            }
            if let Some(task) = &tasks.action_items {
                check!(&format!("{field}.action_items.effort"), &task.effort);
            }
        }
        found
    }
}
