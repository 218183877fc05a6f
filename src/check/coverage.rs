//! Coverage between locales: every source message translated, nothing
//! obsolete, the same attributes and variables, references that resolve,
//! no cycles, no unused messages, nothing left untranslated.

use crate::codes::Code;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::{LocaleSummary, Tag, Tagged};
use crate::catalog::filters::Action;
use crate::catalog::{Entry, EntryKind, LocaleCatalog};
use crate::content::{BlockKind, ItemSpec};
use crate::diag::Diagnostic;
use crate::project::Coverage;
use crate::project::Project;

/// Whether `id` matches one of `patterns` (exact, or a prefix ending in `*`).
pub(crate) fn matches_any(id: &str, patterns: &[String]) -> bool {
    patterns.iter().any(|p| match p.strip_suffix('*') {
        Some(prefix) => id.starts_with(prefix),
        None => p == id,
    })
}

/// The value part of a canonical entry (`id = value…` → `value…`).
pub(crate) fn canonical_value(canonical: &str) -> &str {
    canonical
        .split_once('=')
        .map_or(canonical, |(_, v)| v.trim())
}

pub(crate) fn check(project: &Project, out: &mut Vec<Diagnostic>) -> Vec<LocaleSummary> {
    let source_locale = project.content.source_locale();
    let Some(source) = project.catalog.locale(source_locale) else {
        return Vec::new();
    };
    let cfg = &project.content.config.check;
    let mut summaries = Vec::new();

    for cat in &project.catalog.locales {
        references(cat, out);
        cycles(cat, out);
    }
    for cat in &project.catalog.locales {
        let messages = cat
            .entries
            .values()
            .filter(|e| e.kind == EntryKind::Message)
            .count();
        if cat.locale == source.locale {
            summaries.push(LocaleSummary {
                locale: cat.locale.clone(),
                source: true,
                messages,
                translated: messages,
                ..Default::default()
            });
            continue;
        }
        let mut s = LocaleSummary {
            locale: cat.locale.clone(),
            messages,
            ..Default::default()
        };
        for (key, src) in &source.entries {
            let Some(tr) = cat.entries.get(key) else {
                if src.kind == EntryKind::Message {
                    s.missing += 1;
                }
                out.push(
                    Diagnostic::error(Code::C001, format!("missing in `{}`", cat.locale))
                        .at_opt(source.location(src))
                        .id(key.clone())
                        .help(format!(
                            "add `{key} = …` to a file in {}/",
                            cat.dir.display()
                        )),
                );
                continue;
            };
            if src.kind == EntryKind::Message {
                s.translated += 1;
            }
            let rules = Rules::Talk {
                allow_identical: &cfg.allow_identical,
                allow_source_script: &cfg.allow_source_script,
            };
            compare(source, src, cat, tr, &rules, &mut |d| out.push(d));
        }
        for (key, tr) in &cat.entries {
            if !source.entries.contains_key(key) {
                if tr.kind == EntryKind::Message {
                    s.obsolete += 1;
                }
                out.push(
                    Diagnostic::warning(
                        Code::C002,
                        format!("not in the source locale `{}`", source.locale),
                    )
                    .at_opt(cat.location(tr))
                    .id(key.clone())
                    .help("remove it, or add the message to the source locale first"),
                );
            }
        }
        summaries.push(s);
    }
    unused(project, source, out);
    summaries
}

