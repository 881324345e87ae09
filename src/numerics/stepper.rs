//! Time integration: an adaptive explicit Euler step that never lets the energy increase, with
//! speed limits and the free-space safeguard; and a fixed-step RK4 for convergence studies.

use super::energy::Problem;
use super::error::{Result, positive};
use super::evaluate::Evaluator;
use super::geometry::{FreeSpace, distance_squared};
use super::params::stable_time_step;
use super::swarm::Swarm;

/// Settings of the adaptive stepper.
#[derive(Debug, Clone, PartialEq)]
pub struct StepperConfig {
    /// Largest displacement of any agent in one step, in units of ε (METHOD.md: 0.1–0.25).
    pub max_displacement: f64,
    /// Armijo constant c: a step is accepted if E_new ≤ E − c·Σ mᵢ vᵢ·ΔXᵢ.
    pub armijo: f64,
    /// Halvings of the time step tried before a step is given up (the swarm stays put).
    pub max_halvings: u32,
    /// Factor by which the step may grow after an accepted step.
    pub growth: f64,
    /// Maximum speed of each agent (length/time), or `None` for no limit.
    pub max_speed: Option<f64>,
}

impl Default for StepperConfig {
    fn default() -> Self {
        Self {
            max_displacement: 0.2,
            armijo: 1e-4,
            max_halvings: 40,
            growth: 1.5,
            max_speed: None,
        }
    }
}

/// What one adaptive step did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepReport {
    /// Whether the swarm moved (false only if every halving failed the descent test).
    pub accepted: bool,
    /// The time step taken (time); 0 if not accepted.
    pub dt: f64,
    /// E before the step.
    pub energy_before: f64,
    /// E after the step (equal to `energy_before` if not accepted).
    pub energy_after: f64,
    /// Halvings needed.
    pub halvings: u32,
    /// Largest agent displacement (length).
    pub max_displacement: f64,
    /// Σ |ΔXᵢ| over the agents (length).
    pub distance: f64,
    /// Time rescaling caused by the speed limit: (Σ mᵢ vᵢ·ṽᵢ)/(Σ mᵢ |vᵢ|²) ∈ (0, 1], the fraction
    /// of the unconstrained energy decay rate kept (1 when no agent is saturated).
    pub speed_factor: f64,
}

/// Checks that the displacement limit, Armijo constant, growth and maximum speed are positive.
fn check_config(config: &StepperConfig) -> Result<()> {
    positive("maximum displacement per step", config.max_displacement)?;
    positive("Armijo constant", config.armijo)?;
    positive("step growth factor", config.growth)?;
    if let Some(speed) = config.max_speed {
        positive("maximum speed", speed)?;
    }
    Ok(())
}

/// Adaptive explicit Euler with a descent (Armijo) test, speed saturation and projection to
/// free space. Every accepted step satisfies E_new ≤ E_old.
///
/// A step: evaluate E and v; saturate each agent at its maximum speed (ṽ); propose
/// dt = min(growth·dt_prev, e·ε²/max g, α·ε/max|ṽ|), where max g is the largest kernel-averaged
/// pressure (φ_ε∗g)(Xᵢ) at an agent (the grid maximum would count blob tails in near-empty
/// regions, where g is large but no agent feels it); trial X' = P(X + dt·ṽ) with P the projection
/// to free space; accept if E(X') ≤ E(X) − c·Σ mᵢ vᵢ·(X'ᵢ − Xᵢ), else halve dt. Cost: one full
/// evaluation plus one energy evaluation per trial. Buffers are reused between steps.
pub struct Stepper<const D: usize> {
    evaluator: Box<dyn Evaluator<D>>,
    config: StepperConfig,
    velocities: Vec<[f64; D]>,
    directions: Vec<[f64; D]>,
    trial: Vec<[f64; D]>,
    dt: f64,
    time: f64,
    distance: f64,
}

impl<const D: usize> Stepper<D> {
    /// A stepper using `evaluator`.
    ///
    /// # Errors
    ///
    /// If the displacement limit, Armijo constant, growth or maximum speed is not positive.
    pub fn new(evaluator: Box<dyn Evaluator<D>>, config: StepperConfig) -> Result<Self> {
        check_config(&config)?;
        Ok(Self {
            evaluator,
            config,
            velocities: Vec::new(),
            directions: Vec::new(),
            trial: Vec::new(),
            dt: 0.0,
            time: 0.0,
            distance: 0.0,
        })
    }

    /// Switches to `config` and, if given, another evaluator, keeping the clock and the distance
    /// travelled; the next step chooses its time step afresh.
    ///
    /// # Errors
    ///
    /// As [`Stepper::new`]; the stepper is then unchanged.
    pub fn reconfigure(
        &mut self,
        evaluator: Option<Box<dyn Evaluator<D>>>,
        config: StepperConfig,
    ) -> Result<()> {
        check_config(&config)?;
        self.config = config;
        if let Some(evaluator) = evaluator {
            self.evaluator = evaluator;
        }
        self.dt = 0.0;
        Ok(())
    }

