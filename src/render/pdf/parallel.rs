//! The parallel handout: one document in two locales side by side, the
//! source on the left and its translation on the right, every block level
//! with its counterpart.
//!
//! Documents in two locales are assembled from the same content file, so
//! their blocks correspond one to one: the title, each heading, paragraph
//! and list item (at any depth). Each column is laid out on its own — with
//! its locale's typography — as one very tall page of the column's width;
//! its blocks are then cut out of it (by structure element) and set in
//! rows: a row holds a block and its counterpart, their first baselines
//! level, and is as tall as the taller (plus the row's QR codes, below it
//! between the columns). Page breaks fall between rows; only a row taller
//! than a page is split, both columns at the same depth. The running
//! header and the footer come from [`Layout::finish`], once per column;
//! the structure tree is a `Document` with one `Part` per column, each
//! with its language.

use std::collections::BTreeMap;

use super::layout::{Item, Kid, Laid, Layout, OutlineEntry, Page, Role, Tag};
use super::page::{A4, PageSetup};
use super::qr;
use crate::config::PageSpec;
use crate::document::Document;

/// The height of the page a column is first laid out on: room for any
/// real document on one page, small enough that f32 positions stay exact
/// to a thousandth of a point.
const TALL: f32 = 16000.0;

/// Space between the columns, in points.
const GUTTER: f32 = 28.0;

/// Space kept below a heading for the first lines of what follows.
const KEEP_LINES: f32 = 2.0;

/// The page setups of the two columns: the same paper, each with the
/// margins that bound its column. Paper and margins come from the left
/// column's locale (`[pdf] paper`, `margin`, or its `[pdf.locale.…]`
/// table), turned to the orientation asked for; side margins default to
/// narrower ones than a single column's (two columns need the width).
/// Type size and line height are each column's own locale's.
pub fn column_setups(landscape: bool, specs: [&PageSpec; 2]) -> [PageSetup; 2] {
    let (w, h) = specs[0].paper.unwrap_or(A4);
    let (short, long) = (w.min(h), w.max(h));
    let (width, height) = if landscape {
        (long, short)
    } else {
        (short, long)
    };
    let side = if landscape { 48.0 } else { 40.0 };
    let [top, bottom, left, right] = specs[0].margin;
    let defaults = PageSetup::default();
    let base = PageSetup {
        width,
        height,
        top: top.unwrap_or(defaults.top),
        bottom: bottom.unwrap_or(defaults.bottom),
        left: left.unwrap_or(side),
        right: right.unwrap_or(side),
        ..defaults
    };
    let column = ((base.text_width() - GUTTER) / 2.0).max(1.0);
    let typeset = |spec: &PageSpec, setup: PageSetup| PageSetup {
        font_size: spec.font_size.unwrap_or(setup.font_size),
        line_height: spec.line_height.or(setup.line_height),
        ..setup
    };
    [
        typeset(
            specs[0],
            PageSetup {
                right: base.right + column + GUTTER,
                ..base
            },
        ),
        typeset(
            specs[1],
            PageSetup {
                left: base.left + column + GUTTER,
                ..base
            },
        ),
    ]
}

/// Depth below the top of a column's tall layout (page `page`, PDF `y`).
fn depth(page: usize, y: f32) -> f32 {
    page as f32 * TALL + (TALL - y)
}

/// One block of one column, cut out of the column's tall layout.
#[derive(Debug, Default)]
struct Block {
    /// Structure role of the block's element (`H1`, `H2`, `P`, `LI`).
    role: Option<Role>,
    /// Its items: (tall page, item index).
    items: Vec<(usize, usize)>,
    /// Depth of its first baseline.
    first: f32,
    /// Space it needs above its first baseline.
    above: f32,
    /// Depth of the lowest thing it draws.
    bottom: f32,
    /// Distance from its first baseline to the next block's.
    advance: f32,
    /// Size of its first line's type.
    size: f32,
    /// The addresses it links to, in order.
    urls: Vec<String>,
}

/// A column laid out on a tall page and cut into blocks.
struct Column {
    laid: Laid,
    /// One entry per block element (`H1`, `H2`, `P`, `LI`) in document
    /// order, empty ones included, so that the two columns' lists match.
    blocks: Vec<Block>,
}

/// Whether a structure role starts a row.
fn is_block(role: Role) -> bool {
    matches!(role, Role::H1 | Role::H2 | Role::P | Role::LI)
}

