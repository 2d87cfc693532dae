//! `cargo xtask interop`: a pinned virtual environment under `target/` with the official
//! SDKs, our generated stub servers (`interop serve`: xtask's `interop` binary,
//! `src/bin/interop.rs`, built with the feature `interop`), the standalone
//! stub binary (`cloudapi-stub serve`, twice: recording requests, and with a throttling
//! scenario), and the comparison script. Credentials are made anew each run and handed to
//! every process through `INTEROP_TENCENT_CREDENTIALS` / `INTEROP_ALIYUN_CREDENTIALS`.
//! Every failure (no PyPI, a failed install, a mismatch) exits non-zero; nothing is skipped,
//! and every server started is stopped on every path.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

fn run_step(cmd: &mut Command, what: &str) -> Result<(), String> {
    crate::run_command(cmd, "interop", what)
}

/// Creates (or reuses) the pinned virtual environment with the official SDKs.
pub fn ensure_venv(root: &Path) -> Result<PathBuf, String> {
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

/// Where cargo puts what it builds: `CARGO_TARGET_DIR` (relative to the workspace root)
/// when set, else `target/`.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

/// `len` random hexadecimal digits, from the standard library's per-process random hash
/// keys (new credentials each run; nothing here needs a cryptographic generator).
fn random_hex(len: usize) -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::with_capacity(len + 16);
    while out.len() < len {
        let mut h = RandomState::new().build_hasher();
        h.write_usize(out.len());
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out.truncate(len);
    out
}

/// A child process that is ended when dropped, on success and on every error path.
struct Running {
    child: Child,
    what: String,
    /// Its standard output, kept open after the first line so it never writes to a
    /// closed pipe.
    _stdout: Option<BufReader<ChildStdout>>,
}

impl Running {
    /// Starts `cmd` with its standard output piped; its first line.
    fn start(cmd: &mut Command, what: &str) -> Result<(Running, String), String> {
        let child = cmd
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("interop: cannot start {what}: {e}"))?;
        let mut running = Running {
            child,
            what: what.to_owned(),
            _stdout: None,
        };
        let mut line = String::new();
        if let Some(out) = running.child.stdout.take() {
            let mut reader = BufReader::new(out);
            let _ = reader.read_line(&mut line);
            running._stdout = Some(reader);
        }
        if line.trim().is_empty() {
            return Err(format!("interop: {what} printed nothing and stopped"));
        }
        Ok((running, line.trim().to_owned()))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // Closing standard input asks `interop serve` to stop (it then reports what it
        // served); `cloudapi-stub serve` is killed.
        if let Some(stdin) = self.child.stdin.take() {
            drop(stdin);
            for _ in 0..50 {
                if matches!(self.child.try_wait(), Ok(Some(_))) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            eprintln!("interop: {} did not stop; killing it", self.what);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `cloudapi-stub serve` on a free port of 127.0.0.1 with `credentials` and `extra`
/// flags, its log in `log`; the process and its endpoint (`http://127.0.0.1:PORT`).
fn start_stub(
    bin: &Path,
    credentials: &[&str],
    extra: &[&std::ffi::OsStr],
    log: &Path,
    what: &str,
) -> Result<(Running, String), String> {
    let log_file = std::fs::File::create(log)
        .map_err(|e| format!("interop: cannot create {}: {e}", log.display()))?;
    let mut cmd = Command::new(bin);
    cmd.args(["serve", "--listen", "127.0.0.1:0"]);
    for c in credentials {
        cmd.arg("--credentials").arg(c);
    }
    cmd.args(extra).stderr(log_file);
    let (running, line) =
        Running::start(&mut cmd, what).map_err(|e| format!("{e} (its log: {})", log.display()))?;
    let endpoint = line
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("interop: {what}: unexpected first line {line:?}"))?
        .to_owned();
    Ok((running, endpoint))
}

/// The throttling scenario's N: every N-th request the fault server answers is throttled.
const THROTTLE_EVERY: u32 = 3;

pub fn run(root: &Path) -> Result<(), String> {
    let python = ensure_venv(root)?;
    run_step(
        Command::new(env!("CARGO"))
            .args([
                "build",
                "--quiet",
                "-p",
                "xtask",
                "--features",
                "xtask/interop",
                "--bin",
                "interop",
                "-p",
                "cloudapi-stub",
                "--bin",
                "cloudapi-stub",
            ])
            .current_dir(root),
        "building the interop stubs and cloudapi-stub",
    )?;
    let target = target_dir(root);
    let signer = target.join("debug/interop");
    let stub_bin = target.join("debug/cloudapi-stub");
    // New credentials each run, for every stub, our signer and the script alike.
    let tencent = format!("AKID{}:{}", random_hex(32), random_hex(32));
    let aliyun = format!("LTAI{}:{}", random_hex(20), random_hex(30));
    let creds_env = [
        ("INTEROP_TENCENT_CREDENTIALS", tencent.as_str()),
        ("INTEROP_ALIYUN_CREDENTIALS", aliyun.as_str()),
    ];

    let work = target.join("interop-stub");
    let _ = std::fs::remove_dir_all(&work);
    let record = work.join("record");
    let faults_record = work.join("faults-record");
    for dir in [&record, &faults_record] {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("interop: cannot create {}: {e}", dir.display()))?;
    }
    let scenario = work.join("scenario.json");
    std::fs::write(
        &scenario,
        format!("[{{\"every\": {THROTTLE_EVERY}, \"throttle\": true}}]\n"),
    )
    .map_err(|e| format!("interop: cannot write {}: {e}", scenario.display()))?;

    let (_generated, endpoints) = Running::start(
        Command::new(&signer)
            .arg("serve")
            .envs(creds_env)
            .stdin(Stdio::piped()),
        "the generated stub servers (interop serve)",
    )?;
    println!("interop: generated stub servers at {endpoints}");
    let credentials = [tencent.as_str(), aliyun.as_str()];
    let (_stub, stub_endpoint) = start_stub(
        &stub_bin,
        &credentials,
        &["--record".as_ref(), record.as_os_str()],
        &work.join("serve.log"),
        "cloudapi-stub serve",
    )?;
    let (_faults, faults_endpoint) = start_stub(
        &stub_bin,
        &credentials,
        &[
            "--scenario".as_ref(),
            scenario.as_os_str(),
            "--record".as_ref(),
            faults_record.as_os_str(),
        ],
        &work.join("serve-scenario.log"),
        "cloudapi-stub serve --scenario",
    )?;
    println!("interop: cloudapi-stub serve at {stub_endpoint}, with the throttling scenario at {faults_endpoint}");
    let every = THROTTLE_EVERY.to_string();
    run_step(
        Command::new(&python)
            .arg(root.join("xtask/interop/interop.py"))
            .arg(&endpoints)
            .arg(&signer)
            .envs(creds_env)
            .env("CLOUDAPI_STUB_BIN", &stub_bin)
            .env("CLOUDAPI_STUB_ENDPOINT", &stub_endpoint)
            .env("CLOUDAPI_STUB_RECORD", &record)
            .env("CLOUDAPI_STUB_FAULTS_ENDPOINT", &faults_endpoint)
            .env("CLOUDAPI_STUB_FAULTS_RECORD", &faults_record)
            .env("CLOUDAPI_STUB_THROTTLE_EVERY", &every)
            .env("CLOUDAPI_STUB_WORK", &work),
        "the official SDKs' interop checks",
    )
    // The servers stop here, as they do on every earlier return: `Running` ends them.
}
