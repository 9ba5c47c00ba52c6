//! A page's operation as a draft product file: the spec format's own types, filled from the
//! page's facts, with a `note:` on every entry whose fact the page does not give.

use indexmap::IndexMap;
use serde_json::Value;

use super::server::{self, Server};
use super::types::Types;
use crate::ident;
use crate::load::model::{
    ApiSpec, BodyDef, ErrorDef, ModuleDef, MultipartDef, OperationDef, ParamDef, ParamLocation,
    PartDef, ResponseDef, ScopeGroupDef, ScopeOperationDef, ScopesDef, ServerDef, SharedSpec,
    VariantDef,
};
use crate::load::parsed::Parsed;
use crate::tools::page::{Field, OperationFacts, PageFacts};

/// What `import` was asked for.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The product, a key of `products` in `shared.yaml`.
    pub product: &'a str,
    /// The version (`v7`).
    pub version: &'a str,
    /// The operation's name; derived from the page's title when absent.
    pub name: Option<&'a str>,
    /// The page's address, when the page does not carry it.
    pub source: Option<&'a str>,
}

/// Drafts the product file of one page operation.
pub fn draft(
    shared: &SharedSpec,
    page: &PageFacts,
    op: &OperationFacts,
    request: &Request<'_>,
) -> Result<ApiSpec, String> {
    let product = shared.products.get(request.product).ok_or_else(|| {
        let known: Vec<&str> = shared.products.keys().map(String::as_str).collect();
        format!(
            "`{}` is no product of shared.yaml ({})",
            request.product,
            known.join(", ")
        )
    })?;
    let source = source(page, op, request)?;
    let name =
        match request.name {
            Some(name) => name.to_owned(),
            None => {
                let title = op.title.as_ref().map(|title| title.value.as_str());
                ident::snake(title.ok_or(
                    "the page gives no title to name the operation after; pass --name NAME",
                )?)
            }
        };
    let (method, server, from_sample) = route(shared, op, request.version)?;
    let mut notes = Vec::new();
    if from_sample {
        notes.push(
            "The page's Endpoints and Request URL could not be read: the path is its sample \
             request's, with each module name and number replaced by a placeholder."
                .to_owned(),
        );
    }
    let purpose = op.purpose.as_ref().map(|purpose| purpose.value.trim());
    // The summary is the Purpose's first sentence; a longer Purpose is the doc.
    let doc = purpose
        .filter(|purpose| first_sentence(purpose) != *purpose)
        .map(|purpose| format!("{purpose}\n"));
    let summary = match purpose {
        Some(purpose) => first_sentence(purpose).to_owned(),
        None => {
            notes.push("The page has no Purpose; the summary is its title.".to_owned());
            op.title
                .as_ref()
                .map_or_else(|| name.clone(), |title| title.value.clone())
        }
    };
    let mut types = Types::default();
    let response = response(&mut types, &name, op, &mut notes);
    let operation = OperationDef {
        summary,
        doc,
        source: source.clone(),
        method,
        path: Parsed::new(server.rest.clone()),
        effect: None,
        params: params(op, &server.rest),
        body: body(&name, op),
        scopes: scopes(op),
        response,
        paging: None,
        errors: errors(op, &mut notes),
        sample_request: op
            .sample_request
            .as_ref()
            .map(|sample| block(&sample.value)),
        sample_response: op.sample_response.as_ref().and_then(|sample| {
            sample
                .json
                .as_ref()
                .and_then(|json| serde_json::to_string_pretty(json).ok())
                .map(|text| block(&text))
        }),
        sample_response_verbatim: op
            .sample_response
            .as_ref()
            .filter(|sample| sample.json.is_none())
            .map(|sample| block(&sample.text)),
        notes,
        provenance: Vec::new(),
        acknowledged: Vec::new(),
        unconfirmed: None,
    };
    Ok(ApiSpec {
        product: request.product.to_owned(),
        version: request.version.to_owned(),
        title: format!("{} API {}", product.name, request.version),
        doc: format!("{}\n", operation.summary),
        source,
        server: ServerDef {
            hosts: server.hosts,
            prefix: server.prefix,
            data_centers: None,
            environments: Vec::new(),
            note: Some(
                "Drafted from the page's request URL; the page does not say which data centres \
                 serve the version, so every origin of the host set is assumed."
                    .to_owned(),
            ),
            provenance: None,
        },
        modules: modules(op),
        module_sets: IndexMap::new(),
        types: types.types,
        operations: IndexMap::from([(name, operation)]),
        composites: IndexMap::new(),
        notes: vec![
            "The page gives the modules' display names only: each API name is drafted as the \
             display name with `_` for spaces."
                .to_owned(),
        ],
        provenance: Vec::new(),
    })
}

