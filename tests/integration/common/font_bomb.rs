//! A name-keyed CFF OpenType font built to blow up, made at test time (no
//! font file is committed): glyph 1 calls global subroutine 0; subroutine
//! i calls subroutine i + 1 `calls` times, `depth` deep. Spliced out,
//! glyph 1 is `calls ^ (depth - 1)` routines long, while the file is a few
//! kilobytes. Every character maps to glyph 1, or with `only` just that
//! one, the others to the empty glyph 2.

/// An INDEX (count, 4-byte offsets) of `items`.
fn index(items: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&(items.len() as u16).to_be_bytes());
    if items.is_empty() {
        return out;
    }
    out.push(4);
    let mut offset = 1u32;
    out.extend_from_slice(&offset.to_be_bytes());
    for item in items {
        offset += item.len() as u32;
        out.extend_from_slice(&offset.to_be_bytes());
    }
    for item in items {
        out.extend_from_slice(item);
    }
    out
}

/// A DICT integer in its 5-byte form (fixed size, so offsets can be
/// computed before they are known).
fn int5(v: u32) -> Vec<u8> {
    let mut out = vec![29];
    out.extend_from_slice(&v.to_be_bytes());
    out
}

/// A charstring operand for subroutine number `n` (bias 107).
fn subr_number(n: usize) -> u8 {
    (n as i32 - 107 + 139) as u8
}

/// Ways to dress the bomb up as something `subsetter` reads differently
/// from a strict reader.
#[derive(Clone, Copy, PartialEq)]
pub enum Twist {
    None,
    /// The Top DICT names CharStrings twice: first a tame set, last the
    /// bomb (`subsetter` takes the last).
    TwoCharStrings,
    /// Glyph 1 takes its subroutine number from a 16.16 fixed operand with
    /// a fraction (`subsetter` rounds through `f32`).
    FixedCall,
}

fn cff(calls: usize, depth: usize, twist: Twist) -> Vec<u8> {
    let header = vec![1, 0, 4, 4];
    let name = index(&[b"Bomb".to_vec()]);
    let strings = index(&[]);
    let routines: Vec<Vec<u8>> = (0..depth)
        .map(|i| {
            let mut r = Vec::new();
            if i + 1 < depth {
                for _ in 0..calls {
                    r.extend_from_slice(&[subr_number(i + 1), 29]);
                }
            }
            r.push(11);
            r
        })
        .collect();
    let globals = index(&routines);
    // .notdef and glyph 2: endchar; glyph 1: call global subroutine 0, endchar.
    let glyph = match twist {
        Twist::FixedCall => vec![255, 0xFF, 0x95, 0x00, 0x01, 29, 14],
        _ => vec![subr_number(0), 29, 14],
    };
    let char_strings = index(&[vec![14], glyph, vec![14]]);
    let tame = index(&[vec![14], vec![14], vec![14]]);
    // Top DICT: CharStrings (17; twice with TwoCharStrings) and Private
    // (18: size 0, offset).
    let twice = twist == Twist::TwoCharStrings;
    let top_len = 5 + 1 + 5 + 5 + 1 + if twice { 6 } else { 0 };
    let top_index_len = 2 + 1 + 8 + top_len;
    let char_strings_at = header.len() + name.len() + top_index_len + strings.len() + globals.len();
    let tame_at = char_strings_at + char_strings.len();
    let private_at = tame_at + if twice { tame.len() } else { 0 };
    let mut top = Vec::new();
    if twice {
        top.extend(int5(tame_at as u32));
        top.push(17);
    }
    top.extend(int5(char_strings_at as u32));
    top.push(17);
    top.extend(int5(0));
    top.extend(int5(private_at as u32));
    top.push(18);
    assert_eq!(top.len(), top_len);
    let mut out = header;
    out.extend(name);
    out.extend(index(&[top]));
    out.extend(strings);
    out.extend(globals);
    out.extend(char_strings);
    if twice {
        out.extend(tame);
    }
    out
}

/// The OpenType font: `CFF `, `cmap` (format 13: U+0020–U+10FFFF to glyph
/// 1, or `only` to 1 and the rest to 2), `head`, `hhea`, `hmtx`, `maxp`.
pub fn font_bomb(calls: usize, depth: usize, only: Option<char>) -> Vec<u8> {
    font_bomb_with(calls, depth, only, Twist::None)
}

/// [`font_bomb`] with a [`Twist`].
pub fn font_bomb_with(calls: usize, depth: usize, only: Option<char>, twist: Twist) -> Vec<u8> {
    let mut maxp = 0x0000_5000u32.to_be_bytes().to_vec();
    maxp.extend_from_slice(&3u16.to_be_bytes());
    sfnt(
        b"OTTO",
        vec![(b"CFF ", cff(calls, depth, twist)), (b"maxp", maxp)],
        0,
        only,
    )
}

/// A TrueType font whose glyph 1 is a composite of `k` references to
/// glyph 2, itself `k` references to glyph 2: gathering the components the
/// way `subsetter` does reads `k²` records. Every character maps to glyph 1.
pub fn truetype_bomb(k: usize) -> Vec<u8> {
    truetype_bomb_with(k, 2, false)
}

