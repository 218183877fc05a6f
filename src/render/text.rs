//! Plain text for pasting into a conference's web form: no Markdown syntax,
//! URLs written out, paragraphs separated by one blank line.

use super::{Output, RenderContext, Renderer};
use crate::diag::Result;
use crate::document::{Block, Document, Inline, ListItem};

/// The `txt` format: one plain-text file per document.
pub(crate) struct PlainText;

impl Renderer for PlainText {
    fn name(&self) -> &'static str {
        "txt"
    }
    fn outputs(&self, ctx: &RenderContext<'_>) -> Vec<Output> {
        super::per_document(ctx, "txt")
    }
    fn render(&self, ctx: &RenderContext<'_>, output: &Output) -> Result<Vec<u8>> {
        Ok(output
            .parts
            .iter()
            .map(|&i| to_text(&ctx.docs[i]))
            .collect::<String>()
            .into_bytes())
    }
}

/// The whole document: title, blank line, body.
pub fn to_text(doc: &Document) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &doc.title {
        parts.push(inlines(&t.inlines));
    }
    let body = body_text(doc);
    if !body.is_empty() {
        parts.push(body);
    }
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

/// The body without the title: exactly what a form's abstract field gets,
/// and what character limits count.
pub fn body_text(doc: &Document) -> String {
    let mut blocks = Vec::new();
    for block in &doc.blocks {
        match block {
            Block::Heading(t) | Block::Paragraph(t) => blocks.push(inlines(&t.inlines)),
            Block::List(list) => {
                let mut s = String::new();
                items(&list.items, list.numbered, 0, &mut s);
                blocks.push(s.trim_end().to_string());
            }
        }
    }
    blocks.join("\n\n")
}

fn items(list: &[ListItem], numbered: bool, depth: usize, out: &mut String) {
    for (n, item) in list.iter().enumerate() {
        let indent = "  ".repeat(depth);
        let marker = if numbered {
            format!("{}. ", n + 1)
        } else {
            "- ".to_string()
        };
        out.push_str(&indent);
        out.push_str(&marker);
        // Further lines of the item line up with its text, so they do not
        // read as items of their own.
        let hanging = format!("\n{indent}{}", " ".repeat(marker.len()));
        out.push_str(&inlines(&item.text.inlines).replace('\n', &hanging));
        if let Some(mark) = &item.mark {
            out.push_str(&format!(" ({mark})"));
        }
        out.push('\n');
        items(&item.children, item.children_numbered, depth + 1, out);
    }
}

/// Inline content as text; a link shows its text and then its URL.
pub fn inlines(list: &[Inline]) -> String {
    let mut s = String::new();
    for inline in list {
        match inline {
            Inline::Text(t) | Inline::Code(t) | Inline::NoteRef(t) => s.push_str(t),
            Inline::Emphasis(c) | Inline::Strong(c) => s.push_str(&inlines(c)),
            Inline::Link { url, content } => {
                let text = inlines(content);
                if text.is_empty() || text == *url {
                    s.push_str(url);
                } else {
                    s.push_str(&format!("{text} ({url})"));
                }
            }
            Inline::LineBreak => s.push('\n'),
        }
    }
    s
}
