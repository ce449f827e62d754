//! Language codes (`TranscriptLanguageCode`, 102 values).
//!
//! Generated from `components.schemas.TranscriptLanguageCode` of the spec's
//! openapi.json; not from openapi.yml, where YAML 1.1 reads Norwegian's `no` as `false`.

use super::string_enum::string_enum;

string_enum! {
    /// The language of the audio, as the API names it (`language_code`).
    ///
    /// The API's default is `en_us`. The request schema accepts any string
    /// here, so an `Other` value is sent as is.
    pub enum LanguageCode {
        /// English (global).
        En = "en",
        /// English (Australian).
        EnAu = "en_au",
        /// English (British).
        EnUk = "en_uk",
        /// English (US).
        EnUs = "en_us",
        /// Spanish.
        Es = "es",
        /// French.
        Fr = "fr",
        /// German.
        De = "de",
        /// Italian.
        It = "it",
        /// Portuguese.
        Pt = "pt",
        /// Dutch.
        Nl = "nl",
        /// Afrikaans.
        Af = "af",
        /// Albanian.
        Sq = "sq",
        /// Amharic.
        Am = "am",
        /// Arabic.
        Ar = "ar",
        /// Armenian.
        Hy = "hy",
        /// Assamese.
        As = "as",
        /// Azerbaijani.
        Az = "az",
        /// Bashkir.
        Ba = "ba",
        /// Basque.
        Eu = "eu",
        /// Belarusian.
        Be = "be",
        /// Bengali.
        Bn = "bn",
        /// Bosnian.
        Bs = "bs",
        /// Breton.
        Br = "br",
        /// Bulgarian.
        Bg = "bg",
        /// Burmese.
        My = "my",
        /// Catalan.
        Ca = "ca",
        /// Chinese.
        Zh = "zh",
        /// Croatian.
        Hr = "hr",
        /// Czech.
        Cs = "cs",
        /// Danish.
        Da = "da",
        /// Estonian.
        Et = "et",
        /// Faroese.
        Fo = "fo",
        /// Finnish.
        Fi = "fi",
        /// Galician.
        Gl = "gl",
        /// Georgian.
        Ka = "ka",
        /// Greek.
        El = "el",
        /// Gujarati.
        Gu = "gu",
        /// Haitian.
        Ht = "ht",
        /// Hausa.
        Ha = "ha",
        /// Hawaiian.
        Haw = "haw",
        /// Hebrew.
        He = "he",
        /// Hindi.
        Hi = "hi",
        /// Hungarian.
        Hu = "hu",
        /// Icelandic.
        Is = "is",
        /// Indonesian.
        Id = "id",
        /// Japanese.
        Ja = "ja",
        /// Javanese.
        Jw = "jw",
        /// Kannada.
        Kn = "kn",
        /// Kazakh.
        Kk = "kk",
        /// Khmer.
        Km = "km",
        /// Korean.
        Ko = "ko",
        /// Lao.
        Lo = "lo",
        /// Latin.
        La = "la",
        /// Latvian.
        Lv = "lv",
        /// Lingala.
        Ln = "ln",
        /// Lithuanian.
        Lt = "lt",
        /// Luxembourgish.
        Lb = "lb",
        /// Macedonian.
        Mk = "mk",
        /// Malagasy.
        Mg = "mg",
        /// Malay.
        Ms = "ms",
        /// Malayalam.
        Ml = "ml",
        /// Maltese.
        Mt = "mt",
        /// Maori.
        Mi = "mi",
        /// Marathi.
        Mr = "mr",
        /// Mongolian.
        Mn = "mn",
        /// Nepali.
        Ne = "ne",
        /// Norwegian.
        No = "no",
        /// Norwegian Nynorsk.
        Nn = "nn",
        /// Occitan.
        Oc = "oc",
        /// Panjabi.
        Pa = "pa",
        /// Pashto.
        Ps = "ps",
        /// Persian.
        Fa = "fa",
        /// Polish.
        Pl = "pl",
        /// Romanian.
        Ro = "ro",
        /// Russian.
        Ru = "ru",
        /// Sanskrit.
        Sa = "sa",
        /// Serbian.
        Sr = "sr",
        /// Shona.
        Sn = "sn",
        /// Sindhi.
        Sd = "sd",
        /// Sinhala.
        Si = "si",
        /// Slovak.
        Sk = "sk",
        /// Slovenian.
        Sl = "sl",
        /// Somali.
        So = "so",
        /// Sundanese.
        Su = "su",
        /// Swahili.
        Sw = "sw",
        /// Swedish.
        Sv = "sv",
        /// Tagalog.
        Tl = "tl",
        /// Tajik.
        Tg = "tg",
        /// Tamil.
        Ta = "ta",
        /// Tatar.
        Tt = "tt",
        /// Telugu.
        Te = "te",
        /// Thai.
        Th = "th",
        /// Tibetan.
        Bo = "bo",
        /// Turkish.
        Tr = "tr",
        /// Turkmen.
        Tk = "tk",
        /// Ukrainian.
        Uk = "uk",
        /// Urdu.
        Ur = "ur",
        /// Uzbek.
        Uz = "uz",
        /// Vietnamese.
        Vi = "vi",
        /// Welsh.
        Cy = "cy",
        /// Yiddish.
        Yi = "yi",
        /// Yoruba.
        Yo = "yo",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_spec_languages_are_known_including_norwegian() {
        assert_eq!(LanguageCode::KNOWN.len(), 102);
        assert_eq!("no".parse::<LanguageCode>(), Ok(LanguageCode::No));
        assert_eq!(LanguageCode::EnUk.as_str(), "en_uk");
        assert_eq!(LanguageCode::Haw.to_string(), "haw");
    }
}
