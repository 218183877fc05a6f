//! The message catalog: every `.ftl` file of every locale, parsed, indexed
//! by message ID and ready to format.
//!
//! fluent-rs is lenient by design: a syntax error turns the entry into
//! "Junk" and parsing goes on, so text can vanish without a word. talkdoc
//! treats every parser error as a diagnostic with file:line:column, and keeps
//! its own index of entries (where each is, which variables and references it
//! uses) because the Fluent AST has no spans.

pub(crate) mod discover;
pub(crate) mod filters;
mod index;
pub(crate) mod safety;

use crate::codes::Code;
use crate::input::Boundary;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource};
use unic_langid::LanguageIdentifier;

use crate::diag::{Diagnostic, Error, Location, Result, SourceFile};

pub use index::{Entry, EntryKind, Reference, Size};

/// All locales of a project.
pub struct Catalog {
    /// One catalog per locale, in the order the project lists them.
    pub locales: Vec<LocaleCatalog>,
}

impl Catalog {
    /// The catalog of `locale`, if the project has it.
    pub fn locale(&self, locale: &str) -> Option<&LocaleCatalog> {
        self.locales.iter().find(|l| l.locale == locale)
    }
}

/// The messages of one locale.
pub struct LocaleCatalog {
    /// The locale tag as written (the folder name).
    pub locale: String,
    /// The parsed tag, for fluent-bundle's plural rules.
    pub langid: LanguageIdentifier,
    /// The locale folder, as shown to the user.
    pub dir: PathBuf,
    /// Every folder the locale was read from, as shown to the user.
    pub roots: Vec<Root>,
    /// Every `.ftl` file read, with its text: diagnostics point into them.
    pub files: Vec<SourceFile>,
    /// The path of each of `files` relative to its root, prefixed with the
    /// root's label, with `/` separators: `browser/newtab.ftl`.
    pub rel_paths: Vec<String>,
    /// The roots (indexes into `roots`) each of `files` was read from.
    pub file_roots: Vec<Vec<usize>>,
    /// Whether files were found and left out as another project's
    /// (`[[excludes]]`): an empty locale is then not "without messages".
    pub excluded_any: bool,
    /// Messages by ID and terms by `-ID`, first definition wins.
    pub entries: BTreeMap<String, Entry>,
    /// In coverage mode, definitions of an ID already in `entries` that sit
    /// in another file (not duplicates there: files load separately).
    pub later: Vec<Entry>,
    /// Upper bound of the formatted length of every value (`id`, `-id`)
    /// and attribute (`id.attr`): bytes of text, and how many variables
    /// the expansion can print (each bounded when formatting).
    bounds: std::collections::HashMap<String, (u64, u64)>,
    /// The longest string literal in the locale: what a term argument can add.
    longest_literal: u64,
    bundle: FluentBundle<FluentResource>,
}

/// Largest formatted message, in bytes. A message longer than this is
/// certainly a mistake (a pasted file, a runaway expansion); typesetting it
/// would take thousands of pages.
pub const MAX_MESSAGE_BYTES: u64 = 1 << 20;

/// Deepest chain of references followed when bounding an expansion;
/// fluent-bundle gives up after 100 placeables anyway.
const MAX_REFERENCE_DEPTH: usize = 100;

