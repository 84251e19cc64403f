"""What the environment keeps between pages: a month sheet's fit, by the month itself."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from conftest import copy_sample

from generator.pipeline import load_site
from generator.render.environment import make_environment
from generator.render.printing import month_fit


def test_print_fit_is_worked_out_once_per_month_and_layout(tmp_path: Path) -> None:
    copy_sample(tmp_path)
    site = load_site(tmp_path, date(2026, 4, 10))
    env = make_environment(site.theme_dirs, language=site.settings.language)
    print_fit = env.filters["print_fit"]
    month = site.current.months[1]
    normal = print_fit(month, "normal")
    assert print_fit(month, "normal") is normal  # the month page and the print page
    assert print_fit(month, "large") is not normal
    assert print_fit(month, "large").layout.name == "large"
    assert normal == month_fit(month, "normal")
    # a month made again (an edit in the preview) is fitted again, even when equal
    again = dataclasses.replace(month)
    assert print_fit(again, "normal") is not normal
    assert print_fit(again, "normal") == normal
