//! The editing panels driven without a window (egui_kittest finds widgets by their labels
//! through AccessKit, clicks them and types into them): each test changes the scenario through
//! the panel and checks the scenario changed exactly as expected.

use std::path::{Path, PathBuf};

use bevy_egui::egui;
use blobswarm::app::panels::{
    FileAction, ImageForm, Tool, controller_panel, file_panel, obstacle_panel, picture_component,
    target_panel, undo_bar,
};
use blobswarm::scene::history::EditHistory;
use blobswarm::scene::scenario::{Component, DEFAULT_SCENARIO, Obstacle, Scenario};
use blobswarm::scene::session::Session;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn scenario() -> Scenario {
    Scenario::from_ron(DEFAULT_SCENARIO, Path::new("<built-in>")).unwrap()
}

/// What the window keeps between frames: the scenario and its undo history.
struct Editing {
    scenario: Scenario,
    history: EditHistory,
    tool: Tool,
}

impl Editing {
    fn new() -> Self {
        Self {
            scenario: scenario(),
            history: EditHistory::default(),
            tool: Tool::Select,
        }
    }
}

/// The undo bar, as the window wires it: a click replaces the scenario.
fn undo_buttons(ui: &mut egui::Ui, state: &mut Editing) {
    if let Some(previous) = undo_bar(ui, &mut state.history, &state.scenario) {
        state.scenario = previous;
    }
}

/// The obstacle panel, as the window wires it: the panel edits a copy, and a change is recorded
/// as an undo step of its own and becomes the scenario.
fn obstacles(ui: &mut egui::Ui, state: &mut Editing) {
    let mut edited = state.scenario.clone();
    if obstacle_panel(ui, &mut edited, &mut state.tool, None) {
        state.history.record_step(state.scenario.clone());
        state.scenario = edited;
    }
}

/// The target panel, as the window wires it: edits less than half a second apart (a slider
/// drag) merge into one undo step.
fn target(ui: &mut egui::Ui, state: &mut Editing) {
    let now = ui.input(|i| i.time);
    let mut edited = state.scenario.clone();
    if target_panel(ui, &mut edited, None, &mut ImageForm::default()) {
        state.history.record(state.scenario.clone(), now);
        state.scenario = edited;
    }
}

fn obstacles_and_undo(ui: &mut egui::Ui, state: &mut Editing) {
    undo_buttons(ui, state);
    obstacles(ui, state);
}

fn target_obstacles_and_undo(ui: &mut egui::Ui, state: &mut Editing) {
    undo_buttons(ui, state);
    target(ui, state);
    obstacles(ui, state);
}

/// The weight of target component `i`, a Gaussian in the built-in scenario.
fn gaussian_weight(s: &Scenario, i: usize) -> f64 {
    match &s.target.components[i] {
        Component::Gaussian { weight, .. } => *weight,
        other => panic!("expected a Gaussian, got {other:?}"),
    }
}

/// Opens the first component and moves its weight slider up with the keyboard.
fn nudge_first_weight<State>(harness: &mut Harness<'_, State>) {
    harness.get_by_label("1. Gaussian").click();
    harness.run();
    let slider = harness.get_by_role_and_label(egui::accesskit::Role::Slider, "weight");
    slider.focus();
    harness.run();
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
}

#[test]
fn adding_an_obstacle_then_undo_and_redo() {
    let mut harness = Harness::new_ui_state(obstacles_and_undo, Editing::new());
    assert!(harness.state().scenario.obstacles.is_empty());

    harness.get_by_label("Add circle").click();
    harness.run();
    let domain = scenario().domain;
    let centre = (
        (domain.min.0 + domain.max.0) / 2.0,
        (domain.min.1 + domain.max.1) / 2.0,
    );
    match harness.state().scenario.obstacles.as_slice() {
        [Obstacle::Circle { center, radius }] => {
            assert_eq!(*center, centre);
            assert!(*radius > 0.0);
        }
        other => panic!("expected one circle, got {other:?}"),
    }
    harness.get_by_label("Add rectangle").click();
    harness.run();
    assert_eq!(harness.state().scenario.obstacles.len(), 2);

    harness.get_by_label("Undo").click();
    harness.run();
    assert_eq!(harness.state().scenario.obstacles.len(), 1);
    harness.get_by_label("Undo").click();
    harness.run();
    assert_eq!(harness.state().scenario, scenario());
    harness.get_by_label("Redo").click();
    harness.run();
    assert_eq!(harness.state().scenario.obstacles.len(), 1);
}

