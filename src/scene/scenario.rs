//! The scenario file: a RON description of the arena, the swarm, the target and the controller.
//!
//! Lengths are in metres, times in seconds, speeds in metres per second, angles in degrees.
//! Optional fields may be left out (their defaults are documented on each field) and optional
//! values are written bare (`epsilon: 0.3`, not `Some(0.3)`). Unknown fields are errors.

use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use serde::{Deserialize, Serialize};

use super::error::SceneError;

/// The built-in default scenario (a Gaussian mixture), embedded in the binary.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/gaussian-mixture.ron");

/// A point or vector (x, y) in metres.
pub type Point = (f64, f64);

/// A whole scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name, copied into exported waypoints.
    pub name: String,
    /// The arena: an axis-aligned box.
    pub domain: Domain,
    /// The swarm.
    pub agents: Agents,
    /// The density the swarm should match.
    pub target: Target,
    /// Obstacles (default: none).
    #[serde(default)]
    pub obstacles: Vec<Obstacle>,
    /// Controller settings (default: all automatic).
    #[serde(default)]
    pub controller: Controller,
    /// Waypoint recording (default: every 0.1 s).
    #[serde(default)]
    pub recording: Recording,
}

/// The arena [min, max] (metres).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// Lower-left corner (m).
    pub min: Point,
    /// Upper-right corner (m).
    pub max: Point,
}

/// The swarm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agents {
    /// Number of agents, at least 1.
    pub count: usize,
    /// Initial placement.
    pub placement: Placement,
    /// Relative agent masses (one per agent, positive), or equal masses when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masses: Option<Vec<f64>>,
    /// Maximum speed of every agent (m/s), or no limit when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_speed: Option<f64>,
    /// Seed of the random placement (default 0).
    #[serde(default)]
    pub seed: u64,
}

/// Where the agents start. Random placements draw only free points (outside obstacles);
/// grid and explicit points inside an obstacle are moved to the nearest free point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Placement {
    /// Uniformly at random in the rectangle [min, max] (m).
    Uniform {
        /// Lower-left corner (m).
        min: Point,
        /// Upper-right corner (m).
        max: Point,
    },
    /// Uniformly at random in a disk (m).
    Cluster {
        /// Centre (m).
        center: Point,
        /// Radius (m), positive.
        radius: f64,
    },
    /// On a regular grid filling the rectangle [min, max] (m), rows of ⌈√(count·w/h)⌉ agents.
    Grid {
        /// Lower-left corner (m).
        min: Point,
        /// Upper-right corner (m).
        max: Point,
    },
    /// Exactly these points (m); their number must equal `count`.
    Points(Vec<Point>),
}

/// The target density: a background plus weighted components. Each component is a probability
/// density (it integrates to 1), so weights are shares of the swarm: a component of weight 2
/// draws twice as many agents as one of weight 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Weight of a uniform density over the whole domain (default 0).
    #[serde(default)]
    pub background: f64,
    /// The components.
    #[serde(default)]
    pub components: Vec<Component>,
}

/// One target component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Component {
    /// Anisotropic Gaussian with standard deviations `sigma` (m) along axes rotated by `angle`.
    Gaussian {
        /// Share of the swarm, at least 0.
        weight: f64,
        /// Centre (m).
        center: Point,
        /// Standard deviations (m) along the rotated x and y axes, positive.
        sigma: Point,
        /// Rotation (degrees, counter-clockwise; default 0).
        #[serde(default)]
        angle: f64,
    },
    /// Uniform density on a disk.
    Disk {
        /// Share of the swarm, at least 0.
        weight: f64,
        /// Centre (m).
        center: Point,
        /// Radius (m), positive.
        radius: f64,
    },
    /// A ring: Gaussian profile of standard deviation `width` across a circle of `radius`.
    Ring {
        /// Share of the swarm, at least 0.
        weight: f64,
        /// Centre (m).
        center: Point,
        /// Radius of the circle (m), positive.
        radius: f64,
        /// Standard deviation across the circle (m), positive.
        width: f64,
    },
    /// Uniform density on the rectangle [min, max].
    Rectangle {
        /// Share of the swarm, at least 0.
        weight: f64,
        /// Lower-left corner (m).
        min: Point,
        /// Upper-right corner (m).
        max: Point,
    },
    /// Uniform density inside a simple polygon (convex or not).
    Polygon {
        /// Share of the swarm, at least 0.
        weight: f64,
        /// At least 3 vertices (m), in order, edges not crossing.
        vertices: Vec<Point>,
    },
    /// A greyscale picture (PNG or JPEG) stretched over the rectangle [min, max]: bright pixels
    /// are dense, or dark ones with `invert`.
    Image {
        /// Share of the swarm, at least 0.
        weight: f64,
        /// Image file, relative to the scenario file's folder.
        path: PathBuf,
        /// Lower-left corner of the picture (m).
        min: Point,
        /// Upper-right corner of the picture (m).
        max: Point,
        /// Dark pixels dense instead of bright ones (default false).
        #[serde(default)]
        invert: bool,
    },
}

