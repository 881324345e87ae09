//! The control panel on the left: simulation controls, heatmap choice, metrics plot, and the
//! editing panels of [`crate::app::panels`], whose edits are applied to the running swarm.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};
use egui_plot::{GridInput, GridMark, HoverPosition, Line, Plot};

use super::canvas::Trails;
use super::{
    Editor, HeatmapMode, Measure, MetricsHistory, PanelArea, Purpose, Record, apply_edit,
    choose_file, open, reset, save_or_ask, use_chosen_file,
};
use crate::app::panels::{
    FileAction, controller_panel, file_panel, help_panel, obstacle_panel, target_panel, undo_bar,
};
use crate::app::simulation::{
    Simulation, SimulationClock, SimulationDiagnostics, SwarmChanged, WaypointRecorder,
};

/// Width of the control panel (logical pixels).
const PANEL_WIDTH: f32 = 300.0;

/// Paces offered: simulated seconds per real second, or as fast as the budget allows.
const SPEEDS: [(Option<f64>, &str); 7] = [
    (None, "as fast as possible"),
    (Some(0.25), "0.25 × real time"),
    (Some(0.5), "0.5 × real time"),
    (Some(1.0), "real time"),
    (Some(2.0), "2 × real time"),
    (Some(5.0), "5 × real time"),
    (Some(10.0), "10 × real time"),
];

/// Steps per second, time per step and frames per second, measured over the last second.
#[derive(Resource, Debug, Default)]
pub struct StepRate {
    window_start: f64,
    frames: u32,
    at_start: SimulationDiagnostics,
    steps_per_second: f64,
    seconds_per_step: Option<f64>,
    frames_per_second: f64,
}

pub fn measure_step_rate(
    time: Res<Time<Real>>,
    diagnostics: Res<SimulationDiagnostics>,
    mut rate: ResMut<StepRate>,
) {
    let now = time.elapsed_secs_f64();
    rate.frames += 1;
    let span = now - rate.window_start;
    if span >= 1.0 {
        let steps = diagnostics.steps - rate.at_start.steps;
        rate.steps_per_second = steps as f64 / span;
        rate.seconds_per_step = diagnostics.seconds_per_step_since(&rate.at_start);
        rate.frames_per_second = f64::from(rate.frames) / span;
        rate.window_start = now;
        rate.frames = 0;
        rate.at_start = *diagnostics;
    }
}

