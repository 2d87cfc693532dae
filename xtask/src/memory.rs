//! Peak resident memory, read from /proc (Linux): of this process (`VmHWM`, which
//! [`reset_peak`] sets back to the current size, so each stage of a run is measured on
//! its own), and of a child process together with its descendants ([`run_sampled`]:
//! cargo and the `rustc`s it runs at once, summed, sampled every 200 ms).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Sets this process's peak (`VmHWM`) back to its current size (`/proc/self/clear_refs`);
/// does nothing where that cannot be written.
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// This process's peak resident memory since it started or since [`reset_peak`], KiB.
pub fn peak_kib() -> Option<u64> {
    crate::bench::peak_rss_kib()
}

/// `VmRSS` of one process, KiB (0 when it is gone).
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// The parent of each process (`/proc/<pid>/stat`'s fourth field, after the command
/// name in parentheses, which may itself hold spaces and parentheses).
fn parents() -> HashMap<u32, u32> {
    let mut map = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return map;
    };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let ppid = stat
            .rfind(')')
            .and_then(|i| stat[i + 1..].split_whitespace().nth(1)?.parse().ok());
        if let Some(ppid) = ppid {
            map.insert(pid, ppid);
        }
    }
    map
}

/// The summed `VmRSS` of `pid` and all its descendants, KiB.
pub fn tree_rss_kib(pid: u32) -> u64 {
    let parents = parents();
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for (&c, &p) in &parents {
        children.entry(p).or_default().push(c);
    }
    let (mut total, mut stack) = (0, vec![pid]);
    while let Some(p) = stack.pop() {
        total += rss_kib(p);
        if let Some(cs) = children.get(&p) {
            stack.extend(cs);
        }
    }
    total
}

/// What [`run_sampled`] gives.
pub struct Sampled {
    pub status: ExitStatus,
    pub stderr: String,
    /// The largest summed resident memory of the process tree seen, KiB.
    pub peak_kib: u64,
}

/// Runs `cmd` to completion, handing each line of its stdout to `on_line` as it comes,
/// keeping its stderr, and sampling the memory of its process tree every 200 ms.
pub fn run_sampled(cmd: &mut Command, mut on_line: impl FnMut(&str)) -> std::io::Result<Sampled> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let pid = child.id();
    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (done, peak) = (Arc::clone(&done), Arc::clone(&peak));
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(tree_rss_kib(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(200));
            }
        })
    };
    let mut stderr_pipe = child.stderr.take();
    let stderr = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = stderr_pipe.as_mut() {
            let _ = e.read_to_string(&mut s);
        }
        s
    });
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            match line {
                Ok(l) => on_line(&l),
                Err(_) => break,
            }
        }
    }
    let status = child.wait()?;
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    let stderr = stderr.join().unwrap_or_default();
    Ok(Sampled {
        status,
        stderr,
        peak_kib: peak.load(Ordering::Relaxed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_tree_is_measured() {
        // A shell whose child holds some memory for a moment.
        let mut lines = Vec::new();
        let r = run_sampled(
            Command::new("sh").args(["-c", "echo one; sleep 0.5; echo two"]),
            |l| lines.push(l.to_owned()),
        )
        .unwrap();
        assert!(r.status.success());
        assert_eq!(lines, ["one", "two"]);
        assert!(r.peak_kib > 0, "no memory sampled");
        assert!(tree_rss_kib(std::process::id()) > 0);
    }
}
