//! Shared by the did tests: simulated staggered panels with a known effect, and mpdta.
#![allow(dead_code)]

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

/// A long panel in row vectors.
pub struct Sim {
    pub unit: Vec<i64>,
    pub time: Vec<i64>,
    pub group: Vec<i64>,
    pub y: Vec<f64>,
    pub x: Vec<f64>,
    pub cluster: Vec<i64>,
}

/// `units` units over periods 1..=`periods`; cohorts drawn per cluster from `cohorts` (0 = never treated);
/// unit and period effects, a cluster-period shock (clusters of `cluster_size` units, scale
/// `cluster_sd`), and a constant effect `tau` from go-live on. Units select into cohorts on a
/// time-invariant covariate x that also shifts the trend, so comparisons need the covariate only
/// when `x_trend` ≠ 0.
#[allow(clippy::too_many_arguments)]
pub fn simulate(
    seed: u64,
    units: i64,
    periods: i64,
    cohorts: &[i64],
    tau: f64,
    cluster_size: i64,
    cluster_sd: f64,
    x_trend: f64,
) -> Sim {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let z = Normal::new(0.0, 1.0).expect("normal");
    let n_clusters = (units + cluster_size - 1) / cluster_size;
    let shocks: Vec<f64> = (0..n_clusters * periods)
        .map(|_| cluster_sd * z.sample(&mut rng))
        .collect();
    // Cohorts are assigned per cluster (as go-live is per agency), so cluster shocks do not cancel.
    let cluster_group: Vec<i64> = (0..n_clusters)
        .map(|_| cohorts[rng.random_range(0..cohorts.len())])
        .collect();
    let mut s = Sim {
        unit: vec![],
        time: vec![],
        group: vec![],
        y: vec![],
        x: vec![],
        cluster: vec![],
    };
    for u in 0..units {
        let c = u / cluster_size;
        let g = cluster_group[c as usize];
        let x: f64 = z.sample(&mut rng);
        let alpha = z.sample(&mut rng) + x;
        for t in 1..=periods {
            let effect = if g > 0 && t >= g { tau } else { 0.0 };
            s.unit.push(u);
            s.time.push(t);
            s.group.push(g);
            s.x.push(x);
            s.cluster.push(c);
            let trend = 0.3 * t as f64 + x_trend * x * t as f64;
            s.y.push(
                alpha
                    + trend
                    + shocks[(c * periods + t - 1) as usize]
                    + effect
                    + 0.5 * z.sample(&mut rng),
            );
        }
    }
    s
}

/// R `did`'s mpdta (`tests/data/did/mpdta.csv`), with the state (county FIPS / 1000) as a cluster.
pub struct Mpdta {
    pub year: Vec<i64>,
    pub county: Vec<i64>,
    pub state: Vec<i64>,
    pub lpop: Vec<f64>,
    pub lemp: Vec<f64>,
    pub first_treat: Vec<i64>,
}

impl Mpdta {
    /// The panel of `lemp` by county and year, cohorts from `first_treat`, no covariates.
    pub fn input<'a>(&'a self, cluster: Option<&'a [i64]>) -> raa_impact::did::PanelInput<'a> {
        raa_impact::did::PanelInput {
            unit: &self.county,
            time: &self.year,
            group: &self.first_treat,
            y: &self.lemp,
            covariates: &[],
            cluster,
            weights: None,
        }
    }
}

pub fn mpdta() -> Mpdta {
    mpdta_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/did/mpdta.csv"
    ))
}

/// An mpdta-shaped file (year, countyreal, lpop, lemp, first.treat), e.g. the unbalanced copy.
pub fn mpdta_file(path: &str) -> Mpdta {
    let mut r = csv::Reader::from_path(path).unwrap();
    let mut d = Mpdta {
        year: vec![],
        county: vec![],
        state: vec![],
        lpop: vec![],
        lemp: vec![],
        first_treat: vec![],
    };
    for rec in r.records() {
        let rec = rec.unwrap();
        d.year.push(rec[0].parse().unwrap());
        let c: i64 = rec[1].parse().unwrap();
        d.county.push(c);
        d.state.push(c / 1000);
        d.lpop.push(rec[2].parse().unwrap());
        d.lemp.push(rec[3].parse().unwrap());
        d.first_treat.push(rec[4].parse().unwrap());
    }
    d
}
