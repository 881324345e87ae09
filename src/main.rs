//! The blobswarm command line.

use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use blobswarm::verify::{CASES, format_table};

/// Design coverage controllers for robot swarms with the blob method.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
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
    match cli.command {
        Command::Verify { cases, list } => verify(&cases, list),
    }
}

fn verify(selected: &[String], list: bool) -> ExitCode {
    if list {
        for case in CASES {
            println!("{:<14} {}", case.name, case.about);
        }
        return ExitCode::SUCCESS;
    }
    if let Some(unknown) = selected
        .iter()
        .find(|s| !CASES.iter().any(|c| c.name == s.as_str()))
    {
        let names: Vec<&str> = CASES.iter().map(|c| c.name).collect();
        eprintln!(
            "error: unknown case '{unknown}'; the cases are: {}",
            names.join(", ")
        );
        return ExitCode::from(2);
    }
    let started = Instant::now();
    let mut rows = Vec::new();
    for case in CASES
        .iter()
        .filter(|c| selected.is_empty() || selected.iter().any(|s| s == c.name))
    {
        let t = Instant::now();
        let case_rows = (case.run)();
        eprintln!("{:<14} {:>6.1} s", case.name, t.elapsed().as_secs_f64());
        rows.extend(case_rows);
    }
    print!("{}", format_table(&rows));
    let failed = rows.iter().filter(|r| !r.pass).count();
    println!(
        "{} passed, {} failed ({:.1} s)",
        rows.len() - failed,
        failed,
        started.elapsed().as_secs_f64()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
