//! The interactive window: the domain with the target or coverage heatmap, the agents, shape
//! outlines with handles to drag, and egui panels to run the simulation and edit the scenario
//! while the swarm moves. It drives the same [`SimulationPlugin`] as the command line.

mod canvas;
mod dialogs;
mod keys;
mod panel;
mod pointer;
mod screenshot;

use std::path::{Path, PathBuf};
use std::time::Duration;

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::{EguiPlugin, EguiPrimaryContextPass};

pub use dialogs::{OpenDialog, Purpose};
pub use screenshot::{ScreenshotPlan, ScreenshotReport};

use super::panels::{ImageForm, Tool, picture_component};
use super::simulation::{
    Simulation, SimulationClock, SimulationPlugin, SwarmChanged, WaypointRecorder,
};
use crate::scene::handles::{Draft, Handle, Item};
use crate::scene::history::EditHistory;
use crate::scene::scenario::{Point, Scenario};
use crate::scene::session::{EditOutcome, MetricsRow, Session};
use crate::scene::waypoints::Recorder;

/// What the heatmap shows.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeatmapMode {
    /// The target density ρ̄.
    #[default]
    Target,
    /// The swarm's coverage φ_ε∗ρᴺ.
    Coverage,
    /// Coverage minus target (red: too many agents, blue: too few).
    Difference,
}

/// A message in the panel: the outcome of a file operation, or why an edit was refused.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// What happened.
    pub text: String,
    /// Whether it is an error (shown in red).
    pub error: bool,
}

/// A handle being dragged on the canvas.
#[derive(Debug, Clone)]
pub struct Drag {
    /// The handle as it was when the drag started.
    pub handle: Handle,
    /// Where the pointer was pressed (m).
    pub start: Point,
    /// The scenario when the drag started: every frame applies the whole motion to it.
    pub original: Scenario,
    /// Whether the drag has changed the scenario (and so is on the undo stack).
    pub recorded: bool,
}

/// The editing state of the window: undo history, selection, canvas tool, forms, messages.
#[derive(Resource, Debug, Default)]
pub struct Editor {
    /// Undo and redo stacks.
    pub history: EditHistory,
    /// The last message for the user.
    pub notice: Option<Notice>,
    /// The scenario as last opened or saved (for the unsaved-changes indicator).
    pub saved: Option<Scenario>,
    /// The shape selected on the canvas.
    pub selected: Option<Item>,
    /// What a left click on the canvas does.
    pub tool: Tool,
    /// The handle being dragged.
    pub drag: Option<Drag>,
    /// The obstacle being drawn.
    pub draft: Option<Draft>,
    /// The scenario's file: where it was opened from or last saved to (None for the built-in
    /// scenario).
    pub file: Option<PathBuf>,
    /// The file dialog on screen, if any.
    pub dialog: Option<OpenDialog>,
    /// The picture form of the target panel.
    pub image: ImageForm,
    /// Whether the help window is open.
    pub help_open: bool,
    /// Refit the camera to the domain at the next frame.
    pub fit_view: bool,
    /// Counts applied edits, so views know when to redraw.
    pub revision: u64,
}

impl Editor {
    /// Whether the scenario differs from the one last opened or saved.
    pub fn unsaved(&self, current: &Scenario) -> bool {
        self.saved.as_ref() != Some(current)
    }

    fn error(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: true,
        });
    }

    fn info(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: false,
        });
    }
}

/// Where the control panel ends: its right edge in logical pixels from the window's left.
#[derive(Resource, Debug, Default)]
pub struct PanelArea {
    /// Right edge of the panel (logical pixels).
    pub right: f32,
}

/// Quality measures recorded while the swarm moves, for the plots.
#[derive(Resource, Debug, Default)]
pub struct MetricsHistory {
    /// One row per recording interval of simulated time.
    pub rows: Vec<MetricsRow>,
    /// Which measure the plot shows.
    pub shown: Measure,
    /// A linear value axis instead of a logarithmic one.
    pub linear: bool,
}

/// A plottable quality measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// Discrete energy E_h.
    #[default]
    Energy,
    /// χ² gap.
    Chi2,
    /// L1 error of the coverage.
    L1,
    /// Lloyd coverage cost.
    CoverageCost,
    /// Smallest distance between agents.
    MinSpacing,
}

