"""feeds.py's own pieces: RSS dates are written as the standard library writes them."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime as stdlib_format_datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from awsnotes_site.feeds import format_datetime

ZONES = st.one_of(
    st.none(),
    st.timedeltas(
        min_value=-dt.timedelta(hours=23, minutes=59), max_value=dt.timedelta(hours=23, minutes=59)
    ).map(lambda d: dt.timezone(dt.timedelta(minutes=d // dt.timedelta(minutes=1)))),
)


@settings(max_examples=500, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)), ZONES)
def test_rss_dates_are_what_email_utils_writes(when: dt.datetime, zone: dt.tzinfo | None) -> None:
    when = when.replace(tzinfo=zone)
    assert format_datetime(when) == stdlib_format_datetime(when)


def test_an_rss_date() -> None:
    seoul = dt.timezone(dt.timedelta(hours=9))
    when = dt.datetime(2026, 12, 7, 9, 5, 3, tzinfo=seoul)
    assert format_datetime(when) == "Mon, 07 Dec 2026 09:05:03 +0900"
