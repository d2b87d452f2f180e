"""Biodiversity statistics for the committee dashboard.

Pure functions, no I/O. Community gardens are surveyed with very different
effort, so besides the classic diversity indices this module provides effort
standardisation (rarefaction, sample-based accumulation, per observer-hour
rates) and non-parametric richness estimators (Chao1, Chao2).

Input conventions
-----------------
``counts`` is a one-dimensional collection of per-species abundances: a list,
tuple, numpy array, pandas Series or a mapping ``{species: count}`` (its values
are used). Values are converted to floats; zeros and missing values (NaN,
None, ``pd.NA``) are dropped. Negative or infinite values raise ``ValueError``.
Estimators that rely on counting individuals (Chao1, rarefaction, the unbiased
Simpson index) additionally require whole-number counts.

References
----------
* Chao, A. (1984) Scand. J. Statist. 11:265-270 (Chao1).
* Chao, A. (1987) Biometrics 43:783-791 (variance, log-normal CI).
* Chao, A. (2005) Species estimation and applications. Encyclopedia of
  Statistical Sciences, 2nd ed. (bias-corrected Chao1/Chao2).
* Colwell, R.K. (2013) EstimateS 9 User's Guide, Appendix B.
* Colwell, R.K., Mao, C.X. & Chang, J. (2004) Ecology 85:2717-2727 (Mao Tau).
* Hurlbert, S.H. (1971) Ecology 52:577-586 (rarefaction, PIE).
* Hill, M.O. (1973) Ecology 54:427-432 (Hill numbers).
* Hsieh, Ma & Chao (2016) iNEXT, Methods Ecol. Evol. 7:1451-1456.
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from statistics import NormalDist
from typing import Any

import numpy as np

__all__ = [
    "accumulation_curve",
    "chao1",
    "chao1_ci",
    "chao2",
    "hill_numbers",
    "observer_hours",
    "per_effort",
    "rarefaction_curve",
    "rarefy",
    "shannon",
    "simpson",
    "simpson_unbiased",
]

# Above this many individuals the default rarefaction curve is evaluated at
# about this many evenly spaced sample sizes instead of at every integer.
_DEFAULT_CURVE_POINTS = 100


# --------------------------------------------------------------------------
# input handling
# --------------------------------------------------------------------------


def _is_missing(x: Any) -> bool:
    """True for None, NaN and pandas' NA/NaT scalars."""
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return type(x).__name__ in ("NAType", "NaTType")


def _as_counts(counts: Any) -> np.ndarray:
    """Return the positive abundances of ``counts`` as a 1-D float array."""
    if counts is None:
        return np.zeros(0, dtype=float)
    if isinstance(counts, (str, bytes)):
        raise TypeError("counts must be a sequence of numbers, not a string")
    if isinstance(counts, Mapping):
        counts = list(counts.values())
    try:
        if hasattr(counts, "to_numpy"):  # pandas Series / Index / ExtensionArray
            arr = counts.to_numpy(dtype=float, na_value=np.nan)
        elif isinstance(counts, np.ndarray) and counts.dtype != object:
            arr = counts.astype(float)
        else:
            arr = np.asarray([np.nan if _is_missing(c) else c for c in counts], dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"counts must be numeric abundances: {exc}") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"counts must be one-dimensional, got shape {arr.shape}")
    arr = arr[~np.isnan(arr)]
    if np.isinf(arr).any():
        raise ValueError("counts must be finite; got an infinite value")
    if (arr < 0).any():
        bad = float(arr[arr < 0][0])
        raise ValueError(f"counts must be non-negative; got {bad:g}")
    return arr[arr > 0]


def _as_whole_counts(counts: Any, what: str) -> np.ndarray:
    """Like :func:`_as_counts` but also require whole numbers of individuals."""
    arr = _as_counts(counts)
    if (arr != np.floor(arr)).any():
        bad = float(arr[arr != np.floor(arr)][0])
        raise ValueError(f"{what} needs whole-number counts of individuals; got {bad:g}")
    return arr


