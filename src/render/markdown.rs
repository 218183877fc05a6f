//! CommonMark export.
//!
//! Text is escaped so that parsing the output with pulldown-cmark gives
//! back exactly the model's structure: `*`, `_`, `[`, `#`, `|`, `<` and
//! friends in the author's text stay text.

use super::{RenderContext, Renderer};
use crate::diag::Result;
use crate::document::{Block, Document, Inline, ListItem};

pub struct Markdown;

impl Renderer for Markdown {
    fn name(&self) -> &'static str {
        "md"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn extension(&self) -> &'static str {
        "md"
    }
    fn render(&self, _ctx: &RenderContext<'_>, doc: &Document) -> Result<Vec<u8>> {
        Ok(to_markdown(doc).into_bytes())
    }
}

/// The document as CommonMark.
pub fn to_markdown(doc: &Document) -> String {
    let mut out = String::new();
    if let Some(title) = &doc.title {
        out.push_str("# ");
        out.push_str(&inlines(&title.inlines));
        out.push_str("\n\n");
    }
    for block in &doc.blocks {
        match block {
            Block::Heading(t) => {
                out.push_str("## ");
                out.push_str(&inlines(&t.inlines));
                out.push_str("\n\n");
            }
            Block::Paragraph(t) => {
                out.push_str(&inlines(&t.inlines));
                out.push_str("\n\n");
            }
            Block::List(list) => {
                list_items(&list.items, list.numbered, "", &mut out);
                out.push('\n');
            }
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

fn list_items(items: &[ListItem], numbered: bool, indent: &str, out: &mut String) {
    for (n, item) in items.iter().enumerate() {
        let marker = if numbered {
            format!("{}. ", n + 1)
        } else {
            "- ".to_string()
        };
        out.push_str(indent);
        out.push_str(&marker);
        let text = inlines(&item.text.inlines);
        match &item.mark {
            Some(mark) => {
                out.push_str("**");
                out.push_str(&text);
                out.push_str("** (");
                out.push_str(&escape(mark, false));
                out.push(')');
            }
            None => out.push_str(&text),
        }
        out.push('\n');
        // Children must be indented to the item's content column.
        let child_indent = format!("{indent}{}", " ".repeat(marker.len()));
        list_items(&item.children, false, &child_indent, out);
    }
}

fn inlines(list: &[Inline]) -> String {
    let mut s = String::new();
    for (i, inline) in list.iter().enumerate() {
        let at_start = i == 0;
        match inline {
            Inline::Text(t) => s.push_str(&escape(t, at_start)),
            Inline::NoteRef(t) => s.push_str(&escape(t, at_start)),
            Inline::Code(c) => s.push_str(&code_span(c)),
            Inline::Emphasis(c) => {
                s.push('*');
                s.push_str(&inlines(c));
                s.push('*');
            }
            Inline::Strong(c) => {
                s.push_str("**");
                s.push_str(&inlines(c));
                s.push_str("**");
            }
            Inline::Link { url, content } => {
                s.push('[');
                s.push_str(&inlines(content));
                s.push_str("](<");
                s.push_str(
                    &url.replace('<', "%3C")
                        .replace('>', "%3E")
                        .replace(' ', "%20"),
                );
                s.push_str(">)");
            }
            Inline::LineBreak => s.push_str("\\\n"),
        }
    }
    s
}

/// A code span with enough backticks to contain `code`.
fn code_span(code: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') || code.starts_with(' ') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{code}{pad}{fence}")
}

/// Escapes text so CommonMark (with GFM tables/strikethrough) reads it as
/// text. Characters that are only special at the start of a line are
/// escaped only there, to keep the Markdown readable.
pub fn escape(text: &str, at_line_start: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let line_start = i == 0 && at_line_start;
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '!' if chars.get(i + 1) == Some(&'[') => out.push_str("\\!"),
            '#' | '-' | '+' | '=' | '>' if line_start => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if at_line_start && chars[..i].iter().all(char::is_ascii_digit) && i > 0 => {
                out.push('\\');
                out.push(c);
            }
            // A line break inside text would start a new block.
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    // Leading spaces would become indentation (a code block at four).
    if at_line_start && out.starts_with(' ') {
        let trimmed = out.trim_start_matches(' ').len();
        let spaces = out.len() - trimmed;
        out = format!("{}{}", "&#32;".repeat(spaces), &out[spaces..]);
    }
    out
}
