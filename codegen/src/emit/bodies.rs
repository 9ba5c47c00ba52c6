//! Request bodies: one enum per multipart body, one variant per alternative.
//!
//! "A file or a link, never both or neither" holds by construction: the only ways to make an
//! `Upload` are its constructors, each of which picks one alternative and takes that
//! alternative's required parts as arguments. Optional parts are builder methods on the
//! alternative's own struct, so they cannot be set on the wrong alternative.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{Doc, code, prose};
use crate::ident;
use crate::ir::{Api, Body, BodyVariant, Part, VariantShape};

/// The bodies file of a version (empty when no operation has a body).
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

fn part_doc(part: &Part) -> String {
    format!(
        "- `{}` (form field {}): {}",
        part.rust,
        code(&part.wire),
        prose(part.doc.trim())
    )
}

fn add_part(part: &Part, value: TokenStream) -> TokenStream {
    let wire = &part.wire;
    if part.file {
        quote!(form = form.file(#wire, #value);)
    } else {
        quote!(form = form.text(#wire, #value);)
    }
}

fn body_type(api: &Api, body: &Body) -> TokenStream {
    let name = ident::ident(&body.name);
    let variants = body.variants.iter().map(|variant| {
        let variant_name = ident::ident(&variant.variant);
        let doc = Doc::new(&variant.doc).tokens();
        let payload = match &variant.shape {
            VariantShape::Single(part) => part_type(part),
            VariantShape::Struct { name, .. } => {
                let name = ident::ident(name);
                quote!(#name)
            }
        };
        quote!(#doc #variant_name(#payload),)
    });

    // Shortcuts for the common case of exactly one "just a file" alternative.
    let file_variants: Vec<&BodyVariant> = body
        .variants
        .iter()
        .filter(|variant| matches!(&variant.shape, VariantShape::Single(part) if part.file))
        .collect();
    let constructor_names: Vec<&str> = body
        .variants
        .iter()
        .map(|variant| variant.constructor.as_str())
        .collect();
    let shortcuts = match file_variants.as_slice() {
        [only]
            if !constructor_names
                .iter()
                .any(|c| *c == "path" || *c == "bytes") =>
        {
            let variant = ident::ident(&only.variant);
            quote! {
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
            }
        }
        _ => quote!(),
    };
    let from_file = match file_variants.as_slice() {
        [only] => {
            let variant = ident::ident(&only.variant);
            quote! {
                impl ::std::convert::From<::zoho_runtime::FilePart> for #name {
                    fn from(file: ::zoho_runtime::FilePart) -> Self {
                        Self::#variant(file)
                    }
                }
            }
        }
        _ => quote!(),
    };

    let constructors = body
        .variants
        .iter()
        .map(|variant| constructor(body, variant));
    let to_form = body.variants.iter().map(|variant| {
        let variant_name = ident::ident(&variant.variant);
        match &variant.shape {
            VariantShape::Single(part) => {
                let wire = &part.wire;
                let add = if part.file { quote!(file) } else { quote!(text) };
                quote!(Self::#variant_name(value) => ::zoho_runtime::Multipart::new().#add(#wire, value),)
            }
            VariantShape::Struct { .. } => {
                quote!(Self::#variant_name(value) => value.into_multipart(),)
            }
        }
    });
    let structs = body
        .variants
        .iter()
        .filter_map(|variant| match &variant.shape {
            VariantShape::Struct {
                name: struct_name,
                parts,
            } => Some(variant_struct(body, variant, struct_name, parts)),
            VariantShape::Single(_) => None,
        });

    let alternatives: Vec<String> = body
        .variants
        .iter()
        .map(|variant| format!("[`{}::{}`]", body.name, variant.constructor))
        .collect();
    let doc = Doc::new(&body.doc)
        .markdown(format!(
            "Made with {}; exactly one alternative is sent.",
            alternatives.join(" or ")
        ))
        .note(body.note.as_deref())
        .source(&api.source)
        .tokens();
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

            pub(crate) fn into_multipart(self) -> ::zoho_runtime::Multipart {
                match self {
                    #(#to_form)*
                }
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
        VariantShape::Struct { name, parts } => {
            let struct_name = ident::ident(name);
            let required: Vec<&Part> = parts.iter().filter(|part| part.required).collect();
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
            if parts.iter().any(|part| !part.required) {
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

fn variant_struct(body: &Body, variant: &BodyVariant, name: &str, parts: &[Part]) -> TokenStream {
    let struct_name = ident::ident(name);
    let body_name = ident::ident(&body.name);
    let variant_name = ident::ident(&variant.variant);
    let fields = parts.iter().map(|part| {
        let field = ident::ident(&part.rust);
        let ty = part_type(part);
        if part.required {
            quote!(#field: #ty)
        } else {
            quote!(#field: ::std::option::Option<#ty>)
        }
    });
    let required: Vec<&Part> = parts.iter().filter(|part| part.required).collect();
    let arguments = required.iter().map(|part| {
        let arg = ident::ident(&part.rust);
        let ty = part_argument(part);
        quote!(#arg: #ty)
    });
    let inits = parts.iter().map(|part| {
        let field = ident::ident(&part.rust);
        if part.required {
            quote!(#field: #field.into())
        } else {
            quote!(#field: ::std::option::Option::None)
        }
    });
    let setters = parts.iter().filter(|part| !part.required).map(|part| {
        let field = ident::ident(&part.rust);
        let ty = part_argument(part);
        let doc = Doc::new(&part.doc)
            .markdown(format!("Sent as the form field {}.", code(&part.wire)))
            .note(part.note.as_deref())
            .tokens();
        quote! {
            #doc
            pub fn #field(mut self, #field: #ty) -> Self {
                self.#field = ::std::option::Option::Some(#field.into());
                self
            }
        }
    });
    let adds = parts.iter().map(|part| {
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
    let notes: Vec<String> = parts
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

            fn into_multipart(self) -> ::zoho_runtime::Multipart {
                let mut form = ::zoho_runtime::Multipart::new();
                #(#adds)*
                form
            }
        }

        impl ::std::convert::From<#struct_name> for #body_name {
            fn from(value: #struct_name) -> Self {
                Self::#variant_name(value)
            }
        }
    }
}
