//! Scorecard indicators on hand-made journeys (values computed by hand) and the published
//! Bexley, Kent & Medway figures (ORACLES.md, "Published RAA figures").

use raa_impact::data::date::Date;
use raa_impact::data::journeys::{Ending, Journey};
use raa_impact::data::registry::load::bundled;
use raa_impact::data::scorecard::{
    dfe_threshold, difference_to_threshold, mean_of_values, scorecard, Aggregation, GroupBy,
    Indicator, ScorecardOptions,
};

mod journey_fixture;
use journey_fixture::{d, journey};

/// An adopted child: entry, placement order, match, placed, order dates.
fn adopted(la: &str, child: &str, dates: [Date; 5]) -> Journey {
    let [entry, po, matched, placed, order] = dates;
    Journey {
        po_date: Some(po),
        match_date: Some(matched),
        placed_date: Some(placed),
        order_date: Some(order),
        exit_date: Some(order),
        exit_reason: Some("E11".into()),
        ending: Ending::Adopted,
        ..journey(la, child, entry)
    }
}

fn end_2018() -> Date {
    d(2018, 3, 31)
}

/// Kent (886): two children; Medway (887): one; one Kent child adopted outside the window.
fn sample() -> Vec<Journey> {
    vec![
        // entry->placed 2016-01-01..2016-11-01 = 305 days; PO->match 2016-06-01..2016-09-01 = 92
        adopted(
            "886",
            "k1",
            [
                d(2016, 1, 1),
                d(2016, 6, 1),
                d(2016, 9, 1),
                d(2016, 11, 1),
                d(2017, 6, 1),
            ],
        ),
        // entry->placed 2015-05-01..2016-09-01 = 489 days; match before PO -> 0
        adopted(
            "886",
            "k2",
            [
                d(2015, 5, 1),
                d(2016, 2, 1),
                d(2016, 1, 15),
                d(2016, 9, 1),
                d(2017, 1, 10),
            ],
        ),
        // entry->placed 2016-03-01..2017-03-01 = 365 days; PO->match 2016-10-01..2016-11-01 = 31
        adopted(
            "887",
            "m1",
            [
                d(2016, 3, 1),
                d(2016, 10, 1),
                d(2016, 11, 1),
                d(2017, 3, 1),
                d(2017, 9, 1),
            ],
        ),
        // adopted 2018-04-01: outside the window ending 2018-03-31
        adopted(
            "886",
            "late",
            [
                d(2016, 1, 1),
                d(2016, 2, 1),
                d(2016, 3, 1),
                d(2016, 4, 1),
                d(2018, 4, 1),
            ],
        ),
        // not adopted: never counted
        Journey {
            po_date: Some(d(2016, 1, 1)),
            ..journey("886", "waiting", d(2015, 1, 1))
        },
    ]
}

fn opts(indicator: Indicator) -> ScorecardOptions<'static> {
    ScorecardOptions::new(indicator, end_2018())
}

#[test]
fn a1_per_child_and_by_la() {
    let js = sample();
    let england = scorecard(&js, &opts(Indicator::A1)).unwrap();
    assert_eq!(england.len(), 1);
    let row = &england[0];
    assert_eq!(row.group, "England");
    assert_eq!(row.value, Some((305.0 + 489.0 + 365.0) / 3.0));
    assert_eq!((row.n_children, row.n_las), (3, 2));
    assert_eq!(
        (row.window_start, row.window_end),
        (d(2015, 4, 1), end_2018())
    );
    assert_eq!(row.threshold, Some(426.0));
    assert_eq!(
        row.difference_to_threshold,
        Some(row.value.unwrap() - 426.0)
    );
    assert_eq!(row.count, None);

    let by_la = scorecard(
        &js,
        &ScorecardOptions {
            by: GroupBy::La,
            ..opts(Indicator::A1)
        },
    )
    .unwrap();
    let got: Vec<(&str, Option<f64>, usize)> = by_la
        .iter()
        .map(|r| (r.group.as_str(), r.value, r.n_children))
        .collect();
    assert_eq!(got, vec![("886", Some(397.0), 2), ("887", Some(365.0), 1)]);
}

#[test]
fn mean_of_las_differs_from_per_child() {
    let js = sample();
    let o = ScorecardOptions {
        aggregation: Aggregation::MeanOfLas,
        ..opts(Indicator::A1)
    };
    let row = &scorecard(&js, &o).unwrap()[0];
    assert_eq!(row.value, Some((397.0 + 365.0) / 2.0));
    assert_eq!(row.aggregation, Aggregation::MeanOfLas);
    assert_eq!(row.aggregation.label(), "mean_of_las");
}

