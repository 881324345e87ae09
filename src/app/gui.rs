//! The interactive window: the domain with the target or coverage heatmap, the agents, and an
//! egui panel to run the simulation. It drives the same [`SimulationPlugin`] as the command line.
//!
//! NOTE: this is the first slice of the simulator window: viewing and running. Editing the
//! target and obstacles, metric plots, file dialogs and undo are still to come.

use std::path::PathBuf;

use bevy::asset::RenderAssetUsages;
use bevy::camera::ScalingMode;
use bevy::input::mouse::{AccumulatedMouseMotion, AccumulatedMouseScroll};
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::window::PrimaryWindow;
use bevy_egui::input::EguiWantsInput;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};
use egui_plot::{Line, Plot};

use super::simulation::{Position, Simulation, SimulationClock, SimulationPlugin};
use crate::scene::files::write_atomically;
use crate::scene::session::{MetricsRow, Session};

/// Width of the control panel (logical pixels).
const PANEL_WIDTH: f32 = 260.0;

/// What the heatmap shows.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeatmapMode {
    /// The target density ρ̄.
    #[default]
    Target,
    /// The swarm's coverage φ_ε∗ρᴺ.
    Coverage,
    /// Coverage minus target (red: too many agents, blue: too few).
    Difference,
}

/// Handles of the drawn things.
#[derive(Resource)]
struct Canvas {
    heatmap: Handle<Image>,
    /// The sprite showing the heatmap.
    heatmap_sprite: Entity,
    agents: Handle<Mesh>,
    /// Half the side of an agent's square (m).
    dot: f32,
}

/// Take a screenshot after some frames, then quit (`blobswarm gui --screenshot`).
#[derive(Resource, Debug, Clone)]
pub struct ScreenshotPlan {
    /// Where to write the PNG.
    pub path: PathBuf,
    /// Frames to render first.
    pub frames: u32,
    /// Frames rendered so far.
    pub elapsed: u32,
    /// Whether the screenshot was requested.
    pub requested: bool,
    /// Set once the screenshot is written (by the capture observer).
    pub saved: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// Undo history of scenario edits made in the window, and the last edit's error, if any.
#[derive(Resource, Debug, Default)]
pub struct Edits {
    /// Undo and redo stacks.
    pub history: crate::scene::history::EditHistory,
    /// Why the last edit was refused (it is then not applied).
    pub error: Option<String>,
}

/// Quality measures recorded while the swarm moves, for the plots.
#[derive(Resource, Debug, Default)]
pub struct MetricsHistory {
    /// One row per recording interval of simulated time.
    pub rows: Vec<MetricsRow>,
    /// Which measure the plot shows.
    pub shown: Measure,
}

/// A plottable quality measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// Discrete energy E_h.
    #[default]
    Energy,
    /// χ² gap.
    Chi2,
    /// L1 error of the coverage.
    L1,
    /// Lloyd coverage cost.
    CoverageCost,
    /// Smallest distance between agents.
    MinSpacing,
}

impl Measure {
    const ALL: [Self; 5] = [
        Self::Energy,
        Self::Chi2,
        Self::L1,
        Self::CoverageCost,
        Self::MinSpacing,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Energy => "energy",
            Self::Chi2 => "chi-squared gap",
            Self::L1 => "L1 error",
            Self::CoverageCost => "coverage cost (m^2)",
            Self::MinSpacing => "min spacing (m)",
        }
    }

    fn of(self, row: &MetricsRow) -> f64 {
        match self {
            Self::Energy => row.energy,
            Self::Chi2 => row.chi2,
            Self::L1 => row.l1,
            Self::CoverageCost => row.coverage_cost,
            Self::MinSpacing => row.min_spacing,
        }
    }
}

/// Most rows kept for the plots; older ones are thinned out beyond this.
const HISTORY_LIMIT: usize = 4000;

/// Steps per second, measured over the last second.
#[derive(Resource, Debug, Default)]
struct StepRate {
    window_start: f64,
    steps_at_start: u64,
    rate: f64,
}

