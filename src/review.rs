//! Review records: for each translated locale, `locales/<locale>.reviewed.toml`
//! records, per message, a fingerprint of the source the translation was
//! reviewed against and that source text itself (so `check` can show what
//! changed): the source entry, plus any message or term it references that
//! the translation writes out instead of referencing ([`reviewed_text`]). One line per message, sorted by ID: small, reviewable and
//! diff-friendly. The fingerprint is taken over the entry re-serialised by
//! fluent-syntax, so reformatting a file or editing a comment does not make
//! anything stale. `talkdoc review` writes the record; `check`'s freshness
//! reads it.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

use crate::catalog::{Entry, LocaleCatalog};
use crate::codes::Code;
use crate::diag::display_path;
use crate::diag::{Diagnostic, Error, Result, SourceFile};
use crate::project::Project;

/// One recorded review.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct Review {
    pub hash: String,
    pub source: String,
}

/// The review file of one locale.
pub(crate) struct Reviews {
    pub path: PathBuf,
    pub file: Option<SourceFile>,
    pub entries: BTreeMap<String, (Review, std::ops::Range<usize>)>,
}

/// What a translation is reviewed against: its source entry and, when the
/// translation writes out a message or term the source only references
/// (an alias `{ outline-key-granularity }` translated in full, a term
/// spelled out), that entry too, and what it references in turn unless
/// the translation references it itself. A change to any of them changes
/// what the translation must say; a referenced entry the translation also
/// references has a translation (and a review) of its own.
pub(crate) fn reviewed_text(source: &LocaleCatalog, src: &Entry, tr: &Entry) -> String {
    let canonical = crate::check::coverage::canonical_value;
    let mut text = canonical(&src.canonical).to_string();
    let own: HashSet<&str> = tr.references.iter().map(|r| r.target.as_str()).collect();
    let key = src.key();
    let mut absorbed: BTreeMap<&str, &str> = BTreeMap::new();
    let mut todo = vec![src];
    while let Some(entry) = todo.pop() {
        // A reference only used to choose a variant prints nothing.
        for r in entry.references.iter().filter(|r| !r.in_selector) {
            let target = r.target.as_str();
            if own.contains(target) || target == key || absorbed.contains_key(target) {
                continue;
            }
            if let Some(e) = source.entries.get(target) {
                absorbed.insert(target, canonical(&e.canonical));
                todo.push(e);
            }
        }
    }
    for (target, value) in absorbed {
        text.push('\n');
        text.push_str(target);
        text.push_str(" = ");
        text.push_str(value);
    }
    text
}

/// The fingerprint of what a translation is reviewed against
/// ([`reviewed_text`]). For an entry that writes out nothing the source
/// references it is the fingerprint of the source entry alone, as before
/// references were followed, so existing records stay current.
pub(crate) fn fingerprint(source: &LocaleCatalog, src: &Entry, tr: &Entry) -> String {
    hash_of(&reviewed_text(source, src, tr))
}

fn hash_of(text: &str) -> String {
    format!("{:016x}", crate::hash::fnv1a(text.as_bytes()))
}

fn review_of(source: &LocaleCatalog, src: &Entry, tr: &Entry) -> Review {
    let source = reviewed_text(source, src, tr);
    Review {
        hash: hash_of(&source),
        source,
    }
}

/// `locales/<locale>.reviewed.toml` (in coverage mode, beside the locale
/// folder).
pub(crate) fn reviews_path(project: &Project, locale: &str) -> PathBuf {
    project.record_path(locale)
}

/// Reads a locale's review file; a missing file is an empty record.
pub(crate) fn load(project: &Project, locale: &str) -> Result<Reviews> {
    let path = reviews_path(project, locale);
    let shown = display_path(&project.root, &path);
    if std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
        return Ok(Reviews {
            path,
            file: None,
            entries: BTreeMap::new(),
        });
    }
    let text = crate::input::read_text_capped(
        &path,
        &shown,
        crate::input::MAX_RECORD_BYTES,
        Code::E0601,
        "read the review record",
    )?
    .map_err(|_| {
        Error::new(
            Diagnostic::error(Code::E0602, "invalid review record: not valid UTF-8")
                .at(crate::diag::Location::file(shown.clone()))
                .help("this file is written by `talkdoc review`; restore it from version control or run `talkdoc review --all`"),
        )
    })?;
    let file = SourceFile::new(shown, text);
    let parsed: BTreeMap<Spanned<String>, Review> = toml::from_str(&file.text).map_err(|e| {
        Error::new(
            Diagnostic::error(Code::E0602, format!("invalid review record: {}", e.message().trim_end()))
                .at(file.at(e.span().unwrap_or(0..0)))
                .help("this file is written by `talkdoc review`; restore it from version control or run `talkdoc review --all`"),
        )
    })?;
    let entries = parsed
        .into_iter()
        .map(|(k, v)| (k.get_ref().clone(), (v, k.span())))
        .collect();
    Ok(Reviews {
        path,
        file: Some(file),
        entries,
    })
}

