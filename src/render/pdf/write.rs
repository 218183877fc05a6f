//! PDF writing: laid-out pages → bytes. Knows nothing about line breaking
//! or page layout.
//!
//! printpdf builds the document: pages, the document information and the
//! object graph. The font is ours: subset by `subsetter` to the glyphs the
//! pages use (in glyph-ID order, so the same text gives the same subset;
//! one subset per distinct glyph set, kept in a [`WriteCache`]), and its
//! dictionaries (Type0, CIDFont, descriptor, `/W`, ToUnicode) are written
//! here from the font's own tables, because printpdf without its
//! `text_layout` feature would write `/CapHeight` as the ascender and take
//! no subset tag. The page content is written directly as PDF operators:
//! one `TJ` per run of glyphs, the numbers in it moving each glyph from
//! where its `/W` width leaves the pen to where the layout put it (kerning,
//! justification, JLREQ spacing).
//!
//! Through lopdf's object model this module then adds what printpdf cannot
//! set: the structure tree and link annotations, `/Lang`, a nested outline,
//! XMP metadata; `serial` turns the graph into bytes (object streams), and
//! the file ID is a hash of those bytes instead of random ones, so two
//! builds of the same input are byte-identical.

use super::cid_subset::{Refusal, WORK_PER_GLYPH};
use super::serial;
use crate::codes::Code;
use crate::hash::content_id;
use miniz_oxide::deflate::core::CompressorOxide;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use printpdf::{PdfDocument, PdfPage, PdfSaveOptions, Pt};

use super::fonts::Font;
use super::layout::{Item, Kid, Laid, OutlineEntry, PlacedGlyph, Rgb, Tag, Tree};
use crate::diag::{Diagnostic, Error, Result};

/// Document information written into the PDF.
pub struct Metadata<'a> {
    /// `/Title`: the talk title (each part's, joined with ` / `, for a
    /// PDF of several).
    pub title: &'a str,
    /// `/Subject`: which document this is, e.g. `Talk proposal: abstract`.
    pub subject: &'a str,
    /// `/Keywords` (written joined with `, `).
    pub keywords: &'a [String],
    /// `/Author`; `None` writes none.
    pub author: Option<&'a str>,
    /// BCP 47 language of the document (`/Lang`).
    pub lang: &'a str,
}

/// The resource name of our one font.
const FONT_ID: &str = "F1";

fn write_error(what: impl std::fmt::Display) -> Error {
    Error::new(Diagnostic::error(
        Code::E0504,
        format!("cannot serialise the PDF: {what}"),
    ))
}

/// The font as one PDF refers to it: per original glyph ID, its code (=
/// its glyph ID in the subset, which `subsetter` makes the CID too) and
/// its `/W` width in thousandths of an em. Made from the glyph set alone,
/// so that everything but the font program can be written while the
/// program is still being made ([`Program`]).
struct Subset {
    codes: Codes,
    /// The six-capital-letter subset tag, from the glyph set.
    tag: String,
}

/// A subset's font program, deflated (`deflated`) or as is when deflate
/// would not shrink it: the one costly part of a subset (~1.2 ms for the
/// Japanese handout), made once per glyph set by whichever thread asks
/// first ([`WriteCache::prepare`]: on a core the run leaves idle).
struct Program {
    bytes: Vec<u8>,
    deflated: bool,
    /// Length of the program before deflate (`/Length1` of TrueType).
    raw_len: usize,
}

/// Per original glyph ID, its code in the subset and its `/W` width.
/// The code and /W width of each glyph of a subset, by glyph ID.
///
/// Why not a map: the content streams look up every glyph they draw (a
/// map search per glyph was a third of writing them). A bit per glyph ID
/// up to the largest used and a running count per 64 of them give an
/// entry's index in a few instructions; ~3 KB for Noto Sans JP.
#[derive(Debug, Default)]
struct Codes {
    /// Glyph IDs with an entry, in order, and their (code, width).
    gids: Vec<u16>,
    entries: Vec<(u16, f32)>,
    /// Bit `g` set when glyph `g` has an entry; `before[w]` counts the set
    /// bits of the words before `w`.
    bits: Vec<u64>,
    before: Vec<u16>,
}

impl Codes {
    /// From (glyph ID, (code, width)) in ascending glyph ID order.
    fn new(sorted: Vec<(u16, (u16, f32))>) -> Codes {
        let words = sorted.last().map_or(0, |&(g, _)| usize::from(g >> 6) + 1);
        let mut bits = vec![0u64; words];
        for &(g, _) in &sorted {
            bits[usize::from(g >> 6)] |= 1 << (g & 63);
        }
        let mut before = Vec::with_capacity(words);
        let mut count = 0u16;
        for w in &bits {
            before.push(count);
            count += w.count_ones() as u16;
        }
        let (gids, entries) = sorted.into_iter().unzip();
        Codes {
            gids,
            entries,
            bits,
            before,
        }
    }

    /// The (code, width) of glyph `gid`, if the subset has it.
    fn get(&self, gid: &u16) -> Option<&(u16, f32)> {
        let w = usize::from(gid >> 6);
        let word = *self.bits.get(w)?;
        let below = word & ((1u64 << (gid & 63)) - 1);
        if word >> (gid & 63) & 1 == 0 {
            return None;
        }
        self.entries
            .get(usize::from(self.before[w]) + below.count_ones() as usize)
    }

    /// (glyph ID, (code, width)) in glyph ID order.
    fn iter(&self) -> impl Iterator<Item = (&u16, &(u16, f32))> {
        self.gids.iter().zip(&self.entries)
    }

    /// The (code, width) entries in glyph ID order.
    fn values(&self) -> impl Iterator<Item = &(u16, f32)> {
        self.entries.iter()
    }
}

/// The subset's glyph order: `.notdef`, then the used glyphs by ID.
fn remapper(used: &BTreeSet<u16>) -> subsetter::GlyphRemapper {
    let mut remapper = subsetter::GlyphRemapper::new();
    for &gid in used {
        remapper.remap(gid);
    }
    remapper
}

/// The codes of `used` in their subset (in the order `remapper` gives).
fn glyph_codes(font: &Font, used: &BTreeSet<u16>) -> Codes {
    let remapper = remapper(used);
    let scale = 1000.0 / font.units_per_em();
    Codes::new(
        used.iter()
            .filter_map(|&gid| {
                let code = remapper.get(gid)?;
                let width = (f32::from(font.glyph_advance_units(gid)) * scale).round();
                Some((gid, (code, width)))
            })
            .collect(),
    )
}

