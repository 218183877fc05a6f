//! Helper threads that start working at once, on another CPU.
//!
//! Linux queues a new thread on its creator's CPU and moves it to an idle
//! one only at a load balance, up to a scheduler tick (4 ms) later: on this
//! project's 2-core machine, a build's render worker started its first job
//! 0.8–4.4 ms late in 17 of 30 runs, a fifth of the build. A thread kept
//! off its creator's CPU from the start ([`elsewhere`]) starts within
//! 0.1–0.2 ms. std's scoped threads give no handle to do that with, so
//! [`run`] spawns plain threads on borrowed work and joins them before it
//! returns or unwinds: what `std::thread::scope` guarantees, kept here by
//! a guard.

use std::thread::JoinHandle;

/// Runs `work` on up to `helpers` new threads, each kept off the calling
/// thread's CPU, while `main` runs on the calling thread; returns `main`'s
/// result once every helper has finished. A helper's panic is raised here
/// after all are joined (as `std::thread::scope` does). Fewer helpers (none
/// at all) run when threads cannot be made: `work` must be work that the
/// calling thread can also take on, as in a shared queue.
pub(crate) fn run<R>(helpers: usize, work: &(dyn Fn() + Sync), main: impl FnOnce() -> R) -> R {
    /// Joins the helpers whatever happens, `main` panicking included: they
    /// borrow from the caller's frame.
    struct Joined(Vec<JoinHandle<()>>);
    impl Joined {
        fn join(&mut self) -> Option<Box<dyn std::any::Any + Send>> {
            let mut panic = None;
            for h in self.0.drain(..) {
                if let Err(p) = h.join() {
                    panic.get_or_insert(p);
                }
            }
            panic
        }
    }
    impl Drop for Joined {
        fn drop(&mut self) {
            self.join();
        }
    }
    let mut joined = Joined(Vec::new());
    for _ in 0..helpers {
        let builder = std::thread::Builder::new();
        // SAFETY: the thread borrows `work` only; `joined` joins it before
        // this function returns, and on unwinding its `Drop` does, so the
        // borrow never outlives this frame.
        match unsafe { builder.spawn_unchecked(work) } {
            Ok(h) => {
                joined.0.push(h);
                if let Some(h) = joined.0.last() {
                    elsewhere(h);
                }
            }
            Err(_) => break,
        }
    }
    let result = main();
    if let Some(panic) = joined.join() {
        std::panic::resume_unwind(panic);
    }
    result
}

/// Keeps `thread` off the CPU the calling thread runs on (see the module
/// documentation).
pub(crate) fn elsewhere<T>(thread: &JoinHandle<T>) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::thread::JoinHandleExt;
        // SAFETY: plain libc calls on a zeroed cpu_set_t we own, for a
        // thread whose handle we hold (so it has not been joined or freed).
        unsafe {
            let here = libc::sched_getcpu();
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            let size = std::mem::size_of::<libc::cpu_set_t>();
            if here < 0 || libc::sched_getaffinity(0, size, &mut set) != 0 {
                return;
            }
            libc::CPU_CLR(here as usize, &mut set);
            if libc::CPU_COUNT(&set) > 0 {
                libc::pthread_setaffinity_np(thread.as_pthread_t(), size, &set);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = thread;
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Every item is taken once, by the helpers or the caller, and `run`
    /// returns only when the helpers are done with the borrowed queue.
    #[test]
    fn helpers_share_borrowed_work_and_are_joined() {
        for _ in 0..20 {
            let items: Vec<usize> = (0..200).collect();
            let next = AtomicUsize::new(0);
            let seen = Mutex::new(Vec::new());
            let work = || {
                while let Some(&i) = items.get(next.fetch_add(1, Ordering::Relaxed)) {
                    seen.lock().unwrap().push(i);
                }
            };
            super::run(3, &work, work);
            let mut seen = seen.into_inner().unwrap();
            seen.sort();
            assert_eq!(seen, items);
        }
    }

    /// When the caller's part panics, the helpers still working on the
    /// borrowed queue are joined before the panic leaves `run` (the data
    /// they borrow is still there).
    #[test]
    fn helpers_are_joined_when_the_callers_part_panics() {
        for _ in 0..20 {
            let items: Vec<usize> = (0..400).collect();
            let next = AtomicUsize::new(0);
            let taken = AtomicUsize::new(0);
            let work = || {
                while let Some(&i) = items.get(next.fetch_add(1, Ordering::Relaxed)) {
                    std::hint::black_box(i);
                    std::thread::yield_now();
                    taken.fetch_add(1, Ordering::SeqCst);
                }
            };
            let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                super::run(2, &work, || panic!("the caller failed"))
            }));
            assert!(caught.is_err(), "the caller's panic was lost");
            // Joined: nothing is still taking items after `run` unwound.
            let after = taken.load(Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(2));
            assert_eq!(taken.load(Ordering::SeqCst), after, "a helper outlived run");
            assert_eq!(after, items.len(), "the helpers did not finish the queue");
        }
    }

    /// A helper's panic is the caller's, raised after every helper is joined.
    #[test]
    fn a_helpers_panic_is_raised_in_the_caller() {
        let done = AtomicUsize::new(0);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            super::run(
                2,
                &|| {
                    if done.fetch_add(1, Ordering::SeqCst) == 0 {
                        panic!("helper failed");
                    }
                },
                || (),
            )
        }));
        assert!(caught.is_err(), "the helper's panic was lost");
        assert_eq!(done.load(Ordering::SeqCst), 2, "a helper was not joined");
    }
}