impl Measure {
    const ALL: [Self; 5] = [
        Self::Energy,
        Self::Chi2,
        Self::L1,
        Self::CoverageCost,
        Self::MinSpacing,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Energy => "energy",
            Self::Chi2 => "chi-squared gap",
            Self::L1 => "L1 error",
            Self::CoverageCost => "coverage cost (m^2)",
            Self::MinSpacing => "min spacing (m)",
        }
    }

    fn of(self, row: &MetricsRow) -> f64 {
        match self {
            Self::Energy => row.energy,
            Self::Chi2 => row.chi2,
            Self::L1 => row.l1,
            Self::CoverageCost => row.coverage_cost,
            Self::MinSpacing => row.min_spacing,
        }
    }
}

/// Most rows kept for the plots; older ones are thinned out beyond this.
const HISTORY_LIMIT: usize = 4000;

/// Most waypoints (all agents together) the recording holds, about 1 GB; past it the
/// recording keeps every other sample and doubles its interval.
const RECORDING_LIMIT: usize = 40_000_000;

/// Least wall-clock time each frame may spend stepping the simulation (more when frames are
/// slow, see [`SimulationClock`]).
const STEP_BUDGET: Duration = Duration::from_millis(10);

/// Simulated seconds per real second when the window opens: fast enough to watch a swarm
/// deploy in seconds, slow enough to see it move (the pace menu changes it).
const DEFAULT_PACE: f64 = 5.0;

/// The window, its canvas and its panels, on top of the simulation.
pub struct GuiPlugin;

impl Plugin for GuiPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins(SimulationPlugin)
            .add_plugins(EguiPlugin::default())
            .insert_resource(SimulationClock {
                budget: Some(STEP_BUDGET),
                speed: Some(DEFAULT_PACE),
                ..default()
            })
            .init_resource::<HeatmapMode>()
            .init_resource::<MetricsHistory>()
            .init_resource::<Editor>()
            .init_resource::<PanelArea>()
            .init_resource::<canvas::Trails>()
            .init_resource::<panel::StepRate>()
            .insert_resource(ClearColor(Color::srgb(0.16, 0.16, 0.18)))
            .add_systems(Startup, (canvas::setup, start_editing))
            .add_systems(
                Update,
                (
                    keys::shortcuts,
                    pointer::canvas_pointer,
                    canvas::fit_view,
                    canvas::navigate,
                )
                    .chain()
                    .before(super::simulation::SimulationSystems::Sync),
            )
            .add_systems(
                Update,
                (
                    canvas::draw_heatmap,
                    canvas::draw_obstacles,
                    canvas::draw_agents,
                    canvas::draw_trails,
                    canvas::draw_outlines,
                    canvas::show_footprint,
                    panel::measure_step_rate,
                    record_metrics,
                    thin_recording,
                    update_title,
                    screenshot::take_screenshot,
                )
                    .after(super::simulation::SimulationSystems::WriteBack),
            )
            .add_systems(EguiPrimaryContextPass, panel::control_panel);
    }
}

/// Opens the window on `session` (`paused`: with the simulation paused), optionally for a
/// screenshot only. Returns how the app ended
/// and, for a screenshot, whether it was written and how fast frames and steps were.
pub fn run_window(
    session: Session,
    screenshot: Option<(PathBuf, u32)>,
    paused: bool,
) -> (AppExit, ScreenshotReport) {
    let report = std::sync::Arc::new(std::sync::Mutex::new(ScreenshotReport::default()));
    let title = window_title(session.scenario(), false);
    let mut app = App::new();
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(Window {
            title,
            resolution: (1280, 800).into(),
            ..default()
        }),
        ..default()
    }))
    .insert_resource(Simulation(session))
    .add_plugins(GuiPlugin);
    app.world_mut().resource_mut::<SimulationClock>().paused = paused;
    if let Some((path, frames)) = screenshot {
        app.insert_resource(ScreenshotPlan::new(path, frames, report.clone()));
    }
    let exit = app.run();
    let report = report.lock().map(|r| *r).unwrap_or_default();
    (exit, report)
}

fn window_title(scenario: &Scenario, unsaved: bool) -> String {
    let mark = if unsaved { " *" } else { "" };
    format!("blobswarm — {}{mark}", scenario.name)
}

/// The scenario as opened is the saved state; waypoints are recorded from the start.
fn start_editing(
    simulation: Res<Simulation>,
    mut editor: ResMut<Editor>,
    mut recorder: ResMut<WaypointRecorder>,
) {
    editor.saved = Some(simulation.scenario().clone());
    let path = simulation.path();
    editor.file = path.is_file().then(|| path.to_path_buf());
    for warning in simulation.warnings() {
        editor.info(warning.clone());
    }
    let interval = simulation.scenario().recording.interval;
    recorder.0 = Some(Recorder::new(
        interval,
        simulation.time(),
        simulation.swarm().positions(),
    ));
}