/// An obstacle: agents never enter it and the target is zero inside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Obstacle {
    /// A disk.
    Circle {
        /// Centre (m).
        center: Point,
        /// Radius (m), positive.
        radius: f64,
    },
    /// An axis-aligned rectangle.
    Rectangle {
        /// Lower-left corner (m).
        min: Point,
        /// Upper-right corner (m).
        max: Point,
    },
    /// A simple polygon, convex or not.
    Polygon {
        /// At least 3 vertices (m), in order, edges not crossing.
        vertices: Vec<Point>,
    },
}

/// How the integral in the controller is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum EvaluatorChoice {
    /// Direct quadrature, O(N·M): the slow reference.
    Direct,
    /// Truncated separable stencil, O(N·S) (default).
    #[default]
    Stencil,
}

/// How the arena's walls act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Walls {
    /// Exact no-flux walls by mirror images (default).
    #[default]
    Mirror,
    /// Walls enforced by the confinement potential and projection only.
    Open,
}

/// Controller settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Controller {
    /// Kernel width ε, the agents' footprint (m); automatic (2.5 × agent spacing) when left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epsilon: Option<f64>,
    /// Quadrature grid spacing (m); automatic (ε/3) when left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grid_spacing: Option<f64>,
    /// Floor on the target as a fraction of its mean density (default 0.05), positive.
    pub floor: f64,
    /// Target density assumed inside obstacles when charging blob tails that reach into them,
    /// as a fraction of the mean target density (default 0.25), positive. Lower values make
    /// obstacles repel agents (and narrow gaps become barriers); higher values draw agents
    /// onto obstacle boundaries.
    pub obstacle_floor: f64,
    /// Confinement strength κ·ε² pushing agents out of obstacles (default 10), at least 0.
    pub confinement: f64,
    /// Evaluator (default `Stencil`).
    pub evaluator: EvaluatorChoice,
    /// Walls (default `Mirror`).
    pub walls: Walls,
    /// Controller gain (m²/s, default 1): scales every agent's velocity, so it sets how fast
    /// the swarm moves in seconds.
    pub gain: f64,
    /// Largest move of any agent in one step, in units of ε (default 0.2), positive.
    pub max_step: f64,
    /// Steer the coverage φ_ε∗ρᴺ towards the target blurred by the same kernel (default true),
    /// so that the agents themselves spread like the target even where it has sharp edges or
    /// features narrower than ε. With false the coverage is steered to the target itself, as in
    /// the plain blob method, and agents crowd into lines along sharp edges and thin features.
    pub smooth_target: bool,
}

impl Default for Controller {
    fn default() -> Self {
        Self {
            epsilon: None,
            grid_spacing: None,
            floor: 0.05,
            obstacle_floor: 0.25,
            confinement: 10.0,
            evaluator: EvaluatorChoice::Stencil,
            walls: Walls::Mirror,
            gain: 1.0,
            max_step: 0.2,
            smooth_target: true,
        }
    }
}

/// Waypoint recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Recording {
    /// Time between waypoints (s, default 0.1), positive.
    pub interval: f64,
}

impl Default for Recording {
    fn default() -> Self {
        Self { interval: 0.1 }
    }
}

/// RON options: bare optional values (`epsilon: 0.3`).
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

