//! Statistical disclosure control for tables of counts.
//!
//! The dashboard publishes counts of people (contributors) per cell, e.g.
//! territory × month × category. Territories are nested: a consortium's cell
//! counts its own contributors (the union of its municipalities'
//! contributors); it is never computed by adding published cells. Three steps
//! protect a table:
//!
//! 1. **Primary suppression.** A cell whose true count is in
//!    `1..threshold` is not published (`special_threshold` applies to
//!    special-category cells such as health or legal status). True zeros are
//!    shown as 0.
//! 2. **Cell-key perturbation** (the ABS / Eurostat cell key method). Every
//!    contributor has a record key in `0..CELL_KEY_MODULUS`, derived by the
//!    caller from a keyed hash of a pseudonym. A cell's key is the sum of its
//!    contributors' record keys modulo the modulus, so it depends only on the
//!    *set* of contributors. The noise added to a published count is a
//!    deterministic function of `(count, cell key)` drawn from a p-table
//!    centred on zero and bounded by `max_noise`; the published value is
//!    `max(count + noise, threshold)`, never below the threshold.
//! 3. **Complementary (secondary) suppression.** In every line whose total is
//!    published (a total and the parts whose contributors it unites), a lone
//!    suppressed part is joined by a second suppressed part (the published
//!    part with the smallest count) or, if there is none, the total is
//!    suppressed; in a line whose total is suppressed, its zero parts are
//!    suppressed too. This is repeated until nothing changes. The result is
//!    then audited with the interval attacker of [`attack`]: every suppressed
//!    cell must keep its full protection interval `[1, threshold - 1]` (the
//!    attacker can neither rule out 1 nor bound it below the threshold), the
//!    protection-interval criterion of tabular data protection, checked
//!    against the feasibility intervals an intruder computes (Hundepool et
//!    al., *Statistical Disclosure Control*, Wiley 2012, chapters 4 and 5, on
//!    protection levels and audit). Each cell it narrows gets one more
//!    related cell hidden, and rule and audit alternate until it narrows
//!    nothing.
//!
//! Suppressed cells are published without a reason: a status telling cells
//! below the threshold from cells hidden to protect them would bound both.
//!
//! Why differencing does not work: a total is the perturbed count of its own
//! contributors, not the sum of published cells, so subtracting published
//! parts from a published total yields only an interval several times
//! `max_noise` wide. Because the same set of contributors always gets the
//! same noise, repeating a query or re-slicing the same people in another
//! table returns the same value, and the noise cannot be averaged away.
//! Secondary suppression keeps a lone suppressed cell from being the only
//! unknown of a published line, hidden zeros keep a suppressed total from
//! being bounded by the number of its suppressed parts, and the audit covers
//! what the rules miss (e.g. two suppressed cells whose sum a line bounds
//! below the threshold). The [`attack`] module implements the interval
//! attacker used for the audit and to check these claims.
//!
//! Parameters ([`Params`]): `threshold` (default 5), `special_threshold`
//! (default 10) and `max_noise` (default 2, giving the p-table
//! P(0) = 0.4, P(±1) = 0.2, P(±2) = 0.1).

use serde::{Deserialize, Serialize};

/// Parameters; documented defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params {
    /// Cells with a true count in 1..threshold are suppressed. Default 5.
    pub threshold: u64,
    /// Threshold for special-category cells (health, legal status). Default 10.
    pub special_threshold: u64,
    /// Largest absolute noise added by perturbation. Default 2.
    pub max_noise: u64,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            threshold: 5,
            special_threshold: 10,
            max_noise: 2,
        }
    }
}

/// Number of distinct cell keys: record keys and cell keys live in 0..CELL_KEY_MODULUS.
pub const CELL_KEY_MODULUS: u64 = 1 << 31;

/// A record key in 0..CELL_KEY_MODULUS from 8+ bytes of a keyed hash (the
/// caller computes an HMAC of the record's pseudonym; this maps its first 8
/// bytes, little-endian, modulo the modulus).
///
/// A shorter input is padded with zero bytes; callers should always pass at
/// least 8 bytes.
pub fn record_key(hash: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    for (dst, src) in bytes.iter_mut().zip(hash.iter()) {
        *dst = *src;
    }
    u64::from_le_bytes(bytes) % CELL_KEY_MODULUS
}

/// Adds a record key to a cell key (cell key = sum of its contributors'
/// record keys mod the modulus).
pub fn add_record_key(cell_key: u64, record_key: u64) -> u64 {
    // Both operands are below 2^31 after reduction, so the sum cannot overflow.
    (cell_key % CELL_KEY_MODULUS + record_key % CELL_KEY_MODULUS) % CELL_KEY_MODULUS
}

/// Largest half-width of the p-table; beyond it the weights would not fit in
/// the lookup arithmetic (and their probabilities are below 2^-62 anyway).
const MAX_TABLE_HALF_WIDTH: u64 = 62;

/// The splitmix64 finaliser, a fast bijective integer mixer.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Weight of noise value `j` in the p-table of half-width `m` (`m <= 62`):
/// `2^m` for zero and `2^(m - |j|)` for `j != 0`. The weights add up to
/// `3 * 2^m - 2`; for `m = 2` this is the table 0.4 / 0.2 / 0.2 / 0.1 / 0.1.
fn p_table_weight(j: i64, m: u32) -> u128 {
    if j == 0 {
        1u128 << m
    } else {
        1u128 << (m - j.unsigned_abs() as u32)
    }
}

