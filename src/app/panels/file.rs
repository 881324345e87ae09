//! The file panel: open and save scenarios, export the run's waypoints. It only says what the
//! user asked for; the window shows the file dialogs, does the reading and writing and reports
//! the outcome.

use std::path::{Path, PathBuf};

use bevy_egui::egui;

/// What the user asked the file panel for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileAction {
    /// Choose a scenario file to open in place of the current one.
    Open,
    /// Open this scenario file (from the examples menu).
    OpenFile(PathBuf),
    /// Save the scenario to the file it came from.
    Save,
    /// Choose a file to save the scenario to.
    SaveAs,
    /// Choose a file (RON or CSV) to write the recorded waypoints to.
    ExportWaypoints,
}

/// The file panel. `file` is the scenario's file (None for the built-in scenario), `unsaved`
/// marks edits not yet saved and `recorded` says what the waypoint recording holds. Returns
/// the action clicked, if any.
pub fn file_panel(
    ui: &mut egui::Ui,
    file: Option<&Path>,
    unsaved: bool,
    recorded: &str,
) -> Option<FileAction> {
    let mut action = None;
    let name = file.map_or("the built-in scenario".into(), |f| f.display().to_string());
    ui.add(egui::Label::new(name).wrap());
    if unsaved {
        ui.colored_label(egui::Color32::from_rgb(230, 170, 60), "● unsaved changes");
    } else {
        ui.label(egui::RichText::new("no unsaved changes").weak());
    }
    ui.separator();
    if ui.button("Open…").on_hover_text("Ctrl+O").clicked() {
        action = Some(FileAction::Open);
    }
    examples_menu(ui, file, &mut action);
    let save = ui
        .add_enabled(file.is_some(), egui::Button::new("Save"))
        .on_hover_text("Ctrl+S")
        .on_disabled_hover_text("the built-in scenario has no file: use Save as…");
    if save.clicked() {
        action = Some(FileAction::Save);
    }
    if ui
        .button("Save as…")
        .on_hover_text("Ctrl+Shift+S")
        .clicked()
    {
        action = Some(FileAction::SaveAs);
    }
    ui.separator();
    ui.label(format!("waypoints: {recorded}"));
    if ui
        .button("Export waypoints…")
        .on_hover_text("RON or CSV, by the file's extension")
        .clicked()
    {
        action = Some(FileAction::ExportWaypoints);
    }
    action
}

/// A menu of the RON files in the scenario's folder (or in `scenarios/` for the built-in
/// scenario), to open one with a click.
fn examples_menu(ui: &mut egui::Ui, file: Option<&Path>, action: &mut Option<FileAction>) {
    let label = match file {
        Some(_) => "Open from this folder",
        None => "Open an example",
    };
    ui.menu_button(label, |ui| {
        let folder = match file.and_then(Path::parent) {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            Some(_) => PathBuf::from("."),
            None => PathBuf::from("scenarios"),
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "ron"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        if files.is_empty() {
            ui.label(format!("no .ron files in {}", folder.display()));
        }
        for file in files {
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
            if ui.button(name.unwrap_or_default()).clicked() {
                *action = Some(FileAction::OpenFile(file));
                ui.close();
            }
        }
    });
}
