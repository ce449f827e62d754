//! How every response type parses what the live API really sends rather
//! than what the spec promises.
//!
//! Recorded replies of 2020 to 2026 carry booleans as strings (`"true"`),
//! floats where integers are documented and integers where floats are,
//! `null` or nothing where a value is "required", `{}` for a result object
//! that isn't there yet, and keys and enum values the spec never listed. The
//! rule: **a field that doesn't fit never loses the reply.** It is coerced
//! where the meaning is certain and dropped otherwise (`None`, or the field's
//! default for a field that is not an `Option`), and the rest parses.
//!
//! The rule is one mechanism, not an attribute per field: every response
//! struct is declared through [`lenient_struct!`], which gives each field the
//! same treatment through the [`Lenient`] trait, so a field added later gets it
//! too. Only the fields a struct names as `required` (a transcript's `id` and
//! `status`) can fail the parse, and only by being absent or unusable.
//!
//! Coercions, by the type the field has:
//!
//! | field | accepted | coerced | dropped |
//! |---|---|---|---|
//! | `bool` | `true`, `false` | `"true"`/`"false"` (any case), `1`/`0`, `"1"`/`"0"` | anything else |
//! | `i64` | integers | `36.0` → 36; `36.288` → 36 (rounded); `"36"`, `"36.5"` as numbers | out of range, non-finite, other |
//! | `f64` | numbers | `1` → 1.0; `"0.5"` | non-finite, other |
//! | `String` | strings | numbers (`1.0` as `1`) and booleans as their JSON text | arrays, objects |
//! | enums | strings (unknown ones kept as `Other`) | | non-strings |
//! | lists | arrays | | a non-array; an element that doesn't fit is left out |
//! | maps | objects | | a non-object; an entry that doesn't fit is left out |
//! | structs | objects | | `{}` (a result object not produced yet) and non-objects |
//!
//! A fractional number for an integer field is rounded rather than dropped:
//! every integer in these types is a measure (milliseconds, seconds, a count)
//! and the float is the same measure more finely (`audio_duration: 36.288`
//! is 36 s to the field's precision); dropping it would lose more than the
//! rounding does. `null` always means "not there". The JSON text itself is
//! never touched: what must stay lossless comes from the kept raw text
//! ([`Transcript::raw_json`](crate::Transcript::raw_json)), not from these types.
//!
//! Cost: one `deserialize_any` per value, the same dispatch serde_json does
//! for a typed field, so the typed parse keeps its speed (BENCHMARKS.md).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A type that parses leniently: `Ok(None)` when the value does not fit,
/// an error only when the input is not JSON at all.
pub(crate) trait Lenient: Sized {
    /// The value if it fits (after coercion), else `None`; the value is
    /// consumed either way.
    fn lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error>;
}

/// What a type makes of each kind of JSON value; every kind it doesn't
/// override does not fit. Drives [`Fit`], the one visitor of all lenient types.
pub(crate) trait Coerce: Sized {
    /// From a JSON boolean.
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
    /// From a negative JSON integer.
    fn from_i64(_: i64) -> Option<Self> {
        None
    }
    /// From a non-negative JSON integer.
    fn from_u64(_: u64) -> Option<Self> {
        None
    }
    /// From a JSON number with a fraction or exponent.
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
    /// From a JSON string.
    fn from_str(_: &str) -> Option<Self> {
        None
    }
    /// From an owned JSON string (parsing from a `serde_json::Value`).
    fn from_string(text: String) -> Option<Self> {
        Self::from_str(&text)
    }
    /// From a JSON array; the elements must all be consumed.
    fn from_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<Option<Self>, A::Error> {
        skip_seq(seq).map(|()| None)
    }
    /// From a JSON object; the entries must all be consumed.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        skip_map(map).map(|()| None)
    }
}

/// Consumes the rest of an array.
pub(crate) fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Consumes the rest of an object.
pub(crate) fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// The visitor of every [`Coerce`] type: accepts any JSON value and asks
/// `T` what it makes of it.
pub(crate) struct Fit<T>(PhantomData<T>);

/// `deserializer.deserialize_any` with [`Fit`]: the body of most `Lenient` impls.
pub(crate) fn fit<'de, D: Deserializer<'de>, T: Coerce>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    deserializer.deserialize_any(Fit(PhantomData))
}

