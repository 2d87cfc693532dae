//! `cargo xtask <command>`: the project's automation, as an ordinary binary. The command
//! line is declared with clap's derive ([`Cli`]; each command's arguments next to the
//! command: `import::Args`, `coverage::Cli`, `endpoints::Args`, `bench::Args`,
//! `synthetic_specs::Args`), so `cargo xtask --help` and `cargo xtask <command> --help` describe
//! them and a bad argument is clap's error (exit status 2).
//!
//! - `codegen`: regenerate `generated/` from `specs/`, removing `@generated` files no spec
//!   produces.
//! - `check`: regenerate in memory and fail, naming each file, if `generated/` is stale.
//! - `import`: write the YAML specs of a provider's product version from its published
//!   metadata (see `import/mod.rs`); `--diff` reports where specs and metadata disagree.
//! - `coverage`: how much of an `import --all` tree gets through check, emit and
//!   `cargo check`; writes the provider's section of `COVERAGE.md` (see `coverage.rs`).
//! - `coverage endpoints`: the hosts our client resolves for every product of an
//!   `import --all` tree against the official SDKs' (see `endpoints.rs`).
//! - `interop`: run the providers' official Python SDKs against our stub servers and
//!   compare signatures (see `xtask/interop/interop.py`).
//! - `synth N DIR`: synthetic specs for benchmarks; `bench [PART]...`: the benchmarks
//!   (`BENCHMARKS.md`); `bench-scratch` and `bench-codegen`: their helpers.
//!
//! `codegen` and `check` are thin callers of `codegen::sync::ensure`, the one
//! implementation of "is `generated/` what the specs produce" (also used by
//! `codegen/tests/generated.rs`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codegen::sync::{self, Mode};

mod bench;
mod coverage;
mod coverage_file;
mod endpoints;
mod import;
mod interop;
mod memory;
mod synthetic_specs;

/// Runs `cmd` to completion; an error names the `task` (`interop`, `import`) and `what`
/// ran, with its exit status when it failed.
fn run_command(cmd: &mut std::process::Command, task: &str, what: &str) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("{task}: cannot run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{task}: {what} failed ({status})"))
    }
}

