//! The document model built from the real proposal (content/ and locales/ of
//! this repository): its structure, and that every line the author wrote in
//! the Japanese seed (tests/fixtures/seed/proposal-ja.md) reaches the
//! Japanese exports unchanged.

use crate::common;

use common::{all_documents, item_text, real_document, real_project};
use talkdoc::document::{Block, Document, Inline, List, ListItem, plain_text};
use talkdoc::render::markdown::to_markdown;
use talkdoc::render::text::to_text;

// ---------------------------------------------------------------------------
// The seed: the author's proposal as Markdown.

/// What the seed file holds, section by section.
struct Seed {
    /// Title candidates in order; `true` for the bold (chosen) one.
    titles: Vec<(String, bool)>,
    /// The abstract drafts (separated by `---`), each a list of paragraphs.
    drafts: Vec<Vec<String>>,
    /// Outline bullets as (depth, text), wiki-links as written.
    outline: Vec<(usize, String)>,
    takeaways: Vec<String>,
    /// Related material as (link text with `\|` unescaped, URL).
    related: Vec<(String, String)>,
}

fn seed() -> Seed {
    let path = common::fixture_path("seed/proposal-ja.md");
    let text = std::fs::read_to_string(&path).expect("read the seed");
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            sections.push((h.to_string(), Vec::new()));
        } else if let Some((_, lines)) = sections.last_mut() {
            let t = line.trim();
            // One-line HTML comments are editor's notes, not the author's text.
            if !(t.starts_with("<!--") && t.ends_with("-->")) {
                lines.push(line.to_string());
            }
        }
    }
    let section = |prefix: &str| -> Vec<String> {
        sections
            .iter()
            .find(|(h, _)| h.starts_with(prefix))
            .unwrap_or_else(|| panic!("the seed has no section `{prefix}`"))
            .1
            .clone()
    };
    let bullets = |lines: Vec<String>| -> Vec<(usize, String)> {
        lines
            .iter()
            .filter_map(|l| {
                let text = l.trim_start_matches(' ');
                let indent = l.len() - text.len();
                text.strip_prefix("- ").map(|t| {
                    assert_eq!(indent % 2, 0, "odd indentation in the seed: {l:?}");
                    (indent / 2, t.to_string())
                })
            })
            .collect()
    };

    let titles = bullets(section("講演タイトル"))
        .into_iter()
        .map(
            |(_, t)| match t.strip_prefix("**").and_then(|t| t.strip_suffix("**")) {
                Some(bold) => (bold.to_string(), true),
                None => (t, false),
            },
        )
        .collect();

    let mut drafts = vec![Vec::new()];
    for line in section("講演概要") {
        if line.trim() == "---" {
            drafts.push(Vec::new());
        } else if !line.trim().is_empty() {
            drafts.last_mut().expect("a draft").push(line);
        }
    }

    let related = bullets(section("関連資料"))
        .into_iter()
        .map(|(_, t)| {
            let inner = t
                .strip_prefix('[')
                .and_then(|t| t.strip_suffix(')'))
                .unwrap_or_else(|| panic!("not a link: {t}"));
            let (text, url) = inner.rsplit_once("](").expect("link syntax");
            (text.replace("\\|", "|"), url.to_string())
        })
        .collect();

    Seed {
        titles,
        drafts,
        outline: bullets(section("アウトライン")),
        takeaways: bullets(section("持ち帰れること"))
            .into_iter()
            .map(|(_, t)| t)
            .collect(),
        related,
    }
}

/// `[[note]]` as every export shows it: `note`.
fn unwiki(s: &str) -> String {
    s.replace("[[", "").replace("]]", "")
}

#[test]
fn the_seed_parses_into_every_section() {
    // Guards the tests below against a seed parser that finds nothing.
    let s = seed();
    assert_eq!(s.titles.len(), 32);
    assert_eq!(s.titles.iter().filter(|(_, bold)| *bold).count(), 1);
    assert_eq!(s.drafts.len(), 2);
    assert!(s.drafts.iter().all(|d| d.len() == 3), "{:?}", s.drafts);
    assert_eq!(s.outline.len(), 46);
    assert_eq!(s.takeaways.len(), 1);
    assert_eq!(s.related.len(), 3);
}

// ---------------------------------------------------------------------------
// Structure.

fn lists(doc: &Document) -> Vec<&List> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::List(l) => Some(l),
            _ => None,
        })
        .collect()
}

fn find_item<'a>(items: &'a [ListItem], text: &str) -> Option<&'a ListItem> {
    items.iter().find_map(|i| {
        if plain_text(&i.text.inlines) == text {
            Some(i)
        } else {
            find_item(&i.children, text)
        }
    })
}