def _as_sample_size(n: Any) -> int:
    if isinstance(n, bool):
        raise TypeError("sample size must be an integer, not a bool")
    try:
        value = operator.index(n)
    except TypeError:
        if isinstance(n, float) and n.is_integer():
            value = int(n)
        else:
            raise ValueError(f"sample size must be a whole number; got {n!r}") from None
    if value < 0:
        raise ValueError(f"sample size must be non-negative; got {value}")
    return value


def _as_incidence(samples: Any) -> tuple[int, Counter]:
    """Return (number of samples T, {species: number of samples containing it})."""
    if samples is None:
        return 0, Counter()
    if isinstance(samples, (str, bytes)):
        raise TypeError("samples must be a sequence of species collections, not a string")
    incidence: Counter = Counter()
    n_samples = 0
    for sample in samples:
        if isinstance(sample, (str, bytes)):
            raise TypeError(
                "each sample must be a collection of species names, not a single string "
                f"({sample!r}); wrap it in a list or set"
            )
        if sample is None:
            sample = ()
        species = {s for s in sample if s is not None and not (isinstance(s, float) and math.isnan(s))}
        incidence.update(species)
        n_samples += 1
    return n_samples, incidence


# --------------------------------------------------------------------------
# diversity indices
# --------------------------------------------------------------------------


def shannon(counts: Sequence[int | float], base: float = math.e) -> float:
    """Shannon index ``H' = -sum p_i log(p_i)`` in the given logarithm base.

    Zeros are ignored; an empty community gives ``0.0``.
    """
    if not (base > 0 and base != 1 and math.isfinite(base)):
        raise ValueError(f"logarithm base must be positive and not 1; got {base!r}")
    arr = _as_counts(counts)
    if arr.size == 0:
        return 0.0
    p = arr / arr.sum()
    h = float(-(p * np.log(p)).sum())
    if h <= 0.0:  # a single species gives -0.0 (or tiny rounding noise)
        return 0.0
    return h / math.log(base)


def simpson(counts: Sequence[int | float]) -> float:
    """Gini-Simpson index ``1 - sum p_i^2``.

    The probability that two individuals drawn *with* replacement belong to
    different species. Empty community -> ``0.0``.
    """
    arr = _as_counts(counts)
    if arr.size == 0:
        return 0.0
    p = arr / arr.sum()
    return float(max(1.0 - (p * p).sum(), 0.0))


def simpson_unbiased(counts: Sequence[int | float]) -> float:
    """Unbiased Gini-Simpson ``1 - sum n_i(n_i-1) / (N(N-1))``.

    The probability that two individuals drawn *without* replacement belong to
    different species (Hurlbert's PIE up to the factor N/(N-1)).
    Returns ``0.0`` when fewer than two individuals were counted.
    """
    arr = _as_whole_counts(counts, "simpson_unbiased")
    total = arr.sum()
    if total < 2:
        return 0.0
    return float(1.0 - (arr * (arr - 1)).sum() / (total * (total - 1)))


def hill_numbers(counts: Sequence[int | float]) -> dict[str, float]:
    """Hill numbers (effective numbers of species) of order 0, 1 and 2.

    ``q0`` = species richness, ``q1`` = ``exp(H')`` (natural-log Shannon),
    ``q2`` = ``1 / sum p_i^2`` (inverse Simpson). Always ``q0 >= q1 >= q2``;
    all three equal S when the species are equally abundant. An empty
    community gives zeros.
    """
    arr = _as_counts(counts)
    if arr.size == 0:
        return {"q0": 0.0, "q1": 0.0, "q2": 0.0}
    p = arr / arr.sum()
    h = max(float(-(p * np.log(p)).sum()), 0.0)
    return {
        "q0": float(arr.size),
        "q1": math.exp(h),
        "q2": float(1.0 / (p * p).sum()),
    }


# --------------------------------------------------------------------------
# richness estimators
# --------------------------------------------------------------------------


