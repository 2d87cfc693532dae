//! Loading: find the spec files, read them, deserialize them with serde_yaml.
//!
//! A spec tree holds one folder per provider / product / version; a folder with a
//! `product.yaml` is a product, and every other `*.yaml` file in it is an action.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diag::Diagnostic;
use crate::source::{FileId, SourceFile};
use crate::spec::{ActionSpec, ProductSpec, ProviderSpec};

/// The file name that marks a product folder.
pub const PRODUCT_FILE: &str = "product.yaml";

/// The file that holds what every product of a provider shares (`<provider>/provider.yaml`).
pub const PROVIDER_FILE: &str = "provider.yaml";

/// Spec files deserialized, with the problems found so far.
#[derive(Debug, Default)]
pub struct Loaded {
    pub files: Vec<SourceFile>,
    pub products: Vec<LoadedProduct>,
    pub providers: Vec<LoadedProvider>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug)]
pub struct LoadedProvider {
    pub file: FileId,
    pub spec: ProviderSpec,
}

#[derive(Debug)]
pub struct LoadedProduct {
    pub file: FileId,
    pub spec: ProductSpec,
    pub actions: Vec<LoadedAction>,
}

#[derive(Debug)]
pub struct LoadedAction {
    pub file: FileId,
    pub spec: ActionSpec,
}

/// Reads every `*.yaml` file below `root`, in a stable order.
pub fn read_tree(root: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    walk(root, root, &mut out)?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(root, &p, out)?;
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            let rel = p.strip_prefix(root).unwrap_or(&p);
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, std::fs::read(&p)?));
        }
    }
    Ok(())
}

/// Deserializes a set of files named by their `/`-separated paths.
/// Files are grouped into products by folder; an action file in a folder without
/// `product.yaml` is an error.
pub fn load_files(files: Vec<(String, Vec<u8>)>) -> Loaded {
    let mut loaded = Loaded::default();
    // Decode and index every file on all cores.
    let decoded = crate::par::par_map(&files, |(name, bytes)| match std::str::from_utf8(bytes) {
        Ok(text) => (SourceFile::new(name.clone(), text.to_owned()), None),
        Err(e) => {
            // The valid prefix is unchanged by the lossy conversion.
            let start = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            (SourceFile::new(name.clone(), text), Some(start))
        }
    });
    // folder -> (product file, action files)
    let mut folders: BTreeMap<String, (Option<FileId>, Vec<FileId>)> = BTreeMap::new();
    let mut provider_files = Vec::new();
    for (id, (file, invalid_at)) in decoded.into_iter().enumerate() {
        let (folder, base) = match file.name.rsplit_once('/') {
            Some((f, b)) => (f.to_owned(), b.to_owned()),
            None => (String::new(), file.name.clone()),
        };
        loaded.files.push(file);
        if let Some(start) = invalid_at {
            loaded.diagnostics.push(
                Diagnostic::new(id, start..start + 3, "the file is not valid UTF-8")
                    .label("invalid byte here")
                    .help("save the spec as UTF-8 text"),
            );
            continue;
        }
        if base == PROVIDER_FILE {
            provider_files.push(id);
            continue;
        }
        let entry = folders.entry(folder).or_default();
        if base == PRODUCT_FILE {
            entry.0 = Some(id);
        } else {
            entry.1.push(id);
        }
    }
    let mut groups = Vec::new();
    for (folder, (product, actions)) in folders {
        match product {
            Some(pid) => groups.push((pid, actions)),
            None => {
                for a in actions {
                    loaded.diagnostics.push(
                        Diagnostic::new(a, 0..0, format!("action file outside a product folder (no `{folder}/{PRODUCT_FILE}`)"))
                            .help(format!("add `{PRODUCT_FILE}` to the folder, or move the action into a product folder")),
                    );
                }
            }
        }
    }
    for id in provider_files {
        match parse::<ProviderSpec>(&loaded.files[id], id) {
            Ok(spec) => loaded.providers.push(LoadedProvider { file: id, spec }),
            Err(d) => loaded.diagnostics.extend(d),
        }
    }
    // Deserialize every product and action file on all cores.
    let files_ref = &loaded.files;
    let products = crate::par::par_map(&groups, |(pid, _)| {
        parse::<ProductSpec>(&files_ref[*pid], *pid)
    });
    let action_ids: Vec<FileId> = groups.iter().flat_map(|(_, a)| a.iter().copied()).collect();
    let mut actions = crate::par::par_map(&action_ids, |a| {
        (*a, parse::<ActionSpec>(&files_ref[*a], *a))
    })
    .into_iter();
    for ((pid, ids), product) in groups.iter().zip(products) {
        let mut list = Vec::new();
        for _ in ids {
            let Some((file, parsed)) = actions.next() else {
                break;
            };
            match parsed {
                Ok(spec) => list.push(LoadedAction { file, spec }),
                Err(d) => loaded.diagnostics.extend(d),
            }
        }
        match product {
            Ok(spec) => loaded.products.push(LoadedProduct {
                file: *pid,
                spec,
                actions: list,
            }),
            Err(d) => loaded.diagnostics.extend(d),
        }
    }
    loaded
}

