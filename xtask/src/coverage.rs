//! `cargo xtask coverage <provider> DIR [--samples N] [--target-dir DIR]`: how much of a
//! provider's published metadata gets through the pipeline, written as that provider's
//! section of `COVERAGE.md` (the other provider's section is kept).
//!
//! `DIR` is what `cargo xtask import --all <provider> --out DIR` wrote: a specs tree and
//! `DIR/<provider>.import.json` (the actions each product's metadata lists, and those
//! the importer left out, with the reason). The stages, each counted in actions:
//!
//! 1. **imported**: action files written, of the actions in the metadata;
//! 2. **check**: `codegen`'s checker on each product on its own (the provider file and
//!    the product's folder), so one broken product hides no other;
//! 3. **emitted**: the products that pass, generated into a scratch workspace
//!    (`target/coverage/<provider>`, `crate::bench::scratch_crate`: the `cloudapi` facade
//!    and one crate per product, the real runtime by path); an emitted `compile_error!`
//!    counts against its product;
//! 4. **compile**: `cargo check -p cloudapi-<provider>-<product>` of each product crate,
//!    after the facade with no product (the runtime and its dependencies, once). Cargo
//!    checks `--jobs` crates at once (default 2, one per core: SAS's 965 actions beside
//!    PolarDB's and ESA's 485, the largest, peaked at 4.1 GiB), in batches of 8 per job
//!    with `--keep-going`, so one broken product fails alone; a batch that cargo gives up
//!    on as a whole is rerun one product at a time. Under `nice -n 10`; cargo's target
//!    folder is `target/coverage/target` unless `--target-dir` says otherwise, e.g. to
//!    run both providers at once;
//! 5. **examples**: the checker's `examples` family decodes every JSON example against
//!    the model under the runtime's tolerance rule, and the importer leaves out the ones
//!    it rejects (saying why at the top of the action file): counted from those
//!    comments and the examples kept. Then the runtime's own decoder on a sample of
//!    `N` compiled products (default 12): a scratch binary runs every
//!    `cloudapi::response_samples()` entry of those products (each action's example or
//!    synthesized body, decoded and round-tripped).
//!
//! Every failure is grouped by class (its message with names and numbers blanked) with
//! the products it hits. Each stage's time and peak memory are measured
//! ([`crate::memory`]): the importer's process (from the import report), this process
//! for the checker and the emitter, and cargo with its `rustc`s for `cargo check` and the
//! decoder sample. `--dry-run` prints the section instead of writing it (a trial on a
//! subset, `import --all … --only P,Q`, leaves COVERAGE.md as the full run wrote it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::coverage_file::{product_dirs, write_section};
use crate::import::all::{report_path, Report};
use crate::memory;

/// The command line of `cargo xtask coverage`: a provider's tree, or `endpoints`.
#[derive(Debug, clap::Args)]
#[command(
    about = "Check, emit and compile an `import --all` tree; write its COVERAGE.md section (slow)",
    long_about = "Run an `import --all` tree (DIR) through the pipeline: the checker per \
                  product, emission into a scratch workspace (target/coverage/<provider>), \
                  `cargo check` of each product crate and the runtime's decoder on a sample, \
                  each stage timed and its peak memory measured; rewrite the provider's \
                  section of COVERAGE.md. `coverage endpoints` compares every product's hosts \
                  with the official SDKs'.",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    disable_help_subcommand = true,
    after_help = "Examples:\n  cargo xtask coverage tencentcloud /tmp/cov/tc\n  cargo xtask coverage aliyun /tmp/cov/ali --samples 12\n  cargo xtask coverage endpoints aliyun /tmp/cov/ali"
)]
pub struct Cli {
    #[command(subcommand)]
    pub endpoints: Option<Endpoints>,
    #[command(flatten)]
    pub args: Args,
}

#[derive(Debug, clap::Subcommand)]
pub enum Endpoints {
    /// Compare every product's hosts with the official SDK's; write its COVERAGE.md section.
    Endpoints(crate::endpoints::Args),
}

/// `cargo xtask coverage <provider> DIR [--samples N] [--target-dir DIR]`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The provider whose tree DIR holds (aliyun or tencentcloud).
    #[arg(required = true)]
    pub provider: Option<String>,
    /// What `cargo xtask import --all <provider> --out DIR` wrote.
    #[arg(required = true)]
    pub dir: Option<PathBuf>,
    /// How many compiled products the runtime's decoder runs on.
    #[arg(long, value_name = "N", default_value_t = 12)]
    pub samples: usize,
    /// Cargo's target folder for the scratch crate (default: target/coverage/target;
    /// relative to the current folder).
    #[arg(long, value_name = "DIR")]
    pub target_dir: Option<PathBuf>,
    /// How many product crates `cargo check` compiles at once (cargo's -j).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: u16,
    /// Print the section instead of rewriting COVERAGE.md (for a trial on a subset).
    #[arg(long)]
    pub dry_run: bool,
}

/// One class of failure: how many (actions, examples or errors) and which products.
#[derive(Default)]
struct Class {
    count: usize,
    products: std::collections::BTreeSet<String>,
}