def _singletons_doubletons(arr: np.ndarray) -> tuple[int, int]:
    return int((arr == 1).sum()), int((arr == 2).sum())


def chao1(counts: Sequence[int | float], bias_corrected: bool = True) -> float:
    """Abundance-based Chao1 estimate of total species richness.

    Bias-corrected form (Chao 2005; EstimateS default)::

        S_obs + ((N-1)/N) * F1 (F1-1) / (2 (F2+1))

    Classic form (``bias_corrected=False``, Chao 1984)::

        S_obs + F1^2 / (2 F2)            when F2 > 0
        the bias-corrected form          when F2 == 0 (as EstimateS/vegan do)

    ``F1``/``F2`` are the numbers of singleton/doubleton species, ``N`` the
    number of individuals. Empty community -> ``0.0``.
    """
    arr = _as_whole_counts(counts, "chao1")
    return _chao1_from(arr, bias_corrected)


def _chao1_from(arr: np.ndarray, bias_corrected: bool) -> float:
    s_obs = int(arr.size)
    if s_obs == 0:
        return 0.0
    n = float(arr.sum())
    f1, f2 = _singletons_doubletons(arr)
    if not bias_corrected and f2 > 0:
        return s_obs + f1 * f1 / (2.0 * f2)
    return s_obs + ((n - 1.0) / n) * f1 * (f1 - 1) / (2.0 * (f2 + 1))


def chao1_ci(
    counts: Sequence[int | float],
    bias_corrected: bool = True,
    conf: float = 0.95,
) -> tuple[float, float]:
    """Log-normal confidence interval for Chao1 (Chao 1987).

    With ``S = chao1(counts, bias_corrected)``, ``T = S - S_obs`` (the estimated
    number of undetected species), ``z`` the two-sided normal quantile
    (1.95996 for 95%) and ``a = (N-1)/N``::

        K     = exp(z * sqrt(ln(1 + var(S) / T^2)))
        lower = S_obs + T / K
        upper = S_obs + T * K

    The lower bound is therefore never below S_obs and the interval is
    asymmetric (long upper tail). ``var(S)`` follows EstimateS 9 Appendix B
    and iNEXT ``ChaoSpecies``:

    * bias-corrected, any F2 > 0 (EstimateS eq. 6)::

        a F1(F1-1)/(2(F2+1)) + a^2 F1(2F1-1)^2/(4(F2+1)^2)
          + a^2 F1^2 F2 (F1-1)^2/(4(F2+1)^4)

    * F2 == 0 (either form; EstimateS eq. 7, iNEXT)::

        a F1(F1-1)/2 + a^2 F1(2F1-1)^2/4 - a^2 F1^4/(4 S)

    * classic form with F2 > 0 (Chao 1987)::

        F2 * (r^2/2 + r^3 + r^4/4),  r = F1/F2

    When ``T == 0`` (no undetected species are estimated, e.g. F1 <= 1 for the
    bias-corrected form) the log-normal interval is undefined; as in iNEXT
    ``ChaoSpecies`` we then use, summing over observed species i with
    abundance x_i::

        P     = sum_i exp(-x_i) / S_obs
        V     = sum_i (exp(-x_i) - exp(-2 x_i)) - (sum_i x_i exp(-x_i))^2 / N
        lower = max(S_obs, S_obs/(1-P) - z sqrt(V)/(1-P))
        upper = S_obs/(1-P) + z sqrt(V)/(1-P)

    Empty community -> ``(0.0, 0.0)``.
    """
    if not 0 < conf < 1:
        raise ValueError(f"conf must be between 0 and 1; got {conf!r}")
    arr = _as_whole_counts(counts, "chao1_ci")
    s_obs = int(arr.size)
    if s_obs == 0:
        return 0.0, 0.0
    z = NormalDist().inv_cdf(0.5 + conf / 2.0)
    n = float(arr.sum())
    a = (n - 1.0) / n
    f1, f2 = _singletons_doubletons(arr)
    estimate = _chao1_from(arr, bias_corrected)
    t = estimate - s_obs

    if t > 0:
        if f2 == 0:
            var = (
                a * f1 * (f1 - 1) / 2.0
                + a * a * f1 * (2 * f1 - 1) ** 2 / 4.0
                - a * a * f1**4 / (4.0 * estimate)
            )
        elif bias_corrected:
            var = (
                a * f1 * (f1 - 1) / (2.0 * (f2 + 1))
                + a * a * f1 * (2 * f1 - 1) ** 2 / (4.0 * (f2 + 1) ** 2)
                + a * a * f1 * f1 * f2 * (f1 - 1) ** 2 / (4.0 * (f2 + 1) ** 4)
            )
        else:
            r = f1 / f2
            var = f2 * (r**2 / 2.0 + r**3 + r**4 / 4.0)
        var = max(var, 0.0)
        k = math.exp(z * math.sqrt(math.log(1.0 + var / (t * t))))
        return float(s_obs + t / k), float(s_obs + t * k)

    e1 = np.exp(-arr)
    p = float(e1.sum()) / s_obs
    v = float((e1 - e1 * e1).sum()) - float((arr * e1).sum()) ** 2 / n
    half = z * math.sqrt(max(v, 0.0)) / (1.0 - p)
    centre = s_obs / (1.0 - p)
    return float(max(s_obs, centre - half)), float(centre + half)


