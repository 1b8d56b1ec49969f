#!/usr/bin/env python3
"""Checks the bundled sample data and loads it into a real registry.

`registry.jsonl` holds one record per line: an object with exactly one key, "actor", "pairing" or
"activity", whose value is that eastwest.registry.v1 resource in proto3 JSON with the original
snake_case field names and full enum value names. `name` carries the client-chosen id
("actors/js-gov", "pairings/js-sn", "pairings/js-sn/activities/2021-fiscal-aid"); output-only
fields are left out. Actors come first, then pairings, then activities, parents before children.
Every record has `labels.source`: a key listed in SOURCES.md, or "illustrative".

This script checks those rules offline, then creates every record with CreateActor /
CreatePairing / CreateActivity (id taken from `name`), compares what the server stored with the
line, and lists the registry to confirm the counts. Every line must be accepted.

Needs the Python stubs (examples/python/generate.sh writes them to examples/python/gen) and the
packages of examples/python/requirements.txt. Either load into a running registry:

    python data/sample/check_load.py --target 127.0.0.1:50051

or let the script start a throwaway one on a free 127.0.0.1 port with an empty temp data dir,
stop it with SIGTERM afterwards and remove the directory:

    python data/sample/check_load.py --registry-bin target/debug/eastwest-registry

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
}
KIND_ORDER = {"actor": 0, "pairing": 1, "activity": 2}
# Labels whose values are source keys (space-separated), each of which SOURCES.md must list.
SOURCE_LABELS = ("source", "source_also", "context_source")
OUTPUT_ONLY = {
    "actor": ("etag", "create_time", "update_time", "credit_code_check"),
    "pairing": ("etag", "create_time", "update_time", "east_region_code", "west_region_code"),
    "activity": ("etag", "create_time"),
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
                raise ValueError(f"line {number}: want one key, actor, pairing or activity")
            kind, value = next(iter(obj.items()))
            records.append((number, kind, value))
    return records


def source_keys(sources_md):
    """The keys SOURCES.md defines: headings of the form  ### `key`."""
    text = pathlib.Path(sources_md).read_text(encoding="utf-8")
    return set(re.findall(r"^###\s+`([a-z0-9-]+)`", text, flags=re.MULTILINE))


def offline_problems(records, known_sources):
    """The format rules that the registry itself does not check."""
    problems, seen, last_kind = [], {"actor": set(), "pairing": set(), "activity": set()}, 0
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
        if kind == "activity":
            pairing = name.split("/activities/")[0]
            if pairing not in seen["pairing"]:
                problems.append(f"{where}: pairing {pairing} does not come earlier")
        labels = value.get("labels", {})
        if "source" not in labels:
            problems.append(f"{where}: no labels.source")
        for label in SOURCE_LABELS:
            for key in labels.get(label, "").split():
                if key != "illustrative" and key not in known_sources:
                    problems.append(f"{where}: labels.{label} key {key!r} is not in SOURCES.md")
        if kind == "actor" and value.get("category") == "ACTOR_CATEGORY_INDIVIDUAL" and value.get("credit_code"):
            problems.append(f"{where}: an individual carries a credit code")
        seen[kind].add(name)
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
    counts = {"actor": 0, "pairing": 0, "activity": 0}
    with grpc.insecure_channel(target) as channel:
        grpc.channel_ready_future(channel).result(timeout=TIMEOUT_SECONDS)
        stub = pb_grpc.RegistryServiceStub(channel)
        for number, kind, value in records:
            message_type = {"actor": pb.Actor, "pairing": pb.Pairing, "activity": pb.Activity}[kind]
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
                else:
                    got = stub.CreateActivity(
                        pb.CreateActivityRequest(parent=f"pairings/{ids[0]}", activity=sent, activity_id=ids[1]),
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
    for kind in ("actor", "pairing", "activity"):
        plural = {"actor": "actors", "pairing": "pairings", "activity": "activities"}[kind]
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
