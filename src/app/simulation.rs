//! `SimulationPlugin`: every agent is an entity with a position and a velocity; each update the
//! positions are gathered into the solver's buffer, the swarm takes its steps, and the new
//! positions and velocities are written back.

use std::time::{Duration, Instant};

use bevy::prelude::*;

use crate::scene::session::Session;
use crate::scene::waypoints::Recorder;

/// An agent's index in the scenario (0-based), which is also its slot in the solver's buffers.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Agent(pub usize);

/// An agent's position (m), in double precision.
#[derive(Component, Debug, Clone, Copy, PartialEq, Default)]
pub struct Position(pub [f64; 2]);

/// An agent's velocity (m/s) at the start of the last step.
#[derive(Component, Debug, Clone, Copy, PartialEq, Default)]
pub struct Velocity(pub [f64; 2]);

/// The scenario being simulated: solver problem, swarm buffers and stepper.
#[derive(Resource, Deref, DerefMut)]
pub struct Simulation(pub Session);

/// Pause, single step and pace of the simulation.
///
/// Without a budget every update takes `steps_per_update` steps (the command line counts
/// updates). With a budget (the window) the simulation runs on its own clock: each update
/// steps until the wall-clock budget is spent or, with a `speed`, until simulated time has
/// caught up with real time × speed; a slow frame does not slow the simulation below what the
/// budget allows, and a fast one does not speed it up beyond the chosen pace.
///
/// The budget grows with the frame time, to half of it (at most [`MAX_STEP_BUDGET`]): the
/// renderer draws the previous frame on its own thread while an update steps, so when drawing
/// is slow the solver gets the time it would otherwise wait, and when the solver is the slower
/// part the frame rate settles where stepping and the rest of the update take equal shares.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct SimulationClock {
    /// Whether the simulation is paused.
    pub paused: bool,
    /// Take exactly one step at the next update, even when paused.
    pub step_once: bool,
    /// Solver steps per update when running without a budget.
    pub steps_per_update: u32,
    /// Least wall-clock time each update may spend stepping.
    pub budget: Option<Duration>,
    /// Simulated seconds per real second, or as fast as the budget allows (None).
    pub speed: Option<f64>,
    /// Simulated time the pace asks for by now (s).
    pub due: f64,
    /// Smoothed wall-clock time between updates (s).
    pub frame_period: f64,
}

/// Most wall-clock time an update spends stepping, so that the window keeps answering input.
pub const MAX_STEP_BUDGET: Duration = Duration::from_millis(100);

/// Share of the frame time the solver may take when drawing or stepping is slow.
const FRAME_SHARE: f64 = 0.5;

impl SimulationClock {
    /// Folds the last frame's duration `delta` (s) into the smoothed frame period and returns
    /// this update's stepping budget: half the frame period, at least `least`, at most
    /// [`MAX_STEP_BUDGET`] (or `least` if that is larger).
    pub fn frame_budget(&mut self, least: Duration, delta: f64) -> Duration {
        self.frame_period = match self.frame_period {
            0.0 => delta,
            smoothed => 0.9 * smoothed + 0.1 * delta,
        };
        let share =
            Duration::try_from_secs_f64(FRAME_SHARE * self.frame_period).unwrap_or(MAX_STEP_BUDGET);
        share.max(least).min(MAX_STEP_BUDGET.max(least))
    }
}

impl Default for SimulationClock {
    fn default() -> Self {
        Self {
            paused: false,
            step_once: false,
            steps_per_update: 1,
            budget: None,
            speed: None,
            due: 0.0,
            frame_period: 0.0,
        }
    }
}

/// Sent after the session's swarm was replaced or moved outside the solver (a respawn, a reset,
/// a new file, agents pushed out of a new obstacle): the agent entities are brought in line
/// before the next step.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct SwarmChanged {
    /// Whether the run started over (clock at zero): recordings restart too.
    pub restarted: bool,
}

/// How long the solver's steps take, for the panel and the window's timing report.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq)]
pub struct SimulationDiagnostics {
    /// Steps taken through the ECS since the app started.
    pub steps: u64,
    /// Wall-clock time those steps took, waypoint recording included.
    pub stepping: Duration,
}

impl SimulationDiagnostics {
    /// Mean wall-clock time per step (s) since `earlier`, or None without a step since.
    pub fn seconds_per_step_since(&self, earlier: &Self) -> Option<f64> {
        let steps = self.steps.checked_sub(earlier.steps).filter(|&n| n > 0)?;
        Some((self.stepping - earlier.stepping).as_secs_f64() / steps as f64)
    }
}

/// Waypoints being recorded, if any.
#[derive(Resource, Debug, Default)]
pub struct WaypointRecorder(pub Option<Recorder>);

/// The simulation's systems, in the order they run each update.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub enum SimulationSystems {
    /// Agent entities ← solver buffer after a [`SwarmChanged`] (runs even when paused).
    Sync,
    /// Agent components → solver buffer.
    Gather,
    /// Solver steps (and waypoint samples).
    Step,
    /// Solver buffer → agent components.
    WriteBack,
}

/// Runs the blob-method swarm as ECS entities. Needs a [`Simulation`] resource.
pub struct SimulationPlugin;

impl Plugin for SimulationPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<SimulationClock>()
            .init_resource::<WaypointRecorder>()
            .init_resource::<SimulationDiagnostics>()
            .add_message::<SwarmChanged>()
            .configure_sets(
                Update,
                (
                    SimulationSystems::Gather,
                    SimulationSystems::Step,
                    SimulationSystems::WriteBack,
                )
                    .chain()
                    .run_if(stepping),
            )
            .configure_sets(
                Update,
                SimulationSystems::Sync.before(SimulationSystems::Gather),
            )
            .add_systems(Startup, spawn_agents)
            .add_systems(
                Update,
                (
                    sync_agents.in_set(SimulationSystems::Sync),
                    gather_positions.in_set(SimulationSystems::Gather),
                    step_swarm.in_set(SimulationSystems::Step),
                    write_back.in_set(SimulationSystems::WriteBack),
                ),
            );
    }
}

