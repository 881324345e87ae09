//! Scenario obstacles as the solver's shapes.

use super::scenario::{Obstacle, Point};
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

/// The smallest axis-aligned box (min, max) containing an obstacle (m).
pub fn bounds(obstacle: &Obstacle) -> (Point, Point) {
    match obstacle {
        Obstacle::Circle { center, radius } => (
            (center.0 - radius, center.1 - radius),
            (center.0 + radius, center.1 + radius),
        ),
        Obstacle::Rectangle { min, max } => (*min, *max),
        Obstacle::Polygon { vertices } => vertices.iter().fold(
            (
                (f64::INFINITY, f64::INFINITY),
                (f64::NEG_INFINITY, f64::NEG_INFINITY),
            ),
            |(lo, hi), v| {
                (
                    (lo.0.min(v.0), lo.1.min(v.1)),
                    (hi.0.max(v.0), hi.1.max(v.1)),
                )
            },
        ),
    }
}
