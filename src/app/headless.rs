//! The simulation without a window: `MinimalPlugins` plus [`SimulationPlugin`], stepped by the
//! caller one update at a time (the command line's `run` and `bench`).

use bevy::prelude::*;

use super::simulation::{Simulation, SimulationPlugin};
use crate::scene::session::Session;

/// An app that simulates `session` headless; each `app.update()` takes the clock's steps.
pub fn headless_app(session: Session) -> App {
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .add_plugins(SimulationPlugin)
        .insert_resource(Simulation(session));
    app.finish();
    app.cleanup();
    app
}

/// The session inside a headless app.
pub fn session(app: &App) -> &Session {
    &app.world().resource::<Simulation>().0
}

/// The session inside a headless app, mutably.
pub fn session_mut(app: &mut App) -> &mut Session {
    &mut app.world_mut().resource_mut::<Simulation>().into_inner().0
}
