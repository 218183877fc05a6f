//! The PDFs built from the real proposal, read with poppler-utils
//! (pdftotext, pdffonts, pdfinfo) the way a reader's tools see them: all the
//! text is there, the font is embedded and subset, metadata and `/Lang` are
//! set, links point at the related material, the bilingual handout has the
//! Japanese pages then the English ones with bookmarks, and two builds are
//! byte-identical.
//!
//! poppler-utils must be installed: a missing tool fails the test (CI
//! installs them), it does not skip it.

mod common;

use std::path::{Path, PathBuf};

use common::{Bookmark, PdfText, PdfValue, pdf_bookmarks, pdf_catalog, pdf_get, pdf_objects};
use talkdoc::document::{Block, Document, plain_text};
use talkdoc::project::Project;

/// The real proposal built (all formats) into a fresh temporary folder.
struct Built {
    dir: tempfile::TempDir,
    project: Project,
}

impl Built {
    fn new() -> Built {
        let dir = tempfile::tempdir().expect("temp dir");
        common::talkdoc()
            .arg("--project")
            .arg(common::manifest_dir())
            .args(["build", "-q", "--out"])
            .arg(dir.path())
            .assert()
            .success();
        Built {
            dir,
            project: common::real_project(),
        }
    }

    fn pdf(&self, relative: &str) -> PathBuf {
        let p = self.dir.path().join(relative);
        assert!(p.is_file(), "{relative} was not built");
        p
    }

    fn documents(&self) -> Vec<Document> {
        common::all_documents(&self.project)
    }

    fn title(&self, locale: &str) -> String {
        talkdoc::cli::talk_title(&self.project, locale).expect("talk title")
    }

    fn titles(&self) -> Vec<String> {
        vec![self.title("ja"), self.title("en")]
    }

    /// The text of a PDF without running headers and footers.
    fn text(&self, pdf: &Path) -> String {
        common::pdf_pages(pdf).join("\n")
    }
}

/// Title, headings, paragraphs and list items (with marks) of a document.
fn visible_texts(doc: &Document) -> Vec<String> {
    let mut out: Vec<String> = doc.title.iter().map(|t| plain_text(&t.inlines)).collect();
    for b in &doc.blocks {
        if let Block::Heading(t) = b {
            out.push(plain_text(&t.inlines));
        }
    }
    out.extend(common::body_texts(doc));
    out
}

/// The visible text of every link in `doc`.
fn link_texts(doc: &Document) -> Vec<String> {
    fn walk(inlines: &[talkdoc::document::Inline], out: &mut Vec<String>) {
        for i in inlines {
            if let talkdoc::document::Inline::Link { content, .. } = i {
                out.push(plain_text(content));
            }
        }
    }
    let mut out = Vec::new();
    for t in doc.texts() {
        walk(&t.inlines, &mut out);
    }
    out
}

/// `text` cut after each link text it contains.
fn pieces(text: &str, link_texts: &[String]) -> Vec<String> {
    let mut out = vec![text.to_string()];
    for l in link_texts.iter().filter(|l| !l.is_empty()) {
        out = out
            .into_iter()
            .flat_map(|p| match p.find(l.as_str()) {
                Some(i) if i + l.len() < p.len() => {
                    vec![p[..i + l.len()].to_string(), p[i + l.len()..].to_string()]
                }
                _ => vec![p],
            })
            .collect();
    }
    out
}

#[test]
fn every_pdf_contains_every_paragraph_and_list_item() {
    let b = Built::new();
    for doc in b.documents() {
        let pdf = b.pdf(&format!("{}/{}.pdf", doc.locale, doc.name));
        let text = PdfText::new(&b.text(&pdf));
        let texts = visible_texts(&doc);
        assert!(texts.len() >= 2);
        // A link's URL is printed right after its text (for paper): text
        // that goes on after a link is looked for in pieces.
        let link_texts = link_texts(&doc);
        let missing: Vec<&String> = texts
            .iter()
            .filter(|t| !pieces(t, &link_texts).iter().all(|p| text.contains(p)))
            .collect();
        assert!(
            missing.is_empty(),
            "{} ({}): not in the PDF text:\n{missing:#?}\n--- pdftotext (squashed) ---\n{}",
            doc.name,
            doc.locale,
            text.as_string()
        );
        let raw = common::pdftotext(&pdf);
        assert!(
            !raw.contains(['\u{2068}', '\u{2069}']),
            "isolation marks in {}",
            pdf.display()
        );
    }
}

