use clap::Parser;

fn main() {
    let cli = devops_maturity::cli::Cli::parse();
    std::process::exit(devops_maturity::cli::run(cli));
}
