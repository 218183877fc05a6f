//! PDF export (see pdf/).
