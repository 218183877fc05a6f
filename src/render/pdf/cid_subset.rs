//! Subsetting a CID-keyed CFF font (the built-in Noto Sans JP, and the
//! CJK OpenType fonts a user may name) without `subsetter`.
//!
//! Why by hand: `subsetter` decodes every kept glyph into instructions and
//! encodes it again (~5 µs a glyph: 2 ms of a 10 ms Japanese handout, and
//! ~10 ms of a full build's CPU). Removing subroutines only needs the
//! charstring's bytes copied with each call replaced by the routine's
//! bytes; numbers and operators are never re-encoded (~0.2 µs a glyph).
//! Everything else is copied from the font: the Top DICT (its offsets
//! rewritten), the String INDEX verbatim (so every string ID stays valid),
//! and the Font DICTs and Private DICTs of the FDs the glyphs use (their
//! `Subrs` dropped). The output depends only on the font and the glyph
//! set. Fonts this does not handle (SID-keyed CFF, arithmetic charstring
//! operators, malformed tables) get `None`: the caller uses `subsetter`.
//!
//! Format: Adobe Technical Notes #5176 (CFF) and #5177 (Type 2 charstrings).

use std::collections::BTreeSet;

pub mod bound;

/// An INDEX, read lazily: the font's CharStrings INDEX has an offset per
/// glyph (17,000 in Noto Sans JP), and a subset needs a few hundred.
struct Index {
    count: usize,
    /// Where the offsets start, and their size in bytes.
    offsets_at: usize,
    size: usize,
    /// The byte before the data: offsets count from it.
    base: usize,
    /// Where the INDEX ends.
    end: usize,
}

fn u16_at(data: &[u8], at: usize) -> Option<usize> {
    Some(usize::from(u16::from_be_bytes(
        data.get(at..at + 2)?.try_into().ok()?,
    )))
}

/// The INDEX at `at` (count, offset size, offsets, data).
fn index(data: &[u8], at: usize) -> Option<Index> {
    let count = u16_at(data, at)?;
    if count == 0 {
        return Some(Index {
            count,
            offsets_at: at + 2,
            size: 1,
            base: at + 1,
            end: at + 2,
        });
    }
    let size = usize::from(*data.get(at + 2)?);
    if !(1..=4).contains(&size) {
        return None;
    }
    let offsets_at = at + 3;
    let mut index = Index {
        count,
        offsets_at,
        size,
        base: offsets_at + (count + 1) * size - 1,
        end: 0,
    };
    index.end = index.base + index.offset(data, count)?;
    (index.end <= data.len()).then_some(index)
}

impl Index {
    fn offset(&self, data: &[u8], i: usize) -> Option<usize> {
        let at = self.offsets_at + i * self.size;
        let b = data.get(at..at + self.size)?;
        Some(b.iter().fold(0usize, |v, &x| (v << 8) | usize::from(x)))
    }

    /// The byte range of item `i`.
    fn get(&self, data: &[u8], i: usize) -> Option<std::ops::Range<usize>> {
        if i >= self.count {
            return None;
        }
        let (a, b) = (self.offset(data, i)?, self.offset(data, i + 1)?);
        (a <= b && self.base + b <= self.end).then(|| self.base + a..self.base + b)
    }
}

/// One DICT entry: the operator (12 x as 1200 + x), its operands as
/// integers where they are (reals as `None`), and its bytes.
struct Entry {
    op: u16,
    operands: Vec<Option<i64>>,
    bytes: std::ops::Range<usize>,
}

/// Longest DICT read. Real Top, Font and Private DICTs take a few hundred
/// bytes; every operand read costs an entry, so a font's 16 MB DICT would
/// cost ~300 MB of memory.
const MAX_DICT: usize = 1 << 16;