/// The font program subsetter makes for `used`: CFF outlines as the bare
/// CFF table (FontFile3 / CIDFontType0C), TrueType as the whole subset font
/// (FontFile2).
fn subset_program(font: &Font, used: &BTreeSet<u16>) -> std::result::Result<Vec<u8>, String> {
    let remapper = remapper(used);
    let (data, index) = font.data();
    let sfnt = subsetter::subset(data, index, &remapper)
        .map_err(|e| format!("cannot subset the font {}: {e}", font.name))?;
    Ok(if font.metrics.cff {
        let face = rustybuzz::ttf_parser::RawFace::parse(&sfnt, 0)
            .map_err(|e| format!("unreadable font subset: {e}"))?;
        face.table(rustybuzz::ttf_parser::Tag::from_bytes(b"CFF "))
            .ok_or("the font subset has no CFF table")?
            .to_vec()
    } else {
        sfnt
    })
}

impl Subset {
    /// The codes and tag of the subset of `font` for `used`.
    fn new(font: &Font, used: &BTreeSet<u16>) -> Subset {
        // The glyphs and which font they are from (two files of one name,
        // as when `[pdf] font` is replaced during `watch`, differ in size
        // or face).
        let (data, index) = font.data();
        let mut key: Vec<u8> = used.iter().flat_map(|g| g.to_le_bytes()).collect();
        key.extend((data.len() as u64).to_le_bytes());
        key.extend(index.to_le_bytes());
        let [mut n, _] = content_id(&key);
        let tag = (0..6)
            .map(|_| {
                let c = char::from(b'A' + (n % 26) as u8);
                n /= 26;
                c
            })
            .collect();
        Subset {
            codes: glyph_codes(font, used),
            tag,
        }
    }
}

impl Program {
    /// The program of the subset of `font` for `used`; the error says why not.
    fn new(font: &Font, used: &BTreeSet<u16>) -> std::result::Result<Program, String> {
        // A CID-keyed CFF font (the built-in one) is subset here, in the
        // glyph order `remapper` gives; any other goes through subsetter.
        let too_large = |gid: u16| {
            format!(
                "glyph {gid} of the font {} expands past {} KB once its subroutines are spliced in; name another font in `[pdf] font`",
                font.name,
                WORK_PER_GLYPH >> 10
            )
        };
        let program = match font.cid().map(|cid| cid.subset(used)) {
            Some(Ok(program)) => program,
            Some(Err(Refusal::TooLarge(gid))) => return Err(too_large(gid)),
            Some(Err(Refusal::Unsupported)) | None => {
                // subsetter splices subroutines in without a bound: walk
                // the glyphs as it would, with one, first.
                if let Some(why) = font.unbounded(used) {
                    return Err(format!(
                        "the font {} cannot be subset: {why}; name another font in `[pdf] font`",
                        font.name
                    ));
                }
                subset_program(font, used)?
            }
        };
        let raw_len = program.len();
        let (bytes, deflated) = match deflate_level(&program, Level::Fast) {
            Some(d) if d.len() + 19 < program.len() => (d, true),
            _ => (program, false),
        };
        Ok(Program {
            bytes,
            deflated,
            raw_len,
        })
    }
}

/// What a renderer keeps between PDFs: font programs by glyph set (the
/// bilingual and parallel handouts share theirs; an edit that brings no
/// new character needs no new subset, nor a deflated font program) and,
/// in a `watch` session, deflated streams by
/// content (a page or structure tree an edit did not touch is not deflated
/// again). Holds the most recent few; shared by every render thread.
#[derive(Default)]
pub struct WriteCache {
    entries: std::sync::Mutex<Vec<(BTreeSet<u16>, ProgramCell)>>,
    /// Only in a session that rebuilds the same PDFs again and again: in a
    /// one-shot build no stream repeats, and hashing them would be waste.
    streams: Option<std::sync::Mutex<Streams>>,
}

/// A font program, or why it could not be made (kept, so every PDF that
/// needs it reports the same error).
type MadeProgram = std::result::Result<Arc<Program>, String>;

/// A font program made, or being made, by the first thread that needed it.
type ProgramCell = Arc<OnceLock<MadeProgram>>;

/// Deflated streams by (level, hash of the data); the data is kept to
/// compare, so a hash collision can never swap one stream for another.
#[derive(Default)]
struct Streams {
    by_key: std::collections::HashMap<(u8, u64), (Vec<u8>, Vec<u8>)>,
    order: std::collections::VecDeque<(u8, u64)>,
    bytes: usize,
}

/// Bytes of streams (raw and deflated) a session keeps: a few runs' pages.
const STREAM_BYTES_KEPT: usize = 32 << 20;

/// Programs kept: a run's PDFs (about a dozen) and the previous run's.
const PROGRAMS_KEPT: usize = 32;

impl WriteCache {
    /// A cache that also keeps deflated streams (for `watch`).
    pub fn keeping_streams() -> WriteCache {
        WriteCache {
            streams: Some(Default::default()),
            ..WriteCache::default()
        }
    }

    /// `data` deflated at `level`, from the kept streams when the same
    /// data was deflated before.
    fn deflate(&self, data: &[u8], level: Level) -> Option<Vec<u8>> {
        let Some(streams) = &self.streams else {
            return deflate_level(data, level);
        };
        let lock = || streams.lock().unwrap_or_else(|e| e.into_inner());
        let key = (level as u8, content_id(data)[0]);
        if let Some((raw, out)) = lock().by_key.get(&key)
            && raw.as_slice() == data
        {
            return Some(out.clone());
        }
        let out = deflate_level(data, level)?;
        let mut kept = lock();
        let size = data.len() + out.len();
        while kept.bytes + size > STREAM_BYTES_KEPT {
            let Some(old) = kept.order.pop_front() else {
                break;
            };
            if let Some((raw, d)) = kept.by_key.remove(&old) {
                kept.bytes -= raw.len() + d.len();
            }
        }
        match kept.by_key.insert(key, (data.to_vec(), out.clone())) {
            Some((raw, d)) => kept.bytes -= raw.len() + d.len(),
            None => kept.order.push_back(key),
        }
        kept.bytes += size;
        Some(out)
    }

    /// Makes the font program `laid` needs, unless it is made or being
    /// made already, for [`write_pdf`] to find: the work a core the run
    /// leaves idle takes on once the layout is known.
    pub(crate) fn prepare(&self, font: &Font, laid: &Laid) {
        let used = used_glyphs(laid);
        if !used.is_empty() {
            // An error is kept and reported by the PDF that needs it.
            let _ = self.program(font, &used);
        }
    }

    /// The font program for `used`, made once: a PDF that needs the same
    /// glyphs as one being made on another thread (the bilingual and the
    /// parallel handout, or a warm-up) waits for it rather than making it
    /// again.
    fn program(&self, font: &Font, used: &BTreeSet<u16>) -> Result<Arc<Program>> {
        let cell = {
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            match entries.iter().find(|(set, _)| set == used) {
                Some((_, cell)) => cell.clone(),
                None => {
                    if entries.len() >= PROGRAMS_KEPT {
                        entries.remove(0);
                    }
                    let cell = Arc::new(OnceLock::new());
                    entries.push((used.clone(), cell.clone()));
                    cell
                }
            }
        };
        cell.get_or_init(|| Program::new(font, used).map(Arc::new))
            .clone()
            .map_err(write_error)
    }
}

