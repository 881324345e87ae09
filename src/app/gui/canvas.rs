//! The canvas: camera, heatmap, agents, trails, outlines with handles, and the footprint of the
//! agent under the pointer. Each system here only draws; edits happen in `pointer` and `panel`.

use std::collections::VecDeque;

use bevy::asset::RenderAssetUsages;
use bevy::camera::ScalingMode;
use bevy::input::mouse::{AccumulatedMouseMotion, AccumulatedMouseScroll};
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bevy::window::PrimaryWindow;
use bevy_egui::input::EguiWantsInput;

use super::{Editor, HeatmapMode, PanelArea};
use crate::app::simulation::{Position, Simulation, SwarmChanged};
use crate::numerics::Problem;
use crate::numerics::grid::Grid;
use crate::scene::handles::{Draft, Item, Part, handles};
use crate::scene::scenario::{Component, Obstacle, Point, Scenario};

/// Handles of the drawn things.
#[derive(Resource)]
pub struct Canvas {
    heatmap: Handle<Image>,
    /// The sprite showing the heatmap.
    heatmap_sprite: Entity,
    /// Obstacles filled at a finer resolution than the grid, over the heatmap.
    obstacles: Handle<Image>,
    /// The sprite showing them, over the domain.
    obstacles_sprite: Entity,
    agents: Handle<Mesh>,
    trails: Handle<Mesh>,
}

/// Recent positions of every agent, for the trails.
#[derive(Resource, Debug, Default)]
pub struct Trails {
    /// Whether trails are drawn.
    pub shown: bool,
    /// Positions at successive sample times, oldest first.
    samples: VecDeque<Vec<Vec2>>,
    /// Simulated time of the newest sample (s).
    last: f64,
}

/// Trail line segments drawn at most, over all agents (bounds the mesh rebuilt each frame).
const TRAIL_SEGMENTS: usize = 200_000;

/// Longest trail, in samples.
const TRAIL_SAMPLES: usize = 40;

/// Fill of the obstacles (sRGB).
const OBSTACLE_GREY: [u8; 3] = [90, 90, 96];

/// Colours of the drawing.
const AGENT: Color = Color::srgb(0.95, 0.35, 0.15);
const OUTLINE: Color = Color::srgb(0.1, 0.1, 0.12);
const COMPONENT: Color = Color::srgba(0.05, 0.45, 0.45, 0.8);
const SELECTED: Color = Color::srgb(0.95, 0.75, 0.1);
const DRAFT: Color = Color::srgb(0.85, 0.2, 0.6);

pub fn setup(
    mut commands: Commands,
    simulation: Res<Simulation>,
    mut images: ResMut<Assets<Image>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
) {
    let (projection, transform) = fitted_camera(simulation.scenario());
    commands.spawn((Camera2d, Projection::Orthographic(projection), transform));

    // Heatmap: one texel per grid node, stretched over the grid's box.
    let grid = simulation.problem().grid();
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

    // Obstacles: a transparent picture with the obstacles filled, finer than the grid.
    let mut mask = Image::new_fill(
        Extent3d::default(),
        TextureDimension::D2,
        &[0, 0, 0, 0],
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::default(),
    );
    mask.sampler = bevy::image::ImageSampler::linear();
    let obstacles = images.add(mask);
    let obstacles_sprite = commands
        .spawn((
            Sprite {
                image: obstacles.clone(),
                ..default()
            },
            Transform::from_xyz(0.0, 0.0, 0.5),
        ))
        .id();

    // Agents: one mesh of small discs, a single draw call for any number of agents; the
    // trails likewise as one mesh of line segments. Neither mesh is ever left empty: the
    // renderer's mesh allocator reports an error for every upload of an empty mesh.
    let agents = meshes.add(placeholder(PrimitiveTopology::TriangleList));
    commands.spawn((
        Mesh2d(agents.clone()),
        MeshMaterial2d(materials.add(ColorMaterial::from(AGENT))),
        Transform::from_xyz(0.0, 0.0, 2.0),
    ));
    let trails = meshes.add(placeholder(PrimitiveTopology::LineList));
    commands.spawn((
        Mesh2d(trails.clone()),
        MeshMaterial2d(materials.add(ColorMaterial::from(Color::srgba(0.6, 0.2, 0.1, 0.5)))),
        Transform::from_xyz(0.0, 0.0, 1.0),
    ));
    commands.insert_resource(Canvas {
        heatmap,
        heatmap_sprite,
        obstacles,
        obstacles_sprite,
        agents,
        trails,
    });
}