    /// Simulated time so far (time).
    pub fn time(&self) -> f64 {
        self.time
    }

    /// Total distance travelled by all agents so far, Σᵢ path length (length).
    pub fn distance_travelled(&self) -> f64 {
        self.distance
    }

    /// The evaluator, e.g. to read the coverage field of the last evaluation.
    pub fn evaluator(&self) -> &dyn Evaluator<D> {
        self.evaluator.as_ref()
    }

    /// Evaluates the energy of the swarm's current state, leaving its coverage field in the
    /// evaluator (one deposit).
    pub fn evaluate_energy(&mut self, problem: &Problem<D>, swarm: &Swarm<D>) -> f64 {
        self.evaluator
            .energy(problem, swarm.positions(), swarm.masses())
    }

    /// Velocities of the last step's starting state.
    pub fn velocities(&self) -> &[[f64; D]] {
        &self.velocities
    }

    /// Advances the swarm by one accepted step (or leaves it if the descent test cannot be met).
    pub fn step(&mut self, problem: &Problem<D>, swarm: &mut Swarm<D>) -> StepReport {
        let n = swarm.len();
        self.velocities.resize(n, [0.0; D]);
        self.directions.resize(n, [0.0; D]);
        self.trial.resize(n, [0.0; D]);

        // Velocities, then their saturated versions and the step proposal.
        let energy = self.evaluator.evaluate(
            problem,
            swarm.positions(),
            swarm.masses(),
            &mut self.velocities,
        );
        let (max_speed, speed_factor) = self.saturate(swarm.masses());
        let epsilon = problem.kernel().epsilon();
        let mut dt = stable_time_step(epsilon, self.evaluator.agent_pressure())
            .min(self.config.max_displacement * epsilon / max_speed.max(f64::MIN_POSITIVE));
        if self.dt > 0.0 {
            dt = dt.min(self.dt * self.config.growth);
        }

        // Backtrack until the projected trial descends enough.
        let stalled = StepReport {
            accepted: false,
            dt: 0.0,
            energy_before: energy,
            energy_after: energy,
            halvings: 0,
            max_displacement: 0.0,
            distance: 0.0,
            speed_factor,
        };
        if max_speed == 0.0 {
            return stalled;
        }
        for halvings in 0..=self.config.max_halvings {
            let (descent, moved) = self.propose(problem, swarm, dt);
            let trial_energy = self.evaluator.energy(problem, &self.trial, swarm.masses());
            if trial_energy <= energy - self.config.armijo * descent && moved.0 > 0.0 {
                swarm.positions_mut().copy_from_slice(&self.trial);
                self.dt = dt;
                self.time += dt;
                self.distance += moved.1;
                return StepReport {
                    accepted: true,
                    dt,
                    energy_before: energy,
                    energy_after: trial_energy,
                    halvings,
                    max_displacement: moved.0,
                    distance: moved.1,
                    speed_factor,
                };
            }
            dt *= 0.5;
        }
        self.dt = dt;
        StepReport {
            halvings: self.config.max_halvings,
            ..stalled
        }
    }

    /// Writes the saturated directions ṽ; returns (max |ṽ|, Σ m v·ṽ / Σ m |v|²).
    fn saturate(&mut self, masses: &[f64]) -> (f64, f64) {
        let limit = self.config.max_speed.unwrap_or(f64::INFINITY);
        let (mut max_speed, mut kept, mut full) = (0.0f64, 0.0, 0.0);
        for ((v, d), m) in self
            .velocities
            .iter()
            .zip(self.directions.iter_mut())
            .zip(masses)
        {
            let speed = v.iter().map(|c| c * c).sum::<f64>().sqrt();
            let scale = if speed > limit { limit / speed } else { 1.0 };
            *d = v.map(|c| c * scale);
            max_speed = max_speed.max(speed * scale);
            kept += m * speed * speed * scale;
            full += m * speed * speed;
        }
        (max_speed, if full > 0.0 { kept / full } else { 1.0 })
    }

    /// Fills the trial positions P(X + dt·ṽ); returns Σ mᵢ vᵢ·ΔXᵢ and (max |ΔX|, Σ |ΔX|).
    fn propose(&mut self, problem: &Problem<D>, swarm: &Swarm<D>, dt: f64) -> (f64, (f64, f64)) {
        let free = problem.free_space();
        let (mut descent, mut max_move, mut total) = (0.0, 0.0f64, 0.0);
        let agents = swarm.positions().iter().zip(swarm.masses());
        for (i, (x, m)) in agents.enumerate() {
            let moved: [f64; D] = std::array::from_fn(|k| x[k] + dt * self.directions[i][k]);
            let y = self.limit_speed(free, x, free.project(&moved), dt);
            let step = distance_squared(&y, x).sqrt();
            descent += m
                * (0..D)
                    .map(|k| self.velocities[i][k] * (y[k] - x[k]))
                    .sum::<f64>();
            max_move = max_move.max(step);
            total += step;
            self.trial[i] = y;
        }
        (descent, (max_move, total))
    }
}

