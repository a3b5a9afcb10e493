//! The segmented-regression design: which rows enter the fit and the columns (trend, impact terms,
//! transition segments, seasonality, covariates, comparison-series interactions).

use super::seasonality;
use super::series::Sorted;
use super::spec::{Impact, Interruption, ItsSpec, Transition};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// What a design column stands for; the counterfactual sets the intervention's columns to zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Role {
    /// Pre-existing structure: trend, seasonality, covariates, the comparison series' terms.
    Baseline,
    /// A change due to interruption `interruption` (index into the spec); `treated_only` for the
    /// treated-minus-comparison interaction of a controlled ITS.
    Change {
        /// Index of the interruption.
        interruption: usize,
        /// A transition segment (bed-in, anticipation) rather than an impact shape.
        transition: bool,
        /// Treated-series-only term of a controlled ITS.
        treated_only: bool,
    },
}

/// Design columns without the intercept (the fitters add it, named `(Intercept)`).
#[derive(Debug, Clone)]
pub(crate) struct Design {
    pub names: Vec<String>,
    pub columns: Vec<Vec<f64>>,
    pub roles: Vec<Role>,
    /// Sorted-row index of each row used.
    pub kept: Vec<usize>,
}

impl Design {
    /// Whether column `j` is set to zero in the counterfactual.
    pub fn is_intervention(&self, j: usize, controlled: bool) -> bool {
        match self.roles[j] {
            Role::Baseline => false,
            Role::Change { treated_only, .. } => treated_only || !controlled,
        }
    }
}

fn suffix(spec: &ItsSpec, i: usize) -> String {
    let label = &spec.interruptions[i].label;
    match (label.is_empty(), spec.interruptions.len()) {
        (true, 1) => String::new(),
        (true, _) => format!(":{}", i + 1),
        (false, _) => format!(":{label}"),
    }
}

fn indicator(t: &[f64], from: f64, to: f64) -> Vec<f64> {
    t.iter()
        .map(|&v| f64::from(u8::from(v >= from && v < to)))
        .collect()
}

/// Columns of one interruption: transition segments, then impact shapes.
fn change_columns(spec: &ItsSpec, i: usize, t: &[f64]) -> Vec<(String, Vec<f64>, bool)> {
    let it = &spec.interruptions[i];
    let sfx = suffix(spec, i);
    let mut out = Vec::new();
    if it.transition == Transition::Segment {
        segment(
            &mut out,
            "anticipation",
            it.anticipation_start(),
            it.time,
            &sfx,
            t,
        );
        segment(&mut out, "bed_in", it.time, it.effective_time(), &sfx, t);
    }
    let big_t = it.effective_time();
    for imp in &it.impacts {
        let col = t
            .iter()
            .map(|&v| impact_value(*imp, v, big_t, spec.slope_origin))
            .collect();
        out.push((format!("{}{sfx}", imp.name()), col, false));
    }
    out
}

fn segment(
    out: &mut Vec<(String, Vec<f64>, bool)>,
    name: &str,
    from: f64,
    to: f64,
    sfx: &str,
    t: &[f64],
) {
    let len = to - from;
    if len < 1.0 {
        return;
    }
    let d = indicator(t, from, to);
    if len >= 2.0 {
        let slope = t.iter().zip(&d).map(|(v, d)| (v - from) * d).collect();
        out.push((format!("{name}{sfx}"), d, true));
        out.push((format!("{name}_slope{sfx}"), slope, true));
    } else {
        out.push((format!("{name}{sfx}"), d, true));
    }
}

fn impact_value(imp: Impact, t: f64, big_t: f64, origin: f64) -> f64 {
    let d = f64::from(u8::from(t >= big_t));
    match imp {
        Impact::Step => d,
        Impact::Slope => (t - big_t + origin) * d,
        Impact::Pulse => f64::from(u8::from(t == big_t)),
        Impact::Ramp { periods } => d * ((t - big_t + 1.0) / periods as f64).min(1.0),
    }
}

/// Rows left out: transition periods in `Exclude` mode.
fn excluded(it: &Interruption, t: f64) -> bool {
    it.transition == Transition::Exclude && t >= it.anticipation_start() && t < it.effective_time()
}