/// How an applied edit goes on the undo stack.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Record {
    /// Not at all (undo and redo themselves).
    Nothing,
    /// Joined with an edit less than half a second earlier (slider and handle drags); the
    /// time is in seconds on any clock.
    Merged(f64),
    /// As a step of its own (clicks, drawn shapes).
    Step,
}

/// Applies an edited scenario to the running swarm and records it for undo. A refused edit
/// leaves everything as it was and says why in the panel. Returns whether the edit was applied.
pub fn apply_edit(
    simulation: &mut Simulation,
    editor: &mut Editor,
    swarm: &mut MessageWriter<SwarmChanged>,
    scenario: Scenario,
    record: Record,
) -> bool {
    if &scenario == simulation.scenario() {
        return false;
    }
    let before = simulation.scenario().clone();
    match simulation.edit(scenario) {
        Ok(outcome) => {
            match record {
                Record::Nothing => {}
                Record::Merged(now) => editor.history.record(before, now),
                Record::Step => editor.history.record_step(before),
            }
            if editor.notice.as_ref().is_some_and(|n| n.error) {
                editor.notice = None;
            }
            swarm.write(SwarmChanged {
                restarted: outcome == EditOutcome::Respawned,
            });
            editor.revision += 1;
            editor.selected = editor
                .selected
                .filter(|item| exists(simulation.scenario(), *item));
            true
        }
        Err(error) => {
            editor.error(error.to_string());
            false
        }
    }
}

fn exists(scenario: &Scenario, item: Item) -> bool {
    match item {
        Item::Component(i) => i < scenario.target.components.len(),
        Item::Obstacle(i) => i < scenario.obstacles.len(),
    }
}

/// Undoes (or redoes) the last edit.
pub fn undo(
    simulation: &mut Simulation,
    editor: &mut Editor,
    swarm: &mut MessageWriter<SwarmChanged>,
    redo: bool,
) {
    let current = simulation.scenario().clone();
    let wanted = if redo {
        editor.history.redo(&current)
    } else {
        editor.history.undo(&current)
    };
    if let Some(scenario) = wanted {
        apply_edit(simulation, editor, swarm, scenario, Record::Nothing);
    }
}

/// Puts the swarm back where the scenario starts it; the clock starts over.
pub fn reset(
    simulation: &mut Simulation,
    editor: &mut Editor,
    swarm: &mut MessageWriter<SwarmChanged>,
    history: &mut MetricsHistory,
) {
    let scenario = simulation.scenario().clone();
    let path = simulation.path().to_path_buf();
    // The scenario was valid when it was applied, but a picture it reads may have gone since.
    match Session::new(scenario, &path) {
        Ok(fresh) => {
            simulation.0 = fresh;
            swarm.write(SwarmChanged { restarted: true });
            history.rows.clear();
        }
        Err(error) => editor.error(format!("cannot reset: {error}")),
    }
}

/// Opens a scenario file in place of the current one; errors go to the panel.
pub fn open(
    path: &Path,
    simulation: &mut Simulation,
    editor: &mut Editor,
    swarm: &mut MessageWriter<SwarmChanged>,
    history: &mut MetricsHistory,
) {
    let session = Scenario::load(path).and_then(|scenario| Session::new(scenario, path));
    match session {
        Ok(session) => {
            simulation.0 = session;
            swarm.write(SwarmChanged { restarted: true });
            history.rows.clear();
            editor.history = EditHistory::default();
            editor.saved = Some(simulation.scenario().clone());
            editor.selected = None;
            editor.drag = None;
            editor.draft = None;
            editor.fit_view = true;
            editor.revision += 1;
            editor.file = Some(path.to_path_buf());
            editor.info(format!("opened {}", path.display()));
            for warning in simulation.warnings() {
                editor.info(warning.clone());
            }
        }
        Err(error) => editor.error(error.to_string()),
    }
}

/// Saves the scenario; errors go to the panel.
pub fn save(path: &Path, simulation: &mut Simulation, editor: &mut Editor) {
    match simulation.save_as(path) {
        Ok(()) => {
            editor.saved = Some(simulation.scenario().clone());
            editor.file = Some(path.to_path_buf());
            editor.info(format!("saved {}", path.display()));
        }
        Err(error) => editor.error(error.to_string()),
    }
}

