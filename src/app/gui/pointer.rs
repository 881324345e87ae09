//! Left-button gestures on the canvas: select shapes and drag their handles, or draw obstacles
//! with the chosen tool. The geometry of handles and drafts is in [`crate::scene::handles`].

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::input::EguiWantsInput;

use super::canvas::{pixel_size, pointer_over_ui};
use super::{Drag, Editor, PanelArea, Record, apply_edit};
use crate::app::panels::Tool;
use crate::app::simulation::{Simulation, SwarmChanged};
use crate::scene::handles::{self, Draft, Item, Part};
use crate::scene::scenario::Point;

/// Handles within this many logical pixels of the pointer can be grabbed.
const REACH_PIXELS: f32 = 9.0;

#[expect(
    clippy::too_many_arguments,
    reason = "a Bevy system's parameters are the data it reads and writes"
)]
pub fn canvas_pointer(
    buttons: Res<ButtonInput<MouseButton>>,
    egui_input: Res<EguiWantsInput>,
    panel: Res<PanelArea>,
    window: Single<&Window, With<PrimaryWindow>>,
    camera: Single<(&Camera, &GlobalTransform, &Projection)>,
    mut simulation: ResMut<Simulation>,
    mut editor: ResMut<Editor>,
    mut swarm: MessageWriter<SwarmChanged>,
) {
    let (camera, global, projection) = *camera;
    let Some(cursor) = window
        .cursor_position()
        .and_then(|c| camera.viewport_to_world_2d(global, c).ok())
    else {
        return;
    };
    let at: Point = (cursor.x as f64, cursor.y as f64);
    let busy = editor.drag.is_some() || editor.draft.is_some();
    if pointer_over_ui(&window, &egui_input, &panel) && !busy {
        return;
    }
    let reach = (REACH_PIXELS * pixel_size(camera, projection)) as f64;
    let min_size = min_size(&simulation);
    let (pressed, held, released) = (
        buttons.just_pressed(MouseButton::Left),
        buttons.pressed(MouseButton::Left),
        buttons.just_released(MouseButton::Left),
    );

    match editor.tool {
        Tool::Select => {
            if pressed {
                grab(&simulation, &mut editor, at, reach);
            } else if held
                && let Some(drag) = editor.drag.as_ref()
                && at != drag.start
            {
                let moved = handles::drag(&drag.original, &drag.handle, drag.start, at, min_size);
                let step = handles::snap_step(&moved);
                let edited = handles::snap(&moved, drag.handle.item, step);
                // The first change of a drag is a new undo step; the rest join it.
                let record = if drag.recorded {
                    Record::Nothing
                } else {
                    Record::Step
                };
                if apply_edit(&mut simulation, &mut editor, &mut swarm, edited, record)
                    && let Some(drag) = editor.drag.as_mut()
                {
                    drag.recorded = true;
                }
            }
            if released {
                editor.drag = None;
            }
        }
        Tool::Circle | Tool::Rectangle => {
            if pressed {
                editor.draft = Some(if editor.tool == Tool::Circle {
                    Draft::Circle {
                        center: at,
                        rim: at,
                    }
                } else {
                    Draft::Rectangle { from: at, to: at }
                });
            }
            match editor.draft.as_mut() {
                Some(Draft::Circle { rim, .. }) => *rim = at,
                Some(Draft::Rectangle { to, .. }) => *to = at,
                _ => {}
            }
            if released {
                finish_draft(&mut simulation, &mut editor, &mut swarm, min_size);
            }
        }
        Tool::Polygon => {
            if let Some(Draft::Polygon { vertices, next }) = editor.draft.as_mut() {
                *next = at;
                if pressed {
                    let closes = vertices.len() >= 3
                        && vertices
                            .first()
                            .is_some_and(|v| (v.0 - at.0).hypot(v.1 - at.1) <= reach);
                    if closes {
                        finish_draft(&mut simulation, &mut editor, &mut swarm, min_size);
                    } else {
                        vertices.push(at);
                    }
                }
            } else if pressed {
                editor.draft = Some(Draft::Polygon {
                    vertices: vec![at],
                    next: at,
                });
            }
        }
    }
}

/// Starts dragging the handle under the pointer, or the obstacle under it by its centre;
/// a click on empty canvas clears the selection.
fn grab(simulation: &Simulation, editor: &mut Editor, at: Point, reach: f64) {
    let scenario = simulation.scenario();
    let all = handles::handles(scenario);
    // The selected shape's handles come first; of the others only the centres are shown.
    let selected: Vec<_> = all
        .iter()
        .copied()
        .filter(|h| Some(h.item) == editor.selected)
        .collect();
    let centres: Vec<_> = all
        .iter()
        .copied()
        .filter(|h| h.part == Part::Centre)
        .collect();
    let picked = handles::pick(&selected, at, reach)
        .or_else(|| handles::pick(&centres, at, reach))
        .or_else(|| {
            let item = handles::obstacle_at(scenario, at)?;
            centres.iter().copied().find(|h| h.item == item)
        });
    match picked {
        Some(handle) => {
            editor.selected = Some(handle.item);
            editor.drag = Some(Drag {
                handle,
                start: at,
                original: scenario.clone(),
                recorded: false,
            });
        }
        None => editor.selected = None,
    }
}

/// Adds the obstacle being drawn to the scenario (agents inside it are moved out) and selects
/// it; a degenerate draft is dropped with a hint.
pub fn finish_draft(
    simulation: &mut Simulation,
    editor: &mut Editor,
    swarm: &mut MessageWriter<SwarmChanged>,
    min_size: f64,
) {
    let Some(draft) = editor.draft.take() else {
        return;
    };
    let Some(obstacle) = draft.obstacle(min_size) else {
        let hint = match draft {
            Draft::Polygon { .. } => "a polygon needs at least 3 vertices",
            _ => "drag while holding the button to give the obstacle a size",
        };
        editor.info(hint);
        return;
    };
    let mut drawn = simulation.scenario().clone();
    drawn.obstacles.push(obstacle);
    let index = drawn.obstacles.len() - 1;
    let edited = handles::snap(&drawn, Item::Obstacle(index), handles::snap_step(&drawn));
    if apply_edit(simulation, editor, swarm, edited, Record::Step) {
        editor.selected = Some(Item::Obstacle(index));
    }
}

/// The smallest obstacle or shape size (m) drawing and dragging produce: a tiny fraction of the
/// domain, so that a click without a drag draws nothing.
pub fn min_size(simulation: &Simulation) -> f64 {
    let domain = &simulation.scenario().domain;
    0.002 * (domain.max.0 - domain.min.0).min(domain.max.1 - domain.min.1)
}
