//! The progress bar a person at a terminal sees during a long build.
//!
//! The library reports progress through [`fitsm_pack::progress::Progress`]; this is the
//! binary's one implementation of it, with indicatif. A bar appears only when it helps:
//! on a terminal, not under `-q`, and only for steps big enough to take a while (a
//! pack of a few dozen documents builds in a blink and would only flicker).

use std::io::IsTerminal;
use std::sync::Mutex;

use fitsm_pack::progress::{Progress, Step};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Steps with fewer items than this show no bar.
const SHOW_FROM: usize = 200;

pub(crate) struct TerminalProgress {
    enabled: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl TerminalProgress {
    /// A bar on stderr if stderr is a terminal and the user did not ask for quiet.
    pub(crate) fn for_stderr(quiet: bool) -> Self {
        TerminalProgress { enabled: !quiet && std::io::stderr().is_terminal(), bar: Mutex::new(None) }
    }

    fn with_bar(&self, action: impl FnOnce(&mut Option<ProgressBar>)) {
        if let Ok(mut bar) = self.bar.lock() {
            action(&mut bar);
        }
    }
}

impl Progress for TerminalProgress {
    fn start(&self, step: Step, total: usize) {
        if !self.enabled || total < SHOW_FROM {
            return;
        }
        let style = ProgressStyle::with_template("{prefix:>12} [{bar:30}] {pos}/{len} ({eta} left)")
            .map(|style| style.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr())
            .with_style(style)
            .with_prefix(step.label());
        self.with_bar(|slot| {
            if let Some(previous) = slot.replace(bar) {
                previous.finish_and_clear();
            }
        });
    }

    fn advance(&self, count: usize) {
        self.with_bar(|slot| {
            if let Some(bar) = slot {
                bar.inc(count as u64);
            }
        });
    }

    fn finish(&self) {
        self.with_bar(|slot| {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
            }
        });
    }
}
