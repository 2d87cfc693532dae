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
//! 3. **emitted**: the products that pass, generated into a scratch crate
//!    (`target/coverage/<provider>`, `crate::bench::scratch_crate`: the real runtime by
//!    path); an emitted `compile_error!` counts against its product;
//! 4. **compile**: `cargo check --no-default-features --features <provider>-<product>`
//!    per product in that crate (run under `nice -n 10`; cargo's target folder is
//!    `target/coverage/target` unless `--target-dir` says otherwise, e.g. to run both
//!    providers at once);
//! 5. **examples**: the checker's `examples` family decodes every JSON example against
//!    the model under the runtime's tolerance rule, and the importer leaves out the ones
//!    it rejects (saying why at the top of the action file): counted from those
//!    comments and the examples kept. Then the runtime's own decoder on a sample of
//!    `N` compiled products (default 12): a scratch binary runs every
//!    `cloudapi::response_samples()` entry of those products (each action's example or
//!    synthesized body, decoded and round-tripped).
//!
//! Every failure is grouped by class (its message with names and numbers blanked) with
//! the products it hits.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::import::all::{report_path, Report};

/// The command line of `cargo xtask coverage`: a provider's tree, or `endpoints`.
#[derive(Debug, clap::Args)]
#[command(
    about = "Check, emit and compile an `import --all` tree; write its COVERAGE.md section (slow)",
    long_about = "Run an `import --all` tree (DIR) through the pipeline: the checker per \
                  product, emission into a scratch crate (target/coverage/<provider>), \
                  `cargo check` per product feature and the runtime's decoder on a sample; \
                  rewrite the provider's section of COVERAGE.md. `coverage endpoints` compares \
                  every product's hosts with the official SDKs'.",
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

    // 2. The checker, per product.
    let started = Instant::now();
    let provider_file = dir.join(provider).join(codegen::load::PROVIDER_FILE);
    let provider_text = std::fs::read(&provider_file)
        .map_err(|e| format!("coverage: cannot read {}: {e}", provider_file.display()))?;
    let Checked {
        mut products,
        check,
        examples,
    } = check_products(dir, provider, &provider_text)?;
    let check_secs = started.elapsed().as_secs_f64();
    println!(
        "coverage: checked {} products in {check_secs:.1} s",
        products.len()
    );

    // 3. Emit the products that pass into a scratch crate.
    let started = Instant::now();
    let scratch = root.join("target/coverage").join(provider);
    let (crate_root, emit) =
        emit_products(root, dir, provider, &provider_text, &scratch, &mut products)?;
    let emit_secs = started.elapsed().as_secs_f64();
    println!("coverage: emitted in {emit_secs:.1} s");

    // 4. cargo check per product.
    let started = Instant::now();
    let compile = compile_products(&crate_root, &target, &mut products)?;
    let compile_secs = started.elapsed().as_secs_f64();

    // 5. The runtime decoder on a sample of compiled products.
    let started = Instant::now();
    let sample = decoder_sample(&products, args.samples);
    let decode = if sample.is_empty() {
        None
    } else {
        Some(run_samples(root, &crate_root, &target, &sample))
    };
    let sample: Vec<String> = sample.iter().map(|p| p.name.clone()).collect();
    let decode_secs = started.elapsed().as_secs_f64();

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
        secs: [check_secs, emit_secs, compile_secs, decode_secs],
    };
    write_section(root, provider, &found.section())?;
    let stages = found.stages();
    println!(
        "coverage: {provider}: imported {}, check {}, emitted {}, compile {}; COVERAGE.md written",
        stages.pct(stages.imported),
        stages.pct(stages.pass.1),
        stages.pct(stages.emit.1),
        stages.pct(stages.compile.1)
    );
    Ok(())
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
    seconds: Option<f64>,
}

impl ImportFindings {
    fn of(report: Option<&Report>) -> ImportFindings {
        let mut f = ImportFindings::default();
        let Some(r) = report else {
            return f;
        };
        f.seconds = Some(r.seconds);
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

/// Stage 3: generates the products that pass into a scratch crate (`scratch/crate`, the
/// real runtime by path) from a specs tree of symlinks (`scratch/specs`); marks each
/// product emitted unless its module holds a `compile_error!`. The crate's root and the
/// emitter's failures.
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
        let module = crate_root
            .join("cloudapi/src")
            .join(provider)
            .join(p.name.replace('-', "_"));
        let bad = grep_dir(&module, "compile_error!")?;
        p.emitted = bad == 0;
        if bad > 0 {
            emit.add("the emitter wrote `compile_error!`", &p.name, bad);
        }
    }
    Ok((crate_root, emit))
}

