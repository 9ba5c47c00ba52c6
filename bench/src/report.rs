//! The printed tables and the two targets.

use std::io::{self, Write};

use crate::measure::Sample;
use crate::run::{OpResult, Outcome};

const MIB: f64 = 1024.0 * 1024.0;

/// The client's peak RSS must stay under this, whatever the file size...
const RSS_LIMIT_MIB: f64 = 32.0;
/// ...and grow by less than this from the small file to the big one.
const RSS_GROWTH_LIMIT_MIB: f64 = 4.0;
/// The client's throughput must be at least this fraction of curl's.
const THROUGHPUT_TARGET: f64 = 0.8;

const MACHINE_NOTE: &str =
    "ratios from one run on loopback; absolute numbers vary on shared machines";

/// The failed runs, if any, under `heading`, then the note on measuring here.
pub fn print_footer(failures: &[String], heading: &str, out: &mut impl Write) -> io::Result<()> {
    if !failures.is_empty() {
        writeln!(out, "{heading} (not counted above):")?;
        for failure in failures {
            writeln!(out, "  {failure}")?;
        }
        writeln!(out)?;
    }
    writeln!(out, "note: {MACHINE_NOTE}")
}

/// `bytes` for people: whole MiB or KiB when exact, else MiB with decimals, or bytes.
pub fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    if bytes >= KIB * KIB && bytes.is_multiple_of(KIB * KIB) {
        format!("{} MiB", bytes / (KIB * KIB))
    } else if bytes >= KIB * KIB {
        format!("{:.2} MiB", bytes as f64 / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} B")
    }
}

/// Prints one table per operation, its targets, and any failures; returns whether every
/// target was met.
pub fn print(outcome: &Outcome, out: &mut impl Write) -> io::Result<bool> {
    let mut all_met = true;
    for op in &outcome.ops {
        all_met &= print_op(op, out)?;
        writeln!(out)?;
    }
    print_footer(&outcome.failures, "failed transfers", out)?;
    Ok(all_met)
}

fn print_op(op: &OpResult, out: &mut impl Write) -> io::Result<bool> {
    let note = op
        .note
        .as_ref()
        .map(|note| format!(" ({note})"))
        .unwrap_or_default();
    writeln!(
        out,
        "{}: {} file{note}; medians of {} client and {} curl runs",
        op.op,
        human_size(op.size),
        op.client.len(),
        op.curl.len()
    )?;
    let client = Summary::of(&op.client, op.size);
    let curl = Summary::of(&op.curl, op.size);
    writeln!(
        out,
        "  {:<12} {:>10} {:>10} {:>10} {:>12}",
        "", "time", "MiB/s", "CPU", "peak RSS"
    )?;
    for (name, summary) in [("client", &client), ("curl", &curl)] {
        match summary {
            Some(s) => writeln!(
                out,
                "  {name:<12} {:>8.3} s {:>10.1} {:>8.3} s {:>8.1} MiB",
                s.seconds, s.mib_per_s, s.cpu_seconds, s.rss_mib
            )?,
            None => writeln!(out, "  {name:<12} {:>10}", "n/a")?,
        }
    }
    let ratios = client
        .as_ref()
        .zip(curl.as_ref())
        .map(|(client, curl)| Ratios {
            throughput: client.mib_per_s / curl.mib_per_s,
            cpu: client.cpu_seconds / curl.cpu_seconds,
            rss: client.rss_mib / curl.rss_mib,
        });
    match &ratios {
        Some(r) => writeln!(
            out,
            "  {:<12} {:>10} {:>9.2}x {:>9.2}x {:>11.2}x",
            "client/curl", "", r.throughput, r.cpu, r.rss
        )?,
        None => writeln!(out, "  {:<12} {:>10}", "client/curl", "n/a")?,
    }
    writeln!(
        out,
        "  runs (s): client {}; curl {}",
        seconds(&op.client),
        seconds(&op.curl)
    )?;
    let scale: Vec<String> = op
        .scale
        .iter()
        .map(|(size, sample)| format!("{:.1} MiB at {}", sample.max_rss_mib(), human_size(*size)))
        .collect();
    writeln!(out, "  client peak RSS by file size: {}", scale.join(", "))?;

    let rss_met = print_rss_target(op, out)?;
    let throughput_met = match ratios {
        Some(Ratios { throughput, .. }) => {
            let met = throughput >= THROUGHPUT_TARGET;
            writeln!(
                out,
                "  [{}] client throughput >= {THROUGHPUT_TARGET}x curl's: {throughput:.2}x",
                verdict(met)
            )?;
            met
        }
        None => {
            writeln!(
                out,
                "  [FAIL] client throughput >= {THROUGHPUT_TARGET}x curl's: no verified runs to compare"
            )?;
            false
        }
    };
    Ok(rss_met && throughput_met)
}