def chao2(samples: Sequence[Collection[str]]) -> float:
    """Incidence-based, bias-corrected Chao2 richness estimate.

    ``S_obs + ((T-1)/T) * Q1 (Q1-1) / (2 (Q2+1))`` where T is the number of
    samples (surveys) and Q1/Q2 the numbers of species found in exactly one /
    two samples. Each sample is a collection of species names (duplicates
    within a sample are ignored). No samples -> ``0.0``.
    """
    n_samples, incidence = _as_incidence(samples)
    s_obs = len(incidence)
    if n_samples == 0 or s_obs == 0:
        return 0.0
    freqs = list(incidence.values())
    q1 = sum(1 for f in freqs if f == 1)
    q2 = sum(1 for f in freqs if f == 2)
    return s_obs + ((n_samples - 1.0) / n_samples) * q1 * (q1 - 1) / (2.0 * (q2 + 1))


# --------------------------------------------------------------------------
# rarefaction and accumulation
# --------------------------------------------------------------------------


def _log_choose(n: float, k: float) -> float:
    return math.lgamma(n + 1.0) - math.lgamma(k + 1.0) - math.lgamma(n - k + 1.0)


def _expected_richness(freqs: Counter, total: int, k: int) -> float:
    """``sum_i [1 - C(total - f_i, k) / C(total, k)]`` over species frequencies f_i.

    ``freqs`` maps a frequency value to the number of species having it.
    Terms with ``total - f_i < k`` have C(...) = 0, i.e. the species is certain
    to be included.
    """
    if k == 0:
        return 0.0
    log_denominator = _log_choose(total, k)
    expected = 0.0
    for f, n_species in freqs.items():
        rest = total - f
        if rest < k:
            expected += n_species
        else:
            miss = math.exp(_log_choose(rest, k) - log_denominator)
            expected += n_species * (1.0 - miss)
    return expected


def rarefy(counts: Sequence[int | float], n: int) -> float:
    """Hurlbert's rarefied richness: expected species among ``n`` individuals.

    ``E[S_n] = sum_i [1 - C(N - N_i, n) / C(N, n)]`` for a random subsample of
    ``n`` individuals drawn without replacement from the N counted. Binomial
    coefficients are evaluated with ``math.lgamma`` for numerical stability.
    ``n == N`` returns S_obs; ``n > N`` raises ``ValueError``.
    """
    arr = _as_whole_counts(counts, "rarefy")
    k = _as_sample_size(n)
    total = int(arr.sum())
    if k > total:
        raise ValueError(f"cannot rarefy to {k} individuals: only {total} individuals were counted")
    if k == total:
        return float(arr.size)
    freqs = Counter(int(x) for x in arr)
    return _expected_richness(freqs, total, k)


