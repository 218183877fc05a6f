//! CommonMark export.
//!
//! Text is escaped so that parsing the output with pulldown-cmark gives
//! back exactly the model's structure and text: `*`, `_`, `[`, `#`, `|`,
//! `<` and friends in the author's text stay text, wherever they are in a
//! line. Emphasis that CommonMark cannot express at its place (its
//! delimiters would not be recognised and would show up as literal `*`) is
//! written without the emphasis rather than with stray asterisks.

use super::{Output, RenderContext, Renderer};
use crate::diag::Result;
use crate::document::{Block, Document, Inline, ListItem};

/// The `md` format: one CommonMark file per document.
pub(crate) struct Markdown;

impl Renderer for Markdown {
    fn name(&self) -> &'static str {
        "md"
    }
    fn outputs(&self, ctx: &RenderContext<'_>) -> Vec<Output> {
        super::per_document(ctx, "md")
    }
    fn render(&self, ctx: &RenderContext<'_>, output: &Output) -> Result<Vec<u8>> {
        Ok(output
            .parts
            .iter()
            .map(|&i| to_markdown(&ctx.docs[i]))
            .collect::<String>()
            .into_bytes())
    }
}

/// The document as CommonMark.
pub fn to_markdown(doc: &Document) -> String {
    let mut out = String::new();
    if let Some(title) = &doc.title {
        heading(1, &title.inlines, &mut out);
    }
    // Two lists of the same kind in a row would merge into one; a list
    // marker of the other style (`*` for `-`, `)` for `.`) starts a new one.
    let mut previous_list: Option<(bool, bool)> = None;
    for block in &doc.blocks {
        match block {
            Block::Heading(t) => {
                heading(2, &t.inlines, &mut out);
                previous_list = None;
            }
            Block::Paragraph(t) => {
                out.push_str(&block_inlines(&t.inlines));
                out.push_str("\n\n");
                previous_list = None;
            }
            Block::List(list) => {
                let alternate = match previous_list {
                    Some((numbered, alt)) if numbered == list.numbered => !alt,
                    _ => false,
                };
                list_items(&list.items, list.numbered, alternate, "", &mut out);
                out.push('\n');
                previous_list = Some((list.numbered, alternate));
            }
        }
    }
    // Only the blank lines between blocks: other whitespace is text.
    let trimmed = out.trim_end_matches('\n').len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

/// An ATX heading, or a setext one when the text has line breaks (an ATX
/// heading is a single line).
fn heading(level: usize, list: &[Inline], out: &mut String) {
    let mut text = block_inlines(list);
    if text.contains('\n') {
        out.push_str(&text);
        out.push('\n');
        out.push_str(if level == 1 { "===" } else { "---" });
        out.push_str("\n\n");
        return;
    }
    // A run of `#` after a space at the end would be read as the optional
    // closing sequence and dropped.
    let hashes = text.len() - text.trim_end_matches('#').len();
    if hashes > 0 {
        let run = text.len() - hashes;
        if text[..run].ends_with([' ', '\t']) || run == 0 {
            text.insert(run, '\\');
        }
    }
    out.push_str(&"#".repeat(level));
    out.push(' ');
    out.push_str(&text);
    out.push_str("\n\n");
}

fn list_items(items: &[ListItem], numbered: bool, alternate: bool, indent: &str, out: &mut String) {
    for (n, item) in items.iter().enumerate() {
        let marker = match (numbered, alternate) {
            (true, false) => format!("{}. ", n + 1),
            (true, true) => format!("{}) ", n + 1),
            (false, false) => "- ".to_string(),
            (false, true) => "* ".to_string(),
        };
        // Children and continuation lines are indented to the content column.
        let child_indent = format!("{indent}{}", " ".repeat(marker.len()));
        out.push_str(indent);
        out.push_str(&marker);
        let text = match &item.mark {
            Some(mark) => {
                let mark = format!(" ({})", escape(mark, false, None));
                let inner = inlines(
                    &item.text.inlines,
                    false,
                    Some('*'),
                    Some('*'),
                    '_',
                    Open::NONE.with('*'),
                );
                if can_wrap('*', &inner, None, Some(' '), false) {
                    format!("**{inner}**{mark}")
                } else {
                    format!(
                        "{}{mark}",
                        inlines(&item.text.inlines, true, None, Some(' '), '*', Open::NONE)
                    )
                }
            }
            None => block_inlines(&item.text.inlines),
        };
        out.push_str(&text.replace('\n', &format!("\n{child_indent}")));
        out.push('\n');
        list_items(
            &item.children,
            item.children_numbered,
            false,
            &child_indent,
            out,
        );
    }
}

/// The inlines of a whole block (paragraph, heading, list item).
fn block_inlines(list: &[Inline]) -> String {
    protect_trailing_space(inlines(list, true, None, None, '*', Open::NONE))
}

/// Spaces and tabs at the end of a block are stripped by CommonMark; write
/// them as character references. (Inline rendering never ends in a space
/// that is not text: code spans end in a backtick, links in `)`.)
fn protect_trailing_space(mut s: String) -> String {
    // CommonMark strips ASCII whitespace (space, tab, VT, FF) at the end of
    // a paragraph.
    let kept = s.trim_end_matches([' ', '\t', '\u{B}', '\u{C}']).len();
    if kept < s.len() {
        let tail: String = s[kept..]
            .chars()
            .map(|c| format!("&#{};", c as u32))
            .collect();
        s.truncate(kept);
        s.push_str(&tail);
    }
    s
}

/// The first character an inline will be written with, as far as a
/// neighbouring emphasis delimiter is concerned (`delimiter`: the one
/// emphasis at this level is written with).
fn first_char(inline: &Inline, delimiter: char) -> Option<char> {
    match inline {
        Inline::Text(t) | Inline::NoteRef(t) => t.chars().next().map(|c| {
            if needs_escape(c) {
                '\\'
            } else if c == '\n' {
                ' '
            } else {
                c
            }
        }),
        Inline::Code(_) => Some('`'),
        // Possibly a delimiter: treat it as one.
        Inline::Emphasis(_) | Inline::Strong(_) => Some(delimiter),
        Inline::Link { .. } => Some('['),
        Inline::LineBreak => Some('\\'),
    }
}

/// Which emphasis delimiters an enclosing emphasis has opened.
#[derive(Clone, Copy)]
struct Open {
    star: bool,
    underscore: bool,
    /// How many emphasis levels enclose this run.
    depth: u8,
}

impl Open {
    const NONE: Open = Open {
        star: false,
        underscore: false,
        depth: 0,
    };

    fn with(self, delimiter: char) -> Open {
        let depth = self.depth.saturating_add(1);
        match delimiter {
            '*' => Open {
                star: true,
                depth,
                ..self
            },
            _ => Open {
                underscore: true,
                depth,
                ..self
            },
        }
    }

    fn has(self, delimiter: char) -> bool {
        if delimiter == '*' {
            self.star
        } else {
            self.underscore
        }
    }
}

/// Renders inlines. `line_start`: the first inline starts a line;
/// `prev` / `next`: the characters written just before and after (None for
/// the start or end of a line); `delimiter`: `*` or `_` for emphasis at this
/// level. Nested emphasis alternates the two, because runs of different
/// characters never pair up, whereas `*a **b***` style runs do.
///
/// Emphasis whose delimiters would not be recognised where it stands is
/// replaced by its content and the run is rendered again, so that the
/// content meets its real neighbours (line start, adjacent code spans).
fn inlines(
    list: &[Inline],
    line_start: bool,
    prev: Option<char>,
    next: Option<char>,
    delimiter: char,
    open: Open,
) -> String {
    // Emphasis nested deeper than this means nothing on a page, and
    // re-rendering runs whose delimiters cannot stand (below) would cost
    // time exponential in the depth: keep the text, drop the emphasis.
    const MAX_EMPHASIS_DEPTH: u8 = 3;
    let mut items = if open.depth >= MAX_EMPHASIS_DEPTH {
        coalesce(flatten_emphasis(list.to_vec()))
    } else {
        coalesce(list.to_vec())
    };
    'again: loop {
        let mut s = String::new();
        let mut at_line_start = line_start;
        for i in 0..items.len() {
            let before = s.chars().last().or(prev);
            let after = match items.get(i + 1) {
                Some(n) => first_char(n, delimiter),
                None => next,
            };
            let piece = match &items[i] {
                Inline::Text(t) | Inline::NoteRef(t) => escape(t, at_line_start, after),
                Inline::Code(c) => code_span(c),
                Inline::Emphasis(c) | Inline::Strong(c) => {
                    let run = if matches!(items[i], Inline::Strong(_)) {
                        format!("{delimiter}{delimiter}")
                    } else {
                        delimiter.to_string()
                    };
                    let other = if delimiter == '*' { '_' } else { '*' };
                    let inner = inlines(
                        c,
                        false,
                        Some(delimiter),
                        Some(delimiter),
                        other,
                        open.with(delimiter),
                    );
                    if can_wrap(delimiter, &inner, before, after, open.has(delimiter)) {
                        format!("{run}{inner}{run}")
                    } else {
                        let content = c.clone();
                        items.splice(i..=i, content);
                        items = coalesce(items);
                        continue 'again;
                    }
                }
                Inline::Link { url, content } => {
                    format!(
                        "[{}](<{}>)",
                        inlines(content, false, Some('['), Some(']'), delimiter, open),
                        link_destination(url)
                    )
                }
                Inline::LineBreak => "\\\n".to_string(),
            };
            at_line_start =
                matches!(items[i], Inline::LineBreak) || (at_line_start && piece.is_empty());
            s.push_str(&piece);
        }
        return s;
    }
}

