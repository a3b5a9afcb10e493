//! Exposure labels on hand-made journeys against the bundled registry.

use raa_impact::data::date::Date;
use raa_impact::data::exposure::{
    exposure, ExposureOptions, ExposureStatus, IndexEvent, Straddlers,
};
use raa_impact::data::journeys::Journey;
use raa_impact::data::registry::load::bundled;
use raa_impact::data::registry::{DatePrecision, MilestoneKind};
use raa_impact::Error;

mod journey_fixture;
use journey_fixture::{d, journey};

/// Kent (886) is in Adoption Partnership South East, go-live 2020-11-01 (day precision).
fn kent(child: &str, entry: Date, po: Option<Date>) -> Journey {
    Journey {
        po_date: po,
        ..journey("886", child, entry)
    }
}

#[test]
fn each_status_on_kent_journeys() {
    let reg = bundled().unwrap();
    let go = d(2020, 11, 1);
    let journeys = vec![
        kent("pre", d(2019, 1, 1), Some(d(2020, 10, 31))),
        kent("bed", d(2020, 11, 1), Some(go)),
        kent("bed_end", d(2020, 11, 1), Some(go + chrono::Days::new(182))),
        kent("post", d(2021, 1, 1), Some(go + chrono::Days::new(183))),
        kent("no_po", d(2021, 1, 1), None),
        journey("336", "wolves", d(2021, 1, 1)), // Adoption@Heart: no go-live found, no membership
        journey("999", "nowhere", d(2021, 1, 1)),
    ];
    let design = exposure(&journeys, &reg, &ExposureOptions::default()).unwrap();
    let got: Vec<(ExposureStatus, Option<bool>)> =
        design.rows.iter().map(|r| (r.status, r.exposed)).collect();
    use ExposureStatus::*;
    assert_eq!(
        got,
        vec![
            (Pre, Some(false)),
            (BedIn, None),
            (BedIn, None),
            (Post, Some(true)),
            (NoIndexEvent, None),
            (NoRaa, None),
            (UnknownLa, None),
        ]
    );
    let pre = &design.rows[0];
    assert_eq!(
        pre.raa_id.as_deref(),
        Some("adoption-partnership-south-east")
    );
    assert_eq!(pre.milestone_date, Some(go));
    assert_eq!(pre.milestone_precision, Some(DatePrecision::Day));
    assert_eq!(pre.days_from_start, Some(-1));
    assert_eq!(design.rows[3].days_from_start, Some(183));
    // rows keep journey order and keys
    let children: Vec<&str> = design.rows.iter().map(|r| r.child.as_str()).collect();
    assert_eq!(
        children,
        ["pre", "bed", "bed_end", "post", "no_po", "wolves", "nowhere"]
    );
    assert_eq!(design.milestone_used, MilestoneKind::GoLive);
    assert_eq!(design.options, ExposureOptions::default());
}

#[test]
fn anticipation_window_and_zero_bed_in() {
    let reg = bundled().unwrap();
    let opts = ExposureOptions {
        anticipation_days: 30,
        bed_in_days: 0,
        ..ExposureOptions::default()
    };
    let journeys = vec![
        kent("a", d(2019, 1, 1), Some(d(2020, 10, 2))), // 30 days before: anticipation
        kent("b", d(2019, 1, 1), Some(d(2020, 10, 1))), // 31 days before: pre
        kent("c", d(2019, 1, 1), Some(d(2020, 11, 1))), // on the day: post with no bed-in
    ];
    let design = exposure(&journeys, &reg, &opts).unwrap();
    let got: Vec<_> = design.rows.iter().map(|r| (r.status, r.exposed)).collect();
    assert_eq!(
        got,
        vec![
            (ExposureStatus::Anticipation, None),
            (ExposureStatus::Pre, Some(false)),
            (ExposureStatus::Post, Some(true)),
        ]
    );
}

#[test]
fn straddlers_are_labelled_or_excluded() {
    let reg = bundled().unwrap();
    let j = kent("s", d(2020, 6, 1), Some(d(2021, 6, 1)));
    let not = kent("n", d(2020, 12, 1), Some(d(2021, 6, 1)));
    let labelled = exposure(&[j.clone(), not.clone()], &reg, &ExposureOptions::default()).unwrap();
    assert!(labelled.rows[0].straddler && !labelled.rows[1].straddler);
    assert_eq!(labelled.rows[0].status, ExposureStatus::Post);
    assert_eq!(labelled.rows[0].exposed, Some(true));
    let opts = ExposureOptions {
        straddlers: Straddlers::Exclude,
        ..ExposureOptions::default()
    };
    let excluded = exposure(&[j, not], &reg, &opts).unwrap();
    assert_eq!(excluded.rows[0].status, ExposureStatus::Straddler);
    assert_eq!(excluded.rows[0].exposed, None);
    assert_eq!(excluded.rows[1].status, ExposureStatus::Post);
}

#[test]
fn index_event_option_changes_the_date_used() {
    let reg = bundled().unwrap();
    let j = Journey {
        adm_date: Some(d(2020, 3, 1)),
        ..kent("x", d(2019, 6, 1), Some(d(2021, 9, 1)))
    };
    let by = |index_event| {
        let opts = ExposureOptions {
            index_event,
            ..ExposureOptions::default()
        };
        exposure(std::slice::from_ref(&j), &reg, &opts)
            .unwrap()
            .rows[0]
            .clone()
    };
    assert_eq!(by(IndexEvent::PlacementOrder).status, ExposureStatus::Post);
    let adm = by(IndexEvent::Adm);
    assert_eq!(
        (adm.status, adm.index_date),
        (ExposureStatus::Pre, Some(d(2020, 3, 1)))
    );
    assert_eq!(by(IndexEvent::Entry).index_date, Some(d(2019, 6, 1)));
}