/// [`truetype_bomb`] whose composites reference glyph `target` (3 and up
/// are beyond the glyph count), with `loca` going backwards if `backwards`
/// (glyph 1 then spans both glyphs' bytes).
pub fn truetype_bomb_with(k: usize, target: u16, backwards: bool) -> Vec<u8> {
    let composite = |k: usize| {
        let mut d = Vec::new();
        for v in [-1i16, 0, 0, 100, 100] {
            d.extend_from_slice(&v.to_be_bytes());
        }
        for i in 0..k {
            // ARGS_ARE_XY_VALUES, MORE_COMPONENTS but on the last; byte args.
            let flags: u16 = 0x0002 | if i + 1 < k { 0x0020 } else { 0 };
            d.extend_from_slice(&flags.to_be_bytes());
            d.extend_from_slice(&target.to_be_bytes());
            d.extend_from_slice(&[0, 0]);
        }
        d
    };
    let (g1, g2) = (composite(k), composite(k));
    let mut loca = Vec::new();
    let (mid, end) = (g1.len() as u32, (g1.len() + g2.len()) as u32);
    let offsets = if backwards {
        [0, 0, end, mid]
    } else {
        [0, 0, mid, end]
    };
    for v in offsets {
        loca.extend_from_slice(&v.to_be_bytes());
    }
    let mut glyf = g1;
    glyf.extend(g2);
    let mut maxp = 0x0001_0000u32.to_be_bytes().to_vec();
    maxp.extend_from_slice(&3u16.to_be_bytes());
    maxp.extend_from_slice(&[0; 26]);
    sfnt(
        &0x0001_0000u32.to_be_bytes(),
        vec![(b"glyf", glyf), (b"loca", loca), (b"maxp", maxp)],
        1,
        None,
    )
}

/// An sfnt of `tables` plus `cmap` (format 13: U+0020–U+10FFFF to glyph 1,
/// or `only` to 1 and the rest to 2), `head` (`loca_format`), `hhea` and
/// `hmtx` for three glyphs.
fn sfnt(
    version: &[u8; 4],
    mut tables: Vec<(&[u8; 4], Vec<u8>)>,
    loca_format: i16,
    only: Option<char>,
) -> Vec<u8> {
    let mut head = vec![0u8; 54];
    head[0..4].copy_from_slice(&0x0001_0000u32.to_be_bytes());
    head[12..16].copy_from_slice(&0x5F0F_3CF5u32.to_be_bytes());
    head[18..20].copy_from_slice(&1000u16.to_be_bytes());
    head[36..44].copy_from_slice(&[0, 0, 0xFF, 0x38, 0x03, 0xE8, 0x03, 0x20]);
    head[50..52].copy_from_slice(&loca_format.to_be_bytes());
    let mut hhea = vec![0u8; 36];
    hhea[0..4].copy_from_slice(&0x0001_0000u32.to_be_bytes());
    hhea[4..6].copy_from_slice(&800i16.to_be_bytes());
    hhea[6..8].copy_from_slice(&(-200i16).to_be_bytes());
    hhea[34..36].copy_from_slice(&3u16.to_be_bytes());
    let hmtx = [500u16, 0, 500, 0, 500, 0]
        .iter()
        .flat_map(|v| v.to_be_bytes())
        .collect::<Vec<u8>>();
    let groups: Vec<[u32; 3]> = match only {
        None => vec![[0x20, 0x10FFFF, 1]],
        Some(c) => {
            let c = c as u32;
            vec![[0x20, c - 1, 2], [c, c, 1], [c + 1, 0x10FFFF, 2]]
        }
    };
    let mut cmap = Vec::new();
    cmap.extend_from_slice(&[0, 0, 0, 1, 0, 3, 0, 10]);
    cmap.extend_from_slice(&12u32.to_be_bytes());
    cmap.extend_from_slice(&13u16.to_be_bytes());
    cmap.extend_from_slice(&0u16.to_be_bytes());
    cmap.extend_from_slice(&(16 + 12 * groups.len() as u32).to_be_bytes());
    cmap.extend_from_slice(&0u32.to_be_bytes());
    cmap.extend_from_slice(&(groups.len() as u32).to_be_bytes());
    for v in groups.iter().flatten() {
        cmap.extend_from_slice(&v.to_be_bytes());
    }
    tables.extend([
        (b"cmap", cmap),
        (b"head", head),
        (b"hhea", hhea),
        (b"hmtx", hmtx),
    ]);
    tables.sort_by_key(|(tag, _)| **tag);
    let mut out = version.to_vec();
    out.extend_from_slice(&(tables.len() as u16).to_be_bytes());
    out.extend_from_slice(&[0, 0x40, 0, 2, 0, 0x20]);
    let mut at = 12 + 16 * tables.len();
    let mut body = Vec::new();
    for (tag, data) in &tables {
        out.extend_from_slice(*tag);
        out.extend_from_slice(&0u32.to_be_bytes());
        out.extend_from_slice(&(at as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        body.extend_from_slice(data);
        while body.len() % 4 != 0 {
            body.push(0);
        }
        at = 12 + 16 * tables.len() + body.len();
    }
    out.extend(body);
    out
}
