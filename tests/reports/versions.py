"""The records versions of a programme, as the tests of freshness read them."""

from sites.models import Programme, ScopeVersion


def versions(programme) -> dict[tuple[str, int], int]:
    """Every version the figures of ``programme`` are cached under, by scope."""
    found = {
        (row.kind, row.scope_id): row.version
        for row in ScopeVersion.objects.filter(programme_id=programme.pk)
    }
    found["programme", programme.pk] = Programme.objects.values_list(
        "records_version", flat=True
    ).get(pk=programme.pk)
    return found


def version(programme) -> int:
    """The version of the programme's cross-site figures: the sum of all, as each counts up."""
    return sum(versions(programme).values())


def moved(before: dict, after: dict) -> dict[tuple[str, int], int]:
    """How far each version moved on between ``before`` and ``after``, for those that did."""
    steps = {scope: value - before.get(scope, 0) for scope, value in after.items()}
    return {scope: step for scope, step in steps.items() if step}
