//! Our own index over the Fluent AST: where each entry is and what it uses.
//!
//! The AST borrows the source text, so the byte offset of an identifier is
//! the distance between its `&str` and the start of the source.

use crate::codes::Code;
use std::collections::BTreeSet;
use std::ops::Range;

use fluent_bundle::FluentResource;
use fluent_syntax::ast;
use fluent_syntax::parser::{ErrorKind, ParserError};

use crate::diag::{Diagnostic, SourceFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// Whether an entry is a message (shown by documents) or a term (`-name`, only
/// referenced).
pub enum EntryKind {
    /// `id = …`: can be shown by a document.
    Message,
    /// `-id = …`: usable only inside other messages.
    Term,
}

/// A reference from one entry to another message or term.
#[derive(Debug, Clone)]
pub struct Reference {
    /// `id` for a message, `-id` for a term.
    pub target: String,
    /// Byte span of the target's name in the referring file (for the finding's
    /// location).
    pub span: Range<usize>,
    /// Used only to choose a variant (`{ -brand.gender -> … }`): a
    /// translation into a language without that distinction may drop it.
    pub in_selector: bool,
}

/// One message or term as it appears in a file.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The identifier as written, without a term's `-`.
    pub id: String,
    /// Message or term: a term's key carries a `-`.
    pub kind: EntryKind,
    /// Index into the locale's `files`.
    pub file: usize,
    /// Byte span of the identifier.
    pub span: Range<usize>,
    /// Whether the entry has a value (a message may have attributes only).
    pub has_value: bool,
    /// Attribute names (`.title`), in file order: compared across locales
    /// (C003, C004).
    pub attributes: Vec<String>,
    /// `$variables` used anywhere in the value or attributes.
    pub variables: BTreeSet<String>,
    /// The `$variables` printed somewhere (outside a select expression's
    /// selector): a subset of `variables`. A variable used only to choose a
    /// plural or case form is not in it.
    pub printed_variables: BTreeSet<String>,
    /// Whether the text written directly in the value or an attribute
    /// (outside placeables, attribute names excluded) has a letter: what
    /// "identical to the source" is judged on.
    pub has_letters: bool,
    /// How many words that text has (tokens with three letters in a row),
    /// counted up to 2. "OK", "A4" and "mm" are the same in most languages,
    /// and so are many single words ("Menu", "File", "Cookies"); coverage
    /// mode calls only text of two words or more untranslated.
    pub words: u8,
    /// Messages and terms it references, with where: checked to resolve (C006)
    /// and for cycles (C007).
    pub references: Vec<Reference>,
    /// How large the value (`None`) and each attribute can grow when
    /// formatted, in terms of the entries it references: bounds the
    /// expansion before fluent-bundle is asked to format anything.
    pub sizes: Vec<(Option<String>, Size)>,
    /// The longest string literal in the entry (a term argument may be
    /// printed by the term as a variable).
    pub longest_literal: u64,
    /// The entry re-serialised in canonical Fluent syntax, without comments:
    /// what the freshness fingerprint is taken over, so reformatting a file
    /// does not make translations stale.
    pub canonical: String,
}

impl Entry {
    /// The key in the catalog: `id`, or `-id` for a term.
    pub(crate) fn key(&self) -> String {
        match self.kind {
            EntryKind::Message => self.id.clone(),
            EntryKind::Term => format!("-{}", self.id),
        }
    }
}

fn offset_in(source: &str, slice: &str) -> usize {
    (slice.as_ptr() as usize).saturating_sub(source.as_ptr() as usize)
}

