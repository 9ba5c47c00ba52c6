"""Compares what this repository's client and Zoho's Python SDK sent for the same CRM v8
operations, from two wire logs of zoho-fake (`--record FILE`, one JSON line per request).

Usage: python compare_wire.py OURS.jsonl SDK.jsonl wire-differences.tsv

Requests are paired by CRM v8 operation, in order (the n-th upload_attachment with the n-th);
both runs must make the same operations in the same order, and every one must have succeeded.
Requests outside the CRM v8 operations (the SDK's token refresh) are listed, not compared.
For each pair it compares the method, the path, the query (as name/value pairs, in any order),
the authorization scheme, the content type, the headers the fake logs (everything but the
user agent, host, lengths and encodings; compared by presence, since a value such as the SDK's
platform string differs between machines) and the body: the multipart parts by name (file
name, content type, size, text content), a JSON body by value.

Every difference must be a row of the differences file (operation or `*`, aspect, ours, the
SDK's, and the reason); a difference without a row fails, and so does a row that matched no
difference (the file must say what is true today).
"""

import json
import sys
from collections import defaultdict

NONE = "(none)"


def load(path):
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def is_api(request):
    return request.get("operation") and request["path"].startswith("/crm/v8/")


def show(value):
    if value is None or value == [] or value == "":
        return NONE
    return str(value)


def query_text(pairs):
    return "&".join(f"{name}={value}" for name, value in sorted(pairs))


def body_text(body):
    if body["kind"] == "multipart":
        return "multipart: " + ", ".join(part["name"] for part in body["parts"])
    if body["kind"] == "json":
        return "json: " + json.dumps(body["value"], sort_keys=True)
    if body["kind"] == "none":
        return NONE
    return body["kind"]


def differences(ours, sdk):
    """(aspect, ours, sdk) for each way the two requests differ."""
    found = []

    def compare(aspect, a, b):
        if show(a) != show(b):
            found.append((aspect, show(a), show(b)))

    compare("method", ours["method"], sdk["method"])
    compare("path", ours["path"], sdk["path"])
    compare("query", query_text(ours["query"]), query_text(sdk["query"]))
    compare("authorization", ours["authorization"], sdk["authorization"])
    compare("content_type", ours["content_type"], sdk["content_type"])
    for name in sorted(set(ours["headers"]) | set(sdk["headers"])):
        compare(f"header {name}", "(present)" if name in ours["headers"] else "(absent)",
                "(present)" if name in sdk["headers"] else "(absent)")
    a, b = ours["body"], sdk["body"]
    if a["kind"] == "multipart" and b["kind"] == "multipart":
        a_parts = {part["name"]: part for part in a["parts"]}
        b_parts = {part["name"]: part for part in b["parts"]}
        compare("parts", ", ".join(a_parts), ", ".join(b_parts))
        for name in a_parts.keys() & b_parts.keys():
            for key in ("filename", "content_type", "size", "text"):
                compare(f"part {name} {key}", a_parts[name][key], b_parts[name][key])
    else:
        compare("body", body_text(a), body_text(b))
    return found


def load_documented(path):
    rows = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.rstrip("\n").split("\t")
            if len(cells) != 5 or not all(cell.strip() for cell in cells):
                raise SystemExit(f"{path}:{number}: expected 5 tab-separated cells "
                                 "(operation, aspect, ours, sdk, reason)")
            rows.append({"at": f"{path}:{number}", "operation": cells[0], "aspect": cells[1],
                         "ours": cells[2], "sdk": cells[3], "reason": cells[4], "used": False})
    return rows


def documented_row(rows, operation, difference):
    aspect, ours, sdk = difference
    for row in rows:
        if (row["operation"] in (operation, "*") and row["aspect"] == aspect
                and row["ours"] == ours and row["sdk"] == sdk):
            row["used"] = True
            return row
    return None


def main(ours_path, sdk_path, documented_path):
    ours_log, sdk_log = load(ours_path), load(sdk_path)
    rows = load_documented(documented_path)
    failures = []
    for name, log in (("ours", ours_log), ("sdk", sdk_log)):
        for request in log:
            if not is_api(request):
                print(f"not compared ({name}): {request['method']} {request['path']} "
                      f"({request.get('operation') or 'no operation'}, {request['status']})")
            elif not 200 <= request["status"] < 300:
                failures.append(f"{name}: {request['operation']} answered {request['status']}")
    ours_api = [request for request in ours_log if is_api(request)]
    sdk_api = [request for request in sdk_log if is_api(request)]
    ours_ops = [request["operation"] for request in ours_api]
    sdk_ops = [request["operation"] for request in sdk_api]
    if ours_ops != sdk_ops:
        failures.append(f"the runs made different operations:\n  ours: {ours_ops}\n"
                        f"  sdk:  {sdk_ops}")

    print()
    print(f"| operation | aspect | this client | Python SDK | verdict |")
    print(f"| --- | --- | --- | --- | --- |")
    seen = defaultdict(int)
    for ours, sdk in zip(ours_api, sdk_api):
        operation = ours["operation"]
        seen[operation] += 1
        label = f"{operation} #{seen[operation]}"
        found = differences(ours, sdk)
        if not found:
            print(f"| {label} | all | same | same | equal |")
        for difference in found:
            row = documented_row(rows, operation, difference)
            verdict = f"documented ({row['at']})" if row else "UNDOCUMENTED"
            print(f"| {label} | {difference[0]} | {difference[1]} | {difference[2]} | {verdict} |")
            if not row:
                failures.append(f"{label}: {difference[0]} differs ({difference[1]} vs "
                                f"{difference[2]}) and {documented_path} has no row for it")
    for row in rows:
        if not row["used"]:
            failures.append(f"{row['at']}: documents a difference the runs no longer show "
                            f"({row['operation']}, {row['aspect']}); remove or correct it")
    print()
    if failures:
        for failure in failures:
            print(f"FAIL: {failure}")
        return 1
    print(f"wire comparison: {len(ours_api)} requests paired, every difference documented")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
