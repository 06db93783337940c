"""Deterministic synthetic CAR programmes, for benchmarks and load tests.

``generate_programme(sites=N, seed=S)`` builds a programme whose proportions follow the demo
programme: about 12 groups a site, 20 members a group (core and periphery, with leavers and role
changes), 50 activities a group with attendance and backstage tallies, 100 evidence items a
group, outputs, changes, events with head counts and feedback. Every value comes from
``random.Random`` seeded from ``seed`` (and the site's position), and every date lies within a
fixed programme period, so the same arguments always give the same records. Names are built
from syllables: nobody real is named.

Rows are written with ``bulk_create``, which skips django-simple-history: synthetic data needs no
change history, and writing one history row per record would multiply the time by two.
"""

from programme_data.synthetic.base import PERIOD_END, PERIOD_START
from programme_data.synthetic.deletion import programme_delete
from programme_data.synthetic.generate import generate_programme, programme_slug

__all__ = ["PERIOD_END", "PERIOD_START", "generate_programme", "programme_delete", "programme_slug"]