/// Build the design for a checked series.
pub(crate) fn build(spec: &ItsSpec, s: &Sorted) -> Result<Design> {
    check_interruptions(spec, s)?;
    let kept: Vec<usize> = (0..s.len())
        .filter(|&r| !spec.interruptions.iter().any(|it| excluded(it, s.time[r])))
        .collect();
    let pick = |c: &[f64]| kept.iter().map(|&r| c[r]).collect::<Vec<f64>>();
    let t = pick(&s.time);
    let mut d = Design {
        names: Vec::new(),
        columns: Vec::new(),
        roles: Vec::new(),
        kept: kept.clone(),
    };
    if spec.trend {
        d.push("time", t.clone(), Role::Baseline);
    }
    for i in 0..spec.interruptions.len() {
        for (name, col, transition) in change_columns(spec, i, &t) {
            let role = Role::Change {
                interruption: i,
                transition,
                treated_only: false,
            };
            d.push(&name, col, role);
        }
    }
    if let Some(season) = &spec.seasonality {
        for (name, col) in seasonality::columns(season, &pick(&s.season)) {
            d.push(&name, col, Role::Baseline);
        }
    }
    for (name, col) in &s.covariates {
        d.push(name, pick(col), Role::Baseline);
    }
    if let Some(g) = &s.group {
        add_group_terms(&mut d, &pick(g), spec.trend);
    }
    check_size(spec, s, &d)?;
    Ok(d)
}

impl Design {
    fn push(&mut self, name: &str, col: Vec<f64>, role: Role) {
        self.names.push(name.to_string());
        self.columns.push(col);
        self.roles.push(role);
    }
}

/// Controlled ITS: the comparison series sets the baseline; the treated series gets its own level,
/// trend and changes (the changes of interest are these interactions).
fn add_group_terms(d: &mut Design, g: &[f64], trend: bool) {
    let base: Vec<(String, Vec<f64>, Role)> = d
        .names
        .iter()
        .zip(&d.columns)
        .zip(&d.roles)
        .filter(|((name, _), role)| {
            !matches!(role, Role::Baseline) || (trend && name.as_str() == "time")
        })
        .map(|((name, col), role)| {
            let inter: Vec<f64> = col.iter().zip(g).map(|(v, g)| v * g).collect();
            let role = match *role {
                Role::Change {
                    interruption,
                    transition,
                    ..
                } => Role::Change {
                    interruption,
                    transition,
                    treated_only: true,
                },
                Role::Baseline => Role::Baseline,
            };
            (format!("group:{name}"), inter, role)
        })
        .collect();
    d.push("group", g.to_vec(), Role::Baseline);
    for (name, col, role) in base {
        d.push(&name, col, role);
    }
}

fn check_interruptions(spec: &ItsSpec, s: &Sorted) -> Result<()> {
    let (lo, hi) = (s.time[0], s.time.iter().copied().fold(f64::MIN, f64::max));
    let lo = s.time.iter().copied().fold(lo, f64::min);
    if spec.interruptions.is_empty() {
        return Err(Error::argument(
            "interruption",
            "give at least one interruption time",
        ));
    }
    let mut previous = f64::NEG_INFINITY;
    for (i, it) in spec.interruptions.iter().enumerate() {
        let at = it.time;
        if !at.is_finite() || at.fract() != 0.0 {
            return Err(Error::argument(
                "interruption",
                format!("{at} is not a whole time period"),
            ));
        }
        if at <= lo || at > hi {
            return Err(Error::argument(
                "interruption",
                format!("{at} is outside the series (times {lo}–{hi}); it must have at least one point before it and be at most {hi}"),
            ));
        }
        if it.effective_time() > hi {
            return Err(Error::argument(
                "bed_in",
                format!(
                    "a bed-in of {} periods after {at} ends after the last time point {hi}",
                    it.bed_in
                ),
            ));
        }
        if let Some(Impact::Ramp { periods: 0 }) = it
            .impacts
            .iter()
            .find(|m| matches!(m, Impact::Ramp { periods: 0 }))
        {
            return Err(Error::argument("impact", "a ramp needs at least 1 period"));
        }
        if it.impacts.is_empty() {
            return Err(Error::argument(
                "impact",
                format!("interruption {} has no impact shape", i + 1),
            ));
        }
        if at <= previous {
            return Err(Error::argument(
                "interruption",
                "interruptions must be given in increasing time order",
            ));
        }
        previous = at;
    }
    Ok(())
}