/// Every glyph the pages draw.
fn used_glyphs(laid: &Laid) -> BTreeSet<u16> {
    let mut used = BTreeSet::new();
    for page in &laid.pages {
        for item in &page.items {
            if let Item::Glyphs { glyphs, .. } = item {
                used.extend(glyphs.iter().map(|g| g.gid));
            }
        }
    }
    used
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
    out.extend(
        serial::decimal(int, &mut [0; 20])
            .iter()
            .map(|&d| char::from(d)),
    );
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

/// Graphics state a content stream has set, so that an operator is written
/// only when it changes something (`Tf` and `rg` persist across text
/// objects; `q`/`Q` around synthetic bold restore them).
#[derive(Clone, Copy, PartialEq)]
struct PenState {
    size: Option<f32>,
    fill: Option<Rgb>,
}

/// The page's content stream. Every item is a marked-content sequence:
/// the glyph runs with an MCID (`mcids`, per item) belong to a structure
/// element (`BDC` with its role), everything else is an `/Artifact`.
/// Written compactly (it is most of a PDF's size after the font): font
/// size and colour only when they change, consecutive glyph codes in one
/// hexadecimal string, positioning numbers only where a glyph moves.
fn content_stream(items: &[Item], codes: &Codes, mcids: &[Option<u32>], tree: &Tree) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(4096);
    let mut state = PenState {
        size: None,
        fill: None,
    };
    // (code, /W width, glyph) of the run being written, one buffer for all.
    let mut coded: Vec<(u16, f32, &PlacedGlyph)> = Vec::new();
    for (at, item) in items.iter().enumerate() {
        if matches!(item, Item::Link { .. }) {
            continue;
        }
        match (item, mcids.get(at).copied().flatten()) {
            (
                Item::Glyphs {
                    tag: Tag::Node(n), ..
                },
                Some(mcid),
            ) => {
                let _ = writeln!(out, "/{}<</MCID {mcid}>>BDC", tree.nodes[*n].role.name());
            }
            (
                Item::Glyphs {
                    tag: Tag::Header, ..
                },
                _,
            ) => out.push_str("/Artifact<</Type/Pagination/Subtype/Header>>BDC\n"),
            (
                Item::Glyphs {
                    tag: Tag::Footer, ..
                },
                _,
            ) => out.push_str("/Artifact<</Type/Pagination/Subtype/Footer>>BDC\n"),
            _ => out.push_str("/Artifact BMC\n"),
        }
        match item {
            Item::Glyphs {
                y,
                size,
                bold,
                color: c,
                glyphs,
                ..
            } => {
                coded.clear();
                coded.extend(
                    glyphs
                        .iter()
                        .filter_map(|g| codes.get(&g.gid).map(|&(code, w)| (code, w, g))),
                );
                let Some(&(_, _, first)) = coded.first() else {
                    out.push_str("EMC\n");
                    continue;
                };
                let saved = state;
                // -- /ActualText (layout's `actual`: an automatically
                // hyphenated word reads whole in extraction). A text
                // string: UTF-16BE with its byte order mark, or empty.
                let actual = match item {
                    Item::Glyphs {
                        actual: Some(text), ..
                    } => Some(text.as_str()),
                    _ => None,
                };
                if let Some(text) = actual {
                    let hex = if text.is_empty() {
                        "<>".to_string()
                    } else {
                        format!("<FEFF{}", &utf16_hex(text)[1..])
                    };
                    let _ = writeln!(out, "/Span<</ActualText {hex}>>BDC");
                }
                // -- end /ActualText
                if *bold {
                    // No bold face: fill and stroke the outline (synthetic bold);
                    // q/Q restores the rendering mode and line width.
                    out.push_str("q\n");
                    rgb(&mut out, *c, "RG");
                    num(&mut out, size * 0.04);
                    out.push_str(" w 2 Tr\n");
                }
                out.push_str("BT\n");
                if state.size != Some(*size) {
                    let _ = write!(out, "/{FONT_ID} ");
                    num(&mut out, *size);
                    out.push_str(" Tf\n");
                    state.size = Some(*size);
                }
                if state.fill != Some(*c) {
                    rgb(&mut out, *c, "rg");
                    state.fill = Some(*c);
                }
                num(&mut out, first.x);
                out.push(' ');
                num(&mut out, *y);
                out.push_str(" Td\n");
                let mut rise = 0.0f32;
                let mut open = false;
                // Inside a hexadecimal string of the open TJ array.
                let mut in_hex = false;
                // Where the viewer's pen is, following the numbers we write,
                // so that rounding never accumulates along a line.
                let mut pen = first.x;
                for (i, &(code, width, g)) in coded.iter().enumerate() {
                    if g.dy != rise {
                        // A raised or lowered glyph (a positioned mark):
                        // text rise applies to whole TJ operations.
                        if open {
                            if in_hex {
                                out.push('>');
                                in_hex = false;
                            }
                            out.push_str("]TJ\n");
                            open = false;
                        }
                        num(&mut out, g.dy);
                        out.push_str(" Ts\n");
                        rise = g.dy;
                    }
                    if !open {
                        out.push('[');
                        open = true;
                    }
                    if !in_hex {
                        out.push('<');
                        in_hex = true;
                    }
                    hex_code(&mut out, code);
                    // TJ numbers are thousandths of an em and move the pen
                    // left: from where the viewer puts it (after the /W
                    // width) to where the layout placed the next glyph.
                    pen += width * size / 1000.0;
                    if let Some(&(_, _, next)) = coded.get(i + 1) {
                        // Whole thousandths of an em (0.01 pt at 10 pt, far
                        // below what any device shows); the rounding is
                        // caught up by the next move, never accumulated.
                        let kern = ((pen - next.x) * 1000.0 / size).round();
                        if kern != 0.0 {
                            out.push('>');
                            in_hex = false;
                            num(&mut out, kern);
                            pen -= kern * size / 1000.0;
                        }
                    }
                }
                if in_hex {
                    out.push('>');
                }
                if open {
                    out.push_str("]TJ\n");
                }
                if rise != 0.0 {
                    out.push_str("0 Ts\n");
                }
                out.push_str("ET\n");
                if *bold {
                    out.push_str("Q\n");
                    state = saved;
                }
                if actual.is_some() {
                    out.push_str("EMC\n"); // -- /ActualText
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
            // A QR code (an artifact, as above): the grid's cells are the
            // units (y down from its top), each run one `re`, one fill.
            Item::Cells {
                x,
                top,
                cell,
                runs,
                color: c,
            } => {
                out.push_str("q\n");
                rgb(&mut out, *c, "rg");
                for (v, sep) in [(*cell, " 0 0 "), (-*cell, " "), (*x, " "), (*top, " cm\n")] {
                    num(&mut out, v);
                    out.push_str(sep);
                }
                for [row, col, len, height] in stacked(runs) {
                    let _ = writeln!(out, "{col} {row} {len} {height} re");
                }
                out.push_str("f\nQ\n");
            }
            Item::Link { .. } => {}
        }
        out.push_str("EMC\n");
    }
    out.into_bytes()
}

/// Row runs `[row, col, len]` (rows in order) as rectangles `[row, col,
/// len, height]`: a run continuing one of the same columns in the row just
/// above extends it downwards. A QR code takes a third fewer operators.
fn stacked(runs: &[[u16; 3]]) -> Vec<[u16; 4]> {
    let mut rects: Vec<[u16; 4]> = Vec::with_capacity(runs.len());
    // (col, len) → index of the rectangle that ends on the previous row.
    let mut open: BTreeMap<(u16, u16), usize> = BTreeMap::new();
    for &[row, col, len] in runs {
        match open.get(&(col, len)).copied() {
            Some(i) if rects[i][0] + rects[i][3] == row => rects[i][3] += 1,
            _ => {
                open.insert((col, len), rects.len());
                rects.push([row, col, len, 1]);
            }
        }
    }
    rects
}

/// A two-byte glyph code as four hexadecimal digits, inside a `<…>`
/// string of a content stream (hand-formatted: it runs for every glyph of
/// every page).
fn hex_code(out: &mut String, code: u16) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[usize::from((code >> shift) & 0xF)]));
    }
}

