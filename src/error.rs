//! Errors and exit codes: one message style, one place that maps failures
//! to the documented exit status.
//!
//! Every message names what failed (path, key, value) and why; secrets in a
//! message are redacted before it is printed.

use std::fmt;

/// The exit statuses `--help` documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Done; no run fell in a `--fail-on` category.
    Ok = 0,
    /// `--fail-on` matched at least one run.
    FailOn = 1,
    /// Usage, config, input or output error.
    Error = 2,
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(c: ExitCode) -> Self {
        std::process::ExitCode::from(c as u8)
    }
}

/// A failure that ends the run with exit status 2.
#[derive(Debug)]
pub enum Error {
    /// A flag or argument value is wrong.
    Usage(String),
    /// The config file is missing, unreadable or invalid.
    Config(String),
    /// An input cannot be read.
    Input { path: String, reason: String },
    /// Writing the report failed (other than a closed pipe).
    Output(std::io::Error),
}

impl Error {
    pub fn input(path: impl Into<String>, reason: impl fmt::Display) -> Self {
        Error::Input {
            path: path.into(),
            reason: reason.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Error::Usage(m) => m.clone(),
            Error::Config(m) => format!("config: {m}"),
            Error::Input { path, reason } => format!("{path}: {reason}"),
            Error::Output(e) => format!("writing the report: {e}"),
        };
        f.write_str(&crate::redact::redact(&s))
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_documented_values() {
        assert_eq!(ExitCode::Ok as u8, 0);
        assert_eq!(ExitCode::FailOn as u8, 1);
        assert_eq!(ExitCode::Error as u8, 2);
    }

    #[test]
    fn messages_name_the_path_and_redact() {
        let e = Error::input(
            "https://hooks.slack.com/services/T000/B000/XXXXXXXX.log",
            "not found",
        );
        let s = e.to_string();
        assert!(s.contains("[REDACTED]") && s.ends_with("not found"), "{s}");
    }
}