/// `cargo check --no-default-features [--features F]` in the scratch crate, under
/// `nice -n 10`, with cargo's target folder `target`.
fn cargo_check(crate_root: &Path, target: &Path, features: Option<&str>) -> Command {
    let mut c = Command::new("nice");
    c.args(["-n", "10"])
        .arg(env!("CARGO"))
        .args([
            "check",
            "--message-format",
            "short",
            "--no-default-features",
        ])
        .current_dir(crate_root)
        .env("CARGO_TARGET_DIR", target)
        // Each product is checked once with its own features: incremental state only
        // piles up (30 GB over Tencent's 262 products) and is never reused.
        .env("CARGO_INCREMENTAL", "0");
    if let Some(f) = features {
        c.args(["--features", f]);
    }
    c
}

/// Stage 4: `cargo check` of the scratch crate with no product (which must pass), then
/// with each emitted product's feature alone; the compiler's errors.
fn compile_products(
    crate_root: &Path,
    target: &Path,
    products: &mut [Product],
) -> Result<Classes, String> {
    let deps = cargo_check(crate_root, target, None)
        .output()
        .map_err(|e| format!("coverage: cannot run cargo: {e}"))?;
    if !deps.status.success() {
        return Err(format!(
            "coverage: the scratch crate with no product does not compile:\n{}",
            String::from_utf8_lossy(&deps.stderr)
        ));
    }
    let mut compile = Classes::default();
    let emitted: Vec<usize> = (0..products.len())
        .filter(|&i| products[i].emitted)
        .collect();
    for (k, &i) in emitted.iter().enumerate() {
        let p = &mut products[i];
        let t = Instant::now();
        let out = cargo_check(crate_root, target, Some(&p.feature))
            .output()
            .map_err(|e| format!("coverage: cannot run cargo: {e}"))?;
        p.compiles = Some(out.status.success());
        if !out.status.success() {
            add_compile_errors(&mut compile, &String::from_utf8_lossy(&out.stderr), &p.name);
        }
        println!(
            "coverage: [{}/{}] cargo check {}: {} ({:.0} s)",
            k + 1,
            emitted.len(),
            p.feature,
            if out.status.success() { "ok" } else { "FAILED" },
            t.elapsed().as_secs_f64()
        );
    }
    Ok(compile)
}

