//! `cargo xtask interop`: a pinned virtual environment under `target/` with the official
//! SDKs, our stub servers (`cloudapi-tests`'s `interop serve`), and the comparison script.
//! Every failure (no PyPI, a failed install, a mismatch) exits non-zero; nothing is skipped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

fn run_step(cmd: &mut Command, what: &str) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("interop: cannot run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("interop: {what} failed ({status})"))
    }
}

/// Creates (or reuses) the pinned virtual environment with the official SDKs.
pub fn ensure_venv(root: &Path) -> Result<std::path::PathBuf, String> {
    let venv = root.join("target/interop-venv");
    let python = venv.join("bin/python");
    let requirements = root.join("xtask/interop/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("interop: cannot read {}: {e}", requirements.display()))?;
    let marker = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(wanted.as_str()) {
        println!(
            "interop: creating {} with the pinned official SDKs",
            venv.display()
        );
        let _ = std::fs::remove_dir_all(&venv);
        run_step(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "python3 -m venv",
        )?;
        run_step(
            Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--disable-pip-version-check",
                    "--quiet",
                    // Exactly the pinned set: a dependency missing from it fails `pip check`
                    // below instead of arriving unpinned.
                    "--no-deps",
                    "-r",
                ])
                .arg(&requirements),
            "pip install of the official SDKs (is PyPI reachable?)",
        )?;
        run_step(
            Command::new(&python).args(["-m", "pip", "check", "--disable-pip-version-check"]),
            "pip check (every dependency of the pinned SDKs pinned and compatible)",
        )?;
        std::fs::write(&marker, &wanted).map_err(|e| e.to_string())?;
    }
    Ok(python)
}

pub fn run(root: &Path) -> Result<(), String> {
    let python = ensure_venv(root)?;
    run_step(
        Command::new(env!("CARGO"))
            .args([
                "build",
                "--quiet",
                "-p",
                "cloudapi-tests",
                "--bin",
                "interop",
            ])
            .current_dir(root),
        "building the interop stubs",
    )?;
    let signer = root.join("target/debug/interop");
    let mut server = Command::new(&signer)
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("interop: cannot start the stub servers: {e}"))?;
    let mut endpoints = String::new();
    if let Some(out) = server.stdout.take() {
        let _ = BufReader::new(out).read_line(&mut endpoints);
    }
    if endpoints.trim().is_empty() {
        let _ = server.kill();
        return Err("interop: the stub servers did not report their endpoints".into());
    }
    println!("interop: stub servers at {}", endpoints.trim());
    let result = run_step(
        Command::new(&python)
            .arg(root.join("xtask/interop/interop.py"))
            .arg(endpoints.trim())
            .arg(&signer),
        "the official SDKs' interop checks",
    );
    // Closing the server's standard input stops it.
    drop(server.stdin.take());
    let _ = server.wait();
    result
}
