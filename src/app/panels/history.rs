//! The undo and redo buttons.

use bevy_egui::egui;

use crate::scene::history::EditHistory;
use crate::scene::scenario::Scenario;

/// Undo and Redo buttons over `history`; returns the scenario to switch to if one was clicked
/// (`current` moves to the other stack).
pub fn undo_bar(
    ui: &mut egui::Ui,
    history: &mut EditHistory,
    current: &Scenario,
) -> Option<Scenario> {
    let mut wanted = None;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(history.can_undo(), egui::Button::new("Undo"))
            .on_hover_text("Ctrl+Z")
            .clicked()
        {
            wanted = history.undo(current);
        }
        if ui
            .add_enabled(history.can_redo(), egui::Button::new("Redo"))
            .on_hover_text("Ctrl+Shift+Z")
            .clicked()
        {
            wanted = history.redo(current);
        }
    });
    wanted
}
