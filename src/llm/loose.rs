//! Reading the gateway's replies loosely: its Go server sends `null` for
//! empty lists and adds fields over time, so a field that does not fit is
//! dropped alone rather than losing the whole (paid) answer.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// `Some(value)` when the field parses as `T`, else `None`.
pub(crate) fn loose<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Option<T>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(serde_json::from_value(value).ok())
}

/// The list, with `null` or a value of another type read as empty and
/// entries that do not parse left out.
pub(crate) fn loose_list<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(match value {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|item| serde_json::from_value(item).ok())
            .collect(),
        _ => Vec::new(),
    })
}
