//! Thin entry point: parse the command line, run, exit with its status.

use clap::Parser;
use crontriage::{app, cli::Cli};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let code = app::run(cli, &mut stdout.lock(), &mut stderr.lock());
    code.into()
}