/// Whether this update takes steps.
fn stepping(clock: Res<SimulationClock>) -> bool {
    !clock.paused || clock.step_once
}

/// Spawns one entity per agent of the simulation.
pub fn spawn_agents(mut commands: Commands, simulation: Res<Simulation>) {
    for (i, p) in simulation.swarm().positions().iter().enumerate() {
        commands.spawn((Agent(i), Position(*p), Velocity::default()));
    }
}

fn gather_positions(agents: Query<(&Agent, &Position)>, mut simulation: ResMut<Simulation>) {
    let buffer = simulation.swarm_mut().positions_mut();
    for (agent, position) in &agents {
        if let Some(slot) = buffer.get_mut(agent.0) {
            *slot = position.0;
        }
    }
}

/// Brings the agent entities in line with the solver's swarm after a [`SwarmChanged`]:
/// respawns them if their number changed, copies the positions otherwise.
fn sync_agents(
    mut changes: MessageReader<SwarmChanged>,
    mut commands: Commands,
    mut agents: Query<(Entity, &Agent, &mut Position, &mut Velocity)>,
    simulation: Res<Simulation>,
    mut recorder: ResMut<WaypointRecorder>,
    mut clock: ResMut<SimulationClock>,
) {
    let mut restarted = false;
    let mut changed = false;
    for change in changes.read() {
        changed = true;
        restarted |= change.restarted;
    }
    if !changed {
        return;
    }
    let positions = simulation.swarm().positions();
    if agents.iter().len() == positions.len() {
        for (_, agent, mut position, mut velocity) in &mut agents {
            copy_agent(&simulation, agent, &mut position, &mut velocity);
        }
    } else {
        for (entity, ..) in &agents {
            commands.entity(entity).despawn();
        }
        for (i, p) in positions.iter().enumerate() {
            commands.spawn((Agent(i), Position(*p), Velocity::default()));
        }
    }
    if restarted {
        clock.due = simulation.time();
        if let Some(active) = recorder.0.as_mut() {
            let interval = simulation.scenario().recording.interval;
            *active = Recorder::new(interval, simulation.time(), positions);
        }
    }
}

fn step_swarm(
    mut clock: ResMut<SimulationClock>,
    mut simulation: ResMut<Simulation>,
    mut recorder: ResMut<WaypointRecorder>,
    mut diagnostics: ResMut<SimulationDiagnostics>,
    time: Res<Time<Real>>,
) {
    let mut step = |simulation: &mut Simulation| {
        let started = Instant::now();
        simulation.step();
        if let Some(recorder) = recorder.0.as_mut() {
            recorder.record(simulation.time(), simulation.swarm().positions());
        }
        diagnostics.steps += 1;
        diagnostics.stepping += started.elapsed();
    };
    if clock.paused {
        clock.step_once = false;
        step(&mut simulation);
        clock.due = simulation.time();
        return;
    }
    let Some(budget) = clock.budget else {
        for _ in 0..clock.steps_per_update.max(1) {
            step(&mut simulation);
        }
        return;
    };
    // Simulated time due by now, at most a quarter of a real second ahead of the swarm so
    // that a pace the solver cannot keep is not followed by a burst.
    let now = simulation.time();
    clock.due = match clock.speed {
        Some(speed) => (clock.due + speed * time.delta_secs_f64()).min(now + 0.25 * speed),
        None => f64::INFINITY,
    };
    let budget = clock.frame_budget(budget, time.delta_secs_f64());
    let started = Instant::now();
    while simulation.time() < clock.due && started.elapsed() < budget {
        step(&mut simulation);
    }
    if clock.speed.is_none() {
        clock.due = simulation.time();
    }
}

fn write_back(
    mut agents: Query<(&Agent, &mut Position, &mut Velocity)>,
    simulation: Res<Simulation>,
) {
    for (agent, mut position, mut velocity) in &mut agents {
        copy_agent(&simulation, agent, &mut position, &mut velocity);
    }
}

/// Copies one agent's position and velocity from the solver to its entity.
fn copy_agent(
    simulation: &Simulation,
    agent: &Agent,
    position: &mut Position,
    velocity: &mut Velocity,
) {
    if let Some(p) = simulation.swarm().positions().get(agent.0) {
        position.0 = *p;
        velocity.0 = simulation.velocity(agent.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_follows_half_the_smoothed_frame_time_within_its_bounds() {
        let least = Duration::from_millis(10);
        let mut clock = SimulationClock::default();
        // Fast frames: the least budget.
        assert_eq!(clock.frame_budget(least, 0.016), least);
        // Frames of 80 ms from then on: the smoothed period climbs towards 80 ms.
        let mut budget = least;
        for _ in 0..200 {
            budget = clock.frame_budget(least, 0.080);
        }
        assert!((clock.frame_period - 0.080).abs() < 1e-6);
        assert!((budget.as_secs_f64() - 0.040).abs() < 1e-6, "{budget:?}");
        // Very slow frames (or a stall, or a nonsensical delta): never past the cap.
        for delta in [2.0, f64::INFINITY] {
            let mut clock = SimulationClock::default();
            assert_eq!(clock.frame_budget(least, delta), MAX_STEP_BUDGET);
        }
    }
}
