//! Ctrl-C while a job runs: say how to resume it before exiting.
//!
//! std has no signal handling, so this uses libc directly. A signal handler
//! may only do async-signal-safe things: it reads a message prepared in
//! advance, writes it with `write(2)` and leaves with `_exit(2)`.

#[cfg(unix)]
mod imp {
    use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

    static MESSAGE: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
    static MESSAGE_LEN: AtomicUsize = AtomicUsize::new(0);

    extern "C" fn on_sigint(_signal: libc::c_int) {
        let message = MESSAGE.load(Ordering::Acquire);
        let len = MESSAGE_LEN.load(Ordering::Acquire);
        // SAFETY: `message` is null or points at `len` bytes leaked by
        // `on_interrupt`, never freed; write(2) and _exit(2) are
        // async-signal-safe.
        unsafe {
            if !message.is_null() {
                libc::write(2, message.cast(), len);
            }
            libc::_exit(130);
        }
    }

    pub fn install() {
        // SAFETY: `on_sigint` has the signature signal(2) expects and only
        // calls async-signal-safe functions.
        unsafe {
            libc::signal(libc::SIGINT, on_sigint as *const () as libc::sighandler_t);
        }
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
}

#[cfg(not(unix))]
mod imp {
    pub fn install() {}
    pub fn on_interrupt(_message: &str) {}
}

/// Makes Ctrl-C exit with code 130 after printing the message set last.
pub use imp::install;
/// Sets what Ctrl-C prints from now on.
pub use imp::on_interrupt;
