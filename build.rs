//! Finds the default Japanese font at build time so it can be compiled into
//! the binary: no font file is committed to this repository, and a fresh
//! machine needs no Japanese font installed.
//!
//! The font is Noto Sans JP Regular as shipped (with its OFL licence) inside
//! the printpdf package from crates.io, which cargo has already unpacked
//! because printpdf is one of our dependencies. Pinning printpdf to one
//! version pins the font bytes, so every machine builds identical PDFs.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

const PRINTPDF: &str = "printpdf-0.12.8";
const FONT: &str = "examples/assets/fonts/NotoSansJP-Regular.otf";
const OFL: &str = "examples/assets/fonts/OFL.txt";

fn candidates() -> Vec<PathBuf> {
    let mut roots = Vec::new();
    if let Some(home) = env::var_os("CARGO_HOME") {
        roots.push(PathBuf::from(home));
    }
    if let Some(home) = env::var_os("HOME") {
        roots.push(Path::new(&home).join(".cargo"));
    }
    let mut found = Vec::new();
    for root in roots {
        let registry = root.join("registry").join("src");
        if let Ok(entries) = fs::read_dir(&registry) {
            let mut dirs: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            dirs.sort();
            for dir in dirs {
                found.push(dir.join(PRINTPDF));
            }
        }
    }
    // `cargo vendor` layout.
    if let Some(manifest) = env::var_os("CARGO_MANIFEST_DIR") {
        found.push(Path::new(&manifest).join("vendor").join("printpdf"));
    }
    found
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/FONT-NOTICE.txt");
    println!("cargo:rerun-if-env-changed=TALKDOC_DEFAULT_FONT_DIR");
    let dirs: Vec<PathBuf> = match env::var_os("TALKDOC_DEFAULT_FONT_DIR") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => candidates(),
    };
    let Some(pkg) = dirs
        .iter()
        .find(|d| d.join(FONT).is_file() && d.join(OFL).is_file())
    else {
        panic!(
            "talkdoc: cannot find {PRINTPDF}/{FONT} in the cargo registry (looked in {dirs:?}).\n\
             Run `cargo fetch` first, or set TALKDOC_DEFAULT_FONT_DIR to an unpacked {PRINTPDF} package."
        );
    };
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let font = pkg.join(FONT);
    println!("cargo:rerun-if-changed={}", font.display());
    fs::copy(&font, out.join("default-font.otf")).expect("copy the default font into OUT_DIR");

    // The OFL text in the package carries another font's copyright lines at
    // the top; keep the licence itself and put Noto's notice first.
    let ofl = fs::read_to_string(pkg.join(OFL)).expect("read OFL.txt");
    let licence = ofl
        .find("This Font Software is licensed")
        .map_or(ofl.as_str(), |i| &ofl[i..]);
    let header = fs::read_to_string("assets/FONT-NOTICE.txt").expect("read assets/FONT-NOTICE.txt");
    fs::write(out.join("FONT-NOTICE.txt"), format!("{header}{licence}"))
        .expect("write the font notice");
}
