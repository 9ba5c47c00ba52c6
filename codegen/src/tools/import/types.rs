//! The response types of a draft, from the page's "Response JSON Keys" and its sample response.
//!
//! The sample says where the keys sit (Zoho's lists put them in the items of `data`) and shows
//! the keys the table leaves out; the table says what each key is. So the types follow the
//! sample, and each key the table documents takes its type and description from its row (the
//! row nested under the same parent where the page nests, else the first row of that name). A
//! key only the sample shows is drafted `undocumented: true`, typed from its value; a row the
//! sample does not show joins the type that received most of the table's rows, with a note. A
//! page without a sample gets its types from the table alone.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::ident;
use crate::load::model::{KeyDef, TypeDef};
use crate::load::parsed::Parsed;
use crate::tools::page::Field;

/// Drafted types, by name, in the order they were made.
#[derive(Debug, Default)]
pub struct Types {
    /// The types.
    pub types: IndexMap<String, TypeDef>,
}

impl Types {
    /// Drafts the answer's type, named `root`, from the key table `keys` (in page order, nested
    /// keys after their parent where the page nests them) and the sample response `sample`.
    /// Returns the type expression of the answer.
    pub fn answer(&mut self, root: &str, keys: &[Field], sample: Option<&Value>) -> String {
        let Some(sample) = sample else {
            let top: Vec<&Field> = keys.iter().filter(|key| key.depth == 0).collect();
            return self.table_object(root, "The answer.", &top, keys);
        };
        let mut placing = Placing {
            table: keys,
            used: vec![false; keys.len()],
            documented: IndexMap::new(),
        };
        let answer = self.sampled_type(
            root,
            "The answer, as the page's sample response shows it.",
            sample,
            None,
            &mut placing,
        );
        // Keys of the table the sample does not show go where the table's other keys went.
        let unplaced: Vec<&Field> = keys
            .iter()
            .zip(&placing.used)
            .filter(|(_, used)| !**used)
            .map(|(field, _)| field)
            .collect();
        let home = placing
            .documented
            .iter()
            .max_by_key(|(_, count)| **count)
            .map(|(name, _)| name.clone())
            .or_else(|| self.types.contains_key(root).then(|| root.to_owned()));
        if let Some(home) = home {
            for field in unplaced {
                let mut def = self.documented(field, None);
                def.note = Some(match def.note {
                    Some(note) => {
                        format!("{note} The page's sample response does not show this key.")
                    }
                    None => "The page's sample response does not show this key.".to_owned(),
                });
                if let Some(keys) = self.types.get_mut(&home).and_then(|ty| ty.keys.as_mut()) {
                    keys.entry(field.name.clone()).or_insert(def);
                }
            }
        }
        answer
    }

    /// The type of a sample value, as an expression; objects become named types whose keys
    /// take the table's documentation where the table has them.
    fn sampled_type(
        &mut self,
        name: &str,
        doc: &str,
        value: &Value,
        parent: Option<&str>,
        placing: &mut Placing<'_>,
    ) -> String {
        match value {
            Value::Object(object) if !object.is_empty() => {
                let mut keys = IndexMap::new();
                let mut documented = 0;
                for (wire, value) in object {
                    let def = match placing.take(wire, parent) {
                        Some(field) => {
                            documented += 1;
                            let mut def = self.documented(field, Some(value));
                            if value.is_object()
                                || value
                                    .as_array()
                                    .is_some_and(|items| merged(items).is_some())
                            {
                                let nested = self.sampled_type(
                                    &type_name(wire),
                                    &format!("The `{wire}` of the answer."),
                                    value,
                                    Some(wire),
                                    placing,
                                );
                                def.ty = Parsed::new(nested);
                            }
                            def
                        }
                        None => {
                            let nested = self.sampled_type(
                                &type_name(wire),
                                &format!("The `{wire}` of the sample response."),
                                value,
                                Some(wire),
                                placing,
                            );
                            let mut def = key(
                                &nested,
                                "In the page's sample response, not in its key table.",
                            );
                            def.undocumented = true;
                            def.nullable = value.is_null();
                            def
                        }
                    };
                    keys.insert(wire.clone(), def);
                }
                let inserted = self.insert(name, doc, keys);
                if documented > 0 {
                    placing.documented.insert(inserted.clone(), documented);
                }
                inserted
            }
            Value::Array(items) => match merged(items) {
                Some(item) => {
                    let inner = self.sampled_type(
                        &singular(name),
                        doc,
                        &Value::Object(item),
                        parent,
                        placing,
                    );
                    format!("list<{inner}>")
                }
                None => "list<object>".to_owned(),
            },
            other => sample_type(Some(other)).unwrap_or("string").to_owned(),
        }
    }

