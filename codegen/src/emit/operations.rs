//! Operations: the entry-point method, the request builder and its `send`.
//!
//! Required inputs are arguments of the entry-point method, so leaving one out does not
//! compile; optional ones are builder methods. `send` checks the limits the spec gives, renders
//! the path, query and body, hands the request to the runtime and turns the answer into the
//! response type: decoded JSON, a streaming download, or nothing for an empty success.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::composites;
use super::docs::{Doc, code, lowercase_first, prose};
use super::shapes::{param_shape, result_type};
use crate::ident;
use crate::ir::{
    Api, EmptyYield, Field, Operation, OperationBody, Paging, Param, ParamInput, PathPiece,
    ResponseKind, RustType, Scopes,
};

/// The operations file of a version: entry-point methods and builders, composites included.
pub fn file(api: &Api) -> TokenStream {
    let entry = ident::ident(&api.entry_type);
    let methods = api.operations.values().map(|op| entry_method(api, op));
    let builders = api.operations.values().map(|op| builder(api, op));
    let infos = api.operations.values().map(|op| operation_info(api, op));
    let composite_methods = api
        .composites
        .values()
        .map(|composite| composites::entry_method(api, composite));
    let composite_items = api
        .composites
        .values()
        .map(|composite| composites::items(api, composite));
    let used = imports(api).into_iter().map(|name| ident::ident(&name));
    quote! {
        use super::{#(#used),*};

        impl super::#entry {
            #(#methods)*
            #(#composite_methods)*
        }

        #(#infos)*

        #(#builders)*

        #(#composite_items)*
    }
}

/// Exactly the sibling items this file names, so no import goes unused.
fn imports(api: &Api) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for op in api.operations.values() {
        used.insert(op.error.clone());
        let per_item = op
            .response
            .outcomes
            .as_ref()
            .and_then(|outcomes| outcomes.per_item.as_ref());
        match (&op.response.kind, per_item) {
            (_, Some(per_item)) => {
                used.insert(per_item.item_type.clone());
            }
            (ResponseKind::Object(name) | ResponseKind::List(name), None) => {
                used.insert(name.clone());
            }
            (ResponseKind::Binary { .. }, None) => {}
        }
        if let Some(body) = &op.body {
            used.insert(body.type_name().to_owned());
        }
        if let Some(module) = op.module_param().and_then(module_type_name) {
            used.insert(module.to_owned());
        }
        if let Some(paging) = &op.paging {
            used.insert(paging.item_type.clone());
        }
    }
    for composite in api.composites.values() {
        used.insert(composite.entry_type.clone());
        used.insert(composite.error.clone());
        used.extend(
            composite
                .set
                .iter()
                .filter_map(|field| field.value_type.named().map(str::to_owned)),
        );
    }
    used
}

/// The enum a module parameter takes: the version's `Module`, or its module set.
fn module_type_name(param: &Param) -> Option<&str> {
    match &param.input {
        ParamInput::Module(name) => Some(name),
        _ => None,
    }
}

pub(super) fn info_ident(op: &Operation) -> proc_macro2::Ident {
    ident::ident(&op.info)
}

fn operation_info(api: &Api, op: &Operation) -> TokenStream {
    let name = info_ident(op);
    let product = &api.product;
    let version = &api.version;
    let operation = &op.name;
    let method = format_ident!("{}", op.method);
    let kind = format_ident!("{}", op.kind.variant());
    let item_status = item_status(op);
    quote! {
        static #name: ::zoho_runtime::OperationInfo = ::zoho_runtime::OperationInfo {
            product: #product,
            version: #version,
            name: #operation,
            method: ::zoho_runtime::Method::#method,
            server: &super::SERVER,
            kind: ::zoho_runtime::OperationKind::#kind,
            item_status: #item_status,
        };
    }
}

/// The operation's `Option<zoho_runtime::ItemStatus>`.
pub(super) fn item_status(op: &Operation) -> TokenStream {
    option_tokens(op.response.outcomes.as_ref().map(|outcomes| {
        let list = option_tokens(outcomes.list.as_deref());
        let key = &outcomes.key;
        let success = &outcomes.success;
        quote! {
            ::zoho_runtime::ItemStatus {
                list: #list,
                key: #key,
                success: #success,
            }
        }
    }))
}