/// Indexes every message and term in `resource`.
pub(crate) fn index_resource(resource: &FluentResource, file: usize) -> Vec<Entry> {
    let source = resource.source();
    let mut out = Vec::new();
    for entry in resource.entries() {
        let (id, kind, value, attributes, canonical) = match entry {
            ast::Entry::Message(m) => {
                let mut bare = m.clone();
                bare.comment = None;
                (
                    m.id.name,
                    EntryKind::Message,
                    m.value.as_ref(),
                    &m.attributes,
                    canonical(ast::Entry::Message(bare)),
                )
            }
            ast::Entry::Term(t) => {
                let mut bare = t.clone();
                bare.comment = None;
                (
                    t.id.name,
                    EntryKind::Term,
                    Some(&t.value),
                    &t.attributes,
                    canonical(ast::Entry::Term(bare)),
                )
            }
            _ => continue,
        };
        // A term's ID slice excludes its `-`; point at the `-`.
        let start = offset_in(source, id).saturating_sub(usize::from(kind == EntryKind::Term));
        let mut walker = Walker {
            source,
            variables: BTreeSet::new(),
            printed_variables: BTreeSet::new(),
            references: Vec::new(),
            longest_literal: 0,
            in_selector: false,
        };
        let has_letters = value
            .into_iter()
            .chain(attributes.iter().map(|a| &a.value))
            .flat_map(|p| &p.elements)
            .any(|e| {
                matches!(e, ast::PatternElement::TextElement { value } if value.chars().any(char::is_alphabetic))
            });
        // Per pattern (the value, each attribute), the most: `Save` with
        // `.title = Save` is one word twice, not two. Placeables stand in
        // as one character, so a tag around one (`<a href="{ $url }">`) is
        // still one tag.
        let words = value
            .into_iter()
            .chain(attributes.iter().map(|a| &a.value))
            .map(|p| {
                let text: String = p
                    .elements
                    .iter()
                    .map(|e| match e {
                        ast::PatternElement::TextElement { value } => *value,
                        ast::PatternElement::Placeable { .. } => "\u{FFFC}",
                    })
                    .collect();
                without_tags(&text)
                    .split_whitespace()
                    .filter(|token| !is_code_like(token))
                    .filter(|token| {
                        let mut run = 0;
                        token.chars().any(|c| {
                            run = if c.is_alphabetic() { run + 1 } else { 0 };
                            run >= 3
                        })
                    })
                    .take(2)
                    .count() as u8
            })
            .max()
            .unwrap_or(0);
        let mut sizes = Vec::new();
        if let Some(p) = value {
            sizes.push((None, walker.pattern(p)));
        }
        for a in attributes {
            sizes.push((Some(a.id.name.to_string()), walker.pattern(&a.value)));
        }
        out.push(Entry {
            id: id.to_string(),
            kind,
            file,
            span: start..offset_in(source, id) + id.len(),
            has_value: value.is_some(),
            attributes: attributes.iter().map(|a| a.id.name.to_string()).collect(),
            variables: walker.variables,
            printed_variables: walker.printed_variables,
            has_letters,
            words,
            references: walker.references,
            sizes,
            longest_literal: walker.longest_literal,
            canonical,
        });
    }
    out
}

