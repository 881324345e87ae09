//! A scenario being simulated, with no engine attached: the solver's problem, the swarm and the
//! stepper built from a scenario, stepping in seconds. The ECS plugin and the command line both
//! drive this, so a scenario gives the same trajectory either way.

use std::path::Path;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

use super::error::SceneError;
use super::files::folder;
use super::obstacle;
use super::scenario::{Agents, Component, EvaluatorChoice, Placement, Scenario, Walls};
use super::target::TargetDensity;
use crate::numerics::metrics::{coverage_cost, field_metrics, min_spacing};
use crate::numerics::{
    Boundary, EvaluatorKind, Problem, ProblemConfig, StepReport, Stepper, StepperConfig, Swarm,
};

/// Quality measures of the current state, one row of the metrics file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricsRow {
    /// Time (s).
    pub t: f64,
    /// Discrete energy E_h.
    pub energy: f64,
    /// χ² gap per unit mass.
    pub chi2: f64,
    /// L1 of φ_ε∗ρᴺ − ρ̄ per unit mass.
    pub l1: f64,
    /// L2 of φ_ε∗ρᴺ − ρ̄ per unit mass (1/m).
    pub l2: f64,
    /// Coverage cost ∫ minᵢ|x − Xᵢ|² ρ̄ dx per unit mass (m²).
    pub coverage_cost: f64,
    /// Smallest distance between two agents (m).
    pub min_spacing: f64,
    /// Total distance travelled by all agents (m).
    pub distance: f64,
}

impl MetricsRow {
    /// Column names, in the order of [`MetricsRow::values`].
    pub const HEADER: [&'static str; 8] = [
        "t",
        "energy",
        "chi2",
        "l1",
        "l2",
        "coverage_cost",
        "min_spacing",
        "distance",
    ];

    /// The values in [`MetricsRow::HEADER`] order.
    pub fn values(&self) -> [f64; 8] {
        [
            self.t,
            self.energy,
            self.chi2,
            self.l1,
            self.l2,
            self.coverage_cost,
            self.min_spacing,
            self.distance,
        ]
    }
}

/// A scenario being simulated.
pub struct Session {
    scenario: Scenario,
    path: std::path::PathBuf,
    problem: Problem<2>,
    swarm: Swarm<2>,
    stepper: Stepper<2>,
    warnings: Vec<String>,
    energy: f64,
    steps: u64,
    /// Seconds and model time when the gain last changed: time advances at 1/gain from there.
    clock_origin: (f64, f64),
}

/// What [`Session::edit`] did to the swarm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditOutcome {
    /// The agents kept their positions (moved out of any new obstacle) and the clock went on.
    Retargeted,
    /// The agents were placed afresh (their number, placement, masses or seed changed) and the
    /// clock restarted.
    Respawned,
}