#[test]
fn the_text_check_is_not_vacuous() {
    let t = PdfText::new("time-\nseries data, eBPF-\nbased and hyphen-\nated\n\u{c}");
    assert!(t.contains("time-series data"));
    assert!(t.contains("eBPF-based"));
    assert!(t.contains("hyphenated"));
    assert!(!t.contains("timeseries-data"));
    assert!(!t.contains("series date"));
    let b = Built::new();
    let text = PdfText::new(&b.text(&b.pdf("ja/abstract.pdf")));
    assert!(!text.contains("存在しない文"));
    // An English paragraph is not in the Japanese PDF.
    let en = common::real_document(&b.project, "abstract", "en");
    assert!(!text.contains(&common::body_texts(&en)[0]));
}

#[test]
fn font_is_embedded_and_subset() {
    let b = Built::new();
    let mut pdfs: Vec<PathBuf> = b
        .documents()
        .iter()
        .map(|d| b.pdf(&format!("{}/{}.pdf", d.locale, d.name)))
        .collect();
    pdfs.push(b.pdf("handout.pdf"));
    for pdf in pdfs {
        let listing = common::run_tool("pdffonts", &[pdf.as_os_str()]);
        let rows: Vec<&str> = listing
            .lines()
            .skip_while(|l| !l.starts_with("---"))
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(!rows.is_empty(), "{}: no fonts:\n{listing}", pdf.display());
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            // name type… encoding emb sub uni object-number generation
            let n = cols.len();
            assert!(n >= 7, "unexpected pdffonts row {row:?}");
            let (emb, sub, uni) = (cols[n - 5], cols[n - 4], cols[n - 3]);
            assert_eq!(emb, "yes", "{}: font not embedded: {row}", pdf.display());
            assert_eq!(sub, "yes", "{}: font not subset: {row}", pdf.display());
            assert_eq!(uni, "yes", "{}: no ToUnicode map: {row}", pdf.display());
            let name = cols[0];
            let tag = name.split('+').next().unwrap_or_default();
            assert!(
                name.contains('+') && tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
                "subset font name without a six-letter tag: {name}"
            );
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let a = Built::new();
    let b = Built::new();
    let first = common::snapshot(a.dir.path());
    let second = common::snapshot(b.dir.path());
    assert_eq!(common::names(&first), common::names(&second));
    assert!(
        first
            .keys()
            .any(|p| p.extension().is_some_and(|e| e == "pdf"))
    );
    for (path, bytes) in &first {
        assert!(
            second.get(path) == Some(bytes),
            "{} differs between two builds",
            path.display()
        );
    }
}

#[test]
fn metadata_title_and_language() {
    let b = Built::new();
    for doc in b.documents() {
        let pdf = b.pdf(&format!("{}/{}.pdf", doc.locale, doc.name));
        let info = common::pdfinfo(&pdf);
        assert_eq!(
            info.get("Title"),
            Some(&b.title(&doc.locale)),
            "{}",
            pdf.display()
        );
        assert_eq!(
            info.get("Subject").map(String::as_str),
            Some(format!("Talk proposal: {}", doc.name).as_str())
        );
        let bytes = std::fs::read(&pdf).expect("read");
        let objects = pdf_objects(&bytes);
        let lang = pdf_get(pdf_catalog(&objects), "Lang").and_then(|v| v.text());
        assert_eq!(
            lang.as_deref(),
            Some(doc.locale.as_str()),
            "/Lang of {}",
            pdf.display()
        );
    }
    let handout = b.pdf("handout.pdf");
    let info = common::pdfinfo(&handout);
    assert_eq!(
        info.get("Title"),
        Some(&format!("{} / {}", b.title("ja"), b.title("en")))
    );
    let bytes = std::fs::read(&handout).expect("read");
    let objects = pdf_objects(&bytes);
    assert!(matches!(
        pdf_get(pdf_catalog(&objects), "Lang"),
        Some(PdfValue::Str(_))
    ));
}

#[test]
fn links_are_uri_annotations_to_the_related_material() {
    let b = Built::new();
    let url_listing = |pdf: &Path| -> Vec<String> {
        common::run_tool("pdfinfo", &["-url".as_ref(), pdf.as_os_str()])
            .lines()
            .skip(1)
            .filter_map(|l| {
                let cols: Vec<&str> = l.split_whitespace().collect();
                (cols.len() >= 3).then(|| {
                    assert_eq!(
                        cols[1], "Annotation",
                        "a link that is not an annotation: {l}"
                    );
                    cols[2].to_string()
                })
            })
            .collect()
    };
    let related: Vec<String> =
        common::link_urls(&common::real_document(&b.project, "handout", "ja"));
    assert_eq!(related.len(), 3);
    for doc in b.documents() {
        let pdf = b.pdf(&format!("{}/{}.pdf", doc.locale, doc.name));
        let mut got = url_listing(&pdf);
        got.sort();
        got.dedup(); // a link broken over two lines has two areas
        let mut want = common::link_urls(&doc);
        want.sort();
        want.dedup();
        assert_eq!(got, want, "{} ({})", doc.name, doc.locale);
    }
    let mut got = url_listing(&b.pdf("handout.pdf"));
    got.sort();
    got.dedup();
    let mut want = related.clone();
    want.sort();
    assert_eq!(got, want);
    assert!(related.iter().all(|u| u.starts_with("https://")));
}

fn has_kana(s: &str) -> bool {
    s.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c))
}

