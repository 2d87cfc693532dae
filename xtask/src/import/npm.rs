//! Action descriptions from the TypeScript SDK packages on npm: `@alicloud/<product>
//! <yyyymmdd>`, pinned in `xtask/import/aliyun-docs.txt`, fetched once with `npm pack`
//! into `target/import-npm/` and read as text (never run). Their `dist/client.d.ts` has
//! a JSDoc block before each `<action>WithOptions(` method: the summary, then `@remarks`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The pins file.
pub fn pins_file(root: &Path) -> PathBuf {
    root.join("xtask/import/aliyun-docs.txt")
}

/// `client.d.ts` of `package` at `version`, fetched if not there yet.
pub fn client_dts(root: &Path, package: &str, version: &str) -> Result<PathBuf, String> {
    let dir = root.join("target/import-npm").join(format!(
        "{}-{version}",
        package.trim_start_matches('@').replace('/', "-")
    ));
    let dts = dir.join("package/dist/client.d.ts");
    if dts.exists() {
        return Ok(dts);
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("import: cannot create {}: {e}", dir.display()))?;
    println!(
        "import: fetching {package}@{version} into {}",
        dir.display()
    );
    let out = Command::new("npm")
        .args(["pack", "--silent", &format!("{package}@{version}")])
        .arg("--pack-destination")
        .arg(&dir)
        .output()
        .map_err(|e| format!("import: cannot run npm (is Node.js installed?): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "import: npm pack {package}@{version} failed (is the npm registry reachable?): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let tgz = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let status = Command::new("tar")
        .arg("xzf")
        .arg(dir.join(&tgz))
        .arg("-C")
        .arg(&dir)
        .status()
        .map_err(|e| format!("import: cannot run tar: {e}"))?;
    if !status.success() || !dts.exists() {
        return Err(format!(
            "import: {package}@{version} has no dist/client.d.ts (in {})",
            dir.display()
        ));
    }
    Ok(dts)
}

/// Each action's description (`CreateVpc` → summary, a blank line, the remarks), from
/// the JSDoc block before its `createVpcWithOptions(` method. `@deprecated` text is kept
/// as a first paragraph; `@param`/`@returns` are dropped.
pub fn action_docs(dts: &str) -> BTreeMap<String, String> {
    let mut docs = BTreeMap::new();
    let mut block: Vec<&str> = Vec::new();
    let mut in_block = false;
    let mut last: Option<Vec<&str>> = None;
    for line in dts.lines() {
        let t = line.trim();
        if t.starts_with("/**") {
            in_block = true;
            block.clear();
            let rest = t.trim_start_matches("/**").trim_end_matches("*/").trim();
            if !rest.is_empty() {
                block.push(rest);
            }
            if t.ends_with("*/") && t.len() > 4 {
                in_block = false;
                last = Some(std::mem::take(&mut block));
            }
            continue;
        }
        if in_block {
            if t.starts_with("*/") || t.ends_with("*/") {
                let rest = t.trim_end_matches("*/").trim_start_matches('*');
                if !rest.trim().is_empty() {
                    block.push(strip_star(line));
                }
                in_block = false;
                last = Some(std::mem::take(&mut block));
            } else {
                block.push(strip_star(line));
            }
            continue;
        }
        if let Some(method) = t
            .split('(')
            .next()
            .and_then(|h| h.strip_suffix("WithOptions"))
        {
            let is_ident = !method.is_empty() && method.chars().all(|c| c.is_ascii_alphanumeric());
            if let (true, Some(lines)) = (is_ident, last.take()) {
                let text = describe(&lines);
                if !text.is_empty() {
                    docs.insert(upper_first(method), text);
                }
            }
        } else if !t.is_empty() {
            last = None;
        }
    }
    docs
}

/// A JSDoc line without its leading ` * ` (the text's own indentation kept).
fn strip_star(line: &str) -> &str {
    let t = line.trim_start();
    let t = t.strip_prefix('*').unwrap_or(t);
    t.strip_prefix(' ').unwrap_or(t).trim_end()
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// The summary and remarks of one block, as one description.
fn describe(lines: &[&str]) -> String {
    let mut summary = Vec::new();
    let mut remarks = Vec::new();
    let mut deprecated = Vec::new();
    let mut section = "summary";
    for &line in lines {
        let t = line.trim_start();
        if let Some(tag) = t.strip_prefix('@') {
            let (name, rest) = tag.split_once(' ').unwrap_or((tag, ""));
            section = name;
            let rest = rest.trim();
            match name {
                "summary" if !rest.is_empty() => summary.push(rest),
                "remarks" if !rest.is_empty() => remarks.push(rest),
                "deprecated" => deprecated.push(if rest.is_empty() { "Deprecated." } else { rest }),
                _ => {}
            }
            continue;
        }
        match section {
            "summary" => summary.push(line),
            "remarks" => remarks.push(line),
            "deprecated" => deprecated.push(line),
            _ => {}
        }
    }
    let mut parts = Vec::new();
    for lines in [deprecated, summary, remarks] {
        let text = lines.join("\n").trim().to_owned();
        if !text.is_empty() {
            parts.push(text);
        }
    }
    parts.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_remarks_and_deprecations_by_action() {
        let dts = r#"
    /**
     * Creates a virtual private cloud (VPC).
     *
     * @remarks
     * When you call this operation:
     * - A VPC can have only one primary IPv4 CIDR block.
     *     - nested
     *
     * @param request - CreateVpcRequest
     * @returns CreateVpcResponse
     */
    createVpcWithOptions(request: $_model.CreateVpcRequest, runtime: $dara.RuntimeOptions): Promise<$_model.CreateVpcResponse>;
    /**
     * Creates a virtual private cloud (VPC).
     */
    createVpc(request: $_model.CreateVpcRequest): Promise<$_model.CreateVpcResponse>;
    /**
     * @deprecated OpenAPI AddIPv6TranslatorAclListEntry is deprecated
     *
     * @summary Adds an entry.
     * @param request - R
     */
    addIPv6TranslatorAclListEntryWithOptions(request: $_model.R, headers: {
        [key: string]: string;
    }, runtime: $dara.RuntimeOptions): Promise<$_model.X>;
    /** Not before a method. */
    const x = 1;
    getLogsWithOptions(project: string): Promise<X>;
"#;
        let docs = action_docs(dts);
        assert_eq!(
            docs["CreateVpc"],
            "Creates a virtual private cloud (VPC).\n\nWhen you call this operation:\n- A VPC can have only one primary IPv4 CIDR block.\n    - nested"
        );
        assert_eq!(
            docs["AddIPv6TranslatorAclListEntry"],
            "OpenAPI AddIPv6TranslatorAclListEntry is deprecated\n\nAdds an entry."
        );
        // A block followed by something else is nobody's description.
        assert!(!docs.contains_key("GetLogs"));
        assert_eq!(docs.len(), 2);
    }
}
