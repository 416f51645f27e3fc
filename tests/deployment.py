"""Start the reference deployment in deploy/ on loopback ports: Redis, two gunicorn instances
and nginx in front, with a throwaway self-signed certificate.

The shipped files are the ones started: the nginx site, the Redis configuration, and the systemd
unit's Environment=, ExecStart= and ExecStartPost= lines with its environment file. Only ports and
paths are substituted, and every substitution must find its text, so a change to a shipped file that
the harness does not understand fails loudly instead of testing something else.

There is no systemd here (no PID 1 to ask): an instance is started as the unit says (ExecStart=,
then ExecStartPost=, which returns when it is ready), stopped as `systemctl stop` does with
KillMode=mixed (SIGTERM to gunicorn's master, then wait), and `systemctl restart` is that stop and
start. scripts/rolling-restart.sh runs for real, with a restart command that asks this harness.
"""
from __future__ import annotations

import datetime
import os
import shlex
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from app.host.envfile import parse_environment_file
from bench.server import GUNICORN, ROOT, free_port

DEPLOY = ROOT / "deploy"
NGINX_SITE = DEPLOY / "nginx" / "facerights.conf"
REDIS_CONF = DEPLOY / "redis" / "redis-facerights.conf"
UNIT = DEPLOY / "systemd" / "facerights@.service"
ENV_FILE = DEPLOY / "facerights.env"
NGINX = Path("/usr/sbin/nginx")
REDIS_SERVER = Path("/usr/bin/redis-server")


def substitute(text: str, replacements: dict[str, str], source: Path) -> str:
    for old, new in replacements.items():
        if old not in text:
            raise AssertionError(f"{source.relative_to(ROOT)} no longer contains {old!r}")
        text = text.replace(old, new)
    return text


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1, valid for a day."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "FaceRights test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path


@dataclass
class UnitCommands:
    start: list[str]
    ready: list[str]
    environment: dict[str, str]


def unit_commands(port: int, metrics_folder: Path) -> UnitCommands:
    """ExecStart=, ExecStartPost= and Environment= of the shipped unit, for the instance facerights@<port>."""
    replacements = {"%i": str(port), "/opt/facerights": str(ROOT), "/run/facerights-": f"{metrics_folder}/"}
    environment, commands = {}, {}
    for line in UNIT.read_text().splitlines():
        key, _, value = line.partition("=")
        for old, new in replacements.items():
            value = value.replace(old, new)
        if key == "Environment":
            name, _, setting = value.partition("=")
            environment[name] = setting
        elif key in ("ExecStart", "ExecStartPost", "ExecReload"):
            commands[key] = shlex.split(value)
    start, ready = commands.get("ExecStart"), commands.get("ExecStartPost")
    if not start or start[0] != f"{ROOT}/.venv/bin/gunicorn":
        raise AssertionError(f"unexpected ExecStart in {UNIT}: {start}")
    if not ready or ready[:2] != ["/usr/bin/python3", f"{ROOT}/scripts/wait-until-ready.py"]:
        raise AssertionError(f"unexpected ExecStartPost in {UNIT}: {ready}")
    if "ExecReload" in commands:
        raise AssertionError(f"{UNIT} has an ExecReload= again: a reload cannot apply settings")
    start[0] = str(GUNICORN)  # the test's own virtual environment
    environment.pop("XDG_CACHE_HOME", None)  # systemd's CacheDirectory; the test has none
    return UnitCommands(start, ready, environment)


def environment_file() -> dict[str, str]:
    return parse_environment_file(ENV_FILE.read_text())


def write_environment_file(path: Path, settings: dict[str, str]) -> None:
    """The host's /etc/facerights/facerights.env: the shipped lines, with the values this deployment sets."""
    lines = [f"{name}={value}" for name, value in settings.items()]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)