/// Each `error` line of a failed `cargo check --message-format short` (else its last
/// line), for `product`.
fn add_compile_errors(classes: &mut Classes, stderr: &str, product: &str) {
    let mut any = false;
    for line in stderr.lines() {
        // `src/…/x.rs:1:2: error[E0308]: mismatched types`
        if let Some(pos) = line.find(": error") {
            let msg = &line[pos + 2..];
            if !msg.starts_with("error: could not compile") {
                classes.add(msg, product, 1);
                any = true;
            }
        }
    }
    if !any {
        classes.add(
            stderr.lines().last().unwrap_or("cargo check failed"),
            product,
            1,
        );
    }
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
    /// Seconds taken by check, emit, compile and the decoder sample.
    secs: [f64; 4],
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
        md.push_str(
            "| stage | products | actions | of the metadata's actions |\n|---|---:|---:|---:|\n",
        );
        md.push_str(&format!(
            "| in the metadata | {report_products} | {metadata_actions} | 100% |\n"
        ));
        md.push_str(&format!(
            "| imported (action files written) | {} | {} | {} |\n",
            self.products.len(),
            s.imported,
            s.pct(s.imported)
        ));
        md.push_str(&format!(
            "| pass `codegen`'s checker | {} | {} | {} |\n",
            s.pass.0,
            s.pass.1,
            s.pct(s.pass.1)
        ));
        md.push_str(&format!(
            "| emitted | {} | {} | {} |\n",
            s.emit.0,
            s.emit.1,
            s.pct(s.emit.1)
        ));
        md.push_str(&format!(
            "| compile (`cargo check`, one product's feature) | {} | {} | {} |\n\n",
            s.compile.0,
            s.compile.1,
            s.pct(s.compile.1)
        ));
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
        let [check_secs, emit_secs, compile_secs, decode_secs] = self.secs;
        md.push_str(&format!(
            "Durations of the run that wrote this section (2 cores, `nice -n 10`): import {}, check {check_secs:.0} s, emit {emit_secs:.0} s, `cargo check` of every product {compile_secs:.0} s, runtime decoder sample {decode_secs:.0} s. Cargo keeps its target folder between runs, so a rerun checks again only the products whose files changed; the first run's `cargo check` takes far longer.\n\n",
            self.import.seconds.map_or("—".to_owned(), |s| format!("{s:.0} s"))
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

/// The `provider/product/version` folders holding a `product.yaml`, sorted.
pub(crate) fn product_dirs(provider_dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let read = |d: &Path| -> Result<Vec<PathBuf>, String> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d)
            .map_err(|e| format!("coverage: cannot read {}: {e}", d.display()))?
            .filter_map(|e| Some(e.ok()?.path()))
            .filter(|p| p.is_dir())
            .collect();
        v.sort();
        Ok(v)
    };
    for product in read(provider_dir)? {
        for version in read(&product)? {
            if version.join(codegen::load::PRODUCT_FILE).exists() {
                out.push(version);
            }
        }
    }
    Ok(out)
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

/// Builds and runs a scratch binary that runs every response sample of `sample`.
fn run_samples(
    root: &Path,
    crate_root: &Path,
    target: &Path,
    sample: &[&Product],
) -> Result<Decoded, String> {
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
        "[workspace]\nresolver = \"2\"\nmembers = [\"cloudapi\", \"samples\"]\n\n[workspace.package]\nedition = \"2021\"\nlicense = \"MIT OR Apache-2.0\"\npublish = false\n",
    )
    .map_err(|e| e.to_string())?;
    let _ = root;
    let out = Command::new("nice")
        .args(["-n", "10"])
        .arg(env!("CARGO"))
        .args(["run", "-q", "-p", "samples"])
        .current_dir(crate_root)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| format!("coverage: cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "coverage: the response-sample binary failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut d = Decoded {
        run: 0,
        synthesized: 0,
        failed: BTreeMap::new(),
    };
    for line in String::from_utf8_lossy(&out.stdout).lines() {
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
    Ok(d)
}

/// Replaces (or adds) the `## <provider>` section of `COVERAGE.md`.
pub(crate) fn write_section(root: &Path, provider: &str, section: &str) -> Result<(), String> {
    let path = root.join("COVERAGE.md");
    let text = std::fs::read_to_string(&path)
        .ok()
        .filter(|t| t.starts_with("# "))
        .unwrap_or_else(|| HEADER.to_owned());
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut head = String::new();
    for chunk in text.split_inclusive('\n') {
        if let Some(name) = chunk.strip_prefix("## ") {
            sections.push((name.trim().to_owned(), chunk.to_owned()));
        } else if let Some(last) = sections.last_mut() {
            last.1.push_str(chunk);
        } else {
            head.push_str(chunk);
        }
    }
    match sections.iter_mut().find(|(n, _)| n == provider) {
        Some(s) => s.1 = section.to_owned(),
        None => sections.push((provider.to_owned(), section.to_owned())),
    }
    sections.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = head;
    for (_, s) in sections {
        out.push_str(s.trim_end());
        out.push_str("\n\n");
    }
    // Written aside and renamed, so a full disk leaves the old file whole.
    let tmp = path.with_extension("md.tmp");
    std::fs::write(&tmp, out.trim_end().to_owned() + "\n")
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("coverage: cannot write {}: {e}", path.display())
        })
}

const HEADER: &str = "# Coverage\n\nHow much of each provider's published API metadata gets through the pipeline: `cargo xtask import --all <provider> --out DIR`, then `cargo xtask coverage <provider> DIR` (which rewrites that provider's section). Tencent Cloud: every service of the pinned `tccli`; Alibaba Cloud: the fixed sample of `xtask/import/aliyun-sample.txt`. Percentages are of the actions the metadata lists.\n\n";

#[cfg(test)]
mod tests {
    use super::class_of;

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
