"""Which groups a manager's view of mock findings may count (`domain/mock_audit/small_groups`)."""

from __future__ import annotations

import pytest

from bot.domain.mock_audit.small_groups import SmallGroups, small_groups


def test_a_department_with_fewer_than_the_minimum_sampled_is_withheld() -> None:
    groups = small_groups(
        {("Warehouse", "driver"): 1, ("Warehouse", "supervisor"): 1, ("Sales", "seller"): 3},
        min_people=3,
    )
    assert groups == SmallGroups(3, withheld=("Warehouse",), without_roles=frozenset())


def test_a_role_with_fewer_than_the_minimum_folds_every_role_into_the_department() -> None:
    # Showing the 4 operators would leave "the others" as a group of 2: no role is shown.
    groups = small_groups(
        {("Production", "operator"): 4, ("Production", "supervisor"): 1, ("Production", None): 1},
        min_people=3,
    )
    assert groups.withheld == ()
    assert groups.without_roles == {"Production"}


def test_people_with_no_role_recorded_are_a_group_of_their_own() -> None:
    groups = small_groups({("Stores", "picker"): 3, ("Stores", None): 2}, min_people=3)
    assert groups.without_roles == {"Stores"}


def test_roles_are_shown_when_every_role_is_big_enough() -> None:
    groups = small_groups(
        {("Stores", "picker"): 3, ("Stores", "driver"): 5, ("Sales", "seller"): 3}, min_people=3
    )
    assert (groups.withheld, groups.without_roles) == ((), frozenset())


def test_a_minimum_of_one_withholds_nothing_and_empty_groups_are_nobody() -> None:
    groups = small_groups({("Stores", "picker"): 1, ("Sales", "seller"): 0}, min_people=1)
    assert (groups.withheld, groups.without_roles) == ((), frozenset())
    assert small_groups({("Sales", "seller"): 0}, min_people=3).withheld == ()


def test_the_minimum_must_be_at_least_one() -> None:
    with pytest.raises(ValueError, match="min_people is 0; it must be 1 or more"):
        small_groups({}, min_people=0)
