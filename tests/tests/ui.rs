//! Compile tests of the generated crate `zoho-attachments`: `ui/pass` is how a user calls
//! every operation (compiled and run, without touching the network), and each file in
//! `ui/fail` is a misuse the types must reject, with the compiler's message checked in.
//!
//! After a deliberate API change, regenerate the messages with
//! `TRYBUILD=overwrite cargo test -p zoho-tests --test ui` and read the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}
