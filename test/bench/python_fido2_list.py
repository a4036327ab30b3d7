#!/usr/bin/python3
"""python-fido2's side of the side-by-side benchmark (test/bench/side-by-side.ts).

The same work as `skm --json creds list` on a PC/SC card: open the reader, getInfo, a PIN token
with the credential-management permission, metadata, every RP and its credentials, printed as
JSON. The PIN comes on stdin. With --repeat N the listing runs N times in this process and the
last line is a JSON object with the in-process time of each run (ms), for the in-process figure,
and per APDU the time inside pyscard's transmit and python's own time between an answer and the
next command, as skm-list.ts measures them for skm.
With --rtt N it sends N SELECTs back to back on one connection and prints their round trips (us).

Usage: python_fido2_list.py READER [--repeat N] < pin | python_fido2_list.py READER --rtt N
"""
import json
import sys
import time

from fido2.ctap2 import ClientPin, Ctap2, CredentialManagement
from fido2.pcsc import CtapPcscDevice
from smartcard.CardConnection import CardConnection

# SELECT of the FIDO applet (CTAP 2.1 section 11.3.3).
SELECT_FIDO = [0x00, 0xA4, 0x04, 0x00, 0x08, 0xA0, 0x00, 0x00, 0x06, 0x47, 0x2F, 0x00, 0x01, 0x00]
RTT_WARM_UP = 50

# Every pyscard transmit in this process: (sent, answered), from time.perf_counter().
exchanges = []
_transmit = CardConnection.transmit


def timed_transmit(self, *args, **kwargs):
    sent = time.perf_counter()
    answer = _transmit(self, *args, **kwargs)
    exchanges.append((sent, time.perf_counter()))
    return answer


CardConnection.transmit = timed_transmit


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


def round_trips(reader, count):
    device = next(iter(CtapPcscDevice.list_devices(reader)), None)
    if device is None:
        raise SystemExit(f"no card on reader {reader!r}")
    try:
        for _ in range(RTT_WARM_UP):
            device._conn.transmit(SELECT_FIDO)
        del exchanges[:]
        for _ in range(count):
            device._conn.transmit(SELECT_FIDO)
    finally:
        device.close()
    return [(answered - sent) * 1e6 for sent, answered in exchanges]


def main():
    reader = sys.argv[1]
    if "--rtt" in sys.argv:
        count = int(sys.argv[sys.argv.index("--rtt") + 1])
        print(json.dumps({"rttUs": round_trips(reader, count)}))
        return
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    pin = sys.stdin.readline().rstrip("\r\n")
    runs = []
    transmit_ms = []
    between_ms = []
    for _ in range(repeat):
        del exchanges[:]
        start = time.perf_counter()
        passkeys = list_passkeys(reader, pin)
        runs.append((time.perf_counter() - start) * 1000)
        for k, (sent, answered) in enumerate(exchanges):
            transmit_ms.append((answered - sent) * 1000)
            if k > 0:
                between_ms.append((sent - exchanges[k - 1][1]) * 1000)
    if repeat == 1:
        print(json.dumps(passkeys))
    else:
        print(json.dumps({"passkeys": len(passkeys), "runsMs": runs, "transmitMs": transmit_ms, "betweenMs": between_ms}))


if __name__ == "__main__":
    main()