/// The control panel.
#[expect(
    clippy::too_many_arguments,
    reason = "a Bevy system's parameters are the data it reads and writes"
)]
pub fn control_panel(
    mut contexts: EguiContexts,
    mut clock: ResMut<SimulationClock>,
    mut mode: ResMut<HeatmapMode>,
    mut simulation: ResMut<Simulation>,
    rate: Res<StepRate>,
    mut history: ResMut<MetricsHistory>,
    mut editor: ResMut<Editor>,
    mut trails: ResMut<Trails>,
    recorder: Res<WaypointRecorder>,
    time: Res<Time<Real>>,
    mut swarm: MessageWriter<SwarmChanged>,
    mut panel: ResMut<PanelArea>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let now = time.elapsed_secs_f64();
    let (simulation, editor) = (&mut *simulation, &mut *editor);
    let mut root = egui::Ui::new(
        ctx.clone(),
        "viewport".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    let mut edited = None;
    let mut file_action = None;
    let mut undone = None;
    let shown = egui::Panel::left("controls")
        .exact_size(PANEL_WIDTH)
        .show(&mut root, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                // A menu bar: the file menu, undo and redo, help.
                ui.horizontal(|ui| {
                    let unsaved = editor.unsaved(simulation.scenario());
                    ui.menu_button("File", |ui| {
                        let recorded = match &recorder.0 {
                            Some(r) => {
                                format!("{} per agent, every {} s", r.samples(), r.interval())
                            }
                            None => "not recording".to_string(),
                        };
                        let file = editor.file.as_deref();
                        file_action = file_panel(ui, file, unsaved, &recorded);
                        if file_action.is_some() {
                            ui.close();
                        }
                    });
                    let current = simulation.scenario().clone();
                    undone = undo_bar(ui, &mut editor.history, &current);
                    if ui.button("Help").on_hover_text("F1").clicked() {
                        editor.help_open = !editor.help_open;
                    }
                });
                let unsaved = if editor.unsaved(simulation.scenario()) {
                    " *"
                } else {
                    ""
                };
                ui.heading(format!("{}{unsaved}", simulation.scenario().name))
                    .on_hover_text(match &editor.file {
                        Some(file) => file.display().to_string(),
                        None => "the built-in scenario".into(),
                    });
                notice(ui, editor);
                ui.separator();
                if simulation_section(ui, &mut clock, simulation, &rate) {
                    reset(simulation, editor, &mut swarm, &mut history);
                }
                ui.separator();
                ui.label("Heatmap");
                // The default font lacks combining marks and superscripts: plain words here.
                ui.radio_value(&mut *mode, HeatmapMode::Target, "target density");
                ui.radio_value(
                    &mut *mode,
                    HeatmapMode::Coverage,
                    "coverage (blobs of the agents)",
                );
                ui.radio_value(&mut *mode, HeatmapMode::Difference, "coverage minus target");
                ui.checkbox(&mut trails.shown, "trails");
                ui.separator();
                egui::CollapsingHeader::new("Metrics")
                    .default_open(true)
                    .show(ui, |ui| metrics_plot(ui, &mut history));
                let mut scenario = simulation.scenario().clone();
                let mut changed = false;
                egui::CollapsingHeader::new("Target")
                    .default_open(true)
                    .show(ui, |ui| {
                        changed |=
                            target_panel(ui, &mut scenario, editor.selected, &mut editor.image);
                    });
                egui::CollapsingHeader::new("Obstacles")
                    .default_open(false)
                    .show(ui, |ui| {
                        changed |=
                            obstacle_panel(ui, &mut scenario, &mut editor.tool, editor.selected);
                    });
                egui::CollapsingHeader::new("Agents and controller")
                    .default_open(false)
                    .show(ui, |ui| {
                        let in_use = simulation.problem().parameters();
                        changed |= controller_panel(ui, &mut scenario, in_use);
                    });
                if changed {
                    edited = Some(scenario);
                }
            })
        });
    panel.right = shown.response.rect.right();
    egui::Window::new("Help")
        .open(&mut editor.help_open)
        .resizable(false)
        .default_pos(ctx.viewport_rect().center() - egui::vec2(150.0, 250.0))
        .show(ctx, help_panel);

    if let Some(scenario) = undone {
        apply_edit(simulation, editor, &mut swarm, scenario, Record::Nothing);
    }
    if let Some(scenario) = edited {
        // Adding or removing a shape is a step of its own; number edits and slider drags
        // within half a second of each other are one.
        let current = simulation.scenario();
        let added_or_removed = scenario.target.components.len() != current.target.components.len()
            || scenario.obstacles.len() != current.obstacles.len();
        let record = if added_or_removed {
            Record::Step
        } else {
            Record::Merged(now)
        };
        apply_edit(simulation, editor, &mut swarm, scenario, record);
    }
    if std::mem::take(&mut editor.image.browse) {
        choose_file(editor, Purpose::Picture);
    }
    match file_action {
        Some(FileAction::Open) => choose_file(editor, Purpose::OpenScenario),
        Some(FileAction::OpenFile(path)) => {
            open(&path, simulation, editor, &mut swarm, &mut history);
        }
        Some(FileAction::Save) => save_or_ask(simulation, editor),
        Some(FileAction::SaveAs) => choose_file(editor, Purpose::SaveScenario),
        Some(FileAction::ExportWaypoints) => choose_file(editor, Purpose::ExportWaypoints),
        None => {}
    }
    show_dialog(ctx, simulation, editor, &recorder, &mut swarm, &mut history);
    Ok(())
}

/// Draws the file dialog if one is open, and uses the file once one is chosen.
fn show_dialog(
    ctx: &egui::Context,
    simulation: &mut Simulation,
    editor: &mut Editor,
    recorder: &WaypointRecorder,
    swarm: &mut MessageWriter<SwarmChanged>,
    history: &mut MetricsHistory,
) {
    let Some(open) = editor.dialog.as_mut() else {
        return;
    };
    open.dialog.update(ctx);
    let purpose = open.purpose;
    if let Some(path) = open.dialog.take_picked() {
        editor.dialog = None;
        use_chosen_file(purpose, &path, simulation, editor, recorder, swarm, history);
    } else if !matches!(open.dialog.state(), egui_file_dialog::DialogState::Open) {
        editor.dialog = None;
    }
}

/// The last message, in red for errors, with a button to dismiss it.
fn notice(ui: &mut egui::Ui, editor: &mut Editor) {
    let Some(notice) = &editor.notice else {
        return;
    };
    let colour = if notice.error {
        egui::Color32::from_rgb(235, 95, 85)
    } else {
        egui::Color32::from_rgb(120, 200, 130)
    };
    let mut dismissed = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal_top(|ui| {
            dismissed = ui.small_button("×").on_hover_text("dismiss").clicked();
            ui.add(egui::Label::new(egui::RichText::new(&notice.text).color(colour)).wrap());
        });
    });
    if dismissed {
        editor.notice = None;
    }
}

