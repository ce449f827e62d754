//! The server's JSON text, kept beside a parsed reply when the client is
//! built with `keep_raw_json`, so a reply can be stored or printed exactly
//! as sent: the typed fields coerce and drop what doesn't fit
//! (see `lenient`), the text keeps everything.

use std::fmt;

/// The kept text: a cache of the same data in another form, so it takes no
/// part in equality, and `Debug` shows its size rather than megabytes of JSON.
#[derive(Clone, Default)]
pub(crate) struct RawJson(pub(crate) Option<Box<str>>);

/// A key `raw_json` in a reply is not this cache: it is skipped.
impl super::lenient::Coerce for RawJson {}

impl super::lenient::Lenient for RawJson {
    fn lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        super::lenient::fit(d)
    }
}

impl PartialEq for RawJson {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for RawJson {}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(json) => write!(f, "Some(<{} bytes>)", json.len()),
            None => f.write_str("None"),
        }
    }
}

/// A reply that can keep its JSON text (in a private `raw_json` field).
pub(crate) trait KeepsRawJson {
    /// Keeps `json`, the text this value was parsed from.
    fn set_raw_json(&mut self, json: Box<str>);
}

/// Gives each type (with a `raw_json: RawJson` field) its `raw_json()`
/// accessor and [`KeepsRawJson`].
macro_rules! keeps_raw_json {
    ($($name:ident),+) => {$(
        impl $name {
            /// The JSON text exactly as the server sent it, when the client
            /// keeps it (`ClientBuilder::keep_raw_json`): fields this crate
            /// doesn't know and values it coerced or dropped included.
            pub fn raw_json(&self) -> Option<&str> {
                self.raw_json.0.as_deref()
            }
        }

        impl $crate::types::raw::KeepsRawJson for $name {
            fn set_raw_json(&mut self, json: Box<str>) {
                self.raw_json = $crate::types::raw::RawJson(Some(json));
            }
        }
    )+};
}

pub(crate) use keeps_raw_json;
