//! The control panel on the left: simulation controls, heatmap choice, metrics plot, and the
//! editing panels of [`crate::app::panels`], whose edits are applied to the running swarm.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};
use egui_plot::{Line, Plot};

use super::canvas::Trails;
use super::{
    Editor, HeatmapMode, Measure, MetricsHistory, Record, apply_edit, export_waypoints, open,
    reset, save,
};
use crate::app::panels::{
    FileAction, controller_panel, file_panel, help_panel, obstacle_panel, target_panel, undo_bar,
};
use crate::app::simulation::{Simulation, SimulationClock, SwarmChanged, WaypointRecorder};

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

/// Steps per second, measured over the last second.
#[derive(Resource, Debug, Default)]
pub struct StepRate {
    window_start: f64,
    steps_at_start: u64,
    rate: f64,
}

pub fn measure_step_rate(time: Res<Time>, simulation: Res<Simulation>, mut rate: ResMut<StepRate>) {
    let now = time.elapsed_secs_f64();
    if now - rate.window_start >= 1.0 {
        rate.rate = (simulation.steps() - rate.steps_at_start) as f64 / (now - rate.window_start);
        rate.window_start = now;
        rate.steps_at_start = simulation.steps();
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
    egui::Panel::left("controls")
        .exact_size(PANEL_WIDTH)
        .show(&mut root, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.horizontal(|ui| {
                    let unsaved = if editor.unsaved(simulation.scenario()) {
                        " *"
                    } else {
                        ""
                    };
                    ui.heading(format!("{}{unsaved}", simulation.scenario().name));
                    if ui.button("Help").on_hover_text("F1").clicked() {
                        editor.help_open = !editor.help_open;
                    }
                });
                notice(ui, editor);
                let current = simulation.scenario().clone();
                undone = undo_bar(ui, &mut editor.history, &current);
                ui.separator();
                simulation_section(ui, &mut clock, simulation, &rate, &mut history, &mut swarm);
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
                egui::CollapsingHeader::new("File")
                    .default_open(false)
                    .show(ui, |ui| {
                        let unsaved = editor.unsaved(simulation.scenario());
                        let recorded = match &recorder.0 {
                            Some(r) => {
                                format!("{} per agent, every {} s", r.samples(), r.interval())
                            }
                            None => "not recording".to_string(),
                        };
                        file_action = file_panel(ui, &mut editor.files, unsaved, &recorded);
                    });
            })
        });
    egui::Window::new("Help")
        .open(&mut editor.help_open)
        .resizable(false)
        .default_pos(ctx.viewport_rect().center() - egui::vec2(150.0, 250.0))
        .show(ctx, help_panel);

    if let Some(scenario) = undone {
        apply_edit(simulation, editor, &mut swarm, scenario, Record::Nothing);
    }
    if let Some(scenario) = edited {
        apply_edit(
            simulation,
            editor,
            &mut swarm,
            scenario,
            Record::Merged(now),
        );
    }
    match file_action {
        Some(FileAction::Open(path)) => {
            open(&path, simulation, editor, &mut swarm, &mut history);
        }
        Some(FileAction::Save(path)) => save(&path, simulation, editor),
        Some(FileAction::ExportWaypoints(path)) => {
            export_waypoints(&path, simulation, &recorder, editor);
        }
        None => {}
    }
    Ok(())
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

/// Run, pause, step, reset, pace, and the live numbers.
fn simulation_section(
    ui: &mut egui::Ui,
    clock: &mut SimulationClock,
    simulation: &mut Simulation,
    rate: &StepRate,
    history: &mut MetricsHistory,
    swarm: &mut MessageWriter<SwarmChanged>,
) {
    ui.horizontal(|ui| {
        let label = if clock.paused { "▶ Run" } else { "⏸ Pause" };
        if ui.button(label).on_hover_text("Space").clicked() {
            clock.paused = !clock.paused;
        }
        if ui.button("Step").on_hover_text("S").clicked() {
            clock.paused = true;
            clock.step_once = true;
        }
        if ui.button("Reset").on_hover_text("R").clicked() {
            reset(simulation, swarm, history);
        }
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
            ("steps / s", format!("{:.0}", rate.rate)),
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
}

/// A plot of one quality measure against time, with a chooser.
fn metrics_plot(ui: &mut egui::Ui, history: &mut MetricsHistory) {
    ui.label("Metrics");
    egui::ComboBox::from_id_salt("measure")
        .selected_text(history.shown.label())
        .show_ui(ui, |ui| {
            for measure in Measure::ALL {
                ui.selectable_value(&mut history.shown, measure, measure.label());
            }
        });
    let shown = history.shown;
    let points: Vec<[f64; 2]> = history.rows.iter().map(|r| [r.t, shown.of(r)]).collect();
    if let Some(last) = history.rows.last() {
        ui.label(format!(
            "{} = {:.4e} at t = {:.1} s",
            shown.label(),
            shown.of(last),
            last.t
        ));
    }
    Plot::new("metrics")
        .height(160.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |plot| plot.line(Line::new(shown.label(), points)));
}