/// The noise for a true count and cell key: a deterministic function
/// returning a value in -max_noise..=max_noise.
///
/// The distribution is a p-table centred on 0 with weights halving with each
/// step away from zero: for `max_noise = 2`, P(0) = 0.4, P(±1) = 0.2 and
/// P(±2) = 0.1; for `max_noise = 1`, P(0) = 0.5 and P(±1) = 0.25. The lookup
/// position in [0, 1) is obtained by mixing the cell key with the count
/// (splitmix64), so cells with the same key but different counts get
/// independent noise. Zero counts get zero noise. For `max_noise` above 62
/// the table is truncated at ±62.
pub fn noise(count: u64, cell_key: u64, max_noise: u64) -> i64 {
    if count == 0 || max_noise == 0 {
        return 0;
    }
    let m = max_noise.min(MAX_TABLE_HALF_WIDTH) as u32;
    let position = splitmix64(splitmix64(cell_key % CELL_KEY_MODULUS) ^ count);
    let total_weight: u128 = 3 * (1u128 << m) - 2;
    // Uniform in 0..total_weight: the position in [0, 1) scaled to the table.
    let target = (u128::from(position) * total_weight) >> 64;
    let half = i64::from(m);
    let mut cumulative: u128 = 0;
    for j in -half..=half {
        cumulative += p_table_weight(j, m);
        if target < cumulative {
            return j;
        }
    }
    // Unreachable: target < total_weight, the sum of all weights.
    half
}

/// One cell of the table to protect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// The cell's coordinates, e.g. ["052022", "2026-03", "housing"]; opaque here.
    pub key: Vec<String>,
    /// True number of contributors.
    pub count: u64,
    /// Sum of the contributors' record keys modulo [`CELL_KEY_MODULUS`].
    pub cell_key: u64,
    /// Special category: the special threshold applies.
    pub special: bool,
}

/// A line of cells whose `total` counts the union of the `parts'`
/// contributors (e.g. a consortium and its municipalities, same month and
/// category). Indexes into the cell slice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Index of the total cell.
    pub total: usize,
    /// Indexes of the part cells.
    pub parts: Vec<usize>,
}

/// Publication status of a protected cell. Suppressed cells carry no reason: telling a cell
/// below the threshold from one hidden to protect it would narrow both (docs/privacy.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// Published with a perturbed value.
    Published,
    /// True zero, published as 0.
    Zero,
    /// Not published: too few people, or hidden so that totals do not give another cell back.
    Suppressed,
}

impl Status {
    pub fn is_suppressed(self) -> bool {
        self == Status::Suppressed
    }
}

/// A protected cell, ready to publish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protected {
    /// The cell's coordinates, copied from [`Cell::key`].
    pub key: Vec<String>,
    /// None when suppressed
    pub value: Option<u64>,
    /// How the value was obtained.
    pub status: Status,
}

/// The threshold that applies to a cell.
fn threshold_of(special: bool, params: &Params) -> u64 {
    if special {
        params.special_threshold
    } else {
        params.threshold
    }
}

/// The smallest value a published (non-zero) cell may show: the threshold,
/// and at least 1 so that a published value is never confused with a zero.
fn floor_of(special: bool, params: &Params) -> u64 {
    threshold_of(special, params).max(1)
}

/// Primary protection of one cell: zero, primary suppression or perturbation.
fn protect_cell(cell: &Cell, params: &Params) -> Protected {
    let threshold = threshold_of(cell.special, params);
    let (value, status) = if cell.count == 0 {
        (Some(0), Status::Zero)
    } else if cell.count < threshold {
        (None, Status::Suppressed)
    } else {
        let perturbed =
            i128::from(cell.count) + i128::from(noise(cell.count, cell.cell_key, params.max_noise));
        let floor = i128::from(floor_of(cell.special, params));
        let value = u64::try_from(perturbed.max(floor)).unwrap_or(u64::MAX);
        (Some(value), Status::Published)
    };
    Protected {
        key: cell.key.clone(),
        value,
        status,
    }
}

/// The valid, distinct parts of a line, excluding the total itself.
fn line_parts(line: &Line, len: usize) -> Vec<usize> {
    let mut parts: Vec<usize> = Vec::with_capacity(line.parts.len());
    for &part in &line.parts {
        if part < len && part != line.total && !parts.contains(&part) {
            parts.push(part);
        }
    }
    parts
}

fn hide(out: &mut Protected) {
    out.status = Status::Suppressed;
    out.value = None;
}

/// The cells that a published table lets an attacker bound from above by the threshold: the
/// suppressed totals whose true count is below it. Publishing no reason does not hide that a
/// small consortium is small (its size may be known otherwise), so the audit grants the
/// attacker this bound rather than rely on a total being taken for a hidden large one.
pub fn small_totals(cells: &[Cell], lines: &[Line], params: &Params) -> Vec<bool> {
    let mut small = vec![false; cells.len()];
    for line in lines.iter().filter(|l| l.total < cells.len()) {
        let c = &cells[line.total];
        small[line.total] = c.count > 0 && c.count < threshold_of(c.special, params);
    }
    small
}

/// Protects a table: true zero → value Some(0), status Zero (not perturbed);
/// count in 1..threshold (special_threshold when special) → suppressed (value
/// None); otherwise published as max(count + noise, threshold) (so a
/// published value is never below the threshold, and never 0). Then, until
/// nothing changes:
///
/// 1. **Complementary suppression**: for every line whose total is not
///    suppressed, if exactly one of its parts is suppressed, suppress the
///    published part with the smallest true count (ties: the first); if no
///    published part remains, suppress the total instead.
/// 2. **Hidden zeros**: in a line whose total is suppressed, every zero part
///    is suppressed too, so that an attacker cannot count the parts known to
///    be at least 1 and bound the total (and, through it, the parts) from
///    below. A suppressed cell may therefore be a true zero. A hidden zero
///    that the audit finds derivable anyway (e.g. under a zero total of
///    another line) is shown as 0 again: hiding it protects nobody.
/// 3. **Audit**: the interval attacker of [`attack`], who knows every
///    published value with its noise bound, that the lines add up exactly,
///    and the bound `threshold - 1` of every small suppressed total (see
///    [`small_totals`]), must leave every suppressed cell its full
///    protection interval `[1, threshold - 1]`. For each cell it narrows, one
///    more related cell is hidden.
///
/// Output in the input order. Line indexes outside `cells` are ignored.
pub fn protect(cells: &[Cell], lines: &[Line], params: &Params) -> Vec<Protected> {
    protect_with(cells, lines, params, true)
}

