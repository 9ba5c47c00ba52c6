//! Does a sample response fit the type its operation declares?
//!
//! A sample is the page's own example answer, so a key it has that the type lacks, a required
//! key it lacks, or a value of another kind is a transcription slip (or a page that disagrees
//! with itself, which deserves a note). The rules follow what the generated types accept when
//! they decode: integers may come as strings of digits, a key that is optional or nullable may
//! be `null`, enumerations list every value Zoho sends.
//!
//! Problems carry the byte offset of the offending value in the sample text, so the validator
//! can point into the YAML block scalar holding it.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::Value;

use crate::load::model::{KeyDef, ScalarValue, TypeDef};
use crate::load::type_expr::TypeExpr;

/// One way a sample departs from its declared type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Where in the sample, e.g. `data[0].Size` (empty for the whole answer).
    pub path: String,
    /// Byte offset in the sample text where the value (or, for a missing key, its object)
    /// starts; `None` if the text could not be indexed.
    pub offset: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Checks `text` (valid JSON) against `expected`, resolving names in `types`. Types that do
/// not resolve or parse are skipped silently: the validator reports those on their own.
pub fn check(types: &IndexMap<String, TypeDef>, expected: &TypeExpr, text: &str) -> Vec<Mismatch> {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let (offsets, repeated) = index(text);
    // serde_json keeps the last of two equal keys, but the generated structs refuse a field
    // given twice: the answer would not decode.
    let mut found: Vec<Mismatch> = repeated
        .into_iter()
        .map(|(path, offset)| Mismatch {
            path: display(&path),
            offset: Some(offset),
            message: "is a key given twice in its object; the generated crate refuses a \
                      repeated field, so it could not read this answer"
                .to_owned(),
        })
        .collect();
    let mut checker = Checker {
        types,
        offsets,
        found: Vec::new(),
    };
    checker.value(&mut Vec::new(), expected, &value);
    found.append(&mut checker.found);
    found
}

/// One step into a JSON document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Step {
    Key(String),
    Index(usize),
}

fn display(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) if out.is_empty() => out.push_str(key),
            Step::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Step::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

struct Checker<'a> {
    types: &'a IndexMap<String, TypeDef>,
    offsets: HashMap<Vec<Step>, usize>,
    found: Vec<Mismatch>,
}

