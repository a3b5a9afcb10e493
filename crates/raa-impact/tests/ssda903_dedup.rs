//! Stacking several years of returns: hand-built overlapping returns of one or two LAs.

use raa_impact::data::ssda903::dedup::stack;
use raa_impact::data::ssda903::read::{read_dir, read_paths, ReadOptions};
use raa_impact::data::ssda903::validate::validate;
use raa_impact::data::ssda903::{Returns, Severity, Table};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use std::path::{Path, PathBuf};

const EP: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n";
const HD: &str = "CHILD,SEX,DOB,ETHNIC,DISABILITY\n";

fn write(dir: &Path, rel: &str, content: &str) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, content).unwrap();
    p
}

/// LA 316: child A's first episode is open in the 2016 return and closed in 2017, when a second
/// episode starts; child B is only in 2016. LA 202 has its own child A (a different child).
fn two_years(dir: &Path) -> Vec<PathBuf> {
    vec![
        write(
            dir,
            "316/2016/header.csv",
            &format!("{HD}A,1,01/01/2010,WBRI,1\nB,2,01/01/2011,WBRI,\n"),
        ),
        write(
            dir,
            "316/2016/episodes.csv",
            &format!(
                "{EP}A,01/06/2015,S,C2,N1,U6,PR1,,\nB,01/07/2015,S,V2,N1,U6,PR1,01/08/2015,E4A\n"
            ),
        ),
        write(
            dir,
            "316/2017/header.csv",
            &format!("{HD}A,1,01/01/2010,WBRI,\n"),
        ),
        write(
            dir,
            "316/2017/episodes.csv",
            &format!(
                "{EP}A,01/06/2015,S,C2,N1,U6,PR1,01/05/2016,X1\nA,01/05/2016,L,E1,N1,U6,PR1,,\n"
            ),
        ),
        write(
            dir,
            "202/2017/header.csv",
            &format!("{HD}A,2,01/01/2012,WBRI,\n"),
        ),
        write(
            dir,
            "202/2017/episodes.csv",
            &format!("{EP}A,01/06/2015,S,C2,N1,U6,PR1,,\n"),
        ),
    ]
}

#[test]
fn latest_year_wins_and_superseded_rows_are_counted() {
    let d = tempfile::tempdir().unwrap();
    two_years(d.path());
    let raw = read_dir(
        d.path(),
        &ReadOptions {
            stack: false,
            ..ReadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(raw.episodes.len(), 5);
    let r = read_dir(d.path(), &ReadOptions::default()).unwrap();
    assert_eq!(r.superseded.episodes, 1);
    assert_eq!(r.superseded.header, 1);
    assert_eq!(r.episodes.len(), 4);
    let a316: Vec<_> = r
        .episodes
        .iter()
        .filter(|e| e.src.la == "316" && e.child == "A")
        .collect();
    assert_eq!(a316.len(), 2);
    // The first episode is the 2017 version: closed with X1.
    assert_eq!((a316[0].src.year, a316[0].rec.as_str()), (2017, "X1"));
    assert!(a316[0].dec.is_some());
    // LA 202's child A is a different child and is kept.
    assert_eq!(r.episodes.iter().filter(|e| e.src.la == "202").count(), 1);
    // Child B, only in 2016, is kept.
    assert!(r.episodes.iter().any(|e| e.child == "B"));
    // Header: the 2017 row wins whole, even though its DISABILITY is blank and 2016's was 1.
    let h: Vec<_> = r
        .header
        .iter()
        .filter(|h| h.src.la == "316" && h.child == "A")
        .collect();
    assert_eq!(h.len(), 1);
    assert_eq!((h[0].src.year, h[0].disability), (2017, None));
    // No tie warnings: every repeat was across years. The stacked journey validates cleanly
    // on the episode-sequence rules.
    assert!(r.read_problems.is_empty(), "{:?}", r.read_problems);
    let v = validate(&r);
    assert_eq!(v.count("open_episode_not_last"), 0);
    assert_eq!(v.count("episode_overlap"), 0);
    // Unstacked, the 2016 open copy and the 2017 closed copy count once.
    let v = validate(&raw);
    assert_eq!(v.count("open_episode_not_last"), 0, "{:?}", v.problems);
}

#[test]
fn same_year_ties_keep_the_later_file_and_warn() {
    let d = tempfile::tempdir().unwrap();
    let row1 = "A,01/06/2015,S,C2,N1,U6,PR1,,\n";
    let row2 = "A,01/06/2015,S,C2,N1,U4,PR1,,\n";
    write(d.path(), "316/2016/a/episodes.csv", &format!("{EP}{row1}"));
    write(
        d.path(),
        "316/2016/b/episodes.csv",
        &format!("{EP}{row2}{row1}"),
    );
    let r = read_dir(d.path(), &ReadOptions::default()).unwrap();
    assert_eq!(r.episodes.len(), 1);
    assert_eq!(r.superseded.episodes, 2);
    // Order: a/episodes row 1, b/episodes row 1, b/episodes row 2 -> the last one is kept.
    let kept = &r.episodes[0];
    assert_eq!(
        (
            r.files[kept.src.file as usize].path.contains("/b/"),
            kept.src.row,
            kept.place.as_str()
        ),
        (true, 2, "U6")
    );
    let warn: Vec<_> = r
        .read_problems
        .iter()
        .filter(|p| p.rule == "duplicate_episode")
        .collect();
    assert_eq!(warn.len(), 2);
    assert!(warn
        .iter()
        .all(|p| p.severity == Severity::Warning && p.table == Table::Episodes));
    assert!(warn.iter().any(|p| p.file.contains("/a/") && p.row == 1));
    assert!(warn.iter().any(|p| p.file.contains("/b/") && p.row == 1));
}

#[test]
fn header_duplicates_in_one_return_are_reported_by_stacking() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "316/2016/header.csv",
        &format!("{HD}A,1,01/01/2010,WBRI,\nA,1,01/01/2010,WBRI,\n"),
    );
    let r = read_dir(d.path(), &ReadOptions::default()).unwrap();
    assert_eq!(r.header.len(), 1);
    assert_eq!(r.superseded.header, 1);
    assert_eq!(validate(&r).count("duplicate_child"), 1);
}

