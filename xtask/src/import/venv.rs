//! The importer's pinned virtual environment, `target/import-venv`: the packages of
//! `xtask/import/<provider>.txt` installed with `pip install --no-deps`, each only once.
//! Nothing there is imported or run: the importer reads the packages' data files. A
//! failed install (PyPI unreachable, a version that does not exist) is an error.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The pins of `xtask/import/<provider>.txt`: `(package, version)` in file order.
pub fn read_pins(root: &Path, provider: &str) -> Result<(PathBuf, Vec<(String, String)>), String> {
    let file = root.join(format!("xtask/import/{provider}.txt"));
    read_pins_file(file)
}

/// The pins of one file (`package==version` lines, `#` comments).
pub fn read_pins_file(file: PathBuf) -> Result<(PathBuf, Vec<(String, String)>), String> {
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("import: cannot read {}: {e}", file.display()))?;
    let mut pins = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, version)) = line.split_once("==") else {
            return Err(format!(
                "import: {}:{}: `{line}` is not `package==version` (every source is pinned)",
                file.display(),
                i + 1
            ));
        };
        pins.push((name.trim().to_owned(), version.trim().to_owned()));
    }
    Ok((file, pins))
}

/// The version pinned for `package`, or an error saying where to pin it.
pub fn pinned<'a>(
    pins: &'a [(String, String)],
    package: &str,
    file: &Path,
) -> Result<&'a str, String> {
    pins.iter()
        .find(|(n, _)| n == package)
        .map(|(_, v)| v.as_str())
        .ok_or_else(|| {
            format!(
                "import: no pinned version of `{package}` in {}; add `{package}==<version>` (`pip index versions {package}` lists them)",
                file.display()
            )
        })
}

/// Creates the environment if needed, installs `wanted` (`package==version` each) where
/// not installed yet, and returns its `site-packages` folder.
pub fn ensure(root: &Path, wanted: &[(String, String)]) -> Result<PathBuf, String> {
    ensure_in(root, "import-venv", wanted)
}

/// [`ensure`] for the environment `target/<name>` (packages whose files overlap, such as
/// the per-service Tencent SDKs and the one with every service, live in different ones).
pub fn ensure_in(root: &Path, name: &str, wanted: &[(String, String)]) -> Result<PathBuf, String> {
    let venv = root.join("target").join(name);
    let python = venv.join("bin/python");
    if !python.exists() {
        println!("import: creating {}", venv.display());
        run(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "python3 -m venv",
        )?;
    }
    let marker = venv.join("installed.txt");
    let installed = std::fs::read_to_string(&marker).unwrap_or_default();
    let missing: Vec<String> = wanted
        .iter()
        .map(|(n, v)| format!("{n}=={v}"))
        .filter(|pin| !installed.lines().any(|l| l == pin))
        .collect();
    if !missing.is_empty() {
        println!(
            "import: installing {} into {}",
            missing.join(" "),
            venv.display()
        );
        run(
            Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--disable-pip-version-check",
                    "--quiet",
                    "--no-deps",
                ])
                .args(&missing),
            &format!("pip install {} (is PyPI reachable?)", missing.join(" ")),
        )?;
        // Replace older pins of the same packages in the record.
        let names: Vec<&str> = wanted.iter().map(|(n, _)| n.as_str()).collect();
        let mut lines: Vec<String> = installed
            .lines()
            .filter(|l| !names.contains(&l.split("==").next().unwrap_or("")))
            .map(str::to_owned)
            .collect();
        lines.extend(wanted.iter().map(|(n, v)| format!("{n}=={v}")));
        std::fs::write(&marker, lines.join("\n") + "\n")
            .map_err(|e| format!("import: cannot write {}: {e}", marker.display()))?;
    }
    let out = Command::new(&python)
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ])
        .output()
        .map_err(|e| format!("import: cannot run {}: {e}", python.display()))?;
    if !out.status.success() {
        return Err(format!(
            "import: {} could not name its site-packages folder: {}",
            python.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    crate::run_command(cmd, "import", what)
}
