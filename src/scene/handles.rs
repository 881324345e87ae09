//! Direct manipulation of a scenario's shapes: the handles a canvas shows on target components
//! and obstacles, what dragging one does, and obstacles drawn from pointer gestures. Plain data
//! in, plain data out, so the canvas code stays thin and all of this is tested without a window.

use super::scenario::{Component, Obstacle, Point, Scenario};

/// A shape of the scenario that the canvas can select.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    /// `target.components[i]`.
    Component(usize),
    /// `obstacles[i]`.
    Obstacle(usize),
}

/// The part of a shape a handle controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// Moves the whole shape.
    Centre,
    /// A disk's, ring's or circle's radius.
    Radius,
    /// A ring's width (the handle sits at radius + width).
    Width,
    /// A Gaussian's first axis: its length is σx and its direction the angle.
    SigmaX,
    /// A Gaussian's second axis: its length is σy and its direction the angle + 90°.
    SigmaY,
    /// A rectangle's or picture's corner, counter-clockwise from the lower-left (0..4).
    Corner(usize),
    /// A polygon's vertex.
    Vertex(usize),
}

/// A draggable point on the canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Handle {
    /// The shape it belongs to.
    pub item: Item,
    /// What it controls.
    pub part: Part,
    /// Where it is (m).
    pub at: Point,
}

/// Every handle of every target component and obstacle, components first.
pub fn handles(scenario: &Scenario) -> Vec<Handle> {
    let mut all = Vec::new();
    for (i, component) in scenario.target.components.iter().enumerate() {
        let item = Item::Component(i);
        let mut add = |part, at| all.push(Handle { item, part, at });
        match component {
            Component::Gaussian {
                center,
                sigma,
                angle,
                ..
            } => {
                let (c, s) = (angle.to_radians().cos(), angle.to_radians().sin());
                add(Part::Centre, *center);
                add(Part::SigmaX, offset(*center, (sigma.0 * c, sigma.0 * s)));
                add(Part::SigmaY, offset(*center, (-sigma.1 * s, sigma.1 * c)));
            }
            Component::Disk { center, radius, .. } => {
                add(Part::Centre, *center);
                add(Part::Radius, offset(*center, (*radius, 0.0)));
            }
            Component::Ring {
                center,
                radius,
                width,
                ..
            } => {
                add(Part::Centre, *center);
                add(Part::Radius, offset(*center, (*radius, 0.0)));
                add(Part::Width, offset(*center, (radius + width, 0.0)));
            }
            Component::Rectangle { min, max, .. } | Component::Image { min, max, .. } => {
                add(Part::Centre, midpoint(*min, *max));
                for (k, corner) in corners(*min, *max).into_iter().enumerate() {
                    add(Part::Corner(k), corner);
                }
            }
            Component::Polygon { vertices, .. } => {
                add(Part::Centre, centroid(vertices));
                for (k, v) in vertices.iter().enumerate() {
                    add(Part::Vertex(k), *v);
                }
            }
        }
    }
    for (i, obstacle) in scenario.obstacles.iter().enumerate() {
        let item = Item::Obstacle(i);
        let mut add = |part, at| all.push(Handle { item, part, at });
        match obstacle {
            Obstacle::Circle { center, radius } => {
                add(Part::Centre, *center);
                add(Part::Radius, offset(*center, (*radius, 0.0)));
            }
            Obstacle::Rectangle { min, max } => {
                add(Part::Centre, midpoint(*min, *max));
                for (k, corner) in corners(*min, *max).into_iter().enumerate() {
                    add(Part::Corner(k), corner);
                }
            }
            Obstacle::Polygon { vertices } => {
                add(Part::Centre, centroid(vertices));
                for (k, v) in vertices.iter().enumerate() {
                    add(Part::Vertex(k), *v);
                }
            }
        }
    }
    all
}