impl Checker<'_> {
    fn report(&mut self, path: &[Step], message: String) {
        self.found.push(Mismatch {
            path: display(path),
            offset: self.offsets.get(path).copied(),
            message,
        });
    }

    fn value(&mut self, path: &mut Vec<Step>, expected: &TypeExpr, value: &Value) {
        let fits = match (expected, value) {
            (TypeExpr::String, Value::String(_))
            | (TypeExpr::Boolean, Value::Bool(_))
            | (TypeExpr::Number, Value::Number(_))
            | (TypeExpr::Object, Value::Object(_)) => true,
            // As the generated crate reads an `integer` (an `i64`): a JSON integer in range,
            // a float with no fraction in range, or a string of one.
            (TypeExpr::Integer, Value::Number(number)) if !fits_i64(number) => {
                self.report(
                    path,
                    "is an integer beyond the range of `i64`, the Rust type of `integer`; the \
                     generated crate could not read this answer"
                        .to_owned(),
                );
                true
            }
            (TypeExpr::Integer, Value::Number(_)) => true,
            (TypeExpr::Integer, Value::String(text)) => text.trim().parse::<i64>().is_ok(),
            (TypeExpr::DateTime, Value::String(text)) => is_rfc3339(text),
            (TypeExpr::List(inner), Value::Array(items)) => {
                for (index, item) in items.iter().enumerate() {
                    path.push(Step::Index(index));
                    self.value(path, inner, item);
                    path.pop();
                }
                true
            }
            (TypeExpr::Named(name), _) => {
                self.named(path, name, value);
                true
            }
            // Parameters-only and part-only types never describe answers; validate says so.
            (TypeExpr::Module | TypeExpr::File, _) => true,
            _ => false,
        };
        if !fits {
            self.report(
                path,
                format!("is {}, but the spec declares `{expected}`", describe(value)),
            );
        }
    }

    fn named(&mut self, path: &mut Vec<Step>, name: &str, value: &Value) {
        let Some(def) = self.types.get(name) else {
            return;
        };
        if let Some(keys) = &def.keys {
            match value {
                Value::Object(members) => self.object(path, name, keys, members),
                other => self.report(
                    path,
                    format!("is {}, but `{name}` is an object", describe(other)),
                ),
            }
        } else if let Some(values) = &def.values {
            let known = values
                .iter()
                .any(|declared| match (&declared.value, value) {
                    (ScalarValue::Integer(want), Value::Number(got)) => got.as_i64() == Some(*want),
                    (ScalarValue::String(want), Value::String(got)) => want == got,
                    _ => false,
                });
            if !known {
                self.report(
                    path,
                    format!("is {value}, not one of the values of `{name}`"),
                );
            }
        }
    }

    fn object(
        &mut self,
        path: &mut Vec<Step>,
        name: &str,
        keys: &IndexMap<String, KeyDef>,
        members: &serde_json::Map<String, Value>,
    ) {
        for (key, value) in members {
            path.push(Step::Key(key.clone()));
            match keys.get(key) {
                None => self.report(
                    path,
                    format!(
                        "is not a key of `{name}`: declare it (with `undocumented: true` if the \
                         page's key table lacks it)"
                    ),
                ),
                Some(def) if value.is_null() => {
                    if def.required && !def.nullable {
                        self.report(
                            path,
                            format!("is null, but `{name}.{key}` is required and not `nullable`"),
                        );
                    }
                }
                Some(def) => {
                    if let Some(expected) = def.ty.get() {
                        self.value(path, expected, value);
                    }
                }
            }
            path.pop();
        }
        for (key, def) in keys {
            if def.required && !members.contains_key(key) {
                self.report(
                    path,
                    format!("lacks `{key}`, which `{name}` declares `required`"),
                );
            }
        }
    }
}

/// Whether a JSON number reads as an `i64` (as `zoho_runtime`'s lenient reader takes it).
fn fits_i64(number: &serde_json::Number) -> bool {
    /// 2^63, the first float beyond `i64::MAX`.
    const I64_END: f64 = 9_223_372_036_854_775_808.0;
    if number.is_i64() {
        return true;
    }
    if number.is_u64() {
        return false;
    }
    number
        .as_f64()
        .is_some_and(|f| f.fract() == 0.0 && (-I64_END..I64_END).contains(&f))
}

/// "a string", "an integer", ... for messages.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `2024-06-01T10:00:00+05:30`, `...Z`, with optional fractional seconds: what the generated
/// `DateTime` (chrono's RFC 3339 parser) accepts, checked by shape.
fn is_rfc3339(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|part| part.iter().all(u8::is_ascii_digit))
    };
    let at = |index: usize, allowed: &[u8]| bytes.get(index).is_some_and(|b| allowed.contains(b));
    let date_time = digits(0..4)
        && at(4, b"-")
        && digits(5..7)
        && at(7, b"-")
        && digits(8..10)
        && at(10, b"Tt ")
        && digits(11..13)
        && at(13, b":")
        && digits(14..16)
        && at(16, b":")
        && digits(17..19);
    if !date_time {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let count = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if count == 0 {
            return false;
        }
        rest = &fraction[count..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit()),
        _ => false,
    }
}

/// Byte offsets of every value of a JSON text, by path, and the keys repeated in their
/// object (with the repeat's offset). A small scanner rather than a parser: the text is known
/// to be valid JSON, and anything unexpected just ends the indexing early.
fn index(text: &str) -> (Offsets, Vec<(Vec<Step>, usize)>) {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
        offsets: HashMap::new(),
        repeated: Vec::new(),
    };
    let _ = scanner.value(&mut Vec::new());
    (scanner.offsets, scanner.repeated)
}

