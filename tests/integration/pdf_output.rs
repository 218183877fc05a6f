//! The PDFs built from the real proposal, read with poppler-utils
//! (pdftotext, pdffonts, pdfinfo) the way a reader's tools see them: all the
//! text is there, the font is embedded and subset, metadata and `/Lang` are
//! set, links point at the related material, the bilingual handout has the
//! Japanese pages then the English ones with bookmarks, and two builds are
//! byte-identical.
//!
//! poppler-utils must be installed: a missing tool fails the test (CI
//! installs them), it does not skip it.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
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
        talkdoc::build::talk_title(&self.project, locale).expect("talk title")
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

// ---------------------------------------------------------------------------
// The PDF engine: text extraction, kerning, ligatures, font objects, qpdf.

/// Runs qpdf; a missing qpdf fails the test (it never skips).
fn qpdf(args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new("qpdf")
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `qpdf` ({e}). The PDF tests need qpdf on PATH to check \
                 and decompress PDFs: install it, e.g. `apt-get install qpdf`"
            )
        })
}

/// The PDF rewritten by qpdf with every stream decompressed (QDF mode), so
/// content streams and the ToUnicode map can be read as text.
fn uncompressed(pdf: &Path) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("qdf.pdf");
    let result = qpdf(&[
        "--qdf".as_ref(),
        "--object-streams=disable".as_ref(),
        pdf.as_os_str(),
        out.as_os_str(),
    ]);
    assert!(
        result.status.success(),
        "qpdf --qdf {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&result.stderr)
    );
    let mut bytes = std::fs::read(&out).expect("read the QDF file");
    // QDF annotates objects with `%% Original object ID: …` comment lines,
    // which the minimal object reader would take for objects: blank them.
    let mut line_start = 0;
    for i in 0..bytes.len() {
        if bytes[i] == b'\n' {
            if bytes[line_start..i].starts_with(b"%%") {
                bytes[line_start..i].fill(b' ');
            }
            line_start = i + 1;
        }
    }
    bytes
}

/// The data of stream object `num` in an uncompressed PDF.
fn stream_data(bytes: &[u8], num: u32) -> Vec<u8> {
    let head = format!("\n{num} 0 obj");
    let at = bytes
        .windows(head.len())
        .position(|w| w == head.as_bytes())
        .unwrap_or_else(|| panic!("no object {num}"));
    let rest = &bytes[at..];
    let start = rest
        .windows(7)
        .position(|w| w == b"stream\n")
        .map(|p| p + 7)
        .unwrap_or_else(|| panic!("object {num} is not a stream"));
    let len = rest[start..]
        .windows(9)
        .position(|w| w == b"endstream")
        .unwrap_or_else(|| panic!("unterminated stream {num}"));
    rest[start..start + len].to_vec()
}

fn reference(v: Option<PdfValue>) -> Option<u32> {
    match v {
        Some(PdfValue::Ref(n)) => Some(n),
        Some(PdfValue::Other(s)) => s.split_whitespace().next()?.parse().ok(),
        _ => None,
    }
}

fn name(v: Option<PdfValue>) -> String {
    match v {
        Some(PdfValue::Name(n)) => n,
        other => panic!("expected a name, got {other:?}"),
    }
}

fn number(v: Option<PdfValue>) -> f64 {
    match v {
        Some(PdfValue::Other(s)) => s
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("not a number: {s}")),
        other => panic!("expected a number, got {other:?}"),
    }
}

/// Every PDF a build writes.
fn all_pdfs(b: &Built) -> Vec<PathBuf> {
    let mut pdfs: Vec<PathBuf> = b
        .documents()
        .iter()
        .map(|d| b.pdf(&format!("{}/{}.pdf", d.locale, d.name)))
        .collect();
    pdfs.push(b.pdf("handout.pdf"));
    pdfs.push(b.pdf("handout-parallel.pdf"));
    pdfs
}

