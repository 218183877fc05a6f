//! Finding the locales of a Fluent project that is not a talk: an app with
//! `locales/en-US/*.ftl` and `locales/ja/*.ftl`, or Mozilla's layout
//! described by an `l10n.toml`.
//!
//! In order: the folder given with `--locales DIR`; an `l10n.toml` in the
//! project folder; the first of `locales/`, `l10n/`, `i18n/` (and the same
//! under `public/`, `static/`, `assets/`, `resources/`, `src/`) holding
//! locale folders with `.ftl` files; locale folders in the project folder
//! itself (`en-US/`, `ja/`). A locale folder is one named by a BCP 47 tag
//! (`ja`, `en-US`, `pt-BR`, `zh-Hant`, `sr-Latn-RS`) with at least one `.ftl`
//! file in it or below it.

use crate::codes::Code;
use std::path::{Path, PathBuf};

use super::Root;
use crate::diag::{Diagnostic, Error, Location, Result};

/// What the user asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `--locales DIR`: the folder holding one folder per locale.
    pub locales_dir: Option<PathBuf>,
    /// `--source-locale TAG`.
    pub source_locale: Option<String>,
}

/// One locale of a coverage-mode project.
#[derive(Debug, Clone)]
pub(crate) struct Locale {
    pub tag: String,
    pub roots: Vec<Root>,
    /// Where `talkdoc review` keeps its record for this locale: beside the
    /// locale folder, `locales/ja.reviewed.toml`.
    pub record: PathBuf,
}

/// The locales found, the source first among them.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub source: Locale,
    pub targets: Vec<Locale>,
    /// How they were found, for the report: "locales/", "l10n.toml".
    pub found_in: String,
    /// The `[[filters]]` of an `l10n.toml`: missing translations it accepts.
    pub filters: super::filters::Filters,
}

/// Folders searched for locale folders, in order, relative to the project.
const CONVENTIONS: &[&str] = &[
    "locales",
    "l10n",
    "i18n",
    "public/locales",
    "static/locales",
    "assets/locales",
    "resources/locales",
    "src/locales",
];

/// Folder names that look like language subtags but are code folders.
const NOT_LOCALES: &[&str] = &[
    "src", "lib", "bin", "app", "web", "api", "out", "dev", "ui", "js", "css", "img", "tmp", "etc",
    "var", "usr", "www", "cmd", "pkg", "doc", "fuzz", "build", "dist", "target",
];

/// Deepest folder searched for a `.ftl` file when deciding whether a folder
/// is a locale folder.
const MAX_SEARCH_DEPTH: usize = 8;

/// Whether `name` is a locale tag: a language subtag of 2 or 3 letters,
/// then subtags of 1 to 8 letters or digits, separated by `-` or `_`.
pub(crate) fn is_locale_tag(name: &str) -> bool {
    let mut parts = name.split(['-', '_']);
    let Some(lang) = parts.next() else {
        return false;
    };
    (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_alphabetic())
        && name.len() <= 35
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether `dir` holds a `.ftl` file, at most [`MAX_SEARCH_DEPTH`] folders down.
fn has_ftl(dir: &Path, depth: usize) -> bool {
    count_ftl(dir, depth, 1) > 0
}

/// The `.ftl` files in `dir` and its folders, at most [`MAX_SEARCH_DEPTH`]
/// folders down (hidden folders left out), counted up to `cap`: a folder's
/// own files first, so a cap of 1 stops at the first level holding one.
fn count_ftl(dir: &Path, depth: usize, cap: usize) -> usize {
    let Ok(read) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    let mut subdirs = Vec::new();
    for e in read.flatten() {
        let path = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            if depth < MAX_SEARCH_DEPTH
                && !path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
            {
                subdirs.push(path);
            }
        } else if path.extension().is_some_and(|x| x == "ftl") {
            n += 1;
            if n >= cap {
                return n;
            }
        }
    }
    for d in subdirs {
        n += count_ftl(&d, depth + 1, cap - n);
        if n >= cap {
            break;
        }
    }
    n
}

