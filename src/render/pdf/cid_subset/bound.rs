//! A work bound for the CFF fonts `subsetter` subsets (name-keyed CFF, and
//! CID-keyed fonts this module does not copy).
//!
//! Why: `subsetter` splices every subroutine into the glyphs it keeps,
//! with no limit on the result. A 3 KB font whose glyph calls a
//! subroutine that calls the next two hundred times, nine deep, would keep
//! it busy for longer than the universe has existed. Before a font goes to
//! `subsetter`, [`check`] walks each kept glyph the way `subsetter`'s
//! decompiler does (the same operators, operand stack, hint counting,
//! subroutine numbering and depth limit), charging every routine it enters
//! its length, and refuses a glyph that reads more than
//! [`WORK_PER_GLYPH`](super::WORK_PER_GLYPH) bytes.
//!
//! The walk can only vouch for what it follows exactly, so anything it
//! does not (a table it cannot read strictly, an operator or operand it
//! stops at, a DICT naming an operator twice, an INDEX with a bad offset)
//! is refused too, never handed on: `subsetter` reads some of these more
//! leniently, and could splice on where the walk stopped. Real fonts have
//! none of them (a test walks every glyph of the built-in font).

use std::collections::BTreeSet;

use super::{
    Entry, Index, OP_CHAR_STRINGS, OP_FD_ARRAY, OP_FD_SELECT, OP_PRIVATE, OP_ROS, OP_SUBRS,
};
use super::{dict, index, operands, read_fd_select};

/// `subsetter`'s limits: operand stack depth and subroutine nesting.
const MAX_OPERANDS: usize = 48;
const MAX_DEPTH: u8 = 64;

/// Type 2's limit on stem hints. `subsetter` counts them in 16 bits and
/// wraps, which changes how many bytes a hint mask takes: past the limit
/// the walk stops rather than guess.
const MAX_HINTS: usize = 96;

/// Charstring bytes all glyphs of one subset may read together.
/// `subsetter` keeps every glyph it splices, ~24 bytes per byte read, until
/// the font is written: 8 MB read is ~200 MB held. A page of kanji reads
/// a few hundred KB.
pub const WORK_PER_SUBSET: usize = 8 << 20;

/// Why a font may not go to `subsetter`.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// This glyph reads more than the work bound.
    TooLarge(u16),
    /// The glyphs together read more than [`WORK_PER_SUBSET`].
    TooLargeTogether,
    /// The walk stopped in this glyph at something it does not follow.
    Unfollowed(u16),
    /// The CFF table is not read strictly enough to bound anything.
    Unreadable,
}

/// Checks the glyphs `used` (and `.notdef`) of the `CFF ` table `data`.
pub fn check(data: &[u8], used: &BTreeSet<u16>) -> Result<(), Refusal> {
    let font = Font::parse(data).ok_or(Refusal::Unreadable)?;
    font.check(data, used, WORK_PER_SUBSET)
}

impl Font {
    /// [`check`] with `budget` bytes for all glyphs together.
    fn check(&self, data: &[u8], used: &BTreeSet<u16>, mut budget: usize) -> Result<(), Refusal> {
        let font = self;
        for gid in std::iter::once(0).chain(used.iter().copied()) {
            let range = font
                .char_strings
                .get(data, usize::from(gid))
                .ok_or(Refusal::Unfollowed(gid))?;
            let locals = font.locals(data, gid)?;
            let allowed = super::WORK_PER_GLYPH.min(budget);
            let mut walk = Walk {
                data,
                globals: &font.globals,
                locals,
                stack: Vec::new(),
                hints: 0,
                mask_bytes: 0,
                work: allowed,
            };
            match walk.routine(range, 1) {
                Ok(_) => budget -= allowed - walk.work,
                Err(Stop::TooLarge) if allowed < super::WORK_PER_GLYPH => {
                    return Err(Refusal::TooLargeTogether);
                }
                Err(Stop::TooLarge) => return Err(Refusal::TooLarge(gid)),
                Err(Stop::Rejected) => return Err(Refusal::Unfollowed(gid)),
            }
        }
        Ok(())
    }
}

/// Whether every item of `ix` lies where its offsets say, in order: an
/// INDEX `subsetter` would read only in part (it stops at the first bad
/// item, which changes the subroutine bias) is not walked.
fn whole(data: &[u8], ix: &Index) -> bool {
    if ix.count == 0 {
        return true;
    }
    let mut last = 1;
    (0..=ix.count).all(|i| {
        ix.offset(data, i).is_some_and(|o| {
            let ok = o >= last && (i > 0 || o == 1) && ix.base + o <= ix.end;
            last = o;
            ok
        })
    })
}