def wait_for(check, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start")


def listening(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        return True


def stop(process: subprocess.Popen, group: bool = False) -> None:
    if process.poll() is not None:
        return
    try:
        if group:
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.terminate()
        process.wait(timeout=30)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        try:
            os.killpg(process.pid, signal.SIGKILL) if group else process.kill()
        except ProcessLookupError:
            pass
        process.wait()


@dataclass
class Instance:
    port: int
    unit: UnitCommands
    settings: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = None

    def log(self) -> bytes:
        return self.log_path.read_bytes()

    def start(self) -> None:
        """ExecStart=, then ExecStartPost= (which returns once the instance answers /healthz)."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.unit.start, cwd=ROOT,
                                            env={**os.environ, **self.settings, **self.unit.environment},
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        subprocess.run(self.unit.ready, check=True, timeout=120)

    def stop(self) -> None:
        """As `systemctl stop` with KillMode=mixed: SIGTERM to the master alone (it stops its workers
        gracefully), then, once it has exited or after TimeoutStopSec=30, SIGKILL to what is left."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()

    def restart(self) -> None:
        self.stop()
        self.start()

    def hup(self) -> None:
        os.kill(self.process.pid, signal.SIGHUP)

    def kill(self) -> None:
        """SIGKILL the master and its workers at once, as a crash or the OOM killer would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@dataclass
class Redis:
    port: int
    folder: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        data = self.folder / "redis-data"
        data.mkdir(exist_ok=True)
        self.process = subprocess.Popen([str(REDIS_SERVER), str(REDIS_CONF), "--port", str(self.port),
                                         "--bind", "127.0.0.1", "--dir", str(data), "--daemonize", "no",
                                         "--supervised", "no", "--pidfile", str(self.folder / "redis.pid"),
                                         "--logfile", str(self.folder / "redis.log")], stdout=subprocess.DEVNULL)
        wait_for(lambda: listening(self.port), "redis-server", 10)

    def stop(self) -> None:
        stop(self.process)


@dataclass
class Deployment:
    folder: Path
    https_port: int
    redis: Redis
    instances: list[Instance]
    certificate: Path
    nginx_process: subprocess.Popen
    environment_file: Path
    extra: dict = field(default_factory=dict)

    @property
    def redis_port(self) -> int:
        return self.redis.port

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))

    def nginx_logs(self) -> bytes:
        return b"".join(path.read_bytes() for path in sorted((self.folder / "nginx-logs").rglob("*")) if path.is_file())

    def temp_files(self) -> list[Path]:
        """Files nginx wrote to its temporary folders (request bodies, buffered answers)."""
        return [path for path in (self.folder / "nginx-temp").rglob("*") if path.is_file()]

    def instance(self, unit: str) -> Instance:
        return next(instance for instance in self.instances if unit == f"facerights@{instance.port}")

    def rolling_restart(self, settle_seconds: float = 11) -> subprocess.CompletedProcess:
        """Run scripts/rolling-restart.sh as a host would, its `systemctl restart` answered by this harness."""
        with restart_service(self) as restart_command:
            environment = {**os.environ, "FACERIGHTS_RESTART_COMMAND": restart_command,
                           "FACERIGHTS_ENV_FILE": str(self.environment_file), "FACERIGHTS_PYTHON": sys.executable,
                           "FACERIGHTS_SETTLE_SECONDS": str(settle_seconds)}
            return subprocess.run(["sh", str(ROOT / "scripts" / "rolling-restart.sh"),
                                   *(str(instance.port) for instance in self.instances)],
                                  env=environment, capture_output=True, text=True, timeout=600)


@contextmanager
def restart_service(deployment: Deployment):
    """Stands in for systemd: a command that, given a unit, has this process restart that instance
    and answers once it is ready (so that the instances stay this process's children)."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def serve():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                unit = connection.makefile().readline().strip()
                try:
                    deployment.instance(unit).restart()
                    connection.sendall(b"done\n")
                except Exception as error:  # told to the script, which then fails
                    connection.sendall(f"failed: {error}\n".encode())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    client = deployment.folder / "systemctl-restart.py"
    client.write_text("import socket, sys\n"
                      f"c = socket.create_connection(('127.0.0.1', {port}))\n"
                      "c.sendall(sys.argv[1].encode() + b'\\n')\n"
                      "answer = c.makefile().readline()\n"
                      "sys.exit(0 if answer == 'done\\n' else answer)\n")
    try:
        yield f"{sys.executable} {client}"
    finally:
        server.close()
        thread.join(5)


def start_redis(stack: ExitStack, folder: Path) -> Redis:
    redis = Redis(free_port(), folder)
    redis.start()
    stack.callback(redis.stop)
    return redis


def start_instance(stack: ExitStack, folder: Path, port: int, settings: dict[str, str]) -> Instance:
    metrics = folder / "run"
    metrics.mkdir(exist_ok=True)
    unit = unit_commands(port, metrics)
    # systemd's RuntimeDirectory=, kept across restarts of the test's instance like /run/facerights-<port>
    Path(unit.environment["PROMETHEUS_MULTIPROC_DIR"]).mkdir(mode=0o700)
    instance = Instance(port, unit, settings, folder / f"gunicorn-{port}.log")
    stack.callback(lambda: instance.process and instance.stop())
    instance.start()
    return instance


def nginx_configuration(folder: Path, https_port: int, http_port: int, upstream_ports: list[int],
                        certificate: Path, key: Path) -> Path:
    logs, temp = folder / "nginx-logs", folder / "nginx-temp"
    (logs / "facerights").mkdir(parents=True)
    temp.mkdir()
    site = substitute(NGINX_SITE.read_text(), {
        "127.0.0.1:8001": f"127.0.0.1:{upstream_ports[0]}",
        "127.0.0.1:8002": f"127.0.0.1:{upstream_ports[1]}",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        "listen [::]:443 ssl;": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "/etc/letsencrypt/live/facerights.example.org/fullchain.pem": str(certificate),
        "/etc/letsencrypt/live/facerights.example.org/privkey.pem": str(key),
        "/var/log/nginx/": f"{logs}/",
    }, NGINX_SITE)
    (folder / "facerights.conf").write_text(site)
    temp_paths = "\n".join(f"    {kind}_temp_path {temp}/{kind};"
                           for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # The main file stands in for Debian's /etc/nginx/nginx.conf; the site is included as shipped.
    main = folder / "nginx.conf"
    main.write_text(f"""{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {logs}/main-error.log warn;
events {{ worker_connections 512; }}
http {{
{temp_paths}
    access_log {logs}/main-access.log;
    include {folder}/facerights.conf;
}}
""")
    return main


@contextmanager
def reference_deployment(folder: Path, extra_settings: dict[str, str] | None = None, secret_key: str | None = None):
    """Yield a running Deployment; everything it started is stopped on exit, even on failure."""
    if not NGINX.exists() or not REDIS_SERVER.exists():
        raise RuntimeError("nginx and redis-server are needed: sh scripts/test.sh installs them")
    with ExitStack() as stack:
        redis = start_redis(stack, folder)
        settings = environment_file()
        settings.update({
            "FACERIGHTS_SECRET_KEY": secret_key or "deployment-test-key-shared-by-both-instances",
            "FACERIGHTS_RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis.port}/0",
            **(extra_settings or {}),
        })
        environment = folder / "facerights.env"
        write_environment_file(environment, settings)
        instances = [start_instance(stack, folder, free_port(), settings) for _ in range(2)]
        certificate, key = self_signed_certificate(folder)
        https_port, http_port = free_port(), free_port()
        config = nginx_configuration(folder, https_port, http_port, [i.port for i in instances], certificate, key)
        subprocess.run([str(NGINX), "-t", "-q", "-p", str(folder), "-e", str(folder / "nginx-logs" / "main-error.log"),
                        "-c", str(config)], check=True)
        nginx = subprocess.Popen([str(NGINX), "-p", str(folder), "-e", str(folder / "nginx-logs" / "main-error.log"),
                                  "-c", str(config)])
        stack.callback(stop, nginx)
        wait_for(lambda: listening(https_port), "nginx", 10)
        yield Deployment(folder, https_port, redis, instances, certificate, nginx, environment)
