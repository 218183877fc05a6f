//! Typesetting quality (issue 12), measured the way `examples/sweep.rs`
//! measures it: the real handouts laid out at 13 line widths (left and right
//! margins 14–50 mm), every PDF of a real build read back with `pdftotext`
//! in its three modes, and page setups from `[pdf]`.

use std::path::Path;

use talkdoc::document::Document;
use talkdoc::render::pdf::fonts::Font;
use talkdoc::render::pdf::layout::{Item, Laid, Layout, LineRecord};
use talkdoc::render::pdf::linebreak::LineBreaker;
use talkdoc::render::pdf::page::PageSetup;
use talkdoc::render::pdf::stats::{self, Figures};
use talkdoc::render::pdf::write::{Metadata, write_pdf};

use crate::common::*;

const MM: f32 = 72.0 / 25.4;

fn lay_out(font: &Font, doc: &Document, setup: &PageSetup) -> Laid {
    let breaker = LineBreaker::new();
    let layout = Layout {
        font,
        breaker: &breaker,
        record: true,
        memo: &Default::default(),
    };
    let one = layout.document(doc, 0, setup);
    layout.finish(&[(&one, "Talk")])
}

/// `laid` written as a PDF at `path` (the document language `lang`), as
/// `talkdoc build` writes it.
/// A document of one paragraph of plain `text`.
fn one_paragraph(name: &str, locale: &str, text: &str) -> Document {
    use talkdoc::document::{Block, Inline, Text};
    Document {
        name: name.into(),
        locale: locale.into(),
        title: None,
        blocks: vec![Block::Paragraph(Text {
            message_id: "p".into(),
            inlines: vec![Inline::Text(text.into())],
        })],
    }
}

fn write_laid(font: &Font, laid: &Laid, lang: &str, path: &Path) -> std::path::PathBuf {
    let meta = Metadata {
        title: "t",
        subject: "s",
        keywords: &[],
        author: None,
        lang,
    };
    let bytes = write_pdf(font, laid, &meta, &Default::default()).expect("pdf");
    std::fs::write(path, bytes).expect("write");
    path.to_path_buf()
}

fn sweep_setup(step: usize) -> PageSetup {
    let margin = (14 + 3 * step) as f32 * MM;
    PageSetup {
        left: margin,
        right: margin,
        ..PageSetup::default()
    }
}

/// The lines with a given problem, for failure messages.
fn offending(lines: &[LineRecord], pick: fn(&Figures) -> usize) -> Vec<String> {
    (0..lines.len())
        .filter(|&n| pick(&stats::measure_line(lines, n)) > 0)
        .map(|n| format!("{:?} ({:?})", lines[n].text, lines[n].line.end))
        .collect()
}

/// Issue 12's "done when", over the 13-width sweep of the real handouts.
#[test]
fn the_real_handouts_meet_the_typesetting_targets_at_every_width() {
    let project = real_project();
    let font = talkdoc::build::load_font(&project).expect("font");
    for locale in ["ja", "en"] {
        let doc = real_document(&project, "handout", locale);
        let mut total = Figures::default();
        let mut tail_only = 0;
        let mut wide = 0;
        for step in 0..13 {
            let laid = lay_out(&font, &doc, &sweep_setup(step));
            let f = stats::measure(&laid.lines);
            assert_eq!(
                f.kinsoku,
                0,
                "{locale} at {} mm: {:?}",
                14 + 3 * step,
                offending(&laid.lines, |f| f.kinsoku)
            );
            assert_eq!(
                f.heading_hyphens,
                0,
                "{locale}: hyphen in a heading: {:?}",
                offending(&laid.lines, |f| f.heading_hyphens)
            );
            if let Some((lo, _)) = f.wa_ou {
                assert!(lo >= 0.125 - 1e-3, "{locale}: 和欧間 {lo} em");
            }
            assert!(
                f.max_gap < stats::WIDE_GAP,
                "{locale}: kana/kanji gap {} em",
                f.max_gap
            );
            tail_only += f.tail_only;
            wide += f.wide_gaps;
            total = f;
        }
        assert!(total.lines > 20, "{locale}: only {} lines", total.lines);
        assert!(
            wide <= 2,
            "{locale}: {wide} lines with kana/kanji gaps ≥ 0.1 em"
        );
        assert!(tail_only <= 3, "{locale}: {tail_only} tail-only lines");
    }
}