/// The ToUnicode map of the (one) font of a PDF: code → text.
fn to_unicode(qdf: &[u8]) -> BTreeMap<u16, String> {
    let objects = pdf_objects(qdf);
    let type0 = objects
        .values()
        .find(|d| pdf_get(d, "Subtype") == Some(PdfValue::Name("Type0".into())))
        .expect("a Type0 font");
    let cmap = reference(pdf_get(type0, "ToUnicode")).expect("a ToUnicode map");
    let data = String::from_utf8(stream_data(qdf, cmap)).expect("an ASCII CMap");
    let mut map = BTreeMap::new();
    let mut in_bfchar = false;
    let mut in_bfrange = false;
    for line in data.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") {
            in_bfchar = true;
        } else if line == "endbfchar" {
            in_bfchar = false;
        } else if line.ends_with("beginbfrange") {
            in_bfrange = true;
        } else if line == "endbfrange" {
            in_bfrange = false;
        } else if in_bfrange {
            // `<lo> <hi> <first>`: lo..=hi to first, first + 1, …
            let hex: Vec<u16> = line
                .split(['<', '>'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|h| u16::from_str_radix(h, 16).expect("hex"))
                .collect();
            assert_eq!(hex.len(), 3, "bfrange line {line:?}");
            for (i, code) in (hex[0]..=hex[1]).enumerate() {
                map.insert(code, String::from_utf16_lossy(&[hex[2] + i as u16]));
            }
        } else if in_bfchar {
            let hex: Vec<&str> = line
                .split(['<', '>'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            assert_eq!(hex.len(), 2, "bfchar line {line:?}");
            let code = u16::from_str_radix(hex[0], 16).expect("hex code");
            let units: Vec<u16> = (0..hex[1].len() / 4)
                .map(|i| u16::from_str_radix(&hex[1][4 * i..4 * i + 4], 16).expect("hex"))
                .collect();
            map.insert(code, String::from_utf16(&units).expect("UTF-16"));
        }
    }
    assert!(!map.is_empty(), "empty ToUnicode map");
    map
}

/// The `TJ` arrays of every page content stream of an uncompressed PDF.
fn tj_arrays(qdf: &[u8]) -> Vec<String> {
    let objects = pdf_objects(qdf);
    let mut out = Vec::new();
    for page in objects
        .values()
        .filter(|d| pdf_get(d, "Type") == Some(PdfValue::Name("Page".into())))
    {
        let contents = reference(pdf_get(page, "Contents")).expect("page contents");
        let data = String::from_utf8_lossy(&stream_data(qdf, contents)).into_owned();
        let mut rest = data.as_str();
        while let Some(start) = rest.find('[') {
            let Some(len) = rest[start..].find(']') else {
                break;
            };
            let array = &rest[start + 1..start + len];
            let after = rest[start + len + 1..].trim_start();
            if after.starts_with("TJ") {
                out.push(array.to_string());
            }
            rest = &rest[start + len + 1..];
        }
    }
    out
}

/// The two-byte glyph codes in a `TJ` array's hexadecimal strings.
fn tj_codes(array: &str) -> Vec<u16> {
    array
        .split('<')
        .skip(1)
        .filter_map(|s| s.split_once('>'))
        .flat_map(|(hex, _)| {
            let hex: Vec<char> = hex.chars().filter(|c| !c.is_whitespace()).collect();
            hex.chunks(4)
                .map(|c| u16::from_str_radix(&c.iter().collect::<String>(), 16).expect("hex code"))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The numbers in a `TJ` array (positioning adjustments between glyphs).
fn tj_numbers(array: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut rest = array;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('<') {
            rest = r.split_once('>').map_or("", |(_, r)| r);
            continue;
        }
        let end = rest.find(['<', ' ', '\n']).unwrap_or(rest.len());
        if let Ok(n) = rest[..end].parse::<f64>() {
            out.push(n);
        }
        rest = &rest[end.max(1).min(rest.len())..];
    }
    out
}

#[test]
fn english_pdfs_are_kerned() {
    let b = Built::new();
    for doc in b.documents().iter().filter(|d| d.locale == "en") {
        let qdf = uncompressed(&b.pdf(&format!("en/{}.pdf", doc.name)));
        let arrays = tj_arrays(&qdf);
        assert!(!arrays.is_empty(), "{}: no TJ", doc.name);
        // English is set ragged right without letter spacing: every
        // adjustment between glyphs is the font's kerning.
        let kerns: Vec<f64> = arrays.iter().flat_map(|a| tj_numbers(a)).collect();
        assert!(
            kerns.len() >= 5,
            "{}: only {} positioning adjustments in the English PDF (kerning expected)",
            doc.name,
            kerns.len()
        );
        assert!(
            kerns.iter().all(|k| k.abs() < 150.0),
            "{}: an adjustment too large for kerning: {kerns:?}",
            doc.name
        );
    }
    let qdf = uncompressed(&b.pdf("en/handout.pdf"));
    let n: usize = tj_arrays(&qdf).iter().map(|a| tj_numbers(a).len()).sum();
    assert!(n >= 100, "{n} kerning adjustments in the English handout");
}

#[test]
fn ligatures_are_drawn_and_extract_as_letters() {
    let b = Built::new();
    let pdf = b.pdf("en/handout.pdf");
    let qdf = uncompressed(&pdf);
    let map = to_unicode(&qdf);
    let ligatures: Vec<(u16, &String)> = map
        .iter()
        .filter(|(_, t)| t.chars().count() > 1)
        .map(|(&c, t)| (c, t))
        .collect();
    assert!(
        ligatures
            .iter()
            .any(|(_, t)| t.chars().all(|c| c.is_ascii_lowercase())),
        "no letter ligature (fi, fl, …) in the ToUnicode map: {ligatures:?}"
    );
    let drawn: BTreeSet<u16> = tj_arrays(&qdf).iter().flat_map(|a| tj_codes(a)).collect();
    for (code, text) in &ligatures {
        assert!(
            drawn.contains(code),
            "ligature {text:?} (code {code:04X}) is mapped but never drawn"
        );
    }
    // Words drawn with a ligature come out of pdftotext as their letters.
    let text = common::pdftotext(&pdf);
    for word in ["field", "fields", "finer", "flowing"] {
        assert!(
            text.split(|c: char| !c.is_alphanumeric())
                .any(|w| w == word),
            "{word:?} not extracted from the English handout"
        );
    }
}

/// The text of a PDF read back with `pdftotext -raw` (drawing order) over
/// the body area, compared with the plain-text export.
fn pdf_body_raw(pdf: &Path) -> String {
    common::pdf_body_text(pdf, &["-raw"])
}

/// Compares the PDF text with the export (see [`common::same_text`]).
fn assert_same_text(got: &[(char, bool)], want: &[(char, bool)], what: &str) {
    if let Err(e) = common::same_text(got, want) {
        panic!("{what}: the PDF text differs from the .txt export {e}");
    }
}

#[test]
fn pdftotext_of_every_pdf_is_the_text_export() {
    let b = Built::new();
    let txt = |locale: &str, name: &str| -> String {
        std::fs::read_to_string(b.dir.path().join(format!("{locale}/{name}.txt")))
            .expect("the .txt export")
    };
    let mut checked = 0;
    for doc in b.documents() {
        let pdf = b.pdf(&format!("{}/{}.pdf", doc.locale, doc.name));
        let latin = doc.locale == "en";
        let got = common::comparable(&pdf_body_raw(&pdf), true, latin);
        let want = common::comparable(&txt(&doc.locale, &doc.name), false, latin);
        assert!(
            want.len() > 100,
            "{} ({}): short export",
            doc.name,
            doc.locale
        );
        assert_same_text(&got, &want, &format!("{}/{}.pdf", doc.locale, doc.name));
        checked += 1;
    }
    assert_eq!(checked, 10);
    // The bilingual handout: the Japanese handout, then the English one.
    let got = common::comparable(&pdf_body_raw(&b.pdf("handout.pdf")), true, false);
    let mut want = common::comparable(&txt("ja", "handout"), false, false);
    want.extend(common::comparable(&txt("en", "handout"), false, false));
    assert_same_text(&got, &want, "handout.pdf");
}

#[test]
fn the_text_comparison_is_not_vacuous() {
    let want = common::comparable(
        "time-series, engineering\n- item (https://e.x/a)",
        false,
        true,
    );
    let ok = common::comparable(
        "time-\nseries, engi-\nneering\n• item https://e.x/a",
        true,
        true,
    );
    assert_same_text(&ok, &want, "ok");
    for bad in [
        "time-\nseries, engineeing\n• item https://e.x/a",
        "timeseries, engineering\n• item https://e.x/a",
        "time- series, engi-\nneering\n• item https://e.x/a",
        "time-\nseries, engineering\n• item https://e.x/b",
        "time-\nseries,engineering\n• item https://e.x/a",
    ] {
        let got = common::comparable(bad, true, true);
        let r = std::panic::catch_unwind(|| assert_same_text(&got, &want, "bad"));
        assert!(r.is_err(), "{bad:?} passed");
    }
}

/// OS/2 sCapHeight, head unitsPerEm and hhea ascender and descender of an
/// OpenType font, read from its table directory.
fn font_tables(font: &[u8]) -> (i16, u16, i16, i16) {
    let u16_at = |o: usize| u16::from_be_bytes([font[o], font[o + 1]]);
    let u32_at = |o: usize| u32::from_be_bytes([font[o], font[o + 1], font[o + 2], font[o + 3]]);
    let tables = usize::from(u16_at(4));
    let find = |tag: &[u8; 4]| -> usize {
        (0..tables)
            .map(|i| 12 + 16 * i)
            .find(|&r| &font[r..r + 4] == tag)
            .map(|r| u32_at(r + 8) as usize)
            .unwrap_or_else(|| panic!("no {:?} table", std::str::from_utf8(tag)))
    };
    let os2 = find(b"OS/2");
    assert!(u16_at(os2) >= 2, "OS/2 version without sCapHeight");
    let cap = u16_at(os2 + 88) as i16;
    let upm = u16_at(find(b"head") + 18);
    let hhea = find(b"hhea");
    (cap, upm, u16_at(hhea + 4) as i16, u16_at(hhea + 6) as i16)
}

#[test]
fn font_objects_are_consistent_and_from_the_font_tables() {
    let font = talkdoc::render::pdf::fonts::Font::builtin().expect("built-in font");
    let (cap, upm, ascent, descent) = font_tables(font.data().0);
    assert_eq!((cap, upm), (733, 1000), "Noto Sans JP's OS/2 sCapHeight");
    let scaled = |v: i16| (f64::from(v) * 1000.0 / f64::from(upm)).round();
    let b = Built::new();
    let mut tags = std::collections::BTreeSet::new();
    for pdf in all_pdfs(&b) {
        let bytes = std::fs::read(&pdf).expect("read");
        let objects = pdf_objects(&bytes);
        let of_type = |t: &str| -> Vec<&Vec<u8>> {
            objects
                .values()
                .filter(|d| pdf_get(d, "Type") == Some(PdfValue::Name(t.into())))
                .collect()
        };
        let fonts = of_type("Font");
        let type0: Vec<_> = fonts
            .iter()
            .filter(|d| pdf_get(d, "Subtype") == Some(PdfValue::Name("Type0".into())))
            .collect();
        assert_eq!(type0.len(), 1, "{}: one Type0 font", pdf.display());
        let cid_id = match pdf_get(type0[0], "DescendantFonts") {
            Some(PdfValue::Other(s)) => s
                .trim_matches(['[', ']', ' '])
                .split_whitespace()
                .next()
                .and_then(|n| n.parse::<u32>().ok()),
            other => reference(other),
        }
        .expect("DescendantFonts");
        let cid = &objects[&cid_id];
        let descriptor = &objects[&reference(pdf_get(cid, "FontDescriptor")).expect("descriptor")];
        let font_name = name(pdf_get(descriptor, "FontName"));
        let base = name(pdf_get(cid, "BaseFont"));
        assert_eq!(
            base,
            font_name,
            "{}: CIDFont BaseFont ≠ FontName",
            pdf.display()
        );
        let type0_name = name(pdf_get(type0[0], "BaseFont"));
        assert!(
            type0_name == font_name || type0_name == format!("{font_name}-Identity-H"),
            "{}: Type0 BaseFont {type0_name} for FontName {font_name}",
            pdf.display()
        );
        let (tag, rest) = font_name.split_once('+').expect("a subset tag");
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{}: invalid subset tag in {font_name}",
            pdf.display()
        );
        assert_eq!(rest, "NotoSansJP-Regular");
        tags.insert(tag.to_string());
        assert_eq!(number(pdf_get(descriptor, "CapHeight")), scaled(cap));
        assert_eq!(number(pdf_get(descriptor, "Ascent")), scaled(ascent));
        assert_eq!(number(pdf_get(descriptor, "Descent")), scaled(descent));
        assert!(matches!(
            pdf_get(descriptor, "FontFile3"),
            Some(PdfValue::Ref(_)) | Some(PdfValue::Other(_))
        ));
        assert!(matches!(pdf_get(cid, "W"), Some(PdfValue::Other(w)) if w.len() > 4));
    }
    // The tag comes from the subset: different glyph sets, different tags.
    assert!(tags.len() >= 8, "subset tags: {tags:?}");
}

#[test]
fn qpdf_check_is_clean() {
    let b = Built::new();
    for pdf in all_pdfs(&b) {
        let out = qpdf(&["--check".as_ref(), pdf.as_os_str()]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("No syntax or stream encoding errors"),
            "qpdf --check {} (exit {}):\n{stdout}\n{}",
            pdf.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!stdout.contains("WARNING"), "{}: {stdout}", pdf.display());
    }
}

#[test]
fn a_pdf_built_alone_is_byte_identical_to_the_same_pdf_in_a_full_build() {
    // The font subset depends on the PDF's own pages only, not on what else
    // the run renders.
    let all = Built::new();
    for (locale, name) in [("ja", "handout"), ("en", "abstract"), ("ja", "takeaways")] {
        let dir = tempfile::tempdir().expect("temp dir");
        common::talkdoc()
            .arg("--project")
            .arg(common::manifest_dir())
            .args([
                "build",
                "-q",
                "--format",
                "pdf",
                "--locale",
                locale,
                "--document",
                name,
            ])
            .arg("--out")
            .arg(dir.path())
            .assert()
            .success();
        let alone = std::fs::read(dir.path().join(format!("{locale}/{name}.pdf"))).expect("read");
        let within = std::fs::read(all.pdf(&format!("{locale}/{name}.pdf"))).expect("read");
        assert!(
            alone == within,
            "{locale}/{name}.pdf differs when built alone"
        );
    }
}

// ---------------------------------------------------------------------------
// Tagged PDF (issue 13): structure tree, marked content, artifacts,
// languages, annotations. Read with poppler's `pdfinfo` and with lopdf's
// parser (a dependency of the crate) walking the objects and content streams.

/// `pdfinfo -struct-text`: per line, its depth and either an element's
/// role or (for a quoted line) text.
fn struct_text(pdf: &Path) -> Vec<(usize, String, bool)> {
    common::run_tool(
        "pdfinfo",
        &[
            "-struct-text".as_ref(),
            "-enc".as_ref(),
            "UTF-8".as_ref(),
            pdf.as_os_str(),
        ],
    )
    .lines()
    .filter(|l| !l.trim().is_empty())
    .map(|l| {
        let depth = (l.len() - l.trim_start().len()) / 2;
        let t = l.trim();
        match t.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            Some(text) => (depth, text.to_string(), true),
            None => (
                depth,
                t.split_whitespace().next().unwrap_or_default().to_string(),
                false,
            ),
        }
    })
    .collect()
}

/// Counts of each structure role in a `struct_text` listing.
fn role_counts(lines: &[(usize, String, bool)]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    // `Object` lines are a Link's annotations (/OBJR), not elements;
    // `Span`s (language changes) are checked on their own.
    for (_, role, is_text) in lines {
        if !is_text && role != "Object" && role != "Span" {
            *out.entry(role.clone()).or_insert(0) += 1;
        }
    }
    out
}

/// The structure a document should get: H1 (title), H2 (headings), P, L
/// (every list and nested list), LI, Link (one per link in the text).
fn expected_counts(doc: &Document) -> BTreeMap<String, usize> {
    fn items(list: &[talkdoc::document::ListItem], c: &mut BTreeMap<String, usize>) {
        *c.entry("L".into()).or_insert(0) += 1;
        for i in list {
            *c.entry("LI".into()).or_insert(0) += 1;
            if !i.children.is_empty() {
                items(&i.children, c);
            }
        }
    }
    let mut c: BTreeMap<String, usize> = BTreeMap::new();
    if doc.title.is_some() {
        c.insert("H1".into(), 1);
    }
    for b in &doc.blocks {
        match b {
            Block::Heading(_) => *c.entry("H2".into()).or_insert(0) += 1,
            Block::Paragraph(_) => *c.entry("P".into()).or_insert(0) += 1,
            Block::List(l) => items(&l.items, &mut c),
        }
    }
    let links = common::link_urls(doc).len();
    if links > 0 {
        c.insert("Link".into(), links);
    }
    let li = c.get("LI").copied().unwrap_or(0);
    if li > 0 {
        c.insert("Lbl".into(), li);
        c.insert("LBody".into(), li);
    }
    c
}

/// Title, then each heading, paragraph and list item (with its mark) in
/// document order.
fn texts_in_order(doc: &Document) -> Vec<String> {
    fn items(list: &[talkdoc::document::ListItem], out: &mut Vec<String>) {
        for i in list {
            out.push(common::item_text(i));
            items(&i.children, out);
        }
    }
    let mut out: Vec<String> = doc.title.iter().map(|t| plain_text(&t.inlines)).collect();
    for b in &doc.blocks {
        match b {
            Block::Heading(t) | Block::Paragraph(t) => out.push(plain_text(&t.inlines)),
            Block::List(l) => items(&l.items, &mut out),
        }
    }
    out
}

/// Whitespace and hyphens dropped (a hyphen the line breaker added is in
/// the PDF's text, not in the model's).
fn flat(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

/// Asserts that `texts` occur in `read` one after the other (a link's
/// printed URL may come between the pieces of a text).
fn assert_in_order(read: &str, texts: &[String], links: &[String], what: &str) {
    let mut at = 0;
    for t in texts {
        for piece in pieces(t, links) {
            let p = flat(&piece);
            match read[at..].find(&p) {
                Some(i) => at += i + p.len(),
                None => panic!(
                    "{what}: {piece:?} is not in the structure's text after position {at}:\n{}",
                    &read[at..]
                ),
            }
        }
    }
}

#[test]
fn every_pdf_is_tagged_and_its_structure_reads_in_order() {
    let b = Built::new();
    for doc in b.documents() {
        let pdf = b.pdf(&format!("{}/{}.pdf", doc.locale, doc.name));
        assert_eq!(
            common::pdfinfo(&pdf).get("Tagged").map(String::as_str),
            Some("yes"),
            "{}",
            pdf.display()
        );
        let lines = struct_text(&pdf);
        assert_eq!(lines.first().map(|l| l.1.as_str()), Some("Document"));
        let mut want = expected_counts(&doc);
        want.insert("Document".into(), 1);
        assert_eq!(role_counts(&lines), want, "{}", pdf.display());
        let read: String = lines.iter().filter(|l| l.2).map(|l| flat(&l.1)).collect();
        assert_in_order(
            &read,
            &texts_in_order(&doc),
            &link_texts(&doc),
            &pdf.display().to_string(),
        );
    }
    // The bilingual handout: one Part per language under the Document.
    let pdf = b.pdf("handout.pdf");
    assert_eq!(
        common::pdfinfo(&pdf).get("Tagged").map(String::as_str),
        Some("yes")
    );
    let lines = struct_text(&pdf);
    let ja = common::real_document(&b.project, "handout", "ja");
    let en = common::real_document(&b.project, "handout", "en");
    let mut want = expected_counts(&ja);
    for (k, v) in expected_counts(&en) {
        *want.entry(k).or_insert(0) += v;
    }
    want.insert("Document".into(), 1);
    want.insert("Part".into(), 2);
    assert_eq!(role_counts(&lines), want);
    // This handout's shape, as the issue counts it.
    assert_eq!(
        (want["H1"], want["H2"], want["Link"]),
        (2, 8, 6),
        "the real handouts: {want:?}"
    );
    assert!(
        want["P"] >= 6 && want["L"] >= 20 && want["LI"] >= 90,
        "{want:?}"
    );
    let read: String = lines.iter().filter(|l| l.2).map(|l| flat(&l.1)).collect();
    let mut texts = texts_in_order(&ja);
    texts.extend(texts_in_order(&en));
    let mut links = link_texts(&ja);
    links.extend(link_texts(&en));
    assert_in_order(&read, &texts, &links, "handout.pdf");
}

#[test]
fn the_reading_order_check_is_not_vacuous() {
    let read = flat("タイトル 本文の一行目、 二行目。 time- series");
    assert_in_order(
        &read,
        &[
            "タイトル".into(),
            "本文の一行目、二行目。".into(),
            "time-series".into(),
        ],
        &[],
        "ok",
    );
    let r = std::panic::catch_unwind(|| {
        assert_in_order(
            &read,
            &["本文の一行目".into(), "タイトル".into()],
            &[],
            "swapped",
        )
    });
    assert!(r.is_err(), "a swapped order passed");
}

/// A dictionary, through a reference if it is one.
fn dict<'a>(doc: &'a lopdf::Document, o: &'a lopdf::Object) -> &'a lopdf::Dictionary {
    doc.dereference(o)
        .and_then(|(_, o)| o.as_dict())
        .unwrap_or_else(|e| panic!("not a dictionary: {o:?} ({e})"))
}

fn get<'a>(
    doc: &'a lopdf::Document,
    d: &'a lopdf::Dictionary,
    key: &str,
) -> Option<&'a lopdf::Object> {
    d.get(key.as_bytes())
        .ok()
        .map(|o| doc.dereference(o).map(|(_, o)| o).unwrap_or(o))
}

