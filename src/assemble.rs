//! Assembly: content structure + formatted messages → [`Document`].

use std::collections::HashSet;

use fluent_bundle::{FluentArgs, FluentValue};
use toml::Spanned;

use crate::catalog::{FormatError, LocaleCatalog};
use crate::content::{BlockKind, ItemSpec, LoadedDocument};
use crate::diag::{Diagnostic, Error, Result};
use crate::document::{Block, Document, List, ListItem, Text, parse_inline};
use crate::project::Project;

/// Deeper includes than this are certainly a mistake (and protect the stack).
const MAX_INCLUDE_DEPTH: usize = 16;
/// Lists nested deeper than this cannot be printed sensibly; it also bounds recursion.
pub const MAX_LIST_DEPTH: usize = 32;
/// A message longer than this is certainly a mistake (a pasted file, a
/// runaway expansion); typesetting it would take thousands of pages.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;

struct Assembler<'p> {
    project: &'p Project,
    catalog: &'p LocaleCatalog,
    args: FluentArgs<'static>,
    errors: Vec<Diagnostic>,
}

/// Builds one document in one locale. Collects every error it meets rather
/// than stopping at the first, so the author can fix them in one go.
pub fn assemble(project: &Project, name: &str, locale: &str) -> Result<Document> {
    let catalog = project.catalog.locale(locale).ok_or_else(|| {
        Error::new(
            Diagnostic::error("E0301", format!("unknown locale `{locale}`")).help(format!(
                "known locales: {}",
                project.content.locales().join(", ")
            )),
        )
    })?;
    let doc = project.content.documents.get(name).ok_or_else(|| {
        Error::new(
            Diagnostic::error("E0302", format!("unknown document `{name}`")).help(format!(
                "known documents: {}",
                project
                    .content
                    .documents
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        )
    })?;
    let mut a = Assembler {
        project,
        catalog,
        args: variables(project),
        errors: Vec::new(),
    };
    let title = doc
        .spec
        .title
        .as_ref()
        .and_then(|t| a.text(doc, t.get_ref(), t.span()));
    let mut blocks = Vec::new();
    let mut visiting = HashSet::new();
    visiting.insert(name.to_string());
    a.blocks(doc, &mut blocks, &mut visiting, 0);
    if !a.errors.is_empty() {
        return Err(Error::many(a.errors));
    }
    Ok(Document {
        name: name.to_string(),
        locale: locale.to_string(),
        title,
        blocks,
    })
}

/// `[variables]` of project.toml as Fluent arguments.
fn variables(project: &Project) -> FluentArgs<'static> {
    let mut args = FluentArgs::new();
    for (k, v) in &project.content.config.variables {
        let value: FluentValue<'static> = match v {
            toml::Value::Integer(i) => FluentValue::from(*i),
            toml::Value::Float(f) => FluentValue::from(*f),
            toml::Value::String(s) => FluentValue::from(s.clone()),
            other => FluentValue::from(other.to_string()),
        };
        args.set(k.clone(), value);
    }
    args
}

