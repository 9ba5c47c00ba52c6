//! Fuzzing the page reader and `audit` as the spec loader is fuzzed (`fuzz_spec.rs`): whatever
//! a saved page holds, reading it never panics, and a page that reads is matched and compared
//! with the real spec without panicking. Inputs: arbitrary bytes, arbitrary text through each
//! format's reader, and line and byte mutations of the five seed pages (also wrapped as HTML).
//!
//! `PROPTEST_CASES=N` sets the cases per test (a few dozen by default, so CI stays quick); a
//! failing input is shrunk and its seed saved in `fuzz_page.proptest-regressions`.

use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use proptest::prelude::*;
use zoho_codegen::Checked;
use zoho_codegen::tools::audit::{compare, matching};
use zoho_codegen::tools::page;
use zoho_tests::codegen_cli::{real_spec, workspace};

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let dir = workspace().join("../shared/seeds");
        let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
            .expect("the seed pages beside the repository")
            .map(|entry| entry.expect("an entry").path())
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|path| fs::read_to_string(path).expect("a seed is text"))
            .collect()
    })
}

fn checked() -> &'static Checked {
    static SPEC: OnceLock<Checked> = OnceLock::new();
    SPEC.get_or_init(|| zoho_codegen::check(&real_spec()).expect("the real spec is valid"))
}

/// Reads `bytes` as a page and, when it reads, matches and compares every operation.
fn audit(bytes: &[u8]) {
    let Ok(facts) = page::read(bytes) else {
        return;
    };
    let spec = &checked().spec;
    for operation in &facts.operations {
        if let Ok((target, _)) = matching::find(spec, &facts, operation) {
            let _ = compare::compare(spec, operation, &target);
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    InsertLine(usize, String),
    Truncate(usize),
    ReplaceChar(usize, char),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (
            any::<usize>(),
            prop_oneof![
                Just("Purpose".to_owned()),
                Just("Possible Errors".to_owned()),
                Just("  • ".to_owned()),
                Just("    • HTTP 400".to_owned()),
                Just("Copied".to_owned()),
                Just("ValueDescription".to_owned()),
                Just("```".to_owned()),
                Just("#### Response JSON Keys".to_owned()),
                Just("Resolution:".to_owned()),
                ".{0,40}",
            ]
        )
            .prop_map(|(at, line)| Mutation::InsertLine(at, line)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<char>()).prop_map(|(at, c)| Mutation::ReplaceChar(at, c)),
    ]
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for mutation in mutations {
        let len = lines.len().max(1);
        match mutation {
            Mutation::DeleteLine(at) if !lines.is_empty() => {
                lines.remove(at % len);
            }
            Mutation::DuplicateLine(at) if !lines.is_empty() => {
                let line = lines[at % len].clone();
                lines.insert(at % len, line);
            }
            Mutation::SwapLines(a, b) if !lines.is_empty() => lines.swap(a % len, b % len),
            Mutation::InsertLine(at, line) => lines.insert(at % (lines.len() + 1), line.clone()),
            Mutation::Truncate(at) => {
                let joined = lines.join("\n");
                let mut end = at % (joined.len() + 1);
                while !joined.is_char_boundary(end) {
                    end -= 1;
                }
                lines = joined[..end].lines().map(str::to_owned).collect();
            }
            Mutation::ReplaceChar(at, c) if !lines.is_empty() => {
                let line = &mut lines[at % len];
                let chars: Vec<char> = line.chars().collect();
                if !chars.is_empty() {
                    let index = at % chars.len();
                    *line = chars
                        .iter()
                        .enumerate()
                        .map(|(i, old)| if i == index { *c } else { *old })
                        .collect();
                }
            }
            _ => {}
        }
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = page::read(&bytes);
    }

    #[test]
    fn every_reader_takes_arbitrary_text(text in "(?s).{0,600}") {
        for format in [page::Format::Html, page::Format::Markdown, page::Format::Text] {
            let blocks = page::blocks(format, &text);
            let lines = text.lines().count().max(1);
            // Line-based formats point into the text.
            if format != page::Format::Html {
                prop_assert!(blocks.iter().all(|block| block.line >= 1 && block.line <= lines + 1));
            }
            let _ = page::facts::read(format, &blocks);
        }
    }
}

proptest! {
    #![proptest_config(cases(48))]

    #[test]
    fn mutated_seeds_read_and_audit_without_panicking(
        seed in 0usize..5,
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let text = mutate(&seeds()[seed], &mutations);
        audit(text.as_bytes());
    }

    #[test]
    fn mutated_seeds_as_html_read_and_audit_without_panicking(
        seed in 0usize..5,
        mutations in proptest::collection::vec(mutation(), 0..4),
        tags in proptest::collection::vec(
            prop_oneof![Just("<h3>"), Just("</h3>"), Just("<ul><li>"), Just("</li></ul>"), Just("<pre>"), Just("</pre>"), Just("<table><tr><td>"), Just("<script>"), Just("<br>")],
            0..8,
        ),
        at in proptest::collection::vec(any::<usize>(), 8),
    ) {
        let text = mutate(&seeds()[seed], &mutations);
        let mut lines: Vec<String> = text.lines().map(|line| format!("<p>{line}</p>")).collect();
        for (tag, at) in tags.iter().zip(&at) {
            let len = lines.len() + 1;
            lines.insert(at % len, (*tag).to_owned());
        }
        let page = format!("<!DOCTYPE html><html><body>\n{}\n</body></html>", lines.join("\n"));
        audit(page.as_bytes());
    }
}