/// The handle nearest to `p` within `reach` (m), if any.
pub fn pick(handles: &[Handle], p: Point, reach: f64) -> Option<Handle> {
    handles
        .iter()
        .map(|h| (h, distance(h.at, p)))
        .filter(|(_, d)| *d <= reach)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(h, _)| *h)
}

/// The obstacle containing `p`, the last one drawn first, if any.
pub fn obstacle_at(scenario: &Scenario, p: Point) -> Option<Item> {
    let point = [p.0, p.1];
    (0..scenario.obstacles.len())
        .rev()
        .find(|&i| super::obstacle::shape(&scenario.obstacles[i]).contains(&point))
        .map(Item::Obstacle)
}

/// The scenario after dragging `handle` (as it was in `scenario`) from `start` to `now` (m).
/// Lengths stay at least `min_size` (m) and rectangles keep min below max, so a drag never
/// produces an invalid shape.
pub fn drag(
    scenario: &Scenario,
    handle: &Handle,
    start: Point,
    now: Point,
    min_size: f64,
) -> Scenario {
    let mut edited = scenario.clone();
    let shift = (now.0 - start.0, now.1 - start.1);
    // The handle's new position.
    let to = offset(handle.at, shift);
    match handle.item {
        Item::Component(i) => {
            if let Some(component) = edited.target.components.get_mut(i) {
                drag_component(component, handle.part, shift, to, min_size);
            }
        }
        Item::Obstacle(i) => {
            if let Some(obstacle) = edited.obstacles.get_mut(i) {
                drag_obstacle(obstacle, handle.part, shift, to, min_size);
            }
        }
    }
    edited
}

fn drag_component(component: &mut Component, part: Part, shift: Point, to: Point, min: f64) {
    match component {
        Component::Gaussian {
            center,
            sigma,
            angle,
            ..
        } => match part {
            Part::Centre => *center = offset(*center, shift),
            Part::SigmaX => {
                sigma.0 = distance(*center, to).max(min);
                *angle = direction(*center, to, *angle);
            }
            Part::SigmaY => {
                sigma.1 = distance(*center, to).max(min);
                *angle = direction(*center, to, *angle + 90.0) - 90.0;
            }
            _ => {}
        },
        Component::Disk { center, radius, .. } => {
            move_round(center, radius, None, part, shift, to, min);
        }
        Component::Ring {
            center,
            radius,
            width,
            ..
        } => move_round(center, radius, Some(width), part, shift, to, min),
        Component::Rectangle {
            min: lo, max: hi, ..
        }
        | Component::Image {
            min: lo, max: hi, ..
        } => move_box(lo, hi, part, shift, to, min),
        Component::Polygon { vertices, .. } => move_polygon(vertices, part, shift, to),
    }
}

fn drag_obstacle(obstacle: &mut Obstacle, part: Part, shift: Point, to: Point, min: f64) {
    match obstacle {
        Obstacle::Circle { center, radius } => {
            move_round(center, radius, None, part, shift, to, min)
        }
        Obstacle::Rectangle { min: lo, max: hi } => move_box(lo, hi, part, shift, to, min),
        Obstacle::Polygon { vertices } => move_polygon(vertices, part, shift, to),
    }
}

/// Disks, rings and circles: move the centre, or set the radius (or the ring's width) from the
/// distance of the dragged handle to the centre.
fn move_round(
    center: &mut Point,
    radius: &mut f64,
    width: Option<&mut f64>,
    part: Part,
    shift: Point,
    to: Point,
    min: f64,
) {
    match part {
        Part::Centre => *center = offset(*center, shift),
        Part::Radius => *radius = distance(*center, to).max(min),
        Part::Width => {
            if let Some(width) = width {
                *width = (distance(*center, to) - *radius).max(min);
            }
        }
        _ => {}
    }
}