impl Assembler<'_> {
    fn blocks(
        &mut self,
        doc: &LoadedDocument,
        out: &mut Vec<Block>,
        visiting: &mut HashSet<String>,
        depth: usize,
    ) {
        for block in &doc.spec.blocks {
            let kind = match doc.block_kind(block) {
                Ok(k) => k,
                Err(d) => {
                    self.errors.push(d);
                    continue;
                }
            };
            match kind {
                BlockKind::Heading(id) => {
                    if let Some(t) = self.text(doc, id.get_ref(), id.span()) {
                        out.push(Block::Heading(t));
                    }
                }
                BlockKind::Paragraphs(ids) => {
                    for id in ids {
                        if let Some(t) = self.text(doc, id.get_ref(), id.span()) {
                            out.push(Block::Paragraph(t));
                        }
                    }
                }
                BlockKind::List { numbered, items } => {
                    let items = self.items(doc, items, 0);
                    out.push(Block::List(List { numbered, items }));
                }
                BlockKind::Include(target) => self.include(doc, target, out, visiting, depth),
            }
        }
    }

    fn include(
        &mut self,
        doc: &LoadedDocument,
        target: &Spanned<String>,
        out: &mut Vec<Block>,
        visiting: &mut HashSet<String>,
        depth: usize,
    ) {
        let name = target.get_ref();
        let Some(included) = self.project.content.documents.get(name) else {
            self.errors.push(
                Diagnostic::error("E0303", format!("include of unknown document `{name}`"))
                    .at(doc.loc(target.span()))
                    .help("name a file in content/documents/ without its .toml extension"),
            );
            return;
        };
        if depth >= MAX_INCLUDE_DEPTH || !visiting.insert(name.clone()) {
            self.errors.push(
                Diagnostic::error(
                    "E0304",
                    format!("document `{name}` includes itself (directly or through others)"),
                )
                .at(doc.loc(target.span()))
                .help("remove the include that closes the cycle"),
            );
            return;
        }
        self.blocks(included, out, visiting, depth + 1);
        visiting.remove(name);
    }

    fn items(
        &mut self,
        doc: &LoadedDocument,
        items: &[Spanned<ItemSpec>],
        depth: usize,
    ) -> Vec<ListItem> {
        let mut out = Vec::new();
        for item in items {
            let spec = item.get_ref();
            if depth >= MAX_LIST_DEPTH {
                self.errors.push(
                    Diagnostic::error(
                        "E0305",
                        format!("list nested deeper than {MAX_LIST_DEPTH} levels"),
                    )
                    .at(doc.loc(item.span()))
                    .help("flatten the outline; deeper levels cannot be laid out on a page"),
                );
                return out;
            }
            let span = spec.id_span.clone().unwrap_or_else(|| item.span());
            let text = self.text(doc, &spec.id, span);
            let mark = spec.mark.as_ref().and_then(|m| {
                self.text(doc, m.get_ref(), m.span())
                    .map(|t| crate::document::plain_text(&t.inlines))
            });
            let children = self.items(doc, &spec.items, depth + 1);
            if let Some(text) = text {
                out.push(ListItem {
                    text,
                    mark,
                    children,
                });
            }
        }
        out
    }

    /// Formats message `id` and parses its inline Markdown; records an error
    /// pointing at the content file on failure.
    fn text(
        &mut self,
        doc: &LoadedDocument,
        id: &str,
        span: std::ops::Range<usize>,
    ) -> Option<Text> {
        let locale = &self.catalog.locale;
        match self.catalog.format(id, Some(&self.args)) {
            Ok(value) if value.len() > MAX_MESSAGE_BYTES => {
                let at = self
                    .catalog
                    .entry(id)
                    .and_then(|e| self.catalog.location(e));
                self.errors.push(
                    Diagnostic::error(
                        "E0309",
                        format!(
                            "message `{id}` is {:.1} MB in locale `{locale}`; a message may be at most 1 MB",
                            value.len() as f64 / 1_048_576.0
                        ),
                    )
                    .at_opt(at.or_else(|| Some(doc.loc(span))))
                    .id(id)
                    .help("split the text into several messages, or check that no file was pasted by mistake"),
                );
                None
            }
            Ok(value) => Some(Text {
                message_id: id.to_string(),
                inlines: parse_inline(&value),
            }),
            Err(FormatError::Missing) => {
                self.errors.push(
                    Diagnostic::error(
                        "E0306",
                        format!("message `{id}` does not exist in locale `{locale}`"),
                    )
                    .at(doc.loc(span))
                    .id(id)
                    .help(format!(
                        "add `{id} = ...` to a file in {}/, or fix the ID here",
                        self.catalog.dir.display()
                    )),
                );
                None
            }
            Err(FormatError::NoValue) => {
                self.errors.push(
                    Diagnostic::error(
                        "E0307",
                        format!("message `{id}` has no value in locale `{locale}`"),
                    )
                    .at(doc.loc(span))
                    .id(id)
                    .help(
                        "give the message a value, or name one of its attributes as `id.attribute`",
                    ),
                );
                None
            }
            Err(FormatError::Resolve(reasons)) => {
                let at = self
                    .catalog
                    .entry(id.split('.').next().unwrap_or(id))
                    .and_then(|e| self.catalog.location(e));
                self.errors.push(
                    Diagnostic::error(
                        "E0308",
                        format!(
                            "message `{id}` cannot be formatted in locale `{locale}`: {}",
                            reasons.join("; ")
                        ),
                    )
                    .at_opt(at.or_else(|| Some(doc.loc(span))))
                    .id(id)
                    .help("fix the references in the message; run `talkdoc check` for details"),
                );
                None
            }
        }
    }
}
