//! The command line as a user runs it: outputs, exit statuses and messages for bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn blobswarm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_blobswarm"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
        .display()
        .to_string()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A valid small scenario with `field` replaced by `value` (RON text).
fn scenario_with(dir: &Path, name: &str, replace: (&str, &str)) -> PathBuf {
    let base = r#"Scenario(
    name: "small",
    domain: (min: (0.0, 0.0), max: (4.0, 4.0)),
    agents: (count: 20, placement: Uniform(min: (0.5, 0.5), max: (1.5, 1.5)), seed: 1),
    target: (background: 0.1, components: [Disk(weight: 1.0, center: (2.0, 2.0), radius: 1.0)]),
    obstacles: [Circle(center: (3.2, 3.2), radius: 0.3)],
)"#;
    assert!(
        base.contains(replace.0),
        "{} is not in the base scenario",
        replace.0
    );
    let path = dir.join(name);
    std::fs::write(&path, base.replacen(replace.0, replace.1, 1)).unwrap();
    path
}

/// Runs `run` on a bad scenario: exit status 2, the message contains every `expected` part.
fn assert_bad(dir: &Path, replace: (&str, &str), expected: &[&str]) {
    let path = scenario_with(dir, "bad.ron", replace);
    let out = dir.join("out.ron");
    let output = blobswarm(&[
        "run",
        path.to_str().unwrap(),
        "--steps",
        "3",
        "--waypoints",
        out.to_str().unwrap(),
    ]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{replace:?}: {message}");
    assert!(!message.contains("panicked"), "{message}");
    for part in expected {
        assert!(
            message.contains(part),
            "{replace:?}: expected {part:?} in: {message}"
        );
    }
    assert!(!out.exists(), "no output is written for bad input");
}

#[test]
fn run_writes_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let files = ["w.ron", "w.csv", "m.csv", "final.png"].map(|f| dir.path().join(f));
    let [ron, csv, metrics, png] = files.each_ref().map(|f| f.to_str().unwrap());
    let scenario = example("gaussian-mixture.ron");
    let output = blobswarm(&[
        "run",
        &scenario,
        "--time",
        "2",
        "--waypoints",
        ron,
        "--csv",
        csv,
        "--metrics",
        metrics,
        "--png",
        png,
        "--agents",
        "120",
        "--seed",
        "9",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    for file in &files {
        assert!(
            file.metadata().unwrap().len() > 0,
            "{} is empty",
            file.display()
        );
    }
    let waypoints = blobswarm::scene::waypoints::Waypoints::load(&files[0]).unwrap();
    assert_eq!(waypoints.agents.len(), 120);
    assert_eq!(waypoints.scenario, "Gaussian mixture");
    let last = waypoints.agents[0].path.last().unwrap().t;
    assert!(
        (last - 2.0).abs() < 1e-9 || last >= 2.0,
        "the paths reach t = 2 s: {last}"
    );
    let metrics = std::fs::read_to_string(&files[2]).unwrap();
    assert!(metrics.starts_with("t,energy,chi2,l1,l2,coverage_cost,min_spacing,distance\n"));
    let picture = image::open(&files[3]).unwrap();
    assert_eq!(picture.width(), 800);
    // No temporary files are left next to the outputs.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4);
}

#[test]
fn runs_are_reproducible_and_the_seed_matters() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = example("ring.ron");
    let run = |name: &str, seed: &str| {
        let file = dir.path().join(name);
        let output = blobswarm(&[
            "run",
            &scenario,
            "--steps",
            "30",
            "--seed",
            seed,
            "--csv",
            file.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        std::fs::read(file).unwrap()
    };
    assert_eq!(run("a.csv", "1"), run("b.csv", "1"));
    assert_ne!(run("a.csv", "1"), run("c.csv", "2"));
}

#[test]
fn check_reports_the_derived_parameters() {
    let output = blobswarm(&["check", &example("obstacle-field.ron")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    for part in [
        "epsilon",
        "agent spacing",
        "grid",
        "time step",
        "10 obstacle(s)",
        "1200",
    ] {
        assert!(text.contains(part), "{part:?} missing in:\n{text}");
    }
}

#[test]
fn bench_compares_the_ecs_with_the_solver() {
    let output = blobswarm(&["bench", "--agents", "300", "--steps", "5"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("solver alone") && text.contains("through ECS"),
        "{text}"
    );
}

#[test]
fn malformed_and_incomplete_files_name_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    assert_bad(
        dir,
        ("count: 20,", "count: 20"),
        &["bad.ron:4:", "Expected comma"],
    );
    assert_bad(
        dir,
        ("seed: 1", "seed: 1, colour: 3"),
        &[
            "bad.ron:4:",
            "Unexpected field named `colour`",
            "expected one of",
        ],
    );
    assert_bad(dir, ("name: \"small\",", ""), &["bad.ron", "name"]);
    let missing = blobswarm(&["run", "/nonexistent/scenario.ron"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("cannot read /nonexistent/scenario.ron"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn values_out_of_range_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    assert_bad(
        dir,
        ("max: (4.0, 4.0)", "max: (4.0, -1.0)"),
        &["domain.max", "max must exceed min"],
    );
    assert_bad(
        dir,
        ("radius: 1.0", "radius: 0.0"),
        &["target.components[0].radius", "greater than 0"],
    );
    assert_bad(
        dir,
        ("radius: 0.3", "radius: -2.0"),
        &["obstacles[0].radius"],
    );
    assert_bad(
        dir,
        ("radius: 1.0", "radius: NaN"),
        &["target.components[0].radius", "NaN"],
    );
    assert_bad(
        dir,
        ("radius: 1.0", "radius: inf"),
        &["target.components[0].radius", "inf"],
    );
    assert_bad(
        dir,
        ("weight: 1.0", "weight: -1.0"),
        &["target.components[0].weight", "at least 0"],
    );
    assert_bad(
        dir,
        (
            "background: 0.1, components: [Disk(weight: 1.0",
            "background: 0.0, components: [Disk(weight: 0.0",
        ),
        &["target", "total weight of 0"],
    );
    assert_bad(
        dir,
        ("count: 20", "count: 0"),
        &["agents.count", "at least 1"],
    );
    assert_bad(
        dir,
        (
            "obstacles: [Circle(center: (3.2, 3.2), radius: 0.3)]",
            "obstacles: [Polygon(vertices: [(0.0, 0.0), (1.0, 1.0)])]",
        ),
        &["obstacles[0].vertices", "at least 3 vertices"],
    );
    assert_bad(
        dir,
        (
            "obstacles: [Circle(center: (3.2, 3.2), radius: 0.3)]",
            "obstacles: [Polygon(vertices: [(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0)])]",
        ),
        &["obstacles[0].vertices", "cross"],
    );
    assert_bad(
        dir,
        (
            "obstacles: [Circle(center: (3.2, 3.2), radius: 0.3)]",
            "obstacles: [Rectangle(min: (-1.0, -1.0), max: (5.0, 5.0))]",
        ),
        &["obstacles cover the whole domain"],
    );
    assert_bad(
        dir,
        (
            "components: [Disk(weight: 1.0, center: (2.0, 2.0), radius: 1.0)]",
            "components: [Image(weight: 1.0, path: \"missing.png\", min: (0.0, 0.0), max: (1.0, 1.0))]",
        ),
        &["target.components[0]", "cannot load image", "missing.png"],
    );
}

#[test]
fn bad_command_line_values_are_refused() {
    let scenario = example("ring.ron");
    let output = blobswarm(&["run", &scenario, "--epsilon=-1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("controller.epsilon"),
        "{}",
        stderr(&output)
    );
    let output = blobswarm(&["run", &scenario, "--time", "0"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--time"), "{}", stderr(&output));
    let output = blobswarm(&["run", &example("barenblatt.ron"), "--agents", "10"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("explicit points"),
        "{}",
        stderr(&output)
    );
    let output = blobswarm(&["run", &scenario, "--evaluator", "magic"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn unwritable_outputs_fail_before_any_work_and_leave_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.csv");
    let output = blobswarm(&[
        "run",
        &example("ring.ron"),
        "--steps",
        "3",
        "--csv",
        good.to_str().unwrap(),
        "--png",
        "/nonexistent-folder/final.png",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot write /nonexistent-folder/final.png"),
        "{}",
        stderr(&output)
    );
    assert!(
        !good.exists(),
        "nothing is written when one output cannot be"
    );
    let output = blobswarm(&[
        "run",
        &example("ring.ron"),
        "--steps",
        "3",
        "--waypoints",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("it is a folder"),
        "{}",
        stderr(&output)
    );
}