/// A justified Japanese line that is a little too long is squeezed
/// (追い込み) rather than pushed out and the line before letter-spaced:
/// the handout's 「…ワークロードを理解していなければならない。」 keeps its
/// last characters at the width where it used to leave 「らない。」 alone.
#[test]
fn a_slightly_long_japanese_line_is_squeezed_not_pushed_out() {
    let project = real_project();
    let font = talkdoc::build::load_font(&project).expect("font");
    let doc = real_document(&project, "handout", "ja");
    let mut squeezed = 0;
    for step in 0..13 {
        let laid = lay_out(&font, &doc, &sweep_setup(step));
        squeezed += stats::measure(&laid.lines).squeezed;
        let runt = laid.lines.iter().any(|r| r.text == "らない。");
        assert!(!runt, "「らない。」 alone at {} mm", 14 + 3 * step);
    }
    assert!(squeezed > 0, "no line was squeezed over the whole sweep");
}

fn japanese(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}' | '\u{3001}' | '\u{3002}')
}

/// Letters, digits and Japanese only: list labels, parentheses, dashes and
/// whitespace differ between the text export and a page by design.
fn letters(s: &str) -> String {
    s.chars()
        .filter(|&c| c.is_alphanumeric() || japanese(c))
        .filter(|c| !matches!(c, '•' | '◦' | '▪'))
        .collect()
}