/// The entries of the DICT in `data[range]`.
fn dict(data: &[u8], range: std::ops::Range<usize>) -> Option<Vec<Entry>> {
    if range.len() > MAX_DICT {
        return None;
    }
    let mut out = Vec::new();
    let mut i = range.start;
    let mut start = i;
    let mut operands = Vec::new();
    while i < range.end {
        let b = *data.get(i)?;
        match b {
            0..=21 => {
                let op = if b == 12 {
                    i += 1;
                    1200 + u16::from(*data.get(i)?)
                } else {
                    u16::from(b)
                };
                i += 1;
                out.push(Entry {
                    op,
                    operands: std::mem::take(&mut operands),
                    bytes: start..i,
                });
                start = i;
            }
            28 => {
                let v = i16::from_be_bytes(data.get(i + 1..i + 3)?.try_into().ok()?);
                operands.push(Some(i64::from(v)));
                i += 3;
            }
            29 => {
                let v = i32::from_be_bytes(data.get(i + 1..i + 5)?.try_into().ok()?);
                operands.push(Some(i64::from(v)));
                i += 5;
            }
            30 => {
                // A real: nibbles up to one of 0xf; 0xd is reserved (a
                // reader that stops there would see a different DICT).
                i += 1;
                loop {
                    let n = *data.get(i)?;
                    i += 1;
                    if n >> 4 == 0x0d || (n >> 4 != 0x0f && n & 0x0f == 0x0d) {
                        return None;
                    }
                    if n & 0x0f == 0x0f || n >> 4 == 0x0f {
                        break;
                    }
                }
                operands.push(None);
            }
            32..=246 => {
                operands.push(Some(i64::from(b) - 139));
                i += 1;
            }
            247..=250 => {
                let b1 = i64::from(*data.get(i + 1)?);
                operands.push(Some((i64::from(b) - 247) * 256 + b1 + 108));
                i += 2;
            }
            251..=254 => {
                let b1 = i64::from(*data.get(i + 1)?);
                operands.push(Some(-(i64::from(b) - 251) * 256 - b1 - 108));
                i += 2;
            }
            _ => return None,
        }
    }
    operands.is_empty().then_some(out)
}

/// The integer operands of `op` in `entries`.
fn operands(entries: &[Entry], op: u16) -> Option<Vec<usize>> {
    let e = entries.iter().find(|e| e.op == op)?;
    e.operands
        .iter()
        .map(|v| v.and_then(|v| usize::try_from(v).ok()))
        .collect()
}

const OP_CHARSET: u16 = 15;
const OP_CHAR_STRINGS: u16 = 17;
const OP_PRIVATE: u16 = 18;
const OP_SUBRS: u16 = 19;
const OP_ROS: u16 = 1230;
const OP_CID_COUNT: u16 = 1234;
const OP_FD_ARRAY: u16 = 1236;
const OP_FD_SELECT: u16 = 1237;

/// A Font DICT of the FDArray, its Private DICT and local subroutines.
struct Fd {
    /// The Font DICT without its `Private` entry.
    font_dict: Vec<u8>,
    /// The Private DICT without its `Subrs` entry.
    private: Vec<u8>,
    subrs: Option<Index>,
}

/// A CID-keyed CFF table, read once per run.
pub struct CidFont<'a> {
    data: &'a [u8],
    header: &'a [u8],
    name_index: &'a [u8],
    string_index: &'a [u8],
    /// The Top DICT without the entries the subset rewrites.
    top_dict: Vec<u8>,
    global_subrs: Index,
    char_strings: Index,
    fd_select: FdSelect,
    fds: Vec<Fd>,
    /// Glyphs already freed of subroutines, by glyph ID: a run's PDFs
    /// share most of their glyphs (a watch session, all of them).
    spliced: std::sync::RwLock<std::collections::HashMap<u16, Box<[u8]>>>,
}

/// Why [`CidFont::subset`] made no program.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// Something this module does not copy (an arithmetic charstring
    /// operator, a malformed charstring): `subsetter` may still take it.
    Unsupported,
    /// The glyph with this ID expands past [`WORK_PER_GLYPH`] once its
    /// subroutines are spliced in: a font built to blow up, refused
    /// outright (handing it to another subsetter would not end).
    TooLarge(u16),
}

/// Charstring bytes read to free one glyph of its subroutines, at most.
/// Real glyphs read a few hundred (Noto Sans JP's largest, a few
/// thousand); subroutines calling each other ten deep, each several
/// times, could otherwise read more bytes than there are atoms.
pub const WORK_PER_GLYPH: usize = 1 << 20;

