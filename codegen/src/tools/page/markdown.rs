//! Markdown renderings of pages, read with pulldown-cmark: headings, list items (nested by
//! list depth), paragraphs, fenced code and table rows, each at the line its source starts on.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::block::{Block, BlockKind};
use super::clean::strip_copied;

/// The blocks of a Markdown page.
pub fn blocks(text: &str) -> Vec<Block> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&start| start <= offset);
    let mut reader = Reader::default();
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter();
    for (event, range) in parser {
        let line = line_of(range.start);
        match event {
            Event::Start(Tag::Heading { .. }) => reader.open(BlockKind::Heading, line),
            Event::Start(Tag::Paragraph) => {
                // A loose list item's first paragraph is the item's label.
                let item_open = reader
                    .current
                    .as_ref()
                    .is_some_and(|b| b.kind == BlockKind::Item && b.text.is_empty());
                if !item_open {
                    reader.open(BlockKind::Paragraph, line);
                }
            }
            Event::Start(Tag::CodeBlock(_)) => reader.open(BlockKind::Code, line + 1),
            Event::Start(Tag::List(_)) => {
                reader.flush();
                reader.lists += 1;
            }
            Event::End(TagEnd::List(_)) => {
                reader.flush();
                reader.lists = reader.lists.saturating_sub(1);
            }
            Event::Start(Tag::Item) => reader.open(BlockKind::Item, line),
            Event::Start(Tag::TableHead | Tag::TableRow) => reader.open(BlockKind::Row, line),
            Event::End(TagEnd::TableCell) => reader.push("\t"),
            Event::Start(Tag::Link { dest_url, .. }) => reader.link(dest_url.to_string(), line),
            Event::Text(text) | Event::Code(text) => {
                if reader.current.is_none() {
                    reader.open(BlockKind::Paragraph, line);
                }
                reader.push(&text);
            }
            Event::SoftBreak | Event::HardBreak => reader.push("\n"),
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Paragraph
                | TagEnd::CodeBlock
                | TagEnd::Item
                | TagEnd::TableHead
                | TagEnd::TableRow,
            ) => reader.flush(),
            _ => {}
        }
    }
    reader.flush();
    reader.blocks
}

#[derive(Default)]
struct Reader {
    blocks: Vec<Block>,
    current: Option<Block>,
    lists: usize,
}

impl Reader {
    fn open(&mut self, kind: BlockKind, line: usize) {
        self.flush();
        let depth = if kind == BlockKind::Item {
            self.lists.saturating_sub(1)
        } else {
            0
        };
        self.current = Some(Block::new(kind, line, depth, String::new()));
    }

    fn push(&mut self, text: &str) {
        if let Some(block) = &mut self.current {
            block.text.push_str(text);
        }
    }

    fn link(&mut self, address: String, line: usize) {
        if self.current.is_none() {
            self.open(BlockKind::Paragraph, line);
        }
        if let Some(block) = &mut self.current {
            block.links.push(address);
        }
    }

    fn flush(&mut self) {
        let Some(mut block) = self.current.take() else {
            return;
        };
        block.text = match block.kind {
            BlockKind::Code => code(&block.text),
            BlockKind::Row => block.text.trim_end_matches('\t').to_owned(),
            _ => block
                .text
                .split('\n')
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_owned(),
        };
        if !block.text.is_empty() || !block.links.is_empty() {
            self.blocks.push(block);
        }
    }
}

fn code(text: &str) -> String {
    let lines: Vec<&str> = strip_copied(text).lines().map(str::trim_end).collect();
    lines.join("\n").trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_blocks_keep_their_source_lines() {
        let page = "### Get list\n\n#### Endpoints\n\n[GET /{module\\_api\\_name}/x](https://example.com/p.html)\n\n- fieldsstring, mandatory\n\n\n\nSpecify the API name.\n\n``` json\nCopied{\n    \"a\": [\\\n    1]\n}\n```\n";
        let blocks = blocks(page);
        let shape: Vec<(BlockKind, usize, &str)> = blocks
            .iter()
            .map(|b| (b.kind, b.line, b.text.as_str()))
            .collect();
        assert_eq!(
            shape,
            [
                (BlockKind::Heading, 1, "Get list"),
                (BlockKind::Heading, 3, "Endpoints"),
                (BlockKind::Paragraph, 5, "GET /{module_api_name}/x"),
                (BlockKind::Item, 7, "fieldsstring, mandatory"),
                (BlockKind::Paragraph, 11, "Specify the API name."),
                (BlockKind::Code, 14, "{\n    \"a\": [\\\n    1]\n}"),
            ]
        );
        assert_eq!(blocks[2].links, ["https://example.com/p.html"]);
    }
}
