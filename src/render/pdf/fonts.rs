//! Fonts: the built-in Noto Sans JP or a font file named in `content/`,
//! parsed once per run with a zero-copy parser (`ttf-parser`), shaped with
//! `rustybuzz`, subset per PDF with `subsetter`. One [`Font`] is shared
//! read-only by every render thread.

use crate::codes::Code;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use rustybuzz::{Direction, Feature, ShapePlan, UnicodeBuffer, script, ttf_parser};

use super::cid_subset::CidFont;
use crate::diag::{Diagnostic, Error, Result};
use crate::document::Document;

/// Marks a character the font does not have.
const MISSING: u32 = u32::MAX;

/// Noto Sans JP Regular, from the printpdf package (see build.rs).
pub(crate) static DEFAULT_FONT: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/default-font.otf"));

/// Copyright and OFL licence of the built-in font; `talkdoc licenses` prints it.
pub static FONT_NOTICE: &str = include_str!(concat!(env!("OUT_DIR"), "/FONT-NOTICE.txt"));

/// What the PDF font descriptor needs, read from the font's tables, in font
/// units (the writer scales them to thousandths of an em).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Metrics {
    pub units_per_em: u16,
    /// hhea (or OS/2 typo, when the font asks for it) ascender and descender.
    pub ascent: i16,
    pub descent: i16,
    /// OS/2 `sCapHeight` (falls back to the ascender when the table has none).
    pub cap_height: i16,
    /// head `xMin yMin xMax yMax`.
    pub bbox: [i16; 4],
    /// post `italicAngle`, degrees.
    pub italic_angle: f32,
    /// OS/2 `usWeightClass` (400 when absent).
    pub weight: u16,
    /// The PostScript name (name ID 6), for `/BaseFont` and `/FontName`.
    pub postscript_name: String,
    /// CFF outlines (embedded as a bare CFF program) or TrueType `glyf`.
    pub cff: bool,
}

/// One shaped glyph: the glyph ID, its advance and offsets in em, and the
/// byte offset in the shaped text of the first character it stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ShapedGlyph {
    pub gid: u16,
    pub cluster: usize,
    pub advance: f32,
    pub dx: f32,
    pub dy: f32,
}

/// A parsed font: metrics, cached cmap lookups and shaping plans.
pub struct Font {
    /// The font file (the binary's own bytes, or a file read once per run).
    data: &'static [u8],
    index: u32,
    face: rustybuzz::Face<'static>,
    /// Name for messages ("Noto Sans JP (built in)" or the file path).
    pub name: String,
    pub(crate) metrics: Metrics,
    units_per_em: f32,
    /// Ascender in em.
    pub ascender: f32,
    /// Descender in em (negative): where link underlines go.
    pub descender: f32,
    /// Shaping plans: Latin text with kerning and ligatures, and CJK text
    /// without kerning (Japanese keeps its character grid).
    latin_plan: OnceLock<ShapePlan>,
    cjk_plan: OnceLock<ShapePlan>,
    /// cmap lookups for the Basic Multilingual Plane, lock-free (0 = not
    /// looked up yet, MISSING = not in the font, otherwise glyph ID << 16 |
    /// advance in font units), in blocks of 256 characters made on first
    /// use: a Japanese document touches a few dozen blocks, not the whole
    /// 256 KB (fresh pages cost more than the lookups they save). Shared by
    /// the threads that render PDFs.
    bmp: Vec<OnceLock<Box<[AtomicU32]>>>,
    /// Characters outside the BMP (rare: 𠮷 and friends).
    astral: RwLock<HashMap<char, Option<(u16, u16)>>>,
    /// Shaped runs by text: a paragraph appears in several documents of a
    /// run (the abstract alone, in the handout, in the bilingual handout)
    /// and is shaped once. Clusters are relative to the run.
    shaped: RwLock<HashMap<ShapeKey, Arc<[ShapedGlyph]>>>,
    /// The CFF table read for subsetting, on the first PDF that needs it.
    cid: OnceLock<Option<CidFont<'static>>>,
}

/// A shaped run's key: CJK or not, and its text.
type ShapeKey = (bool, Box<str>);

impl std::fmt::Debug for Font {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Font")
            .field("name", &self.name)
            .field("metrics", &self.metrics)
            .finish_non_exhaustive()
    }
}