/// A DICT with no operator twice (`subsetter` takes the last of two, this
/// module the first).
fn strict(entries: Vec<Entry>) -> Option<Vec<Entry>> {
    let mut ops: Vec<u16> = entries.iter().map(|e| e.op).collect();
    ops.sort_unstable();
    ops.windows(2).all(|w| w[0] != w[1]).then_some(entries)
}

struct Font {
    globals: Index,
    char_strings: Index,
    /// Local subroutines: one set for a name-keyed font, one per Font DICT
    /// (chosen by FDSelect) for a CID-keyed one.
    locals: Locals,
}

enum Locals {
    Name(Option<Index>),
    Cid(super::FdSelect, Vec<Option<Index>>),
}

impl Font {
    fn parse(data: &[u8]) -> Option<Font> {
        let header_size = usize::from(*data.get(2)?);
        let name = index(data, header_size)?;
        let top = index(data, name.end)?;
        let strings = index(data, top.end)?;
        let globals = index(data, strings.end)?;
        let entries = strict(dict(data, top.get(data, 0)?)?)?;
        let char_strings = index(data, *operands(&entries, OP_CHAR_STRINGS)?.first()?)?;
        if !(whole(data, &globals) && whole(data, &char_strings)) {
            return None;
        }
        let subrs_of = |private: &[usize]| -> Option<Option<Index>> {
            let [size, offset] = private[..] else {
                return None;
            };
            let private = strict(dict(data, offset..offset.checked_add(size)?)?)?;
            Some(match operands(&private, OP_SUBRS) {
                Some(v) => {
                    let subrs = index(data, offset.checked_add(*v.first()?)?)?;
                    Some(whole(data, &subrs).then_some(subrs)?)
                }
                None => None,
            })
        };
        let locals = if entries.iter().any(|e| e.op == OP_ROS) {
            let fd_array = index(data, *operands(&entries, OP_FD_ARRAY)?.first()?)?;
            if !whole(data, &fd_array) || fd_array.count > 256 {
                return None;
            }
            let select = read_fd_select(
                data,
                *operands(&entries, OP_FD_SELECT)?.first()?,
                char_strings.count,
            )?;
            let mut fds = Vec::with_capacity(fd_array.count);
            for i in 0..fd_array.count {
                let fd = strict(dict(data, fd_array.get(data, i)?)?)?;
                fds.push(subrs_of(&operands(&fd, OP_PRIVATE)?)?);
            }
            Locals::Cid(select, fds)
        } else {
            Locals::Name(match operands(&entries, OP_PRIVATE) {
                Some(private) => subrs_of(&private)?,
                None => None,
            })
        };
        Some(Font {
            globals,
            char_strings,
            locals,
        })
    }

    /// The local subroutines of glyph `gid`; a glyph whose FD cannot be
    /// told is not walked.
    fn locals(&self, data: &[u8], gid: u16) -> Result<Option<&Index>, Refusal> {
        match &self.locals {
            Locals::Name(subrs) => Ok(subrs.as_ref()),
            Locals::Cid(select, fds) => select
                .get(data, usize::from(gid))
                .and_then(|fd| fds.get(usize::from(fd)))
                .map(Option::as_ref)
                .ok_or(Refusal::Unfollowed(gid)),
        }
    }
}

#[derive(Debug, PartialEq)]
enum Stop {
    /// Past the work bound.
    TooLarge,
    /// Something the walk does not follow.
    Rejected,
}

#[derive(Debug, PartialEq)]
enum End {
    Return,
    EndChar,
}

/// One glyph's walk, in `subsetter`'s decompiler's terms.
struct Walk<'a> {
    data: &'a [u8],
    globals: &'a Index,
    locals: Option<&'a Index>,
    /// Operands: integers, `None` for a fraction.
    stack: Vec<Option<i32>>,
    hints: usize,
    /// Bytes after each hint mask operator, fixed at the first one.
    mask_bytes: usize,
    work: usize,
}

/// `subsetter`'s subroutine bias (by count).
fn bias(count: usize) -> i64 {
    match count {
        0..1240 => 107,
        1240..33900 => 1131,
        _ => 32768,
    }
}

