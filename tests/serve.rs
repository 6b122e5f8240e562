//! `plumb serve` against hostile clients and templates: sockets whose page left are freed,
//! requests for another host and sockets opened by other sites' pages are refused, a
//! non-loopback `--bind` is warned about, a template that recurses for ever is an error
//! that leaves the last good site served, and serve reports the warnings build reports, and
//! under `--strict` fails with exactly build's diagnostics.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use common::Fixture;
use tungstenite::client::IntoClientRequest;

/// A running `plumb serve`, stopped when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    address: String,
    /// Kept open, so that the server's prints never fail.
    stdout: Option<BufReader<ChildStdout>>,
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_plumb"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawns plumb serve");
        // From here on, dropping the server stops the process.
        let mut server = Self {
            child,
            address: String::new(),
            stdout: None,
        };
        let mut stdout = BufReader::new(server.child.stdout.take().expect("stdout"));
        let mut line = String::new();
        while server.address.is_empty() {
            line.clear();
            assert!(
                stdout.read_line(&mut line).unwrap_or(0) > 0,
                "plumb serve exited before serving"
            );
            if let Some(at) = line.find("http://") {
                let rest = &line[at + "http://".len()..];
                server.address = rest[..rest.find('/').expect("a URL")].to_owned();
            }
        }
        server.stdout = Some(stdout);
        server
    }

    /// Reads what the server prints until a line holds `text`.
    fn wait_for(&mut self, text: &str) {
        let stdout = self.stdout.as_mut().expect("stdout");
        let mut line = String::new();
        while !line.contains(text) {
            line.clear();
            assert!(
                stdout.read_line(&mut line).unwrap_or(0) > 0,
                "plumb serve exited before printing `{text}`"
            );
        }
    }

    fn port(&self) -> &str {
        self.address.rsplit(':').next().expect("a port")
    }

    fn open_descriptors(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
            .expect("the server's descriptors")
            .count()
    }

    /// The status line of a GET of `path` sent with this `Host` header.
    fn status_for_host(&self, host: &str) -> String {
        let mut stream = TcpStream::connect(&self.address).expect("connects");
        write!(
            stream,
            "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .expect("writes");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("reads");
        answer.lines().next().unwrap_or_default().to_owned()
    }

    /// Stops the server and returns what it printed on stderr.
    fn stop(mut self) -> String {
        self.child.kill().ok();
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            pipe.read_to_string(&mut stderr).ok();
        }
        self.child.wait().ok();
        stderr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn socket_url(server: &Server) -> String {
    format!("ws://{}/__plumb/socket", server.address)
}

/// Waits until the server holds at most `count` descriptors (or a generous while has passed),
/// and returns how many it holds.
fn settle_to(server: &Server, count: usize) -> usize {
    let start = Instant::now();
    loop {
        let now = server.open_descriptors();
        if now <= count || start.elapsed() > Duration::from_secs(20) {
            return now;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn sockets_whose_page_left_are_freed() {
    let site = Fixture::new("basic");
    let server = Server::start(&site.root, &[]);
    let warm_up = tungstenite::connect(socket_url(&server)).expect("connects");
    drop(warm_up);
    std::thread::sleep(Duration::from_millis(200));
    let start = server.open_descriptors();

    for _ in 0..2000 {
        let (socket, response) = tungstenite::connect(socket_url(&server)).expect("connects");
        assert_eq!(response.status(), 101);
        drop(socket);
    }
    let after = settle_to(&server, start);
    assert_eq!(
        after, start,
        "open descriptors went from {start} to {after} after 2,000 sockets opened and closed"
    );
}

#[test]
fn requests_for_other_hosts_are_refused() {
    let site = Fixture::new("basic");
    let server = Server::start(&site.root, &[]);
    let port = server.port().to_owned();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let status = server.status_for_host(&host);
        assert!(status.contains(" 200 "), "{host}: {status}");
    }
    for host in [format!("rebind.example:{port}"), "evil.example".to_owned()] {
        let status = server.status_for_host(&host);
        assert!(status.contains(" 403 "), "{host}: {status}");
    }
}

#[test]
fn sockets_from_other_sites_pages_are_refused() {
    let site = Fixture::new("basic");
    let server = Server::start(&site.root, &[]);
    let with_origin = |origin: &str| {
        let mut request = socket_url(&server).into_client_request().expect("request");
        request
            .headers_mut()
            .insert("Origin", origin.parse().expect("header"));
        tungstenite::connect(request)
    };
    match with_origin("http://127.0.0.1:9") {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 403),
        Err(other) => panic!("refused, but not with 403: {other}"),
        Ok(_) => panic!("a page of another origin followed the preview"),
    }
    let own = format!("http://{}", server.address);
    let (_socket, response) = with_origin(&own).expect("the preview's own pages connect");
    assert_eq!(response.status(), 101);
}

#[test]
fn binding_beyond_loopback_is_warned_about() {
    let site = Fixture::new("basic");
    let local = Server::start(&site.root, &[]);
    assert!(!local.stop().contains("warning: serving on"));
    let open = Server::start(&site.root, &["--bind", "0.0.0.0"]);
    let stderr = open.stop();
    assert!(
        stderr.contains("warning: serving on 0.0.0.0, so other machines can reach the preview"),
        "{stderr}"
    );
}

#[test]
fn endless_template_recursion_leaves_serve_with_the_last_good_site() {
    let site = Fixture::new("basic");
    let mut server = Server::start(&site.root, &[]);
    let own = server.address.clone();
    site.write("templates/page.html", "<p>{% include \"page.html\" %}</p>");
    server.wait_for("the build failed; still serving the last good site");
    assert!(
        server.child.try_wait().expect("status").is_none(),
        "the server is alive"
    );
    let status = server.status_for_host(&own);
    assert!(status.contains(" 200 "), "{status}");

    // A recursion under a condition that never stops it: found while rendering.
    site.write(
        "templates/macros.html",
        "{% macro up(n) %}{% if n > -1 %}{{ self::up(n=n + 1) }}{% endif %}{% endmacro %}",
    );
    server.wait_for("the build failed; still serving the last good site");
    site.write(
        "templates/page.html",
        "{% import \"macros.html\" as m %}<p>{{ m::up(n=0) }}</p>",
    );
    server.wait_for("the build failed; still serving the last good site");
    assert!(
        server.child.try_wait().expect("status").is_none(),
        "the server is alive"
    );
    let status = server.status_for_host(&own);
    assert!(status.contains(" 200 "), "{status}");
}

/// The `basic` fixture with a page that warns twice: code in a language with no highlighting,
/// and an image from another host (a warning, as `site.toml` asks).
fn site_with_two_warnings() -> Fixture {
    let site = Fixture::new("basic");
    let toml = std::fs::read_to_string(site.root.join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        &format!("external_resources = \"warning\"\n{toml}"),
    );
    site.write(
        "content/guide/extra.md",
        "+++\ntitle = \"Extra\"\n+++\n```klingon\nqapla'\n```\n\n![far](https://example.com/far.png)\n",
    );
    site
}

#[test]
fn serve_reports_the_warnings_build_reports() {
    let site = site_with_two_warnings();
    let Ok(summary) = site.build() else {
        panic!("the fixture builds");
    };
    let warnings: Vec<String> = summary.warnings.iter().map(|d| d.message.clone()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    let server = Server::start(&site.root, &[]);
    let own = format!("http://{}", server.address);
    let mut request = socket_url(&server).into_client_request().expect("request");
    request
        .headers_mut()
        .insert("Origin", own.parse().expect("header"));
    let (mut socket, _) = tungstenite::connect(request).expect("connects");
    let hello = socket.read().expect("a hello").into_text().expect("text");
    let printed = server.stop();
    for warning in &warnings {
        assert!(hello.contains(warning.as_str()), "{warning} in {hello}");
        assert!(printed.contains(warning.as_str()), "{warning} in {printed}");
    }
}

#[test]
fn strict_serve_fails_as_strict_build_does() {
    let site = site_with_two_warnings();
    let options = plumb::BuildOptions {
        strict: true,
        ..site.options()
    };
    let Err(failure) = plumb::build(&options) else {
        panic!("a strict build fails on warnings");
    };
    assert_eq!(failure.iter().count(), 2);
    let rendered: String = failure.iter().map(|d| d.render(false)).collect();
    let mut server = Server::start(&site.root, &["--strict"]);
    // The fixed page brings the site back: the failure was the warnings, nothing else.
    site.write(
        "content/guide/extra.md",
        "+++\ntitle = \"Extra\"\n+++\nNo warning.\n",
    );
    server.wait_for("rebuilt everything");
    let printed = server.stop();
    assert!(
        printed.starts_with(&rendered),
        "{rendered}\nis not the start of\n{printed}"
    );
}
