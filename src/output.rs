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

use crate::codes::Code;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, Error, Result};

/// One file to write: a path relative to the output folder and its bytes.
pub struct OutputFile {
    pub(crate) relative: PathBuf,
    pub(crate) bytes: Vec<u8>,
}

/// Checks that `relative` stays inside the output folder.
pub fn is_contained(relative: &Path) -> bool {
    !relative.as_os_str().is_empty()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Takes the advisory lock of `dir` (an exclusive `flock` on the folder
/// itself, so no lock file is left behind): two builds into one output
/// folder, or two reviews of one record, run one after the other instead of
/// deleting each other's temporary files or losing an update. Waits, with a
/// message, while another run holds it. Released when the file is dropped.
pub fn lock_dir(dir: &Path) -> Result<fs::File> {
    let handle =
        fs::File::open(dir).map_err(|e| Error::io(Code::E0401, "open the folder", dir, &e))?;
    match handle.try_lock() {
        Ok(()) => Ok(handle),
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!(
                "talkdoc: waiting for another talkdoc run that is writing to {}",
                dir.display()
            );
            handle
                .lock()
                .map_err(|e| Error::io(Code::E0401, "lock the folder", dir, &e))?;
            Ok(handle)
        }
        Err(fs::TryLockError::Error(e)) => Err(Error::io(Code::E0401, "lock the folder", dir, &e)),
    }
}

/// Removes an earlier output `relative` to `out_dir`, if it is a regular
/// file reached without going through a link. Returns whether it did.
pub fn remove_output(out_dir: &Path, relative: &Path) -> bool {
    if !is_contained(relative) || check_path(out_dir, relative).is_err() {
        return false;
    }
    let path = out_dir.join(relative);
    match fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() => fs::remove_file(&path).is_ok(),
        _ => false,
    }
}

/// Refuses a path inside the output folder that goes through a symbolic
/// link or through a file: writing there would land outside `out_dir`.
fn check_path(out_dir: &Path, relative: &Path) -> Result<()> {
    let mut here = out_dir.to_path_buf();
    let parts: Vec<_> = relative.components().collect();
    for (i, part) in parts.iter().enumerate() {
        here.push(part);
        let last = i + 1 == parts.len();
        let Ok(meta) = fs::symlink_metadata(&here) else {
            return Ok(()); // does not exist yet: it will be created as a real folder
        };
        if meta.file_type().is_symlink() && !last {
            return Err(Error::new(
                Diagnostic::error(
                    Code::E0402,
                    format!(
                        "refusing to write through `{}`: it is a symbolic link inside the output folder",
                        here.display()
                    ),
                )
                .help("remove the link (talkdoc creates a real folder in its place), or choose another output folder with --out"),
            ));
        }
        if !last && !meta.is_dir() {
            return Err(Error::new(
                Diagnostic::error(
                    Code::E0401,
                    format!(
                        "cannot write into `{}`: it is a file, not a folder",
                        here.display()
                    ),
                )
                .help("move or delete that file, or choose another output folder with --out"),
            ));
        }
        if last && meta.is_dir() {
            // A rename over a folder fails; find that out before replacing anything.
            return Err(Error::new(
                Diagnostic::error(
                    Code::E0401,
                    format!("cannot write `{}`: a folder is in the way", here.display()),
                )
                .help("move or delete that folder, or choose another output folder with --out"),
            ));
        }
    }
    Ok(())
}

