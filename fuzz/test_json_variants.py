"""Tests of fuzz/json_variants.py: the variants of an object, and the choice of bases.

    python3 -m unittest discover -s fuzz -p 'test_*.py'
"""
import json
import os
import tempfile
import unittest

from json_variants import escaped_keys, key_paths, load, pick, variants


class Variants(unittest.TestCase):
    def test_each_key_is_removed_repeated_nulled_and_retyped_then_arrays_then_escaped_keys(self):
        got = list(variants({"id": 7, "name": "a"}, 0))
        self.assertEqual(
            got,
            [
                '{"name":"a"}',
                '{"id":7,"name":"a","id":7}',
                '{"id":null,"name":"a"}',
                '{"id":"0","name":"a"}',
                '{"id":7}',
                '{"id":7,"name":"a","name":"a"}',
                '{"id":7,"name":null}',
                '{"id":7,"name":0}',
                "[]",
                "[7]",
                '[7,"a"]',
                '{"\\u0069d":7,"\\u006eame":"a"}',
            ],
        )

    def test_escaped_keys_decode_to_the_same_object(self):
        body = {"id": 7, "näme": "a", "": 1, "é": {"x": None}, "\U0001F600x": 3}
        self.assertEqual(json.loads(escaped_keys(list(body.items()))), body)
        self.assertNotIn('"id"', escaped_keys(list(body.items())))
        # An empty object has no keys to escape, so it yields no such variant.
        self.assertEqual(list(variants({}, 0)), ["[]"])

    def test_nested_objects_and_the_first_object_of_an_array_are_varied_in_place(self):
        got = set(variants({"a": {"b": 1}, "c": [{"d": True}, 2]}, 1))
        self.assertIn('{"a":{},"c":[{"d":true},2]}', got)
        self.assertIn('{"a":{"b":1},"c":[{"d":true,"d":true},2]}', got)
        self.assertIn('{"a":{"b":1},"c":[{"d":0},2]}', got)
        # Depth 0 stops at the top level.
        self.assertNotIn('{"a":{},"c":[{"d":true},2]}', set(variants({"a": {"b": 1}, "c": [{"d": True}, 2]}, 0)))
        for text in got:
            json.loads(text)  # every variant is JSON (duplicate keys are legal JSON text)


class Pick(unittest.TestCase):
    def test_bases_are_chosen_for_the_key_paths_they_add(self):
        with tempfile.TemporaryDirectory() as d:
            files = {}
            for name, body in {"small": {"a": 1}, "big": {"a": 1, "b": {"c": 2}}, "same": {"a": 3, "b": {"c": 4}}}.items():
                files[name] = os.path.join(d, name)
                with open(files[name], "wb") as f:
                    f.write(b"\x07" + json.dumps(body).encode())
            listed = [("T", files["small"]), ("T", files["big"]), ("T", files["same"]), ("U", files["small"])]
            # "big" has every path "small" has; "same" adds nothing after "big".
            chosen = [base.path for base in pick(load(listed, 1), 1, 3)]
            self.assertEqual(chosen, [files["big"], files["small"]])
        self.assertEqual(key_paths({"x": [{"y": 1}]}, 1), {"/x", "/x[]/y"})

    def test_a_body_that_is_not_an_object_takes_no_pick(self):
        with tempfile.TemporaryDirectory() as d:
            array, obj = os.path.join(d, "array"), os.path.join(d, "object")
            with open(array, "wb") as f:
                f.write(b'[{"a":1,"b":2,"c":3}]')
            with open(obj, "wb") as f:
                f.write(b'{"a":1}')
            chosen = [base.path for base in pick(load([("T", array), ("T", obj)], 0), 1, 1)]
            self.assertEqual(chosen, [obj])


if __name__ == "__main__":
    unittest.main()