/// Every PDF of a real build reads back like its text export in
/// `pdftotext`'s default, `-raw` and `-layout` modes: no space inside
/// Japanese that the source does not have, no word split at a line-end
/// hyphen the source does not have, and the same letters in the same order.
#[test]
fn every_pdf_extracts_like_its_text_export_in_all_three_modes() {
    let out = tempfile::tempdir().expect("temp dir");
    talkdoc()
        .current_dir(manifest_dir())
        .args(["build", "-q", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let mut checked = 0;
    for locale in ["ja", "en"] {
        for entry in std::fs::read_dir(out.path().join(locale)).expect("locale folder") {
            let pdf = entry.expect("entry").path();
            if pdf.extension().is_none_or(|e| e != "pdf") {
                continue;
            }
            let txt = std::fs::read_to_string(pdf.with_extension("txt")).expect("txt export");
            check_extraction(&pdf, &txt);
            checked += 1;
        }
    }
    // The bilingual handout against both text exports, in order.
    let both = ["ja", "en"]
        .iter()
        .map(|l| std::fs::read_to_string(out.path().join(l).join("handout.txt")).expect("txt"))
        .collect::<String>();
    check_extraction(&out.path().join("handout.pdf"), &both);
    assert_eq!(checked, 10, "expected 5 documents in 2 locales");
}

fn check_extraction(pdf: &Path, source: &str) {
    for mode in [&[][..], &["-raw"][..], &["-layout"][..]] {
        let text = pdf_body_text(pdf, mode);
        let name = format!("{} {:?}", pdf.display(), mode);
        assert_eq!(
            stats::spurious_spaces(&text, source),
            0,
            "{name}: spaces inside Japanese:\n{text}"
        );
        assert_eq!(
            stats::split_words(&text, source),
            0,
            "{name}: a word split at a hyphen:\n{text}"
        );
        // The title is on the first page and in the export's first line;
        // the running header and page numbers are not in the body text.
        let (got, want) = (letters(&text), letters(source));
        assert_eq!(got, want, "{name}: text differs from the export");
    }
}

/// Glyphs of `laid` that reach outside the text area (beyond `slack`
/// points): none may.
fn outside(laid: &Laid, font: &Font, setup: &PageSetup) -> Vec<String> {
    let mut out = Vec::new();
    for (p, page) in laid.pages.iter().enumerate() {
        assert_eq!(page.size, (setup.width, setup.height));
        for item in &page.items {
            let Item::Glyphs {
                glyphs, size, y, ..
            } = item
            else {
                continue;
            };
            for g in glyphs {
                let right =
                    g.x + f32::from(font.glyph_advance_units(g.gid)) / font.units_per_em() * size;
                // Running header and page number sit in the margins; the
                // blank half of a full-width closing bracket may too.
                let body = *y < setup.height - setup.top && *y > setup.bottom;
                if body
                    && (g.x < setup.left - 0.5
                        || right > setup.width - setup.right + size * 0.5 + 0.5)
                {
                    out.push(format!(
                        "page {p} glyph {} at x {:.1}..{:.1}",
                        g.gid, g.x, right
                    ));
                }
            }
        }
    }
    out
}

/// Letter, A5 and B5 (and a larger type size) set every line of the real
/// handouts inside the text area, with the same typesetting guarantees.
#[test]
fn letter_a5_and_b5_pages_keep_the_text_inside_the_text_area() {
    let project = real_project();
    let font = talkdoc::build::load_font(&project).expect("font");
    let setups = [
        ("Letter", (612.0, 792.0), 0.75 * 72.0, 10.0),
        ("A5", (419.53, 595.28), 15.0 * MM, 9.0),
        ("B5", (515.91, 728.50), 20.0 * MM, 10.5),
    ];
    for (name, (width, height), margin, font_size) in setups {
        let setup = PageSetup {
            width,
            height,
            left: margin,
            right: margin,
            font_size,
            ..PageSetup::default()
        };
        for locale in ["ja", "en"] {
            let doc = real_document(&project, "handout", locale);
            let laid = lay_out(&font, &doc, &setup);
            let bad = outside(&laid, &font, &setup);
            assert!(bad.is_empty(), "{name} {locale}: {bad:?}");
            let f = stats::measure(&laid.lines);
            assert_eq!(f.kinsoku, 0, "{name} {locale}");
            assert_eq!(f.heading_hyphens, 0, "{name} {locale}");
            assert!(
                f.max_gap < stats::WIDE_GAP,
                "{name} {locale}: {} em",
                f.max_gap
            );
            assert!(
                laid.lines
                    .iter()
                    .all(|r| (r.size - font_size).abs() < 1e-3 || r.size > font_size),
                "{name} {locale}: body size"
            );
        }
    }
}

/// `[pdf]` page setup with a per-locale table: each locale's PDFs on its
/// own paper, the bilingual handout switching paper between its parts.
#[test]
fn page_setup_in_project_toml_with_a_locale_override() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("project");
    copy_dir(&manifest_dir().join("content"), &project.join("content"));
    copy_dir(&manifest_dir().join("locales"), &project.join("locales"));
    let toml = project.join("content/project.toml");
    let text = std::fs::read_to_string(&toml).expect("project.toml");
    let text = text.replace(
        "[pdf]\n",
        "[pdf]\npaper = \"Letter\"\nmargin = \"0.75in\"\n",
    ) + "\n[pdf.locale.ja]\npaper = \"B5\"\nfont_size = 9\n\
           margin = { top = \"20mm\", bottom = \"20mm\", left = \"18mm\", right = \"18mm\" }\n";
    std::fs::write(&toml, &text).expect("write");
    let out = dir.path().join("out");
    talkdoc()
        .args(["build", "-q", "--project"])
        .arg(&project)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let size = |pdf: &Path| pdfinfo(pdf).get("Page size").cloned().unwrap_or_default();
    assert!(
        size(&out.join("en/handout.pdf")).starts_with("612 x 792"),
        "{}",
        size(&out.join("en/handout.pdf"))
    );
    assert!(
        size(&out.join("ja/handout.pdf")).starts_with("515.91 x 728.5"),
        "{}",
        size(&out.join("ja/handout.pdf"))
    );
    let pages = run_tool(
        "pdfinfo",
        &[
            "-f".as_ref(),
            "1".as_ref(),
            "-l".as_ref(),
            "99".as_ref(),
            out.join("handout.pdf").as_os_str(),
        ],
    );
    assert!(
        pages.contains("515.91 x 728.5") && pages.contains("612 x 792"),
        "{pages}"
    );
    let ja = std::fs::read_to_string(out.join("ja/handout.txt")).expect("txt");
    check_extraction(&out.join("ja/handout.pdf"), &ja);
}

/// Bad page setup values are reported at their location in
/// content/project.toml, and nothing is built.
#[test]
fn bad_page_setup_values_are_reported_where_they_are() {
    let cases = [
        ("paper = \"B9\"", "unknown paper `B9`"),
        (
            "paper = [\"10cm\", 0]",
            "the paper height must be a positive length",
        ),
        ("margin = \"-3mm\"", "the margin must be a positive length"),
        ("margin = \"2furlong\"", "unknown unit `furlong`"),
        (
            "margin = { top = \"1in\", inside = \"1in\" }",
            "unknown margin `inside`",
        ),
        ("margin = \"100mm\"", "room for 2 characters"),
        ("font_size = 0", "the font size must be a positive length"),
        (
            "line_height = 0.5",
            "`line_height` must be a number from 1 to 4",
        ),
        (
            "[pdf.locale.fr]\npaper = \"A5\"",
            "`[pdf.locale.fr]` names a locale not in `locales`",
        ),
    ];
    for (setting, message) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        let project = dir.path().join("project");
        copy_dir(&manifest_dir().join("content"), &project.join("content"));
        copy_dir(&manifest_dir().join("locales"), &project.join("locales"));
        let toml = project.join("content/project.toml");
        let text = std::fs::read_to_string(&toml).expect("project.toml");
        // A key goes right under [pdf]; a table at the end of the file.
        let (text, at) = if setting.starts_with('[') {
            let at = text.lines().count() + 1;
            (format!("{text}{setting}\n"), at)
        } else {
            let at = text.lines().position(|l| l == "[pdf]").expect("[pdf]") + 2;
            (text.replace("[pdf]\n", &format!("[pdf]\n{setting}\n")), at)
        };
        std::fs::write(&toml, text).expect("write");
        let output = talkdoc()
            .args(["build", "--project"])
            .arg(&project)
            .arg("--out")
            .arg(dir.path().join("out"))
            .output()
            .expect("run");
        let (_, stderr) = output_text(&output);
        assert!(!output.status.success(), "{setting}: built");
        assert!(
            stderr.contains("E0201") && stderr.contains(message),
            "{setting}: {stderr}"
        );
        assert!(
            stderr.contains(&format!("content/project.toml:{at}:")),
            "{setting}: not at line {at}: {stderr}"
        );
        assert!(
            !dir.path().join("out").exists(),
            "{setting}: something was written"
        );
    }
}