/// A hexadecimal string of UTF-16BE code units, for a ToUnicode CMap.
fn utf16_hex(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(4 * s.len() + 2);
    out.push('<');
    for u in s.encode_utf16() {
        let _ = write!(out, "{u:04X}");
    }
    out.push('>');
    out
}

/// The ToUnicode CMap: every code to the text its glyph stands for
/// (several letters for a ligature, so text extraction gives the letters).
fn to_unicode_cmap(subset: &Subset, unicode: &BTreeMap<u16, String>) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut entries: Vec<(u16, &str)> = subset
        .codes
        .iter()
        .filter_map(|(gid, &(code, _))| {
            let text = unicode.get(gid)?;
            (!text.is_empty()).then_some((code, text.as_str()))
        })
        .collect();
    entries.sort();
    // Runs of consecutive codes standing for consecutive characters (a–z,
    // 0–9 in a subset's glyph order) become one `bfrange` line; a range may
    // not cross a change of the codes' or the text's first byte.
    let single = |text: &str| -> Option<u16> {
        let mut units = text.encode_utf16();
        let u = units.next()?;
        units.next().is_none().then_some(u)
    };
    let mut ranges: Vec<(u16, u16, u16)> = Vec::new();
    let mut chars: Vec<(u16, &str)> = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        let (code, text) = entries[i];
        let mut j = i + 1;
        if let Some(u) = single(text) {
            while j < entries.len()
                && entries[j].0 == code + (j - i) as u16
                && entries[j].0 >> 8 == code >> 8
                && single(entries[j].1) == Some(u + (j - i) as u16)
                && (u + (j - i) as u16) >> 8 == u >> 8
            {
                j += 1;
            }
            if j - i >= 2 {
                ranges.push((code, entries[j - 1].0, u));
                i = j;
                continue;
            }
        }
        chars.push((code, text));
        i += 1;
    }
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in ranges.chunks(100) {
        let _ = writeln!(out, "{} beginbfrange", chunk.len());
        for (lo, hi, u) in chunk {
            let _ = writeln!(out, "<{lo:04X}> <{hi:04X}> <{u:04X}>");
        }
        out.push_str("endbfrange\n");
    }
    for chunk in chars.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", chunk.len());
        for (code, text) in chunk {
            let _ = writeln!(out, "<{code:04X}> {}", utf16_hex(text));
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out.into_bytes()
}

/// Adds the font objects (Type0 → CIDFont → descriptor → program, `/W`,
/// ToUnicode) and returns the Type0 font's ID and the program's: the
/// program stream is left empty for [`set_program`] (it may still be in
/// the making).
fn add_font(
    doc: &mut lopdf::Document,
    font: &Font,
    subset: &Subset,
    unicode: &BTreeMap<u16, String>,
) -> (ObjectId, ObjectId) {
    let m = &font.metrics;
    let scale = 1000.0 / font.units_per_em();
    let units = |v: i16| Object::Integer((f32::from(v) * scale).round() as i64);
    let name = format!("{}+{}", subset.tag, m.postscript_name);
    let cmap = doc.add_object(Stream::new(
        Dictionary::new(),
        to_unicode_cmap(subset, unicode),
    ));
    let mut d = Dictionary::new();
    let file_key = if m.cff {
        d.set("Subtype", Object::Name(b"CIDFontType0C".to_vec()));
        "FontFile3"
    } else {
        d.set("Length1", Object::Integer(0));
        "FontFile2"
    };
    let program = doc.add_object(Stream::new(d, Vec::new()));
    // StemV is in no table; estimate it from the weight class as PDF
    // producers conventionally do (~88 at 400, ~166 at 700).
    let stem_v = 50 + (f32::from(m.weight) / 65.0).powi(2).round() as i64;
    let italic = m.italic_angle != 0.0;
    // Symbolic: the glyphs are outside the standard Latin set.
    let flags = 4 | if italic { 64 } else { 0 };
    let descriptor = doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", Object::Name(name.clone().into_bytes())),
        ("Flags", Object::Integer(flags)),
        (
            "FontBBox",
            Object::Array(m.bbox.iter().map(|&v| units(v)).collect()),
        ),
        ("ItalicAngle", Object::Real(m.italic_angle)),
        ("Ascent", units(m.ascent)),
        ("Descent", units(m.descent)),
        ("CapHeight", units(m.cap_height)),
        ("StemV", Object::Integer(stem_v)),
        (file_key, Object::Reference(program)),
    ]));
    // /W: runs of consecutive codes with their widths.
    let mut by_code: Vec<(u16, f32)> = subset.codes.values().copied().collect();
    by_code.sort_by_key(|&(code, _)| code);
    let mut w = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut run_start = 0u16;
    let mut prev: Option<u16> = None;
    for (code, width) in by_code {
        if prev.is_some_and(|p| p + 1 != code) {
            w.push(Object::Integer(i64::from(run_start)));
            w.push(Object::Array(std::mem::take(&mut run)));
        }
        if run.is_empty() {
            run_start = code;
        }
        run.push(Object::Integer(width as i64));
        prev = Some(code);
    }
    if !run.is_empty() {
        w.push(Object::Integer(i64::from(run_start)));
        w.push(Object::Array(run));
    }
    let mut cid_font = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        (
            "Subtype",
            Object::Name(if m.cff {
                b"CIDFontType0".to_vec()
            } else {
                b"CIDFontType2".to_vec()
            }),
        ),
        ("BaseFont", Object::Name(name.clone().into_bytes())),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Registry", Object::string_literal("Adobe")),
                ("Ordering", Object::string_literal("Identity")),
                ("Supplement", Object::Integer(0)),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor)),
        ("DW", Object::Integer(1000)),
        ("W", Object::Array(w)),
    ]);
    if !m.cff {
        cid_font.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
    }
    let cid_font = doc.add_object(cid_font);
    // ISO 32000-1 9.7.6.1: with a CFF CIDFont, the Type0 name is the
    // CIDFont's name, a hyphen and the CMap name.
    let type0_name = if m.cff {
        format!("{name}-Identity-H")
    } else {
        name
    };
    let type0 = doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", Object::Name(type0_name.into_bytes())),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Reference(cid_font)]),
        ),
        ("ToUnicode", Object::Reference(cmap)),
    ]));
    (type0, program)
}

