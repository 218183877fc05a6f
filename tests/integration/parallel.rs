//! The handouts for a bilingual room, read back the way a reader meets
//! them: the parallel handout (`dist/handout-parallel.pdf`, Japanese left,
//! English right) with every block level with its counterpart, no block
//! split across pages, each column reading as its locale's text export; QR
//! codes decoded by a real decoder (`zbarimg`) from the pages rendered by
//! `pdftoppm`; bad `[pdf]` settings reported at their place by `build` and
//! `check`.
//!
//! Needs poppler-utils and zbar-tools (CI installs both): a missing tool
//! fails the test, it never skips.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Scratch, link_urls, real_document, real_project};
use talkdoc::document::{Block, Document, Inline, ListItem, plain_text};

/// The real proposal built into a fresh temporary folder.
struct Built {
    dir: tempfile::TempDir,
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
        Built { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        let p = self.dir.path().join(relative);
        assert!(p.is_file(), "{relative} was not built");
        p
    }
}

// ---------------------------------------------------------------------------
// Reading the PDF back.

/// A word as `pdftotext -bbox` reads it: page (0-based), box, text.
#[derive(Debug, Clone)]
struct Word {
    page: usize,
    x_min: f64,
    y_min: f64,
    y_max: f64,
    text: String,
}

fn attr(line: &str, name: &str) -> Option<f64> {
    let at = line.find(&format!("{name}=\""))? + name.len() + 2;
    let end = line[at..].find('"')?;
    line[at..at + end].parse().ok()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Every word of a PDF with its page and box, and the page size.
fn words(pdf: &Path) -> (Vec<Word>, (f64, f64)) {
    let html = common::run_tool(
        "pdftotext",
        &["-bbox".as_ref(), pdf.as_os_str(), "-".as_ref()],
    );
    let mut out = Vec::new();
    let mut page = None;
    let mut size = (0.0, 0.0);
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page = Some(page.map_or(0, |p| p + 1));
            size = (
                attr(line, "width").unwrap_or(0.0),
                attr(line, "height").unwrap_or(0.0),
            );
        } else if line.starts_with("<word ")
            && let (Some(page), Some(x_min), Some(y_min), Some(y_max)) = (
                page,
                attr(line, "xMin"),
                attr(line, "yMin"),
                attr(line, "yMax"),
            )
        {
            let text = line
                .split_once('>')
                .and_then(|(_, rest)| rest.strip_suffix("</word>"))
                .unwrap_or_default();
            out.push(Word {
                page,
                x_min,
                y_min,
                y_max,
                text: unescape(text),
            });
        }
    }
    (out, size)
}

/// The band at the top of a page holding the running header (46 pt from
/// the top edge; the text starts at 68 pt), and at the foot the footer
/// (31 pt from the bottom edge; the text ends at 62 pt).
const HEADER_BAND: f64 = 56.0;
const FOOTER_BAND: f64 = 50.0;

/// A column's text as a stream of characters (whitespace dropped), each
/// with the page and the bottom of the line it is on, in reading order:
/// by page, line, then x. The running header and footer are left out.
fn column_chars(words: &[Word], size: (f64, f64), left: bool) -> Vec<(char, usize, f64)> {
    let (width, height) = size;
    let mut ws: Vec<&Word> = words
        .iter()
        .filter(|w| (w.x_min < width / 2.0) == left)
        .filter(|w| w.y_min > HEADER_BAND && w.y_max < height - FOOTER_BAND)
        .collect();
    ws.sort_by(|a, b| {
        (a.page, (a.y_max * 10.0).round() as i64)
            .cmp(&(b.page, (b.y_max * 10.0).round() as i64))
            .then(a.x_min.total_cmp(&b.x_min))
    });
    ws.iter()
        .flat_map(|w| {
            w.text
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(move |c| (c, w.page, w.y_max))
        })
        .collect()
}

/// Where `text` (whitespace ignored; a line-end hyphen in the PDF may be
/// extra) occurs in `chars` at or after `from`: the index of its first and
/// last character.
fn find(chars: &[(char, usize, f64)], text: &str, from: usize) -> Option<(usize, usize)> {
    let want: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    'start: for start in from..chars.len() {
        let (mut i, mut j) = (start, 0);
        while j < want.len() {
            match chars.get(i) {
                Some(&(c, _, _)) if c == want[j] => {
                    i += 1;
                    j += 1;
                }
                // A hyphen the line breaker added at a line end.
                Some(&('-', _, _)) if j > 0 => i += 1,
                _ => continue 'start,
            }
        }
        return Some((start, i - 1));
    }
    None
}