    /// An object type from the table keys `fields` and their nested keys among `all`, for a
    /// page without a sample response.
    fn table_object(&mut self, name: &str, doc: &str, fields: &[&Field], all: &[Field]) -> String {
        let mut keys = IndexMap::new();
        for field in fields {
            let mut def = self.documented(field, None);
            let children: Vec<&Field> = all
                .iter()
                .filter(|child| child.parent.as_deref() == Some(field.name.as_str()))
                .collect();
            if !children.is_empty() {
                let list = def.ty.text().starts_with("list<");
                let type_name = type_name(&if list {
                    singular(&field.name)
                } else {
                    field.name.clone()
                });
                let nested = self.table_object(
                    &type_name,
                    &format!("The `{}` of the answer.", field.name),
                    &children,
                    all,
                );
                def.ty = Parsed::new(if list {
                    format!("list<{nested}>")
                } else {
                    nested
                });
            }
            keys.insert(field.name.clone(), def);
        }
        self.insert(name, doc, keys)
    }

    /// A key the table documents; its type from the page's label (`JSON object` as any object,
    /// refined from the sample by the caller), else from the sample value.
    fn documented(&self, field: &Field, value: Option<&Value>) -> KeyDef {
        let label = field.ty.as_deref().map(str::to_ascii_lowercase);
        let doc = if field.doc.trim().is_empty() {
            "The page does not describe this key."
        } else {
            field.doc.trim()
        };
        let (ty, note) = match label.as_deref() {
            Some("string") => ("string", None),
            Some("integer" | "long" | "int") => ("integer", None),
            Some("boolean") => ("boolean", None),
            Some("number" | "double" | "float") => ("number", None),
            Some("json object") => ("object", None),
            Some("json array") => ("list<object>", None),
            other => (
                sample_type(value).unwrap_or("string"),
                Some(match other {
                    Some(other) => format!(
                        "The page types this key `{other}`, which import does not know; typed from the sample."
                    ),
                    None => {
                        "The page gives no type for this key; typed from the sample.".to_owned()
                    }
                }),
            ),
        };
        let mut def = key(ty, doc);
        def.nullable = matches!(value, Some(Value::Null));
        def.note = note;
        if !field.values.is_empty() {
            let values: Vec<String> = field
                .values
                .iter()
                .map(|row| format!("`{}`: {}", row.value, row.doc))
                .collect();
            def.doc = format!("{}\n\nValues: {}.", def.doc, values.join("; "));
        }
        def
    }

    /// Adds a type under `name`, or under `name2`, `name3`... when a different one has it.
    fn insert(&mut self, name: &str, doc: &str, keys: IndexMap<String, KeyDef>) -> String {
        let mut candidate = name.to_owned();
        let mut n = 1;
        while self.types.contains_key(&candidate) {
            n += 1;
            candidate = format!("{name}{n}");
        }
        self.types.insert(
            candidate.clone(),
            TypeDef {
                doc: doc.to_owned(),
                keys: Some(keys),
                values: None,
                note: None,
                provenance: None,
                acknowledged: Vec::new(),
            },
        );
        candidate
    }
}

/// Which rows of the key table have found their place in the sample's types.
struct Placing<'a> {
    table: &'a [Field],
    used: Vec<bool>,
    /// How many table keys each drafted type received.
    documented: IndexMap<String, usize>,
}

impl<'a> Placing<'a> {
    /// The first unused table row for key `wire`: one nested under `parent` when the page
    /// nests, else any.
    fn take(&mut self, wire: &str, parent: Option<&str>) -> Option<&'a Field> {
        let table = self.table;
        let free = |index: &usize| !self.used[*index] && table[*index].name == wire;
        let index = (0..table.len())
            .filter(free)
            .find(|index| parent.is_some() && table[*index].parent.as_deref() == parent)
            .or_else(|| (0..table.len()).find(free))?;
        self.used[index] = true;
        Some(&table[index])
    }
}

/// `contractattachments` → `Contractattachments`, `$approval` → `Approval`.
fn type_name(wire: &str) -> String {
    ident::camel(wire.trim_start_matches('$'))
}

fn key(ty: &str, doc: &str) -> KeyDef {
    KeyDef {
        ty: Parsed::new(ty),
        doc: doc.to_owned(),
        required: false,
        nullable: false,
        undocumented: false,
        tolerant: false,
        rust_name: None,
        default: None,
        note: None,
        provenance: None,
        acknowledged: Vec::new(),
    }
}

/// The spec type of a scalar sample value (`null` as a string that may be null).
fn sample_type(value: Option<&Value>) -> Option<&'static str> {
    Some(match value? {
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) | Value::Null => "string",
        Value::Object(_) => "object",
        Value::Array(_) => "list<object>",
    })
}

/// Every key of the objects among `items`, each with its first value that is not `null`: the
/// items of one list together show the keys of their type (a file and a link differ).
fn merged(items: &[Value]) -> Option<Map<String, Value>> {
    let mut merged: Option<Map<String, Value>> = None;
    for item in items.iter().filter_map(Value::as_object) {
        let merged = merged.get_or_insert_with(Map::new);
        for (key, value) in item {
            match merged.get(key) {
                Some(known) if !known.is_null() => {}
                _ => {
                    merged.insert(key.clone(), value.clone());
                }
            }
        }
    }
    merged
}

/// `contractattachments` → `contractattachment`, `data` → `data`: an item's name from its list's.
fn singular(name: &str) -> String {
    match name.strip_suffix('s') {
        Some(stem) if !stem.is_empty() && !stem.ends_with('s') => stem.to_owned(),
        _ => name.to_owned(),
    }
}
