//! LA/RAA-period panels on hand-made journeys (counts and means computed by hand).

use raa_impact::data::journeys::{Ending, Journey};
use raa_impact::data::panel::{la_panel, Freq, PanelOptions, PanelRow, PanelUnit};
use raa_impact::data::registry::load::bundled;

mod journey_fixture;
use journey_fixture::{d, journey};

/// Kent (886, go-live 2020-11-01) and Medway (887, same RAA); Cornwall (908, joins 2024).
fn sample() -> Vec<Journey> {
    vec![
        // Kent child 1: ADM Jan 2020, PO Feb 2020, match Apr 2020, placed May 2020, adopted Dec 2020
        Journey {
            adm_date: Some(d(2020, 1, 10)),
            po_date: Some(d(2020, 2, 1)),
            match_date: Some(d(2020, 4, 1)),
            placed_date: Some(d(2020, 5, 1)),
            order_date: Some(d(2020, 12, 1)),
            exit_date: Some(d(2020, 12, 1)),
            ending: Ending::Adopted,
            ..journey("886", "k1", d(2019, 6, 1))
        },
        // Kent child 2: PO Mar 2020, placed Aug 2020 (so waiting at the end of Q1 and Q2)
        Journey {
            po_date: Some(d(2020, 3, 15)),
            match_date: Some(d(2020, 7, 1)),
            placed_date: Some(d(2020, 8, 1)),
            ..journey("886", "k2", d(2019, 9, 1))
        },
        // Medway child: PO Jan 2019 (18 months old from 2020-07-15), decision reversed Oct 2020
        Journey {
            po_date: Some(d(2019, 1, 15)),
            reversal_date: Some(d(2020, 10, 5)),
            reversal_reason: Some("RD1".into()),
            ending: Ending::Reversed("RD1".into()),
            ..journey("887", "m1", d(2018, 6, 1))
        },
    ]
}

fn quarterly(unit: PanelUnit) -> PanelOptions {
    PanelOptions {
        freq: Freq::Quarter,
        unit,
        start: Some(d(2020, 1, 1)),
        end: Some(d(2020, 12, 31)),
        ..PanelOptions::default()
    }
}

fn row<'a>(rows: &'a [PanelRow], unit: &str, period: &str) -> &'a PanelRow {
    rows.iter()
        .find(|r| r.unit == unit && r.period == period)
        .unwrap_or_else(|| panic!("{unit} {period} missing"))
}

#[test]
fn la_quarter_counts_waiting_and_means() {
    let reg = bundled().unwrap();
    let rows = la_panel(&sample(), &reg, &quarterly(PanelUnit::La)).unwrap();
    // 2 LAs x 4 quarters, every combination present, sorted by unit then time
    assert_eq!(rows.len(), 8);
    let keys: Vec<String> = rows
        .iter()
        .map(|r| format!("{} {}", r.unit, r.period))
        .collect();
    assert_eq!(keys[0], "886 2020Q1");
    assert_eq!(keys[3], "886 2020Q4");
    assert_eq!(keys[4], "887 2020Q1");

    let q1 = row(&rows, "886", "2020Q1");
    assert_eq!(
        (
            q1.adm_decisions,
            q1.placement_orders,
            q1.matches,
            q1.placements
        ),
        (1, 2, 0, 0)
    );
    assert_eq!(q1.waiting_with_po, 2);
    assert_eq!((q1.mean_po_to_placed, q1.n_po_to_placed), (None, 0));
    assert_eq!(
        (q1.period_start, q1.period_end),
        (d(2020, 1, 1), d(2020, 3, 31))
    );

    let q2 = row(&rows, "886", "2020Q2");
    assert_eq!((q2.matches, q2.placements), (1, 1));
    // k1 placed 2020-05-01: 90 days after its PO, 335 days after entry; matched 60 days after PO
    assert_eq!((q2.mean_po_to_placed, q2.n_po_to_placed), (Some(90.0), 1));
    assert_eq!(
        (q2.mean_entry_to_placed, q2.n_entry_to_placed),
        (Some(335.0), 1)
    );
    assert_eq!((q2.mean_po_to_match, q2.n_po_to_match), (Some(60.0), 1));
    assert_eq!(q2.waiting_with_po, 1); // k2 still waiting on 30 June

    let q3 = row(&rows, "886", "2020Q3");
    // k2 placed 2020-08-01, 139 days after its 2020-03-15 PO; matched 108 days after it
    assert_eq!(
        (q3.mean_po_to_placed, q3.mean_po_to_match),
        (Some(139.0), Some(108.0))
    );
    assert_eq!(q3.waiting_with_po, 0);
    // Cohort means sit in the quarter of the order: k2's 2020-03-15 order is in 2020Q1
    assert_eq!(
        (q3.cohort_mean_po_to_placed, q3.cohort_n_po_to_placed),
        (None, 0)
    );
    assert_eq!(
        (q1.cohort_mean_po_to_placed, q1.cohort_n_po_to_placed),
        (Some((90.0 + 139.0) / 2.0), 2)
    );
    assert_eq!(q1.cohort_mean_po_to_match, Some((60.0 + 108.0) / 2.0));

    let q4 = row(&rows, "886", "2020Q4");
    assert_eq!(
        (q4.adoption_orders, q4.placements, q4.waiting_with_po),
        (1, 0, 0)
    );
    assert_eq!(q4.mean_po_to_placed, None);

    // Medway: waiting all year until the reversal in Q4; 18 months after its PO from July 2020
    let m: Vec<(usize, usize, usize)> = ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]
        .iter()
        .map(|p| {
            let r = row(&rows, "887", p);
            (r.waiting_with_po, r.waiting_18_months, r.reversals)
        })
        .collect();
    assert_eq!(m, vec![(1, 0, 0), (1, 0, 0), (1, 1, 0), (0, 0, 1)]);
}