/// Enough points before the first change and after each interruption, and more rows than
/// coefficients.
fn check_size(spec: &ItsSpec, s: &Sorted, d: &Design) -> Result<()> {
    let times: Vec<f64> = d.kept.iter().map(|&r| s.time[r]).collect();
    let first = &spec.interruptions[0];
    let before = times
        .iter()
        .filter(|&&t| t < first.anticipation_start())
        .count();
    let need_before = if spec.trend { 2 } else { 1 };
    if before < need_before {
        return Err(Error::argument(
            "interruption",
            format!("{before} time point(s) before the interruption at {}; the pre-period needs at least {need_before}", first.time),
        ));
    }
    for it in &spec.interruptions {
        let after = times.iter().filter(|&&t| t >= it.effective_time()).count();
        let need = if it
            .impacts
            .iter()
            .any(|m| matches!(m, Impact::Slope | Impact::Ramp { .. }))
        {
            2
        } else {
            1
        };
        if after < need {
            return Err(Error::argument(
                "interruption",
                format!(
                    "{after} time point(s) from {} on; a {} change needs at least {need}",
                    it.effective_time(),
                    if need == 2 { "slope" } else { "level" }
                ),
            ));
        }
    }
    let p = d.names.len() + 1;
    let extra = spec.errors.ar_parameters();
    let need = p + 1 + extra;
    if times.len() < need {
        return Err(Error::argument(
            "y",
            format!(
                "series too short for the model: {} time points are used but the model has {p} coefficients{} and needs at least {need}",
                times.len(),
                if extra > 0 { format!(" and {extra} autoregressive parameter(s)") } else { String::new() }
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::its::series::Series;
    use crate::its::spec::Family;

    fn sorted(n: usize) -> Sorted {
        let t: Vec<f64> = (1..=n).map(|v| v as f64).collect();
        let y: Vec<f64> = t.iter().map(|v| v * 2.0).collect();
        Series::new(&t, &y).checked(Family::Gaussian).unwrap()
    }

    #[test]
    fn huitema_mckean_coding_measures_the_step_at_the_interruption() {
        let spec = ItsSpec {
            interruptions: vec![Interruption::at(5.0)],
            ..ItsSpec::default()
        };
        let d = build(&spec, &sorted(8)).unwrap();
        assert_eq!(d.names, ["time", "step", "slope"]);
        assert_eq!(d.columns[1], vec![0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]);
        assert_eq!(d.columns[2], vec![0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0]);
    }

    #[test]
    fn bed_in_is_excluded_or_segmented() {
        let it = Interruption::at(5.0).with_bed_in(2);
        let spec = ItsSpec {
            interruptions: vec![it.clone()],
            ..ItsSpec::default()
        };
        let d = build(&spec, &sorted(10)).unwrap();
        assert_eq!(d.kept, vec![0, 1, 2, 3, 6, 7, 8, 9]);
        assert_eq!(d.columns[1], vec![0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]);
        let seg = Interruption {
            transition: Transition::Segment,
            ..it
        };
        let spec = ItsSpec {
            interruptions: vec![seg],
            ..ItsSpec::default()
        };
        let d = build(&spec, &sorted(10)).unwrap();
        assert_eq!(d.names, ["time", "bed_in", "bed_in_slope", "step", "slope"]);
        assert_eq!(
            d.columns[1],
            vec![0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]
        );
        assert_eq!(d.columns[2][5], 1.0);
        assert_eq!(d.columns[3][6], 1.0);
    }

    #[test]
    fn ramp_and_pulse_shapes() {
        let it =
            Interruption::at(3.0).with_impacts(vec![Impact::Pulse, Impact::Ramp { periods: 2 }]);
        let spec = ItsSpec {
            interruptions: vec![it],
            ..ItsSpec::default()
        };
        let d = build(&spec, &sorted(6)).unwrap();
        assert_eq!(d.columns[1], vec![0.0, 0.0, 1.0, 0.0, 0.0, 0.0]);
        assert_eq!(d.columns[2], vec![0.0, 0.0, 0.5, 1.0, 1.0, 1.0]);
    }

    #[test]
    fn bad_interruptions_and_short_series_are_errors() {
        let out = ItsSpec {
            interruptions: vec![Interruption::at(20.0)],
            ..ItsSpec::default()
        };
        assert!(build(&out, &sorted(8))
            .unwrap_err()
            .to_string()
            .contains("outside the series"));
        let short = ItsSpec {
            interruptions: vec![Interruption::at(3.0)],
            ..ItsSpec::default()
        };
        let e = build(&short, &sorted(4)).unwrap_err().to_string();
        assert!(
            e.contains("series too short") && e.contains("needs at least 5"),
            "{e}"
        );
    }
}
