//! Interrupted time series on synthetic England recovers the injected RAA effect.
//!
//! Seeded replications of synthetic England (a quarter of national size), each taken through the
//! whole pipeline: returns → validation → journeys → LA-quarter panel → every RAA's series of
//! mean PO → placed days by quarter of the placement order, beside a comparison series of LAs not
//! yet live (`data::controlled`) → a controlled ITS with a step after the bed-in. The truth of an
//! RAA is the realised mean `y1 − y0` of the children behind its post-bed-in cells (the nominal
//! effect mixed over harder-to-place and other children).
//!
//! The single-series ITS on the same RAA series is also fitted: it picks up the national shocks
//! around the go-lives (the post-2015 fall, COVID), which is why the comparison is needed.

use raa_impact::data::controlled::{controlled_series, ControlledOptions, ControlledSeries};
use raa_impact::data::journeys::{derive_journeys, JourneyOptions};
use raa_impact::data::panel::{la_panel, Freq, PanelOptions};
use raa_impact::data::ssda903::validate::validate;
use raa_impact::its::{fit, Impact, Interruption, ItsSpec, Series};
use raa_impact::synthetic::{england, registry::synthetic_registry, SyntheticConfig, Truth};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

const SEEDS: u64 = 24;

/// One RAA's fit in one replication.
struct Outcome {
    seed: u64,
    truth: f64,
    n: f64,
    controlled: (f64, f64, f64, f64),
    single: f64,
}

fn replication(seed: u64) -> Vec<Outcome> {
    let cfg = SyntheticConfig {
        seed,
        scale: 0.25,
        ..SyntheticConfig::default()
    };
    let e = england(&cfg).expect("generates");
    let registry = synthetic_registry().expect("registry");
    let set = derive_journeys(
        &e.returns,
        &validate(&e.returns),
        &JourneyOptions::default(),
    )
    .expect("journeys");
    let rows = la_panel(&set.journeys, &registry, &PanelOptions::default()).expect("panel");
    // Two years of follow-up after the last window period: order cohorts are nearly complete.
    let opts = ControlledOptions {
        last_period: Some("2022Q1".into()),
        ..ControlledOptions::default()
    };
    let panel = controlled_series(&rows, &opts).expect("series");
    assert!(
        panel.series.len() >= 15,
        "seed {seed}: only {} RAAs have series; skipped {:?}",
        panel.series.len(),
        panel.skipped
    );
    let cut = e
        .truth
        .children
        .iter()
        .filter_map(|c| c.placed)
        .max()
        .expect("someone placed");
    panel
        .series
        .iter()
        .map(|s| fit_one(seed, s, &e.truth, cut))
        .collect()
}

fn fit_one(seed: u64, s: &ControlledSeries, truth: &Truth, cut: chrono::NaiveDate) -> Outcome {
    let spec = ItsSpec {
        interruptions: vec![Interruption::at(s.go_live_t as f64)
            .with_bed_in(s.bed_in_periods)
            .with_impacts(vec![Impact::Step])],
        ..ItsSpec::default()
    };
    let col = |f: &dyn Fn(&raa_impact::data::controlled::ControlledRow) -> f64| -> Vec<f64> {
        s.rows.iter().map(f).collect()
    };
    let (t, y, n) = (col(&|r| r.t as f64), col(&|r| r.mean), col(&|r| r.n as f64));
    let g = col(&|r| f64::from(u8::from(r.treated)));
    let both = Series {
        weights: Some(&n),
        group: Some(&g),
        ..Series::new(&t, &y)
    };
    let c = fit(&both, &spec).expect("controlled fit");
    let step = c.coefficient("group:step").expect("group:step");
    let k = s.rows.iter().filter(|r| r.treated).count();
    let alone = Series {
        weights: Some(&n[..k]),
        ..Series::new(&t[..k], &y[..k])
    };
    let single = fit(&alone, &spec).expect("single fit");
    let post = s.go_live_t + s.bed_in_periods;
    let periods: HashSet<&str> = s.rows[..k]
        .iter()
        .filter(|r| r.t >= post)
        .map(|r| r.period.as_str())
        .collect();
    let (truth, n_post) = realised_effect(truth, &s.las, &periods, cut);
    Outcome {
        seed,
        truth,
        n: n_post,
        controlled: (step.estimate, step.se, step.ci_low, step.ci_high),
        single: single.coefficient("step").expect("step").estimate,
    }
}

