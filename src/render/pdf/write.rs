//! PDF writing: laid-out pages → bytes. Knows nothing about line breaking
//! or page layout.
//!
//! printpdf builds the document skeleton: the subset font (its program,
//! widths and ToUnicode map), link annotations, metadata. Each page tells
//! it which glyphs the page uses with one registration `TJ`, from which we
//! also read back the codes printpdf assigned to them in the subset. The
//! page content itself we write directly as PDF operators: going through
//! printpdf's operation list and lopdf's content encoder cost more than
//! the whole layout.
//!
//! After printpdf, lopdf edits what printpdf cannot set: `/Lang`, a nested
//! outline, borderless links, and a file ID derived from the content instead
//! of random bytes, so two builds of the same input are byte-identical.

use std::collections::HashMap;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Actions, BorderArray, Codepoint, FontId, LinkAnnotation, Op, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem,
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

/// Glyphs a page uses, in order of first use: (glyph ID, character).
fn page_glyphs(font: &Font, items: &[Item]) -> Vec<(u16, char)> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for item in items {
        if let Item::Glyphs { chars, .. } = item {
            for &(ch, _) in chars {
                if let Some((gid, _)) = font.glyph(ch)
                    && seen.insert(gid)
                {
                    out.push((gid, ch));
                }
            }
        }
    }
    out
}

/// What printpdf gets for a page: the glyph registration and the links.
fn skeleton_ops(glyphs: &[(u16, char)], items: &[Item]) -> Vec<Op> {
    let mut ops = Vec::new();
    if !glyphs.is_empty() {
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(FontId(FONT_ID.to_string())),
            size: Pt(10.0),
        });
        // `Td`, not `Tm`: printpdf rewrites `Tm` + glyph runs itself.
        ops.push(Op::SetTextCursor {
            pos: Point {
                x: Pt(0.0),
                y: Pt(0.0),
            },
        });
        let cps = glyphs
            .iter()
            .map(|&(gid, ch)| Codepoint::with_cid(gid, 0.0, ch.to_string()))
            .collect();
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(cps)],
        });
        ops.push(Op::EndTextSection);
    }
    for item in items {
        if let Item::Link {
            x1,
            y1,
            x2,
            y2,
            url,
        } = item
        {
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
    ops
}

/// The codes printpdf gave the registered glyphs, read back from the
/// page's registration `TJ` (one two-byte code per glyph, in order).
fn read_codes(
    doc: &lopdf::Document,
    page: ObjectId,
    glyphs: &[(u16, char)],
) -> Option<HashMap<u16, u16>> {
    if glyphs.is_empty() {
        return Some(HashMap::new());
    }
    let content = doc.get_page_content(page);
    let ops = lopdf::content::Content::decode(&content).ok()?;
    let tj = ops.operations.iter().find(|op| op.operator == "TJ")?;
    let Some(Object::Array(items)) = tj.operands.first() else {
        return None;
    };
    let codes: Vec<u16> = items
        .iter()
        .filter_map(|o| match o {
            Object::String(bytes, _) if bytes.len() == 2 => {
                Some(u16::from_be_bytes([bytes[0], bytes[1]]))
            }
            _ => None,
        })
        .collect();
    (codes.len() == glyphs.len()).then(|| glyphs.iter().map(|&(g, _)| g).zip(codes).collect())
}

/// A number for a content stream: at most three decimals, no trailing
/// zeros. Hand-formatted: it runs for every glyph of every page.
fn num(out: &mut String, v: f32) {
    let milli = (f64::from(v) * 1000.0).round() as i64;
    if milli < 0 {
        out.push('-');
    }
    let milli = milli.unsigned_abs();
    let (int, frac) = (milli / 1000, milli % 1000);
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = int;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or("0"));
    if frac != 0 {
        out.push('.');
        let digits = [frac / 100, frac / 10 % 10, frac % 10];
        let len = if frac % 100 == 0 {
            1
        } else if frac % 10 == 0 {
            2
        } else {
            3
        };
        for d in &digits[..len] {
            out.push(char::from(b'0' + *d as u8));
        }
    }
}

fn rgb(out: &mut String, c: Rgb, op: &str) {
    for v in [c.0, c.1, c.2] {
        num(out, v);
        out.push(' ');
    }
    out.push_str(op);
    out.push('\n');
}