#[derive(Default)]
struct Classes(BTreeMap<String, Class>);

impl Classes {
    fn add(&mut self, message: &str, product: &str, n: usize) {
        let c = self.0.entry(class_of(message)).or_default();
        c.count += n;
        c.products.insert(product.to_owned());
    }

    fn table(&self, what: &str) -> String {
        if self.0.is_empty() {
            return "None.\n".into();
        }
        let mut rows: Vec<(&String, &Class)> = self.0.iter().collect();
        rows.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        let mut s = format!("| class | {what} | products |\n|---|---:|---|\n");
        for (k, c) in rows {
            let names: Vec<&str> = c.products.iter().map(String::as_str).collect();
            let shown = if names.len() > 12 {
                format!("{} and {} more", names[..12].join(", "), names.len() - 12)
            } else {
                names.join(", ")
            };
            s.push_str(&format!(
                "| {} | {} | {} ({}) |\n",
                k.replace('|', "\\|"),
                c.count,
                shown,
                names.len()
            ));
        }
        s
    }
}

/// A message with what varies blanked: text in backticks or quotes becomes `…`, numbers
/// `N`; the first line, at most 160 characters.
pub fn class_of(message: &str) -> String {
    let line = message.lines().next().unwrap_or("").trim();
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' | '"' | '\'' if line[..].matches(c).count() >= 2 => {
                let mut closed = false;
                for d in chars.by_ref() {
                    if d == c {
                        closed = true;
                        break;
                    }
                }
                out.push(c);
                out.push('…');
                if closed {
                    out.push(c);
                }
            }
            d if d.is_ascii_digit() => {
                while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                    chars.next();
                }
                out.push('N');
            }
            _ => out.push(c),
        }
    }
    // Type names after "of" (`a field of UserInfo`) vary too.
    let words: Vec<&str> = out.split(' ').collect();
    let out: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let core = w.trim_end_matches(['.', ',', ':', ';', ')']);
            let camel = i > 0
                && words[i - 1] == "of"
                && core.len() > 2
                && core.starts_with(|c: char| c.is_ascii_uppercase())
                && core.chars().all(|c| c.is_ascii_alphanumeric())
                && core.chars().any(|c| c.is_ascii_lowercase())
                && core.chars().skip(1).any(|c| c.is_ascii_uppercase());
            if camel {
                format!("T{}", &w[core.len()..])
            } else {
                (*w).to_owned()
            }
        })
        .collect();
    let mut out = out.join(" ");
    if out.chars().count() > 160 {
        out = out.chars().take(160).collect::<String>() + "…";
    }
    out
}

/// What the stages found for one product version.
#[derive(Default)]
struct Product {
    name: String,
    /// `provider/product/version`.
    rel: String,
    actions: usize,
    passes: bool,
    feature: String,
    emitted: bool,
    compiles: Option<bool>,
    examples_kept: usize,
    examples_left_out: usize,
}

/// Runs every stage over the `import --all` tree `args` names and rewrites the provider's
/// section of `COVERAGE.md`.
pub fn run(root: &Path, args: &Args) -> Result<(), String> {
    let (Some(provider), Some(dir)) = (args.provider.as_deref(), args.dir.as_deref()) else {
        return Err("coverage: a provider and DIR are required".into());
    };
    let target = match &args.target_dir {
        // Relative to where the command runs (cargo runs in the scratch crate).
        Some(dir) => std::env::current_dir()
            .map_err(|e| e.to_string())?
            .join(dir),
        None => root.join("target/coverage/target"),
    };
    let report: Option<Report> = std::fs::read_to_string(report_path(dir, provider))
        .ok()
        .map(|t| serde_json::from_str(&t))
        .transpose()
        .map_err(|e| format!("coverage: {}: {e}", report_path(dir, provider).display()))?;

    // 1. What the import did.
    let import = ImportFindings::of(report.as_ref());
    let import_cost = Cost {
        secs: report.as_ref().map(|r| r.seconds),
        peak_kib: report.as_ref().and_then(|r| r.peak_rss_kib),
    };

    // 2. The checker, per product.
    memory::reset_peak();
    let started = Instant::now();
    let provider_file = dir.join(provider).join(codegen::load::PROVIDER_FILE);
    let provider_text = std::fs::read(&provider_file)
        .map_err(|e| format!("coverage: cannot read {}: {e}", provider_file.display()))?;
    let Checked {
        mut products,
        check,
        examples,
    } = check_products(dir, provider, &provider_text)?;
    let check_cost = Cost::since(started, memory::peak_kib());
    println!(
        "coverage: checked {} products in {}",
        products.len(),
        check_cost.text()
    );

    // 3. Emit the products that pass into a scratch workspace.
    memory::reset_peak();
    let started = Instant::now();
    let scratch = root.join("target/coverage").join(provider);
    let (crate_root, emit) =
        emit_products(root, dir, provider, &provider_text, &scratch, &mut products)?;
    let emit_cost = Cost::since(started, memory::peak_kib());
    println!("coverage: emitted in {}", emit_cost.text());

    // 4. cargo check of each product crate.
    let started = Instant::now();
    let (compile, compile_peak) =
        compile_products(&crate_root, &target, usize::from(args.jobs), &mut products)?;
    let compile_cost = Cost::since(started, Some(compile_peak));
    println!("coverage: cargo check in {}", compile_cost.text());

    // 5. The runtime decoder on a sample of compiled products.
    let started = Instant::now();
    let sample = decoder_sample(&products, args.samples);
    let (decode, decode_peak) = if sample.is_empty() {
        (None, None)
    } else {
        match run_samples(root, &crate_root, &target, &sample) {
            Ok((d, peak)) => (Some(Ok(d)), Some(peak)),
            Err(e) => (Some(Err(e)), None),
        }
    };
    let sample: Vec<String> = sample.iter().map(|p| p.name.clone()).collect();
    let decode_cost = Cost::since(started, decode_peak);

    // The section.
    let found = Findings {
        provider,
        report: report.as_ref(),
        import,
        products,
        check,
        examples,
        emit,
        compile,
        sample,
        decode,
        jobs: usize::from(args.jobs),
        costs: [
            import_cost,
            check_cost,
            emit_cost,
            compile_cost,
            decode_cost,
        ],
    };
    let stages = found.stages();
    if args.dry_run {
        println!("{}", found.section());
    } else {
        write_section(root, provider, &found.section())?;
    }
    println!(
        "coverage: {provider}: imported {}, check {}, emitted {}, compile {}; {}",
        stages.pct(stages.imported),
        stages.pct(stages.pass.1),
        stages.pct(stages.emit.1),
        stages.pct(stages.compile.1),
        if args.dry_run {
            "COVERAGE.md left as it was (--dry-run)"
        } else {
            "COVERAGE.md written"
        }
    );
    Ok(())
}

