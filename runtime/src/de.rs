//! Serde helpers for generated types.
//!
//! Zoho sometimes sends numbers as strings (`"Size": "362207"`), and the same field
//! may arrive either way from different endpoints, so integers are read leniently.
//!
//! ```
//! #[derive(serde::Deserialize)]
//! struct Attachment {
//!     #[serde(rename = "Size", deserialize_with = "zoho_runtime::de::lenient_i64")]
//!     size: i64,
//!     #[serde(default, deserialize_with = "zoho_runtime::de::lenient_option_i64")]
//!     version: Option<i64>,
//! }
//! let a: Attachment = serde_json::from_str(r#"{"Size": "362207", "version": null}"#).unwrap();
//! assert_eq!((a.size, a.version), (362207, None));
//! ```

use std::fmt;

use serde::Deserializer;
use serde::de::{self, Unexpected, Visitor};

/// Reads an `i64` from a JSON integer, a float with no fractional part, or a string
/// holding an integer (surrounding whitespace allowed).
pub fn lenient_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(LenientI64)
}

/// Like [`lenient_i64`], and also `null` or an empty string as `None`.
///
/// Use with `#[serde(default)]` so that a missing field is `None` too.
pub fn lenient_option_i64<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    deserializer.deserialize_any(LenientOptionI64)
}

/// Reads an optional tolerant field: absent (with `#[serde(default)]`), `null` or a blank string
/// as `None`, anything else as a [`Tolerant`](crate::Tolerant), which keeps what it cannot read.
pub fn tolerant_option<'de, D, T>(deserializer: D) -> Result<Option<crate::Tolerant<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: crate::tolerant::ReadTolerantly,
{
    use serde::Deserialize;

    let raw = serde_json::Value::deserialize(deserializer)?;
    let blank = match &raw {
        serde_json::Value::Null => true,
        serde_json::Value::String(text) => text.trim().is_empty(),
        _ => false,
    };
    Ok((!blank).then(|| crate::Tolerant::from_json(raw)))
}

struct LenientI64;

/// 2^63: the first float above `i64::MAX` (which itself is not representable as `f64`).
const I64_END: f64 = 9_223_372_036_854_775_808.0;

impl<'de> Visitor<'de> for LenientI64 {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<i64, E> {
        Ok(value)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<i64, E> {
        i64::try_from(value).map_err(|_| E::invalid_value(Unexpected::Unsigned(value), &self))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<i64, E> {
        if value.fract() == 0.0 && (-I64_END..I64_END).contains(&value) {
            // In range and integral, so the cast is exact.
            Ok(value as i64)
        } else {
            Err(E::invalid_value(Unexpected::Float(value), &self))
        }
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<i64, E> {
        value
            .trim()
            .parse()
            .map_err(|_| E::invalid_value(Unexpected::Str(value), &self))
    }
}

struct LenientOptionI64;

impl<'de> Visitor<'de> for LenientOptionI64 {
    type Value = Option<i64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, a string holding one, an empty string, or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<i64>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<i64>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<i64>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Option<i64>, E> {
        LenientI64.visit_i64(value).map(Some)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Option<i64>, E> {
        LenientI64.visit_u64(value).map(Some)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Option<i64>, E> {
        LenientI64.visit_f64(value).map(Some)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Option<i64>, E> {
        if value.trim().is_empty() {
            Ok(None)
        } else {
            LenientI64.visit_str(value).map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Required {
        #[serde(deserialize_with = "lenient_i64")]
        n: i64,
    }

    #[derive(Debug, Deserialize)]
    struct Optional {
        #[serde(default, deserialize_with = "lenient_option_i64")]
        n: Option<i64>,
    }

    fn required(json: &str) -> Result<i64, serde_json::Error> {
        serde_json::from_str::<Required>(json).map(|r| r.n)
    }

    fn optional(json: &str) -> Result<Option<i64>, serde_json::Error> {
        serde_json::from_str::<Optional>(json).map(|o| o.n)
    }

    #[test]
    fn integers_in_any_form() {
        assert_eq!(required(r#"{"n": 362207}"#).ok(), Some(362207));
        assert_eq!(required(r#"{"n": "362207"}"#).ok(), Some(362207));
        assert_eq!(required(r#"{"n": " -5 "}"#).ok(), Some(-5));
        assert_eq!(required(r#"{"n": 12.0}"#).ok(), Some(12));
        assert_eq!(
            required(r#"{"n": "9223372036854775807"}"#).ok(),
            Some(i64::MAX)
        );
    }

    #[test]
    fn non_integers_are_rejected_with_a_clear_message() {
        for json in [
            r#"{"n": "12kb"}"#,
            r#"{"n": ""}"#,
            r#"{"n": 1.5}"#,
            r#"{"n": 18446744073709551615}"#,
            r#"{"n": 1e300}"#,
            r#"{"n": null}"#,
            r#"{"n": true}"#,
            r#"{"n": [1]}"#,
        ] {
            let err = required(json).expect_err(json);
            assert!(err.to_string().contains("integer"), "{json}: {err}");
        }
    }

    #[test]
    fn optional_integers() {
        assert_eq!(optional(r#"{"n": 7}"#).ok(), Some(Some(7)));
        assert_eq!(optional(r#"{"n": "7"}"#).ok(), Some(Some(7)));
        assert_eq!(optional(r#"{"n": null}"#).ok(), Some(None));
        assert_eq!(optional(r#"{"n": ""}"#).ok(), Some(None));
        assert_eq!(optional(r#"{}"#).ok(), Some(None));
        assert!(optional(r#"{"n": "seven"}"#).is_err());
    }
}
