//! Hostile input and faults: what crontriage does with each (issue 5).
