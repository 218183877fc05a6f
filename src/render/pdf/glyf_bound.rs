//! A work bound for the TrueType outlines `subsetter` subsets.
//!
//! Why: `subsetter` gathers the composite glyphs' components with a stack
//! that may hold the same glyph many times before it is first taken off,
//! and reads a composite's components again each time it is taken off. A
//! glyph made of 80,000 references to another composite costs it 80,000²
//! reads (a 960 KB font ran for minutes). [`check`] runs the same closure
//! with a count of the component records read, and refuses the font when
//! it passes [`MAX_READS`]; real fonts read a few per glyph.
//!
//! As with CFF, what could make `subsetter` read the font differently from
//! this walk is refused rather than handed on: `loca` offsets that go
//! backwards or past `glyf` (glyphs sharing bytes are copied once each), a
//! component beyond the glyph count (`subsetter` reads `loca` to its end),
//! a closure of more glyphs than its 16-bit glyph numbers hold.

use std::collections::{BTreeSet, HashSet};

use rustybuzz::ttf_parser::{RawFace, Tag};

/// Component records the closure of one subset may read.
const MAX_READS: usize = 1 << 20;

/// Glyphs one subset's closure may hold (`subsetter` numbers them in 16
/// bits and panics past that).
const MAX_GLYPHS: usize = 65_000;

/// Why `subsetter`'s closure over `used` (and `.notdef`) in the face
/// `index` of `data` could not be bounded, if it could not; a face without
/// `glyf` has nothing to close over.
pub fn check(data: &[u8], index: u32, used: &BTreeSet<u16>) -> Result<(), &'static str> {
    let Some(face) = RawFace::parse(data, index).ok() else {
        return Ok(());
    };
    let Some(glyf) = face.table(Tag::from_bytes(b"glyf")) else {
        return Ok(());
    };
    let malformed = "its glyf and loca tables disagree (offsets out of order or past the end)";
    let glyf = Glyf::read(&face, glyf).ok_or(malformed)?;
    let mut taken: HashSet<u16> = used.iter().copied().chain([0]).collect();
    let mut stack: Vec<u16> = taken.iter().copied().collect();
    let mut reads = 0usize;
    while let Some(gid) = stack.pop() {
        taken.insert(gid);
        if taken.len() > MAX_GLYPHS {
            return Err("its composite glyphs gather more glyphs than a subset can number");
        }
        reads += 1;
        let Some(glyph) = glyf.glyph(gid) else {
            return Err("a glyph it draws is beyond its glyph count");
        };
        for component in components(glyph) {
            reads += 1;
            if reads > MAX_READS {
                return Err(
                    "its composite glyphs take more than a million component reads to gather",
                );
            }
            if usize::from(component) >= glyf.count {
                return Err("a composite glyph names a component beyond its glyph count");
            }
            if !taken.contains(&component) {
                stack.push(component);
            }
        }
    }
    Ok(())
}

/// `glyf` with its glyphs' byte ranges from `loca`, checked in order.
struct Glyf<'a> {
    glyf: &'a [u8],
    /// numGlyphs + 1 offsets, non-decreasing, within `glyf`.
    offsets: Vec<usize>,
    count: usize,
}

impl<'a> Glyf<'a> {
    fn read(face: &RawFace<'a>, glyf: &'a [u8]) -> Option<Glyf<'a>> {
        let maxp = face.table(Tag::from_bytes(b"maxp"))?;
        let count = usize::from(u16::from_be_bytes(maxp.get(4..6)?.try_into().ok()?));
        let head = face.table(Tag::from_bytes(b"head"))?;
        let long = i16::from_be_bytes(head.get(50..52)?.try_into().ok()?) != 0;
        let loca = face.table(Tag::from_bytes(b"loca"))?;
        let size = if long { 4 } else { 2 };
        let offsets: Vec<usize> = (0..=count)
            .map(|i| {
                let b = loca.get(i * size..(i + 1) * size)?;
                Some(if long {
                    u32::from_be_bytes(b.try_into().ok()?) as usize
                } else {
                    usize::from(u16::from_be_bytes(b.try_into().ok()?)) * 2
                })
            })
            .collect::<Option<_>>()?;
        let ordered = offsets.windows(2).all(|w| w[0] <= w[1]);
        (ordered && offsets.last().is_some_and(|&end| end <= glyf.len())).then_some(Glyf {
            glyf,
            offsets,
            count,
        })
    }

    fn glyph(&self, gid: u16) -> Option<&'a [u8]> {
        let i = usize::from(gid);
        self.glyf
            .get(*self.offsets.get(i)?..*self.offsets.get(i + 1)?)
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
