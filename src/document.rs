//! The document model every renderer reads.
//!
//! Assembly turns content + catalog into these values; renderers never see
//! Fluent or TOML. Message values may carry inline Markdown (emphasis, code,
//! links); it is parsed here once, so each renderer deals with structure
//! rather than re-interpreting raw strings.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

/// One document in one locale.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Document name, e.g. `abstract`.
    pub name: String,
    /// Locale, e.g. `ja`.
    pub locale: String,
    /// The document's own title, if its content file names one; renderers
    /// print it above the blocks.
    pub title: Option<Text>,
    /// The body, in reading order.
    pub blocks: Vec<Block>,
}

/// Text that came from one message.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// The message ID it was formatted from (for error messages).
    pub message_id: String,
    /// The message value, parsed by [`parse_inline`].
    pub inlines: Vec<Inline>,
}

/// A block of a document body. Flat: sections are headings followed by
/// blocks, not nested containers, as in the Markdown the author writes.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading (one level: a proposal has no sub-sections).
    Heading(Text),
    /// A paragraph of running text.
    Paragraph(Text),
    /// A bulleted or numbered list.
    List(List),
}

/// A list, possibly nested through [`ListItem::children`].
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// Numbered (`1.`) rather than bulleted; nested lists are always bulleted.
    pub numbered: bool,
    /// The top-level items.
    pub items: Vec<ListItem>,
}

/// One list item: its text, an optional mark and its sub-items.
#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// The item's text.
    pub text: Text,
    /// A label shown after the item, e.g. "chosen"; renderers also emphasise it.
    pub mark: Option<String>,
    /// Sub-items, indented one level below this one.
    pub children: Vec<ListItem>,
    /// Whether the sub-items are numbered (`style = "numbered"` on the
    /// item in `content/`) rather than bulleted.
    pub children_numbered: bool,
}

/// A piece of inline text. Each renderer maps these to its own syntax (or
/// drops the styling, as plain text does).
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Literal text, already unescaped; never contains a line break.
    Text(String),
    /// Inline code, shown verbatim.
    Code(String),
    /// `*emphasis*`.
    Emphasis(Vec<Inline>),
    /// `**strong**`.
    Strong(Vec<Inline>),
    /// A hyperlink.
    Link {
        /// The target, as written (assembly checks its scheme).
        url: String,
        /// The link text.
        content: Vec<Inline>,
    },
    /// A `[[wiki-link]]` to the author's private notes: it has no URL, so it
    /// is shown as its title, never as a broken link.
    NoteRef(String),
    /// A line break inside the message value.
    LineBreak,
}

/// Options for reading inline Markdown, shared with tests that parse our
/// Markdown output back.
pub fn markdown_options() -> Options {
    Options::ENABLE_WIKILINKS | Options::ENABLE_STRIKETHROUGH
}

/// Parses a message value as inline Markdown. Block syntax (headings,
/// lists) is not expected inside a message; its text is kept as text.
pub fn parse_inline(markdown: &str) -> Vec<Inline> {
    let markdown = escape_block_starts(markdown);
    let mut stack: Vec<(Vec<Inline>, Option<Tag<'_>>)> = vec![(Vec::new(), None)];
    let mut in_note: usize = 0;
    let mut paragraphs = 0;
    for event in Parser::new_ext(&markdown, markdown_options()) {
        match event {
            Event::Start(Tag::Paragraph) => {
                if paragraphs > 0 {
                    push(&mut stack, Inline::LineBreak);
                }
                paragraphs += 1;
            }
            Event::Start(tag @ (Tag::Emphasis | Tag::Strong | Tag::Strikethrough)) => {
                stack.push((Vec::new(), Some(tag)));
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                // The target is the note's title exactly as written; the
                // displayed children would re-parse `__` as emphasis.
                // A title is one line: a line break inside `[[…]]` is a space.
                let title = dest_url.replace(['\r', '\n'], " ");
                push(&mut stack, Inline::NoteRef(title));
                in_note += 1;
            }
            Event::End(TagEnd::Link) if in_note > 0 => in_note -= 1,
            _ if in_note > 0 => {}
            // Links cannot nest (an autolink inside a link's text): the inner
            // one is kept as its text.
            Event::Start(Tag::Link { .. })
                if stack
                    .iter()
                    .any(|(_, t)| matches!(t, Some(Tag::Link { .. }))) =>
            {
                stack.push((Vec::new(), None));
            }
            Event::Start(tag @ Tag::Link { .. }) => stack.push((Vec::new(), Some(tag))),
            Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            ) => {
                let (children, tag) = stack.pop().unwrap_or_default();
                let node = match tag {
                    Some(Tag::Emphasis) => Inline::Emphasis(children),
                    Some(Tag::Strong) => Inline::Strong(children),
                    Some(Tag::Link { dest_url, .. }) => Inline::Link {
                        url: dest_url.to_string(),
                        content: children,
                    },
                    // Strikethrough has no meaning in a proposal: keep the text.
                    _ => {
                        for c in children {
                            push(&mut stack, c);
                        }
                        continue;
                    }
                };
                push(&mut stack, node);
            }
            Event::Text(t) => push_text(&mut stack, &t),
            Event::Code(c) => push(&mut stack, Inline::Code(c.to_string())),
            Event::SoftBreak | Event::HardBreak => push(&mut stack, Inline::LineBreak),
            Event::Html(h) | Event::InlineHtml(h) => push_text(&mut stack, &h),
            Event::Start(Tag::Item) => {}
            _ => {}
        }
    }
    // Unbalanced input cannot happen with pulldown-cmark, but never lose text.
    while stack.len() > 1 {
        let (children, _) = stack.pop().unwrap_or_default();
        for c in children {
            push(&mut stack, c);
        }
    }
    let mut inlines = stack.pop().map(|(v, _)| v).unwrap_or_default();
    // A block's last line ends with a newline (code and HTML blocks): not a
    // break inside the message.
    while inlines.last() == Some(&Inline::LineBreak) {
        inlines.pop();
    }
    let leading = inlines
        .iter()
        .take_while(|i| **i == Inline::LineBreak)
        .count();
    inlines.drain(..leading);
    inlines
}

