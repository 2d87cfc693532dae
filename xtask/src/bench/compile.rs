//! `cargo xtask bench compile`: the compile cost of our generated crate next to a
//! smithy-rs crate from crates.io, measured side by side in one run.
//!
//! Every crate is built in a scratch workspace under `target/bench/`, all of them with
//! one target directory (`target/bench/target`), so shared dependencies build once.
//! Dependencies are built first; the timed builds are the crate alone: ours after
//! `src/lib.rs` is rewritten (a new mtime), the registry crate after
//! `cargo clean -p <crate>`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{median, scratch_crate, sh, timed};

/// The smithy-rs crate we compare with, pinned to an exact version.
pub const AWS_CRATE: &str = "aws-sdk-organizations";
/// Its version (the newest 1.x when this was written; the issue measured 1.137).
pub const AWS_VERSION: &str = "1.137.0";

/// Our products measured from the repository's specs: `(cargo feature, name)`.
const OURS: &[(&str, &str)] = &[
    (
        "tencentcloud-organization",
        "Tencent Cloud Organization 2021-03-31",
    ),
    ("aliyun-ccc", "Alibaba Cloud CCC 2020-07-01"),
];

/// The product imported into a scratch specs folder for a third row:
/// `(provider, product, version, feature, name)`.
const IMPORTED: (&str, &str, &str, &str, &str) = (
    "aliyun",
    "ecs",
    "2014-05-26",
    "aliyun-ecs",
    "Alibaba Cloud ECS 2014-05-26, imported for the run",
);

/// Release build per operation, as a fraction of smithy-rs's.
const RELEASE_RATIO_TARGET: f64 = 0.1;
/// `cargo check` per operation, as a fraction of smithy-rs's.
const CHECK_RATIO_TARGET: f64 = 0.2;
/// The Organization-only release build, seconds.
const ORGANIZATION_RELEASE_TARGET_S: f64 = 20.0;
/// The feature the absolute release target applies to.
const ORGANIZATION_FEATURE: &str = "tencentcloud-organization";

/// `cargo check` runs per crate (the median is reported).
const CHECK_RUNS: usize = 2;
/// A second release run is taken only when the first took less than this (seconds).
const SECOND_RELEASE_RUN_BELOW_S: f64 = 60.0;

/// Seconds: the median of `runs` runs, wall and CPU (the build's processes, user +
/// system; `None` when /proc did not say).
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub secs: f64,
    pub cpu: Option<f64>,
    pub runs: usize,
}

impl Timing {
    fn of(xs: Vec<(f64, Option<f64>)>) -> Timing {
        let cpu: Option<Vec<f64>> = xs.iter().map(|x| x.1).collect();
        Timing {
            runs: xs.len(),
            secs: median(xs.iter().map(|x| x.0).collect()),
            cpu: cpu.map(median),
        }
    }

    fn cell(&self) -> String {
        let runs = if self.runs == 1 {
            "1 run".to_owned()
        } else {
            format!("median of {}", self.runs)
        };
        match self.cpu {
            Some(cpu) => format!("{:.1} s (CPU {cpu:.1} s; {runs})", self.secs),
            None => format!("{:.1} s ({runs})", self.secs),
        }
    }
}

/// One crate's figures.
#[derive(Debug, Clone)]
pub struct Row {
    pub label: String,
    /// Our cargo feature; `None` for the smithy-rs crate.
    pub feature: Option<String>,
    pub ops: usize,
    pub check: Timing,
    pub release: Timing,
}

impl Row {
    fn check_per_op(&self) -> f64 {
        self.check.secs / self.ops as f64
    }
    fn release_per_op(&self) -> f64 {
        self.release.secs / self.ops as f64
    }
}

/// `ours / theirs` per operation, as a table cell; the CPU-time ratio after it when both
/// are known.
fn ratio_cell(ours: &Timing, ours_ops: usize, theirs: &Timing, theirs_ops: usize) -> (f64, String) {
    let per = |t: f64, ops: usize| t / ops as f64;
    let wall = per(ours.secs, ours_ops) / per(theirs.secs, theirs_ops);
    let cell = match ours.cpu.zip(theirs.cpu) {
        Some((o, t)) if t > 0.0 => {
            format!(
                "{wall:.2}× (CPU {:.2}×)",
                per(o, ours_ops) / per(t, theirs_ops)
            )
        }
        _ => format!("{wall:.2}×"),
    };
    (wall, cell)
}