impl Scenario {
    /// Parses and validates a scenario from RON text; `path` names it in errors and anchors
    /// relative image paths.
    ///
    /// # Errors
    ///
    /// [`SceneError::Syntax`] with line and column for malformed RON, unknown or missing fields;
    /// [`SceneError::Invalid`] naming the field for values out of range.
    pub fn from_ron(text: &str, path: &Path) -> Result<Self, SceneError> {
        let scenario: Self = ron_options()
            .from_str(text)
            .map_err(|e| SceneError::syntax(path, e))?;
        scenario.validate(path)?;
        Ok(scenario)
    }

    /// Reads, parses and validates a scenario file.
    ///
    /// # Errors
    ///
    /// [`SceneError::Read`] if the file cannot be read, then as [`Scenario::from_ron`].
    pub fn load(path: &Path) -> Result<Self, SceneError> {
        Self::from_ron(&super::files::read_text(path)?, path)
    }

    /// The scenario as pretty RON text.
    pub fn to_ron(&self) -> String {
        let pretty = ron::ser::PrettyConfig::new().extensions(Extensions::IMPLICIT_SOME);
        ron_options()
            .to_string_pretty(self, pretty)
            .expect("a scenario always serialises")
    }

    /// Checks every value; the first problem found is returned.
    ///
    /// # Errors
    ///
    /// [`SceneError::Invalid`] naming the field path, the value and what is allowed.
    pub fn validate(&self, path: &Path) -> Result<(), SceneError> {
        let check = Checker { path };
        check.corners("domain", self.domain.min, self.domain.max)?;
        self.validate_agents(&check)?;
        self.validate_target(&check)?;
        for (i, obstacle) in self.obstacles.iter().enumerate() {
            let field = format!("obstacles[{i}]");
            match obstacle {
                Obstacle::Circle { center, radius } => {
                    check.point(&format!("{field}.center"), *center)?;
                    check.positive(&format!("{field}.radius"), *radius)?;
                }
                Obstacle::Rectangle { min, max } => check.corners(&field, *min, *max)?,
                Obstacle::Polygon { vertices } => check.polygon(&field, vertices)?,
            }
        }
        self.validate_controller(&check)
    }

    fn validate_agents(&self, check: &Checker) -> Result<(), SceneError> {
        let agents = &self.agents;
        if agents.count == 0 {
            return Err(check.invalid("agents.count", 0, "at least 1 agent is needed"));
        }
        match &agents.placement {
            Placement::Uniform { min, max } | Placement::Grid { min, max } => {
                check.corners("agents.placement", *min, *max)?
            }
            Placement::Cluster { center, radius } => {
                check.point("agents.placement.center", *center)?;
                check.positive("agents.placement.radius", *radius)?;
            }
            Placement::Points(points) => {
                if points.len() != agents.count {
                    return Err(check.invalid(
                        "agents.placement",
                        format!("{} points", points.len()),
                        format!(
                            "agents.count is {}: give exactly that many points",
                            agents.count
                        ),
                    ));
                }
                for (i, p) in points.iter().enumerate() {
                    check.point(&format!("agents.placement[{i}]"), *p)?;
                }
            }
        }
        if let Some(masses) = &agents.masses {
            if masses.len() != agents.count {
                return Err(check.invalid(
                    "agents.masses",
                    format!("{} masses", masses.len()),
                    format!("agents.count is {}: give one mass per agent", agents.count),
                ));
            }
            for (i, m) in masses.iter().enumerate() {
                check.positive(&format!("agents.masses[{i}]"), *m)?;
            }
        }
        if let Some(speed) = agents.max_speed {
            check.positive("agents.max_speed", speed)?;
        }
        Ok(())
    }