/// Puts `program` into the font program stream `id` that [`add_font`] left
/// empty (`streams`: the document's, by ID).
fn set_program(streams: &mut serial::Direct, id: ObjectId, program: &Program) -> Result<()> {
    let Ok(at) = streams.binary_search_by_key(&id, |(id, _)| *id) else {
        return Err(write_error("the font program object is missing"));
    };
    let Object::Stream(stream) = &mut streams[at].1 else {
        return Err(write_error("the font program object is not a stream"));
    };
    if stream.dict.has(b"Length1") {
        stream
            .dict
            .set("Length1", Object::Integer(program.raw_len as i64));
    }
    if program.deflated {
        stream
            .dict
            .set("Filter", Object::Name(b"FlateDecode".to_vec()));
    }
    stream.set_content(program.bytes.clone());
    Ok(())
}

/// Serialises laid-out pages to PDF bytes.
pub fn write_pdf(
    font: &Font,
    laid: &Laid,
    meta: &Metadata<'_>,
    subsets: &WriteCache,
) -> Result<Vec<u8>> {
    let used = used_glyphs(laid);
    let subset = (!used.is_empty()).then(|| Subset::new(font, &used));
    let mcids = marked_content_ids(laid);
    let contents: Vec<Vec<u8>> = laid
        .pages
        .iter()
        .zip(&mcids)
        .map(|(p, m)| match &subset {
            Some(s) => content_stream(&p.items, &s.codes, m, &laid.tree),
            None => Vec::new(),
        })
        .collect();
    let mut doc = PdfDocument::new(meta.title);
    let info = &mut doc.metadata.info;
    info.subject = meta.subject.to_string();
    info.keywords = meta.keywords.to_vec();
    info.author = meta.author.unwrap_or_default().to_string();
    info.creator = "talkdoc".to_string();
    info.producer = format!("talkdoc {}", env!("CARGO_PKG_VERSION"));
    doc.pages = laid
        .pages
        .iter()
        .map(|p| {
            let (width, height) = p.size;
            PdfPage::new(
                printpdf::Mm::from(Pt(width)),
                printpdf::Mm::from(Pt(height)),
                Vec::new(),
            )
        })
        .collect();

    let opts = PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    // Tagged PDF, /Lang per element and XMP are PDF 1.4+ (1.7 is ISO 32000-1).
    lo.version = "1.7".to_string();
    let page_ids: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    let font_ids = subset
        .as_ref()
        .map(|s| add_font(&mut lo, font, s, &laid.unicode));
    let font_id = font_ids.map(|(type0, _)| type0);
    for (page, stream) in page_ids.iter().zip(contents) {
        set_page_content(&mut lo, *page, stream, font_id)?;
    }
    // The structure elements, already serialised (see `serial::save`).
    let mut packed = Vec::new();
    let tree_root = add_structure(&mut lo, laid, &mcids, &page_ids, &mut packed);
    packed.sort_unstable_by_key(|(id, _)| *id);
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set(
            "MarkInfo",
            Object::Dictionary(Dictionary::from_iter(vec![(
                "Marked",
                Object::Boolean(true),
            )])),
        );
        if let Some(root) = tree_root {
            catalog.set("StructTreeRoot", Object::Reference(root));
        }
    }
    post_process(&mut lo, laid, meta);
    compress_streams(&mut lo, subsets);
    // The file ID must depend on the content only: serialise with a
    // placeholder ID, hash the bytes, then write the hash over the
    // placeholder (same length, so nothing else moves).
    let placeholder = || Object::String(vec![0; 16], StringFormat::Hexadecimal);
    lo.trailer
        .set("ID", Object::Array(vec![placeholder(), placeholder()]));
    // Object streams and a cross-reference stream (PDF 1.5): the structure
    // tree's hundreds of small dictionaries deflated together.
    // The font program comes last: a warm-up on a core the run leaves
    // idle may be making it meanwhile (`WriteCache::prepare`).
    let mut bytes = serial::save(
        lo,
        packed,
        &|data| subsets.deflate(data, Level::Best),
        &mut |streams| match font_ids {
            Some((_, program)) => set_program(streams, program, &*subsets.program(font, &used)?),
            None => Ok(()),
        },
    )?;
    let [h1, h2] = content_id(&bytes);
    let id = format!("<{h1:016x}{h2:016x}>");
    // The trailer comes last: the last two placeholders are the ID.
    let needle = [b"<".as_slice(), &[b'0'; 32], b">"].concat();
    let mut end = bytes.len();
    for _ in 0..2 {
        let Some(at) = bytes[..end]
            .windows(needle.len())
            .rposition(|w| w == needle.as_slice())
        else {
            return Err(write_error("no file ID in the trailer"));
        };
        bytes[at..at + needle.len()].copy_from_slice(id.as_bytes());
        end = at;
    }
    Ok(bytes)
}

/// Per page and item, the MCID of each glyph run that is the content of a
/// structure element (numbered from 0 on each page); `None` for artifacts.
fn marked_content_ids(laid: &Laid) -> Vec<Vec<Option<u32>>> {
    let reachable = reachable_set(&laid.tree);
    laid.pages
        .iter()
        .map(|page| {
            let mut next = 0u32;
            page.items
                .iter()
                .map(|item| match item {
                    Item::Glyphs {
                        tag: Tag::Node(n),
                        glyphs,
                        ..
                    } if !glyphs.is_empty() && reachable.contains(n) => {
                        next += 1;
                        Some(next - 1)
                    }
                    _ => None,
                })
                .collect()
        })
        .collect()
}

