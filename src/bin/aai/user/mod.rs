//! The user's state: the API key (`key`, from a file, the environment or
//! `aai login`), the config file's defaults (`config`), aai's own
//! directory (`store`), and the prompt that reads a key without echo.

pub mod config;
pub mod key;
pub mod prompt;
pub mod store;