/// References that do not resolve in their own locale.
pub(crate) fn references(cat: &LocaleCatalog, out: &mut Vec<Diagnostic>) {
    for entry in cat.entries.values() {
        let Some(file) = cat.files.get(entry.file) else {
            continue;
        };
        for r in &entry.references {
            let is_term = r.target.starts_with('-');
            // The index spans a term reference's name; point at the whole
            // reference `-name`, as it is written and reported.
            let mut span = r.span.clone();
            if is_term
                && file
                    .text
                    .get(..span.start)
                    .is_some_and(|t| t.ends_with('-'))
            {
                span.start -= 1;
            }
            let Some(target) = cat.entries.get(&r.target) else {
                let what = if is_term { "term" } else { "message" };
                out.push(
                    Diagnostic::error(
                        Code::C006,
                        format!("{what} `{}` does not exist in `{}`", r.target, cat.locale),
                    )
                    .at(file.at(span))
                    .id(entry.key())
                    .help(format!(
                        "define `{}` in {}/ or fix the reference",
                        r.target,
                        cat.dir.display()
                    )),
                );
                continue;
            };
            // `{ msg.attr }`: Fluent allows no space around the dot, so the
            // attribute name follows the reference's span directly.
            let attribute = file.text.get(span.end..).and_then(|rest| {
                let name = rest.strip_prefix('.')?;
                let len = name
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                    .unwrap_or(name.len());
                (len > 0).then(|| &name[..len])
            });
            if let Some(a) = attribute
                && !target.attributes.iter().any(|t| t == a)
            {
                out.push(
                    Diagnostic::error(
                        Code::C006,
                        format!(
                            "attribute `{}.{a}` does not exist in `{}`",
                            r.target, cat.locale
                        ),
                    )
                    .at(file.at(span.start..span.end + 1 + a.len()))
                    .id(entry.key())
                    .help(format!(
                        "add `.{a} = …` to `{}` in {}/ or fix the reference",
                        r.target,
                        cat.dir.display()
                    )),
                );
            }
        }
    }
}

/// A pattern that can take part in a reference cycle: an entry's value
/// (`None`) or one of its attributes. `{ msg }` refers to the value,
/// `{ msg.attr }` to the attribute only, so a message may use its own
/// attribute (`a = { a.short }`) without a cycle.
type Node = (String, Option<String>);

/// References between patterns (a value or one attribute of an entry),
/// from the catalog's own index: the AST is walked once, at load time.
/// Only the first definition of a duplicated ID counts, as in the catalog.
fn pattern_graph(cat: &LocaleCatalog) -> BTreeMap<Node, Vec<Node>> {
    let mut graph: BTreeMap<Node, Vec<Node>> = BTreeMap::new();
    for (key, entry) in &cat.entries {
        for (attr, size) in &entry.sizes {
            let mut targets = Vec::new();
            size.references(&mut targets);
            graph.insert((key.clone(), attr.clone()), targets);
        }
        if !entry.has_value {
            graph.entry((key.clone(), None)).or_default();
        }
    }
    graph
}

/// Reference cycles (a → b → a), reported once per cycle at the entry
/// where it was found.
pub(crate) fn cycles(cat: &LocaleCatalog, out: &mut Vec<Diagnostic>) {
    let graph = pattern_graph(cat);
    let nodes: Vec<&Node> = graph.keys().collect();
    let index: BTreeMap<&Node, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| {
            graph[*n]
                .iter()
                .filter_map(|t| index.get(t).copied())
                .collect()
        })
        .collect();
    let name = |n: usize| match &nodes[n].1 {
        None => nodes[n].0.clone(),
        Some(a) => format!("{}.{a}", nodes[n].0),
    };
    // Iterative DFS with colours: 0 unvisited, 1 on stack, 2 done.
    let mut colour = vec![0u8; nodes.len()];
    let mut reported: HashSet<Vec<usize>> = HashSet::new();
    for start in 0..nodes.len() {
        if colour[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        colour[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&target) = edges[node].get(*next) {
                *next += 1;
                match colour[target] {
                    0 => {
                        colour[target] = 1;
                        stack.push((target, 0));
                    }
                    1 => {
                        let pos = stack.iter().position(|(n, _)| *n == target).unwrap_or(0);
                        let mut cycle: Vec<usize> = stack[pos..].iter().map(|(n, _)| *n).collect();
                        let chain: Vec<String> = cycle
                            .iter()
                            .chain(std::iter::once(&target))
                            .map(|&n| name(n))
                            .collect();
                        cycle.sort_unstable();
                        if reported.insert(cycle) {
                            let key = &nodes[target].0;
                            out.push(
                                Diagnostic::error(
                                    Code::C007,
                                    format!("cyclic reference: {}", chain.join(" → ")),
                                )
                                .at_opt(cat.entries.get(key).and_then(|e| cat.location(e)))
                                .id(key.clone())
                                .help(
                                    "break the cycle: a message cannot (indirectly) contain itself",
                                ),
                            );
                        }
                    }
                    _ => {}
                }
            } else {
                colour[node] = 2;
                stack.pop();
            }
        }
    }
}

