#!/usr/bin/env python3
"""Checks the bundled sample data and loads it into a real registry.

`registry.jsonl` holds one record per line: an object with exactly one key, "actor", "pairing",
"activity" or "agreement", whose value is that eastwest.registry.v1 resource in proto3 JSON with the
original snake_case field names and full enum value names. `name` carries the client-chosen id
("actors/js-gov", "pairings/js-sn", "pairings/js-sn/activities/2021-fiscal-aid",
"pairings/js-sn/agreements/2021"); output-only fields are left out. Actors come first, then
pairings, then activities, then agreements, parents before children. Every record has
`labels.source`: a key listed in SOURCES.md, or "illustrative".

Offline it also checks what the registry does not: every measure and target names a valid
Indicator (read from proto/eastwest/registry/v1/registry.proto), values are non-negative integers,
an activity names each indicator once, an agreement each (indicator, side) once and a year from
2000 to 2100 of an existing pairing, the ex-poor employed (INDICATOR_EX_POOR_EMPLOYED) of a pairing
and year never exceed its labour employed (INDICATOR_LABOUR_EMPLOYED, counting activities without
measures by their kind), and no illustrative activity sits on a published pairing (one whose own
`labels.source` is not "illustrative").

It then creates every record with CreateActor / CreatePairing / CreateActivity / CreateAgreement
(id taken from `name`), compares what the server stored with the line, and lists the registry to
confirm the counts. Every line must be accepted.

Needs the Python stubs (examples/python/generate.sh writes them to examples/python/gen) and the
packages of examples/python/requirements.txt. Either load into a running registry:

    python data/sample/check_load.py --target 127.0.0.1:50051

or let the script start a throwaway one on a free 127.0.0.1 port with an empty temp data dir,
stop it with SIGTERM afterwards and remove the directory:

    python data/sample/check_load.py --registry-bin target/debug/eastwest-registry

Only the offline checks, with no registry and no stubs:

    python3 data/sample/check_load.py --offline

Exits 0 when every line was accepted and read back unchanged, 1 otherwise, 2 on bad usage.
"""

import argparse
import json
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
TIMEOUT_SECONDS = 10.0
ID = r"[a-z0-9-]{1,63}"
NAME_PATTERNS = {
    "actor": re.compile(rf"^actors/({ID})$"),
    "pairing": re.compile(rf"^pairings/({ID})$"),
    "activity": re.compile(rf"^pairings/({ID})/activities/({ID})$"),
    "agreement": re.compile(rf"^pairings/({ID})/agreements/([0-9]{{4}})$"),
}
KIND_ORDER = {"actor": 0, "pairing": 1, "activity": 2, "agreement": 3}
PROTO = REPO / "proto" / "eastwest" / "registry" / "v1" / "registry.proto"
MAX_MEASURES, MAX_TARGETS = 15, 100
# How an activity without measures counts (Activity.measures in the proto): kind -> (indicator, field).
DERIVED = {
    "ACTIVITY_KIND_FUNDS": ("INDICATOR_FISCAL_AID", "amount_fen"),
    "ACTIVITY_KIND_INVESTMENT": ("INDICATOR_INVESTMENT_ARRIVED", "amount_fen"),
    "ACTIVITY_KIND_PURCHASE": ("INDICATOR_CONSUMPTION", "amount_fen"),
    "ACTIVITY_KIND_DONATION": ("INDICATOR_SOCIAL_DONATIONS", "amount_fen"),
    "ACTIVITY_KIND_EMPLOYMENT": ("INDICATOR_LABOUR_EMPLOYED", "people"),
    "ACTIVITY_KIND_TRAINING": ("INDICATOR_PEOPLE_TRAINED", "people"),
    "ACTIVITY_KIND_PERSONNEL_EXCHANGE": ("INDICATOR_PROFESSIONALS_EXCHANGED", "people"),
}
# Labels whose values are source keys (space-separated), each of which SOURCES.md must list.
SOURCE_LABELS = ("source", "source_also", "context_source")
OUTPUT_ONLY = {
    "actor": ("etag", "create_time", "update_time", "credit_code_check"),
    "pairing": ("etag", "create_time", "update_time", "east_region_code", "west_region_code"),
    "activity": ("etag", "create_time"),
    "agreement": ("etag", "create_time", "update_time", "year"),
}