/// `text` with its markup tags (`<span>`, `</a>`, `<a href="…">`) taken
/// out: an app's HTML-in-Fluent keeps its tags in every language, and
/// they are not words. A tag is `<`, a letter or `/`, and the text up to
/// the next `>` with no `<` before it; any other `<` stays.
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
        let end = after.find('>').filter(|&e| !after[..e].contains('<'));
        match end {
            Some(end) if is_tag => {
                out.push(' ');
                rest = &after[end + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A URL, an e-mail address, a file or identifier name: text that stays
/// the same in every language (`https://www.example.com`, `passwords.csv`,
/// `SSL_ERROR`).
fn is_code_like(token: &str) -> bool {
    let inner = token.trim_matches(|c: char| !c.is_alphanumeric());
    inner.contains(['/', '@', '_'])
        || inner
            .split_once('.')
            .is_some_and(|(a, b)| !a.is_empty() && b.starts_with(char::is_alphanumeric))
}

fn canonical(entry: ast::Entry<&str>) -> String {
    let resource = ast::Resource { body: vec![entry] };
    fluent_syntax::serializer::serialize(&resource)
}

struct Walker<'s> {
    source: &'s str,
    variables: BTreeSet<String>,
    printed_variables: BTreeSet<String>,
    references: Vec<Reference>,
    longest_literal: u64,
    /// Inside a select expression's selector.
    in_selector: bool,
}

/// An upper bound of a pattern's formatted length, symbolically: resolved
/// against the whole locale by `LocaleCatalog`, in time linear in the AST.
#[derive(Debug, Clone)]
pub enum Size {
    /// Literal text of this many bytes.
    Lit(u64),
    /// A message (`id`, `id.attr`) or term (`-id`, `-id.attr`) reference.
    Ref(String),
    /// A variable: a `[variables]` value or a term argument.
    Var,
    /// Everything in sequence.
    Sum(Vec<Size>),
    /// One of several variants.
    Max(Vec<Size>),
}

impl Size {
    /// Every reference in the expression, as (`id` or `-id`, attribute).
    pub(crate) fn references(&self, out: &mut Vec<(String, Option<String>)>) {
        match self {
            Size::Ref(k) => out.push(match k.split_once('.') {
                Some((id, attr)) => (id.to_string(), Some(attr.to_string())),
                None => (k.clone(), None),
            }),
            Size::Sum(v) | Size::Max(v) => v.iter().for_each(|s| s.references(out)),
            Size::Lit(_) | Size::Var => {}
        }
    }
}

impl<'s> Walker<'s> {
    fn pattern(&mut self, p: &ast::Pattern<&'s str>) -> Size {
        let mut parts = Vec::new();
        for element in &p.elements {
            match element {
                ast::PatternElement::TextElement { value } => {
                    parts.push(Size::Lit(value.len() as u64));
                }
                ast::PatternElement::Placeable { expression } => {
                    parts.push(self.expression(expression));
                }
            }
        }
        Size::Sum(parts)
    }

    fn expression(&mut self, e: &ast::Expression<&'s str>) -> Size {
        match e {
            ast::Expression::Inline(i) => self.inline(i),
            ast::Expression::Select { selector, variants } => {
                let outer = std::mem::replace(&mut self.in_selector, true);
                self.inline(selector);
                self.in_selector = outer;
                Size::Max(variants.iter().map(|v| self.pattern(&v.value)).collect())
            }
        }
    }

    fn reference(&mut self, target: String, name: &str) {
        let start = offset_in(self.source, name);
        self.references.push(Reference {
            target,
            span: start..start + name.len(),
            in_selector: self.in_selector,
        });
    }

    fn inline(&mut self, i: &ast::InlineExpression<&'s str>) -> Size {
        match i {
            ast::InlineExpression::VariableReference { id } => {
                self.variables.insert(id.name.to_string());
                if !self.in_selector {
                    self.printed_variables.insert(id.name.to_string());
                }
                Size::Var
            }
            ast::InlineExpression::MessageReference { id, attribute } => {
                self.reference(id.name.to_string(), id.name);
                Size::Ref(match attribute {
                    Some(a) => format!("{}.{}", id.name, a.name),
                    None => id.name.to_string(),
                })
            }
            ast::InlineExpression::TermReference {
                id,
                attribute,
                arguments,
            } => {
                self.reference(format!("-{}", id.name), id.name);
                if let Some(args) = arguments {
                    self.arguments(args);
                }
                Size::Ref(match attribute {
                    Some(a) => format!("-{}.{}", id.name, a.name),
                    None => format!("-{}", id.name),
                })
            }
            // A function formats its arguments (NUMBER, DATETIME): their
            // size plus room for the formatting.
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                Size::Sum(vec![self.arguments(arguments), Size::Lit(64)])
            }
            ast::InlineExpression::Placeable { expression } => self.expression(expression),
            ast::InlineExpression::StringLiteral { value } => {
                let n = value.len() as u64;
                self.longest_literal = self.longest_literal.max(n);
                Size::Lit(n)
            }
            ast::InlineExpression::NumberLiteral { value } => Size::Lit(value.len() as u64),
        }
    }

    fn arguments(&mut self, args: &ast::CallArguments<&'s str>) -> Size {
        let mut parts = Vec::new();
        for p in &args.positional {
            parts.push(self.inline(p));
        }
        for n in &args.named {
            parts.push(self.inline(&n.value));
        }
        Size::Sum(parts)
    }
}

/// A parser error as a diagnostic: each fluent-syntax error kind has its own
/// message and help; for the kinds a typo can cause in many ways (a missing
/// `=` or `}`), the traps authors fall into are recognised first.
pub(crate) fn syntax_error(file: &SourceFile, e: &ParserError) -> Diagnostic {
    let text = &file.text;
    let start = e.pos.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[line_start..line_end];
    let indent = line.len() - line.trim_start().len();
    // Where the parser stopped: at a line end or a line start means it ran
    // out of the entry (something was left open), not that it met a
    // character it did not expect.
    let at_boundary =
        start >= text.len() || start == line_start || text[start..].starts_with(['\n', '\r']);
    let found = text[start..]
        .chars()
        .next()
        .filter(|c| !c.is_whitespace())
        .map_or_else(|| "the end of the line".to_string(), |c| format!("`{c}`"));
    // Point at the error position; fluent-syntax reports an empty range at EOF.
    let span = if e.pos.end > e.pos.start {
        e.pos.clone()
    } else {
        e.pos.start..e.pos.start + 1
    };
    const PLACEABLE: &str = "a placeable holds one expression: a variable { $name }, a message or term reference { msg } { -term }, a literal { \"text\" } { 42 } or a function call { NUMBER($n) }";
    // Errors fluent-syntax names precisely: say what they are, not what
    // the heuristics below would guess.
    let precise: Option<(String, String)> = match &e.kind {
        ErrorKind::MissingDefaultVariant => Some((
            "this select expression has no default variant".to_string(),
            "mark the variant used when nothing else matches with `*`, e.g. `*[other] …`".into(),
        )),
        ErrorKind::MultipleDefaultVariants => Some((
            "this select expression has more than one default variant (`*`)".to_string(),
            "keep `*` on one variant only".into(),
        )),
        ErrorKind::UnterminatedStringLiteral => Some((
            "this string literal is not closed before the end of the line".to_string(),
            "close it with `\"` on the same line".into(),
        )),
        ErrorKind::UnknownEscapeSequence(seq) => Some((
            format!("unknown escape sequence `\\{seq}` in a string literal"),
            "string literals know only \\\\, \\\", \\uXXXX and \\UXXXXXX".into(),
        )),
        ErrorKind::InvalidUnicodeEscapeSequence(seq) => Some((
            format!("invalid Unicode escape `{seq}`"),
            "write \\u with four hex digits or \\U with six".into(),
        )),
        ErrorKind::DuplicatedNamedArgument(name) => Some((
            format!("the argument `{name}` is given twice"),
            "give each named argument once".into(),
        )),
        ErrorKind::PositionalArgumentFollowsNamed => Some((
            "a positional argument follows a named one".to_string(),
            "put positional arguments first".into(),
        )),
        ErrorKind::MessageReferenceAsSelector => Some((
            "a message reference cannot be a selector".to_string(),
            "select on a variable ({ $count -> … }) or a term attribute ({ -brand.gender -> … })".into(),
        )),
        ErrorKind::TermReferenceAsSelector => Some((
            "a term reference cannot be a selector, only a term attribute".to_string(),
            "select on an attribute of the term: { -brand.gender -> … }".into(),
        )),
        ErrorKind::MessageAttributeAsSelector => Some((
            "a message attribute cannot be a selector".to_string(),
            "select on a variable ({ $count -> … }) or a term attribute ({ -brand.gender -> … })".into(),
        )),
        ErrorKind::ExpectedSimpleExpressionAsSelector => Some((
            "this cannot be a selector: a selector is a variable, a literal, a term attribute or a function call".to_string(),
            "select on a variable ({ $count -> … }) or a term attribute ({ -brand.gender -> … })".into(),
        )),
        ErrorKind::TermAttributeAsPlaceable => Some((
            "a term attribute cannot be shown, only used as a selector".to_string(),
            "select on it ({ -brand.gender -> … }) or show the term itself ({ -brand })".into(),
        )),
        ErrorKind::ForbiddenCallee => Some((
            "this cannot be called like a function".to_string(),
            "function names are written in capitals, e.g. NUMBER($n)".into(),
        )),
        ErrorKind::ExpectedMessageField { entry_id } => Some((
            format!("the message `{entry_id}` has neither a value nor an attribute"),
            format!("give it a value after `=` ({entry_id} = …), or attributes on indented lines below (.label = …)"),
        )),
        ErrorKind::ExpectedTermField { entry_id } => Some((
            format!("the term `-{entry_id}` has no value"),
            format!("a term needs a value after `=`: -{entry_id} = …"),
        )),
        ErrorKind::MissingValue => Some((
            "expected a value here".to_string(),
            "give the variant or attribute some text; an empty text is written { \"\" }".into(),
        )),
        ErrorKind::UnbalancedClosingBrace => Some((
            "a `}` without a matching `{`".to_string(),
            "braces start placeables; write a literal brace as { \"{\" } or { \"}\" }".into(),
        )),
        ErrorKind::ExpectedInlineExpression => Some((
            format!("expected an expression here, found {found}"),
            PLACEABLE.into(),
        )),
        ErrorKind::ExpectedLiteral => Some((
            "a named argument's value must be a string or number literal".to_string(),
            "write `name: \"value\"` or `name: 42`; a variable can only be a positional argument".into(),
        )),
        // `my id = …`: the ID stops at the space, then `=` is missing.
        ErrorKind::ExpectedToken('=') if indent == 0 && line.contains('=') => {
            let id = line.split('=').next().unwrap_or_default().trim();
            Some((
                format!("`{id}` is not a valid message identifier"),
                "an identifier starts with a letter and contains only letters, digits, `-` and `_`".into(),
            ))
        }
        // `lonely` on a line of its own.
        ErrorKind::ExpectedToken('=') if indent == 0 => {
            let id = line.trim();
            Some((
                format!("expected `=` after `{id}`"),
                format!("write `{id} = …`; text that continues the previous message must be indented"),
            ))
        }
        // `{ 1x }`: something unexpected inside a placeable, mid-line.
        ErrorKind::ExpectedToken('}') if !at_boundary => Some((
            format!("expected `}}` to close the placeable, found {found}"),
            PLACEABLE.into(),
        )),
        // `{ $n -> }`: variants start on a new line.
        ErrorKind::ExpectedCharRange { range } if range.contains('\n') => Some((
            format!("expected a line break, found {found}"),
            "after `->`, put each variant on a line of its own: [one] … and *[other] …".into(),
        )),
        // `!bad = x`, `[b] y` at column 1.
        ErrorKind::ExpectedCharRange { .. } if indent == 0 && start == line_start => Some((
            format!("a line cannot start with {found}: an entry starts with an identifier (a letter) or `-term`, a comment with `#`"),
            "indent the line if it continues the previous message; start a comment with `#`; an identifier starts with a letter".into(),
        )),
        _ => None,
    };
    if let Some((message, help)) = precise {
        // fluent-syntax notices a bad selector at its `->` and a term
        // attribute at the `}`: point at the expression itself. A second
        // default variant: at its `*`. A bad identifier: at its start.
        let span = match &e.kind {
            ErrorKind::MessageReferenceAsSelector
            | ErrorKind::TermReferenceAsSelector
            | ErrorKind::MessageAttributeAsSelector
            | ErrorKind::ExpectedSimpleExpressionAsSelector
            | ErrorKind::TermAttributeAsPlaceable => text[..start]
                .rfind('{')
                .map(|b| {
                    let expr = b + 1 + (text[b + 1..].len() - text[b + 1..].trim_start().len());
                    expr..expr + 1
                })
                .unwrap_or(span),
            ErrorKind::MultipleDefaultVariants if text[..start].ends_with('*') => start - 1..start,
            ErrorKind::ExpectedToken('=') if indent == 0 => line_start..line_start + 1,
            _ => span,
        };
        return Diagnostic::error(Code::E0101, message)
            .at(file.at(span))
            .help(help);
    }
    // The classic trap: an indented line starting with `[`, `*` or `.` ends
    // the message and becomes Junk. Say so, and point at that character.
    if indent > 0 && line.trim_start().starts_with(['[', '*', '.']) {
        let c = &line.trim_start()[..1];
        let at = line_start + indent;
        return Diagnostic::error(
            Code::E0101,
            format!("a continuation line cannot start with `{c}`: Fluent ends the message before it and drops this text"),
        )
        .at(file.at(at..at + 1))
        .help(format!(
            "move the text onto the previous line, or write the `{c}` as a string literal: {{ \"{c}\" }}"
        ));
    }
    // A placeable left open is noticed only where the parser gives up,
    // often on the next entry's line: point at the `{` that was not closed.
    if let Some(slice) = &e.slice {
        let end = e.pos.start.min(slice.end).min(text.len());
        let start = slice.start.min(end);
        let mut open: Vec<usize> = Vec::new();
        for (i, c) in text[start..end].char_indices() {
            match c {
                '{' => open.push(start + i),
                '}' => {
                    open.pop();
                }
                _ => {}
            }
        }
        if let Some(&brace) = open.last() {
            return Diagnostic::error(
                Code::E0101,
                "this placeable is never closed: `{` without a matching `}`",
            )
            .at(file.at(brace..brace + 1))
            .help("close it with `}` on the same entry; write a literal brace as { \"{\" }");
        }
    }
    let (message, help) = match &e.kind {
        ErrorKind::ExpectedToken(c) => (
            format!("expected `{c}` here, found {found}"),
            "see https://projectfluent.org/fluent/guide/ for the syntax".to_string(),
        ),
        ErrorKind::ExpectedCharRange { range } => (
            format!("expected one of {range} here, found {found}"),
            "a continuation line must be indented and cannot start with `[`, `*` or `.`; \
             move that text onto the previous line or write it as a string literal, e.g. { \"[\" }"
                .to_string(),
        ),
        other => (
            format!("Fluent syntax error: {other}"),
            "see https://projectfluent.org/fluent/guide/ for the syntax".to_string(),
        ),
    };
    Diagnostic::error(Code::E0101, format!("{message}; the entry is ignored"))
        .at(file.at(span))
        .help(help)
}

/// Deepest nesting of placeables (`{`) and call arguments (`(`) talkdoc
/// accepts. Real messages nest two or three levels; fluent-bundle panics on
/// selects nested deeper than 100, and its parser and resolver (and our own
/// walkers) recurse once per level, so thousands of levels overflow the
/// stack. Checked on the raw text, before the parser runs.
pub(crate) const MAX_NESTING: usize = 32;

/// Finds the first place in `text` where placeables or call arguments nest
/// deeper than [`MAX_NESTING`]: the byte offset of the opening character.
///
/// A linear scan that follows just enough of Fluent's syntax to count
/// correctly: comments at the start of a line and string literals inside
/// placeables are skipped, so a `{` in either does not count.
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    too_deep_from(text, 0)
}

