//! A work bound for the TrueType fonts `subsetter` subsets.
//!
//! Why: `subsetter` gathers the composite glyphs' components with a stack
//! that may hold the same glyph many times before it is first taken off,
//! and reads a composite's components again each time it is taken off. A
//! glyph made of 80,000 references to another composite costs it 80,000²
//! reads (a 960 KB font ran for minutes). [`check`] runs the same closure
//! with a count of the component records read, and refuses the font when
//! it passes [`MAX_READS`]; real fonts read a few per glyph.

use std::collections::{BTreeSet, HashSet};

use rustybuzz::ttf_parser::{self, GlyphId, RawFace, Tag};

/// Component records the closure of one subset may read.
pub const MAX_READS: usize = 1 << 20;

/// Whether `subsetter`'s closure over `used` (and `.notdef`) in the face
/// `index` of `data` stays within [`MAX_READS`]; a face without `glyf` has
/// nothing to close over.
pub fn check(data: &[u8], index: u32, used: &BTreeSet<u16>) -> bool {
    let Some(glyf) = Glyf::read(data, index) else {
        return true;
    };
    let mut taken: HashSet<u16> = used.iter().copied().chain([0]).collect();
    let mut stack: Vec<u16> = taken.iter().copied().collect();
    let mut reads = 0usize;
    while let Some(gid) = stack.pop() {
        taken.insert(gid);
        reads += 1;
        let Some(glyph) = glyf.glyph(gid) else {
            continue;
        };
        for component in components(glyph) {
            reads += 1;
            if reads > MAX_READS {
                return false;
            }
            if !taken.contains(&component) {
                stack.push(component);
            }
        }
    }
    true
}

struct Glyf<'a> {
    glyf: &'a [u8],
    loca: ttf_parser::loca::Table<'a>,
}

impl<'a> Glyf<'a> {
    fn read(data: &'a [u8], index: u32) -> Option<Glyf<'a>> {
        let raw = RawFace::parse(data, index).ok()?;
        let face = ttf_parser::Face::parse(data, index).ok()?;
        let glyphs = std::num::NonZeroU16::new(face.number_of_glyphs())?;
        let head = ttf_parser::head::Table::parse(raw.table(Tag::from_bytes(b"head"))?)?;
        let loca = ttf_parser::loca::Table::parse(
            glyphs,
            head.index_to_location_format,
            raw.table(Tag::from_bytes(b"loca"))?,
        )?;
        Some(Glyf {
            glyf: raw.table(Tag::from_bytes(b"glyf"))?,
            loca,
        })
    }

    fn glyph(&self, gid: u16) -> Option<&'a [u8]> {
        self.glyf.get(self.loca.glyph_range(GlyphId(gid))?)
    }
}

/// The component glyph IDs of a composite glyph (none for a simple one),
/// read as `subsetter` reads them: until a record does not fit.
fn components(glyph: &[u8]) -> impl Iterator<Item = u16> + '_ {
    const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
    const WE_HAVE_A_SCALE: u16 = 0x0008;
    const MORE_COMPONENTS: u16 = 0x0020;
    const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
    const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;
    let composite = glyph
        .get(..2)
        .is_some_and(|b| i16::from_be_bytes([b[0], b[1]]) < 0);
    let mut at = if composite { 10 } else { glyph.len() };
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let word = |i: usize| {
            glyph
                .get(i..i + 2)
                .map(|b| u16::from_be_bytes([b[0], b[1]]))
        };
        let flags = word(at)?;
        let component = word(at + 2)?;
        at += 4;
        at += if flags & ARG_1_AND_2_ARE_WORDS != 0 {
            4
        } else {
            2
        };
        if flags & WE_HAVE_A_SCALE != 0 {
            at += 2;
        } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
            at += 4;
        } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
            at += 8;
        }
        done = flags & MORE_COMPONENTS == 0;
        Some(component)
    })
}
