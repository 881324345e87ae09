//! Keyboard shortcuts (listed in the help panel), unless a text field has the keyboard.

use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;

use super::canvas::Trails;
use super::pointer::{finish_draft, min_size};
use super::{
    Editor, HeatmapMode, MetricsHistory, Purpose, Record, apply_edit, choose_file, reset,
    save_or_ask, undo,
};
use crate::app::panels::Tool;
use crate::app::simulation::{Simulation, SimulationClock, SwarmChanged};
use crate::scene::handles;

#[expect(
    clippy::too_many_arguments,
    reason = "a Bevy system's parameters are the data it reads and writes"
)]
pub fn shortcuts(
    keys: Res<ButtonInput<KeyCode>>,
    egui_input: Res<EguiWantsInput>,
    mut simulation: ResMut<Simulation>,
    mut editor: ResMut<Editor>,
    mut clock: ResMut<SimulationClock>,
    mut mode: ResMut<HeatmapMode>,
    mut trails: ResMut<Trails>,
    mut history: ResMut<MetricsHistory>,
    mut swarm: MessageWriter<SwarmChanged>,
) {
    if egui_input.wants_any_keyboard_input() || keys.get_just_pressed().len() == 0 {
        return;
    }
    // A modifier counts if it is held, or was let go in this very frame (a quick chord on a
    // slow frame).
    let held =
        |modifiers: [KeyCode; 2]| keys.any_pressed(modifiers) || keys.any_just_released(modifiers);
    let command = held([KeyCode::ControlLeft, KeyCode::ControlRight])
        || held([KeyCode::SuperLeft, KeyCode::SuperRight]);
    let shift = held([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    let pressed = |key| keys.just_pressed(key);
    let (simulation, editor) = (&mut *simulation, &mut *editor);
    if command {
        if pressed(KeyCode::KeyZ) {
            undo(simulation, editor, &mut swarm, shift);
        } else if pressed(KeyCode::KeyY) {
            undo(simulation, editor, &mut swarm, true);
        } else if pressed(KeyCode::KeyS) && shift {
            choose_file(editor, Purpose::SaveScenario);
        } else if pressed(KeyCode::KeyS) {
            save_or_ask(simulation, editor);
        } else if pressed(KeyCode::KeyO) {
            choose_file(editor, Purpose::OpenScenario);
        }
        return;
    }
    if pressed(KeyCode::Space) {
        clock.paused = !clock.paused;
    }
    if pressed(KeyCode::KeyS) {
        clock.paused = true;
        clock.step_once = true;
    }
    if pressed(KeyCode::KeyR) {
        reset(simulation, editor, &mut swarm, &mut history);
    }
    for (key, shown) in [
        (KeyCode::Digit1, HeatmapMode::Target),
        (KeyCode::Digit2, HeatmapMode::Coverage),
        (KeyCode::Digit3, HeatmapMode::Difference),
    ] {
        if pressed(key) {
            *mode = shown;
        }
    }
    if pressed(KeyCode::KeyT) {
        trails.shown = !trails.shown;
    }
    if pressed(KeyCode::KeyF) {
        editor.fit_view = true;
    }
    if pressed(KeyCode::F1) {
        editor.help_open = !editor.help_open;
    }
    for (key, tool) in [
        (KeyCode::KeyV, Tool::Select),
        (KeyCode::KeyC, Tool::Circle),
        (KeyCode::KeyB, Tool::Rectangle),
        (KeyCode::KeyP, Tool::Polygon),
    ] {
        if pressed(key) {
            editor.tool = tool;
            editor.draft = None;
        }
    }
    if pressed(KeyCode::Enter) || pressed(KeyCode::NumpadEnter) {
        let min = min_size(simulation);
        finish_draft(simulation, editor, &mut swarm, min);
    }
    if pressed(KeyCode::Escape) {
        if editor.draft.is_some() {
            editor.draft = None;
        } else {
            editor.selected = None;
        }
    }
    let Some(item) = editor.selected else {
        return;
    };
    if pressed(KeyCode::Delete) || pressed(KeyCode::Backspace) {
        let edited = handles::remove(simulation.scenario(), item);
        editor.selected = None;
        apply_edit(simulation, editor, &mut swarm, edited, Record::Step);
        return;
    }
    // Arrow keys nudge the selection by 1 % of the domain (Shift: 10 %).
    let domain = &simulation.scenario().domain;
    let step = 0.01 * (domain.max.0 - domain.min.0).min(domain.max.1 - domain.min.1);
    let step = if shift { 10.0 * step } else { step };
    let shift = [
        (KeyCode::ArrowLeft, (-step, 0.0)),
        (KeyCode::ArrowRight, (step, 0.0)),
        (KeyCode::ArrowDown, (0.0, -step)),
        (KeyCode::ArrowUp, (0.0, step)),
    ]
    .into_iter()
    .filter(|(key, _)| pressed(*key))
    .fold((0.0, 0.0), |acc, (_, d)| (acc.0 + d.0, acc.1 + d.1));
    if shift != (0.0, 0.0) {
        let edited = handles::translate(simulation.scenario(), item, shift);
        apply_edit(simulation, editor, &mut swarm, edited, Record::Step);
    }
}
