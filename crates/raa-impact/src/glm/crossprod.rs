//! The weighted cross-products of an IRLS step, `X'WX` and `X'Wr`, summed over blocks of rows:
//! the upper triangle of `(WX)' [X | r]`.
//!
//! A register-tiled kernel on the design's own columns (no copy of the rows): each tile holds the
//! sums of 3 weighted columns against 3 columns, in [`LANES`] fixed lanes of consecutive rows,
//! updated with fused multiply-adds; only tiles that touch the upper triangle are computed. A
//! general matrix product would compute the whole square (padded to its panel width, 16 × 16 for
//! 11 coefficients: three times the 77 sums needed) and copy both operands into panels first.
//!
//! The tile update uses AVX2 fused multiply-adds when the CPU has them: `pulp` detects the
//! features at run time and safely runs a copy of the loop compiled with them. Elsewhere the same
//! four lanes are computed with `f64::mul_add`. The lanes, the tiles and the order of every
//! addition are fixed in the code and a fused multiply-add rounds once on every machine, so the
//! sums do not depend on the CPU or on the thread count, only on the block.

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
use pulp::x86::V3;
use pulp::NullaryFnOnce;

/// Rows summed side by side in each accumulator (one AVX2 register of `f64`).
const LANES: usize = 4;
/// Weighted columns per tile.
const TJ: usize = 3;
/// Columns per tile. A 3 × 3 tile keeps its 9 accumulators and 6 operands in the 16 AVX2
/// registers (a 3 × 4 tile spilled accumulators to the stack).
const TK: usize = 3;
/// Most rows in one block (the caller's block size).
pub(crate) const MAX_BLOCK: usize = 256;

static ONES: [f64; MAX_BLOCK] = [1.0; MAX_BLOCK];
static ZEROS: [f64; MAX_BLOCK] = [0.0; MAX_BLOCK];

/// A column of the design in a block: a slice of the data, or the intercept.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Column<'a> {
    Values(&'a [f64]),
    Ones,
}

/// Sums of one tile, lane by lane.
type TileSums = [[Lanes; TK]; TJ];

/// Running sums of `(WX)' [X | r]` over blocks of rows, for `p` design columns.
#[derive(Debug, Clone)]
pub(crate) struct CrossProducts {
    p: usize,
    /// Weighted columns `w x_j` of the current block, `MAX_BLOCK` apart; rows from `p` up to the
    /// tile multiple stay zero.
    wx: Vec<f64>,
    /// Tiles by (row of tiles, column of tiles); tiles below the diagonal are never touched.
    tiles: Vec<TileSums>,
    /// Tiles per row of tiles.
    tk: usize,
    /// AVX2 and FMA, when the CPU has them.
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    v3: Option<V3>,
}

impl CrossProducts {
    pub fn new(p: usize) -> Self {
        let tj = p.div_ceil(TJ);
        let tk = (p + 1).div_ceil(TK);
        CrossProducts {
            p,
            wx: vec![0.0; tj * TJ * MAX_BLOCK],
            tiles: vec![[[[0.0; LANES]; TK]; TJ]; tj * tk],
            tk,
            #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
            v3: V3::try_new(),
        }
    }