/// Serialises reviews: a header and one sorted line per message.
fn render(locale: &str, source_locale: &str, reviews: &BTreeMap<String, Review>) -> String {
    let mut out = format!(
        "# For each `{locale}` message, the `{source_locale}` source it was last reviewed against.\n\
         # Written by `talkdoc review`; commit it together with the translation.\n"
    );
    for (id, r) in reviews {
        let key = if !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            id.clone()
        } else {
            one_line_string(id)
        };
        out.push_str(&format!(
            "{key} = {{ hash = {}, source = {} }}\n",
            one_line_string(&r.hash),
            one_line_string(&r.source)
        ));
    }
    out
}

/// A TOML string on one line. The `toml` crate writes a string holding a
/// line break as a `"""` multi-line string, which would break "one line per
/// message"; such strings are written as escaped basic strings instead.
fn one_line_string(s: &str) -> String {
    let repr = toml::Value::String(s.to_string()).to_string();
    if repr.contains(['\n', '\r']) {
        basic_string(s)
    } else {
        repr
    }
}

/// A TOML basic string with every line break and control character escaped.
fn basic_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(crate) fn translated_pairs<'a>(
    source: &'a LocaleCatalog,
    cat: &'a LocaleCatalog,
) -> impl Iterator<Item = (&'a String, &'a Entry, &'a Entry)> {
    source
        .entries
        .iter()
        .filter_map(|(k, src)| cat.entries.get(k).map(|tr| (k, src, tr)))
}

/// What `talkdoc review` did for one message.
pub(crate) struct Marked {
    pub locale: String,
    pub id: String,
    pub was: &'static str,
}

/// Records the current source of `ids` (or of every translated message with
/// `all`) as reviewed for `locales`. Returns what changed.
pub(crate) fn mark_reviewed(
    project: &Project,
    locales: &[String],
    ids: &[String],
    all: bool,
) -> Result<Vec<Marked>> {
    project.ensure_parsed()?;
    let source_locale = project.content.source_locale();
    let source = project.catalog.locale(source_locale).ok_or_else(|| {
        Error::new(Diagnostic::error(
            Code::E0301,
            format!("source locale `{source_locale}` not loaded"),
        ))
    })?;
    let mut marked = Vec::new();
    let mut writes = Vec::new();
    for locale in locales {
        if locale == source_locale {
            return Err(Error::new(
                Diagnostic::error(
                    Code::E0603,
                    format!("`{locale}` is the source locale; only translations are reviewed"),
                )
                .help("pass --locale with a translated locale, or omit it for all"),
            ));
        }
        let cat = project.catalog.locale(locale).ok_or_else(|| {
            Error::new(
                Diagnostic::error(Code::E0301, format!("unknown locale `{locale}`")).help(format!(
                    "choose from: {}",
                    project.content.locales().join(", ")
                )),
            )
        })?;
        let existing = match load(project, locale) {
            Ok(r) => r,
            // `--all` rewrites the whole record, so a broken one is replaced:
            // that is what the E0602 help tells the user to do.
            Err(_) if all => Reviews {
                path: reviews_path(project, locale),
                file: None,
                entries: BTreeMap::new(),
            },
            Err(e) => return Err(e),
        };
        let mut next: BTreeMap<String, Review> = existing
            .entries
            .iter()
            .map(|(k, (r, _))| (k.clone(), r.clone()))
            .collect();
        if all {
            next.clear();
            for (key, src, tr) in translated_pairs(source, cat) {
                let r = review_of(source, src, tr);
                let was = match existing.entries.get(key) {
                    None => "unreviewed",
                    Some((old, _)) if old.hash != r.hash => "stale",
                    Some(_) => "",
                };
                if !was.is_empty() {
                    marked.push(Marked {
                        locale: locale.clone(),
                        id: key.clone(),
                        was,
                    });
                }
                next.insert(key.clone(), r);
            }
        } else {
            for id in ids {
                let (Some(src), Some(tr)) = (source.entries.get(id), cat.entries.get(id)) else {
                    return Err(Error::new(
                        Diagnostic::error(
                            Code::E0604,
                            format!(
                                "`{id}` is not a message in both `{source_locale}` and `{locale}`"
                            ),
                        )
                        .id(id.clone())
                        .help("translate the message first; IDs of terms start with `-`"),
                    ));
                };
                let r = review_of(source, src, tr);
                let was = match existing.entries.get(id) {
                    None => "unreviewed",
                    Some((old, _)) if old.hash != r.hash => "stale",
                    Some(_) => "already current",
                };
                marked.push(Marked {
                    locale: locale.clone(),
                    id: id.clone(),
                    was,
                });
                next.insert(id.clone(), r);
            }
        }
        writes.push((existing.path, render(locale, source_locale, &next)));
    }
    for (path, text) in writes {
        crate::output::write_atomic(&path, text.as_bytes())?;
    }
    Ok(marked)
}
