//! 4. Body validation throughput: runs `specbind-bench-validate` (the package in
//!    `bench/validate/`, built next to this program) and takes its section and its figures.

use std::path::PathBuf;
use std::process::Command;

use crate::stats::Figure;
use crate::{Args, Paths};

pub(crate) fn run(args: &Args, paths: &Paths) -> Result<(String, Vec<Figure>), String> {
    let exe = std::env::current_exe()
        .map_err(|e| format!("cannot find this program: {e}"))?
        .with_file_name("specbind-bench-validate");
    if !exe.exists() {
        return Err(format!(
            "{} is missing: build it with `CARGO_TARGET_DIR=bench/target cargo build --release \
             --manifest-path bench/validate/Cargo.toml` (bench/run.sh does)",
            exe.display()
        ));
    }
    let figures_file: PathBuf = paths.scratch.join("validate-figures.tsv");
    std::fs::create_dir_all(&paths.scratch)
        .map_err(|e| format!("cannot create {}: {e}", paths.scratch.display()))?;
    let mut cmd = Command::new(&exe);
    cmd.arg("--figures").arg(&figures_file);
    if args.quick {
        cmd.arg("--quick");
    }
    if let Some(n) = args.runs {
        cmd.args(["--runs", &n.to_string()]);
    }
    // Its progress goes straight to our standard error.
    let out = cmd
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    if !out.status.success() {
        return Err(format!("{} failed ({})", exe.display(), out.status));
    }
    let markdown = String::from_utf8_lossy(&out.stdout).into_owned();
    let figures = std::fs::read_to_string(&figures_file)
        .map_err(|e| format!("cannot read {}: {e}", figures_file.display()))?
        .lines()
        .filter_map(Figure::parse)
        .collect();
    Ok((markdown, figures))
}
