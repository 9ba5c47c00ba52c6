//! The input is a product/version file, next to the real `spec/shared.yaml`.
//! Seed it with the real product files: `cp ../spec/*-*.yaml corpus/product_file/`.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

const SHARED: &str = include_str!("../../spec/shared.yaml");

fuzz_target!(|data: &[u8]| {
    common::check(&[("shared.yaml", SHARED.as_bytes()), ("fuzz.yaml", data)]);
});
