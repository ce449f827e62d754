//! The process: signals (`interrupt`: Ctrl-C, SIGTERM, SIGHUP, what to
//! print and remove when one comes).

pub mod interrupt;