/// The page's address: an Endpoints link, else the page's own link (a `#top` anchor), else
/// `--source`.
fn source(page: &PageFacts, op: &OperationFacts, request: &Request<'_>) -> Result<String, String> {
    if let Some(source) = request.source {
        return Ok(source.to_owned());
    }
    let documentation = |url: &str| {
        url.starts_with("https://www.zoho.com/")
            || url.starts_with("https://www.bigin.com/")
            || url.starts_with("https://zoho.com/")
    };
    let linked = op
        .endpoints
        .iter()
        .filter_map(|endpoint| endpoint.value.link.as_deref())
        .chain(
            page.links
                .iter()
                .map(|link| link.value.as_str())
                .filter(|link| link.ends_with("#top")),
        )
        .find(|url| documentation(url));
    linked
        .map(|url| url.split('#').next().unwrap_or(url).to_owned())
        .ok_or_else(|| {
            "the page does not carry its address (no Endpoints link); pass --source URL".to_owned()
        })
}

/// The method and server: from the Endpoints section and the request URL, else from the curl
/// sample (then `true`, the path made a template: see [`templated`]).
fn route(
    shared: &SharedSpec,
    op: &OperationFacts,
    version: &str,
) -> Result<(String, Server, bool), String> {
    let curl = op
        .sample_request
        .as_ref()
        .map(|sample| sample.value.as_str());
    let method = op
        .endpoints
        .first()
        .map(|endpoint| endpoint.value.method.clone())
        .or_else(|| curl.and_then(crate::tools::audit::matching::curl_method))
        .ok_or("the page gives no method: no Endpoints section and no curl sample")?;
    let template = op
        .request_url
        .as_ref()
        .map(|url| url.value.clone())
        .filter(|url| url.contains('/'));
    let url = template
        .clone()
        .or_else(|| curl.and_then(crate::tools::audit::matching::curl_url))
        .ok_or("the page gives no request URL and no curl sample to read the path from")?;
    let mut server = server::read(shared, &url, version)?;
    let mut from_sample = false;
    if let Some(endpoint) = op.endpoints.first() {
        server.rest = endpoint.value.path.clone();
    } else if template.is_none() {
        server.rest = templated(&server.rest, op);
        from_sample = true;
    }
    Ok((method.to_ascii_uppercase(), server, from_sample))
}

