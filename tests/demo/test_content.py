"""The demo's written content as data: every file validates and a bad one says which file and field.
(That the generator built on it plans the same demo as before: test_generator.py, the fingerprints.)"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from gezien.demo import content
from gezien.demo.schema import DATA_DIR, DemoDataError


def test_every_data_file_validates_and_is_read() -> None:
    counts = content.load_all()
    assert counts["scripts"] >= 60 and counts["articles"] >= 40 and counts["replies"] >= 20
    assert content.data_files() == sorted((*content.SCRIPT_FILES, *content.OTHER_FILES))


def test_the_data_files_are_package_data() -> None:
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"demo/data/**/*.toml"' in pyproject


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def _spoil(data_dir: Path, name: str, old: str, new: str) -> None:
    path = data_dir / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "scripts/mail.toml",
            'channel = "email"',
            'channel = "fax"',
            "demo data scripts/mail.toml: script[0] \"letter_delivery\".channel: 'fax' is not one of",
        ),
        (
            "scripts/mail.toml",
            'reason = "klacht"',
            'reason = "klachten"',
            'scripts/mail.toml: script[0] "letter_delivery".reason: contact reason (organisation.toml) '
            "'klachten' does not exist",
        ),
        (
            "scripts/mail.toml",
            "due_hour = 17",
            'due_hour = "17"',
            'scripts/mail.toml: script[0] "letter_delivery".remember[0].due_hour: expected a whole number, '
            "got a string",
        ),
        (
            "scripts/mail.toml",
            "Formele klacht inzake bestelling {order}",
            "Formele klacht inzake bestelling {ordernummer}",
            'scripts/mail.toml: script[0] "letter_delivery".subject: unknown slot {ordernummer}',
        ),
        (
            "scripts/chat.toml",
            "[[script.turn]]\ncustomer =",
            "[[script.turn]]\nklant =",
            "scripts/chat.toml: script[0]",
        ),
        (
            "scripts/phone.toml",
            'use = "greet"',
            'use = "groet"',
            "shared turn (turns.toml) 'groet' does not exist",
        ),
        ("knowledge.toml", 'owner = "teamlead"', 'owner = "karin"', "knowledge.toml: article[0] "),
        ("replies.toml", "[[shared]]\n", "[[shared]]\nsubject = 'x'\n", "replies.toml: shared[0]"),
        (
            "people.toml",
            'role = "teamlead"',
            'role = "chef"',
            "people.toml: agent[1].role: 'chef' is not one of",
        ),
        (
            "organisation.toml",
            'name = "Voorbeeld Telecom"',
            "name = [",
            "demo data organisation.toml: not valid TOML",
        ),
    ],
    ids=[
        "choice",
        "reference",
        "type",
        "slot",
        "unknown-field",
        "shared-turn",
        "owner",
        "extra-field",
        "role",
        "toml",
    ],
)
def test_a_bad_file_is_refused_naming_the_file_and_the_field(
    data_dir: Path, name: str, old: str, new: str, message: str
) -> None:
    _spoil(data_dir, name, old, new)
    with pytest.raises(DemoDataError) as raised:
        content.load_all(data_dir)
    assert message in str(raised.value)
    assert raised.value.file == name


def test_a_missing_field_and_a_duplicate_key_are_refused(data_dir: Path) -> None:
    _spoil(data_dir, "scripts/waves.toml", 'register = "u"\n', "")
    with pytest.raises(DemoDataError, match=r"scripts/waves.toml: script\[0\] \"\w+\".register: missing"):
        content.scripts(data_dir)

    shutil.copy(DATA_DIR / "scripts/waves.toml", data_dir / "scripts/waves.toml")
    phone_key, chat_key = (
        re.search(r'key = "(\w+)"', (DATA_DIR / name).read_text(encoding="utf-8")).group(1)  # type: ignore[union-attr]
        for name in ("scripts/phone.toml", "scripts/chat.toml")
    )
    _spoil(data_dir, "scripts/chat.toml", f'key = "{chat_key}"', f'key = "{phone_key}"')
    with pytest.raises(DemoDataError) as raised:
        content.scripts(data_dir)
    assert str(raised.value) == (
        f'demo data scripts/chat.toml: script[0] "{phone_key}".key: script key {phone_key!r} is already used '
        "in scripts/phone.toml"
    )