fn parse<T: DeserializeOwned>(file: &SourceFile, id: FileId) -> Result<T, Vec<Diagnostic>> {
    if file.text.trim().is_empty() {
        return Err(vec![Diagnostic::new(id, 0..0, "the spec file is empty")
            .label("expected a YAML mapping")
            .help(
                "write the spec's fields (see specs/README.md), or delete the file",
            )]);
    }
    match serde_yaml::from_str::<T>(&file.text) {
        Ok(v) => Ok(v),
        // serde_yaml names a repeated key at its mapping; the span index finds the key itself
        // (built only now, for a file that has a problem).
        Err(_) if !file.duplicate_keys().is_empty() => Err(file
            .duplicate_keys()
            .iter()
            .map(|(path, key, first, again)| {
                let at = if path.is_empty() {
                    "the top level".to_owned()
                } else {
                    format!("`{path}`")
                };
                Diagnostic::new(
                    id,
                    again.clone(),
                    format!("the key `{key}` appears twice in {at}"),
                )
                .label("repeated key")
                .related(id, first.clone(), "first given here")
                .help("each key may appear once in a mapping; remove or rename the repeated one")
            })
            .collect()),
        Err(e) => {
            let start = e
                .location()
                .map_or(0, |l| byte_offset(&file.text, l.line(), l.column()));
            let end = token_end(&file.text, start);
            let raw = e.to_string();
            let message = strip_location(&raw);
            let help = yaml_help(&message);
            let mut d = Diagnostic::new(id, start..end, message).label("here");
            if let Some(h) = help {
                d = d.help(h);
            }
            Err(vec![d])
        }
    }
}

/// Byte offset of a 1-based line and character column.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let rest = &text[line_start.min(text.len())..];
    line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start.min(text.len())..];
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let len = line.find(": ").unwrap_or(line.trim_end().len());
    start
        + len
            .max(1)
            .min(line.len().max(usize::from(!rest.is_empty())))
}

/// serde_yaml appends ` at line L column C`; the diagnostic shows the place itself.
fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

fn yaml_help(msg: &str) -> Option<String> {
    if msg.contains("unknown field") {
        Some(
            "remove the key or fix its spelling; the spec format is described in specs/README.md"
                .into(),
        )
    } else if msg.contains("missing field") {
        Some("add the required key (see specs/README.md)".into())
    } else if msg.contains("duplicate entry") {
        Some("each key may appear once in a mapping; remove or rename the repeated one".into())
    } else if msg.contains("unknown variant") {
        Some("use one of the values listed in the message".into())
    } else if msg.contains("tab") {
        Some("indent YAML with spaces, not tabs".into())
    } else if msg.contains("invalid type") {
        Some("the value has the wrong YAML type for this key".into())
    } else if msg.contains("recursion limit") {
        Some("the document nests too deeply; specs never need this depth".into())
    } else {
        None
    }
}
