//! Writes a synthetic `sms.toml` with N services (default 100) to stdout, for
//! benchmarks and stress tests:
//!
//! ```sh
//! cargo run --release --example synthesize -- 1000 > big.toml
//! ```

fn main() {
    let services = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(100);
    print!("{}", fitsm_pack::synth::config(services));
}
