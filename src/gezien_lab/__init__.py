"""gezien_lab: how Gezien's analysis is measured and trained, apart from what runs in the desk.

- `gezien_lab.evaluation`: the evaluation harness (`gezien analysis eval`, `make analysis-eval`).
- `gezien_lab.training`: fitting the learned layer's heads (`gezien analysis train`).
- `gezien_lab.goemotions`, `gezien_lab.public_data`: the public labelled data and its label mapping.
- `gezien_lab.peers`: the peers the evaluation and the bench put beside Gezien's signals.

It builds on `gezien.analysis` and ships in the same distribution, but nothing in `gezien` imports it
when it is imported: only the command-line paths that need it (`gezien analysis eval`/`train`) load it,
when they run. It needs the extras `gezien[models]` (training) and `gezien[eval]` (the peers).
"""
