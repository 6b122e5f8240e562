//! The dev server's HTTP side: the preview's files from memory, the live-reload script, and
//! the websocket that tells pages what changed. It answers only with files of the build:
//! a path that tries to leave the site (`..`, encoded or not) gets 404; and only to requests
//! for its own address (see [`super::guard`]). A socket whose page left is dropped at once, and
//! one that stops answering pings within [`PONG_WITHIN`].

use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::{Instant, MissedTickBehavior, interval_at, timeout};

use super::guard::Allowed;
use super::open::OpenPages;
use super::preview::Files;

/// How often an open page is pinged.
const PING_EVERY: Duration = Duration::from_secs(10);

/// How long a page may stay silent after a ping (or take to accept a message) before its
/// socket is dropped.
pub(super) const PONG_WITHIN: Duration = Duration::from_secs(10);

const LIVE_JS: &str = include_str!("../assets/live.js");

/// What the server shows: the last good files, and the current build error, if any.
#[derive(Debug, Default)]
pub(super) struct Snapshot {
    pub files: Arc<Files>,
    pub error: Option<String>,
    /// The last good build's warnings, shown over the page without hiding it.
    pub warnings: Option<String>,
    /// Counts successful rebuilds; a page that reconnects to a newer version reloads.
    pub version: u64,
}

/// State shared by every request.
#[derive(Clone)]
pub(super) struct Live {
    pub snapshot: Arc<RwLock<Arc<Snapshot>>>,
    pub events: broadcast::Sender<String>,
    /// The pages whose sockets are connected, for the rebuild to do first.
    pub open: OpenPages,
}

/// What a page says on its socket.
#[derive(serde::Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum PageMessage {
    /// The page at this URL path is the one the socket belongs to.
    Open { path: String },
}

impl Live {
    pub(super) fn current(&self) -> Arc<Snapshot> {
        self.snapshot.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Replaces the snapshot and tells every open page.
    pub(super) fn publish(&self, snapshot: Snapshot, message: String) {
        if let Ok(mut current) = self.snapshot.write() {
            *current = Arc::new(snapshot);
        }
        self.events.send(message).ok();
    }
}

pub(super) fn router(live: Live, allowed: Allowed) -> Router {
    Router::new()
        .route("/__plumb/live.js", get(live_js))
        .route("/__plumb/socket", get(socket))
        .fallback(get(file))
        .with_state(live)
        .layer(middleware::from_fn_with_state(allowed, check_host))
}

/// Answers 403 to a request for another host than this server (DNS rebinding), and to a
/// websocket opened by a page of another origin.
async fn check_host(
    State(allowed): State<Allowed>,
    request: Request,
    next: Next,
) -> Response<Body> {
    let headers = request.headers();
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if !text(header::HOST).is_some_and(|host| allowed.host(host)) {
        return forbidden("this preview answers only requests for its own address");
    }
    if is_websocket(headers) && text(header::ORIGIN).is_some_and(|origin| !allowed.origin(origin)) {
        return forbidden("this preview's socket is for its own pages only");
    }
    next.run(request).await
}

fn is_websocket(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

fn forbidden(why: &'static str) -> Response<Body> {
    (StatusCode::FORBIDDEN, why).into_response()
}

async fn live_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
}

async fn socket(upgrade: WebSocketUpgrade, State(live): State<Live>) -> impl IntoResponse {
    upgrade.on_upgrade(move |socket| follow(socket, live))
}

/// Sends the page a greeting with the current state, then every change, until the page
/// closes the socket, goes silent for longer than [`PONG_WITHIN`] after a ping, or stops
/// taking messages.
async fn follow(mut socket: WebSocket, live: Live) {
    let mut events = live.events.subscribe();
    if !send(&mut socket, hello(&live.current())).await {
        return;
    }
    let mut ping = interval_at(Instant::now() + PING_EVERY, PING_EVERY);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut heard = Instant::now();
    // Registered as open until the socket ends.
    let mut opened = None;
    loop {
        tokio::select! {
            event = events.recv() => {
                let message = match event {
                    Ok(message) => message,
                    // Missed messages: the greeting says where the site is now.
                    Err(RecvError::Lagged(_)) => hello(&live.current()),
                    Err(RecvError::Closed) => return,
                };
                if !send(&mut socket, message).await {
                    return;
                }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_)) | Err(_)) | None => return,
                Some(Ok(message)) => {
                    heard = Instant::now();
                    if let Message::Text(text) = message
                        && let Ok(PageMessage::Open { path }) = serde_json::from_str(text.as_str())
                    {
                        // A page's later message replaces its first; a bad path keeps it.
                        opened = live.open.open(&path).or(opened);
                    }
                }
            },
            _ = ping.tick() => {
                let ping = timeout(PONG_WITHIN, socket.send(Message::Ping(Default::default())));
                if heard.elapsed() > PING_EVERY + PONG_WITHIN || !matches!(ping.await, Ok(Ok(()))) {
                    return;
                }
            }
        }
    }
}