#[test]
fn exposure_columns_relative_to_go_live() {
    let reg = bundled().unwrap();
    let rows = la_panel(&sample(), &reg, &quarterly(PanelUnit::La)).unwrap();
    let q3 = row(&rows, "886", "2020Q3");
    let q4 = row(&rows, "886", "2020Q4");
    assert_eq!(
        q4.raa_id.as_deref(),
        Some("adoption-partnership-south-east")
    );
    assert_eq!(q4.exposure_start, Some(d(2020, 11, 1)));
    assert_eq!(
        (q3.period_index, q3.post, q3.bed_in),
        (Some(-1), Some(false), Some(false))
    );
    assert_eq!(
        (q4.period_index, q4.post, q4.bed_in),
        (Some(0), Some(true), Some(true))
    );
}

#[test]
fn raa_units_pool_member_las_and_zero_periods_are_present() {
    let reg = bundled().unwrap();
    let mut js = sample();
    // an LA in no RAA
    js.push(Journey {
        po_date: Some(d(2020, 5, 1)),
        ..journey("336", "w1", d(2020, 1, 1))
    });
    let rows = la_panel(&js, &reg, &quarterly(PanelUnit::Raa)).unwrap();
    assert_eq!(rows.len(), 8);
    let units: Vec<&str> = rows.iter().map(|r| r.unit.as_str()).collect();
    let apse = "adoption-partnership-south-east";
    assert_eq!(
        units,
        [apse, apse, apse, apse, "no_raa", "no_raa", "no_raa", "no_raa"]
    );
    let q1 = row(&rows, "adoption-partnership-south-east", "2020Q1");
    assert_eq!((q1.placement_orders, q1.waiting_with_po), (2, 3));
    let none = row(&rows, "no_raa", "2020Q1");
    assert_eq!(
        (
            none.placement_orders,
            none.waiting_with_po,
            none.raa_id.clone()
        ),
        (0, 0, None)
    );
    assert_eq!((none.period_index, none.post), (None, None));
    assert_eq!(row(&rows, "no_raa", "2020Q4").waiting_with_po, 1);
}

#[test]
fn default_range_months_and_collection_years() {
    let reg = bundled().unwrap();
    let monthly = PanelOptions {
        freq: Freq::Month,
        ..PanelOptions::default()
    };
    let rows = la_panel(&sample(), &reg, &monthly).unwrap();
    // events run from 2019-01-15 (Medway PO) to 2020-12-01 (Kent order): 24 months x 2 LAs
    assert_eq!(rows.len(), 48);
    assert_eq!(rows[0].period, "2019-01");
    assert_eq!(rows[23].period, "2020-12");
    let empty = row(&rows, "886", "2019-05");
    assert_eq!(
        (
            empty.placement_orders,
            empty.mean_po_to_placed,
            empty.n_po_to_placed
        ),
        (0, None, 0)
    );
    let yearly = PanelOptions {
        freq: Freq::Year,
        ..PanelOptions::default()
    };
    let rows = la_panel(&sample(), &reg, &yearly).unwrap();
    // collection years 2019 (Apr 2018-Mar 2019) to 2021
    let periods: Vec<&str> = rows
        .iter()
        .filter(|r| r.unit == "886")
        .map(|r| r.period.as_str())
        .collect();
    assert_eq!(periods, ["2019", "2020", "2021"]);
    let y2020 = row(&rows, "886", "2020");
    assert_eq!(
        (y2020.period_start, y2020.period_end),
        (d(2019, 4, 1), d(2020, 3, 31))
    );
    assert_eq!((y2020.placement_orders, y2020.adm_decisions), (2, 1));
    assert_eq!(row(&rows, "886", "2021").placements, 2);
}

#[test]
fn no_nan_and_deterministic_order() {
    let reg = bundled().unwrap();
    let js = sample();
    let a = la_panel(&js, &reg, &quarterly(PanelUnit::La)).unwrap();
    let mut rev = js.clone();
    rev.reverse();
    let b = la_panel(&rev, &reg, &quarterly(PanelUnit::La)).unwrap();
    assert_eq!(a, b);
    for r in &a {
        for m in [
            r.mean_po_to_placed,
            r.mean_entry_to_placed,
            r.mean_po_to_match,
        ]
        .into_iter()
        .flatten()
        {
            assert!(m.is_finite());
        }
    }
    assert!(la_panel(&[], &reg, &PanelOptions::default())
        .unwrap()
        .is_empty());
    let bad = PanelOptions {
        start: Some(d(2021, 1, 1)),
        end: Some(d(2020, 1, 1)),
        ..PanelOptions::default()
    };
    assert!(la_panel(&js, &reg, &bad).is_err());
}