/// What a stage took: seconds and peak resident memory, when known.
#[derive(Debug, Default, Clone, Copy)]
struct Cost {
    secs: Option<f64>,
    peak_kib: Option<u64>,
}

impl Cost {
    fn since(started: Instant, peak_kib: Option<u64>) -> Cost {
        Cost {
            secs: Some(started.elapsed().as_secs_f64()),
            peak_kib,
        }
    }

    fn time(&self) -> String {
        self.secs.map_or("—".to_owned(), duration)
    }

    fn memory(&self) -> String {
        self.peak_kib.map_or("—".to_owned(), mib)
    }

    fn text(&self) -> String {
        format!("{} (peak memory {})", self.time(), self.memory())
    }
}

/// `42 s`, `17 min`, `3 h 05 min`.
fn duration(secs: f64) -> String {
    let s = secs.round() as u64;
    if s < 120 {
        format!("{s} s")
    } else if s < 7200 {
        format!("{} min", (s + 30) / 60)
    } else {
        let m = (s + 30) / 60;
        format!("{} h {:02} min", m / 60, m % 60)
    }
}

/// `830 MiB`, `1.7 GiB`.
fn mib(kib: u64) -> String {
    if kib >= 1024 * 1024 {
        format!("{:.1} GiB", kib as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} MiB", kib.div_ceil(1024))
    }
}

/// Stage 1: what the import report says was left out, lost and paginated.
#[derive(Default)]
struct ImportFindings {
    /// Actions the importer left out, by reason.
    skipped: Classes,
    /// Request members the metadata has and the specs lack, by reason.
    lost: Classes,
    lost_members: usize,
    /// Actions with paging members and a list answer but no paginator, by reason.
    unpaged: Classes,
    pageable: usize,
    paginated: usize,
    /// Products the importer could not read at all.
    failed_products: Classes,
    metadata_actions: usize,
}

impl ImportFindings {
    fn of(report: Option<&Report>) -> ImportFindings {
        let mut f = ImportFindings::default();
        let Some(r) = report else {
            return f;
        };
        for p in &r.products {
            f.metadata_actions += p.done.metadata_actions;
            for (_, why) in &p.done.skipped {
                f.skipped.add(why, &p.done.product, 1);
            }
            f.lost_members += p.done.lost_members.len();
            f.pageable += p.done.pageable;
            f.paginated += p.done.paginated;
            for (_, why) in &p.done.unpaged {
                f.unpaged.add(why, &p.done.product, 1);
            }
            for (_, why) in &p.done.lost_members {
                f.lost.add(why, &p.done.product, 1);
            }
            if let Some(e) = &p.error {
                f.failed_products.add(e, &p.done.product, 1);
            }
        }
        f
    }
}

/// Stage 2: every product version of the tree, and the checker's findings.
struct Checked {
    products: Vec<Product>,
    /// The checker's diagnostics.
    check: Classes,
    /// Examples the importer left out, by reason.
    examples: Classes,
}

/// Runs the checker on each product of `dir/provider` on its own (the provider file and
/// the product's folder), so one broken product hides no other.
fn check_products(dir: &Path, provider: &str, provider_text: &[u8]) -> Result<Checked, String> {
    let mut checked = Checked {
        products: Vec::new(),
        check: Classes::default(),
        examples: Classes::default(),
    };
    for version_dir in product_dirs(&dir.join(provider))? {
        let p = check_product(dir, provider, provider_text, &version_dir, &mut checked)?;
        checked.products.push(p);
    }
    Ok(checked)
}

