#!/usr/bin/python3
"""python-fido2's side of the side-by-side benchmark (test/bench/side-by-side.ts).

The same work as `skm --json creds list` on a PC/SC card: open the reader, getInfo, a PIN token
with the credential-management permission, metadata, every RP and its credentials, printed as
JSON. The PIN comes on stdin. With --repeat N the listing runs N times in this process and the
last line is a JSON object with the in-process time of each run (ms), for the in-process figure.

Usage: python_fido2_list.py READER [--repeat N] < pin
"""
import json
import sys
import time

from fido2.ctap2 import ClientPin, Ctap2, CredentialManagement
from fido2.pcsc import CtapPcscDevice


def b64url(data):
    import base64

    return base64.urlsafe_b64encode(bytes(data)).rstrip(b"=").decode()


def list_passkeys(reader, pin):
    device = next(iter(CtapPcscDevice.list_devices(reader)), None)
    if device is None:
        raise SystemExit(f"no card on reader {reader!r}")
    try:
        ctap = Ctap2(device)
        client_pin = ClientPin(ctap)
        token = client_pin.get_pin_token(pin, ClientPin.PERMISSION.CREDENTIAL_MGMT)
        manager = CredentialManagement(ctap, client_pin.protocol, token)
        manager.get_metadata()
        passkeys = []
        R = CredentialManagement.RESULT
        for rp in manager.enumerate_rps():
            for cred in manager.enumerate_creds(rp[R.RP_ID_HASH]):
                user = cred[R.USER]
                passkeys.append(
                    {
                        "rpId": rp[R.RP]["id"],
                        "credentialId": b64url(cred[R.CREDENTIAL_ID]["id"]),
                        "userId": b64url(user["id"]),
                        "userName": user.get("name"),
                        "userDisplayName": user.get("displayName"),
                    }
                )
        return passkeys
    finally:
        device.close()


def main():
    reader = sys.argv[1]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    pin = sys.stdin.readline().rstrip("\r\n")
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        passkeys = list_passkeys(reader, pin)
        runs.append((time.perf_counter() - start) * 1000)
    if repeat == 1:
        print(json.dumps(passkeys))
    else:
        print(json.dumps({"passkeys": len(passkeys), "runsMs": runs}))


if __name__ == "__main__":
    main()
