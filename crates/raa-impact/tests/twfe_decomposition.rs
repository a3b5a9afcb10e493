//! TWFE, the Goodman-Bacon decomposition and the BJS imputation estimator against identities that
//! must hold exactly: the decomposition sums to the TWFE coefficient; each 2×2 is the TWFE of its
//! own subsample and its weight that subsample's squared size times its treatment variance; the
//! within estimator equals the dummy regression (coefficient and clustered SE); the imputed effects
//! equal the coefficients of a regression with one dummy per treated observation.

use raa_impact::inference::{vcov_cluster, wls, ClusterAdjust};
use raa_impact::twfe::{bacon_decomposition, imputation, twfe, ComparisonKind, Panel};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Long columns of a staggered panel: `cohorts[i]` is unit i's first treated period (None: never),
/// effects growing with time since treatment, unit/time effects and noise of sd `noise`.
struct Long {
    unit: Vec<u64>,
    time: Vec<i64>,
    d: Vec<f64>,
    y: Vec<f64>,
}

fn long(cohorts: &[Option<i64>], n_time: i64, noise: f64, seed: u64) -> Long {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let lambda: Vec<f64> = (0..n_time).map(|_| rng.random_range(-1.0..1.0)).collect();
    let mut l = Long {
        unit: vec![],
        time: vec![],
        d: vec![],
        y: vec![],
    };
    // Rows in a shuffled-looking order (time-major) to exercise the reshaping.
    for t in 0..n_time {
        for (i, c) in cohorts.iter().enumerate() {
            let alpha = (i as f64 * 0.37).sin() * 2.0;
            let treated = c.is_some_and(|g| t >= g);
            let effect = if treated {
                1.0 + 0.5 * (t - c.unwrap_or(0)) as f64
            } else {
                0.0
            };
            l.unit.push(100 + i as u64);
            l.time.push(2000 + t);
            l.d.push(if treated { 1.0 } else { 0.0 });
            l.y.push(alpha + lambda[t as usize] + effect + noise * rng.random_range(-1.0..1.0));
        }
    }
    l
}

fn panel(l: &Long) -> Panel {
    Panel::new(&l.unit, &l.time, &l.d, &l.y).unwrap()
}

fn random_cohorts(n_units: usize, n_time: i64, seed: u64, always: bool) -> Vec<Option<i64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n_units)
        .map(|_| {
            let g = rng.random_range(if always { 0 } else { 1 }..n_time + 2);
            (g < n_time).then_some(g)
        })
        .collect()
}

#[test]
fn bacon_weights_sum_to_one_and_reproduce_twfe() {
    for seed in 0..20 {
        let cohorts = random_cohorts(30, 8, seed, seed % 2 == 0);
        let p = panel(&long(&cohorts, 8, 0.5, seed));
        let b = bacon_decomposition(&p).unwrap();
        let fit = twfe(&p, ClusterAdjust::None).unwrap();
        let total: f64 = b.comparisons.iter().map(|c| c.weight).sum();
        let weighted: f64 = b.comparisons.iter().map(|c| c.weight * c.estimate).sum();
        assert!(
            (total - 1.0).abs() < 1e-10,
            "seed {seed}: weights sum to {total}"
        );
        assert!(
            (weighted - fit.coefficient).abs() < 1e-10,
            "seed {seed}: {weighted} vs {}",
            fit.coefficient
        );
        assert!((b.twfe - fit.coefficient).abs() < 1e-10);
        let by_kind: f64 = b.by_kind.iter().map(|k| k.weight).sum();
        assert!((by_kind - 1.0).abs() < 1e-10);
    }
}

/// The subsample of a 2×2: the units of two timing groups over periods `from..to` (time labels).
fn subsample(
    l: &Long,
    cohorts: &[Option<i64>],
    groups: [Option<i64>; 2],
    from: i64,
    to: i64,
) -> Long {
    let mut s = Long {
        unit: vec![],
        time: vec![],
        d: vec![],
        y: vec![],
    };
    for r in 0..l.unit.len() {
        let c = cohorts[(l.unit[r] - 100) as usize];
        if groups.contains(&c) && l.time[r] >= from && l.time[r] < to {
            s.unit.push(l.unit[r]);
            s.time.push(l.time[r]);
            s.d.push(l.d[r]);
            s.y.push(l.y[r]);
        }
    }
    s
}

fn demeaned_d_variance(l: &Long) -> f64 {
    let p = panel(l);
    let d: Vec<f64> = p
        .treated
        .iter()
        .map(|&b| if b { 1.0 } else { 0.0 })
        .collect();
    let dd = raa_impact::twfe::within::double_demean(&d, p.n_units(), p.n_times());
    dd.iter().map(|v| v * v).sum::<f64>() / dd.len() as f64
}

