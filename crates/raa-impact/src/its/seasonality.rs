//! Seasonal design columns: Fourier pairs or season indicators.

use super::spec::Seasonality;

/// Seasonal columns (name, values) for season values `s`.
pub(crate) fn columns(spec: &Seasonality, s: &[f64]) -> Vec<(String, Vec<f64>)> {
    match *spec {
        Seasonality::Fourier { period, harmonics } => fourier(period, harmonics, s),
        Seasonality::Dummies { period } => dummies(period, s),
    }
}

fn fourier(period: f64, harmonics: usize, s: &[f64]) -> Vec<(String, Vec<f64>)> {
    let mut out = Vec::with_capacity(2 * harmonics);
    for k in 1..=harmonics {
        let w = 2.0 * std::f64::consts::PI * k as f64 / period;
        out.push((
            format!("season_sin{k}"),
            s.iter().map(|v| (w * v).sin()).collect(),
        ));
        out.push((
            format!("season_cos{k}"),
            s.iter().map(|v| (w * v).cos()).collect(),
        ));
    }
    out
}

/// Season of value `v`: `((v − 1) mod period) + 1`, so months 1–12 keep their numbers.
fn season_of(v: f64, period: usize) -> i64 {
    (v as i64 - 1).rem_euclid(period as i64) + 1
}

fn dummies(period: usize, s: &[f64]) -> Vec<(String, Vec<f64>)> {
    let mut present: Vec<i64> = s.iter().map(|v| season_of(*v, period)).collect();
    present.sort_unstable();
    present.dedup();
    // The smallest season present is the reference, so no column is identically zero.
    present
        .iter()
        .skip(1)
        .map(|&k| {
            let col = s
                .iter()
                .map(|v| f64::from(u8::from(season_of(*v, period) == k)))
                .collect();
            (format!("season[{k}]"), col)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fourier_pairs_follow_the_period() {
        let cols = columns(
            &Seasonality::Fourier {
                period: 12.0,
                harmonics: 2,
            },
            &[3.0, 12.0],
        );
        assert_eq!(cols.len(), 4);
        assert!((cols[0].1[0] - 1.0).abs() < 1e-15); // sin(2π·3/12)
        assert!((cols[3].1[1] - 1.0).abs() < 1e-15); // cos(4π·12/12)
    }

    #[test]
    fn dummies_use_the_first_present_season_as_reference() {
        let s = [2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
        let cols = columns(&Seasonality::Dummies { period: 4 }, &s);
        let names: Vec<_> = cols.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(names, ["season[2]", "season[3]", "season[4]"]);
        assert_eq!(cols[0].1, vec![1.0, 0.0, 0.0, 0.0, 1.0, 0.0]);
    }
}