/// Mean `y1 − y0` over the children behind the post cells: order in one of `periods`, placed by
/// the cut, in one of the LAs.
fn realised_effect(
    truth: &Truth,
    las: &[String],
    periods: &HashSet<&str>,
    cut: chrono::NaiveDate,
) -> (f64, f64) {
    let las: HashSet<&str> = las.iter().map(String::as_str).collect();
    let label = |d| {
        Freq::Quarter
            .period(Freq::Quarter.index(d))
            .expect("a quarter")
            .2
    };
    let (mut sum, mut n) = (0.0, 0.0);
    for c in &truth.children {
        let (Some(po), Some(placed)) = (c.po_date, c.placed) else {
            continue;
        };
        if placed <= cut && las.contains(c.la.as_str()) && periods.contains(label(po).as_str()) {
            sum += c.effect_days;
            n += 1.0;
        }
    }
    assert!(n > 0.0, "no children behind the post cells");
    (sum / n, n)
}

fn outcomes() -> Vec<Outcome> {
    (0..SEEDS)
        .into_par_iter()
        .map(replication)
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// Per replication, the children-weighted mean over RAAs of `f`.
fn pooled_by_seed(out: &[Outcome], f: impl Fn(&Outcome) -> f64) -> Vec<f64> {
    let mut by: HashMap<u64, (f64, f64)> = HashMap::new();
    for o in out {
        let e = by.entry(o.seed).or_default();
        e.0 += o.n * f(o);
        e.1 += o.n;
    }
    let mut v: Vec<(u64, f64)> = by.into_iter().map(|(k, (s, w))| (k, s / w)).collect();
    v.sort_by_key(|x| x.0);
    v.into_iter().map(|x| x.1).collect()
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let m = v.iter().sum::<f64>() / v.len() as f64;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0);
    (m, var.sqrt())
}

#[test]
fn controlled_its_recovers_the_step_on_synthetic_england() {
    let out = outcomes();
    let hits = out
        .iter()
        .filter(|o| o.controlled.2 <= o.truth && o.truth <= o.controlled.3)
        .count();
    let coverage = hits as f64 / out.len() as f64;
    // Errors of one replication share its draws only through the comparison LAs; pool them per
    // replication so that the bias is judged against replication-to-replication spread.
    let (bias, sd) = mean_sd(&pooled_by_seed(&out, |o| o.controlled.0 - o.truth));
    let (single_bias, single_sd) = mean_sd(&pooled_by_seed(&out, |o| o.single - o.truth));
    let (truth, _) = mean_sd(&pooled_by_seed(&out, |o| o.truth));
    let se = sd / (SEEDS as f64).sqrt();
    eprintln!(
        "{} RAA fits over {SEEDS} seeds: truth {truth:.1} days; controlled ITS bias {bias:.2} \
         (SE {se:.2}), coverage {coverage:.3}; single-series bias {single_bias:.2} (SD {single_sd:.1})",
        out.len()
    );
    assert!((-30.0..-15.0).contains(&truth), "realised truth {truth}");
    assert!(bias.abs() < 3.0 * se, "bias {bias} against SE {se}");
    // Binomial band for ~500 fits, widened for the comparison LAs the fits of a seed share.
    assert!((0.92..=0.98).contains(&coverage), "coverage {coverage}");
    // The comparison matters: the single series is biased by the national shocks.
    assert!(
        single_bias > bias + 3.0 * se,
        "single-series bias {single_bias} vs controlled {bias}"
    );
}
