//! The obstacle panel: the canvas tool (select, or draw a circle, rectangle or polygon), and
//! each obstacle with its numbers and a remove button.

use bevy_egui::egui;

use super::widgets::{corners, point, positive, vertex_list};
use crate::scene::handles::Item;
use crate::scene::scenario::{Obstacle, Scenario};

/// What a left click on the canvas does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tool {
    /// Select a shape and drag its handles.
    #[default]
    Select,
    /// Press at the centre, release on the rim.
    Circle,
    /// Press at one corner, release at the opposite one.
    Rectangle,
    /// Click the vertices; click the first one again, or press Enter, to close.
    Polygon,
}

impl Tool {
    /// Every tool, in the order of the panel's buttons.
    pub const ALL: [Self; 4] = [Self::Select, Self::Circle, Self::Rectangle, Self::Polygon];

    /// The button's label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Select => "Select",
            Self::Circle => "Circle",
            Self::Rectangle => "Rectangle",
            Self::Polygon => "Polygon",
        }
    }

    /// What to do with it, for the status line.
    pub fn hint(self) -> &'static str {
        match self {
            Self::Select => "click a shape to select it, drag its handles; Delete removes it",
            Self::Circle => "press at the centre, drag to the rim, release",
            Self::Rectangle => "press at a corner, drag to the opposite corner, release",
            Self::Polygon => "click the vertices; click the first one or press Enter to close",
        }
    }
}

/// The obstacle panel. Returns true if the scenario changed.
pub fn obstacle_panel(
    ui: &mut egui::Ui,
    scenario: &mut Scenario,
    tool: &mut Tool,
    selected: Option<Item>,
) -> bool {
    let (lo, hi) = (scenario.domain.min, scenario.domain.max);
    let size = (hi.0 - lo.0).min(hi.1 - lo.1);
    let step = 0.005 * size;
    ui.horizontal_wrapped(|ui| {
        ui.label("draw");
        for choice in Tool::ALL {
            ui.selectable_value(tool, choice, choice.label());
        }
    });
    ui.label(egui::RichText::new(tool.hint()).small());
    let mut changed = false;
    let mut remove = None;
    for (i, obstacle) in scenario.obstacles.iter_mut().enumerate() {
        let open = (selected == Some(Item::Obstacle(i))).then_some(true);
        let title = match obstacle {
            Obstacle::Circle { .. } => "circle",
            Obstacle::Rectangle { .. } => "rectangle",
            Obstacle::Polygon { .. } => "polygon",
        };
        egui::CollapsingHeader::new(format!("{}. {title}", i + 1))
            .id_salt(("obstacle", i))
            .default_open(false)
            .open(open)
            .show(ui, |ui| {
                changed |= match obstacle {
                    Obstacle::Circle { center, radius } => {
                        point(ui, "centre (m)", center, step)
                            | positive(ui, "radius (m)", radius, step, step)
                    }
                    Obstacle::Rectangle { min, max } => corners(ui, min, max, step),
                    Obstacle::Polygon { vertices } => vertex_list(ui, vertices, step),
                };
                if ui.button("Remove").clicked() {
                    remove = Some(i);
                }
            });
    }
    if let Some(i) = remove {
        scenario.obstacles.remove(i);
        changed = true;
    }
    if scenario.obstacles.is_empty() {
        ui.label(egui::RichText::new("no obstacles").weak());
    }
    let centre = ((lo.0 + hi.0) / 2.0, (lo.1 + hi.1) / 2.0);
    let s = 0.08 * size;
    ui.horizontal(|ui| {
        if ui.button("Add circle").clicked() {
            scenario.obstacles.push(Obstacle::Circle {
                center: centre,
                radius: s,
            });
            changed = true;
        }
        if ui.button("Add rectangle").clicked() {
            scenario.obstacles.push(Obstacle::Rectangle {
                min: (centre.0 - s, centre.1 - s),
                max: (centre.0 + s, centre.1 + s),
            });
            changed = true;
        }
    });
    changed
}