impl<const D: usize> Stepper<D> {
    /// Keeps a projected move within the speed limit: the projection to free space can lengthen
    /// a move, so an over-long one is shortened along its direction, or cancelled if the
    /// shortened point is not free. A robot's path then never exceeds its speed.
    fn limit_speed(&self, free: &FreeSpace<D>, x: &[f64; D], y: [f64; D], dt: f64) -> [f64; D] {
        let Some(speed) = self.config.max_speed else {
            return y;
        };
        let (length, limit) = (distance_squared(&y, x).sqrt(), speed * dt);
        if length <= limit {
            return y;
        }
        let shortened = std::array::from_fn(|k| x[k] + (y[k] - x[k]) * (limit / length));
        if free.is_free(&shortened) {
            shortened
        } else {
            *x
        }
    }
}

/// Classical fourth-order Runge–Kutta with a fixed step, no projection and no speed limit: for
/// convergence studies against exact solutions. Cost four evaluations per step.
pub struct Rk4<const D: usize> {
    evaluator: Box<dyn Evaluator<D>>,
    stages: [Vec<[f64; D]>; 4],
    scratch: Vec<[f64; D]>,
    start: Vec<[f64; D]>,
}

impl<const D: usize> Rk4<D> {
    /// An RK4 integrator using `evaluator`.
    pub fn new(evaluator: Box<dyn Evaluator<D>>) -> Self {
        Self {
            evaluator,
            stages: Default::default(),
            scratch: Vec::new(),
            start: Vec::new(),
        }
    }

    /// The evaluator, e.g. to read the coverage field of the last evaluation.
    pub fn evaluator_mut(&mut self) -> &mut dyn Evaluator<D> {
        self.evaluator.as_mut()
    }

    /// Advances the swarm by `duration` in equal steps no longer than the stability limit
    /// e·ε²/max g of the starting state (pressure falls as a swarm spreads, so the limit stays
    /// safe for a spreading flow). Returns the number of steps taken.
    pub fn advance(&mut self, problem: &Problem<D>, swarm: &mut Swarm<D>, duration: f64) -> usize {
        self.stages[0].resize(swarm.len(), [0.0; D]);
        let (positions, masses) = (swarm.positions(), swarm.masses());
        self.evaluator
            .evaluate(problem, positions, masses, &mut self.stages[0]);
        let max_pressure = self
            .evaluator
            .pressure()
            .iter()
            .copied()
            .fold(0.0, f64::max);
        let limit = stable_time_step(problem.kernel().epsilon(), max_pressure);
        let steps = (duration / limit).ceil().max(1.0) as usize;
        for _ in 0..steps {
            self.step(problem, swarm, duration / steps as f64);
        }
        steps
    }

    /// Advances the swarm by `dt`; returns max_q g_q at the step's start (for choosing dt).
    pub fn step(&mut self, problem: &Problem<D>, swarm: &mut Swarm<D>, dt: f64) -> f64 {
        let n = swarm.len();
        self.scratch.resize(n, [0.0; D]);
        self.stages.iter_mut().for_each(|s| s.resize(n, [0.0; D]));
        self.start.clear();
        self.start.extend_from_slice(swarm.positions());
        let x0 = &self.start;
        let mut max_pressure = 0.0;
        for stage in 0..4 {
            let weight = [0.0, 0.5, 0.5, 1.0][stage];
            for (i, (slot, start)) in self.scratch.iter_mut().zip(x0).enumerate() {
                let slope = if stage == 0 {
                    [0.0; D]
                } else {
                    self.stages[stage - 1][i]
                };
                *slot = std::array::from_fn(|k| start[k] + weight * dt * slope[k]);
            }
            let (scratch, stages) = (&self.scratch, &mut self.stages);
            self.evaluator
                .evaluate(problem, scratch, swarm.masses(), &mut stages[stage]);
            if stage == 0 {
                max_pressure = self
                    .evaluator
                    .pressure()
                    .iter()
                    .copied()
                    .fold(0.0, f64::max);
            }
        }
        for (i, x) in swarm.positions_mut().iter_mut().enumerate() {
            let [k1, k2, k3, k4] = [0, 1, 2, 3].map(|s| self.stages[s][i]);
            *x = std::array::from_fn(|k| {
                x0[i][k] + dt / 6.0 * (k1[k] + 2.0 * k2[k] + 2.0 * k3[k] + k4[k])
            });
        }
        max_pressure
    }
}