    /// Add the rows of one block (at most [`MAX_BLOCK`]): weights `w`, the `p` design columns
    /// (each as long as `w`) and the working residuals `r` (none: only `X'WX` is wanted).
    pub fn add(&mut self, w: &[f64], x: &[Column<'_>], r: Option<&[f64]>) {
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        if let Some(v3) = self.v3 {
            let fma = move |a: Lanes, b: Lanes, c: Lanes| -> Lanes {
                pulp::cast(v3.mul_add_f64x4(pulp::cast(a), pulp::cast(b), pulp::cast(c)))
            };
            return v3.vectorize(AddBlock {
                cp: self,
                w,
                x,
                r,
                fma,
            });
        }
        AddBlock {
            cp: self,
            w,
            x,
            r,
            fma: fma_lanes,
        }
        .call();
    }

    /// The sums so far: `X'WX` (p×p row-major, upper triangle) and `X'Wr`, each lane total
    /// added in a fixed order.
    pub fn totals(&self, xtwx: &mut [f64], xtwr: &mut [f64]) {
        let p = self.p;
        let total = |j: usize, k: usize| {
            let l = &self.tiles[j / TJ * self.tk + k / TK][j % TJ][k % TK];
            (l[0] + l[1]) + (l[2] + l[3])
        };
        for j in 0..p {
            for k in j..p {
                xtwx[j * p + k] = total(j, k);
            }
            xtwr[j] = total(j, p);
        }
    }
}

/// Four lanes of sums.
type Lanes = [f64; LANES];

/// `a * b + c` lane by lane, each rounded once.
#[inline(always)]
fn fma_lanes(a: Lanes, b: Lanes, c: Lanes) -> Lanes {
    std::array::from_fn(|l| a[l].mul_add(b[l], c[l]))
}

/// One block's update with a given lane-wise fused multiply-add; run through `pulp`, its `call`
/// and everything it calls are inlined into the copy compiled for AVX2 and FMA.
struct AddBlock<'a, 'b, F> {
    cp: &'a mut CrossProducts,
    w: &'a [f64],
    x: &'a [Column<'b>],
    r: Option<&'a [f64]>,
    fma: F,
}

impl<F: Fn(Lanes, Lanes, Lanes) -> Lanes> NullaryFnOnce for AddBlock<'_, '_, F> {
    type Output = ();

    #[inline(always)]
    fn call(self) {
        let AddBlock { cp, w, x, r, fma } = self;
        let len = w.len();
        let (p, tk) = (cp.p, cp.tk);
        for (j, c) in x.iter().enumerate() {
            let out = &mut cp.wx[j * MAX_BLOCK..j * MAX_BLOCK + len];
            match c {
                Column::Values(v) => {
                    for ((o, w), v) in out.iter_mut().zip(w).zip(*v) {
                        *o = w * v;
                    }
                }
                Column::Ones => out.copy_from_slice(w),
            }
        }
        let column = |k: usize| -> &[f64] {
            match (x.get(k), k == p) {
                (Some(Column::Values(v)), _) => v,
                (Some(Column::Ones), _) => &ONES[..len],
                (None, true) => r.unwrap_or(&ZEROS[..len]),
                (None, false) => &ZEROS[..len],
            }
        };
        let kmax = if r.is_some() { p + 1 } else { p };
        let wx = &cp.wx;
        for (t, sums) in cp.tiles.iter_mut().enumerate() {
            let (j0, k0) = (t / tk * TJ, t % tk * TK);
            // Only tiles with a sum on or above the diagonal (j <= k) are needed.
            if j0 > k0 + TK - 1 || k0 >= kmax {
                continue;
            }
            let a: [&[f64]; TJ] =
                std::array::from_fn(|j| &wx[(j0 + j) * MAX_BLOCK..(j0 + j) * MAX_BLOCK + len]);
            let b: [&[f64]; TK] = std::array::from_fn(|k| column(k0 + k));
            tile(a, b, sums, &fma);
        }
    }
}

/// Add `sum_r a_j[r] b_k[r]` to the tile, lane `r % LANES` for the rows of whole groups and lane 0
/// for the last rows of the block.
#[inline(always)]
fn tile(
    a: [&[f64]; TJ],
    b: [&[f64]; TK],
    sums: &mut TileSums,
    fma: &impl Fn(Lanes, Lanes, Lanes) -> Lanes,
) {
    let len = a[0].len();
    let whole = len - len % LANES;
    let mut s = *sums;
    for r in (0..whole).step_by(LANES) {
        let av: [Lanes; TJ] = std::array::from_fn(|j| lanes(a[j], r));
        let bv: [Lanes; TK] = std::array::from_fn(|k| lanes(b[k], r));
        for j in 0..TJ {
            for k in 0..TK {
                s[j][k] = fma(av[j], bv[k], s[j][k]);
            }
        }
    }
    for r in whole..len {
        for j in 0..TJ {
            for k in 0..TK {
                s[j][k][0] = a[j][r].mul_add(b[k][r], s[j][k][0]);
            }
        }
    }
    *sums = s;
}

