//! Reading a secret: from a prompt with echo off on a terminal, or from
//! stdin when it is piped (`printf %s "$KEY" | aai login`).

use std::io::{self, IsTerminal, Read};

/// The most a piped secret may be: a key is a few dozen bytes, and a
/// mistaken `aai login < big.wav` must not be read whole.
const MAX_SECRET: u64 = 64 * 1024;

/// The secret typed at `prompt` (echo off), or everything piped on stdin;
/// trimmed of the whitespace `echo` and editors add.
pub fn read_secret(prompt: &str) -> io::Result<String> {
    let stdin = io::stdin();
    let text = if stdin.is_terminal() {
        let line = echo_off::read_line(prompt)?;
        // The Enter the user typed was not echoed either.
        crate::live::write_line("\n");
        line
    } else {
        let mut text = String::new();
        stdin.lock().take(MAX_SECRET).read_to_string(&mut text)?;
        text
    };
    Ok(text.trim().to_owned())
}

/// The prompt, through the one stderr writer like every other line.
fn show(prompt: &str) -> io::Result<()> {
    crate::live::write_line(prompt);
    Ok(())
}

#[cfg(unix)]
mod echo_off {
    use std::io::{self, BufRead};

    use super::show;
    use std::sync::OnceLock;

    /// The terminal settings to restore, for the Ctrl-C handler: set once,
    /// before echo goes off. `get` is a lock-free atomic load.
    static ORIGINAL: OnceLock<libc::termios> = OnceLock::new();

    extern "C" fn on_sigint(_signal: libc::c_int) {
        // SAFETY: ORIGINAL is set before this handler is installed and never
        // changes; tcsetattr(3), write(2) and _exit(2) are async-signal-safe.
        unsafe {
            if let Some(original) = ORIGINAL.get() {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, original);
            }
            libc::write(2, b"\n".as_ptr().cast(), 1);
            libc::_exit(130);
        }
    }

    /// One line from the terminal on stdin, not echoed. Ctrl-C while typing
    /// restores the echo before exiting, or the shell would be left blind.
    pub fn read_line(prompt: &str) -> io::Result<String> {
        // SAFETY: tcgetattr fills the termios it is given; it is only used
        // when the call succeeds.
        let mut original: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut original) } != 0 {
            return Err(io::Error::last_os_error());
        }
        // One prompt per run: a second would find the first's settings, the same.
        let _ = ORIGINAL.set(original);
        let mut quiet = original;
        quiet.c_lflag &= !libc::ECHO;
        // SAFETY: the handler has the signature signal(2) expects and only
        // calls async-signal-safe functions; the previous one is put back.
        let previous =
            unsafe { libc::signal(libc::SIGINT, on_sigint as *const () as libc::sighandler_t) };
        let result = if unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSAFLUSH, &quiet) } != 0
        {
            Err(io::Error::last_os_error())
        } else {
            // Shown once echo is off, so nothing typed after it can show.
            show(prompt).and_then(|()| {
                let mut line = String::new();
                io::stdin().lock().read_line(&mut line).map(|_| line)
            })
        };
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &original);
            libc::signal(libc::SIGINT, previous);
        }
        result
    }
}

#[cfg(not(unix))]
mod echo_off {
    use std::io::{self, BufRead};

    /// Without termios the line is read as typed (echoed).
    pub fn read_line(prompt: &str) -> io::Result<String> {
        super::show(prompt)?;
        let mut line = String::new();
        io::stdin().lock().read_line(&mut line)?;
        Ok(line)
    }
}