/// [`protect`], with or without the audit step.
fn protect_with(cells: &[Cell], lines: &[Line], params: &Params, audit: bool) -> Vec<Protected> {
    let mut out: Vec<Protected> = cells.iter().map(|c| protect_cell(c, params)).collect();
    let normalized: Vec<(usize, Vec<usize>)> = lines
        .iter()
        .filter(|line| line.total < cells.len())
        .map(|line| (line.total, line_parts(line, cells.len())))
        .collect();
    let special: Vec<bool> = cells.iter().map(|c| c.special).collect();
    let small = small_totals(cells, lines, params);

    // Zeros the attacker derives anyway: shown, never hidden again.
    let mut exposed = vec![false; cells.len()];
    loop {
        rule_pass(cells, &normalized, &exposed, &mut out);
        if !audit {
            return out;
        }
        let narrowed = attack::narrowed(&out, &special, lines, params, &small);
        let mut changed = false;
        for d in narrowed {
            if cells[d].count == 0 {
                exposed[d] = true;
                out[d] = protect_cell(&cells[d], params);
                changed = true;
            } else if let Some(target) = audit_target(cells, &normalized, &out, d) {
                hide(&mut out[target]);
                changed = true;
            }
        }
        if !changed {
            return out;
        }
    }
}

/// Complementary suppression and hidden zeros, repeated until nothing changes.
fn rule_pass(
    cells: &[Cell],
    lines: &[(usize, Vec<usize>)],
    exposed: &[bool],
    out: &mut [Protected],
) {
    let mut changed = true;
    while changed {
        changed = false;
        for (total, parts) in lines {
            if out[*total].status.is_suppressed() {
                for &p in parts {
                    if out[p].status == Status::Zero && !exposed[p] {
                        hide(&mut out[p]);
                        changed = true;
                    }
                }
                continue;
            }
            // Under a zero total every part is known to be zero: nothing to protect there.
            if out[*total].status == Status::Zero {
                continue;
            }
            let suppressed = parts
                .iter()
                .filter(|&&p| out[p].status.is_suppressed())
                .count();
            if suppressed != 1 {
                continue;
            }
            let target = smallest_published(cells, out, parts, usize::MAX).unwrap_or(*total);
            hide(&mut out[target]);
            changed = true;
        }
    }
}

/// The published cell among `candidates` (other than `except`) with the
/// smallest true count; ties: the first.
fn smallest_published(
    cells: &[Cell],
    out: &[Protected],
    candidates: &[usize],
    except: usize,
) -> Option<usize> {
    candidates
        .iter()
        .copied()
        .filter(|&p| p != except && out[p].status == Status::Published)
        .min_by_key(|&p| cells[p].count)
}

/// The cell to hide so that the narrowed cell `d` gets a new unknown beside
/// it, in this order of preference:
/// 1. the smallest published part of a line with a visible total that
///    contains `d`;
/// 2. the published total of a line containing `d`;
/// 3. the smallest published part of a line whose total is `d`.
///
/// None when nothing related to `d` can be hidden any further.
fn audit_target(
    cells: &[Cell],
    lines: &[(usize, Vec<usize>)],
    out: &[Protected],
    d: usize,
) -> Option<usize> {
    let containing = || lines.iter().filter(move |(_, parts)| parts.contains(&d));
    let totalled_by_d = || lines.iter().filter(move |(total, _)| *total == d);
    containing()
        .filter(|(total, _)| !out[*total].status.is_suppressed())
        .find_map(|(_, parts)| smallest_published(cells, out, parts, d))
        .or_else(|| {
            containing()
                .map(|(total, _)| *total)
                .find(|&total| out[total].status == Status::Published)
        })
        .or_else(|| totalled_by_d().find_map(|(_, parts)| smallest_published(cells, out, parts, d)))
}

/// An interval attacker on protected tables.
pub mod attack {
    use super::{Line, Params, Protected, Status, floor_of, line_parts, threshold_of};

    /// Stand-in for "no upper bound" in the attacker's intervals.
    pub const UNBOUNDED: u64 = u64::MAX / 4;

    /// Bound on the number of propagation rounds.
    const MAX_ROUNDS: usize = 200;

    /// What an attacker knows of one cell after seeing the published tables,
    /// as an inclusive interval of possible true counts.
    ///
    /// Starts from the published information: Zero → [0,0]; Published v →
    /// the true counts c ≥ threshold with max(c + noise, threshold) = v for
    /// some |noise| ≤ max_noise, i.e. [max(v - max_noise, threshold), v +
    /// max_noise] (when v == threshold this is threshold..=threshold +
    /// max_noise, as clamping implies); Suppressed → at least 1, or at least
    /// 0 when the cell is a part of a line whose total is suppressed (where
    /// zeros are hidden too), and at most `threshold - 1` when `small` says
    /// the attacker knows it is below the threshold, unbounded otherwise
    /// ([`UNBOUNDED`]).
    ///
    /// Then propagates additive relations: each relation says the true value
    /// of `total` equals the sum of the true values of `parts` (exact
    /// additivity, the strongest attack), tightening intervals (total ∈ [Σlo,
    /// Σhi]; each part ∈ [total.lo - Σother.hi, total.hi - Σother.lo]) until
    /// a fixed point or 200 rounds. An interval may end up empty (lo > hi)
    /// if the relations contradict the published values.
    pub fn feasible(
        known: &[Protected],
        special: &[bool],
        relations: &[Line],
        params: &Params,
        small: &[bool],
    ) -> Vec<(u64, u64)> {
        feasible_with(known, special, relations, params, small, true)
    }