/// A sample's path as a template: a supported module's name becomes `{module_api_name}`, the
/// first number `{record_id}` and any later one `{id}`, as Zoho's pages name them.
fn templated(path: &str, op: &OperationFacts) -> String {
    let modules: Vec<String> = op
        .modules
        .iter()
        .flat_map(|listed| &listed.items)
        .map(|module| module.value.replace(' ', "_"))
        .collect();
    let mut numbers = 0;
    path.split('/')
        .map(|segment| {
            if modules.iter().any(|module| module == segment) {
                "{module_api_name}".to_owned()
            } else if !segment.is_empty() && segment.chars().all(|c| c.is_ascii_digit()) {
                numbers += 1;
                if numbers == 1 { "{record_id}" } else { "{id}" }.to_owned()
            } else {
                segment.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The first sentence of `text`: up to its first `. `.
fn first_sentence(text: &str) -> &str {
    text.find(". ").map_or(text, |end| &text[..=end])
}

/// "Supported modules", paired with "Possible module names" by name (`Price Books` with
/// `pricebooks`).
fn modules(op: &OperationFacts) -> IndexMap<String, ModuleDef> {
    // The page reader keeps a module name without what it adds in brackets
    // (`accounts(companies in Bigin)` reads `accounts`), so names pair by spelling only.
    let names: Vec<&str> = op
        .module_names
        .iter()
        .flat_map(|listed| &listed.items)
        .map(|name| name.value.trim())
        .collect();
    let mut modules = IndexMap::new();
    for display in op.modules.iter().flat_map(|listed| &listed.items) {
        let display = display.value.trim();
        let wanted = squashed(display);
        let scope = names.iter().find(|scope| squashed(scope) == wanted);
        let custom = display == "Custom";
        modules.insert(
            display.to_owned(),
            ModuleDef {
                api_name: (!custom).then(|| display.replace(' ', "_")),
                scope: scope.map_or(wanted, |scope| (*scope).to_owned()),
                custom,
                note: scope.is_none().then(|| {
                    "The page lists no module name for it; the scope name is its display name \
                     in lower case."
                        .to_owned()
                }),
                provenance: None,
                acknowledged: Vec::new(),
            },
        );
    }
    modules
}

/// Path parameters from the path's placeholders, query parameters from "Parameters".
fn params(op: &OperationFacts, path: &str) -> IndexMap<String, ParamDef> {
    let mut params = IndexMap::new();
    for segment in path.split('/') {
        let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            continue;
        };
        let module = name.eq_ignore_ascii_case("module_api_name");
        params.insert(
            name.to_owned(),
            ParamDef {
                location: ParamLocation::Path,
                ty: Parsed::new(if module { "module" } else { "string" }),
                required: true,
                doc: if module {
                    "The API name of the module.".to_owned()
                } else {
                    format!("The `{name}` of the request URL.")
                },
                set: None,
                minimum: None,
                maximum: None,
                rust_name: None,
                note: Some("The page does not describe this path segment.".to_owned()),
                provenance: None,
                acknowledged: Vec::new(),
            },
        );
    }
    for field in op.parameters.iter().flat_map(|listed| &listed.items) {
        let (ty, note) = param_type(field);
        params.insert(
            field.name.clone(),
            ParamDef {
                location: ParamLocation::Query,
                ty: Parsed::new(ty),
                required: field.required == Some(true),
                doc: described(field),
                set: None,
                minimum: None,
                maximum: None,
                rust_name: None,
                note: match (note, field.required) {
                    (note, Some(_)) => note,
                    (None, None) => {
                        Some("The page does not say whether it is mandatory.".to_owned())
                    }
                    (Some(note), None) => Some(format!(
                        "{note} The page does not say whether it is mandatory."
                    )),
                },
                provenance: None,
                acknowledged: Vec::new(),
            },
        );
    }
    params
}

fn param_type(field: &Field) -> (&'static str, Option<String>) {
    match field.ty.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("string") => ("string", None),
        Some("integer" | "long" | "int") => ("integer", None),
        Some("boolean") => ("boolean", None),
        Some(other) => (
            "string",
            Some(format!("The page types it `{other}`; drafted as a string.")),
        ),
        None => (
            "string",
            Some("The page gives no type; drafted as a string.".to_owned()),
        ),
    }
}

/// "Input form-data" as a multipart body with one alternative holding every field.
fn body(name: &str, op: &OperationFacts) -> Option<BodyDef> {
    let fields = &op.form_data.as_ref()?.items;
    let parts: IndexMap<String, PartDef> = fields
        .iter()
        .map(|field| {
            let file = field.ty.as_deref() == Some("file");
            let note = match (&field.ty, field.required) {
                (Some(ty), _) if ty != "file" && ty != "string" => {
                    Some(format!("The page types it `{ty}`; drafted as a string."))
                }
                (None, _) => Some("The page gives no type; drafted as a string.".to_owned()),
                (_, None) => Some("The page does not say whether it is mandatory.".to_owned()),
                _ => None,
            };
            let part = PartDef {
                ty: Parsed::new(if file { "file" } else { "string" }),
                required: file || field.required != Some(false),
                doc: described(field),
                value: None,
                max_bytes: None,
                min_length: None,
                max_length: None,
                rust_name: None,
                note,
                provenance: None,
                acknowledged: Vec::new(),
            };
            (field.name.clone(), part)
        })
        .collect();
    let alternative = if parts.values().any(|part| part.ty.text() == "file") {
        "file"
    } else {
        "fields"
    };
    Some(BodyDef {
        multipart: Some(MultipartDef {
            type_name: format!("{}Body", ident::camel(name)),
            doc: "The page's input form-data.".to_owned(),
            one_of: IndexMap::from([(
                alternative.to_owned(),
                VariantDef {
                    doc: "Every field of the page's input form-data.".to_owned(),
                    parts,
                },
            )]),
            max_bytes: None,
            note: Some(
                "Drafted as one alternative holding every form-data field; split it where the \
                 page says the fields are alternatives."
                    .to_owned(),
            ),
            provenance: None,
        }),
        json: None,
    })
}

/// The Scope section with `{module_name}` and `{operation_type}` as the spec writes them.
fn scopes(op: &OperationFacts) -> ScopesDef {
    let groups: Vec<ScopeGroupDef> = op
        .scope
        .iter()
        .flat_map(|scope| &scope.value.all_of)
        .map(|group| ScopeGroupDef {
            any_of: group
                .iter()
                .map(|scope| {
                    Parsed::new(
                        scope
                            .replace("{module_name}", "{module}")
                            .replace("{operation_type}", "{operation}"),
                    )
                })
                .collect(),
        })
        .collect();
    let operations: Vec<ScopeOperationDef> = op
        .operation_types
        .iter()
        .flat_map(|listed| &listed.items)
        .map(|kind| ScopeOperationDef {
            name: kind.name.clone(),
            doc: kind.doc.clone(),
        })
        .collect();
    let note = match (groups.is_empty(), operations.is_empty()) {
        (true, _) => Some("The page has no Scope section.".to_owned()),
        (false, true) => Some("The page lists no operation types.".to_owned()),
        _ => None,
    };
    ScopesDef {
        all_of: groups,
        operations,
        note,
        provenance: None,
        acknowledged: Vec::new(),
    }
}

/// The answer: a file when the page shows neither keys nor a JSON sample, else JSON types.
fn response(
    types: &mut Types,
    name: &str,
    op: &OperationFacts,
    notes: &mut Vec<String>,
) -> ResponseDef {
    let keys: &[Field] = op
        .response_keys
        .as_ref()
        .map_or(&[], |listed| listed.items.as_slice());
    let sample: Option<&Value> = op.sample_response.as_ref().and_then(|s| s.json.as_ref());
    if op
        .sample_response
        .as_ref()
        .is_some_and(|s| s.json.is_none())
    {
        notes.push("The page's sample response is not valid JSON; it is kept verbatim.".to_owned());
    }
    let ty = if keys.is_empty() && sample.is_none() {
        "binary".to_owned()
    } else {
        types.answer(&format!("{}Response", ident::camel(name)), keys, sample)
    };
    ResponseDef {
        status: 200,
        ty: Parsed::new(ty.clone()),
        content_types: Vec::new(),
        empty: None,
        outcomes: None,
        note: Some(if ty == "binary" {
            "The page shows no answer keys and no JSON sample: drafted as file content, status 200."
                .to_owned()
        } else {
            "The page gives no success status: 200 drafted.".to_owned()
        }),
        provenance: None,
    }
}

/// "Possible Errors", one entry per row; a row whose code or status the page lost is left out
/// and named in a note.
fn errors(op: &OperationFacts, notes: &mut Vec<String>) -> Vec<ErrorDef> {
    let mut errors = Vec::new();
    for row in op.errors.iter().flat_map(|listed| &listed.items) {
        let (Some(code), Some(status)) = (&row.code, row.status) else {
            notes.push(format!(
                "The page lost the code or status of an error row (page line {}{}); it is not drafted.",
                row.line,
                row.message
                    .as_deref()
                    .map(|message| format!(", message \"{message}\""))
                    .unwrap_or_default()
            ));
            continue;
        };
        errors.push(ErrorDef {
            code: code.clone(),
            status,
            message: row.message.clone(),
            resolution: row.resolution.clone(),
            recovered_from: None,
            note: row
                .message
                .is_none()
                .then(|| "The page gives no message for this row.".to_owned()),
            provenance: None,
            acknowledged: Vec::new(),
        });
    }
    errors
}

fn described(field: &Field) -> String {
    if field.doc.trim().is_empty() {
        "The page does not describe it.".to_owned()
    } else {
        field.doc.trim().to_owned()
    }
}

/// `Price Books` → `pricebooks`: how display names and module names are compared.
fn squashed(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A multi-line text as the spec's block scalars hold it: ending in one newline.
fn block(text: &str) -> String {
    format!("{}\n", text.trim_end())
}
