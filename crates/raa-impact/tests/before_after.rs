//! Indicators before and after go-live, on hand-made journeys of Kent (Adoption Partnership
//! South East, go-live 2020-11-01 at day precision in the bundled registry).

mod journey_fixture;

use journey_fixture::{d, journey};
use raa_impact::data::before_after::{before_after, BeforeAfterOptions};
use raa_impact::data::date::Date;
use raa_impact::data::journeys::Journey;
use raa_impact::data::registry::load::bundled;
use raa_impact::data::scorecard::Indicator;

fn adopted(child: &str, entry: Date, placed: Date, order: Date) -> Journey {
    Journey {
        placed_date: Some(placed),
        order_date: Some(order),
        ..journey("886", child, entry)
    }
}

#[test]
fn windows_split_children_by_adoption_date() {
    let js = vec![
        // Before: adopted 2019-05-01, in [2017-11-01, 2020-10-31]; entry→placed 400 days.
        adopted("B", d(2017, 6, 1), d(2018, 7, 6), d(2019, 5, 1)),
        // In the bed-in (2020-11-01 + 183 days = 2021-05-03): counted nowhere.
        adopted("I", d(2019, 1, 1), d(2020, 1, 1), d(2021, 3, 1)),
        // After: adopted 2021-08-01, in [2021-05-03, 2024-05-02]; entry→placed 300 days.
        adopted("A", d(2020, 1, 1), d(2020, 10, 27), d(2021, 8, 1)),
        // Before the before-window: not counted.
        adopted("E", d(2014, 1, 1), d(2015, 1, 1), d(2016, 1, 1)),
        // Not adopted: not counted.
        journey("886", "N", d(2019, 1, 1)),
    ];
    let reg = bundled().unwrap();
    let rows = before_after(&js, &reg, &BeforeAfterOptions::new(Indicator::A1)).unwrap();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r.raa_name, "Adoption Partnership South East");
    assert_eq!(r.milestone_date, Some(d(2020, 11, 1)));
    assert_eq!((r.before, r.n_before), (Some(400.0), 1));
    assert_eq!((r.after, r.n_after), (Some(300.0), 1));
    assert_eq!(r.before_start, Some(d(2017, 11, 1)));
    // The after-window would end 2024-05-02; the data cut (2024-03-31) ends it.
    assert_eq!(r.after_end, Some(d(2024, 3, 31)));

    let no_bed_in = BeforeAfterOptions {
        bed_in_days: 0,
        ..BeforeAfterOptions::new(Indicator::A1)
    };
    let r = &before_after(&js, &reg, &no_bed_in).unwrap()[0];
    assert_eq!(
        r.n_after, 2,
        "the bed-in child counts after go-live without a bed-in"
    );
    assert_eq!(r.after, Some((300.0 + 365.0) / 2.0));
}

#[test]
fn bad_options_are_argument_errors() {
    let reg = bundled().unwrap();
    let zero = BeforeAfterOptions {
        years: 0,
        ..BeforeAfterOptions::new(Indicator::A2)
    };
    assert!(before_after(&[], &reg, &zero).is_err());
}
