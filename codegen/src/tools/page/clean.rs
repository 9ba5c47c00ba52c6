//! Text clean-up shared by the readers and by comparison: what renderings add to the words of
//! a page (non-breaking spaces, the copy button's `Copied` label, Markdown escapes and emphasis)
//! and what they glue together (`fieldsstring, mandatory`, `INVALID_MODULEHTTP 400`).

/// The label Zoho's copy button leaves before every code sample in saved copies.
pub const COPIED: &str = "Copied";

/// `text` with runs of white space (non-breaking spaces included) made one space, trimmed.
pub fn squash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The form in which two texts are compared: Markdown escapes (`\_`), emphasis (`**`) and code
/// marks (`` ` ``) removed, white space squashed, lower case, without a final full stop. Pages
/// and the spec differ in these without differing in what they say.
pub fn comparable(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|next| next.is_ascii_punctuation()) => {}
            '`' => {}
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
            }
            _ => plain.push(c),
        }
    }
    let squashed = squash(&plain).to_lowercase();
    squashed.trim_end_matches('.').trim_end().to_owned()
}

/// A code sample without the `Copied` label before its first line.
pub fn strip_copied(code: &str) -> &str {
    code.strip_prefix(COPIED).unwrap_or(code)
}

/// The types Zoho's pages write after a field's name, longest first so that `JSON object` is
/// not read as `object` after a name ending in `JSON`.
const TYPES: &[&str] = &[
    "JSON Object",
    "JSON object",
    "JSON Array",
    "JSON array",
    "JSONObject",
    "JSONArray",
    "date-time",
    "datetime",
    "boolean",
    "integer",
    "string",
    "number",
    "double",
    "object",
    "array",
    "float",
    "long",
    "file",
    "date",
    "JSON",
];

/// A field's label split into its name, its type (when a known type ends the label) and
/// whether it is mandatory (when the label says `mandatory` or `optional`):
/// `fieldsstring, mandatory` → (`fields`, `string`, mandatory).
pub fn split_field_label(label: &str) -> (String, Option<String>, Option<bool>) {
    let label = squash(label);
    let (head, required) = match label.rsplit_once(',') {
        Some((head, tail)) if tail.trim().eq_ignore_ascii_case("mandatory") => (head, Some(true)),
        Some((head, tail)) if tail.trim().eq_ignore_ascii_case("optional") => (head, Some(false)),
        _ => (label.as_str(), None),
    };
    let head = head.trim();
    for ty in TYPES {
        if head.len() > ty.len()
            && let Some(name) = head.strip_suffix(ty)
        {
            let name = name.trim();
            if !name.is_empty() && !name.contains(' ') {
                return (name.to_owned(), Some((*ty).to_owned()), required);
            }
        }
    }
    (head.to_owned(), None, required)
}

/// An error row's label split into its code and HTTP status: `INVALID_MODULEHTTP 400`,
/// `INVALID_MODULE HTTP 400` or `INVALID_MODULE (HTTP 400)`. `None` unless it has both.
pub fn split_error_label(label: &str) -> Option<(String, u16)> {
    let label = squash(label);
    let at = label.rfind("HTTP")?;
    let (code, status) = label.split_at(at);
    let status = status["HTTP".len()..].trim().trim_end_matches(')').trim();
    let status: u16 = status.parse().ok().filter(|s| (100..600).contains(s))?;
    let code = code.trim().trim_end_matches('(').trim();
    let is_code = !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    is_code.then(|| (code.to_owned(), status))
}

/// A list written as prose split into its items: `Leads, Accounts and Notes`, with remarks in
/// parentheses dropped (`accounts(companies in Bigin)` → `accounts`).
pub fn split_prose_list(text: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let plain = squash(&plain);
    let plain = plain.trim_end_matches('.');
    plain
        .split(',')
        .flat_map(|part| {
            let part = part.trim();
            let part = part.strip_prefix("and ").unwrap_or(part);
            part.split(" and ").map(str::trim).collect::<Vec<_>>()
        })
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_labels_split_on_the_type_vocabulary() {
        assert_eq!(
            split_field_label("fieldsstring, mandatory"),
            ("fields".into(), Some("string".into()), Some(true))
        );
        assert_eq!(
            split_field_label("OwnerJSON object"),
            ("Owner".into(), Some("JSON object".into()), None)
        );
        assert_eq!(
            split_field_label("filefile, mandatory"),
            ("file".into(), Some("file".into()), Some(true))
        );
        assert_eq!(
            split_field_label("contractattachmentsJSON Array"),
            (
                "contractattachments".into(),
                Some("JSON Array".into()),
                None
            )
        );
        assert_eq!(
            split_field_label("title string, optional"),
            ("title".into(), Some("string".into()), Some(false))
        );
        assert_eq!(split_field_label("mystery"), ("mystery".into(), None, None));
    }

    #[test]
    fn error_labels_need_a_code_and_a_status() {
        assert_eq!(
            split_error_label("INVALID_MODULEHTTP 400"),
            Some(("INVALID_MODULE".into(), 400))
        );
        assert_eq!(
            split_error_label("NO_PERMISSION (HTTP 403)"),
            Some(("NO_PERMISSION".into(), 403))
        );
        assert_eq!(split_error_label("Internal Server Error"), None);
        assert_eq!(split_error_label("HTTP 400"), None);
        assert_eq!(split_error_label("Some text HTTP 400"), None);
    }

    #[test]
    fn prose_lists_drop_remarks_and_the_final_and() {
        assert_eq!(
            split_prose_list("accounts(companies in Bigin), contacts, products and notes"),
            ["accounts", "contacts", "products", "notes"]
        );
        assert_eq!(
            split_prose_list("Invoices, Custom, and Notes"),
            ["Invoices", "Custom", "Notes"]
        );
    }

    #[test]
    fn comparable_text_ignores_markup_case_and_the_final_stop() {
        assert_eq!(
            comparable("**true:** The  user\\_s edit."),
            comparable("true: the user_s edit")
        );
        assert_eq!(comparable("`true`: the user"), "true: the user");
    }
}
