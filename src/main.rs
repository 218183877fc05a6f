fn main() -> std::process::ExitCode {
    tune_allocator();
    talkdoc::cli::main()
}

/// A build allocates and frees a few large buffers per PDF (subset fonts,
/// content streams, the serialised file). glibc hands allocations above
/// 128 KB out as fresh mappings and returns freed memory to the kernel, so
/// every PDF faulted in new zeroed pages: keep them in the heap instead
/// (≈7 % of a build's CPU, measured with `perf stat`; peak memory is the
/// same, since what is kept is reused).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: mallopt only changes glibc's allocator parameters; it is called
    // before any other thread exists or any allocation depends on them.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 64 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}