/// Writes `files` under `out_dir`, all or nothing.
///
/// First every file goes to a temporary file beside its target (created
/// exclusively, so a planted link is never followed), then (when
/// `durable`) all are flushed to disk in parallel, so the filesystem can
/// group the journal commits. Then each target is swapped in: the old file
/// is kept under a second name (a hard link), the new one renamed into
/// place, atomically. If any swap fails,
/// every earlier one is undone from the files set aside, so the folder is
/// entirely as it was; only if undoing fails too does the error list the
/// files left changed ([`Error::changed`]). Returns the paths written.
///
/// The caller holds the folder's [`lock_dir`] lock (builds) or the
/// record's folder lock (reviews).
pub fn write_all(out_dir: &Path, files: &[OutputFile], durable: bool) -> Result<Vec<PathBuf>> {
    for f in files {
        if !is_contained(&f.relative) {
            return Err(Error::new(
                Diagnostic::error(
                    Code::E0402,
                    format!(
                        "refusing to write `{}`: it would leave the output folder",
                        f.relative.display()
                    ),
                )
                .help("document and locale names may only contain letters, digits, `-` and `_`"),
            ));
        }
        check_path(out_dir, &f.relative)?;
    }
    let targets: Vec<PathBuf> = files.iter().map(|f| out_dir.join(&f.relative)).collect();
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
    // Flushing is for files that cannot be rebuilt; build outputs skip it
    // (and the threads it would take).
    let synced: Vec<std::io::Result<()>> = if !durable {
        Vec::new()
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = temps
                .iter()
                .map(|(_, file)| s.spawn(move || file.sync_all()))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(std::io::Error::other("sync thread panicked")))
                })
                .collect()
        })
    };
    if let Some((i, Err(e))) = synced.into_iter().enumerate().find(|(_, r)| r.is_err()) {
        cleanup(&temps);
        return Err(Error::io(
            Code::E0401,
            "write the output file",
            &targets[i],
            &e,
        ));
    }
    // Swap every target in, remembering what was set aside.
    let mut swapped: Vec<(usize, Option<PathBuf>)> = Vec::new();
    let mut failure = None;
    for (i, ((tmp, _), target)) in temps.iter().zip(&targets).enumerate() {
        let aside = aside_name(target);
        let had_old = fs::symlink_metadata(target).is_ok();
        // Keep the old version under a second name without moving it, so
        // the target exists at every instant (a kill between two steps
        // leaves the old or the new file, never none): a hard link, or a
        // copy where the filesystem has none.
        if had_old
            && let Err(e) =
                fs::hard_link(target, &aside).or_else(|_| fs::copy(target, &aside).map(|_| ()))
        {
            let _ = fs::remove_file(&aside);
            failure = Some((i, e));
            break;
        }
        if let Err(e) = fs::rename(tmp, target) {
            if had_old {
                let _ = fs::remove_file(&aside);
            }
            failure = Some((i, e));
            break;
        }
        swapped.push((i, had_old.then_some(aside)));
    }
    let Some((failed, e)) = failure else {
        for (_, aside) in swapped {
            if let Some(aside) = aside {
                let _ = fs::remove_file(aside);
            }
        }
        return Ok(targets);
    };
    cleanup(&temps[failed..]);
    // Undo, newest first.
    let mut changed = Vec::new();
    for (i, aside) in swapped.into_iter().rev() {
        let undone = match aside {
            Some(aside) => fs::rename(&aside, &targets[i]),
            None => fs::remove_file(&targets[i]),
        };
        if undone.is_err() {
            changed.push(targets[i].clone());
        }
    }
    let mut err = Error::io(Code::E0401, "replace the output file", &targets[failed], &e);
    if changed.is_empty() {
        err.diagnostics[0].notes.push(
            "every file replaced before this one was restored: the output folder is as it was"
                .to_string(),
        );
    } else {
        err.diagnostics[0].notes.push(format!(
            "{} file(s) replaced before this one could not be restored",
            changed.len()
        ));
        err.changed = changed;
    }
    Err(err)
}

/// Where the old version of `target` waits while the new one is swapped in.
fn aside_name(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.{}.old", std::process::id()))
}

/// A run killed between writing and renaming (SIGKILL, power cut) leaves
/// `.<name>.<pid>.tmp` (a new version not swapped in yet) or
/// `.<name>.<pid>.old` (the previous version, set aside) behind; the next
/// run — holding the folder lock, so no live run owns them — removes the
/// first kind and puts the second back if its target is missing.
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
            for t in targets.iter().filter(|t| t.parent() == Some(dir)) {
                let Some(n) = t.file_name() else { continue };
                let prefix = format!(".{}.", n.to_string_lossy());
                let Some(rest) = name.strip_prefix(&prefix) else {
                    continue;
                };
                let (pid, kind) = rest.split_once('.').unwrap_or(("", ""));
                if pid.is_empty() || !pid.chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
                match kind {
                    "tmp" => {
                        let _ = fs::remove_file(entry.path());
                    }
                    "old" if fs::symlink_metadata(t).is_err() => {
                        let _ = fs::rename(entry.path(), t);
                    }
                    "old" => {
                        let _ = fs::remove_file(entry.path());
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Creates the target's folder and writes `bytes` to a new temporary file
/// in it (never an existing file or link of that name).
fn write_temp(target: &Path, bytes: &[u8]) -> Result<(PathBuf, fs::File)> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)
        .map_err(|e| Error::io(Code::E0401, "create the output folder", dir, &e))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut file| file.write_all(bytes).map(|()| file));
    match result {
        Ok(file) => Ok((tmp, file)),
        Err(e) => {
            if e.kind() != std::io::ErrorKind::AlreadyExists {
                let _ = fs::remove_file(&tmp);
            }
            Err(Error::io(Code::E0401, "write the output file", target, &e))
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