/// The window, its canvas and its panel, on top of the simulation.
pub struct GuiPlugin;

impl Plugin for GuiPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins(SimulationPlugin)
            .add_plugins(EguiPlugin::default())
            .init_resource::<HeatmapMode>()
            .init_resource::<StepRate>()
            .init_resource::<MetricsHistory>()
            .init_resource::<Edits>()
            .insert_resource(ClearColor(Color::srgb(0.16, 0.16, 0.18)))
            .add_systems(Startup, setup_canvas)
            .add_systems(
                Update,
                (
                    draw_heatmap,
                    draw_agents,
                    draw_outlines,
                    navigate_canvas,
                    show_footprint,
                    measure_step_rate,
                    record_metrics,
                    take_screenshot,
                ),
            )
            .add_systems(EguiPrimaryContextPass, control_panel);
    }
}

/// Opens the window on `session`, optionally for a screenshot only. Returns how the app ended
/// and whether the screenshot was written.
pub fn run_window(session: Session, screenshot: Option<(PathBuf, u32)>) -> (AppExit, bool) {
    let saved = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let title = format!("blobswarm — {}", session.scenario().name);
    let mut app = App::new();
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(Window {
            title,
            resolution: (1280, 800).into(),
            ..default()
        }),
        ..default()
    }))
    .insert_resource(Simulation(session))
    .add_plugins(GuiPlugin);
    if let Some((path, frames)) = screenshot {
        app.insert_resource(ScreenshotPlan {
            path,
            frames,
            elapsed: 0,
            requested: false,
            saved: saved.clone(),
        });
    }
    let exit = app.run();
    (exit, saved.load(std::sync::atomic::Ordering::Acquire))
}

fn setup_canvas(
    mut commands: Commands,
    simulation: Res<Simulation>,
    mut images: ResMut<Assets<Image>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
) {
    let problem = simulation.problem();
    let free = problem.free_space();
    let (lo, hi) = (free.lo(), free.hi());
    let (w, h) = ((hi[0] - lo[0]) as f32, (hi[1] - lo[1]) as f32);
    let center = Vec2::new((lo[0] + hi[0]) as f32 / 2.0, (lo[1] + hi[1]) as f32 / 2.0);

    // Camera: the domain fills the window right of the panel, with a margin.
    let scaling_mode = ScalingMode::AutoMin {
        min_width: w * 1.45,
        min_height: h * 1.1,
    };
    let projection = OrthographicProjection {
        scaling_mode,
        ..OrthographicProjection::default_2d()
    };
    commands.spawn((
        Camera2d,
        Projection::Orthographic(projection),
        Transform::from_xyz(center.x - 0.2 * w, center.y, 0.0),
    ));

    // Heatmap: one texel per grid node, stretched over the grid's box.
    let grid = problem.grid();
    let mut image = Image::new_fill(
        texture_size(grid),
        TextureDimension::D2,
        &[0, 0, 0, 255],
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::default(),
    );
    image.sampler = bevy::image::ImageSampler::nearest();
    let heatmap = images.add(image);
    let (grid_center, grid_size) = grid_box(grid);
    let heatmap_sprite = commands
        .spawn((
            Sprite {
                image: heatmap.clone(),
                custom_size: Some(grid_size),
                ..default()
            },
            Transform::from_xyz(grid_center.x, grid_center.y, 0.0),
        ))
        .id();

    // Agents: one mesh of small squares, a single draw call for any number of agents.
    let agents = meshes.add(Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::default(),
    ));
    commands.spawn((
        Mesh2d(agents.clone()),
        MeshMaterial2d(materials.add(ColorMaterial::from(Color::srgb(0.95, 0.35, 0.15)))),
        Transform::from_xyz(0.0, 0.0, 1.0),
    ));
    let spacing = problem.parameters().agent_spacing as f32;
    let dot = (0.18 * spacing).clamp(0.004 * w.max(h), 0.02 * w.max(h));
    commands.insert_resource(Canvas {
        heatmap,
        heatmap_sprite,
        agents,
        dot,
    });
}