/// How a crate is built: the same three steps for ours and the registry crate.
trait Subject {
    /// Builds the dependencies (`release` or `check` profile).
    fn deps(&self, release: bool) -> Result<(), String>;
    /// Makes the next build compile the crate again.
    fn invalidate(&self, release: bool) -> Result<(), String>;
    /// The timed command.
    fn build(&self, release: bool) -> Command;
}

/// Cargo in `dir` with the shared target directory. Incremental compilation is off:
/// cargo uses it for path crates (ours) in the dev profile but not for registry crates,
/// and its cache would let our `cargo check` after a rewritten `src/lib.rs` reuse the
/// previous run's work.
fn cargo(dir: &Path, target: &Path) -> Command {
    let mut c = Command::new(env!("CARGO"));
    c.current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0");
    c
}

/// `cargo check` `CHECK_RUNS` times, then `cargo build --release` once or twice.
fn measure(s: &dyn Subject, label: &str) -> Result<(Timing, Timing), String> {
    s.deps(false)?;
    let mut checks = Vec::new();
    for _ in 0..CHECK_RUNS {
        s.invalidate(false)?;
        let (wall, cpu) = timed(&mut s.build(false))?;
        println!("bench: {label}: cargo check {wall:.1} s{}", cpu_note(cpu));
        checks.push((wall, cpu));
    }
    s.deps(true)?;
    let mut releases = Vec::new();
    loop {
        s.invalidate(true)?;
        let (wall, cpu) = timed(&mut s.build(true))?;
        println!(
            "bench: {label}: cargo build --release {wall:.1} s{}",
            cpu_note(cpu)
        );
        releases.push((wall, cpu));
        if releases.len() >= 2 || releases[0].0 >= SECOND_RELEASE_RUN_BELOW_S {
            break;
        }
    }
    Ok((Timing::of(checks), Timing::of(releases)))
}

fn cpu_note(cpu: Option<f64>) -> String {
    cpu.map(|c| format!(" (CPU {c:.1} s)")).unwrap_or_default()
}

/// The registry crate in its own scratch workspace.
struct Registry {
    dir: PathBuf,
    target: PathBuf,
}

impl Registry {
    fn new(bench: &Path) -> Result<Registry, String> {
        let dir = bench.join(AWS_CRATE);
        std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
        let manifest = format!(
            "# Written by `cargo xtask bench`: a scratch workspace that depends on the crate measured.\n[workspace]\n\n[package]\nname = \"bench-{AWS_CRATE}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{AWS_CRATE} = {{ version = \"={AWS_VERSION}\", default-features = false }}\n"
        );
        write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
        write_if_changed(&dir.join("src/lib.rs"), "")?;
        Ok(Registry {
            dir,
            target: bench.join("target"),
        })
    }

    /// The crate's operations: the `src/operation/*/` module folders of its source.
    fn operations(&self) -> Result<usize, String> {
        let out = sh(cargo(&self.dir, &self.target).args(["metadata", "--format-version", "1"]))?;
        let meta: serde_json::Value =
            serde_json::from_str(&out).map_err(|e| format!("cargo metadata: {e}"))?;
        let manifest = meta["packages"]
            .as_array()
            .and_then(|ps| {
                ps.iter().find(|p| {
                    p["name"].as_str() == Some(AWS_CRATE)
                        && p["version"].as_str() == Some(AWS_VERSION)
                })
            })
            .and_then(|p| p["manifest_path"].as_str())
            .ok_or_else(|| format!("cargo metadata does not list {AWS_CRATE} {AWS_VERSION}"))?;
        let ops_dir = Path::new(manifest)
            .parent()
            .map(|d| d.join("src/operation"))
            .ok_or("manifest path has no parent")?;
        let entries = std::fs::read_dir(&ops_dir)
            .map_err(|e| format!("cannot read {}: {e}", ops_dir.display()))?;
        let mut n = 0;
        for e in entries {
            if e.map_err(|e| e.to_string())?.path().is_dir() {
                n += 1;
            }
        }
        if n == 0 {
            return Err(format!("no operation folders in {}", ops_dir.display()));
        }
        Ok(n)
    }
}

