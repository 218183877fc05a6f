//! PDF writing: laid-out pages → printpdf operations → lopdf post-processing
//! → bytes. Knows nothing about line breaking or page layout.
//!
//! printpdf cannot set everything a good PDF needs, so after it builds the
//! object graph we edit it with lopdf: `/Lang`, a nested outline, borderless
//! links, and a file ID derived from the content instead of random bytes, so
//! two builds of the same input are byte-identical.

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Actions, BorderArray, Codepoint, Color, FontId, LinkAnnotation, Op, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextRenderingMode,
};

use super::fonts::Font;
use super::layout::{Item, Laid, OutlineEntry, PAGE_HEIGHT, PAGE_WIDTH, Rgb};
use crate::diag::{Diagnostic, Error, Result};

/// Document information written into the PDF.
pub struct Metadata<'a> {
    pub title: &'a str,
    pub subject: &'a str,
    pub keywords: &'a [String],
    pub author: Option<&'a str>,
    /// BCP 47 language of the document (`/Lang`).
    pub lang: &'a str,
}

/// The fixed resource name of our one font: printpdf's own IDs come from a
/// process-wide counter and would differ between runs.
const FONT_ID: &str = "F1";

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: c.0,
        g: c.1,
        b: c.2,
        icc_profile: None,
    })
}

/// One `Td` and one `TJ` for a run of positioned characters, as glyph IDs
/// (each carrying its character for ToUnicode, so text extraction works),
/// with kerning numbers that move the pen from where the PDF viewer puts it
/// (after the glyph's `/W` width) to where the layout placed the next glyph.
///
/// Why `Td` and not `Tm`: printpdf rewrites `Tm` + glyph runs itself and
/// decodes every glyph outline to do so, which dominated the build time.
/// Each run has its own `BT`/`ET`, so `Td` from the identity matrix is an
/// absolute position.
fn show_run(font: &Font, chars: &[(char, f32)], y: f32, size: f32) -> Vec<Op> {
    let glyphs: Vec<(u16, char, f32)> = chars
        .iter()
        .filter_map(|&(ch, x)| font.glyph(ch).map(|(gid, _)| (gid, ch, x)))
        .collect();
    let Some(&(_, _, x0)) = glyphs.first() else {
        return Vec::new();
    };
    let mut codepoints: Vec<Codepoint> = Vec::with_capacity(glyphs.len());
    for (i, &(gid, ch, x)) in glyphs.iter().enumerate() {
        // TJ numbers are thousandths of an em and move the pen left.
        let kern = glyphs.get(i + 1).map_or(0.0, |&(_, _, next_x)| {
            let pen = x + font.pdf_width(ch) * size;
            ((pen - next_x) * 1000.0 / size * 1000.0).round() / 1000.0
        });
        let kern = if kern.abs() < 0.001 { 0.0 } else { kern };
        codepoints.push(Codepoint::with_cid(gid, kern, ch.to_string()));
    }
    vec![
        Op::SetTextCursor {
            pos: Point {
                x: Pt(x0),
                y: Pt(y),
            },
        },
        Op::ShowText {
            items: vec![TextItem::GlyphIds(codepoints)],
        },
    ]
}

