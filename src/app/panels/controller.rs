//! The agents and controller panel: how many agents and where they start (changing either
//! respawns the swarm), their speed limit, and the controller's settings, with the automatic
//! values in use shown beside their switches.

use bevy_egui::egui;

use super::widgets::{automatic_length, corners, point, positive};
use crate::numerics::DerivedParameters;
use crate::scene::scenario::{EvaluatorChoice, Placement, Scenario, Walls};

/// Most agents the panel offers (the solver takes more from a file).
const MAX_AGENTS: usize = 100_000;

/// The agents and controller panel; `in_use` are the parameters the running problem derived.
/// Returns true if the scenario changed.
pub fn controller_panel(
    ui: &mut egui::Ui,
    scenario: &mut Scenario,
    in_use: &DerivedParameters,
) -> bool {
    let (lo, hi) = (scenario.domain.min, scenario.domain.max);
    let size = (hi.0 - lo.0).min(hi.1 - lo.1);
    let step = 0.005 * size;
    let mut changed = false;
    let agents = &mut scenario.agents;

    ui.strong("Agents");
    ui.horizontal(|ui| {
        ui.label("number");
        let mut count = agents.count;
        let response = ui.add(
            egui::DragValue::new(&mut count)
                .range(1..=MAX_AGENTS)
                .speed(1.0),
        );
        if response.changed() && count != agents.count {
            agents.count = count;
            // Explicit points and masses are per agent: a new count needs new ones.
            if let Placement::Points(_) = agents.placement {
                agents.placement = Placement::Uniform { min: lo, max: hi };
            }
            agents.masses = None;
            changed = true;
        }
    });
    changed |= placement_editor(ui, &mut agents.placement, (lo, hi), step);
    ui.horizontal(|ui| {
        ui.label("seed");
        changed |= ui.add(egui::DragValue::new(&mut agents.seed)).changed();
    });
    ui.horizontal(|ui| {
        let mut limited = agents.max_speed.is_some();
        if ui.checkbox(&mut limited, "max speed").changed() {
            agents.max_speed = limited.then_some(0.5);
            changed = true;
        }
        if let Some(speed) = agents.max_speed.as_mut() {
            changed |= ui
                .add(
                    egui::DragValue::new(speed)
                        .speed(0.01)
                        .range(1e-3..=f64::MAX)
                        .suffix(" m/s"),
                )
                .changed();
        }
    });

    ui.separator();
    ui.strong("Controller");
    let controller = &mut scenario.controller;
    changed |= automatic_length(
        ui,
        "automatic epsilon",
        &mut controller.epsilon,
        in_use.epsilon,
        step,
    );
    changed |= automatic_length(
        ui,
        "automatic grid",
        &mut controller.grid_spacing,
        in_use.spacing[0],
        0.2 * step,
    );
    changed |= positive(ui, "floor (× mean)", &mut controller.floor, 1e-4, 0.005);
    changed |= positive(
        ui,
        "obstacle floor (× mean)",
        &mut controller.obstacle_floor,
        1e-4,
        0.01,
    );
    ui.horizontal(|ui| {
        ui.label("confinement");
        changed |= ui
            .add(
                egui::DragValue::new(&mut controller.confinement)
                    .speed(0.1)
                    .range(0.0..=f64::MAX),
            )
            .changed();
    });
    changed |= positive(ui, "gain (m²/s)", &mut controller.gain, 1e-3, 0.01);
    changed |= positive(
        ui,
        "max step (× epsilon)",
        &mut controller.max_step,
        1e-3,
        0.01,
    );
    changed |= ui
        .checkbox(&mut controller.smooth_target, "steer to the blurred target")
        .changed();
    ui.horizontal(|ui| {
        ui.label("evaluator");
        changed |= ui
            .selectable_value(
                &mut controller.evaluator,
                EvaluatorChoice::Stencil,
                "stencil",
            )
            .changed()
            | ui.selectable_value(
                &mut controller.evaluator,
                EvaluatorChoice::Direct,
                "direct (slow)",
            )
            .changed();
    });
    ui.horizontal(|ui| {
        ui.label("walls");
        changed |= ui
            .selectable_value(&mut controller.walls, Walls::Mirror, "mirror")
            .changed()
            | ui.selectable_value(&mut controller.walls, Walls::Open, "open")
                .changed();
    });
    changed
}

/// The placement kind and its numbers.
fn placement_editor(
    ui: &mut egui::Ui,
    placement: &mut Placement,
    (lo, hi): ((f64, f64), (f64, f64)),
    step: f64,
) -> bool {
    let mut changed = false;
    let name = match placement {
        Placement::Uniform { .. } => "uniform in a box",
        Placement::Cluster { .. } => "cluster in a disk",
        Placement::Grid { .. } => "grid in a box",
        Placement::Points(_) => "given points",
    };
    let centre = ((lo.0 + hi.0) / 2.0, (lo.1 + hi.1) / 2.0);
    let radius = 0.15 * (hi.0 - lo.0).min(hi.1 - lo.1);
    egui::ComboBox::from_label("placement")
        .selected_text(name)
        .show_ui(ui, |ui| {
            let choices = [
                ("uniform in a box", Placement::Uniform { min: lo, max: hi }),
                (
                    "cluster in a disk",
                    Placement::Cluster {
                        center: centre,
                        radius,
                    },
                ),
                ("grid in a box", Placement::Grid { min: lo, max: hi }),
            ];
            for (label, choice) in choices {
                let same = std::mem::discriminant(placement) == std::mem::discriminant(&choice);
                if ui.selectable_label(same, label).clicked() && !same {
                    *placement = choice;
                    changed = true;
                }
            }
        });
    changed |= match placement {
        Placement::Uniform { min, max } | Placement::Grid { min, max } => {
            corners(ui, min, max, step)
        }
        Placement::Cluster { center, radius } => {
            point(ui, "centre (m)", center, step) | positive(ui, "radius (m)", radius, step, step)
        }
        Placement::Points(points) => {
            ui.label(format!("{} points from the file", points.len()));
            false
        }
    };
    changed
}
