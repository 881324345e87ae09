//! The blobswarm command line: `run`, `check` and `bench` on scenarios, `verify` for the solver.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cli::{BenchArgs, Failure, RunArgs};

/// Design coverage controllers for robot swarms with the blob method.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// What to do [default: open the window on the built-in scenario].
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Open the simulator window on a scenario (the built-in one when left out).
    Gui(cli::GuiArgs),
    /// Simulate a scenario headless and export waypoints, metrics and a picture.
    Run(RunArgs),
    /// Validate a scenario and print the parameters the controller derives from it.
    Check {
        /// The scenario file (RON).
        scenario: std::path::PathBuf,
    },
    /// Measure steps per second through the ECS and through the solver alone.
    Bench(BenchArgs),
    /// Run the solver's reference suite and print a table; exit status 1 if a case fails.
    Verify {
        /// Run only the named cases (repeatable); `--list` shows them.
        #[arg(long = "case", value_name = "NAME")]
        cases: Vec<String>,
        /// List the cases and exit.
        #[arg(long)]
        list: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Gui(cli::GuiArgs::default()));
    let outcome = match command {
        Command::Gui(args) => cli::gui(&args),
        Command::Run(args) => cli::run(&args),
        Command::Check { scenario } => cli::check(&scenario),
        Command::Bench(args) => cli::bench(&args),
        Command::Verify { cases, list } => cli::verify(&cases, list),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BadInput(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