/// Colours the heatmap texture from the target, coverage or their difference.
fn draw_heatmap(
    mode: Res<HeatmapMode>,
    mut simulation: ResMut<Simulation>,
    canvas: Res<Canvas>,
    mut images: ResMut<Assets<Image>>,
    edits: Res<Edits>,
    mut sprites: Query<(&mut Sprite, &mut Transform)>,
) {
    if *mode == HeatmapMode::Target && !mode.is_changed() && !edits.is_changed() {
        return;
    }
    let Some(mut image) = images.get_mut(&canvas.heatmap) else {
        return;
    };
    let target = simulation.problem().target().to_vec();
    let coverage = match *mode {
        HeatmapMode::Target => None,
        _ => Some(simulation.coverage().to_vec()),
    };
    let problem = simulation.problem();
    let free = problem.free_space();
    let grid = problem.grid();
    let shape = grid.shape();
    // An edit can change ε and with it the grid: resize the texture and its sprite.
    let size = texture_size(grid);
    if image.texture_descriptor.size != size {
        image.resize(size);
        if let Ok((mut sprite, mut transform)) = sprites.get_mut(canvas.heatmap_sprite) {
            let (centre, size) = grid_box(grid);
            sprite.custom_size = Some(size);
            transform.translation = centre.extend(transform.translation.z);
        }
    }
    let peak = target
        .iter()
        .copied()
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let mut pixels = vec![0u8; shape[0] * shape[1] * 4];
    for (q, node) in grid.nodes().enumerate() {
        let (i, j) = (q % shape[0], q / shape[0]);
        // Texture rows run top-down, grid rows bottom-up.
        let texel = ((shape[1] - 1 - j) * shape[0] + i) * 4;
        let rgb = if !free.in_domain(&node) {
            [40, 40, 46]
        } else if !free.is_free(&node) {
            [90, 90, 96]
        } else {
            match (*mode, &coverage) {
                (HeatmapMode::Difference, Some(u)) => diverging((u[q] - target[q]) / peak),
                (HeatmapMode::Coverage, Some(u)) => sequential(u[q] / peak),
                _ => sequential(target[q] / peak),
            }
        };
        pixels[texel..texel + 4].copy_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
    }
    image.data = Some(pixels);
}

/// One texel per grid node.
fn texture_size(grid: &crate::numerics::grid::Grid<2>) -> Extent3d {
    let shape = grid.shape();
    Extent3d {
        width: shape[0] as u32,
        height: shape[1] as u32,
        depth_or_array_layers: 1,
    }
}

/// Centre and size (m) of the box a grid's cells cover, where the heatmap sprite goes.
fn grid_box(grid: &crate::numerics::grid::Grid<2>) -> (Vec2, Vec2) {
    let (lo, hi) = (grid.lo(), grid.hi());
    let centre = Vec2::new((lo[0] + hi[0]) as f32 / 2.0, (lo[1] + hi[1]) as f32 / 2.0);
    (
        centre,
        Vec2::new((hi[0] - lo[0]) as f32, (hi[1] - lo[1]) as f32),
    )
}

/// White → blue for values in [0, 1].
fn sequential(value: f64) -> [u8; 3] {
    let v = value.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * v).round() as u8;
    [mix(250.0, 30.0), mix(250.0, 90.0), mix(250.0, 170.0)]
}

/// Blue (negative) → white → red (positive) for values in [−1, 1].
fn diverging(value: f64) -> [u8; 3] {
    let v = value.clamp(-1.0, 1.0);
    let mix = |a: f64, b: f64, t: f64| (a + (b - a) * t).round() as u8;
    if v >= 0.0 {
        [
            mix(250.0, 200.0, v),
            mix(250.0, 40.0, v),
            mix(250.0, 40.0, v),
        ]
    } else {
        [
            mix(250.0, 40.0, -v),
            mix(250.0, 90.0, -v),
            mix(250.0, 200.0, -v),
        ]
    }
}

