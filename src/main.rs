//! Thin entry point: parse the command line, run, exit with its status.

use clap::Parser;
use crontriage::{app, cli::Cli};

fn main() -> std::process::ExitCode {
    let cli = Cli::try_parse().unwrap_or_else(|e| {
        // clap echoes the value it refused: a token pasted as one is
        // redacted like in every other message (plain, as clap's colour
        // would be applied to the unredacted text).
        let plain = e.render().to_string();
        let red = crontriage::redact::redact(&plain);
        if !e.use_stderr() || red == plain {
            e.exit()
        }
        eprint!("{red}");
        std::process::exit(e.exit_code())
    });
    let stdout = std::io::stdout();
    // stderr unlocked: the progress bar draws on it from other threads while
    // the run goes on, and a lock held here would block them (a deadlock
    // whenever the bar is shown). Each message is one write, so none mix.
    let code = app::run(cli, &mut stdout.lock(), &mut std::io::stderr());
    code.into()
}
