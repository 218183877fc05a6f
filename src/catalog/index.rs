//! Our own index over the Fluent AST: where each entry is and what it uses.
//!
//! The AST borrows the source text, so the byte offset of an identifier is
//! the distance between its `&str` and the start of the source.

use std::collections::BTreeSet;
use std::ops::Range;

use fluent_bundle::FluentResource;
use fluent_syntax::ast;
use fluent_syntax::parser::{ErrorKind, ParserError};

use crate::diag::{Diagnostic, SourceFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Message,
    Term,
}

/// A reference from one entry to another message or term.
#[derive(Debug, Clone)]
pub struct Reference {
    /// `id` for a message, `-id` for a term.
    pub target: String,
    pub span: Range<usize>,
}

/// One message or term as it appears in a file.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub kind: EntryKind,
    /// Index into the locale's `files`.
    pub file: usize,
    /// Byte span of the identifier.
    pub span: Range<usize>,
    pub has_value: bool,
    pub attributes: Vec<String>,
    /// `$variables` used anywhere in the value or attributes.
    pub variables: BTreeSet<String>,
    pub references: Vec<Reference>,
    /// The entry re-serialised in canonical Fluent syntax, without comments:
    /// what the freshness fingerprint is taken over, so reformatting a file
    /// does not make translations stale.
    pub canonical: String,
}

impl Entry {
    /// The key in the catalog: `id`, or `-id` for a term.
    pub fn key(&self) -> String {
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
pub fn index_resource(resource: &FluentResource, file: usize) -> Vec<Entry> {
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
            references: Vec::new(),
        };
        if let Some(p) = value {
            walker.pattern(p);
        }
        for a in attributes {
            walker.pattern(&a.value);
        }
        out.push(Entry {
            id: id.to_string(),
            kind,
            file,
            span: start..offset_in(source, id) + id.len(),
            has_value: value.is_some(),
            attributes: attributes.iter().map(|a| a.id.name.to_string()).collect(),
            variables: walker.variables,
            references: walker.references,
            canonical,
        });
    }
    out
}

fn canonical(entry: ast::Entry<&str>) -> String {
    let resource = ast::Resource { body: vec![entry] };
    fluent_syntax::serializer::serialize(&resource)
}

struct Walker<'s> {
    source: &'s str,
    variables: BTreeSet<String>,
    references: Vec<Reference>,
}

impl<'s> Walker<'s> {
    fn pattern(&mut self, p: &ast::Pattern<&'s str>) {
        for element in &p.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                self.expression(expression);
            }
        }
    }

    fn expression(&mut self, e: &ast::Expression<&'s str>) {
        match e {
            ast::Expression::Inline(i) => self.inline(i),
            ast::Expression::Select { selector, variants } => {
                self.inline(selector);
                for v in variants {
                    self.pattern(&v.value);
                }
            }
        }
    }

    fn reference(&mut self, target: String, name: &str) {
        let start = offset_in(self.source, name);
        self.references.push(Reference {
            target,
            span: start..start + name.len(),
        });
    }

    fn inline(&mut self, i: &ast::InlineExpression<&'s str>) {
        match i {
            ast::InlineExpression::VariableReference { id } => {
                self.variables.insert(id.name.to_string());
            }
            ast::InlineExpression::MessageReference { id, .. } => {
                self.reference(id.name.to_string(), id.name);
            }
            ast::InlineExpression::TermReference { id, arguments, .. } => {
                self.reference(format!("-{}", id.name), id.name);
                if let Some(args) = arguments {
                    self.arguments(args);
                }
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => self.arguments(arguments),
            ast::InlineExpression::Placeable { expression } => self.expression(expression),
            ast::InlineExpression::StringLiteral { .. }
            | ast::InlineExpression::NumberLiteral { .. } => {}
        }
    }

    fn arguments(&mut self, args: &ast::CallArguments<&'s str>) {
        for p in &args.positional {
            self.inline(p);
        }
        for n in &args.named {
            self.inline(&n.value);
        }
    }
}

/// A parser error as a diagnostic, with advice for the common traps.
pub fn syntax_error(file: &SourceFile, e: &ParserError) -> Diagnostic {
    let help = match &e.kind {
        ErrorKind::ExpectedToken('=') | ErrorKind::ExpectedCharRange { .. } => {
            "a continuation line must be indented and cannot start with `[`, `*` or `.`; \
             move that text onto the previous line or write it as a string literal, e.g. { \"[\" }"
        }
        ErrorKind::UnbalancedClosingBrace | ErrorKind::ExpectedToken('}') => {
            "braces start placeables; write a literal brace as { \"{\" } or { \"}\" }"
        }
        ErrorKind::ExpectedMessageField { .. } | ErrorKind::MissingValue => {
            "give the message a value after `=`, or an attribute on the next line"
        }
        _ => "see https://projectfluent.org/fluent/guide/ for the syntax",
    };
    // The classic trap: an indented line starting with `[`, `*` or `.` ends
    // the message and becomes Junk. Say so, and point at that character.
    let text = &file.text;
    let start = e.pos.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[line_start..line_end];
    let indent = line.len() - line.trim_start().len();
    if indent > 0 && line.trim_start().starts_with(['[', '*', '.']) {
        let c = &line.trim_start()[..1];
        let at = line_start + indent;
        return Diagnostic::error(
            "E0101",
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
                "E0101",
                "this placeable is never closed: `{` without a matching `}`",
            )
            .at(file.at(brace..brace + 1))
            .help("close it with `}` on the same entry; write a literal brace as { \"{\" }");
        }
    }
    // Point at the error position; fluent-syntax reports an empty range at EOF.
    let span = if e.pos.end > e.pos.start {
        e.pos.clone()
    } else {
        e.pos.start..e.pos.start + 1
    };
    Diagnostic::error(
        "E0101",
        format!("Fluent syntax error: {}; the entry is ignored", e.kind),
    )
    .at(file.at(span))
    .help(help)
}