/// Outlines the domain and every obstacle as vector shapes (the heatmap shows them only at the
/// grid's resolution).
fn draw_outlines(simulation: Res<Simulation>, mut gizmos: Gizmos) {
    use crate::scene::scenario::Obstacle;
    let colour = Color::srgb(0.1, 0.1, 0.12);
    let point = |p: (f64, f64)| Vec2::new(p.0 as f32, p.1 as f32);
    let scenario = simulation.scenario();
    let (lo, hi) = (point(scenario.domain.min), point(scenario.domain.max));
    gizmos.rect_2d((lo + hi) / 2.0, hi - lo, colour);
    for obstacle in &scenario.obstacles {
        match obstacle {
            Obstacle::Circle { center, radius } => {
                gizmos.circle_2d(point(*center), *radius as f32, colour);
            }
            Obstacle::Rectangle { min, max } => {
                let (a, b) = (point(*min), point(*max));
                gizmos.rect_2d((a + b) / 2.0, b - a, colour);
            }
            Obstacle::Polygon { vertices } => {
                let ring = vertices.iter().chain(vertices.first()).map(|v| point(*v));
                gizmos.linestrip_2d(ring, colour);
            }
        }
    }
}

/// Pan with the right or middle mouse button, zoom with the wheel towards the cursor; the panel
/// keeps its own pointer input.
fn navigate_canvas(
    buttons: Res<ButtonInput<MouseButton>>,
    motion: Res<AccumulatedMouseMotion>,
    scroll: Res<AccumulatedMouseScroll>,
    egui_input: Res<EguiWantsInput>,
    window: Single<&Window, With<PrimaryWindow>>,
    mut camera: Single<(&Camera, &GlobalTransform, &mut Projection, &mut Transform)>,
) {
    if egui_input.wants_any_pointer_input() {
        return;
    }
    let (camera, global, projection, transform) = &mut *camera;
    let Projection::Orthographic(ortho) = &mut **projection else {
        return;
    };
    // World units per logical pixel: the visible area over the viewport size.
    let Some(viewport) = camera.logical_viewport_size() else {
        return;
    };
    let per_pixel = ortho.area.width() / viewport.x;
    if buttons.any_pressed([MouseButton::Right, MouseButton::Middle]) && motion.delta != Vec2::ZERO
    {
        transform.translation.x -= motion.delta.x * per_pixel;
        transform.translation.y += motion.delta.y * per_pixel;
    }
    if scroll.delta.y != 0.0 {
        let factor = 0.9f32.powf(scroll.delta.y.clamp(-2.0, 2.0));
        let cursor = window
            .cursor_position()
            .and_then(|c| camera.viewport_to_world_2d(global, c).ok());
        ortho.scale = (ortho.scale * factor).clamp(0.02, 20.0);
        // Keep the point under the cursor in place.
        if let Some(anchor) = cursor {
            let offset = anchor - transform.translation.truncate();
            transform.translation += (offset * (1.0 - factor)).extend(0.0);
        }
    }
}

/// Circles the kernel footprint ε (and the cut-off 5ε, faintly) of the agent under the mouse.
fn show_footprint(
    simulation: Res<Simulation>,
    window: Single<&Window, With<PrimaryWindow>>,
    camera: Single<(&Camera, &GlobalTransform)>,
    canvas: Res<Canvas>,
    mut gizmos: Gizmos,
) {
    let (camera, global) = *camera;
    let Some(cursor) = window
        .cursor_position()
        .and_then(|c| camera.viewport_to_world_2d(global, c).ok())
    else {
        return;
    };
    let reach = 3.0 * canvas.dot as f64;
    let nearest = simulation
        .swarm()
        .positions()
        .iter()
        .map(|p| (p, (p[0] - cursor.x as f64).hypot(p[1] - cursor.y as f64)))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((p, _)) = nearest.filter(|(_, d)| *d <= reach) {
        let centre = Vec2::new(p[0] as f32, p[1] as f32);
        let epsilon = simulation.problem().kernel().epsilon() as f32;
        gizmos.circle_2d(centre, epsilon, Color::srgb(0.95, 0.35, 0.15));
        gizmos.circle_2d(
            centre,
            simulation.problem().kernel().cutoff() as f32,
            Color::srgba(0.95, 0.35, 0.15, 0.3),
        );
    }
}

