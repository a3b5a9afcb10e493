//! Builders of hand-made SSDA903 returns for the journey tests (no reader needed).
#![allow(dead_code)]

use raa_impact::data::date::{parse_date, Date};
use raa_impact::data::ssda903::{
    Ad1Row, EpisodeRow, HeaderRow, PlacedAdoptionRow, Returns, Source,
};

/// `YYYY-MM-DD` → date (test input only).
pub fn d(s: &str) -> Date {
    parse_date(s).unwrap_or_else(|| panic!("bad test date {s}"))
}

fn od(s: &str) -> Option<Date> {
    if s.is_empty() {
        None
    } else {
        Some(d(s))
    }
}

/// Builds `Returns` row by row; every row gets a distinct source row number.
pub struct Build {
    pub r: Returns,
    pub la: String,
    next_row: u64,
}

impl Default for Build {
    fn default() -> Self {
        Build::new()
    }
}

impl Build {
    pub fn new() -> Self {
        Build {
            r: Returns::default(),
            la: "886".into(),
            next_row: 1,
        }
    }

    /// Switch the LA of the rows that follow.
    pub fn la(&mut self, la: &str) -> &mut Self {
        self.la = la.into();
        self
    }

    fn src(&mut self) -> Source {
        let row = self.next_row;
        self.next_row += 1;
        Source {
            file: 0,
            row,
            la: self.la.as_str().into(),
            year: 2018,
        }
    }

    pub fn header(&mut self, child: &str, sex: &str, dob: &str, ethnic: &str) -> &mut Self {
        let src = self.src();
        self.r.header.push(HeaderRow {
            src,
            child: child.into(),
            sex: sex.into(),
            dob: od(dob),
            ethnic: ethnic.into(),
            sibling_group: None,
            disability: None,
        });
        self
    }

    /// An episode: DECOM, RNE, LS, PLACE, DEC ("" when open), REC. CIN is N1.
    #[allow(clippy::too_many_arguments)]
    pub fn ep(
        &mut self,
        child: &str,
        decom: &str,
        rne: &str,
        ls: &str,
        place: &str,
        dec: &str,
        rec: &str,
    ) -> &mut Self {
        let src = self.src();
        self.r.episodes.push(EpisodeRow {
            src,
            child: child.into(),
            decom: od(decom),
            rne: rne.into(),
            ls: ls.into(),
            cin: "N1".into(),
            place: place.into(),
            place_provider: "PR1".into(),
            dec: od(dec),
            rec: rec.into(),
            reason_place_change: Default::default(),
            home_post: Default::default(),
            pl_post: Default::default(),
            urn: Default::default(),
        });
        self
    }

    pub fn ad1(
        &mut self,
        child: &str,
        date_int: &str,
        date_match: &str,
        foster_care: &str,
    ) -> &mut Self {
        let src = self.src();
        self.r.ad1.push(Ad1Row {
            src,
            child: child.into(),
            dob: None,
            date_int: od(date_int),
            date_match: od(date_match),
            foster_care: foster_care.into(),
            nb_adoptr: "2".into(),
            sex_adoptr: "MF".into(),
            ls_adoptr: "L0".into(),
        });
        self
    }

    pub fn pa(&mut self, child: &str, date_placed: &str, ceased: &str, reason: &str) -> &mut Self {
        let src = self.src();
        self.r.placed_adoption.push(PlacedAdoptionRow {
            src,
            child: child.into(),
            dob: None,
            date_placed: od(date_placed),
            date_placed_ceased: od(ceased),
            reason_placed_ceased: reason.into(),
        });
        self
    }
}