/// Resolves the [`Size`] expressions of every entry into byte bounds, each
/// entry once (memoised), so the cost is linear in the size of the files.
/// Cycles count as empty (they are reported as errors elsewhere), chains
/// deeper than fluent-bundle follows as unbounded.
fn expansion_bounds(
    entries: &BTreeMap<String, Entry>,
) -> std::collections::HashMap<String, (u64, u64)> {
    type Bound = (u64, u64);
    fn add(a: Bound, b: Bound) -> Bound {
        (a.0.saturating_add(b.0), a.1.saturating_add(b.1))
    }
    struct Eval<'a> {
        exprs: std::collections::HashMap<String, &'a Size>,
        done: std::collections::HashMap<String, Bound>,
        active: std::collections::HashSet<String>,
    }
    impl Eval<'_> {
        fn key(&mut self, key: &str, depth: usize) -> Bound {
            if let Some(&b) = self.done.get(key) {
                return b;
            }
            if depth > MAX_REFERENCE_DEPTH {
                return (u64::MAX, 0);
            }
            let Some(expr) = self.exprs.get(key).copied() else {
                return (0, 0); // unknown: an error when formatted
            };
            if !self.active.insert(key.to_string()) {
                return (0, 0); // a cycle: an error when formatted
            }
            let b = self.size(expr, depth);
            self.active.remove(key);
            self.done.insert(key.to_string(), b);
            b
        }
        fn size(&mut self, s: &Size, depth: usize) -> Bound {
            match s {
                Size::Lit(n) => (*n, 0),
                Size::Var => (0, 1),
                Size::Ref(k) => self.key(k, depth + 1),
                Size::Sum(v) => v
                    .iter()
                    .fold((0, 0), |acc, s| add(acc, self.size(s, depth))),
                // Componentwise maximum: still an upper bound.
                Size::Max(v) => v.iter().fold((0, 0), |acc, s| {
                    let b = self.size(s, depth);
                    (acc.0.max(b.0), acc.1.max(b.1))
                }),
            }
        }
    }
    let mut exprs = std::collections::HashMap::new();
    for (key, entry) in entries {
        for (attr, size) in &entry.sizes {
            let k = match attr {
                None => key.clone(),
                Some(a) => format!("{key}.{a}"),
            };
            exprs.insert(k, size);
        }
    }
    let keys: Vec<String> = exprs.keys().cloned().collect();
    let mut eval = Eval {
        exprs,
        done: std::collections::HashMap::new(),
        active: std::collections::HashSet::new(),
    };
    for k in &keys {
        eval.key(k, 0);
    }
    eval.done
}

/// Why a message could not be formatted.
#[derive(Debug)]
pub enum FormatError {
    /// No such message in this locale.
    Missing,
    /// The message exists but has no value (only attributes).
    NoValue,
    /// Resolving the pattern failed (unknown reference, cycle, runaway expansion).
    Resolve(Vec<String>),
    /// The message could expand to more than [`MAX_MESSAGE_BYTES`]: it was
    /// not formatted. Holds the bound.
    TooLarge(u64),
}

/// A folder of `.ftl` files that belongs to one locale. A locale usually
/// has one (`locales/ja/`); an `l10n.toml` can map several
/// (`ja/browser/`, `ja/toolkit/`), each named by its `label`.
#[derive(Debug, Clone)]
pub struct Root {
    /// Prefix of the relative paths of the files found here (`""`, or
    /// `browser/`): files correspond across locales by label + path.
    pub label: String,
    /// The folder searched for this locale's files.
    pub dir: PathBuf,
    /// Patterns of paths (label included, as in `rel_paths`) whose files
    /// are not this locale's here (an `l10n.toml`'s `[[excludes]]` gives
    /// them to another project).
    pub skip: Vec<regex_lite::Regex>,
    /// For a folder of the source: the locales its files are asked of
    /// (an `l10n.toml` entry's `locales`); `None`: every locale.
    pub locales: Option<Vec<String>>,
    /// The one file of `dir` this root stands for (an `l10n.toml` entry
    /// naming a single file); `None`: every `.ftl` file under `dir`.
    pub only: Option<String>,
}

/// How a locale is read.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LoadOptions {
    /// Coverage mode (a Fluent project without `content/`): the same ID in
    /// two files is allowed (an application loads files separately), an
    /// unusual locale tag is accepted, and messages say nothing about
    /// `content/project.toml`.
    pub coverage: bool,
}

/// Deepest subfolder read inside a locale folder.
const MAX_FOLDER_DEPTH: usize = 16;

