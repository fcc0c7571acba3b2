"""gunicorn's configuration for production and for the load benchmark: `gunicorn -c python:conductatlas.gunicorn
conductatlas.wsgi`. Threads share each worker's database pool (DATABASE_POOL_MAX_SIZE); all numbers come
from the environment."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count())))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
# Recycle workers now and then, jittered, so that no slow leak lives for long and they do not all restart at once.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
errorlog = "-"