/// One product version: its actions, the examples its files say were left out, and the
/// checker's verdict on it alone.
fn check_product(
    dir: &Path,
    provider: &str,
    provider_text: &[u8],
    version_dir: &Path,
    checked: &mut Checked,
) -> Result<Product, String> {
    let rel = version_dir
        .strip_prefix(dir)
        .map_err(|e| e.to_string())?
        .to_string_lossy()
        .replace('\\', "/");
    let name = rel.split('/').nth(1).unwrap_or("").to_owned();
    let mut files = vec![(
        format!("{provider}/{}", codegen::load::PROVIDER_FILE),
        provider_text.to_vec(),
    )];
    let mut names: Vec<String> = std::fs::read_dir(version_dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    let mut p = Product {
        name: name.clone(),
        rel: rel.clone(),
        actions: names.len().saturating_sub(1),
        ..Product::default()
    };
    for n in &names {
        let bytes = std::fs::read(version_dir.join(n)).map_err(|e| e.to_string())?;
        for reason in left_out_examples(&bytes) {
            p.examples_left_out += 1;
            checked.examples.add(&reason, &name, 1);
        }
        files.push((format!("{rel}/{n}"), bytes));
    }
    match codegen::load_files(files) {
        Ok(loaded) => {
            p.passes = true;
            if let Some(l) = loaded.first() {
                p.feature = l.feature.clone();
                p.actions = l.actions.len();
                p.examples_kept = l.actions.iter().map(|a| a.examples.len()).sum();
            }
        }
        Err(d) => {
            for item in &d.items {
                checked.check.add(&item.message, &name, 1);
            }
        }
    }
    Ok(p)
}

/// The reasons of the `# Example … left out: <reason>` lines in a file's header comment.
fn left_out_examples(bytes: &[u8]) -> Vec<String> {
    let mut reasons = Vec::new();
    let text = String::from_utf8_lossy(bytes);
    for line in text.lines() {
        let Some(c) = line.strip_prefix("# ") else {
            if !line.starts_with('#') {
                break;
            }
            continue;
        };
        if let Some((_, reason)) = c
            .strip_prefix("Example ")
            .and_then(|r| r.split_once(" left out: "))
        {
            reasons.push(reason.to_owned());
        }
    }
    reasons
}

/// Stage 3: generates the products that pass into a scratch workspace (`scratch/crate`:
/// the facade `cloudapi` and `cloudapi/products/<provider>-<product>`, the real runtime
/// by path) from a specs tree of symlinks (`scratch/specs`); marks each product emitted
/// unless its crate holds a `compile_error!`. The workspace's root and the emitter's
/// failures.
fn emit_products(
    root: &Path,
    dir: &Path,
    provider: &str,
    provider_text: &[u8],
    scratch: &Path,
    products: &mut [Product],
) -> Result<(PathBuf, Classes), String> {
    let specs = scratch.join("specs");
    if specs.exists() {
        std::fs::remove_dir_all(&specs).map_err(|e| e.to_string())?;
    }
    std::fs::create_dir_all(specs.join(provider)).map_err(|e| e.to_string())?;
    std::fs::write(
        specs.join(provider).join(codegen::load::PROVIDER_FILE),
        provider_text,
    )
    .map_err(|e| e.to_string())?;
    for p in products.iter().filter(|p| p.passes) {
        let to = specs.join(&p.rel);
        std::fs::create_dir_all(to.parent().unwrap_or(&specs)).map_err(|e| e.to_string())?;
        let from = std::fs::canonicalize(dir.join(&p.rel)).map_err(|e| e.to_string())?;
        std::os::unix::fs::symlink(&from, &to).map_err(|e| e.to_string())?;
    }
    let crate_root = scratch.join("crate");
    crate::bench::scratch_crate(root, &specs, &crate_root)?;
    let mut emit = Classes::default();
    for p in products.iter_mut().filter(|p| p.passes) {
        let product_crate = crate_root.join("cloudapi/products").join(&p.feature);
        let bad = grep_dir(&product_crate, "compile_error!")?;
        p.emitted = bad == 0;
        if bad > 0 {
            emit.add("the emitter wrote `compile_error!`", &p.name, bad);
        }
    }
    Ok((crate_root, emit))
}

/// `cargo check --keep-going -j JOBS -p P…` in the scratch workspace, under `nice -n 10`,
/// with cargo's target folder `target` and its messages as JSON.
fn cargo_check(crate_root: &Path, target: &Path, jobs: usize, packages: &[String]) -> Command {
    let mut c = Command::new("nice");
    c.args(["-n", "10"])
        .arg(env!("CARGO"))
        .args([
            "check",
            "--message-format",
            "json-diagnostic-short",
            "--keep-going",
            // The facade: no product (a spec may say `default_feature: true`).
            "--no-default-features",
            "--jobs",
            &jobs.to_string(),
        ])
        .current_dir(crate_root)
        .env("CARGO_TARGET_DIR", target)
        // Each product is checked once with its own features: incremental state only
        // piles up (30 GB over Tencent's 262 products) and is never reused.
        .env("CARGO_INCREMENTAL", "0");
    for p in packages {
        c.args(["-p", p]);
    }
    c
}

/// What one `cargo check` of some product crates said about each.
#[derive(Default)]
struct Batch {
    /// Library targets (`cloudapi_aliyun_ecs`) that compiled.
    ok: std::collections::BTreeSet<String>,
    /// Each failing target's error messages (`error[E0308]: mismatched types`).
    errors: BTreeMap<String, Vec<String>>,
    stderr: String,
    peak_kib: u64,
}

/// Runs `cargo check` on `packages` and reads its JSON messages.
fn check_batch(
    crate_root: &Path,
    target: &Path,
    jobs: usize,
    packages: &[String],
) -> Result<Batch, String> {
    let mut b = Batch::default();
    let mut on_line = |line: &str| {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            return;
        };
        let name = msg["target"]["name"].as_str().unwrap_or("").to_owned();
        match msg["reason"].as_str() {
            Some("compiler-artifact") => {
                b.ok.insert(name);
            }
            Some("compiler-message") if msg["message"]["level"] == "error" => {
                let text = msg["message"]["message"].as_str().unwrap_or("");
                if text.starts_with("aborting due to") || text.starts_with("could not compile") {
                    return;
                }
                let line = match msg["message"]["code"]["code"].as_str() {
                    Some(code) => format!("error[{code}]: {text}"),
                    None => format!("error: {text}"),
                };
                b.errors.entry(name).or_default().push(line);
            }
            _ => {}
        }
    };
    let run = memory::run_sampled(
        &mut cargo_check(crate_root, target, jobs, packages),
        &mut on_line,
    )
    .map_err(|e| format!("coverage: cannot run cargo: {e}"))?;
    b.stderr = run.stderr;
    b.peak_kib = run.peak_kib;
    Ok(b)
}

