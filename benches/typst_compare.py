#!/usr/bin/env python3
"""talkdoc's full build side by side with Typst's single Japanese PDF.

    pip install typst==0.15.2
    cargo build --release
    python3 benches/typst_compare.py [--runs 21]

Both are timed as whole processes (wall time, median), alternating in one
run of this script, so both see the same machine state; peak RSS from one
more run of each under GNU time:

- talkdoc: `talkdoc build` of the real project: every locale, document and
  format (32 files, 12 PDFs);
- Typst: the Typst Python binding, started as its own Python process (as a
  user would run it), compiling a Typst rendition of the Japanese handout,
  generated from talkdoc's own Markdown export (`dist/ja/handout.md`) with
  the same page geometry and sizes, with the same Noto Sans JP file as the
  only font (`font_paths` = a folder holding just that file,
  `ignore_system_fonts=True`).

Only runs that succeeded and produced their outputs are timed: each talkdoc
run must exit 0 and leave its 32 files (12 of them PDFs) in a fresh output
folder, each Typst run a PDF. Prints both medians and the ratio; exits 1
when the ratio is over the budget (0.5).
"""

import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BUDGET = 0.5
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "talkdoc")
FONT = "examples/assets/fonts/NotoSansJP-Regular.otf"


def find_font():
    """The font talkdoc compiles in (build.rs): printpdf 0.12.8's Noto Sans JP."""
    homes = [os.environ.get("CARGO_HOME"), os.path.expanduser("~/.cargo")]
    for home in filter(None, homes):
        for pkg in sorted(glob.glob(os.path.join(home, "registry", "src", "*", "printpdf-0.12.8"))):
            path = os.path.join(pkg, FONT)
            if os.path.isfile(path):
                return path
    sys.exit("typst_compare: cannot find printpdf-0.12.8/" + FONT + " (run `cargo fetch`)")


def typst_text(s):
    """Markdown inline text → Typst markup: plain text as string literals."""
    s = s.replace("\\", "\\\\").replace('"', '\\"')
    return '#"' + s + '"'


def unescape_md(s):
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>])", r"\1", s)


LINK = re.compile(r"\[((?:\\.|[^\]])*)\]\(<?([^)>]+)>?\)")


def inline(md):
    """Links become a link plus the printed address (as talkdoc prints them)."""
    out = []
    pos = 0
    for m in LINK.finditer(md):
        if m.start() > pos:
            out.append(typst_text(unescape_md(md[pos:m.start()])))
        text, url = unescape_md(m.group(1)), m.group(2)
        out.append('#link("%s")[%s]' % (url, typst_text(text)))
        if text != url:
            out.append(" " + '#text(fill: luma(115))[%s]' % typst_text(url))
        pos = m.end()
    if pos < len(md):
        out.append(typst_text(unescape_md(md[pos:])))
    return "".join(out)


def to_typst(md, title):
    """talkdoc's Markdown export of a handout → a Typst document set like
    talkdoc's PDF: A4, same margins, 10 pt body justified with a 1 em indent,
    17 pt title with a rule, 12.5 pt headings with a rule, running header
    from page 2, footer `n / N`."""
    lines = [
        '#set page(paper: "a4", margin: (x: 62pt, top: 68pt, bottom: 62pt),',
        '  header: context if here().page() > 1 {',
        '    text(8pt, fill: luma(115))[%s]; v(-4pt); line(length: 100%%, stroke: 0.4pt + luma(153)) },' % typst_text(title),
        '  footer: context align(center, text(8pt, fill: luma(115),',
        '    counter(page).display("1 / 1", both: true))))',
        '#set text(font: "Noto Sans JP", size: 10pt, lang: "ja")',
        # talkdoc: 1.7 × 10 pt per line; Typst's leading is the gap below
        # the cap-height-to-baseline line box (0.733 em for this font).
        "#set par(justify: true, first-line-indent: (amount: 1em, all: true), leading: 0.97em, spacing: 1.2em)",
        "#show list: set par(leading: 0.82em)",
        "#show heading: it => block(above: 1.3em, below: 0.7em)[#set par(first-line-indent: 0pt); #text(12.5pt, weight: \"bold\", it.body) #v(-0.6em) #line(length: 100%, stroke: 0.5pt + luma(153))]",
        "#set list(marker: ([•], [◦], [▪]))",
        "",
    ]
    for raw in md.splitlines():
        line = raw.rstrip()
        if not line:
            lines.append("")
            continue
        if line.startswith("# "):
            lines.append('#block(below: 14pt)[#set par(first-line-indent: 0pt, justify: false); #text(17pt, weight: "bold")[%s] #v(-4pt) #line(length: 100%%, stroke: 1.2pt)]' % inline(line[2:]))
        elif line.startswith("## "):
            lines.append("= " + inline(line[3:]))
        else:
            m = re.match(r"^( *)(- |\d+\. )(.*)$", line)
            if m:
                indent, marker, text = m.groups()
                marker = "- " if marker == "- " else "+ "
                lines.append(indent + marker + inline(text))
            else:
                lines.append(inline(line))
    return "\n".join(lines) + "\n"