/// Where each value of a sample starts, by path.
type Offsets = HashMap<Vec<Step>, usize>;

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    offsets: Offsets,
    repeated: Vec<(Vec<Step>, usize)>,
}

impl Scanner<'_> {
    fn skip_space(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.skip_space();
        (self.bytes.get(self.at) == Some(&byte)).then(|| self.at += 1)
    }

    fn value(&mut self, path: &mut Vec<Step>) -> Option<()> {
        self.skip_space();
        self.offsets.insert(path.clone(), self.at);
        match self.bytes.get(self.at)? {
            b'{' => {
                self.at += 1;
                if self.eat(b'}').is_some() {
                    return Some(());
                }
                let mut keys = std::collections::HashSet::new();
                loop {
                    self.skip_space();
                    let key_at = self.at;
                    let key = self.string()?;
                    self.eat(b':')?;
                    if !keys.insert(key.clone()) {
                        let mut repeat = path.clone();
                        repeat.push(Step::Key(key.clone()));
                        self.repeated.push((repeat, key_at));
                    }
                    path.push(Step::Key(key));
                    self.value(path)?;
                    path.pop();
                    if self.eat(b',').is_none() {
                        return self.eat(b'}');
                    }
                }
            }
            b'[' => {
                self.at += 1;
                if self.eat(b']').is_some() {
                    return Some(());
                }
                for index in 0.. {
                    path.push(Step::Index(index));
                    self.value(path)?;
                    path.pop();
                    if self.eat(b',').is_none() {
                        break;
                    }
                }
                self.eat(b']')
            }
            b'"' => self.string().map(drop),
            _ => {
                // A number, true, false or null: up to the next delimiter.
                while self
                    .bytes
                    .get(self.at)
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.at += 1;
                }
                Some(())
            }
        }
    }

    /// A string starting at the cursor, decoded by serde_json (escapes included).
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        if self.bytes.get(start) != Some(&b'"') {
            return None;
        }
        let mut end = start + 1;
        loop {
            match self.bytes.get(end)? {
                b'\\' => end += 2,
                b'"' => break,
                _ => end += 1,
            }
        }
        self.at = end + 1;
        let raw = std::str::from_utf8(self.bytes.get(start..=end)?).ok()?;
        serde_json::from_str(raw).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(yaml: &str) -> IndexMap<String, TypeDef> {
        serde_yaml::from_str(yaml).expect("types")
    }

    const ATTACHMENTS: &str = r#"
AttachmentList:
  doc: A page.
  keys:
    data: { type: list<Attachment>, required: true, doc: Items. }
Attachment:
  doc: One.
  keys:
    id: { type: string, required: true, doc: ID. }
    Size: { type: integer, doc: Bytes. }
    Created_Time: { type: datetime, doc: When. }
    $type: { type: Kind, doc: Kind. }
    Owner: { type: object, nullable: true, doc: Who. }
Kind:
  doc: Kinds.
  values:
    - { value: 1, name: File, doc: A file. }