#[test]
fn a2_counts_zero_when_matched_before_the_order() {
    let row = &scorecard(&sample(), &opts(Indicator::A2)).unwrap()[0];
    assert_eq!(row.value, Some((92.0 + 0.0 + 31.0) / 3.0));
    assert_eq!(row.threshold, Some(121.0));
    // a child with no placement order is excluded
    let mut js = sample();
    js[0].po_date = None;
    let row = &scorecard(&js, &opts(Indicator::A2)).unwrap()[0];
    assert_eq!((row.value, row.n_children), (Some(31.0 / 2.0), 2));
}

#[test]
fn a3_share_and_number_under_14_months() {
    let mut js = sample();
    // exactly 14 calendar months: not under 14 months
    js.push(adopted(
        "887",
        "m2",
        [
            d(2015, 12, 31),
            d(2016, 3, 1),
            d(2016, 4, 1),
            d(2017, 2, 28),
            d(2017, 6, 1),
        ],
    ));
    js.push(adopted(
        "887",
        "m3",
        [
            d(2015, 12, 31),
            d(2016, 3, 1),
            d(2016, 4, 1),
            d(2017, 2, 27),
            d(2017, 6, 1),
        ],
    ));
    let row = &scorecard(&js, &opts(Indicator::A3)).unwrap()[0];
    // k1 305 days yes, k2 489 no, m1 365 yes, m2 (= 14 months) no, m3 yes
    assert_eq!(row.count, Some(3));
    assert_eq!(row.value, Some(3.0 / 5.0));
    assert_eq!(row.n_children, 5);
    assert_eq!(row.threshold, None);
}

#[test]
fn a10_stops_the_clock_at_the_foster_carer_move_in() {
    let mut js = sample();
    js[1].adopted_by_foster_carer = true;
    js[1].foster_carer_move_in_date = Some(d(2015, 8, 1)); // 92 days after entry
    js[2].foster_carer_move_in_date = Some(d(2016, 4, 1)); // ignored: not adopted by its carers
    let row = &scorecard(&js, &opts(Indicator::A10)).unwrap()[0];
    assert_eq!(row.value, Some((305.0 + 92.0 + 365.0) / 3.0));
    let a1 = &scorecard(&js, &opts(Indicator::A1)).unwrap()[0];
    assert!(a1.value.unwrap() > row.value.unwrap());
}

#[test]
fn raa_grouping_uses_membership_on_the_adoption_date() {
    let reg = bundled().unwrap();
    // Kent joined Adoption Partnership South East on 2020-11-01
    let js = vec![
        adopted(
            "886",
            "before",
            [
                d(2019, 1, 1),
                d(2019, 6, 1),
                d(2019, 7, 1),
                d(2019, 9, 1),
                d(2020, 10, 31),
            ],
        ),
        adopted(
            "886",
            "after",
            [
                d(2019, 1, 1),
                d(2019, 6, 1),
                d(2019, 7, 1),
                d(2019, 8, 1),
                d(2020, 11, 1),
            ],
        ),
    ];
    let o = ScorecardOptions {
        by: GroupBy::Raa(&reg),
        ..ScorecardOptions::new(Indicator::A1, d(2021, 3, 31))
    };
    let rows = scorecard(&js, &o).unwrap();
    let got: Vec<(&str, Option<f64>)> = rows.iter().map(|r| (r.group.as_str(), r.value)).collect();
    assert_eq!(
        got,
        vec![
            ("adoption-partnership-south-east", Some(212.0)),
            ("no_raa", Some(243.0))
        ]
    );
}

#[test]
fn single_year_window_and_no_eligible_children() {
    let o = ScorecardOptions {
        years: 1,
        ..opts(Indicator::A1)
    };
    let rows = scorecard(&sample(), &o).unwrap();
    // only k1 (2017-06-01) and m1 (2017-09-01) adopted in 2017-04-01..2018-03-31
    assert_eq!(rows[0].window_start, d(2017, 4, 1));
    assert_eq!(rows[0].value, Some((305.0 + 365.0) / 2.0));
    let none = scorecard(&[], &o).unwrap();
    assert!(none.is_empty());
    let mut js = sample();
    js.iter_mut().for_each(|j| j.placed_date = None);
    let row = &scorecard(&js, &opts(Indicator::A1)).unwrap()[0];
    assert_eq!((row.value, row.n_children), (None, 0));
    assert!(scorecard(
        &js,
        &ScorecardOptions {
            years: 0,
            ..opts(Indicator::A1)
        }
    )
    .is_err());
}