/// Every `.ftl` file under `dir`, recursively (not through symbolic links
/// to folders, not into hidden folders), with its path relative to `dir`
/// using `/` and whether it is a symbolic link (to be checked against the
/// project's [`Boundary`]). Sorted by relative path.
fn ftl_files(dir: &Path) -> std::io::Result<Vec<(PathBuf, String, bool)>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new(), 0usize)];
    let mut first = true;
    while let Some((folder, rel, depth)) = stack.pop() {
        let read = match std::fs::read_dir(&folder) {
            Ok(r) => r,
            Err(e) if first => return Err(e),
            Err(_) => continue,
        };
        first = false;
        for e in read.flatten() {
            let path = e.path();
            let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_string)
            else {
                continue;
            };
            let file_type = e.file_type();
            let is_dir = file_type.as_ref().is_ok_and(|t| t.is_dir());
            let is_link = file_type.as_ref().is_ok_and(|t| t.is_symlink());
            if is_dir {
                if depth < MAX_FOLDER_DEPTH && !name.starts_with('.') {
                    stack.push((path, format!("{rel}{name}/"), depth + 1));
                }
            } else if path.extension().is_some_and(|x| x == "ftl") && !path.is_dir() {
                // Anything named *.ftl that is not a folder is read (and a
                // FIFO or device refused there), never skipped silently.
                out.push((path, format!("{rel}{name}"), is_link));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// `dir/name` as [`ftl_files`] would list it, when it is there.
fn one_file(dir: &Path, name: &str) -> std::io::Result<Vec<(PathBuf, String, bool)>> {
    let path = dir.join(name);
    let meta = std::fs::symlink_metadata(&path)?;
    Ok(vec![(
        path,
        name.to_string(),
        meta.file_type().is_symlink(),
    )])
}

/// The language identifier of a locale tag. In coverage mode a tag
/// unic-langid refuses (Mozilla's `ja-JP-mac`) falls back to its language.
fn langid_of(locale: &str, opts: LoadOptions) -> Result<LanguageIdentifier> {
    locale
        .parse()
        .ok()
        .or_else(|| {
            opts.coverage
                .then(|| locale.split(['-', '_']).next()?.parse().ok())
                .flatten()
        })
        .ok_or_else(|| {
            let help = if opts.coverage {
                "name locale folders with BCP 47 tags such as `ja`, `en-US` or `pt-BR`"
            } else {
                "use a BCP 47 tag such as `ja`, `en` or `pt-BR` in content/project.toml"
            };
            Error::new(
                Diagnostic::error(
                    Code::E0002,
                    format!("`{locale}` is not a valid locale identifier"),
                )
                .help(help),
            )
        })
}

impl LocaleCatalog {
    /// Reads and parses `locales/<locale>/**/*.ftl` (sorted by relative path).
    ///
    /// Returns the catalog and the problems found in it (syntax errors,
    /// duplicate IDs). An `Err` means the folder itself could not be read.
    pub(crate) fn load(
        root: &Path,
        locales_dir: &Path,
        locale: &str,
        boundary: &Boundary,
    ) -> Result<(LocaleCatalog, Vec<Diagnostic>)> {
        let roots = [Root {
            label: String::new(),
            dir: locales_dir.join(locale),
            skip: Vec::new(),
            locales: None,
            only: None,
        }];
        Self::load_roots(root, locale, &roots, LoadOptions::default(), boundary)
    }

    /// Reads and parses every `.ftl` file under each of `roots`.
    pub(crate) fn load_roots(
        root: &Path,
        locale: &str,
        roots: &[Root],
        opts: LoadOptions,
        boundary: &Boundary,
    ) -> Result<(LocaleCatalog, Vec<Diagnostic>)> {
        let langid = langid_of(locale, opts)?;
        let first_dir = roots
            .first()
            .map_or_else(|| root.to_path_buf(), |r| r.dir.clone());
        let shown_dir = crate::diag::display_path(root, &first_dir);
        let mut paths: Vec<(PathBuf, String, bool, Vec<usize>)> = Vec::new();
        // (path, rel) → its place in `paths`.
        let mut seen: std::collections::HashMap<(PathBuf, String), usize> = Default::default();
        let mut skipped = false;
        for (root_index, r) in roots.iter().enumerate() {
            let shown = crate::diag::display_path(root, &r.dir);
            boundary.check(&r.dir, &shown, Code::E0003, "read the locale folder")?;
            // An entry naming one file reads that file, not its folder.
            let listed = match &r.only {
                Some(name) => one_file(&r.dir, name),
                None => ftl_files(&r.dir),
            };
            let found = match listed {
                // In coverage mode a locale folder not made yet (a team
                // that has not started on toolkit) is its files missing,
                // each reported as such, as compare-locales does.
                Err(e) if opts.coverage && e.kind() == std::io::ErrorKind::NotFound => {
                    Ok(Vec::new())
                }
                found => found,
            };
            let found = found.map_err(|e| {
                let mut err = Error::io(Code::E0003, "read the locale folder", &shown, &e);
                if e.kind() == std::io::ErrorKind::NotFound {
                    err.diagnostics[0].help = Some(if opts.coverage {
                        format!(
                            "create {} with the `{locale}` .ftl files, or point talkdoc at the right folder with --locales DIR",
                            shown.display()
                        )
                    } else {
                        format!(
                            "create {} with the locale's .ftl files, or remove `{locale}` from `locales` in content/project.toml",
                            shown.display()
                        )
                    }.into());
                }
                err
            })?;
            for (p, rel, link) in found {
                let rel = format!("{}{rel}", r.label);
                if r.skip.iter().any(|s| s.is_match(&rel)) {
                    skipped = true;
                    continue;
                }
                // A file two entries give the same path is read once, for
                // both entries' locales; under two paths it stands for two
                // files.
                match seen.entry((p.clone(), rel.clone())) {
                    std::collections::hash_map::Entry::Occupied(o) => {
                        paths[*o.get()].3.push(root_index);
                    }
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(paths.len());
                        paths.push((p, rel, link, vec![root_index]));
                    }
                }
            }
        }

        let mut problems = Vec::new();
        if paths.is_empty() && !skipped {
            let help = if opts.coverage {
                format!(
                    "add the `{locale}` .ftl files there, or point talkdoc at the right folder with --locales DIR"
                )
            } else {
                format!(
                    "add the `{locale}` messages as .ftl files there, or remove `{locale}` from `locales` in content/project.toml"
                )
            };
            problems.push(
                Diagnostic::error(
                    Code::E0106,
                    format!(
                        "locale `{locale}` has no messages: no .ftl files in {} or its subfolders",
                        shown_dir.display()
                    ),
                )
                .at(Location::file(shown_dir.clone()))
                .help(help),
            );
        }
        let mut files = Vec::new();
        let mut rel_paths = Vec::new();
        let mut file_roots = Vec::new();
        let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
        let mut later = Vec::new();
        let mut bundle = FluentBundle::new_concurrent(vec![langid.clone()]);
        bundle.set_use_isolating(false);

        for (path, rel, link, root_indexes) in paths {
            let shown = crate::diag::display_path(root, &path);
            if link {
                boundary.check(&path, &shown, Code::E0004, "read the Fluent file")?;
            }
            let bytes = crate::input::read_capped(
                &path,
                &shown,
                crate::input::MAX_FTL_BYTES,
                Code::E0004,
                "read the Fluent file",
            )?;
            let text = match decode(&shown, bytes) {
                Ok(text) => text,
                Err(d) => {
                    problems.push(d);
                    continue;
                }
            };
            let file = SourceFile::new(shown, text.as_str());
            problems.extend(safety::scan_for(&file, locale, opts.coverage));
            // Entries nested too deeply are blanked before parsing: nothing
            // (parser, resolver, our walkers) ever recurses into them.
            let (parsable, deep) = index::blank_too_deep(&text);
            for at in deep {
                problems.push(index::too_deep_error(&file, at));
            }
            let text = parsable.into_owned();
            let resource = match FluentResource::try_new(text) {
                Ok(r) => r,
                Err((r, errors)) => {
                    for e in errors {
                        problems.push(index::syntax_error(&file, &e));
                    }
                    r
                }
            };
            let file_index = files.len();
            let mut in_this_file: std::collections::HashMap<String, std::ops::Range<usize>> =
                std::collections::HashMap::new();
            for entry in index::index_resource(&resource, file_index) {
                let key = entry.key();
                // A talk project pools its files: an ID defined in two files
                // is a duplicate. In coverage mode each file is loaded on its
                // own, so only a duplicate within one file is.
                let first = if opts.coverage {
                    in_this_file.get(&key).map(|span| file.at(span.clone()))
                } else {
                    entries.get(&key).map(|first| {
                        files
                            .get(first.file)
                            .unwrap_or(&file)
                            .at(first.span.clone())
                    })
                };
                if let Some(first_loc) = first {
                    problems.push(
                        Diagnostic::error(
                            Code::E0105,
                            format!(
                                "`{key}` is defined twice; the first definition is at {first_loc}"
                            ),
                        )
                        .at(file.at(entry.span.clone()))
                        .id(key.clone())
                        .help("rename or remove one of the two definitions"),
                    );
                    continue;
                }
                in_this_file.insert(key.clone(), entry.span.clone());
                match entries.entry(key) {
                    std::collections::btree_map::Entry::Occupied(_) => later.push(entry),
                    std::collections::btree_map::Entry::Vacant(v) => {
                        v.insert(entry);
                    }
                }
            }
            // Duplicates were reported above; `add_resource` keeps the first
            // definition and skips later ones, which is what we report.
            // Coverage mode formats nothing: no bundle, no bounds.
            if !opts.coverage {
                let _ = bundle.add_resource(resource);
            }
            files.push(file);
            rel_paths.push(rel);
            file_roots.push(root_indexes);
        }
        let longest_literal = entries
            .values()
            .map(|e| e.longest_literal)
            .max()
            .unwrap_or(0);
        let bounds = if opts.coverage {
            std::collections::HashMap::new()
        } else {
            expansion_bounds(&entries)
        };
        Ok((
            LocaleCatalog {
                locale: locale.to_string(),
                langid,
                dir: shown_dir,
                roots: roots
                    .iter()
                    .map(|r| Root {
                        label: r.label.clone(),
                        dir: crate::diag::display_path(root, &r.dir),
                        skip: r.skip.clone(),
                        locales: r.locales.clone(),
                        only: r.only.clone(),
                    })
                    .collect(),
                files,
                rel_paths,
                file_roots,
                excluded_any: skipped,
                entries,
                later,
                bounds,
                longest_literal,
                bundle,
            },
            problems,
        ))
    }

    /// Every entry: the first definition of each ID, then the same IDs
    /// defined again in other files (coverage mode only).
    pub(crate) fn all_entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values().chain(&self.later)
    }

    /// Where a file of relative path `rel` (label included) is or would be,
    /// as shown to the user.
    pub(crate) fn path_for(&self, rel: &str) -> PathBuf {
        let root = self
            .roots
            .iter()
            .filter(|r| rel.starts_with(&r.label))
            .max_by_key(|r| r.label.len());
        match root {
            Some(r) => r.dir.join(&rel[r.label.len()..]),
            None => self.dir.join(rel),
        }
    }

    /// The entry for a message ID (or `-term`).
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.get(id)
    }

    /// Where an entry is defined.
    pub(crate) fn location(&self, entry: &Entry) -> Option<Location> {
        self.files.get(entry.file).map(|f| f.at(entry.span.clone()))
    }

    /// Where `text` (a link's address, say) is written in the source of
    /// message `id` (`id.attr` counts as `id`), or the message itself when
    /// it is not written out there.
    pub(crate) fn text_location(&self, id: &str, text: &str) -> Option<Location> {
        let entry = self.entry(id.split('.').next().unwrap_or(id))?;
        let file = self.files.get(entry.file)?;
        let from = entry.span.start;
        match file.text[from..].find(text) {
            Some(i) if !text.is_empty() => Some(file.at(from + i..from + i + text.len())),
            _ => self.location(entry),
        }
    }

    /// An upper bound of the formatted length of `id` (`id`, `id.attr`,
    /// `-term`) with `args`. Variables are bounded by the longest argument
    /// value plus the longest string literal in the locale (a term argument).
    pub(crate) fn expansion_bound(&self, id: &str, args: Option<&FluentArgs>) -> u64 {
        let Some(&(fixed, vars)) = self.bounds.get(id) else {
            return 0;
        };
        let var = args
            .map(|a| {
                a.iter()
                    .map(|(_, v)| match v {
                        fluent_bundle::FluentValue::String(s) => s.len() as u64,
                        _ => 64,
                    })
                    .max()
                    .unwrap_or(0)
            })
            .unwrap_or(0)
            .saturating_add(self.longest_literal);
        fixed.saturating_add(vars.saturating_mul(var))
    }

    /// Formats a message's value with `args`, without isolation marks.
    pub fn format(&self, id: &str, args: Option<&FluentArgs>) -> Result<String, FormatError> {
        let (message_id, attribute) = match id.split_once('.') {
            Some((m, a)) => (m, Some(a)),
            None => (id, None),
        };
        let message = self
            .bundle
            .get_message(message_id)
            .ok_or(FormatError::Missing)?;
        let pattern = match attribute {
            Some(a) => message
                .get_attribute(a)
                .map(|a| a.value())
                .ok_or(FormatError::Missing)?,
            None => message.value().ok_or(FormatError::NoValue)?,
        };
        // Refuse in time proportional to the input, before fluent-bundle
        // spends time and memory proportional to the expansion.
        let bound = self.expansion_bound(id, args);
        if bound > MAX_MESSAGE_BYTES {
            return Err(FormatError::TooLarge(bound));
        }
        let mut errors: Vec<FluentError> = Vec::new();
        let value = self.bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            return Err(FormatError::Resolve(
                errors.iter().map(describe_fluent_error).collect(),
            ));
        }
        // Isolation is off, so fluent-bundle adds no FSI/PDI marks; any in
        // the text were written by the author and are reported (E0109), never
        // silently removed.
        Ok(value.into_owned())
    }
}

