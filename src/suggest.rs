//! "Did you mean …?" for mistyped names (categories, zones, run ids, jobs).

/// Levenshtein distance, case-insensitive.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate, if it is close enough to be what was meant.
pub fn closest<'a, I: IntoIterator<Item = &'a str>>(input: &str, candidates: I) -> Option<&'a str> {
    let limit = (input.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (distance(input, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// `"; did you mean `x`?"` or nothing.
pub fn hint<'a, I: IntoIterator<Item = &'a str>>(input: &str, candidates: I) -> String {
    closest(input, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        let cats = ["execution-failed", "delivery-failed", "missed"];
        assert_eq!(closest("execution-faild", cats), Some("execution-failed"));
        assert_eq!(closest("mised", cats), Some("missed"));
        assert_eq!(closest("banana", cats), None);
        assert_eq!(
            closest("europe/berlin", ["Europe/Berlin"]),
            Some("Europe/Berlin")
        );
    }
}
