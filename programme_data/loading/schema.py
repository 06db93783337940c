"""What a programme description may say, checked on the YAML's nodes before anything is written.

A section is declared as a ``record`` of the keys it may hold; a key is a ``Value`` (optionally
from a vocabulary, a number or a date), a list (``items``), a nested ``record`` or a ``keyed``
mapping whose keys are data ("members: {core: 9}"). The check walks the composed nodes, so each
error names the line of the key it is about and the dotted path to it, and it reports every
error of the file at once.
"""

import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from django.db import models

# libyaml's parser reads the demo six times faster than the pure-Python one, the same safe subset.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NULL_TAG = "tag:yaml.org,2002:null"
NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
FLAG_TAG = "tag:yaml.org,2002:bool"
PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


class DescriptionError(Exception):
    """A programme description that cannot be loaded as it stands, with every reason."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class _Errors:
    """The errors found so far, and the keys that records define and that values refer to."""

    found: list[tuple[int, str]] = field(default_factory=list)
    defined: dict[str, set[str]] = field(default_factory=dict)
    references: list[tuple[str, yaml.Node, str, str]] = field(default_factory=list)

    def add(self, node: yaml.Node, path: str, message: str):
        self.found.append((node.start_mark.line + 1, f"{path}: {message}"))

    def define(self, collection: str, node: yaml.Node, path: str):
        keys = self.defined.setdefault(collection, set())
        if node.value in keys:
            self.add(node, path, f"a second record of {collection} with the key {node.value!r}")
        keys.add(node.value)

    def refer(self, collection: str, node: yaml.Node, path: str, key: str | None = None):
        """``node`` names a record of ``collection`` by ``key`` (by default, its value)."""
        self.references.append((collection, node, path, node.value if key is None else key))

    def resolve(self):
        """Once the whole description is read: a reference to a key no record defines."""
        for collection, node, path, key in self.references:
            if key not in self.defined.get(collection, set()):
                self.add(node, path, f"no record of {collection} has the key {key!r}")


@dataclass(frozen=True)
class Value:
    """A single value; ``vocabulary`` takes the values of a ``Choices`` enum, ``refers`` the
    keys of the records that a ``Record`` ``defines`` (sites, groups...)."""

    required: bool = False
    missing: str = "required key missing"
    vocabulary: type[models.Choices] | None = None
    number: bool = False
    flag: bool = False
    date: bool = False
    refers: str = ""

    def check(self, node: yaml.Node, path: str, errors: _Errors):
        if _is_null(node):
            return
        if not isinstance(node, yaml.ScalarNode):
            errors.add(node, path, "expected a single value")
        elif problem := self._problem(node):
            errors.add(node, path, problem)
        elif self.refers:
            errors.refer(self.refers, node, path)

    def _problem(self, node: yaml.ScalarNode) -> str:
        if self.number and node.tag not in NUMBER_TAGS:
            return f"{node.value!r} is not a number"
        if self.flag and node.tag != FLAG_TAG:
            return f"{node.value!r} is not true or false"
        if self.date and not PARTIAL_DATE.fullmatch(node.value):
            return f"{node.value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        if self.vocabulary and node.value not in {str(v) for v in self.vocabulary.values}:
            allowed = ", ".join(str(value) for value in self.vocabulary.values if value != "")
            return f"{node.value!r} is not one of {allowed}"
        return ""


@dataclass(frozen=True)
class Citing(Value):
    """Text that cites records by their keys, ``[[output:briefing]]``: ``cites`` pairs each
    kind of citation with the collection whose keys it takes."""

    cites: tuple[tuple[str, str], ...] = ()

    def check(self, node: yaml.Node, path: str, errors: _Errors):
        super().check(node, path, errors)
        if isinstance(node, yaml.ScalarNode):
            collections = dict(self.cites)
            for kind, key in citation_pattern(collections).findall(node.value):
                errors.refer(collections[kind], node, path, key)


def citation_pattern(kinds) -> re.Pattern:
    """``[[kind:key]]`` for each of ``kinds``, with the kind and the key as its groups."""
    return re.compile(rf"\[\[({'|'.join(map(re.escape, kinds))}):([^\]]+)\]\]")


class _Container(Value):
    """A list or a mapping: null is no entries; anything else of the wrong shape is refused."""

    shape = yaml.Node
    expected = ""

    def check(self, node: yaml.Node, path: str, errors: _Errors):
        if _is_null(node):
            return
        if isinstance(node, self.shape):
            self.check_entries(node, path, errors)
        else:
            errors.add(node, path, f"expected {self.expected}")

    def check_entries(self, node: yaml.Node, path: str, errors: _Errors):
        raise NotImplementedError


class _Mapping(_Container):
    shape = yaml.MappingNode
    expected = "a mapping"


@dataclass(frozen=True)
class Items(_Container):
    """A list whose items each follow ``item``; an item is named by its ``key`` in the path."""

    item: Value = Value()
    shape = yaml.SequenceNode
    expected = "a list"

    def check_entries(self, node: yaml.Node, path: str, errors: _Errors):
        for index, child in enumerate(node.value):
            self.item.check(child, f"{path}[{_item_name(child, index)}]", errors)


@dataclass(frozen=True)
class Record(_Mapping):
    """A mapping of declared keys: any other key is refused. A record that ``defines`` a
    collection is one of its records, known to references by its ``key``."""

    keys: dict[str, Value] = field(default_factory=dict)
    defines: str = ""

    def check_entries(self, node: yaml.Node, path: str, errors: _Errors):
        present = {}
        for key_node, value_node in node.value:
            name = key_node.value
            key_path = f"{path}.{name}" if path else name
            if name in present:
                errors.add(key_node, key_path, "duplicate key")
            present[name] = value_node
            spec = self.keys.get(name)
            if spec is None:
                errors.add(key_node, key_path, _unknown(name, self.keys))
            else:
                spec.check(value_node, key_path, errors)
            if name == "key" and self.defines and isinstance(value_node, yaml.ScalarNode):
                errors.define(self.defines, value_node, key_path)
        for name, spec in self.keys.items():
            if spec.required and _is_null(present.get(name)):
                errors.add(node, f"{path}.{name}" if path else name, spec.missing)


@dataclass(frozen=True)
class Keyed(_Mapping):
    """A mapping whose keys are data (site keys, roles), each key from ``vocabulary`` if given."""

    value: Value = Value()

    def check_entries(self, node: yaml.Node, path: str, errors: _Errors):
        for key_node, value_node in node.value:
            key_path = f"{path}.{key_node.value}"
            Value(vocabulary=self.vocabulary, refers=self.refers).check(key_node, key_path, errors)
            self.value.check(value_node, key_path, errors)


def record(*, defines: str = "", **keys: Value) -> Record:
    return Record(keys=keys, defines=defines)


def items(item: Value) -> Items:
    return Items(item=item)


def choice(vocabulary: type[models.Choices]) -> Value:
    return Value(vocabulary=vocabulary)


def required(spec: Value, *, missing: str = "required key missing") -> Value:
    return replace(spec, required=True, missing=missing)


def checked_description(path: Path, *, schema: Record) -> dict:
    """The programme description in ``path``, checked against ``schema``.

    Raises ``DescriptionError`` listing each key that cannot be placed as
    ``<file>:<line>: <dotted path>: <reason>``, or the file's YAML error.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DescriptionError([f"{path}: cannot read: {error}"]) from error
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        errors = _Errors()
        if node is None:
            errors.found.append((1, "the description is empty"))
        else:
            schema.check(node, "", errors)
            errors.resolve()
        if errors.found:
            raise DescriptionError(
                [f"{path}:{line}: {text}" for line, text in sorted(errors.found)]
            )
        return loader.construct_document(node)
    except yaml.YAMLError as error:
        raise DescriptionError([f"{path}: not valid YAML: {error}"]) from error
    finally:
        loader.dispose()


def _unknown(name: str, known: dict) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"unknown key (did you mean {close[0]!r}?)" if close else "unknown key"


def _is_null(node: yaml.Node | None) -> bool:
    return node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG)


def _item_name(node: yaml.Node, index: int) -> str:
    """An item's ``key`` (or failing that its ``name``), else its position."""
    if isinstance(node, yaml.MappingNode):
        values = {k.value: v for k, v in node.value if isinstance(v, yaml.ScalarNode)}
        for name in ("key", "name"):
            if name in values and not _is_null(values[name]):
                return values[name].value
    return str(index)
