//! Handing memory back to the system after the few large pieces of work of a build.
//!
//! A whole-pack document of a pack with thousands of services is megabytes of text,
//! rendered through lists and event buffers many times that size. The allocator keeps
//! what they free for reuse by the same thread, and with two threads each keeping
//! the peak of its largest document, a build held twice the memory it used. Purging
//! after every free (mimalloc's `purge_delay` of 1 ms) made a 1,000-service build
//! 60 % slower, so memory is handed back only after a large document, by the
//! function the binary registers for its allocator ([`set_release`]); the library
//! itself does not know the allocator.

use std::sync::OnceLock;

/// Text this long (bytes) makes a document large enough to release memory after.
pub const LARGE: usize = 1 << 20;

static RELEASE: OnceLock<fn()> = OnceLock::new();

/// Registers how this thread's free memory is handed back to the system (the
/// binary's allocator); the first registration stands.
pub fn set_release(release: fn()) {
    let _ = RELEASE.set(release);
}

/// Hands back what the calling thread's allocator keeps free, if a function is
/// registered and `size` (of the document just made) is [`LARGE`] or more.
pub fn release_after(size: usize) {
    if size >= LARGE
        && let Some(release) = RELEASE.get()
    {
        release();
    }
}

/// Hands back what the calling thread's allocator keeps free, whatever the size
/// (between the steps of a build).
pub fn release() {
    if let Some(release) = RELEASE.get() {
        release();
    }
}
