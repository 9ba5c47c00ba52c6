//! Percent-encoding of path parameters.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::Error;

/// Everything except RFC 3986 "unreserved" characters (ALPHA / DIGIT / `-` `.` `_` `~`).
const OUTSIDE_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment.
///
/// Everything outside RFC 3986 "unreserved" is encoded, including `/`, `?`, `#` and `%`,
/// so a value can never reach another path, the query or the fragment.
///
/// # Errors
///
/// [`Error::InvalidInput`] naming `parameter` for `""`, `"."` and `".."`: URL
/// normalisation would drop or climb over them and so change which resource is addressed.
///
/// ```
/// assert_eq!(zoho_runtime::encode_path_segment("id", "a/b").unwrap(), "a%2Fb");
/// assert!(zoho_runtime::encode_path_segment("id", "..").is_err());
/// ```
pub fn encode_path_segment(parameter: &'static str, value: &str) -> Result<String, Error> {
    let reason = match value {
        "" => "must not be empty".to_owned(),
        "." | ".." => format!("must not be `{value}`, which would change the request path"),
        _ => return Ok(utf8_percent_encode(value, OUTSIDE_UNRESERVED).to_string()),
    };
    Err(Error::InvalidInput { parameter, reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(value: &str) -> String {
        encode_path_segment("record_id", value).expect("a valid segment")
    }

    #[test]
    fn reserved_characters_are_encoded() {
        assert_eq!(encoded("a/b"), "a%2Fb");
        assert_eq!(encoded("a?b#c%d"), "a%3Fb%23c%25d");
        assert_eq!(encoded("a b+c&d=e"), "a%20b%2Bc%26d%3De");
        assert_eq!(encoded("%2e%2e"), "%252e%252e");
    }

    #[test]
    fn unreserved_characters_are_kept() {
        assert_eq!(encoded("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encoded("..."), "...");
        assert_eq!(encoded("4150868000000225013"), "4150868000000225013");
    }

    #[test]
    fn unicode_is_utf8_percent_encoded() {
        assert_eq!(encoded("ü"), "%C3%BC");
        assert_eq!(encoded("日本"), "%E6%97%A5%E6%9C%AC");
    }

    #[test]
    fn empty_and_dot_segments_are_rejected_with_the_parameter_name() {
        for value in ["", ".", ".."] {
            match encode_path_segment("record_id", value) {
                Err(Error::InvalidInput { parameter, .. }) => assert_eq!(parameter, "record_id"),
                other => panic!("{value:?} gave {other:?}"),
            }
        }
    }
}
