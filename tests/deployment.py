"""Start the reference deployment in deploy/ on loopback ports: Redis, two gunicorn instances
and nginx in front, with a throwaway self-signed certificate.

The shipped files are the ones started: the nginx site, the Redis settings, and the systemd
unit's Environment= and ExecStart= lines with its environment file. Only ports and paths are
substituted, and every substitution must find its text, so a change to a shipped file that
the harness does not understand fails loudly instead of testing something else.
"""
from __future__ import annotations

import datetime
import os
import shlex
import signal
import socket
import ssl
import subprocess
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .server import ROOT, free_port

DEPLOY = ROOT / "deploy"
NGINX_SITE = DEPLOY / "nginx" / "facerights.conf"
REDIS_CONF = DEPLOY / "redis" / "facerights.conf"
UNIT = DEPLOY / "systemd" / "facerights@.service"
ENV_FILE = DEPLOY / "facerights.env"
NGINX = Path("/usr/sbin/nginx")
REDIS_SERVER = Path("/usr/bin/redis-server")
VENV = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv"))


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


def unit_command(port: int, metrics_folder: Path) -> tuple[list[str], dict[str, str]]:
    """ExecStart= and Environment= of the shipped unit, for the instance facerights@<port>."""
    replacements = {"%i": str(port), "/opt/facerights": str(ROOT), "/run/facerights-": f"{metrics_folder}/"}
    environment, command = {}, None
    for line in UNIT.read_text().splitlines():
        key, _, value = line.partition("=")
        for old, new in replacements.items():
            value = value.replace(old, new)
        if key == "Environment":
            name, _, setting = value.partition("=")
            environment[name] = setting
        elif key == "ExecStart":
            command = shlex.split(value)
    if not command or command[0] != f"{ROOT}/.venv/bin/gunicorn":
        raise AssertionError(f"unexpected ExecStart in {UNIT}: {command}")
    command[0] = str(VENV / "bin" / "gunicorn")
    environment.pop("XDG_CACHE_HOME", None)  # systemd's CacheDirectory; the test has none
    return command, environment


def environment_file() -> dict[str, str]:
    settings = {}
    for line in ENV_FILE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            settings[name.strip()] = value.strip()
    return settings


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


def answers_health(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        return connection.recv(64).startswith(b"HTTP/1.1 200 ")


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
    process: subprocess.Popen
    log_path: Path

    def log(self) -> bytes:
        return self.log_path.read_bytes()

    def kill(self) -> None:
        """SIGKILL the master and its workers at once, as a crash or the OOM killer would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@dataclass
class Deployment:
    folder: Path
    https_port: int
    redis_port: int
    instances: list[Instance]
    certificate: Path
    nginx_process: subprocess.Popen
    extra: dict = field(default_factory=dict)

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))

    def nginx_logs(self) -> bytes:
        return b"".join(path.read_bytes() for path in sorted((self.folder / "nginx-logs").iterdir()))

    def temp_files(self) -> list[Path]:
        """Files nginx wrote to its temporary folders (request bodies, buffered answers)."""
        return [path for path in (self.folder / "nginx-temp").rglob("*") if path.is_file()]


def start_redis(stack: ExitStack, folder: Path) -> int:
    port = free_port()
    data = folder / "redis-data"
    data.mkdir()
    process = subprocess.Popen([str(REDIS_SERVER), str(REDIS_CONF), "--port", str(port), "--bind", "127.0.0.1",
                                "--dir", str(data), "--daemonize", "no", "--supervised", "no",
                                "--logfile", str(folder / "redis.log")], stdout=subprocess.DEVNULL)
    stack.callback(stop, process)
    wait_for(lambda: listening(port), "redis-server", 10)
    return port


def start_instance(stack: ExitStack, folder: Path, port: int, settings: dict[str, str]) -> Instance:
    metrics = folder / "run"
    metrics.mkdir(exist_ok=True)
    command, unit_environment = unit_command(port, metrics)
    Path(unit_environment["PROMETHEUS_MULTIPROC_DIR"]).mkdir(mode=0o700)
    log_path = folder / f"gunicorn-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **settings, **unit_environment},
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    stack.callback(stop, process, True)
    return Instance(port, process, log_path)


def nginx_configuration(folder: Path, https_port: int, http_port: int, upstream_ports: list[int],
                        certificate: Path, key: Path) -> Path:
    logs, temp = folder / "nginx-logs", folder / "nginx-temp"
    logs.mkdir()
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
        redis_port = start_redis(stack, folder)
        settings = environment_file()
        settings.update({
            "FACERIGHTS_SECRET_KEY": secret_key or "deployment-test-key-shared-by-both-instances",
            "FACERIGHTS_RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis_port}/0",
            **(extra_settings or {}),
        })
        instances = [start_instance(stack, folder, free_port(), settings) for _ in range(2)]
        for instance in instances:
            wait_for(lambda: instance.process.poll() is None and answers_health(instance.port),
                     f"gunicorn on {instance.port}", 60)
        certificate, key = self_signed_certificate(folder)
        https_port, http_port = free_port(), free_port()
        config = nginx_configuration(folder, https_port, http_port, [i.port for i in instances], certificate, key)
        subprocess.run([str(NGINX), "-t", "-q", "-p", str(folder), "-e", str(folder / "nginx-logs" / "main-error.log"),
                        "-c", str(config)], check=True)
        nginx = subprocess.Popen([str(NGINX), "-p", str(folder), "-e", str(folder / "nginx-logs" / "main-error.log"),
                                  "-c", str(config)])
        stack.callback(stop, nginx)
        wait_for(lambda: listening(https_port), "nginx", 10)
        yield Deployment(folder, https_port, redis_port, instances, certificate, nginx)
