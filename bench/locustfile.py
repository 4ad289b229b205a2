"""The locust side of bench/loadtest.py (runs in var/bench-venv, not in the project's virtualenv).

    var/bench-venv/bin/python bench/locustfile.py CONFIG.json '{"host": ..., "users": [50, 200], "seconds": 45, ...}'

CONFIG.json (written by loadtest.py) holds a session per simulated user and the project ids each persona sees.
Prints one line ``RESULT {json}`` with every phase's figures.
"""

import json
import random
import secrets
import string
import sys
from datetime import date
from itertools import count

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment

CONFIG = json.loads(open(sys.argv[1]).read()) if __name__ == "__main__" else {}
KINDS = {
    "trivial login page": "trivial",
    "project list": "list",
    "project list filtered": "list",
    "project detail": "detail",
    "rankings": "list",
    "cockpit": "report",
    "api project create": "write",
    "api funds entry": "write",
}
_serial = count(1)
_sessions: dict[str, list[tuple[str, str]]] = {}


def next_session(role: str) -> tuple[str, str]:
    """(username, session key), handing each simulated user its own session, round-robin over the role's accounts."""
    pool = _sessions.get(role)
    if pool is None:
        accounts = CONFIG["roles"][role]  # interleaved: 楚雄, 昆明, 楚雄, …
        sessions = zip(*[account["sessions"] for account in accounts], strict=False)
        pool = _sessions[role] = [
            (a["username"], key) for keys in sessions for a, key in zip(accounts, keys, strict=True)
        ]
    return pool.pop() if pool else (CONFIG["roles"][role][0]["username"], CONFIG["roles"][role][0]["sessions"][0])


class Persona(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    role = ""

    def on_start(self):
        self.username, session = next_session(self.role)
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.cookies = f"{CONFIG['session_cookie']}={session}; {CONFIG['csrf_cookie']}={self.csrf}"
        self.projects = CONFIG["projects"][self.username] or [0]
        self.signed = CONFIG["signed"][self.username] or [0]

    def get(self, path: str, name: str):
        with self.client.get(path, name=name, headers={"Cookie": self.cookies}, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    def post_json(self, path: str, name: str, payload: dict):
        headers = {"Cookie": self.cookies, "X-CSRFToken": self.csrf, "Content-Type": "application/json"}
        with self.client.post(path, name=name, data=json.dumps(payload), headers=headers, catch_response=True) as r:
            if r.status_code != 201:
                r.failure(f"{r.status_code} {r.text[:200]}")


class CountyOfficer(Persona):
    """禄丰: reads its projects, enters new ones and records funds (2 writes in 8 requests)."""

    role, weight = "county", 4

    @task(3)
    def project_list(self):
        self.get("/projects/", "project list")

    @task(3)
    def project_detail(self):
        self.get(f"/projects/{random.choice(self.projects)}/", "project detail")

    @task(1)
    def create_project(self):
        n = next(_serial)
        self.post_json(
            "/api/v1/projects/",
            "api project create",
            {
                "name": f"压测新建项目{n}号{random.randint(1000, 9999)}",
                "investor_name": f"压测投资有限公司{n}",
                "county": "532302",
                "agreed_investment_wan": "5000.00",
                "source_province": "四川",
                "on": date.today().isoformat(),
            },
        )

    @task(1)
    def record_funds(self):
        self.post_json(
            "/api/v1/funding-entries/",
            "api funds entry",
            {
                "project": random.choice(self.signed),
                "month": date.today().strftime("%Y-%m"),
                "amount_wan": f"{random.randint(1, 50)}.00",
                "outside_province_wan": "0",
                "foreign_usd_wan": "0",
            },
        )


class PrefectureOfficer(Persona):
    """楚雄 / 昆明: lists with filters, project details, rankings."""

    role, weight = "prefecture", 4

    @task(3)
    def project_list(self):
        self.get("/projects/", "project list")

    @task(2)
    def project_list_filtered(self):
        self.get(f"/projects/?stage={random.choice(['signed', 'under_construction', 'lead'])}", "project list filtered")

    @task(3)
    def project_detail(self):
        self.get(f"/projects/{random.choice(self.projects)}/", "project detail")

    @task(1)
    def rankings(self):
        self.get("/stats/rankings/", "rankings")


class Province(Persona):
    """The province's leaders on the cockpit."""

    role, weight = "province", 2

    @task
    def cockpit(self):
        self.get("/dashboard/", "cockpit")


class Trivial(FastHttpUser):
    wait_time = constant(0)

    @task
    def login_page(self):
        self.client.get("/accounts/login/", name="trivial login page")


def figures(entry, seconds: float) -> dict:
    return {
        "name": entry.name,
        "kind": KINDS.get(entry.name, ""),
        "count": entry.num_requests,
        "rps": entry.num_requests / seconds if seconds else 0,
        "p50": entry.get_response_time_percentile(0.50) or 0,
        "p95": entry.get_response_time_percentile(0.95) or 0,
        "p99": entry.get_response_time_percentile(0.99) or 0,
        "errors": entry.num_failures,
    }


def run_phase(name: str, user_classes, users: int, seconds: float, host: str, warmup: float = 5.0) -> dict:
    env = Environment(user_classes=user_classes, host=host, events=events)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.sleep(warmup)
    env.stats.reset_all()
    gevent.sleep(seconds)
    runner.quit()
    errors = {f"{e.name}: {e.error}": e.occurrences for e in env.stats.errors.values()}
    requests = [figures(entry, seconds) for entry in sorted(env.stats.entries.values(), key=lambda e: e.name)]
    total = figures(env.stats.total, seconds) | {"name": "(all)"}
    print(f"{name}: {total['rps']:.1f} req/s, p95 {total['p95']:.0f} ms, {total['errors']} errors", file=sys.stderr)
    return {"name": name, "users": users, "seconds": seconds, "requests": requests, "total": total, "errors": errors}


def main():
    plan = json.loads(sys.argv[2])
    phases = [run_phase("trivial@50", [Trivial], 50, plan["ceiling_seconds"], plan["host"])]
    for users in plan["users"]:
        _sessions.clear()
        phases.append(
            run_phase(
                f"mix@{users}", [CountyOfficer, PrefectureOfficer, Province], users, plan["seconds"], plan["host"]
            )
        )
    print("RESULT " + json.dumps({"phases": phases}, ensure_ascii=False))


if __name__ == "__main__":
    main()
