//! The document structure in `content/`: project settings and one TOML file
//! per document naming the messages it is made of, in order.
//!
//! Message IDs are read as `toml::Spanned` so that a content file naming a
//! message that does not exist is reported at its file:line:column. Blocks
//! are a flat struct validated by hand rather than a serde-tagged enum:
//! tagged enums buffer their input and lose the spans.

use crate::codes::Code;
use crate::input::Boundary;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use toml::Spanned;

use crate::config::{DocumentPdf, PdfConfig};
use crate::diag::{Diagnostic, Error, Location, Result, SourceFile};

/// `content/project.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectConfig {
    /// The locale the author writes in.
    pub source_locale: Spanned<String>,
    /// Every locale, in build order.
    pub locales: Vec<Spanned<String>>,
    /// Message used as the talk title (PDF metadata, running header).
    pub title: Spanned<String>,
    /// Author for PDF metadata; absent means none is written.
    #[serde(default)]
    pub author: Option<String>,
    /// Keywords for PDF metadata (plain strings, not messages).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Variables passed to every message (`{ $name }`).
    #[serde(default)]
    pub variables: BTreeMap<String, toml::Value>,
    /// `[[limits]]`: the counts `talkdoc check` enforces.
    #[serde(default)]
    pub limits: Vec<LimitSpec>,
    /// `[pdf]`: font, combined and parallel handouts, page setup.
    #[serde(default)]
    pub pdf: PdfConfig,
    /// `[check]`: deliberate exceptions to `check`'s findings.
    #[serde(default)]
    pub check: CheckConfig,
}

/// `[check]` in `content/project.toml`: deliberate exceptions. Each entry is
/// a message ID or a prefix ending in `*`.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Messages kept on purpose although no document uses them (C008).
    #[serde(default)]
    pub allow_unused: Vec<String>,
    /// Messages whose translation is rightly the same as the source (C009).
    #[serde(default)]
    pub allow_identical: Vec<String>,
    /// Translations that rightly quote source-script text, e.g. the original
    /// title of a Japanese article kept beside its translation (C010).
    #[serde(default)]
    pub allow_source_script: Vec<String>,
    /// Link schemes allowed besides `http`, `https` and `mailto` (E0310).
    #[serde(default)]
    pub allow_link_schemes: Vec<String>,
}

/// A character limit checked by `talkdoc check`.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct LimitSpec {
    /// The document whose body is counted (its title never is).
    pub document: Spanned<String>,
    /// The locale it is counted in.
    pub locale: Spanned<String>,
    /// Read as a signed 64-bit TOML integer; checked to be in range.
    pub max: Spanned<i64>,
    /// How to count: `chars` (the default), `utf16`, `crlf`, `graphemes`
    /// or `words`.
    #[serde(default = "default_count")]
    pub count: Spanned<String>,
}

fn default_count() -> Spanned<String> {
    Spanned::new(0..0, "chars".to_string())
}

/// One `content/documents/<name>.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSpec {
    /// Message used as the document's title.
    pub title: Option<Spanned<String>>,
    /// The document's blocks, in order.
    #[serde(default)]
    pub blocks: Vec<BlockSpec>,
    /// `[pdf]`: settings of this document's PDFs.
    #[serde(default)]
    pub pdf: DocumentPdf,
}

/// One block of a document, as written; see [`BlockKind`] for the meaning.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockSpec {
    /// `type`: `heading`, `paragraphs`, `list` or `include`.
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
    /// A heading's message.
    pub message: Option<Spanned<String>>,
    /// The paragraphs' messages, one paragraph each.
    pub messages: Option<Vec<Spanned<String>>>,
    /// A list's style: `bulleted` (the default) or `numbered`.
    pub style: Option<Spanned<String>>,
    /// A list's items.
    pub items: Option<Vec<Spanned<ItemSpec>>>,
    /// The document an `include` block inserts.
    pub document: Option<Spanned<String>>,
}

/// A list item: a message ID, or `{ id = "...", items = [...], mark = "..." }`.
#[derive(Debug)]
pub struct ItemSpec {
    /// The item's message ID.
    pub id: String,
    /// Span of the ID itself when written as a table.
    pub id_span: Option<Range<usize>>,
    /// A message shown as a label after the item (e.g. "chosen").
    pub mark: Option<Spanned<String>>,
    /// Nested items.
    pub items: Vec<Spanned<ItemSpec>>,
    /// The nested items' style: `bullet` (the default) or `numbered`.
    pub style: Option<Spanned<String>>,
}