/// Rebuilds the agents' mesh: a square per agent.
fn draw_agents(agents: Query<&Position>, canvas: Res<Canvas>, mut meshes: ResMut<Assets<Mesh>>) {
    let Some(mut mesh) = meshes.get_mut(&canvas.agents) else {
        return;
    };
    let d = canvas.dot;
    let count = agents.iter().len();
    let mut positions = Vec::with_capacity(4 * count);
    let mut indices = Vec::with_capacity(6 * count);
    for (k, p) in agents.iter().enumerate() {
        let (x, y) = (p.0[0] as f32, p.0[1] as f32);
        positions.extend([
            [x - d, y - d, 0.0],
            [x + d, y - d, 0.0],
            [x + d, y + d, 0.0],
            [x - d, y + d, 0.0],
        ]);
        let base = 4 * k as u32;
        indices.extend([base, base + 1, base + 2, base, base + 2, base + 3]);
    }
    mesh.insert_attribute(Mesh::ATTRIBUTE_POSITION, positions);
    mesh.insert_indices(Indices::U32(indices));
}

/// Appends a row of quality measures every recording interval of simulated time.
fn record_metrics(mut simulation: ResMut<Simulation>, mut history: ResMut<MetricsHistory>) {
    let interval = simulation.scenario().recording.interval;
    let now = simulation.time();
    if history
        .rows
        .last()
        .is_some_and(|last| now < last.t + interval)
    {
        return;
    }
    let row = simulation.metrics();
    history.rows.push(row);
    if history.rows.len() > HISTORY_LIMIT {
        // Keep every other row of the older half.
        let half = history.rows.len() / 2;
        let older: Vec<MetricsRow> = history.rows[..half].iter().step_by(2).copied().collect();
        history.rows.splice(..half, older);
    }
}

fn measure_step_rate(time: Res<Time>, simulation: Res<Simulation>, mut rate: ResMut<StepRate>) {
    let now = time.elapsed_secs_f64();
    if now - rate.window_start >= 1.0 {
        rate.rate = (simulation.steps() - rate.steps_at_start) as f64 / (now - rate.window_start);
        rate.window_start = now;
        rate.steps_at_start = simulation.steps();
    }
}

