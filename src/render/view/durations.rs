//! Comparing the durations people write in targets ("15 minutes", "4 business
//! hours", "2 working days"), so that a supplier's derived target can be the
//! strictest of the services it underpins. Text that is not a plain duration is not
//! compared (and so never chosen), rather than guessed at.

/// Minutes in a duration written as "<number> <unit>", if it is one. Business and
/// working hours and days count as their clock equivalents: only the order matters.
pub(crate) fn minutes(text: &str) -> Option<f64> {
    let mut words = text.split_whitespace();
    let number: f64 = words.next()?.replace(',', ".").parse().ok()?;
    let mut unit = words.next()?.to_lowercase();
    if matches!(unit.as_str(), "business" | "working" | "calendar") {
        unit = words.next()?.to_lowercase();
    }
    if words.next().is_some() {
        return None;
    }
    let per = match unit.trim_end_matches('s') {
        "minute" | "min" => 1.0,
        "hour" | "h" => 60.0,
        "day" => 24.0 * 60.0,
        "week" => 7.0 * 24.0 * 60.0,
        _ => return None,
    };
    Some(number * per)
}

/// The shortest of `candidates` (text, whose it is) that is a plain duration.
pub(crate) fn strictest<'a, T: Copy>(candidates: impl Iterator<Item = (&'a str, T)>) -> Option<(&'a str, T)> {
    candidates
        .filter_map(|(text, owner)| minutes(text).map(|m| (m, text, owner)))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, text, owner)| (text, owner))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_durations_compare_and_prose_does_not() {
        assert_eq!(minutes("15 minutes"), Some(15.0));
        assert_eq!(minutes("4 business hours"), Some(240.0));
        assert_eq!(minutes("1 working day"), Some(1440.0));
        assert_eq!(minutes("1 business day per restore request"), None);
        assert_eq!(minutes("next business day"), None);
        let best = strictest([("8 hours", 'a'), ("2 business days", 'b'), ("30 minutes", 'c')].into_iter());
        assert_eq!(best, Some(("30 minutes", 'c')));
    }
}
