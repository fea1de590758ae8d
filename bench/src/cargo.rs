//! Scratch crates under `bench/target/scratch/`, written at run time (never committed), and
//! timed Cargo builds of them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use crate::stats::secs;

/// A scratch workspace: a few member crates sharing one `Cargo.lock` and one target folder,
/// so their dependencies are built once and never rebuilt by the timed builds.
#[derive(Debug)]
pub(crate) struct Workspace {
    pub(crate) dir: PathBuf,
}

/// One member crate: its name, the `[dependencies]` table of its manifest, and its files
/// (paths relative to the crate).
#[derive(Debug)]
pub(crate) struct Member {
    pub(crate) name: String,
    pub(crate) dependencies: String,
    pub(crate) files: Vec<(String, String)>,
}

/// How a timed build starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    /// `cargo clean -p <crate>` first (dependencies stay built).
    Clean,
    /// The crate built already; its generated files touched.
    Touched,
}

impl Start {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Clean => "clean",
            Self::Touched => "incremental (generated files touched)",
        }
    }
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    // Unchanged files keep their time stamp, so Cargo does not rebuild for nothing.
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

impl Workspace {
    /// Writes the workspace at `dir` with `members` (files of earlier runs that are still
    /// wanted are kept, so the target folder stays warm).
    pub(crate) fn create(dir: PathBuf, members: &[Member]) -> Result<Self, String> {
        let names: Vec<String> = members.iter().map(|m| format!("{:?}", m.name)).collect();
        let manifest = format!(
            "# Written by specbind-bench at run time; not part of any other workspace.\n\
             [workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            names.join(", ")
        );
        write(&dir.join("Cargo.toml"), &manifest)?;
        for m in members {
            let crate_dir = dir.join(&m.name);
            let manifest = format!(
                "[package]\nname = {:?}\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [lib]\npath = \"src/lib.rs\"\n\n[dependencies]\n{}",
                m.name, m.dependencies
            );
            write(&crate_dir.join("Cargo.toml"), &manifest)?;
            for (path, contents) in &m.files {
                write(&crate_dir.join(path), contents)?;
            }
        }
        Ok(Self { dir })
    }

    fn cargo(&self, args: &[&str]) -> Command {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args(args)
            .current_dir(&self.dir)
            .env("CARGO_TERM_COLOR", "never")
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_INCREMENTAL")
            .env_remove("CARGO_BUILD_JOBS");
        cmd
    }

    /// Runs `cargo <args>`; its standard error, or the failure with it.
    pub(crate) fn run(&self, args: &[&str]) -> Result<String, String> {
        let out = self
            .cargo(args)
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        if out.status.success() {
            Ok(stderr)
        } else {
            let tail: Vec<&str> = stderr.lines().rev().take(40).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            Err(format!(
                "`cargo {}` in {} failed:\n{}",
                args.join(" "),
                self.dir.display(),
                tail.join("\n")
            ))
        }
    }

    /// Builds `krate` and its dependencies with `cargo <command>` (`check` or `build`),
    /// untimed.
    pub(crate) fn warm(&self, command: &str, krate: &str) -> Result<(), String> {
        self.run(&[command, "-p", krate]).map(drop)
    }

    /// Times `cargo <command> -p <krate> --offline` after `start`; `touch` are the files
    /// touched for [`Start::Touched`]. A build that recompiled anything else than the crate
    /// (a dependency changed under us) is measured again, up to twice.
    pub(crate) fn time(
        &self,
        command: &str,
        krate: &str,
        start: Start,
        touch: &[PathBuf],
    ) -> Result<f64, String> {
        let mut attempts = 0;
        loop {
            match start {
                Start::Clean => {
                    self.run(&["clean", "-p", krate])?;
                }
                Start::Touched => {
                    for file in touch {
                        touch_file(file)?;
                    }
                }
            }
            let t = Instant::now();
            let stderr = self.run(&[command, "-p", krate, "--offline"])?;
            let elapsed = secs(t);
            let others: Vec<&str> = stderr
                .lines()
                .map(str::trim_start)
                .filter(|l| l.starts_with("Compiling ") || l.starts_with("Checking "))
                .filter(|l| l.split_whitespace().nth(1) != Some(krate))
                .collect();
            if others.is_empty() {
                return Ok(elapsed);
            }
            attempts += 1;
            eprintln!("  {krate}: the timed build also rebuilt {others:?}; measuring again");
            if attempts > 2 {
                return Err(format!(
                    "`cargo {command} -p {krate}` keeps rebuilding other crates: {others:?}"
                ));
            }
        }
    }
}

/// Sets the modification time of `path` to now.
pub(crate) fn touch_file(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}

/// The `specbind` runtime as a dependency line, with `features`.
pub(crate) fn specbind_dependency(root: &Path, features: &[&str]) -> String {
    let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
    format!(
        "specbind = {{ path = {:?}, default-features = false, features = [{}] }}\n",
        root.join("runtime").display().to_string(),
        features.join(", ")
    )
}