    fn validate_target(&self, check: &Checker) -> Result<(), SceneError> {
        let target = &self.target;
        check.non_negative("target.background", target.background)?;
        for (i, component) in target.components.iter().enumerate() {
            let field = format!("target.components[{i}]");
            let f = |name: &str| format!("{field}.{name}");
            match component {
                Component::Gaussian {
                    weight,
                    center,
                    sigma,
                    angle,
                } => {
                    check.non_negative(&f("weight"), *weight)?;
                    check.point(&f("center"), *center)?;
                    check.positive(&f("sigma.0"), sigma.0)?;
                    check.positive(&f("sigma.1"), sigma.1)?;
                    check.finite(&f("angle"), *angle)?;
                }
                Component::Disk {
                    weight,
                    center,
                    radius,
                } => {
                    check.non_negative(&f("weight"), *weight)?;
                    check.point(&f("center"), *center)?;
                    check.positive(&f("radius"), *radius)?;
                }
                Component::Ring {
                    weight,
                    center,
                    radius,
                    width,
                } => {
                    check.non_negative(&f("weight"), *weight)?;
                    check.point(&f("center"), *center)?;
                    check.positive(&f("radius"), *radius)?;
                    check.positive(&f("width"), *width)?;
                }
                Component::Rectangle { weight, min, max } => {
                    check.non_negative(&f("weight"), *weight)?;
                    check.corners(&field, *min, *max)?;
                }
                Component::Polygon { weight, vertices } => {
                    check.non_negative(&f("weight"), *weight)?;
                    check.polygon(&field, vertices)?;
                }
                Component::Image {
                    weight, min, max, ..
                } => {
                    check.non_negative(&f("weight"), *weight)?;
                    check.corners(&field, *min, *max)?;
                }
            }
        }
        let total =
            target.background + target.components.iter().map(Component::weight).sum::<f64>();
        if total <= 0.0 {
            return Err(check.invalid(
                "target",
                "a total weight of 0",
                "the background or at least one component needs a positive weight",
            ));
        }
        Ok(())
    }

    fn validate_controller(&self, check: &Checker) -> Result<(), SceneError> {
        let c = &self.controller;
        if let Some(eps) = c.epsilon {
            check.positive("controller.epsilon", eps)?;
        }
        if let Some(dx) = c.grid_spacing {
            check.positive("controller.grid_spacing", dx)?;
        }
        check.positive("controller.floor", c.floor)?;
        check.positive("controller.obstacle_floor", c.obstacle_floor)?;
        check.non_negative("controller.confinement", c.confinement)?;
        check.positive("controller.gain", c.gain)?;
        check.positive("controller.max_step", c.max_step)?;
        check.positive("recording.interval", self.recording.interval)
    }
}

impl Target {
    /// Length of the smallest feature among the components with positive weight (m): the
    /// smaller standard deviation of a Gaussian, a ring's width, a disk's radius, half a
    /// rectangle's shorter side, a polygon's area/perimeter (half its inradius when regular, less
    /// for thin arms). Images have no stated feature.
    pub fn smallest_feature(&self) -> Option<f64> {
        self.components
            .iter()
            .filter(|c| c.weight() > 0.0)
            .filter_map(|c| match c {
                Component::Gaussian { sigma, .. } => Some(sigma.0.min(sigma.1)),
                Component::Ring { width, .. } => Some(*width),
                Component::Disk { radius, .. } => Some(*radius),
                Component::Rectangle { min, max, .. } => {
                    Some(0.5 * (max.0 - min.0).min(max.1 - min.1))
                }
                Component::Polygon { vertices, .. } => {
                    let n = vertices.len();
                    let perimeter: f64 = (0..n)
                        .map(|i| {
                            let (a, b) = (vertices[i], vertices[(i + 1) % n]);
                            (b.0 - a.0).hypot(b.1 - a.1)
                        })
                        .sum();
                    Some(polygon_area(vertices).abs() / perimeter)
                }
                Component::Image { .. } => None,
            })
            .reduce(f64::min)
    }
}

impl Component {
    /// The component's weight.
    pub fn weight(&self) -> f64 {
        match self {
            Self::Gaussian { weight, .. }
            | Self::Disk { weight, .. }
            | Self::Ring { weight, .. }
            | Self::Rectangle { weight, .. }
            | Self::Polygon { weight, .. }
            | Self::Image { weight, .. } => *weight,
        }
    }
}

/// Field checks that name the file and the field.
struct Checker<'a> {
    path: &'a Path,
}