impl Subject for Registry {
    fn deps(&self, release: bool) -> Result<(), String> {
        let mut c = cargo(&self.dir, &self.target);
        if release {
            c.args(["build", "-q", "--release"]);
        } else {
            c.args(["check", "-q"]);
        }
        sh(&mut c).map(drop)
    }
    fn invalidate(&self, release: bool) -> Result<(), String> {
        let mut c = cargo(&self.dir, &self.target);
        c.args(["clean", "-q", "-p", AWS_CRATE]);
        if release {
            c.arg("--release");
        }
        sh(&mut c).map(drop)
    }
    fn build(&self, release: bool) -> Command {
        let mut c = cargo(&self.dir, &self.target);
        if release {
            c.args(["build", "-q", "--release", "-p", AWS_CRATE]);
        } else {
            c.args(["check", "-q", "-p", AWS_CRATE]);
        }
        c
    }
}

/// One product crate of our generated code (`cloudapi-<feature>` in a `scratch_crate`).
struct Ours {
    dir: PathBuf,
    target: PathBuf,
    feature: String,
}

impl Ours {
    fn cargo(&self, release: bool) -> Command {
        let mut c = cargo(&self.dir, &self.target);
        if release {
            c.args(["build", "-q", "--release"]);
        } else {
            c.args(["check", "-q"]);
        }
        c.args(["-p", &format!("cloudapi-{}", self.feature)]);
        c
    }
}

impl Subject for Ours {
    /// The product crate once, with every dependency (the runtime, serde); the timed
    /// build is then the product crate alone.
    fn deps(&self, release: bool) -> Result<(), String> {
        sh(&mut self.cargo(release)).map(drop)
    }
    fn invalidate(&self, _release: bool) -> Result<(), String> {
        let lib = self
            .dir
            .join(format!("cloudapi/products/{}/src/lib.rs", self.feature));
        let text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
        std::fs::write(&lib, text).map_err(|e| e.to_string())
    }
    fn build(&self, release: bool) -> Command {
        self.cargo(release)
    }
}

/// A user's binary that calls every action of one product: what the crate's generic
/// code (the client's call, each model's decoder) costs where it is used. It depends on
/// the scratch `cloudapi` by path; the timed build is the binary alone.
struct EveryAction {
    dir: PathBuf,
    target: PathBuf,
}