/// Text as the PDF prints it: a link's address follows its text (paper
/// cannot be clicked).
fn printed(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) | Inline::NoteRef(t) => out.push_str(t),
            Inline::Emphasis(c) | Inline::Strong(c) => out.push_str(&printed(c)),
            Inline::Link { url, content } => {
                out.push_str(&printed(content));
                if plain_text(content) != *url {
                    out.push(' ');
                    out.push_str(url);
                }
            }
            Inline::LineBreak => out.push('\n'),
        }
    }
    out
}

/// The texts of a document's blocks in order, as printed, one per row of
/// the parallel handout: title, headings, paragraphs, list items at any
/// depth.
fn block_texts(doc: &Document) -> Vec<String> {
    fn items(list: &[ListItem], out: &mut Vec<String>) {
        for i in list {
            let mut text = printed(&i.text.inlines);
            if let Some(mark) = &i.mark {
                text.push_str(&format!(" ({mark})"));
            }
            out.push(text);
            items(&i.children, out);
        }
    }
    let mut out = Vec::new();
    if let Some(t) = &doc.title {
        out.push(printed(&t.inlines));
    }
    for b in &doc.blocks {
        match b {
            Block::Heading(t) | Block::Paragraph(t) => out.push(printed(&t.inlines)),
            Block::List(l) => items(&l.items, &mut out),
        }
    }
    out
}

/// The rows of `doc` (see [`block_texts`]) that are its title or a heading.
fn heading_rows(doc: &Document) -> Vec<usize> {
    fn count(list: &[ListItem]) -> usize {
        list.iter().map(|i| 1 + count(&i.children)).sum()
    }
    let mut out = Vec::new();
    let mut row = 0;
    if doc.title.is_some() {
        out.push(0);
        row = 1;
    }
    for b in &doc.blocks {
        match b {
            Block::Heading(_) => {
                out.push(row);
                row += 1;
            }
            Block::Paragraph(_) => row += 1,
            Block::List(l) => row += count(&l.items),
        }
    }
    out
}

/// Per block of `doc`: the page and line bottom of its first character
/// and the page of its last, found in order in a column.
fn locate(chars: &[(char, usize, f64)], doc: &Document) -> Vec<(String, usize, f64, usize)> {
    let mut from = 0;
    let mut out = Vec::new();
    for text in block_texts(doc) {
        let (first, last) = find(chars, &text, from).unwrap_or_else(|| {
            panic!(
                "{}: block {text:?} not found in its column (after character {from})",
                doc.locale
            )
        });
        out.push((text, chars[first].1, chars[first].2, chars[last].1));
        from = last + 1;
    }
    out
}

// ---------------------------------------------------------------------------
// The parallel handout.

#[test]
fn corresponding_blocks_start_on_the_same_baseline_and_no_block_is_split() {
    let b = Built::new();
    let project = real_project();
    let ja = real_document(&project, "handout", "ja");
    let en = real_document(&project, "handout", "en");
    let (words, size) = words(&b.path("handout-parallel.pdf"));
    assert!(size.0 > size.1, "landscape by default: {size:?}");
    let left = locate(&column_chars(&words, size, true), &ja);
    let right = locate(&column_chars(&words, size, false), &en);
    assert_eq!(left.len(), right.len());
    assert!(left.len() > 40, "only {} blocks", left.len());
    let mut pages = BTreeSet::new();
    for (l, r) in left.iter().zip(&right) {
        assert_eq!(
            (l.1, format!("{:.2}", l.2)),
            (r.1, format!("{:.2}", r.2)),
            "first lines not level:\n  ja {l:?}\n  en {r:?}"
        );
        // Every block of the real handout fits on a page: none is split.
        assert_eq!(l.1, l.3, "split across pages: {l:?}");
        assert_eq!(r.1, r.3, "split across pages: {r:?}");
        pages.insert(l.1);
    }
    // A heading is never the last thing on a page.
    let headings = heading_rows(&ja);
    assert_eq!(headings.len(), 5, "title and four headings");
    for h in headings {
        assert_eq!(left[h].1, left[h + 1].1, "{:?} left alone", left[h].0);
    }
    // Not vacuous: the handout runs over several pages, so rows did move
    // to a next page as a whole.
    assert!(pages.len() >= 3, "pages {pages:?}");
}

