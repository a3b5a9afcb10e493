//! National series the generator follows, as piecewise-linear functions of the calendar date.
//!
//! The levels were tuned so that the generated England reproduces
//! `tests/data/national_adoption_calibration.csv` (adoptions per year, the 2015 peak, the Re B-S
//! fall in adoption decisions, the COVID dip, scorecard A1/A2, age at adoption, harder-to-place
//! waits); the `synthetic_calibration` tests check each figure against that file.
//!
//! Achieved at national scale (seed 0):
//!
//! | figure | published | generated |
//! |---|---|---|
//! | adoptions 2012 / 2013 / 2014 | 3450 / 4010 / 5050 | 3364 / 4048 / 4843 |
//! | adoptions 2015 (peak) / 2016 / 2017 | 5360 / 4690 / 4390 | 5495 / 4590 / 4440 |
//! | adoptions 2018 / 2019 / 2020 | 3820 / 3570 / 3440 | 3947 / 3579 / 3458 |
//! | adoptions 2021 (COVID) / 2022 / 2023 / 2024 | 2870 / 3000 / 2960 / 2980 | 2859 / 3001 / 2972 / 3024 |
//! | new ADM decisions Q2 2013-14 → Q3 2014-15 | 1830 → 910 | 1848 → 990 |
//! | A1 2015-18 (days entry → placed) | 486 | 470 |
//! | A2 2015-18 (days PO → match; ASGLB 2016/17) | 190 (DfE ~201) | 191 |
//! | mean age at adoption 2015 / 2016 | 3y3m / 3y5m | 3y3m / 3y4m |
//! | entry → placed 2014-15, harder to place / others | 629 / 423 | 621 / 424 |
//! | looked after at 31 March 2012 / 2018 / 2024 | 67050 / 75420 / 83630 | 67.5k / 73.7k / 82.4k |

/// Days since 1970-01-01 of a calendar date (knots are always valid dates).
pub(crate) fn day(y: i32, m: u32, d: u32) -> i32 {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .map(|x| crate::data::date::epoch_days(x) as i32)
        .unwrap_or(0)
}

/// Linear interpolation between knots `(day, value)`, flat outside them.
fn interp(knots: &[(i32, f64)], t: i32) -> f64 {
    let Some(first) = knots.first() else {
        return 0.0;
    };
    if t <= first.0 {
        return first.1;
    }
    for w in knots.windows(2) {
        let ((t0, v0), (t1, v1)) = (w[0], w[1]);
        if t <= t1 {
            return v0 + (v1 - v0) * f64::from(t - t0) / f64::from((t1 - t0).max(1));
        }
    }
    knots.last().map(|k| k.1).unwrap_or(0.0)
}

/// First day simulated (children entering earlier are not generated).
pub(crate) fn warm_up_start() -> i32 {
    day(1998, 4, 1)
}

/// First ADM decision simulated.
pub(crate) fn adm_start() -> i32 {
    day(2006, 4, 1)
}

/// National entries to care per year of children who never get an adoption decision.
pub(crate) fn care_entries_per_year(t: i32) -> f64 {
    let knots = [
        (day(1998, 4, 1), 22_000.0),
        (day(2008, 4, 1), 22_500.0),
        (day(2011, 4, 1), 22_500.0),
        (day(2014, 4, 1), 23_500.0),
        (day(2017, 4, 1), 26_500.0),
        (day(2020, 3, 1), 27_500.0),
        (day(2020, 6, 1), 24_500.0),
        (day(2021, 4, 1), 27_000.0),
        (day(2024, 4, 1), 29_000.0),
    ];
    interp(&knots, t)
}

/// National ADM decisions (should be placed for adoption) per quarter: rising to the 2013 peak,
/// roughly halved after Re B / Re B-S (autumn 2013) by late 2014, then a plateau with a COVID dip.
pub(crate) fn adm_per_quarter(t: i32) -> f64 {
    let knots = [
        (day(2006, 4, 1), 1_000.0),
        (day(2010, 4, 1), 1_000.0),
        (day(2011, 7, 1), 1_300.0),
        (day(2012, 7, 1), 1_450.0),
        (day(2013, 4, 1), 1_550.0),
        (day(2013, 7, 1), 1_800.0),
        (day(2013, 9, 30), 1_800.0),
        (day(2014, 4, 1), 1_100.0),
        (day(2014, 11, 15), 900.0),
        (day(2015, 4, 1), 1_250.0),
        (day(2015, 10, 1), 1_320.0),
        (day(2016, 6, 1), 1_150.0),
        (day(2017, 6, 1), 1_000.0),
        (day(2019, 12, 1), 1_050.0),
        (day(2020, 4, 1), 800.0),
        (day(2020, 10, 1), 850.0),
        (day(2021, 7, 1), 780.0),
        (day(2022, 6, 1), 900.0),
        (day(2024, 4, 1), 870.0),
    ];
    interp(&knots, t)
}

