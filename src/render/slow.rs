//! Names a page that takes long to render while it is still rendering: a template loop over a
//! huge range (or any other runaway) otherwise looks like a hang with no clue where. One
//! thread looks at the pages in flight a few times a second; each page is named once.
//!
//! Watching never stops a page: the author decides whether to wait or press Ctrl-C.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::output::lock;

/// How long a page may render before it is named.
pub const SLOW_PAGE: Duration = Duration::from_secs(10);

/// Called with the warning for each slow page, from the watching thread.
pub type Report = Box<dyn Fn(Diagnostic) + Send + Sync>;

/// Pages being rendered: id -> (when it started, its source, its template, whether it was
/// named).
type InFlight = HashMap<u64, (Instant, PathBuf, String, bool)>;

/// The watch over pages being rendered; stops its thread when dropped.
pub struct SlowPages {
    in_flight: Arc<Mutex<InFlight>>,
    next: AtomicU64,
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl SlowPages {
    pub fn new(after: Duration, report: Report) -> Self {
        let in_flight: Arc<Mutex<InFlight>> = Arc::default();
        let (stop, stopped) = mpsc::channel::<()>();
        let watched = in_flight.clone();
        let tick = (after / 4).clamp(Duration::from_millis(5), Duration::from_millis(250));
        let thread = std::thread::spawn(move || {
            while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(tick) {
                for (started, source, template, named) in lock(&watched).values_mut() {
                    if !*named && started.elapsed() >= after {
                        *named = true;
                        report(warning(source, template, started.elapsed()));
                    }
                }
            }
        });
        Self {
            in_flight,
            next: AtomicU64::new(0),
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Marks the page of `source` as rendering through `template` until the returned guard
    /// is dropped.
    pub fn start(&self, source: &Path, template: &str) -> Rendering<'_> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let page = (
            Instant::now(),
            source.to_path_buf(),
            template.to_owned(),
            false,
        );
        lock(&self.in_flight).insert(id, page);
        Rendering { watch: self, id }
    }
}

impl Drop for SlowPages {
    fn drop(&mut self) {
        self.stop.take();
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }
}

/// A page being rendered; dropping it ends the watch over it.
pub struct Rendering<'a> {
    watch: &'a SlowPages,
    id: u64,
}

impl Drop for Rendering<'_> {
    fn drop(&mut self) {
        lock(&self.watch.in_flight).remove(&self.id);
    }
}

fn warning(source: &Path, template: &str, elapsed: Duration) -> Diagnostic {
    Diagnostic::warning(format!(
        "this page has been rendering through the template `{template}` for {} s and is not done yet",
        elapsed.as_secs()
    ))
    .in_file(source)
    .with_hint(
        "its template may loop over a very large list or range; press Ctrl-C to stop the build",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_still_rendering_after_the_limit_is_named_once() {
        let (sender, reports) = mpsc::channel();
        let sender = Mutex::new(sender);
        let watch = SlowPages::new(
            Duration::from_millis(20),
            Box::new(move |d| {
                lock(&sender).send(d.to_string()).ok();
            }),
        );
        let quick = watch.start(Path::new("content/quick.md"), "page.html");
        drop(quick);
        let slow = watch.start(Path::new("content/slow.md"), "page.html");
        let named = reports
            .recv_timeout(Duration::from_secs(30))
            .expect("the slow page is named while it renders");
        assert!(
            named.starts_with("content/slow.md: warning: this page has been rendering through the template `page.html` for"),
            "{named}"
        );
        std::thread::sleep(Duration::from_millis(100));
        drop(slow);
        drop(watch);
        assert!(
            reports.try_recv().is_err(),
            "named once, and only the slow page"
        );
    }
}
