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

/// How much of the entries a translation writes out the record shows
/// (the fingerprint covers all of them): enough to see what changed.
const SHOWN: usize = 2048;

/// Fingerprints of what translations are reviewed against: the source
/// entry and, when the translation writes out a message or term the source
/// only references (an alias `{ outline-key-granularity }` translated in
/// full, a term spelled out), that entry's deep fingerprint: its text and,
/// in turn, those of the entries it prints. A change to any of them changes
/// what the translation must say. A referenced entry the translation also
/// prints by reference has a translation (and a review) of its own.
///
/// Deep fingerprints are kept per entry, so a check costs time linear in
/// the catalog, however long the chains of references (each message of a
/// chain 8,000 long would otherwise copy out the rest of the chain).
pub(crate) struct Fingerprints<'a> {
    source: &'a LocaleCatalog,
    /// Deep fingerprints of every source entry, filled all at once in key
    /// order on first use (so a cycle, which `check` reports as C007, gets
    /// the same values whatever is asked first).
    deep: std::cell::RefCell<std::collections::HashMap<&'a str, u64>>,
    /// Fingerprints of single entries' text.
    shallow: std::cell::RefCell<std::collections::HashMap<&'a str, u64>>,
}

/// Entries a translation's fingerprint lists one by one (real ones write
/// out one to three); past this many it
/// takes the deep fingerprints of what it writes out instead (which also
/// cover entries it references itself further down: a change there then
/// makes it stale too, the safe side).
const CLOSURE: usize = 64;

/// The value part of an entry's canonical text.
fn canonical(e: &Entry) -> &str {
    crate::check::coverage::canonical_value(&e.canonical)
}