/// A product's crate (`cloudapi-aliyun-ecs`) and its library target (`cloudapi_aliyun_ecs`).
fn crate_of(p: &Product) -> (String, String) {
    let name = format!("cloudapi-{}", p.feature);
    let lib = name.replace('-', "_");
    (name, lib)
}

/// Stage 4: `cargo check` of the facade with no product (which must pass: the runtime and
/// its dependencies), then of each emitted product's crate, `jobs` at once, in batches;
/// the compiler's errors, and the peak memory of cargo and its `rustc`s (KiB).
fn compile_products(
    crate_root: &Path,
    target: &Path,
    jobs: usize,
    products: &mut [Product],
) -> Result<(Classes, u64), String> {
    let t = Instant::now();
    let deps = check_batch(crate_root, target, jobs, &["cloudapi".to_owned()])?;
    if !deps.ok.contains("cloudapi") {
        return Err(format!(
            "coverage: the scratch workspace's facade with no product does not compile:\n{}\n{}",
            deps.errors
                .values()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join("\n"),
            deps.stderr
        ));
    }
    let mut peak = deps.peak_kib;
    println!(
        "coverage: cargo check of the runtime and its dependencies: {} s (peak memory {})",
        t.elapsed().as_secs(),
        mib(deps.peak_kib)
    );
    let mut compile = Classes::default();
    let emitted: Vec<usize> = (0..products.len())
        .filter(|&i| products[i].emitted)
        .collect();
    let mut checked = 0;
    for chunk in emitted.chunks(jobs * BATCH_PER_JOB) {
        let t = Instant::now();
        let crates: Vec<String> = chunk.iter().map(|&i| crate_of(&products[i]).0).collect();
        let batch = check_batch(crate_root, target, jobs, &crates)?;
        let mut batch_peak = batch.peak_kib;
        let mut failed = Vec::new();
        for &i in chunk {
            let p = &mut products[i];
            let (name, lib) = crate_of(p);
            let mut verdict = verdict(&batch, &lib);
            if verdict.is_none() && chunk.len() > 1 {
                // Cargo gave up on the batch as a whole (a manifest it cannot read, a
                // killed process): this product alone.
                let alone = check_batch(crate_root, target, jobs, &[name])?;
                batch_peak = batch_peak.max(alone.peak_kib);
                verdict = verdict_or_stderr(&alone, &lib);
            } else if verdict.is_none() {
                verdict = verdict_or_stderr(&batch, &lib);
            }
            let errors = verdict.unwrap_or_default();
            p.compiles = Some(errors.is_empty());
            for e in &errors {
                compile.add(e, &p.name, 1);
            }
            if !errors.is_empty() {
                failed.push(p.name.clone());
            }
        }
        peak = peak.max(batch_peak);
        checked += chunk.len();
        println!(
            "coverage: [{checked}/{}] cargo check of {} crates: {} ok, {} failed{} ({} s, peak memory {})",
            emitted.len(),
            chunk.len(),
            chunk.len() - failed.len(),
            failed.len(),
            if failed.is_empty() {
                String::new()
            } else {
                format!(": {}", failed.join(", "))
            },
            t.elapsed().as_secs(),
            mib(batch_peak)
        );
    }
    Ok((compile, peak))
}