impl<'de, T: Coerce> Visitor<'de> for Fit<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(T::from_bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(T::from_i64(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(T::from_u64(value))
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Self::Value, E> {
        Ok(i64::try_from(value).ok().and_then(T::from_i64))
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Self::Value, E> {
        Ok(u64::try_from(value).ok().and_then(T::from_u64))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Ok(T::from_f64(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(T::from_str(value))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(T::from_string(value))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::from_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::from_map(map)
    }
}

/// Parses one value of `T` leniently: for `next_value_seed` and `next_element_seed`.
pub(crate) struct Seed<T>(PhantomData<T>);

impl<T> Seed<T> {
    pub(crate) fn new() -> Self {
        Seed(PhantomData)
    }
}

impl<'de, T: Lenient> DeserializeSeed<'de> for Seed<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        T::lenient(deserializer)
    }
}

/// Declares `Lenient` for types whose `Coerce` says it all.
macro_rules! lenient_by_coerce {
    ($($ty:ty),+) => {$(
        impl Lenient for $ty {
            fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
                fit(d)
            }
        }
    )+};
}

lenient_by_coerce!(bool, i64, f64, String);

impl Coerce for bool {
    fn from_bool(value: bool) -> Option<Self> {
        Some(value)
    }

    fn from_u64(value: u64) -> Option<Self> {
        match value {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn from_str(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("true") || text == "1" {
            Some(true)
        } else if text.eq_ignore_ascii_case("false") || text == "0" {
            Some(false)
        } else {
            None
        }
    }
}

impl Coerce for i64 {
    fn from_i64(value: i64) -> Option<Self> {
        Some(value)
    }

    fn from_u64(value: u64) -> Option<Self> {
        i64::try_from(value).ok()
    }

    fn from_f64(value: f64) -> Option<Self> {
        // Bounds as floats: i64::MAX rounds up to 2^63, which is out of range.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        let rounded = value.round();
        (rounded.is_finite() && (-LIMIT..LIMIT).contains(&rounded)).then_some(rounded as i64)
    }

    fn from_str(text: &str) -> Option<Self> {
        let text = text.trim();
        text.parse::<i64>()
            .ok()
            .or_else(|| text.parse::<f64>().ok().and_then(Self::from_f64))
    }
}

impl Coerce for f64 {
    fn from_i64(value: i64) -> Option<Self> {
        Some(value as f64)
    }

    fn from_u64(value: u64) -> Option<Self> {
        Some(value as f64)
    }

    fn from_f64(value: f64) -> Option<Self> {
        value.is_finite().then_some(value)
    }

    fn from_str(text: &str) -> Option<Self> {
        text.trim().parse::<f64>().ok().and_then(Self::from_f64)
    }
}

impl Coerce for String {
    fn from_bool(value: bool) -> Option<Self> {
        Some(value.to_string())
    }

    fn from_i64(value: i64) -> Option<Self> {
        Some(value.to_string())
    }

    fn from_u64(value: u64) -> Option<Self> {
        Some(value.to_string())
    }

    fn from_f64(value: f64) -> Option<Self> {
        // A whole number is the same label however it was written (`1.0` for
        // channel "1"); any other is serde_json's own text, e.g. `36.288`.
        const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
        if value.fract() == 0.0 && value.abs() < EXACT {
            return Some((value as i64).to_string());
        }
        serde_json::Number::from_f64(value).map(|number| number.to_string())
    }

    fn from_str(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }

    fn from_string(text: String) -> Option<Self> {
        Some(text)
    }
}

impl<T: Lenient> Lenient for Option<T> {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        Ok(T::lenient(d)?.map(Some))
    }
}

impl<T: Lenient> Coerce for Vec<T> {
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(Seed::<T>::new())? {
            if let Some(item) = item {
                items.push(item);
            }
        }
        Ok(Some(items))
    }
}

impl<T: Lenient> Lenient for Vec<T> {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        fit(d)
    }
}

impl<T: Lenient> Coerce for BTreeMap<String, T> {
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut entries = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            if let Some(value) = map.next_value_seed(Seed::<T>::new())? {
                entries.insert(key, value);
            }
        }
        Ok(Some(entries))
    }
}

