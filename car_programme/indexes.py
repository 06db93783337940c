"""Indexes that PostgreSQL and SQLite (the embedded default) both build."""

from django.db import models
from django.db.models.expressions import OrderBy


class NullsLastIndex(models.Index):
    """An index on descending expressions with nulls last, the order the lists read.

    PostgreSQL sorts nulls first in a descending index unless told NULLS LAST; SQLite refuses
    NULLS LAST in an index and needs none, since its nulls are the smallest values and so come
    last in descending order. Only descending expressions keep their meaning there.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = [
            OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e
            for e in self.expressions
        ]
        index = models.Index(*plain, name=self.name)
        return index.create_sql(model, schema_editor, using=using, **kwargs)