impl Checker<'_> {
    fn invalid(
        &self,
        field: &str,
        value: impl std::fmt::Display,
        allowed: impl Into<String>,
    ) -> SceneError {
        SceneError::invalid(self.path, field, value, allowed)
    }

    fn finite(&self, field: &str, value: f64) -> Result<(), SceneError> {
        if value.is_finite() {
            Ok(())
        } else {
            Err(self.invalid(field, value, "it must be a finite number"))
        }
    }

    fn positive(&self, field: &str, value: f64) -> Result<(), SceneError> {
        if value.is_finite() && value > 0.0 {
            Ok(())
        } else {
            Err(self.invalid(field, value, "it must be a finite number greater than 0"))
        }
    }

    fn non_negative(&self, field: &str, value: f64) -> Result<(), SceneError> {
        if value.is_finite() && value >= 0.0 {
            Ok(())
        } else {
            Err(self.invalid(field, value, "it must be a finite number of at least 0"))
        }
    }

    fn point(&self, field: &str, p: Point) -> Result<(), SceneError> {
        self.finite(&format!("{field}.0"), p.0)?;
        self.finite(&format!("{field}.1"), p.1)
    }

    fn corners(&self, field: &str, min: Point, max: Point) -> Result<(), SceneError> {
        self.point(&format!("{field}.min"), min)?;
        self.point(&format!("{field}.max"), max)?;
        if max.0 > min.0 && max.1 > min.1 {
            Ok(())
        } else {
            Err(self.invalid(
                &format!("{field}.max"),
                format!("({}, {}) with min ({}, {})", max.0, max.1, min.0, min.1),
                "max must exceed min in both x and y (sizes must be positive)",
            ))
        }
    }

    fn polygon(&self, field: &str, vertices: &[Point]) -> Result<(), SceneError> {
        let field = format!("{field}.vertices");
        if vertices.len() < 3 {
            let value = format!("{} vertices", vertices.len());
            return Err(self.invalid(&field, value, "a polygon needs at least 3 vertices"));
        }
        for (i, v) in vertices.iter().enumerate() {
            self.point(&format!("{field}[{i}]"), *v)?;
        }
        if let Some((a, b)) = crossing_edges(vertices) {
            let value = format!("a polygon whose edges {a} and {b} cross");
            return Err(self.invalid(&field, value, "edges must not cross (a simple polygon)"));
        }
        if polygon_area(vertices).abs() <= 0.0 {
            return Err(self.invalid(
                &field,
                "a polygon of zero area",
                "the area must be positive",
            ));
        }
        Ok(())
    }
}

/// Signed area by the shoelace formula (positive counter-clockwise).
pub fn polygon_area(vertices: &[Point]) -> f64 {
    let n = vertices.len();
    0.5 * (0..n)
        .map(|i| {
            let (a, b) = (vertices[i], vertices[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum::<f64>()
}

/// The first pair of non-adjacent edges (edge i runs from vertex i to i + 1) that touch or
/// cross, if any.
fn crossing_edges(vertices: &[Point]) -> Option<(usize, usize)> {
    let n = vertices.len();
    let edge = |i: usize| (vertices[i], vertices[(i + 1) % n]);
    for i in 0..n {
        for j in i + 1..n {
            let adjacent = j == i + 1 || (i == 0 && j == n - 1);
            if !adjacent && segments_meet(edge(i), edge(j)) {
                return Some((i, j));
            }
        }
    }
    None
}

fn segments_meet((p, q): (Point, Point), (r, s): (Point, Point)) -> bool {
    let orient =
        |a: Point, b: Point, c: Point| (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0);
    let on_segment = |a: Point, b: Point, c: Point| {
        c.0 >= a.0.min(b.0) && c.0 <= a.0.max(b.0) && c.1 >= a.1.min(b.1) && c.1 <= a.1.max(b.1)
    };
    let (d1, d2) = (orient(r, s, p), orient(r, s, q));
    let (d3, d4) = (orient(p, q, r), orient(p, q, s));
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
    {
        return true;
    }
    (d1 == 0.0 && on_segment(r, s, p))
        || (d2 == 0.0 && on_segment(r, s, q))
        || (d3 == 0.0 && on_segment(p, q, r))
        || (d4 == 0.0 && on_segment(p, q, s))
}
