//! Running third-party readers that may panic on malformed input (polars'
//! CSV and Parquet readers): the panic is caught and becomes an error, and
//! while a guard is active the binary's panic hook prints nothing, so the
//! user sees one `error:` line, never a panic message.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};

static ACTIVE: AtomicUsize = AtomicUsize::new(0);

/// Whether some thread is inside `catch` (for the binary's panic hook).
pub fn active() -> bool {
    ACTIVE.load(Ordering::SeqCst) > 0
}

/// Runs `f`; a panic inside it (in this thread or in a pool it waits on)
/// comes back as `Err` with the panic's message.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    ACTIVE.fetch_add(1, Ordering::SeqCst);
    let out = catch_unwind(AssertUnwindSafe(f));
    ACTIVE.fetch_sub(1, Ordering::SeqCst);
    out.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the reader failed".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error() {
        assert_eq!(catch(|| 3), Ok(3));
        let r: Result<(), String> = catch(|| panic!("slice index starts at 1 but ends at 0"));
        assert_eq!(r, Err("slice index starts at 1 but ends at 0".to_string()));
        // Inside a guard the hook is told to stay quiet. (That it is quiet
        // again after one is not asserted here: `ACTIVE` is process-wide,
        // and other tests load data under guards on their own threads.)
        assert_eq!(catch(active), Ok(true));
    }
}