/// A camera showing the whole domain right of the panel, with a margin.
fn fitted_camera(scenario: &Scenario) -> (OrthographicProjection, Transform) {
    let (lo, hi) = (scenario.domain.min, scenario.domain.max);
    let (w, h) = ((hi.0 - lo.0) as f32, (hi.1 - lo.1) as f32);
    let centre = Vec2::new((lo.0 + hi.0) as f32 / 2.0, (lo.1 + hi.1) as f32 / 2.0);
    let projection = OrthographicProjection {
        scaling_mode: ScalingMode::AutoMin {
            min_width: w * 1.5,
            min_height: h * 1.1,
        },
        ..OrthographicProjection::default_2d()
    };
    (
        projection,
        Transform::from_xyz(centre.x - 0.22 * w, centre.y, 0.0),
    )
}

/// Refits the camera to the domain when asked (F, or a newly opened file).
pub fn fit_view(
    mut editor: ResMut<Editor>,
    simulation: Res<Simulation>,
    mut camera: Single<(&mut Projection, &mut Transform), With<Camera2d>>,
) {
    if !editor.fit_view {
        return;
    }
    editor.fit_view = false;
    let (projection, transform) = fitted_camera(simulation.scenario());
    *camera.0 = Projection::Orthographic(projection);
    *camera.1 = transform;
}
/// What a heatmap texture was drawn from.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Showing {
    mode: HeatmapMode,
    /// The edit revision.
    revision: u64,
    /// For the views of the swarm, its step count and time (as bits).
    swarm: Option<(u64, u64)>,
}

/// What the heatmap system remembers between frames.
#[derive(Debug, Default)]
pub struct HeatmapCache {
    /// What the texture shows now; it is redrawn only when this changes.
    drawn: Option<Showing>,
    /// The problem `sources` belong to.
    problem: Option<u64>,
    /// For every node, the node whose value its cell shows (see `display_sources`).
    sources: Vec<usize>,
}

/// Colours the heatmap texture from the target, coverage or their difference.
pub fn draw_heatmap(
    mode: Res<HeatmapMode>,
    mut simulation: ResMut<Simulation>,
    canvas: Res<Canvas>,
    mut images: ResMut<Assets<Image>>,
    editor: Res<Editor>,
    mut cache: Local<HeatmapCache>,
    mut sprites: Query<(&mut Sprite, &mut Transform)>,
) {
    let swarm =
        (*mode != HeatmapMode::Target).then(|| (simulation.steps(), simulation.time().to_bits()));
    let showing = Some(Showing {
        mode: *mode,
        revision: editor.revision,
        swarm,
    });
    if cache.drawn == showing {
        return;
    }
    cache.drawn = showing;
    let Some(mut image) = images.get_mut(&canvas.heatmap) else {
        return;
    };
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
    // The target view shows the target as painted; coverage is compared with the target the
    // controller steers to (smoothed, and folded out of obstacles like the coverage).
    let (target, painted) = (problem.target(), problem.painted_target());
    let peak_of = |field: &[f64]| field.iter().copied().fold(f64::MIN_POSITIVE, f64::max);
    let peak = peak_of(target);
    let painted_peak = peak_of(painted);
    if cache.problem != Some(problem.id()) {
        cache.problem = Some(problem.id());
        cache.sources = display_sources(problem);
    }
    let mut pixels = vec![0u8; shape[0] * shape[1] * 4];
    for (node, (cell, &q)) in grid.nodes().zip(cache.sources.iter().enumerate()) {
        let (i, j) = (cell % shape[0], cell / shape[0]);
        // Texture rows run top-down, grid rows bottom-up.
        let texel = ((shape[1] - 1 - j) * shape[0] + i) * 4;
        // Obstacles are filled by `draw_obstacles`, over this.
        let rgb = if !free.in_domain(&node) {
            [40, 40, 46]
        } else {
            match (*mode, &coverage) {
                (HeatmapMode::Difference, Some(u)) => diverging((u[q] - target[q]) / peak),
                (HeatmapMode::Coverage, Some(u)) => sequential(u[q] / peak),
                _ => sequential(painted[q] / painted_peak),
            }
        };
        pixels[texel..texel + 4].copy_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
    }
    image.data = Some(pixels);
}