#[test]
fn each_comparison_is_the_twfe_of_its_subsample_with_its_variance_weight() {
    // Hand-sized example: cohorts at 2002 (3 units) and 2005 (2 units), 2 never treated and
    // 1 always treated, 2000..2007.
    let cohorts = [
        Some(2),
        Some(2),
        Some(2),
        Some(5),
        Some(5),
        None,
        None,
        Some(0),
    ];
    let l = long(&cohorts, 8, 0.3, 7);
    let p = panel(&l);
    let b = bacon_decomposition(&p).unwrap();
    let vd = demeaned_d_variance(&l);
    let n_obs = l.y.len() as f64;
    // 2×2s: early vs never, late vs never, early vs late, late vs early, late vs always,
    // early vs always; (always vs never and always vs later have no variance: weight 0).
    assert_eq!(b.comparisons.len(), 6);
    for c in &b.comparisons {
        let g = |label: i64| Some(label - 2000);
        let (groups, from, to) = match c.kind {
            ComparisonKind::TreatedVsNeverTreated => ([g(c.treated), None], 2000, 2008),
            ComparisonKind::EarlierVsLaterTreated => (
                [g(c.treated), g(c.control.unwrap())],
                2000,
                c.control.unwrap(),
            ),
            ComparisonKind::LaterVsEarlierTreated | ComparisonKind::LaterVsAlwaysTreated => (
                [g(c.treated), g(c.control.unwrap())],
                c.control.unwrap(),
                2008,
            ),
        };
        let sub = subsample(&l, &cohorts, groups, from, to);
        let sub_fit = twfe(&panel(&sub), ClusterAdjust::None).unwrap();
        assert!(
            (sub_fit.coefficient - c.estimate).abs() < 1e-12,
            "{c:?}: subsample TWFE {}",
            sub_fit.coefficient
        );
        let size = sub.y.len() as f64 / n_obs;
        let weight = size * size * demeaned_d_variance(&sub) / vd;
        assert!(
            (weight - c.weight).abs() < 1e-12,
            "{c:?}: weight from subsample {weight}"
        );
    }
    // A hand check of one 2×2: early (2002) vs never over the whole period.
    let mean = |units: &[u64], years: std::ops::Range<i64>| {
        let v: Vec<f64> = (0..l.y.len())
            .filter(|&r| units.contains(&l.unit[r]) && years.contains(&l.time[r]))
            .map(|r| l.y[r])
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let hand = (mean(&[100, 101, 102], 2002..2008) - mean(&[100, 101, 102], 2000..2002))
        - (mean(&[105, 106], 2002..2008) - mean(&[105, 106], 2000..2002));
    let c = b
        .comparisons
        .iter()
        .find(|c| c.kind == ComparisonKind::TreatedVsNeverTreated && c.treated == 2002)
        .unwrap();
    assert!((c.estimate - hand).abs() < 1e-12);
}

/// Unit and time dummies (first time dropped) plus an intercept-free set of unit dummies.
fn dummy_columns(p: &Panel) -> (Vec<Vec<f64>>, Vec<String>) {
    let (nu, nt) = (p.n_units(), p.n_times());
    let mut cols = Vec::new();
    let mut names = Vec::new();
    for i in 0..nu {
        cols.push(
            (0..nu * nt)
                .map(|k| if k / nt == i { 1.0 } else { 0.0 })
                .collect(),
        );
        names.push(format!("unit{i}"));
    }
    for t in 1..nt {
        cols.push(
            (0..nu * nt)
                .map(|k| if k % nt == t { 1.0 } else { 0.0 })
                .collect(),
        );
        names.push(format!("time{t}"));
    }
    (cols, names)
}

#[test]
fn within_estimator_equals_the_dummy_regression_with_clustered_se() {
    let cohorts = random_cohorts(12, 6, 3, false);
    let p = panel(&long(&cohorts, 6, 1.0, 3));
    let (mut cols, mut names) = dummy_columns(&p);
    cols.push(
        p.treated
            .iter()
            .map(|&b| if b { 1.0 } else { 0.0 })
            .collect(),
    );
    names.push("D".into());
    let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
    let nrefs: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
    let w = vec![1.0; p.y.len()];
    let fit = wls(&refs, &nrefs, &p.y, &w).unwrap();
    let k = cols.len() - 1;
    let cluster: Vec<u64> = (0..p.y.len()).map(|r| p.units[r / p.n_times()]).collect();
    for adjust in [ClusterAdjust::None, ClusterAdjust::Clusters] {
        let v = vcov_cluster(&fit, &refs, &w, &cluster, adjust).unwrap();
        let within = twfe(&p, adjust).unwrap();
        assert!((within.coefficient - fit.coefficients[k]).abs() < 1e-10);
        let se = v[k * cols.len() + k].sqrt();
        assert!(
            ((within.std_error - se) / se).abs() < 1e-9,
            "{adjust:?}: {} vs {se}",
            within.std_error
        );
    }
    // Hc1 differs only by (n−1)/(n−K), K = T + 1 here (unit effects nested in clusters).
    let a = twfe(&p, ClusterAdjust::Clusters).unwrap().std_error;
    let h = twfe(&p, ClusterAdjust::Hc1).unwrap().std_error;
    let n = p.y.len() as f64;
    assert!((h / a - ((n - 1.0) / (n - 7.0)).sqrt()).abs() < 1e-12);
}

#[test]
fn imputed_effects_equal_a_dummy_per_treated_observation() {
    let mut checked = 0;
    for seed in 0..4 {
        let cohorts = random_cohorts(9, 6, 10 + seed, false);
        let p = panel(&long(&cohorts, 6, 1.0, seed));
        if !p.treated.iter().any(|&d| d) {
            continue;
        }
        let fit = imputation(&p).unwrap();
        let (mut cols, mut names) = dummy_columns(&p);
        let nt = p.n_times();
        let treated_rows: Vec<usize> = (0..p.y.len()).filter(|&k| p.treated[k]).collect();
        for &k in &treated_rows {
            cols.push(
                (0..p.y.len())
                    .map(|r| if r == k { 1.0 } else { 0.0 })
                    .collect(),
            );
            names.push(format!("obs{k}"));
        }
        let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
        let nrefs: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
        let ols = wls(&refs, &nrefs, &p.y, &vec![1.0; p.y.len()]);
        let Ok(ols) = ols else { continue }; // a time with no untreated unit: not identified
        let first = cols.len() - treated_rows.len();
        assert_eq!(fit.effects.len(), treated_rows.len());
        for (j, &k) in treated_rows.iter().enumerate() {
            let e = fit
                .effects
                .iter()
                .find(|e| e.unit == p.units[k / nt] && e.time == p.times[k % nt])
                .unwrap();
            assert!(
                (e.effect - ols.coefficients[first + j]).abs() < 1e-10,
                "seed {seed}: {e:?}"
            );
        }
        let att = ols.coefficients[first..].iter().sum::<f64>() / treated_rows.len() as f64;
        assert!((fit.overall.estimate - att).abs() < 1e-10);
        let n_by_e: usize = fit.by_event_time.iter().map(|e| e.n_obs).sum();
        assert_eq!(n_by_e, treated_rows.len());
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} panels checked");
}

#[test]
fn without_noise_imputation_recovers_dynamic_effects_that_twfe_misses() {
    // Effects 1 + 0.5·(t − g): heterogeneous over time, so TWFE uses forbidden comparisons.
    let cohorts = [Some(2), Some(2), Some(4), Some(4), Some(6), None, None];
    let l = long(&cohorts, 9, 0.0, 1);
    let p = panel(&l);
    let fit = imputation(&p).unwrap();
    let true_att = {
        let effects: Vec<f64> = cohorts
            .iter()
            .flat_map(|c| {
                (0..9)
                    .filter_map(move |t| c.filter(|&g| t >= g).map(|g| 1.0 + 0.5 * (t - g) as f64))
            })
            .collect();
        effects.iter().sum::<f64>() / effects.len() as f64
    };
    assert!((fit.overall.estimate - true_att).abs() < 1e-10);
    for e in &fit.by_event_time {
        let truth = 1.0 + 0.5 * e.event_time.unwrap() as f64;
        assert!((e.estimate - truth).abs() < 1e-10, "{e:?}");
    }
    let tw = twfe(&p, ClusterAdjust::None).unwrap().coefficient;
    assert!(
        (tw - true_att).abs() > 0.3,
        "TWFE {tw} vs true ATT {true_att}"
    );
    let b = bacon_decomposition(&p).unwrap();
    assert!(b
        .by_kind
        .iter()
        .any(|k| k.kind == ComparisonKind::LaterVsEarlierTreated && k.weight > 0.0));
}

#[test]
fn imputation_standard_errors_cover_at_about_the_nominal_rate() {
    // 60 units, cohorts of ~12 units, homogeneous effect 1, unit-level noise: the conservative
    // variance should cover at ≥ 95% − sampling error over 200 replications.
    let mut covered = 0;
    let reps = 200;
    for rep in 0..reps {
        let cohorts: Vec<Option<i64>> = (0..60)
            .map(|i| [Some(2), Some(4), Some(5), None][i % 4])
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(500 + rep);
        let mut l = long(&cohorts, 7, 0.0, rep);
        for r in 0..l.y.len() {
            l.y[r] += rng.random_range(-1.0..1.0);
        }
        let fit = imputation(&panel(&l)).unwrap();
        let truth = {
            let e: Vec<f64> = (0..l.y.len())
                .filter(|&r| l.d[r] == 1.0)
                .map(|r| {
                    1.0 + 0.5
                        * (l.time[r] - 2000 - cohorts[(l.unit[r] - 100) as usize].unwrap()) as f64
                })
                .collect();
            e.iter().sum::<f64>() / e.len() as f64
        };
        if (fit.overall.estimate - truth).abs() <= 1.96 * fit.overall.std_error {
            covered += 1;
        }
    }
    eprintln!("BJS coverage: {covered} of {reps}");
    // Binomial(200, 0.95): sd 3.1; allow three sd below nominal.
    assert!(
        covered as f64 >= 0.95 * reps as f64 - 3.0 * (reps as f64 * 0.95 * 0.05).sqrt(),
        "{covered}"
    );
}
