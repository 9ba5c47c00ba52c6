//! `tests/samples.rs` of the generated crate: every sample response decodes into its type and
//! encodes back without losing a key.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ident;
use crate::ir::{Crate, ResponseKind};

/// Whether the crate has sample tests: some operation has a sample answer.
pub fn any(krate: &Crate) -> bool {
    krate
        .products
        .values()
        .flat_map(|product| product.apis.values())
        .flat_map(|api| api.operations.values())
        .any(|op| op.sample_response.is_some())
}

/// The test file; `None` when no operation has a sample.
pub fn file(krate: &Crate) -> Option<TokenStream> {
    let crate_ident = ident::ident(&krate.lib_name);
    let mut tests = Vec::new();
    for product in krate.products.values() {
        for api in product.apis.values() {
            for op in api.operations.values() {
                let Some(sample) = &op.sample_response else {
                    continue;
                };
                let test = ident::ident(&op.sample_test);
                let product_module = ident::ident(&product.id);
                let version_module = ident::ident(&api.module);
                // A JSON answer's type: an object, or a list of objects.
                let response = match &op.response.kind {
                    ResponseKind::Object(name) => {
                        let name = ident::ident(name);
                        quote!(#crate_ident::#product_module::#version_module::#name)
                    }
                    ResponseKind::List(name) => {
                        let name = ident::ident(name);
                        quote!(::std::vec::Vec<#crate_ident::#product_module::#version_module::#name>)
                    }
                    ResponseKind::Binary { .. } => continue,
                };
                let sample = raw_string(sample);
                tests.push(quote! {
                    #[test]
                    fn #test() {
                        round_trip::<#response>(#sample);
                    }
                });
            }
        }
    }
    if tests.is_empty() {
        return None;
    }
    Some(quote! {
        //! Every sample response in the spec decodes into its generated type, and encoding the
        //! value again keeps every key and value of the sample.

        #[rustfmt::skip]
        mod samples {
            use serde_json::Value;

            fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(sample: &str) {
                let sent: Value = serde_json::from_str(sample).expect("the spec checks samples are JSON");
                let typed: T = serde_json::from_value(sent.clone())
                    .unwrap_or_else(|error| panic!("the sample does not decode: {error}"));
                let again = serde_json::to_value(&typed).expect("a decoded value encodes");
                assert_keeps(&sent, &again, "$");
            }

            /// Every key and value sent comes back. A number Zoho sent as a string may come back
            /// as the number; a nullable key that was absent may come back as `null`.
            fn assert_keeps(sent: &Value, again: &Value, path: &str) {
                match (sent, again) {
                    (Value::Object(sent), Value::Object(again)) => {
                        for (key, value) in sent {
                            let Some(back) = again.get(key) else {
                                panic!("{path}.{key} was lost");
                            };
                            assert_keeps(value, back, &format!("{path}.{key}"));
                        }
                        for (key, value) in again {
                            assert!(
                                sent.contains_key(key) || value.is_null(),
                                "{path}.{key} was added with {value}"
                            );
                        }
                    }
                    (Value::Array(sent), Value::Array(again)) => {
                        assert_eq!(sent.len(), again.len(), "{path} changed length");
                        for (index, (value, back)) in sent.iter().zip(again).enumerate() {
                            assert_keeps(value, back, &format!("{path}[{index}]"));
                        }
                    }
                    (Value::String(text), Value::Number(number)) => {
                        assert_eq!(text, &number.to_string(), "{path} changed value");
                    }
                    _ => assert_eq!(sent, again, "{path} changed value"),
                }
            }

            #(#tests)*
        }
    })
}

/// A raw string literal long enough that no `"#…` inside can end it.
fn raw_string(text: &str) -> Literal {
    let mut hashes = 1;
    while text.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{text}\"{fence}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}
