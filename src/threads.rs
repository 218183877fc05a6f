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
//! a guard. On it stand [`map`] (independent pieces side by side, in order)
//! and [`WarmUp`] (a renderer's head start on an idle core, which the run
//! stops rather than waits for).

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

/// Work started on an idle core ahead of rendering, on a thread of its
/// own that the run waits for only while it is running: a thread that has
/// not started yet by the end (a virtual machine can start one
/// milliseconds late) never does its work at all.
pub struct WarmUp {
    shared: std::sync::Arc<WarmShared>,
}

#[derive(Default)]
struct WarmShared {
    stop: std::sync::atomic::AtomicBool,
    state: std::sync::Mutex<WarmState>,
    ended: std::sync::Condvar,
}

#[derive(Default)]
struct WarmState {
    running: bool,
    panic: Option<Box<dyn std::any::Any + Send>>,
}

/// A warm-up dropped without being settled (the run is unwinding) is told
/// to stop at its next step.
impl Drop for WarmUp {
    fn drop(&mut self) {
        self.shared
            .stop
            .store(true, std::sync::atomic::Ordering::Release);
    }
}

impl WarmUp {
    /// Runs `work` on a new thread kept off the calling thread's CPU;
    /// `work` should look at the flag it gets between steps and return
    /// when it is set. `None` if no thread could be made.
    pub fn start(
        work: impl FnOnce(&std::sync::atomic::AtomicBool) + Send + 'static,
    ) -> Option<WarmUp> {
        use std::sync::atomic::Ordering;
        let shared = std::sync::Arc::new(WarmShared::default());
        let theirs = shared.clone();
        let body = move || {
            {
                let mut state = theirs.state.lock().unwrap_or_else(|e| e.into_inner());
                if theirs.stop.load(Ordering::Acquire) {
                    return;
                }
                state.running = true;
            }
            let result =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&theirs.stop)));
            let mut state = theirs.state.lock().unwrap_or_else(|e| e.into_inner());
            state.running = false;
            state.panic = result.err();
            theirs.ended.notify_all();
        };
        let handle = std::thread::Builder::new()
            .name("talkdoc-warm-up".into())
            .spawn(body)
            .ok()?;
        elsewhere(&handle);
        Some(WarmUp { shared })
    }

    /// Stops the work: waits for it only if it is running (it stops after
    /// its current step). A panic in it is the run's (as a render
    /// thread's is), raised here, before anything is written.
    pub fn settle(self) {
        self.shared
            .stop
            .store(true, std::sync::atomic::Ordering::Release);
        let mut state = self.shared.state.lock().unwrap_or_else(|e| e.into_inner());
        while state.running {
            state = self
                .shared
                .ended
                .wait(state)
                .unwrap_or_else(|e| e.into_inner());
        }
        if let Some(panic) = state.panic.take() {
            drop(state);
            std::panic::resume_unwind(panic);
        }
    }
}

/// `f` of each of `items`, in their order, worked out on up to
/// `available_parallelism` threads (the caller's among them) taking items
/// from one queue: for independent pieces of a run, such as its locales.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: &(dyn Fn(&T) -> R + Sync)) -> Vec<R> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            let made = f(item);
            *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(made);
        }
    };
    // A panic in `f` is the caller's, as it would be without helpers.
    run(threads.saturating_sub(1), &work, work);
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("the queue is emptied before `run` returns")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::WarmUp;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;

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

    /// `map` gives each item's result in the items' order, whichever
    /// thread worked it out.
    #[test]
    fn map_keeps_the_items_order() {
        let items: Vec<u64> = (0..500).collect();
        let got = super::map(&items, &|&i| {
            if i % 7 == 0 {
                std::thread::yield_now();
            }
            i * 3
        });
        assert_eq!(got, items.iter().map(|i| i * 3).collect::<Vec<_>>());
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

    /// A warm-up's panic is raised where the run settles it (before
    /// anything is written), never lost with its thread.
    #[test]
    fn a_panic_in_a_warm_up_is_the_runs() {
        let (tx, rx) = mpsc::channel();
        let w = WarmUp::start(move |_| {
            tx.send(()).expect("started");
            panic!("warm-up failed");
        })
        .expect("a thread");
        rx.recv().expect("it ran");
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| w.settle()));
        assert!(caught.is_err(), "the warm-up's panic was swallowed");
    }

    /// Settling stops running work at its next step, and work whose thread
    /// has not started by then never runs.
    #[test]
    fn settling_stops_the_work() {
        let (tx, rx) = mpsc::channel();
        let steps = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = steps.clone();
        let w = WarmUp::start(move |stop| {
            tx.send(()).expect("started");
            while !stop.load(Ordering::Relaxed) {
                counted.fetch_add(1, Ordering::Relaxed);
                std::thread::yield_now();
            }
        })
        .expect("a thread");
        rx.recv().expect("it ran");
        w.settle();
        let after = steps.load(Ordering::Relaxed);
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert_eq!(
            steps.load(Ordering::Relaxed),
            after,
            "it went on after settle"
        );

        // Settled, perhaps before its thread started: no work may run
        // after settle returns.
        for _ in 0..20 {
            let settled = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let late = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let (s2, l2) = (settled.clone(), late.clone());
            let w = WarmUp::start(move |_| {
                if s2.load(Ordering::SeqCst) {
                    l2.store(true, Ordering::SeqCst);
                }
            })
            .expect("a thread");
            w.settle();
            settled.store(true, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(2));
            assert!(!late.load(Ordering::SeqCst), "work ran after settle");
        }
    }
}
