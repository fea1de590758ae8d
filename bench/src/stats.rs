//! Medians, ratios and the formatting of figures.

use std::time::{Duration, Instant};

/// The median of `v` (the mean of the two middle values for an even count); `None` if empty.
pub(crate) fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

/// `a / b` as `0.42×`, or `n/a`.
pub(crate) fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
        _ => "n/a".to_owned(),
    }
}

/// `v` with `decimals` decimals, or `n/a`.
pub(crate) fn num(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.decimals$}"))
}

/// The smallest and largest of `v`, as `min-max`, for a column of spreads.
pub(crate) fn spread(v: &[f64], decimals: usize) -> String {
    let min = v.iter().copied().reduce(f64::min);
    let max = v.iter().copied().reduce(f64::max);
    match (min, max) {
        (Some(min), Some(max)) => format!("{min:.decimals$}–{max:.decimals$}"),
        _ => "n/a".to_owned(),
    }
}

/// Seconds since `start`.
pub(crate) fn secs(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

/// Runs `f` repeatedly for at least `at_least` (and at least 3 times); returns the mean time
/// of one call in seconds.
pub(crate) fn per_call(at_least: Duration, f: impl FnMut()) -> f64 {
    per_call_at_least(at_least, 3, f)
}

/// Runs `f` repeatedly for at least `at_least` and at least `min_calls` times (at least once);
/// returns the mean time of one call in seconds.
pub(crate) fn per_call_at_least(at_least: Duration, min_calls: u64, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut n = 0u64;
    while n < min_calls.max(1) || start.elapsed() < at_least {
        f();
        n += 1;
    }
    start.elapsed().as_secs_f64() / n as f64
}

/// Escapes `text` for a markdown table cell, on one line and at most `max` characters.
pub(crate) fn cell(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut s: String = one_line.chars().take(max).collect();
    if one_line.chars().count() > max {
        s.push('…');
    }
    s.replace('|', "\\|").replace('`', "'")
}

/// The lines of `text`.
pub(crate) fn lines(text: &str) -> usize {
    text.lines().count()
}

/// The goal of a ratio.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Goal {
    /// None set.
    None,
    /// The ratio should be at most this.
    AtMost(f64),
    /// The ratio should be at least this.
    AtLeast(f64),
}

impl Goal {
    fn cell(self) -> String {
        match self {
            Self::None => "none set".to_owned(),
            Self::AtMost(g) => format!("≤ {g:.2}×"),
            Self::AtLeast(g) => format!("≥ {g:.2}×"),
        }
    }

    fn verdict(self, ratio: Option<f64>) -> &'static str {
        match (self, ratio) {
            (Self::None, _) => "—",
            (_, None) => "not measured",
            (Self::AtMost(g), Some(r)) if r <= g => "met",
            (Self::AtLeast(g), Some(r)) if r >= g => "met",
            _ => "missed",
        }
    }
}

/// One ratio for the summary at the top of the report.
#[derive(Debug, Clone)]
pub(crate) struct Figure {
    pub(crate) what: String,
    pub(crate) ratio: Option<f64>,
    /// What the ratio divides, e.g. `specbind / progenitor`.
    pub(crate) of: String,
    pub(crate) goal: Goal,
}

impl Figure {
    /// `a / b`, if both are known.
    pub(crate) fn new(
        what: impl Into<String>,
        of: &str,
        a: Option<f64>,
        b: Option<f64>,
        goal: Goal,
    ) -> Self {
        let ratio = match (a, b) {
            (Some(a), Some(b)) if b > 0.0 => Some(a / b),
            _ => None,
        };
        Self {
            what: what.into(),
            ratio,
            of: of.to_owned(),
            goal,
        }
    }

    /// The figure as one line of tab-separated fields, which [`Figure::parse`] reads back
    /// (how the validation benchmark, a program of its own, hands its figures over).
    pub(crate) fn to_line(&self) -> String {
        let goal = match self.goal {
            Goal::None => "none".to_owned(),
            Goal::AtMost(g) => format!("at-most {g}"),
            Goal::AtLeast(g) => format!("at-least {g}"),
        };
        let ratio = self
            .ratio
            .map_or_else(|| "n/a".to_owned(), |r| r.to_string());
        [self.what.as_str(), &ratio, &self.of, &goal].join("\t")
    }

    /// Reads a line of [`Figure::to_line`].
    pub(crate) fn parse(line: &str) -> Option<Self> {
        let mut fields = line.split('\t');
        let (what, ratio, of, goal) = (
            fields.next()?,
            fields.next()?,
            fields.next()?,
            fields.next()?,
        );
        let goal = match goal.split_once(' ') {
            Some(("at-most", g)) => Goal::AtMost(g.parse().ok()?),
            Some(("at-least", g)) => Goal::AtLeast(g.parse().ok()?),
            _ => Goal::None,
        };
        Some(Self {
            what: what.to_owned(),
            ratio: ratio.parse().ok(),
            of: of.to_owned(),
            goal,
        })
    }
}

/// The summary table of `figures`.
pub(crate) fn summary(figures: &[Figure]) -> String {
    let mut md = String::from(
        "| figure | ratio | of | goal | goal met |\n| --- | ---: | --- | --- | --- |\n",
    );
    for f in figures {
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            f.what,
            f.ratio
                .map_or_else(|| "n/a".to_owned(), |r| format!("{r:.2}×")),
            f.of,
            f.goal.cell(),
            f.goal.verdict(f.ratio),
        ));
    }
    md
}
