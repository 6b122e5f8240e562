//! `plumb serve`: a preview for authors that follows every save.
//!
//! One thread owns the `Preview` and rebuilds it for each batch of file changes
//! (notify, debounced by a few milliseconds); it publishes the result as a new
//! `Snapshot` and a message to open pages. The HTTP server answers from the current
//! snapshot, so a reader never sees a half-built site, and a failed rebuild leaves the last good
//! files in place with the error shown over every page. Serve writes nothing to disk.

mod guard;
mod http;
mod open;
pub mod plan;
mod preview;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock, mpsc};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tokio::sync::broadcast;

use crate::config::BuildOptions;
use crate::diagnostic::{Diagnostic, Diagnostics};
use http::{Live, Snapshot};
use preview::Preview;

/// How long the watcher waits for a burst of changes (an editor's write-then-rename, a
/// `git checkout`) to settle before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(15);

/// Ports tried after the requested one when it is taken.
const PORT_TRIES: u16 = 20;

/// What `plumb serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Called after each build is published and the one it replaced let go: gives what the
    /// threads freed back to the system, as the preview idles until the next change. The
    /// binary, which chose the allocator, knows how.
    pub return_memory: fn(),
}

/// Serves the site until the process is stopped.
pub fn serve(options: ServeOptions) -> Result<(), Diagnostics> {
    let (listener, address) = bind(options.bind, options.port)?;
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}, so other machines can reach the preview, build errors \
             (which quote your files) included; leave out --bind to keep it to this machine",
            options.bind
        );
    }
    let url = format!("http://{address}/");
    let mut build = options.build.clone();
    // The watcher reports absolute paths: plan with an absolute root.
    build.root = build.root.canonicalize().unwrap_or(build.root);
    build.preview = true;
    build.base_url = Some(url.clone());
    let root = build.root.clone();

    // Watch before the first build, so a save made while it runs is not missed.
    let (changes, batches) = mpsc::channel();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        if let Ok(events) = result {
            // Reading files (the rebuild itself does) is not a change.
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| is_change(&e.event.kind))
                .flat_map(|e| e.event.paths)
                .collect();
            if !paths.is_empty() {
                changes.send(paths).ok();
            }
        }
    })
    .map_err(|err| watch_error(&err))?;
    debouncer
        .watch(&root, RecursiveMode::Recursive)
        .map_err(|err| watch_error(&err))?;

    let mut preview = Preview::new(build);
    let start = Instant::now();
    let first = preview.full();
    let live = Live {
        snapshot: Arc::new(RwLock::new(Arc::new(Snapshot::default()))),
        events: broadcast::channel(64).0,
        open: open::OpenPages::default(),
    };
    if options.port != 0 && address.port() != options.port {
        eprintln!(
            "port {} is taken; using {} instead",
            options.port,
            address.port()
        );
    }
    match &first {
        Ok(warnings) => {
            crate::diagnostic::print(warnings);
            println!(
                "Built in {} ms. Serving {url} (Ctrl-C to stop)",
                start.elapsed().as_millis()
            );
        }
        Err(diagnostics) => {
            crate::diagnostic::print(diagnostics);
            println!("Serving {url}; the errors above show in the browser until they are fixed");
        }
    }
    publish(
        &live,
        &preview,
        first.as_ref().map(|warnings| (false, warnings)),
        1,
    );
    (options.return_memory)();
    if options.open {
        open_browser(&url);
    }

    let early = live.clone();
    preview.on_first_pages(Box::new(move |files| publish_early(&early, files)));
    let rebuilds = live.clone();
    let return_memory = options.return_memory;
    std::thread::spawn(move || {
        rebuild_loop(&root, &mut preview, &rebuilds, &batches, return_memory);
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|err| {
            Diagnostics::from(Diagnostic::error(format!("cannot start the server: {err}")))
        })?;
    runtime
        .block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            axum::serve(listener, http::router(live, guard::Allowed { address })).await
        })
        .map_err(|err| {
            Diagnostics::from(Diagnostic::error(format!("the server stopped: {err}")))
        })?;
    drop(debouncer);
    Ok(())
}

/// Whether an event changed a file's contents or existence (not a read, not a metadata touch).
fn is_change(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
            | EventKind::Any
    )
}

/// Binds `port`, or the next free one.
fn bind(ip: IpAddr, port: u16) -> Result<(TcpListener, SocketAddr), Diagnostics> {
    for candidate in port..=port.saturating_add(PORT_TRIES - 1) {
        if let Ok(listener) = TcpListener::bind((ip, candidate)) {
            listener.set_nonblocking(true).ok();
            let address = listener
                .local_addr()
                .unwrap_or(SocketAddr::new(ip, candidate));
            return Ok((listener, address));
        }
    }
    Err(Diagnostic::error(format!(
        "no free port from {port} to {}",
        port.saturating_add(PORT_TRIES - 1)
    ))
    .with_hint("stop the other server, or choose a port with --port")
    .into())
}

