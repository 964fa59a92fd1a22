import stat
from pathlib import Path

from gezien.config.env import stored_secret_key


def test_the_secret_key_is_made_once_and_shared_by_every_process(tmp_path: Path) -> None:
    path = tmp_path / "data" / "secret_key"
    first = stored_secret_key(path)
    assert len(first) >= 50
    assert stored_secret_key(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
