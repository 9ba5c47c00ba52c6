//! Values of tolerant fields: read as documented when they can be, kept as Zoho sent them when
//! they cannot.
//!
//! A timestamp in an unexpected format or a size sent as a word should not make a whole list of
//! attachments unreadable. The spec marks the keys where that leniency is worth its cost
//! (`tolerant: true`); their fields hold a [`Tolerant`], which keeps the raw JSON value when it
//! cannot be read, so nothing Zoho sent is lost and the rest of the answer still arrives.
//!
//! ```
//! use zoho_runtime::{DateTime, Tolerant};
//!
//! #[derive(serde::Deserialize)]
//! struct Attachment {
//!     #[serde(rename = "Created_Time")]
//!     created_time: Tolerant<DateTime>,
//!     #[serde(rename = "Size", default, deserialize_with = "zoho_runtime::de::tolerant_option")]
//!     size: Option<Tolerant<i64>>,
//! }
//!
//! let read: Attachment =
//!     serde_json::from_str(r#"{"Created_Time": "21/04/2022 10:27", "Size": "362207"}"#).unwrap();
//! assert_eq!(read.created_time.value(), None);
//! assert_eq!(read.created_time.raw(), Some(&serde_json::json!("21/04/2022 10:27")));
//! assert_eq!(read.size.and_then(Tolerant::into_value), Some(362_207));
//! ```

use std::fmt;

use serde::de::{Deserialize, Deserializer, IntoDeserializer};
use serde::ser::{Serialize, Serializer};
use serde_json::Value;

use crate::DateTime;

/// The value of a tolerant field: what the documented type could read, or the JSON value as it
/// came when it could not.
///
/// Encoding it again gives back what was read: the value, or the raw JSON unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tolerant<T> {
    /// The value, read as the documentation types it.
    Value(T),
    /// What Zoho sent instead, which the documented type cannot read.
    Raw(Value),
}

impl<T> Tolerant<T> {
    /// The value, when it could be read.
    pub fn value(&self) -> Option<&T> {
        match self {
            Tolerant::Value(value) => Some(value),
            Tolerant::Raw(_) => None,
        }
    }

    /// The value, when it could be read.
    pub fn into_value(self) -> Option<T> {
        match self {
            Tolerant::Value(value) => Some(value),
            Tolerant::Raw(_) => None,
        }
    }

    /// The JSON value as it came, when the documented type could not read it.
    pub fn raw(&self) -> Option<&Value> {
        match self {
            Tolerant::Value(_) => None,
            Tolerant::Raw(raw) => Some(raw),
        }
    }

    /// Whether the value was read as documented.
    pub fn is_value(&self) -> bool {
        matches!(self, Tolerant::Value(_))
    }

    /// The value, or an error that carries the raw JSON, for callers that want `?`.
    pub fn into_result(self) -> Result<T, UnreadableValue> {
        match self {
            Tolerant::Value(value) => Ok(value),
            Tolerant::Raw(raw) => Err(UnreadableValue {
                raw,
                expected: std::any::type_name::<T>(),
            }),
        }
    }
}

impl<T: ReadTolerantly> Tolerant<T> {
    /// Reads `raw` as `T`, keeping it as it came when it holds no `T`.
    pub fn from_json(raw: Value) -> Self {
        match T::read(&raw) {
            Some(value) => Tolerant::Value(value),
            None => Tolerant::Raw(raw),
        }
    }
}

impl<T> From<T> for Tolerant<T> {
    fn from(value: T) -> Self {
        Tolerant::Value(value)
    }
}

/// Compares the read value: a raw value equals no `T`.
impl<T: PartialEq> PartialEq<T> for Tolerant<T> {
    fn eq(&self, other: &T) -> bool {
        self.value() == Some(other)
    }
}

/// A tolerant field whose value could not be read as its documented type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("Zoho sent {raw} where the documentation promises a {expected}")]
pub struct UnreadableValue {
    /// The JSON value as it came.
    pub raw: Value,
    /// The Rust type that could not read it.
    pub expected: &'static str,
}

/// A type a tolerant field can hold: one read from a JSON value, leniently where Zoho is known
/// to vary (integers as strings of digits).
pub trait ReadTolerantly: Sized {
    /// The value `raw` holds, or `None` when it holds none of this type.
    fn read(raw: &Value) -> Option<Self>;
}

impl ReadTolerantly for i64 {
    fn read(raw: &Value) -> Option<Self> {
        crate::de::lenient_i64(raw.clone().into_deserializer()).ok()
    }
}

