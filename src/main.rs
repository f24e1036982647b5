use clap::Parser;
use hubsync::cli::{self, Cli};

fn main() {
    if let Err(e) = cli::run(Cli::parse()) {
        eprintln!("错误 (error): {e:#}");
        std::process::exit(1);
    }
}
