"""tools/qe/cache.py: the training's on-disk lower-layer cache resumes where an interrupted run stopped and
hands back exactly what the lower layers computed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

torch = pytest.importorskip("torch")

from tools.qe import cache as qe_cache  # noqa: E402

HIDDEN = 3


class FakeLower:
    """Stands in for QEModel.lower: token id t at position p becomes (t, p, t + p); counts the pairs run and
    fails after `fail_after` of them (a session that ends mid-run)."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.split = 3
        config = SimpleNamespace(hidden_size=HIDDEN)
        self.bert = SimpleNamespace(encoder=SimpleNamespace(layer=[0] * 6), config=config)
        self.pairs = 0
        self.fail_after = fail_after

    def eval(self) -> None:
        pass

    def lower(self, ids, mask):
        if self.fail_after is not None and self.pairs >= self.fail_after:
            raise KeyboardInterrupt
        self.pairs += len(ids)
        pos = torch.arange(ids.shape[1]).expand_as(ids)
        return torch.stack([ids.float(), pos.float(), (ids + pos).float()], dim=-1)


def _expected(seq: list[int]):
    pos = torch.arange(len(seq)).float()
    ids = torch.tensor(seq).float()
    return torch.stack([ids, pos, ids + pos], dim=-1).to(torch.float16)


def test_cache_resumes_after_an_interruption(tmp_path, monkeypatch):
    monkeypatch.setattr(qe_cache, "CHUNK", 4)
    seqs = [[0, 5 + k, 2, 2, 7, 2][: 3 + k % 4] for k in range(10)]
    src = [1] * len(seqs)
    tmp_path = tmp_path / "cache"  # made when missing
    with pytest.raises(KeyboardInterrupt):
        qe_cache.LowerCache.build(FakeLower(fail_after=4), seqs, src, tmp_path, log=lambda *a: None)
    resumed = FakeLower()
    cache = qe_cache.LowerCache.build(resumed, seqs, src, tmp_path, log=lambda *a: None)
    assert resumed.pairs == 6  # the first chunk of 4 was on disk already
    assert len(cache) == len(seqs)
    for i, seq in enumerate(seqs):
        assert torch.equal(cache[i], _expected(seq))
    again = FakeLower()
    qe_cache.LowerCache.build(again, seqs, src, tmp_path, log=lambda *a: None)
    assert again.pairs == 0  # complete: nothing recomputed
    # other pairs are another cache
    other = FakeLower()
    qe_cache.LowerCache.build(other, [[0, 9, 2]], [1], tmp_path, log=lambda *a: None)
    assert other.pairs == 1 and len(list(tmp_path.glob("lower-*.f16"))) == 2