/// The real-prose test set (tests/fixtures/prose: 8,000 characters of
/// Rust by Example 日本語版, dense with code, Latin runs and links) over the
/// 13 widths: no kinsoku violation, no gap between Japanese characters
/// above 0.2 em and only a handful above 0.1 em, and no line of a justified
/// paragraph left short (long URLs and code runs such as
/// `Option<Option<Food>>` break at sensible points when nothing else works).
#[test]
fn real_prose_is_set_without_kinsoku_or_letter_spacing_at_every_width() {
    let project = talkdoc::project::Project::load(&fixture_path("prose")).expect("prose project");
    let font = talkdoc::build::load_font(&project).expect("font");
    let doc = real_document(&project, "prose", "ja");
    let chars: usize = body_texts(&doc).iter().map(|t| t.chars().count()).sum();
    assert!(chars > 7000, "the prose set has only {chars} characters");
    let (mut wide, mut short) = (0, Vec::new());
    for step in 0..13 {
        let laid = lay_out(&font, &doc, &sweep_setup(step));
        let f = stats::measure(&laid.lines);
        let at = 14 + 3 * step;
        assert_eq!(
            f.kinsoku,
            0,
            "{at} mm: {:?}",
            offending(&laid.lines, |f| f.kinsoku)
        );
        assert_eq!(
            f.very_wide_gaps,
            0,
            "{at} mm: {:?}",
            offending(&laid.lines, |f| f.very_wide_gaps)
        );
        wide += f.wide_gaps;
        short.extend(offending(&laid.lines, |f| f.unjustified));
    }
    assert!(wide <= 5, "{wide} lines with gaps of 0.1 em or more");
    assert!(short.is_empty(), "lines left short: {short:?}");
}