#[inline(always)]
fn lanes(v: &[f64], r: usize) -> [f64; LANES] {
    let mut out = [0.0; LANES];
    out.copy_from_slice(&v[r..r + LANES]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Adds the same rows (a short last group included) to `cp` and returns the totals' bits.
    fn bits_after_rows(mut cp: CrossProducts) -> Vec<u64> {
        let n = 251;
        let x1: Vec<f64> = (0..n).map(|i| (i as f64 * 0.71).sin() * 1e3).collect();
        let x2: Vec<f64> = (0..n).map(|i| (i as f64 * 0.13).cos()).collect();
        let w: Vec<f64> = (0..n).map(|i| 0.01 + (i % 11) as f64 / 3.0).collect();
        let r: Vec<f64> = (0..n).map(|i| (i as f64).sqrt() - 7.0).collect();
        let cols = [Column::Ones, Column::Values(&x1), Column::Values(&x2)];
        cp.add(&w, &cols, Some(&r));
        let (mut xtwx, mut xtwr) = (vec![0.0; 9], vec![0.0; 3]);
        cp.totals(&mut xtwx, &mut xtwr);
        xtwx.iter().chain(&xtwr).map(|v| v.to_bits()).collect()
    }

    #[test]
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    fn avx2_and_portable_lanes_give_identical_bits() {
        let simd = CrossProducts::new(3);
        let mut portable = simd.clone();
        portable.v3 = None;
        assert_eq!(bits_after_rows(simd), bits_after_rows(portable));
    }

    #[test]
    fn sums_match_a_direct_computation() {
        let n = 203;
        let x1: Vec<f64> = (0..n).map(|i| (i as f64 * 0.37).sin()).collect();
        let x2: Vec<f64> = (0..n).map(|i| f64::from(u8::from(i % 3 == 0))).collect();
        let w: Vec<f64> = (0..n).map(|i| 0.1 + (i % 7) as f64 / 7.0).collect();
        let r: Vec<f64> = (0..n).map(|i| (i as f64 * 1.3).cos()).collect();
        let cols = [Column::Ones, Column::Values(&x1), Column::Values(&x2)];
        let mut cp = CrossProducts::new(3);
        // Two blocks, as a chunk would add them.
        for (lo, hi) in [(0, 150), (150, n)] {
            let block: Vec<Column<'_>> = cols
                .iter()
                .map(|c| match c {
                    Column::Values(v) => Column::Values(&v[lo..hi]),
                    Column::Ones => Column::Ones,
                })
                .collect();
            cp.add(&w[lo..hi], &block, Some(&r[lo..hi]));
        }
        let (mut xtwx, mut xtwr) = (vec![0.0; 9], vec![0.0; 3]);
        cp.totals(&mut xtwx, &mut xtwr);
        let col = |j: usize, i: usize| match j {
            0 => 1.0,
            1 => x1[i],
            _ => x2[i],
        };
        for j in 0..3 {
            for k in j..3 {
                let want: f64 = (0..n).map(|i| w[i] * col(j, i) * col(k, i)).sum();
                assert!((xtwx[j * 3 + k] - want).abs() < 1e-12 * want.abs().max(1.0));
            }
            let want: f64 = (0..n).map(|i| w[i] * col(j, i) * r[i]).sum();
            assert!((xtwr[j] - want).abs() < 1e-12 * want.abs().max(1.0));
        }
    }
}