#[test]
fn handout_has_japanese_pages_then_english_pages_and_bookmarks() {
    let b = Built::new();
    let titles = b.titles();
    let ja = common::pdf_pages(&b.pdf("ja/handout.pdf"));
    let en = common::pdf_pages(&b.pdf("en/handout.pdf"));
    let both = common::pdf_pages(&b.pdf("handout.pdf"));
    assert_eq!(both.len(), ja.len() + en.len(), "page count");
    let pages = common::pdfinfo(&b.pdf("handout.pdf"))
        .get("Pages")
        .and_then(|p| p.parse::<usize>().ok());
    assert_eq!(pages, Some(both.len()));
    let squash_all =
        |pages: &[String]| -> Vec<String> { pages.iter().map(|p| common::squash(p)).collect() };
    assert_eq!(
        squash_all(&both[..ja.len()]),
        squash_all(&ja),
        "the handout starts with the Japanese pages"
    );
    assert_eq!(
        squash_all(&both[ja.len()..]),
        squash_all(&en),
        "then the English pages"
    );
    assert!(common::squash(&both[0]).starts_with(&common::squash(&titles[0])));
    assert!(common::squash(&both[ja.len()]).starts_with(&common::squash(&titles[1])));
    assert!(both[..ja.len()].iter().all(|p| has_kana(p)));
    // The English quotes the original titles of Japanese material on purpose
    // (`original title: …`, see [check] allow_source_script); nothing else.
    let unquoted = |p: &str| -> String {
        let squashed = common::squash(p);
        let mut out = String::new();
        let mut rest = squashed.as_str();
        while let Some(i) = rest.find("originaltitle:") {
            out.push_str(&rest[..i]);
            rest = rest[i..].split_once(')').map_or("", |(_, r)| r);
        }
        out.push_str(rest);
        out
    };
    assert!(
        both[ja.len()..].iter().all(|p| !has_kana(&unquoted(p))),
        "Japanese on an English page"
    );

    // From a part's second page on, the running header is its talk title
    // (outside the body area read above).
    let raw = common::pdftotext(&b.pdf("handout.pdf"));
    let raw_pages: Vec<&str> = raw.split('\u{c}').collect();
    for (n, title) in [(1, &titles[0]), (ja.len() + 1, &titles[1])] {
        if n < ja.len() || (n > ja.len() && n < both.len()) {
            let first = raw_pages[n]
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            assert_eq!(
                common::squash(first),
                common::squash(title),
                "header of page {}",
                n + 1
            );
            assert!(!common::squash(&both[n]).starts_with(&common::squash(title)));
        }
    }

    // Page footers count over the whole file.
    let last = raw
        .split('\u{c}')
        .rfind(|p| !p.trim().is_empty())
        .expect("pages");
    assert!(
        common::squash(last).ends_with(&format!("{}/{}", both.len(), both.len())),
        "footer of the last page"
    );

    // Bookmarks: each language's title, its headings beneath.
    let headings = |locale: &str| -> Vec<Bookmark> {
        common::real_document(&b.project, "handout", locale)
            .blocks
            .iter()
            .filter_map(|bl| match bl {
                Block::Heading(t) => Some(Bookmark {
                    title: plain_text(&t.inlines),
                    children: Vec::new(),
                }),
                _ => None,
            })
            .collect()
    };
    let want = vec![
        Bookmark {
            title: titles[0].clone(),
            children: headings("ja"),
        },
        Bookmark {
            title: titles[1].clone(),
            children: headings("en"),
        },
    ];
    let bytes = std::fs::read(b.pdf("handout.pdf")).expect("read");
    assert_eq!(pdf_bookmarks(&bytes), want);
    assert_eq!(want[0].children.len(), 4);
    assert_eq!(want[1].children[0].title, "Abstract");

    // A single document has its title with its headings beneath.
    let bytes = std::fs::read(b.pdf("en/outline.pdf")).expect("read");
    assert_eq!(
        pdf_bookmarks(&bytes),
        [Bookmark {
            title: titles[1].clone(),
            children: vec![Bookmark {
                title: "Outline".into(),
                children: Vec::new()
            }],
        }]
    );
}