/// The prose set built with the default page reads back like its text
/// export in all three pdftotext modes.
#[test]
fn real_prose_extracts_like_its_text_export() {
    let out = tempfile::tempdir().expect("temp dir");
    talkdoc()
        .args(["build", "-q", "--project"])
        .arg(fixture_path("prose"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let txt = std::fs::read_to_string(out.path().join("ja/prose.txt")).expect("txt");
    check_extraction(&out.path().join("ja/prose.pdf"), &txt);
}

/// A paragraph the author starts with an ideographic space (the manual
/// Japanese indent) is indented by that one em, not by two; others get the
/// one-em indent of Japanese paragraphs.
#[test]
fn a_leading_ideographic_space_is_the_indent_not_added_to_it() {
    use talkdoc::document::{Block, Inline, Text};
    let project = real_project();
    let font = talkdoc::build::load_font(&project).expect("font");
    let para = |s: &str| {
        Block::Paragraph(Text {
            message_id: "p".into(),
            inlines: vec![Inline::Text(s.into())],
        })
    };
    let doc = Document {
        name: "indent".into(),
        locale: "ja".into(),
        title: None,
        blocks: vec![
            para("\u{3000}字下げは全角空白で。"),
            para("字下げは自動で。"),
        ],
    };
    let setup = PageSetup::default();
    let laid = lay_out(&font, &doc, &setup);
    // The x of the first visible glyph of each paragraph's first line.
    let mut starts = Vec::new();
    for item in &laid.pages[0].items {
        if let Item::Glyphs { glyphs, .. } = item
            && let Some(g) = glyphs.first()
        {
            starts.push(g.x);
        }
    }
    let em = setup.font_size;
    // Two paragraphs, then the page number.
    assert_eq!(starts.len(), 3, "{starts:?}");
    // The ideographic space is a glyph at the margin; the automatic indent
    // puts the first letter one em in.
    assert!((starts[0] - setup.left).abs() < 0.01, "{starts:?}");
    assert!((starts[1] - (setup.left + em)).abs() < 0.01, "{starts:?}");
}

/// An automatically hyphenated English word reads whole in all three
/// pdftotext modes (its parts carry /ActualText), while a real hyphen
/// (`well-known`) stays.
#[test]
fn hyphenated_words_extract_whole_and_real_hyphens_stay() {
    use talkdoc::render::pdf::linebreak::LineEnd;
    let project = real_project();
    let font = talkdoc::build::load_font(&project).expect("font");
    let source = "Observability infrastructure demands extraordinary understanding of \
                  telemetry characteristics and well-known instrumentation techniques.";
    let doc = one_paragraph("hyphens", "en", source);
    let setup = PageSetup {
        left: 255.0,
        right: 255.0,
        ..PageSetup::default()
    };
    let laid = lay_out(&font, &doc, &setup);
    let hyphenated: Vec<String> = laid
        .lines
        .iter()
        .enumerate()
        .filter(|(_, r)| r.line.end == LineEnd::Hyphen)
        .map(|(n, r)| {
            let head = r.text.rsplit(' ').next().unwrap_or_default().to_string();
            let tail = laid.lines[n + 1].text.split(' ').next().unwrap_or_default();
            format!("{head}{tail}")
        })
        .collect();
    assert!(
        !hyphenated.is_empty(),
        "nothing was hyphenated: {:?}",
        laid.lines.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = write_laid(&font, &laid, "en", &dir.path().join("hyphens.pdf"));
    for mode in [&[][..], &["-raw"][..], &["-layout"][..]] {
        let text = pdf_body_text(&pdf, mode);
        let words: Vec<&str> = text.split_whitespace().collect();
        for word in &hyphenated {
            let word = word.trim_end_matches(['.', ',']);
            assert!(
                words.iter().any(|w| w.trim_end_matches(['.', ',']) == word),
                "{mode:?}: {word} not whole in {text:?}"
            );
        }
        assert_eq!(stats::split_words(&text, source), 0, "{mode:?}: {text:?}");
        assert!(
            text.contains("well-"),
            "{mode:?}: the real hyphen is gone: {text:?}"
        );
    }
}

/// ―― is one continuous bar (the font's two-em dash ⸺ over both ems) and
/// still reads ―― in every pdftotext mode.
#[test]
fn a_japanese_double_dash_is_one_bar_and_reads_as_written() {
    let project = real_project();
    let font = talkdoc::build::load_font(&project).expect("font");
    let source = "下人は――と言いかけて、口をつぐんだ。";
    let doc = one_paragraph("dash", "ja", source);
    let laid = lay_out(&font, &doc, &PageSetup::default());
    let (two_em, _) = font.glyph('\u{2E3A}').expect("the font has ⸺");
    let (bar, _) = font.glyph('―').expect("the font has ―");
    let glyphs: Vec<u16> = laid.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs { glyphs, .. } => Some(glyphs.iter().map(|g| g.gid)),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(glyphs.iter().filter(|&&g| g == two_em).count(), 1);
    assert_eq!(glyphs.iter().filter(|&&g| g == bar).count(), 0);
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = write_laid(&font, &laid, "ja", &dir.path().join("dash.pdf"));
    for mode in [&[][..], &["-raw"][..], &["-layout"][..]] {
        let text = pdf_body_text(&pdf, mode);
        assert_eq!(squash(&text), source, "{mode:?}");
    }
}

/// An ideographic space after ！ or ？ stays a full em on the page and
/// does not split the paragraph in extraction (pdftotext's default mode
/// took the blank em for a column gap).
#[test]
fn an_ideographic_space_after_an_exclamation_mark_keeps_the_paragraph_whole() {
    let project = real_project();
    let font = talkdoc::build::load_font(&project).expect("font");
    let source = "テストは不可欠です！\u{3000}Rustはサポートしています？\u{3000}そうです。";
    let doc = one_paragraph("space", "ja", source);
    let laid = lay_out(&font, &doc, &PageSetup::default());
    let line = &laid.lines[0].line;
    let at = |c: char| line.chars.iter().position(|p| p.ch == c).expect("char");
    let (bang, space) = (at('！'), at('\u{3000}'));
    let em = PageSetup::default().font_size;
    assert!((line.chars[space + 1].x - line.chars[space].x - em).abs() < 0.01);
    assert!((line.chars[space].x - line.chars[bang].x - em).abs() < 0.01);
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = write_laid(&font, &laid, "ja", &dir.path().join("space.pdf"));
    for mode in [&[][..], &["-raw"][..], &["-layout"][..]] {
        let text = pdf_body_text(&pdf, mode);
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "{mode:?}: {text:?}");
        assert_eq!(squash(&text), squash(source), "{mode:?}");
    }
}

/// An address broken over lines (a long URL does not fit one) is never
/// split across pages when the page can give its first part to the next:
/// over the 13-width sweep of the real handouts, every page-by-page
/// extraction holds each printed address whole on one page.
#[test]
fn a_long_address_broken_over_lines_stays_on_one_page() {
    let project = real_project();
    let font = talkdoc::build::load_font(&project).expect("font");
    let dir = tempfile::tempdir().expect("temp dir");
    for locale in ["ja", "en"] {
        let doc = real_document(&project, "handout", locale);
        let urls: Vec<String> = link_urls(&doc)
            .into_iter()
            .filter(|u| u.starts_with("http"))
            .collect();
        assert!(!urls.is_empty(), "{locale}: the handout links somewhere");
        for step in 0..13 {
            let laid = lay_out(&font, &doc, &sweep_setup(step));
            let pdf = write_laid(&font, &laid, locale, &dir.path().join("a.pdf"));
            // Hyphens left out on both sides: pdftotext joins a line that
            // ends in one with the next and drops it ("wQIKKO0t-⏎ec").
            let bare = |s: &str| squash(s).replace('-', "");
            let pages: Vec<String> = (1..=laid.pages.len())
                .map(|p| {
                    let p = p.to_string();
                    bare(&run_tool(
                        "pdftotext",
                        &[
                            "-f".as_ref(),
                            p.as_ref(),
                            "-l".as_ref(),
                            p.as_ref(),
                            pdf.as_os_str(),
                            "-".as_ref(),
                        ],
                    ))
                })
                .collect();
            for url in &urls {
                assert!(
                    pages.iter().any(|t| t.contains(&bare(url))),
                    "{locale} at {} mm: {url} is split across pages",
                    14 + 3 * step
                );
            }
        }
    }
}
