//! The subcommands behind `blobswarm`: argument types and what each does.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use blobswarm::app::headless::{headless_app, session, session_mut};
use blobswarm::app::{SimulationClock, WaypointRecorder};
use blobswarm::render::save_png;
use blobswarm::scene::files::{check_writable, write_atomically};
use blobswarm::scene::scenario::{DEFAULT_SCENARIO, EvaluatorChoice, Placement};
use blobswarm::scene::session::{MetricsRow, Session};
use blobswarm::scene::waypoints::Recorder;
use blobswarm::scene::{Scenario, SceneError};
use blobswarm::verify::{CASES, format_table};

/// Prints a line to standard output; a closed pipe (`blobswarm run ... | head`) is not an
/// error worth a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// [`say!`] without the newline.
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

/// Why a command failed: bad input (exit status 2) or anything else (exit status 1).
pub enum Failure {
    /// The user's input or an output path is at fault.
    BadInput(String),
    /// Something else went wrong.
    Failed(String),
}

impl From<SceneError> for Failure {
    fn from(error: SceneError) -> Self {
        Self::BadInput(error.to_string())
    }
}

/// Evaluator names on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EvaluatorArg {
    /// Direct O(N·M) quadrature (slow reference).
    Direct,
    /// Truncated separable stencil (fast).
    Stencil,
}

impl From<EvaluatorArg> for EvaluatorChoice {
    fn from(arg: EvaluatorArg) -> Self {
        match arg {
            EvaluatorArg::Direct => Self::Direct,
            EvaluatorArg::Stencil => Self::Stencil,
        }
    }
}

/// Changes to a scenario given on the command line.
#[derive(Debug, Clone, Default, Args)]
pub struct Overrides {
    /// How the integral is computed.
    #[arg(long, value_enum)]
    evaluator: Option<EvaluatorArg>,
    /// Number of agents (not for scenarios with explicit points or masses).
    #[arg(long)]
    agents: Option<usize>,
    /// Seed of the random placement.
    #[arg(long)]
    seed: Option<u64>,
    /// Kernel width ε (m), instead of the scenario's or the automatic one.
    #[arg(long)]
    epsilon: Option<f64>,
}

/// Arguments of `blobswarm run`.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// The scenario file (RON).
    scenario: PathBuf,
    /// Simulated time to run (s).
    #[arg(long, conflicts_with = "steps")]
    time: Option<f64>,
    /// Number of solver steps to run [default: 1000 when --time is not given].
    #[arg(long)]
    steps: Option<u64>,
    /// Write per-agent waypoints (RON).
    #[arg(long, value_name = "FILE.ron")]
    waypoints: Option<PathBuf>,
    /// Write the same waypoints as CSV rows agent,t,x,y.
    #[arg(long, value_name = "FILE.csv")]
    csv: Option<PathBuf>,
    /// Write one row of quality measures per recorded step (CSV).
    #[arg(long, value_name = "FILE.csv")]
    metrics: Option<PathBuf>,
    /// Write a picture of the final state (PNG).
    #[arg(long, value_name = "FILE.png")]
    png: Option<PathBuf>,
    #[command(flatten)]
    overrides: Overrides,
}

/// Arguments of `blobswarm gui`.
#[derive(Debug, Clone, Default, Args)]
pub struct GuiArgs {
    /// The scenario file (RON) [default: the built-in scenario].
    scenario: Option<PathBuf>,
    /// Render some frames, save a screenshot (PNG) and quit.
    #[arg(long, value_name = "FILE.png")]
    screenshot: Option<PathBuf>,
    /// Frames to render before the screenshot.
    #[arg(long, default_value_t = 30, requires = "screenshot")]
    frames: u32,
    /// Open with the simulation paused (Space runs it).
    #[arg(long)]
    paused: bool,
    #[command(flatten)]
    overrides: Overrides,
}

/// Arguments of `blobswarm bench`.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Scenario to benchmark [default: the built-in default scenario].
    scenario: Option<PathBuf>,
    /// Steps to time on each path.
    #[arg(long, default_value_t = 50)]
    steps: u64,
    #[command(flatten)]
    overrides: Overrides,
}

fn bad(message: impl std::fmt::Display) -> Failure {
    Failure::BadInput(message.to_string())
}

