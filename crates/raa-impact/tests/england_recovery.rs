//! Estimators on synthetic England recover the injected RAA effect.
//!
//! Seeded replications of synthetic England (a quarter of national size), each taken through the
//! whole pipeline once (returns → validation → journeys → LA panels) and shared by the tests:
//!
//! * **Interrupted time series**: every RAA's series of mean PO → placed days by quarter of the
//!   placement order, beside a comparison series of LAs not yet live (`data::controlled`), with a
//!   controlled ITS and a step after the bed-in. The truth of an RAA is the realised mean
//!   `y1 − y0` of the children behind its post-bed-in cells (the nominal effect mixed over
//!   harder-to-place and other children). The single-series ITS on the same RAA series is also
//!   fitted: it picks up the national shocks around the go-lives (the post-2015 fall, COVID),
//!   which is why the comparison is needed.
//! * **Callaway–Sant'Anna**: the LA × collection-year panel of the same order-cohort means, with
//!   not-yet-treated LAs as comparisons, the go-live year as a one-period bed-in and standard
//!   errors clustered on the RAA. The truth is the same estimator applied to each LA-year's
//!   realised mean `y1 − y0`: comparisons have no effect, so it equals the realised effect
//!   averaged with the estimator's own weights. The LA-quarter panel runs too, unbalanced (at
//!   this scale the median LA-quarter order cohort has one child placed, so many cells are
//!   empty): unbiased, but its clustered SEs understate a heavy-tailed spread at this scale.

use chrono::Datelike;
use raa_impact::data::controlled::{controlled_series, ControlledOptions, ControlledSeries};
use raa_impact::data::date::collection_year;
use raa_impact::data::journeys::{derive_journeys, JourneyOptions};
use raa_impact::data::panel::{la_panel, Freq, PanelOptions, PanelRow};
use raa_impact::data::ssda903::validate::validate;
use raa_impact::did::{aggregate, att_gt, Aggregation, AttGtOptions, PanelInput};
use raa_impact::its::{fit, Impact, Interruption, ItsSpec, Series};
use raa_impact::synthetic::{england, registry::synthetic_registry, SyntheticConfig, Truth};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const SEEDS: u64 = 24;

/// One generated England, taken to its panels.
struct World {
    seed: u64,
    quarterly: Vec<PanelRow>,
    yearly: Vec<PanelRow>,
    truth: Truth,
    cut: chrono::NaiveDate,
}

fn world(seed: u64) -> World {
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
    let panel = |freq| {
        let opts = PanelOptions {
            freq,
            ..PanelOptions::default()
        };
        la_panel(&set.journeys, &registry, &opts).expect("panel")
    };
    let cut = e
        .truth
        .children
        .iter()
        .filter_map(|c| c.placed)
        .max()
        .expect("someone placed");
    World {
        seed,
        quarterly: panel(Freq::Quarter),
        yearly: panel(Freq::Year),
        truth: e.truth,
        cut,
    }
}

fn worlds() -> &'static [World] {
    static W: OnceLock<Vec<World>> = OnceLock::new();
    W.get_or_init(|| (0..SEEDS).into_par_iter().map(world).collect())
}

/// One RAA's fit in one replication.
struct Outcome {
    seed: u64,
    truth: f64,
    n: f64,
    controlled: (f64, f64, f64, f64),
    single: f64,
}