impl EveryAction {
    /// Writes the binary for the product with `feature`; it and its action count.
    fn new(
        bench: &Path,
        crate_dir: &Path,
        specs: &Path,
        feature: &str,
    ) -> Result<(EveryAction, usize), String> {
        let products = codegen::load_dir(specs).map_err(|d| d.render())?;
        let mut calls = String::new();
        let mut n = 0;
        for p in products.iter().filter(|p| p.feature == feature) {
            let module = format!(
                "cloudapi::{}::{}::{}",
                p.provider_mod, p.product_mod, p.version_mod
            );
            calls.push_str(&format!(
                "    {{\n        let c = {module}::client::Client::from_env().unwrap();\n"
            ));
            for a in &p.actions {
                // The fluent form users write: `client.<action>()…send()`.
                calls.push_str(&format!(
                    "        let _ = c.{m}().send_unchecked().await;\n",
                    m = a.rust_mod
                ));
                n += 1;
            }
            calls.push_str("    }\n");
        }
        let dir = bench.join(format!("every-action-{feature}"));
        std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
        let manifest = format!(
            "# Written by `cargo xtask bench`: a binary calling every action of `{feature}`.\n[workspace]\n\n[package]\nname = \"every-action\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\ncloudapi = {{ path = {:?}, default-features = false, features = [\"{feature}\"] }}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n",
            crate_dir.join("cloudapi").display().to_string()
        );
        write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
        // The calls run only when asked to (they would need credentials and a network),
        // but they are compiled either way.
        let main = format!(
            "//! Calls every action of `{feature}` (compiled, run only with an argument).\n\n#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {{\n    if std::env::args().len() < 2 {{\n        return;\n    }}\n{calls}}}\n"
        );
        write_if_changed(&dir.join("src/main.rs"), &main)?;
        // The workspace's lock file, so the same dependency versions are built.
        let lock = crate_dir.join("Cargo.lock");
        if lock.exists() {
            std::fs::copy(&lock, dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
        }
        let target = bench.join("target");
        Ok((EveryAction { dir, target }, n))
    }
}

impl Subject for EveryAction {
    /// `cloudapi` with the product, and tokio.
    fn deps(&self, release: bool) -> Result<(), String> {
        let mut c = cargo(&self.dir, &self.target);
        if release {
            c.args(["build", "-q", "--release", "-p", "cloudapi", "-p", "tokio"]);
        } else {
            c.args(["check", "-q", "-p", "cloudapi", "-p", "tokio"]);
        }
        sh(&mut c).map(drop)
    }
    fn invalidate(&self, _release: bool) -> Result<(), String> {
        let main = self.dir.join("src/main.rs");
        let text = std::fs::read_to_string(&main).map_err(|e| e.to_string())?;
        std::fs::write(&main, text).map_err(|e| e.to_string())
    }
    fn build(&self, release: bool) -> Command {
        let mut c = cargo(&self.dir, &self.target);
        if release {
            c.args(["build", "-q", "--release"]);
        } else {
            c.args(["check", "-q"]);
        }
        c
    }
}

/// Actions of the product whose feature is `feature`, in the specs below `specs`.
fn actions(specs: &Path, feature: &str) -> Result<usize, String> {
    let products = codegen::load_dir(specs).map_err(|d| d.render())?;
    let n: usize = products
        .iter()
        .filter(|p| p.feature == feature)
        .map(|p| p.actions.len())
        .sum();
    if n == 0 {
        return Err(format!(
            "no actions with feature `{feature}` in {}",
            specs.display()
        ));
    }
    Ok(n)
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Imports the ECS version into `bench/specs-<product>`; the folder, or why not.
fn import_scratch(root: &Path, bench: &Path) -> Result<PathBuf, String> {
    let (provider, product, version, _, _) = IMPORTED;
    let specs = bench.join(format!("specs-{product}"));
    if specs.exists() {
        std::fs::remove_dir_all(&specs)
            .map_err(|e| format!("cannot clear {}: {e}", specs.display()))?;
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .args(["import", provider, product, "--version", version, "--out"])
        .arg(&specs)
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run `xtask import`: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = err.lines().rev().take(5).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "`cargo xtask import {provider} {product} --version {version}` failed ({}): {}",
            out.status,
            tail.join(" / ")
        ));
    }
    Ok(specs)
}

