//! Timing helpers and the result table.

use std::time::{Duration, Instant};

pub struct Row {
    pub scale: usize,
    pub what: String,
    pub median: String,
    pub max: String,
    pub note: String,
}

#[derive(Default)]
pub struct Table {
    rows: Vec<Row>,
}

impl Table {
    pub fn add(&mut self, scale: usize, what: &str, median: String, max: String, note: String) {
        eprintln!("  {what}: {median} (max {max}) {note}");
        self.rows.push(Row { scale, what: what.to_string(), median, max, note });
    }

    pub fn time(&mut self, scale: usize, what: &str, samples: &[Duration], note: String) {
        let (median, max) = stats(samples);
        self.add(scale, what, fmt(median), fmt(max), note);
    }

    pub fn print(&self) {
        println!("| orgs | measurement | median | max | note |");
        println!("| ---: | --- | ---: | ---: | --- |");
        for r in &self.rows {
            println!("| {} | {} | {} | {} | {} |", r.scale, r.what, r.median, r.max, r.note);
        }
    }
}

pub fn stats(samples: &[Duration]) -> (Duration, Duration) {
    let mut v = samples.to_vec();
    v.sort();
    (v[v.len() / 2], *v.last().unwrap_or(&Duration::ZERO))
}

pub fn fmt(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1_000.0 {
        format!("{us:.0} µs")
    } else if us < 1_000_000.0 {
        format!("{:.2} ms", us / 1e3)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

/// Resident set size of this process, from /proc.
pub fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()))
        .map_or(0, |kb| kb * 1024)
}

pub use hubsync::store::dir_size;

pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}