impl Session {
    /// Builds the solver problem, places the agents and sets up the stepper for `scenario`,
    /// whose file is `path` (for messages and relative image paths).
    ///
    /// # Errors
    ///
    /// [`SceneError::Image`] for unreadable pictures, [`SceneError::Invalid`] when a random
    /// placement finds no free point, [`SceneError::Numerics`] when the solver rejects the
    /// set-up (e.g. obstacles covering the domain, a grid too large).
    pub fn new(scenario: Scenario, path: &Path) -> Result<Self, SceneError> {
        let base = folder(path);
        let numerics = |source| SceneError::Numerics {
            path: path.to_path_buf(),
            source,
        };
        let problem = build_problem(&scenario, base, path)?;
        let controller = &scenario.controller;
        let count = scenario.agents.count;

        let (positions, warnings) = place_agents(&scenario, &problem, path)?;
        let masses = match &scenario.agents.masses {
            Some(weights) => {
                let total: f64 = weights.iter().sum();
                weights.iter().map(|w| w / total).collect()
            }
            None => vec![1.0 / count as f64; count],
        };
        let swarm = Swarm::new(positions, masses).map_err(numerics)?;
        let evaluator = evaluator_kind(controller.evaluator).build();
        let stepper = Stepper::new(evaluator, stepper_config(&scenario)).map_err(numerics)?;
        let mut session = Self {
            scenario,
            path: path.to_path_buf(),
            problem,
            swarm,
            stepper,
            warnings,
            energy: 0.0,
            steps: 0,
            clock_origin: (0.0, 0.0),
        };
        session.energy = session.refresh();
        Ok(session)
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The file the scenario came from (names it in messages, anchors relative image paths).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The solver problem (grid, target, parameters in use).
    pub fn problem(&self) -> &Problem<2> {
        &self.problem
    }

    /// The swarm.
    pub fn swarm(&self) -> &Swarm<2> {
        &self.swarm
    }

    /// The swarm, for the ECS layer to write positions into.
    pub fn swarm_mut(&mut self) -> &mut Swarm<2> {
        &mut self.swarm
    }

    /// What was adjusted while setting up (agents moved out of obstacles, ...).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Simulated time (s).
    pub fn time(&self) -> f64 {
        let (seconds, model) = self.clock_origin;
        seconds + (self.stepper.time() - model) / self.scenario.controller.gain
    }

    /// Steps taken.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Energy of the current state.
    pub fn energy(&self) -> f64 {
        self.energy
    }

    /// Velocity (m/s) of agent `i` at the start of the last step (zero before the first).
    pub fn velocity(&self, i: usize) -> [f64; 2] {
        let gain = self.scenario.controller.gain;
        self.stepper
            .velocities()
            .get(i)
            .map_or([0.0; 2], |v| v.map(|c| c * gain))
    }

    /// Switches to an edited scenario without restarting: the target, obstacles and controller
    /// settings are rebuilt, the agents keep their positions (moved out of any new obstacle),
    /// the clock and the distance travelled go on. The number of agents, their placement,
    /// masses and seed stay as they are; a new maximum speed applies from the next step.
    ///
    /// # Errors
    ///
    /// As [`Session::new`]; the session is then unchanged.
    pub fn retarget(&mut self, mut scenario: Scenario) -> Result<(), SceneError> {
        scenario.agents = Agents {
            max_speed: scenario.agents.max_speed,
            ..self.scenario.agents.clone()
        };
        scenario.validate(&self.path)?;
        let base = folder(&self.path).to_path_buf();
        let problem = build_problem(&scenario, &base, &self.path)?;
        let (old, new) = (&self.scenario.controller, &scenario.controller);
        let evaluator =
            (old.evaluator != new.evaluator).then(|| evaluator_kind(new.evaluator).build());
        self.stepper
            .reconfigure(evaluator, stepper_config(&scenario))
            .map_err(|source| SceneError::Numerics {
                path: self.path.clone(),
                source,
            })?;
        if old.gain != new.gain {
            self.clock_origin = (self.time(), self.stepper.time());
        }
        let free = problem.free_space();
        for p in self.swarm.positions_mut() {
            *p = free.evict(p);
        }
        self.problem = problem;
        self.scenario = scenario;
        self.energy = self.refresh();
        Ok(())
    }

    /// Applies any edit of the scenario: [`Session::retarget`] when the swarm can stay where it
    /// is, a fresh session (agents placed anew, clock at zero) when the number of agents, their
    /// placement, masses or seed changed.
    ///
    /// # Errors
    ///
    /// As [`Session::new`]; the session is then unchanged.
    pub fn edit(&mut self, scenario: Scenario) -> Result<EditOutcome, SceneError> {
        let (old, new) = (&self.scenario.agents, &scenario.agents);
        let same_swarm = old.count == new.count
            && old.placement == new.placement
            && old.masses == new.masses
            && old.seed == new.seed;
        if same_swarm {
            self.retarget(scenario)?;
            Ok(EditOutcome::Retargeted)
        } else {
            scenario.validate(&self.path)?;
            *self = Self::new(scenario, &self.path.clone())?;
            Ok(EditOutcome::Respawned)
        }
    }

    /// Saves the scenario to `path` (atomically) and makes it the session's file. Relative
    /// picture paths are rewritten when the folder changes, so that they still name the same
    /// files.
    ///
    /// # Errors
    ///
    /// [`SceneError::Write`] naming the file; the session is then unchanged.
    pub fn save_as(&mut self, path: &Path) -> Result<(), SceneError> {
        let old_base = folder(&self.path);
        let new_base = folder(path);
        let mut scenario = self.scenario.clone();
        if old_base != new_base {
            for component in &mut scenario.target.components {
                if let Component::Image { path: image, .. } = component
                    && image.is_relative()
                {
                    let resolved = old_base.join(&*image);
                    *image = std::path::absolute(&resolved).unwrap_or(resolved);
                }
            }
        }
        let text = scenario.to_ron();
        super::files::write_atomically(path, |w| w.write_all(text.as_bytes()))?;
        self.scenario = scenario;
        self.path = path.to_path_buf();
        Ok(())
    }

    /// One adaptive step (see [`Stepper::step`]); the report's `dt` is in model time, use
    /// [`Session::time`] for seconds.
    pub fn step(&mut self) -> StepReport {
        let report = self.stepper.step(&self.problem, &mut self.swarm);
        self.energy = report.energy_after;
        self.steps += 1;
        report
    }

    /// The coverage field φ_ε∗ρᴺ of the current state on the problem's grid (1/m²).
    pub fn coverage(&mut self) -> &[f64] {
        self.refresh();
        self.stepper.evaluator().coverage()
    }

    /// Quality measures of the current state. Cost: one deposit and a k-d tree.
    pub fn metrics(&mut self) -> MetricsRow {
        self.refresh();
        let field = field_metrics(&self.problem, self.stepper.evaluator().coverage());
        MetricsRow {
            t: self.time(),
            energy: self.energy,
            chi2: field.chi2,
            l1: field.l1,
            l2: field.l2,
            coverage_cost: coverage_cost(&self.problem, self.swarm.positions()),
            min_spacing: min_spacing(self.swarm.positions()),
            distance: self.stepper.distance_travelled(),
        }
    }

    /// The explicit-Euler stability limit e·ε²/max(u/ρ̄) of the current state (s).
    pub fn stable_time_step(&mut self) -> f64 {
        self.refresh();
        let max_pressure = self
            .stepper
            .evaluator()
            .pressure()
            .iter()
            .copied()
            .fold(0.0, f64::max);
        let epsilon = self.problem.kernel().epsilon();
        crate::numerics::params::stable_time_step(epsilon, max_pressure)
            / self.scenario.controller.gain
    }

    /// Re-evaluates the current state's coverage; returns its energy.
    fn refresh(&mut self) -> f64 {
        self.stepper.evaluate_energy(&self.problem, &self.swarm)
    }
}

/// The solver's evaluator for a scenario's choice.
fn evaluator_kind(choice: EvaluatorChoice) -> EvaluatorKind {
    match choice {
        EvaluatorChoice::Direct => EvaluatorKind::Direct,
        EvaluatorChoice::Stencil => EvaluatorKind::Stencil,
    }
}

/// The stepper settings of a scenario. The solver runs in model time τ = gain·t, where speeds
/// are divided by the gain.
fn stepper_config(scenario: &Scenario) -> StepperConfig {
    let controller = &scenario.controller;
    StepperConfig {
        max_displacement: controller.max_step,
        max_speed: scenario.agents.max_speed.map(|v| v / controller.gain),
        ..StepperConfig::default()
    }
}

/// The solver problem of a scenario: target density (images read relative to `base`), walls,
/// obstacles and controller settings.
fn build_problem(scenario: &Scenario, base: &Path, path: &Path) -> Result<Problem<2>, SceneError> {
    let density = TargetDensity::new(scenario, base, path)?;
    let controller = &scenario.controller;
    let config = ProblemConfig {
        boundary: match controller.walls {
            Walls::Mirror => Boundary::Mirror,
            Walls::Open => Boundary::Open,
        },
        epsilon: controller.epsilon,
        spacing: controller.grid_spacing,
        floor: controller.floor,
        obstacle_floor: controller.obstacle_floor,
        confinement: controller.confinement,
        epsilon_cap: scenario.target.smallest_feature().map(|f| 0.5 * f),
        subsamples: 3,
        smooth_target: controller.smooth_target,
        ..ProblemConfig::new(
            [scenario.domain.min.0, scenario.domain.min.1],
            [scenario.domain.max.0, scenario.domain.max.1],
        )
    };
    let obstacles = obstacle::shapes(&scenario.obstacles);
    let count = scenario.agents.count;
    Problem::new(&config, obstacles, &|x| density.density(x), count, 1.0).map_err(|source| {
        SceneError::Numerics {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Initial positions of the scenario's agents, and warnings about moved ones.
fn place_agents(
    scenario: &Scenario,
    problem: &Problem<2>,
    path: &Path,
) -> Result<(Vec<[f64; 2]>, Vec<String>), SceneError> {
    let free = problem.free_space();
    let count = scenario.agents.count;
    let mut rng = Pcg64::seed_from_u64(scenario.agents.seed);
    let mut sample = |draw: &mut dyn FnMut(&mut Pcg64) -> [f64; 2]| {
        let mut points = Vec::with_capacity(count);
        let mut tries = 0usize;
        while points.len() < count && tries < 1000 * count + 10_000 {
            let p = draw(&mut rng);
            tries += 1;
            if free.is_free(&p) {
                points.push(p);
            }
        }
        (points.len() == count).then_some(points).ok_or_else(|| {
            SceneError::invalid(
                path,
                "agents.placement",
                "a region with almost no free space",
                "the placement region must overlap the domain outside the obstacles",
            )
        })
    };
    let fixed = match &scenario.agents.placement {
        Placement::Uniform { min, max } => {
            let (min, max) = (*min, *max);
            return sample(&mut |r| [r.random_range(min.0..max.0), r.random_range(min.1..max.1)])
                .map(|p| (p, Vec::new()));
        }
        Placement::Cluster { center, radius } => {
            let (c, radius) = (*center, *radius);
            return sample(&mut |r| {
                let rho = radius * r.random_range(0.0f64..1.0).sqrt();
                let phi = r.random_range(0.0..std::f64::consts::TAU);
                [c.0 + rho * phi.cos(), c.1 + rho * phi.sin()]
            })
            .map(|p| (p, Vec::new()));
        }
        Placement::Grid { min, max } => {
            let (w, h) = (max.0 - min.0, max.1 - min.1);
            let cols = ((count as f64 * w / h).sqrt().ceil() as usize).max(1);
            let rows = count.div_ceil(cols);
            (0..count)
                .map(|i| {
                    let (col, row) = (i % cols, i / cols);
                    [
                        min.0 + (col as f64 + 0.5) * w / cols as f64,
                        min.1 + (row as f64 + 0.5) * h / rows as f64,
                    ]
                })
                .collect::<Vec<_>>()
        }
        Placement::Points(points) => points.iter().map(|p| [p.0, p.1]).collect(),
    };
    let mut warnings = Vec::new();
    let moved: Vec<usize> = (0..count).filter(|&i| !free.is_free(&fixed[i])).collect();
    if !moved.is_empty() {
        let list: Vec<String> = moved.iter().take(10).map(usize::to_string).collect();
        let more = if moved.len() > 10 { ", ..." } else { "" };
        warnings.push(format!(
            "{} agent(s) started inside an obstacle or outside the domain and were moved to the \
             nearest free point (agents {}{more})",
            moved.len(),
            list.join(", ")
        ));
    }
    Ok((fixed.iter().map(|p| free.project(p)).collect(), warnings))
}
