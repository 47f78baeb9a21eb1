#!/usr/bin/env python3
"""Writes canonical_json.json: awkward values and the text Python's json module gives them.

Each case holds `value`, a typed description of the input (so the Swift test builds exactly the
same value: floats as float.hex(), objects as [key, value] pairs in insertion order), `sort_keys`,
and `expected` = json.dumps(value, sort_keys=sort_keys, separators=(",", ":"), ensure_ascii=False)
(what CanonicalJSON promises). The fixture itself is written with ensure_ascii=True, so it is
plain ASCII and the awkward characters reach the test through JSON escapes.

Run from this folder with any Python 3: python3 make_canonical_json_fixture.py
"""
import json

CONTROL = "".join(chr(c) for c in range(0x20))

STRINGS = {
    "empty": "",
    "quote_and_backslash": 'say "hi" \\ back\\slash',
    "short_escapes": "\b\f\n\r\t",
    "all_controls": CONTROL,
    "delete_and_slash": "\x7f/</",
    "non_ascii": "caf\u00e9 \U0001F600 line\u2028sep para\u2029sep \u00a0nbsp",
    "ascii": "resnet32 lr=0.1 {seed}",
}

FLOATS = [0.0, -0.0, 1.0, -2.5, 0.1, 0.1 + 0.2, 1e-7, 2.5e-5, 0.0001, 0.00001, 100.0, 1e15, 1e16,
          2.0 ** 53, 2.0 ** 53 + 2, 8e15, 123456789012345.6, 12345678901234567890.0, 1e22, 1e100,
          5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.05, 3.0e-4, 2e-4]

INTS = [0, -1, 7, 200, 2 ** 31, 2 ** 53 + 1, 2 ** 63 - 1, -(2 ** 63)]


def typed(value):
    """The typed description of a value the Swift test decodes."""
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, int):
        return {"int": value}
    if isinstance(value, float):
        return {"float": value.hex()}
    if isinstance(value, str):
        return {"string": value}
    if isinstance(value, list):
        return {"array": [typed(v) for v in value]}
    if isinstance(value, dict):
        return {"object": [[k, typed(v)] for k, v in value.items()]}
    raise TypeError(value)


def cases():
    for name, text in STRINGS.items():
        yield name, text, True
    for c in range(0x20):
        yield f"control_{c:02x}", chr(c), True
    for x in FLOATS:
        yield f"float_{x!r}", x, True
    for i in INTS:
        yield f"int_{i}", i, True
    yield "float_vs_int", [1, 1.0, 0, 0.0, -0.0, True, False], True
    nested = {"zeta": {"b": [3, {"y": 1, "x": 2.0}], "a": "\t"}, "alpha": [], "Beta": {}, "_": True,
              "\u00e9": 1, "e": 2, "\U0001F600": 3, "\x7f": 4, "key \"quoted\"\n": "v"}
    yield "nested_unsorted_keys", nested, True
    yield "nested_insertion_order", nested, False
    # The shape of a safetensors header: `__metadata__` first, tensors in file order, fields in
    # the reference writer's order (not sorted).
    header = {"__metadata__": {"job": "{\"seed\":0}", "epochs": "200"},
              "w\u00e9ight\b": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
              "bias": {"dtype": "I64", "shape": [], "data_offsets": [24, 32]}}
    yield "safetensors_header_order", header, False
    yield "train_step_parameters", {"dataset": "cifar10", "imbalance": 100, "policy": "ldam", "method": "ce",
                                    "recipe": "ldam", "model": "resnet32", "epochs": 200, "seed": 0,
                                    "set_recipe": {"lr": 0.05, "weight_decay": 2e-4}}, True


def main():
    out = []
    for name, value, sort_keys in cases():
        expected = json.dumps(value, sort_keys=sort_keys, separators=(",", ":"), ensure_ascii=False)
        out.append({"name": name, "sort_keys": sort_keys, "value": typed(value), "expected": expected})
    with open("canonical_json.json", "w", encoding="ascii") as f:
        json.dump(out, f, indent=1, ensure_ascii=True)
        f.write("\n")


if __name__ == "__main__":
    main()