/// Writes the waypoints recorded so far (RON or CSV by the file's extension).
pub fn export_waypoints(
    path: &Path,
    simulation: &Simulation,
    recorder: &WaypointRecorder,
    editor: &mut Editor,
) {
    let Some(recording) = recorder.0.clone() else {
        editor.error("no waypoints are being recorded");
        return;
    };
    let scenario = simulation.scenario();
    let waypoints = recording.finish(simulation.time(), &scenario.name, scenario.agents.max_speed);
    // CSV by its extension, RON otherwise (a name typed without an extension gets `.ron`).
    let csv = path.extension().is_some_and(|e| e == "csv");
    let path = &match path.extension() {
        None => path.with_extension("ron"),
        Some(_) => path.to_path_buf(),
    };
    let written = if csv {
        waypoints.save_csv(path)
    } else {
        waypoints.save_ron(path)
    };
    match written {
        Ok(()) => editor.info(format!(
            "wrote {} waypoints per agent ({} agents, {:.1} s) to {}",
            waypoints.agents.first().map_or(0, |a| a.path.len()),
            waypoints.agents.len(),
            simulation.time(),
            path.display()
        )),
        Err(error) => editor.error(error.to_string()),
    }
}

/// Saves the scenario to its file, or asks for one (the built-in scenario has none).
pub fn save_or_ask(simulation: &mut Simulation, editor: &mut Editor) {
    match editor.file.clone() {
        Some(path) => save(&path, simulation, editor),
        None => choose_file(editor, Purpose::SaveScenario),
    }
}

/// Shows the file dialog for `purpose` (replacing any other).
pub fn choose_file(editor: &mut Editor, purpose: Purpose) {
    editor.dialog = Some(OpenDialog::new(purpose, editor.file.as_deref()));
}

/// Does what the file chosen in a dialog was for.
pub fn use_chosen_file(
    purpose: Purpose,
    path: &Path,
    simulation: &mut Simulation,
    editor: &mut Editor,
    recorder: &WaypointRecorder,
    swarm: &mut MessageWriter<SwarmChanged>,
    history: &mut MetricsHistory,
) {
    match purpose {
        Purpose::OpenScenario => open(path, simulation, editor, swarm, history),
        Purpose::SaveScenario => save(path, simulation, editor),
        Purpose::ExportWaypoints => export_waypoints(path, simulation, recorder, editor),
        Purpose::Picture => {
            let stored = dialogs::relative_to_scenario(path, editor.file.as_deref());
            let mut edited = simulation.scenario().clone();
            let picture = picture_component(&edited, stored, editor.image.invert);
            edited.target.components.push(picture);
            let index = edited.target.components.len() - 1;
            if apply_edit(simulation, editor, swarm, edited, Record::Step) {
                editor.selected = Some(Item::Component(index));
                editor.info(format!("added the picture {}", path.display()));
            }
        }
    }
}

/// Appends a row of quality measures every recording interval of simulated time.
fn record_metrics(mut simulation: ResMut<Simulation>, mut history: ResMut<MetricsHistory>) {
    let interval = simulation.scenario().recording.interval;
    let now = simulation.time();
    if history
        .rows
        .last()
        .is_some_and(|last| now < last.t + interval && now >= last.t)
    {
        return;
    }
    let row = simulation.metrics();
    history.rows.push(row);
    if history.rows.len() > HISTORY_LIMIT {
        // Keep every other row of the older half.
        let half = history.rows.len() / 2;
        let older: Vec<MetricsRow> = history.rows[..half].iter().step_by(2).copied().collect();
        history.rows.splice(..half, older);
    }
}

/// Thins the waypoint recording before it outgrows memory (large swarms over long runs).
fn thin_recording(
    simulation: Res<Simulation>,
    mut recorder: ResMut<WaypointRecorder>,
    mut editor: ResMut<Editor>,
) {
    let Some(recording) = recorder.0.as_mut() else {
        return;
    };
    if recording.samples() * simulation.swarm().len() > RECORDING_LIMIT {
        recording.thin();
        editor.info(format!(
            "the waypoint recording reached {RECORDING_LIMIT} waypoints at t = {:.1} s: it \
             now keeps one every {} s (Reset starts a new recording)",
            simulation.time(),
            recording.interval()
        ));
    }
}

/// Marks unsaved changes in the window's title.
fn update_title(
    simulation: Res<Simulation>,
    editor: Res<Editor>,
    mut window: Single<&mut Window, With<PrimaryWindow>>,
) {
    if !editor.is_changed() {
        return;
    }
    let title = window_title(simulation.scenario(), editor.unsaved(simulation.scenario()));
    if window.title != title {
        window.title = title;
    }
}