/// A number tree flattened (`/Nums` and `/Kids`).
fn number_tree(
    doc: &lopdf::Document,
    node: &lopdf::Dictionary,
    out: &mut BTreeMap<i64, lopdf::Object>,
) {
    if let Some(lopdf::Object::Array(nums)) = get(doc, node, "Nums") {
        for pair in nums.chunks(2) {
            let k = pair[0].as_i64().expect("a number tree key");
            out.insert(k, pair[1].clone());
        }
    }
    if let Some(lopdf::Object::Array(kids)) = get(doc, node, "Kids") {
        for kid in kids {
            number_tree(doc, dict(doc, kid), out);
        }
    }
}

/// What the structure tree holds, read from the root down: per structure
/// element, its kids' MCIDs on each page and its annotations.
#[derive(Default)]
struct StructIndex {
    /// (page object, MCID) → the element holding it.
    content: BTreeMap<(lopdf::ObjectId, i64), lopdf::ObjectId>,
    /// annotation → the element holding it as an /OBJR.
    objr: BTreeMap<lopdf::ObjectId, lopdf::ObjectId>,
    /// Element → (role, /Lang).
    elements: BTreeMap<lopdf::ObjectId, (String, Option<String>)>,
}

fn struct_index(doc: &lopdf::Document) -> StructIndex {
    let catalog = doc.catalog().expect("catalog");
    let root = dict(
        doc,
        catalog.get(b"StructTreeRoot").expect("a StructTreeRoot"),
    );
    let mut index = StructIndex::default();
    let mut stack: Vec<(lopdf::ObjectId, Option<lopdf::ObjectId>)> = Vec::new();
    let push_kids = |k: &lopdf::Object, page: Option<lopdf::ObjectId>, stack: &mut Vec<_>| match k {
        lopdf::Object::Array(a) => {
            for o in a.iter().rev() {
                if let Ok(id) = o.as_reference() {
                    stack.push((id, page));
                }
            }
        }
        lopdf::Object::Reference(id) => stack.push((*id, page)),
        _ => {}
    };
    push_kids(root.get(b"K").expect("root /K"), None, &mut stack);
    let mut guard = 0;
    while let Some((id, _)) = stack.pop() {
        guard += 1;
        assert!(guard < 100_000, "a cycle in the structure tree");
        let e = doc.get_dictionary(id).expect("a structure element");
        assert_eq!(
            e.get(b"Type").and_then(|t| t.as_name()).ok(),
            Some(b"StructElem".as_slice())
        );
        let role = String::from_utf8_lossy(e.get(b"S").and_then(|s| s.as_name()).expect("/S"))
            .into_owned();
        let lang = get(doc, e, "Lang")
            .and_then(|l| l.as_str().ok())
            .map(|s| String::from_utf8_lossy(s).into_owned());
        index.elements.insert(id, (role, lang));
        let page = e.get(b"Pg").and_then(|p| p.as_reference()).ok();
        let kids: Vec<lopdf::Object> = match get(doc, e, "K") {
            Some(lopdf::Object::Array(a)) => a.clone(),
            Some(o) => vec![o.clone()],
            None => Vec::new(),
        };
        let mut children = Vec::new();
        for kid in &kids {
            match kid {
                lopdf::Object::Integer(mcid) => {
                    let page = page.expect("an MCID kid without /Pg on its element");
                    index.content.insert((page, *mcid), id);
                }
                lopdf::Object::Reference(c) => children.push(*c),
                lopdf::Object::Dictionary(d) => {
                    match d.get(b"Type").and_then(|t| t.as_name()).ok() {
                        Some(b"MCR") => {
                            let pg = d
                                .get(b"Pg")
                                .and_then(|p| p.as_reference())
                                .ok()
                                .or(page)
                                .expect("MCR page");
                            let mcid = d.get(b"MCID").and_then(|m| m.as_i64()).expect("MCR MCID");
                            index.content.insert((pg, mcid), id);
                        }
                        Some(b"OBJR") => {
                            let annot = d
                                .get(b"Obj")
                                .and_then(|o| o.as_reference())
                                .expect("OBJR /Obj");
                            index.objr.insert(annot, id);
                        }
                        other => panic!("unexpected kid {other:?}"),
                    }
                }
                other => panic!("unexpected kid {other:?}"),
            }
        }
        for c in children.into_iter().rev() {
            stack.push((c, page));
        }
    }
    index
}

