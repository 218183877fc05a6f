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
//!
//! A build output whose bytes are already there is left alone
//! ([`Staging::keeping_identical`]): its modification time stays, so a
//! viewer, `rsync` or `make` sees only what changed, and no file is
//! created and deleted for nothing. That matters more than it sounds: on
//! ext4 without a journal and mounted with `discard` (this project's CI
//! machines), deleting a replaced file waits for the disk's discard, and
//! every file created scans past the inodes deleted in the last minutes;
//! a build run again and again replacing its 32 outputs went from 26 to
//! 44 ms over four minutes, where one that finds them unchanged stays at
//! 18.

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

/// Writes `files` under `out_dir`, all or nothing (see [`Staging`]).
/// Returns the paths written.
///
/// The caller holds the folder's [`lock_dir`] lock (builds) or the
/// record's folder lock (reviews).
pub fn write_all(out_dir: &Path, files: &[OutputFile], durable: bool) -> Result<Vec<PathBuf>> {
    let mut staging = Staging::new(out_dir, durable);
    for (i, f) in files.iter().enumerate() {
        staging.stage(i, f)?;
    }
    Ok(staging
        .commit()?
        .into_iter()
        .filter_map(|(_, p, written)| written.then_some(p))
        .collect())
}

/// Files on their way into an output folder, all or nothing.
///
/// Each file goes to a temporary file beside its target as soon as it is
/// ready ([`Staging::stage`]: created exclusively, so a planted link is
/// never followed; a build stages each output while the rest is still
/// being rendered). [`Staging::commit`] then (when `durable`) flushes them
/// all in parallel, so the filesystem can group the journal commits, and
/// swaps each target in: the old file is kept under a second name (a hard
/// link), the new one renamed into place, atomically. If any swap fails,
/// every earlier one is undone from the files set aside, so the folder is
/// entirely as it was; only if undoing fails too does the error list the
/// files left changed ([`Error::changed`]). Dropped without a commit (an
/// error anywhere), it removes its temporary files and the folders it
/// created: nothing was written.
pub struct Staging {
    out_dir: PathBuf,
    durable: bool,
    /// (order, target, temporary file): what `commit` swaps in.
    staged: Vec<(usize, PathBuf, PathBuf, fs::File)>,
    /// Folders this staging created, outermost first.
    created: Vec<PathBuf>,
    /// Folders already made sure of, with the names in them that look
    /// like a killed run's leftovers (`.<name>.<pid>.tmp` / `.old`).
    ready: Vec<(PathBuf, Vec<String>)>,
    /// Whether a target already holding the new bytes is left as it is.
    keep_identical: bool,
    /// (order, target) of the files left as they were.
    unchanged: Vec<(usize, PathBuf)>,
    committed: bool,
}

/// One target of [`Staging::commit`]: its order, its path, and whether
/// it was swapped in (`false`: it already held the new bytes).
pub type Committed = (usize, PathBuf, bool);

impl Staging {
    /// Nothing staged yet into `out_dir` (which may not exist yet).
    pub fn new(out_dir: &Path, durable: bool) -> Staging {
        Staging {
            out_dir: out_dir.to_path_buf(),
            durable,
            staged: Vec::new(),
            created: Vec::new(),
            ready: Vec::new(),
            keep_identical: false,
            unchanged: Vec::new(),
            committed: false,
        }
    }

    /// Leaves a target that already holds exactly the staged bytes as it
    /// is (not recreated, its modification time kept) instead of swapping
    /// in an identical copy.
    pub fn keeping_identical(mut self) -> Staging {
        self.keep_identical = true;
        self
    }

    /// The folder the files go into.
    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// Creates `dir` and any missing parents, remembering which it made.
    fn create_dir(&mut self, dir: &Path) -> Result<()> {
        let mut missing = Vec::new();
        let mut here = Some(dir);
        while let Some(d) = here {
            if d.as_os_str().is_empty() || fs::symlink_metadata(d).is_ok() {
                break;
            }
            missing.push(d.to_path_buf());
            here = d.parent();
        }
        fs::create_dir_all(dir)
            .map_err(|e| Error::io(Code::E0401, "create the output folder", dir, &e))?;
        self.created.extend(missing.into_iter().rev());
        Ok(())
    }

    /// Writes `file` to a temporary file beside its target; `order` is its
    /// place in what [`Staging::commit`] returns.
    pub fn stage(&mut self, order: usize, file: &OutputFile) -> Result<()> {
        if !is_contained(&file.relative) {
            return Err(Error::new(
                Diagnostic::error(
                    Code::E0402,
                    format!(
                        "refusing to write `{}`: it would leave the output folder",
                        file.relative.display()
                    ),
                )
                .help("document and locale names may only contain letters, digits, `-` and `_`"),
            ));
        }
        check_path(&self.out_dir, &file.relative)?;
        let target = self.out_dir.join(&file.relative);
        let dir = target.parent().unwrap_or(Path::new(".")).to_path_buf();
        let at = match self.ready.iter().position(|(d, _)| *d == dir) {
            Some(at) => at,
            None => {
                self.create_dir(&dir)?;
                self.ready.push((dir.clone(), leftovers(&dir)));
                self.ready.len() - 1
            }
        };
        remove_stale_temps(&dir, &self.ready[at].1, &target);
        if self.keep_identical && holds(&target, &file.bytes) {
            self.unchanged.push((order, target));
            return Ok(());
        }
        let (tmp, handle) = write_temp(&target, &file.bytes)?;
        self.staged.push((order, target, tmp, handle));
        Ok(())
    }