#[test]
fn the_level_check_is_not_vacuous() {
    // The single-locale handouts set the same blocks at other heights.
    let b = Built::new();
    let project = real_project();
    let ja = real_document(&project, "handout", "ja");
    let en = real_document(&project, "handout", "en");
    let (wj, sj) = words(&b.path("ja/handout.pdf"));
    let (we, se) = words(&b.path("en/handout.pdf"));
    let all = |w: &[Word], s| {
        let mut c = column_chars(w, s, true);
        c.extend(column_chars(w, s, false));
        c.sort_by(|a, b| a.1.cmp(&b.1).then(a.2.total_cmp(&b.2)));
        c
    };
    let left = locate(&all(&wj, sj), &ja);
    let right = locate(&all(&we, se), &en);
    let level = left
        .iter()
        .zip(&right)
        .filter(|(l, r)| l.1 == r.1 && (l.2 - r.2).abs() < 0.01)
        .count();
    assert!(level < left.len() / 2, "{level} of {} level", left.len());
}

/// `pdftotext -raw` of one column's body area (header and footer left out).
fn column_text(pdf: &Path, size: (f64, f64), left: bool) -> String {
    let (w, h) = size;
    let (top, bottom) = (HEADER_BAND, FOOTER_BAND);
    let x = if left { 0.0 } else { (w / 2.0).round() };
    let args: Vec<String> = vec![
        "-raw".into(),
        "-enc".into(),
        "UTF-8".into(),
        "-x".into(),
        x.to_string(),
        "-y".into(),
        top.to_string(),
        "-W".into(),
        (w / 2.0).round().to_string(),
        "-H".into(),
        (h - top - bottom).round().to_string(),
    ];
    let mut argv: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
    argv.push(pdf.as_os_str());
    argv.push("-".as_ref());
    common::run_tool("pdftotext", &argv)
}

#[test]
fn each_column_reads_as_its_locales_text_export() {
    let b = Built::new();
    let pdf = b.path("handout-parallel.pdf");
    let (_, size) = words(&pdf);
    for (left, locale) in [(true, "ja"), (false, "en")] {
        let got = common::comparable(&column_text(&pdf, size, left), true, false);
        let txt = std::fs::read_to_string(b.path(&format!("{locale}/handout.txt"))).unwrap();
        let want = common::comparable(&txt, false, false);
        assert!(want.len() > 1000, "{locale}: short export");
        common::same_text(&got, &want).unwrap_or_else(|e| panic!("{locale} column: {e}"));
    }
    // Not vacuous: the left column is not the English export.
    let got = common::comparable(&column_text(&pdf, size, true), true, false);
    let en = std::fs::read_to_string(b.path("en/handout.txt")).unwrap();
    assert!(common::same_text(&got, &common::comparable(&en, false, false)).is_err());
}