/// The page's content stream.
fn content_stream(font: &Font, items: &[Item], codes: &HashMap<u16, u16>) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(4096);
    for item in items {
        match item {
            Item::Glyphs {
                y,
                size,
                bold,
                color: c,
                chars,
            } => {
                let glyphs: Vec<(u16, char, f32)> = chars
                    .iter()
                    .filter_map(|&(ch, x)| {
                        font.glyph(ch)
                            .and_then(|(g, _)| codes.get(&g).map(|&code| (code, ch, x)))
                    })
                    .collect();
                let Some(&(_, _, x0)) = glyphs.first() else {
                    continue;
                };
                if *bold {
                    // No bold face: fill and stroke the outline (synthetic bold);
                    // q/Q restores the rendering mode and line width.
                    out.push_str("q\n");
                    rgb(&mut out, *c, "RG");
                    num(&mut out, size * 0.04);
                    out.push_str(" w 2 Tr\n");
                }
                out.push_str("BT\n");
                let _ = write!(out, "/{FONT_ID} ");
                num(&mut out, *size);
                out.push_str(" Tf\n");
                rgb(&mut out, *c, "rg");
                num(&mut out, x0);
                out.push(' ');
                num(&mut out, *y);
                out.push_str(" Td\n[");
                for (i, &(code, ch, x)) in glyphs.iter().enumerate() {
                    let _ = write!(out, "<{code:04X}>");
                    // TJ numbers are thousandths of an em and move the pen
                    // left: from where the viewer puts it (after the /W
                    // width) to where the layout placed the next glyph.
                    if let Some(&(_, _, next_x)) = glyphs.get(i + 1) {
                        let pen = x + font.pdf_width(ch) * size;
                        let kern = (pen - next_x) * 1000.0 / size;
                        if kern.abs() >= 0.001 {
                            num(&mut out, kern);
                        }
                    }
                }
                out.push_str("] TJ\nET\n");
                if *bold {
                    out.push_str("Q\n");
                }
            }
            Item::Rule {
                x1,
                x2,
                y,
                width,
                color: c,
            } => {
                out.push_str("q\n");
                rgb(&mut out, *c, "RG");
                num(&mut out, *width);
                out.push_str(" w\n");
                for (v, sep) in [(*x1, " "), (*y, " m\n"), (*x2, " "), (*y, " l\nS\nQ\n")] {
                    num(&mut out, v);
                    out.push_str(sep);
                }
            }
            Item::Link { .. } => {}
        }
    }
    out.into_bytes()
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
    let glyphs: Vec<Vec<(u16, char)>> = laid
        .pages
        .iter()
        .map(|p| page_glyphs(font, &p.items))
        .collect();
    doc.pages = laid
        .pages
        .iter()
        .zip(&glyphs)
        .map(|(p, g)| PdfPage::new(width, height, skeleton_ops(g, &p.items)))
        .collect();

    let opts = PdfSaveOptions {
        optimize: false,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    let page_ids: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    for ((page, items), glyphs) in page_ids
        .iter()
        .zip(laid.pages.iter().map(|p| &p.items))
        .zip(&glyphs)
    {
        let codes = read_codes(&lo, *page, glyphs).ok_or_else(|| {
            Error::new(Diagnostic::error(
                "E0504",
                "cannot serialise the PDF: unexpected glyph codes from printpdf",
            ))
        })?;
        let stream = content_stream(font, items, &codes);
        let contents = lo
            .get_dictionary(*page)
            .ok()
            .and_then(|d| d.get(b"Contents").ok().cloned());
        match contents {
            Some(Object::Reference(id)) => {
                if let Ok(Object::Stream(st)) = lo.get_object_mut(id) {
                    st.dict.remove(b"Filter");
                    st.set_content(stream);
                }
            }
            _ => {
                let id = lo.add_object(lopdf::Stream::new(Dictionary::new(), stream));
                if let Ok(d) = lo.get_dictionary_mut(*page) {
                    d.set("Contents", Object::Reference(id));
                }
            }
        }
    }
    post_process(&mut lo, laid, meta);
    compress_streams(&mut lo);
    // The file ID must depend on the content only: hash every object (in
    // object order, which is deterministic) rather than using random bytes.
    let mut h = Fnv::default();
    for (id, obj) in &lo.objects {
        h.write(&id.0.to_le_bytes());
        match obj {
            Object::Stream(st) => h.write(&st.content),
            other => h.write(format!("{other:?}").as_bytes()),
        }
    }
    let id = h.0;
    lo.trailer.set(
        "ID",
        Object::Array(vec![pdf_id(id), pdf_id(id.rotate_left(32))]),
    );
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(|e| {
        Error::new(Diagnostic::error(
            "E0504",
            format!("cannot serialise the PDF: {e}"),
        ))
    })?;
    Ok(bytes)
}

/// Deflates every stream that has no filter yet. lopdf's own `compress`
/// uses the slowest level (9), which dominated large builds; level 3 takes
/// about half the time of 9 for files within a few percent of the size
/// (measured: the Japanese handout 77.6 KB at 6, 78.4 KB at 3).
fn compress_streams(doc: &mut lopdf::Document) {
    use std::io::Write as _;
    for obj in doc.objects.values_mut() {
        let Object::Stream(stream) = obj else {
            continue;
        };
        if stream.dict.has(b"Filter") {
            continue;
        }
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(3));
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
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = Fnv::default();
    h.write(bytes);
    h.0
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
        // printpdf writes empty PDF/X keys, which makes readers claim a
        // PDF/X conformance the file does not have.
        info.remove(b"GTS_PDFXVersion");
        info.remove(b"GTS_PDFXConformance");
        info.remove(b"Identifier");
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

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn numbers_are_short_and_exact() {
        let cases = [
            (0.0, "0"),
            (-0.0001, "0"),
            (1.5, "1.5"),
            (-2.25, "-2.25"),
            (10.0, "10"),
            (0.125, "0.125"),
            (595.28, "595.28"),
            (-0.001, "-0.001"),
            (12.3456, "12.346"),
        ];
        for (v, want) in cases {
            let mut s = String::new();
            num(&mut s, v);
            assert_eq!(s, want, "{v}");
        }
    }
}
