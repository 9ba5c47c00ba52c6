//! `openapi`: the validated spec as OpenAPI 3.1 documents, one per product version.
//!
//! Other tools (validators, Swagger UI, schemathesis, client generators for other languages) read
//! OpenAPI, not our YAML; these documents let them. They are built from the IR, the same one the
//! Rust code is printed from, plus the two facts of `shared.yaml` the IR leaves out (the error
//! envelope's keys and how a request is authorised), so they cannot tell another story than the
//! crate.
//!
//! One module per part of a document: `document` (info, servers, the skeleton), `paths`
//! (operations and their parameters), `bodies` (request bodies), `responses` (success and
//! error answers), `schemas` (the version's types as JSON Schema) and `security` (OAuth 2 and
//! scopes). Everything is a `serde_json` value built in a fixed order (the IR's maps are
//! sorted, `serde_json` keeps insertion order), so the same spec gives the same bytes.

mod bodies;
mod document;
mod paths;
mod responses;
mod schemas;
mod security;

use crate::emit::{MARKER, OutputFile};
use crate::ir::{Api, Crate};
use crate::load::LoadedSpec;

/// The folder of the generated crate that holds the documents.
pub const DIR: &str = "openapi";

/// The README of the documents' folder, which says they are generated (JSON has no comments).
pub const README: &str = "README.md";

/// The file name of a product version's document: `crm-v8.json`.
pub fn file_name(api: &Api) -> String {
    format!("{}-{}.json", api.product, api.version)
}

/// Every document of the spec, and the folder's README, sorted by path (relative to the
/// documents' folder).
pub fn files(spec: &LoadedSpec, krate: &Crate) -> Result<Vec<OutputFile>, String> {
    let mut files = Vec::new();
    for api in krate
        .products
        .values()
        .flat_map(|product| product.apis.values())
    {
        let document = document::document(spec, krate, api);
        let mut contents = serde_json::to_string_pretty(&document)
            .map_err(|error| format!("cannot encode {}: {error}", file_name(api)))?;
        contents.push('\n');
        files.push(OutputFile {
            path: file_name(api),
            contents,
        });
    }
    files.push(OutputFile {
        path: README.to_owned(),
        contents: readme(krate),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// [`files`], with paths inside the generated crate (`openapi/crm-v8.json`), as `generate`
/// writes them beside the Rust code.
pub fn crate_files(spec: &LoadedSpec, krate: &Crate) -> Result<Vec<OutputFile>, String> {
    Ok(files(spec, krate)?
        .into_iter()
        .map(|file| OutputFile {
            path: format!("{DIR}/{}", file.path),
            contents: file.contents,
        })
        .collect())
}

/// The folder's README: what the documents are, that they are generated, how to check them.
fn readme(krate: &Crate) -> String {
    let mut list = String::new();
    for api in krate
        .products
        .values()
        .flat_map(|product| product.apis.values())
    {
        let count = api.operations.len();
        list.push_str(&format!(
            "- `{}`: {} ({count} operation{}, from `spec/{}`)\n",
            file_name(api),
            api.title,
            if count == 1 { "" } else { "s" },
            api.spec_file
        ));
    }
    format!(
        "<!-- {MARKER} from spec/. Do not edit: change the spec, then run\n\
         `cargo run -p zoho-codegen`. -->\n\
         # OpenAPI documents\n\
         \n\
         OpenAPI 3.1 documents of the Zoho APIs this crate calls, one per product version, made \
         by `zoho-codegen` from the same validated spec as the Rust code. Do not edit them: change \
         `spec/` and run `cargo run -p zoho-codegen` (or `zoho-codegen openapi --out DIR` to write \
         them elsewhere); `zoho-codegen check` fails while they are stale. Each document's \
         `x-generated` key says the same.\n\
         \n\
         {list}\
         \n\
         Each operation's `operationId` is its name in the spec and the Rust method's name; its \
         `externalDocs` is the Zoho page it was transcribed from. Requests are authorised with \
         `Authorization: Zoho-oauthtoken <access token>` (OAuth 2, one security scheme per data \
         centre's accounts server). Error answers list, per HTTP status, the codes the page \
         documents.\n\
         \n\
         Validate them with `openapi-spec-validator` (the version CI pins is in \
         `tests/openapi/requirements.txt`): `openapi-spec-validator generated/openapi/*.json`.\n"
    )
}
