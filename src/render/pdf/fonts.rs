//! Fonts: the built-in Noto Sans JP or a font file named in `content/`,
//! parsed once per run, and the glyph coverage check.

use std::collections::HashMap;
use std::path::Path;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// Marks a character the font does not have.
const MISSING: u32 = u32::MAX;

use printpdf::ParsedFont;

use crate::diag::{Diagnostic, Error, Result};
use crate::document::Document;

/// Noto Sans JP Regular, from the printpdf package (see build.rs).
static DEFAULT_FONT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/default-font.otf"));

/// Copyright and OFL licence of the built-in font; `talkdoc licenses` prints it.
pub static FONT_NOTICE: &str = include_str!(concat!(env!("OUT_DIR"), "/FONT-NOTICE.txt"));

/// A parsed font with cached glyph lookups.
pub struct Font {
    pub parsed: ParsedFont,
    /// Name for messages ("Noto Sans JP (built in)" or the file path).
    pub name: String,
    units_per_em: f32,
    /// Ascender and descender in em (descender negative).
    pub ascender: f32,
    pub descender: f32,
    /// Shared by the threads that render PDFs in parallel.
    bmp: Vec<AtomicU32>,
    /// Characters outside the BMP (rare: 𠮷 and friends).
    astral: RwLock<HashMap<char, Option<(u16, u16)>>>,
}

impl Font {
    /// The font compiled into the binary: same bytes on every machine.
    pub fn builtin() -> Result<Font> {
        Font::parse(DEFAULT_FONT, 0, "Noto Sans JP (built in)".to_string())
    }

    /// A font file (`.otf`, `.ttf`, or a face of a `.ttc`).
    pub fn from_file(path: &Path, shown: &Path, face: u32) -> Result<Font> {
        let bytes =
            std::fs::read(path).map_err(|e| Error::io("E0501", "read the font file", shown, &e))?;
        Font::parse(&bytes, face, shown.display().to_string())
    }

    fn parse(bytes: &[u8], face: u32, name: String) -> Result<Font> {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, face as usize, &mut warnings).ok_or_else(|| {
            Error::new(
                Diagnostic::error("E0502", format!("cannot parse the font {name} (face {face})"))
                    .help("use an OpenType (.otf), TrueType (.ttf) or collection (.ttc) file; for a .ttc set `font_index`"),
            )
        })?;
        let m = &parsed.pdf_font_metrics;
        let units_per_em = f32::from(m.units_per_em.max(1));
        Ok(Font {
            ascender: f32::from(m.ascender) / units_per_em,
            descender: f32::from(m.descender) / units_per_em,
            units_per_em,
            name,
            parsed,
            bmp: (0..0x10000).map(|_| AtomicU32::new(0)).collect(),
            astral: RwLock::new(HashMap::new()),
        })
    }

    /// Glyph ID and advance (in em) of `c`, if the font has it.
    pub fn glyph(&self, c: char) -> Option<(u16, f32)> {
        // Basic Multilingual Plane: a lock-free table filled on first use
        // (0 = not looked up yet, MISSING = not in the font, otherwise glyph
        // ID << 16 | advance in font units). Layout asks for every
        // character of every line, from several threads.
        if let Some(slot) = self.bmp.get(c as usize) {
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
        self.parsed
            .lookup_glyph_index(c as u32)
            .filter(|&g| g != 0)
            .map(|g| (g, self.parsed.get_horizontal_advance(g)))
    }

    /// Advance of `c` in em; zero for characters the font lacks (the
    /// coverage check has already rejected those).
    pub fn advance(&self, c: char) -> f32 {
        self.glyph(c).map_or(0.0, |(_, a)| a)
    }

    /// The advance the PDF viewer uses for `c`, in em: the `/W` entry,
    /// which printpdf writes as whole thousandths of an em, truncated.
    pub fn pdf_width(&self, c: char) -> f32 {
        (self.advance(c) * 1000.0).trunc() / 1000.0
    }

    pub fn has(&self, c: char) -> bool {
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
                        "E0503",
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