/// Sends `text`, giving up (false) on an error or a page that takes none for too long.
async fn send(socket: &mut WebSocket, text: String) -> bool {
    matches!(
        timeout(PONG_WITHIN, socket.send(Message::Text(text.into()))).await,
        Ok(Ok(()))
    )
}

pub(super) fn hello(snapshot: &Snapshot) -> String {
    serde_json::json!({"kind": "hello", "version": snapshot.version, "error": snapshot.error, "warnings": snapshot.warnings})
        .to_string()
}

async fn file(State(live): State<Live>, uri: Uri) -> Response<Body> {
    let snapshot = live.current();
    let Some(key) = file_key(uri.path()) else {
        return not_found(&snapshot);
    };
    if let Some(bytes) = snapshot.files.get(&key) {
        return respond(StatusCode::OK, &key, bytes, snapshot.version);
    }
    // `/guide` -> `/guide/`, as static hosts do.
    if !key.is_empty()
        && !key.ends_with('/')
        && snapshot.files.contains_key(&format!("{key}/index.html"))
    {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
        if let Ok(location) = HeaderValue::from_str(&format!("{}/", uri.path())) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    }
    not_found(&snapshot)
}

/// The key of `path` in the files: percent-decoded, without the leading `/`, `index.html` for
/// folders. `None` for anything that is not a plain path inside the site.
pub(super) fn file_key(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let relative = decoded.strip_prefix('/')?;
    if relative.contains(['\\', '\0']) {
        return None;
    }
    if relative
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return None;
    }
    if relative.is_empty() || relative.ends_with('/') {
        return Some(format!("{relative}index.html"));
    }
    Some(relative.to_owned())
}

fn not_found(snapshot: &Snapshot) -> Response<Body> {
    match (snapshot.files.get("404.html"), &snapshot.error) {
        (Some(bytes), _) => respond(StatusCode::NOT_FOUND, "404.html", bytes, snapshot.version),
        // No good build yet: a bare page that carries the live script, so the error shows
        // and the page reloads once the site builds.
        (None, Some(_)) => respond(
            StatusCode::SERVICE_UNAVAILABLE,
            "error.html",
            b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>plumb: the site did not build</title></head><body><p>The site did not build yet.</p></body></html>",
            snapshot.version,
        ),
        (None, None) => (StatusCode::NOT_FOUND, "Not found").into_response(),
    }
}

/// `bytes` of the file at `path`, from the build numbered `version`.
fn respond(status: StatusCode, path: &str, bytes: &[u8], version: u64) -> Response<Body> {
    let content_type = content_type(path);
    let body = if content_type.starts_with("text/html") {
        Body::from(with_live_reload(bytes, version))
    } else {
        Body::from(bytes.to_vec())
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The page with the live-reload script added to its `<head>` (or its end). The script learns
/// which build the page came from, so a page served just before a rebuild finished reloads.
/// (Added as the page is sent, not by the finishing pass: pages a rebuild leaves unchanged keep
/// the previous build's bytes, which a build number inside them would change.)
fn with_live_reload(html: &[u8], version: u64) -> Vec<u8> {
    crate::finish::append_to_head(html, &live_tag(version))
}

fn live_tag(version: u64) -> String {
    format!("<script src=\"/__plumb/live.js\" data-version=\"{version}\" defer></script>")
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        Some("xml") => "application/xml",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        Some("pdf") => "application/pdf",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_files_of_the_site_only() {
        assert_eq!(file_key("/").as_deref(), Some("index.html"));
        assert_eq!(file_key("/guide/").as_deref(), Some("guide/index.html"));
        assert_eq!(file_key("/style.css").as_deref(), Some("style.css"));
        assert_eq!(file_key("/a%20b/").as_deref(), Some("a b/index.html"));
        for escape in [
            "/../etc/passwd",
            "/guide/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/a/%2e%2e/%2e%2e/x",
            "/.%2e/x",
            "/a\\..\\x",
            "/a%00b",
            "/a/./b",
            "relative",
        ] {
            assert_eq!(file_key(escape), None, "{escape}");
        }
    }

    #[test]
    fn live_reload_goes_into_the_head() {
        let page = with_live_reload(
            b"<html><head><title>t</title></head><body></body></html>",
            7,
        );
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<html><head><title>t</title><script src=\"/__plumb/live.js\" data-version=\"7\" defer></script></head><body></body></html>"
        );
    }
}
