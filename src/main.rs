use clap::Parser;
use hubsync::cli::{self, Cli};

/// The terminal UI when there is no subcommand, else the command line: two
/// front ends side by side over the same operations (src/ops).
fn main() {
    cli::quiet_on_closed_stdout();
    let args = Cli::parse();
    let code = if args.command.is_some() { cli::main(args) } else { ui(args) };
    std::process::exit(code);
}

fn ui(args: Cli) -> i32 {
    let run = || -> anyhow::Result<()> {
        let lang = cli::resolve_lang(args.lang);
        let dir = cli::data_dir(args.data_dir)?;
        let listen = if args.offline {
            None
        } else {
            Some(
                args.listen
                    .parse()
                    .map_err(|_| anyhow::anyhow!("--listen '{}' 应为 HOST:PORT (must be HOST:PORT)", args.listen))?,
            )
        };
        let opts = hubsync::tui::Options {
            lang,
            monochrome: args.mono,
            mouse: !args.no_mouse,
            listen,
            discovery: !args.no_discovery,
            control: Some(cli::node::handler()),
            keep_backups: args.keep_backups,
        };
        hubsync::tui::run(&dir, opts)
    };
    match run() {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("错误 (error): {e:#}");
            1
        }
    }
}
