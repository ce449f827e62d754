//! Enumerations of string values that survive values this crate does not know.
//!
//! AssemblyAI adds values to its enumerations (languages, PII policies,
//! entity types, statuses) without a new API version. A plain serde enum would
//! make the whole response fail to parse on the first new value, so every
//! enumeration here keeps an unknown value verbatim in an `Other` variant and
//! sends it back unchanged. Parsing *user* input with `FromStr` stays strict,
//! so a typo in a CLI flag is reported before anything is sent.

use std::fmt;

use serde::de::{self, Visitor};

/// A string that is not one of the values an enumeration knows.
///
/// Returned by the `FromStr` implementations of this crate's enumerations,
/// e.g. `"xx".parse::<LanguageCode>()`; its message lists the valid values.
///
/// ```
/// use assemblyai::SubtitleFormat;
///
/// let err = "txt".parse::<SubtitleFormat>().unwrap_err();
/// assert_eq!(err.to_string(), r#"unknown value "txt"; expected one of: srt, vtt"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseValueError {
    value: String,
    expected: &'static [&'static str],
}

impl ParseValueError {
    pub(crate) fn new(value: &str, expected: &'static [&'static str]) -> Self {
        ParseValueError {
            value: value.to_owned(),
            expected,
        }
    }

    /// The value that was rejected.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The values that would have been accepted.
    pub fn expected(&self) -> &'static [&'static str] {
        self.expected
    }
}

impl fmt::Display for ParseValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown value {:?}; expected one of: ", self.value)?;
        for (i, value) in self.expected.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(value)?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseValueError {}

/// Deserializes a string into a known variant or `Other`, without copying the
/// string when the input is borrowed and the value is known.
pub(crate) struct StrVisitor<T> {
    pub(crate) expecting: &'static str,
    pub(crate) known: fn(&str) -> Option<T>,
    pub(crate) other: fn(String) -> T,
}

impl<T> Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Ok((self.known)(value).unwrap_or_else(|| (self.other)(value.to_owned())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<T, E> {
        Ok(match (self.known)(&value) {
            Some(known) => known,
            None => (self.other)(value),
        })
    }
}

/// Declares an enumeration of known wire strings plus `Other(String)`.
///
/// Generates: the enum (`Debug, Clone, PartialEq, Eq, Hash`, `#[non_exhaustive]`),
/// `KNOWN`, `as_str`, `is_known`, `Default` (an empty `Other`, which is what a
/// required field holds when the server leaves it out), `Display` (the wire
/// value), `Serialize`/`Deserialize` as the plain string (lenient), the
/// lenient parse of response fields (a non-string does not fit), and a
/// strict `FromStr` whose error is [`ParseValueError`].
///
/// ```text
/// string_enum! {
///     /// Doc of the enum.
///     pub enum SubtitleFormat {
///         /// SubRip.
///         Srt = "srt",
///     }
/// }
/// ```
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident = $wire:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        ///
        /// Values this crate does not know are kept verbatim in `Other`, so a
        /// new value from the server never fails a parse; `FromStr` is strict.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[$variant_meta])*
                ///
                #[doc = concat!("Wire value: `", $wire, "`.")]
                $variant,
            )+
            /// A value this version of the crate does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// The wire values of every known variant, in the spec's order.
            pub const KNOWN: &'static [&'static str] = &[$($wire),+];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(value) => value,
                }
            }

            /// Whether this is one of [`Self::KNOWN`] rather than `Other`.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }

            fn from_known(value: &str) -> Option<Self> {
                match value {
                    $($wire => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::Other(String::new())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::types::string_enum::ParseValueError;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Self::from_known(value).ok_or_else(|| {
                    $crate::types::string_enum::ParseValueError::new(value, Self::KNOWN)
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl $crate::types::lenient::Coerce for $name {
            fn from_str(value: &str) -> Option<Self> {
                Some(Self::from_known(value).unwrap_or_else(|| Self::Other(value.to_owned())))
            }

            fn from_string(value: String) -> Option<Self> {
                Some(match Self::from_known(&value) {
                    Some(known) => known,
                    None => Self::Other(value),
                })
            }
        }

        impl $crate::types::lenient::Lenient for $name {
            fn lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
                $crate::types::lenient::fit(d)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str($crate::types::string_enum::StrVisitor {
                    expecting: concat!("a ", stringify!($name), " string"),
                    known: Self::from_known,
                    other: Self::Other,
                })
            }
        }
    };
}

pub(crate) use string_enum;

#[cfg(test)]
mod tests {
    string_enum! {
        /// A test enumeration.
        pub enum Fruit {
            /// A pear.
            Pear = "pear",
            /// An apple.
            Apple = "apple",
        }
    }

    #[test]
    fn known_value_round_trips_through_json() {
        let fruit: Fruit = serde_json::from_str(r#""apple""#).unwrap();
        assert_eq!(fruit, Fruit::Apple);
        assert_eq!(serde_json::to_string(&fruit).unwrap(), r#""apple""#);
    }

    #[test]
    fn unknown_value_is_kept_verbatim_and_sent_back() {
        let fruit: Fruit = serde_json::from_str(r#""Quince""#).unwrap();
        assert_eq!(fruit, Fruit::Other("Quince".into()));
        assert!(!fruit.is_known());
        assert_eq!(serde_json::to_string(&fruit).unwrap(), r#""Quince""#);
    }

    #[test]
    fn owned_strings_deserialize_too() {
        let value = serde_json::json!(["pear", "fig"]);
        let fruits: Vec<Fruit> = serde_json::from_value(value).unwrap();
        assert_eq!(fruits, [Fruit::Pear, Fruit::Other("fig".into())]);
    }

    #[test]
    fn non_string_is_a_parse_error() {
        let err = serde_json::from_str::<Fruit>("3").unwrap_err();
        assert!(err.to_string().contains("a Fruit string"), "{err}");
    }

    #[test]
    fn from_str_rejects_unknown_values_listing_the_known_ones() {
        assert_eq!("pear".parse::<Fruit>(), Ok(Fruit::Pear));
        let err = "Pear".parse::<Fruit>().unwrap_err();
        assert_eq!(err.value(), "Pear");
        assert_eq!(
            err.to_string(),
            r#"unknown value "Pear"; expected one of: pear, apple"#
        );
    }

    #[test]
    fn display_and_known_list_use_wire_values() {
        assert_eq!(Fruit::Apple.to_string(), "apple");
        assert_eq!(Fruit::KNOWN, ["pear", "apple"]);
        assert_eq!(Fruit::default(), Fruit::Other(String::new()));
    }
}
