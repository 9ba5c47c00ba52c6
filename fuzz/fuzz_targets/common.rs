//! What every target checks: `generate` never panics; a rejected spec gets diagnostics that
//! render and name a file of the folder; an accepted one gives Rust files that parse.

use std::fs;

/// Writes `files` into a temporary spec folder and runs the whole pipeline on it.
pub fn check(files: &[(&str, &[u8])]) {
    let temp = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in files {
        fs::write(temp.path().join(name), bytes).expect("write a spec file");
    }
    match zoho_codegen::generate(temp.path()) {
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "a failure without diagnostics");
            for diagnostic in diagnostics {
                let rendered = diagnostic.to_string();
                assert!(
                    rendered.contains(&format!("error[{}]", diagnostic.code)),
                    "{rendered}"
                );
                assert!(
                    diagnostic.file.starts_with(&*temp.path().to_string_lossy()),
                    "names a file outside the folder: {rendered}"
                );
                assert_ne!(
                    diagnostic.code,
                    zoho_codegen::diag::Code::Internal,
                    "the validator accepted what the generator cannot render: {rendered}"
                );
            }
        }
        Ok(generated) => {
            for file in generated
                .files
                .iter()
                .filter(|file| file.path.ends_with(".rs"))
            {
                if let Err(error) = syn::parse_file(&file.contents) {
                    panic!("accepted, but {} does not parse: {error}", file.path);
                }
            }
        }
    }
}
