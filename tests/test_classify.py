"""core/classify.py against mapclassify (the `test` extra only: never imported by the app)."""

import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from silkmap.core import classify
from silkmap.core.classify import Classification

mapclassify = pytest.importorskip("mapclassify")

# mapclassify warns when numba is absent (its Fisher-Jenks runs as plain Python) and when ties
# leave fewer classes; neither matters here.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

# Values of the kind the map classifies: skewed sizes (trade in US$ bn), small counts with ties,
# shares in per cent, and signed balances.
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
samples = st.one_of(
    st.lists(finite, min_size=1, max_size=60),
    st.lists(st.integers(0, 12).map(float), min_size=1, max_size=60),
    st.lists(st.floats(0.01, 60).map(lambda v: round(v, 2)), min_size=1, max_size=60),
)
ks = st.integers(classify.K_MIN, classify.K_MAX)


def reference(cls, y, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cls(np.asarray(y), **kw)


@settings(max_examples=150, deadline=None)
@given(samples, ks)
def test_quantiles_equal_mapclassify(y, k):
    ref = reference(mapclassify.Quantiles, y, k=k)
    assert classify.quantiles(y, k).tolist() == ref.bins.tolist()
    assert classify.bin_ids(y, ref.bins).tolist() == ref.yb.tolist()


@settings(max_examples=150, deadline=None)
@given(samples, ks)
def test_equal_interval_equals_mapclassify(y, k):
    if min(y) == max(y):  # mapclassify refuses; one class here
        assert classify.equal_interval(y, k).tolist() == [y[0]]
        return
    ref = reference(mapclassify.EqualInterval, y, k=k)
    assert classify.equal_interval(y, k).tolist() == ref.bins.tolist()
    assert classify.bin_ids(y, ref.bins).tolist() == ref.yb.tolist()


@settings(max_examples=120, deadline=None)
@given(st.one_of(st.lists(finite, min_size=2, max_size=45),
                 st.lists(st.integers(0, 9).map(float), min_size=2, max_size=45)), ks)
def test_natural_breaks_equal_mapclassify_fisher_jenks(y, k):
    distinct = len(set(y))
    if distinct < k:  # mapclassify refuses; as many classes as there are values here
        assert len(classify.natural_breaks(y, k)) == distinct
        return
    ref = reference(mapclassify.FisherJenks, y, k=k)
    assert classify.natural_breaks(y, k).tolist() == ref.bins.tolist()


@settings(max_examples=150, deadline=None)
@given(samples, st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=classify.MAX_BREAKS, unique=True))
def test_user_breaks_equal_mapclassify_user_defined(y, breaks):
    breaks = sorted(breaks)
    ref = reference(mapclassify.UserDefined, y, bins=breaks)
    assert classify.user_defined(y, breaks).tolist() == ref.bins.tolist()
    assert classify.bin_ids(y, ref.bins).tolist() == ref.yb.tolist()


def test_natural_breaks_on_a_realistic_sample_of_170():
    """The size the fixed breaks see (34 years × 5 countries): skewed, with near-ties."""
    y = np.round(np.random.default_rng(12).lognormal(0.5, 1.4, 170), 2)
    for k in (3, 5, 7):
        assert classify.natural_breaks(y, k).tolist() == reference(mapclassify.FisherJenks, y, k=k).bins.tolist()


def test_classes_put_each_value_where_mapclassify_does():
    y = [0.4, 1.2, 1.2, 3.5, 9.0, 22.0, 31.5]
    for scheme, cls in (("quantiles", mapclassify.Quantiles), ("natural", mapclassify.FisherJenks),
                        ("equal", mapclassify.EqualInterval)):
        c = classify.classes(y, Classification(scheme, 3))
        ref = reference(cls, y, k=3)
        assert list(c.bins) == ref.bins.tolist()
        assert [c.class_of(v) for v in y] == ref.yb.tolist()
        assert c.lowest == 0.4 and c.ranges()[0] == (0.4, c.bins[0])
    c = classify.classes(y, Classification("user", breaks=(1.0, 10.0)))
    assert c.bins == (1.0, 10.0, 31.5) and [c.class_of(v) for v in y] == [0, 1, 1, 1, 1, 2, 2]


@pytest.mark.parametrize("bad, message", [
    (Classification("median"), "unknown classification 'median'"),
    (Classification("quantiles", 1), "from 2 to 7, got 1"),
    (Classification("natural", 8), "from 2 to 7, got 8"),
    (Classification("user", breaks=()), "at least one break"),
    (Classification("user", breaks=(3.0, 2.0)), "breaks must increase: 3 is followed by 2"),
    (Classification("user", breaks=(1.0, 1.0)), "breaks must increase"),
    (Classification("user", breaks=(1.0, float("nan"))), "not a finite number"),
])
def test_bad_classifications_say_what_in_one_line(bad, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")) as exc:
        bad.check()
    assert "\n" not in str(exc.value)


def test_breaks_parse_from_text():
    assert classify.parse_breaks("1, 2.5 ,10") == (1.0, 2.5, 10.0)
    assert classify.parse_breaks("1；5，9") == (1.0, 5.0, 9.0)
    with pytest.raises(ValueError, match="break 'x' is not a number"):
        classify.parse_breaks("1,x")
    with pytest.raises(ValueError, match="breaks must increase"):
        classify.parse_breaks("5,1")


def test_the_app_never_imports_mapclassify():
    """A test-only reference: the bundle has no room for it and scipy."""
    code = ("import sys\nfrom silkmap.core import classify\n"
            "classify.classes([1.0, 2.0, 3.0, 7.0], classify.Classification('natural', 3))\n"
            "import silkmap.cli.main, silkmap.ui.main_window, silkmap.render.renderer\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('mapclassify', 'scipy', 'sklearn')]\n"
            "assert not bad, bad\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