/// Decodes a `.ftl` file: UTF-8 only, a leading BOM is dropped.
fn decode(shown: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let (line, column) = crate::diag::line_col(prefix, prefix.len());
            Err(Diagnostic::error(
                Code::E0102,
                format!(
                    "not valid UTF-8 (byte 0x{:02X} at offset {valid})",
                    bytes[valid]
                ),
            )
            .at(Location {
                path: shown.to_path_buf(),
                line,
                column,
                source: None,
            })
            .help("save the file as UTF-8; Fluent files must be UTF-8"))
        }
    }
}

fn describe_fluent_error(e: &FluentError) -> String {
    use fluent_bundle::resolver::ResolverError;
    use fluent_bundle::resolver::errors::ReferenceKind;
    match e {
        FluentError::ResolverError(ResolverError::Reference(kind)) => match kind {
            ReferenceKind::Message {
                id,
                attribute: None,
            } => format!("unknown message `{id}`"),
            ReferenceKind::Message {
                id,
                attribute: Some(a),
            } => format!("unknown attribute `{id}.{a}`"),
            ReferenceKind::Term {
                id,
                attribute: None,
            } => format!("unknown term `-{id}`"),
            ReferenceKind::Term {
                id,
                attribute: Some(a),
            } => format!("unknown attribute `-{id}.{a}`"),
            ReferenceKind::Variable { id } => format!("unknown variable `${id}`"),
            ReferenceKind::Function { id } => format!("unknown function `{id}()`"),
        },
        FluentError::ResolverError(ResolverError::Cyclic) => "cyclic reference".to_string(),
        FluentError::ResolverError(ResolverError::TooManyPlaceables) => {
            "the message expands to too many placeables (more than 100)".to_string()
        }
        other => other.to_string(),
    }
}