def read_records(path):
    """Returns [(line_number, kind, value)], or raises ValueError naming the line."""
    records = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                raise ValueError(f"line {number}: empty line")
            obj = json.loads(line)
            if not isinstance(obj, dict) or len(obj) != 1 or next(iter(obj)) not in KIND_ORDER:
                raise ValueError(f"line {number}: want one key, actor, pairing, activity or agreement")
            kind, value = next(iter(obj.items()))
            records.append((number, kind, value))
    return records


def source_keys(sources_md):
    """The keys SOURCES.md defines: headings of the form  ### `key`."""
    text = pathlib.Path(sources_md).read_text(encoding="utf-8")
    return set(re.findall(r"^###\s+`([a-z0-9-]+)`", text, flags=re.MULTILINE))


def enum_values(enum, proto=PROTO):
    """The value names of `enum` in the registry proto, without its UNSPECIFIED value."""
    text = pathlib.Path(proto).read_text(encoding="utf-8")
    body = re.search(rf"^enum\s+{enum}\s*\{{(.*?)^\}}", text, flags=re.MULTILINE | re.DOTALL)
    if not body:
        raise ValueError(f"enum {enum} not found in {proto}")
    names = re.findall(r"^\s*([A-Z][A-Z0-9_]*)\s*=\s*\d+\s*;", body.group(1), flags=re.MULTILINE)
    return {n for n in names if not n.endswith("_UNSPECIFIED")}


