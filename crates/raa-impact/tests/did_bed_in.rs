//! Bed-in: the effect is measured from go-live + bed-in, the bed-in cells are left out, the base
//! period stays the last one before go-live and units in their bed-in are never comparisons.

mod did_support;

use did_support::simulate;
use raa_impact::did::{
    aggregate, att_gt, pretest, Aggregation, AttGt, AttGtOptions, ControlGroup, PanelInput,
};

fn fit(s: &did_support::Sim, opts: &AttGtOptions) -> AttGt {
    let input = PanelInput {
        unit: &s.unit,
        time: &s.time,
        group: &s.group,
        y: &s.y,
        covariates: &[],
        cluster: None,
        weights: None,
    };
    att_gt(&input, opts).unwrap()
}

/// A dip of +2 during the first `bed_in` periods after go-live, then an effect of −1.
fn with_dip(seed: u64, bed_in: i64) -> did_support::Sim {
    let mut s = simulate(seed, 600, 10, &[0, 4, 6, 8], 0.0, 1, 0.0, 0.0);
    for k in 0..s.y.len() {
        let (g, t) = (s.group[k], s.time[k]);
        if g > 0 && t >= g {
            s.y[k] += if t < g + bed_in { 2.0 } else { -1.0 };
        }
    }
    s
}

#[test]
fn bed_in_leaves_out_its_cells_and_keeps_every_other_cell() {
    let s = with_dip(1, 2);
    for control_group in [ControlGroup::NeverTreated, ControlGroup::NotYetTreated] {
        let base = AttGtOptions {
            control_group,
            ..AttGtOptions::default()
        };
        let plain = fit(&s, &base);
        let bed = fit(&s, &AttGtOptions { bed_in: 2, ..base });
        // no cell in the bed-in; every other cell identical (same base period, same comparisons)
        assert!(bed
            .cells
            .iter()
            .all(|c| !(c.group <= c.time && c.time < c.group + 2)));
        for c in &bed.cells {
            let p = plain
                .cells
                .iter()
                .find(|p| (p.group, p.time) == (c.group, c.time))
                .unwrap();
            assert_eq!((c.att, c.se, c.base_time), (p.att, p.se, p.base_time));
        }
        assert_eq!(plain.cells.len() - bed.cells.len(), 2 * 3);
        assert_eq!(pretest(&bed).unwrap().w, pretest(&plain).unwrap().w);
    }
}

#[test]
fn bed_in_recovers_the_effect_after_a_dip_that_biases_the_plain_estimate() {
    let (mut plain, mut bed) = (0.0, 0.0);
    let reps = 40;
    for seed in 0..reps {
        let s = with_dip(100 + seed, 2);
        let simple = |o: &AttGtOptions| {
            aggregate(&fit(&s, o), &Aggregation::Simple, None)
                .unwrap()
                .overall_att
        };
        plain += simple(&AttGtOptions::default());
        bed += simple(&AttGtOptions {
            bed_in: 2,
            ..AttGtOptions::default()
        });
    }
    let (plain, bed) = (plain / reps as f64, bed / reps as f64);
    assert!((bed + 1.0).abs() < 0.02, "bed-in estimate {bed}");
    assert!(
        plain > -0.5,
        "without the bed-in the dip is averaged in: {plain}"
    );
}

#[test]
fn a_bed_in_past_the_panel_leaves_the_cohort_without_post_cells() {
    let s = with_dip(3, 2);
    let bed = fit(
        &s,
        &AttGtOptions {
            bed_in: 3,
            ..AttGtOptions::default()
        },
    );
    // cohort 8 goes live in period 8 of 10: its effective date 11 is past the panel
    assert!(bed.cells.iter().filter(|c| c.group == 8).all(|c| !c.post));
    assert!(bed
        .cells
        .iter()
        .any(|c| c.group == 4 && c.time == 7 && c.post));
}