/// Product crates per job in one `cargo check`: enough that both jobs stay busy while a
/// large crate compiles, few enough that progress shows and a failure of cargo itself
/// costs little.
const BATCH_PER_JOB: usize = 8;

/// `Some([])`: compiled; `Some(errors)`: failed; `None`: cargo said nothing of it.
fn verdict(b: &Batch, lib: &str) -> Option<Vec<String>> {
    if b.ok.contains(lib) {
        Some(Vec::new())
    } else {
        b.errors.get(lib).cloned()
    }
}

/// [`verdict`], else a failure with cargo's own error lines (or its last line).
fn verdict_or_stderr(b: &Batch, lib: &str) -> Option<Vec<String>> {
    verdict(b, lib).or_else(|| {
        let mut errors: Vec<String> = b
            .stderr
            .lines()
            .filter_map(|l| {
                l.trim_start()
                    .strip_prefix("error: ")
                    .map(|m| format!("error: {m}"))
            })
            .filter(|m| !m.starts_with("error: could not compile"))
            .collect();
        if errors.is_empty() {
            errors.push(
                b.stderr
                    .lines()
                    .last()
                    .unwrap_or("cargo check failed without a message")
                    .to_owned(),
            );
        }
        Some(errors)
    })
}

/// Stage 5's sample: at most `samples` compiled products, spread evenly over them.
fn decoder_sample(products: &[Product], samples: usize) -> Vec<&Product> {
    let compiled: Vec<&Product> = products
        .iter()
        .filter(|p| p.compiles == Some(true))
        .collect();
    let step = compiled.len().div_ceil(samples.max(1)).max(1);
    compiled
        .iter()
        .step_by(step)
        .take(samples)
        .copied()
        .collect()
}

/// Everything the stages found, for the section.
struct Findings<'a> {
    provider: &'a str,
    report: Option<&'a Report>,
    import: ImportFindings,
    products: Vec<Product>,
    check: Classes,
    examples: Classes,
    emit: Classes,
    compile: Classes,
    /// The names of the decoder's sample.
    sample: Vec<String>,
    decode: Option<Result<Decoded, String>>,
    /// `cargo check`'s `--jobs`.
    jobs: usize,
    /// What import, check, emit, compile and the decoder sample took.
    costs: [Cost; 5],
}

/// The count of each stage, in products and actions.
struct Stages {
    /// The metadata's actions (or the imported ones, without a report): 100%.
    base: usize,
    report_products: usize,
    imported: usize,
    pass: (usize, usize),
    emit: (usize, usize),
    compile: (usize, usize),
}

impl Stages {
    /// `n` actions as a percentage of the metadata's.
    fn pct(&self, n: usize) -> String {
        if self.base == 0 {
            "—".to_owned()
        } else {
            format!("{:.2}%", n as f64 * 100.0 / self.base as f64)
        }
    }
}