fn reachable_set(tree: &Tree) -> BTreeSet<usize> {
    tree.reachable().into_iter().collect()
}

/// Writes the structure tree (one `StructElem` per element, kids in
/// reading order: elements, marked content, link annotations as `/OBJR`),
/// the link annotations (with `/StructParent` and `/Contents`), each
/// page's `/StructParents`, `/Annots` and `/Tabs /S`, and the parent tree
/// that maps both back to their elements. Returns the `StructTreeRoot`.
fn add_structure(
    doc: &mut lopdf::Document,
    laid: &Laid,
    mcids: &[Vec<Option<u32>>],
    pages: &[ObjectId],
    packed: &mut Vec<(u32, Vec<u8>)>,
) -> Option<ObjectId> {
    let tree = &laid.tree;
    let order = tree.reachable();
    if order.is_empty() {
        return None;
    }
    let root_id = doc.new_object_id();
    let ids: BTreeMap<usize, ObjectId> = order.iter().map(|&n| (n, doc.new_object_id())).collect();
    // Link annotations, in page order: their StructParent keys follow the pages'.
    let mut annots: BTreeMap<(usize, usize), (ObjectId, i64)> = BTreeMap::new();
    // (key, value) of the parent tree: a page's array of elements by MCID,
    // or an annotation's element.
    let mut parent_nums: Vec<(i64, Object)> = Vec::new();
    let mut next_key = pages.len() as i64;
    for (p, page) in laid.pages.iter().enumerate() {
        let Some(&page_id) = pages.get(p) else {
            continue;
        };
        let mut refs = Vec::new();
        let mut annot_refs = Vec::new();
        for (i, item) in page.items.iter().enumerate() {
            match item {
                Item::Glyphs {
                    tag: Tag::Node(n), ..
                } if mcids[p][i].is_some() => {
                    if let Some(&id) = ids.get(n) {
                        refs.push(Object::Reference(id));
                    }
                }
                Item::Link {
                    x1,
                    y1,
                    x2,
                    y2,
                    url,
                    node,
                } => {
                    let Some(&elem) = ids.get(node) else {
                        continue;
                    };
                    let key = next_key;
                    next_key += 1;
                    let contents = tree.nodes[*node].alt.as_deref().unwrap_or(url);
                    let id = doc.add_object(Dictionary::from_iter(vec![
                        ("Type", Object::Name(b"Annot".to_vec())),
                        ("Subtype", Object::Name(b"Link".to_vec())),
                        (
                            "Rect",
                            Object::Array([x1, y1, x2, y2].map(|v| Object::Real(*v)).to_vec()),
                        ),
                        ("Border", Object::Array(vec![0.into(), 0.into(), 0.into()])),
                        ("F", Object::Integer(4)),
                        ("H", Object::Name(b"I".to_vec())),
                        ("Contents", text_string(contents)),
                        (
                            "A",
                            Object::Dictionary(Dictionary::from_iter(vec![
                                ("Type", Object::Name(b"Action".to_vec())),
                                ("S", Object::Name(b"URI".to_vec())),
                                (
                                    "URI",
                                    Object::String(url.as_bytes().to_vec(), StringFormat::Literal),
                                ),
                            ])),
                        ),
                        ("StructParent", Object::Integer(key)),
                        ("P", Object::Reference(page_id)),
                    ]));
                    annots.insert((p, i), (id, key));
                    annot_refs.push(Object::Reference(id));
                    parent_nums.push((key, Object::Reference(elem)));
                }
                _ => {}
            }
        }
        let refs_id = doc.add_object(Object::Array(refs));
        parent_nums.push((p as i64, Object::Reference(refs_id)));
        if let Ok(d) = doc.get_dictionary_mut(page_id) {
            d.set("StructParents", Object::Integer(p as i64));
            if annot_refs.is_empty() {
                d.remove(b"Annots");
            } else {
                d.set("Annots", Object::Array(annot_refs));
                // PDF/UA: tab order follows the structure.
                d.set("Tabs", Object::Name(b"S".to_vec()));
            }
        }
    }
    // A number tree's keys must be sorted: pages first (0..n), then the
    // annotations (n..), met interleaved above.
    parent_nums.sort_by_key(|(k, _)| *k);
    let nums: Vec<Object> = parent_nums
        .into_iter()
        .flat_map(|(k, v)| [Object::Integer(k), v])
        .collect();
    let parent_tree = doc.add_object(Dictionary::from_iter(vec![("Nums", Object::Array(nums))]));
    for &n in &order {
        let node = &tree.nodes[n];
        let parent = match node.parent {
            Some(p) if ids.contains_key(&p) => ids[&p],
            _ => root_id,
        };
        // The element's page: that of its first content.
        let first_page = node.kids.iter().find_map(|k| match k {
            Kid::Content { page, .. } | Kid::Annot { page, .. } => Some(*page),
            Kid::Node(_) => None,
        });
        // The element as PDF syntax, written here rather than built as
        // a lopdf dictionary: a handout has hundreds (a dictionary, its
        // keys and kids are a dozen allocations each, then serialised
        // anyway). Byte for byte what `serial::write_object` writes.
        let mut d = Vec::with_capacity(96 + 8 * node.kids.len());
        d.extend_from_slice(b"<</Type/StructElem/S");
        serial::write_name(&mut d, node.role.name().as_bytes());
        d.extend_from_slice(b"/P ");
        serial::write_reference(&mut d, parent);
        if let Some(&page_id) = first_page.and_then(|p| pages.get(p)) {
            d.extend_from_slice(b"/Pg ");
            serial::write_reference(&mut d, page_id);
        }
        if let Some(lang) = &node.lang {
            d.extend_from_slice(b"/Lang");
            serial::write_object(&mut d, &text_string(lang));
        }
        d.extend_from_slice(b"/K[");
        let mut first_kid = true;
        // Numbers and references are separated from what precedes them;
        // dictionaries are not.
        let mut separate = |d: &mut Vec<u8>, spaced: bool| {
            if !first_kid && spaced {
                d.push(b' ');
            }
            first_kid = false;
        };
        for kid in &node.kids {
            match *kid {
                Kid::Node(c) => {
                    if let Some(&id) = ids.get(&c) {
                        separate(&mut d, true);
                        serial::write_reference(&mut d, id);
                    }
                }
                Kid::Content { page, item } => {
                    let (Some(Some(mcid)), Some(&page_id)) =
                        (mcids.get(page).and_then(|m| m.get(item)), pages.get(page))
                    else {
                        continue;
                    };
                    if Some(page) == first_page {
                        separate(&mut d, true);
                        serial::write_int(&mut d, i64::from(*mcid));
                    } else {
                        separate(&mut d, false);
                        d.extend_from_slice(b"<</Type/MCR/Pg ");
                        serial::write_reference(&mut d, page_id);
                        d.extend_from_slice(b"/MCID ");
                        serial::write_int(&mut d, i64::from(*mcid));
                        d.extend_from_slice(b">>");
                    }
                }
                Kid::Annot { page, item } => {
                    let (Some(&(annot, _)), Some(&page_id)) =
                        (annots.get(&(page, item)), pages.get(page))
                    else {
                        continue;
                    };
                    separate(&mut d, false);
                    d.extend_from_slice(b"<</Type/OBJR/Pg ");
                    serial::write_reference(&mut d, page_id);
                    d.extend_from_slice(b"/Obj ");
                    serial::write_reference(&mut d, annot);
                    d.extend_from_slice(b">>");
                }
            }
        }
        d.extend_from_slice(b"]>>");
        packed.push((ids[&n].0, d));
    }
    doc.objects.insert(
        root_id,
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"StructTreeRoot".to_vec())),
            ("K", Object::Reference(ids[&order[0]])),
            ("ParentTree", Object::Reference(parent_tree)),
            ("ParentTreeNextKey", Object::Integer(next_key)),
        ])),
    );
    Some(root_id)
}