impl<'de> Deserialize<'de> for ItemSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = ItemSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a message ID or a table { id = \"...\", items = [...], style = \"numbered\" }",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<ItemSpec, E> {
                Ok(ItemSpec {
                    id: v.to_string(),
                    id_span: None,
                    mark: None,
                    items: Vec::new(),
                    style: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<ItemSpec, A::Error> {
                let mut id: Option<Spanned<String>> = None;
                let mut mark = None;
                let mut items = Vec::new();
                let mut style = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "id" => id = Some(map.next_value()?),
                        "mark" => mark = Some(map.next_value()?),
                        "items" => items = map.next_value()?,
                        "style" => style = Some(map.next_value()?),
                        other => {
                            return Err(de::Error::unknown_field(
                                other,
                                &["id", "items", "mark", "style"],
                            ));
                        }
                    }
                }
                let id = id.ok_or_else(|| de::Error::missing_field("id"))?;
                let span = id.span();
                Ok(ItemSpec {
                    id: id.into_inner(),
                    id_span: Some(span),
                    mark,
                    items,
                    style,
                })
            }
        }
        d.deserialize_any(ItemVisitor)
    }
}

/// What a block is, after validation.
#[derive(Debug)]
pub enum BlockKind<'a> {
    /// A section heading: its message.
    Heading(&'a Spanned<String>),
    /// Paragraphs: one message each.
    Paragraphs(&'a [Spanned<String>]),
    /// A list, possibly nested.
    List {
        /// Numbered rather than bulleted (top level only).
        numbered: bool,
        /// The items.
        items: &'a [Spanned<ItemSpec>],
    },
    /// Another document's blocks, inserted here.
    Include(&'a Spanned<String>),
}

/// A loaded content folder.
pub struct Content {
    /// `content/project.toml` as read (for locations in errors).
    pub project_file: SourceFile,
    /// `content/project.toml` as parsed.
    pub config: ProjectConfig,
    /// Documents by name, sorted.
    pub documents: BTreeMap<String, LoadedDocument>,
}

/// One document file, as read and as parsed.
pub struct LoadedDocument {
    /// The file (for locations in errors).
    pub file: SourceFile,
    /// Its contents.
    pub spec: DocumentSpec,
}

impl LoadedDocument {
    /// The file:line:column of `span` in the document's file.
    pub fn loc(&self, span: Range<usize>) -> Location {
        self.file.at(span)
    }

    /// The validated kind of a block, or an error pointing at it.
    pub fn block_kind<'a>(&'a self, block: &'a BlockSpec) -> Result<BlockKind<'a>, Diagnostic> {
        let missing = |field: &str| {
            Diagnostic::error(
                Code::E0203,
                format!("a `{}` block needs `{field}`", block.kind.get_ref()),
            )
            .at(self.loc(block.kind.span()))
        };
        Ok(match block.kind.get_ref().as_str() {
            "heading" => {
                BlockKind::Heading(block.message.as_ref().ok_or_else(|| missing("message"))?)
            }
            "paragraphs" => BlockKind::Paragraphs(
                block
                    .messages
                    .as_deref()
                    .ok_or_else(|| missing("messages"))?,
            ),
            "list" => {
                let numbered = match block.style.as_ref().map(|s| s.get_ref().as_str()) {
                    None | Some("bullet") => false,
                    Some("numbered") => true,
                    Some(other) => {
                        let span = block.style.as_ref().map(|s| s.span()).unwrap_or_default();
                        return Err(Diagnostic::error(
                            Code::E0204,
                            format!("unknown list style `{other}`"),
                        )
                        .at(self.loc(span))
                        .help("use style = \"bullet\" or style = \"numbered\""));
                    }
                };
                BlockKind::List {
                    numbered,
                    items: block.items.as_deref().ok_or_else(|| missing("items"))?,
                }
            }
            "include" => {
                BlockKind::Include(block.document.as_ref().ok_or_else(|| missing("document"))?)
            }
            other => {
                return Err(Diagnostic::error(
                    Code::E0202,
                    format!("unknown block type `{other}`"),
                )
                .at(self.loc(block.kind.span()))
                .help("use one of: heading, paragraphs, list, include"));
            }
        })
    }
}

/// Whether `name` is safe as a document name or locale: it becomes part of
/// an output path, so nothing that could leave the output folder.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with(['.', '-'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn parse_toml<T: for<'de> Deserialize<'de>>(file: &SourceFile) -> Result<T, Diagnostic> {
    toml::from_str(&file.text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        Diagnostic::error(
            Code::E0201,
            format!("invalid TOML: {}", e.message().trim_end()),
        )
        .at(file.at(span))
        .help(if e.message().contains("recurs") {
            "the nesting is too deep; lists can be nested at most 32 levels"
        } else {
            "fix the TOML syntax or the field named above; see the README's `content/` section"
        })
    })
}

fn read_source(root: &Path, path: &Path, code: Code, what: &str) -> Result<SourceFile> {
    let shown = crate::diag::display_path(root, path);
    let text =
        crate::input::read_text_capped(path, &shown, crate::input::MAX_TOML_BYTES, code, what)?
            .map_err(|e| {
                let valid = e.utf8_error().valid_up_to();
                let prefix = std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or_default();
                let (line, column) = crate::diag::line_col(prefix, prefix.len());
                Error::new(
                    Diagnostic::error(
                        code,
                        format!("cannot {what}: not valid UTF-8 (offset {valid})"),
                    )
                    .at(Location {
                        path: shown.clone(),
                        line,
                        column,
                        source: None,
                    })
                    .help("save the file as UTF-8"),
                )
            })?;
    Ok(SourceFile::new(shown, text))
}