/// Rectangles: move the whole box, or one corner (the opposite corner stays; the box is kept
/// at least `min` wide and high).
fn move_box(lo: &mut Point, hi: &mut Point, part: Part, shift: Point, to: Point, min: f64) {
    match part {
        Part::Centre => {
            *lo = offset(*lo, shift);
            *hi = offset(*hi, shift);
        }
        Part::Corner(k) => {
            // Corners 0..4 counter-clockwise from the lower-left: 0 and 3 are on the left,
            // 0 and 1 at the bottom.
            let (left, bottom) = (k == 0 || k == 3, k == 0 || k == 1);
            if left {
                lo.0 = to.0.min(hi.0 - min);
            } else {
                hi.0 = to.0.max(lo.0 + min);
            }
            if bottom {
                lo.1 = to.1.min(hi.1 - min);
            } else {
                hi.1 = to.1.max(lo.1 + min);
            }
        }
        _ => {}
    }
}

fn move_polygon(vertices: &mut [Point], part: Part, shift: Point, to: Point) {
    match part {
        Part::Centre => vertices.iter_mut().for_each(|v| *v = offset(*v, shift)),
        Part::Vertex(k) => {
            if let Some(v) = vertices.get_mut(k) {
                *v = to;
            }
        }
        _ => {}
    }
}

/// The grid (m) that pointer gestures snap to: a power of ten near a thousandth of the
/// domain's smaller side (1 cm for a 10 m arena), fine enough for any placement by hand.
pub fn snap_step(scenario: &Scenario) -> f64 {
    let (lo, hi) = (scenario.domain.min, scenario.domain.max);
    let size = (hi.0 - lo.0).min(hi.1 - lo.1);
    10f64.powf((size / 1000.0).log10().round())
}

/// The scenario with every coordinate and length of `item` rounded to a multiple of `step`
/// (m), lengths to at least one step, and a Gaussian's angle to 0.1°: what pointer gestures
/// store, free of the screen's rounding noise.
pub fn snap(scenario: &Scenario, item: Item, step: f64) -> Scenario {
    let mut edited = scenario.clone();
    let at = |x: f64| (x / step).round() * step;
    let point = |p: &mut Point| *p = (at(p.0), at(p.1));
    let length = |x: &mut f64| *x = (*x / step).round().max(1.0) * step;
    let corners = |lo: &mut Point, hi: &mut Point| {
        point(lo);
        point(hi);
        hi.0 = hi.0.max(lo.0 + step);
        hi.1 = hi.1.max(lo.1 + step);
    };
    match item {
        Item::Component(i) => match edited.target.components.get_mut(i) {
            Some(Component::Gaussian {
                center,
                sigma,
                angle,
                ..
            }) => {
                point(center);
                length(&mut sigma.0);
                length(&mut sigma.1);
                *angle = (*angle * 10.0).round() / 10.0;
            }
            Some(Component::Disk { center, radius, .. }) => {
                point(center);
                length(radius);
            }
            Some(Component::Ring {
                center,
                radius,
                width,
                ..
            }) => {
                point(center);
                length(radius);
                length(width);
            }
            Some(Component::Rectangle { min, max, .. } | Component::Image { min, max, .. }) => {
                corners(min, max)
            }
            Some(Component::Polygon { vertices, .. }) => vertices.iter_mut().for_each(point),
            None => {}
        },
        Item::Obstacle(i) => match edited.obstacles.get_mut(i) {
            Some(Obstacle::Circle { center, radius }) => {
                point(center);
                length(radius);
            }
            Some(Obstacle::Rectangle { min, max }) => corners(min, max),
            Some(Obstacle::Polygon { vertices }) => vertices.iter_mut().for_each(point),
            None => {}
        },
    }
    edited
}

/// Moves a whole item by `shift` (m), e.g. for arrow keys.
pub fn translate(scenario: &Scenario, item: Item, shift: Point) -> Scenario {
    let centre = handles(scenario)
        .into_iter()
        .find(|h| h.item == item && h.part == Part::Centre);
    match centre {
        Some(handle) => drag(scenario, &handle, (0.0, 0.0), shift, 0.0),
        None => scenario.clone(),
    }
}

