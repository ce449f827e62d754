//! Deserialization helpers that accept what the live API sends rather than
//! what the spec promises: `null` where a value is "required", floats where
//! an integer is declared, short timestamp pairs.
//!
//! Each one exists because failing a whole 18 MB transcript over one odd
//! field is worse than a zero in that field.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// A required field that may arrive as `null` or not at all: both become
/// `T::default()`. Use with `#[serde(default, deserialize_with = "...")]`.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// An optional integer that the spec declares as an integer but that is
/// also accepted as a JSON float (rounded), since the same quantity is an
/// integer in one schema and a number in another (`audio_duration`).
pub(crate) fn opt_i64_from_number<'de, D>(deserializer: D) -> Result<Option<i64>, D::Error>
where
    D: Deserializer<'de>,
{
    struct NumberVisitor;

    impl<'de> Visitor<'de> for NumberVisitor {
        type Value = Option<i64>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number or null")
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
            Ok(Some(value))
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
            i64::try_from(value)
                .map(Some)
                .map_err(|_| E::custom("integer out of range"))
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
            // `as` saturates and maps NaN to 0, which is the lenient outcome we want.
            Ok(Some(value.round() as i64))
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    deserializer.deserialize_option(NumberVisitor)
}

/// An optional map of texts by key (translations by language code) in which
/// an entry whose value is not a string, e.g. `null` for a language whose
/// translation failed, is left out instead of failing the whole transcript.
/// The spec types the map as an object open to any value.
pub(crate) fn opt_text_map<'de, D>(
    deserializer: D,
) -> Result<Option<BTreeMap<String, String>>, D::Error>
where
    D: Deserializer<'de>,
{
    let map: Option<BTreeMap<String, serde_json::Value>> = Option::deserialize(deserializer)?;
    Ok(map.map(|map| {
        map.into_iter()
            .filter_map(|(key, value)| match value {
                serde_json::Value::String(text) => Some((key, text)),
                _ => None,
            })
            .collect()
    }))
}

/// Word-search timestamps: `[[start, end], ...]`. A pair with a missing
/// element gets 0 there and extra elements are dropped, instead of failing.
pub(crate) fn timestamp_pairs<'de, D>(deserializer: D) -> Result<Vec<[i64; 2]>, D::Error>
where
    D: Deserializer<'de>,
{
    let pairs: Option<Vec<Option<Vec<i64>>>> = Option::deserialize(deserializer)?;
    Ok(pairs
        .unwrap_or_default()
        .into_iter()
        .map(|pair| {
            let pair = pair.unwrap_or_default();
            [
                pair.first().copied().unwrap_or(0),
                pair.get(1).copied().unwrap_or(0),
            ]
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Sample {
        #[serde(default, deserialize_with = "super::null_as_default")]
        text: String,
        #[serde(default, deserialize_with = "super::opt_i64_from_number")]
        seconds: Option<i64>,
        #[serde(default, deserialize_with = "super::timestamp_pairs")]
        pairs: Vec<[i64; 2]>,
        #[serde(default, deserialize_with = "super::opt_text_map")]
        texts: Option<std::collections::BTreeMap<String, String>>,
    }

    fn parse(json: &str) -> Sample {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn null_and_absent_required_fields_become_defaults() {
        let expected = Sample {
            text: String::new(),
            seconds: None,
            pairs: vec![],
            texts: None,
        };
        assert_eq!(
            parse(r#"{"text": null, "seconds": null, "pairs": null, "texts": null}"#),
            expected
        );
        assert_eq!(parse("{}"), expected);
    }

    #[test]
    fn integer_fields_accept_floats_rounded() {
        assert_eq!(parse(r#"{"seconds": 281}"#).seconds, Some(281));
        assert_eq!(parse(r#"{"seconds": 281.6}"#).seconds, Some(282));
        assert_eq!(parse(r#"{"seconds": -3}"#).seconds, Some(-3));
    }

    #[test]
    fn integer_fields_reject_strings() {
        assert!(serde_json::from_str::<Sample>(r#"{"seconds": "281"}"#).is_err());
    }

    #[test]
    fn text_maps_keep_the_texts_and_drop_other_values() {
        let sample = parse(r#"{"texts": {"es": "Hola", "de": null, "fr": 3, "it": ["x"]}}"#);
        let texts = sample.texts.unwrap();
        assert_eq!(texts.len(), 1);
        assert_eq!(texts["es"], "Hola");
    }

    #[test]
    fn short_and_long_timestamp_pairs_are_padded_or_cut() {
        let sample = parse(r#"{"pairs": [[1, 2], [3], [4, 5, 6], null]}"#);
        assert_eq!(sample.pairs, [[1, 2], [3, 0], [4, 5], [0, 0]]);
    }
}
