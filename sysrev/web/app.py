"""The Flask application of ``sysrev serve``: access control, CSRF, and the registration of every page.

Pages live in one module each (dashboard, screening, conflicts, duplicates, RoB 2, evidence) and call the
same stage functions as the CLI, so a decision made in the browser is the same row in the same file as one
made in the terminal, written under the same lock. Blinding and permissions are enforced here, on the
server, never by hiding things in the page.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

from flask import Flask, abort, g, jsonify, redirect, render_template, request, session, url_for

from sysrev import __version__
from sysrev.errors import SysrevError
from sysrev.screening.config import screening_config
from sysrev.web import access
from sysrev.web.state import Orders, RecordCache

# Endpoints reachable before a reviewer is known.
_OPEN = {"static", "login", "pick"}


def create_app(project, *, host: str = "127.0.0.1", token: str | None = None, secret_key: str | None = None) -> Flask:
    """The app over ``project``. On loopback ``token`` grants access; elsewhere accounts are required."""
    app = Flask(__name__, template_folder="templates", static_folder="static")
    app.config.update(
        SECRET_KEY=secret_key or secrets.token_hex(32),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=access.SESSION_HOURS),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        # The cookie is sent only when the session changes: a request running beside a sign-in (the browser's
        # favicon fetch) must not answer with the old cookie and undo it. Sessions end 12 h after sign-in.
        SESSION_REFRESH_EACH_REQUEST=False,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
    )
    loopback = access.is_loopback(host)
    if not loopback and not access.load_users(project):
        raise SysrevError(f"refusing to serve on {host} without accounts: create one per reviewer with "
                          "`sysrev serve adduser NAME` (or serve on 127.0.0.1)")
    app.extensions["sysrev"] = {"token": token or access.new_token(), "cache": RecordCache(project),
                                "orders": Orders()}

    @app.before_request
    def _guard():
        g.project, g.cache = project, app.extensions["sysrev"]["cache"]
        g.orders = app.extensions["sysrev"]["orders"]
        if not session.permanent:  # setting it on every request would mark every session changed
            session.permanent = True
        if request.endpoint == "static":
            return None
        if ("authorised" in session or "user" in session) and _signed_in_too_long():
            session.clear()  # signed in more than SESSION_HOURS ago: the token or the password again
        if loopback and not session.get("authorised"):
            if access.same_secret(request.args.get("token"), app.extensions["sysrev"]["token"]):
                _new_session(authorised=True)
                args = {k: v for k, v in request.args.items() if k != "token"}
                return redirect(url_for(request.endpoint or "dashboard.index", **(request.view_args or {}), **args))
            return render_template("denied.html"), 403
        if request.method == "POST" and not access.same_secret(
                request.form.get("csrf_token") or request.headers.get("X-CSRF-Token"), session.get("csrf", "")):
            return _refusal("This form has expired or did not come from this app (CSRF check). Reload the page "
                            "and try again; nothing was saved.")
        g.reviewer = session.get("user")
        if g.reviewer is not None and g.reviewer not in _reviewers():
            session.pop("user", None)
            g.reviewer = None
        if g.reviewer is None and request.endpoint not in _OPEN:
            return redirect(url_for("pick" if loopback else "login", next=request.path))
        return None

    @app.context_processor
    def _globals():
        return {"reviewer": g.get("reviewer"), "csrf_token": session.get("csrf", ""), "version": __version__,
                # review.toml's schema requires [review] title: the app only ever holds a checked config
                "review_title": project.config["review"]["title"]}

    @app.errorhandler(SysrevError)
    def _user_error(exc):
        return _refusal(str(exc))

    @app.route("/pick", methods=["GET", "POST"])
    def pick():
        if not loopback:
            abort(404)
        reviewers = _reviewers()
        if request.method == "POST":
            name = request.form.get("reviewer", "")
            if name not in reviewers:
                return render_template("pick.html", reviewers=reviewers, message=f"Unknown reviewer {name!r}."), 400
            session["user"] = name
            return redirect(_safe_next(request.args.get("next")))
        return render_template("pick.html", reviewers=reviewers, message="")

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if loopback:
            return redirect(url_for("pick"))
        message = ""
        if request.method == "POST":
            name, password = request.form.get("reviewer", ""), request.form.get("password", "")
            if access.check_password(project, name, password):
                _new_session(user=name)
                return redirect(_safe_next(request.args.get("next")))
            message = "Wrong name or password."
        session.setdefault("csrf", secrets.token_urlsafe(24))
        return render_template("login.html", message=message), (401 if message else 200)

    @app.route("/logout", methods=["POST"])
    def logout():
        session.pop("user", None)
        return redirect(url_for("pick" if loopback else "login"))

    from sysrev.web import pages_dashboard, pages_dedup, pages_evidence, pages_rob, pages_screening

    for module in (pages_dashboard, pages_screening, pages_dedup, pages_rob, pages_evidence):
        app.register_blueprint(module.blueprint)
    return app


def web_server(app: Flask, host: str, port: int):
    """The HTTP server `sysrev serve` runs (werkzeug's, a thread per request), shared with the browser tests
    and the latency benchmark so they measure what reviewers use."""
    from werkzeug.serving import make_server

    return make_server(host, port, app, threaded=True)


def _new_session(**signed_in) -> None:
    """A fresh session at sign-in: a new CSRF token, and the time the session ends from (a cookie that lasts
    SESSION_HOURS, sent again only when the session changes)."""
    session.clear()
    session.permanent = True
    session.update(signed_in, csrf=secrets.token_urlsafe(24), since=time.time())


def _signed_in_too_long() -> bool:
    """Whether the session's sign-in is SESSION_HOURS old (or has no time): Flask signs the cookie anew, with a
    new time stamp, whenever the session changes, so its own expiry would restart with every change."""
    since = session.get("since")
    return not isinstance(since, (int, float)) or time.time() - since >= access.SESSION_HOURS * 3600


def _reviewers() -> list[str]:
    """The reviewers of review.toml as it is now (read again when it changed while the app serves)."""
    g.cache.config()
    return screening_config(g.project).reviewers


def _refusal(message: str):
    """A 400 saying what was wrong: a page, or ``{"error": message}`` for the screening page's ``fetch``."""
    from sysrev.web.pages_screening import wants_json

    if wants_json():
        return jsonify(error=message), 400
    # a form sent and refused was not saved; a page asked for and refused was only not shown
    heading = "Not saved" if request.method == "POST" else "This page cannot be shown"
    return render_template("error.html", message=message, heading=heading), 400


def _safe_next(target) -> str:
    """Only a path on this site, never another host (an open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.index")
