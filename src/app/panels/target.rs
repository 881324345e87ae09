//! The target panel: background weight, the components with their weights and parameters,
//! and adding, duplicating, removing components, pictures included.

use std::path::PathBuf;

use bevy_egui::egui;

use super::widgets::{corners, point, positive, positive_pair, vertex_list, weight};
use crate::scene::handles::Item;
use crate::scene::scenario::{Component, Scenario};

/// The picture part of the target panel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImageForm {
    /// Dark pixels dense instead of bright ones.
    pub invert: bool,
    /// Set when the user asked to choose a picture file; the window shows the file dialog and
    /// adds the picture with [`picture_component`].
    pub browse: bool,
}

/// A picture (`path`, PNG or JPEG) stretched over the whole domain, as a target component of
/// weight 1; `invert` makes dark pixels dense.
pub fn picture_component(scenario: &Scenario, path: PathBuf, invert: bool) -> Component {
    Component::Image {
        weight: 1.0,
        path,
        min: scenario.domain.min,
        max: scenario.domain.max,
        invert,
    }
}

/// The target panel: background weight, then each component with its weight and parameters,
/// and buttons to duplicate, remove or add components; the `selected` component (on the canvas)
/// is open. Returns true if the scenario changed.
pub fn target_panel(
    ui: &mut egui::Ui,
    scenario: &mut Scenario,
    selected: Option<Item>,
    image: &mut ImageForm,
) -> bool {
    let mut changed = false;
    let (lo, hi) = (scenario.domain.min, scenario.domain.max);
    let centre = ((lo.0 + hi.0) / 2.0, (lo.1 + hi.1) / 2.0);
    let size = (hi.0 - lo.0).min(hi.1 - lo.1);
    let target = &mut scenario.target;
    changed |= weight(ui, "background", &mut target.background);

    let mut remove = None;
    let mut duplicate = None;
    for (i, component) in target.components.iter_mut().enumerate() {
        let open = (selected == Some(Item::Component(i))).then_some(true);
        egui::CollapsingHeader::new(format!("{}. {}", i + 1, kind(component)))
            .id_salt(("component", i))
            .default_open(false)
            .open(open)
            .show(ui, |ui| {
                changed |= component_editor(ui, component, size);
                ui.horizontal(|ui| {
                    if ui.button("Duplicate").clicked() {
                        duplicate = Some(i);
                    }
                    if ui.button("Remove").clicked() {
                        remove = Some(i);
                    }
                });
            });
    }
    if let Some(i) = duplicate {
        let copy = target.components[i].clone();
        target.components.insert(i + 1, copy);
        changed = true;
    }
    if let Some(i) = remove {
        target.components.remove(i);
        changed = true;
    }
    ui.horizontal(|ui| {
        ui.label("add");
        let s = 0.1 * size;
        let shapes = [
            (
                "Gaussian",
                Component::Gaussian {
                    weight: 1.0,
                    center: centre,
                    sigma: (s, s),
                    angle: 0.0,
                },
            ),
            (
                "Disk",
                Component::Disk {
                    weight: 1.0,
                    center: centre,
                    radius: 2.0 * s,
                },
            ),
            (
                "Rectangle",
                Component::Rectangle {
                    weight: 1.0,
                    min: (centre.0 - s, centre.1 - s),
                    max: (centre.0 + s, centre.1 + s),
                },
            ),
            (
                "Ring",
                Component::Ring {
                    weight: 1.0,
                    center: centre,
                    radius: 2.0 * s,
                    width: 0.3 * s,
                },
            ),
        ];
        for (label, shape) in shapes {
            if ui.button(label).clicked() {
                target.components.push(shape);
                changed = true;
            }
        }
    });
    ui.horizontal(|ui| {
        if ui
            .button("Add picture…")
            .on_hover_text("a PNG or JPEG over the whole domain; bright pixels are dense")
            .clicked()
        {
            image.browse = true;
        }
        ui.checkbox(&mut image.invert, "dark pixels dense");
    });
    changed
}

fn kind(component: &Component) -> &'static str {
    match component {
        Component::Gaussian { .. } => "Gaussian",
        Component::Disk { .. } => "Disk",
        Component::Ring { .. } => "Ring",
        Component::Rectangle { .. } => "Rectangle",
        Component::Polygon { .. } => "Polygon",
        Component::Image { .. } => "Image",
    }
}

/// Number fields for one component's parameters.
fn component_editor(ui: &mut egui::Ui, component: &mut Component, size: f64) -> bool {
    let step = 0.005 * size;
    match component {
        Component::Gaussian {
            weight: w,
            center,
            sigma,
            angle,
        } => {
            weight(ui, "weight", w)
                | point(ui, "centre (m)", center, step)
                | positive_pair(ui, "sigma (m)", sigma, step)
                | ui.add(
                    egui::DragValue::new(angle)
                        .speed(1.0)
                        .suffix("°")
                        .prefix("angle "),
                )
                .changed()
        }
        Component::Disk {
            weight: w,
            center,
            radius,
        } => {
            weight(ui, "weight", w)
                | point(ui, "centre (m)", center, step)
                | positive(ui, "radius (m)", radius, step, step)
        }
        Component::Ring {
            weight: w,
            center,
            radius,
            width,
        } => {
            weight(ui, "weight", w)
                | point(ui, "centre (m)", center, step)
                | positive(ui, "radius (m)", radius, step, step)
                | positive(ui, "width (m)", width, step, step)
        }
        Component::Rectangle {
            weight: w,
            min,
            max,
        } => weight(ui, "weight", w) | corners(ui, min, max, step),
        Component::Polygon {
            weight: w,
            vertices,
        } => weight(ui, "weight", w) | vertex_list(ui, vertices, step),
        Component::Image {
            weight: w,
            path,
            min,
            max,
            invert,
        } => {
            ui.label(path.display().to_string());
            weight(ui, "weight", w)
                | corners(ui, min, max, step)
                | ui.checkbox(invert, "dark pixels dense").changed()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::scenario::DEFAULT_SCENARIO;

    fn scenario() -> Scenario {
        Scenario::from_ron(DEFAULT_SCENARIO, std::path::Path::new("default")).unwrap()
    }

    /// Draws the target panel for a few frames without any input.
    fn draw_untouched(scenario: &mut Scenario) -> bool {
        let ctx = egui::Context::default();
        let mut changed = false;
        for _ in 0..3 {
            let _ = ctx.run_ui(egui::RawInput::default(), |ui| {
                changed |= target_panel(ui, scenario, None, &mut ImageForm::default())
            });
        }
        changed
    }

    #[test]
    fn drawing_the_panel_changes_nothing() {
        let mut edited = scenario();
        assert!(!draw_untouched(&mut edited));
        assert_eq!(edited, scenario());
    }
}