/// Puts the page's content stream in place and the font in its resources.
fn set_page_content(
    lo: &mut lopdf::Document,
    page: ObjectId,
    stream: Vec<u8>,
    font: Option<ObjectId>,
) -> Result<()> {
    let page_dict = lo
        .get_dictionary(page)
        .map_err(|e| write_error(format!("page without a dictionary: {e}")))?;
    let contents = page_dict.get(b"Contents").ok().cloned();
    let resources = page_dict.get(b"Resources").ok().cloned();
    match contents {
        Some(Object::Reference(id)) => {
            if let Ok(Object::Stream(st)) = lo.get_object_mut(id) {
                st.dict.remove(b"Filter");
                st.set_content(stream);
            }
        }
        _ => {
            let id = lo.add_object(Stream::new(Dictionary::new(), stream));
            if let Ok(d) = lo.get_dictionary_mut(page) {
                d.set("Contents", Object::Reference(id));
            }
        }
    }
    let Some(font) = font else {
        return Ok(());
    };
    let fonts = Object::Dictionary(Dictionary::from_iter(vec![(
        FONT_ID,
        Object::Reference(font),
    )]));
    let dict = match resources {
        Some(Object::Reference(id)) => lo.get_dictionary_mut(id).ok(),
        Some(Object::Dictionary(_)) => lo
            .get_dictionary_mut(page)
            .ok()
            .and_then(|d| d.get_mut(b"Resources").ok())
            .and_then(|r| r.as_dict_mut().ok()),
        _ => None,
    };
    match dict {
        Some(d) => d.set("Font", fonts),
        None => {
            if let Ok(d) = lo.get_dictionary_mut(page) {
                d.set(
                    "Resources",
                    Object::Dictionary(Dictionary::from_iter(vec![("Font", fonts)])),
                );
            }
        }
    }
    Ok(())
}

/// Deflates the page content and ToUnicode streams at [`Level::Normal`]
/// (lopdf's own `compress` uses the slowest level, 9). The font program is
/// not touched here: `Program::new` deflated it once, at [`Level::Fast`]
/// (deflate gains ~11 % on charstrings at any level: on the Japanese
/// handout's 61 KB CFF 54.41 KB at 1, 54.38 KB at 3, 54.22 KB at 6), or
/// left it as it was when that did not shrink it. The XMP stream stays
/// readable for tools that do not parse PDF.
fn compress_streams(doc: &mut lopdf::Document, cache: &WriteCache) {
    for obj in doc.objects.values_mut() {
        let Object::Stream(stream) = obj else {
            continue;
        };
        let name = |key: &[u8]| stream.dict.get(key).and_then(Object::as_name).ok();
        let font_program =
            stream.dict.has(b"Length1") || name(b"Subtype") == Some(b"CIDFontType0C".as_slice());
        if stream.dict.has(b"Filter")
            || font_program
            || name(b"Type") == Some(b"Metadata".as_slice())
        {
            continue;
        }
        if let Some(compressed) = cache.deflate(&stream.content, Level::Normal)
            && compressed.len() + 19 < stream.content.len()
        {
            stream
                .dict
                .set("Filter", Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(compressed);
        }
    }
}

/// How hard deflate tries, and with which implementation: measured on
/// the Japanese handout's streams, miniz_oxide's level 1 is the fastest
/// way to shrink a CFF program at all (zlib-rs's level 1 stores it as is),
/// and zlib-rs is 2–2.5 times as fast as miniz_oxide on text-like streams
/// at the same size.
#[derive(Clone, Copy)]
enum Level {
    /// miniz_oxide level 1: for the font program, which deflate shrinks by
    /// ~11 % at any level.
    Fast,
    /// zlib-rs level 3: page content and ToUnicode text, a quarter of their
    /// size.
    Normal,
    /// zlib-rs level 6: the object and cross-reference streams (the
    /// structure tree's repetitive dictionaries gain most from the longer
    /// search).
    Best,
}

thread_local! {
    /// One compressor of each kind per render thread, reset and set to the
    /// stream's level between streams: setting one up costs as much as
    /// deflating a small page, and its ~300 KB of tables are fresh pages
    /// the first time (a page fault costs ~1.5 µs here).
    static MINIZ: std::cell::RefCell<Option<Box<CompressorOxide>>> =
        const { std::cell::RefCell::new(None) };
    static ZLIB: std::cell::RefCell<Option<flate2::Compress>> =
        const { std::cell::RefCell::new(None) };
}

/// zlib-wrapped deflate of `data` at `level`.
fn deflate_level(data: &[u8], level: Level) -> Option<Vec<u8>> {
    match level {
        Level::Fast => deflate_miniz(data, 1),
        Level::Normal => deflate_zlib(data, 3),
        Level::Best => deflate_zlib(data, 6),
    }
}

/// miniz_oxide directly (flate2 routes to zlib-rs here).
fn deflate_miniz(data: &[u8], level: u8) -> Option<Vec<u8>> {
    use miniz_oxide::deflate::core::{TDEFLFlush, TDEFLStatus, compress_to_output};
    MINIZ.with(|cell| {
        let mut cell = cell.borrow_mut();
        let c = cell.get_or_insert_with(|| {
            // zlib header (window bits 15), default strategy.
            let flags = miniz_oxide::deflate::core::create_comp_flags_from_zip_params(
                i32::from(level),
                15,
                0,
            );
            Box::new(CompressorOxide::new(flags))
        });
        c.reset();
        c.set_compression_level_raw(level);
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        let (status, consumed) = compress_to_output(c, data, TDEFLFlush::Finish, |chunk| {
            out.extend_from_slice(chunk);
            true
        });
        (status == TDEFLStatus::Done && consumed == data.len()).then_some(out)
    })
}

/// zlib-rs, through flate2, with a 16 KB window: page content and object
/// streams compress to the same size as with 32 KB (±1 %, measured on the
/// handouts), and the window and its chain table are 64 KB fewer bytes
/// zeroed, in fresh pages, per thread.
fn deflate_zlib(data: &[u8], level: u32) -> Option<Vec<u8>> {
    const WINDOW_BITS: u8 = 14;
    ZLIB.with(|cell| {
        let mut cell = cell.borrow_mut();
        let c = cell.get_or_insert_with(|| {
            flate2::Compress::new_with_window_bits(
                flate2::Compression::new(level),
                true,
                WINDOW_BITS,
            )
        });
        c.reset();
        c.set_level(flate2::Compression::new(level)).ok()?;
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let consumed = c.total_in() as usize;
            let status = c
                .compress_vec(&data[consumed..], &mut out, flate2::FlushCompress::Finish)
                .ok()?;
            match status {
                flate2::Status::StreamEnd => return Some(out),
                _ => out.reserve(out.capacity().max(1024)),
            }
        }
    })
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
        // printpdf writes these as UTF-16 even when ASCII.
        for key in ["Creator", "Producer"] {
            if let Some(v) = info.get(key.as_bytes()).ok().and_then(|v| v.as_str().ok()) {
                let v =
                    lopdf::decode_text_string(&Object::String(v.to_vec(), StringFormat::Literal))
                        .unwrap_or_default();
                info.set(key, text_string(&v));
            }
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
    let page_ids: Vec<ObjectId> = doc.get_pages().values().copied().collect();
    let heights: Vec<f32> = laid.pages.iter().map(|p| p.size.1).collect();
    let outline = build_outline(doc, &laid.outline, &page_ids, &heights);
    let xmp = {
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"Metadata".to_vec()));
        d.set("Subtype", Object::Name(b"XML".to_vec()));
        // Left uncompressed, so that tools that do not parse PDF find it.
        Some(doc.add_object(Stream::new(
            d,
            xmp_packet(laid, meta, date.as_deref()).into_bytes(),
        )))
    };
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
    if let Some(id) = xmp {
        catalog.set("Metadata", Object::Reference(id));
    }
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