/// The problems with one page's content: every text-showing operator (and
/// every path painted) must be inside marked content that is an
/// `/Artifact` or has an MCID for which `owner` names a structure element.
fn marked_content_problems(
    ops: &[lopdf::content::Operation],
    owner: &dyn Fn(i64) -> bool,
) -> Vec<String> {
    let mut problems = Vec::new();
    // Per open sequence: (tag, MCID).
    let mut stack: Vec<(Vec<u8>, Option<i64>)> = Vec::new();
    for (n, op) in ops.iter().enumerate() {
        match op.operator.as_str() {
            "BMC" => stack.push((op.operands[0].as_name().unwrap_or_default().to_vec(), None)),
            "BDC" => {
                let tag = op.operands[0].as_name().unwrap_or_default().to_vec();
                let mcid = op
                    .operands
                    .get(1)
                    .and_then(|p| p.as_dict().ok())
                    .and_then(|d| d.get(b"MCID").ok())
                    .and_then(|m| m.as_i64().ok());
                stack.push((tag, mcid));
            }
            "EMC" if stack.pop().is_none() => {
                problems.push(format!("op {n}: EMC without a sequence"));
            }
            "Tj" | "TJ" | "'" | "\"" | "S" | "f" | "F" | "B" | "b" | "Do" | "sh" => {
                let artifact = stack.iter().any(|(t, _)| t == b"Artifact");
                let mcid = stack.iter().rev().find_map(|(_, m)| *m);
                match (artifact, mcid) {
                    (true, _) => {}
                    (false, Some(m)) if owner(m) => {}
                    (false, Some(m)) => problems.push(format!(
                        "op {n} {}: MCID {m} belongs to no structure element",
                        op.operator
                    )),
                    (false, None) => problems.push(format!(
                        "op {n} {}: neither tagged content nor an artifact",
                        op.operator
                    )),
                }
            }
            _ => {}
        }
    }
    if !stack.is_empty() {
        problems.push(format!(
            "{} marked-content sequences left open",
            stack.len()
        ));
    }
    problems
}

