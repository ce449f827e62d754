//! `GET /v1/models`: the gateway's catalogue, which changes month to month,
//! so that nothing here names a model.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::loose::{loose, loose_list};

/// The gateway's models (`GET /v1/models`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModelList {
    /// The models, in the gateway's order.
    #[serde(default, deserialize_with = "loose_list")]
    pub data: Vec<Model>,
    /// Anything else, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One model the gateway serves. Only `id` is sure to be there.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Model {
    /// The id to send as `model`, e.g. `claude-sonnet-4-6`.
    pub id: String,
    /// A display name.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// What it is good at.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// Who made it (`anthropic`, `openai`, `google`, ...).
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub creator: Option<String>,
    /// The most tokens of prompt and answer together.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub context_length: Option<u64>,
    /// Regions it runs in (`us`, `eu`, `global`).
    #[serde(
        default,
        deserialize_with = "loose_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub available_regions: Vec<String>,
    /// The request fields it takes (`response_format`, `tools`, ...).
    #[serde(
        default,
        deserialize_with = "loose_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub supported_parameters: Vec<String>,
    /// Prices per token, by routing (`global`, `us`, `eu`).
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub pricing: Option<Pricing>,
    /// When it stops being served, in Unix seconds; 0 or absent when no date
    /// is announced.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub retirement_date: Option<i64>,
    /// Everything else (`top_provider`, `providers`, `default_parameters`,
    /// ...), kept as sent: the two official SDKs disagree on their shapes.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Model {
    /// Whether a retirement date is announced.
    pub fn is_retiring(&self) -> bool {
        self.retirement_date.is_some_and(|date| date > 0)
    }

    /// Whether it takes `parameter` (e.g. `response_format`), by its
    /// `supported_parameters`; `None` when the catalogue does not say.
    pub fn supports(&self, parameter: &str) -> Option<bool> {
        if self.supported_parameters.is_empty() {
            return None;
        }
        Some(self.supported_parameters.iter().any(|p| p == parameter))
    }
}

/// A model's prices by routing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Pricing {
    /// Routed anywhere (`model_region: "global"`).
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub global: Option<Price>,
    /// Kept in the US.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub us: Option<Price>,
    /// Kept in the EU.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub eu: Option<Price>,
    /// Anything else, kept as sent (`regional_increase_percent`, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Prices in US dollars per token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Price {
    /// Per prompt token.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub prompt: Option<f64>,
    /// Per answer token.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub completions: Option<f64>,
    /// Anything else, kept as sent (cache prices).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalogue_entry_in_either_sdks_shape_parses_and_odd_fields_drop_alone() {
        let list: ModelList = serde_json::from_str(
            r#"{"data":[{"id":"m1","context_length":200000,"available_regions":["us","eu"],
                "pricing":{"global":{"prompt":0.000003,"completions":0.000015}},
                "providers":[{"id":"p","name":"P"}],"retirement_date":0},
               {"id":"m2","context_length":"lots","providers":["x"],"retirement_date":1790000000},
               {"name":"no id"}]}"#,
        )
        .unwrap();
        assert_eq!(list.data.len(), 2);
        assert_eq!(list.data[0].context_length, Some(200_000));
        assert!(!list.data[0].is_retiring());
        assert_eq!(list.data[1].context_length, None);
        assert!(list.data[1].is_retiring());
        assert!(list.data[1].extra.contains_key("providers"));
    }
}
