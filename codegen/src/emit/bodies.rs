//! Request bodies: one enum per multipart body, one variant per alternative.
//!
//! "A file or a link, never both or neither" holds by construction: the only ways to make an
//! `Upload` are its constructors, each of which picks one alternative and takes that
//! alternative's required inputs as arguments. Optional inputs are builder methods on the
//! alternative's own struct, so they cannot be set on the wrong alternative. Fixed parts are sent
//! without being asked for, and the limits the spec gives are checked before anything is sent.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{Doc, code, prose};
use super::operations::option_tokens;
use crate::ident;
use crate::ir::{Api, Body, BodyVariant, Part, VariantShape};

/// The bodies file of a version (empty when no operation has a multipart body).
pub fn file(api: &Api) -> TokenStream {
    let bodies = api.bodies.values().map(|body| body_type(api, body));
    quote!(#(#bodies)*)
}

fn part_type(part: &Part) -> TokenStream {
    if part.file {
        quote!(::zoho_runtime::FilePart)
    } else {
        quote!(::std::string::String)
    }
}

fn part_argument(part: &Part) -> TokenStream {
    if part.file {
        quote!(impl ::std::convert::Into<::zoho_runtime::FilePart>)
    } else {
        quote!(impl ::std::convert::Into<::std::string::String>)
    }
}

/// The argument docs of an input part, with its limits.
fn part_doc(part: &Part) -> String {
    let mut text = format!(
        "- `{}` (form field {}): {}",
        part.rust,
        code(&part.wire),
        prose(part.doc.trim())
    );
    if let Some(limit) = limit_doc(part) {
        text.push(' ');
        text.push_str(&limit);
    }
    text
}

/// "At most 3000 characters." and the like, for parts with limits.
fn limit_doc(part: &Part) -> Option<String> {
    let text = match (part.max_bytes, part.min_length, part.max_length) {
        (Some(bytes), _, _) => format!("At most {bytes} bytes"),
        (None, Some(min), Some(max)) => format!("From {min} to {max} characters"),
        (None, None, Some(max)) => format!("At most {max} characters"),
        (None, Some(min), None) => format!("At least {min} characters"),
        (None, None, None) => return None,
    };
    Some(format!("{text}, checked before sending."))
}

/// Statements that check one part's value (`value`) and add it to `form`.
fn add_part(part: &Part, value: TokenStream) -> TokenStream {
    let wire = &part.wire;
    if part.file {
        return match part.max_bytes {
            Some(limit) => {
                let limit = Literal::u64_unsuffixed(limit);
                quote!(form = form.file_with_limit(#wire, #value, #limit);)
            }
            None => quote!(form = form.file(#wire, #value);),
        };
    }
    let check = (part.min_length.is_some() || part.max_length.is_some()).then(|| {
        let rust = &part.rust;
        let min = option_tokens(part.min_length.map(Literal::usize_unsuffixed));
        let max = option_tokens(part.max_length.map(Literal::usize_unsuffixed));
        quote!(::zoho_runtime::check_length(#rust, &#value, #min, #max)?;)
    });
    quote! {
        #check
        form = form.text(#wire, #value);
    }
}

/// Statements that add an alternative's fixed parts, in spec order, around its inputs.
fn form_statements(
    variant: &BodyVariant,
    input: impl Fn(&Part) -> TokenStream,
) -> Vec<TokenStream> {
    variant
        .parts
        .iter()
        .map(|part| match &part.fixed {
            Some(value) => {
                let wire = &part.wire;
                quote!(form = form.text(#wire, #value);)
            }
            None => input(part),
        })
        .collect()
}

fn body_type(api: &Api, body: &Body) -> TokenStream {
    let name = ident::ident(&body.name);
    let variants = body.variants.iter().map(|variant| {
        let variant_name = ident::ident(&variant.variant);
        let doc = Doc::new(&variant.doc).tokens();
        let payload = match &variant.shape {
            VariantShape::Single(part) => part_type(part),
            VariantShape::Struct { name } => {
                let name = ident::ident(name);
                quote!(#name)
            }
        };
        quote!(#doc #variant_name(#payload),)
    });

    let file_variant = body.file_variant.as_deref().map(ident::ident);
    let shortcuts = match &file_variant {
        Some(variant) if body.file_shortcuts => quote! {
            /// The file at `path`, opened and streamed from disk when the request is sent
            /// (never read into memory first). Its file name is sent with it.
            pub fn path(path: impl ::std::convert::Into<::std::path::PathBuf>) -> Self {
                Self::#variant(::zoho_runtime::FilePart::path(path))
            }

            /// In-memory content sent as a file named `file_name`.
            pub fn bytes(
                file_name: impl ::std::convert::Into<::std::string::String>,
                data: impl ::std::convert::Into<::zoho_runtime::Bytes>,
            ) -> Self {
                Self::#variant(::zoho_runtime::FilePart::bytes(file_name, data))
            }
        },
        _ => quote!(),
    };
    let from_file = file_variant.map(|variant| {
        quote! {
            impl ::std::convert::From<::zoho_runtime::FilePart> for #name {
                fn from(file: ::zoho_runtime::FilePart) -> Self {
                    Self::#variant(file)
                }
            }
        }
    });

    let constructors = body
        .variants
        .iter()
        .map(|variant| constructor(body, variant));
    let limit = body.max_bytes.map(|limit| {
        let limit = Literal::u64_unsuffixed(limit);
        quote!(let form = form.max_bytes(#limit);)
    });
    let to_form = body.variants.iter().map(|variant| {
        let variant_name = ident::ident(&variant.variant);
        match &variant.shape {
            VariantShape::Single(_) => {
                let statements = form_statements(variant, |part| add_part(part, quote!(value)));
                quote! {
                    Self::#variant_name(value) => {
                        let mut form = ::zoho_runtime::Multipart::new();
                        #(#statements)*
                        form
                    }
                }
            }
            VariantShape::Struct { .. } => {
                quote!(Self::#variant_name(value) => value.into_multipart()?,)
            }
        }
    });
    let structs = body
        .variants
        .iter()
        .filter_map(|variant| match &variant.shape {
            VariantShape::Struct { name: struct_name } => {
                Some(variant_struct(body, variant, struct_name))
            }
            VariantShape::Single(_) => None,
        });

    let alternatives: Vec<String> = body
        .variants
        .iter()
        .map(|variant| format!("[`{}::{}`]", body.name, variant.constructor))
        .collect();
    let mut doc = Doc::new(&body.doc).markdown(format!(
        "Made with {}; exactly one alternative is sent.",
        alternatives.join(" or ")
    ));
    if let Some(limit) = body.max_bytes {
        doc = doc.markdown(format!(
            "The parts may total at most {limit} bytes, checked before sending when the sizes \
             are known."
        ));
    }
    let doc = doc.note(body.note.as_deref()).source(&api.source).tokens();
    quote! {
        #doc
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            #(#constructors)*

            #shortcuts

            /// The form to send; checks text limits now and leaves size limits to the runtime,
            /// which knows the sizes.
            pub(crate) fn into_multipart(self) -> ::std::result::Result<::zoho_runtime::Multipart, ::zoho_runtime::Error> {
                let form = match self {
                    #(#to_form)*
                };
                #limit
                ::std::result::Result::Ok(form)
            }
        }

        #from_file

        #(#structs)*
    }
}

fn constructor(body: &Body, variant: &BodyVariant) -> TokenStream {
    let constructor = ident::ident(&variant.constructor);
    let variant_name = ident::ident(&variant.variant);
    match &variant.shape {
        VariantShape::Single(part) => {
            let argument = part_argument(part);
            let arg = ident::ident(&part.rust);
            let doc = Doc::new(&variant.doc)
                .markdown(part_doc(part))
                .note(part.note.as_deref())
                .tokens();
            quote! {
                #doc
                pub fn #constructor(#arg: #argument) -> Self {
                    Self::#variant_name(#arg.into())
                }
            }
        }
        VariantShape::Struct { name } => {
            let struct_name = ident::ident(name);
            let required: Vec<&Part> = variant.inputs().filter(|part| part.required).collect();
            let arguments = required.iter().map(|part| {
                let arg = ident::ident(&part.rust);
                let ty = part_argument(part);
                quote!(#arg: #ty)
            });
            let names = required.iter().map(|part| ident::ident(&part.rust));
            let mut doc = Doc::new(&variant.doc);
            doc = doc.markdown(
                required
                    .iter()
                    .map(|part| part_doc(part))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
            if variant.inputs().any(|part| !part.required) {
                doc = doc.markdown(format!(
                    "Returns the [`{name}`] alternative, whose methods set the optional parts; \
                     it converts into [`{}`] where one is expected.",
                    body.name
                ));
            }
            let doc = doc.tokens();
            quote! {
                #doc
                pub fn #constructor(#(#arguments),*) -> #struct_name {
                    #struct_name::new(#(#names),*)
                }
            }
        }
    }
}

fn variant_struct(body: &Body, variant: &BodyVariant, name: &str) -> TokenStream {
    let struct_name = ident::ident(name);
    let body_name = ident::ident(&body.name);
    let variant_name = ident::ident(&variant.variant);
    let inputs: Vec<&Part> = variant.inputs().collect();
    let fields = inputs.iter().map(|part| {
        let field = ident::ident(&part.rust);
        let ty = part_type(part);
        if part.required {
            quote!(#field: #ty)
        } else {
            quote!(#field: ::std::option::Option<#ty>)
        }
    });
    let required: Vec<&&Part> = inputs.iter().filter(|part| part.required).collect();
    let arguments = required.iter().map(|part| {
        let arg = ident::ident(&part.rust);
        let ty = part_argument(part);
        quote!(#arg: #ty)
    });
    let inits = inputs.iter().map(|part| {
        let field = ident::ident(&part.rust);
        if part.required {
            quote!(#field: #field.into())
        } else {
            quote!(#field: ::std::option::Option::None)
        }
    });
    let setters = inputs.iter().filter(|part| !part.required).map(|part| {
        let field = ident::ident(&part.rust);
        let ty = part_argument(part);
        let mut doc =
            Doc::new(&part.doc).markdown(format!("Sent as the form field {}.", code(&part.wire)));
        if let Some(limit) = limit_doc(part) {
            doc = doc.markdown(limit);
        }
        let doc = doc.note(part.note.as_deref()).tokens();
        quote! {
            #doc
            pub fn #field(mut self, #field: #ty) -> Self {
                self.#field = ::std::option::Option::Some(#field.into());
                self
            }
        }
    });
    let statements = form_statements(variant, |part| {
        let field = ident::ident(&part.rust);
        if part.required {
            add_part(part, quote!(self.#field))
        } else {
            let add = add_part(part, quote!(value));
            quote! {
                if let ::std::option::Option::Some(value) = self.#field {
                    #add
                }
            }
        }
    });
    let new_doc = Doc::new(&variant.doc)
        .markdown(
            required
                .iter()
                .map(|part| part_doc(part))
                .collect::<Vec<_>>()
                .join("\n"),
        )
        .tokens();
    let notes: Vec<String> = inputs
        .iter()
        .filter_map(|part| {
            let note = part.note.as_deref()?;
            Some(format!("**Note** on {}: {}", code(&part.wire), prose(note)))
        })
        .collect();
    let doc = Doc::new(&variant.doc)
        .markdown(format!(
            "The `{}` alternative of [`{}`], made by [`{}::{}`].",
            variant.constructor, body.name, body.name, variant.constructor
        ))
        .markdown(notes.join("\n\n"))
        .tokens();
    quote! {
        #doc
        #[derive(Debug)]
        #[must_use = "an upload alternative does nothing until it is passed to an operation"]
        pub struct #struct_name {
            #(#fields,)*
        }

        impl #struct_name {
            #new_doc
            pub fn new(#(#arguments),*) -> Self {
                Self { #(#inits,)* }
            }

            #(#setters)*

            fn into_multipart(self) -> ::std::result::Result<::zoho_runtime::Multipart, ::zoho_runtime::Error> {
                let mut form = ::zoho_runtime::Multipart::new();
                #(#statements)*
                ::std::result::Result::Ok(form)
            }
        }

        impl ::std::convert::From<#struct_name> for #body_name {
            fn from(value: #struct_name) -> Self {
                Self::#variant_name(value)
            }
        }
    }
}