def peak_rss(argv):
    """Peak RSS in MB of one run of argv, through GNU time (a small parent:
    a child spawned by this Python would count this Python's pages too)."""
    if not os.path.exists("/usr/bin/time"):
        return float("nan")
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    try:
        return int(out.stderr.strip().splitlines()[-1]) / 1024.0
    except (ValueError, IndexError):
        return float("nan")


def timed(argv, check):
    """Runs argv; returns its wall time in seconds if it exited 0 and
    check() holds afterwards, else exits with the reason."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ,
                             file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
        _, status, _ = os.wait4(pid, 0)
        elapsed = time.perf_counter() - start
    finally:
        os.close(devnull)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit("typst_compare: %s failed (exit %d)" % (" ".join(argv[:2]), code))
    problem = check()
    if problem:
        sys.exit("typst_compare: %s: %s" % (" ".join(argv[:2]), problem))
    return elapsed


def main():
    runs = 21
    if "--runs" in sys.argv:
        runs = int(sys.argv[sys.argv.index("--runs") + 1])
    if not os.path.isfile(BIN):
        sys.exit("typst_compare: build talkdoc first: cargo build --release")
    try:
        import typst  # noqa: F401
    except ImportError:
        sys.exit("typst_compare: pip install typst==0.15.2")
    tmp = tempfile.mkdtemp(prefix="talkdoc-typst-")
    try:
        out = os.path.join(tmp, "dist")
        subprocess.run([BIN, "--project", ROOT, "build", "-q", "--out", out], check=True)
        with open(os.path.join(out, "ja", "handout.md"), encoding="utf-8") as f:
            md = f.read()
        title = md.splitlines()[0][2:]
        typ = os.path.join(tmp, "handout-ja.typ")
        with open(typ, "w", encoding="utf-8") as f:
            f.write(to_typst(md, unescape_md(title)))
        fonts = os.path.join(tmp, "fonts")
        os.mkdir(fonts)
        shutil.copy(find_font(), fonts)
        typst_pdf = os.path.join(tmp, "handout-ja.pdf")
        typst_argv = [
            sys.executable, "-c",
            "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], "
            "font_paths=[sys.argv[3]], ignore_system_fonts=True)",
            typ, typst_pdf, fonts,
        ]
        talkdoc_argv = [BIN, "--project", ROOT, "build", "-q", "--out", out]

        def talkdoc_outputs():
            files = [p for p in glob.glob(os.path.join(out, "**", "*"), recursive=True) if os.path.isfile(p)]
            pdfs = [p for p in files if p.endswith(".pdf")]
            if len(files) != 32 or len(pdfs) != 12:
                return "expected 32 files (12 PDFs), found %d (%d PDFs)" % (len(files), len(pdfs))
            if any(os.path.getsize(p) == 0 for p in files):
                return "an empty output file"
            return None

        def typst_output():
            if not os.path.isfile(typst_pdf):
                return "no PDF written"
            with open(typst_pdf, "rb") as f:
                head = f.read(5)
            if head != b"%PDF-" or os.path.getsize(typst_pdf) < 10000:
                return "not a PDF of the handout"
            return None

        t_talkdoc, t_typst = [], []
        for i in range(runs + 2):
            shutil.rmtree(out, ignore_errors=True)
            t = timed(talkdoc_argv, talkdoc_outputs)
            if os.path.exists(typst_pdf):
                os.remove(typst_pdf)
            tt = timed(typst_argv, typst_output)
            if i >= 2:  # two warm-up rounds
                t_talkdoc.append(t)
                t_typst.append(tt)
        shutil.rmtree(out, ignore_errors=True)
        rss_talkdoc = [peak_rss(talkdoc_argv)]
        rss_typst = [peak_rss(typst_argv)]
        ms = lambda xs: statistics.median(xs) * 1000.0
        ratio = statistics.median(t_talkdoc) / statistics.median(t_typst)
        pages = subprocess.run(["pdfinfo", typst_pdf], capture_output=True, text=True).stdout
        pages = re.search(r"Pages:\s+(\d+)", pages)
        print("median of %d alternating runs, whole process:" % runs)
        print("  talkdoc build (32 files, 12 PDFs)        %7.1f ms  peak RSS %5.1f MB" % (ms(t_talkdoc), max(rss_talkdoc)))
        print("  Typst 0.15 via Python, ja handout (%s p.) %7.1f ms  peak RSS %5.1f MB" % (
            pages.group(1) if pages else "?", ms(t_typst), max(rss_typst)))
        verdict = "ok" if ratio <= BUDGET else "OVER BUDGET"
        print("  ratio talkdoc full build / Typst one PDF  %7.2f    (budget %.2f) %s" % (ratio, BUDGET, verdict))
        if ratio > BUDGET:
            sys.exit(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