/// A message is inline text, but a line of it that starts like a block
/// (`- item`, `1. item`, `# title`, `> quote`, `---`, `===`, a code fence,
/// `[label]: target`) would be parsed as one, and its marker (or the whole
/// line) would vanish from the text. Escapes that first character so the
/// line stays text, exactly as written.
fn escape_block_starts(markdown: &str) -> std::borrow::Cow<'_, str> {
    if !markdown.split('\n').any(|l| block_marker_at(l).is_some()) {
        return std::borrow::Cow::Borrowed(markdown);
    }
    let mut out = String::with_capacity(markdown.len() + 8);
    for (i, line) in markdown.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match block_marker_at(line) {
            Some(at) => {
                out.push_str(&line[..at]);
                out.push('\\');
                out.push_str(&line[at..]);
            }
            None => out.push_str(line),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Byte offset of the character that makes `line` start a block, if any.
fn block_marker_at(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    // Followed by a space, a tab or the end of the line.
    let ends_marker = |n: usize| {
        rest[n..]
            .chars()
            .next()
            .is_none_or(|c| matches!(c, ' ' | '\t' | '\r'))
    };
    let rule = || {
        let marks: Vec<char> = rest
            .chars()
            .filter(|c| !matches!(c, ' ' | '\t' | '\r'))
            .collect();
        marks.len() >= 3
            && matches!(marks[0], '-' | '*' | '_')
            && marks.iter().all(|&c| c == marks[0])
    };
    match rest.chars().next()? {
        '#' => {
            let n = rest.chars().take_while(|&c| c == '#').count();
            (n <= 6 && ends_marker(n)).then_some(indent)
        }
        '-' | '+' | '*' => (ends_marker(1) || rule()).then_some(indent),
        '_' => rule().then_some(indent),
        '>' => Some(indent),
        '=' => rest.trim_end().chars().all(|c| c == '=').then_some(indent),
        '`' | '~' => (rest.starts_with("```") || rest.starts_with("~~~")).then_some(indent),
        // A link reference definition is removed from the text.
        '[' => (!rest.starts_with("[[") && rest.contains("]:")).then_some(indent),
        '0'..='9' => {
            let n = rest.chars().take_while(char::is_ascii_digit).count();
            let after = rest[n..].chars().next();
            (n <= 9 && matches!(after, Some('.' | ')')) && ends_marker(n + 1)).then_some(indent + n)
        }
        _ => None,
    }
}

fn push(stack: &mut [(Vec<Inline>, Option<Tag<'_>>)], inline: Inline) {
    if let Some((top, _)) = stack.last_mut() {
        top.push(inline);
    }
}

/// Appends text; a line break inside it (text of an HTML or code block)
/// becomes a [`Inline::LineBreak`], so `Text` never holds one.
fn push_text(stack: &mut [(Vec<Inline>, Option<Tag<'_>>)], text: &str) {
    let Some((top, _)) = stack.last_mut() else {
        return;
    };
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            top.push(Inline::LineBreak);
        }
        if line.is_empty() {
            continue;
        }
        if let Some(Inline::Text(prev)) = top.last_mut() {
            prev.push_str(line);
        } else {
            top.push(Inline::Text(line.to_string()));
        }
    }
}

/// Every link target in `inlines`, in reading order (a link inside a
/// link's text, or inside emphasis, included).
pub fn link_urls(inlines: &[Inline]) -> Vec<&str> {
    fn walk<'a>(inlines: &'a [Inline], out: &mut Vec<&'a str>) {
        for i in inlines {
            match i {
                Inline::Link { url, content } => {
                    out.push(url);
                    walk(content, out);
                }
                Inline::Emphasis(c) | Inline::Strong(c) => walk(c, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(inlines, &mut out);
    out
}

/// The plain text of inlines: what a reader sees, links as their text.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut s = String::new();
    collect_plain(inlines, &mut s);
    s
}

fn collect_plain(inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) | Inline::NoteRef(t) => out.push_str(t),
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Link { content: c, .. } => {
                collect_plain(c, out)
            }
            Inline::LineBreak => out.push('\n'),
        }
    }
}

impl Document {
    /// Every string a reader sees, with the message it came from: the
    /// texts plus list marks. What the PDF font must cover.
    pub fn visible_strings(&self) -> Vec<(String, String)> {
        fn marks(list: &[ListItem], out: &mut Vec<(String, String)>) {
            for i in list {
                if let Some(m) = &i.mark {
                    out.push((i.text.message_id.clone(), m.clone()));
                }
                marks(&i.children, out);
            }
        }
        let mut out: Vec<(String, String)> = self
            .texts()
            .into_iter()
            .map(|t| (t.message_id.clone(), plain_text(&t.inlines)))
            .collect();
        for b in &self.blocks {
            if let Block::List(l) = b {
                marks(&l.items, &mut out);
            }
        }
        out
    }

    /// Visits every text of the document (title, headings, paragraphs, items).
    pub fn texts(&self) -> Vec<&Text> {
        fn items<'a>(list: &'a [ListItem], out: &mut Vec<&'a Text>) {
            for i in list {
                out.push(&i.text);
                items(&i.children, out);
            }
        }
        let mut out: Vec<&Text> = self.title.iter().collect();
        for b in &self.blocks {
            match b {
                Block::Heading(t) | Block::Paragraph(t) => out.push(t),
                Block::List(l) => items(&l.items, &mut out),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wiki_links_become_note_titles_verbatim() {
        let i = parse_inline("[[2007__FOSE__Software Reliability Engineering - A Roadmap]]");
        assert_eq!(
            i,
            vec![Inline::NoteRef(
                "2007__FOSE__Software Reliability Engineering - A Roadmap".into()
            )]
        );
        let i = parse_inline("最後に [[Ironies of Automation]]");
        assert_eq!(
            i,
            vec![
                Inline::Text("最後に ".into()),
                Inline::NoteRef("Ironies of Automation".into())
            ]
        );
    }

    #[test]
    fn links_emphasis_and_escapes() {
        let i = parse_inline(r"[a \| b](https://x.test/?q=1) *em* `c`");
        assert_eq!(
            i,
            vec![
                Inline::Link {
                    url: "https://x.test/?q=1".into(),
                    content: vec![Inline::Text("a | b".into())]
                },
                Inline::Text(" ".into()),
                Inline::Emphasis(vec![Inline::Text("em".into())]),
                Inline::Text(" ".into()),
                Inline::Code("c".into()),
            ]
        );
    }

    #[test]
    fn block_syntax_is_kept_as_text() {
        for s in [
            "要素技術\n- eBPF\n- 言語ランタイム",
            "# 見出し",
            "## 見出し\n本文",
            "> 引用",
            "a\n> 引用",
            "1. 一つ目\n2) 二つ目",
            "a\n---",
            "a\n===",
            "***",
            "_ _ _",
            "- a",
            "+ b",
            "* c",
            "-",
            "```\ncode\n```",
            "~~~",
            "[1]: 参考文献",
        ] {
            assert_eq!(plain_text(&parse_inline(s)), s, "{s:?}");
        }
        // Inline syntax at the start of a line still works.
        assert_eq!(
            parse_inline("*強調* です\n**太字**\n[[ノート]]"),
            vec![
                Inline::Emphasis(vec![Inline::Text("強調".into())]),
                Inline::Text(" です".into()),
                Inline::LineBreak,
                Inline::Strong(vec![Inline::Text("太字".into())]),
                Inline::LineBreak,
                Inline::NoteRef("ノート".into()),
            ]
        );
        // Leading spaces go (Fluent trims them too); the marker stays.
        assert_eq!(plain_text(&parse_inline("  - indented")), "- indented");
        assert_eq!(plain_text(&parse_inline("#hashtag")), "#hashtag");
        assert_eq!(plain_text(&parse_inline("2024年")), "2024年");
        assert_eq!(plain_text(&parse_inline("9+4年")), "9+4年");
        // Text of HTML and code blocks: its line breaks are line breaks,
        // never inside a Text, never at the start or the end.
        for s in ["<p>\na", "    a\n    b", "<div>\n\n</div>\nx"] {
            let inlines = parse_inline(s);
            assert!(
                !matches!(inlines.first(), Some(Inline::LineBreak))
                    && !matches!(inlines.last(), Some(Inline::LineBreak)),
                "{s:?}: {inlines:?}"
            );
            assert!(
                inlines
                    .iter()
                    .all(|i| !matches!(i, Inline::Text(t) if t.contains('\n'))),
                "{s:?}: {inlines:?}"
            );
        }
        assert_eq!(
            parse_inline("<p>\na"),
            vec![
                Inline::Text("<p>".into()),
                Inline::LineBreak,
                Inline::Text("a".into())
            ]
        );
        assert_eq!(
            plain_text(&parse_inline("オブザーバビリティを高める => 極論")),
            "オブザーバビリティを高める => 極論"
        );
    }
}