/// Message IDs the content files name.
fn used_by_content(project: &Project) -> BTreeSet<String> {
    fn items(list: &[toml::Spanned<ItemSpec>], used: &mut BTreeSet<String>) {
        for i in list {
            let i = i.get_ref();
            used.insert(i.id.clone());
            if let Some(m) = &i.mark {
                used.insert(m.get_ref().clone());
            }
            items(&i.items, used);
        }
    }
    let mut used = BTreeSet::new();
    used.insert(project.content.config.title.get_ref().clone());
    for doc in project.content.documents.values() {
        if let Some(t) = &doc.spec.title {
            used.insert(t.get_ref().clone());
        }
        for b in &doc.spec.blocks {
            match doc.block_kind(b) {
                Ok(BlockKind::Heading(id)) => {
                    used.insert(id.get_ref().clone());
                }
                Ok(BlockKind::Paragraphs(ids)) => {
                    used.extend(ids.iter().map(|i| i.get_ref().clone()))
                }
                Ok(BlockKind::List { items: list, .. }) => items(list, &mut used),
                _ => {}
            }
        }
    }
    // `id.attribute` uses the message.
    used.into_iter()
        .map(|u| u.split('.').next().unwrap_or(&u).to_string())
        .collect()
}

/// Source messages no document uses, directly or through another message.
fn unused(project: &Project, source: &LocaleCatalog, out: &mut Vec<Diagnostic>) {
    let mut used = used_by_content(project);
    let mut queue: Vec<String> = used.iter().cloned().collect();
    while let Some(id) = queue.pop() {
        if let Some(e) = source.entries.get(&id) {
            for r in &e.references {
                if used.insert(r.target.clone()) {
                    queue.push(r.target.clone());
                }
            }
        }
    }
    let allowed = &project.content.config.check.allow_unused;
    for (key, e) in &source.entries {
        if e.kind == EntryKind::Message && !used.contains(key) && !matches_any(key, allowed) {
            out.push(
                Diagnostic::warning(Code::C008, "no document uses this message")
                    .at_opt(source.location(e))
                    .id(key.clone())
                    .help("use it in content/documents/, remove it, or list it under [check] allow_unused in content/project.toml"),
            );
        }
    }
}

/// The relative file an entry belongs to for per-file correspondence, or
/// `""` when locales are compared as pools.
fn rel_of<'a>(cat: &'a LocaleCatalog, e: &Entry, per_file: bool) -> &'a str {
    if per_file {
        cat.rel_paths.get(e.file).map_or("", String::as_str)
    } else {
        ""
    }
}

/// The entries of one locale, by file and by ID.
struct Index<'a> {
    by_file: BTreeMap<&'a str, Vec<&'a Entry>>,
    at: std::collections::HashMap<(&'a str, String), &'a Entry>,
    by_key: std::collections::HashMap<String, Vec<&'a Entry>>,
}