#[test]
fn change_a_weight_add_an_obstacle_undo_both() {
    let mut harness = Harness::new_ui_state(target_obstacles_and_undo, Editing::new());
    nudge_first_weight(&mut harness);
    let weighted = harness.state().scenario.clone();
    assert!(gaussian_weight(&weighted, 0) > gaussian_weight(&scenario(), 0));

    harness.get_by_label("Add circle").click();
    harness.run();
    assert_eq!(harness.state().scenario.obstacles.len(), 1);
    assert_eq!(
        harness.state().scenario.target,
        weighted.target,
        "adding an obstacle left the target alone"
    );

    // Undo takes away the obstacle and keeps the new weight; a second undo restores it.
    harness.get_by_label("Undo").click();
    harness.run();
    assert_eq!(harness.state().scenario, weighted);
    harness.get_by_label("Undo").click();
    harness.run();
    assert_eq!(harness.state().scenario, scenario());
}

#[test]
fn choosing_a_drawing_tool() {
    let mut harness = Harness::new_ui_state(obstacles_and_undo, Editing::new());
    harness.get_by_label("Polygon").click();
    harness.run();
    assert_eq!(harness.state().tool, Tool::Polygon);
    assert_eq!(harness.state().scenario, scenario());
}

#[test]
fn the_weight_slider_changes_only_that_weight() {
    let mut harness = Harness::new_ui_state(
        |ui, scenario: &mut Scenario| {
            target_panel(ui, scenario, None, &mut ImageForm::default());
        },
        scenario(),
    );
    nudge_first_weight(&mut harness);
    let before = scenario();
    let after = harness.state().clone();
    let (was, is) = (gaussian_weight(&before, 0), gaussian_weight(&after, 0));
    assert!(is > was, "{was} → {is}");
    for i in 1..before.target.components.len() {
        assert_eq!(after.target.components[i], before.target.components[i]);
    }
    assert_eq!(after.target.background, before.target.background);
}

#[test]
fn removing_and_duplicating_components() {
    let mut harness = Harness::new_ui_state(
        |ui, scenario: &mut Scenario| {
            target_panel(ui, scenario, None, &mut ImageForm::default());
        },
        scenario(),
    );
    let count = scenario().target.components.len();
    harness.get_by_label("1. Gaussian").click();
    harness.run();
    harness.get_by_label("Duplicate").click();
    harness.run();
    let components = &harness.state().target.components;
    assert_eq!(components.len(), count + 1);
    assert_eq!(components[0], components[1]);
    harness.get_by_label("Remove").click();
    harness.run();
    assert_eq!(
        harness.state().target.components,
        scenario().target.components
    );
}

#[test]
fn add_picture_asks_for_a_file_and_the_picture_covers_the_domain() {
    let mut harness = Harness::new_ui_state(
        |ui, (scenario, form): &mut (Scenario, ImageForm)| {
            target_panel(ui, scenario, None, form);
        },
        (scenario(), ImageForm::default()),
    );
    harness.get_by_label("dark pixels dense").click();
    harness.run();
    harness.get_by_label("Add picture…").click();
    harness.run();
    let (unchanged, form) = harness.state();
    assert_eq!(unchanged, &scenario());
    assert!(form.browse && form.invert);

    // What the window adds once the file is chosen.
    let base = scenario();
    match picture_component(&base, PathBuf::from("assets/heart.png"), true) {
        Component::Image {
            weight,
            path,
            min,
            max,
            invert,
        } => {
            assert_eq!(path, PathBuf::from("assets/heart.png"));
            assert_eq!((min, max), (base.domain.min, base.domain.max));
            assert!(weight > 0.0 && invert);
        }
        other => panic!("expected a picture, got {other:?}"),
    }
}

