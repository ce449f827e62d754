//! A minimal JSON value that conforms to a JSON Schema: what the emulator
//! answers for `response_format: json_schema`, so a client can check its
//! handling of structured output against a reply that validates.

use serde_json::{Map, Value, json};

/// A value matching `schema`; strings are `text` (cut to the schema's
/// `maxLength`) unless the schema fixes them.
pub(super) fn conforming(schema: &Value, text: &str) -> Value {
    conform(schema, text, 0)
}

fn conform(schema: &Value, text: &str, depth: usize) -> Value {
    if depth > 32 {
        return Value::Null;
    }
    if let Some(value) = schema.get("const") {
        return value.clone();
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    for combinator in ["anyOf", "oneOf", "allOf"] {
        if let Some(first) = schema
            .get(combinator)
            .and_then(Value::as_array)
            .and_then(|s| s.first())
        {
            return conform(first, text, depth + 1);
        }
    }
    let kind = match &schema["type"] {
        Value::String(kind) => kind.as_str(),
        // A list of types: the first that is not null.
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null")
            .unwrap_or("null"),
        _ if schema.get("properties").is_some() => "object",
        _ if schema.get("items").is_some() => "array",
        _ => "string",
    };
    match kind {
        "object" => {
            let mut object = Map::new();
            if let Some(properties) = schema["properties"].as_object() {
                for (name, property) in properties {
                    object.insert(name.clone(), conform(property, text, depth + 1));
                }
            }
            Value::Object(object)
        }
        "array" => {
            let least = schema["minItems"].as_u64().unwrap_or(1).max(1);
            let most = schema["maxItems"].as_u64().unwrap_or(least);
            let item = conform(&schema["items"], text, depth + 1);
            Value::Array(vec![item; least.min(most).min(16) as usize])
        }
        "integer" => json!(
            schema["minimum"].as_i64().unwrap_or(0).max(
                schema["exclusiveMinimum"]
                    .as_i64()
                    .map_or(i64::MIN, |m| m + 1)
            )
        ),
        "number" => json!(schema["minimum"].as_f64().unwrap_or(0.0)),
        "boolean" => json!(true),
        "null" => Value::Null,
        _ => {
            let most = schema["maxLength"].as_u64().unwrap_or(u64::MAX) as usize;
            let least = schema["minLength"].as_u64().unwrap_or(0) as usize;
            let mut string: String = text.chars().take(most).collect();
            while string.chars().count() < least {
                string.push('x');
            }
            Value::String(string)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_required_property_gets_a_value_of_its_type() {
        let schema = json!({
            "type": "object",
            "properties": {
                "summary": {"type": "string", "maxLength": 5},
                "sentiment": {"enum": ["positive", "negative"]},
                "score": {"type": "integer", "minimum": 3},
                "items": {"type": "array", "items": {"type": "object", "properties": {"done": {"type": "boolean"}}}},
                "maybe": {"type": ["null", "number"]}
            },
            "required": ["summary", "sentiment", "score", "items"]
        });
        assert_eq!(
            conforming(&schema, "answer text"),
            json!({"summary": "answe", "sentiment": "positive", "score": 3, "items": [{"done": true}], "maybe": 0.0})
        );
    }
}
