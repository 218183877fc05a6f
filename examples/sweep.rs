//! Typesetting sweep: lays out the real handouts at 13 line widths (left and
//! right margins 14–50 mm in 3 mm steps, A4, 10 pt) and prints, per locale,
//! the figures of issue 12: kinsoku violations, lines with a kana/kanji gap
//! of 0.1 em or more, spurious spaces inside Japanese in `pdftotext`
//! output (default, `-raw`, `-layout`), words split at a line-end hyphen in
//! that output, hyphenated breaks, tail-only lines, runts, unjustified
//! lines and the 和欧間 range.
//!
//!     cargo run --release --example sweep [-- <project> [document] [--per-width] [--lines] [--keep <dir>]]
//!
//! `--keep <dir>` leaves the PDFs there (`<locale>-<step>.pdf`, step 0 = 14 mm).
//!
//! Needs `pdftotext` (poppler-utils) for the extraction figures; without it
//! they are shown as `-`.

use std::path::PathBuf;
use std::process::Command;

use talkdoc::render::pdf::layout::Layout;
use talkdoc::render::pdf::linebreak::LineBreaker;
use talkdoc::render::pdf::page::PageSetup;
use talkdoc::render::pdf::stats::{self, Figures};
use talkdoc::render::pdf::write::{Metadata, write_pdf};

const MM: f32 = 72.0 / 25.4;

#[derive(Default)]
struct Total {
    figures: Vec<Figures>,
    /// Per mode (default, raw, layout): spurious spaces and split words.
    spaces: [usize; 3],
    split: [usize; 3],
    extracted: bool,
}

fn pdftotext(pdf: &std::path::Path, mode: Option<&str>) -> Option<String> {
    let mut cmd = Command::new("pdftotext");
    if let Some(m) = mode {
        cmd.arg(m);
    }
    let out = cmd
        .arg("-enc")
        .arg("UTF-8")
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let per_width = args.iter().any(|a| a == "--per-width");
    let show_lines = args.iter().any(|a| a == "--lines");
    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let positional: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|&(i, a)| !a.starts_with("--") && (i == 0 || args[i - 1] != "--keep"))
        .map(|(_, a)| a)
        .collect();
    let root = positional
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let name = positional.get(1).map_or("handout", |s| s.as_str());
    let project = talkdoc::project::Project::load(&root).map_err(|e| format!("{e:?}"))?;
    let font = talkdoc::build::load_font(&project).map_err(|e| format!("{e:?}"))?;
    let breaker = LineBreaker::new();
    let layout = Layout {
        font: &font,
        breaker: &breaker,
        record: true,
        memo: &Default::default(),
    };
    let scratch = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("talkdoc-sweep-{}", std::process::id()))
    });
    std::fs::create_dir_all(&scratch)?;
    let keywords: Vec<String> = Vec::new();
    for locale in project.content.locales() {
        let doc =
            talkdoc::assemble::assemble(&project, name, &locale).map_err(|e| format!("{e:?}"))?;
        let source = talkdoc::render::text::to_text(&doc);
        let title = talkdoc::build::talk_title(&project, &locale).unwrap_or_default();
        let mut total = Total::default();
        for step in 0..13 {
            let margin = (14 + 3 * step) as f32 * MM;
            let setup = PageSetup {
                left: margin,
                right: margin,
                ..PageSetup::default()
            };
            let one = layout.document(&doc, 0, &setup);
            let laid = layout.finish(&[(&one, title.as_str())]);
            let f = stats::measure(&laid.lines);
            if show_lines {
                for n in 0..laid.lines.len() {
                    let p = stats::measure_line(&laid.lines, n).problems();
                    if !p.is_empty() {
                        let r = &laid.lines[n];
                        println!(
                            "    {:2} mm {:?} [{}] {:?} width {:.1}/{:.1}",
                            14 + 3 * step,
                            p,
                            r.text,
                            r.line.end,
                            r.line.width,
                            r.avail
                        );
                    }
                }
            }
            let meta = Metadata {
                title: &title,
                subject: "sweep",
                keywords: &keywords,
                author: None,
                lang: &locale,
            };
            let pdf = scratch.join(format!("{locale}-{step}.pdf"));
            std::fs::write(
                &pdf,
                write_pdf(&font, &laid, &meta, &Default::default())
                    .map_err(|e| format!("{e:?}"))?,
            )?;
            let mut line = format!(
                "  {locale} margin {:2} mm: kinsoku {} gaps>=0.1em {} max gap {:.3} em, hyphens {} tail-only {} runts {} unjustified {} squeezed {}",
                14 + 3 * step,
                f.kinsoku,
                f.wide_gaps,
                f.max_gap,
                f.hyphens,
                f.tail_only,
                f.runts,
                f.unjustified,
                f.squeezed
            );
            for (m, mode) in [None, Some("-raw"), Some("-layout")]
                .into_iter()
                .enumerate()
            {
                if let Some(text) = pdftotext(&pdf, mode) {
                    total.extracted = true;
                    let sp = stats::spurious_spaces(&text, &source);
                    let sw = stats::split_words(&text, &source);
                    total.spaces[m] += sp;
                    total.split[m] += sw;
                    line.push_str(&format!(
                        " | {} sp {sp} split {sw}",
                        mode.unwrap_or("default")
                    ));
                }
            }
            if per_width {
                println!("{line}");
            }
            if keep.is_none() {
                let _ = std::fs::remove_file(&pdf);
            }
            total.figures.push(f);
        }
        let sum = |g: fn(&Figures) -> usize| total.figures.iter().map(g).sum::<usize>();
        let max_gap = total
            .figures
            .iter()
            .map(|f| f.max_gap)
            .fold(0.0f32, f32::max);
        let wa_ou = total.figures.iter().filter_map(|f| f.wa_ou).fold(
            None,
            |acc: Option<(f32, f32)>, (lo, hi)| {
                Some(acc.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))))
            },
        );
        println!("{locale} ({name}, 13 widths, {} lines):", sum(|f| f.lines));
        println!("  kinsoku violations         {}", sum(|f| f.kinsoku));
        println!(
            "  kana/kanji gap >= 0.1 em   {} lines",
            sum(|f| f.wide_gaps)
        );
        println!(
            "  kana/kanji gap > 0.2 em    {} lines",
            sum(|f| f.very_wide_gaps)
        );
        println!("  widest kana/kanji gap      {max_gap:.3} em");
        match wa_ou {
            Some((lo, hi)) => println!("  和欧間                     {lo:.3}–{hi:.3} em"),
            None => println!("  和欧間                     -"),
        }
        if total.extracted {
            println!(
                "  spurious spaces (pdftotext default / -raw / -layout)  {} / {} / {}",
                total.spaces[0], total.spaces[1], total.spaces[2]
            );
            println!(
                "  words split at a hyphen   (default / -raw / -layout)  {} / {} / {}",
                total.split[0], total.split[1], total.split[2]
            );
        } else {
            println!("  spurious spaces            - (pdftotext not found)");
        }
        println!("  hyphenated breaks          {}", sum(|f| f.hyphens));
        println!(
            "  hyphens in headings/titles {}",
            sum(|f| f.heading_hyphens)
        );
        println!("  tail-only lines            {}", sum(|f| f.tail_only));
        println!("  runts                      {}", sum(|f| f.runts));
        println!("  unjustified lines          {}", sum(|f| f.unjustified));
        println!("  squeezed lines (追い込み)  {}", sum(|f| f.squeezed));
    }
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    Ok(())
}
