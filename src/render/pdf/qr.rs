//! QR codes for links on paper: a printed handout cannot be clicked, so
//! every link's address also gets a code a phone can read.
//!
//! A code is drawn as vector paths — one filled rectangle per run of dark
//! modules in a row — never as an image, so it stays sharp at any printer
//! resolution and costs a few hundred bytes. Error correction level M
//! (15 % of the code may be smudged or folded). Codes are artifacts: the
//! address is printed as text beside them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use fast_qr::{ECL, QRBuilder};

use super::layout::{Item, Page, Rgb};
use super::page::PageSetup;

/// Pure black: the most contrast for a camera.
const INK: Rgb = Rgb(0.0, 0.0, 0.0);

/// One millimetre, in points.
pub const MM: f32 = 72.0 / 25.4;

/// The smallest code printed, so a phone reads it from arm's length.
pub const MIN_SIZE: f32 = 12.0 * MM;

/// The smallest module (one square of the code): longer addresses make
/// bigger codes rather than finer ones.
const MIN_MODULE: f32 = 0.36 * MM;

/// Light modules a reader needs around a code (the quiet zone); the
/// layout keeps text at least this far away.
pub const QUIET_MODULES: f32 = 4.0;

/// A QR code's modules: `width` × `width`, row by row from the top, `true`
/// for dark.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    pub(crate) width: usize,
    pub(crate) dark: Vec<bool>,
}

impl Code {
    /// The code for `text` at level M; `None` when it does not fit in a
    /// QR code at all (more than ~2300 bytes).
    pub fn new(text: &str) -> Option<Code> {
        // The smallest version that holds `text` at level M, and the mask
        // the standard's penalty rules score best.
        let code = QRBuilder::new(text.as_bytes()).ecl(ECL::M).build().ok()?;
        let width = code.size;
        Some(Code {
            width,
            dark: code.data[..width * width]
                .iter()
                .map(|m| m.value())
                .collect(),
        })
    }

    /// Printed size (points): at least [`MIN_SIZE`], with modules no
    /// smaller than 0.36 mm.
    pub fn size(&self) -> f32 {
        MIN_SIZE.max(self.width as f32 * MIN_MODULE)
    }

    /// The right margin (points) the code takes beside the text: its
    /// quiet zone and itself. [`add_margin_codes`] draws no code in a
    /// narrower margin.
    pub fn margin(&self) -> f32 {
        let size = self.size();
        self.quiet(size) + size
    }

    /// [`Code::margin`] of the code for `text`, or `None` when `text` fits
    /// no QR code. Only the size is wanted: the mask is fixed rather than
    /// chosen (a choice costs ~1 ms an address).
    pub fn margin_needed(text: &str) -> Option<f32> {
        let code = QRBuilder::new(text.as_bytes())
            .ecl(ECL::M)
            .mask(fast_qr::Mask::Checkerboard)
            .build()
            .ok()?;
        let code = Code {
            width: code.size,
            dark: Vec::new(),
        };
        Some(code.margin())
    }

    /// The width of the quiet zone around the code at `size`, in points.
    pub fn quiet(&self, size: f32) -> f32 {
        QUIET_MODULES * size / self.width as f32
    }

    /// The code with its top-left corner at (`x`, `top`) and `size` points
    /// wide: one rectangle per run of dark modules in a row.
    pub fn item(&self, x: f32, top: f32, size: f32) -> Item {
        let mut runs = Vec::new();
        for (r, row) in self.dark.chunks(self.width).enumerate() {
            let mut c = 0;
            while c < row.len() {
                if !row[c] {
                    c += 1;
                    continue;
                }
                let start = c;
                while c < row.len() && row[c] {
                    c += 1;
                }
                // A QR code is at most 177 modules wide.
                runs.push([r as u16, start as u16, (c - start) as u16]);
            }
        }
        Item::Cells {
            x,
            top,
            cell: size / self.width as f32,
            runs,
            color: INK,
        }
    }
}

/// Codes already made, by address: a handout's links are drawn in several
/// PDFs of one build (and a `watch` session), and making a code (eight
/// masks tried and scored) costs about a millisecond.
#[derive(Debug, Default)]
pub struct Cache(Mutex<BTreeMap<String, Option<Arc<Code>>>>);

impl Cache {
    /// The code for `url` (see [`Code::new`]), made once.
    pub fn get(&self, url: &str) -> Option<Arc<Code>> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(url.to_string())
            .or_insert_with(|| Code::new(url).map(Arc::new))
            .clone()
    }
}

/// The addresses that get a code: links a phone can open (the printed
/// `https://…`, `mailto:…`), not in-document anchors.
pub fn wants_code(url: &str) -> bool {
    url.contains(':') && !url.starts_with('#')
}

/// Adds a code in the right margin of each page for every distinct
/// address linked on it, top-aligned with the first line that links to it
/// and pushed down (or, at the foot of the page, up) so that codes never
/// overlap. A margin too narrow for a code gets none (`check` warns:
/// Q001), and so does a code pushed above the top of a page crowded with
/// addresses.
pub fn add_margin_codes(pages: &mut [Page], setup: &PageSetup, codes: &Cache) {
    for page in pages {
        let (width, height) = page.size;
        let mut urls: Vec<(String, f32)> = Vec::new();
        let mut seen = BTreeSet::new();
        for item in &page.items {
            if let Item::Link { url, y2, .. } = item
                && wants_code(url)
                && seen.insert(url.clone())
            {
                urls.push((url.clone(), *y2));
            }
        }
        // (code, size, top)
        let mut placed: Vec<(Arc<Code>, f32, f32)> = Vec::new();
        let mut floor = f32::INFINITY;
        for (url, top) in urls {
            let Some(code) = codes.get(&url) else {
                continue;
            };
            let size = code.size();
            let gap = code.quiet(size);
            let top = top.min(floor);
            // Two quiet zones between codes, so a camera sees one at a time.
            floor = top - size - 2.0 * gap;
            placed.push((code, size, top));
        }
        // Keep clear of the footer: move the last codes up together.
        let lowest = setup.bottom * 0.75;
        let mut limit = lowest;
        for (code, size, top) in placed.iter_mut().rev() {
            if *top - *size < limit {
                *top = limit + *size;
            }
            limit = *top + 2.0 * code.quiet(*size);
        }
        let x = width - setup.right;
        for (code, size, top) in placed {
            let gap = code.quiet(size);
            if code.margin() > setup.right || top > height {
                continue;
            }
            page.items.push(code.item(x + gap, top, size));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_row_runs_of_its_dark_modules() {
        let code = Code::new("https://example.com/").unwrap();
        let dark = code.dark.iter().filter(|&&d| d).count();
        let Item::Cells { runs, cell, .. } = code.item(0.0, 100.0, code.width as f32) else {
            panic!("not cells");
        };
        assert_eq!(cell, 1.0);
        // The runs cover exactly the dark modules.
        let mut covered = vec![false; code.dark.len()];
        for [row, col, len] in &runs {
            for c in *col..*col + *len {
                covered[*row as usize * code.width + c as usize] = true;
            }
        }
        assert_eq!(covered, code.dark);
        // Runs are merged: fewer rectangles than dark modules.
        assert!(runs.len() < dark);
        assert!(code.size() >= MIN_SIZE);
    }
}