/// Longest side of the obstacle picture (pixels).
const OBSTACLE_PIXELS: u32 = 1024;

/// Fills the obstacles into their picture after every edit: each pixel inside an obstacle is
/// grey, the rest transparent, so the obstacles show sharper than the grid's cells.
pub fn draw_obstacles(
    simulation: Res<Simulation>,
    canvas: Res<Canvas>,
    editor: Res<Editor>,
    mut images: ResMut<Assets<Image>>,
    mut drawn: Local<Option<u64>>,
    mut sprites: Query<(&mut Sprite, &mut Transform)>,
) {
    if *drawn == Some(editor.revision) {
        return;
    }
    *drawn = Some(editor.revision);
    let Some(mut image) = images.get_mut(&canvas.obstacles) else {
        return;
    };
    let scenario = simulation.scenario();
    let (lo, hi) = (scenario.domain.min, scenario.domain.max);
    let (w, h) = (hi.0 - lo.0, hi.1 - lo.1);
    let pixel = w.max(h) / f64::from(OBSTACLE_PIXELS);
    let size = Extent3d {
        width: ((w / pixel).round() as u32).max(1),
        height: ((h / pixel).round() as u32).max(1),
        depth_or_array_layers: 1,
    };
    let (columns, rows) = (size.width as usize, size.height as usize);
    let mut pixels = vec![0u8; columns * rows * 4];
    for obstacle in &scenario.obstacles {
        let shape = crate::scene::obstacle::shape(obstacle);
        let (min, max) = crate::scene::obstacle::bounds(obstacle);
        // Only the pixels of the obstacle's bounding box need a test.
        let index = |x: f64, n: usize| ((x / pixel).floor().max(0.0) as usize).min(n);
        let (i0, i1) = (
            index(min.0 - lo.0, columns),
            index(max.0 - lo.0 + pixel, columns),
        );
        let (j0, j1) = (index(min.1 - lo.1, rows), index(max.1 - lo.1 + pixel, rows));
        for j in j0..j1 {
            let y = lo.1 + (j as f64 + 0.5) * pixel;
            for i in i0..i1 {
                let x = lo.0 + (i as f64 + 0.5) * pixel;
                if shape.contains(&[x, y]) {
                    // Picture rows run top-down.
                    let texel = ((rows - 1 - j) * columns + i) * 4;
                    pixels[texel..texel + 4].copy_from_slice(&[
                        OBSTACLE_GREY[0],
                        OBSTACLE_GREY[1],
                        OBSTACLE_GREY[2],
                        255,
                    ]);
                }
            }
        }
    }
    if image.texture_descriptor.size != size {
        image.resize(size);
    }
    image.data = Some(pixels);
    if let Ok((mut sprite, mut transform)) = sprites.get_mut(canvas.obstacles_sprite) {
        sprite.custom_size = Some(Vec2::new(w as f32, h as f32));
        let centre = Vec2::new((lo.0 + hi.0) as f32 / 2.0, (lo.1 + hi.1) as f32 / 2.0);
        transform.translation = centre.extend(transform.translation.z);
    }
}

/// For every grid node, the node whose value its heatmap cell shows: itself, or for a node
/// inside an obstacle a free neighbour, so that cells the obstacle only partly covers do not
/// show the field's zero inside it around the obstacle's sharp fill.
fn display_sources(problem: &Problem<2>) -> Vec<usize> {
    let (grid, free) = (problem.grid(), problem.free_space());
    let [nx, ny] = grid.shape();
    let blocked: Vec<bool> = grid
        .nodes()
        .map(|x| free.in_domain(&x) && !free.is_free(&x))
        .collect();
    // Edge neighbours first, then corners.
    const AROUND: [(isize, isize); 8] = [
        (1, 0),
        (-1, 0),
        (0, 1),
        (0, -1),
        (1, 1),
        (-1, 1),
        (1, -1),
        (-1, -1),
    ];
    (0..nx * ny)
        .map(|q| {
            if !blocked[q] {
                return q;
            }
            let (i, j) = ((q % nx) as isize, (q / nx) as isize);
            AROUND
                .iter()
                .map(|(di, dj)| (i + di, j + dj))
                .filter(|&(a, b)| a >= 0 && b >= 0 && (a as usize) < nx && (b as usize) < ny)
                .map(|(a, b)| b as usize * nx + a as usize)
                .find(|&n| !blocked[n])
                .unwrap_or(q)
        })
        .collect()
}

