//! Reading inputs: regular files only, each with a size cap checked first.
//!
//! Every file talkdoc reads comes from a project folder someone else may
//! have prepared. `std::fs::read` on a FIFO blocks forever, on `/dev/zero`
//! reads until memory runs out, and on a 1 GB file reads a gigabyte before
//! anything can refuse it. So every read goes through [`read_capped`]: the
//! file's type and size are checked before it is opened, and the read
//! itself stops one byte past the cap in case the file grows meanwhile.

use std::io::Read;

use crate::codes::Code;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Error, Location, Result};

/// Largest `.ftl` file: a message may be at most 1 MB, and a locale of a
/// very large application is a few MB spread over many files.
pub const MAX_FTL_BYTES: u64 = 16 << 20;
/// Largest `content/*.toml` file: a structure of IDs, never prose.
pub const MAX_TOML_BYTES: u64 = 4 << 20;
/// Largest review record: one line (hash + source text) per message.
pub const MAX_RECORD_BYTES: u64 = 64 << 20;
/// Largest font file: the biggest CJK collections are about 30 MB.
pub const MAX_FONT_BYTES: u64 = 64 << 20;

/// The folders project files must lie in, as the file system resolves
/// them: the project folder, and a `--locales` folder named on the command
/// line.
///
/// Why: `check` quotes the lines of what it reads, and CI runs it on pull
/// requests. A link committed as `locales/en/x.ftl -> /proc/self/environ`
/// (or a `content/documents` link to `~/.cargo`) would print the runner's
/// secrets into a public log. Links that stay inside are followed as ever.
/// Font files are not project files: `[pdf] font` may name a system font,
/// and a font's bytes are never shown.
#[derive(Debug, Clone)]
pub struct Boundary {
    folders: Vec<PathBuf>,
}

impl Boundary {
    /// The project folder `root`.
    pub fn of(root: &Path) -> Boundary {
        Boundary {
            folders: vec![real(root)],
        }
    }

    /// Also `dir` (relative to `root`), a folder the user named on the
    /// command line, followed as the file system follows it: trusted where
    /// it leads when it ends outside the project, unless a link inside the
    /// project took it there (a committed `sub -> ../elsewhere` named as
    /// `sub/l10n`, directly or by a path through a linked `--project`);
    /// then, and when it ends inside, it is held to the project. The folder
    /// talkdoc runs in counts as committed too (in CI it is the checkout: a
    /// project in a subfolder, `--locales ../l10n`, and `l10n` a link a
    /// pull request made): a link in it that leads out of it is not trusted.
    pub fn and(mut self, root: &Path, dir: &Path) -> Boundary {
        use std::path::Component;
        let project = real(root);
        let cwd = std::env::current_dir().ok();
        let checkout = cwd.as_deref().map(real);
        let inside =
            |p: &Path, area: &Option<PathBuf>| area.as_ref().is_some_and(|a| p.starts_with(a));
        let named = cwd.map_or_else(|| root.join(dir), |d| d.join(root).join(dir));
        let mut here = PathBuf::new();
        let mut led_out = false;
        for c in named.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    here.pop();
                }
                Component::Normal(name) => {
                    let next = here.join(name);
                    if std::fs::symlink_metadata(&next).is_ok_and(|m| m.file_type().is_symlink()) {
                        let target = real(&next);
                        led_out |= here.starts_with(&project) && !target.starts_with(&project)
                            || inside(&here, &checkout)
                                && !inside(&target, &checkout)
                                && !target.starts_with(&project);
                        here = target;
                    } else {
                        here = next;
                    }
                }
                other => here.push(other),
            }
        }
        if !here.starts_with(&project) && !led_out {
            self.folders.push(here);
        }
        self
    }

    /// Refuses `path` (a file or a folder, `shown` to the user) unless it
    /// resolves inside a folder of the boundary. A path that does not exist
    /// passes (reading it reports that); one that exists but cannot be
    /// resolved (a chain of links longer than the system resolves, a
    /// `/proc` link to a deleted file) is refused: it could lead anywhere.
    pub fn check(&self, path: &Path, shown: &Path, code: Code, what: &str) -> Result<()> {
        let why = match path.canonicalize() {
            Ok(target) if self.folders.iter().any(|f| target.starts_with(f)) => return Ok(()),
            Ok(_) => "leads outside the project folder".to_string(),
            // Missing, or a link to nothing: reading it says so.
            Err(_) if std::fs::metadata(path).is_err() => return Ok(()),
            Err(e) => format!("cannot be resolved to a place in the project folder ({e})"),
        };
        Err(Error::new(
            Diagnostic::error(code, format!("cannot {what}: `{}` {why}", shown.display()))
                .at(Location::file(shown))
                .help("talkdoc reads only files inside the project folder, and follows links only within it: copy the file into the project, or replace the link with the file itself"),
        ))
    }
}

/// `path` as the file system resolves it (itself when it cannot be).
fn real(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// What kind of thing a path is, for messages ("is a folder, not a file").
pub fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

/// Reads `path` (shown to the user as `shown`) if it is a regular file of at
/// most `max` bytes. `code` and `what` name the failure ("read the Fluent
/// file"), as in [`Error::io`].
pub fn read_capped(path: &Path, shown: &Path, max: u64, code: Code, what: &str) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(code, what, shown, &e))?;
    if !meta.is_file() {
        return Err(Error::new(
            Diagnostic::error(
                code,
                format!("cannot {what}: `{}` is {}", shown.display(), kind_of(&meta)),
            )
            .at(Location::file(shown))
            .help("talkdoc reads regular files only; replace it with the file itself"),
        ));
    }
    if meta.len() > max {
        return Err(too_large(code, what, shown, meta.len(), max));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(code, what, shown, &e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(code, what, shown, &e))?;
    if bytes.len() as u64 > max {
        return Err(too_large(code, what, shown, bytes.len() as u64, max));
    }
    Ok(bytes)
}

fn too_large(code: Code, what: &str, shown: &Path, len: u64, max: u64) -> Error {
    Error::new(
        Diagnostic::error(
            code,
            format!(
                "cannot {what}: `{}` is {}, more than the {} talkdoc accepts",
                shown.display(),
                size(len),
                size(max)
            ),
        )
        .at(Location::file(shown))
        .help("check that the right file is named here and that nothing was pasted into it by mistake"),
    )
}

/// `1.5 MB`, `300 bytes`.
fn size(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MB", n as f64 / 1_048_576.0)
    } else {
        format!("{n} bytes")
    }
}

/// [`read_capped`] for text: UTF-8 with a leading BOM removed. Invalid
/// UTF-8 is reported by the caller's own code, so this returns the bytes'
/// decoding error as `Err(bytes)` in the inner result.
pub fn read_text_capped(
    path: &Path,
    shown: &Path,
    max: u64,
    code: Code,
    what: &str,
) -> Result<std::result::Result<String, std::string::FromUtf8Error>> {
    let bytes = read_capped(path, shown, max, code, what)?;
    Ok(String::from_utf8(bytes).map(|mut text| {
        if text.starts_with('\u{feff}') {
            text.drain(..3);
        }
        text
    }))
}
