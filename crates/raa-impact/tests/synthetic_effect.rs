//! The injected RAA effect is exact: y1 - y0 equals the configured effect for exposed children,
//! the dip in bed-in, 0 otherwise; effect 0 leaves every child as in the world without RAAs.

use raa_impact::synthetic::{england, ChildTruth, SyntheticConfig, SyntheticEngland};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The world with RAAs (default effects) and the one without (all effects 0), same seed.
fn worlds() -> &'static (SyntheticEngland, SyntheticEngland) {
    static W: OnceLock<(SyntheticEngland, SyntheticEngland)> = OnceLock::new();
    W.get_or_init(|| (run(-14.0, -35.0, 10.0), run(0.0, 0.0, 0.0)))
}

fn run(effect: f64, effect_htp: f64, dip: f64) -> SyntheticEngland {
    let cfg = SyntheticConfig {
        seed: 3,
        scale: 0.1,
        first_year: 2015,
        last_year: 2024,
        effect_po_to_placed_days: effect,
        effect_htp_po_to_placed_days: effect_htp,
        bed_in_dip_days: dip,
        ..Default::default()
    };
    england(&cfg).expect("generates")
}

fn go_lives(e: &SyntheticEngland) -> HashMap<String, chrono::NaiveDate> {
    e.truth
        .las
        .iter()
        .filter_map(|l| Some((l.code.clone(), l.go_live?)))
        .collect()
}

#[test]
fn effect_is_exact_per_child() {
    let e = &worlds().0;
    let gl = go_lives(e);
    let (mut exposed, mut bed_in, mut before) = (0, 0, 0);
    for c in e.truth.children.iter().filter(|c| c.po_date.is_some()) {
        let (po, g) = (c.po_date.expect("po"), gl[&c.la]);
        let (y0, y1) = (
            c.y0_po_to_placed.expect("y0"),
            c.y1_po_to_placed.expect("y1"),
        );
        assert_eq!((y1 - y0) as f64, c.effect_days);
        if po >= g + chrono::Days::new(183) {
            assert!(c.exposed && !c.bed_in);
            assert_eq!(c.effect_days, if c.harder_to_place { -35.0 } else { -14.0 });
            exposed += 1;
        } else if po >= g {
            assert!(c.bed_in && !c.exposed);
            assert_eq!(c.effect_days, 10.0);
            bed_in += 1;
        } else {
            assert!(!c.exposed && !c.bed_in);
            assert_eq!(c.effect_days, 0.0);
            before += 1;
        }
        if let Some(p) = c.placed {
            assert_eq!(
                (p - po).num_days(),
                y1,
                "the generated placement follows y1"
            );
        }
    }
    assert!(
        exposed > 300 && bed_in > 30 && before > 300,
        "{exposed} {bed_in} {before}"
    );
}

fn key(c: &ChildTruth) -> (String, chrono::NaiveDate, chrono::NaiveDate) {
    (c.la.clone(), c.adm, c.dob)
}

#[test]
fn effect_zero_is_the_world_without_raas() {
    let (with, without) = (&worlds().0, &worlds().1);
    assert!(without
        .truth
        .children
        .iter()
        .all(|c| c.effect_days == 0.0 && c.y0_po_to_placed == c.y1_po_to_placed));
    let base: HashMap<_, &ChildTruth> =
        without.truth.children.iter().map(|c| (key(c), c)).collect();
    let gl = go_lives(with);
    let mut compared = 0;
    for c in &with.truth.children {
        let b = base
            .get(&key(c))
            .expect("the same children exist in both worlds");
        // The counterfactual is the same draw in both worlds.
        assert_eq!(c.y0_po_to_placed, b.y0_po_to_placed);
        let untouched = !matches!(c.po_date, Some(po) if po >= gl[&c.la]);
        if untouched {
            let mut b = (*b).clone();
            b.child = c.child.clone(); // ids follow the order of entry, which does not change
            assert_eq!(
                c, &b,
                "children with a placement order before go-live are unchanged"
            );
            compared += 1;
        }
    }
    assert!(compared > 1000);
}

#[test]
fn exposed_children_are_placed_faster_than_in_the_world_without_raas() {
    let (with, without) = (&worlds().0, &worlds().1);
    let exposed: std::collections::HashSet<_> = with
        .truth
        .children
        .iter()
        .filter(|c| c.exposed)
        .map(key)
        .collect();
    let total = |e: &SyntheticEngland| -> f64 {
        e.truth
            .children
            .iter()
            .filter(|c| exposed.contains(&key(c)))
            .filter_map(|c| c.y1_po_to_placed)
            .map(|d| d as f64)
            .sum()
    };
    let diff = (total(with) - total(without)) / exposed.len() as f64;
    assert!(
        (-35.0..=-14.0).contains(&diff),
        "mean effect on the exposed {diff}"
    );
    assert!(
        diff < -20.0,
        "harder-to-place children are a large share: {diff}"
    );
}