/// The inlines without emphasis: their text, links kept.
fn flatten_emphasis(list: Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(list.len());
    for inline in list {
        match inline {
            Inline::Emphasis(c) | Inline::Strong(c) => out.extend(flatten_emphasis(c)),
            Inline::Link { url, content } => out.push(Inline::Link {
                url,
                content: flatten_emphasis(content),
            }),
            other => out.push(other),
        }
    }
    out
}

/// Adjacent code spans joined into one: written one after the other their
/// backtick fences would run together. A line break inside text becomes a
/// hard line break (in a paragraph it would be read as a space).
fn coalesce(list: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(list.len());
    for inline in list {
        match (out.last_mut(), inline) {
            (Some(Inline::Code(prev)), Inline::Code(c)) => prev.push_str(&c),
            (_, Inline::Text(t)) if t.contains('\n') => split_lines(&t, Inline::Text, &mut out),
            (_, Inline::NoteRef(t)) if t.contains('\n') => {
                split_lines(&t, Inline::NoteRef, &mut out)
            }
            (_, inline) => out.push(inline),
        }
    }
    out
}

fn split_lines(text: &str, make: fn(String) -> Inline, out: &mut Vec<Inline>) {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push(Inline::LineBreak);
        }
        if !line.is_empty() {
            out.push(make(line.to_string()));
        }
    }
}

