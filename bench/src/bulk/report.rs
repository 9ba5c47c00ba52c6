//! The bulk benchmark's table and its two targets.

use std::io::{self, Write};

use super::Outcome;
use crate::measure::Sample;
use crate::report::{Summary, human_size, median, print_footer, seconds, verdict};

/// The client's peak RSS must stay under this with every download in flight.
const RSS_LIMIT_MIB: f64 = 32.0;
/// The client's throughput must be at least this fraction of curl's.
const THROUGHPUT_TARGET: f64 = 1.0;

/// Prints the table, the targets and any failures; returns whether both targets were met.
pub fn print(outcome: &Outcome, out: &mut impl Write) -> io::Result<bool> {
    let bytes: u64 = outcome.sizes.iter().sum();
    let files = outcome.sizes.len();
    let sizes: Vec<f64> = outcome.sizes.iter().map(|&size| size as f64).collect();
    let median_kib = median(sizes).unwrap_or(0.0) / 1024.0;
    let smallest = outcome.sizes.iter().min().copied().unwrap_or(0);
    let largest = outcome.sizes.iter().max().copied().unwrap_or(0);
    writeln!(
        out,
        "bulk download: {files} attachments, {} ({} to {}, median {median_kib:.0} KiB), \
         {} at a time; medians of {} client and {} curl runs",
        human_size(bytes),
        human_size(smallest),
        human_size(largest),
        outcome.concurrency,
        outcome.client.len(),
        outcome.curl.len()
    )?;
    let client = Summary::of(&outcome.client, bytes);
    let curl = Summary::of(&outcome.curl, bytes);
    writeln!(
        out,
        "  {:<12} {:>10} {:>10} {:>10} {:>10} {:>12}",
        "", "time", "MiB/s", "files/s", "CPU", "peak RSS"
    )?;
    for (name, summary) in [("client", &client), ("curl", &curl)] {
        match summary {
            Some(s) => writeln!(
                out,
                "  {name:<12} {:>8.3} s {:>10.1} {:>10.0} {:>8.3} s {:>8.1} MiB",
                s.seconds,
                s.mib_per_s,
                files as f64 / s.seconds,
                s.cpu_seconds,
                s.rss_mib
            )?,
            None => writeln!(out, "  {name:<12} {:>10}", "n/a")?,
        }
    }
    let throughput = match client.as_ref().zip(curl.as_ref()) {
        Some((client, curl)) => {
            let throughput = client.mib_per_s / curl.mib_per_s;
            writeln!(
                out,
                "  {:<12} {:>10} {:>9.2}x {:>10} {:>9.2}x {:>11.2}x",
                "client/curl",
                "",
                throughput,
                "",
                client.cpu_seconds / curl.cpu_seconds,
                client.rss_mib / curl.rss_mib
            )?;
            Some(throughput)
        }
        None => {
            writeln!(out, "  {:<12} {:>10}", "client/curl", "n/a")?;
            None
        }
    };
    writeln!(
        out,
        "  runs (s): client {}; curl {}",
        seconds(&outcome.client),
        seconds(&outcome.curl)
    )?;

    let throughput_met = match throughput {
        Some(throughput) => {
            let met = throughput >= THROUGHPUT_TARGET;
            writeln!(
                out,
                "  [{}] client throughput >= curl's: {throughput:.2}x",
                verdict(met)
            )?;
            met
        }
        None => {
            writeln!(
                out,
                "  [FAIL] client throughput >= curl's: no verified runs to compare"
            )?;
            false
        }
    };
    let peak = outcome
        .client
        .iter()
        .map(Sample::max_rss_mib)
        .max_by(f64::total_cmp);
    let rss_met = match peak {
        Some(peak) => {
            let met = peak < RSS_LIMIT_MIB;
            writeln!(
                out,
                "  [{}] client peak RSS under {RSS_LIMIT_MIB} MiB: at most {peak:.1} MiB",
                verdict(met)
            )?;
            met
        }
        None => {
            writeln!(
                out,
                "  [FAIL] client peak RSS under {RSS_LIMIT_MIB} MiB: no verified runs"
            )?;
            false
        }
    };
    writeln!(out)?;
    print_footer(&outcome.failures, "failed runs", out)?;
    Ok(throughput_met && rss_met)
}
