# gunicorn's settings for one Cimento app server (deploy/systemd/cimento-web.service; the
# two-server test, tests/ops/test_two_servers.py, runs its servers with this very file).
# Everything that differs between hosts comes from the environment file (deploy/cimento.env).
import os

# Where nginx reaches this server: 127.0.0.1 when nginx runs on the same host, the host's private
# address when it runs on another (the upstream lines of deploy/nginx/cimento.conf).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Synchronous workers: nginx reads whole request bodies and buffers answers, so a slow client holds
# no worker. Two or three per core; each holds one database connection at a time.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
# The longest request is a PDF (WeasyPrint): nginx gives up after 60 s too (proxy_read_timeout).
timeout = 60
graceful_timeout = 30
# A worker is replaced after this many requests (a slow leak in a library cannot grow forever).
max_requests = 2000
max_requests_jitter = 200
# X-Forwarded-Proto is believed from these addresses only: nginx's (gunicorn reads the
# FORWARDED_ALLOW_IPS variable itself; Django's TRUSTED_PROXIES lists the same addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# To stdout, i.e. the journal. URLs carry ids only (docs/security.md, row 18), never a name; the
# query string is left out all the same.
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# No runtime control socket (gunicornc): systemd starts, reloads (HUP) and stops the server.
control_socket_disable = True
