//! Listing transcripts: one page, or every page from newest to oldest.

use crate::request::{Call, encode_query};
use crate::{Client, Error, ListQuery, Result, TranscriptList, TranscriptListItem};

impl ListQuery {
    /// The list endpoint's path with this query's parameters.
    pub(crate) fn to_path(&self) -> String {
        let mut path = "/v2/transcript".to_owned();
        for (index, (name, value)) in self.to_query_pairs().into_iter().enumerate() {
            path.push(if index == 0 { '?' } else { '&' });
            path.push_str(name);
            path.push('=');
            path.push_str(&encode_query(&value));
        }
        path
    }
}

impl Client {
    /// Fetches one page of transcripts, newest first. The API lists the last
    /// 90 days only.
    ///
    /// ```no_run
    /// use assemblyai::{Client, ListQuery, TranscriptStatus};
    ///
    /// let client = Client::from_env()?;
    /// let mut query = ListQuery::default();
    /// query.status = Some(TranscriptStatus::Error);
    /// for item in client.list_transcripts(&query)?.transcripts {
    ///     println!("{} {}", item.id, item.error.unwrap_or_default());
    /// }
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for a query out of
    /// range (e.g. `limit` over 200), API and transport errors.
    pub fn list_transcripts(&self, query: &ListQuery) -> Result<TranscriptList> {
        query.validate()?;
        self.fetch_json(Call::get(query.to_path()))
    }

    /// Every transcript matching `query`, newest to oldest, fetching pages as
    /// the iterator advances. `query.before_id` is where it starts (exclusive);
    /// `query.after_id` is refused (it would walk the other way).
    ///
    /// ```no_run
    /// use assemblyai::{Client, ListQuery};
    ///
    /// let client = Client::from_env()?;
    /// for item in client.list_all_transcripts(&ListQuery::default()) {
    ///     let item = item?;
    ///     println!("{} {}", item.id, item.status);
    /// }
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// The iterator yields an error at most once, then ends.
    pub fn list_all_transcripts(&self, query: &ListQuery) -> AllTranscripts {
        AllTranscripts {
            client: self.clone(),
            query: Some(query.clone()),
            cursor: None,
            page: Vec::new().into_iter(),
        }
    }
}

/// The iterator returned by [`Client::list_all_transcripts`].
#[derive(Debug)]
pub struct AllTranscripts {
    client: Client,
    /// The query for the next page, `None` once the oldest page was fetched.
    query: Option<ListQuery>,
    /// The id the next page must be older than, when this iterator chose it.
    cursor: Option<String>,
    page: std::vec::IntoIter<TranscriptListItem>,
}

impl Iterator for AllTranscripts {
    type Item = Result<TranscriptListItem>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.page.next() {
                return Some(Ok(item));
            }
            let query = self.query.take()?;
            if query.after_id.is_some() && self.cursor.is_none() {
                return Some(Err(Error::invalid_input(
                    "listing every page walks from newest to oldest, so it takes before_id \
                     (where to start) but not after_id; list one page with after_id instead",
                )));
            }
            let list = match self.client.list_transcripts(&query) {
                Ok(list) => list,
                Err(error) => return Some(Err(error)),
            };
            // A page asked for as older than an item, yet holding that item,
            // means the server ignores the cursor (a mock, a proxy's cache):
            // walking on would repeat it forever.
            if let Some(cursor) = self.cursor.take() {
                if list.transcripts.iter().any(|item| item.id == cursor) {
                    return None;
                }
            }
            // `prev_url` points at older transcripts; it is null on the last
            // page. The next page is asked for by id, from this host, rather
            // than by following a URL the reply chose.
            if list.page_details.prev_url.is_some() {
                if let Some(oldest) = list.transcripts.last() {
                    let mut next = query;
                    next.before_id = Some(oldest.id.clone());
                    next.after_id = None;
                    self.cursor = next.before_id.clone();
                    self.query = Some(next);
                }
            }
            self.page = list.transcripts.into_iter();
        }
    }
}