/// The scenario without `item`.
pub fn remove(scenario: &Scenario, item: Item) -> Scenario {
    let mut edited = scenario.clone();
    match item {
        Item::Component(i) if i < edited.target.components.len() => {
            edited.target.components.remove(i);
        }
        Item::Obstacle(i) if i < edited.obstacles.len() => {
            edited.obstacles.remove(i);
        }
        _ => {}
    }
    edited
}

/// An obstacle being drawn on the canvas.
#[derive(Debug, Clone, PartialEq)]
pub enum Draft {
    /// A circle from its centre to a point on its rim.
    Circle {
        /// Centre (m).
        center: Point,
        /// A point on the rim (m).
        rim: Point,
    },
    /// A rectangle between two opposite corners.
    Rectangle {
        /// First corner (m).
        from: Point,
        /// Opposite corner (m).
        to: Point,
    },
    /// A polygon's vertices so far, and where the next one would go.
    Polygon {
        /// Placed vertices (m).
        vertices: Vec<Point>,
        /// The pointer (m).
        next: Point,
    },
}

impl Draft {
    /// The obstacle drawn, or None if it is smaller than `min_size` (m) or a polygon with fewer
    /// than 3 vertices.
    pub fn obstacle(&self, min_size: f64) -> Option<Obstacle> {
        match self {
            Self::Circle { center, rim } => {
                let radius = distance(*center, *rim);
                (radius >= min_size).then_some(Obstacle::Circle {
                    center: *center,
                    radius,
                })
            }
            Self::Rectangle { from, to } => {
                let min = (from.0.min(to.0), from.1.min(to.1));
                let max = (from.0.max(to.0), from.1.max(to.1));
                (max.0 - min.0 >= min_size && max.1 - min.1 >= min_size)
                    .then_some(Obstacle::Rectangle { min, max })
            }
            Self::Polygon { vertices, .. } => (vertices.len() >= 3).then(|| Obstacle::Polygon {
                vertices: vertices.clone(),
            }),
        }
    }
}

fn offset(p: Point, d: Point) -> Point {
    (p.0 + d.0, p.1 + d.1)
}

fn midpoint(a: Point, b: Point) -> Point {
    ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
}

fn distance(a: Point, b: Point) -> f64 {
    (b.0 - a.0).hypot(b.1 - a.1)
}

/// The direction from `from` to `to` in degrees, or `fallback` when they coincide.
fn direction(from: Point, to: Point, fallback: f64) -> f64 {
    let d = (to.0 - from.0, to.1 - from.1);
    if d.0 == 0.0 && d.1 == 0.0 {
        fallback
    } else {
        d.1.atan2(d.0).to_degrees()
    }
}

fn corners(min: Point, max: Point) -> [Point; 4] {
    [min, (max.0, min.1), max, (min.0, max.1)]
}

