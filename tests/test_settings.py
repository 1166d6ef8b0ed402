"""Settings: values a typo would silently break are rejected with the allowed choices."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pilsearch.search.fusion import authority_tier
from pilsearch.settings import Settings


def test_authority_tier_names_statute_kinds_only() -> None:
    with pytest.raises(ValidationError, match="choose from"):
        Settings(authority_tier=("laws",))
    with pytest.raises(ValidationError, match="unknown statute kind"):
        Settings(authority_tier=("guiding_case",))  # cases have no articles to lift


def test_authority_tier_is_off_until_weighted() -> None:
    assert authority_tier(Settings()) == ()
    (condition,) = authority_tier(Settings(authority_tier_weight=0.25))
    assert condition.key == "doc_type" and condition.values == ("law",)
