"""Tests for habitat.domain.diversity.

Every expected value comes from an independent source, never from the module
under test:

* hand arithmetic with exact fractions (written out in comments);
* brute-force enumeration of every subsample / sample subset / permutation;
* exact big-integer binomial coefficients (math.comb + fractions) instead of
  the module's log-gamma evaluation;
* the published formulas evaluated step by step in the test: Chao (1987)
  Biometrics 43:783-791 log-normal interval, with the variance expressions of
  the EstimateS 9 User's Guide (Colwell 2013, Appendix B, eqs. 6-7) and the
  T == 0 branch of iNEXT's ``ChaoSpecies`` (Hsieh, Ma & Chao 2016);
* textbook identities: equal abundances give H' = ln S, Gini-Simpson = 1 - 1/S
  and Hill numbers all equal to S; q0 >= q1 >= q2 (Hill 1973); rarefying to
  n = 2 gives 1 + Hurlbert's PIE (Hurlbert 1971).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from habitat.domain.diversity import (
    accumulation_curve,
    chao1,
    chao1_ci,
    chao2,
    hill_numbers,
    observer_hours,
    per_effort,
    rarefaction_curve,
    rarefy,
    shannon,
    simpson,
    simpson_unbiased,
)

# Worked example used throughout: N = 20 individuals of S = 5 species,
# relative abundances p = 1/2, 1/4, 3/20, 1/20, 1/20.
# Singletons F1 = 2, doubletons F2 = 0.
GARDEN = [10, 5, 3, 1, 1]

# Second example with doubletons: N = 11, S = 6, F1 = 3, F2 = 2.
MEADOW = [4, 2, 2, 1, 1, 1]

Z95 = NormalDist().inv_cdf(0.975)  # 1.959963984540054


def _individuals(counts):
    """Expand abundances into a list of per-individual species labels."""
    return [species for species, c in enumerate(counts) for _ in range(c)]


# --------------------------------------------------------------------------
# Shannon
# --------------------------------------------------------------------------


def test_shannon_matches_hand_computation_for_worked_example():
    # H' = -sum p ln p
    #    = 1/2 ln 2 + 1/4 ln 4 + 3/20 ln(20/3) + 2 * 1/20 ln 20
    #    = 0.346574 + 0.346574 + 0.284568 + 0.299573 = 1.277289
    expected = 0.5 * math.log(2) + 0.25 * math.log(4) + 0.15 * math.log(20 / 3) + 0.1 * math.log(20)
    assert shannon(GARDEN) == pytest.approx(expected, rel=1e-12)
    assert shannon(GARDEN) == pytest.approx(1.277289, abs=1e-6)


def test_shannon_in_base_two_is_natural_log_value_divided_by_ln_two():
    # four equally common species carry exactly 2 bits
    assert shannon([3, 3, 3, 3], base=2) == pytest.approx(2.0, rel=1e-12)
    # log_2 of 1/2, 1/4, 1/4 -> H = 1/2*1 + 2 * 1/4*2 = 1.5 bits
    assert shannon([2, 1, 1], base=2) == pytest.approx(1.5, rel=1e-12)


def test_shannon_of_equal_abundances_is_log_of_richness():
    assert shannon([7] * 9) == pytest.approx(math.log(9), rel=1e-12)


def test_shannon_ignores_zeros_and_is_zero_for_empty_or_single_species():
    assert shannon([10, 0, 5, 3, 0, 1, 1]) == pytest.approx(shannon(GARDEN), rel=1e-15)
    assert shannon([]) == 0.0
    assert shannon([0, 0]) == 0.0
    assert shannon([12]) == 0.0
    assert math.copysign(1.0, shannon([12])) == 1.0  # not -0.0


def test_shannon_rejects_invalid_logarithm_base():
    with pytest.raises(ValueError):
        shannon(GARDEN, base=1)
    with pytest.raises(ValueError):
        shannon(GARDEN, base=0)


# --------------------------------------------------------------------------
# Simpson
# --------------------------------------------------------------------------


def test_simpson_matches_hand_computation_for_worked_example():
    # sum p^2 = 1/4 + 1/16 + 9/400 + 1/400 + 1/400 = 136/400 = 0.34
    # Gini-Simpson = 1 - 0.34 = 0.66
    sum_p2 = Fraction(1, 4) + Fraction(1, 16) + Fraction(9, 400) + 2 * Fraction(1, 400)
    assert sum_p2 == Fraction(136, 400)
    assert simpson(GARDEN) == pytest.approx(float(1 - sum_p2), rel=1e-12)


def test_simpson_is_probability_two_draws_with_replacement_differ():
    people = _individuals(GARDEN)
    pairs = list(itertools.product(people, repeat=2))  # ordered, with replacement
    differ = Fraction(sum(a != b for a, b in pairs), len(pairs))
    assert differ == Fraction(264, 400)
    assert simpson(GARDEN) == pytest.approx(float(differ), rel=1e-12)


def test_simpson_unbiased_matches_hand_computation_for_worked_example():
    # sum n(n-1) = 10*9 + 5*4 + 3*2 + 0 + 0 = 116 ; N(N-1) = 20*19 = 380
    # 1 - 116/380 = 264/380 = 66/95 = 0.694737
    assert simpson_unbiased(GARDEN) == pytest.approx(66 / 95, rel=1e-12)


def test_simpson_unbiased_is_probability_two_draws_without_replacement_differ():
    people = _individuals(MEADOW)
    pairs = list(itertools.permutations(range(len(people)), 2))  # distinct individuals
    differ = Fraction(sum(people[i] != people[j] for i, j in pairs), len(pairs))
    assert simpson_unbiased(MEADOW) == pytest.approx(float(differ), rel=1e-12)


def test_simpson_of_equal_abundances_is_one_minus_one_over_richness():
    assert simpson([4, 4, 4, 4, 4]) == pytest.approx(1 - 1 / 5, rel=1e-12)


def test_simpson_indices_are_zero_for_empty_single_species_or_one_individual():
    assert simpson([]) == 0.0
    assert simpson([9]) == 0.0
    assert simpson_unbiased([]) == 0.0
    assert simpson_unbiased([1]) == 0.0  # N < 2
    assert simpson_unbiased([9]) == 0.0
    # two singletons: the only pair always differs
    assert simpson_unbiased([1, 1]) == pytest.approx(1.0)


# --------------------------------------------------------------------------
# Hill numbers
# --------------------------------------------------------------------------


def test_hill_numbers_match_hand_computation_for_worked_example():
    hill = hill_numbers(GARDEN)
    assert hill["q0"] == 5
    # q1 = exp(H') with H' from the hand computation above
    h = 0.5 * math.log(2) + 0.25 * math.log(4) + 0.15 * math.log(20 / 3) + 0.1 * math.log(20)
    assert hill["q1"] == pytest.approx(math.exp(h), rel=1e-12)
    assert hill["q1"] == pytest.approx(3.586900, abs=1e-5)
    # q2 = 1 / 0.34 = 50/17
    assert hill["q2"] == pytest.approx(50 / 17, rel=1e-12)


def test_hill_numbers_of_equal_abundances_all_equal_richness():
    hill = hill_numbers([6, 6, 6, 6, 6, 6, 6])
    assert hill["q0"] == pytest.approx(7)
    assert hill["q1"] == pytest.approx(7, rel=1e-12)
    assert hill["q2"] == pytest.approx(7, rel=1e-12)


def test_hill_numbers_decrease_with_order_for_uneven_communities():
    rng = np.random.default_rng(20240611)
    for _ in range(50):
        counts = rng.integers(0, 40, size=rng.integers(1, 25))
        hill = hill_numbers(counts)
        assert hill["q0"] + 1e-9 >= hill["q1"] >= hill["q2"] - 1e-9


def test_hill_numbers_of_empty_community_are_zero_and_single_species_is_one():
    assert hill_numbers([]) == {"q0": 0.0, "q1": 0.0, "q2": 0.0}
    hill = hill_numbers([5])
    assert hill["q0"] == pytest.approx(1)
    assert hill["q1"] == pytest.approx(1)
    assert hill["q2"] == pytest.approx(1)


# --------------------------------------------------------------------------
# Chao1
# --------------------------------------------------------------------------


def test_chao1_bias_corrected_matches_hand_computation_without_doubletons():
    # N = 20, S_obs = 5, F1 = 2, F2 = 0
    # 5 + (19/20) * 2*1 / (2*(0+1)) = 5 + 19/20 = 5.95
    assert chao1(GARDEN) == pytest.approx(5.95, rel=1e-12)


def test_chao1_classic_falls_back_to_bias_corrected_form_when_no_doubletons():
    assert chao1(GARDEN, bias_corrected=False) == pytest.approx(5.95, rel=1e-12)


def test_chao1_matches_hand_computation_with_doubletons():
    # N = 11, S_obs = 6, F1 = 3, F2 = 2
    # bias-corrected: 6 + (10/11) * 3*2 / (2*3) = 6 + 10/11 = 76/11
    assert chao1(MEADOW) == pytest.approx(76 / 11, rel=1e-12)
    # classic: 6 + 3^2 / (2*2) = 6 + 9/4 = 8.25
    assert chao1(MEADOW, bias_corrected=False) == pytest.approx(8.25, rel=1e-12)


def test_chao1_when_all_species_are_singletons():
    # N = 4, S_obs = 4, F1 = 4, F2 = 0: 4 + (3/4) * 4*3/2 = 4 + 9/2 = 8.5
    assert chao1([1, 1, 1, 1]) == pytest.approx(8.5, rel=1e-12)
    assert chao1([1, 1, 1, 1], bias_corrected=False) == pytest.approx(8.5, rel=1e-12)


def test_chao1_equals_observed_richness_without_singletons():
    assert chao1([5, 2, 2, 3]) == pytest.approx(4.0)
    assert chao1([5, 2, 2, 3], bias_corrected=False) == pytest.approx(4.0)
    assert chao1([7]) == pytest.approx(1.0)


def test_chao1_of_empty_community_is_zero():
    assert chao1([]) == 0.0
    assert chao1([0, 0, 0]) == 0.0


def test_chao1_rejects_fractional_counts():
    with pytest.raises(ValueError, match="whole-number"):
        chao1([1.5, 2, 3])


# --------------------------------------------------------------------------
# Chao1 confidence interval (Chao 1987 log-normal; EstimateS 9 / iNEXT)
# --------------------------------------------------------------------------


def _lognormal_ci(s_obs, estimate, variance, z=Z95):
    t = estimate - s_obs
    k = math.exp(z * math.sqrt(math.log(1 + variance / t**2)))
    return s_obs + t / k, s_obs + t * k


def test_chao1_ci_matches_step_by_step_estimates_formula_with_doubletons():
    # MEADOW: N = 11, S_obs = 6, F1 = 3, F2 = 2, a = (N-1)/N = 10/11
    # Source: EstimateS 9 User's Guide, Appendix B, eq. 6 (variance of the
    # bias-corrected Chao1) and eq. 13 / Chao (1987) log-normal interval.
    a = 10 / 11
    f1, f2 = 3, 2
    estimate = 6 + a * f1 * (f1 - 1) / (2 * (f2 + 1))  # 6.909091
    variance = (
        a * f1 * (f1 - 1) / (2 * (f2 + 1))  # 0.909091
        + a**2 * f1 * (2 * f1 - 1) ** 2 / (4 * (f2 + 1) ** 2)  # 1.721763
        + a**2 * f1**2 * f2 * (f1 - 1) ** 2 / (4 * (f2 + 1) ** 4)  # 0.183655
    )
    assert variance == pytest.approx(2.814509, abs=1e-6)
    lower, upper = _lognormal_ci(6, estimate, variance)
    assert chao1_ci(MEADOW) == pytest.approx((lower, upper), rel=1e-12)
    # rounded values for a human reader
    assert chao1_ci(MEADOW) == pytest.approx((6.0836, 15.890), abs=2e-3)


def test_chao1_ci_classic_form_uses_chao_1987_variance():
    # Chao (1987): var = F2 * (r^2/2 + r^3 + r^4/4), r = F1/F2 = 3/2
    # = 2 * (1.125 + 3.375 + 1.265625) = 11.53125 ; estimate = 8.25
    variance = 2 * ((1.5**2) / 2 + 1.5**3 + 1.5**4 / 4)
    assert variance == pytest.approx(11.53125)
    assert chao1_ci(MEADOW, bias_corrected=False) == pytest.approx(
        _lognormal_ci(6, 8.25, variance), rel=1e-12
    )


def test_chao1_ci_matches_step_by_step_formula_when_all_species_are_singletons():
    # F1 = 4, F2 = 0, N = 4, a = 3/4, estimate = 8.5
    # EstimateS 9 Appendix B eq. 7 (also iNEXT ChaoSpecies, f1 > 1 & f2 == 0):
    # var = a F1(F1-1)/2 + a^2 F1 (2F1-1)^2 / 4 - a^2 F1^4 / (4 * estimate)
    a, f1, estimate = 0.75, 4, 8.5
    variance = a * f1 * (f1 - 1) / 2 + a**2 * f1 * (2 * f1 - 1) ** 2 / 4 - a**2 * f1**4 / (4 * estimate)
    assert variance == pytest.approx(4.5 + 27.5625 - 144 / 34, rel=1e-12)
    assert chao1_ci([1, 1, 1, 1]) == pytest.approx(_lognormal_ci(4, estimate, variance), rel=1e-12)


def test_chao1_ci_without_undetected_species_uses_inext_poisson_bounds():
    # Single species with 7 individuals: estimate = S_obs = 1, so T = 0.
    # iNEXT ChaoSpecies (else-branch): P = sum exp(-x_i) / S_obs,
    # V = sum (exp(-x_i) - exp(-2 x_i)) - (sum x_i exp(-x_i))^2 / N
    p = math.exp(-7)
    v = (math.exp(-7) - math.exp(-14)) - (7 * math.exp(-7)) ** 2 / 7
    lower = max(1, 1 / (1 - p) - Z95 * math.sqrt(v) / (1 - p))
    upper = 1 / (1 - p) + Z95 * math.sqrt(v) / (1 - p)
    assert lower == 1
    assert chao1_ci([7]) == pytest.approx((lower, upper), rel=1e-12)


def test_chao1_ci_brackets_estimate_and_never_falls_below_observed_richness():
    for counts in (
        GARDEN,
        MEADOW,
        [1, 1, 1, 1],
        [5, 2, 2, 3],
        [1, 2, 3],
        [30, 1, 1, 1, 2],
    ):
        lower, upper = chao1_ci(counts)
        s_obs = sum(1 for c in counts if c > 0)
        assert s_obs <= lower <= chao1(counts) <= upper


def test_chao1_ci_of_empty_community_is_zero_width():
    assert chao1_ci([]) == (0.0, 0.0)


# --------------------------------------------------------------------------
# Rarefaction
# --------------------------------------------------------------------------


def _brute_force_rarefaction(counts, n):
    """Average richness over every n-subset of individuals, as an exact Fraction."""
    people = _individuals(counts)
    subsets = list(itertools.combinations(range(len(people)), n))
    total = sum(len({people[i] for i in subset}) for subset in subsets)
    return Fraction(total, len(subsets))


def test_rarefaction_matches_brute_force_enumeration():
    tiny = [4, 2, 1, 1]  # N = 8
    # n = 3: all C(8,3) = 56 subsamples enumerated
    assert rarefy(tiny, 3) == pytest.approx(float(_brute_force_rarefaction(tiny, 3)), rel=1e-12)
    for n in range(9):
        expected = _brute_force_rarefaction(tiny, n) if n else Fraction(0)
        assert rarefy(tiny, n) == pytest.approx(float(expected), rel=1e-12, abs=1e-12)


def test_rarefaction_matches_hand_computation_and_hurlbert_pie_at_two_individuals():
    # n = 2, C(20,2) = 190; unseen-pair counts C(20-N_i, 2):
    # C(10,2)=45, C(15,2)=105, C(17,2)=136, C(19,2)=171 (twice)
    # E[S_2] = 5 - (45+105+136+171+171)/190 = 5 - 628/190 = 161/95
    assert rarefy(GARDEN, 2) == pytest.approx(161 / 95, rel=1e-12)
    # Hurlbert (1971): E[S_2] = 1 + PIE, here 1 + 66/95
    assert rarefy(GARDEN, 2) == pytest.approx(1 + 66 / 95, rel=1e-12)


def test_rarefaction_log_gamma_agrees_with_exact_binomials_for_large_counts():
    counts = [900, 450, 300, 120, 80, 60, 40, 20, 10, 5, 3, 2, 2, 1, 1, 1]  # N = 1895
    big_n = sum(counts)
    for n in (1, 10, 250, 1000, 1894):
        exact = sum(1 - Fraction(math.comb(big_n - c, n), math.comb(big_n, n)) for c in counts)
        assert rarefy(counts, n) == pytest.approx(float(exact), rel=1e-9)


def test_rarefaction_to_full_sample_returns_observed_richness_and_to_one_returns_one():
    assert rarefy(GARDEN, 20) == 5.0
    assert rarefy(GARDEN, 1) == pytest.approx(1.0, rel=1e-12)


def test_rarefaction_to_more_individuals_than_counted_raises():
    with pytest.raises(ValueError, match="only 20 individuals"):
        rarefy(GARDEN, 21)
    with pytest.raises(ValueError):
        rarefy([], 1)


def test_rarefaction_rejects_negative_or_fractional_sample_size():
    with pytest.raises(ValueError):
        rarefy(GARDEN, -1)
    with pytest.raises(ValueError):
        rarefy(GARDEN, 2.5)


def test_rarefaction_curve_defaults_to_every_sample_size_for_small_communities():
    curve = rarefaction_curve([4, 2, 1, 1])
    assert [n for n, _ in curve] == list(range(1, 9))
    for n, expected in curve:
        assert expected == pytest.approx(float(_brute_force_rarefaction([4, 2, 1, 1], n)))
    assert curve[-1] == (8, 4.0)


def test_rarefaction_curve_uses_requested_steps_and_rejects_steps_beyond_total():
    assert rarefaction_curve(GARDEN, steps=[2, 20]) == [
        (2, pytest.approx(161 / 95)),
        (20, 5.0),
    ]
    with pytest.raises(ValueError):
        rarefaction_curve(GARDEN, steps=[5, 25])


def test_rarefaction_curve_for_large_community_is_thinned_increasing_and_ends_at_total():
    counts = [500, 300, 100, 50, 30, 10, 5, 3, 1, 1]  # N = 1000
    curve = rarefaction_curve(counts)
    sizes = [n for n, _ in curve]
    values = [v for _, v in curve]
    assert sizes[0] == 1 and sizes[-1] == 1000
    assert len(sizes) <= 101
    assert sizes == sorted(set(sizes))
    assert all(b >= a for a, b in itertools.pairwise(values))
    assert values[-1] == 10.0


def test_rarefaction_curve_of_empty_community_is_empty():
    assert rarefaction_curve([]) == []


# --------------------------------------------------------------------------
# Sample-based accumulation (Mao Tau) and Chao2
# --------------------------------------------------------------------------

SURVEYS = [
    {"Passer montanus", "Pica serica", "Apis cerana"},
    {"Passer montanus", "Pieris rapae"},
    {"Passer montanus", "Apis cerana", "Bufo gargarizans"},
    {"Pica serica", "Apis cerana"},
    {"Passer montanus", "Hemidactylus bowringii"},
]


def test_accumulation_curve_matches_brute_force_over_all_sample_subsets():
    curve = dict(accumulation_curve(SURVEYS))
    assert sorted(curve) == [1, 2, 3, 4, 5]
    for k in range(1, 6):
        subsets = list(itertools.combinations(SURVEYS, k))
        expected = Fraction(sum(len(set().union(*s)) for s in subsets), len(subsets))
        assert curve[k] == pytest.approx(float(expected), rel=1e-12)


def test_accumulation_curve_matches_average_over_all_sample_orderings():
    # classic randomised accumulation with every one of the 5! = 120 orders
    totals = [Fraction(0)] * 5
    orders = list(itertools.permutations(SURVEYS))
    for order in orders:
        seen = set()
        for k, sample in enumerate(order):
            seen |= sample
            totals[k] += len(seen)
    expected = [float(t / len(orders)) for t in totals]
    assert [v for _, v in accumulation_curve(SURVEYS)] == pytest.approx(expected, rel=1e-12)


def test_accumulation_curve_hand_values_at_first_and_last_sample():
    curve = accumulation_curve(SURVEYS)
    # k = 1: mean richness per survey = (3 + 2 + 3 + 2 + 2) / 5 = 12/5
    assert curve[0] == (1, pytest.approx(12 / 5))
    # k = T: all 6 species observed
    assert curve[-1] == (5, 6.0)


def test_accumulation_curve_ignores_duplicate_species_within_a_sample():
    with_duplicates = [["a", "a", "b"], ["b", "b"], ["c"]]
    as_sets = [{"a", "b"}, {"b"}, {"c"}]
    assert accumulation_curve(with_duplicates) == accumulation_curve(as_sets)


def test_accumulation_curve_of_no_samples_is_empty_and_bare_string_sample_is_rejected():
    assert accumulation_curve([]) == []
    with pytest.raises(TypeError):
        accumulation_curve(["Pica serica"])


def test_chao2_matches_hand_computation():
    # T = 4 surveys; incidence a:4, b:2, c:1, d:1, e:1 -> S_obs = 5, Q1 = 3, Q2 = 1
    # 5 + (3/4) * 3*2 / (2*(1+1)) = 5 + (3/4)(3/2) = 5 + 9/8 = 6.125
    samples = [{"a", "b"}, {"a", "c"}, {"a", "b", "d"}, {"e", "a"}]
    assert chao2(samples) == pytest.approx(6.125, rel=1e-12)


def test_chao2_for_the_survey_fixture_matches_hand_computation():
    # incidence: Passer 4, Pica 2, Apis 3, Pieris 1, Bufo 1, Hemidactylus 1
    # S_obs = 6, Q1 = 3, Q2 = 1, T = 5: 6 + (4/5) * 6 / 4 = 6 + 6/5 = 7.2
    assert chao2(SURVEYS) == pytest.approx(7.2, rel=1e-12)


def test_chao2_edge_cases():
    assert chao2([]) == 0.0
    assert chao2([set(), set()]) == 0.0
    # a single survey: (T-1)/T = 0, so the estimate is the observed richness
    assert chao2([{"a", "b", "c"}]) == pytest.approx(3.0)


# --------------------------------------------------------------------------
# Input handling
# --------------------------------------------------------------------------


def test_counts_accept_pandas_series_and_numpy_arrays_dropping_zeros_and_nan():
    series = pd.Series([10, 0, 5, np.nan, 3, 1, 1])
    nullable = pd.Series([10, 5, None, 3, 1, 1, 0], dtype="Int64")
    array = np.array([10.0, 5.0, 0.0, 3.0, 1.0, 1.0])
    for counts in (series, nullable, array, {"a": 10, "b": 5, "c": 3, "d": 1, "e": 1}):
        assert shannon(counts) == pytest.approx(shannon(GARDEN), rel=1e-15)
        assert simpson(counts) == pytest.approx(0.66, rel=1e-12)
        assert chao1(counts) == pytest.approx(5.95, rel=1e-12)
        assert rarefy(counts, 2) == pytest.approx(161 / 95, rel=1e-12)


@pytest.mark.parametrize(
    "function",
    [
        shannon,
        simpson,
        simpson_unbiased,
        hill_numbers,
        chao1,
        chao1_ci,
        rarefaction_curve,
    ],
)
def test_negative_count_raises_value_error(function):
    with pytest.raises(ValueError, match="non-negative"):
        function([3, -1, 2])


def test_negative_count_in_pandas_series_raises_value_error():
    with pytest.raises(ValueError, match="non-negative"):
        rarefy(pd.Series([3, -2]), 1)


def test_non_numeric_counts_are_rejected():
    with pytest.raises(ValueError, match="numeric"):
        shannon(["many", "few"])
    with pytest.raises(TypeError):
        shannon("10,5,3")


# --------------------------------------------------------------------------
# Survey effort
# --------------------------------------------------------------------------


def test_observer_hours_multiplies_duration_in_hours_by_observers():
    # 90 minutes with 2 observers = 1.5 h * 2 = 3 observer-hours
    assert observer_hours(90, 2) == pytest.approx(3.0)
    assert observer_hours(45, 1) == pytest.approx(0.75)
    assert observer_hours(30, 0) == 0.0


def test_observer_hours_rejects_negative_or_missing_inputs():
    with pytest.raises(ValueError):
        observer_hours(-5, 2)
    with pytest.raises(ValueError):
        observer_hours(60, -1)
    with pytest.raises(ValueError):
        observer_hours(None, 2)


def test_per_effort_divides_count_by_observer_hours():
    assert per_effort(12, 3.0) == pytest.approx(4.0)
    assert per_effort(5, observer_hours(90, 2)) == pytest.approx(5 / 3)
    assert per_effort(0, 2.0) == 0.0


def test_per_effort_is_none_without_effort():
    assert per_effort(5, 0) is None
    assert per_effort(5, 0.0) is None
    assert per_effort(5, None) is None
    assert per_effort(5, float("nan")) is None


def test_per_effort_rejects_negative_values():
    with pytest.raises(ValueError):
        per_effort(5, -1.0)
    with pytest.raises(ValueError):
        per_effort(-5, 1.0)
