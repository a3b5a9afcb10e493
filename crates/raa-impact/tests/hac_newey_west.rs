//! Newey–West HAC covariance against R `sandwich::NeweyWest(prewhite = FALSE)` and statsmodels
//! `cov_type = "HAC"`, on the Sicily oracle and on generated OLS, WLS, Poisson and quasi-Poisson
//! series (`tests/data/hac/`, made by `generate.R` and `statsmodels_refs.py`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use raa_impact::inference::{newey_west_default_lag, vcov_newey_west, wls, HacOptions};

/// Entries of a covariance agree to this relative error; off-diagonal entries are compared on the
/// correlation scale (relative to `√(V_ii V_jj)`), since an off-diagonal can be near zero.
const TOL: f64 = 1e-10;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/hac")
}

/// A CSV file as named columns of numbers (every value parsed as f64; `FALSE`/`TRUE` as 0/1).
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(name: &str) -> Table {
        let text = std::fs::read_to_string(data_dir().join(name)).expect("reference file");
        let mut lines = text.lines();
        let header = lines
            .next()
            .expect("header")
            .split(',')
            .map(String::from)
            .collect();
        let rows = lines
            .filter(|l| !l.is_empty())
            .map(|l| l.split(',').map(String::from).collect())
            .collect();
        Table { header, rows }
    }

    fn index(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    }

    fn column(&self, name: &str) -> Vec<f64> {
        let j = self.index(name);
        self.rows.iter().map(|r| number(&r[j])).collect()
    }
}

fn number(s: &str) -> f64 {
    match s {
        "TRUE" | "True" => 1.0,
        "FALSE" | "False" => 0.0,
        _ => s.parse().unwrap_or_else(|_| panic!("not a number: {s}")),
    }
}

/// One generated case: the design, and the score multiplier and weights of the fit R made.
struct Case {
    columns: Vec<Vec<f64>>,
    y: Vec<f64>,
    /// Prior weights (Gaussian) or working weights (GLM).
    weights: Vec<f64>,
    /// R's multiplier: weight × residual (Gaussian) or working weight × working residual (GLM).
    multiplier: Vec<f64>,
}

impl Case {
    fn read(name: &str) -> Case {
        let t = Table::read(&format!("case_{name}.csv"));
        let p = t.header.iter().filter(|h| h.starts_with('x')).count();
        let columns = (0..p).map(|j| t.column(&format!("x{j}"))).collect();
        let (weights, residual) = if t.header.iter().any(|h| h == "working_weight") {
            (t.column("working_weight"), t.column("working_residual"))
        } else {
            (t.column("weight"), t.column("residual"))
        };
        let multiplier = weights.iter().zip(&residual).map(|(w, e)| w * e).collect();
        Case {
            columns,
            y: t.column("y"),
            weights,
            multiplier,
        }
    }

    fn slices(&self) -> Vec<&[f64]> {
        self.columns.iter().map(Vec::as_slice).collect()
    }