impl Column {
    fn new(
        lay: &dyn Fn(&Document, &PageSetup) -> Laid,
        doc: &Document,
        setup: &PageSetup,
    ) -> Column {
        let tall = PageSetup {
            height: TALL,
            ..*setup
        };
        let laid = lay(doc, &tall);
        let nodes = &laid.tree.nodes;
        // Each element's block: the nearest block element at or above it.
        let mut block_of: Vec<Option<usize>> = vec![None; nodes.len()];
        let mut index: BTreeMap<usize, usize> = BTreeMap::new();
        for (n, node) in nodes.iter().enumerate() {
            if is_block(node.role) {
                index.insert(n, index.len());
            }
        }
        for (n, slot) in block_of.iter_mut().enumerate() {
            let mut at = Some(n);
            while let Some(a) = at {
                if let Some(&b) = index.get(&a) {
                    *slot = Some(b);
                    break;
                }
                at = nodes[a].parent;
            }
        }
        let mut blocks: Vec<Block> = index
            .keys()
            .map(|&n| Block {
                role: Some(nodes[n].role),
                first: f32::INFINITY,
                bottom: f32::NEG_INFINITY,
                ..Block::default()
            })
            .collect();
        let mut current = None;
        for (p, page) in laid.pages.iter().enumerate() {
            for (i, item) in page.items.iter().enumerate() {
                let node = match item {
                    Item::Glyphs {
                        tag: Tag::Node(n), ..
                    }
                    | Item::Link { node: n, .. } => Some(*n),
                    _ => None,
                };
                if let Some(n) = node {
                    current = block_of[n].or(current);
                }
                // Rules (under the title and headings) go with the block
                // drawn just before them.
                let Some(b) = current.or(if blocks.is_empty() { None } else { Some(0) }) else {
                    continue;
                };
                let block = &mut blocks[b];
                block.items.push((p, i));
                match item {
                    Item::Glyphs { y, size, .. } => {
                        let d = depth(p, *y);
                        if d < block.first {
                            block.first = d;
                            block.size = *size;
                        }
                        block.bottom = block.bottom.max(d + 0.3 * size);
                    }
                    Item::Rule { y, width, .. } => {
                        block.bottom = block.bottom.max(depth(p, *y) + width);
                    }
                    Item::Link { y1, url, .. } => {
                        block.bottom = block.bottom.max(depth(p, *y1));
                        if qr::wants_code(url) && !block.urls.contains(url) {
                            block.urls.push(url.clone());
                        }
                    }
                    Item::Cells { .. } => {}
                }
            }
        }
        // Spacing: each block to the next drawn one, as the column's own
        // flow set them; the first block's space above is exact, the
        // others' that of a line of their type.
        let drawn: Vec<usize> = (0..blocks.len())
            .filter(|&b| blocks[b].first.is_finite())
            .collect();
        for (k, &b) in drawn.iter().enumerate() {
            let next = drawn.get(k + 1).map(|&n| blocks[n].first);
            let block = &mut blocks[b];
            block.above = if k == 0 {
                block.first - setup.top
            } else {
                block.size * 1.35
            };
            block.advance = match next {
                Some(n) => n - block.first,
                None => block.bottom - block.first,
            };
        }
        Column { laid, blocks }
    }
}

/// An item waiting to be placed: its column (`None`: between them), its
/// place in the tall layout, the depths it spans relative to its row's
/// first baseline (top, bottom), and where it is cut when a row is split.
struct Piece {
    column: Option<usize>,
    source: Option<(usize, usize)>,
    item: Item,
    top: f32,
    bottom: f32,
    /// The baseline of its line (codes: their top).
    line: f32,
}

/// Moves an item down by `dy` points (`dy` may be negative).
fn shift(item: &mut Item, dy: f32) {
    match item {
        Item::Glyphs { y, .. } | Item::Rule { y, .. } => *y -= dy,
        Item::Link { y1, y2, .. } => {
            *y1 -= dy;
            *y2 -= dy;
        }
        Item::Cells { top, .. } => *top -= dy,
    }
}

