//! The help panel: every mouse gesture and keyboard shortcut of the window.

use bevy_egui::egui;

/// (keys, what they do), in the order the help panel lists them.
pub const SHORTCUTS: [(&str, &str); 21] = [
    ("Space", "run / pause"),
    ("S", "one step (pauses)"),
    ("R", "reset the swarm to its start"),
    ("1 / 2 / 3", "heatmap: target / coverage / difference"),
    ("T", "trails on / off"),
    ("F", "fit the domain in view"),
    ("V", "select tool"),
    ("C / B / P", "draw a circle / box / polygon obstacle"),
    ("Enter", "close the polygon being drawn"),
    ("Esc", "cancel drawing, clear the selection"),
    ("Delete", "remove the selected shape"),
    ("Arrows", "nudge the selected shape (Shift: 10×)"),
    ("Ctrl+Z", "undo"),
    ("Ctrl+Shift+Z, Ctrl+Y", "redo"),
    ("Ctrl+O", "open a scenario"),
    ("Ctrl+S", "save the scenario"),
    ("Ctrl+Shift+S", "save the scenario as…"),
    ("F1", "this help"),
    ("left drag", "move a handle, or draw with a drawing tool"),
    ("right / middle drag", "pan"),
    ("wheel", "zoom towards the pointer"),
];

/// Lists the shortcuts.
pub fn help_panel(ui: &mut egui::Ui) {
    egui::Grid::new("shortcuts")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (keys, action) in SHORTCUTS {
                ui.strong(keys);
                ui.label(action);
                ui.end_row();
            }
        });
    ui.separator();
    ui.label(
        "Handles: a dot at each shape's centre moves it; disks and circles have a radius \
         handle; a Gaussian's two axis handles set its widths and angle; rectangles have four \
         corners; polygons a handle per vertex.",
    );
}
