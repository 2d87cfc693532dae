//! `cargo xtask <command>`: the project's automation, as an ordinary binary.
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
//!
//! `codegen` and `check` are thin callers of `codegen::sync::ensure`, the one
//! implementation of "is `generated/` what the specs produce" (also used by
//! `codegen/tests/generated.rs`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::sync::{self, Mode};

mod bench;
mod coverage;
mod endpoints;
mod import;
mod interop;
mod synth;

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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen_cmd(&root),
        Some("check") => check_cmd(&root),
        Some("interop") => interop::run(&root),
        Some("import") => import::Args::parse(&args[1..]).and_then(|a| import::run(&root, &a)),
        Some("synth") => synth_cmd(&args[1..]),
        Some("coverage") if args.get(1).map(String::as_str) == Some("endpoints") => {
            endpoints::run(&root, &args[2..])
        }
        Some("coverage") => coverage::run(&root, &args[1..]),
        Some("bench") => bench::Args::parse(&args[1..]).and_then(|a| bench::run(&root, &a)),
        Some("bench-scratch") => match (args.get(1), args.get(2)) {
            (Some(specs), Some(dir)) => {
                bench::scratch_crate(&root, Path::new(specs), Path::new(dir))
            }
            _ => Err("usage: cargo xtask bench-scratch SPECS DIR".into()),
        },
        Some("bench-codegen") => match args.get(1) {
            Some(dir) => bench::codegen_child(Path::new(dir)),
            None => Err("usage: cargo xtask bench-codegen DIR".into()),
        },
        _ => {
            eprintln!("usage: cargo xtask <codegen|check|import|coverage|interop|synth|bench>\n\n  codegen  regenerate generated/ from specs/\n  check    fail if generated/ is stale\n  import PROVIDER PRODUCT [--version V] [--out DIR] [--diff]\n           write a product version's specs from the provider's metadata (needs PyPI)\n  import --all PROVIDER --out DIR\n           every pinned Tencent service / the fixed Alibaba sample, failures collected\n  coverage PROVIDER DIR [--samples N]\n           check, emit and compile an `import --all` tree; write its COVERAGE.md section (slow)\n  coverage endpoints PROVIDER DIR\n           compare every product's hosts with the official SDK's; write its COVERAGE.md section\n  interop  check our client and stubs against the official Python SDKs (needs PyPI)\n  synth N DIR  write N synthetic actions (specs) into DIR, outside specs/\n  bench [codegen|compile|runtime]... [--tencent-all DIR]\n           measure codegen, compile cost against smithy-rs and runtime; a full run\n           (no part named) writes BENCHMARKS.md, a partial one target/bench/partial.md (slow)");
            return ExitCode::from(2);
        }
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

fn synth_cmd(args: &[String]) -> Result<(), String> {
    let (Some(n), Some(dir)) = (
        args.first().and_then(|n| n.parse::<usize>().ok()),
        args.get(1),
    ) else {
        return Err("usage: cargo xtask synth N DIR".into());
    };
    let dir = Path::new(dir);
    if dir.components().any(|c| c.as_os_str() == "specs") {
        return Err("synth: write synthetic specs outside specs/".into());
    }
    let (products, actions) = synth::synth(n, dir)?;
    println!(
        "synth: {actions} actions in {products} product versions under {}",
        dir.display()
    );
    Ok(())
}
