//! HTML pages, read with html5ever's tokenizer, which reports the line of every tag: headings
//! (`h1`–`h6`), list items (`li`, nested by list depth), paragraphs (text in `p`, `div` and
//! the like), code (`pre`) and table rows (`tr`, cells joined with `\t`). Scripts, styles,
//! navigation and footers are skipped; entities are decoded by the tokenizer.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::{TokenizerResult, local_name};

use super::block::{Block, BlockKind};
use super::clean::{squash, strip_copied};

/// The blocks of an HTML page.
pub fn blocks(text: &str) -> Vec<Block> {
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(text));
    // The sink never asks to run a script, so `feed` only stops when the input is done.
    while let TokenizerResult::Script(()) = tokenizer.feed(&input) {}
    tokenizer.end();
    let mut state = tokenizer.sink.state.into_inner();
    state.flush();
    state.blocks
}

#[derive(Default)]
struct Sink {
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    blocks: Vec<Block>,
    current: Option<Block>,
    lists: usize,
    pre: usize,
    /// Depth inside elements whose text is not the page's content.
    skipped: usize,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let line = usize::try_from(line).unwrap_or(usize::MAX);
        let mut state = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let name = tag.name.clone();
                let start = tag.kind == TagKind::StartTag;
                match name {
                    local_name!("script")
                    | local_name!("style")
                    | local_name!("title")
                    | local_name!("textarea") => {
                        if start && !tag.self_closing {
                            state.skipped += 1;
                            return TokenSinkResult::RawData(match name {
                                local_name!("script") => RawKind::ScriptData,
                                local_name!("style") => RawKind::Rawtext,
                                _ => RawKind::Rcdata,
                            });
                        }
                        if !start {
                            state.skipped = state.skipped.saturating_sub(1);
                        }
                    }
                    local_name!("nav")
                    | local_name!("footer")
                    | local_name!("noscript")
                    | local_name!("template")
                    | local_name!("svg")
                    | local_name!("button") => {
                        if start && !tag.self_closing {
                            // A copy button inside a code sample must not end the sample.
                            if !matches!(name, local_name!("svg") | local_name!("button")) {
                                state.flush();
                            }
                            state.skipped += 1;
                        } else if !start {
                            state.skipped = state.skipped.saturating_sub(1);
                        }
                    }
                    _ if state.skipped > 0 => {}
                    local_name!("h1")
                    | local_name!("h2")
                    | local_name!("h3")
                    | local_name!("h4")
                    | local_name!("h5")
                    | local_name!("h6") => {
                        if start {
                            state.open(BlockKind::Heading, line);
                        } else {
                            state.flush();
                        }
                    }
                    local_name!("ul") | local_name!("ol") => {
                        state.flush();
                        if start {
                            state.lists += 1;
                        } else {
                            state.lists = state.lists.saturating_sub(1);
                        }
                    }
                    local_name!("li") => {
                        if start {
                            state.open(BlockKind::Item, line);
                        } else {
                            state.flush();
                        }
                    }
                    local_name!("pre") => {
                        if start {
                            state.open(BlockKind::Code, line);
                            state.pre += 1;
                        } else {
                            state.pre = state.pre.saturating_sub(1);
                            state.flush();
                        }
                    }
                    local_name!("tr") => {
                        if start {
                            state.open(BlockKind::Row, line);
                        } else {
                            state.flush();
                        }
                    }
                    local_name!("td") | local_name!("th") => {
                        if start
                            && let Some(row) = &mut state.current
                            && row.kind == BlockKind::Row
                            && !row.text.is_empty()
                        {
                            row.text.push('\t');
                        }
                    }
                    local_name!("br") => state.push("\n", line),
                    local_name!("a") if start => {
                        if let Some(href) = tag
                            .attrs
                            .iter()
                            .find(|attr| attr.name.local == local_name!("href"))
                        {
                            let href = href.value.to_string();
                            if state.current.is_none() {
                                state.open(BlockKind::Paragraph, line);
                            }
                            if let Some(block) = &mut state.current {
                                block.links.push(href);
                            }
                        }
                    }
                    local_name!("p")
                    | local_name!("div")
                    | local_name!("section")
                    | local_name!("article")
                    | local_name!("main")
                    | local_name!("header")
                    | local_name!("blockquote")
                    | local_name!("table")
                    | local_name!("dl")
                    | local_name!("dt")
                    | local_name!("dd")
                    | local_name!("body") => {
                        // An item's first paragraph is its label; later ones are its text.
                        let in_item_label = state
                            .current
                            .as_ref()
                            .is_some_and(|b| b.kind == BlockKind::Item && b.text.trim().is_empty());
                        if state.pre == 0 && !in_item_label {
                            state.flush();
                        }
                    }
                    _ => {}
                }
            }
            Token::CharacterTokens(text) if state.skipped == 0 => {
                let newlines = text.matches('\n').count();
                state.push(&text, line.saturating_sub(newlines));
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl State {
    fn open(&mut self, kind: BlockKind, line: usize) {
        self.flush();
        let depth = if kind == BlockKind::Item {
            self.lists.saturating_sub(1)
        } else {
            0
        };
        self.current = Some(Block::new(kind, line, depth, String::new()));
    }

    fn push(&mut self, text: &str, line: usize) {
        if self.current.is_none() {
            if text.trim().is_empty() {
                return;
            }
            let leading = text.len() - text.trim_start_matches(['\n', ' ', '\t', '\r']).len();
            let line = line + text[..leading].matches('\n').count();
            self.open(BlockKind::Paragraph, line);
        }
        let pre = self.pre > 0;
        if let Some(block) = &mut self.current {
            if pre || text == "\n" {
                block.text.push_str(text);
            } else {
                block.text.extend(
                    text.chars()
                        .map(|c| if c.is_whitespace() { ' ' } else { c }),
                );
            }
        }
    }

    fn flush(&mut self) {
        let Some(mut block) = self.current.take() else {
            return;
        };
        block.text = match block.kind {
            BlockKind::Code => {
                let code = strip_copied(block.text.trim_start_matches('\n'));
                let lines: Vec<&str> = code.lines().map(str::trim_end).collect();
                lines.join("\n").trim_end().to_owned()
            }
            BlockKind::Row => block
                .text
                .split('\t')
                .map(squash)
                .collect::<Vec<_>>()
                .join("\t"),
            _ => block
                .text
                .split('\n')
                .map(squash)
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join("\n"),
        };
        if !block.text.trim().is_empty() || !block.links.is_empty() {
            self.blocks.push(block);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_blocks_keep_their_lines_and_skip_scripts() {
        let page = "<!DOCTYPE html>\n<html><head><title>T</title><script>var a = '<h2>x</h2>';</script></head>\n<body>\n<h3>Get list</h3>\n<h4>Purpose</h4>\n<p>To get\n   the list.</p>\n<ul><li><span>fields</span><span>string, mandatory</span><p>Specify it.</p></li></ul>\n<pre>Copied{\n  \"a\": 1\n}</pre>\n<table><tr><th>Value</th><th>Description</th></tr><tr><td>1</td><td>File</td></tr></table>\n</body></html>\n";
        let blocks = blocks(page);
        let shape: Vec<(BlockKind, usize, &str)> = blocks
            .iter()
            .map(|b| (b.kind, b.line, b.text.as_str()))
            .collect();
        assert_eq!(
            shape,
            [
                (BlockKind::Heading, 4, "Get list"),
                (BlockKind::Heading, 5, "Purpose"),
                (BlockKind::Paragraph, 6, "To get the list."),
                (BlockKind::Item, 8, "fieldsstring, mandatory"),
                (BlockKind::Paragraph, 8, "Specify it."),
                (BlockKind::Code, 9, "{\n  \"a\": 1\n}"),
                (BlockKind::Row, 12, "Value\tDescription"),
                (BlockKind::Row, 12, "1\tFile"),
            ]
        );
    }
}