fn print_rss_target(op: &OpResult, out: &mut impl Write) -> io::Result<bool> {
    let target = format!(
        "client peak RSS under {RSS_LIMIT_MIB} MiB and independent of file size (grows < {RSS_GROWTH_LIMIT_MIB} MiB)"
    );
    let peak = op
        .client
        .iter()
        .chain(op.scale.iter().map(|(_, sample)| sample))
        .map(Sample::max_rss_mib)
        .fold(None, |max: Option<f64>, rss| {
            Some(max.map_or(rss, |max| max.max(rss)))
        });
    let (Some(peak), [(small_size, small), (big_size, big)]) = (peak, op.scale.as_slice()) else {
        writeln!(out, "  [FAIL] {target}: missing runs")?;
        return Ok(false);
    };
    let growth = big.max_rss_mib() - small.max_rss_mib();
    let met = peak < RSS_LIMIT_MIB && growth < RSS_GROWTH_LIMIT_MIB;
    writeln!(
        out,
        "  [{}] {target}: at most {peak:.1} MiB; {growth:+.1} MiB from {} to {}",
        verdict(met),
        human_size(*small_size),
        human_size(*big_size)
    )?;
    Ok(met)
}

/// Medians of one tool's runs.
pub struct Summary {
    pub seconds: f64,
    pub mib_per_s: f64,
    pub cpu_seconds: f64,
    pub rss_mib: f64,
}

impl Summary {
    /// `None` without samples; `bytes` is what each run transferred.
    pub fn of(samples: &[Sample], bytes: u64) -> Option<Self> {
        let seconds = median(samples.iter().map(|s| s.wall.as_secs_f64()).collect())?;
        Some(Self {
            seconds,
            mib_per_s: bytes as f64 / MIB / seconds,
            cpu_seconds: median(samples.iter().map(|s| s.cpu.as_secs_f64()).collect())?,
            rss_mib: median(samples.iter().map(Sample::max_rss_mib).collect())?,
        })
    }
}

/// Client over curl, from the medians.
struct Ratios {
    throughput: f64,
    cpu: f64,
    rss: f64,
}

pub fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    match values.len() {
        0 => None,
        n if n % 2 == 1 => Some(values[mid]),
        _ => Some((values[mid - 1] + values[mid]) / 2.0),
    }
}

pub fn seconds(samples: &[Sample]) -> String {
    let all: Vec<String> = samples
        .iter()
        .map(|s| format!("{:.3}", s.wall.as_secs_f64()))
        .collect();
    if all.is_empty() {
        "none".to_owned()
    } else {
        all.join(" ")
    }
}

pub fn verdict(met: bool) -> &'static str {
    if met { "PASS" } else { "FAIL" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(Vec::new()), None);
    }

    #[test]
    fn sizes_for_people() {
        assert_eq!(human_size(256 * 1024 * 1024), "256 MiB");
        assert_eq!(human_size(1024 * 1024 + 512 * 1024), "1.50 MiB");
        assert_eq!(human_size(256 * 1024), "256 KiB");
        assert_eq!(human_size(1000), "1000 B");
    }
}