/// The list as seed-style lines: two spaces per level, `- `, the item text.
fn outline_lines(items: &[ListItem], depth: usize, out: &mut Vec<String>) {
    for i in items {
        out.push(format!("{}- {}", "  ".repeat(depth), item_text(i)));
        outline_lines(&i.children, depth + 1, out);
    }
}

/// The nesting alone: each item's children, recursively.
#[derive(Debug, PartialEq)]
struct Shape(Vec<Shape>);

fn shape(items: &[ListItem]) -> Vec<Shape> {
    items.iter().map(|i| Shape(shape(&i.children))).collect()
}

#[test]
fn every_document_assembles_in_every_locale() {
    let project = real_project();
    assert_eq!(project.content.locales(), ["ja", "en"]);
    let names: Vec<&String> = project.content.documents.keys().collect();
    assert_eq!(
        names,
        ["abstract", "handout", "outline", "takeaways", "titles"]
    );
    let docs = all_documents(&project);
    assert_eq!(docs.len(), 10);
    for doc in &docs {
        assert!(
            doc.title.is_some(),
            "{} ({}) has no title",
            doc.name,
            doc.locale
        );
        assert!(
            !doc.blocks.is_empty(),
            "{} ({}) is empty",
            doc.name,
            doc.locale
        );
        for t in doc.texts() {
            assert!(
                !plain_text(&t.inlines).trim().is_empty(),
                "{} ({}): message {} is empty",
                doc.name,
                doc.locale,
                t.message_id
            );
        }
    }
}

#[test]
fn outline_nesting_matches_the_seed() {
    let project = real_project();
    let ja = real_document(&project, "outline", "ja");
    assert!(matches!(&ja.blocks[0], Block::Heading(t) if plain_text(&t.inlines) == "アウトライン"));
    let ja_lists = lists(&ja);
    assert_eq!(ja_lists.len(), 1, "the outline is one list");
    let items = &ja_lists[0].items;
    assert!(!ja_lists[0].numbered);

    let definition = find_item(items, "テレメトリーの定義").expect("テレメトリーの定義");
    assert!(
        items.iter().any(|i| std::ptr::eq(i, definition)),
        "テレメトリーの定義 is a top-level item"
    );
    let why = &definition.children[0];
    assert_eq!(
        plain_text(&why.text.inlines),
        "なぜテレメトリーという用語を使うのか?"
    );
    let why_children: Vec<String> = why.children.iter().map(item_text).collect();
    assert_eq!(
        why_children,
        [
            "オブザーバビリティでもいいが...?",
            "工学一般に通用する用語を使いたかった。"
        ]
    );
    assert!(why.children.iter().all(|c| c.children.is_empty()));
    assert_eq!(definition.children.len(), 4);
    assert_eq!(items.len(), 10, "top-level outline items");

    // The whole outline, line by line and level by level, is the seed's.
    let mut got = Vec::new();
    outline_lines(items, 0, &mut got);
    let want: Vec<String> = seed()
        .outline
        .iter()
        .map(|(d, t)| format!("{}- {}", "  ".repeat(*d), unwiki(t)))
        .collect();
    assert_eq!(got, want);

    // The translation has exactly the same nesting.
    let en = real_document(&project, "outline", "en");
    let en_lists = lists(&en);
    assert_eq!(en_lists.len(), 1);
    assert_eq!(shape(&en_lists[0].items), shape(items));
    let en_definition = find_item(&en_lists[0].items, "Defining telemetry").expect("en item");
    assert_eq!(en_definition.children[0].children.len(), 2);
}

#[test]
fn abstract_has_three_paragraphs_the_second_draft() {
    let project = real_project();
    let seed = seed();
    for locale in ["ja", "en"] {
        let doc = real_document(&project, "abstract", locale);
        let paragraphs: Vec<String> = doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(t) => plain_text(&t.inlines),
                other => panic!("abstract ({locale}) has a non-paragraph block: {other:?}"),
            })
            .collect();
        assert_eq!(paragraphs.len(), 3, "abstract ({locale})");
        assert!(paragraphs.iter().all(|p| !p.contains('\n')));
        if locale == "ja" {
            assert_eq!(
                paragraphs, seed.drafts[1],
                "the abstract is the revised draft"
            );
        }
    }
}