fn ops_for(font: &Font, items: &[Item]) -> Vec<Op> {
    let mut ops = Vec::new();
    let handle = PdfFontHandle::External(FontId(FONT_ID.to_string()));
    for item in items {
        match item {
            Item::Glyphs {
                y,
                size,
                bold,
                color: c,
                chars,
            } => {
                ops.push(Op::StartTextSection);
                ops.push(Op::SetFont {
                    font: handle.clone(),
                    size: Pt(*size),
                });
                ops.push(Op::SetFillColor { col: color(*c) });
                if *bold {
                    // No bold face: fill and stroke the outline (synthetic bold).
                    ops.push(Op::SetOutlineColor { col: color(*c) });
                    ops.push(Op::SetOutlineThickness {
                        pt: Pt(size * 0.04),
                    });
                    ops.push(Op::SetTextRenderingMode {
                        mode: TextRenderingMode::FillStroke,
                    });
                }
                ops.extend(show_run(font, chars, *y, *size));
                if *bold {
                    ops.push(Op::SetTextRenderingMode {
                        mode: TextRenderingMode::Fill,
                    });
                }
                ops.push(Op::EndTextSection);
            }
            Item::Rule {
                x1,
                x2,
                y,
                width,
                color: c,
            } => {
                ops.push(Op::SetOutlineColor { col: color(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::DrawLine {
                    line: printpdf::Line {
                        points: vec![
                            printpdf::LinePoint {
                                p: Point {
                                    x: Pt(*x1),
                                    y: Pt(*y),
                                },
                                bezier: false,
                            },
                            printpdf::LinePoint {
                                p: Point {
                                    x: Pt(*x2),
                                    y: Pt(*y),
                                },
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                });
            }
            Item::Link {
                x1,
                y1,
                x2,
                y2,
                url,
            } => {
                let rect = Rect {
                    x: Pt(*x1),
                    y: Pt(*y1),
                    width: Pt(x2 - x1),
                    height: Pt(y2 - y1),
                    mode: None,
                    winding_order: None,
                };
                ops.push(Op::LinkAnnotation {
                    link: LinkAnnotation::new(
                        rect,
                        Actions::Uri(url.clone()),
                        Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                        None,
                        Some(printpdf::HighlightingMode::Invert),
                    ),
                });
            }
        }
    }
    ops
}

/// Serialises laid-out pages to PDF bytes.
pub fn write_pdf(font: &Font, laid: &Laid, meta: &Metadata<'_>) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(meta.title);
    doc.resources.fonts.map.insert(
        FontId(FONT_ID.to_string()),
        PdfFont::new(font.parsed.clone()),
    );
    let info = &mut doc.metadata.info;
    info.subject = meta.subject.to_string();
    info.keywords = meta.keywords.to_vec();
    info.author = meta.author.unwrap_or_default().to_string();
    info.creator = "talkdoc".to_string();
    info.producer = format!("talkdoc {}", env!("CARGO_PKG_VERSION"));
    let width = printpdf::Mm::from(Pt(PAGE_WIDTH));
    let height = printpdf::Mm::from(Pt(PAGE_HEIGHT));
    doc.pages = laid
        .pages
        .iter()
        .map(|p| PdfPage::new(width, height, ops_for(font, &p.items)))
        .collect();

    let opts = PdfSaveOptions {
        optimize: false,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    post_process(&mut lo, laid, meta);
    compress_streams(&mut lo);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(|e| {
        Error::new(Diagnostic::error(
            "E0504",
            format!("cannot serialise the PDF: {e}"),
        ))
    })?;
    // The file ID must depend on the content only: hash the bytes written
    // with a placeholder ID and write again with the hash.
    let id = fnv1a(&bytes);
    lo.trailer.set(
        "ID",
        Object::Array(vec![pdf_id(id), pdf_id(id.rotate_left(32))]),
    );
    bytes.clear();
    lo.save_to(&mut bytes).map_err(|e| {
        Error::new(Diagnostic::error(
            "E0504",
            format!("cannot serialise the PDF: {e}"),
        ))
    })?;
    Ok(bytes)
}

/// Deflates every stream that has no filter yet. lopdf's own `compress`
/// uses the slowest level (9), which dominated large builds; level 6 costs
/// a third of the time for files within a few percent of the size.
fn compress_streams(doc: &mut lopdf::Document) {
    use std::io::Write as _;
    for obj in doc.objects.values_mut() {
        let Object::Stream(stream) = obj else {
            continue;
        };
        if stream.dict.has(b"Filter") {
            continue;
        }
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
        if encoder.write_all(&stream.content).is_err() {
            continue;
        }
        if let Ok(compressed) = encoder.finish()
            && compressed.len() + 19 < stream.content.len()
        {
            stream
                .dict
                .set("Filter", Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(compressed);
        }
    }
}

fn pdf_id(n: u64) -> Object {
    Object::String(format!("{n:016x}").into_bytes(), StringFormat::Hexadecimal)
}

/// FNV-1a 64: a tiny stable hash; this is an identifier, not security.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A PDF text string: UTF-16BE with BOM when not plain ASCII.
fn text_string(s: &str) -> Object {
    if s.is_ascii() {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

fn post_process(doc: &mut lopdf::Document, laid: &Laid, meta: &Metadata<'_>) {
    doc.trailer
        .set("ID", Object::Array(vec![pdf_id(0), pdf_id(0)]));
    // Dates: none unless SOURCE_DATE_EPOCH asks for one (reproducible builds).
    let date = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .map(pdf_date);
    if let Ok(Object::Reference(info_id)) = doc.trailer.get(b"Info").cloned()
        && let Ok(Object::Dictionary(info)) = doc.get_object_mut(info_id)
    {
        info.remove(b"CreationDate");
        info.remove(b"ModDate");
        info.remove(b"Trapped");
        if let Some(d) = &date {
            info.set(
                "CreationDate",
                Object::String(d.clone().into_bytes(), StringFormat::Literal),
            );
            info.set(
                "ModDate",
                Object::String(d.clone().into_bytes(), StringFormat::Literal),
            );
        }
        info.set("Title", text_string(meta.title));
        info.set("Subject", text_string(meta.subject));
        info.set("Keywords", text_string(&meta.keywords.join(", ")));
        if let Some(a) = meta.author {
            info.set("Author", text_string(a));
        } else {
            info.remove(b"Author");
        }
    }
    // Links: no visible border.
    let ids: Vec<ObjectId> = doc.objects.keys().copied().collect();
    for id in ids {
        if let Ok(Object::Dictionary(d)) = doc.get_object_mut(id)
            && d.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) == Some(b"Link".as_slice())
        {
            d.set("Border", Object::Array(vec![0.into(), 0.into(), 0.into()]));
            d.remove(b"C");
        }
    }
    rename_subset_fonts(doc);
    let page_ids: Vec<ObjectId> = doc.get_pages().values().copied().collect();
    let outline = build_outline(doc, &laid.outline, &page_ids);
    let Ok(catalog) = doc.catalog_mut() else {
        return;
    };
    catalog.set("Lang", text_string(meta.lang));
    catalog.set(
        "ViewerPreferences",
        Object::Dictionary(Dictionary::from_iter(vec![(
            "DisplayDocTitle",
            Object::Boolean(true),
        )])),
    );
    match outline {
        Some(id) => {
            catalog.set("Outlines", Object::Reference(id));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        None => {
            catalog.remove(b"Outlines");
        }
    }
}

/// printpdf names the subset font `F1+Name`; PDF readers (and `pdffonts`)
/// recognise a subset by a six-capital-letter tag. Derive the tag from the
/// embedded font program so it is stable and differs between subsets.
fn rename_subset_fonts(doc: &mut lopdf::Document) {
    let prefix = format!("{FONT_ID}+");
    let mut program_hash = 0u64;
    for obj in doc.objects.values() {
        if let Object::Stream(st) = obj {
            let is_font = st
                .dict
                .get(b"Subtype")
                .ok()
                .and_then(|s| s.as_name().ok())
                .is_some_and(|n| n == b"CIDFontType0C" || n == b"OpenType")
                || st.dict.has(b"Length1");
            if is_font {
                program_hash ^= fnv1a(&st.content);
            }
        }
    }
    let tag: String = (0..6)
        .map(|i| char::from(b'A' + ((program_hash >> (i * 5)) % 26) as u8))
        .collect();
    for obj in doc.objects.values_mut() {
        if let Object::Dictionary(d) = obj {
            for key in [b"BaseFont".as_slice(), b"FontName".as_slice()] {
                if let Ok(Object::Name(name)) = d.get_mut(key)
                    && name.starts_with(prefix.as_bytes())
                {
                    let rest = name[prefix.len()..].to_vec();
                    *name = [tag.as_bytes(), b"+", &rest].concat();
                }
            }
        }
    }
}

/// `D:YYYYMMDDHHmmSSZ` from a Unix timestamp.
fn pdf_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "D:{y:04}{m:02}{d:02}{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Builds a nested `/Outlines` tree from (title, page, level) entries.
fn build_outline(
    doc: &mut lopdf::Document,
    entries: &[OutlineEntry],
    pages: &[ObjectId],
) -> Option<ObjectId> {
    if entries.is_empty() {
        return None;
    }
    let root = doc.new_object_id();
    // Each node: its object id, parent index (None = root), children.
    let ids: Vec<ObjectId> = entries.iter().map(|_| doc.new_object_id()).collect();
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        while let Some(&top) = stack.last() {
            if entries[top].level >= e.level {
                stack.pop();
            } else {
                break;
            }
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    let children = |p: Option<usize>| -> Vec<usize> {
        (0..entries.len()).filter(|&i| parent[i] == p).collect()
    };
    for (i, e) in entries.iter().enumerate() {
        let siblings = children(parent[i]);
        let pos = siblings.iter().position(|&s| s == i).unwrap_or(0);
        let kids = children(Some(i));
        let page = pages.get(e.page).or(pages.last()).copied();
        let mut d = Dictionary::new();
        d.set("Title", text_string(&e.title));
        d.set(
            "Parent",
            Object::Reference(parent[i].map_or(root, |p| ids[p])),
        );
        if let Some(page) = page {
            d.set(
                "Dest",
                Object::Array(vec![Object::Reference(page), Object::Name(b"Fit".to_vec())]),
            );
        }
        if pos > 0 {
            d.set("Prev", Object::Reference(ids[siblings[pos - 1]]));
        }
        if let Some(&next) = siblings.get(pos + 1) {
            d.set("Next", Object::Reference(ids[next]));
        }
        if let (Some(&first), Some(&last)) = (kids.first(), kids.last()) {
            d.set("First", Object::Reference(ids[first]));
            d.set("Last", Object::Reference(ids[last]));
            d.set("Count", Object::Integer(kids.len() as i64));
        }
        doc.objects.insert(ids[i], Object::Dictionary(d));
    }
    let top = children(None);
    let mut r = Dictionary::new();
    r.set("Type", Object::Name(b"Outlines".to_vec()));
    r.set("First", Object::Reference(ids[top[0]]));
    r.set(
        "Last",
        Object::Reference(ids[*top.last().unwrap_or(&top[0])]),
    );
    r.set("Count", Object::Integer(top.len() as i64));
    doc.objects.insert(root, Object::Dictionary(r));
    Some(root)
}