/// The control panel: run, pause, step, reset, speed; what the heatmap shows; live numbers.
#[expect(
    clippy::too_many_arguments,
    reason = "a Bevy system's parameters are the data it reads and writes"
)]
fn control_panel(
    mut contexts: EguiContexts,
    mut clock: ResMut<SimulationClock>,
    mut mode: ResMut<HeatmapMode>,
    mut simulation: ResMut<Simulation>,
    rate: Res<StepRate>,
    mut history: ResMut<MetricsHistory>,
    mut edits: ResMut<Edits>,
    time: Res<Time<Real>>,
    mut agents: Query<(&super::simulation::Agent, &mut Position)>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    // Ctrl+Z undoes, Ctrl+Shift+Z redoes, unless a text field has the keyboard.
    let (undo, redo) = ctx.input(|i| {
        let z = i.modifiers.command && i.key_pressed(egui::Key::Z);
        (z && !i.modifiers.shift, z && i.modifiers.shift)
    });
    let mut wanted = None;
    if undo && !ctx.egui_wants_keyboard_input() {
        wanted = edits.history.undo(simulation.scenario());
    }
    if redo && !ctx.egui_wants_keyboard_input() {
        wanted = edits.history.redo(simulation.scenario());
    }
    let mut root = egui::Ui::new(
        ctx.clone(),
        "viewport".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    egui::Panel::left("controls")
        .exact_size(PANEL_WIDTH)
        .show(&mut root, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.heading(&simulation.scenario().name);
                ui.separator();
                ui.horizontal(|ui| {
                    let label = if clock.paused { "▶ Run" } else { "⏸ Pause" };
                    if ui.button(label).clicked() {
                        clock.paused = !clock.paused;
                    }
                    if ui.button("Step").clicked() {
                        clock.paused = true;
                        clock.step_once = true;
                    }
                    if ui.button("Reset").clicked() {
                        reset(&mut simulation, &mut agents);
                        history.rows.clear();
                    }
                });
                ui.add(
                    egui::Slider::new(&mut clock.steps_per_update, 1..=20).text("steps per frame"),
                );
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
                ui.separator();
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
                ui.separator();
                metrics_plot(ui, &mut history);
                ui.separator();
                ui.horizontal(|ui| {
                    ui.strong("Target");
                    if ui
                        .add_enabled(edits.history.can_undo(), egui::Button::new("Undo"))
                        .clicked()
                    {
                        wanted = edits.history.undo(simulation.scenario());
                    }
                    if ui
                        .add_enabled(edits.history.can_redo(), egui::Button::new("Redo"))
                        .clicked()
                    {
                        wanted = edits.history.redo(simulation.scenario());
                    }
                });
                let mut edited = simulation.scenario().clone();
                if super::editor::target_panel(ui, &mut edited) {
                    let before = simulation.scenario().clone();
                    edits.error = simulation.retarget(edited).err().map(|e| e.to_string());
                    if edits.error.is_none() {
                        edits.history.record(before, time.elapsed_secs_f64());
                    }
                }
                if let Some(error) = &edits.error {
                    ui.colored_label(egui::Color32::from_rgb(230, 90, 80), error);
                }
            })
        });
    if let Some(scenario) = wanted {
        edits.error = simulation.retarget(scenario).err().map(|e| e.to_string());
        edits.set_changed();
    }
    Ok(())
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

/// Puts the swarm back where the scenario starts it.
fn reset(
    simulation: &mut Simulation,
    agents: &mut Query<(&super::simulation::Agent, &mut Position)>,
) {
    let scenario = simulation.scenario().clone();
    let path = simulation.path().to_path_buf();
    let Ok(fresh) = Session::new(scenario, &path) else {
        return;
    };
    simulation.0 = fresh;
    for (agent, mut position) in agents.iter_mut() {
        if let Some(p) = simulation.swarm().positions().get(agent.0) {
            position.0 = *p;
        }
    }
}

fn take_screenshot(
    mut commands: Commands,
    plan: Option<ResMut<ScreenshotPlan>>,
    mut exit: MessageWriter<AppExit>,
) {
    let Some(mut plan) = plan else { return };
    plan.elapsed += 1;
    if plan.requested {
        // Quit once the file is written, or give up after a while.
        if plan.saved.load(std::sync::atomic::Ordering::Acquire) {
            exit.write(AppExit::Success);
        } else if plan.elapsed > plan.frames + 600 {
            error!("the screenshot was not captured");
            exit.write(AppExit::error());
        }
        return;
    }
    if plan.elapsed >= plan.frames {
        plan.requested = true;
        let path = plan.path.clone();
        let saved_flag = plan.saved.clone();
        commands.spawn(Screenshot::primary_window()).observe(
            move |captured: On<ScreenshotCaptured>| {
                let saved = captured
                    .image
                    .clone()
                    .try_into_dynamic()
                    .map_err(|e| e.to_string())
                    .and_then(|image| {
                        let mut bytes = std::io::Cursor::new(Vec::new());
                        image
                            .to_rgb8()
                            .write_to(&mut bytes, image::ImageFormat::Png)
                            .map_err(|e| e.to_string())?;
                        write_atomically(&path, |w| w.write_all(bytes.get_ref()))
                            .map_err(|e| e.to_string())
                    });
                match saved {
                    Ok(()) => saved_flag.store(true, std::sync::atomic::Ordering::Release),
                    Err(message) => {
                        error!("cannot save the screenshot {}: {message}", path.display())
                    }
                }
            },
        );
    }
}
