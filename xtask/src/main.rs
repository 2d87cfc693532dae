//! `cargo xtask <command>`: the project's automation, as an ordinary binary.
//!
//! - `codegen`: regenerate `generated/` from `specs/`, removing files no spec produces.
//! - `check`: regenerate in memory and fail, naming each file, if `generated/` is stale.
//! - `interop`: run the providers' official Python SDKs against our stub servers and
//!   compare signatures (see `xtask/interop/interop.py`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::emit::GENERATED_MARKER;
use codegen::GeneratedFile;

mod bench;
mod interop;
mod synth;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen_cmd(&root),
        Some("check") => check_cmd(&root),
        Some("interop") => interop::run(&root),
        Some("synth") => synth_cmd(&args[1..]),
        Some("bench") => bench::run(&root),
        Some("bench-scratch") => match (args.get(1), args.get(2)) {
            (Some(specs), Some(dir)) => bench::scratch_crate(&root, Path::new(specs), Path::new(dir)),
            _ => Err("usage: cargo xtask bench-scratch SPECS DIR".into()),
        },
        Some("bench-codegen") => match args.get(1) {
            Some(dir) => bench::codegen_child(Path::new(dir)),
            None => Err("usage: cargo xtask bench-codegen DIR".into()),
        },
        _ => {
            eprintln!("usage: cargo xtask <codegen|check|interop|synth|bench>\n\n  codegen  regenerate generated/ from specs/\n  check    fail if generated/ is stale\n  interop  check our client and stubs against the official Python SDKs (needs PyPI)\n  synth N DIR  write N synthetic actions (specs) into DIR, outside specs/\n  bench    measure codegen, compile cost and runtime; write BENCHMARKS.md (slow)");
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
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// Runs the pipeline; bad specs print their diagnostics.
fn generate(root: &Path) -> Result<(Vec<GeneratedFile>, usize, usize), String> {
    let products = codegen::load_dir(&root.join("specs")).map_err(|d| d.render())?;
    let actions = products.iter().map(|p| p.actions.len()).sum();
    Ok((codegen::emit::emit(&products), products.len(), actions))
}

/// Files under `generated/` that carry the `@generated` marker on their first line.
fn existing_generated(dir: &Path) -> Result<BTreeSet<String>, String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("cannot read {}: {e}", d.display()))?;
        for e in entries {
            let p = e.map_err(|e| e.to_string())?.path();
            if p.is_dir() {
                stack.push(p);
            } else if std::fs::read_to_string(&p).ok().and_then(|t| t.lines().next().map(|l| l.contains(GENERATED_MARKER))).unwrap_or(false) {
                let rel = p.strip_prefix(dir).unwrap_or(&p);
                out.insert(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
    }
    Ok(out)
}

fn codegen_cmd(root: &Path) -> Result<(), String> {
    let (files, products, actions) = generate(root)?;
    let out_dir = root.join("generated");
    let stale = existing_generated(&out_dir)?;
    let (mut written, mut unchanged, mut removed) = (0, 0, 0);
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for f in &files {
        let path = out_dir.join(&f.path);
        if std::fs::read_to_string(&path).is_ok_and(|t| t == f.contents) {
            unchanged += 1;
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &f.contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written += 1;
    }
    for old in stale.iter().filter(|p| !produced.contains(p.as_str())) {
        let path = out_dir.join(old);
        std::fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        removed += 1;
        // Remove folders left empty.
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != out_dir) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    println!("codegen: {products} product versions, {actions} actions -> {} files ({written} written, {unchanged} unchanged, {removed} removed)", files.len());
    Ok(())
}

fn check_cmd(root: &Path) -> Result<(), String> {
    let (files, products, actions) = generate(root)?;
    let out_dir = root.join("generated");
    let mut problems = Vec::new();
    for f in &files {
        match std::fs::read_to_string(out_dir.join(&f.path)) {
            Ok(t) if t == f.contents => {}
            Ok(_) => problems.push(format!("stale:   generated/{}", f.path)),
            Err(_) => problems.push(format!("missing: generated/{}", f.path)),
        }
    }
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for extra in existing_generated(&out_dir)?.iter().filter(|p| !produced.contains(p.as_str())) {
        problems.push(format!("extra:   generated/{extra} (no spec produces it)"));
    }
    if problems.is_empty() {
        println!("check: generated/ is up to date ({products} product versions, {actions} actions, {} files)", files.len());
        Ok(())
    } else {
        Err(format!("check: generated/ is out of date; run `cargo xtask codegen`:\n{}", problems.join("\n")))
    }
}

fn synth_cmd(args: &[String]) -> Result<(), String> {
    let (Some(n), Some(dir)) = (args.first().and_then(|n| n.parse::<usize>().ok()), args.get(1)) else {
        return Err("usage: cargo xtask synth N DIR".into());
    };
    let dir = Path::new(dir);
    if dir.components().any(|c| c.as_os_str() == "specs") {
        return Err("synth: write synthetic specs outside specs/".into());
    }
    let (products, actions) = synth::synth(n, dir)?;
    println!("synth: {actions} actions in {products} product versions under {}", dir.display());
    Ok(())
}