impl<'a> CidFont<'a> {
    /// Reads the `CFF ` table `data`; `None` unless it is a CID-keyed font
    /// this module can subset.
    pub fn parse(data: &'a [u8]) -> Option<CidFont<'a>> {
        let header_size = usize::from(*data.get(2)?);
        let name = index(data, header_size)?;
        let top = index(data, name.end)?;
        let strings = index(data, top.end)?;
        let global_subrs = index(data, strings.end)?;
        let top_range = top.get(data, 0)?;
        let entries = dict(data, top_range)?;
        entries.iter().find(|e| e.op == OP_ROS)?;
        let char_strings = index(data, *operands(&entries, OP_CHAR_STRINGS)?.first()?)?;
        let glyphs = char_strings.count;
        let fd_array = index(data, *operands(&entries, OP_FD_ARRAY)?.first()?)?;
        let fd_select = read_fd_select(data, *operands(&entries, OP_FD_SELECT)?.first()?, glyphs)?;
        let mut fds = Vec::with_capacity(fd_array.count);
        for i in 0..fd_array.count {
            let fd_entries = dict(data, fd_array.get(data, i)?)?;
            let private = operands(&fd_entries, OP_PRIVATE)?;
            let [size, offset] = private[..] else {
                return None;
            };
            let private_range = offset..offset.checked_add(size)?;
            let private_entries = dict(data, private_range.clone())?;
            let subrs = match operands(&private_entries, OP_SUBRS) {
                Some(v) => Some(index(data, offset.checked_add(*v.first()?)?)?),
                None => None,
            };
            fds.push(Fd {
                font_dict: without(data, &fd_entries, &[OP_PRIVATE]),
                private: without(data, &private_entries, &[OP_SUBRS]),
                subrs,
            });
        }
        if fd_select.max_fd(data)? >= fds.len() {
            return None;
        }
        let top_dict = without(
            data,
            &entries,
            &[
                OP_CHARSET,
                OP_CHAR_STRINGS,
                OP_PRIVATE,
                OP_CID_COUNT,
                OP_FD_ARRAY,
                OP_FD_SELECT,
                16, // Encoding: none in a CID-keyed font.
            ],
        );
        Some(CidFont {
            data,
            header: data.get(..header_size)?,
            name_index: data.get(header_size..name.end)?,
            string_index: data.get(top.end..strings.end)?,
            top_dict,
            global_subrs,
            char_strings,
            fd_select,
            fds,
            spliced: Default::default(),
        })
    }

    /// The CFF program for `.notdef` and `used` (original glyph IDs), in
    /// that order: glyph `i` of the subset has CID `i`.
    pub fn subset(&self, used: &BTreeSet<u16>) -> Result<Vec<u8>, Refusal> {
        let mut too_large = None;
        self.subset_or(used, &mut too_large).ok_or(match too_large {
            Some(gid) => Refusal::TooLarge(gid),
            None => Refusal::Unsupported,
        })
    }

    /// [`CidFont::subset`]; `None` with `too_large` set for a glyph over
    /// [`WORK_PER_GLYPH`].
    fn subset_or(&self, used: &BTreeSet<u16>, too_large: &mut Option<u16>) -> Option<Vec<u8>> {
        let glyphs: Vec<usize> = std::iter::once(0)
            .chain(used.iter().map(|&g| usize::from(g)).filter(|&g| g != 0))
            .collect();
        // FDs in order of first use.
        let mut fd_map: Vec<Option<u8>> = vec![None; self.fds.len()];
        let mut fd_order: Vec<usize> = Vec::new();
        let mut select: Vec<u8> = Vec::with_capacity(glyphs.len());
        let mut charstrings: Vec<u8> = Vec::new();
        let mut ends: Vec<usize> = Vec::with_capacity(glyphs.len());
        for &g in &glyphs {
            let fd = usize::from(self.fd_select.get(self.data, g)?);
            let new = match fd_map[fd] {
                Some(n) => n,
                None => {
                    let n = u8::try_from(fd_order.len()).ok()?;
                    fd_map[fd] = Some(n);
                    fd_order.push(fd);
                    n
                }
            };
            select.push(new);
            let gid = u16::try_from(g).ok()?;
            let kept = self
                .spliced
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .get(&gid)
                .map(|cs| charstrings.extend_from_slice(cs))
                .is_some();
            if !kept {
                let start = charstrings.len();
                let spliced = self.splice(g, fd, &mut charstrings);
                if spliced == Some(false) {
                    *too_large = Some(gid);
                }
                if spliced != Some(true) {
                    return None;
                }
                self.spliced
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(gid, charstrings[start..].into());
            }
            ends.push(charstrings.len());
        }
        Some(self.write(&glyphs, &select, &fd_order, &charstrings, &ends))
    }

    /// Appends glyph `g` (of Font DICT `fd`) to `out` with its
    /// subroutines spliced in: `Some(true)` when done, `Some(false)` when
    /// it expands past [`WORK_PER_GLYPH`], `None` when it cannot be read.
    fn splice(&self, g: usize, fd: usize, out: &mut Vec<u8>) -> Option<bool> {
        let range = self.char_strings.get(self.data, g)?;
        let locals = self.fds.get(fd)?.subrs.as_ref();
        let mut splice = Splice {
            work: WORK_PER_GLYPH,
            ..Splice::default()
        };
        let ran = splice.run(self.data, range, &self.global_subrs, locals, out, 0);
        if splice.work == 0 {
            return Some(false);
        }
        ran.map(|_| true)
    }

    fn write(
        &self,
        glyphs: &[usize],
        select: &[u8],
        fd_order: &[usize],
        charstrings: &[u8],
        ends: &[usize],
    ) -> Vec<u8> {
        let n = glyphs.len();
        // Everything after the Top DICT, its offsets relative to `base`.
        let mut tail = Vec::new();
        tail.extend_from_slice(self.string_index);
        tail.extend_from_slice(&[0, 0]); // no global subroutines
        let charset_at = tail.len();
        if n > 1 {
            // Format 2: CIDs 1.. for glyphs 1.., one range.
            tail.push(2);
            tail.extend_from_slice(&1u16.to_be_bytes());
            tail.extend_from_slice(&((n - 2) as u16).to_be_bytes());
        } else {
            tail.push(0);
        }
        let fd_select_at = tail.len();
        // Format 3: ranges of glyphs with the same FD.
        let mut ranges: Vec<(u16, u8)> = Vec::new();
        for (gid, &fd) in select.iter().enumerate() {
            if ranges.last().is_none_or(|&(_, f)| f != fd) {
                ranges.push((gid as u16, fd));
            }
        }
        tail.push(3);
        tail.extend_from_slice(&(ranges.len() as u16).to_be_bytes());
        for (first, fd) in &ranges {
            tail.extend_from_slice(&first.to_be_bytes());
            tail.push(*fd);
        }
        tail.extend_from_slice(&(n as u16).to_be_bytes());
        // Each Font DICT ends with `size offset Private`, two 5-byte
        // integers and the operator: its length is known before the
        // offsets are.
        const PRIVATE_ENTRY: usize = 11;
        let fd_array_at = tail.len();
        let fd_array_len = index_len(
            fd_order
                .iter()
                .map(|&fd| self.fds[fd].font_dict.len() + PRIVATE_ENTRY),
        );
        // (Private DICT size, its offset after `base`) per kept FD.
        let mut private_at = fd_array_at + fd_array_len;
        let mut privates = Vec::new();
        let mut private_of = Vec::with_capacity(fd_order.len());
        for &fd in fd_order {
            let private = &self.fds[fd].private;
            private_of.push((private.len(), private_at));
            privates.extend_from_slice(private);
            private_at += private.len();
        }
        let char_strings_at = private_at;
        // The Top DICT: copied entries, then the glyph count and the four
        // offsets, each a 5-byte integer (its length known in advance).
        let top_len = self.top_dict.len() + 3 * 7 + 2 * 6;
        let base = self.header.len() + self.name_index.len() + index_len(std::iter::once(top_len));
        let mut top = self.top_dict.clone();
        for (v, op) in [
            (n, &[12u8, 34][..]),
            (base + charset_at, &[OP_CHARSET as u8][..]),
            (base + fd_select_at, &[12, 37][..]),
            (base + fd_array_at, &[12, 36][..]),
            (base + char_strings_at, &[OP_CHAR_STRINGS as u8][..]),
        ] {
            int5(&mut top, v as i64);
            top.extend_from_slice(op);
        }
        assert_eq!(top.len(), top_len, "Top DICT length");
        let mut out = Vec::with_capacity(base + char_strings_at + charstrings.len() + 4 * n);
        out.extend_from_slice(self.header);
        out.extend_from_slice(self.name_index);
        write_index(&mut out, std::iter::once(top.as_slice()));
        assert_eq!(out.len(), base, "Top DICT offset");
        out.extend_from_slice(&tail);
        let dicts: Vec<Vec<u8>> = fd_order
            .iter()
            .zip(private_of)
            .map(|(&fd, (size, at))| {
                let mut d = self.fds[fd].font_dict.clone();
                int5(&mut d, size as i64);
                int5(&mut d, (base + at) as i64);
                d.push(OP_PRIVATE as u8);
                d
            })
            .collect();
        write_index(&mut out, dicts.iter().map(Vec::as_slice));
        out.extend_from_slice(&privates);
        assert_eq!(out.len(), base + char_strings_at, "CharStrings offset");
        write_index(
            &mut out,
            ends.iter().enumerate().map(|(i, &end)| {
                let start = if i == 0 { 0 } else { ends[i - 1] };
                &charstrings[start..end]
            }),
        );
        out
    }
}

/// The bytes of `entries` except those of the operators in `drop`.
fn without(data: &[u8], entries: &[Entry], drop: &[u16]) -> Vec<u8> {
    entries
        .iter()
        .filter(|e| !drop.contains(&e.op))
        .flat_map(|e| data[e.bytes.clone()].iter().copied())
        .collect()
}

/// Which FD each glyph belongs to: FDSelect format 0 (a byte per glyph)
/// or 3 (ranges), read in place.
struct FdSelect {
    format: u8,
    at: usize,
    glyphs: usize,
    /// Format 3: the number of ranges.
    ranges: usize,
}

fn read_fd_select(data: &[u8], at: usize, glyphs: usize) -> Option<FdSelect> {
    let format = *data.get(at)?;
    let ranges = match format {
        0 => {
            data.get(at + 1..at + 1 + glyphs)?;
            0
        }
        3 => {
            let ranges = u16_at(data, at + 1)?;
            // Ranges ascend from glyph 0 to the sentinel, the glyph count.
            let mut prev = None;
            for r in 0..=ranges {
                let first = u16_at(data, at + 3 + r * 3)?;
                if prev.is_some_and(|p| first <= p) || (r == 0 && first != 0) {
                    return None;
                }
                prev = Some(first);
            }
            if prev != Some(glyphs) {
                return None;
            }
            ranges
        }
        _ => return None,
    };
    Some(FdSelect {
        format,
        at,
        glyphs,
        ranges,
    })
}

impl FdSelect {
    /// The FD of glyph `gid`.
    fn get(&self, data: &[u8], gid: usize) -> Option<u8> {
        if gid >= self.glyphs {
            return None;
        }
        if self.format == 0 {
            return data.get(self.at + 1 + gid).copied();
        }
        // The last range starting at or before `gid`.
        let first = |r: usize| u16_at(data, self.at + 3 + r * 3);
        let (mut lo, mut hi) = (0, self.ranges);
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if first(mid)? <= gid {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        data.get(self.at + 3 + lo * 3 + 2).copied()
    }

    /// The largest FD number used.
    fn max_fd(&self, data: &[u8]) -> Option<usize> {
        let fds: Option<Vec<u8>> = match self.format {
            0 => Some(data.get(self.at + 1..self.at + 1 + self.glyphs)?.to_vec()),
            _ => (0..self.ranges)
                .map(|r| data.get(self.at + 3 + r * 3 + 2).copied())
                .collect(),
        };
        fds?.into_iter().max().map(usize::from)
    }
}

/// A DICT integer in five bytes (operator 29), whatever its value.
fn int5(out: &mut Vec<u8>, v: i64) {
    out.push(29);
    out.extend_from_slice(&(v as i32).to_be_bytes());
}

/// The offset size an INDEX of `len` data bytes needs.
fn off_size(len: usize) -> usize {
    match len + 1 {
        0..=0xff => 1,
        0x100..=0xffff => 2,
        0x1_0000..=0xff_ffff => 3,
        _ => 4,
    }
}

/// The length of an INDEX of items of `lens`.
fn index_len(lens: impl Iterator<Item = usize>) -> usize {
    let (count, data) = lens.fold((0, 0), |(c, d), l| (c + 1, d + l));
    if count == 0 {
        2
    } else {
        3 + (count + 1) * off_size(data) + data
    }
}

pub(super) fn write_index<'b>(out: &mut Vec<u8>, items: impl Iterator<Item = &'b [u8]> + Clone) {
    let count = items.clone().count();
    out.extend_from_slice(&(count as u16).to_be_bytes());
    if count == 0 {
        return;
    }
    let data: usize = items.clone().map(<[u8]>::len).sum();
    let size = off_size(data);
    out.push(size as u8);
    let mut offset = 1usize;
    let put = |out: &mut Vec<u8>, v: usize| out.extend_from_slice(&v.to_be_bytes()[8 - size..]);
    put(out, offset);
    for item in items.clone() {
        offset += item.len();
        put(out, offset);
    }
    for item in items {
        out.extend_from_slice(item);
    }
}

/// The state of one glyph's desubroutinisation: what the Type 2 rules
/// need to find the hint mask lengths and the subroutine numbers.
#[derive(Default)]
struct Splice {
    /// Operands on the argument stack.
    stack: usize,
    /// Where the last token, if it was an operand, is: a subroutine call
    /// takes its number from it and removes it.
    last: Option<Operand>,
    /// Stem hints declared so far.
    hints: usize,
    /// Charstring bytes this glyph may still read ([`WORK_PER_GLYPH`]);
    /// 0 when it ran out.
    work: usize,
}

/// Where an operand's bytes are.
#[derive(Clone, Copy)]
enum Operand {
    /// At this offset of the charstring being read, not copied yet.
    Here(usize),
    /// Copied to the output at this offset (it ended a subroutine).
    Out(usize),
}

/// How a charstring or subroutine ended.
#[derive(PartialEq)]
enum End {
    Return,
    EndChar,
}

/// Subroutine numbers are stored minus a bias that depends on their count.
fn bias(count: usize) -> i32 {
    match count {
        0..1240 => 107,
        1240..33900 => 1131,
        _ => 32768,
    }
}

/// The integer a charstring operand encodes (`None` for 16.16 fixed).
fn operand(bytes: &[u8]) -> Option<i32> {
    let b = *bytes.first()?;
    Some(match b {
        28 => i32::from(i16::from_be_bytes([*bytes.get(1)?, *bytes.get(2)?])),
        32..=246 => i32::from(b) - 139,
        247..=250 => (i32::from(b) - 247) * 256 + i32::from(*bytes.get(1)?) + 108,
        251..=254 => -(i32::from(b) - 251) * 256 - i32::from(*bytes.get(1)?) - 108,
        _ => return None,
    })
}

impl Splice {
    /// Copies the charstring `data[range]` to `out` with every subroutine
    /// call replaced by the subroutine's bytes. Runs of tokens are copied
    /// whole; only a call, its number, `return` and `endchar` cut them.
    fn run(
        &mut self,
        data: &[u8],
        range: std::ops::Range<usize>,
        globals: &Index,
        locals: Option<&Index>,
        out: &mut Vec<u8>,
        depth: u8,
    ) -> Option<End> {
        // Type 2 limits subroutine nesting to 10.
        if depth > 10 {
            return None;
        }
        let cs = data.get(range)?;
        // Each routine is charged its length (and a call at least a byte),
        // whether it is read to its end or not.
        match self.work.checked_sub(cs.len().max(1)) {
            Some(left) => self.work = left,
            _ => {
                self.work = 0;
                return None;
            }
        }
        // `cs[copied..i]` is read but not yet copied.
        let mut copied = 0;
        let mut i = 0;
        while i < cs.len() {
            let b = cs[i];
            let len = match b {
                32..=246 => 1,
                247..=254 => 2,
                28 => 3,
                255 => 5,
                _ => 0,
            };
            if len > 0 {
                if i + len > cs.len() {
                    return None;
                }
                self.last = Some(Operand::Here(i));
                self.stack += 1;
                i += len;
                continue;
            }
            let last = self.last.take();
            match b {
                // hstem, vstem, hstemhm, vstemhm
                1 | 3 | 18 | 23 => {
                    self.hints += self.stack / 2;
                    self.stack = 0;
                    i += 1;
                }
                // hintmask, cntrmask: operands before them are vstems.
                19 | 20 => {
                    self.hints += self.stack / 2;
                    self.stack = 0;
                    i += 1 + self.hints.div_ceil(8);
                    if i > cs.len() {
                        return None;
                    }
                }
                // callsubr, callgsubr: the routine's number is the last operand.
                10 | 29 => {
                    let n = match last? {
                        Operand::Here(at) => {
                            out.extend_from_slice(&cs[copied..at]);
                            operand(&cs[at..i])?
                        }
                        Operand::Out(at) => {
                            out.extend_from_slice(&cs[copied..i]);
                            let n = operand(out.get(at..)?)?;
                            out.truncate(at);
                            n
                        }
                    };
                    self.stack -= 1;
                    i += 1;
                    copied = i;
                    let subrs = if b == 10 { locals? } else { globals };
                    let index = usize::try_from(n + bias(subrs.count)).ok()?;
                    let routine = subrs.get(data, index)?;
                    if self.run(data, routine, globals, locals, out, depth + 1)? == End::EndChar {
                        return Some(End::EndChar);
                    }
                }
                11 => {
                    // An operand just before `return` may be the number of
                    // the caller's next call.
                    if let Some(Operand::Here(at)) = last {
                        self.last = Some(Operand::Out(out.len() + at - copied));
                    }
                    out.extend_from_slice(&cs[copied..i]);
                    return Some(End::Return);
                }
                14 => {
                    out.extend_from_slice(&cs[copied..=i]);
                    return Some(End::EndChar);
                }
                12 => {
                    // flex, hflex, hflex1, flex1; the arithmetic and
                    // storage operators are not copied.
                    if !(34..=37).contains(cs.get(i + 1)?) {
                        return None;
                    }
                    self.stack = 0;
                    i += 2;
                }
                // rmoveto hmoveto vmoveto rlineto hlineto vlineto
                // rrcurveto rcurveline rlinecurve vvcurveto hhcurveto
                // vhcurveto hvcurveto
                4 | 5 | 6 | 7 | 8 | 21 | 22 | 24 | 25 | 26 | 27 | 30 | 31 => {
                    self.stack = 0;
                    i += 1;
                }
                _ => return None,
            }
        }
        // A routine that ends without `return`: its operands are in the
        // output now, where a call after it finds its number.
        if let Some(Operand::Here(at)) = self.last {
            self.last = Some(Operand::Out(out.len() + at - copied));
        }
        out.extend_from_slice(&cs[copied..]);
        Some(End::Return)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustybuzz::ttf_parser;

    fn cff() -> &'static [u8] {
        let face = ttf_parser::RawFace::parse(crate::render::pdf::fonts::DEFAULT_FONT, 0).unwrap();
        face.table(ttf_parser::Tag::from_bytes(b"CFF ")).unwrap()
    }