#[test]
fn missing_milestone_is_reported_not_replaced() {
    // Birmingham's RAA has an agreement milestone but no go-live
    let reg = bundled().unwrap();
    let j = Journey {
        po_date: Some(d(2023, 1, 1)),
        ..journey("330", "b", d(2022, 6, 1))
    };
    let design = exposure(std::slice::from_ref(&j), &reg, &ExposureOptions::default()).unwrap();
    assert_eq!(design.rows[0].status, ExposureStatus::NoMilestone);
    assert_eq!(design.rows[0].exposed, None);
    assert_eq!(
        design.raas_missing_milestone,
        vec!["birmingham-raa".to_string()]
    );
    let opts = ExposureOptions {
        milestone: MilestoneKind::Agreement,
        ..ExposureOptions::default()
    };
    let design = exposure(&[j], &reg, &opts).unwrap();
    assert_eq!(design.rows[0].status, ExposureStatus::Post);
    assert_eq!(design.milestone_used, MilestoneKind::Agreement);
}

#[test]
fn late_joiners_and_successor_las_use_their_own_start() {
    let reg = bundled().unwrap();
    // Cornwall joined Adopt South West (go-live 2018-10-01) on 2024-04-01
    let cornwall = Journey {
        po_date: Some(d(2023, 1, 1)),
        ..journey("908", "c", d(2022, 1, 1))
    };
    // BCP's area was in Aspire from 2017-07
    let bcp = Journey {
        po_date: Some(d(2019, 6, 1)),
        ..journey("839", "p", d(2019, 4, 1))
    };
    let design = exposure(&[cornwall, bcp], &reg, &ExposureOptions::default()).unwrap();
    assert_eq!(design.rows[0].milestone_date, Some(d(2018, 10, 1)));
    assert_eq!(design.rows[0].start_date, Some(d(2024, 4, 1)));
    assert_eq!(design.rows[0].status, ExposureStatus::Pre);
    assert_eq!(design.rows[1].start_date, Some(d(2017, 7, 1)));
    assert_eq!(design.rows[1].status, ExposureStatus::Post);
}

#[test]
fn negative_options_are_argument_errors() {
    let reg = bundled().unwrap();
    let opts = ExposureOptions {
        bed_in_days: -1,
        ..ExposureOptions::default()
    };
    assert!(matches!(
        exposure(&[], &reg, &opts),
        Err(Error::Argument { name, .. }) if name == "bed_in_days"
    ));
}

#[test]
fn imprecise_milestones_are_read_conservatively() {
    // One Adoption West Yorkshire's go-live is known only as "2017" (stored 2017-01-01, year precision)
    let reg = bundled().unwrap();
    let leeds = |child: &str, po: Date| Journey {
        po_date: Some(po),
        ..journey("383", child, d(2016, 1, 1))
    };
    let journeys = [
        leeds("before", d(2016, 12, 31)),
        leeds("mid", d(2017, 7, 5)), // 185 days after 1 Jan 2017, but go-live may be as late as 31 Dec
        leeds("after", d(2018, 7, 2)), // 31 Dec 2017 + 183 days
    ];
    let design = exposure(&journeys, &reg, &ExposureOptions::default()).unwrap();
    let r = &design.rows;
    assert_eq!(r[0].milestone_precision, Some(DatePrecision::Year));
    assert_eq!(
        (r[0].start_date, r[0].start_latest),
        (Some(d(2017, 1, 1)), Some(d(2017, 12, 31)))
    );
    let got: Vec<_> = r.iter().map(|r| (r.status, r.exposed)).collect();
    assert_eq!(
        got,
        vec![
            (ExposureStatus::Pre, Some(false)),
            (ExposureStatus::BedIn, None),
            (ExposureStatus::Post, Some(true)),
        ]
    );
    // a day-precise go-live has one possible day
    let k = exposure(
        &[kent("k", d(2020, 1, 1), Some(d(2021, 1, 1)))],
        &reg,
        &ExposureOptions::default(),
    )
    .unwrap();
    assert_eq!(k.rows[0].start_latest, k.rows[0].start_date);
}

proptest::proptest! {
    /// Exposure agrees with the distance to go-live for any placement-order date and bed-in.
    #[test]
    fn exposed_matches_days_from_go_live(offset in -2000i64..2000, bed_in in 0i64..400) {
        let reg = bundled().unwrap();
        let go = d(2020, 11, 1);
        let po = go + chrono::TimeDelta::days(offset);
        let opts = ExposureOptions { bed_in_days: bed_in, ..ExposureOptions::default() };
        let row = &exposure(&[kent("p", d(2015, 1, 1), Some(po))], &reg, &opts).unwrap().rows[0];
        proptest::prop_assert_eq!(row.days_from_start, Some(offset));
        let expected = if offset < 0 { Some(false) } else if offset >= bed_in { Some(true) } else { None };
        proptest::prop_assert_eq!(row.exposed, expected);
    }
}