/// The locale folders directly in `base` (tags, sorted).
pub(crate) fn locale_folders(base: &Path, at_project_root: bool) -> Vec<String> {
    let Ok(read) = std::fs::read_dir(base) else {
        return Vec::new();
    };
    let mut tags: Vec<String> = read
        .flatten()
        // A locale folder may be a link (a monorepo's shared folder): it
        // is found, and then held to the project like any other.
        .filter(|e| {
            e.file_type()
                .is_ok_and(|t| t.is_dir() || (t.is_symlink() && e.path().is_dir()))
        })
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| is_locale_tag(n))
        .filter(|n| !(at_project_root && NOT_LOCALES.contains(&n.as_str())))
        .filter(|n| has_ftl(&base.join(n), 0))
        .collect();
    // A locale whose files are all gone (git keeps no empty folder) is
    // still known by its review record beside the others: it is checked,
    // and found to have no messages, instead of dropping out of the check.
    if !tags.is_empty()
        && let Ok(read) = std::fs::read_dir(base)
    {
        for e in read.flatten() {
            let name = e.file_name();
            let Some(tag) = name.to_str().and_then(|n| n.strip_suffix(".reviewed.toml")) else {
                continue;
            };
            if is_locale_tag(tag)
                && !(at_project_root && NOT_LOCALES.contains(&tag))
                && !tags.iter().any(|t| t == tag)
            {
                tags.push(tag.to_string());
            }
        }
    }
    tags.sort();
    tags
}

/// The source among `tags` in `base`: the one asked for, else `en-US`,
/// else `en`; when both of those are there, the one with more `.ftl`
/// files (a few files left in `en-US/` beside the real `en/` source, or
/// the other way round, are not the source), and a note saying so.
fn pick_source(
    tags: &[String],
    asked: Option<&str>,
    base: &Path,
    shown_base: &Path,
    notes: &mut Vec<String>,
) -> Result<String> {
    let found = tags.join(", ");
    if let Some(tag) = asked {
        if tags.iter().any(|t| t == tag) {
            return Ok(tag.to_string());
        }
        return Err(Error::new(
            Diagnostic::error(
                Code::E0010,
                format!(
                    "the source locale `{tag}` has no folder of .ftl files in {} (found: {found})",
                    shown_base.display()
                ),
            )
            .at(Location::file(shown_base))
            .help("pass --source-locale with one of the locales found, or --locales DIR with the folder holding the source"),
        ));
    }
    let has = |t: &str| tags.iter().any(|x| x == t);
    if has("en-US") && has("en") {
        const CAP: usize = 100_000;
        let (us, en) = (
            count_ftl(&base.join("en-US"), 0, CAP),
            count_ftl(&base.join("en"), 0, CAP),
        );
        let (chosen, other, n, m) = if en > us {
            ("en", "en-US", en, us)
        } else {
            ("en-US", "en", us, en)
        };
        notes.push(format!(
            "`en-US` and `en` are both here: `{chosen}` ({n} .ftl files) is taken as the source and `{other}` ({m}) as a translation; pass --source-locale {other} if that is the source"
        ));
        return Ok(chosen.to_string());
    }
    for default in ["en-US", "en"] {
        if has(default) {
            return Ok(default.to_string());
        }
    }
    Err(Error::new(
        Diagnostic::error(
            Code::E0010,
            format!(
                "cannot tell which locale is the source among {found} in {}",
                shown_base.display()
            ),
        )
        .at(Location::file(shown_base))
        .help("name the locale translations are made from with --source-locale TAG"),
    ))
}

