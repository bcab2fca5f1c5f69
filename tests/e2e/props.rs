//! Property tests: totality, order independence, redaction idempotence.
