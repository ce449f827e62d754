//! GET /v2/transcript: filters and pagination, newest first.

use serde_json::{Value, json};

use super::api::bad_request;
use super::http::{RecordedRequest, Response};
use super::jobs::{LOOKUP_ERROR, State};

const STATUSES: [&str; 4] = ["queued", "processing", "completed", "error"];

/// The `TranscriptList` for `req`'s query over `project`'s transcripts.
pub(super) fn page(
    state: &mut State,
    project: &str,
    base_url: &str,
    req: &RecordedRequest,
) -> Result<Value, Response> {
    let q = |name| req.query_param(name);
    let limit = match q("limit") {
        None => 10,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=200).contains(n))
            .ok_or_else(|| bad_request("limit must be an integer from 1 to 200"))?,
    };
    let status = q("status");
    if status.is_some_and(|s| !STATUSES.contains(&s)) {
        return Err(bad_request(
            "status must be one of queued, processing, completed, error",
        ));
    }
    let created_on = q("created_on");
    if created_on.is_some_and(|d| !is_date(d)) {
        return Err(bad_request("created_on must be a date: YYYY-MM-DD"));
    }
    let position = |name| match q(name) {
        Some(id) => state
            .find(project, id)
            .map(Some)
            .map_err(|_| bad_request(LOOKUP_ERROR)),
        None => Ok(None),
    };
    // Both together select the transcripts between them; the wrong way round, none.
    let (before, after) = (position("before_id")?, position("after_id")?);

    // Every matching transcript as (job index, list item), oldest first.
    let matching: Vec<(usize, Value)> = state
        .jobs
        .iter_mut()
        .enumerate()
        .filter(|(_, job)| job.project == project)
        .map(|(i, job)| (i, job.list_item(base_url)))
        .filter(|(_, item)| {
            let created = item["created"].as_str().unwrap_or("");
            status.is_none_or(|s| item["status"] == s)
                && created_on.is_none_or(|d| created.starts_with(d))
        })
        .collect();
    let in_range: Vec<&(usize, Value)> = matching
        .iter()
        .filter(|(i, _)| before.is_none_or(|b| *i < b) && after.is_none_or(|a| *i > a))
        .collect();
    let n = limit.min(in_range.len());
    // after_id alone asks for the page just newer than it; otherwise the newest in range.
    let page = match (before, after) {
        (None, Some(_)) => &in_range[..n],
        _ => &in_range[in_range.len() - n..],
    };

    let mut filters = format!("limit={limit}");
    for (name, value) in [("status", status), ("created_on", created_on)] {
        if let Some(value) = value {
            filters.push_str(&format!("&{name}={value}"));
        }
    }
    let url = |bound: &str, (_, item): &(usize, Value)| {
        let id = item["id"].as_str().unwrap_or("");
        format!("{base_url}/v2/transcript?{filters}&{bound}={id}")
    };
    // `matching` is oldest first: older (newer) transcripts exist when its first (last) entry
    // lies beyond the page's edge.
    let prev_url = page
        .first()
        .filter(|(edge, _)| matching[0].0 < *edge)
        .map(|edge| url("before_id", edge));
    let next_url = page
        .last()
        .filter(|(edge, _)| matching[matching.len() - 1].0 > *edge)
        .map(|edge| url("after_id", edge));
    let current_url = match req.raw_query.as_str() {
        "" => format!("{base_url}/v2/transcript"),
        query => format!("{base_url}/v2/transcript?{query}"),
    };
    let transcripts: Vec<&Value> = page.iter().rev().map(|(_, item)| item).collect();
    Ok(json!({
        "page_details": {
            "limit": limit,
            "result_count": transcripts.len(),
            "current_url": current_url,
            "prev_url": prev_url,
            "next_url": next_url,
        },
        "transcripts": transcripts,
    }))
}

/// Whether `s` looks like `YYYY-MM-DD`.
fn is_date(s: &str) -> bool {
    s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        })
}
