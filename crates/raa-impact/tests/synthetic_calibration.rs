//! Calibration of synthetic England against the published national figures in
//! `tests/data/national_adoption_calibration.csv` (read here, not hard-coded).

mod synthetic_common;

use raa_impact::synthetic::{england, SyntheticConfig};
use synthetic_common::{achieved, targets};

/// Print the achieved figures beside the targets (run with `--ignored --nocapture`).
#[test]
#[ignore]
fn print_calibration_table() {
    let scale: f64 = std::env::var("SYN_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let t0 = std::time::Instant::now();
    let e = england(&SyntheticConfig {
        scale,
        ..Default::default()
    })
    .expect("generates");
    println!("generated in {:?}", t0.elapsed());
    let a = achieved(&e);
    let t = targets();
    for (y, v) in &t.adoptions {
        println!(
            "adoptions {y}: target {v} achieved {:.0}",
            a.adoptions.get(y).copied().unwrap_or(0.0)
        );
    }
    for (y, v) in &a.cla {
        println!("cla {y}: target {:?} achieved {v:.0}", t.cla.get(y));
    }
    println!(
        "A1 {} vs {:.0}; A2 {} vs {:.0}",
        t.a1_2015_18, a.a1_2015_18, t.a2_2015_18, a.a2_2015_18
    );
    println!(
        "ADM q {} -> {} vs {:.0} -> {:.0}",
        t.adm_q2_2013, t.adm_q3_2014, a.adm_q2_2013, a.adm_q3_2014
    );
    println!("age {} {} vs {:?}", t.age_2015, t.age_2016, a.age_by_year);
    println!(
        "htp {:.0} other {:.0}",
        a.htp_entry_to_placed_2015, a.other_entry_to_placed_2015
    );
    println!(
        "episode rows {} header {} ad1 {} pa {}",
        a.episode_rows,
        e.returns.header.len(),
        e.returns.ad1.len(),
        e.returns.placed_adoption.len()
    );
}
