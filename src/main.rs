use clap::Parser;
use hubsync::cli::{self, Cli};

fn main() {
    let cli = Cli::parse();
    if cli.command.is_none() {
        eprintln!("终端界面尚未包含在此版本中,请使用 hubsync --help 查看命令 (the terminal UI is not in this build; see hubsync --help)");
        std::process::exit(2);
    }
    if let Err(e) = cli::run(cli) {
        eprintln!("错误 (error): {e:#}");
        std::process::exit(1);
    }
}
