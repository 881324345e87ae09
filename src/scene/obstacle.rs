//! Scenario obstacles as the solver's shapes.

use super::scenario::Obstacle;
use crate::numerics::geometry::{Ball, Cuboid, Polygon, Shape};

/// The solver shape of a scenario obstacle.
pub fn shape(obstacle: &Obstacle) -> Box<dyn Shape<2>> {
    match obstacle {
        Obstacle::Circle { center, radius } => Box::new(Ball {
            center: [center.0, center.1],
            radius: *radius,
        }),
        Obstacle::Rectangle { min, max } => Box::new(Cuboid {
            lo: [min.0, min.1],
            hi: [max.0, max.1],
        }),
        Obstacle::Polygon { vertices } => Box::new(Polygon {
            vertices: vertices.iter().map(|v| [v.0, v.1]).collect(),
        }),
    }
}

/// The solver shapes of all obstacles.
pub fn shapes(obstacles: &[Obstacle]) -> Vec<Box<dyn Shape<2>>> {
    obstacles.iter().map(shape).collect()
}