/// What the answer is, for the docs.
fn answer_doc(op: &Operation) -> String {
    if let Some(outcomes) = &op.response.outcomes {
        let key = code(&outcomes.key);
        let success = code(&outcomes.success);
        return match &outcomes.per_item {
            Some(per_item) => format!(
                "Answers one outcome per item of `{param}`, in the order given, as \
                 [`Outcomes`](::zoho_runtime::Outcomes): each item Zoho acted on as a \
                 [`{item}`], each it did not (its {key} is not {success}) as its error. Check \
                 them: the call succeeds even when some items fail.",
                param = per_item.param,
                item = per_item.item_type,
            ),
            None => format!(
                "{} An item of the answer whose {key} is not {success} makes the call fail \
                 with that item's error, though Zoho answered with a success status.",
                plain_answer_doc(op)
            ),
        };
    }
    plain_answer_doc(op)
}

/// What the answer is, without its outcomes.
fn plain_answer_doc(op: &Operation) -> String {
    let mut text = match &op.response.kind {
        ResponseKind::Object(name) => format!("Answers a [`{name}`]."),
        ResponseKind::List(name) => format!("Answers a list of [`{name}`]."),
        ResponseKind::Binary { content_types } => {
            let mut text = "Answers the file as a [`Download`](::zoho_runtime::Download): its \
                            name, type and length, streamed into memory, to a path, or into a \
                            folder under a safe name."
                .to_owned();
            if !content_types.is_empty() {
                let listed: Vec<String> = content_types.iter().map(|ty| code(ty)).collect();
                text.push_str(&format!(
                    " Content types on the page: {}.",
                    listed.join(", ")
                ));
            }
            text
        }
    };
    if let Some(empty) = &op.response.empty {
        let yields = match empty.yields {
            EmptyYield::None => "`None`",
            EmptyYield::Default => "an empty value",
        };
        text.push_str(&format!(
            " HTTP {} gives {yields}: {}",
            empty.status,
            prose(empty.doc.trim())
        ));
    }
    text
}

