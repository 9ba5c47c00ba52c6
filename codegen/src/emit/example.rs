//! The example at the top of the crate docs and the README, written from the IR.
//!
//! A hand-written example in the spec would name operations and types the spec may no longer
//! have, and the crate's doctest would fail although the spec is fine. This one is made from
//! what the crate has: the client, a data centre, and one call, so it compiles whatever the
//! spec holds. The call is an upload of a file by path where the crate has one (the richest
//! API's first), else the first call that needs no body, else none.

use crate::ident;
use crate::ir::{Api, Crate, Operation, OperationBody, ParamInput, Product};

/// A record ID of the shape Zoho's pages show.
const SAMPLE_ID: &str = "4876876000000376008";

/// The example for the crate docs: a `no_run` block, compiled as a doctest.
pub fn rustdoc(krate: &Crate) -> String {
    let code: Vec<String> = lines(krate)
        .into_iter()
        .map(|(hidden, line)| if hidden { format!("# {line}") } else { line })
        .collect();
    format!("# Example\n\n```rust,no_run\n{}\n```", code.join("\n"))
}

/// The example for the README, without the lines rustdoc hides.
pub fn readme(krate: &Crate) -> String {
    let code: Vec<String> = lines(krate)
        .into_iter()
        .filter(|(hidden, _)| !hidden)
        .map(|(_, line)| line)
        .collect();
    format!("```rust,no_run\n{}\n```", code.join("\n"))
}

/// The example's lines, each marked when rustdoc should hide it.
fn lines(krate: &Crate) -> Vec<(bool, String)> {
    let shown = |line: String| (false, line);
    let hidden = |line: &str| (true, line.to_owned());
    let mut code = vec![shown(format!(
        "use {}::{{Client, DataCenter}};",
        ident::spelling(&krate.lib_name)
    ))];
    let call = chosen(krate);
    if let Some(call) = &call {
        code.push(shown(format!(
            "use {}::{}::{};",
            ident::spelling(&krate.lib_name),
            ident::spelling(&call.product.id),
            ident::spelling(&call.api.module)
        )));
    }
    code.push(shown(String::new()));
    code.push(hidden(
        "async fn run() -> Result<(), Box<dyn std::error::Error>> {",
    ));
    code.push(shown("let client = Client::builder()".to_owned()));
    if let Some(center) = krate.data_centers.first() {
        code.push(shown(format!(
            "    .data_center(DataCenter::{})",
            ident::spelling(&center.variant)
        )));
    }
    code.push(shown("    .access_token(\"1000.xxxx.yyyy\")".to_owned()));
    code.push(shown("    .build()?;".to_owned()));
    if let Some(call) = &call {
        code.push(shown(String::new()));
        code.extend(call.lines().into_iter().map(shown));
    }
    code.push(hidden("Ok(())"));
    code.push(hidden("}"));
    code
}

/// The call the example makes.
struct Call<'a> {
    product: &'a Product,
    api: &'a Api,
    op: &'a Operation,
    arguments: Vec<String>,
    uploads: bool,
}

impl Call<'_> {
    fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.uploads {
            lines.push(
                "// What to send is one of the body's alternatives: the type says so.".to_owned(),
            );
        }
        lines.extend([
            "let answer = client".to_owned(),
            format!("    .{}()", ident::spelling(&self.api.accessor)),
            format!(
                "    .{}({})",
                ident::spelling(&self.op.name),
                self.arguments.join(", ")
            ),
            "    .send()".to_owned(),
            "    .await?;".to_owned(),
            "println!(\"{answer:?}\");".to_owned(),
            String::new(),
            "// The scopes to ask the user to consent to, straight from the spec.".to_owned(),
            format!(
                "println!(\"{{}}\", {}::{}::REQUIRED_SCOPES);",
                ident::spelling(&self.api.module),
                ident::spelling(&self.op.builder)
            ),
        ]);
        lines
    }
}

/// The upload by path of the API with the most operations, or the first call without a body.
fn chosen(krate: &Crate) -> Option<Call<'_>> {
    let mut apis: Vec<(&Product, &Api)> = krate
        .products
        .values()
        .flat_map(|product| product.apis.values().map(move |api| (product, api)))
        .collect();
    // Most operations first; the sort is stable, so ties keep product and version order.
    apis.sort_by_key(|(_, api)| std::cmp::Reverse(api.operations.len()));
    let calls = |uploads: bool| {
        apis.iter().find_map(|&(product, api)| {
            api.operations.values().find_map(|op| {
                let arguments = arguments(api, op, uploads)?;
                Some(Call {
                    product,
                    api,
                    op,
                    arguments,
                    uploads,
                })
            })
        })
    };
    calls(true).or_else(|| calls(false))
}

/// The arguments of a call to `op`, when the example can write them: its required parameters,
/// then a file body by path (`uploads`) or no body.
fn arguments(api: &Api, op: &Operation, uploads: bool) -> Option<Vec<String>> {
    let mut arguments = Vec::new();
    for param in op.required_args() {
        arguments.push(match &param.input {
            ParamInput::Text => format!("{SAMPLE_ID:?}"),
            ParamInput::Integer => integer(param.minimum, param.maximum).to_string(),
            ParamInput::Boolean => "true".to_owned(),
            ParamInput::TextList => format!("[{SAMPLE_ID:?}]"),
            ParamInput::IntegerList => format!("[{}]", integer(param.minimum, param.maximum)),
            ParamInput::Module(set) => {
                format!(
                    "{}::{}::{}",
                    ident::spelling(&api.module),
                    ident::spelling(set),
                    ident::spelling(first_module(api, set)?)
                )
            }
        });
    }
    match (&op.body, uploads) {
        (None, false) => {}
        (Some(OperationBody::Multipart(name)), true) if api.bodies.get(name)?.file_shortcuts => {
            arguments.push(format!(
                "{}::{}::path(\"report.pdf\")",
                ident::spelling(&api.module),
                ident::spelling(name)
            ));
        }
        _ => return None,
    }
    Some(arguments)
}

/// The first listed module of the version's enumeration, or of the module set `set`.
fn first_module<'a>(api: &'a Api, set: &str) -> Option<&'a str> {
    let variants = match api.module_sets.get(set) {
        Some(set) => &set.variants,
        None => &api.modules.as_ref()?.variants,
    };
    variants.first().map(|module| module.variant.as_str())
}

/// 1, or the nearest value the parameter accepts.
fn integer(minimum: Option<i64>, maximum: Option<i64>) -> i64 {
    let low = minimum.unwrap_or(1).max(1);
    maximum.map_or(low, |high| low.min(high))
}