fn watch_error(err: &dyn std::fmt::Display) -> Diagnostics {
    Diagnostic::error(format!("cannot watch the site's files: {err}"))
        .with_hint("on Linux, raise fs.inotify.max_user_watches if the site is very large")
        .into()
}

/// Rebuilds for each batch of changes, until the watcher goes away.
fn rebuild_loop(
    root: &std::path::Path,
    preview: &mut Preview,
    live: &Live,
    batches: &mpsc::Receiver<Vec<PathBuf>>,
    return_memory: fn(),
) {
    let mut version = 1;
    // The changes of a failed rebuild, carried into the next one until a rebuild takes them:
    // otherwise a later, partial rebuild would hide the error or drop what they changed.
    let mut unbuilt: Vec<PathBuf> = Vec::new();
    while let Ok(mut changed) = batches.recv() {
        // Whatever arrived while the last rebuild ran belongs to this one.
        while let Ok(more) = batches.try_recv() {
            changed.extend(more);
        }
        changed.append(&mut unbuilt);
        let output = preview
            .output_dir()
            .map_or_else(|| root.join("public"), PathBuf::from);
        let theme = preview.theme_name().unwrap_or("guide").to_owned();
        let mut plan = plan::plan(root, &output, &theme, &changed, &live.open.paths());
        if plan.is_empty() {
            continue;
        }
        if preview.output_dir().is_none() {
            plan.full
                .get_or_insert_with(|| "the last build failed".to_owned());
        }
        let start = Instant::now();
        let result = preview.apply(&plan);
        let ms = start.elapsed().as_millis();
        let what_changed = describe(&plan);
        match &result {
            Ok(rebuilt) => {
                version += 1;
                crate::diagnostic::print(&rebuilt.warnings);
                println!("{what_changed}: rebuilt {} in {ms} ms", rebuilt.what);
            }
            Err(diagnostics) => {
                crate::diagnostic::print(diagnostics);
                println!("{what_changed}: the build failed; still serving the last good site");
                unbuilt = changed;
            }
        }
        publish(
            live,
            preview,
            result.as_ref().map(|r| (r.css_only, &r.warnings)),
            version,
        );
        return_memory();
    }
}

fn describe(plan: &plan::RebuildPlan) -> String {
    let mut paths: Vec<String> = plan
        .pages
        .iter()
        .chain(&plan.statics)
        .map(|p| p.display().to_string())
        .chain(plan.templates.iter().map(|t| format!("template {t}")))
        .collect();
    if let Some(why) = &plan.full {
        paths.insert(0, why.clone());
    }
    paths.dedup();
    match paths.len() {
        0 => "changes".to_owned(),
        1..=3 => paths.join(", "),
        n => format!("{} and {} more", paths[..2].join(", "), n - 2),
    }
}

/// Publishes the preview's files (or the error over the last good ones) to the open pages.
/// `Ok((true, _))` when only stylesheets changed; the warnings show over the page without
/// hiding it.
fn publish(
    live: &Live,
    preview: &Preview,
    result: Result<(bool, &Diagnostics), &Diagnostics>,
    version: u64,
) {
    let files = Arc::new(preview.files().clone());
    match result {
        Ok((css_only, warnings)) => {
            let kind = if css_only { "css" } else { "reload" };
            let warnings = (!warnings.is_empty())
                .then(|| warnings.iter().map(|d| d.render(false)).collect::<String>());
            let message =
                serde_json::json!({"kind": kind, "version": version, "warnings": warnings});
            let snapshot = Snapshot {
                files,
                error: None,
                warnings,
                version,
            };
            live.publish(snapshot, message.to_string());
        }
        Err(diagnostics) => {
            let text: String = diagnostics.iter().map(|d| d.render(false)).collect();
            let snapshot = Snapshot {
                files,
                error: Some(text.clone()),
                warnings: None,
                version: live.current().version,
            };
            live.publish(
                snapshot,
                serde_json::json!({"kind": "error", "error": text}).to_string(),
            );
        }
    }
}

/// Publishes the open pages of a rebuild still under way, as the build they will belong to
/// (the same number the finished rebuild gets): open pages update now, and again, to the same
/// content, when the rest is done.
fn publish_early(live: &Live, files: &preview::Files) {
    let current = live.current();
    if current.error.is_some() {
        return;
    }
    let version = current.version + 1;
    // The warnings of the previous build stay until this one's are known.
    let warnings = current.warnings.clone();
    let message = serde_json::json!({"kind": "reload", "version": version, "warnings": warnings});
    let snapshot = Snapshot {
        files: Arc::new(files.clone()),
        error: None,
        warnings,
        version,
    };
    live.publish(snapshot, message.to_string());
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("could not open a browser; visit {url}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_port_is_tried_too() {
        let (_listener, address) = bind(IpAddr::from([127, 0, 0, 1]), u16::MAX).unwrap();
        assert_eq!(address.port(), u16::MAX);
    }
}
