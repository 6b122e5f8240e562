//! plumb: a static site generator for educational guides, with checklists compiled from
//! declarative criteria files.
//!
//! The modules follow the pipeline: [`config`] and [`content`] load the site, [`checklist`] and
//! [`markdown`] compile what it says, [`theme`] and [`render`] apply templates, [`output`] writes
//! the result. [`build()`] runs them in that order.

pub mod build;
pub mod check;
pub mod checklist;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod finish;
pub mod init;
pub mod markdown;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod theme;
mod toml_input;
pub mod urls;

pub use build::{Built, Summary, build, compile};
pub use config::BuildOptions;
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
