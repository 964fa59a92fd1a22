"""The voice analysis against stereo calls with a known truth (espeak-ng voices laid by sox and numpy),
and the recordings it must refuse."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile

from gezien.cli import main
from gezien.voice import VoiceAnalysis, VoiceError, analyse
from gezien.voice.synth import Line, Truth, Voices, synth_call, tools_missing

needs_voices = pytest.mark.skipif(
    bool(tools_missing()),
    reason=f"needs Debian's {' and '.join(tools_missing())} (apt-get install espeak-ng sox)",
)

GREETING = "Goedemorgen, u spreekt met Sanne van de klantenservice, waarmee kan ik u helpen?"
COMPLAINT = "Ja goedemorgen, ik bel over mijn laatste rekening, want die is veel te hoog."
INTERRUPTION = "Dat spijt me, ik zoek het meteen voor u op."
THANKS = "Dank u wel."
FOUND = "Ik zie het al, er is twee keer afgeschreven in maart."
REFUND = "Precies, dat klopt, en ik wil graag mijn geld terug."
PROMISE = "Dat regel ik nu voor u, u krijgt het binnen vijf werkdagen terug."

# The agent starts 1.5 s before the customer's complaint ends; after the thanks both are silent 4 s.
OVERLAP_S = 1.5
SILENCE_S = 4.0
SCRIPT = [
    Line("agent", GREETING),
    Line("customer", COMPLAINT, 0.6),
    Line("agent", INTERRUPTION, -OVERLAP_S),
    Line("customer", THANKS, 0.5),
    Line("agent", FOUND, SILENCE_S),
    Line("customer", REFUND, 0.7),
    Line("agent", PROMISE, 0.8),
]
TOLERANCE_S = 0.2


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("voice")


@pytest.fixture(scope="module")
def call(folder: Path) -> tuple[Path, Truth]:
    if tools_missing():
        pytest.skip(f"needs Debian's {' and '.join(tools_missing())} (apt-get install espeak-ng sox)")
    path = folder / "call.wav"
    return path, synth_call(SCRIPT, path, leak_db=-30.0)


def _spans(result: VoiceAnalysis, side: str) -> list[tuple[float, float]]:
    return [(s.start_s, s.end_s) for s in result.segments if s.side == side]


def _truth(truth: Truth, side: str) -> list[tuple[float, float]]:
    return [(s, e) for who, s, e in truth.spans if who == side]


def _assert_segments_match(result: VoiceAnalysis, truth: Truth) -> None:
    for side in ("agent", "customer"):
        found, expected = _spans(result, side), _truth(truth, side)
        assert len(found) == len(expected), (side, found, expected)
        for (s, e), (ts, te) in zip(found, expected, strict=True):
            assert abs(s - ts) <= TOLERANCE_S and abs(e - te) <= TOLERANCE_S, (side, (s, e), (ts, te))


@needs_voices
def test_the_known_overlap_silence_and_turns_are_found_within_a_fifth_of_a_second(
    call: tuple[Path, Truth],
) -> None:
    path, truth = call
    result = analyse(path)
    _assert_segments_match(result, truth)

    (overtalk,) = result.overtalk
    interrupted = _truth(truth, "customer")[0]
    interruption = _truth(truth, "agent")[1]
    assert overtalk.by == "agent"
    assert abs(overtalk.start_s - interruption[0]) <= TOLERANCE_S
    assert abs(overtalk.duration_s - (interrupted[1] - interruption[0])) <= TOLERANCE_S
    assert abs(overtalk.duration_s - OVERLAP_S) <= TOLERANCE_S

    (silence,) = result.silences
    thanks_end = _truth(truth, "customer")[1][1]
    assert abs(silence.start_s - thanks_end) <= TOLERANCE_S
    assert abs(silence.duration_s - SILENCE_S) <= TOLERANCE_S

    assert abs(result.duration_s - truth.duration_s) < 0.01


@needs_voices
def test_talk_shares_are_right_within_a_few_percent(call: tuple[Path, Truth]) -> None:
    path, truth = call
    result = analyse(path)
    agent, customer = truth.talk_s("agent"), truth.talk_s("customer")
    assert result.sides["agent"].talk_share == pytest.approx(agent / (agent + customer), abs=0.03)
    assert result.sides["customer"].talk_share == pytest.approx(customer / (agent + customer), abs=0.03)
    assert result.sides["agent"].talk_s == pytest.approx(agent, rel=0.05)
    assert result.sides["agent"].talk_share + result.sides["customer"].talk_share == pytest.approx(1.0)


@needs_voices
def test_the_agent_who_started_over_the_customer_did_not_let_them_finish(call: tuple[Path, Truth]) -> None:
    path, truth = call
    moments = analyse(path).let_finish
    customer_ends = [e for _, e in _truth(truth, "customer")]
    # every customer turn the agent answered: the complaint (interrupted), the thanks and the refund
    assert len(moments) == 3
    assert [m.finished for m in moments] == [False, True, True]
    assert abs(moments[0].gap_s + OVERLAP_S) <= TOLERANCE_S
    assert abs(moments[1].gap_s - SILENCE_S) <= TOLERANCE_S
    assert abs(moments[2].gap_s - 0.8) <= TOLERANCE_S
    for moment, end in zip(moments, customer_ends, strict=True):
        assert abs(moment.at_s - end) <= TOLERANCE_S


LEAKS = {
    "-30 dB": {"leak_db": -30.0},
    "-20 dB": {"leak_db": -20.0},
    "-15 dB": {"leak_db": -15.0},
    "-25 dB, 12 ms late and dulled": {"leak_db": -25.0, "leak_delay_s": 0.012},
    "-20 dB, 30 ms late and dulled": {"leak_db": -20.0, "leak_delay_s": 0.03},
    "-25 dB, the customer 10 dB quieter": {"leak_db": -25.0, "gain": {"customer": 10 ** (-10 / 20)}},
    "-30 dB, street noise on the customer's line": {"noise_db": {"agent": -65.0, "customer": -42.0}},
    "-30 dB, 8 kHz telephone audio": {"rate": 8000},
}


@needs_voices
def test_a_short_ja_while_the_customer_speaks_is_listening_not_an_answer(folder: Path) -> None:
    lines = [Line("customer", COMPLAINT), Line("agent", "Ja.", -2.0), Line("agent", INTERRUPTION, 0.6)]
    path = folder / "backchannel.wav"
    truth = synth_call(lines, path)
    result = analyse(path)
    _assert_segments_match(result, truth)
    (overtalk,) = result.overtalk  # the "ja" is overtalk by the agent...
    assert overtalk.by == "agent" and overtalk.duration_s < 0.6
    (moment,) = result.let_finish  # ...but the agent let the customer finish
    assert moment.finished
    assert abs(moment.gap_s - 0.6) <= TOLERANCE_S


@needs_voices
@pytest.mark.parametrize("leak", list(LEAKS))
def test_one_voice_leaking_into_the_other_channel_is_no_overtalk(folder: Path, leak: str) -> None:
    lines = [Line("agent", GREETING), Line("customer", COMPLAINT, 0.4), Line("agent", FOUND, 0.3)]
    lines += [Line("customer", REFUND, 0.5), Line("agent", PROMISE, 0.6)]
    path = folder / f"leak{list(LEAKS).index(leak)}.wav"
    truth = synth_call(lines, path, **LEAKS[leak])  # type: ignore[arg-type]
    result = analyse(path)
    assert result.overtalk == ()
    _assert_segments_match(result, truth)
    assert all(m.finished for m in result.let_finish)
    # and the same leakage does not hide a real overlap
    overlapping = folder / f"overlap{list(LEAKS).index(leak)}.wav"
    truth = synth_call(SCRIPT, overlapping, **LEAKS[leak])  # type: ignore[arg-type]
    result = analyse(overlapping)
    _assert_segments_match(result, truth)
    assert [o.by for o in result.overtalk] == ["agent"]
    assert abs(result.overtalk[0].duration_s - OVERLAP_S) <= TOLERANCE_S


@needs_voices
def test_the_agent_on_the_right_channel(folder: Path, call: tuple[Path, Truth]) -> None:
    path = folder / "right.wav"
    truth = synth_call(SCRIPT, path, agent_channel="right")
    result = analyse(path, agent_channel="right")
    assert result.agent_channel == "right"
    _assert_segments_match(result, truth)
    assert [o.by for o in result.overtalk] == ["agent"]
    # read the wrong way round, the sides swap
    wrong = analyse(path, agent_channel="left")
    assert _spans(wrong, "customer") == _spans(result, "agent")


@needs_voices
@pytest.mark.parametrize("suffix", [".flac", ".opus"])
def test_flac_and_opus_give_the_same_analysis(folder: Path, call: tuple[Path, Truth], suffix: str) -> None:
    path = folder / f"call{suffix}"
    truth = synth_call(SCRIPT, path, rate=48000 if suffix == ".opus" else 16000)
    result = analyse(path)
    _assert_segments_match(result, truth)
    assert len(result.overtalk) == 1
    assert len(result.silences) == 1
    assert result.sample_rate == (48000 if suffix == ".opus" else 16000)


@needs_voices
def test_pitch_tells_the_low_voice_from_the_high_one(call: tuple[Path, Truth]) -> None:
    path, _ = call
    sides = analyse(path).sides
    agent, customer = sides["agent"].pitch_hz, sides["customer"].pitch_hz  # espeak-ng nl and nl+f3
    assert agent.p50 is not None and customer.p50 is not None
    assert 70 <= agent.p50 <= 140
    assert 150 <= customer.p50 <= 280
    assert agent.p10 is not None and agent.p90 is not None
    assert agent.p10 <= agent.p50 <= agent.p90


def _syllables(text: str) -> int:
    return len(re.findall(r"[aeiouy]+", text.lower().replace("ij", "y")))


@needs_voices
def test_speaking_rate_follows_the_syllables_spoken(folder: Path) -> None:
    texts = [GREETING, COMPLAINT, FOUND, PROMISE]
    lines = [Line("agent" if i % 2 == 0 else "customer", t, 0.8) for i, t in enumerate(texts * 2)]
    path = folder / "rate.wav"
    truth = synth_call(lines, path, voices=Voices(agent_wpm=120, customer_wpm=220))
    sides = analyse(path).sides
    agent_true = 2 * (_syllables(GREETING) + _syllables(FOUND)) / truth.talk_s("agent")
    customer_true = 2 * (_syllables(COMPLAINT) + _syllables(PROMISE)) / truth.talk_s("customer")
    assert sides["agent"].speaking_rate == pytest.approx(agent_true, rel=0.2)
    assert sides["customer"].speaking_rate == pytest.approx(customer_true, rel=0.2)
    assert sides["customer"].speaking_rate > 1.4 * sides["agent"].speaking_rate


@needs_voices
def test_loudness_per_second_shows_the_quieter_side(folder: Path) -> None:
    path = folder / "quiet.wav"
    truth = synth_call(SCRIPT, path, gain={"customer": 10 ** (-12 / 20)})
    result = analyse(path)
    agent, customer = result.sides["agent"], result.sides["customer"]
    assert len(agent.loudness_db) == len(customer.loudness_db) == int(np.ceil(truth.duration_s))
    spoken = {
        side: [round((s + e) / 2) for who, s, e in truth.spans if who == side]
        for side in ("agent", "customer")
    }
    agent_level = np.median([agent.loudness_db[t] for t in spoken["agent"]])
    customer_level = np.median([customer.loudness_db[t] for t in spoken["customer"]])
    assert agent_level - customer_level == pytest.approx(12, abs=3)
    silent_second = int(_truth(truth, "customer")[1][1]) + 2  # inside the silence
    assert agent.loudness_db[silent_second] < -50
    assert 0 <= agent.loudness_range_db < 20


@needs_voices
def test_the_command_prints_one_json_document(
    call: tuple[Path, Truth], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = call
    assert main(["voice", "analyse", str(path), "--agent-channel", "left"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) >= {
        "duration_s", "agent_channel", "segments", "overtalk", "silences", "sides", "let_finish", "version",
    }  # fmt: skip
    assert document["overtalk"][0]["by"] == "agent"
    assert set(document["sides"]["customer"]) >= {
        "talk_s", "talk_share", "speaking_rate", "pitch_hz", "loudness_db", "loudness_range_db",
    }  # fmt: skip
    assert document == json.loads(json.dumps(analyse(path).to_json()))


def test_a_call_where_one_side_never_speaks(tmp_path: Path) -> None:
    rate = 16000
    t = np.arange(rate * 6) / rate
    tone = 0.3 * np.sin(2 * np.pi * 150 * t) * ((t > 1) & (t < 4))  # the agent "speaks" 1 s to 4 s
    noise = np.random.default_rng(1).normal(0, 1e-4, (len(t), 2))
    path = tmp_path / "one.wav"
    soundfile.write(path, np.stack([tone, np.zeros_like(t)], axis=1) + noise, rate)
    result = analyse(path)
    assert [(s.side, round(s.start_s, 1), round(s.end_s, 1)) for s in result.segments] == [
        ("agent", 1.0, 4.0)
    ]
    assert result.sides["customer"].talk_s == 0
    assert result.sides["customer"].pitch_hz.p50 is None
    assert result.sides["agent"].pitch_hz.p50 == pytest.approx(150, rel=0.02)
    assert result.let_finish == ()
    json.dumps(result.to_json())  # a document even with nothing said on one side


@needs_voices
def test_one_mixed_recording_on_both_channels_is_refused(folder: Path, call: tuple[Path, Truth]) -> None:
    path, _ = call
    samples, rate = soundfile.read(path)
    mixed = folder / "mixed.wav"
    soundfile.write(mixed, np.stack([samples.sum(axis=1)] * 2, axis=1) / 2, rate)
    with pytest.raises(VoiceError, match="hetzelfde geluid"):
        analyse(mixed)


def _bad_files(folder: Path) -> dict[str, Path]:
    empty = folder / "empty.wav"
    empty.write_bytes(b"")
    garbage = folder / "garbage.wav"
    garbage.write_bytes(np.random.default_rng(3).bytes(4000))
    zero = folder / "zero.wav"
    soundfile.write(zero, np.zeros((0, 2)), 16000)
    mono = folder / "mono.wav"
    soundfile.write(mono, np.zeros(16000), 16000)
    three = folder / "three.flac"
    soundfile.write(three, np.zeros((16000, 3)), 16000)
    return {
        "empty": empty,
        "garbage": garbage,
        "zero": zero,
        "mono": mono,
        "three": three,
        "missing": folder / "nowhere.wav",
    }


BAD_REASONS = {
    "empty": "geen leesbare opname",
    "garbage": "geen leesbare opname",
    "zero": "geen geluid",
    "mono": "mono",
    "three": "3 kanalen",
    "missing": "geen leesbare opname",
}


@pytest.mark.parametrize("kind", list(BAD_REASONS))
def test_a_recording_that_will_not_do_is_refused_clearly(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _bad_files(tmp_path)[kind]
    with pytest.raises(VoiceError, match=BAD_REASONS[kind]):
        analyse(path)
    assert main(["voice", "analyse", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert BAD_REASONS[kind] in captured.err and str(path) in captured.err
    assert "Traceback" not in captured.err


def test_an_unknown_agent_channel_is_refused(tmp_path: Path) -> None:
    with pytest.raises(VoiceError, match="left"):
        analyse(tmp_path / "x.wav", agent_channel="middle")
    with pytest.raises(SystemExit):
        main(["voice", "analyse", str(tmp_path / "x.wav"), "--agent-channel", "middle"])