impl<'a> Index<'a> {
    fn new(cat: &'a LocaleCatalog, per_file: bool) -> Index<'a> {
        let mut ix = Index {
            by_file: BTreeMap::new(),
            at: std::collections::HashMap::new(),
            by_key: std::collections::HashMap::new(),
        };
        if per_file {
            for rel in &cat.rel_paths {
                ix.by_file.entry(rel.as_str()).or_default();
            }
        } else if !cat.files.is_empty() {
            ix.by_file.entry("").or_default();
        }
        for e in cat.all_entries() {
            let rel = rel_of(cat, e, per_file);
            let key = e.key();
            ix.by_file.entry(rel).or_default().push(e);
            ix.at.entry((rel, key.clone())).or_insert(e);
            ix.by_key.entry(key).or_default().push(e);
        }
        for v in ix.by_file.values_mut() {
            v.sort_by_key(|e| (e.file, e.span.start));
        }
        ix
    }
}

/// Coverage mode: every translated locale against the source, file by file
/// (or as pools with `--no-per-file`), judged the way a translator would.
pub(crate) fn check_coverage(
    project: &Project,
    cov: &Coverage,
    out: &mut Vec<Tagged>,
) -> Vec<LocaleSummary> {
    let Some(source) = project.catalog.locale(project.content.source_locale()) else {
        return Vec::new();
    };
    let per_file = cov.per_file;
    // What the l10n.toml's [[filters]] say about a missing message (`Some`
    // key) or file (always "error" without filters). Matched on the file's
    // own path, also when files are pooled.
    let filtered = |locale: &str, src: &Entry, key: Option<&str>| {
        // A source file of an l10n.toml entry limited to other locales is
        // not asked of this one (whatever other entry's folder holds it).
        let asked = source.file_roots.get(src.file).is_none_or(|roots| {
            roots.iter().any(|&r| {
                source
                    .roots
                    .get(r)
                    .and_then(|r| r.locales.as_ref())
                    .is_none_or(|l| l.iter().any(|l| l == locale))
            })
        });
        if !asked {
            return Action::Ignore;
        }
        let rel = source.rel_paths.get(src.file).map_or("", String::as_str);
        match cov.filters.action(locale, rel, key) {
            Action::Error if cov.missing_warns => Action::Warning,
            action => action,
        }
    };
    let mut plain = Vec::new();
    for cat in &project.catalog.locales {
        references(cat, &mut plain);
        cycles(cat, &mut plain);
    }
    out.extend(plain.into_iter().map(|d| (d, None)));
    let src_ix = Index::new(source, per_file);
    let mut summaries = vec![LocaleSummary {
        locale: source.locale.clone(),
        source: true,
        messages: source.all_entries().count(),
        translated: source.all_entries().count(),
        freshness: Some(true),
        ..Default::default()
    }];
    for cat in project
        .catalog
        .locales
        .iter()
        .filter(|c| c.locale != source.locale)
    {
        let tr_ix = Index::new(cat, per_file);
        let mut s = LocaleSummary {
            locale: cat.locale.clone(),
            messages: cat.all_entries().count(),
            freshness: Some(true),
            ..Default::default()
        };
        let tag = |rel: &str| {
            Some(Tag {
                locale: cat.locale.clone(),
                file: cat.path_for(rel).display().to_string(),
            })
        };
        if cat.files.is_empty() && !cat.excluded_any {
            // E0106 says the locale has no files; one line, not one per
            // message (those of files it is not asked for not counted).
            s.missing = source
                .all_entries()
                .filter(|e| filtered(&cat.locale, e, None) != Action::Ignore)
                .count();
            summaries.push(s);
            continue;
        }
        // A translation in file g whose source is in another file f (and
        // not in g): at run time the app looks for it in f and misses it.
        let misplaced = |rel: &str, key: &str| -> Option<&Entry> {
            tr_ix.by_key.get(key)?.iter().copied().find(|t| {
                let g = rel_of(cat, t, per_file);
                g != rel && !src_ix.at.contains_key(&(g, key.to_string()))
            })
        };
        let mut reported_misplaced: HashSet<(usize, usize)> = HashSet::new();
        let mut wrong_file = |src: &Entry, tr: &Entry, rel: &str, out: &mut Vec<Tagged>| {
            reported_misplaced.insert((tr.file, tr.span.start));
            let expected = cat.path_for(rel);
            out.push((
                Diagnostic::error(
                    Code::C013,
                    format!(
                        "in the wrong file: the `{}` source defines it in {}, so the app looks for it in {}",
                        source.locale,
                        source
                            .location(src)
                            .map_or_else(|| rel.to_string(), |l| l.to_string()),
                        expected.display()
                    ),
                )
                .at_opt(cat.location(tr))
                .id(tr.key())
                .help(format!(
                    "move `{}` to {}",
                    tr.key(),
                    expected.display()
                )),
                tag(rel_of(cat, tr, per_file)),
            ));
        };
        for (rel, entries) in &src_ix.by_file {
            if !tr_ix.by_file.contains_key(rel) {
                // A missing file is judged as a file, as compare-locales
                // does: an ignored one is neither reported nor counted.
                // (A source file with nothing in it misses nothing.)
                // Each entry by its own file: with --no-per-file the pool
                // holds every file, some perhaps ignored or excluded.
                let judged: Vec<(&Entry, Action)> = entries
                    .iter()
                    .map(|e| (*e, filtered(&cat.locale, e, None)))
                    .filter(|(_, a)| *a != Action::Ignore)
                    .collect();
                let Some(action) = judged.iter().map(|(_, a)| *a).max() else {
                    continue;
                };
                let entries: Vec<&Entry> = judged.into_iter().map(|(e, _)| e).collect();
                let mut n = 0;
                for src in entries.iter().copied() {
                    if let Some(tr) = misplaced(rel, &src.key()) {
                        wrong_file(src, tr, rel, out);
                    } else {
                        n += 1;
                    }
                }
                s.missing += entries.len();
                if n > 0 {
                    let shown = source
                        .files
                        .get(entries[0].file)
                        .map(|f| f.path.clone())
                        .unwrap_or_default();
                    let expected = cat.path_for(rel);
                    let severity = if action == Action::Error {
                        Diagnostic::error
                    } else {
                        Diagnostic::warning
                    };
                    out.push((
                        severity(
                            Code::C014,
                            format!(
                                "no `{}` file {}: its {n} {} missing",
                                cat.locale,
                                expected.display(),
                                if n == 1 { "entry is" } else { "entries are" }
                            ),
                        )
                        .at(crate::diag::Location::file(shown))
                        .help(format!("translate this file as {}", expected.display())),
                        tag(rel),
                    ));
                }
                continue;
            }
            for src in entries {
                let key = src.key();
                if let Some(tr) = tr_ix.at.get(&(*rel, key.clone())) {
                    s.translated += 1;
                    compare(source, src, cat, tr, &Rules::Coverage, &mut |d| {
                        out.push((d, tag(rel)))
                    });
                } else if let Some(tr) = misplaced(rel, &key) {
                    s.missing += 1;
                    wrong_file(src, tr, rel, out);
                } else {
                    // A warned one is reported as a warning and counted as
                    // missing, as a missing file's are: the summary says
                    // how much of the locale is translated either way.
                    let severity = match filtered(&cat.locale, src, Some(&key)) {
                        Action::Ignore => continue,
                        Action::Warning => Diagnostic::warning,
                        Action::Error => Diagnostic::error,
                    };
                    s.missing += 1;
                    let expected = cat.path_for(rel);
                    out.push((
                        severity(Code::C001, format!("missing in `{}`", cat.locale))
                            .at_opt(source.location(src))
                            .id(key.clone())
                            .help(format!("add `{key} = …` to {}", expected.display())),
                        tag(rel),
                    ));
                }
            }
        }
        for (rel, entries) in &tr_ix.by_file {
            let file_exists_in_source = src_ix.by_file.contains_key(rel);
            let mut n = 0;
            for tr in entries {
                let key = tr.key();
                if src_ix.at.contains_key(&(*rel, key.clone()))
                    || reported_misplaced.contains(&(tr.file, tr.span.start))
                {
                    continue;
                }
                s.obsolete += 1;
                if !file_exists_in_source {
                    n += 1;
                    continue;
                }
                let also = src_ix.by_key.get(&key).and_then(|v| v.first());
                let mut d = Diagnostic::warning(
                    Code::C002,
                    match also {
                        Some(_) => {
                            format!("not in this file of the source locale `{}`", source.locale)
                        }
                        None => format!("not in the source locale `{}`", source.locale),
                    },
                )
                .at_opt(cat.location(tr))
                .id(key.clone())
                .help("remove it, or add the message to the source locale first");
                if let Some(l) = also.and_then(|e| source.location(e)) {
                    d = d.note(format!("the source defines it in {l}"));
                }
                out.push((d, tag(rel)));
            }
            if !file_exists_in_source && n > 0 {
                let shown = cat
                    .files
                    .get(entries[0].file)
                    .map(|f| f.path.clone())
                    .unwrap_or_default();
                out.push((
                    Diagnostic::warning(
                        Code::C015,
                        format!(
                            "no `{}` source file {}: its {n} {} not in the source",
                            source.locale,
                            source.path_for(rel).display(),
                            if n == 1 { "entry is" } else { "entries are" }
                        ),
                    )
                    .at(crate::diag::Location::file(shown))
                    .help("remove the file, or rename it like its source file if that was moved"),
                    tag(rel),
                ));
            }
        }
        summaries.push(s);
    }
    summaries
}

/// How a translation is judged: the two modes agree on attributes and
/// differ where a talk and an app differ.
enum Rules<'a> {
    /// A talk (`content/` exists): every variable must be in both locales
    /// (a document shows every message, so a missing value is a visible
    /// gap); identical text is judged on any letter; the project's
    /// allowances apply.
    Talk {
        allow_identical: &'a [String],
        allow_source_script: &'a [String],
    },
    /// Any Fluent project, judged as a translator would: a variable the
    /// source does not pass is an error, one it prints but the translation
    /// drops a warning (C011); references the translation writes out
    /// (C012); identical text only when it has a word ("OK" and "A4" stay).
    Coverage,
}