/// The parallel handout of `columns` (left, right: document and talk
/// title), on A4 landscape or portrait, with QR codes (from `cache`) when
/// given. `lay` lays a document out on a geometry (the renderer's, which
/// keeps columns that `watch` can reuse when only the other one changed).
pub fn lay_out(
    layout: &Layout<'_>,
    columns: [(&Document, &str); 2],
    landscape: bool,
    specs: [&PageSpec; 2],
    cache: Option<&qr::Cache>,
    lay: &dyn Fn(&Document, &PageSetup) -> Laid,
) -> Laid {
    let setups = column_setups(landscape, specs);
    let cols = [
        Column::new(lay, columns[0].0, &setups[0]),
        Column::new(lay, columns[1].0, &setups[1]),
    ];
    let page_height = setups[0].height;
    let limit = page_height - setups[0].bottom;
    let top = setups[0].top;
    let gutter_mid = setups[0].width - setups[0].right + GUTTER / 2.0;

    // Per column: pages of items, and where each tall item went.
    let mut pages: [Vec<Vec<Item>>; 2] = [vec![Vec::new()], vec![Vec::new()]];
    let mut between: Vec<Vec<Item>> = vec![Vec::new()];
    let mut moved: [BTreeMap<(usize, usize), (usize, usize)>; 2] = Default::default();
    // Per column and block: (page, depth of the block's top) once placed.
    let mut placed: [BTreeMap<usize, (usize, f32)>; 2] = Default::default();
    let mut page = 0;
    // The next row's first baseline on this page; `None` at a page top.
    let mut cursor: Option<f32> = None;
    let rows = cols[0].blocks.len().max(cols[1].blocks.len());
    let new_page = |pages: &mut [Vec<Vec<Item>>; 2], between: &mut Vec<Vec<Item>>| {
        for p in pages.iter_mut() {
            p.push(Vec::new());
        }
        between.push(Vec::new());
    };
    // Per row: the blocks drawn in it, and its QR codes (one per address,
    // the columns' links to the same address sharing one).
    let sides_of = |r: usize| -> Vec<(usize, &Block)> {
        (0..2)
            .filter_map(|c| cols[c].blocks.get(r).map(|b| (c, b)))
            .filter(|(_, b)| b.first.is_finite())
            .collect()
    };
    let codes_of = |sides: &[(usize, &Block)]| -> Vec<std::sync::Arc<qr::Code>> {
        let mut urls: Vec<&String> = Vec::new();
        for (_, b) in sides {
            for u in &b.urls {
                if !urls.contains(&u) {
                    urls.push(u);
                }
            }
        }
        match cache {
            Some(cache) => urls.iter().filter_map(|u| cache.get(u)).collect(),
            None => Vec::new(),
        }
    };
    // How far a row reaches below its first baseline, codes included.
    let extent = |sides: &[(usize, &Block)], codes: &[std::sync::Arc<qr::Code>]| -> f32 {
        let text = sides
            .iter()
            .map(|(_, b)| b.bottom - b.first)
            .fold(0.0, f32::max);
        match codes
            .iter()
            .map(|c| (c.size(), c.quiet(c.size())))
            .reduce(|a, b| (a.0.max(b.0), a.1.max(b.1)))
        {
            Some((size, quiet)) => text + quiet + size,
            None => text,
        }
    };
    for r in 0..rows {
        let sides = sides_of(r);
        if sides.is_empty() {
            continue;
        }
        let above = sides.iter().map(|(_, b)| b.above).fold(0.0, f32::max);
        let mut below = sides
            .iter()
            .map(|(_, b)| b.bottom - b.first)
            .fold(0.0, f32::max);
        let mut advance = sides.iter().map(|(_, b)| b.advance).fold(0.0, f32::max);
        let mut pieces: Vec<Piece> = Vec::new();
        for &(c, b) in &sides {
            for &(p, i) in &b.items {
                let item = cols[c].laid.pages[p].items[i].clone();
                let (t, btm, line) = match &item {
                    Item::Glyphs { y, size, .. } => {
                        let d = depth(p, *y);
                        (d - size, d + 0.3 * size, d)
                    }
                    Item::Rule { y, .. } => (depth(p, *y), depth(p, *y), depth(p, *y)),
                    // The area runs from 0.25 em below the baseline to
                    // 0.9 em above it.
                    Item::Link { y1, y2, .. } => {
                        let (top, bottom) = (depth(p, *y2), depth(p, *y1));
                        (top, bottom, bottom - (bottom - top) * 0.25 / 1.15)
                    }
                    Item::Cells { .. } => continue,
                };
                pieces.push(Piece {
                    column: Some(c),
                    source: Some((p, i)),
                    item,
                    top: t - b.first,
                    bottom: btm - b.first,
                    line: line - b.first,
                });
            }
        }
        // The row's QR codes, side by side below it and centred between
        // the columns.
        let codes = codes_of(&sides);
        if !codes.is_empty() {
            let quiet = codes.iter().map(|c| c.quiet(c.size())).fold(0.0, f32::max);
            let height = codes.iter().map(|c| c.size()).fold(0.0, f32::max);
            let total: f32 =
                codes.iter().map(|c| c.size()).sum::<f32>() + quiet * (codes.len() - 1) as f32;
            let mut x = gutter_mid - total / 2.0;
            let code_top = below + quiet;
            for code in &codes {
                let size = code.size();
                pieces.push(Piece {
                    column: None,
                    source: None,
                    // Drawn with its top at depth 0, moved with the row.
                    item: code.item(x, page_height, size),
                    top: code_top,
                    bottom: code_top + size,
                    line: code_top,
                });
                x += size + quiet;
            }
            below = code_top + height;
            advance = advance.max(below + quiet + above);
        }
        // A heading stays with what follows: the whole next row when it
        // fits on a page (rows are not split), else its first lines.
        let keep = match sides[0].1.role {
            Some(Role::H1 | Role::H2) => {
                let next = (r + 1..rows)
                    .map(sides_of)
                    .find(|s| !s.is_empty())
                    .map_or(0.0, |s| {
                        let reach = extent(&s, &codes_of(&s));
                        let lines = setups[0].font_size * 1.7 * KEEP_LINES;
                        if top + reach > limit { lines } else { reach }
                    });
                advance + next
            }
            _ => 0.0,
        };
        let mut baseline = cursor.unwrap_or(top + above);
        // A row taller than a page starts where it is (when a few lines
        // fit) and goes on over the next pages; any other row that does not
        // fit moves to the next page whole.
        let taller_than_page = top + above + below > limit;
        let few_lines = baseline + 3.0 * sides[0].1.size.max(10.0) * 1.7 <= limit;
        if cursor.is_some()
            && !(taller_than_page && few_lines)
            && baseline + below.max(keep) > limit
        {
            page += 1;
            new_page(&mut pages, &mut between);
            baseline = top + above;
        }
        for &(c, b) in &sides {
            placed[c].insert(r, (page, baseline - b.above));
        }
        // Place the pieces that fit; a row taller than the page goes on
        // at the top of the next page in both columns, their first lines
        // there level again. `base`: the row's first baseline per column
        // (2: the codes between them, below both).
        let mut base = [baseline; 3];
        let mut rest = pieces;
        loop {
            let slot = |p: &Piece| p.column.unwrap_or(2);
            let (now, later): (Vec<Piece>, Vec<Piece>) = rest
                .into_iter()
                .partition(|p| base[slot(p)] + p.bottom <= limit + 0.01);
            let (now, later) = if now.is_empty() && !later.is_empty() {
                // Not even one line fits on an empty page: place the
                // topmost line anyway.
                let first = later.iter().map(|p| p.top).fold(f32::INFINITY, f32::min);
                later.into_iter().partition(|p| p.top <= first + 0.01)
            } else {
                (now, later)
            };
            for mut piece in now {
                let b = base[slot(&piece)];
                match piece.source {
                    // Depth d on the tall page goes to d - first + b.
                    Some((p, _)) => {
                        let first = cols[piece.column.unwrap_or(0)].blocks[r].first;
                        let dy = p as f32 * TALL + TALL - page_height - first + b;
                        shift(&mut piece.item, dy);
                    }
                    // Codes were drawn with their top at the page's top edge.
                    None => shift(&mut piece.item, b + piece.top),
                }
                match (piece.column, piece.source) {
                    (Some(c), Some(src)) => {
                        moved[c].insert(src, (page, pages[c][page].len()));
                        pages[c][page].push(piece.item);
                    }
                    _ => between[page].push(piece.item),
                }
            }
            if later.is_empty() {
                break;
            }
            page += 1;
            new_page(&mut pages, &mut between);
            // Each column's first remaining line at the top of the text.
            for (c, b) in base.iter_mut().enumerate().take(2) {
                let first = later
                    .iter()
                    .filter(|p| p.column == Some(c))
                    .map(|p| p.line)
                    .fold(f32::INFINITY, f32::min);
                if first.is_finite() {
                    *b = top + above - first;
                }
            }
            base[2] = base[0].max(base[1]);
            rest = later;
        }
        cursor = Some(base[0].max(base[1]) + advance);
    }

    // Each column as a laid-out document of its own, with the running
    // header over its column and the footer, then the two merged.
    let [left, right] = cols;
    let [left_pages, right_pages] = pages;
    let [left_moved, right_moved] = moved;
    let [left_placed, right_placed] = placed;
    let finish = |col: Column,
                  items: Vec<Vec<Item>>,
                  moved: &BTreeMap<(usize, usize), (usize, usize)>,
                  placed: &BTreeMap<usize, (usize, f32)>,
                  setup: &PageSetup,
                  title: &str| {
        let mut laid = col.laid;
        for node in &mut laid.tree.nodes {
            node.kids.retain_mut(|kid| match kid {
                Kid::Content { page, item } | Kid::Annot { page, item } => {
                    match moved.get(&(*page, *item)) {
                        Some(&(p, i)) => {
                            (*page, *item) = (p, i);
                            true
                        }
                        None => false,
                    }
                }
                Kid::Node(_) => true,
            });
        }
        // Bookmarks: the title and headings, in block order.
        let headings: Vec<usize> = (0..col.blocks.len())
            .filter(|&b| matches!(col.blocks[b].role, Some(Role::H1 | Role::H2)))
            .collect();
        let mut outline: Vec<OutlineEntry> = Vec::new();
        for (k, mut entry) in laid.outline.into_iter().enumerate() {
            // The document's outline lists the title (if any) then the
            // headings, as the blocks are.
            let Some(&b) = headings.get(k) else { continue };
            let Some(&(page, top)) = placed.get(&b) else {
                continue;
            };
            entry.page = page;
            entry.top = setup.height - top;
            outline.push(entry);
        }
        laid.outline = outline;
        laid.setup = *setup;
        laid.pages = items
            .into_iter()
            .map(|items| Page {
                items,
                size: (setup.width, setup.height),
            })
            .collect();
        layout.finish(&[(&laid, title)])
    };
    let left = finish(
        left,
        left_pages,
        &left_moved,
        &left_placed,
        &setups[0],
        columns[0].1,
    );
    let right = finish(
        right,
        right_pages,
        &right_moved,
        &right_placed,
        &setups[1],
        columns[1].1,
    );
    merge(left, right, between, setups)
}