/// [`too_deep`] from byte `from`, which must be the start of a line
/// outside any placeable.
fn too_deep_from(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = from;
    let mut line_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        if depth == 0 && line_start && b == b'#' {
            // A comment line: skip to its end.
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        line_start = b == b'\n';
        match b {
            b'{' | b'(' if b == b'{' || depth > 0 => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b'}' | b')' if depth > 0 => depth -= 1,
            b'"' if depth > 0 => {
                // A string literal: ends at an unescaped `"` or the line end.
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if i < bytes.len() && bytes[i] == b'\n' {
                    line_start = true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether the line starting at byte `i` starts an entry: an identifier
/// (or `-term`) at column 0.
fn starts_entry(bytes: &[u8], i: usize) -> bool {
    let first = bytes.get(i).copied().unwrap_or(b' ');
    let first = if first == b'-' {
        bytes.get(i + 1).copied().unwrap_or(b' ')
    } else {
        first
    };
    first.is_ascii_alphabetic()
}

/// Blanks every entry nested deeper than [`MAX_NESTING`] (spaces, line
/// breaks kept so every other position stays put), so the rest of the file
/// parses and only that entry is lost, reported at its deepest `{`.
/// Linear in the file: each entry is scanned once.
pub(crate) fn blank_too_deep(text: &str) -> (std::borrow::Cow<'_, str>, Vec<usize>) {
    let Some(first) = too_deep(text) else {
        return (std::borrow::Cow::Borrowed(text), Vec::new());
    };
    let mut bytes = text.as_bytes().to_vec();
    let mut found = Vec::new();
    let mut at = Some(first);
    let mut floor = 0;
    while let Some(deep) = at {
        found.push(deep);
        // The entry's first line: the nearest line before `deep` (not
        // before the previous blanked region) that starts an entry.
        let mut start = bytes[..deep]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        while start > floor && !starts_entry(&bytes, start) {
            start = bytes[..start - 1]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
        }
        // Its end: the next line that starts another entry.
        let mut end = deep;
        loop {
            match bytes[end..].iter().position(|&b| b == b'\n') {
                Some(nl) => {
                    end += nl + 1;
                    if starts_entry(&bytes, end) {
                        break;
                    }
                }
                None => {
                    end = bytes.len();
                    break;
                }
            }
        }
        for b in &mut bytes[start..end] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
        floor = end;
        // Blanking whole lines of ASCII keeps the text valid UTF-8.
        let so_far = std::str::from_utf8(&bytes).unwrap_or_default();
        at = too_deep_from(so_far, end);
    }
    (
        std::borrow::Cow::Owned(String::from_utf8(bytes).unwrap_or_default()),
        found,
    )
}

/// The diagnostic for [`too_deep`].
pub(crate) fn too_deep_error(file: &SourceFile, at: usize) -> Diagnostic {
    Diagnostic::error(
        Code::E0107,
        format!("placeables nested deeper than {MAX_NESTING} levels; this entry is not read"),
    )
    .at(file.at(at..at + 1))
    .help("flatten the nested placeables or selects; real messages need two or three levels")
}

#[cfg(test)]
mod tag_tests {
    use super::without_tags;

    #[test]
    fn tags_go_and_other_angle_brackets_stay() {
        let words = |t: &str| {
            without_tags(t)
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(words("<span>x</span> for y"), ["x", "for", "y"]);
        assert_eq!(words("<a href=\"\u{FFFC}\">Cookies</a>"), ["Cookies"]);
        assert_eq!(without_tags("a < b and <3"), "a < b and <3");
        assert_eq!(without_tags("x < y > z"), "x < y > z");
        assert_eq!(without_tags("<b>a < c</b>"), " a < c ");
        assert_eq!(without_tags("<b hello"), "<b hello");
    }
}