impl Walk<'_> {
    fn routine(&mut self, range: std::ops::Range<usize>, depth: u8) -> Result<End, Stop> {
        if depth > MAX_DEPTH {
            return Err(Stop::Rejected);
        }
        self.work = self
            .work
            .checked_sub(range.len().max(1))
            .ok_or(Stop::TooLarge)?;
        let cs = self.data.get(range).ok_or(Stop::Rejected)?;
        let byte = |i: usize| cs.get(i).copied().ok_or(Stop::Rejected);
        let mut i = 0;
        while i < cs.len() {
            let b = cs[i];
            if b == 28 || b >= 32 {
                let (len, value) = match b {
                    28 => (
                        3,
                        Some(i32::from(i16::from_be_bytes([byte(i + 1)?, byte(i + 2)?]))),
                    ),
                    32..=246 => (1, Some(i32::from(b) - 139)),
                    247..=250 => (
                        2,
                        Some((i32::from(b) - 247) * 256 + i32::from(byte(i + 1)?) + 108),
                    ),
                    251..=254 => (
                        2,
                        Some(-(i32::from(b) - 251) * 256 - i32::from(byte(i + 1)?) - 108),
                    ),
                    _ => {
                        let fixed = i32::from_be_bytes([
                            byte(i + 1)?,
                            byte(i + 2)?,
                            byte(i + 3)?,
                            byte(i + 4)?,
                        ]);
                        // 16.16: an integer when the fraction is zero.
                        (5, (fixed & 0xFFFF == 0).then_some(fixed >> 16))
                    }
                };
                if self.stack.len() == MAX_OPERANDS {
                    return Err(Stop::Rejected);
                }
                self.stack.push(value);
                i += len;
                continue;
            }
            i += 1;
            match b {
                12 => {
                    // flex, hflex, hflex1, flex1; nothing else of the
                    // escaped operators.
                    if !(34..=37).contains(&byte(i)?) {
                        return Err(Stop::Rejected);
                    }
                    i += 1;
                    self.stack.clear();
                }
                // hstem, vstem, hstemhm, vstemhm
                1 | 3 | 18 | 23 => self.count_hints()?,
                4 | 5 | 6 | 7 | 8 | 21 | 22 | 24 | 25 | 26 | 27 | 30 | 31 => self.stack.clear(),
                11 => return Ok(End::Return),
                10 | 29 => {
                    let n = self.stack.pop().flatten().ok_or(Stop::Rejected)?;
                    let subrs = if b == 10 {
                        self.locals.ok_or(Stop::Rejected)?
                    } else {
                        self.globals
                    };
                    let at = usize::try_from(i64::from(n) + bias(subrs.count))
                        .map_err(|_| Stop::Rejected)?;
                    let range = subrs.get(self.data, at).ok_or(Stop::Rejected)?;
                    if self.routine(range, depth + 1)? == End::EndChar {
                        return Ok(End::EndChar);
                    }
                }
                19 | 20 => {
                    if self.mask_bytes == 0 {
                        self.count_hints()?;
                        self.mask_bytes = self.hints.div_ceil(8);
                    }
                    i += self.mask_bytes;
                    if i > cs.len() {
                        return Err(Stop::Rejected);
                    }
                }
                14 => {
                    // `seac` (endchar with four operands) is not supported.
                    if self.stack.len() >= 4 {
                        return Err(Stop::Rejected);
                    }
                    return Ok(End::EndChar);
                }
                _ => return Err(Stop::Rejected),
            }
        }
        Ok(End::Return)
    }

    fn count_hints(&mut self) -> Result<(), Stop> {
        self.hints += self.stack.len() / 2;
        self.stack.clear();
        if self.hints > MAX_HINTS {
            return Err(Stop::Rejected);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::cid_subset::write_index;
    use rustybuzz::ttf_parser;

    /// No false alarm on a real font: every glyph of the built-in Noto
    /// Sans JP (CID-keyed, 17,000 glyphs, subroutines everywhere) passes.
    #[test]
    fn every_glyph_of_the_built_in_font_is_within_the_bound() {
        let face = ttf_parser::RawFace::parse(crate::render::pdf::fonts::DEFAULT_FONT, 0).unwrap();
        let cff = face.table(ttf_parser::Tag::from_bytes(b"CFF ")).unwrap();
        let font = Font::parse(cff).expect("a CFF table the walk reads");
        let all: BTreeSet<u16> = (0..font.char_strings.count as u16).collect();
        assert!(all.len() > 17_000);
        assert_eq!(font.check(cff, &all, usize::MAX), Ok(()));
        // Two thousand of them fit the bound for one subset; with a budget
        // of 100 KB for all of them together they do not.
        let some: BTreeSet<u16> = all.iter().copied().step_by(8).collect();
        assert_eq!(check(cff, &some), Ok(()));
        assert_eq!(
            font.check(cff, &some, 100 << 10),
            Err(Refusal::TooLargeTogether)
        );
    }

    /// Walks `glyph` with `routines` as global subroutines.
    fn walk(routines: &[Vec<u8>], glyph: &[u8]) -> (Result<End, Stop>, usize) {
        let mut data = Vec::new();
        write_index(&mut data, routines.iter().map(Vec::as_slice));
        let globals = index(&data, 0).unwrap();
        let at = data.len();
        data.extend_from_slice(glyph);
        let mut w = Walk {
            data: &data,
            globals: &globals,
            locals: None,
            stack: Vec::new(),
            hints: 0,
            mask_bytes: 0,
            work: super::super::WORK_PER_GLYPH,
        };
        let end = w.routine(at..data.len(), 1);
        (end, w.work)
    }

    /// Subroutine `i` calls `i + 1` `calls` times; the last returns.
    fn chain(calls: usize, depth: usize, call: impl Fn(usize) -> Vec<u8>) -> Vec<Vec<u8>> {
        (0..depth)
            .map(|i| {
                let mut r = Vec::new();
                if i + 1 < depth {
                    for _ in 0..calls {
                        r.extend(call(i + 1));
                    }
                }
                r.push(11);
                r
            })
            .collect()
    }

    /// A charstring operand for global subroutine `n` (bias 107).
    fn number(n: usize) -> u8 {
        (n as i32 - 107 + 139) as u8
    }

    #[test]
    fn a_routine_tree_past_the_bound_is_too_large_and_a_small_one_passes() {
        let call = |n| vec![number(n), 29];
        let (end, _) = walk(&chain(50, 10, call), &[number(0), 29, 14]);
        assert_eq!(end, Err(Stop::TooLarge));
        let (end, left) = walk(&chain(3, 4, call), &[number(0), 29, 14]);
        assert_eq!(end, Ok(End::EndChar));
        assert!(left < super::super::WORK_PER_GLYPH);
    }

    /// subsetter takes a call's number from the top of the operand stack,
    /// wherever it was pushed: numbers pushed ahead and called one by one
    /// (which the splice in `cid_subset` does not follow) are walked too.
    #[test]
    fn numbers_pushed_ahead_of_their_calls_are_followed() {
        let ahead = |n| {
            // Four at a time: the operands left at each level stay
            // within subsetter's 48.
            let mut r = vec![number(n); 4];
            r.extend(std::iter::repeat_n(29, 4));
            r
        };
        let routines = chain(1, 12, ahead);
        let (end, _) = walk(&routines, &[number(0), 29, 14]);
        assert_eq!(end, Err(Stop::TooLarge), "4 calls per level, 11 levels");
    }

    /// What the walk does not follow stops it (and `check` then refuses
    /// the font: see `Refusal::Unfollowed`).
    #[test]
    fn what_the_walk_does_not_follow_stops_it() {
        // An arithmetic operator (12 10: add), nesting past 64, seac, a
        // call number with a fraction.
        let (end, _) = walk(&[], &[139, 139, 12, 10, 14]);
        assert_eq!(end, Err(Stop::Rejected));
        let deep: Vec<Vec<u8>> = (0..70).map(|i| vec![number(i + 1), 29, 11]).collect();
        let (end, _) = walk(&deep, &[number(0), 29, 14]);
        assert_eq!(end, Err(Stop::Rejected));
        let (end, _) = walk(&[], &[139, 139, 139, 139, 14]);
        assert_eq!(end, Err(Stop::Rejected));
        let (end, _) = walk(&[vec![11]], &[255, 0xFF, 0x95, 0x00, 0x01, 29, 14]);
        assert_eq!(end, Err(Stop::Rejected));
        // More than 96 stem hints (40 operands, hstem, five times).
        let mut stems = Vec::new();
        for _ in 0..5 {
            stems.extend([139; 40]);
            stems.push(1);
        }
        stems.push(14);
        let (end, _) = walk(&[], &stems);
        assert_eq!(end, Err(Stop::Rejected));
        // The same call number as an integral 16.16 is followed.
        let (end, _) = walk(&[vec![11]], &[255, 0xFF, 0x95, 0x00, 0x00, 29, 14]);
        assert_eq!(end, Ok(End::EndChar));
    }

    /// An INDEX whose offsets go backwards, or a DICT naming an operator
    /// twice, is not read.
    #[test]
    fn indexes_and_dicts_are_read_strictly() {
        let mut data = Vec::new();
        write_index(&mut data, [&b"ab"[..], &b"c"[..]].into_iter());
        let ix = index(&data, 0).unwrap();
        assert!(whole(&data, &ix));
        // Offsets 1, 3, 4 → 1, 5, 4 (the second item ends after the third).
        let at = ix.offsets_at + ix.size;
        data[at..at + ix.size].copy_from_slice(&5u32.to_be_bytes()[4 - ix.size..]);
        assert!(!whole(&data, &index(&data, 0).unwrap()));
        let twice = [139, 17, 140, 17];
        assert!(strict(dict(&twice, 0..4).unwrap()).is_none());
        let once = [139, 17, 140, 18];
        assert!(strict(dict(&once, 0..4).unwrap()).is_some());
        // A real with the reserved nibble 0xd, and a good one (1.5).
        assert!(dict(&[30, 0x1d, 0xff, 17], 0..4).is_none());
        assert!(dict(&[30, 0x1a, 0x5f, 17], 0..4).is_some());
    }
}
