"""``sysrev serve``: the review in the browser, for team members who never open a terminal."""

from __future__ import annotations

import threading
import webbrowser

import click

from sysrev.cli.options import project_option
from sysrev.project import load_project


@click.group(invoke_without_command=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs accounts (`sysrev serve adduser`).")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port.")
@click.option("--no-browser", is_flag=True, help="Do not open a browser window.")
@project_option
@click.pass_context
def serve(ctx, host, port, no_browser, project_dir):
    """Serve the project as a web app: dashboard, screening, conflicts, duplicates, RoB 2, evidence.

    On 127.0.0.1 (the default) the printed link carries a secret token; each person then picks their
    reviewer name. Decisions go to the same files, under the same locks, as the terminal commands.
    """
    if ctx.invoked_subcommand is not None:
        return
    import logging

    from sysrev.web.access import is_loopback, new_token
    from sysrev.web.app import create_app, web_server

    project = load_project(project_dir)
    token = new_token()
    app = create_app(project, host=host, token=token)
    server = web_server(app, host, port)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # errors only, not a line per request
    shown_host = host if ":" not in host else f"[{host}]"
    url = f"http://{shown_host}:{server.server_port}/"
    if is_loopback(host):
        url += f"?token={token}"
        click.echo(f"sysrev serves {project.root} at\n\n    {url}\n\n(the link carries this session's access token; "
                   "keep it to yourself). Ctrl-C stops the server.")
    else:
        click.echo(f"sysrev serves {project.root} at {url} for the reviewers with accounts. Ctrl-C stops it.")
    if not no_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")


@serve.command("adduser")
@click.argument("name")
@click.password_option(help="The reviewer's password (asked twice when not given).")
@project_option
def adduser(name, password, project_dir):
    """Create or change a reviewer's account for serving beyond this computer (--host)."""
    from sysrev.screening.config import screening_config
    from sysrev.web.access import add_user

    project = load_project(project_dir)
    path = add_user(project, name, password, screening_config(project).reviewers)
    click.echo(f"account for {name} saved in {path} (scrypt hash; keep this file out of git)")