#[test]
fn the_marked_content_check_is_not_vacuous() {
    let ops = |s: &str| {
        lopdf::content::Content::decode(s.as_bytes())
            .expect("content")
            .operations
    };
    let yes = |_: i64| true;
    let only_0 = |m: i64| m == 0;
    let good = "/P <</MCID 0>> BDC BT /F1 10 Tf [<0001>] TJ ET EMC /Artifact BMC 0 0 m 1 1 l S EMC";
    assert!(marked_content_problems(&ops(good), &only_0).is_empty());
    for bad in [
        "BT /F1 10 Tf (x) Tj ET",
        "/P <</MCID 0>> BDC EMC BT (x) Tj ET",
        "/Span BMC BT (x) Tj ET EMC",
        "0 0 m 1 1 l S",
        "/P <</MCID 0>> BDC BT (x) Tj ET",
    ] {
        assert!(
            !marked_content_problems(&ops(bad), &yes).is_empty(),
            "{bad} passed"
        );
    }
    assert!(
        !marked_content_problems(&ops("/P <</MCID 3>> BDC BT (x) Tj ET EMC"), &only_0).is_empty()
    );
}

#[test]
fn all_content_is_tagged_or_artifact_and_links_are_tagged_annotations() {
    let b = Built::new();
    for pdf in all_pdfs(&b) {
        let what = pdf.display().to_string();
        let doc = lopdf::Document::load(&pdf).expect("lopdf reads the PDF");
        assert_eq!(doc.version, "1.7", "{what}");
        let catalog = doc.catalog().expect("catalog");
        let marked = get(&doc, catalog, "MarkInfo")
            .map(|m| dict(&doc, m))
            .and_then(|m| m.get(b"Marked").ok())
            .and_then(|m| m.as_bool().ok());
        assert_eq!(marked, Some(true), "{what}: /MarkInfo");
        let root = dict(&doc, catalog.get(b"StructTreeRoot").expect("root"));
        let mut parents = BTreeMap::new();
        number_tree(
            &doc,
            dict(&doc, root.get(b"ParentTree").expect("/ParentTree")),
            &mut parents,
        );
        let next_key = root
            .get(b"ParentTreeNextKey")
            .and_then(|k| k.as_i64())
            .expect("/ParentTreeNextKey");
        assert!(
            parents.keys().all(|&k| k < next_key),
            "{what}: ParentTreeNextKey"
        );
        let index = struct_index(&doc);
        let mut tagged = 0;
        let mut links = 0;
        for (_, page) in doc.get_pages() {
            let page_dict = doc.get_dictionary(page).expect("page");
            let key = page_dict
                .get(b"StructParents")
                .and_then(|k| k.as_i64())
                .expect("/StructParents");
            let in_tree: Vec<Option<lopdf::ObjectId>> = match parents
                .get(&key)
                .map(|o| doc.dereference(o).map(|(_, o)| o))
            {
                Some(Ok(lopdf::Object::Array(a))) => {
                    a.iter().map(|o| o.as_reference().ok()).collect()
                }
                other => panic!("{what}: parent tree entry of page {key}: {other:?}"),
            };
            let content =
                lopdf::content::Content::decode(&doc.get_page_content(page)).expect("content");
            // An MCID's element per the parent tree is the element that holds it in the structure tree.
            let owner = |m: i64| {
                let by_parent = usize::try_from(m)
                    .ok()
                    .and_then(|m| in_tree.get(m).copied().flatten());
                by_parent.is_some() && index.content.get(&(page, m)).copied() == by_parent
            };
            let problems = marked_content_problems(&content.operations, &owner);
            assert!(problems.is_empty(), "{what}, page {key}: {problems:#?}");
            tagged += content
                .operations
                .iter()
                .filter(|o| o.operator == "BDC")
                .count();
            let annots = match get(&doc, page_dict, "Annots") {
                Some(lopdf::Object::Array(a)) => a.clone(),
                _ => Vec::new(),
            };
            if !annots.is_empty() {
                assert_eq!(
                    page_dict.get(b"Tabs").and_then(|t| t.as_name()).ok(),
                    Some(b"S".as_slice()),
                    "{what}: /Tabs"
                );
            }
            for a in annots {
                let id = a.as_reference().expect("annotations are indirect objects");
                let d = doc.get_dictionary(id).expect("annotation");
                let contents = d
                    .get(b"Contents")
                    .and_then(|c| c.as_str())
                    .expect("link annotation without /Contents");
                assert!(!contents.is_empty(), "{what}: empty /Contents");
                let sp = d
                    .get(b"StructParent")
                    .and_then(|s| s.as_i64())
                    .expect("link annotation without /StructParent");
                let elem = parents
                    .get(&sp)
                    .and_then(|o| o.as_reference().ok())
                    .expect("annotation's parent tree entry");
                assert_eq!(
                    index.objr.get(&id),
                    Some(&elem),
                    "{what}: the annotation's element holds it as /OBJR"
                );
                assert_eq!(index.elements[&elem].0, "Link", "{what}");
                links += 1;
            }
        }
        assert!(tagged > 5, "{what}: {tagged} tagged sequences");
        if what.contains("handout") || what.contains("related") {
            assert!(links > 0, "{what}: no links checked");
        }
    }
    // Languages: the catalog has the source locale; in the bilingual
    // handout each part has its own, the English one `en`.
    let pdf = b.pdf("handout.pdf");
    let doc = lopdf::Document::load(&pdf).expect("lopdf");
    let lang = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Lang").ok())
        .and_then(|l| l.as_str().ok())
        .map(<[u8]>::to_vec);
    assert_eq!(lang.as_deref(), Some(b"ja".as_slice()));
    let parts: Vec<Option<String>> = struct_index(&doc)
        .elements
        .values()
        .filter(|(role, _)| role == "Part")
        .map(|(_, lang)| lang.clone())
        .collect();
    assert_eq!(parts.len(), 2);
    assert!(
        parts.contains(&Some("en".into())) && parts.contains(&Some("ja".into())),
        "{parts:?}"
    );
}

