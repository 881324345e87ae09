//! `SimulationPlugin`: every agent is an entity with a position and a velocity; each update the
//! positions are gathered into the solver's buffer, the swarm takes its steps, and the new
//! positions and velocities are written back.

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

/// Pause, single step and speed of the simulation, independent of rendering.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct SimulationClock {
    /// Whether the simulation is paused.
    pub paused: bool,
    /// Take exactly one step at the next update, even when paused.
    pub step_once: bool,
    /// Solver steps per update when running.
    pub steps_per_update: u32,
}

impl Default for SimulationClock {
    fn default() -> Self {
        Self {
            paused: false,
            step_once: false,
            steps_per_update: 1,
        }
    }
}

/// Waypoints being recorded, if any.
#[derive(Resource, Debug, Default)]
pub struct WaypointRecorder(pub Option<Recorder>);

/// The simulation's systems, in the order they run each update.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub enum SimulationSystems {
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
            .add_systems(Startup, spawn_agents)
            .add_systems(
                Update,
                (
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

fn step_swarm(
    mut clock: ResMut<SimulationClock>,
    mut simulation: ResMut<Simulation>,
    mut recorder: ResMut<WaypointRecorder>,
) {
    let steps = if clock.paused {
        1
    } else {
        clock.steps_per_update.max(1)
    };
    clock.step_once = false;
    for _ in 0..steps {
        simulation.step();
        if let Some(recorder) = recorder.0.as_mut() {
            recorder.record(simulation.time(), simulation.swarm().positions());
        }
    }
}

fn write_back(
    mut agents: Query<(&Agent, &mut Position, &mut Velocity)>,
    simulation: Res<Simulation>,
) {
    let positions = simulation.swarm().positions();
    for (agent, mut position, mut velocity) in &mut agents {
        if let Some(p) = positions.get(agent.0) {
            position.0 = *p;
            velocity.0 = simulation.velocity(agent.0);
        }
    }
}
