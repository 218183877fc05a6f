//! Coverage between locales: every source message translated, nothing
//! obsolete, the same attributes and variables, references that resolve,
//! no cycles, no unused messages, nothing left untranslated.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::LocaleSummary;
use crate::catalog::{EntryKind, LocaleCatalog};
use crate::content::{BlockKind, ItemSpec};
use crate::diag::Diagnostic;
use crate::project::Project;

/// Whether `s` contains kana or kanji.
pub fn has_japanese_script(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c,
            '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}' | '\u{FF66}'..='\u{FF9F}' | '\u{20000}'..='\u{2FA1F}')
    })
}

/// Whether `id` matches one of `patterns` (exact, or a prefix ending in `*`).
pub fn matches_any(id: &str, patterns: &[String]) -> bool {
    patterns.iter().any(|p| match p.strip_suffix('*') {
        Some(prefix) => id.starts_with(prefix),
        None => p == id,
    })
}

/// The literal text of a serialised pattern, without `{ … }` placeables: a
/// value that is only a reference is not "untranslated" text.
fn text_outside_placeables(value: &str) -> String {
    let mut depth = 0usize;
    value
        .chars()
        .filter(|&c| {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                _ => return depth == 0,
            }
            false
        })
        .collect()
}

fn is_cjk_locale(locale: &str) -> bool {
    matches!(
        locale.split(['-', '_']).next().unwrap_or(locale),
        "ja" | "zh" | "ko"
    )
}

/// The value part of a canonical entry (`id = value…` → `value…`).
pub fn canonical_value(canonical: &str) -> &str {
    canonical
        .split_once('=')
        .map_or(canonical, |(_, v)| v.trim())
}

pub fn check(project: &Project, out: &mut Vec<Diagnostic>) -> Vec<LocaleSummary> {
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
                    Diagnostic::error("C001", format!("missing in `{}`", cat.locale))
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
            let at = cat.location(tr);
            let src_attrs: BTreeSet<&String> = src.attributes.iter().collect();
            let tr_attrs: BTreeSet<&String> = tr.attributes.iter().collect();
            for a in src_attrs.difference(&tr_attrs) {
                out.push(
                    Diagnostic::error(
                        "C003",
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
                out.push(
                    Diagnostic::warning(
                        "C004",
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
            for v in src.variables.symmetric_difference(&tr.variables) {
                let (has, lacks) = if src.variables.contains(v) {
                    (&source.locale, &cat.locale)
                } else {
                    (&cat.locale, &source.locale)
                };
                out.push(
                    Diagnostic::error("C005", format!("`${v}` is used in `{has}` but not in `{lacks}`"))
                        .at_opt(at.clone())
                        .id(key.clone())
                        .help("both locales must use the same variables, or the text will show a raw placeholder or miss a value"),
                );
            }
            let src_value = canonical_value(&src.canonical);
            let tr_value = canonical_value(&tr.canonical);
            if tr.kind == EntryKind::Message
                && src_value == tr_value
                && text_outside_placeables(src_value)
                    .chars()
                    .any(char::is_alphabetic)
                && !matches_any(key, &cfg.allow_identical)
            {
                out.push(
                    Diagnostic::warning("C009", format!("identical to the `{}` source: probably untranslated", source.locale))
                        .at_opt(at.clone())
                        .id(key.clone())
                        .help("translate it, or list the ID under [check] allow_identical in content/project.toml"),
                );
            } else if !is_cjk_locale(&cat.locale)
                && has_japanese_script(tr_value)
                && !matches_any(key, &cfg.allow_source_script)
            {
                out.push(
                    Diagnostic::warning(
                        "C010",
                        "contains Japanese script (kana/kanji): probably untranslated".to_string(),
                    )
                    .at_opt(at.clone())
                    .id(key.clone())
                    .help("translate the remaining Japanese text, or list the ID under [check] allow_source_script in content/project.toml if it quotes the original on purpose"),
                );
            }
        }
        for (key, tr) in &cat.entries {
            if !source.entries.contains_key(key) {
                if tr.kind == EntryKind::Message {
                    s.obsolete += 1;
                }
                out.push(
                    Diagnostic::warning(
                        "C002",
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
fn references(cat: &LocaleCatalog, out: &mut Vec<Diagnostic>) {
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
                        "C006",
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
                        "C006",
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
fn cycles(cat: &LocaleCatalog, out: &mut Vec<Diagnostic>) {
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
                                    "C007",
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
                Diagnostic::warning("C008", "no document uses this message")
                    .at_opt(source.location(e))
                    .id(key.clone())
                    .help("use it in content/documents/, remove it, or list it under [check] allow_unused in content/project.toml"),
            );
        }
    }
}