#[test]
fn japanese_quoted_in_english_is_a_span_in_japanese() {
    let b = Built::new();
    for (pdf, spans) in [
        ("en/handout.pdf", 2),
        ("handout.pdf", 2),
        ("ja/handout.pdf", 0),
    ] {
        let pdf = b.pdf(pdf);
        let what = pdf.display().to_string();
        let doc = lopdf::Document::load(&pdf).expect("lopdf");
        let langs: Vec<Option<String>> = struct_index(&doc)
            .elements
            .values()
            .filter(|(role, _)| role == "Span")
            .map(|(_, lang)| lang.clone())
            .collect();
        assert_eq!(langs.len(), spans, "{what}: {langs:?}");
        assert!(
            langs.iter().all(|l| l.as_deref() == Some("ja")),
            "{what}: {langs:?}"
        );
        // What a Span holds is Japanese; the English around it is not in one.
        let lines = struct_text(&pdf);
        for (i, (depth, role, is_text)) in lines.iter().enumerate() {
            if *is_text || role != "Span" {
                continue;
            }
            let inside: Vec<&String> = lines[i + 1..]
                .iter()
                .take_while(|l| l.0 > *depth)
                .map(|l| &l.1)
                .collect();
            assert!(!inside.is_empty(), "{what}: an empty Span");
            for t in inside {
                assert!(
                    has_kana(t) && !t.chars().any(|c| c.is_ascii_alphabetic()),
                    "{what}: {t:?} in a Japanese Span"
                );
            }
        }
    }
}

