//! Writing an import: paging inferred, the plan checked, files created (never written
//! over), and the summary the command prints.

use std::path::Path;

use super::existing::Existing;
use super::output::{Done, Imported};
use super::paging;
use super::plan::plan_with;

/// Checks and writes the import below `specs`, creating files only (never replacing
/// one), and returns the summary.
pub fn write_product(
    specs: &Path,
    product_rel: &str,
    existing: &Existing,
    imported: Imported,
    lenient: bool,
    done: &mut Done,
) -> Result<(), String> {
    let notes = imported.notes.clone();
    let errors = imported.product.errors.len();
    let shared = imported.product.types.len();
    done.skipped.extend(imported.skipped.iter().cloned());
    done.lost_members = imported.lost.clone();
    let mut imported = imported;
    let shared_types = imported.product.types.clone();
    for a in imported.actions.iter_mut() {
        match paging::infer(&a.spec, &shared_types) {
            paging::Paging::NotPaged => {}
            paging::Paging::Paged(p) => {
                a.pagination = Some(*p);
                done.pageable += 1;
                done.paginated += 1;
            }
            paging::Paging::Unclear(why) => {
                done.pageable += 1;
                done.unpaged.push((a.name.clone(), why));
            }
        }
    }
    done.renamed_errors = imported
        .product
        .errors
        .iter()
        .filter(|e| e.rust_name.is_some())
        .count();
    let p = plan_with(existing, product_rel, imported, lenient)?;
    done.written = p.written_actions.clone();
    done.dropped_examples = p.dropped_examples;
    done.skipped.extend(
        p.dropped_actions
            .iter()
            .map(|(a, why)| (a.clone(), format!("the checker rejects it: {why}"))),
    );
    for (rel, text) in &p.files {
        let path = specs.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("import: cannot create {}: {e}", dir.display()))?;
        }
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| {
                format!(
                    "import: cannot create {} (never written over): {e}",
                    path.display()
                )
            })?;
        std::io::Write::write_all(&mut f, text.as_bytes())
            .map_err(|e| format!("import: cannot write {}: {e}", path.display()))?;
    }
    let mut s = format!(
        "import: {product_rel} -> {}: {} actions written, {} kept{}; {}",
        specs.display(),
        p.written_actions.len(),
        p.kept_actions.len(),
        if p.kept_actions.is_empty() {
            String::new()
        } else {
            format!(" ({})", p.kept_actions.join(", "))
        },
        if p.product_kept {
            format!("product.yaml kept and not updated (the metadata's {errors} product error codes are not in it, `--diff` lists them; types several actions use are written into each of them)")
        } else {
            format!("product.yaml written ({errors} error codes, {shared} shared types)")
        }
    );
    if p.dropped_examples > 0 {
        s.push_str(&format!(
            "\nimport: {} examples the checker rejects were left out (reasons at the top of each action file)",
            p.dropped_examples
        ));
    }
    for n in notes {
        s.push_str(&format!("\nimport: note: {n}"));
    }
    for (member, why) in &done.lost_members {
        s.push_str(&format!(
            "\nimport: request member left out: {member} ({why})"
        ));
    }
    for (a, why) in &p.dropped_actions {
        s.push_str(&format!(
            "\nimport: {a}: left out, the checker rejects it: {why}"
        ));
    }
    done.summary = s;
    Ok(())
}
