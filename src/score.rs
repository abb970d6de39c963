//! The scoring model.
//!
//! - A control is `pass`, `fail` or `na`; `na` controls are left out.
//! - Category score = weighted share of applicable controls that pass × 10 (one decimal);
//!   a category with no applicable control is `None` (N/A), not zero.
//! - Overall score = weighted mean of the non-N/A category scores (one decimal).
//! - Maturity level from the overall score: 1 Initial (< 2.5), 2 Managed (< 4.5),
//!   3 Defined (< 6.5), 4 Measured (< 8.5), 5 Optimizing.

use crate::rules::Status;
use schemars::JsonSchema;
use serde::Serialize;

/// Rounds to one decimal, the precision every score is shown with.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Score of one category from `(status, weight)` of its controls.
pub fn category_score(controls: impl IntoIterator<Item = (Status, f64)>) -> Option<f64> {
    let (mut passed, mut applicable) = (0.0, 0.0);
    for (status, weight) in controls {
        match status {
            Status::Pass => {
                passed += weight;
                applicable += weight;
            }
            Status::Fail => applicable += weight,
            Status::Na => {}
        }
    }
    (applicable > 0.0).then(|| round1(10.0 * passed / applicable))
}

/// Weighted mean of `(score, category weight)`, N/A categories excluded.
/// With no applicable category at all the score is 0: nothing was shown to be in place.
pub fn overall_score(categories: impl IntoIterator<Item = (Option<f64>, f64)>) -> f64 {
    let (mut sum, mut weights) = (0.0, 0.0);
    for (score, weight) in categories {
        if let Some(s) = score {
            sum += s * weight;
            weights += weight;
        }
    }
    if weights > 0.0 {
        round1(sum / weights)
    } else {
        0.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Level {
    pub number: u8,
    pub name: &'static str,
}

pub const LEVELS: [(f64, Level); 5] = [
    (
        2.5,
        Level {
            number: 1,
            name: "Initial",
        },
    ),
    (
        4.5,
        Level {
            number: 2,
            name: "Managed",
        },
    ),
    (
        6.5,
        Level {
            number: 3,
            name: "Defined",
        },
    ),
    (
        8.5,
        Level {
            number: 4,
            name: "Measured",
        },
    ),
    (
        f64::INFINITY,
        Level {
            number: 5,
            name: "Optimizing",
        },
    ),
];

pub fn level(score: f64) -> Level {
    LEVELS
        .iter()
        .find(|(upper, _)| score < *upper)
        .map(|(_, l)| *l)
        .unwrap_or(LEVELS[4].1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn category_is_weighted_share_of_applicable_controls() {
        // 3 of 3+1 applicable weight passes; the N/A control does not count.
        assert_eq!(
            category_score([(Pass, 3.0), (Fail, 1.0), (Na, 10.0)]),
            Some(7.5)
        );
        assert_eq!(category_score([(Pass, 1.0), (Fail, 2.0)]), Some(3.3));
    }

    #[test]
    fn category_with_only_na_is_none_not_zero() {
        assert_eq!(category_score([(Na, 5.0), (Na, 1.0)]), None);
        assert_eq!(category_score([]), None);
        assert_eq!(category_score([(Fail, 5.0)]), Some(0.0));
    }

    #[test]
    fn overall_is_weighted_mean_without_na_categories() {
        assert_eq!(
            overall_score([(Some(10.0), 3.0), (Some(0.0), 1.0), (None, 100.0)]),
            7.5
        );
        assert_eq!(overall_score([(None, 1.0)]), 0.0);
    }

    #[test]
    fn levels_at_their_boundaries() {
        let cases = [
            (0.0, 1),
            (2.4, 1),
            (2.5, 2),
            (4.4, 2),
            (4.5, 3),
            (6.5, 4),
            (8.4, 4),
            (8.5, 5),
            (10.0, 5),
        ];
        for (score, want) in cases {
            assert_eq!(level(score).number, want, "{score}");
        }
    }
}