impl<T: Lenient> Lenient for BTreeMap<String, T> {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        fit(d)
    }
}

/// A `[start, end]` pair (word search): a missing or unusable element reads
/// as 0 and elements past the second are ignored, so a short pair keeps its
/// place beside the `indexes` it matches.
impl Coerce for [i64; 2] {
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let start = seq.next_element_seed(Seed::<i64>::new())?;
        let end = match start {
            Some(_) => seq.next_element_seed(Seed::<i64>::new())?,
            None => None,
        };
        skip_seq(seq)?;
        Ok(Some([
            start.flatten().unwrap_or(0),
            end.flatten().unwrap_or(0),
        ]))
    }
}

impl Lenient for [i64; 2] {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        fit(d)
    }
}

/// Any JSON; only `null` does not fit.
impl Lenient for serde_json::Value {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        Ok((!value.is_null()).then_some(value))
    }
}

/// A struct read from a JSON object by [`lenient_struct!`].
pub(crate) struct Read<T> {
    /// The struct, or the name of a required field that was missing.
    pub(crate) value: Result<T, &'static str>,
    /// Whether the object had any entry at all: `{}` is "no result yet".
    pub(crate) any: bool,
}

/// What [`lenient_struct!`] generates and the shared code below uses.
pub(crate) trait LenientStruct: Sized {
    /// The struct's name, for errors.
    const NAME: &'static str;
    /// Reads the struct's fields from an object, consuming all of it.
    fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Read<Self>, A::Error>;
}

/// A nested struct: `Some` when the object holds something usable.
pub(crate) fn struct_from_map<'de, A: MapAccess<'de>, T: LenientStruct>(
    map: A,
) -> Result<Option<T>, A::Error> {
    let read = T::read(map)?;
    Ok(if read.any { read.value.ok() } else { None })
}

/// A whole reply: must be an object, must have its required fields.
pub(crate) fn deserialize_struct<'de, D: Deserializer<'de>, T: LenientStruct>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct Whole<T>(PhantomData<T>);

    impl<'de, T: LenientStruct> Visitor<'de> for Whole<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} object", T::NAME)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::read(map)?.value.map_err(de::Error::missing_field)
        }
    }

    deserializer.deserialize_map(Whole(PhantomData))
}

/// Declares a response struct whose every field parses by the rule of this
/// module. Field attributes (docs, `serde` serialization attributes,
/// `deprecated`) pass through; the struct's derives must not include
/// `Deserialize`, which is generated (the `echo` form keeps a derived,
/// strict `Deserialize` for request types that responses also carry, and
/// generates only the lenient parse).
///
/// ```text
/// lenient_struct! {
///     required(id, status);       // optional: fields whose absence fails the parse
///     /// Docs.
///     #[derive(Debug, Serialize)]
///     pub struct Thing { /// Docs.
///         pub id: String, ... }
/// }
/// ```
macro_rules! lenient_struct {
    (
        $(required($($required:ident),+);)?
        $(#[$meta:meta])*
        pub struct $name:ident $fields:tt
    ) => {
        $crate::types::lenient::lenient_struct!(@echo
            $(required($($required),+);)?
            $(#[$meta])*
            pub struct $name $fields
        );

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::types::lenient::deserialize_struct(d)
            }
        }
    };
    (
        @echo
        $(required($($required:ident),+);)?
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $vis:vis $field:ident : $ty:ty,
            )*
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $(
                $(#[$field_meta])*
                $vis $field: $ty,
            )*
        }

        #[allow(deprecated)] // deprecated fields still parse
        impl $crate::types::lenient::LenientStruct for $name {
            const NAME: &'static str = stringify!($name);

            fn read<'de, A: serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> Result<$crate::types::lenient::Read<Self>, A::Error> {
                use $crate::types::lenient::Seed;

                #[allow(non_camel_case_types)]
                enum Key { $($field,)* Unknown }

                struct KeyVisitor;

                impl serde::de::Visitor<'_> for KeyVisitor {
                    type Value = Key;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a field name")
                    }

                    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Key, E> {
                        Ok(match name {
                            $(stringify!($field) => Key::$field,)*
                            _ => Key::Unknown,
                        })
                    }
                }

                struct KeySeed;

                impl<'de> serde::de::DeserializeSeed<'de> for KeySeed {
                    type Value = Key;

                    fn deserialize<D: serde::Deserializer<'de>>(
                        self,
                        d: D,
                    ) -> Result<Key, D::Error> {
                        d.deserialize_identifier(KeyVisitor)
                    }
                }

                $(let mut $field: Option<$ty> = None;)*
                let mut any = false;
                while let Some(key) = map.next_key_seed(KeySeed)? {
                    any = true;
                    match key {
                        $(
                            // A later duplicate that fits replaces an earlier one.
                            Key::$field => {
                                if let Some(value) = map.next_value_seed(Seed::<$ty>::new())? {
                                    $field = Some(value);
                                }
                            }
                        )*
                        Key::Unknown => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                $($(
                    if $required.is_none() {
                        return Ok($crate::types::lenient::Read {
                            value: Err(stringify!($required)),
                            any,
                        });
                    }
                )+)?
                Ok($crate::types::lenient::Read {
                    value: Ok($name { $($field: $field.unwrap_or_default(),)* }),
                    any,
                })
            }
        }

        impl $crate::types::lenient::Coerce for $name {
            fn from_map<'de, A: serde::de::MapAccess<'de>>(
                map: A,
            ) -> Result<Option<Self>, A::Error> {
                $crate::types::lenient::struct_from_map(map)
            }
        }

        impl $crate::types::lenient::Lenient for $name {
            fn lenient<'de, D: serde::Deserializer<'de>>(
                d: D,
            ) -> Result<Option<Self>, D::Error> {
                $crate::types::lenient::fit(d)
            }
        }
    };
}

