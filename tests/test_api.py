"""The public API: a short, sorted __all__ whose names all exist and are documented."""

from __future__ import annotations

import alliancekit as ak


def test_all_is_sorted_and_every_name_exists() -> None:
    assert ak.__all__ == sorted(ak.__all__)
    for name in ak.__all__:
        assert hasattr(ak, name), name


def test_every_public_function_has_a_docstring() -> None:
    for name in ak.__all__:
        obj = getattr(ak, name)
        if callable(obj):
            assert obj.__doc__ and obj.__doc__.strip(), name


def test_every_error_derives_from_the_root() -> None:
    for name in ak.__all__:
        obj = getattr(ak, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, ak.AlliancekitError)
