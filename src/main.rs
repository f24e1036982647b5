use clap::Parser;
use hubsync::cli::{self, Cli};

fn main() {
    cli::quiet_on_closed_stdout();
    if let Err(e) = cli::run(Cli::parse()) {
        if cli::is_closed_stdout(&e) {
            std::process::exit(0);
        }
        eprintln!("错误 (error): {e:#}");
        std::process::exit(1);
    }
}
