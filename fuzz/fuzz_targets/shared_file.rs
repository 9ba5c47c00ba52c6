//! The input is `shared.yaml`, next to the real `spec/crm-v8.yaml`.
//! Seed it with the real one: `cp ../spec/shared.yaml corpus/shared_file/`.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

const PRODUCT: &str = include_str!("../../spec/crm-v8.yaml");

fuzz_target!(|data: &[u8]| {
    common::check(&[("shared.yaml", data), ("crm-v8.yaml", PRODUCT.as_bytes())]);
});