/// One file from the two columns: the left column's pages with the right
/// column's items (less its copy of the footer) and the codes between
/// them; the structure tree a `Document` of two `Part`s.
fn merge(left: Laid, right: Laid, between: Vec<Vec<Item>>, setups: [PageSetup; 2]) -> Laid {
    let nl = left.tree.nodes.len();
    let mut out = Laid {
        setup: PageSetup {
            left: setups[0].left,
            right: setups[1].right,
            ..setups[0]
        },
        ..Laid::default()
    };
    // Root: a `Document` of two `Part`s.
    let mut root = left.tree.nodes[0].clone();
    root.lang = None;
    root.parent = None;
    root.kids = vec![Kid::Node(1), Kid::Node(1 + nl)];
    out.tree.nodes.push(root);
    // Per right page: old item index → new one (after the left's items).
    let mut right_index: Vec<Vec<Option<usize>>> = Vec::new();
    let mut right_pages = right.pages.into_iter();
    let mut between = between.into_iter();
    for mut page in left.pages {
        for item in &mut page.items {
            renumber(item, 1);
        }
        let mut index = Vec::new();
        if let Some(rp) = right_pages.next() {
            for mut item in rp.items {
                if matches!(
                    item,
                    Item::Glyphs {
                        tag: Tag::Footer,
                        ..
                    }
                ) {
                    index.push(None);
                    continue;
                }
                renumber(&mut item, 1 + nl);
                index.push(Some(page.items.len()));
                page.items.push(item);
            }
        }
        right_index.push(index);
        page.items.extend(between.next().unwrap_or_default());
        out.pages.push(page);
    }
    for (side, laid) in [(0, left.tree), (1, right.tree)] {
        let base = if side == 0 { 1 } else { 1 + nl };
        for (n, mut node) in laid.nodes.into_iter().enumerate() {
            if n == 0 {
                node.role = Role::Part;
                node.parent = Some(0);
            } else {
                node.parent = node.parent.map(|p| p + base);
            }
            for kid in &mut node.kids {
                match kid {
                    Kid::Node(k) => *k += base,
                    Kid::Content { page, item } | Kid::Annot { page, item } => {
                        if side == 1
                            && let Some(Some(i)) = right_index.get(*page).and_then(|x| x.get(*item))
                        {
                            *item = *i;
                        }
                    }
                }
            }
            out.tree.nodes.push(node);
        }
    }
    out.outline = left.outline;
    out.outline.extend(right.outline);
    out.unicode = left.unicode;
    for (gid, text) in right.unicode {
        out.unicode.entry(gid).or_insert(text);
    }
    out.titles = left.titles;
    out.titles.extend(right.titles);
    out
}

/// Renumbers an item's structure element by `base`.
fn renumber(item: &mut Item, base: usize) {
    match item {
        Item::Glyphs {
            tag: Tag::Node(n), ..
        }
        | Item::Link { node: n, .. } => *n += base,
        _ => {}
    }
}