/// One texel per grid node.
fn texture_size(grid: &Grid<2>) -> Extent3d {
    let shape = grid.shape();
    Extent3d {
        width: shape[0] as u32,
        height: shape[1] as u32,
        depth_or_array_layers: 1,
    }
}

/// Centre and size (m) of the box a grid's cells cover, where the heatmap sprite goes.
fn grid_box(grid: &Grid<2>) -> (Vec2, Vec2) {
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

/// Whether the pointer is over the control panel or an egui window (the help, a file dialog)
/// rather than over the canvas. The panel is drawn on egui's background layer, which egui does
/// not count as its own area, hence its width is checked here.
pub fn pointer_over_ui(window: &Window, egui_input: &EguiWantsInput, panel: &PanelArea) -> bool {
    let over_panel = window.cursor_position().is_some_and(|c| c.x <= panel.right);
    over_panel || egui_input.wants_any_pointer_input()
}

/// Pan with the right or middle mouse button, zoom with the wheel towards the cursor; the panel
/// keeps its own pointer input.
pub fn navigate(
    buttons: Res<ButtonInput<MouseButton>>,
    motion: Res<AccumulatedMouseMotion>,
    scroll: Res<AccumulatedMouseScroll>,
    egui_input: Res<EguiWantsInput>,
    panel: Res<PanelArea>,
    window: Single<&Window, With<PrimaryWindow>>,
    mut camera: Single<(&Camera, &GlobalTransform, &mut Projection, &mut Transform)>,
) {
    if pointer_over_ui(&window, &egui_input, &panel) {
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
pub fn show_footprint(
    simulation: Res<Simulation>,
    egui_input: Res<EguiWantsInput>,
    panel: Res<PanelArea>,
    window: Single<&Window, With<PrimaryWindow>>,
    camera: Single<(&Camera, &GlobalTransform)>,
    mut gizmos: Gizmos,
) {
    if pointer_over_ui(&window, &egui_input, &panel) {
        return;
    }
    let (camera, global) = *camera;
    let Some(cursor) = window
        .cursor_position()
        .and_then(|c| camera.viewport_to_world_2d(global, c).ok())
    else {
        return;
    };
    let reach = 3.0 * dot_size(simulation.problem()) as f64;
    let nearest = simulation
        .swarm()
        .positions()
        .iter()
        .map(|p| (p, (p[0] - cursor.x as f64).hypot(p[1] - cursor.y as f64)))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((p, _)) = nearest.filter(|(_, d)| *d <= reach) {
        let centre = Vec2::new(p[0] as f32, p[1] as f32);
        let epsilon = simulation.problem().kernel().epsilon() as f32;
        gizmos.circle_2d(centre, epsilon, AGENT);
        gizmos.circle_2d(
            centre,
            simulation.problem().kernel().cutoff() as f32,
            Color::srgba(0.95, 0.35, 0.15, 0.3),
        );
    }
}

/// Radius of an agent's dot (m): about a fifth of the agents' spacing, within limits set by
/// the domain's size so that dots stay visible and apart.
fn dot_size(problem: &Problem<2>) -> f32 {
    let free = problem.free_space();
    let (lo, hi) = (free.lo(), free.hi());
    let size = (hi[0] - lo[0]).max(hi[1] - lo[1]) as f32;
    let spacing = problem.parameters().agent_spacing as f32;
    (0.18 * spacing).clamp(0.003 * size, 0.02 * size)
}

/// A mesh of one degenerate primitive at the origin, drawn as nothing.
fn placeholder(topology: PrimitiveTopology) -> Mesh {
    let corners = match topology {
        PrimitiveTopology::LineList => 2,
        _ => 3,
    };
    Mesh::new(topology, RenderAssetUsages::default())
        .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, vec![[0.0f32; 3]; corners])
}

/// Corners of the polygon drawn for an agent's dot.
const DOT_SIDES: u32 = 8;

/// Rebuilds the agents' mesh: a small disc (an octagon) per agent.
pub fn draw_agents(
    agents: Query<&Position>,
    simulation: Res<Simulation>,
    canvas: Res<Canvas>,
    mut meshes: ResMut<Assets<Mesh>>,
) {
    let Some(mut mesh) = meshes.get_mut(&canvas.agents) else {
        return;
    };
    let radius = dot_size(simulation.problem());
    let rim: Vec<Vec2> = (0..DOT_SIDES)
        .map(|k| radius * Vec2::from_angle(std::f32::consts::TAU * k as f32 / DOT_SIDES as f32))
        .collect();
    let count = agents.iter().len();
    let per_dot = DOT_SIDES as usize + 1;
    let mut positions = Vec::with_capacity(per_dot * count);
    let mut indices = Vec::with_capacity(3 * DOT_SIDES as usize * count);
    for (k, p) in agents.iter().enumerate() {
        let centre = Vec2::new(p.0[0] as f32, p.0[1] as f32);
        positions.push(centre.extend(0.0).to_array());
        positions.extend(rim.iter().map(|r| (centre + *r).extend(0.0).to_array()));
        // A fan of triangles around the centre.
        let base = (per_dot * k) as u32;
        for side in 0..DOT_SIDES {
            let next = (side + 1) % DOT_SIDES;
            indices.extend([base, base + 1 + side, base + 1 + next]);
        }
    }
    if positions.is_empty() {
        *mesh = placeholder(PrimitiveTopology::TriangleList);
        return;
    }
    mesh.insert_attribute(Mesh::ATTRIBUTE_POSITION, positions);
    mesh.insert_indices(Indices::U32(indices));
}

/// Samples the agents' positions every recording interval of simulated time and draws each
/// agent's recent path as line segments of one mesh.
pub fn draw_trails(
    mut trails: ResMut<Trails>,
    mut changes: MessageReader<SwarmChanged>,
    simulation: Res<Simulation>,
    canvas: Res<Canvas>,
    mut meshes: ResMut<Assets<Mesh>>,
) {
    let now = simulation.time();
    let positions = simulation.swarm().positions();
    let restarted = changes.read().any(|c| c.restarted);
    let count_changed = trails
        .samples
        .back()
        .is_some_and(|last| last.len() != positions.len());
    if !trails.shown || restarted || count_changed || now < trails.last {
        trails.samples.clear();
    }
    if trails.shown
        && (trails.samples.is_empty()
            || now >= trails.last + simulation.scenario().recording.interval)
    {
        let limit = (TRAIL_SEGMENTS / positions.len().max(1)).clamp(1, TRAIL_SAMPLES) + 1;
        while trails.samples.len() >= limit {
            trails.samples.pop_front();
        }
        let sample = positions
            .iter()
            .map(|p| Vec2::new(p[0] as f32, p[1] as f32))
            .collect();
        trails.samples.push_back(sample);
        trails.last = now;
    }
    let Some(mut mesh) = meshes.get_mut(&canvas.trails) else {
        return;
    };
    let mut vertices: Vec<[f32; 3]> = Vec::new();
    if trails.shown {
        // Each consecutive pair of samples, then the newest sample to the current position.
        let current: Vec<Vec2> = positions
            .iter()
            .map(|p| Vec2::new(p[0] as f32, p[1] as f32))
            .collect();
        let mut previous: Option<&Vec<Vec2>> = None;
        for sample in trails.samples.iter().chain(std::iter::once(&current)) {
            if let Some(before) = previous {
                for (a, b) in before.iter().zip(sample) {
                    vertices.push([a.x, a.y, 0.0]);
                    vertices.push([b.x, b.y, 0.0]);
                }
            }
            previous = Some(sample);
        }
    }
    if vertices.is_empty() {
        vertices.resize(2, [0.0; 3]);
    }
    mesh.insert_attribute(Mesh::ATTRIBUTE_POSITION, vertices);
}

/// Outlines the domain, the obstacles and the target components as vector shapes (the heatmap
/// shows them only at the grid's resolution), the handles of the selected shape, and the
/// obstacle being drawn.
pub fn draw_outlines(
    simulation: Res<Simulation>,
    editor: Res<Editor>,
    camera: Single<(&Camera, &Projection)>,
    mut gizmos: Gizmos,
) {
    let scenario = simulation.scenario();
    let (lo, hi) = (vec(scenario.domain.min), vec(scenario.domain.max));
    gizmos.rect_2d((lo + hi) / 2.0, hi - lo, OUTLINE);
    for (i, obstacle) in scenario.obstacles.iter().enumerate() {
        let colour = if editor.selected == Some(Item::Obstacle(i)) {
            SELECTED
        } else {
            OUTLINE
        };
        outline_obstacle(&mut gizmos, obstacle, colour);
    }
    for (i, component) in scenario.target.components.iter().enumerate() {
        let colour = if editor.selected == Some(Item::Component(i)) {
            SELECTED
        } else {
            COMPONENT
        };
        outline_component(&mut gizmos, component, colour);
    }
    // Handles: the centre of every shape, and every handle of the selected one.
    let (camera, projection) = *camera;
    let pixel = pixel_size(camera, projection);
    for handle in handles(scenario) {
        let selected = editor.selected == Some(handle.item);
        if selected {
            gizmos.rect_2d(vec(handle.at), Vec2::splat(8.0 * pixel), SELECTED);
        } else if handle.part == Part::Centre {
            let colour = match handle.item {
                Item::Component(_) => COMPONENT,
                Item::Obstacle(_) => OUTLINE,
            };
            gizmos.circle_2d(vec(handle.at), 3.0 * pixel, colour);
        }
    }
    if let Some(draft) = &editor.draft {
        outline_draft(&mut gizmos, draft, pixel);
    }
}

/// World units (m) per logical pixel.
pub fn pixel_size(camera: &Camera, projection: &Projection) -> f32 {
    match (projection, camera.logical_viewport_size()) {
        (Projection::Orthographic(ortho), Some(viewport)) if viewport.x > 0.0 => {
            ortho.area.width() / viewport.x
        }
        _ => 0.01,
    }
}

fn vec(p: Point) -> Vec2 {
    Vec2::new(p.0 as f32, p.1 as f32)
}

fn outline_obstacle(gizmos: &mut Gizmos, obstacle: &Obstacle, colour: Color) {
    match obstacle {
        Obstacle::Circle { center, radius } => {
            gizmos.circle_2d(vec(*center), *radius as f32, colour);
        }
        Obstacle::Rectangle { min, max } => {
            let (a, b) = (vec(*min), vec(*max));
            gizmos.rect_2d((a + b) / 2.0, b - a, colour);
        }
        Obstacle::Polygon { vertices } => {
            let ring = vertices.iter().chain(vertices.first()).map(|v| vec(*v));
            gizmos.linestrip_2d(ring, colour);
        }
    }
}

fn outline_component(gizmos: &mut Gizmos, component: &Component, colour: Color) {
    match component {
        Component::Gaussian {
            center,
            sigma,
            angle,
            ..
        } => {
            let iso = Isometry2d::new(vec(*center), Rot2::degrees(*angle as f32));
            gizmos.ellipse_2d(iso, vec(*sigma), colour);
            gizmos.ellipse_2d(iso, 2.0 * vec(*sigma), colour.with_alpha(0.35));
        }
        Component::Disk { center, radius, .. } => {
            gizmos.circle_2d(vec(*center), *radius as f32, colour);
        }
        Component::Ring {
            center,
            radius,
            width,
            ..
        } => {
            gizmos.circle_2d(vec(*center), *radius as f32, colour);
            gizmos.circle_2d(
                vec(*center),
                (radius + width) as f32,
                colour.with_alpha(0.35),
            );
            if width < radius {
                gizmos.circle_2d(
                    vec(*center),
                    (radius - width) as f32,
                    colour.with_alpha(0.35),
                );
            }
        }
        Component::Rectangle { min, max, .. } | Component::Image { min, max, .. } => {
            let (a, b) = (vec(*min), vec(*max));
            gizmos.rect_2d((a + b) / 2.0, b - a, colour);
        }
        Component::Polygon { vertices, .. } => {
            let ring = vertices.iter().chain(vertices.first()).map(|v| vec(*v));
            gizmos.linestrip_2d(ring, colour);
        }
    }
}

fn outline_draft(gizmos: &mut Gizmos, draft: &Draft, pixel: f32) {
    match draft {
        Draft::Circle { center, rim } => {
            let radius = vec(*center).distance(vec(*rim));
            gizmos.circle_2d(vec(*center), radius, DRAFT);
        }
        Draft::Rectangle { from, to } => {
            let (a, b) = (vec(*from), vec(*to));
            gizmos.rect_2d((a + b) / 2.0, (b - a).abs(), DRAFT);
        }
        Draft::Polygon { vertices, next } => {
            let placed = vertices
                .iter()
                .chain(std::iter::once(next))
                .map(|v| vec(*v));
            gizmos.linestrip_2d(placed, DRAFT);
            if let Some(first) = vertices.first() {
                // The first vertex, where a click closes the polygon.
                gizmos.circle_2d(vec(*first), 6.0 * pixel, DRAFT);
            }
        }
    }
}