/// Run, pause, step, reset, pace, and the live numbers. Returns whether Reset was clicked.
fn simulation_section(
    ui: &mut egui::Ui,
    clock: &mut SimulationClock,
    simulation: &mut Simulation,
    rate: &StepRate,
) -> bool {
    let mut reset = false;
    ui.horizontal(|ui| {
        let label = if clock.paused { "▶ Run" } else { "⏸ Pause" };
        if ui.button(label).on_hover_text("Space").clicked() {
            clock.paused = !clock.paused;
        }
        if ui.button("Step").on_hover_text("S").clicked() {
            clock.paused = true;
            clock.step_once = true;
        }
        reset = ui.button("Reset").on_hover_text("R").clicked();
    });
    let current = SPEEDS
        .iter()
        .find(|(speed, _)| *speed == clock.speed)
        .map_or("custom", |(_, label)| label);
    egui::ComboBox::from_label("pace")
        .selected_text(current)
        .show_ui(ui, |ui| {
            for (speed, label) in SPEEDS {
                ui.selectable_value(&mut clock.speed, speed, label);
            }
        });
    let p = simulation.problem().parameters().clone();
    egui::Grid::new("numbers").num_columns(2).show(ui, |ui| {
        let rows = [
            ("agents", simulation.swarm().len().to_string()),
            ("time", format!("{:.2} s", simulation.time())),
            ("steps", simulation.steps().to_string()),
            ("steps / s", format!("{:.0}", rate.steps_per_second)),
            (
                "step time",
                rate.seconds_per_step
                    .map_or("–".into(), |t| format!("{:.1} ms", 1e3 * t)),
            ),
            ("frames / s", format!("{:.0}", rate.frames_per_second)),
            ("energy", format!("{:.5}", simulation.energy())),
            ("epsilon", format!("{:.3} m", p.epsilon)),
            ("grid", format!("{} × {}", p.shape[0], p.shape[1])),
        ];
        for (name, value) in rows {
            ui.label(name);
            ui.label(value);
            ui.end_row();
        }
    });
    ui.label(egui::RichText::new(&p.epsilon_rule).small());
    reset
}

/// A plot of one quality measure against time, with a chooser. The measures span decades
/// while the swarm settles, so the value axis is logarithmic unless asked otherwise.
fn metrics_plot(ui: &mut egui::Ui, history: &mut MetricsHistory) {
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("measure")
            .selected_text(history.shown.label())
            .show_ui(ui, |ui| {
                for measure in Measure::ALL {
                    ui.selectable_value(&mut history.shown, measure, measure.label());
                }
            });
        ui.checkbox(&mut history.linear, "linear");
    });
    let shown = history.shown;
    let linear = history.linear;
    // Logarithmic: plot log10 of the positive values and label the axis with the values.
    let points: Vec<[f64; 2]> = history
        .rows
        .iter()
        .map(|r| (r.t, shown.of(r)))
        .filter(|(_, v)| linear || *v > 0.0)
        .map(|(t, v)| [t, if linear { v } else { v.log10() }])
        .collect();
    if let Some(last) = history.rows.last() {
        ui.label(format!(
            "{} = {:.4e} at t = {:.1} s",
            shown.label(),
            shown.of(last),
            last.t
        ));
    }
    let value = move |y: f64| if linear { y } else { 10f64.powf(y) };
    let mut plot = Plot::new("metrics");
    if !linear {
        plot = plot.y_grid_spacer(decade_marks);
    }
    // Narrower than the panel by the scroll bar, which floats over the right edge.
    plot.height(160.0)
        .width((ui.available_width() - 10.0).max(120.0))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_label("t (s)")
        .y_axis_formatter(move |mark, _| short_number(value(mark.value)))
        .label_formatter(move |hover| {
            let (HoverPosition::NearDataPoint { position, .. }
            | HoverPosition::Elsewhere { position }) = hover;
            Some(format!(
                "t = {:.1} s\n{:.4e}",
                position.x,
                value(position.y)
            ))
        })
        .show(ui, |plot| plot.line(Line::new(shown.label(), points)));
}

/// A number in at most about five characters, for axis labels: 0.25, 140, 3e-4.
fn short_number(v: f64) -> String {
    let size = v.abs();
    if v == 0.0 || (1e-2..1e4).contains(&size) {
        let text = format!("{v:.3}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        text.to_string()
    } else {
        format!("{v:.0e}")
    }
}

/// Grid marks of a logarithmic axis (values are log10): 1, 2 and 5 times every power of ten in
/// view, the powers drawn stronger; only the powers when the view spans many decades.
fn decade_marks(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    let steps: &[f64] = if hi - lo > 4.0 {
        &[1.0]
    } else {
        &[1.0, 2.0, 5.0]
    };
    let mut marks = Vec::new();
    for decade in (lo.floor() as i32)..=(hi.ceil() as i32) {
        for &step in steps {
            let value = f64::from(decade) + step.log10();
            if (lo..=hi).contains(&value) {
                let step_size = if step == 1.0 { 1.0 } else { 0.3 };
                marks.push(GridMark { value, step_size });
            }
        }
    }
    marks
}