/// One translated entry against its source: attributes, variables,
/// references, untranslated text. The one comparison both modes use.
fn compare(
    source: &LocaleCatalog,
    src: &Entry,
    cat: &LocaleCatalog,
    tr: &Entry,
    rules: &Rules<'_>,
    push: &mut dyn FnMut(Diagnostic),
) {
    let key = src.key();
    let at = cat.location(tr);
    // A term's attributes and variables are its own locale's business:
    // attributes carry that language's grammar (`.gender` in Czech, none
    // in English) for its own selectors, and variables are parameters its
    // own call sites pass (`{ -brand(case: "gen") }`), never the app. Only
    // a message's are the app's to read and to fill.
    let message = src.kind == EntryKind::Message;
    let src_attrs: BTreeSet<&String> = src.attributes.iter().filter(|_| message).collect();
    let tr_attrs: BTreeSet<&String> = tr.attributes.iter().filter(|_| message).collect();
    for a in src_attrs.difference(&tr_attrs) {
        push(
            Diagnostic::error(
                Code::C003,
                format!("attribute `.{a}` is missing in `{}`", cat.locale),
            )
            .at_opt(at.clone())
            .id(key.clone())
            .help(format!(
                "translate the attribute `.{a}` of the source message"
            )),
        );
    }
    for a in tr_attrs.difference(&src_attrs) {
        push(
            Diagnostic::warning(
                Code::C004,
                format!(
                    "attribute `.{a}` does not exist in the source `{}`",
                    source.locale
                ),
            )
            .at_opt(at.clone())
            .id(key.clone())
            .help("remove the attribute, or add it to the source message"),
        );
    }
    match rules {
        Rules::Talk { .. } if message => talk_variables(source, src, cat, tr, &at, push),
        Rules::Talk { .. } => {}
        Rules::Coverage => {
            if message {
                coverage_variables(source, src, cat, tr, &at, push);
            }
            references_written_out(source, src, tr, &at, push);
        }
    }
    let src_value = canonical_value(&src.canonical);
    let tr_value = canonical_value(&tr.canonical);
    let identical = tr.kind == EntryKind::Message
        && src_value == tr_value
        && match rules {
            Rules::Talk {
                allow_identical, ..
            } => src.has_letters && !matches_any(&key, allow_identical),
            // Two locales of one language (en-GB and en-US, pt-PT and
            // pt-BR) share most of their text by right.
            Rules::Coverage => {
                src.words >= 2
                    && !language(&source.locale).eq_ignore_ascii_case(language(&cat.locale))
            }
        };
    if identical {
        push(
            Diagnostic::warning(
                Code::C009,
                format!("identical to the `{}` source: probably untranslated", source.locale),
            )
            .at_opt(at)
            .id(key)
            .help(match rules {
                Rules::Talk { .. } => "translate it, or list the ID under [check] allow_identical in content/project.toml",
                Rules::Coverage => "translate it; a brand name or code that must stay identical is better kept in a term",
            }),
        );
        return;
    }
    let allowed = match rules {
        Rules::Talk {
            allow_source_script,
            ..
        } => matches_any(&key, allow_source_script),
        Rules::Coverage => false,
    };
    if crate::script::leftover_source_script(&source.locale, &cat.locale, tr_value) && !allowed {
        let help = match rules {
            Rules::Talk { .. } => format!(
                "translate the remaining {} text, or list the ID under [check] allow_source_script in content/project.toml if it quotes the original on purpose",
                crate::script::source_text_name(&source.locale)
            ),
            Rules::Coverage => "translate the remaining source-script text".to_string(),
        };
        push(
            Diagnostic::warning(
                Code::C010,
                format!(
                    "contains {}: probably untranslated",
                    crate::script::source_script_name(&source.locale)
                ),
            )
            .at_opt(at)
            .id(key)
            .help(help),
        );
    }
}

