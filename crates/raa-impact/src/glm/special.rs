//! Digamma and trigamma for positive arguments (the score and information of the negative
//! binomial θ). Both shift the argument up by the recurrences `psi(x) = psi(x + 1) - 1/x` and
//! `psi'(x) = psi'(x + 1) + 1/x^2` until it is at least 10, then use the asymptotic series, whose
//! truncation error there is far below double precision.

/// Arguments from which the asymptotic series is used.
const LARGE: f64 = 10.0;

/// `digamma(x)` for `x > 0`.
pub(crate) fn digamma(mut x: f64) -> f64 {
    let mut shift = 0.0;
    while x < LARGE {
        shift -= 1.0 / x;
        x += 1.0;
    }
    let r = 1.0 / (x * x);
    // Bernoulli-number series: 1/12, 1/120, 1/252, 1/240, 1/132, 691/32760, 1/12.
    let series = r
        * (1.0 / 12.0
            - r * (1.0 / 120.0
                - r * (1.0 / 252.0
                    - r * (1.0 / 240.0 - r * (1.0 / 132.0 - r * (691.0 / 32760.0 - r / 12.0))))));
    shift + x.ln() - 0.5 / x - series
}

/// `trigamma(x)` for `x > 0`.
pub(crate) fn trigamma(mut x: f64) -> f64 {
    let mut shift = 0.0;
    while x < LARGE {
        shift += 1.0 / (x * x);
        x += 1.0;
    }
    let r = 1.0 / (x * x);
    // 1/x + 1/(2x^2) + sum B_2k / x^(2k+1): 1/6, -1/30, 1/42, -1/30, 5/66, -691/2730, 7/6.
    let series = (1.0
        + r * (1.0 / 6.0
            - r * (1.0 / 30.0
                - r * (1.0 / 42.0
                    - r * (1.0 / 30.0
                        - r * (5.0 / 66.0 - r * (691.0 / 2730.0 - r * 7.0 / 6.0)))))))
        / x;
    shift + series + 0.5 * r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // digamma(1) = -Euler's gamma; trigamma(1) = pi^2 / 6; digamma(0.5) = -gamma - 2 ln 2.
        let euler = 0.577_215_664_901_532_9;
        assert!((digamma(1.0) + euler).abs() < 1e-15);
        assert!((digamma(0.5) + euler + 2.0 * 2f64.ln()).abs() < 1e-14);
        let pi2 = std::f64::consts::PI * std::f64::consts::PI;
        assert!((trigamma(1.0) - pi2 / 6.0).abs() < 1e-14);
        assert!((trigamma(0.5) - pi2 / 2.0).abs() < 1e-13);
        // Recurrences at a large argument.
        let x = 1234.5;
        assert!((digamma(x + 1.0) - digamma(x) - 1.0 / x).abs() < 1e-14);
        assert!(((trigamma(x) - trigamma(x + 1.0)) * x * x - 1.0).abs() < 1e-9);
    }
}