#[test]
fn the_title_and_running_header_show_both_titles_and_the_columns_are_tagged_by_language() {
    let b = Built::new();
    let project = real_project();
    let pdf = b.path("handout-parallel.pdf");
    let titles = [
        talkdoc::build::talk_title(&project, "ja").unwrap(),
        talkdoc::build::talk_title(&project, "en").unwrap(),
    ];
    let (words, (width, height)) = words(&pdf);
    let pages = words.iter().map(|w| w.page).max().unwrap_or(0) + 1;
    assert!(pages >= 3);
    for page in 1..pages {
        for (left, title) in [(true, &titles[0]), (false, &titles[1])] {
            let header: String = words
                .iter()
                .filter(|w| w.page == page && w.y_max < height * 0.1)
                .filter(|w| (w.x_min < width / 2.0) == left)
                .map(|w| w.text.as_str())
                .collect();
            let want = common::squash(title);
            let got = common::squash(&header);
            assert!(
                !got.is_empty() && want.starts_with(got.trim_end_matches('…')),
                "page {}: header {got:?} is not {want:?}",
                page + 1
            );
        }
    }
    // The structure: a Document of two Parts, Japanese then English.
    let doc = lopdf::Document::load(&pdf).expect("parse the PDF");
    let catalog = doc.catalog().expect("catalog");
    let root = doc
        .get_dictionary(
            catalog
                .get(b"StructTreeRoot")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap();
    let kid = |d: &lopdf::Dictionary| -> lopdf::Dictionary {
        let k = d.get(b"K").unwrap();
        let r = match k {
            lopdf::Object::Array(a) => a[0].as_reference().unwrap(),
            o => o.as_reference().unwrap(),
        };
        doc.get_dictionary(r).unwrap().clone()
    };
    let document = kid(root);
    assert_eq!(document.get(b"S").unwrap().as_name().unwrap(), b"Document");
    let parts: Vec<(String, String)> = document
        .get(b"K")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let d = doc.get_dictionary(o.as_reference().unwrap()).unwrap();
            let s = String::from_utf8_lossy(d.get(b"S").unwrap().as_name().unwrap()).into_owned();
            let lang = match d.get(b"Lang").unwrap() {
                lopdf::Object::String(s, _) => String::from_utf8_lossy(s).into_owned(),
                o => panic!("Lang {o:?}"),
            };
            (s, lang)
        })
        .collect();
    assert_eq!(
        parts,
        [("Part".into(), "ja".into()), ("Part".into(), "en".into())]
    );
    // Bookmarks: each column's title with its headings beneath.
    let marks = common::pdf_bookmarks(&std::fs::read(&pdf).unwrap());
    let tops: Vec<&str> = marks.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(tops, [titles[0].as_str(), titles[1].as_str()]);
    let heads =
        |i: usize| -> Vec<String> { marks[i].children.iter().map(|c| c.title.clone()).collect() };
    assert_eq!(heads(0)[0], "講演概要");
    assert_eq!(heads(1)[0], "Abstract");
    assert_eq!(heads(0).len(), heads(1).len());
}

#[test]
fn a_row_taller_than_a_page_goes_on_in_both_columns_together() {
    let s = Scratch::new("small");
    s.append("content/project.toml", "parallel = \"abstract\"\n");
    // One paragraph far longer than a page, in both locales.
    let long_ja = "長い段落です。".repeat(700);
    let long_en = "A long paragraph. ".repeat(500);
    s.append("locales/ja/talk.ftl", &format!("\nlong-one = {long_ja}\n"));
    s.append("locales/en/talk.ftl", &format!("\nlong-one = {long_en}\n"));
    s.replace(
        "content/documents/abstract.toml",
        "type = \"paragraphs\"\nmessages = [",
        "type = \"paragraphs\"\nmessages = [\"long-one\", ",
    );
    s.build_to(&s.out(), &["-q", "--format", "pdf"])
        .assert()
        .success();
    let pdf = s.out().join("abstract-parallel.pdf");
    let (words, size) = words(&pdf);
    let left = column_chars(&words, size, true);
    let right = column_chars(&words, size, false);
    // Both columns start the paragraph on the first page and go on at the
    // top of the next, on the same line there.
    let start = |c: &[(char, usize, f64)], text: &str| {
        let (i, _) = find(c, text, 0).expect("the long paragraph");
        c[i].1
    };
    assert_eq!(start(&left, "長い段落です。長い"), 0);
    assert_eq!(start(&right, "Along paragraph.Along"), 0);
    let top_of = |c: &[(char, usize, f64)], page: usize| {
        c.iter()
            .filter(|x| x.1 == page)
            .map(|x| x.2)
            .fold(f64::INFINITY, f64::min)
    };
    assert!(left.iter().any(|x| x.1 == 1) && right.iter().any(|x| x.1 == 1));
    assert!(
        (top_of(&left, 1) - top_of(&right, 1)).abs() < 0.01,
        "continuations at {} and {}",
        top_of(&left, 1),
        top_of(&right, 1)
    );
    let first_continuation = |c: &[(char, usize, f64)]| c.iter().find(|x| x.1 == 1).map(|x| x.0);
    assert_eq!(
        first_continuation(&left).map(|c| "長い段落です。".contains(c)),
        Some(true)
    );
    assert_eq!(
        first_continuation(&right).map(|c| "A long paragraph.".contains(c)),
        Some(true)
    );
}

