#!/usr/bin/env python3
"""Schemathesis fuzz of a real fulcrum-api (127.0.0.1, temp database) from its own /openapi.json.

Checks that no generated request gets a 5xx (`not_a_server_error`). Bounded: a few examples per operation,
one worker, a request timeout and an overall timeout. Used by `make fuzz-api`.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from real_client_test import Server  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--st", required=True, help="path of the schemathesis `st` command")
    parser.add_argument("--max-examples", default="10")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="fulcrum-fuzz-")
    server = Server(os.path.abspath(args.bin), workdir)
    try:
        server.start()
        token = server.token("fuzz-project", "member")
        command = [
            args.st, "run", server.url + "/openapi.json", "--url", server.url + "/v2",
            "--checks", "not_a_server_error", "-H", f"X-Auth-Token: {token}", "-n", args.max_examples,
            "--workers", "1", "--request-timeout", "10",
        ]
        result = subprocess.run(command, timeout=900)
        return result.returncode
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