#[test]
fn titles_document_lists_32_candidates_with_one_chosen() {
    let project = real_project();
    let seed = seed();
    for locale in ["ja", "en"] {
        let doc = real_document(&project, "titles", locale);
        let catalog = project.catalog.locale(locale).expect("locale");
        let ls = lists(&doc);
        assert_eq!(ls.len(), 1);
        let items = &ls[0].items;
        assert_eq!(items.len(), 32, "titles ({locale})");
        assert!(items.iter().all(|i| i.children.is_empty()));
        let marked: Vec<(usize, &ListItem)> = items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.mark.is_some())
            .collect();
        assert_eq!(marked.len(), 1, "exactly one chosen title ({locale})");
        let (index, chosen) = marked[0];
        assert_eq!(index, 7, "the eighth candidate is the chosen one");
        let label = catalog.format("titles-chosen-label", None).expect("label");
        assert_eq!(chosen.mark.as_deref(), Some(label.as_str()));
        // The talk title (PDF metadata, headers) is the chosen candidate.
        let title = talkdoc::build::talk_title(&project, locale).expect("talk title");
        assert_eq!(plain_text(&chosen.text.inlines), title);
        if locale == "ja" {
            let texts: Vec<(String, bool)> = items
                .iter()
                .map(|i| (plain_text(&i.text.inlines), i.mark.is_some()))
                .collect();
            assert_eq!(texts, seed.titles);
        }
    }
}

#[test]
fn handout_is_made_of_the_other_documents() {
    let project = real_project();
    for locale in ["ja", "en"] {
        let handout = real_document(&project, "handout", locale);
        let headings: Vec<String> = handout
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading(t) => Some(plain_text(&t.inlines)),
                _ => None,
            })
            .collect();
        assert_eq!(
            headings.len(),
            4,
            "handout headings ({locale}): {headings:?}"
        );
        let mut expected = Vec::new();
        for part in ["abstract", "outline", "takeaways"] {
            expected.extend(common::body_texts(&real_document(&project, part, locale)));
        }
        let got = common::body_texts(&handout);
        assert_eq!(&got[..expected.len()], &expected[..], "handout ({locale})");
        assert_eq!(got.len(), expected.len() + 3, "plus three related links");
        assert_eq!(common::link_urls(&handout).len(), 3);
    }
}

// ---------------------------------------------------------------------------
// Wiki-links, messages, isolation marks.

fn note_refs(inlines: &[Inline], out: &mut Vec<String>) {
    for i in inlines {
        match i {
            Inline::NoteRef(t) => out.push(t.clone()),
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Link { content: c, .. } => {
                note_refs(c, out)
            }
            Inline::Text(t) | Inline::Code(t) => {
                assert!(
                    !t.contains("[[") && !t.contains("]]"),
                    "wiki syntax left in text {t:?}"
                )
            }
            Inline::LineBreak => {}
        }
    }
}

#[test]
fn wiki_links_become_plain_note_titles() {
    let project = real_project();
    let expected_ja = [
        "DICOMO 2022 招待講演アウトライン",
        "2007__FOSE__Software Reliability Engineering - A Roadmap",
        "2025年度版研究目的",
        "Ironies of Automation",
    ];
    for doc in all_documents(&project) {
        let mut refs = Vec::new();
        for t in doc.texts() {
            note_refs(&t.inlines, &mut refs);
        }
        match (doc.name.as_str(), doc.locale.as_str()) {
            ("outline" | "handout", "ja") => assert_eq!(refs, expected_ja, "{}", doc.name),
            ("outline" | "handout", "en") => assert_eq!(
                refs,
                [
                    "DICOMO 2022 Invited Talk Outline",
                    "Software Reliability Engineering: A Roadmap",
                    "Research Objectives, FY2025 Edition",
                    "Ironies of Automation",
                ],
                "{}",
                doc.name
            ),
            _ => assert!(refs.is_empty(), "{} ({}): {refs:?}", doc.name, doc.locale),
        }
        // A note has no URL: it never becomes a link.
        assert!(
            common::link_urls(&doc)
                .iter()
                .all(|u| u.starts_with("https://"))
        );
        for (format, out) in [("md", to_markdown(&doc)), ("txt", to_text(&doc))] {
            assert!(
                !out.contains("[[") && !out.contains("]]"),
                "{} ({}) {format} keeps wiki-link syntax:\n{out}",
                doc.name,
                doc.locale
            );
        }
        let txt = to_text(&doc);
        for title in &expected_ja {
            if doc.locale == "ja" && refs.iter().any(|r| r == title) {
                assert!(txt.contains(title), "{title} missing from the ja txt");
            }
        }
    }
}