/// Loads a scenario (or the built-in default when `path` is `None`) and applies overrides.
fn load(path: Option<&Path>, overrides: &Overrides) -> Result<(Scenario, PathBuf), Failure> {
    let (mut scenario, path) = match path {
        Some(path) => (Scenario::load(path)?, path.to_path_buf()),
        None => {
            let path = PathBuf::from("<built-in default scenario>");
            (Scenario::from_ron(DEFAULT_SCENARIO, &path)?, path)
        }
    };
    if let Some(count) = overrides.agents {
        if matches!(scenario.agents.placement, Placement::Points(_))
            || scenario.agents.masses.is_some()
        {
            return Err(bad(format!(
                "--agents {count}: {} places its agents at explicit points or gives their masses; \
                 edit the scenario instead",
                path.display()
            )));
        }
        scenario.agents.count = count;
    }
    if let Some(seed) = overrides.seed {
        scenario.agents.seed = seed;
    }
    if let Some(epsilon) = overrides.epsilon {
        scenario.controller.epsilon = Some(epsilon);
    }
    if let Some(evaluator) = overrides.evaluator {
        scenario.controller.evaluator = evaluator.into();
    }
    scenario
        .validate(&path)
        .map_err(|e| bad(format!("{e} (after the command-line overrides)")))?;
    Ok((scenario, path))
}