fn replication(w: &World) -> Vec<Outcome> {
    // Two years of follow-up after the last window period: order cohorts are nearly complete.
    let opts = ControlledOptions {
        last_period: Some("2022Q1".into()),
        ..ControlledOptions::default()
    };
    let panel = controlled_series(&w.quarterly, &opts).expect("series");
    assert!(
        panel.series.len() >= 15,
        "seed {}: only {} RAAs have series; skipped {:?}",
        w.seed,
        panel.series.len(),
        panel.skipped
    );
    panel
        .series
        .iter()
        .map(|s| fit_one(w.seed, s, &w.truth, w.cut))
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
    worlds()
        .par_iter()
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

/// The CS panel of one world: LA × collection years 2013–2022 with a complete order-cohort mean.
struct CsPanel {
    unit: Vec<i64>,
    time: Vec<i64>,
    group: Vec<i64>,
    cluster: Vec<i64>,
    y: Vec<f64>,
    truth: Vec<f64>,
    dropped: usize,
}

impl CsPanel {
    /// ATT(g,t) of outcome `y` (the panel's `y` or `truth`), clustered on the RAA.
    fn fit(&self, y: &[f64], opts: &AttGtOptions) -> raa_impact::did::AttGt {
        let input = PanelInput {
            unit: &self.unit,
            time: &self.time,
            group: &self.group,
            y,
            covariates: &[],
            cluster: Some(&self.cluster),
            weights: None,
        };
        att_gt(&input, opts).expect("att_gt")
    }
}

const YEARS: std::ops::RangeInclusive<i64> = 2013..=2022;

fn cs_panel(w: &World) -> CsPanel {
    // Realised effect per (LA, collection year of the order), over the children placed by the cut.
    let mut cells: HashMap<(&str, i64), (f64, usize)> = HashMap::new();
    for c in &w.truth.children {
        let (Some(po), Some(placed)) = (c.po_date, c.placed) else {
            continue;
        };
        if placed <= w.cut {
            let e = cells
                .entry((c.la.as_str(), i64::from(collection_year(po))))
                .or_default();
            e.0 += c.effect_days;
            e.1 += 1;
        }
    }
    let mut by_la: HashMap<&str, Vec<&PanelRow>> = HashMap::new();
    for r in &w.yearly {
        let year: i64 = r.period.parse().expect("a collection year");
        if YEARS.contains(&year) {
            by_la.entry(r.unit.as_str()).or_default().push(r);
        }
    }
    let mut las: Vec<&str> = by_la.keys().copied().collect();
    las.sort_unstable();
    let mut raas: Vec<&str> = Vec::new();
    let mut p = CsPanel {
        unit: vec![],
        time: vec![],
        group: vec![],
        cluster: vec![],
        y: vec![],
        truth: vec![],
        dropped: 0,
    };
    for (u, la) in las.iter().enumerate() {
        let rows = &by_la[la];
        let complete = rows.iter().all(|r| {
            let year: i64 = r.period.parse().unwrap_or(0);
            r.cohort_mean_po_to_placed.is_some()
                && cells.get(&(*la, year)).map(|c| c.1) == Some(r.cohort_n_po_to_placed)
        });
        if !complete || rows.len() != YEARS.count() {
            p.dropped += 1;
            continue;
        }
        let g = rows[0]
            .exposure_start
            .map(|s| i64::from(collection_year(s)))
            .filter(|g| *g <= *YEARS.end())
            .unwrap_or(0);
        let raa = rows[0].raa_id.as_deref().unwrap_or("no_raa");
        let k = raas.iter().position(|r| *r == raa).unwrap_or_else(|| {
            raas.push(raa);
            raas.len() - 1
        });
        for r in rows {
            let year: i64 = r.period.parse().expect("a collection year");
            let (sum, n) = cells[&(*la, year)];
            p.unit.push(u as i64);
            p.time.push(year);
            p.group.push(g);
            p.cluster.push(k as i64);
            p.y.push(r.cohort_mean_po_to_placed.expect("complete"));
            p.truth.push(sum / n as f64);
        }
    }
    p
}

/// (estimate, se, ci, truth) of the simple ATT, and per post cell (covered, estimate − truth,
/// clusters of the cell's cohort).
struct CsOutcome {
    simple: (f64, f64, (f64, f64), f64),
    cells: Vec<(bool, f64, usize)>,
}

fn cs_fit(w: &World) -> CsOutcome {
    let p = cs_panel(w);
    assert!(p.dropped < 40, "seed {}: {} LAs dropped", w.seed, p.dropped);
    let opts = AttGtOptions {
        bed_in: 1,
        ..AttGtOptions::default()
    };
    let run = |y: &[f64]| p.fit(y, &opts);
    let (est, truth) = (run(&p.y), run(&p.truth));
    let simple = |a| aggregate(a, &Aggregation::Simple, None).expect("simple");
    let (s, t) = (simple(&est), simple(&truth));
    let cells = est
        .cells
        .iter()
        .zip(&truth.cells)
        .filter(|(c, _)| c.post)
        .filter_map(|(c, t)| {
            let (ci, att, tr) = (c.ci?, c.att?, t.att?);
            let clusters = c.clusters?.1;
            Some((ci.0 <= tr && tr <= ci.1, att - tr, clusters))
        })
        .collect();
    CsOutcome {
        simple: (
            s.overall_att,
            s.overall_se.expect("se"),
            s.overall_ci.expect("ci"),
            t.overall_att,
        ),
        cells,
    }
}

#[test]
fn callaway_santanna_recovers_the_effect_on_synthetic_england() {
    let out: Vec<CsOutcome> = worlds().par_iter().map(cs_fit).collect();
    let errors: Vec<f64> = out.iter().map(|o| o.simple.0 - o.simple.3).collect();
    let (bias, sd) = mean_sd(&errors);
    let se_bias = sd / (errors.len() as f64).sqrt();
    let mean_se = out.iter().map(|o| o.simple.1).sum::<f64>() / out.len() as f64;
    let covered = out
        .iter()
        .filter(|o| o.simple.2 .0 <= o.simple.3 && o.simple.3 <= o.simple.2 .1)
        .count();
    let truth = out.iter().map(|o| o.simple.3).sum::<f64>() / out.len() as f64;
    let cells: Vec<&(bool, f64, usize)> = out.iter().flat_map(|o| &o.cells).collect();
    let cell_cov = cells.iter().filter(|c| c.0).count() as f64 / cells.len() as f64;
    for (lo, hi) in [(0, 2), (3, 9), (10, 19), (20, 99)] {
        let these: Vec<_> = cells.iter().filter(|c| (lo..=hi).contains(&c.2)).collect();
        if !these.is_empty() {
            let cov = these.iter().filter(|c| c.0).count() as f64 / these.len() as f64;
            eprintln!(
                "  comparisons in {lo}-{hi} RAAs: {} post cells, coverage {cov:.3}",
                these.len()
            );
        }
    }
    eprintln!(
        "CS simple ATT over {SEEDS} seeds: truth {truth:.1} days, bias {bias:.2} (SE {se_bias:.2}), \
         SD of errors {sd:.1} vs mean SE {mean_se:.1}, {covered}/{SEEDS} intervals cover; \
         post cells: coverage {cell_cov:.3} over {}",
        cells.len()
    );
    assert!((-30.0..-12.0).contains(&truth), "realised truth {truth}");
    assert!(bias.abs() < 3.0 * se_bias, "bias {bias} against {se_bias}");
    // SEs clustered on ~30 RAAs: honest when the spread of estimates matches them.
    assert!(
        (0.7..1.4).contains(&(sd / mean_se)),
        "SD {sd} vs mean SE {mean_se}"
    );
    // Coverage depends on how many RAAs the comparison units come from (measured: 0.55 with at
    // most 2, 0.83 with 3–9, 0.94 with 10–19, 1.00 with 20 or more; att_gt warns below 3): late
    // cells compare with the few LAs not yet live, and a cluster-robust variance cannot see the
    // comparison side's variance with so few clusters. Where comparisons span 10 RAAs or more the
    // intervals reach their nominal rate; overall (simple ATT 20 of 24, cells 0.83) they do not.
    let wide: Vec<_> = cells.iter().filter(|c| c.2 >= 10).collect();
    let wide_cov = wide.iter().filter(|c| c.0).count() as f64 / wide.len() as f64;
    assert!(
        wide.len() >= 40 && wide_cov >= 0.88,
        "{} cells, coverage {wide_cov}",
        wide.len()
    );
    assert!(
        covered >= 18,
        "{covered} of {SEEDS} intervals cover the truth"
    );
    assert!(cell_cov >= 0.78, "cell coverage {cell_cov}");
}

/// The LA × quarter panel of the same order-cohort means (the LA-quarter design): a cell
/// without a child placed is simply missing, so the panel is unbalanced and CS runs with
/// `allow_unbalanced` (R did's repeated cross-section estimators); the group is the first whole
/// quarter after the go-live and two quarters (183 days) are the bed-in. Truth: the same estimator
/// on each cell's realised effect.
fn cs_quarterly_panel(w: &World) -> CsPanel {
    let (first, last) = (2013 * 4, 2022 * 4); // 2013Q1 to 2022Q1: order cohorts nearly complete
    let mut cells: HashMap<(&str, i64), (f64, usize)> = HashMap::new();
    for c in &w.truth.children {
        let (Some(po), Some(placed)) = (c.po_date, c.placed) else {
            continue;
        };
        if placed <= w.cut {
            let e = cells
                .entry((c.la.as_str(), Freq::Quarter.index(po)))
                .or_default();
            e.0 += c.effect_days;
            e.1 += 1;
        }
    }
    let mut rows: Vec<&PanelRow> = w.quarterly.iter().collect();
    rows.sort_by(|a, b| (&a.unit, a.period_start).cmp(&(&b.unit, b.period_start)));
    let (mut las, mut raas): (HashMap<String, i64>, HashMap<String, i64>) = Default::default();
    let mut p = CsPanel {
        unit: vec![],
        time: vec![],
        group: vec![],
        cluster: vec![],
        y: vec![],
        truth: vec![],
        dropped: 0,
    };
    let index_of = |map: &mut HashMap<String, i64>, key: &str| {
        let next = map.len() as i64;
        *map.entry(key.to_string()).or_insert(next)
    };
    for r in rows {
        let q = Freq::Quarter.index(r.period_start);
        let cell = cells.get(&(r.unit.as_str(), q));
        let (Some(y), Some(&(sum, n))) = (r.cohort_mean_po_to_placed, cell) else {
            continue;
        };
        if !(first..=last).contains(&q) || n != r.cohort_n_po_to_placed {
            continue;
        }
        let g = r
            .exposure_start
            .map(|s| Freq::Quarter.index(s) + i64::from(s.day() != 1 || s.month0() % 3 != 0))
            .filter(|g| *g <= last)
            .unwrap_or(0);
        p.unit.push(index_of(&mut las, &r.unit));
        p.time.push(q);
        p.group.push(g);
        p.cluster
            .push(index_of(&mut raas, r.raa_id.as_deref().unwrap_or("no_raa")));
        p.y.push(y);
        p.truth.push(sum / n as f64);
    }
    p
}

/// (estimate, SE, 95% CI) of a simple ATT.
type SimpleFit = (f64, f64, (f64, f64));

/// The simple ATT of a fit.
fn simple_fit(a: &raa_impact::did::AttGt) -> SimpleFit {
    let s = aggregate(a, &Aggregation::Simple, None).expect("simple");
    (
        s.overall_att,
        s.overall_se.expect("se"),
        s.overall_ci.expect("ci"),
    )
}

/// Over seeds of (fit, truth): bias, its Monte Carlo SE, SD of the errors, mean SE, intervals
/// covering the truth.
struct Replications {
    bias: f64,
    se_bias: f64,
    sd: f64,
    mean_se: f64,
    covered: usize,
}

fn replications(fits: &[(SimpleFit, f64)]) -> Replications {
    let errors: Vec<f64> = fits.iter().map(|(e, t)| e.0 - t).collect();
    let (bias, sd) = mean_sd(&errors);
    Replications {
        bias,
        se_bias: sd / (errors.len() as f64).sqrt(),
        sd,
        mean_se: fits.iter().map(|(e, _)| e.1).sum::<f64>() / fits.len() as f64,
        covered: fits
            .iter()
            .filter(|(e, t)| e.2 .0 <= *t && *t <= e.2 .1)
            .count(),
    }
}

#[test]
fn callaway_santanna_on_an_unbalanced_la_quarter_panel_recovers_the_effect() {
    let fits: Vec<(SimpleFit, f64)> = worlds()
        .par_iter()
        .map(|w| {
            let p = cs_quarterly_panel(w);
            let opts = AttGtOptions {
                bed_in: 2,
                allow_unbalanced: true,
                ..AttGtOptions::default()
            };
            let (e, t) = (p.fit(&p.y, &opts), p.fit(&p.truth, &opts));
            (simple_fit(&e), simple_fit(&t).0)
        })
        .collect();
    let Replications {
        bias,
        se_bias,
        sd,
        mean_se,
        covered,
    } = replications(&fits);
    let truth = fits.iter().map(|(_, t)| t).sum::<f64>() / fits.len() as f64;
    let z: Vec<String> = fits
        .iter()
        .map(|(e, t)| format!("{:.1}", (e.0 - t) / e.1))
        .collect();
    eprintln!("z by seed: {}", z.join(" "));
    eprintln!(
        "CS on LA-quarters (unbalanced) over {SEEDS} seeds: truth {truth:.1} days, bias {bias:.2} \
         (SE {se_bias:.2}), SD of errors {sd:.1} vs mean SE {mean_se:.1}, {covered}/{SEEDS} cover"
    );
    assert!((-40.0..-12.0).contains(&truth), "realised truth {truth}");
    assert!(bias.abs() < 3.0 * se_bias, "bias {bias} against {se_bias}");
    // 24 replications at a nominal 95%: 18 or fewer covering has probability 0.007.
    assert!(
        covered >= 19,
        "{covered} of {SEEDS} intervals cover the truth"
    );
    // Not asserted, reported: at this scale (a quarter of national size; the median LA-quarter
    // order cohort has one child placed) the errors are heavy-tailed and the RAA-clustered SEs
    // understate their spread (measured: SD of errors 26.1 against a mean SE of 17.6, z from -3.4
    // to 4.3, 20 of 24 intervals cover). At national scale the same design gave z with SD 0.6 over
    // 12 seeds (every interval covering): the yearly panel above is the one to use on thin data.
}

/// Leaving out the cells whose comparison LAs lie in fewer than 5 RAAs (`min_comparison_clusters`)
/// restores honest intervals on the yearly panel. Measured over the 24 seeds (post cells kept per
/// seed; SD of errors vs mean SE; intervals covering): 0 (all cells) 10.0, 21.5 vs 18.0, 20/24;
/// 3: 8.7, 20.3 vs 18.0, 22/24; 5 (and 8, 10): 3.0, 13.0 vs 13.5, 23/24. The estimand becomes
/// the early cohorts' effect, the truth computed on the same cells. On the LA-quarter panel the
/// option helps less (SD/SE 1.48 with all cells, 1.25 with 10, 0.92 with 15): there the
/// heavy-tailed cell means at this scale are the larger problem.
#[test]
fn cs_leaving_out_cells_with_few_comparison_clusters_covers_at_the_nominal_rate() {
    let fits: Vec<(SimpleFit, f64)> = worlds()
        .par_iter()
        .map(|w| {
            let p = cs_panel(w);
            let opts = AttGtOptions {
                bed_in: 1,
                min_comparison_clusters: 5,
                ..AttGtOptions::default()
            };
            let (e, t) = (p.fit(&p.y, &opts), p.fit(&p.truth, &opts));
            for c in e.cells.iter().filter(|c| c.att.is_some()) {
                assert!(c.clusters.expect("clustered").1 >= 5, "{c:?}");
            }
            (simple_fit(&e), simple_fit(&t).0)
        })
        .collect();
    let Replications {
        bias,
        se_bias,
        sd,
        mean_se,
        covered,
    } = replications(&fits);
    eprintln!(
        "CS, cells with comparisons in >= 5 RAAs: bias {bias:.2} (SE {se_bias:.2}), SD {sd:.1} vs \
         mean SE {mean_se:.1}, {covered}/{SEEDS} cover"
    );
    assert!(bias.abs() < 3.0 * se_bias, "bias {bias} against {se_bias}");
    assert!(
        (0.8..1.25).contains(&(sd / mean_se)),
        "SD {sd} vs mean SE {mean_se}"
    );
    // 24 replications at a nominal 95%: 20 or fewer covering has probability 0.03.
    assert!(
        covered >= 21,
        "{covered} of {SEEDS} intervals cover the truth"
    );
}