"#;

    fn check_list(sample: &str) -> Vec<Mismatch> {
        check(
            &types(ATTACHMENTS),
            &TypeExpr::Named("AttachmentList".into()),
            sample,
        )
    }

    #[test]
    fn a_sample_that_fits_has_no_mismatch() {
        let sample = r#"{"data": [{"id": "1", "Size": "362207", "Created_Time": "2024-06-01T10:00:00+05:30",
            "$type": 1, "Owner": null}, {"id": "2", "Size": 12}]}"#;
        assert_eq!(check_list(sample), []);
    }

    #[test]
    fn each_kind_of_slip_is_named_with_its_path_and_offset() {
        let sample = r#"{"data": [{"id": 7, "Size": "big", "Created_Time": "yesterday", "$type": 2, "Color": "red"}, {}]}"#;
        let found = check_list(sample);
        let summary: Vec<(&str, &str)> = found
            .iter()
            .map(|m| (m.path.as_str(), m.message.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "data[0].id",
                    "is an integer, but the spec declares `string`"
                ),
                (
                    "data[0].Size",
                    "is a string, but the spec declares `integer`"
                ),
                (
                    "data[0].Created_Time",
                    "is a string, but the spec declares `datetime`"
                ),
                ("data[0].$type", "is 2, not one of the values of `Kind`"),
                (
                    "data[0].Color",
                    "is not a key of `Attachment`: declare it (with `undocumented: true` if the \
                     page's key table lacks it)"
                ),
                (
                    "data[1]",
                    "lacks `id`, which `Attachment` declares `required`"
                ),
            ]
        );
        let offset_of = |needle: &str| sample.find(needle).expect("needle");
        assert_eq!(found[0].offset, Some(offset_of("7,")));
        assert_eq!(found[4].offset, Some(offset_of("\"red\"")));
        assert_eq!(found[5].offset, Some(offset_of("{}")));
    }

    #[test]
    fn integers_must_fit_i64_as_the_crate_reads_them() {
        let fits = r#"{"data": [{"id": "1", "Size": 9223372036854775807}, {"id": "2", "Size": 12.0},
            {"id": "3", "Size": -9223372036854775808}]}"#;
        assert_eq!(check_list(fits), []);
        for size in [
            "9223372036854775808",
            "99999999999999999999",
            "9.3e18",
            "-1e19",
        ] {
            let found = check_list(&format!(r#"{{"data": [{{"id": "1", "Size": {size}}}]}}"#));
            assert_eq!(found.len(), 1, "{size}: {found:?}");
            assert_eq!(found[0].path, "data[0].Size");
            assert!(
                found[0].message.contains("beyond the range of `i64`"),
                "{found:?}"
            );
        }
    }

    #[test]
    fn a_key_given_twice_is_a_mismatch_at_the_repeat() {
        let sample = r#"{"data": [{"id": "1", "Size": 1, "id": "2"}]}"#;
        let found = check_list(sample);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].path, "data[0].id");
        assert!(found[0].message.contains("given twice"), "{found:?}");
        assert_eq!(found[0].offset, sample.rfind("\"id\""));
    }

    #[test]
    fn a_list_answer_and_a_wrong_top_level_kind() {
        let list = TypeExpr::List(Box::new(TypeExpr::Named("Attachment".into())));
        assert_eq!(check(&types(ATTACHMENTS), &list, r#"[{"id": "1"}]"#), []);
        let found = check(&types(ATTACHMENTS), &list, r#"{"id": "1"}"#);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "");
        assert_eq!(
            found[0].message,
            "is an object, but the spec declares `list<Attachment>`"
        );
    }

    #[test]
    fn rfc3339_shapes() {
        for good in [
            "2024-06-01T10:00:00Z",
            "2024-06-01T10:00:00.123+05:30",
            "2024-06-01t10:00:00-00:00",
        ] {
            assert!(is_rfc3339(good), "{good}");
        }
        for bad in [
            "2024-06-01",
            "2024-06-01T10:00:00",
            "2024-06-01T10:00:00+0530",
            "2024-06-01T10:00:00.Z",
            "é",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn escaped_keys_are_indexed_by_their_decoded_name() {
        let (offsets, _) = index(r#"{"a\"b": [1, {"c": true}]}"#);
        assert_eq!(offsets[&vec![Step::Key("a\"b".into())]], 9);
        assert_eq!(
            offsets[&vec![
                Step::Key("a\"b".into()),
                Step::Index(1),
                Step::Key("c".into())
            ]],
            19
        );
    }
}