#[test]
fn english_has_every_japanese_message() {
    let project = real_project();
    let ja = project.catalog.locale("ja").expect("ja");
    let en = project.catalog.locale("en").expect("en");
    assert!(ja.entries.len() > 90, "ja has {} entries", ja.entries.len());
    let mut missing = Vec::new();
    for (id, entry) in &ja.entries {
        match en.entry(id) {
            None => missing.push(id.clone()),
            Some(e) => {
                assert_eq!(e.kind, entry.kind, "{id}");
                assert_eq!(e.has_value, entry.has_value, "{id}");
                assert_eq!(e.attributes, entry.attributes, "attributes of {id}");
                assert_eq!(e.variables, entry.variables, "variables used by {id}");
            }
        }
    }
    assert!(missing.is_empty(), "missing in en: {missing:?}");
}

#[test]
fn no_isolation_marks_in_any_output() {
    const MARKS: [char; 2] = ['\u{2068}', '\u{2069}'];
    let project = real_project();
    for doc in all_documents(&project) {
        let outputs = [
            ("md", to_markdown(&doc)),
            ("txt", to_text(&doc)),
            (
                "model",
                doc.visible_strings()
                    .into_iter()
                    .map(|(_, s)| s)
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        ];
        for (what, s) in outputs {
            assert!(
                !s.contains(MARKS),
                "{} ({}) {what} contains an isolation mark",
                doc.name,
                doc.locale
            );
        }
    }
    for catalog in &project.catalog.locales {
        let mut formatted = 0;
        for (id, entry) in &catalog.entries {
            if entry.kind != talkdoc::catalog::EntryKind::Message || !entry.has_value {
                continue;
            }
            let v = catalog
                .format(id, None)
                .unwrap_or_else(|e| panic!("{id} ({}): {e:?}", catalog.locale));
            assert!(!v.contains(MARKS), "{id} ({}) = {v:?}", catalog.locale);
            formatted += 1;
        }
        assert!(formatted > 90);
        let title = talkdoc::build::talk_title(&project, &catalog.locale).expect("title");
        assert!(!title.contains(MARKS));
    }
}

// ---------------------------------------------------------------------------
// Seed fidelity.

/// The lines of the Japanese text exports, each without its indentation and
/// list marker (`- `, `1. `).
fn ja_export_lines(project: &talkdoc::project::Project) -> Vec<String> {
    let mut lines = Vec::new();
    for name in project.content.documents.keys() {
        let txt = to_text(&real_document(project, name, "ja"));
        for line in txt.lines() {
            let t = line.trim_start();
            let t = t.strip_prefix("- ").unwrap_or(t);
            let digits = t.chars().take_while(char::is_ascii_digit).count();
            let t = match t[digits..].strip_prefix(". ") {
                Some(rest) if digits > 0 => rest,
                _ => t,
            };
            lines.push(t.to_string());
        }
    }
    lines
}

#[test]
fn japanese_exports_keep_every_line_of_the_seed() {
    let project = real_project();
    let seed = seed();
    let lines = ja_export_lines(&project);
    let label = project
        .catalog
        .locale("ja")
        .expect("ja")
        .format("titles-chosen-label", None)
        .expect("label");
    let mut expected: Vec<String> = Vec::new();
    for (title, chosen) in &seed.titles {
        expected.push(if *chosen {
            format!("{title} ({label})")
        } else {
            title.clone()
        });
    }
    expected.extend(seed.drafts[1].iter().cloned());
    expected.extend(seed.outline.iter().map(|(_, t)| unwiki(t)));
    expected.extend(seed.takeaways.iter().map(|t| unwiki(t)));
    expected.extend(
        seed.related
            .iter()
            .map(|(text, url)| format!("{text} ({url})")),
    );
    let missing: Vec<&String> = expected.iter().filter(|e| !lines.contains(e)).collect();
    assert!(
        missing.is_empty(),
        "seed lines missing from the Japanese text exports:\n{missing:#?}"
    );
    // Link texts and URLs separately, as the seed writes them.
    let all = lines.join("\n");
    for (text, url) in &seed.related {
        assert!(all.contains(text.as_str()) && all.contains(url.as_str()));
    }
}

#[test]
fn first_abstract_draft_is_kept_in_the_catalog() {
    let project = real_project();
    let seed = seed();
    let ja = project.catalog.locale("ja").expect("ja");
    let draft1: Vec<String> = (1..=3)
        .map(|n| {
            ja.format(&format!("abstract-draft1-p{n}"), None)
                .unwrap_or_else(|e| panic!("abstract-draft1-p{n}: {e:?}"))
        })
        .collect();
    assert_eq!(draft1, seed.drafts[0]);
    // No document uses it, and it is not the submitted abstract.
    for doc in all_documents(&project) {
        assert!(
            doc.texts()
                .iter()
                .all(|t| !t.message_id.starts_with("abstract-draft1")),
            "{} uses the first draft",
            doc.name
        );
    }
    assert_ne!(seed.drafts[0], seed.drafts[1]);
}
