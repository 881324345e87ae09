//! Editing panels as functions of plain data: each takes the scenario, draws its widgets, edits
//! the scenario in place and says whether it changed. The window applies a change to the
//! running swarm and records it for undo.

use bevy_egui::egui;

use crate::scene::scenario::{Component, Point, Scenario};

/// The target panel: background weight, then each component with its weight and parameters,
/// and buttons to duplicate, remove or add components. Returns true if the scenario changed.
pub fn target_panel(ui: &mut egui::Ui, scenario: &mut Scenario) -> bool {
    let mut changed = false;
    let (lo, hi) = (scenario.domain.min, scenario.domain.max);
    let centre = ((lo.0 + hi.0) / 2.0, (lo.1 + hi.1) / 2.0);
    let size = (hi.0 - lo.0).min(hi.1 - lo.1);
    let target = &mut scenario.target;
    changed |= weight(ui, "background", &mut target.background);

    let mut remove = None;
    let mut duplicate = None;
    for (i, component) in target.components.iter_mut().enumerate() {
        egui::CollapsingHeader::new(format!("{}. {}", i + 1, kind(component)))
            .id_salt(("component", i))
            .default_open(false)
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
        if ui.button("Gaussian").clicked() {
            let sigma = (s, s);
            target.components.push(Component::Gaussian {
                weight: 1.0,
                center: centre,
                sigma,
                angle: 0.0,
            });
            changed = true;
        }
        if ui.button("Disk").clicked() {
            target.components.push(Component::Disk {
                weight: 1.0,
                center: centre,
                radius: 2.0 * s,
            });
            changed = true;
        }
        if ui.button("Rectangle").clicked() {
            let (min, max) = ((centre.0 - s, centre.1 - s), (centre.0 + s, centre.1 + s));
            target.components.push(Component::Rectangle {
                weight: 1.0,
                min,
                max,
            });
            changed = true;
        }
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
                | length(ui, "radius (m)", radius, step)
        }
        Component::Ring {
            weight: w,
            center,
            radius,
            width,
        } => {
            weight(ui, "weight", w)
                | point(ui, "centre (m)", center, step)
                | length(ui, "radius (m)", radius, step)
                | length(ui, "width (m)", width, step)
        }
        Component::Rectangle {
            weight: w,
            min,
            max,
        } => {
            let changed = weight(ui, "weight", w)
                | point(ui, "min (m)", min, step)
                | point(ui, "max (m)", max, step);
            // Keep max beyond min so a drag never produces an invalid rectangle.
            max.0 = max.0.max(min.0 + step);
            max.1 = max.1.max(min.1 + step);
            changed
        }
        Component::Polygon {
            weight: w,
            vertices,
        } => {
            ui.label(format!("{} vertices", vertices.len()));
            weight(ui, "weight", w)
        }
        Component::Image {
            weight: w, path, ..
        } => {
            ui.label(path.display().to_string());
            weight(ui, "weight", w)
        }
    }
}

fn weight(ui: &mut egui::Ui, label: &str, value: &mut f64) -> bool {
    ui.add(egui::Slider::new(value, 0.0..=10.0).text(label))
        .changed()
}

fn point(ui: &mut egui::Ui, label: &str, p: &mut Point, step: f64) -> bool {
    ui.horizontal(|ui| {
        ui.label(label);
        ui.add(egui::DragValue::new(&mut p.0).speed(step)).changed()
            | ui.add(egui::DragValue::new(&mut p.1).speed(step)).changed()
    })
    .inner
}

fn positive_pair(ui: &mut egui::Ui, label: &str, p: &mut Point, step: f64) -> bool {
    ui.horizontal(|ui| {
        ui.label(label);
        let range = step..=f64::MAX;
        ui.add(
            egui::DragValue::new(&mut p.0)
                .speed(step)
                .range(range.clone()),
        )
        .changed()
            | ui.add(egui::DragValue::new(&mut p.1).speed(step).range(range))
                .changed()
    })
    .inner
}

fn length(ui: &mut egui::Ui, label: &str, value: &mut f64, step: f64) -> bool {
    ui.horizontal(|ui| {
        ui.label(label);
        ui.add(
            egui::DragValue::new(value)
                .speed(step)
                .range(step..=f64::MAX),
        )
        .changed()
    })
    .inner
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
                changed |= target_panel(ui, scenario)
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
