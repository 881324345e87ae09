//! The window's editing panels as functions of plain data: each takes the scenario (and the
//! panel's own form state), draws its widgets, edits the data in place and says whether the
//! scenario changed. The window applies a change to the running swarm and records it for undo;
//! tests drive the same functions without a window.

mod controller;
mod file;
mod help;
mod history;
mod obstacles;
mod target;
mod widgets;

pub use controller::controller_panel;
pub use file::{FileAction, file_panel};
pub use help::{SHORTCUTS, help_panel};
pub use history::undo_bar;
pub use obstacles::{Tool, obstacle_panel};
pub use target::{ImageForm, picture_component, target_panel};
