//! Writing outputs: atomically, and only inside the output folder.
//!
//! Every file is written to a temporary file in its destination folder,
//! flushed to disk and renamed over the target. A crash or a full disk mid-
//! write leaves the previous good file in place, never a truncated one.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, Error, Location, Result};

/// One file to write: a path relative to the output folder and its bytes.
pub struct OutputFile {
    pub relative: PathBuf,
    pub bytes: Vec<u8>,
}

/// Checks that `relative` stays inside the output folder.
fn is_contained(relative: &Path) -> bool {
    !relative.as_os_str().is_empty()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Writes `files` under `out_dir`, each atomically. Returns the paths written.
pub fn write_all(out_dir: &Path, files: &[OutputFile]) -> Result<Vec<PathBuf>> {
    for f in files {
        if !is_contained(&f.relative) {
            return Err(Error::new(
                Diagnostic::error(
                    "E0402",
                    format!(
                        "refusing to write `{}`: it would leave the output folder",
                        f.relative.display()
                    ),
                )
                .help("document and locale names may only contain letters, digits, `-` and `_`"),
            ));
        }
    }
    let mut written = Vec::new();
    for f in files {
        let target = out_dir.join(&f.relative);
        write_atomic(&target, &f.bytes)?;
        written.push(target);
    }
    Ok(written)
}

/// Writes `bytes` to `target` via a temporary file and a rename.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::io("E0401", "create the output folder", dir, &e))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, target)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        let mut err = Error::io("E0401", "write the output file", target, &e);
        err.diagnostics[0].location = Some(Location::file(target));
        err
    })
}