/// The text of `<rdf:li xml:lang="{lang}">…</rdf:li>` inside `dc:title`.
fn xmp_title(xmp: &str, lang: &str) -> Option<String> {
    let title = xmp
        .split("<dc:title>")
        .nth(1)?
        .split("</dc:title>")
        .next()?;
    let open = format!("<rdf:li xml:lang=\"{lang}\">");
    let rest = title.split(open.as_str()).nth(1)?;
    let text = rest.split("</rdf:li>").next()?;
    Some(
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&"),
    )
}

#[test]
fn xmp_metadata_agrees_with_the_info_and_identifies_pdf_ua() {
    let b = Built::new();
    for pdf in all_pdfs(&b) {
        let what = pdf.display().to_string();
        let info = common::pdfinfo(&pdf);
        assert_eq!(
            info.get("Metadata Stream").map(String::as_str),
            Some("yes"),
            "{what}"
        );
        let doc = lopdf::Document::load(&pdf).expect("lopdf");
        let catalog = doc.catalog().expect("catalog");
        let prefs = get(&doc, catalog, "ViewerPreferences").map(|p| dict(&doc, p));
        assert_eq!(
            prefs
                .and_then(|p| p.get(b"DisplayDocTitle").ok())
                .and_then(|d| d.as_bool().ok()),
            Some(true),
            "{what}: DisplayDocTitle"
        );
        let stream = get(&doc, catalog, "Metadata")
            .and_then(|m| m.as_stream().ok())
            .expect("a /Metadata stream");
        assert_eq!(
            stream.dict.get(b"Subtype").and_then(|s| s.as_name()).ok(),
            Some(b"XML".as_slice())
        );
        let xmp = String::from_utf8(
            stream
                .decompressed_content()
                .unwrap_or_else(|_| stream.content.clone()),
        )
        .expect("UTF-8 XMP");
        assert_eq!(
            xmp_title(&xmp, "x-default").as_ref(),
            info.get("Title"),
            "{what}: dc:title"
        );
        assert!(
            xmp.contains("<pdfuaid:part>1</pdfuaid:part>"),
            "{what}: PDF/UA identification"
        );
        let subject = info.get("Subject").expect("Subject");
        assert!(
            xmp.contains(&format!(
                "<rdf:li xml:lang=\"x-default\">{subject}</rdf:li>"
            )),
            "{what}: dc:description"
        );
        assert!(
            xmp.contains(&format!(
                "<pdf:Keywords>{}</pdf:Keywords>",
                info["Keywords"]
            )),
            "{what}"
        );
        assert!(
            xmp.contains(&format!(
                "<pdf:Producer>{}</pdf:Producer>",
                info["Producer"]
            )),
            "{what}"
        );
        // Bookmarks open at their heading: /XYZ with a top on the page.
        for (_, o) in doc.objects.iter() {
            if let Ok(d) = o.as_dict()
                && let Ok(dest) = d.get(b"Dest").and_then(|d| d.as_array())
            {
                assert_eq!(
                    dest.get(1).and_then(|n| n.as_name().ok()),
                    Some(b"XYZ".as_slice()),
                    "{what}"
                );
                let top = dest.get(3).and_then(|t| t.as_float().ok()).expect("a top");
                assert!(top > 0.0 && top <= 842.0, "{what}: top {top}");
            }
        }
    }
    let doc = lopdf::Document::load(b.pdf("handout.pdf")).expect("lopdf");
    let catalog = doc.catalog().expect("catalog");
    let stream = get(&doc, catalog, "Metadata")
        .and_then(|m| m.as_stream().ok())
        .expect("XMP");
    let xmp = String::from_utf8(stream.content.clone()).expect("UTF-8");
    assert_eq!(xmp_title(&xmp, "ja"), Some(b.title("ja")));
    assert_eq!(xmp_title(&xmp, "en"), Some(b.title("en")));
    assert!(xmp.contains(
        "<dc:language><rdf:Bag><rdf:li>ja</rdf:li><rdf:li>en</rdf:li></rdf:Bag></dc:language>"
    ));
}