#[test]
fn switching_epsilon_to_manual_starts_from_the_value_in_use() {
    let base = scenario();
    let session = Session::new(base.clone(), Path::new("<built-in>")).unwrap();
    let in_use = session.problem().parameters().clone();
    let mut harness = Harness::new_ui_state(
        move |ui, scenario: &mut Scenario| {
            controller_panel(ui, scenario, &in_use);
        },
        base.clone(),
    );
    harness.get_by_label("automatic epsilon").click();
    harness.run();
    let epsilon = session.problem().parameters().epsilon;
    assert_eq!(harness.state().controller.epsilon, Some(epsilon));
    let mut expected = base.clone();
    expected.controller.epsilon = Some(epsilon);
    assert_eq!(harness.state(), &expected);

    // The built-in scenario limits the speed: unticking lifts the limit, ticking sets one.
    assert!(base.agents.max_speed.is_some());
    harness.get_by_label("max speed").click();
    harness.run();
    assert_eq!(harness.state().agents.max_speed, None);
    harness.get_by_label("max speed").click();
    harness.run();
    assert!(harness.state().agents.max_speed.is_some_and(|v| v > 0.0));
}

#[test]
fn the_file_panel_asks_for_what_was_clicked() {
    let run = |file: Option<&'static Path>, label: &str| {
        let mut harness = Harness::new_ui_state(
            move |ui, action: &mut Option<FileAction>| {
                if let Some(clicked) = file_panel(ui, file, true, "3 per agent") {
                    *action = Some(clicked);
                }
            },
            None,
        );
        assert!(harness.query_by_label_contains("unsaved changes").is_some());
        harness.get_by_label(label).click();
        harness.run();
        harness.state().clone()
    };
    let file = Some(Path::new("scenarios/ring.ron"));
    assert_eq!(run(file, "Save"), Some(FileAction::Save));
    assert_eq!(run(file, "Save as…"), Some(FileAction::SaveAs));
    assert_eq!(run(file, "Open…"), Some(FileAction::Open));
    assert_eq!(
        run(file, "Export waypoints…"),
        Some(FileAction::ExportWaypoints)
    );
    // The built-in scenario has no file to save to: Save is disabled.
    assert_eq!(run(None, "Save"), None);
}

#[test]
fn polygon_vertices_are_added_and_removed_by_number() {
    let mut start = scenario();
    let triangle = vec![(1.0, 1.0), (3.0, 1.0), (2.0, 3.0)];
    start.obstacles = vec![Obstacle::Polygon {
        vertices: triangle.clone(),
    }];
    let mut harness = Harness::new_ui_state(
        |ui, scenario: &mut Scenario| {
            obstacle_panel(ui, scenario, &mut Tool::Select, None);
        },
        start,
    );
    let vertices = |h: &Harness<'_, Scenario>| match &h.state().obstacles[0] {
        Obstacle::Polygon { vertices } => vertices.clone(),
        other => panic!("expected a polygon, got {other:?}"),
    };
    harness.get_by_label("1. polygon").click();
    harness.run();
    // "+" on the first vertex adds the midpoint of the first edge after it.
    harness.get_all_by_label("+").next().unwrap().click();
    harness.run();
    assert_eq!(
        vertices(&harness),
        vec![(1.0, 1.0), (2.0, 1.0), (3.0, 1.0), (2.0, 3.0)]
    );
    harness.get_all_by_label("−").nth(1).unwrap().click();
    harness.run();
    assert_eq!(vertices(&harness), triangle);
    // A triangle keeps its three vertices.
    harness.get_all_by_label("−").next().unwrap().click();
    harness.run();
    assert_eq!(vertices(&harness), triangle);
}