pub(crate) use lenient_struct;

/// A required field that may arrive as `null` or not at all: both become
/// `T::default()`. For the derived, strict `Deserialize` of request types.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    lenient_struct! {
        required(id);
        /// A test struct with one field of each kind.
        #[derive(Debug, Default, PartialEq)]
        pub struct Sample {
            id: String,
            flag: Option<bool>,
            count: i64,
            share: Option<f64>,
            text: Option<String>,
            list: Option<Vec<i64>>,
            texts: Option<BTreeMap<String, String>>,
            pairs: Vec<[i64; 2]>,
            inner: Option<Inner>,
        }
    }

    lenient_struct! {
        /// A nested struct.
        #[derive(Debug, Default, PartialEq)]
        pub struct Inner {
            n: i64,
        }
    }

    fn parse(json: &str) -> Sample {
        serde_json::from_str(json).unwrap()
    }

    fn field(json: &str) -> Sample {
        parse(&format!(r#"{{"id": "x", {json}}}"#))
    }

    #[test]
    fn booleans_accept_their_string_and_number_forms_only() {
        for (json, expected) in [
            ("true", Some(true)),
            (r#""true""#, Some(true)),
            (r#""False""#, Some(false)),
            ("1", Some(true)),
            ("0", Some(false)),
            (r#""0""#, Some(false)),
            ("2", None),
            (r#""yes""#, None),
            ("[true]", None),
            ("{}", None),
        ] {
            assert_eq!(
                field(&format!(r#""flag": {json}"#)).flag,
                expected,
                "{json}"
            );
        }
    }

    #[test]
    fn integers_accept_floats_rounded_and_numeric_strings() {
        for (json, expected) in [
            ("281", 281),
            ("36.0", 36),
            ("36.288", 36),
            ("281.6", 282),
            ("-3", -3),
            (r#""42""#, 42),
            (r#"" 36.5 ""#, 37),
            ("1e300", 0),
            ("18446744073709551615", 0),
            (r#""many""#, 0),
            ("null", 0),
            ("true", 0),
        ] {
            assert_eq!(
                field(&format!(r#""count": {json}"#)).count,
                expected,
                "{json}"
            );
        }
    }

    #[test]
    fn floats_accept_integers_and_numeric_strings() {
        assert_eq!(field(r#""share": 1"#).share, Some(1.0));
        assert_eq!(field(r#""share": "0.25""#).share, Some(0.25));
        assert_eq!(field(r#""share": "NaN""#).share, None);
        assert_eq!(field(r#""share": false"#).share, None);
    }

    #[test]
    fn strings_accept_scalars_as_their_json_text() {
        assert_eq!(field(r#""text": 1"#).text.as_deref(), Some("1"));
        assert_eq!(field(r#""text": 36.288"#).text.as_deref(), Some("36.288"));
        assert_eq!(field(r#""text": 1.0"#).text.as_deref(), Some("1"));
        assert_eq!(field(r#""text": -2e3"#).text.as_deref(), Some("-2000"));
        assert_eq!(field(r#""text": 1e300"#).text.as_deref(), Some("1e+300"));
        assert_eq!(field(r#""text": true"#).text.as_deref(), Some("true"));
        assert_eq!(field(r#""text": null"#).text, None);
        assert_eq!(field(r#""text": {"a": [1]}"#).text, None);
    }

    #[test]
    fn lists_and_maps_keep_what_fits_and_drop_the_rest() {
        let sample = field(
            r#""list": [1, "x", 2.0, null, [3]], "texts": {"es": "Hola", "de": null, "fr": 3, "it": ["x"]}"#,
        );
        assert_eq!(sample.list, Some(vec![1, 2]));
        let texts = sample.texts.unwrap();
        assert_eq!(texts.len(), 2);
        assert_eq!((texts["es"].as_str(), texts["fr"].as_str()), ("Hola", "3"));
        assert_eq!(field(r#""list": "1,2""#).list, None);
        assert_eq!(field(r#""texts": []"#).texts, None);
    }

    #[test]
    fn short_and_long_timestamp_pairs_are_padded_or_cut() {
        let sample = field(r#""pairs": [[1, 2], [3], [4, 5, 6], [], null, "7"]"#);
        assert_eq!(sample.pairs, [[1, 2], [3, 0], [4, 5], [0, 0]]);
    }

    #[test]
    fn an_empty_object_or_a_non_object_is_no_nested_struct() {
        assert_eq!(field(r#""inner": {}"#).inner, None);
        assert_eq!(field(r#""inner": "x""#).inner, None);
        assert_eq!(field(r#""inner": {"n": "4"}"#).inner, Some(Inner { n: 4 }));
        assert_eq!(
            field(r#""inner": {"other": 1}"#).inner,
            Some(Inner { n: 0 })
        );
    }

    #[test]
    fn null_and_absent_fields_become_defaults_and_unknown_keys_are_skipped() {
        let expected = Sample {
            id: "x".into(),
            ..Sample::default()
        };
        assert_eq!(
            field(r#""count": null, "list": null, "pairs": null"#),
            expected
        );
        assert_eq!(
            field(r#""later": {"deep": [1, {"a": null}]}, "old_key": [true]"#),
            expected
        );
    }

    #[test]
    fn a_later_duplicate_replaces_an_earlier_one_when_it_fits() {
        assert_eq!(field(r#""count": 1, "count": 2"#).count, 2);
        assert_eq!(field(r#""count": 1, "count": "x""#).count, 1);
    }

    #[test]
    fn required_fields_are_required_in_any_usable_form() {
        assert_eq!(parse(r#"{"id": 7}"#).id, "7");
        for json in [r#"{}"#, r#"{"id": null}"#, r#"{"id": [1]}"#] {
            let err = serde_json::from_str::<Sample>(json).unwrap_err();
            assert!(
                err.to_string().contains("missing field `id`"),
                "{json}: {err}"
            );
        }
    }

    #[test]
    fn a_whole_reply_must_be_an_object_and_json() {
        let err = serde_json::from_str::<Sample>("[1]").unwrap_err();
        assert!(err.to_string().contains("a Sample object"), "{err}");
        assert!(serde_json::from_str::<Sample>(r#"{"id": "x", "count": }"#).is_err());
        assert!(serde_json::from_str::<Sample>(r#"{"id": "x", "list": [1,}"#).is_err());
    }

    #[test]
    fn values_parse_from_a_json_value_too() {
        let value =
            serde_json::json!({"id": "x", "flag": "true", "list": [1, "2"], "inner": {"n": 1.4}});
        let sample: Sample = serde_json::from_value(value).unwrap();
        assert_eq!(sample.flag, Some(true));
        assert_eq!(sample.list, Some(vec![1, 2]));
        assert_eq!(sample.inner, Some(Inner { n: 1 }));
    }
}