def rarefaction_curve(
    counts: Sequence[int | float], steps: Sequence[int] | None = None
) -> list[tuple[int, float]]:
    """Individual-based rarefaction curve ``[(n, rarefy(counts, n)), ...]``.

    ``steps`` defaults to every sample size 1..N when N <= 100, otherwise to
    about 100 evenly spaced sizes from 1 to N (always including N). Explicit
    ``steps`` are evaluated in the order given; a step larger than N raises
    ``ValueError``. Empty community with default steps -> ``[]``.
    """
    arr = _as_whole_counts(counts, "rarefaction_curve")
    total = int(arr.sum())
    if steps is None:
        if total == 0:
            return []
        if total <= _DEFAULT_CURVE_POINTS:
            sizes = list(range(1, total + 1))
        else:
            grid = np.linspace(1, total, _DEFAULT_CURVE_POINTS)
            sizes = sorted({round(float(x)) for x in grid} | {1, total})
    else:
        sizes = [_as_sample_size(s) for s in steps]
    bad = [s for s in sizes if s > total]
    if bad:
        raise ValueError(f"cannot rarefy to {bad[0]} individuals: only {total} individuals were counted")
    freqs = Counter(int(x) for x in arr)
    s_obs = float(arr.size)
    return [(s, s_obs if s == total else _expected_richness(freqs, total, s)) for s in sizes]


def accumulation_curve(samples: Sequence[Collection[str]]) -> list[tuple[int, float]]:
    """Sample-based species accumulation curve (Mao Tau, exact).

    Expected number of species in ``k`` samples drawn without replacement from
    the ``T`` samples (Colwell et al. 2004; vegan ``specaccum(method="exact")``)::

        E[S_k] = sum_species [1 - C(T - s_i, k) / C(T, k)]

    where ``s_i`` is the number of samples containing species i. Each sample
    is a collection of species names (duplicates ignored). Returns
    ``[(k, E[S_k]) for k in 1..T]``; no samples -> ``[]``.
    """
    n_samples, incidence = _as_incidence(samples)
    if n_samples == 0:
        return []
    freqs = Counter(incidence.values())
    s_obs = float(len(incidence))
    return [
        (k, s_obs if k == n_samples else _expected_richness(freqs, n_samples, k))
        for k in range(1, n_samples + 1)
    ]


# --------------------------------------------------------------------------
# survey effort
# --------------------------------------------------------------------------


def per_effort(count: float, observer_hours: float) -> float | None:
    """Count per observer-hour, or ``None`` when effort is 0 or unknown.

    ``None``/NaN count also gives ``None``; negative values raise ``ValueError``.
    """
    if _is_missing(observer_hours) or _is_missing(count):
        return None
    effort = float(observer_hours)
    value = float(count)
    if effort < 0:
        raise ValueError(f"observer-hours must be non-negative; got {effort:g}")
    if value < 0:
        raise ValueError(f"count must be non-negative; got {value:g}")
    if effort == 0:
        return None
    return value / effort


def observer_hours(duration_minutes: float, observers: int) -> float:
    """Survey effort in observer-hours: ``duration_minutes / 60 * observers``."""
    if _is_missing(duration_minutes) or _is_missing(observers):
        raise ValueError("duration and number of observers are required for observer-hours")
    minutes = float(duration_minutes)
    people = float(observers)
    if not (math.isfinite(minutes) and math.isfinite(people)):
        raise ValueError("duration and number of observers must be finite")
    if minutes < 0:
        raise ValueError(f"survey duration must be non-negative; got {minutes:g} minutes")
    if people < 0 or not people.is_integer():
        raise ValueError(f"number of observers must be a whole number >= 0; got {observers!r}")
    return minutes / 60.0 * people