    #[derive(Default, PartialEq, Debug)]
    struct Path(Vec<String>);

    impl ttf_parser::OutlineBuilder for Path {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("M{x} {y}"));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("L{x} {y}"));
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.push(format!("Q{x1} {y1} {x} {y}"));
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0.push(format!("C{x1} {y1} {x2} {y2} {x} {y}"));
        }
        fn close(&mut self) {
            self.0.push("Z".into());
        }
    }

    fn outline(table: &ttf_parser::cff::Table<'_>, gid: u16) -> Path {
        let mut p = Path::default();
        let _ = table.outline(ttf_parser::GlyphId(gid), &mut p);
        p
    }

    /// Every glyph of the built-in font, subset, draws exactly the outline
    /// it draws in the font (the subset read by ttf-parser, an independent
    /// CFF reader), and keeps its FD's private values (the width
    /// defaults ttf-parser applies).
    #[test]
    fn every_glyph_outlines_as_in_the_font() {
        let data = cff();
        let font = CidFont::parse(data).expect("the built-in font is CID-keyed");
        let original = ttf_parser::cff::Table::parse(data).unwrap();
        let all: BTreeSet<u16> = (1..font.char_strings.count as u16).collect();
        let sub = font.subset(&all).expect("every glyph splices");
        let table = ttf_parser::cff::Table::parse(&sub).expect("the subset parses");
        assert_eq!(table.number_of_glyphs(), font.char_strings.count as u16);
        for gid in 0..font.char_strings.count as u16 {
            assert_eq!(outline(&table, gid), outline(&original, gid), "glyph {gid}");
            assert_eq!(
                table.glyph_width(ttf_parser::GlyphId(gid)),
                original.glyph_width(ttf_parser::GlyphId(gid)),
                "width of glyph {gid}"
            );
        }
        // No subroutine is left.
        let back = CidFont::parse(&sub).unwrap();
        assert_eq!(back.global_subrs.count, 0);
        assert!(back.fds.iter().all(|fd| fd.subrs.is_none()));
    }

    /// A small subset keeps the glyphs in the order `.notdef`, then by
    /// original ID, with CID = GID, and only the FDs they use.
    #[test]
    fn a_subset_has_its_glyphs_in_order_and_only_their_fds() {
        let data = cff();
        let font = CidFont::parse(data).unwrap();
        let original = ttf_parser::cff::Table::parse(data).unwrap();
        let face = ttf_parser::Face::parse(crate::render::pdf::fonts::DEFAULT_FONT, 0).unwrap();
        let used: BTreeSet<u16> = "SRE のためのテレメトリー、AI."
            .chars()
            .filter_map(|c| face.glyph_index(c).map(|g| g.0))
            .collect();
        let sub = font.subset(&used).unwrap();
        let table = ttf_parser::cff::Table::parse(&sub).unwrap();
        assert_eq!(usize::from(table.number_of_glyphs()), used.len() + 1);
        for (new, &old) in used.iter().enumerate() {
            let new = new as u16 + 1;
            assert_eq!(outline(&table, new), outline(&original, old));
            assert_eq!(table.glyph_cid(ttf_parser::GlyphId(new)), Some(new));
        }
        let mut fds: BTreeSet<u8> = used
            .iter()
            .map(|&g| font.fd_select.get(data, usize::from(g)).unwrap())
            .collect();
        fds.insert(font.fd_select.get(data, 0).unwrap());
        let kept = CidFont::parse(&sub).unwrap();
        assert_eq!(kept.fds.len(), fds.len());
        assert!(kept.fds.len() < font.fds.len());
        // The same set gives the same bytes.
        assert_eq!(font.subset(&used).unwrap(), sub);
    }

    /// Subroutines that call each other ten deep, fifty times each, would
    /// read 50⁹ routines for one glyph: the work bound stops it at once,
    /// and the glyph is refused as too large, not handed on.
    #[test]
    fn a_glyph_built_to_blow_up_is_stopped() {
        // Global subroutine i calls subroutine i + 1 fifty times (bias 107:
        // number i + 1 is stored as i + 1 - 107, one byte: that + 139).
        let routines: Vec<Vec<u8>> = (0..10u8)
            .map(|i| {
                let mut r = Vec::new();
                if i < 9 {
                    for _ in 0..50 {
                        r.extend_from_slice(&[(i as i32 + 1 - 107 + 139) as u8, 29]);
                    }
                }
                r.push(11);
                r
            })
            .collect();
        let mut data = Vec::new();
        write_index(&mut data, routines.iter().map(Vec::as_slice));
        let globals = index(&data, 0).unwrap();
        let glyph_at = data.len();
        data.extend_from_slice(&[(0i32 - 107 + 139) as u8, 29, 14]);
        let mut splice = Splice {
            work: WORK_PER_GLYPH,
            ..Splice::default()
        };
        let mut out = Vec::new();
        let ran = splice.run(&data, glyph_at..data.len(), &globals, None, &mut out, 0);
        assert!(ran.is_none());
        assert_eq!(splice.work, 0, "stopped by the work bound");
        assert!(out.len() <= WORK_PER_GLYPH);

        // Through `subset`: that glyph (ID 1) in a font whose other parts
        // are Noto Sans JP's is refused as too large, not as unsupported
        // (which would hand it to subsetter).
        let real = CidFont::parse(cff()).unwrap();
        let glyph = data[glyph_at..].to_vec();
        data.truncate(glyph_at);
        let char_strings_at = data.len();
        write_index(&mut data, [&[14u8][..], &glyph].into_iter());
        let fd_select_at = data.len();
        data.extend_from_slice(&[0, 0, 0]);
        let font = CidFont {
            data: &data,
            header: real.header,
            name_index: real.name_index,
            string_index: real.string_index,
            top_dict: real.top_dict.clone(),
            global_subrs: index(&data, 0).unwrap(),
            char_strings: index(&data, char_strings_at).unwrap(),
            fd_select: read_fd_select(&data, fd_select_at, 2).unwrap(),
            fds: vec![Fd {
                font_dict: real.fds[0].font_dict.clone(),
                private: real.fds[0].private.clone(),
                subrs: None,
            }],
            spliced: Default::default(),
        };
        assert_eq!(font.subset(&BTreeSet::from([1])), Err(Refusal::TooLarge(1)));
        // Glyph 0 alone is fine.
        assert!(font.subset(&BTreeSet::new()).is_ok());
    }

    #[test]
    fn what_it_cannot_read_it_refuses() {
        assert!(CidFont::parse(b"").is_none());
        assert!(CidFont::parse(&[1, 0, 4, 4, 0, 0]).is_none());
        let data = cff();
        for cut in [10, 100, 1000, data.len() / 2] {
            // Truncated tables are refused, never read out of bounds.
            let _ = CidFont::parse(&data[..cut]).map(|f| f.subset(&BTreeSet::from([5, 6])));
        }
    }
}