    /// [`feasible`] against a publication that never hides a zero (the one before hidden
    /// zeros): every suppressed cell is known to be at least 1. For the controls of the tests.
    pub fn feasible_zeros_shown(
        known: &[Protected],
        special: &[bool],
        relations: &[Line],
        params: &Params,
        small: &[bool],
    ) -> Vec<(u64, u64)> {
        feasible_with(known, special, relations, params, small, false)
    }

    fn feasible_with(
        known: &[Protected],
        special: &[bool],
        relations: &[Line],
        params: &Params,
        small: &[bool],
        zeros_hidden: bool,
    ) -> Vec<(u64, u64)> {
        let m = i128::from(params.max_noise);
        let relations: Vec<(usize, Vec<usize>)> = relations
            .iter()
            .filter(|r| r.total < known.len())
            .map(|r| (r.total, line_parts(r, known.len())))
            .collect();
        let mut may_be_zero = vec![false; known.len()];
        for (total, parts) in relations.iter().filter(|_| zeros_hidden) {
            if known[*total].status.is_suppressed() {
                for &p in parts {
                    may_be_zero[p] = true;
                }
            }
        }
        let mut iv: Vec<(i128, i128)> = known
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let is_special = special.get(i).copied().unwrap_or(false);
                let floor = i128::from(floor_of(is_special, params));
                match (p.status, p.value) {
                    (Status::Zero, _) => (0, 0),
                    (Status::Published, Some(v)) => {
                        let v = i128::from(v);
                        ((v - m).max(floor), v + m)
                    }
                    _ => {
                        let lo = i128::from(!may_be_zero[i]);
                        let hi = if small.get(i).copied().unwrap_or(false) {
                            (i128::from(threshold_of(is_special, params)) - 1).max(1)
                        } else {
                            i128::from(UNBOUNDED)
                        };
                        (lo, hi)
                    }
                }
            })
            .collect();

        for _ in 0..MAX_ROUNDS {
            let mut changed = false;
            for (total, parts) in &relations {
                let sum_lo: i128 = parts.iter().map(|&p| iv[p].0).sum();
                let sum_hi: i128 = parts.iter().map(|&p| iv[p].1).sum();
                let (t_lo, t_hi) = iv[*total];
                let new_total = (t_lo.max(sum_lo), t_hi.min(sum_hi));
                if new_total != iv[*total] {
                    iv[*total] = new_total;
                    changed = true;
                }
                let (t_lo, t_hi) = iv[*total];
                for &p in parts {
                    let (lo, hi) = iv[p];
                    let other_lo = sum_lo - lo;
                    let other_hi = sum_hi - hi;
                    let new_part = (lo.max(t_lo - other_hi), hi.min(t_hi - other_lo));
                    if new_part != iv[p] {
                        iv[p] = new_part;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }

        iv.into_iter()
            .map(|(lo, hi)| (clamp_u64(lo), clamp_u64(hi)))
            .collect()
    }

    /// Indexes of suppressed cells whose feasible interval no longer holds the full protection
    /// interval `[1, threshold - 1]`: the attacker can rule out 1, or a count up to the
    /// threshold. Cells pinned to one value are among them.
    pub fn narrowed(
        known: &[Protected],
        special: &[bool],
        relations: &[Line],
        params: &Params,
        small: &[bool],
    ) -> Vec<usize> {
        let intervals = feasible(known, special, relations, params, small);
        narrowed_in(known, special, params, &intervals)
    }

    /// The suppressed cells of `known` whose `intervals` do not hold `[1, threshold - 1]`.
    pub fn narrowed_in(
        known: &[Protected],
        special: &[bool],
        params: &Params,
        intervals: &[(u64, u64)],
    ) -> Vec<usize> {
        known
            .iter()
            .zip(intervals)
            .enumerate()
            .filter(|(i, (p, (lo, hi)))| {
                let top = threshold_of(special.get(*i).copied().unwrap_or(false), params)
                    .saturating_sub(1)
                    .max(1);
                p.status.is_suppressed() && (*lo > 1 || *hi < top)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The suppressed cells of `known` whose `intervals` are a single value (the attacker
    /// derived it exactly): the weaker criterion, kept for the controls of the tests.
    pub fn pinned_in(known: &[Protected], intervals: &[(u64, u64)]) -> Vec<usize> {
        known
            .iter()
            .zip(intervals)
            .enumerate()
            .filter(|(_, (p, (lo, hi)))| p.status.is_suppressed() && lo == hi)
            .map(|(i, _)| i)
            .collect()
    }

    fn clamp_u64(x: i128) -> u64 {
        u64::try_from(x.max(0)).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::seq::SliceRandom;
    use rand::{Rng, SeedableRng};

    fn cell(count: u64, cell_key: u64, special: bool) -> Cell {
        Cell {
            key: vec![format!("c{count}-{cell_key}")],
            count,
            cell_key,
            special,
        }
    }

    fn random_key(rng: &mut StdRng) -> u64 {
        let bytes: [u8; 32] = rng.random();
        record_key(&bytes)
    }

    #[test]
    fn record_key_range_and_little_endian() {
        assert_eq!(record_key(&[1, 0, 0, 0, 0, 0, 0, 0, 9, 9]), 1);
        assert_eq!(record_key(&[0, 1, 0, 0, 0, 0, 0, 0]), 256);
        assert_eq!(record_key(&[0xFF; 8]), CELL_KEY_MODULUS - 1);
        // Bytes above bit 31 are reduced away.
        assert_eq!(record_key(&[5, 0, 0, 0x80, 0, 0, 0, 0]), 5);
        assert_eq!(record_key(&[0, 0, 0, 0, 1, 0, 0, 0]), 0);
        assert_eq!(record_key(&[7]), 7);
        let mut rng = StdRng::seed_from_u64(1);
        let mut high = false;
        for _ in 0..10_000 {
            let k = random_key(&mut rng);
            assert!(k < CELL_KEY_MODULUS);
            high |= k >= CELL_KEY_MODULUS / 2;
        }
        assert!(high, "keys should cover the whole range");
    }

    #[test]
    fn add_record_key_is_modular_and_order_independent() {
        assert_eq!(add_record_key(CELL_KEY_MODULUS - 1, 1), 0);
        assert_eq!(
            add_record_key(CELL_KEY_MODULUS - 1, CELL_KEY_MODULUS - 1),
            CELL_KEY_MODULUS - 2
        );
        assert_eq!(add_record_key(3, 4), 7);
        assert_eq!(add_record_key(0, CELL_KEY_MODULUS), 0);
        let mut rng = StdRng::seed_from_u64(2);
        let mut keys: Vec<u64> = (0..500).map(|_| random_key(&mut rng)).collect();
        let forward = keys.iter().fold(0, |acc, &k| add_record_key(acc, k));
        let expected = keys.iter().sum::<u64>() % CELL_KEY_MODULUS;
        assert_eq!(forward, expected);
        for _ in 0..5 {
            keys.shuffle(&mut rng);
            let shuffled = keys.iter().fold(0, |acc, &k| add_record_key(acc, k));
            assert_eq!(shuffled, forward);
        }
        assert!(forward < CELL_KEY_MODULUS);
    }

    #[test]
    fn noise_is_bounded_deterministic_and_zero_for_zero_counts() {
        let mut rng = StdRng::seed_from_u64(3);
        for max_noise in [0u64, 1, 2, 3, 5, 62, 100, u64::MAX] {
            let bound = i64::try_from(max_noise.min(62)).unwrap();
            let mut seen_extreme = false;
            for _ in 0..5_000 {
                let key = random_key(&mut rng);
                let count = rng.random_range(1..10_000u64);
                let n = noise(count, key, max_noise);
                assert!((-bound..=bound).contains(&n), "{n} out of ±{max_noise}");
                assert_eq!(n, noise(count, key, max_noise));
                assert_eq!(noise(0, key, max_noise), 0);
                seen_extreme |= n.abs() == bound;
            }
            if max_noise <= 5 {
                assert!(seen_extreme, "±{max_noise} never reached");
            }
        }
        assert_eq!(noise(0, 12345, 2), 0);
    }

    #[test]
    fn noise_depends_on_count_for_the_same_key() {
        // Same key, different counts: the noises must not be identical.
        let mut rng = StdRng::seed_from_u64(4);
        let mut differ = 0;
        for _ in 0..1_000 {
            let key = random_key(&mut rng);
            if noise(10, key, 2) != noise(11, key, 2) {
                differ += 1;
            }
        }
        // Independent draws differ with probability 1 - (0.16+0.04*2+0.01*2) = 0.74.
        assert!((650..=830).contains(&differ), "differ = {differ}");
    }

    #[test]
    fn noise_distribution_matches_p_table() {
        let mut rng = StdRng::seed_from_u64(5);
        let trials = 100_000;
        let mut counts = [0u64; 5];
        let mut sum: i64 = 0;
        for _ in 0..trials {
            let key = rng.random_range(0..CELL_KEY_MODULUS);
            let count = rng.random_range(1..1_000u64);
            let n = noise(count, key, 2);
            counts[usize::try_from(n + 2).unwrap()] += 1;
            sum += n;
        }
        let expected = [0.1, 0.2, 0.4, 0.2, 0.1];
        for (observed, p) in counts.iter().zip(expected) {
            let freq = *observed as f64 / trials as f64;
            assert!((freq - p).abs() < 0.01, "frequency {freq} vs {p}");
        }
        let mean = sum as f64 / trials as f64;
        assert!(mean.abs() < 0.02, "mean {mean}");

        // max_noise = 1: P(0) = 0.5, P(±1) = 0.25.
        let mut zero = 0u64;
        for _ in 0..trials {
            let key = rng.random_range(0..CELL_KEY_MODULUS);
            if noise(7, key, 1) == 0 {
                zero += 1;
            }
        }
        let freq = zero as f64 / trials as f64;
        assert!((freq - 0.5).abs() < 0.01, "P(0) = {freq}");
    }

    #[test]
    fn protect_primary_suppression_at_both_thresholds() {
        let params = Params::default();
        assert_eq!(params.threshold, 5);
        assert_eq!(params.special_threshold, 10);
        assert_eq!(params.max_noise, 2);
        let cells = vec![
            cell(4, 11, false),
            cell(5, 12, false),
            cell(9, 13, true),
            cell(10, 14, true),
            cell(1, 15, false),
            cell(9, 16, false),
        ];
        let out = protect(&cells, &[], &params);
        let statuses: Vec<Status> = out.iter().map(|p| p.status).collect();
        assert_eq!(
            statuses,
            vec![
                Status::Suppressed,
                Status::Published,
                Status::Suppressed,
                Status::Published,
                Status::Suppressed,
                Status::Published,
            ]
        );
        assert_eq!(out[0].value, None);
        assert_eq!(out[2].value, None);
        assert!(out[1].value.unwrap() >= 5);
        assert!(out[3].value.unwrap() >= 10);
        for (p, c) in out.iter().zip(&cells) {
            assert_eq!(p.key, c.key);
        }
    }

    #[test]
    fn protect_shows_zeros_unperturbed() {
        let params = Params::default();
        let cells: Vec<Cell> = (0..100).map(|k| cell(0, k * 7919, k % 2 == 0)).collect();
        for p in protect(&cells, &[], &params) {
            assert_eq!(p.value, Some(0));
            assert_eq!(p.status, Status::Zero);
        }
    }

    #[test]
    fn protect_published_values_bounded_and_consistent() {
        let params = Params::default();
        let mut rng = StdRng::seed_from_u64(6);
        let mut perturbed = 0;
        let cells: Vec<Cell> = (0..5_000)
            .map(|_| {
                let special = rng.random_bool(0.2);
                let count = rng.random_range(threshold_of(special, &params)..40);
                cell(count, random_key(&mut rng), special)
            })
            .collect();
        let first = protect(&cells, &[], &params);
        let second = protect(&cells, &[], &params);
        assert_eq!(first, second);
        for (p, c) in first.iter().zip(&cells) {
            let v = p.value.unwrap();
            assert_eq!(p.status, Status::Published);
            assert!(v >= threshold_of(c.special, &params));
            assert!(
                v.abs_diff(c.count) <= params.max_noise,
                "{v} vs {}",
                c.count
            );
            perturbed += usize::from(v != c.count);
            // The same (count, cell key) elsewhere in another table gets the same value.
            let again = protect(std::slice::from_ref(c), &[], &params);
            assert_eq!(again[0].value, Some(v));
        }
        assert!(perturbed > 2_000, "noise must actually change values");
    }

    #[test]
    fn protect_complementary_suppression_picks_smallest_part() {
        let params = Params::default();
        // Consortium total 0, municipalities 1..=5.
        let cells = vec![
            cell(62, 100, false),
            cell(3, 101, false),
            cell(20, 102, false),
            cell(7, 103, false),
            cell(0, 104, false),
            cell(32, 105, false),
        ];
        let lines = vec![Line {
            total: 0,
            parts: vec![1, 2, 3, 4, 5],
        }];
        let out = protect_with(&cells, &lines, &params, false);
        let statuses: Vec<Status> = out.iter().map(|p| p.status).collect();
        assert_eq!(
            statuses,
            vec![
                Status::Published,
                Status::Suppressed,
                Status::Published,
                Status::Suppressed,
                Status::Zero,
                Status::Published,
            ]
        );
        assert_eq!(out[3].value, None);
    }

    #[test]
    fn protect_complementary_ties_pick_first() {
        let params = Params::default();
        let cells = vec![
            cell(30, 1, false),
            cell(8, 2, false),
            cell(8, 3, false),
            cell(2, 4, false),
            cell(12, 5, false),
        ];
        let lines = vec![Line {
            total: 0,
            parts: vec![1, 2, 3, 4],
        }];
        let out = protect(&cells, &lines, &params);
        assert_eq!(out[1].status, Status::Suppressed);
        assert_eq!(out[2].status, Status::Published);
    }

    #[test]
    fn protect_single_part_line_suppresses_total() {
        let params = Params::default();
        // Consortium with a single municipality, and a line where the only
        // other part is a true zero.
        let cells = vec![
            cell(3, 10, false),
            cell(3, 10, false),
            cell(12, 20, false),
            cell(3, 21, false),
            cell(0, 22, false),
        ];
        let lines = vec![
            Line {
                total: 0,
                parts: vec![1],
            },
            Line {
                total: 2,
                parts: vec![3, 4],
            },
        ];
        let out = protect(&cells, &lines, &params);
        assert_eq!(out[0].status, Status::Suppressed);
        assert_eq!(out[1].status, Status::Suppressed);
        assert_eq!(out[2].status, Status::Suppressed);
        assert_eq!(out[2].value, None);
        // The zero beside it is hidden too: the total is suppressed.
        assert_eq!(out[4].status, Status::Suppressed);
        assert_eq!(out[4].value, None);

        // A published total with a single suppressed part is hidden too.
        let cells = vec![cell(6, 1, false), cell(4, 2, false)];
        let lines = vec![Line {
            total: 0,
            parts: vec![1],
        }];
        let out = protect(&cells, &lines, &params);
        assert_eq!(out[0].status, Status::Suppressed);
    }

    #[test]
    fn protect_complementary_suppression_cascades() {
        let params = Params::default();
        // Two lines sharing cell 2: hiding it in the first line leaves it
        // alone in the second, which must hide another cell.
        let cells = vec![
            cell(40, 1, false), // total A
            cell(2, 2, false),  // primary
            cell(6, 3, false),  // shared, smallest in A
            cell(32, 4, false),
            cell(50, 5, false), // total B
            cell(44, 6, false),
        ];
        let lines = vec![
            Line {
                total: 0,
                parts: vec![1, 2, 3],
            },
            Line {
                total: 4,
                parts: vec![2, 5],
            },
        ];
        let out = protect_with(&cells, &lines, &params, false);
        assert_eq!(out[2].status, Status::Suppressed);
        assert_eq!(out[5].status, Status::Suppressed);
        assert_eq!(out[3].status, Status::Published);
    }

    /// A randomized nested table: one consortium and its municipalities ×
    /// (6 months + all months) × 5 categories, built from synthetic records.
    struct Nested {
        cells: Vec<Cell>,
        lines: Vec<Line>,
    }

    fn nested(rng: &mut StdRng) -> Nested {
        let municipalities = rng.random_range(3..=6usize);
        let territories = municipalities + 1; // index 0 is the consortium
        let months = 6usize;
        let times = months + 1; // index `months` is "all months"
        let categories = 5usize;
        let special_category = 4usize;
        let idx = |t: usize, m: usize, c: usize| (t * times + m) * categories + c;
        let mut counts = vec![0u64; territories * times * categories];
        let mut keys = vec![0u64; territories * times * categories];
        for t in 1..territories {
            for m in 0..months {
                for c in 0..categories {
                    let n = match rng.random_range(0..10) {
                        0..=2 => 0,
                        3..=6 => rng.random_range(1..=4),
                        7 => rng.random_range(5..=12),
                        _ => rng.random_range(5..=30),
                    };
                    for _ in 0..n {
                        // Each record contributes to its cell and to every
                        // total containing it (distinct people per cell, so
                        // the totals are exactly additive: the strongest case).
                        let k = random_key(rng);
                        for cell_index in [
                            idx(t, m, c),
                            idx(t, months, c),
                            idx(0, m, c),
                            idx(0, months, c),
                        ] {
                            counts[cell_index] += 1;
                            keys[cell_index] = add_record_key(keys[cell_index], k);
                        }
                    }
                }
            }
        }
        let mut cells = Vec::with_capacity(counts.len());
        for t in 0..territories {
            for m in 0..times {
                for c in 0..categories {
                    let i = idx(t, m, c);
                    cells.push(Cell {
                        key: vec![format!("t{t}"), format!("m{m}"), format!("c{c}")],
                        count: counts[i],
                        cell_key: keys[i],
                        special: c == special_category,
                    });
                }
            }
        }
        let mut lines = Vec::new();
        for m in 0..times {
            for c in 0..categories {
                lines.push(Line {
                    total: idx(0, m, c),
                    parts: (1..territories).map(|t| idx(t, m, c)).collect(),
                });
            }
        }
        for t in 0..territories {
            for c in 0..categories {
                lines.push(Line {
                    total: idx(t, months, c),
                    parts: (0..months).map(|m| idx(t, m, c)).collect(),
                });
            }
        }
        Nested { cells, lines }
    }

    fn assert_sound(cells: &[Cell], intervals: &[(u64, u64)]) {
        for (c, (lo, hi)) in cells.iter().zip(intervals) {
            assert!(
                *lo <= c.count && c.count <= *hi,
                "true count {} outside [{lo}, {hi}]",
                c.count
            );
        }
    }

    /// Primary suppression alone, as a control: what the attacker breaks.
    fn primary_only(cells: &[Cell], params: &Params) -> Vec<Protected> {
        cells.iter().map(|c| protect_cell(c, params)).collect()
    }

    #[test]
    fn attack_discloses_unprotected_line() {
        // No noise and no complementary suppression: total minus the others.
        let params = Params {
            max_noise: 0,
            ..Params::default()
        };
        let cells = vec![
            cell(30, 1, false),
            cell(3, 2, false),
            cell(10, 3, false),
            cell(17, 4, false),
        ];
        let lines = vec![Line {
            total: 0,
            parts: vec![1, 2, 3],
        }];
        let special = vec![false; 4];
        let none = vec![false; 4];
        let naive = primary_only(&cells, &params);
        assert_eq!(naive[1].status, Status::Suppressed);
        assert_eq!(
            attack::pinned_in(
                &naive,
                &attack::feasible_zeros_shown(&naive, &special, &lines, &params, &none)
            ),
            vec![1]
        );
        assert_eq!(
            attack::feasible(&naive, &special, &lines, &params, &none)[1],
            (3, 3)
        );

        // With complementary suppression and the audit the same attack fails.
        let protected = protect(&cells, &lines, &params);
        assert!(attack::narrowed(&protected, &special, &lines, &params, &none).is_empty());
    }

    #[test]
    fn attack_initial_intervals_follow_clamping() {
        let params = Params::default();
        let shown = |value: Option<u64>, status: Status| Protected {
            key: vec![],
            value,
            status,
        };
        let known = vec![
            shown(Some(5), Status::Published),
            shown(Some(8), Status::Published),
            shown(Some(0), Status::Zero),
            shown(None, Status::Suppressed),
            shown(None, Status::Suppressed),
            shown(None, Status::Suppressed),
            shown(Some(11), Status::Published),
        ];
        let special = vec![false, false, false, false, true, false, true];
        let small = vec![false, false, false, true, true, false, false];
        let iv = attack::feasible(&known, &special, &[], &params, &small);
        assert_eq!(iv[0], (5, 7));
        assert_eq!(iv[1], (6, 10));
        assert_eq!(iv[2], (0, 0));
        // A small total is bounded by its threshold; any other suppressed cell is not.
        assert_eq!(iv[3], (1, 4));
        assert_eq!(iv[4], (1, 9));
        assert_eq!(iv[5], (1, attack::UNBOUNDED));
        assert_eq!(iv[6], (10, 13));
        // Every value of the clamped interval is really attainable.
        for c in 5..=7u64 {
            let reachable = (0..100_000u64).any(|key| {
                let v = i64::try_from(c).unwrap() + noise(c, key, 2);
                v.max(5) == 5
            });
            assert!(reachable, "{c} cannot publish as 5");
        }
        // A part of a line whose total is suppressed may be a hidden zero.
        let lines = vec![Line {
            total: 5,
            parts: vec![3],
        }];
        let iv = attack::feasible(&known, &special, &lines, &params, &small);
        assert_eq!(iv[3], (1, 4), "the part is the whole total, at least 1");
    }

    /// The lines of the issue that found cells pinned within ±1 when suppressed cells told
    /// primary from secondary: each under its total, with k = 5.
    #[test]
    fn no_suppressed_cell_is_narrowed_below_its_protection_interval() {
        let params = Params::default();
        let mut controls = 0;
        for parts in [vec![1, 1, 1, 0], vec![2, 2], vec![1, 1, 1, 1], vec![5, 1]] {
            let total: u64 = parts.iter().sum();
            let mut cells = vec![cell(total, 7, false)];
            cells.extend(
                parts
                    .iter()
                    .enumerate()
                    .map(|(i, &n)| cell(n, 100 + i as u64, false)),
            );
            let lines = vec![Line {
                total: 0,
                parts: (1..cells.len()).collect(),
            }];
            let special = vec![false; cells.len()];
            let small = small_totals(&cells, &lines, &params);
            let out = protect(&cells, &lines, &params);
            let intervals = attack::feasible(&out, &special, &lines, &params, &small);
            assert_sound(&cells, &intervals);
            for (i, (p, (lo, hi))) in out.iter().zip(&intervals).enumerate() {
                if p.status.is_suppressed() {
                    assert!(
                        *lo <= 1 && *hi >= 4,
                        "{parts:?}: cell {i} narrowed to [{lo}, {hi}]"
                    );
                }
                // Every cell below the threshold is hidden, zeros included here.
                if cells[i].count < 5 && total < 5 {
                    assert!(p.status.is_suppressed(), "{parts:?}: cell {i} shown");
                }
            }
            assert!(attack::narrowed(&out, &special, &lines, &params, &small).is_empty());
            // Control: the publication this replaces, where the status told every cell below
            // the threshold and zeros were always shown.
            let naive = primary_only(&cells, &params);
            let told: Vec<bool> = cells.iter().map(|c| c.count > 0 && c.count < 5).collect();
            controls += usize::from(
                !attack::narrowed_in(
                    &naive,
                    &special,
                    &params,
                    &attack::feasible_zeros_shown(&naive, &special, &lines, &params, &told),
                )
                .is_empty(),
            );
        }
        assert!(
            controls >= 3,
            "the old publication should be narrowed: {controls}"
        );
    }

    #[test]
    fn attack_leaves_the_full_interval_in_protected_nested_tables() {
        let params = Params::default();
        let mut rng = StdRng::seed_from_u64(2026);
        let mut suppressed = 0usize;
        let mut hidden_large = 0usize;
        let mut hidden_zeros = 0usize;
        let mut rules_only_narrowed = 0usize;
        let mut unprotected_disclosures = 0usize;
        for _ in 0..200 {
            let table = nested(&mut rng);
            let special: Vec<bool> = table.cells.iter().map(|c| c.special).collect();
            let small = small_totals(&table.cells, &table.lines, &params);

            let out = protect(&table.cells, &table.lines, &params);
            // No line with a published total has exactly one suppressed part.
            for line in &table.lines {
                if !out[line.total].status.is_suppressed() {
                    let hidden = line
                        .parts
                        .iter()
                        .filter(|&&p| out[p].status.is_suppressed())
                        .count();
                    assert_ne!(hidden, 1);
                }
            }
            for (p, c) in out.iter().zip(&table.cells) {
                match p.status {
                    Status::Suppressed => {
                        suppressed += 1;
                        hidden_large += usize::from(c.count >= floor_of(c.special, &params));
                        hidden_zeros += usize::from(c.count == 0);
                    }
                    Status::Zero => assert_eq!(c.count, 0),
                    Status::Published => {
                        let v = p.value.unwrap();
                        assert!(v >= floor_of(c.special, &params));
                        assert!(v.abs_diff(c.count) <= params.max_noise);
                    }
                }
                if c.count > 0 && c.count < threshold_of(c.special, &params) {
                    assert!(p.status.is_suppressed());
                }
            }

            let intervals = attack::feasible(&out, &special, &table.lines, &params, &small);
            assert_sound(&table.cells, &intervals);
            let found = attack::narrowed(&out, &special, &table.lines, &params, &small);
            assert!(
                found.is_empty(),
                "narrowed {:?}",
                found
                    .iter()
                    .map(|&i| (i, table.cells[i].count, intervals[i]))
                    .collect::<Vec<_>>()
            );

            // Controls. The "exactly one suppressed part" rule alone, even with noise and
            // hidden zeros, leaves some cells narrowed.
            let rules_only = protect_with(&table.cells, &table.lines, &params, false);
            rules_only_narrowed +=
                attack::narrowed(&rules_only, &special, &table.lines, &params, &small).len();
            // Primary suppression only, without noise, is plainly broken.
            let exact = Params {
                max_noise: 0,
                ..params
            };
            let naive = primary_only(&table.cells, &exact);
            let naive_intervals =
                attack::feasible_zeros_shown(&naive, &special, &table.lines, &exact, &small);
            assert_sound(&table.cells, &naive_intervals);
            unprotected_disclosures += attack::pinned_in(&naive, &naive_intervals).len();
        }
        println!(
            "suppressed {suppressed} (of them above the threshold {hidden_large}, zeros \
             {hidden_zeros}) rules-only narrowed {rules_only_narrowed} naive {unprotected_disclosures}"
        );
        assert!(suppressed > 1_500, "suppressed = {suppressed}");
        assert!(
            hidden_large > 200,
            "hidden above the threshold = {hidden_large}"
        );
        assert!(hidden_zeros > 0, "hidden zeros = {hidden_zeros}");
        assert!(
            rules_only_narrowed > 0,
            "rules only = {rules_only_narrowed}"
        );
        assert!(
            unprotected_disclosures > 100,
            "control = {unprotected_disclosures}"
        );
    }

    #[test]
    fn two_primary_cells_under_a_total_are_not_pinned_once_statuses_are_gone() {
        // Consortium 18 = 4 + 4 + 10. With noise +2 on the total and -2 on
        // the published part, an attacker who knew both 4s were below the
        // threshold pinned them (their sum is at least 8 and at most 2 * 4).
        // Without the status nothing bounds them from above.
        let params = Params::default();
        let key_with = |count: u64, wanted: i64| {
            (0..CELL_KEY_MODULUS)
                .find(|&k| noise(count, k, 2) == wanted)
                .unwrap()
        };
        let cells = vec![
            cell(18, key_with(18, 2), false),
            cell(4, 1, false),
            cell(4, 2, false),
            cell(10, key_with(10, -2), false),
        ];
        let lines = vec![Line {
            total: 0,
            parts: vec![1, 2, 3],
        }];
        let special = vec![false; 4];
        let rules_only = protect_with(&cells, &lines, &params, false);
        assert_eq!(rules_only[0].value, Some(20));
        assert_eq!(rules_only[3].value, Some(8));
        let told = vec![false, true, true, false];
        assert_eq!(
            attack::pinned_in(
                &rules_only,
                &attack::feasible_zeros_shown(&rules_only, &special, &lines, &params, &told)
            ),
            vec![1, 2]
        );
        let small = small_totals(&cells, &lines, &params);
        let out = protect(&cells, &lines, &params);
        assert!(attack::narrowed(&out, &special, &lines, &params, &small).is_empty());
        let intervals = attack::feasible(&out, &special, &lines, &params, &small);
        assert_sound(&cells, &intervals);
        assert!(intervals[1].1 >= 8, "{:?}", intervals[1]);
    }
}