#[test]
fn dated_thresholds() {
    assert_eq!(dfe_threshold(Indicator::A1, d(2012, 3, 31)), Some(639.0));
    assert_eq!(dfe_threshold(Indicator::A2, d(2012, 3, 31)), Some(213.0));
    assert_eq!(dfe_threshold(Indicator::A1, d(2014, 3, 31)), Some(547.0));
    assert_eq!(dfe_threshold(Indicator::A2, d(2015, 3, 31)), Some(152.0));
    assert_eq!(dfe_threshold(Indicator::A1, d(2016, 3, 31)), Some(426.0));
    assert_eq!(dfe_threshold(Indicator::A2, d(2016, 3, 31)), Some(121.0));
    assert_eq!(dfe_threshold(Indicator::A1, d(2013, 3, 31)), None);
    assert_eq!(dfe_threshold(Indicator::A10, d(2016, 3, 31)), None);
}

/// Bexley, Kent & Medway RAA business case (Dec 2019), 2018-19 single-year figures.
#[test]
fn bexley_kent_medway_published_figures() {
    let a1 = [("Bexley", 340.0), ("Kent", 363.0), ("Medway", 569.0)];
    let a2 = [("Bexley", 74.0), ("Kent", 120.0), ("Medway", 217.0)];
    let (t1, t2) = (425.0, 121.0); // the business case's targets
    let la_diffs: Vec<i64> = a1
        .iter()
        .map(|(_, v)| difference_to_threshold(*v, t1) as i64)
        .collect();
    assert_eq!(la_diffs, [-85, -62, 144]);
    let la_diffs: Vec<i64> = a2
        .iter()
        .map(|(_, v)| difference_to_threshold(*v, t2) as i64)
        .collect();
    assert_eq!(la_diffs, [-47, -1, 96]);
    let r1 = mean_of_values(&a1.map(|(_, v)| v)).unwrap();
    let r2 = mean_of_values(&a2.map(|(_, v)| v)).unwrap();
    assert_eq!(r1, 424.0);
    // (74 + 120 + 217) / 3 = 411 / 3 = 137 exactly (ORACLES.md's "137.33" does not follow from
    // the printed inputs; the printed 137 does)
    assert_eq!(r2, 137.0);
    assert_eq!(difference_to_threshold(r1, t1).round(), -1.0);
    assert_eq!(difference_to_threshold(r2, t2).round(), 16.0);
    assert_eq!(mean_of_values(&[]), None);
}

/// The same figures through `scorecard` itself: one child per LA with the published A1 value,
/// plus extra children in Kent so that the per-child mean differs from the mean of LAs.
#[test]
fn scorecard_mean_of_las_reproduces_the_regional_average() {
    let reg = bundled().unwrap();
    let entry = d(2017, 1, 1);
    let mut js = Vec::new();
    for (la, days, n) in [("303", 340u64, 1), ("886", 363, 3), ("887", 569, 2)] {
        for i in 0..n {
            let placed = entry + chrono::Days::new(days);
            js.push(adopted(
                la,
                &format!("{la}-{i}"),
                [entry, entry, entry, placed, d(2019, 1, 10)],
            ));
        }
    }
    // 2018-19: before the RAA (Nov 2020), so group England
    let o = ScorecardOptions {
        years: 1,
        aggregation: Aggregation::MeanOfLas,
        ..ScorecardOptions::new(Indicator::A1, d(2019, 3, 31))
    };
    let row = &scorecard(&js, &o).unwrap()[0];
    assert_eq!(row.value, Some(424.0));
    assert_eq!((row.n_las, row.n_children), (3, 6));
    assert_eq!(difference_to_threshold(row.value.unwrap(), 425.0), -1.0);
    let weighted = &scorecard(
        &js,
        &ScorecardOptions {
            aggregation: Aggregation::PerChild,
            ..o
        },
    )
    .unwrap()[0];
    assert_ne!(weighted.value, Some(424.0));
    // grouped by RAA after go-live, the three LAs form one group
    let later: Vec<Journey> = js
        .iter()
        .map(|j| Journey {
            order_date: Some(d(2021, 1, 10)),
            ..j.clone()
        })
        .collect();
    let o = ScorecardOptions {
        by: GroupBy::Raa(&reg),
        ..ScorecardOptions {
            period_end: d(2021, 3, 31),
            ..o
        }
    };
    let rows = scorecard(&later, &o).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].group, "adoption-partnership-south-east");
    assert_eq!(rows[0].value, Some(424.0));
}

#[test]
fn row_order_does_not_change_the_scorecard() {
    let js = sample();
    for indicator in [Indicator::A1, Indicator::A2, Indicator::A3, Indicator::A10] {
        for aggregation in [Aggregation::PerChild, Aggregation::MeanOfLas] {
            let o = ScorecardOptions {
                by: GroupBy::La,
                aggregation,
                ..opts(indicator)
            };
            let mut rev = js.clone();
            rev.reverse();
            assert_eq!(scorecard(&js, &o).unwrap(), scorecard(&rev, &o).unwrap());
        }
    }
}
