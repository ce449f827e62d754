//! Listing transcripts: the query of `GET /v2/transcript` and its pages.

use serde::Serialize;

use super::TranscriptStatus;
use super::lenient::lenient_struct;
use super::raw::{KeepsRawJson, RawJson, keeps_raw_json};
use super::string_enum::ParseValueError;
use crate::{Error, Result};

/// Filters and paging for `GET /v2/transcript` (`ListTranscriptParams`).
///
/// Transcripts come newest first, from the last 90 days only.
///
/// ```
/// use assemblyai::{ListQuery, TranscriptStatus};
///
/// let mut query = ListQuery::new();
/// query.limit = Some(50);
/// query.status = Some(TranscriptStatus::Error);
/// query.validate().unwrap();
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ListQuery {
    /// At most this many transcripts per page, 1 to 200. Defaults to 10.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,

    /// Only transcripts with this status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<TranscriptStatus>,

    /// Only transcripts created on this date, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_on: Option<String>,

    /// Only transcripts created before the one with this id (older ones).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before_id: Option<String>,

    /// Only transcripts created after the one with this id (newer ones).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_id: Option<String>,

    /// Only throttled transcripts; overrides `status`. Defaults to `false`.
    ///
    /// # Deprecated
    ///
    /// Deprecated in the spec.
    #[deprecated = "deprecated in the API"]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttled_only: Option<bool>,
}

impl ListQuery {
    /// No filters: the newest page with the API's default size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks the values against the spec's limits, so nothing doomed is sent.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field: `limit` outside 1..=200, an
    /// unknown `status`, a `created_on` that is not `YYYY-MM-DD`, an empty id.
    pub fn validate(&self) -> Result<()> {
        if let Some(limit) = self.limit {
            if !(1..=200).contains(&limit) {
                return Err(Error::invalid_input(format!(
                    "limit must be between 1 and 200, got {limit}"
                )));
            }
        }
        if let Some(status) = &self.status {
            if !status.is_known() {
                let err = ParseValueError::new(status.as_str(), TranscriptStatus::KNOWN);
                return Err(Error::invalid_input(format!("status: {err}")));
            }
        }
        if let Some(date) = &self.created_on {
            if !is_iso_date(date) {
                return Err(Error::invalid_input(format!(
                    "created_on must be a date like 2024-03-11 (YYYY-MM-DD), got {date:?}"
                )));
            }
        }
        for (name, id) in [("before_id", &self.before_id), ("after_id", &self.after_id)] {
            if id.as_deref().is_some_and(|id| id.trim().is_empty()) {
                return Err(Error::invalid_input(format!("{name} must not be empty")));
            }
        }
        Ok(())
    }

    /// The query string's pairs, not yet percent-encoded, in a fixed order.
    pub(crate) fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(status) = &self.status {
            pairs.push(("status", status.as_str().to_owned()));
        }
        if let Some(date) = &self.created_on {
            pairs.push(("created_on", date.clone()));
        }
        if let Some(id) = &self.before_id {
            pairs.push(("before_id", id.clone()));
        }
        if let Some(id) = &self.after_id {
            pairs.push(("after_id", id.clone()));
        }
        #[allow(deprecated)] // still a parameter of the API; sent only when set
        if let Some(throttled) = self.throttled_only {
            pairs.push(("throttled_only", throttled.to_string()));
        }
        pairs
    }
}

/// `YYYY-MM-DD` with a plausible month and day.
fn is_iso_date(date: &str) -> bool {
    let bytes = date.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    if !(digits(0..4) && digits(5..7) && digits(8..10)) {
        return false;
    }
    let month: u32 = date[5..7].parse().unwrap_or(0);
    let day: u32 = date[8..10].parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

lenient_struct! {
/// One page of transcripts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TranscriptList {
    /// Where this page is and how to reach its neighbours.
    pub page_details: PageDetails,

    /// The transcripts, newest first.
    pub transcripts: Vec<TranscriptListItem>,

    #[serde(skip)]
    raw_json: RawJson,
}
}

lenient_struct! {
/// Paging information of a [`TranscriptList`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PageDetails {
    /// The page size that was asked for.
    pub limit: i64,

    /// How many transcripts this page holds.
    pub result_count: i64,

    /// The URL of this page.
    pub current_url: String,

    /// The URL of the page of **older** transcripts; `None` on the last page.
    /// (The spec's description says "next page"; its example shows `before_id`.)
    pub prev_url: Option<String>,

    /// The URL of the page of **newer** transcripts; `None` on the first page.
    pub next_url: Option<String>,
}
}

