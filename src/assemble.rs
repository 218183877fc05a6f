//! Assembly: content structure + formatted messages → [`Document`].

use crate::codes::Code;
use std::collections::HashSet;

use fluent_bundle::{FluentArgs, FluentValue};
use toml::Spanned;

use crate::catalog::{FormatError, LocaleCatalog};
use crate::content::{BlockKind, ItemSpec, LoadedDocument};
use crate::diag::{Diagnostic, Error, Result};
use crate::document::{Block, Document, List, ListItem, Text, parse_inline};
use crate::project::Project;

/// Deeper includes than this are certainly a mistake (and protect the stack:
/// each level is a few small frames).
const MAX_INCLUDE_DEPTH: usize = 1000;
/// Blocks brought in by includes, in total, per assembled document.
const MAX_INCLUDED_BLOCKS: usize = 100_000;
/// Lists nested deeper than this cannot be printed sensibly; it also bounds recursion.
pub const MAX_LIST_DEPTH: usize = 32;
pub use crate::catalog::MAX_MESSAGE_BYTES;

struct Assembler<'p> {
    project: &'p Project,
    catalog: &'p LocaleCatalog,
    args: FluentArgs<'static>,
    errors: Vec<Diagnostic>,
    included_blocks: usize,
}

/// Builds one document in one locale. Collects every error it meets rather
/// than stopping at the first, so the author can fix them in one go.
pub fn assemble(project: &Project, name: &str, locale: &str) -> Result<Document> {
    let catalog = project.catalog.locale(locale).ok_or_else(|| {
        Error::new(
            Diagnostic::error(Code::E0301, format!("unknown locale `{locale}`")).help(format!(
                "known locales: {}",
                project.content.locales().join(", ")
            )),
        )
    })?;
    let doc = project.content.documents.get(name).ok_or_else(|| {
        Error::new(
            Diagnostic::error(Code::E0302, format!("unknown document `{name}`")).help(format!(
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
        args: variables(project, locale),
        errors: Vec::new(),
        included_blocks: 0,
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

/// `[variables]` of project.toml as Fluent arguments for `locale`: the
/// shared values, then those of `[variables.<locale>]` over them (so the
/// English text says "Yamada" where the Japanese says "山田").
pub fn variables(project: &Project, locale: &str) -> FluentArgs<'static> {
    let vars = &project.content.config.variables;
    let locales = project.content.locales();
    let mut args = FluentArgs::new();
    let shared = vars
        .iter()
        .filter(|(k, v)| !(v.is_table() && locales.contains(k)));
    let own = vars
        .get(locale)
        .and_then(|v| v.as_table())
        .into_iter()
        .flat_map(|t| t.iter());
    for (k, v) in shared.chain(own) {
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
                Diagnostic::error(Code::E0303, format!("include of unknown document `{name}`"))
                    .at(doc.loc(target.span()))
                    .help("name a file in content/documents/ without its .toml extension"),
            );
            return;
        };
        if depth >= MAX_INCLUDE_DEPTH {
            self.errors.push(
                Diagnostic::error(
                    Code::E0311,
                    format!("includes nested deeper than {MAX_INCLUDE_DEPTH} levels (at `{name}`)"),
                )
                .at(doc.loc(target.span()))
                .help("include fewer documents inside one another"),
            );
            return;
        }
        if !visiting.insert(name.clone()) {
            self.errors.push(
                Diagnostic::error(
                    Code::E0304,
                    format!("document `{name}` includes itself (directly or through others)"),
                )
                .at(doc.loc(target.span()))
                .help("remove the include that closes the cycle"),
            );
            return;
        }
        // Including the same document twice at every level doubles the
        // size per level: bound the total, not just the depth.
        self.included_blocks += included.spec.blocks.len();
        if self.included_blocks > MAX_INCLUDED_BLOCKS {
            self.errors.push(
                Diagnostic::error(
                    Code::E0311,
                    format!("includes expand to more than {MAX_INCLUDED_BLOCKS} blocks (at `{name}`)"),
                )
                .at(doc.loc(target.span()))
                .help("include each document once; a document that includes another twice at every level grows exponentially"),
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
                        Code::E0305,
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
            let children_numbered = match spec.style.as_ref().map(|s| s.get_ref().as_str()) {
                None | Some("bullet") => false,
                Some("numbered") => true,
                Some(other) => {
                    let span = spec.style.as_ref().map(|s| s.span()).unwrap_or_default();
                    self.errors.push(
                        Diagnostic::error(Code::E0204, format!("unknown list style `{other}`"))
                            .at(doc.loc(span))
                            .help("use style = \"bullet\" or style = \"numbered\""),
                    );
                    false
                }
            };
            if let Some(text) = text {
                out.push(ListItem {
                    text,
                    mark,
                    children,
                    children_numbered,
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
        let formatted = match self.catalog.format(id, Some(&self.args)) {
            Ok(value) if value.len() as u64 > MAX_MESSAGE_BYTES => {
                Err(FormatError::TooLarge(value.len() as u64))
            }
            other => other,
        };
        match formatted {
            Ok(value) => {
                let inlines = parse_inline(&value);
                self.check_links(id, &inlines);
                Some(Text {
                    message_id: id.to_string(),
                    inlines,
                })
            }
            Err(e) => {
                self.errors.push(crate::preflight::format_error(
                    self.catalog,
                    id,
                    e,
                    doc.loc(span),
                ));
                None
            }
        }
    }

    /// Links become live in Markdown and PDF: only `http`, `https`,
    /// `mailto` (and the schemes `[check] allow_link_schemes` names) may.
    fn check_links(&mut self, id: &str, inlines: &[crate::document::Inline]) {
        let allowed = &self.project.content.config.check.allow_link_schemes;
        for url in crate::document::link_urls(inlines) {
            if let Some(scheme) = crate::catalog::safety::refused_scheme(url, allowed) {
                self.errors.push(
                    Diagnostic::error(
                        Code::E0310,
                        format!(
                            "link to `{}` in locale `{}`: the scheme `{scheme}:` is not allowed",
                            url.chars().take(80).collect::<String>(),
                            self.catalog.locale
                        ),
                    )
                    .at_opt(self.catalog.text_location(id, url))
                    .id(id)
                    .help("link to an http, https or mailto address; list a scheme you really need under [check] allow_link_schemes in content/project.toml"),
                );
            }
        }
    }
}
