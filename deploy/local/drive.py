#!/usr/bin/env python3
"""Drives a mixed, low-rate payment load against one or more gateway nodes so every dashboard panel has data.

Usage: drive.py --seconds 60 --secret sk_test_... --publishable pk_test_... --webhook-url http://127.0.0.1:P/ URL [URL ...]

Mix per round: successful one-shot payments (automatic and manual capture, then capture), a partial refund, declines,
an idempotent replay, a 3-D Secure payment left waiting, and the simulator's lost-answer card (the reconciler settles
it). Requests go round-robin over the nodes. Standard library only.
"""
import argparse
import json
import threading
import time
import urllib.error
import urllib.request
import uuid

CARDS_OK = ["4242424242424242", "5555555555554444"]
CARDS_DECLINED = ["4000000000000002", "4000000000009995"]
CARD_3DS = "4000000000003220"
CARD_LOST_ANSWER = "4000000000000259"


class Node:
    def __init__(self, urls, secret, publishable):
        self.urls, self.secret, self.publishable = urls, secret, publishable
        self.i = 0
        self.lock = threading.Lock()
        self.counts = {}

    def url(self):
        with self.lock:
            self.i += 1
            return self.urls[self.i % len(self.urls)]

    def call(self, method, path, body=None, key=None, idempotency_key=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url() + path, data=data, method=method)
        req.add_header("Authorization", "Bearer " + (key or self.secret))
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if idempotency_key:
            req.add_header("Idempotency-Key", idempotency_key)
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:
                status, payload = resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as e:
            status, payload = e.code, json.loads(e.read() or b"{}")
        with self.lock:
            self.counts[status] = self.counts.get(status, 0) + 1
        return status, payload

    def card(self, number):
        status, pm = self.call("POST", "/v1/payment_methods",
                               {"type": "card", "card": {"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"}},
                               key=self.publishable)
        if status != 200:
            raise RuntimeError(f"tokenize failed: {status} {pm}")
        return pm["id"]

    def pay(self, number, capture="automatic", currency="EUR", amount=2500, idempotency_key=None):
        return self.call("POST", "/v1/payments",
                         {"amount": amount, "currency": currency, "capture_method": capture,
                          "payment_method": self.card(number), "confirm": True},
                         idempotency_key=idempotency_key)


def round_of_work(node, n):
    status, p = node.pay(CARDS_OK[n % 2], currency=["EUR", "USD", "GBP"][n % 3], amount=1000 + n % 5000)
    if status == 200 and n % 3 == 0:
        node.call("POST", "/v1/refunds", {"payment": p["id"], "amount": 100})
    status, p = node.pay(CARDS_OK[0], capture="manual")
    if status == 200:
        node.call("POST", f"/v1/payments/{p['id']}/capture", {})
    node.pay(CARDS_DECLINED[n % 2])
    key = str(uuid.uuid4())
    body = {"amount": 1800, "currency": "EUR", "payment_method": node.card(CARDS_OK[1]), "confirm": True}
    node.call("POST", "/v1/payments", body, idempotency_key=key)
    node.call("POST", "/v1/payments", body, idempotency_key=key)  # a retry: the stored response is replayed
    node.call("POST", "/v1/payments", {"amount": 1, "currency": "EUR"}, idempotency_key=key)  # same key, other body: 422
    if n % 10 == 0:
        node.pay(CARD_3DS)
        node.pay(CARD_LOST_ANSWER)
    node.call("GET", "/v1/payments?limit=5")


def route_over_simulator_accounts(node, admin, merchant):
    """Two test-mode simulator provider accounts and routing rules (GBP split 1:1, everything else to the first), so
    the routing, failover and circuit-breaker series have data."""
    accounts = []
    for name in ("sim-a", "sim-b"):
        status, body = node.call("POST", f"/v1/merchants/{merchant}/provider_accounts",
                                 {"provider": "simulator", "livemode": False, "description": name}, key=admin)
        if status != 200:
            print(f"provider account: {status} {body}")
            return
        accounts.append(body["id"])
    rules = [
        {"livemode": False, "priority": 10, "description": "GBP split", "conditions": {"currencies": ["GBP"]},
         "targets": [{"provider_account": accounts[0], "weight": 1}, {"provider_account": accounts[1], "weight": 1}]},
        {"livemode": False, "priority": 100, "description": "default route",
         "targets": [{"provider_account": accounts[0], "weight": 1}]},
    ]
    for rule in rules:
        status, body = node.call("POST", f"/v1/merchants/{merchant}/routing_rules", rule, key=admin)
        print(f"routing rule '{rule['description']}': {status} {body.get('id', body)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--publishable", required=True)
    ap.add_argument("--webhook-url")
    ap.add_argument("--admin", help="admin key: with --merchant, route the merchant's test payments over two simulator accounts")
    ap.add_argument("--merchant")
    ap.add_argument("--traced-payment-file", help="write the id of one manual-capture payment, captured then refunded, here")
    ap.add_argument("urls", nargs="+")
    args = ap.parse_args()
    node = Node([u.rstrip("/") for u in args.urls], args.secret, args.publishable)
    if args.webhook_url:
        status, body = node.call("POST", "/v1/webhook_endpoints", {"url": args.webhook_url, "enabled_events": ["*"]})
        print(f"webhook endpoint: {status} {body.get('id', body)}")
    if args.admin and args.merchant:
        route_over_simulator_accounts(node, args.admin, args.merchant)
    deadline = time.monotonic() + args.seconds
    rounds = [0]

    def worker(w):
        n = w
        while time.monotonic() < deadline:
            try:
                round_of_work(node, n)
            except Exception as e:  # keep driving; the error shows in the counts
                print(f"worker {w}: {e}")
                time.sleep(0.5)
            n += args.workers
            rounds[0] += 1

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"rounds: {rounds[0]}, responses by status: {dict(sorted(node.counts.items()))}")
    if args.traced_payment_file:  # last, so the viewer has not evicted its spans yet
        status, p = node.pay(CARDS_OK[0], capture="manual")
        if status != 200:
            raise SystemExit(f"traced payment failed: {status} {p}")
        for path, body in ((f"/v1/payments/{p['id']}/capture", {}), ("/v1/refunds", {"payment": p["id"], "amount": 500})):
            status, r = node.call("POST", path, body)
            if status != 200:
                raise SystemExit(f"traced payment {path}: {status} {r}")
        with open(args.traced_payment_file, "w") as f:
            f.write(p["id"] + "\n")
        print(f"traced payment: {p['id']} (created, captured, refunded)")


if __name__ == "__main__":
    main()
