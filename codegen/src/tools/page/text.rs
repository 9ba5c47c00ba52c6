//! Plain-text renderings of pages: headings are lines standing alone, list items start with a
//! bullet (`  • `) and nest by indentation, code samples start with the copy button's `Copied`
//! label and run until the next sample or the next section title.

use super::block::{Block, BlockKind};
use super::clean::COPIED;
use super::facts::section_of;

const BULLETS: &[char] = &['•', '◦', '▪', '‣', '●'];

/// The blocks of a plain-text page.
pub fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    // Indentations of the open list levels, outermost first.
    let mut levels: Vec<usize> = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let line = lines[at];
        let trimmed = line.trim();
        if is_blank(line) {
            at += 1;
            continue;
        }
        if trimmed.starts_with(COPIED) {
            at = code(&lines, at, &mut blocks);
            levels.clear();
            continue;
        }
        let indent = indentation(line);
        if let Some(label) = bullet(trimmed) {
            while levels.last().is_some_and(|&open| open > indent) {
                levels.pop();
            }
            if levels.last() != Some(&indent) {
                levels.push(indent);
            }
            let mut text = label.to_owned();
            let mut next = at + 1;
            // Lines written directly under the bullet, deeper, belong to the item.
            while next < lines.len()
                && !is_blank(lines[next])
                && indentation(lines[next]) > indent
                && bullet(lines[next].trim()).is_none()
            {
                text.push('\n');
                text.push_str(lines[next].trim());
                next += 1;
            }
            blocks.push(Block::new(BlockKind::Item, at + 1, levels.len() - 1, text));
            at = next;
            continue;
        }
        if indent == 0 {
            levels.clear();
        }
        if section_of(trimmed).is_some() {
            blocks.push(Block::new(BlockKind::Heading, at + 1, 0, trimmed));
            at += 1;
            continue;
        }
        let start = at;
        let mut text = String::new();
        while at < lines.len() {
            let line = lines[at].trim();
            let stop = is_blank(lines[at])
                || bullet(line).is_some()
                || line.starts_with(COPIED)
                || (at > start && section_of(line).is_some());
            if stop {
                break;
            }
            if at > start {
                text.push('\n');
            }
            text.push_str(line);
            at += 1;
        }
        blocks.push(Block::new(BlockKind::Paragraph, start + 1, 0, text));
    }
    blocks
}

/// Reads the code sample starting at `start`; returns the line after it.
fn code(lines: &[&str], start: usize, blocks: &mut Vec<Block>) -> usize {
    let first = lines[start].trim_start();
    let mut text = vec![first.strip_prefix(COPIED).unwrap_or(first)];
    let mut at = start + 1;
    while at < lines.len() {
        let line = lines[at];
        if line.trim_start().starts_with(COPIED) {
            break;
        }
        if is_blank(line) {
            let mut next = at;
            while next < lines.len() && is_blank(lines[next]) {
                next += 1;
            }
            if next == lines.len() || section_of(lines[next].trim()).is_some() {
                break;
            }
        }
        text.push(line);
        at += 1;
    }
    while text.last().is_some_and(|line| is_blank(line)) {
        text.pop();
    }
    let text: Vec<&str> = text.iter().map(|line| line.trim_end()).collect();
    blocks.push(Block::new(BlockKind::Code, start + 1, 0, text.join("\n")));
    at
}

fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c.is_whitespace() || c == '\u{a0}')
}

fn indentation(line: &str) -> usize {
    line.chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

fn bullet(trimmed: &str) -> Option<&str> {
    let rest = trimmed.strip_prefix(BULLETS)?;
    rest.starts_with([' ', '\u{a0}']).then(|| rest.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_nest_by_indentation_and_keep_the_lines_under_them() {
        let page = "Possible Errors\n\n  • INVALID_REQUESTHTTP 400\n    • First.\n      Resolution: One.\n    • Second.\n  • NO_PERMISSIONHTTP 403\n\n    Denied\n";
        let blocks = blocks(page);
        let shape: Vec<(BlockKind, usize, usize, &str)> = blocks
            .iter()
            .map(|b| (b.kind, b.line, b.depth, b.text.as_str()))
            .collect();
        assert_eq!(
            shape,
            [
                (BlockKind::Heading, 1, 0, "Possible Errors"),
                (BlockKind::Item, 3, 0, "INVALID_REQUESTHTTP 400"),
                (BlockKind::Item, 4, 1, "First.\nResolution: One."),
                (BlockKind::Item, 6, 1, "Second."),
                (BlockKind::Item, 7, 0, "NO_PERMISSIONHTTP 403"),
                (BlockKind::Paragraph, 9, 0, "Denied"),
            ]
        );
    }

    #[test]
    fn code_runs_over_blank_lines_until_a_section_title() {
        let page = "Sample Request\n\nCopiedcurl \"x\"\n-X GET\nCopiedother\n\nmore\n\n\nSample Response\n\nCopied{}\n";
        let blocks = blocks(page);
        let code: Vec<(usize, &str)> = blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Code)
            .map(|b| (b.line, b.text.as_str()))
            .collect();
        assert_eq!(
            code,
            [(3, "curl \"x\"\n-X GET"), (5, "other\n\nmore"), (12, "{}")]
        );
    }
}