/// The language of a locale tag: `en` of `en-GB`, `pt` of `pt_BR`.
fn language(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or(tag)
}

/// A talk's variables: each must be used in both locales, except one the
/// source only selects on (a plural or case form), which a language
/// without that form may drop.
fn talk_variables(
    source: &LocaleCatalog,
    src: &Entry,
    cat: &LocaleCatalog,
    tr: &Entry,
    at: &Option<crate::diag::Location>,
    push: &mut dyn FnMut(Diagnostic),
) {
    for v in src.variables.symmetric_difference(&tr.variables) {
        if !src.printed_variables.contains(v) && !tr.variables.contains(v) {
            continue;
        }
        let (has, lacks) = if src.variables.contains(v) {
            (&source.locale, &cat.locale)
        } else {
            (&cat.locale, &source.locale)
        };
        push(
            Diagnostic::error(Code::C005, format!("`${v}` is used in `{has}` but not in `{lacks}`"))
                .at_opt(at.clone())
                .id(src.key())
                .help("both locales must use the same variables, or the text will show a raw placeholder or miss a value"),
        );
    }
}

/// Variables as a translator sees them: one the source does not provide
/// shows a raw placeholder (error); one the source prints but the
/// translation drops loses information (warning); one the source only
/// selects on may be dropped by a language without that form.
fn coverage_variables(
    source: &LocaleCatalog,
    src: &Entry,
    cat: &LocaleCatalog,
    tr: &Entry,
    at: &Option<crate::diag::Location>,
    push: &mut dyn FnMut(Diagnostic),
) {
    let key = src.key();
    for v in tr.variables.difference(&src.variables) {
        push(
            Diagnostic::error(
                Code::C005,
                format!("`${v}` is used in `{}` but not in `{}`", cat.locale, source.locale),
            )
            .at_opt(at.clone())
            .id(key.clone())
            .help(format!(
                "the app passes only the variables the `{}` source uses; remove `${v}` or fix its name",
                source.locale
            )),
        );
    }
    for v in src.printed_variables.difference(&tr.variables) {
        push(
            Diagnostic::warning(
                Code::C011,
                format!(
                    "`${v}` is printed by the `{}` source but not used in `{}`",
                    source.locale, cat.locale
                ),
            )
            .at_opt(at.clone())
            .id(key.clone())
            .help(format!(
                "show the value with {{ ${v} }} in the translation (a variable used only to choose a plural form may be dropped)"
            )),
        );
    }
}

