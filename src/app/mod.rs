//! The Bevy layer: agents as ECS entities driven by the solver. Systems here only move data
//! between components and the engine-free [`crate::scene::session::Session`]; every formula
//! lives in [`crate::numerics`].

pub mod gui;
pub mod headless;
pub mod panels;
pub mod simulation;

pub use simulation::{
    Agent, Position, Simulation, SimulationClock, SimulationDiagnostics, SimulationPlugin,
    SimulationSystems, SwarmChanged, Velocity, WaypointRecorder,
};