#[test]
fn the_japanese_handout_stays_small() {
    let b = Built::new();
    let size = std::fs::metadata(b.pdf("ja/handout.pdf"))
        .expect("size")
        .len();
    assert!(size < 100 * 1024, "ja/handout.pdf is {size} bytes");
}

/// The items of the CFF INDEX at `at`, and where it ends.
fn cff_index(cff: &[u8], at: usize) -> (Vec<&[u8]>, usize) {
    let count = usize::from(u16::from_be_bytes([cff[at], cff[at + 1]]));
    if count == 0 {
        return (Vec::new(), at + 2);
    }
    let size = usize::from(cff[at + 2]);
    let offset = |i: usize| {
        cff[at + 3 + i * size..at + 3 + (i + 1) * size]
            .iter()
            .fold(0usize, |v, &b| (v << 8) | usize::from(b))
    };
    let base = at + 3 + (count + 1) * size - 1;
    let items = (0..count)
        .map(|i| &cff[base + offset(i)..base + offset(i + 1)])
        .collect();
    (items, base + offset(count))
}

/// Every PDF's font program is a subset made by talkdoc's own CID-keyed
/// CFF subsetter (`render/pdf/cid_subset.rs`), not the slower fallback:
/// an empty global subroutine INDEX and a CIDCount that is the subset's
/// glyph count, written as a five-byte integer (`subsetter` writes 65535).
/// Each program parses as CFF (ttf-parser) and every glyph in it outlines
/// or is blank; that each outline is the font's own is the unit test
/// `every_glyph_outlines_as_in_the_font`.
#[test]
fn every_font_program_is_cid_subset_and_has_no_subroutines() {
    use rustybuzz::ttf_parser;
    struct Nothing;
    impl ttf_parser::OutlineBuilder for Nothing {
        fn move_to(&mut self, _: f32, _: f32) {}
        fn line_to(&mut self, _: f32, _: f32) {}
        fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {}
        fn close(&mut self) {}
    }
    let b = Built::new();
    for pdf in all_pdfs(&b) {
        let doc = lopdf::Document::load(&pdf).expect("lopdf reads it");
        let programs: Vec<Vec<u8>> = doc
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .filter(|s| {
                s.dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"CIDFontType0C")
            })
            .map(|s| {
                s.decompressed_content()
                    .unwrap_or_else(|_| s.content.clone())
            })
            .collect();
        assert_eq!(programs.len(), 1, "{}: one font program", pdf.display());
        let cff = &programs[0];
        let table = ttf_parser::cff::Table::parse(cff).expect("the program parses as CFF");
        let glyphs = table.number_of_glyphs();
        assert!(glyphs > 1, "{}: glyphs in the subset", pdf.display());
        for gid in 0..glyphs {
            // Blank glyphs (the space) have no outline; none may be broken.
            match table.outline(ttf_parser::GlyphId(gid), &mut Nothing) {
                Ok(_) | Err(ttf_parser::CFFError::ZeroBBox) => {}
                Err(e) => panic!("{}: glyph {gid}: {e:?}", pdf.display()),
            }
        }
        let (_, names_end) = cff_index(cff, usize::from(cff[2]));
        let (tops, top_end) = cff_index(cff, names_end);
        let (_, strings_end) = cff_index(cff, top_end);
        assert_eq!(
            &cff[strings_end..strings_end + 2],
            &[0, 0],
            "{}: global subroutines left",
            pdf.display()
        );
        let mut cid_count = vec![29];
        cid_count.extend_from_slice(&i32::from(glyphs).to_be_bytes());
        cid_count.extend_from_slice(&[12, 34]);
        assert!(
            tops[0].windows(7).any(|w| w == cid_count.as_slice()),
            "{}: CIDCount {glyphs} not written by cid_subset",
            pdf.display()
        );
    }
}
