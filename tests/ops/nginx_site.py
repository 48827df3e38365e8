"""deploy/nginx/cimento.conf as a test runs it: its own ports, certificate and static folder,
in a main nginx.conf of its own (no root needed, nothing written outside the folder)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.clinic.test_settings import ROOT

SITE = ROOT / "deploy" / "nginx" / "cimento.conf"


def render_site(tmp: Path, ports: dict[str, int], static: Path, cert: Path, key: Path) -> Path:
    site = SITE.read_text()
    for production, here in {
        "127.0.0.1:8001": f"127.0.0.1:{ports['a']}",
        "127.0.0.1:8002": f"127.0.0.1:{ports['b']}",
        "listen 80;": f"listen 127.0.0.1:{ports['http']};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{ports['https']} ssl http2;",
        "/etc/ssl/cimento/fullchain.pem": str(cert),
        "/etc/ssl/cimento/privkey.pem": str(key),
        "/srv/cimento/staticfiles/": f"{static}/",
    }.items():
        assert production in site, production
        site = site.replace(production, here)
    (tmp / "cimento.conf").write_text(site)
    main = tmp / "nginx.conf"
    temp = " ".join(f"{kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy"))
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log warn;\n"
        + "events { worker_connections 256; }\n"
        + f"http {{ include /etc/nginx/mime.types; access_log off; {temp}\n"
        + f"  include {tmp}/cimento.conf; }}\n"
    )
    return main
