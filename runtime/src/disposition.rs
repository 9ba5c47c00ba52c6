//! The file name in a `Content-Disposition` header (RFC 6266, with RFC 8187 encoding).

use std::borrow::Cow;

/// The decoded file name of a `Content-Disposition` header value, exactly as the
/// server gave it (see [`Download::file_name`](crate::Download::file_name)).
///
/// `filename*=charset'lang'percent-encoded` (RFC 8187; UTF-8 or ISO-8859-1, any case)
/// is preferred over `filename=`, which may be a token or a quoted string with
/// backslash escapes. An unquoted `filename=` value is taken up to the next `;`, as
/// browsers do, so servers that leave spaces unquoted still work.
///
/// `None` when there is no file name, it is empty, or the header does not follow the
/// grammar (no disposition type, an unterminated quoted string, a bad `%` escape...).
/// A `filename*` in an unknown charset or not valid in its charset is skipped in
/// favour of `filename=`.
///
/// The result may contain `/`, `\`, `..`, NUL or control characters: pass it through
/// [`sanitize_file_name`](crate::sanitize_file_name) before creating a file.
///
/// ```
/// use zoho_runtime::content_disposition_file_name;
///
/// let value = r#"attachment; filename="rates.pdf"; filename*=UTF-8''%E2%82%AC%20rates.pdf"#;
/// assert_eq!(content_disposition_file_name(value).as_deref(), Some("€ rates.pdf"));
/// ```
pub fn content_disposition_file_name(value: &str) -> Option<String> {
    let params = parse(value)?;
    let find = |wanted: &str| {
        params
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
            .map(|(_, value)| value)
    };
    let extended = find("filename*")
        .and_then(|value| decode_ext_value(value))
        .filter(|name| !name.is_empty());
    let name = extended.or_else(|| find("filename").map(|value| value.clone().into_owned()))?;
    (!name.is_empty()).then_some(name)
}

/// Reads a header's raw bytes as text: UTF-8 when valid (servers often send raw UTF-8
/// in `filename=`), else ISO-8859-1, the historical charset of HTTP headers.
pub(crate) fn header_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(bytes.iter().map(|&byte| char::from(byte)).collect()),
    }
}

/// The parameters after the disposition type, in order; `None` on a syntax error.
fn parse(value: &str) -> Option<Vec<(&str, Cow<'_, str>)>> {
    let mut cursor = Cursor { rest: value };
    cursor.skip_whitespace();
    cursor.token()?;
    let mut params = Vec::new();
    loop {
        cursor.skip_whitespace();
        if cursor.rest.is_empty() {
            return Some(params);
        }
        if !cursor.eat(';') {
            return None;
        }
        cursor.skip_whitespace();
        // Tolerate a trailing `;` and empty parameters (`a;;b`).
        if cursor.rest.is_empty() || cursor.rest.starts_with(';') {
            continue;
        }
        let name = cursor.token()?;
        cursor.skip_whitespace();
        if !cursor.eat('=') {
            return None;
        }
        cursor.skip_whitespace();
        let value = if cursor.eat('"') {
            Cow::Owned(cursor.quoted_rest()?)
        } else {
            Cow::Borrowed(cursor.unquoted())
        };
        params.push((name, value));
    }
}

struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn skip_whitespace(&mut self) {
        self.rest = self.rest.trim_start_matches([' ', '\t']);
    }

    fn eat(&mut self, wanted: char) -> bool {
        match self.rest.strip_prefix(wanted) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// An RFC 9110 token (at least one `tchar`).
    fn token(&mut self) -> Option<&'a str> {
        let end = self
            .rest
            .find(|c: char| !is_tchar(c))
            .unwrap_or(self.rest.len());
        let (token, rest) = self.rest.split_at(end);
        self.rest = rest;
        (!token.is_empty()).then_some(token)
    }

    /// The rest of a quoted string whose opening `"` was eaten, unescaped;
    /// `None` when it is not terminated.
    fn quoted_rest(&mut self) -> Option<String> {
        let mut text = String::new();
        let mut chars = self.rest.char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                '"' => {
                    self.rest = &self.rest[at + 1..];
                    return Some(text);
                }
                '\\' => text.push(chars.next()?.1),
                other => text.push(other),
            }
        }
        None
    }

    /// An unquoted value: up to the next `;`, trailing whitespace dropped.
    fn unquoted(&mut self) -> &'a str {
        let end = self.rest.find(';').unwrap_or(self.rest.len());
        let (value, rest) = self.rest.split_at(end);
        self.rest = rest;
        value.trim_end_matches([' ', '\t'])
    }
}

fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// Decodes `charset'language'percent-encoded`; `None` for an unknown charset, a bad
/// `%` escape, or bytes that are not valid in the charset.
fn decode_ext_value(value: &str) -> Option<String> {
    let (charset, rest) = value.split_once('\'')?;
    let (_language, encoded) = rest.split_once('\'')?;
    let bytes = percent_decode(encoded)?;
    if charset.eq_ignore_ascii_case("utf-8") {
        String::from_utf8(bytes).ok()
    } else if charset.eq_ignore_ascii_case("iso-8859-1") {
        // Not mixed with raw non-ASCII characters, which would be ambiguous.
        encoded
            .is_ascii()
            .then(|| bytes.iter().map(|&byte| char::from(byte)).collect())
    } else {
        None
    }
}

/// Strict percent-decoding: every `%` must start a two-digit hex escape.
fn percent_decode(encoded: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut rest = encoded.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' {
            // Digit by digit: `u8::from_str_radix` would accept a sign (`%+1`).
            let [high, low, ..] = tail else {
                return None;
            };
            bytes.push(hex_digit(*high)? << 4 | hex_digit(*low)?);
            rest = &tail[2..];
        } else {
            bytes.push(first);
            rest = tail;
        }
    }
    Some(bytes)
}

fn hex_digit(byte: u8) -> Option<u8> {
    char::from(byte).to_digit(16).map(|digit| digit as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_bytes_are_utf8_or_else_latin1() {
        assert_eq!(header_text("€.pdf".as_bytes()), "€.pdf");
        assert_eq!(header_text(b"\xa3.pdf"), "£.pdf");
    }

    #[test]
    fn percent_escapes_must_be_complete_hex() {
        assert_eq!(percent_decode("a%20b").as_deref(), Some(&b"a b"[..]));
        assert_eq!(
            percent_decode("%e2%82%ac").as_deref(),
            Some(&b"\xe2\x82\xac"[..])
        );
        assert_eq!(percent_decode("%2"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%+1"), None);
    }
}
