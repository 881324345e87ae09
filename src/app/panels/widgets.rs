//! Small labelled number editors shared by the panels. Each returns whether the value changed.

use bevy_egui::egui;

use crate::scene::scenario::Point;

/// A share of the swarm, 0 to 10.
pub fn weight(ui: &mut egui::Ui, label: &str, value: &mut f64) -> bool {
    ui.add(egui::Slider::new(value, 0.0..=10.0).text(label))
        .changed()
}

/// A point (m), dragged in steps of `step`.
pub fn point(ui: &mut egui::Ui, label: &str, p: &mut Point, step: f64) -> bool {
    ui.horizontal(|ui| {
        ui.label(label);
        ui.add(egui::DragValue::new(&mut p.0).speed(step)).changed()
            | ui.add(egui::DragValue::new(&mut p.1).speed(step)).changed()
    })
    .inner
}

/// A pair of lengths (m), each at least `step`.
pub fn positive_pair(ui: &mut egui::Ui, label: &str, p: &mut Point, step: f64) -> bool {
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

/// A positive quantity, at least `min`, dragged in steps of `step`.
pub fn positive(ui: &mut egui::Ui, label: &str, value: &mut f64, min: f64, step: f64) -> bool {
    ui.horizontal(|ui| {
        ui.label(label);
        ui.add(
            egui::DragValue::new(value)
                .speed(step)
                .range(min..=f64::MAX),
        )
        .changed()
    })
    .inner
}

/// A rectangle [min, max] (m), kept at least `step` wide and high.
pub fn corners(ui: &mut egui::Ui, min: &mut Point, max: &mut Point, step: f64) -> bool {
    let changed = point(ui, "min (m)", min, step) | point(ui, "max (m)", max, step);
    // Keep max beyond min so a drag never produces an invalid rectangle.
    max.0 = max.0.max(min.0 + step);
    max.1 = max.1.max(min.1 + step);
    changed
}

/// A length (m) that is automatic when `None`: a tick box `label` with the value `in_use`
/// beside it, or, unticked, a number of at least `step` dragged in steps of `step`, starting
/// from the value in use.
pub fn automatic_length(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut Option<f64>,
    in_use: f64,
    step: f64,
) -> bool {
    ui.horizontal(|ui| {
        let mut automatic = value.is_none();
        let mut changed = false;
        if ui.checkbox(&mut automatic, label).changed() {
            *value = (!automatic).then_some(in_use);
            changed = true;
        }
        match value.as_mut() {
            Some(length) => {
                let field = egui::DragValue::new(length)
                    .speed(step)
                    .range(step..=f64::MAX)
                    .suffix(" m");
                changed |= ui.add(field).changed();
            }
            None => {
                ui.label(format!("{in_use:.3} m"));
            }
        }
        changed
    })
    .inner
}

/// A polygon's vertices (m), one row each, with buttons to add a vertex after one (halfway
/// along the next edge) or to remove one (while more than three are left).
pub fn vertex_list(ui: &mut egui::Ui, vertices: &mut Vec<Point>, step: f64) -> bool {
    let mut changed = false;
    let (mut split, mut remove) = (None, None);
    let count = vertices.len();
    for (k, v) in vertices.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            changed |= point(ui, &format!("vertex {}", k + 1), v, step);
            if ui
                .small_button("+")
                .on_hover_text("add a vertex after this one")
                .clicked()
            {
                split = Some(k);
            }
            let removable = ui.add_enabled(count > 3, egui::Button::new("−").small());
            if removable.on_hover_text("remove this vertex").clicked() {
                remove = Some(k);
            }
        });
    }
    if let Some(k) = split {
        let (a, b) = (vertices[k], vertices[(k + 1) % count]);
        vertices.insert(k + 1, ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0));
        changed = true;
    }
    if let Some(k) = remove {
        vertices.remove(k);
        changed = true;
    }
    changed
}