impl Content {
    /// Reads `content/project.toml` and every `content/documents/*.toml`.
    pub fn load(root: &Path, content_dir: &Path, boundary: &Boundary) -> Result<Content> {
        let project_path = content_dir.join("project.toml");
        let shown_project = crate::diag::display_path(root, &project_path);
        boundary.check(
            &project_path,
            &shown_project,
            Code::E0001,
            "read the project settings",
        )?;
        let project_file = read_source(
            root,
            &project_path,
            Code::E0001,
            "read the project settings",
        )?;
        // `[variables]` values reach the outputs: no control or invisible
        // characters there either (E0108/E0109, as in .ftl files).
        let unsafe_chars = crate::catalog::safety::scan(&project_file);
        if !unsafe_chars.is_empty() {
            return Err(Error::many(unsafe_chars));
        }
        let config: ProjectConfig = parse_toml(&project_file)?;

        let mut problems = Vec::new();
        let locale_names: Vec<String> =
            config.locales.iter().map(|l| l.get_ref().clone()).collect();
        problems.extend(config.pdf.check_pages(&project_file, &locale_names));
        for locale in config
            .locales
            .iter()
            .chain(std::iter::once(&config.source_locale))
        {
            if !is_safe_name(locale.get_ref()) {
                problems.push(
                    Diagnostic::error(
                        Code::E0205,
                        format!("`{}` is not a usable locale name", locale.get_ref()),
                    )
                    .at(project_file.at(locale.span()))
                    .help(
                        "use a BCP 47 tag made of letters, digits and `-`, such as `ja` or `en-GB`",
                    ),
                );
            }
        }
        if !config
            .locales
            .iter()
            .any(|l| l.get_ref() == config.source_locale.get_ref())
        {
            problems.push(
                Diagnostic::error(
                    Code::E0206,
                    format!(
                        "the source locale `{}` is not in `locales`",
                        config.source_locale.get_ref()
                    ),
                )
                .at(project_file.at(config.source_locale.span()))
                .help("add it to `locales`"),
            );
        }

        let docs_dir = content_dir.join("documents");
        let shown_docs = crate::diag::display_path(root, &docs_dir);
        boundary.check(
            &docs_dir,
            &shown_docs,
            Code::E0001,
            "read the documents folder",
        )?;
        let entries = std::fs::read_dir(&docs_dir)
            .map_err(|e| Error::io(Code::E0001, "read the documents folder", &shown_docs, &e))?;
        let mut paths: Vec<(PathBuf, bool)> = entries
            .filter_map(|e| {
                let e = e.ok()?;
                Some((e.path(), e.file_type().is_ok_and(|t| t.is_symlink())))
            })
            .filter(|(p, _)| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        let mut documents = BTreeMap::new();
        for (path, link) in paths {
            if link {
                let shown = crate::diag::display_path(root, &path);
                boundary.check(&path, &shown, Code::E0001, "read the document")?;
            }
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            let file = read_source(root, &path, Code::E0001, "read the document")?;
            if !is_safe_name(&name) {
                problems.push(
                    Diagnostic::error(
                        Code::E0207,
                        format!("`{name}` is not a usable document name"),
                    )
                    .at(Location::file(file.path.clone()))
                    .help("name document files with letters, digits, `-` and `_` only"),
                );
                continue;
            }
            match parse_toml::<DocumentSpec>(&file) {
                Ok(spec) => {
                    let doc = LoadedDocument { file, spec };
                    // A block of an unknown type or without its field is as
                    // malformed as bad TOML: found here, so every command
                    // treats it alike (check: exit 2, "could not run").
                    problems.extend(
                        doc.spec
                            .blocks
                            .iter()
                            .filter_map(|b| doc.block_kind(b).err()),
                    );
                    documents.insert(name, doc);
                }
                Err(d) => problems.push(d),
            }
        }
        if documents.is_empty() && problems.is_empty() {
            problems.push(
                Diagnostic::error(Code::E0208, "no documents found")
                    .at(Location::file(shown_docs))
                    .help("add a content/documents/<name>.toml file for each document"),
            );
        }
        if !problems.is_empty() {
            return Err(Error::many(problems));
        }
        Ok(Content {
            project_file,
            config,
            documents,
        })
    }

    /// Every locale, in build order.
    pub fn locales(&self) -> Vec<String> {
        self.config
            .locales
            .iter()
            .map(|l| l.get_ref().clone())
            .collect()
    }

    /// The locale the author writes in.
    pub fn source_locale(&self) -> &str {
        self.config.source_locale.get_ref()
    }
}