/// The project's automation: code generation, spec import, coverage, interop and benchmarks.
#[derive(Debug, Parser)]
#[command(name = "xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate generated/ from specs/ (removing `@generated` files no spec produces).
    Codegen,
    /// Fail, naming each file, if generated/ is not what `codegen` would write.
    Check,
    Import(import::Args),
    Coverage(coverage::Cli),
    /// Check our client and stubs against the official Python SDKs (needs PyPI).
    #[command(
        long_about = "Check our client and stubs against the official Python SDKs (needs PyPI): \
                      a pinned virtual environment in target/interop-venv, our generated stub \
                      servers and signer (the `interop` binary), `cloudapi-stub serve`, and \
                      xtask/interop/interop.py comparing signatures, requests and answers."
    )]
    Interop,
    Synth(synthetic_specs::Args),
    Bench(bench::Args),
    /// Generate SPECS into a scratch crate at DIR that uses the real runtime/ (for benchmarks).
    BenchScratch {
        /// The specs folder to generate from.
        specs: PathBuf,
        /// The scratch crate's folder.
        dir: PathBuf,
    },
    /// One timed codegen run over DIR, printed for `bench` (run in a fresh process by it).
    BenchCodegen {
        /// The specs folder.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let result = match cli.command {
        Command::Codegen => codegen_cmd(&root),
        Command::Check => check_cmd(&root),
        Command::Interop => interop::run(&root),
        Command::Import(args) => import::run(&root, &args),
        Command::Synth(args) => synthetic_specs::run(&args),
        Command::Coverage(coverage::Cli {
            endpoints: Some(coverage::Endpoints::Endpoints(args)),
            ..
        }) => endpoints::run(&root, &args),
        Command::Coverage(cli) => coverage::run(&root, &cli.args),
        Command::Bench(args) => bench::run(&root, &args.resolved()),
        Command::BenchScratch { specs, dir } => bench::scratch_crate(&root, &specs, &dir),
        Command::BenchCodegen { dir } => bench::codegen_child(&dir),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("{msg}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `cargo xtask codegen`: bring `generated/` up to date (see `codegen::sync`).
fn codegen_cmd(root: &Path) -> Result<(), String> {
    let r = sync::ensure(&root.join("specs"), &root.join("generated"), Mode::Write)
        .map_err(|e| e.to_string())?;
    let (written, removed) = (r.applied.written.len(), r.applied.removed.len());
    println!("codegen: {} product versions, {} actions -> {} files ({written} written, {} unchanged, {removed} removed)", r.products, r.actions, r.files, r.unchanged);
    Ok(())
}

/// `cargo xtask check`: fail, listing each stale, missing and extra file, unless
/// `generated/` is what `codegen` would write (the same `codegen::sync` plan).
fn check_cmd(root: &Path) -> Result<(), String> {
    let r = sync::ensure(&root.join("specs"), &root.join("generated"), Mode::Check)
        .map_err(|e| format!("check: {e}"))?;
    println!(
        "check: generated/ is up to date ({} product versions, {} actions, {} files)",
        r.products, r.actions, r.files
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::{Cli, Command};

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// The command lines the docs and CI use (`.ci/run`, README.md, COVERAGE.md,
    /// BENCHMARKS.md, ARCHITECTURE.md, specs/README.md) parse as they always did.
    #[test]
    fn documented_command_lines_parse() {
        let parse = |line: &str| Cli::try_parse_from(line.split_whitespace());
        for line in [
            "cargo-xtask codegen",
            "cargo-xtask check",
            "cargo-xtask interop",
            "cargo-xtask import tencentcloud cvm",
            "cargo-xtask import tencentcloud cvm --version 2017-03-12 --out /tmp/specs",
            "cargo-xtask import tencentcloud organization --diff",
            "cargo-xtask import aliyun ccc --version 2020-07-01 --diff",
            "cargo-xtask import --all tencentcloud --out /tmp/cov/tc",
            "cargo-xtask import --all aliyun --out /tmp/cov/ali",
            "cargo-xtask import --all aliyun --sample --out /tmp/cov/ali",
            "cargo-xtask import --all aliyun --out /tmp/cov/sub --only sts,vpcpeer",
            "cargo-xtask import aliyun vpcpeer --out /tmp/specs",
            "cargo-xtask import --refresh-list aliyun --names /tmp/pypi.tsv",
            "cargo-xtask coverage tencentcloud /tmp/cov/tc",
            "cargo-xtask coverage aliyun /tmp/cov/ali --samples 12",
            "cargo-xtask coverage aliyun /tmp/cov/ali --samples 3 --target-dir /tmp/t",
            "cargo-xtask coverage aliyun /tmp/cov/sub --samples 2 --jobs 1 --dry-run",
            "cargo-xtask coverage endpoints aliyun /tmp/cov/ali",
            "cargo-xtask coverage endpoints tencentcloud /tmp/cov/tc",
            "cargo-xtask synth 1000 /tmp/synth",
            "cargo-xtask bench",
            "cargo-xtask bench compile",
            "cargo-xtask bench codegen runtime --tencent-all /tmp/cov/tc",
            "cargo-xtask bench-scratch /tmp/specs /tmp/crate",
            "cargo-xtask bench-codegen /tmp/specs",
        ] {
            if let Err(e) = parse(line) {
                panic!("{line}: {e}");
            }
        }
        match parse("cargo-xtask coverage aliyun /tmp/cov/ali")
            .unwrap()
            .command
        {
            Command::Coverage(c) => {
                assert!(c.endpoints.is_none());
                assert_eq!(c.args.provider.as_deref(), Some("aliyun"));
                assert_eq!(c.args.samples, 12);
                assert!(c.args.target_dir.is_none());
                assert_eq!(c.args.jobs, 2);
                assert!(!c.args.dry_run);
            }
            other => panic!("{other:?}"),
        }
        match parse("cargo-xtask coverage endpoints tencentcloud /x")
            .unwrap()
            .command
        {
            Command::Coverage(c) => {
                let Some(super::coverage::Endpoints::Endpoints(e)) = c.endpoints else {
                    panic!("{c:?}");
                };
                assert_eq!(
                    (e.provider.as_str(), e.dir.to_str()),
                    ("tencentcloud", Some("/x"))
                );
            }
            other => panic!("{other:?}"),
        }
        for bad in [
            "cargo-xtask",
            "cargo-xtask frobnicate",
            "cargo-xtask codegen extra",
            "cargo-xtask synth many /tmp/x",
            "cargo-xtask synth 10",
            "cargo-xtask coverage aliyun",
            "cargo-xtask coverage aliyun /x --samples lots",
            "cargo-xtask coverage aliyun /x --jobs 0",
            "cargo-xtask coverage endpoints gcp /x",
            "cargo-xtask coverage endpoints aliyun",
            "cargo-xtask bench everything",
            "cargo-xtask bench-scratch /tmp/specs",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
