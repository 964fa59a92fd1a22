"""Make the demo's recorded calls (src/gezien/demo/data/recordings/*.opus) once, with synthetic voices.

Needs Debian's espeak-ng and sox (`apt-get install -y espeak-ng sox`); `make demo` does not: it attaches
the committed files (gezien.demo.recordings). Run from the repository root:

    .venv/bin/python scripts/demo_recordings.py

Each call is stereo, the agent on the left, at 16 kHz as Ogg/Opus (a few dozen kB each). The texts are the
calls the demo's contacts are about; the gaps and overlaps are chosen so the analysis has something to
show: an agent who talks over the customer, one who lets them finish, a long silence while searching.
"""

from __future__ import annotations

import sys
from pathlib import Path

import soundfile

from gezien.voice.synth import Line, synth_call, tools_missing

FOLDER = Path(__file__).resolve().parent.parent / "src" / "gezien" / "demo" / "data" / "recordings"
SCRIPTS: dict[str, list[Line]] = {
    "factuur": [
        Line("agent", "Goedemiddag, u spreekt met Sanne van Gezien. Waarmee kan ik u helpen?"),
        Line(
            "customer",
            "Ja hallo, ik heb mijn factuur gekregen en die is veel hoger dan vorige maand, "
            "en ik snap echt niet waarom dat zo is.",
            after_s=0.4,
        ),
        Line("agent", "Dat komt door de nieuwe tarieven.", after_s=-1.2),
        Line(
            "customer", "Maar daar heb ik niets over gehoord, ik heb nergens een brief gezien.", after_s=0.3
        ),
        Line("agent", "Die is in maart verstuurd.", after_s=-0.9),
        Line("customer", "Oké.", after_s=0.6),
        Line("agent", "Ik kijk even met u mee naar het verschil.", after_s=0.5),
        Line("agent", "Ik zie het, u betaalt nu negen euro meer per maand.", after_s=4.5),
        Line("customer", "Dat is toch niet normaal.", after_s=0.5),
    ],
    "storing": [
        Line("agent", "Goedemorgen, u spreekt met Daan van Gezien."),
        Line(
            "customer",
            "Goedemorgen. Mijn internet valt al drie dagen steeds uit, vooral 's avonds, "
            "en ik werk thuis, dus dit is echt een probleem voor mij.",
            after_s=0.5,
        ),
        Line("agent", "Wat vervelend, zeker als u thuis werkt. Ik ga het voor u nakijken.", after_s=0.7),
        Line("customer", "Graag.", after_s=0.4),
        Line(
            "agent",
            "Ik zie inderdaad storingen op uw lijn. Ik stuur een monteur, morgen tussen acht en twaalf uur.",
            after_s=5.0,
        ),
        Line("customer", "Morgen al? Fijn, dank u wel.", after_s=0.6),
        Line("agent", "Graag gedaan. U krijgt een bevestiging per mail.", after_s=0.5),
    ],
    "levering": [
        Line("agent", "Goedemiddag, u spreekt met Sanne van Gezien."),
        Line(
            "customer", "Hallo, mijn bestelling zou dinsdag komen, maar ik heb nog steeds niets.", after_s=0.4
        ),
        Line("agent", "Dat spijt me. Mag ik uw ordernummer?", after_s=0.6),
        Line("customer", "Ja, dat is vier vijf zes, zeven acht negen.", after_s=0.5),
        Line("agent", "Uw pakket ligt bij het sorteercentrum en komt morgen.", after_s=3.6),
        Line("customer", "Morgen? Dat zeiden ze vorige week ook al.", after_s=0.3),
        Line(
            "agent",
            "Ik begrijp dat dat frustrerend is. Ik zet er een notitie bij en bel u morgen.",
            after_s=-0.4,
        ),
        Line("customer", "Goed, dank u.", after_s=0.5),
    ],
}


def main() -> int:
    missing = tools_missing()
    if missing:
        print(f"Nodig: {', '.join(missing)} (apt-get install -y espeak-ng sox)", file=sys.stderr)
        return 1
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name in SCRIPTS:  # the names gezien.demo.recordings.CALLS attaches
        wav = FOLDER / f"{name}.wav"
        synth_call(SCRIPTS[name], wav, rate=16000, leak_db=-32.0)
        samples, rate = soundfile.read(str(wav), dtype="float32")
        out = FOLDER / f"{name}.opus"
        soundfile.write(str(out), samples, rate, format="OGG", subtype="OPUS", compression_level=0.98)
        wav.unlink()
        print(f"{out}: {out.stat().st_size} bytes, {len(samples) / rate:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
