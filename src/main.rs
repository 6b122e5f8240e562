//! The `plumb` command line: parse, call the library, print diagnostics, exit.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use plumb::build::count;
use plumb::{BuildOptions, Diagnostics};

/// mimalloc instead of glibc's allocator: a 100,000-page build spent a sixth of its time in
/// glibc's `malloc` searching free lists fragmented by many threads' page-sized strings.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Gives what every thread freed back to the system. The preview idles between rebuilds, and
/// mimalloc returns a thread's freed pages only when that thread allocates again: the pages of
/// a generation just replaced would stay resident (about 230 MB at 10,000 pages) until the next
/// rebuild. Returning them at once instead, on every free, made each full rebuild a third
/// slower: the same pages went back and forth between the allocator and the system.
#[allow(unsafe_code)]
fn return_freed_memory() {
    // SAFETY: `mi_collect` may be called from any thread at any time; it frees only what the
    // calling thread's heap holds unused, and purges the unused pages of mimalloc's arenas.
    let collect = || unsafe { libmimalloc_sys::mi_collect(true) };
    rayon::broadcast(|_| collect());
    collect();
}

/// A static site generator for educational guides with checklists.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Preview the site with live reload while you edit it.
    Serve(ServeArgs),
    /// Check the site as a build would, without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Start a new site: site.toml, a section with a page, an example checklist, the default theme.
    Init {
        /// The folder to create; it must be missing or empty.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print the JSON Schema of the checklist criteria format.
    Schema,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site [default: public/ under the root].
    #[arg(long, short)]
    output_dir: Option<PathBuf>,
    /// Print how long each step took.
    #[arg(long)]
    timings: bool,
    /// Write links as `.../index.html`, so a copy of the output works from the file system.
    #[arg(long)]
    portable: bool,
    /// Replace the output folder even if it holds files plumb did not write.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// The port to serve on; the next free one if it is taken.
    #[arg(long, short, default_value_t = 1111)]
    port: u16,
    /// The address to listen on. Other machines can reach the preview only if you bind
    /// to theirs (or 0.0.0.0).
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the site in your browser.
    #[arg(long)]
    open: bool,
}

#[derive(Args)]
struct SiteArgs {
    /// The site's folder, holding site.toml.
    #[arg(long, short, default_value = ".")]
    root: PathBuf,
    /// Override site.toml's base_url.
    #[arg(long)]
    base_url: Option<String>,
    /// Publish pages with `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Fail on warnings too.
    #[arg(long)]
    strict: bool,
}

impl SiteArgs {
    fn options(self, output_dir: Option<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: self.root,
            output_dir,
            base_url: self.base_url,
            drafts: self.drafts,
            strict: self.strict,
            ..BuildOptions::default()
        }
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build(args) => build(args),
        Command::Serve(args) => serve(args),
        Command::Check { site } => check(site),
        Command::Init { dir } => init(&dir),
        Command::Schema => {
            print!("{}", plumb::checklist::json_schema());
            ExitCode::SUCCESS
        }
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let options = BuildOptions {
        portable: args.portable,
        force: args.force,
        ..args.site.options(args.output_dir)
    };
    match plumb::build(&options) {
        Ok(summary) => {
            report(&summary.warnings);
            if args.timings {
                for (step, time) in &summary.timings.0 {
                    eprintln!("{step:>12} {:>8.1} ms", time.as_secs_f64() * 1000.0);
                }
            }
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics),
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    let options = plumb::serve::ServeOptions {
        build: args.site.options(None),
        bind: args.bind,
        port: args.port,
        open: args.open,
        return_memory: return_freed_memory,
    };
    match plumb::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(diagnostics) => fail(&diagnostics),
    }
}

fn check(site: SiteArgs) -> ExitCode {
    match plumb::build::check(&site.options(None)) {
        Ok(checked) => {
            report(&checked.warnings);
            println!(
                "Checked {} and {}: no errors",
                count(checked.pages, "page"),
                count(checked.sections, "section")
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics),
    }
}

fn init(dir: &Path) -> ExitCode {
    match plumb::init::init(dir) {
        Ok(()) => {
            println!(
                "Created a new site in {}: run `plumb build --root {}` to build it",
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostic) => fail(&diagnostic.into()),
    }
}

fn report(diagnostics: &Diagnostics) {
    plumb::diagnostic::print(diagnostics);
}

fn fail(diagnostics: &Diagnostics) -> ExitCode {
    report(diagnostics);
    eprintln!(
        "build failed: {}, {}",
        count(diagnostics.errors(), "error"),
        count(diagnostics.warnings(), "warning"),
    );
    ExitCode::FAILURE
}