    /// Swaps every staged file in (see [`Staging`]); returns every target,
    /// swapped in or left as it was, sorted by order.
    pub fn commit(mut self) -> Result<Vec<Committed>> {
        self.staged.sort_by_key(|(order, ..)| *order);
        // Flushing is for files that cannot be rebuilt; build outputs skip it
        // (and the threads it would take).
        let synced: Vec<std::io::Result<()>> = if !self.durable {
            Vec::new()
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = self
                    .staged
                    .iter()
                    .map(|(.., file)| s.spawn(move || file.sync_all()))
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
            return Err(Error::io(
                Code::E0401,
                "write the output file",
                &self.staged[i].1,
                &e,
            ));
        }
        // Swap every target in, remembering what was set aside.
        let mut swapped: Vec<(usize, Option<PathBuf>)> = Vec::new();
        let mut failure = None;
        for (i, (_, target, tmp, _)) in self.staged.iter().enumerate() {
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
            self.committed = true;
            let mut all: Vec<Committed> = self
                .staged
                .iter()
                .map(|(order, target, ..)| (*order, target.clone(), true))
                .chain(self.unchanged.drain(..).map(|(o, t)| (o, t, false)))
                .collect();
            all.sort_by_key(|(order, ..)| *order);
            return Ok(all);
        };
        // What was renamed is no longer a temporary file to remove.
        let renamed: Vec<usize> = swapped.iter().map(|(i, _)| *i).collect();
        // Undo, newest first.
        let mut changed = Vec::new();
        for (i, aside) in swapped.into_iter().rev() {
            let target = &self.staged[i].1;
            let undone = match aside {
                Some(aside) => fs::rename(&aside, target),
                None => fs::remove_file(target),
            };
            if undone.is_err() {
                changed.push(target.clone());
            }
        }
        let mut err = Error::io(
            Code::E0401,
            "replace the output file",
            &self.staged[failed].1,
            &e,
        );
        for i in renamed.into_iter().rev() {
            self.staged.remove(i);
        }
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
            // Folders holding files left changed stay.
            self.created.clear();
            err.changed = changed;
        }
        Err(err)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        for (_, _, tmp, _) in &self.staged {
            let _ = fs::remove_file(tmp);
        }
        // Innermost first; a folder something else was put in stays.
        for dir in self.created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}

/// Where the old version of `target` waits while the new one is swapped in.
fn aside_name(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.{}.old", std::process::id()))
}

/// The names in `dir` shaped like the files [`remove_stale_temps`] cleans
/// up (read once per folder: the folder is locked, and this run's own
/// temporary files come after).
fn leftovers(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && (n.ends_with(".tmp") || n.ends_with(".old")))
        .collect()
}

/// A run killed between writing and renaming (SIGKILL, power cut) leaves
/// `.<name>.<pid>.tmp` (a new version not swapped in yet) or
/// `.<name>.<pid>.old` (the previous version, set aside) behind; the next
/// run — holding the folder lock, so no live run owns them — removes the
/// first kind and puts the second back if `target` is missing. `names` are
/// the candidates in `dir` ([`leftovers`]).
fn remove_stale_temps(dir: &Path, names: &[String], target: &Path) {
    let Some(n) = target.file_name() else { return };
    let prefix = format!(".{}.", n.to_string_lossy());
    for name in names {
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        let (pid, kind) = rest.split_once('.').unwrap_or(("", ""));
        if pid.is_empty() || !pid.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let path = dir.join(name);
        match kind {
            "tmp" => {
                let _ = fs::remove_file(&path);
            }
            "old" if fs::symlink_metadata(target).is_err() => {
                let _ = fs::rename(&path, target);
            }
            "old" => {
                let _ = fs::remove_file(&path);
            }
            _ => {}
        }
    }
}

/// Whether `target` is a regular file holding exactly `bytes`. Read
/// without following a link or waiting on a FIFO, in blocks, stopping at
/// the first difference; anything unreadable counts as different (the
/// file is then replaced, as before this check existed).
fn holds(target: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let same_size = |m: &fs::Metadata| m.is_file() && m.len() == bytes.len() as u64;
    if !fs::symlink_metadata(target).is_ok_and(|m| same_size(&m)) {
        return false;
    }
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let Ok(mut file) = options.open(target) else {
        return false;
    };
    if !file.metadata().is_ok_and(|m| same_size(&m)) {
        return false;
    }
    let mut block = [0u8; 16 * 1024];
    let mut rest = bytes;
    loop {
        match file.read(&mut block) {
            Ok(0) => return rest.is_empty(),
            Ok(n) if n <= rest.len() && block[..n] == rest[..n] => rest = &rest[n..],
            Ok(_) => return false,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Writes `bytes` to a new temporary file in the target's folder (never an
/// existing file or link of that name).
fn write_temp(target: &Path, bytes: &[u8]) -> Result<(PathBuf, fs::File)> {
    let dir = target.parent().unwrap_or(Path::new("."));
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
