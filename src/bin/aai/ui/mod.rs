//! Terminal output: every stderr line (`notice`), the one live line
//! (`live`), text made safe to show (`visible`), the product's rendering
//! (`render`, `report`), progress (`status`, `batch_progress`), and where
//! results go (`output`: stdout or a file, atomically).

pub mod ago;
pub mod batch_progress;
pub mod live;
pub mod notice;
pub mod output;
pub mod render;
pub mod report;
pub mod server_warnings;
pub mod status;
pub mod understanding;
pub mod visible;