/// The entries `e` prints by reference (not those only used to choose a
/// variant), sorted, once each.
fn printed(e: &Entry) -> Vec<&str> {
    let mut keys: Vec<&str> = e
        .references
        .iter()
        .filter(|r| !r.in_selector)
        .map(|r| r.target.as_str())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

impl<'a> Fingerprints<'a> {
    pub(crate) fn new(source: &'a LocaleCatalog) -> Fingerprints<'a> {
        Fingerprints {
            source,
            deep: Default::default(),
            shallow: Default::default(),
        }
    }

    /// The entries the source of `src` prints that the translation `tr`
    /// writes out instead of referencing.
    fn absorbed(&self, src: &'a Entry, tr: &Entry) -> Vec<&'a str> {
        let own: HashSet<&str> = printed(tr).into_iter().collect();
        let key = src.key();
        printed(src)
            .into_iter()
            .filter(|k| *k != key && !own.contains(k) && self.source.entries.contains_key(*k))
            .collect()
    }

    /// The deep fingerprint of the source entry `key`, computed without
    /// recursion (chains may be thousands long); an entry met again on its
    /// own path (a cycle, which `check` reports as C007) counts its name.
    fn deep(&self, key: &str) -> u64 {
        let mut memo = self.deep.borrow_mut();
        if memo.is_empty() {
            for k in self.source.entries.keys() {
                self.fill(&mut memo, k);
            }
        }
        memo.get(key).copied().unwrap_or(0)
    }

    /// Computes the deep fingerprint of `key` and of what it prints.
    fn fill(&self, memo: &mut std::collections::HashMap<&'a str, u64>, key: &'a str) {
        let mut on_path = HashSet::new();
        let mut stack = vec![(key, false)];
        while let Some((k, expanded)) = stack.pop() {
            if memo.contains_key(k) {
                continue;
            }
            let Some((k, e)) = self.source.entries.get_key_value(k) else {
                continue;
            };
            let refs = printed(e);
            if !expanded {
                on_path.insert(k.as_str());
                stack.push((k.as_str(), true));
                for r in refs {
                    if !memo.contains_key(r)
                        && !on_path.contains(r)
                        && let Some((r, _)) = self.source.entries.get_key_value(r)
                    {
                        stack.push((r.as_str(), false));
                    }
                }
                continue;
            }
            on_path.remove(k.as_str());
            let mut text = canonical(e).to_string();
            for r in refs {
                let h = memo
                    .get(r)
                    .copied()
                    .unwrap_or_else(|| crate::hash::fnv1a(r.as_bytes()));
                text.push_str(&format!("\n{r} {h:016x}"));
            }
            memo.insert(k.as_str(), crate::hash::fnv1a(text.as_bytes()));
        }
    }

    fn shallow(&self, key: &'a str, e: &Entry) -> u64 {
        *self
            .shallow
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| crate::hash::fnv1a(canonical(e).as_bytes()))
    }

    /// The entries the translation writes out, down every reference it
    /// does not make itself: `None` past [`CLOSURE`].
    fn closure(&self, src: &'a Entry, tr: &Entry) -> Option<BTreeMap<&'a str, &'a Entry>> {
        let own: HashSet<&str> = printed(tr).into_iter().collect();
        let key = src.key();
        let mut seen = BTreeMap::new();
        let mut todo = self.absorbed(src, tr);
        while let Some(k) = todo.pop() {
            let Some((k, e)) = self.source.entries.get_key_value(k) else {
                continue;
            };
            if seen.insert(k.as_str(), e).is_some() {
                continue;
            }
            // (An entry with more references than that ends it at once,
            // before they are even sorted.)
            if seen.len() > CLOSURE || e.references.len() > CLOSURE {
                return None;
            }
            todo.extend(
                printed(e)
                    .into_iter()
                    .filter(|r| *r != key && !own.contains(r) && !seen.contains_key(r)),
            );
        }
        Some(seen)
    }

    /// The fingerprint a review of `tr` against `src` records. For an
    /// entry that writes out nothing the source references it is the
    /// fingerprint of the source entry's text alone, as before references
    /// were followed, so existing records stay current.
    pub(crate) fn fingerprint(&self, src: &'a Entry, tr: &Entry) -> String {
        let mut text = canonical(src).to_string();
        match self.closure(src, tr) {
            // Each entry written out, by its own text (for an entry that
            // references nothing this is its deep fingerprint too).
            Some(entries) => {
                for (key, e) in entries {
                    text.push_str(&format!("\n{key} {:016x}", self.shallow(key, e)));
                }
            }
            None => {
                for key in self.absorbed(src, tr) {
                    text.push_str(&format!("\n{key} {:016x}", self.deep(key)));
                }
            }
        }
        hash_of(&text)
    }

    /// What the record shows: the source entry's text, then `id = text` of
    /// each entry the translation writes out (the first [`SHOWN`] bytes of
    /// those).
    pub(crate) fn reviewed_text(&self, src: &'a Entry, tr: &Entry) -> String {
        let mut text = canonical(src).to_string();
        let start = text.len();
        for key in self.absorbed(src, tr) {
            if let Some(e) = self.source.entries.get(key) {
                text.push_str(&format!("\n{key} = {}", canonical(e)));
            }
            if text.len() - start > SHOWN {
                let mut end = start + SHOWN;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.truncate(end);
                text.push('…');
                break;
            }
        }
        text
    }

    fn review(&self, src: &'a Entry, tr: &Entry) -> Review {
        Review {
            hash: self.fingerprint(src, tr),
            source: self.reviewed_text(src, tr),
        }
    }
}

fn hash_of(text: &str) -> String {
    format!("{:016x}", crate::hash::fnv1a(text.as_bytes()))
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
    project
        .boundary
        .check(&path, &shown, Code::E0601, "read the review record")?;
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
    project.ensure_parsed_for(Some(locales))?;
    let source_locale = project.content.source_locale();
    let source = project.catalog.locale(source_locale).ok_or_else(|| {
        Error::new(Diagnostic::error(
            Code::E0301,
            format!("source locale `{source_locale}` not loaded"),
        ))
    })?;
    let prints = Fingerprints::new(source);
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
                let r = prints.review(src, tr);
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
                let r = prints.review(src, tr);
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