/// Finds the locales of the Fluent project in `root`. `Ok(None)` when
/// nothing was asked for and no locale folder was found.
pub(crate) fn discover(root: &Path, req: &Request) -> Result<Option<Layout>> {
    let shown = |p: &Path| crate::diag::display_path(root, p);
    if let Some(dir) = &req.locales_dir {
        let base = root.join(dir);
        if let Err(e) = std::fs::read_dir(&base) {
            return Err(Error::io(
                Code::E0003,
                "read the locales folder given with --locales",
                &shown(&base),
                &e,
            ));
        }
        let tags = locale_folders(&base, false);
        if tags.is_empty() {
            return Err(Error::new(
                Diagnostic::error(
                    Code::E0008,
                    format!(
                        "no locale folders with .ftl files in {}",
                        shown(&base).display()
                    ),
                )
                .at(Location::file(shown(&base)))
                .help("pass --locales with the folder that holds one folder per locale (en-US/, ja/, …)"),
            ));
        }
        let found_in = format!("{}/", shown(&base).display());
        return layout_in(root, &base, &tags, req, found_in).map(Some);
    }
    let l10n_toml = root.join("l10n.toml");
    if l10n_toml.is_file() {
        return from_l10n_toml(root, &l10n_toml, req).map(Some);
    }
    // cargo-i18n / i18n-embed: `fallback_language` and `[fluent] assets_dir`.
    let i18n_toml = root.join("i18n.toml");
    if i18n_toml.is_file() {
        crate::input::Boundary::of(root).check(
            &i18n_toml,
            Path::new("i18n.toml"),
            Code::E0009,
            "read i18n.toml",
        )?;
    }
    if i18n_toml.is_file()
        && let Some((fallback, assets)) = read_i18n_toml(root, &i18n_toml)
    {
        // Its folder names would be listed (and shown) from anywhere.
        if escapes(Path::new(&assets)) {
            return Err(Error::new(
                Diagnostic::error(
                    Code::E0009,
                    format!("i18n.toml's assets_dir `{assets}` leads outside the project folder"),
                )
                .at(Location::file(PathBuf::from("i18n.toml")))
                .help("name a folder inside the project (no `..`, not absolute), or pass --locales DIR"),
            ));
        }
        let base = root.join(&assets);
        let tags = locale_folders(&base, false);
        if !tags.is_empty() {
            let mut req = req.clone();
            if req.source_locale.is_none() {
                if !tags.contains(&fallback) {
                    // Not a guess among the folders found: i18n.toml says
                    // which is the source, and it is not there.
                    let deeper: Vec<String> = tags
                        .iter()
                        .filter(|t| !locale_folders(&base.join(t), false).is_empty())
                        .map(|t| format!("--locales {assets}/{t}"))
                        .collect();
                    return Err(Error::new(
                        Diagnostic::error(
                            Code::E0010,
                            format!(
                                "i18n.toml names `{fallback}` as its fallback_language, but {assets}/ has no `{fallback}/` folder of .ftl files (found: {})",
                                tags.join(", ")
                            ),
                        )
                        .at(Location::file(PathBuf::from("i18n.toml")))
                        .help(match deeper.first() {
                            Some(d) => format!("the locale folders look to be one level down: pass {d} (and --source-locale TAG unless `{fallback}` is there)"),
                            None => format!("add the `{fallback}` source to {assets}/{fallback}/, or pass --source-locale TAG"),
                        }),
                    ));
                }
                req.source_locale = Some(fallback);
            }
            return layout_in(root, &base, &tags, &req, format!("{assets}/ (i18n.toml)")).map(Some);
        }
    }
    for convention in CONVENTIONS {
        let base = root.join(convention);
        let tags = locale_folders(&base, false);
        if !tags.is_empty() {
            return layout_in(root, &base, &tags, req, format!("{convention}/")).map(Some);
        }
    }
    let tags = locale_folders(root, true);
    if !tags.is_empty() {
        return layout_in(root, root, &tags, req, "the project folder".to_string()).map(Some);
    }
    if req.source_locale.is_some() {
        return Err(Error::new(
            Diagnostic::error(
                Code::E0008,
                "no locale folders with .ftl files found (looked in locales/, l10n/, i18n/ and the project folder)",
            )
            .at(Location::file(shown(root)))
            .help("pass --locales DIR with the folder that holds one folder per locale (en-US/, ja/, …)"),
        ));
    }
    Ok(None)
}

fn layout_in(
    root: &Path,
    base: &Path,
    tags: &[String],
    req: &Request,
    found_in: String,
) -> Result<Layout> {
    let shown = crate::diag::display_path(root, base);
    let shown = if shown.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        shown
    };
    let mut notes = Vec::new();
    let source = pick_source(tags, req.source_locale.as_deref(), base, &shown, &mut notes)?;
    let found_in = match notes.pop() {
        Some(note) => format!("{found_in} ({note})"),
        None => found_in,
    };
    let locale = |tag: &String| Locale {
        tag: tag.clone(),
        roots: vec![Root {
            label: String::new(),
            dir: base.join(tag),
            skip: Vec::new(),
            locales: None,
            only: None,
        }],
        record: base.join(format!("{tag}.reviewed.toml")),
    };
    Ok(Layout {
        source: locale(&source),
        targets: tags.iter().filter(|t| **t != source).map(locale).collect(),
        filters: Default::default(),
        found_in,
    })
}

/// `fallback_language` and `[fluent] assets_dir` of a cargo-i18n
/// `i18n.toml`, when it has both and is readable; otherwise the
/// conventions apply.
fn read_i18n_toml(root: &Path, path: &Path) -> Option<(String, String)> {
    let shown = crate::diag::display_path(root, path);
    let text = crate::input::read_text_capped(
        path,
        &shown,
        crate::input::MAX_TOML_BYTES,
        Code::E0009,
        "read i18n.toml",
    )
    .ok()?
    .ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    let fallback = table.get("fallback_language")?.as_str()?.to_string();
    let assets = table
        .get("fluent")?
        .get("assets_dir")?
        .as_str()?
        .trim_end_matches('/')
        .to_string();
    Some((fallback, assets))
}