def as_count(value):
    """A proto3 JSON int64 (a number, or a string of digits) as an int >= 0, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value):
        return int(value)
    return None


def counted(activity):
    """{indicator: value} that an activity delivers: its measures, or the one derived from its kind."""
    if activity.get("measures"):
        return {m.get("indicator"): as_count(m.get("value", 0)) or 0 for m in activity["measures"]}
    indicator, field = DERIVED.get(activity.get("kind"), (None, None))
    return {indicator: as_count(activity.get(field, 0)) or 0} if indicator else {}


def value_problems(where, items, what, indicators, key):
    """Indicator names, values and duplicates of an activity's measures or an agreement's targets."""
    problems, seen = [], set()
    for item in items:
        indicator = item.get("indicator")
        if indicator not in indicators:
            problems.append(f"{where}: {what} indicator {indicator!r} is not an Indicator value")
        if as_count(item.get("value", 0)) is None:
            problems.append(f"{where}: {what} {indicator} value {item.get('value')!r} is not a non-negative integer")
        k = key(item)
        if k in seen:
            problems.append(f"{where}: {what} {' / '.join(str(x) for x in k)} given twice")
        seen.add(k)
    return problems


def actor_references(kind, value):
    """Every actor name a record refers to."""
    if kind == "actor":
        return [value["parent"]] if value.get("parent") else []
    if kind == "activity":
        return [value["actor"]] if value.get("actor") else []
    if kind != "pairing":
        return []
    refs = [value.get("east", ""), value.get("west", "")]
    refs += [p.get("actor", "") for p in value.get("participants", [])]
    refs += [r.get("party", "") for r in value.get("responsibilities", [])]
    refs += [g.get("responsible", "") for g in value.get("goals", [])]
    return [r for r in refs if r]


def offline_problems(records, known_sources, proto=PROTO):
    """The format rules that the registry itself does not check."""
    problems, last_kind = [], 0
    seen = {"actor": set(), "pairing": set(), "activity": set(), "agreement": set()}
    indicators, sides = enum_values("Indicator", proto), enum_values("Side", proto)
    verifications = enum_values("Verification", proto)
    illustrative_pairings = set()
    labour = {}  # (pairing, year) -> [labour employed, ex-poor employed]
    for number, kind, value in records:
        where = f"line {number} ({kind})"
        if KIND_ORDER[kind] < last_kind:
            problems.append(f"{where}: out of order (actors, then pairings, then activities)")
        last_kind = max(last_kind, KIND_ORDER[kind])
        name = value.get("name", "")
        if not NAME_PATTERNS[kind].match(name):
            problems.append(f"{where}: bad name {name!r}")
        if name in seen[kind]:
            problems.append(f"{where}: duplicate name {name}")
        for field in OUTPUT_ONLY[kind]:
            if field in value:
                problems.append(f"{where}: output-only field {field} is set")
        parent = value.get("parent")
        if kind in ("actor", "pairing") and parent and parent not in seen[kind]:
            problems.append(f"{where}: parent {parent} does not come earlier")
        labels = value.get("labels", {})
        for ref in actor_references(kind, value):
            if ref not in seen["actor"]:
                problems.append(f"{where}: names {ref}, which no earlier actor line creates")
        if kind == "pairing" and labels.get("source") == "illustrative":
            illustrative_pairings.add(name)
        if kind in ("activity", "agreement"):
            pairing = name.rsplit("/", 2)[0]
            if pairing not in seen["pairing"]:
                problems.append(f"{where}: pairing {pairing} does not come earlier")
        if kind == "activity":
            if labels.get("source") == "illustrative" and pairing in seen["pairing"] \
                    and pairing not in illustrative_pairings:
                problems.append(f"{where}: illustrative activity on the published pairing {pairing}")
            measures = value.get("measures", [])
            if len(measures) > MAX_MEASURES:
                problems.append(f"{where}: {len(measures)} measures, at most {MAX_MEASURES}")
            problems += value_problems(where, measures, "measure", indicators, lambda m: (m.get("indicator"),))
            if "verification" in value and value["verification"] not in verifications:
                problems.append(f"{where}: verification {value['verification']!r} is not a Verification value")
            cell = labour.setdefault((pairing, value.get("date", "")[:4]), [0, 0])
            delivered = counted(value)
            cell[0] += delivered.get("INDICATOR_LABOUR_EMPLOYED", 0)
            cell[1] += delivered.get("INDICATOR_EX_POOR_EMPLOYED", 0)
        if kind == "agreement":
            match = NAME_PATTERNS[kind].match(name)
            if match and not 2000 <= int(match.group(2)) <= 2100:
                problems.append(f"{where}: year {match.group(2)} is not from 2000 to 2100")
            targets = value.get("targets", [])
            if len(targets) > MAX_TARGETS:
                problems.append(f"{where}: {len(targets)} targets, at most {MAX_TARGETS}")
            for t in targets:
                if "side" in t and t["side"] not in sides | {"SIDE_UNSPECIFIED"}:
                    problems.append(f"{where}: target side {t['side']!r} is not a Side value")
            problems += value_problems(where, targets, "target", indicators,
                                       lambda t: (t.get("indicator"), t.get("side", "SIDE_UNSPECIFIED")))
        if "source" not in labels:
            problems.append(f"{where}: no labels.source")
        for label in SOURCE_LABELS:
            for key in labels.get(label, "").split():
                if key != "illustrative" and key not in known_sources:
                    problems.append(f"{where}: labels.{label} key {key!r} is not in SOURCES.md")
        if kind == "actor" and value.get("category") == "ACTOR_CATEGORY_INDIVIDUAL" and value.get("credit_code"):
            problems.append(f"{where}: an individual carries a credit code")
        seen[kind].add(name)
    for (pairing, year), (employed, ex_poor) in sorted(labour.items()):
        if ex_poor > employed:
            problems.append(f"{pairing} {year}: ex-poor employed {ex_poor} exceeds labour employed {employed}")
    return problems


def describe_error(err, rpc_status, error_details_pb2):
    """The status, message and any field violations of a failed call, on one line each."""
    lines = [f"{err.code().name}: {err.details()}"]
    status = rpc_status.from_call(err)
    for detail in status.details if status else ():
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            lines += [f"  field {v.field}: {v.description}" for v in bad.field_violations]
    return "\n    ".join(lines)


def load(target, records, pb, pb_grpc, grpc, json_format, rpc_status, error_details_pb2):
    """Creates every record; returns the number of failures."""
    failures = 0
    counts = {"actor": 0, "pairing": 0, "activity": 0, "agreement": 0}
    with grpc.insecure_channel(target) as channel:
        grpc.channel_ready_future(channel).result(timeout=TIMEOUT_SECONDS)
        stub = pb_grpc.RegistryServiceStub(channel)
        for number, kind, value in records:
            message_type = {"actor": pb.Actor, "pairing": pb.Pairing, "activity": pb.Activity,
                            "agreement": pb.Agreement}[kind]
            try:
                wanted = json_format.ParseDict(value, message_type())
            except json_format.ParseError as err:
                print(f"line {number} ({kind}): not a valid {message_type.__name__}: {err}")
                failures += 1
                continue
            sent = message_type()
            sent.CopyFrom(wanted)
            sent.ClearField("name")  # output only: the id travels in the request
            ids = NAME_PATTERNS[kind].match(wanted.name).groups()
            try:
                if kind == "actor":
                    got = stub.CreateActor(pb.CreateActorRequest(actor=sent, actor_id=ids[0]), timeout=TIMEOUT_SECONDS)
                elif kind == "pairing":
                    got = stub.CreatePairing(
                        pb.CreatePairingRequest(pairing=sent, pairing_id=ids[0]), timeout=TIMEOUT_SECONDS
                    )
                elif kind == "activity":
                    got = stub.CreateActivity(
                        pb.CreateActivityRequest(parent=f"pairings/{ids[0]}", activity=sent, activity_id=ids[1]),
                        timeout=TIMEOUT_SECONDS,
                    )
                else:
                    got = stub.CreateAgreement(
                        pb.CreateAgreementRequest(parent=f"pairings/{ids[0]}", agreement=sent, agreement_id=ids[1]),
                        timeout=TIMEOUT_SECONDS,
                    )
            except grpc.RpcError as err:
                print(f"line {number} ({kind} {wanted.name}): rejected: "
                      f"{describe_error(err, rpc_status, error_details_pb2)}")
                failures += 1
                continue
            for field in OUTPUT_ONLY[kind]:
                got.ClearField(field)
            drop_empty_submessages(got, wanted)
            normalise(kind, got, wanted)
            if got != wanted:
                print(f"line {number} ({kind} {wanted.name}): stored record differs from the line:\n"
                      f"    sent {json_format.MessageToDict(wanted, preserving_proto_field_name=True)}\n"
                      f"    got  {json_format.MessageToDict(got, preserving_proto_field_name=True)}")
                failures += 1
                continue
            counts[kind] += 1

        listed = {
            "actor": len(list_all(lambda t: stub.ListActors(pb.ListActorsRequest(page_size=1000, page_token=t)),
                                  "actors")),
        }
        pairings = list_all(lambda t: stub.ListPairings(pb.ListPairingsRequest(page_size=1000, page_token=t)),
                            "pairings")
        listed["pairing"] = len(pairings)
        listed["activity"] = sum(
            len(list_all(lambda t, p=p: stub.ListActivities(
                pb.ListActivitiesRequest(parent=p.name, page_size=1000, page_token=t)), "activities"))
            for p in pairings
        )
        listed["agreement"] = sum(
            len(list_all(lambda t, p=p: stub.ListAgreements(
                pb.ListAgreementsRequest(parent=p.name, page_size=1000, page_token=t)), "agreements"))
            for p in pairings
        )
    for kind in ("actor", "pairing", "activity", "agreement"):
        plural = {"actor": "actors", "pairing": "pairings", "activity": "activities", "agreement": "agreements"}[kind]
        print(f"{plural}: {counts[kind]} created and read back unchanged; the registry lists {listed[kind]}")
        if listed[kind] != counts[kind]:
            failures += 1
    return failures


def drop_empty_submessages(got, wanted):
    """The server answers an unset message field (e.g. a pairing's `scope`) as an empty one; the two
    mean the same, so an empty field the line did not set is cleared before comparing."""
    for field, value in got.ListFields():
        if (field.message_type is not None and not field.is_repeated and not wanted.HasField(field.name)
                and value.ByteSize() == 0):
            got.ClearField(field.name)


def normalise(kind, got, wanted):
    """What the server stores differently but means the same: an unset verification is stored as
    REPORTED, and an agreement's targets are stored ordered by indicator, then side."""
    if kind == "activity" and wanted.verification == 0 and got.verification == 1:
        got.verification = 0
    if kind == "agreement":
        ordered = sorted((t.indicator, t.side, t.value) for t in wanted.targets)
        del wanted.targets[:]
        for indicator, side, value in ordered:
            wanted.targets.add(indicator=indicator, side=side, value=value)


def list_all(call, field):
    items, token = [], ""
    while True:
        page = call(token)
        items.extend(getattr(page, field))
        token = page.next_page_token
        if not token:
            return items


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default=str(HERE / "registry.jsonl"), help="JSON Lines to load")
    parser.add_argument("--sources", default=str(HERE / "SOURCES.md"), help="SOURCES.md listing the source keys")
    parser.add_argument("--stubs", default=str(REPO / "examples" / "python" / "gen"),
                        help="directory of the generated Python stubs (default %(default)s)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--target", help="host:port of a running, empty registry")
    where.add_argument("--registry-bin", help="start this eastwest-registry binary on 127.0.0.1 for the check")
    parser.add_argument("--offline", action="store_true", help="only the offline checks; no registry")
    args = parser.parse_args(argv)
    if not args.offline and not (args.target or args.registry_bin):
        parser.error("give --target, --registry-bin or --offline")

    try:
        records = read_records(args.file)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    problems = offline_problems(records, source_keys(args.sources))
    for problem in problems:
        print(problem)
    print(f"offline: {len(records)} lines, {len(problems)} problem(s)")
    if problems:
        return 1
    if args.offline:
        return 0

    sys.path.insert(0, args.stubs)
    try:
        import grpc
        from google.protobuf import json_format
        from google.rpc import error_details_pb2
        from grpc_status import rpc_status

        from eastwest.registry.v1 import registry_pb2 as pb
        from eastwest.registry.v1 import registry_pb2_grpc as pb_grpc
    except ImportError as err:
        print(f"error: {err}; install examples/python/requirements.txt and run examples/python/generate.sh",
              file=sys.stderr)
        return 2
    modules = (pb, pb_grpc, grpc, json_format, rpc_status, error_details_pb2)

    if args.target:
        try:
            failures = load(args.target, records, *modules)
        except grpc.FutureTimeoutError:
            print(f"error: the registry did not answer on {args.target}", file=sys.stderr)
            failures = 1
    else:
        work = tempfile.mkdtemp(prefix="eastwest-sample-check.")
        port = free_port()
        log = open(pathlib.Path(work) / "server.log", "w+", encoding="utf-8")
        server = subprocess.Popen(
            [args.registry_bin, "--listen", f"127.0.0.1:{port}", "--data-dir", str(pathlib.Path(work) / "data")],
            stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            failures = load(f"127.0.0.1:{port}", records, *modules)
        except grpc.FutureTimeoutError:
            print(f"error: the registry did not answer on 127.0.0.1:{port}", file=sys.stderr)
            failures = 1
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                rc = server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                rc = server.wait()
            if rc != 0:
                log.seek(0)
                print(f"registry exited {rc}; its log:\n{log.read()}", file=sys.stderr)
                failures += 1
            else:
                print("registry stopped cleanly (SIGTERM, exit 0)")
            log.close()
            shutil.rmtree(work, ignore_errors=True)
    print("all lines accepted" if failures == 0 else f"{failures} failure(s)")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
