//! One clip request, and the pre-connect, on the client's one request path.

use serde::de::DeserializeOwned;

use super::body::ClipBody;
use crate::request::{Call, Payload, Safety};
use crate::types::raw::KeepsRawJson;
use crate::{Client, Result, Service};

/// The unauthenticated pre-connect both services answer.
const WARM_PATH: &str = "/v1/warm";

impl Client {
    /// POSTs `body` to `path` of `service` and decodes the reply, retrying
    /// as [`Safety::Clip`] allows (the body starts over each time).
    pub(crate) fn send_clip<T: DeserializeOwned + KeepsRawJson>(
        &self,
        service: Service,
        path: &str,
        body: &mut ClipBody<'_>,
        headers: &[(&'static str, String)],
    ) -> Result<T> {
        let content_type = body.content_type();
        let mut call = Call::post(
            path,
            Payload::Replayable {
                body,
                content_type: &content_type,
            },
            Safety::Clip,
        )
        .on(service);
        for (name, value) in headers {
            call = call.header(name, value.clone());
        }
        let reply = self.fetch(call)?;
        self.decode_kept(reply)
    }

    /// Opens a connection to `service` ahead of a clip (DNS, TCP, TLS), so
    /// the clip pays none of it: the client's agent keeps it for the next
    /// request to the same host. Any answer means the connection is open.
    pub(crate) fn warm_service(
        &self,
        service: Service,
        headers: &[(&'static str, String)],
    ) -> Result<()> {
        let mut call = Call::get(WARM_PATH.to_owned()).on(service).without_key();
        for (name, value) in headers {
            call = call.header(name, value.clone());
        }
        match self.fetch(call) {
            Ok(_) => Ok(()),
            Err(err) if err.status().is_some() => Ok(()),
            Err(err) => Err(err),
        }
    }
}
