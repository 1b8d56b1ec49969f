#!/usr/bin/env python3
"""A small Python client for eastwest.registry.v1.RegistryService.

It creates an EAST and a WEST government body, pairs them at province level, lists the EAST
actors page by page, and shows how to read the field violations of an INVALID_ARGUMENT error.

Run generate.sh first (it writes the stubs to ./gen), then:

    python registry_client.py --target 127.0.0.1:50051

Exits 0 when everything went as expected, 1 otherwise.
"""

import argparse
import pathlib
import secrets
import sys

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

# The generated stubs live in ./gen (see generate.sh).
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "gen"))
from eastwest.registry.v1 import registry_pb2 as pb  # noqa: E402
from eastwest.registry.v1 import registry_pb2_grpc as pb_grpc  # noqa: E402

TIMEOUT_SECONDS = 10.0


class Unexpected(Exception):
    """The server answered, but not as this example expects."""


def expect(condition, message):
    if not condition:
        raise Unexpected(message)


def create_actor(stub, actor_id, display_name, side, region_code):
    actor = pb.Actor(
        display_name=display_name,
        category=pb.ACTOR_CATEGORY_GOVERNMENT_BODY,
        side=side,
        region_code=region_code,
    )
    created = stub.CreateActor(pb.CreateActorRequest(actor=actor, actor_id=actor_id), timeout=TIMEOUT_SECONDS)
    expect(created.name == f"actors/{actor_id}", f"expected name actors/{actor_id}, got {created.name!r}")
    expect(created.display_name == display_name, f"display_name came back as {created.display_name!r}")
    expect(created.side == side, f"side came back as {pb.Side.Name(created.side)}")
    print(
        f"created {created.name}: {created.display_name} "
        f"({pb.Side.Name(created.side)}, {created.region_code}, {pb.ActorCategory.Name(created.category)}, "
        f"credit code check {pb.CreditCodeCheck.Name(created.credit_code_check)}, etag {created.etag!r})"
    )
    return created


def create_pairing(stub, pairing_id, east, west):
    pairing = pb.Pairing(
        title="江苏—陕西东西部协作",
        east=east.name,
        west=west.name,
        level=pb.PAIRING_LEVEL_PROVINCE,
        leadership=pb.LEADERSHIP_GOVERNMENT_LED,
        state=pb.PAIRING_STATE_ACTIVE,
        forms=[pb.COOPERATION_FORM_INDUSTRY, pb.COOPERATION_FORM_EMPLOYMENT],
        labels={"source": "illustrative"},
    )
    created = stub.CreatePairing(
        pb.CreatePairingRequest(pairing=pairing, pairing_id=pairing_id), timeout=TIMEOUT_SECONDS
    )
    expect(created.name == f"pairings/{pairing_id}", f"expected name pairings/{pairing_id}, got {created.name!r}")
    expect(created.east == east.name and created.west == west.name, "pairing came back with other actors")
    expect(
        (created.east_region_code, created.west_region_code) == (east.region_code, west.region_code),
        f"region codes came back as {created.east_region_code!r}/{created.west_region_code!r}",
    )
    print(
        f"created {created.name}: {created.title} "
        f"({created.east} {created.east_region_code} -> {created.west} {created.west_region_code}, "
        f"{pb.PairingLevel.Name(created.level)}, {pb.Leadership.Name(created.leadership)}, "
        f"{pb.PairingState.Name(created.state)})"
    )
    return created


def list_east_actors(stub, page_size, max_pages=10_000):
    """Follows next_page_token until it is empty; returns every EAST actor."""
    actors, page_token, pages = [], "", 0
    while True:
        response = stub.ListActors(
            pb.ListActorsRequest(side=pb.SIDE_EAST, page_size=page_size, page_token=page_token),
            timeout=TIMEOUT_SECONDS,
        )
        pages += 1
        expect(len(response.actors) <= page_size, f"page {pages} has {len(response.actors)} > {page_size} actors")
        actors.extend(response.actors)
        page_token = response.next_page_token
        if not page_token:
            break
        expect(pages < max_pages, f"still paging after {max_pages} pages")
    print(f"listed {len(actors)} EAST actor(s) in {pages} page(s) of at most {page_size}:")
    for actor in actors:
        print(f"  {actor.name}  {actor.region_code}  {actor.display_name}")
    return actors


def show_field_violations(stub, suffix):
    """Sends an actor with an empty display_name and prints the google.rpc.BadRequest it earns."""
    bad = pb.Actor(
        display_name="",
        category=pb.ACTOR_CATEGORY_GOVERNMENT_BODY,
        side=pb.SIDE_EAST,
        region_code="320000",
    )
    try:
        stub.CreateActor(pb.CreateActorRequest(actor=bad, actor_id=f"nameless-{suffix}"), timeout=TIMEOUT_SECONDS)
    except grpc.RpcError as err:
        expect(err.code() == grpc.StatusCode.INVALID_ARGUMENT, f"expected INVALID_ARGUMENT, got {err.code()}")
        print(f"empty display_name rejected: {err.code().name}: {err.details()}")
        # The google.rpc.Status from the grpc-status-details-bin trailer (None if there is none).
        status = rpc_status.from_call(err)
        expect(status is not None, "INVALID_ARGUMENT without a grpc-status-details-bin trailer")
        violations = []
        for detail in status.details:  # each is a google.protobuf.Any
            if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad_request = error_details_pb2.BadRequest()
                detail.Unpack(bad_request)
                violations.extend(bad_request.field_violations)
        expect(violations, "no google.rpc.BadRequest field violations in the status details")
        for v in violations:
            print(f"  field violation: {v.field}: {v.description}")
        expect(
            any(v.field.endswith("display_name") for v in violations),
            "no field violation names display_name",
        )
        return violations
    raise Unexpected("an actor with an empty display_name was accepted")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="127.0.0.1:50051", help="host:port of the registry (default %(default)s)")
    parser.add_argument("--page-size", type=int, default=1, help="page size for ListActors (default %(default)s)")
    args = parser.parse_args(argv)

    # A random suffix keeps the ids of one run apart from those of earlier runs.
    suffix = secrets.token_hex(4)
    try:
        with grpc.insecure_channel(args.target) as channel:
            grpc.channel_ready_future(channel).result(timeout=TIMEOUT_SECONDS)
            stub = pb_grpc.RegistryServiceStub(channel)

            east = create_actor(stub, f"jiangsu-gov-{suffix}", "江苏省人民政府", pb.SIDE_EAST, "320000")
            west = create_actor(stub, f"shaanxi-gov-{suffix}", "陕西省人民政府", pb.SIDE_WEST, "610000")
            create_pairing(stub, f"jiangsu-shaanxi-{suffix}", east, west)

            listed = list_east_actors(stub, args.page_size)
            names = [a.name for a in listed]
            expect(east.name in names, f"{east.name} missing from the EAST listing")
            expect(west.name not in names, f"{west.name} (WEST) in the EAST listing")
            expect(all(a.side == pb.SIDE_EAST for a in listed), "a non-EAST actor in the EAST listing")
            expect(len(names) == len(set(names)), "an actor appears on more than one page")

            show_field_violations(stub, suffix)
    except grpc.FutureTimeoutError:
        print(f"error: could not connect to {args.target} within {TIMEOUT_SECONDS:g}s", file=sys.stderr)
        return 1
    except grpc.RpcError as err:
        print(f"error: unexpected RPC failure: {err.code().name}: {err.details()}", file=sys.stderr)
        return 1
    except Unexpected as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print("all done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