/// The vertices' mean: a handle position inside most polygons people draw.
fn centroid(vertices: &[Point]) -> Point {
    let n = vertices.len().max(1) as f64;
    let (x, y) = vertices
        .iter()
        .fold((0.0, 0.0), |acc, v| (acc.0 + v.0, acc.1 + v.1));
    (x / n, y / n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::scenario::DEFAULT_SCENARIO;

    fn scenario() -> Scenario {
        let mut scenario =
            Scenario::from_ron(DEFAULT_SCENARIO, std::path::Path::new("default")).unwrap();
        scenario.target.components = vec![
            Component::Gaussian {
                weight: 1.0,
                center: (1.0, 1.0),
                sigma: (0.2, 0.1),
                angle: 30.0,
            },
            Component::Rectangle {
                weight: 1.0,
                min: (0.0, 0.0),
                max: (1.0, 2.0),
            },
        ];
        scenario.obstacles = vec![
            Obstacle::Circle {
                center: (3.0, 3.0),
                radius: 0.5,
            },
            Obstacle::Polygon {
                vertices: vec![(0.0, 3.0), (1.0, 3.0), (0.5, 4.0)],
            },
        ];
        scenario
    }

    fn handle(scenario: &Scenario, item: Item, part: Part) -> Handle {
        *handles(scenario)
            .iter()
            .find(|h| h.item == item && h.part == part)
            .expect("the handle exists")
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn gaussian_axis_handles_sit_at_one_sigma_along_the_rotated_axes() {
        let s = scenario();
        let x = handle(&s, Item::Component(0), Part::SigmaX).at;
        let y = handle(&s, Item::Component(0), Part::SigmaY).at;
        let (c, n) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
        assert!(close(x.0, 1.0 + 0.2 * c) && close(x.1, 1.0 + 0.2 * n));
        assert!(close(y.0, 1.0 - 0.1 * n) && close(y.1, 1.0 + 0.1 * c));
    }

    #[test]
    fn dragging_a_gaussian_axis_sets_its_width_and_angle() {
        let s = scenario();
        let h = handle(&s, Item::Component(0), Part::SigmaX);
        // Drag the σx handle to straight above the centre, 0.5 m away.
        let edited = drag(&s, &h, h.at, (1.0, 1.5), 0.01);
        let Component::Gaussian { sigma, angle, .. } = edited.target.components[0] else {
            panic!("still a Gaussian")
        };
        assert!(close(sigma.0, 0.5) && close(sigma.1, 0.1) && close(angle, 90.0));

        let h = handle(&s, Item::Component(0), Part::SigmaY);
        // σy's handle to the left of the centre: the y axis points left, so the angle is 90°.
        let edited = drag(&s, &h, h.at, (0.7, 1.0), 0.01);
        let Component::Gaussian { sigma, angle, .. } = edited.target.components[0] else {
            panic!("still a Gaussian")
        };
        assert!(close(sigma.1, 0.3) && close(sigma.0, 0.2) && close(angle, 90.0));
    }

    #[test]
    fn dragging_a_centre_moves_the_shape_by_the_pointer_motion() {
        let s = scenario();
        let h = handle(&s, Item::Obstacle(1), Part::Centre);
        let edited = drag(&s, &h, (5.0, 5.0), (5.5, 4.0), 0.01);
        let Obstacle::Polygon { vertices } = &edited.obstacles[1] else {
            panic!("still a polygon")
        };
        assert_eq!(vertices, &vec![(0.5, 2.0), (1.5, 2.0), (1.0, 3.0)]);
        // Nothing else changed.
        assert_eq!(edited.obstacles[0], s.obstacles[0]);
        assert_eq!(edited.target, s.target);
    }

    #[test]
    fn dragging_a_corner_keeps_the_opposite_corner_and_a_valid_box() {
        let s = scenario();
        let h = handle(&s, Item::Component(1), Part::Corner(2));
        let edited = drag(&s, &h, h.at, (1.5, 2.5), 0.01);
        let Component::Rectangle { min, max, .. } = edited.target.components[1] else {
            panic!("still a rectangle")
        };
        assert_eq!((min, max), ((0.0, 0.0), (1.5, 2.5)));
        // Dragged past the opposite corner: the box stays min_size wide and high.
        let edited = drag(&s, &h, h.at, (-3.0, -3.0), 0.01);
        let Component::Rectangle { min, max, .. } = edited.target.components[1] else {
            panic!("still a rectangle")
        };
        assert_eq!(min, (0.0, 0.0));
        assert!(close(max.0, 0.01) && close(max.1, 0.01));
    }

    #[test]
    fn dragging_a_radius_handle_sets_the_radius_and_never_below_the_minimum() {
        let s = scenario();
        let h = handle(&s, Item::Obstacle(0), Part::Radius);
        let edited = drag(&s, &h, h.at, (3.0, 4.0), 0.01);
        assert_eq!(
            edited.obstacles[0],
            Obstacle::Circle {
                center: (3.0, 3.0),
                radius: 1.0
            }
        );
        let edited = drag(&s, &h, h.at, (3.0, 3.0), 0.01);
        assert_eq!(
            edited.obstacles[0],
            Obstacle::Circle {
                center: (3.0, 3.0),
                radius: 0.01
            }
        );
    }

    #[test]
    fn picking_takes_the_nearest_handle_within_reach() {
        let s = scenario();
        let all = handles(&s);
        let picked = pick(&all, (3.49, 3.0), 0.05).expect("the radius handle is near");
        assert_eq!(
            (picked.item, picked.part),
            (Item::Obstacle(0), Part::Radius)
        );
        assert!(pick(&all, (2.0, 2.5), 0.05).is_none());
        assert_eq!(obstacle_at(&s, (3.2, 3.1)), Some(Item::Obstacle(0)));
        assert_eq!(obstacle_at(&s, (2.0, 2.0)), None);
    }

    #[test]
    fn drafts_become_obstacles_unless_degenerate() {
        let circle = Draft::Circle {
            center: (1.0, 1.0),
            rim: (1.0, 1.5),
        };
        assert_eq!(
            circle.obstacle(0.01),
            Some(Obstacle::Circle {
                center: (1.0, 1.0),
                radius: 0.5
            })
        );
        let rectangle = Draft::Rectangle {
            from: (2.0, 1.0),
            to: (1.0, 3.0),
        };
        assert_eq!(
            rectangle.obstacle(0.01),
            Some(Obstacle::Rectangle {
                min: (1.0, 1.0),
                max: (2.0, 3.0)
            })
        );
        let click = Draft::Rectangle {
            from: (2.0, 1.0),
            to: (2.001, 1.0),
        };
        assert_eq!(click.obstacle(0.01), None);
        let two = Draft::Polygon {
            vertices: vec![(0.0, 0.0), (1.0, 0.0)],
            next: (1.0, 1.0),
        };
        assert_eq!(two.obstacle(0.01), None);
    }

    #[test]
    fn removing_an_item_leaves_the_others() {
        let s = scenario();
        let edited = remove(&s, Item::Obstacle(0));
        assert_eq!(edited.obstacles, s.obstacles[1..].to_vec());
        let edited = remove(&s, Item::Component(0));
        assert_eq!(edited.target.components, s.target.components[1..].to_vec());
        assert_eq!(remove(&s, Item::Obstacle(9)), s);
    }

    #[test]
    fn snapping_rounds_to_the_step_and_keeps_shapes_valid() {
        let mut s = scenario();
        // 8 m is the smaller side of the built-in arena: 1 cm steps; 0.5 m: 1 mm steps.
        assert!(close(snap_step(&s), 0.01));
        let mut small = s.clone();
        small.domain.max = (0.5, 0.5);
        assert!(close(snap_step(&small), 1e-3));
        s.obstacles[0] = Obstacle::Circle {
            center: (3.004_000_4, 2.995_999_7),
            radius: 0.000_4,
        };
        s.obstacles[1] = Obstacle::Rectangle {
            min: (1.0, 1.0),
            max: (1.003, 1.5),
        };
        let snapped = snap(&snap(&s, Item::Obstacle(0), 0.01), Item::Obstacle(1), 0.01);
        let Obstacle::Circle { center, radius } = snapped.obstacles[0] else {
            panic!("still a circle")
        };
        assert!(close(center.0, 3.0) && close(center.1, 3.0) && close(radius, 0.01));
        let Obstacle::Rectangle { min, max } = snapped.obstacles[1] else {
            panic!("still a rectangle")
        };
        assert!(close(min.0, 1.0) && close(max.0, 1.01) && close(max.1, 1.5));
        // Other items are left alone.
        assert_eq!(snapped.target, s.target);
    }
}
