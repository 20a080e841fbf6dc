#!/usr/bin/env python3
"""Seeds that reach every field's branches in serde-derived decoders: variants of JSON inputs.

    fuzz/json_variants.py [--prefix N] [--depth D] [--pick K] OUT_DIR [BASE...]

Each BASE is an input of a fuzz target whose body (after its first N bytes, e.g. the type
selector of `model_json`) is a JSON object that decodes. For every key of the object, and of
the objects down to D levels below it (default 1; a value that is an object, or the first
object of an array, is one level down), this writes four variants into OUT_DIR, with the
same first N bytes:

- the key removed (a required field reports it missing; an optional one takes its default),
- the key repeated at the end of its object (the "duplicate field" error),
- the value `null`,
- a value of another JSON type (a string for a number, a number for a string, `[]` for an
  object, ...);

and the object written as an array of its values, whole and cut short after each value (a
derived decoder reads a struct from a sequence too, in field order), and the object with the
first character of each key written as a backslash-u escape (`serde_json` hands an escaped key to
the decoder's field matcher through another path than a plain one, so each field has a
branch of its own there).

A derived `Deserialize` has a branch per field for each of these, and random mutation reaches
them slowly: a field's duplicate needs the same key twice in one object, after every earlier
key decoded. The files are named by their SHA-1, as libFuzzer names its corpus files, so
writing one twice is harmless.

Which inputs decode is for the caller to say: without BASE arguments, the bases are read from
stdin, one per line, as `fuzz-seed-bases` prints them (`[GROUP] PATH`, where GROUP is e.g. the
model type). With `--pick K`, only K bases per group are used: chosen one by one, each adding
the most key paths (down to D levels) not yet seen in the group, the smaller on a tie. See
docs/fuzzing.md, "Seeds for the derived decoders".
"""
import hashlib
import json
import os
import sys
from typing import NamedTuple


def dumps(value) -> str:
    """Compact JSON, as the API sends it."""
    return json.dumps(value, separators=(",", ":"))


def members(pairs, key=dumps) -> str:
    """The members of an object from (key, value) pairs, without the braces; `key` writes
    each key."""
    return ",".join(key(k) + ":" + dumps(v) for k, v in pairs)


def text(pairs) -> str:
    """An object from (key, value) pairs: keys may repeat, which a dict cannot hold."""
    return "{" + members(pairs) + "}"


def other_type(value):
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, (int, float)):
        return "0"
    if isinstance(value, str):
        return 0
    if isinstance(value, list):
        return {}
    return []


def object_variants(pairs):
    """The four variants for each key of an object given as pairs, as JSON text."""
    for i, (key, value) in enumerate(pairs):
        yield text(pairs[:i] + pairs[i + 1 :])
        yield text(pairs + [(key, value)])
        yield text(pairs[:i] + [(key, None)] + pairs[i + 1 :])
        yield text(pairs[:i] + [(key, other_type(value))] + pairs[i + 1 :])


def sequence_variants(pairs):
    """The object as an array of its values, whole and cut short after each value: a derived
    `Deserialize` also reads a struct from a sequence, field by field in declaration order,
    and says which length it expected when the sequence ends early."""
    for end in range(len(pairs) + 1):
        yield "[" + ",".join(dumps(v) for _, v in pairs[:end]) + "]"


def escaped_keys(pairs) -> str:
    """The object with the first character of each key as a backslash-u escape: `serde_json`
    reads an escaped key into its own buffer and calls the field matcher's `visit_str`, where a
    plain key goes to `visit_borrowed_str`."""

    def key(k: str) -> str:
        if not k or ord(k[0]) >= 0x10000:
            return dumps(k)
        return '"' + "\\u%04x" % ord(k[0]) + dumps(k[1:])[1:]

    return "{" + members(pairs, key) + "}"


def variants(body: dict, depth: int):
    """Variants of an object and, down to `depth` more levels, of the objects inside it."""
    pairs = list(body.items())
    yield from object_variants(pairs)
    yield from sequence_variants(pairs)
    if pairs:
        yield escaped_keys(pairs)
    if depth == 0:
        return
    # A nested object's variants, put back in place as raw JSON text.
    for i, (key, value) in enumerate(pairs):
        inner, wrap = None, None
        if isinstance(value, dict):
            inner, wrap = value, lambda t: t
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            inner = value[0]
            rest = "".join("," + dumps(v) for v in value[1:])
            wrap = lambda t, rest=rest: "[" + t + rest + "]"
        if inner is None:
            continue
        before, after = members(pairs[:i]), members(pairs[i + 1 :])
        for nested in variants(inner, depth - 1):
            middle = dumps(key) + ":" + wrap(nested)
            yield "{" + ",".join(part for part in (before, middle, after) if part) + "}"


def key_paths(value, depth: int, prefix: str = "") -> set:
    """The keys of an object and of the objects down to `depth` levels below it, as paths."""
    found = set()
    if isinstance(value, list) and value:
        return key_paths(value[0], depth, prefix + "[]")
    if not isinstance(value, dict):
        return found
    for key, inner in value.items():
        found.add(prefix + "/" + key)
        if depth > 0:
            found |= key_paths(inner, depth - 1, prefix + "/" + key)
    return found


class Base(NamedTuple):
    group: str
    path: str
    head: bytes  # the first N bytes, kept in front of every variant
    value: dict  # the body
    size: int


def load(listed, prefix: int):
    """A `Base` for each listed (group, path) whose body is a JSON object."""
    bases = []
    for group, path in listed:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:  # e.g. a corpus file a running fuzzer has just replaced
            print(f"skipped: {e}", file=sys.stderr)
            continue
        try:
            value = json.loads(data[prefix:])
        except ValueError:
            continue
        if isinstance(value, dict):
            bases.append(Base(group, path, data[:prefix], value, len(data)))
    return bases


def pick(bases, depth: int, k: int):
    """Per group, the k bases that together have the most key paths."""
    groups = {}
    for base in bases:
        groups.setdefault(base.group, []).append((key_paths(base.value, depth + 1), base))
    chosen = []
    for candidates in groups.values():
        seen = set()
        for _ in range(k):
            paths, best = max(candidates, key=lambda c: (len(c[0] - seen), -c[1].size))
            if not paths - seen:
                break
            seen |= paths
            chosen.append(best)
    return chosen


def main() -> int:
    args = sys.argv[1:]
    prefix, depth, k = 0, 1, 0
    while args[:1] in (["--prefix"], ["--depth"], ["--pick"]):
        value = int(args[1])
        if args[0] == "--prefix":
            prefix = value
        elif args[0] == "--depth":
            depth = value
        else:
            k = value
        args = args[2:]
    if not args:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = args[0]
    if len(args) > 1:
        listed = [("", path) for path in args[1:]]
    else:
        listed = [tuple(line.strip().split(None, 1)) if " " in line.strip() else ("", line.strip())
                  for line in sys.stdin if line.strip()]
    bases = load(listed, prefix)
    if k:
        bases = pick(bases, depth, k)
    os.makedirs(out, exist_ok=True)
    written = 0
    for base in bases:
        for variant in variants(base.value, depth):
            seed = base.head + variant.encode()
            name = os.path.join(out, hashlib.sha1(seed).hexdigest())
            if not os.path.exists(name):
                with open(name, "wb") as f:
                    f.write(seed)
                written += 1
    print(f"{written} seeds written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