#[test]
fn rows_without_identity_are_all_kept() {
    let d = tempfile::tempdir().unwrap();
    let rows = "A,,S,C2,N1,U6,PR1,,\nA,,S,C2,N1,U6,PR1,,\n,01/06/2015,S,C2,N1,U6,PR1,,\n,01/06/2015,S,C2,N1,U6,PR1,,\n";
    write(d.path(), "316/2016/episodes.csv", &format!("{EP}{rows}"));
    let r = read_dir(d.path(), &ReadOptions::default()).unwrap();
    assert_eq!(r.episodes.len(), 4);
    assert_eq!(r.superseded.episodes, 0);
}

fn json(r: &Returns) -> String {
    serde_json::to_string(r).unwrap()
}

#[test]
fn stacking_is_deterministic_and_idempotent() {
    let d = tempfile::tempdir().unwrap();
    let mut paths = two_years(d.path());
    let first = read_paths(&paths, &ReadOptions::default()).unwrap();
    paths.reverse();
    assert_eq!(
        json(&read_paths(&paths, &ReadOptions::default()).unwrap()),
        json(&first)
    );
    let again = stack(first.clone());
    assert_eq!(json(&again), json(&first), "stacking twice changes nothing");
    // Shuffle the files and rows of unstacked returns in memory: the stack is the same.
    let raw = read_paths(
        &paths,
        &ReadOptions {
            stack: false,
            ..ReadOptions::default()
        },
    )
    .unwrap();
    for seed in 0..20 {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut shuffled = raw.clone();
        let mut order: Vec<usize> = (0..shuffled.files.len()).collect();
        order.shuffle(&mut rng);
        shuffled.files = order.iter().map(|&i| raw.files[i].clone()).collect();
        let new_of_old: Vec<u32> = (0..order.len())
            .map(|old| order.iter().position(|&o| o == old).unwrap() as u32)
            .collect();
        shuffled
            .episodes
            .iter_mut()
            .for_each(|e| e.src.file = new_of_old[e.src.file as usize]);
        shuffled
            .header
            .iter_mut()
            .for_each(|e| e.src.file = new_of_old[e.src.file as usize]);
        shuffled.episodes.shuffle(&mut rng);
        shuffled.header.shuffle(&mut rng);
        assert_eq!(json(&stack(shuffled)), json(&first), "seed {seed}");
    }
}

#[test]
fn stacked_read_equals_stacking_the_unstacked_read() {
    // `a/b` sorts before `a-b` as a path (component by component) but after it as text, and
    // stacking orders files as text: the tie below is decided by that order.
    let d = tempfile::tempdir().unwrap();
    two_years(d.path());
    let row1 = "A,01/06/2015,S,C2,N1,U6,PR1,,\n";
    let row2 = "A,01/06/2015,S,C2,N1,U4,PR1,,\n";
    write(
        d.path(),
        "316/2018/a/b/episodes.csv",
        &format!("{EP}{row1}"),
    );
    write(
        d.path(),
        "316/2018/a-b/episodes.csv",
        &format!("{EP}{row2}"),
    );
    write(
        d.path(),
        "316/2018/a/b/header.csv",
        &format!("{HD}A,1,01/01/2010,WBRI,\n"),
    );
    let unstacked = ReadOptions {
        stack: false,
        ..ReadOptions::default()
    };
    let raw = read_dir(d.path(), &unstacked).unwrap();
    let stacked = read_dir(d.path(), &ReadOptions::default()).unwrap();
    assert_eq!(json(&stacked), json(&stack(raw)));
    assert!(stacked.superseded.episodes >= 2 && stacked.superseded.header >= 2);
    assert!(stacked
        .read_problems
        .iter()
        .any(|p| p.rule == "duplicate_episode"));
}