/// The parallel handout takes its paper and margins from `[pdf]` page
/// setup (turned to its orientation), like every other PDF.
#[test]
fn the_parallel_handout_follows_the_page_setup() {
    let s = Scratch::new("small");
    s.append(
        "content/project.toml",
        "parallel = \"abstract\"\npaper = \"Letter\"\nmargin = \"20mm\"\n",
    );
    s.build_to(&s.out(), &["-q", "--format", "pdf"])
        .assert()
        .success();
    let pdf = s.out().join("abstract-parallel.pdf");
    // Letter is 612 × 792 pt; the parallel handout is landscape by default.
    let (read, size) = words(&pdf);
    assert_eq!((size.0.round(), size.1.round()), (792.0, 612.0));
    // The left column starts at the 20 mm margin (56.7 pt), not at the
    // default 48 pt.
    let left_edge = read
        .iter()
        .filter(|w| w.x_min < size.0 / 2.0)
        .map(|w| w.x_min)
        .fold(f64::INFINITY, f64::min);
    assert!(
        (left_edge - 20.0 / 25.4 * 72.0).abs() < 0.5,
        "left column starts at {left_edge} pt"
    );
    // Portrait turns the same paper upright.
    s.append(
        "content/project.toml",
        "parallel_orientation = \"portrait\"\n",
    );
    s.build_to(&s.out(), &["-q", "--format", "pdf"])
        .assert()
        .success();
    let (_, size) = words(&pdf);
    assert_eq!((size.0.round(), size.1.round()), (612.0, 792.0));
}

// ---------------------------------------------------------------------------
// QR codes.

/// The QR codes on every page of `pdf`, rendered at 200 dpi and decoded
/// by zbarimg, in page order.
fn decode_codes(pdf: &Path) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let prefix = dir.path().join("page");
    common::run_tool(
        "pdftoppm",
        &[
            "-r".as_ref(),
            "200".as_ref(),
            "-png".as_ref(),
            pdf.as_os_str(),
            prefix.as_os_str(),
        ],
    );
    let mut pngs: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pngs.sort();
    assert!(!pngs.is_empty(), "pdftoppm rendered no page");
    let mut out = Vec::new();
    for png in pngs {
        let o = Command::new("zbarimg")
            .args(["-q", "--raw"])
            .arg(&png)
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run zbarimg ({e}): install zbar-tools (apt-get install zbar-tools)")
            });
        // Exit status 4: no code on the page.
        assert!(
            matches!(o.status.code(), Some(0 | 4)),
            "zbarimg {}: {}",
            png.display(),
            String::from_utf8_lossy(&o.stderr)
        );
        out.extend(
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .map(str::to_string),
        );
    }
    out
}

#[test]
fn each_part_of_the_bilingual_handout_keeps_its_codes_in_its_own_margin() {
    // A right margin too narrow for a code (10 mm against 12 mm) in one
    // locale: that locale's pages lose their codes (as its own handout
    // does, and as `check` warns, Q001); the other part keeps its own.
    for (narrow, kept) in [("en", "ja"), ("ja", "en")] {
        let s = Scratch::real();
        s.replace(
            "content/project.toml",
            "parallel = \"handout\"\n",
            &format!(
                "parallel = \"handout\"\n[pdf.locale.{narrow}]\nmargin = {{ top = \"24mm\", bottom = \"22mm\", left = \"22mm\", right = \"10mm\" }}\n"
            ),
        );
        let out = s.out();
        s.build_to(&out, &["-q", "--document", "handout", "--format", "pdf"])
            .assert()
            .success();
        let own = decode_codes(&out.join(format!("{kept}/handout.pdf")));
        assert!(!own.is_empty(), "{kept}: its handout has codes");
        assert!(decode_codes(&out.join(format!("{narrow}/handout.pdf"))).is_empty());
        assert_eq!(
            decode_codes(&out.join("handout.pdf")),
            own,
            "narrow {narrow}: the bilingual handout has exactly the {kept} codes"
        );
    }
}

