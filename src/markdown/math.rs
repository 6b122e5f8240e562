//! `$...$` and `$$...$$` as MathML, written at build time with pulldown-latex: the page needs
//! no script and no web font to show it, and browsers read MathML aloud.
//!
//! The renderer writes a `style` attribute for a few presentational commands (colours, boxes,
//! negative space, row spacing); a strict Content-Security-Policy would block them anyway, so
//! they are left out, and the build never writes an inline style.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

/// `latex` as a `<math>` element, or what is wrong with it.
pub(super) fn to_mathml(latex: &str, display: bool) -> Result<String, String> {
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(latex, &storage).collect();
    if let Some(Err(error)) = events.iter().find(|e| e.is_err()) {
        // The error's first line says what is wrong; the rest draws the source again.
        let message = error.to_string();
        let first = message.lines().next().unwrap_or_default();
        return Err(first.trim_start_matches("parsing error: ").to_owned());
    }
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        ..RenderConfig::default()
    };
    let mut mathml = String::with_capacity(latex.len() * 8);
    push_mathml(&mut mathml, events.into_iter(), config).map_err(|e| e.to_string())?;
    Ok(without_style_attributes(&mathml))
}

/// Removes every ` style="..."` attribute of the renderer's own output.
fn without_style_attributes(mathml: &str) -> String {
    const STYLE: &str = " style=\"";
    let mut out = String::with_capacity(mathml.len());
    let mut rest = mathml;
    while let Some(start) = rest.find(STYLE) {
        out.push_str(&rest[..start]);
        let after = &rest[start + STYLE.len()..];
        rest = after.find('"').map_or("", |end| &after[end + 1..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latex_becomes_mathml_without_styles() {
        let inline = to_mathml(r"a^2 + b^2 = c^2", false).unwrap();
        assert!(inline.starts_with("<math"), "{inline}");
        assert!(inline.contains("<msup>"), "{inline}");
        let display = to_mathml(r"\frac{1}{2}\,\textcolor{red}{x}\!y", true).unwrap();
        assert!(display.contains("display=\"block\""), "{display}");
        assert!(display.contains("<mfrac>"), "{display}");
        assert!(!display.contains("style="), "{display}");
    }

    #[test]
    fn markup_in_math_stays_text() {
        let mathml = to_mathml(r#"\text{<img src=x onerror="a()">} & <b>"#, false)
            .unwrap_or_else(|problem| problem);
        assert!(
            !mathml.contains("<img") && !mathml.contains("<b>"),
            "{mathml}"
        );
    }

    #[test]
    fn bad_latex_is_an_error() {
        assert!(to_mathml(r"\frac{1}", false).is_err());
        assert!(to_mathml(r"\nosuchcommand", false).is_err());
    }
}
