//! The file panel: open and save scenarios, export the run's waypoints. It only says what the
//! user asked for; the window does the reading and writing and reports the outcome.

use std::path::{Path, PathBuf};

use bevy_egui::egui;

/// The panel's text fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileForm {
    /// Scenario file to open or save to.
    pub scenario: String,
    /// Waypoint file to export to: `.ron` or `.csv`.
    pub waypoints: String,
}

/// What the user asked the file panel for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileAction {
    /// Open this scenario file, replacing the current one.
    Open(PathBuf),
    /// Save the scenario to this file.
    Save(PathBuf),
    /// Write the recorded waypoints to this file (RON or CSV by its extension).
    ExportWaypoints(PathBuf),
}

/// The file panel; `unsaved` marks edits not yet saved and `recorded` says what the waypoint
/// recording holds. Returns the action clicked, if any.
pub fn file_panel(
    ui: &mut egui::Ui,
    form: &mut FileForm,
    unsaved: bool,
    recorded: &str,
) -> Option<FileAction> {
    let mut action = None;
    if unsaved {
        ui.colored_label(egui::Color32::from_rgb(230, 170, 60), "● unsaved changes");
    } else {
        ui.label(egui::RichText::new("saved").weak());
    }
    ui.label("scenario file (RON)");
    ui.add(
        egui::TextEdit::singleline(&mut form.scenario)
            .hint_text("scenarios/my-scenario.ron")
            .desired_width(f32::INFINITY),
    );
    let path = PathBuf::from(form.scenario.trim());
    let named = !form.scenario.trim().is_empty();
    ui.horizontal(|ui| {
        if ui.add_enabled(named, egui::Button::new("Open")).clicked() {
            action = Some(FileAction::Open(path.clone()));
        }
        if ui.add_enabled(named, egui::Button::new("Save")).clicked() {
            action = Some(FileAction::Save(path.clone()));
        }
        examples_menu(ui, form, &mut action);
    });
    ui.separator();
    ui.label(format!("waypoints: {recorded}"));
    ui.add(
        egui::TextEdit::singleline(&mut form.waypoints)
            .hint_text("waypoints.ron or .csv")
            .desired_width(f32::INFINITY),
    );
    let target = PathBuf::from(form.waypoints.trim());
    let known = matches!(
        target.extension().and_then(|e| e.to_str()),
        Some("ron" | "csv")
    );
    if ui
        .add_enabled(known, egui::Button::new("Export waypoints"))
        .on_disabled_hover_text("name a .ron or .csv file")
        .clicked()
    {
        action = Some(FileAction::ExportWaypoints(target));
    }
    action
}

/// A menu of the RON files next to the scenario named in the form (or in `scenarios/`), to
/// open one with a click.
fn examples_menu(ui: &mut egui::Ui, form: &mut FileForm, action: &mut Option<FileAction>) {
    ui.menu_button("Examples…", |ui| {
        let named = Path::new(form.scenario.trim());
        let folder = match named.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("scenarios"),
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
                form.scenario = file.display().to_string();
                *action = Some(FileAction::Open(file));
                ui.close();
            }
        }
    });
}