/// Whether `*inner*` (or `_inner_`) between `prev` and `next` is read as
/// emphasis: the opening run must be left-flanking and the closing run
/// right-flanking (CommonMark 6.2), `_` must not be inside a word, and
/// neither run may touch another delimiter of its kind, which would join
/// the runs. Inside an emphasis opened with the same character
/// (`nested`), the opening run must not be able to close, or it would
/// close that one.
fn can_wrap(
    delimiter: char,
    inner: &str,
    prev: Option<char>,
    next: Option<char>,
    nested: bool,
) -> bool {
    let (Some(first), Some(last)) = (inner.chars().next(), inner.chars().last()) else {
        return false;
    };
    if prev == Some(delimiter) || next == Some(delimiter) {
        return false;
    }
    // Only whitespace and ASCII punctuation are sure to count as such
    // outside; anything not alphanumeric counts as punctuation inside.
    let open_side =
        |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || c.is_ascii_punctuation());
    let punct = |c: char| !c.is_alphanumeric();
    if first.is_whitespace() || last.is_whitespace() {
        return false;
    }
    if punct(first) && !open_side(prev) {
        return false;
    }
    if punct(last) && !open_side(next) {
        return false;
    }
    if nested {
        // Not right-flanking: after whitespace, or after punctuation with a
        // letter or digit next.
        let after_space = prev.is_none_or(char::is_whitespace);
        let after_punct = prev.is_some_and(|c| c.is_ascii_punctuation()) && first.is_alphanumeric();
        if !(after_space || after_punct) {
            return false;
        }
    }
    delimiter != '_' || (open_side(prev) && open_side(next))
}

