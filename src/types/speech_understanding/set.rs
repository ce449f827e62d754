//! The one shape of both sides of Speech Understanding: an object with one
//! optional key per task plus whatever tasks this crate does not know.

/// Declares a set of tasks: one `Option` field per known task, named as its
/// key on the wire, and `extra` for every other key, kept as raw JSON.
///
/// Generates the struct (with the serde attributes that skip unset tasks and
/// flatten `extra`), `KNOWN`, `names`, `is_empty`, and the lenient parse
/// used when the set arrives in a reply: a known task whose value does not
/// fit its type is kept in `extra` as sent rather than dropped, so nothing
/// the server said is lost and it serializes back unchanged.
macro_rules! task_set {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                pub $field:ident : $ty:ty,
            )+
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $(
                $(#[$field_meta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )+

            /// Every other task, by its key, as raw JSON: tasks this version
            /// does not know, or a known task whose value did not fit its
            /// type. Sent and serialized as is.
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }

        impl $name {
            /// The keys of the tasks this version knows, in the API's order.
            pub const KNOWN: &'static [&'static str] = &[$(stringify!($field)),+];

            /// An empty set; add tasks by setting fields.
            pub fn new() -> Self {
                Self::default()
            }

            /// The keys of the tasks present: known ones in the API's order,
            /// then the others.
            pub fn names(&self) -> Vec<&str> {
                let mut names = Vec::new();
                $(
                    if self.$field.is_some() {
                        names.push(stringify!($field));
                    }
                )+
                names.extend(self.extra.keys().map(String::as_str));
                names
            }

            /// Whether no task at all is present.
            pub fn is_empty(&self) -> bool {
                $(self.$field.is_none() &&)+ self.extra.is_empty()
            }
        }

        impl $crate::types::lenient::Coerce for $name {
            fn from_map<'de, A: serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> Result<Option<Self>, A::Error> {
                use $crate::types::lenient::Lenient;
                let mut set = Self::default();
                while let Some(key) = map.next_key::<String>()? {
                    let value: serde_json::Value = map.next_value()?;
                    if value.is_null() {
                        continue;
                    }
                    match key.as_str() {
                        $(
                            stringify!($field) => {
                                if let Ok(Some(task)) = <$ty>::lenient(&value) {
                                    set.$field = Some(task);
                                    continue;
                                }
                            }
                        )+
                        _ => {}
                    }
                    set.extra.insert(key, value);
                }
                Ok(Some(set))
            }
        }

        impl $crate::types::lenient::Lenient for $name {
            fn lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
                $crate::types::lenient::fit(d)
            }
        }
    };
}

pub(super) use task_set;
