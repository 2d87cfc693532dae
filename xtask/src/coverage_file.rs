//! The files a coverage run reads and writes, shared by `coverage` and `coverage
//! endpoints`: the product versions of an `import --all` tree, and `COVERAGE.md`'s
//! sections.

use std::path::{Path, PathBuf};

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

const HEADER: &str = "# Coverage\n\nHow much of each provider's published API metadata gets through the pipeline: `cargo xtask import --all <provider> --out DIR`, then `cargo xtask coverage <provider> DIR` (which rewrites that provider's section). Tencent Cloud: every service of the pinned `tccli`; Alibaba Cloud: every product of `xtask/import/aliyun-all.txt`, or with `import --all aliyun --sample` the fixed 80-product sample of `xtask/import/aliyun-sample.txt`; each section names its products' list. Percentages are of the actions the metadata lists.\n\n";