/// References: a translation that hard-codes what the source takes from
/// a term or message drifts when that changes.
fn references_written_out(
    source: &LocaleCatalog,
    src: &Entry,
    tr: &Entry,
    at: &Option<crate::diag::Location>,
    push: &mut dyn FnMut(Diagnostic),
) {
    let key = src.key();
    let refs = |e: &Entry| -> BTreeSet<String> {
        e.references
            .iter()
            .filter(|r| !r.in_selector)
            .map(|r| r.target.clone())
            .collect()
    };
    let (src_refs, tr_refs) = (refs(src), refs(tr));
    let all_src: BTreeSet<&String> = src.references.iter().map(|r| &r.target).collect();
    for r in src_refs.difference(&tr_refs) {
        let what = reference_kind(r);
        push(
            Diagnostic::warning(
                Code::C012,
                format!(
                    "the `{}` source uses the {what} `{{ {r} }}`, the translation does not",
                    source.locale
                ),
            )
            .at_opt(at.clone())
            .id(key.clone())
            .help(format!(
                "use {{ {r} }} in the translation rather than its text, or than leaving it out; where the language must inflect it, words of its own are right and this warning can stay"
            )),
        );
    }
    for r in tr_refs.difference(&src_refs) {
        if all_src.contains(r) {
            continue;
        }
        let what = reference_kind(r);
        push(
            Diagnostic::warning(
                Code::C012,
                format!(
                    "the translation uses the {what} `{{ {r} }}`, the `{}` source does not",
                    source.locale
                ),
            )
            .at_opt(at.clone())
            .id(key.clone())
            .help(format!(
                "check that {{ {r} }} belongs here; the source text does not use it"
            )),
        );
    }
}

/// What a Fluent reference names: a term (`-name`) or a message.
fn reference_kind(target: &str) -> &'static str {
    if target.starts_with('-') {
        "term"
    } else {
        "message"
    }
}
