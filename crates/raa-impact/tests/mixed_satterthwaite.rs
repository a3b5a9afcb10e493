//! A case where the Satterthwaite df are known exactly: a balanced random-intercept design with a
//! covariate that is constant within unit. Its coefficient (and the intercept) is estimated from
//! the unit means alone, whose residual variance has `m − 2` degrees of freedom; a purely
//! within-unit covariate gets `m(n − 1) − 1`.

use raa_impact::mixed::{fit_mixed, MixedInput, MixedOptions};

#[test]
fn balanced_between_and_within_unit_df_are_exact() {
    let (m, n) = (20u64, 6usize);
    let (mut y, mut w, mut x, mut unit, mut time) = (vec![], vec![], vec![], vec![], vec![]);
    for u in 0..m {
        let wu = ((u * 37 % 11) as f64) / 3.0;
        let a = ((u * 7919 % 13) as f64 - 6.0) / 4.0;
        // Within-unit covariate centred per unit, so that it is orthogonal to the unit means.
        let xs: Vec<f64> = (0..n)
            .map(|s| (((u as usize * 5 + s * 3) % 7) as f64).sin())
            .collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        for (s, xv) in xs.iter().enumerate() {
            let e = ((u as usize * 31 + s * 17) as f64 * 1.3).sin();
            w.push(wu);
            x.push(xv - mean);
            y.push(1.0 + 0.5 * wu + 0.8 * (xv - mean) + a + e);
            unit.push(u);
            time.push(s as f64);
        }
    }
    let names = vec!["w".to_string(), "x".to_string()];
    let input = MixedInput {
        y: &y,
        x: &[&w, &x],
        x_names: &names,
        unit: &unit,
        group: None,
        time: &time,
    };
    let fit = fit_mixed(&input, &MixedOptions::default()).expect("fit");
    assert!(fit.warnings.is_empty(), "{:?}", fit.warnings);
    let between = (m - 2) as f64;
    let within = (m as usize * (n - 1) - 1) as f64;
    eprintln!("df {:?}; exact {between}, {between}, {within}", fit.df);
    assert!((fit.df[0] - between).abs() / between < 1e-3, "{:?}", fit.df);
    assert!((fit.df[1] - between).abs() / between < 1e-3, "{:?}", fit.df);
    assert!((fit.df[2] - within).abs() / within < 1e-3, "{:?}", fit.df);
}
