"""The REST API (``/api/v1/``): every record to programs, under the rules the pages obey.

It sits above every domain app and imports them; none imports it (``.importlinter``). Its
views are as thin as the pages': records come from the apps' selectors, writes go through
their services, and who may do what is asked of the one rule set (``accounts/rules.py``).

Conventions, for a new resource:

- **Where things go.** A serializer in ``api/serializers/<app>.py``, a viewset in
  ``api/views/<app>.py`` (``<Model>ViewSet``), registered in ``api/urls.py`` with a plural path
  and a singular ``basename`` (``people`` / ``person``), which names its links
  (``api:person-detail``). Run ``manage.py spectacular --file docs/api/openapi.yaml`` and commit
  the schema's diff with the change (a test compares them).
- **Records and rules.** Subclass ``api.viewsets.RecordViewSet``; set ``view_permission`` (the
  model's ``<app>.view_<model>``) and ``records()`` (the app's selector, usually the page's
  ``*_list_for_user``, with what the serializer reads already selected or annotated). The
  list is always ``permitted(user, view_permission, records())`` and a detail is found in it,
  then asked ``has_perm``: a record out of sight answers 404, exactly as a missing one, never
  403. Add the resource's rows to the role matrix (``tests/api/test_roles.py``) and a
  query-count test at two sizes.
- **Serializers.** Subclass ``api.serializers.base.RecordSerializer`` (``html_url``, the record's
  page) with ``url = self_link("<basename>")``. A related record is its id (the model field)
  and a link beside it, ``<field>_url = link("<basename>", source="<field>")`` (``many=True``
  for several): never a nested copy. Show what the record's page shows to the same reader;
  a person is named by ``Person.label`` over the selector's ``name_visible``, never by
  ``name`` alone. Checks across fields (a name taken) are the service's: the base adds no
  validator of the model's constraints, so the API says what the page says.
- **Filters and order.** ``filterset_class`` is the page's FilterSet (from the app's
  ``filters.py``; one for the API alone goes there too), and ``filter_choices`` gives each of
  its ``view_choices`` keywords the view rule of its choices, as the page's view passes them.
  ``ordering_fields`` maps each ``?ordering=`` name to a field or an expression: a few safe
  ones, nothing that sorts by what the reader may not see. Pages are ``?page=`` and
  ``?page_size=`` (200 at most).
- **Writes.** Add ``ServiceCreateMixin``, ``ServiceUpdateMixin`` (``PATCH``) or
  ``ServiceDestroyMixin`` and implement its hook, which calls one service with
  ``by=self.request.user`` and returns the record (``ThemeViewSet`` has all three). A
  serializer field that writes a related record is a ``PermittedRelatedField`` of that
  record's view rule. ``write_permissions`` maps each write action to its rule, asked of the
  record (``{"partial_update": "sites.change_theme"}``: a refusal answers 404, as for a
  missing record) or, for ``create``, of ``parent_of(data)``; a write action without a rule is
  refused as a mistake (``ImproperlyConfigured``), never let through. A ``DomainError``
  answers 400 next to the field that ``error_fields`` names for the action (as on the page's
  form), a model's ``ValidationError`` next to the fields it names (``api.exceptions``).
  Session writes need the CSRF token; token writes do not. The docstrings of viewsets and
  serializers are the schema's descriptions: write them for the API's readers.
- **Who.** ``api.authentication`` reads personal tokens (``accounts.ApiToken``: made and
  revoked on the sign-in security page, stored as a hash, with an expiry and last use);
  sessions serve the browser. ``api.throttling`` counts requests per token, per user, and per
  address for anonymous ones (rates in ``settings.REST_FRAMEWORK``, from the environment).
"""