/// Runs the comparison; the Markdown section.
pub fn section(root: &Path, bench: &Path) -> Result<String, String> {
    let target = bench.join("target");
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut rows = Vec::new();

    // smithy-rs.
    let reg = Registry::new(bench)?;
    reg.deps(false)?; // downloads the crate, so that its operations can be counted
    let ops = reg.operations()?;
    let label = format!("`{AWS_CRATE}` {AWS_VERSION} (smithy-rs)");
    println!("bench: {label}: {ops} operations");
    let (check, release) = measure(&reg, AWS_CRATE)?;
    rows.push(Row {
        label,
        feature: None,
        ops,
        check,
        release,
    });

    // Ours, from the repository's specs.
    let specs = root.join("specs");
    let dir = bench.join("crate-specs");
    scratch_crate(root, &specs, &dir)?;
    for (feature, name) in OURS {
        let ops = actions(&specs, feature)?;
        println!("bench: {name}: {ops} actions");
        let ours = Ours {
            dir: dir.clone(),
            target: target.clone(),
            feature: (*feature).to_owned(),
        };
        let (check, release) = measure(&ours, feature)?;
        rows.push(Row {
            label: format!("`cloudapi-{feature}` ({name})"),
            feature: Some((*feature).to_owned()),
            ops,
            check,
            release,
        });
    }

    // A user's binary calling every Organization action, built after the crate.
    let (every, ops) = EveryAction::new(bench, &dir, &specs, ORGANIZATION_FEATURE)?;
    println!("bench: a binary calling every action: {ops} actions");
    let (check, release) = measure(&every, "every-action")?;
    let every_row = Row {
        label: format!("a binary calling all {ops} actions of `{ORGANIZATION_FEATURE}` (the binary alone, after `cloudapi`)"),
        feature: Some(format!("{ORGANIZATION_FEATURE} (user binary)")),
        ops,
        check,
        release,
    };

    // Ours, a product imported for the run (skipped, saying why, if the import fails).
    let (_, product, _, feature, name) = IMPORTED;
    let mut skipped = None;
    let imported =
        import_scratch(root, bench).and_then(|specs| actions(&specs, feature).map(|n| (specs, n)));
    match imported {
        Ok((specs, ops)) => {
            println!("bench: {name}: {ops} actions");
            let dir = bench.join(format!("crate-{product}"));
            scratch_crate(root, &specs, &dir)?;
            let ours = Ours {
                dir,
                target: target.clone(),
                feature: feature.to_owned(),
            };
            let (check, release) = measure(&ours, feature)?;
            rows.push(Row {
                label: format!("`cloudapi-{feature}` ({name})"),
                feature: Some(feature.to_owned()),
                ops,
                check,
                release,
            });
        }
        Err(why) => {
            println!("bench: {name}: row skipped: {why}");
            skipped = Some(why);
        }
    }

    rows.push(every_row);
    let md = render(&rows, cores, &load, skipped.as_deref());
    Ok(md)
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**missed**"
    }
}