/// Multiplier of the entry → ADM and ADM → placement order durations (local-authority and court
/// stages) by the date the stage starts: slow before the 2013–14 reforms, faster after, slower
/// under COVID court backlogs.
pub(crate) fn court_factor(t: i32) -> f64 {
    let knots = [
        (day(2008, 1, 1), 1.30),
        (day(2012, 1, 1), 1.25),
        (day(2014, 1, 1), 1.05),
        (day(2015, 6, 1), 0.95),
        (day(2019, 6, 1), 0.92),
        (day(2020, 3, 1), 1.0),
        (day(2020, 9, 1), 1.30),
        (day(2022, 1, 1), 1.10),
        (day(2024, 4, 1), 1.10),
    ];
    interp(&knots, t)
}

/// Multiplier of placement order → placed (family finding) by the placement order date: long waits
/// for the 2012–14 cohorts (the adopter shortage), shorter once decisions fell, COVID slower.
pub(crate) fn matching_factor(t: i32) -> f64 {
    let knots = [
        (day(2008, 1, 1), 1.30),
        (day(2012, 1, 1), 1.35),
        (day(2014, 1, 1), 1.20),
        (day(2015, 6, 1), 0.95),
        (day(2019, 6, 1), 0.90),
        (day(2020, 3, 1), 1.15),
        (day(2021, 6, 1), 1.10),
        (day(2024, 4, 1), 1.05),
    ];
    interp(&knots, t)
}

/// Multiplier of placed → adoption order (the court stage after placement), by placement date:
/// the COVID court backlog lengthened it.
pub(crate) fn order_factor(t: i32) -> f64 {
    let knots = [
        (day(2008, 1, 1), 1.0),
        (day(2019, 9, 1), 1.0),
        (day(2020, 3, 1), 1.35),
        (day(2021, 3, 1), 1.15),
        (day(2022, 3, 1), 1.0),
    ];
    interp(&knots, t)
}

/// Mean (days) of the long stays of children not on the adoption pathway, by entry date: stays
/// lengthened over the 2010s, which is most of why the number looked after rose.
pub(crate) fn long_stay_mean(t: i32) -> f64 {
    let knots = [
        (day(2005, 1, 1), 3_000.0),
        (day(2012, 1, 1), 3_100.0),
        (day(2020, 1, 1), 4_800.0),
    ];
    interp(&knots, t)
}

/// Mean base durations (days, before the factors and the harder-to-place multiplier).
pub(crate) const MEAN_ENTRY_TO_ADM: f64 = 155.0;
pub(crate) const MEAN_ADM_TO_PO: f64 = 100.0;
/// Placement order → placed has a floor of [`MIN_PO_TO_PLACED`] days plus a gamma part of this mean.
pub(crate) const MEAN_PO_TO_PLACED_EXTRA: f64 = 165.0;
pub(crate) const MIN_PO_TO_PLACED: f64 = 40.0;
pub(crate) const MEAN_PLACED_TO_ORDER: f64 = 230.0;
/// Harder-to-place children wait 1.5× as long as the others (DfE: 629 vs 423 days in 2014–15).
pub(crate) const HTP_MULTIPLIER: f64 = 1.2;
pub(crate) const NON_HTP_MULTIPLIER: f64 = 0.8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_is_flat_outside_and_linear_inside() {
        let k = [(0, 1.0), (10, 3.0)];
        assert_eq!(interp(&k, -5), 1.0);
        assert_eq!(interp(&k, 5), 2.0);
        assert_eq!(interp(&k, 50), 3.0);
        assert_eq!(interp(&[], 5), 0.0);
    }

    #[test]
    fn adm_decisions_halve_after_re_b_s() {
        let q2_2013 = adm_per_quarter(day(2013, 8, 15));
        let q3_2014 = adm_per_quarter(day(2014, 11, 15));
        let r = q3_2014 / q2_2013;
        assert!((0.4..0.6).contains(&r), "{r}");
    }
}