fn progress_bar(length: u64, unit: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(length);
    let template =
        format!("{{bar:40}} {{pos}}/{{len}} {unit} [{{elapsed_precise}}, eta {{eta}}] {{msg}}");
    bar.set_style(
        ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// `blobswarm run`.
pub fn run(args: &RunArgs) -> Result<(), Failure> {
    let (scenario, path) = load(Some(&args.scenario), &args.overrides)?;
    if let Some(time) = args.time.filter(|t| !(t.is_finite() && *t > 0.0)) {
        return Err(bad(format!(
            "--time is {time}, but it must be a finite number of seconds greater than 0"
        )));
    }
    let outputs = [&args.waypoints, &args.csv, &args.metrics, &args.png];
    for output in outputs.into_iter().flatten() {
        check_writable(output)?;
    }

    let simulation = Session::new(scenario, &path)?;
    for warning in simulation.warnings() {
        eprintln!("warning: {warning}");
    }
    let interval = simulation.scenario().recording.interval;
    let recording = args.waypoints.is_some() || args.csv.is_some();
    let mut app = headless_app(simulation);
    if recording {
        let positions = session(&app).swarm().positions();
        app.insert_resource(WaypointRecorder(Some(Recorder::new(
            interval, 0.0, positions,
        ))));
    }
    app.insert_resource(SimulationClock::default());

    // Step until the time or step budget is spent; metrics every recording interval.
    let started = Instant::now();
    let mut rows = Vec::new();
    let mut next_row = 0.0;
    let (budget, unit) = match args.time {
        Some(t) => ((t * 1000.0).ceil() as u64, "ms"),
        None => (args.steps.unwrap_or(1000), "steps"),
    };
    let bar = progress_bar(budget, unit);
    let mut resting = 0;
    loop {
        let t = session(&app).time();
        if args.metrics.is_some() && t >= next_row {
            rows.push(session_mut(&mut app).metrics());
            next_row = (t / interval).floor() * interval + interval;
        }
        let done = match args.time {
            Some(limit) => t >= limit || resting >= 50,
            None => session(&app).steps() >= budget,
        };
        if done {
            break;
        }
        app.update();
        let now = session(&app).time();
        resting = if now > t { 0 } else { resting + 1 };
        bar.set_position(if args.time.is_some() {
            (now * 1000.0) as u64
        } else {
            session(&app).steps()
        });
    }
    bar.finish_and_clear();

    // The swarm may come to rest before --time: it then stays where it is until the end.
    let end = args
        .time
        .unwrap_or_else(|| session(&app).time())
        .max(session(&app).time());
    let recorder = app.world_mut().resource_mut::<WaypointRecorder>().0.take();
    let session = session_mut(&mut app);
    if args.metrics.is_some() && rows.last().is_none_or(|r| r.t < session.time()) {
        rows.push(session.metrics());
    }
    let last = session.metrics();
    say!(
        "{}: {} agents, {} steps, {:.3} s simulated in {:.2} s; energy {:.6}, L1 {:.4}, coverage cost {:.4e} m²",
        session.scenario().name,
        session.swarm().len(),
        session.steps(),
        session.time(),
        started.elapsed().as_secs_f64(),
        last.energy,
        last.l1,
        last.coverage_cost
    );
    if end > session.time() + 1e-9 {
        say!(
            "the swarm came to rest at t = {:.3} s and holds its position until {end} s",
            session.time()
        );
    }

    write_outputs(args, session, recorder, end, &rows)
}

fn write_outputs(
    args: &RunArgs,
    session: &Session,
    recorder: Option<Recorder>,
    end: f64,
    rows: &[MetricsRow],
) -> Result<(), Failure> {
    if let Some(mut recorder) = recorder {
        recorder.record(end, session.swarm().positions());
        let scenario = session.scenario();
        let waypoints = recorder.finish(end, &scenario.name, scenario.agents.max_speed);
        if let Some(file) = &args.waypoints {
            waypoints.save_ron(file)?;
            say!(
                "waypoints: {} ({} per agent)",
                file.display(),
                waypoints.agents[0].path.len()
            );
        }
        if let Some(file) = &args.csv {
            waypoints.save_csv(file)?;
            say!("waypoints: {}", file.display());
        }
    }
    if let Some(file) = &args.metrics {
        write_atomically(file, |w| {
            let mut csv = csv::Writer::from_writer(w);
            csv.write_record(MetricsRow::HEADER)?;
            for row in rows {
                csv.write_record(row.values().map(|v| v.to_string()))?;
            }
            csv.flush()
        })?;
        say!("metrics: {} ({} rows)", file.display(), rows.len());
    }
    if let Some(file) = &args.png {
        save_png(session.problem(), session.swarm().positions(), file)?;
        say!("picture: {}", file.display());
    }
    Ok(())
}

/// `blobswarm gui` (and `blobswarm` alone).
pub fn gui(args: &GuiArgs) -> Result<(), Failure> {
    let (scenario, path) = load(args.scenario.as_deref(), &args.overrides)?;
    if let Some(file) = &args.screenshot {
        check_writable(file)?;
    }
    let session = Session::new(scenario, &path)?;
    for warning in session.warnings() {
        eprintln!("warning: {warning}");
    }
    let screenshot = args.screenshot.clone().map(|file| (file, args.frames));
    let (exit, report) = blobswarm::app::gui::run_window(session, screenshot.clone(), args.paused);
    if exit.is_error() || (screenshot.is_some() && !report.saved) {
        let what = match &screenshot {
            Some((file, _)) => format!("before {} was saved", file.display()),
            None => String::from("with an error"),
        };
        return Err(Failure::Failed(format!("the window closed {what}")));
    }
    if let Some((file, _)) = &screenshot {
        say!("saved {}; {}", file.display(), report.summary());
    }
    Ok(())
}

/// `blobswarm check`.
pub fn check(path: &Path) -> Result<(), Failure> {
    let (scenario, path) = load(
        Some(path),
        &Overrides {
            evaluator: None,
            agents: None,
            seed: None,
            epsilon: None,
        },
    )?;
    let mut session = Session::new(scenario, &path)?;
    let energy = session.metrics().energy;
    let s = session.scenario().clone();
    let p = session.problem().parameters().clone();
    let shape = &p.shape;
    say!("{}: valid scenario \"{}\"", path.display(), s.name);
    say!(
        "  domain        [{}, {}] × [{}, {}] m, {:?} walls, {} obstacle(s)",
        s.domain.min.0,
        s.domain.max.0,
        s.domain.min.1,
        s.domain.max.1,
        s.controller.walls,
        s.obstacles.len()
    );
    let speed = s
        .agents
        .max_speed
        .map_or("no speed limit".into(), |v| format!("max speed {v} m/s"));
    say!("  agents        {} ({speed})", s.agents.count);
    say!(
        "  target        {} component(s), background weight {}",
        s.target.components.len(),
        s.target.background
    );
    say!("  epsilon       {:.4} m ({})", p.epsilon, p.epsilon_rule);
    say!(
        "  agent spacing {:.4} m expected on the target",
        p.agent_spacing
    );
    let how = if p.spacing_auto {
        "automatic: ε/3"
    } else {
        "set"
    };
    say!(
        "  grid          {} × {} nodes, spacing {:.4} × {:.4} m ({how})",
        shape[0],
        shape[1],
        p.spacing[0],
        p.spacing[1]
    );
    say!(
        "  floor         {:.4e} /m², confinement κ = {:.4e} /m²",
        p.floor_density,
        p.kappa
    );
    let dt = session.stable_time_step();
    say!("  time step     ≤ {dt:.4e} s at the start (stability limit e·ε²/max(u/ρ̄))");
    say!(
        "  evaluator     {:?}; initial energy {energy:.6}",
        s.controller.evaluator
    );
    for warning in session.warnings() {
        say!("warning: {warning}");
    }
    Ok(())
}

/// `blobswarm bench`.
pub fn bench(args: &BenchArgs) -> Result<(), Failure> {
    let mut overrides = args.overrides.clone();
    if overrides.agents.is_none() && args.scenario.is_none() {
        overrides.agents = Some(10_000);
    }
    let (scenario, path) = load(args.scenario.as_deref(), &overrides)?;
    if args.steps == 0 {
        return Err(bad(
            "--steps is 0, but at least 1 step is needed to measure",
        ));
    }

    // The solver alone.
    let mut core = Session::new(scenario.clone(), &path)?;
    let started = Instant::now();
    for _ in 0..args.steps {
        core.step();
    }
    let core_time = started.elapsed().as_secs_f64();

    // The same steps through the ECS.
    let mut app = headless_app(Session::new(scenario, &path)?);
    app.update(); // spawns the agents and takes the first step
    let started = Instant::now();
    for _ in 1..args.steps {
        app.update();
    }
    let ecs_time =
        started.elapsed().as_secs_f64() * args.steps as f64 / (args.steps - 1).max(1) as f64;

    let n = core.swarm().len();
    let evaluator = format!("{:?}", core.scenario().controller.evaluator).to_lowercase();
    say!("{} agents, {evaluator} evaluator, {} steps", n, args.steps);
    say!(
        "  solver alone  {:>9.1} steps/s  ({:.2} ms/step)",
        args.steps as f64 / core_time,
        1e3 * core_time / args.steps as f64
    );
    say!(
        "  through ECS   {:>9.1} steps/s  ({:.2} ms/step)",
        args.steps as f64 / ecs_time,
        1e3 * ecs_time / args.steps as f64
    );
    say!(
        "  ECS overhead  {:>+9.1} %",
        100.0 * (ecs_time / core_time - 1.0)
    );
    if session(&app).swarm().state_hash() != core.swarm().state_hash() {
        return Err(Failure::Failed(
            "the ECS and the solver alone ended in different states".into(),
        ));
    }
    Ok(())
}

/// `blobswarm verify`.
pub fn verify(selected: &[String], list: bool) -> Result<(), Failure> {
    if list {
        for case in CASES {
            say!("{:<14} {}", case.name, case.about);
        }
        return Ok(());
    }
    if let Some(unknown) = selected
        .iter()
        .find(|s| !CASES.iter().any(|c| c.name == s.as_str()))
    {
        let names: Vec<&str> = CASES.iter().map(|c| c.name).collect();
        return Err(bad(format!(
            "unknown case '{unknown}'; the cases are: {}",
            names.join(", ")
        )));
    }
    let started = Instant::now();
    let mut rows = Vec::new();
    for case in CASES
        .iter()
        .filter(|c| selected.is_empty() || selected.iter().any(|s| s == c.name))
    {
        let t = Instant::now();
        rows.extend((case.run)());
        eprintln!("{:<14} {:>6.1} s", case.name, t.elapsed().as_secs_f64());
    }
    say_raw!("{}", format_table(&rows));
    let failed = rows.iter().filter(|r| !r.pass).count();
    say!(
        "{} passed, {} failed ({:.1} s)",
        rows.len() - failed,
        failed,
        started.elapsed().as_secs_f64()
    );
    if failed == 0 {
        Ok(())
    } else {
        Err(Failure::Failed(format!(
            "{failed} verification row(s) failed"
        )))
    }
}
