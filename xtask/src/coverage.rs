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

pub fn run(root: &Path, args: &Args) -> Result<(), String> {
    let (Some(provider), Some(dir)) = (&args.provider, &args.dir) else {
        return Err("coverage: a provider and DIR are required".into());
    };
    let samples = args.samples;
    let target = match &args.target_dir {
        // Relative to where the command runs (cargo runs in the scratch crate).
        Some(dir) => std::env::current_dir()
            .map_err(|e| e.to_string())?
            .join(dir),
        None => root.join("target/coverage/target"),
    };
    let provider = provider.clone();
    let dir = dir.clone();
    let report: Option<Report> = std::fs::read_to_string(report_path(&dir, &provider))
        .ok()
        .map(|t| serde_json::from_str(&t))
        .transpose()
        .map_err(|e| format!("coverage: {}: {e}", report_path(&dir, &provider).display()))?;
    let scratch = root.join("target/coverage").join(&provider);
    let mut md = format!("## {provider}\n\n");

    // 1. What the import did.
    let mut import_classes = Classes::default();
    let mut lost_classes = Classes::default();
    let mut lost_members = 0usize;
    let mut unpaged_classes = Classes::default();
    let (mut pageable, mut paginated) = (0usize, 0usize);
    let mut failed_products = Classes::default();
    let (mut metadata_actions, mut import_secs) = (0usize, None);
    if let Some(r) = &report {
        import_secs = Some(r.seconds);
        for p in &r.products {
            metadata_actions += p.done.metadata_actions;
            for (_, why) in &p.done.skipped {
                import_classes.add(why, &p.done.product, 1);
            }
            lost_members += p.done.lost_members.len();
            pageable += p.done.pageable;
            paginated += p.done.paginated;
            for (_, why) in &p.done.unpaged {
                unpaged_classes.add(why, &p.done.product, 1);
            }
            for (_, why) in &p.done.lost_members {
                lost_classes.add(why, &p.done.product, 1);
            }
            if let Some(e) = &p.error {
                failed_products.add(e, &p.done.product, 1);
            }
        }
    }

    // 2. The checker, per product.
    let started = Instant::now();
    let provider_file = dir.join(&provider).join(codegen::load::PROVIDER_FILE);
    let provider_text = std::fs::read(&provider_file)
        .map_err(|e| format!("coverage: cannot read {}: {e}", provider_file.display()))?;
    let mut products = Vec::new();
    let mut check_classes = Classes::default();
    let mut example_classes = Classes::default();
    for version_dir in product_dirs(&dir.join(&provider))? {
        let rel = version_dir
            .strip_prefix(&dir)
            .map_err(|e| e.to_string())?
            .to_string_lossy()
            .replace('\\', "/");
        let name = rel.split('/').nth(1).unwrap_or("").to_owned();
        let mut files = vec![(
            format!("{provider}/{}", codegen::load::PROVIDER_FILE),
            provider_text.clone(),
        )];
        let mut names: Vec<String> = std::fs::read_dir(&version_dir)
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
            for line in String::from_utf8_lossy(&bytes).lines() {
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
                    p.examples_left_out += 1;
                    example_classes.add(reason, &name, 1);
                }
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
                    check_classes.add(&item.message, &name, 1);
                }
            }
        }
        products.push(p);
    }
    let check_secs = started.elapsed().as_secs_f64();
    println!(
        "coverage: checked {} products in {check_secs:.1} s",
        products.len()
    );

    // 3. Emit the products that pass into a scratch crate.
    let started = Instant::now();
    let specs = scratch.join("specs");
    if specs.exists() {
        std::fs::remove_dir_all(&specs).map_err(|e| e.to_string())?;
    }
    std::fs::create_dir_all(specs.join(&provider)).map_err(|e| e.to_string())?;
    std::fs::write(
        specs.join(&provider).join(codegen::load::PROVIDER_FILE),
        &provider_text,
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
    let mut emit_classes = Classes::default();
    for p in products.iter_mut().filter(|p| p.passes) {
        let module = crate_root
            .join("cloudapi/src")
            .join(&provider)
            .join(p.name.replace('-', "_"));
        let bad = grep_dir(&module, "compile_error!")?;
        p.emitted = bad == 0;
        if bad > 0 {
            emit_classes.add("the emitter wrote `compile_error!`", &p.name, bad);
        }
    }
    let emit_secs = started.elapsed().as_secs_f64();
    println!("coverage: emitted in {emit_secs:.1} s");

    // 4. cargo check per product.
    let started = Instant::now();
    let cargo = |features: Option<&str>| {
        let mut c = Command::new("nice");
        c.args(["-n", "10"])
            .arg(env!("CARGO"))
            .args([
                "check",
                "--message-format",
                "short",
                "--no-default-features",
            ])
            .current_dir(&crate_root)
            .env("CARGO_TARGET_DIR", &target)
            // Each product is checked once with its own features: incremental state only
            // piles up (30 GB over Tencent's 262 products) and is never reused.
            .env("CARGO_INCREMENTAL", "0");
        if let Some(f) = features {
            c.args(["--features", f]);
        }
        c
    };
    let deps = cargo(None)
        .output()
        .map_err(|e| format!("coverage: cannot run cargo: {e}"))?;
    if !deps.status.success() {
        return Err(format!(
            "coverage: the scratch crate with no product does not compile:\n{}",
            String::from_utf8_lossy(&deps.stderr)
        ));
    }
    let mut compile_classes = Classes::default();
    let emitted: Vec<usize> = (0..products.len())
        .filter(|&i| products[i].emitted)
        .collect();
    for (k, &i) in emitted.iter().enumerate() {
        let p = &mut products[i];
        let t = Instant::now();
        let out = cargo(Some(&p.feature))
            .output()
            .map_err(|e| format!("coverage: cannot run cargo: {e}"))?;
        p.compiles = Some(out.status.success());
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let mut any = false;
            for line in stderr.lines() {
                // `src/…/x.rs:1:2: error[E0308]: mismatched types`
                if let Some(pos) = line.find(": error") {
                    let msg = &line[pos + 2..];
                    if !msg.starts_with("error: could not compile") {
                        compile_classes.add(msg, &p.name, 1);
                        any = true;
                    }
                }
            }
            if !any {
                compile_classes.add(
                    stderr.lines().last().unwrap_or("cargo check failed"),
                    &p.name,
                    1,
                );
            }
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
    let compile_secs = started.elapsed().as_secs_f64();

    // 5. The runtime decoder on a sample of compiled products.
    let started = Instant::now();
    let compiled: Vec<&Product> = products
        .iter()
        .filter(|p| p.compiles == Some(true))
        .collect();
    let step = compiled.len().div_ceil(samples.max(1)).max(1);
    let sample: Vec<&Product> = compiled
        .iter()
        .step_by(step)
        .take(samples)
        .copied()
        .collect();
    let decode = if sample.is_empty() {
        None
    } else {
        Some(run_samples(root, &crate_root, &target, &sample))
    };
    let decode_secs = started.elapsed().as_secs_f64();

    // The section.
    let total_actions: usize = products.iter().map(|p| p.actions).sum();
    let imported = total_actions;
    let base = if metadata_actions > 0 {
        metadata_actions
    } else {
        imported
    };
    let pct = |n: usize| {
        if base == 0 {
            "—".to_owned()
        } else {
            format!("{:.2}%", n as f64 * 100.0 / base as f64)
        }
    };
    let sum = |f: &dyn Fn(&Product) -> bool| -> (usize, usize) {
        let ps: Vec<&Product> = products.iter().filter(|p| f(p)).collect();
        (ps.len(), ps.iter().map(|p| p.actions).sum())
    };
    let (pass_p, pass_a) = sum(&|p| p.passes);
    let (emit_p, emit_a) = sum(&|p| p.emitted);
    let (comp_p, comp_a) = sum(&|p| p.compiles == Some(true));
    let report_products = report.as_ref().map_or(products.len(), |r| r.products.len());
    if let Some(r) = &report {
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
        "| imported (action files written) | {} | {imported} | {} |\n",
        products.len(),
        pct(imported)
    ));
    md.push_str(&format!(
        "| pass `codegen`'s checker | {pass_p} | {pass_a} | {} |\n",
        pct(pass_a)
    ));
    md.push_str(&format!(
        "| emitted | {emit_p} | {emit_a} | {} |\n",
        pct(emit_a)
    ));
    md.push_str(&format!(
        "| compile (`cargo check`, one product's feature) | {comp_p} | {comp_a} | {} |\n\n",
        pct(comp_a)
    ));
    let kept: usize = products.iter().map(|p| p.examples_kept).sum();
    let left: usize = products.iter().map(|p| p.examples_left_out).sum();
    md.push_str(&format!(
        "Examples: {} JSON examples checked against the model under the runtime's tolerance rule (the checker's `examples` family, at import), {kept} decode, {left} do not ({}); the importer leaves those out and says why at the top of the action file.\n\n",
        kept + left,
        if kept + left == 0 {
            "—".to_owned()
        } else {
            format!("{:.2}%", left as f64 * 100.0 / (kept + left) as f64)
        }
    ));
    if let Some(Err(e)) = &decode {
        md.push_str(&format!(
            "Runtime decoder: the sample binary failed: {}\n\n",
            e.lines().take(3).collect::<Vec<_>>().join(" ")
        ));
    }
    let decode = decode.and_then(Result::ok);
    if let Some(d) = &decode {
        md.push_str(&format!(
            "Runtime decoder (sample of {} compiled products: {}): {} response samples run through `cloudapi::response_samples()` (decode, serialize, decode again, compare), {} from documented examples and {} synthesized from the model; {} failed.\n\n",
            sample.len(),
            sample.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "),
            d.run,
            d.run - d.synthesized,
            d.synthesized,
            d.failed.values().map(|c| c.count).sum::<usize>()
        ));
    }
    md.push_str(&format!(
        "Durations of the run that wrote this section (2 cores, `nice -n 10`): import {}, check {check_secs:.0} s, emit {emit_secs:.0} s, `cargo check` of every product {compile_secs:.0} s, runtime decoder sample {decode_secs:.0} s. Cargo keeps its target folder between runs, so a rerun checks again only the products whose files changed; the first run's `cargo check` takes far longer.\n\n",
        import_secs.map_or("—".to_owned(), |s| format!("{s:.0} s"))
    ));
    md.push_str("### Failures by class\n\n");
    md.push_str(&format!(
        "Products the importer could not read:\n\n{}\n",
        failed_products.table("products")
    ));
    md.push_str(&format!(
        "Actions the importer left out:\n\n{}\n",
        import_classes.table("actions")
    ));
    md.push_str(&format!(
        "Request members the metadata has and the specs lack ({lost_members}; the names are in the import report and each action file's header):\n\n{}\n",
        lost_classes.table("members")
    ));
    md.push_str(&format!(
        "Paginators: {paginated} of {pageable} actions whose request has paging members (`NextToken`, `PageNumber`/`PageSize`, `Offset`/`Limit`) and whose answer a list ({}). The others, by reason:\n\n{}\n",
        if pageable == 0 {
            "—".to_owned()
        } else {
            format!("{:.1}%", paginated as f64 * 100.0 / pageable as f64)
        },
        unpaged_classes.table("actions")
    ));
    md.push_str(&format!(
        "The checker (per product; diagnostics):\n\n{}\n",
        check_classes.table("diagnostics")
    ));
    md.push_str(&format!("Emit:\n\n{}\n", emit_classes.table("items")));
    md.push_str(&format!(
        "Compile (errors):\n\n{}\n",
        compile_classes.table("errors")
    ));
    md.push_str(&format!(
        "Examples the checker rejects:\n\n{}\n",
        example_classes.table("examples")
    ));
    if let Some(d) = &decode {
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
    write_section(root, &provider, &md)?;
    println!(
        "coverage: {provider}: imported {}, check {}, emitted {}, compile {}; COVERAGE.md written",
        pct(imported),
        pct(pass_a),
        pct(emit_a),
        pct(comp_a)
    );
    Ok(())
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