lenient_struct! {
/// A transcript as listed: its id, status and times, without the content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TranscriptListItem {
    /// The transcript's id.
    pub id: String,

    /// The URL to get the full transcript from.
    pub resource_url: String,

    /// The transcript's status.
    pub status: TranscriptStatus,

    /// When it was created: ISO 8601 without a time zone, e.g.
    /// `2024-03-11T21:29:59.936851` (UTC, presumably).
    pub created: String,

    /// When it completed, in the same format; `None` if it has not or failed.
    pub completed: Option<String>,

    /// The URL of the media.
    pub audio_url: String,

    /// Why it failed, when it did.
    pub error: Option<String>,

    #[serde(skip)]
    raw_json: RawJson,
}
}

keeps_raw_json!(TranscriptListItem);

impl TranscriptList {
    /// The JSON text exactly as the server sent it, when the client keeps it
    /// (`ClientBuilder::keep_raw_json`); each item then has its own, too.
    pub fn raw_json(&self) -> Option<&str> {
        self.raw_json.0.as_deref()
    }
}

impl KeepsRawJson for TranscriptList {
    /// Keeps the page's text, and gives each item the JSON of its entry: an
    /// item walked to alone (`list_all_transcripts`) prints as sent too.
    fn set_raw_json(&mut self, json: Box<str>) {
        if let Ok(page) = serde_json::from_str::<serde_json::Value>(&json) {
            // The entries the lenient list kept: objects with anything in them.
            let entries: Vec<&serde_json::Value> = page["transcripts"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|entry| entry.as_object().is_some_and(|entry| !entry.is_empty()))
                .collect();
            if entries.len() == self.transcripts.len() {
                for (item, entry) in self.transcripts.iter_mut().zip(entries) {
                    item.set_raw_json(entry.to_string().into_boxed_str());
                }
            }
        }
        self.raw_json = RawJson(Some(json));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(query: &ListQuery) -> String {
        query.validate().unwrap_err().to_string()
    }

    #[test]
    fn empty_query_is_valid_and_has_no_pairs() {
        assert!(ListQuery::new().validate().is_ok());
        assert!(ListQuery::new().to_query_pairs().is_empty());
    }

    #[test]
    #[allow(deprecated)] // the deprecated parameter must still be sent when set
    fn query_pairs_follow_the_set_fields() {
        let mut query = ListQuery::new();
        query.limit = Some(3);
        query.status = Some(TranscriptStatus::Completed);
        query.created_on = Some("2024-03-11".into());
        query.before_id = Some("b".into());
        query.after_id = Some("a".into());
        query.throttled_only = Some(false);
        assert_eq!(
            query.to_query_pairs(),
            [
                ("limit", "3".to_owned()),
                ("status", "completed".into()),
                ("created_on", "2024-03-11".into()),
                ("before_id", "b".into()),
                ("after_id", "a".into()),
                ("throttled_only", "false".into()),
            ]
        );
    }

    #[test]
    fn limit_outside_1_to_200_is_rejected() {
        let mut query = ListQuery::new();
        query.limit = Some(0);
        assert_eq!(error_of(&query), "limit must be between 1 and 200, got 0");
        query.limit = Some(201);
        assert!(error_of(&query).contains("got 201"));
        query.limit = Some(200);
        assert!(query.validate().is_ok());
    }

    #[test]
    fn created_on_must_be_yyyy_mm_dd() {
        let mut query = ListQuery::new();
        for bad in [
            "2024-3-11",
            "11/03/2024",
            "2024-13-01",
            "2024-03-00",
            "2024-03-11T00:00",
        ] {
            query.created_on = Some(bad.into());
            assert!(
                error_of(&query).starts_with("created_on must be a date"),
                "{bad}"
            );
        }
        query.created_on = Some("2024-03-11".into());
        assert!(query.validate().is_ok());
    }

    #[test]
    fn unknown_status_filter_is_rejected_with_the_valid_ones() {
        let mut query = ListQuery::new();
        query.status = Some(TranscriptStatus::Other("done".into()));
        assert_eq!(
            error_of(&query),
            r#"status: unknown value "done"; expected one of: queued, processing, completed, error"#
        );
    }

    #[test]
    fn empty_cursor_id_is_rejected() {
        let mut query = ListQuery::new();
        query.after_id = Some(" ".into());
        assert_eq!(error_of(&query), "after_id must not be empty");
    }
}