fn entry_method(api: &Api, op: &Operation) -> TokenStream {
    let method = ident::ident(&op.name);
    let builder = ident::ident(&op.builder);
    let mut arguments = Vec::new();
    let mut inits = Vec::new();
    let mut arg_docs = Vec::new();
    for param in op.required_args() {
        let name = ident::ident(&param.rust);
        let shape = param_shape(param);
        let argument = shape.argument;
        let value = (shape.convert)(quote!(#name));
        arguments.push(quote!(#name: #argument));
        // Field-init shorthand when the argument is stored as given.
        if name == value.to_string() {
            inits.push(quote!(#name));
        } else {
            inits.push(quote!(#name: #value));
        }
        arg_docs.push(format!("- `{}`: {}", param.rust, prose(param.doc.trim())));
    }
    if let Some(body) = &op.body {
        let body_type = ident::ident(body.type_name());
        arguments.push(quote!(body: impl ::std::convert::Into<#body_type>));
        inits.push(quote!(body: body.into()));
        arg_docs.push(match body {
            OperationBody::Multipart(name) => {
                format!("- `body`: what to send, a [`{name}`] (see its constructors).")
            }
            OperationBody::Json(name) => {
                format!("- `body`: the JSON body, a [`{name}`] (see its constructor).")
            }
        });
    }
    for param in op.query_params.iter().filter(|param| !param.required) {
        let name = ident::ident(&param.rust);
        inits.push(quote!(#name: ::std::option::Option::None));
    }
    inits.push(quote!(options: ::std::default::Default::default()));
    let mut doc = Doc::new(&op.summary);
    if let Some(more) = &op.doc {
        doc = doc.text(more);
    }
    doc = doc.markdown(format!(
        "`{} {}{}`",
        op.method, api.prefix, op.path_template
    ));
    if !arg_docs.is_empty() {
        doc = doc.markdown(format!("Arguments:\n{}", arg_docs.join("\n")));
    }
    let optional = if op.query_params.iter().any(|param| !param.required) {
        "set optional parameters on it, then call"
    } else {
        "call"
    };
    doc = doc.markdown(format!(
        "Returns the request builder [`{builder}`]: {optional} [`send`]({builder}::send). \
         {} Needs the scopes in [`{builder}::REQUIRED_SCOPES`]; fails with [`{error}`].",
        answer_doc(op),
        builder = op.builder,
        error = op.error,
    ));
    let doc = doc
        .notes(&op.notes)
        .source(&op.source)
        .unconfirmed(op.unconfirmed.as_deref())
        .tokens();
    quote! {
        #doc
        pub fn #method(&self, #(#arguments),*) -> #builder {
            #builder {
                client: self.client.clone(),
                #(#inits,)*
            }
        }
    }
}

fn builder(api: &Api, op: &Operation) -> TokenStream {
    let builder = ident::ident(&op.builder);
    let entry = &api.entry_type;

    let mut fields = Vec::new();
    for param in op.required_args() {
        let name = ident::ident(&param.rust);
        let stored = param_shape(param).stored;
        fields.push(quote!(#name: #stored));
    }
    if let Some(body) = &op.body {
        let body = ident::ident(body.type_name());
        fields.push(quote!(body: #body));
    }
    let mut setters = Vec::new();
    for param in op.query_params.iter().filter(|param| !param.required) {
        let name = ident::ident(&param.rust);
        let shape = param_shape(param);
        let stored = shape.stored;
        let argument = shape.argument;
        let value = (shape.convert)(quote!(value));
        fields.push(quote!(#name: ::std::option::Option<#stored>));
        let mut doc = Doc::new(&param.doc).markdown(format!(
            "Sent as the query parameter {}.",
            code(&param.wire)
        ));
        if let Some(bounds) = bounds_doc(param) {
            doc = doc.markdown(bounds);
        }
        let doc = doc.note(param.note.as_deref()).tokens();
        setters.push(quote! {
            #doc
            pub fn #name(mut self, value: #argument) -> Self {
                self.#name = ::std::option::Option::Some(#value);
                self
            }
        });
    }

    let scopes = scope_items(op);
    let send = send_fn(op);
    let paging = op.paging.as_ref().map(|paging| paging_fns(op, paging));
    // A multipart body may hold a one-shot reader, so only those builders cannot be cloned.
    let clone = (!matches!(op.body, Some(OperationBody::Multipart(_)))).then(|| quote!(Clone,));
    let has_optional = op.query_params.iter().any(|param| !param.required);
    let doc = Doc::new(&format!(
        "A request to {}",
        lowercase_first(op.summary.trim().trim_start_matches("To ").trim())
    ))
    .markdown(format!(
        "Made by [`{entry}::{method}`](super::{entry}::{method}); {}[`send`](Self::send) \
         performs the call.",
        if has_optional {
            "optional parameters are set with its methods, and "
        } else {
            ""
        },
        method = ident::spelling(&op.name)
    ))
    .unconfirmed(op.unconfirmed.as_deref())
    .tokens();
    quote! {
        #doc
        #[derive(#clone Debug)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #builder {
            client: crate::Client,
            #(#fields,)*
            options: ::zoho_runtime::CallOptions,
        }

        impl #builder {
            #scopes

            #(#setters)*

            /// Retries this call with `policy` instead of the client's retry policy.
            pub fn retry_policy(mut self, policy: ::zoho_runtime::RetryPolicy) -> Self {
                self.options.retry_policy(policy);
                self
            }

            /// Bounds this whole call (every attempt and wait) by `timeout` instead of the
            /// client's default.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.timeout(timeout);
                self
            }

            #send

            #paging
        }
    }
}

/// `pages` and `into_stream` for an operation that pages.
fn paging_fns(op: &Operation, paging: &Paging) -> TokenStream {
    let error = ident::ident(&op.error);
    let answer = result_type(op);
    let item = ident::ident(&paging.item_type);
    let info = ident::ident(&paging.info.rust);
    let items = ident::ident(&paging.items.rust);
    // A paging fact as an Option, whichever of the info and the fact may be absent, cloning
    // only what is not Copy.
    let info_optional = paging.info.optional();
    let facts = |field: &Field| {
        let name = ident::ident(&field.rust);
        let clone = (field.value == RustType::String).then(|| quote!(.clone()));
        match (info_optional, field.optional()) {
            (false, true) => quote!(page.#info.#name #clone),
            (false, false) => quote!(::std::option::Option::Some(page.#info.#name #clone)),
            (true, true) => quote!(page.#info.as_ref().and_then(|info| info.#name #clone)),
            (true, false) => quote!(page.#info.as_ref().map(|info| info.#name #clone)),
        }
    };
    let more = facts(&paging.more_records);
    let more = quote!(#more.unwrap_or(false));
    let none = quote!(::std::option::Option::None);
    let number = paging.page.as_ref().map_or_else(|| none.clone(), facts);
    let token = paging
        .next_page_token
        .as_ref()
        .map_or_else(|| none.clone(), facts);
    let set_page = paging.page_param.as_ref().map(|param| {
        let param = ident::ident(&param.rust);
        quote!(::zoho_runtime::paging::Cursor::Page(number) => request.#param = ::std::option::Option::Some(number),)
    });
    let set_token = paging.token_param.as_ref().map(|param| {
        let param = ident::ident(&param.rust);
        // A token replaces the page number: Zoho reads one or the other.
        let clear = paging.page_param.as_ref().map(|page| {
            let page = ident::ident(&page.rust);
            quote!(request.#page = ::std::option::Option::None;)
        });
        quote! {
            ::zoho_runtime::paging::Cursor::Token(token) => {
                #clear
                request.#param = ::std::option::Option::Some(token);
            }
        }
    });
    let items_of = if paging.items.optional() {
        quote!(page.#items.unwrap_or_default())
    } else {
        quote!(page.#items)
    };
    let pages_doc = Doc::default()
        .markdown(
            "Every page, one request after another, for as long as Zoho says more records \
             follow. The next page is asked for by the page token the answer gives, or else by \
             the next page number; a token Zoho repeats ends the stream with an error instead of \
             a loop.",
        )
        .markdown(
            "Lazy: nothing is sent until the stream is polled; the stream ends after an error.",
        )
        .tokens();
    let stream_doc = Doc::default()
        .markdown(format!(
            "Every [`{}`] across all pages, in order; see [`pages`](Self::pages).",
            paging.item_type
        ))
        .tokens();
    quote! {
        #pages_doc
        pub fn pages(self) -> impl ::zoho_runtime::futures::Stream<Item = ::std::result::Result<#answer, #error>> + ::std::marker::Send + 'static {
            ::zoho_runtime::paging::pages(move |cursor| {
                let mut request = self.clone();
                match cursor {
                    #set_page
                    #set_token
                    _ => {}
                }
                async move {
                    let page = request.send().await?;
                    let facts = ::zoho_runtime::paging::PageInfo {
                        more_records: #more,
                        page: #number,
                        next_page_token: #token,
                    };
                    ::std::result::Result::Ok((page, facts))
                }
            })
        }

        #stream_doc
        pub fn into_stream(self) -> impl ::zoho_runtime::futures::Stream<Item = ::std::result::Result<#item, #error>> + ::std::marker::Send + 'static {
            ::zoho_runtime::paging::items(self.pages(), |page| #items_of)
        }
    }
}

/// "Accepted from 1 to 200." for a parameter with bounds.
fn bounds_doc(param: &Param) -> Option<String> {
    match (param.minimum, param.maximum) {
        (Some(min), Some(max)) => Some(format!(
            "Accepted from {min} to {max}; checked before sending."
        )),
        (Some(min), None) => Some(format!("At least {min}; checked before sending.")),
        (None, Some(max)) => Some(format!("At most {max}; checked before sending.")),
        (None, None) => None,
    }
}

/// `Some(n)` or `None` as tokens.
pub(super) fn option_tokens<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(value) => quote!(::std::option::Option::Some(#value)),
        None => quote!(::std::option::Option::None),
    }
}

fn scope_items(op: &Operation) -> TokenStream {
    let Scopes {
        groups,
        operations,
        note,
    } = &op.scopes;
    let group_tokens = groups.iter().map(|group| quote!(&[#(#group),*]));
    let operation_names = operations.iter().map(|(name, _)| name);
    let mut text = String::from(
        "The OAuth scopes this operation needs: every line below must be satisfied, by any one \
         of its scopes.\n",
    );
    for group in groups {
        let alternatives: Vec<String> = group.iter().map(|scope| format!("`{scope}`")).collect();
        text.push_str(&format!("\n- {}", alternatives.join(" or ")));
    }
    let module = op.module_param().and_then(module_type_name);
    if let Some(module) = &module
        && groups
            .iter()
            .flatten()
            .any(|scope| scope.contains("{module}"))
    {
        text.push_str(&format!(
            "\n\n`{{module}}` is the module's scope name ([`{module}::scope_name`])."
        ));
    }
    if !operations.is_empty() {
        let listed: Vec<String> = operations
            .iter()
            .map(|(name, doc)| format!("`{name}` ({})", prose(doc)))
            .collect();
        let placeholder = if groups
            .iter()
            .flatten()
            .any(|scope| scope.contains("{operation}"))
        {
            "`{operation}` is one of"
        } else {
            "Operation types on the page"
        };
        text.push_str(&format!("\n\n{placeholder}: {}.", listed.join(", ")));
    }
    let doc = Doc::default().markdown(text).note(note.as_deref()).tokens();
    let minimal = match &module {
        Some(module) => {
            let module = ident::ident(module);
            let doc = Doc::new(
                "The narrowest scopes that allow this operation on `module`, to request at \
                 consent time.",
            )
            .tokens();
            quote! {
                #doc
                pub fn minimal_scopes(module: &#module) -> ::std::vec::Vec<::std::string::String> {
                    Self::REQUIRED_SCOPES.minimal(::std::option::Option::Some(module.scope_name()))
                }
            }
        }
        None => {
            let doc = Doc::new(
                "The narrowest scopes that allow this operation, to request at consent time.",
            )
            .tokens();
            quote! {
                #doc
                pub fn minimal_scopes() -> ::std::vec::Vec<::std::string::String> {
                    Self::REQUIRED_SCOPES.minimal(::std::option::Option::None)
                }
            }
        }
    };
    quote! {
        #doc
        pub const REQUIRED_SCOPES: ::zoho_runtime::ScopeRule = ::zoho_runtime::ScopeRule {
            groups: &[#(#group_tokens),*],
            operations: &[#(#operation_names),*],
        };

        #minimal
    }
}

fn send_fn(op: &Operation) -> TokenStream {
    let error = ident::ident(&op.error);
    let result = result_type(op);
    let info = info_ident(op);

    // Each parameter is percent-encoded on its own, then the pieces are joined.
    let mut encoded = Vec::new();
    let mut pieces = Vec::new();
    for piece in &op.path {
        match piece {
            PathPiece::Literal(text) => pieces.push(quote!(#text)),
            PathPiece::Param(index) => {
                let Some(param) = op.path_params.get(*index) else {
                    continue;
                };
                let name = ident::ident(&param.rust);
                let label = Literal::string(&param.rust);
                let value = match param.input {
                    ParamInput::Module(_) => quote!(self.#name.api_name()),
                    ParamInput::Text => quote!(&self.#name),
                    _ => quote!(&self.#name.to_string()),
                };
                encoded.push(quote! {
                    let #name = ::zoho_runtime::encode_path_segment(#label, #value)?;
                });
                pieces.push(quote!(&#name));
            }
        }
    }

    let queries = op.query_params.iter().map(|param| {
        let name = ident::ident(&param.rust);
        let wire = &param.wire;
        let rust = &param.rust;
        let range = (param.minimum.is_some() || param.maximum.is_some()).then(|| {
            let min = option_tokens(param.minimum.map(Literal::i64_unsuffixed));
            let max = option_tokens(param.maximum.map(Literal::i64_unsuffixed));
            (min, max)
        });
        let render = |value: TokenStream| match &param.input {
            ParamInput::Text => value,
            ParamInput::TextList | ParamInput::IntegerList => {
                quote!(::zoho_runtime::join_list(#rust, &#value)?)
            }
            _ => quote!(#value.to_string()),
        };
        let check = |value: TokenStream| {
            range
                .as_ref()
                .map(|(min, max)| quote!(::zoho_runtime::check_range(#rust, #value, #min, #max)?;))
        };
        if param.required {
            let check = check(quote!(self.#name));
            let value = render(quote!(self.#name));
            quote! {
                #check
                request = request.query(#wire, #value);
            }
        } else {
            let check = check(quote!(value));
            let render = render(quote!(value));
            quote! {
                if let ::std::option::Option::Some(value) = self.#name {
                    #check
                    request = request.query(#wire, #render);
                }
            }
        }
    });
    let body = op.body.as_ref().map(|body| match body {
        OperationBody::Multipart(_) => quote! {
            request = request.multipart(self.body.into_multipart()?);
        },
        OperationBody::Json(_) => quote! {
            request = request.json_body(&self.body)?;
        },
    });
    let mutable = (!op.query_params.is_empty() || op.body.is_some()).then(|| quote!(mut));

    let per_item = op
        .response
        .outcomes
        .as_ref()
        .and_then(|outcomes| outcomes.per_item.as_ref());
    let decode = match (&op.response.kind, per_item) {
        (_, Some(per_item)) => {
            let item = ident::ident(&per_item.item_type);
            let ids = ident::ident(&per_item.param);
            quote! {
                response
                    .outcomes::<#item>(&self.#ids)
                    .await?
                    .map_err(#error::from)
            }
        }
        (ResponseKind::Object(name), None) => {
            let name = ident::ident(name);
            quote!(response.json::<#name>().await?)
        }
        (ResponseKind::List(name), None) => {
            let name = ident::ident(name);
            quote!(response.json::<::std::vec::Vec<#name>>().await?)
        }
        (ResponseKind::Binary { .. }, None) => quote!(response.into_download()),
    };
    let (empty, answer) = match &op.response.empty {
        Some(empty) => {
            let status = Literal::u16_unsuffixed(empty.status);
            let (nothing, wrapped) = match empty.yields {
                EmptyYield::None => (
                    quote!(::std::option::Option::None),
                    quote!(::std::option::Option::Some(#decode)),
                ),
                EmptyYield::Default => (quote!(::std::default::Default::default()), decode),
            };
            (
                quote! {
                    if response.status() == #status {
                        return ::std::result::Result::Ok(#nothing);
                    }
                },
                wrapped,
            )
        }
        None => (quote!(), decode),
    };
    let items = match op
        .response
        .outcomes
        .as_ref()
        .map(|outcomes| &outcomes.per_item)
    {
        Some(Some(_)) => {
            " Items that failed are not errors of the call: each is the error of \
                          its own outcome, converted the same way."
        }
        Some(None) => " So is the code of an item that failed in a success answer.",
        None => "",
    };
    let doc = Doc::default()
        .markdown(format!(
            "Sends the request and reads the answer.\n\n# Errors\n\nA documented Zoho error \
             code becomes its [`{error}`] variant; other codes are kept in \
             [`{error}::Unhandled`].{items} Invalid input (including limits the spec gives), \
             transport failures, timeouts and undecodable answers are [`{error}::Request`].",
            error = op.error
        ))
        .tokens();
    quote! {
        #doc
        pub async fn send(self) -> ::std::result::Result<#result, #error> {
            #(#encoded)*
            let path = [#(#pieces),*].concat();
            let #mutable request = ::zoho_runtime::Request::new(path);
            #(#queries)*
            #body
            let response = self
                .client
                .runtime()
                .send_with(&#info, request, &self.options)
                .await?;
            #empty
            ::std::result::Result::Ok(#answer)
        }
    }
}