fn render(rows: &[Row], cores: usize, load: &str, skipped: Option<&str>) -> String {
    let mut md = format!(
        "\n## Compile cost against smithy-rs\n\n\
Measured side by side in one run: `{AWS_CRATE}` {AWS_VERSION} from crates.io (generated by smithy-rs, `default-features = false`) and our generated product crates (`cloudapi-<product>`, one per product, each depending only on `cloudapi-runtime`). Each is a scratch workspace under `target/bench/`, all with one target directory (`target/bench/target`), so shared dependencies build once. Dependencies are built first and the figures are the crate alone, compiled from scratch (`CARGO_INCREMENTAL=0`, as cargo already does for registry crates): ours after rewriting the product crate's `src/lib.rs`, the registry crate after `cargo clean -p {AWS_CRATE}` (`--release` for the release build), then `cargo check -p {AWS_CRATE}` / `cargo build --release -p {AWS_CRATE}`. This machine has {cores} cores; cargo ran with its default parallelism (load average {load} when the section started; other work on the machine adds noise). `cargo check` is the median of {CHECK_RUNS} runs; `cargo build --release` is one run, or the median of two when the first took under {SECOND_RELEASE_RUN_BELOW_S:.0} s (each cell says which). Each cell also gives the build's CPU time (user + system of cargo and rustc), which other work on the machine disturbs less than the wall time; the ratios are of wall times, with the CPU-time ratio after them, and the targets are judged on wall times.\n\n\
Operations: ours are the actions in the specs; smithy-rs's are the `src/operation/*/` modules of the downloaded crate.\n\n\
Targets: `cargo build --release` ≤ {RELEASE_RATIO_TARGET}× smithy-rs per operation; `cargo check` ≤ {CHECK_RATIO_TARGET}× smithy-rs per operation; the `{ORGANIZATION_FEATURE}`-only release build < {ORGANIZATION_RELEASE_TARGET_S:.0} s.\n\n\
| crate | operations | `cargo check` | per operation | ÷ smithy-rs | `cargo build --release` | per operation | ÷ smithy-rs | targets |\n\
|---|---:|---:|---:|---:|---:|---:|---:|---|\n"
    );
    let aws = rows.iter().find(|r| r.feature.is_none());
    for r in rows {
        let (check_ratio, release_ratio, targets) = match (aws, &r.feature) {
            (Some(a), Some(feature)) => {
                let (cr, check_cell) = ratio_cell(&r.check, r.ops, &a.check, a.ops);
                let (rr, release_cell) = ratio_cell(&r.release, r.ops, &a.release, a.ops);
                let mut t = vec![
                    format!(
                        "check ≤ {CHECK_RATIO_TARGET}×: {}",
                        met(cr <= CHECK_RATIO_TARGET)
                    ),
                    format!(
                        "release ≤ {RELEASE_RATIO_TARGET}×: {}",
                        met(rr <= RELEASE_RATIO_TARGET)
                    ),
                ];
                if feature == ORGANIZATION_FEATURE {
                    t.push(format!(
                        "release < {ORGANIZATION_RELEASE_TARGET_S:.0} s: {}",
                        met(r.release.secs < ORGANIZATION_RELEASE_TARGET_S)
                    ));
                }
                if feature.ends_with("(user binary)") {
                    // Not the crate alone: what a user pays on top of it.
                    t = vec!["added to the crate's own build; no target".into()];
                }
                (check_cell, release_cell, t.join("; "))
            }
            _ => ("1×".into(), "1×".into(), "(reference)".into()),
        };
        let line = format!(
            "| {} | {} | {} | {:.0} ms | {check_ratio} | {} | {:.0} ms | {release_ratio} | {targets} |\n",
            r.label,
            r.ops,
            r.check.cell(),
            r.check_per_op() * 1000.0,
            r.release.cell(),
            r.release_per_op() * 1000.0,
        );
        println!("bench: {}", line.trim_end());
        md.push_str(&line);
    }
    if let Some(why) = skipped {
        md.push_str(&format!(
            "\nThe row for {} was skipped: {why}\n",
            IMPORTED.4
        ));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(feature: Option<&str>, ops: usize, check: f64, release: f64) -> Row {
        Row {
            label: feature.unwrap_or("aws").to_owned(),
            feature: feature.map(str::to_owned),
            ops,
            check: Timing {
                secs: check,
                cpu: None,
                runs: 2,
            },
            release: Timing {
                secs: release,
                cpu: None,
                runs: 1,
            },
        }
    }

    #[test]
    fn ratios_are_per_operation_and_targets_are_judged_per_row() {
        let rows = [
            row(None, 50, 10.0, 100.0),                      // 0.2 s, 2 s per op
            row(Some(ORGANIZATION_FEATURE), 100, 4.0, 30.0), // 0.2×, 0.15×: check met
            row(Some("aliyun-ccc"), 200, 16.0, 20.0),        // 0.4×, 0.05×
        ];
        let md = render(&rows, 2, "0.5", Some("import failed"));
        assert!(md.contains(
            "| tencentcloud-organization | 100 | 4.0 s (median of 2) | 40 ms | 0.20× | 30.0 s (1 run) | 300 ms | 0.15× | check ≤ 0.2×: met; release ≤ 0.1×: **missed**; release < 20 s: **missed** |"
        ), "{md}");
        assert!(md.contains(
            "| aliyun-ccc | 200 | 16.0 s (median of 2) | 80 ms | 0.40× | 20.0 s (1 run) | 100 ms | 0.05× | check ≤ 0.2×: **missed**; release ≤ 0.1×: met |"
        ), "{md}");
        assert!(
            md.contains("| aws | 50 | 10.0 s (median of 2) | 200 ms | 1× |"),
            "{md}"
        );
        assert!(md.contains("was skipped: import failed"), "{md}");
    }

    #[test]
    fn cpu_time_is_shown_and_compared_when_known() {
        let t = |secs, cpu| Timing {
            secs,
            cpu: Some(cpu),
            runs: 2,
        };
        assert_eq!(t(4.0, 3.0).cell(), "4.0 s (CPU 3.0 s; median of 2)");
        // 4 s / 100 ops against 10 s / 50 ops is 0.2×; CPU 3 / 100 against 5 / 50 is 0.3×.
        let (wall, cell) = ratio_cell(&t(4.0, 3.0), 100, &t(10.0, 5.0), 50);
        assert!((wall - 0.2).abs() < 1e-9);
        assert_eq!(cell, "0.20× (CPU 0.30×)");
        let no_cpu = Timing {
            cpu: None,
            ..t(4.0, 0.0)
        };
        assert_eq!(ratio_cell(&no_cpu, 100, &t(10.0, 5.0), 50).1, "0.20×");
    }
}