fn unique(urls: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    urls.into_iter()
        .filter(|u| seen.insert(u.clone()))
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn every_link_of_the_handouts_has_one_qr_code_that_decodes_to_it() {
    let b = Built::new();
    let project = real_project();
    let ja = unique(link_urls(&real_document(&project, "handout", "ja")));
    let en = unique(link_urls(&real_document(&project, "handout", "en")));
    assert_eq!(ja.len(), 3, "{ja:?}");
    // Side by side, one code per address (the two columns share it).
    let parallel = decode_codes(&b.path("handout-parallel.pdf"));
    assert_eq!(sorted(parallel), sorted(ja.clone()));
    // One locale after the other: each part's links have their codes.
    let combined = decode_codes(&b.path("handout.pdf"));
    assert_eq!(sorted(combined), sorted([ja.clone(), en.clone()].concat()));
    assert_eq!(sorted(decode_codes(&b.path("ja/handout.pdf"))), sorted(ja));
    assert_eq!(sorted(decode_codes(&b.path("en/handout.pdf"))), sorted(en));
    // The address is still printed for those who type.
    let text = common::squash(&common::pdftotext(&b.path("handout-parallel.pdf")));
    assert!(text.contains("https://www.youtube.com/watch?v=wQIKKO0t-ec"));
}

/// The QR codes drawn on the pages of `pdf`: each artifact that fills
/// black cells of a grid (`cell 0 0 -cell x top cm`, then `col row len 1
/// re` per run of dark modules), as the left edge, width and height of its
/// dark area in points.
fn code_sizes(pdf: &Path) -> Vec<(f64, f64, f64)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let qdf = dir.path().join("qdf.pdf");
    let o = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(pdf)
        .arg(&qdf)
        .output()
        .expect("run qpdf");
    assert!(o.status.success());
    let bytes = std::fs::read(&qdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let mut out = Vec::new();
    for block in text.split("/Artifact BMC\nq\n0 0 0 rg\n").skip(1) {
        let Some((body, _)) = block.split_once("f\nQ") else {
            continue;
        };
        let mut lines = body.lines();
        let cm: Vec<f64> = lines
            .next()
            .and_then(|l| l.strip_suffix(" cm"))
            .map(|l| {
                l.split_whitespace()
                    .filter_map(|w| w.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        let [a, 0.0, 0.0, d, e, _] = cm[..] else {
            panic!("not a grid: {body:.80}");
        };
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for line in lines {
            let n: Vec<f64> = line
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            if let [x, y, w, h] = n[..] {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x + w);
                y1 = y1.max(y + h);
            }
        }
        out.push((e + x0 * a, (x1 - x0) * a, (y1 - y0) * d.abs()));
    }
    out
}

#[test]
fn qr_codes_are_vector_squares_of_at_least_12_mm() {
    let b = Built::new();
    for pdf in ["handout-parallel.pdf", "handout.pdf"] {
        let sizes = code_sizes(&b.path(pdf));
        assert!(sizes.len() >= 3, "{pdf}: {sizes:?}");
        for (x, w, h) in sizes {
            let mm = 72.0 / 25.4;
            if pdf == "handout.pdf" {
                // In the right margin (62 pt) of an A4 page, beside the text.
                assert!(x > 595.28 - 62.0 && x + w < 595.28 - 8.0, "{pdf}: x {x}");
            } else {
                // Below its row, centred between the columns.
                assert!((x + w / 2.0 - 841.89 / 2.0).abs() < 1.0, "{pdf}: x {x}");
            }
            assert!(
                w >= 12.0 * mm && (w - h).abs() < 0.01,
                "{pdf}: {w} × {h} pt"
            );
        }
    }
    // No image: the codes are paths.
    let images = common::run_tool(
        "pdfimages",
        &["-list".as_ref(), b.path("handout-parallel.pdf").as_os_str()],
    );
    assert_eq!(images.lines().count(), 2, "{images}");
}

#[test]
fn qr_codes_follow_the_documents_setting() {
    let s = Scratch::new("small");
    // On by default for the handout (named by `combined`), off otherwise.
    s.build_to(&s.out(), &["-q", "--format", "pdf"])
        .assert()
        .success();
    assert_eq!(
        decode_codes(&s.out().join("ja/handout.pdf")),
        ["https://example.com/a?b=1&c=2"]
    );
    assert_eq!(
        decode_codes(&s.out().join("ja/abstract.pdf")),
        Vec::<String>::new()
    );
    // `qr = true` turns them on for a document, `qr = false` off.
    s.append("content/documents/abstract.toml", "\n[pdf]\nqr = true\n");
    s.append("content/documents/handout.toml", "\n[pdf]\nqr = false\n");
    s.build_to(&s.out(), &["-q", "--format", "pdf"])
        .assert()
        .success();
    assert_eq!(
        decode_codes(&s.out().join("ja/abstract.pdf")),
        ["https://example.com/a?b=1&c=2"]
    );
    assert_eq!(
        decode_codes(&s.out().join("ja/handout.pdf")),
        Vec::<String>::new()
    );
    assert_eq!(
        decode_codes(&s.out().join("handout.pdf")),
        Vec::<String>::new()
    );
}

// ---------------------------------------------------------------------------
// Bad settings.

fn run(s: &Scratch, args: &[&str]) -> std::process::Output {
    common::talkdoc()
        .arg("--project")
        .arg(s.project())
        .args(args)
        .output()
        .expect("run talkdoc")
}

/// `build` and `check --format json` on `s`: build fails writing nothing,
/// both name `code` at `at` (file:line:column).
fn assert_refused(s: &Scratch, code: &str, at: &str, message: &str) {
    let b = run(s, &["build", "--out", s.out().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&b.stderr);
    assert_eq!(b.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(code) && stderr.contains(at) && stderr.contains(message),
        "build: {stderr}"
    );
    assert!(common::snapshot(&s.out()).is_empty(), "outputs written");
    let c = run(s, &["check", "--format", "json"]);
    assert_ne!(c.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&c.stdout)
        .unwrap_or_else(|e| panic!("json: {e}: {}", String::from_utf8_lossy(&c.stdout)));
    let found = json["findings"].as_array().unwrap().iter().any(|f| {
        f["code"] == code
            && format!(
                "{}:{}:{}",
                f["file"].as_str().unwrap_or(""),
                f["line"],
                f["column"]
            ) == at
    });
    assert!(found, "check: {json}");
}

#[test]
fn bad_parallel_and_qr_settings_are_errors_at_their_place() {
    let s = Scratch::new("small");
    s.append("content/project.toml", "parallel = \"handot\"\n");
    assert_refused(
        &s,
        "E0210",
        "content/project.toml:13:12",
        "`parallel` names the document `handot`",
    );

    let s = Scratch::new("small");
    s.append(
        "content/project.toml",
        "parallel = \"handout\"\nparallel_locales = [\"ja\", \"fr\"]\n",
    );
    assert_refused(
        &s,
        "E0211",
        "content/project.toml:14:27",
        "`fr` is not one of the project's locales",
    );

    let s = Scratch::new("small");
    s.replace(
        "content/project.toml",
        "locales = [\"ja\", \"en\"]",
        "locales = [\"ja\"]",
    );
    s.append("content/project.toml", "parallel = \"handout\"\n");
    assert_refused(
        &s,
        "E0211",
        "content/project.toml:13:12",
        "needs two locales",
    );

    let s = Scratch::new("small");
    s.append(
        "content/project.toml",
        "parallel = \"handout\"\nparallel_orientation = \"sideways\"\n",
    );
    assert_refused(
        &s,
        "E0201",
        "content/project.toml:14:24",
        "unknown variant `sideways`",
    );

    let s = Scratch::new("small");
    s.append("content/documents/handout.toml", "\n[pdf]\nqr = \"yes\"\n");
    let lines = s.read("content/documents/handout.toml").lines().count();
    assert_refused(
        &s,
        "E0201",
        &format!("content/documents/handout.toml:{lines}:6"),
        "expected a boolean",
    );
}

#[test]
fn watch_rewrites_the_pdfs_when_a_documents_qr_setting_changes() {
    let s = Scratch::new("small");
    let out = s.out();
    let (mut session, _) =
        talkdoc::watch::Session::start(&s.project(), &out, talkdoc::build::Selection::default())
            .expect("first build");
    assert_eq!(decode_codes(&out.join("handout.pdf")).len(), 2);
    s.append("content/documents/handout.toml", "\n[pdf]\nqr = false\n");
    let rebuilt = session.rebuild().expect("rebuild");
    assert!(
        rebuilt.written.iter().any(|p| p.ends_with("handout.pdf")),
        "{:?}",
        rebuilt.written
    );
    assert_eq!(decode_codes(&out.join("handout.pdf")), Vec::<String>::new());
}

#[test]
fn the_pair_and_the_orientation_are_settings() {
    let s = Scratch::new("small");
    s.append(
        "content/project.toml",
        "parallel = \"handout\"\nparallel_locales = [\"en\", \"ja\"]\nparallel_orientation = \"portrait\"\n",
    );
    s.build_to(&s.out(), &["-q", "--format", "pdf"])
        .assert()
        .success();
    let pdf = s.out().join("handout-parallel.pdf");
    let (words, size) = words(&pdf);
    assert!(size.0 < size.1, "portrait: {size:?}");
    // English on the left now, Japanese on the right, blocks level.
    let project = talkdoc::project::Project::load(&s.project()).expect("load");
    let en = real_document(&project, "handout", "en");
    let ja = real_document(&project, "handout", "ja");
    let left = locate(&column_chars(&words, size, true), &en);
    let right = locate(&column_chars(&words, size, false), &ja);
    assert_eq!(left.len(), right.len());
    for (l, r) in left.iter().zip(&right) {
        assert_eq!((l.1, format!("{:.2}", l.2)), (r.1, format!("{:.2}", r.2)));
    }
}

#[test]
fn each_column_keeps_its_locales_typography() {
    // Japanese justified (lines end flush with the column), English ragged
    // right; the Japanese paragraphs' first lines indented by one em.
    let b = Built::new();
    let pdf = b.path("handout-parallel.pdf");
    let html = common::run_tool(
        "pdftotext",
        &[
            "-bbox-layout".as_ref(),
            "-f".as_ref(),
            "1".as_ref(),
            "-l".as_ref(),
            "1".as_ref(),
            pdf.as_os_str(),
            "-".as_ref(),
        ],
    );
    let (_, (width, height)) = words(&pdf);
    // (x_min, x_max) of every body line on page 1, per column.
    let mut cols: [Vec<(f64, f64)>; 2] = [Vec::new(), Vec::new()];
    for line in html
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("<line "))
    {
        let (Some(x0), Some(x1), Some(y0), Some(y1)) = (
            attr(line, "xMin"),
            attr(line, "xMax"),
            attr(line, "yMin"),
            attr(line, "yMax"),
        ) else {
            continue;
        };
        if y0 > HEADER_BAND && y1 < height - FOOTER_BAND {
            cols[usize::from(x0 >= width / 2.0)].push((x0, x1));
        }
    }
    // The column's right edge: where most lines end (a line ending in 、 or
    // 。 set half-width reaches half an em further in pdftotext's boxes,
    // which use the glyph's full advance).
    let flush = |c: &[(f64, f64)]| {
        let mut ends: BTreeMap<i64, usize> = BTreeMap::new();
        for l in c {
            *ends.entry((l.1 * 10.0).round() as i64).or_default() += 1;
        }
        let right = ends
            .iter()
            .max_by_key(|(_, n)| **n)
            .map_or(0.0, |(e, _)| *e as f64 / 10.0);
        c.iter().filter(|l| (l.1 - right).abs() < 0.15).count()
    };
    let left_edge = |c: &[(f64, f64)]| c.iter().map(|l| l.0).fold(f64::MAX, f64::min);
    let indented = |c: &[(f64, f64)]| {
        let edge = left_edge(c);
        c.iter()
            .filter(|l| (l.0 - edge - 10.0).abs() < 0.05)
            .count()
    };
    assert!(flush(&cols[0]) >= 10, "ja: {} flush lines", flush(&cols[0]));
    // English is ragged: few lines reach the column's widest line.
    let at_widest = |c: &[(f64, f64)]| {
        let right = c.iter().map(|l| l.1).fold(f64::MIN, f64::max);
        c.iter().filter(|l| (l.1 - right).abs() < 0.05).count()
    };
    assert!(
        at_widest(&cols[1]) <= 2,
        "en: {} flush lines",
        at_widest(&cols[1])
    );
    assert_eq!(indented(&cols[0]), 3, "ja: the abstract's three paragraphs");
    assert_eq!(indented(&cols[1]), 0);
}