    /// `(X'WX)⁻¹` from the crate's WLS (the response does not matter for the bread).
    fn bread(&self) -> Vec<f64> {
        let names: Vec<String> = (0..self.columns.len()).map(|j| format!("x{j}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        wls(&self.slices(), &names, &self.y, &self.weights)
            .expect("bread")
            .xtwx_inverse
    }
}

/// (case, lag, adjust): `lag` is a number or `default`.
type Key = (String, String, bool);
/// Reference covariances (row-major) by key.
type References = BTreeMap<Key, Vec<f64>>;

fn references(file: &str, adjust_column: &str) -> References {
    let t = Table::read(file);
    let (case, lag, adjust) = (t.index("case"), t.index("lag"), t.index(adjust_column));
    let (i, j, value) = (t.index("i"), t.index("j"), t.index("value"));
    let mut entries: BTreeMap<Key, Vec<(usize, usize, f64)>> = BTreeMap::new();
    for r in &t.rows {
        let key = (r[case].clone(), r[lag].clone(), number(&r[adjust]) == 1.0);
        let cell = (
            number(&r[i]) as usize,
            number(&r[j]) as usize,
            number(&r[value]),
        );
        entries.entry(key).or_default().push(cell);
    }
    entries
        .into_iter()
        .map(|(k, cells)| {
            let p = (cells.len() as f64).sqrt() as usize;
            assert_eq!(p * p, cells.len(), "{k:?} is not a square matrix");
            let mut m = vec![f64::NAN; p * p];
            for (i, j, v) in cells {
                m[i * p + j] = v;
            }
            (k, m)
        })
        .collect()
}

/// Worst difference of `got` from `want` (diagonal relative, off-diagonal on the correlation scale).
fn worst_difference(got: &[f64], want: &[f64]) -> f64 {
    let p = (want.len() as f64).sqrt() as usize;
    assert_eq!(got.len(), want.len());
    let mut worst = 0.0_f64;
    for i in 0..p {
        for j in 0..p {
            let scale = (want[i * p + i] * want[j * p + j]).sqrt();
            worst = worst.max((got[i * p + j] - want[i * p + j]).abs() / scale);
        }
    }
    worst
}

fn options(lag: &str, adjust: bool) -> HacOptions {
    HacOptions {
        lag: if lag == "default" {
            None
        } else {
            Some(lag.parse().expect("lag"))
        },
        adjust,
        ..HacOptions::default()
    }
}

/// The Sicily design: rate per 100,000 on intercept, smokban, time, post = max(time − 36, 0)·smokban.
fn sicily() -> (Vec<Vec<f64>>, Vec<f64>) {
    let t = Table::read("sicily.csv");
    let (aces, stdpop) = (t.column("aces"), t.column("stdpop"));
    let (time, ban) = (t.column("time"), t.column("smokban"));
    let rate = aces.iter().zip(&stdpop).map(|(a, s)| a / s * 1e5).collect();
    let post = time
        .iter()
        .zip(&ban)
        .map(|(t, d)| (t - 36.0).max(0.0) * d)
        .collect();
    (vec![vec![1.0; time.len()], ban, time, post], rate)
}

#[test]
fn sicily_oracle_newey_west_lag_1() {
    let (columns, rate) = sicily();
    let x: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
    let fit = wls(
        &x,
        &["(Intercept)", "smokban", "time", "post"],
        &rate,
        &[1.0; 59],
    )
    .unwrap();
    let o = HacOptions {
        lag: Some(1),
        ..HacOptions::default()
    };
    let v = vcov_newey_west(&x, &fit.residuals, &fit.xtwx_inverse, &o).unwrap();
    // ORACLES.md: smokban −24.84436 (SE 6.55604), 1e-5 abs.
    assert!((fit.coefficients[1] - -24.84436).abs() < 1e-5);
    assert!((v[5].sqrt() - 6.55604).abs() < 1e-5, "SE {}", v[5].sqrt());
}

#[test]
fn sicily_full_matrices_match_r_and_statsmodels() {
    let (columns, rate) = sicily();
    let x: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
    let fit = wls(
        &x,
        &["(Intercept)", "smokban", "time", "post"],
        &rate,
        &[1.0; 59],
    )
    .unwrap();
    let r = references("references_r.csv", "adjust");
    let sm = references("references_statsmodels.csv", "use_correction");
    let mut checked = 0;
    for refs in [&r, &sm] {
        for ((case, lag, adjust), want) in refs.iter().filter(|(k, _)| k.0 == "sicily") {
            let o = options(lag, *adjust);
            let got = vcov_newey_west(&x, &fit.residuals, &fit.xtwx_inverse, &o).unwrap();
            let d = worst_difference(&got, want);
            assert!(d < TOL, "{case} lag {lag} adjust {adjust}: {d:e}");
            checked += 1;
        }
    }
    // R: lags 1 and 3; statsmodels: the same plus the default lag; each with and without scaling.
    assert_eq!(checked, 4 + 6);
}

/// Each R reference on R's own scores (multiplier) and the crate's bread.
#[test]
fn generated_series_match_r_sandwich() {
    let mut worst = 0.0_f64;
    let refs = references("references_r.csv", "adjust");
    let mut families = std::collections::BTreeSet::new();
    let generic = |k: &Key| k.0 != "sicily" && !k.0.starts_with("zw");
    for ((case, lag, adjust), want) in refs.iter().filter(|(k, _)| generic(k)) {
        let c = Case::read(case);
        let got = vcov_newey_west(
            &c.slices(),
            &c.multiplier,
            &c.bread(),
            &options(lag, *adjust),
        )
        .unwrap();
        let d = worst_difference(&got, want);
        assert!(d < TOL, "{case} lag {lag} adjust {adjust}: {d:e}");
        worst = worst.max(d);
        families.insert(case.split('_').next().unwrap_or("").to_string());
    }
    // OLS, WLS, Poisson and quasi-Poisson cases were all checked.
    assert_eq!(families.len(), 4, "{families:?}");
    eprintln!("worst difference from R: {worst:e}");
}

/// The Gaussian cases end to end: the crate's WLS residuals and bread, against R and statsmodels.
#[test]
fn generated_gaussian_fits_match_r_and_statsmodels_end_to_end() {
    let mut worst = 0.0_f64;
    let r = references("references_r.csv", "adjust");
    let sm = references("references_statsmodels.csv", "use_correction");
    let gaussian = |k: &Key| k.0.starts_with("ols") || k.0.starts_with("wls");
    let zero_weights = |k: &Key| k.0.starts_with("zw");
    let mut n_default = 0;
    let cases = r
        .iter()
        .filter(|(k, _)| gaussian(k))
        .chain(sm.iter().filter(|(k, _)| gaussian(k) || zero_weights(k)));
    for ((case, lag, adjust), want) in cases {
        let c = Case::read(case);
        let x = c.slices();
        let names: Vec<String> = (0..x.len()).map(|j| format!("x{j}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let fit = wls(&x, &names, &c.y, &c.weights).unwrap();
        let m: Vec<f64> = fit
            .residuals
            .iter()
            .zip(&c.weights)
            .map(|(e, w)| e * w)
            .collect();
        let got = vcov_newey_west(&x, &m, &fit.xtwx_inverse, &options(lag, *adjust)).unwrap();
        let d = worst_difference(&got, want);
        assert!(d < TOL, "{case} lag {lag} adjust {adjust}: {d:e}");
        worst = worst.max(d);
        n_default += usize::from(lag == "default");
    }
    assert_eq!(
        n_default,
        2 * 8,
        "statsmodels' default-lag references: 8 Gaussian cases × 2"
    );
    eprintln!("worst difference (end to end): {worst:e}");
}

/// Rows of zero prior weight, kept in the time axis with a zero score: the crate (and statsmodels,
/// checked above) give `BΩB`; R's `NeweyWest` on `lm(weights = w)` gives `(n_used/n)² BΩB`, because
/// `bread.lm` counts positive-weight rows while `meatHAC` divides by all rows.
#[test]
fn zero_weight_rows_differ_from_r_by_its_bread_scaling() {
    let c = Case::read("zw_n30_its");
    let (n, n_used) = (
        c.y.len() as f64,
        c.weights.iter().filter(|w| **w > 0.0).count() as f64,
    );
    assert_eq!((n, n_used), (30.0, 27.0));
    let refs = references("references_r.csv", "adjust");
    let mut checked = 0;
    for ((_, lag, adjust), want) in refs.iter().filter(|(k, _)| k.0 == "zw_n30_its") {
        let got = vcov_newey_west(
            &c.slices(),
            &c.multiplier,
            &c.bread(),
            &options(lag, *adjust),
        )
        .unwrap();
        let r_scaled: Vec<f64> = got.iter().map(|v| v * (n_used / n).powi(2)).collect();
        let d = worst_difference(&r_scaled, want);
        assert!(d < TOL, "lag {lag} adjust {adjust}: {d:e}");
        assert!(worst_difference(&got, want) > 0.1);
        checked += 1;
    }
    assert_eq!(checked, 2);
}

/// Quasi-Poisson: sandwich divides the scores by φ and multiplies the bread by φ; φ cancels.
#[test]
fn quasi_poisson_dispersion_cancels() {
    let c = Case::read("qpois_n60_season");
    let bread = c.bread();
    let o = HacOptions {
        lag: Some(2),
        ..HacOptions::default()
    };
    let plain = vcov_newey_west(&c.slices(), &c.multiplier, &bread, &o).unwrap();
    let phi = 3.7;
    let m: Vec<f64> = c.multiplier.iter().map(|v| v / phi).collect();
    let b: Vec<f64> = bread.iter().map(|v| v * phi).collect();
    let scaled = vcov_newey_west(&c.slices(), &m, &b, &o).unwrap();
    assert!(worst_difference(&scaled, &plain) < 1e-13);
}

#[test]
fn default_lag_rule() {
    // ⌊4 (n/100)^(2/9)⌋ at a few n, computed by hand.
    for (n, lag) in [
        (10, 2),
        (20, 2),
        (40, 3),
        (59, 3),
        (100, 4),
        (272, 4),
        (273, 5),
        (1000, 6),
    ] {
        assert_eq!(newey_west_default_lag(n), lag, "n = {n}");
    }
}

#[test]
fn bad_input_is_a_typed_error() {
    let one = [1.0; 5];
    let x = [1.0, 2.0, 3.0, 4.0, 5.0];
    let bread = [1.0, 0.0, 0.0, 1.0];
    let m = [0.1, -0.2, f64::NAN, 0.3, 0.0];
    let e = vcov_newey_west(&[&one, &x], &m, &bread, &HacOptions::default()).unwrap_err();
    assert!(e.to_string().contains("row 2"), "{e}");
    let e =
        vcov_newey_west(&[&one, &x[..4]], &[0.0; 5], &bread, &HacOptions::default()).unwrap_err();
    assert!(e.to_string().contains("columns[1]"), "{e}");
}
