//! Writing outputs: atomically, and only inside the output folder.
//!
//! Every file is written to a temporary file in its destination folder and
//! renamed over the target. An interrupted run, a failed render or a full
//! disk leaves the previous good file in place, never a truncated one.
//!
//! Build outputs are not flushed to disk before the rename (`durable =
//! false`): they can always be rebuilt, and a dozen fsyncs would cost more
//! than the whole build. Files that cannot be rebuilt (the review record)
//! are flushed first (`durable = true`), so even a power cut cannot leave
//! them empty.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, Error, Result};

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

/// Writes `files` under `out_dir`: first every file to a temporary file
/// beside its target, then (when `durable`) all are flushed to disk in
/// parallel, so the filesystem can group the journal commits, then each is
/// renamed over its target. If any step before the renames fails, every
/// temporary file is removed and no target has been touched. Returns the
/// paths written.
pub fn write_all(out_dir: &Path, files: &[OutputFile], durable: bool) -> Result<Vec<PathBuf>> {
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
    let targets: Vec<PathBuf> = files.iter().map(|f| out_dir.join(&f.relative)).collect();
    // A rename over a folder fails; find that out before replacing anything.
    for target in &targets {
        if target.is_dir() {
            return Err(Error::new(
                Diagnostic::error(
                    "E0401",
                    format!(
                        "cannot write `{}`: a folder is in the way",
                        target.display()
                    ),
                )
                .help("move or delete that folder, or choose another output folder with --out"),
            ));
        }
    }
    remove_stale_temps(&targets);
    let mut temps: Vec<(PathBuf, fs::File)> = Vec::new();
    let cleanup = |temps: &[(PathBuf, fs::File)]| {
        for (t, _) in temps {
            let _ = fs::remove_file(t);
        }
    };
    for (target, f) in targets.iter().zip(files) {
        match write_temp(target, &f.bytes) {
            Ok(t) => temps.push(t),
            Err(e) => {
                cleanup(&temps);
                return Err(e);
            }
        }
    }
    let synced: Vec<std::io::Result<()>> = std::thread::scope(|s| {
        let handles: Vec<_> = temps
            .iter()
            .map(|(_, file)| s.spawn(move || if durable { file.sync_all() } else { Ok(()) }))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("sync thread panicked")))
            })
            .collect()
    });
    if let Some((i, Err(e))) = synced.into_iter().enumerate().find(|(_, r)| r.is_err()) {
        cleanup(&temps);
        return Err(Error::io("E0401", "write the output file", &targets[i], &e));
    }
    for (i, ((tmp, _), target)) in temps.iter().zip(&targets).enumerate() {
        if let Err(e) = fs::rename(tmp, target) {
            cleanup(&temps[i..]);
            return Err(Error::io("E0401", "replace the output file", target, &e));
        }
    }
    Ok(targets)
}

/// A run killed between writing and renaming (SIGKILL, power cut) leaves
/// `.<name>.<pid>.tmp` behind; the next run removes those of its targets.
fn remove_stale_temps(targets: &[PathBuf]) {
    let mut dirs: Vec<&Path> = targets.iter().filter_map(|t| t.parent()).collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = targets.iter().any(|t| {
                t.parent() == Some(dir)
                    && t.file_name().is_some_and(|n| {
                        let prefix = format!(".{}.", n.to_string_lossy());
                        name.starts_with(&prefix)
                            && name.ends_with(".tmp")
                            && name[prefix.len()..name.len() - 4]
                                .chars()
                                .all(|c| c.is_ascii_digit())
                    })
            });
            if ours {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Creates the target's folder and writes `bytes` to a temporary file in it.
fn write_temp(target: &Path, bytes: &[u8]) -> Result<(PathBuf, fs::File)> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::io("E0401", "create the output folder", dir, &e))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = fs::File::create(&tmp).and_then(|mut file| file.write_all(bytes).map(|()| file));
    match result {
        Ok(file) => Ok((tmp, file)),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(Error::io("E0401", "write the output file", target, &e))
        }
    }
}

/// Writes one file atomically and durably (temporary file, flush, rename).
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<()> {
    write_all(
        target.parent().unwrap_or(Path::new(".")),
        &[OutputFile {
            relative: PathBuf::from(target.file_name().unwrap_or_default()),
            bytes: bytes.to_vec(),
        }],
        true,
    )
    .map(|_| ())
}
