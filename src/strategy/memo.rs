//! A memo of values computed once per dataset by key (a model's predictions
//! for one resolved `[model]`), shared by every trial and thread: a second
//! request for a key waits for the first one's value instead of making it
//! again.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

type Slot = Arc<Mutex<Option<Arc<dyn Any + Send + Sync>>>>;

#[derive(Default)]
pub struct Memo {
    slots: Mutex<HashMap<String, Slot>>,
    made: AtomicUsize,
}

impl fmt::Debug for Memo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Memo").field("made", &self.made()).finish()
    }
}

impl Memo {
    /// How many values were made (not found).
    pub fn made(&self) -> usize {
        self.made.load(Ordering::Relaxed)
    }

    /// The value under `key`, made by `make` the first time. A failed
    /// `make` stores nothing, so the next request tries again.
    pub fn get_or_make<T, E>(
        &self,
        key: &str,
        make: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<T>, E>
    where
        T: Any + Send + Sync,
    {
        let slot = Arc::clone(
            self.slots
                .lock()
                .expect("memo lock")
                .entry(key.to_string())
                .or_default(),
        );
        let mut value = slot.lock().expect("memo slot lock");
        if let Some(v) = value
            .as_ref()
            .and_then(|v| Arc::clone(v).downcast::<T>().ok())
        {
            return Ok(v);
        }
        let made = Arc::new(make()?);
        self.made.fetch_add(1, Ordering::Relaxed);
        *value = Some(Arc::clone(&made) as Arc<dyn Any + Send + Sync>);
        Ok(made)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_per_key_even_when_threads_race() {
        let memo = Memo::default();
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    let v = memo
                        .get_or_make("a", || Ok::<_, ()>(vec![1.0, 2.0]))
                        .unwrap();
                    assert_eq!(*v, vec![1.0, 2.0]);
                });
            }
        });
        assert_eq!(memo.made(), 1);
        assert!(memo.get_or_make::<f64, _>("b", || Err("no")).is_err());
        assert_eq!(*memo.get_or_make("b", || Ok::<_, ()>(2.0)).unwrap(), 2.0);
        assert_eq!(memo.made(), 2);
    }
}
