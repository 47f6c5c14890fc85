"""The frozen lower layers' outputs of every training pair, kept on disk so that a long run survives the end
of a session: one fp16 memory map per data draw, filled in chunks, with a progress file. A run restarted
on the same pairs (same token ids, split and layer count) resumes filling where it stopped, then reuses the
map; other pairs get their own file.

    states = LowerCache.build(model, seqs, src_lens, folder)   # the map, computed where missing
    states[i]                                                 # pair i's token states (torch fp16)
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import numpy as np

CHUNK = 2048  # pairs per flush: ~2-3 minutes of caching on one core


def cache_key(seqs: list[list[int]], src_lens: list[int], split: int, layers: int | None, base: str) -> str:
    """Identity of a cache: the token ids and source lengths of every pair, the split and the base."""
    h = hashlib.sha256(f"{split}|{layers}|{base}|{len(seqs)}".encode())
    for seq, n in zip(seqs, src_lens, strict=True):
        h.update(np.asarray(seq, dtype=np.int32).tobytes())
        h.update(n.to_bytes(4, "little"))
    return h.hexdigest()[:16]


class LowerCache:
    """Pair i's lower-layer states as rows offsets[i]:offsets[i + 1] of an fp16 (tokens, hidden) map."""

    def __init__(self, path: Path, lengths: list[int], hidden: int, mode: str = "r") -> None:
        self.path = path
        self.offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        self.map = np.memmap(path, dtype=np.float16, mode=mode, shape=(int(self.offsets[-1]), hidden))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int):
        import torch

        return torch.from_numpy(np.array(self.map[self.offsets[i] : self.offsets[i + 1]]))

    @classmethod
    def build(cls, model, seqs: list[list[int]], src_lens: list[int], folder: Path, base: str = "",
              log=print) -> LowerCache:
        """The cache of these pairs under `folder`, computing the chunks not yet on disk."""
        import torch

        from mtqa.qe.model import batch_tensors

        folder.mkdir(parents=True, exist_ok=True)
        key = cache_key(seqs, src_lens, model.split, len(model.bert.encoder.layer), base)
        path, progress = folder / f"lower-{key}.f16", folder / f"lower-{key}.json"
        hidden = model.bert.config.hidden_size
        done = json.loads(progress.read_text())["pairs"] if progress.exists() and path.exists() else 0
        lengths = [len(s) for s in seqs]
        if done >= len(seqs):
            log(f"lower-layer cache {path.name}: all {len(seqs)} pairs on disk")
            return cls(path, lengths, hidden)
        cache = cls(path, lengths, hidden, mode="r+" if done else "w+")
        log(f"lower-layer cache {path.name}: {done} of {len(seqs)} pairs on disk, computing the rest")
        model.eval()
        t0 = time.time()
        with torch.no_grad():
            for start in range(done, len(seqs), CHUNK):
                chunk = sorted(range(start, min(start + CHUNK, len(seqs))), key=lambda i: lengths[i])
                for k in range(0, len(chunk), 64):
                    idx = chunk[k : k + 64]
                    ids, mask, _, _ = batch_tensors([seqs[i] for i in idx], [src_lens[i] for i in idx])
                    h = model.lower(ids, mask).to(torch.float16).numpy()
                    for j, i in enumerate(idx):
                        cache.map[cache.offsets[i] : cache.offsets[i + 1]] = h[j, : lengths[i]]
                cache.map.flush()
                done = min(start + CHUNK, len(seqs))
                progress.write_text(json.dumps({"pairs": done, "seconds": round(time.time() - t0)}))
                log(f"  cached {done}/{len(seqs)} pairs ({time.time() - t0:.0f}s)")
        return cls(path, lengths, hidden)
