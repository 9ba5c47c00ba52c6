//! JSON Schemas of the spec format, for editors.
//!
//! Derived from the serde types in [`crate::load::model`] (with schemars), so the schema and the
//! loader cannot disagree about which keys exist, which are required and what they hold. The
//! files live in `spec/schema/`; every spec file names its schema in a `yaml-language-server`
//! modeline, so VS Code, Neovim, Helix and Zed validate and complete while a maintainer types.
//! `zoho-codegen schema` writes them and `zoho-codegen check` fails when they are stale.
//!
//! The schema checks shape only; references between files, naming collisions and the other
//! semantic rules stay with `validate`.

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;

use crate::emit::{MARKER, OutputFile};
use crate::load::model::{ApiSpec, SharedSpec};

/// The folder of a spec directory the schemas live in.
pub const DIR: &str = "schema";
/// The schema of `shared.yaml`, relative to [`DIR`].
pub const SHARED: &str = "shared.schema.json";
/// The schema of every product file, relative to [`DIR`].
pub const PRODUCT: &str = "product.schema.json";

/// Both schema files, pretty-printed with a trailing newline, sorted by path.
pub fn files() -> Result<Vec<OutputFile>, String> {
    let mut files = vec![
        render::<ApiSpec>(
            PRODUCT,
            "Zoho attachments spec: one product version",
            "A file of spec/ describing one product version (e.g. crm-v8.yaml).",
        )?,
        render::<SharedSpec>(
            SHARED,
            "Zoho attachments spec: shared.yaml",
            "The facts every product file refers to: products, data centres, hosts, auth, errors.",
        )?,
    ];
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The modeline a spec file starts with so editors find its schema.
pub fn modeline(file_name: &str) -> String {
    let schema = if file_name == crate::load::SHARED_FILE {
        SHARED
    } else {
        PRODUCT
    };
    format!("# yaml-language-server: $schema={DIR}/{schema}")
}

fn render<T: JsonSchema>(path: &str, title: &str, description: &str) -> Result<OutputFile, String> {
    // Draft 7 is the newest draft every YAML language server implements fully.
    let mut schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert("title".to_owned(), title.into());
    schema.insert("description".to_owned(), description.into());
    schema.insert(
        "$comment".to_owned(),
        format!(
            "{MARKER} schema from codegen/src/load/model.rs; do not edit: run \
             `cargo run -p zoho-codegen -- schema`."
        )
        .into(),
    );
    let mut contents = serde_json::to_string_pretty(&schema)
        .map_err(|error| format!("cannot encode the schema {path}: {error}"))?;
    contents.push('\n');
    Ok(OutputFile {
        path: path.to_owned(),
        contents,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_schemas_are_deterministic_json_objects_carrying_the_marker() {
        let first = files().expect("schemas");
        assert_eq!(first, files().expect("schemas"));
        let paths: Vec<&str> = first.iter().map(|file| file.path.as_str()).collect();
        assert_eq!(paths, [PRODUCT, SHARED]);
        for file in &first {
            let value: serde_json::Value =
                serde_json::from_str(&file.contents).expect("valid JSON");
            assert_eq!(value["$schema"], "http://json-schema.org/draft-07/schema#");
            assert!(
                value["$comment"]
                    .as_str()
                    .is_some_and(|c| c.contains(MARKER))
            );
            // deny_unknown_fields reaches the schema: a misspelt key is flagged while typing.
            assert_eq!(value["additionalProperties"], false, "{}", file.path);
        }
    }

    #[test]
    fn the_shared_file_gets_the_shared_schema() {
        assert_eq!(
            modeline("shared.yaml"),
            "# yaml-language-server: $schema=schema/shared.schema.json"
        );
        assert_eq!(
            modeline("crm-v8.yaml"),
            "# yaml-language-server: $schema=schema/product.schema.json"
        );
    }
}
