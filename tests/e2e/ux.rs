//! The operator-facing surface: completions, man page, colour, HTML, sources, explain.