impl Findings<'_> {
    fn stages(&self) -> Stages {
        let imported: usize = self.products.iter().map(|p| p.actions).sum();
        let base = if self.import.metadata_actions > 0 {
            self.import.metadata_actions
        } else {
            imported
        };
        let sum = |f: &dyn Fn(&Product) -> bool| -> (usize, usize) {
            let ps: Vec<&Product> = self.products.iter().filter(|p| f(p)).collect();
            (ps.len(), ps.iter().map(|p| p.actions).sum())
        };
        Stages {
            base,
            report_products: self
                .report
                .map_or(self.products.len(), |r| r.products.len()),
            imported,
            pass: sum(&|p| p.passes),
            emit: sum(&|p| p.emitted),
            compile: sum(&|p| p.compiles == Some(true)),
        }
    }

    /// The provider's section of `COVERAGE.md`.
    fn section(&self) -> String {
        let mut md = format!("## {}\n\n", self.provider);
        self.stage_table(&mut md);
        self.notes(&mut md);
        self.failures(&mut md);
        md
    }

    /// The sources, then each stage's products and actions.
    fn stage_table(&self, md: &mut String) {
        let s = self.stages();
        let metadata_actions = self.import.metadata_actions;
        let report_products = s.report_products;
        if let Some(r) = self.report.filter(|r| !r.list.is_empty()) {
            md.push_str(&format!("Products of: {}.\n\n", r.list));
        }
        if let Some(r) = self.report {
            md.push_str(&format!(
                "Sources: {}. Products: {} ({} could not be imported at all). Error codes whose Rust variant another code takes, kept with a numbered `rust_name`: {}.\n\n",
                r.sources
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                report_products,
                r.products.iter().filter(|p| p.error.is_some()).count(),
                r.products.iter().map(|p| p.done.renamed_errors).sum::<usize>()
            ));
        }
        let [import, check, emit, compile, _] = &self.costs;
        md.push_str(
            "| stage | products | actions | of the metadata's actions | time | peak memory |\n|---|---:|---:|---:|---:|---:|\n",
        );
        md.push_str(&format!(
            "| in the metadata | {report_products} | {metadata_actions} | 100% | | |\n"
        ));
        let mut row = |stage: &str, (products, actions): (usize, usize), cost: &Cost| {
            md.push_str(&format!(
                "| {stage} | {products} | {actions} | {} | {} | {} |\n",
                s.pct(actions),
                cost.time(),
                cost.memory()
            ));
        };
        row(
            "imported (action files written)",
            (self.products.len(), s.imported),
            import,
        );
        row("pass `codegen`'s checker", s.pass, check);
        row("emitted", s.emit, emit);
        row(
            "compile (`cargo check -p cloudapi-<provider>-<product>`, each product's crate)",
            s.compile,
            compile,
        );
        md.push('\n');
    }

    /// The examples, the decoder's sample and the durations.
    fn notes(&self, md: &mut String) {
        let kept: usize = self.products.iter().map(|p| p.examples_kept).sum();
        let left: usize = self.products.iter().map(|p| p.examples_left_out).sum();
        md.push_str(&format!(
            "Examples: {} JSON examples checked against the model under the runtime's tolerance rule (the checker's `examples` family, at import), {kept} decode, {left} do not ({}); the importer leaves those out and says why at the top of the action file.\n\n",
            kept + left,
            if kept + left == 0 {
                "—".to_owned()
            } else {
                format!("{:.2}%", left as f64 * 100.0 / (kept + left) as f64)
            }
        ));
        match &self.decode {
            Some(Err(e)) => md.push_str(&format!(
                "Runtime decoder: the sample binary failed: {}\n\n",
                e.lines().take(3).collect::<Vec<_>>().join(" ")
            )),
            Some(Ok(d)) => md.push_str(&format!(
                "Runtime decoder (sample of {} compiled products: {}): {} response samples run through `cloudapi::response_samples()` (decode, serialize, decode again, compare), {} from documented examples and {} synthesized from the model; {} failed.\n\n",
                self.sample.len(),
                self.sample.join(", "),
                d.run,
                d.run - d.synthesized,
                d.synthesized,
                d.failed.values().map(|c| c.count).sum::<usize>()
            )),
            None => {}
        }
        let decode = &self.costs[4];
        md.push_str(&format!(
            "Times and peak memory are of the run that wrote this section (2 cores, `nice -n 10`): import, the checker and the emitter each in one process (its peak resident memory; pip's and npm's not counted); `cargo check` of the runtime and its dependencies, then of the product crates {} at a time (`--jobs`) in batches of {}, its peak the sum over cargo and its `rustc`s, sampled every 0.2 s; the runtime decoder sample took {} (peak memory {}). Cargo keeps its target folder between runs, so a rerun checks again only the products whose files changed; the first run's `cargo check` takes far longer.\n\n",
            self.jobs,
            self.jobs * BATCH_PER_JOB,
            decode.time(),
            decode.memory()
        ));
    }

    /// Every stage's failures, grouped by class.
    fn failures(&self, md: &mut String) {
        let i = &self.import;
        md.push_str("### Failures by class\n\n");
        md.push_str(&format!(
            "Products the importer could not read:\n\n{}\n",
            i.failed_products.table("products")
        ));
        md.push_str(&format!(
            "Actions the importer left out:\n\n{}\n",
            i.skipped.table("actions")
        ));
        md.push_str(&format!(
            "Request members the metadata has and the specs lack ({}; the names are in the import report and each action file's header):\n\n{}\n",
            i.lost_members,
            i.lost.table("members")
        ));
        md.push_str(&format!(
            "Paginators: {} of {} actions whose request has paging members (`NextToken`, `PageNumber`/`PageSize`, `Offset`/`Limit`) and whose answer a list ({}). The others, by reason:\n\n{}\n",
            i.paginated,
            i.pageable,
            if i.pageable == 0 {
                "—".to_owned()
            } else {
                format!("{:.1}%", i.paginated as f64 * 100.0 / i.pageable as f64)
            },
            i.unpaged.table("actions")
        ));
        md.push_str(&format!(
            "The checker (per product; diagnostics):\n\n{}\n",
            self.check.table("diagnostics")
        ));
        md.push_str(&format!("Emit:\n\n{}\n", self.emit.table("items")));
        md.push_str(&format!(
            "Compile (errors):\n\n{}\n",
            self.compile.table("errors")
        ));
        md.push_str(&format!(
            "Examples the checker rejects:\n\n{}\n",
            self.examples.table("examples")
        ));
        if let Some(Ok(d)) = &self.decode {
            let mut t = Classes::default();
            for (k, c) in &d.failed {
                for p in &c.products {
                    t.add(k, p, 0);
                }
                if let Some(x) = t.0.get_mut(&class_of(k)) {
                    x.count += c.count;
                }
            }
            md.push_str(&format!("Runtime decoder:\n\n{}\n", t.table("samples")));
        }
    }
}