/// Whether `c` belongs to CJK text, set on the character grid without
/// kerning: CJK letters (kana, kanji, hangul: [`crate::script`]) and,
/// whatever their script, the characters made for the grid: CJK
/// punctuation and symbols, the kana voicing marks, bopomofo, kanbun,
/// strokes, enclosed and compatibility forms, vertical forms and the
/// full-width forms (`Ａ`, `１`, `！`).
fn is_cjk(c: char) -> bool {
    crate::script::is_cjk_letter(c)
        || matches!(c as u32,
            0x2E80..=0x2FFF
            | 0x3000..=0x303F
            | 0x3099..=0x309C
            | 0x30A0
            | 0x30FB
            | 0x3100..=0x312F
            | 0x3190..=0x31EF
            | 0x3200..=0x33FF
            | 0xFE10..=0xFE1F
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFFEF)
}

impl Font {
    /// The font compiled into the binary: same bytes on every machine.
    pub fn builtin() -> Result<Font> {
        Font::parse(DEFAULT_FONT, 0, "Noto Sans JP (built in)".to_string())
    }

    /// A font file (`.otf`, `.ttf`, or a face of a `.ttc`). It is read once
    /// per run and lives as long as the process (every PDF of the run
    /// borrows from it).
    pub fn from_file(path: &Path, shown: &Path, face: u32) -> Result<Font> {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::io(Code::E0501, "read the font file", shown, &e))?;
        let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        Font::parse(data, face, shown.display().to_string())
    }

    fn parse(data: &'static [u8], index: u32, name: String) -> Result<Font> {
        let unusable = || {
            Error::new(
                Diagnostic::error(Code::E0502, format!("cannot parse the font {name} (face {index})"))
                    .help("use an OpenType (.otf), TrueType (.ttf) or collection (.ttc) file; for a .ttc set `font_index`"),
            )
        };
        let ttf = ttf_parser::Face::parse(data, index).map_err(|_| unusable())?;
        let tables = ttf.tables();
        let cff = tables.cff.is_some();
        if !(cff || tables.glyf.is_some()) || ttf.units_per_em() == 0 {
            // CFF2 (variable) and bitmap-only fonts cannot be subset here.
            return Err(unusable());
        }
        let upm = ttf.units_per_em();
        let ascent = ttf.ascender();
        let descent = ttf.descender();
        let bbox = ttf.global_bounding_box();
        let postscript_name = ttf
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .map(|s| {
                s.chars()
                    .filter(|c| c.is_ascii_graphic() && !"[](){}<>/%#".contains(*c))
                    .collect::<String>()
            })
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "Font".to_string());
        let metrics = Metrics {
            units_per_em: upm,
            ascent,
            descent,
            cap_height: ttf.capital_height().filter(|&h| h > 0).unwrap_or(ascent),
            bbox: [bbox.x_min, bbox.y_min, bbox.x_max, bbox.y_max],
            italic_angle: ttf.italic_angle(),
            weight: tables.os2.map_or(400, |t| t.weight().to_number()),
            postscript_name,
            cff,
        };
        let units_per_em = f32::from(upm);
        Ok(Font {
            data,
            index,
            face: rustybuzz::Face::from_face(ttf),
            ascender: f32::from(ascent) / units_per_em,
            descender: f32::from(descent) / units_per_em,
            units_per_em,
            metrics,
            name,
            latin_plan: OnceLock::new(),
            cjk_plan: OnceLock::new(),
            bmp: (0..0x100).map(|_| OnceLock::new()).collect(),
            astral: RwLock::new(HashMap::new()),
            shaped: RwLock::new(HashMap::new()),
            cid: OnceLock::new(),
        })
    }

    /// The font's CFF table, when it is CID-keyed and this crate subsets it
    /// itself (see `cid_subset`); `None` for TrueType and other CFF fonts,
    /// which `subsetter` subsets.
    pub(crate) fn cid(&self) -> Option<&CidFont<'static>> {
        self.cid
            .get_or_init(|| {
                if !self.metrics.cff {
                    return None;
                }
                // The table from the face parsed once per run, not a second
                // read of the table directory.
                let cff = self
                    .face
                    .raw_face()
                    .table(ttf_parser::Tag::from_bytes(b"CFF "))?;
                CidFont::parse(cff)
            })
            .as_ref()
    }

    /// Why subsetting the glyphs `used` (and `.notdef`) could take
    /// unbounded work, if it could: `subsetter` splices a CFF font's
    /// subroutines in without a limit, so a CFF font is walked first with
    /// one (`cid_subset::bound`), and one the walk cannot follow is refused
    /// too. TrueType composites are gathered with a bound too
    /// (`glyf_bound`).
    pub fn unbounded(&self, used: &std::collections::BTreeSet<u16>) -> Option<String> {
        use super::cid_subset::bound::{self, Refusal};
        // subsetter takes glyf when a font has both: both are bounded.
        if let Err(why) = super::glyf_bound::check(self.data, self.index, used) {
            return Some(why.to_string());
        }
        if !self.metrics.cff {
            return None;
        }
        let table = ttf_parser::RawFace::parse(self.data, self.index)
            .ok()
            .and_then(|f| f.table(ttf_parser::Tag::from_bytes(b"CFF ")));
        let Some(table) = table else {
            return Some("its CFF table cannot be read".to_string());
        };
        match bound::check(table, used) {
            Ok(()) => None,
            Err(Refusal::TooLarge(gid)) => Some(format!(
                "glyph {gid} expands past {} KB once its subroutines are spliced in: the font is built to blow up",
                super::cid_subset::WORK_PER_GLYPH >> 10
            )),
            Err(Refusal::TooLargeTogether) => Some(format!(
                "its glyphs together expand past {} MB once their subroutines are spliced in",
                super::cid_subset::bound::WORK_PER_SUBSET >> 20
            )),
            Err(Refusal::Unfollowed(gid)) => Some(format!(
                "glyph {gid} has a charstring whose subsetting talkdoc cannot bound (an operator or operand it does not follow)"
            )),
            Err(Refusal::Unreadable) => Some(
                "its CFF table is malformed (a DICT naming an operator twice, an INDEX with a bad offset, or a DICT over 64 KB)"
                    .to_string(),
            ),
        }
    }

    /// The font file and face index, for the subsetter.
    pub fn data(&self) -> (&'static [u8], u32) {
        (self.data, self.index)
    }

    /// Font units per em (what glyph advances are measured in).
    pub fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// Advance of glyph `gid` in font units, as the font's hmtx has it (the
    /// PDF `/W` entry).
    pub fn glyph_advance_units(&self, gid: u16) -> u16 {
        self.face
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .unwrap_or(0)
    }

    /// Glyph ID and advance (in em) of `c`, if the font has it.
    pub fn glyph(&self, c: char) -> Option<(u16, f32)> {
        if let Some(block) = self.bmp.get(c as usize >> 8) {
            let slot = &block.get_or_init(|| (0..0x100).map(|_| AtomicU32::new(0)).collect())
                [c as usize & 0xFF];
            let packed = slot.load(Ordering::Relaxed);
            if packed != 0 {
                return self.unpack(packed);
            }
            let packed = self.lookup(c).map_or(MISSING, |(g, units)| {
                (u32::from(g) << 16) | u32::from(units)
            });
            slot.store(packed, Ordering::Relaxed);
            return self.unpack(packed);
        }
        if let Some(hit) = self.astral.read().ok().and_then(|m| m.get(&c).copied()) {
            return hit.map(|(g, units)| (g, f32::from(units) / self.units_per_em));
        }
        let found = self.lookup(c);
        if let Ok(mut m) = self.astral.write() {
            m.insert(c, found);
        }
        found.map(|(g, units)| (g, f32::from(units) / self.units_per_em))
    }

    fn unpack(&self, packed: u32) -> Option<(u16, f32)> {
        (packed != MISSING).then(|| {
            (
                (packed >> 16) as u16,
                (packed & 0xFFFF) as f32 / self.units_per_em,
            )
        })
    }

    /// Glyph ID and advance in font units, straight from the font.
    fn lookup(&self, c: char) -> Option<(u16, u16)> {
        self.face
            .glyph_index(c)
            .filter(|g| g.0 != 0)
            .map(|g| (g.0, self.glyph_advance_units(g.0)))
    }

    /// Advance of `c` in em; zero for characters the font lacks (the
    /// coverage check has already rejected those).
    pub fn advance(&self, c: char) -> f32 {
        self.glyph(c).map_or(0.0, |(_, a)| a)
    }

    pub(crate) fn has(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    /// The first of `candidates` the font can draw.
    pub fn pick(&self, candidates: &[char]) -> char {
        candidates
            .iter()
            .copied()
            .find(|&c| self.has(c))
            .unwrap_or('-')
    }

    fn plan(&self, cjk: bool) -> &ShapePlan {
        let (cell, script, features) = if cjk {
            // The character grid: no proportional (kerned) kana or punctuation.
            (
                &self.cjk_plan,
                script::HAN,
                &[Feature::new(ttf_parser::Tag::from_bytes(b"kern"), 0, ..)][..],
            )
        } else {
            // Kerning and standard ligatures are on by default.
            (&self.latin_plan, script::LATIN, &[][..])
        };
        cell.get_or_init(|| {
            ShapePlan::new(
                &self.face,
                Direction::LeftToRight,
                Some(script),
                None,
                features,
            )
        })
    }

    /// Shapes `text` (one style, no line breaks), splitting it into CJK and
    /// other runs; clusters are byte offsets in `text` plus `base`.
    pub(crate) fn shape(&self, text: &str, base: usize, out: &mut Vec<ShapedGlyph>) {
        let mut start = 0;
        let mut run_cjk: Option<bool> = None;
        for (i, c) in text.char_indices() {
            // Spaces and other neutral characters stay with the run they are in.
            let neutral = c.is_whitespace() || (c.is_ascii_punctuation() && run_cjk.is_some());
            if neutral {
                continue;
            }
            let cjk = is_cjk(c);
            match run_cjk {
                Some(r) if r != cjk => {
                    self.shape_run(&text[start..i], r, base + start, out);
                    start = i;
                    run_cjk = Some(cjk);
                }
                None => run_cjk = Some(cjk),
                _ => {}
            }
        }
        if start < text.len() {
            self.shape_run(&text[start..], run_cjk.unwrap_or(false), base + start, out);
        }
    }

    fn shape_run(&self, text: &str, cjk: bool, base: usize, out: &mut Vec<ShapedGlyph>) {
        let key = (cjk, Box::<str>::from(text));
        let cached = self.shaped.read().ok().and_then(|m| m.get(&key).cloned());
        let glyphs = match cached {
            Some(g) => g,
            None => {
                let g = self.shape_uncached(text, cjk);
                if let Ok(mut m) = self.shaped.write() {
                    m.insert(key, g.clone());
                }
                g
            }
        };
        out.extend(glyphs.iter().map(|g| ShapedGlyph {
            cluster: base + g.cluster,
            ..*g
        }));
    }

    fn shape_uncached(&self, text: &str, cjk: bool) -> Arc<[ShapedGlyph]> {
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(Direction::LeftToRight);
        buffer.set_script(if cjk { script::HAN } else { script::LATIN });
        let glyphs = rustybuzz::shape_with_plan(&self.face, self.plan(cjk), buffer);
        let em = self.units_per_em;
        glyphs
            .glyph_infos()
            .iter()
            .zip(glyphs.glyph_positions())
            .map(|(info, pos)| ShapedGlyph {
                gid: u16::try_from(info.glyph_id).unwrap_or(0),
                cluster: info.cluster as usize,
                advance: pos.x_advance as f32 / em,
                dx: pos.x_offset as f32 / em,
                dy: pos.y_offset as f32 / em,
            })
            .collect()
    }

    /// Every character of the document must be in the font: a missing glyph
    /// would print as an empty box, so it is an error naming the character,
    /// its code point and the message it came from.
    pub fn check_coverage(&self, doc: &Document) -> Result<()> {
        let mut errors = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (message_id, text) in doc.visible_strings() {
            for c in text.chars() {
                if c == '\n' || c == ' ' || self.has(c) || !seen.insert((c, message_id.clone())) {
                    continue;
                }
                let shown = if c.is_control() {
                    String::from("(control)")
                } else {
                    format!("'{c}'")
                };
                errors.push(
                    Diagnostic::error(
                        Code::E0503,
                        format!(
                            "character {shown} (U+{:04X}) is not in the font {} (locale `{}`, document `{}`)",
                            c as u32, self.name, doc.locale, doc.name
                        ),
                    )
                    .id(message_id.clone())
                    .help("change the text, or set [pdf] font = \"path/to/font.otf\" in content/project.toml to a font that has it"),
                );
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::many(errors))
        }
    }
}
