//! Coverage of the RMST-difference 95% interval on simulated exponential durations with
//! censoring, where the true RMST difference is known in closed form.

use raa_impact::survival::rmst_difference;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// RMST of an exponential duration with rate `rate` up to `tau`.
fn true_rmst(rate: f64, tau: f64) -> f64 {
    (1.0 - (-rate * tau).exp()) / rate
}

/// 300 replications, 150 rows per arm, exponential means 400 (treated) and 300 (control) days,
/// uniform(0, 1000) censoring, tau = 500. Three intervals per replication: Greenwood (no weights),
/// the sandwich with pair clusters, and the sandwich with random case weights. About 1 s in debug.
#[test]
fn rmst_difference_interval_covers_about_95_percent() {
    let (rate_t, rate_c, tau) = (1.0 / 400.0, 1.0 / 300.0, 500.0);
    let truth = true_rmst(rate_t, tau) - true_rmst(rate_c, tau);
    let mut rng = ChaCha8Rng::seed_from_u64(20261123);
    let (reps, per_arm) = (300, 150);
    let mut covered = [0usize; 3];
    for _ in 0..reps {
        let n = 2 * per_arm;
        let (mut time, mut event, mut treated, mut w, mut pair) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for i in 0..n {
            let is_t = i < per_arm;
            let rate = if is_t { rate_t } else { rate_c };
            let t = -(1.0 - rng.random::<f64>()).ln() / rate;
            let c = rng.random::<f64>() * 1000.0;
            time.push(t.min(c));
            event.push(t <= c);
            treated.push(is_t);
            // Weights independent of the outcome, like a matching weight of 1/2, 1 or 2.
            w.push([0.5, 1.0, 2.0][rng.random_range(0..3)]);
            pair.push((i % per_arm) as u64);
        }
        // tau must not pass either arm's last time; with 150 rows this essentially never binds.
        let fits = [
            rmst_difference(&time, &event, &treated, None, None, tau),
            rmst_difference(&time, &event, &treated, None, Some(&pair), tau),
            rmst_difference(&time, &event, &treated, Some(&w), None, tau),
        ];
        for (k, fit) in fits.into_iter().enumerate() {
            let fit = fit.expect("simulated data are valid");
            if fit.ci.0 <= truth && truth <= fit.ci.1 {
                covered[k] += 1;
            }
        }
    }
    for (k, name) in ["greenwood", "pair-cluster sandwich", "weighted sandwich"]
        .iter()
        .enumerate()
    {
        let rate = covered[k] as f64 / reps as f64;
        eprintln!("{name}: coverage {rate}");
        assert!((0.92..=0.98).contains(&rate), "{name}: coverage {rate}");
    }
}
