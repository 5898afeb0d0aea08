"""What bench/compare and bench/remote share: running a command under /usr/bin/time, sizes."""
import contextlib
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESTORE_TARGETS = set()  # how the restores of this invocation were done, for the table's header


def stop_test_services():
    """Stops the servers the test suite leaves running (sshd, s3rver, PostgreSQL), so that a benchmark measures a quiet machine."""
    subprocess.run(["bash", os.path.join(ROOT, "scripts", "services", "stop-all.sh")], check=False)


def run(cmd, cwd=None, env=None):
    """Runs a command under /usr/bin/time -v; returns (wall s, cpu s, peak RSS KiB)."""
    full = ["/usr/bin/time", "-v"] + cmd
    p = subprocess.run(full, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-3000:]}")
    stats = {}
    for line in p.stderr.splitlines():
        if ":" in line:
            key, _, value = line.strip().rpartition(": ")
            stats[key] = value
    wall = stats["Elapsed (wall clock) time (h:mm:ss or m:ss)"]
    parts = [float(x) for x in wall.split(":")]
    seconds = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    cpu = float(stats["User time (seconds)"]) + float(stats["System time (seconds)"])
    return seconds, cpu, int(stats["Maximum resident set size (kbytes)"])


def tools_env(work):
    """The environment for Cairn, restic and borg working in WORK: one password for all three, restic's cache and
    borg's state kept in WORK."""
    password = "bench password"
    return dict(os.environ, CAIRN_PASSWORD=password, RESTIC_PASSWORD=password, BORG_PASSPHRASE=password,
                RESTIC_CACHE_DIR=os.path.join(work, "restic-cache"), BORG_BASE_DIR=os.path.join(work, "borg-base"))


def quiet(cmd, env, cwd=None):
    """Runs a command that must succeed, its output discarded (a step around what is measured)."""
    subprocess.run(cmd, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def du(path):
    return int(subprocess.run(["du", "-sb", path], capture_output=True, text=True, check=True).stdout.split()[0])


def human(n):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.2f} {unit}"
        n /= 1024


def publish_cairn(work):
    """Publishes Cairn (incrementally) into WORK/cairn-bin and returns the executable's path: always, so that a work
    directory kept between runs never measures an old build."""
    out = os.path.join(work, "cairn-bin")
    subprocess.run(["dotnet", "publish", os.path.join(ROOT, "src", "Cairn.Cli"), "-c", "Release", "-o", out, "-v", "q", "-nologo"],
                   check=True, stdout=subprocess.DEVNULL)
    return os.path.join(out, "cairn")


def _read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


@contextlib.contextmanager
def fresh_filesystem(work, size, inodes=None):
    """A new ext4 filesystem on a loop device, so that every restore starts from the same state: on a filesystem
    where thousands of files were just deleted, ext4's inode allocator skips recently freed inodes one by one and
    file creation becomes several times slower, which would charge one tool for the deletions of another.
    The loop device does direct I/O on its backing file where it can: otherwise every restored byte is cached
    twice, in the filesystem's pages and in the backing file's, which a real disk does not do and which doubles
    the new memory a restore touches (on a virtual machine, the memory whose cost varies most; bench/README.md).
    Falls back to a plain directory where loop devices are not available (not root, a container). INODES, when
    given, is how many inodes the filesystem gets (a tree of many small entries needs more than ext4's default)."""
    image = os.path.join(work, "restore.img")
    mount = os.path.join(work, "restore-fs")
    os.makedirs(mount, exist_ok=True)
    with open(image, "wb") as f:
        f.truncate(max(3 * size, 1 << 30))
    device = None
    mounted = subprocess.run(["mkfs.ext4", "-q", "-F"] + (["-N", str(inodes)] if inodes else []) + [image],
                             capture_output=True).returncode == 0
    if mounted:
        attach = subprocess.run(["losetup", "--direct-io=on", "--find", "--show", image], capture_output=True, text=True)
        device = attach.stdout.strip() if attach.returncode == 0 else None
        mounted = subprocess.run(["mount", device, mount] if device else ["mount", "-o", "loop", image, mount],
                                 capture_output=True).returncode == 0
    direct = device and _read(f"/sys/block/{os.path.basename(device)}/loop/dio") == "1"
    RESTORE_TARGETS.add(("a new ext4 filesystem on a loop device" + (" doing direct I/O" if direct else ""))
                        if mounted else "a directory on the same disk")
    try:
        yield os.path.join(mount, "restored")
    finally:
        if mounted:
            subprocess.run(["umount", mount], check=True)
        else:
            shutil.rmtree(os.path.join(mount, "restored"), ignore_errors=True)
        if device:
            subprocess.run(["losetup", "--detach", device], check=True)
        os.remove(image)