/// The part of a path pattern before its first component with a glob
/// (`*`, `?`, `[`) or a `{…}` placeholder.
fn fixed_prefix(pattern: &str) -> String {
    let mut out = String::new();
    for part in pattern.split('/') {
        if part.contains(['*', '?', '[', '{']) {
            break;
        }
        out.push_str(part);
        out.push('/');
    }
    out
}

/// Replaces `{name}` by `vars[name]` (repeatedly, for variables holding
/// variables); `{locale}` is left in place.
fn expand(pattern: &str, vars: &std::collections::BTreeMap<String, String>) -> String {
    let mut s = pattern.to_string();
    for _ in 0..8 {
        let mut changed = false;
        for (k, v) in vars {
            let key = format!("{{{k}}}");
            if s.contains(&key) {
                s = s.replace(&key, v);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    s
}

/// A project described by an `l10n.toml` (the configuration of Mozilla's
/// compare-locales and Pontoon): `basepath`, `locales`, `[env]`,
/// `[[paths]]` with `reference` and `l10n` patterns (and `locales`),
/// `[[filters]]`, `[[includes]]` of other such files (Firefox's names
/// toolkit's and devtools' this way), read in with their own `basepath`
/// and `[env]`, and `[[excludes]]` of other projects' files.
fn from_l10n_toml(root: &Path, path: &Path, req: &Request) -> Result<Layout> {
    let mut cfg = L10nConfig {
        source_tag: req.source_locale.clone(),
        ..L10nConfig::default()
    };
    read_l10n_toml(root, path, &mut Vec::new(), &mut cfg)?;
    let source_tag = cfg.source_tag.unwrap_or_else(|| "en-US".to_string());
    let mut tags = cfg.tags;
    // No `locales` anywhere (Pontoon keeps them in its database, and
    // compare-locales takes them from its command line): the locale
    // folders the `l10n` patterns lead to, as they are in the repository.
    // Checking none and passing would let every translation through.
    let mut found_in = "l10n.toml".to_string();
    if tags.is_empty() {
        let mut folders: Vec<String> = Vec::new();
        for p in &cfg.pairs {
            let dir = match p.base.join(&p.before) {
                // `{locale}/…` in a basepath of `.`: the project folder.
                d if d.as_os_str().is_empty() => PathBuf::from("."),
                d => d,
            };
            let at_root = lexical(&dir) == lexical(root);
            for tag in locale_folders(&dir, at_root) {
                if tag != source_tag && !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            let shown = crate::diag::display_path(root, &dir)
                .display()
                .to_string()
                .trim_end_matches('/')
                .to_string();
            let shown = if shown.is_empty() || shown == "." {
                "the project folder".to_string()
            } else {
                format!("{shown}/")
            };
            if !folders.contains(&shown) {
                folders.push(shown);
            }
        }
        found_in = format!(
            "l10n.toml, which lists no `locales`: the locale folders in {}",
            folders.join(", ")
        );
        if tags.iter().all(|t| *t == source_tag) {
            // Passing with nothing checked would let anything through.
            return Err(Error::new(
                Diagnostic::error(
                    Code::E0009,
                    format!(
                        "l10n.toml lists no `locales`, and no locale folder with .ftl files beside the source is in {}",
                        folders.join(", ")
                    ),
                )
                .at(Location::file(PathBuf::from("l10n.toml")))
                .help("add `locales = [\"de\", \"ja\", …]` to l10n.toml, or pass --locales DIR with the folder holding one folder per locale"),
            ));
        }
    }
    tags.retain(|t| *t != source_tag);
    // A locale every [[paths]] entry leaves out has nothing to compare.
    tags.retain(|t| {
        cfg.pairs
            .iter()
            .any(|p| p.locales.as_ref().is_none_or(|l| l.contains(t)))
    });
    tags.sort();
    tags.dedup();
    let pairs = cfg.pairs;
    // Files correspond across locales by their path inside the locale
    // folder (label + path): two entries whose locale folders lie in
    // different places must not give overlapping paths, or one package's
    // `common.ftl` would answer for another's.
    for (i, a) in pairs.iter().enumerate() {
        for b in &pairs[i + 1..] {
            let apart = a.base.join(&a.before) != b.base.join(&b.before);
            // The paths an entry gives start with its label, or are its one
            // file's.
            let reach = |p: &PathPair| match &p.only {
                Some((_, name)) => format!("{}{name}", p.label),
                None => p.label.clone(),
            };
            let overlap = reach(a).starts_with(&reach(b)) && b.only.is_none()
                || reach(b).starts_with(&reach(a)) && a.only.is_none()
                || reach(a) == reach(b);
            if apart && overlap {
                let folder = |p: &PathPair| {
                    let shown = crate::diag::display_path(root, &p.base.join(&p.before));
                    let shown = shown.to_string_lossy();
                    let before = if shown.is_empty() || shown == "." {
                        String::new()
                    } else {
                        format!("{}/", shown.trim_end_matches('/'))
                    };
                    format!("{before}{{locale}}/{}", p.label)
                };
                return Err(Error::new(
                    Diagnostic::error(
                        Code::E0009,
                        format!(
                            "two [[paths]] entries keep their locale folders in different places with overlapping paths inside them (`{}` and `{}`): talkdoc matches files by their path inside the locale folder and cannot tell these apart",
                            folder(a),
                            folder(b)
                        ),
                    )
                    .at(Location::file(PathBuf::from("l10n.toml")))
                    .help("check each part on its own (`talkdoc check --locales DIR` for each folder of locale folders), or give the entries distinct folders after {locale}/"),
                ));
            }
        }
    }
    let source = Locale {
        tag: source_tag.clone(),
        roots: pairs
            .iter()
            .map(|p| Root {
                label: p.label.clone(),
                dir: p.base.join(p.reference.trim_end_matches('/')),
                skip: Vec::new(),
                locales: p.locales.clone(),
                only: p.only.as_ref().map(|(reference, _)| reference.clone()),
            })
            .collect(),
        record: PathBuf::new(),
    };
    let mut filters = cfg.filters;
    let targets = tags
        .iter()
        .map(|tag| {
            // What [[excludes]] give to other projects in this locale, as
            // patterns of paths inside each entry's own locale folder.
            let claimed = excluded_patterns(&cfg.excluded, tag);
            let excluded_for = |p: &PathPair| -> Vec<regex_lite::Regex> {
                let locale_folder = lexical(&p.base.join(format!("{}{tag}", p.before)));
                let mut patterns: Vec<String> = Vec::new();
                for (folder, pattern) in &claimed {
                    if let Ok(sub) = folder.strip_prefix(&locale_folder) {
                        let sub = sub.to_string_lossy().replace('\\', "/");
                        let full = if sub.is_empty() {
                            pattern.clone()
                        } else {
                            format!("{sub}/{pattern}")
                        };
                        if !patterns.contains(&full) {
                            patterns.push(full);
                        }
                    }
                }
                patterns.iter().map(|p| super::filters::glob(p)).collect()
            };
            // Once per entry: judged as not this project's (filters) and
            // not read (its folder's skip list).
            let excluded: Vec<Vec<regex_lite::Regex>> = pairs.iter().map(excluded_for).collect();
            for (p, patterns) in pairs.iter().zip(&excluded) {
                for e in patterns {
                    filters.exclude(tag, &p.label, e.clone());
                }
            }
            Locale {
                tag: tag.clone(),
                // A path limited to other locales is not this locale's.
                roots: pairs
                    .iter()
                    .zip(excluded)
                    .filter(|(p, _)| p.locales.as_ref().is_none_or(|l| l.contains(tag)))
                    .map(|(p, skip)| {
                        let dir = p
                            .base
                            .join(format!("{}{tag}/{}", p.before, p.label).trim_end_matches('/'));
                        Root {
                            label: p.label.clone(),
                            skip,
                            dir,
                            locales: None,
                            only: p.only.as_ref().map(|(_, l10n)| l10n.clone()),
                        }
                    })
                    .collect(),
                record: pairs[0]
                    .base
                    .join(format!("{}{tag}.reviewed.toml", pairs[0].before)),
            }
        })
        .collect();
    Ok(Layout {
        source,
        targets,
        found_in,
        filters,
    })
}

/// What excluded `l10n.toml` files claim in locale `tag`: for each of
/// their [[paths]] entries (in the locales of its file), the locale folder
/// and the `l10n` pattern inside it (compare-locales excludes nothing for
/// a locale an excluded file does not list).
fn excluded_patterns(excluded: &[L10nConfig], tag: &str) -> Vec<(PathBuf, String)> {
    excluded
        .iter()
        .filter(|ex| ex.tags.iter().any(|t| t == tag))
        .flat_map(|ex| &ex.pairs)
        .filter(|p| {
            p.locales
                .as_ref()
                .is_none_or(|l| l.iter().any(|t| t == tag))
        })
        .map(|p| {
            (
                lexical(&p.base.join(format!("{}{tag}", p.before))),
                p.pattern.clone(),
            )
        })
        .collect()
}

/// What a project's `l10n.toml` files say, its includes read in.
#[derive(Default)]
struct L10nConfig {
    /// The `locales` of every file read, as compare-locales merges them.
    tags: Vec<String>,
    pairs: Vec<PathPair>,
    filters: super::filters::Filters,
    /// `--source-locale`, else the first locale tag in a reference path.
    source_tag: Option<String>,
    /// Files read so far (canonical paths): a file included twice is read
    /// once, so includes cannot multiply.
    read: std::collections::HashSet<PathBuf>,
    /// The `[[excludes]]` of the top file, each read as a project of its
    /// own: the files they describe are not this project's.
    excluded: Vec<L10nConfig>,
    /// This is an excluded file (or one it includes): it may not exclude
    /// in turn.
    excluding: bool,
}

/// One `[[paths]]` entry, resolved against its own file's `basepath`.
struct PathPair {
    base: PathBuf,
    /// The fixed folder of the `reference` pattern, relative to `base`.
    reference: String,
    /// The `l10n` pattern before `{locale}`.
    before: String,
    /// The fixed folder after `{locale}/`: the label its files' paths
    /// inside the locale folder start with.
    label: String,
    /// Its `locales`: the locales it applies to (all when `None`).
    locales: Option<Vec<String>>,
    /// The `l10n` pattern after `{locale}/` (`browser/**`).
    pattern: String,
    /// An entry naming one file: its name in the reference folder and in
    /// the locale folder (`reference` and `label` are then their folders).
    only: Option<(String, String)>,
}

#[derive(serde::Deserialize)]
struct PathsList {
    #[serde(default)]
    paths: Vec<toml::Spanned<PathSpec>>,
}

/// A `[[paths]]` entry as written (`test` and other compare-locales keys
/// are read and not used).
#[derive(serde::Deserialize)]
struct PathSpec {
    reference: Option<String>,
    l10n: Option<String>,
    locales: Option<Vec<String>>,
}

/// `path` with `.` and `name/..` taken out, without looking at the disk
/// (`browser/locales/../..` is the project folder): paths are shown and
/// compared as the user would write them.
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether a path relative to the project leaves it: absolute, or with a
/// `..` that is not taken back inside.
fn escapes(path: &Path) -> bool {
    use std::path::Component;
    path.is_absolute()
        || lexical(path).components().any(|c| {
            matches!(
                c,
                Component::ParentDir | Component::RootDir | Component::Prefix(_)
            )
        })
}

/// Includes nested deeper than this are refused.
const MAX_INCLUDE_DEPTH: usize = 16;

#[derive(serde::Deserialize)]
struct IncludeList {
    #[serde(default)]
    includes: Vec<Include>,
    #[serde(default)]
    excludes: Vec<Include>,
}

#[derive(serde::Deserialize)]
struct Include {
    path: toml::Spanned<String>,
}

/// Reads the `l10n.toml` at `path` into `cfg`, then the files it includes;
/// `chain` holds the files being read, outermost first (an include of one
/// of them is a loop).
fn read_l10n_toml(
    root: &Path,
    path: &Path,
    chain: &mut Vec<PathBuf>,
    cfg: &mut L10nConfig,
) -> Result<()> {
    let shown = crate::diag::display_path(root, path);
    crate::input::Boundary::of(root).check(path, &shown, Code::E0009, "read l10n.toml")?;
    let text = crate::input::read_text_capped(
        path,
        &shown,
        crate::input::MAX_TOML_BYTES,
        Code::E0009,
        "read l10n.toml",
    )?
    .map_err(|_| {
        Error::new(
            Diagnostic::error(
                Code::E0009,
                format!("{} is not valid UTF-8", shown.display()),
            )
            .at(Location::file(shown.clone()))
            .help("save it as UTF-8"),
        )
    })?;
    let file = crate::diag::SourceFile::new(shown.clone(), text);
    let bad = |message: String, span: std::ops::Range<usize>| {
        Error::new(
            Diagnostic::error(Code::E0009, message)
                .at(file.at(span))
                .help("l10n.toml needs `locales = [...]` and [[paths]] with `reference` and `l10n`; or pass --locales DIR and --source-locale TAG"),
        )
    };
    let value: toml::Table = toml::from_str(&file.text).map_err(|e| {
        bad(
            format!("invalid l10n.toml: {}", e.message().trim_end()),
            e.span().unwrap_or(0..0),
        )
    })?;
    let string = |v: &toml::Value| v.as_str().map(str::to_string);
    let dir = path.parent().unwrap_or(root);
    let basepath = value
        .get("basepath")
        .and_then(string)
        .unwrap_or_else(|| ".".into());
    let base = lexical(&dir.join(&basepath));
    // The locale folders stay inside the project: `check` quotes the
    // lines of what it reads and `review` writes its record beside them.
    let dir_in_project = match (dir.canonicalize(), root.canonicalize()) {
        (Ok(d), Ok(r)) => d.strip_prefix(&r).map(Path::to_path_buf).ok(),
        _ => Some(PathBuf::new()),
    };
    if dir_in_project.is_none_or(|d| escapes(&lexical(&d.join(&basepath)))) {
        return Err(bad(
            format!("basepath `{basepath}` leads outside the project folder"),
            0..0,
        ));
    }
    let mut vars = std::collections::BTreeMap::new();
    vars.insert("l10n_base".to_string(), ".".to_string());
    if let Some(env) = value.get("env").and_then(|e| e.as_table()) {
        for (k, v) in env {
            if let Some(v) = v.as_str() {
                vars.insert(k.clone(), v.to_string());
            }
        }
    }
    // A file's paths serve only its own `locales` when it has some (an
    // included file without them serves every locale).
    let file_locales: Option<Vec<String>> = value
        .get("locales")
        .and_then(|l| l.as_array())
        .map(|l| l.iter().filter_map(string).collect());
    if let Some(locales) = &file_locales {
        cfg.tags.extend(locales.iter().cloned());
    }
    // Typed again for the spans: an error points at its [[paths]] entry.
    let paths: PathsList = toml::from_str(&file.text).map_err(|e| {
        bad(
            format!("invalid [[paths]]: {}", e.message().trim_end()),
            e.span().unwrap_or(0..0),
        )
    })?;
    let first_pair = cfg.pairs.len();
    for entry in &paths.paths {
        let span = entry.span();
        let p = entry.get_ref();
        let (Some(reference), Some(l10n)) = (p.reference.clone(), p.l10n.clone()) else {
            return Err(bad(
                "a [[paths]] entry lacks `reference` or `l10n`".to_string(),
                span,
            ));
        };
        if let Some(only) = &p.locales {
            cfg.tags.extend(only.iter().cloned());
        }
        let reference = expand(&reference, &vars);
        let l10n = expand(&l10n, &vars);
        if escapes(Path::new(&reference)) || escapes(Path::new(&l10n)) {
            return Err(bad(
                format!(
                    "the [[paths]] patterns `{reference}` and `{l10n}` must stay inside basepath (no `..`, not absolute)"
                ),
                span,
            ));
        }
        let Some((before, after)) = l10n.split_once("{locale}") else {
            return Err(bad(
                format!("the l10n pattern `{l10n}` has no {{locale}}"),
                span,
            ));
        };
        let pattern = after.trim_start_matches('/').to_string();
        let globs = |p: &str| p.contains(['*', '?', '[', '{']);
        // An entry naming one file (`{l}app.ftl`): its folder is the root,
        // and only that file of it is read.
        let single = |p: &str| !p.is_empty() && !p.ends_with('/') && !globs(p);
        let split = |p: &str| match p.rsplit_once('/') {
            Some((folder, name)) => (format!("{folder}/"), name.to_string()),
            None => (String::new(), p.to_string()),
        };
        let (label, reference, only) = if single(&pattern) && single(&reference) {
            let (label, l10n_name) = split(&pattern);
            let (folder, reference_name) = split(&reference);
            (label, folder, Some((reference_name, l10n_name)))
        } else {
            let label = fixed_prefix(&pattern);
            let label = if label == "/" { String::new() } else { label };
            (label, fixed_prefix(&reference), None)
        };
        if cfg.source_tag.is_none() {
            cfg.source_tag = reference
                .split('/')
                .rfind(|c| is_locale_tag(c))
                .map(str::to_string);
        }
        cfg.pairs.push(PathPair {
            base: base.clone(),
            reference,
            before: match before.strip_suffix('/') {
                // A folder: `./l10n/` is `l10n/`, `./` nothing.
                Some(folder) => match lexical(Path::new(folder)) {
                    p if p.as_os_str().is_empty() => String::new(),
                    p => format!("{}/", p.display()),
                },
                None => before.to_string(),
            },
            label,
            pattern,
            only,
            // compare-locales skips a file for a locale it does not list,
            // then a path for one its `locales` leave out.
            locales: match (&file_locales, &p.locales) {
                (None, only) => only.clone(),
                (Some(file), None) => Some(file.clone()),
                (Some(file), Some(only)) => {
                    Some(only.iter().filter(|l| file.contains(l)).cloned().collect())
                }
            },
        });
    }
    let filters = super::filters::parse(&file.text, &|s| expand(s, &vars)).map_err(|(message, span)| {
        Error::new(
            Diagnostic::error(Code::E0009, message)
                .at(file.at(span))
                .help("a [[filters]] entry has `path` (\"{l}dir/file.ftl\", `*` and `**` allowed), optionally `key` (an ID, a list, or \"re:\" and a regular expression), and `action` (\"ignore\", \"warning\" or \"error\")"),
        )
    })?;
    // This file's filters judge the files of its own [[paths]].
    let labels = cfg.pairs[first_pair..]
        .iter()
        .map(|p| (p.label.clone(), p.locales.clone()))
        .collect();
    cfg.filters.add(labels, filters);
    let includes: IncludeList = toml::from_str(&file.text).map_err(|e| {
        bad(
            format!("invalid [[includes]]: {}", e.message().trim_end()),
            e.span().unwrap_or(0..0),
        )
    })?;
    let included = |message: String, span: std::ops::Range<usize>| {
        Error::new(
            Diagnostic::error(Code::E0009, message)
                .at(file.at(span))
                .help("an [[includes]] path is relative to this file's folder and its `basepath`"),
        )
    };
    // Canonical, as the includes are compared with it.
    chain.push(path.canonicalize().unwrap_or_else(|_| path.to_path_buf()));
    if let Some(first) = includes.excludes.first()
        && (chain.len() > 1 || cfg.excluding)
    {
        return Err(included(
            "only the top l10n.toml may have [[excludes]] (compare-locales refuses them in an included or excluded file too)".to_string(),
            first.path.span(),
        ));
    }
    // An include's or exclude's file: it must exist and be the project's
    // (it is read as TOML, and a syntax error quotes its line, so
    // `/etc/passwd` must never be one). Its path and canonical path.
    let listed = |kind: &str, entry: &Include| {
        let target = base.join(expand(entry.path.get_ref(), &vars));
        let span = entry.path.span();
        let Ok(canonical) = target.canonicalize() else {
            return Err(included(
                format!(
                    "the {kind} file {} does not exist",
                    crate::diag::display_path(root, &target).display()
                ),
                span,
            ));
        };
        if !root.canonicalize().is_ok_and(|r| canonical.starts_with(r)) {
            return Err(included(
                format!(
                    "the {kind} file {} is outside the project folder",
                    target.display()
                ),
                span,
            ));
        }
        Ok((target, canonical))
    };
    for exclude in &includes.excludes {
        let (target, canonical) = listed("excluded", exclude)?;
        let mut other = L10nConfig {
            excluding: true,
            ..L10nConfig::default()
        };
        other.read.insert(canonical);
        read_l10n_toml(root, &target, &mut Vec::new(), &mut other)?;
        cfg.excluded.push(other);
    }
    for include in &includes.includes {
        let span = include.path.span();
        if chain.len() >= MAX_INCLUDE_DEPTH {
            return Err(included(
                format!("includes nested deeper than {MAX_INCLUDE_DEPTH} levels"),
                span,
            ));
        }
        let (target, canonical) = listed("included", include)?;
        if chain.contains(&canonical) {
            return Err(included(
                format!(
                    "{} includes itself (through {} file{})",
                    crate::diag::display_path(root, &target).display(),
                    chain.len(),
                    if chain.len() == 1 { "" } else { "s" }
                ),
                span,
            ));
        }
        if cfg.read.insert(canonical) {
            read_l10n_toml(root, &target, chain, cfg)?;
        }
    }
    chain.pop();
    if chain.is_empty() && cfg.pairs.is_empty() {
        return Err(bad(
            "l10n.toml has no [[paths]] (nor an included file with some)".to_string(),
            0..0,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_tags() {
        for ok in [
            "ja",
            "en-US",
            "pt-BR",
            "zh-Hant",
            "sr-Latn-RS",
            "pt_BR",
            "ja-JP-mac",
            "ast",
        ] {
            assert!(is_locale_tag(ok), "{ok}");
        }
        for no in [
            "browser",
            "e",
            "en--US",
            "1a",
            "toolkit",
            ".git",
            "en-US-abcdefghi",
        ] {
            assert!(!is_locale_tag(no), "{no}");
        }
    }

    #[test]
    fn fixed_prefixes() {
        assert_eq!(fixed_prefix("locales/en-US/**/*.ftl"), "locales/en-US/");
        assert_eq!(fixed_prefix("browser/**"), "browser/");
        assert_eq!(fixed_prefix("**"), "");
    }
}