/// A link destination in `<…>`: no line breaks or `<`/`>` inside, and
/// backslashes and `&` that would start a character reference escaped.
fn link_destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for (i, c) in url.char_indices() {
        match c {
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            ' ' => out.push_str("%20"),
            '\n' => out.push_str("%0A"),
            '\\' => out.push_str("\\\\"),
            '&' if starts_reference(&url[i..]) => out.push_str("\\&"),
            _ => out.push(c),
        }
    }
    out
}

/// Whether `s` (starting with `&`) begins a character reference such as
/// `&amp;`, `&#35;` or `&#x23;`.
fn starts_reference(s: &str) -> bool {
    let body = &s[1..];
    let Some(end) = body.find(';') else {
        return false;
    };
    let name = &body[..end];
    let digits = name
        .strip_prefix("#x")
        .or_else(|| name.strip_prefix("#X"))
        .or_else(|| name.strip_prefix('#'));
    match digits {
        Some(d) => !d.is_empty() && d.chars().all(|c| c.is_ascii_hexdigit()),
        None => !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()),
    }
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
    // One space on each side is stripped when both are there, unless the
    // code is all spaces; pad when the code itself starts or ends with a
    // backtick or a space.
    let all_spaces = code.chars().all(|c| c == ' ');
    let pad = if !all_spaces && (code.starts_with(['`', ' ']) || code.ends_with(['`', ' '])) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{code}{pad}{fence}")
}

/// Characters escaped wherever they are.
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|' | '~' | '&'
    )
}

/// Escapes text so CommonMark (with GFM tables/strikethrough) reads it as
/// text. Characters that are only special at the start of a line are
/// escaped only there, to keep the Markdown readable. `next` is the
/// character written right after the text (a `[` makes a final `!` an
/// image marker).
pub fn escape(text: &str, at_line_start: bool, next: Option<char>) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let line_start = i == 0 && at_line_start;
        let following = chars.get(i + 1).copied().or(next);
        match c {
            c if needs_escape(c) => {
                out.push('\\');
                out.push(c);
            }
            '!' if following == Some('[') => out.push_str("\\!"),
            '#' | '-' | '+' | '=' | '>' if line_start => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if at_line_start && i > 0 && chars[..i].iter().all(char::is_ascii_digit) => {
                out.push('\\');
                out.push(c);
            }
            // Line breaks are split off before (see `coalesce`); a carriage
            // return would be read as one.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
    // Leading spaces and tabs would become indentation (a code block at four).
    if at_line_start {
        let kept = out.trim_start_matches([' ', '\t']);
        let lead = out.len() - kept.len();
        if lead > 0 {
            let refs: String = out[..lead]
                .chars()
                .map(|c| if c == '\t' { "&#9;" } else { "&#32;" })
                .collect();
            out = format!("{refs}{}", &out[lead..]);
        }
    }
    out
}
