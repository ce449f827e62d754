//! Ctrl-C while a job runs: say how to resume it, and leave no half-written
//! temporary file behind, before exiting. SIGTERM and SIGHUP (what `timeout`,
//! `docker stop`, systemd and CI cancellation send, and a closed terminal) get
//! the same, each exiting with 128 + its number. A signal that was ignored
//! when `aai` started (a background job of a non-interactive shell, `nohup`)
//! stays ignored, as a process that inherits SIG_IGN is expected to keep it.
//!
//! std has no signal handling, so this uses libc directly. A signal handler
//! may only do async-signal-safe things: it reads what was prepared in
//! advance (the message, the temporary files' paths) with atomic loads,
//! removes the files with `unlink(2)`, writes the message with `write(2)` and
//! leaves with `_exit(2)`. It allocates nothing, takes no lock and runs no
//! destructor: that is why the files must be registered here, since the
//! `Drop` of `AtomicFile` that would remove them never runs.

#[cfg(unix)]
mod imp {
    use std::ffi::{CStr, CString};
    use std::path::Path;
    use std::sync::atomic::{AtomicBool, AtomicI32, AtomicPtr, AtomicUsize, Ordering};

    static MESSAGE: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());

    /// Set by the first Ctrl-C in graceful mode, for the command to finish
    /// cleanly (a streaming session must still say `Terminate`).
    static STOP: AtomicBool = AtomicBool::new(false);
    /// The signal that set `STOP`, for the exit code (128 + it).
    static STOP_SIGNAL: AtomicI32 = AtomicI32::new(libc::SIGINT);
    /// Whether the first Ctrl-C only sets `STOP`.
    static GRACEFUL: AtomicBool = AtomicBool::new(false);
    const STOPPING: &[u8] = b"aai: stopping: ending the session and printing its last turns \
        (Ctrl-C again to quit at once)\n";
    /// The same, as the JSON event `--json` asks stderr to hold.
    const STOPPING_JSON: &[u8] = b"{\"event\":\"stopping\",\"message\":\"ending the session and \
        printing its last turns (Ctrl-C again to quit at once)\"}\n";
    /// Whether stderr carries JSON lines (set with `GRACEFUL`).
    static JSON: AtomicBool = AtomicBool::new(false);
    static MESSAGE_LEN: AtomicUsize = AtomicUsize::new(0);

    /// How many temporary files can be registered at once. A run writes one
    /// or two at a time (the output, the `--id-file`), a batch one per
    /// deliverer (16) and its lease; a fixed array is what a handler can
    /// walk without allocating or locking.
    const SLOTS: usize = 32;

    /// The NUL-terminated paths of the temporary files being written; null
    /// for a free slot.
    static TEMP_FILES: [AtomicPtr<libc::c_char>; SLOTS] =
        [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];

    /// The signals that end a run the same way Ctrl-C does.
    const HANDLED: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    extern "C" fn on_signal(signal: libc::c_int) {
        // SAFETY: each non-null slot points at a NUL-terminated path leaked by
        // `remove_on_interrupt`, never freed; `message` is null or points at
        // `len` bytes leaked by `on_interrupt`, never freed. unlink(2),
        // write(2) and _exit(2) are async-signal-safe, and so are the atomic
        // loads (lock-free on every platform with AtomicPtr). A path whose
        // file was committed (renamed away) or already removed makes unlink
        // fail with ENOENT, which is harmless.
        unsafe {
            // Atomic swaps are async-signal-safe; a second Ctrl-C exits.
            if GRACEFUL.load(Ordering::Acquire) && !STOP.swap(true, Ordering::AcqRel) {
                STOP_SIGNAL.store(signal, Ordering::Release);
                let stopping = match JSON.load(Ordering::Acquire) {
                    true => STOPPING_JSON,
                    false => STOPPING,
                };
                libc::write(2, stopping.as_ptr().cast(), stopping.len());
                return;
            }
            for slot in &TEMP_FILES {
                let path = slot.load(Ordering::Acquire);
                if !path.is_null() {
                    libc::unlink(path);
                }
            }
            let message = MESSAGE.load(Ordering::Acquire);
            let len = MESSAGE_LEN.load(Ordering::Acquire);
            if !message.is_null() {
                libc::write(2, message.cast(), len);
            }
            libc::_exit(128 + signal);
        }
    }

    pub fn install() {
        for signal in HANDLED {
            // SAFETY: sigaction(2) with a null new action only reads the
            // current one into `current`, a zeroed plain C struct; then
            // signal(2) installs `on_signal`, which has the signature it
            // expects and only calls async-signal-safe functions.
            unsafe {
                let mut current: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(signal, std::ptr::null(), &mut current) != 0 {
                    continue;
                }
                if current.sa_sigaction == libc::SIG_IGN {
                    continue;
                }
                libc::signal(signal, on_signal as *const () as libc::sighandler_t);
            }
        }
    }

    /// From now on the first Ctrl-C sets the returned flag instead of
    /// exiting; a second one exits at once.
    pub fn graceful() -> &'static AtomicBool {
        JSON.store(crate::notice::is_json(), Ordering::Release);
        GRACEFUL.store(true, Ordering::Release);
        &STOP
    }

    /// The exit code of a run the first signal stopped gracefully: 128 + it.
    pub fn stopped_exit_code() -> u8 {
        (128 + STOP_SIGNAL.load(Ordering::Acquire)).clamp(0, 255) as u8
    }

    pub fn on_interrupt(message: &str) {
        // Leaked on purpose: the handler may read it at any moment until exit,
        // and at most a few are made per run.
        let bytes: &'static mut [u8] = Box::leak(message.as_bytes().to_vec().into_boxed_slice());
        // The length is published first and the pointer last, so a handler
        // that sees the new pointer also sees a length no longer than it.
        MESSAGE.store(std::ptr::null_mut(), Ordering::Release);
        MESSAGE_LEN.store(bytes.len(), Ordering::Release);
        MESSAGE.store(bytes.as_mut_ptr(), Ordering::Release);
    }

    /// Keeps a temporary file on the handler's list until dropped.
    pub struct TempFile {
        /// The slot taken and the path stored in it; `None` if every slot was
        /// taken (or the path can't be a C string, so no file can have it).
        held: Option<(usize, &'static CStr)>,
    }

    /// Makes Ctrl-C remove `path` until the returned guard is dropped. Call it
    /// before the file is created, so there is no moment when the file
    /// exists and an interrupt would leave it.
    pub fn remove_on_interrupt(path: &Path) -> TempFile {
        use std::os::unix::ffi::OsStrExt;
        let Ok(path) = CString::new(path.as_os_str().as_bytes()) else {
            return TempFile { held: None };
        };
        // Leaked on purpose, like the message: the handler may be reading the
        // pointer on another thread at the very moment the guard is dropped,
        // so the bytes must outlive it. A run writes a handful of files.
        let path: &'static CStr = Box::leak(path.into_boxed_c_str());
        let pointer = path.as_ptr().cast_mut();
        // The path is whole before its pointer is published (Release), and
        // the handler loads with Acquire, so it never sees a partial string.
        let held = TEMP_FILES.iter().position(|slot| {
            slot.compare_exchange(
                std::ptr::null_mut(),
                pointer,
                Ordering::AcqRel,
                Ordering::Relaxed,
            )
            .is_ok()
        });
        TempFile {
            held: held.map(|slot| (slot, path)),
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            if let Some((slot, path)) = self.held {
                // Frees only our own slot, whatever another file did since.
                let _ = TEMP_FILES[slot].compare_exchange(
                    path.as_ptr().cast_mut(),
                    std::ptr::null_mut(),
                    Ordering::AcqRel,
                    Ordering::Relaxed,
                );
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn registered() -> Vec<&'static str> {
            TEMP_FILES
                .iter()
                .map(|slot| slot.load(Ordering::Acquire))
                .filter(|path| !path.is_null())
                // SAFETY: non-null slots hold leaked NUL-terminated paths.
                .map(|path| unsafe { CStr::from_ptr(path) }.to_str().unwrap())
                .collect()
        }

        // One test for the whole life cycle: the slots are process-wide, and
        // tests in parallel would see each other's paths.
        #[test]
        fn temporary_files_are_listed_for_the_handler_until_their_guard_goes() {
            let first = remove_on_interrupt(Path::new("/tmp/.a.txt.1.tmp"));
            let second = remove_on_interrupt(Path::new("/tmp/.b.txt.1.tmp"));
            assert_eq!(registered(), ["/tmp/.a.txt.1.tmp", "/tmp/.b.txt.1.tmp"]);

            drop(first);
            assert_eq!(registered(), ["/tmp/.b.txt.1.tmp"]);
            let more: Vec<TempFile> = (0..SLOTS)
                .map(|i| remove_on_interrupt(Path::new(&format!("/tmp/.c{i}.tmp"))))
                .collect();
            assert_eq!(registered().len(), SLOTS, "every slot is used");
            assert!(more.last().unwrap().held.is_none(), "one too many");

            drop(more);
            drop(second);
            assert!(registered().is_empty(), "{:?}", registered());
        }
    }
}

#[cfg(not(unix))]
mod imp {
    use std::sync::atomic::AtomicBool;

    pub fn install() {}

    pub fn graceful() -> &'static AtomicBool {
        static STOP: AtomicBool = AtomicBool::new(false);
        &STOP
    }
    pub fn on_interrupt(_message: &str) {}

    pub fn stopped_exit_code() -> u8 {
        130
    }

    /// Nothing to remove where there is no signal handler.
    pub struct TempFile;

    pub fn remove_on_interrupt(_path: &std::path::Path) -> TempFile {
        TempFile
    }
}

/// Makes the first Ctrl-C (or SIGTERM, SIGHUP) set a flag for the command to
/// stop cleanly.
pub use imp::graceful;
/// Makes Ctrl-C (SIGINT), SIGTERM and SIGHUP exit with 128 + the signal after
/// removing the registered temporary files and printing the message set last.
pub use imp::install;
/// Sets what Ctrl-C prints from now on.
pub use imp::on_interrupt;
/// The exit code after a graceful stop: 128 + the signal (130 for Ctrl-C,
/// 143 for SIGTERM, 129 for SIGHUP).
pub use imp::stopped_exit_code;
/// Makes Ctrl-C remove a temporary file, for as long as the guard lives.
pub use imp::{TempFile, remove_on_interrupt};
