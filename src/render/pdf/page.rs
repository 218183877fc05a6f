//! Page geometry: paper size, margins and the base type size, in points.
//!
//! Layout reads every position from a [`PageSetup`] instead of constants,
//! so one document can be set on A4 and another on Letter, and a column
//! (the parallel handout) is just a narrower text area.

/// Paper, margins (points) and base type size of one document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSetup {
    /// Paper width, in points.
    pub width: f32,
    /// Paper height, in points.
    pub height: f32,
    /// Space above the text area (the running header sits in it).
    pub top: f32,
    /// Space below the text area (the page number sits in it).
    pub bottom: f32,
    /// Space left of the text area.
    pub left: f32,
    /// Space right of the text area.
    pub right: f32,
    /// Body text size; headings and indents scale from it.
    pub font_size: f32,
    /// Line height as a multiple of the font size; `None` keeps the
    /// locale's own (1.7 for Japanese, 1.5 for Latin text).
    pub line_height: Option<f32>,
}

/// A4 portrait, in points.
pub const A4: (f32, f32) = (595.28, 841.89);

impl Default for PageSetup {
    /// Today's look: A4 portrait, ~22 mm side margins, 10 pt text.
    fn default() -> Self {
        PageSetup {
            width: A4.0,
            height: A4.1,
            top: 68.0, // ~24 mm, room for the running header
            bottom: 62.0,
            left: 62.0, // ~22 mm
            right: 62.0,
            font_size: 10.0,
            line_height: None,
        }
    }
}

impl PageSetup {
    /// The setup `spec` describes (`[pdf]` and `[pdf.locale.<locale>]`):
    /// today's look for every value it leaves out.
    pub fn from_spec(spec: &crate::config::PageSpec) -> Self {
        let mut setup = PageSetup::default();
        if let Some((w, h)) = spec.paper {
            setup.width = w;
            setup.height = h;
        }
        let [top, bottom, left, right] = spec.margin;
        setup.top = top.unwrap_or(setup.top);
        setup.bottom = bottom.unwrap_or(setup.bottom);
        setup.left = left.unwrap_or(setup.left);
        setup.right = right.unwrap_or(setup.right);
        setup.font_size = spec.font_size.unwrap_or(setup.font_size);
        setup.line_height = spec.line_height.or(setup.line_height);
        setup
    }

    /// How much larger than today's 10 pt body the type is: headings, the
    /// title, the header and footer and the spacing around them scale by it.
    pub fn scale(&self) -> f32 {
        self.font_size / 10.0
    }

    /// Width of the text area.
    pub fn text_width(&self) -> f32 {
        self.width - self.left - self.right
    }

    /// PDF y of the top of the text area.
    pub fn text_top(&self) -> f32 {
        self.height - self.top
    }
}
