//! The open sets of names a session's settings take (models, modes, voice
//! focus): the service adds values every few months, so each is a string
//! with constants for the values known today, and any other name is sent as
//! is. Nothing here is a default: a setting left unset is left to the server.

use std::borrow::Cow;
use std::fmt;

/// Declares an open name type: a `Cow<'static, str>` newtype with the
/// known values as constants, `KNOWN` for help texts, and conversions.
macro_rules! open_name {
    (
        $(#[$doc:meta])*
        $name:ident { $( $(#[$const_doc:meta])* $constant:ident = $value:literal, )* }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(Cow<'static, str>);

        impl $name {
            $( $(#[$const_doc])* pub const $constant: $name = $name(Cow::Borrowed($value)); )*

            /// The values documented when this version was made, for help
            /// texts; the server may accept others.
            pub const KNOWN: &'static [&'static str] = &[$($value),*];

            /// A value by name; any name is accepted and sent as is.
            pub fn new(name: impl Into<String>) -> Self {
                $name(Cow::Owned(name.into()))
            }

            /// The name as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Whether the name is one this version knows.
            pub fn is_known(&self) -> bool {
                Self::KNOWN.contains(&self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(name: &str) -> Self {
                Self::KNOWN
                    .iter()
                    .find(|known| **known == name)
                    .map(|known| $name(Cow::Borrowed(known)))
                    .unwrap_or_else(|| $name::new(name))
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(name: &str) -> Result<Self, Self::Err> {
                Ok($name::from(name))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

open_name! {
    /// A streaming speech model, e.g. `universal-3-6-pro`.
    ///
    /// An open set, like [`SpeechModel`](crate::SpeechModel): the constants
    /// are the models documented in December 2026 (api-2026.md §7.1), and
    /// any other name is sent as is. There is no default here: a session
    /// that names no model gets the server's (reported in
    /// [`Begin::model`](super::Begin::model)).
    ///
    /// ```
    /// use assemblyai::streaming::StreamingModel;
    ///
    /// assert_eq!(StreamingModel::UNIVERSAL_3_6_PRO.as_str(), "universal-3-6-pro");
    /// assert_eq!(StreamingModel::from("whisper-rt"), StreamingModel::WHISPER_RT);
    /// assert_eq!(StreamingModel::from("next-year-model").as_str(), "next-year-model");
    /// ```
    StreamingModel {
        /// `universal-3-6-pro`: the server's default since 2026-09-29; 32 languages.
        UNIVERSAL_3_6_PRO = "universal-3-6-pro",
        /// `universal-3-5-pro`: Universal-3.5 Pro Realtime; 18 languages.
        UNIVERSAL_3_5_PRO = "universal-3-5-pro",
        /// `universal-streaming-english`: the fastest English model.
        UNIVERSAL_STREAMING_ENGLISH = "universal-streaming-english",
        /// `universal-streaming-multilingual`: English, Spanish, German,
        /// French, Portuguese and Italian.
        UNIVERSAL_STREAMING_MULTILINGUAL = "universal-streaming-multilingual",
        /// `whisper-rt`: Whisper, 99+ languages (legacy since June 2026).
        WHISPER_RT = "whisper-rt",
        /// `u3-rt-pro`: Universal-3 Pro; the server now redirects it to
        /// `universal-3-5-pro`.
        U3_RT_PRO = "u3-rt-pro",
    }
}

open_name! {
    /// A turn-detection preset (`mode`): minimum and maximum turn silence
    /// and interruption delay in one word; explicit settings override it.
    ///
    /// ```
    /// use assemblyai::streaming::StreamingMode;
    ///
    /// assert_eq!(StreamingMode::from("min_latency"), StreamingMode::MIN_LATENCY);
    /// ```
    StreamingMode {
        /// `min_latency`: 128/640 ms turn silence, no interruption delay.
        MIN_LATENCY = "min_latency",
        /// `balanced`: 128/1280 ms turn silence, 500 ms interruption delay.
        BALANCED = "balanced",
        /// `max_accuracy`: 512/2560 ms turn silence, 500 ms interruption delay.
        MAX_ACCURACY = "max_accuracy",
    }
}

open_name! {
    /// Which voice to focus on (`voice_focus`), an add-on set at connect time.
    ///
    /// ```
    /// use assemblyai::streaming::VoiceFocus;
    ///
    /// assert_eq!(VoiceFocus::NEAR_FIELD.as_str(), "near-field");
    /// ```
    VoiceFocus {
        /// `near-field`: the speaker close to the microphone.
        NEAR_FIELD = "near-field",
        /// `far-field`: a speaker farther away (a room, a speakerphone).
        FAR_FIELD = "far-field",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_this_version_does_not_know_is_kept_and_sent_as_is() {
        let model: StreamingModel = "universal-4-rt".parse().unwrap();
        assert_eq!(model.as_str(), "universal-4-rt");
        assert!(!model.is_known());
        assert!(StreamingModel::UNIVERSAL_3_5_PRO.is_known());
        assert_eq!(StreamingMode::from("balanced"), StreamingMode::BALANCED);
    }
}
