//! The window's file dialogs (drawn by egui-file-dialog inside the window): what each one is
//! for, where it starts and which files it offers.

use std::path::{Path, PathBuf};

use egui_file_dialog::FileDialog;

/// What the file being chosen is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A scenario to open.
    OpenScenario,
    /// Where to save the scenario.
    SaveScenario,
    /// Where to write the recorded waypoints (RON or CSV).
    ExportWaypoints,
    /// A picture to add as a target component.
    Picture,
}

/// A file dialog on screen, and what its file is for.
#[derive(Debug)]
pub struct OpenDialog {
    /// What the chosen file is for.
    pub purpose: Purpose,
    /// The dialog itself.
    pub dialog: FileDialog,
}

impl OpenDialog {
    /// Opens the dialog for `purpose`, starting in the folder of the scenario `file` (or in
    /// the working folder's `scenarios/` or `assets/` for the built-in scenario).
    pub fn new(purpose: Purpose, file: Option<&Path>) -> Self {
        let folder = start_folder(purpose, file);
        let base = FileDialog::new().initial_directory(folder);
        let mut dialog = match purpose {
            Purpose::OpenScenario => base
                .title("Open a scenario")
                .add_file_filter_extensions("Scenarios (RON)", vec!["ron"])
                .default_file_filter("Scenarios (RON)"),
            Purpose::SaveScenario => {
                let name = file
                    .and_then(Path::file_name)
                    .map_or("scenario.ron".into(), |n| n.to_string_lossy().into_owned());
                base.title("Save the scenario")
                    .default_file_name(&name)
                    .add_save_extension("Scenario (RON)", "ron")
                    .default_save_extension("Scenario (RON)")
            }
            Purpose::ExportWaypoints => base
                .title("Export waypoints (RON or CSV)")
                .default_file_name("waypoints.ron")
                .add_save_extension("Waypoints (RON)", "ron")
                .add_save_extension("Rows agent,t,x,y (CSV)", "csv")
                .default_save_extension("Waypoints (RON)"),
            Purpose::Picture => base
                .title("Add a picture to the target")
                .add_file_filter_extensions("Pictures (PNG, JPEG)", vec!["png", "jpg", "jpeg"])
                .default_file_filter("Pictures (PNG, JPEG)"),
        };
        match purpose {
            Purpose::OpenScenario | Purpose::Picture => dialog.pick_file(),
            Purpose::SaveScenario | Purpose::ExportWaypoints => dialog.save_file(),
        }
        Self { purpose, dialog }
    }
}

/// The folder a dialog starts in: the scenario's own, or for the built-in scenario the
/// working folder, or its examples (`scenarios/`) or pictures (`assets/`) if there are any.
fn start_folder(purpose: Purpose, file: Option<&Path>) -> PathBuf {
    let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    if let Some(parent) = file.and_then(Path::parent) {
        return here.join(parent);
    }
    let examples = match purpose {
        Purpose::OpenScenario => here.join("scenarios"),
        Purpose::Picture => here.join("assets"),
        // New files go where the program was started.
        Purpose::SaveScenario | Purpose::ExportWaypoints => return here,
    };
    if examples.is_dir() { examples } else { here }
}

/// `path` relative to the folder of the scenario `file` when it lies inside it, so that a
/// scenario and its pictures can move together; otherwise `path` as it is.
pub fn relative_to_scenario(path: &Path, file: Option<&Path>) -> PathBuf {
    let folder = file
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let inside = std::fs::canonicalize(folder)
        .ok()
        .and_then(|folder| path.strip_prefix(folder).ok().map(Path::to_path_buf));
    inside.unwrap_or_else(|| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_inside_the_scenario_folder_are_stored_relative_to_it() {
        let folder = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(folder.path()).unwrap();
        std::fs::create_dir(root.join("pictures")).unwrap();
        let scenario = root.join("a.ron");
        let picture = root.join("pictures/heart.png");
        assert_eq!(
            relative_to_scenario(&picture, Some(&scenario)),
            PathBuf::from("pictures/heart.png")
        );
        let elsewhere = Path::new("/somewhere/else.png");
        assert_eq!(relative_to_scenario(elsewhere, Some(&scenario)), elsewhere);
    }
}
