//! The checker loop: the import laid out against what exists and run through `codegen`'s
//! checker as it will be on disk; examples it rejects are dropped (the reason at the top
//! of the file), and with `lenient` whole actions; the written text must read back as
//! the values written.

use std::collections::{BTreeMap, BTreeSet};

use codegen::load;
use codegen::source::SourceFile;
use codegen::spec::{ActionSpec, ProductSpec};

use super::existing::Existing;
use super::output::{self, Imported, SpecFile};

/// The files an import writes, after the checker accepted them.
#[derive(Debug)]
pub struct Planned {
    /// `(path relative to the specs root, text)`.
    pub files: Vec<(String, String)>,
    pub written_actions: Vec<String>,
    pub kept_actions: Vec<String>,
    pub product_kept: bool,
    pub dropped_examples: usize,
    /// `(action, the checker's first message)` of actions left out (lenient plans only).
    pub dropped_actions: Vec<(String, String)>,
}

/// Lays out the import against what exists, and has the checker accept it: examples it
/// rejects are dropped (with the reason at the top of the file); anything else it
/// rejects is an error, and nothing is planned.
#[cfg(test)]
pub fn plan(existing: &Existing, product_rel: &str, imported: Imported) -> Result<Planned, String> {
    plan_with(existing, product_rel, imported, false)
}

/// Plans the import (what `plan` does in tests); with `lenient`, an action the checker rejects for anything but its examples
/// is left out (listed in [`Planned::dropped_actions`]) instead of failing the product.
pub fn plan_with(
    existing: &Existing,
    product_rel: &str,
    mut imported: Imported,
    lenient: bool,
) -> Result<Planned, String> {
    output::mark_secrets(&mut imported);
    let mut dropped_actions: Vec<(String, String)> = Vec::new();
    let product_kept = existing.kept.product_types.is_some();
    let action_path = |a: &SpecFile<ActionSpec>| format!("{product_rel}/{}.yaml", a.name);
    let product_path = format!("{product_rel}/{}", load::PRODUCT_FILE);
    let mut dropped_examples = 0;
    for _round in 0..256 {
        let mut files = existing.files.clone();
        if !product_kept {
            files.push((
                product_path.clone(),
                imported.product.to_yaml().into_bytes(),
            ));
        }
        for a in &imported.actions {
            files.push((action_path(a), a.to_yaml().into_bytes()));
        }
        let diags = match codegen::load_files(files.clone()) {
            Ok(_) => {
                verbatim(
                    &files,
                    &imported.product,
                    &imported.actions,
                    product_kept,
                    product_rel,
                )?;
                let mut out: Vec<(String, String)> = Vec::new();
                if let Some((p, t)) = &existing.provider_copy {
                    out.push((p.clone(), String::from_utf8_lossy(t).into_owned()));
                }
                if !product_kept {
                    out.push((product_path.clone(), imported.product.to_yaml()));
                }
                out.extend(
                    imported
                        .actions
                        .iter()
                        .map(|a| (action_path(a), a.to_yaml())),
                );
                return Ok(Planned {
                    files: out,
                    written_actions: imported.actions.iter().map(|a| a.name.clone()).collect(),
                    kept_actions: existing.kept.actions.iter().cloned().collect(),
                    product_kept,
                    dropped_examples,
                    dropped_actions,
                });
            }
            Err(d) => d,
        };
        // Examples the checker rejects are dropped, with the first reason given.
        let mut dropped_now = 0;
        let mut fatal = Vec::new();
        for a in imported.actions.iter_mut() {
            let name = action_path(a);
            let Some(fid) = diags.files.iter().position(|f| f.name == name) else {
                continue;
            };
            let source = SourceFile::new(name.clone(), diags.files[fid].text.clone());
            let mut reasons: Vec<Option<String>> = vec![None; a.examples.len()];
            for d in diags.items.iter().filter(|d| d.file == fid) {
                let hit = (0..a.examples.len()).find(|i| {
                    ["request", "response_json"].iter().any(|k| {
                        let span = source.value_span(&format!("examples[{i}].{k}"));
                        span.start == d.span.start
                            && span != source.value_span(&format!("examples[{i}]"))
                    })
                });
                match hit {
                    Some(i) => {
                        reasons[i].get_or_insert_with(|| d.message.clone());
                    }
                    None => fatal.push(d.clone()),
                }
            }
            for i in (0..a.examples.len()).rev() {
                if let Some(reason) = &reasons[i] {
                    let ex = a.examples.remove(i);
                    a.comments.push(format!(
                        "Example {} ({}) left out: {reason}",
                        i + 1,
                        if ex.title.is_empty() {
                            "untitled"
                        } else {
                            &ex.title
                        }
                    ));
                    dropped_now += 1;
                }
            }
        }
        dropped_examples += dropped_now;
        // Diagnostics outside the actions being written are fatal too.
        let ours: BTreeSet<String> = imported.actions.iter().map(&action_path).collect();
        fatal.extend(
            diags
                .items
                .iter()
                .filter(|d| !ours.contains(&diags.files[d.file].name))
                .cloned(),
        );
        let ours_only = fatal
            .iter()
            .all(|d| ours.contains(&diags.files[d.file].name));
        if dropped_now == 0 && lenient && !fatal.is_empty() && ours_only {
            let mut reasons: BTreeMap<String, String> = BTreeMap::new();
            for d in &fatal {
                reasons
                    .entry(diags.files[d.file].name.clone())
                    .or_insert_with(|| d.message.clone());
            }
            imported
                .actions
                .retain(|a| match reasons.get(&action_path(a)) {
                    Some(reason) => {
                        dropped_actions.push((a.name.clone(), reason.clone()));
                        false
                    }
                    None => true,
                });
            continue;
        }
        if dropped_now == 0 {
            let d = codegen::Diagnostics {
                files: diags.files,
                items: if fatal.is_empty() { diags.items } else { fatal },
            };
            return Err(format!(
                "import: the imported specs do not pass the checker; nothing was written:\n{}",
                d.render()
            ));
        }
    }
    Err("import: examples kept failing the checker after 256 rounds; nothing was written".into())
}

/// The written files read back as the values written (descriptions and examples
/// verbatim, and everything else).
fn verbatim(
    files: &[(String, Vec<u8>)],
    product: &ProductSpec,
    actions: &[SpecFile<ActionSpec>],
    product_kept: bool,
    product_rel: &str,
) -> Result<(), String> {
    let loaded = load::load_files(files.to_vec());
    let prefix = format!("{product_rel}/");
    let bug = |what: &str| Err(format!("import: bug: {what} does not read back verbatim"));
    for p in loaded
        .products
        .iter()
        .filter(|p| loaded.files[p.file].name.starts_with(&prefix))
    {
        if !product_kept && p.spec != *product {
            return bug("product.yaml");
        }
        for la in &p.actions {
            let Some(a) = actions.iter().find(|a| a.name == la.spec.name) else {
                continue;
            };
            if la.spec != a.spec {
                return bug(&format!("{}.yaml", a.name));
            }
        }
    }
    Ok(())
}