impl ReadTolerantly for f64 {
    fn read(raw: &Value) -> Option<Self> {
        match raw {
            Value::Number(number) => number.as_f64(),
            Value::String(text) => text.trim().parse().ok().filter(|n: &f64| n.is_finite()),
            _ => None,
        }
    }
}

impl ReadTolerantly for bool {
    fn read(raw: &Value) -> Option<Self> {
        raw.as_bool()
    }
}

impl ReadTolerantly for String {
    fn read(raw: &Value) -> Option<Self> {
        raw.as_str().map(str::to_owned)
    }
}

impl ReadTolerantly for DateTime {
    fn read(raw: &Value) -> Option<Self> {
        DateTime::parse_from_rfc3339(raw.as_str()?.trim()).ok()
    }
}

impl<'de, T: ReadTolerantly> Deserialize<'de> for Tolerant<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Tolerant::from_json)
    }
}

impl<T: Serialize> Serialize for Tolerant<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Tolerant::Value(value) => value.serialize(serializer),
            Tolerant::Raw(raw) => raw.serialize(serializer),
        }
    }
}

/// The value as read, or the raw JSON as it came.
impl<T: fmt::Display> fmt::Display for Tolerant<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tolerant::Value(value) => value.fmt(f),
            Tolerant::Raw(raw) => raw.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize, serde::Serialize)]
    struct Record {
        #[serde(rename = "Modified_Time")]
        modified: Tolerant<DateTime>,
        #[serde(
            rename = "Size",
            default,
            deserialize_with = "crate::de::tolerant_option",
            skip_serializing_if = "Option::is_none"
        )]
        size: Option<Tolerant<i64>>,
    }

    fn read(json: Value) -> Record {
        serde_json::from_value(json).expect("a tolerant record always reads")
    }

    #[test]
    fn documented_values_read_as_documented() {
        let record = read(json!({"Modified_Time": "2022-04-21T10:27:41+05:30", "Size": 42}));
        assert_eq!(
            record.modified.value().map(DateTime::to_rfc3339).as_deref(),
            Some("2022-04-21T10:27:41+05:30")
        );
        assert_eq!(record.size, Some(Tolerant::Value(42)));
        // Sizes as strings of digits were always read; tolerance does not change that.
        assert_eq!(
            read(json!({"Modified_Time": "2022-04-21T10:27:41Z", "Size": " 7 "}))
                .size
                .unwrap(),
            7
        );
    }

    #[test]
    fn unreadable_values_are_kept_and_encode_back_unchanged() {
        let sent = json!({"Modified_Time": "21/04/2022 10:27", "Size": "twelve"});
        let record = read(sent.clone());
        assert_eq!(record.modified.raw(), Some(&json!("21/04/2022 10:27")));
        assert_eq!(
            record.size.as_ref().and_then(Tolerant::raw),
            Some(&json!("twelve"))
        );
        assert_eq!(serde_json::to_value(&record).unwrap(), sent);
        let error = record.modified.into_result().unwrap_err();
        assert_eq!(error.raw, json!("21/04/2022 10:27"));
        assert!(
            error.to_string().contains("\"21/04/2022 10:27\""),
            "{error}"
        );
    }

    #[test]
    fn any_json_kind_is_kept_not_only_strings() {
        for odd in [json!({"epoch": 1}), json!([1, 2]), json!(true), json!(1.5)] {
            let record = read(json!({"Modified_Time": odd.clone(), "Size": odd.clone()}));
            assert_eq!(record.modified.raw(), Some(&odd));
            assert_eq!(record.size.as_ref().and_then(Tolerant::raw), Some(&odd));
        }
    }

    #[test]
    fn absent_null_and_blank_optional_values_are_none() {
        for sent in [
            json!({"Modified_Time": "2022-04-21T10:27:41Z"}),
            json!({"Modified_Time": "2022-04-21T10:27:41Z", "Size": null}),
            json!({"Modified_Time": "2022-04-21T10:27:41Z", "Size": "  "}),
        ] {
            assert_eq!(read(sent).size, None);
        }
    }

    #[test]
    fn scalars_read_only_their_own_kind() {
        assert_eq!(f64::read(&json!("2.5")), Some(2.5));
        assert_eq!(f64::read(&json!("NaN")), None);
        assert_eq!(bool::read(&json!("true")), None);
        assert_eq!(String::read(&json!(5)), None);
        assert_eq!(i64::read(&json!(1e3)), Some(1000));
        assert_eq!(Tolerant::Value(3), 3);
        assert_ne!(Tolerant::<i64>::Raw(json!(3)), 3);
    }
}