/// `s` escaped for XML text.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The XMP metadata packet: the same title, subject, keywords, author,
/// producer and dates as the document information dictionary, the title
/// also in each part's language, the languages, and the PDF/UA-1
/// identification.
fn xmp_packet(laid: &Laid, meta: &Metadata<'_>, pdf_date: Option<&str>) -> String {
    use std::fmt::Write as _;
    let mut x = String::from(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" \
         xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" \
         xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n\
         <dc:format>application/pdf</dc:format>\n",
    );
    let _ = write!(
        x,
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li>",
        xml_escape(meta.title)
    );
    for (lang, title) in &laid.titles {
        let _ = write!(
            x,
            "<rdf:li xml:lang=\"{}\">{}</rdf:li>",
            xml_escape(lang),
            xml_escape(title)
        );
    }
    x.push_str("</rdf:Alt></dc:title>\n");
    let _ = writeln!(
        x,
        "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>",
        xml_escape(meta.subject)
    );
    if let Some(a) = meta.author {
        let _ = writeln!(
            x,
            "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>",
            xml_escape(a)
        );
    }
    x.push_str("<dc:language><rdf:Bag>");
    let mut langs: Vec<&str> = vec![meta.lang];
    for (lang, _) in &laid.titles {
        if !langs.contains(&lang.as_str()) {
            langs.push(lang);
        }
    }
    for l in langs {
        let _ = write!(x, "<rdf:li>{}</rdf:li>", xml_escape(l));
    }
    x.push_str("</rdf:Bag></dc:language>\n");
    let _ = writeln!(
        x,
        "<pdf:Keywords>{}</pdf:Keywords>",
        xml_escape(&meta.keywords.join(", "))
    );
    let _ = writeln!(
        x,
        "<pdf:Producer>talkdoc {}</pdf:Producer>\n<xmp:CreatorTool>talkdoc</xmp:CreatorTool>",
        env!("CARGO_PKG_VERSION")
    );
    // D:YYYYMMDDHHmmSSZ → YYYY-MM-DDTHH:mm:SSZ
    if let Some(d) = pdf_date.and_then(|d| d.strip_prefix("D:"))
        && d.len() >= 14
        && d.is_ascii()
    {
        let iso = format!(
            "{}-{}-{}T{}:{}:{}Z",
            &d[0..4],
            &d[4..6],
            &d[6..8],
            &d[8..10],
            &d[10..12],
            &d[12..14]
        );
        let _ = writeln!(
            x,
            "<xmp:CreateDate>{iso}</xmp:CreateDate>\n<xmp:ModifyDate>{iso}</xmp:ModifyDate>"
        );
    }
    x.push_str(
        "<pdfuaid:part>1</pdfuaid:part>\n</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n\
         <?xpacket end=\"r\"?>",
    );
    x
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
    heights: &[f32],
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
                Object::Array(vec![
                    Object::Reference(page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real((e.top + 4.0).min(heights.get(e.page).copied().unwrap_or(e.top))),
                    Object::Null,
                ]),
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
    use super::{Codes, num};
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn runs_of_the_same_columns_in_consecutive_rows_become_one_rectangle() {
        let runs = [
            [0, 1, 2],
            [0, 4, 1],
            [1, 1, 2],
            [2, 1, 2],
            [2, 4, 1],
            [3, 1, 3],
        ];
        assert_eq!(
            super::stacked(&runs),
            vec![[0, 1, 2, 3], [0, 4, 1, 1], [2, 4, 1, 1], [3, 1, 3, 1]]
        );
    }

    #[test]
    fn glyph_codes_are_found_as_a_map_finds_them() {
        // Glyph IDs at word edges, the largest, runs and gaps.
        let gids: Vec<u16> = [
            0u16, 1, 62, 63, 64, 65, 127, 128, 300, 301, 302, 4095, 17000, 65535,
        ]
        .into_iter()
        .chain((1000..1100).step_by(3))
        .collect::<BTreeSet<u16>>()
        .into_iter()
        .collect();
        let map: BTreeMap<u16, (u16, f32)> = gids
            .iter()
            .enumerate()
            .map(|(i, &g)| (g, (i as u16 + 1, f32::from(g % 7) * 100.0)))
            .collect();
        let codes = Codes::new(map.iter().map(|(&g, &e)| (g, e)).collect());
        for g in 0..=u16::MAX {
            assert_eq!(codes.get(&g), map.get(&g), "glyph {g}");
        }
        assert!(
            codes
                .iter()
                .map(|(g, e)| (*g, *e))
                .eq(map.iter().map(|(g, e)| (*g, *e)))
        );
        assert_eq!(Codes::new(Vec::new()).get(&0), None);
    }

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