/// How many times `needle` occurs in the files below `dir`.
fn grep_dir(dir: &Path, needle: &str) -> Result<usize, String> {
    let mut n = 0;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(0);
    };
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            n += grep_dir(&p, needle)?;
        } else if let Ok(t) = std::fs::read_to_string(&p) {
            n += t.matches(needle).count();
        }
    }
    Ok(n)
}

struct Decoded {
    run: usize,
    synthesized: usize,
    failed: BTreeMap<String, Class>,
}

/// Builds and runs a scratch binary that runs every response sample of `sample`; what it
/// found, and the peak memory of cargo, its `rustc`s and the binary (KiB).
fn run_samples(
    root: &Path,
    crate_root: &Path,
    target: &Path,
    sample: &[&Product],
) -> Result<(Decoded, u64), String> {
    let bin = crate_root.join("samples");
    std::fs::create_dir_all(bin.join("src")).map_err(|e| e.to_string())?;
    // `cloudapi::response_samples()` is behind the test-only feature `response-samples`.
    let features: Vec<String> = sample
        .iter()
        .map(|p| p.feature.clone())
        .chain(["response-samples".to_owned()])
        .collect();
    std::fs::write(
        bin.join("Cargo.toml"),
        format!(
            "[package]\nname = \"samples\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\ncloudapi = {{ path = \"../cloudapi\", default-features = false, features = {features:?} }}\n"
        ),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(
        bin.join("src/main.rs"),
        "fn main() {\n    for product in cloudapi::response_samples() {\n        for s in product.iter() {\n            let r = s.run();\n            println!(\"{}\\t{}\\t{}\\t{}\", s.product, s.action, s.synthesized, match r { Ok(()) => \"ok\".to_owned(), Err(e) => e.replace(['\\n', '\\t'], \" \") });\n        }\n    }\n}\n",
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(
        crate_root.join("Cargo.toml"),
        crate::bench::scratch_workspace_manifest(&["samples"]),
    )
    .map_err(|e| e.to_string())?;
    let _ = root;
    let mut stdout = Vec::new();
    let out = memory::run_sampled(
        Command::new("nice")
            .args(["-n", "10"])
            .arg(env!("CARGO"))
            .args(["run", "-q", "-p", "samples"])
            .current_dir(crate_root)
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_INCREMENTAL", "0"),
        |l| stdout.push(l.to_owned()),
    )
    .map_err(|e| format!("coverage: cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "coverage: the response-sample binary failed:\n{}",
            out.stderr
        ));
    }
    let mut d = Decoded {
        run: 0,
        synthesized: 0,
        failed: BTreeMap::new(),
    };
    for line in &stdout {
        let parts: Vec<&str> = line.splitn(4, '\t').collect();
        let [product, _action, synthesized, result] = parts[..] else {
            continue;
        };
        d.run += 1;
        if synthesized == "true" {
            d.synthesized += 1;
        }
        if result != "ok" {
            let c = d.failed.entry(result.to_owned()).or_default();
            c.count += 1;
            c.products.insert(product.to_owned());
        }
    }
    Ok((d, out.peak_kib))
}

#[cfg(test)]
mod tests {
    use super::{class_of, duration, mib, verdict, verdict_or_stderr, Batch};

    #[test]
    fn verdicts_per_crate() {
        let mut b = Batch::default();
        b.ok.insert("cloudapi_aliyun_sts".into());
        b.errors.insert(
            "cloudapi_aliyun_ecs".into(),
            vec!["error[E0308]: mismatched types".into()],
        );
        b.stderr =
            "error: package ID specification `cloudapi-aliyun-x` did not match any packages\n"
                .into();
        assert_eq!(verdict(&b, "cloudapi_aliyun_sts"), Some(vec![]));
        assert_eq!(
            verdict(&b, "cloudapi_aliyun_ecs"),
            Some(vec!["error[E0308]: mismatched types".to_owned()])
        );
        assert_eq!(verdict(&b, "cloudapi_aliyun_x"), None);
        assert_eq!(
            verdict_or_stderr(&b, "cloudapi_aliyun_x"),
            Some(vec![
                "error: package ID specification `cloudapi-aliyun-x` did not match any packages"
                    .to_owned()
            ])
        );
        b.stderr = "Killed\n".into();
        assert_eq!(
            verdict_or_stderr(&b, "cloudapi_aliyun_x"),
            Some(vec!["Killed".to_owned()])
        );
    }

    #[test]
    fn times_and_sizes() {
        assert_eq!(duration(42.4), "42 s");
        assert_eq!(duration(1000.0), "17 min");
        assert_eq!(duration(3.0 * 3600.0 + 300.0), "3 h 05 min");
        assert_eq!(mib(612 * 1024), "612 MiB");
        assert_eq!(mib(1_782_579), "1.7 GiB");
    }

    #[test]
    fn classes_blank_names_and_numbers() {
        assert_eq!(
            class_of("the field `Foo` of `Bar` is listed 2 times\nmore"),
            "the field `…` of `…` is listed N times"
        );
        assert_eq!(class_of("a 'quoted' thing"), "a '…' thing");
        assert_eq!(
            class_of("`Foo` is not a field of UserInfo"),
            "`…` is not a field of T"
        );
    }
}