/// Loads every locale named in the project, collecting problems.
pub(crate) fn load_all(
    root: &Path,
    locales_dir: &Path,
    locales: &[String],
    boundary: &Boundary,
) -> Result<(Catalog, Vec<Diagnostic>)> {
    load_each(locales, &|locale| {
        LocaleCatalog::load(root, locales_dir, locale, boundary)
    })
}

/// Loads the locales of a coverage-mode project: each a tag and its
/// folders, the source first.
pub(crate) fn load_layout(
    root: &Path,
    locales: &[(String, Vec<Root>)],
    opts: LoadOptions,
    boundary: &Boundary,
) -> Result<(Catalog, Vec<Diagnostic>)> {
    load_each(locales, &|(locale, roots)| {
        LocaleCatalog::load_roots(root, locale, roots, opts, boundary)
    })
}

/// One locale's catalog and the problems found loading it.
type Loaded = Result<(LocaleCatalog, Vec<Diagnostic>)>;

/// `load` for each of `items`, side by side ([`crate::threads::map`]):
/// locales are independent, and loading them one after another kept the
/// other cores of a build or check of several locales idle for its first
/// millisecond. The result is the one a load in order gives: the first
/// locale's error, if any, else every catalog in order with their problems.
fn load_each<T: Sync>(
    items: &[T],
    load: &(dyn Fn(&T) -> Loaded + Sync),
) -> Result<(Catalog, Vec<Diagnostic>)> {
    let mut all = Vec::new();
    let mut problems = Vec::new();
    for loaded in crate::threads::map(items, load) {
        let (catalog, p) = loaded?;
        all.push(catalog);
        problems.extend(p);
    }
    Ok((Catalog { locales: all }, problems))
}

#[cfg(test)]
mod load_tests {
    use super::*;
    use crate::diag::{Diagnostic, Error};

    /// Loaded side by side, the locales give the error a load in order
    /// gives: the first failing locale's, whichever thread fails first.
    #[test]
    fn the_first_locales_error_wins_however_the_threads_run() {
        let items: Vec<usize> = (0..6).collect();
        for _ in 0..50 {
            let result = load_each(&items, &|&i| {
                // Later locales fail sooner.
                std::thread::sleep(std::time::Duration::from_micros(60 * (6 - i as u64)));
                Err(Error::new(Diagnostic::error(
                    Code::E0003,
                    format!("locale {i}"),
                )))
            });
            let Err(e) = result else {
                panic!("no error");
            };
            assert_eq!(e.diagnostics[0].message, "locale 0");
        }
    }
}
